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
