//! Parse time of whole small exports: parses each file N times (default 2000) and prints µs
//! per parse. Unlike `throughput` (one large input), this includes the per-document costs.
//! `cargo run --release -p tablift-textexport --example parse_loop -- 2000 fixtures/seed/seed.tika-doc.txt fixtures/seed/seed.tika-docx.txt`
//! With a small N it is also the callgrind driver (instruction counts are repeatable on a
//! shared machine): `valgrind --tool=callgrind target/release/examples/parse_loop 50 FILE`.
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().ok_or("usage: parse_loop N FILE...")?.parse()?;
    let options = tablift_textexport::Options::default();
    for path in args {
        let bytes = std::fs::read(&path)?;
        let mut blocks = 0;
        let start = Instant::now();
        for _ in 0..n {
            let doc = tablift_textexport::parse(&path, std::hint::black_box(&bytes), &options)?;
            blocks += doc.blocks.len();
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n.max(1));
        println!("{path}: {us:.1} µs per parse ({n} parses, {blocks} blocks)");
    }
    Ok(())
}
