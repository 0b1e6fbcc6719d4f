//! A thin pull-parser driver shared by every part: depth limit, DTD refusal, entity checks and
//! typed errors with byte positions.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::error::{Error, ErrorKind};

/// Pull events from one inflated part. Reading from a slice is zero-copy: events borrow the
/// part's bytes, so no per-event buffer (or allocation) is needed.
pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    part: &'a str,
    depth: usize,
    max_depth: usize,
    /// Where `bytes` starts inside the part (for positions when reading a slice of it).
    offset: u64,
}

impl<'a> Xml<'a> {
    pub(crate) fn new(bytes: &'a [u8], part: &'a str, max_depth: usize) -> Result<Self, Error> {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(Error::new(ErrorKind::Xml {
                part: part.to_string(),
                byte: 0,
                message: "UTF-16 XML parts are not supported".into(),
            }));
        }
        Ok(Xml {
            reader: Reader::from_reader(bytes),
            part,
            depth: 0,
            max_depth,
            offset: 0,
        })
    }

    /// Read `bytes`, a slice starting at byte `offset` of the part, as if it were the part.
    pub(crate) fn slice(
        bytes: &'a [u8],
        offset: usize,
        part: &'a str,
        max_depth: usize,
    ) -> Result<Self, Error> {
        let mut x = Xml::new(bytes, part, max_depth)?;
        x.offset = offset as u64;
        Ok(x)
    }

    /// Current element depth (the root element is depth 1 while it is open).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// Byte offset just past the last event.
    pub(crate) fn position(&self) -> u64 {
        self.offset + self.reader.buffer_position()
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Xml {
            part: self.part.to_string(),
            byte: self.position(),
            message: message.into(),
        })
    }

    pub(crate) fn too_deep(&self) -> Error {
        Error::new(ErrorKind::TooDeep {
            part: self.part.to_string(),
            byte: self.position(),
            limit: self.max_depth,
        })
    }

    /// The next event; `Eof` at the end. `Start` and `End` are depth-checked.
    // Inlined into the per-part loops: as a call, returning the (large) event through memory
    // cost ~40 instructions per event, about 5% of a read.
    #[inline(always)]
    pub(crate) fn next(&mut self) -> Result<Event<'a>, Error> {
        let start = self.position();
        match self.reader.read_event() {
            Ok(ev) => {
                match &ev {
                    Event::Start(_) => {
                        self.depth += 1;
                        if self.depth > self.max_depth {
                            return Err(self.too_deep());
                        }
                    }
                    Event::End(_) => self.depth = self.depth.saturating_sub(1),
                    Event::DocType(_) => {
                        return Err(Error::new(ErrorKind::Dtd {
                            part: self.part.to_string(),
                            byte: start,
                        }))
                    }
                    _ => {}
                }
                Ok(ev)
            }
            Err(e) => Err(Error::new(ErrorKind::Xml {
                part: self.part.to_string(),
                byte: self.offset + self.reader.error_position(),
                message: e.to_string(),
            })),
        }
    }

    /// Decode a text run (no entities inside: quick-xml reports them as `GeneralRef`).
    pub(crate) fn text<'t>(&self, bytes: &'t [u8]) -> Result<&'t str, Error> {
        // SIMD validation first (mostly Chinese text, where std's check costs ~10 instructions
        // a byte); std again only on failure, for its error message.
        simdutf8::basic::from_utf8(bytes)
            .or_else(|_| std::str::from_utf8(bytes))
            .map_err(|e| self.error(format!("invalid UTF-8: {e}")))
    }

    /// Resolve `&amp;`, `&#x41;` and friends. Anything else would need a DTD, which is refused.
    pub(crate) fn resolve_ref(&self, r: &BytesRef<'_>) -> Result<RefText, Error> {
        match r.resolve_char_ref() {
            Ok(Some(c)) => return Ok(RefText::Char(c)),
            Ok(None) => {}
            Err(e) => return Err(self.error(e.to_string())),
        }
        let name = self.text(r)?;
        match quick_xml::escape::resolve_predefined_entity(name) {
            Some(s) => Ok(RefText::Str(s)),
            None => Err(self.error(format!("undefined entity &{name};"))),
        }
    }
}

