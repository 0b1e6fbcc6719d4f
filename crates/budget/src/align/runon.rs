//! Cells run together on one line (web page text): `产出指标数量指标覆盖率100%` is three
//! cells with nothing between them.
//!
//! A line is split where the form says a cell must end: at the closed 一级/二级 vocabularies
//! at its start, at the info labels (`项目名称…项目执行单位…`), and at value patterns (an
//! operator, a number and a unit: `≥90%`, `30.00`, `2023年12月31日`). Two shapes are read:
//!
//! - an info block (labels and values run together) above a grid header line
//!   (`绩效指标一级指标二级指标指标内容指标值`), then one line per indicator row;
//! - a long table: a header line with project columns (`单位代码单位(专项)名称资金总额…`)
//!   then rows of `code name amount` (a unit's subtotal row, then its project) and indicator
//!   rows.
//!
//! Where a split is not certain (a qualitative value run into its indicator, a compound unit
//! `17元/人.每天`, a score `得10分` where a value should be) the cells are left empty and
//! flagged `alignment_uncertain` with the candidates, never guessed.

use super::{level1_of, level2_of, not_aligned, uncertain, Aligned};
use crate::extract::set_amount;
use crate::fold::fold_label;
use crate::records::{Flag, FlagCode, Indicator, Project};
use crate::values;
use crate::vocab::{self, Column, Field};
use crate::ws::TrimWs;
use tablift_model::{Block, Document, Origin};

/// A non-empty line of the text, trimmed.
#[derive(Debug, Clone)]
struct Line<'d> {
    text: &'d str,
    origin: Origin,
    block: usize,
}

/// A label found in a run-together line, and what it names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    /// An info field.
    Field(Field),
    /// A grid column.
    Column(Column),
    /// A known label without a field: its value goes to `extra` under the label.
    Extra,
    /// A heading of the form with no value of its own (`资金情况`, `绩效指标`, `总体目标`).
    Heading,
}

/// Labels the shared vocabulary does not hold (forms of web pages), folded.
const LOCAL: &[(&str, Label)] = &[
    ("项目主管部门", Label::Field(Field::Department)),
    ("部门", Label::Field(Field::Department)),
    ("单位代码", Label::Extra),
    ("单位(专项)名称", Label::Extra),
    ("指标值内容", Label::Extra),
    ("评(扣分标准)", Label::Extra),
    ("评分标准", Label::Extra),
    ("指标值类型", Label::Extra),
    ("备注", Label::Extra),
    ("资金情况", Label::Heading),
    ("绩效指标", Label::Heading),
];

/// Longest label looked for, in chars.
const MAX_LABEL_CHARS: usize = 10;

/// Shortest label looked for inside a value (a two-char label such as `单位` or `部门` is a
/// label only at the start of a line: inside a name it is part of the name).
const MIN_INNER_LABEL_CHARS: usize = 4;

/// The label `folded` names, from the local list or the shared vocabulary.
fn label_of(folded: &str) -> Option<Label> {
    if let Some((_, l)) = LOCAL.iter().find(|(k, _)| *k == folded) {
        return Some(*l);
    }
    let (field, column) = vocab::field_and_column(folded);
    match (field, column) {
        (Some(f), _) => Some(Label::Field(f)),
        (None, Some(c)) => Some(Label::Column(c)),
        (None, None) => None,
    }
}

/// The longest label starting at byte `at` of `t`, of at least `min` chars: its label and its
/// end.
fn label_at(t: &str, at: usize, min: usize) -> Option<(Label, usize)> {
    let rest = t.get(at..)?;
    let ends: Vec<usize> = rest
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take(MAX_LABEL_CHARS)
        .collect();
    for (n, &e) in ends.iter().enumerate().rev() {
        if n + 1 < min {
            break;
        }
        let cand = rest.get(..e)?;
        if let Some(l) = label_of(&fold_label(cand)) {
            return Some((l, at + e));
        }
    }
    None
}

