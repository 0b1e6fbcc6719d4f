//! Reads PDFs into the tablift document model, rebuilding ruled tables from the page geometry.
//!
//! # Brief overview
//!
//! A PDF has no tables, only glyphs at positions and lines drawn on the page. This crate
//! takes both from hayro-interpret (behind one small module), then:
//!
//! * **rulings**: stroked segments and thin filled rectangles become horizontal and vertical
//!   lines, snapped to shared positions and joined (Chromium's per-cell boxes, 0.74 pt apart,
//!   become one line);
//! * **grid**: each connected network of rulings is a table fragment; grid units with no
//!   border between them merge into one cell with `row_span`/`col_span`;
//! * **text**: every glyph goes to the cell containing its centre; a cell's glyphs make lines
//!   by baseline, spaces from gaps (LibreOffice writes none), paragraphs from line ends;
//! * **pages**: a fragment at the top of a page with the same outer column edges as the
//!   fragment ending the previous page continues that table, and a row cut by the page break
//!   is joined (see [`join rule`](#rows-cut-by-a-page-break));
//! * text outside tables becomes paragraphs in reading order; page numbers and text in the
//!   page margins' outer bands become [`Document::furniture`].
//!
//! Every block, row and cell carries [`Origin::Pdf`]: the 1-based page and a bounding box in
//! points, y up from the page's bottom (PDF user space; a page with `/Rotate` in its displayed
//! orientation, relative to its crop box).
//!
//! ## Rows cut by a page break
//!
//! The last row of a fragment ending page N and the first row of its continuation on page
//! N+1 are one row when (a) the continuation's first row is drawn open all along its top (no
//! ruling: Chromium leaves a cut row open), or (b) every non-empty cell of the first row on
//! N+1 sits under a non-empty cell reaching the bottom on N, and at least one such non-empty
//! cell has an empty cell under it (the text that fitted on page N left its cells empty on
//! N+1: LibreOffice closes the cut row on both pages). A joined cell's text is the two parts
//! run together, except that numbered item n + 1 after item n starts a paragraph of its own.
//! Otherwise the rows stay apart, but a cell drawn open at the top under a cell
//! drawn open at the bottom is the same merged cell going on (its `row_span` grows). An open
//! bottom alone joins nothing: when what is left of a cut row is thinner than a border,
//! Chromium starts the next page with a closed row.
//!
//! ```
//! let limits = tablift_pdf::Limits::default();
//! let err = tablift_pdf::read("x.pdf", b"%PDF-1.7\n garbage", &limits).unwrap_err();
//! assert_eq!(err.kind().as_str(), "malformed");
//! ```
//!
//! A PDF with no text on any page (a scan, or blank pages) is a `no_text_layer` failure; in
//! a PDF with text, pages drawing only images get a `pages_without_text` diagnostic.
//!
//! Not for: scanned PDFs without a text layer (no OCR: such pages give no text), tables
//! without ruling lines (stream tables), or deciding what a table means (the families do).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod interp;
mod lattice;
mod reader;
mod text;

pub use reader::PdfReader;

use interp::{Glyph, InterpError, RawPage};
use lattice::Grid;
use std::collections::HashMap;
use tablift_model::read::{FailureKind, ReadError};
use tablift_model::{
    Bbox, Block, Cell, Document, Furniture, FurnitureKind, Origin, Paragraph, Row, SourceFormat,
    SourceInfo, Table,
};
use text::Line;

/// Default for [`Limits::max_input_bytes`]: 256 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 << 20;
/// Default for [`Limits::max_pages`].
pub const DEFAULT_MAX_PAGES: usize = 10_000;
/// Default for [`Limits::max_glyphs_per_page`].
pub const DEFAULT_MAX_GLYPHS_PER_PAGE: usize = 200_000;
/// Default for [`Limits::max_paths_per_page`].
pub const DEFAULT_MAX_PATHS_PER_PAGE: usize = 200_000;

/// Where the `%PDF-` header must start: readers accept junk before it, up to this offset.
const HEADER_WINDOW: usize = 1024;

