//! Project extraction: a label-driven pass over the logical rows of every table.

use crate::fold::{self, fold_label};
use crate::records::{Amount, Indicator, PlanPoint, Project};
use crate::values;
use crate::vocab::{self, Column, Field};
use crate::ws::TrimWs;
use crate::Options;
use std::borrow::Cow;
use std::collections::BTreeSet;
use tablift_model::{Block, Cell, Document, LogicalCell, Origin, Paragraph, Row, Table};

/// A label cell the vocabulary does not know, with where it was.
#[derive(Debug)]
pub struct Unknown {
    pub project: usize,
    pub label: String,
    pub origin: Origin,
}

/// What the table pass found.
#[derive(Debug, Default)]
pub struct Found {
    pub projects: Vec<Project>,
    /// Block indices of paragraphs used as project titles.
    pub title_blocks: BTreeSet<usize>,
    pub unknown: Vec<Unknown>,
    /// First monetary unit stated anywhere.
    pub unit: Option<String>,
    /// Set when a table had to be clipped to the limits.
    pub clipped: Vec<Origin>,
    /// The department total row of a multi-project table (`合计`).
    pub department_total: Option<Amount>,
    /// Tables nothing was recognised in: their origin and their label-like cells.
    pub unrecognised_tables: Vec<(usize, Origin, Vec<String>)>,
}

/// One column of an indicator grid, from its header cell.
#[derive(Debug)]
struct GridColumn {
    col: u32,
    span: u32,
    column: Option<Column>,
    /// A project column of a multi-project table (项目名称, 预算数, 年度目标, 单位名称, …).
    field: Option<Field>,
    /// A monetary unit stated in the header (`预算数（万元）`).
    unit: Option<&'static str>,
    header: String,
}

#[derive(Debug, Default)]
struct Current {
    project: Project,
    fields: BTreeSet<Field>,
    grid: Option<Vec<GridColumn>>,
}

#[derive(Debug, Default)]
struct State {
    found: Found,
    current: Option<Current>,
    /// The grid of a multi-project table being read (project columns beside indicator ones).
    long: Option<Vec<GridColumn>>,
    /// The department named on an earlier row of the multi-project table (vertically merged
    /// over the projects below it).
    long_department: Option<(Option<String>, Option<String>)>,
    /// Values applied so far (to tell tables that contributed nothing).
    hits: usize,
}

fn text_of<'a>(c: &LogicalCell<'a>) -> Cow<'a, str> {
    if c.continued {
        return Cow::Borrowed("");
    }
    match c.cell.paragraphs.as_slice() {
        [] => Cow::Borrowed(""),
        [one] => Cow::Borrowed(one.as_str()),
        _ => Cow::Owned(c.cell.text()),
    }
}

/// Whether the cell's text starts with a digit after leading whitespace, as
/// [`values::department`] requires first: checked on the paragraphs, so a cell of several is not
/// joined only to be rejected (they join with `\n`, which is whitespace).
fn starts_with_digit(c: &LogicalCell<'_>) -> bool {
    !c.continued
        && c.cell
            .paragraphs
            .iter()
            .map(|p| p.trim_ws_start())
            .find(|t| !t.is_empty())
            .and_then(|t| t.chars().next())
            .is_some_and(|ch| crate::fold::half_width(ch).is_ascii_digit())
}

fn is_blank(c: &LogicalCell<'_>) -> bool {
    c.continued || c.cell.paragraphs.iter().all(|p| p.trim_ws().is_empty())
}

fn cell_origin(c: &LogicalCell<'_>, row: Option<&Row>) -> Origin {
    match (&c.cell.origin, row) {
        (Origin::Unknown, Some(r)) => r.origin.clone(),
        (o, _) => o.clone(),
    }
}

/// A label hit in a cell: the field and, for an inline `label：value` cell, the value.
fn label_of(text: &str) -> Option<(Field, Option<&str>)> {
    // Labels are short: long cells are values, and folding them would be wasted work. So only
    // a colon right after a short label counts, and a long value is not searched for one.
    let mut head_len = text.len().min(MAX_LABEL_BYTES + '：'.len_utf8());
    while !text.is_char_boundary(head_len) {
        head_len -= 1;
    }
    let (left, right) = match text.get(..head_len).and_then(split_inline) {
        Some((l, _)) => {
            let r = text
                .get(l.len()..)?
                .trim_start_matches(['：', ':'])
                .trim_ws();
            (l, Some(r))
        }
        None => (text, None),
    };
    if left.len() > MAX_LABEL_BYTES {
        return None;
    }
    // The whole cell may fold to a label by itself (`预算数（万元：）`, `单位:(万元)`): that hit
    // wins, as a label without an inline value. A long `label：value` cell cannot, so its value
    // is not folded.
    if right.is_none_or(may_complete_label) {
        if let Some(f) = fold_if_label_like(text).and_then(|w| vocab::field(&w)) {
            return Some((f, None));
        }
    }
    let right = right?;
    let f = vocab::field(&fold_if_label_like(left)?)?;
    Some((f, Some(right)))
}

