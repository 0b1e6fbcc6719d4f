//! Broken and hostile .doc files: every one is a typed error (or a document), never a panic.

use std::io::{Cursor, Read, Write};

use tablift_doc::{read, Error, Limits};

fn seed() -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/seed/seed.doc",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// seed.doc with stream `name` rewritten by `edit`.
fn with_stream(name: &str, edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut c = cfb::CompoundFile::open(Cursor::new(seed())).unwrap();
    let mut s = Vec::new();
    c.open_stream(name).unwrap().read_to_end(&mut s).unwrap();
    edit(&mut s);
    c.create_stream(name).unwrap().write_all(&s).unwrap();
    c.flush().unwrap();
    c.into_inner().into_inner()
}

fn le32(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

/// Byte offset of the (fc, lcb) pair `index` of FibRgFcLcb in the WordDocument stream.
fn fclcb_at(wd: &[u8], index: usize) -> usize {
    let csw = u16::from_le_bytes([wd[32], wd[33]]) as usize;
    let cslw_at = 34 + 2 * csw;
    let cslw = u16::from_le_bytes([wd[cslw_at], wd[cslw_at + 1]]) as usize;
    cslw_at + 2 + 4 * cslw + 2 + 8 * index
}

const KINDS: &[&str] = &[
    "not_ole2",
    "encrypted",
    "missing_stream",
    "stream",
    "stream_too_large",
    "unsupported_doc",
    "malformed_doc",
    "too_many_pieces",
    "too_many_fkp_pages",
    "too_deep",
];

fn check_err(e: &Error, what: &str) {
    assert!(KINDS.contains(&e.kind_name()), "{what}: {}", e.kind_name());
    assert!(!e.to_string().is_empty());
}

fn err(bytes: &[u8]) -> Error {
    read("t.doc", bytes, &Limits::default()).unwrap_err()
}

#[test]
fn truncated_copies_are_typed_errors() {
    let seed = seed();
    let mut cuts: Vec<usize> = vec![0, 1, 7, 8, 100, 511, 512, 513, 4096];
    cuts.extend((1..40).map(|i| seed.len() * i / 40));
    for cut in cuts {
        match read("t.doc", &seed[..cut], &Limits::default()) {
            Err(e) => check_err(&e, &format!("cut at {cut}")),
            // A cut past every stream's last sector can still read; it must not panic.
            Ok(doc) => assert!(doc.tables().count() <= 16),
        }
    }
}

#[test]
fn byte_flipped_copies_never_panic() {
    let seed = seed();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut errors = 0;
    for _ in 0..300 {
        let mut v = seed.clone();
        for _ in 0..1 + next() % 16 {
            let at = (next() % v.len() as u64) as usize;
            v[at] ^= (next() % 255 + 1) as u8;
        }
        match read("t.doc", &v, &Limits::default()) {
            Err(e) => {
                check_err(&e, "flipped");
                errors += 1;
            }
            Ok(doc) => {
                let _ = tablift_budget::normalise(&doc);
            }
        }
    }
    // Most flips land in text or unused bytes; some must hit structure.
    assert!(errors > 0);
}

#[test]
fn a_huge_clx_offset_names_the_table_stream() {
    let bytes = with_stream("WordDocument", |wd| {
        let at = fclcb_at(wd, 33);
        wd[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    });
    let e = err(&bytes);
    assert_eq!(e.kind_name(), "malformed_doc");
    assert_eq!(e.position().as_deref(), Some("1Table byte 4294967280"));
    assert!(e.to_string().contains("CLX"), "{e}");
    // A huge length at a good offset: same kind, same stream.
    let bytes = with_stream("WordDocument", |wd| {
        let at = fclcb_at(wd, 33) + 4;
        wd[at..at + 4].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    });
    assert_eq!(err(&bytes).kind_name(), "malformed_doc");
}

/// The piece table of seed.doc: (offset of its first PCD's fc in the table stream, pieces).
fn first_pcd(wd: &[u8], table: &[u8]) -> (usize, usize) {
    let at = fclcb_at(wd, 33);
    let (fc, lcb) = (le32(wd, at), le32(wd, at + 4));
    let mut pos = fc;
    while table[pos] == 1 {
        pos += 3 + u16::from_le_bytes([table[pos + 1], table[pos + 2]]) as usize;
    }
    assert_eq!(table[pos], 2);
    let plc_lcb = le32(table, pos + 1);
    assert!(pos + 5 + plc_lcb <= fc + lcb);
    let n = (plc_lcb - 4) / 12;
    (pos + 5 + 4 * (n + 1) + 2, n)
}

#[test]
fn a_piece_outside_the_stream_is_an_error() {
    let seed = seed();
    let mut c = cfb::CompoundFile::open(Cursor::new(seed)).unwrap();
    let mut wd = Vec::new();
    c.open_stream("WordDocument")
        .unwrap()
        .read_to_end(&mut wd)
        .unwrap();
    let tname = if wd[0x0B] & 0x02 != 0 {
        "1Table"
    } else {
        "0Table"
    };
    let bytes = with_stream(tname, |t| {
        let (pcd, _) = first_pcd(&wd, t);
        t[pcd..pcd + 4].copy_from_slice(&0x3FFF_FF00u32.to_le_bytes());
    });
    let e = err(&bytes);
    assert_eq!(e.kind_name(), "malformed_doc");
    assert!(
        e.position().unwrap().starts_with("WordDocument byte "),
        "{e}"
    );
    assert!(e.to_string().contains("outside the stream"), "{e}");
    // Piece CPs out of order.
    let bytes = with_stream(tname, |t| {
        let (pcd, n) = first_pcd(&wd, t);
        let cps = pcd - 2 - 4 * (n + 1);
        t[cps..cps + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    });
    assert_eq!(err(&bytes).kind_name(), "malformed_doc");
}

#[test]
fn limits_are_typed_errors() {
    let seed = seed();
    let small = Limits {
        max_stream_bytes: 1000,
        ..Limits::default()
    };
    let e = read("t.doc", &seed, &small).unwrap_err();
    assert_eq!(e.kind_name(), "stream_too_large");
    assert_eq!(e.position().as_deref(), Some("WordDocument"));
    let one_piece = Limits {
        max_pieces: 0,
        ..Limits::default()
    };
    assert_eq!(
        read("t.doc", &seed, &one_piece).unwrap_err().kind_name(),
        "too_many_pieces"
    );
    let no_pages = Limits {
        max_fkp_pages: 0,
        ..Limits::default()
    };
    assert_eq!(
        read("t.doc", &seed, &no_pages).unwrap_err().kind_name(),
        "too_many_fkp_pages"
    );
    let flat = Limits {
        max_depth: 0,
        ..Limits::default()
    };
    let e = read("t.doc", &seed, &flat).unwrap_err();
    assert_eq!(e.kind_name(), "too_deep");
    assert!(e.position().unwrap().starts_with("WordDocument cp "));
}

#[test]
fn encrypted_and_foreign_containers() {
    let bytes = with_stream("WordDocument", |wd| wd[0x0B] |= 0x01);
    assert_eq!(err(&bytes).kind_name(), "encrypted");
    let bytes = with_stream("WordDocument", |wd| wd[0] = 0);
    assert_eq!(err(&bytes).kind_name(), "unsupported_doc");
    let bytes = with_stream("WordDocument", |wd| {
        wd[2..4].copy_from_slice(&0x68u16.to_le_bytes())
    });
    let e = err(&bytes);
    assert_eq!(e.kind_name(), "unsupported_doc");
    assert!(e.to_string().contains("Word 6/95"), "{e}");
    // A compound file without the Word streams.
    let mut c = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    c.create_stream("Other").unwrap().write_all(b"x").unwrap();
    c.flush().unwrap();
    let e = err(&c.into_inner().into_inner());
    assert_eq!(e.kind_name(), "missing_stream");
    assert_eq!(e.position().as_deref(), Some("WordDocument"));
    // An encrypted OOXML package in OLE2.
    let mut c = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    c.create_stream("EncryptedPackage")
        .unwrap()
        .write_all(b"x")
        .unwrap();
    c.flush().unwrap();
    assert_eq!(err(&c.into_inner().into_inner()).kind_name(), "encrypted");
}
