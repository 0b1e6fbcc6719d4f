//! The document model that every tablift reader produces and every normaliser consumes.
//!
//! # Brief overview
//!
//! A [`Document`] is a small, closed tree in reading order, in the spirit of pandoc's AST:
//!
//! * [`Block::Paragraph`]: a heading or body paragraph, with a parsed Word `TC` field
//!   ([`TcField`]) where the source had one;
//! * [`Block::Table`]: rows of cells; each [`Cell`] holds its paragraphs, its `col_span` and
//!   `row_span` (1 where the source does not say), and any nested tables;
//! * page furniture (a lone page number, headers, footers, footnotes) lives apart from content
//!   in [`Document::furniture`], so that it never pollutes tables or narrative.
//!
//! Every block, row, cell and paragraph carries an [`Origin`]: the 1-based line and byte offset
//! of a text export, or the part and element path inside a `.docx`. Two documents read from
//! different forms of the same report compare equal with [`Document::content_eq`], which ignores
//! origins and source metadata.
//!
//! ```
//! use tablift_model::{Block, Cell, Document, Origin, Row, SourceInfo, SourceFormat, Table};
//!
//! let mut doc = Document::new(SourceInfo::new("a.txt", SourceFormat::TextExport));
//! let cell = Cell::from_text("项目编码", Origin::text(3, 40));
//! let row = Row { cells: vec![cell], origin: Origin::text(3, 40), ..Row::default() };
//! doc.blocks.push(Block::Table(Table { rows: vec![row], origin: Origin::text(3, 40) }));
//! assert_eq!(doc.tables().count(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not for: parsing (see `tablift-textexport`, `tablift-docx`) or interpreting what the tables
//! mean (see `tablift-budget`). The model records what the source says, never a correction.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The inline string type of [`Origin::Docx`] paths (re-exported so that callers can name it).
pub use compact_str::CompactString;

#[cfg(any(test, feature = "fuzzing"))]
mod fuzzing;
#[cfg(any(test, feature = "fuzzing"))]
pub use fuzzing::document_from_fuzz_bytes;
pub mod read;

/// Longest paragraph of digits taken for a page number by
/// [`Document::take_trailing_page_number`].
pub const MAX_PAGE_NUMBER_DIGITS: usize = 4;

/// One input document, in reading order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Where the document came from and how it was decoded.
    pub source: SourceInfo,
    /// Content blocks in reading order.
    pub blocks: Vec<Block>,
    /// Page furniture (page numbers, headers, footers, footnotes), kept apart from content.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<Furniture>,
    /// What the reader could not read as it should and worked around (damaged bytes decoded
    /// as U+FFFD, a broken part skipped, a zip recovered from its local headers): said out
    /// loud, so that families can flag the values it touches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

/// Something a reader worked around, with where it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// A stable snake_case code (`encoding_damaged`, `part_skipped`, `zip_recovered`, …).
    pub code: String,
    /// A human message (which bytes, lines or parts).
    pub message: String,
    /// Where (the first place, when the diagnostic covers several).
    pub origin: Origin,
}

impl Document {
    /// An empty document for `source`.
    pub fn new(source: SourceInfo) -> Self {
        Document {
            source,
            blocks: Vec::new(),
            furniture: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Top-level tables in reading order (nested tables are reached through their cells).
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }

    /// Whether two documents carry the same content: blocks and furniture, ignoring every
    /// [`Origin`] and the [`SourceInfo`]. This is the equality that "every route must yield the
    /// same records" is tested with.
    pub fn content_eq(&self, other: &Document) -> bool {
        let strip = |d: &Document| {
            let mut d = d.clone();
            d.strip_origins();
            (d.blocks, d.furniture)
        };
        strip(self) == strip(other)
    }

    /// Move a lone page number ending the body (a last paragraph of at most
    /// [`MAX_PAGE_NUMBER_DIGITS`] ASCII digits, neither a heading nor a `TC` entry) to
    /// [`Document::furniture`]. Both readers apply this one rule: Tika prints the page number
    /// of a legacy `.doc` at the end of its text, and documents rebuilt from it keep it as a
    /// body paragraph.
    pub fn take_trailing_page_number(&mut self) {
        let Some(Block::Paragraph(p)) = self.blocks.last() else {
            return;
        };
        let t = p.text.trim();
        let lone_number = (1..=MAX_PAGE_NUMBER_DIGITS).contains(&t.len())
            && t.bytes().all(|b| b.is_ascii_digit())
            && p.tc.is_none()
            && p.heading_level.is_none();
        if !lone_number {
            return;
        }
        if let Some(Block::Paragraph(p)) = self.blocks.pop() {
            self.furniture.push(Furniture {
                kind: FurnitureKind::PageNumber,
                text: p.text.trim().to_string(),
                origin: p.origin,
            });
        }
    }

    /// Replace every origin with [`Origin::Unknown`] (for content comparisons and snapshots).
    pub fn strip_origins(&mut self) {
        for b in &mut self.blocks {
            b.strip_origins();
        }
        for f in &mut self.furniture {
            f.origin = Origin::Unknown;
        }
    }
}

/// Where a document came from and how it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The input path exactly as the user gave it (or as found under a given directory).
    pub path: String,
    /// The container format.
    pub format: SourceFormat,
    /// Detected text encoding (`"UTF-8"`, `"UTF-16LE"`, `"GB18030"`, …); `None` for `.docx`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Whether the text used CRLF line ends; `None` for `.docx`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crlf: Option<bool>,
    /// Detected layout of a text export; `None` for `.docx`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<TextLayout>,
}

