//! Encoding detection, decoding, and line splitting that keeps track of input byte offsets.
//!
//! Not for: what a line means (the grammars in `line` and `block`).

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};

use tablift_model::{Diagnostic, Origin};

use crate::error::{Error, ErrorKind};

/// A damaged input is decoded (malformed sequences as U+FFFD) only while its malformed
/// sequences, NUL code units included, are at most this many per 1,000 of its bytes; beyond
/// that the damage is no longer "a few corrupt bytes" and the encoding decided on the intact
/// part is itself in doubt, so the input is refused (`invalid_encoding`, or `binary` where it
/// holds a NUL).
pub const MAX_MALFORMED_PER_MILLE: usize = 20;

/// Without a byte-order mark, how clearly a damaged input must be one encoding: it is UTF-8
/// when its valid multi-byte UTF-8 characters outnumber its malformed UTF-8 sequences at least
/// this many times, GB18030 when its malformed UTF-8 sequences outnumber its malformed GB18030
/// ones at least this many times, and refused otherwise (`invalid_encoding`).
///
/// Why UTF-8 is not judged by comparing the two candidates' error counts alone: UTF-8 Chinese
/// decodes as GB18030 with errors only at some Chinese→ASCII boundaries, so damage brings the
/// counts close (`seed.tika-doc.txt` with 200 bytes flipped: 260 malformed sequences as UTF-8,
/// 413 as GB18030; a UTF-8 text of Chinese paragraphs can even be valid GB18030 with one
/// byte flipped: 2 malformed sequences as UTF-8, none as GB18030). Valid multi-byte UTF-8 is
/// the evidence that does not fade: the damaged seed keeps 6,657 valid characters against its
/// 260 errors (25 to 1), while `seed.gb18030.txt` read as UTF-8 has 8,769 malformed sequences
/// and 2,139 valid characters (1 to 4).
pub const MIN_EVIDENCE_RATIO: usize = 4;

