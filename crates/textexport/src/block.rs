//! The block grammar (nom, on a run of classified lines): how lines make paragraphs, rows and
//! tables in each layout.
//!
//! For: the structure of the text. The input is a slice of [`Line`]s (kind, line number, byte
//! offset), a nom [`Input`] of its own, so that nom's combinators work on lines as they do on
//! characters. It is parsed in pieces as lines arrive (see `build`): at the end of a piece that
//! is not the end of the text, a table that could still go on answers `Incomplete`, nom's
//! streaming signal, and is parsed again with more lines. Not for: what a single line says
//! (`line`) or decoding (`decode`).

use std::iter::{Copied, Enumerate};
use std::slice::Iter;

use nom::branch::alt;
use nom::combinator::{peek, verify};
use nom::error::{Error, ErrorKind};
use nom::multi::fold_many0;
use nom::sequence::preceded;
use nom::{Err, IResult, Input, Needed, Parser};
use tablift_model::{Block, Cell, Origin, Paragraph, Row, Table, TextLayout};

use crate::line::{self, Kind};

/// One classified line and where it starts in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Line<'t> {
    pub kind: Kind<'t>,
    /// 1-based line number (of the first line, for a run of blank lines).
    pub no: u32,
    /// Byte offset of the line start in the original input.
    pub byte: u64,
}

impl Line<'_> {
    fn origin(&self) -> Origin {
        Origin::text(self.no, self.byte)
    }
}

/// The block grammar's input: lines, and whether they run to the end of the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lines<'a, 't> {
    lines: &'a [Line<'t>],
    /// No more lines follow: running out ends a table (`Error`) instead of asking for more
    /// (`Incomplete`).
    complete: bool,
}

impl<'a, 't> Lines<'a, 't> {
    fn with(self, lines: &'a [Line<'t>]) -> Self {
        Lines { lines, ..self }
    }
}

// Indices are counts of lines. nom documents `take*` as panicking past the end; these clamp
// instead, since this crate forbids panics on input-derived data (nom's combinators only ever
// pass indices they got from `position` or `slice_index`).
impl<'a, 't> Input for Lines<'a, 't> {
    type Item = Line<'t>;
    type Iter = Copied<Iter<'a, Line<'t>>>;
    type IterIndices = Enumerate<Self::Iter>;

    fn input_len(&self) -> usize {
        self.lines.len()
    }

    fn take(&self, index: usize) -> Self {
        self.with(self.lines.get(..index).unwrap_or(self.lines))
    }

