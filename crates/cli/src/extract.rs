//! `tablift extract`: the batch run.
//!
//! Inputs are processed in parallel in bounded chunks (so memory does not grow with the corpus)
//! and written strictly in input order, so the output is byte-identical for any `-j`.

use crate::cli::{ExtractArgs, FormatArg};
use crate::inputs::{discover, Input};
use crate::pipeline::{process_bytes, process_file, InputKind, Processed, Readers};
use crate::progress::Progress;
use anyhow::Context;
use rayon::prelude::*;
use std::collections::BTreeMap;
use tablift_export::{ExportDoc, Failure, Format, OutputOptions, OutputSet};

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

/// Inputs in flight per worker thread: enough to keep workers busy, small enough that memory
/// stays flat however large the corpus is.
const CHUNK_PER_THREAD: usize = 32;

enum Job {
    File(Input),
    Embedded(&'static str, &'static [u8]),
}

impl Job {
    fn source(&self) -> &str {
        match self {
            Job::File(i) => &i.source,
            Job::Embedded(s, _) => s,
        }
    }

    fn run(&self, readers: &Readers) -> Result<Processed, Failure> {
        match self {
            Job::File(i) => process_file(&i.path, &i.source, readers),
            Job::Embedded(s, bytes) => {
                process_bytes(s, InputKind::of(std::path::Path::new(s)), bytes, readers)
            }
        }
    }
}

/// Counts for the manifest and the summary line.
#[derive(Default)]
pub struct Totals {
    pub inputs: u64,
    pub ok: u64,
    pub failed: u64,
    pub projects: u64,
    pub indicators: u64,
    pub flags: u64,
    pub failure_kinds: BTreeMap<String, u64>,
}

/// Run the batch; returns the totals (the caller maps them to an exit code).
pub fn run(args: &ExtractArgs) -> anyhow::Result<Totals> {
    let readers = Readers::from_args(&args.limits);
    let (jobs, walk_failures) = if args.inputs.is_empty() {
        (
            SAMPLE
                .iter()
                .map(|(s, b)| Job::Embedded(s, b))
                .collect::<Vec<_>>(),
            Vec::new(),
        )
    } else {
        let (inputs, failures) = discover(&args.inputs);
        (inputs.into_iter().map(Job::File).collect(), failures)
    };
    let mut formats: Vec<Format> = args
        .format
        .iter()
        .map(|f| match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
        })
        .collect();
    formats.sort();
    formats.dedup();
    let mut out = OutputSet::create(
        &args.output,
        &OutputOptions {
            formats: formats.clone(),
            excel: args.excel,
        },
    )
    .with_context(|| format!("cannot create output files in {}", args.output.display()))?;

    let threads = args.jobs.unwrap_or_else(rayon::current_num_threads).max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let progress = Progress::new(jobs.len() as u64, args.quiet);
    let mut totals = Totals {
        inputs: (jobs.len() + walk_failures.len()) as u64,
        ..Totals::default()
    };
    let write_err =
        |e| anyhow::Error::new(e).context(format!("cannot write to {}", args.output.display()));

    for f in &walk_failures {
        totals.failed += 1;
        *totals.failure_kinds.entry(f.kind.clone()).or_default() += 1;
        out.failure(f).map_err(write_err)?;
    }
    for chunk in jobs.chunks(threads * CHUNK_PER_THREAD) {
        let results: Vec<Result<Processed, Failure>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|job| {
                    let r = job.run(&readers);
                    progress.inc();
                    r
                })
                .collect()
        });
        for (job, result) in chunk.iter().zip(results) {
            match result {
                Ok(p) => {
                    totals.ok += 1;
                    totals.projects += p.extraction.projects.len() as u64;
                    totals.indicators += p
                        .extraction
                        .projects
                        .iter()
                        .map(|p| p.indicators.len() as u64)
                        .sum::<u64>();
                    totals.flags += p.extraction.flags.len() as u64;
                    let doc = ExportDoc {
                        source: job.source(),
                        document: &p.document,
                        extraction: &p.extraction,
                    };
                    out.document(&doc).map_err(write_err)?;
                }
                Err(f) => {
                    totals.failed += 1;
                    *totals.failure_kinds.entry(f.kind.clone()).or_default() += 1;
                    progress.println(&format!("tablift: {}: {}", f.source, f.message));
                    out.failure(&f).map_err(write_err)?;
                }
            }
        }
    }
    progress.finish();

    // No timestamps or thread counts: the manifest is as reproducible as the data.
    let summary = serde_json::json!({
        "tool": "tablift",
        "version": env!("CARGO_PKG_VERSION"),
        "inputs": totals.inputs,
        "formats": formats.iter().map(|f| format!("{f:?}").to_lowercase()).collect::<Vec<_>>(),
        "excel_bom": args.excel,
        "limits": {
            "max_input_bytes": args.limits.max_input_bytes,
            "max_line_bytes": args.limits.max_line_bytes,
            "max_part_bytes": args.limits.max_part_bytes,
            "max_total_bytes": args.limits.max_total_bytes,
            "max_ratio": args.limits.max_ratio,
            "max_xml_depth": args.limits.max_xml_depth,
            "max_zip_entries": args.limits.max_zip_entries,
        },
        "projects": totals.projects,
        "indicators": totals.indicators,
        "flags": totals.flags,
        "failure_kinds": totals.failure_kinds,
    });
    out.finish(summary).map_err(write_err)?;
    Ok(totals)
}
