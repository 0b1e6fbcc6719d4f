//! Project extraction: a label-driven pass over the logical rows of every table.

use crate::blockset::BlockSet;
use crate::fold::{self, fold_label};
use crate::place::{self, Placement};
use crate::records::{Amount, Indicator, PlanPoint, Project};
use crate::values;
use crate::vocab::{self, Column, Field};
use crate::ws::TrimWs;
use crate::Options;
use std::borrow::Cow;
use std::collections::BTreeSet;
use tablift_model::{
    Block, Cell, Document, LogicalCell, Origin, Paragraph, Row, Table, TextLayout,
};

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
    pub title_blocks: BlockSet,
    pub unknown: Vec<Unknown>,
    /// First monetary unit stated anywhere.
    pub unit: Option<String>,
    /// Set when a table had to be clipped to the limits.
    pub clipped: Vec<Origin>,
    /// The department total row of a multi-project table (`合计`).
    pub department_total: Option<Amount>,
    /// Tables nothing was recognised in: their origin and their label-like cells.
    pub unrecognised_tables: Vec<(usize, Origin, Vec<String>)>,
    /// Rows whose missing merged cells were inferred (see `place`).
    pub placements: Vec<Placement>,
    /// Short rows left out of their grid: too short for an indicator of their own.
    pub left_out: Vec<Placement>,
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
    /// The 一级/二级 of the latest grid row (an indicator or a group's empty placeholder row),
    /// for rows whose merged cells are empty.
    levels: Levels,
}

/// The 一级 and 二级 a grid row continues.
#[derive(Debug, Default)]
struct Levels {
    level1: String,
    level2: String,
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
    /// The document is a flattened web table (`|` text): its short rows lost their merged
    /// cells at the left (see `place`).
    place_short_rows: bool,
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
    let mut st = State {
        place_short_rows: matches!(
            doc.source.layout,
            Some(TextLayout::PipeRows | TextLayout::PipeCells)
        ),
        ..State::default()
    };
    // Usually one project per table or two: reserving up front saves growing a Vec of large
    // records (each move copies them all) several times per document.
    let tables = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    st.found.projects.reserve(tables);
    // The last non-blank paragraph since the previous table: the next table's title, if any.
    let mut title: Option<(usize, &Paragraph)> = None;
    for (bi, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Paragraph(p) => {
                if !st.unit_line(bi, p) && !p.text.trim_ws().is_empty() {
                    title = Some((bi, p));
                }
            }
            Block::Table(t) => st.table(bi, t, opts, title.take()),
        }
    }
    st.long = None;
    st.finish();
    st.found
}

/// One logical row of a table with its cells' labels and the source row (for origins).
#[derive(Clone, Copy)]
struct LabelledRow<'r, 'a> {
    cells: &'r [LogicalCell<'a>],
    labels: &'r [CellLabel],
    raw: Option<&'r Row>,
}

/// The origin of a source row, if there is one.
fn row_origin(raw: Option<&Row>) -> Origin {
    raw.map(|r| r.origin.clone()).unwrap_or_default()
}

impl State {
    /// A unit line above a table (`单位：万元`) states the document's unit; it is no title.
    /// Returns whether paragraph `p` (block `bi`) was one.
    fn unit_line(&mut self, bi: usize, p: &Paragraph) -> bool {
        let text = p.text.trim_ws();
        // Both ways of stating a unit below need `单位` (or a folded 單位, the unit labels of
        // `vocab`): without its 位 no paragraph is one. Every paragraph is asked, and in a
        // flattened export that is every line, so this spares label_of's folding on them all.
        if !crate::short::holds(text, "位") {
            return false;
        }
        let u = match label_of(text) {
            Some((Field::Unit, Some(v))) => values::money_unit(v),
            // `部门:505_湘西州教育和体育局 金额单位:万元`: a unit closing a short line.
            _ if text.chars().count() <= MAX_UNIT_LINE_CHARS => values::stated_unit(text),
            _ => None,
        };
        let Some(u) = u else {
            return false;
        };
        self.found.unit.get_or_insert_with(|| u.to_string());
        self.found.title_blocks.insert(bi);
        true
    }

