//! `tablift schema`: what the outputs hold, generated from the code that writes them.
//!
//! The JSON Schema of a `documents.jsonl` line is assembled from each family's own schema of
//! the members it adds ([`Family::json_schema`](tablift_dataset::Family::json_schema), derived
//! from its record types) around the `source` member the exporter writes; every dataset's
//! columns come from its declared [`Schema`](tablift_dataset::Schema), with the CSV type name
//! and the Parquet type the writer uses ([`arrow_schema`]). Nothing here is written by hand,
//! so `docs/SCHEMA.json` (this output, committed) cannot drift from the writers unnoticed.

use crate::layout::Layout;
use serde_json::{json, Map, Value};

/// The JSON Schema dialect of the `documents.jsonl` schema.
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Everything `tablift schema` prints: `documents.jsonl`'s JSON Schema (from the families'
/// `members`, in registration order) and every dataset's columns.
pub fn describe(layout: &Layout, members: &[Value]) -> Value {
    json!({
        "documents.jsonl": documents_schema(members),
        "datasets": datasets(layout),
    })
}

/// `{"source": …}` plus every family's members: properties, required names and `$defs`
/// merged (definitions of the same name are the same type, written by the same code).
fn documents_schema(members: &[Value]) -> Value {
    let mut properties = Map::new();
    properties.insert(
        "source".into(),
        json!({ "type": "string", "description": "The input's name, as in every dataset's source column." }),
    );
    let mut required = vec![Value::from("source")];
    let mut defs = Map::new();
    for m in members {
        if let Some(p) = m.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        if let Some(r) = m.get("required").and_then(Value::as_array) {
            required.extend(r.iter().cloned());
        }
        if let Some(d) = m.get("$defs").and_then(Value::as_object) {
            defs.extend(d.clone());
        }
    }
    json!({
        "$schema": DIALECT,
        "title": "documents.jsonl record",
        "description": "One line of documents.jsonl: one document's records, nested.",
        "type": "object",
        "properties": properties,
        "required": required,
        "$defs": defs,
    })
}

/// Each column's Arrow type as Parquet is written with it (none without the `parquet`
/// feature, or for a schema it cannot write).
#[cfg(feature = "parquet")]
fn arrow_types(schema: &tablift_dataset::Schema) -> Option<Vec<String>> {
    let arrow = crate::columnar::arrow_schema(schema).ok()?;
    Some(
        arrow
            .fields()
            .iter()
            .map(|f| f.data_type().to_string())
            .collect(),
    )
}

#[cfg(not(feature = "parquet"))]
fn arrow_types(_schema: &tablift_dataset::Schema) -> Option<Vec<String>> {
    None
}

/// Each dataset with its family and its columns' types (CSV and Parquet).
fn datasets(layout: &Layout) -> Value {
    let list = layout
        .datasets()
        .iter()
        .map(|d| {
            let parquet = arrow_types(&d.schema);
            let columns = d
                .schema
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pq = parquet.as_ref().and_then(|types| types.get(i));
                    json!({ "name": c.name, "type": c.ty.name(), "arrow": pq, "nullable": true })
                })
                .collect::<Vec<_>>();
            json!({
                "name": d.schema.name,
                "family": d.family,
                "files": [format!("{}.csv", d.schema.name), format!("{}.parquet", d.schema.name)],
                "columns": columns,
            })
        })
        .collect::<Vec<_>>();
    Value::Array(list)
}
