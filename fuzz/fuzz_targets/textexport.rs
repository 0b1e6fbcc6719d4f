//! Text-export parser, then the normaliser and the writers (checked against serde_json and
//! csv) on whatever it produced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = tablift_textexport::Options::default();
    if let Ok(doc) = tablift_textexport::parse("fuzz.txt", data, &options) {
        render_and_check(&doc);
    }
});

include!("check.rs");
