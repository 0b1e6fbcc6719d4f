//! Parses plain-text exports of Word documents (Apache Tika, LibreOffice, Windows re-saves)
//! into the tablift document model.
//!
//! # Brief overview
//!
//! [`parse`] decodes the bytes (UTF-8 with or without BOM, UTF-16LE/BE with BOM, GB18030;
//! LF, CRLF or lone CR), detects the layout ([`TextLayout`](tablift_model::TextLayout)) and builds a [`Document`]:
//!
//! * **cell-per-line** (Tika on `.doc`): every cell on its own line after a TAB, a blank line
//!   ends a row, two or more end a table;
//! * **row-per-line** (Tika on `.docx`): a row is one line of TAB-prefixed cells;
//! * **flattened** (no line starts with a TAB, e.g. LibreOffice "Text"): paragraphs only,
//!   each line's leading spaces and form feed kept, so that space-aligned text
//!   (`pdftotext -layout`) keeps its character positions for `tablift-budget` to recover the
//!   columns from;
//! * **pipe rows** / **pipe cells** (no line starts with a TAB, and many lines hold a `|`): a
//!   web table flattened by a scraper, one row per line (`| a | b |`) or one cell per line
//!   (`text |`); see `pipes`.
//!
//! Word `TC` fields left in heading lines go to [`Paragraph::tc`](tablift_model::Paragraph)
//! (see [`parse_tc_field`]); a lone page number closing the text goes to
//! [`Document::furniture`]. Every block, row and cell carries the 1-based line and the byte
//! offset of that line's start in the original bytes. Failures are typed [`Error`]s naming
//! their position.
//!
//! ```
//! use tablift_textexport::{parse, Options};
//!
//! let text = "标题 TC 标题 \\f A \\l 1 \n\tA\n\tB\n\n\tC\n\tD\n\n\n1\n";
//! let doc = parse("x.txt", text.as_bytes(), &Options::default())?;
//! let table = doc.tables().next().unwrap();
//! assert_eq!(table.rows.len(), 2);
//! assert_eq!(table.rows[1].cells[0].paragraphs, ["C"]);
//! assert_eq!(doc.furniture[0].text, "1");
//! # Ok::<(), tablift_textexport::Error>(())
//! ```
//!
//! The layouts are nom grammars: `line` says what one line is (cell or row line, blank,
//! paragraph with its `TC` field), `block` how runs of lines make rows and tables; decoding
//! and line splitting (`decode`) stay hand-written for speed and for input byte offsets.
//!
//! Not for: `.docx` files (see `tablift-docx`) or interpreting what the tables mean (see
//! `tablift-budget`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod block;
mod build;
mod decode;
mod error;
mod line;
mod pipes;
mod reader;

pub use decode::{MAX_MALFORMED_PER_MILLE, MIN_EVIDENCE_RATIO};
pub use error::{Error, ErrorKind};
pub use pipes::MAX_CELLS_PER_ROW as MAX_PIPE_CELLS_PER_ROW;
pub use reader::TextReader;
pub use tablift_fields::parse_tc_field;

use tablift_model::{Document, SourceFormat, SourceInfo};

/// Default for [`Options::max_input_bytes`]: 256 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;
/// Default for [`Options::max_line_bytes`]: 8 MiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// Limits against giant inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Largest accepted input, in bytes ([`DEFAULT_MAX_INPUT_BYTES`]).
    pub max_input_bytes: u64,
    /// Longest accepted line, in input bytes without its line end ([`DEFAULT_MAX_LINE_BYTES`]).
    pub max_line_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// Parses a text export. `path` is recorded in [`SourceInfo::path`] as given.
