//! `tablift._native`: the Rust half of the Python package.
//!
//! One function, [`extract_parquet`]: a batch run of the same [`tablift_pipeline`] the CLI
//! uses, with the GIL released, into a private temporary directory as Parquet, whose files
//! are handed back as bytes (and removed). The Python half (`python/tablift/__init__.py`)
//! turns them into `pyarrow.Table`s. Going through the CLI's own writer means a file gives the
//! same typed rows, byte for byte, from Python as from `tablift extract --format parquet`
//! (the Spark job's test relies on it); the cost is one Parquet encode and decode per run,
//! small beside the reading (docs/PERFORMANCE.md).
//!
//! What it is not for: options the CLI has for files on disk (`--excel`, the report, CSV and
//! JSON Lines output), which the caller can have from the CLI.
#![forbid(unsafe_code)]

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use std::path::{Path, PathBuf};
use tablift_export::Format;
use tablift_pipeline::batch::{self, Silent, Source};
use tablift_pipeline::{Limits, Pipeline};

/// What one run hands back to Python: its datasets and its rectangular tables as Parquet
/// bytes, and its counts.
type Extracted = (
    Vec<(String, Vec<u8>)>,
    Vec<(String, Vec<u8>)>,
    (u64, u64, u64),
);

/// Files by name, as Python bytes.
type Named<'py> = Vec<(String, Bound<'py, PyBytes>)>;

/// Run a batch on `paths` (files and directories, walked as the CLI walks them) or on
/// `buffers` ((name, bytes) pairs; the name is the `source` column and, by its extension,
/// helps route bytes no reader claims by content), not both.
///
/// Returns `(datasets, tables, (inputs, ok, failed))`: every dataset as `(name, Parquet
/// bytes)` in the CLI's order (failures included), and with `tables` every rectangular
/// table's Parquet bytes as `(file, bytes)`, `file` as `tables_index` names it
/// (`tables/sample/seed.docx.t003.csv`).
#[pyfunction]
#[pyo3(signature = (paths, buffers, threads=None, tables=false, spans="fill"))]
fn extract_parquet<'py>(
    py: Python<'py>,
    paths: Vec<PathBuf>,
    buffers: Vec<(String, PyBackedBytes)>,
    threads: Option<usize>,
    tables: bool,
    spans: &str,
) -> PyResult<(Named<'py>, Named<'py>, (u64, u64, u64))> {
    if !paths.is_empty() && !buffers.is_empty() {
        return Err(PyValueError::new_err(
            "give paths or (name, bytes) buffers, not both in one call",
        ));
    }
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be 1 or more"));
    }
    let spans = match spans {
        "fill" => tablift_tables::Spans::Fill,
        "blank" => tablift_tables::Spans::Blank,
        other => {
            return Err(PyValueError::new_err(format!(
                "spans must be 'fill' or 'blank', not {other:?}"
            )))
        }
    };
    let family = tablift_tables::TablesFamily {
        files: tables,
        spans,
    };
    // PyBackedBytes keeps the bytes alive and readable without the GIL.
    let views: Vec<(&str, &[u8])> = buffers.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    let run = || -> Result<Extracted, String> {
        let source = if views.is_empty() {
            Source::Paths(&paths)
        } else {
            Source::Buffers(&views)
        };
        extract_to_memory(source, threads, family)
    };
    let (datasets, table_files, counts) = py.detach(run).map_err(PyOSError::new_err)?;
    let bytes = |v: Vec<(String, Vec<u8>)>| {
        v.into_iter()
            .map(|(n, b)| (n, PyBytes::new(py, &b)))
            .collect::<Vec<_>>()
    };
    Ok((bytes(datasets), bytes(table_files), counts))
}

/// The batch into a temporary directory, read back (the directory is removed on return).
fn extract_to_memory(
    source: Source<'_>,
    threads: Option<usize>,
    family: tablift_tables::TablesFamily,
) -> Result<Extracted, String> {
    let pipeline = Pipeline::new(&Limits::default(), family);
    let dir = tempfile::Builder::new()
        .prefix("tablift-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let options = batch::Options {
        formats: vec![Format::Parquet],
        threads,
        ..batch::Options::default()
    };
    let totals =
        batch::run(&pipeline, source, dir.path(), &options, &Silent).map_err(|e| e.to_string())?;
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let mut datasets = Vec::new();
    for d in pipeline.layout().datasets() {
        let name = d.schema.name;
        datasets.push((
            name.to_string(),
            read(&dir.path().join(format!("{name}.parquet")))?,
        ));
    }
    let mut table_files = Vec::new();
    let tables_dir = dir.path().join("tables");
    if tables_dir.is_dir() {
        collect_tables(&tables_dir, &tables_dir, &mut table_files)?;
        table_files.sort();
    }
    Ok((
        datasets,
        table_files,
        (totals.inputs, totals.ok, totals.failed),
    ))
}

/// Every table's Parquet file under `dir` (tables/ mirrors the inputs' folders, and the run
/// writes each table as `NAME.csv` and `NAME.parquet`), named `tables/PATH.csv` by its path
/// below `root`: the CSV's name, as the `file` column of `tables_index` gives it.
fn collect_tables(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect_tables(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "parquet") {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .with_extension("csv");
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = format!("tables/{}", rel.to_string_lossy().replace('\\', "/"));
            out.push((name, bytes));
        }
    }
    Ok(())
}

/// The file extensions a directory walk takes (every registered reader's).
#[pyfunction]
fn extensions() -> Vec<&'static str> {
    Pipeline::new(&Limits::default(), tablift_tables::TablesFamily::default())
        .registry
        .extensions()
}

/// The version of the Rust crates in this build.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract_parquet, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(extensions, m)?)?;
    Ok(())
}
