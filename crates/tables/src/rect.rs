//! A table as a rectangle: the grid of slots its cells cover, the header rows found at its
//! top, and the rule that says what a merged cell's covered slots hold.
//!
//! The rules, documented for users in docs/FORMATS.md ("Every table as its own CSV"):
//!
//! - **Width**: the grid's width, the rightmost column any cell of any row reaches.
//! - **Merged cells** (`--spans`): `fill` (the default, what `pandas.read_html` does) writes a
//!   merged cell's text in every slot it covers; `blank` writes it in its top-left slot only.
//!   Header rows are always filled (a group header names every column under it).
//! - **Header rows**: the first row is a header when it has at least two slots, at least half
//!   of them have text, it has a cell of its own for at least half of them (a banner such as
//!   `467002定州市生态环境局 | 单位：万元` across seven columns is a title), and every text in it reads like a label (no number, amount,
//!   percentage or code such as `467-0201-YCN-4OK6`, at most [`MAX_LABEL_CHARS`] characters),
//!   and a row follows it. A cell of the first row spanning rows, or a group label spanning
//!   columns over a second label-like row, extends the header downwards (at most
//!   [`MAX_HEADER_ROWS`]). A column's name joins its distinct header texts top to bottom with
//!   ` / ` (`一级 / 二级`); a column without one is `cN`; a repeated name gets ` (2)`, ` (3)`.
//!   A form-like table (labels beside values) has no header: its columns are `c1`…`cN`.
//!
//! Not for: deciding what a table means; this is layout only.

use std::borrow::Cow;
use tablift_model::LogicalCell;

/// The widest table written as a rectangle; a wider grid (a hostile `gridBefore`, a runaway
/// `colspan`) is listed in the index with a note and no file.
pub const MAX_COLUMNS: usize = 1024;

/// The most rows taken as a header.
pub const MAX_HEADER_ROWS: usize = 4;

/// The longest text (in characters) still read as a column label.
pub const MAX_LABEL_CHARS: usize = 40;

/// What a merged cell's covered slots hold in the rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Spans {
    /// Every slot a merged cell covers holds its text.
    #[default]
    Fill,
    /// Only the merged cell's top-left slot holds its text; the others are empty.
    Blank,
}

impl Spans {
    /// The rule's name, as `--spans` takes it and the manifest records it.
    pub fn as_str(self) -> &'static str {
        match self {
            Spans::Fill => "fill",
            Spans::Blank => "blank",
        }
    }
}

/// The grid of a table: one row of slot texts per table row.
pub struct Grid<'t> {
    /// Slot texts, `width` per row; a slot no cell covers is empty.
    pub rows: Vec<Vec<Cow<'t, str>>>,
    /// Columns.
    pub width: usize,
}

/// A cell's text as the rectangle shows it: paragraphs joined by `\n`, borrowed when it has
/// one paragraph (almost every cell).
fn slot_text<'t>(lc: &LogicalCell<'t>) -> Cow<'t, str> {
    match lc.cell.visible_paragraphs() {
        [] => Cow::Borrowed(""),
        [one] => Cow::Borrowed(one.as_str()),
        many => Cow::Owned(many.join("\n")),
    }
}

/// The grid's width, or `None` past [`MAX_COLUMNS`].
pub fn width(logical: &[Vec<LogicalCell<'_>>]) -> Option<usize> {
    let mut width: u64 = 0;
    for lc in logical.iter().flatten() {
        width = width.max(u64::from(lc.col) + u64::from(lc.col_span.max(1)));
    }
    usize::try_from(width).ok().filter(|w| *w <= MAX_COLUMNS)
}

/// Lay out `logical` (the table's logical rows) on a grid `width` wide.
pub fn grid<'t>(logical: &[Vec<LogicalCell<'t>>], width: usize, spans: Spans) -> Grid<'t> {
    let rows = logical
        .iter()
        .map(|row| {
            let mut slots = vec![Cow::Borrowed(""); width];
            for lc in row {
                let text = slot_text(lc);
                let start = usize::try_from(lc.col).unwrap_or(usize::MAX);
                let span = usize::try_from(lc.col_span.max(1)).unwrap_or(usize::MAX);
                let end = start.saturating_add(span).min(width);
                for (k, slot) in slots.iter_mut().enumerate().take(end).skip(start) {
                    let origin_slot = k == start && !lc.continued;
                    if origin_slot || spans == Spans::Fill {
                        *slot = text.clone();
                    }
                }
            }
            slots
        })
        .collect();
    Grid { rows, width }
}

