//! The `.docx` reader as the registry sees it: a zip (`PK\x03\x04`) by content, `.docx` by name.

use crate::{read, Limits};
use tablift_model::read::{ReadError, Reader, Sniff};
use tablift_model::Document;

/// The zip local file header signature: every `.docx` starts with it.
const ZIP: &[u8] = b"PK\x03\x04";

/// [`read`] behind the [`Reader`] interface.
#[derive(Clone, Debug, Default)]
pub struct DocxReader {
    limits: Limits,
}

impl DocxReader {
    /// A reader with these limits.
    pub fn new(limits: Limits) -> DocxReader {
        DocxReader { limits }
    }
}

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Reader for DocxReader {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["docx"]
    }

    fn sniff(&self, head: &[u8]) -> Sniff {
        if head.starts_with(ZIP) {
            Sniff::Sure
        } else {
            Sniff::No
        }
    }

    fn limits(&self) -> Vec<(&'static str, u64)> {
        let l = &self.limits;
        vec![
            ("max_part_bytes", l.max_part_bytes),
            ("max_total_bytes", l.max_total_bytes),
            ("max_ratio", l.max_ratio),
            ("max_xml_depth", wide(l.max_depth)),
            ("max_zip_entries", wide(l.max_entries)),
        ]
    }

    fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError> {
        Ok(read(source, bytes, &self.limits)?)
    }
}
