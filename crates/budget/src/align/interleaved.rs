//! Interleaved grid: an indicator grid as a PDF's text layer gives it in reading order
//! (pdftotext without `-layout`) when the grid is one text block: each printed line of a row,
//! left to right, with one line of every cell that still has text at that height. A row whose
//! description wraps over three lines and whose value wraps over two comes as
//! `产出指标` / `时效指标` / `完成率` / `按照要求和` / `>10` / `关于开展河` / `计划完成研` /
//! `北省第二次` / `究任务的项` / … : nothing in the text says which line is whose.
//!
//! What does say it: each printed line holds, in column order, one line of each cell not yet
//! finished (cells are top-aligned); a cell's line ends where the next piece of its text
//! (a CJK character with the punctuation that may not start a line, or a Latin word) does not
//! fit in the column; the 一级 and 二级 cells are from the closed vocabularies. This module
//! enumerates every reading of the lines that keeps those rules ([`readings`]) and keeps only
//! what all of them agree on: a cell that two readings split differently is not placed, and its
//! candidates are said. A reading is a hypothesis, not a measurement: a full-width last line
//! reads the same as a wrapped one, which is why the agreement, not one reading, is the result.
//!
//! Not here: grids whose columns come as separate blocks (pdftotext's block order varies
//! within one document), cells centred vertically (their first line is not on the row's first
//! printed line: no reading exists, and nothing is placed), merged 一级 cells.

use crate::fold::fold_label;
use crate::vocab;
use std::collections::BTreeMap;

/// Most printed columns a grid may have.
const MAX_COLUMNS: usize = 8;

/// Most lines of a grid this reads; a longer one is left unread.
pub(super) const MAX_LINES: usize = 400;

/// Most search steps for one grid: past this, the readings are too many to be worth agreeing
/// on, and the grid is left unread.
const MAX_STEPS: u32 = 2_000_000;

/// Display width of a line in half-width units: CJK and full-width forms count 2.
pub(super) fn width(t: &str) -> usize {
    t.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    if c >= '\u{2E80}' && !('\u{FF61}'..='\u{FFDC}').contains(&c) {
        2
    } else {
        1
    }
}

/// Punctuation a line may not start with (it stays with the character before it).
fn closes(c: char) -> bool {
    "，。、；：？！）》」』”’】〕,.;:?!)]%".contains(c)
}

/// Width of the first unbreakable piece of `t`: a run of ASCII letters, digits and signs, or
/// one character, with the closing punctuation after it.
fn first_piece_width(t: &str) -> usize {
    let mut chars = t.chars().peekable();
    let mut w = 0;
    let word = |c: char| c.is_ascii_alphanumeric() || "<>=+-.%≥≤".contains(c);
    match chars.next() {
        Some(c) if word(c) => {
            w += char_width(c);
            while let Some(&c) = chars.peek() {
                if !word(c) {
                    break;
                }
                w += char_width(c);
                chars.next();
            }
        }
        Some(c) => w += char_width(c),
        None => return 0,
    }
    while let Some(&c) = chars.peek() {
        if !closes(c) {
            break;
        }
        w += char_width(c);
        chars.next();
    }
    w
}