/// The folded text, when it could name a field or a column at all: every label ends in one of
/// a few characters (or a parenthetical), and most cells are values, so the last character
/// rejects them before the whole cell is folded.
fn fold_if_label_like(text: &str) -> Option<Cow<'_, str>> {
    let last = text.chars().rev().find_map(fold::fold_char)?;
    vocab::may_end_label(last).then(|| fold_label(text))
}

/// Whether a cell `left：right` could fold to a field label as a whole: only when
/// `fold(right)` is short enough for a lookup, or ends in a parenthetical (which a lookup strips,
/// however long). When this says no, the whole cell folds to something non-empty and unknown.
fn may_complete_label(right: &str) -> bool {
    let folded = right.chars().filter_map(fold::fold_char);
    if folded.clone().next_back() == Some(')') {
        return true;
    }
    let mut bytes = 0;
    for c in folded {
        bytes += c.len_utf8();
        if bytes > vocab::MAX_FIELD_LOOKUP_BYTES {
            return false;
        }
    }
    true
}

/// Longest label considered (in UTF-8 bytes; 20 CJK characters plus a little).
const MAX_LABEL_BYTES: usize = 64;

/// `text.find(['：', ':'])` on bytes, without decoding every char: `:` is one byte and `：` is
/// `EF BC 9A`, and in UTF-8 neither sequence occurs inside another character.
fn colon_at(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    b.iter().enumerate().position(|(i, &x)| {
        x == b':' || (x == 0xEF && b.get(i + 1..i + 3) == Some(&[0xBC, 0x9A][..]))
    })
}

fn split_inline(text: &str) -> Option<(&str, &str)> {
    let i = colon_at(text)?;
    let left = text.get(..i)?;
    let right = text.get(i..)?.trim_start_matches(['：', ':']).trim_ws();
    (!left.trim_ws().is_empty()).then_some((left, right))
}

fn column_of(text: &str) -> Option<Column> {
    if text.len() > MAX_LABEL_BYTES {
        return None;
    }
    fold_if_label_like(text).and_then(|f| vocab::column(&f))
}

/// What a cell is as a label, worked out once per cell: a row is looked at several times (as a
/// grid header, for the fields it sets, as the row below an info row), and folding and looking
/// up every cell each time was most of the normaliser's work.
#[derive(Clone, Copy, Debug, Default)]
struct CellLabel {
    /// The field of [`label_of`].
    field: Option<Field>,
    /// Whether the label carries its value inline (`label：value`).
    inline: bool,
    /// The column of [`column_of`].
    column: Option<Column>,
}

impl CellLabel {
    fn of(c: &LogicalCell<'_>) -> Self {
        if c.continued {
            return Self::default();
        }
        let t = text_of(c);
        // Most cells have no inline colon: then the label and the column lookups fold the same
        // text (see `label_of`), so fold it once.
        if t.len() <= MAX_LABEL_BYTES && colon_at(&t).is_none() {
            let (field, column) =
                fold_if_label_like(&t).map_or((None, None), |f| vocab::field_and_column(&f));
            return Self {
                field,
                inline: false,
                column,
            };
        }
        let hit = label_of(&t);
        Self {
            field: hit.map(|(f, _)| f),
            inline: hit.is_some_and(|(_, v)| v.is_some()),
            column: column_of(&t),
        }
    }

    /// Any cell a value must not be taken from: a field label, a grid header, a checkpoint
    /// label.
    fn is_any(&self) -> bool {
        self.field.is_some() || self.column.is_some()
    }
}

/// The [`CellLabel`]s of a table's logical rows, in one allocation.
struct TableLabels {
    cells: Vec<CellLabel>,
    /// Where each row's labels start in `cells`, and one past the last row.
    row_start: Vec<usize>,
}

