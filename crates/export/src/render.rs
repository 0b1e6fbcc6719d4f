//! Rendering: one document's output bytes for every file, built on any thread.
//!
//! Rendering (formatting CSV rows, serialising JSON) is most of an export's work and needs
//! nothing but the document and its families' records, so batch runs do it on the worker
//! threads, in parallel; the one writer then only appends finished bytes, in input order, which
//! keeps output identical for any thread count.
//!
//! Dataset CSV is appended straight to one byte buffer per dataset ([`CsvRows`]: RFC 4180,
//! quoting only fields that need it, as `csv::Writer` would); the `tables/` files go through
//! `csv::Writer`; JSON through `serde_json::to_writer`.

use crate::columnar::{TextTable, TypedRows};
use crate::layout::{Layout, Slot};
use crate::quote::{needs_quotes, quote_onto};
use crate::Format;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::io;
use std::sync::Arc;
use tablift_dataset::{Extracted, RowSink, TableSink, Value};
use tablift_model::read::Failure;
use tablift_model::{Document, Origin};

/// What a CSV writer writes into: a buffer that stays put while the writer lives, so that it
/// can be read ([`csv::Writer::get_ref`]) and emptied between documents without rebuilding the
/// writer (which would allocate and zero its own buffer again).
#[derive(Default)]
struct Chunk(RefCell<Vec<u8>>);

impl io::Write for Chunk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.get_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.get_mut().extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The output bytes of one or more documents or failures, per file, ready to be appended by
/// [`OutputSet::write`](crate::OutputSet::write). Reuse one per worker ([`Rendered::clear`]
/// keeps the buffers' capacity).
#[derive(Default)]
pub struct Rendered {
    /// One CSV buffer per dataset, then `failures.csv`'s.
    csv: Vec<CsvRows>,
    /// Rows per dataset, then failures (counted whether or not CSV is written).
    rows: Vec<u64>,
    /// Typed rows per dataset, then failures (only with the Parquet format).
    typed: Vec<TypedRows>,
    jsonl: Vec<u8>,
    model: Vec<u8>,
    /// The rectangular tables (`tables/NAME.csv`) of the documents rendered.
    pub(crate) table_files: TableFiles,
    /// Text of the field being formatted (decimals, origins, joined parts), reused.
    scratch: String,
    /// The current document's source, as a CSV field (quoted if needed): it leads most rows.
    source: Vec<u8>,
    /// The layout the writers were made for (the run's).
    layout: Option<Arc<Layout>>,
    pub(crate) documents: u64,
    pub(crate) failures: u64,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("rows", &self.rows)
            .field("documents", &self.documents)
            .field("failures", &self.failures)
            .finish_non_exhaustive()
    }
}

/// One dataset's CSV rows (without the header), kept across documents.
///
/// Written directly rather than through `csv::Writer`: its per-field state machine, buffer
/// and flushes were a third of a PDF's rendering, and the rules it applies here are few. The
/// bytes are those `csv::Writer` (`QuoteStyle::Necessary`, `\n`) writes: fields quoted where
/// [`needs_quotes`] says, `,` between them, `\n` after each record, a record of no bytes at
/// all written as `""`; and, as `csv::Writer` without `flexible`, a record whose width differs
/// from the first record's is an error.
#[derive(Default)]
struct CsvRows {
    bytes: Vec<u8>,
    /// Fields of the first record, which every later one must match.
    width: Option<usize>,
    /// Fields of the record being written.
    fields: usize,
    /// Where the record being written began in `bytes`.
    record_start: usize,
}

impl CsvRows {
    /// Begin a field: the delimiter after the record's previous one.
    #[inline]
    fn begin_field(&mut self) {
        if self.fields > 0 {
            self.bytes.push(b',');
        }
        self.fields += 1;
    }

    /// A field that needs no quoting (digits, `true`, a field quoted already).
    #[inline]
    fn plain(&mut self, field: &[u8]) {
        self.begin_field();
        self.bytes.extend_from_slice(field);
    }

