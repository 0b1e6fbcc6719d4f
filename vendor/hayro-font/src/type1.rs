use crate::GlyphId;
use crate::program::FontProgram;
use crate::standard_font::{StandardFont, StandardKind, select_standard_font};
use crate::true_type::{Width, read_encoding, read_widths};
use crate::{
    Encoding, FallbackFontQuery, glyph_name_to_unicode, normalized_glyph_name, read_to_unicode,
};
use crate::{FontLoader, ProgramLoader};
use hayro_cmap::{BfString, CMap};
use hayro_syntax::object::Dict;
use hayro_syntax::object::Stream;
use hayro_syntax::object::dict::keys::{FONT_DESC, FONT_FILE, FONT_FILE3};
use rustc_hash::FxHashMap;

#[derive(Debug)]
pub(crate) struct Type1Font(Kind, Option<CMap>);

impl Type1Font {
    pub(crate) fn new(dict: &Dict<'_>, loader: &FontLoader<'_>) -> Option<Self> {
        let to_unicode = read_to_unicode(dict, loader.cmap_resolver);

        let fallback = || {
            // TODO: Actually use fallback fonts
            let fallback_query = FallbackFontQuery::new(dict);
            let standard_font = fallback_query.pick_standard_font();

            Some(Self(
                Kind::Standard(StandardKind::new_with_standard(
                    dict,
                    standard_font,
                    true,
                    &loader.programs,
                )?),
                to_unicode.clone(),
            ))
        };

        // tablift patch: with a ToUnicode map, an embedded program is parsed only when
        // something needs it (see ProgramSlot).
        let inner = if let Some(embedded) = EmbeddedKind::new(dict, loader, to_unicode.is_some()) {
            Self(Kind::Embedded(embedded), to_unicode)
        } else if has_font_file(dict) {
            return fallback();
        } else if let Some(standard) = StandardKind::new(dict, &loader.programs) {
            Self(Kind::Standard(standard), to_unicode)
        } else {
            return fallback();
        };

        Some(inner)
    }

    pub(crate) fn new_standard(font: StandardFont, loader: &ProgramLoader<'_>) -> Option<Self> {
        let dict = Dict::default();
        let standard = StandardKind::new_with_standard(&dict, font, true, loader)?;

        Some(Self(Kind::Standard(standard), None))
    }

    /// The glyph of `code`; [`GlyphId::DEFERRED`] for an embedded program not parsed yet
    /// (tablift patch: [`Type1Font::resolve`] maps it when the glyph itself is needed).
    pub(crate) fn map_code(&self, code: u8) -> GlyphId {
        match &self.0 {
            Kind::Standard(s) => s.map_code(code),
            Kind::Embedded(e) if e.program.is_deferred() => GlyphId::DEFERRED,
            Kind::Embedded(e) => e.map_code(code),
        }
    }

    /// `glyph` as [`Type1Font::map_code`] gave it for `code`, with a deferred one mapped.
    pub(crate) fn resolve(&self, glyph: GlyphId, code: u8) -> GlyphId {
        match &self.0 {
            Kind::Embedded(e) if glyph == GlyphId::DEFERRED => e.map_code(code),
            _ => glyph,
        }
    }

    /// The program; `None` for an embedded one that turned out not to parse (upstream would
    /// have used a standard font in its place from the start).
    pub(crate) fn program(&self) -> Option<FontProgram> {
        match &self.0 {
            Kind::Standard(s) => Some(s.program.clone()),
            Kind::Embedded(e) => e.program.get().cloned(),
        }
    }

    pub(crate) fn is_standard(&self) -> bool {
        matches!(self.0, Kind::Standard(_))
    }

    pub(crate) fn glyph_stretch(&self, glyph: GlyphId, code: u8) -> f64 {
        match &self.0 {
            Kind::Standard(s) => s.glyph_stretch(glyph, code),
            Kind::Embedded(_) => 1.0,
        }
    }