impl SourceInfo {
    /// Source info with only the path and format known.
    pub fn new(path: impl Into<String>, format: SourceFormat) -> Self {
        SourceInfo {
            path: path.into(),
            format,
            encoding: None,
            crlf: None,
            layout: None,
        }
    }
}

/// The container format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// A plain-text export (Apache Tika, LibreOffice, a Windows re-save of either).
    TextExport,
    /// A Word 2007+ `.docx` file.
    Docx,
    /// A Word 97-2003 binary `.doc` file.
    Doc,
    /// An HTML page.
    Html,
    /// A Markdown file (GFM pipe tables, HTML blocks).
    Markdown,
    /// A PDF file.
    Pdf,
}

impl SourceFormat {
    /// The stable snake_case name (`text_export`, `docx`, `doc`, `html`, `markdown`, `pdf`),
    /// as serialised and as shown in the `format` field of document records.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::TextExport => "text_export",
            SourceFormat::Docx => "docx",
            SourceFormat::Doc => "doc",
            SourceFormat::Html => "html",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Pdf => "pdf",
        }
    }
}

/// How a text export lays out table cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextLayout {
    /// Tika on a legacy `.doc`: every cell on its own TAB-prefixed line, a blank line ends a row.
    CellPerLine,
    /// Tika on a `.docx`: a row is one line of TAB-prefixed cells.
    RowPerLine,
    /// No table marks at all (e.g. LibreOffice "Text (encoded)"): every paragraph on its own line.
    Flattened,
    /// A web table flattened to one row per line of `|`-separated cells (`| a | b |`, with or
    /// without the outer `|`, Markdown's `---` delimiter row skipped).
    PipeRows,
    /// A web table flattened to one cell per line, each closed by a `|` (`text |`); runs of
    /// `|` are empty cells, a row starts with a lone `|`.
    PipeCells,
}

impl TextLayout {
    /// The stable snake_case name (`cell_per_line`, `row_per_line`, `flattened`, `pipe_rows`,
    /// `pipe_cells`).
    pub fn as_str(self) -> &'static str {
        match self {
            TextLayout::CellPerLine => "cell_per_line",
            TextLayout::RowPerLine => "row_per_line",
            TextLayout::Flattened => "flattened",
            TextLayout::PipeRows => "pipe_rows",
            TextLayout::PipeCells => "pipe_cells",
        }
    }
}

/// A content block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading or body paragraph.
    Paragraph(Paragraph),
    /// A table.
    Table(Table),
}

impl Block {
    /// The block's origin.
    pub fn origin(&self) -> &Origin {
        match self {
            Block::Paragraph(p) => &p.origin,
            Block::Table(t) => &t.origin,
        }
    }

    fn strip_origins(&mut self) {
        match self {
            Block::Paragraph(p) => p.origin = Origin::Unknown,
            Block::Table(t) => t.strip_origins(),
        }
    }
}

/// A paragraph: visible text, plus what makes it a heading.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Visible text, without field instructions (a `TC` field's code is in [`Paragraph::tc`]).
    /// Trailing whitespace is trimmed (exports differ there); leading whitespace is kept.
    pub text: String,
    /// Outline level (1 = top) where the source states one: a `Heading N` style or
    /// `w:outlineLvl` in `.docx`. Text exports carry no styles, so this is `None` there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_level: Option<u8>,
    /// A table-of-contents entry field (`TC`) found in the paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tc: Option<TcField>,
    /// Where the paragraph came from.
    pub origin: Origin,
}

/// A parsed Word `TC` (table of contents entry) field, e.g. `TC "总体绩效目标" \f A \l 1`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcField {
    /// The entry text (quotes removed).
    pub entry: String,
    /// The `\f` switch: the table-of-contents type identifier (e.g. `A`, `C`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_id: Option<String>,
    /// The `\l` switch: the entry level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// Any other switches, in source order, each with its argument if it had one
    /// (e.g. `("\\n", None)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_switches: Vec<(String, Option<String>)>,
}

/// A table: rows of cells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Rows, top to bottom.
    pub rows: Vec<Row>,
    /// Where the table starts.
    pub origin: Origin,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Most continued cells [`Table::logical_rows`] gives for one table (24 bytes each): ten
/// merges over every row of a 100,000-row table.
pub const MAX_CONTINUED_CELLS: usize = 1_000_000;

