//! Reads legacy Word 97-2003 binary files (`.doc`) into the tablift document model: body
//! paragraphs, tables (nested too), and `TC` fields, under hard limits.
//!
//! # Brief overview
//!
//! [`read`] opens the OLE2 compound file (with the `cfb` crate), refuses encrypted documents,
//! and reads two streams under [`Limits`]: `WordDocument` (the FIB, the text, the
//! paragraph-property pages) and the table stream the FIB names (`0Table` or `1Table`).
//!
//! * Text: FIB → CLX → piece table; 8-bit pieces are Windows-1252 (as [MS-DOC] maps them),
//!   the others UTF-16LE. Only the main document (the first `ccpText` characters) is read.
//! * Paragraphs end at paragraph marks (`0x0D`), cell marks (`0x07`) and page/section breaks
//!   (`0x0C`); line breaks (`0x0B`) stay in the text as `\n`, as the `.docx` reader keeps
//!   `w:br`; tabs stay; non-breaking hyphens become `-`; soft hyphens and object anchors are
//!   dropped.
//! * Tables: from the paragraph properties (PlcBtePapx → PapxFkp → sprms `sprmPFInTable`,
//!   `sprmPFTtp`, `sprmPItap`, `sprmPFInnerTableCell`, `sprmPFInnerTtp`): rows of cells, each
//!   cell's paragraphs, nested tables inside their cell. Spans come from each row's table
//!   properties (`sprmTDefTable`, `sprmTVertMerge`): the grid is every cell boundary of the
//!   table, `col_span` counts the grid columns a cell covers (a blank horizontally merged cell
//!   widens the one before it), and a blank cell continuing a vertical merge is dropped while
//!   the cell that starts it gets `row_span` + 1, as the `.docx` reader does. A row whose
//!   properties do not match its cells keeps spans of 1.
//! * Fields (`0x13` begin, `0x14` separator, `0x15` end): the result is text, the instruction
//!   is not; a `TC` instruction becomes [`tablift_model::Paragraph::tc`].
//! * Headings: `sprmPOutLvl` set directly on a paragraph; outline levels inherited from styles
//!   are not read.
//! * Origins: every block, row and cell carries `Origin::Doc { stream: "WordDocument", cp }`:
//!   the character position of its first character (shown as `WordDocument:cp123`);
//!   [`tablift_model::SourceInfo::format`] is `Doc`.
//!
//! ```
//! use tablift_doc::{read, Limits};
//!
//! let err = read("x.doc", b"plain text", &Limits::default()).unwrap_err();
//! assert_eq!(err.kind_name(), "not_ole2");
//!
//! let doc = read(
//!     "seed.doc",
//!     &std::fs::read("../../fixtures/seed/seed.doc")?,
//!     &Limits::default(),
//! )?;
//! assert_eq!(doc.tables().count(), 16);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not for: Word 6/95 files, `.docx` (see `tablift-docx`), headers, footers, footnotes,
//! formatting, images, fast-saved piece properties (`Prc`), or interpreting what the tables
//! mean (see `tablift-budget`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod build;
mod error;
mod fib;
mod reader;

use std::io::{Cursor, Read};

use tablift_model::{Document, SourceFormat, SourceInfo};

pub use error::{Error, ErrorKind};
pub use reader::DocReader;

/// Default [`Limits::max_stream_bytes`]: 256 MiB.
pub const DEFAULT_MAX_STREAM_BYTES: u64 = 256 << 20;
/// Default [`Limits::max_pieces`].
pub const DEFAULT_MAX_PIECES: usize = 1 << 20;
/// Default [`Limits::max_fkp_pages`].
pub const DEFAULT_MAX_FKP_PAGES: usize = 1 << 20;
/// Default [`Limits::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 256;

const ENCRYPTED_PACKAGE: &str = "EncryptedPackage";
const DATA: &str = "Data";

