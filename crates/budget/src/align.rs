//! The aligner: projects from text without table marks (a flattened export, one cell per
//! line), by aligning the stream of paragraphs against the form.
//!
//! The form is described by the same vocabulary as the table pass ([`vocab::field`] for the
//! info labels, [`vocab::column`] for the indicator-grid headers) plus the closed vocabularies
//! of 一级/二级指标 below. A project block starts at a 项目编码/项目名称 label; the lines
//! before it (up to the previous block) give its title, department and unit. An info label's
//! value is the next line that is not a label (a label followed by a label is a header label:
//! its value is the next free value line); the spending plan is its checkpoint labels and as
//! many values; the indicator grid is cut into rows at the 一级/二级 values (a merged one
//! appears once and applies to the rows below it).
//!
//! Empty cells are empty lines in a dense export (LibreOffice "save as text": most lines
//! follow each other); they are rebuilt from the gaps between the paragraphs' line numbers.
//! Where blank lines separate every cell (web text), an empty cell leaves no trace, and a row
//! that comes out short is not guessed: its cells are left out and flagged
//! (`field_not_aligned`). Every project made here carries an `aligned_from_text` flag.
//!
//! Packed text (PDF text: no blank lines, cells wrapped over lines) is rebuilt into cells by
//! [`packed`] first. Text whose cells run together on one line (web pages) is split by [`runon`]; a
//! self-evaluation (绩效自评表) is recognised by [`selfeval`] and never aligned.
//!
//! Not here: space-aligned text (`pdftotext -layout`, cells at their columns' positions), whose
//! form blocks `columns` rebuilds into tables before the table pass; it never reaches this
//! aligner.

mod interleaved;
mod packed;
mod runon;
mod scattered;
mod scattered_grid;
mod selfeval;

pub use selfeval::self_evaluation;

use crate::blockset::BlockSet;
use crate::fold::fold_label;
use crate::records::{Flag, FlagCode, Indicator, PlanPoint, Project};
use crate::values;
use crate::vocab::{self, Column, Field};
use crate::ws::TrimWs;
use std::collections::BTreeSet;
use tablift_model::{Block, Document, Origin};

/// What the aligner found.
#[derive(Debug, Default)]
pub struct Aligned {
    /// Projects, numbered from 1 (each has a code, a name or indicators).
    pub projects: Vec<Project>,
    /// Flags about the projects (`aligned_from_text`, `field_not_aligned`), by project.
    pub flags: Vec<Vec<Flag>>,
    /// Block indices of the paragraphs read into projects (not narrative).
    pub used_blocks: BlockSet,
    /// The first monetary unit stated.
    pub unit: Option<String>,
    /// Document-level flags: project blocks not aligned with confidence (left out).
    pub rejected: Vec<Flag>,
}

/// Most lines of an info block that no label may take before the block is judged not to be in
/// one-cell-per-line form (wrapped cells, columns run together) and left out.
const MAX_UNPLACED: usize = 2;

use crate::vocab::{LEVEL1, LEVEL2};

/// Whether a folded text is a 一级 or 二级 value.
fn is_level(folded: &str) -> bool {
    LEVEL1.contains(&folded) || LEVEL2.contains(&folded)
}

/// Group headings of the grid that carry no value (`绩效指标` above the header row).
const GRID_GROUPS: &[&str] = &["绩效指标"];

/// One cell: a paragraph's text (empty for a rebuilt empty cell) and where it came from.
#[derive(Debug, Clone)]
struct Cell<'d> {
    text: &'d str,
    origin: Origin,
    block: Option<usize>,
}

impl Cell<'_> {
    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// What a cell is to the form.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Empty,
    /// An info label, with an inline value's byte offset into the text (`单位：万元`).
    Label(Field, Option<usize>),
    Column(Column),
    Level1,
    Level2,
    Group,
    /// A label of a declaration form whose value goes to `extra` under the label.
    Extra,
    Furniture,
    Value,
}

fn line_of(o: &Origin) -> Option<u32> {
    match o {
        Origin::Text { line, .. } => Some(*line),
        _ => None,
    }
}

/// Page furniture: `— 1 —`, `- 2 -`, `第3页`, `第3页共9页`.
fn is_furniture(t: &str) -> bool {
    // Every cell is asked: furniture starts with a dash, 第 or a space; nearly no cell does.
    if !t.starts_with(|c: char| matches!(c, '—' | '-' | '－' | '–' | '第') || c.is_whitespace())
    {
        return false;
    }
    let core: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '—' | '-' | '－' | '–'))
        .collect();
    let dashes = ['—', '-', '－', '–'];
    let dashed = t.starts_with(dashes) && t.ends_with(dashes);
    if dashed && !core.is_empty() && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let Some(rest) = core.strip_prefix('第') else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let after = rest.get(digits..).unwrap_or("");
    digits > 0
        && (after == "页"
            || after
                .strip_prefix("页共")
                .and_then(|a| a.strip_suffix('页'))
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
}