/// A piece of a run-together line: a label (with its text) or the text between labels.
#[derive(Debug, Clone, PartialEq)]
enum Piece<'t> {
    Label(Label, &'t str),
    Text(&'t str),
}

/// Skip separators after a label or `其中` (`:`, `：`, spaces).
fn skip_sep(t: &str, mut at: usize) -> usize {
    while let Some(c) = t.get(at..).and_then(|r| r.chars().next()) {
        if c.is_whitespace() || matches!(c, ':' | '：') {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at
}

/// Split a line into labels and the texts between them.
fn pieces(t: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut at = skip_sep(t, 0);
    if let Some(r) = t.get(at..).and_then(|r| r.strip_prefix("其中")) {
        at = skip_sep(t, t.len() - r.len());
    }
    let mut text_from = at;
    let mut after_label = true;
    while at < t.len() {
        let min = if after_label {
            2
        } else {
            MIN_INNER_LABEL_CHARS
        };
        if let Some((l, end)) = label_at(t, at, min) {
            if let Some(x) = t.get(text_from..at).map(TrimWs::trim_ws) {
                if !x.is_empty() {
                    out.push(Piece::Text(x));
                }
            }
            out.push(Piece::Label(l, t.get(at..end).unwrap_or("")));
            at = skip_sep(t, end);
            text_from = at;
            after_label = true;
            continue;
        }
        after_label = false;
        at += t
            .get(at..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8);
    }
    if let Some(x) = t.get(text_from..).map(TrimWs::trim_ws) {
        if !x.is_empty() {
            out.push(Piece::Text(x));
        }
    }
    out
}

/// The labels of a line made of labels only (a header), or `None`.
fn header(t: &str) -> Option<Vec<(Label, &str)>> {
    let ps = pieces(t);
    let mut out = Vec::with_capacity(ps.len());
    for p in ps {
        match p {
            Piece::Label(l, s) => out.push((l, s)),
            Piece::Text(_) => return None,
        }
    }
    (out.len() >= 2).then_some(out)
}

/// A run-together grid header: its labels with nothing between them. Wide gaps between the
/// labels (`一级指标     二级指标`) are column layout (`pdftotext -layout`), not this.
fn grid_header(t: &str) -> Option<Vec<(Label, &str)>> {
    if !(t.contains("一级指标") && t.contains("二级指标")) || t.contains("  ") {
        return None;
    }
    header(t).filter(|h| is_grid_header(h))
}

/// Whether a header holds the grid's 一级 and 二级 columns.
fn is_grid_header(h: &[(Label, &str)]) -> bool {
    let has = |c: Column| h.iter().any(|(l, _)| *l == Label::Column(c));
    has(Column::Level1) && has(Column::Level2)
}

/// The grid header line, when the text has one written run together (two or more of its
/// column labels on one line).
pub fn has_runon_grid(doc: &Document) -> bool {
    doc.blocks.iter().any(|b| match b {
        Block::Paragraph(p) => grid_header(p.text.trim_ws()).is_some(),
        Block::Table(_) => false,
    })
}

fn lines(doc: &Document) -> Vec<Line<'_>> {
    doc.blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Paragraph(p) => {
                let t = p.text.trim_ws();
                (!t.is_empty()).then(|| Line {
                    text: t,
                    origin: p.origin.clone(),
                    block: i,
                })
            }
            Block::Table(_) => None,
        })
        .collect()
}

/// A grid column after 一级/二级, with the header text it was read from.
#[derive(Debug, Clone)]
struct Col {
    label: Label,
    header: String,
}

/// Align run-together text. `None` when it has no run-together grid header.
pub fn align(doc: &Document) -> Option<Aligned> {
    let lines = lines(doc);
    let h = lines.iter().position(|l| grid_header(l.text).is_some())?;
    let grid = grid_header(lines.get(h)?.text)?;
    // A long table's project columns sit on the line above the grid's own (`单位代码…绩效指标`).
    let above = h
        .checked_sub(1)
        .and_then(|a| lines.get(a))
        .and_then(|l| header(l.text))
        .filter(|hd| {
            hd.iter()
                .any(|(l, _)| matches!(l, Label::Field(Field::BudgetTotal)))
        });
    let cols: Vec<Col> = grid
        .iter()
        .skip_while(|(l, _)| !matches!(l, Label::Column(Column::Level1)))
        .skip(2)
        .map(|(l, s)| Col {
            label: *l,
            header: s.to_string(),
        })
        .collect();
    let mut out = Aligned::default();
    let title_at = lines
        .get(..h)
        .unwrap_or(&[])
        .iter()
        .rposition(|l| super::is_title(l.text));
    let title = title_at
        .and_then(|i| lines.get(i))
        .map(|l| l.text.to_string());
    if above.is_some() {
        long_table(&lines, h, title_at, title, &cols, &mut out);
    } else {
        info_block(&lines, h, title_at, title, &cols, &mut out);
    }
    Some(out)
}

