//! Small hand-made inputs for each layout rule, line ends and encodings.

use tablift_model::{Block, Document, Origin, TextLayout};
use tablift_textexport::{parse, Options};

fn doc(text: &str) -> Document {
    parse("t.txt", text.as_bytes(), &Options::default()).unwrap()
}

/// Blocks as `P:text` and `T:[[cell paragraphs joined by |]]`.
fn shape(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => format!("P:{}", p.text),
            Block::Table(t) => format!(
                "T:{:?}",
                t.rows
                    .iter()
                    .map(|r| r
                        .cells
                        .iter()
                        .map(|c| c.paragraphs.join("|"))
                        .collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            ),
        })
        .collect()
}

#[test]
fn cell_per_line_rows_tables_and_continuations() {
    let d = doc("前言\n\tA\n\tB\n\n\tC\n续\n\tD\n\n\n\tE\n\n\n\n\tF\n\tG\n\n后记\n");
    assert_eq!(d.source.layout, Some(TextLayout::CellPerLine));
    assert_eq!(
        shape(&d),
        [
            "P:前言",
            r#"T:[["A", "B"], ["C|续", "D"]]"#,
            // Two blank lines, but a 1-cell row after a 2-cell row: a new table.
            r#"T:[["E"]]"#,
            // Three blank lines: a new table whatever the width.
            r#"T:[["F", "G"]]"#,
            "P:后记",
        ]
    );
}

