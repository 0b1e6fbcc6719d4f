//! Parquet: one file per dataset, typed columns, zstd, row groups written as rows stream in.
//!
//! The work is split like the CSV's: a worker turns a document's [`Value`]s into typed
//! [`Cell`]s ([`TypedRows`], checked against the column types there, so a value that does not
//! fit fails that document, not the run), and the one writer appends cells to Arrow builders
//! and hands the Parquet writer a [`RecordBatch`] of exactly [`ROW_GROUP_ROWS`] rows at a
//! time, then ends the row group. Row groups, pages and dictionaries therefore depend only on
//! the sequence of rows, never on how documents were batched: the bytes are the same for any
//! `-j`. Memory is one row group per dataset, whatever the corpus size.
//!
//! Types: text and origins are UTF-8 strings (dictionary-encoded by Parquet), integers
//! INT64, decimals `DECIMAL(38, scale)` with the column's declared scale (a value with fewer
//! fractional digits is the same number at that scale), booleans BOOLEAN, missing values null.

use crate::atomic::AtomicFile;
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::file::properties::{EnabledStatistics, WriterProperties};
use arrow_array::builder::{BooleanBuilder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema as ArrowSchema};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;
use tablift_dataset::{ColumnType, Schema, Value};

/// Rows per row group: large enough for good compression and dictionaries, small enough that
/// one buffered group per dataset stays a few MiB.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

/// Decimal precision of every decimal column (the most a 128-bit decimal holds).
pub const DECIMAL_PRECISION: u8 = 38;

/// The key of the Arrow field metadata that keeps a column's tablift type (`origin`,
/// `decimal(38,6)`, …), so that a reader can tell an origin from plain text.
pub const TYPE_METADATA_KEY: &str = "tablift:type";

/// Why a value or a schema cannot be written as Parquet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParquetError {
    /// A decimal with more significant fractional digits than its column reserves.
    DecimalScale {
        /// `dataset.column`.
        column: String,
        /// The value as written in CSV.
        value: String,
        /// The column's scale.
        scale: u32,
    },
    /// A number too large for its column (an unsigned count past `i64::MAX`, a decimal past
    /// 38 digits).
    OutOfRange {
        /// `dataset.column`.
        column: String,
        /// The value as written in CSV.
        value: String,
    },
    /// A value of another type than its column's (a family bug).
    TypeMismatch {
        /// `dataset.column`.
        column: String,
        /// The column's type name.
        expected: String,
    },
    /// A row with more or fewer values than its schema has columns (a family bug).
    Width {
        /// The dataset.
        dataset: &'static str,
        /// Values given.
        got: usize,
        /// Columns declared.
        expected: usize,
    },
    /// A declared decimal scale Parquet cannot hold (above 38).
    BadScale {
        /// `dataset.column`.
        column: String,
        /// The declared scale.
        scale: u32,
    },
}

impl fmt::Display for ParquetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParquetError::DecimalScale { column, value, scale } => write!(
                f,
                "{column}: {value} has more than the {scale} fractional digits the Parquet column holds"
            ),
            ParquetError::OutOfRange { column, value } => {
                write!(f, "{column}: {value} is out of the Parquet column's range")
            }
            ParquetError::TypeMismatch { column, expected } => {
                write!(f, "{column}: a value that is not {expected}")
            }
            ParquetError::Width { dataset, got, expected } => {
                write!(f, "{dataset}: a row of {got} values for {expected} columns")
            }
            ParquetError::BadScale { column, scale } => {
                write!(f, "{column}: decimal scale {scale} is above Parquet's 38")
            }
        }
    }
}

impl std::error::Error for ParquetError {}

impl From<ParquetError> for std::io::Error {
    fn from(e: ParquetError) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, e)
    }
}

/// A typed cell, its text held in the owning [`TypedRows`]' arena.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cell {
    Null,
    /// A byte range of [`TypedRows::text`].
    Text(usize, usize),
    Int(i64),
    /// The mantissa at the column's scale.
    Decimal(i128),
    Bool(bool),
}

/// One dataset's rows of one rendered batch, as typed cells (row-major).
#[derive(Debug, Default)]
pub(crate) struct TypedRows {
    cells: Vec<Cell>,
    text: String,
}

impl TypedRows {
    pub(crate) fn clear(&mut self) {
        self.cells.clear();
        self.text.clear();
    }

