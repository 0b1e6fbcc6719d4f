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

use rust_decimal::Decimal;
use std::fmt::{self, Write as _};
use tablift_dataset::{ColumnType, Schema, Value};

// The writer itself (Arrow builders, the Parquet writer) is the `parquet` feature's, on by
// default; without it (the fuzz targets, which never write Parquet, build without the arrow
// stack) the typed rows are still checked and a run that asks for Parquet is refused.
#[cfg(feature = "parquet")]
mod writer;
#[cfg(feature = "parquet")]
pub use writer::arrow_schema;
#[cfg(feature = "parquet")]
pub(crate) use writer::{ParquetFile, TextTable};

#[cfg(not(feature = "parquet"))]
mod off;
#[cfg(not(feature = "parquet"))]
pub(crate) use off::{ParquetFile, TextTable};

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
    pub(super) cells: Vec<Cell>,
    pub(super) text: String,
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
    #[cfg(any(feature = "parquet", test))]
    pub(super) fn rows(&self, width: usize) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
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
