//! Text and paragraph properties → model blocks: paragraphs, tables, fields.

use std::sync::Arc;

use tablift_model::{Block, Cell, Origin, Paragraph, Row, Table, TcField};

use crate::error::{Error, ErrorKind};
use crate::fib::{ParaIndex, ParaProps, Piece, Tap, WORD_DOCUMENT};
use crate::Limits;

const CELL_MARK: u32 = 0x07;
const PARA_MARK: u32 = 0x0D;
const PAGE_BREAK: u32 = 0x0C;
const FIELD_BEGIN: u32 = 0x13;
const FIELD_SEP: u32 = 0x14;
const FIELD_END: u32 = 0x15;

/// The main document's blocks: the first `ccp_text` characters of the piece table.
pub(crate) fn build(
    wd: &[u8],
    pieces: &[Piece],
    paras: &ParaIndex,
    ccp_text: u32,
    limits: &Limits,
) -> Result<Vec<Block>, Error> {
    let mut b = Builder {
        part: Arc::from(WORD_DOCUMENT),
        paras,
        max_depth: limits.max_depth,
        blocks: Vec::new(),
        text: String::new(),
        para_cp: 0,
        tc: None,
        fields: Vec::new(),
        fields_in_instr: 0,
        tables: Vec::new(),
    };
    for p in pieces {
        if p.cp >= ccp_text {
            break;
        }
        let count = p.cp_end.min(ccp_text) - p.cp;
        let unit = if p.compressed { 1 } else { 2 };
        let len = (count as usize).checked_mul(unit);
        let bytes = len
            .and_then(|l| (p.byte as usize).checked_add(l))
            .and_then(|end| wd.get(p.byte as usize..end))
            .ok_or_else(|| {
                Error::malformed(
                    WORD_DOCUMENT,
                    u64::from(p.byte),
                    format!(
                        "piece at CP {} ({count} characters) lies outside the stream ({} bytes)",
                        p.cp,
                        wd.len()
                    ),
                )
            })?;
        if p.compressed {
            for (i, &byte) in bytes.iter().enumerate() {
                let c = if byte < 0x80 {
                    u32::from(byte)
                } else {
                    cp1252(byte)
                };
                b.ch(c, p.cp + i as u32, p.byte + i as u32)?;
            }
        } else {
            let mut units = bytes.chunks_exact(2).enumerate().peekable();
            while let Some((i, u)) = units.next() {
                let hi = unit16(u);
                let c = if (0xD800..0xDC00).contains(&hi) {
                    match units.peek() {
                        Some((_, l)) => {
                            let lo = unit16(l);
                            if (0xDC00..0xE000).contains(&lo) {
                                units.next();
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                0xFFFD
                            }
                        }
                        None => 0xFFFD,
                    }
                } else {
                    hi
                };
                b.ch(c, p.cp + i as u32, p.byte + 2 * i as u32)?;
            }
        }
    }
    b.finish();
    Ok(b.blocks)
}

/// An 8-bit piece byte of 0x80 or above, as [MS-DOC] 2.4.1 maps it (Windows-1252).
fn cp1252(byte: u8) -> u32 {
    let mut out = [0u16; 2];
    let mut dec = encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling();
    let (_, _, written, _) = dec.decode_to_utf16(&[byte], &mut out, true);
    out.get(..written)
        .and_then(|s| s.first())
        .map_or(0xFFFD, |&u| u32::from(u))
}

struct Field {
    instr: String,
    in_instr: bool,
}

struct TableB {
    table: Table,
    row: Option<Row>,
    cell: Option<Cell>,
    /// Each finished row's table properties, for spans when the table is done.
    taps: Vec<Option<Tap>>,
}

struct Builder<'a> {
    part: Arc<str>,
    paras: &'a ParaIndex,
    max_depth: usize,
    blocks: Vec<Block>,
    /// Visible text of the current paragraph.
    text: String,
    /// CP of the current paragraph's first character.
    para_cp: u32,
    tc: Option<TcField>,
    fields: Vec<Field>,
    fields_in_instr: usize,
    tables: Vec<TableB>,
}

