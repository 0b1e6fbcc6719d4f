//! Substring search for short cells and labels.
//!
//! `str::contains`/`rfind` set up a Two-Way searcher for every call (a critical factorisation
//! of the needle: ~100 instructions), which is most of the cost when the haystack is a cell
//! of a few dozen bytes, and the aligner asks such questions of every line of a text export.
//! These scan for the needle's first byte and compare the rest: linear in the haystack, no
//! set-up. For long text, use `str`'s own. memchr's `memmem` (already in the workspace) was
//! measured in their place: 20 × seed.libreoffice.txt, `extract -j 1 --format csv`, callgrind:
//! std 136.2 M instructions, memmem 134.6 M, this scan 131.4 M.

/// Whether `hay` holds `needle` (an empty needle is held by everything, as in `str`).
pub(crate) fn holds(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// The byte offset of the first `needle` in `hay`.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, _)) = n.split_first() else {
        return Some(0);
    };
    let last_start = h.len().checked_sub(n.len())?;
    (0..=last_start).find(|&i| h.get(i) == Some(&first) && h.get(i..i + n.len()) == Some(n))
}

/// The byte offset of the last `needle` in `hay`.
pub(crate) fn rfind(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, _)) = n.split_first() else {
        return Some(hay.len());
    };
    let last_start = h.len().checked_sub(n.len())?;
    (0..=last_start)
        .rev()
        .find(|&i| h.get(i) == Some(&first) && h.get(i..i + n.len()) == Some(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_str_on_cjk_and_ascii_cases() {
        let hays = [
            "",
            "单位",
            "填报单位:(盖章) 单位:万元",
            "全年实际完成值",
            "ab",
            "a单位b单位",
            "单",
        ];
        let needles = ["", "单位", "完成值", "b", "单位:", "ab", "位"];
        for h in hays {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "find {h:?} {n:?}");
                assert_eq!(rfind(h, n), h.rfind(n), "rfind {h:?} {n:?}");
                assert_eq!(holds(h, n), h.contains(n), "holds {h:?} {n:?}");
            }
        }
    }
}
