//! `--tables`: every table as its own rectangular CSV under `tables/`, listed in
//! `tables_index.csv`. The seed's files are compared with goldens under tests/golden/tables/,
//! each checked by hand against seed.docx (opened in LibreOffice) before it was committed;
//! the small pages below are written here and their expected files spelled out.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `tablift extract ARGS -q -o DIR` into a fresh scratch directory; exit code 0 expected.
fn extract(name: &str, args: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_tablift"))
        .arg("extract")
        .args(args)
        .args(["-q", "-o"])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A CSV file as rows of fields.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A page with a two-row header (a group label over two columns, a label spanning both
/// rows) and a merged cell in its body.
const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<h2>表1 资金安排表</h2>
<table>
<thead>
<tr><th rowspan="2">项目</th><th colspan="2">资金</th></tr>
<tr><th>财政</th><th>其他</th></tr>
</thead>
<tbody>
<tr><td rowspan="2">甲, "乙"</td><td>4,621.00</td><td>0</td></tr>
<tr><td>20.00</td><td></td></tr>
</tbody>
</table>
<p>说明</p>
<table><tr><td>a</td><td>1</td></tr></table>
</body></html>
"#;

fn page(dir_name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir_name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("page.html");
    std::fs::write(&file, PAGE).unwrap();
    file
}

#[test]
fn a_header_table_becomes_a_named_rectangle_with_its_merged_cells_filled() {
    let input = page("tables-page-in");
    let out = extract("tables-page", &["--tables", input.to_str().unwrap()]);
    let index = rows(&out.join("tables_index.csv"));
    assert_eq!(
        index[0],
        [
            "source",
            "table",
            "file",
            "caption",
            "rows",
            "columns",
            "header_rows",
            "origin",
            "note"
        ]
    );
    assert_eq!(index.len(), 3, "{index:?}");
    let source = input.to_str().unwrap();
    let stem = tablift_tables::file_stem(source, "001");
    assert_eq!(index[1][0], source);
    assert_eq!(index[1][1], "1");
    assert_eq!(index[1][2], format!("tables/{stem}.csv"));
    assert_eq!(index[1][3], "表1 资金安排表");
    assert_eq!(index[1][4..7], ["4", "3", "2"]);
    assert!(index[1][7].contains("table"), "{}", index[1][7]);
    assert_eq!(index[1][8], "");
    // The second table: caption from the paragraph above it, no header (its row has a number).
    assert_eq!(index[2][3], "说明");
    assert_eq!(index[2][4..7], ["1", "2", "0"]);

    let file = out.join(format!("tables/{stem}.csv"));
    assert_eq!(
        rows(&file),
        [
            vec!["项目", "资金 / 财政", "资金 / 其他"],
            vec!["甲, \"乙\"", "4,621.00", "0"],
            vec!["甲, \"乙\"", "20.00", ""],
        ]
    );
    // Quoted only where needed, as any CSV reader expects.
    assert!(read(&file).contains("\"甲, \"\"乙\"\"\",\"4,621.00\",0\n"));
    let second = out.join(format!(
        "tables/{}.csv",
        tablift_tables::file_stem(source, "002")
    ));
    assert_eq!(rows(&second), [vec!["c1", "c2"], vec!["a", "1"]]);

    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["files"]["tables/"]["files"], 2);
    assert_eq!(manifest["tables"]["spans"], "fill");
}

#[test]
fn spans_blank_leaves_a_merged_cells_covered_slots_empty() {
    let input = page("tables-blank-in");
    let out = extract(
        "tables-blank",
        &["--tables", "--spans", "blank", input.to_str().unwrap()],
    );
    let stem = tablift_tables::file_stem(input.to_str().unwrap(), "001");
    assert_eq!(
        rows(&out.join(format!("tables/{stem}.csv"))),
        [
            vec!["项目", "资金 / 财政", "资金 / 其他"],
            vec!["甲, \"乙\"", "4,621.00", "0"],
            vec!["", "20.00", ""],
        ]
    );
}

/// A Parquet file's columns: (name, every value as text); asserts every column is UTF-8.
fn parquet_columns(path: &Path) -> Vec<(String, Vec<String>)> {
    use arrow_array::{Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut columns: Vec<(String, Vec<String>)> = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        if columns.is_empty() {
            columns = batch
                .schema()
                .fields()
                .iter()
                .map(|f| (f.name().to_string(), Vec::new()))
                .collect();
        }
        for (i, (_, values)) in columns.iter_mut().enumerate() {
            let a = batch.column(i).as_any().downcast_ref::<StringArray>();
            let a = a.unwrap_or_else(|| panic!("{}: column {i} is not UTF-8", path.display()));
            assert_eq!(a.null_count(), 0);
            values.extend((0..a.len()).map(|r| a.value(r).to_string()));
        }
    }
    columns
}

#[test]
fn with_parquet_each_table_is_also_a_parquet_file_of_the_same_cells() {
    let input = page("tables-parquet-in");
    let out = extract(
        "tables-parquet",
        &[
            "--tables",
            "--format",
            "csv,parquet",
            input.to_str().unwrap(),
        ],
    );
    let stem = tablift_tables::file_stem(input.to_str().unwrap(), "001");
    assert_eq!(
        parquet_columns(&out.join(format!("tables/{stem}.parquet"))),
        [
            (
                "项目".to_string(),
                vec!["甲, \"乙\"".to_string(), "甲, \"乙\"".to_string()]
            ),
            (
                "资金 / 财政".to_string(),
                vec!["4,621.00".to_string(), "20.00".to_string()]
            ),
            (
                "资金 / 其他".to_string(),
                vec!["0".to_string(), String::new()]
            ),
        ]
    );
    // Every CSV of the seed has its Parquet twin with the same header and cells.
    let seed = extract(
        "tables-parquet-seed",
        &["--tables", "--format", "parquet", "fixtures/seed/seed.docx"],
    );
    let dir = seed.join("tables/fixtures/seed");
    let mut twins = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let csv_path = entry.unwrap().path();
        if csv_path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let csv_rows = rows(&csv_path);
        let columns = parquet_columns(&csv_path.with_extension("parquet"));
        let header: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(header, csv_rows[0], "{}", csv_path.display());
        for (r, row) in csv_rows[1..].iter().enumerate() {
            for (c, (_, values)) in columns.iter().enumerate() {
                assert_eq!(values[r], row[c], "{} row {r} col {c}", csv_path.display());
            }
        }
        twins += 1;
    }
    assert_eq!(twins, 32);
}

