//! The seed document as a PDF (LibreOffice's and Chromium's), checked against real values and
//! against what the `.docx` reader gives for the same document.

use tablift_model::{Block, Document, Origin, Table};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn pdf(name: &str) -> Document {
    tablift_pdf::read(name, &fixture(name), &tablift_pdf::Limits::default()).unwrap()
}

fn docx() -> Document {
    let bytes = fixture("seed/seed.docx");
    tablift_docx::read("seed.docx", &bytes, &tablift_docx::Limits::default()).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The rows of each table as cell texts without whitespace; tables that follow each other
/// with no paragraph between are one (the `.docx` splits each project into an info table and
/// an indicator table that print as one ruled block).
fn table_texts(doc: &Document) -> Vec<Vec<Vec<String>>> {
    let mut out: Vec<Vec<Vec<String>>> = Vec::new();
    let mut previous_was_table = false;
    for b in &doc.blocks {
        match b {
            Block::Table(t) => {
                let rows = t
                    .rows
                    .iter()
                    .map(|r| r.cells.iter().map(|c| squeeze(&c.text())).collect())
                    .collect::<Vec<Vec<String>>>();
                match out.last_mut() {
                    Some(last) if previous_was_table => last.extend(rows),
                    _ => out.push(rows),
                }
                previous_was_table = true;
            }
            Block::Paragraph(_) => previous_was_table = false,
        }
    }
    out
}

/// Cells equal / cells compared, and the differences, table by table and row by row.
fn compare(pdf: &Document, reference: &Document) -> (usize, usize, Vec<String>) {
    let (a, b) = (table_texts(pdf), table_texts(reference));
    let (mut same, mut total, mut diffs) = (0, 0, Vec::new());
    if a.len() != b.len() {
        diffs.push(format!("{} tables, reference {}", a.len(), b.len()));
    }
    for (t, (ta, tb)) in a.iter().zip(&b).enumerate() {
        if ta.len() != tb.len() {
            diffs.push(format!(
                "table {t}: {} rows, reference {}",
                ta.len(),
                tb.len()
            ));
        }
        for (r, (ra, rb)) in ta.iter().zip(tb).enumerate() {
            total += rb.len().max(ra.len());
            for (ca, cb) in ra.iter().zip(rb) {
                if ca == cb {
                    same += 1;
                } else {
                    diffs.push(format!("table {t} row {r}: {ca:?} vs {cb:?}"));
                }
            }
            if ra.len() != rb.len() {
                diffs.push(format!("table {t} row {r}: {ra:?} vs {rb:?}"));
            }
        }
    }
    (same, total, diffs)
}

fn indicator_rows(doc: &Document) -> usize {
    let first_level = ["产出指标", "效果指标", "效益指标", "满意度指标"];
    doc.tables()
        .flat_map(Table::logical_rows)
        .filter(|r| {
            r.first()
                .is_some_and(|c| first_level.contains(&squeeze(&c.cell.text()).as_str()))
        })
        .count()
}

#[test]
fn libreoffice_pdf_has_the_seed_values() {
    let doc = pdf("pdf/seed.pdf");
    assert_eq!(doc.tables().count(), 16);
    let first = doc.tables().next().unwrap();
    let code = first
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .find(|c| c.text() == "467-0201-YCN-4OK6");
    assert!(
        code.is_some(),
        "first project's code not in a cell of its own"
    );
    assert_eq!(indicator_rows(&doc), 48);
    let texts: Vec<String> = doc
        .tables()
        .flat_map(|t| &t.rows)
        .flat_map(|r| &r.cells)
        .map(|c| c.text())
        .collect();
    // The code cut by the page break between pages 4 and 5 is one cell again.
    assert!(texts.iter().any(|t| t == "467-0602-YBN-E8OQ"), "{texts:?}");
    // Merged cells keep their spans.
    let cells = || doc.tables().flat_map(|t| &t.rows).flat_map(|r| &r.cells);
    assert!(cells().any(|c| c.row_span > 1));
    assert!(cells().any(|c| c.col_span > 1));
    // Provenance on every block, row and cell.
    let is_pdf = |o: &Origin| matches!(o, Origin::Pdf { page, .. } if *page >= 1 && *page <= 12);
    assert!(doc.blocks.iter().all(|b| is_pdf(b.origin())));
    assert!(doc
        .tables()
        .flat_map(|t| &t.rows)
        .all(|r| is_pdf(&r.origin)));
    assert!(cells().all(|c| is_pdf(&c.origin)));
    // Narrative text outside the tables.
    assert!(doc.blocks.iter().any(|b| matches!(b,
        Block::Paragraph(p) if p.text == "一、总体绩效目标")));
}

#[test]
fn libreoffice_pdf_matches_the_docx_tables() {
    let (same, total, diffs) = compare(&pdf("pdf/seed.pdf"), &docx());
    println!("seed.pdf: {same}/{total} cells match seed.docx");
    for d in &diffs {
        println!("  {d}");
    }
    assert!(diffs.is_empty(), "{} differences", diffs.len());
}

#[test]
fn chromium_pdf_matches_the_docx_tables() {
    let doc = pdf("pdf/seed.chromium.pdf");
    let (same, total, diffs) = compare(&doc, &docx());
    println!("seed.chromium.pdf: {same}/{total} cells match seed.docx");
    for d in &diffs {
        println!("  {d}");
    }
    assert_eq!(doc.tables().count(), 16);
    assert_eq!(indicator_rows(&doc), 48);
    assert!(diffs.is_empty(), "{} differences", diffs.len());
}