    /// Read table `t` (block `bi`), `title` the paragraph above it. A table that contributed
    /// nothing is reported with its label-like cells.
    fn table(
        &mut self,
        bi: usize,
        t: &Table,
        opts: &Options,
        mut title: Option<(usize, &Paragraph)>,
    ) {
        let mut table = bounded(t, opts, &mut self.found.clipped);
        let mut outside = Vec::new();
        if self.place_short_rows {
            if let Some(placed) = placed_table(&table) {
                self.found.placements.extend(placed.placements);
                self.found.left_out.extend(placed.outside);
                outside = placed.outside_rows;
                table = Cow::Owned(placed.table);
            }
        }
        let (rows, cut) = table.logical_rows_within(tablift_model::MAX_CONTINUED_CELLS);
        // One flag a table, whether its spans or its merged view went past the limits.
        if cut && self.found.clipped.last() != Some(&t.origin) {
            self.found.clipped.push(t.origin.clone());
        }
        let labels = TableLabels::new(&rows);
        let row_at = |ri: usize| {
            rows.get(ri).map(|cells| LabelledRow {
                cells,
                labels: labels.row(ri),
                raw: table.rows.get(ri),
            })
        };
        self.long = None;
        let hits_before = self.hits;
        let mut ri = 0;
        while let Some(row) = row_at(ri) {
            ri += 1;
            if row.cells.iter().all(is_blank) || outside.contains(&(ri - 1)) {
                continue;
            }
            if is_indicator_header(row.labels) {
                self.indicator_header(row, &mut title);
            } else if let Some(grid) = self.long.take() {
                long_row(self, &grid, row.cells, row.raw);
                self.long = Some(grid);
            } else if self.form_row(row, row_at(ri), &mut title) {
                ri += 1;
            }
        }
        if self.hits == hits_before {
            let labels = label_cells(&rows);
            self.found
                .unrecognised_tables
                .push((bi, table.origin.clone(), labels));
        }
    }

    /// An indicator grid's header row: it starts a multi-project table (project columns
    /// beside the indicator ones), or the grid of the current project (a new one if that has
    /// a grid already). Headers the vocabulary does not know are reported.
    fn indicator_header(
        &mut self,
        row: LabelledRow<'_, '_>,
        title: &mut Option<(usize, &Paragraph)>,
    ) {
        self.hits += 1;
        let grid = build_grid(row.cells, row.labels);
        let origin = row_origin(row.raw);
        let unknown: Vec<String> = grid
            .iter()
            .filter(|g| g.column.is_none() && g.field.is_none() && !g.header.is_empty())
            .map(|g| g.header.clone())
            .collect();
        if grid
            .iter()
            .any(|g| matches!(g.field, Some(Field::Name | Field::Code)))
        {
            // One long table of many projects: rows are read by `long_row`.
            self.finish();
            self.unknown_headers(unknown, &origin);
            self.long = Some(grid);
            return;
        }
        let need_new = self
            .current
            .as_ref()
            .is_none_or(|c| c.grid.is_some() || !c.project.indicators.is_empty());
        if need_new {
            self.start_project(title.take(), &origin);
        }
        self.unknown_headers(unknown, &origin);
        if let Some(cur) = self.current.as_mut() {
            cur.grid = Some(grid);
        }
    }

    /// Report grid headers the vocabulary does not know, for the project being read.
    fn unknown_headers(&mut self, headers: Vec<String>, origin: &Origin) {
        let project = self.found.projects.len();
        for label in headers {
            self.found.unknown.push(Unknown {
                project,
                label,
                origin: origin.clone(),
            });
        }
    }

    /// A row of a project form (outside a multi-project table, not a grid header): info
    /// labels, which start a new project when the current one has them already (or a grid);
    /// else an indicator of the current grid, or an info row with no known label. Returns
    /// whether `below` was consumed as this row's values.
    fn form_row(
        &mut self,
        row: LabelledRow<'_, '_>,
        below: Option<LabelledRow<'_, '_>>,
        title: &mut Option<(usize, &Paragraph)>,
    ) -> bool {
        let fields = row_fields(row.cells, row.labels);
        if fields.is_empty() {
            // A unit stated inside another cell (`填报单位:(盖章) 单位:万元`).
            let stated = row
                .cells
                .iter()
                .filter(|c| !c.continued)
                .find_map(|c| values::stated_unit(&text_of(c)));
            if let Some(u) = stated {
                self.found.unit.get_or_insert_with(|| u.to_string());
            }
        }
        if !fields.is_empty() {
            let need_new = self
                .current
                .as_ref()
                .is_none_or(|c| c.grid.is_some() || fields.iter().any(|f| c.fields.contains(f)));
            if need_new {
                self.start_project(title.take(), &row_origin(row.raw));
            }
            return info_row(self, row, below);
        }
        let Some(cur) = self.current.as_mut() else {
            return false;
        };
        if let Some(grid) = cur.grid.as_ref() {
            if indicator_row(grid, &mut cur.project, &mut cur.levels, row.cells, row.raw) {
                self.hits += 1;
            }
        } else {
            // A row of an info block with no known label.
            let _ = info_row(self, row, None);
        }
        false
    }
}

