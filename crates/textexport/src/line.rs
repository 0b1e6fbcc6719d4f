//! The line grammar (nom, on one decoded line without its line end): what kind of line it is,
//! the cells of a row line, and a paragraph's trailing Word `TC` field.
//!
//! For: deciding what a single line says. Not for: splitting the text into lines or finding
//! where a line starts in the input (`decode`, tuned for speed and raw offsets), nor for how
//! runs of lines make rows and tables (`block`).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_until, take_while};
use nom::character::complete::char;
use nom::combinator::{eof, iterator, map, rest, value};
use nom::sequence::preceded;
use nom::{IResult, Parser};
use tablift_fields::parse_tc_field;
use tablift_model::TcField;

/// The grammar's error type: failures are alternatives not taken, never reported.
type E<'t> = nom::error::Error<&'t str>;

/// What a line is, for the block grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind<'t> {
    /// Whitespace only (Unicode `White_Space`, as `str::trim`), and not starting with a TAB.
    /// The count is of consecutive blank lines: the line splitter merges a run into one token,
    /// since the block grammar only ever asks how many there were.
    Blank(u32),
    /// Starts with a TAB: a cell line (cell-per-line) or a row line (row-per-line). The text
    /// after that first TAB.
    Tabbed(&'t str),
    /// Anything else: a paragraph, or a further paragraph of the cell above.
    Text(&'t str),
}

/// `\t` + anything.
fn tabbed(line: &str) -> IResult<&str, Kind<'_>> {
    map(preceded(char('\t'), rest), Kind::Tabbed).parse(line)
}

/// Whitespace to the end of the line. A leading TAB is whitespace too, but [`tabbed`] is tried
/// first: an empty cell (`\t`) must not count as blank.
fn blank(line: &str) -> IResult<&str, Kind<'_>> {
    value(Kind::Blank(1), (take_while(char::is_whitespace), eof)).parse(line)
}

/// Classifies one line (line end excluded). Total: every line is one of the three kinds.
pub(crate) fn kind(line: &str) -> Kind<'_> {
    match alt((tabbed, blank, map(rest, Kind::Text))).parse(line) {
        Ok((_, kind)) => kind,
        // Unreachable (`rest` always matches); a line is text rather than lost.
        Err(_) => Kind::Text(line),
    }
}

/// One cell of a row line: up to the next TAB.
fn cell(input: &str) -> IResult<&str, &str> {
    take_till(|c| c == '\t')(input)
}