/// A vertical merge still open on the rows below the one it started on.
#[derive(Clone, Copy)]
struct OpenMerge<'a> {
    col: u32,
    span: u32,
    /// Rows below still covered.
    rows_left: u32,
    cell: &'a Cell,
}

impl OpenMerge<'_> {
    /// The first column past the merge.
    fn end(&self) -> u32 {
        self.col.saturating_add(self.span.max(1))
    }
}

/// Open the merges that start on a row (`cells`, in column order) among those still open
/// from above (`open`, in column order), leaving out one that overlaps a merge from above.
fn open_merges<'a>(open: &mut Vec<OpenMerge<'a>>, cells: &[LogicalCell<'a>]) {
    let mut starting = cells
        .iter()
        .filter(|lc| !lc.continued && lc.cell.row_span > 1)
        .map(|lc| OpenMerge {
            col: lc.col,
            span: lc.col_span,
            rows_left: lc.cell.row_span - 1,
            cell: lc.cell,
        })
        .peekable();
    if starting.peek().is_none() {
        return;
    }
    let mut merged: Vec<OpenMerge<'a>> = Vec::with_capacity(open.len() + cells.len());
    let mut above = open.iter().copied().peekable();
    for m in starting {
        while let Some(a) = above.next_if(|a| a.col < m.col) {
            merged.push(a);
        }
        let clear_left = merged.last().is_none_or(|l| l.end() <= m.col);
        let clear_right = above.peek().is_none_or(|a| m.end() <= a.col);
        if clear_left && clear_right {
            merged.push(m);
        }
    }
    merged.extend(above);
    *open = merged;
}

/// A cell as seen on one logical row of a table: see [`Table::logical_rows`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogicalCell<'a> {
    /// The cell (for a continued slot, the origin cell of the vertical merge).
    pub cell: &'a Cell,
    /// Whether this slot is covered by a vertical merge that started on an earlier row.
    pub continued: bool,
    /// The first grid column the cell covers (0-based).
    pub col: u32,
    /// Grid columns covered.
    pub col_span: u32,
}

impl Table {
    /// The table as rows of logical cells, with vertically merged cells put back on every row
    /// they cover (flagged `continued`), placed on the grid the way HTML places `rowspan`s.
    ///
    /// This is the view a text export gives (a merged cell's later rows show up as empty
    /// cells), so normalisers that work on it read `.docx` and text exports alike.
    ///
    /// At most [`MAX_CONTINUED_CELLS`] continued cells: see [`Table::logical_rows_within`].
    pub fn logical_rows(&self) -> Vec<Vec<LogicalCell<'_>>> {
        self.logical_rows_within(MAX_CONTINUED_CELLS).0
    }

    /// [`Table::logical_rows`] with at most `max_continued` continued cells, and whether
    /// merges were cut short to stay within it (the rows from the cut on show only their own
    /// cells).
    ///
    /// The view repeats a merged cell on every row it covers, so its size is the product of
    /// rows and open merges: 10,000 rows each opening a merge to the table's end (HTML
    /// `rowspan`, 30 bytes a row) would be 50 million cells. The bound keeps that in check.
    ///
    /// A merge that overlaps one still open from above (a shape no real table has) is not
    /// continued: the one from above keeps its columns. Open merges thus never overlap, and
    /// each row is one walk over its own cells and the open merges, in column order.
    pub fn logical_rows_within(&self, max_continued: usize) -> (Vec<Vec<LogicalCell<'_>>>, bool) {
        // Merges open from rows above, in column order and disjoint.
        let mut open: Vec<OpenMerge<'_>> = Vec::new();
        let mut out = Vec::with_capacity(self.rows.len());
        let mut continued = 0usize;
        let mut cut = false;
        for row in &self.rows {
            if continued.saturating_add(open.len()) > max_continued {
                open.clear();
                cut = true;
            }
            let mut cells: Vec<LogicalCell<'_>> = Vec::with_capacity(row.cells.len() + open.len());
            let mut col = row.grid_before;
            let mut own = row.cells.iter();
            // The first open merge not wholly left of `col`.
            let mut k = open.partition_point(|m| m.end() <= col);
            loop {
                // A merge from above covers this column; or, once the row's own cells are used
                // up, merges from above further right still show up.
                let next = open.get(k).copied();
                let merge = match next {
                    Some(m) if m.col <= col => m,
                    _ => match own.next() {
                        Some(cell) => {
                            let span = cell.col_span.max(1);
                            cells.push(LogicalCell {
                                cell,
                                continued: false,
                                col,
                                col_span: span,
                            });
                            col = col.saturating_add(span);
                            // Merges the cell reaches over are not shown on this row.
                            while open.get(k).is_some_and(|m| m.end() <= col) {
                                k += 1;
                            }
                            continue;
                        }
                        None => match next {
                            Some(m) => m,
                            None => break,
                        },
                    },
                };
                cells.push(LogicalCell {
                    cell: merge.cell,
                    continued: true,
                    col: merge.col,
                    col_span: merge.span,
                });
                continued += 1;
                col = col.max(merge.end());
                k += 1;
            }
            // Age the merges from above, then open the ones that start on this row.
            open.retain_mut(|m| {
                m.rows_left -= 1;
                m.rows_left > 0
            });
            open_merges(&mut open, &cells);
            out.push(cells);
        }
        (out, cut)
    }

    fn strip_origins(&mut self) {
        self.origin = Origin::Unknown;
        for r in &mut self.rows {
            r.origin = Origin::Unknown;
            for c in &mut r.cells {
                c.origin = Origin::Unknown;
                for t in &mut c.tables {
                    t.strip_origins();
                }
            }
        }
    }
}

