//! Glyphs to text: lines by baseline, spaces from horizontal gaps, lines to paragraphs.
//!
//! Pure functions on [`Glyph`]s; unit-tested below.

use crate::interp::Glyph;
use std::ops::Range;

/// Glyphs whose baselines differ by at most this fraction of the font size share a line
/// (baselines of one line jitter by rounding; the next line is at least ~1 em away).
pub(crate) const BASELINE_TOLERANCE: f32 = 0.4;

/// A gap wider than this fraction of the font size between two glyphs is a word space:
/// LibreOffice writes no space character (`467002` then `定州市…` are just apart), and a
/// Latin space is ~0.25 em wide, while kerning and letter spacing stay well below it.
pub(crate) const SPACE_GAP: f32 = 0.2;

/// Between two CJK characters a gap only counts as a space when it exceeds this fraction of
/// the font size: justified Chinese text spreads characters apart by up to a third of an em.
pub(crate) const CJK_SPACE_GAP: f32 = 1.0;

/// A next line starting further right than this many em from the left edge starts a
/// paragraph (Chinese paragraphs indent their first line by two characters).
pub(crate) const INDENT: f32 = 1.0;

/// Lines further apart than this many em (baseline to baseline) are separate paragraphs
/// (single and 1.5 line spacing stay below it).
pub(crate) const MAX_LEADING: f32 = 2.2;

/// A line of text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    /// Left edge of the first glyph.
    pub x0: f32,
    /// Right edge of the last glyph.
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Largest font size on the line.
    pub size: f32,
    /// Text, spaces included, trimmed.
    pub text: String,
    /// Width of the first word (up to the first space; the first glyph for CJK).
    pub first_word: f32,
}

impl Line {
    /// Top of the line (baseline plus the em height: LibreOffice embeds fonts with ascent 0).
    pub fn top(&self) -> f32 {
        self.y + self.size * 0.85
    }

    /// Bottom of the line (baseline minus a descent).
    pub fn bottom(&self) -> f32 {
        self.y - self.size * 0.2
    }
}

/// Whether a character is a CJK ideograph or CJK punctuation (text without spaces).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// The y of a glyph's centre, used to place it in a cell.
pub(crate) fn centre_y(g: &Glyph) -> f32 {
    g.y + g.size * 0.35
}

/// Lines from the glyphs at `idx` (any order): clustered by baseline, top to bottom, each
/// left to right.
pub(crate) fn lines(glyphs: &[Glyph], idx: &[usize]) -> Vec<Line> {
    let mut gs: Vec<&Glyph> = idx.iter().filter_map(|&i| glyphs.get(i)).collect();
    gs.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut out = Vec::new();
    let mut start = 0;
    while start < gs.len() {
        let Some(first) = gs.get(start) else { break };
        let tol = first.size.max(1.0) * BASELINE_TOLERANCE;
        let mut end = start + 1;
        while gs.get(end).is_some_and(|g| first.y - g.y <= tol) {
            end += 1;
        }
        if let Some(group) = gs.get_mut(start..end) {
            group.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            if let Some(l) = line(group) {
                out.push(l);
            }
        }
        start = end;
    }
    out
}

/// Whether a character may not start a line (CJK closing punctuation): a writer moves the
/// character before it down with it, so it belongs to the next line's first "word".
fn closes(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '”'
            | '’'
            | '》'
            | '〉'
            | '】'
            | '…'
            | '%'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
    )
}

/// The width of a line's first unbreakable unit, measured as its glyphs are kept, left to
/// right (spaces excluded): a run of Latin letters and digits, or one CJK character, with any
/// closing punctuation after it. Folded into [`line`]'s loop, so no list of the kept glyphs.
struct FirstWord {
    x0: f32,
    end: f32,
    latin: bool,
    done: bool,
}

impl FirstWord {
    fn new(first: &Glyph) -> FirstWord {
        FirstWord {
            x0: first.x0,
            end: first.x1,
            latin: !is_cjk(first.ch),
            done: false,
        }
    }

    /// The next kept glyph: it extends the word unless a gap or a word boundary ends it.
    fn push(&mut self, g: &Glyph) {
        if self.done {
            return;
        }
        if g.x0 - self.end > SPACE_GAP * g.size.max(1.0)
            || !(closes(g.ch) || (self.latin && !is_cjk(g.ch)))
        {
            self.done = true;
            return;
        }
        self.end = g.x1;
    }

    fn width(&self) -> f32 {
        self.end - self.x0
    }
}

