//! A tiny .doc writer for tests: a FIB, one or two pieces (an 8-bit one first, then UTF-16LE),
//! one PapxFkp page, a CLX and a PlcBtePapx, in a compound file with `WordDocument` and
//! `1Table`. Only what the reader reads is filled in.
#![allow(dead_code)]

use std::io::{Cursor, Write};

/// One paragraph: its characters, paragraph mark (0x0D or 0x07) included, and its sprms.
pub struct Para {
    pub text: String,
    pub grpprl: Vec<u8>,
}

pub fn para(text: &str, mark: char, grpprl: &[&[u8]]) -> Para {
    let mut t = text.to_string();
    t.push(mark);
    Para {
        text: t,
        grpprl: grpprl.concat(),
    }
}

pub const IN_TABLE: &[u8] = &[0x16, 0x24, 1];
pub const TTP: &[u8] = &[0x17, 0x24, 1];
pub const INNER_CELL: &[u8] = &[0x4B, 0x24, 1];
pub const INNER_TTP: &[u8] = &[0x4C, 0x24, 1];
pub const ITAP2: &[u8] = &[0x49, 0x66, 2, 0, 0, 0];

const TEXT_AT: usize = 1024;

/// A .doc whose first `compressed` paragraphs are an 8-bit (cp1252) piece.
pub fn build(paras: &[Para], compressed: usize) -> Vec<u8> {
    // Text: 8-bit piece at TEXT_AT, UTF-16 piece after it (even offset).
    let mut wd = vec![0u8; TEXT_AT];
    let mut runs: Vec<(u32, u32, &[u8])> = Vec::new(); // (fc start, fc end, grpprl)
    let mut cp = 0u32;
    let mut pieces: Vec<(u32, u32, u32)> = Vec::new(); // (cp start, cp end, raw fc)
    for (i, p) in paras.iter().enumerate() {
        if i == compressed && !wd.len().is_multiple_of(2) {
            wd.push(0);
        }
        let start_fc = wd.len() as u32;
        let start_cp = cp;
        for c in p.text.chars() {
            if i < compressed {
                let mut buf = [0u8; 4];
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
                assert_eq!(bytes.len(), 1, "not cp1252: {c:?}");
                wd.extend_from_slice(&bytes);
                cp += 1;
            } else {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    wd.extend_from_slice(&u.to_le_bytes());
                    cp += 1;
                }
            }
        }
        runs.push((start_fc, wd.len() as u32, &p.grpprl));
        let fc = if i < compressed {
            (start_fc * 2) | 0x4000_0000
        } else {
            start_fc
        };
        // Pieces: one per paragraph (a real file merges them; the reader must not care).
        pieces.push((start_cp, cp, fc));
    }
    let ccp_text = cp;

    // One FKP page, 512-aligned, after the text.
    while !wd.len().is_multiple_of(512) {
        wd.push(0);
    }
    let pn = (wd.len() / 512) as u32;
    let mut page = [0u8; 512];
    let crun = runs.len();
    for (i, r) in runs.iter().enumerate() {
        page[4 * i..4 * i + 4].copy_from_slice(&r.0.to_le_bytes());
    }
    page[4 * crun..4 * crun + 4].copy_from_slice(&runs.last().unwrap().1.to_le_bytes());
    let bx_at = 4 * (crun + 1);
    let mut top = 511usize; // papx grow down from the crun byte
    for (i, r) in runs.iter().enumerate() {
        let mut papx = vec![0u8, 0u8]; // istd 0
        papx.extend_from_slice(r.2);
        let body = if !papx.len().is_multiple_of(2) {
            let mut b = vec![papx.len().div_ceil(2) as u8];
            b.extend_from_slice(&papx);
            b
        } else {
            let mut b = vec![0u8, (papx.len() / 2) as u8];
            b.extend_from_slice(&papx);
            b
        };
        let mut at = top - body.len();
        at -= at % 2;
        assert!(at > bx_at + 13 * crun, "too many paragraphs for one page");
        page[at..at + body.len()].copy_from_slice(&body);
        page[bx_at + 13 * i] = (at / 2) as u8;
        top = at;
    }
    page[511] = crun as u8;
    wd.extend_from_slice(&page);

    // Table stream: CLX, then PlcBtePapx.
    let mut table = Vec::new();
    let n = pieces.len();
    let mut plc = Vec::new();
    for p in &pieces {
        plc.extend_from_slice(&p.0.to_le_bytes());
    }
    plc.extend_from_slice(&pieces.last().unwrap().1.to_le_bytes());
    for p in &pieces {
        plc.extend_from_slice(&[0, 0]);
        plc.extend_from_slice(&p.2.to_le_bytes());
        plc.extend_from_slice(&[0, 0]);
    }
    assert_eq!(plc.len(), 4 * (n + 1) + 8 * n);
    let clx_at = table.len() as u32;
    table.push(2);
    table.extend_from_slice(&(plc.len() as u32).to_le_bytes());
    table.extend_from_slice(&plc);
    let clx_len = table.len() as u32 - clx_at;
    let bte_at = table.len() as u32;
    table.extend_from_slice(&runs.first().unwrap().0.to_le_bytes());
    table.extend_from_slice(&runs.last().unwrap().1.to_le_bytes());
    table.extend_from_slice(&pn.to_le_bytes());
    let bte_len = table.len() as u32 - bte_at;

    // FIB.
    let put16 =
        |wd: &mut Vec<u8>, at: usize, v: u16| wd[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |wd: &mut Vec<u8>, at: usize, v: u32| wd[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut wd, 0, 0xA5EC);
    put16(&mut wd, 2, 0x00C1);
    put16(&mut wd, 0x0A, 0x0200); // fWhichTblStm: 1Table
    put16(&mut wd, 32, 14); // csw
    put16(&mut wd, 62, 22); // cslw
    put32(&mut wd, 64 + 12, ccp_text);
    put16(&mut wd, 152, 93); // cbRgFcLcb
    let pair = |i: usize| 154 + 8 * i;
    put32(&mut wd, pair(13), bte_at);
    put32(&mut wd, pair(13) + 4, bte_len);
    put32(&mut wd, pair(33), clx_at);
    put32(&mut wd, pair(33) + 4, clx_len);

    // Version 3 (512-byte sectors) keeps the files small enough for the fuzz corpus.
    let mut c =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    c.create_stream("WordDocument")
        .unwrap()
        .write_all(&wd)
        .unwrap();
    c.create_stream("1Table")
        .unwrap()
        .write_all(&table)
        .unwrap();
    c.flush().unwrap();
    c.into_inner().into_inner()
}
