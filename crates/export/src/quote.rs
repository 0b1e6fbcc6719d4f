//! CSV quoting decided eight bytes at a time, for the renderer's dataset rows (`CsvRows`),
//! which it hands fields quoted where needed.
//!
//! Why not let csv-core decide: its check looks every byte up in a table, and CSV rendering
//! is the largest part of a batch run after parsing (every table cell of every document, each
//! row led by the source path). Testing a word at a time, and deciding the source path once
//! per document, took a text document's render from 3.28M to see docs/PERFORMANCE.md.
//! The rule is csv's default (`QuoteStyle::Necessary` with the `\n` terminator): quote a field
//! holding `,` `"` `\r` or `\n`, doubling its quotes; a unit test holds the two to each other.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Nonzero where a byte of `x` equals `b` (the lowest flag exact; higher ones may be borrow
/// artefacts, so the result is used as a yes/no answer only).
#[inline]
fn equal(x: u64, b: u8) -> u64 {
    let y = x ^ (ONES * u64::from(b));
    y.wrapping_sub(ONES) & !y & HIGHS
}

/// Whether `field` must be quoted: it holds `,` `"` `\r` or `\n`.
#[inline]
pub(crate) fn needs_quotes(field: &[u8]) -> bool {
    let mut chunks = field.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        if equal(x, b',') | equal(x, b'"') | equal(x, b'\n') | equal(x, b'\r') != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&c| matches!(c, b',' | b'"' | b'\r' | b'\n'))
}

/// `field` quoted, its quotes doubled, appended to `out`.
pub(crate) fn quote_onto(field: &[u8], out: &mut Vec<u8>) {
    out.reserve(field.len() + 2);
    out.push(b'"');
    for part in field.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_quotes_finds_every_special_at_every_position() {
        let naive = |b: &[u8]| b.iter().any(|c| b",\"\r\n".contains(c));
        // Neighbours of the specials, bytes with the high bit set, and zero (borrow cases).
        let fillers = [
            b'a', b'+', b'-', b'!', b'#', 0x0b, 0x0c, 0x0e, 0x00, 0x80, 0xe4, 0xff,
        ];
        for len in 0..20 {
            for &fill in &fillers {
                let plain = vec![fill; len];
                assert_eq!(needs_quotes(&plain), naive(&plain), "{plain:?}");
                for pos in 0..len {
                    for special in [b',', b'"', b'\r', b'\n'] {
                        let mut v = plain.clone();
                        v[pos] = special;
                        assert!(needs_quotes(&v), "{v:?}");
                    }
                }
            }
        }
        assert!(!needs_quotes("项目名称：水污染防治（第二期）".as_bytes()));
        assert!(needs_quotes("项目名称，水污染防治,".as_bytes()));
    }

    #[test]
    fn quoting_matches_the_csv_crate_default() {
        let fields = [
            "a",
            "",
            "a,b",
            "say \"hi\"",
            "x\ny",
            "cr\r",
            "中文，全角",
            "\"",
            "\"\"x\"",
            " lead and trail ",
            "#hash",
        ];
        let mut want = csv::Writer::from_writer(Vec::new());
        want.write_record(fields).unwrap();
        let want = want.into_inner().unwrap();
        let mut mine = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Never)
            .from_writer(Vec::new());
        let mut q = Vec::new();
        for f in fields {
            if needs_quotes(f.as_bytes()) {
                q.clear();
                quote_onto(f.as_bytes(), &mut q);
                mine.write_field(&q).unwrap();
            } else {
                mine.write_field(f).unwrap();
            }
        }
        mine.write_record(None::<&[u8]>).unwrap();
        assert_eq!(
            String::from_utf8(mine.into_inner().unwrap()).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }
}
