// Shared by every fuzz target (`include!`d) and by tests/fuzz_corpus.rs, which replays the
// committed corpus through the same checks on stable Rust.

/// Run every family on `doc` and render it in every format, and check the output against
/// reference writers: the JSON Lines byte for byte against serde_json, every CSV file through
/// the csv crate (each record as wide as its header, the awkward source path read back intact).
fn render_and_check(doc: &tablift_model::Document) {
    use tablift_dataset::{Extracted, Family};
    use tablift_export::{Format, Layout, Rendered, Renderer};
    let budget = tablift_budget::BudgetFamily::default();
    let tables = tablift_tables::TablesFamily {
        files: true,
        spans: tablift_tables::Spans::Fill,
    };
    let families: [&dyn Family; 2] = [&budget, &tables];
    let layout = Layout::new(families.iter().map(|f| (f.name(), f.datasets())));
    let ex = tablift_budget::normalise(doc);
    let source = "fuzz \"dir\",\r\n/doc.docx";
    let renderer = Renderer::new(
        std::sync::Arc::new(layout.clone()),
        &[Format::Csv, Format::Jsonl, Format::Model],
    );
    let mut out = Rendered::new();
    let extracted: Vec<Box<dyn Extracted + '_>> = families.iter().map(|f| f.extract(doc)).collect();
    renderer
        .document(source, doc, &extracted, &mut out)
        .expect("rendering into memory cannot fail");

    let mut want = b"{\"source\":".to_vec();
    serde_json::to_writer(&mut want, source).unwrap();
    want.extend_from_slice(b",\"document\":");
    serde_json::to_writer(&mut want, &ex.document).unwrap();
    want.extend_from_slice(b",\"projects\":");
    serde_json::to_writer(&mut want, &ex.projects).unwrap();
    want.extend_from_slice(b",\"flags\":");
    serde_json::to_writer(&mut want, &ex.flags).unwrap();
    want.extend_from_slice(b"}\n");
    assert!(out.bytes("documents.jsonl") == want, "documents.jsonl differs from serde_json");

    let mut want = b"{\"source\":".to_vec();
    serde_json::to_writer(&mut want, source).unwrap();
    want.extend_from_slice(b",\"model\":");
    serde_json::to_writer(&mut want, doc).unwrap();
    want.extend_from_slice(b"}\n");
    assert!(out.bytes("model.jsonl") == want, "model.jsonl differs from serde_json");

    for d in layout.datasets().iter().filter(|d| d.family.is_some()) {
        let file = format!("{}.csv", d.schema.name);
        let bytes = out.bytes(&file);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[..]);
        for record in rdr.records() {
            let record = record.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(record.len(), d.schema.columns.len(), "{file}: {record:?}");
            assert_eq!(record.get(0), Some(source), "{file}");
        }
    }

    // Every tables/ file is a rectangle: each record as wide as its header.
    for (name, bytes) in out.table_files() {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[..]);
        let mut width = None;
        for record in rdr.records() {
            let record = record.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(*width.get_or_insert(record.len()), record.len(), "{name}: {record:?}");
        }
        assert!(width.is_some(), "{name}: no header");
    }
}
