//! Column recovery for space-aligned text (`pdftotext -layout`): the form's blocks rebuilt
//! into model [`Table`]s from the positions of the text on consecutive lines, so that the
//! table pass reads them like any other table.
//!
//! In such text every cell is placed at its column's character position with spaces (one
//! position per character, CJK included: the seed's wrapped `述` sits at the same char
//! count as `绩效指标描` above it, not at the same display width), and a long cell wraps over
//! the following lines at its column's position, interleaved with the wraps of the other
//! cells. A block runs from a `项目编码` line at the left margin to the end of the indicator
//! grid. Its lines are grouped into logical rows (a row starts at a label or a 一级指标 value
//! at the left margin; indented lines continue it), a row's first line gives its cells (runs
//! of text two or more spaces apart, and a known label split off a single space), and every
//! piece on a continuation line joins the cell of the column it starts in, without a space
//! (cells of this family wrap mid-word: `467-0201-YCN-` + `4OK6`, `绩效指标描` + `述`).
//! Pieces under a complete label (`预算数`, `3 月底`) are that label's values: a row of their
//! own below it, the way the table pass expects them. The indicator grid's columns come from
//! its header line; a row with fewer cells than columns is placed by position.
//!
//! What alignment cannot decide (two columns about as near, two placements about as good) is
//! not guessed: the cell is left empty and an `alignment_uncertain` flag names the candidates
//! and the lines. Every block carries an `aligned_from_text` flag; rows placed by position
//! carry `cell_placed_by_inference`. Page breaks (`\f` at a line start) are skipped; a lone
//! page number just before one is page furniture. Spacing inside a cell is the export's own
//! (pdftotext puts a space where the glyphs have a gap, e.g. `2020 年`); it is kept as written.
//!
//! Not for: text whose cells are one per line or run together (see `align`), or any text
//! with table marks (TABs, pipes): those never reach this module.

use crate::fold::fold_label;
use crate::records::{Flag, FlagCode, Project};
use crate::values;
use crate::vocab::{self, LEVEL1, LEVEL2};
use tablift_model::{
    Block, Cell, Document, Furniture, FurnitureKind, Origin, Paragraph, Row, Table,
};

/// Most lines of a grid header, its wraps included (`绩效指标描` / `述`): more is not a
/// header, and bounds the label joins (each re-reads its cell).
const MAX_HEADER_LINES: usize = 4;
/// Most lines between a `项目编码` line and the grid header: more is not one form.
const MAX_INFO_LINES: usize = 60;
/// Most columns of an indicator grid (bounds the placement search).
const MAX_GRID_COLUMNS: usize = 10;
/// Most pieces on one line taken into a form (more is not a form row).
const MAX_PIECES: usize = 24;
/// Slack, in character positions, of a wrapped piece left of its column's start.
const WRAP_SLACK: usize = 2;
/// Two candidate columns whose distances differ by no more than this are not told apart.
const TIE: usize = 1;
/// Two placements of a short row whose costs differ by less than this are not told apart.
const PLACEMENT_MARGIN: usize = 3;

/// A document rebuilt with its form blocks as tables, and each block's flags.
pub(crate) struct Recovered {
    pub doc: Document,
    pub blocks: Vec<BlockFlags>,
}

/// The flags of one rebuilt block and the lines it covers (its title line included).
pub(crate) struct BlockFlags {
    pub first: u32,
    pub last: u32,
    pub flags: Vec<Flag>,
}

impl Recovered {
    /// The flags of the block that holds `line`.
    pub fn flags_at(&self, line: Option<u32>) -> Vec<Flag> {
        let Some(l) = line else {
            return Vec::new();
        };
        // Blocks are in line order: a binary search keeps many projects linear-logarithmic.
        let k = self.blocks.partition_point(|b| b.last < l);
        self.blocks
            .get(k)
            .filter(|b| b.first <= l)
            .map(|b| b.flags.clone())
            .unwrap_or_default()
    }
}

/// Whether a text holds a space between a CJK character and a letter or digit (`2020 年`):
/// where pdftotext writes a space for a gap between glyphs, which the source document may not
/// hold (Word's spacing between Asian and Latin text leaves such a gap).
fn gap_spaced(text: &str) -> bool {
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            if let (Some(a), Some(&b)) = (prev, chars.peek()) {
                let cjk = |x: char| values::is_cjk(x);
                let latin = |x: char| x.is_ascii_alphanumeric();
                if (cjk(a) && latin(b)) || (latin(a) && cjk(b)) {
                    return true;
                }
            }
        }
        prev = Some(c);
    }
    false
}

