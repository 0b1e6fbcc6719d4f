//! The normaliser on documents no reader would produce: arbitrary spans, widths and texts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tablift_model::document_from_fuzz_bytes;

fuzz_target!(|data: &[u8]| {
    let doc = document_from_fuzz_bytes(data);
    let _ = tablift_budget::normalise(&doc);
    let _ = doc.tables().map(|t| t.logical_rows().len()).sum::<usize>();
});