    /// A text field, quoted if it needs to be.
    #[inline]
    fn text(&mut self, field: &str) {
        if needs_quotes(field.as_bytes()) {
            self.begin_field();
            quote_onto(field.as_bytes(), &mut self.bytes);
        } else {
            self.plain(field.as_bytes());
        }
    }

    /// End the record (see the type's rules).
    fn end_record(&mut self) -> io::Result<()> {
        let fields = std::mem::take(&mut self.fields);
        let width = *self.width.get_or_insert(fields);
        if width != fields {
            // csv::Writer's message for `UnequalLengths`.
            return Err(io::Error::other(format!(
                "found record with {fields} fields, but the previous record has {width} fields"
            )));
        }
        if self.bytes.len() == self.record_start {
            self.bytes.extend_from_slice(b"\"\"");
        }
        self.bytes.push(b'\n');
        self.record_start = self.bytes.len();
        Ok(())
    }

    /// Empty the rows, keeping the capacity (and the width, as a writer kept across documents).
    fn clear(&mut self) {
        self.bytes.clear();
        self.fields = 0;
        self.record_start = 0;
    }
}

impl Rendered {
    /// An empty set of buffers.
    pub fn new() -> Rendered {
        Rendered::default()
    }

    /// Size the buffers for `layout` (once per run and worker).
    fn fit(&mut self, layout: &Arc<Layout>) {
        if self.layout.as_ref().is_some_and(|l| Arc::ptr_eq(l, layout)) {
            return;
        }
        let n = layout.csv_slots();
        self.csv = (0..n).map(|_| CsvRows::default()).collect();
        self.rows = vec![0; n];
        self.typed = (0..n).map(|_| TypedRows::default()).collect();
        self.layout = Some(Arc::clone(layout));
    }

    /// Empty every buffer, keeping its capacity.
    pub fn clear(&mut self) {
        self.csv.iter_mut().for_each(CsvRows::clear);
        self.rows.iter_mut().for_each(|r| *r = 0);
        self.typed.iter_mut().for_each(TypedRows::clear);
        self.jsonl.clear();
        self.model.clear();
        self.table_files.clear();
        self.documents = 0;
        self.failures = 0;
    }

    /// Total bytes held.
    pub fn len(&self) -> usize {
        self.csv.iter().map(|w| w.bytes.len()).sum::<usize>()
            + self.jsonl.len()
            + self.model.len()
            + self.table_files.byte_len()
    }

    /// Whether nothing was rendered.
    pub fn is_empty(&self) -> bool {
        self.documents == 0 && self.failures == 0
    }

    /// The bytes rendered for one output file (`"tables.csv"`, `"documents.jsonl"`, …; CSV
    /// rows without the header), empty for a file not rendered. For tests and fuzzing.
    pub fn bytes(&self, file: &str) -> Vec<u8> {
        let Some(layout) = &self.layout else {
            return Vec::new();
        };
        match layout.slot_named(file) {
            Some(slot) => self.with_slot_bytes(slot, <[u8]>::to_vec),
            None => Vec::new(),
        }
    }

    /// The `tables/` files rendered: each one's path under `tables/` (without `.csv`) and
    /// bytes. For tests and fuzzing.
    pub fn table_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let _ = self.table_files.each(|name, bytes| {
            out.push((name.to_string(), bytes.to_vec()));
            Ok(())
        });
        out
    }

    /// Rows rendered for dataset `dataset` of the layout (in [`Layout::datasets`] order).
    pub fn dataset_rows(&self, dataset: usize) -> u64 {
        self.rows.get(dataset).copied().unwrap_or(0)
    }

    pub(crate) fn with_slot_bytes<T>(&self, slot: Slot, f: impl FnOnce(&[u8]) -> T) -> T {
        match slot {
            Slot::Csv(i) => match self.csv.get(i) {
                Some(w) => f(&w.bytes),
                None => f(&[]),
            },
            Slot::Jsonl => f(&self.jsonl),
            Slot::Model => f(&self.model),
        }
    }

    /// The typed rows of dataset `dataset` (empty without the Parquet format).
    pub(crate) fn typed(&self, dataset: usize) -> Option<&TypedRows> {
        self.typed.get(dataset)
    }

    pub(crate) fn slot_rows(&self, slot: Slot) -> u64 {
        match slot {
            Slot::Csv(i) => self.rows.get(i).copied().unwrap_or(0),
            Slot::Jsonl | Slot::Model => self.documents,
        }
    }
}

