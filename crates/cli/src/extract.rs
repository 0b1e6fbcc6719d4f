//! `tablift extract`: the batch run.
//!
//! `-j N` worker threads each take the next input, read, parse and normalise it, and render its
//! output bytes (the bulk of the work); the main thread is the writer: it appends rendered
//! documents strictly in input order, holding early finishers in a small reorder buffer, so the
//! output is byte-identical for any `-j`. Workers never run more than [`WINDOW_PER_THREAD`]
//! inputs per thread ahead of the writer, so memory is bounded whatever the corpus size, and
//! each worker reuses its read and render buffers.

use crate::cli::{ExtractArgs, FormatArg};
use crate::inputs::{Input, Inputs};
use crate::pipeline::{process_bytes, process_file, InputKind, Processed, Readers};
use crate::progress::Progress;
use anyhow::Context;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Condvar, Mutex};
use tablift_export::{ExportDoc, Failure, Format, OutputOptions, OutputSet, Rendered, Renderer};

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

    fn run(&self, readers: &Readers, buf: &mut Vec<u8>) -> Result<Processed, Failure> {
        match self {
            Job::File(i) => process_file(&i.path, &i.source(), readers, buf),
            Job::Embedded(s, bytes) => process_bytes(
                s,
                InputKind::of(std::path::Path::new(s), bytes),
                bytes,
                readers,
            ),
            Job::Unreadable(f) => Err(f.clone()),
        }
    }
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

/// The job source with the index of the next job: workers take both under one lock, so the
/// index is the job's place in the input order.
struct Queue {
    jobs: Jobs,
    taken: usize,
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

/// State shared by the workers and the writer.
struct Shared {
    /// The inputs not yet taken (found as they are taken: the walk streams).
    queue: Mutex<Queue>,
    /// Inputs written so far (the writer's position).
    written: Mutex<usize>,
    /// Signalled when `written` moves or the run stops.
    advanced: Condvar,
    /// Set when the writer gave up (an output error): workers stop.
    stop: AtomicBool,
    /// Render buffers handed back by the writer for reuse (boxed: they travel through the
    /// channel and back without copying their 9 buffer headers each time).
    #[allow(clippy::vec_box)]
    pool: Mutex<Vec<Box<Rendered>>>,
    /// Most inputs taken but not yet written.
    window: usize,
}

/// What a worker hands the writer for one input.
enum Outcome {
    Done {
        rendered: Box<Rendered>,
        projects: u64,
        indicators: u64,
        flags: u64,
    },
    Failed(Failure),
    /// Rendering failed (serialisation error): reported by the writer as a write error.
    Broken(std::io::Error),
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn worker(
    shared: &Shared,
    readers: &Readers,
    renderer: &Renderer,
    progress: &Progress,
    tx: SyncSender<(usize, Outcome)>,
) {
    let mut buf = Vec::new();
    loop {
        let (i, job) = {
            let mut q = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            let Some(job) = q.jobs.next() else { return };
            q.taken += 1;
            (q.taken - 1, job)
        };
        // Stay within the window: wait for the writer rather than pile up finished documents.
        {
            let mut written = shared.written.lock().unwrap_or_else(|e| e.into_inner());
            while i >= written.saturating_add(shared.window) && !shared.stop.load(Ordering::SeqCst)
            {
                written = shared
                    .advanced
                    .wait(written)
                    .unwrap_or_else(|e| e.into_inner());
            }
        }
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let outcome = match job.run(readers, &mut buf) {
            Ok(p) => {
                let mut rendered = shared
                    .pool
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .pop()
                    .unwrap_or_default();
                rendered.clear();
                let source = job.source();
                let doc = ExportDoc {
                    source: &source,
                    document: &p.document,
                    extraction: &p.extraction,
                };
                match renderer.document(&doc, &mut rendered) {
                    Ok(()) => Outcome::Done {
                        rendered,
                        projects: p.extraction.projects.len() as u64,
                        indicators: p
                            .extraction
                            .projects
                            .iter()
                            .map(|p| p.indicators.len() as u64)
                            .sum(),
                        flags: p.extraction.flags.len() as u64,
                    },
                    Err(e) => Outcome::Broken(e),
                }
                // `p` (the document and its records) is freed here, on the thread that built it.
            }
            Err(f) => Outcome::Failed(f),
        };
        progress.inc();
        if tx.send((i, outcome)).is_err() {
            return;
        }
    }
}

/// The writer: append outcomes in input order as they arrive.
fn write_in_order(
    shared: &Shared,
    rx: &Receiver<(usize, Outcome)>,
    out: &mut OutputSet,
    totals: &mut Totals,
    progress: &Progress,
) -> std::io::Result<()> {
    let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut next = 0usize;
    for (i, outcome) in rx {
        pending.insert(i, outcome);
        let before = next;
        while let Some(outcome) = pending.remove(&next) {
            match outcome {
                Outcome::Done {
                    rendered,
                    projects,
                    indicators,
                    flags,
                } => {
                    totals.ok += 1;
                    totals.projects += projects;
                    totals.indicators += indicators;
                    totals.flags += flags;
                    out.write(&rendered)?;
                    shared
                        .pool
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(rendered);
                }
                Outcome::Failed(f) => {
                    totals.failed += 1;
                    *totals.failure_kinds.entry(f.kind.clone()).or_default() += 1;
                    progress.println(&format!("tablift: {}: {}", f.source, f.message));
                    out.failure(&f)?;
                }
                Outcome::Broken(e) => return Err(e),
            }
            next += 1;
        }
        if next != before {
            *shared.written.lock().unwrap_or_else(|e| e.into_inner()) = next;
            shared.advanced.notify_all();
        }
    }
    Ok(())
}

/// Run the batch; returns the totals (the caller maps them to an exit code).
pub fn run(args: &ExtractArgs) -> anyhow::Result<Totals> {
    let readers = Readers::from_args(&args.limits);
    let jobs = if args.inputs.is_empty() {
        Jobs::Sample(SAMPLE.iter())
    } else {
        Jobs::Walk(Box::new(Inputs::new(&args.inputs)))
    };
    let mut formats: Vec<Format> = args
        .format
        .iter()
        .map(|f| match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Model => Format::Model,
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

    let threads = args.jobs.unwrap_or_else(default_threads).max(1);
    let progress = Progress::new(args.quiet);
    let mut totals = Totals::default();
    let write_err =
        |e| anyhow::Error::new(e).context(format!("cannot write to {}", args.output.display()));

    let window = threads.saturating_mul(WINDOW_PER_THREAD);
    let shared = Shared {
        queue: Mutex::new(Queue { jobs, taken: 0 }),
        written: Mutex::new(0),
        advanced: Condvar::new(),
        stop: AtomicBool::new(false),
        pool: Mutex::new(Vec::new()),
        window,
    };
    let renderer = out.renderer();
    let (tx, rx) = sync_channel::<(usize, Outcome)>(window);
    let written = std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (shared, readers, renderer, progress) = (&shared, &readers, &renderer, &progress);
            s.spawn(move || worker(shared, readers, renderer, progress, tx));
        }
        drop(tx);
        let r = write_in_order(&shared, &rx, &mut out, &mut totals, &progress);
        // On a write error, release the workers (they stop at their next input).
        {
            // Under the lock, so no worker can check `stop` and then miss the wake-up.
            let _written = shared.written.lock().unwrap_or_else(|e| e.into_inner());
            shared.stop.store(true, Ordering::SeqCst);
        }
        shared.advanced.notify_all();
        drop(rx);
        r
    });
    written.map_err(write_err)?;
    progress.finish();
    totals.inputs = totals.ok + totals.failed;

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