/// The fields of a project rebuilt here whose text holds a gap space (see [`gap_spaced`]):
/// kept as the export wrote them, named in the block's `aligned_from_text` flag.
pub(crate) fn gap_spaced_fields(p: &Project) -> Vec<String> {
    let spaced = |text: &str| text.contains(' ') && gap_spaced(text);
    let mut out = Vec::new();
    let named = [
        ("title", p.title.as_str()),
        ("name", p.name.as_deref().unwrap_or("")),
        ("department_raw", p.department_raw.as_deref().unwrap_or("")),
        ("use_of_funds", p.use_of_funds.as_str()),
        ("goals", p.goals_raw.as_str()),
    ];
    out.extend(
        named
            .iter()
            .filter(|(_, t)| spaced(t))
            .map(|(n, _)| n.to_string()),
    );
    // Names are formatted only for the (few) fields that hold a gap space.
    for (k, pp) in p.plan.iter().enumerate() {
        if spaced(&pp.label) {
            out.push(format!("plan[{k}].label"));
        }
    }
    for (k, i) in p.indicators.iter().enumerate() {
        for (field, text) in [
            ("description", i.description.as_str()),
            ("value", i.value.raw.as_str()),
            ("basis", i.basis.as_str()),
        ] {
            if spaced(text) {
                out.push(format!("indicators[{k}].{field}"));
            }
        }
    }
    out
}

/// The `aligned_from_text` flag of a block, naming its project's gap-spaced fields.
pub(crate) fn note_gap_spaces(flags: &mut [Flag], p: &Project) {
    let fields = gap_spaced_fields(p);
    if fields.is_empty() {
        return;
    }
    if let Some(f) = flags
        .iter_mut()
        .find(|f| f.code == FlagCode::AlignedFromText)
    {
        f.message.push_str(&format!(
            "; kept as written, with a space between a CJK character and a letter or digit that the source document may not hold: {}",
            fields.join(", ")
        ));
    }
}

/// One paragraph line: its block index, its text without a leading form feed, its origin.
#[derive(Clone, Copy)]
struct Line<'d> {
    block: usize,
    text: &'d str,
    no: u32,
    byte: u64,
    /// A page starts here (`\f`).
    page_break: bool,
}

impl Line<'_> {
    fn origin(&self) -> Origin {
        Origin::text(self.no, self.byte)
    }

    /// Whether the line's text starts at the left margin.
    fn at_margin(&self) -> bool {
        self.text.starts_with(|c: char| !c.is_whitespace())
    }

    /// The first piece, when the line starts at the left margin.
    fn first_piece(&self) -> Option<&str> {
        margin_piece(self.text)
    }
}

/// A run of text on a line and the character position it starts at.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Piece<'d> {
    col: usize,
    text: &'d str,
}

/// Whether a document is space-aligned text holding the form: a `项目编码` line at the left
/// margin with more text after a gap, and a grid header line with its labels spaced out. Only
/// lines starting with `项` or `一` are looked at past their first bytes.
fn laid_out(doc: &Document) -> bool {
    let (mut code, mut grid) = (false, false);
    for b in &doc.blocks {
        let Block::Paragraph(p) = b else {
            return false;
        };
        let t = p.text.trim_start_matches('\u{c}');
        if let Some(rest) = t.strip_prefix("项目编码") {
            code |= rest.starts_with(' ') && !rest.trim().is_empty();
        } else if let Some(rest) = t.strip_prefix("一级指标") {
            grid |= rest.starts_with("  ") && rest.contains("二级指标");
        }
        if code && grid {
            return true;
        }
    }
    false
}

/// Rebuilds the form blocks of space-aligned text into tables; `None` when the document is
/// not such text (it has tables, or no laid-out form).
pub(crate) fn recover(doc: &Document) -> Option<Recovered> {
    if !laid_out(doc) {
        return None;
    }
    let lines: Vec<Line<'_>> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Paragraph(p) => {
                let (no, byte) = match p.origin {
                    Origin::Text { line, byte } => (line, byte),
                    _ => return None,
                };
                let text = p.text.trim_start_matches('\u{c}');
                Some(Line {
                    block: i,
                    text,
                    no,
                    byte,
                    page_break: text.len() != p.text.len(),
                })
            }
            Block::Table(_) => None,
        })
        .collect();
    let mut out = Recovered {
        // Not `doc.clone()`: the blocks are copied one by one below.
        doc: Document {
            source: doc.source.clone(),
            blocks: Vec::with_capacity(doc.blocks.len()),
            furniture: doc.furniture.clone(),
            diagnostics: doc.diagnostics.clone(),
        },
        blocks: Vec::new(),
    };
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        if is_block_start(line) {
            if let Some(form) = form_block(&lines, i) {
                out.take_block(&lines, i, form);
                i = out_end(&out, &lines, i);
                continue;
            }
        }
        if let Some(b) = doc.blocks.get(line.block) {
            out.doc.blocks.push(b.clone());
        }
        i += 1;
    }
    (!out.blocks.is_empty()).then_some(out)
}