    /// Append one row checked against `schema`. On error nothing of the row is kept.
    pub(crate) fn push(
        &mut self,
        schema: &Schema,
        values: &[Value<'_>],
    ) -> Result<(), ParquetError> {
        if values.len() != schema.columns.len() {
            return Err(ParquetError::Width {
                dataset: schema.name,
                got: values.len(),
                expected: schema.columns.len(),
            });
        }
        let (cells, text) = (self.cells.len(), self.text.len());
        for (column, v) in schema.columns.iter().zip(values) {
            match self.cell(column.ty, v) {
                Ok(c) => self.cells.push(c),
                Err(kind) => {
                    self.cells.truncate(cells);
                    self.text.truncate(text);
                    return Err(kind.into_error(schema, column.name, column.ty, v));
                }
            }
        }
        Ok(())
    }

    fn cell(&mut self, ty: ColumnType, v: &Value<'_>) -> Result<Cell, Misfit> {
        Ok(match (ty, v) {
            (_, Value::Null) => Cell::Null,
            (ColumnType::Text | ColumnType::Origin, _) => self.text_cell(v)?,
            (ColumnType::Integer, Value::Int(n)) => Cell::Int(*n),
            (ColumnType::Integer, Value::UInt(n)) => {
                Cell::Int(i64::try_from(*n).map_err(|_| Misfit::Range)?)
            }
            (ColumnType::Decimal { scale }, Value::Decimal(d)) => {
                Cell::Decimal(mantissa(*d, scale)?)
            }
            (ColumnType::Boolean, Value::Bool(b)) => Cell::Bool(*b),
            _ => return Err(Misfit::Type),
        })
    }

    /// Text, joined parts or an origin's display text, into the arena.
    fn text_cell(&mut self, v: &Value<'_>) -> Result<Cell, Misfit> {
        let start = self.text.len();
        match v {
            Value::Text(s) => self.text.push_str(s),
            Value::Joined(parts, sep) => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        self.text.push_str(sep);
                    }
                    self.text.push_str(p);
                }
            }
            Value::Origin(o) => {
                let _ = write!(self.text, "{o}");
            }
            _ => return Err(Misfit::Type),
        }
        Ok(Cell::Text(start, self.text.len()))
    }

    /// Rows held, for a schema of `width` columns.
    fn rows(&self, width: usize) -> usize {
        self.cells.len().checked_div(width).unwrap_or(0)
    }
}

/// Why one value does not fit its column (made into a [`ParquetError`] with its names).
enum Misfit {
    Scale,
    Range,
    Type,
}

impl Misfit {
    fn into_error(
        self,
        schema: &Schema,
        name: &str,
        ty: ColumnType,
        v: &Value<'_>,
    ) -> ParquetError {
        let column = format!("{}.{name}", schema.name);
        let value = match v {
            Value::Decimal(d) => d.to_string(),
            Value::Int(n) => n.to_string(),
            Value::UInt(n) => n.to_string(),
            _ => String::new(),
        };
        match (self, ty) {
            (Misfit::Scale, ColumnType::Decimal { scale }) => ParquetError::DecimalScale {
                column,
                value,
                scale,
            },
            (Misfit::Range | Misfit::Scale, _) => ParquetError::OutOfRange { column, value },
            (Misfit::Type, _) => ParquetError::TypeMismatch {
                column,
                expected: ty.name(),
            },
        }
    }
}

/// The mantissa of `d` at `scale` fractional digits. Trailing zeros past the scale are
/// dropped (the same number); any other digit past it would change the value: refused.
fn mantissa(d: Decimal, scale: u32) -> Result<i128, Misfit> {
    let d = if d.scale() > scale { d.normalize() } else { d };
    let up = scale.checked_sub(d.scale()).ok_or(Misfit::Scale)?;
    let m = 10i128
        .checked_pow(up)
        .and_then(|p| d.mantissa().checked_mul(p))
        .ok_or(Misfit::Range)?;
    // 38 digits: what DECIMAL(38, s) holds.
    if m.unsigned_abs() >= 10u128.pow(u32::from(DECIMAL_PRECISION)) {
        return Err(Misfit::Range);
    }
    Ok(m)
}

