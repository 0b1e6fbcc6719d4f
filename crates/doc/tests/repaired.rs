//! OLE2 containers whose FAT describes sectors past the end of the file (issue 17): read
//! leniently where the streams are intact, flagged `ole2_repaired`.

use tablift_doc::{read, Limits};

fn poi(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn poi_47950_files_read_with_a_repaired_fat() {
    for name in ["47950_lower.doc", "47950_normal.doc", "47950_upper.doc"] {
        let bytes = poi(name);
        let doc = read(name, &bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                tablift_model::Block::Paragraph(p) => Some(p.text.clone()),
                _ => None,
            })
            .collect();
        // What Apache POI reads from them (TestBugs, bug 47950).
        assert_eq!(text, ["This is a sample Word document"], "{name}");
        let [d] = doc.diagnostics.as_slice() else {
            panic!("{name}: {:?}", doc.diagnostics)
        };
        assert_eq!(d.code, "ole2_repaired");
        assert_eq!(
            d.message,
            "OLE2 FAT describes 128 sectors but the file holds 52: the 76 entries past the end \
             (the first at byte 720) were taken as free; every stream read is whole"
        );
    }
}

fn seed() -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/seed/seed.doc",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap()
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// `seed.doc` with its FAT's spare entries (for sectors past the end) marked end-of-chain, as
/// the 47950 files have them.
fn seed_with_fat_past_the_end() -> (Vec<u8>, usize) {
    let mut b = seed();
    let sectors = (b.len() - 512) / 512;
    let fat_sectors: Vec<u32> = (0..109)
        .map(|i| u32_at(&b, 76 + 4 * i))
        .filter(|&s| s != u32::MAX)
        .collect();
    let mut marked = 0;
    for (k, &fs) in fat_sectors.iter().enumerate() {
        for i in 0..128 {
            if k * 128 + i >= sectors {
                let at = (fs as usize + 1) * 512 + 4 * i;
                b[at..at + 4].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
                marked += 1;
            }
        }
    }
    (b, marked)
}

#[test]
fn a_seed_doc_whose_fat_claims_sectors_past_the_end_reads_as_the_seed() {
    let good = read("seed.doc", &seed(), &Limits::default()).unwrap();
    assert!(good.diagnostics.is_empty());
    let (bytes, marked) = seed_with_fat_past_the_end();
    assert!(marked > 0);
    // cfb alone refuses it.
    let e = cfb::CompoundFile::open(std::io::Cursor::new(&bytes[..])).unwrap_err();
    assert!(e.to_string().contains("Malformed FAT"), "{e}");
    let doc = read("x.doc", &bytes, &Limits::default()).unwrap();
    assert!(doc.content_eq(&good));
    let [d] = doc.diagnostics.as_slice() else {
        panic!("{:?}", doc.diagnostics)
    };
    assert_eq!(d.code, "ole2_repaired");
    assert!(
        d.message.starts_with(&format!(
            "OLE2 FAT describes 384 sectors but the file holds 374: the {marked} entries past the end"
        )),
        "{}",
        d.message
    );
}

#[test]
fn a_cut_doc_is_still_refused_with_what_is_missing() {
    let b = seed();
    for cut in [b.len() / 2, b.len() * 9 / 10, b.len() - 512] {
        let e = read("cut.doc", &b[..cut], &Limits::default()).unwrap_err();
        assert_eq!(e.kind_name(), "not_ole2", "{cut}: {e}");
        // The message says what the repaired copy still lacks.
        let sectors = cut.div_ceil(512) - 1;
        assert!(
            e.to_string().contains(&format!(
                "; with the FAT cut to the file's {sectors} sectors: "
            )),
            "{cut}: {e}"
        );
    }
}