impl Builder<'_> {
    fn origin(&self, cp: u32) -> Origin {
        Origin::Doc {
            stream: Arc::clone(&self.part),
            cp,
        }
    }

    fn ch(&mut self, c: u32, cp: u32, fc: u32) -> Result<(), Error> {
        match c {
            PARA_MARK | CELL_MARK | PAGE_BREAK => {
                let props = self.paras.at(fc);
                self.end_para(c, cp, props)?;
            }
            FIELD_BEGIN => {
                if self.fields.len() >= self.max_depth {
                    return Err(Error::new(ErrorKind::TooDeep {
                        cp: u64::from(cp),
                        limit: self.max_depth,
                    }));
                }
                self.fields.push(Field {
                    instr: String::new(),
                    in_instr: true,
                });
                self.fields_in_instr += 1;
            }
            FIELD_SEP => {
                if let Some(f) = self.fields.last_mut().filter(|f| f.in_instr) {
                    f.in_instr = false;
                    let instr = std::mem::take(&mut f.instr);
                    self.fields_in_instr -= 1;
                    self.field_done(&instr);
                }
            }
            FIELD_END => {
                if let Some(f) = self.fields.pop() {
                    if f.in_instr {
                        self.fields_in_instr -= 1;
                        self.field_done(&f.instr);
                    }
                }
            }
            _ => {
                let c = match c {
                    0x09 => '\t',
                    0x0A | 0x0B => '\n',
                    0x1E => '-',
                    // Soft hyphens, object anchors, footnote references and other controls.
                    0x00..=0x1F => return Ok(()),
                    _ => char::from_u32(c).unwrap_or('\u{FFFD}'),
                };
                if self.fields_in_instr == 0 {
                    self.text.push(c);
                } else if let Some(f) = self.fields.last_mut().filter(|f| f.in_instr) {
                    f.instr.push(c);
                }
            }
        }
        Ok(())
    }

    fn field_done(&mut self, instr: &str) {
        if self.tc.is_none() {
            self.tc = tablift_fields::parse_tc_field(instr);
        }
    }

    fn end_para(&mut self, mark: u32, cp: u32, props: ParaProps) -> Result<(), Error> {
        let depth = props.depth() as usize;
        if depth > self.max_depth {
            return Err(Error::new(ErrorKind::TooDeep {
                cp: u64::from(cp),
                limit: self.max_depth,
            }));
        }
        while self.tables.len() > depth {
            self.finish_table();
        }
        while self.tables.len() < depth {
            // A nested table belongs to the enclosing cell, opened where the table starts.
            let _ = self.cell();
            let origin = self.origin(self.para_cp);
            self.tables.push(TableB {
                table: Table {
                    rows: Vec::new(),
                    origin,
                },
                row: None,
                cell: None,
                taps: Vec::new(),
            });
        }
        let text = self.text.trim_end().to_owned();
        self.text.clear();
        let tc = self.tc.take();
        if depth == 0 {
            if !text.trim_start().is_empty() || tc.is_some() {
                let origin = self.origin(self.para_cp);
                self.blocks.push(Block::Paragraph(Paragraph {
                    text,
                    heading_level: props.outline.filter(|&l| l < 9).map(|l| l + 1),
                    tc,
                    origin,
                }));
            }
        } else {
            let row_end = props.ttp || props.inner_ttp;
            let cell_end = !row_end && (mark == CELL_MARK || props.inner_cell);
            if row_end {
                if !text.is_empty() {
                    self.cell_para(text);
                }
                let tap = self.paras.tap(props.tap).cloned();
                self.finish_row(tap);
            } else {
                self.cell_para(text);
                if cell_end {
                    self.finish_cell();
                }
            }
        }
        self.para_cp = cp.saturating_add(1);
        Ok(())
    }

    /// The innermost open table's current cell, opened (with its row) if needed.
    fn cell(&mut self) -> Option<&mut Cell> {
        let cp = self.para_cp;
        let origin = self.origin(cp);
        let t = self.tables.last_mut()?;
        if t.row.is_none() {
            t.row = Some(Row {
                origin: origin.clone(),
                ..Row::default()
            });
        }
        Some(t.cell.get_or_insert_with(|| Cell {
            origin,
            ..Cell::default()
        }))
    }

    fn cell_para(&mut self, text: String) {
        if let Some(c) = self.cell() {
            c.paragraphs.push(text);
        }
    }

    fn finish_cell(&mut self) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let Some(mut cell) = t.cell.take() else {
            return;
        };
        while cell.paragraphs.last().is_some_and(|p| p.trim().is_empty()) {
            cell.paragraphs.pop();
        }
        if let Some(r) = t.row.as_mut() {
            r.cells.push(cell);
        }
    }

    fn finish_row(&mut self, tap: Option<Tap>) {
        self.finish_cell();
        if let Some(t) = self.tables.last_mut() {
            if let Some(r) = t.row.take() {
                t.table.rows.push(r);
                t.taps.push(tap);
            }
        }
    }

    fn finish_table(&mut self) {
        self.finish_row(None);
        let Some(mut t) = self.tables.pop() else {
            return;
        };
        apply_spans(&mut t.table, &t.taps);
        if self.tables.is_empty() {
            self.blocks.push(Block::Table(t.table));
        } else if let Some(c) = self.cell() {
            c.tables.push(t.table);
        }
    }

    fn finish(&mut self) {
        if !self.text.trim().is_empty() {
            let cp = self.para_cp;
            // Text after the last mark: a paragraph of its own, outside any table.
            let _ = self.end_para(PARA_MARK, cp, ParaProps::default());
        }
        while !self.tables.is_empty() {
            self.finish_table();
        }
    }
}

