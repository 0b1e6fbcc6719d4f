//! Throughput on one core: `cargo run --release -p tablift-docx --example bench -- FILE [N]`.
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: bench FILE [N]")?;
    let n: u32 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(500);
    let bytes = std::fs::read(&path)?;
    let limits = tablift_docx::Limits::default();
    let mut cells = 0usize;
    let t = Instant::now();
    for _ in 0..n {
        let doc = tablift_docx::read(&path, &bytes, &limits)?;
        cells += doc
            .tables()
            .flat_map(|t| &t.rows)
            .map(|r| r.cells.len())
            .sum::<usize>();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{path}: {n} reads in {secs:.3}s = {:.0} docs/s ({:.0} µs/doc, {} cells/doc)",
        f64::from(n) / secs,
        secs * 1e6 / f64::from(n),
        cells / n as usize
    );
    Ok(())
}
