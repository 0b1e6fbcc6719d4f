//! Finding a Word `TC` field on a text-export line (the field itself is parsed by
//! `tablift-fields`).

use tablift_fields::parse_tc_field;
use tablift_model::TcField;

/// Splits a text-export line into visible text and a trailing `TC` field, as Tika prints
/// fields of legacy `.doc` files: `一、总体绩效目标 TC 总体绩效目标 \f A \l 1 `.
///
/// `TC` must start the line or follow whitespace, and what follows must parse to the end of
/// the line with [`parse_tc_field`] and carry a switch or a quoted entry, so that ordinary text
/// mentioning "TC" stays text. The visible text is returned with trailing whitespace trimmed.
pub(crate) fn split_tc(line: &str) -> (&str, Option<TcField>) {
    for (pos, _) in line.match_indices("TC") {
        let before = line.get(..pos).unwrap_or_default();
        if !(before.is_empty() || before.ends_with(char::is_whitespace)) {
            continue;
        }
        let instr = line.get(pos..).unwrap_or_default();
        if let Some(tc) = parse_tc_field(instr) {
            let quoted = instr
                .get(2..)
                .unwrap_or_default()
                .trim_start()
                .starts_with('"');
            let has_switch =
                tc.type_id.is_some() || tc.level.is_some() || !tc.other_switches.is_empty();
            if quoted || has_switch {
                return (before.trim_end(), Some(tc));
            }
        }
    }
    (line.trim_end(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc(entry: &str, type_id: Option<&str>, level: Option<u8>) -> TcField {
        TcField {
            entry: entry.into(),
            type_id: type_id.map(str::to_string),
            level,
            other_switches: vec![],
        }
    }

    #[test]
    fn split_tc_takes_the_field_off_heading_lines() {
        let (text, f) = split_tc(r"一、总体绩效目标 TC 总体绩效目标 \f A \l 1 ");
        assert_eq!(text, "一、总体绩效目标");
        assert_eq!(f, Some(tc("总体绩效目标", Some("A"), Some(1))));
        let (text, f) = split_tc(r#"标题 TC "标 题" "#);
        assert_eq!((text, f), ("标题", Some(tc("标 题", None, None))));
        // Plain text mentioning TC stays text.
        assert_eq!(split_tc("ETC TC 协议 "), ("ETC TC 协议", None));
        assert_eq!(split_tc("  缩进  "), ("  缩进", None));
    }
}
