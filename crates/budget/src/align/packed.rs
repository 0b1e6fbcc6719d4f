//! Packed text (PDF text of a declaration form): one label or value per line, no blank lines,
//! cells wrapped over lines (`兰溪路-真南路下立交工` / `程`, `满意度指` / `标`), a value and
//! the next label on one line (`771,325,800.00 年度资金申请总额`).
//!
//! Before the one-cell-per-line aligner reads it, the cells are rebuilt: a label or level
//! wrapped over two or three lines is joined; a value and a label on one line are split; the
//! lines after an info label up to the next label are one wrapped value; two goal labels
//! written side by side (项目总目标, 年度总体目标) followed by their texts are paired, at the
//! one line that ends a sentence (more than one such line, or none: not paired, flagged).

use super::{is_level, uncertain, Cell};
use crate::fold::fold_label;
use crate::records::Flag;
use crate::vocab::{self, Column, Field};
use tablift_model::Origin;

/// What a label of the declaration forms that the shared vocabulary does not hold names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Local {
    /// Its value goes to `extra` under the label.
    Extra,
    /// An info field.
    Field(Field),
    /// A grid column.
    Column(Column),
    /// A heading with no value (`项目绩效目标`).
    Heading,
}

/// Labels of declaration forms (folded), not in the shared vocabulary.
const LOCAL: &[(&str, Local)] = &[
    // Also in the shared vocabulary; here an `Extra`, so that the split below it (`其中：财政资金`,
    // `其他资金`) is kept under it and never taken for the year's.
    ("项目资金总额", Local::Extra),
    ("年度资金申请总额", Local::Field(Field::BudgetTotal)),
    ("年度总体目标", Local::Field(Field::Goals)),
    ("项目绩效目标", Local::Heading),
    ("项目资金", Local::Heading),
    ("年度(/项目)指标值", Local::Column(Column::Value)),
];

/// The declaration-form label `t` is, if any.
pub(super) fn local(t: &str) -> Option<Local> {
    let f = fold_label(t);
    let find = |k: &str| LOCAL.iter().find(|(x, _)| *x == k).map(|(_, l)| *l);
    // `项目资金（元）`: a heading stating the unit.
    find(&f).or_else(|| vocab::strip_paren(&f).and_then(|(l, _)| find(l)))
}

/// Longest line taken as a piece of a wrapped label (the form's narrow label columns).
const MAX_PIECE_CHARS: usize = 10;

/// Whether `t` is a label or level of the form (shared vocabulary, levels, local labels).
fn is_label(t: &str) -> bool {
    let f = fold_label(t);
    let (field, column) = vocab::field_and_column(&f);
    field.is_some() || column.is_some() || is_level(&f) || local(t).is_some()
}

