//! `tablift extract`: the batch run.
//!
//! The main thread walks the inputs and is the one writer; each input is a task on a rayon pool
//! of `-j N` threads that reads, parses, runs the families and renders the output bytes (the
//! bulk of the work). The writer appends rendered documents strictly in input order, holding
//! early finishers in a small reorder buffer, so the output is byte-identical for any `-j`. No
//! more than [`WINDOW_PER_THREAD`] inputs per thread are in flight (taken but not yet written),
//! so memory is bounded whatever the corpus size, and read and render buffers are reused.

use crate::cli::{ExtractArgs, FormatArg};
use crate::inputs::{Input, Inputs};
use crate::pipeline::Pipeline;
use crate::progress::Progress;
use anyhow::Context;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use tablift_export::{Failure, Format, OutputOptions, OutputSet, Rendered, Renderer};
use tablift_model::read::FailureKind;

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

/// Inputs in flight (being processed, or done and waiting for the writer) per worker thread:
/// enough to absorb uneven document sizes, small enough that memory stays flat however large
/// the corpus is.
const WINDOW_PER_THREAD: usize = 8;

enum Job {
    File(Input),
    Embedded(&'static str, &'static [u8]),
    /// A directory the walk could not read: a failure in its place in the input order.
    Unreadable(Failure),
}

impl Job {
    fn source(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Job::File(i) => i.source(),
            Job::Embedded(s, _) => std::borrow::Cow::Borrowed(s),
            Job::Unreadable(f) => std::borrow::Cow::Borrowed(&f.source),
        }
    }
}

