//! The `.doc` reader as the registry sees it: an OLE2 compound file by content (a legacy
//! `.doc`, or an encrypted document of any kind, which this reader names `encrypted`), `.doc`
//! by name.

use crate::{read, Limits};
use tablift_model::read::{ReadError, Reader, Sniff};
use tablift_model::Document;

/// The OLE2 compound file signature.
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// [`read`] behind the [`Reader`] interface.
#[derive(Clone, Debug, Default)]
pub struct DocReader {
    limits: Limits,
}

impl DocReader {
    /// A reader with these limits.
    pub fn new(limits: Limits) -> DocReader {
        DocReader { limits }
    }
}

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Reader for DocReader {
    fn name(&self) -> &'static str {
        "doc"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["doc"]
    }

    fn sniff(&self, head: &[u8]) -> Sniff {
        if head.starts_with(OLE2) {
            Sniff::Sure
        } else {
            Sniff::No
        }
    }

    fn limits(&self) -> Vec<(&'static str, u64)> {
        let l = &self.limits;
        vec![
            ("max_doc_stream_bytes", l.max_stream_bytes),
            ("max_doc_pieces", wide(l.max_pieces)),
            ("max_doc_fkp_pages", wide(l.max_fkp_pages)),
            ("max_doc_depth", wide(l.max_depth)),
        ]
    }

    fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError> {
        Ok(read(source, bytes, &self.limits)?)
    }
}