/// The index of the line after the block just taken.
fn out_end(out: &Recovered, lines: &[Line<'_>], from: usize) -> usize {
    let last = out.blocks.last().map_or(0, |b| b.last);
    from + lines
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|l| l.no <= last)
        .count()
}

/// A rebuilt block: its rows, the line numbers of its last line, its flags and furniture.
struct Form {
    rows: Vec<Row>,
    last: u32,
    flags: Vec<Flag>,
    furniture: Vec<Furniture>,
}

impl Recovered {
    /// Puts a rebuilt block into the document: the department line just before it (already
    /// copied as a paragraph) becomes its first row, as in the table the other routes give.
    fn take_block(&mut self, lines: &[Line<'_>], start: usize, mut form: Form) {
        let Some(first) = lines.get(start) else {
            return;
        };
        let mut rows = Vec::with_capacity(form.rows.len() + 1);
        let before = start.checked_sub(1).and_then(|k| lines.get(k));
        let dept = before.filter(|l| {
            first.no.saturating_sub(l.no) <= 2
                && l.first_piece()
                    .is_some_and(|p| values::department(p).is_some())
        });
        if let Some(d) = dept {
            if matches!(self.doc.blocks.last(), Some(Block::Paragraph(p)) if p.origin == d.origin())
            {
                self.doc.blocks.pop();
            }
            rows.push(plain_row(d));
        }
        rows.append(&mut form.rows);
        // The title: the paragraph before the table (and its department line).
        let title_line = match self.doc.blocks.last() {
            Some(Block::Paragraph(Paragraph { origin, .. })) => origin.line(),
            _ => None,
        };
        let top = dept.unwrap_or(first);
        let from = title_line
            .filter(|l| top.no.saturating_sub(*l) <= 3)
            .unwrap_or(top.no);
        self.doc.blocks.push(Block::Table(Table {
            rows,
            origin: top.origin(),
        }));
        self.doc.furniture.append(&mut form.furniture);
        let mut flags = vec![Flag {
            field: "project".into(),
            message: format!(
                "project read from space-aligned text (pdftotext -layout): cells recovered from the positions of the text on lines {}–{}, wrapped cells joined without a space; spacing inside a cell is the export's",
                top.no, form.last
            ),
            origin: top.origin(),
            ..Flag::new(FlagCode::AlignedFromText)
        }];
        flags.append(&mut form.flags);
        self.blocks.push(BlockFlags {
            first: from,
            last: form.last,
            flags,
        });
    }
}

/// A line as one row of its pieces.
fn plain_row(l: &Line<'_>) -> Row {
    Row {
        grid_before: 0,
        cells: pieces(l.text)
            .into_iter()
            .map(|p| Cell::from_text(p.text, l.origin()))
            .collect(),
        origin: l.origin(),
    }
}

/// A `项目编码` label at the left margin.
fn is_block_start(l: &Line<'_>) -> bool {
    l.text.starts_with("项目编码")
}

/// Whether a piece at the left margin starts an info row: a label the vocabulary knows, or
/// the first line of a label wrapped over lines (`资金支出` / `计划` / `（%）`).
fn is_info_head(p: &str) -> bool {
    let f = fold_label(p);
    vocab::field(&f).is_some() || matches!(f.as_ref(), "资金支出" | "资金支出计" | "预算规模及")
}

fn is_level1(p: &str) -> bool {
    LEVEL1.contains(&fold_label(p).as_ref())
}

fn is_level2(p: &str) -> bool {
    LEVEL2.contains(&fold_label(p).as_ref())
}

/// A lone page number closing a page (the next line starts a page, or none follows).
fn is_page_number(lines: &[Line<'_>], k: usize) -> bool {
    let Some(l) = lines.get(k) else {
        return false;
    };
    let t = l.text.trim();
    !t.is_empty()
        && t.len() <= 3
        && t.bytes().all(|b| b.is_ascii_digit())
        && lines.get(k + 1).is_none_or(|n| n.page_break)
}

/// Rebuilds the block starting at line `s` (a `项目编码` line): `None` when no grid header
/// follows within [`MAX_INFO_LINES`] or no grid row follows it.
fn form_block(lines: &[Line<'_>], s: usize) -> Option<Form> {
    let g = (s + 1..lines.len().min(s + MAX_INFO_LINES))
        .find(|&k| lines.get(k).is_some_and(|l| l.text.starts_with("一级指标")))?;
    let mut form = Form {
        rows: Vec::new(),
        last: 0,
        flags: Vec::new(),
        furniture: Vec::new(),
    };
    // Info rows: a group per head line.
    let info = lines.get(s..g)?;
    let mut start = 0;
    for k in 1..=info.len() {
        let head = info
            .get(k)
            .is_none_or(|l| l.first_piece().is_some_and(is_info_head));
        if head {
            info_group(info.get(start..k)?, &mut form);
            start = k;
        }
    }
    // The grid: the header with its wrapped lines, then a row per 一级指标 value.
    let mut k = g + 1;
    let mut group: Vec<Line<'_>> = vec![*lines.get(g)?];
    let mut header: Option<Vec<usize>> = None;
    let mut rows = 0usize;
    let mut last = lines.get(g)?.no;
    loop {
        let next = lines.get(k);
        let skip = is_page_number(lines, k);
        let mut cont = next.is_some_and(|l| !l.at_margin() && l.no.saturating_sub(last) <= 2);
        // An indented line opening with a whole 二级 value is a row whose 一级 is merged with
        // the row above: not a wrap, and not placed by guess (the grid ends there, flagged).
        let merged = header.is_some()
            && cont
            && next.is_some_and(|l| margin_piece(l.text.trim_start()).is_some_and(is_level2));
        if merged {
            cont = false;
            if let Some(l) = next {
                form.flags.push(Flag {
                    field: "indicators".into(),
                    raw: l.text.trim().to_string(),
                    message: format!(
                        "line {} opens with a 二级指标 value but no 一级指标 (a merged cell?): the grid's rows from here are not read",
                        l.no
                    ),
                    origin: l.origin(),
                    ..Flag::new(FlagCode::AlignmentUncertain)
                });
            }
        }
        if skip {
            if let Some(l) = next {
                form.furniture.push(Furniture {
                    kind: FurnitureKind::PageNumber,
                    text: l.text.trim().to_string(),
                    origin: l.origin(),
                });
            }
            k += 1;
            continue;
        }
        if cont {
            if header.is_none() && group.len() >= MAX_HEADER_LINES {
                return None;
            }
            if let Some(l) = next {
                group.push(*l);
                last = l.no;
            }
            k += 1;
            continue;
        }
        // The group is complete: the header or one grid row.
        match &header {
            None => header = Some(header_group(&group, &mut form)),
            Some(cols) => {
                grid_group(&group, cols, &mut form);
                rows += 1;
            }
        }
        let row_start = next
            .filter(|l| l.no.saturating_sub(last) <= 2 && l.first_piece().is_some_and(is_level1));
        match row_start {
            Some(l) => {
                group = vec![*l];
                last = l.no;
                k += 1;
            }
            None => break,
        }
    }
    if rows == 0 {
        return None;
    }
    form.last = last;
    Some(form)
}

/// The pieces of a line: runs of text separated by two or more spaces (a form feed or TAB
/// counts as a space), with a known label split off a single space (`467-0201-JCN-6A74 项目名称`,
/// `1906.00 其中：财`) and two numbers split (`25.00 55.00`).
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    // Bytes, not chars: the padding is ASCII, and a position counts the bytes that start a
    // char (not UTF-8 continuation bytes).
    let bytes = text.as_bytes();
    let mut col = 0usize;
    let mut start: Option<(usize, usize)> = None; // (byte, col) of the current run
    let mut spaces = 0usize;
    let mut end = 0usize; // byte end of the run's last non-space char
    for (i, &b) in bytes.iter().enumerate() {
        if b & 0xC0 == 0x80 {
            end = i + 1;
            continue;
        }
        if matches!(b, b' ' | b'\t' | b'\x0c') {
            spaces += 1;
            if spaces == 2 {
                if let Some((from, pc)) = start.take() {
                    split_single(text.get(from..end).unwrap_or(""), pc, &mut out);
                    if out.len() > MAX_PIECES {
                        return out;
                    }
                }
            }
        } else {
            if start.is_none() {
                start = Some((i, col));
            }
            spaces = 0;
            end = i + 1;
        }
        col += 1;
    }
    if let Some((from, pc)) = start {
        split_single(text.get(from..end).unwrap_or(""), pc, &mut out);
    }
    out
}

/// The first piece of a line at the left margin, without splitting the whole line.
fn margin_piece(text: &str) -> Option<&str> {
    if !text.starts_with(|c: char| !c.is_whitespace()) {
        return None;
    }
    let run = text
        .find("  ")
        .map_or(text, |e| text.get(..e).unwrap_or(text));
    let run = run.trim_end();
    if !run.contains(' ') {
        return Some(run);
    }
    let mut one = Vec::new();
    split_single(run, 0, &mut one);
    one.first().map(|p| p.text)
}

/// Whether a word is a label this module splits off a single space.
fn is_split_label(word: &str) -> bool {
    matches!(
        word,
        "项目编码" | "项目名称" | "预算数" | "其中：财" | "其他资金"
    )
}

fn is_number(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && word.bytes().any(|b| b.is_ascii_digit())
}

/// Splits a run (single spaces inside) at the spaces next to a label or between two numbers.
fn split_single<'d>(run: &'d str, col: usize, out: &mut Vec<Piece<'d>>) {
    if run.is_empty() {
        return;
    }
    if !run.contains(' ') {
        out.push(Piece { col, text: run });
        return;
    }
    let mut from = 0usize; // byte start of the current piece in `run`
    let mut from_col = col;
    let mut word_start = 0usize;
    let mut word_col = col;
    let mut prev: Option<&str> = None;
    let ends = run.char_indices().chain(std::iter::once((run.len(), ' ')));
    for (c, (i, ch)) in (col..).zip(ends) {
        if ch == ' ' {
            let word = run.get(word_start..i).unwrap_or("");
            if let Some(p) = prev {
                let split =
                    is_split_label(word) || is_split_label(p) || (is_number(word) && is_number(p));
                if split && word_start > 0 {
                    let piece = run.get(from..word_start - 1).unwrap_or("");
                    if !piece.is_empty() {
                        out.push(Piece {
                            col: from_col,
                            text: piece,
                        });
                    }
                    from = word_start;
                    from_col = word_col;
                }
            }
            prev = Some(word);
            word_start = i + 1;
            word_col = c + 1;
        }
    }
    if let Some(piece) = run.get(from..).filter(|p| !p.is_empty()) {
        out.push(Piece {
            col: from_col,
            text: piece,
        });
    }
}

/// What an info cell holds, as far as placing wrapped pieces goes (read once per change, not
/// once per piece looked at).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Sort {
    /// Not classified (grid cells never need it).
    #[default]
    Unread,
    /// A whole label of the form: pieces under it are its values.
    Label,
    /// An amount or rate: never wrapped.
    Number,
    /// Anything else, empty included.
    Text,
}

