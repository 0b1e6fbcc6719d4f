//! Forms as data: every file in `fixtures/forms/` is read by its reader and normalised, and
//! its records are checked against the `<file>.expected.json` beside it, written by hand.
//!
//! The expected file holds what a careful reader sees in the source: `projects`, each a subset
//! of the record as `documents.jsonl` serialises it (only the keys written are compared; a list
//! must have exactly the entries written, each compared the same way), and optionally
//! `flags`: the least number of flags of each code (0: none at all). Adding a form is a change to the
//! vocabulary (`crates/budget/src/vocab.rs`) plus a fixture and its expected file: no test code.
//!
//! A page printed to PDF by Chromium, `<form>.chromium.pdf` (headless `--print-to-pdf`, with
//! `--no-pdf-header-footer`), is checked against its page's expected file,
//! `<form>.html.expected.json`: the print must give exactly what the page gives.

use serde_json::Value;
use std::path::{Path, PathBuf};
use tablift_model::Document;

fn read(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let doc = match ext {
        "docx" => tablift_docx::read(&name, &bytes, &tablift_docx::Limits::default())
            .map_err(|e| e.to_string()),
        "html" | "htm" => tablift_html::read_html(&name, &bytes, &tablift_html::Limits::default())
            .map_err(|e| e.to_string()),
        "pdf" => tablift_pdf::read(&name, &bytes, &tablift_pdf::Limits::default())
            .map_err(|e| e.to_string()),
        "md" => tablift_html::read_markdown(&name, &bytes, &tablift_html::Limits::default())
            .map_err(|e| e.to_string()),
        _ => tablift_textexport::parse(&name, &bytes, &tablift_textexport::Options::default())
            .map_err(|e| e.to_string()),
    };
    doc.unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Where `actual` differs from the subset `expected`, as paths with both sides.
fn differences(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or(&Value::Null);
                differences(ev, av, &format!("{at}.{k}"), out);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{at}: {} entries expected, {} found",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                differences(ev, av, &format!("{at}[{i}]"), out);
            }
        }
        // An indicator row written as a list: [一级, 二级, 三级, 指标值 as written].
        (Value::Array(e), Value::Object(a)) => {
            let keys = ["level1", "level2", "level3"];
            let got: Vec<&Value> = keys
                .iter()
                .map(|k| a.get(*k).unwrap_or(&Value::Null))
                .chain(std::iter::once(
                    a.get("value")
                        .and_then(|v| v.get("raw"))
                        .unwrap_or(&Value::Null),
                ))
                .collect();
            let got = Value::Array(got.into_iter().cloned().collect());
            if e.as_slice() != got.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                out.push(format!("{at}: expected {expected}, found {got}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{at}: expected {e}, found {a}")),
    }
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/forms");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.ends_with(".expected.json") && !name.ends_with(".md.txt") && name != "README.md"
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_form_gives_what_its_expected_file_says() {
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures in fixtures/forms");
    let mut failures = Vec::new();
    for path in &files {
        let shown = path.display().to_string();
        let expected_path = match shown.strip_suffix(".chromium.pdf") {
            Some(page) => PathBuf::from(format!("{page}.html.expected.json")),
            None => PathBuf::from(format!("{shown}.expected.json")),
        };
        let expected: Value = serde_json::from_slice(
            &std::fs::read(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let x = tablift_budget::normalise(&read(path));
        let actual = serde_json::json!({
            "projects": serde_json::to_value(&x.projects).unwrap(),
        });
        let mut diffs = Vec::new();
        if let Some(p) = expected.get("projects") {
            differences(p, &actual["projects"], "projects", &mut diffs);
        }
        for (code, least) in expected
            .get("flags")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let n = x.flags.iter().filter(|f| f.code == code.as_str()).count() as u64;
            let least = least.as_u64().unwrap_or(0);
            if (least == 0 && n > 0) || n < least {
                let want = if least == 0 {
                    "none".to_string()
                } else {
                    format!("at least {least}")
                };
                diffs.push(format!("flags.{code}: {want} expected, {n} found"));
            }
        }
        if !diffs.is_empty() {
            failures.push(format!("{}:\n  {}", path.display(), diffs.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
