//! The generic tables family: every table of every document, whatever the document is, as the
//! long-form dataset `tables` (one row per cell, with its grid position, spans and origin),
//! the index `tables_index` (one row per table: caption, size, header rows, origin) and, when
//! asked, each table as its own rectangular CSV under `tables/` (see [`rect`] for the rules:
//! header rows, merged cells filled or blank).
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
//! tablift_tables::TablesFamily::default().extract(&doc).rows("a.txt", &mut sink);
//! assert_eq!(sink.0, ["项目编码"]);
//! ```
//!
//! Not for: deciding what a table means (that is a family like `tablift-budget`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use tablift_dataset::{Column, ColumnType, Extracted, Family, RowSink, Schema, TableSink, Value};
use tablift_model::{Document, LogicalCell, Table};

/// Deepest nesting of tables listed (the readers bound it already; this guard keeps a
/// hand-built model from recursing without end).
pub const MAX_NESTING: usize = 64;

mod name;
pub mod rect;

pub use name::file_stem;
pub use rect::{Spans, MAX_COLUMNS, MAX_HEADER_ROWS, MAX_LABEL_CHARS};

/// The family's datasets: `tables` (one row per cell) and `tables_index` (one row per table,
/// nested ones included).
pub const DATASETS: &[Schema] = &[
    Schema::new(
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
    ),
    Schema::new(
        "tables_index",
        &[
            Column::new("source", ColumnType::Text),
            Column::new("table", ColumnType::Text),
            // tables/….csv when the rectangular files are written (`--tables`).
            Column::new("file", ColumnType::Text),
            Column::new("caption", ColumnType::Text),
            Column::new("rows", ColumnType::Integer),
            Column::new("columns", ColumnType::Integer),
            Column::new("header_rows", ColumnType::Integer),
            Column::new("origin", ColumnType::Origin),
            // Why a table has no file: `no_rows`, `too_wide` (past MAX_COLUMNS); or
            // `merges_cut`: its merged cells are repeated on fewer rows than they span
            // (past tablift_model::MAX_CONTINUED_CELLS, only hostile files).
            Column::new("note", ColumnType::Text),
        ],
    ),
];

/// Every table as rows of cells and (with `files`) as its own rectangular CSV.
#[derive(Clone, Copy, Debug, Default)]
pub struct TablesFamily {
    /// Write every table as a rectangle through [`Extracted::tables`] (`tables/` files).
    pub files: bool,
    /// What a merged cell's covered slots hold in those rectangles.
    pub spans: Spans,
}

impl Family for TablesFamily {
    fn name(&self) -> &'static str {
        "tables"
    }

    fn datasets(&self) -> &'static [Schema] {
        DATASETS
    }

    fn extract<'d>(&self, doc: &'d Document) -> Box<dyn Extracted + 'd> {
        let mut listed = Vec::new();
        list_tables(doc, self.files, &mut listed);
        Box::new(Tables {
            doc,
            listed,
            family: *self,
        })
    }
}

/// A document's tables, borrowed, with what the index says of each.
struct Tables<'d> {
    doc: &'d Document,
    listed: Vec<Listed<'d>>,
    family: TablesFamily,
}

/// One table of the index.
struct Listed<'d> {
    /// `3`, `3/r2/c1/t1` (as in `tables.csv`).
    id: String,
    /// The file-name part: `003`, `003-r2-c1-t1`.
    number: String,
    table: &'d Table,
    caption: Option<&'d str>,
    rows: usize,
    /// `None` past [`MAX_COLUMNS`].
    width: Option<usize>,
    header_rows: usize,
    /// The table's logical rows, kept when its file is to be written (laid out once).
    logical: Vec<Vec<LogicalCell<'d>>>,
    /// Whether its vertical merges were cut short ([`Table::logical_rows_within`]).
    merges_cut: bool,
}

impl Listed<'_> {
    /// Why the table gets no file, if it gets none.
    fn no_file(&self) -> Option<&'static str> {
        if self.width.is_none() {
            Some("too_wide")
        } else if self.rows == 0 {
            Some("no_rows")
        } else {
            None
        }
    }

    /// What `tables_index.csv` says of the table: why it has no file, or that its file shows
    /// merged cells on fewer rows than they span.
    fn note(&self) -> Option<&'static str> {
        self.no_file().or(self.merges_cut.then_some("merges_cut"))
    }
}

/// The longest paragraph taken as a table's caption, in characters.
const MAX_CAPTION_CHARS: usize = 100;

