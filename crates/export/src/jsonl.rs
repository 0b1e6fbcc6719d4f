//! The JSON Lines files: `documents.jsonl` (one document's records per line) and `model.jsonl`
//! (one document model per line, as `tablift inspect` prints it).

use crate::json::{self, string};
use crate::render::{Rendered, Slot};
use crate::ExportDoc;
use std::io;
use tablift_model::{Block, Cell, Origin, Table};

/// `documents.jsonl`: the document's facts and sections, projects and flags, through serde.
/// The table grid is not repeated here: `tables.csv` has every cell with its origin, and
/// `model.jsonl` (opt-in) the whole model.
pub(crate) fn render_document(doc: &ExportDoc<'_>, out: &mut Rendered) -> io::Result<()> {
    if let Some(buf) = out.buf_mut(Slot::Jsonl) {
        buf.extend_from_slice(b"{\"source\":");
        string(buf, doc.source);
        buf.extend_from_slice(b",\"document\":");
        json::write(buf, &doc.extraction.document)?;
        buf.extend_from_slice(b",\"projects\":");
        json::write(buf, &doc.extraction.projects)?;
        buf.extend_from_slice(b",\"flags\":");
        json::write(buf, &doc.extraction.flags)?;
        buf.extend_from_slice(b"}\n");
    }
    out.add_rows(Slot::Jsonl, 1);
    Ok(())
}

/// `model.jsonl`: `{"source":…,"model":…}`, the model exactly as serde_json writes its derived
/// `Serialize` (a test compares the two). Tables (most of the bytes: every cell with its
/// paragraphs, spans and origin) are written by hand, without serde's per-key escaping and map
/// machinery, which halves the cost of a line.
pub(crate) fn render_model(doc: &ExportDoc<'_>, out: &mut Rendered) -> io::Result<()> {
    if let Some(buf) = out.buf_mut(Slot::Model) {
        buf.extend_from_slice(b"{\"source\":");
        string(buf, doc.source);
        buf.extend_from_slice(b",\"model\":");
        model(buf, doc.document)?;
        buf.extend_from_slice(b"}\n");
    }
    out.add_rows(Slot::Model, 1);
    Ok(())
}

fn model(buf: &mut Vec<u8>, d: &tablift_model::Document) -> io::Result<()> {
    buf.extend_from_slice(b"{\"source\":");
    json::write(buf, &d.source)?;
    buf.extend_from_slice(b",\"blocks\":[");
    for (i, b) in d.blocks.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        match b {
            Block::Table(t) => table(buf, t, 0, b"{\"type\":\"table\","),
            Block::Paragraph(_) => json::write(buf, b)?,
        }
    }
    buf.push(b']');
    if !d.furniture.is_empty() {
        buf.extend_from_slice(b",\"furniture\":");
        json::write(buf, &d.furniture)?;
    }
    buf.push(b'}');
    Ok(())
}

/// Depth beyond which nested tables are handed to serde (which has no limit of its own but
/// never sees such depth from the readers, which bound nesting).
const HAND_WRITTEN_DEPTH: usize = 64;

/// A table, its JSON object opened by `open` (`{` or, for a block, `{"type":"table",`).
fn table(buf: &mut Vec<u8>, t: &Table, depth: usize, open: &[u8]) {
    if depth >= HAND_WRITTEN_DEPTH {
        // Writing into a Vec cannot fail, and the model always serialises.
        let _ = match open {
            b"{" => serde_json::to_writer(&mut *buf, t),
            _ => serde_json::to_writer(&mut *buf, &Block::Table(t.clone())),
        };
        return;
    }
    buf.extend_from_slice(open);
    buf.extend_from_slice(b"\"rows\":[");
    for (i, r) in t.rows.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'{');
        if r.grid_before != 0 {
            buf.extend_from_slice(b"\"grid_before\":");
            int(buf, r.grid_before);
            buf.push(b',');
        }
        buf.extend_from_slice(b"\"cells\":[");
        for (k, c) in r.cells.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            cell(buf, c, depth);
        }
        buf.extend_from_slice(b"],\"origin\":");
        origin(buf, &r.origin);
        buf.push(b'}');
    }
    buf.extend_from_slice(b"],\"origin\":");
    origin(buf, &t.origin);
    buf.push(b'}');
}