#[test]
fn without_the_flag_the_index_is_written_and_no_table_file() {
    let input = page("tables-off-in");
    let out = extract("tables-off", &[input.to_str().unwrap()]);
    let index = rows(&out.join("tables_index.csv"));
    assert_eq!(index.len(), 3);
    assert_eq!(index[1][2], "", "no file named when none is written");
    assert!(!out.join("tables").exists());
}

/// seed.docx: 32 tables (per project a form table, whose first row holds values and so has
/// no header, and an indicator grid with its one header row). Three files and the index are
/// compared byte for byte with goldens checked by hand against the document.
#[test]
fn the_seed_tables_match_their_hand_checked_goldens() {
    let out = extract("tables-seed", &["--tables", "fixtures/seed/seed.docx"]);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tables");
    assert_eq!(
        read(&out.join("tables_index.csv")),
        read(&golden.join("seed.docx.tables_index.csv"))
    );
    for n in ["001", "002", "032"] {
        let name = format!("seed.docx.t{n}.csv");
        assert_eq!(
            read(&out.join("tables/fixtures/seed").join(&name)),
            read(&golden.join(&name)),
            "{name}"
        );
    }
    let files = std::fs::read_dir(out.join("tables/fixtures/seed"))
        .unwrap()
        .count();
    assert_eq!(files, 32);
}
