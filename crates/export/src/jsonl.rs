//! `documents.jsonl`: one nested JSON object per document.

use crate::{AtomicFile, ExportDoc, Exporter, Failure};
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;
use tablift_budget::{DocumentRecord, Flag, Project};
use tablift_model::Table;

/// Writes `documents.jsonl`: per document, the document facts, projects (with plans, goals and
/// indicators), flags and every table of the model.
pub struct JsonlExporter {
    file: AtomicFile,
    rows: u64,
}

#[derive(Serialize)]
struct Line<'a> {
    source: &'a str,
    document: &'a DocumentRecord,
    projects: &'a [Project],
    flags: &'a [Flag],
    tables: Vec<&'a Table>,
}

impl JsonlExporter {
    /// Open `documents.jsonl` under its temporary name.
    pub fn create(dir: &Path) -> io::Result<Self> {
        Ok(JsonlExporter {
            file: AtomicFile::create(dir, "documents.jsonl")?,
            rows: 0,
        })
    }
}

impl Exporter for JsonlExporter {
    fn document(&mut self, doc: &ExportDoc<'_>) -> io::Result<()> {
        let line = Line {
            source: doc.source,
            document: &doc.extraction.document,
            projects: &doc.extraction.projects,
            flags: &doc.extraction.flags,
            tables: doc.document.tables().collect(),
        };
        serde_json::to_writer(&mut self.file, &line)?;
        self.file.write_all(b"\n")?;
        self.rows += 1;
        Ok(())
    }

    fn failure(&mut self, _failure: &Failure) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<(String, u64)>> {
        self.file.commit()?;
        Ok(vec![("documents.jsonl".into(), self.rows)])
    }
}