/// Renders documents and failures for the formats and datasets of one run. Cheap to clone:
/// give each worker thread its own.
#[derive(Clone, Debug)]
pub struct Renderer {
    layout: Arc<Layout>,
    csv: bool,
    jsonl: bool,
    model: bool,
    parquet: bool,
}

impl Renderer {
    /// A renderer for `layout` and `formats` (`failures.csv` rows are always rendered).
    pub fn new(layout: Arc<Layout>, formats: &[Format]) -> Renderer {
        Renderer {
            layout,
            csv: formats.contains(&Format::Csv),
            jsonl: formats.contains(&Format::Jsonl),
            model: formats.contains(&Format::Model),
            parquet: formats.contains(&Format::Parquet),
        }
    }

    /// The run's datasets.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Append one document's rows to `out`: `extracted` holds each family's output, in the
    /// layout's family order.
    pub fn document(
        &self,
        source: &str,
        document: &Document,
        extracted: &[Box<dyn Extracted + '_>],
        out: &mut Rendered,
    ) -> io::Result<()> {
        out.fit(&self.layout);
        set_field(&mut out.source, source);
        for (family, x) in extracted.iter().enumerate() {
            let first = self.layout.first_dataset(family);
            let mut sink = CsvSink {
                out: &mut *out,
                layout: &self.layout,
                source,
                first,
                write: self.csv,
                typed: self.parquet,
                error: None,
            };
            x.rows(source, &mut sink);
            if let Some(e) = sink.error {
                return Err(e);
            }
        }
        out.table_files.with_parquet(self.parquet);
        for x in extracted {
            x.tables(source, &mut out.table_files);
        }
        out.table_files.finish_parquet();
        if let Some(e) = out.table_files.error.take() {
            return Err(e);
        }
        if self.jsonl {
            jsonl_line(source, extracted, &mut out.jsonl)?;
        }
        if self.model {
            model_line(source, document, &mut out.model)?;
        }
        out.documents += 1;
        Ok(())
    }

    /// Append one failure's row to `out`.
    pub fn failure(&self, failure: &Failure, out: &mut Rendered) -> io::Result<()> {
        out.fit(&self.layout);
        let slot = self.layout.failures_slot();
        let values = [
            Value::Text(&failure.source),
            Value::Text(failure.kind.as_str()),
            Value::Text(&failure.message),
            Value::Text(&failure.position),
        ];
        if let Some(w) = out.csv.get_mut(slot) {
            let mut fields = Fields {
                scratch: &mut out.scratch,
                source: ("", b""),
            };
            fields.row(w, &values)?;
        }
        if self.parquet {
            if let (Some(t), Some(d)) = (out.typed.get_mut(slot), self.layout.datasets().get(slot))
            {
                t.push(&d.schema, &values)?;
            }
        }
        if let Some(r) = out.rows.get_mut(slot) {
            *r += 1;
        }
        out.failures += 1;
        Ok(())
    }
}

/// Rectangular tables rendered as CSV files: every file's bytes in one buffer (reused across
/// documents), each file a name and a range of it. Fields are quoted only where needed (the
/// `csv` crate's default), so that the files read back with any CSV reader.
pub(crate) struct TableFiles {
    /// Writes into its [`Chunk`], flushed after every record so that ranges are exact.
    writer: csv::Writer<Chunk>,
    /// (path under `tables/` without `.csv`, range of the chunk).
    files: Vec<(String, std::ops::Range<usize>)>,
    /// With the Parquet format: the table being built, and every finished table's Parquet
    /// bytes (one per entry of `files`).
    parquet: Option<(TextTable, Vec<Vec<u8>>)>,
    error: Option<io::Error>,
}

impl Default for TableFiles {
    fn default() -> Self {
        TableFiles {
            writer: csv::WriterBuilder::new()
                .buffer_capacity(8 * 1024)
                .flexible(true)
                .from_writer(Chunk::default()),
            files: Vec::new(),
            parquet: None,
            error: None,
        }
    }
}

impl TableFiles {
    fn clear(&mut self) {
        self.writer.get_ref().0.borrow_mut().clear();
        self.files.clear();
        if let Some((_, done)) = &mut self.parquet {
            done.clear();
        }
        self.error = None;
    }

