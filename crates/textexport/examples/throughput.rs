//! Parse throughput on a seed export repeated to ~`MB` megabytes (default 64):
//! `cargo run --release -p tablift-textexport --example throughput -- fixtures/seed/seed.tika-doc.txt 64`
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: throughput FILE [MB]")?;
    let mb: usize = args.next().map_or(Ok(64), |s| s.parse())?;
    let seed = std::fs::read(&path)?;
    // Repeat the body only (a second BOM would be text); the result stays a valid export.
    let bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE"]
        .iter()
        .find(|b| seed.starts_with(b))
        .map_or(0, |b| b.len());
    let mut input = seed.clone();
    while input.len() < mb << 20 {
        input.extend_from_slice(seed.get(bom..).unwrap_or_default());
    }
    let options = tablift_textexport::Options {
        max_input_bytes: u64::MAX,
        ..Default::default()
    };
    let start = Instant::now();
    let doc = tablift_textexport::parse(&path, &input, &options)?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{path}: {:.1} MB in {:.3} s = {:.0} MB/s; {} blocks, {} tables",
        input.len() as f64 / 1e6,
        secs,
        input.len() as f64 / 1e6 / secs,
        doc.blocks.len(),
        doc.tables().count()
    );
    Ok(())
}
