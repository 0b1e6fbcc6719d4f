//! Prints a `.doc` as the document model's JSON: `cargo run -p tablift-doc --example dump_doc F`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump_doc FILE.doc")?;
    let bytes = std::fs::read(&path)?;
    let doc = tablift_doc::read(&path, &bytes, &tablift_doc::Limits::default())?;
    println!("{}", serde_json::to_string_pretty(&doc)?);
    Ok(())
}