/// What the reader refuses, each a typed [`FailureKind::InputTooLarge`] naming the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file, in bytes.
    pub max_input_bytes: u64,
    /// Most pages.
    pub max_pages: usize,
    /// Most glyphs drawn on one page.
    pub max_glyphs_per_page: usize,
    /// Most paths (strokes and fills) drawn on one page.
    pub max_paths_per_page: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_pages: DEFAULT_MAX_PAGES,
            max_glyphs_per_page: DEFAULT_MAX_GLYPHS_PER_PAGE,
            max_paths_per_page: DEFAULT_MAX_PATHS_PER_PAGE,
        }
    }
}

/// Whether the first [`HEADER_WINDOW`] bytes hold `%PDF-`.
pub fn has_pdf_header(head: &[u8]) -> bool {
    let head = head.get(..HEADER_WINDOW).unwrap_or(head);
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Read a PDF held in `bytes`; `source` names it in the document's [`SourceInfo`].
pub fn read(source: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::new(FailureKind::Empty, "empty file"));
    }
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > limits.max_input_bytes {
        return Err(ReadError::new(
            FailureKind::InputTooLarge,
            format!(
                "the PDF is {len} bytes, more than the limit of {}",
                limits.max_input_bytes
            ),
        ));
    }
    if !has_pdf_header(bytes) {
        return Err(ReadError::new(
            FailureKind::Malformed,
            "not a PDF: no %PDF- header in the first 1024 bytes",
        ));
    }
    let caps = interp::Caps {
        max_pages: limits.max_pages,
        max_glyphs: limits.max_glyphs_per_page,
        max_paths: limits.max_paths_per_page,
    };
    let pages = interp::pages(bytes, caps).map_err(|e| interp_error(e, limits))?;
    if pages.is_empty() {
        return Err(ReadError::new(
            FailureKind::Malformed,
            "the PDF has no pages",
        ));
    }
    let without_text = textless(&pages);
    text_layer(&pages, &without_text)?;
    let mut doc = build(source, &pages);
    if let Some(d) = pages_without_text(&pages, &without_text) {
        doc.diagnostics.push(d);
    }
    Ok(doc)
}

/// The pages that draw no glyph with a Unicode value: those that draw images (scanned
/// pages, by number) and those that draw nothing.
struct Textless {
    scanned: Vec<u32>,
    empty: usize,
}

fn textless(pages: &[RawPage]) -> Textless {
    let mut t = Textless {
        scanned: Vec::new(),
        empty: 0,
    };
    for (i, p) in pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.glyphs.is_empty())
    {
        if p.images > 0 {
            t.scanned
                .push(u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1));
        } else {
            t.empty += 1;
        }
    }
    t
}

/// A PDF without a single glyph is a scan (or blank): without OCR there is nothing to read,
/// and an empty success would look like a document with no tables.
fn text_layer(pages: &[RawPage], t: &Textless) -> Result<(), ReadError> {
    let n = pages.len();
    if t.scanned.len() + t.empty < n {
        return Ok(());
    }
    let what = match (t.scanned.len(), t.empty) {
        (0, _) => "all empty".to_string(),
        (_, 0) => "images only: a scan".to_string(),
        (i, e) => format!("{i} with images only, {e} empty"),
    };
    Err(ReadError::new(
        FailureKind::NoTextLayer,
        format!(
            "no text layer: none of the {n} pages has any text ({what}); reading it would need OCR"
        ),
    ))
}

/// A note on the pages that draw images but no text in a PDF that has text elsewhere (a
/// scanned page inside a born-digital document: its tables are missing from the output).
/// Empty pages are left alone: blank separator pages are common and lose nothing.
fn pages_without_text(pages: &[RawPage], t: &Textless) -> Option<tablift_model::Diagnostic> {
    let first = *t.scanned.first()?;
    let list: Vec<String> = t.scanned.iter().map(u32::to_string).collect();
    let page = pages.get((first as usize).saturating_sub(1));
    let (w, h) = page.map_or((0.0, 0.0), |p| (p.width, p.height));
    Some(tablift_model::Diagnostic {
        code: "pages_without_text".to_string(),
        message: format!(
            "images but no text on page {} of {} (scanned pages?): not read",
            list.join(", "),
            pages.len()
        ),
        origin: origin(first, [0.0, 0.0, w, h]),
    })
}

