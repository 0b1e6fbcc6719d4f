//! Parses Word field instructions for the tablift readers: for now the `TC` (table of
//! contents entry) field that budget disclosures put on their headings.
//!
//! # Brief overview
//!
//! [`parse_tc_field`] turns an instruction such as `TC "总体绩效目标" \f A \l 1` into a
//! [`TcField`]. Both readers use it: the `.docx` reader on the instruction text of complex
//! (`w:instrText`) and simple (`w:fldSimple`) fields, the text-export reader on what Tika
//! prints after a heading.
//!
//! ```
//! let tc = tablift_fields::parse_tc_field(r#"TC "1、项目" \l 2"#).unwrap();
//! assert_eq!((tc.entry.as_str(), tc.level), ("1、项目", Some(2)));
//! ```
//!
//! Not for: finding fields in a document (each reader knows its own syntax) or evaluating
//! fields (a field's result is text the readers take as is).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_till, take_till1};
use nom::character::complete::{char, multispace0, multispace1, satisfy};
use nom::combinator::{eof, map, opt, peek, recognize, verify};
use nom::multi::many0;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};
use tablift_model::TcField;

/// The body of a quoted field argument, up to (not including) the closing quote. Word escapes
/// a quote inside an argument as `\"` and a backslash as `\\`; any other backslash is literal.
fn quoted_body(i: &str) -> IResult<&str, String> {
    let mut out = String::new();
    let mut chars = i.char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return Ok((i.get(k..).unwrap_or_default(), out)),
            '\\' => match i.get(k + 1..).and_then(|r| r.chars().next()) {
                Some(e @ ('"' | '\\')) => {
                    out.push(e);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    // No closing quote.
    Err(nom::Err::Error(nom::error::Error::new(
        i,
        nom::error::ErrorKind::Char,
    )))
}

fn quoted(i: &str) -> IResult<&str, String> {
    delimited(char('"'), quoted_body, char('"')).parse(i)
}

/// An unquoted entry: everything up to the first switch, surrounding spaces trimmed. (Word
/// itself only takes the first word of an unquoted argument, but Tika prints the entries of
/// legacy `.doc` files unquoted with their spaces, so the whole run is the entry.)
fn unquoted(i: &str) -> IResult<&str, String> {
    // An opening quote without a closing one is malformed, not an unquoted entry.
    map(
        verify(take_till(|c| c == '\\'), |s: &str| !s.starts_with('"')),
        |s: &str| s.trim().to_string(),
    )
    .parse(i)
}

/// A switch argument: a quoted string or one word that is not itself a switch.
fn argument(i: &str) -> IResult<&str, String> {
    alt((
        quoted,
        map(
            verify(take_till1(char::is_whitespace), |s: &str| {
                !s.starts_with('\\')
            }),
            str::to_string,
        ),
    ))
    .parse(i)
}

/// A switch: a backslash and one character (`\f`, `\l`, `\n`, `\*`), with an optional
/// argument after whitespace or attached to it. Word's switches are all one character long.
fn switch(i: &str) -> IResult<&str, (&str, Option<String>)> {
    (
        preceded(
            multispace0,
            recognize((
                char('\\'),
                satisfy(|c: char| !c.is_whitespace() && c != '\\' && c != '"'),
            )),
        ),
        // The argument follows after whitespace or directly (`\l2`, `\fB`).
        opt(alt((preceded(multispace1, argument), argument))),
    )
        .parse(i)
}

fn tc_field(i: &str) -> IResult<&str, TcField> {
    let (i, _) = (
        multispace0,
        tag_no_case("TC"),
        alt((multispace1, peek(tag("\"")))),
    )
        .parse(i)?;
    let (i, entry) = alt((quoted, unquoted)).parse(i)?;
    let (i, switches) = many0(switch).parse(i)?;
    let (i, _) = (multispace0, eof).parse(i)?;
    let mut field = TcField {
        entry,
        ..TcField::default()
    };
    for (name, arg) in switches {
        let name_lc = name.to_ascii_lowercase();
        match (name_lc.as_str(), arg) {
            ("\\f", Some(a)) if field.type_id.is_none() => field.type_id = Some(a),
            ("\\l", Some(a)) if field.level.is_none() => match a.parse::<u8>() {
                Ok(level) => field.level = Some(level),
                Err(_) => field.other_switches.push((name.to_string(), Some(a))),
            },
            (_, arg) => field.other_switches.push((name.to_string(), arg)),
        }
    }
    Ok((i, field))
}

/// Parses a Word `TC` field instruction such as `TC "总体绩效目标" \f A \l 1`.
///
/// Accepted forms: the `TC` keyword (any case, leading whitespace allowed), then the entry,
/// quoted (`"a b"`, with `\"` and `\\` escapes) or unquoted (the text up to the first switch,
/// trimmed: Tika prints `.doc` entries that way, spaces included), then switches. `\f` gives
/// [`TcField::type_id`] and `\l` [`TcField::level`] (a number 0–255); every other switch, and
/// a repeated `\f`/`\l` or a `\l` whose argument is no number, goes to
/// [`TcField::other_switches`] in source order. Trailing whitespace is allowed; anything else
/// after the switches, an unclosed quote or an empty entry gives `None`.
///
/// ```
/// use tablift_fields::parse_tc_field;
///
/// let tc = parse_tc_field(r#"TC "1、项目 绩效" \l 2"#).unwrap();
/// assert_eq!(tc.entry, "1、项目 绩效");
/// assert_eq!(tc.level, Some(2));
/// assert_eq!(tc.type_id, None);
///
/// let tc = parse_tc_field(r"TC 总体绩效目标 \f A \l 1 ").unwrap();
/// assert_eq!((tc.entry.as_str(), tc.type_id.as_deref(), tc.level), ("总体绩效目标", Some("A"), Some(1)));
///
/// assert!(parse_tc_field("TOC \\o").is_none());
/// ```
pub fn parse_tc_field(instr: &str) -> Option<TcField> {
    match tc_field(instr) {
        Ok((_, field)) if !field.entry.is_empty() => Some(field),
        _ => None,
    }
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
    fn unquoted_tika_form() {
        assert_eq!(
            parse_tc_field(r"TC 总体绩效目标 \f A \l 1 "),
            Some(tc("总体绩效目标", Some("A"), Some(1)))
        );
        assert_eq!(
            parse_tc_field(r"TC 9、孟良河微生态复育修育项目绩效目标表 \f C "),
            Some(tc("9、孟良河微生态复育修育项目绩效目标表", Some("C"), None))
        );
    }

    #[test]
    fn quoted_forms() {
        assert_eq!(
            parse_tc_field(r#"TC "1、总体 绩效 目标" \l 2"#),
            Some(tc("1、总体 绩效 目标", None, Some(2)))
        );
        assert_eq!(
            parse_tc_field(r#"  tc "say \"hi\" \\ \x" \f A"#),
            Some(tc(r#"say "hi" \ \x"#, Some("A"), None))
        );
        assert_eq!(parse_tc_field(r#"TC"x""#), Some(tc("x", None, None)));
        assert_eq!(
            parse_tc_field(r#"TC "x" \f "B""#),
            Some(tc("x", Some("B"), None))
        );
    }

    #[test]
    fn other_switches_are_kept_in_order() {
        let f = parse_tc_field(r"TC 标题 \n \l 3 \x y \f A \f B \l two").unwrap();
        assert_eq!(f.entry, "标题");
        assert_eq!(f.type_id.as_deref(), Some("A"));
        assert_eq!(f.level, Some(3));
        assert_eq!(
            f.other_switches,
            vec![
                ("\\n".to_string(), None),
                ("\\x".to_string(), Some("y".to_string())),
                ("\\f".to_string(), Some("B".to_string())),
                ("\\l".to_string(), Some("two".to_string())),
            ]
        );
        // A level beyond u8 is kept as written.
        let f = parse_tc_field(r"TC a \l 300").unwrap();
        assert_eq!(f.level, None);
        assert_eq!(f.other_switches, vec![("\\l".into(), Some("300".into()))]);
    }

    #[test]
    fn rejects_what_is_not_a_tc_field() {
        assert_eq!(parse_tc_field(""), None);
        assert_eq!(parse_tc_field("TC"), None);
        assert_eq!(parse_tc_field(r"TC \l 1"), None); // empty entry
        assert_eq!(parse_tc_field(r#"TC "open \l 1"#), None); // unclosed quote
        assert_eq!(parse_tc_field(r#"TC "a" junk"#), None);
        assert_eq!(parse_tc_field(r"TCX a \l 1"), None);
        assert_eq!(parse_tc_field(r"TOC \o 1-3"), None);
    }

    // The .docx reader's cases (instruction text as Word stores it).
    #[test]
    fn unquoted_entry_with_type_and_level() {
        assert_eq!(
            parse_tc_field(" TC 总体绩效目标 \\f A \\l 1 "),
            Some(tc("总体绩效目标", Some("A"), Some(1)))
        );
    }

    #[test]
    fn quoted_entry_level_only() {
        assert_eq!(
            parse_tc_field(" TC \"总体绩效目标\" \\l 2 "),
            Some(tc("总体绩效目标", None, Some(2)))
        );
    }

    #[test]
    fn quoted_entry_with_escapes_and_spaces() {
        assert_eq!(
            parse_tc_field(r#"tc "a \"b\" c\\d" \f C"#),
            Some(tc(r#"a "b" c\d"#, Some("C"), None))
        );
    }

    #[test]
    fn unquoted_multi_word_entry() {
        assert_eq!(
            parse_tc_field("TC  Part one \\l 3"),
            Some(tc("Part one", None, Some(3)))
        );
    }

    #[test]
    fn other_switches_kept_in_order() {
        let f = parse_tc_field(r#"TC "x" \n \l 2 \x "y" \f"#).unwrap();
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
        let f = parse_tc_field(r#"TC "x" \l2 \fB"#).unwrap();
        assert_eq!((f.level, f.type_id.as_deref()), (Some(2), Some("B")));
        let g = parse_tc_field(r#"TC "x" \l high"#).unwrap();
        assert_eq!(g.level, None);
        assert_eq!(g.other_switches, vec![("\\l".into(), Some("high".into()))]);
    }

    #[test]
    fn not_tc() {
        assert_eq!(parse_tc_field(" PAGE \\* MERGEFORMAT "), None);
        assert_eq!(parse_tc_field(" TOC \\o \"1-3\" "), None);
        assert_eq!(parse_tc_field("\"TC\" x"), None);
        assert_eq!(parse_tc_field("   "), None);
    }
}
