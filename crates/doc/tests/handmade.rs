//! Small .doc files written by tests/common: every construct the reader handles, checked
//! against the exact model it must produce.

mod common;

use common::{build, para, Para, INNER_CELL, INNER_TTP, IN_TABLE, ITAP2, TTP};
use tablift_model::{Block, Cell, Document, Paragraph, Row, Table};

fn read(bytes: &[u8]) -> Document {
    let mut doc = tablift_doc::read("t.doc", bytes, &tablift_doc::Limits::default()).unwrap();
    doc.strip_origins();
    doc
}

fn p(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        text: text.into(),
        ..Paragraph::default()
    })
}

fn cell(paras: &[&str]) -> Cell {
    Cell {
        paragraphs: paras.iter().map(|s| s.to_string()).collect(),
        ..Cell::default()
    }
}

fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        ..Row::default()
    }
}

fn sample() -> Vec<Para> {
    vec![
        // An 8-bit piece: cp1252 quotes.
        para("Title “q”", '\r', &[]),
        para("一、总体绩效目标\u{13} TC \"总体\" \\l 1 \u{15}", '\r', &[]),
        para(
            "See \u{13} HYPERLINK \"x\" \u{14}link\u{15} here",
            '\r',
            &[],
        ),
        para("a\u{0B}b\u{1E}c\u{1F}d\u{01}e\tf  ", '\r', &[]),
        para("   ", '\r', &[]),
        // Row 1: "A1" | "B1a", "", "B1c", "".
        para("A1", '\u{07}', &[IN_TABLE]),
        para("B1a", '\r', &[IN_TABLE]),
        para("", '\r', &[IN_TABLE]),
        para("B1c", '\r', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE, TTP]),
        // Row 2: an empty cell | a nested table of two one-cell rows, then "after".
        para("", '\u{07}', &[IN_TABLE]),
        para("N1", '\r', &[IN_TABLE, ITAP2, INNER_CELL]),
        para("", '\r', &[IN_TABLE, ITAP2, INNER_TTP]),
        para("N2", '\r', &[IN_TABLE, ITAP2, INNER_CELL]),
        para("", '\r', &[IN_TABLE, ITAP2, INNER_TTP]),
        para("after", '\u{07}', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE, TTP]),
        para("Tail", '\r', &[]),
        para("7", '\r', &[]),
    ]
}

#[test]
fn every_construct_reads_as_the_model_says() {
    let doc = read(&build(&sample(), 1));
    let nested = Table {
        rows: vec![row(vec![cell(&["N1"])]), row(vec![cell(&["N2"])])],
        ..Table::default()
    };
    let mut outer = cell(&["after"]);
    outer.tables.push(nested);
    let table = Table {
        rows: vec![
            row(vec![cell(&["A1"]), cell(&["B1a", "", "B1c"])]),
            row(vec![cell(&[]), outer]),
        ],
        ..Table::default()
    };
    let tc = Block::Paragraph(Paragraph {
        text: "一、总体绩效目标".into(),
        tc: tablift_fields::parse_tc_field(" TC \"总体\" \\l 1 "),
        ..Paragraph::default()
    });
    let want = vec![
        p("Title “q”"),
        tc,
        p("See link here"),
        p("a\nb-cde\tf"),
        Block::Table(table),
        p("Tail"),
    ];
    assert_eq!(doc.blocks, want);
    assert_eq!(doc.furniture.len(), 1);
    assert_eq!(doc.furniture[0].text, "7");
    let Block::Paragraph(tc) = &doc.blocks[1] else {
        panic!()
    };
    let tc = tc.tc.as_ref().unwrap();
    assert_eq!((tc.entry.as_str(), tc.level), ("总体", Some(1)));
}

#[test]
fn all_utf16_reads_the_same() {
    let a = read(&build(&sample(), 1));
    let b = read(&build(&sample(), 0));
    assert_eq!(a, b);
}

#[test]
fn origins_are_character_positions() {
    let doc = tablift_doc::read(
        "t.doc",
        &build(&sample(), 1),
        &tablift_doc::Limits::default(),
    )
    .unwrap();
    let origins: Vec<String> = doc.blocks.iter().map(|b| b.origin().to_string()).collect();
    // "Title “q”\r" is 10 characters; the TC paragraph starts at CP 10.
    assert_eq!(origins[0], "WordDocument:cp0");
    assert_eq!(origins[1], "WordDocument:cp10");
    let Block::Table(t) = &doc.blocks[4] else {
        panic!()
    };
    let a1 = doc_cp(&sample(), 5);
    assert_eq!(t.origin.to_string(), format!("WordDocument:cp{a1}"));
    assert_eq!(
        t.rows[0].cells[1].origin.to_string(),
        format!("WordDocument:cp{}", a1 + 3)
    );
}