/// A cell being rebuilt: its column, its paragraphs and where it starts.
#[derive(Clone, Debug)]
struct Buf {
    col: usize,
    paragraphs: Vec<String>,
    origin: Origin,
    sort: Sort,
}

impl Buf {
    fn new(col: usize) -> Buf {
        Buf {
            col,
            paragraphs: Vec::new(),
            origin: Origin::Unknown,
            sort: Sort::Unread,
        }
    }

    fn of(p: &Piece<'_>, l: &Line<'_>) -> Buf {
        Buf {
            col: p.col,
            paragraphs: vec![p.text.to_string()],
            origin: l.origin(),
            sort: Sort::Unread,
        }
    }

    /// Appends a wrapped piece to the last paragraph, without a space.
    fn join(&mut self, text: &str, l: &Line<'_>) {
        match self.paragraphs.last_mut() {
            Some(last) => last.push_str(text),
            None => {
                self.paragraphs.push(text.to_string());
                self.origin = l.origin();
            }
        }
    }

    fn text(&self) -> String {
        self.paragraphs.concat()
    }

    /// Reads what the cell holds into `sort` (after it was made or joined).
    fn classify(&mut self) {
        let t = self.text();
        self.sort = if is_number(&t) {
            Sort::Number
        } else if !t.is_empty() && is_complete_label(&t) {
            Sort::Label
        } else {
            Sort::Text
        };
    }