impl TableLabels {
    fn new(rows: &[Vec<LogicalCell<'_>>]) -> Self {
        let mut cells = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        let mut row_start = Vec::with_capacity(rows.len() + 1);
        for r in rows {
            row_start.push(cells.len());
            cells.extend(r.iter().map(CellLabel::of));
        }
        row_start.push(cells.len());
        Self { cells, row_start }
    }

    /// The labels of row `ri` (empty past the last row).
    fn row(&self, ri: usize) -> &[CellLabel] {
        let (Some(&a), Some(&b)) = (self.row_start.get(ri), self.row_start.get(ri + 1)) else {
            return &[];
        };
        self.cells.get(a..b).unwrap_or(&[])
    }
}

fn is_any_label_at(labels: &[CellLabel], i: usize) -> bool {
    labels.get(i).is_some_and(CellLabel::is_any)
}

/// Short words without digits or sentence punctuation, in a label position.
fn looks_like_label(text: &str) -> bool {
    let t = text.trim_ws();
    let n = t.chars().count();
    (2..=16).contains(&n)
        && t.chars().any(values::is_cjk)
        && !t
            .chars()
            .any(|c| crate::fold::half_width(c).is_ascii_digit())
        && !t.contains(['。', '，', ',', '；', ';', '、', '《'])
}

fn is_indicator_header(labels: &[CellLabel]) -> bool {
    // A continued cell has no label of its own (see `CellLabel::of`).
    let hits: BTreeSet<Column> = labels.iter().filter_map(|l| l.column).collect();
    hits.len() >= 3 && (hits.contains(&Column::Value) || hits.contains(&Column::Level3))
}

/// Fields a row would set (for deciding that a new project starts).
fn row_fields(row: &[LogicalCell<'_>], labels: &[CellLabel]) -> BTreeSet<Field> {
    let mut out = BTreeSet::new();
    for (c, l) in row.iter().zip(labels).filter(|(c, _)| !c.continued) {
        if let Some(f) = l.field {
            if f != Field::Group {
                out.insert(f);
            }
        } else if starts_with_digit(c) && values::department(&text_of(c)).is_some() {
            out.insert(Field::Department);
        }
    }
    out
}

impl State {
    fn start_project(&mut self, title: Option<(usize, &Paragraph)>, origin: &Origin) {
        self.finish();
        let seq = u32::try_from(self.found.projects.len() + 1).unwrap_or(u32::MAX);
        let mut project = Project {
            seq,
            origin: origin.clone(),
            ..Project::default()
        };
        if let Some((bi, p)) = title {
            project.title = p.text.trim_ws().to_string();
            project.tc_entry = p.tc.as_ref().map(|t| t.entry.clone());
            project.origin = p.origin.clone();
            self.found.title_blocks.insert(bi);
        }
        self.current = Some(Current {
            project,
            ..Current::default()
        });
    }

    fn finish(&mut self) {
        if let Some(cur) = self.current.take() {
            self.found.projects.push(cur.project);
        }
    }
}

/// Clamp spans so that the grid stays within the limits (the logical view of a table with
/// astronomically wide cells is meaningless and expensive).
fn bounded<'t>(t: &'t Table, opts: &Options, clipped: &mut Vec<Origin>) -> Cow<'t, Table> {
    let too_big = t.rows.len() > opts.max_rows_per_table
        || t.rows.iter().any(|r| {
            r.cells.len() > opts.max_cells_per_row
                || r.grid_before > opts.max_grid_columns
                || r.cells.iter().any(|c| {
                    c.col_span > opts.max_grid_columns
                        || c.row_span > opts.max_rows_per_table as u32
                })
        });
    if !too_big {
        return Cow::Borrowed(t);
    }
    clipped.push(t.origin.clone());
    let max_span = opts.max_grid_columns.max(1);
    let max_rows = u32::try_from(opts.max_rows_per_table)
        .unwrap_or(u32::MAX)
        .max(1);
    let rows = t
        .rows
        .iter()
        .take(opts.max_rows_per_table)
        .map(|r| Row {
            grid_before: r.grid_before.min(max_span),
            cells: r
                .cells
                .iter()
                .take(opts.max_cells_per_row)
                .map(|c| Cell {
                    paragraphs: c.paragraphs.clone(),
                    col_span: c.col_span.clamp(1, max_span),
                    row_span: c.row_span.clamp(1, max_rows),
                    tables: Vec::new(),
                    origin: c.origin.clone(),
                })
                .collect(),
            origin: r.origin.clone(),
        })
        .collect();
    Cow::Owned(Table {
        rows,
        origin: t.origin.clone(),
    })
}