fn page_at(page: u32) -> Option<String> {
    Some(format!("page {page}"))
}

fn interp_error(e: InterpError, limits: &Limits) -> ReadError {
    match e {
        InterpError::Invalid => ReadError::new(
            FailureKind::Malformed,
            "not a readable PDF (no usable cross-reference table or page tree)",
        ),
        InterpError::Encrypted(why) => {
            ReadError::new(FailureKind::Encrypted, format!("encrypted PDF: {why}"))
        }
        InterpError::Panicked(0) => ReadError::new(
            FailureKind::Malformed,
            "the PDF parser failed on this file (an internal panic, caught)",
        ),
        InterpError::Panicked(page) => ReadError::new(
            FailureKind::Malformed,
            format!("the PDF interpreter failed on page {page} (an internal panic, caught)"),
        )
        .at(page_at(page)),
        InterpError::TooManyGlyphs(page) => ReadError::new(
            FailureKind::InputTooLarge,
            format!(
                "page {page} draws more than {} glyphs",
                limits.max_glyphs_per_page
            ),
        )
        .at(page_at(page)),
        InterpError::TooManyPaths(page) => ReadError::new(
            FailureKind::InputTooLarge,
            format!(
                "page {page} draws more than {} paths",
                limits.max_paths_per_page
            ),
        )
        .at(page_at(page)),
        InterpError::TooManyPages(n) => ReadError::new(
            FailureKind::InputTooLarge,
            format!(
                "the PDF has {n} pages, more than the limit of {}",
                limits.max_pages
            ),
        )
        .at(page_at(
            u32::try_from(limits.max_pages)
                .unwrap_or(u32::MAX)
                .saturating_add(1),
        )),
    }
}

/// Outer column edges of two fragments closer than this (points) make one table across a
/// page break: the same table laid out twice comes out within rounding of itself.
const SAME_COLUMNS_TOLERANCE: f32 = 2.0;

/// Text whose top lies within this many points of the page's top edge, or whose bottom lies
/// within this of the bottom edge, is a page header or footer (browsers print the title, URL
/// and page count there; Word and LibreOffice put their headers there).
const FURNITURE_BAND: f32 = 42.0;

/// A lone page number may sit this deep (fraction of the page height) into the page from the
/// top or bottom edge.
const PAGE_NUMBER_BAND: f32 = 0.12;

/// Whether a line is a lone page number: `1`, `- 1 -`, `第1页`, `第 1 页 共 12 页`, `1/12`,
/// `Page 1 of 12`.
fn is_page_number(t: &str) -> bool {
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
    let s = s.trim_matches(|c| c == '-' || c == '—' || c == '–');
    if digits(s) {
        return true;
    }
    if let Some(rest) = s.strip_prefix('第') {
        let (n, tail) = rest.split_once('页').unwrap_or((rest, "x"));
        let tail_ok = tail.is_empty()
            || tail
                .strip_prefix('共')
                .and_then(|t| t.strip_suffix('页'))
                .is_some_and(digits);
        return digits(n) && tail_ok;
    }
    if let Some((a, b)) = s.split_once('/') {
        return digits(a) && digits(b);
    }
    let lower = s.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let (n, tail) = rest.split_once("of").unwrap_or((rest, "1"));
        return digits(n) && digits(tail);
    }
    false
}

fn bbox(b: [f32; 4]) -> Bbox {
    Bbox::from(b)
}

fn origin(page: u32, b: [f32; 4]) -> Origin {
    Origin::Pdf {
        page,
        bbox: bbox(b),
    }
}

/// The text of one cell of a fragment.
#[derive(Clone, Debug, Default)]
struct CellText {
    paragraphs: Vec<String>,
}

/// A table fragment on one page, with its cells' text.
#[derive(Debug)]
struct Fragment {
    page: u32,
    grid: Grid,
    texts: Vec<CellText>,
}