/// Every table in reading order, each followed by the tables nested in its cells; each with
/// its caption: of the paragraphs since the previous table, the last heading or title
/// (ending in `表`), else the last non-empty one, if short enough to be a caption.
fn list_tables<'d>(doc: &'d Document, keep: bool, out: &mut Vec<Listed<'d>>) {
    let mut title: Option<&'d str> = None;
    let mut last: Option<&'d str> = None;
    let mut n = 0usize;
    for block in &doc.blocks {
        match block {
            tablift_model::Block::Paragraph(p) => {
                let t = p.text.trim();
                if t.is_empty() || t.chars().count() > MAX_CAPTION_CHARS {
                    continue;
                }
                if p.heading_level.is_some() || t.ends_with('表') {
                    title = Some(t);
                }
                last = Some(t);
            }
            tablift_model::Block::Table(t) => {
                n += 1;
                let caption = title.or(last);
                let (id, number) = (format!("{n}"), format!("{n:03}"));
                list_one(t, (id, number, caption), keep, 0, out);
                (title, last) = (None, None);
            }
        }
    }
}

/// List `t` (its id, file-name number and caption) and, depth first, the tables nested in
/// its cells; `keep` its logical rows for its file.
fn list_one<'d>(
    t: &'d Table,
    (id, number, caption): (String, String, Option<&'d str>),
    keep: bool,
    depth: usize,
    out: &mut Vec<Listed<'d>>,
) {
    let (logical, merges_cut) = t.logical_rows_within(tablift_model::MAX_CONTINUED_CELLS);
    let width = rect::width(&logical);
    let header_rows = width.map_or(0, |w| {
        // The header test reads the first rows only: lay out no more than those.
        let top = logical
            .get(..logical.len().min(MAX_HEADER_ROWS + 1))
            .unwrap_or(&[]);
        rect::header_rows(top, &rect::grid(top, w, Spans::Fill))
    });
    let mut nested: Vec<(String, &'d Table)> = Vec::new();
    if depth < MAX_NESTING {
        for (r, row) in logical.iter().enumerate() {
            for lc in row.iter().filter(|lc| !lc.continued) {
                let col = u64::from(lc.col) + 1;
                for (k, inner) in lc.cell.tables.iter().enumerate() {
                    nested.push((format!("r{}/c{col}/t{}", r + 1, k + 1), inner));
                }
            }
        }
    }
    let listed = Listed {
        id,
        number,
        table: t,
        caption,
        rows: logical.len(),
        width,
        header_rows,
        logical: if keep { logical } else { Vec::new() },
        merges_cut,
    };
    let (id, number) = (listed.id.clone(), listed.number.clone());
    out.push(listed);
    for (path, inner) in nested {
        let names = (
            format!("{id}/{path}"),
            format!("{number}-{}", path.replace('/', "-")),
            None,
        );
        list_one(inner, names, keep, depth + 1, out);
    }
}

impl Extracted for Tables<'_> {
    fn rows(&self, source: &str, sink: &mut dyn RowSink) {
        let mut id = String::new();
        for (i, t) in self.doc.tables().enumerate() {
            id.clear();
            let _ = write!(id, "{}", i + 1);
            table(sink, source, &mut id, t, 0);
        }
        let mut file = String::new();
        for l in &self.listed {
            let note = l.note();
            file.clear();
            if self.family.files && l.no_file().is_none() {
                let _ = write!(file, "tables/{}.csv", file_stem(source, &l.number));
            }
            let count = |n: usize| Value::UInt(u64::try_from(n).unwrap_or(u64::MAX));
            sink.row(
                1,
                &[
                    Value::Text(source),
                    Value::Text(&l.id),
                    if file.is_empty() {
                        Value::Null
                    } else {
                        Value::Text(&file)
                    },
                    Value::opt_text(l.caption),
                    count(l.rows),
                    l.width.map_or(Value::Null, count),
                    count(l.header_rows),
                    Value::Origin(&l.table.origin),
                    Value::opt_text(note),
                ],
            );
        }
    }

    fn tables(&self, source: &str, sink: &mut dyn TableSink) {
        if !self.family.files {
            return;
        }
        for l in &self.listed {
            let (Some(width), None) = (l.width, l.no_file()) else {
                continue;
            };
            let logical = &l.logical;
            let header = rect::grid(
                logical.get(..l.header_rows).unwrap_or(&[]),
                width,
                Spans::Fill,
            );
            let names = rect::column_names(&header, l.header_rows);
            // One field buffer per table, reused for its rows.
            let mut fields: Vec<&str> = names.iter().map(String::as_str).collect();
            sink.begin(&file_stem(source, &l.number), &fields);
            let body = rect::grid(
                logical.get(l.header_rows..).unwrap_or(&[]),
                width,
                self.family.spans,
            );
            for row in &body.rows {
                fields.clear();
                fields.extend(row.iter().map(|s| s.as_ref()));
                sink.row(&fields);
            }
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
        fn row(&mut self, dataset: usize, v: &[Value<'_>]) {
            if dataset != 0 {
                return;
            }
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
        TablesFamily::default().extract(&doc).rows("s", &mut sink);
        // Column 4294967296 (one past u32::MAX), not a wrapped 0.
        assert_eq!(sink.0, ["1,1,4294967296,末", "1/r1/c4294967296/t1,1,1,内"]);
    }
}
