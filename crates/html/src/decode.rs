//! Encoding detection and decoding of HTML pages, and the map from decoded `<` positions back
//! to offsets in the original bytes.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use tablift_model::read::{FailureKind, ReadError};

/// How far into the page a `<meta charset>` is looked for (as the HTML standard's prescan).
pub(crate) const PRESCAN_BYTES: usize = 1024;
/// How far into the page a NUL byte marks binary input.
const NUL_SCAN_BYTES: usize = 8192;

/// A decoded page.
pub(crate) struct Decoded<'a> {
    pub(crate) text: Cow<'a, str>,
    /// `"UTF-8"`, `"GB18030"`, `"UTF-16LE"`, … (encoding_rs names, GB18030 upper-cased as the
    /// text-export reader writes it).
    pub(crate) encoding: &'static str,
    /// Length of the byte-order mark that was skipped.
    pub(crate) bom: usize,
    /// The encoding used (for mapping `<` positions back to bytes).
    enc: &'static Encoding,
}

fn name(enc: &'static Encoding) -> &'static str {
    if enc == GB18030 {
        "GB18030"
    } else {
        enc.name()
    }
}

/// Detects the encoding and decodes.
///
/// A byte-order mark decides. Otherwise a `<meta charset>` or `http-equiv` content type in the
/// first [`PRESCAN_BYTES`] bytes names it (GB2312 and GBK are read with the GB18030 decoder,
/// their superset); a page labelled UTF-8 that is not valid UTF-8 but decodes cleanly as
/// GB18030 is read as GB18030, and a page labelled GB* that is valid UTF-8 is read as UTF-8
/// (GBK text is almost never valid UTF-8). Without a label: UTF-8 if valid, else GB18030 if it decodes without
/// an error, else an `invalid_encoding` error. A NUL byte in the first 8 KiB of a page without
/// a UTF-16 BOM is `binary`. A labelled page is decoded as browsers do, replacing malformed
/// sequences.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, ReadError> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom..).unwrap_or_default();
        if enc == UTF_8 {
            check_nul(rest, bom)?;
        }
        let (text, _) = enc.decode_without_bom_handling(rest);
        return Ok(Decoded {
            text,
            encoding: name(enc),
            bom,
            enc,
        });
    }
    check_nul(bytes, 0)?;
    let label = prescan(bytes.get(..PRESCAN_BYTES).unwrap_or(bytes));
    // SIMD validation (as the text-export reader's): std's was 0.55 M instructions per
    // 227 KB page, 3% of the whole run.
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    let strict_gb = || GB18030.decode_without_bom_handling_and_without_replacement(bytes);
    match label {
        Some(enc) if enc != UTF_8 => {
            let enc = if enc == GBK { GB18030 } else { enc };
            // GBK text is almost never valid UTF-8, while UTF-8 pages under a GB2312 label
            // (an old template re-saved) are common: valid UTF-8 wins over a GB label.
            if enc == GB18030 {
                if let Some(text) = utf8 {
                    return Ok(borrowed_utf8(text));
                }
            }
            let (text, _) = enc.decode_without_bom_handling(bytes);
            Ok(Decoded {
                text,
                encoding: name(enc),
                bom: 0,
                enc,
            })
        }
        // Labelled UTF-8, or no label.
        _ => {
            if let Some(text) = utf8 {
                return Ok(borrowed_utf8(text));
            }
            if let Some(text) = strict_gb() {
                return Ok(Decoded {
                    text,
                    encoding: "GB18030",
                    bom: 0,
                    enc: GB18030,
                });
            }
            if label.is_some() {
                let (text, _) = UTF_8.decode_without_bom_handling(bytes);
                return Ok(Decoded {
                    text,
                    encoding: "UTF-8",
                    bom: 0,
                    enc: UTF_8,
                });
            }
            let at = std::str::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            Err(
                ReadError::new(FailureKind::InvalidEncoding, "neither UTF-8 nor GB18030")
                    .at(Some(format!("byte {at}"))),
            )
        }
    }
}