/// The table with the short rows below its indicator header placed (see `place`), if any
/// needed it.
fn placed_table(table: &Table) -> Option<place::Placed> {
    let rows = table.logical_rows();
    let labels = TableLabels::new(&rows);
    let header = (0..rows.len()).find(|&ri| is_indicator_header(labels.row(ri)))?;
    let col_of = |want: Column| {
        labels
            .row(header)
            .iter()
            .position(|l| l.column == Some(want))
    };
    let cols = place::HeaderColumns {
        level1: col_of(Column::Level1),
        level2: col_of(Column::Level2),
        level3: col_of(Column::Level3),
        value: col_of(Column::Value),
    };
    place::place_short_rows(table, header, cols)
}

/// Longest line above a table whose closing `单位：万元` states the unit (a sentence that ends
/// so is narrative, not a unit line).
const MAX_UNIT_LINE_CHARS: usize = 60;

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
                            | Field::PeriodGoals
                            | Field::Department
                    )
                }),
            };
            let unit = values::label_unit(&folded);
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
/// rows, so blank on its later rows) and indicator columns. A total row (`合计`) gives the
/// department total; a name or code other than the current project's starts a project.
fn long_row(st: &mut State, grid: &[GridColumn], row: &[LogicalCell<'_>], raw_row: Option<&Row>) {
    if let Some(raw) = raw_row.filter(|r| place::is_total_row(&r.cells)) {
        total_row(st, grid, raw);
        return;
    }
    let at = GridRow { grid, row, raw_row };
    let key = at.project_key();
    if let Some(d) = at.department() {
        st.long_department = Some(match values::department(&d) {
            Some((c, n)) => (Some(c), Some(n)),
            None => (None, Some(d)),
        });
    }
    if key
        .as_deref()
        .is_some_and(|k| TOTAL_WORDS.contains(&fold_label(k).as_ref()))
    {
        st.hits += 1;
        if let Some(total) = at.budget_total() {
            st.found.department_total = Some(total);
        }
        return;
    }
    let starts = match (&key, st.current.as_ref()) {
        (Some(k), Some(cur)) => {
            cur.project.name.as_deref() != Some(k.as_str())
                && cur.project.code.as_deref() != Some(k.as_str())
        }
        (_, None) => true,
        (None, Some(_)) => false,
    };
    if starts {
        st.start_project(None, &row_origin(raw_row));
    }
    project_columns(st, at);
    let long_department = st.long_department.clone();
    let Some(cur) = st.current.as_mut() else {
        return;
    };
    if let Some((code, name)) = long_department {
        // The department merged over the projects below it, unless the row named its own.
        let p = &mut cur.project;
        if p.department_code.is_none() && p.department_name.is_none() {
            p.department_code = code;
            p.department_name = name;
        }
    }
    if !at.indicators_blank()
        && indicator_row(grid, &mut cur.project, &mut cur.levels, row, raw_row)
    {
        st.hits += 1;
    }
}

/// A department or unit subtotal of a multi-project table (`820-马踏镇部门 | 8,827,620.53`,
/// spanning the row in the source): the department of the projects below, and its total (the
/// first such row's), never a project.
fn total_row(st: &mut State, grid: &[GridColumn], raw: &Row) {
    let mut texts = raw.cells.iter().filter(|c| !c.is_blank());
    let (Some(name), Some(amount)) = (texts.next(), texts.next()) else {
        return;
    };
    st.hits += 1;
    let name_text = name.text();
    st.long_department = Some(match values::department(name_text.trim_ws()) {
        Some((c, n)) => (Some(c), Some(n)),
        None => (None, Some(name_text.trim_ws().to_string())),
    });
    if st.found.department_total.is_none() {
        let mut a = Amount::default();
        set_amount(&mut a, &amount.text(), amount.origin.clone());
        if a.unit.is_none() {
            a.unit = grid
                .iter()
                .find(|g| g.field == Some(Field::BudgetTotal))
                .and_then(|g| g.unit)
                .map(str::to_string);
        }
        st.found.department_total = Some(a);
    }
}

/// A row of a multi-project table, read through the table's grid.
#[derive(Clone, Copy)]
struct GridRow<'r, 'a> {
    grid: &'r [GridColumn],
    row: &'r [LogicalCell<'a>],
    raw_row: Option<&'r Row>,
}

