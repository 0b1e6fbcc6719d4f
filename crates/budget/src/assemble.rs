//! From what the table pass found to the records: units handed down, the candidates that are
//! real projects kept and numbered, and the document record.

use crate::blockset::BlockSet;
use crate::extract::{default_amount_units, Found};
use crate::records::{Amount, DocumentRecord, Project};
use crate::{narrative, values};
use tablift_model::{Block, Document, Paragraph};

/// Gives a project without a unit of its own the document's, and every stated amount without
/// a unit the project's.
pub fn inherit_units(p: &mut Project, document_unit: Option<&str>) {
    if p.unit.is_none() {
        p.unit = document_unit.map(str::to_string);
    }
    let unit = p.unit.clone();
    default_amount_units(p, unit.as_deref());
}

/// The candidates that are real projects (a code, a name, or an indicator grid), numbered from
/// 1, and for the i-th candidate its final sequence number (`None` when it was dropped): the
/// table pass's unknown labels refer to candidates.
pub fn keep_real(candidates: Vec<Project>) -> (Vec<Project>, Vec<Option<u32>>) {
    let mut seq_of = Vec::with_capacity(candidates.len());
    let mut kept = Vec::with_capacity(candidates.len());
    for p in candidates {
        if p.code.is_some() || p.name.is_some() || !p.indicators.is_empty() {
            let seq = u32::try_from(kept.len() + 1).unwrap_or(u32::MAX);
            seq_of.push(Some(seq));
            kept.push(Project { seq, ..p });
        } else {
            seq_of.push(None);
        }
    }
    (kept, seq_of)
}

/// The document record: the source, the document's unit, department, year and narrative.
pub fn document_record(doc: &Document, found: &Found, projects: &[Project]) -> DocumentRecord {
    let narrative = narrative_paragraphs(doc, &found.title_blocks);
    let mut record = DocumentRecord {
        source: doc.source.path.clone(),
        format: doc.source.format.as_str().to_string(),
        encoding: doc.source.encoding.clone(),
        layout: doc.source.layout.map(|l| l.as_str().to_string()),
        unit: found.unit.clone(),
        recognised: !projects.is_empty(),
        department_total: found
            .department_total
            .clone()
            .map(|a| with_unit(a, found.unit.as_deref())),
        year: document_year(&narrative, projects),
        sections: narrative::sections(&narrative),
        ..DocumentRecord::default()
    };
    set_department(&mut record, projects);
    record
}

/// `a`, with `unit` when it states a value without a unit of its own.
fn with_unit(mut a: Amount, unit: Option<&str>) -> Amount {
    if a.value.is_some() && a.unit.is_none() {
        a.unit = unit.map(str::to_string);
    }
    a
}

/// The document's department: the first project's that names one.
fn set_department(record: &mut DocumentRecord, projects: &[Project]) {
    let Some(p) = projects
        .iter()
        .find(|p| p.department_code.is_some() || p.department_name.is_some())
    else {
        return;
    };
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

/// The paragraphs outside tables that are not project titles (or unit lines): the narrative.
fn narrative_paragraphs<'d>(doc: &'d Document, title_blocks: &BlockSet) -> Vec<&'d Paragraph> {
    doc.blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| !title_blocks.contains(*i))
        .filter_map(|(_, b)| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .collect()
}

/// The budget year: stated in the narrative as `2020年度`, else in a project title as `2020年`.
fn document_year(narrative: &[&Paragraph], projects: &[Project]) -> Option<u16> {
    narrative
        .iter()
        .find_map(|p| values::year_in(&p.text, true))
        .or_else(|| {
            projects
                .iter()
                .find_map(|p| values::year_in(&p.title, false))
        })
}
