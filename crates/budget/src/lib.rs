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
//! Not for: reading files (see `tablift-textexport`, `tablift-docx`) or writing outputs (see
//! `tablift-export`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod extract;
pub mod family;
mod flags;
pub mod fold;
mod narrative;
pub mod records;
pub mod values;
pub mod vocab;
mod ws;

pub use family::BudgetFamily;
pub use records::*;

use crate::ws::TrimWs;
use tablift_model::{Block, Document, Origin};

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
    let found = extract::projects(doc, opts);
    let mut projects = found.projects;

    let mut record = DocumentRecord {
        source: doc.source.path.clone(),
        format: doc.source.format.as_str().to_string(),
        encoding: doc.source.encoding.clone(),
        layout: doc.source.layout.map(|l| l.as_str().to_string()),
        unit: found.unit.clone(),
        ..DocumentRecord::default()
    };
    // Projects without a unit of their own use the document's.
    for p in &mut projects {
        if p.unit.is_none() {
            p.unit = found.unit.clone();
        }
        let unit = p.unit.clone();
        for a in [
            &mut p.budget_total,
            &mut p.budget_fiscal,
            &mut p.budget_other,
        ] {
            if a.value.is_some() && a.unit.is_none() {
                a.unit = unit.clone();
            }
        }
    }
    // The projects must be real: a code, a name, or an indicator grid. `seq_of[i]` is the
    // final sequence number of the i-th candidate.
    let mut seq_of: Vec<Option<u32>> = Vec::with_capacity(projects.len());
    let mut kept = Vec::with_capacity(projects.len());
    for p in projects {
        if p.code.is_some() || p.name.is_some() || !p.indicators.is_empty() {
            let seq = u32::try_from(kept.len() + 1).unwrap_or(u32::MAX);
            seq_of.push(Some(seq));
            kept.push(Project { seq, ..p });
        } else {
            seq_of.push(None);
        }
    }
    let projects = kept;
    record.recognised = !projects.is_empty();
    record.department_total = found.department_total.clone().map(|mut a| {
        if a.value.is_some() && a.unit.is_none() {
            a.unit = found.unit.clone();
        }
        a
    });
    if let Some(p) = projects
        .iter()
        .find(|p| p.department_code.is_some() || p.department_name.is_some())
    {
        record.department_code = p.department_code.clone();
        record.department_name = p.department_name.clone();
        record.department_raw = p.department_raw.clone().or_else(|| {
            Some(format!(
                "{}{}",
                p.department_code.as_deref().unwrap_or(""),
                p.department_name.as_deref().unwrap_or("")
            ))
        });
    }

    let narrative: Vec<&tablift_model::Paragraph> = doc
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| !found.title_blocks.contains(i))
        .filter_map(|(_, b)| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .collect();
    record.year = narrative
        .iter()
        .find_map(|p| values::year_in(&p.text, true))
        .or_else(|| {
            projects
                .iter()
                .find_map(|p| values::year_in(&p.title, false))
        });
    record.sections = narrative::sections(&narrative);

    let mut flags = Vec::new();
    if !record.recognised {
        flags.push(Flag {
            code: "not_a_budget_disclosure".into(),
            field: "document".into(),
            message:
                "no 绩效目标表 (project table with 项目编码/项目名称 or an indicator grid) found"
                    .into(),
            ..Flag::default()
        });
    }
    if !record.recognised {
        // A flattened export (no table marks) still shows the form's labels as paragraphs.
        let mut labels: Vec<&str> = Vec::new();
        let mut first = Origin::Unknown;
        for p in doc.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        }) {
            let t = p.text.trim_ws();
            if t.len() <= 64 && vocab::field(&fold::fold_label(t)).is_some() {
                if labels.is_empty() {
                    first = p.origin.clone();
                }
                if !labels.contains(&t) {
                    labels.push(t);
                }
            }
        }
        if !labels.is_empty() {
            flags.push(Flag {
                code: "form_labels_outside_tables".into(),
                field: "document".into(),
                raw: labels.join("|"),
                message: format!(
                    "the form's labels occur as plain paragraphs (a flattened export?); projects were not recovered: {}",
                    labels.join("、")
                ),
                origin: first,
                ..Flag::default()
            });
        }
    }
    for (bi, origin, labels) in &found.unrecognised_tables {
        let table = doc
            .blocks
            .iter()
            .take(*bi)
            .filter(|b| matches!(b, Block::Table(_)))
            .count();
        flags.push(Flag {
            code: "unrecognised_labels".into(),
            field: format!("tables[{table}]"),
            raw: labels.join("|"),
            message: if labels.is_empty() {
                format!("table {table}: nothing recognised and no label-like cells; kept as a generic table")
            } else {
                format!(
                    "table {table}: no label or column header recognised; kept as a generic table; label-like cells: {}",
                    labels.join("、")
                )
            },
            origin: origin.clone(),
            ..Flag::default()
        });
    }
    for o in &found.clipped {
        flags.push(Flag {
            code: "table_clipped".into(),
            field: "document".into(),
            message: format!("a table beyond the limits was clipped ({opts:?})"),
            origin: o.clone(),
            ..Flag::default()
        });
    }
    for p in &projects {
        flags::check_project(p, &mut flags);
        let unknown: Vec<&extract::Unknown> = found
            .unknown
            .iter()
            .filter(|u| seq_of.get(u.project).copied().flatten() == Some(p.seq))
            .collect();
        if !unknown.is_empty() {
            flags.push(Flag {
                code: "unrecognised_labels".into(),
                project_seq: Some(p.seq),
                project_code: p.code.clone(),
                field: "extra".into(),
                raw: unknown
                    .iter()
                    .map(|u| u.label.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                message: format!(
                    "project {}: labels the vocabulary does not know (kept in extra): {}",
                    p.seq,
                    unknown
                        .iter()
                        .map(|u| u.label.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                origin: unknown
                    .first()
                    .map_or(Origin::Unknown, |u| u.origin.clone()),
            });
        }
    }
    Extraction {
        document: record,
        projects,
        flags,
    }
}
