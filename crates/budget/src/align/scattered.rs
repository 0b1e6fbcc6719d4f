//! Scattered text: a 绩效目标表's info block in the order a PDF's text layer gives its lines
//! (pdftotext without `-layout`). A row's cells come one after the other with the lines of a
//! label wrapped over rows between them (`项目编码` / `467-0302-YCN项目名称` / `2020 年…` /
//! `XDCZ` / `预算规模` / `预算数` / `306.00` / `其中：财` / `306.00` / `其他资金` / `及资金用` /
//! `政资金` / `途` / `用于…`), or a page's columns one after the other. No cell per line, so
//! the one-cell-per-line reading fails; this one finds each field by its label and by the
//! shape of its value:
//! - the code is the code-shaped text after 项目编码, with the short upper-case line that is
//!   the rest of a code wrapped at a hyphen (`467-0602-YBN-` … `E8OQ`); written as it is, its
//!   lost hyphen is flagged ([`flag_lost_hyphens`]);
//! - the name is the first free line after 项目名称, with the free lines right after it (its
//!   wrapped rest), checked against the table's title;
//! - an amount belongs to the money label it follows, past pieces of wrapped labels; a label
//!   followed by anything else had an empty cell;
//! - the spending plan's checkpoints (`3 月底`) and percentages pair up in order when there are
//!   as many of each; otherwise which value is whose is not in the text, and nothing is placed;
//! - goals are the numbered lines (`1、…`) with the lines that continue them;
//! - the use of funds is the free text left, when it is one run of lines.
//!
//! Not here: the indicator grid. Its wrapped cells' lines are interleaved across its columns,
//! and nothing in the text says which line is whose: it is flagged as not read.

use super::{is_furniture, not_aligned, uncertain, Ctx, Kind};
use crate::fold::fold_label;
use crate::records::{Flag, PlanPoint, Project};
use crate::values;
use crate::vocab::{self, Field};
use crate::ws::TrimWs;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// Most lines of an info block that no rule takes before the block is left out.
const MAX_LEFT: usize = 2;

/// Longest line taken as a piece of a label wrapped over lines.
const MAX_PIECE_CHARS: usize = 8;

/// What one line (or one part of a line) of a scattered info block is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    /// Code-shaped text (`467-0302-YCN`).
    Code,
    /// Short upper-case text: the rest of a code wrapped over lines (`XDCZ`).
    Tail,
    /// A whole info label.
    Label(Field),
    /// A piece of a label wrapped over lines; the field of the label it starts, if any.
    Piece(Option<Field>),
    /// An inline label with its value (`单位：万元`).
    Inline(Field, usize),
    Amount,
    Month,
    Goal,
    Text,
    /// Grid headers, furniture and empty lines: no value of the info block.
    Skip,
    Empty,
}

/// One item: the cell it is in and its text (a part of the cell's text where a line held a
/// value and a label).
#[derive(Debug, Clone, Copy)]
struct Part<'d> {
    cell: usize,
    text: &'d str,
    item: Item,
}

/// A code at the start of `t` (`467-0302-YCN`, `467-0201-JCN-6A74`) and what follows it.
fn code_head(t: &str) -> Option<(&str, &str)> {
    let n = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    let code = t.get(..n)?;
    let rest = t.get(n..)?.trim_ws();
    let digit_first = code.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let shaped = code.contains('-') || code.len() >= 10;
    (digit_first && code.len() >= 6 && shaped).then_some((code, rest))
}

/// Whether a line holds a code with the next cell's label run on (`467-0302-YCN项目名称`): PDF
/// text in reading order across a row's cells, which the one-label-or-value-per-line reading
/// of packed text would join into one value.
pub(super) fn has_glued_code(cells: &[super::Cell<'_>]) -> bool {
    cells.iter().any(|c| {
        code_head(c.text).is_some_and(|(_, rest)| {
            !rest.is_empty()
                && matches!(
                    super::kind(rest),
                    Kind::Label(Field::Code | Field::Name, None)
                )
        })
    })
}

/// The rest of a code wrapped over lines: 2 to 8 upper-case letters and digits, one a letter.
fn is_tail(t: &str) -> bool {
    (2..=8).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_uppercase())
}

