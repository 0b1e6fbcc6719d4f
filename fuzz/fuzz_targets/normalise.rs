//! The normaliser and the writers on documents no reader would produce: arbitrary spans,
//! widths and texts. Rendering is checked against reference writers (serde_json, csv).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tablift_model::document_from_fuzz_bytes;

fuzz_target!(|data: &[u8]| {
    let doc = document_from_fuzz_bytes(data);
    render_and_check(&doc);
    let _ = doc.tables().map(|t| t.logical_rows().len()).sum::<usize>();
});

include!("check.rs");
