//! Safety limits and wrong containers: each failure is typed, named and positioned.

mod common;

use common::{docx, zip_of, W_NS};
use tablift_docx::{read, Error, ErrorKind, Limits};

fn fail(bytes: &[u8], limits: &Limits) -> Error {
    read("bad.docx", bytes, limits).unwrap_err()
}

fn document(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{inner}</w:body></w:document>"#
    )
}

#[test]
fn legacy_doc_from_the_seed_corpus() {
    let bytes = std::fs::read(format!(
        "{}/../../fixtures/seed/seed.doc",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "legacy_doc");
    assert_eq!(e.kind(), &ErrorKind::LegacyDoc);
    assert_eq!(
        e.to_string(),
        "legacy Word 97-2003 document: not supported yet"
    );
    assert_eq!(e.position(), None);
}

#[test]
fn encrypted_ole2_package() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend_from_slice(&[0u8; 500]);
    bytes.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    bytes.extend_from_slice(&[0u8; 100]);
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "encrypted");
    assert_eq!(e.to_string(), "encrypted document");
}

#[test]
fn not_a_zip() {
    let e = fail("一、总体绩效目标\n".as_bytes(), &Limits::default());
    assert_eq!(e.kind_name(), "not_a_zip");
    assert!(e.to_string().starts_with("not a zip archive: "), "{e}");
    let e = fail(b"", &Limits::default());
    assert_eq!(e.kind_name(), "not_a_zip");
}

#[test]
fn missing_document_part() {
    let bytes = zip_of(&[("word/styles.xml", b"<w:styles/>")]);
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "missing_part");
    assert_eq!(e.position().as_deref(), Some("word/document.xml"));
    assert_eq!(e.to_string(), "missing part at word/document.xml");
}

#[test]
fn malformed_xml_names_part_and_byte() {
    let xml = document("<w:p><w:r><w:t>x</w:r></w:p>");
    let bytes = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "xml");
    let at = xml.find("</w:r>").unwrap() as u64;
    match e.kind() {
        ErrorKind::Xml { part, byte, .. } => {
            assert_eq!(part, "word/document.xml");
            assert_eq!(*byte, at);
        }
        k => panic!("{k:?}"),
    }
    assert!(
        e.to_string().starts_with("malformed XML: ")
            && e.to_string()
                .ends_with(&format!("at word/document.xml byte {at}")),
        "{e}"
    );
}

#[test]
fn undefined_entity_is_malformed() {
    let bytes = docx("<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>", &[]);
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "xml");
    assert!(e.to_string().contains("undefined entity &nbsp;"), "{e}");
}

#[test]
fn doctype_refused() {
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>{}"#,
        document("<w:p><w:r><w:t>&b;</w:t></w:r></w:p>")
    );
    let bytes = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "dtd");
    assert_eq!(e.position().as_deref(), Some("word/document.xml byte 21"));
    assert_eq!(
        e.to_string(),
        "DTD declarations are not allowed at word/document.xml byte 21"
    );
}

#[test]
fn nesting_depth() {
    let inner = "<w:sdt>".repeat(300) + &"</w:sdt>".repeat(300);
    let bytes = docx(&inner, &[]);
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "too_deep");
    assert!(
        e.to_string()
            .starts_with("XML nested deeper than 256 levels at word/document.xml byte "),
        "{e}"
    );
    // Within a raised limit it reads.
    let limits = Limits {
        max_depth: 400,
        ..Limits::default()
    };
    assert!(read("x", &bytes, &limits).is_ok());
    // Fields count too: unbalanced `begin`s cannot pile up without bound.
    let fields = r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#.repeat(20);
    let bytes = docx(&format!("<w:p>{fields}</w:p>"), &[]);
    let small = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    assert_eq!(fail(&bytes, &small).kind_name(), "too_deep");
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..12).map(|i| format!("word/media/x{i}.bin")).collect();
    let xml = document("");
    let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", xml.as_bytes())];
    entries.extend(names.iter().map(|n| (n.as_str(), &b"x"[..])));
    let bytes = zip_of(&entries);
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let e = fail(&bytes, &limits);
    assert_eq!(e.kind_name(), "too_many_entries");
    assert_eq!(e.to_string(), "too many zip entries: 13 (limit 10)");
    assert!(read("x", &bytes, &Limits::default()).is_ok());
}

#[test]
fn part_too_large() {
    let body = "<w:p><w:r><w:t>abc</w:t></w:r></w:p>".repeat(100);
    let bytes = docx(&body, &[]);
    let limits = Limits {
        max_part_bytes: 1000,
        ..Limits::default()
    };
    let e = fail(&bytes, &limits);
    assert_eq!(e.kind_name(), "part_too_large");
    assert_eq!(
        e.to_string(),
        "part inflates to more than 1000 bytes at word/document.xml"
    );
}

