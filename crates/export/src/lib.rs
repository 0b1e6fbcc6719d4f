//! Writes any family's datasets as CSV files, JSON Lines and a run manifest, crash-safely.
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
//! The exporter knows datasets and column types ([`tablift_dataset::Schema`]), never a
//! family: a [`Layout`] lists every registered family's datasets, and each becomes
//! `NAME.csv`. Writing is split in two so that batch runs scale with cores: a [`Renderer`]
//! turns a document's family outputs into bytes for every file (a [`Rendered`], on any thread,
//! buffers reused), and [`OutputSet::write`] appends those bytes, in whatever order the caller
//! keeps. The formats are the CSV datasets, `documents.jsonl` (one JSON object per document,
//! with the members each family adds) and `model.jsonl` (one document model per line).
//!
//! ```
//! use tablift_dataset::{Column, ColumnType, Schema};
//! use tablift_export::{Format, Layout, OutputOptions, OutputSet};
//! const PEOPLE: &[Schema] = &[Schema::new("people", &[Column::new("name", ColumnType::Text)])];
//! let dir = std::env::temp_dir().join(format!("tablift-doc-{}", std::process::id()));
//! let layout = Layout::new([("demo", PEOPLE)]);
//! let options = OutputOptions { formats: vec![Format::Csv], excel: false };
//! let out = OutputSet::create(&dir, layout, &options)?;
//! let manifest = out.finish(serde_json::json!({ "inputs": 0 }))?;
//! assert_eq!(std::fs::read_to_string(dir.join("people.csv"))?, "name\n");
//! assert_eq!(manifest["finished"], true);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not for: deciding what a value means (that is a family) or which files to read.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod atomic;
mod columnar;
mod layout;
mod quote;
mod render;
mod schema;

pub use atomic::AtomicFile;
#[cfg(feature = "parquet")]
pub use columnar::arrow_schema;
pub use columnar::{ParquetError, DECIMAL_PRECISION, ROW_GROUP_ROWS, TYPE_METADATA_KEY};
pub use layout::{Dataset, Layout};
pub use render::{Rendered, Renderer};
pub use schema::describe;

use columnar::ParquetFile;
use layout::Slot;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub use tablift_model::read::Failure;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// The CSV datasets.
    Csv,
    /// `documents.jsonl`: each document's records, nested.
    Jsonl,
    /// `model.jsonl`: each document's model (blocks, tables with spans, fields, origins).
    Model,
    /// One Parquet file per dataset (`projects.parquet`, …, `failures.parquet`): typed
    /// columns, zstd, dictionary-encoded strings.
    Parquet,
}

/// What to write.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    /// Formats to write; `failures.csv` and `manifest.json` are always written.
    pub formats: Vec<Format>,
    /// Start CSV files with a UTF-8 BOM so that Excel shows Chinese text correctly.
    pub excel: bool,
}

/// One open output file and the slot whose bytes it takes.
struct File {
    slot: Slot,
    name: String,
    file: AtomicFile,
    rows: u64,
}

/// One dataset's Parquet file.
struct ParquetOut {
    /// Index into [`Layout::datasets`].
    dataset: usize,
    name: String,
    file: ParquetFile,
    rows: u64,
}

/// Every output file of one run, in one directory.
pub struct OutputSet {
    dir: PathBuf,
    files: Vec<File>,
    parquet: Vec<ParquetOut>,
    renderer: Renderer,
    scratch: Rendered,
    documents: u64,
    failures: u64,
    /// Start files with a UTF-8 BOM (`tables/` files too).
    excel: bool,
    /// `tables/` files written, and the directories made for them.
    table_files: u64,
    table_dirs: std::collections::HashSet<PathBuf>,
}

impl OutputSet {
    /// Create the directory (if needed) and open every output file under a temporary name:
    /// one CSV per dataset of `layout` (with the CSV format; `failures.csv` always), and the
    /// JSON Lines files asked for.
    pub fn create(dir: &Path, layout: Layout, options: &OutputOptions) -> io::Result<OutputSet> {
        std::fs::create_dir_all(dir)?;
        // A manifest from an earlier run would vouch for files this run is about to replace:
        // replace it (atomically) by one that says this run has not finished. If the run dies,
        // that is what the directory keeps saying.
        let mut f = AtomicFile::create(dir, "manifest.json")?;
        io::Write::write_all(&mut f, b"{\n  \"finished\": false\n}\n")?;
        f.commit()?;
        // Durable before any data file of this run can be renamed over an earlier one's.
        sync_dir(dir)?;
        let csv = options.formats.contains(&Format::Csv);
        let mut files = Vec::new();
        for (i, d) in layout.datasets().iter().enumerate() {
            if !csv && d.family.is_some() {
                continue;
            }
            let Some(name) = layout.csv_name(i) else {
                continue;
            };
            let mut file = AtomicFile::create(dir, &name)?;
            if options.excel {
                io::Write::write_all(&mut file, "\u{feff}".as_bytes())?;
            }
            let mut header = csv::Writer::from_writer(Vec::new());
            header.write_record(d.schema.header())?;
            io::Write::write_all(&mut file, &header.into_inner().map_err(|e| e.into_error())?)?;
            files.push(File {
                slot: Slot::Csv(i),
                name,
                file,
                rows: 0,
            });
        }
        for (format, slot, name) in [
            (Format::Jsonl, Slot::Jsonl, "documents.jsonl"),
            (Format::Model, Slot::Model, "model.jsonl"),
        ] {
            if options.formats.contains(&format) {
                let file = AtomicFile::create(dir, name)?;
                files.push(File {
                    slot,
                    name: name.to_string(),
                    file,
                    rows: 0,
                });
            }
        }
        let parquet = if options.formats.contains(&Format::Parquet) {
            parquet_files(dir, &layout)?
        } else {
            Vec::new()
        };
        Ok(OutputSet {
            dir: dir.to_path_buf(),
            files,
            parquet,
            renderer: Renderer::new(Arc::new(layout), &options.formats),
            scratch: Rendered::new(),
            documents: 0,
            failures: 0,
            excel: options.excel,
            table_files: 0,
            table_dirs: std::collections::HashSet::new(),
        })
    }

