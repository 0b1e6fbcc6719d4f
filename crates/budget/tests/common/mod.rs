//! Test helpers: hand-built documents, and a minimal reader of Tika's cell-per-line export
//! (stand-in until tablift-textexport lands; it reads only what the seed needs).
#![allow(dead_code)]

use tablift_model::{
    Block, Cell, Document, Origin, Paragraph, Row, SourceFormat, SourceInfo, Table, TcField,
};

pub fn cell(text: &str) -> Cell {
    Cell::from_text(text, Origin::Unknown)
}

pub fn spanned(text: &str, col_span: u32, row_span: u32) -> Cell {
    Cell {
        col_span,
        row_span,
        ..cell(text)
    }
}

pub fn table(rows: &[&[&str]]) -> Block {
    Block::Table(Table {
        rows: rows
            .iter()
            .map(|r| Row {
                cells: r.iter().map(|t| cell(t)).collect(),
                ..Row::default()
            })
            .collect(),
        origin: Origin::Unknown,
    })
}

pub fn para(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        text: text.into(),
        ..Paragraph::default()
    })
}

pub fn doc(blocks: Vec<Block>) -> Document {
    let mut d = Document::new(SourceInfo::new("test", SourceFormat::TextExport));
    d.blocks = blocks;
    d
}

fn paragraph(line: &str, n: u32) -> Paragraph {
    let (text, tc) = match line.find(" TC ") {
        Some(i) => {
            let code = &line[i + 4..];
            let entry_end = code.find(" \\").unwrap_or(code.len());
            let sw = &code[entry_end..];
            let type_id = sw.find("\\f ").map(|j| {
                sw[j + 3..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string()
            });
            let level = sw
                .find("\\l ")
                .and_then(|j| sw[j + 3..].split_whitespace().next())
                .and_then(|l| l.parse().ok());
            (
                &line[..i],
                Some(TcField {
                    entry: code[..entry_end].trim().to_string(),
                    type_id,
                    level,
                    other_switches: vec![],
                }),
            )
        }
        None => (line, None),
    };
    Paragraph {
        text: text.trim_end().to_string(),
        tc,
        origin: Origin::text(n, 0),
        ..Paragraph::default()
    }
}

/// Minimal cell-per-line reader.
pub fn read_cell_per_line(text: &str) -> Document {
    let mut d = Document::new(SourceInfo::new(
        "seed.tika-doc.txt",
        SourceFormat::TextExport,
    ));
    let mut rows: Vec<Row> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut blanks = 0;
    let flush_table = |rows: &mut Vec<Row>, d: &mut Document| {
        if !rows.is_empty() {
            d.blocks.push(Block::Table(Table {
                rows: std::mem::take(rows),
                origin: Origin::Unknown,
            }));
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let n = i as u32 + 1;
        let in_table = !row.is_empty() || !rows.is_empty();
        if let Some(c) = line.strip_prefix('\t') {
            if blanks >= 2 {
                flush_table(&mut rows, &mut d);
            }
            blanks = 0;
            row.push(Cell::from_text(c, Origin::text(n, 0)));
        } else if line.trim().is_empty() {
            blanks += 1;
            if !row.is_empty() {
                rows.push(Row {
                    cells: std::mem::take(&mut row),
                    origin: Origin::text(n, 0),
                    ..Row::default()
                });
            }
        } else if in_table && !row.is_empty() && blanks == 0 {
            if let Some(c) = row.last_mut() {
                c.paragraphs.push(line.to_string());
            }
        } else {
            if in_table {
                flush_table(&mut rows, &mut d);
            }
            blanks = 0;
            // A lone page number at the very end is furniture.
            if lines[i + 1..].iter().all(|l| l.trim().is_empty())
                && line.trim().chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            d.blocks.push(Block::Paragraph(paragraph(line, n)));
        }
    }
    if !row.is_empty() {
        rows.push(Row {
            cells: row,
            ..Row::default()
        });
    }
    flush_table(&mut rows, &mut d);
    d
}

/// Minimal row-per-line reader (Tika on .docx): a row is a line of TAB-prefixed cells; a line
/// without TAB right after a row continues its last cell; a blank line ends the table.
pub fn read_row_per_line(text: &str) -> Document {
    let mut d = Document::new(SourceInfo::new(
        "seed.tika-docx.txt",
        SourceFormat::TextExport,
    ));
    let mut rows: Vec<Row> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let n = i as u32 + 1;
        if lines[i + 1..].iter().all(|l| l.trim().is_empty())
            && line.trim().chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        if let Some(rest) = line.strip_prefix('\t') {
            let cells = rest
                .split('\t')
                .map(|c| Cell::from_text(c, Origin::text(n, 0)))
                .collect();
            rows.push(Row {
                cells,
                origin: Origin::text(n, 0),
                ..Row::default()
            });
        } else if line.trim().is_empty() {
            if !rows.is_empty() {
                d.blocks.push(Block::Table(Table {
                    rows: std::mem::take(&mut rows),
                    origin: Origin::Unknown,
                }));
            }
        } else if let Some(c) = rows.last_mut().and_then(|r| r.cells.last_mut()) {
            c.paragraphs.push(line.to_string());
        } else {
            d.blocks.push(Block::Paragraph(paragraph(line, n)));
        }
    }
    if !rows.is_empty() {
        d.blocks.push(Block::Table(Table {
            rows,
            origin: Origin::Unknown,
        }));
    }
    d
}

/// A file under fixtures/, read whole.
pub fn fixture(rel: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A text export read by tablift-textexport, then normalised.
pub fn parse(name: &str, bytes: &[u8]) -> tablift_budget::Extraction {
    let doc = tablift_textexport::parse(name, bytes, &tablift_textexport::Options::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    tablift_budget::normalise(&doc)
}

/// The flags of one code.
pub fn flags<'x>(x: &'x tablift_budget::Extraction, code: &str) -> Vec<&'x tablift_budget::Flag> {
    x.flags.iter().filter(|f| f.code == code).collect()
}
