//! Streams `.docx` files into the tablift document model: body paragraphs and tables (with
//! merged and nested cells), headings, `TC` fields and page furniture, under hard limits.
//!
//! # Brief overview
//!
//! [`read`] opens the zip container, inflates the parts it needs under [`Limits`] (per-part and
//! total size, compression ratio, entry count, XML depth) and reads them with a pull parser in
//! two passes: `word/styles.xml` first (paragraph styles → heading levels), then
//! `word/document.xml` in one streaming pass into [`tablift_model::Document::blocks`]. Headers,
//! footers, footnotes and endnotes (found through `word/_rels/document.xml.rels`) become
//! [`tablift_model::Document::furniture`], and so does a lone page number ending the body.
//!
//! * Text: `w:t`, tabs, breaks, non-breaking hyphens and symbols; deleted and moved-away text is
//!   dropped, inserted text kept; of `mc:AlternateContent` only one branch is read.
//! * Fields: instructions are never text; the result is. `TC` instructions are parsed into
//!   [`tablift_model::Paragraph::tc`].
//! * Tables: `w:gridSpan` → `col_span`, `w:vMerge` → `row_span` on the origin cell (continued
//!   cells are not emitted), `w:gridBefore` → `grid_before`, nested tables into the cell.
//! * Every block, row and cell carries `Origin::Docx { part, path }` (`b12/r3/c2`).
//!
//! Wrong containers get their own error kinds: a legacy `.doc` (`legacy_doc`), an encrypted
//! OLE2 package (`encrypted`), anything else that is not a zip (`not_a_zip`).
//!
//! ```
//! use tablift_docx::{read, Limits};
//!
//! let err = read("x.docx", b"plain text", &Limits::default()).unwrap_err();
//! assert_eq!(err.kind_name(), "not_a_zip");
//!
//! let doc = read(
//!     "seed.docx",
//!     &std::fs::read("../../fixtures/seed/seed.docx")?,
//!     &Limits::default(),
//! )?;
//! assert_eq!(doc.tables().count(), 32);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not for: legacy `.doc` files, formatting, images, comments, or interpreting what the tables
//! mean (see `tablift-budget`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod body;
mod error;
mod reader;
mod styles;
mod xml;

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use tablift_model::{
    Block, CompactString, Diagnostic, Document, Furniture, FurnitureKind, Origin, SourceFormat,
    SourceInfo, Table,
};
use zip::result::ZipError;
use zip::ZipArchive;

pub use error::{Error, ErrorKind};
pub use reader::DocxReader;

/// Default [`Limits::max_part_bytes`]: 256 MiB.
pub const DEFAULT_MAX_PART_BYTES: u64 = 256 << 20;
/// Default [`Limits::max_total_bytes`]: 1 GiB.
pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 1 << 30;
/// Default [`Limits::max_ratio`].
pub const DEFAULT_MAX_RATIO: u64 = 200;
/// Default [`Limits::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 256;
/// Default [`Limits::max_entries`].
pub const DEFAULT_MAX_ENTRIES: usize = 10_000;
/// Parts up to this size are never refused for their compression ratio: small XML parts full
/// of repeated markup legitimately compress very well, and they cannot hurt.
pub const RATIO_FLOOR_BYTES: u64 = 1 << 20;
/// The main document part.
pub const DOCUMENT_PART: &str = "word/document.xml";

/// Most bytes reserved up front from a part's (untrusted) header size.
const PREALLOC_CAP: u64 = 64 << 20;
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const RELS_PART: &str = "word/_rels/document.xml.rels";
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

/// Hard limits against zip bombs and hostile XML. Every limit is a clear, typed error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes one part may inflate to.
    pub max_part_bytes: u64,
    /// Most bytes all parts read may inflate to together.
    pub max_total_bytes: u64,
    /// Most a part may grow when inflated (uncompressed / compressed), above
    /// [`RATIO_FLOOR_BYTES`].
    pub max_ratio: u64,
    /// Deepest XML element nesting (also bounds nested tables and fields).
    pub max_depth: usize,
    /// Most entries the zip archive may list.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_part_bytes: DEFAULT_MAX_PART_BYTES,
            max_total_bytes: DEFAULT_MAX_TOTAL_BYTES,
            max_ratio: DEFAULT_MAX_RATIO,
            max_depth: DEFAULT_MAX_DEPTH,
            max_entries: DEFAULT_MAX_ENTRIES,
        }
    }
}