/// Column and row spans from the rows' table properties: the grid is every cell boundary of
/// the table; a cell spans the grid columns between its boundaries; a horizontally merged cell
/// joins the one before it; a cell continuing a vertical merge is dropped and the cell that
/// started it gets `row_span` + 1. Rows whose properties do not match their cells keep spans 1
/// and break vertical merges.
fn apply_spans(table: &mut Table, taps: &[Option<Tap>]) {
    // Per row: per cell (left, right, vertMerge), after horizontal merges.
    let mut bounds: Vec<Option<Vec<(i16, i16, u8)>>> = Vec::with_capacity(table.rows.len());
    for (row, tap) in table.rows.iter_mut().zip(taps) {
        let Some(tap) = tap
            .as_ref()
            .filter(|t| t.centers.len() == row.cells.len() + 1)
        else {
            bounds.push(None);
            continue;
        };
        let mut b: Vec<(i16, i16, u8)> = Vec::with_capacity(row.cells.len());
        let mut kept: Vec<Cell> = Vec::with_capacity(row.cells.len());
        for (i, cell) in std::mem::take(&mut row.cells).into_iter().enumerate() {
            let left = tap.centers.get(i).copied().unwrap_or(0);
            let right = tap.centers.get(i + 1).copied().unwrap_or(left);
            let h = tap.hmerge.get(i).copied().unwrap_or(0);
            let v = tap.vmerge.get(i).copied().unwrap_or(0);
            // A blank cell merged into the one before widens it (a merged cell with text
            // stays a cell of its own: text is never dropped).
            match (h, b.last_mut()) {
                (2 | 3, Some(prev)) if cell.is_blank() => prev.1 = right,
                _ => {
                    b.push((left, right, v));
                    kept.push(cell);
                }
            }
        }
        row.cells = kept;
        bounds.push(Some(b));
    }
    let mut grid: Vec<i16> = bounds
        .iter()
        .flatten()
        .flat_map(|b| b.iter().flat_map(|&(l, r, _)| [l, r]))
        .collect();
    grid.sort_unstable();
    grid.dedup();
    if grid.is_empty() {
        return;
    }
    let col = |x: i16| grid.partition_point(|&g| g < x) as u32;
    // Open vertical merges: (first column, row index, cell index) in the rebuilt rows.
    let mut open: Vec<(u32, usize, usize)> = Vec::new();
    for (ri, b) in bounds.iter().enumerate() {
        let Some(b) = b else {
            open.clear();
            continue;
        };
        let Some(row) = table.rows.get_mut(ri) else {
            break;
        };
        row.grid_before = b.first().map_or(0, |f| col(f.0));
        let mut next_open = Vec::new();
        let mut kept: Vec<Cell> = Vec::with_capacity(row.cells.len());
        let mut continued: Vec<(usize, usize)> = Vec::new();
        for (mut cell, &(l, r, v)) in std::mem::take(&mut row.cells).into_iter().zip(b) {
            let c0 = col(l);
            cell.col_span = col(r).saturating_sub(c0).max(1);
            if v == 1 && cell.is_blank() {
                if let Some(&(_, orow, ocell)) = open.iter().find(|o| o.0 == c0) {
                    continued.push((orow, ocell));
                    next_open.push((c0, orow, ocell));
                    continue;
                }
            }
            if v == 3 {
                next_open.push((c0, ri, kept.len()));
            }
            kept.push(cell);
        }
        row.cells = kept;
        open = next_open;
        for (orow, ocell) in continued {
            if let Some(origin) = table
                .rows
                .get_mut(orow)
                .and_then(|r| r.cells.get_mut(ocell))
            {
                origin.row_span = origin.row_span.saturating_add(1);
            }
        }
    }
}

fn unit16(u: &[u8]) -> u32 {
    match u {
        &[a, b] => u32::from(u16::from_le_bytes([a, b])),
        _ => 0xFFFD,
    }
}
