//! File names for the rectangular tables: the input's name made safe as a relative path, then
//! the table's number (`sample/seed.docx` → `sample/seed.docx.t003`).

use std::fmt::Write as _;

/// The longest path component kept, in bytes (file systems allow 255; the table suffix and
/// `.csv` must still fit).
const MAX_COMPONENT_BYTES: usize = 200;

/// The path under `tables/` (without `.csv`) of table `number` (`003`, `003-r2-c1-t1`) of
/// input `source`. The input's directories are kept, so the files of one input sit together
/// and two inputs named alike in different directories do not collide. Made safe: no root,
/// no `.`/`..` (`..` becomes `_up`), no control or Windows-reserved characters (each becomes
/// `_`), components cut at [`MAX_COMPONENT_BYTES`] on a character boundary.
///
/// ```
/// assert_eq!(tablift_tables::file_stem("sample/seed.docx", "003"), "sample/seed.docx.t003");
/// assert_eq!(tablift_tables::file_stem("/data/../a:b.html", "001"), "data/_up/a_b.html.t001");
/// ```
pub fn file_stem(source: &str, number: &str) -> String {
    let mut out = String::with_capacity(source.len() + number.len() + 2);
    for part in source.split(['/', '\\']) {
        let part = match part {
            "" | "." => continue,
            ".." => "_up",
            p => p,
        };
        if !out.is_empty() {
            out.push('/');
        }
        let start = out.len();
        for c in part.chars() {
            if out.len() - start + c.len_utf8() > MAX_COMPONENT_BYTES {
                break;
            }
            let bad = c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|');
            out.push(if bad { '_' } else { c });
        }
    }
    if out.is_empty() {
        out.push_str("input");
    }
    let _ = write!(out, ".t{number}");
    out
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn names_are_relative_and_safe() {
        assert_eq!(file_stem("a\\b\\c.doc", "001"), "a/b/c.doc.t001");
        assert_eq!(
            file_stem("./x//y.txt", "012-r1-c2-t1"),
            "x/y.txt.t012-r1-c2-t1"
        );
        assert_eq!(file_stem("", "001"), "input.t001");
        assert_eq!(file_stem("..", "001"), "_up.t001");
        assert_eq!(file_stem("a\u{0}b", "001"), "a_b.t001");
        let long = "长".repeat(100);
        let stem = file_stem(&long, "001");
        assert_eq!(stem, format!("{}.t001", "长".repeat(66)));
    }
}
