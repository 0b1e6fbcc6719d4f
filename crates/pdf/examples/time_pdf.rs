//! Milliseconds per read of a PDF, on one thread:
//! `cargo run --release -p tablift-pdf --example time_pdf -- FILE [N]` (N reads, default 50).
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: time_pdf FILE [N]")?;
    let n: u32 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(50);
    let bytes = std::fs::read(&path)?;
    let limits = tablift_pdf::Limits::default();
    let doc = tablift_pdf::read(&path, &bytes, &limits)?; // warm-up, and a sanity figure
    let rows: usize = doc.tables().map(|t| t.rows.len()).sum();
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(tablift_pdf::read(&path, &bytes, &limits)?);
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(n.max(1));
    println!(
        "{path}: {ms:.2} ms per read ({n} reads; {} tables, {rows} rows, {} blocks)",
        doc.tables().count(),
        doc.blocks.len()
    );
    Ok(())
}