/// A lone page number (`3`): furniture only where the form expects a label, never a value.
fn is_lone_number(t: &str) -> bool {
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

fn split_inline_label(t: &str) -> Option<(Field, usize)> {
    let at = t.find(['：', ':'])?;
    let left = t.get(..at)?;
    if left.is_empty() || left.chars().count() > 12 {
        return None;
    }
    let f = vocab::field(&fold_label(left))?;
    let sep = t.get(at..)?.chars().next()?.len_utf8();
    Some((f, at + sep))
}

fn kind(t: &str) -> Kind {
    if t.is_empty() {
        return Kind::Empty;
    }
    if is_furniture(t) {
        return Kind::Furniture;
    }
    if t.chars().count() > 24 {
        return Kind::Value;
    }
    let f = fold_label(t);
    if LEVEL1.contains(&f.as_ref()) {
        return Kind::Level1;
    }
    if LEVEL2.contains(&f.as_ref()) {
        return Kind::Level2;
    }
    if GRID_GROUPS.contains(&f.as_ref()) {
        return Kind::Group;
    }
    let (field, column) = vocab::field_and_column(&f);
    if let Some(c) = column {
        // `绩效目标` is a field; `年度绩效指标` a column: a column wins only for grid words.
        if field.is_none() {
            return Kind::Column(c);
        }
    }
    if let Some(fl) = field {
        return Kind::Label(fl, None);
    }
    if let Some((fl, at)) = split_inline_label(t) {
        // `年度资金总额:` with its value on the next line is a plain label.
        let inline = t.get(at..).map_or("", TrimWs::trim_ws);
        return Kind::Label(fl, (!inline.is_empty()).then_some(at));
    }
    Kind::Value
}

/// The cells of the document's paragraphs, with the empty cells of a dense export rebuilt.
fn cells(doc: &Document) -> Vec<Cell<'_>> {
    let paras: Vec<(usize, &tablift_model::Paragraph)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Paragraph(p) => Some((i, p)),
            Block::Table(_) => None,
        })
        .collect();
    let gaps: Vec<u32> = paras
        .windows(2)
        .filter_map(|w| match w {
            [(_, a), (_, b)] => Some(line_of(&b.origin)?.checked_sub(line_of(&a.origin)?)?),
            _ => None,
        })
        .collect();
    let dense =
        gaps.iter().filter(|g| **g == 1).count() >= gaps.iter().filter(|g| **g == 2).count();
    let mut out = Vec::with_capacity(paras.len());
    let mut last: Option<u32> = None;
    for (bi, p) in paras {
        let line = line_of(&p.origin);
        if let (true, Some(a), Some(b)) = (dense, last, line) {
            // At most a screenful of empty cells between two lines: more is a page gap.
            // An empty line's byte offset is not known here: its origin is unknown.
            for _ in (a + 1..b).take(16) {
                out.push(Cell {
                    text: "",
                    origin: Origin::Unknown,
                    block: None,
                });
            }
        }
        last = line.or(last);
        out.push(Cell {
            text: p.text.trim_ws(),
            origin: p.origin.clone(),
            block: Some(bi),
        });
    }
    out
}

/// Whether the document's paragraphs carry the form's project labels (项目编码/项目名称), or
/// a grid header written run together (`一级指标二级指标…`).
pub fn has_form_labels(doc: &Document) -> bool {
    has_label_lines(doc) || runon::has_runon_grid(doc)
}

fn has_label_lines(doc: &Document) -> bool {
    doc.blocks.iter().any(|b| match b {
        Block::Paragraph(p) => {
            let t = p.text.trim_ws();
            t.chars().count() <= 24
                && matches!(
                    vocab::field(&fold_label(t)),
                    Some(Field::Code | Field::Name)
                )
        }
        Block::Table(_) => false,
    })
}

struct Ctx<'a, 'd> {
    cells: &'a [Cell<'d>],
    kinds: &'a [Kind],
    dense: bool,
}

impl<'d> Ctx<'_, 'd> {
    fn kind(&self, i: usize) -> Kind {
        self.kinds.get(i).copied().unwrap_or(Kind::Empty)
    }
    fn text(&self, i: usize) -> &'d str {
        self.cells.get(i).map_or("", |c| c.text)
    }
    fn origin(&self, i: usize) -> Origin {
        self.cells
            .get(i)
            .map(|c| c.origin.clone())
            .unwrap_or_default()
    }
}

