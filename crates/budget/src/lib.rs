//! Normalises budget performance disclosures (部门预算绩效目标) into records (in progress).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod records;
pub use records::*;

use tablift_model::Document;

/// Normalise one document into records.
pub fn normalise(doc: &Document) -> Extraction {
    Extraction {
        document: DocumentRecord {
            source: doc.source.path.clone(),
            ..DocumentRecord::default()
        },
        ..Extraction::default()
    }
}
