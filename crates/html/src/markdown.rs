//! Markdown → document model, through pulldown-cmark with GFM tables: headings, paragraphs,
//! list items and code blocks as paragraphs, pipe tables cell for cell, and HTML blocks (where
//! pandoc writes tables with spans) through the HTML table code.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use tablift_model::read::{FailureKind, ReadError};
use tablift_model::{Block, Cell, Origin, Paragraph, Row, Table};

use crate::Limits;

fn origin(path: String, byte: u64) -> Origin {
    Origin::Html {
        path: path.into(),
        byte,
    }
}

struct TableB {
    table: Table,
    block: usize,
    row: Option<Row>,
    /// End of the current row's source range.
    row_end: usize,
    cell: Option<(String, u64)>,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    furniture: Vec<tablift_model::Furniture>,
    next_block: usize,
    block: usize,
    line: String,
    line_byte: Option<u64>,
    heading: Option<u8>,
    table: Option<TableB>,
    /// An HTML block (or run of them, while a `<table>` is open): source start, end, block.
    html: Option<(usize, usize, usize, i64)>,
}

impl State {
    fn start_block(&mut self) -> usize {
        self.next_block += 1;
        self.block = self.next_block - 1;
        self.block
    }

    fn flush(&mut self, force: bool) {
        let text = self.line.trim();
        if !text.is_empty() || force {
            let byte = self.line_byte.unwrap_or(0);
            self.blocks.push(Block::Paragraph(Paragraph {
                text: text.to_owned(),
                heading_level: self.heading,
                tc: None,
                origin: origin(format!("b{}", self.block), byte),
            }));
        }
        self.line.clear();
        self.line_byte = None;
    }

    fn text(&mut self, t: &str, byte: u64) {
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            cell.0.push_str(t);
            return;
        }
        if self.line_byte.is_none() {
            self.line_byte = Some(byte);
        }
        self.line.push_str(t);
    }

    /// Parse the pending HTML: the source slice itself (blank lines between blocks included),
    /// so that offsets inside it are offsets in the file.
    fn html_done(&mut self, source: &str, base: u64, limits: &Limits) -> Result<(), ReadError> {
        let Some((start, end, block, _)) = self.html.take() else {
            return Ok(());
        };
        let html = source.get(start..end).unwrap_or_default();
        let (blocks, furniture) =
            crate::read_html_fragment(html, base + start as u64, format!("b{block}"), limits)?;
        self.blocks.extend(blocks);
        self.furniture.extend(furniture);
        Ok(())
    }
}

/// How many more tables an HTML block opens than it closes: while the sum is positive the
/// next HTML blocks are taken in too (a blank line inside a `<table>` splits it into several
/// Markdown blocks).
fn balance(html: &str) -> i64 {
    let lower = html.to_ascii_lowercase();
    let n = |p: &str| i64::try_from(lower.matches(p).count()).unwrap_or(i64::MAX / 2);
    n("<table") - n("</table")
}

