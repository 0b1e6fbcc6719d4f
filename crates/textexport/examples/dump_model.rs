//! Prints the parsed model of each file as one line of JSON (`serde_json::to_string`), or
//! `ERROR kind: message` when it does not parse. For checking that a change of the parser
//! leaves every document byte-identical:
//! `cargo run -p tablift-textexport --example dump_model -- fixtures/seed/seed.tika-doc.txt`
use tablift_textexport::{parse, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        match parse(&path, &bytes, &Options::default()) {
            Ok(doc) => println!("{}", serde_json::to_string(&doc)?),
            Err(e) => println!("ERROR {}: {e}", e.kind_name()),
        }
    }
    Ok(())
}