/// A table row. A cell covered by a vertical merge from above is *not* repeated here: the
/// origin cell carries `row_span > 1` instead ([`Table::logical_rows`] puts it back).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Grid columns skipped before the first cell (`w:gridBefore`); 0 almost always.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub grid_before: u32,
    /// Cells, left to right.
    pub cells: Vec<Cell>,
    /// Where the row starts.
    pub origin: Origin,
}

/// A table cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell's paragraphs, in order. Readers drop trailing empty paragraphs, so an empty
    /// cell has none and `["a", ""]` never occurs (inner empty paragraphs are kept).
    pub paragraphs: Vec<String>,
    /// Logical columns covered (1 where unknown).
    pub col_span: u32,
    /// Rows covered, counting this one (1 where unknown).
    pub row_span: u32,
    /// Tables nested inside the cell, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    /// Where the cell starts.
    pub origin: Origin,
}

impl Default for Cell {
    fn default() -> Self {
        Cell {
            paragraphs: Vec::new(),
            col_span: 1,
            row_span: 1,
            tables: Vec::new(),
            origin: Origin::Unknown,
        }
    }
}

impl Cell {
    /// A one-paragraph cell with spans of 1.
    pub fn from_text(text: impl Into<String>, origin: Origin) -> Self {
        Cell {
            paragraphs: vec![text.into()],
            origin,
            ..Cell::default()
        }
    }

    /// The cell's text: paragraphs joined with `\n`, trailing empty paragraphs dropped.
    pub fn text(&self) -> String {
        self.visible_paragraphs().join("\n")
    }

    /// The paragraphs [`Cell::text`] joins: trailing whitespace-only ones dropped (writers use
    /// this to write the text without building it).
    pub fn visible_paragraphs(&self) -> &[String] {
        let mut end = self.paragraphs.len();
        while end > 0
            && self
                .paragraphs
                .get(end - 1)
                .is_some_and(|p| p.trim().is_empty())
        {
            end -= 1;
        }
        self.paragraphs.get(..end).unwrap_or(&[])
    }

    /// Whether the cell has no visible text (whitespace only) and no nested table.
    pub fn is_blank(&self) -> bool {
        self.tables.is_empty() && self.paragraphs.iter().all(|p| p.trim().is_empty())
    }
}

/// Page furniture: text that belongs to the page, not to the content flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Furniture {
    /// What kind of furniture this is.
    pub kind: FurnitureKind,
    /// Its text.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
}

/// Kinds of page furniture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    /// A page number standing alone (e.g. `1` at the end of a Tika export).
    PageNumber,
    /// A page header.
    Header,
    /// A page footer.
    Footer,
    /// A footnote or endnote.
    Note,
}