/// The info-block shape: labels and values above the grid header, one project.
fn info_block(
    lines: &[Line<'_>],
    h: usize,
    title_at: Option<usize>,
    title: Option<String>,
    cols: &[Col],
    out: &mut Aligned,
) {
    let start = title_at.map_or(0, |t| t + 1);
    let mut p = Project {
        title: title.unwrap_or_default(),
        ..Project::default()
    };
    let mut flags = Vec::new();
    let info = lines.get(start..h).unwrap_or(&[]);
    // The project starts at its title, as in the table route.
    let first = title_at.map_or(start, |t| t);
    p.origin = lines
        .get(first)
        .map(|l| l.origin.clone())
        .unwrap_or_default();
    read_info(info, &mut p, &mut flags, &mut out.unit);
    let rows = lines.get(h + 1..).unwrap_or(&[]);
    let used = read_rows(rows, cols, &mut p, &mut flags);
    finish(lines, first, h + used, p, flags, out);
}

/// Number the project, flag it as aligned and keep it with the blocks it used.
fn finish(
    lines: &[Line<'_>],
    from: usize,
    to: usize,
    mut p: Project,
    mut flags: Vec<Flag>,
    out: &mut Aligned,
) {
    if p.code.is_none() && p.name.is_none() && p.indicators.is_empty() {
        return;
    }
    p.seq = u32::try_from(out.projects.len() + 1).unwrap_or(u32::MAX);
    let span = lines
        .get(from..=to.min(lines.len().saturating_sub(1)))
        .unwrap_or(&[]);
    let first = span.first().map(|l| l.origin.clone()).unwrap_or_default();
    let (a, b) = (
        span.first().and_then(|l| l.origin.line()),
        span.last().and_then(|l| l.origin.line()),
    );
    flags.insert(
        0,
        Flag {
            field: "project".into(),
            message: format!(
                "project read from web text with its cells run together: cells were split at the form's labels, levels and value patterns (lines {}–{})",
                a.unwrap_or(0),
                b.unwrap_or(0)
            ),
            origin: first,
            ..Flag::new(FlagCode::AlignedFromText)
        },
    );
    for f in &mut flags {
        f.project_seq = Some(p.seq);
        f.project_code = p.code.clone();
    }
    out.used_blocks.extend(span.iter().map(|l| l.block));
    out.projects.push(p);
    out.flags.push(flags);
}

/// Read the info lines: each label takes the text after it on its line; a line of labels only
/// (`总体目标年度目标`) hands its last value label the next line without labels.
fn read_info(
    info: &[Line<'_>],
    p: &mut Project,
    flags: &mut Vec<Flag>,
    unit_seen: &mut Option<String>,
) {
    let mut waiting: Option<Label> = None;
    let mut waiting_key = String::new();
    for l in info {
        let ps = pieces(l.text);
        if let [Piece::Text(t)] = ps.as_slice() {
            if let Some(u) = paren_unit(t) {
                p.unit = Some(u.to_string());
                unit_seen.get_or_insert_with(|| u.to_string());
                continue;
            }
            if let Some(w) = waiting.take() {
                place(p, w, &waiting_key, t, l.origin.clone(), flags, unit_seen);
                continue;
            }
            if values::year_in(t, false).is_some() && t.chars().count() <= 12 {
                // `(2020年度)` under the title.
                continue;
            }
            flags.push(not_aligned(
                "extra",
                t,
                "a line of the info block that no label of the form takes (not placed)".into(),
                l.origin.clone(),
            ));
            continue;
        }
        let mut i = 0;
        while let Some(pc) = ps.get(i) {
            match (pc, ps.get(i + 1)) {
                (Piece::Label(lb, key), Some(Piece::Text(t))) => {
                    place(p, *lb, key, t, l.origin.clone(), flags, unit_seen);
                    i += 2;
                }
                (Piece::Label(lb, key), _) => {
                    if *lb != Label::Heading {
                        waiting = Some(*lb);
                        waiting_key = key.to_string();
                    }
                    i += 1;
                }
                (Piece::Text(t), _) => {
                    flags.push(not_aligned(
                        "extra",
                        t,
                        "text before any label on an info line (not placed)".into(),
                        l.origin.clone(),
                    ));
                    i += 1;
                }
            }
        }
    }
}

/// `(万元)` on a line of its own: the unit of the group label above it.
fn paren_unit(t: &str) -> Option<&'static str> {
    let f = fold_label(t);
    let inner = f.strip_prefix('(').and_then(|r| r.strip_suffix(')'))?;
    values::money_unit(inner)
}

/// Put a label's text into its field.
fn place(
    p: &mut Project,
    l: Label,
    key: &str,
    t: &str,
    origin: Origin,
    flags: &mut Vec<Flag>,
    unit_seen: &mut Option<String>,
) {
    match l {
        Label::Field(f @ (Field::BudgetTotal | Field::BudgetFiscal | Field::BudgetOther)) => {
            if values::parse_amount(t).is_none() {
                flags.push(not_aligned(
                    f.name(),
                    t,
                    "an amount label followed by text that is not an amount: not placed".into(),
                    origin,
                ));
                return;
            }
            let a = match f {
                Field::BudgetTotal => &mut p.budget_total,
                Field::BudgetFiscal => &mut p.budget_fiscal,
                _ => &mut p.budget_other,
            };
            set_amount(a, t, origin);
        }
        Label::Field(f) => super::apply(p, f, t, origin, unit_seen),
        Label::Extra | Label::Column(_) => {
            p.extra.insert(key.to_string(), t.to_string());
        }
        Label::Heading => {}
    }
}

/// The long-table shape: `code name amount` rows start projects; a row followed by another
/// with the same code is the unit's subtotal, not a project.
fn long_table(
    lines: &[Line<'_>],
    h: usize,
    title_at: Option<usize>,
    title: Option<String>,
    cols: &[Col],
    out: &mut Aligned,
) {
    // The department and unit stated above the table (`部门:505_…金额单位:万元`).
    let mut head = Project::default();
    let mut scratch = Vec::new();
    let from = title_at.map_or(0, |t| t + 1);
    let pre = lines.get(from..h.saturating_sub(1)).unwrap_or(&[]);
    read_info(pre, &mut head, &mut scratch, &mut out.unit);
    // The title, the department line and the header lines were read: not narrative.
    let head_from = title_at.unwrap_or(h.saturating_sub(1));
    out.used_blocks.extend(
        lines
            .get(head_from..=h)
            .unwrap_or(&[])
            .iter()
            .map(|l| l.block),
    );
    let mut i = h + 1;
    while let Some(l) = lines.get(i) {
        let Some((code, name, amount)) = code_row(l.text) else {
            i += 1;
            continue;
        };
        let next_code = lines.get(i + 1).and_then(|n| code_row(n.text));
        if next_code.as_ref().is_some_and(|(c, _, _)| *c == code) {
            // A unit's subtotal row: its name is the unit of the project below.
            head.extra.insert("单位(专项)名称".into(), name.to_string());
            out.used_blocks.insert(l.block);
            i += 1;
            continue;
        }
        let mut p = Project {
            title: title.clone().unwrap_or_default(),
            name: Some(name.to_string()),
            department_code: head.department_code.clone(),
            department_name: head.department_name.clone(),
            department_raw: head.department_raw.clone(),
            unit: head.unit.clone(),
            origin: l.origin.clone(),
            extra: head.extra.clone(),
            ..Project::default()
        };
        p.extra.insert("单位代码".into(), code.to_string());
        set_amount(&mut p.budget_total, amount, l.origin.clone());
        let mut flags = Vec::new();
        let rows = lines.get(i + 1..).unwrap_or(&[]);
        let used = read_rows(rows, cols, &mut p, &mut flags);
        finish(lines, i, i + used, p, flags, out);
        i += used + 1;
    }
}

/// A `505006  学生伙食费30.00` row: a unit code, a name, an amount at the end.
fn code_row(t: &str) -> Option<(&str, &str, &str)> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if !(3..=12).contains(&digits) {
        return None;
    }
    let code = t.get(..digits)?;
    let rest = t.get(digits..)?.trim_ws();
    let num_at = trailing_number(rest)?;
    let name = rest.get(..num_at)?.trim_ws();
    let amount = rest.get(num_at..)?;
    (name.chars().any(values::is_cjk) && values::parse_amount(amount).is_some())
        .then_some((code, name, amount))
}

/// Where a number at the end of `t` starts (`30.00`, `1,200.50`).
fn trailing_number(t: &str) -> Option<usize> {
    let start = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | ','))
        .last()
        .map(|(i, _)| i)?;
    t.get(start..)?
        .starts_with(|c: char| c.is_ascii_digit())
        .then_some(start)
}

