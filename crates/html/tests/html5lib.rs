//! Every full-document input of html5lib's tree-construction tests (fixtures/html5lib/) read
//! by the HTML reader: no panic, the model's span invariants, and the tables of the table
//! cases found. These are the HTML5 parsing rules' own hard cases (misnesting, foster
//! parenting, implied tags, foreign content), the inputs a hand-made parse path could get
//! wrong where real pages rarely look.

use std::path::Path;

/// The `#data` inputs of one `.dat` file that are whole documents (not fragment cases).
fn documents(dat: &str) -> Vec<String> {
    let mut out = Vec::new();
    for test in dat
        .split("\n\n#data\n")
        .map(|t| t.strip_prefix("#data\n").unwrap_or(t))
    {
        let Some((data, rest)) = test.split_once("\n#errors") else {
            continue;
        };
        if rest.contains("\n#document-fragment") {
            continue;
        }
        out.push(data.to_string());
    }
    out
}

fn inputs() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/html5lib");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/html5lib")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dat"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).expect("read .dat");
        let text = String::from_utf8_lossy(&bytes);
        let name = f
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        for (i, d) in documents(&text).into_iter().enumerate() {
            out.push((format!("{name}#{i}"), d));
        }
    }
    out
}

fn check_spans(t: &tablift_model::Table, at: &str) {
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            assert!(
                (1..=tablift_html::MAX_COLSPAN).contains(&c.col_span),
                "{at}"
            );
            assert!(
                c.row_span >= 1 && r + c.row_span as usize <= t.rows.len(),
                "{at}"
            );
            c.tables.iter().for_each(|n| check_spans(n, at));
        }
    }
    assert_eq!(t.logical_rows().len(), t.rows.len(), "{at}");
}

#[test]
fn every_tree_construction_document_reads() {
    let all = inputs();
    // 1,792 tests in 57 files, 192 of them fragment cases.
    assert!(all.len() >= 1_500, "only {} inputs", all.len());
    let limits = tablift_html::Limits::default();
    let (mut read, mut with_tables) = (0, 0);
    for (at, html) in &all {
        match tablift_html::read_html(at, html.as_bytes(), &limits) {
            Ok(doc) => {
                read += 1;
                let mut any = false;
                for b in &doc.blocks {
                    if let tablift_model::Block::Table(t) = b {
                        check_spans(t, at);
                        any = true;
                    }
                }
                with_tables += usize::from(any);
            }
            // An input may be refused (an empty page), never panic.
            Err(e) => assert!(!e.to_string().is_empty(), "{at}"),
        }
    }
    assert!(read * 10 >= all.len() * 9, "{read} of {} read", all.len());
    assert!(with_tables >= 100, "{with_tables} documents with tables");
}

/// Three table cases, by what the HTML5 rules make of them.
#[test]
fn table_cases_come_out_as_the_rules_say() {
    let limits = tablift_html::Limits::default();
    let table = |html: &str| {
        let doc = tablift_html::read_html("t.html", html.as_bytes(), &limits).expect("reads");
        doc.blocks
            .iter()
            .find_map(|b| match b {
                tablift_model::Block::Table(t) => Some(t.clone()),
                _ => None,
            })
            .expect("a table")
    };
    // tables01.dat: a bare `<td>` in a table gets its implied `<tbody><tr>`.
    let t = table("<table><td>a<td>b</table>");
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].cells.len(), 2);
    // A `<tr>` closes the open row; a stray `</td>` is ignored.
    let t = table("<table><tr><td>1</td></td><tr><td>2</table>");
    assert_eq!(t.rows.len(), 2);
    // tests7/tables01: text inside `<table>` but outside a cell is foster-parented before the
    // table, never a cell of it.
    let t = table("<table>foster<tr><td>c</td></tr></table>");
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].cells.len(), 1);
    assert_eq!(t.rows[0].cells[0].paragraphs, vec!["c".to_string()]);
}

/// The fast parse path against html5ever on every html5lib document: the HTML5 rules' own
/// hard cases are where a hand-made tree builder would go wrong, so it must either agree
/// with html5ever or leave the input to it.
#[test]
fn fast_path_agrees_with_html5ever_or_bails_out() {
    use tablift_html::differential::{page, Verdict};
    let all = inputs();
    let limits = tablift_html::Limits::default();
    let mut answered = 0;
    let mut differ = Vec::new();
    for (at, html) in &all {
        match page(html.as_bytes(), &limits) {
            Ok(Verdict::Answered) => answered += 1,
            Ok(_) => {}
            Err(e) => differ.push(format!("{at}: {html:?}\n{e}")),
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} differ:\n{}",
        differ.len(),
        all.len(),
        differ
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    // Most of these cases are outside the fast path's subset; a good part is in it.
    assert!(
        answered >= 500,
        "the fast path answered only {answered} (565 when written)"
    );
}
