//! The arena DOM → document model: paragraphs, headings, tables (spans clamped as HTML
//! clamps them), nested tables, page furniture, with an [`Origin::Html`] on every block, row
//! and cell.

use std::borrow::Cow;

use html5ever::{local_name, LocalName};
use tablift_model::read::{FailureKind, ReadError};
use tablift_model::{Block, Cell, Furniture, FurnitureKind, Origin, Paragraph, Row, Table};

use crate::dom::{Dom, Id, Kind, Node};
use crate::Limits;

/// Most columns one cell may span (as browsers clamp `colspan`).
pub const MAX_COLSPAN: u32 = 1000;
/// Most rows one cell may span before clamping to its row group (as browsers clamp `rowspan`).
pub const MAX_ROWSPAN: u32 = 65534;

/// Where text goes: paragraphs and tables in order, plus the line being built.
#[derive(Default)]
struct Flow {
    blocks: Vec<Block>,
    line: String,
    line_origin: Option<Origin>,
    heading: Option<u8>,
    pre: usize,
    /// Path of the cell this flow fills (nested tables are numbered inside it).
    cell_path: Option<String>,
    nested_tables: u32,
    /// A cell's paragraphs, in order. A cell keeps only their text (its origin is the
    /// cell's), so a cell's flow builds no origin per line or paragraph: those clones were
    /// ~7 M instructions per 20 LibreOffice pages.
    cell_paragraphs: Vec<String>,
}

impl Flow {
    fn in_cell(path: String) -> Flow {
        Flow {
            cell_path: Some(path),
            ..Flow::default()
        }
    }

    fn push_text(&mut self, t: &str, container: &Origin) {
        if self.line_origin.is_none() && self.cell_path.is_none() {
            self.line_origin = Some(container.clone());
        }
        if self.pre > 0 {
            for c in t.chars() {
                match c {
                    '\r' => {}
                    '\u{a0}' => self.line.push(' '),
                    c => self.line.push(c),
                }
            }
            return;
        }
        // Runs between white space (ASCII, or U+00A0 = C2 A0) are copied whole: a char at a
        // time was ~1.7 M instructions per LibreOffice page (callgrind).
        let b = t.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < b.len() {
            let ws = match b[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' => 1,
                0xC2 if b.get(i + 1) == Some(&0xA0) => 2,
                _ => 0,
            };
            if ws == 0 {
                i += 1;
                continue;
            }
            self.line.push_str(&t[run..i]);
            if !self.line.is_empty() && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            i += ws;
            run = i;
        }
        self.line.push_str(&t[run..]);
    }

    /// End the line as a paragraph: always after a `<br>` (`force`), else only if it has text.
    fn flush(&mut self, force: bool, container: &Origin) {
        let text = self.line.trim_end();
        let text = text.trim_start_matches(' ');
        if self.cell_path.is_some() {
            if !text.is_empty() || force {
                self.cell_paragraphs.push(text.to_owned());
            }
        } else if !text.is_empty() || force {
            let origin = self.line_origin.take().unwrap_or_else(|| container.clone());
            self.blocks.push(Block::Paragraph(Paragraph {
                text: text.to_owned(),
                heading_level: self.heading,
                tc: None,
                origin,
            }));
        }
        self.line.clear();
        self.line_origin = None;
    }

    /// A block made elsewhere (a nested table, its caption) into the flow; in a cell, a
    /// paragraph goes with the cell's others, in order.
    fn push_block(&mut self, b: Block) {
        match b {
            Block::Paragraph(p) if self.cell_path.is_some() => self.cell_paragraphs.push(p.text),
            b => self.blocks.push(b),
        }
    }

    /// The flow as a cell's paragraphs and nested tables (a cell's flow holds its paragraphs
    /// in `cell_paragraphs`, so its blocks are only tables).
    fn into_cell(self, cell: &mut Cell) {
        cell.paragraphs = self.cell_paragraphs;
        cell.tables
            .extend(self.blocks.into_iter().filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Paragraph(_) => None,
            }));
        while cell.paragraphs.last().is_some_and(|p| p.trim().is_empty()) {
            cell.paragraphs.pop();
        }
    }
}

/// Tree walker state.
pub(crate) struct Converter<'a> {
    dom: &'a Dom,
    limits: &'a Limits,
    /// Elements seen so far, by name, in document order (the `[k]` of block paths). A list,
    /// not a map: a page has a few dozen names, and comparing interned atoms is cheaper
    /// than hashing them (~7,000 lookups per LibreOffice page).
    counts: Vec<(LocalName, u32)>,
    /// Base of top-level paths (`body`), or a fixed path for every top-level table (Markdown
    /// HTML blocks: `b12`).
    table_path: Option<String>,
    pub(crate) furniture: Vec<Furniture>,
}