/// A content item of a page, in reading order.
#[derive(Debug)]
enum Item {
    Table(Fragment),
    Paragraph(Paragraph),
}

/// Lay out one page: table fragments, paragraphs, furniture.
fn page_items(number: u32, page: &RawPage, furniture: &mut Vec<Furniture>) -> Vec<(f32, Item)> {
    let (h, v) = lattice::rulings(&page.pieces, page.width * page.height);
    let grids = lattice::grids(&lattice::snap_h(&h), &lattice::snap_v(&v));
    let mut per_cell: Vec<Vec<Vec<usize>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    let mut free: Vec<usize> = Vec::new();
    'glyphs: for (i, g) in page.glyphs.iter().enumerate() {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, text::centre_y(g));
        for (gi, grid) in grids.iter().enumerate() {
            if let Some(c) = grid.cell_at(cx, cy) {
                if let Some(slot) = per_cell.get_mut(gi).and_then(|cells| cells.get_mut(c)) {
                    slot.push(i);
                }
                continue 'glyphs;
            }
        }
        free.push(i);
    }
    let mut items: Vec<(f32, Item)> = Vec::new();
    for (grid, cells) in grids.into_iter().zip(per_cell) {
        let texts = grid
            .cells
            .iter()
            .zip(&cells)
            .map(|(c, idx)| cell_text(&page.glyphs, idx, c.bbox))
            .collect();
        let top = grid.bbox()[3];
        items.push((
            top,
            Item::Table(Fragment {
                page: number,
                grid,
                texts,
            }),
        ));
    }
    // Text outside tables: furniture first, the rest in paragraphs.
    let all_lines = text::lines(&page.glyphs, &free);
    let mut body: Vec<Line> = Vec::new();
    for l in all_lines {
        let near_top = l.top() > page.height - FURNITURE_BAND;
        let near_bottom = l.bottom() < FURNITURE_BAND;
        let number_band = l.top() > page.height * (1.0 - PAGE_NUMBER_BAND)
            || l.bottom() < page.height * PAGE_NUMBER_BAND;
        let kind = if number_band && is_page_number(&l.text) {
            Some(FurnitureKind::PageNumber)
        } else if near_top {
            Some(FurnitureKind::Header)
        } else if near_bottom {
            Some(FurnitureKind::Footer)
        } else {
            None
        };
        match kind {
            Some(kind) => furniture.push(Furniture {
                kind,
                text: l.text.clone(),
                origin: origin(number, [l.x0, l.bottom(), l.x1, l.top()]),
            }),
            None => body.push(l),
        }
    }
    // Paragraphs between tables: split the lines at every table so none spans one.
    let tops: Vec<f32> = items.iter().map(|(t, _)| *t).collect();
    let left = body.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min);
    let right = body.iter().map(|l| l.x1).fold(f32::NEG_INFINITY, f32::max);
    let mut start = 0;
    while start < body.len() {
        let Some(first) = body.get(start) else { break };
        // Lines down to the next table top below this line.
        let fence = tops
            .iter()
            .copied()
            .filter(|t| *t < first.y)
            .fold(f32::NEG_INFINITY, f32::max);
        let mut end = start;
        while body.get(end).is_some_and(|l| l.y > fence) {
            end += 1;
        }
        let chunk = body.get(start..end).unwrap_or(&[]);
        for (text, members) in text::paragraphs(chunk, left, right) {
            let ls = chunk.get(members).unwrap_or(&[]);
            let b = [
                ls.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min),
                ls.iter().map(|l| l.bottom()).fold(f32::INFINITY, f32::min),
                ls.iter().map(|l| l.x1).fold(f32::NEG_INFINITY, f32::max),
                ls.iter().map(|l| l.top()).fold(f32::NEG_INFINITY, f32::max),
            ];
            items.push((
                b[3],
                Item::Paragraph(Paragraph {
                    text,
                    origin: origin(number, b),
                    ..Paragraph::default()
                }),
            ));
        }
        start = end.max(start + 1);
    }
    items.sort_by(|a, b| b.0.total_cmp(&a.0));
    items
}

