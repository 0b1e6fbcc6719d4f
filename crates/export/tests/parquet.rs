//! The Parquet writer on its own: rows stream into row groups of exactly `ROW_GROUP_ROWS`
//! whatever the batching (so the bytes do not depend on how many documents a worker rendered
//! at once), every type reads back as written, and a value that does not fit its column fails
//! the document that holds it with a message naming the column.

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use tablift_dataset::{Column, ColumnType, Extracted, Family, RowSink, Schema, Value};
use tablift_export::{Format, Layout, OutputOptions, OutputSet, Rendered, ROW_GROUP_ROWS};
use tablift_model::{Document, Origin, SourceFormat, SourceInfo};

const DATASETS: &[Schema] = &[Schema::new(
    "numbers",
    &[
        Column::new("source", ColumnType::Text),
        Column::new("n", ColumnType::Integer),
        Column::new("amount", ColumnType::Decimal { scale: 2 }),
        Column::new("even", ColumnType::Boolean),
        Column::new("origin", ColumnType::Origin),
    ],
)];

/// A family whose document `rows:K:SCALE` gives K rows, amounts with SCALE digits.
struct Numbers;
struct NumbersOut(u64, u32);

impl Family for Numbers {
    fn name(&self) -> &'static str {
        "numbers"
    }
    fn datasets(&self) -> &'static [Schema] {
        DATASETS
    }
    fn extract<'d>(&self, doc: &'d Document) -> Box<dyn Extracted + 'd> {
        let mut parts = doc.source.path.split(':').skip(1);
        let n = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let scale = parts.next().and_then(|s| s.parse().ok()).unwrap_or(2);
        Box::new(NumbersOut(n, scale))
    }
}

impl Extracted for NumbersOut {
    fn rows(&self, source: &str, sink: &mut dyn RowSink) {
        for i in 0..self.0 {
            let origin = Origin::text(u32::try_from(i).unwrap(), i * 10);
            let amount = Decimal::new(i64::try_from(i).unwrap() * 7, self.1);
            sink.row(
                0,
                &[
                    Value::Text(source),
                    if i % 5 == 0 {
                        Value::Null
                    } else {
                        Value::UInt(i)
                    },
                    Value::Decimal(amount),
                    Value::Bool(i % 2 == 0),
                    Value::Origin(&origin),
                ],
            );
        }
    }
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tablift-parquet-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Write documents of `sizes` rows, `per_write` documents rendered per batch.
fn write(dir: &Path, sizes: &[u64], per_write: usize) -> Vec<u8> {
    let options = OutputOptions {
        formats: vec![Format::Parquet],
        excel: false,
    };
    let mut out = OutputSet::create(
        dir,
        Layout::new([("numbers", Numbers.datasets())]),
        &options,
    )
    .unwrap();
    let renderer = out.renderer();
    for chunk in sizes.chunks(per_write) {
        let mut rendered = Rendered::new();
        for n in chunk {
            let d = Document::new(SourceInfo::new(
                format!("rows:{n}"),
                SourceFormat::TextExport,
            ));
            renderer
                .document(&d.source.path, &d, &[Numbers.extract(&d)], &mut rendered)
                .unwrap();
        }
        out.write(&rendered).unwrap();
    }
    out.finish(serde_json::json!({})).unwrap();
    std::fs::read(dir.join("numbers.parquet")).unwrap()
}

#[test]
fn row_groups_are_cut_by_row_count_whatever_the_batching() {
    let sizes: Vec<u64> = (0..40).map(|i| 3_000 + (i * 997) % 2_000).collect();
    let total: u64 = sizes.iter().sum();
    let (a, b) = (dir("one"), dir("many"));
    let one = write(&a, &sizes, 1);
    let many = write(&b, &sizes, 7);
    assert!(one == many, "the bytes depend on the batching");

    let reader = ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(a.join("numbers.parquet")).unwrap(),
    )
    .unwrap();
    let groups: Vec<i64> = reader
        .metadata()
        .row_groups()
        .iter()
        .map(|g| g.num_rows())
        .collect();
    let full = i64::try_from(ROW_GROUP_ROWS).unwrap();
    assert!(groups.len() >= 2, "{groups:?}");
    assert!(
        groups[..groups.len() - 1].iter().all(|n| *n == full),
        "{groups:?}"
    );
    assert_eq!(groups.iter().sum::<i64>(), i64::try_from(total).unwrap());
    // No partial file left; the manifest counts the rows.
    assert!(!a.join(".numbers.parquet.partial").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["files"]["numbers.parquet"]["rows"], total);
    assert_eq!(manifest["files"]["failures.parquet"]["rows"], 0);
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
}

#[test]
fn a_decimal_finer_than_its_column_fails_its_document_naming_the_column() {
    let layout = std::sync::Arc::new(Layout::new([("numbers", Numbers.datasets())]));
    let renderer = tablift_export::Renderer::new(layout, &[Format::Csv, Format::Parquet]);
    let mut rendered = Rendered::new();
    let d = Document::new(SourceInfo::new("rows:3:3", SourceFormat::TextExport));
    let e = renderer
        .document("s", &d, &[Numbers.extract(&d)], &mut rendered)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "numbers.amount: 0.007 has more than the 2 fractional digits the Parquet column holds"
    );
    // A coarser scale is the same number at the column's: written.
    let d = Document::new(SourceInfo::new("rows:3:0", SourceFormat::TextExport));
    rendered.clear();
    renderer
        .document("s", &d, &[Numbers.extract(&d)], &mut rendered)
        .unwrap();
}
