//! Per-stage cost on one core: `cargo run --release -p tablift-bench --example stages -- FILE [N]`.
//!
//! Times the limit pass (inflate and tokenise only, as `limit-pass`; none for a `.doc`),
//! reading (parse into the model: `.docx`, `.doc` or a text export, by the file's extension),
//! normalising and rendering (CSV and JSONL bytes, as the CLI's workers do) of FILE, N times
//! each, and prints µs per document for every stage. Run it under `valgrind --tool=callgrind`
//! for instruction counts of one stage at a time (`STAGE=limit|parse|normalise|render`;
//! `limit` is the limit pass of `limit-pass`).
use std::time::Instant;

/// The allocator of the `tablift` binary, so that stage costs here are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use tablift_dataset::{Extracted, Family};
use tablift_export::{Format, Layout, Rendered, Renderer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: stages FILE [N]")?;
    let n: u32 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(200);
    let only = std::env::var("STAGE").ok();
    let bytes = std::fs::read(&path)?;
    let parse = || -> Result<tablift_model::Document, Box<dyn std::error::Error>> {
        Ok(if path.ends_with(".docx") {
            tablift_docx::read(&path, &bytes, &tablift_docx::Limits::default())?
        } else if path.ends_with(".doc") {
            tablift_doc::read(&path, &bytes, &tablift_doc::Limits::default())?
        } else {
            tablift_textexport::parse(&path, &bytes, &tablift_textexport::Options::default())?
        })
    };
    let doc = parse()?;
    let budget = tablift_budget::BudgetFamily::default();
    let families: [&dyn Family; 2] = [&budget, &tablift_tables::TablesFamily::default()];
    let layout = Layout::new(families.iter().map(|f| (f.name(), f.datasets())));
    let extracted: Vec<Box<dyn Extracted + '_>> =
        families.iter().map(|f| f.extract(&doc)).collect();
    let renderer = Renderer::new(std::sync::Arc::new(layout), &[Format::Csv, Format::Jsonl]);
    let mut out = Rendered::new();
    let run = |stage: &str| only.as_deref().is_none_or(|s| s == stage);
    let time = |stage: &str, f: &mut dyn FnMut()| {
        if !run(stage) {
            return;
        }
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("{stage:>10}: {us:8.1} µs/doc");
    };
    let (mut xml_buf, mut ev_buf) = (Vec::new(), Vec::new());
    // The limit pass is defined for .docx and text exports; a .doc has none.
    if !path.ends_with(".doc") {
        time("limit", &mut || {
            if path.ends_with(".docx") {
                std::hint::black_box(tablift_bench::docx_limit(&bytes, &mut xml_buf, &mut ev_buf));
            } else {
                std::hint::black_box(tablift_bench::text_limit(&bytes));
            }
        });
    }
    time("parse", &mut || {
        std::hint::black_box(parse().ok());
    });
    time("normalise", &mut || {
        std::hint::black_box(tablift_budget::normalise(&doc));
    });
    time("render", &mut || {
        out.clear();
        renderer.document(&path, &doc, &extracted, &mut out).ok();
    });
    println!("{:>10}: {:8} bytes/doc rendered", "output", out.len());
    Ok(())
}