/// A cell's paragraphs from its glyphs.
fn cell_text(glyphs: &[Glyph], idx: &[usize], b: [f32; 4]) -> CellText {
    let ls = text::lines(glyphs, idx);
    let left = ls.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min);
    // The text area: the border minus the padding seen on the left, assumed on the right too.
    let pad = (left - b[0]).clamp(0.0, (b[2] - b[0]) / 4.0);
    let right = b[2] - pad;
    CellText {
        paragraphs: text::paragraphs(&ls, left, right)
            .into_iter()
            .map(|p| p.0)
            .collect(),
    }
}

/// Whether fragment `b` (top of the next page) continues fragment `a` (end of this page).
fn continues(a: &Fragment, b: &Fragment) -> bool {
    let (ab, bb) = (a.grid.bbox(), b.grid.bbox());
    b.page == a.page.saturating_add(1)
        && (ab[0] - bb[0]).abs() <= SAME_COLUMNS_TOLERANCE
        && (ab[2] - bb[2]).abs() <= SAME_COLUMNS_TOLERANCE
}

/// A cell placed on a table's shared column grid.
#[derive(Clone, Debug)]
struct Placed {
    x0: f32,
    x1: f32,
    rows: u32,
    text: CellText,
    page: u32,
    bbox: [f32; 4],
    /// In its fragment's first row, with no ruling anywhere along its top.
    open_top: bool,
    /// Reaching the bottom of the table so far.
    at_bottom: bool,
    /// Reaching the bottom, with no ruling anywhere along its bottom.
    open_bottom: bool,
}

/// A row being assembled across fragments.
#[derive(Clone, Debug)]
struct PRow {
    page: u32,
    bbox: [f32; 4],
    cells: Vec<Placed>,
}

fn fragment_rows(f: Fragment) -> Vec<PRow> {
    let rows = f.grid.ys.len().saturating_sub(1);
    let (x0, x1) = (
        f.grid.xs.first().copied().unwrap_or(0.0),
        f.grid.xs.last().copied().unwrap_or(0.0),
    );
    let mut out: Vec<PRow> = (0..rows)
        .map(|r| PRow {
            page: f.page,
            bbox: [
                x0,
                f.grid.ys.get(r + 1).copied().unwrap_or(0.0),
                x1,
                f.grid.ys.get(r).copied().unwrap_or(0.0),
            ],
            cells: Vec::new(),
        })
        .collect();
    let all_open = |flags: &[bool], c: &lattice::GridCell| {
        let cols = c.col as usize..(c.col as usize).saturating_add(c.cols as usize);
        flags
            .get(cols)
            .is_some_and(|f| !f.is_empty() && f.iter().all(|&o| o))
    };
    for (c, t) in f.grid.cells.iter().zip(f.texts) {
        let at_bottom = (c.row as usize).saturating_add(c.rows as usize) >= rows;
        let placed = Placed {
            x0: c.bbox[0],
            x1: c.bbox[2],
            rows: c.rows,
            text: t,
            page: f.page,
            bbox: c.bbox,
            open_top: c.row == 0 && all_open(&f.grid.open_top, c),
            at_bottom,
            open_bottom: at_bottom && all_open(&f.grid.open_bottom, c),
        };
        if let Some(row) = out.get_mut(c.row as usize) {
            row.cells.push(placed);
        }
    }
    out
}

fn blank(t: &CellText) -> bool {
    t.paragraphs.iter().all(|p| p.trim().is_empty())
}

fn same_columns(a: &Placed, c: &Placed) -> bool {
    (a.x0 - c.x0).abs() <= SAME_COLUMNS_TOLERANCE && (a.x1 - c.x1).abs() <= SAME_COLUMNS_TOLERANCE
}

/// The cell reaching the bottom of `rows` right above `c`.
fn above<'a>(rows: &'a [PRow], c: &Placed) -> Option<&'a Placed> {
    rows.iter()
        .flat_map(|r| &r.cells)
        .find(|a| a.at_bottom && same_columns(a, c))
}

