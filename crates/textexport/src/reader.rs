//! The text-export reader as the registry sees it: no magic number of its own, `.txt`, and the
//! fallback for inputs no other reader claims (binaries are rejected with a clear error).

use crate::{parse, Options};
use tablift_model::read::{ReadError, Reader, Sniff};
use tablift_model::Document;

/// [`parse`] behind the [`Reader`] interface.
#[derive(Clone, Debug, Default)]
pub struct TextReader {
    options: Options,
}

impl TextReader {
    /// A reader with these limits.
    pub fn new(options: Options) -> TextReader {
        TextReader { options }
    }
}

impl Reader for TextReader {
    fn name(&self) -> &'static str {
        "text"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["txt"]
    }

    fn sniff(&self, _head: &[u8]) -> Sniff {
        Sniff::No
    }

    fn limits(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("max_input_bytes", self.options.max_input_bytes),
            (
                "max_line_bytes",
                u64::try_from(self.options.max_line_bytes).unwrap_or(u64::MAX),
            ),
        ]
    }

    fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError> {
        Ok(parse(source, bytes, &self.options)?)
    }
}
