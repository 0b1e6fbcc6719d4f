//! An HTML review report of a run: one self-contained `report.html` that a person checks at a
//! glance before publishing anything from the datasets.
//!
//! # Brief overview
//!
//! The report shows a summary (inputs, documents read and failed with their reasons, rows per
//! dataset, flags by code, budgets charted as inline SVG), then each document: every project's
//! records beside the source table they were read from, drawn from the document model with its
//! merged cells. Every value links to the element its origin names (the cell, or the line of a
//! text export), and flagged values are marked with the flag's message. It needs no network:
//! the CSS is inline and there is no script.
//!
//! The report knows datasets, never a family: it reads rows by column name, so any family is
//! shown. The conventions it follows, all optional:
//!
//! * a `projects` dataset with a `seq` column gives one card per row (`project_name`,
//!   `project_code`, `department_name`, `unit`, `budget_total` feed the titles and charts);
//!   rows of other datasets with a `project_seq` are shown under their project;
//! * a `flags` dataset with a `code` (and `message`, `field`, `raw`, `origin`,
//!   `project_seq`) marks values: the column named by `field`, and any value whose own origin
//!   is the flag's;
//! * a value's origin is the column `NAME_origin` for the longest prefix `NAME` of its column
//!   name (`value_raw` → `value_origin`), else the row's `origin`;
//! * a dataset of the model's own cells (`table`, `row`, `col`, `row_span`, `col_span`) is
//!   only counted: the source tables are drawn from the model itself.
//!
//! Work is split like the other exporters': a [`Renderer`] turns one document into a [`Part`]
//! on any thread; a [`Report`] takes parts and failures in input order, keeps a bounded
//! summary and the first [`Options::max_documents`] documents in full, and writes the page at
//! the end. Output is deterministic: the same inputs give the same bytes for any thread count.
//!
//! ```
//! use tablift_dataset::{Column, ColumnType, Schema};
//! use tablift_report::{Options, Renderer, Report};
//! const ROWS: &[Schema] = &[Schema::new("notes", &[Column::new("text", ColumnType::Text)])];
//! let renderer = Renderer::new([("demo", ROWS)], Options::default());
//! let mut report = Report::new(&renderer);
//! let doc = tablift_model::Document::new(tablift_model::SourceInfo::new(
//!     "a.txt",
//!     tablift_model::SourceFormat::TextExport,
//! ));
//! report.add(renderer.document(0, "a.txt", &doc, &[]));
//! let mut html = Vec::new();
//! report.write(&mut html)?;
//! assert!(String::from_utf8(html)?.contains("a.txt"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not for: deciding what a value means or whether it is wrong (families do that and say so
//! in their flags), or writing files atomically (the caller hands [`Report::write`] a file
//! such as `tablift_export::AtomicFile`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod collect;
mod document;
mod html;
mod summary;

use collect::{Collected, DatasetView};
use html::{esc, num};
use std::io;
use std::sync::Arc;
use summary::Summary;
use tablift_dataset::{Extracted, Schema};
use tablift_model::read::Failure;
use tablift_model::Document;

/// How much the report shows.
#[derive(Clone, Debug)]
pub struct Options {
    /// Documents shown in full (the first ones, in input order); every document is counted
    /// in the summary.
    pub max_documents: usize,
    /// Bytes of document sections kept at most, whatever `max_documents` says: the page stays
    /// quick to open and the run's memory bounded.
    pub max_section_bytes: usize,
    /// Failures listed one by one (all are counted by kind).
    pub max_failures: usize,
    /// Bars per chart.
    pub max_bars: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_documents: 50,
            max_section_bytes: 24 << 20,
            max_failures: 1000,
            max_bars: 20,
        }
    }
}

/// Turns documents into [`Part`]s for one run's datasets. Cheap to clone: one per thread.
#[derive(Clone, Debug)]
pub struct Renderer {
    views: Arc<Vec<DatasetView>>,
    /// Each family's first dataset in `views`.
    family_start: Arc<Vec<usize>>,
    options: Arc<Options>,
}

