//! `--format csv,parquet`: every Parquet file read back with parquet's Arrow reader holds the
//! very values of the CSV of the same run (text, integers, exact decimals, nulls as empty
//! fields), for the bundled sample and for every fixture; and its bytes are the same for any
//! `-j`.

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// Every dataset a run writes (the budget family's, the tables family's, failures).
const DATASETS: &[&str] = &[
    "projects",
    "indicators",
    "goals",
    "spending_plan",
    "sections",
    "flags",
    "tables",
    "failures",
];

/// Run `tablift extract ARGS -o DIR --format csv,parquet -q`; the exit code.
fn extract(dir: &Path, args: &[&str]) -> Option<i32> {
    let _ = std::fs::remove_dir_all(dir);
    let out = Command::new(env!("CARGO_BIN_EXE_tablift"))
        .arg("extract")
        .args(args)
        .args(["--format", "csv,parquet", "-q", "-o"])
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run tablift");
    assert!(
        out.status.code() != Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.status.code()
}

fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn batches(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

/// The value at `row` of `column` as the CSV writes it (null as an empty field); decimals as
/// `Decimal`s, compared by value (the CSV keeps each value's own scale).
fn cell(column: &dyn Array, row: usize) -> Cell {
    if column.is_null(row) {
        return Cell::Text(String::new());
    }
    match column.data_type() {
        DataType::Utf8 => Cell::Text(column.as_string::<i32>().value(row).to_string()),
        DataType::Int64 => Cell::Text(column.as_primitive::<Int64Type>().value(row).to_string()),
        DataType::Boolean => Cell::Text(column.as_boolean().value(row).to_string()),
        DataType::Decimal128(_, scale) => {
            let m = column.as_primitive::<Decimal128Type>().value(row);
            Cell::Decimal(Decimal::from_i128_with_scale(
                m,
                u32::try_from(*scale).unwrap(),
            ))
        }
        other => panic!("unexpected column type {other}"),
    }
}

#[derive(Debug, PartialEq)]
enum Cell {
    Text(String),
    Decimal(Decimal),
}

/// The CSV field as the cell it should equal.
fn expected(field: &str, like: &Cell) -> Cell {
    match like {
        Cell::Decimal(_) => {
            Cell::Decimal(Decimal::from_str(field).unwrap_or_else(|e| panic!("{field}: {e}")))
        }
        Cell::Text(_) => Cell::Text(field.to_string()),
    }
}

/// Every dataset's Parquet equals its CSV, value for value, header for header. Returns the
/// rows compared.
fn assert_parquet_equals_csv(dir: &Path) -> usize {
    let mut compared = 0;
    for name in DATASETS {
        let mut csv = csv::Reader::from_path(dir.join(format!("{name}.csv"))).unwrap();
        let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
        let records: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
        let batches = batches(&dir.join(format!("{name}.parquet")));
        let mut rows = records.iter();
        for batch in &batches {
            let fields: Vec<&str> = batch
                .schema_ref()
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect();
            assert_eq!(fields, header, "{name}: columns");
            for r in 0..batch.num_rows() {
                let record = rows
                    .next()
                    .unwrap_or_else(|| panic!("{name}: more Parquet rows than CSV rows"));
                for (c, column) in batch.columns().iter().enumerate() {
                    let got = cell(column.as_ref(), r);
                    let want = expected(record.get(c).unwrap_or_default(), &got);
                    assert_eq!(
                        got,
                        want,
                        "{name} row {} column {}",
                        compared + 1,
                        header[c]
                    );
                }
                compared += 1;
            }
        }
        assert!(
            rows.next().is_none(),
            "{name}: fewer Parquet rows than CSV rows"
        );
    }
    compared
}

#[test]
fn the_sample_s_parquet_holds_the_csv_values() {
    let dir = scratch("parquet-sample");
    assert_eq!(extract(&dir, &[]), Some(0));
    let rows = assert_parquet_equals_csv(&dir);
    assert!(rows > 1000, "{rows} rows compared");
    // Types as declared: budgets are decimals, counts integers.
    let projects = batches(&dir.join("projects.parquet"));
    let schema = projects[0].schema();
    assert_eq!(
        schema.field_with_name("budget_total").unwrap().data_type(),
        &DataType::Decimal128(38, 6)
    );
    assert_eq!(
        schema.field_with_name("seq").unwrap().data_type(),
        &DataType::Int64
    );
    assert_eq!(
        projects.iter().map(RecordBatch::num_rows).sum::<usize>(),
        32
    );
}

#[test]
fn every_fixture_s_parquet_holds_the_csv_values_and_failures_too() {
    let dir = scratch("parquet-fixtures");
    let bad = scratch("parquet-bad-input");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("broken.docx"), b"PK\x03\x04 not really a zip").unwrap();
    let code = extract(&dir, &["fixtures", bad.to_str().unwrap()]);
    assert_eq!(
        code,
        Some(2),
        "the broken input fails, the others are written"
    );
    assert!(assert_parquet_equals_csv(&dir) > 5000);
    let failures = batches(&dir.join("failures.parquet"));
    assert_eq!(failures.iter().map(RecordBatch::num_rows).sum::<usize>(), 1);
}

#[test]
fn parquet_bytes_are_the_same_for_any_thread_count() {
    let (a, b) = (scratch("parquet-j1"), scratch("parquet-j2"));
    assert_eq!(extract(&a, &["fixtures", "-j", "1"]), Some(0));
    assert_eq!(extract(&b, &["fixtures", "-j", "2"]), Some(0));
    for name in DATASETS {
        let file = format!("{name}.parquet");
        let (x, y) = (
            std::fs::read(a.join(&file)).unwrap(),
            std::fs::read(b.join(&file)).unwrap(),
        );
        assert!(x == y, "{file} differs between -j1 and -j2");
        assert!(
            x.starts_with(b"PAR1") && x.ends_with(b"PAR1"),
            "{file} is a whole Parquet file"
        );
    }
    // Nothing left under a temporary name.
    let partial = std::fs::read_dir(&a)
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".partial"));
    assert!(!partial);
}