/// One line from glyphs sorted left to right.
fn line(gs: &[&Glyph]) -> Option<Line> {
    let mut text = String::with_capacity(gs.len() * 3); // mostly CJK: three bytes a character
    let mut prev: Option<&Glyph> = None;
    let mut pending_space = false;
    let (mut x0, mut x1, mut size) = (f32::INFINITY, f32::NEG_INFINITY, 0.0_f32);
    let mut y = 0.0;
    let mut first_word: Option<FirstWord> = None;
    for &g in gs {
        if g.ch.is_whitespace() || g.ch.is_control() {
            pending_space = !text.is_empty();
            continue;
        }
        if let Some(p) = prev {
            // Overprinted duplicates (fake bold) are drawn twice at the same place.
            if p.ch == g.ch && (p.x0 - g.x0).abs() < 0.1 * g.size.max(1.0) {
                continue;
            }
            let em = p.size.max(g.size).max(1.0);
            let gap = g.x0 - p.x1;
            let limit = if is_cjk(p.ch) && is_cjk(g.ch) {
                CJK_SPACE_GAP
            } else {
                SPACE_GAP
            };
            if gap > limit * em {
                pending_space = true;
            }
        }
        if pending_space && !text.is_empty() {
            text.push(' ');
        }
        pending_space = false;
        if text.is_empty() {
            x0 = g.x0;
            y = g.y;
        }
        text.push(g.ch);
        match &mut first_word {
            Some(w) => w.push(g),
            None => first_word = Some(FirstWord::new(g)),
        }
        x1 = x1.max(g.x1);
        size = size.max(g.size);
        prev = Some(g);
    }
    if text.is_empty() {
        return None;
    }
    Some(Line {
        x0,
        x1,
        y,
        size,
        first_word: first_word.as_ref().map_or(0.0, FirstWord::width),
        text,
    })
}

