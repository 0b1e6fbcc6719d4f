//! .doc reader, then the normaliser and the writers (checked against serde_json and csv) on
//! whatever it produced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = tablift_doc::Limits::default();
    if let Ok(doc) = tablift_doc::read("fuzz.doc", data, &limits) {
        render_and_check(&doc);
    }
});

include!("check.rs");