/// A checkpoint label written alone (`3 月底`, `12月末`); `12月底前完成` is a value.
pub(super) fn is_month(t: &str) -> bool {
    // Asked of every line: most do not end in 底 or 末 (which folding leaves as they are), and
    // this costs a compare of the last bytes.
    let last = t.trim_end().chars().next_back();
    if !matches!(last, Some('底' | '末')) {
        return false;
    }
    let folded = fold_label(t);
    let core = folded
        .strip_suffix("月底")
        .or_else(|| folded.strip_suffix("月末"));
    core.is_some_and(|d| !d.is_empty() && d.len() <= 2 && d.bytes().all(|b| b.is_ascii_digit()))
        && values::month_of(t).is_some()
}

/// Whether `t` is a piece of a label wrapped over lines (`其中：财`, `政资金`, `及资金用`,
/// `途`, `绩效指标描`), and the field of the label it starts (`其中：财` → 财政资金).
fn piece(t: &str) -> Option<Option<Field>> {
    if t.chars().count() > MAX_PIECE_CHARS || values::parse_amount(t).is_some() {
        return None;
    }
    let folded = fold_label(t);
    let f: &str = &folded;
    let f = f
        .strip_prefix("其中:")
        .or_else(|| f.strip_prefix("其中"))
        .unwrap_or(f);
    if f.is_empty() {
        return (!folded.is_empty()).then_some(None);
    }
    // `（%）` under `资金支出计划`.
    if f == "(%)" {
        return Some(None);
    }
    let info = pieces().get(f)?;
    Some(info.starts.unwrap_or(None))
}

/// What a text is as a piece of the vocabulary's labels.
#[derive(Default)]
struct PieceInfo {
    /// It starts a label: that label's field (`None` when the labels it starts differ).
    starts: Option<Option<Field>>,
}

/// Every piece of every label (folded), once: a line is looked up, not compared with each
/// label (that was 40% of a scattered document's time).
fn pieces() -> &'static HashMap<&'static str, PieceInfo> {
    static PIECES: OnceLock<HashMap<&'static str, PieceInfo>> = OnceLock::new();
    PIECES.get_or_init(|| {
        let mut map: HashMap<&'static str, PieceInfo> = HashMap::new();
        for (label, field) in vocab::label_texts() {
            let bounds: Vec<usize> = label
                .char_indices()
                .map(|(i, _)| i)
                .chain([label.len()])
                .collect();
            for (n, &i) in bounds.iter().enumerate() {
                for &j in bounds.get(n + 1..).unwrap_or(&[]) {
                    let Some(sub) = label.get(i..j) else { continue };
                    let info = map.entry(sub).or_default();
                    if i == 0 {
                        // Two labels it could start, of different fields: it starts neither
                        // for sure.
                        info.starts = match info.starts {
                            None => Some(field),
                            Some(g) if g == field => Some(g),
                            Some(_) => Some(None),
                        };
                    }
                }
            }
        }
        map
    })
}

/// The parts of the cells `s..end` up to the grid's first row (a 一级指标 value), and where
/// that row is.
fn parts<'d>(ctx: &Ctx<'_, 'd>, s: usize, end: usize) -> (Vec<Part<'d>>, Option<usize>) {
    let mut out = Vec::new();
    let mut seen_code = false;
    let mut grid = None;
    for i in s..end {
        let t = ctx.text(i);
        let mut push = |text: &'d str, item: Item| {
            out.push(Part {
                cell: i,
                text,
                item,
            })
        };
        if grid.is_some() {
            // Past the grid's first row only checkpoint labels are the info block's: a page's
            // columns read one after the other put the plan's last ones there.
            if is_month(t) {
                push(t, Item::Month);
            }
            continue;
        }
        match ctx.kind(i) {
            Kind::Level1 => {
                grid = Some(i);
                continue;
            }
            Kind::Empty => {
                push(t, Item::Empty);
                continue;
            }
            Kind::Label(f, None) => {
                push(t, Item::Label(f));
                continue;
            }
            Kind::Label(f, Some(at)) => {
                push(t, Item::Inline(f, at));
                continue;
            }
            Kind::Column(_) | Kind::Group | Kind::Level2 | Kind::Furniture => {
                push(t, Item::Skip);
                continue;
            }
            Kind::Extra | Kind::Value => {}
        }
        if !seen_code {
            if let Some((code, rest)) = code_head(t) {
                let rest_item = match super::kind(rest) {
                    Kind::Label(f, None) => Some(Item::Label(f)),
                    _ if rest.is_empty() => None,
                    _ => Some(Item::Text),
                };
                if rest_item != Some(Item::Text) {
                    seen_code = true;
                    push(code, Item::Code);
                    if let Some(item) = rest_item {
                        push(rest, item);
                    }
                    continue;
                }
            }
        }
        // `1906.00 其中：财`: an amount and the next label's first piece on one line.
        // The amount first: it rejects most lines before any label lookup.
        if let Some((a, b)) = t.split_once(char::is_whitespace) {
            let (a, b) = (a.trim_ws(), b.trim_ws());
            if values::parse_amount(a).is_some() {
                let label = match super::kind(b) {
                    Kind::Label(f, None) => Some(Item::Label(f)),
                    _ => piece(b).map(Item::Piece),
                };
                if let Some(label) = label {
                    push(a, Item::Amount);
                    push(b, label);
                    continue;
                }
            }
        }
        let item = if is_furniture(t) {
            Item::Skip
        } else if is_month(t) {
            Item::Month
        } else if values::parse_amount(t).is_some() {
            Item::Amount
        } else if is_tail(t) {
            Item::Tail
        } else if values::goal_marker(t).is_some() {
            Item::Goal
        } else if let Some(f) = piece(t) {
            Item::Piece(f)
        } else {
            Item::Text
        };
        push(t, item);
    }
    (out, grid)
}