impl GridRow<'_, '_> {
    /// The trimmed text under grid column `gi` (empty when there is no cell).
    fn text(&self, gi: usize) -> String {
        cell_under(self.row, self.grid, gi)
            .map(|c| text_of(c).trim_ws().to_string())
            .unwrap_or_default()
    }

    fn origin(&self, gi: usize) -> Origin {
        cell_under(self.row, self.grid, gi)
            .map(|c| cell_origin(c, self.raw_row))
            .unwrap_or_default()
    }

    /// What names the row's project: the first non-empty name column, else code column.
    fn project_key(&self) -> Option<String> {
        let columns = |f: Field| {
            self.grid
                .iter()
                .enumerate()
                .filter(move |(_, g)| g.field == Some(f))
                .map(|(gi, _)| gi)
        };
        columns(Field::Name)
            .chain(columns(Field::Code))
            .map(|gi| self.text(gi))
            .find(|t| !t.is_empty())
    }

    /// The text of the (first) department column, when not empty.
    fn department(&self) -> Option<String> {
        self.grid
            .iter()
            .position(|g| g.field == Some(Field::Department))
            .map(|gi| self.text(gi))
            .filter(|t| !t.is_empty())
    }

    /// The amount of the (first) budget column, in its header's unit when it states none.
    fn budget_total(&self) -> Option<Amount> {
        let gi = self
            .grid
            .iter()
            .position(|g| g.field == Some(Field::BudgetTotal))?;
        let mut a = Amount::default();
        set_amount(&mut a, &self.text(gi), self.origin(gi));
        if a.unit.is_none() && a.value.is_some() {
            a.unit = self.grid.get(gi).and_then(|g| g.unit).map(str::to_string);
        }
        Some(a)
    }

    /// Whether every indicator column of the row is blank (a project row without indicators).
    fn indicators_blank(&self) -> bool {
        self.grid.iter().enumerate().all(|(gi, g)| {
            g.field.is_some() || cell_under(self.row, self.grid, gi).is_none_or(is_blank)
        })
    }
}

/// Apply the non-empty project columns of a row to the current project. A unit in a column's
/// header (`预算数（万元）`) becomes the project's unit, if it has none, and that of its
/// amounts stated without one.
fn project_columns(st: &mut State, at: GridRow<'_, '_>) {
    for (gi, g) in at.grid.iter().enumerate() {
        let Some(field) = g.field else { continue };
        let text = at.text(gi);
        if text.is_empty() {
            continue;
        }
        apply(st, field, &text, at.origin(gi));
        if let (Some(u), Some(cur)) = (g.unit, st.current.as_mut()) {
            let p = &mut cur.project;
            p.unit.get_or_insert_with(|| u.to_string());
            default_amount_units(p, Some(u));
        }
    }
}

/// Give the project's stated amounts without a unit of their own `unit`.
pub(crate) fn default_amount_units(p: &mut Project, unit: Option<&str>) {
    for a in [
        &mut p.budget_total,
        &mut p.budget_fiscal,
        &mut p.budget_other,
    ] {
        if a.value.is_some() && a.unit.is_none() {
            a.unit = unit.map(str::to_string);
        }
    }
}

/// Set an amount from its cell's raw text (kept as written), with the unit the cell states.
pub(crate) fn set_amount(a: &mut Amount, raw: &str, origin: Origin) {
    a.raw = raw.trim_ws().to_string();
    a.origin = origin;
    if let Some((v, unit)) = values::parse_amount(raw) {
        a.value = Some(v);
        a.unit = unit.map(str::to_string);
    } else if let Some((v, unit)) = values::noted_amount(raw) {
        a.value = Some(v);
        a.unit = Some(unit.to_string());
    }
}