    /// [`Buf::join`], then [`Buf::classify`].
    fn join_classified(&mut self, text: &str, l: &Line<'_>) {
        self.join(text, l);
        self.classify();
    }

    fn into_cell(self) -> Cell {
        Cell {
            paragraphs: self.paragraphs,
            origin: self.origin,
            ..Cell::default()
        }
    }
}

/// Whether a cell's text is a whole label of the form (a field, a column or a checkpoint).
fn is_complete_label(text: &str) -> bool {
    // Labels are short; most cells (names, uses, amounts) are not, or start with a digit.
    if text.len() > 48 {
        return false;
    }
    let f = fold_label(text);
    let (field, column) = vocab::field_and_column(&f);
    field.is_some() || column.is_some() || values::month_of(text).is_some()
}

/// The cell among `cells[1..]` a wrapped piece completes into a label (`其中：财` + `政资金`),
/// when exactly one does.
fn completes_label(cells: &[Buf], text: &str) -> Option<usize> {
    let mut found = None;
    for (k, b) in cells.iter().enumerate().skip(1) {
        if b.sort != Sort::Text || b.paragraphs.iter().all(String::is_empty) {
            continue;
        }
        let own = b.text();
        let joined = format!("{own}{text}");
        if is_complete_label(&joined) {
            if found.is_some() {
                return None;
            }
            found = Some(k);
        }
    }
    found
}

/// The cell a wrapped piece at `col` starts in: the rightmost of `cells[1..]` starting at or
/// before it (with [`WRAP_SLACK`]), number cells excepted (amounts do not wrap).
fn wrap_target(cells: &[Buf], col: usize) -> Option<usize> {
    cells
        .iter()
        .enumerate()
        .skip(1)
        .rev()
        .find(|(_, b)| b.col <= col + WRAP_SLACK && b.sort != Sort::Number)
        .map(|(k, _)| k)
}

