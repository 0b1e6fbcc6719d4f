//! The `tablift` command: parses arguments, runs, maps the outcome to an exit code.
//!
//! Exit codes: 0 every input succeeded; 2 some inputs failed (the rest were written and the
//! failures are listed in failures.csv); 1 usage error or the run could not proceed (e.g. the
//! output directory is not writable).
#![forbid(unsafe_code)]

mod cli;
mod extract;
mod progress;

/// mimalloc instead of the system allocator: a document is built from many small strings and
/// vectors and freed whole, and glibc's malloc/free (with its fastbin consolidation) was a
/// third of parsing. Per seed text export: parse 86 -> 51 µs, normalise 123 -> 94 µs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use tablift_pipeline::{Limits, Pipeline};
use tablift_tables::TablesFamily;

const EXIT_OK: u8 = 0;
const EXIT_USAGE_OR_FATAL: u8 = 1;
const EXIT_SOME_FAILED: u8 = 2;

fn main() -> ExitCode {
    let opts = match cli::Opts::try_parse() {
        Ok(o) => o,
        Err(e) => {
            // clap exits 2 on usage errors; our contract reserves 2 for failed inputs.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_USAGE_OR_FATAL
            } else {
                EXIT_OK
            });
        }
    };
    match run(opts) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("tablift: error: {e:#}");
            ExitCode::from(EXIT_USAGE_OR_FATAL)
        }
    }
}

fn run(opts: cli::Opts) -> anyhow::Result<u8> {
    match opts.command {
        cli::Command::Extract(args) => {
            let t = extract::run(&args)?;
            if !args.quiet {
                let rows: Vec<String> = t
                    .rows
                    .iter()
                    .filter(|(name, _)| *name != "failures")
                    .map(|(name, n)| format!("{n} {name}"))
                    .collect();
                eprintln!(
                    "tablift: {} inputs: {} ok, {} failed; rows: {} → {}",
                    t.inputs,
                    t.ok,
                    t.failed,
                    rows.join(", "),
                    args.output.display()
                );
            }
            Ok(if t.failed == 0 {
                EXIT_OK
            } else {
                EXIT_SOME_FAILED
            })
        }
        cli::Command::Schema => {
            let pipeline = Pipeline::new(&Limits::default(), TablesFamily::default());
            let members: Vec<serde_json::Value> = pipeline
                .families
                .iter()
                .filter_map(|f| f.json_schema())
                .collect();
            let schema = tablift_export::describe(&pipeline.layout(), &members);
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &schema)?;
            writeln!(stdout)?;
            Ok(EXIT_OK)
        }
        cli::Command::Inspect(args) => {
            let pipeline = Pipeline::new(&args.limits.to_limits(), TablesFamily::default());
            let source = args.file.to_string_lossy().into_owned();
            let read = tablift_pipeline::read_file(&args.file, &source, pipeline.max_input_bytes)
                .and_then(|bytes| pipeline.read(&source, &bytes));
            match read {
                Ok(doc) => {
                    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
                    let written = serde_json::to_writer_pretty(&mut stdout, &doc)
                        .map_err(std::io::Error::from)
                        .and_then(|()| writeln!(stdout))
                        .and_then(|()| stdout.flush());
                    match written {
                        // `tablift inspect f.docx | head`: the reader left; not an error.
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
                        other => other.map(|()| EXIT_OK).map_err(Into::into),
                    }
                }
                Err(f) => Ok(report(&f)),
            }
        }
    }
}

fn report(f: &tablift_export::Failure) -> u8 {
    if f.position.is_empty() {
        eprintln!("tablift: {}: {} ({})", f.source, f.message, f.kind);
    } else {
        eprintln!(
            "tablift: {}: {} at {} ({})",
            f.source, f.message, f.position, f.kind
        );
    }
    EXIT_SOME_FAILED
}
