//! The indicator grid of a scattered block (pdftotext without `-layout`), where its header and
//! rows are one text block in printed-line order: read with [`super::interleaved`], each cell
//! placed only where every reading of the lines agrees, each other cell left empty and flagged
//! with its candidates.
//!
//! Not here: grids whose header shows that some columns are elsewhere (another text block), or
//! whose rows are broken by a blank line (pdftotext ends a block there): those stay unread, as
//! the caller says.

use super::interleaved::{self, Agreed, Rule};
use super::scattered::is_month;
use super::{uncertain, Ctx, Kind};
use crate::records::{Flag, Indicator};
use crate::values;
use crate::vocab::Column;
use tablift_model::Origin;

/// Most header lines looked at before the grid's first row.
const MAX_HEADER_LINES: usize = 16;

/// The grid's rows and the flags of the cells not placed, or `None` when the grid is not in
/// the layout this reads. `g` is the grid's first row (its 一级 line), `end` the block's end.
pub(super) fn read(ctx: &Ctx<'_, '_>, g: usize, end: usize) -> Option<(Vec<Indicator>, Vec<Flag>)> {
    let columns = header(ctx, g)?;
    let rules: Vec<Rule> = columns
        .iter()
        .map(|c| match c {
            Column::Level1 => Rule::Level1,
            Column::Level2 => Rule::Level2,
            _ => Rule::Free,
        })
        .collect();
    let body = body(ctx, g, end)?;
    // A last line of a few digits may be the page number or a cell's last line: read both ways
    // and keep what both agree on.
    let mut variants = vec![body.clone()];
    if let Some((&last, rest)) = body.split_last() {
        let t = ctx.text(last);
        if (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
            variants.push(rest.to_vec());
        }
    }
    let mut merged: Option<Merged> = None;
    for v in &variants {
        let texts: Vec<&str> = v.iter().map(|&i| ctx.text(i)).collect();
        let Ok(a) = interleaved::readings(&texts, &rules, false) else {
            continue;
        };
        let m = Merged::of(&a, v);
        merged = match merged {
            None => Some(m),
            Some(prev) => Some(prev.with(m)?),
        };
    }
    let m = merged?;
    Some(build(ctx, &columns, &m))
}

/// The grid's columns, from the header lines just before its first row.
fn header(ctx: &Ctx<'_, '_>, g: usize) -> Option<Vec<Column>> {
    let from = (g.saturating_sub(MAX_HEADER_LINES)..g)
        .rev()
        .find(|&i| ctx.kind(i) == Kind::Column(Column::Level1))?;
    let lines: Vec<&str> = (from..g)
        .filter(|&i| ctx.kind(i) != Kind::Empty)
        .map(|i| ctx.text(i))
        .collect();
    let columns = interleaved::header(&lines)?;
    let known = [
        Column::Level1,
        Column::Level2,
        Column::Level3,
        Column::Description,
        Column::Value,
        Column::Basis,
    ];
    let mut seen = Vec::new();
    for c in &columns {
        if !known.contains(c) || seen.contains(c) {
            return None;
        }
        seen.push(*c);
    }
    matches!(columns.as_slice(), [Column::Level1, Column::Level2, ..]).then_some(columns)
}

/// The grid's lines: `g..end` without the trailing empty lines and furniture; `None` when an
/// empty line or a checkpoint label breaks them (another text block).
fn body(ctx: &Ctx<'_, '_>, g: usize, end: usize) -> Option<Vec<usize>> {
    let last = (g..end)
        .rev()
        .find(|&i| !matches!(ctx.kind(i), Kind::Empty | Kind::Furniture))?;
    let lines: Vec<usize> = (g..=last)
        .filter(|&i| ctx.kind(i) != Kind::Furniture)
        .collect();
    let broken = lines
        .iter()
        .any(|&i| ctx.kind(i) == Kind::Empty || is_month(ctx.text(i)));
    (!broken && lines.len() <= interleaved::MAX_LINES).then_some(lines)
}