    fn take_from(&self, index: usize) -> Self {
        self.with(self.lines.get(index..).unwrap_or_default())
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool,
    {
        self.lines.iter().position(|l| predicate(*l))
    }

    fn iter_elements(&self) -> Self::Iter {
        self.lines.iter().copied()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.iter_elements().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        match count.checked_sub(self.lines.len()) {
            Some(missing) if missing > 0 => Err(Needed::new(missing)),
            _ => Ok(count),
        }
    }
}

type Res<'a, 't, O> = IResult<Lines<'a, 't>, O>;

/// The next line, if `f` accepts it. Out of lines: `Incomplete` unless the input is complete.
fn token<'a, 't, O>(input: Lines<'a, 't>, f: impl FnOnce(Line<'t>) -> Option<O>) -> Res<'a, 't, O> {
    match input.lines.split_first() {
        Some((&first, rest)) => match f(first) {
            Some(o) => Ok((input.with(rest), o)),
            None => Err(Err::Error(Error::new(input, ErrorKind::Verify))),
        },
        None if input.complete => Err(Err::Error(Error::new(input, ErrorKind::Eof))),
        None => Err(Err::Incomplete(Needed::new(1))),
    }
}

/// A TAB-prefixed line: the line and the text after the TAB.
fn tabbed<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, (Line<'t>, &'t str)> {
    token(input, |l| match l.kind {
        Kind::Tabbed(rest) => Some((l, rest)),
        _ => None,
    })
}

/// A line of text.
fn text<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, (Line<'t>, &'t str)> {
    token(input, |l| match l.kind {
        Kind::Text(t) => Some((l, t)),
        _ => None,
    })
}

/// A run of exactly `n` blank lines.
fn blanks<'a, 't: 'a>(n: u32) -> impl Fn(Lines<'a, 't>) -> Res<'a, 't, ()> {
    move |input: Lines<'a, 't>| token(input, |l| (l.kind == Kind::Blank(n)).then_some(()))
}

/// A run of any number of blank lines.
fn any_blanks<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, ()> {
    token(input, |l| matches!(l.kind, Kind::Blank(_)).then_some(()))
}

/// Readers drop trailing empty paragraphs (a cell's empty last paragraph prints as an empty
/// line; see `Cell::paragraphs`).
fn drop_trailing_empty(cell: &mut Cell) {
    while cell.paragraphs.last().is_some_and(|p| p.is_empty()) {
        cell.paragraphs.pop();
    }
}

/// A vector holding `first`, grown as `Vec::push` grows it: `vec![first]` has room for one
/// only, and the next push would reallocate (measurable: once per row and table).
#[allow(clippy::vec_init_then_push)] // on purpose, see above
fn first_of<T>(first: T) -> Vec<T> {
    let mut v = Vec::new();
    v.push(first);
    v
}

fn new_cell(text: &str, line: &Line<'_>) -> Cell {
    Cell::from_text(text.trim_end(), line.origin())
}

/// Cell-per-line: a line of a row, the start of a cell (`\tcell`) or a further paragraph of
/// the cell above (a line of text).
#[derive(Clone, Copy)]
enum CellLine<'t> {
    Start(&'t str),
    More(&'t str),
}

fn cell_line<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, (Line<'t>, CellLine<'t>)> {
    alt((
        tabbed.map(|(l, t)| (l, CellLine::Start(t))),
        text.map(|(l, t)| (l, CellLine::More(t))),
    ))
    .parse(input)
}

/// Cell-per-line: a row is `\tcell` lines, each followed by the lines of text of the same cell,
/// up to a blank line: `tabbed (tabbed | text)*`. The cells are built in place, as the lines
/// come (rather than a cell parser returning each cell: moving cells through the parsers'
/// results cost ~5% of a parse).
fn cpl_row<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, Row> {
    let (input, (line, first)) = tabbed(input)?;
    let mut row = Row {
        origin: line.origin(),
        cells: first_of(new_cell(first, &line)),
        ..Row::default()
    };
    let (input, ()) = fold_many0(
        cell_line,
        || (),
        |(), (line, part)| match (part, row.cells.last_mut()) {
            (CellLine::More(t), Some(cell)) => cell.paragraphs.push(t.trim_end().to_string()),
            (CellLine::Start(t) | CellLine::More(t), _) => row.cells.push(new_cell(t, &line)),
        },
    )
    .parse(input)?;
    row.cells.iter_mut().for_each(drop_trailing_empty);
    Ok((input, row))
}

/// Cell-per-line: the number of cells of the row ahead, without building it (the table rule
/// looks at it before deciding whether the row belongs to the table).
fn cpl_row_width<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, usize> {
    let (input, _) = tabbed(input)?;
    fold_many0(
        cell_line,
        || 1,
        |n: usize, (_, part)| match part {
            CellLine::Start(_) => n.saturating_add(1),
            CellLine::More(_) => n,
        },
    )
    .parse(input)
}

/// Cell-per-line (Tika on `.doc`): rows separated by one blank line.
///
/// Table ends: two blank lines normally end a table, but a cell whose last paragraph is
/// empty prints one more blank line (project 10 of the seed: its 效果指标 row is followed by
/// two blank lines, yet the 满意度指标 row belongs to the same table). The rule: after
/// exactly two blank lines, a row whose cell count equals that of the table's last row
/// continues the table, any other row starts a new table (the seed's info table ends with
/// a 2-cell row, its indicator table has 6 cells a row); three or more blank lines, or a
/// line without TAB after a blank line, end the table. Limitation: two adjacent tables with
/// equal row widths separated by nothing but two blank lines are read as one; an empty
/// paragraph inside a cell followed by more text cannot be told from a row end followed by
/// a paragraph, and is read as the latter.
fn cpl_table<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, Table> {
    let (mut input, first) = cpl_row(input)?;
    let mut table = Table {
        origin: first.origin.clone(),
        rows: first_of(first),
    };
    loop {
        let width = table.rows.last().map_or(0, |r| r.cells.len());
        let next = alt((
            preceded(blanks(1), cpl_row),
            preceded(
                (blanks(2), peek(verify(cpl_row_width, |&w| w == width))),
                cpl_row,
            ),
        ))
        .parse(input);
        match next {
            Ok((rest, row)) => {
                input = rest;
                table.rows.push(row);
            }
            Err(Err::Error(_)) => return Ok((input, table)),
            Err(e) => return Err(e),
        }
    }
}

/// Row-per-line: a row is a `\ta\tb\tc` line and the lines of text right after it. Such a line
/// continues the row's last cell (a cell paragraph break); if it holds TABs, the text after
/// them starts further cells of the same row (a multi-paragraph cell in the middle of a row).
fn rpl_row<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, Row> {
    let (input, (line, rest)) = tabbed(input)?;
    let mut row = Row {
        origin: line.origin(),
        ..Row::default()
    };
    line::cells(rest, |_, c| row.cells.push(new_cell(c, &line)));
    let (input, ()) = fold_many0(
        text,
        || (),
        |(), (line, t)| {
            line::cells(t, |i, c| match row.cells.last_mut() {
                Some(last) if i == 0 => last.paragraphs.push(c.trim_end().to_string()),
                _ => row.cells.push(new_cell(c, &line)),
            })
        },
    )
    .parse(input)?;
    row.cells.iter_mut().for_each(drop_trailing_empty);
    Ok((input, row))
}

/// Row-per-line (Tika on `.docx`): rows, each right after the last or after one blank line.
///
/// Table ends: Tika ends every table with a blank line, and Word cannot put two tables
/// next to each other without a paragraph between them, so a new table is preceded by two
/// or more blank lines or by a paragraph line. A single blank line followed by a row is a
/// cell's empty last paragraph (dropped like every trailing empty cell paragraph) and the
/// table goes on; a blank line followed by text, or two or more followed by anything, end
/// the table.
fn rpl_table<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, Table> {
    let (input, first) = rpl_row(input)?;
    let mut table = Table {
        origin: first.origin.clone(),
        rows: first_of(first),
    };
    let (input, ()) = fold_many0(
        alt((rpl_row, preceded(blanks(1), rpl_row))),
        || (),
        |(), r| table.rows.push(r),
    )
    .parse(input)?;
    Ok((input, table))
}

/// A line of text outside a table: a paragraph, with its `TC` field if it has one.
fn paragraph<'a, 't>(input: Lines<'a, 't>) -> Res<'a, 't, Block> {
    let (input, (line, t)) = text(input)?;
    let (t, tc) = line::paragraph(t);
    Ok((
        input,
        Block::Paragraph(Paragraph {
            text: t.to_string(),
            heading_level: None,
            tc,
            origin: line.origin(),
        }),
    ))
}

/// One block (`None` for blank lines between blocks).
fn block<'a, 't>(layout: TextLayout, input: Lines<'a, 't>) -> Res<'a, 't, Option<Block>> {
    let table = match layout {
        TextLayout::RowPerLine => rpl_table,
        // Flattened text has no TAB-prefixed lines (that is how it is detected), so its
        // table grammar never applies; cell-per-line's is as good as none.
        // The pipe layouts never get here (`pipes`); as paragraphs they would lose nothing.
        TextLayout::CellPerLine
        | TextLayout::Flattened
        | TextLayout::PipeRows
        | TextLayout::PipeCells => cpl_table,
    };
    alt((
        any_blanks.map(|()| None),
        table.map(|t| Some(Block::Table(t))),
        paragraph.map(Some),
    ))
    .parse(input)
}

/// Parses the blocks of `lines` into `out` and returns how many lines were used: all of them
/// when `complete` (no more lines follow), otherwise up to the last block that cannot be
/// continued by lines still to come.
pub(crate) fn blocks(
    layout: TextLayout,
    lines: &[Line<'_>],
    complete: bool,
    out: &mut Vec<Block>,
) -> usize {
    let mut input = Lines { lines, complete };
    while !input.lines.is_empty() {
        match block(layout, input) {
            Ok((rest, b)) => {
                out.extend(b);
                input = rest;
            }
            Err(Err::Incomplete(_)) => break,
            // Unreachable: every kind of line starts some block. Skipped rather than looping.
            Err(_) => input = input.take_from(1),
        }
    }
    lines.len() - input.lines.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Classifies `text` as the line splitter does (blank runs merged; byte = line index, as
    /// a stand-in the tests can check).
    fn lines(text: &str) -> Vec<Line<'_>> {
        let mut v: Vec<Line<'_>> = Vec::new();
        for (i, t) in text.split('\n').enumerate() {
            let kind = line::kind(t);
            if let (
                Kind::Blank(_),
                Some(Line {
                    kind: Kind::Blank(n),
                    ..
                }),
            ) = (kind, v.last_mut())
            {
                *n += 1;
                continue;
            }
            let no = u32::try_from(i + 1).unwrap();
            v.push(Line {
                kind,
                no,
                byte: u64::from(no) * 100,
            });
        }
        v
    }

    fn parse(layout: TextLayout, text: &str) -> Vec<Block> {
        let mut out = Vec::new();
        let ls = lines(text);
        assert_eq!(blocks(layout, &ls, true, &mut out), ls.len());
        out
    }

    fn table(b: &Block) -> Vec<Vec<Vec<String>>> {
        match b {
            Block::Table(t) => t
                .rows
                .iter()
                .map(|r| r.cells.iter().map(|c| c.paragraphs.clone()).collect())
                .collect(),
            Block::Paragraph(p) => panic!("not a table: {p:?}"),
        }
    }

    // seed.tika-doc.txt lines 64-75 (the first project's info table, abridged).
    const CPL: &str = "1、2020年中央大气污染防治资金绩效目标表 TC 1、2020年中央大气污染防治资金绩效目标表 \\f C \\l 1 \n\t467002定州市生态环境局\n\t单位：万元\n\n\t项目编码\n\t467-0201-YCN-4OK6\n\n\n\t指标\n\n\n\n\t完";

    #[test]
    fn cell_per_line_rows_and_tables() {
        let b = parse(TextLayout::CellPerLine, CPL);
        assert_eq!(b.len(), 4);
        let Block::Paragraph(p) = &b[0] else { panic!() };
        assert_eq!(p.text, "1、2020年中央大气污染防治资金绩效目标表");
        assert_eq!(p.tc.as_ref().and_then(|t| t.level), Some(1));
        assert_eq!(
            table(&b[1]),
            [
                vec![vec!["467002定州市生态环境局"], vec!["单位：万元"]],
                vec![vec!["项目编码"], vec!["467-0201-YCN-4OK6"]],
            ]
        );
        // After two blank lines a 1-cell row does not continue 2-cell rows; after three
        // nothing does.
        assert_eq!(table(&b[2]), [vec![vec!["指标"]]]);
        assert_eq!(table(&b[3]), [vec![vec!["完"]]]);
        let Block::Table(t) = &b[1] else { panic!() };
        assert_eq!(t.origin, Origin::text(2, 200));
        assert_eq!(t.rows[1].origin, Origin::text(5, 500));
        assert_eq!(t.rows[1].cells[1].origin, Origin::text(6, 600));
    }

    #[test]
    fn cell_per_line_same_width_after_two_blank_lines_continues() {
        let b = parse(
            TextLayout::CellPerLine,
            "\tA\n\tB\n续\n\n\n\tC\n\n\n\tD\n\t",
        );
        assert_eq!(table(&b[0]), [vec![vec!["A"], vec!["B", "续"]],]);
        // [C] and [D, ""]: 1 cell, then 2 cells (the empty cell has no paragraphs).
        assert_eq!(table(&b[1]), [vec![vec!["C"]]]);
        assert_eq!(table(&b[2]), [vec![vec!["D"], vec![]]]);
        let b = parse(TextLayout::CellPerLine, "\tA\n\tB\n\n\n\tC\n\tD");
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn row_per_line_rows_continuations_and_ends() {
        // seed.tika-docx.txt lines 37-40 (abridged), then a heading.
        let text = "\t467002定州市生态环境局\t单位：万元\n\t项目编码\t467-0201-YCN-4OK6\n\n\t预算数\t4621.00\t\n\t\t大气污染治理\n续\t下一格\n\n\n\tX\n\n标题";
        let b = parse(TextLayout::RowPerLine, text);
        assert_eq!(b.len(), 3);
        assert_eq!(
            table(&b[0]),
            [
                vec![vec!["467002定州市生态环境局"], vec!["单位：万元"]],
                vec![vec!["项目编码"], vec!["467-0201-YCN-4OK6"]],
                vec![vec!["预算数"], vec!["4621.00"], vec![]],
                vec![vec![], vec!["大气污染治理", "续"], vec!["下一格"]],
            ]
        );
        let Block::Table(t) = &b[0] else { panic!() };
        // The cell started on the continuation line has that line's origin.
        assert_eq!(t.rows[3].cells[2].origin, Origin::text(6, 600));
        assert_eq!(table(&b[1]), [vec![vec!["X"]]]);
        let Block::Paragraph(p) = &b[2] else { panic!() };
        assert_eq!(
            (p.text.as_str(), &p.origin),
            ("标题", &Origin::text(11, 1100))
        );
    }

    #[test]
    fn flattened_is_paragraphs() {
        let b = parse(TextLayout::Flattened, "一\n\n二\t内部\n");
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn an_open_table_at_the_end_of_a_piece_is_left_for_more_lines() {
        let ls = lines("标题\n\tA\n\tB\n\n\tC");
        let mut out = Vec::new();
        // Not complete: the table could go on, so only the heading is taken.
        assert_eq!(blocks(TextLayout::CellPerLine, &ls, false, &mut out), 1);
        assert_eq!(out.len(), 1);
        // A table closed by text after a blank line is complete.
        let ls = lines("\tA\n\n正文");
        let mut out = Vec::new();
        assert_eq!(blocks(TextLayout::CellPerLine, &ls, false, &mut out), 3);
        assert_eq!(out.len(), 2);
        // The same lines in one piece or two give the same blocks.
        let text = "标题\n\tA\n\tB\n\n\tC\n\tD\n\n\n后记";
        let ls = lines(text);
        let mut out = Vec::new();
        let used = blocks(
            TextLayout::CellPerLine,
            ls.get(..4).unwrap(),
            false,
            &mut out,
        );
        blocks(
            TextLayout::CellPerLine,
            ls.get(used..).unwrap(),
            true,
            &mut out,
        );
        assert_eq!(out, parse(TextLayout::CellPerLine, text));
    }
}
