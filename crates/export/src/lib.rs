//! Writes tablift records as CSV files, JSON Lines and a run manifest, crash-safely.
//!
//! # Brief overview
//!
//! An [`OutputSet`] owns one output directory. Every dataset file is written under a temporary
//! name (`.projects.csv.partial`) and renamed to its final name only by [`OutputSet::finish`],
//! after every record was written and flushed. `manifest.json` says `"finished": false` from
//! the moment a run starts and is replaced last, so a directory whose manifest says
//! `"finished": true` holds complete files. Records stream through: nothing
//! is collected for the whole run.
//!
//! Writing is split in two so that batch runs scale with cores: a [`Renderer`] turns a
//! document into its output bytes for every file (a [`Rendered`], on any thread, buffers
//! reused), and [`OutputSet::write`] appends those bytes, in whatever order the caller keeps.
//! [`OutputSet::document`] does both at once. The formats are the long-form CSV datasets
//! (`projects.csv`, `indicators.csv`, …), `documents.jsonl` (one nested JSON object of records
//! per document) and `model.jsonl` (one document model per line).
//!
//! ```
//! use tablift_export::{Format, OutputOptions, OutputSet};
//! let dir = std::env::temp_dir().join(format!("tablift-doc-{}", std::process::id()));
//! let out = OutputSet::create(&dir, &OutputOptions { formats: vec![Format::Csv], excel: false })?;
//! let manifest = out.finish(serde_json::json!({ "inputs": 0 }))?;
//! assert!(dir.join("projects.csv").exists());
//! assert_eq!(manifest["finished"], true);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not for: deciding what a value means (that is `tablift-budget`) or which files to read.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod atomic;
mod csv_out;
mod json;
mod jsonl;
mod render;
mod swar;

pub use atomic::AtomicFile;
pub use csv_out::{
    FAILURES_HEADER, FLAGS_HEADER, GOALS_HEADER, INDICATORS_HEADER, PLAN_HEADER, PROJECTS_HEADER,
    SECTIONS_HEADER, TABLES_HEADER,
};
pub use render::{Rendered, Renderer};

use render::{Slot, SLOTS};

use std::io;
use std::path::{Path, PathBuf};
use tablift_budget::Extraction;
use tablift_model::Document;

/// One successfully read document, ready to export.
#[derive(Clone, Copy, Debug)]
pub struct ExportDoc<'a> {
    /// The input path as given.
    pub source: &'a str,
    /// The document model (its tables go to `tables.csv`).
    pub document: &'a Document,
    /// The normalised records.
    pub extraction: &'a Extraction,
}

/// One input that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    /// The input path as given.
    pub source: String,
    /// Stable snake_case kind (`not_a_zip`, `line_too_long`, `io`, …).
    pub kind: String,
    /// A human message.
    pub message: String,
    /// Where in the input, when known (`line 12 (byte 340)`, `word/document.xml byte 1234`).
    pub position: String,
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// The CSV datasets.
    Csv,
    /// `documents.jsonl`: each document's records, nested.
    Jsonl,
    /// `model.jsonl`: each document's model (blocks, tables with spans, fields, origins).
    Model,
}

/// What to write.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    /// Formats to write; `failures.csv` and `manifest.json` are always written.
    pub formats: Vec<Format>,
    /// Start CSV files with a UTF-8 BOM so that Excel shows Chinese text correctly.
    pub excel: bool,
}

/// Open output files, one per [`Slot`] in use, with their row counts.
struct Files {
    files: [Option<AtomicFile>; SLOTS],
    rows: [u64; SLOTS],
}

impl Files {
    /// Open the files of `slots` under temporary names, CSV ones with their header (and a BOM
    /// when `bom`).
    fn create(dir: &Path, slots: &[Slot], bom: bool) -> io::Result<Files> {
        let mut files: [Option<AtomicFile>; SLOTS] = Default::default();
        for &slot in slots {
            let mut f = AtomicFile::create(dir, slot.name())?;
            if let Some(header) = slot.header() {
                if bom {
                    io::Write::write_all(&mut f, "\u{feff}".as_bytes())?;
                }
                // Header names are plain ASCII words: no quoting needed.
                io::Write::write_all(&mut f, header.join(",").as_bytes())?;
                io::Write::write_all(&mut f, b"\n")?;
            }
            if let Some(s) = files.get_mut(slot.index()) {
                *s = Some(f);
            }
        }
        Ok(Files {
            files,
            rows: [0; SLOTS],
        })
    }

    fn write(&mut self, r: &Rendered) -> io::Result<()> {
        for slot in Slot::ALL {
            let (bytes, rows) = r.slot(slot);
            if let (Some(Some(f)), Some(n)) = (
                self.files.get_mut(slot.index()),
                self.rows.get_mut(slot.index()),
            ) {
                io::Write::write_all(f, bytes)?;
                *n += rows;
            }
        }
        Ok(())
    }

