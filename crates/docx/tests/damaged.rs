//! Damaged `.docx` files (issue 17): the body is read where it survives, and what was lost is
//! said in `Document::diagnostics`.

mod common;

use common::{docx, texts, zip_of, W_NS};
use tablift_docx::{read, Limits};
use tablift_model::Origin;

fn seed() -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/seed/seed.docx",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).unwrap()
}

/// Offset of the first `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn seed_cut_to_90_percent_is_recovered_from_its_local_headers() {
    let whole = seed();
    let good = read("seed.docx", &whole, &Limits::default()).unwrap();
    assert!(good.diagnostics.is_empty());
    let cut = &whole[..whole.len() * 9 / 10];
    // The zip reader alone refuses it: the central directory is gone.
    assert!(zip::ZipArchive::new(std::io::Cursor::new(cut)).is_err());
    let doc = read("cut.docx", cut, &Limits::default()).unwrap();
    // word/document.xml lies at the start of the archive, intact: the whole body survives.
    assert!(doc.content_eq(&good));
    assert_eq!(doc.tables().count(), 32);
    let codes: Vec<&str> = doc.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["zip_recovered"], "{:?}", doc.diagnostics);
    let m = &doc.diagnostics[0].message;
    assert!(
        m.starts_with("the zip central directory is missing or damaged (")
            && m.contains(" entries read from their local headers, the last starting at byte ")
            && m.ends_with(&format!(" of {}", cut.len())),
        "{m}"
    );
}

#[test]
fn a_cut_through_the_body_part_says_where_it_stops() {
    let whole = seed();
    let at = find(&whole, b"word/document.xml").unwrap();
    // Cut inside document.xml's compressed data.
    let cut = &whole[..at + 17 + 2000];
    let e = read("cut.docx", cut, &Limits::default()).unwrap_err();
    assert_eq!(e.kind_name(), "zip");
    assert_eq!(e.position().as_deref(), Some("word/document.xml"));
    assert!(
        e.to_string().contains(&format!(
            "the archive is cut: the part's 7844 compressed bytes from byte {} would end at byte {}, but the file ends at byte {}",
            at + 17,
            at + 17 + 7844,
            cut.len()
        )),
        "{e}"
    );
    // Cut before its local header: nothing names the body part.
    let e = read("cut.docx", &whole[..at - 10], &Limits::default()).unwrap_err();
    assert_eq!(e.kind_name(), "not_a_zip");
    assert!(
        e.to_string()
            .contains("entries found from their local headers none is word/document.xml"),
        "{e}"
    );
}

#[test]
fn every_cut_of_the_seed_is_read_or_a_typed_failure() {
    let whole = seed();
    let at = find(&whole, b"word/document.xml").unwrap();
    let good = read("seed.docx", &whole, &Limits::default()).unwrap();
    for cut in (0..whole.len()).step_by(499) {
        match read("cut.docx", &whole[..cut], &Limits::default()) {
            Ok(doc) => {
                assert!(cut > at + 17 + 7844, "{cut}");
                assert!(doc.content_eq(&good), "{cut}");
            }
            Err(e) => assert!(
                ["not_a_zip", "zip", "missing_part"].contains(&e.kind_name()),
                "{cut}: {e}"
            ),
        }
    }
}