fn borrowed_utf8(text: &str) -> Decoded<'_> {
    Decoded {
        text: Cow::Borrowed(text),
        encoding: "UTF-8",
        bom: 0,
        enc: UTF_8,
    }
}

fn check_nul(bytes: &[u8], base: usize) -> Result<(), ReadError> {
    let head = bytes.get(..NUL_SCAN_BYTES).unwrap_or(bytes);
    match head.iter().position(|&b| b == 0) {
        Some(at) => Err(ReadError::new(
            FailureKind::Binary,
            "a NUL byte: binary data, not an HTML page",
        )
        .at(Some(format!("byte {}", base + at)))),
        None => Ok(()),
    }
}

/// The encoding named by the first `<meta>` that names one: `charset="…"`, or `charset=` in a
/// `content` attribute (`http-equiv="content-type"`). A UTF-16 label means UTF-8, as in
/// browsers (a page that can be prescanned as ASCII is not UTF-16).
pub(crate) fn prescan(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while let Some(at) = find_ci(head.get(i..)?, b"<meta") {
        let start = i + at + 5;
        let end = head
            .get(start..)?
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| start + e);
        let tag = head.get(start..end)?;
        if let Some(c) = find_ci(tag, b"charset") {
            let rest = tag.get(c + 7..)?;
            let rest = skip_ws(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = skip_ws(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .unwrap_or(rest.len());
                if let Some(enc) = rest.get(..len).and_then(Encoding::for_label) {
                    return Some(if enc == UTF_16LE || enc == UTF_16BE {
                        UTF_8
                    } else {
                        enc
                    });
                }
            }
        }
        i = end;
    }
    None
}

fn skip_ws(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    b.get(n..).unwrap_or_default()
}

/// Case-insensitive search for an ASCII needle.
pub(crate) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Offsets in the original bytes of every `<` of the decoded text, in order: in every encoding
/// the reader decodes, a `<` byte (or UTF-16 unit) is always a `<` character, and a decoder
/// never swallows one into a malformed sequence (the WHATWG decoders put an ASCII byte back),
/// so the k-th `<` of the text is the k-th `<` of the bytes. `None` if the counts differ
/// anyway (then offsets fall back to decoded offsets plus the BOM).
pub(crate) fn lt_offsets(bytes: &[u8], d: &Decoded<'_>) -> Option<Vec<u64>> {
    let body = bytes.get(d.bom..)?;
    let mut out = Vec::new();
    if d.enc == UTF_16LE || d.enc == UTF_16BE {
        let le = d.enc == UTF_16LE;
        for (i, pair) in body.chunks_exact(2).enumerate() {
            let unit = match pair {
                [a, b] if le => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => continue,
            };
            if unit == u16::from(b'<') {
                out.push((d.bom + 2 * i) as u64);
            }
        }
    } else if d.enc.is_ascii_compatible() {
        // memchr rather than a byte loop: this pass and the count below were ~3M
        // instructions per 227 KB page (callgrind), a twentieth of the whole read.
        out.extend(memchr::memchr_iter(b'<', body).map(|i| (d.bom + i) as u64));
        // A page read as UTF-8 without a copy *is* the bytes: the counts agree.
        if std::ptr::eq(d.text.as_bytes(), body) {
            return Some(out);
        }
    } else {
        return None;
    }
    let in_text = memchr::memchr_iter(b'<', d.text.as_bytes()).count();
    (in_text == out.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_labels() {
        assert_eq!(prescan(b"<meta charset=\"gb2312\">"), Some(GBK));
        assert_eq!(
            prescan(b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=GBK\">"),
            Some(GBK)
        );
        assert_eq!(prescan(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(
            prescan(b"<meta name=x><meta charset='utf-8'/>"),
            Some(UTF_8)
        );
        assert_eq!(prescan(b"<meta charset=nonsense>"), None);
        assert_eq!(prescan(b"<p>charset=gbk"), None);
    }

    #[test]
    fn lt_map_in_gb18030() {
        let (bytes, _, _) = GB18030.encode("<p>项目<b>编码</b>");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(lt_offsets(&bytes, &d), Some(vec![0, 7, 14]));
    }
}
