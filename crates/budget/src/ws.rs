//! `str::trim` and friends with the same result, but deciding the common ends without the
//! Unicode whitespace table: nearly every cell starts and ends with ASCII or a CJK ideograph,
//! and `char::is_whitespace` looked each ideograph up in that table (~0.1M Ir per document).

/// Exactly `char::is_whitespace` (checked for every char by a test), spelled out: the
/// non-ASCII whitespace characters are few and all below U+3001.
fn is_ws(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'..='\r'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// Whether a char starting with lead byte `b` is certainly not whitespace: printable ASCII, or
/// a lead byte of U+4000 and above (the last whitespace char, U+3000, is `E3 80 80`).
fn lead_not_ws(b: u8) -> bool {
    (0x21..0x80).contains(&b) || b >= 0xE4
}

/// Whitespace trimming equal to `str::trim`, `trim_start` and `trim_end`.
pub(crate) trait TrimWs {
    /// `str::trim`.
    fn trim_ws(&self) -> &str;
    /// `str::trim_start`.
    fn trim_ws_start(&self) -> &str;
    /// `str::trim_end`.
    fn trim_ws_end(&self) -> &str;
}

// `#[inline]`: the fast paths are a few instructions, and whether rustc inlined them on its own
// changed with the shape of the callers (splitting the table pass into smaller functions left
// them out of line: +1.5% Ir per seed document).
impl TrimWs for str {
    #[inline]
    fn trim_ws(&self) -> &str {
        self.trim_ws_start().trim_ws_end()
    }

    #[inline]
    fn trim_ws_start(&self) -> &str {
        match self.as_bytes().first() {
            None => self,
            Some(&b) if lead_not_ws(b) => self,
            Some(_) => self.trim_start_matches(is_ws),
        }
    }

    #[inline]
    fn trim_ws_end(&self) -> &str {
        let b = self.as_bytes();
        let n = b.len();
        let last = match b.last() {
            None => return self,
            Some(&l) => l,
        };
        if (0x21..0x80).contains(&last) {
            return self;
        }
        // A three-byte char at the end (valid UTF-8: a lead byte three from the end, followed by
        // two continuation bytes, is the last char).
        if n >= 3 && (0x80..0xC0).contains(&last) {
            if let Some(&lead) = b.get(n - 3) {
                if (0xE4..0xF0).contains(&lead) {
                    return self;
                }
            }
        }
        self.trim_end_matches(is_ws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every char: cheap enough to run by default.
    #[test]
    fn is_ws_is_char_is_whitespace() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_ws(c), c.is_whitespace(), "U+{:04X}", c as u32);
        }
    }

    /// Every char with `TABLIFT_EXHAUSTIVE=1`, else a sample (see `fold::test_chars`).
    #[test]
    fn trims_like_std() {
        for c in crate::fold::test_chars() {
            for s in [
                format!("{c}"),
                format!("{c}a{c}"),
                format!(" {c}项{c} "),
                format!("{c}{c}"),
                format!("\u{3000}{c}"),
                format!("{c}\u{2003}"),
            ] {
                assert_eq!(s.trim_ws(), s.trim(), "U+{:04X}", c as u32);
                assert_eq!(s.trim_ws_start(), s.trim_start(), "U+{:04X}", c as u32);
                assert_eq!(s.trim_ws_end(), s.trim_end(), "U+{:04X}", c as u32);
            }
        }
        for s in [
            "",
            " ",
            "a",
            "项目 ",
            "\u{3000}项目\u{3000}",
            "\t\n",
            "é ",
            " 𠀀",
        ] {
            assert_eq!(s.trim_ws(), s.trim(), "{s:?}");
        }
    }
}
