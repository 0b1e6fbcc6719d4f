//! Encoding detection, decoding, and line splitting that keeps track of input byte offsets.
//!
//! Not for: what a line means (the grammars in `line` and `block`).

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};

use crate::error::{Error, ErrorKind};

/// The width and byte order of one code unit of the input, for finding line ends in the raw
/// bytes. CR and LF are single code units in every supported encoding and never occur inside a
/// multi-unit character (GB18030 trail bytes are 0x30..=0x39 or 0x40..=0xFE; UTF-16 surrogates
/// are 0xD800..=0xDFFF), so the raw line ends correspond one to one to the decoded ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Byte,
    U16Le,
    U16Be,
}

impl Unit {
    fn width(self) -> usize {
        match self {
            Unit::Byte => 1,
            Unit::U16Le | Unit::U16Be => 2,
        }
    }

    /// The code unit at `i` (a byte offset), if a whole one is there.
    fn at(self, bytes: &[u8], i: usize) -> Option<u16> {
        match self {
            Unit::Byte => bytes.get(i).map(|&b| u16::from(b)),
            Unit::U16Le => match (bytes.get(i), bytes.get(i + 1)) {
                (Some(&lo), Some(&hi)) => Some(u16::from_le_bytes([lo, hi])),
                _ => None,
            },
            Unit::U16Be => match (bytes.get(i), bytes.get(i + 1)) {
                (Some(&hi), Some(&lo)) => Some(u16::from_be_bytes([hi, lo])),
                _ => None,
            },
        }
    }
}

/// A decoded input.
pub(crate) struct Decoded<'a> {
    /// The text, without byte-order mark (borrowed for UTF-8 input).
    pub text: Cow<'a, str>,
    /// `"UTF-8"`, `"UTF-16LE"`, `"UTF-16BE"` or `"GB18030"`.
    pub encoding: &'static str,
    /// How to walk the raw bytes.
    pub unit: Unit,
    /// Length of the byte-order mark (where the first line starts in the input).
    pub bom: usize,
    /// Whether decoded offsets equal raw offsets minus `bom` (UTF-8), so that no second scan
    /// of the raw bytes is needed.
    pub same_bytes: bool,
}

/// A line found by [`RawLines`]: byte range of its content (line end excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawLine {
    pub start: usize,
    pub end: usize,
    /// The line ended with CRLF.
    pub crlf: bool,
}

/// Splits bytes into lines at LF, CRLF or a lone CR, in units of `unit`.
pub(crate) struct RawLines<'a> {
    bytes: &'a [u8],
    pos: usize,
    unit: Unit,
}

impl<'a> RawLines<'a> {
    pub fn new(bytes: &'a [u8], start: usize, unit: Unit) -> Self {
        RawLines {
            bytes,
            pos: start,
            unit,
        }
    }
}

impl Iterator for RawLines<'_> {
    type Item = RawLine;

    fn next(&mut self) -> Option<RawLine> {
        let len = self.bytes.len();
        if self.pos >= len {
            return None;
        }
        let start = self.pos;
        let w = self.unit.width();
        if self.unit == Unit::Byte {
            // The hot path (UTF-8 and GB18030): a plain byte search.
            let rest = self.bytes.get(start..).unwrap_or_default();
            return Some(match memchr::memchr2(b'\n', b'\r', rest) {
                None => {
                    self.pos = len;
                    RawLine {
                        start,
                        end: len,
                        crlf: false,
                    }
                }
                Some(k) => {
                    let end = start + k;
                    let crlf = rest.get(k) == Some(&b'\r') && rest.get(k + 1) == Some(&b'\n');
                    self.pos = end + if crlf { 2 } else { 1 };
                    RawLine { start, end, crlf }
                }
            });
        }
        let mut i = start;
        while let Some(u) = self.unit.at(self.bytes, i) {
            if u == 0x0A {
                self.pos = i + w;
                return Some(RawLine {
                    start,
                    end: i,
                    crlf: false,
                });
            }
            if u == 0x0D {
                let crlf = self.unit.at(self.bytes, i + w) == Some(0x0A);
                self.pos = i + if crlf { 2 * w } else { w };
                return Some(RawLine {
                    start,
                    end: i,
                    crlf,
                });
            }
            i += w;
        }
        self.pos = len;
        Some(RawLine {
            start,
            end: len,
            crlf: false,
        })
    }
}

/// The 1-based line number holding byte `offset` (saturating at `u32::MAX`).
pub(crate) fn line_of(bytes: &[u8], start: usize, unit: Unit, offset: usize) -> u32 {
    let mut n: u32 = 0;
    for l in RawLines::new(bytes, start, unit) {
        n = n.saturating_add(1);
        if l.end >= offset {
            return n;
        }
    }
    n.max(1)
}

/// Position of the first NUL code unit at or after `start`.
fn find_nul(bytes: &[u8], start: usize, unit: Unit) -> Option<usize> {
    match unit {
        Unit::Byte => bytes
            .get(start..)?
            .iter()
            .position(|&b| b == 0)
            .map(|k| start + k),
        Unit::U16Le | Unit::U16Be => {
            let mut i = start;
            while let Some(u) = unit.at(bytes, i) {
                if u == 0 {
                    return Some(i);
                }
                i += 2;
            }
            None
        }
    }
}

fn binary(bytes: &[u8], start: usize, unit: Unit, at: usize) -> Error {
    Error::new(ErrorKind::Binary {
        line: line_of(bytes, start, unit, at),
        byte: at as u64,
    })
}