/// A money unit in an info label's parenthetical (`项目资金（万元）`, `预算数（万元）`) is the
/// unit of the project's table: the project's unit when it has none, and so (in `assemble`)
/// that of its amounts stated without one. A unit in an amount's own cell still wins.
fn label_unit(st: &mut State, label: &str) {
    let label = label.trim_ws();
    if !label.ends_with([')', '）']) {
        return;
    }
    let folded = fold_label(label);
    let Some(u) = values::label_unit(&folded) else {
        return;
    };
    if let Some(cur) = st.current.as_mut() {
        cur.project.unit.get_or_insert_with(|| u.to_string());
    }
}

/// Apply one value to the current project.
fn apply(st: &mut State, field: Field, raw: &str, origin: Origin) {
    let Some(cur) = st.current.as_mut() else {
        return;
    };
    st.hits += 1;
    cur.fields.insert(field);
    set_field(&mut cur.project, field, raw, origin, &mut st.found.unit);
}

/// Set a project's field from the raw text of its value cell (the one rule for the table pass
/// and the aligner). `unit_seen` gets the first monetary unit stated.
pub(crate) fn set_field(
    p: &mut Project,
    field: Field,
    raw: &str,
    origin: Origin,
    unit_seen: &mut Option<String>,
) {
    let text = raw.trim_ws();
    match field {
        Field::Code => p.code = Some(text.to_string()),
        Field::Name => p.name = Some(text.to_string()),
        Field::BudgetTotal => set_amount(&mut p.budget_total, raw, origin),
        Field::BudgetFiscal => set_amount(&mut p.budget_fiscal, raw, origin),
        Field::BudgetOther => set_amount(&mut p.budget_other, raw, origin),
        Field::UseOfFunds => p.use_of_funds = text.to_string(),
        Field::Goals => {
            // The year's goals; period goals read first stood in for them.
            p.goals_raw = text.to_string();
            p.goals = values::split_goals(raw);
        }
        Field::PeriodGoals => {
            if p.goals_raw.is_empty() {
                p.goals_raw = text.to_string();
                p.goals = values::split_goals(raw);
            }
            p.extra
                .insert("实施期绩效目标".to_string(), text.to_string());
        }
        Field::Department => {
            match values::department(raw) {
                Some((code, name)) => {
                    p.department_code = Some(code);
                    p.department_name = Some(name);
                }
                None if !text.is_empty() => p.department_name = Some(text.to_string()),
                None => {}
            }
            if !text.is_empty() {
                p.department_raw = Some(text.to_string());
            }
        }
        Field::Unit => {
            if let Some(u) = values::money_unit(raw) {
                p.unit = Some(u.to_string());
                unit_seen.get_or_insert_with(|| u.to_string());
            }
        }
        Field::SuperiorFunds | Field::Period | Field::ProjectFundsTotal | Field::Kept(_) => {
            if let Some(key) = field.extra_key() {
                p.extra.insert(key.to_string(), text.to_string());
            }
        }
        Field::Plan | Field::Group => {}
    }
}

/// Read one info row: a label's value is the next cell of its own on the row, or for a header
/// label (followed by a label or nothing) the row below; label-like cells the vocabulary does
/// not know keep their value in `extra`. Returns whether the row below was consumed as this
/// row's values.
fn info_row(st: &mut State, row: LabelledRow<'_, '_>, below: Option<LabelledRow<'_, '_>>) -> bool {
    let mut consumed = false;
    // The next cell to read: a label's value, once read, is skipped.
    let mut k = 0;
    while let Some(c) = row.cells.get(k) {
        k += 1;
        if c.continued {
            continue;
        }
        let text = text_of(c);
        if text.trim_ws().is_empty() {
            continue;
        }
        let label = row.labels.get(k - 1).copied().unwrap_or_default();
        let Some(field) = label.field else {
            k = unlabelled_cell(st, row, c, &text, k);
            continue;
        };
        label_unit(st, &text);
        if label.inline {
            // Only the (few) inline labels need their value split off again.
            if let Some((_, Some(v))) = label_of(&text) {
                apply(st, field, v, cell_origin(c, row.raw));
            }
            continue;
        }
        match field {
            Field::Group => {}
            Field::Plan => {
                consumed |= plan_row(st, row, k, below);
                k = row.cells.len();
            }
            _ => {
                if let Some(i) = value_beside(row, k) {
                    k = i + 1;
                    if let Some(v) = row.cells.get(i) {
                        apply(st, field, &text_of(v), cell_origin(v, row.raw));
                    }
                } else if header_labels(row) > 1 && filled_cells(below) > 1 {
                    // Header labels side by side over as many texts (`中期目标 | 年度目标`):
                    // each value is the cell below its label, by grid column. One text under
                    // several headers (`资金用途` beside `预算数` with the use on the row below)
                    // is the first header's, as for a lone header label.
                    consumed |= value_under(st, field, c, below);
                } else if !consumed {
                    // A header label: the value sits on the row below.
                    consumed = value_below(st, field, below);
                }
            }
        }
    }
    consumed
}