fn origin(path: &str, byte: u64) -> Origin {
    Origin::Html {
        path: path.into(),
        byte,
    }
}

fn too_deep(limits: &Limits, byte: u64) -> ReadError {
    ReadError::new(
        FailureKind::TooDeep,
        format!("elements nested deeper than {} levels", limits.max_depth),
    )
    .at(Some(format!("byte {byte}")))
}

fn is_block(name: &LocalName) -> bool {
    matches!(
        &**name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "address"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "legend"
            | "center"
            | "hr"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "option"
            | "dialog"
            | "hgroup"
            | "menu"
    )
}

impl<'a> Converter<'a> {
    pub(crate) fn new(dom: &'a Dom, limits: &'a Limits, table_path: Option<String>) -> Self {
        Converter {
            dom,
            limits,
            counts: Vec::new(),
            table_path,
            furniture: Vec::new(),
        }
    }

    /// Every content block of the page, in reading order.
    pub(crate) fn blocks(&mut self) -> Result<Vec<Block>, ReadError> {
        let mut flow = Flow::default();
        let body = origin("body", 0);
        self.children(0, &mut flow, 0, &body, 0)?;
        flow.flush(false, &body);
        flow.blocks
            .retain(|b| !matches!(b, Block::Paragraph(p) if p.text.trim().is_empty()));
        Ok(flow.blocks)
    }

    fn count(&mut self, name: &LocalName) -> u32 {
        if let Some((_, n)) = self.counts.iter_mut().find(|(k, _)| k == name) {
            *n = n.saturating_add(1);
            return *n;
        }
        self.counts.push((name.clone(), 1));
        1
    }

    fn children(
        &mut self,
        id: Id,
        flow: &mut Flow,
        depth: usize,
        container: &Origin,
        sectioning: usize,
    ) -> Result<(), ReadError> {
        let dom = self.dom;
        for (child, node) in dom.children(id) {
            match &node.kind {
                Kind::Text(t) => flow.push_text(t, container),
                Kind::Element { .. } => {
                    self.element(child, node, flow, depth + 1, container, sectioning)?
                }
                Kind::Document | Kind::Other => {}
            }
        }
        Ok(())
    }

