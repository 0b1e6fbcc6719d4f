//! Short rows of a flattened web table put back under their columns.
//!
//! A scraper that flattens an HTML table to `|` text writes a vertically merged cell (a
//! `rowspan`) once, on its first row: the rows below it simply lack that cell, at the left
//! (`| 产出指标 | 时效指标 | … |` under a header of thirteen columns). Read by position, every
//! value of such a row would land one or more columns too far left. Here each short row after
//! the indicator header is taken as missing its leftmost cells, and those are made the
//! continuation of the cells above (their `row_span` grows), which is what the source's merge
//! was: the rest of the pass then reads the table as it reads a `.docx` with merged cells.
//!
//! How many cells a row lacks is inferred, never read, and every placed row is reported
//! ([`Placement`]) so that it is flagged `cell_placed_by_inference`: by count (the header's
//! width minus the row's), checked against the closed vocabulary (a 一级 label such as
//! `产出指标` must land in the 一级 column; a truncated last row is placed by it). When the
//! two disagree the label wins and the flag names both candidates.
//!
//! For: text tables whose source dropped merged cells (the pipe layouts). Not for: `.docx`,
//! `.doc`, HTML or PDF tables, whose merges are explicit.

use crate::fold::fold_label;
use crate::values;
use crate::vocab;
use tablift_model::{Cell, Origin, Table};

/// How a short row was placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Placement {
    /// The row's origin.
    pub origin: Origin,
    /// The row's first cell as written.
    pub first_cell: String,
    /// Cells the row has, and the header's.
    pub cells: usize,
    pub width: usize,
    /// Cells taken as missing at the left.
    pub missing: usize,
    /// The count-based candidate, when a label placed the row elsewhere.
    pub by_count: Option<usize>,
    /// Whether a 一级/二级 label in the row was there to check the placement against.
    pub checked: bool,
}

/// The 一级/二级 columns a folded label may belong in (`成本指标` and `满意度指标` are both).
fn levels_of(text: &str) -> (bool, bool) {
    let t = fold_label(text);
    (vocab::is_level1(&t), vocab::is_level2(&t))
}

/// A department or unit subtotal (`820-马踏镇部门 | 8,827,620.53`): a name and an amount and
/// nothing else. It spans the row in the source; it is not a row of the grid.
pub(crate) fn is_total_row(cells: &[Cell]) -> bool {
    let mut texts = cells
        .iter()
        .map(Cell::text)
        .filter(|t| !t.trim().is_empty());
    match (texts.next(), texts.next(), texts.next()) {
        (Some(name), Some(amount), None) => {
            values::parse_amount(&amount).is_some()
                && values::parse_amount(&name).is_none()
                && levels_of(&name) == (false, false)
        }
        _ => false,
    }
}

/// Cells missing at the left of a row, by its first 一级/二级 label (`level1_col`/`level2_col`
/// are the header's columns for them): the count when the label allows it, else the label's
/// reading. A label of both lists (`成本指标`, `满意度指标`) is the 一级 when a 二级 follows it
/// (`满意度指标 | 服务对象满意度指标`), else the 二级. `None` when the row holds no such label.
fn missing_by_label(
    cells: &[Cell],
    by_count: usize,
    level1_col: Option<usize>,
    level2_col: Option<usize>,
) -> Option<usize> {
    let texts: Vec<String> = cells.iter().map(Cell::text).collect();
    texts.iter().enumerate().find_map(|(i, t)| {
        let (mut l1, mut l2) = levels_of(t);
        if l1 && l2 {
            let next_is_level2 = texts.get(i + 1).is_some_and(|n| levels_of(n).1);
            (l1, l2) = (next_is_level2, !next_is_level2);
        }
        let as1 = l1
            .then_some(level1_col)
            .flatten()
            .and_then(|col| col.checked_sub(i));
        let as2 = l2
            .then_some(level2_col)
            .flatten()
            .and_then(|col| col.checked_sub(i));
        if as1 == Some(by_count) || as2 == Some(by_count) {
            Some(by_count)
        } else {
            as1.or(as2)
        }
    })
}

/// The header's columns that placement needs.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HeaderColumns {
    pub level1: Option<usize>,
    pub level2: Option<usize>,
    /// 三级指标: a row that would have to continue it (or anything right of it) from the row
    /// above has no indicator of its own (a closing `财政部门审核意见 | …` row).
    pub level3: Option<usize>,
    /// 指标值: a row placed by count alone must put a cell of its own with text there.
    pub value: Option<usize>,
}