/// Read indicator rows from the lines after the grid header; returns how many lines were
/// used. A line starting with a level starts a row; a line without one continues a row that
/// has no cells yet (`生态环境成本指标` then `-定性`) or starts a row under the levels above.
fn read_rows(rows: &[Line<'_>], cols: &[Col], p: &mut Project, flags: &mut Vec<Flag>) -> usize {
    let (mut l1, mut l2) = (String::new(), String::new());
    let mut pending: Option<(String, String, String, Origin)> = None;
    let mut used = 0;
    for (n, l) in rows.iter().enumerate() {
        if code_row(l.text).is_some() || is_note(l.text) {
            break;
        }
        let (a, b, rest) = strip_levels(l.text);
        let has_level = a.is_some() || b.is_some();
        if !has_level {
            if let Some(pe) = pending.as_mut().filter(|pe| pe.2.is_empty()) {
                pe.2 = rest.to_string();
                used = n + 1;
                continue;
            }
            if l1.is_empty() && l2.is_empty() {
                // Text before the first row: not part of the grid.
                break;
            }
        }
        if let Some((x, y, r, o)) = pending.take() {
            push_row(p, flags, cols, &x, &y, &r, o);
        }
        if let Some(a) = a {
            l1 = a.to_string();
            l2.clear();
        }
        if let Some(b) = b {
            l2 = b.to_string();
        }
        pending = Some((l1.clone(), l2.clone(), rest.to_string(), l.origin.clone()));
        used = n + 1;
    }
    if let Some((x, y, r, o)) = pending.take() {
        push_row(p, flags, cols, &x, &y, &r, o);
    }
    used
}

/// A footnote or the closing notes under the grid.
fn is_note(t: &str) -> bool {
    t.starts_with("注:") || t.starts_with("注：") || t == "说明" || t.starts_with("备注:")
}

/// The 一级 and 二级 at the start of a row, and the rest. `成本指标` is a 一级 only when a 二级
/// follows it.
fn strip_levels(t: &str) -> (Option<&str>, Option<&str>, &str) {
    let (first, rest) = match level1_of(t) {
        Some(a) => (Some(a), t.get(a.len()..).unwrap_or("")),
        None => (None, t),
    };
    let second = level2_of(rest);
    match (first, second) {
        (Some(a), Some(b)) => (
            Some(a),
            Some(b),
            rest.get(b.len()..).unwrap_or("").trim_ws(),
        ),
        (Some(a), None) if fold_label(a) == "成本指标" => (None, Some(a), rest.trim_ws()),
        (Some(a), None) => (Some(a), None, rest.trim_ws()),
        (None, Some(b)) => (None, Some(b), rest.get(b.len()..).unwrap_or("").trim_ws()),
        (None, None) => (None, None, t.trim_ws()),
    }
}

/// Split a row's run-together cells into the grid's columns and add the row.
fn push_row(
    p: &mut Project,
    flags: &mut Vec<Flag>,
    cols: &[Col],
    l1: &str,
    l2: &str,
    rest: &str,
    origin: Origin,
) {
    let mut ind = Indicator {
        row: u32::try_from(p.indicators.len() + 1).unwrap_or(u32::MAX),
        level1: l1.to_string(),
        level2: l2.to_string(),
        origin: origin.clone(),
        ..Indicator::default()
    };
    let field = format!("indicators[{}]", p.indicators.len());
    let mut value = String::new();
    if !rest.is_empty() {
        value = split_cells(&mut ind, cols, rest, &field, &origin, flags);
    }
    ind.value = values::parse_indicator_value(&value);
    ind.value.origin = if value.is_empty() {
        Origin::Unknown
    } else {
        origin
    };
    p.indicators.push(ind);
}

/// Place the cells of `rest` (what follows the levels); returns the value text.
fn split_cells(
    ind: &mut Indicator,
    cols: &[Col],
    rest: &str,
    field: &str,
    origin: &Origin,
    flags: &mut Vec<Flag>,
) -> String {
    let (body, tail) = peel_tail(rest, cols);
    for (k, v) in tail {
        ind.extra.insert(k, v);
    }
    let name_col = cols.first().map(|c| c.label);
    let value_second = cols.get(1).map(|c| c.label) == Some(Label::Column(Column::Value));
    let name_is = |ind: &mut Indicator, t: &str| match name_col {
        Some(Label::Column(Column::Description)) => ind.description = t.to_string(),
        _ => ind.level3 = t.to_string(),
    };
    if !value_second || body.is_empty() {
        if !body.is_empty() {
            flags.push(not_aligned(
                field,
                body,
                "run-together cells of a grid whose columns are not 三级/指标值: not placed".into(),
                origin.clone(),
            ));
        }
        return String::new();
    }
    // Only 三级 and 指标值 left (plus peeled columns): the value ends the text.
    let only_two = cols.iter().skip(2).all(|c| is_peelable(&c.header));
    match find_value(body, only_two) {
        Found::At(a, b) => {
            let name = body.get(..a).unwrap_or("").trim_ws();
            let value = body.get(a..b).unwrap_or("").trim_ws();
            let after = body.get(b..).unwrap_or("").trim_ws();
            name_is(ind, name);
            if !after.is_empty() {
                flags.push(not_aligned(
                    &format!("{field}.extra"),
                    after,
                    "the cells after the value, run together (content, scoring rule): not split, not placed".into(),
                    origin.clone(),
                ));
            }
            value.to_string()
        }
        Found::UnitUncertain(a, cand) => {
            // The indicator before the number is certain; the value's end is not.
            name_is(ind, body.get(..a).unwrap_or("").trim_ws());
            flags.push(uncertain(
                &format!("{field}.value"),
                body.get(a..).unwrap_or(""),
                format!(
                    "a value whose unit runs into the next cells (`{cand}`): where the value ends is not certain; left empty"
                ),
                origin.clone(),
            ));
            String::new()
        }
        Found::Uncertain(cands) => {
            flags.push(uncertain(
                field,
                body,
                format!(
                    "the indicator and its value run together with no certain boundary (candidates: {}): both left empty",
                    cands.join(" / ")
                ),
                origin.clone(),
            ));
            String::new()
        }
    }
}

/// Columns at the right end recognisable by their closed values (指标值类型 `定量`/`定性`, a
/// `-` for an empty 度量单位, an empty 备注).
fn is_peelable(header: &str) -> bool {
    matches!(
        fold_label(header).as_ref(),
        "指标值类型" | "度量单位" | "计量单位" | "备注"
    )
}

/// Peel the closed-value columns off the right end: (what is left, peeled columns).
fn peel_tail<'t>(rest: &'t str, cols: &[Col]) -> (&'t str, Vec<(String, String)>) {
    let mut body = rest;
    let mut out = Vec::new();
    let header = |name: &str| cols.iter().find(|c| fold_label(&c.header) == name);
    if let Some(c) = header("指标值类型") {
        for kind in ["定量", "定性"] {
            if let Some(b) = body.strip_suffix(kind) {
                out.push((c.header.clone(), kind.to_string()));
                body = b;
                break;
            }
        }
        // `-` for an empty 度量单位, only right before the type.
        if !out.is_empty() {
            if let (Some(u), Some(b)) = (header("度量单位"), body.strip_suffix('-')) {
                out.push((u.header.clone(), "-".to_string()));
                body = b;
            }
        }
    }
    (body.trim_ws(), out)
}