/// The nearest of `starts` to `col`, or `Err` with the two candidates when another is about
/// as near.
fn nearest(starts: &[(usize, usize)], col: usize) -> Result<usize, (usize, usize)> {
    let mut best: Option<(usize, usize)> = None; // (distance, index)
    let mut second: Option<(usize, usize)> = None;
    for &(k, s) in starts {
        let d = s.abs_diff(col);
        match best {
            Some((bd, _)) if d >= bd => {
                if second.is_none_or(|(sd, _)| d < sd) {
                    second = Some((d, k));
                }
            }
            _ => {
                second = best;
                best = Some((d, k));
            }
        }
    }
    match (best, second) {
        (Some((bd, bk)), Some((sd, sk))) if sd <= bd + TIE => Err((bk, sk)),
        (Some((_, bk)), _) => Ok(bk),
        (None, _) => Err((0, 0)),
    }
}

/// An `alignment_uncertain` flag for a piece that fits two cells.
fn uncertain(field: &str, piece: &str, a: &str, b: &str, l: &Line<'_>) -> Flag {
    Flag {
        field: field.into(),
        raw: piece.to_string(),
        message: format!(
            "`{piece}` on line {} lies about as near to the column of `{a}` as to that of `{b}`; not placed",
            l.no
        ),
        origin: l.origin(),
        ..Flag::new(FlagCode::AlignmentUncertain)
    }
}

/// One info row and its wrapped lines: the row's cells (labels and values side by side) and,
/// when pieces sit under complete labels, a row of their values below it.
fn info_group(group: &[Line<'_>], form: &mut Form) {
    let Some(first) = group.first() else {
        return;
    };
    let mut cells: Vec<Buf> = pieces(first.text)
        .iter()
        .map(|p| Buf::of(p, first))
        .collect();
    let goals = cells
        .first()
        .is_some_and(|c| vocab::field(&fold_label(&c.text())) == Some(crate::vocab::Field::Goals));
    if goals && cells.len() == 1 {
        cells.push(Buf::new(usize::MAX));
    }
    if !goals {
        cells.iter_mut().skip(1).for_each(Buf::classify);
    }
    let mut below: Option<Vec<Buf>> = None;
    for l in group.iter().skip(1) {
        for p in pieces(l.text) {
            if p.col <= 1 {
                if let Some(c) = cells.first_mut() {
                    c.join(p.text, l);
                }
                continue;
            }
            if goals {
                goal_piece(&mut cells, &p, l);
                continue;
            }
            if let Some(k) = completes_label(&cells, p.text) {
                if let Some(c) = cells.get_mut(k) {
                    c.join_classified(p.text, l);
                }
                continue;
            }
            let target = wrap_target(&cells, p.col);
            let under_label = target
                .and_then(|k| cells.get(k))
                .is_some_and(|c| c.sort == Sort::Label);
            if !under_label {
                if let Some(c) = target.and_then(|k| cells.get_mut(k)) {
                    c.join_classified(p.text, l);
                }
                continue;
            }
            value_below(&cells, &mut below, &p, l, form);
        }
    }
    form.rows.push(row_of(cells, first));
    if let Some(b) = below {
        let origin = b
            .iter()
            .map(|c| c.origin.clone())
            .find(|o| *o != Origin::Unknown)
            .unwrap_or_else(|| first.origin());
        form.rows.push(Row {
            grid_before: 0,
            cells: b.into_iter().map(Buf::into_cell).collect(),
            origin,
        });
    }
}

/// A goal piece: a new goal at its number (`2、…`), else the wrap of the last one.
fn goal_piece(cells: &mut [Buf], p: &Piece<'_>, l: &Line<'_>) {
    let Some(c) = cells.get_mut(1) else {
        return;
    };
    if c.paragraphs.is_empty() {
        c.origin = l.origin();
    }
    if c.paragraphs.is_empty() || values::goal_marker(p.text).is_some() {
        c.paragraphs.push(p.text.to_string());
    } else {
        c.join(p.text, l);
    }
}

/// A value under the labels of an info row (`25.00` under `3 月底`, the use of funds under
/// `预算数`): into the row below, under the nearest label.
fn value_below(
    cells: &[Buf],
    below: &mut Option<Vec<Buf>>,
    p: &Piece<'_>,
    l: &Line<'_>,
    form: &mut Form,
) {
    let labels: Vec<(usize, usize)> = cells
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, c)| c.sort == Sort::Label)
        .map(|(k, c)| (k, c.col))
        .collect();
    let row = below.get_or_insert_with(|| cells.iter().map(|c| Buf::new(c.col)).collect());
    match nearest(&labels, p.col) {
        Ok(k) => {
            if let Some(c) = row.get_mut(k) {
                c.join(p.text, l);
            }
        }
        Err((a, b)) => {
            let name = |k: usize| cells.get(k).map(Buf::text).unwrap_or_default();
            form.flags
                .push(uncertain("info", p.text, &name(a), &name(b), l));
        }
    }
}

