//! Normalises budget performance disclosures (部门预算绩效目标) from the tablift document model
//! into records: document facts, narrative sections, one [`Project`] per 绩效目标表 and quality
//! [`Flag`]s.
//!
//! # Brief overview
//!
//! Recognition is driven by labels, not positions: every table is read through
//! [`Table::logical_rows`](tablift_model::Table::logical_rows) (so `.docx` merges and text
//! exports look alike), and each cell is folded (full-width → half-width, whitespace and `：`
//! removed, a few traditional characters simplified) and looked up in a vocabulary of labels
//! with synonyms (`项目编码`/`项目代码` → code, `预算数`/`资金总额` → total, …). A label's value
//! is the next non-label cell on its row, or the row below for header labels. The indicator
//! grid is mapped by its header cells (`一级指标` … `指标值确定依据`); unknown columns are kept
//! by header text. Values keep their raw text beside exact [`rust_decimal::Decimal`]s.
//! Suspicious source values are flagged, never corrected.
//!
//! ```
//! use tablift_model::{Block, Cell, Document, Origin, Row, SourceFormat, SourceInfo, Table};
//!
//! let row = |cells: &[&str]| Row {
//!     cells: cells.iter().map(|t| Cell::from_text(*t, Origin::Unknown)).collect(),
//!     ..Row::default()
//! };
//! let mut doc = Document::new(SourceInfo::new("a.txt", SourceFormat::TextExport));
//! doc.blocks.push(Block::Table(Table {
//!     rows: vec![
//!         row(&["项目编码", "467-0201-YCN-4OK6", "项目名称", "大气污染防治"]),
//!         row(&["预算数", "4621.00", "其中：财政资金", "4621.00", "其他资金", ""]),
//!     ],
//!     origin: Origin::Unknown,
//! }));
//! let x = tablift_budget::normalise(&doc);
//! assert_eq!(x.projects[0].code.as_deref(), Some("467-0201-YCN-4OK6"));
//! assert_eq!(x.projects[0].budget_total.value, Some("4621.00".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Text exports without table marks are read too: space-aligned text (`pdftotext -layout`) has
//! its form blocks rebuilt into tables from the positions of the text first (module
//! `columns`); flattened, packed and run-together text is aligned against the form (module
//! `align`). Every such project carries an `aligned_from_text` flag.
//!
//! Not for: reading files (see `tablift-textexport`, `tablift-docx`) or writing outputs (see
//! `tablift-export`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod align;
mod assemble;
mod blockset;
mod columns;
mod extract;
pub mod family;
mod flags;
pub mod fold;
mod narrative;
mod place;
pub mod records;
mod short;
pub mod values;
pub mod vocab;
mod ws;

pub use family::BudgetFamily;
pub use records::*;

use tablift_model::Document;

/// Default [`Options::max_rows_per_table`].
pub const MAX_ROWS_PER_TABLE: usize = 100_000;
/// Default [`Options::max_cells_per_row`].
pub const MAX_CELLS_PER_ROW: usize = 1_000;
/// Default [`Options::max_grid_columns`].
pub const MAX_GRID_COLUMNS: u32 = 1_000;

/// Limits for [`normalise_with`]. Tables beyond them are clipped (and flagged), never an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Rows read from one table (also the largest row span honoured).
    pub max_rows_per_table: usize,
    /// Cells read from one row.
    pub max_cells_per_row: usize,
    /// The widest grid: larger `col_span`s and `grid_before`s are clamped to it.
    pub max_grid_columns: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_rows_per_table: MAX_ROWS_PER_TABLE,
            max_cells_per_row: MAX_CELLS_PER_ROW,
            max_grid_columns: MAX_GRID_COLUMNS,
        }
    }
}

/// Normalise one document into records, with the default [`Options`].
pub fn normalise(doc: &Document) -> Extraction {
    normalise_with(doc, &Options::default())
}

/// Normalise one document into records. Never panics; output is deterministic.
pub fn normalise_with(doc: &Document, opts: &Options) -> Extraction {
    // Space-aligned text (`pdftotext -layout`): its form blocks become tables first, so the
    // table pass below does all the field logic (see `columns`).
    let recovered = columns::recover(doc);
    let doc = recovered.as_ref().map_or(doc, |r| &r.doc);
    let mut found = extract::projects(doc, opts);
    // No table recognised but the form's labels as paragraphs (a flattened export): align the
    // lines against the form. Its flags replace `form_labels_outside_tables`.
    let mut aligned_flags: Vec<Vec<Flag>> = Vec::new();
    let mut rejected: Vec<Flag> = Vec::new();
    let no_table_project = found
        .projects
        .iter()
        .all(|p| p.code.is_none() && p.name.is_none());
    // A self-evaluation (绩效自评表) reports results beside the targets: as a table or as text
    // without table marks, none of it is a target record (and it is not aligned). The check
    // rejects nearly every paragraph and cell at its first byte test.
    let self_eval = align::self_evaluation(doc);
    if self_eval.is_some() {
        found.projects.clear();
    }
    if no_table_project && self_eval.is_none() && align::has_form_labels(doc) {
        if let Some(a) = align::align(doc) {
            rejected = a.rejected;
            if !a.projects.is_empty() {
                found.projects = a.projects;
                found.title_blocks.union(&a.used_blocks);
                found.unit = found.unit.or(a.unit);
                aligned_flags = a.flags;
            }
        }
    }
    let mut candidates = std::mem::take(&mut found.projects);
    for p in &mut candidates {
        assemble::inherit_units(p, found.unit.as_deref());
    }
    let (projects, seq_of) = assemble::keep_real(candidates);
    let document = assemble::document_record(doc, &found, &projects);

    // Document-level flags first, then each project's own, in a fixed order.
    let mut flags: Vec<Flag> = doc
        .diagnostics
        .iter()
        .map(flags::reader_diagnostic)
        .collect();
    if !document.recognised {
        let blocks_not_aligned = rejected.iter().filter(|f| f.field == "project").count();
        flags::unrecognised_document(doc, blocks_not_aligned, &mut flags);
    }
    flags.extend(self_eval);
    flags.extend(rejected);
    for (bi, origin, labels) in &found.unrecognised_tables {
        flags.push(flags::unrecognised_table(doc, *bi, origin, labels));
    }
    for o in &found.clipped {
        flags.push(flags::table_clipped(o, opts));
    }
    flags.extend(found.placements.iter().map(flags::cell_placed));
    flags.extend(found.left_out.iter().map(flags::row_left_out));
    let mut aligned_flags = aligned_flags.into_iter();
    for p in &projects {
        let own = aligned_flags.next().unwrap_or_default();
        let plan_read = !own
            .iter()
            .any(|f| f.code == FlagCode::FieldNotAligned && f.field == "plan");
        flags.extend(own);
        if let Some(r) = &recovered {
            let mut own = r.flags_at(p.origin.line());
            columns::note_gap_spaces(&mut own, p);
            flags.extend(own.into_iter().map(|f| Flag {
                project_seq: Some(p.seq),
                project_code: p.code.clone(),
                ..f
            }));
        }
        flags::check_project(p, plan_read, &mut flags);
        flags.extend(flags::unknown_labels(p, &found.unknown, &seq_of));
    }
    Extraction {
        document,
        projects,
        flags,
    }
}
