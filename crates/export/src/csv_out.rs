//! The CSV datasets: long-form, one row per record, a fixed header per file.

//!
//! Rows are rendered straight into a byte buffer (no `String` per value: numbers through
//! `itoa`, origins and decimals formatted in place), quoted exactly as the `csv` crate's
//! default writer does (RFC 4180, `"` doubled, quoting only fields holding `,` `"` `\r` `\n`)
//! so that readers can use any CSV library.

use crate::render::{Rendered, Slot};
use crate::swar;
use crate::{ExportDoc, Failure};
use rust_decimal::Decimal;
use std::fmt::Write as _;
use tablift_budget::Project;
use tablift_model::{Origin, Table};

/// Column headers, part of the public contract: new columns are only ever appended.
pub const PROJECTS_HEADER: &[&str] = &[
    "source",
    "seq",
    "project_code",
    "project_name",
    "department_code",
    "department_name",
    "unit",
    "budget_total",
    "budget_fiscal",
    "budget_other",
    "use_of_funds",
    "plan_mar",
    "plan_jun",
    "plan_oct",
    "plan_dec",
    "title",
    "tc_entry",
    "budget_total_raw",
    "budget_fiscal_raw",
    "budget_other_raw",
    "goals_raw",
    "goal_count",
    "indicator_count",
    "origin",
];
/// `indicators.csv` columns.
pub const INDICATORS_HEADER: &[&str] = &[
    "source",
    "project_code",
    "row",
    "level1",
    "level2",
    "level3",
    "description",
    "value_raw",
    "value_op",
    "value_number",
    "value_unit",
    "basis",
    "project_seq",
    "project_name",
    "value_text",
    "origin",
    "value_origin",
];
/// `goals.csv` columns.
pub const GOALS_HEADER: &[&str] = &[
    "source",
    "project_seq",
    "project_code",
    "goal",
    "number",
    "text",
    "raw",
];
/// `spending_plan.csv` columns.
pub const PLAN_HEADER: &[&str] = &[
    "source",
    "project_seq",
    "project_code",
    "checkpoint",
    "label",
    "month",
    "raw",
    "percent",
    "origin",
];
/// `sections.csv` columns.
pub const SECTIONS_HEADER: &[&str] = &[
    "source",
    "index",
    "heading_path",
    "heading",
    "tc_entry",
    "tc_level",
    "items",
    "text",
    "origin",
];
/// `flags.csv` columns.
pub const FLAGS_HEADER: &[&str] = &[
    "source",
    "code",
    "project_seq",
    "project_code",
    "field",
    "raw",
    "message",
    "origin",
];
/// `tables.csv` columns.
pub const TABLES_HEADER: &[&str] = &[
    "source", "table", "row", "col", "row_span", "col_span", "text", "origin",
];
/// `failures.csv` columns.
pub const FAILURES_HEADER: &[&str] = &["source", "kind", "message", "position"];

/// Whether a field must be quoted: it holds `,` `"` `\r` or `\n` (as csv-core with the default
/// `\n` terminator). Eight bytes at a time (SWAR): every byte of every field is checked, and
/// most are Chinese text holding none of these. (memchr's SIMD scans cost more on fields
/// this short: +9% instructions for a text document's render.)
fn needs_quotes(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = swar::word(&w);
        if swar::equal(x, b',')
            | swar::equal(x, b'"')
            | swar::equal(x, b'\n')
            | swar::equal(x, b'\r')
            != 0
        {
            return true;
        }
    }
    // The last few bytes one by one: cheaper than padding them into a word.
    chunks.remainder().iter().any(|&c| SPECIAL[usize::from(c)])
}