impl Renderer {
    /// A renderer for families given as `(name, datasets)` in registration order (the order
    /// their outputs are passed to [`Renderer::document`]).
    pub fn new<'a>(
        families: impl IntoIterator<Item = (&'static str, &'a [Schema])>,
        options: Options,
    ) -> Renderer {
        let mut views = Vec::new();
        let mut family_start = Vec::new();
        for (_name, schemas) in families {
            family_start.push(views.len());
            views.extend(schemas.iter().map(|s| DatasetView::new(*s)));
        }
        Renderer {
            views: Arc::new(views),
            family_start: Arc::new(family_start),
            options: Arc::new(options),
        }
    }

    /// One document's part of the report. `index` is the input's place in the run (failures
    /// included): documents before [`Options::max_documents`] are drawn in full.
    pub fn document(
        &self,
        index: usize,
        source: &str,
        doc: &Document,
        extracted: &[Box<dyn Extracted + '_>],
    ) -> Part {
        let keep = index < self.options.max_documents;
        let mut rows = Collected::new(self.views.len(), keep);
        for (family, x) in extracted.iter().enumerate() {
            if let Some(&first) = self.family_start.get(family) {
                rows.family(&self.views, first, source, x.as_ref());
            }
        }
        let html = keep.then(|| self.section(index, source, doc, &rows));
        Part {
            index,
            source: source.to_string(),
            rows,
            html,
        }
    }
}

impl Renderer {
    /// The document's section; a bug in drawing it (a panic) costs only the drawing, never
    /// the document's datasets, and says so in the page.
    fn section(&self, index: usize, source: &str, doc: &Document, rows: &Collected) -> String {
        let draw = || document::section(index, source, doc, &self.views, &rows.rows);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(draw)).unwrap_or_else(|_| {
            let mut out = format!("<section class=\"doc\" id=\"d{index}\"><h2>");
            esc(&mut out, source);
            out.push_str(
                "</h2><p class=\"note\">This document could not be drawn (a tablift bug: \
                 please report it); its records are in the dataset files.</p></section>\n",
            );
            out
        })
    }
}

/// One document's contribution to the report: its counts, and its section when it is drawn
/// in full.
pub struct Part {
    index: usize,
    source: String,
    rows: Collected,
    html: Option<String>,
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("source", &self.source)
            .field("drawn", &self.html.is_some())
            .finish_non_exhaustive()
    }
}

/// The report of one run, fed in input order.
pub struct Report {
    renderer: Renderer,
    summary: Summary,
    sections: Vec<String>,
    /// For the list of documents drawn: (index in the run, source, projects, flags).
    drawn: Vec<(usize, String, u64, u64)>,
    section_bytes: usize,
    /// Documents read but not drawn in full.
    not_drawn: u64,
}

impl Report {
    /// An empty report for the renderer's datasets.
    pub fn new(renderer: &Renderer) -> Report {
        Report {
            summary: Summary {
                rows: vec![0; renderer.views.len()],
                ..Summary::default()
            },
            renderer: renderer.clone(),
            sections: Vec::new(),
            drawn: Vec::new(),
            section_bytes: 0,
            not_drawn: 0,
        }
    }

    /// Take the next document's part (in input order).
    pub fn add(&mut self, part: Part) {
        let index = part.index;
        let (projects, flags) = self.counts(&part);
        let s = &mut self.summary;
        s.inputs += 1;
        s.ok += 1;
        for (total, n) in s.rows.iter_mut().zip(&part.rows.counts) {
            *total += n;
        }
        for (code, n) in part.rows.flags {
            s.flag(code, n);
        }
        for b in part.rows.budgets {
            s.budget(b, &part.source, self.renderer.options.max_bars);
        }
        let o = &self.renderer.options;
        match part.html {
            Some(h)
                if self.sections.len() < o.max_documents
                    && self.section_bytes.saturating_add(h.len()) <= o.max_section_bytes =>
            {
                self.section_bytes += h.len();
                self.sections.push(h);
                self.drawn.push((index, part.source, projects, flags));
            }
            _ => self.not_drawn += 1,
        }
    }