    /// A renderer for this run's datasets and formats, to render documents on other threads.
    pub fn renderer(&self) -> Renderer {
        self.renderer.clone()
    }

    /// Append rendered documents and failures (from [`OutputSet::renderer`]) to the files.
    pub fn write(&mut self, rendered: &Rendered) -> io::Result<()> {
        self.documents += rendered.documents;
        self.failures += rendered.failures;
        for f in &mut self.files {
            rendered.with_slot_bytes(f.slot, |b| io::Write::write_all(&mut f.file, b))?;
            f.rows += rendered.slot_rows(f.slot);
        }
        rendered
            .table_files
            .each(|name, bytes| self.write_table(name, "csv", bytes))?;
        rendered
            .table_files
            .each_parquet(|name, bytes| self.write_table(name, "parquet", bytes))?;
        self.table_files += rendered.table_files.len() as u64;
        for p in &mut self.parquet {
            if let Some(rows) = rendered.typed(p.dataset) {
                p.file.append(rows)?;
            }
            p.rows += rendered.dataset_rows(p.dataset);
        }
        Ok(())
    }

    /// Write `tables/NAME.EXT` (`csv`, or `parquet` with that format) under a temporary
    /// name, then rename it. Not synced here: one sync of the file system in
    /// [`OutputSet::finish`], before the manifest says the run finished, covers every such
    /// file (a sync per file would cost more than the writing).
    fn write_table(&mut self, name: &str, extension: &str, bytes: &[u8]) -> io::Result<()> {
        let safe = !name.is_empty()
            && Path::new(name)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !safe {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("table file name {name:?} is not a plain relative path"),
            ));
        }
        let path = self.dir.join("tables").join(format!("{name}.{extension}"));
        let (Some(parent), Some(file_name)) = (path.parent(), path.file_name()) else {
            return Err(io::Error::other(format!(
                "no directory for {}",
                path.display()
            )));
        };
        if !self.table_dirs.contains(parent) {
            std::fs::create_dir_all(parent)?;
            self.table_dirs.insert(parent.to_path_buf());
        }
        let partial = parent.join(format!(".{}.partial", file_name.to_string_lossy()));
        let mut f = std::fs::File::create(&partial)?;
        if self.excel && extension == "csv" {
            io::Write::write_all(&mut f, "\u{feff}".as_bytes())?;
        }
        io::Write::write_all(&mut f, bytes)?;
        #[cfg(not(target_os = "linux"))]
        f.sync_all()?;
        drop(f);
        std::fs::rename(&partial, &path)
    }

    /// Write one failure.
    pub fn failure(&mut self, failure: &Failure) -> io::Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let r = self
            .renderer
            .failure(failure, &mut scratch)
            .and_then(|()| self.write(&scratch));
        self.scratch = scratch;
        r
    }

    /// Finish every file, then write `manifest.json` (atomically, last) from `summary` plus the
    /// output file list, the counts and `"finished": true`. Returns the manifest.
    pub fn finish(self, summary: serde_json::Value) -> io::Result<serde_json::Value> {
        let mut files = serde_json::Map::new();
        for f in self.files {
            f.file.commit()?;
            files.insert(f.name, serde_json::json!({ "rows": f.rows }));
        }
        for p in self.parquet {
            p.file.finish()?.commit()?;
            files.insert(p.name, serde_json::json!({ "rows": p.rows }));
        }
        if self.table_files > 0 {
            // The tables/ files were written unsynced: one sync of the file system makes
            // them and their renames durable together.
            #[cfg(target_os = "linux")]
            rustix::fs::syncfs(std::fs::File::open(&self.dir)?)?;
            files.insert(
                "tables/".into(),
                serde_json::json!({ "files": self.table_files }),
            );
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

/// One Parquet file (under its temporary name) per dataset of `layout`, `failures` included.
fn parquet_files(dir: &Path, layout: &Layout) -> io::Result<Vec<ParquetOut>> {
    let mut out = Vec::new();
    for (i, d) in layout.datasets().iter().enumerate() {
        let name = format!("{}.parquet", d.schema.name);
        let file = ParquetFile::create(AtomicFile::create(dir, &name)?, &d.schema)?;
        out.push(ParquetOut {
            dataset: i,
            name,
            file,
            rows: 0,
        });
    }
    Ok(out)
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
