//! The batch run: every input of a [`Source`] through the [`Pipeline`] into one output directory.
//!
//! The calling thread walks the inputs and is the one writer; each input is a task on a rayon
//! pool of `threads` threads that reads, parses, runs the families and renders the output bytes
//! (the bulk of the work). The writer appends rendered documents strictly in input order,
//! holding early finishers in a small reorder buffer, so the output is byte-identical for any
//! thread count. No more than [`WINDOW_PER_THREAD`] inputs per thread are in flight (taken but
//! not yet written), so memory is bounded whatever the corpus size, and read and render buffers
//! are reused.

use crate::inputs::{Input, Inputs};
use crate::Pipeline;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::Mutex;
use tablift_export::{Failure, Format, OutputOptions, OutputSet, Rendered, Renderer};
use tablift_model::read::FailureKind;

/// Inputs in flight (being processed, or done and waiting for the writer) per worker thread:
/// enough to absorb uneven document sizes, small enough that memory stays flat however large
/// the corpus is.
const WINDOW_PER_THREAD: usize = 8;

enum Job<'a> {
    File(Input),
    Buffer(&'a str, &'a [u8]),
    /// A directory the walk could not read: a failure in its place in the input order.
    Unreadable(Failure),
}

impl Job<'_> {
    fn source(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Job::File(i) => i.source(),
            Job::Buffer(s, _) => std::borrow::Cow::Borrowed(s),
            Job::Unreadable(f) => std::borrow::Cow::Borrowed(&f.source),
        }
    }
}