/// Whether every line of the cells follows the one before it (no blank line anywhere): the
/// text is packed, and a blank line can mark neither an empty cell nor a cell's end.
pub(super) fn is_packed(cells: &[Cell<'_>]) -> bool {
    let lines: Vec<u32> = cells.iter().filter_map(|c| c.origin.line()).collect();
    cells.len() >= 8
        && lines.len() == cells.len()
        && lines
            .windows(2)
            .all(|w| matches!(w, [a, b] if *b == *a + 1))
}

/// A rebuilt cell: the texts of one or more lines, joined, and the first line's origin.
pub(super) struct Joined {
    pub text: String,
    pub origin: Origin,
    pub block: Option<usize>,
    /// The blocks of the lines joined into it after the first (read, so not narrative).
    pub more: Vec<usize>,
}

impl Joined {
    fn absorb(&mut self, other: &Joined) {
        self.text.push_str(&other.text);
        self.more.extend(other.block);
        self.more.extend(other.more.iter().copied());
    }
}

/// Rebuild the cells of packed text (see the module doc); ambiguities are flagged.
/// Flags carry the index of the rebuilt cell they are about (to find their project).
pub(super) fn rebuild(cells: &[Cell<'_>], flags: &mut Vec<(usize, Flag)>) -> Vec<Joined> {
    let split = split_value_label(cells);
    let labels = join_labels(split);
    let values = join_values(labels);
    pair_goals(values, flags)
}

fn one(text: &str, c: &Cell<'_>) -> Joined {
    Joined {
        text: text.to_string(),
        origin: c.origin.clone(),
        block: c.block,
        more: Vec::new(),
    }
}

/// `771,325,800.00 年度资金申请总额` → the value, then the label.
fn split_value_label(cells: &[Cell<'_>]) -> Vec<Joined> {
    let mut out = Vec::with_capacity(cells.len());
    for c in cells {
        let t = c.text;
        let parts = t
            .rsplit_once(char::is_whitespace)
            .map(|(a, b)| (a.trim(), b.trim()))
            .filter(|(a, b)| !a.is_empty() && is_label(b) && super::amount_like(a));
        match parts {
            Some((a, b)) => {
                out.push(one(a, c));
                out.push(one(b, c));
            }
            None => out.push(one(t, c)),
        }
    }
    out
}

/// A label or level wrapped over two or three lines (`可持续影` / `响指标`), joined; the longest
/// join wins, and a line that is a label by itself is never a piece.
fn join_labels(cells: Vec<Joined>) -> Vec<Joined> {
    let mut out: Vec<Joined> = Vec::with_capacity(cells.len());
    let mut i = 0;
    while i < cells.len() {
        let take = (2..=3).rev().find(|&k| {
            let parts = cells.get(i..i + k).unwrap_or(&[]);
            parts.len() == k
                && parts
                    .iter()
                    .all(|p| !p.text.is_empty() && p.text.chars().count() <= MAX_PIECE_CHARS)
                && parts.first().is_some_and(|p| !is_label(&p.text))
                && is_label(&parts.iter().map(|p| p.text.as_str()).collect::<String>())
        });
        let k = take.unwrap_or(1);
        let mut parts = cells.get(i..i + k).unwrap_or(&[]).iter();
        if let Some(first) = parts.next() {
            let mut j = Joined {
                text: first.text.clone(),
                origin: first.origin.clone(),
                block: first.block,
                more: first.more.clone(),
            };
            for p in parts {
                j.absorb(p);
            }
            out.push(j);
        }
        i += k;
    }
    out
}

/// After an info label, every line up to the next label is one wrapped value (joined without
/// a separator: a line break inside Chinese text is no space). The grid is left as it is: its
/// cells are one per line and the grid reader segments them.
fn join_values(cells: Vec<Joined>) -> Vec<Joined> {
    let mut out: Vec<Joined> = Vec::with_capacity(cells.len());
    let mut after_label = false;
    let mut in_grid = false;
    let mut goal_pair = false;
    for c in cells {
        let label = is_label(&c.text);
        if label {
            let f = fold_label(&c.text);
            in_grid |= vocab::column(&f).is_some() && !is_goal(&c.text);
            // Two labels in a row: the first is a header over its value (goals side by side).
            goal_pair = after_label && out.last().is_some_and(|l| is_goal(&l.text));
            after_label = !in_grid;
            out.push(c);
            continue;
        }
        let joinable =
            after_label && !goal_pair && !in_grid && out.last().is_some_and(|l| !is_label(&l.text));
        match out.last_mut() {
            Some(last) if joinable => last.absorb(&c),
            _ => out.push(c),
        }
    }
    out
}

fn is_goal(t: &str) -> bool {
    let f = fold_label(t);
    matches!(vocab::field(&f), Some(Field::Goals))
        || matches!(local(t), Some(Local::Field(Field::Goals)))
        || f == "项目总目标"
}

/// `项目总目标` `年度总体目标` then the texts of both: each label gets its text, split at the
/// one line that ends a sentence. No such line, or more than one: both left empty, flagged.
fn pair_goals(cells: Vec<Joined>, flags: &mut Vec<(usize, Flag)>) -> Vec<Joined> {
    let Some(at) = cells.windows(2).position(|w| match w {
        [a, b] => is_goal(&a.text) && is_goal(&b.text),
        _ => false,
    }) else {
        return cells;
    };
    let end = cells
        .iter()
        .skip(at + 2)
        .position(|c| is_label(&c.text))
        .map_or(cells.len(), |n| at + 2 + n);
    let texts = cells.get(at + 2..end).unwrap_or(&[]);
    let ends: Vec<usize> = texts
        .iter()
        .enumerate()
        .filter(|(n, c)| n + 1 < texts.len() && c.text.ends_with(['。', '.', '；', ';']))
        .map(|(n, _)| n)
        .collect();
    let mut out: Vec<Joined> = Vec::with_capacity(cells.len());
    let mut rest = cells.into_iter();
    out.extend(rest.by_ref().take(at));
    let (Some(a), Some(b)) = (rest.next(), rest.next()) else {
        return out;
    };
    let texts: Vec<Joined> = rest.by_ref().take(end - at - 2).collect();
    match ends.as_slice() {
        [split] => {
            out.push(a);
            out.push(glue(texts.get(..=*split).unwrap_or(&[])));
            out.push(b);
            out.push(glue(texts.get(split + 1..).unwrap_or(&[])));
        }
        _ => {
            let raw: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
            flags.push((at, uncertain(
                "goals",
                &raw.join("|"),
                format!(
                    "two goal labels ({}, {}) side by side and {} text lines, with {} sentence ends between them: which lines are whose is not certain; both left empty",
                    a.text,
                    b.text,
                    texts.len(),
                    ends.len()
                ),
                texts.first().map(|t| t.origin.clone()).unwrap_or_default(),
            )));
            out.push(a);
            out.push(b);
        }
    }
    out.extend(rest);
    out
}

/// Lines of one wrapped text, joined.
fn glue(parts: &[Joined]) -> Joined {
    let mut out = Joined {
        text: String::new(),
        origin: parts.first().map(|p| p.origin.clone()).unwrap_or_default(),
        block: parts.first().and_then(|p| p.block),
        more: Vec::new(),
    };
    for p in parts {
        out.text.push_str(&p.text);
        if out.block != p.block {
            out.more.extend(p.block);
        }
        out.more.extend(p.more.iter().copied());
    }
    out
}
