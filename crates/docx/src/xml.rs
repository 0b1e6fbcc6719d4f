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
        std::str::from_utf8(bytes).map_err(|e| self.error(format!("invalid UTF-8: {e}")))
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
pub(crate) fn attr<'e>(e: &'e BytesStart<'_>, local: &[u8]) -> Option<Cow<'e, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok())
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