/// Hard limits against hostile `.doc` files. Every limit is a clear, typed error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes a stream (`WordDocument`, the table stream) may hold.
    pub max_stream_bytes: u64,
    /// Most pieces the piece table may list.
    pub max_pieces: usize,
    /// Most paragraph-property pages (512 bytes each) the PlcBtePapx may name.
    pub max_fkp_pages: usize,
    /// Deepest nesting of tables, and of fields.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stream_bytes: DEFAULT_MAX_STREAM_BYTES,
            max_pieces: DEFAULT_MAX_PIECES,
            max_fkp_pages: DEFAULT_MAX_FKP_PAGES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Read a `.doc` held in `bytes`; `path` is recorded in [`SourceInfo`] only.
pub fn read(path: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    let mut cfb = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(c) => c,
        // A container too broken to open may still name an encrypted package: say so.
        Err(_) if names_encrypted_package(bytes) => return Err(Error::new(ErrorKind::Encrypted)),
        Err(e) => {
            return Err(Error::new(ErrorKind::NotOle2 {
                detail: e.to_string(),
            }))
        }
    };
    if cfb.is_stream(ENCRYPTED_PACKAGE) {
        return Err(Error::new(ErrorKind::Encrypted));
    }
    let wd = stream(&mut cfb, fib::WORD_DOCUMENT, bytes.len(), limits)?;
    let fib = fib::parse_fib(&wd)?;
    if fib.encrypted {
        return Err(Error::new(ErrorKind::Encrypted));
    }
    let table = stream(&mut cfb, fib.table_stream, bytes.len(), limits)?;
    // Optional: only properties too large for their page (sprmPHugePapx) are kept there.
    let data = if cfb.is_stream(DATA) {
        stream(&mut cfb, DATA, bytes.len(), limits)?
    } else {
        Vec::new()
    };
    drop(cfb);
    let pieces = fib::pieces(&table, fib.table_stream, fib.clx, limits)?;
    let paras = fib::para_index(&wd, &table, &data, fib.table_stream, fib.bte_papx, limits)?;
    drop((table, data));

    let mut doc = Document::new(SourceInfo::new(path, SourceFormat::Doc));
    doc.blocks = build::build(&wd, &pieces, &paras, fib.ccp_text, limits)?;
    doc.take_trailing_page_number();
    Ok(doc)
}

/// Whether the bytes hold the UTF-16LE directory name `EncryptedPackage`.
fn names_encrypted_package(bytes: &[u8]) -> bool {
    let mut needle = [0u8; 2 * ENCRYPTED_PACKAGE.len()];
    for (i, b) in ENCRYPTED_PACKAGE.bytes().enumerate() {
        if let Some(slot) = needle.get_mut(2 * i) {
            *slot = b;
        }
    }
    bytes.windows(needle.len()).any(|w| w == needle)
}

fn stream(
    cfb: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &'static str,
    container_bytes: usize,
    limits: &Limits,
) -> Result<Vec<u8>, Error> {
    let missing = || {
        Error::new(ErrorKind::MissingStream {
            stream: name.to_string(),
        })
    };
    if !cfb.is_stream(name) {
        return Err(missing());
    }
    let err = |e: std::io::Error| {
        Error::new(ErrorKind::Stream {
            stream: name.to_string(),
            detail: e.to_string(),
        })
    };
    let mut s = cfb.open_stream(name).map_err(err)?;
    let size = s.len();
    let too_large = |size| {
        Error::new(ErrorKind::StreamTooLarge {
            stream: name.to_string(),
            size,
            limit: limits.max_stream_bytes,
        })
    };
    if size > limits.max_stream_bytes {
        return Err(too_large(size));
    }
    // The directory's size is only a hint: a stream cannot hold more than its container.
    let hint = usize::try_from(size).unwrap_or(0).min(container_bytes);
    let mut buf = Vec::with_capacity(hint);
    (&mut s)
        .take(limits.max_stream_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(err)?;
    if buf.len() as u64 > limits.max_stream_bytes {
        return Err(too_large(buf.len() as u64));
    }
    Ok(buf)
}