/// The Arrow schema a dataset is written with.
pub fn arrow_schema(schema: &Schema) -> Result<ArrowSchema, ParquetError> {
    let fields = schema
        .columns
        .iter()
        .map(|c| {
            let ty = match c.ty {
                ColumnType::Text | ColumnType::Origin => DataType::Utf8,
                ColumnType::Integer => DataType::Int64,
                ColumnType::Boolean => DataType::Boolean,
                ColumnType::Decimal { scale } => {
                    let s = i8::try_from(scale)
                        .ok()
                        .filter(|s| *s <= DECIMAL_PRECISION as i8)
                        .ok_or_else(|| ParquetError::BadScale {
                            column: format!("{}.{}", schema.name, c.name),
                            scale,
                        })?;
                    DataType::Decimal128(DECIMAL_PRECISION, s)
                }
            };
            let metadata = HashMap::from([(TYPE_METADATA_KEY.to_string(), c.ty.name())]);
            Ok(Field::new(c.name, ty, true).with_metadata(metadata))
        })
        .collect::<Result<Vec<_>, ParquetError>>()?;
    Ok(ArrowSchema::new(fields))
}

/// The writer properties: zstd, dictionaries on (the default), fixed row groups, and the
/// producer name pinned by the workspace's exact `parquet` version.
fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_dictionary_enabled(true)
        .set_statistics_enabled(EnabledStatistics::Chunk)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_max_row_group_bytes(None)
        .build()
}

/// One rectangular table (a `tables/` file) as a whole Parquet file in memory: every column
/// UTF-8 text named by its header, non-null (an empty cell is the empty string, as in the
/// CSV), one row group, the datasets' writer properties. Built on the worker that rendered
/// the table, so the one writer thread only copies bytes.
#[derive(Default)]
pub(crate) struct TextTable {
    header: Vec<String>,
    columns: Vec<StringBuilder>,
    rows: usize,
}

impl TextTable {
    /// Start a table with these column names (the previous one must have been taken).
    pub(crate) fn begin(&mut self, header: &[&str]) {
        self.header.clear();
        self.header.extend(header.iter().map(|h| h.to_string()));
        self.columns.clear();
        self.columns
            .extend(header.iter().map(|_| StringBuilder::new()));
        self.rows = 0;
    }

    /// One row, as wide as the header (a missing value is empty, an extra one dropped).
    pub(crate) fn row(&mut self, values: &[&str]) {
        for (i, b) in self.columns.iter_mut().enumerate() {
            b.append_value(values.get(i).copied().unwrap_or(""));
        }
        self.rows += 1;
    }

    /// The table begun last as Parquet bytes.
    pub(crate) fn finish(&mut self) -> std::io::Result<Vec<u8>> {
        let fields: Vec<Field> = self
            .header
            .iter()
            .map(|h| Field::new(h.as_str(), DataType::Utf8, false))
            .collect();
        let schema = Arc::new(ArrowSchema::new(fields));
        let columns: Vec<ArrayRef> = self
            .columns
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        let mut writer = ArrowWriter::try_new(Vec::new(), Arc::clone(&schema), Some(properties()))
            .map_err(std::io::Error::other)?;
        if self.rows > 0 && !columns.is_empty() {
            let batch = RecordBatch::try_new(schema, columns).map_err(std::io::Error::other)?;
            writer.write(&batch).map_err(std::io::Error::other)?;
        }
        writer.into_inner().map_err(std::io::Error::other)
    }
}

