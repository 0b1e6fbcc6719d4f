//! Replays the committed fuzz corpus and crash reproducers (fuzz/corpus/<target>/, fuzz/artifacts/
//! when present) through the same code the fuzz targets run, so every CI run re-checks them on
//! stable Rust without cargo-fuzz.

use std::path::Path;

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
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

#[test]
fn textexport_corpus() {
    let inputs = files("fuzz/corpus/textexport");
    assert!(inputs.len() >= 4, "the committed corpus is missing");
    for path in inputs
        .into_iter()
        .chain(files("fuzz/regressions/textexport"))
    {
        let data = std::fs::read(&path).unwrap();
        let options = tablift_textexport::Options::default();
        if let Ok(doc) = tablift_textexport::parse("fuzz.txt", &data, &options) {
            let _ = tablift_budget::normalise(&doc);
        }
    }
}

#[test]
fn docx_corpus() {
    for path in files("fuzz/corpus/docx")
        .into_iter()
        .chain(files("fuzz/regressions/docx"))
    {
        let data = std::fs::read(&path).unwrap();
        let limits = tablift_docx::Limits::default();
        if let Ok(doc) = tablift_docx::read("fuzz.docx", &data, &limits) {
            let _ = tablift_budget::normalise(&doc);
        }
    }
}

#[test]
fn normalise_corpus() {
    for path in files("fuzz/corpus/normalise")
        .into_iter()
        .chain(files("fuzz/regressions/normalise"))
    {
        let data = std::fs::read(&path).unwrap();
        let doc = tablift_model::document_from_fuzz_bytes(&data);
        render_and_check(&doc);
    }
}

// Kept identical to the copy in fuzz/fuzz_targets/normalise.rs.
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
