//! PDF reader, then the normaliser and the writers (checked against serde_json and csv) on
//! whatever it produced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = tablift_pdf::Limits::default();
    if let Ok(doc) = tablift_pdf::read("fuzz.pdf", data, &limits) {
        render_and_check(&doc);
    }
});

include!("check.rs");