    fn element(
        &mut self,
        id: Id,
        node: &Node,
        flow: &mut Flow,
        depth: usize,
        container: &Origin,
        sectioning: usize,
    ) -> Result<(), ReadError> {
        if depth > self.limits.max_depth {
            return Err(too_deep(self.limits, node.byte));
        }
        let name = &node.name.local;
        // Foreign (SVG, MathML) content is drawing, not text.
        if node.name.ns != html5ever::ns!(html) {
            return Ok(());
        }
        let k = self.count(name);
        match *name {
            local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("head")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("select") => Ok(()),
            local_name!("br") => {
                flow.flush(true, container);
                Ok(())
            }
            local_name!("table") => {
                flow.flush(false, container);
                let path = match (&flow.cell_path, &self.table_path) {
                    (Some(cell), _) => {
                        flow.nested_tables = flow.nested_tables.saturating_add(1);
                        format!("{cell}/table[{}]", flow.nested_tables)
                    }
                    (None, Some(fixed)) => fixed.clone(),
                    (None, None) => format!("body/table[{k}]"),
                };
                let (caption, table) = self.table(id, node, path, depth)?;
                for b in caption {
                    flow.push_block(b);
                }
                flow.push_block(Block::Table(table));
                Ok(())
            }
            local_name!("nav") | local_name!("header") | local_name!("footer")
                if flow.cell_path.is_none() && (sectioning == 0 || *name == local_name!("nav")) =>
            {
                flow.flush(false, container);
                let kind = if *name == local_name!("footer") {
                    FurnitureKind::Footer
                } else {
                    FurnitureKind::Header
                };
                let here = origin(&format!("body/{name}[{k}]"), node.byte);
                let mut inner = Flow::default();
                self.children(id, &mut inner, depth, &here, sectioning)?;
                inner.flush(false, &here);
                furniture(kind, inner.blocks, &mut self.furniture);
                Ok(())
            }
            local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6") => {
                flow.flush(false, container);
                let level = name.as_bytes().get(1).map_or(1, |d| d.saturating_sub(b'0'));
                let here = self.block_origin(flow, name, k, node.byte, container);
                let outer = flow.heading.replace(level);
                self.children(id, flow, depth, &here, sectioning)?;
                flow.flush(false, &here);
                flow.heading = outer;
                Ok(())
            }
            local_name!("pre") | local_name!("textarea") | local_name!("listing") => {
                flow.flush(false, container);
                let here = self.block_origin(flow, name, k, node.byte, container);
                flow.pre += 1;
                self.children(id, flow, depth, &here, sectioning)?;
                flow.flush(false, &here);
                flow.pre -= 1;
                Ok(())
            }
            _ if is_block(name) => {
                flow.flush(false, container);
                let here = self.block_origin(flow, name, k, node.byte, container);
                let s = sectioning
                    + usize::from(matches!(
                        *name,
                        local_name!("article") | local_name!("main") | local_name!("section")
                    ));
                self.children(id, flow, depth, &here, s)?;
                flow.flush(false, &here);
                Ok(())
            }
            // Inline elements (and unknown ones) are transparent.
            _ => self.children(id, flow, depth, container, sectioning),
        }
    }

    /// The origin of a block element: its own path outside tables; inside a cell, the cell's.
    fn block_origin<'o>(
        &self,
        flow: &Flow,
        name: &LocalName,
        k: u32,
        byte: u64,
        container: &'o Origin,
    ) -> Cow<'o, Origin> {
        if flow.cell_path.is_some() || *name == local_name!("html") {
            return Cow::Borrowed(container);
        }
        Cow::Owned(if *name == local_name!("body") {
            match &self.table_path {
                Some(base) => origin(base, byte),
                None => origin("body", byte),
            }
        } else {
            match &self.table_path {
                Some(base) => origin(base, byte),
                None => origin(&format!("body/{name}[{k}]"), byte),
            }
        })
    }

    /// A `<table>`: its caption (as paragraphs to put before it) and the table.
    fn table(
        &mut self,
        id: Id,
        node: &Node,
        path: String,
        depth: usize,
    ) -> Result<(Vec<Block>, Table), ReadError> {
        let dom = self.dom;
        let here = origin(&path, node.byte);
        let mut caption = Flow::default();
        // Row groups in source order: thead, tbody, tfoot, or rows straight under the table.
        let mut groups: Vec<Vec<(Id, &Node)>> = Vec::new();
        let mut loose: Vec<(Id, &Node)> = Vec::new();
        for (child, c) in dom.children(id) {
            if !matches!(c.kind, Kind::Element { .. }) {
                continue;
            }
            if depth + 1 > self.limits.max_depth {
                return Err(too_deep(self.limits, c.byte));
            }
            match c.name.local {
                local_name!("thead") | local_name!("tbody") | local_name!("tfoot") => {
                    if !loose.is_empty() {
                        groups.push(std::mem::take(&mut loose));
                    }
                    groups.push(
                        dom.children(child)
                            .filter(|(_, r)| r.name.local == local_name!("tr"))
                            .collect(),
                    );
                }
                local_name!("tr") => loose.push((child, c)),
                local_name!("caption") => {
                    self.count(&c.name.local);
                    self.children(child, &mut caption, depth + 1, &here, 1)?;
                    caption.flush(false, &here);
                }
                _ => {}
            }
        }
        if !loose.is_empty() {
            groups.push(loose);
        }
        let mut table = Table {
            rows: Vec::new(),
            origin: here,
        };
        let mut cells_total = 0usize;
        for group in groups {
            let n = group.len();
            for (r, (tr, tr_node)) in group.into_iter().enumerate() {
                if table.rows.len() >= self.limits.max_rows {
                    return Err(ReadError::new(
                        FailureKind::TooManyCells,
                        format!("a table with more than {} rows", self.limits.max_rows),
                    )
                    .at(Some(table.origin.to_string())));
                }
                if depth + 2 > self.limits.max_depth {
                    return Err(too_deep(self.limits, tr_node.byte));
                }
                self.count(&tr_node.name.local);
                let row_path = child_path(&path, "tr", table.rows.len() + 1);
                let mut row = Row {
                    origin: origin(&row_path, tr_node.byte),
                    ..Row::default()
                };
                let (mut tds, mut ths) = (0u32, 0u32);
                let rows_left = u32::try_from(n - r).unwrap_or(u32::MAX);
                for (td, c) in dom.children(tr) {
                    let Kind::Element { colspan, rowspan } = c.kind else {
                        continue;
                    };
                    let j = match c.name.local {
                        local_name!("td") => {
                            tds += 1;
                            tds
                        }
                        local_name!("th") => {
                            ths += 1;
                            ths
                        }
                        _ => continue,
                    };
                    cells_total += 1;
                    if cells_total > self.limits.max_cells {
                        return Err(ReadError::new(
                            FailureKind::TooManyCells,
                            format!("a table with more than {} cells", self.limits.max_cells),
                        )
                        .at(Some(table.origin.to_string())));
                    }
                    if depth + 3 > self.limits.max_depth {
                        return Err(too_deep(self.limits, c.byte));
                    }
                    self.count(&c.name.local);
                    let cell_path = child_path(&row_path, &c.name.local, j as usize);
                    let cell_origin = origin(&cell_path, c.byte);
                    let mut flow = Flow::in_cell(cell_path);
                    self.children(td, &mut flow, depth + 3, &cell_origin, 1)?;
                    flow.flush(false, &cell_origin);
                    let mut cell = Cell {
                        col_span: clamp_colspan(colspan),
                        row_span: clamp_rowspan(rowspan, rows_left),
                        origin: cell_origin,
                        ..Cell::default()
                    };
                    flow.into_cell(&mut cell);
                    row.cells.push(cell);
                }
                table.rows.push(row);
            }
        }
        let caption = caption
            .blocks
            .into_iter()
            .filter(|b| !matches!(b, Block::Paragraph(p) if p.text.trim().is_empty()))
            .collect();
        Ok((caption, table))
    }
}