/// Whether the first row of a continuation continues the last row before the break, by
/// text (rule (b) of the module docs).
fn row_continues(rows: &[PRow], first: &PRow) -> bool {
    let mut some_done = false;
    for c in &first.cells {
        let a = above(rows, c);
        if !blank(&c.text) && a.is_none_or(|a| blank(&a.text)) {
            return false;
        }
        if blank(&c.text) && a.is_some_and(|a| !blank(&a.text)) {
            some_done = true;
        }
    }
    some_done && first.cells.iter().any(|c| !blank(&c.text))
}

/// Run the text of `b` on after `a`'s: its first paragraph continues `a`'s last (a line
/// wrapped over the page break), unless `a`'s last is numbered item n and it starts item
/// n + 1 (the break fell between two items).
fn join_text(a: &mut CellText, b: CellText) {
    let mut rest = b.paragraphs.into_iter();
    if let Some(first) = rest.next() {
        match a.paragraphs.last_mut() {
            Some(last) if !last.trim().is_empty() && !next_item(last, &first) => {
                let spaced = last
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && first
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                if spaced {
                    last.push(' ');
                }
                last.push_str(&first);
            }
            _ => a.paragraphs.push(first),
        }
    }
    a.paragraphs.extend(rest);
    while a.paragraphs.last().is_some_and(|p| p.trim().is_empty()) {
        a.paragraphs.pop();
    }
}

fn next_item(last: &str, first: &str) -> bool {
    text::item_number(last).is_some_and(|n| text::item_number(first) == n.checked_add(1))
}

/// Put `c` (a cell of a continuation's first row) into the cell above it that reaches the
/// bottom, if `fits` says so; `joined_row` when the two rows become one (else `c`'s rows are
/// added below). Gives `c` back when nothing took it.
fn merge_down(
    rows: &mut [PRow],
    c: Placed,
    joined_row: bool,
    fits: impl Fn(&Placed) -> bool,
) -> Option<Placed> {
    let target = rows
        .iter_mut()
        .flat_map(|r| r.cells.iter_mut())
        .find(|a| a.at_bottom && same_columns(a, &c) && fits(a));
    let Some(a) = target else {
        return Some(c);
    };
    let extra = if joined_row {
        c.rows.saturating_sub(1)
    } else {
        c.rows
    };
    a.rows = a.rows.saturating_add(extra);
    join_text(&mut a.text, c.text);
    a.bbox[1] = a.bbox[1].min(c.bbox[1]);
    a.open_bottom = c.open_bottom;
    a.at_bottom = c.at_bottom;
    // Marked so that the caller keeps it at the bottom after the old flags are cleared.
    a.open_top = true;
    None
}