    pub(crate) fn glyph_width(&self, code: u8) -> Option<f32> {
        match &self.0 {
            Kind::Standard(s) => s.glyph_width(code),
            Kind::Embedded(e) => e.glyph_width(code),
        }
    }

    pub(crate) fn char_code_to_unicode(&self, char_code: u32) -> Option<BfString> {
        if let Some(to_unicode) = &self.1
            && let Some(c) = to_unicode.lookup_bf_string(char_code)
        {
            // Skip null character mappings and fall back to glyph name
            // lookup. Some PDFs have incorrect ToUnicode mappings that map
            // to U+0000.
            if c != BfString::Char('\0') {
                return Some(c);
            }
        }

        let code = char_code as u8;
        match &self.0 {
            Kind::Standard(s) => s.char_code_to_unicode(code),
            Kind::Embedded(e) => e.char_code_to_unicode(code),
        }
    }
}

#[derive(Debug)]
enum Kind {
    Standard(StandardKind),
    Embedded(EmbeddedKind),
}

/// tablift patch: an embedded program, parsed now or on first use.
///
/// Parsing a Type 1 program (eexec decryption, every charstring) was 14% of what `tablift
/// extract` spends on a LibreOffice PDF, whose CJK subsets are Type 1 with ToUnicode maps,
/// while text extraction needs the program only for codes the ToUnicode map lacks and for
/// widths the font dictionary lacks.
enum ProgramSlot {
    Ready(FontProgram),
    Deferred {
        data: Deferred,
        parsed: std::cell::OnceCell<Option<FontProgram>>,
    },
}

/// The bytes of a deferred program: decoded, or (the common `/FlateDecode` without
/// parameters) still compressed, since inflating them was another 8% of the run.
enum Deferred {
    Decoded(crate::FontData),
    Deflated(Vec<u8>),
}

impl Deferred {
    fn program(&self) -> Option<FontProgram> {
        match self {
            Self::Decoded(data) => FontProgram::new(data.clone(), 0),
            Self::Deflated(raw) => FontProgram::new(std::sync::Arc::new(inflate(raw)?), 0),
        }
    }

    /// `stream`'s bytes to parse later: compressed if its one filter is `/FlateDecode`
    /// without parameters (nothing but inflating to redo), else decoded now.
    fn of(stream: &Stream<'_>) -> Option<Self> {
        use hayro_syntax::object::dict::keys::{DECODE_PARMS, DP};
        let filters = stream.filters();
        let plain_flate = filters.len() == 1
            && filters.first() == Some(&hayro_syntax::Filter::FlateDecode)
            && !stream.dict().contains_key(DP)
            && !stream.dict().contains_key(DECODE_PARMS);
        if plain_flate {
            Some(Self::Deflated(stream.raw_data().into_owned()))
        } else {
            Some(Self::Decoded(std::sync::Arc::new(
                stream.decoded_data().ok()?.into_owned(),
            )))
        }
    }
}

/// zlib, else raw deflate, as hayro-syntax's `FlateDecode` tries first (its last resort, a
/// port of pdf.js's decoder for damaged streams, is not tried: a program that does not
/// inflate reads as one that does not parse).
fn inflate(raw: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    if flate2::read::ZlibDecoder::new(raw)
        .read_to_end(&mut out)
        .is_ok()
    {
        return Some(out);
    }
    out.clear();
    flate2::read::DeflateDecoder::new(raw)
        .read_to_end(&mut out)
        .ok()
        .map(|_| out)
}

impl ProgramSlot {
    fn is_deferred(&self) -> bool {
        matches!(self, Self::Deferred { .. })
    }

    fn get(&self) -> Option<&FontProgram> {
        match self {
            Self::Ready(p) => Some(p),
            Self::Deferred { data, parsed } => parsed.get_or_init(|| data.program()).as_ref(),
        }
    }
}

impl std::fmt::Debug for ProgramSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Ready(p) => write!(f, "Ready({p:?})"),
            Self::Deferred { parsed, .. } => {
                write!(f, "Deferred(parsed: {})", parsed.get().is_some())
            }
        }
    }
}