fn row_of(cells: Vec<Buf>, first: &Line<'_>) -> Row {
    Row {
        grid_before: 0,
        cells: cells.into_iter().map(Buf::into_cell).collect(),
        origin: first.origin(),
    }
}

/// The grid header and its wrapped lines (`绩效指标描` / `述`): its row, and the column
/// starts of the grid.
fn header_group(group: &[Line<'_>], form: &mut Form) -> Vec<usize> {
    let Some(first) = group.first() else {
        return Vec::new();
    };
    let mut cells: Vec<Buf> = pieces(first.text)
        .iter()
        .map(|p| Buf::of(p, first))
        .collect();
    cells.truncate(MAX_GRID_COLUMNS);
    cells.iter_mut().for_each(Buf::classify);
    let starts: Vec<(usize, usize)> = cells.iter().enumerate().map(|(k, c)| (k, c.col)).collect();
    for l in group.iter().skip(1) {
        for p in pieces(l.text) {
            let k = completes_label(&cells, p.text).or_else(|| nearest(&starts, p.col).ok());
            if let Some(c) = k.and_then(|k| cells.get_mut(k)) {
                c.join_classified(p.text, l);
            }
        }
    }
    let cols = cells.iter().map(|c| c.col).collect();
    form.rows.push(row_of(cells, first));
    cols
}

/// Where the pieces of a grid row's first line go: `Some(column)` per piece. In order when
/// they are as many as the columns; fewer are placed at the columns nearest them (the best
/// order-keeping placement); `Err` when two placements are about as good or the pieces are
/// too many.
fn place_row(pieces: &[Piece<'_>], cols: &[usize]) -> Result<Vec<usize>, String> {
    let (n, m) = (pieces.len(), cols.len());
    if n == m {
        return Ok((0..n).collect());
    }
    if n > m || m > MAX_GRID_COLUMNS {
        return Err(format!("{n} cells for {m} columns"));
    }
    // Every order-keeping choice of n columns out of m (at most C(10,5) = 252).
    let mut best: Option<(usize, Vec<usize>)> = None;
    let mut second: Option<usize> = None;
    let mut choice: Vec<usize> = (0..n).collect();
    loop {
        let cost: usize = choice
            .iter()
            .zip(pieces)
            .map(|(&j, p)| cols.get(j).map_or(usize::MAX / 16, |c| c.abs_diff(p.col)))
            .sum();
        match &best {
            Some((bc, _)) if cost >= *bc => {
                if second.is_none_or(|s| cost < s) {
                    second = Some(cost);
                }
            }
            _ => {
                second = best.as_ref().map(|(c, _)| *c);
                best = Some((cost, choice.clone()));
            }
        }
        if !next_choice(&mut choice, m) {
            break;
        }
    }
    match (best, second) {
        (Some((bc, _)), Some(sc)) if sc < bc + PLACEMENT_MARGIN => Err(format!(
            "two placements of its {n} cells under the {m} columns fit about as well"
        )),
        (Some((_, c)), _) => Ok(c),
        (None, _) => Err("no placement".into()),
    }
}

/// The next increasing choice of `choice.len()` indices below `m`; `false` after the last.
fn next_choice(choice: &mut [usize], m: usize) -> bool {
    let n = choice.len();
    let mut i = n;
    while i > 0 {
        i -= 1;
        let limit = m - (n - i);
        if choice.get(i).is_some_and(|&v| v < limit) {
            let v = choice.get(i).copied().unwrap_or(0) + 1;
            for (off, slot) in choice.iter_mut().skip(i).enumerate() {
                *slot = v + off;
            }
            return true;
        }
    }
    false
}

/// A row short of cells whose pieces hold single spaces (`社会影响力 在全国或全`): split at the
/// spaces after which a word starts exactly at a header column's start, when the row then
/// has no more pieces than columns. `None` when nothing splits.
fn split_at_columns<'d>(ps: &[Piece<'d>], cols: &[usize]) -> Option<Vec<Piece<'d>>> {
    let mut out: Vec<Piece<'d>> = Vec::with_capacity(cols.len());
    let mut split = false;
    for p in ps {
        if !p.text.contains(' ') {
            out.push(*p);
            continue;
        }
        let (mut from, mut from_col, mut col) = (0usize, p.col, p.col);
        for (i, ch) in p.text.char_indices() {
            col += 1;
            let word = i + ch.len_utf8();
            let starts_column = ch == ' ' && cols.iter().any(|&c| c == col && c > p.col);
            if starts_column {
                if let Some(head) = p.text.get(from..i).filter(|h| !h.is_empty()) {
                    out.push(Piece {
                        col: from_col,
                        text: head,
                    });
                    split = true;
                }
                from = word;
                from_col = col;
            }
        }
        if let Some(tail) = p.text.get(from..).filter(|t| !t.is_empty()) {
            out.push(Piece {
                col: from_col,
                text: tail,
            });
        }
    }
    (split && out.len() <= cols.len()).then_some(out)
}

