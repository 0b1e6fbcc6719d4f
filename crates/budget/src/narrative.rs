//! The narrative part: headings, their paths, body paragraphs and `一是…` items.

use crate::records::Section;
use crate::ws::TrimWs;
use tablift_model::Paragraph;

/// Longest paragraph taken as a heading by its numbering pattern alone (`1.…`); longer
/// numbered paragraphs are body text.
pub const MAX_PATTERN_HEADING_CHARS: usize = 60;
/// Longest paragraph joined to a bare `第一部分` heading as its title.
const MAX_PART_TITLE_CHARS: usize = 40;

/// A Chinese numeral (一二三四五六七八九十百零〇两). A `match`, not `str::contains`: this is
/// asked for every character of the narrative, and a substring search per char was most of
/// `sections`.
fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '两'
    )
}

/// The outline rank a heading pattern implies (1 = outermost), or `None` for body text.
///
/// `第X部分/章/篇` → 1; `一、` → 2; `（一）` → 3; `1.`/`1、`/`1．` → 4; `（1）` → 5.
pub fn pattern_rank(text: &str) -> Option<u8> {
    let t = text.trim_ws();
    if let Some(rest) = t.strip_prefix('第') {
        let n = rest
            .chars()
            .take_while(|c| is_cn_digit(*c) || c.is_ascii_digit())
            .count();
        let after: String = rest.chars().skip(n).take(1).collect();
        if n > 0 && matches!(after.as_str(), "部" | "章" | "篇") {
            return Some(1);
        }
    }
    let n = t.chars().take_while(|c| is_cn_digit(*c)).count();
    if n > 0 && t.chars().nth(n) == Some('、') {
        return Some(2);
    }
    if let Some(rest) = t.strip_prefix('（').or_else(|| t.strip_prefix('(')) {
        let n = rest.chars().take_while(|c| is_cn_digit(*c)).count();
        if n > 0 && matches!(rest.chars().nth(n), Some('）' | ')')) {
            return Some(3);
        }
    }
    match crate::values::goal_marker(t) {
        Some(_) if t.starts_with(['（', '(']) => Some(5),
        Some(_) => Some(4),
        None => None,
    }
}

fn is_bare_part(text: &str) -> bool {
    let t = text.trim_ws();
    pattern_rank(t) == Some(1) && (t.ends_with("部分") || t.ends_with('章') || t.ends_with('篇'))
}

/// Whether a paragraph is a heading, and its rank.
fn heading_rank(p: &Paragraph) -> Option<u8> {
    let text = p.text.trim_ws();
    if text.is_empty() {
        return None;
    }
    if let Some(r) = pattern_rank(text) {
        if text.chars().count() <= MAX_PATTERN_HEADING_CHARS {
            return Some(r);
        }
    }
    if let Some(l) = p.heading_level {
        return Some(l.clamp(1, 9));
    }
    // A TC field without a numbering pattern: an entry of the table of contents, treated as
    // a second-rank heading (TC levels differ between exports of the same document).
    p.tc.as_ref().map(|_| 2)
}

/// Whether an item may start after `prev` (`None`: at the start of the text).
fn at_item_boundary(prev: Option<char>) -> bool {
    prev.is_none_or(|p| {
        matches!(p, '。' | '；' | ';' | '！' | '!' | '？' | '?' | '\n') || p.is_whitespace()
    })
}

/// Items (`一是…`, `二是…`) in a paragraph: each from its marker to the next marker.
///
/// A marker is one to three Chinese numerals after a boundary, then `是`. The search is for `是`
/// (a `memchr` on one of its bytes) and looks back from it, rather than decoding and testing every
/// character of the narrative: the numerals before a `是` are a maximal run, and only the run's
/// first numeral can follow a boundary.
pub fn items_in(text: &str, out: &mut Vec<String>) {
    let mut starts: Vec<usize> = Vec::new();
    for (p, _) in text.match_indices('是') {
        let mut start = p;
        let mut n = 0;
        let mut prev = None;
        for c in text.get(..p).unwrap_or("").chars().rev() {
            if !is_cn_digit(c) {
                prev = Some(c);
                break;
            }
            n += 1;
            start -= c.len_utf8();
            if n > 3 {
                break;
            }
        }
        if (1..=3).contains(&n) && at_item_boundary(prev) {
            starts.push(start);
        }
    }
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(text.len());
        if let Some(item) = text.get(s..e) {
            let item = item.trim_ws();
            if !item.is_empty() {
                out.push(item.to_string());
            }
        }
    }
}

