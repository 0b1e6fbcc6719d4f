//! HTML escaping: every byte of input-derived text goes through here.

use std::fmt::Write as _;

/// Append `s` to `out` with `& < > " '` escaped: safe both as text and inside a quoted
/// attribute, so a cell holding `<script>` shows as text.
pub(crate) fn esc(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in HTML text.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// `s` escaped, as a new string.
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    esc(&mut out, s);
    out
}

/// Append text with each line break as `<br>`.
pub(crate) fn esc_lines(out: &mut String, s: &str) {
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        esc(out, line);
    }
}

/// Append a formatted value (numbers, ids: never input text).
pub(crate) fn num(out: &mut String, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

/// `s` cut to at most `max` columns (a wide CJK character counts two), with an ellipsis when
/// cut: chart labels must fit their space whatever the script.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    let mut width = 0;
    for (i, ch) in s.char_indices() {
        width += if (ch as u32) >= 0x1100 { 2 } else { 1 };
        if width > max {
            return format!("{}…", s.get(..i).unwrap_or(s));
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            escaped(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escaped("a\u{0}b"), "a\u{fffd}b");
        assert_eq!(truncate("一二三四", 4), "一二…");
        assert_eq!(truncate("一二", 4), "一二");
        assert_eq!(truncate("abcdef", 4), "abcd…");
    }
}
