//! Named, typed datasets and the family interface: where document families and exporters meet.
//!
//! # Brief overview
//!
//! A [`Family`] (the budget disclosures; "generic tables"; later others) turns a
//! [`Document`] into rows of named datasets. Each dataset has a declared [`Schema`]: its name
//! (`projects`, which CSV writes as `projects.csv`) and its columns, each with a
//! [`ColumnType`]. A family's [`Extracted`] output hands its rows to a [`RowSink`] as slices of
//! borrowed [`Value`]s (no allocation per cell), and may add members to the document's line of
//! `documents.jsonl`. Exporters implement `RowSink` and know column types, never a family;
//! families know their forms, never an exporter.
//!
//! ```
//! use tablift_dataset::{Column, ColumnType, RowSink, Schema, Value};
//!
//! const PEOPLE: Schema = Schema::new("people", &[
//!     Column::new("name", ColumnType::Text),
//!     Column::new("age", ColumnType::Integer),
//! ]);
//! struct Count(usize);
//! impl RowSink for Count {
//!     fn row(&mut self, _dataset: usize, values: &[Value<'_>]) { self.0 += values.len(); }
//! }
//! let mut sink = Count(0);
//! sink.row(0, &[Value::Text("王"), Value::Int(40)]);
//! assert_eq!((PEOPLE.columns.len(), sink.0), (2, 2));
//! ```
//!
//! Not for: reading formats (see the reader crates) or writing files (see `tablift-export`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use rust_decimal::Decimal;
use std::io;
use tablift_model::{Document, Origin};

/// The type of a dataset column. Every column may be null (empty in CSV).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// UTF-8 text.
    Text,
    /// A whole number (64-bit).
    Integer,
    /// An exact decimal as written (`4621.00`, never a binary float). `scale` is the largest
    /// number of fractional digits a typed writer (Parquet) reserves; CSV and JSON write each
    /// value with its own scale.
    Decimal {
        /// Fractional digits reserved.
        scale: u32,
    },
    /// `true` / `false`.
    Boolean,
    /// Provenance ([`Origin`]), written as its `Display` text (`line 12 (byte 340)`).
    Origin,
}

impl ColumnType {
    /// The stable name of the type, for schemas printed to users (`text`, `integer`,
    /// `decimal(18,4)`, `boolean`, `origin`).
    pub fn name(&self) -> String {
        match self {
            ColumnType::Text => "text".into(),
            ColumnType::Integer => "integer".into(),
            ColumnType::Decimal { scale } => format!("decimal(38,{scale})"),
            ColumnType::Boolean => "boolean".into(),
            ColumnType::Origin => "origin".into(),
        }
    }
}

/// One column of a dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column's name (CSV header; part of the public contract: never renamed).
    pub name: &'static str,
    /// Its type.
    pub ty: ColumnType,
}

impl Column {
    /// A column.
    pub const fn new(name: &'static str, ty: ColumnType) -> Column {
        Column { name, ty }
    }
}

/// A dataset's declared shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schema {
    /// The dataset's name (`projects`); file names derive from it (`projects.csv`).
    pub name: &'static str,
    /// Columns in order. New columns are only ever appended.
    pub columns: &'static [Column],
}

impl Schema {
    /// A schema.
    pub const fn new(name: &'static str, columns: &'static [Column]) -> Schema {
        Schema { name, columns }
    }

    /// The column names in order.
    pub fn header(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|c| c.name)
    }
}

