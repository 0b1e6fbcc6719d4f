//! The real seed corpus: `seed.docx` (python-docx) and LibreOffice's re-save of it.

mod common;

use common::{docx_path, grid, logical, paragraphs, texts};
use tablift_model::{Block, Document, FurnitureKind, Table, TcField};

fn seed(name: &str) -> Document {
    let path = format!("{}/../../fixtures/seed/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    tablift_docx::read(&path, &bytes, &tablift_docx::Limits::default()).unwrap()
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.tables().collect()
}

fn s(t: &str, c: u32, r: u32) -> (String, u32, u32) {
    (t.to_string(), c, r)
}

#[test]
fn seed_docx_first_info_table() {
    let doc = seed("seed.docx");
    let ts = tables(&doc);
    assert_eq!(ts.len(), 32);
    let g = grid(ts[0]);
    assert_eq!(g.len(), 7);
    assert_eq!(
        g[0],
        vec![s("467002定州市生态环境局", 5, 1), s("单位：万元", 2, 1)]
    );
    assert_eq!(
        g[1],
        vec![
            s("项目编码", 1, 1),
            s("467-0201-YCN-4OK6", 2, 1),
            s("项目名称", 1, 1),
            s("2020年中央大气污染防治资金", 3, 1)
        ]
    );
    assert_eq!(
        g[2],
        vec![
            s("预算规模及资金用途", 1, 2),
            s("预算数", 1, 1),
            s("4621.00", 1, 1),
            s("其中：财政资金", 1, 1),
            s("4621.00", 1, 1),
            s("其他资金", 1, 1),
            s("", 1, 1)
        ]
    );
    // The continued `w:vMerge` cell is not a cell of its own.
    assert_eq!(g[3], vec![s("大气污染治理各项工作", 6, 1)]);
    assert_eq!(
        g[4],
        vec![
            s("资金支出计划（%）", 1, 2),
            s("3月底", 1, 1),
            s("6月底", 2, 1),
            s("10月底", 1, 1),
            s("12月底", 2, 1)
        ]
    );
    assert_eq!(
        g[5],
        vec![
            s("25.00", 1, 1),
            s("55.00", 2, 1),
            s("75.00", 1, 1),
            s("100.00", 2, 1)
        ]
    );
    assert_eq!(
        g[6],
        vec![
            s("绩效目标", 1, 1),
            s(
                "1、完成上级下达的机动车污染治理任务\n2、完成上级下达的大气污染治理任务",
                6,
                1
            )
        ]
    );
    let cell = &ts[0].rows[6].cells[1];
    assert_eq!(
        cell.paragraphs,
        [
            "1、完成上级下达的机动车污染治理任务",
            "2、完成上级下达的大气污染治理任务"
        ]
    );
    // An empty cell has no paragraphs.
    assert!(ts[0].rows[2].cells[6].paragraphs.is_empty());
    // Logical rows put the merged label back, so every row starts with a label.
    let l = logical(ts[0]);
    assert_eq!(l[3], ["预算规模及资金用途", "大气污染治理各项工作"]);
    assert_eq!(
        l[5],
        ["资金支出计划（%）", "25.00", "55.00", "75.00", "100.00"]
    );
    // Provenance points at the real elements (the continued cell is `c0`, so this is `c1`).
    assert_eq!(docx_path(&ts[0].origin), "word/document.xml:b36");
    assert_eq!(docx_path(&ts[0].rows[3].origin), "word/document.xml:b36/r3");
    assert_eq!(
        docx_path(&ts[0].rows[3].cells[0].origin),
        "word/document.xml:b36/r3/c1"
    );
    assert_eq!(docx_path(&ts[1].origin), "word/document.xml:b37");
}

#[test]
fn seed_docx_indicator_table_and_values() {
    let doc = seed("seed.docx");
    let ts = tables(&doc);
    let g = grid(ts[1]);
    assert_eq!(
        g[1],
        vec![
            s("产出指标", 1, 1),
            s("时效指标", 1, 1),
            s("完成率", 1, 1),
            s(
                "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）",
                1,
                1
            ),
            s("≥60", 1, 1),
            s("", 1, 1)
        ]
    );
    // `&lt;10` arrives as an entity reference.
    let last = ts[31].rows.last().unwrap();
    assert_eq!(last.cells[4].text(), "<10");
    assert_eq!(last.cells[5].text(), "相关文件");
    // 16 project codes, each in the second row of an info table.
    let codes: Vec<String> = ts
        .iter()
        .step_by(2)
        .map(|t| t.rows[1].cells[1].text())
        .collect();
    assert_eq!(codes.len(), 16);
    assert_eq!(codes[0], "467-0201-YCN-4OK6");
    assert_eq!(codes[1], "467-0302-YCN-XDCZ");
    assert!(codes.iter().all(|c| c.starts_with("467-")), "{codes:?}");
}

fn tc(entry: &str, f: Option<&str>, l: u8) -> TcField {
    TcField {
        entry: entry.into(),
        type_id: f.map(Into::into),
        level: Some(l),
        other_switches: vec![],
    }
}

#[test]
fn narrative_headings_carry_tc_fields() {
    for (name, f, l) in [
        ("seed.docx", Some("A"), 1),
        ("seed.libreoffice.docx", None, 2),
    ] {
        let doc = seed(name);
        let ps = paragraphs(&doc);
        let with_tc: Vec<(&str, &TcField)> = ps
            .iter()
            .filter_map(|p| p.tc.as_ref().map(|t| (p.text.as_str(), t)))
            .collect();
        assert_eq!(with_tc.len(), 3 + 16, "{name}");
        assert_eq!(
            with_tc[0],
            ("一、总体绩效目标", &tc("总体绩效目标", f, l)),
            "{name}"
        );
        assert_eq!(
            with_tc[1],
            ("二、分项绩效目标", &tc("分项绩效目标", f, l)),
            "{name}"
        );
        assert_eq!(
            with_tc[2],
            ("三、工作保障措施", &tc("工作保障措施", f, l)),
            "{name}"
        );
        let f3 = if f.is_some() { Some("C") } else { None };
        assert_eq!(
            with_tc[3],
            (
                "1、2020年中央大气污染防治资金绩效目标表",
                &tc("1、2020年中央大气污染防治资金绩效目标表", f3, l)
            ),
            "{name}"
        );
        // No instruction text leaks into the visible text.
        assert!(ps.iter().all(|p| !p.text.contains("TC")), "{name}");
        // The paragraphs carry no heading styles in either file.
        assert!(ps.iter().all(|p| p.heading_level.is_none()), "{name}");
    }
}

#[test]
fn body_paragraphs_and_page_number() {
    let doc = seed("seed.docx");
    let t = texts(&doc);
    assert_eq!(t.len(), 51);
    assert_eq!(t[0], " 第一部分"); // leading whitespace kept
    assert_eq!(t[1], "部门整体绩效目标");
    assert_eq!(t[50], "16、专项人员经费绩效目标表");
    assert_eq!(doc.furniture.len(), 1);
    assert_eq!(doc.furniture[0].kind, FurnitureKind::PageNumber);
    assert_eq!(doc.furniture[0].text, "1");
    // The block index counts every body element.
    let ps = paragraphs(&doc);
    assert_eq!(docx_path(&ps[35].origin), "word/document.xml:b35");
    assert_eq!(docx_path(&ps[36].origin), "word/document.xml:b38");
}

/// Both `.docx` forms give the same logical rows. LibreOffice joins each project's two
/// adjacent tables into one, so its table k is seed.docx's tables 2k and 2k+1.
#[test]
fn libreoffice_resave_gives_identical_logical_rows() {
    let a = seed("seed.docx");
    let b = seed("seed.libreoffice.docx");
    let ta = tables(&a);
    let tb = tables(&b);
    assert_eq!(tb.len(), 16);
    for (k, t) in tb.iter().enumerate() {
        let mut expected = logical(ta[2 * k]);
        expected.extend(logical(ta[2 * k + 1]));
        assert_eq!(logical(t), expected, "table {k}");
    }
    // The finer grid shows in the spans, not in the cells.
    assert_eq!(
        grid(tb[0])[0],
        vec![s("467002定州市生态环境局", 10, 1), s("单位：万元", 3, 1)]
    );
    assert_eq!(grid(tb[0])[2][0], s("预算规模及资金用途", 1, 2));
    // Same narrative text in both.
    assert_eq!(texts(&a), texts(&b));
    let furniture = |d: &Document| -> Vec<(FurnitureKind, String)> {
        d.furniture
            .iter()
            .map(|f| (f.kind, f.text.clone()))
            .collect()
    };
    assert_eq!(furniture(&a), furniture(&b));
    assert_eq!(
        furniture(&b),
        [(FurnitureKind::PageNumber, "1".to_string())]
    );
}

/// Tika's row-per-line export of seed.docx: its lines outside tables are the body paragraphs,
/// plus the later paragraphs of multi-paragraph cells (which Tika writes without a TAB), plus
/// the trailing page number.
#[test]
fn matches_tika_docx_export() {
    let doc = seed("seed.docx");
    let tika = std::fs::read_to_string(format!(
        "{}/../../fixtures/seed/seed.tika-docx.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let tika_lines: Vec<&str> = tika
        .lines()
        .filter(|l| !l.starts_with('\t') && !l.trim().is_empty())
        .collect();
    let mut ours: Vec<String> = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => ours.push(p.text.clone()),
            Block::Table(t) => {
                for c in t.rows.iter().flat_map(|r| &r.cells) {
                    ours.extend(c.paragraphs.iter().skip(1).cloned());
                }
            }
        }
    }
    ours.extend(doc.furniture.iter().map(|f| f.text.clone()));
    assert_eq!(ours, tika_lines);
}

/// Tika's row lines: a TAB before every logical cell, a merged cell's later rows empty, a
/// multi-paragraph cell contributing its first paragraph to the row line.
#[test]
fn matches_tika_docx_row_lines() {
    let doc = seed("seed.docx");
    let tika = std::fs::read_to_string(format!(
        "{}/../../fixtures/seed/seed.tika-docx.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let tika_rows: Vec<&str> = tika.lines().filter(|l| l.starts_with('\t')).collect();
    let mut ours: Vec<String> = Vec::new();
    for t in doc.tables() {
        for row in t.logical_rows() {
            let mut line = String::new();
            for c in row {
                line.push('\t');
                if !c.continued {
                    line.push_str(c.cell.paragraphs.first().map_or("", |p| p.as_str()));
                }
            }
            ours.push(line);
        }
    }
    assert_eq!(ours.len(), tika_rows.len());
    for (i, (a, b)) in ours.iter().zip(&tika_rows).enumerate() {
        assert_eq!(a, b, "row line {i}");
    }
}