/// Align the document's paragraphs against the form. `None` when no project block is found;
/// blocks that were found but not aligned with confidence are in [`Aligned::rejected`].
pub fn align(doc: &Document) -> Option<Aligned> {
    if !has_label_lines(doc) {
        return runon::align(doc);
    }
    let raw_cells = cells(doc);
    let packed = packed::is_packed(&raw_cells) && !scattered::has_glued_code(&raw_cells);
    let mut pre_flags: Vec<(usize, Flag)> = Vec::new();
    let rebuilt = if packed {
        packed::rebuild(&raw_cells, &mut pre_flags)
    } else {
        Vec::new()
    };
    let cells: Vec<Cell<'_>> = if packed {
        rebuilt
            .iter()
            .map(|j| Cell {
                text: &j.text,
                origin: j.origin.clone(),
                block: j.block,
            })
            .collect()
    } else {
        raw_cells
    };
    let dense = {
        let n = cells.iter().filter(|c| c.is_empty()).count();
        n > 0
    };
    let mut kinds: Vec<Kind> = cells
        .iter()
        .map(|c| local_kind(c.text, packed).unwrap_or_else(|| kind(c.text)))
        .collect();
    join_broken_levels(&cells, &mut kinds);
    let ctx = Ctx {
        cells: &cells,
        kinds: &kinds,
        dense,
    };
    // Project starts: a code or name label not just after the other one of the same block.
    let mut starts: Vec<usize> = Vec::new();
    let mut seen: BTreeSet<Field> = BTreeSet::new();
    for (i, k) in kinds.iter().enumerate() {
        if let Kind::Label(f @ (Field::Code | Field::Name), None) = k {
            if starts.is_empty() || seen.contains(f) {
                starts.push(i);
                seen.clear();
            }
            seen.insert(*f);
        }
    }
    if starts.is_empty() {
        return None;
    }
    // Each block's preamble (title, department, unit lines) just before its start.
    let mut begins: Vec<usize> = Vec::with_capacity(starts.len());
    let mut prev_end = 0usize;
    for &s in &starts {
        begins.push(preamble_start(&ctx, prev_end, s));
        prev_end = s;
    }
    let mut out = Aligned::default();
    for (n, (&s, &b)) in starts.iter().zip(&begins).enumerate() {
        let end = begins.get(n + 1).copied().unwrap_or(cells.len());
        let mut flags = Vec::new();
        let mut p = Project::default();
        read_preamble(&ctx, b, s, &mut p, &mut out.unit);
        flags.extend(
            pre_flags
                .iter()
                .filter(|(at, _)| (b..end).contains(at))
                .map(|(_, f)| f.clone()),
        );
        let grid_at = read_info(&ctx, s, end, &mut p, &mut flags, &mut out.unit);
        if let Some(g) = grid_at {
            read_grid(&ctx, g, end, &mut p, &mut flags);
        }
        if p.code.is_none() && p.name.is_none() && p.indicators.is_empty() {
            continue;
        }
        let unplaced = flags.iter().filter(|f| is_unplaced(f)).count();
        let mut scattered = false;
        let mut used_end = end;
        if unplaced > MAX_UNPLACED {
            // Lines out of the form's order (PDF text): read by labels and value shapes.
            let floor = n
                .checked_sub(1)
                .and_then(|k| starts.get(k))
                .copied()
                .unwrap_or(0);
            let mut base = Project::default();
            read_preamble(&ctx, b, s, &mut base, &mut out.unit);
            if base.title.is_empty() {
                if let Some(t) = title_before(&ctx, floor, b) {
                    base.title = ctx.text(t).to_string();
                    base.origin = ctx.origin(t);
                }
            }
            let mut read_flags: Vec<Flag> = pre_flags
                .iter()
                .filter(|(at, _)| (b..end).contains(at))
                .map(|(_, f)| f.clone())
                .collect();
            if let Some((sp, grid)) =
                scattered::read(&ctx, s, end, base, &mut read_flags, &mut out.unit)
            {
                p = sp;
                flags = read_flags;
                scattered = true;
                // The unread grid's lines stay narrative: its text is nowhere else.
                used_end = grid.unwrap_or(end);
            }
        }
        if unplaced > MAX_UNPLACED && !scattered {
            let raw: Vec<&str> = flags
                .iter()
                .filter(|f| is_unplaced(f))
                .map(|f| f.raw.as_str())
                .collect();
            out.rejected.push(not_aligned(
                "project",
                &raw.join("|"),
                format!(
                    "a project block whose lines do not follow the form one cell per line ({unplaced} lines no label takes: wrapped or run-together cells?); not aligned, no project recovered"
                ),
                ctx.origin(s),
            ));
            continue;
        }
        p.seq = u32::try_from(out.projects.len() + 1).unwrap_or(u32::MAX);
        merge_unknown_labels(&p, &mut flags);
        let first = ctx.origin(s);
        let last = ctx.origin(end.saturating_sub(1));
        flags.insert(
            0,
            Flag {
                field: "project".into(),
                message: format!(
                    "project read from text without table marks: {} ({}{})",
                    if scattered {
                        "its lines are out of the form's order (PDF text), so each field was found by its label and the shape of its value"
                    } else {
                        "the table structure was inferred from the order of lines"
                    },
                    line_of(&first).map_or(String::new(), |l| format!("lines {l}")),
                    line_of(&last).map_or(String::new(), |l| format!("–{l}")),
                ),
                origin: first,
                ..Flag::new(FlagCode::AlignedFromText)
            },
        );
        for f in &mut flags {
            f.project_seq = Some(p.seq);
            f.project_code = p.code.clone();
        }
        out.used_blocks.extend(
            cells
                .get(b..used_end)
                .unwrap_or(&[])
                .iter()
                .filter_map(|c| c.block),
        );
        // Lines joined into a rebuilt cell (packed text) were read too.
        out.used_blocks.extend(
            rebuilt
                .get(b..used_end)
                .unwrap_or(&[])
                .iter()
                .flat_map(|j| j.more.iter().copied()),
        );
        out.projects.push(p);
        out.flags.push(flags);
    }
    scattered::flag_lost_hyphens(&out.projects, &mut out.flags);
    Some(out)
}

