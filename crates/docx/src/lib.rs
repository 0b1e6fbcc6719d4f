//! Streams `.docx` files into the tablift document model (placeholder).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use tablift_model::{Document, SourceFormat, SourceInfo};

/// Read a `.docx`.
pub fn read(path: &str, _bytes: &[u8]) -> Result<Document, std::io::Error> {
    Ok(Document::new(SourceInfo::new(path, SourceFormat::Docx)))
}