/// Provenance: where a block, row, cell or paragraph came from.
///
/// Serialised with a `kind` tag: `{"kind":"text","line":7,"byte":99}`,
/// `{"kind":"docx","part":"word/document.xml","path":"b12/r3/c2"}`,
/// `{"kind":"doc","stream":"WordDocument","cp":9289}`,
/// `{"kind":"html","path":"body/table[1]/tr[2]/td[1]","byte":5120}`,
/// `{"kind":"pdf","page":3,"bbox":[72.0,700.5,300.0,712.0]}`; in CSV columns, as its
/// `Display` (`line 7 (byte 99)`, `word/document.xml:b12/r3/c2`, `WordDocument:cp9289`, …).
/// New variants may be added: match with a wildcard arm.
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Not recorded (or stripped for comparison).
    #[default]
    Unknown,
    /// A line of a text export: 1-based line number, 0-based byte offset of the line start in
    /// the *original* (undecoded) bytes.
    Text {
        /// 1-based line number.
        line: u32,
        /// 0-based byte offset of the line start in the input file.
        byte: u64,
    },
    /// An element of a `.docx`: the zip part and an element path.
    ///
    /// The path names body block, row, cell and paragraph indices, all 0-based, e.g.
    /// `b12/r3/c2/p0` (paragraph 0 of cell 2 of row 3 of the table at body block 12);
    /// nested tables continue it with `t0/r1/c0`.
    ///
    /// Both fields serialise as plain strings and build from `&str` with `.into()`. The part
    /// name is shared (one allocation per part, not per cell) and the path is stored inline
    /// (paths up to 24 bytes, which covers every path short of deep nesting, allocate
    /// nothing): a `.docx` read builds one origin per block, row and cell.
    Docx {
        /// The zip part, e.g. `word/document.xml`.
        part: Arc<str>,
        /// Element path inside the part.
        #[schemars(with = "String")]
        path: CompactString,
    },
    /// A character of a legacy `.doc`: the OLE2 stream holding the text (`WordDocument`) and
    /// the character position (CP) of the first character. Shown as `WordDocument:cp9289`.
    Doc {
        /// The stream, shared like [`Origin::Docx`]'s part.
        stream: Arc<str>,
        /// 0-based character position in the document's main text.
        cp: u32,
    },
    /// An element of an HTML page or a Markdown file: an element path (`body/table[2]/tr[3]/td[1]`
    /// for HTML, `b12/r3/c2` for Markdown) and the 0-based byte offset of the element's start
    /// in the original bytes. Shown as `body/table[2]/tr[3]/td[1] (byte 5120)`.
    Html {
        /// Element path.
        #[schemars(with = "String")]
        path: CompactString,
        /// 0-based byte offset in the input file.
        byte: u64,
    },
    /// A region of a PDF page: the 1-based page number and a bounding box in PDF points
    /// (origin at the page's bottom left, as PDF user space). Shown as
    /// `page 3 [72.0 700.5 300.0 712.0]`.
    Pdf {
        /// 1-based page number.
        page: u32,
        /// The region on the page: `[x0, y0, x1, y1]`.
        #[schemars(with = "[f32; 4]")]
        bbox: Bbox,
    },
}

/// A rectangle on a PDF page, in points: `[x0, y0, x1, y1]` with `x0 <= x1`, `y0 <= y1`.
///
/// Coordinates are stored as `f32` but compared and hashed by their bits (so that origins can
/// be `Eq` and `Hash`); NaN never comes out of a reader.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
#[serde(into = "[f32; 4]", from = "[f32; 4]")]
pub struct Bbox {
    /// Left.
    pub x0: f32,
    /// Bottom.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Top.
    pub y1: f32,
}

impl Bbox {
    /// The box as `Origin`'s `Display` writes it, `[x0 y0 x1 y1]` in tenths of a point, into
    /// `w`. A writer into a `String` skips the `Formatter` machinery, which cost more than
    /// the digits: renderers write one box for every PDF cell.
    pub fn write_tenths<W: std::fmt::Write>(&self, w: &mut W) -> std::fmt::Result {
        w.write_char('[')?;
        write_tenths(w, self.x0)?;
        w.write_char(' ')?;
        write_tenths(w, self.y0)?;
        w.write_char(' ')?;
        write_tenths(w, self.x1)?;
        w.write_char(' ')?;
        write_tenths(w, self.y1)?;
        w.write_char(']')
    }

    fn bits(&self) -> [u32; 4] {
        [self.x0, self.y0, self.x1, self.y1].map(f32::to_bits)
    }
}

impl PartialEq for Bbox {
    fn eq(&self, other: &Self) -> bool {
        self.bits() == other.bits()
    }
}

impl Eq for Bbox {}

impl std::hash::Hash for Bbox {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bits().hash(state);
    }
}

impl From<Bbox> for [f32; 4] {
    fn from(b: Bbox) -> Self {
        [b.x0, b.y0, b.x1, b.y1]
    }
}

impl From<[f32; 4]> for Bbox {
    fn from([x0, y0, x1, y1]: [f32; 4]) -> Self {
        Bbox { x0, y0, x1, y1 }
    }
}

impl Origin {
    /// A text-export origin.
    pub fn text(line: u32, byte: u64) -> Self {
        Origin::Text { line, byte }
    }

    /// The 1-based line number for text origins.
    pub fn line(&self) -> Option<u32> {
        match self {
            Origin::Text { line, .. } => Some(*line),
            _ => None,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Unknown => Ok(()),
            Origin::Text { line, byte } => write!(f, "line {line} (byte {byte})"),
            Origin::Docx { part, path } => write!(f, "{part}:{path}"),
            Origin::Doc { stream, cp } => write!(f, "{stream}:cp{cp}"),
            Origin::Html { path, byte } => write!(f, "{path} (byte {byte})"),
            Origin::Pdf { page, bbox } => {
                write!(f, "page {page} ")?;
                bbox.write_tenths(f)
            }
        }
    }
}

