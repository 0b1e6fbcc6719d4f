//! Writes tablift records as CSV files, JSON Lines and a run manifest, crash-safely.
//!
//! # Brief overview
//!
//! An [`OutputSet`] owns one output directory. Every dataset file is written under a temporary
//! name (`.projects.csv.partial`) and renamed to its final name only by [`OutputSet::finish`],
//! after every record was written and flushed; `manifest.json` is written last, so a directory
//! whose manifest says `"finished": true` holds complete files. Records stream through: nothing
//! is collected for the whole run.
//!
//! Each format is an [`Exporter`]: [`CsvExporter`] writes the long-form CSV datasets
//! (`projects.csv`, `indicators.csv`, …), [`JsonlExporter`] writes one nested JSON object per
//! document to `documents.jsonl`.
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
mod jsonl;

pub use atomic::AtomicFile;
pub use csv_out::CsvExporter;
pub use jsonl::JsonlExporter;

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
    /// `documents.jsonl`.
    Jsonl,
}

/// What to write.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    /// Formats to write; `failures.csv` and `manifest.json` are always written.
    pub formats: Vec<Format>,
    /// Start CSV files with a UTF-8 BOM so that Excel shows Chinese text correctly.
    pub excel: bool,
}

/// A sink for documents and failures in one format.
pub trait Exporter {
    /// Write one document's records.
    fn document(&mut self, doc: &ExportDoc<'_>) -> io::Result<()>;
    /// Write one failure.
    fn failure(&mut self, failure: &Failure) -> io::Result<()>;
    /// Flush everything and move the files to their final names. Returns `(file, rows)` pairs.
    fn finish(self: Box<Self>) -> io::Result<Vec<(String, u64)>>;
}

/// All exporters of one run, writing into one directory.
pub struct OutputSet {
    dir: PathBuf,
    exporters: Vec<Box<dyn Exporter + Send>>,
    documents: u64,
    failures: u64,
}

impl OutputSet {
    /// Create the directory (if needed) and open every output file under a temporary name.
    pub fn create(dir: &Path, options: &OutputOptions) -> io::Result<OutputSet> {
        std::fs::create_dir_all(dir)?;
        // A manifest from an earlier run would vouch for files this run is about to replace.
        match std::fs::remove_file(dir.join("manifest.json")) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut exporters: Vec<Box<dyn Exporter + Send>> = Vec::new();
        exporters.push(Box::new(CsvExporter::create(
            dir,
            options.excel,
            options.formats.contains(&Format::Csv),
        )?));
        if options.formats.contains(&Format::Jsonl) {
            exporters.push(Box::new(JsonlExporter::create(dir)?));
        }
        Ok(OutputSet {
            dir: dir.to_path_buf(),
            exporters,
            documents: 0,
            failures: 0,
        })
    }

    /// Write one document to every exporter.
    pub fn document(&mut self, doc: &ExportDoc<'_>) -> io::Result<()> {
        self.documents += 1;
        for e in &mut self.exporters {
            e.document(doc)?;
        }
        Ok(())
    }

    /// Write one failure to every exporter.
    pub fn failure(&mut self, failure: &Failure) -> io::Result<()> {
        self.failures += 1;
        for e in &mut self.exporters {
            e.failure(failure)?;
        }
        Ok(())
    }

    /// Finish every file, then write `manifest.json` (atomically, last) from `summary` plus the
    /// output file list, the counts and `"finished": true`. Returns the manifest.
    pub fn finish(self, summary: serde_json::Value) -> io::Result<serde_json::Value> {
        let mut files = serde_json::Map::new();
        for e in self.exporters {
            for (name, rows) in e.finish()? {
                files.insert(name, serde_json::json!({ "rows": rows }));
            }
        }
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
        Ok(manifest)
    }
}