/// The TAB-separated cells of `text` (the part of a row line after its leading TAB, or a
/// continuation line): `a\tb\t` gives `a`, `b`, `` (as `str::split('\t')`), handed to `f` one by one
/// so that no list is built per line. `f` gets the cell's index.
pub(crate) fn cells<'t>(text: &'t str, mut f: impl FnMut(usize, &'t str)) {
    let Ok((after_first, first)) = cell(text) else {
        // Unreachable (`take_till` accepts the empty cell); the line is one cell.
        f(0, text);
        return;
    };
    f(0, first);
    // Each further cell starts with its TAB, so every step consumes input.
    let mut more = iterator(after_first, preceded(char::<_, E<'t>>('\t'), cell));
    for (i, c) in (&mut more).enumerate() {
        f(i + 1, c);
    }
}

/// Whether `instr` (starting at `TC`) is a `TC` field instruction to the end of the line that
/// carries a switch or a quoted entry, so that ordinary text mentioning "TC" stays text.
fn tc_field(instr: &str) -> Option<TcField> {
    let tc = parse_tc_field(instr)?;
    let quoted = (
        tag::<_, _, E<'_>>("TC"),
        take_while(char::is_whitespace),
        char('"'),
    )
        .parse(instr)
        .is_ok();
    let has_switch = tc.type_id.is_some() || tc.level.is_some() || !tc.other_switches.is_empty();
    (quoted || has_switch).then_some(tc)
}

/// A paragraph line: its visible text (trailing whitespace trimmed) and a trailing `TC`
/// field, as Tika prints fields of legacy `.doc` files:
/// `一、总体绩效目标 TC 总体绩效目标 \f A \l 1 `.
///
/// `TC` must start the line or follow whitespace, and what follows must parse to the end of
/// the line with [`parse_tc_field`] (see [`tc_field`]); the first such `TC` wins.
pub(crate) fn paragraph(line: &str) -> (&str, Option<TcField>) {
    let mut from = 0;
    while let Some(Ok((instr, skipped))) = line
        .get(from..)
        .map(|s| take_until::<_, _, E<'_>>("TC").parse(s))
    {
        let at = from + skipped.len();
        let before = line.get(..at).unwrap_or_default();
        let after_space = before.is_empty() || before.ends_with(char::is_whitespace);
        if let Some(tc) = after_space.then(|| tc_field(instr)).flatten() {
            return (before.trim_end(), Some(tc));
        }
        from = at + "TC".len();
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

    fn all_cells(text: &str) -> Vec<(usize, &str)> {
        let mut v = Vec::new();
        cells(text, |i, c| v.push((i, c)));
        v
    }

    #[test]
    fn kinds_of_lines_from_the_seed() {
        // seed.tika-doc.txt lines 64, 65 and 67; seed.tika-docx.txt line 37.
        assert_eq!(
            kind("1、2020年中央大气污染防治资金绩效目标表 TC 1、2020年中央大气污染防治资金绩效目标表 \\f C \\l 1 "),
            Kind::Text("1、2020年中央大气污染防治资金绩效目标表 TC 1、2020年中央大气污染防治资金绩效目标表 \\f C \\l 1 ")
        );
        assert_eq!(
            kind("\t467002定州市生态环境局"),
            Kind::Tabbed("467002定州市生态环境局")
        );
        assert_eq!(kind(""), Kind::Blank(1));
        assert_eq!(
            kind("\t467002定州市生态环境局\t单位：万元"),
            Kind::Tabbed("467002定州市生态环境局\t单位：万元")
        );
    }

    #[test]
    fn blank_is_unicode_whitespace_but_an_empty_cell_is_not_blank() {
        for blank in ["", " ", "\u{3000}", " \u{a0}\r "] {
            assert_eq!(kind(blank), Kind::Blank(1), "{blank:?}");
        }
        assert_eq!(kind("\t"), Kind::Tabbed(""));
        assert_eq!(kind("\t  "), Kind::Tabbed("  "));
        assert_eq!(kind("  缩进"), Kind::Text("  缩进"));
    }

    #[test]
    fn cells_split_at_every_tab() {
        // seed.tika-docx.txt line 39, after its leading TAB: an empty last cell.
        assert_eq!(
            all_cells("预算规模及资金用途\t预算数\t4621.00\t其中：财政资金\t4621.00\t其他资金\t"),
            [
                (0, "预算规模及资金用途"),
                (1, "预算数"),
                (2, "4621.00"),
                (3, "其中：财政资金"),
                (4, "4621.00"),
                (5, "其他资金"),
                (6, "")
            ]
        );
        // Line 40: `\t\t大气污染治理各项工作`, an empty first cell.
        assert_eq!(
            all_cells("\t大气污染治理各项工作"),
            [(0, ""), (1, "大气污染治理各项工作")]
        );
        assert_eq!(all_cells(""), [(0, "")]);
        assert_eq!(all_cells("a\t\tb"), [(0, "a"), (1, ""), (2, "b")]);
    }

    #[test]
    fn paragraph_takes_the_tc_field_off_heading_lines() {
        // seed.tika-doc.txt line 3.
        let (text, f) = paragraph(r"一、总体绩效目标 TC 总体绩效目标 \f A \l 1 ");
        assert_eq!(text, "一、总体绩效目标");
        assert_eq!(f, Some(tc("总体绩效目标", Some("A"), Some(1))));
        // Line 64.
        let (text, f) = paragraph(
            r"1、2020年中央大气污染防治资金绩效目标表 TC 1、2020年中央大气污染防治资金绩效目标表 \f C \l 1 ",
        );
        assert_eq!(text, "1、2020年中央大气污染防治资金绩效目标表");
        assert_eq!(
            f,
            Some(tc(
                "1、2020年中央大气污染防治资金绩效目标表",
                Some("C"),
                Some(1)
            ))
        );
        let (text, f) = paragraph(r#"标题 TC "标 题" "#);
        assert_eq!((text, f), ("标题", Some(tc("标 题", None, None))));
        // At the start of the line.
        assert_eq!(
            paragraph(r"TC 目录 \l 2").1,
            Some(tc("目录", None, Some(2)))
        );
    }

    #[test]
    fn paragraph_keeps_text_that_only_mentions_tc() {
        assert_eq!(paragraph("ETC TC 协议 "), ("ETC TC 协议", None));
        assert_eq!(paragraph("ETC收费"), ("ETC收费", None));
        assert_eq!(paragraph("  缩进  "), ("  缩进", None));
        // A `TC` inside a word is no candidate; the next one after a space is.
        assert_eq!(
            paragraph(r"ETC与 TC 标题 \l 1"),
            ("ETC与", Some(tc("标题", None, Some(1))))
        );
        // The first candidate that parses wins: an unquoted entry runs up to the switches.
        assert_eq!(
            paragraph(r"TC 与 TC 标题 \l 1"),
            ("", Some(tc("与 TC 标题", None, Some(1))))
        );
    }
}
