//! Prints the model of a page or Markdown file as JSON (for inspection):
//! `cargo run -p tablift-html --example dump PATH`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump PATH")?;
    let bytes = std::fs::read(&path)?;
    let limits = tablift_html::Limits::default();
    let doc = if path.ends_with(".md") || path.ends_with(".markdown") {
        tablift_html::read_markdown(&path, &bytes, &limits)?
    } else {
        tablift_html::read_html(&path, &bytes, &limits)?
    };
    println!("{}", serde_json::to_string_pretty(&doc)?);
    Ok(())
}
