//! Text folding for label comparison: full-width → half-width, whitespace and `：:` removed,
//! and the few traditional characters that occur in form labels mapped to simplified ones.
//!
//! Folding borrows when the text needs no change, so comparing clean labels allocates nothing.

use crate::ws::TrimWs;
use std::borrow::Cow;

/// Traditional → simplified for the characters that occur in budget form labels and units.
/// Sorted by the traditional character (checked by a test) for binary search.
const TRAD_TO_SIMP: &[(char, char)] = &[
    ('並', '并'),
    ('備', '备'),
    ('價', '价'),
    ('億', '亿'),
    ('劃', '划'),
    ('務', '务'),
    ('單', '单'),
    ('報', '报'),
    ('實', '实'),
    ('撥', '拨'),
    ('據', '据'),
    ('數', '数'),
    ('會', '会'),
    ('構', '构'),
    ('標', '标'),
    ('機', '机'),
    ('測', '测'),
    ('滿', '满'),
    ('濟', '济'),
    ('環', '环'),
    ('產', '产'),
    ('當', '当'),
    ('確', '确'),
    ('碼', '码'),
    ('稱', '称'),
    ('級', '级'),
    ('終', '终'),
    ('經', '经'),
    ('編', '编'),
    ('總', '总'),
    ('績', '绩'),
    ('萬', '万'),
    ('號', '号'),
    ('計', '计'),
    ('設', '设'),
    ('說', '说'),
    ('護', '护'),
    ('財', '财'),
    ('費', '费'),
    ('資', '资'),
    ('質', '质'),
    ('釋', '释'),
    ('門', '门'),
    ('間', '间'),
    ('項', '项'),
    ('預', '预'),
    ('額', '额'),
    ('類', '类'),
    ('體', '体'),
];

// `trad` answers `None` below U+4E00 without a lookup, and `first_change` decides the
// ideographs U+4000..=U+9FFF on their bytes: both hold only while every traditional character
// of the table is a CJK unified ideograph, which the build checks.
const _: () = {
    let mut i = 0;
    while i < TRAD_TO_SIMP.len() {
        let t = TRAD_TO_SIMP[i].0 as u32;
        assert!(
            t >= 0x4E00 && t <= 0x9FFF,
            "a traditional character outside U+4E00..=U+9FFF"
        );
        i += 1;
    }
};

/// A 1024-bit filter over `code point % 1024` of the traditional characters: nearly every
/// character is rejected before the binary search.
const TRAD_FILTER: [u64; 16] = {
    let mut bits = [0u64; 16];
    let mut i = 0;
    while i < TRAD_TO_SIMP.len() {
        let slot = (TRAD_TO_SIMP[i].0 as u32 % 1024) as usize;
        bits[slot / 64] |= 1 << (slot % 64);
        i += 1;
    }
    bits
};

/// The [`TRAD_FILTER`] test alone: `false` means `trad` of this code point is `None`.
fn may_be_trad(cp: u32) -> bool {
    let slot = (cp % 1024) as usize;
    TRAD_FILTER
        .get(slot / 64)
        .is_some_and(|w| w & (1 << (slot % 64)) != 0)
}

fn trad(c: char) -> Option<char> {
    let slot = (c as u32 % 1024) as usize;
    if c < '\u{4E00}'
        || TRAD_FILTER
            .get(slot / 64)
            .is_none_or(|w| w & (1 << (slot % 64)) == 0)
    {
        return None;
    }
    TRAD_TO_SIMP
        .binary_search_by(|(t, _)| t.cmp(&c))
        .ok()
        .and_then(|i| TRAD_TO_SIMP.get(i))
        .map(|&(_, s)| s)
}

/// Full-width ASCII variants (U+FF01..=U+FF5E) and the ideographic space to ASCII.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn dropped_in_label(c: char) -> bool {
    c.is_whitespace() || matches!(c, ':' | '：' | '\u{200B}' | '\u{FEFF}')
}

/// What one character folds to in a label: `None` when it is dropped. Folding is char by char,
/// so `fold_label(a + b) == fold_label(a) + fold_label(b)` (the extractor relies on that).
pub(crate) fn fold_char(c: char) -> Option<char> {
    // Most label and value text is ASCII or CJK ideographs: decide those without the Unicode
    // whitespace table and the full-width ranges.
    if c.is_ascii() {
        return (!dropped_in_label(c)).then_some(c);
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return Some(trad(c).unwrap_or(c));
    }
    // The non-ASCII characters `char::is_whitespace` accepts, spelled out (the every-char test
    // below checks them against it): the Unicode table lookup was a large share of folding.
    if matches!(
        c,
        '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200B}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '：'
                | '\u{FEFF}'
    ) {
        return None;
    }
    let c = half_width(c);
    if dropped_in_label(c) {
        return None;
    }
    Some(trad(c).unwrap_or(c))
}

/// What one character of a value becomes under `fold_label(&fold_value(..))`.
pub(crate) fn fold_value_label_char(c: char) -> Option<char> {
    let c = half_width(c);
    fold_char(trad(c).unwrap_or(c))
}