///
/// An input without text (zero bytes, a BOM alone, whitespace only) is an error of kind
/// `empty` rather than an empty document, so that batch runs report it.
pub fn parse(path: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
    let size = bytes.len() as u64;
    if size > options.max_input_bytes {
        return Err(Error::new(ErrorKind::InputTooLarge {
            size,
            limit: options.max_input_bytes,
        }));
    }
    let decoded = decode::decode(bytes)?;
    if decoded.text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    let layout = build::detect_layout(&decoded.text);
    let mut builder = build::Builder::new(layout);

    let text: &str = &decoded.text;
    // Decoded lines give the content; for GB18030 and UTF-16 the raw bytes are walked in
    // lockstep to find where each line starts in the input (see `decode::Unit`).
    let mut raw =
        (!decoded.same_bytes).then(|| decode::RawLines::new(bytes, decoded.bom, decoded.unit));
    let (mut crlf, mut other_ends) = (0u64, 0u64);
    let mut line_no: u32 = 0;
    for l in decode::RawLines::new(text.as_bytes(), 0, decode::Unit::Byte) {
        line_no = line_no.saturating_add(1);
        let (start, len) = match raw.as_mut().and_then(Iterator::next) {
            Some(r) => (r.start, r.end - r.start),
            None => (decoded.bom + l.start, l.end - l.start),
        };
        if len > options.max_line_bytes {
            return Err(Error::new(ErrorKind::LineTooLong {
                line: line_no,
                byte: start as u64,
                length: len as u64,
                limit: options.max_line_bytes,
            }));
        }
        if l.crlf {
            crlf += 1;
        } else if l.end < text.len() {
            other_ends += 1;
        }
        builder.line(
            text.get(l.start..l.end).unwrap_or_default(),
            line_no,
            start as u64,
        );
    }
    let mut doc = Document {
        source: SourceInfo {
            encoding: Some(decoded.encoding.to_string()),
            // Mixed line ends are rare; the majority decides.
            crlf: Some(crlf > 0 && crlf >= other_ends),
            layout: Some(layout),
            ..SourceInfo::new(path, SourceFormat::TextExport)
        },
        blocks: builder.finish(),
        furniture: Vec::new(),
        diagnostics: Vec::new(),
    };
    doc.diagnostics
        .extend(decode::damage_diagnostic(bytes, &decoded));
    doc.take_trailing_page_number();
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8], options: &Options) -> Error {
        match parse("t.txt", bytes, options) {
            Err(e) => e,
            Ok(doc) => panic!("expected an error, got {doc:?}"),
        }
    }

    #[test]
    fn empty_input() {
        for input in [&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b" \r\n\n\t\n"] {
            let e = err(input, &Options::default());
            assert_eq!(e.kind(), &ErrorKind::Empty, "{input:?}");
            assert_eq!(e.kind_name(), "empty");
            assert_eq!(e.position(), None);
            assert_eq!(e.to_string(), "empty input: no text to parse");
        }
    }

    #[test]
    fn input_too_large() {
        let options = Options {
            max_input_bytes: 4,
            ..Options::default()
        };
        let e = err(b"12345", &options);
        assert_eq!(e.kind_name(), "input_too_large");
        assert_eq!(e.position().as_deref(), Some("byte 4"));
        assert_eq!(
            e.to_string(),
            "input too large: 5 bytes, more than the limit of 4 bytes"
        );
        assert!(parse("t", b"1234", &options).is_ok());
    }

    #[test]
    fn line_too_long() {
        let options = Options {
            max_line_bytes: 3,
            ..Options::default()
        };
        let e = err(b"abc\r\nabcd\n", &options);
        assert_eq!(
            e.kind(),
            &ErrorKind::LineTooLong {
                line: 2,
                byte: 5,
                length: 4,
                limit: 3
            }
        );
        assert_eq!(e.kind_name(), "line_too_long");
        assert_eq!(e.position().as_deref(), Some("line 2 (byte 5)"));
        assert_eq!(
            e.to_string(),
            "line too long at line 2 (byte 5): 4 bytes, more than the limit of 3 bytes"
        );
        // Measured in input bytes: 2 UTF-16 code units are 4 bytes.
        let e = err(b"\xFF\xFEa\0\n\0b\0c\0", &options);
        assert_eq!(
            e.kind(),
            &ErrorKind::LineTooLong {
                line: 2,
                byte: 6,
                length: 4,
                limit: 3
            }
        );
    }

    #[test]
    fn binary() {
        let elf = b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
        let e = err(elf, &Options::default());
        assert_eq!(e.kind(), &ErrorKind::Binary { line: 1, byte: 7 });
        assert_eq!(e.kind_name(), "binary");
        assert_eq!(
            e.to_string(),
            "binary input: NUL byte at line 1 (byte 7); not a text export (or UTF-16 without a byte-order mark)"
        );
        let e = err(b"ab\ncd\0", &Options::default());
        assert_eq!(e.position().as_deref(), Some("line 2 (byte 5)"));
        // UTF-16 without BOM.
        let e = err(
            "a\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<_>>()
                .as_slice(),
            &Options::default(),
        );
        assert_eq!(e.kind(), &ErrorKind::Binary { line: 1, byte: 1 });
        // A NUL code unit in UTF-16 with BOM.
        let e = err(b"\xFF\xFEa\0\n\0\0\0", &Options::default());
        assert_eq!(e.kind(), &ErrorKind::Binary { line: 2, byte: 6 });
    }

    #[test]
    fn invalid_encoding() {
        // "ok\n" then 0xFF: invalid UTF-8, and 0xFF is no GB18030 lead byte.
        let e = err(b"ok\n\xFF", &Options::default());
        assert_eq!(
            e.kind(),
            &ErrorKind::InvalidEncoding {
                tried: "UTF-8 or GB18030",
                line: 2,
                byte: 3
            }
        );
        assert_eq!(e.kind_name(), "invalid_encoding");
        assert_eq!(e.position().as_deref(), Some("line 2 (byte 3)"));
        assert_eq!(
            e.to_string(),
            "invalid encoding at line 2 (byte 3): the bytes are not valid UTF-8 or GB18030"
        );
        // GB18030 text with one bad byte further on: the position is where GB18030 fails.
        let mut gb = encoding_rs::GB18030.encode("项目编码\n").0.into_owned();
        gb.extend_from_slice(b"ab\x81\x20");
        let e = err(&gb, &Options::default());
        assert_eq!(
            e.kind(),
            &ErrorKind::InvalidEncoding {
                tried: "UTF-8 or GB18030",
                line: 2,
                byte: 11
            }
        );
        // Declared by a BOM: no fallback.
        let e = err(b"\xEF\xBB\xBFab\n\xC3(", &Options::default());
        assert_eq!(
            e.kind(),
            &ErrorKind::InvalidEncoding {
                tried: "UTF-8",
                line: 2,
                byte: 6
            }
        );
        let e = err(b"\xFF\xFEa\0\0\xDCb\0", &Options::default());
        assert_eq!(
            e.to_string(),
            "invalid encoding at line 1 (byte 4): the bytes are not valid UTF-16LE"
        );
        let e = err(b"\xFE\xFF\0a\0", &Options::default());
        assert_eq!(
            e.kind(),
            &ErrorKind::InvalidEncoding {
                tried: "UTF-16BE",
                line: 1,
                byte: 4
            }
        );
    }

    #[test]
    fn errors_are_std_errors() {
        let e: Box<dyn std::error::Error> = Box::new(err(b"", &Options::default()));
        assert_eq!(e.to_string(), "empty input: no text to parse");
    }
}