/// A cell's text from its lines: a space only where a Latin word was wrapped.
pub(super) fn join<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines {
        let gap = out.ends_with(|c: char| c.is_ascii_alphanumeric())
            && l.starts_with(|c: char| c.is_ascii_alphanumeric());
        if gap {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// What a column of the grid must hold for a reading to keep it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Rule {
    /// A 一级指标 of the vocabulary, in every row: a row starts with it.
    Level1,
    /// A 二级指标 of the vocabulary, in every row.
    Level2,
    /// Any text, or nothing.
    Free,
    /// A header label of this column (every header cell has one).
    Header(vocab::Column),
}

impl Rule {
    fn holds(self, text: &str) -> bool {
        let f = fold_label(text);
        match self {
            Rule::Level1 => vocab::is_level1(&f),
            Rule::Level2 => vocab::is_level2(&f),
            Rule::Free => true,
            Rule::Header(c) => vocab::column(&f) == Some(c),
        }
    }
    fn may_start(self, text: &str) -> bool {
        let f = fold_label(text);
        match self {
            Rule::Level1 => vocab::LEVEL1.iter().any(|v| v.starts_with(f.as_ref())),
            Rule::Level2 => vocab::LEVEL2.iter().any(|v| v.starts_with(f.as_ref())),
            Rule::Free => true,
            Rule::Header(c) => vocab::column_labels().any(|(l, k)| k == c && l.starts_with(&*f)),
        }
    }
    fn required(self) -> bool {
        !matches!(self, Rule::Free)
    }
}

/// One cell of one reading: the indexes (into the lines) of its lines.
type Cell = Vec<usize>;

/// What all readings agree on, cell by cell: the lines, or `None` where readings differ.
#[derive(Debug, Default, Clone)]
pub(super) struct Agreed {
    /// Row by row, column by column.
    pub rows: Vec<Vec<Option<Cell>>>,
    /// Where readings differ: the texts they give (at most [`MAX_CANDIDATES`], in the order
    /// found).
    pub candidates: Vec<Vec<Vec<String>>>,
    /// Where readings gave more texts than are kept.
    pub more: Vec<Vec<bool>>,
    /// How many readings there were.
    pub readings: u64,
}

impl Agreed {
    fn one(row: &[Cell], lines: &[&str]) -> Agreed {
        Agreed {
            rows: vec![row.iter().map(|c| Some(c.clone())).collect()],
            candidates: vec![row.iter().map(|c| vec![text_of(c, lines)]).collect()],
            more: vec![vec![false; row.len()]],
            readings: 1,
        }
    }

    /// Agreement with another reading (or set of readings) of as many rows.
    fn merge(&mut self, other: &Agreed) {
        self.readings = self.readings.saturating_add(other.readings);
        let cells = self.rows.iter_mut().flatten();
        let cands = self.candidates.iter_mut().flatten();
        let more = self.more.iter_mut().flatten();
        let theirs = other
            .rows
            .iter()
            .flatten()
            .zip(other.candidates.iter().flatten())
            .zip(other.more.iter().flatten());
        for (((h, cs), m), ((c, ocs), om)) in cells.zip(cands).zip(more).zip(theirs) {
            if h == c {
                continue;
            }
            *h = None;
            *m |= *om;
            for t in ocs {
                if cs.contains(t) {
                    continue;
                }
                if cs.len() < MAX_CANDIDATES {
                    cs.push(t.clone());
                } else {
                    *m = true;
                }
            }
        }
    }

    /// These rows followed by `next`'s.
    fn then(&self, next: &Agreed) -> Agreed {
        let mut out = self.clone();
        out.rows.extend(next.rows.iter().cloned());
        out.candidates.extend(next.candidates.iter().cloned());
        out.more.extend(next.more.iter().cloned());
        out.readings = self.readings.saturating_mul(next.readings);
        out
    }
}

fn text_of(c: &Cell, lines: &[&str]) -> String {
    join(c.iter().filter_map(|&i| lines.get(i).copied()))
}

/// Why a grid was not read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Unread {
    /// No reading keeps the rules: the grid is not in this layout.
    NoReading,
    /// Readings give different numbers of rows.
    RowsDiffer,
    /// Too many lines, columns or readings to search.
    TooLarge,
}

/// Most candidate texts kept for a cell the readings disagree on.
const MAX_CANDIDATES: usize = 12;

/// Most ways to cut the lines into rows.
const MAX_PATHS: usize = 64;

/// The search for the readings of one row from a start line. Rows are independent given
/// where each starts, so a grid's readings are those of its rows chained: each row is
/// searched once per start line, and readings never multiply during the search.
struct RowSearch<'a> {
    lines: &'a [&'a str],
    widths: &'a [usize],
    /// The column width: the widest line.
    max_width: usize,
    rules: &'a [Rule],
    steps: u32,
    aborted: bool,
    /// The readings found, by the line after the row, agreed.
    ends: BTreeMap<usize, Agreed>,
}

