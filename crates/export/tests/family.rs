//! A family the exporter has never heard of, registered the way the budget family is: its
//! datasets come out as CSV files with their declared headers, every value type written as
//! documented, quoting as RFC 4180, and its JSON members in the document's line.

use rust_decimal::Decimal;
use std::sync::Arc;
use tablift_dataset::{Column, ColumnType, Extracted, Family, RowSink, Schema, Value};
use tablift_export::{Failure, Format, Layout, OutputOptions, OutputSet, Rendered, Renderer};
use tablift_model::read::FailureKind;
use tablift_model::{Document, Origin, SourceFormat, SourceInfo};

struct Toy;
struct ToyOut(String);

const DATASETS: &[Schema] = &[
    Schema::new(
        "toys",
        &[
            Column::new("source", ColumnType::Text),
            Column::new("name", ColumnType::Text),
            Column::new("count", ColumnType::Integer),
            Column::new("price", ColumnType::Decimal { scale: 2 }),
            Column::new("ok", ColumnType::Boolean),
            Column::new("parts", ColumnType::Text),
            Column::new("origin", ColumnType::Origin),
        ],
    ),
    Schema::new("empty", &[Column::new("source", ColumnType::Text)]),
];

impl Family for Toy {
    fn name(&self) -> &'static str {
        "toy"
    }
    fn datasets(&self) -> &'static [Schema] {
        DATASETS
    }
    fn extract<'d>(&self, doc: &'d Document) -> Box<dyn Extracted + 'd> {
        Box::new(ToyOut(doc.source.path.clone()))
    }
}

impl Extracted for ToyOut {
    fn rows(&self, source: &str, sink: &mut dyn RowSink) {
        let parts = ["a".to_string(), "b,c".to_string()];
        let origin = Origin::Docx {
            part: "word/document.xml".into(),
            path: "b1/r2".into(),
        };
        sink.row(
            0,
            &[
                Value::Text(source),
                Value::Text("say \"hi\""),
                Value::UInt(42),
                Value::Decimal(Decimal::new(462100, 2)),
                Value::Bool(true),
                Value::Joined(&parts, " > "),
                Value::Origin(&origin),
            ],
        );
        sink.row(
            0,
            &[
                Value::Text(source),
                Value::Null,
                Value::Int(-1),
                Value::Null,
                Value::Bool(false),
                Value::Joined(&[], "\n"),
                Value::Origin(&Origin::text(67, 1290)),
            ],
        );
    }
    fn json_members(&self, out: &mut Vec<u8>) -> std::io::Result<bool> {
        out.extend_from_slice(b"\"toy\":");
        serde_json::to_writer(&mut *out, &self.0)?;
        Ok(true)
    }
}

fn doc() -> Document {
    Document::new(SourceInfo::new("in.txt", SourceFormat::TextExport))
}

#[test]
fn a_new_family_is_written_without_the_exporter_knowing_it() {
    let dir = std::env::temp_dir().join(format!("tablift-export-family-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let layout = Layout::new([("toy", Toy.datasets())]);
    let options = OutputOptions {
        formats: vec![Format::Csv, Format::Jsonl],
        excel: true,
    };
    let mut out = OutputSet::create(&dir, layout, &options).unwrap();
    let renderer = out.renderer();
    let mut rendered = Rendered::new();
    let d = doc();
    let extracted = [Toy.extract(&d)];
    renderer
        .document("dir,x/in.txt", &d, &extracted, &mut rendered)
        .unwrap();
    assert_eq!(rendered.dataset_rows(0), 2);
    out.write(&rendered).unwrap();
    out.failure(&Failure::new("bad.txt", FailureKind::Binary, "NUL byte"))
        .unwrap();
    let manifest = out.finish(serde_json::json!({})).unwrap();

    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    assert_eq!(
        read("toys.csv"),
        "\u{feff}source,name,count,price,ok,parts,origin\n\
         \"dir,x/in.txt\",\"say \"\"hi\"\"\",42,4621.00,true,\"a > b,c\",word/document.xml:b1/r2\n\
         \"dir,x/in.txt\",,-1,,false,,line 67 (byte 1290)\n"
    );
    assert_eq!(read("empty.csv"), "\u{feff}source\n");
    assert_eq!(
        read("failures.csv"),
        "\u{feff}source,kind,message,position\nbad.txt,binary,NUL byte,\n"
    );
    assert_eq!(
        read("documents.jsonl"),
        "{\"source\":\"dir,x/in.txt\",\"toy\":\"in.txt\"}\n"
    );
    assert_eq!(manifest["files"]["toys.csv"]["rows"], 2);
    assert_eq!(manifest["files"]["failures.csv"]["rows"], 1);
    assert_eq!(manifest["documents_ok"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_model_line_is_serde_json_and_csv_off_still_counts_rows() {
    let layout = Arc::new(Layout::new([("toy", Toy.datasets())]));
    let renderer = Renderer::new(layout, &[Format::Model]);
    let mut rendered = Rendered::new();
    let d = doc();
    let extracted = [Toy.extract(&d)];
    renderer
        .document("s", &d, &extracted, &mut rendered)
        .unwrap();
    let want = format!(
        "{{\"source\":\"s\",\"model\":{}}}\n",
        serde_json::to_string(&d).unwrap()
    );
    assert_eq!(rendered.bytes("model.jsonl"), want.as_bytes());
    assert!(rendered.bytes("toys.csv").is_empty());
    assert_eq!(rendered.dataset_rows(0), 2);
    rendered.clear();
    assert!(rendered.is_empty() && rendered.bytes("model.jsonl").is_empty());
}
