//! Damaged text exports (issue 17): a few corrupt bytes cost only the values they touch; the
//! document says where (one `encoding_damaged` diagnostic), and only damage that puts the
//! encoding itself in doubt is refused.

use tablift_model::{Block, Cell, Document, Origin, Table};
use tablift_textexport::{parse, Options, MAX_MALFORMED_PER_MILLE, MIN_EVIDENCE_RATIO};

fn read(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/seed/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// SplitMix64: a fixed, dependency-free pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `bytes` with `n` distinct positions (chosen by `seed`) set to a random different value.
/// Returns the corrupted copy and the positions, sorted.
fn corrupt(bytes: &[u8], n: usize, seed: u64) -> (Vec<u8>, Vec<usize>) {
    let mut rng = Rng(seed);
    let mut out = bytes.to_vec();
    let mut at: Vec<usize> = Vec::new();
    while at.len() < n {
        let i = (rng.next() % bytes.len() as u64) as usize;
        if at.contains(&i) {
            continue;
        }
        let v = loop {
            let v = (rng.next() & 0xFF) as u8;
            if v != bytes[i] {
                break v;
            }
        };
        out[i] = v;
        at.push(i);
    }
    at.sort_unstable();
    (out, at)
}

fn all_cells(doc: &Document) -> Vec<&Cell> {
    fn walk<'a>(t: &'a Table, out: &mut Vec<&'a Cell>) {
        for r in &t.rows {
            for c in &r.cells {
                out.push(c);
                for n in &c.tables {
                    walk(n, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    for b in &doc.blocks {
        if let Block::Table(t) = b {
            walk(t, &mut out);
        }
    }
    out
}

/// A project code of the seed: `467-0201-YCN-4OK6` (three digits, a dash, four digits, a dash).
fn is_project_code(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() >= 10
        && b[..3].iter().all(u8::is_ascii_digit)
        && b[3] == b'-'
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
}

/// Distinct project codes in the cells of `doc`.
fn project_codes(doc: &Document) -> Vec<String> {
    let mut codes: Vec<String> = all_cells(doc)
        .iter()
        .map(|c| c.text())
        .filter(|t| is_project_code(t))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn the_seed_with_200_corrupt_bytes_keeps_its_projects_and_says_which_lines_were_hit() {
    let clean = read("seed.tika-doc.txt");
    let good = parse("seed.tika-doc.txt", &clean, &Options::default()).unwrap();
    assert!(good.diagnostics.is_empty());
    assert_eq!(project_codes(&good).len(), 16);

    let (bytes, flipped) = corrupt(&clean, 200, 17);
    let doc = parse("damaged.txt", &bytes, &Options::default()).unwrap();
    let codes = project_codes(&doc);
    assert!(codes.len() >= 14, "{} projects: {codes:?}", codes.len());
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-8"));
    let [d] = doc.diagnostics.as_slice() else {
        panic!("one diagnostic expected: {:?}", doc.diagnostics)
    };
    assert_eq!(d.code, "encoding_damaged");
    assert!(
        d.message.contains("decoded as U+FFFD (UTF-8) on lines "),
        "{}",
        d.message
    );
    assert!(d.message.contains(" more"), "{}", d.message);
    // The origin is the first damaged line: the line holding the first flipped byte that
    // broke the UTF-8 (a flip to a valid ASCII byte is no damage the decoder can see).
    let Origin::Text { line, byte } = d.origin else {
        panic!("{:?}", d.origin)
    };
    let line_start = |at: usize| {
        bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
    };
    let first_bad = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    assert_eq!(byte as usize, line_start(first_bad));
    assert_eq!(
        line as usize,
        1 + bytes[..first_bad].iter().filter(|&&b| b == b'\n').count()
    );
    assert!(flipped.iter().any(|&f| f >= first_bad && f < first_bad + 4));
}

fn cell_at<'a>(doc: &'a Document, text: &str) -> Option<&'a Cell> {
    all_cells(doc).into_iter().find(|c| c.text() == text)
}

#[test]
fn damaged_cells_keep_origins_in_the_original_bytes() {
    let clean = read("seed.tika-doc.txt");
    let (bytes, _) = corrupt(&clean, 200, 17);
    let doc = parse("damaged.txt", &bytes, &Options::default()).unwrap();
    // `grep -bn 467-0201-YCN-4OK6 seed.tika-doc.txt` → 69:4989 (as in the intact file).
    let cell = cell_at(&doc, "467-0201-YCN-4OK6").unwrap();
    assert_eq!(cell.origin, Origin::text(69, 4989));
    // A damaged value carries its U+FFFD for the family to flag.
    assert!(all_cells(&doc)
        .iter()
        .any(|c| c.text().contains('\u{FFFD}')));
}

#[test]
fn other_encodings_with_corrupt_bytes_stay_in_their_encoding() {
    for (name, encoding) in [
        ("seed.gb18030.txt", "GB18030"),
        ("seed.utf16le.txt", "UTF-16LE"),
        ("seed.libreoffice.txt", "UTF-8"),
        ("seed.tika-docx.txt", "UTF-8"),
    ] {
        let clean = read(name);
        let good = parse(name, &clean, &Options::default()).unwrap();
        assert!(good.diagnostics.is_empty(), "{name}");
        // Keep the byte-order mark: it decides, and a flipped one is another file.
        let (mut bytes, _) = corrupt(&clean[3..], 100, 5);
        bytes.splice(0..0, clean[..3].iter().copied());
        let doc =
            parse(name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.source.encoding.as_deref(), Some(encoding), "{name}");
        assert_eq!(doc.diagnostics.len(), 1, "{name}");
        assert_eq!(doc.diagnostics[0].code, "encoding_damaged");
        assert!(
            doc.diagnostics[0]
                .message
                .contains(&format!("({encoding})")),
            "{name}"
        );
        if name != "seed.libreoffice.txt" {
            assert!(
                project_codes(&doc).len() >= 14,
                "{name}: {:?}",
                project_codes(&doc)
            );
        }
    }
}

#[test]
fn one_bad_byte_names_its_line_and_byte() {
    let small = ["项目编码\n\tA".as_bytes(), b"\xFF\n"].concat();
    let doc = parse("t.txt", &small, &Options::default());
    // Too small to take one bad byte in four: refused (see the threshold tests below).
    assert_eq!(doc.unwrap_err().kind_name(), "invalid_encoding");
    let mut text = "项目编码\n".repeat(100).into_bytes();
    let at = text.len() + 2;
    text.extend_from_slice(b"\tA\xFFB\n\t\xE9\n");
    let doc = parse("t.txt", &text, &Options::default()).unwrap();
    let d = &doc.diagnostics[0];
    assert_eq!(
        d.message,
        format!("2 malformed byte sequences decoded as U+FFFD (UTF-8) on lines 101-102 (bytes {at}, {})", at + 4)
    );
    assert_eq!(d.origin, Origin::text(101, at as u64 - 2));
    let t = doc.tables().next().unwrap();
    assert_eq!(t.rows[0].cells[0].paragraphs, ["A\u{FFFD}B"]);
    assert_eq!(t.rows[0].cells[1].paragraphs, ["\u{FFFD}"]);
}

#[test]
fn a_stray_nul_in_text_is_damage_but_a_binary_stays_binary() {
    let mut text = "项目编码\n".repeat(100).into_bytes();
    text.extend_from_slice(b"\tA\0B\n");
    let doc = parse("t.txt", &text, &Options::default()).unwrap();
    assert!(
        doc.diagnostics[0].message.contains(", 1 of them NUL bytes"),
        "{}",
        doc.diagnostics[0].message
    );
    let e = parse(
        "t.txt",
        b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind_name(), "binary");
}

/// `k` lines of UTF-8 Chinese (4 characters, 13 bytes each) and `bad` lines holding one 0xFF.
fn chinese_with_bad_lines(k: usize, bad: usize) -> Vec<u8> {
    let mut b = "项目编码\n".repeat(k).into_bytes();
    for _ in 0..bad {
        b.extend_from_slice(b"\xFF\n");
    }
    b
}

#[test]
fn damage_threshold_both_sides() {
    // Accepted while malformed sequences ≤ MAX_MALFORMED_PER_MILLE per 1,000 input bytes.
    let k = 100;
    let fits = |bad: usize| bad * 1000 <= (13 * k + 2 * bad) * MAX_MALFORMED_PER_MILLE;
    let most = (0..1000).take_while(|&b| fits(b)).last().unwrap();
    assert!(most > 0 && 4 * k >= MIN_EVIDENCE_RATIO * (most + 1));
    let doc = parse(
        "t.txt",
        &chinese_with_bad_lines(k, most),
        &Options::default(),
    )
    .unwrap();
    assert!(doc.diagnostics[0]
        .message
        .starts_with(&format!("{most} malformed")));
    let e = parse(
        "t.txt",
        &chinese_with_bad_lines(k, most + 1),
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind_name(), "invalid_encoding");
    assert_eq!(e.position().as_deref(), Some("line 101 (byte 1300)"));
}

#[test]
fn utf8_evidence_threshold_both_sides() {
    // ASCII padding keeps the damage under the size limit, so that only the evidence decides:
    // `valid` lines of one Chinese character (as GB18030 each ends in a malformed sequence)
    // against `bad` lines of 0xFF.
    let input = |valid: usize, bad: usize| {
        let mut b = "abcdefghijklmnopqrstuvwxyz\n".repeat(200).into_bytes();
        b.extend("项\n".repeat(valid).into_bytes());
        b.extend(b"\xFF\n".repeat(bad));
        b
    };
    let valid = 40;
    let bad = valid / MIN_EVIDENCE_RATIO;
    let doc = parse("t.txt", &input(valid, bad), &Options::default()).unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-8"));
    assert!(doc.diagnostics[0]
        .message
        .starts_with(&format!("{bad} malformed")));
    // One more bad line: UTF-8 no longer clear, and as GB18030 every line of Chinese is
    // damaged too, more than the limit: refused.
    let bytes = input(valid, bad + 1);
    assert!((bad + 1) * 1000 <= bytes.len() * MAX_MALFORMED_PER_MILLE);
    let e = parse("t.txt", &bytes, &Options::default()).unwrap_err();
    assert_eq!(e.kind_name(), "invalid_encoding");
}