/// The last title line in the cells `floor..b`: a page's columns read one after the other can
/// leave a table's title inside the block before it.
fn title_before(ctx: &Ctx<'_, '_>, floor: usize, b: usize) -> Option<usize> {
    (floor..b)
        .rev()
        .find(|&i| ctx.kind(i) == Kind::Value && is_title(ctx.text(i)))
}

/// A line of an info block that no label took (not an unknown label kept with its value).
fn is_unplaced(f: &Flag) -> bool {
    f.field == "extra" && f.code == FlagCode::FieldNotAligned
}

/// The block's labels the vocabulary does not know (one provisional flag each, from
/// `read_info`) as the project's one `unrecognised_labels` flag, where the first of them was.
fn merge_unknown_labels(p: &Project, flags: &mut Vec<Flag>) {
    let is_unknown = |f: &Flag| f.code == FlagCode::UnrecognisedLabels;
    let Some(at) = flags.iter().position(is_unknown) else {
        return;
    };
    let labels: Vec<String> = flags
        .iter()
        .filter(|f| is_unknown(f))
        .map(|f| f.raw.clone())
        .collect();
    let origin = flags.get(at).map(|f| f.origin.clone()).unwrap_or_default();
    flags.retain(|f| !is_unknown(f));
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    flags.push(crate::flags::unrecognised_labels(p, &labels, origin));
}

/// The kind of a declaration form's own label ([`packed::local`]); its grid columns in any
/// text, its info labels only in packed text (elsewhere they stay free label-value pairs).
fn local_kind(t: &str, packed: bool) -> Option<Kind> {
    // Outside packed text only `年度(/项目)指标值` can match: reject the rest at once.
    if t.len() > 24 * 3 || (!packed && !t.contains("(/")) {
        return None;
    }
    match packed::local(t)? {
        packed::Local::Column(c) => Some(Kind::Column(c)),
        _ if !packed => None,
        packed::Local::Extra => Some(Kind::Extra),
        packed::Local::Field(f) => Some(Kind::Label(f, None)),
        packed::Local::Heading => Some(Kind::Group),
    }
}

