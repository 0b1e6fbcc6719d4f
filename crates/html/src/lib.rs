//! Reads HTML pages and Markdown files into the tablift document model: paragraphs, headings
//! and tables (with spans and nested tables), with page furniture kept apart, under hard
//! limits.
//!
//! # Brief overview
//!
//! [`read_html`] decodes the page (BOM, then `<meta charset>` / `http-equiv` in the first 1024
//! bytes, GB2312 and GBK read as GB18030; else UTF-8 if valid, else GB18030; a page labelled
//! UTF-8 that is really GBK is read as GB18030, one labelled GB2312 that is valid UTF-8 as
//! UTF-8), parses it into a small arena DOM — with the fast path of `fast.rs` where the page
//! stays inside the subset of HTML5 tree building it implements, else with html5ever's tree
//! builder, the reference it is checked against (both build the same DOM) — and walks that
//! in reading order:
//!
//! * Text: `<h1>`–`<h6>` become headings ([`tablift_model::Paragraph::heading_level`]); `<p>`,
//!   `<div>`, `<li>` and other block elements end paragraphs, and so does `<br>`; whitespace
//!   collapses as a browser collapses it (`&nbsp;` too), then each paragraph is trimmed.
//!   `<script>`, `<style>`, `<noscript>`, `<template>` and `<head>` are dropped.
//! * Tables: `<tr>` of `<thead>`/`<tbody>`/`<tfoot>` in source order; `<td>`/`<th>` are
//!   cells, each `<p>` or `<br>` inside a cell a paragraph; `colspan`/`rowspan` become
//!   `col_span`/`row_span` on the origin cell (covered slots are not repeated, as in the
//!   `.docx` reader), clamped as browsers clamp them (`colspan` 0 → 1, at most 1000;
//!   `rowspan` 0 → to the end of its row group, and never past it); nested tables go into
//!   [`tablift_model::Cell::tables`]; a `<caption>` becomes a paragraph before its table.
//! * Furniture: `<nav>`, and `<header>`/`<footer>` outside `<article>`/`<main>`/`<section>`,
//!   go to [`tablift_model::Document::furniture`] (`header`/`footer`), one entry per
//!   paragraph or non-blank cell; a lone page number ending the body too.
//! * Provenance: every block, row and cell has `Origin::Html { path, byte }`. The path is
//!   `body/NAME[k]` for a block, the k-th NAME element of the page in document order (XPath
//!   `(//NAME)[k]`); a table's rows and cells continue it, `body/table[2]/tr[3]/td[1]` (the
//!   third row of that table over all its row groups, the first `<td>` of that row), and a
//!   nested table is numbered inside its cell, `…/td[1]/table[1]`. `byte` is the offset, in
//!   the original bytes, of the `<` of the start tag that created the element (for elements
//!   the parser implies, such as a missing `<tbody>`, of the tag that implied them); a
//!   paragraph's is its block element's.
//!
//! [`read_markdown`] reads Markdown with pulldown-cmark (GFM tables): headings, paragraphs,
//! list items; pipe tables one cell per `|` cell (spans 1); HTML blocks, where pandoc and
//! markitdown write tables with spans, through the HTML code above. Origins are
//! `Origin::Html { path: "b12/r3/c2", byte }`: 0-based block, row and cell (HTML blocks:
//! `b12/tr[3]/td[2]`), `byte` from pulldown-cmark's offsets (in the decoded text plus the
//! BOM; the same as the file's bytes for UTF-8, which is what Markdown tools write).
//!
//! [`HtmlReader`] and [`MarkdownReader`] implement [`tablift_model::read::Reader`].
//!
//! ```
//! use tablift_html::{read_html, read_markdown, Limits};
//!
//! let page = b"<!DOCTYPE html><h1>Title</h1>\
//!     <table><tr><td rowspan=2>a</td><td>b</td></tr><tr><td>c</td></tr></table>";
//! let doc = read_html("p.html", page, &Limits::default())?;
//! let table = doc.tables().next().unwrap();
//! assert_eq!(table.rows[0].cells[0].row_span, 2);
//! assert_eq!(table.rows[1].cells[0].text(), "c");
//!
//! let doc = read_markdown("t.md", b"| a | b |\n|---|---|\n| 1 | 2 |\n", &Limits::default())?;
//! assert_eq!(doc.tables().next().unwrap().rows[1].cells[1].text(), "2");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not for: rendering or CSS (hidden elements are read), scripts, forms, images, or
//! interpreting what the tables mean (see `tablift-budget`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod convert;
mod decode;
mod dom;
mod fast;
mod markdown;