#[derive(Debug)]
struct EmbeddedKind {
    program: ProgramSlot,
    encoding: Encoding,
    widths: Vec<Width>,
    missing_width: f32,
    encodings: FxHashMap<u8, String>,
    standard_font: Option<StandardFont>,
}

impl EmbeddedKind {
    fn new(dict: &Dict<'_>, loader: &FontLoader<'_>, deferrable: bool) -> Option<Self> {
        let descriptor = dict.get::<Dict<'_>>(FONT_DESC)?;
        let font_file3 = descriptor.get::<Stream<'_>>(FONT_FILE3);
        let type1_file = font_file3.is_none();
        let data = font_file3.or_else(|| descriptor.get::<Stream<'_>>(FONT_FILE))?;
        // Only Type 1 programs (`/FontFile`) are deferred: theirs is the costly parse.
        let program = if deferrable && type1_file {
            ProgramSlot::Deferred {
                data: Deferred::of(&data)?,
                parsed: std::cell::OnceCell::new(),
            }
        } else {
            ProgramSlot::Ready(loader.programs.load(&data)?)
        };

        let (encoding, encodings) = read_encoding(dict);
        let (widths, missing_width) = read_widths(dict, &descriptor)?;
        let standard_font = select_standard_font(dict, &descriptor).map(|(f, _)| f);

        Some(Self {
            program,
            encoding,
            widths,
            missing_width,
            encodings,
            standard_font,
        })
    }

    fn glyph_by_name(&self, name: &str) -> Option<GlyphId> {
        let program = self.program.get()?;
        program
            .glyph_by_name(name)
            .or_else(|| program.glyph_by_name(normalized_glyph_name(name)))
    }

    fn map_code(&self, code: u8) -> GlyphId {
        if let Some(entry) = self.encodings.get(&code) {
            self.glyph_by_name(entry)
        } else {
            match self.encoding {
                // For OpenType programs, this uses the encoding of the CFF table instead of
                // the "cmap" table described in 9.6.5.4 of the PDF specification, as other
                // viewers do.
                Encoding::BuiltIn => self
                    .program
                    .get()
                    .and_then(|p| p.builtin_encoding_glyph(code)),
                _ => self
                    .encoding
                    .map_code(code)
                    .and_then(|name| self.glyph_by_name(name)),
            }
        }
        .unwrap_or(GlyphId::NOTDEF)
    }

    fn code_to_ps_name(&self, code: u8) -> Option<&str> {
        if let Some(entry) = self.encodings.get(&code) {
            Some(entry.as_str())
        } else {
            match self.encoding {
                Encoding::BuiltIn => match self.program.get() {
                    Some(program) => program.builtin_encoding_glyph_name(code),
                    // tablift patch: a deferred program that does not parse. Upstream
                    // would have put a standard font in its place, whose encoding is
                    // StandardEncoding: the same names.
                    None if self.program.is_deferred() => Encoding::Standard.map_code(code),
                    None => None,
                },
                _ => self.encoding.map_code(code),
            }
        }
    }

    fn glyph_width(&self, code: u8) -> Option<f32> {
        match self.widths.get(code as usize).copied() {
            Some(Width::Value(w)) => Some(w),
            Some(Width::Missing) => Some(self.missing_width),
            _ => {
                // If font looks like a standard font, get the width from there.
                let sf = self.standard_font?;
                self.code_to_ps_name(code)
                    .and_then(|name| sf.get_width(name))
            }
        }
    }

    fn char_code_to_unicode(&self, code: u8) -> Option<BfString> {
        let is_zapf_dingbats = matches!(self.standard_font, Some(StandardFont::ZapfDingBats));
        self.code_to_ps_name(code)
            .and_then(|name| glyph_name_to_unicode(name, is_zapf_dingbats))
    }
}

fn has_font_file(dict: &Dict<'_>) -> bool {
    dict.get::<Dict<'_>>(FONT_DESC)
        .is_some_and(|dict| dict.contains_key(FONT_FILE) || dict.contains_key(FONT_FILE3))
}