#[test]
fn total_too_large() {
    let styles = format!(
        r#"<w:styles xmlns:w="{W_NS}">{}</w:styles>"#,
        " ".repeat(3600)
    );
    // styles.xml is only read when the body names a paragraph style.
    let body = r#"<w:p><w:pPr><w:pStyle w:val="a"/></w:pPr></w:p>"#;
    let bytes = docx(body, &[("word/styles.xml", &styles)]);
    let limits = Limits {
        max_part_bytes: 4000,
        max_total_bytes: 3500,
        ..Limits::default()
    };
    let e = fail(&bytes, &limits);
    assert_eq!(e.kind_name(), "total_too_large");
    assert_eq!(
        e.to_string(),
        "parts inflate to more than 3500 bytes in total at word/styles.xml"
    );
    assert!(read(
        "x",
        &docx("<w:p/>", &[("word/styles.xml", &styles)]),
        &limits
    )
    .is_ok());
}

#[test]
fn styles_part_checked_too() {
    let body = r#"<w:p><w:pPr><w:pStyle w:val="a"/></w:pPr></w:p>"#;
    let styles =
        format!(r#"<?xml version="1.0"?><!DOCTYPE x><w:styles xmlns:w="{W_NS}"></w:styles>"#);
    let e = fail(
        &docx(body, &[("word/styles.xml", &styles)]),
        &Limits::default(),
    );
    assert_eq!(
        e.to_string(),
        "DTD declarations are not allowed at word/styles.xml byte 21"
    );
    let styles = format!(
        r#"<w:styles xmlns:w="{W_NS}"><w:style w:type="paragraph" w:styleId="a"><w:name w:val="x"></w:style></w:styles>"#
    );
    // Malformed XML in a styles part is damage, not a hostile construct: the part is skipped
    // (`part_skipped`, tests/damaged.rs) and the body read.
    let doc = read(
        "x",
        &docx(body, &[("word/styles.xml", &styles)]),
        &Limits::default(),
    )
    .unwrap();
    let at = styles.find("</w:style>").unwrap();
    assert_eq!(doc.diagnostics[0].code, "part_skipped");
    assert!(doc.diagnostics[0]
        .message
        .ends_with(&format!("at word/styles.xml byte {at}")));
}

#[test]
fn compression_ratio() {
    // 4 MiB of blanks deflate to a few KiB: far beyond a ratio of 200.
    let xml = document(&" ".repeat(4 << 20));
    let bytes = zip_of(&[("word/document.xml", xml.as_bytes())]);
    assert!(bytes.len() < 20_000, "{}", bytes.len());
    let e = fail(&bytes, &Limits::default());
    assert_eq!(e.kind_name(), "compression_ratio");
    assert!(
        e.to_string().starts_with("compression ratio above 200 (")
            && e.to_string()
                .ends_with("compressed bytes) at word/document.xml"),
        "{e}"
    );
    let lenient = Limits {
        max_ratio: 100_000,
        ..Limits::default()
    };
    assert!(read("x", &bytes, &lenient).is_ok());
}

#[test]
fn lying_header_sizes_do_not_matter() {
    // Headers claiming 10 uncompressed bytes: the limit is enforced on what inflates.
    let body = "<w:p><w:r><w:t>abcdef</w:t></w:r></w:p>".repeat(50);
    let mut bytes = docx(&body, &[]);
    let patch = |bytes: &mut Vec<u8>, sig: &[u8], off: usize| {
        let at = bytes.windows(4).position(|w| w == sig).unwrap();
        bytes[at + off..at + off + 4].copy_from_slice(&10u32.to_le_bytes());
    };
    patch(&mut bytes, b"PK\x03\x04", 22);
    patch(&mut bytes, b"PK\x01\x02", 24);
    let limits = Limits {
        max_part_bytes: 500,
        ..Limits::default()
    };
    assert_eq!(fail(&bytes, &limits).kind_name(), "part_too_large");
    // Within limits, the lie surfaces as whatever the zip reader says, never as a panic.
    match read("x", &bytes, &Limits::default()) {
        Ok(doc) => assert_eq!(doc.blocks.len(), 50),
        Err(e) => assert_eq!(e.kind_name(), "zip", "{e}"),
    }
}

/// Truncated and corrupted inputs fail with a typed error (or read), never panic.
#[test]
fn truncated_and_corrupted_inputs_never_panic() {
    let path = format!(
        "{}/../../fixtures/seed/seed.docx",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).unwrap();
    let limits = Limits::default();
    for cut in (0..bytes.len()).step_by(997) {
        if let Err(e) = read("x", &bytes[..cut], &limits) {
            assert!(!e.kind_name().is_empty());
        }
    }
    // Corrupt the inflated XML itself: cut it short and flip bytes.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let mut xml = Vec::new();
    std::io::Read::read_to_end(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let mut seed = 0x2545_f491_u32;
    let mut kinds = std::collections::BTreeSet::new();
    for round in 0..60 {
        let mut x = xml.clone();
        if round % 2 == 0 {
            x.truncate(x.len() * round / 60);
        } else {
            for _ in 0..20 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let i = seed as usize % x.len();
                x[i] = b"<>/=\"&;x \xff"[seed as usize % 10];
            }
        }
        match read("x", &zip_of(&[("word/document.xml", &x)]), &limits) {
            Ok(_) => {}
            Err(e) => {
                kinds.insert(e.kind_name());
                assert!(
                    e.position().unwrap().starts_with("word/document.xml byte "),
                    "{e}"
                );
            }
        }
    }
    assert!(kinds.contains("xml"), "{kinds:?}");
}