/// Run the table pass over the document.
pub fn projects(doc: &Document, opts: &Options) -> Found {
    let mut st = State::default();
    // Usually one project per table or two: reserving up front saves growing a Vec of large
    // records (each move copies them all) several times per document.
    let tables = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    st.found.projects.reserve(tables);
    let mut pending: Vec<(usize, &Paragraph)> = Vec::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        let table = match block {
            Block::Paragraph(p) => {
                // A unit line above a table (`单位：万元`) states the unit; it is no title.
                if let Some((Field::Unit, Some(v))) = label_of(p.text.trim_ws()) {
                    if let Some(u) = values::money_unit(v) {
                        st.found.unit.get_or_insert_with(|| u.to_string());
                        st.found.title_blocks.insert(bi);
                        continue;
                    }
                }
                if !p.text.trim_ws().is_empty() {
                    pending.push((bi, p));
                }
                continue;
            }
            Block::Table(t) => t,
        };
        let table = bounded(table, opts, &mut st.found.clipped);
        let rows = table.logical_rows();
        let labels = TableLabels::new(&rows);
        st.long = None;
        let hits_before = st.hits;
        let mut title = pending.last().copied();
        pending.clear();
        let mut ri = 0;
        while let Some(row) = rows.get(ri) {
            let raw_row = table.rows.get(ri);
            let row_labels = labels.row(ri);
            ri += 1;
            if row.iter().all(is_blank) {
                continue;
            }
            if is_indicator_header(row_labels) {
                st.hits += 1;
                let grid = build_grid(row, row_labels);
                let origin = raw_row.map(|r| r.origin.clone()).unwrap_or_default();
                let unknown = grid
                    .iter()
                    .filter(|g| g.column.is_none() && g.field.is_none() && !g.header.is_empty());
                let unknown: Vec<String> = unknown.map(|g| g.header.clone()).collect();
                if grid
                    .iter()
                    .any(|g| matches!(g.field, Some(Field::Name | Field::Code)))
                {
                    // One long table of many projects: rows are read by `long_row`.
                    st.finish();
                    let project = st.found.projects.len();
                    for label in unknown {
                        st.found.unknown.push(Unknown {
                            project,
                            label,
                            origin: origin.clone(),
                        });
                    }
                    st.long = Some(grid);
                    continue;
                }
                let need_new = st
                    .current
                    .as_ref()
                    .is_none_or(|c| c.grid.is_some() || !c.project.indicators.is_empty());
                if need_new {
                    st.start_project(title.take(), &origin);
                }
                let project = st.found.projects.len();
                for label in unknown {
                    st.found.unknown.push(Unknown {
                        project,
                        label,
                        origin: origin.clone(),
                    });
                }
                if let Some(cur) = st.current.as_mut() {
                    cur.grid = Some(grid);
                }
                continue;
            }
            if let Some(grid) = st.long.take() {
                long_row(&mut st, &grid, row, raw_row);
                st.long = Some(grid);
                continue;
            }
            let fields = row_fields(row, row_labels);
            if !fields.is_empty() {
                let need_new = st.current.as_ref().is_none_or(|c| {
                    c.grid.is_some() || fields.iter().any(|f| c.fields.contains(f))
                });
                if need_new {
                    st.start_project(
                        title.take(),
                        &raw_row.map(|r| r.origin.clone()).unwrap_or_default(),
                    );
                }
                let below = rows.get(ri).map(|r| Below {
                    row: r,
                    labels: labels.row(ri),
                    raw_row: table.rows.get(ri),
                });
                let consumed_below = info_row(&mut st, row, row_labels, raw_row, below);
                if consumed_below {
                    ri += 1;
                }
                continue;
            }
            let Some(cur) = st.current.as_mut() else {
                continue;
            };
            if let Some(grid) = cur.grid.as_ref() {
                if indicator_row(grid, &mut cur.project, row, raw_row) {
                    st.hits += 1;
                }
            } else {
                // A row of an info block with no known label.
                let _ = info_row(&mut st, row, row_labels, raw_row, None);
            }
        }
        if st.hits == hits_before {
            let labels = label_cells(&rows);
            st.found
                .unrecognised_tables
                .push((bi, table.origin.clone(), labels));
        }
    }
    st.long = None;
    st.finish();
    st.found
}

/// Most label-like cells reported for a table nothing was recognised in.
const MAX_REPORTED_LABELS: usize = 50;

