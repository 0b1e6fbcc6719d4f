//! seed.doc (LibreOffice's Word 97 save of the seed) against Tika's text of the published
//! .doc: the normaliser's records must be the same, field by field, apart from origins.

use tablift_budget::{normalise, Extraction, Project, Section};
use tablift_model::Block;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/seed/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn via_doc() -> (tablift_model::Document, Extraction) {
    let doc = tablift_doc::read(
        "seed.doc",
        &fixture("seed.doc"),
        &tablift_doc::Limits::default(),
    )
    .unwrap();
    let x = normalise(&doc);
    (doc, x)
}

fn via_tika() -> Extraction {
    let doc = tablift_textexport::parse(
        "seed.tika-doc.txt",
        &fixture("seed.tika-doc.txt"),
        &tablift_textexport::Options::default(),
    )
    .unwrap();
    normalise(&doc)
}

fn projects(x: &Extraction) -> Vec<Project> {
    x.projects_without_origins()
}

/// Sections without origins and TC levels (LibreOffice rewrote `\l 1` as `\l 2`).
fn sections(x: &Extraction) -> Vec<Section> {
    x.document
        .sections
        .iter()
        .map(|s| Section {
            tc_level: None,
            origin: Default::default(),
            ..s.clone()
        })
        .collect()
}

#[test]
fn records_equal_those_of_tikas_text() {
    let (_, x) = via_doc();
    let base = via_tika();
    assert_eq!(x.projects.len(), 16);
    let rows: usize = x.projects.iter().map(|p| p.indicators.len()).sum();
    assert_eq!(rows, 48);
    assert_eq!(projects(&x), projects(&base));
    assert_eq!(sections(&x), sections(&base));
    let flags = |x: &Extraction| -> Vec<(String, Option<u32>, String)> {
        x.flags
            .iter()
            .map(|f| (f.code.to_string(), f.project_seq, f.field.clone()))
            .collect()
    };
    assert_eq!(flags(&x), flags(&base));
    let d = &x.document;
    assert!(d.recognised);
    assert_eq!(d.format, "doc");
    assert_eq!(
        (d.department_code.as_deref(), d.department_name.as_deref()),
        (
            base.document.department_code.as_deref(),
            base.document.department_name.as_deref()
        )
    );
    assert_eq!((d.unit.as_deref(), d.year), (Some("万元"), Some(2020)));
    assert_eq!(d.department_total, base.document.department_total);
}

#[test]
fn first_project_values_as_written() {
    let (_, x) = via_doc();
    let p = &x.projects[0];
    assert_eq!(p.code.as_deref(), Some("467-0201-YCN-4OK6"));
    assert_eq!(p.name.as_deref(), Some("2020年中央大气污染防治资金"));
    assert_eq!(
        p.budget_total.value.map(|v| v.to_string()).as_deref(),
        Some("4621.00")
    );
    assert_eq!(
        p.tc_entry.as_deref(),
        Some("1、2020年中央大气污染防治资金绩效目标表")
    );
}

#[test]
fn document_shape() {
    let (doc, _) = via_doc();
    // The info grid and the indicator grid of a project follow each other with no paragraph
    // between them: in a .doc (as in Tika's text of one) they are one table of 11 rows.
    let shapes: Vec<(usize, usize)> = doc
        .tables()
        .map(|t| (t.rows.len(), t.rows[2].cells.len()))
        .collect();
    assert_eq!(shapes, vec![(11, 7); 16]);
    assert_eq!(doc.furniture.len(), 1);
    assert_eq!(doc.furniture[0].text, "1");
    let first = doc.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) if p.tc.is_some() => Some(p),
        _ => None,
    });
    let first = first.unwrap();
    assert_eq!(first.text, "一、总体绩效目标");
    let tc = first.tc.as_ref().unwrap();
    assert_eq!((tc.entry.as_str(), tc.level), ("总体绩效目标", Some(2)));
    // Origins name the WordDocument stream and a character position.
    assert_eq!(first.origin.to_string(), "WordDocument:cp15");
    // No cell keeps a trailing empty paragraph.
    for t in doc.tables() {
        for r in &t.rows {
            for c in &r.cells {
                assert!(c.paragraphs.last().is_none_or(|p| !p.trim().is_empty()));
            }
        }
        // Spans from the row properties: every logical row covers the same 13-column grid.
        for (i, row) in t.logical_rows().iter().enumerate() {
            let width: u32 = row.iter().map(|c| c.col_span).sum();
            assert_eq!(width, 13, "row {i}");
        }
    }
    let t = doc.tables().next().unwrap();
    let spans = |r: usize| -> Vec<(String, u32, u32)> {
        t.rows[r]
            .cells
            .iter()
            .map(|c| (c.text(), c.col_span, c.row_span))
            .collect()
    };
    let s = |t: &str, c: u32, r: u32| (t.to_string(), c, r);
    assert_eq!(
        spans(2),
        vec![
            s("预算规模及资金用途", 1, 2),
            s("预算数", 2, 1),
            s("4621.00", 2, 1),
            s("其中：财政资金", 3, 1),
            s("4621.00", 2, 1),
            s("其他资金", 2, 1),
            s("", 1, 1),
        ]
    );
    // The row below lost its continued cell: only the use of funds is left.
    assert_eq!(spans(3), vec![s("大气污染治理各项工作", 12, 1)]);
    assert_eq!(spans(4)[0], s("资金支出计划（%）", 1, 2));
    assert_eq!(spans(5).len(), 4);
}