/// The index of the value of a label at `k - 1`: the next cell of its own, unless that is a
/// label too.
fn value_beside(row: LabelledRow<'_, '_>, k: usize) -> Option<usize> {
    let i = k + row.cells.get(k..)?.iter().position(|c| !c.continued)?;
    (!is_any_label_at(row.labels, i)).then_some(i)
}

/// A non-blank cell `c` (before `k`) with no known label: a department line
/// (`467002定州市生态环境局`), or a label the vocabulary does not know, whose value (see
/// [`value_beside`]) is kept in `extra` and which is reported. Returns the next cell to read.
fn unlabelled_cell(
    st: &mut State,
    row: LabelledRow<'_, '_>,
    c: &LogicalCell<'_>,
    text: &str,
    k: usize,
) -> usize {
    if let Some((code, name)) = values::department(text) {
        if let Some(cur) = st.current.as_mut() {
            cur.fields.insert(Field::Department);
            cur.project.department_code = Some(code);
            cur.project.department_name = Some(name);
            cur.project.department_raw = Some(text.trim_ws().to_string());
        }
        return k;
    }
    if !looks_like_label(text) {
        return k;
    }
    let value = value_beside(row, k);
    let value_text = value
        .and_then(|i| row.cells.get(i))
        .map(|v| text_of(v).trim_ws().to_string())
        .unwrap_or_default();
    let label = text.trim_ws().to_string();
    let origin = cell_origin(c, row.raw);
    if let Some(cur) = st.current.as_mut() {
        cur.project.extra.insert(label.clone(), value_text);
    }
    let project = st.found.projects.len();
    st.found.unknown.push(Unknown {
        project,
        label,
        origin,
    });
    value.map_or(k, |i| i + 1)
}

/// How many header labels the row holds: known labels (not a group, not the plan, not inline)
/// with no value of their own beside them.
fn header_labels(row: LabelledRow<'_, '_>) -> usize {
    (0..row.cells.len())
        .filter(|&i| {
            let Some(c) = row.cells.get(i) else {
                return false;
            };
            let label = row.labels.get(i).copied().unwrap_or_default();
            !c.continued
                && !label.inline
                && label
                    .field
                    .is_some_and(|f| !matches!(f, Field::Group | Field::Plan))
                && value_beside(row, i + 1).is_none()
        })
        .count()
}

/// The non-blank cells of their own on a row.
fn filled_cells(row: Option<LabelledRow<'_, '_>>) -> usize {
    row.map_or(0, |r| r.cells.iter().filter(|c| !is_blank(c)).count())
}

/// Whether the row below holds only values (no label, no department line).
fn values_only(below: LabelledRow<'_, '_>) -> bool {
    !below
        .cells
        .iter()
        .zip(below.labels)
        .any(|(b, l)| !b.continued && (l.is_any() || values::department(&text_of(b)).is_some()))
}

/// The value of header label `label` (one of several on its row) on the row below, when that
/// row holds only values: the first non-blank cell of its own under the label's grid columns
/// (none there: the field stays unset). Returns whether the row below holds only values.
fn value_under(
    st: &mut State,
    field: Field,
    label: &LogicalCell<'_>,
    below: Option<LabelledRow<'_, '_>>,
) -> bool {
    let Some(below) = below.filter(|b| values_only(*b)) else {
        return false;
    };
    let (from, to) = (label.col, label.col.saturating_add(label.col_span.max(1)));
    let under = below.cells.iter().find(|b| {
        !b.continued && !is_blank(b) && b.col < to && from < b.col.saturating_add(b.col_span.max(1))
    });
    if let Some(v) = under {
        apply(st, field, &text_of(v), cell_origin(v, below.raw));
    }
    true
}