/// CP of the first character of paragraph `i`.
fn doc_cp(paras: &[Para], i: usize) -> usize {
    paras[..i]
        .iter()
        .map(|p| p.text.encode_utf16().count())
        .sum()
}

/// Writes the fuzz seed corpus (run by hand: TABLIFT_WRITE_DOC_CORPUS=fuzz/corpus/doc).
#[test]
fn write_fuzz_corpus() {
    let Some(dir) = std::env::var_os("TABLIFT_WRITE_DOC_CORPUS") else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("handmade-mixed.doc"), build(&sample(), 1)).unwrap();
    std::fs::write(dir.join("handmade-utf16.doc"), build(&sample(), 0)).unwrap();
    let small = vec![
        para("x", '\u{07}', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE, TTP]),
    ];
    std::fs::write(dir.join("handmade-one-cell.doc"), build(&small, 2)).unwrap();
    // Small mutations: a cut through the directory, and flipped bytes across the file.
    let mixed = build(&sample(), 1);
    std::fs::write(dir.join("handmade-cut.doc"), &mixed[..mixed.len() * 3 / 4]).unwrap();
    let mut flipped = mixed.clone();
    for at in (700..flipped.len()).step_by(97) {
        flipped[at] ^= 0x5A;
    }
    std::fs::write(dir.join("handmade-flipped.doc"), flipped).unwrap();
}

/// sprmTDefTable for cells at `centers`, each with its TC80 `tcgrf` flags.
fn def_table(centers: &[i16], grf: &[u16]) -> Vec<u8> {
    let mut op = vec![(centers.len() - 1) as u8];
    for c in centers {
        op.extend_from_slice(&c.to_le_bytes());
    }
    for g in grf {
        let mut tc = [0u8; 20];
        tc[..2].copy_from_slice(&g.to_le_bytes());
        op.extend_from_slice(&tc);
    }
    let mut v = vec![0x08, 0xD6];
    v.extend_from_slice(&((op.len() + 1) as u16).to_le_bytes());
    v.extend_from_slice(&op);
    v
}

#[test]
fn spans_come_from_the_row_properties() {
    const RESTART: u16 = 0x60;
    const CONTINUE: u16 = 0x20;
    const H_FIRST: u16 = 0x01;
    const H_MERGED: u16 = 0x02;
    // | A (2 rows) | B        | C       |
    // |            | D (2 columns)      |   (D's second cell is merged into it)
    // | E (3 columns)                   |   (a wider single cell)
    let r1 = def_table(&[0, 100, 200, 300], &[RESTART, 0, 0]);
    let r2 = def_table(&[0, 100, 200, 300], &[CONTINUE, H_FIRST, H_MERGED]);
    let r3 = def_table(&[0, 300], &[0]);
    let paras = vec![
        para("A", '\u{07}', &[IN_TABLE]),
        para("B", '\u{07}', &[IN_TABLE]),
        para("C", '\u{07}', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE, TTP, &r1]),
        para("", '\u{07}', &[IN_TABLE]),
        para("D", '\u{07}', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE, TTP, &r2]),
        para("E", '\u{07}', &[IN_TABLE]),
        para("", '\u{07}', &[IN_TABLE, TTP, &r3]),
    ];
    let doc = read(&build(&paras, 0));
    let Block::Table(t) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks)
    };
    let shape: Vec<Vec<(String, u32, u32)>> = t
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text(), c.col_span, c.row_span))
                .collect()
        })
        .collect();
    let s = |t: &str, c: u32, r: u32| (t.to_string(), c, r);
    assert_eq!(
        shape,
        vec![
            vec![s("A", 1, 2), s("B", 1, 1), s("C", 1, 1)],
            vec![s("D", 2, 1)],
            vec![s("E", 3, 1)],
        ]
    );
    let logical: Vec<Vec<(String, bool)>> = t
        .logical_rows()
        .iter()
        .map(|r| r.iter().map(|c| (c.cell.text(), c.continued)).collect())
        .collect();
    assert_eq!(
        logical[1],
        vec![("A".to_string(), true), ("D".to_string(), false)]
    );
}