pub(crate) fn blocks(
    text: &str,
    base: u64,
    limits: &Limits,
) -> Result<(Vec<Block>, Vec<tablift_model::Furniture>), ReadError> {
    let mut st = State::default();
    let mut depth = 0usize;
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        let byte = base + range.start as u64;
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(ReadError::new(
                        FailureKind::TooDeep,
                        format!("Markdown nested deeper than {} levels", limits.max_depth),
                    )
                    .at(Some(format!("byte {byte}"))));
                }
                let keeps_html = matches!(tag, Tag::HtmlBlock);
                if depth == 1 && !keeps_html {
                    st.html_done(text, base, limits)?;
                }
                match tag {
                    Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::CodeBlock(_) => {
                        if st.table.is_some() {
                            continue;
                        }
                        st.flush(false);
                        if depth == 1 {
                            st.start_block();
                        }
                        if let Tag::Heading { level, .. } = tag {
                            st.heading = Some(level as u8);
                        }
                        st.line_byte = Some(byte);
                    }
                    Tag::Table(_) => {
                        st.flush(false);
                        let block = if depth == 1 {
                            st.start_block()
                        } else {
                            st.block
                        };
                        st.table = Some(TableB {
                            table: Table {
                                rows: Vec::new(),
                                origin: origin(format!("b{block}"), byte),
                            },
                            block,
                            row: None,
                            row_end: 0,
                            cell: None,
                        });
                    }
                    Tag::TableHead | Tag::TableRow => {
                        if let Some(t) = st.table.as_mut() {
                            if t.table.rows.len() >= limits.max_rows {
                                return Err(ReadError::new(
                                    FailureKind::TooManyCells,
                                    format!("a table with more than {} rows", limits.max_rows),
                                )
                                .at(Some(t.table.origin.to_string())));
                            }
                            let path = format!("b{}/r{}", t.block, t.table.rows.len());
                            t.row_end = range.end;
                            t.row = Some(Row {
                                origin: origin(path, byte),
                                ..Row::default()
                            });
                        }
                    }
                    Tag::TableCell => {
                        if let Some(t) = st.table.as_mut() {
                            // pulldown-cmark pads a short row to the header's width with
                            // empty cells at the row's end (GFM): the file has no such cells,
                            // so they are not added (the normaliser aligns short rows).
                            let padding = range.is_empty() && range.start + 1 >= t.row_end;
                            if !padding {
                                t.cell = Some((String::new(), byte));
                            }
                        }
                    }
                    Tag::HtmlBlock => {
                        st.flush(false);
                        if st.html.is_none() {
                            let block = if depth == 1 {
                                st.start_block()
                            } else {
                                st.block
                            };
                            st.html = Some((range.start, range.start, block, 0));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                match end {
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock
                        if st.table.is_none() =>
                    {
                        st.flush(false);
                        st.heading = None;
                    }
                    TagEnd::TableCell => {
                        if let Some(t) = st.table.as_mut() {
                            if let (Some((text, byte)), Some(row)) = (t.cell.take(), t.row.as_mut())
                            {
                                let cells: usize = t.table.rows.iter().map(|r| r.cells.len()).sum();
                                if cells + row.cells.len() >= limits.max_cells {
                                    return Err(ReadError::new(
                                        FailureKind::TooManyCells,
                                        format!(
                                            "a table with more than {} cells",
                                            limits.max_cells
                                        ),
                                    )
                                    .at(Some(t.table.origin.to_string())));
                                }
                                let path = format!(
                                    "b{}/r{}/c{}",
                                    t.block,
                                    t.table.rows.len(),
                                    row.cells.len()
                                );
                                let mut cell = Cell {
                                    origin: origin(path, byte),
                                    ..Cell::default()
                                };
                                cell.paragraphs =
                                    text.split('\n').map(|p| p.trim().to_owned()).collect();
                                while cell.paragraphs.last().is_some_and(|p| p.is_empty()) {
                                    cell.paragraphs.pop();
                                }
                                row.cells.push(cell);
                            }
                        }
                    }
                    TagEnd::TableHead | TagEnd::TableRow => {
                        if let Some(t) = st.table.as_mut() {
                            if let Some(row) = t.row.take() {
                                t.table.rows.push(row);
                            }
                        }
                    }
                    TagEnd::Table => {
                        if let Some(t) = st.table.take() {
                            st.blocks.push(Block::Table(t.table));
                        }
                    }
                    TagEnd::HtmlBlock => {
                        if let Some(h) = st.html.as_mut() {
                            // Only this block's text is counted: a run of blocks stays linear.
                            let from = h.1.max(range.start);
                            h.3 += balance(text.get(from..range.end).unwrap_or_default());
                            h.1 = h.1.max(range.end);
                            if h.3 <= 0 {
                                st.html_done(text, base, limits)?;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) | Event::Code(t) => st.text(&t, byte),
            Event::InlineHtml(t)
                if t.as_bytes()
                    .get(..3)
                    .is_some_and(|p| p.eq_ignore_ascii_case(b"<br")) =>
            {
                if let Some(cell) = st.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    cell.0.push('\n');
                } else {
                    st.flush(true);
                }
            }
            Event::SoftBreak => st.text(" ", byte),
            Event::HardBreak => {
                if let Some(cell) = st.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    cell.0.push('\n');
                } else {
                    st.flush(true);
                }
            }
            _ => {}
        }
    }
    st.flush(false);
    st.html_done(text, base, limits)?;
    if let Some(t) = st.table.take() {
        st.blocks.push(Block::Table(t.table));
    }
    st.blocks
        .retain(|b| !matches!(b, Block::Paragraph(p) if p.text.trim().is_empty()));
    Ok((st.blocks, st.furniture))
}