thread_local! {
    /// Each pool thread's read buffer, reused across inputs.
    static READ_BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Where the jobs come from: the bundled sample, or the (streaming) walk of the arguments.
enum Jobs {
    Sample(std::slice::Iter<'static, (&'static str, &'static [u8])>),
    Walk(Box<Inputs>),
}

impl Iterator for Jobs {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        match self {
            Jobs::Sample(it) => it.next().map(|(s, b)| Job::Embedded(s, b)),
            Jobs::Walk(it) => it.next().map(|r| match r {
                Ok(i) => Job::File(i),
                Err(f) => Job::Unreadable(f),
            }),
        }
    }
}

/// Counts for the manifest and the summary line.
#[derive(Default)]
pub struct Totals {
    pub inputs: u64,
    pub ok: u64,
    pub failed: u64,
    /// Rows per dataset, by dataset name, in the layout's order.
    pub rows: Vec<(&'static str, u64)>,
    pub failure_kinds: BTreeMap<&'static str, u64>,
}

/// What a task hands the writer for one input.
enum Outcome {
    /// The rendered rows, and the document's part of the report when one is written.
    Done(Box<Rendered>, Option<Box<tablift_report::Part>>),
    Failed(Failure, Box<Rendered>),
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Render buffers handed back by the writer for reuse (boxed: they travel through the channel
/// and back without copying their headers each time).
#[allow(clippy::vec_box)]
type Pool = Mutex<Vec<Box<Rendered>>>;

/// One input (number `index` in input order), on a pool thread.
fn run_job(
    (index, job): (usize, &Job),
    pipeline: &Pipeline,
    (renderer, report): (&Renderer, Option<&tablift_report::Renderer>),
    pool: &Pool,
) -> Outcome {
    let mut rendered = pool
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop()
        .unwrap_or_default();
    rendered.clear();
    let source = job.source();
    let report = report.map(|r| (r, index));
    let result = match job {
        Job::File(i) => READ_BUF.with(|buf| {
            let mut buf = buf.borrow_mut();
            pipeline.process_file(&i.path, &source, &mut buf, renderer, &mut rendered, report)
        }),
        Job::Embedded(s, bytes) => {
            pipeline.process_bytes(s, bytes, renderer, &mut rendered, report)
        }
        Job::Unreadable(f) => Err(f.clone()),
    };
    match result {
        Ok(part) => Outcome::Done(rendered, part.map(Box::new)),
        Err(f) => {
            // A document that failed half-way may have rendered rows: drop them.
            rendered.clear();
            Outcome::Failed(f, rendered)
        }
    }
}

/// The writer's side: outcomes in input order.
struct Writer<'a> {
    out: OutputSet,
    report: Option<tablift_report::Report>,
    totals: Totals,
    pending: BTreeMap<usize, Outcome>,
    next: usize,
    pool: &'a Pool,
    progress: &'a Progress,
}

impl Writer<'_> {
    /// Take one outcome and write every outcome that is now next in order.
    fn take(&mut self, i: usize, outcome: Outcome) -> std::io::Result<()> {
        self.pending.insert(i, outcome);
        while let Some(outcome) = self.pending.remove(&self.next) {
            let rendered = match outcome {
                Outcome::Done(rendered, part) => {
                    self.totals.ok += 1;
                    if let (Some(report), Some(part)) = (&mut self.report, part) {
                        report.add(*part);
                    }
                    for (k, (_, n)) in self.totals.rows.iter_mut().enumerate() {
                        *n += rendered.dataset_rows(k);
                    }
                    self.out.write(&rendered)?;
                    rendered
                }
                Outcome::Failed(f, rendered) => {
                    self.totals.failed += 1;
                    *self
                        .totals
                        .failure_kinds
                        .entry(f.kind.as_str())
                        .or_default() += 1;
                    self.progress
                        .println(&format!("tablift: {}: {}", f.source, f.message));
                    self.out.failure(&f)?;
                    if let Some(report) = &mut self.report {
                        report.failure(&f);
                    }
                    if let Some((_, n)) = self.totals.rows.last_mut() {
                        *n += 1;
                    }
                    rendered
                }
            };
            self.pool
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(rendered);
            self.next += 1;
        }
        Ok(())
    }
}

fn formats(args: &ExtractArgs) -> Vec<Format> {
    let mut formats: Vec<Format> = args
        .format
        .iter()
        .map(|f| match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Model => Format::Model,
            FormatArg::Parquet => Format::Parquet,
        })
        .collect();
    formats.sort();
    formats.dedup();
    formats
}

/// Run the batch; returns the totals (the caller maps them to an exit code).
pub fn run(args: &ExtractArgs) -> anyhow::Result<Totals> {
    let pipeline = Arc::new(Pipeline::from_args(&args.limits, args.tables_family()));
    let mut jobs = if args.inputs.is_empty() {
        Jobs::Sample(SAMPLE.iter())
    } else {
        Jobs::Walk(Box::new(Inputs::new(
            &args.inputs,
            pipeline.registry.extensions(),
        )))
    };
    let formats = formats(args);
    let layout = pipeline.layout();
    let rows = layout
        .datasets()
        .iter()
        .map(|d| (d.schema.name, 0))
        .collect();
    if args.output.exists() && !args.output.is_dir() {
        anyhow::bail!(
            "the output path {} is an existing file, not a directory: give a directory (it is created if missing)",
            args.output.display()
        );
    }
    let out = OutputSet::create(
        &args.output,
        layout,
        &OutputOptions {
            formats: formats.clone(),
            excel: args.excel,
        },
    )
    .with_context(|| format!("cannot create output files in {}", args.output.display()))?;

    let threads = args.jobs.map_or_else(default_threads, usize::from).max(1);
    let workers = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("tablift-{i}"))
        .build()
        .context("cannot start the worker threads")?;
    // Known only when every input is a file (a folder is walked as the run goes).
    let total = (!args.inputs.is_empty() && args.inputs.iter().all(|p| p.is_file()))
        .then_some(args.inputs.len() as u64);
    let progress = Progress::new(args.quiet, total);
    let pool: Pool = Mutex::new(Vec::new());
    let window = threads.saturating_mul(WINDOW_PER_THREAD);
    let renderer = out.renderer();
    let report_renderer = args.report.then(|| {
        pipeline.report_renderer(tablift_report::Options {
            max_documents: args.report_documents,
            ..tablift_report::Options::default()
        })
    });
    let mut writer = Writer {
        out,
        report: report_renderer.as_ref().map(tablift_report::Report::new),
        totals: Totals {
            rows,
            ..Totals::default()
        },
        pending: BTreeMap::new(),
        next: 0,
        pool: &pool,
        progress: &progress,
    };
    let write_err =
        |e| anyhow::Error::new(e).context(format!("cannot write to {}", args.output.display()));

    let (tx, rx) = channel::<(usize, Outcome)>();
    let written: std::io::Result<()> = workers.in_place_scope(|scope| {
        let mut taken = 0usize;
        let mut in_flight = 0usize;
        let spawn = |i: usize, job: Job, tx: Sender<(usize, Outcome)>| {
            let (pipeline, pool, progress) = (&pipeline, &pool, &progress);
            let renderers = (&renderer, report_renderer.as_ref());
            scope.spawn(move |_| {
                // Readers and families catch their own panics; this catches the rest, so that
                // the writer always hears back about every input it waits for.
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    run_job((i, &job), pipeline, renderers, pool)
                }))
                .unwrap_or_else(|_| {
                    let f = Failure::new(
                        &job.source(),
                        FailureKind::InternalError,
                        "tablift bug (please report): a worker panicked",
                    );
                    Outcome::Failed(f, Box::default())
                });
                progress.inc();
                // The writer stops listening only after an output error: nothing to do then.
                let _ = tx.send((i, outcome));
            });
        };
        loop {
            // Keep the window full, then wait for the next finisher.
            while in_flight < window {
                let Some(job) = jobs.next() else { break };
                spawn(taken, job, tx.clone());
                taken += 1;
                in_flight += 1;
            }
            if in_flight == 0 {
                return Ok(());
            }
            let Ok((i, outcome)) = rx.recv() else {
                return Ok(());
            };
            in_flight -= 1;
            writer.take(i, outcome)?;
        }
    });
    written.map_err(write_err)?;
    progress.finish();
    let Writer {
        out,
        mut totals,
        report,
        ..
    } = writer;
    totals.inputs = totals.ok + totals.failed;

    if let Some(report) = &report {
        write_report(report, &args.output).map_err(write_err)?;
    }

    // No timestamps or thread counts: the manifest is as reproducible as the data.
    let mut summary = serde_json::json!({
        "tool": "tablift",
        "version": env!("CARGO_PKG_VERSION"),
        "inputs": totals.inputs,
        "formats": formats.iter().map(|f| format!("{f:?}").to_lowercase()).collect::<Vec<_>>(),
        "excel_bom": args.excel,
        "tables": { "files": args.tables, "spans": args.tables_family().spans.as_str() },
        "readers": pipeline.registry.readers().map(|r| r.name()).collect::<Vec<_>>(),
        "families": pipeline.families.iter().map(|f| f.name()).collect::<Vec<_>>(),
        "limits": pipeline.limits(),
        "rows": totals.rows.iter().map(|(n, r)| ((*n).to_string(), serde_json::Value::from(*r))).collect::<serde_json::Map<_, _>>(),
        "failure_kinds": totals.failure_kinds,
    });
    if report.is_some() {
        summary["report"] = REPORT_FILE.into();
    }
    out.finish(summary).map_err(write_err)?;
    Ok(totals)
}

const REPORT_FILE: &str = "report.html";

/// `report.html`, atomically (renamed into place before the manifest says the run finished).
fn write_report(report: &tablift_report::Report, dir: &std::path::Path) -> std::io::Result<()> {
    let mut file = tablift_export::AtomicFile::create(dir, REPORT_FILE)?;
    report.write(&mut file)?;
    file.commit()
}