impl RowSearch<'_> {
    /// Every reading of a row from `pos`: choose which optional cells have text (they have a
    /// line on the row's first printed line).
    fn run(&mut self, pos: usize) {
        let n = self.rules.len();
        let optional: Vec<usize> = (0..n)
            .filter(|&c| !self.rules.get(c).is_some_and(|r| r.required()))
            .collect();
        let mut active = Vec::with_capacity(n);
        for mask in 0u32..(1 << optional.len()) {
            active.clear();
            active.extend(
                (0..n).filter(|c| match optional.iter().position(|o| o == c) {
                    Some(k) => mask >> k & 1 == 1,
                    None => true,
                }),
            );
            let mut cells = vec![Vec::new(); n];
            let first = active.clone();
            self.choose(pos, &first, 0, &mut Vec::new(), &mut cells);
            if self.aborted {
                return;
            }
        }
    }

    /// The line at `pos` is the next line of cell `active[i]`; it ends the cell or not.
    fn choose(
        &mut self,
        pos: usize,
        active: &[usize],
        i: usize,
        next: &mut Vec<usize>,
        cells: &mut Vec<Cell>,
    ) {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.aborted = true;
        }
        if self.aborted {
            return;
        }
        let Some(&c) = active.get(i) else {
            // The printed line is complete; the next one holds the cells that go on.
            if next.is_empty() {
                self.row_end(pos, cells);
            } else {
                let following = std::mem::take(next);
                self.choose(pos, &following, 0, &mut Vec::new(), cells);
                *next = following;
            }
            return;
        };
        let (Some(line), Some(&w)) = (self.lines.get(pos), self.widths.get(pos)) else {
            return;
        };
        if w > self.max_width {
            return;
        }
        let rule = self.rules.get(c).copied().unwrap_or(Rule::Free);
        let Some(cell) = cells.get(c) else { return };
        if let Some(&prev) = cell.last() {
            // The previous line broke here only if this line's first piece did not fit on it.
            let pw = self.widths.get(prev).copied().unwrap_or(0);
            if pw + first_piece_width(line) <= self.max_width {
                return;
            }
        }
        if let Some(cell) = cells.get_mut(c) {
            cell.push(pos);
        }
        // Only a closed vocabulary's cell is judged by its text: a free one ends anywhere.
        let (may_end, may_go_on) = if rule == Rule::Free {
            (true, true)
        } else {
            let t = cells.get(c).map(|cell| text_of(cell, self.lines));
            let t = t.as_deref().unwrap_or("");
            (rule.holds(t), rule.may_start(t))
        };
        // The cell ends with this line …
        if may_end {
            self.choose(pos + 1, active, i + 1, next, cells);
        }
        // … or goes on on the next printed line.
        if may_go_on {
            next.push(c);
            self.choose(pos + 1, active, i + 1, next, cells);
            next.pop();
        }
        if let Some(cell) = cells.get_mut(c) {
            cell.pop();
        }
    }

    /// A reading of the row ends before `pos`; the next row must be able to start there.
    fn row_end(&mut self, pos: usize, cells: &[Cell]) {
        let next_ok = match (self.lines.get(pos), self.rules.first()) {
            (None, _) => true,
            (Some(l), Some(r)) => r.may_start(l),
            (Some(_), None) => false,
        };
        if !next_ok {
            return;
        }
        let one = Agreed::one(cells, self.lines);
        match self.ends.get_mut(&pos) {
            Some(a) => a.merge(&one),
            None => {
                self.ends.insert(pos, one);
            }
        }
    }
}