/// Most places (line ranges, byte offsets) an `encoding_damaged` diagnostic lists.
const MAX_LISTED: usize = 20;

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
    /// Offsets in the input of the malformed sequences (and NUL code units) decoded as
    /// U+FFFD, in order; empty for an intact input.
    pub damaged: Vec<usize>,
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
/// A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE). Without one, valid UTF-8 wins, and
/// otherwise GB18030 if it decodes without a single error (GB18030 accepts most byte soup, but
/// not all, so this fallback is checked strictly). Intact inputs take only these strict paths
/// (UTF-8 validated with SIMD).
///
/// An input none of them takes (a malformed sequence, or a NUL) is damaged: it is decoded
/// again with every malformed sequence and NUL as U+FFFD ([`Decoded::damaged`] says where),
/// in the encoding the byte-order mark names, or else as UTF-8 if its valid multi-byte characters outweigh its malformed sequences, GB18030 if its
/// malformed sequences are far fewer than UTF-8's (both by [`MIN_EVIDENCE_RATIO`]). It is
/// refused when neither is clear, or when the damage exceeds
/// [`MAX_MALFORMED_PER_MILLE`]: as `binary` when it holds a NUL, else as `invalid_encoding` at
/// the first malformed byte (for `"UTF-8 or GB18030"`, of whichever of the two decodes
/// further).
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, Error> {
    let invalid = |tried: &'static str, start: usize, unit: Unit, at: usize| {
        Error::new(ErrorKind::InvalidEncoding {
            tried,
            line: line_of(bytes, start, unit, at),
            byte: at as u64,
        })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let nul = find_nul(bytes, 3, Unit::Byte);
        let first_bad = match utf8(rest) {
            Ok(text) if nul.is_none() => {
                return Ok(Decoded {
                    text: Cow::Borrowed(text),
                    encoding: "UTF-8",
                    unit: Unit::Byte,
                    bom: 3,
                    same_bytes: true,
                    damaged: Vec::new(),
                })
            }
            Ok(_) => None,
            Err(e) => Some(3 + e.valid_up_to()),
        };
        let lossy = Lossy::decode(encoding_rs::UTF_8, bytes, 3, Unit::Byte);
        return match (lossy.within_limit(bytes.len()), nul, first_bad) {
            (true, _, _) => Ok(lossy.into_decoded("UTF-8", Unit::Byte, 3)),
            (false, Some(at), _) => Err(binary(bytes, 3, Unit::Byte, at)),
            (false, None, at) => Err(invalid("UTF-8", 3, Unit::Byte, at.unwrap_or(3))),
        };
    }
    for (bom, encoding, unit, name) in [
        (b"\xFF\xFE", UTF_16LE, Unit::U16Le, "UTF-16LE"),
        (b"\xFE\xFF", UTF_16BE, Unit::U16Be, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let nul = find_nul(bytes, 2, unit);
            let first_bad = match (nul, decode_strict(encoding, rest)) {
                (None, Ok(text)) => {
                    return Ok(Decoded {
                        text: Cow::Owned(text),
                        encoding: name,
                        unit,
                        bom: 2,
                        same_bytes: false,
                        damaged: Vec::new(),
                    })
                }
                (_, Ok(_)) => 2,
                (_, Err(at)) => 2 + at,
            };
            let lossy = Lossy::decode(encoding, bytes, 2, unit);
            return match (lossy.within_limit(bytes.len()), nul) {
                (true, _) => Ok(lossy.into_decoded(name, unit, 2)),
                (false, Some(at)) => Err(binary(bytes, 2, unit, at)),
                (false, None) => Err(invalid(name, 2, unit, first_bad)),
            };
        }
    }
    let nul = find_nul(bytes, 0, Unit::Byte);
    let utf8_bad = match (nul, utf8(bytes)) {
        (None, Ok(text)) => {
            return Ok(Decoded {
                text: Cow::Borrowed(text),
                encoding: "UTF-8",
                unit: Unit::Byte,
                bom: 0,
                same_bytes: true,
                damaged: Vec::new(),
            })
        }
        (_, Ok(_)) => 0,
        (_, Err(e)) => e.valid_up_to(),
    };
    let nuls = if nul.is_some() { count_nuls(bytes) } else { 0 };
    let limit = bytes.len().saturating_mul(MAX_MALFORMED_PER_MILLE) / 1000;
    // UTF-8 with a few malformed sequences, if its valid multi-byte characters say so: counted
    // with an early exit, so that a GB18030 input (an error every few bytes) costs little.
    let budget = limit.checked_sub(nuls);
    if let Some(budget) = budget {
        let (malformed, valid) = utf8_evidence(bytes, budget.saturating_add(1));
        if malformed <= budget && valid >= malformed.saturating_mul(MIN_EVIDENCE_RATIO) {
            let u = Lossy::decode(encoding_rs::UTF_8, bytes, 0, Unit::Byte);
            if u.within_limit(bytes.len()) {
                return Ok(u.into_decoded("UTF-8", Unit::Byte, 0));
            }
        }
    }
    let gb_bad = match (nul, decode_strict(GB18030, bytes)) {
        (None, Ok(text)) => {
            return Ok(Decoded {
                text: Cow::Owned(text),
                encoding: "GB18030",
                unit: Unit::Byte,
                bom: 0,
                same_bytes: false,
                damaged: Vec::new(),
            })
        }
        (_, Ok(_)) => 0,
        (_, Err(at)) => at,
    };
    let refused = || match nul {
        Some(at) => binary(bytes, 0, Unit::Byte, at),
        None => invalid("UTF-8 or GB18030", 0, Unit::Byte, gb_bad.max(utf8_bad)),
    };
    if budget.is_none() {
        return Err(refused());
    }
    let g = Lossy::decode(GB18030, bytes, 0, Unit::Byte);
    if !g.within_limit(bytes.len()) {
        return Err(refused());
    }
    // GB18030 with damage only if UTF-8 is clearly worse (counted until that is known).
    let needed = g.malformed.saturating_mul(MIN_EVIDENCE_RATIO);
    if utf8_evidence(bytes, needed).0 < needed {
        return Err(refused());
    }
    Ok(g.into_decoded("GB18030", Unit::Byte, 0))
}

/// Malformed UTF-8 sequences in `bytes` (NULs are valid here, counted apart), stopping once
/// there are `stop` or more (more than `stop` when it is 0), and the valid multi-byte characters seen until then.
fn utf8_evidence(bytes: &[u8], stop: usize) -> (usize, usize) {
    let leads = |s: &[u8]| s.iter().filter(|&&b| b >= 0xC0).count();
    let (mut malformed, mut valid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return (malformed, valid + leads(s.as_bytes())),
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to().min(rest.len()));
                valid += leads(good);
                malformed += 1;
                if malformed >= stop.max(1) {
                    return (malformed, valid);
                }
                let skip = e.error_len().unwrap_or(after.len()).min(after.len());
                rest = after.get(skip..).unwrap_or_default();
            }
        }
    }
}

/// Whether `damaged` places among `len` bytes exceed [`MAX_MALFORMED_PER_MILLE`].
fn over_limit(damaged: usize, len: usize) -> bool {
    damaged.saturating_mul(1000) > len.saturating_mul(MAX_MALFORMED_PER_MILLE)
}

fn count_nuls(bytes: &[u8]) -> usize {
    memchr::memchr_iter(0, bytes).count()
}

/// An input decoded with replacement: every malformed sequence and every NUL code unit is one
/// U+FFFD, and its offset in the input is kept.
struct Lossy {
    text: String,
    /// Input offsets of the malformed sequences and NULs, in order.
    damaged: Vec<usize>,
    /// How many of them are malformed sequences (the rest are NULs).
    malformed: usize,
}

