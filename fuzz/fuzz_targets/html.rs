//! HTML and Markdown readers on the same bytes (the HTML parser's fast path checked against
//! html5ever first), then the normaliser and the writers (checked
//! against serde_json and csv) on whatever they produced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = tablift_html::Limits::default();
    // The fast parse path must build what html5ever builds wherever it answers.
    if let Err(e) = tablift_html::differential::page(data, &limits) {
        panic!("fast path differs from html5ever: {e}");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = tablift_html::differential::fragment(text, &limits) {
            panic!("fast path differs from html5ever on a fragment: {e}");
        }
    }
    if let Ok(doc) = tablift_html::read_html("fuzz.html", data, &limits) {
        check_spans(&doc);
        render_and_check(&doc);
    }
    if let Ok(doc) = tablift_html::read_markdown("fuzz.md", data, &limits) {
        check_spans(&doc);
        render_and_check(&doc);
    }
});

/// Spans are clamped: at least 1, colspan at most 1000, rowspan never past the table.
fn check_spans(doc: &tablift_model::Document) {
    fn table(t: &tablift_model::Table) {
        for (r, row) in t.rows.iter().enumerate() {
            for c in &row.cells {
                assert!((1..=tablift_html::MAX_COLSPAN).contains(&c.col_span));
                assert!(c.row_span >= 1 && r + c.row_span as usize <= t.rows.len());
                c.tables.iter().for_each(table);
            }
        }
        assert_eq!(t.logical_rows().len(), t.rows.len());
    }
    doc.tables().for_each(table);
}

include!("check.rs");
