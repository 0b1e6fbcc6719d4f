//! Text-export parser, then the normaliser on whatever it produced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = tablift_textexport::Options::default();
    if let Ok(doc) = tablift_textexport::parse("fuzz.txt", data, &options) {
        let _ = tablift_budget::normalise(&doc);
    }
});