/// What readings agree on, by the block's cell indexes (so that readings of different line
/// sets compare).
struct Merged {
    rows: Vec<Vec<Option<Vec<usize>>>>,
    candidates: Vec<Vec<Vec<String>>>,
    more: Vec<Vec<bool>>,
    readings: u64,
}

impl Merged {
    fn of(a: &Agreed, cells: &[usize]) -> Merged {
        let map = |c: &Vec<usize>| c.iter().filter_map(|&k| cells.get(k).copied()).collect();
        Merged {
            rows: a
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.as_ref().map(map)).collect())
                .collect(),
            candidates: a.candidates.clone(),
            more: a.more.clone(),
            readings: a.readings,
        }
    }

    /// Agreement with another set of readings: `None` when the rows differ in number.
    fn with(mut self, other: Merged) -> Option<Merged> {
        if self.rows.len() != other.rows.len() {
            return None;
        }
        for (r, (mine, theirs)) in self.rows.iter_mut().zip(&other.rows).enumerate() {
            for (c, (m, t)) in mine.iter_mut().zip(theirs).enumerate() {
                if m != t {
                    *m = None;
                    let extra = other
                        .candidates
                        .get(r)
                        .and_then(|row| row.get(c))
                        .cloned()
                        .unwrap_or_default();
                    if let Some(cs) = self.candidates.get_mut(r).and_then(|row| row.get_mut(c)) {
                        for e in extra {
                            if !cs.contains(&e) {
                                cs.push(e);
                            }
                        }
                    }
                    let theirs = other.more.get(r).and_then(|row| row.get(c)) == Some(&true);
                    if let Some(m) = self.more.get_mut(r).and_then(|row| row.get_mut(c)) {
                        *m |= theirs;
                    }
                }
            }
        }
        self.readings += other.readings;
        Some(self)
    }
}

fn field_name(c: Column) -> &'static str {
    match c {
        Column::Level1 => "level1",
        Column::Level2 => "level2",
        Column::Level3 => "level3",
        Column::Description => "description",
        Column::Value => "value",
        _ => "basis",
    }
}

fn build(ctx: &Ctx<'_, '_>, columns: &[Column], m: &Merged) -> (Vec<Indicator>, Vec<Flag>) {
    let mut rows = Vec::new();
    let mut flags = Vec::new();
    for (r, cells) in m.rows.iter().enumerate() {
        let first = |c: &Option<Vec<usize>>| c.as_ref().and_then(|c| c.first().copied());
        let row_origin = cells
            .first()
            .and_then(first)
            .map_or(Origin::Unknown, |i| ctx.origin(i));
        let mut ind = Indicator {
            row: u32::try_from(r + 1).unwrap_or(u32::MAX),
            origin: row_origin.clone(),
            ..Indicator::default()
        };
        for (c, (cell, column)) in cells.iter().zip(columns).enumerate() {
            let Some(lines) = cell else {
                let cands = m
                    .candidates
                    .get(r)
                    .and_then(|row| row.get(c))
                    .map_or(String::new(), |cs| cs.join(" | "));
                let more = m.more.get(r).and_then(|row| row.get(c)) == Some(&true);
                flags.push(uncertain(
                    &format!("indicators[{r}].{}", field_name(*column)),
                    &cands,
                    format!(
                        "the grid's lines (PDF text reading order, cells interleaved line by line) can be read {} ways, which give this cell differently: not placed (its candidates, |-separated, are the raw value{})",
                        m.readings,
                        if more { "; more than these: the list is not complete" } else { "" }
                    ),
                    row_origin.clone(),
                ));
                continue;
            };
            let text = interleaved::join(lines.iter().map(|&i| ctx.text(i)));
            let at = lines.first().map_or(row_origin.clone(), |&i| ctx.origin(i));
            match column {
                Column::Level1 => ind.level1 = text,
                Column::Level2 => ind.level2 = text,
                Column::Level3 => ind.level3 = text,
                Column::Description => ind.description = text,
                Column::Value => {
                    ind.value = values::parse_indicator_value(&text);
                    ind.value.origin = at;
                }
                _ => ind.basis = text,
            }
        }
        rows.push(ind);
    }
    (rows, flags)
}