/// How many of the grid's first rows are a header (0 for none), by the rules above. `logical`
/// gives the spans the grid no longer shows.
pub fn header_rows(logical: &[Vec<LogicalCell<'_>>], grid: &Grid<'_>) -> usize {
    let (Some(first), Some(first_cells)) = (grid.rows.first(), logical.first()) else {
        return 0;
    };
    // A banner (`467002定州市生态环境局 | 单位：万元` over seven columns) is a title, not
    // labels: a header has a cell of its own for at least half the columns.
    let own_cells = first_cells
        .iter()
        .filter(|lc| !lc.continued && !lc.cell.is_blank())
        .count();
    if grid.rows.len() < 2 || grid.width < 2 || own_cells * 2 < grid.width || !is_label_row(first) {
        return 0;
    }
    // A first-row cell spanning rows carries the header down with it.
    let by_row_span = first_cells
        .iter()
        .map(|lc| usize::try_from(lc.cell.row_span.max(1)).unwrap_or(usize::MAX))
        .max()
        .unwrap_or(1);
    // A group label over several columns names the label row beneath it.
    let grouped = first_cells.iter().any(|lc| lc.col_span > 1);
    let mut rows = by_row_span;
    if grouped && rows < 2 && grid.rows.get(1).is_some_and(|r| is_label_row(r)) {
        rows = 2;
    }
    // Leave at least one data row.
    rows.min(MAX_HEADER_ROWS).min(grid.rows.len() - 1)
}

/// Whether a row reads as column labels: at least half its slots have text, and all do
/// read as labels.
fn is_label_row(slots: &[Cow<'_, str>]) -> bool {
    let filled = slots.iter().filter(|s| !s.trim().is_empty()).count();
    filled * 2 >= slots.len()
        && slots
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .all(is_label)
}

/// Whether a text reads as a column label rather than a value.
fn is_label(text: &str) -> bool {
    text.chars().count() <= MAX_LABEL_CHARS && !is_number(text) && !is_code(text)
}

/// A number as tables write them: `4,621.00`, `-3`, `95%`, `￥20.00`, `≥60`.
fn is_number(text: &str) -> bool {
    let core = text
        .trim_start_matches(['￥', '¥', '$', '+', '-', '≥', '≤', '>', '<', '='])
        .trim_end_matches(['%', '％', '‰', '元'])
        .trim();
    !core.is_empty()
        && core.chars().any(|c| c.is_ascii_digit())
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' '))
}

/// An identifier: one token of ASCII letters, digits and `-`/`_`/`.`/`/`, with digits and
/// either letters or separators (`467-0201-YCN-4OK6`, `2020-03-31`, `A12`).
fn is_code(text: &str) -> bool {
    let ok = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    let digits = text.chars().any(|c| c.is_ascii_digit());
    let others = text
        .chars()
        .any(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '_' | '/'));
    ok && digits && others
}

/// The column names: each column's distinct header texts joined with ` / `, `cN` where there
/// are none, repeated names numbered.
pub fn column_names(grid: &Grid<'_>, header_rows: usize) -> Vec<String> {
    let mut names: Vec<String> = (0..grid.width)
        .map(|col| {
            let mut parts: Vec<&str> = Vec::new();
            for row in grid.rows.iter().take(header_rows) {
                let t = row.get(col).map_or("", |s| s.trim());
                if !t.is_empty() && parts.last() != Some(&t) {
                    parts.push(t);
                }
            }
            if parts.is_empty() {
                format!("c{}", col + 1)
            } else {
                parts.join(" / ")
            }
        })
        .collect();
    number_repeats(&mut names);
    names
}