#[test]
fn cell_per_line_two_blank_lines_and_same_width_continue_the_table() {
    // A cell with an empty last paragraph prints an extra blank line (seed project 10).
    let d = doc("\tA\n\tB\n\n\tC\n\tD\n\n\n\tE\n\tF\n\n\n标题\n");
    assert_eq!(
        shape(&d),
        [r#"T:[["A", "B"], ["C", "D"], ["E", "F"]]"#, "P:标题"]
    );
    let t = d.tables().next().unwrap();
    assert_eq!(t.rows[2].origin, Origin::text(8, 15));
    assert_eq!(t.origin, Origin::text(1, 0));
}

#[test]
fn cell_per_line_blank_lines_are_counted_across_a_table_split() {
    // [C] follows two blank lines but is narrower than [A, B]: a new table. The three blank
    // lines after it still end that table.
    let d = doc("\tA\n\tB\n\n\n\tC\n\n\n\n\tD\n");
    assert_eq!(
        shape(&d),
        [r#"T:[["A", "B"]]"#, r#"T:[["C"]]"#, r#"T:[["D"]]"#]
    );
}

#[test]
fn cell_per_line_text_after_a_row_end_is_a_paragraph() {
    let d = doc("\tA\n\tB\n\n正文\n\tC\n\tD\n");
    assert_eq!(
        shape(&d),
        [r#"T:[["A", "B"]]"#, "P:正文", r#"T:[["C", "D"]]"#]
    );
}

#[test]
fn cell_text_trailing_whitespace_and_empty_paragraphs() {
    let d = doc("\t  a  \n  \n\t\n\tb\n  c \n\n");
    let t = d.tables().next().unwrap();
    // Leading whitespace kept, trailing trimmed; an empty cell has no paragraphs.
    assert_eq!(t.rows[0].cells[0].paragraphs, ["  a"]);
    assert_eq!(t.rows.len(), 2);
    assert!(t.rows[1].cells[0].paragraphs.is_empty());
    assert_eq!(t.rows[1].cells[1].paragraphs, ["b", "  c"]);
}

#[test]
fn row_per_line_rows_and_continuations() {
    let d = doc("标题\n\tA\tB\n\tC\tD1\nD2\n\n\n\tE\tF\n\n下文\n");
    assert_eq!(d.source.layout, Some(TextLayout::RowPerLine));
    assert_eq!(
        shape(&d),
        [
            "P:标题",
            r#"T:[["A", "B"], ["C", "D1|D2"]]"#,
            r#"T:[["E", "F"]]"#,
            "P:下文"
        ]
    );
}

#[test]
fn row_per_line_multi_paragraph_cell_in_mid_row() {
    // Cell B has two paragraphs; C follows on the continuation line after a TAB.
    let d = doc("\tA\tB1\nB2\tC\n\tD\tE\tF\n\n");
    assert_eq!(shape(&d), [r#"T:[["A", "B1|B2", "C"], ["D", "E", "F"]]"#]);
    let t = d.tables().next().unwrap();
    assert_eq!(t.rows[0].cells[2].origin, Origin::text(2, 6));
}

#[test]
fn row_per_line_single_blank_line_before_a_row_is_an_empty_cell_paragraph() {
    // Word cannot put two tables side by side without a paragraph, and Tika ends a table with
    // a blank line: one blank line followed by a row is a cell's empty last paragraph.
    let d = doc("\tA\tB\n\n\tC\tD\n\n");
    assert_eq!(shape(&d), [r#"T:[["A", "B"], ["C", "D"]]"#]);
}

#[test]
fn flattened_lines_are_paragraphs() {
    let d = doc("\u{feff}  一\r\n\r\n二 TC \"二\" \\l 2\r\n三\t内部\r\n7\r\n");
    assert_eq!(d.source.layout, Some(TextLayout::Flattened));
    assert_eq!(d.source.crlf, Some(true));
    assert_eq!(shape(&d), ["P:  一", "P:二", "P:三\t内部"]);
    let Block::Paragraph(p) = &d.blocks[1] else {
        panic!()
    };
    assert_eq!(
        p.tc.as_ref().map(|t| (t.entry.as_str(), t.level)),
        Some(("二", Some(2)))
    );
    assert_eq!(p.origin, Origin::text(3, 3 + 5 + 2 + 2));
    assert_eq!(d.furniture.len(), 1);
    assert_eq!(d.furniture[0].text, "7");
}

#[test]
fn a_number_that_is_not_last_stays_a_paragraph() {
    let d = doc("1\n正文\n");
    assert_eq!(shape(&d), ["P:1", "P:正文"]);
    assert!(d.furniture.is_empty());
    // Five digits is no page number.
    assert_eq!(shape(&doc("正文\n12345\n")), ["P:正文", "P:12345"]);
    // Inside a cell the number is a cell paragraph.
    let d = doc("\tA\n1\n");
    assert_eq!(shape(&d), [r#"T:[["A|1"]]"#]);
    assert!(d.furniture.is_empty());
}

#[test]
fn line_ends_lf_crlf_and_lone_cr() {
    let d = doc("a\rb\r\rc");
    assert_eq!(shape(&d), ["P:a", "P:b", "P:c"]);
    assert_eq!(d.source.crlf, Some(false));
    assert_eq!(d.blocks[2].origin(), &Origin::text(4, 5));
    let d = doc("a\r\nb\nc\r\n");
    assert_eq!(d.source.crlf, Some(true));
    assert_eq!(d.blocks[2].origin(), &Origin::text(3, 5));
}

#[test]
fn utf16_big_endian_and_byte_offsets() {
    let text = "标题\r\n\t甲\r\n\t乙\r\n";
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let d = parse("be.txt", &bytes, &Options::default()).unwrap();
    assert_eq!(d.source.encoding.as_deref(), Some("UTF-16BE"));
    assert_eq!(d.source.crlf, Some(true));
    assert_eq!(shape(&d), ["P:标题", r#"T:[["甲", "乙"]]"#]);
    let t = d.tables().next().unwrap();
    // BOM 2 + "标题\r\n" 4 units; + "\t甲\r\n" 4 units.
    assert_eq!(t.rows[0].cells[0].origin, Origin::text(2, 2 + 8));
    assert_eq!(t.rows[0].cells[1].origin, Origin::text(3, 2 + 16));
}

#[test]
fn gb18030_byte_offsets_are_in_the_original_bytes() {
    let (bytes, _, _) = encoding_rs::GB18030.encode("项目编码\n\t单位：万元\n");
    let d = parse("gb.txt", &bytes, &Options::default()).unwrap();
    assert_eq!(d.source.encoding.as_deref(), Some("GB18030"));
    // 4 GB characters of 2 bytes + LF.
    assert_eq!(d.tables().next().unwrap().origin, Origin::text(2, 9));
}

/// Space-aligned text (`pdftotext -layout`) is flattened text whose lines keep their leading
/// spaces and form feed: the character positions the budget crate recovers columns from.
#[test]
fn space_aligned_lines_keep_their_positions() {
    let d = doc(
        "项目编码    467-0201-YCN-       项目名称\n        4OK6\n\u{c}                      述\n",
    );
    assert_eq!(d.source.layout, Some(TextLayout::Flattened));
    assert_eq!(
        shape(&d),
        [
            "P:项目编码    467-0201-YCN-       项目名称",
            "P:        4OK6",
            "P:\u{c}                      述"
        ]
    );
}
