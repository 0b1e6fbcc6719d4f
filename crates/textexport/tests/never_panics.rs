//! `parse` and `parse_tc_field` never panic, and what they return is well formed.

use proptest::prelude::*;
use tablift_model::{Block, Document};
use tablift_textexport::{parse, parse_tc_field, Options};

/// Invariants of every parsed document.
fn check(doc: &Document) {
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => {
                assert_eq!(p.text.trim_end(), p.text);
                assert!(!p.text.is_empty() || p.tc.is_some());
                assert!(p.origin.line().is_some());
            }
            Block::Table(t) => {
                assert!(!t.rows.is_empty());
                for r in &t.rows {
                    assert!(!r.cells.is_empty());
                    for c in &r.cells {
                        assert!(c.paragraphs.last().is_none_or(|p| !p.is_empty()));
                    }
                }
            }
        }
    }
}

fn pieces() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "\t", "\n", "\r", "\r\n", "TC", " ", "\\l", "\\f", "\"", "项", "目", "1", "a", "\\",
        "\u{feff}",
    ]);
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(doc) = parse("p", &bytes, &Options::default()) {
            check(&doc);
        }
        let tight = Options { max_input_bytes: 300, max_line_bytes: 20 };
        if let Ok(doc) = parse("p", &bytes, &tight) {
            check(&doc);
        }
    }

    #[test]
    fn arbitrary_bytes_without_nul(bytes in prop::collection::vec(1u8.., 0..400)) {
        match parse("p", &bytes, &Options::default()) {
            Ok(doc) => check(&doc),
            Err(e) => prop_assert!(
                ["empty", "invalid_encoding"].contains(&e.kind_name()),
                "{}", e
            ),
        }
    }

    #[test]
    fn arbitrary_structured_text(text in pieces()) {
        let bytes = text.as_bytes();
        match parse("p", bytes, &Options::default()) {
            Ok(doc) => check(&doc),
            Err(e) => prop_assert_eq!(e.kind_name(), "empty"),
        }
        let _ = parse_tc_field(&text);
        // The same text as UTF-16 with BOM and as GB18030 gives the same content (a leading
        // U+FEFF is the UTF-8 BOM, so it is not part of the text).
        let plain = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(plain.encode_utf16().flat_map(u16::to_le_bytes));
        let (gb, _, _) = encoding_rs::GB18030.encode(plain);
        if let (Ok(a), Ok(b), Ok(c)) = (
            parse("p", bytes, &Options::default()),
            parse("p", &utf16, &Options::default()),
            parse("p", &gb, &Options::default()),
        ) {
            prop_assert!(a.content_eq(&b));
            // Short GB18030 byte runs can be valid UTF-8 too ("目" is C4 BF, "Ŀ" in UTF-8);
            // valid UTF-8 wins by design, so compare only where the bytes are no UTF-8.
            if std::str::from_utf8(&gb).is_err() {
                if c.source.encoding.as_deref() == Some("GB18030") {
                    prop_assert!(a.content_eq(&c));
                } else {
                    // A few GB18030-only bytes among many that are UTF-8 too (a stray U+FEFF
                    // beside `目`): read as damaged UTF-8, which the reader must say out loud.
                    prop_assert!(
                        c.diagnostics.iter().any(|d| d.code == "encoding_damaged"),
                        "{:?} without encoding_damaged", c.source.encoding
                    );
                }
            }
        }
    }

    #[test]
    fn arbitrary_tc_instructions(s in "\\PC{0,40}") {
        let _ = parse_tc_field(&s);
        let _ = parse_tc_field(&format!("TC {s}"));
    }
}