/// An `f32` written as `{:.1}` writes it, without the exact float formatter: that one costs
/// ~1,500 instructions a number, and a PDF origin (four numbers) is written for every cell
/// (8% of all instructions of `extract --format csv` on seed.pdf). Same digits: the `f32`
/// times 10 is exact in `f64`, and both round the exact value half to even (checked against
/// `{:.1}` on 24 million values, ties included). Digits go out one `write_char` at a time:
/// into a `String` that is a push.
fn write_tenths<W: std::fmt::Write>(w: &mut W, v: f32) -> std::fmt::Result {
    let x = f64::from(v);
    let t = (x.abs() * 10.0).round_ties_even();
    if !x.is_finite() || t >= 1e15 {
        return write!(w, "{v:.1}");
    }
    // Finite, non-negative and below 1e15: the cast is exact.
    let t = t as u64;
    if x.is_sign_negative() {
        w.write_char('-')?;
    }
    let whole = t / 10;
    let mut place = 1u64;
    while place <= whole / 10 {
        place *= 10;
    }
    loop {
        w.write_char(digit(whole / place))?;
        if place == 1 {
            break;
        }
        place /= 10;
    }
    w.write_char('.')?;
    w.write_char(digit(t))
}

/// The last decimal digit of `n`.
fn digit(n: u64) -> char {
    char::from(b'0' + (n % 10) as u8)
}

/// [`write_tenths`] as a `Display` value (for the tests against `{:.1}`).
#[cfg(test)]
struct Tenths(f32);