/// Read a `.docx` held in `bytes`; `path` is recorded in [`SourceInfo`] only.
///
/// Damage is worked around where the body survives, and said in
/// [`Document::diagnostics`](tablift_model::Document::diagnostics): a zip whose central
/// directory is missing or damaged is read from its local file headers (`zip_recovered`); a
/// relationships, styles, header, footer, footnotes or endnotes part that does not inflate or
/// parse is skipped (`part_skipped`). Limits, DTDs and a damaged `word/document.xml` are
/// always failures.
pub fn read(path: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    if bytes.starts_with(&OLE2_MAGIC) {
        return Err(Error::new(ole2_kind(bytes)));
    }
    if let Some(count) = eocd_entries(bytes) {
        if count > limits.max_entries as u64 {
            return Err(Error::new(ErrorKind::TooManyEntries {
                count,
                limit: limits.max_entries,
            }));
        }
    }
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => Archive::Zip(zip),
        Err(e) => {
            let detail = e.to_string();
            let entries = match local_entries(bytes, limits.max_entries)? {
                Some(entries) => entries,
                None => return Err(Error::new(ErrorKind::NotAZip { detail })),
            };
            if !entries.iter().any(|(n, _)| n == DOCUMENT_PART) {
                return Err(Error::new(ErrorKind::NotAZip {
                    detail: format!(
                        "{detail}; of the {} entries found from their local headers none is {DOCUMENT_PART}",
                        entries.len()
                    ),
                }));
            }
            diagnostics.push(Diagnostic {
                code: "zip_recovered".to_string(),
                message: format!(
                    "the zip central directory is missing or damaged ({detail}): {} entries read from their local headers, the last starting at byte {} of {}",
                    entries.len(),
                    entries.last().map_or(0, |(_, at)| *at),
                    bytes.len()
                ),
                origin: Origin::Unknown,
            });
            Archive::Local { bytes, entries }
        }
    };
    if archive.len() > limits.max_entries {
        return Err(Error::new(ErrorKind::TooManyEntries {
            count: archive.len() as u64,
            limit: limits.max_entries,
        }));
    }
    let recovered = matches!(archive, Archive::Local { .. });
    let mut inflater = Inflater {
        limits,
        total: 0,
        zip: &mut archive,
    };
    let document = inflater.part(DOCUMENT_PART)?.ok_or_else(|| {
        Error::new(ErrorKind::MissingPart {
            part: DOCUMENT_PART.to_string(),
        })
    })?;
    let rels = match inflater.part(RELS_PART) {
        Ok(Some(rels)) => related_parts(&rels, limits.max_depth).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    let related = match skip_if_damaged(rels, RELS_PART, &mut diagnostics)? {
        Some(Some(related)) => related,
        _ => guessed_parts(inflater.zip.names()),
    };

    // Seed-like documents never name a paragraph style, and styles.xml is often the largest
    // part: only read it when the body can use it.
    let styles_used = memchr::memmem::find(&document, b"pStyle").is_some();
    let styles = match related.styles.as_deref().filter(|_| styles_used) {
        Some(name) => {
            let parsed = match inflater.part(name) {
                Ok(Some(xml)) => styles::parse(&xml, name, limits.max_depth).map(Some),
                Ok(None) => {
                    missing_after_recovery(recovered, name, &mut diagnostics);
                    Ok(None)
                }
                Err(e) => Err(e),
            };
            skip_if_damaged(parsed, name, &mut diagnostics)?
                .flatten()
                .unwrap_or_default()
        }
        None => styles::Styles::default(),
    };

    let mut doc = Document::new(SourceInfo::new(path, SourceFormat::Docx));
    doc.blocks =
        body::PartParser::new(DOCUMENT_PART, &styles, limits.max_depth).parse(&document)?;
    drop(document);
    doc.take_trailing_page_number();

    for (kind, name) in &related.furniture {
        let blocks = match inflater.part(name) {
            Ok(Some(xml)) => body::PartParser::new(name, &styles, limits.max_depth)
                .parse(&xml)
                .map(Some),
            Ok(None) => {
                missing_after_recovery(recovered, name, &mut diagnostics);
                Ok(None)
            }
            Err(e) => Err(e),
        };
        if let Some(Some(blocks)) = skip_if_damaged(blocks, name, &mut diagnostics)? {
            flatten_furniture(*kind, blocks, &mut doc.furniture);
        }
    }
    doc.diagnostics = diagnostics;
    Ok(doc)
}