/// Decodes `src` with `encoding`, without replacement; `Err(offset)` gives the offset in `src`
/// of the first malformed byte.
fn decode_strict(encoding: &'static Encoding, src: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(src.len())
        .unwrap_or(src.len().saturating_mul(3));
    let mut out = String::with_capacity(cap);
    let mut read_total = 0;
    loop {
        let rest = src.get(read_total..).unwrap_or_default();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(rest.len().max(16) * 3),
            DecoderResult::Malformed(bad, extra) => {
                // `read` ends after the malformed sequence and `extra` bytes that follow it.
                return Err(read_total
                    .saturating_sub(usize::from(extra))
                    .saturating_sub(usize::from(bad)));
            }
        }
    }
}

/// `bytes` as UTF-8: validated with SIMD, and only on failure again by std, whose error says
/// where.
fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

/// Detects the encoding and decodes.
///
/// A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE). Without one, a NUL byte means binary
/// input; then valid UTF-8 wins, and otherwise GB18030 if it decodes without a single error
/// (GB18030 accepts most byte soup, but not all, so this fallback is checked strictly).
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, Error> {
    let invalid = |tried: &'static str, start: usize, unit: Unit, at: usize| {
        Error::new(ErrorKind::InvalidEncoding {
            tried,
            line: line_of(bytes, start, unit, at),
            byte: at as u64,
        })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Some(at) = find_nul(bytes, 3, Unit::Byte) {
            return Err(binary(bytes, 3, Unit::Byte, at));
        }
        return match utf8(rest) {
            Ok(text) => Ok(Decoded {
                text: Cow::Borrowed(text),
                encoding: "UTF-8",
                unit: Unit::Byte,
                bom: 3,
                same_bytes: true,
            }),
            Err(e) => Err(invalid("UTF-8", 3, Unit::Byte, 3 + e.valid_up_to())),
        };
    }
    for (bom, encoding, unit, name) in [
        (b"\xFF\xFE", UTF_16LE, Unit::U16Le, "UTF-16LE"),
        (b"\xFE\xFF", UTF_16BE, Unit::U16Be, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            if let Some(at) = find_nul(bytes, 2, unit) {
                return Err(binary(bytes, 2, unit, at));
            }
            return match decode_strict(encoding, rest) {
                Ok(text) => Ok(Decoded {
                    text: Cow::Owned(text),
                    encoding: name,
                    unit,
                    bom: 2,
                    same_bytes: false,
                }),
                Err(at) => Err(invalid(name, 2, unit, 2 + at)),
            };
        }
    }
    if let Some(at) = find_nul(bytes, 0, Unit::Byte) {
        return Err(binary(bytes, 0, Unit::Byte, at));
    }
    match utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
            unit: Unit::Byte,
            bom: 0,
            same_bytes: true,
        }),
        Err(e) => match decode_strict(GB18030, bytes) {
            Ok(text) => Ok(Decoded {
                text: Cow::Owned(text),
                encoding: "GB18030",
                unit: Unit::Byte,
                bom: 0,
                same_bytes: false,
            }),
            Err(at) => Err(invalid(
                "UTF-8 or GB18030",
                0,
                Unit::Byte,
                at.max(e.valid_up_to()),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(b: &[u8], unit: Unit, start: usize) -> Vec<(usize, usize, bool)> {
        RawLines::new(b, start, unit)
            .map(|l| (l.start, l.end, l.crlf))
            .collect()
    }

    #[test]
    fn raw_lines_handle_lf_crlf_and_lone_cr() {
        assert_eq!(
            lines(b"a\nbc\r\nd\re", Unit::Byte, 0),
            vec![(0, 1, false), (2, 4, true), (6, 7, false), (8, 9, false)]
        );
        assert_eq!(lines(b"a\n", Unit::Byte, 0), vec![(0, 1, false)]);
        assert_eq!(
            lines(b"\n\n", Unit::Byte, 0),
            vec![(0, 0, false), (1, 1, false)]
        );
        assert!(lines(b"", Unit::Byte, 0).is_empty());
    }

    #[test]
    fn raw_lines_in_utf16_count_bytes_from_the_bom() {
        // BOM, "a", CR, LF, "b"
        let le = b"\xFF\xFEa\0\r\0\n\0b\0";
        assert_eq!(
            lines(le, Unit::U16Le, 2),
            vec![(2, 4, true), (8, 10, false)]
        );
        let be = b"\xFE\xFF\0a\0\n\0b";
        assert_eq!(
            lines(be, Unit::U16Be, 2),
            vec![(2, 4, false), (6, 8, false)]
        );
        // A trailing odd byte is no code unit: the line ends there.
        assert_eq!(lines(b"\xFF\xFEa\0x", Unit::U16Le, 2), vec![(2, 5, false)]);
    }

    #[test]
    fn detects_gb18030_when_not_utf8() {
        let (gb, _, _) = GB18030.encode("项目编码\n");
        let d = decode(&gb).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, "项目编码\n");
        let d = decode("项目编码".as_bytes()).unwrap();
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn decode_strict_reports_the_first_bad_byte() {
        // "ab" then a lone high surrogate followed by "c" in UTF-16LE.
        let src = b"a\0b\0\x00\xD8c\0";
        assert_eq!(decode_strict(UTF_16LE, src), Err(4));
        assert_eq!(decode_strict(UTF_16LE, b"a\0b"), Err(2));
    }
}
