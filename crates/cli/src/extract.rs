//! `tablift extract`: the command's options turned into a batch run (tablift_pipeline's
//! [`batch::run`], which does the work), with the bundled sample when no input is given.

use crate::cli::{ExtractArgs, FormatArg};
use crate::progress::Progress;
use tablift_export::{Failure, Format};
use tablift_pipeline::batch::{self, Observer, Source, Totals};
use tablift_pipeline::Pipeline;

/// The bundled sample, embedded so that `tablift extract -o out` works anywhere.
const SAMPLE: &[(&str, &[u8])] = &[
    (
        "sample/seed.docx",
        include_bytes!("../../../fixtures/seed/seed.docx"),
    ),
    (
        "sample/seed.tika-doc.txt",
        include_bytes!("../../../fixtures/seed/seed.tika-doc.txt"),
    ),
];

fn formats(args: &ExtractArgs) -> Vec<Format> {
    args.format
        .iter()
        .map(|f| match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Model => Format::Model,
            FormatArg::Parquet => Format::Parquet,
        })
        .collect()
}

/// The progress bar, told of every input done and every failure (printed above the bar).
impl Observer for Progress {
    fn input_done(&self) {
        self.inc();
    }

    fn failure(&self, f: &Failure) {
        self.println(&format!("tablift: {}: {}", f.source, f.message));
    }
}

/// Run the batch; returns the totals (the caller maps them to an exit code).
pub fn run(args: &ExtractArgs) -> anyhow::Result<Totals> {
    let pipeline = Pipeline::new(&args.limits.to_limits(), args.tables_family());
    let source = if args.inputs.is_empty() {
        Source::Buffers(SAMPLE)
    } else {
        Source::Paths(&args.inputs)
    };
    let options = batch::Options {
        formats: formats(args),
        excel: args.excel,
        threads: args.jobs.map(usize::from),
        report: args.report.then(|| tablift_report::Options {
            max_documents: args.report_documents,
            ..tablift_report::Options::default()
        }),
    };
    // Known only when every input is a file (a folder is walked as the run goes).
    let total = (!args.inputs.is_empty() && args.inputs.iter().all(|p| p.is_file()))
        .then_some(args.inputs.len() as u64);
    let progress = Progress::new(args.quiet, total);
    let totals = batch::run(&pipeline, source, &args.output, &options, &progress)?;
    progress.finish();
    Ok(totals)
}