use tablift_model::read::{FailureKind, ReadError, Reader, Sniff};
use tablift_model::{Block, Document, Furniture, SourceFormat, SourceInfo};

pub use convert::{MAX_COLSPAN, MAX_ROWSPAN};

/// Default [`Limits::max_input_bytes`]: 64 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 << 20;
/// Default [`Limits::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 256;
/// Default [`Limits::max_cells`].
pub const DEFAULT_MAX_CELLS: usize = 200_000;
/// Default [`Limits::max_rows`].
pub const DEFAULT_MAX_ROWS: usize = 100_000;
/// Default [`Limits::max_nodes`].
pub const DEFAULT_MAX_NODES: usize = 4_000_000;

/// Hard limits against hostile pages. Every limit passed is a typed [`ReadError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted (`input_too_large`).
    pub max_input_bytes: u64,
    /// Deepest element nesting (HTML elements, tables in tables, Markdown containers;
    /// `too_deep`). The tree walk recurses to this depth: keep it in the hundreds.
    pub max_depth: usize,
    /// Most cells in one table (`too_many_cells`).
    pub max_cells: usize,
    /// Most rows in one table (`too_many_cells`).
    pub max_rows: usize,
    /// Most DOM nodes (elements and text runs) the HTML parser may build (`input_too_large`).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_cells: DEFAULT_MAX_CELLS,
            max_rows: DEFAULT_MAX_ROWS,
            max_nodes: DEFAULT_MAX_NODES,
        }
    }
}

impl Limits {
    fn named(&self) -> Vec<(&'static str, u64)> {
        let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        vec![
            ("max_input_bytes", self.max_input_bytes),
            ("max_depth", n(self.max_depth)),
            ("max_cells", n(self.max_cells)),
            ("max_rows", n(self.max_rows)),
            ("max_nodes", n(self.max_nodes)),
        ]
    }

    fn check_size(&self, bytes: &[u8]) -> Result<(), ReadError> {
        if bytes.len() as u64 > self.max_input_bytes {
            return Err(ReadError::new(
                FailureKind::InputTooLarge,
                format!(
                    "input of {} bytes is larger than the limit of {} bytes",
                    bytes.len(),
                    self.max_input_bytes
                ),
            ));
        }
        if bytes.is_empty() {
            return Err(ReadError::new(FailureKind::Empty, "empty input"));
        }
        Ok(())
    }
}

fn parse_dom(
    text: &str,
    lt: Option<&[u64]>,
    base: u64,
    limits: &Limits,
) -> Result<dom::Dom, ReadError> {
    // The fast path where it answers; html5ever, the reference, where it bails out (see
    // fast.rs for why both build the same DOM).
    let built = match fast::parse(text, lt, base, limits.max_depth, limits.max_nodes) {
        fast::Outcome::Dom(d) => Ok(d),
        fast::Outcome::Stop(s) => Err(s),
        fast::Outcome::Bail(_) => dom::parse(text, lt, base, limits.max_depth, limits.max_nodes),
    };
    built.map_err(|stop| stop_error(stop, limits))
}

fn stop_error(stop: dom::Stop, limits: &Limits) -> ReadError {
    match stop {
        dom::Stop::TooDeep(byte) => ReadError::new(
            FailureKind::TooDeep,
            format!("elements nested deeper than {} levels", limits.max_depth),
        )
        .at(Some(format!("byte {byte}"))),
        dom::Stop::TooManyNodes(byte) => ReadError::new(
            FailureKind::InputTooLarge,
            format!("more than {} HTML nodes", limits.max_nodes),
        )
        .at(Some(format!("byte {byte}"))),
    }
}

/// The `<` map for the parsers, `None` when the decoded text is the page's bytes after the
/// BOM: the map would be the offset plus the BOM, which is what `None` gives (and the fast
/// path then knows every tag's offset without counting `<`).
fn lt_map(bytes: &[u8], decoded: &decode::Decoded<'_>) -> Option<Vec<u64>> {
    let body = bytes.get(decoded.bom..)?;
    if std::ptr::eq(decoded.text.as_bytes(), body) {
        return None;
    }
    decode::lt_offsets(bytes, decoded)
}