/// The number of a numbered item's marker at the start of `text`: `1、`, `2.`, `（3）`,
/// `(4)`, `五、`. None for anything else (`2020 年` is no marker: no mark after the digits).
pub(crate) fn item_number(text: &str) -> Option<u32> {
    const CJK_DIGITS: &str = "一二三四五六七八九十";
    let (inner, paren) = match text.strip_prefix(['（', '(']) {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let digits: &str = {
        let n = inner
            .char_indices()
            .find(|&(_, c)| !c.is_ascii_digit())
            .map_or(inner.len(), |(i, _)| i);
        &inner[..n]
    };
    let (number, rest) = if !digits.is_empty() && digits.len() <= 3 {
        (digits.parse().ok()?, &inner[digits.len()..])
    } else {
        let c = inner.chars().next()?;
        let n = CJK_DIGITS.chars().position(|d| d == c)?;
        (u32::try_from(n).ok()? + 1, &inner[c.len_utf8()..])
    };
    let mark = rest.chars().next()?;
    let closes = if paren {
        matches!(mark, '）' | ')')
    } else {
        matches!(mark, '、' | '.' | '．')
    };
    // `1.5` is a number, not item 1.
    let after = rest[mark.len_utf8()..].chars().next();
    (closes && !(mark == '.' && after.is_some_and(|c| c.is_ascii_digit()))).then_some(number)
}

/// Join wrapped lines into paragraphs. A line ends its paragraph when the next line's first
/// word would have fitted before `right` (the text area's right edge, padding excluded), so
/// the writer broke there on purpose, when the next line is indented from `left` by more
/// than [`INDENT`] em (a first-line indent), when it is further down than [`MAX_LEADING`]
/// em, or when the paragraph is numbered item n and the next line starts item n + 1 (a list
/// item that happened to end near the right edge); otherwise the next line continues it.
/// Lines are joined without a space, except between two Latin letters or digits (a wrap at a
/// space).
pub(crate) fn paragraphs(lines: &[Line], left: f32, right: f32) -> Vec<(String, Range<usize>)> {
    // A paragraph is a run of consecutive lines, so its lines are a range, not a list.
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    let mut open = false;
    // The item number the open paragraph starts with.
    let mut item: Option<u32> = None;
    for (i, l) in lines.iter().enumerate() {
        if !open {
            item = item_number(&l.text);
        }
        match out.last_mut() {
            Some((text, members)) if open => {
                let join = text
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && l.text
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                if join {
                    text.push(' ');
                }
                text.push_str(&l.text);
                members.end = i + 1;
            }
            _ => out.push((l.text.clone(), i..i + 1)),
        }
        open = match lines.get(i + 1) {
            Some(next) => {
                let room = right - l.x1;
                let em = l.size.max(next.size);
                let close = next.y < l.y && l.y - next.y < MAX_LEADING * em;
                let indented = next.x0 > left + INDENT * next.size;
                let next_item = item.is_some_and(|n| item_number(&next.text) == n.checked_add(1));
                close && !indented && !next_item && room < next.first_word + 0.3 * next.size
            }
            None => false,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut pen = x;
        for ch in text.chars() {
            let w = if is_cjk(ch) { size } else { size * 0.5 };
            out.push(Glyph {
                ch,
                x0: pen,
                x1: pen + w,
                y,
                size,
            });
            pen += w;
        }
        out
    }

    fn all(gs: &[Glyph]) -> Vec<usize> {
        (0..gs.len()).collect()
    }

    #[test]
    fn gaps_become_spaces_and_baselines_make_lines() {
        let mut gs = glyphs("467002", 10.0, 100.0, 10.0);
        gs.extend(glyphs("定州市", 50.0, 100.3, 10.0));
        gs.extend(glyphs("第二行", 10.0, 86.0, 10.0));
        gs.reverse(); // content order does not matter
        let ls = lines(&gs, &all(&gs));
        let texts: Vec<&str> = ls.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["467002 定州市", "第二行"]);
        // Justified Chinese, a third of an em apart: no spaces.
        let mut gs = Vec::new();
        for (i, ch) in "环境质量".chars().enumerate() {
            let x0 = 10.0 + i as f32 * 13.3;
            gs.push(Glyph {
                ch,
                x0,
                x1: x0 + 10.0,
                y: 50.0,
                size: 10.0,
            });
        }
        assert_eq!(lines(&gs, &all(&gs))[0].text, "环境质量");
    }

    #[test]
    fn explicit_spaces_collapse_and_duplicates_drop() {
        let mut gs = glyphs("a  b", 0.0, 0.0, 10.0);
        gs.extend(glyphs("b", 15.0, 0.0, 10.0)); // b drawn twice (fake bold)
        assert_eq!(lines(&gs, &all(&gs))[0].text, "a b");
    }

    #[test]
    fn wrapped_lines_join_and_short_lines_end_paragraphs() {
        // A 100 pt wide text area; 10 pt CJK glyphs: ten per full line.
        let mut gs = glyphs("一二三四五六七八九十", 0.0, 100.0, 10.0);
        gs.extend(glyphs("续完。", 0.0, 86.0, 10.0));
        gs.extend(glyphs("新段落", 0.0, 72.0, 10.0));
        let ls = lines(&gs, &all(&gs));
        let ps: Vec<String> = paragraphs(&ls, 0.0, 100.0)
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(ps, vec!["一二三四五六七八九十续完。", "新段落"]);
        let gs = [
            glyphs("467-0602-YBN-", 0.0, 100.0, 10.0),
            glyphs("E8OQ", 0.0, 86.0, 10.0),
        ]
        .concat();
        let ls = lines(&gs, &all(&gs));
        assert_eq!(paragraphs(&ls, 0.0, 66.0)[0].0, "467-0602-YBN-E8OQ");
        assert!(paragraphs(&[], 0.0, 1.0).is_empty());
        // A numbered item is its own paragraph even though its number is no CJK character;
        // `可。` moves down together (no line starts with `。`).
        let gs = [
            glyphs("1、完成任务", 0.0, 100.0, 10.0),
            glyphs("2、完成任务", 0.0, 86.0, 10.0),
        ]
        .concat();
        assert_eq!(paragraphs(&lines(&gs, &all(&gs)), 0.0, 100.0).len(), 2);
        let gs = [
            glyphs("一二三四五六七八", 0.0, 100.0, 10.0),
            glyphs("可。", 0.0, 86.0, 10.0),
        ]
        .concat();
        assert_eq!(paragraphs(&lines(&gs, &all(&gs)), 0.0, 95.0).len(), 1);
    }

    #[test]
    fn the_next_numbered_item_starts_a_paragraph_even_after_a_full_line() {
        // Item 1 fills its line to the right edge, so by width `2、` would be a wrap.
        let gs = [
            glyphs("1、一二三四五六七八", 0.0, 100.0, 10.0),
            glyphs("2、为环境服务", 0.0, 86.0, 10.0),
        ]
        .concat();
        let ps: Vec<String> = paragraphs(&lines(&gs, &all(&gs)), 0.0, 95.0)
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(ps, ["1、一二三四五六七八", "2、为环境服务"]);
        // A full line that is no item, or an item followed by a number that is not the
        // next item, still wraps.
        for (first, second) in [
            ("一二三四五六七八九十", "2、为"),
            ("1、一二三四五六七八", "3、为"),
        ] {
            let gs = [
                glyphs(first, 0.0, 100.0, 10.0),
                glyphs(second, 0.0, 86.0, 10.0),
            ]
            .concat();
            assert_eq!(
                paragraphs(&lines(&gs, &all(&gs)), 0.0, 95.0).len(),
                1,
                "{first}"
            );
        }
    }

    #[test]
    fn item_markers() {
        assert_eq!(item_number("1、完成"), Some(1));
        assert_eq!(item_number("12.完成"), Some(12));
        assert_eq!(item_number("（3）完成"), Some(3));
        assert_eq!(item_number("(4)完成"), Some(4));
        assert_eq!(item_number("五、完成"), Some(5));
        assert_eq!(item_number("2020 年"), None);
        assert_eq!(item_number("1.5 万元"), None);
        assert_eq!(item_number("（3完成"), None);
        assert_eq!(item_number("1"), None);
        assert_eq!(item_number(""), None);
        assert_eq!(item_number("99999、"), None);
    }
}
