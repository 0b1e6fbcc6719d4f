//! Rendering: one document's output bytes for every file, built on any thread.
//!
//! Rendering (formatting CSV rows, serialising JSON) is most of an export's work and needs
//! nothing but the document, so batch runs do it on the worker threads, in parallel; the one
//! writer then only appends finished bytes, in input order, which keeps output identical for
//! any thread count.

use crate::csv_out::{self, Row};
use crate::{jsonl, ExportDoc, Failure, Format};

/// The output files a document can add rows to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Projects,
    Indicators,
    Goals,
    Plan,
    Sections,
    Flags,
    Tables,
    Failures,
    Jsonl,
    Model,
}

pub(crate) const SLOTS: usize = 10;

impl Slot {
    pub(crate) const ALL: [Slot; SLOTS] = [
        Slot::Projects,
        Slot::Indicators,
        Slot::Goals,
        Slot::Plan,
        Slot::Sections,
        Slot::Flags,
        Slot::Tables,
        Slot::Failures,
        Slot::Jsonl,
        Slot::Model,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Slot::Projects => "projects.csv",
            Slot::Indicators => "indicators.csv",
            Slot::Goals => "goals.csv",
            Slot::Plan => "spending_plan.csv",
            Slot::Sections => "sections.csv",
            Slot::Flags => "flags.csv",
            Slot::Tables => "tables.csv",
            Slot::Failures => "failures.csv",
            Slot::Jsonl => "documents.jsonl",
            Slot::Model => "model.jsonl",
        }
    }

    pub(crate) fn header(self) -> Option<&'static [&'static str]> {
        use crate::csv_out::*;
        Some(match self {
            Slot::Projects => PROJECTS_HEADER,
            Slot::Indicators => INDICATORS_HEADER,
            Slot::Goals => GOALS_HEADER,
            Slot::Plan => PLAN_HEADER,
            Slot::Sections => SECTIONS_HEADER,
            Slot::Flags => FLAGS_HEADER,
            Slot::Tables => TABLES_HEADER,
            Slot::Failures => FAILURES_HEADER,
            Slot::Jsonl | Slot::Model => return None,
        })
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The output bytes of one or more documents or failures, per file, ready to be appended by
/// [`OutputSet::write`](crate::OutputSet::write). Reuse one per worker ([`Rendered::clear`]
/// keeps the buffers' capacity).
#[derive(Debug, Default)]
pub struct Rendered {
    bufs: [Vec<u8>; SLOTS],
    rows: [u64; SLOTS],
    pub(crate) documents: u64,
    pub(crate) failures: u64,
}

impl Rendered {
    /// An empty set of buffers.
    pub fn new() -> Rendered {
        Rendered::default()
    }

    /// Empty every buffer, keeping its capacity.
    pub fn clear(&mut self) {
        for b in &mut self.bufs {
            b.clear();
        }
        self.rows = [0; SLOTS];
        self.documents = 0;
        self.failures = 0;
    }

    /// Total bytes held.
    pub fn len(&self) -> usize {
        self.bufs.iter().map(Vec::len).sum()
    }

    /// The bytes rendered for one output file (`"tables.csv"`, `"documents.jsonl"`, …; CSV
    /// rows without the header), empty for a file not rendered. For tests and fuzzing: the
    /// writer appends them as they are.
    pub fn bytes(&self, file: &str) -> &[u8] {
        Slot::ALL
            .into_iter()
            .find(|s| s.name() == file)
            .map_or(&[][..], |s| self.slot(s).0)
    }

    /// Whether nothing was rendered.
    pub fn is_empty(&self) -> bool {
        self.documents == 0 && self.failures == 0
    }

    pub(crate) fn row(&mut self, slot: Slot, f: impl FnOnce(&mut Row<'_>)) {
        let i = slot.index();
        if let (Some(buf), Some(rows)) = (self.bufs.get_mut(i), self.rows.get_mut(i)) {
            let mut r = Row::new(buf);
            f(&mut r);
            r.end();
            *rows += 1;
        }
    }

    pub(crate) fn buf_mut(&mut self, slot: Slot) -> Option<&mut Vec<u8>> {
        self.bufs.get_mut(slot.index())
    }

    pub(crate) fn add_rows(&mut self, slot: Slot, n: u64) {
        if let Some(r) = self.rows.get_mut(slot.index()) {
            *r += n;
        }
    }

    pub(crate) fn slot(&self, slot: Slot) -> (&[u8], u64) {
        (
            self.bufs.get(slot.index()).map_or(&[][..], Vec::as_slice),
            self.rows.get(slot.index()).copied().unwrap_or(0),
        )
    }
}

/// Renders documents and failures for the formats of one run. Cheap to clone: give each
/// worker thread its own.
#[derive(Clone, Debug)]
pub struct Renderer {
    csv: bool,
    jsonl: bool,
    model: bool,
}

impl Renderer {
    /// A renderer for `formats` (`failures.csv` rows are always rendered).
    pub fn new(formats: &[Format]) -> Renderer {
        Renderer {
            csv: formats.contains(&Format::Csv),
            jsonl: formats.contains(&Format::Jsonl),
            model: formats.contains(&Format::Model),
        }
    }

    /// Append one document's rows to `out`.
    pub fn document(&self, doc: &ExportDoc<'_>, out: &mut Rendered) -> std::io::Result<()> {
        if self.csv {
            csv_out::render_document(doc, out);
        }
        if self.jsonl {
            jsonl::render_document(doc, out)?;
        }
        if self.model {
            jsonl::render_model(doc, out)?;
        }
        out.documents += 1;
        Ok(())
    }

    /// Append one failure's row to `out`.
    pub fn failure(&self, failure: &Failure, out: &mut Rendered) {
        csv_out::render_failure(failure, out);
        out.failures += 1;
    }
}