thread_local! {
    /// Each pool thread's read buffer, reused across inputs.
    static READ_BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// What a run reads.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// Files and directories, walked in tree order (see [`Inputs`]).
    Paths(&'a [PathBuf]),
    /// Documents already in memory, as (source name, bytes), in the order given: the name is
    /// what the `source` columns show.
    Buffers(&'a [(&'a str, &'a [u8])]),
}

/// Where the jobs come from: buffers in memory, or the (streaming) walk of the arguments.
enum Jobs<'a> {
    Buffers(std::slice::Iter<'a, (&'a str, &'a [u8])>),
    Walk(Box<Inputs>),
}

impl<'a> Iterator for Jobs<'a> {
    type Item = Job<'a>;

    fn next(&mut self) -> Option<Job<'a>> {
        match self {
            Jobs::Buffers(it) => it.next().map(|(s, b)| Job::Buffer(s, b)),
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

/// Told how the run goes (the CLI's progress bar; nothing, for the Python package).
pub trait Observer: Sync {
    /// One input is done (called on worker threads, in any order).
    fn input_done(&self) {}
    /// One input failed (called on the writing thread, in input order).
    fn failure(&self, _failure: &Failure) {}
}

/// An [`Observer`] that is told nothing.
pub struct Silent;

impl Observer for Silent {}

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
        Job::Buffer(s, bytes) => pipeline.process_bytes(s, bytes, renderer, &mut rendered, report),
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
    observer: &'a dyn Observer,
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
                    self.observer.failure(&f);
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

/// How a run writes.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Output formats (order and repeats do not matter). `failures.csv` and `manifest.json`
    /// are always written.
    pub formats: Vec<Format>,
    /// Start CSV files with a UTF-8 byte-order mark (for Excel).
    pub excel: bool,
    /// Worker threads (default: the number of CPUs). The output is the same for any number.
    pub threads: Option<usize>,
    /// Also write `report.html`, with these options.
    pub report: Option<tablift_report::Options>,
}

/// Why a run could not be completed (an input's own failure is never one: it is a row of
/// `failures.csv`).
#[derive(Debug)]
#[non_exhaustive]
pub enum RunError {
    /// The output path names an existing file.
    OutputIsAFile(PathBuf),
    /// The output directory or its files could not be created.
    Create(PathBuf, std::io::Error),
    /// The worker threads could not be started.
    Threads(String),
    /// Writing an output file failed part-way (the manifest still says unfinished).
    Write(PathBuf, std::io::Error),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::OutputIsAFile(p) => write!(
                f,
                "the output path {} is an existing file, not a directory: give a directory (it is created if missing)",
                p.display()
            ),
            RunError::Create(p, e) => {
                write!(f, "cannot create output files in {}: {e}", p.display())
            }
            RunError::Threads(e) => write!(f, "cannot start the worker threads: {e}"),
            RunError::Write(p, e) => write!(f, "cannot write to {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Create(_, e) | RunError::Write(_, e) => Some(e),
            RunError::OutputIsAFile(_) | RunError::Threads(_) => None,
        }
    }
}

/// Run the batch: every input of `source` into the directory `output` (created if missing).
/// Returns the totals (the caller maps them to an exit code or a summary).
pub fn run<'a>(
    pipeline: &Pipeline,
    source: Source<'a>,
    output: &Path,
    options: &Options,
    observer: &dyn Observer,
) -> Result<Totals, RunError> {
    let mut jobs = match source {
        Source::Buffers(b) => Jobs::Buffers(b.iter()),
        Source::Paths(p) => Jobs::Walk(Box::new(Inputs::new(p, pipeline.registry.extensions()))),
    };
    let mut formats = options.formats.clone();
    formats.sort();
    formats.dedup();
    let layout = pipeline.layout();
    let rows = layout
        .datasets()
        .iter()
        .map(|d| (d.schema.name, 0))
        .collect();
    if output.exists() && !output.is_dir() {
        return Err(RunError::OutputIsAFile(output.to_path_buf()));
    }
    let out = OutputSet::create(
        output,
        layout,
        &OutputOptions {
            formats: formats.clone(),
            excel: options.excel,
        },
    )
    .map_err(|e| RunError::Create(output.to_path_buf(), e))?;

    let threads = options.threads.unwrap_or_else(default_threads).max(1);
    let workers = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("tablift-{i}"))
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let pool: Pool = Mutex::new(Vec::new());
    let window = threads.saturating_mul(WINDOW_PER_THREAD);
    let renderer = out.renderer();
    let report_renderer = options
        .report
        .as_ref()
        .map(|o| pipeline.report_renderer(o.clone()));
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
        observer,
    };
    let write_err = |e| RunError::Write(output.to_path_buf(), e);

    let (tx, rx) = channel::<(usize, Outcome)>();
    let written: std::io::Result<()> = workers.in_place_scope(|scope| {
        let mut taken = 0usize;
        let mut in_flight = 0usize;
        let spawn = |i: usize, job: Job<'a>, tx: Sender<(usize, Outcome)>| {
            let pool = &pool;
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
                observer.input_done();
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
    let Writer {
        out,
        mut totals,
        report,
        ..
    } = writer;
    totals.inputs = totals.ok + totals.failed;

    if let Some(report) = &report {
        write_report(report, output).map_err(write_err)?;
    }

    // No timestamps or thread counts: the manifest is as reproducible as the data.
    let mut summary = serde_json::json!({
        "tool": "tablift",
        "version": env!("CARGO_PKG_VERSION"),
        "inputs": totals.inputs,
        "formats": formats.iter().map(|f| format!("{f:?}").to_lowercase()).collect::<Vec<_>>(),
        "excel_bom": options.excel,
        "tables": { "files": pipeline.tables.files, "spans": pipeline.tables.spans.as_str() },
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

/// The report's file name in the output directory.
pub const REPORT_FILE: &str = "report.html";

/// `report.html`, atomically (renamed into place before the manifest says the run finished).
fn write_report(report: &tablift_report::Report, dir: &Path) -> std::io::Result<()> {
    let mut file = tablift_export::AtomicFile::create(dir, REPORT_FILE)?;
    report.write(&mut file)?;
    file.commit()
}
