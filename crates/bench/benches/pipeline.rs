//! Criterion micro-benchmarks: text parser, docx and doc readers, normaliser, on the seed
//! fixtures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const TIKA_DOC: &[u8] = include_bytes!("../../../fixtures/seed/seed.tika-doc.txt");
const TIKA_DOCX: &[u8] = include_bytes!("../../../fixtures/seed/seed.tika-docx.txt");
const DOCX: &[u8] = include_bytes!("../../../fixtures/seed/seed.docx");
const DOC: &[u8] = include_bytes!("../../../fixtures/seed/seed.doc");

fn benches(c: &mut Criterion) {
    let text_options = tablift_textexport::Options::default();
    let limits = tablift_docx::Limits::default();

    let mut g = c.benchmark_group("text");
    for (name, bytes) in [("cell-per-line", TIKA_DOC), ("row-per-line", TIKA_DOCX)] {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| tablift_textexport::parse("seed.txt", bytes, &text_options).ok())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("docx");
    g.throughput(Throughput::Bytes(DOCX.len() as u64));
    g.bench_function("read", |b| {
        b.iter(|| tablift_docx::read("seed.docx", DOCX, &limits).ok())
    });
    let (mut x, mut e) = (Vec::new(), Vec::new());
    g.bench_function("limit-pass", |b| {
        b.iter(|| tablift_bench::docx_limit(DOCX, &mut x, &mut e))
    });
    g.finish();

    let mut g = c.benchmark_group("doc");
    g.throughput(Throughput::Bytes(DOC.len() as u64));
    let doc_limits = tablift_doc::Limits::default();
    g.bench_function("read", |b| {
        b.iter(|| tablift_doc::read("seed.doc", DOC, &doc_limits).ok())
    });
    g.finish();

    if let Ok(doc) = tablift_textexport::parse("seed.txt", TIKA_DOC, &text_options) {
        c.bench_function("normalise", |b| b.iter(|| tablift_budget::normalise(&doc)));
    }
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