/// A non-essential part's result: damage (a part that does not inflate, or malformed XML)
/// becomes a `part_skipped` diagnostic and `None`; limits and DTDs stay failures.
fn skip_if_damaged<T>(
    result: Result<T, Error>,
    part: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<T>, Error> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if matches!(e.kind(), ErrorKind::Zip { .. } | ErrorKind::Xml { .. }) => {
            diagnostics.push(Diagnostic {
                code: "part_skipped".to_string(),
                message: format!("{part} skipped: {e}"),
                origin: part_origin(part),
            });
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A related part absent from an archive recovered from its local headers was most likely
/// lost with the end of the file: say so.
fn missing_after_recovery(recovered: bool, part: &str, diagnostics: &mut Vec<Diagnostic>) {
    if recovered {
        diagnostics.push(Diagnostic {
            code: "part_skipped".to_string(),
            message: format!(
                "{part} skipped: not among the entries recovered from the local headers (lost with the end of the file)"
            ),
            origin: part_origin(part),
        });
    }
}

fn part_origin(part: &str) -> Origin {
    Origin::Docx {
        part: part.into(),
        path: CompactString::default(),
    }
}

/// Where the parts are read from: the zip's central directory, or, when that is missing or
/// damaged, the local file headers found by scanning.
enum Archive<'b> {
    Zip(ZipArchive<Cursor<&'b [u8]>>),
    Local {
        bytes: &'b [u8],
        /// Each entry's name and the offset of its local header, in file order (the first
        /// header of a name wins).
        entries: Vec<(String, usize)>,
    },
}

impl Archive<'_> {
    fn len(&self) -> usize {
        match self {
            Archive::Zip(z) => z.len(),
            Archive::Local { entries, .. } => entries.len(),
        }
    }

    fn names(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            Archive::Zip(z) => Box::new(z.file_names()),
            Archive::Local { entries, .. } => Box::new(entries.iter().map(|(n, _)| n.as_str())),
        }
    }
}

const LOCAL_HEADER: &[u8] = b"PK\x03\x04";
/// Fixed part of a local file header, before the name.
const LOCAL_HEADER_LEN: usize = 30;

/// The entries of a zip that starts with a local file header, found by scanning for local
/// headers (`PK\x03\x04`) whose name is UTF-8 and whose data starts inside the file.
/// `None` when the bytes do not start with a local header. More entries than `max_entries`
/// is `too_many_entries`.
fn local_entries(bytes: &[u8], max_entries: usize) -> Result<Option<Vec<(String, usize)>>, Error> {
    if !bytes.starts_with(LOCAL_HEADER) {
        return Ok(None);
    }
    let mut entries: Vec<(String, usize)> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for at in memchr::memmem::find_iter(bytes, LOCAL_HEADER) {
        let Some(h) = LocalHeader::parse(bytes, at) else {
            continue;
        };
        if !seen.insert(h.name.clone()) {
            continue;
        }
        if entries.len() >= max_entries {
            return Err(Error::new(ErrorKind::TooManyEntries {
                count: entries.len() as u64 + 1,
                limit: max_entries,
            }));
        }
        entries.push((h.name, at));
    }
    Ok(Some(entries))
}