/// `base/name[k]`, written without the formatter (one per row and per cell).
fn child_path(base: &str, name: &str, k: usize) -> String {
    let mut digits = [0u8; 20];
    let mut n = k;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    let digits = std::str::from_utf8(&digits[at..]).unwrap_or("0");
    let mut p = String::with_capacity(base.len() + name.len() + digits.len() + 3);
    p.push_str(base);
    p.push('/');
    p.push_str(name);
    p.push('[');
    p.push_str(digits);
    p.push(']');
    p
}

/// `colspan`: missing or 0 → 1, at most [`MAX_COLSPAN`].
pub(crate) fn clamp_colspan(v: Option<u64>) -> u32 {
    match v {
        None | Some(0) => 1,
        Some(n) => u32::try_from(n.min(u64::from(MAX_COLSPAN))).unwrap_or(MAX_COLSPAN),
    }
}

/// `rowspan`: missing → 1; 0 → to the end of the row group; otherwise at most
/// [`MAX_ROWSPAN`] and at most the rows left in the group (counting this one).
pub(crate) fn clamp_rowspan(v: Option<u64>, rows_left: u32) -> u32 {
    let rows_left = rows_left.max(1);
    match v {
        None => 1,
        Some(0) => rows_left,
        Some(n) => {
            let n = u32::try_from(n.min(u64::from(MAX_ROWSPAN))).unwrap_or(MAX_ROWSPAN);
            n.min(rows_left)
        }
    }
}

/// Furniture blocks as entries: one per paragraph, one per non-blank cell of a table.
fn furniture(kind: FurnitureKind, blocks: Vec<Block>, out: &mut Vec<Furniture>) {
    fn table(kind: FurnitureKind, t: Table, out: &mut Vec<Furniture>) {
        for row in t.rows {
            for cell in row.cells {
                let text = cell.text();
                if !text.trim().is_empty() {
                    out.push(Furniture {
                        kind,
                        text,
                        origin: cell.origin.clone(),
                    });
                }
                for nested in cell.tables {
                    table(kind, nested, out);
                }
            }
        }
    }
    for b in blocks {
        match b {
            Block::Paragraph(p) if !p.text.trim().is_empty() => out.push(Furniture {
                kind,
                text: p.text,
                origin: p.origin,
            }),
            Block::Paragraph(_) => {}
            Block::Table(t) => table(kind, t, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_as_format_writes_them() {
        assert_eq!(
            child_path("body/table[2]", "tr", 13),
            "body/table[2]/tr[13]"
        );
        assert_eq!(child_path("b0", "td", 0), "b0/td[0]");
        assert_eq!(
            child_path("x", "th", usize::MAX),
            format!("x/th[{}]", usize::MAX)
        );
    }

    #[test]
    fn spans_are_clamped() {
        assert_eq!(clamp_colspan(None), 1);
        assert_eq!(clamp_colspan(Some(0)), 1);
        assert_eq!(clamp_colspan(Some(5000)), MAX_COLSPAN);
        assert_eq!(clamp_rowspan(Some(0), 4), 4);
        assert_eq!(clamp_rowspan(Some(1_000_000_000), 3), 3);
        assert_eq!(clamp_rowspan(Some(2), 3), 2);
        assert_eq!(clamp_rowspan(None, 3), 1);
    }
}