/// One table from fragments continuing each other.
fn table(frags: Vec<Fragment>) -> Table {
    let first_origin = frags
        .first()
        .map(|f| origin(f.page, f.grid.bbox()))
        .unwrap_or_default();
    let mut rows: Vec<PRow> = Vec::new();
    for f in frags {
        let mut new = fragment_rows(f);
        if !rows.is_empty() && !new.is_empty() {
            let first = new.remove(0);
            // (a) the continuation drawn open all along its top; or (b) the text says so. An
            // open bottom alone proves nothing: when what is left of a cut row is a sliver
            // thinner than a border, Chromium's next page starts with a closed row.
            let top_open = first.cells.iter().all(|c| c.open_top);
            let joined = top_open || row_continues(&rows, &first);
            let mut kept = Vec::new();
            for c in first.cells {
                let left = if joined {
                    merge_down(&mut rows, c, true, |_| true)
                } else if c.open_top {
                    // A merged cell drawn open across the break goes on in the cell above.
                    merge_down(&mut rows, c, false, |a| a.open_bottom)
                } else {
                    Some(c)
                };
                kept.extend(left);
            }
            // Cells above that took nothing no longer reach the bottom.
            for a in rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                if a.open_top {
                    a.open_top = false;
                } else {
                    a.at_bottom = false;
                    a.open_bottom = false;
                }
            }
            if joined {
                if let Some(last) = rows.last_mut() {
                    last.cells.extend(kept);
                    last.cells.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                }
            } else {
                new.insert(
                    0,
                    PRow {
                        cells: kept,
                        ..first_row_shell(&first.page, first.bbox)
                    },
                );
            }
        }
        rows.extend(new);
    }
    // Rows left with no cell of their own (all covered from above) are dropped, and the
    // spans over them shortened.
    let mut r = 0;
    while r < rows.len() {
        if rows.get(r).is_some_and(|row| row.cells.is_empty()) {
            for (i, row) in rows.iter_mut().enumerate().take(r) {
                for c in &mut row.cells {
                    if (i as u64) + u64::from(c.rows) > r as u64 {
                        c.rows = c.rows.saturating_sub(1).max(1);
                    }
                }
            }
            rows.remove(r);
        } else {
            r += 1;
        }
    }
    // The shared column grid: every cell edge, clustered.
    let mut edges: Vec<f32> = rows
        .iter()
        .flat_map(|r| r.cells.iter().flat_map(|c| [c.x0, c.x1]))
        .collect();
    edges.sort_by(f32::total_cmp);
    let mut xs: Vec<f32> = Vec::new();
    for e in edges {
        if xs.last().is_none_or(|l| e - l > SAME_COLUMNS_TOLERANCE) {
            xs.push(e);
        }
    }
    let col = |x: f32| {
        xs.iter()
            .position(|b| (b - x).abs() <= SAME_COLUMNS_TOLERANCE)
            .unwrap_or(0)
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut cells = Vec::with_capacity(r.cells.len());
        for c in r.cells {
            let (c0, c1) = (col(c.x0), col(c.x1));
            cells.push(Cell {
                paragraphs: c.text.paragraphs,
                col_span: u32::try_from(c1.saturating_sub(c0).max(1)).unwrap_or(1),
                row_span: c.rows.max(1),
                tables: Vec::new(),
                origin: origin(c.page, c.bbox),
            });
        }
        out.push(Row {
            grid_before: 0,
            cells,
            origin: origin(r.page, r.bbox),
        });
    }
    Table {
        rows: out,
        origin: first_origin,
    }
}

fn first_row_shell(page: &u32, bbox: [f32; 4]) -> PRow {
    PRow {
        page: *page,
        bbox,
        cells: Vec::new(),
    }
}

/// A header or footer is what runs: text in the margin band that comes back on another page
/// (digits aside: `第 3 页`, dates). Band text seen on one page only is content that starts
/// close to the edge (a browser prints with 0.4 in margins, so a page's first line, often
/// the table's title, sits in the band): it goes back into its page as a paragraph, at its
/// place by height. Page numbers stay furniture.
fn keep_only_running_furniture(furniture: &mut Vec<Furniture>, per_page: &mut [Vec<(f32, Item)>]) {
    let banded = |f: &Furniture| matches!(f.kind, FurnitureKind::Header | FurnitureKind::Footer);
    let shape = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect()
    };
    let mut pages_of: HashMap<String, (u32, bool)> = HashMap::new();
    for f in furniture.iter().filter(|f| banded(f)) {
        let Origin::Pdf { page, .. } = f.origin else {
            continue;
        };
        let e = pages_of.entry(shape(&f.text)).or_insert((page, false));
        e.1 |= e.0 != page;
    }
    let mut kept = Vec::with_capacity(furniture.len());
    for f in furniture.drain(..) {
        let runs = pages_of.get(&shape(&f.text)).is_some_and(|e| e.1);
        let Origin::Pdf { page, bbox } = f.origin else {
            kept.push(f);
            continue;
        };
        let slot = usize::try_from(page)
            .ok()
            .and_then(|p| p.checked_sub(1))
            .and_then(|i| per_page.get_mut(i));
        match slot {
            Some(items) if banded(&f) && !runs => {
                let top = bbox.y1;
                let at = items.partition_point(|(t, _)| *t >= top);
                let p = Paragraph {
                    text: f.text,
                    origin: f.origin,
                    ..Paragraph::default()
                };
                items.insert(at, (top, Item::Paragraph(p)));
            }
            _ => kept.push(f),
        }
    }
    *furniture = kept;
}