/// The text an entity reference stands for.
pub(crate) enum RefText {
    Char(char),
    Str(&'static str),
}

/// An attribute value by local name (any prefix: `w:val`, `val`); `None` if absent or broken.
///
/// The plain case (well-formed attributes before the match, no entity in its value) is
/// scanned by hand: quick-xml's attribute iterator cost ~600 instructions per lookup. Anything
/// else is left to quick-xml, so results are always quick-xml's.
pub(crate) fn attr<'e>(e: &'e BytesStart<'_>, local: &[u8]) -> Option<Cow<'e, str>> {
    match scan_attr(e.attributes_raw(), local) {
        Scan::Found(v) => Some(Cow::Borrowed(v)),
        Scan::Absent => None,
        Scan::Unusual => attr_by_quick_xml(e, local),
    }
}

fn attr_by_quick_xml<'e>(e: &'e BytesStart<'_>, local: &[u8]) -> Option<Cow<'e, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok())
}

enum Scan<'a> {
    Found(&'a str),
    Absent,
    /// Syntax quick-xml recovers from in its own way, an entity, or invalid UTF-8.
    Unusual,
}

/// XML whitespace, as quick-xml defines it.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\r' | b'\n' | b'\t')
}

fn trim_ws(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| is_ws(b)).count();
    s.get(n..).unwrap_or_default()
}

/// `key = "value"` pairs exactly as quick-xml's XML-mode iterator reads them when they are
/// well formed; the first irregularity gives up (`Unusual`), since quick-xml then recovers
/// and may still find the attribute further on.
fn scan_attr<'a>(raw: &'a [u8], local: &[u8]) -> Scan<'a> {
    let mut rest = raw;
    loop {
        rest = trim_ws(rest);
        // quick-xml takes a leading `=` as part of the key.
        match rest.first() {
            None => return Scan::Absent,
            Some(b'=') => return Scan::Unusual,
            Some(_) => {}
        }
        let Some(key_end) = rest.iter().position(|&b| b == b'=' || is_ws(b)) else {
            return Scan::Unusual;
        };
        let (key, after) = rest.split_at(key_end);
        let Some((b'=', after)) = trim_ws(after).split_first() else {
            return Scan::Unusual;
        };
        let Some((&quote, after)) = trim_ws(after).split_first() else {
            return Scan::Unusual;
        };
        if quote != b'"' && quote != b'\'' {
            return Scan::Unusual;
        }
        // Values and keys are short: a plain loop beats memchr's dispatch here.
        let Some(value_end) = after.iter().position(|&b| b == quote) else {
            return Scan::Unusual;
        };
        let (value, tail) = after.split_at(value_end);
        rest = tail.get(1..).unwrap_or_default();
        let key_local = match key.iter().position(|&b| b == b':') {
            Some(i) => key.get(i + 1..).unwrap_or_default(),
            None => key,
        };
        if key_local == local {
            if value.contains(&b'&') {
                return Scan::Unusual;
            }
            return match std::str::from_utf8(value) {
                Ok(v) => Scan::Found(v),
                Err(_) => Scan::Unusual,
            };
        }
    }
}

/// Split a qualified name into (prefix, local name).
pub(crate) fn split_name(name: &[u8]) -> (&[u8], &[u8]) {
    match name.iter().position(|&b| b == b':') {
        Some(i) => {
            let (p, l) = name.split_at(i);
            (p, l.get(1..).unwrap_or_default())
        }
        None => (&[], name),
    }
}

/// The namespace prefixes bound on the root element, so that parts written with unusual
/// prefixes (`ns0:p`, a default namespace) are still read.
#[derive(Clone, Debug)]
pub(crate) struct Prefixes {
    pub(crate) w: Vec<u8>,
    pub(crate) mc: Vec<u8>,
}

