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

use tablift_model::{Diagnostic, Document, Origin, SourceFormat, SourceInfo};

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
    let repaired: Option<(Vec<u8>, Repair)>;
    let (mut cfb, repair) = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(c) => (c, None),
        Err(e) => {
            // A FAT that describes sectors past the end of the file (Apache POI's 47950_*.doc):
            // read a copy whose FAT stops at the file's end.
            repaired = repair_fat(bytes);
            let mut detail = e.to_string();
            let reopened = match &repaired {
                Some((copy, r)) => match cfb::CompoundFile::open(Cursor::new(copy.as_slice())) {
                    Ok(c) => Some((c, Some(*r))),
                    Err(again) => {
                        // Say what the repaired copy still lacks (a directory or FAT sector
                        // past the end: the file is cut).
                        detail.push_str(&format!(
                            "; with the FAT cut to the file's {} sectors: {again}",
                            r.sectors
                        ));
                        None
                    }
                },
                None => None,
            };
            match reopened {
                Some(opened) => opened,
                // A container too broken to open may still name an encrypted package.
                None if names_encrypted_package(bytes) => {
                    return Err(Error::new(ErrorKind::Encrypted))
                }
                None => return Err(Error::new(ErrorKind::NotOle2 { detail })),
            }
        }
    };
    let whole = repair.is_some();
    if cfb.is_stream(ENCRYPTED_PACKAGE) {
        return Err(Error::new(ErrorKind::Encrypted));
    }
    let wd = stream(&mut cfb, fib::WORD_DOCUMENT, bytes.len(), limits, whole)?;
    let fib = fib::parse_fib(&wd)?;
    if fib.encrypted {
        return Err(Error::new(ErrorKind::Encrypted));
    }
    let table = stream(&mut cfb, fib.table_stream, bytes.len(), limits, whole)?;
    // Optional: only properties too large for their page (sprmPHugePapx) are kept there.
    let data = if cfb.is_stream(DATA) {
        stream(&mut cfb, DATA, bytes.len(), limits, whole)?
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
    if let Some(r) = repair {
        doc.diagnostics.push(Diagnostic {
            code: "ole2_repaired".to_string(),
            message: format!(
                "OLE2 FAT describes {} sectors but the file holds {}: the {} entries past the end \
                 (the first at byte {}) were taken as free; every stream read is whole",
                r.fat_entries, r.sectors, r.cleared, r.first_byte
            ),
            origin: Origin::Unknown,
        });
    }
    Ok(doc)
}

/// What [`repair_fat`] changed.
#[derive(Clone, Copy, Debug)]
struct Repair {
    /// Entries the FAT sectors hold.
    fat_entries: u64,
    /// Sectors the file holds (after the header).
    sectors: u64,
    /// Entries past the end that were not free and were set free.
    cleared: u64,
    /// Input offset of the first of them.
    first_byte: u64,
}

/// Most DIFAT sectors followed (each names 127 or 1,023 FAT sectors: far more than any file
/// of the input size limit holds).
const MAX_DIFAT_SECTORS: usize = 1 << 16;

/// A copy of an OLE2 container whose FAT entries for sectors past the end of the file are
/// set free (`0xFFFFFFFF`): such sectors do not exist, so no stream can be stored in them, but
/// some writers leave them marked end-of-chain, which the `cfb` crate refuses ("Malformed FAT
/// (FAT has 128 entries, but file has only 52 sectors)"); cfb itself already ignores such
/// entries when they are zero or free. Chains inside the file are untouched, so a stream
/// that runs past the end stays short and is refused when read (see [`stream`]). `None` when
/// the header is not one of a version-3 or -4 file, or no entry needs clearing.
fn repair_fat(bytes: &[u8]) -> Option<(Vec<u8>, Repair)> {
    const FREE: u32 = 0xFFFF_FFFF;
    const MAX_REGULAR: u32 = 0xFFFF_FFFA;
    let u32_at = |b: &[u8], at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            b.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    };
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return None;
    }
    let shift = u16::from_le_bytes([*bytes.get(30)?, *bytes.get(31)?]);
    let sector_len: usize = match shift {
        9 => 512,
        12 => 4096,
        _ => return None,
    };
    // As cfb counts them: the sectors after the header, a partial last one included.
    let sectors = bytes.len().div_ceil(sector_len).checked_sub(1)?;
    let offset = |sector: u32| -> Option<usize> {
        let s = usize::try_from(sector).ok()?;
        (s < sectors).then(|| (s + 1) * sector_len)
    };
    // The FAT sectors, in order: 109 in the header, then the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let per_sector = sector_len / 4;
    let mut next = u32_at(bytes, 68)?;
    // A DIFAT chain cannot be longer than the file has sectors, and a FAT cannot have more
    // sectors than the file: a chain that loops (a fuzzer's favourite) would otherwise name
    // millions of FAT sectors, each rescanned below.
    let mut hops = 0;
    while next <= MAX_REGULAR && hops < MAX_DIFAT_SECTORS.min(sectors) {
        let at = offset(next)?;
        for i in 0..per_sector - 1 {
            fat_sectors.push(u32_at(bytes, at + 4 * i)?);
        }
        next = u32_at(bytes, at + 4 * (per_sector - 1))?;
        hops += 1;
    }
    while fat_sectors.last() == Some(&FREE) {
        fat_sectors.pop();
    }
    if fat_sectors.len() > sectors {
        return None;
    }
    let mut copy = bytes.to_vec();
    let mut cleared = 0u64;
    let mut first_byte = None;
    for (k, &fs) in fat_sectors.iter().enumerate() {
        let Some(at) = offset(fs) else { continue };
        for i in 0..per_sector {
            let index = k * per_sector + i;
            let byte = at + 4 * i;
            if index < sectors || u32_at(&copy, byte)? == FREE {
                continue;
            }
            copy.get_mut(byte..byte + 4)?
                .copy_from_slice(&FREE.to_le_bytes());
            cleared += 1;
            first_byte.get_or_insert(byte as u64);
        }
    }
    let first_byte = first_byte?;
    Some((
        copy,
        Repair {
            fat_entries: (fat_sectors.len() * per_sector) as u64,
            sectors: sectors as u64,
            cleared,
            first_byte,
        },
    ))
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
    whole: bool,
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
    // In a repaired container, a stream shorter than its directory entry says ran past the
    // end of the file: not intact.
    if whole && (buf.len() as u64) < size {
        return Err(Error::new(ErrorKind::Stream {
            stream: name.to_string(),
            detail: format!(
                "the stream stops at byte {} of the {size} its directory entry gives (the file ends)",
                buf.len()
            ),
        }));
    }
    Ok(buf)
}