    /// Also build each table as Parquet (`tables/NAME.parquet`).
    fn with_parquet(&mut self, on: bool) {
        match (on, self.parquet.is_some()) {
            (true, false) => self.parquet = Some((TextTable::default(), Vec::new())),
            (false, true) => self.parquet = None,
            _ => {}
        }
    }

    /// Encode the table begun last as Parquet (when asked for and not done yet).
    fn finish_parquet(&mut self) {
        let Some((table, done)) = &mut self.parquet else {
            return;
        };
        if done.len() < self.files.len() && self.error.is_none() {
            match table.finish() {
                Ok(bytes) => done.push(bytes),
                Err(e) => self.error = Some(e),
            }
        }
    }

    /// Each file's Parquet bytes, as [`TableFiles::each`] (nothing without the Parquet format).
    pub(crate) fn each_parquet(
        &self,
        mut f: impl FnMut(&str, &[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        if let Some((_, done)) = &self.parquet {
            for ((name, _), bytes) in self.files.iter().zip(done) {
                f(name, bytes)?;
            }
        }
        Ok(())
    }

    fn byte_len(&self) -> usize {
        self.writer.get_ref().0.borrow().len()
    }

    /// Call `f` with each file's path under `tables/` (without `.csv`) and its bytes, in the
    /// order rendered.
    pub(crate) fn each(&self, mut f: impl FnMut(&str, &[u8]) -> io::Result<()>) -> io::Result<()> {
        let bytes = self.writer.get_ref().0.borrow();
        for (name, r) in &self.files {
            f(name, bytes.get(r.clone()).unwrap_or(&[]))?;
        }
        Ok(())
    }

    /// Files rendered.
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    fn record(&mut self, fields: &[&str]) {
        if self.error.is_some() {
            return;
        }
        let written = self
            .writer
            .write_record(fields)
            .and_then(|()| self.writer.flush().map_err(Into::into));
        match written {
            Ok(()) => {
                let end = self.byte_len();
                if let Some((_, r)) = self.files.last_mut() {
                    r.end = end;
                }
            }
            Err(e) => self.error = Some(e.into()),
        }
    }
}

impl TableSink for TableFiles {
    fn begin(&mut self, name: &str, header: &[&str]) {
        self.finish_parquet();
        let at = self.byte_len();
        self.files.push((name.to_string(), at..at));
        self.record(header);
        if let Some((table, _)) = &mut self.parquet {
            table.begin(header);
        }
    }

    fn row(&mut self, values: &[&str]) {
        self.record(values);
        if let Some((table, _)) = &mut self.parquet {
            table.row(values);
        }
    }
}

/// `{"source":…,` then every family's members `}`.
fn jsonl_line(
    source: &str,
    extracted: &[Box<dyn Extracted + '_>],
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    buf.extend_from_slice(b"{\"source\":");
    serde_json::to_writer(&mut *buf, source)?;
    for x in extracted {
        let before = buf.len();
        buf.push(b',');
        if !x.json_members(buf)? {
            buf.truncate(before);
        }
    }
    buf.extend_from_slice(b"}\n");
    Ok(())
}

/// `{"source":…,"model":…}`: the model as its derived `Serialize` writes it.
fn model_line(source: &str, document: &Document, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.extend_from_slice(b"{\"source\":");
    serde_json::to_writer(&mut *buf, source)?;
    buf.extend_from_slice(b",\"model\":");
    serde_json::to_writer(&mut *buf, document)?;
    buf.extend_from_slice(b"}\n");
    Ok(())
}

/// Rows of one family into the run's CSV writers.
struct CsvSink<'a> {
    out: &'a mut Rendered,
    layout: &'a Layout,
    /// The document's source as the family sees it (its rows borrow this very string).
    source: &'a str,
    /// The family's first dataset in the layout.
    first: usize,
    /// Whether to write CSV (else only count rows).
    write: bool,
    /// Whether to keep typed rows (for Parquet).
    typed: bool,
    error: Option<io::Error>,
}

impl RowSink for CsvSink<'_> {
    fn row(&mut self, dataset: usize, values: &[Value<'_>]) {
        let slot = self.first.saturating_add(dataset);
        if let Some(r) = self.out.rows.get_mut(slot) {
            *r += 1;
        }
        if self.error.is_some() {
            return;
        }
        if self.typed {
            self.typed_row(slot, values);
        }
        if !self.write {
            return;
        }
        let out = &mut *self.out;
        let Some(w) = out.csv.get_mut(slot) else {
            return;
        };
        let mut fields = Fields {
            scratch: &mut out.scratch,
            source: (self.source, &out.source),
        };
        if let Err(e) = fields.row(w, values) {
            self.error = Some(e);
        }
    }
}

impl CsvSink<'_> {
    /// The row as typed cells, checked against the dataset's schema.
    fn typed_row(&mut self, slot: usize, values: &[Value<'_>]) {
        let (Some(t), Some(d)) = (
            self.out.typed.get_mut(slot),
            self.layout.datasets().get(slot),
        ) else {
            return;
        };
        if let Err(e) = t.push(&d.schema, values) {
            self.error = Some(e.into());
        }
    }
}

/// `out` = `v` as a CSV field (quoted if needed).
fn set_field(out: &mut Vec<u8>, v: &str) {
    out.clear();
    if needs_quotes(v.as_bytes()) {
        quote_onto(v.as_bytes(), out);
    } else {
        out.extend_from_slice(v.as_bytes());
    }
}

/// Formats one row's values as CSV fields.
struct Fields<'a> {
    scratch: &'a mut String,
    /// The document's source and its field, decided once per document.
    source: (&'a str, &'a [u8]),
}

impl Fields<'_> {
    fn row(&mut self, w: &mut CsvRows, values: &[Value<'_>]) -> io::Result<()> {
        for v in values {
            match v {
                Value::Null => w.plain(b""),
                Value::Text(s) => self.text(w, s),
                Value::Int(n) => w.plain(itoa::Buffer::new().format(*n).as_bytes()),
                Value::UInt(n) => w.plain(itoa::Buffer::new().format(*n).as_bytes()),
                Value::Bool(b) => w.plain(if *b { b"true" } else { b"false" }),
                Value::Joined(parts, sep) => match parts {
                    [] => w.plain(b""),
                    [one] => self.text(w, one),
                    _ => {
                        self.scratch.clear();
                        for (i, p) in parts.iter().enumerate() {
                            if i > 0 {
                                self.scratch.push_str(sep);
                            }
                            self.scratch.push_str(p);
                        }
                        w.text(self.scratch);
                    }
                },
                Value::Decimal(d) => {
                    self.scratch.clear();
                    let _ = write!(self.scratch, "{d}");
                    // Digits, a sign and a point: never quoted.
                    w.plain(self.scratch.as_bytes());
                }
                Value::Origin(o) => {
                    origin_text(o, self.scratch);
                    w.text(self.scratch);
                }
            }
        }
        w.end_record()
    }

    /// A text field, quoted if needed; the document's source (the very string) as decided
    /// once.
    #[inline]
    fn text(&mut self, w: &mut CsvRows, s: &str) {
        if std::ptr::eq(s, self.source.0) {
            w.plain(self.source.1);
        } else {
            w.text(s);
        }
    }
}

/// ` (byte N)`, as the text and HTML origins' `Display` ends.
fn push_byte_suffix(out: &mut String, byte: u64) {
    out.push_str(" (byte ");
    out.push_str(itoa::Buffer::new().format(byte));
    out.push(')');
}

/// An origin's `Display` text into `out`, without the formatting machinery for the kinds on
/// nearly every row (a text line, a `.docx` or HTML element, a PDF box, a `.doc` position).
fn origin_text(o: &Origin, out: &mut String) {
    out.clear();
    match o {
        Origin::Text { line, byte } => {
            out.push_str("line ");
            out.push_str(itoa::Buffer::new().format(*line));
            push_byte_suffix(out, *byte);
        }
        Origin::Docx { part, path } => {
            out.push_str(part);
            out.push(':');
            out.push_str(path);
        }
        // Every cell of a PDF: writing into the String directly, the box's four numbers
        // cost a third of what they cost through `Display`'s `Formatter`.
        Origin::Pdf { page, bbox } => {
            out.push_str("page ");
            out.push_str(itoa::Buffer::new().format(*page));
            out.push(' ');
            // Writing into a String cannot fail.
            let _ = bbox.write_tenths(out);
        }
        // Every block, row and cell of a web page: through `Display` this was 3% of an
        // HTML run (callgrind).
        Origin::Html { path, byte } => {
            out.push_str(path);
            push_byte_suffix(out, *byte);
        }
        Origin::Doc { stream, cp } => {
            out.push_str(stream);
            out.push_str(":cp");
            out.push_str(itoa::Buffer::new().format(*cp));
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `CsvRows` must write what `csv::Writer` (QuoteStyle::Necessary) writes, since the
    /// exported files were that writer's bytes before.
    #[test]
    fn csv_rows_write_the_bytes_of_csv_writer() {
        let fields = [
            "",
            "a",
            "a,b",
            "say \"hi\"",
            "\"",
            "\"\"",
            "line\nbreak",
            "cr\r",
            "\r\n",
            "定州市,生态",
            " padded ",
            "#hash",
            "tail\"",
            "1,234.50",
        ];
        let mut records: Vec<Vec<&str>> = vec![vec![""], vec!["", ""], vec!["", "", ""]];
        for (i, a) in fields.iter().enumerate() {
            for b in &fields {
                records.push(vec![a, b, fields[(i * 7) % fields.len()]]);
            }
            records.push(vec![a]);
        }
        for width in 1..=3 {
            let same: Vec<&Vec<&str>> = records.iter().filter(|r| r.len() == width).collect();
            let mut ours = CsvRows::default();
            let mut theirs = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Necessary)
                .from_writer(Vec::new());
            for r in &same {
                for f in r.iter() {
                    ours.text(f);
                }
                ours.end_record().unwrap();
                theirs.write_record(r.iter()).unwrap();
            }
            let theirs = theirs.into_inner().unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours.bytes),
                String::from_utf8_lossy(&theirs),
                "width {width}"
            );
        }
    }

