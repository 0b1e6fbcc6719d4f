//! Hostile and handmade inputs: typed errors, never a panic; a tiny ruled table built here.

use tablift_model::read::{FailureKind, Reader, Sniff};
use tablift_model::Origin;
use tablift_pdf::{read, Limits, PdfReader};

mod common;
use common::pdf;

fn stream(content: &str) -> String {
    format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
}

/// One page: a 2×2 ruled table (the right column's two cells merged) and a page number.
fn table_pdf() -> Vec<u8> {
    let content = "0.5 w 100 700 m 300 700 l S 100 680 m 200 680 l S 100 660 m 300 660 l S \
                   100 660 m 100 700 l S 200 660 m 200 700 l S 300 660 m 300 700 l S \
                   BT /F1 10 Tf 105 686 Td (A1) Tj ET BT /F1 10 Tf 105 666 Td (A2) Tj ET \
                   BT /F1 10 Tf 205 676 Td (467002) Tj 40 0 Td (B) Tj ET \
                   BT /F1 10 Tf 100 720 Td (Title above) Tj ET \
                   BT /F1 10 Tf 300 40 Td (- 1 -) Tj ET";
    pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .into(),
        stream(content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ])
}

#[test]
fn a_handmade_table_has_spans_spaces_origins_and_furniture() {
    let doc = read("t.pdf", &table_pdf(), &Limits::default()).unwrap();
    let t = doc.tables().next().expect("a table");
    let texts: Vec<Vec<(String, u32, u32)>> = t
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text(), c.col_span, c.row_span))
                .collect()
        })
        .collect();
    assert_eq!(
        texts,
        vec![
            vec![("A1".into(), 1, 1), ("467002 B".into(), 1, 2)],
            vec![("A2".into(), 1, 1)]
        ]
    );
    let Origin::Pdf { page, bbox } = &t.rows[0].cells[1].origin else {
        panic!("no pdf origin")
    };
    assert_eq!(*page, 1);
    assert!(
        (bbox.x0 - 200.0).abs() < 1.0 && (bbox.y1 - 700.0).abs() < 1.0,
        "{bbox:?}"
    );
    assert_eq!(doc.furniture.len(), 1);
    assert_eq!(doc.furniture[0].text, "- 1 -");
    assert_eq!(doc.blocks.len(), 2, "the title paragraph, then the table");
}

fn kind(bytes: &[u8]) -> FailureKind {
    read("x.pdf", bytes, &Limits::default()).unwrap_err().kind()
}

#[test]
fn broken_inputs_are_typed_errors() {
    assert_eq!(kind(b""), FailureKind::Empty);
    assert_eq!(kind(b"%PDF-"), FailureKind::Malformed);
    assert_eq!(
        kind(b"%PDF-1.7\n\x00\xff garbage garbage"),
        FailureKind::Malformed
    );
    assert_eq!(kind(b"hello, not a pdf"), FailureKind::Malformed);
    let whole = table_pdf();
    for cut in [10, whole.len() / 3, whole.len() / 2, whole.len() - 30] {
        // Truncated: hayro may recover the objects or not; either way no panic.
        let _ = read("x.pdf", &whole[..cut], &Limits::default());
    }
    let zero_pages = pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [] /Count 0 >>",
    ]);
    assert_eq!(kind(&zero_pages), FailureKind::Malformed);
    let seed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/pdf/seed.pdf"
    ))
    .unwrap();
    assert_eq!(kind(&seed[..seed.len() / 2]), FailureKind::Malformed);
}

#[test]
fn limits_are_typed_and_name_the_page() {
    let small = |l: Limits| read("x.pdf", &table_pdf(), &l).unwrap_err();
    let e = small(Limits {
        max_input_bytes: 100,
        ..Limits::default()
    });
    assert_eq!(e.kind(), FailureKind::InputTooLarge);
    let e = small(Limits {
        max_glyphs_per_page: 3,
        ..Limits::default()
    });
    assert_eq!(
        (e.kind(), e.position()),
        (FailureKind::InputTooLarge, Some("page 1"))
    );
    let e = small(Limits {
        max_paths_per_page: 2,
        ..Limits::default()
    });
    assert_eq!(
        (e.kind(), e.position()),
        (FailureKind::InputTooLarge, Some("page 1"))
    );
    let e = small(Limits {
        max_pages: 0,
        ..Limits::default()
    });
    assert_eq!(e.kind(), FailureKind::InputTooLarge);
}