/// Where a value is in run-together text.
#[derive(Debug, PartialEq)]
enum Found {
    /// The value's byte range.
    At(usize, usize),
    /// No certain boundary: the candidate values.
    Uncertain(Vec<String>),
    /// The value starts at this byte but its unit runs on (`17元/人.每天…`): where it ends is
    /// not certain.
    UnitUncertain(usize, String),
}

/// Operators a value may start with, longest first.
const OPS: &[&str] = &[
    "大于等于",
    "小于等于",
    "不低于",
    "不高于",
    "不少于",
    "不超过",
    "大于",
    "小于",
    "高于",
    "低于",
    "≥",
    "≤",
    ">=",
    "<=",
    ">",
    "<",
    "=",
    "＞",
    "＜",
    "≧",
    "≦",
    "＝",
];

/// Units after a value's number, longest first (the shared list plus forms' own).
const UNITS: &[&str] = &[
    "平方米",
    "立方米",
    "万元",
    "亿元",
    "公里",
    "千米",
    "人次",
    "小时",
    "%",
    "％",
    "元",
    "人",
    "个",
    "所",
    "米",
    "亩",
    "天",
    "次",
    "台",
    "套",
    "份",
    "家",
    "户",
    "座",
    "项",
    "件",
    "本",
    "年",
    "月",
    "日",
    "分钟",
];