/// Bytes that force a field into quotes.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// Append `field` quoted (quotes doubled).
fn push_quoted(out: &mut Vec<u8>, field: &[u8]) {
    out.push(b'"');
    let mut rest = field;
    while let Some(i) = rest.iter().position(|&c| c == b'"') {
        let (a, b) = rest.split_at(i + 1);
        out.extend_from_slice(a);
        out.push(b'"');
        rest = b;
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// `v` as a CSV field (quoted if needed), for a value repeated on many rows.
fn field(v: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() + 2);
    if needs_quotes(v.as_bytes()) {
        push_quoted(&mut out, v.as_bytes());
    } else {
        out.extend_from_slice(v.as_bytes());
    }
    out
}

/// One CSV row being appended to a buffer.
pub(crate) struct Row<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Row<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Row<'a> {
        Row { out, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    /// A text field.
    pub(crate) fn s(&mut self, v: &str) -> &mut Self {
        self.sep();
        if needs_quotes(v.as_bytes()) {
            push_quoted(self.out, v.as_bytes());
        } else {
            self.out.extend_from_slice(v.as_bytes());
        }
        self
    }

    /// A field already in CSV form (quoted if needed, by [`field`]).
    fn raw(&mut self, v: &[u8]) -> &mut Self {
        self.sep();
        self.out.extend_from_slice(v);
        self
    }

    /// An optional text field (empty when absent).
    fn os(&mut self, v: Option<&String>) -> &mut Self {
        self.s(v.map(String::as_str).unwrap_or(""))
    }

    /// An integer field.
    fn n(&mut self, v: impl itoa::Integer) -> &mut Self {
        self.sep();
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        self
    }

    /// An optional integer field.
    fn on(&mut self, v: Option<impl itoa::Integer>) -> &mut Self {
        match v {
            Some(v) => self.n(v),
            None => self.s(""),
        }
    }

    /// Parts joined by `sep`, as one field, without building the joined string.
    fn joined(&mut self, parts: &[String], sep: &str) -> &mut Self {
        self.sep();
        let quote = (parts.len() > 1 && needs_quotes(sep.as_bytes()))
            || parts.iter().any(|p| needs_quotes(p.as_bytes()));
        let start = self.out.len();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                self.out.extend_from_slice(sep.as_bytes());
            }
            self.out.extend_from_slice(p.as_bytes());
        }
        if quote {
            self.requote(start);
        }
        self
    }

    /// A field formatted in place: written raw, then quoted if it turned out to need it.
    fn fmt(&mut self, v: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let start = self.out.len();
        // Writing into a Vec cannot fail.
        let _ = std::io::Write::write_fmt(self.out, format_args!("{v}"));
        if self.out.get(start..).is_some_and(needs_quotes) {
            self.requote(start);
        }
        self
    }

    /// An optional decimal field.
    fn dec(&mut self, v: Option<Decimal>) -> &mut Self {
        match v {
            Some(d) => self.fmt(d),
            None => self.s(""),
        }
    }

    /// An origin, as its `Display` (`line 67 (byte 1290)`, `word/document.xml:b1/r2/c3/p0`).
    fn origin(&mut self, o: &Origin) -> &mut Self {
        match o {
            Origin::Text { line, byte } => {
                self.sep();
                self.out.extend_from_slice(b"line ");
                self.out
                    .extend_from_slice(itoa::Buffer::new().format(*line).as_bytes());
                self.out.extend_from_slice(b" (byte ");
                self.out
                    .extend_from_slice(itoa::Buffer::new().format(*byte).as_bytes());
                self.out.push(b')');
                self
            }
            Origin::Docx { part, path } => {
                self.sep();
                let start = self.out.len();
                self.out.extend_from_slice(part.as_bytes());
                self.out.push(b':');
                self.out.extend_from_slice(path.as_bytes());
                if self.out.get(start..).is_some_and(needs_quotes) {
                    self.requote(start);
                }
                self
            }
            other => self.fmt(other),
        }
    }

    /// Quote the bytes written since `start` (rare: only fields holding specials).
    fn requote(&mut self, start: usize) {
        let raw = self.out.split_off(start.min(self.out.len()));
        push_quoted(self.out, &raw);
    }

    /// End the record.
    pub(crate) fn end(&mut self) {
        self.out.push(b'\n');
    }
}

fn plan_at(p: &Project, month: u8) -> Option<Decimal> {
    p.plan
        .iter()
        .find(|c| c.month == Some(month))
        .and_then(|c| c.percent)
}