#[test]
fn the_reader_sniffs_pdf_and_lists_its_limits() {
    let r = PdfReader::new(Limits::default());
    assert_eq!((r.name(), r.extensions()), ("pdf", &["pdf"][..]));
    assert_eq!(r.sniff(b"%PDF-1.4\n"), Sniff::Sure);
    assert_eq!(r.sniff(b"PK\x03\x04"), Sniff::No);
    assert_eq!(r.limits().len(), 4);
    assert!(r.read("t.pdf", &table_pdf()).is_ok());
}

/// A 2×2 grey image XObject (uncompressed), as a scanner's page image is drawn.
fn image() -> String {
    "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray \
     /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\x7f\x7f\x00\nendstream"
        .into()
}

/// Pages (object 3 onwards, each with its content stream after it), sharing image `/Im1`
/// and font `/F1`; the image is the last object, the font the one before it.
fn pages_pdf(contents: &[Option<&str>]) -> Vec<u8> {
    let n = contents.len();
    let font = 3 + 2 * n;
    let img = font + 1;
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
    ];
    for (i, c) in contents.iter().enumerate() {
        let contents = match c {
            Some(_) => format!("/Contents {} 0 R ", 4 + 2 * i),
            None => String::new(),
        };
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] {contents}\
             /Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {img} 0 R >> >> >>"
        ));
        objects.push(stream(c.unwrap_or("")));
    }
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    objects.push(image());
    pdf(&objects)
}

const SCANNED: &str = "q 612 0 0 792 0 0 cm /Im1 Do Q";
const TEXT: &str = "BT /F1 10 Tf 100 700 Td (Some text) Tj ET";

#[test]
fn a_pdf_without_any_text_is_no_text_layer() {
    let e = read(
        "scan.pdf",
        &pages_pdf(&[Some(SCANNED), Some(SCANNED)]),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), FailureKind::NoTextLayer);
    assert_eq!(e.kind().as_str(), "no_text_layer");
    assert_eq!(
        e.to_string(),
        "no text layer: none of the 2 pages has any text (images only: a scan); reading it \
         would need OCR"
    );
    let e = read(
        "blank.pdf",
        &pages_pdf(&[None, Some("")]),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), FailureKind::NoTextLayer);
    assert_eq!(
        e.to_string(),
        "no text layer: none of the 2 pages has any text (all empty); reading it would need OCR"
    );
    let e = read(
        "both.pdf",
        &pages_pdf(&[Some(SCANNED), None]),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.to_string().as_str()),
        (
            FailureKind::NoTextLayer,
            "no text layer: none of the 2 pages has any text (1 with images only, 1 empty); \
             reading it would need OCR"
        )
    );
}

#[test]
fn a_scanned_page_among_text_pages_is_read_and_noted() {
    let doc = read(
        "mixed.pdf",
        &pages_pdf(&[Some(TEXT), Some(SCANNED), None, Some(SCANNED)]),
        &Limits::default(),
    )
    .unwrap();
    let texts: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            tablift_model::Block::Paragraph(p) => Some(p.text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["Some text"]);
    assert_eq!(doc.diagnostics.len(), 1);
    let d = &doc.diagnostics[0];
    assert_eq!(d.code, "pages_without_text");
    assert_eq!(
        d.message,
        "images but no text on page 2, 4 of 4 (scanned pages?): not read"
    );
    let Origin::Pdf { page, .. } = d.origin else {
        panic!("no pdf origin: {:?}", d.origin)
    };
    assert_eq!(page, 2);
    // Text only: no note.
    let doc = read("t.pdf", &pages_pdf(&[Some(TEXT), None]), &Limits::default()).unwrap();
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}