/// `["a", "a", "b"]` → `["a", "a (2)", "b"]`, so that every column can be told apart.
fn number_repeats(names: &mut [String]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for name in names.iter_mut() {
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let renamed = format!("{name} ({n})");
            *name = renamed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tablift_model::{Cell, Origin, Row, Table};

    fn cell(text: &str, col_span: u32, row_span: u32) -> Cell {
        Cell {
            col_span,
            row_span,
            ..Cell::from_text(text, Origin::Unknown)
        }
    }

    fn table(rows: Vec<Vec<Cell>>) -> Table {
        Table {
            rows: rows
                .into_iter()
                .map(|cells| Row {
                    cells,
                    ..Row::default()
                })
                .collect(),
            origin: Origin::Unknown,
        }
    }

    fn layout(t: &Table, spans: Spans) -> (Vec<String>, Vec<Vec<String>>) {
        let logical = t.logical_rows();
        let w = width(&logical).unwrap();
        let g = grid(&logical, w, spans);
        let h = header_rows(&logical, &g);
        let names = column_names(&g, h);
        let rows = g
            .rows
            .iter()
            .skip(h)
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        (names, rows)
    }

    /// 一级 over two 二级 columns, 项目 spanning both header rows, one data row.
    fn grouped() -> Table {
        table(vec![
            vec![cell("项目", 1, 2), cell("资金", 2, 1)],
            vec![cell("财政", 1, 1), cell("其他", 1, 1)],
            vec![cell("甲", 1, 1), cell("4,621.00", 1, 1), cell("", 1, 1)],
        ])
    }

    #[test]
    fn a_two_row_header_names_columns_with_both_levels() {
        let (names, rows) = layout(&grouped(), Spans::Fill);
        assert_eq!(names, ["项目", "资金 / 财政", "资金 / 其他"]);
        assert_eq!(rows, [["甲", "4,621.00", ""]]);
    }

    #[test]
    fn merged_cells_fill_or_leave_blank_by_the_rule() {
        let t = table(vec![
            vec![cell("一级", 1, 1), cell("二级", 1, 1), cell("值", 1, 1)],
            vec![cell("产出指标", 1, 2), cell("数量指标", 2, 1)],
            vec![cell("质量指标", 1, 1), cell("100%", 1, 1)],
        ]);
        let (names, fill) = layout(&t, Spans::Fill);
        assert_eq!(names, ["一级", "二级", "值"]);
        assert_eq!(
            fill,
            [
                ["产出指标", "数量指标", "数量指标"],
                ["产出指标", "质量指标", "100%"]
            ]
        );
        let (_, blank) = layout(&t, Spans::Blank);
        assert_eq!(
            blank,
            [["产出指标", "数量指标", ""], ["", "质量指标", "100%"]]
        );
    }

    #[test]
    fn a_form_with_values_in_its_first_row_has_no_header() {
        let t = table(vec![
            vec![
                cell("项目编码", 1, 1),
                cell("467-0201-YCN-4OK6", 1, 1),
                cell("项目名称", 1, 1),
            ],
            vec![cell("预算数", 1, 1), cell("4621.00", 2, 1)],
        ]);
        let (names, rows) = layout(&t, Spans::Fill);
        assert_eq!(names, ["c1", "c2", "c3"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], ["预算数", "4621.00", "4621.00"]);
    }

    #[test]
    fn a_banner_row_over_the_table_is_not_a_header() {
        let labels = ["一级指标", "二级指标", "三级指标", "描述", "指标值"];
        let values = ["产出指标", "时效指标", "完成率", "按计划", "≥60"];
        let t = table(vec![
            vec![
                cell("467002定州市生态环境局", 4, 1),
                cell("单位：万元", 1, 1),
            ],
            labels.iter().map(|l| cell(l, 1, 1)).collect(),
            values.iter().map(|v| cell(v, 1, 1)).collect(),
        ]);
        assert_eq!(layout(&t, Spans::Fill).0, ["c1", "c2", "c3", "c4", "c5"]);
    }

    #[test]
    fn a_lone_row_or_a_numeric_first_row_is_data() {
        let one = table(vec![vec![cell("a", 1, 1), cell("b", 1, 1)]]);
        assert_eq!(layout(&one, Spans::Fill).0, ["c1", "c2"]);
        let numeric = table(vec![
            vec![cell("2020", 1, 1), cell("95%", 1, 1)],
            vec![cell("x", 1, 1), cell("y", 1, 1)],
        ]);
        assert_eq!(layout(&numeric, Spans::Fill).0, ["c1", "c2"]);
    }

    #[test]
    fn repeated_and_missing_names_are_told_apart() {
        let t = table(vec![
            vec![cell("指标", 1, 1), cell("指标", 1, 1), cell("", 1, 1)],
            vec![cell("a", 1, 1), cell("b", 1, 1), cell("c", 1, 1)],
        ]);
        assert_eq!(layout(&t, Spans::Fill).0, ["指标", "指标 (2)", "c3"]);
    }

    #[test]
    fn a_grid_wider_than_the_cap_has_no_width() {
        let row = Row {
            grid_before: u32::MAX - 1,
            cells: vec![cell("x", 1, 1)],
            ..Row::default()
        };
        let t = Table {
            rows: vec![row],
            origin: Origin::Unknown,
        };
        assert_eq!(width(&t.logical_rows()), None);
    }

    #[test]
    fn label_and_value_tests() {
        for v in [
            "4,621.00",
            "95%",
            "≥60",
            "-3",
            "467-0201-YCN-4OK6",
            "2020-03-31",
        ] {
            assert!(!is_label(v), "{v}");
        }
        for l in ["项目编码", "一级指标", "2020年预算数", "3月底", "A"] {
            assert!(is_label(l), "{l}");
        }
    }
}
