//! Replays the committed fuzz corpus and crash reproducers (fuzz/corpus/<target>/,
//! fuzz/regressions/<target>/) through the same code the fuzz targets run, their checks of the
//! writers included, so every CI run re-checks them on stable Rust without cargo-fuzz.

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
            render_and_check(&doc);
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
            render_and_check(&doc);
        }
    }
}

#[test]
fn doc_corpus() {
    let inputs = files("fuzz/corpus/doc");
    assert!(inputs.len() >= 4, "the committed corpus is missing");
    let mut read = 0;
    for path in inputs.into_iter().chain(files("fuzz/regressions/doc")) {
        let data = std::fs::read(&path).unwrap();
        let limits = tablift_doc::Limits::default();
        if let Ok(doc) = tablift_doc::read("fuzz.doc", &data, &limits) {
            render_and_check(&doc);
            read += 1;
        }
    }
    // seed.doc and the three handmade files read; the mutations may not.
    assert!(read >= 4, "{read}");
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

// The fuzz targets' own check, so that the corpus replay checks exactly what they check.
include!("../fuzz/fuzz_targets/check.rs");