/// Render one document's CSV rows into `out` (every dataset but `failures.csv`).
pub(crate) fn render_document(doc: &ExportDoc<'_>, out: &mut Rendered) {
    // The source is on every row (hundreds per document): checked for quoting once.
    let src = &field(doc.source)[..];
    let d = &doc.extraction.document;
    for p in &doc.extraction.projects {
        let code = p.code.as_deref().unwrap_or("");
        let unit = p.unit.as_ref().or(d.unit.as_ref());
        out.row(Slot::Projects, |r| {
            r.raw(src)
                .n(p.seq)
                .s(code)
                .os(p.name.as_ref())
                .os(p.department_code.as_ref().or(d.department_code.as_ref()))
                .os(p.department_name.as_ref().or(d.department_name.as_ref()))
                .os(unit)
                // In the row's unit, whatever unit a cell wrote (raw text in *_raw columns).
                .dec(p.budget_total.value_in(unit.map(String::as_str)))
                .dec(p.budget_fiscal.value_in(unit.map(String::as_str)))
                .dec(p.budget_other.value_in(unit.map(String::as_str)))
                .s(&p.use_of_funds)
                .dec(plan_at(p, 3))
                .dec(plan_at(p, 6))
                .dec(plan_at(p, 10))
                .dec(plan_at(p, 12))
                .s(&p.title)
                .os(p.tc_entry.as_ref())
                .s(&p.budget_total.raw)
                .s(&p.budget_fiscal.raw)
                .s(&p.budget_other.raw)
                .s(&p.goals_raw)
                .n(p.goals.len())
                .n(p.indicators.len())
                .origin(&p.origin);
        });
        for ind in &p.indicators {
            let v = &ind.value;
            out.row(Slot::Indicators, |r| {
                r.raw(src)
                    .s(code)
                    .n(ind.row)
                    .s(&ind.level1)
                    .s(&ind.level2)
                    .s(&ind.level3)
                    .s(&ind.description)
                    .s(&v.raw)
                    .s(v.op.map(|o| o.as_str()).unwrap_or(""))
                    .dec(v.number)
                    .os(v.unit.as_ref())
                    .s(&ind.basis)
                    .n(p.seq)
                    .os(p.name.as_ref())
                    .os(v.text.as_ref())
                    .origin(&ind.origin)
                    .origin(&v.origin);
            });
        }
        for (i, g) in p.goals.iter().enumerate() {
            out.row(Slot::Goals, |r| {
                r.raw(src)
                    .n(p.seq)
                    .s(code)
                    .n(i + 1)
                    .on(g.number)
                    .s(&g.text)
                    .s(&g.raw);
            });
        }
        for (i, c) in p.plan.iter().enumerate() {
            out.row(Slot::Plan, |r| {
                r.raw(src)
                    .n(p.seq)
                    .s(code)
                    .n(i + 1)
                    .s(&c.label)
                    .on(c.month)
                    .s(&c.raw)
                    .dec(c.percent)
                    .origin(&c.origin);
            });
        }
    }
    for s in &d.sections {
        out.row(Slot::Sections, |r| {
            r.raw(src)
                .n(s.index)
                .joined(&s.heading_path, " > ")
                .s(&s.heading)
                .os(s.tc_entry.as_ref())
                .on(s.tc_level)
                .joined(&s.items, "\n")
                .joined(&s.paragraphs, "\n")
                .origin(&s.origin);
        });
    }
    for f in &doc.extraction.flags {
        out.row(Slot::Flags, |r| {
            r.raw(src)
                .s(&f.code)
                .on(f.project_seq)
                .os(f.project_code.as_ref())
                .s(&f.field)
                .s(&f.raw)
                .s(&f.message)
                .origin(&f.origin);
        });
    }
    let mut id = String::new();
    for (i, t) in doc.document.tables().enumerate() {
        id.clear();
        let _ = write!(id, "{}", i + 1);
        table(out, src, &mut id, t, 0);
    }
}

/// One row per cell (continued merge slots are not repeated); nested tables follow their
/// cell with ids like `3/r2/c1/t1`. `id` is a reused buffer holding the table's id.
fn table(out: &mut Rendered, src: &[u8], id: &mut String, t: &Table, depth: usize) {
    for (r, row) in t.logical_rows().iter().enumerate() {
        for lc in row.iter().filter(|lc| !lc.continued) {
            let paragraphs = lc.cell.visible_paragraphs();
            out.row(Slot::Tables, |w| {
                w.raw(src)
                    .s(id)
                    .n(r + 1)
                    // Widened: a column can sit at the grid's end (u32::MAX) in a hostile file.
                    .n(u64::from(lc.col) + 1)
                    .n(lc.cell.row_span)
                    .n(lc.col_span)
                    .joined(paragraphs, "\n")
                    .origin(&lc.cell.origin);
            });
            // The model's readers bound nesting depth; this guard keeps a hand-built model
            // from recursing without end.
            if depth < 64 {
                for (k, nested) in lc.cell.tables.iter().enumerate() {
                    let len = id.len();
                    let _ = write!(id, "/r{}/c{}/t{}", r + 1, u64::from(lc.col) + 1, k + 1);
                    table(out, src, id, nested, depth + 1);
                    id.truncate(len);
                }
            }
        }
    }
}