/// The fields of a local file header the recovery needs.
struct LocalHeader {
    name: String,
    /// Offset of the entry's data.
    data: usize,
    /// Compressed size as the header gives it (0 with a data descriptor).
    compressed: u64,
}

impl LocalHeader {
    fn parse(bytes: &[u8], at: usize) -> Option<LocalHeader> {
        let h = bytes.get(at..at.checked_add(LOCAL_HEADER_LEN)?)?;
        let u16_at = |i: usize| Some(u16::from_le_bytes([*h.get(i)?, *h.get(i + 1)?]));
        let compressed = u32::from_le_bytes(h.get(18..22)?.try_into().ok()?);
        let name_len = usize::from(u16_at(26)?);
        let extra_len = usize::from(u16_at(28)?);
        let name_at = at + LOCAL_HEADER_LEN;
        let name = bytes.get(name_at..name_at.checked_add(name_len)?)?;
        let name = std::str::from_utf8(name).ok().filter(|n| !n.is_empty())?;
        let data = name_at.checked_add(name_len)?.checked_add(extra_len)?;
        (data <= bytes.len()).then(|| LocalHeader {
            name: name.to_string(),
            data,
            compressed: u64::from(compressed),
        })
    }
}

/// An OLE2 compound file is either an encrypted OOXML package or a legacy binary document.
fn ole2_kind(bytes: &[u8]) -> ErrorKind {
    const NAME: &str = "EncryptedPackage";
    let mut needle = [0u8; 2 * NAME.len()];
    for (i, b) in NAME.bytes().enumerate() {
        if let Some(slot) = needle.get_mut(2 * i) {
            *slot = b;
        }
    }
    if bytes.windows(needle.len()).any(|w| w == needle) {
        ErrorKind::Encrypted
    } else {
        ErrorKind::LegacyDoc
    }
}

/// The entry count from the end-of-central-directory record, read before the zip reader
/// builds its (per-entry, allocating) index. `None` if absent or zip64 (checked later).
fn eocd_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let lowest = bytes.len().saturating_sub(22 + u16::MAX as usize);
    let tail = bytes.get(lowest..)?;
    let at = tail.windows(4).rposition(|w| w == EOCD)?;
    let rec = tail.get(at..)?;
    let n = u16::from_le_bytes([*rec.get(10)?, *rec.get(11)?]);
    (n != u16::MAX).then_some(u64::from(n))
}

/// Inflates parts under the size, total and ratio limits.
struct Inflater<'z, 'b> {
    limits: &'z Limits,
    total: u64,
    zip: &'z mut Archive<'b>,
}

impl Inflater<'_, '_> {
    fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let zip_err = |e: &dyn std::fmt::Display| {
            Error::new(ErrorKind::Zip {
                part: name.to_string(),
                detail: e.to_string(),
            })
        };
        match &mut *self.zip {
            Archive::Zip(zip) => match zip.by_name(name) {
                Ok(f) => inflate(self.limits, &mut self.total, name, f).map(Some),
                Err(ZipError::FileNotFound) => Ok(None),
                Err(e) => Err(zip_err(&e)),
            },
            Archive::Local { bytes, entries } => {
                let Some(&(_, at)) = entries.iter().find(|(n, _)| n == name) else {
                    return Ok(None);
                };
                let bytes: &[u8] = bytes;
                if let Some(h) = LocalHeader::parse(bytes, at) {
                    let end = (h.data as u64).saturating_add(h.compressed);
                    if end > bytes.len() as u64 {
                        return Err(zip_err(&format!(
                            "the archive is cut: the part's {} compressed bytes from byte {} would end at byte {end}, but the file ends at byte {}",
                            h.compressed,
                            h.data,
                            bytes.len()
                        )));
                    }
                }
                let mut cursor = Cursor::new(bytes);
                cursor.set_position(at as u64);
                let read = match zip::read::read_zipfile_from_stream(&mut cursor) {
                    Ok(Some(f)) => inflate(self.limits, &mut self.total, name, f).map(Some),
                    Ok(None) => Ok(None),
                    Err(e) => Err(zip_err(&format!("local header at byte {at}: {e}"))),
                };
                read
            }
        }
    }
}