/// The byte offset of the first char `fold_char` changes or drops. ASCII and the ideographs
/// U+4000..=U+9FFF (lead bytes `E4`..=`E9`) are decided on the bytes: an ASCII char changes only
/// if dropped, an ideograph only if traditional (`trad` is `None` below U+4E00). Decoding and
/// classifying every char through `fold_char` was most of a label's folding.
fn first_change(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        if x < 0x80 {
            if matches!(x, b' ' | b'\t'..=b'\r' | b':') {
                return Some(i);
            }
            i += 1;
        } else if (0xE4..=0xE9).contains(&x) {
            let (Some(&y), Some(&z)) = (b.get(i + 1), b.get(i + 2)) else {
                return Some(i);
            };
            let cp = u32::from(x & 0x0F) << 12 | u32::from(y & 0x3F) << 6 | u32::from(z & 0x3F);
            // The filter first, on the code point: the char is built only for the few it admits.
            if may_be_trad(cp) && char::from_u32(cp).is_none_or(|c| trad(c).is_some()) {
                return Some(i);
            }
            i += 3;
        } else {
            let c = s.get(i..).and_then(|t| t.chars().next())?;
            if fold_char(c) != Some(c) {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

/// Fold a label for comparison (see the module doc). Borrows when nothing changes.
pub fn fold_label(s: &str) -> Cow<'_, str> {
    // One pass: find the first character that folding changes; until then the text is its own
    // fold and nothing is copied.
    let Some(i) = first_change(s) else {
        return Cow::Borrowed(s);
    };
    // Then copy the unchanged runs whole and fold only the chars between them (pushing every
    // char one by one cost more than the scan).
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut next = Some(i);
    while let Some(i) = next {
        let (Some(head), Some(c)) = (rest.get(..i), rest.get(i..).and_then(|t| t.chars().next()))
        else {
            break;
        };
        out.push_str(head);
        out.extend(fold_char(c));
        rest = rest.get(i + c.len_utf8()..).unwrap_or("");
        next = first_change(rest);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Fold a value for parsing: full-width → half-width only, trimmed. Borrows when nothing changes.
pub fn fold_value(s: &str) -> Cow<'_, str> {
    let t = s.trim_ws();
    if !t.chars().any(|c| half_width(c) != c || trad(c).is_some()) {
        return Cow::Borrowed(t);
    }
    let out: String = t
        .chars()
        .map(|c| {
            let c = half_width(c);
            trad(c).unwrap_or(c)
        })
        .collect();
    match out.trim_ws().len() {
        n if n == out.len() => Cow::Owned(out),
        _ => Cow::Owned(out.trim_ws().to_string()),
    }
}

/// The chars the every-char tests check: all of them with `TABLIFT_EXHAUSTIVE=1` (slow: a
/// few million folds and trims), else a sample: every 97th code point, ASCII and Latin-1, every
/// whitespace char, CJK symbols and punctuation (U+3000..=U+303F), the full-width and
/// half-width forms (U+FF00..=U+FFEF), the edges of the fast paths (UTF-8 lengths, U+4000,
/// the ideographs' block), and every char of the vocabulary and of the traditional table.
#[cfg(test)]
pub(crate) fn test_chars() -> Vec<char> {
    let all = (0..=0x10FFFFu32).filter_map(char::from_u32);
    if std::env::var_os("TABLIFT_EXHAUSTIVE").is_some_and(|v| v == "1") {
        return all.collect();
    }
    let mut out: std::collections::BTreeSet<char> = all
        .clone()
        .step_by(97)
        .chain(all.filter(|c| c.is_whitespace()))
        .collect();
    let ranges = [
        0..=0xFF,
        0x200B..=0x200B,
        0x3000..=0x303F,
        0xFF00..=0xFFEF,
        0xFEFF..=0xFEFF,
        0x7FF..=0x800,
        0x3FFF..=0x4000,
        0x4DFF..=0x4E00,
        0x9FFF..=0xA000,
        0xFFFF..=0x10000,
        0x10FFFF..=0x10FFFF,
    ];
    out.extend(ranges.into_iter().flatten().filter_map(char::from_u32));
    out.extend(TRAD_TO_SIMP.iter().flat_map(|&(t, s)| [t, s]));
    out.extend(crate::vocab::test_chars());
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        assert!(TRAD_TO_SIMP.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// The two-pass fold this module had before the one-pass `fold_char`, kept as the reference.
    fn reference_fold(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            if dropped_in_label(c) {
                continue;
            }
            let c = half_width(c);
            if dropped_in_label(c) {
                continue;
            }
            out.push(trad(c).unwrap_or(c));
        }
        out
    }

    /// Every char with `TABLIFT_EXHAUSTIVE=1`, else a sample (see [`test_chars`]).
    #[test]
    fn one_pass_fold_equals_reference() {
        for c in test_chars() {
            let s = format!("a{c}b{c}");
            assert_eq!(fold_label(&s), reference_fold(&s), "U+{:04X}", c as u32);
            let one = c.to_string();
            assert_eq!(fold_label(&one), reference_fold(&one), "U+{:04X}", c as u32);
        }
    }

    /// Every char with `TABLIFT_EXHAUSTIVE=1`, else a sample (see [`test_chars`]).
    #[test]
    fn value_label_char_equals_both_folds() {
        for c in test_chars() {
            for s in [format!("{c}"), format!(" a{c}b{c} ")] {
                let by_char: String = s.chars().filter_map(fold_value_label_char).collect();
                assert_eq!(by_char, fold_label(&fold_value(&s)), "U+{:04X}", c as u32);
                // `same_text` relies on this: only blank text folds to an empty value.
                assert_eq!(fold_value(&s).is_empty(), s.trim_ws().is_empty());
            }
        }
    }

    #[test]
    fn folds_labels() {
        assert!(matches!(fold_label("项目编码"), Cow::Borrowed("项目编码")));
        assert_eq!(fold_label(" 其中：财政资金 "), "其中财政资金");
        assert_eq!(fold_label("資金支出計劃（％）"), "资金支出计划(%)");
        assert_eq!(fold_label("金额单位:萬元"), "金额单位万元");
        assert_eq!(fold_value("　４６２１．００ "), "4621.00");
        assert!(matches!(fold_value(" 4.00"), Cow::Borrowed("4.00")));
    }
}