    /// Flush, sync and rename every file; `(file, rows)` pairs in slot order.
    fn finish(self) -> io::Result<Vec<(String, u64)>> {
        let mut out = Vec::new();
        for ((slot, f), rows) in Slot::ALL.into_iter().zip(self.files).zip(self.rows) {
            if let Some(f) = f {
                f.commit()?;
                out.push((slot.name().to_string(), rows));
            }
        }
        Ok(out)
    }
}

/// The run's files plus a renderer and a scratch buffer, for writing one document at a time.
struct Sink {
    files: Files,
    renderer: Renderer,
    scratch: Rendered,
}

impl Sink {
    fn document(&mut self, doc: &ExportDoc<'_>) -> io::Result<()> {
        self.scratch.clear();
        self.renderer.document(doc, &mut self.scratch)?;
        self.files.write(&self.scratch)
    }

    fn failure(&mut self, failure: &Failure) -> io::Result<()> {
        self.scratch.clear();
        self.renderer.failure(failure, &mut self.scratch);
        self.files.write(&self.scratch)
    }
}

/// Every output file of one run, in one directory.
pub struct OutputSet {
    dir: PathBuf,
    sink: Sink,
    documents: u64,
    failures: u64,
}

impl OutputSet {
    /// Create the directory (if needed) and open every output file under a temporary name.
    pub fn create(dir: &Path, options: &OutputOptions) -> io::Result<OutputSet> {
        std::fs::create_dir_all(dir)?;
        // A manifest from an earlier run would vouch for files this run is about to replace:
        // replace it (atomically) by one that says this run has not finished. If the run dies,
        // that is what the directory keeps saying.
        let mut f = AtomicFile::create(dir, "manifest.json")?;
        io::Write::write_all(&mut f, b"{\n  \"finished\": false\n}\n")?;
        f.commit()?;
        // Durable before any data file of this run can be renamed over an earlier one's.
        sync_dir(dir)?;
        let slots: Vec<Slot> = Slot::ALL
            .into_iter()
            .filter(|s| match s {
                Slot::Failures => true,
                Slot::Jsonl => options.formats.contains(&Format::Jsonl),
                Slot::Model => options.formats.contains(&Format::Model),
                _ => options.formats.contains(&Format::Csv),
            })
            .collect();
        Ok(OutputSet {
            dir: dir.to_path_buf(),
            sink: Sink {
                files: Files::create(dir, &slots, options.excel)?,
                renderer: Renderer::new(&options.formats),
                scratch: Rendered::new(),
            },
            documents: 0,
            failures: 0,
        })
    }

    /// A renderer for this run's formats, to render documents on other threads.
    pub fn renderer(&self) -> Renderer {
        self.sink.renderer.clone()
    }

    /// Append rendered documents and failures (from [`OutputSet::renderer`]) to the files.
    pub fn write(&mut self, rendered: &Rendered) -> io::Result<()> {
        self.documents += rendered.documents;
        self.failures += rendered.failures;
        self.sink.files.write(rendered)
    }

    /// Write one document to every file.
    pub fn document(&mut self, doc: &ExportDoc<'_>) -> io::Result<()> {
        self.documents += 1;
        self.sink.document(doc)
    }

    /// Write one failure.
    pub fn failure(&mut self, failure: &Failure) -> io::Result<()> {
        self.failures += 1;
        self.sink.failure(failure)
    }

    /// Finish every file, then write `manifest.json` (atomically, last) from `summary` plus the
    /// output file list, the counts and `"finished": true`. Returns the manifest.
    pub fn finish(self, summary: serde_json::Value) -> io::Result<serde_json::Value> {
        let mut files = serde_json::Map::new();
        for (name, rows) in self.sink.files.finish()? {
            files.insert(name, serde_json::json!({ "rows": rows }));
        }
        // The renames must be on disk before a manifest says the run finished: a rename is
        // durable only once its directory is synced.
        sync_dir(&self.dir)?;
        let mut manifest = match summary {
            serde_json::Value::Object(m) => m,
            other => {
                let mut m = serde_json::Map::new();
                m.insert("summary".into(), other);
                m
            }
        };
        manifest.insert("documents_ok".into(), self.documents.into());
        manifest.insert("documents_failed".into(), self.failures.into());
        manifest.insert("files".into(), serde_json::Value::Object(files));
        manifest.insert("finished".into(), true.into());
        let manifest = serde_json::Value::Object(manifest);
        let mut f = AtomicFile::create(&self.dir, "manifest.json")?;
        serde_json::to_writer_pretty(&mut f, &manifest)?;
        io::Write::write_all(&mut f, b"\n")?;
        f.commit()?;
        sync_dir(&self.dir)?;
        Ok(manifest)
    }
}

/// Make the directory's entries (renames) durable. Unix only: elsewhere directories cannot
/// be opened for syncing, and renames are made durable by the file system's own journal.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
