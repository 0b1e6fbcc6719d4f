//! Parses .docx files into the tablift document model (placeholder: the
//! parser lands with its own branch).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use tablift_model::{Document, SourceFormat, SourceInfo};

/// Reader limits.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest inflated part.
    pub max_part_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_part_bytes: 256 << 20,
        }
    }
}

/// A read error.
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

/// Read a .docx.
pub fn read(path: &str, _bytes: &[u8], _limits: &Limits) -> Result<Document, Error> {
    Ok(Document::new(SourceInfo::new(path, SourceFormat::Docx)))
}