/// A table with its short rows placed.
#[derive(Debug, PartialEq)]
pub(crate) struct Placed {
    pub table: Table,
    /// How each placed row was placed.
    pub placements: Vec<Placement>,
    /// Rows too short to hold an indicator of their own (and without a 一级/二级 label): they
    /// are not grid rows, and were left as they are.
    pub outside_rows: Vec<usize>,
    /// The same rows, described for their flag.
    pub outside: Vec<Placement>,
}

/// The table with its short rows after row `header` placed; `None` when no row needed it (or
/// the table has merged cells of its own: then nothing was lost).
pub(crate) fn place_short_rows(t: &Table, header: usize, cols: HeaderColumns) -> Option<Placed> {
    let HeaderColumns {
        level1: level1_col,
        level2: level2_col,
        level3: level3_col,
        value: value_col,
    } = cols;
    let width = t.rows.get(header)?.cells.len();
    let merged = t
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .any(|c| c.row_span > 1 || c.col_span > 1);
    let short = |r: &tablift_model::Row| !r.cells.is_empty() && r.cells.len() < width;
    if merged || !t.rows.iter().skip(header + 1).any(short) {
        return None;
    }
    let mut table = t.clone();
    let mut placements = Vec::new();
    let mut outside = Vec::new();
    let mut outside_rows = Vec::new();
    // For each grid column, the (row, cell) whose cell covers it on the latest row placed.
    let mut cover: Vec<Option<(usize, usize)>> = (0..width).map(|i| Some((header, i))).collect();
    for ri in header + 1..table.rows.len() {
        let Some(row) = table.rows.get(ri) else { break };
        let n = row.cells.len();
        if n == 0 || is_total_row(&row.cells) {
            continue;
        }
        if n >= width {
            // A whole row: its cells are where they are.
            for (i, slot) in cover.iter_mut().enumerate() {
                *slot = Some((ri, i));
            }
            continue;
        }
        let by_count = width.saturating_sub(n);
        let by_label = missing_by_label(&row.cells, by_count, level1_col, level2_col);
        // Placed by count alone, a row must keep a 三级 of its own and put text under 指标值.
        let no_value = |v: usize| {
            v.checked_sub(by_count)
                .and_then(|i| row.cells.get(i))
                .is_none_or(Cell::is_blank)
        };
        if by_label.is_none()
            && (level3_col.is_some_and(|l3| by_count > l3) || value_col.is_some_and(no_value))
        {
            outside.push(Placement {
                origin: row.origin.clone(),
                first_cell: row.cells.first().map(Cell::text).unwrap_or_default(),
                cells: n,
                width,
                missing: 0,
                by_count: None,
                checked: false,
            });
            outside_rows.push(ri);
            continue;
        }
        let missing = by_label.unwrap_or(by_count).min(width);
        if missing > 0 {
            placements.push(Placement {
                origin: row.origin.clone(),
                first_cell: row.cells.first().map(Cell::text).unwrap_or_default(),
                cells: n,
                width,
                missing,
                by_count: (by_label.is_some() && by_label != Some(by_count)).then_some(by_count),
                checked: by_label.is_some(),
            });
        }
        for c in 0..missing {
            let above = cover.get(c).copied().flatten();
            let grown = above.and_then(|(r, i)| table.rows.get_mut(r)?.cells.get_mut(i));
            match grown {
                Some(cell) => cell.row_span = cell.row_span.saturating_add(1),
                // Nothing above to continue: the slot stays empty (the flag says so).
                None => {
                    if let Some(row) = table.rows.get_mut(ri) {
                        let empty = Cell {
                            origin: row.origin.clone(),
                            ..Cell::default()
                        };
                        row.cells.insert(c, empty);
                    }
                }
            }
        }
        let Some(row) = table.rows.get(ri) else { break };
        let first_own = row.cells.len().saturating_sub(n);
        for i in 0..n {
            if let Some(slot) = cover.get_mut(missing + i) {
                *slot = Some((ri, first_own + i));
            }
        }
    }
    (!placements.is_empty() || !outside.is_empty()).then_some(Placed {
        table,
        placements,
        outside_rows,
        outside,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tablift_model::{Row, Table};

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Row {
                    cells: r
                        .iter()
                        .map(|t| Cell::from_text(*t, Origin::text(i as u32 + 1, 0)))
                        .collect(),
                    origin: Origin::text(i as u32 + 1, 0),
                    ..Row::default()
                })
                .collect(),
            origin: Origin::Unknown,
        }
    }

    fn logical(t: &Table) -> Vec<Vec<String>> {
        t.logical_rows()
            .iter()
            .map(|r| r.iter().map(|c| c.cell.text()).collect())
            .collect()
    }

    #[test]
    fn rows_missing_merged_cells_at_the_left_are_placed_under_their_columns() {
        let t = table(&[
            &["项目", "一级指标", "二级指标", "三级指标", "指标值"],
            &["村组干部报酬", "产出指标", "数量指标", "人数", "230人"],
            &["质量指标", "按时发放", "100%"],
            &["时限", "1年"],
            &["效益指标", "社会效益指标", "稳定", "95%"],
        ]);
        let cols = HeaderColumns {
            level1: Some(1),
            level2: Some(2),
            level3: Some(3),
            value: Some(4),
        };
        let Placed {
            table: placed,
            placements: how,
            outside,
            ..
        } = place_short_rows(&t, 0, cols).expect("placed");
        assert!(outside.is_empty());
        assert_eq!(
            logical(&placed)[2..],
            [
                ["村组干部报酬", "产出指标", "质量指标", "按时发放", "100%"],
                ["村组干部报酬", "产出指标", "质量指标", "时限", "1年"],
                ["村组干部报酬", "效益指标", "社会效益指标", "稳定", "95%"],
            ]
        );
        assert_eq!(how.len(), 3);
        assert_eq!((how[0].missing, how[0].by_count), (2, None));
        assert_eq!(how[1].first_cell, "时限");
    }

    #[test]
    fn a_label_wins_over_the_count_and_says_so() {
        // A truncated last row: by count 产出指标 would land in the 三级 column.
        let t = table(&[
            &[
                "单位",
                "项目",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
                "方向",
            ],
            &[
                "820001-镇政府",
                "报酬",
                "产出指标",
                "数量指标",
                "人数",
                "230",
                "正向",
            ],
            &["产出指标", "数量指标", "行政村数量", "11"],
        ]);
        let cols = HeaderColumns {
            level1: Some(2),
            level2: Some(3),
            level3: Some(4),
            value: Some(5),
        };
        let Placed {
            table: placed,
            placements: how,
            ..
        } = place_short_rows(&t, 0, cols).expect("placed");
        assert_eq!(
            logical(&placed)[2],
            [
                "820001-镇政府",
                "报酬",
                "产出指标",
                "数量指标",
                "行政村数量",
                "11"
            ]
        );
        assert_eq!((how[0].missing, how[0].by_count), (2, Some(3)));
    }

    #[test]
    fn totals_and_full_rows_are_left_alone_and_merged_tables_untouched() {
        let t = table(&[
            &["单位", "项目", "一级指标", "指标值"],
            &["820-马踏镇部门", "8,827,620.53", ""],
            &["820001-镇政府", "报酬", "产出指标", "1"],
        ]);
        assert!(is_total_row(&t.rows[1].cells));
        let cols = HeaderColumns {
            level1: Some(2),
            ..HeaderColumns::default()
        };
        assert_eq!(place_short_rows(&t, 0, cols), None);
        let mut m = table(&[&["a", "b"], &["c"]]);
        m.rows[0].cells[0].row_span = 2;
        assert_eq!(place_short_rows(&m, 0, HeaderColumns::default()), None);
    }

    #[test]
    fn a_row_too_short_for_an_indicator_is_outside_the_grid() {
        let t = table(&[
            &[
                "本年度绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
                "绩效标准",
            ],
            &["产出指标", "数量指标", "车辆数", "10辆", "计划标准"],
            &["财政部门审核意见", ""],
            // Three cells would fit under 三级, 指标值 and 绩效标准, but 指标值 would be blank.
            &["财政部门审核意见", "", ""],
            // A whole row with an empty value stays a grid row (its flag says the value is empty).
            &["本年度", "产出指标", "质量指标", "合格率", "", "计划标准"],
        ]);
        let cols = HeaderColumns {
            level1: Some(1),
            level2: Some(2),
            level3: Some(3),
            value: Some(4),
        };
        let placed = place_short_rows(&t, 0, cols).expect("placed");
        assert_eq!(placed.outside_rows, [2, 3]);
        assert_eq!(placed.placements.len(), 1);
        assert_eq!(placed.table.rows[2], t.rows[2]);
    }
}