/// The value in run-together text: an operator, a number, a unit or a date, `以上`/`以下`.
/// With `at_end`, the value must end the text (the grid has no column after it). A number
/// that is a score (`得10分`, `扣1分`) is never a value; a unit continuing (`17元/人.每天`)
/// makes the boundary uncertain.
fn find_value(t: &str, at_end: bool) -> Found {
    let mut cands: Vec<String> = Vec::new();
    for (i, _) in t.char_indices() {
        let Some((end, compound)) = value_from(t, i) else {
            continue;
        };
        if i == 0 {
            continue;
        }
        let v = t.get(i..end).unwrap_or("").to_string();
        if compound {
            return Found::UnitUncertain(i, format!("{v}…"));
        }
        if !at_end || end == t.len() {
            return Found::At(i, end);
        }
    }
    cands.extend(qualitative_candidates(t));
    Found::Uncertain(cands)
}

/// A value starting at byte `i`: its end, and whether its unit continues past it.
fn value_from(t: &str, i: usize) -> Option<(usize, bool)> {
    let s = t.get(i..)?;
    let before = t.get(..i)?.chars().next_back();
    // Inside a number, or right after a score word: not a value's start.
    if before
        .is_some_and(|c| c.is_ascii_digit() || c == '.' || matches!(c, '得' | '扣' | '每' | '少'))
        || OPS
            .iter()
            .any(|o| t.get(..i).is_some_and(|b| b.ends_with(o)))
    {
        return None;
    }
    let op_len = OPS
        .iter()
        .find(|o| s.starts_with(*o))
        .map_or(0, |o| o.len());
    let after_op = s.get(op_len..)?;
    let (_, rest) = values::leading_number(after_op)?;
    if rest.starts_with('分') {
        return None;
    }
    let mut end = t.len() - rest.len();
    let date = date_tail(rest);
    if date > 0 {
        end += date;
    } else if let Some(u) = UNITS.iter().find(|u| rest.starts_with(*u)) {
        end += u.len();
    }
    let after = t.get(end..).unwrap_or("");
    for q in ["以上", "以下"] {
        if after.starts_with(q) {
            end += q.len();
        }
    }
    let after = t.get(end..).unwrap_or("");
    Some((end, after.starts_with(['/', '.', '／'])))
}