    #[test]
    fn csv_rows_reject_a_record_of_another_width_as_csv_writer_does() {
        let mut ours = CsvRows::default();
        ours.text("a");
        ours.text("b");
        ours.end_record().unwrap();
        ours.text("c");
        let err = ours.end_record().unwrap_err();
        let mut theirs = csv::Writer::from_writer(Vec::new());
        theirs.write_record(["a", "b"]).unwrap();
        let their_err = theirs.write_record(["c"]).unwrap_err();
        // Theirs leads with "CSV error: ".
        assert!(
            their_err.to_string().ends_with(&err.to_string()),
            "{err} / {their_err}"
        );
        // Cleared for the next document, the rows keep the first record's width.
        ours.clear();
        ours.text("x");
        assert!(ours.end_record().is_err());
    }

    #[test]
    fn origin_text_is_the_display() {
        let mut s = String::from("stale");
        for o in [
            Origin::text(67, 1290),
            Origin::Docx {
                part: "word/document.xml".into(),
                path: "b12/r3/c2/p0".into(),
            },
            Origin::Doc {
                stream: "WordDocument".into(),
                cp: 9,
            },
            Origin::Html {
                path: "body/table[3]/tr[12]/td[2]".into(),
                byte: 1_048_576,
            },
            Origin::Html {
                path: "".into(),
                byte: 0,
            },
            Origin::Pdf {
                page: 12,
                bbox: tablift_model::Bbox::from([56.7, -0.04, 538.55, 1e16]),
            },
            Origin::Unknown,
        ] {
            origin_text(&o, &mut s);
            assert_eq!(s, o.to_string());
        }
    }
}