/// Join a 一级/二级 label broken over two lines (`经济效益` + `指标`): the first cell takes the
/// kind, the second becomes furniture (consumed).
fn join_broken_levels(cells: &[Cell<'_>], kinds: &mut [Kind]) {
    let mut i = 0;
    while i + 1 < cells.len() {
        let (Some(a), Some(b)) = (cells.get(i), cells.get(i + 1)) else {
            break;
        };
        let joinable = matches!(kinds.get(i), Some(Kind::Value))
            && !b.text.is_empty()
            && b.text.chars().count() <= 4;
        if joinable {
            let joined = format!("{}{}", fold_label(a.text), fold_label(b.text));
            let k = if LEVEL1.contains(&joined.as_str()) {
                Some(Kind::Level1)
            } else if LEVEL2.contains(&joined.as_str()) {
                Some(Kind::Level2)
            } else {
                None
            };
            if let Some(k) = k {
                if let Some(x) = kinds.get_mut(i) {
                    *x = k;
                }
                if let Some(x) = kinds.get_mut(i + 1) {
                    *x = Kind::Furniture;
                }
                i += 2;
                continue;
            }
        }
        i += 1;
    }
}

/// The text of a 一级/二级 cell, joined with its broken tail when it has one.
fn level_text(ctx: &Ctx<'_, '_>, i: usize) -> String {
    let t = ctx.text(i);
    if ctx.kind(i + 1) == Kind::Furniture && !is_furniture(ctx.text(i + 1)) {
        format!("{t}{}", ctx.text(i + 1))
    } else {
        t.to_string()
    }
}

/// Whether a cell can be a project's title line.
fn is_title(t: &str) -> bool {
    t.contains("目标表") || t.contains("申报表")
}

/// The first cell of the block starting at label `s`: back over unit, department and empty
/// lines to a title line (not before `floor`).
fn preamble_start(ctx: &Ctx<'_, '_>, floor: usize, s: usize) -> usize {
    let mut i = s;
    let mut at = s;
    let mut steps = 0;
    while i > floor && steps < 8 {
        i -= 1;
        steps += 1;
        let t = ctx.text(i);
        match ctx.kind(i) {
            Kind::Empty | Kind::Furniture => {}
            Kind::Label(Field::Unit, Some(_)) => at = i,
            Kind::Value if values::department(t).is_some() => at = i,
            Kind::Value if is_title(t) => return i,
            // `(2022年度)` under a title.
            Kind::Value if t.chars().count() <= 12 && t.contains('年') => at = i,
            _ => break,
        }
    }
    at
}

fn read_preamble(
    ctx: &Ctx<'_, '_>,
    b: usize,
    s: usize,
    p: &mut Project,
    unit_seen: &mut Option<String>,
) {
    p.origin = ctx.origin(b);
    for i in b..s {
        let t = ctx.text(i);
        match ctx.kind(i) {
            Kind::Label(Field::Unit, Some(at)) => {
                if let Some(u) = t.get(at..).and_then(values::money_unit) {
                    p.unit = Some(u.to_string());
                    unit_seen.get_or_insert_with(|| u.to_string());
                }
            }
            Kind::Value if p.title.is_empty() && is_title(t) => p.title = t.to_string(),
            Kind::Value => {
                if let Some((code, name)) = values::department(t) {
                    p.department_code = Some(code);
                    p.department_name = Some(name);
                    p.department_raw = Some(t.to_string());
                }
            }
            _ => {}
        }
    }
    if p.title.is_empty() {
        p.origin = ctx.origin(s);
    }
}

/// The 一级指标 a text starts with (the longest).
fn level1_of(t: &str) -> Option<&str> {
    longest_prefix(t, LEVEL1)
}

/// The 二级指标 a text starts with (the longest).
fn level2_of(t: &str) -> Option<&str> {
    longest_prefix(t, LEVEL2)
}

fn longest_prefix<'t>(t: &'t str, words: &[&str]) -> Option<&'t str> {
    words
        .iter()
        .filter(|w| t.starts_with(**w))
        .map(|w| w.len())
        .max()
        .and_then(|n| t.get(..n))
}

/// An `alignment_uncertain` flag: text that could be split or placed more than one way.
fn uncertain(field: &str, raw: &str, message: String, origin: Origin) -> Flag {
    Flag {
        field: field.to_string(),
        raw: raw.to_string(),
        message,
        origin,
        ..Flag::new(FlagCode::AlignmentUncertain)
    }
}

fn not_aligned(field: &str, raw: &str, message: String, origin: Origin) -> Flag {
    Flag {
        field: field.to_string(),
        raw: raw.to_string(),
        message,
        origin,
        ..Flag::new(FlagCode::FieldNotAligned)
    }
}

/// An amount cell: a number with an optional money unit, or one followed by a parenthetical
/// note (`854万(高标准农田建设400万元,…)`): the number and unit before the note.
fn amount_like(t: &str) -> bool {
    values::parse_amount(t).is_some() || values::noted_amount(t).is_some()
}

fn is_amount_field(f: Field) -> bool {
    matches!(
        f,
        Field::BudgetTotal | Field::BudgetFiscal | Field::BudgetOther
    )
}

/// Whether a value cell may be the value of `f` (amounts must look like amounts).
fn fits(f: Field, t: &str) -> bool {
    if is_amount_field(f) {
        amount_like(t)
    } else {
        true
    }
}

fn apply(p: &mut Project, f: Field, raw: &str, origin: Origin, unit_seen: &mut Option<String>) {
    crate::extract::set_field(p, f, raw, origin, unit_seen);
}

/// Whether cell `i` is free text that looks like a label the vocabulary does not know
/// (`项目负责人及电话`, `总体目标`): short, no digits, no sentence punctuation.
fn unknown_label_like(t: &str) -> bool {
    let n = t.chars().count();
    (2..=10).contains(&n)
        && !t
            .chars()
            .any(|c| c.is_ascii_digit() || "，。；,;、%％".contains(c))
}

