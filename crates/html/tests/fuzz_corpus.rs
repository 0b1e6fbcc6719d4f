//! Replays the committed fuzz corpus (fuzz/corpus/html/, fuzz/regressions/html/) through both
//! readers on stable Rust, with the fuzz target's span checks (the writers' checks run in the
//! workspace's own corpus replay).

use std::path::Path;

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let mut v: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn check_spans(t: &tablift_model::Table) {
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            assert!((1..=tablift_html::MAX_COLSPAN).contains(&c.col_span));
            assert!(c.row_span >= 1 && r + c.row_span as usize <= t.rows.len());
            c.tables.iter().for_each(check_spans);
        }
    }
    assert_eq!(t.logical_rows().len(), t.rows.len());
}

#[test]
fn html_corpus() {
    let inputs = files("fuzz/corpus/html");
    assert!(inputs.len() >= 4, "the committed corpus is missing");
    let limits = tablift_html::Limits::default();
    let mut tables = 0;
    for path in inputs.into_iter().chain(files("fuzz/regressions/html")) {
        let data = std::fs::read(&path).unwrap();
        for doc in [
            tablift_html::read_html("fuzz.html", &data, &limits),
            tablift_html::read_markdown("fuzz.md", &data, &limits),
        ]
        .into_iter()
        .flatten()
        {
            doc.tables().for_each(check_spans);
            tables += doc.tables().count();
        }
    }
    assert!(tables > 0);
}
