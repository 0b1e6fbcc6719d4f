//! One document's section: each project's records beside the source table they came from,
//! drawn from the document model with its merged cells; every value linked to its origin and
//! flagged values marked with the flag's message.

use crate::collect::{DatasetView, Kind, Owned};
use crate::html::{esc, esc_lines, num};
use std::collections::HashMap;
use tablift_model::{Document, Origin, Table};

/// Rows of one table drawn at most (a source table is a form: tens of rows).
const MAX_TABLE_ROWS: usize = 1000;
/// Cells drawn per document, all tables together, so that one huge document cannot make the
/// report slow to open.
const MAX_CELLS: usize = 20_000;
/// Nested tables drawn this deep.
const MAX_DEPTH: usize = 4;
/// Rows of a dataset not tied to a project (narrative sections, …) shown per document.
const MAX_OTHER_ROWS: usize = 200;

/// Where each origin of the model is drawn: (top-level table, element id).
struct Anchors<'d> {
    by_origin: HashMap<&'d Origin, (usize, String)>,
    by_line: HashMap<u32, (usize, String)>,
}

impl<'d> Anchors<'d> {
    fn new(doc: &'d Document, prefix: &str) -> Anchors<'d> {
        let mut a = Anchors {
            by_origin: HashMap::new(),
            by_line: HashMap::new(),
        };
        for (t, table) in doc.tables().enumerate() {
            a.table(table, t, &format!("{prefix}t{t}"), 0);
        }
        a
    }

    fn add(&mut self, o: &'d Origin, t: usize, id: &str) {
        if matches!(o, Origin::Unknown) {
            return;
        }
        self.by_origin
            .entry(o)
            .or_insert_with(|| (t, id.to_string()));
        if let Some(line) = o.line() {
            self.by_line
                .entry(line)
                .or_insert_with(|| (t, id.to_string()));
        }
    }

    fn table(&mut self, table: &'d Table, t: usize, id: &str, depth: usize) {
        self.add(&table.origin, t, id);
        for (r, row) in table.rows.iter().enumerate().take(MAX_TABLE_ROWS) {
            let rid = format!("{id}r{r}");
            self.add(&row.origin, t, &rid);
            for (c, cell) in row.cells.iter().enumerate() {
                let cid = format!("{rid}c{c}");
                self.add(&cell.origin, t, &cid);
                if depth < MAX_DEPTH {
                    for (k, nested) in cell.tables.iter().enumerate() {
                        self.table(nested, t, &format!("{cid}n{k}"), depth + 1);
                    }
                }
            }
        }
    }

    /// The element an origin points into: the element itself, or for a `.docx` path the
    /// nearest drawn ancestor (`b12/r3/c2/p0` → the cell `b12/r3/c2`), or for a text export
    /// the first element on its line.
    fn resolve(&self, o: &Origin) -> Option<&(usize, String)> {
        if let Some(hit) = self.by_origin.get(o) {
            return Some(hit);
        }
        match o {
            Origin::Docx { part, path } => {
                let mut p: &str = path;
                while let Some(k) = p.rfind('/') {
                    p = p.get(..k).unwrap_or("");
                    let up = Origin::Docx {
                        part: part.clone(),
                        path: p.into(),
                    };
                    if let Some(hit) = self.by_origin.get(&up) {
                        return Some(hit);
                    }
                }
                None
            }
            Origin::Text { line, .. } => self.by_line.get(line),
            _ => None,
        }
    }
}

/// A flag row, read by column name.
struct Flag {
    code: String,
    message: String,
    field: String,
    raw: String,
    origin: Option<Origin>,
    seq: String,
}

fn cell_text(row: &[Owned], i: Option<usize>) -> String {
    i.and_then(|i| row.get(i))
        .map(|v| v.text().to_string())
        .unwrap_or_default()
}

/// Everything one section needs while it is drawn.
struct Ctx<'a, 'd> {
    views: &'a [DatasetView],
    rows: &'a [Vec<Vec<Owned>>],
    anchors: Anchors<'d>,
    flags: Vec<Flag>,
    /// Flags (by index) pointing into each drawn element.
    flagged: HashMap<String, Vec<usize>>,
    cells_left: usize,
}

/// The HTML of one document's section. `index` is its place in the run (ids start `d{index}`).
pub(crate) fn section(
    index: usize,
    source: &str,
    doc: &Document,
    views: &[DatasetView],
    rows: &[Vec<Vec<Owned>>],
) -> String {
    let prefix = format!("d{index}");
    let mut ctx = Ctx {
        views,
        rows,
        anchors: Anchors::new(doc, &prefix),
        flags: Vec::new(),
        flagged: HashMap::new(),
        cells_left: MAX_CELLS,
    };
    ctx.read_flags();
    let mut out = String::new();
    out.push_str("<section class=\"doc\" id=\"");
    out.push_str(&prefix);
    out.push_str("\"><h2>");
    num(&mut out, index + 1);
    out.push_str(". ");
    esc(&mut out, source);
    out.push_str("</h2>");
    meta(&mut out, doc);
    let tables: Vec<&Table> = doc.tables().collect();
    let mut drawn = vec![false; tables.len()];
    let shown_flags = ctx.projects(&mut out, &tables, &mut drawn, &prefix);
    ctx.loose_flags(&mut out, &shown_flags);
    ctx.other_tables(&mut out, &tables, &drawn, &prefix);
    ctx.other_rows(&mut out);
    out.push_str("</section>\n");
    out
}

fn meta(out: &mut String, doc: &Document) {
    out.push_str("<p class=\"meta\">");
    out.push_str(doc.source.format.as_str());
    for extra in [
        doc.source.encoding.as_deref(),
        doc.source.layout.map(|l| l.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        out.push_str(" · ");
        esc(out, extra);
    }
    out.push_str(" · ");
    num(out, doc.tables().count());
    out.push_str(" tables</p>");
    if !doc.diagnostics.is_empty() {
        out.push_str("<ul class=\"diagnostics\">");
        for d in &doc.diagnostics {
            out.push_str("<li><b>");
            esc(out, &d.code);
            out.push_str("</b> ");
            esc(out, &d.message);
            out.push_str(" <span class=\"origin\">");
            esc(out, &d.origin.to_string());
            out.push_str("</span></li>");
        }
        out.push_str("</ul>");
    }
}

impl Ctx<'_, '_> {
    fn read_flags(&mut self) {
        for (k, view) in self.views.iter().enumerate() {
            let Kind::Flags(f) = &view.kind else { continue };
            for row in self.rows.get(k).into_iter().flatten() {
                let origin = f.origin.and_then(|i| match row.get(i) {
                    Some(Owned::Origin(o)) if !matches!(o, Origin::Unknown) => Some(o.clone()),
                    _ => None,
                });
                if let Some((_, id)) = origin.as_ref().and_then(|o| self.anchors.resolve(o)) {
                    self.flagged
                        .entry(id.clone())
                        .or_default()
                        .push(self.flags.len());
                }
                self.flags.push(Flag {
                    code: cell_text(row, Some(f.code)),
                    message: cell_text(row, f.message),
                    field: cell_text(row, f.field),
                    raw: cell_text(row, f.raw),
                    origin,
                    seq: cell_text(row, f.project_seq),
                });
            }
        }
    }

    /// Link `text` to the element `origin` points into (or just show where it is from).
    fn linked(&self, out: &mut String, text: &str, origin: Option<&Origin>) {
        let hit = origin.and_then(|o| self.anchors.resolve(o));
        match (origin, hit) {
            (Some(o), Some((_, id))) => {
                out.push_str("<a href=\"#");
                out.push_str(id);
                out.push_str("\" title=\"");
                esc(out, &o.to_string());
                out.push_str("\">");
                esc_lines(out, text);
                out.push_str("</a>");
            }
            (Some(o), None) => {
                out.push_str("<span title=\"");
                esc(out, &o.to_string());
                out.push_str("\">");
                esc_lines(out, text);
                out.push_str("</span>");
            }
            (None, _) => esc_lines(out, text),
        }
    }

    fn flag_note(out: &mut String, f: &Flag) {
        out.push_str("<span class=\"flag-note\">⚑ ");
        esc(out, &f.code);
        out.push_str(": ");
        esc(out, &f.message);
        out.push_str("</span>");
    }

    /// One value of a record as a table cell: linked to its origin, marked when flagged.
    /// `flags` are the flags that may concern the record; `noted` says whether the record
    /// already shows a flag's message (once per record is enough).
    fn value_cell(
        &self,
        out: &mut String,
        (k, row, i): (usize, &[Owned], usize),
        flags: &[usize],
        noted: &mut bool,
    ) {
        let Some(view) = self.views.get(k) else {
            return;
        };
        let name = view.schema.columns.get(i).map_or("", |c| c.name);
        let text = row.get(i).map_or("", Owned::text);
        let origin = view.origin_of(i).and_then(|(j, own)| match row.get(j) {
            Some(Owned::Origin(o)) if !matches!(o, Origin::Unknown) => Some((o, own)),
            _ => None,
        });
        let flag = flags.iter().filter_map(|&n| self.flags.get(n)).find(|f| {
            (matches!(view.kind, Kind::Projects(_)) && f.field == name)
                || origin.is_some_and(|(o, own)| own && f.origin.as_ref() == Some(o))
        });
        match flag {
            Some(f) => {
                out.push_str("<td class=\"flagged\" data-flag=\"");
                esc(out, &f.code);
                out.push_str("\" title=\"");
                esc(out, &f.message);
                out.push_str("\">");
            }
            None => out.push_str("<td>"),
        }
        self.linked(out, text, origin.map(|(o, _)| o));
        // The code here, the message on hover, in the flag list and on the source cell.
        if let Some(f) = flag.filter(|_| !*noted) {
            out.push_str("<span class=\"flag-note\">⚑ ");
            esc(out, &f.code);
            out.push_str("</span>");
            *noted = true;
        }
        out.push_str("</td>");
    }

    /// Columns of a record worth a cell: not the source, not an origin (values link to it).
    fn shown_columns(view: &DatasetView, skip: &[&str]) -> Vec<usize> {
        view.schema
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.name != "source"
                    && c.ty != tablift_dataset::ColumnType::Origin
                    && !skip.contains(&c.name)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Every project card; returns which flags were shown under a project.
    fn projects(
        &mut self,
        out: &mut String,
        tables: &[&Table],
        drawn: &mut [bool],
        prefix: &str,
    ) -> Vec<bool> {
        let mut shown = vec![false; self.flags.len()];
        // Rows of other datasets by the project they name.
        let mut children: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
        for (k, view) in self.views.iter().enumerate() {
            let (Kind::Other, Some(c)) = (&view.kind, view.project_seq) else {
                continue;
            };
            for (r, row) in self.rows.get(k).into_iter().flatten().enumerate() {
                let seq = row.get(c).map_or("", Owned::text);
                children.entry((k, seq)).or_default().push(r);
            }
        }
        for (k, view) in self.views.iter().enumerate() {
            let Kind::Projects(p) = &view.kind else {
                continue;
            };
            for row in self.rows.get(k).into_iter().flatten() {
                let seq = row.get(p.seq).map_or("", Owned::text);
                let flags: Vec<usize> = (0..self.flags.len())
                    .filter(|&n| self.flags.get(n).is_some_and(|f| f.seq == seq))
                    .collect();
                for &n in &flags {
                    if let Some(s) = shown.get_mut(n) {
                        *s = true;
                    }
                }
                let kids: Vec<(usize, &Vec<usize>)> = (0..self.views.len())
                    .filter_map(|c| children.get(&(c, seq)).map(|rs| (c, rs)))
                    .collect();
                self.project(out, (k, row), &kids, &flags, tables, drawn, prefix);
            }
        }
        shown
    }

    /// The tables the origins of the project (its row, its children's rows) point into, in
    /// document order.
    fn tables_of(&self, row: &[Owned], kids: &[(usize, &Vec<usize>)]) -> Vec<usize> {
        let origins = row.iter().chain(kids.iter().flat_map(|(c, rs)| {
            rs.iter()
                .filter_map(|&r| self.rows.get(*c).and_then(|rows| rows.get(r)))
                .flatten()
        }));
        let mut tables: Vec<usize> = origins
            .filter_map(|v| match v {
                Owned::Origin(o) => self.anchors.resolve(o).map(|(t, _)| *t),
                _ => None,
            })
            .collect();
        tables.sort_unstable();
        tables.dedup();
        tables
    }

    #[allow(clippy::too_many_arguments)]
    fn project(
        &mut self,
        out: &mut String,
        (k, row): (usize, &[Owned]),
        kids: &[(usize, &Vec<usize>)],
        flags: &[usize],
        tables: &[&Table],
        drawn: &mut [bool],
        prefix: &str,
    ) {
        let Some(view) = self.views.get(k) else {
            return;
        };
        let Kind::Projects(p) = &view.kind else {
            return;
        };
        let seq = row.get(p.seq).map_or("", Owned::text);
        out.push_str("<article class=\"project\" id=\"");
        out.push_str(prefix);
        out.push('p');
        esc(out, seq);
        out.push_str("\" data-seq=\"");
        esc(out, seq);
        out.push_str("\"><div class=\"records\"><h3>");
        esc(out, &cell_text(row, p.name));
        out.push_str(" <small>");
        esc(out, &cell_text(row, p.code));
        out.push_str("</small></h3><table class=\"kv\">");
        let mut noted = false;
        for i in Self::shown_columns(view, &[]) {
            if row.get(i).is_none_or(|v| v.text().is_empty()) {
                continue;
            }
            out.push_str("<tr><th>");
            esc(out, view.schema.columns.get(i).map_or("", |c| c.name));
            out.push_str("</th>");
            self.value_cell(out, (k, row, i), flags, &mut noted);
            out.push_str("</tr>");
        }
        out.push_str("</table>");
        for &(c, rs) in kids {
            self.child_rows(out, c, rs, flags);
        }
        self.flag_list(out, flags);
        out.push_str("</div><div class=\"source\">");
        let sources = self.tables_of(row, kids);
        if sources.is_empty() {
            out.push_str(
                "<p class=\"note\">No source table: this project's values come from text \
                 (their origins are lines or paragraphs, shown on each value).</p>",
            );
        }
        for t in sources {
            match (tables.get(t), drawn.get_mut(t)) {
                (Some(table), Some(d)) if !*d => {
                    *d = true;
                    self.table(out, table, &format!("{prefix}t{t}"), 0);
                }
                _ => {
                    out.push_str("<p class=\"note\">Source: <a href=\"#");
                    out.push_str(prefix);
                    out.push('t');
                    num(out, t);
                    out.push_str("\">table ");
                    num(out, t + 1);
                    out.push_str("</a>, drawn above.</p>");
                }
            }
        }
        out.push_str("</div></article>\n");
    }

    fn child_rows(&self, out: &mut String, k: usize, rs: &[usize], flags: &[usize]) {
        let Some(view) = self.views.get(k) else {
            return;
        };
        let cols = Self::shown_columns(view, &["project_seq", "project_code", "project_name"]);
        out.push_str("<h4>");
        esc(out, view.schema.name);
        out.push_str("</h4><table class=\"rows\"><tr>");
        for &i in &cols {
            out.push_str("<th>");
            esc(out, view.schema.columns.get(i).map_or("", |c| c.name));
            out.push_str("</th>");
        }
        out.push_str("</tr>");
        for row in rs.iter().filter_map(|&r| self.rows.get(k)?.get(r)) {
            out.push_str("<tr>");
            let mut noted = false;
            for &i in &cols {
                self.value_cell(out, (k, row, i), flags, &mut noted);
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }

    fn flag_list(&self, out: &mut String, flags: &[usize]) {
        if flags.is_empty() {
            return;
        }
        out.push_str("<ul class=\"flags\">");
        for f in flags.iter().filter_map(|&n| self.flags.get(n)) {
            out.push_str("<li><b>");
            esc(out, &f.code);
            out.push_str("</b> ");
            if !f.field.is_empty() {
                out.push_str("<code>");
                esc(out, &f.field);
                out.push_str("</code> ");
            }
            esc(out, &f.message);
            if !f.raw.is_empty() {
                out.push_str(" (");
                self.linked(out, &f.raw, f.origin.as_ref());
                out.push(')');
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }

    /// Flags not shown under a project (about the document, or naming no project drawn).
    fn loose_flags(&self, out: &mut String, shown: &[bool]) {
        let loose: Vec<usize> = (0..self.flags.len())
            .filter(|&n| shown.get(n) != Some(&true))
            .collect();
        if loose.is_empty() {
            return;
        }
        out.push_str("<div class=\"doc-flags\"><h3>Flags about the document</h3>");
        self.flag_list(out, &loose);
        out.push_str("</div>");
    }

    fn other_tables(&mut self, out: &mut String, tables: &[&Table], drawn: &[bool], prefix: &str) {
        let left: Vec<usize> = (0..tables.len())
            .filter(|&t| drawn.get(t) == Some(&false))
            .collect();
        if left.is_empty() {
            return;
        }
        out.push_str("<div class=\"other-tables\"><h3>Tables not tied to a project</h3>");
        for t in left {
            if let Some(table) = tables.get(t) {
                self.table(out, table, &format!("{prefix}t{t}"), 0);
            }
        }
        out.push_str("</div>");
    }

    /// Rows of datasets shown neither under a project nor as flags (narrative sections, …).
    fn other_rows(&self, out: &mut String) {
        for (k, view) in self.views.iter().enumerate() {
            if !matches!(view.kind, Kind::Other) || view.project_seq.is_some() {
                continue;
            }
            let rows = self.rows.get(k).map_or(&[][..], Vec::as_slice);
            if rows.is_empty() {
                continue;
            }
            let cols = Self::shown_columns(view, &[]);
            out.push_str("<details class=\"dataset\"><summary>");
            esc(out, view.schema.name);
            out.push_str(" (");
            num(out, rows.len());
            out.push_str(" rows)</summary><table class=\"rows\"><tr>");
            for &i in &cols {
                out.push_str("<th>");
                esc(out, view.schema.columns.get(i).map_or("", |c| c.name));
                out.push_str("</th>");
            }
            out.push_str("</tr>");
            for row in rows.iter().take(MAX_OTHER_ROWS) {
                out.push_str("<tr>");
                for &i in &cols {
                    self.value_cell(out, (k, row, i), &[], &mut false);
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
            if rows.len() > MAX_OTHER_ROWS {
                out.push_str("<p class=\"note\">The first ");
                num(out, MAX_OTHER_ROWS);
                out.push_str(" rows are shown; the dataset files have them all.</p>");
            }
            out.push_str("</details>");
        }
    }

    /// A source table with its merged cells; every element carries the id records link to.
    fn table(&mut self, out: &mut String, table: &Table, id: &str, depth: usize) {
        out.push_str("<table class=\"src\" id=\"");
        out.push_str(id);
        out.push_str("\">");
        for (r, row) in table.rows.iter().enumerate() {
            if r >= MAX_TABLE_ROWS || self.cells_left == 0 {
                out.push_str("<tr><td class=\"note\">… rows not drawn (the report draws ");
                num(out, MAX_TABLE_ROWS);
                out.push_str(" rows per table and ");
                num(out, MAX_CELLS);
                out.push_str(" cells per document)</td></tr>");
                break;
            }
            let rid = format!("{id}r{r}");
            out.push_str("<tr id=\"");
            out.push_str(&rid);
            out.push_str("\">");
            if row.grid_before > 0 {
                out.push_str("<td class=\"skip\" colspan=\"");
                num(out, row.grid_before);
                out.push_str("\"></td>");
            }
            for (c, cell) in row.cells.iter().enumerate() {
                self.cells_left = self.cells_left.saturating_sub(1);
                let cid = format!("{rid}c{c}");
                self.cell(out, cell, &cid, depth);
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }

    fn cell(&mut self, out: &mut String, cell: &tablift_model::Cell, cid: &str, depth: usize) {
        let flags: Vec<&Flag> = self
            .flagged
            .get(cid)
            .into_iter()
            .flatten()
            .filter_map(|&n| self.flags.get(n))
            .collect();
        out.push_str("<td id=\"");
        out.push_str(cid);
        out.push('"');
        for (attr, n) in [(" rowspan", cell.row_span), (" colspan", cell.col_span)] {
            if n > 1 {
                out.push_str(attr);
                out.push_str("=\"");
                num(out, n);
                out.push('"');
            }
        }
        if let Some(first) = flags.first() {
            out.push_str(" class=\"flagged\" data-flag=\"");
            esc(out, &first.code);
            out.push_str("\" title=\"");
            let messages: Vec<&str> = flags.iter().map(|f| f.message.as_str()).collect();
            esc(out, &messages.join("\n"));
            out.push('"');
        }
        out.push('>');
        for (i, p) in cell.visible_paragraphs().iter().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            esc(out, p);
        }
        for f in &flags {
            Self::flag_note(out, f);
        }
        for (k, nested) in cell.tables.iter().enumerate() {
            if depth < MAX_DEPTH {
                self.table(out, nested, &format!("{cid}n{k}"), depth + 1);
            } else {
                out.push_str("<p class=\"note\">(a nested table, too deep to draw)</p>");
            }
        }
        out.push_str("</td>");
    }
}