/// Read the info block from label `s` up to the grid header (returned) or `end`.
fn read_info(
    ctx: &Ctx<'_, '_>,
    s: usize,
    end: usize,
    p: &mut Project,
    flags: &mut Vec<Flag>,
    unit_seen: &mut Option<String>,
) -> Option<usize> {
    let mut pending: Vec<(Field, usize)> = Vec::new();
    let mut money = MoneyColumns::default();
    let mut i = s;
    while i < end {
        match ctx.kind(i) {
            Kind::Column(_) => return Some(i),
            Kind::Empty | Kind::Furniture => i += 1,
            Kind::Group => {
                // `项目资金（元）`: a group label stating the unit.
                let folded = fold_label(ctx.text(i));
                if let Some(u) = values::label_unit(&folded) {
                    p.unit.get_or_insert_with(|| u.to_string());
                    unit_seen.get_or_insert_with(|| u.to_string());
                }
                i += 1;
            }
            Kind::Extra => {
                let key = ctx.text(i);
                money.see(key);
                if ctx.kind(i + 1) == Kind::Value {
                    p.extra.insert(key.to_string(), ctx.text(i + 1).to_string());
                    i += 2;
                } else {
                    i += 1;
                }
            }
            Kind::Level1 | Kind::Level2 => {
                flags.push(not_aligned(
                    "indicators",
                    ctx.text(i),
                    "an indicator level before any grid header: the grid was not read".into(),
                    ctx.origin(i),
                ));
                return None;
            }
            Kind::Label(f, Some(at)) => {
                let raw = ctx.text(i).get(at..).unwrap_or("").trim_ws();
                apply(p, f, raw, ctx.origin(i), unit_seen);
                i += 1;
            }
            Kind::Label(Field::Plan, None) => i = read_plan(ctx, i, end, p, flags),
            Kind::Label(Field::Goals, None) => {
                // Goals: every value line up to the grid (or the next label).
                let mut j = i + 1;
                let mut lines: Vec<&str> = Vec::new();
                let mut origin = None;
                while j < end {
                    match ctx.kind(j) {
                        Kind::Value => {
                            origin.get_or_insert_with(|| ctx.origin(j));
                            lines.push(ctx.text(j));
                        }
                        Kind::Empty | Kind::Furniture | Kind::Group => {}
                        _ => break,
                    }
                    j += 1;
                }
                if !lines.is_empty() {
                    apply(
                        p,
                        Field::Goals,
                        &lines.join("\n"),
                        Origin::Unknown,
                        unit_seen,
                    );
                }
                i = j;
            }
            Kind::Label(f, None) => {
                let next = i + 1;
                match ctx.kind(next) {
                    Kind::Value if fits(f, ctx.text(next)) => {
                        match money.project_column(ctx.text(i), f) {
                            Some(key) => {
                                p.extra.insert(key, ctx.text(next).to_string());
                            }
                            None => apply(p, f, ctx.text(next), ctx.origin(next), unit_seen),
                        }
                        i = next + 1;
                    }
                    Kind::Empty if ctx.dense => {
                        apply(p, f, "", ctx.origin(next), unit_seen);
                        i = next + 1;
                    }
                    Kind::Value if unknown_label_like(ctx.text(next)) => {
                        // A label's slot holding what looks like another label: empty.
                        i = next;
                    }
                    // A value that does not fit: left to the lines below (a header label's
                    // value, or flagged as a line no label takes).
                    Kind::Value => i = next,
                    _ => {
                        pending.push((f, i));
                        i = next;
                    }
                }
            }
            Kind::Value => {
                let t = ctx.text(i);
                if let Some(k) = pending.iter().position(|(f, _)| fits(*f, t)) {
                    let (f, _) = pending.remove(k);
                    apply(p, f, t, ctx.origin(i), unit_seen);
                    i += 1;
                } else if unknown_label_like(t) && ctx.kind(i + 1) == Kind::Value {
                    p.extra.insert(t.to_string(), ctx.text(i + 1).to_string());
                    // Said per label here, one flag per project once its number is known.
                    flags.push(Flag {
                        field: "extra".into(),
                        raw: t.to_string(),
                        origin: ctx.origin(i),
                        ..Flag::new(FlagCode::UnrecognisedLabels)
                    });
                    i += 2;
                } else {
                    // `资金情况 (万元)`: a group label stating the unit; `（元）` under it.
                    let folded = fold_label(t);
                    let bare = folded
                        .strip_prefix('(')
                        .and_then(|r| r.strip_suffix(')'))
                        .filter(|_| ctx.kind(i.wrapping_sub(1)) == Kind::Group);
                    if let Some(u) = vocab::strip_paren(&folded)
                        .map(|(_, u)| u)
                        .or(bare)
                        .and_then(values::money_unit)
                    {
                        p.unit.get_or_insert_with(|| u.to_string());
                        unit_seen.get_or_insert_with(|| u.to_string());
                        i += 1;
                        continue;
                    }
                    flags.push(not_aligned(
                        "extra",
                        t,
                        "a line of the info block that no label of the form takes (not placed)"
                            .into(),
                        ctx.origin(i),
                    ));
                    i += 1;
                }
            }
        }
    }
    None
}

/// Two money columns side by side (a declaration form: 项目资金总额 over the project's years,
/// 年度资金申请总额 for this one), read row by row: the left cell of each row comes first.
/// The year's column gives the budget fields; the project column's cells go to `extra`
/// under `项目资金总额/…`, never into the year's fields.
#[derive(Default)]
struct MoneyColumns {
    /// 项目资金总额 was seen: the block has the two columns.
    two: bool,
    /// 其他资金 cells seen so far (the first is the project column's).
    others: usize,
}

impl MoneyColumns {
    fn see(&mut self, label: &str) {
        if fold_label(label) == "项目资金总额" {
            self.two = true;
        }
    }