/// The document from interpreted pages.
fn build(source: &str, pages: &[RawPage]) -> Document {
    let mut doc = Document::new(SourceInfo::new(source, SourceFormat::Pdf));
    let mut per_page: Vec<Vec<(f32, Item)>> = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let number = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
        per_page.push(page_items(number, p, &mut doc.furniture));
    }
    keep_only_running_furniture(&mut doc.furniture, &mut per_page);
    let items = per_page.into_iter().flatten().map(|x| x.1);
    let mut pending: Vec<Fragment> = Vec::new();
    let flush = |pending: &mut Vec<Fragment>, doc: &mut Document| {
        if !pending.is_empty() {
            doc.blocks
                .push(Block::Table(table(std::mem::take(pending))));
        }
    };
    for item in items {
        match item {
            Item::Table(f) => {
                let go_on = pending.last().is_some_and(|last| continues(last, &f));
                if !go_on {
                    flush(&mut pending, &mut doc);
                }
                pending.push(f);
            }
            Item::Paragraph(p) => {
                flush(&mut pending, &mut doc);
                doc.blocks.push(Block::Paragraph(p));
            }
        }
    }
    flush(&mut pending, &mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_recognised() {
        for t in [
            "1",
            "- 1 -",
            "—12—",
            "第1页",
            "第 3 页 共 12 页",
            "1/12",
            "Page 2 of 9",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["", "项目", "2020年", "467-0201", "第一部分", "1.环境质量"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn a_row_cut_by_the_page_break_joins_wrapped_lines_but_keeps_items_apart() {
        let text = |ps: &[&str]| CellText {
            paragraphs: ps.iter().map(|p| p.to_string()).collect(),
        };
        let joined = |a: &[&str], b: &[&str]| {
            let mut a = text(a);
            join_text(&mut a, text(b));
            a.paragraphs
        };
        // seed.pdf, project 15: the goals cell breaks between its two items.
        assert_eq!(
            joined(&["1、保障设备正常运行"], &["2、为环境保护工作服务"]),
            ["1、保障设备正常运行", "2、为环境保护工作服务"]
        );
        // A line wrapped over the break runs on; so does a number that is not the next item.
        assert_eq!(
            joined(&["按照要求完成"], &["工作任务"]),
            ["按照要求完成工作任务"]
        );
        assert_eq!(joined(&["1、完成"], &["3、任务"]), ["1、完成3、任务"]);
        assert_eq!(joined(&["Class"], &["A"]), ["Class A"]);
    }

    #[test]
    fn the_header_is_looked_for_in_the_first_kilobyte() {
        assert!(has_pdf_header(b"%PDF-1.4"));
        assert!(has_pdf_header(b"junk\n%PDF-1.4"));
        let mut late = vec![b' '; 2000];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(!has_pdf_header(&late));
    }

    /// `DUMP=file.pdf cargo test -p tablift-pdf dump -- --nocapture`: the raw geometry.
    #[test]
    fn dump() {
        let path = std::env::var("DUMP").unwrap_or_default();
        if path.is_empty() {
            return;
        }
        let bytes = std::fs::read(&path).unwrap();
        let caps = interp::Caps {
            max_pages: 1000,
            max_glyphs: 1_000_000,
            max_paths: 1_000_000,
        };
        for (i, p) in interp::pages(&bytes, caps).unwrap().iter().enumerate() {
            println!(
                "PAGE {} {}x{} glyphs {} pieces {}",
                i + 1,
                p.width,
                p.height,
                p.glyphs.len(),
                p.pieces.len()
            );
            let all: Vec<usize> = (0..p.glyphs.len()).collect();
            for l in text::lines(&p.glyphs, &all) {
                println!(
                    "  T x{:.1}-{:.1} y{:.1} s{:.1}: {}",
                    l.x0, l.x1, l.y, l.size, l.text
                );
            }
            for pc in &p.pieces {
                println!(
                    "  P {} {:.2} {:.2} {:.2} {:.2}",
                    if pc.stroked { "S" } else { "F" },
                    pc.x0,
                    pc.y0,
                    pc.x1,
                    pc.y1
                );
            }
        }
    }
}