/// One column's builder.
enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Decimal(Decimal128Builder, DataType),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(ty: &DataType) -> Builder {
        match ty {
            DataType::Int64 => Builder::Int(Int64Builder::new()),
            DataType::Boolean => Builder::Bool(BooleanBuilder::new()),
            DataType::Decimal128(..) => Builder::Decimal(Decimal128Builder::new(), ty.clone()),
            _ => Builder::Text(StringBuilder::new()),
        }
    }

    /// Append one cell; a cell of another kind (impossible once [`TypedRows::push`] checked
    /// it) is written as null rather than panicking.
    fn append(&mut self, cell: Cell, text: &str) {
        match (self, cell) {
            (Builder::Text(b), Cell::Text(s, e)) => b.append_value(text.get(s..e).unwrap_or("")),
            (Builder::Int(b), Cell::Int(n)) => b.append_value(n),
            (Builder::Decimal(b, _), Cell::Decimal(m)) => b.append_value(m),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_value(v),
            (Builder::Text(b), _) => b.append_null(),
            (Builder::Int(b), _) => b.append_null(),
            (Builder::Decimal(b, _), _) => b.append_null(),
            (Builder::Bool(b), _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> Result<ArrayRef, ::parquet::errors::ParquetError> {
        Ok(match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Decimal(b, DataType::Decimal128(p, s)) => {
                Arc::new(b.finish().with_precision_and_scale(*p, *s)?)
            }
            Builder::Decimal(b, _) => Arc::new(b.finish()),
        })
    }
}

/// One dataset's Parquet file, being written.
pub(crate) struct ParquetFile {
    schema: Arc<ArrowSchema>,
    builders: Vec<Builder>,
    /// Rows in the builders (not yet handed to the writer).
    buffered: usize,
    writer: ArrowWriter<AtomicFile>,
}

impl ParquetFile {
    pub(crate) fn create(file: AtomicFile, schema: &Schema) -> std::io::Result<ParquetFile> {
        let schema = Arc::new(arrow_schema(schema)?);
        let builders = schema
            .fields()
            .iter()
            .map(|f| Builder::new(f.data_type()))
            .collect();
        let writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(properties()))
            .map_err(std::io::Error::other)?;
        Ok(ParquetFile {
            schema,
            builders,
            buffered: 0,
            writer,
        })
    }

    /// Append a batch's rows; every [`ROW_GROUP_ROWS`] rows become a row group.
    pub(crate) fn append(&mut self, rows: &TypedRows) -> std::io::Result<()> {
        let width = self.builders.len();
        if width == 0 {
            return Ok(());
        }
        for row in rows.cells.chunks_exact(width).take(rows.rows(width)) {
            for (b, c) in self.builders.iter_mut().zip(row) {
                b.append(*c, &rows.text);
            }
            self.buffered += 1;
            if self.buffered == ROW_GROUP_ROWS {
                self.row_group()?;
            }
        }
        Ok(())
    }

    /// Write the buffered rows as one row group.
    fn row_group(&mut self) -> std::io::Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        let columns = self
            .builders
            .iter_mut()
            .map(Builder::finish)
            .collect::<Result<Vec<_>, _>>()
            .map_err(std::io::Error::other)?;
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), columns)
            .map_err(std::io::Error::other)?;
        self.writer.write(&batch).map_err(std::io::Error::other)?;
        // End the group here, whatever the writer's own limits would do.
        self.writer.flush().map_err(std::io::Error::other)?;
        self.buffered = 0;
        Ok(())
    }

    /// Write the last row group and the footer; the file, still under its temporary name.
    pub(crate) fn finish(mut self) -> std::io::Result<AtomicFile> {
        self.row_group()?;
        self.writer.into_inner().map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_text_table_is_one_parquet_file_of_strings_with_its_header_names_even_repeated() {
        use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let mut t = TextTable::default();
        t.begin(&["一级指标", "指标值", "指标值"]);
        t.row(&["产出指标", "≥60", ""]);
        t.row(&["效益指标", "100%"]);
        let bytes = t.finish().unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(::bytes::Bytes::from(bytes))
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        let schema = b.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["一级指标", "指标值", "指标值"]);
        let col = |i: usize| {
            let a = b
                .column(i)
                .as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .unwrap();
            (0..arrow_array::Array::len(a))
                .map(|r| a.value(r).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(col(0), ["产出指标", "效益指标"]);
        assert_eq!(col(1), ["≥60", "100%"]);
        assert_eq!(col(2), ["", ""]);
    }

    #[test]
    fn decimals_take_the_column_scale_exactly_or_are_refused() {
        assert!(matches!(mantissa(d("4621.00"), 6), Ok(4_621_000_000)));
        assert!(matches!(mantissa(d("-0.5"), 6), Ok(-500_000)));
        // Trailing zeros past the scale: the same number.
        assert!(matches!(mantissa(d("1.50000000"), 6), Ok(1_500_000)));
        assert!(matches!(mantissa(d("0.1234567"), 6), Err(Misfit::Scale)));
        assert!(matches!(mantissa(Decimal::MAX, 18), Err(Misfit::Range)));
    }

    #[test]
    fn a_misfit_value_names_its_column_and_leaves_no_partial_row() {
        use tablift_dataset::Column;
        const S: Schema = Schema::new(
            "t",
            &[
                Column::new("a", ColumnType::Text),
                Column::new("n", ColumnType::Integer),
            ],
        );
        let mut rows = TypedRows::default();
        rows.push(&S, &[Value::Text("x"), Value::UInt(3)]).unwrap();
        let e = rows
            .push(&S, &[Value::Text("y"), Value::UInt(u64::MAX)])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.n: 18446744073709551615 is out of the Parquet column's range"
        );
        assert_eq!((rows.rows(2), rows.text.as_str()), (1, "x"));
        let e = rows
            .push(&S, &[Value::Bool(true), Value::Null])
            .unwrap_err();
        assert!(matches!(e, ParquetError::TypeMismatch { .. }), "{e}");
    }
}