/// The value of a header label on the row below, when that row holds only values (no label,
/// no department line): its first non-blank cell, else its last one. Returns whether the row
/// below was consumed.
fn value_below(st: &mut State, field: Field, below: Option<LabelledRow<'_, '_>>) -> bool {
    let Some(below) = below.filter(|b| values_only(*b)) else {
        return false;
    };
    let own: Vec<&LogicalCell<'_>> = below.cells.iter().filter(|c| !c.continued).collect();
    match own.iter().find(|b| !is_blank(b)).or(own.last()) {
        Some(v) => apply(st, field, &text_of(v), cell_origin(v, below.raw)),
        None => apply(st, field, "", row_origin(below.raw)),
    }
    true
}

/// A 资金支出计划 label before cell `k`: its checkpoint labels (`3月底`, …) follow on the row,
/// their values are on the row below unless that holds labels. Sets the current project's
/// plan; returns whether the row below was consumed.
fn plan_row(
    st: &mut State,
    row: LabelledRow<'_, '_>,
    k: usize,
    below: Option<LabelledRow<'_, '_>>,
) -> bool {
    let mut plan: Vec<PlanPoint> = row
        .cells
        .get(k..)
        .unwrap_or(&[])
        .iter()
        .filter(|c| !c.continued)
        .map(|l| {
            let label = text_of(l).trim_ws().to_string();
            PlanPoint {
                month: values::month_of(&label),
                label,
                ..PlanPoint::default()
            }
        })
        .collect();
    let consumed = match below {
        Some(b) if !b.labels.iter().any(CellLabel::is_any) => {
            plan_values(&mut plan, row.cells.len(), b);
            true
        }
        _ => false,
    };
    if let Some(cur) = st.current.as_mut() {
        cur.fields.insert(Field::Plan);
        cur.project.plan = plan;
    }
    consumed
}

/// The checkpoints' values from the row below a plan row `header_len` cells wide. Same shape:
/// aligned by position (the label's slot is a continued or blank cell below); otherwise the
/// last cells to the last checkpoints.
fn plan_values(plan: &mut [PlanPoint], header_len: usize, below: LabelledRow<'_, '_>) {
    let n = plan.len();
    let vals: Vec<&LogicalCell<'_>> = if below.cells.len() == header_len {
        below.cells.iter().skip(header_len - n).collect()
    } else {
        let own: Vec<&LogicalCell<'_>> = below.cells.iter().filter(|c| !c.continued).collect();
        let skip = own.len().saturating_sub(n);
        own.into_iter().skip(skip).collect()
    };
    let pad = n.saturating_sub(vals.len());
    for (pp, v) in plan.iter_mut().skip(pad).zip(vals) {
        let raw = text_of(v).trim_ws().to_string();
        pp.percent = values::parse_percent(&raw);
        pp.raw = raw;
        pp.origin = cell_origin(v, below.raw);
    }
}

/// Read one row of an indicator grid into `project`. Returns whether an indicator was added.
fn indicator_row(
    grid: &[GridColumn],
    project: &mut Project,
    levels: &mut Levels,
    row: &[LogicalCell<'_>],
    raw_row: Option<&Row>,
) -> bool {
    // A lone cell across the grid is a note, not an indicator.
    if row.iter().filter(|c| !c.continued).count() <= 1 && grid.len() > 1 {
        return false;
    }
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
    // Empty merged cells continue the row above.
    if ind.level1.is_empty() {
        ind.level1.clone_from(&levels.level1);
    }
    if ind.level2.is_empty() && ind.level1 == levels.level1 {
        ind.level2.clone_from(&levels.level2);
    }
    levels.level1.clone_from(&ind.level1);
    levels.level2.clone_from(&ind.level2);
    // A row with only its 一级/二级 labels (`效益指标 | 经济效益指标 | | |`: the form's
    // placeholder for a group with no indicator) is no indicator, but rows below continue it.
    if ind.level3.is_empty()
        && ind.description.is_empty()
        && value.is_empty()
        && ind.extra.values().all(|v| v.is_empty())
    {
        return false;
    }
    ind.value = values::combine_value(&value, op.as_deref(), unit.as_deref());
    ind.value.origin = value_origin;
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