    /// A part's projects and flags (rows of the datasets the report reads as such).
    fn counts(&self, part: &Part) -> (u64, u64) {
        let mut n = (0, 0);
        for (view, rows) in self.renderer.views.iter().zip(&part.rows.counts) {
            match view.kind {
                collect::Kind::Projects(_) => n.0 += rows,
                collect::Kind::Flags(_) => n.1 += rows,
                _ => {}
            }
        }
        n
    }

    /// Take the next input's failure (in input order).
    pub fn failure(&mut self, f: &Failure) {
        self.summary.inputs += 1;
        self.summary.failed += 1;
        self.summary.failure(f, self.renderer.options.max_failures);
    }

    /// Write the whole page.
    pub fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        let mut head = String::with_capacity(64 * 1024);
        head.push_str(concat!(
            "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>tablift review report</title><style>\n",
            include_str!("report.css"),
            "</style></head><body>\n<header><h1>tablift review report</h1><nav>",
            "<a href=\"#summary\">Summary</a><a href=\"#failures\">Failures</a>",
            "<a href=\"#documents\">Documents</a></nav></header>\n"
        ));
        let names: Vec<&str> = self.renderer.views.iter().map(|v| v.schema.name).collect();
        self.summary
            .write(&mut head, &names, self.renderer.options.max_bars);
        self.failures(&mut head);
        self.documents_intro(&mut head);
        out.write_all(head.as_bytes())?;
        for s in &self.sections {
            out.write_all(s.as_bytes())?;
        }
        let mut tail = String::from("</section>\n<footer class=\"note\"><p>tablift ");
        tail.push_str(env!("CARGO_PKG_VERSION"));
        tail.push_str(
            ": values as read, never corrected; flags say what looks wrong.</p></footer>\n\
             </body></html>\n",
        );
        out.write_all(tail.as_bytes())
    }

    fn failures(&self, out: &mut String) {
        let s = &self.summary;
        out.push_str("<section id=\"failures\"><h2>Failures</h2>");
        if s.failures.is_empty() {
            out.push_str("<p>Every input was read.</p></section>\n");
            return;
        }
        out.push_str(
            "<table class=\"rows failures\"><tr><th>source</th><th>kind</th><th>message</th>\
             <th>position</th></tr>",
        );
        for f in &s.failures {
            for (i, v) in [&f.source, f.kind.as_str(), &f.message, &f.position]
                .into_iter()
                .enumerate()
            {
                out.push_str(if i == 0 { "<tr><td>" } else { "<td>" });
                esc(out, v);
                out.push_str("</td>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
        if s.failures_left_out > 0 {
            out.push_str("<p class=\"note\">");
            num(out, s.failures_left_out);
            out.push_str(" more failures are not listed (the report lists the first ");
            num(out, self.renderer.options.max_failures);
            out.push_str("); failures.csv has them all.</p>");
        }
        out.push_str("</section>\n");
    }

    fn documents_intro(&self, out: &mut String) {
        let o = &self.renderer.options;
        out.push_str("<section id=\"documents\"><h2>Documents</h2>");
        if self.not_drawn > 0 {
            out.push_str("<p class=\"note limit\">Shown in full: the first ");
            num(out, self.sections.len());
            out.push_str(" documents read. ");
            num(out, self.not_drawn);
            out.push_str(
                " more are counted in the summary but not drawn: the report draws at most ",
            );
            num(out, o.max_documents);
            out.push_str(" documents (<code>--report-documents</code>) and ");
            num(out, o.max_section_bytes >> 20);
            out.push_str(
                " MiB of document sections, so that it stays quick to open. The dataset \
                 files have every record.</p>",
            );
        }
        if self.drawn.is_empty() {
            return;
        }
        out.push_str(
            "<table class=\"rows doc-list\"><tr><th>#</th><th>document</th><th>projects</th>\
             <th>flags</th></tr>",
        );
        for (index, source, projects, flags) in &self.drawn {
            out.push_str("<tr><td class=\"num\">");
            num(out, index + 1);
            out.push_str("</td><td><a href=\"#d");
            num(out, index);
            out.push_str("\">");
            esc(out, source);
            out.push_str("</a></td><td class=\"num\">");
            num(out, projects);
            out.push_str("</td><td class=\"num\">");
            num(out, flags);
            out.push_str("</td></tr>");
        }
        out.push_str("</table>");
    }
}