/// Build sections from narrative paragraphs in document order.
pub fn sections(paragraphs: &[&Paragraph]) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    // (rank, heading) of the open headings, outermost first.
    let mut stack: Vec<(u8, String)> = Vec::new();
    let mut i = 0;
    while let Some(p) = paragraphs.get(i) {
        i += 1;
        let text = p.text.trim_ws();
        if text.is_empty() {
            continue;
        }
        let Some(rank) = heading_rank(p) else {
            if out.is_empty() {
                out.push(Section {
                    origin: p.origin.clone(),
                    ..Section::default()
                });
            }
            if let Some(s) = out.last_mut() {
                s.paragraphs.push(text.to_string());
                items_in(text, &mut s.items);
            }
            continue;
        };
        let mut heading = text.to_string();
        if is_bare_part(text) {
            if let Some(next) = paragraphs.get(i) {
                let nt = next.text.trim_ws();
                if !nt.is_empty()
                    && heading_rank(next).is_none()
                    && nt.chars().count() <= MAX_PART_TITLE_CHARS
                    && !nt.contains(['。', '；', '：', ':'])
                {
                    heading.push(' ');
                    heading.push_str(nt);
                    i += 1;
                }
            }
        }
        while stack.last().is_some_and(|(r, _)| *r >= rank) {
            stack.pop();
        }
        stack.push((rank, heading.clone()));
        out.push(Section {
            index: 0,
            heading_path: stack.iter().map(|(_, h)| h.clone()).collect(),
            heading,
            tc_entry: p.tc.as_ref().map(|t| t.entry.clone()),
            tc_level: p.tc.as_ref().and_then(|t| t.level),
            paragraphs: Vec::new(),
            items: Vec::new(),
            origin: p.origin.clone(),
        });
    }
    for (k, s) in out.iter_mut().enumerate() {
        s.index = u32::try_from(k).unwrap_or(u32::MAX);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cn_digits() {
        assert!("一二三四五六七八九十百零〇两".chars().all(is_cn_digit));
        assert!(!"1是第、千万亿".chars().any(is_cn_digit));
    }

    #[test]
    fn ranks() {
        assert_eq!(pattern_rank(" 第一部分"), Some(1));
        assert_eq!(pattern_rank("一、总体绩效目标"), Some(2));
        assert_eq!(pattern_rank("（二）分项"), Some(3));
        assert_eq!(pattern_rank("1.环境质量明显改善"), Some(4));
        assert_eq!(pattern_rank("（1）子项"), Some(5));
        assert_eq!(pattern_rank("一是严格落实"), None);
        assert_eq!(pattern_rank("2020年度职责分类绩效目标情况说明"), None);
        assert_eq!(pattern_rank("1.5亿元"), None);
    }

    /// The char-by-char `items_in` this module had before, kept as the reference.
    fn reference_items_in(text: &str, out: &mut Vec<String>) {
        let mut starts: Vec<usize> = Vec::new();
        let mut prev: Option<char> = None;
        for (i, c) in text.char_indices() {
            // The numeral first: it is rare, and the boundary test (a Unicode whitespace lookup)
            // ran for every character before.
            let at_boundary = || {
                prev.is_none_or(|p| {
                    matches!(p, '。' | '；' | ';' | '！' | '!' | '？' | '?' | '\n')
                        || p.is_whitespace()
                })
            };
            if is_cn_digit(c) && at_boundary() {
                let rest = text.get(i..).unwrap_or("");
                let n = rest.chars().take_while(|c| is_cn_digit(*c)).count();
                if n <= 3 && rest.chars().nth(n) == Some('是') {
                    starts.push(i);
                }
            }
            prev = Some(c);
        }
        for (k, &s) in starts.iter().enumerate() {
            let e = starts.get(k + 1).copied().unwrap_or(text.len());
            if let Some(item) = text.get(s..e) {
                let item = item.trim_ws();
                if !item.is_empty() {
                    out.push(item.to_string());
                }
            }
        }
    }

    #[test]
    fn items_equal_reference() {
        let texts = [
            "一是强化教育。加强培训。二是完善制度。统一是好的。三是严格问责。",
            "是",
            "一是",
            " 一是a 二是b\n三是c",
            "十一是x。十二是y；一百一是z。一百一十是w。",
            "统一是 一是 二 是 。两是〇是",
            "一二三四是。一二三是！二十是?三是",
            "abc一是def",
            "",
            "一",
        ];
        for t in texts {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            items_in(t, &mut a);
            reference_items_in(t, &mut b);
            assert_eq!(a, b, "{t}");
        }
    }

    #[test]
    fn items() {
        let mut v = Vec::new();
        items_in(
            "一是强化教育。加强培训。二是完善制度。统一是好的。三是严格问责。",
            &mut v,
        );
        assert_eq!(
            v,
            [
                "一是强化教育。加强培训。",
                "二是完善制度。统一是好的。",
                "三是严格问责。"
            ]
        );
    }
}
