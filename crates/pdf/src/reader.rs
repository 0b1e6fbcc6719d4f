//! The PDF reader as the registry sees it: `%PDF-` by content, `.pdf` by name.

use crate::{has_pdf_header, read, Limits};
use tablift_model::read::{ReadError, Reader, Sniff};
use tablift_model::Document;

/// [`read`] behind the [`Reader`] interface.
#[derive(Clone, Debug, Default)]
pub struct PdfReader {
    limits: Limits,
}

impl PdfReader {
    /// A reader with these limits.
    pub fn new(limits: Limits) -> PdfReader {
        PdfReader { limits }
    }
}

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Reader for PdfReader {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["pdf"]
    }

    fn sniff(&self, head: &[u8]) -> Sniff {
        if has_pdf_header(head) {
            Sniff::Sure
        } else {
            Sniff::No
        }
    }

    fn limits(&self) -> Vec<(&'static str, u64)> {
        let l = &self.limits;
        vec![
            ("max_input_bytes", l.max_input_bytes),
            ("max_pages", wide(l.max_pages)),
            ("max_glyphs_per_page", wide(l.max_glyphs_per_page)),
            ("max_paths_per_page", wide(l.max_paths_per_page)),
        ]
    }

    fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError> {
        read(source, bytes, &self.limits)
    }
}
