//! Parses text exports of Word documents into the tablift document model (placeholder).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use tablift_model::{Document, SourceFormat, SourceInfo};

/// Parse a text export.
pub fn parse(path: &str, _bytes: &[u8]) -> Result<Document, std::io::Error> {
    Ok(Document::new(SourceInfo::new(
        path,
        SourceFormat::TextExport,
    )))
}
