//! The `|` layouts of web tables flattened to text (a scraper's page text, Markdown-like
//! dumps): a nom grammar for the cells of one line, and an assembler that makes rows and
//! tables of the lines as they arrive.
//!
//! Two ways of writing a table are read ([`TextLayout::PipeRows`], [`TextLayout::PipeCells`]):
//!
//! * **one row per line**: `| a | b | c |`, with or without the outer `|`, a Markdown `---`
//!   delimiter row skipped; a row whose line does not close with `|` may go on on the next
//!   line (a cell's text broken by a line end). Scrapers pad every row to the table's width
//!   with empty cells written without a space (`|||`); a row of a table without a delimiter
//!   row loses that trailing padding, so a row whose merged cells were left out (a rowspan
//!   flattened: the cells are missing at the left) keeps its true length for the normaliser to
//!   place. Empty cells written with a space (`| |`) are cells and are kept.
//! * **one cell per line**: every cell closed by a `|` (`text |`), a cell's text possibly over
//!   several lines (one paragraph each), runs of `|` as empty cells. A row starts with a lone `|`
//!   and is padded to the table's width: the width is that of the first row, which ends at the
//!   first line of two or more `|`. The row-start cell and the padding on a row's last line are
//!   dropped, for the same reason as above.
//!
//! A row holds at most [`MAX_CELLS_PER_ROW`] cells (a line of millions of `|` is a bomb, not a
//! table): the text of any further piece joins the last cell, so nothing is lost.
//!
//! Rows are never padded or shifted here: a short row stays short, with its line, for the
//! normaliser to align. For: the structure of the text. Not for: what the cells mean.

use nom::branch::alt;
use nom::bytes::complete::{is_not, tag};
use nom::character::complete::char;
use nom::combinator::{iterator, recognize};
use nom::multi::many0_count;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use tablift_model::{Block, Cell, Origin, Paragraph, Row, Table, TextLayout};

type E<'t> = nom::error::Error<&'t str>;

/// Most cells of one row (real forms have a few dozen).
pub const MAX_CELLS_PER_ROW: usize = 10_000;

/// Add `text` to `cell` as a further paragraph (none for an empty one).
fn append(cell: &mut Cell, text: String) {
    if !text.is_empty() {
        cell.paragraphs.push(text);
    }
}

/// Lines of the layout sample that decide whether a text is a pipe layout at all.
const SAMPLE_LINES: usize = 512;

/// Which pipe layout a text without TAB-led lines is in, if any: at least three lines with a
/// `|` and at least a quarter of the non-blank lines sampled; one cell per line when most of
/// those lines hold no text after their first `|`, else one row per line.
pub(crate) fn detect(text: &str) -> Option<TextLayout> {
    let (mut nonblank, mut piped, mut cell_lines) = (0usize, 0usize, 0usize);
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLE_LINES)
    {
        nonblank += 1;
        let Some(first) = line.find('|') else {
            continue;
        };
        piped += 1;
        // `text |`, `|`, `|||`: nothing but pipes and spaces after the first `|`.
        let after = line.get(first..).unwrap_or_default();
        if after.chars().all(|c| c == '|' || c.is_whitespace()) {
            cell_lines += 1;
        }
    }
    if piped < 3 || piped * 4 < nonblank {
        return None;
    }
    Some(if cell_lines * 2 > piped {
        TextLayout::PipeCells
    } else {
        TextLayout::PipeRows
    })
}

/// A cell's text up to the next unescaped `|` (`\|` is a `|` inside the cell, as in GFM).
fn cell(input: &str) -> IResult<&str, &str> {
    recognize(many0_count(alt((tag("\\|"), is_not("\\|"), tag("\\"))))).parse(input)
}