/// One cell of a dataset row, borrowed from the family's records.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// Missing (an empty CSV field, JSON `null`).
    Null,
    /// Text.
    Text(&'a str),
    /// Text given in parts, joined by the separator (built only by writers that need it).
    Joined(&'a [String], &'a str),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer (row numbers, counts, spans; wide enough for a column past
    /// `u32::MAX`).
    UInt(u64),
    /// An exact decimal.
    Decimal(Decimal),
    /// A boolean.
    Bool(bool),
    /// Provenance.
    Origin(&'a Origin),
}

impl<'a> Value<'a> {
    /// Text, or null when absent.
    pub fn opt_text(v: Option<&'a str>) -> Value<'a> {
        v.map_or(Value::Null, Value::Text)
    }

    /// An unsigned integer, or null when absent.
    pub fn opt_uint(v: Option<impl Into<u64>>) -> Value<'a> {
        v.map_or(Value::Null, |n| Value::UInt(n.into()))
    }

    /// A decimal, or null when absent.
    pub fn opt_decimal(v: Option<Decimal>) -> Value<'a> {
        v.map_or(Value::Null, Value::Decimal)
    }
}

/// Where a family's rows go: an exporter, a counter, a test.
pub trait RowSink {
    /// One row of the family's dataset number `dataset` (an index into
    /// [`Family::datasets`]), its values in the schema's column order.
    fn row(&mut self, dataset: usize, values: &[Value<'_>]);
}

/// Where a family's rectangular tables go: one table per file (`tables/NAME.csv`), each a
/// header row and then rows of exactly as many fields, as `pandas.read_csv` expects.
pub trait TableSink {
    /// Start a table. `name` is its file's path under `tables/` without the extension: `/`
    /// separated, relative, no `.` or `..` components (the family builds it from the input's
    /// name and the table's number, and lists it in its index). `header` gives the column
    /// names, and with them the width of every row that follows.
    fn begin(&mut self, name: &str, header: &[&str]);

    /// One row of the table begun last, `values.len()` equal to the header's.
    fn row(&mut self, values: &[&str]);
}

/// What a family made of one document.
pub trait Extracted: Send {
    /// Hand every row of every dataset to `sink`, datasets in any order, rows in a
    /// deterministic order. `source` is the input's name, the first column of most datasets.
    fn rows(&self, source: &str, sink: &mut dyn RowSink);

    /// Append this family's members of the document's `documents.jsonl` object (`"key":value`
    /// pairs separated by commas, no braces), or nothing. Returns whether anything was written.
    fn json_members(&self, out: &mut Vec<u8>) -> io::Result<bool> {
        let _ = out;
        Ok(false)
    }

    /// Hand this family's rectangular tables to `sink` (the generic tables family's
    /// `tables/` files), in a deterministic order, or nothing (the default).
    fn tables(&self, source: &str, sink: &mut dyn TableSink) {
        let _ = (source, sink);
    }
}

/// A document family: turns documents into named, typed datasets.
pub trait Family: Send + Sync {
    /// A short stable name (`budget`, `tables`).
    fn name(&self) -> &'static str;

    /// The datasets this family writes, in the order their files are listed.
    fn datasets(&self) -> &'static [Schema];

    /// Extract one document. Must never panic; output is deterministic. The result may borrow
    /// the document (a family that only lays out the model's tables copies nothing).
    fn extract<'d>(&self, doc: &'d Document) -> Box<dyn Extracted + 'd>;

    /// The JSON Schema of the members [`Extracted::json_members`] adds to each
    /// `documents.jsonl` object: an object schema whose `properties` (and `required`, `$defs`)
    /// are merged into the line's schema by `tablift schema`. Generate it from the record
    /// types (schemars), never by hand. `None` (the default) for a family that adds nothing.
    fn json_schema(&self) -> Option<serde_json::Value> {
        None
    }
}

/// `failures.csv`: one row per input that could not be read. Written by the exporters
/// themselves (a failure has no document for a family to look at).
pub const FAILURES: Schema = Schema::new(
    "failures",
    &[
        Column::new("source", ColumnType::Text),
        Column::new("kind", ColumnType::Text),
        Column::new("message", ColumnType::Text),
        Column::new("position", ColumnType::Text),
    ],
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_stable() {
        let names: Vec<String> = [
            ColumnType::Text,
            ColumnType::Integer,
            ColumnType::Decimal { scale: 4 },
            ColumnType::Boolean,
            ColumnType::Origin,
        ]
        .iter()
        .map(ColumnType::name)
        .collect();
        assert_eq!(
            names,
            ["text", "integer", "decimal(38,4)", "boolean", "origin"]
        );
        assert_eq!(
            FAILURES.header().collect::<Vec<_>>(),
            ["source", "kind", "message", "position"]
        );
    }
}