/// An HTML snippet (a Markdown HTML block) as blocks: `byte` is where it starts, and every
/// top-level table's path is `path`.
pub(crate) fn read_html_fragment(
    text: &str,
    byte: u64,
    path: String,
    limits: &Limits,
) -> Result<(Vec<Block>, Vec<Furniture>), ReadError> {
    let dom = parse_dom(text, None, byte, limits)?;
    let mut conv = convert::Converter::new(&dom, limits, Some(path));
    let blocks = conv.blocks()?;
    Ok((blocks, conv.furniture))
}

/// Read an HTML page held in `bytes`; `source` is recorded in [`SourceInfo`] only.
pub fn read_html(source: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    limits.check_size(bytes)?;
    let decoded = decode::decode(bytes)?;
    let lt = lt_map(bytes, &decoded);
    let dom = parse_dom(&decoded.text, lt.as_deref(), decoded.bom as u64, limits)?;
    let mut conv = convert::Converter::new(&dom, limits, None);
    let blocks = conv.blocks()?;
    let mut info = SourceInfo::new(source, SourceFormat::Html);
    info.encoding = Some(decoded.encoding.to_string());
    let mut doc = Document::new(info);
    doc.blocks = blocks;
    doc.furniture = conv.furniture;
    doc.take_trailing_page_number();
    Ok(doc)
}

/// The differential check of the fast parse path against html5ever (`tests/differential.rs`
/// and the `html` fuzz target): not part of the reader's interface.
#[doc(hidden)]
pub mod differential {
    use super::*;

    /// What the fast path did with one input.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Verdict {
        /// It answered, with what html5ever's path gives.
        Answered,
        /// It left the input to html5ever (why).
        BailedOut(&'static str),
        /// The input failed before parsing (size, decoding).
        NotParsed,
    }

    fn blocks(dom: &dom::Dom, limits: &Limits, path: Option<String>) -> String {
        let mut conv = convert::Converter::new(dom, limits, path);
        let blocks = conv.blocks();
        format!("{blocks:?}\n{:?}", conv.furniture)
    }

    /// Both parsers on `text` (decoded; `lt` and `base` as [`read_html`] passes them): `Err`
    /// names the first difference.
    fn compare(
        text: &str,
        lt: Option<&[u64]>,
        base: u64,
        limits: &Limits,
        path: Option<String>,
    ) -> Result<Verdict, String> {
        let reference = dom::parse(text, lt, base, limits.max_depth, limits.max_nodes);
        let fast = fast::parse(text, lt, base, limits.max_depth, limits.max_nodes);
        match (fast, reference) {
            (fast::Outcome::Bail(why), _) => Ok(Verdict::BailedOut(why)),
            (fast::Outcome::Stop(a), Err(b)) if a == b => Ok(Verdict::Answered),
            (fast::Outcome::Stop(a), Err(b)) => {
                Err(format!("fast stopped at {a:?}, html5ever at {b:?}"))
            }
            (fast::Outcome::Stop(a), Ok(_)) => {
                Err(format!("fast stopped at {a:?}, html5ever did not"))
            }
            (fast::Outcome::Dom(_), Err(b)) => {
                Err(format!("html5ever stopped at {b:?}, fast did not"))
            }
            (fast::Outcome::Dom(a), Ok(b)) => {
                let (da, db) = (a.dump(), b.dump());
                if da != db {
                    let line = da
                        .lines()
                        .zip(db.lines())
                        .position(|(x, y)| x != y)
                        .unwrap_or(0);
                    let show = |d: &str| {
                        d.lines()
                            .skip(line.saturating_sub(3))
                            .take(8)
                            .collect::<Vec<_>>()
                            .join("\n")
                    };
                    return Err(format!(
                        "DOMs differ at line {line}:\n--- fast\n{}\n--- html5ever\n{}",
                        show(&da),
                        show(&db)
                    ));
                }
                let (ba, bb) = (blocks(&a, limits, path.clone()), blocks(&b, limits, path));
                if ba != bb {
                    return Err(format!("documents differ:\n{ba}\n{bb}"));
                }
                Ok(Verdict::Answered)
            }
        }
    }