fn cell(buf: &mut Vec<u8>, c: &Cell, depth: usize) {
    buf.extend_from_slice(b"{\"paragraphs\":[");
    for (i, p) in c.paragraphs.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        string(buf, p);
    }
    buf.extend_from_slice(b"],\"col_span\":");
    int(buf, c.col_span);
    buf.extend_from_slice(b",\"row_span\":");
    int(buf, c.row_span);
    if !c.tables.is_empty() {
        buf.extend_from_slice(b",\"tables\":[");
        for (i, t) in c.tables.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            table(buf, t, depth + 1, b"{");
        }
        buf.push(b']');
    }
    buf.extend_from_slice(b",\"origin\":");
    origin(buf, &c.origin);
    buf.push(b'}');
}

fn origin(buf: &mut Vec<u8>, o: &Origin) {
    match o {
        Origin::Text { line, byte } => {
            buf.extend_from_slice(b"{\"kind\":\"text\",\"line\":");
            int(buf, *line);
            buf.extend_from_slice(b",\"byte\":");
            int(buf, *byte);
            buf.push(b'}');
        }
        Origin::Docx { part, path } => {
            buf.extend_from_slice(b"{\"kind\":\"docx\",\"part\":");
            string(buf, part);
            buf.extend_from_slice(b",\"path\":");
            string(buf, path);
            buf.push(b'}');
        }
        // Unknown, and any kind added to the model later: serde knows how.
        other => {
            let _ = json::write(buf, other);
        }
    }
}

fn int(buf: &mut Vec<u8>, n: impl itoa::Integer) {
    buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use tablift_model::Row;

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut all = String::new();
        for c in 0u8..0x80 {
            all.push(char::from(c));
        }
        for s in [
            all.as_str(),
            "",
            "中文\"引号\"\\",
            "a\u{7f}\u{2028}b",
            "\u{1}x\u{1f}",
        ] {
            let mut buf = Vec::new();
            string(&mut buf, s);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }

    #[test]
    fn tables_are_written_as_serde_json_does() {
        let nested = Table {
            rows: vec![Row {
                grid_before: 0,
                cells: vec![Cell::from_text("in\"ner", Origin::Unknown)],
                origin: Origin::text(3, 40),
            }],
            origin: Origin::Unknown,
        };
        let mut merged = Cell::from_text("合并", Origin::text(1, 0));
        merged.row_span = 2;
        merged.col_span = 3;
        merged.tables = vec![nested.clone(), nested];
        let t = Table {
            rows: vec![
                Row {
                    grid_before: 2,
                    cells: vec![merged, Cell::default()],
                    origin: Origin::Docx {
                        part: "word/document.xml".into(),
                        path: "b1/r0".into(),
                    },
                },
                Row::default(),
            ],
            origin: Origin::text(1, 0),
        };
        let mut buf = Vec::new();
        table(&mut buf, &t, 0, b"{");
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            serde_json::to_string(&t).unwrap()
        );
        let mut deep = Vec::new();
        table(&mut deep, &t, HAND_WRITTEN_DEPTH, b"{");
        assert_eq!(
            String::from_utf8(deep).unwrap(),
            serde_json::to_string(&t).unwrap()
        );
    }

    #[test]
    fn models_are_written_as_serde_json_does() {
        use tablift_model::{document_from_fuzz_bytes, Furniture};
        let mut seeds: Vec<Vec<u8>> = (0u8..=255).map(|b| vec![b; 64]).collect();
        seeds.extend((0u32..200).map(|i| {
            // Cheap deterministic pseudo-random bytes.
            let mut x = i.wrapping_mul(2_654_435_761).wrapping_add(1);
            (0..96)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x.to_le_bytes()[0]
                })
                .collect()
        }));
        let mut with_tables = 0;
        for bytes in seeds {
            let mut d = document_from_fuzz_bytes(&bytes);
            if d.tables().next().is_some() {
                with_tables += 1;
            }
            if bytes.first() == Some(&7) {
                d.furniture.push(Furniture {
                    kind: tablift_model::FurnitureKind::PageNumber,
                    text: "3".into(),
                    origin: Origin::text(9, 99),
                });
            }
            let mut buf = Vec::new();
            model(&mut buf, &d).unwrap();
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(&d).unwrap()
            );
        }
        assert!(with_tables > 50, "{with_tables} documents with tables");
    }
}
