// Shared by every fuzz target (`include!`d) and by tests/fuzz_corpus.rs, which replays the
// committed corpus through the same checks on stable Rust.

/// Normalise and render `doc` in every format, and check the output against reference writers:
/// the JSON Lines byte for byte against serde_json, every CSV file through the csv crate (each
/// record as wide as its header, the awkward source path read back intact).
fn render_and_check(doc: &tablift_model::Document) {
    use tablift_export::{ExportDoc, Format, Rendered, Renderer};
    let ex = tablift_budget::normalise(doc);
    let source = "fuzz \"dir\",\r\n/doc.docx";
    let renderer = Renderer::new(&[Format::Csv, Format::Jsonl, Format::Model]);
    let mut out = Rendered::new();
    let export = ExportDoc {
        source,
        document: doc,
        extraction: &ex,
    };
    renderer.document(&export, &mut out).expect("rendering into memory cannot fail");

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

    for (file, header) in [
        ("projects.csv", tablift_export::PROJECTS_HEADER),
        ("indicators.csv", tablift_export::INDICATORS_HEADER),
        ("goals.csv", tablift_export::GOALS_HEADER),
        ("spending_plan.csv", tablift_export::PLAN_HEADER),
        ("sections.csv", tablift_export::SECTIONS_HEADER),
        ("flags.csv", tablift_export::FLAGS_HEADER),
        ("tables.csv", tablift_export::TABLES_HEADER),
    ] {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.bytes(file));
        for record in rdr.records() {
            let record = record.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(record.len(), header.len(), "{file}: {record:?}");
            assert_eq!(record.get(0), Some(source), "{file}");
        }
    }
}
