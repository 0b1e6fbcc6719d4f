//! Parses text exports of Word documents into the tablift document model (placeholder: the
//! parser lands with its own branch).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use tablift_model::{Document, SourceFormat, SourceInfo};

/// Parser options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Largest input accepted.
    pub max_input_bytes: u64,
    /// Longest line accepted.
    pub max_line_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_input_bytes: 256 << 20,
            max_line_bytes: 8 << 20,
        }
    }
}

/// A parse error.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    /// Stable kind name.
    pub fn kind_name(&self) -> &'static str {
        "placeholder"
    }
    /// Position, when known.
    pub fn position(&self) -> Option<String> {
        None
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Parse a text export.
pub fn parse(path: &str, _bytes: &[u8], _options: &Options) -> Result<Document, Error> {
    Ok(Document::new(SourceInfo::new(
        path,
        SourceFormat::TextExport,
    )))
}
