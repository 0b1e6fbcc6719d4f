//! `tablift schema` is what docs/SCHEMA.json holds, and it is what the writers write: every
//! dataset's CSV header and Parquet column types of a real run match it.

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;
use std::process::Command;

fn tablift(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_tablift"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run tablift");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn printed() -> serde_json::Value {
    serde_json::from_slice(&tablift(&["schema"]).stdout).unwrap()
}

#[test]
fn the_committed_schema_is_what_the_binary_prints() {
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SCHEMA.json"))
            .unwrap();
    let out = tablift(&["schema"]);
    assert!(
        committed.as_bytes() == out.stdout.as_slice(),
        "docs/SCHEMA.json is stale: regenerate it with `cargo run -q -- schema > docs/SCHEMA.json`"
    );
}

#[test]
fn written_csv_and_parquet_columns_match_the_schema() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("schema-run");
    let _ = std::fs::remove_dir_all(&dir);
    tablift(&[
        "extract",
        "-o",
        dir.to_str().unwrap(),
        "-q",
        "--format",
        "csv,jsonl,parquet",
    ]);
    let schema = printed();
    let datasets = schema["datasets"].as_array().unwrap();
    assert_eq!(datasets.len(), 9); // 6 budget, tables, tables_index, failures
    for d in datasets {
        let name = d["name"].as_str().unwrap();
        let columns = d["columns"].as_array().unwrap();
        let names: Vec<&str> = columns
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        let header = csv::Reader::from_path(dir.join(format!("{name}.csv")))
            .unwrap()
            .headers()
            .unwrap()
            .clone();
        assert_eq!(header.iter().collect::<Vec<_>>(), names, "{name}.csv");
        let file = std::fs::File::open(dir.join(format!("{name}.parquet"))).unwrap();
        let parquet = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let types: Vec<(String, String)> = parquet
            .schema()
            .fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().to_string()))
            .collect();
        let want: Vec<(String, String)> = columns
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["arrow"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(types, want, "{name}.parquet");
    }
    // documents.jsonl: every line has the members the schema requires (the full validation
    // against the JSON Schema is in tests/python, with the jsonschema package).
    let required: Vec<&str> = schema["documents.jsonl"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        required.contains(&"projects") && required.contains(&"source"),
        "{required:?}"
    );
    for line in std::fs::read_to_string(dir.join("documents.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for r in &required {
            assert!(v.get(r).is_some(), "documents.jsonl line without {r}");
        }
    }
}