/// What the walk over the parts found, by part index.
#[derive(Default)]
struct Found {
    code: Option<usize>,
    tails: Vec<usize>,
    name: Vec<usize>,
    /// Each money label seen first (its part) and its amount's part, if it had one.
    money: BTreeMap<FieldKey, (usize, Option<usize>)>,
    months: Vec<usize>,
    amounts: Vec<usize>,
    goals: Vec<(usize, bool)>,
    uses: Vec<usize>,
}

/// A money field as a map key (fields are not `Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FieldKey {
    Total,
    Fiscal,
    Other,
}

fn key(f: Field) -> Option<FieldKey> {
    match f {
        Field::BudgetTotal => Some(FieldKey::Total),
        Field::BudgetFiscal => Some(FieldKey::Fiscal),
        Field::BudgetOther => Some(FieldKey::Other),
        _ => None,
    }
}

/// What the next free line or amount is awaited for.
#[derive(Clone, Copy, PartialEq)]
enum Await {
    Nothing,
    Name,
    /// A money field, and the part of its label.
    Money(FieldKey, usize),
}

/// Walk the parts in order, giving each to the label it follows or the field its shape says.
fn walk(parts: &[Part<'_>]) -> Found {
    let mut f = Found::default();
    let mut wait = Await::Nothing;
    // The name's or a goal's wrapped rest may follow on the next lines.
    let (mut name_open, mut goal_open) = (false, false);
    for (k, part) in parts.iter().enumerate() {
        // A money label's empty cell: anything but a piece of a label or an amount after it.
        if let Await::Money(m, label) = wait {
            if !matches!(part.item, Item::Piece(_) | Item::Amount | Item::Empty) {
                f.money.entry(m).or_insert((label, None));
                wait = Await::Nothing;
            }
        }
        // A money label, or the first piece of one wrapped (`其中：财`): its amount comes next.
        let money = match part.item {
            Item::Label(l) | Item::Piece(Some(l)) => key(l),
            _ => None,
        };
        if let Some(m) = money {
            wait = Await::Money(m, k);
            (name_open, goal_open) = (false, false);
            continue;
        }
        match part.item {
            Item::Code => f.code = f.code.or(Some(k)),
            Item::Tail => f.tails.push(k),
            Item::Label(Field::Name) => {
                wait = Await::Name;
                name_open = false;
            }
            Item::Label(_) | Item::Skip => {
                if wait != Await::Name {
                    wait = Await::Nothing;
                }
                (name_open, goal_open) = (false, false);
            }
            Item::Inline(..) | Item::Piece(_) => {}
            Item::Empty => (name_open, goal_open) = (false, false),
            Item::Amount => match wait {
                // The first label of a field keeps its cell; a second one's amount is left.
                Await::Money(m, label) if !f.money.contains_key(&m) => {
                    f.money.insert(m, (label, Some(k)));
                    wait = Await::Nothing;
                }
                _ => f.amounts.push(k),
            },
            Item::Month => {
                f.months.push(k);
                (name_open, goal_open) = (false, false);
            }
            Item::Goal => {
                f.goals.push((k, true));
                (name_open, goal_open) = (false, true);
            }
            Item::Text => {
                if wait == Await::Name {
                    f.name.push(k);
                    wait = Await::Nothing;
                    name_open = true;
                } else if name_open {
                    f.name.push(k);
                } else if goal_open {
                    f.goals.push((k, false));
                } else {
                    f.uses.push(k);
                }
            }
        }
    }
    if let Await::Money(m, label) = wait {
        f.money.entry(m).or_insert((label, None));
    }
    f
}

/// Read a scattered info block (the cells `s..end`, from its 项目编码/项目名称 label) into
/// `p`, which holds what the block's preamble gave; with it, where the unread grid starts.
/// `None` when the block does not give a code, a name and a 预算数, or leaves more than
/// [`MAX_LEFT`] lines unexplained.
pub(super) fn read(
    ctx: &Ctx<'_, '_>,
    s: usize,
    end: usize,
    mut p: Project,
    flags: &mut Vec<Flag>,
    unit_seen: &mut Option<String>,
) -> Option<(Project, Option<usize>)> {
    let (parts, grid) = parts(ctx, s, end);
    let found = walk(&parts);
    let text = |k: usize| parts.get(k).map_or("", |x| x.text);
    let origin = |k: usize| parts.get(k).map(|x| ctx.origin(x.cell)).unwrap_or_default();
    let mut left: Vec<usize> = found.amounts.clone();
    let mut mine: Vec<Flag> = Vec::new();

    // The code, with its wrapped rest when the line broke inside it.
    let at = found.code?;
    let head = text(at);
    let cell_of = |k: usize| parts.get(k).map(|x| x.cell);
    let glued = parts
        .get(at + 1)
        .is_some_and(|x| Some(x.cell) == cell_of(at));
    let open = head.ends_with('-') || glued;
    let code = match found.tails.as_slice() {
        [t] if open => {
            mine.push(uncertain(
                "project_code",
                &format!("{head}|{}", text(*t)),
                format!(
                    "the code is written over two lines ({} and {}): joined as written",
                    origin(at),
                    origin(*t)
                ),
                origin(at),
            ));
            format!("{head}{}", text(*t))
        }
        tails => {
            left.extend(tails);
            head.to_string()
        }
    };
    p.code = Some(code);

    // The name, and its wrapped rest only where the title confirms it: without a title, a
    // line after the name may as well be an unknown label's.
    let name_at = *found.name.first()?;
    let rest = found.name.get(1..).unwrap_or(&[]);
    let joined: String = found.name.iter().map(|&k| text(k)).collect();
    let in_title = |n: &str| fold_label(&p.title).contains(fold_label(n).as_ref());
    let titled = !p.title.is_empty();
    let name = if !rest.is_empty() && titled && in_title(&joined) {
        joined
    } else {
        left.extend(rest);
        text(name_at).to_string()
    };
    if titled && !in_title(&name) {
        mine.push(uncertain(
            "project_name",
            &name,
            format!(
                "the name read after 项目名称 is not the one in the title ({})",
                p.title
            ),
            origin(name_at),
        ));
    }
    p.name = Some(name);

    // The amounts, each after its label.
    for (m, field) in [
        (FieldKey::Total, Field::BudgetTotal),
        (FieldKey::Fiscal, Field::BudgetFiscal),
        (FieldKey::Other, Field::BudgetOther),
    ] {
        match found.money.get(&m) {
            Some((_, Some(k))) => super::apply(&mut p, field, text(*k), origin(*k), unit_seen),
            // An empty cell: where its label is.
            Some((label, None)) => super::apply(&mut p, field, "", origin(*label), unit_seen),
            None => {}
        }
    }
    p.budget_total.value?;
    for part in &parts {
        if let Item::Inline(f, at) = part.item {
            let raw = part.text.get(at..).unwrap_or("").trim_ws();
            super::apply(&mut p, f, raw, ctx.origin(part.cell), unit_seen);
        }
    }

    // The use of funds: the free text left, one run of consecutive lines.
    let run = found
        .uses
        .windows(2)
        .all(|w| matches!(w, [a, b] if cell_of(*b) == cell_of(*a).map(|c| c + 1)));
    match found.uses.as_slice() {
        [] => {}
        // `项目负责人` / `张三`: a label the vocabulary does not know, and its value.
        [l, v] if run && super::unknown_label_like(text(*l)) => {
            p.extra.insert(text(*l).to_string(), text(*v).to_string());
            mine.push(Flag {
                field: "extra".into(),
                raw: text(*l).to_string(),
                origin: origin(*l),
                ..Flag::new(crate::records::FlagCode::UnrecognisedLabels)
            });
        }
        uses if run => {
            let t: String = uses.iter().map(|&k| text(k)).collect();
            let at = uses.first().map_or(at, |&k| k);
            super::apply(&mut p, Field::UseOfFunds, &t, origin(at), unit_seen);
        }
        uses => left.extend(uses),
    }

    read_plan(&parts, &found, &mut p, &mut mine, &mut left, ctx);
    read_goals(&parts, &found, &mut p, unit_seen);

    if left.len() > MAX_LEFT {
        return None;
    }
    for k in left {
        mine.push(not_aligned(
            "extra",
            text(k),
            "a line of the info block that no label of the form takes (not placed)".into(),
            origin(k),
        ));
    }
    let mut grid = grid;
    if let Some(g) = grid {
        if let Some((rows, mut cell_flags)) = super::scattered_grid::read(ctx, g, end) {
            p.indicators = rows;
            mine.append(&mut cell_flags);
            // Its lines are the grid's now, not narrative.
            grid = None;
        } else {
            let last = (g..end).rev().find_map(|i| ctx.origin(i).line());
            mine.push(not_aligned(
                "indicators",
                ctx.text(g),
                format!(
                    "the indicator grid's wrapped cells are interleaved line by line across its columns (PDF text reading order), in a way no reading of its lines settles: its rows were not read; its text (from {}{}) is kept as narrative",
                    ctx.origin(g),
                    last.map_or(String::new(), |l| format!(" to line {l}")),
                ),
                ctx.origin(g),
            ));
        }
    }
    flags.append(&mut mine);
    Some((p, grid))
}

/// The plan: the checkpoints in order, with the percentages when there are as many.
fn read_plan(
    parts: &[Part<'_>],
    found: &Found,
    p: &mut Project,
    flags: &mut Vec<Flag>,
    left: &mut Vec<usize>,
    ctx: &Ctx<'_, '_>,
) {
    let text = |k: usize| parts.get(k).map_or("", |x| x.text);
    let origin = |k: usize| parts.get(k).map(|x| ctx.origin(x.cell)).unwrap_or_default();
    let percents: Vec<usize> = found
        .amounts
        .iter()
        .copied()
        .filter(|&k| values::parse_percent(text(k)).is_some())
        .collect();
    if found.months.is_empty() {
        return;
    }
    left.retain(|k| !percents.contains(k));
    let placed = percents.len() == found.months.len();
    p.plan = found
        .months
        .iter()
        .enumerate()
        .map(|(n, &m)| {
            let mut pt = PlanPoint {
                label: text(m).to_string(),
                month: values::month_of(text(m)),
                ..PlanPoint::default()
            };
            if let (true, Some(&v)) = (placed, percents.get(n)) {
                pt.raw = text(v).to_string();
                pt.percent = values::parse_percent(text(v));
                pt.origin = origin(v);
            }
            pt
        })
        .collect();
    if !placed {
        let raw: Vec<&str> = percents.iter().map(|&k| text(k)).collect();
        flags.push(not_aligned(
            "plan",
            &raw.join("|"),
            format!(
                "{} checkpoint labels but {} percentage(s), and the text's order does not say which checkpoint each is: the values were not placed",
                found.months.len(),
                percents.len()
            ),
            found.months.first().map(|&m| origin(m)).unwrap_or_default(),
        ));
    }
}

/// The goals: each numbered line with the lines that continue it.
fn read_goals(parts: &[Part<'_>], found: &Found, p: &mut Project, unit_seen: &mut Option<String>) {
    let mut goals = String::new();
    for &(k, starts) in &found.goals {
        if starts && !goals.is_empty() {
            goals.push('\n');
        }
        goals.push_str(parts.get(k).map_or("", |x| x.text));
    }
    if !goals.is_empty() {
        super::apply(p, Field::Goals, &goals, Default::default(), unit_seen);
    }
}

/// Flag each code written without a hyphen that another code of the document has at that
/// place (`467-0201-YCN4OK6` beside `467-0602-YBN-E8OQ`): kept as written, the likely code named.
pub(super) fn flag_lost_hyphens(projects: &[Project], flags: &mut [Vec<Flag>]) {
    let groups = |c: &str| c.split('-').map(str::len).collect::<Vec<usize>>();
    let shapes: Vec<Vec<usize>> = projects
        .iter()
        .filter_map(|p| p.code.as_deref())
        .map(groups)
        .filter(|g| g.len() >= 3)
        .collect();
    for (p, fl) in projects.iter().zip(flags.iter_mut()) {
        let Some(code) = p.code.as_deref() else {
            continue;
        };
        let have = groups(code);
        let Some(cut) = shapes.iter().find_map(|shape| merged_at(&have, shape)) else {
            continue;
        };
        let (Some(a), Some(b)) = (code.get(..cut), code.get(cut..)) else {
            continue;
        };
        fl.push(Flag {
            project_seq: Some(p.seq),
            project_code: p.code.clone(),
            ..uncertain(
                "project_code",
                code,
                format!(
                    "the code lacks a hyphen another code of the document has there (likely {a}-{b}); kept as written"
                ),
                p.origin.clone(),
            )
        });
    }
}

/// Where a hyphen is missing when the group lengths `have` are `shape`'s with two adjacent
/// groups run together: the byte offset of the cut in the code.
fn merged_at(have: &[usize], shape: &[usize]) -> Option<usize> {
    if have.len() + 1 != shape.len() {
        return None;
    }
    let at = (0..have.len()).find(|&i| {
        have.get(..i) == shape.get(..i)
            && have.get(i + 1..) == shape.get(i + 2..)
            && have.get(i).copied() == shape.get(i).zip(shape.get(i + 1)).map(|(a, b)| a + b)
    })?;
    Some(have.iter().take(at).map(|n| n + 1).sum::<usize>() + shape.get(at).copied()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_wrapped_labels() {
        assert_eq!(piece("其中：财"), Some(Some(Field::BudgetFiscal)));
        assert_eq!(piece("政资金"), Some(None));
        assert_eq!(piece("及资金用"), Some(None));
        assert_eq!(piece("途"), Some(None));
        assert_eq!(piece("（%）"), Some(None));
        assert_eq!(piece("环保专项管理"), None);
        assert_eq!(piece("4621.00"), None);
    }

    /// The lookup table against comparing with every label, over every piece of them all.
    #[test]
    fn piece_lookup_is_the_label_scan() {
        let scan = |f: &str| {
            let mut starts: Option<Option<Field>> = None;
            let mut inside = false;
            for (label, field) in vocab::label_texts() {
                if label.starts_with(f) {
                    starts = match starts {
                        None => Some(field),
                        Some(g) if g == field => Some(g),
                        Some(_) => Some(None),
                    };
                } else if label.contains(f) {
                    inside = true;
                }
            }
            starts.or(inside.then_some(None))
        };
        let mut n = 0;
        for (label, _) in vocab::label_texts() {
            let chars: Vec<char> = label.chars().collect();
            for i in 0..chars.len() {
                for j in i + 1..=chars.len() {
                    let sub: String = chars[i..j].iter().collect();
                    assert_eq!(
                        pieces().get(sub.as_str()).map(|p| p.starts.unwrap_or(None)),
                        scan(&sub),
                        "{sub}"
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 1000, "{n}");
        assert_eq!(pieces().get("环保").map(|_| ()), scan("环保").map(|_| ()));
    }

    #[test]
    fn code_shapes() {
        assert_eq!(
            code_head("467-0302-YCN项目名称"),
            Some(("467-0302-YCN", "项目名称"))
        );
        assert_eq!(code_head("467-0602-YBN-"), Some(("467-0602-YBN-", "")));
        assert_eq!(code_head("467002 定州市生态环境局"), None);
        assert_eq!(code_head("4621.00"), None);
        assert!(is_tail("XDCZ") && is_tail("0NTT") && !is_tail("1") && !is_tail("2020"));
        assert!(is_month("3 月底") && !is_month("12月底前完成"));
        // Padded, full-width, or with a trailing ideographic space: still a checkpoint.
        assert!(is_month(" 12 月末 ") && is_month("１２月底") && is_month("6月底\u{3000}"));
        assert!(!is_month("月底") && !is_month("底"));
    }

    #[test]
    fn a_lost_hyphen_is_found_from_another_code() {
        // 467-0201-YCN4OK6 against 467-0602-YBN-E8OQ: cut after `467-0201-YCN`.
        assert_eq!(merged_at(&[3, 4, 7], &[3, 4, 3, 4]), Some(12));
        assert_eq!(merged_at(&[3, 4, 3, 4], &[3, 4, 3, 4]), None);
        assert_eq!(merged_at(&[3, 4, 6], &[3, 4, 3, 4]), None);
    }
}