/// Every reading of `lines` as rows of cells under `rules` (one per column), reduced to what
/// they agree on. `one_row`: the lines are one row (a header).
pub(super) fn readings(lines: &[&str], rules: &[Rule], one_row: bool) -> Result<Agreed, Unread> {
    if lines.len() > MAX_LINES || rules.len() > MAX_COLUMNS || rules.is_empty() {
        return Err(Unread::TooLarge);
    }
    let widths: Vec<usize> = lines.iter().map(|l| width(l)).collect();
    let max_width = widths.iter().copied().max().unwrap_or(0);
    let mut steps = 0u32;
    // The rows' readings from each start line reached, searched once each.
    let mut rows_from: BTreeMap<usize, BTreeMap<usize, Agreed>> = BTreeMap::new();
    let mut todo = vec![0usize];
    while let Some(pos) = todo.pop() {
        if pos >= lines.len() || rows_from.contains_key(&pos) {
            continue;
        }
        let mut s = RowSearch {
            lines,
            widths: &widths,
            max_width,
            rules,
            steps,
            aborted: false,
            ends: BTreeMap::new(),
        };
        if rules
            .first()
            .is_some_and(|r| r.may_start(lines.get(pos).copied().unwrap_or("")))
        {
            s.run(pos);
        }
        if s.aborted {
            return Err(Unread::TooLarge);
        }
        steps = s.steps;
        if !one_row {
            todo.extend(s.ends.keys().copied());
        }
        rows_from.insert(pos, s.ends);
    }
    // Every way to cut the lines into rows, each with its rows' agreement.
    let mut paths: Vec<Agreed> = Vec::new();
    let mut stack: Vec<(usize, Agreed)> = vec![(0, Agreed::default())];
    while let Some((pos, sofar)) = stack.pop() {
        if pos == lines.len() {
            if paths.len() >= MAX_PATHS {
                return Err(Unread::TooLarge);
            }
            paths.push(sofar);
            continue;
        }
        let Some(ends) = rows_from.get(&pos) else {
            continue;
        };
        for (&end, row) in ends {
            let first = sofar.rows.is_empty();
            let next = if first { row.clone() } else { sofar.then(row) };
            if !(one_row && end != lines.len()) {
                stack.push((end, next));
            }
        }
    }
    let mut paths = paths.into_iter();
    let mut out = paths.next().ok_or(Unread::NoReading)?;
    for p in paths {
        if p.rows.len() != out.rows.len() {
            return Err(Unread::RowsDiffer);
        }
        out.merge(&p);
    }
    Ok(out)
}