    /// The `extra` key when label `label` (of field `f`) is the project column's cell.
    fn project_column(&mut self, label: &str, f: Field) -> Option<String> {
        if !self.two {
            return None;
        }
        let folded = fold_label(label);
        let left = match f {
            // 其中：财政资金 (the project's) vs 其中：当年财政拨款 (the year's).
            Field::BudgetFiscal => !folded.contains("当年"),
            Field::BudgetOther => {
                self.others += 1;
                self.others == 1
            }
            _ => false,
        };
        left.then(|| format!("项目资金总额/{label}"))
    }
}

/// The spending plan: checkpoint labels after the plan label, then as many values.
fn read_plan(
    ctx: &Ctx<'_, '_>,
    at: usize,
    end: usize,
    p: &mut Project,
    flags: &mut Vec<Flag>,
) -> usize {
    let mut j = at + 1;
    let mut plan: Vec<PlanPoint> = Vec::new();
    while j < end {
        let t = ctx.text(j);
        match values::month_of(t) {
            Some(m) if ctx.kind(j) == Kind::Value || ctx.kind(j) == Kind::Column(Column::Known) => {
                plan.push(PlanPoint {
                    label: t.to_string(),
                    month: Some(m),
                    ..PlanPoint::default()
                });
            }
            _ => break,
        }
        j += 1;
    }
    let n = plan.len();
    // The values: percent-like or empty cells up to the next label.
    let mut vals: Vec<usize> = Vec::new();
    let mut k = j;
    while k < end && vals.len() <= n {
        let t = ctx.text(k);
        let ok = match ctx.kind(k) {
            Kind::Empty => ctx.dense,
            Kind::Value => values::parse_percent(t).is_some(),
            _ => false,
        };
        if !ok {
            break;
        }
        vals.push(k);
        k += 1;
    }
    // A leading empty cell is the plan label's own slot on the values row.
    while vals.len() > n && vals.first().is_some_and(|&v| ctx.kind(v) == Kind::Empty) {
        vals.remove(0);
    }
    if vals.len() > n {
        vals.truncate(n);
    }
    let mut next = vals.last().map_or(j, |&v| v + 1);
    if vals.len() == n {
        for (pp, &v) in plan.iter_mut().zip(&vals) {
            let raw = ctx.text(v);
            pp.raw = raw.to_string();
            pp.percent = values::parse_percent(raw);
            pp.origin = ctx.origin(v);
        }
    } else {
        let raw: Vec<&str> = vals.iter().map(|&v| ctx.text(v)).collect();
        flags.push(not_aligned(
            "plan",
            &raw.join("|"),
            format!(
                "{} checkpoint labels but {} value lines: the values were not placed",
                n,
                vals.len()
            ),
            ctx.origin(at),
        ));
        next = j;
    }
    p.plan = plan;
    next
}