/// Inflates one entry under the part, total and ratio limits; `total` counts what all parts
/// read so far inflated to.
fn inflate<R: Read>(
    l: &Limits,
    total: &mut u64,
    name: &str,
    file: zip::read::ZipFile<'_, R>,
) -> Result<Vec<u8>, Error> {
    let zip_err = |e: &dyn std::fmt::Display| {
        Error::new(ErrorKind::Zip {
            part: name.to_string(),
            detail: e.to_string(),
        })
    };
    let compressed = file.compressed_size();
    let remaining = l.max_total_bytes.saturating_sub(*total);
    let by_ratio = compressed
        .saturating_mul(l.max_ratio)
        .max(RATIO_FLOOR_BYTES);
    let cap = l.max_part_bytes.min(remaining).min(by_ratio);
    // The header size is only a hint: the `take` below is what enforces the cap.
    let hint = file.size().min(cap).min(PREALLOC_CAP);
    let mut buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    let mut rest = file.take(cap.saturating_add(1));
    (&mut rest)
        .take(hint)
        .read_to_end(&mut buf)
        .map_err(|e| zip_err(&e))?;
    // More than the header said (a lying header, or a bomb whose size is past the
    // prealloc cap): grow once, straight to the cap, rather than let `read_to_end` double
    // the buffer, which would copy it (and hold old and new) up to twice the cap.
    let mut probe = [0u8; 1];
    if rest.read(&mut probe).map_err(|e| zip_err(&e))? == 1 {
        buf.extend_from_slice(&probe);
        let more = cap.saturating_add(1).saturating_sub(buf.len() as u64);
        buf.reserve_exact(usize::try_from(more).unwrap_or(0));
        rest.read_to_end(&mut buf).map_err(|e| zip_err(&e))?;
    }
    let got = buf.len() as u64;
    if got > cap {
        let part = name.to_string();
        let kind = if cap == l.max_part_bytes {
            ErrorKind::PartTooLarge {
                part,
                limit: l.max_part_bytes,
            }
        } else if cap == remaining {
            ErrorKind::TotalTooLarge {
                part,
                limit: l.max_total_bytes,
            }
        } else {
            ErrorKind::CompressionRatio {
                part,
                compressed,
                limit: l.max_ratio,
            }
        };
        return Err(Error::new(kind));
    }
    *total += got;
    Ok(buf)
}

/// The parts related to the main document that the reader uses.
#[derive(Debug, Default)]
struct Related {
    styles: Option<String>,
    furniture: Vec<(FurnitureKind, String)>,
}

impl Related {
    fn add(&mut self, kind: &str, name: String) {
        let k = match kind {
            "styles" => {
                self.styles.get_or_insert(name);
                return;
            }
            "header" => FurnitureKind::Header,
            "footer" => FurnitureKind::Footer,
            "footnotes" | "endnotes" => FurnitureKind::Note,
            _ => return,
        };
        self.furniture.push((k, name));
    }

    /// Deterministic order: headers, footers, footnotes, endnotes; `header2` before `header10`.
    fn sort(mut self) -> Self {
        let rank = |(k, n): &(FurnitureKind, String)| {
            let r = match k {
                FurnitureKind::Header => 0,
                FurnitureKind::Footer => 1,
                _ if n.contains("endnotes") => 3,
                _ => 2,
            };
            (r, n.len(), n.clone())
        };
        self.furniture.sort_by_key(rank);
        self.furniture.dedup();
        self
    }
}