    /// Both parsers on `bytes` read as an HTML page.
    pub fn page(bytes: &[u8], limits: &Limits) -> Result<Verdict, String> {
        if limits.check_size(bytes).is_err() {
            return Ok(Verdict::NotParsed);
        }
        let Ok(decoded) = decode::decode(bytes) else {
            return Ok(Verdict::NotParsed);
        };
        let lt = lt_map(bytes, &decoded);
        compare(
            &decoded.text,
            lt.as_deref(),
            decoded.bom as u64,
            limits,
            None,
        )
    }

    /// Both parsers on `text` read as a Markdown HTML block starting at byte 0.
    pub fn fragment(text: &str, limits: &Limits) -> Result<Verdict, String> {
        compare(text, None, 0, limits, Some("b0".to_string()))
    }
}

/// Read a Markdown file held in `bytes`; `source` is recorded in [`SourceInfo`] only. The
/// text is decoded as HTML pages are (BOM, else UTF-8, else GB18030).
pub fn read_markdown(source: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    limits.check_size(bytes)?;
    let decoded = decode::decode(bytes)?;
    let (blocks, furniture) = markdown::blocks(&decoded.text, decoded.bom as u64, limits)?;
    let mut info = SourceInfo::new(source, SourceFormat::Markdown);
    info.encoding = Some(decoded.encoding.to_string());
    let mut doc = Document::new(info);
    doc.blocks = blocks;
    doc.furniture = furniture;
    doc.take_trailing_page_number();
    Ok(doc)
}

/// Whether `head` starts (after a BOM and whitespace) with `<!doctype html` or `<html`.
fn looks_like_html(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let rest = head.get(start..).unwrap_or_default();
    let starts = |p: &[u8]| {
        rest.get(..p.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(p))
    };
    starts(b"<!doctype html") || starts(b"<html")
}

/// The HTML reader: [`read_html`] under fixed [`Limits`].
#[derive(Clone, Debug, Default)]
pub struct HtmlReader {
    limits: Limits,
}

impl HtmlReader {
    /// A reader enforcing `limits`.
    pub fn new(limits: Limits) -> Self {
        HtmlReader { limits }
    }
}

impl Reader for HtmlReader {
    fn name(&self) -> &'static str {
        "html"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["html", "htm", "xhtml"]
    }

    /// `Likely` when the first non-whitespace bytes (after a UTF-8 BOM) are `<!doctype html`
    /// or `<html`, in any case; a page starting with `<table` or `<head` is left to the
    /// extension (a text file may start that way too).
    fn sniff(&self, head: &[u8]) -> Sniff {
        if looks_like_html(head) {
            Sniff::Likely
        } else {
            Sniff::No
        }
    }

    fn limits(&self) -> Vec<(&'static str, u64)> {
        self.limits.named()
    }

    fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError> {
        read_html(source, bytes, &self.limits)
    }
}

/// The Markdown reader: [`read_markdown`] under fixed [`Limits`]. Markdown has no signature,
/// so it is chosen by extension only.
#[derive(Clone, Debug, Default)]
pub struct MarkdownReader {
    limits: Limits,
}

impl MarkdownReader {
    /// A reader enforcing `limits`.
    pub fn new(limits: Limits) -> Self {
        MarkdownReader { limits }
    }
}

impl Reader for MarkdownReader {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["md", "markdown"]
    }

    fn sniff(&self, _head: &[u8]) -> Sniff {
        Sniff::No
    }

    fn limits(&self) -> Vec<(&'static str, u64)> {
        self.limits.named()
    }

    fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError> {
        read_markdown(source, bytes, &self.limits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_is_conservative() {
        let r = HtmlReader::default();
        assert_eq!(r.sniff(b"\xEF\xBB\xBF \n<!DOCTYPE HTML>"), Sniff::Likely);
        assert_eq!(r.sniff(b"<html lang=zh>"), Sniff::Likely);
        assert_eq!(r.sniff(b"<table><tr>"), Sniff::No);
        assert_eq!(r.sniff(b"plain text <html>"), Sniff::No);
        assert_eq!(MarkdownReader::default().sniff(b"# x"), Sniff::No);
        assert_eq!(r.name(), "html");
        assert_eq!(r.limits().len(), 5);
    }
}
