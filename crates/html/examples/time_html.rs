//! Times the HTML reader on a page (default: fixtures/html/seed.html), 200 reads, and prints
//! microseconds per read. `cargo run --release -p tablift-html --example time_html [PAGE]`
//! (`--md` before the path times the Markdown reader instead).
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let markdown = args.first().is_some_and(|a| a == "--md");
    if markdown {
        args.remove(0);
    }
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/html/seed.html");
    let path = args.first().map_or(default, String::as_str);
    let bytes = std::fs::read(path)?;
    let limits = tablift_html::Limits::default();
    let read = |b: &[u8]| {
        if markdown {
            tablift_html::read_markdown(path, b, &limits)
        } else {
            tablift_html::read_html(path, b, &limits)
        }
    };
    let doc = read(&bytes)?;
    let n = 200u32;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(read(std::hint::black_box(&bytes))?);
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!(
        "{path}: {} bytes, {} tables, {per:.0} µs per read ({:.1} MB/s)",
        bytes.len(),
        doc.tables().count(),
        bytes.len() as f64 / per
    );
    Ok(())
}
