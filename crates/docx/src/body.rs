//! Pass 2: one streaming pass over a story part (`document.xml`, a header, footnotes …) into
//! blocks.

use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use tablift_model::{Block, Cell, CompactString, Origin, Paragraph, Row, Table, TcField};

use crate::error::Error;
use crate::styles::{outline_to_level, Styles};
use crate::xml::{attr, split_name, Prefixes, RefText, Xml};
use tablift_fields::parse_tc_field as parse_tc;

/// The WordprocessingML elements the reader acts on; everything else is transparent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    P,
    Tbl,
    Tr,
    Tc,
    R,
    T,
    InstrText,
    Tab,
    Br,
    Cr,
    NoBreakHyphen,
    Sym,
    FldChar,
    FldSimple,
    PStyle,
    OutlineLvl,
    GridSpan,
    VMerge,
    GridBefore,
    TxbxContent,
    /// Subtrees whose text is not part of the final document.
    Skip,
    AltContent,
    Choice,
    Fallback,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

struct CellB {
    cell: Cell,
    path: CompactString,
    span: u32,
    vmerge: VMerge,
}

struct RowB {
    row: Row,
    next_tc: usize,
    col: u32,
}

/// A vertical merge still open: its origin cell and the grid columns it covers.
struct Merge {
    col: u32,
    span: u32,
    row: usize,
    cell: usize,
    last_tr: usize,
}

struct TableB {
    table: Table,
    path: CompactString,
    tr: usize,
    row: Option<RowB>,
    cell: Option<CellB>,
    merges: Vec<Merge>,
}

struct ParaB {
    block: usize,
    style_level: Option<u8>,
    /// The paragraph's own `w:outlineLvl`, which beats the style (`Some(None)`: body text).
    own_level: Option<Option<u8>>,
    tc: Option<TcField>,
}

struct Field {
    instr: String,
    in_instr: bool,
}

/// Streaming state for one part.
pub(crate) struct PartParser<'s> {
    part: &'s str,
    /// The part name every origin of this part shares.
    part_name: Arc<str>,
    styles: &'s Styles,
    max_depth: usize,
    ns: Prefixes,
    blocks: Vec<Block>,
    next_block: usize,
    tables: Vec<TableB>,
    para: Option<ParaB>,
    /// Scratch space for element paths; reused.
    path_buf: String,
    /// The open paragraph's text; reused across paragraphs.
    text: String,
    skip: usize,
    /// Per open `mc:AlternateContent`: whether a `mc:Choice` was taken.
    alt: Vec<bool>,
    fields: Vec<Field>,
    fields_in_instr: usize,
    run_depth: usize,
    in_t: bool,
    in_instr: bool,
    txbx: usize,
    /// The tag of every open element outside skipped subtrees, so that an end tag is not
    /// classified again: quick-xml checks that end names match their start, so the top of
    /// this stack is the element being closed.
    open: Vec<Tag>,
}

impl<'s> PartParser<'s> {
    pub(crate) fn new(part: &'s str, styles: &'s Styles, max_depth: usize) -> Self {
        PartParser {
            part,
            part_name: Arc::from(part),
            styles,
            max_depth,
            ns: Prefixes::default(),
            blocks: Vec::new(),
            next_block: 0,
            tables: Vec::new(),
            para: None,
            path_buf: String::with_capacity(64),
            text: String::with_capacity(256),
            skip: 0,
            alt: Vec::new(),
            fields: Vec::new(),
            fields_in_instr: 0,
            run_depth: 0,
            in_t: false,
            in_instr: false,
            txbx: 0,
            open: Vec::with_capacity(32),
        }
    }