#[test]
fn a_broken_styles_part_is_skipped_and_the_body_read() {
    let body = r#"<w:p><w:pPr><w:pStyle w:val="a"/></w:pPr><w:r><w:t>正文</w:t></w:r></w:p>"#;
    let styles = format!(
        r#"<w:styles xmlns:w="{W_NS}"><w:style w:type="paragraph" w:styleId="a"><w:name w:val="x"></w:style></w:styles>"#
    );
    let doc = read(
        "x.docx",
        &docx(body, &[("word/styles.xml", &styles)]),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(texts(&doc), ["正文"]);
    let [d] = doc.diagnostics.as_slice() else {
        panic!("{:?}", doc.diagnostics)
    };
    assert_eq!(d.code, "part_skipped");
    let at = styles.find("</w:style>").unwrap();
    assert!(
        d.message
            .starts_with("word/styles.xml skipped: malformed XML: ")
            && d.message
                .ends_with(&format!("at word/styles.xml byte {at}")),
        "{}",
        d.message
    );
    assert!(matches!(&d.origin, Origin::Docx { part, .. } if &**part == "word/styles.xml"));
}

#[test]
fn broken_rels_header_and_footnotes_are_skipped() {
    let body = r#"<w:p><w:r><w:t>正文</w:t></w:r></w:p>"#;
    let footer =
        format!(r#"<w:ftr xmlns:w="{W_NS}"><w:p><w:r><w:t>页脚</w:t></w:r></w:p></w:ftr>"#);
    let broken = format!(r#"<w:hdr xmlns:w="{W_NS}"><w:p><w:r><w:t>x</w:p></w:hdr>"#);
    // Broken relationships: the conventional part names are used instead.
    let doc = read(
        "x.docx",
        &docx(
            body,
            &[
                (
                    "word/_rels/document.xml.rels",
                    "<Relationships><Relationship",
                ),
                ("word/header1.xml", &broken),
                ("word/footer1.xml", &footer),
                ("word/footnotes.xml", "<w:footnotes"),
            ],
        ),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(texts(&doc), ["正文"]);
    let furniture: Vec<&str> = doc.furniture.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(furniture, ["页脚"]);
    let skipped: Vec<&str> = doc
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.code, "part_skipped");
            d.message.split(' ').next().unwrap()
        })
        .collect();
    assert_eq!(
        skipped,
        [
            "word/_rels/document.xml.rels",
            "word/header1.xml",
            "word/footnotes.xml"
        ]
    );
}

#[test]
fn a_part_that_does_not_inflate_is_skipped() {
    let footer =
        format!(r#"<w:ftr xmlns:w="{W_NS}"><w:p><w:r><w:t>页脚</w:t></w:r></w:p></w:ftr>"#);
    let body = r#"<w:p><w:r><w:t>正文</w:t></w:r></w:p>"#;
    let mut bytes = docx(body, &[("word/footer1.xml", &footer)]);
    // Corrupt the footer's compressed data (its CRC no longer matches, or it no longer
    // inflates).
    let at = find(&bytes, b"word/footer1.xml").unwrap() + "word/footer1.xml".len();
    for b in &mut bytes[at + 2..at + 12] {
        *b ^= 0x55;
    }
    let doc = read("x.docx", &bytes, &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["正文"]);
    assert!(doc.furniture.is_empty());
    assert_eq!(doc.diagnostics.len(), 1, "{:?}", doc.diagnostics);
    assert!(
        doc.diagnostics[0]
            .message
            .starts_with("word/footer1.xml skipped: cannot inflate part: "),
        "{}",
        doc.diagnostics[0].message
    );
}

#[test]
fn limits_and_dtds_in_other_parts_stay_failures() {
    let body = r#"<w:p><w:pPr><w:pStyle w:val="a"/></w:pPr></w:p>"#;
    let styles =
        format!(r#"<?xml version="1.0"?><!DOCTYPE x><w:styles xmlns:w="{W_NS}"></w:styles>"#);
    let e = read(
        "x.docx",
        &docx(body, &[("word/styles.xml", &styles)]),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind_name(), "dtd");
    // A recovered archive keeps the entry limit.
    let xml = format!(r#"<w:document xmlns:w="{W_NS}"><w:body/></w:document>"#);
    let names: Vec<String> = (0..12).map(|i| format!("word/media/x{i}.bin")).collect();
    let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", xml.as_bytes())];
    entries.extend(names.iter().map(|n| (n.as_str(), &b"x"[..])));
    let bytes = zip_of(&entries);
    let cd = find(&bytes, b"PK\x01\x02").unwrap();
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let e = read("x.docx", &bytes[..cd], &limits).unwrap_err();
    assert_eq!(e.kind_name(), "too_many_entries");
    let doc = read("x.docx", &bytes[..cd], &Limits::default()).unwrap();
    assert_eq!(doc.diagnostics[0].code, "zip_recovered");
}
