//! Helpers shared by the integration tests: hand-written `.docx` packages.
#![allow(dead_code)]

use std::io::{Cursor, Write};

use tablift_model::{Block, Document, Paragraph, Table};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A zip of `(name, content)` entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// `word/document.xml` with `body` inside `<w:body>`, plus extra parts.
pub fn docx(body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{body}</w:body></w:document>"#
    );
    let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", doc.as_bytes())];
    for (n, d) in extra {
        entries.push((n, d.as_bytes()));
    }
    zip_of(&entries)
}

pub fn read(bytes: &[u8]) -> Document {
    tablift_docx::read("test.docx", bytes, &tablift_docx::Limits::default()).unwrap()
}

pub fn paragraphs(doc: &Document) -> Vec<&Paragraph> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .collect()
}

pub fn texts(doc: &Document) -> Vec<&str> {
    paragraphs(doc).iter().map(|p| p.text.as_str()).collect()
}

/// Cell texts per row, with (col_span, row_span).
pub fn grid(t: &Table) -> Vec<Vec<(String, u32, u32)>> {
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text(), c.col_span, c.row_span))
                .collect()
        })
        .collect()
}

/// Cell texts per logical row (merges put back).
pub fn logical(t: &Table) -> Vec<Vec<String>> {
    t.logical_rows()
        .iter()
        .map(|r| r.iter().map(|c| c.cell.text()).collect())
        .collect()
}

pub fn docx_path(o: &tablift_model::Origin) -> String {
    match o {
        tablift_model::Origin::Docx { part, path } => format!("{part}:{path}"),
        other => format!("{other:?}"),
    }
}
