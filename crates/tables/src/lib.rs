//! The generic tables family: every table of every document, whatever the document is, as the
//! long-form dataset `tables` (one row per cell, with its grid position, spans and origin).
//!
//! # Brief overview
//!
//! Cells are listed through [`Table::logical_rows`](tablift_model::Table::logical_rows): a
//! merged cell is one row (at its first grid column, with its spans), the slots it covers are
//! not repeated. Tables nested in a cell follow that cell, with ids like `3/r2/c1/t1` (table 3,
//! row 2, column 1, first nested table). Nothing is interpreted: this is what a user converting
//! any report gets, and what the budget family's records can be checked against.
//!
//! ```
//! use tablift_dataset::{Family, RowSink, Value};
//! use tablift_model::{Block, Cell, Document, Origin, Row, SourceFormat, SourceInfo, Table};
//!
//! let mut doc = Document::new(SourceInfo::new("a.txt", SourceFormat::TextExport));
//! let row = Row { cells: vec![Cell::from_text("项目编码", Origin::text(3, 40))], ..Row::default() };
//! doc.blocks.push(Block::Table(Table { rows: vec![row], origin: Origin::text(3, 40) }));
//! struct Texts(Vec<String>);
//! impl RowSink for Texts {
//!     fn row(&mut self, _: usize, values: &[Value<'_>]) {
//!         if let Some(Value::Joined(p, _)) = values.get(6) { self.0.push(p.join("\n")); }
//!     }
//! }
//! let mut sink = Texts(Vec::new());
//! tablift_tables::TablesFamily.extract(&doc).rows("a.txt", &mut sink);
//! assert_eq!(sink.0, ["项目编码"]);
//! ```
//!
//! Not for: deciding what a table means (that is a family like `tablift-budget`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use tablift_dataset::{Column, ColumnType, Extracted, Family, RowSink, Schema, Value};
use tablift_model::{Document, Table};

/// Deepest nesting of tables listed (the readers bound it already; this guard keeps a
/// hand-built model from recursing without end).
pub const MAX_NESTING: usize = 64;

/// The family's one dataset.
pub const DATASETS: &[Schema] = &[Schema::new(
    "tables",
    &[
        Column::new("source", ColumnType::Text),
        Column::new("table", ColumnType::Text),
        Column::new("row", ColumnType::Integer),
        Column::new("col", ColumnType::Integer),
        Column::new("row_span", ColumnType::Integer),
        Column::new("col_span", ColumnType::Integer),
        Column::new("text", ColumnType::Text),
        Column::new("origin", ColumnType::Origin),
    ],
)];

/// Every table as rows of cells.
#[derive(Clone, Copy, Debug, Default)]
pub struct TablesFamily;

impl Family for TablesFamily {
    fn name(&self) -> &'static str {
        "tables"
    }

    fn datasets(&self) -> &'static [Schema] {
        DATASETS
    }

    fn extract<'d>(&self, doc: &'d Document) -> Box<dyn Extracted + 'd> {
        Box::new(Tables(doc))
    }
}

/// A document's tables, borrowed.
struct Tables<'d>(&'d Document);

impl Extracted for Tables<'_> {
    fn rows(&self, source: &str, sink: &mut dyn RowSink) {
        let mut id = String::new();
        for (i, t) in self.0.tables().enumerate() {
            id.clear();
            let _ = write!(id, "{}", i + 1);
            table(sink, source, &mut id, t, 0);
        }
    }
}

/// One row per cell (continued merge slots are not repeated); nested tables follow their
/// cell. `id` is a reused buffer holding the table's id.
fn table(sink: &mut dyn RowSink, source: &str, id: &mut String, t: &Table, depth: usize) {
    for (r, row) in t.logical_rows().iter().enumerate() {
        let row_no = u64::try_from(r).unwrap_or(u64::MAX).saturating_add(1);
        for lc in row.iter().filter(|lc| !lc.continued) {
            // Widened: a column can sit at the grid's end (u32::MAX) in a hostile file.
            let col_no = u64::from(lc.col) + 1;
            sink.row(
                0,
                &[
                    Value::Text(source),
                    Value::Text(id),
                    Value::UInt(row_no),
                    Value::UInt(col_no),
                    Value::UInt(u64::from(lc.cell.row_span)),
                    Value::UInt(u64::from(lc.col_span)),
                    Value::Joined(lc.cell.visible_paragraphs(), "\n"),
                    Value::Origin(&lc.cell.origin),
                ],
            );
            if depth < MAX_NESTING {
                for (k, nested) in lc.cell.tables.iter().enumerate() {
                    let len = id.len();
                    let _ = write!(id, "/r{row_no}/c{col_no}/t{}", k + 1);
                    table(sink, source, id, nested, depth + 1);
                    id.truncate(len);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tablift_model::{Cell, Origin, Row};

    /// Rows as `table,row,col,text` strings.
    struct Lines(Vec<String>);
    impl RowSink for Lines {
        fn row(&mut self, _: usize, v: &[Value<'_>]) {
            let s = |v: Option<&Value<'_>>| match v {
                Some(Value::Text(t)) => t.to_string(),
                Some(Value::UInt(n)) => n.to_string(),
                Some(Value::Joined(p, sep)) => p.join(sep),
                _ => String::new(),
            };
            self.0.push(format!(
                "{},{},{},{}",
                s(v.get(1)),
                s(v.get(2)),
                s(v.get(3)),
                s(v.get(6))
            ));
        }
    }

    #[test]
    fn a_cell_at_the_grid_end_has_its_column_number_in_its_nested_tables_id() {
        let row = |grid_before: u32, cell: Cell| Row {
            grid_before,
            cells: vec![cell],
            origin: Origin::text(1, 0),
        };
        let mut inner = Table::default();
        inner
            .rows
            .push(row(0, Cell::from_text("内", Origin::text(2, 9))));
        let mut cell = Cell::from_text("末", Origin::text(1, 0));
        cell.tables.push(inner);
        let mut doc = Document::new(tablift_model::SourceInfo::new(
            "s",
            tablift_model::SourceFormat::TextExport,
        ));
        let mut outer = Table::default();
        outer.rows.push(row(u32::MAX, cell));
        doc.blocks.push(tablift_model::Block::Table(outer));
        let mut sink = Lines(Vec::new());
        TablesFamily.extract(&doc).rows("s", &mut sink);
        // Column 4294967296 (one past u32::MAX), not a wrapped 0.
        assert_eq!(sink.0, ["1,1,4294967296,末", "1/r1/c4294967296/t1,1,1,内"]);
    }
}