/// Read the indicator grid: its header from `g`, then rows to `end`.
fn read_grid(ctx: &Ctx<'_, '_>, g: usize, end: usize, p: &mut Project, flags: &mut Vec<Flag>) {
    let mut cols: Vec<Column> = Vec::new();
    let mut i = g;
    while let Kind::Column(c) = ctx.kind(i) {
        cols.push(c);
        i += 1;
    }
    let has_l1 = cols.first() == Some(&Column::Level1);
    let has_l2 = cols.get(1) == Some(&Column::Level2);
    let has_value = cols.contains(&Column::Value);
    // The header is complete only when the first row starts right after it: a header cell
    // the vocabulary does not know (`年度(/项目)指标值`) would shift every row.
    let mut first = i;
    while matches!(ctx.kind(first), Kind::Empty | Kind::Furniture) && first < end {
        first += 1;
    }
    // The first row starts with its 一级, or with a 二级 whose 一级 it names (`生态环境成本指标`).
    let complete = ctx.kind(first) == Kind::Level1 || ctx.kind(first) == Kind::Level2;
    if !(has_l1 && has_l2 && has_value && complete) {
        flags.push(not_aligned(
            "indicators",
            ctx.text(i),
            "the indicator grid's header is not one the form knows (一级/二级 first, a 指标值 column, the first row right after it): rows were not read".into(),
            ctx.origin(i),
        ));
        return;
    }
    let rest: Vec<Column> = cols.get(2..).unwrap_or(&[]).to_vec();
    let (mut l1, mut l2) = (String::new(), String::new());
    while i < end {
        // Skip empties between rows (a dense export has none) and furniture.
        match ctx.kind(i) {
            Kind::Furniture | Kind::Group => {
                i += 1;
                continue;
            }
            Kind::Empty if !ctx.dense => {
                i += 1;
                continue;
            }
            Kind::Value if is_lone_number(ctx.text(i)) => {
                i += 1;
                continue;
            }
            Kind::Value if is_note(ctx.text(i)) => break,
            Kind::Label(..) | Kind::Column(_) => break,
            _ => {}
        }
        let row_origin = ctx.origin(i);
        // 一级 (成本指标 only when a 二级 follows) and 二级.
        let mut j = i;
        let k1 = ctx.kind(j);
        let next_is_l2 = next_level(ctx, j) == Some(Kind::Level2);
        if k1 == Kind::Level1 && (fold_label(ctx.text(j)) != "成本指标" || next_is_l2) {
            l1 = level_text(ctx, j);
            l2.clear();
            j = skip_tail(ctx, j);
        }
        let own_l1 = j != i;
        if ctx.kind(j) == Kind::Level2 || ctx.kind(j) == Kind::Level1 {
            l2 = level_text(ctx, j);
            j = skip_tail(ctx, j);
            if !own_l1 {
                if let Some(implied) = implied_level1(&l2) {
                    l1 = implied.to_string();
                }
            }
        }
        // The row's own cells.
        let mut own: Vec<usize> = Vec::new();
        while own.len() < rest.len() && j < end {
            match ctx.kind(j) {
                Kind::Level1 | Kind::Level2 | Kind::Label(..) | Kind::Column(_) => break,
                Kind::Furniture | Kind::Group => {}
                Kind::Empty if !ctx.dense => {}
                Kind::Value if is_note(ctx.text(j)) => break,
                _ => own.push(j),
            }
            j += 1;
        }
        if j == i {
            // Nothing consumed: not a row.
            break;
        }
        let mut ind = Indicator {
            row: u32::try_from(p.indicators.len() + 1).unwrap_or(u32::MAX),
            level1: l1.clone(),
            level2: l2.clone(),
            origin: row_origin.clone(),
            ..Indicator::default()
        };
        if own.len() == rest.len() {
            let mut value = String::new();
            let mut value_origin = row_origin.clone();
            for (c, &k) in rest.iter().zip(&own) {
                let t = ctx.text(k).to_string();
                match c {
                    Column::Level3 => ind.level3 = t,
                    Column::Description => ind.description = t,
                    Column::Value => {
                        value = t;
                        value_origin = ctx.origin(k);
                    }
                    Column::Basis => ind.basis = t,
                    _ => {
                        let header = cols_header(ctx, g, c);
                        ind.extra.insert(header, t);
                    }
                }
            }
            ind.value = values::parse_indicator_value(&value);
            ind.value.origin = value_origin;
        } else {
            let raw: Vec<&str> = own.iter().map(|&k| ctx.text(k)).collect();
            flags.push(not_aligned(
                &format!("indicators[{}]", p.indicators.len()),
                &raw.join("|"),
                format!(
                    "an indicator row with {} of its {} cells: they were not placed",
                    own.len(),
                    rest.len()
                ),
                row_origin,
            ));
            ind.value.origin = Origin::Unknown;
        }
        p.indicators.push(ind);
        i = j;
    }
}

/// The 一级 a 二级 names by itself: `经济成本指标`, `社会成本指标`, `生态环境成本指标` are only
/// ever under 成本指标 (a row whose 一级 cell the text lost, or that starts the grid).
fn implied_level1(l2: &str) -> Option<&'static str> {
    let f = fold_label(l2);
    (f.len() > "成本指标".len() && f.ends_with("成本指标")).then_some("成本指标")
}

/// The header text of the grid column `c` (for `extra`).
fn cols_header(ctx: &Ctx<'_, '_>, g: usize, c: &Column) -> String {
    let mut i = g;
    while let Kind::Column(x) = ctx.kind(i) {
        if x == *c {
            return ctx.text(i).to_string();
        }
        i += 1;
    }
    String::new()
}

/// The kind of the cell after a level cell (and its broken tail).
fn next_level(ctx: &Ctx<'_, '_>, j: usize) -> Option<Kind> {
    Some(ctx.kind(skip_tail(ctx, j)))
}

/// The cell after a level cell at `j`, past its broken tail.
fn skip_tail(ctx: &Ctx<'_, '_>, j: usize) -> usize {
    if ctx.kind(j + 1) == Kind::Furniture && !is_furniture(ctx.text(j + 1)) {
        j + 2
    } else {
        j + 1
    }
}

/// A footnote under the grid (`注:…`).
fn is_note(t: &str) -> bool {
    t.starts_with("注:") || t.starts_with("注：") || t.starts_with("备注")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture() {
        assert!(is_furniture("— 1 —"));
        assert!(is_furniture("- 12 -"));
        assert!(is_furniture("第3页"));
        assert!(is_furniture("第3页共9页"));
        assert!(!is_furniture("-1"));
        assert!(!is_furniture("100"));
        assert!(!is_furniture("第二部分"));
    }

    #[test]
    fn noted_amounts() {
        assert!(values::noted_amount("854万(高标准农田建设400万元)").is_some());
        assert!(values::noted_amount("854万854万(x)").is_none());
        assert!(amount_like("4621.00"));
        assert!(!amount_like("总体目标"));
    }
}
