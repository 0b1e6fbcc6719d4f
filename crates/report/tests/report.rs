//! The report's content, without a browser: the seed's 16 projects, flags marked where they
//! point, merged cells as rowspan/colspan, everything escaped, the cap, determinism.

use tablift_dataset::{Extracted, Family};
use tablift_model::read::{Failure, FailureKind};
use tablift_model::{Block, Cell, Document, Origin, Row, SourceFormat, SourceInfo, Table};
use tablift_report::{Options, Renderer, Report};

fn families() -> Vec<Box<dyn Family>> {
    vec![
        Box::new(tablift_budget::BudgetFamily::default()),
        Box::new(tablift_tables::TablesFamily::default()),
    ]
}

fn renderer(families: &[Box<dyn Family>], options: Options) -> Renderer {
    Renderer::new(families.iter().map(|f| (f.name(), f.datasets())), options)
}

fn seed() -> Document {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/seed/seed.tika-doc.txt"
    );
    let bytes = std::fs::read(path).unwrap();
    tablift_textexport::parse("seed.tika-doc.txt", &bytes, &Default::default()).unwrap()
}

/// The report of `docs` (then `failures`), as text.
fn report(docs: &[(&str, &Document)], failures: &[Failure], options: Options) -> String {
    let families = families();
    let r = renderer(&families, options);
    let mut report = Report::new(&r);
    for (i, (source, doc)) in docs.iter().enumerate() {
        let x: Vec<Box<dyn Extracted + '_>> = families.iter().map(|f| f.extract(doc)).collect();
        report.add(r.document(i, source, doc, &x));
    }
    for f in failures {
        report.failure(f);
    }
    let mut out = Vec::new();
    report.write(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn one_table(cells: Vec<Vec<Cell>>) -> Document {
    let mut doc = Document::new(SourceInfo::new("t.html", SourceFormat::Html));
    let rows = cells
        .into_iter()
        .enumerate()
        .map(|(r, cells)| Row {
            cells,
            origin: Origin::text(r as u32 + 1, 0),
            ..Row::default()
        })
        .collect();
    doc.blocks.push(Block::Table(Table {
        rows,
        origin: Origin::text(1, 0),
    }));
    doc
}

#[test]
fn the_seed_shows_its_16_projects_with_their_flags_marked() {
    let doc = seed();
    let html = report(&[("seed.tika-doc.txt", &doc)], &[], Options::default());
    assert_eq!(html.matches("<article class=\"project\"").count(), 16);
    assert!(
        html.contains("id=\"total-projects\">16<"),
        "summary counts the projects"
    );
    // Every flag the family raised is in the page, and those pointing into a source table
    // mark that cell (a source cell has an id `d0t…r…c…`).
    let flagged_cells = html.matches("<td id=\"d0t").filter(|_| true).count();
    assert!(flagged_cells > 0);
    let marked = html
        .split("<td id=\"d0t")
        .skip(1)
        .filter(|c| {
            c.split('>')
                .next()
                .unwrap_or("")
                .contains("class=\"flagged\"")
        })
        .count();
    assert!(marked > 0, "no source cell is marked as flagged");
    assert!(html.contains("class=\"flag-note\""));
    // Values link to the cells they were read from, and those cells exist.
    let link = html.split("<a href=\"#d0t").nth(1).unwrap();
    let id = format!("d0t{}", link.split('"').next().unwrap());
    assert!(html.contains(&format!("id=\"{id}\"")), "{id} is not drawn");
    // Charts are inline SVG, and nothing is fetched from anywhere.
    assert!(html.contains("<svg class=\"chart\""));
    assert!(!html.contains("src=") && !html.contains("<link") && !html.contains("<script"));
}

#[test]
fn merged_cells_are_drawn_with_rowspan_and_colspan() {
    let merged = Cell {
        row_span: 2,
        col_span: 3,
        ..Cell::from_text("合并", Origin::text(1, 0))
    };
    let doc = one_table(vec![
        vec![merged, Cell::from_text("b", Origin::text(1, 9))],
        vec![Cell::from_text("c", Origin::text(2, 20))],
    ]);
    let html = report(&[("t.html", &doc)], &[], Options::default());
    assert!(
        html.contains("<td id=\"d0t0r0c0\" rowspan=\"2\" colspan=\"3\">合并</td>"),
        "{html}"
    );
    assert!(html.contains("<td id=\"d0t0r1c0\">c</td>"));
}

#[test]
fn a_cell_holding_markup_shows_as_text() {
    let doc = one_table(vec![vec![Cell::from_text(
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        Origin::text(1, 0),
    )]]);
    let f = Failure::new(
        "<b>bad</b>.docx",
        FailureKind::NotAZip,
        "not a zip: \"<i>\"",
    );
    let html = report(&[("<script>.html", &doc)], &[f], Options::default());
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>bad"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x"));
    assert!(html.contains("&lt;b&gt;bad&lt;/b&gt;.docx"));
    assert!(
        html.contains("<td>not_a_zip</td>"),
        "failures list kind and message"
    );
}

#[test]
fn documents_past_the_cap_are_counted_but_not_drawn() {
    let doc = seed();
    let options = Options {
        max_documents: 1,
        ..Options::default()
    };
    let html = report(&[("a.txt", &doc), ("b.txt", &doc)], &[], options);
    assert_eq!(html.matches("<section class=\"doc\"").count(), 1);
    assert!(html.contains("id=\"total-projects\">32<"));
    assert!(html.contains("class=\"note limit\""));
    assert!(html.contains("at most 1 documents"));
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let doc = seed();
    let a = report(&[("a.txt", &doc)], &[], Options::default());
    let b = report(&[("a.txt", &doc)], &[], Options::default());
    assert!(a == b);
}

#[test]
fn a_family_without_projects_still_gets_its_source_tables() {
    // Only the generic tables family: no project cards, every table drawn from the model.
    let families: Vec<Box<dyn Family>> = vec![Box::new(tablift_tables::TablesFamily::default())];
    let r = renderer(&families, Options::default());
    let doc = seed();
    let x: Vec<Box<dyn Extracted + '_>> = families.iter().map(|f| f.extract(&doc)).collect();
    let mut report = Report::new(&r);
    report.add(r.document(0, "seed.txt", &doc, &x));
    let mut out = Vec::new();
    report.write(&mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert!(!html.contains("<article class=\"project\""));
    assert_eq!(
        html.matches("<table class=\"src\"").count(),
        doc.tables().count()
    );
    assert!(html.contains("Tables not tied to a project"));
}
