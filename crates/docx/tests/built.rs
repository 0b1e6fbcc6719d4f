//! Fixtures built with docx-rs in the test itself.

mod common;

use common::{docx_path, grid, logical, paragraphs, texts};
use docx_rs::{
    BreakType, Delete, Docx, FieldCharType, Footer, Header, Insert, InstrText, Paragraph, Run,
    Style, StyleType, Table, TableCell, TableRow, VMergeType,
};
use tablift_model::{Document, FurnitureKind, TcField};

fn pack(d: Docx) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut buf).unwrap();
    buf.into_inner()
}

fn p(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(p(text))
}

fn build() -> Document {
    // | A (2 cols)        | B (3 rows) |
    // | C      | D        |            |
    // | E      | nested   |            |
    // | F (2 cols)        | G          |
    let nested = Table::new(vec![
        TableRow::new(vec![cell("n00"), cell("n01")]),
        TableRow::new(vec![cell("n10").grid_span(2)]),
    ]);
    let table = Table::new(vec![
        TableRow::new(vec![
            cell("A").grid_span(2),
            cell("B").vertical_merge(VMergeType::Restart),
        ]),
        TableRow::new(vec![
            cell("C"),
            cell("D"),
            TableCell::new()
                .vertical_merge(VMergeType::Continue)
                .add_paragraph(p("")),
        ]),
        TableRow::new(vec![
            cell("E"),
            TableCell::new()
                .add_paragraph(p("before"))
                .add_table(nested)
                .add_paragraph(p("")),
            TableCell::new()
                .vertical_merge(VMergeType::Continue)
                .add_paragraph(p("")),
        ]),
        TableRow::new(vec![
            TableCell::new()
                .add_paragraph(p("F1"))
                .add_paragraph(p(""))
                .add_paragraph(p("F3"))
                .add_paragraph(p("  "))
                .add_paragraph(p(""))
                .grid_span(2),
            cell("G"),
        ]),
    ]);
    // A TC field whose instruction is split over several runs, with a result.
    let tc_para = Paragraph::new()
        .add_run(Run::new().add_text("一、总体"))
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::Unsupported(" TC \"总体".into())))
        .add_run(Run::new().add_instr_text(InstrText::Unsupported("目标\" \\f".into())))
        .add_run(Run::new().add_instr_text(InstrText::Unsupported(" A \\l 1 \\n".into())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text("绩效目标"))
        .add_run(Run::new().add_field_char(FieldCharType::End, false));
    let tracked = Paragraph::new()
        .add_run(Run::new().add_text("保留"))
        .add_insert(Insert::new(Run::new().add_text("新增")))
        .add_delete(Delete::new().add_run(Run::new().add_delete_text("删除")))
        .add_run(Run::new().add_text("结尾"));
    let runs = Paragraph::new().add_run(
        Run::new()
            .add_text("a")
            .add_tab()
            .add_text("b")
            .add_break(BreakType::TextWrapping)
            .add_text("c")
            .add_break(BreakType::Page)
            .add_text("d   "),
    );
    let docx = Docx::new()
        .add_style(
            Style::new("ZDY", StyleType::Paragraph)
                .name("自定义标题")
                .outline_lvl(1),
        )
        .add_style(Style::new("Heading3", StyleType::Paragraph).name("heading 3"))
        .add_style(
            Style::new("Sub", StyleType::Paragraph)
                .name("小节")
                .based_on("Heading3"),
        )
        .header(Header::new().add_paragraph(p("页眉文字")))
        .footer(Footer::new().add_paragraph(p("页脚文字")))
        .add_paragraph(p("第一部分").outline_lvl(0))
        .add_paragraph(p("自定义").style("ZDY"))
        .add_paragraph(p("基于标题三").style("Sub"))
        .add_paragraph(p("正文级别").style("ZDY").outline_lvl(9))
        .add_paragraph(p("   "))
        .add_paragraph(tc_para)
        .add_paragraph(tracked)
        .add_paragraph(runs)
        .add_table(table)
        .add_paragraph(p("after"));
    common::read(&pack(docx))
}

#[test]
fn headings_from_outline_level_and_styles() {
    let doc = build();
    let ps = paragraphs(&doc);
    let got: Vec<(&str, Option<u8>)> = ps
        .iter()
        .take(4)
        .map(|p| (p.text.as_str(), p.heading_level))
        .collect();
    assert_eq!(
        got,
        [
            ("第一部分", Some(1)),
            ("自定义", Some(2)),
            ("基于标题三", Some(3)),
            ("正文级别", None)
        ]
    );
}

#[test]
fn split_tc_field_parsed_and_hidden() {
    let doc = build();
    let ps = paragraphs(&doc);
    let p = ps.iter().find(|p| p.tc.is_some()).unwrap();
    assert_eq!(p.text, "一、总体绩效目标");
    assert_eq!(
        p.tc,
        Some(TcField {
            entry: "总体目标".into(),
            type_id: Some("A".into()),
            level: Some(1),
            other_switches: vec![("\\n".into(), None)],
        })
    );
    // The whitespace-only paragraph before it is dropped but still counted in the path.
    assert_eq!(docx_path(&p.origin), "word/document.xml:b5");
}

#[test]
fn tracked_changes_and_run_content() {
    let doc = build();
    let t = texts(&doc);
    assert!(t.contains(&"保留新增结尾"), "{t:?}");
    assert!(t.contains(&"a\tb\ncd"), "{t:?}");
    assert_eq!(t.last(), Some(&"after"));
    assert_eq!(t.len(), 8);
}

#[test]
fn merged_and_nested_cells() {
    let doc = build();
    let table = doc.tables().next().unwrap();
    let s = |t: &str, c: u32, r: u32| (t.to_string(), c, r);
    assert_eq!(
        grid(table),
        vec![
            vec![s("A", 2, 1), s("B", 1, 3)],
            vec![s("C", 1, 1), s("D", 1, 1)],
            vec![s("E", 1, 1), s("before", 1, 1)],
            vec![s("F1\n\nF3", 2, 1), s("G", 1, 1)],
        ]
    );
    // Trailing empty (and whitespace-only) paragraphs dropped, the inner one kept.
    assert_eq!(table.rows[3].cells[0].paragraphs, ["F1", "", "F3"]);
    assert_eq!(
        logical(table),
        vec![
            vec!["A", "B"],
            vec!["C", "D", "B"],
            vec!["E", "before", "B"],
            vec!["F1\n\nF3", "G"],
        ]
    );
    let outer = &table.rows[2].cells[1];
    assert_eq!(outer.paragraphs, ["before"]);
    assert_eq!(outer.tables.len(), 1);
    let nested = &outer.tables[0];
    assert_eq!(
        grid(nested),
        vec![vec![s("n00", 1, 1), s("n01", 1, 1)], vec![s("n10", 2, 1)]]
    );
    let b = docx_path(&table.origin);
    assert_eq!(docx_path(&nested.origin), format!("{b}/r2/c1/t0"));
    assert_eq!(
        docx_path(&nested.rows[1].cells[0].origin),
        format!("{b}/r2/c1/t0/r1/c0")
    );
}

#[test]
fn header_and_footer_are_furniture() {
    let doc = build();
    let f: Vec<(FurnitureKind, &str)> = doc
        .furniture
        .iter()
        .map(|f| (f.kind, f.text.as_str()))
        .collect();
    assert_eq!(
        f,
        [
            (FurnitureKind::Header, "页眉文字"),
            (FurnitureKind::Footer, "页脚文字")
        ]
    );
    assert!(docx_path(&doc.furniture[0].origin).starts_with("word/header"));
}