fn related_parts(rels: &[u8], max_depth: usize) -> Result<Related, Error> {
    let mut xml = xml::Xml::new(rels, RELS_PART, max_depth)?;
    let mut out = Related::default();
    loop {
        let e = match xml.next()? {
            Event::Start(e) | Event::Empty(e) => e,
            Event::GeneralRef(r) => {
                xml.resolve_ref(&r)?;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if xml::split_name(e.name().into_inner()).1 != b"Relationship" {
            continue;
        }
        if xml::attr(&e, b"TargetMode").is_some_and(|m| m == "External") {
            continue;
        }
        let (Some(ty), Some(target)) = (xml::attr(&e, b"Type"), xml::attr(&e, b"Target")) else {
            continue;
        };
        if let (Some(kind), Some(name)) = (ty.strip_prefix(REL_BASE), resolve_target(&target)) {
            out.add(kind, name);
        }
    }
    Ok(out.sort())
}

/// Without relationships, fall back on the conventional part names.
fn guessed_parts<'a>(names: impl Iterator<Item = &'a str>) -> Related {
    let mut out = Related::default();
    for name in names {
        let Some(file) = name.strip_prefix("word/") else {
            continue;
        };
        let kind = match file {
            "styles.xml" => "styles",
            "footnotes.xml" => "footnotes",
            "endnotes.xml" => "endnotes",
            f if f.starts_with("header") && f.ends_with(".xml") => "header",
            f if f.starts_with("footer") && f.ends_with(".xml") => "footer",
            _ => continue,
        };
        out.add(kind, name.to_string());
    }
    out.sort()
}

/// A relationship target relative to `word/` as a part name (`../x`, `/word/y` handled).
fn resolve_target(target: &str) -> Option<String> {
    let mut segs: Vec<&str> = Vec::new();
    let rel = match target.strip_prefix('/') {
        Some(abs) => abs,
        None => {
            segs.push("word");
            target
        }
    };
    for s in rel.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop()?;
            }
            s => segs.push(s),
        }
    }
    (!segs.is_empty()).then(|| segs.join("/"))
}

fn flatten_furniture(kind: FurnitureKind, blocks: Vec<Block>, out: &mut Vec<Furniture>) {
    fn table(kind: FurnitureKind, t: Table, out: &mut Vec<Furniture>) {
        for row in t.rows {
            for cell in row.cells {
                if !cell.is_blank() {
                    let text = cell.text();
                    if !text.trim().is_empty() {
                        out.push(Furniture {
                            kind,
                            text,
                            origin: cell.origin.clone(),
                        });
                    }
                }
                for nested in cell.tables {
                    table(kind, nested, out);
                }
            }
        }
    }
    for b in blocks {
        match b {
            Block::Paragraph(p) => out.push(Furniture {
                kind,
                text: p.text,
                origin: p.origin,
            }),
            Block::Table(t) => table(kind, t, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            resolve_target("header1.xml").as_deref(),
            Some("word/header1.xml")
        );
        assert_eq!(resolve_target("/word/x.xml").as_deref(), Some("word/x.xml"));
        assert_eq!(
            resolve_target("../customXml/item1.xml").as_deref(),
            Some("customXml/item1.xml")
        );
        assert_eq!(resolve_target("../../x"), None);
    }

    #[test]
    fn furniture_order() {
        let r = guessed_parts(
            [
                "word/footer1.xml",
                "word/header10.xml",
                "word/endnotes.xml",
                "word/header2.xml",
                "word/footnotes.xml",
                "word/styles.xml",
                "word/document.xml",
            ]
            .into_iter(),
        );
        let names: Vec<&str> = r.furniture.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "word/header2.xml",
                "word/header10.xml",
                "word/footer1.xml",
                "word/footnotes.xml",
                "word/endnotes.xml"
            ]
        );
        assert_eq!(r.styles.as_deref(), Some("word/styles.xml"));
    }

    #[test]
    fn eocd_count() {
        let mut z = vec![0u8; 10];
        z.extend_from_slice(b"PK\x05\x06\0\0\0\0\x07\0\x07\0");
        z.extend_from_slice(&[0u8; 10]);
        assert_eq!(eocd_entries(&z), Some(7));
        assert_eq!(eocd_entries(b"nothing"), None);
    }
}