/// One grid row and its wrapped lines, as a row of the header's columns.
fn grid_group(group: &[Line<'_>], cols: &[usize], form: &mut Form) {
    let Some(first) = group.first() else {
        return;
    };
    let mut ps = pieces(first.text);
    if ps.len() < cols.len() {
        if let Some(split) = split_at_columns(&ps, cols) {
            form.flags.push(Flag {
                field: "indicators".into(),
                raw: ps.iter().map(|p| p.text).collect::<Vec<_>>().join("|"),
                message: format!(
                    "grid row on line {}: cells one space apart split where a header column starts",
                    first.no
                ),
                origin: first.origin(),
                ..Flag::new(FlagCode::CellPlacedByInference)
            });
            ps = split;
        }
    }
    let mut cells: Vec<Buf> = cols.iter().map(|&c| Buf::new(c)).collect();
    match place_row(&ps, cols) {
        Ok(at) => {
            for (p, j) in ps.iter().zip(&at) {
                if let Some(c) = cells.get_mut(*j) {
                    *c = Buf::of(p, first);
                }
            }
            if ps.len() < cols.len() {
                form.flags.push(Flag {
                    field: "indicators".into(),
                    raw: ps.iter().map(|p| p.text).collect::<Vec<_>>().join("|"),
                    message: format!(
                        "grid row on line {} has {} cells for {} columns: placed under the columns nearest their positions",
                        first.no,
                        ps.len(),
                        cols.len()
                    ),
                    origin: first.origin(),
                    ..Flag::new(FlagCode::CellPlacedByInference)
                });
            }
        }
        Err(why) => {
            form.flags.push(Flag {
                field: "indicators".into(),
                raw: ps.iter().map(|p| p.text).collect::<Vec<_>>().join("|"),
                message: format!("grid row on line {}: {why}; not placed", first.no),
                origin: first.origin(),
                ..Flag::new(FlagCode::AlignmentUncertain)
            });
            return;
        }
    }
    // Joins do not move a cell: the starts hold for the whole group.
    let starts: Vec<(usize, usize)> = cells.iter().enumerate().map(|(k, c)| (k, c.col)).collect();
    for l in group.iter().skip(1) {
        for p in pieces(l.text) {
            match nearest(&starts, p.col) {
                Ok(k) => {
                    if let Some(c) = cells.get_mut(k) {
                        c.join(p.text, l);
                    }
                }
                Err((a, b)) => {
                    let name = |k: usize| cells.get(k).map(Buf::text).unwrap_or_default();
                    let f = uncertain("indicators", p.text, &name(a), &name(b), l);
                    form.flags.push(f);
                }
            }
        }
    }
    form.rows.push(row_of(cells, first));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(ps: &[Piece<'a>]) -> Vec<(usize, &'a str)> {
        ps.iter().map(|p| (p.col, p.text)).collect()
    }

    #[test]
    fn pieces_split_at_gaps_labels_and_numbers() {
        assert_eq!(
            texts(&pieces(
                "项目编码     467-0201-JCN-6A74 项目名称  空气质量排名奖励"
            )),
            [
                (0, "项目编码"),
                (9, "467-0201-JCN-6A74"),
                (27, "项目名称"),
                (33, "空气质量排名奖励")
            ]
        );
        assert_eq!(
            texts(&pieces("计划      25.00 55.00                75.00")),
            [(0, "计划"), (8, "25.00"), (14, "55.00"), (35, "75.00")]
        );
        // A space inside a cell stays: `2020 年`, `3 月底`, `0 改善空气`.
        assert_eq!(
            texts(&pieces("资金支出    3 月底  0 改善空气")),
            [(0, "资金支出"), (8, "3 月底"), (14, "0 改善空气")]
        );
    }

    #[test]
    fn choices_are_all_visited() {
        let mut c = vec![0, 1];
        let mut n = 1;
        while next_choice(&mut c, 4) {
            n += 1;
        }
        assert_eq!(n, 6);
    }

    #[test]
    fn a_short_row_is_placed_by_position_or_not_at_all() {
        let p = |col| Piece { col, text: "x" };
        let cols = [0, 11, 22, 29, 39, 48];
        assert_eq!(
            place_row(&[p(0), p(11), p(22), p(29), p(48)], &cols),
            Ok(vec![0, 1, 2, 3, 5])
        );
        // Halfway between the value and basis columns: either fits.
        assert!(place_row(&[p(0), p(11), p(22), p(29), p(43)], &cols).is_err());
    }
}
