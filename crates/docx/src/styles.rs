//! Pass 1: paragraph styles from `word/styles.xml`, resolved to heading levels.

use std::collections::BTreeMap;

use quick_xml::events::Event;

use crate::error::Error;
use crate::xml::{attr, split_name, Prefixes, Xml};

/// How many `w:basedOn` links are followed before giving up (guards against cycles).
const MAX_BASED_ON_CHAIN: usize = 64;

/// Heading levels of the paragraph styles that are headings.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    /// Every paragraph style id with its resolved level (`None`: not a heading).
    levels: BTreeMap<String, Option<u8>>,
    /// Level of the default paragraph style (applies to paragraphs without `w:pStyle`).
    pub(crate) default_level: Option<u8>,
}

impl Styles {
    /// The heading level of style id `id`. Ids absent from `styles.xml` are read as names
    /// (`Heading1`), which is what Word does for built-in styles.
    pub(crate) fn level(&self, id: &str) -> Option<u8> {
        match self.levels.get(id) {
            Some(l) => *l,
            None => level_from_name(id),
        }
    }
}

/// A heading level from a style name: `heading 1`, `Heading1`, `标题 2` → 1, 1, 2.
pub(crate) fn level_from_name(name: &str) -> Option<u8> {
    let t = name.trim();
    let rest = if t
        .get(..7)
        .is_some_and(|h| h.eq_ignore_ascii_case("heading"))
    {
        t.get(7..)?
    } else {
        t.strip_prefix("标题")?
    };
    match rest.trim_start().parse::<u8>() {
        Ok(n @ 1..=9) => Some(n),
        _ => None,
    }
}

/// The level an `w:outlineLvl` value means: 0 → 1 … 8 → 9; 9 (body text) and beyond → none.
pub(crate) fn outline_to_level(v: u8) -> Option<u8> {
    (v < 9).then_some(v + 1)
}

#[derive(Default)]
struct RawStyle {
    name_level: Option<u8>,
    outline: Option<u8>,
    based_on: Option<String>,
}

/// Read the paragraph styles.
///
/// `styles.xml` is mostly table styles, latent styles and run formatting, none of which can
/// make a heading, so only the `w:style` elements are located (by byte search) and only the
/// paragraph ones are parsed; the rest is not tokenised at all. The prolog (where a DTD
/// would be) and every parsed element are checked as strictly as any other part.
pub(crate) fn parse(bytes: &[u8], part: &str, max_depth: usize) -> Result<Styles, Error> {
    let mut xml = Xml::new(bytes, part, max_depth)?;
    let ns = loop {
        match xml.next()? {
            Event::Start(e) => break Prefixes::from_root(&e),
            Event::Empty(_) | Event::Eof => return Ok(Styles::default()),
            _ => {}
        }
    };
    let p = &ns.w;
    let colon: &[u8] = if p.is_empty() { b"" } else { b":" };
    let open = [b"<", p.as_slice(), colon, b"style"].concat();
    let close = [b"</", p.as_slice(), colon, b"style>"].concat();
    let find_open = memchr::memmem::Finder::new(&open);
    let find_close = memchr::memmem::Finder::new(&close);

    let mut acc = Acc::default();
    let mut pos = usize::try_from(xml.position()).unwrap_or(usize::MAX);
    while let Some(found) = bytes.get(pos..).and_then(|rest| find_open.find(rest)) {
        let start = pos + found;
        let next = bytes.get(start + open.len()).copied();
        if !matches!(next, Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')) {
            pos = start + open.len(); // `<w:styles`, `<w:styleLink` …
            continue;
        }
        let rest = bytes.get(start..).unwrap_or_default();
        let len = find_close
            .find(rest)
            .map_or(rest.len(), |j| j + close.len());
        let slice = rest.get(..len).unwrap_or_default();
        let used = one_style(slice, start, part, max_depth, &ns, &mut acc)?;
        pos = start + used.max(1);
    }
    let Acc { raw, default_id } = acc;
    let resolve = |id: &str| -> Option<u8> {
        let mut next = Some(id);
        for _ in 0..MAX_BASED_ON_CHAIN {
            let s = raw.get(next?)?;
            if let Some(v) = s.outline {
                return outline_to_level(v);
            }
            if s.name_level.is_some() {
                return s.name_level;
            }
            next = s.based_on.as_deref();
        }
        None
    };
    let levels = raw.keys().map(|id| (id.clone(), resolve(id))).collect();
    let default_level = default_id.as_deref().and_then(resolve);
    Ok(Styles {
        levels,
        default_level,
    })
}

#[derive(Default)]
struct Acc {
    raw: BTreeMap<String, RawStyle>,
    default_id: Option<String>,
}

