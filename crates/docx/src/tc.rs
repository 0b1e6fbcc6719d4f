//! A small parser for Word `TC` (table of contents entry) field instructions.
//!
//! Private on purpose: `tablift-textexport` has its own copy for text exports, and the two will
//! be deduplicated once both have settled.

use tablift_model::TcField;

/// One token of a field instruction: a quoted string or a bare word.
struct Token {
    text: String,
    quoted: bool,
}

impl Token {
    fn is_switch(&self) -> bool {
        !self.quoted && self.text.starts_with('\\')
    }
}

/// Split a field instruction into tokens, honouring Word's quoting (`"a b"`, `\"`, `\\`).
fn tokens(instr: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = instr.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(first) = chars.next() else { break };
        let mut text = String::new();
        if first == '"' {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' if matches!(chars.peek(), Some('"' | '\\')) => {
                        if let Some(n) = chars.next() {
                            text.push(n);
                        }
                    }
                    _ => text.push(c),
                }
            }
            out.push(Token { text, quoted: true });
        } else {
            text.push(first);
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                text.push(c);
            }
            out.push(Token {
                text,
                quoted: false,
            });
        }
    }
    out
}

/// Parse a field instruction such as ` TC "总体绩效目标" \f A \l 1 `; `None` when it is not a
/// `TC` field.
pub(crate) fn parse_tc(instr: &str) -> Option<TcField> {
    let toks = tokens(instr);
    let mut it = toks.into_iter().peekable();
    let head = it.next()?;
    if head.quoted || !head.text.eq_ignore_ascii_case("TC") {
        return None;
    }
    let mut field = TcField::default();
    // Word wants multi-word entries quoted, but hand-typed fields often are not: take every
    // bare word up to the first switch.
    match it.peek() {
        Some(t) if t.quoted => {
            field.entry = it.next().map(|t| t.text).unwrap_or_default();
        }
        _ => {
            let mut words: Vec<String> = Vec::new();
            while let Some(t) = it.next_if(|t| !t.is_switch()) {
                words.push(t.text);
            }
            field.entry = words.join(" ");
        }
    }
    while let Some(t) = it.next() {
        if !t.is_switch() {
            continue; // stray words after the entry carry no meaning for a TC field
        }
        // `\l2` is accepted by Word as `\l 2`.
        let split = t.text.char_indices().nth(2).map(|(i, _)| i);
        let (name, attached) = match split.and_then(|i| t.text.split_at_checked(i)) {
            Some((n, a)) => (n.to_string(), Some(a.to_string())),
            None => (t.text, None),
        };
        let lower = name.to_ascii_lowercase();
        // `\n` (no page number) is the only TC switch without an argument.
        let arg = if attached.is_some() || lower == "\\n" {
            attached
        } else {
            it.next_if(|n| !n.is_switch()).map(|n| n.text)
        };
        match (lower.as_str(), arg) {
            ("\\f", Some(a)) if field.type_id.is_none() => field.type_id = Some(a),
            ("\\l", Some(a)) if field.level.is_none() && a.parse::<u8>().is_ok() => {
                field.level = a.parse().ok();
            }
            (_, arg) => field.other_switches.push((name, arg)),
        }
    }
    Some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc(entry: &str, f: Option<&str>, l: Option<u8>) -> TcField {
        TcField {
            entry: entry.into(),
            type_id: f.map(Into::into),
            level: l,
            other_switches: Vec::new(),
        }
    }

    #[test]
    fn unquoted_entry_with_type_and_level() {
        assert_eq!(
            parse_tc(" TC 总体绩效目标 \\f A \\l 1 "),
            Some(tc("总体绩效目标", Some("A"), Some(1)))
        );
    }

    #[test]
    fn quoted_entry_level_only() {
        assert_eq!(
            parse_tc(" TC \"总体绩效目标\" \\l 2 "),
            Some(tc("总体绩效目标", None, Some(2)))
        );
    }

    #[test]
    fn quoted_entry_with_escapes_and_spaces() {
        assert_eq!(
            parse_tc(r#"tc "a \"b\" c\\d" \f C"#),
            Some(tc(r#"a "b" c\d"#, Some("C"), None))
        );
    }

    #[test]
    fn unquoted_multi_word_entry() {
        assert_eq!(
            parse_tc("TC  Part one \\l 3"),
            Some(tc("Part one", None, Some(3)))
        );
    }

    #[test]
    fn other_switches_kept_in_order() {
        let f = parse_tc(r#"TC "x" \n \l 2 \x "y" \f"#).unwrap();
        assert_eq!(f.entry, "x");
        assert_eq!(f.level, Some(2));
        assert_eq!(
            f.other_switches,
            vec![
                ("\\n".to_string(), None),
                ("\\x".to_string(), Some("y".to_string())),
                ("\\f".to_string(), None),
            ]
        );
    }

    #[test]
    fn attached_switch_argument_and_bad_level() {
        let f = parse_tc(r#"TC "x" \l2 \fB"#).unwrap();
        assert_eq!((f.level, f.type_id.as_deref()), (Some(2), Some("B")));
        let g = parse_tc(r#"TC "x" \l high"#).unwrap();
        assert_eq!(g.level, None);
        assert_eq!(g.other_switches, vec![("\\l".into(), Some("high".into()))]);
    }

    #[test]
    fn not_tc() {
        assert_eq!(parse_tc(" PAGE \\* MERGEFORMAT "), None);
        assert_eq!(parse_tc(" TOC \\o \"1-3\" "), None);
        assert_eq!(parse_tc("\"TC\" x"), None);
        assert_eq!(parse_tc("   "), None);
    }
}