/// The `|`-separated pieces of a line, to `f` one by one (`a|b|` gives `a`, `b`, ``): as
/// `split('|')`, but escaped pipes stay in their cell.
fn pieces<'t>(line: &'t str, mut f: impl FnMut(&'t str)) {
    let Ok((after_first, first)) = cell(line) else {
        // Unreachable (`cell` accepts the empty string); the line is one piece.
        f(line);
        return;
    };
    f(first);
    let mut more = iterator(after_first, preceded(char::<_, E<'t>>('|'), cell));
    for piece in &mut more {
        f(piece);
    }
}

/// A piece's text as a cell's: trimmed, `\|` unescaped.
fn cell_text(piece: &str) -> String {
    let t = piece.trim();
    if t.contains("\\|") {
        t.replace("\\|", "|")
    } else {
        t.to_string()
    }
}

/// Whether a row is a Markdown delimiter row (`---`, `:--:` in every cell).
fn is_delimiter(pieces: &[&str]) -> bool {
    !pieces.is_empty()
        && pieces.iter().all(|p| {
            let p = p.trim().trim_start_matches(':').trim_end_matches(':');
            !p.is_empty() && p.chars().all(|c| c == '-')
        })
}

/// A cell holding `text` (none, for an empty one: an empty cell has no paragraph).
fn text_cell(text: String, origin: &Origin) -> Cell {
    Cell {
        paragraphs: if text.is_empty() {
            Vec::new()
        } else {
            vec![text]
        },
        origin: origin.clone(),
        ..Cell::default()
    }
}

fn paragraph(text: &str, origin: Origin) -> Block {
    Block::Paragraph(Paragraph {
        text: text.trim_end().to_string(),
        heading_level: None,
        tc: None,
        origin,
    })
}

/// Builds blocks from the lines of a text in a pipe layout.
pub(crate) enum Assembler {
    /// [`TextLayout::PipeRows`].
    Rows(RowsAssembler),
    /// [`TextLayout::PipeCells`].
    Cells(CellsAssembler),
}

impl Assembler {
    pub fn new(layout: TextLayout) -> Option<Assembler> {
        match layout {
            TextLayout::PipeRows => Some(Assembler::Rows(RowsAssembler::default())),
            TextLayout::PipeCells => Some(Assembler::Cells(CellsAssembler::default())),
            _ => None,
        }
    }

    pub fn line(&mut self, text: &str, no: u32, byte: u64) {
        match self {
            Assembler::Rows(a) => a.line(text, Origin::text(no, byte)),
            Assembler::Cells(a) => a.line(text, Origin::text(no, byte)),
        }
    }

    pub fn finish(self) -> Vec<Block> {
        match self {
            Assembler::Rows(a) => a.finish(),
            Assembler::Cells(a) => a.finish(),
        }
    }
}

/// A table being built by [`RowsAssembler`].
struct OpenRows {
    table: Table,
    /// Per row, the trailing empty cells written without a space (scraper padding).
    padding: Vec<usize>,
    /// A Markdown delimiter row was seen: every cell is the author's, none is padding.
    markdown: bool,
    /// The last row's line did not close with `|`: the next line may continue it.
    last_open: bool,
    /// Blank lines since the last row.
    blank_after: bool,
}

impl OpenRows {
    fn close(mut self) -> Table {
        if !self.markdown {
            for (row, &pad) in self.table.rows.iter_mut().zip(&self.padding) {
                let keep = row.cells.len().saturating_sub(pad);
                row.cells.truncate(keep);
            }
        }
        self.table
    }
}

/// [`TextLayout::PipeRows`]: one row per line.
#[derive(Default)]
pub(crate) struct RowsAssembler {
    blocks: Vec<Block>,
    open: Option<OpenRows>,
}

impl RowsAssembler {
    fn close_table(&mut self) {
        if let Some(open) = self.open.take() {
            self.blocks.push(Block::Table(open.close()));
        }
    }

    fn line(&mut self, text: &str, origin: Origin) {
        if text.trim().is_empty() {
            if let Some(open) = self.open.as_mut() {
                open.blank_after = true;
            }
            return;
        }
        if !text.contains('|') {
            match self.open.as_mut() {
                // A cell's text broken by a line end.
                Some(open) if open.last_open && !open.blank_after => {
                    if let Some(c) = open.table.rows.last_mut().and_then(|r| r.cells.last_mut()) {
                        c.paragraphs.push(cell_text(text));
                    }
                }
                _ => {
                    self.close_table();
                    self.blocks.push(paragraph(text, origin));
                }
            }
            return;
        }
        self.row_line(text, origin);
    }

    fn row_line(&mut self, text: &str, origin: Origin) {
        let mut ps: Vec<&str> = Vec::new();
        pieces(text, |p| ps.push(p));
        let starts = text.trim_start().starts_with('|');
        let ends = text.trim_end().ends_with('|') && !text.trim_end().ends_with("\\|");
        if starts && ps.first().is_some_and(|p| p.trim().is_empty()) {
            ps.remove(0);
        }
        if ends {
            ps.pop();
        }
        if is_delimiter(&ps) {
            if let Some(open) = self.open.as_mut() {
                open.markdown = true;
            }
            return;
        }
        let continues = !starts
            && self
                .open
                .as_ref()
                .is_some_and(|o| o.last_open && !o.blank_after);
        let open = self.open.get_or_insert_with(|| OpenRows {
            table: Table {
                rows: Vec::new(),
                origin: origin.clone(),
            },
            padding: Vec::new(),
            markdown: false,
            last_open: false,
            blank_after: false,
        });
        if !continues {
            open.table.rows.push(Row {
                origin: origin.clone(),
                ..Row::default()
            });
            open.padding.push(0);
        }
        let mut rest = &ps[..];
        if continues {
            if let (Some(first), Some(c)) = (
                ps.first(),
                open.table.rows.last_mut().and_then(|r| r.cells.last_mut()),
            ) {
                let t = cell_text(first);
                if !t.is_empty() {
                    c.paragraphs.push(t);
                }
                rest = ps.get(1..).unwrap_or_default();
            }
        }
        let (Some(row), Some(pad)) = (open.table.rows.last_mut(), open.padding.last_mut()) else {
            return;
        };
        for p in rest {
            if row.cells.len() >= MAX_CELLS_PER_ROW {
                if let Some(last) = row.cells.last_mut() {
                    append(last, cell_text(p));
                }
                continue;
            }
            row.cells.push(text_cell(cell_text(p), &origin));
            // Padding is the run of unspaced empty cells at the end of the row.
            *pad = if p.is_empty() { *pad + 1 } else { 0 };
        }
        open.last_open = !ends;
        open.blank_after = false;
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_table();
        self.blocks
    }
}

/// A row being built by [`CellsAssembler`].
#[derive(Default)]
struct OpenRow {
    row: Row,
    /// Slots taken (cells closed by a `|`, the row-start cell included).
    slots: usize,
    /// The cell whose text has begun but whose `|` has not come yet.
    pending: Option<Cell>,
    /// Empty cells closed by the row's latest line after its text (padding, if that line is
    /// the row's last).
    trailing_empty: usize,
}

impl OpenRow {
    fn close_cell(&mut self, origin: &Origin) {
        let cell = self
            .pending
            .take()
            .unwrap_or_else(|| text_cell(String::new(), origin));
        self.slots += 1;
        if self.row.cells.len() >= MAX_CELLS_PER_ROW {
            if let Some(last) = self.row.cells.last_mut() {
                for p in cell.paragraphs {
                    append(last, p);
                }
            }
            return;
        }
        self.row.cells.push(cell);
    }

    /// The row without its row-start cell and its padding.
    fn finish(mut self) -> Row {
        if let Some(c) = self.pending.take() {
            self.row.cells.push(c);
            self.trailing_empty = 0;
        }
        let keep = self.row.cells.len().saturating_sub(self.trailing_empty);
        self.row.cells.truncate(keep);
        if self.row.cells.first().is_some_and(Cell::is_blank) {
            self.row.cells.remove(0);
        }
        self.row
    }
}

/// [`TextLayout::PipeCells`]: one cell per line.
#[derive(Default)]
pub(crate) struct CellsAssembler {
    blocks: Vec<Block>,
    table: Option<Table>,
    row: Option<OpenRow>,
    /// Slots per row, once the first row has ended.
    width: Option<usize>,
}

impl CellsAssembler {
    fn close_row(&mut self) {
        if let Some(r) = self.row.take() {
            if self.width.is_none() {
                self.width = Some(r.slots);
            }
            if let Some(t) = self.table.as_mut() {
                t.rows.push(r.finish());
            }
        }
    }

    fn close_table(&mut self) {
        self.close_row();
        if let Some(t) = self.table.take() {
            self.blocks.push(Block::Table(t));
        }
        self.width = None;
    }

    fn line(&mut self, text: &str, origin: Origin) {
        if text.trim().is_empty() {
            return;
        }
        if !text.contains('|') {
            match self.row.as_mut() {
                // A further paragraph of the cell being written.
                Some(r) => {
                    let cell = r
                        .pending
                        .get_or_insert_with(|| text_cell(String::new(), &origin));
                    cell.paragraphs.push(text.trim().to_string());
                }
                None => {
                    self.close_table();
                    self.blocks.push(paragraph(text, origin));
                }
            }
            return;
        }
        self.piped_line(text, origin);
    }

    fn piped_line(&mut self, text: &str, origin: Origin) {
        if self.table.is_none() {
            self.table = Some(Table {
                rows: Vec::new(),
                origin: origin.clone(),
            });
        }
        let mut count = 0usize;
        let mut pipes = 0usize;
        let mut ended_first_row = false;
        pieces(text, |_| count += 1);
        if let Some(r) = self.row.as_mut() {
            r.trailing_empty = 0;
        }
        let mut k = 0usize;
        pieces(text, |p| {
            k += 1;
            let r = self.row.get_or_insert_with(|| OpenRow {
                row: Row {
                    origin: origin.clone(),
                    ..Row::default()
                },
                ..OpenRow::default()
            });
            let t = cell_text(p);
            if !t.is_empty() {
                r.pending
                    .get_or_insert_with(|| text_cell(String::new(), &origin))
                    .paragraphs
                    .push(t);
                r.trailing_empty = 0;
            }
            if k == count {
                // After the last `|`: text (if any) waits for its `|` on a later line.
                return;
            }
            pipes += 1;
            let empty = r.pending.is_none();
            r.close_cell(&origin);
            r.trailing_empty = if empty { r.trailing_empty + 1 } else { 0 };
            if self.width.is_some_and(|w| r.slots >= w) {
                ended_first_row = true;
            }
        });
        let pipes_only = text.chars().all(|c| c == '|' || c.is_whitespace());
        let full = match self.width {
            Some(_) => ended_first_row,
            // The first row ends at its first line of two or more `|` and nothing else.
            None => pipes_only && pipes >= 2,
        };
        if full {
            self.close_row();
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_table();
        self.blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(layout: TextLayout, text: &str) -> Vec<Block> {
        let mut a = Assembler::new(layout).expect("a pipe layout");
        for (i, l) in text.lines().enumerate() {
            a.line(l, i as u32 + 1, 0);
        }
        a.finish()
    }

    fn rows(b: &Block) -> Vec<Vec<String>> {
        match b {
            Block::Table(t) => t
                .rows
                .iter()
                .map(|r| r.cells.iter().map(|c| c.paragraphs.join("/")).collect())
                .collect(),
            Block::Paragraph(p) => vec![vec![format!("P:{}", p.text)]],
        }
    }

    #[test]
    fn detects_the_two_layouts_and_leaves_other_text_alone() {
        assert_eq!(
            detect("| a | b |\n| c | d |\n| e | f |\n"),
            Some(TextLayout::PipeRows)
        );
        assert_eq!(detect("a | b\nc | d\ne | f\n"), Some(TextLayout::PipeRows));
        assert_eq!(detect("t\n|\na |\nb |\n|||\n"), Some(TextLayout::PipeCells));
        assert_eq!(detect("a\nb\nc | d\n"), None);
        let prose = "x\n".repeat(20) + "a|b\nc|d\ne|f\n";
        assert_eq!(detect(&prose), None);
    }

    #[test]
    fn rows_with_and_without_outer_pipes_and_a_delimiter_row() {
        let b = blocks(
            TextLayout::PipeRows,
            "标题\n| 一级 | 二级 |\n|---|:--:|\n| 产出 | 数量 |\na | b\n\n后文\n",
        );
        assert_eq!(b.len(), 3);
        assert_eq!(rows(&b[0]), [["P:标题"]]);
        assert_eq!(
            rows(&b[1]),
            [["一级", "二级"], ["产出", "数量"], ["a", "b"]]
        );
        assert_eq!(rows(&b[2]), [["P:后文"]]);
    }

    #[test]
    fn scraper_padding_is_dropped_but_spaced_empty_cells_are_kept() {
        let b = blocks(
            TextLayout::PipeRows,
            "| 单位 | 项目 | 指标 | |\n| 820-部门 | 8.00 | ||\n| 产出 | |||\n",
        );
        assert_eq!(
            rows(&b[0]),
            vec![
                vec!["单位", "项目", "指标", ""],
                vec!["820-部门", "8.00", ""],
                vec!["产出", ""],
            ]
        );
        // With a delimiter row every cell is the author's.
        let b = blocks(TextLayout::PipeRows, "|a|b|c|\n|-|-|-|\n|x||\n");
        assert_eq!(rows(&b[0]), vec![vec!["a", "b", "c"], vec!["x", ""]]);
    }

    #[test]
    fn a_row_broken_over_lines_is_one_row() {
        let b = blocks(
            TextLayout::PipeRows,
            "| a | long\ntext | c |\n| d | e | f |\n",
        );
        assert_eq!(
            rows(&b[0]),
            vec![vec!["a", "long/text", "c"], vec!["d", "e", "f"]]
        );
        let b = blocks(TextLayout::PipeRows, "| a | long\nmore\n| d |\n");
        assert_eq!(rows(&b[0]), vec![vec!["a", "long/more"], vec!["d"]]);
        // Escaped pipes stay in the cell.
        let b = blocks(
            TextLayout::PipeRows,
            "| a\\|b | c |\n| d | e |\n| f | g |\n",
        );
        assert_eq!(rows(&b[0])[0], ["a|b", "c"]);
    }

    #[test]
    fn one_cell_per_line_rows_by_the_first_rows_width() {
        let text = "申报表\n|\n填报单位 |\n||||\n|\n名称 |\n雾炮车 |\n|||\n|\n一级 |\n二级 |\n三级 |\n值 |\n|\n|\n产出 |\n数量 |\n配备\n车辆数 |\n10辆 |\n|\n|\n射程 |\n≥80M |\n|||\n填表人\n";
        let b = blocks(TextLayout::PipeCells, text);
        assert_eq!(b.len(), 3, "{b:?}");
        assert_eq!(rows(&b[0]), [["P:申报表"]]);
        assert_eq!(
            rows(&b[1]),
            vec![
                vec!["填报单位"],
                vec!["名称", "雾炮车"],
                vec!["一级", "二级", "三级", "值"],
                vec!["产出", "数量", "配备/车辆数", "10辆"],
                vec!["射程", "≥80M"],
            ]
        );
        assert_eq!(rows(&b[2]), [["P:填表人"]]);
    }

    #[test]
    fn a_line_of_a_million_pipes_is_no_bomb() {
        let line = format!("| a | b{}", " | x".repeat(MAX_CELLS_PER_ROW + 5));
        let b = blocks(TextLayout::PipeRows, &format!("{line}\n{line}\n{line}\n"));
        let Block::Table(t) = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(t.rows[0].cells.len(), MAX_CELLS_PER_ROW);
        // Nothing is lost: the rest joins the last cell.
        assert_eq!(t.rows[0].cells.last().map(|c| c.paragraphs.len()), Some(8));
        let b = blocks(TextLayout::PipeCells, &"|".repeat(3 * MAX_CELLS_PER_ROW));
        let Block::Table(t) = &b[0] else {
            panic!("{b:?}")
        };
        assert!(t.rows.iter().all(|r| r.cells.len() <= MAX_CELLS_PER_ROW));
    }

    #[test]
    fn empty_cells_inside_a_row_are_kept() {
        let text = "|\na |\nb |\nc |\n||\n|\n效益 |\n经济 |\n|\n|\n||\n";
        let b = blocks(TextLayout::PipeCells, text);
        assert_eq!(
            rows(&b[0]),
            vec![vec!["a", "b", "c"], vec!["效益", "经济", "", ""]]
        );
    }
}