/// The columns of a grid header given as printed lines (`一级指标` / `二级指标` / `三级指标` /
/// `绩效指标描` / `指标值` / `指标值确定` / `述` / `依据`): the first printed line is the run of
/// lines that start a column label; the header must then have exactly one reading.
pub(super) fn header(lines: &[&str]) -> Option<Vec<vocab::Column>> {
    let starts = |t: &str| {
        let f = fold_label(t);
        vocab::column_labels().any(|(l, _)| l.starts_with(f.as_ref()))
    };
    let n = lines.iter().take_while(|l| starts(l)).count();
    if !(2..=MAX_COLUMNS).contains(&n) {
        return None;
    }
    // Which label each first line starts is known only once the cell is read; try each
    // assignment of columns to the first lines that the vocabulary allows.
    let mut options: Vec<Vec<vocab::Column>> = Vec::new();
    for l in lines.iter().take(n) {
        let f = fold_label(l);
        let mut cs: Vec<vocab::Column> = vocab::column_labels()
            .filter(|(label, _)| label.starts_with(f.as_ref()))
            .map(|(_, c)| c)
            .collect();
        cs.sort();
        cs.dedup();
        options.push(cs);
    }
    let mut found: Option<Vec<vocab::Column>> = None;
    let mut pick = vec![0usize; n];
    loop {
        let cols: Vec<vocab::Column> = options
            .iter()
            .zip(&pick)
            .filter_map(|(o, &k)| o.get(k).copied())
            .collect();
        let rules: Vec<Rule> = cols.iter().map(|&c| Rule::Header(c)).collect();
        if let Ok(a) = readings(lines, &rules, true) {
            let whole = a.readings == 1 && a.rows.len() == 1;
            if whole {
                if found.is_some() {
                    return None;
                }
                found = Some(cols);
            } else {
                return None;
            }
        }
        // The next assignment (odometer over the options).
        let mut k = 0;
        loop {
            let Some((p, o)) = pick.get_mut(k).zip(options.get(k)) else {
                return found;
            };
            *p += 1;
            if *p < o.len() {
                break;
            }
            *p = 0;
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocab::Column as C;

    #[test]
    fn widths_and_pieces() {
        assert_eq!(width("按照要求和"), 10);
        assert_eq!(width(">10"), 3);
        assert_eq!(first_piece_width("可。"), 4);
        assert_eq!(first_piece_width("2019 年农"), 4);
        assert_eq!(join(["abc", "def"]), "abc def");
        assert_eq!(join(["《定州市", "2019 年农"]), "《定州市2019 年农");
    }

    #[test]
    fn a_header_printed_over_two_lines() {
        let lines = [
            "一级指标",
            "二级指标",
            "三级指标",
            "绩效指标描",
            "指标值",
            "指标值确定",
            "述",
            "依据",
        ];
        assert_eq!(
            header(&lines),
            Some(vec![
                C::Level1,
                C::Level2,
                C::Level3,
                C::Description,
                C::Value,
                C::Basis
            ])
        );
        // The value columns elsewhere (another text block): not this layout.
        assert_eq!(
            header(&["一级指标", "二级指标", "三级指标", "绩效指标描", "述"]).map(|c| c.len()),
            Some(4)
        );
        assert_eq!(header(&["一级指标", "述"]), None);
    }

    const RULES: [Rule; 6] = [
        Rule::Level1,
        Rule::Level2,
        Rule::Free,
        Rule::Free,
        Rule::Free,
        Rule::Free,
    ];

    fn agreed_texts(lines: &[&str], a: &Agreed) -> Vec<Vec<Option<String>>> {
        a.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| {
                        c.as_ref()
                            .map(|c| join(c.iter().filter_map(|&i| lines.get(i).copied())))
                    })
                    .collect()
            })
            .collect()
    }

    /// The seed's third grid, row 1 and 3 (pdftotext): every cell's lines interleaved.
    #[test]
    fn interleaved_rows_are_read_where_every_reading_agrees() {
        let lines = [
            "产出指标",
            "时效指标",
            "完成率",
            "按照要求和",
            ">10",
            "关于开展河",
            "计划完成研",
            "北省第二次",
            "究任务的项",
            "全国污染源",
            "目在所有立",
            "普查数据更",
            "项项目中的",
            "新试点工作",
            "比例（百分",
            "的通知",
            "比）",
            "满意度指标",
            "服务对象满",
            "群众满意度",
            "群众满意数",
            ">60",
            "关于开展河",
            "意度指标",
            "量占总数的",
            "北省第二次",
            "比例。",
            "全国污染源",
            "普查数据更",
            "新试点工作",
            "的通知",
        ];
        let a = readings(&lines, &RULES, false).unwrap();
        let t = agreed_texts(&lines, &a);
        assert_eq!(t.len(), 2);
        let basis = "关于开展河北省第二次全国污染源普查数据更新试点工作的通知";
        assert_eq!(
            t[0],
            [
                Some("产出指标".to_string()),
                Some("时效指标".into()),
                Some("完成率".into()),
                Some("按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）".into()),
                Some(">10".into()),
                Some(basis.into()),
            ]
        );
        // `群众满意度` fills its line: it may go on with `量占总数的` (and the description
        // then be `群众满意数` / `比例。`); the basis, last to end, may be `关于开展河` /
        // `比例。` with the rest elsewhere. Not placed; the candidates are said.
        assert_eq!(t[1][0].as_deref(), Some("满意度指标"));
        assert_eq!(t[1][1].as_deref(), Some("服务对象满意度指标"));
        assert_eq!(t[1][2], None);
        assert_eq!(t[1][3], None);
        assert_eq!(t[1][4].as_deref(), Some(">60"));
        assert_eq!(t[1][5], None);
        let c = &a.candidates[1][2];
        assert!(c.contains(&"群众满意度".to_string()), "{c:?}");
        assert!(c.contains(&"群众满意度量占总数的".to_string()), "{c:?}");
        assert!(a.candidates[1][5].contains(&basis.to_string()));
    }

    #[test]
    fn lines_out_of_this_layout_give_no_reading() {
        // A row's 一级 after its description: the cells are not top-aligned.
        let lines = ["按照要求和", "产出指标", "时效指标", "完成率"];
        assert_eq!(
            readings(&lines, &RULES, false).err(),
            Some(Unread::NoReading)
        );
        // A line wider than the widest wrapped line before it cannot be a wrap.
        let lines = ["产出指标", "数量指标", "甲", "乙", "丙", "丁", "戊"];
        let a = readings(&lines, &RULES, false);
        assert!(a.is_err(), "{a:?}");
    }
}
