//! Embedded Type 1 fonts: text through the ToUnicode map, and through the font program's
//! built-in encoding where the map has no entry.
//!
//! The vendored hayro-font parses a Type 1 program that comes with a ToUnicode map only when
//! something needs it (vendor/hayro-font/PATCHED.md). These pages check that a code the map
//! lacks still reads through the program, whether its `/FontFile` is plain, hex or
//! `/FlateDecode`d, and that a program that does not parse reads as upstream reads it.

use std::io::Write;

use tablift_model::Block;
use tablift_pdf::{read, Limits};

mod common;
use common::pdf;

/// eexec / charstring encryption (Adobe Type 1 Font Format, ch. 7).
fn encrypt(plain: &[u8], mut r: u16) -> Vec<u8> {
    plain
        .iter()
        .map(|&p| {
            let c = p ^ (r >> 8) as u8;
            r = (u16::from(c).wrapping_add(r))
                .wrapping_mul(52845)
                .wrapping_add(22719);
            c
        })
        .collect()
}

/// A PFA font whose built-in encoding maps 65 → /A, 66 → /eacute, 67 → /germandbls (not
/// StandardEncoding's B and C, so that a test tells the program's encoding from a guess):
/// every glyph an empty 500-unit advance, the private part hex-encoded (an ASCII program).
fn type1_program() -> Vec<u8> {
    // lenIV 4 bytes, then `0 500 hsbw endchar`.
    let charstring = encrypt(&[0, 0, 0, 0, 139, 248, 136, 13, 14], 4330);
    let mut private = b"\0\0\0\0dup /Private 8 dict dup begin\n\
        /RD{string currentfile exch readstring pop}executeonly def\n\
        /ND{noaccess def}executeonly def\n\
        /NP{noaccess put}executeonly def\n\
        /lenIV 4 def\n\
        /Subrs 0 array\nND\n\
        2 index /CharStrings 4 dict dup begin\n"
        .to_vec();
    for name in [".notdef", "A", "eacute", "germandbls"] {
        private.extend_from_slice(format!("/{name} {} RD ", charstring.len()).as_bytes());
        private.extend_from_slice(&charstring);
        private.extend_from_slice(b" ND\n");
    }
    private.extend_from_slice(b"end\nend\nreadonly put\nnoaccess put\ndup /FontName get exch definefont pop\nmark currentfile closefile\n");
    let hex: String = encrypt(&private, 55665)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut font = b"%!PS-AdobeFont-1.0: TestOne 001.000\n\
        12 dict begin\n/FontType 1 def\n/FontName /TestOne def\n/PaintType 0 def\n\
        /FontMatrix [0.001 0 0 0.001 0 0] readonly def\n/FontBBox {0 0 500 700} readonly def\n\
        /Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
        dup 65 /A put\ndup 66 /eacute put\ndup 67 /germandbls put\nreadonly def\n\
        currentdict end\ncurrentfile eexec\n"
        .to_vec();
    for line in hex.as_bytes().chunks(64) {
        font.extend_from_slice(line);
        font.push(b'\n');
    }
    font.extend_from_slice(&[b'0'; 64]);
    font.extend_from_slice(b"\ncleartomark\n");
    font
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// How the page's font file is stored.
enum FontFile {
    Plain,
    Flate,
    /// Bytes that are no Type 1 program at all.
    Broken,
}

/// One line of text, `(ABC)`, in the test font; `to_unicode`: its map's `bfchar` entries.
fn page(file: FontFile, to_unicode: Option<&str>) -> Vec<u8> {
    let program = type1_program();
    let font_file = match file {
        FontFile::Plain => stream(&format!("/Length1 {}", program.len()), &program),
        FontFile::Flate => stream(
            &format!("/Filter /FlateDecode /Length1 {}", program.len()),
            &deflate(&program),
        ),
        FontFile::Broken => stream("/Length1 9", b"not a font"),
    };
    let cmap = to_unicode.map(|entries| {
        let n = entries.lines().count();
        stream(
            "",
            format!(
                "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
                 /CMapName /Test-UCS def /CMapType 2 def\n\
                 1 begincodespacerange <00> <FF> endcodespacerange\n\
                 {n} beginbfchar\n{entries}\nendbfchar\n\
                 endcmap CMapName currentdict /CMap defineresource pop end end"
            )
            .as_bytes(),
        )
    });
    let font = format!(
        "<< /Type /Font /Subtype /Type1 /BaseFont /TestOne /FirstChar 65 /LastChar 67 \
         /Widths [500 500 500] /FontDescriptor 6 0 R{} >>",
        if cmap.is_some() {
            " /ToUnicode 8 0 R"
        } else {
            ""
        }
    );
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream("", b"BT /F1 12 Tf 100 700 Td (ABC) Tj ET"),
        font.into_bytes(),
        b"<< /Type /FontDescriptor /FontName /TestOne /Flags 32 /FontBBox [0 0 500 700] \
          /ItalicAngle 0 /Ascent 700 /Descent 0 /CapHeight 700 /StemV 80 /FontFile 7 0 R >>"
            .to_vec(),
        font_file,
    ];
    objects.extend(cmap);
    pdf(&objects)
}

fn text(bytes: &[u8]) -> Vec<String> {
    let doc = read("t1.pdf", bytes, &Limits::default()).unwrap();
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn codes_the_to_unicode_map_lacks_read_through_the_program() {
    // 65 is in the map; 66 and 67 only in the program's built-in encoding.
    for file in [FontFile::Plain, FontFile::Flate] {
        assert_eq!(text(&page(file, Some("<41> <7532>"))), ["甲éß"]);
    }
}

#[test]
fn a_full_to_unicode_map_or_none_reads_as_before() {
    assert_eq!(
        text(&page(
            FontFile::Flate,
            Some("<41> <7532>\n<42> <4E59>\n<43> <4E19>")
        )),
        ["甲乙丙"]
    );
    assert_eq!(text(&page(FontFile::Flate, None)), ["Aéß"]);
}

#[test]
fn a_program_that_does_not_parse_reads_as_upstream_reads_it() {
    // The map still reads; a code it lacks is read as StandardEncoding, as upstream does by
    // putting a standard font in the broken program's place.
    assert_eq!(
        text(&page(FontFile::Broken, Some("<41> <7532>\n<42> <4E59>"))),
        ["甲乙C"]
    );
}