/// Render one failure row of `failures.csv`.
pub(crate) fn render_failure(f: &Failure, out: &mut Rendered) {
    out.row(Slot::Failures, |r| {
        r.s(&f.source).s(&f.kind).s(&f.message).s(&f.position);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(f: impl FnOnce(&mut Row<'_>)) -> String {
        let mut buf = Vec::new();
        let mut r = Row::new(&mut buf);
        f(&mut r);
        r.end();
        String::from_utf8(buf).unwrap()
    }

    fn with_csv_crate(fields: &[&str]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(fields).unwrap();
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn quoting_matches_the_csv_crate() {
        let cases: &[&[&str]] = &[
            &["a", "", "b"],
            &["a,b", "say \"hi\"", "x\ny", "cr\r", "中文，全角"],
            &["\"", "", ""],
            &["", "", ""],
        ];
        for fields in cases {
            let mine = one(|r| {
                for f in *fields {
                    r.s(f);
                }
            });
            assert_eq!(mine, with_csv_crate(fields), "{fields:?}");
        }
    }

    #[test]
    fn a_cell_at_the_grid_end_has_its_column_number() {
        use tablift_model::{Cell, Row as ModelRow};
        let row = |grid_before: u32, cell: Cell| ModelRow {
            grid_before,
            cells: vec![cell],
            origin: Origin::text(1, 0),
        };
        let mut inner = Table::default();
        inner
            .rows
            .push(row(0, Cell::from_text("内", Origin::text(2, 9))));
        let mut cell = Cell::from_text("末", Origin::text(1, 0));
        cell.tables.push(inner);
        let mut outer = Table::default();
        outer.rows.push(row(u32::MAX, cell));
        let mut out = Rendered::new();
        table(&mut out, b"s", &mut "1".to_string(), &outer, 0);
        let (bytes, rows) = out.slot(Slot::Tables);
        assert_eq!(rows, 2);
        // Column 4294967296 (one past u32::MAX), not a wrapped 0, in the cell's row and in
        // the nested table's id.
        assert_eq!(
            String::from_utf8_lossy(bytes),
            "s,1,1,4294967296,1,1,末,line 1 (byte 0)\n\
             s,1/r1/c4294967296/t1,1,1,1,1,内,line 2 (byte 9)\n"
        );
    }

    #[test]
    fn joined_fields_and_numbers() {
        let parts = vec!["a".to_string(), "b,c".to_string()];
        let got = one(|r| {
            r.joined(&parts, " > ")
                .joined(&parts[..1], "\n")
                .joined(&[], "\n")
                .joined(&["x".to_string(), "y".to_string()], "\n")
                .n(42u32)
                .on(None::<u8>)
                .dec(Some(Decimal::new(462100, 2)));
        });
        assert_eq!(got, "\"a > b,c\",a,,\"x\ny\",42,,4621.00\n");
    }

    #[test]
    fn origins_format_as_their_display() {
        for o in [
            Origin::text(67, 1290),
            Origin::Docx {
                part: "word/document.xml".into(),
                path: "b12/r3/c2/p0".into(),
            },
            Origin::Docx {
                part: "odd,part".into(),
                path: "p".into(),
            },
            Origin::Unknown,
        ] {
            let got = one(|r| {
                r.origin(&o);
            });
            assert_eq!(
                got,
                with_csv_crate(&[&o.to_string()]).replace("\"\"\n", "\n")
            );
        }
    }

    #[test]
    fn needs_quotes_finds_every_special_at_every_position() {
        let naive = |b: &[u8]| b.iter().any(|c| b",\"\r\n".contains(c));
        // Neighbours of the specials, bytes with the high bit set, and zero (borrow cases).
        let fillers = [
            b'a', b'+', b'-', b'!', b'#', 0x0b, 0x0c, 0x0e, 0x00, 0x80, 0xe4, 0xff,
        ];
        for len in 0..20 {
            for &fill in &fillers {
                let plain = vec![fill; len];
                assert_eq!(needs_quotes(&plain), naive(&plain), "{plain:?}");
                for pos in 0..len {
                    for special in [b',', b'"', b'\r', b'\n'] {
                        let mut v = plain.clone();
                        v[pos] = special;
                        assert!(needs_quotes(&v), "{v:?}");
                    }
                }
            }
        }
        assert!(!needs_quotes("项目名称：水污染防治（第二期）".as_bytes()));
        assert!(needs_quotes("项目名称，水污染防治,".as_bytes()));
    }
}