const W_NS: &[&[u8]] = &[
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

impl Default for Prefixes {
    fn default() -> Self {
        Prefixes {
            w: b"w".to_vec(),
            mc: b"mc".to_vec(),
        }
    }
}

impl Prefixes {
    pub(crate) fn from_root(e: &BytesStart<'_>) -> Self {
        let mut p = Prefixes::default();
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            let prefix = if key == b"xmlns" {
                Some(&b""[..])
            } else {
                key.strip_prefix(b"xmlns:")
            };
            let Some(prefix) = prefix else { continue };
            let value = a.value.as_ref();
            if W_NS.contains(&value) {
                p.w = prefix.to_vec();
            } else if value == MC_NS {
                p.mc = prefix.to_vec();
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start tag `<x{attrs}{end}` as the reader gives it; `None` if the reader refuses it.
    fn start(attrs: &[u8], end: &[u8]) -> Option<BytesStart<'static>> {
        let mut doc = b"<x".to_vec();
        doc.extend_from_slice(attrs);
        doc.extend_from_slice(end);
        let mut reader = Reader::from_reader(&doc[..]);
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => Some(e.into_owned()),
            _ => None,
        }
    }

    fn fast<'e>(e: &'e BytesStart<'_>, local: &[u8]) -> Option<Cow<'e, str>> {
        attr(e, local)
    }

    #[test]
    fn plain_attributes_are_found_by_the_scanner() {
        let cases: &[(&[u8], &[u8], Option<&str>)] = &[
            (b" w:val=\"restart\"", b"val", Some("restart")),
            (b" w:val='2'", b"val", Some("2")),
            (b"\tw:val \n=\r\n \"x y\"", b"val", Some("x y")),
            (b" w:type=\"page\" w:val=\"3\"", b"val", Some("3")),
            (b" val=\"a\" w:val=\"b\"", b"val", Some("a")),
            (b" w:val=\"\"", b"val", Some("")),
            (b" w:val=\"it's\" ", b"val", Some("it's")),
            (b" w:val='say \"hi\"'", b"val", Some("say \"hi\"")),
            (b" w:val=\"a>b\"", b"val", Some("a>b")),
            (b" w:val=\"\xe4\xb8\x80\"", b"val", Some("\u{4e00}")),
            (b" x:y:val=\"1\"", b"y:val", Some("1")),
            (b" w:vals=\"1\"", b"val", None),
            (b" w:va=\"1\"", b"val", None),
            (b"", b"val", None),
            (b"   ", b"val", None),
        ];
        for &(raw, local, want) in cases {
            let e = start(raw, b"/>").unwrap();
            assert_eq!(e.attributes_raw(), raw);
            assert!(
                !matches!(scan_attr(raw, local), Scan::Unusual),
                "{:?}",
                String::from_utf8_lossy(raw)
            );
            assert_eq!(
                fast(&e, local).as_deref(),
                want,
                "{:?}",
                String::from_utf8_lossy(raw)
            );
            assert_eq!(attr_by_quick_xml(&e, local).as_deref(), want);
        }
    }

    #[test]
    fn unusual_attributes_get_quick_xmls_answer() {
        let cases: &[(&[u8], Option<&str>)] = &[
            // Entities are unescaped.
            (b" w:val=\"a&amp;b\"", Some("a&b")),
            (b" w:val=\"&#x41;\"", Some("A")),
            (b" w:val=\"&bogus;\"", None),
            // A broken attribute before the one looked for: quick-xml recovers.
            (b" w:flag w:val=\"1\"", Some("1")),
            (b" w:x=y w:val=\"1\"", Some("1")),
            (b" =\"0\" w:val=\"1\"", Some("1")),
            (b" w:val", None),
            (b" w:val=", None),
            (b" w:val=\"\xff\"", None),
        ];
        for &(raw, want) in cases {
            let e = start(raw, b">").unwrap();
            assert_eq!(e.attributes_raw(), raw);
            assert!(
                matches!(scan_attr(raw, b"val"), Scan::Unusual),
                "{:?}",
                String::from_utf8_lossy(raw)
            );
            assert_eq!(
                fast(&e, b"val").as_deref(),
                want,
                "{:?}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    /// Every string of up to five bytes over an alphabet of attribute syntax, after a fixed
    /// prefix and before a fixed suffix: the scanner agrees with quick-xml on all of them.
    #[test]
    fn scanner_agrees_with_quick_xml_exhaustively() {
        const ALPHABET: &[u8] = b" =\"':&;v\xc3";
        let affixes: &[(&[u8], &[u8])] = &[
            (b"", b""),
            (b" w:val=\"", b""),
            (b" v", b"=\"z\" v='y'"),
            (b" a=\"1\" ", b" v=\"2\""),
        ];
        let mut buf = Vec::new();
        let mut n = 0u64;
        for len in 0..=5u32 {
            for mut code in 0..(ALPHABET.len() as u64).pow(len) {
                let mut mid = Vec::new();
                for _ in 0..len {
                    mid.push(ALPHABET[(code % ALPHABET.len() as u64) as usize]);
                    code /= ALPHABET.len() as u64;
                }
                for (&(pre, post), end) in affixes.iter().zip([&b"/>"[..], b">"].iter().cycle()) {
                    buf.clear();
                    buf.extend_from_slice(pre);
                    buf.extend_from_slice(&mid);
                    buf.extend_from_slice(post);
                    let Some(e) = start(&buf, end) else { continue };
                    for local in [&b"v"[..], b"val", b""] {
                        assert_eq!(
                            fast(&e, local),
                            attr_by_quick_xml(&e, local),
                            "{:?} {:?}",
                            String::from_utf8_lossy(&buf),
                            String::from_utf8_lossy(local)
                        );
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 300_000, "{n}");
    }
}
