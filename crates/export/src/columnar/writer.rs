//! The Parquet writer proper (the `parquet` feature): Arrow builders fed from [`TypedRows`],
//! row groups of exactly [`ROW_GROUP_ROWS`] rows, and the per-table files of `tables/`.

use super::{Cell, ParquetError, TypedRows, DECIMAL_PRECISION, ROW_GROUP_ROWS, TYPE_METADATA_KEY};
use crate::atomic::AtomicFile;
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::file::properties::{EnabledStatistics, WriterProperties};
use arrow_array::builder::{BooleanBuilder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema as ArrowSchema};
use std::collections::HashMap;
use std::sync::Arc;
use tablift_dataset::{ColumnType, Schema};

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
}