impl Lossy {
    /// Decodes `bytes[start..]`, split at NUL code units: each run between them with a fresh
    /// decoder, so that no character spans a NUL.
    fn decode(encoding: &'static Encoding, bytes: &[u8], start: usize, unit: Unit) -> Lossy {
        let mut out = Lossy {
            text: String::with_capacity(bytes.len().saturating_add(bytes.len() / 2)),
            damaged: Vec::new(),
            malformed: 0,
        };
        let mut pos = start;
        loop {
            let nul = find_nul(bytes, pos, unit);
            let end = nul.unwrap_or(bytes.len());
            out.run(encoding, bytes.get(pos..end).unwrap_or_default(), pos);
            let Some(at) = nul else { break };
            out.text.push('\u{FFFD}');
            out.damaged.push(at);
            pos = at + unit.width();
        }
        out
    }

    /// Decodes one run that starts at input offset `base`.
    fn run(&mut self, encoding: &'static Encoding, src: &[u8], base: usize) {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut read_total = 0;
        loop {
            let rest = src.get(read_total..).unwrap_or_default();
            let need = decoder
                .max_utf8_buffer_length_without_replacement(rest.len())
                .unwrap_or(rest.len().saturating_mul(3));
            self.text
                .reserve(need.min(rest.len().saturating_mul(3)).max(16));
            let (result, read) =
                decoder.decode_to_string_without_replacement(rest, &mut self.text, true);
            read_total += read;
            match result {
                DecoderResult::InputEmpty => return,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, extra) => {
                    let at = read_total
                        .saturating_sub(usize::from(extra))
                        .saturating_sub(usize::from(bad));
                    self.text.push('\u{FFFD}');
                    self.damaged.push(base + at);
                    self.malformed += 1;
                }
            }
        }
    }

    fn within_limit(&self, len: usize) -> bool {
        !over_limit(self.damaged.len(), len)
    }

    fn into_decoded<'a>(self, encoding: &'static str, unit: Unit, bom: usize) -> Decoded<'a> {
        Decoded {
            text: Cow::Owned(self.text),
            encoding,
            unit,
            bom,
            same_bytes: false,
            damaged: self.damaged,
        }
    }
}

/// The `encoding_damaged` diagnostic of a damaged input: how many places were decoded as
/// U+FFFD, on which lines and at which bytes (at most [`MAX_LISTED`] of each), with the origin
/// of the first damaged line. `None` for an intact input.
pub(crate) fn damage_diagnostic(bytes: &[u8], decoded: &Decoded<'_>) -> Option<Diagnostic> {
    let first = *decoded.damaged.first()?;
    // (line, line start) of each damaged place, in one walk over the raw lines.
    let mut lines: Vec<(u32, usize)> = Vec::with_capacity(decoded.damaged.len());
    let mut raw = RawLines::new(bytes, decoded.bom, decoded.unit).peekable();
    let mut current: Option<RawLine> = raw.next();
    let mut line_no: u32 = 1;
    for &at in &decoded.damaged {
        // A place belongs to the last line starting at or before it (line ends are never
        // part of a malformed sequence, so it lies in that line's content).
        while let Some(next) = raw.next_if(|n| n.start <= at) {
            current = Some(next);
            line_no = line_no.saturating_add(1);
        }
        lines.push((line_no, current.map_or(decoded.bom, |l| l.start)));
    }
    let nuls = decoded
        .damaged
        .iter()
        .filter(|&&at| decoded.unit.at(bytes, at) == Some(0))
        .count();
    let n = decoded.damaged.len();
    let mut msg = format!(
        "{n} malformed byte sequence{} decoded as U+FFFD ({})",
        if n == 1 { "" } else { "s" },
        decoded.encoding
    );
    if nuls > 0 {
        msg.push_str(&format!(
            ", {nuls} of them NUL{}",
            if decoded.unit == Unit::Byte {
                " bytes"
            } else {
                " code units"
            }
        ));
    }
    // Line ranges: 12, 40-41, …
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for &(l, _) in &lines {
        match ranges.last_mut() {
            Some((_, hi)) if *hi == l || hi.saturating_add(1) == l => *hi = l,
            _ => ranges.push((l, l)),
        }
    }
    msg.push_str(match ranges.as_slice() {
        [(lo, hi)] if lo == hi => " on line ",
        _ => " on lines ",
    });
    let listed: Vec<String> = ranges
        .iter()
        .take(MAX_LISTED)
        .map(|&(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        })
        .collect();
    msg.push_str(&listed.join(", "));
    if ranges.len() > MAX_LISTED {
        msg.push_str(&format!(" and {} more", ranges.len() - MAX_LISTED));
    }
    let listed: Vec<String> = decoded
        .damaged
        .iter()
        .take(MAX_LISTED)
        .map(usize::to_string)
        .collect();
    msg.push_str(&format!(
        " (byte{} {}",
        if n == 1 { "" } else { "s" },
        listed.join(", ")
    ));
    if n > MAX_LISTED {
        msg.push_str(&format!(" and {} more", n - MAX_LISTED));
    }
    msg.push(')');
    let (line, start) = lines.first().copied().unwrap_or((1, first));
    Some(Diagnostic {
        code: "encoding_damaged".to_string(),
        message: msg,
        origin: Origin::text(line, start as u64),
    })
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