#[cfg(test)]
impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_tenths(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_write_what_the_float_formatter_writes() {
        let mut bits = 0u32;
        let mut values = vec![
            0.25f32,
            0.75,
            1.25,
            -0.25,
            -0.0,
            0.05,
            -0.04,
            1e15,
            1e16,
            f32::INFINITY,
            f32::NAN,
        ];
        // Every 9973rd f32 from 0 to ~2000, both signs: subnormals, ties, page coordinates.
        while bits < 0x4500_0000 {
            values.push(f32::from_bits(bits));
            bits += 9973;
        }
        for v in values {
            for v in [v, -v] {
                assert_eq!(Tenths(v).to_string(), format!("{v:.1}"), "{v:?}");
            }
        }
        assert_eq!(Tenths(612.0).to_string(), "612.0");
        assert_eq!(Tenths(0.25).to_string(), "0.2");
        assert_eq!(Tenths(-0.04).to_string(), "-0.0");
    }

    fn sample(origin: Origin) -> Document {
        let mut doc = Document::new(SourceInfo::new("x", SourceFormat::TextExport));
        doc.blocks.push(Block::Paragraph(Paragraph {
            text: "标题".into(),
            origin: origin.clone(),
            ..Paragraph::default()
        }));
        let cell = Cell {
            paragraphs: vec!["1、a".into(), "2、b".into(), "".into()],
            ..Cell::from_text("", origin.clone())
        };
        doc.blocks.push(Block::Table(Table {
            rows: vec![Row {
                cells: vec![cell],
                origin: origin.clone(),
                ..Row::default()
            }],
            origin,
        }));
        doc
    }

    #[test]
    fn content_eq_ignores_origins_but_not_text() {
        let a = sample(Origin::text(1, 0));
        let b = sample(Origin::Docx {
            part: "word/document.xml".into(),
            path: "b0".into(),
        });
        assert!(a.content_eq(&b));
        let mut c = b.clone();
        if let Some(Block::Paragraph(p)) = c.blocks.first_mut() {
            p.text.push('x');
        }
        assert!(!a.content_eq(&c));
    }

    #[test]
    fn cell_text_drops_trailing_empty_paragraphs() {
        let doc = sample(Origin::Unknown);
        let cell = &doc.tables().next().unwrap().rows[0].cells[0];
        assert_eq!(cell.text(), "1、a\n2、b");
        assert!(!cell.is_blank());
        assert!(Cell::from_text("  ", Origin::Unknown).is_blank());
    }

    fn cell(text: &str, col_span: u32, row_span: u32) -> Cell {
        Cell {
            col_span,
            row_span,
            ..Cell::from_text(text, Origin::Unknown)
        }
    }

    #[test]
    fn logical_rows_put_vertical_merges_back() {
        // | A (2 rows) | B        | C (2 rows, 2 cols) |
        // |            | D        |                    |
        // | E          | F        | G        | H       |
        let t = Table {
            rows: vec![
                Row {
                    cells: vec![cell("A", 1, 2), cell("B", 1, 1), cell("C", 2, 2)],
                    ..Row::default()
                },
                Row {
                    cells: vec![cell("D", 1, 1)],
                    ..Row::default()
                },
                Row {
                    cells: vec![
                        cell("E", 1, 1),
                        cell("F", 1, 1),
                        cell("G", 1, 1),
                        cell("H", 1, 1),
                    ],
                    ..Row::default()
                },
            ],
            origin: Origin::Unknown,
        };
        let view: Vec<Vec<(String, bool, u32)>> = t
            .logical_rows()
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| (c.cell.text(), c.continued, c.col))
                    .collect()
            })
            .collect();
        let s = |t: &str, c: bool, col: u32| (t.to_string(), c, col);
        assert_eq!(
            view[0],
            vec![s("A", false, 0), s("B", false, 1), s("C", false, 2)]
        );
        assert_eq!(
            view[1],
            vec![s("A", true, 0), s("D", false, 1), s("C", true, 2)]
        );
        assert_eq!(
            view[2],
            vec![
                s("E", false, 0),
                s("F", false, 1),
                s("G", false, 2),
                s("H", false, 3)
            ]
        );
    }

    /// The placement rules written the plain way (every lookup a scan of the open merges):
    /// what the one-walk [`Table::logical_rows`] must give on any shape.
    fn logical_rows_by_scanning(t: &Table) -> Vec<Vec<(u32, u32, bool, *const Cell)>> {
        let mut open: Vec<(u32, u32, u32, &Cell)> = Vec::new();
        let end = |m: &(u32, u32, u32, &Cell)| m.0.saturating_add(m.1.max(1));
        let mut out = Vec::new();
        for row in &t.rows {
            let mut cells = Vec::new();
            let mut col = row.grid_before;
            let mut own = row.cells.iter();
            // Each open merge shows once a row (one at the grid's last column has no width).
            let mut shown = vec![false; open.len()];
            loop {
                let covering = (0..open.len()).find(|&i| {
                    open.get(i).is_some_and(|m| m.0 <= col && col < end(m))
                        && shown.get(i) == Some(&false)
                });
                let i = match covering {
                    Some(i) => i,
                    None => match own.next() {
                        Some(cell) => {
                            let span = cell.col_span.max(1);
                            cells.push((col, span, false, cell as *const Cell));
                            col = col.saturating_add(span);
                            continue;
                        }
                        None => match (0..open.len())
                            .filter(|&i| {
                                open.get(i).is_some_and(|m| m.0 >= col)
                                    && shown.get(i) == Some(&false)
                            })
                            .min_by_key(|&i| open.get(i).map(|m| m.0))
                        {
                            Some(i) => i,
                            None => break,
                        },
                    },
                };
                let (Some(m), Some(s)) = (open.get(i).copied(), shown.get_mut(i)) else {
                    break;
                };
                *s = true;
                cells.push((m.0, m.1, true, m.3 as *const Cell));
                col = col.max(end(&m));
            }
            open.retain_mut(|m| {
                m.2 -= 1;
                m.2 > 0
            });
            let before = open.clone();
            for &(c, span, continued, cell) in &cells {
                // The pointer is only compared, never dereferenced: find the row's own cell it names.
                let Some(cell) = row.cells.iter().find(|x| std::ptr::eq(*x, cell)) else {
                    continue;
                };
                let new = (c, span, cell.row_span.saturating_sub(1), cell);
                let overlaps = before
                    .iter()
                    .chain(open.iter())
                    .any(|m| m.0 < end(&new) && new.0 < end(m));
                if !continued && cell.row_span > 1 && !overlaps {
                    open.push(new);
                }
            }
            out.push(cells);
        }
        out
    }

    #[test]
    fn logical_rows_walk_gives_what_scanning_gives() {
        let mut seed = 0x9e37_79b9_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for n in 0..3000u32 {
            let rows = (next() % 12) as usize;
            let t = Table {
                rows: (0..rows)
                    .map(|_| Row {
                        grid_before: if next() % 5 == 0 { next() % 3 } else { 0 },
                        cells: (0..next() % 6)
                            .map(|_| {
                                // Wide, but short of the grid's end (`u32::MAX`, where
                                // cells pile up in one column: the test above).
                                let col = if n % 7 == 0 { 1 << 20 } else { 1 + next() % 3 };
                                let row = [1, 1, 2, 3, 0, 20, u32::MAX][(next() % 7) as usize];
                                cell("x", col, row)
                            })
                            .collect(),
                        ..Row::default()
                    })
                    .collect(),
                origin: Origin::Unknown,
            };
            let walk: Vec<Vec<(u32, u32, bool, *const Cell)>> = t
                .logical_rows()
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| (c.col, c.col_span, c.continued, c.cell as *const Cell))
                        .collect()
                })
                .collect();
            let scan = logical_rows_by_scanning(&t);
            for (r, (a, b)) in walk.iter().zip(&scan).enumerate() {
                assert_eq!(a, b, "row {r} of {t:?}");
            }
            assert_eq!(walk.len(), scan.len());
        }
    }

    #[test]
    fn logical_rows_of_a_merge_bomb_are_bounded() {
        // Every row opens a merge to the table's end in a column of its own: the full view
        // would be rows²/2 cells.
        let rows = 5000u32;
        let t = Table {
            rows: (0..rows)
                .map(|r| Row {
                    cells: vec![cell("m", 1, rows - r)],
                    ..Row::default()
                })
                .collect(),
            origin: Origin::Unknown,
        };
        let (view, cut) = t.logical_rows_within(100_000);
        assert!(cut);
        assert_eq!(view.len(), rows as usize);
        let continued: usize = view.iter().flatten().filter(|c| c.continued).count();
        assert!(continued <= 100_000, "{continued}");
        // Up to the cut, each row shows every merge from above, then its own cell; after it,
        // only its own cell.
        assert_eq!(view[3].len(), 4);
        assert!(view[3][..3].iter().all(|c| c.continued));
        assert_eq!(view[3][3].col, 3);
        let last = &view[rows as usize - 1];
        assert_eq!((last.len(), last[0].col, last[0].continued), (1, 0, false));
        // Within the bound, nothing is cut.
        let (_, cut) = t.logical_rows_within(rows as usize * rows as usize);
        assert!(!cut);
    }

    #[test]
    fn logical_rows_survive_arbitrary_shapes() {
        // Spans of u32::MAX, ragged rows, merges everywhere: must terminate without panicking.
        let mut seed = 0x2545_f491_u32;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    (seed >> 24) as u8
                })
                .collect();
            let doc = document_from_fuzz_bytes(&bytes);
            for t in doc.tables() {
                let rows = t.logical_rows();
                assert_eq!(rows.len(), t.rows.len());
            }
        }
        let big = Table {
            rows: vec![
                Row {
                    cells: vec![cell("A", u32::MAX, u32::MAX), cell("B", 1, 1)],
                    ..Row::default()
                },
                Row {
                    cells: vec![cell("C", 1, 1)],
                    ..Row::default()
                },
            ],
            origin: Origin::Unknown,
        };
        let rows = big.logical_rows();
        assert_eq!(rows[1][0].cell.text(), "A");
        assert!(rows[1][0].continued);
    }

    #[test]
    fn a_trailing_lone_number_becomes_page_furniture() {
        let para = |text: &str| {
            Block::Paragraph(Paragraph {
                text: text.into(),
                ..Paragraph::default()
            })
        };
        let mut doc = Document::new(SourceInfo::new("x", SourceFormat::TextExport));
        doc.blocks = vec![para("正文"), para(" 12 ")];
        doc.take_trailing_page_number();
        assert_eq!(doc.blocks, vec![para("正文")]);
        assert_eq!(doc.furniture[0].kind, FurnitureKind::PageNumber);
        assert_eq!(doc.furniture[0].text, "12");
        // Five digits, a heading, or text: content, not furniture.
        for last in [para("12345"), para("第1页")] {
            let mut doc = Document::new(SourceInfo::new("x", SourceFormat::TextExport));
            doc.blocks = vec![last.clone()];
            doc.take_trailing_page_number();
            assert_eq!((doc.blocks, doc.furniture.len()), (vec![last], 0));
        }
        let mut doc = Document::new(SourceInfo::new("x", SourceFormat::Docx));
        doc.blocks = vec![Block::Paragraph(Paragraph {
            text: "3".into(),
            heading_level: Some(1),
            ..Paragraph::default()
        })];
        doc.take_trailing_page_number();
        assert!(doc.furniture.is_empty());
    }

    #[test]
    fn trailing_blank_paragraphs_are_dropped_like_cell_text() {
        let cell = |p: &[&str]| Cell {
            paragraphs: p.iter().map(|s| s.to_string()).collect(),
            ..Cell::default()
        };
        assert_eq!(
            cell(&["a", "", "b", " ", ""])
                .visible_paragraphs()
                .join("\n"),
            "a\n\nb"
        );
        assert!(cell(&[" "]).visible_paragraphs().is_empty());
    }

    #[test]
    fn every_origin_kind_has_a_tagged_form_and_a_display() {
        let cases = [
            (
                Origin::text(7, 99),
                r#"{"kind":"text","line":7,"byte":99}"#,
                "line 7 (byte 99)",
            ),
            (
                Origin::Doc {
                    stream: "WordDocument".into(),
                    cp: 9289,
                },
                r#"{"kind":"doc","stream":"WordDocument","cp":9289}"#,
                "WordDocument:cp9289",
            ),
            (
                Origin::Html {
                    path: "body/table[1]/tr[2]/td[1]".into(),
                    byte: 5120,
                },
                r#"{"kind":"html","path":"body/table[1]/tr[2]/td[1]","byte":5120}"#,
                "body/table[1]/tr[2]/td[1] (byte 5120)",
            ),
            (
                Origin::Pdf {
                    page: 3,
                    bbox: Bbox {
                        x0: 72.0,
                        y0: 700.5,
                        x1: 300.0,
                        y1: 712.25,
                    },
                },
                r#"{"kind":"pdf","page":3,"bbox":[72.0,700.5,300.0,712.25]}"#,
                "page 3 [72.0 700.5 300.0 712.2]",
            ),
        ];
        for (o, json, shown) in cases {
            assert_eq!(serde_json::to_string(&o).unwrap(), json);
            assert_eq!(serde_json::from_str::<Origin>(json).unwrap(), o);
            assert_eq!(o.to_string(), shown);
        }
    }

    #[test]
    fn serialises_with_tags() {
        let doc = sample(Origin::text(7, 99));
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.contains(r#""type":"paragraph""#), "{json}");
        assert!(
            json.contains(r#""kind":"text","line":7,"byte":99"#),
            "{json}"
        );
        let back: Document = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc);
    }
}