/// The distinct label-like cells of a table's first non-blank row (its header, for a grid; its
/// first labels, for a form), in reading order.
fn label_cells(rows: &[Vec<LogicalCell<'_>>]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let first = rows.iter().find(|r| !r.iter().all(is_blank));
    for c in first.into_iter().flatten().filter(|c| !c.continued) {
        let t = text_of(c);
        let t = t.trim_ws();
        if looks_like_label(t) && seen.insert(t.to_string()) {
            out.push(t.to_string());
            if out.len() >= MAX_REPORTED_LABELS {
                break;
            }
        }
    }
    out
}

/// The columns of an indicator header row: indicator columns by the vocabulary of grid headers,
/// project columns (of a multi-project table) by the vocabulary of info labels.
fn build_grid(row: &[LogicalCell<'_>], labels: &[CellLabel]) -> Vec<GridColumn> {
    row.iter()
        .enumerate()
        .map(|(i, c)| {
            let t = text_of(c);
            let folded = fold_label(&t);
            let label = labels.get(i).copied().unwrap_or_default();
            let column = label.column;
            let field = match column {
                Some(_) => None,
                None => label.field.filter(|f| {
                    matches!(
                        f,
                        Field::Code
                            | Field::Name
                            | Field::BudgetTotal
                            | Field::BudgetFiscal
                            | Field::BudgetOther
                            | Field::UseOfFunds
                            | Field::Goals
                            | Field::Department
                    )
                }),
            };
            let unit = vocab::strip_paren(&folded).and_then(|(_, inner)| values::money_unit(inner));
            GridColumn {
                col: c.col,
                span: c.col_span.max(1),
                column,
                field,
                unit,
                header: t.trim_ws().to_string(),
            }
        })
        .collect()
}

/// The cell under a grid column: by position when the row has the header's shape (text
/// exports, where a merged cell is an empty cell), else by grid column.
fn cell_under<'r, 'a>(
    row: &'r [LogicalCell<'a>],
    grid: &[GridColumn],
    gi: usize,
) -> Option<&'r LogicalCell<'a>> {
    if row.len() == grid.len() {
        return row.get(gi);
    }
    let g = grid.get(gi)?;
    row.iter()
        .find(|c| c.col >= g.col && c.col < g.col.saturating_add(g.span))
}

/// Words naming a department total row of a multi-project table.
const TOTAL_WORDS: &[&str] = &["合计", "总计", "部门合计", "单位合计"];

/// One row of a multi-project table: project columns (merged over the project's indicator
/// rows, so blank on its later rows) and indicator columns.
fn long_row(st: &mut State, grid: &[GridColumn], row: &[LogicalCell<'_>], raw_row: Option<&Row>) {
    let text_at = |gi: usize| {
        cell_under(row, grid, gi)
            .map(|c| text_of(c).trim_ws().to_string())
            .unwrap_or_default()
    };
    let origin_at = |gi: usize| {
        cell_under(row, grid, gi)
            .map(|c| cell_origin(c, raw_row))
            .unwrap_or_default()
    };
    let key = grid
        .iter()
        .enumerate()
        .filter(|(_, g)| matches!(g.field, Some(Field::Name)))
        .chain(
            grid.iter()
                .enumerate()
                .filter(|(_, g)| matches!(g.field, Some(Field::Code))),
        )
        .map(|(gi, _)| text_at(gi))
        .find(|t| !t.is_empty());
    let dept = grid
        .iter()
        .position(|g| g.field == Some(Field::Department))
        .map(&text_at)
        .filter(|t| !t.is_empty());
    if let Some(d) = &dept {
        st.long_department = Some(match values::department(d) {
            Some((c, n)) => (Some(c), Some(n)),
            None => (None, Some(d.clone())),
        });
    }
    if key
        .as_deref()
        .is_some_and(|k| TOTAL_WORDS.contains(&fold_label(k).as_ref()))
    {
        st.hits += 1;
        if let Some(gi) = grid
            .iter()
            .position(|g| g.field == Some(Field::BudgetTotal))
        {
            let mut a = Amount::default();
            set_amount(&mut a, &text_at(gi), origin_at(gi));
            if a.unit.is_none() && a.value.is_some() {
                a.unit = grid.get(gi).and_then(|g| g.unit).map(str::to_string);
            }
            st.found.department_total = Some(a);
        }
        return;
    }
    let row_origin = raw_row.map(|r| r.origin.clone()).unwrap_or_default();
    let starts = match (&key, st.current.as_ref()) {
        (Some(k), Some(cur)) => {
            cur.project.name.as_deref() != Some(k.as_str())
                && cur.project.code.as_deref() != Some(k.as_str())
        }
        (_, None) => true,
        (None, Some(_)) => false,
    };
    if starts {
        st.start_project(None, &row_origin);
    }
    for (gi, g) in grid.iter().enumerate() {
        let Some(field) = g.field else { continue };
        let text = text_at(gi);
        if text.is_empty() {
            continue;
        }
        apply(st, field, &text, origin_at(gi));
        if let (Some(u), Some(cur)) = (g.unit, st.current.as_mut()) {
            let p = &mut cur.project;
            p.unit.get_or_insert_with(|| u.to_string());
            for a in [
                &mut p.budget_total,
                &mut p.budget_fiscal,
                &mut p.budget_other,
            ] {
                if a.value.is_some() && a.unit.is_none() {
                    a.unit = Some(u.to_string());
                }
            }
        }
    }
    let long_department = st.long_department.clone();
    let Some(cur) = st.current.as_mut() else {
        return;
    };
    if let Some((code, name)) = long_department {
        let p = &mut cur.project;
        if p.department_code.is_none() && p.department_name.is_none() {
            p.department_code = code;
            p.department_name = name;
        }
    }
    let indicator_blank = grid
        .iter()
        .enumerate()
        .all(|(gi, g)| g.field.is_some() || cell_under(row, grid, gi).is_none_or(is_blank));
    if !indicator_blank && indicator_row(grid, &mut cur.project, row, raw_row) {
        st.hits += 1;
    }
}

fn set_amount(a: &mut Amount, raw: &str, origin: Origin) {
    a.raw = raw.trim_ws().to_string();
    a.origin = origin;
    if let Some((v, unit)) = values::parse_amount(raw) {
        a.value = Some(v);
        a.unit = unit.map(str::to_string);
    }
}

/// Apply one value to the current project.
fn apply(st: &mut State, field: Field, raw: &str, origin: Origin) {
    let unit_seen = &mut st.found.unit;
    let Some(cur) = st.current.as_mut() else {
        return;
    };
    st.hits += 1;
    cur.fields.insert(field);
    let p = &mut cur.project;
    match field {
        Field::Code => p.code = Some(raw.trim_ws().to_string()),
        Field::Name => p.name = Some(raw.trim_ws().to_string()),
        Field::BudgetTotal => set_amount(&mut p.budget_total, raw, origin),
        Field::BudgetFiscal => set_amount(&mut p.budget_fiscal, raw, origin),
        Field::BudgetOther => set_amount(&mut p.budget_other, raw, origin),
        Field::UseOfFunds => p.use_of_funds = raw.trim_ws().to_string(),
        Field::Goals => {
            p.goals_raw = raw.trim_ws().to_string();
            p.goals = values::split_goals(raw);
        }
        Field::Department => {
            match values::department(raw) {
                Some((code, name)) => {
                    p.department_code = Some(code);
                    p.department_name = Some(name);
                }
                None if !raw.trim_ws().is_empty() => {
                    p.department_name = Some(raw.trim_ws().to_string())
                }
                None => {}
            }
            if !raw.trim_ws().is_empty() {
                p.department_raw = Some(raw.trim_ws().to_string());
            }
        }
        Field::Unit => {
            if let Some(u) = values::money_unit(raw) {
                p.unit = Some(u.to_string());
                if unit_seen.is_none() {
                    *unit_seen = Some(u.to_string());
                }
            }
        }
        Field::Plan | Field::Group => {}
    }
}

/// The row below an info row, which may hold its values.
#[derive(Clone, Copy)]
struct Below<'r, 'a> {
    row: &'r [LogicalCell<'a>],
    labels: &'r [CellLabel],
    raw_row: Option<&'r Row>,
}

/// Read one info row. Returns whether the row below was consumed as this row's values.
fn info_row(
    st: &mut State,
    row: &[LogicalCell<'_>],
    labels: &[CellLabel],
    raw_row: Option<&Row>,
    below: Option<Below<'_, '_>>,
) -> bool {
    let mut consumed = false;
    let mut k = 0;
    while let Some(c) = row.get(k) {
        k += 1;
        if c.continued {
            continue;
        }
        let text = text_of(c);
        if text.trim_ws().is_empty() {
            continue;
        }
        let label = labels.get(k - 1).copied().unwrap_or_default();
        let Some(field) = label.field else {
            if let Some((code, name)) = values::department(&text) {
                if let Some(cur) = st.current.as_mut() {
                    cur.fields.insert(Field::Department);
                    cur.project.department_code = Some(code);
                    cur.project.department_name = Some(name);
                    cur.project.department_raw = Some(text.trim_ws().to_string());
                }
                continue;
            }
            if looks_like_label(&text) {
                let value = row
                    .get(k..)
                    .and_then(|rest| rest.iter().position(|c| !c.continued))
                    .map(|i| k + i)
                    .filter(|&i| !is_any_label_at(labels, i));
                if let Some(i) = value {
                    k = i + 1;
                }
                let value = value
                    .and_then(|i| row.get(i))
                    .map(|v| text_of(v).trim_ws().to_string())
                    .unwrap_or_default();
                let label = text.trim_ws().to_string();
                let origin = cell_origin(c, raw_row);
                if let Some(cur) = st.current.as_mut() {
                    cur.project.extra.insert(label.clone(), value);
                }
                let project = st.found.projects.len();
                st.found.unknown.push(Unknown {
                    project,
                    label,
                    origin,
                });
            }
            continue;
        };
        if label.inline {
            // Only the (few) inline labels need their value split off again.
            if let Some((_, Some(v))) = label_of(&text) {
                apply(st, field, v, cell_origin(c, raw_row));
            }
            continue;
        }
        match field {
            Field::Group => {}
            Field::Plan => {
                let labels: Vec<&LogicalCell<'_>> = row
                    .get(k..)
                    .unwrap_or(&[])
                    .iter()
                    .filter(|c| !c.continued)
                    .collect();
                let header_len = row.len();
                k = row.len();
                let mut plan: Vec<PlanPoint> = labels
                    .iter()
                    .map(|l| {
                        let label = text_of(l).trim_ws().to_string();
                        PlanPoint {
                            month: values::month_of(&label),
                            label,
                            ..PlanPoint::default()
                        }
                    })
                    .collect();
                if let Some(Below {
                    row: brow,
                    labels: blabels,
                    raw_row: braw,
                }) = below
                {
                    if !blabels.iter().any(CellLabel::is_any) {
                        consumed = true;
                        // Same shape: align by position (the label's slot is a continued or
                        // blank cell below). Otherwise align the last cells to the last labels.
                        let vals: Vec<&LogicalCell<'_>> = if brow.len() == header_len {
                            brow.iter().skip(header_len - labels.len()).collect()
                        } else {
                            let own: Vec<&LogicalCell<'_>> =
                                brow.iter().filter(|c| !c.continued).collect();
                            let skip = own.len().saturating_sub(labels.len());
                            own.into_iter().skip(skip).collect()
                        };
                        let pad = labels.len().saturating_sub(vals.len());
                        for (pp, v) in plan.iter_mut().skip(pad).zip(vals) {
                            let raw = text_of(v).trim_ws().to_string();
                            pp.percent = values::parse_percent(&raw);
                            pp.raw = raw;
                            pp.origin = cell_origin(v, braw);
                        }
                    }
                }
                if let Some(cur) = st.current.as_mut() {
                    cur.fields.insert(Field::Plan);
                    cur.project.plan = plan;
                }
            }
            _ => {
                let next = row
                    .get(k..)
                    .unwrap_or(&[])
                    .iter()
                    .position(|c| !c.continued);
                let next_cell = next.and_then(|i| row.get(k + i));
                let next_is_label = next.is_some_and(|i| is_any_label_at(labels, k + i));
                match next_cell {
                    Some(v) if !next_is_label => {
                        k += next.unwrap_or(0) + 1;
                        let raw = text_of(v);
                        apply(st, field, &raw, cell_origin(v, raw_row));
                    }
                    _ => {
                        // A header label: the value sits on the row below.
                        if consumed {
                            continue;
                        }
                        let Some(Below {
                            row: brow,
                            labels: blabels,
                            raw_row: braw,
                        }) = below
                        else {
                            continue;
                        };
                        if brow.iter().zip(blabels).any(|(b, l)| {
                            !b.continued
                                && (l.is_any() || values::department(&text_of(b)).is_some())
                        }) {
                            continue;
                        }
                        let own: Vec<&LogicalCell<'_>> =
                            brow.iter().filter(|c| !c.continued).collect();
                        consumed = true;
                        let v = own.iter().find(|b| !is_blank(b)).or(own.last());
                        match v {
                            Some(v) => apply(st, field, &text_of(v), cell_origin(v, braw)),
                            None => apply(
                                st,
                                field,
                                "",
                                braw.map(|r| r.origin.clone()).unwrap_or_default(),
                            ),
                        }
                    }
                }
            }
        }
    }
    consumed
}

/// Read one row of an indicator grid into `project`. Returns whether an indicator was added.
fn indicator_row(
    grid: &[GridColumn],
    project: &mut Project,
    row: &[LogicalCell<'_>],
    raw_row: Option<&Row>,
) -> bool {
    // A lone cell across the grid is a note, not an indicator.
    if row.iter().filter(|c| !c.continued).count() <= 1 && grid.len() > 1 {
        return false;
    }
    let prev = project.indicators.last();
    let mut ind = Indicator {
        row: u32::try_from(project.indicators.len() + 1).unwrap_or(u32::MAX),
        origin: raw_row.map(|r| r.origin.clone()).unwrap_or_default(),
        ..Indicator::default()
    };
    let has_annual = grid.iter().any(|g| g.column == Some(Column::Value));
    let (mut value, mut op, mut unit) = (String::new(), None, None);
    let mut value_origin = ind.origin.clone();
    for (gi, g) in grid.iter().enumerate() {
        if g.field.is_some() {
            continue; // a project column of a multi-project table
        }
        let cell = cell_under(row, grid, gi);
        let text = cell
            .map(|c| text_of(c).trim_ws().to_string())
            .unwrap_or_default();
        let is_value = matches!(g.column, Some(Column::Value))
            || (matches!(g.column, Some(Column::LongTermValue)) && !has_annual);
        if let (true, Some(c)) = (is_value, cell) {
            value_origin = cell_origin(c, raw_row);
        }
        match g.column {
            Some(Column::Level1) => ind.level1 = text,
            Some(Column::Level2) => ind.level2 = text,
            Some(Column::Level3) => ind.level3 = text,
            Some(Column::Description) => ind.description = text,
            Some(Column::Value) => value = text,
            Some(Column::LongTermValue) if !has_annual => value = text,
            Some(Column::Basis) => ind.basis = text,
            Some(Column::Op) => {
                op = Some(text.clone());
                ind.extra.insert(g.header.clone(), text);
            }
            Some(Column::Unit) => {
                unit = Some(text.clone());
                ind.extra.insert(g.header.clone(), text);
            }
            Some(Column::LongTermValue | Column::Known) | None => {
                ind.extra.insert(g.header.clone(), text);
            }
        }
    }
    ind.value = values::combine_value(&value, op.as_deref(), unit.as_deref());
    ind.value.origin = value_origin;
    if let Some(p) = prev {
        if ind.level1.is_empty() {
            ind.level1 = p.level1.clone();
        }
        if ind.level2.is_empty() && (ind.level1 == p.level1) {
            ind.level2 = p.level2.clone();
        }
    }
    project.indicators.push(ind);
    true
}

/// Fold for equality tests between values and labels: `fold_label(fold_value(x))` compared,
/// but char by char without building either string (both folds work per char, and what
/// `fold_value` trims is whitespace that `fold_label` drops), stopping at the first difference.
pub fn same_text(a: &str, b: &str) -> bool {
    // `fold_value(a)` is empty exactly when `a` is blank: folding maps no other char to a space.
    // Asked last: the texts nearly always differ at their first char.
    (a == b
        || a.chars()
            .filter_map(fold::fold_value_label_char)
            .eq(b.chars().filter_map(fold::fold_value_label_char)))
        && !a.trim_ws().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold_value;

    /// `same_text` before it compared char by char.
    fn reference_same_text(a: &str, b: &str) -> bool {
        let (a, b) = (fold_value(a), fold_value(b));
        !a.is_empty() && fold_label(&a) == fold_label(&b)
    }

    /// `label_of` before it folded only what can matter.
    fn reference_label_of(text: &str) -> Option<(Field, Option<&str>)> {
        let (left, right) = match split_inline(text) {
            Some((l, r)) => (l, Some(r)),
            None => (text, None),
        };
        if left.len() > MAX_LABEL_BYTES {
            return None;
        }
        let folded = fold_label(text);
        if folded.is_empty() {
            return None;
        }
        if let Some(f) = vocab::field(&folded) {
            return Some((f, None));
        }
        let right = right?;
        vocab::field(&fold_label(left)).map(|f| (f, Some(right)))
    }

    #[test]
    fn label_of_equals_reference() {
        let long = "很长的值".repeat(40);
        let long_paren = format!("{long}（万元）");
        let spaced = format!("总{}额", " ".repeat(200));
        let texts = [
            "",
            "\u{200B}",
            "\u{200B}：\u{FEFF}",
            "项目名称",
            "项目名称：某项目",
            "项目名称:",
            "项目名称：\u{200B}",
            "单位:(万元)",
            "单位：万元",
            "金额单位：萬元",
            "预算数（万元：100）",
            "预算数（万元：4621.00）",
            "资金：总额",
            "资金：　总 额",
            "其中：财政资金",
            "其中：财政资金：100",
            "年度绩效目标：目标1：完成",
            "备注：无",
            "其中",
            "≥95%",
            "预算数（万元）",
            "预算数（万元）：100",
        ];
        let owned = [
            format!("项目名称：{long}"),
            format!("项目名称：{long_paren}"),
            format!("资金：{spaced}"),
            format!("预算数（万元：{long}）"),
            format!("{long}：项目名称"),
        ];
        // Colons around the longest label considered.
        let boundary: Vec<String> = (58..70)
            .flat_map(|n| {
                let pad = "a".repeat(n);
                let pad3 = "资".repeat(n / 3);
                [
                    format!("{pad}：金额单位"),
                    format!("{pad}:万元{long}"),
                    format!("{pad3}：金额单位"),
                    format!(" {pad3}: 万元"),
                    pad.clone(),
                ]
            })
            .collect();
        let owned = owned.iter().chain(&boundary);
        for t in texts.iter().copied().chain(owned.map(String::as_str)) {
            assert_eq!(label_of(t), reference_label_of(t), "{t:?}");
        }
        assert_eq!(label_of("单位:(万元)"), Some((Field::Unit, None)));
        assert_eq!(
            label_of("项目名称：某项目"),
            Some((Field::Name, Some("某项目")))
        );
        assert_eq!(
            label_of(&format!("资金：{spaced}")),
            Some((Field::BudgetTotal, None))
        );
    }

    #[test]
    fn colon_at_finds_the_first_colon() {
        for t in [
            "",
            "a",
            "a:b",
            "项目：名称",
            "：",
            "ab：c:d",
            "a:b：c",
            "Ｚ＜ｚ",
            "资金",
        ] {
            assert_eq!(colon_at(t), t.find(['：', ':']), "{t}");
        }
    }

    #[test]
    fn same_text_equals_reference() {
        let texts = [
            "",
            " ",
            "　",
            "≥95%",
            "≥９５％",
            "合格率",
            "合格率 ",
            "合 格 率",
            "合格率：",
            "満意度",
            "满意度",
            "滿意度",
            "A",
            "Ａ",
            "a",
            "100",
            "１００",
            "100 ",
            "10 0",
            ":",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), reference_same_text(a, b), "{a:?} {b:?}");
            }
        }
        assert!(same_text("滿意度 ", "满意度"));
        assert!(same_text("１００", "100"));
        assert!(!same_text(" ", " "));
        assert!(!same_text("合格率", "合格"));
    }
}