    pub(crate) fn parse(mut self, bytes: &[u8]) -> Result<Vec<Block>, Error> {
        let mut xml = Xml::new(bytes, self.part, self.max_depth)?;
        loop {
            match xml.next()? {
                Event::Start(e) => {
                    if self.skip > 0 {
                        self.skip += 1;
                        continue;
                    }
                    if xml.depth() == 1 {
                        self.ns = Prefixes::from_root(&e);
                    }
                    let tag = self.tag(e.name().into_inner());
                    self.start(tag, &e, false, &xml)?;
                    // An element that starts a skipped subtree is closed by the skip count.
                    if self.skip == 0 {
                        self.open.push(tag);
                    }
                }
                Event::Empty(e) if self.skip == 0 => {
                    self.start(self.tag(e.name().into_inner()), &e, true, &xml)?
                }
                Event::End(e) => {
                    if self.skip > 0 {
                        self.skip -= 1;
                        continue;
                    }
                    let tag = match self.open.pop() {
                        Some(tag) => tag,
                        None => self.tag(e.name().into_inner()),
                    };
                    self.end(tag);
                }
                Event::Text(t) if self.collecting() => self.push_text(xml.text(&t)?),
                Event::CData(t) if self.collecting() => self.push_text(xml.text(&t)?),
                Event::GeneralRef(r) => {
                    let resolved = xml.resolve_ref(&r)?;
                    if self.collecting() {
                        let mut buf = [0u8; 4];
                        let s = match resolved {
                            RefText::Char(c) => &*c.encode_utf8(&mut buf),
                            RefText::Str(s) => s,
                        };
                        self.push_text(s);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        // Close whatever a truncated part left open, so nothing read is lost.
        self.finish_para();
        while !self.tables.is_empty() {
            self.finish_table();
        }
        Ok(self.blocks)
    }

    fn tag(&self, name: &[u8]) -> Tag {
        let (prefix, local) = split_name(name);
        if same_prefix(prefix, &self.ns.w) {
            match local {
                b"p" => Tag::P,
                b"tbl" => Tag::Tbl,
                b"tr" => Tag::Tr,
                b"tc" => Tag::Tc,
                b"r" => Tag::R,
                b"t" => Tag::T,
                b"instrText" => Tag::InstrText,
                b"tab" | b"ptab" => Tag::Tab,
                b"br" => Tag::Br,
                b"cr" => Tag::Cr,
                b"noBreakHyphen" => Tag::NoBreakHyphen,
                b"sym" => Tag::Sym,
                b"fldChar" => Tag::FldChar,
                b"fldSimple" => Tag::FldSimple,
                b"pStyle" => Tag::PStyle,
                b"outlineLvl" => Tag::OutlineLvl,
                b"gridSpan" => Tag::GridSpan,
                b"vMerge" => Tag::VMerge,
                b"gridBefore" => Tag::GridBefore,
                b"txbxContent" => Tag::TxbxContent,
                // Deleted and moved-away text, and the *old* properties of tracked changes.
                b"del" | b"moveFrom" | b"delText" | b"delInstrText" | b"rPrChange"
                | b"pPrChange" | b"tblPrChange" | b"tcPrChange" | b"trPrChange"
                | b"sectPrChange" | b"tblGridChange" | b"tblPrExChange" => Tag::Skip,
                _ => Tag::Other,
            }
        } else if same_prefix(prefix, &self.ns.mc) {
            match local {
                b"AlternateContent" => Tag::AltContent,
                b"Choice" => Tag::Choice,
                b"Fallback" => Tag::Fallback,
                _ => Tag::Other,
            }
        } else {
            Tag::Other
        }
    }

    fn origin(&self, path: CompactString) -> Origin {
        Origin::Docx {
            part: Arc::clone(&self.part_name),
            path,
        }
    }

    fn start(
        &mut self,
        tag: Tag,
        e: &BytesStart<'_>,
        empty: bool,
        xml: &Xml<'_>,
    ) -> Result<(), Error> {
        let structural = self.txbx == 0;
        match tag {
            Tag::Skip if !empty => self.skip = 1,
            Tag::AltContent if !empty => self.alt.push(false),
            Tag::Choice => match self.alt.last_mut() {
                Some(taken) if !*taken => *taken = true,
                Some(_) if !empty => self.skip = 1,
                _ => {}
            },
            Tag::Fallback if self.alt.last() == Some(&true) && !empty => self.skip = 1,
            Tag::TxbxContent if !empty => {
                self.txbx += 1;
                self.line_break_in_para();
            }
            Tag::P if structural => {
                self.finish_para();
                let block = if self.tables.is_empty() {
                    self.next_block += 1;
                    self.next_block - 1
                } else {
                    0
                };
                self.para = Some(ParaB {
                    block,
                    style_level: self.styles.default_level,
                    own_level: None,
                    tc: None,
                });
                self.text.clear();
                if empty {
                    self.finish_para();
                }
            }
            Tag::Tbl if structural => {
                let path = match self.tables.last() {
                    None => {
                        self.next_block += 1;
                        path(&mut self.path_buf, "", &[(b'b', self.next_block - 1)])
                    }
                    Some(t) => match &t.cell {
                        Some(c) => {
                            path(&mut self.path_buf, &c.path, &[(b't', c.cell.tables.len())])
                        }
                        None => path(&mut self.path_buf, &t.path, &[(b'r', t.tr), (b't', 0)]),
                    },
                };
                if self.tables.len() >= self.max_depth {
                    return Err(xml.too_deep());
                }
                let origin = self.origin(path.clone());
                self.tables.push(TableB {
                    table: Table {
                        rows: Vec::new(),
                        origin,
                    },
                    path,
                    tr: 0,
                    row: None,
                    cell: None,
                    merges: Vec::new(),
                });
                if empty {
                    self.finish_table();
                }
            }
            Tag::Tr if structural => {
                self.finish_row();
                if let Some(t) = self.tables.last() {
                    let p = path(&mut self.path_buf, &t.path, &[(b'r', t.tr)]);
                    let origin = self.origin(p);
                    if let Some(t) = self.tables.last_mut() {
                        t.row = Some(RowB {
                            row: Row {
                                origin,
                                ..Row::default()
                            },
                            next_tc: 0,
                            col: 0,
                        });
                    }
                }
                if empty {
                    self.finish_row();
                }
            }
            Tag::Tc if structural => {
                self.finish_cell();
                if let Some(t) = self.tables.last_mut() {
                    if let Some(r) = t.row.as_mut() {
                        let path = path(
                            &mut self.path_buf,
                            &t.path,
                            &[(b'r', t.tr), (b'c', r.next_tc)],
                        );
                        r.next_tc += 1;
                        t.cell = Some(CellB {
                            cell: Cell::default(),
                            path,
                            span: 1,
                            vmerge: VMerge::None,
                        });
                    }
                }
                if empty {
                    self.finish_cell();
                }
            }
            Tag::GridSpan if structural => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = num_attr(e).unwrap_or(1).max(1);
                }
            }
            Tag::VMerge if structural => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    // `<w:vMerge/>` without a value means "continue".
                    c.vmerge = match attr(e, b"val").as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            Tag::GridBefore if structural => {
                if let Some(r) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    let n = num_attr(e).unwrap_or(0);
                    r.row.grid_before = n;
                    r.col = n;
                }
            }
            Tag::PStyle if structural => {
                if let (Some(p), Some(v)) = (self.para.as_mut(), attr(e, b"val")) {
                    p.style_level = self.styles.level(&v);
                }
            }
            Tag::OutlineLvl if structural => {
                if let (Some(p), Some(v)) = (self.para.as_mut(), num_attr(e)) {
                    p.own_level = Some(u8::try_from(v).ok().and_then(outline_to_level));
                }
            }
            Tag::R if !empty => self.run_depth += 1,
            Tag::T => self.in_t = !empty,
            Tag::InstrText => self.in_instr = !empty,
            Tag::Tab if self.run_depth > 0 => self.push_char('\t'),
            // Page and column breaks are layout, not text.
            Tag::Br
                if self.run_depth > 0
                    && !matches!(attr(e, b"type").as_deref(), Some("page" | "column")) =>
            {
                self.push_char('\n')
            }
            Tag::Cr if self.run_depth > 0 => self.push_char('\n'),
            Tag::NoBreakHyphen if self.run_depth > 0 => self.push_char('-'),
            Tag::Sym if self.run_depth > 0 => {
                // Private-use code points are font glyphs (Symbol, Wingdings), not text.
                let c = attr(e, b"char")
                    .and_then(|v| u32::from_str_radix(v.trim(), 16).ok())
                    .filter(|&u| !(0xE000..=0xF8FF).contains(&u))
                    .and_then(char::from_u32);
                if let Some(c) = c {
                    self.push_char(c);
                }
            }
            Tag::FldChar => match attr(e, b"fldCharType").as_deref() {
                Some("begin") => {
                    if self.fields.len() >= self.max_depth {
                        return Err(xml.too_deep());
                    }
                    self.fields.push(Field {
                        instr: String::new(),
                        in_instr: true,
                    });
                    self.fields_in_instr += 1;
                }
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        if f.in_instr {
                            f.in_instr = false;
                            let instr = std::mem::take(&mut f.instr);
                            self.fields_in_instr -= 1;
                            self.field_done(&instr);
                        }
                    }
                }
                Some("end") => {
                    if let Some(f) = self.fields.pop() {
                        if f.in_instr {
                            self.fields_in_instr -= 1;
                            self.field_done(&f.instr);
                        }
                    }
                }
                _ => {}
            },
            Tag::FldSimple => {
                if let Some(instr) = attr(e, b"instr") {
                    self.field_done(&instr);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, tag: Tag) {
        match tag {
            Tag::P if self.txbx > 0 => self.line_break_in_para(),
            Tag::P => self.finish_para(),
            Tag::Tbl if self.txbx == 0 => self.finish_table(),
            Tag::Tr if self.txbx == 0 => self.finish_row(),
            Tag::Tc if self.txbx == 0 => self.finish_cell(),
            Tag::R => self.run_depth = self.run_depth.saturating_sub(1),
            Tag::T => self.in_t = false,
            Tag::InstrText => self.in_instr = false,
            Tag::AltContent => {
                self.alt.pop();
            }
            Tag::TxbxContent => self.txbx = self.txbx.saturating_sub(1),
            _ => {}
        }
    }

    /// Whether character data is being collected (visible text or a field instruction).
    fn collecting(&self) -> bool {
        self.skip == 0 && (self.in_t || self.in_instr)
    }

    fn push_text(&mut self, s: &str) {
        if self.in_t {
            if self.fields_in_instr == 0 && self.para.is_some() {
                self.text.push_str(s);
            }
        } else if self.in_instr {
            if let Some(f) = self.fields.last_mut().filter(|f| f.in_instr) {
                f.instr.push_str(s);
            }
        }
    }

    fn push_char(&mut self, c: char) {
        if self.fields_in_instr == 0 && self.para.is_some() {
            self.text.push(c);
        }
    }

    /// Text-box paragraphs are folded into the anchoring paragraph, one per line.
    fn line_break_in_para(&mut self) {
        if self.para.is_some() && !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn field_done(&mut self, instr: &str) {
        if let Some(p) = self.para.as_mut().filter(|p| p.tc.is_none()) {
            p.tc = parse_tc(instr);
        }
    }

    fn finish_para(&mut self) {
        let Some(p) = self.para.take() else { return };
        let text = self.text.trim_end();
        if let Some(t) = self.tables.last_mut() {
            if let Some(c) = t.cell.as_mut() {
                c.cell.paragraphs.push(text.to_owned());
            }
        } else if !text.trim_start().is_empty() || p.tc.is_some() {
            let para = Paragraph {
                text: text.to_owned(),
                heading_level: p.own_level.unwrap_or(p.style_level),
                tc: p.tc,
                origin: Origin::Docx {
                    part: Arc::clone(&self.part_name),
                    path: path(&mut self.path_buf, "", &[(b'b', p.block)]),
                },
            };
            self.blocks.push(Block::Paragraph(para));
        }
        self.text.clear();
    }

    fn finish_cell(&mut self) {
        self.finish_para();
        let part = &self.part_name;
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let Some(cb) = t.cell.take() else { return };
        let Some(r) = t.row.as_mut() else { return };
        let mut cell = cb.cell;
        while cell.paragraphs.last().is_some_and(|p| p.trim().is_empty()) {
            cell.paragraphs.pop();
        }
        cell.col_span = cb.span;
        let col = r.col;
        r.col = r.col.saturating_add(cb.span);
        match cb.vmerge {
            VMerge::Continue => {
                let tr = t.tr;
                // Grids of different granularity may start the continued cell elsewhere
                // inside the merge; prefer an exact start column.
                let pos = t
                    .merges
                    .iter()
                    .position(|m| m.last_tr + 1 == tr && m.col == col)
                    .or_else(|| {
                        t.merges.iter().position(|m| {
                            m.last_tr + 1 == tr
                                && m.col <= col
                                && col < m.col.saturating_add(m.span)
                        })
                    });
                if let Some(m) = pos.and_then(|i| t.merges.get_mut(i)) {
                    if let Some(origin) = t
                        .table
                        .rows
                        .get_mut(m.row)
                        .and_then(|row| row.cells.get_mut(m.cell))
                    {
                        origin.row_span = origin.row_span.saturating_add(1);
                        m.last_tr = tr;
                        return;
                    }
                }
            }
            VMerge::Restart => {
                t.merges.retain(|m| m.col != col);
                t.merges.push(Merge {
                    col,
                    span: cb.span,
                    row: t.table.rows.len(),
                    cell: r.row.cells.len(),
                    last_tr: t.tr,
                });
            }
            VMerge::None => {}
        }
        cell.origin = Origin::Docx {
            part: Arc::clone(part),
            path: cb.path,
        };
        r.row.cells.push(cell);
    }

    fn finish_row(&mut self) {
        self.finish_cell();
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let Some(r) = t.row.take() else { return };
        t.table.rows.push(r.row);
        let tr = t.tr;
        t.merges.retain(|m| m.last_tr == tr);
        t.tr += 1;
    }

    fn finish_table(&mut self) {
        self.finish_row();
        let Some(t) = self.tables.pop() else { return };
        match self.tables.last_mut() {
            Some(parent) => {
                if let Some(c) = parent.cell.as_mut() {
                    c.cell.tables.push(t.table);
                }
            }
            None => self.blocks.push(Block::Table(t.table)),
        }
    }
}

/// `base` extended by `/`-separated steps such as `r3`, `c2`: built by hand because it runs for
/// every row and cell, where `format!` costs about a tenth of the whole read.
///
/// The path is assembled in `buf` (a reused `String`) and copied into the inline
/// `CompactString` once: pushing piece by piece onto a `CompactString` re-checks its capacity
/// and representation on every push, which costs more than the copy.
fn path(buf: &mut String, base: &str, steps: &[(u8, usize)]) -> CompactString {
    buf.clear();
    let s = buf;
    s.push_str(base);
    let mut digits = itoa::Buffer::new();
    for &(letter, n) in steps {
        if !s.is_empty() {
            s.push('/');
        }
        s.push(char::from(letter));
        s.push_str(digits.format(n));
    }
    CompactString::from(s.as_str())
}

/// Prefixes are a byte or two: comparing them in line beats a `memcmp` call per element.
#[inline(always)]
fn same_prefix(a: &[u8], b: &[u8]) -> bool {
    match (a, b) {
        ([x], [y]) => x == y,
        _ => a == b,
    }
}

fn num_attr(e: &BytesStart<'_>) -> Option<u32> {
    attr(e, b"val").and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_match_the_documented_form() {
        let mut buf = String::new();
        let mut path = |base: &str, steps: &[(u8, usize)]| super::path(&mut buf, base, steps);
        assert_eq!(path("", &[(b'b', 12)]), "b12");
        assert_eq!(path("b12", &[(b'r', 3), (b'c', 2)]), "b12/r3/c2");
        assert_eq!(path("b1/r0/c0", &[(b't', 0)]), "b1/r0/c0/t0");
        assert_eq!(path("b1", &[(b'r', 10), (b't', 0)]), "b1/r10/t0");
    }
}