/// `年12月31日` after a year: the date's remaining bytes (0 when not a date).
fn date_tail(rest: &str) -> usize {
    let Some(r) = rest.strip_prefix('年') else {
        return 0;
    };
    let mut at = rest.len() - r.len();
    for unit in ['月', '日'] {
        let s = rest.get(at..).unwrap_or("");
        let d = s.bytes().take_while(u8::is_ascii_digit).count();
        match s.get(d..).and_then(|x| x.strip_prefix(unit)) {
            Some(x) if d > 0 => at = rest.len() - x.len(),
            _ => break,
        }
    }
    at
}

/// Qualitative values a text may end with (`稳步提高`, `提高`): every ending that is a known
/// qualitative word, longest first. More than one, or any at all, is never decided here: a
/// qualitative value run into its indicator has no boundary the form fixes.
fn qualitative_candidates(t: &str) -> Vec<String> {
    const WORDS: &[&str] = &[
        "稳步提高",
        "逐步提高",
        "有所提高",
        "有所提升",
        "有所减轻",
        "明显改善",
        "显著提升",
        "提高",
        "提升",
        "改善",
        "减少",
        "减轻",
        "良好",
        "及时",
        "可控",
        "健全",
        "达标",
        "合格",
    ];
    WORDS
        .iter()
        .filter(|w| t.ends_with(*w) && t.len() > w.len())
        .map(|w| (*w).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_a_run_together_info_line() {
        let ps = pieces("项目主管部门青山区教育局项目执行单位化工区学校");
        assert_eq!(
            ps,
            [
                Piece::Label(Label::Field(Field::Department), "项目主管部门"),
                Piece::Text("青山区教育局"),
                Piece::Label(Label::Field(Field::Kept("项目执行单位")), "项目执行单位"),
                Piece::Text("化工区学校"),
            ]
        );
        let ps = pieces("    其中 :上级资金16");
        assert_eq!(
            ps,
            [
                Piece::Label(Label::Field(Field::SuperiorFunds), "上级资金"),
                Piece::Text("16")
            ]
        );
    }

    #[test]
    fn grid_headers_tokenise() {
        let h = header("绩效指标一级指标二级指标指标内容指标值").unwrap_or_default();
        assert_eq!(h.len(), 5);
        assert!(is_grid_header(&h));
        let h =
            header("一级指标二级指标三级指标指标值指标值内容评(扣分标准) 度量单位指标值类型备注")
                .unwrap_or_default();
        assert_eq!(h.len(), 9, "{h:?}");
    }

    #[test]
    fn values_in_run_together_text() {
        let at = |t: &str, end: bool| match find_value(t, end) {
            Found::At(a, b) => Some(t.get(a..b).unwrap_or("").to_string()),
            Found::Uncertain(_) | Found::UnitUncertain(..) => None,
        };
        assert_eq!(
            at("农村义务教育学校改造覆盖率100%", true).as_deref(),
            Some("100%")
        );
        assert_eq!(at("学生家长满意度≥90%", true).as_deref(), Some("≥90%"));
        assert_eq!(
            at("任务完成时间2023年12月31日反映", false).as_deref(),
            Some("2023年12月31日")
        );
        assert_eq!(
            at("残疾学生入学率大于90%适龄", false).as_deref(),
            Some("大于90%")
        );
        assert_eq!(
            at("伙食补助发放率90%以上实际发放", false).as_deref(),
            Some("90%以上")
        );
        assert_eq!(at("残疾学生家庭负担率有所减轻情况较大得10分", false), None);
        assert_eq!(at("学生补助标准17元/人.每天反映", false), None);
        assert_eq!(
            find_value("义务教育优质均衡发展情况稳步提高", true),
            Found::Uncertain(vec!["稳步提高".into(), "提高".into()])
        );
    }

    #[test]
    fn levels_at_the_start() {
        assert_eq!(
            strip_levels("产出指标数量指标覆盖率100%"),
            (Some("产出指标"), Some("数量指标"), "覆盖率100%")
        );
        assert_eq!(
            strip_levels("成本指标建设项目成本控制率100%"),
            (None, Some("成本指标"), "建设项目成本控制率100%")
        );
        assert_eq!(
            strip_levels("成本指标经济成本指标学生补助标准"),
            (Some("成本指标"), Some("经济成本指标"), "学生补助标准")
        );
        assert_eq!(
            strip_levels("购置设施设备质量合格率100%"),
            (None, None, "购置设施设备质量合格率100%")
        );
    }
}
