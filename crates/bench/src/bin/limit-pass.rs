//! `limit-pass [-j N] DIR...`: the work no extractor can avoid (see the crate docs), timed.
//! Prints one line: `files=N events=N seconds=S docs_per_s=D`.

use rayon::prelude::*;
use std::cell::RefCell;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut threads = 1;
    if args.first().map(String::as_str) == Some("-j") && args.len() >= 2 {
        threads = args[1].parse().unwrap_or(1);
        args.drain(..2);
    }
    let mut files: Vec<std::path::PathBuf> = args
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(d).sort_by_file_name())
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    thread_local! {
        static BUFS: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let start = std::time::Instant::now();
    let events: u64 = pool.install(|| {
        files
            .par_iter()
            .map(|p| {
                let Ok(bytes) = std::fs::read(p) else {
                    return 0;
                };
                if p.extension().is_some_and(|e| e == "docx") {
                    BUFS.with(|b| {
                        let (x, e) = &mut *b.borrow_mut();
                        tablift_bench::docx_limit(&bytes, x, e)
                    })
                } else {
                    tablift_bench::text_limit(&bytes)
                }
            })
            .sum()
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "files={} events={} seconds={:.4} docs_per_s={:.1}",
        files.len(),
        events,
        secs,
        files.len() as f64 / secs
    );
}
