//! The sample disclosure as LibreOffice HTML, pandoc Markdown and markitdown Markdown: the
//! tables the `.docx` reader gives for `fixtures/seed/seed.docx`, checked on real values.

use tablift_html::{read_html, read_markdown, Limits};
use tablift_model::{Block, Document, Origin, Table};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn row(t: &Table, r: usize) -> Vec<(String, u32, u32)> {
    t.rows[r]
        .cells
        .iter()
        .map(|c| (c.text(), c.col_span, c.row_span))
        .collect()
}

fn s(text: &str, col: u32, rows: u32) -> (String, u32, u32) {
    (text.to_string(), col, rows)
}

fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            Block::Table(_) => None,
        })
        .collect()
}

/// What `seed.docx` says, in every form: the first project's information table.
fn check_first_project_info(t: &Table, first_row: usize, spans: [u32; 4]) {
    let [code, name, budget, wide] = spans;
    assert_eq!(
        row(t, first_row + 1),
        vec![
            s("项目编码", 1, 1),
            s("467-0201-YCN-4OK6", code, 1),
            s("项目名称", name, 1),
            s("2020年中央大气污染防治资金", wide / 2, 1)
        ]
    );
    let r = row(t, first_row + 2);
    assert_eq!(r[0], s("预算规模及资金用途", 1, 2));
    assert_eq!((r[2].0.as_str(), r[2].1), ("4621.00", budget));
    assert_eq!(r.last().map(|c| c.0.as_str()), Some(""));
    // The merged first-column cell is not repeated on the row it covers.
    assert_eq!(
        row(t, first_row + 3),
        vec![s("大气污染治理各项工作", wide, 1)]
    );
    let goal = &t.rows[first_row + 6].cells[1];
    assert_eq!(
        goal.paragraphs,
        vec![
            "1、完成上级下达的机动车污染治理任务",
            "2、完成上级下达的大气污染治理任务"
        ]
    );
}

#[test]
fn seed_html_gives_sixteen_project_tables() {
    let bytes = fixture("seed.html");
    let doc = read_html("seed.html", &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-8"));
    let tables: Vec<&Table> = doc.tables().collect();
    // LibreOffice joins the two tables of a project into one of 11 rows on a 13-column grid.
    assert_eq!(tables.len(), 16);
    assert!(tables.iter().all(|t| t.rows.len() == 11));
    let t = tables[0];
    assert_eq!(
        row(t, 0),
        vec![s("467002定州市生态环境局", 10, 1), s("单位：万元", 3, 1)]
    );
    check_first_project_info(t, 0, [4, 2, 2, 12]);
    assert_eq!(row(t, 4)[0], s("资金支出计划（%）", 1, 2));
    assert_eq!(
        row(t, 5).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        ["25.00", "55.00", "75.00", "100.00"]
    );
    assert_eq!(
        row(t, 8).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        [
            "产出指标",
            "时效指标",
            "完成率",
            "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）",
            "≥60",
            ""
        ]
    );
    // Every project code, in order, where the docx has them.
    let codes: Vec<String> = tables.iter().map(|t| t.rows[1].cells[1].text()).collect();
    assert_eq!(codes[1], "467-0302-YCN-XDCZ");
    assert!(codes.iter().any(|c| c == "467-0201-JCN-6A74"));
    assert!(codes.iter().all(|c| c.starts_with("467-0")), "{codes:?}");
    // `>`/`<` arrive decoded.
    let values: Vec<String> = tables
        .iter()
        .flat_map(|t| t.rows.iter().skip(8).map(|r| r.cells[4].text()))
        .collect();
    assert!(values.iter().any(|v| v == ">10"), "{values:?}");
    assert!(values.iter().any(|v| v == "<10"), "{values:?}");
    // Text: the docx's 51 body paragraphs, headings by text, the closing page number apart.
    let paras = paragraphs(&doc);
    assert_eq!(paras.len(), 51);
    assert_eq!(paras[0], "第一部分");
    assert_eq!(paras[7], "职责分类绩效目标：");
    assert_eq!(doc.furniture.len(), 1);
    assert_eq!(doc.furniture[0].text, "1");
    // Provenance: the table's start tag, and the first code cell's.
    let at = |o: &Origin| match o {
        Origin::Html { path, byte } => (path.to_string(), *byte as usize),
        _ => panic!("not an html origin"),
    };
    let (path, byte) = at(&t.origin);
    assert_eq!(path, "body/table[1]");
    assert!(bytes[byte..].starts_with(b"<table"));
    let (path, byte) = at(&t.rows[1].cells[1].origin);
    assert_eq!(path, "body/table[1]/tr[2]/td[2]");
    assert!(bytes[byte..].starts_with(b"<td colspan=\"4\""));
}

#[test]
fn seed_pandoc_gives_the_docx_tables() {
    let doc = read_markdown(
        "seed.pandoc.md",
        &fixture("seed.pandoc.md"),
        &Limits::default(),
    )
    .unwrap();
    let tables: Vec<&Table> = doc.tables().collect();
    assert_eq!(tables.len(), 32);
    // Info tables are HTML blocks with spans, exactly the docx grid.
    let t = tables[0];
    assert_eq!(
        row(t, 0),
        vec![s("467002定州市生态环境局", 5, 1), s("单位：万元", 2, 1)]
    );
    check_first_project_info(t, 0, [2, 1, 1, 6]);
    // Indicator tables are pipe tables: one cell per `|` cell, escapes resolved.
    let ind = tables[1];
    assert_eq!(ind.rows.len(), 4);
    assert_eq!(
        row(ind, 1).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        [
            "产出指标",
            "时效指标",
            "完成率",
            "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）",
            "≥60",
            ""
        ]
    );
    let all: Vec<String> = tables
        .iter()
        .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.text())))
        .collect();
    assert!(all.iter().any(|v| v == ">10") && all.iter().any(|v| v == "<10"));
    let Origin::Html { path, byte } = &ind.rows[1].cells[4].origin else {
        panic!()
    };
    assert!(path.ends_with("/r1/c4"), "{path}");
    let text = fixture("seed.pandoc.md");
    assert!(
        text[*byte as usize..].starts_with(" ≥60".as_bytes())
            || text[*byte as usize..].starts_with("≥60".as_bytes())
    );
    assert_eq!(paragraphs(&doc).len(), 51);
}

#[test]
fn seed_markitdown_keeps_its_rows_as_written() {
    let doc = read_markdown(
        "seed.markitdown.md",
        &fixture("seed.markitdown.md"),
        &Limits::default(),
    )
    .unwrap();
    let tables: Vec<&Table> = doc.tables().collect();
    assert_eq!(tables.len(), 32);
    let t = tables[0];
    // An empty header row, then the rows; spans are lost (1 everywhere).
    assert!(t.rows[0].cells.iter().all(|c| c.is_blank()));
    let r = row(t, 2);
    assert_eq!(
        (r[0].0.as_str(), r[1].0.as_str()),
        ("项目编码", "467-0201-YCN-4OK6")
    );
    assert!(r.iter().all(|c| c.1 == 1 && c.2 == 1));
    assert_eq!(row(t, 3)[2].0, "4621.00");
    // The row under the rowspan is one cell short in the file (6 of 7).
    assert_eq!(row(t, 4)[0].0, "大气污染治理各项工作");
    assert_eq!(t.rows[4].cells.len(), 6);
    assert_eq!(
        t.rows[7].cells[1].text(),
        "1、完成上级下达的机动车污染治理任务  2、完成上级下达的大气污染治理任务"
    );
    assert_eq!(paragraphs(&doc).len(), 51);
}
