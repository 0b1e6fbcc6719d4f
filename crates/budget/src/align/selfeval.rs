//! Recognising a self-evaluation (绩效自评表): a form of its own, never a target table.
//!
//! A 绩效自评表 has the target table's labels and levels (项目名称, 一级/二级指标, 指标值) but
//! reports a year's results beside them: 全年实际完成值, 全年执行数, 执行率, 得分. Read as a
//! target table it would give targets that are really results, so it is recognised by the
//! columns only a self-evaluation has and read as nothing but a `self_evaluation` flag.

use crate::records::{Flag, FlagCode};
use crate::ws::TrimWs;
use tablift_model::{Block, Document, Origin};

/// Column headers found only in self-evaluations (a target form has none of them; `执行率`
/// is left out: `预算执行率` is a common target indicator).
const MARKERS: &[&str] = &["全年实际完成值", "实际完成值", "全年执行数", "未完成原因"];

/// Bytes of the shortest of [`MARKERS`]: a text shorter than that holds none of them.
const SHORTEST_MARKER: usize = {
    let mut shortest = usize::MAX;
    let mut i = 0;
    while i < MARKERS.len() {
        if MARKERS[i].len() < shortest {
            shortest = MARKERS[i].len();
        }
        i += 1;
    }
    shortest
};

/// Longest title line: a title saying 自评 is short; prose mentioning a 自评 is not a title.
const MAX_TITLE_CHARS: usize = 48;

/// Longest paragraph looked at: headers, even run together, are short; prose is not evidence.
const MAX_CHARS: usize = 120;

/// Rows of each table looked at: the markers are headers, near the top.
const MAX_TABLE_ROWS: usize = 12;

/// Note the marker texts a paragraph or cell holds, and where the first was.
fn markers_in(t: &str, found: &mut Vec<&'static str>, first: &mut Option<Origin>, o: &Origin) {
    // This runs on every paragraph and header cell of every document, nearly none of them a
    // self-evaluation's: byte bounds (no marker fits in fewer bytes than the shortest one, a
    // number or a short label most cells are; CJK is three bytes a char) and one char that
    // every marker holds (完 or 执) reject nearly all of them at once.
    if t.len() < SHORTEST_MARKER || t.len() > MAX_CHARS * 3 || !has_marker_char(t) {
        return;
    }
    for m in MARKERS {
        if crate::short::holds(t, m) {
            if !found.contains(m) {
                found.push(m);
            }
            first.get_or_insert_with(|| o.clone());
        }
    }
}

/// Whether `t` holds 完 or 执 (every marker has one), in one pass over the bytes: two
/// substring searches cost five times as much on the short cells of a flattened export.
/// The pass steps a whole char at a time (by its UTF-8 lead byte), so a CJK text costs one
/// step per char, not three.
fn has_marker_char(t: &str) -> bool {
    const WAN: &[u8] = "完".as_bytes();
    const ZHI: &[u8] = "执".as_bytes();
    let b = t.as_bytes();
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        i += match lead {
            0xE0..=0xEF => {
                // Both chars are three bytes, led by 0xE5 and 0xE6.
                if (lead == 0xE5 || lead == 0xE6)
                    && b.get(i..i + 3).is_some_and(|w| w == WAN || w == ZHI)
                {
                    return true;
                }
                3
            }
            0xF0..=0xFF => 4,
            0xC0..=0xDF => 2,
            _ => 1,
        };
    }
    false
}

/// The distinct markers: `实际完成值` inside a found `全年实际完成值` is the same column.
fn distinct(found: &[&'static str]) -> Vec<&'static str> {
    found
        .iter()
        .copied()
        .filter(|m| !found.iter().any(|n| n != m && n.contains(m)))
        .collect()
}

/// A title line of a self-evaluation (`…绩效目标自评表`, `…绩效自评`).
fn is_title(t: &str) -> bool {
    t.len() <= MAX_TITLE_CHARS * 3
        && crate::short::holds(t, "自评")
        && t.chars().count() <= MAX_TITLE_CHARS
        && (t.contains("自评表") || t.ends_with("自评") || t.contains("绩效自评"))
}

/// A `self_evaluation` flag when the document is a 绩效自评表: two distinct self-evaluation
/// column headers, or one beside a title saying 自评.
pub fn self_evaluation(doc: &Document) -> Option<Flag> {
    let mut found: Vec<&str> = Vec::new();
    let mut first: Option<Origin> = None;
    let mut titled: Option<(String, Origin)> = None;
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => {
                let t = p.text.trim_ws();
                if titled.is_none() && is_title(t) {
                    titled = Some((t.to_string(), p.origin.clone()));
                }
                markers_in(t, &mut found, &mut first, &p.origin);
            }
            Block::Table(tb) => {
                for row in tb.rows.iter().take(MAX_TABLE_ROWS) {
                    for c in &row.cells {
                        for para in &c.paragraphs {
                            markers_in(para.trim_ws(), &mut found, &mut first, &c.origin);
                        }
                    }
                }
            }
        }
    }
    let found = distinct(&found);
    let enough = found.len() >= 2 || (!found.is_empty() && titled.is_some());
    if !enough {
        return None;
    }
    let (title, origin) = titled.unwrap_or_else(|| (String::new(), first.unwrap_or_default()));
    Some(Flag {
        field: "document".into(),
        raw: title,
        message: format!(
            "a self-evaluation (绩效自评表: columns {}): results, not targets; no target records read from it",
            found.join(", ")
        ),
        origin,
        ..Flag::new(FlagCode::SelfEvaluation)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_chars() {
        assert!(has_marker_char("全年实际完成值"));
        assert!(has_marker_char("全年执行数(B)"));
        assert!(!has_marker_char("指标值"));
        assert!(!has_marker_char(""));
        // A lead byte at the very end (cut text) is no match and no panic.
        assert!(!has_marker_char("\u{5b8c}".get(..0).unwrap_or("")));
        // Stepping by chars of every width finds what a substring search finds.
        for t in [
            "a完",
            "é执行",
            "😀完成",
            "ÿ执",
            "尚未完",
            "执",
            "实际",
            "é😀a",
        ] {
            assert_eq!(
                has_marker_char(t),
                t.contains('完') || t.contains('执'),
                "{t:?}"
            );
        }
        assert_eq!(SHORTEST_MARKER, "实际完成值".len());
    }

    #[test]
    fn titles() {
        assert!(is_title(
            "车辆购置税收入补助地方资金(普通省道公路建设)绩效目标自评"
        ));
        assert!(is_title(
            "中央车购税对地方补助资金绩效目标自评表 (普通省道和农村公路)"
        ));
        assert!(!is_title("绩效目标表"));
    }
}