/// Parse one `w:style` element starting at byte `offset`; returns the bytes it used.
fn one_style(
    slice: &[u8],
    offset: usize,
    part: &str,
    max_depth: usize,
    ns: &Prefixes,
    acc: &mut Acc,
) -> Result<usize, Error> {
    let mut xml = Xml::slice(slice, offset, part, max_depth)?;
    let used = |xml: &Xml<'_>| {
        usize::try_from(xml.position()).map_or(slice.len(), |p| p.saturating_sub(offset))
    };
    let (id, mut style) = match xml.next()? {
        Event::Start(e) => {
            let is_para = attr(&e, b"type").is_some_and(|t| t == "paragraph");
            match attr(&e, b"styleId").filter(|_| is_para) {
                Some(id) => {
                    if attr(&e, b"default").is_some_and(|d| d == "1" || d == "true") {
                        acc.default_id = Some(id.to_string());
                    }
                    (id.into_owned(), RawStyle::default())
                }
                None => return Ok(slice.len()),
            }
        }
        _ => return Ok(used(&xml)),
    };
    loop {
        let ev = xml.next()?;
        let e = match &ev {
            Event::Start(e) | Event::Empty(e) => e,
            Event::End(_) if xml.depth() == 0 => break,
            Event::GeneralRef(r) => {
                xml.resolve_ref(r)?;
                continue;
            }
            Event::Eof => return Err(xml.error("unclosed style")),
            _ => continue,
        };
        let (prefix, local) = split_name(e.name().into_inner());
        if prefix != ns.w.as_slice() {
            continue;
        }
        let val = || attr(e, b"val");
        match local {
            b"name" => style.name_level = val().and_then(|v| level_from_name(&v)),
            b"basedOn" => style.based_on = val().map(|v| v.into_owned()),
            b"outlineLvl" => style.outline = val().and_then(|v| v.trim().parse().ok()),
            // Old formatting of tracked changes must not define the style.
            b"pPrChange" | b"rPrChange" if matches!(ev, Event::Start(_)) => {
                let d = xml.depth();
                loop {
                    match xml.next()? {
                        Event::End(_) if xml.depth() < d => break,
                        Event::Eof => return Err(xml.error("unclosed style")),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    acc.raw.insert(id, std::mem::take(&mut style));
    Ok(used(&xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(level_from_name("heading 1"), Some(1));
        assert_eq!(level_from_name("Heading3"), Some(3));
        assert_eq!(level_from_name("标题 2"), Some(2));
        assert_eq!(level_from_name("Heading 1 Char"), None);
        assert_eq!(level_from_name("Title"), None);
        assert_eq!(level_from_name("heading 0"), None);
        assert_eq!(level_from_name("标"), None);
    }

    #[test]
    fn chain_outline_and_default() {
        let xml = r#"<?xml version="1.0"?>
<x:styles xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
 <x:style x:type="paragraph" x:default="1" x:styleId="Normal"><x:name x:val="Normal"/></x:style>
 <x:style x:type="paragraph" x:styleId="1"><x:name x:val="heading 1"/><x:basedOn x:val="Normal"/>
   <x:pPr><x:outlineLvl x:val="0"/></x:pPr></x:style>
 <x:style x:type="paragraph" x:styleId="Mine"><x:name x:val="我的标题"/><x:basedOn x:val="1"/></x:style>
 <x:style x:type="paragraph" x:styleId="Flat"><x:name x:val="flat"/><x:basedOn x:val="1"/>
   <x:pPr><x:outlineLvl x:val="9"/><x:pPrChange><x:pPr><x:outlineLvl x:val="2"/></x:pPr></x:pPrChange></x:pPr></x:style>
 <x:style x:type="paragraph" x:styleId="Loop"><x:name x:val="loop"/><x:basedOn x:val="Loop2"/></x:style>
 <x:style x:type="paragraph" x:styleId="Loop2"><x:name x:val="loop2"/><x:basedOn x:val="Loop"/></x:style>
 <x:style x:type="character" x:styleId="Heading1Char"><x:name x:val="Heading 1 Char"/></x:style>
</x:styles>"#;
        let s = parse(xml.as_bytes(), "word/styles.xml", 64).unwrap();
        assert_eq!(s.level("1"), Some(1));
        assert_eq!(s.level("Mine"), Some(1));
        assert_eq!(s.level("Flat"), None);
        assert_eq!(s.level("Loop"), None);
        assert_eq!(s.level("Normal"), None);
        assert_eq!(s.level("Heading2"), Some(2)); // unknown id read as a name
        assert_eq!(s.default_level, None);
    }
}
