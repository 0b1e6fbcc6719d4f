//! `documents.jsonl`: one nested JSON object per document.

use crate::render::{Rendered, Slot};
use crate::ExportDoc;
use serde::Serialize;
use std::io;
use tablift_budget::{DocumentRecord, Flag, Project};
use tablift_model::Table;

#[derive(Serialize)]
struct Line<'a> {
    source: &'a str,
    document: &'a DocumentRecord,
    projects: &'a [Project],
    flags: &'a [Flag],
    tables: Tables<'a>,
}

/// Every table of the document, serialised as a sequence straight from the model's iterator.
struct Tables<'a>(&'a tablift_model::Document);

impl Serialize for Tables<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.tables().map(|t: &Table| t))
    }
}

/// Append the document's line (per document, the document facts, projects with plans, goals
/// and indicators, flags and every table of the model) to the `documents.jsonl` buffer.
pub(crate) fn render_document(doc: &ExportDoc<'_>, out: &mut Rendered) -> io::Result<()> {
    let line = Line {
        source: doc.source,
        document: &doc.extraction.document,
        projects: &doc.extraction.projects,
        flags: &doc.extraction.flags,
        tables: Tables(doc.document),
    };
    if let Some(buf) = out.buf_mut(Slot::Jsonl) {
        serde_json::to_writer(&mut *buf, &line)?;
        buf.push(b'\n');
    }
    out.add_rows(Slot::Jsonl, 1);
    Ok(())
}
