//! Without the `parquet` feature: the same interface, refusing to write.

use super::TypedRows;
use crate::atomic::AtomicFile;
use tablift_dataset::Schema;

fn unsupported() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "this build of tablift-export has no Parquet writer (the `parquet` feature is off)",
    )
}

/// Never made: [`ParquetFile::create`] refuses.
pub(crate) enum ParquetFile {}

impl ParquetFile {
    pub(crate) fn create(_file: AtomicFile, _schema: &Schema) -> std::io::Result<ParquetFile> {
        Err(unsupported())
    }

    pub(crate) fn append(&mut self, _rows: &TypedRows) -> std::io::Result<()> {
        match *self {}
    }

    pub(crate) fn finish(self) -> std::io::Result<AtomicFile> {
        match self {}
    }
}

/// A table that cannot be encoded: [`TextTable::finish`] refuses.
#[derive(Default)]
pub(crate) struct TextTable;

impl TextTable {
    pub(crate) fn begin(&mut self, _header: &[&str]) {}

    pub(crate) fn row(&mut self, _values: &[&str]) {}

    pub(crate) fn finish(&mut self) -> std::io::Result<Vec<u8>> {
        Err(unsupported())
    }
}
