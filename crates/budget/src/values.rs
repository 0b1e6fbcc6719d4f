//! Parsers for cell values: amounts, percentages, indicator values, goals, department lines.

use crate::fold::{fold_value, half_width};
use crate::records::{Goal, IndicatorValue, Op};
use crate::ws::TrimWs;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Longest number text accepted (rust_decimal holds 28-29 significant digits).
const MAX_NUMBER_CHARS: usize = 40;

/// Split a leading decimal number off `s` (already half-width): optional sign, digits with
/// `,` thousands separators (only between digit groups), optional fraction.
/// Returns the exact value and the rest of the text.
pub fn leading_number(s: &str) -> Option<(Decimal, &str)> {
    let bytes = s.as_bytes();
    let mut end = 0;
    // The sign, digits and point without separators, on the stack: this runs for every amount
    // and indicator value, and a growing String was a large share of it.
    let mut digits = NumberBuf::default();
    if let Some(&c) = bytes.first() {
        if c == b'-' || c == b'+' {
            if c == b'-' {
                digits.push(b'-')?;
            }
            end = 1;
        }
    }
    let int_start = end;
    let mut seen_digit = false;
    let mut seen_dot = false;
    while let Some(&c) = bytes.get(end) {
        match c {
            b'0'..=b'9' => {
                digits.push(c)?;
                seen_digit = true;
            }
            b',' if seen_digit
                && !seen_dot
                && bytes
                    .get(end + 1..end + 4)
                    .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                && !bytes.get(end + 4).is_some_and(u8::is_ascii_digit) =>
            {
                // A thousands separator: exactly three digits follow.
            }
            b'.' if seen_digit
                && !seen_dot
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) =>
            {
                digits.push(b'.')?;
                seen_dot = true;
            }
            _ => break,
        }
        end += 1;
        if end - int_start > MAX_NUMBER_CHARS {
            return None;
        }
    }
    if !seen_digit {
        return None;
    }
    let value = Decimal::from_str(digits.as_str()?).ok()?;
    Some((value, s.get(end..)?))
}

/// The text of a number being read: a sign, at most `MAX_NUMBER_CHARS` + 1 digits and a point
/// (longer numbers are rejected before the buffer could fill).
struct NumberBuf {
    bytes: [u8; MAX_NUMBER_CHARS + 2],
    len: usize,
}

impl Default for NumberBuf {
    fn default() -> Self {
        Self {
            bytes: [0; MAX_NUMBER_CHARS + 2],
            len: 0,
        }
    }
}

impl NumberBuf {
    /// `None` when full (never, given the bound above; then the number is rejected).
    fn push(&mut self, b: u8) -> Option<()> {
        *self.bytes.get_mut(self.len)? = b;
        self.len += 1;
        Some(())
    }

    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes.get(..self.len)?).ok()
    }
}

/// Parse a whole cell as a number, with an optional unit suffix (`250万元`). Full-width digits
/// and thousands separators are accepted. Returns `(value, unit)`; `None` when the text is not
/// a number (blank, words, trailing junk).
pub fn parse_amount(raw: &str) -> Option<(Decimal, Option<&'static str>)> {
    let folded = fold_value(raw);
    // Inner spaces (`250 万元`) are dropped; most cells have none, and are not copied.
    let s: std::borrow::Cow<'_, str> = if folded.contains(char::is_whitespace) {
        folded.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        folded
    };
    let (value, rest) = leading_number(&s)?;
    match rest {
        "" => Some((value, None)),
        "万元" | "万" => Some((value, Some("万元"))),
        "元" => Some((value, Some("元"))),
        "亿元" => Some((value, Some("亿元"))),
        "%" => Some((value, Some("%"))),
        _ => None,
    }
}

/// An amount followed by a note in brackets (`854万(高标准农田建设400万元,…)`): the number and
/// unit before the note (the cell, note included, stays the raw text).
pub fn noted_amount(t: &str) -> Option<(Decimal, &'static str)> {
    let (v, rest) = leading_number(t)?;
    let (unit, rest) = if let Some(r) = rest.strip_prefix("万元") {
        ("万元", r)
    } else if let Some(r) = rest.strip_prefix('万') {
        ("万元", r)
    } else if let Some(r) = rest.strip_prefix('元') {
        ("元", r)
    } else {
        return None;
    };
    rest.starts_with(['(', '（']).then_some((v, unit))
}

/// A monetary unit declared inside a longer cell (`填报单位:(盖章) 单位:万元`,
/// `（金额单位：元）`): the unit after the last `单位` and its colon, when the cell ends there.
pub fn stated_unit(text: &str) -> Option<&'static str> {
    let at = crate::short::rfind(text, "单位")?;
    let rest = text.get(at + "单位".len()..)?;
    let rest = rest.trim_start_matches([':', '：', ' ', '\u{3000}']);
    let rest = rest.trim_end_matches([')', '）', ' ', '\u{3000}']);
    money_unit(rest)
}

/// Parse a percentage cell (`25.00`, `25%`, `２５．００％`).
pub fn parse_percent(raw: &str) -> Option<Decimal> {
    match parse_amount(raw)? {
        (v, None | Some("%")) => Some(v),
        _ => None,
    }
}

/// Operators, longest spelling first so that `>=` wins over `>` and `大于等于` over `大于`.
const OPERATORS: &[(&str, Op)] = &[
    ("大于等于", Op::Ge),
    ("大于或等于", Op::Ge),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("小于等于", Op::Le),
    ("小于或等于", Op::Le),
    ("不高于", Op::Le),
    ("不超过", Op::Le),
    ("不小于", Op::Ge),
    ("不大于", Op::Le),
    ("不多于", Op::Le),
    // `达到95%`: a target reached is one met or passed.
    ("达到", Op::Ge),
    ("至少", Op::Ge),
    ("至多", Op::Le),
    ("超过", Op::Gt),
    ("多于", Op::Gt),
    ("少于", Op::Lt),
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("=>", Op::Ge),
    ("=<", Op::Le),
    ("≥", Op::Ge),
    ("≧", Op::Ge),
    ("⩾", Op::Ge),
    ("≤", Op::Le),
    ("≦", Op::Le),
    ("⩽", Op::Le),
    ("大于", Op::Gt),
    ("高于", Op::Gt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
    ("═", Op::Eq),
    ("等于", Op::Eq),
];

/// Units an indicator number may carry. The longest one that prefixes the text after the
/// number wins (`个月` over `个`, `平方公里` over `公里`), whatever its place here.
const UNITS: &[&str] = &[
    "万元",
    "亿元",
    "千元",
    "元",
    "万人次",
    "万人",
    "人次",
    "人",
    "户",
    "家",
    "名",
    "平方公里",
    "万平方米",
    "平方米",
    "立方米",
    "公里",
    "千米",
    "公顷",
    "万亩",
    "亩",
    "米",
    "万吨",
    "吨",
    "个工作日",
    "工作日",
    "个月",
    "小时",
    "分钟",
    "天",
    "日",
    "周",
    "年",
    "月",
    "%",
    "‰",
    "次",
    "个",
    "项",
    "件",
    "场",
    "期",
    "所",
    "座",
    "台",
    "套",
    "份",
    "篇",
    "分",
    "辆",
    "处",
    "批",
    "条",
    "本",
    "册",
    "张",
    "间",
    "块",
    "棵",
    "株",
    "头",
    "只",
    "盏",
    "栋",
    "幢",
    "校",
    "村",
    "学时",
    "课时",
    "个百分点",
    "百分点",
    "倍",
    "公斤",
    "千克",
    "斤",
    "万千瓦",
    "千瓦",
    "千瓦时",
    "万千瓦时",
    "平方千米",
    "万公里",
    "延米",
    "万户",
    "户次",
    "人天",
    "床",
    "辆次",
    "架次",
    "km",
    "m",
    "M",
];

/// The unit at the start of `rest` (the text after an indicator's number): the longest of
/// [`UNITS`], written bare or in brackets (`(%)`), and a compound one (`元/亩`, `人/次`,
/// `人/年`) when a `/` and a second unit follow. Returns the unit and the text after it.
fn unit_prefix(rest: &str) -> Option<(String, &str)> {
    let longest = |s: &str| -> Option<&'static str> {
        UNITS
            .iter()
            .copied()
            .filter(|u| s.starts_with(u))
            .max_by_key(|u| u.len())
    };
    if let Some(inner) = rest.strip_prefix('(') {
        let u = longest(inner)?;
        let after = inner.get(u.len()..)?.strip_prefix(')')?;
        return Some((u.to_string(), after));
    }
    let u = longest(rest)?;
    let after = rest.get(u.len()..)?;
    if let Some(per) = after.strip_prefix('/') {
        if let Some(v) = longest(per) {
            return Some((format!("{u}/{v}"), per.get(v.len()..)?));
        }
    }
    Some((u.to_string(), after))
}

/// A deadline value (`12月底前`, `6月30日前`, `年底前`, `12月31日之前`): the month and, when
/// stated, the day, as an ISO 8601 recurring date (`--12`, `--06-30`). A month alone with
/// neither `底`/`末` nor `前`/`内` (`12月`) is not taken as one: it may be a count of months.
/// With a year (`2024年12月底前`, `2024年底`, `2024年6月30日前`, `2024.12.31前`,
/// `2024-06-30`) the date carries it (`2024-12`, `2024-06-30`): a year is then no number
/// with the unit 年. A year and month written with a dot alone (`2024.12`) stays a number.
pub fn parse_deadline(s: &str) -> Option<String> {
    let s = s.trim_ws();
    const BEFORE: &[&str] = &["之前", "以前", "前", "以内", "内"];
    let (before, body) = BEFORE
        .iter()
        .find_map(|b| s.strip_suffix(b).map(|r| (true, r)))
        .unwrap_or((false, s));
    let (end_of, body) = match body.strip_suffix('底').or_else(|| body.strip_suffix('末')) {
        Some(b) => (true, b),
        None => (false, body),
    };
    if let Some(d) = numeric_date(body, before || end_of) {
        return Some(d);
    }
    let (year, body) = match year_prefix(body) {
        Some((y, rest)) => (Some(y), rest),
        None => (None, body),
    };
    let dated = |md: String| match year {
        Some(y) => format!("{y}-{md}"),
        None => format!("--{md}"),
    };
    if (year.is_some() && body.is_empty()) || body == "年" || body == "当年" || body == "本年"
    {
        return end_of.then(|| dated("12".to_string()));
    }
    let (m, rest) = leading_number(body)?;
    let rest = rest.strip_prefix('月')?;
    let month = u8::try_from(m.trunc().mantissa())
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    if m.fract() != Decimal::ZERO {
        return None;
    }
    if rest.is_empty() {
        return (before || end_of || year.is_some()).then(|| dated(format!("{month:02}")));
    }
    if end_of {
        return None;
    }
    let (d, tail) = leading_number(rest)?;
    let day = u8::try_from(d.trunc().mantissa())
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    if d.fract() != Decimal::ZERO || !matches!(tail, "日" | "号") {
        return None;
    }
    Some(dated(format!("{month:02}-{day:02}")))
}

/// A year `19xx`/`20xx` followed by `年`, and what follows it.
fn year_prefix(s: &str) -> Option<(u16, &str)> {
    let digits = s.get(..4)?;
    let rest = s.get(4..)?.strip_prefix('年')?;
    let year = four_digit_year(digits)?;
    Some((year, rest))
}

fn four_digit_year(digits: &str) -> Option<u16> {
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|y| (1900..=2099).contains(y))
}

/// `2024.12.31`, `2024-12-31`, `2024/12/31` (one separator throughout), and, when the cell says
/// before/end of (`2024.12前`), `2024.12`: an ISO date or year-month.
fn numeric_date(s: &str, marked: bool) -> Option<String> {
    let sep = s
        .get(4..)?
        .chars()
        .next()
        .filter(|c| matches!(c, '.' | '-' | '/'))?;
    let mut parts = s.split(sep);
    let year = four_digit_year(parts.next()?)?;
    let small = |p: &str, max: u8| -> Option<u8> {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
            .filter(|n| (1..=max).contains(n))
    };
    let month = small(parts.next()?, 12)?;
    match (parts.next(), parts.next()) {
        (None, None) => marked.then(|| format!("{year}-{month:02}")),
        (Some(d), None) => Some(format!("{year}-{month:02}-{:02}", small(d, 31)?)),
        _ => None,
    }
}

/// Parse an indicator value.
///
/// Rule: after folding full-width forms, an optional operator (`≥`, `>=`, `大于等于`, …) is
/// followed by a number, then an optional unit from a fixed list, then any remaining text.
/// A value that starts with a number is numeric; text after the number and unit goes to
/// `text` (so `0改善空气质量` is number 0 with text `改善空气质量`). A value that does not
/// start with a number (after its operator) is qualitative: `op` and `number` stay `None` and
/// `text` holds the whole value. A blank value has everything `None`.
pub fn parse_indicator_value(raw: &str) -> IndicatorValue {
    let mut out = IndicatorValue {
        raw: raw.to_string(),
        ..IndicatorValue::default()
    };
    let folded = fold_value(raw);
    let s = folded.as_ref();
    if s.is_empty() {
        return out;
    }
    let (op, after_op) = OPERATORS
        .iter()
        .find_map(|&(sym, op)| s.strip_prefix(sym).map(|rest| (Some(op), rest)))
        .unwrap_or((None, s));
    let after_op = after_op.trim_ws_start();
    if let Some(d) = parse_deadline(after_op) {
        // "By the end of December": a date, not the number 12 of a unit 月.
        out.op = Some(op.unwrap_or(Op::Le));
        out.deadline = Some(d);
        return out;
    }
    match leading_number(after_op) {
        Some((n, rest)) => {
            out.op = op;
            out.number = Some(n);
            let rest = rest.trim_ws_start();
            let (unit, rest) = match unit_prefix(rest) {
                Some((u, r)) => (Some(u), r),
                None => (None, rest),
            };
            out.unit = unit;
            let rest = rest.trim_ws();
            match suffix_op(rest) {
                // `95%以上` is `>=95%` written the other way round (以上/以下 include the
                // number); the raw cell keeps the words.
                Some(o) if op.is_none() => out.op = Some(o),
                _ if !rest.is_empty() => out.text = Some(rest.to_string()),
                _ => {}
            }
        }
        None => out.text = Some(s.to_string()),
    }
    out
}

/// An operator written after the number and unit (`95%以上`, `3天以内`), as the whole rest of
/// the cell. 以上/以下/以内 include the number (as in the law's own usage); 超过 after a number
/// is rare and left as text.
fn suffix_op(rest: &str) -> Option<Op> {
    match rest {
        "以上" | "及以上" | "(含)以上" | "或以上" => Some(Op::Ge),
        "以下" | "及以下" | "(含)以下" | "以内" | "之内" | "内" => Some(Op::Le),
        _ => None,
    }
}

/// An operator cell of a 指标性质 column (`≥`, `＞`, `═`, `大于等于`), as a whole.
pub fn parse_op(raw: &str) -> Option<Op> {
    let folded = fold_value(raw);
    OPERATORS
        .iter()
        .find(|(sym, _)| *sym == folded.as_ref())
        .map(|&(_, op)| op)
}

/// The 指标性质 word for a qualitative indicator.
pub const QUALITATIVE: &str = "定性";

/// Parse an indicator value whose operator and unit may sit in columns of their own
/// (指标性质 `≥` + 指标值 `95` + 度量单位 `%` → `>=`, 95, `%`).
///
/// Rule: the value cell is parsed by [`parse_indicator_value`] (its `raw` stays the value
/// cell as written). An operator column fills `op` when the value is a number without an
/// operator of its own; `定性` makes the value qualitative (`op`, `number` and `unit` `None`,
/// `text` the value cell). A unit column fills `unit` when the value is a number without a unit.
pub fn combine_value(value: &str, op: Option<&str>, unit: Option<&str>) -> IndicatorValue {
    let mut v = parse_indicator_value(value);
    if let Some(op) = op {
        if fold_value(op) == QUALITATIVE {
            let text = fold_value(value);
            return IndicatorValue {
                raw: value.to_string(),
                text: (!text.is_empty()).then(|| text.to_string()),
                ..IndicatorValue::default()
            };
        }
        if let Some(o) = parse_op(op) {
            if v.number.is_some() && v.op.is_none() {
                v.op = Some(o);
            }
        }
    }
    if let Some(u) = unit {
        let u = fold_value(u);
        if v.number.is_some() && v.unit.is_none() && !u.is_empty() {
            v.unit = Some(u.to_string());
        }
    }
    v
}

/// The monetary units, as [`money_unit`] names them, and how many 元 each is: the one list
/// both [`money_unit`] and [`yuan_factor`] read, so that every unit a cell can state can be
/// compared with the others.
const MONEY_UNITS: &[(&str, u32)] = &[
    ("元", 1),
    ("千元", 1_000),
    ("万元", 10_000),
    ("亿元", 100_000_000),
];

/// Other spellings of [`MONEY_UNITS`] in unit cells, and the unit they name.
const MONEY_UNIT_SPELLINGS: &[(&str, &str)] = &[("万", "万元")];

/// How many 元 one unit is (`万元` → 10000), for comparing amounts stated in different units.
pub fn yuan_factor(unit: &str) -> Option<Decimal> {
    MONEY_UNITS
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|&(_, f)| Decimal::from(f))
}

/// The month a plan checkpoint label names (`3月底` → 3, `１２月末` → 12).
pub fn month_of(label: &str) -> Option<u8> {
    let folded = fold_value(label);
    let s: &str = &folded;
    let s = s.strip_prefix("截至").unwrap_or(s);
    // `3 月底`: pdftotext -layout puts a space where the glyphs have a gap.
    let digits = s.find('月').and_then(|i| s.get(..i))?.trim_ws_end();
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let m: u8 = digits.parse().ok()?;
    (1..=12).contains(&m).then_some(m)
}

/// If `s` starts with a goal number (`1、`, `1.`, `1．`, `（1）`, `(1)`, `1)`), the number and
/// the text after the marker.
pub fn goal_marker(s: &str) -> Option<(u32, &str)> {
    // The national forms number their goals `目标1：…目标2：…`.
    let (worded, s) = match s.strip_prefix("目标") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (open, body) = match s.strip_prefix('（').or_else(|| s.strip_prefix('(')) {
        Some(b) => (true, b),
        None => (false, s),
    };
    let n_len = body.bytes().take_while(u8::is_ascii_digit).count();
    if n_len == 0 || n_len > 3 {
        return None;
    }
    let n: u32 = body.get(..n_len)?.parse().ok()?;
    let rest = body.get(n_len..)?;
    let mut chars = rest.chars();
    let c = chars.next()?;
    let ok = if open {
        c == '）' || c == ')'
    } else {
        matches!(c, '、' | '.' | '．' | '）' | ')' | '，') || (worded && matches!(c, '：' | ':'))
    };
    if !ok {
        return None;
    }
    let after = chars.as_str();
    // `1.5亿元` is a number, not a marker.
    if c == '.' && after.starts_with(|d: char| d.is_ascii_digit()) {
        return None;
    }
    Some((n, after))
}

/// Split 绩效目标 text into goals: one per numbered marker at a line start, or inline after
/// sentence punctuation when the number is the next in sequence (`1、a；2、b`). Unnumbered
/// lines before the first marker become unnumbered goals; later unnumbered lines continue the
/// goal above.
pub fn split_goals(text: &str) -> Vec<Goal> {
    let mut goals: Vec<Goal> = Vec::new();
    for line in text.lines() {
        let line = line.trim_ws();
        if line.is_empty() {
            continue;
        }
        for piece in split_inline(line, goals.last().and_then(|g| g.number)) {
            match goal_marker(piece) {
                Some((n, rest)) => goals.push(Goal {
                    number: Some(n),
                    text: rest
                        .trim_ws()
                        .trim_end_matches(['；', ';', '，', ','])
                        .to_string(),
                    raw: piece.to_string(),
                }),
                None => match goals.last_mut() {
                    Some(g) if g.number.is_some() => {
                        g.text.push('\n');
                        g.text.push_str(piece);
                        g.raw.push('\n');
                        g.raw.push_str(piece);
                    }
                    _ => goals.push(Goal {
                        number: None,
                        text: piece.to_string(),
                        raw: piece.to_string(),
                    }),
                },
            }
        }
    }
    goals
}

/// Split a line at inline goal markers whose number continues the sequence.
fn split_inline(line: &str, last: Option<u32>) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut expect = match goal_marker(line) {
        Some((n, _)) => n + 1,
        None => last.map_or(1, |n| n + 1),
    };
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if !matches!(c, '；' | ';' | '。' | '，' | ',' | ' ' | '\u{3000}') {
            continue;
        }
        let after = i + c.len_utf8();
        let Some(tail) = line.get(after..) else {
            continue;
        };
        let tail_trim = tail.trim_ws_start();
        if let Some((n, _)) = goal_marker(tail_trim) {
            if n == expect {
                if let Some(p) = line.get(start..after) {
                    let p = p.trim_ws();
                    if !p.is_empty() {
                        pieces.push(p);
                    }
                }
                start = line.len() - tail_trim.len();
                expect = n + 1;
            }
        }
    }
    if let Some(p) = line.get(start..) {
        let p = p.trim_ws();
        if !p.is_empty() {
            pieces.push(p);
        }
    }
    pieces
}

/// A department line: a numeric code and a name (`467002定州市生态环境局`,
/// `820001-井研县马踏镇人民政府`). Returns `(code, name)`.
pub fn department(raw: &str) -> Option<(String, String)> {
    // Most cells do not start with a digit: reject them before trimming their end.
    let s = raw.trim_ws_start();
    if let Some(inner) = s.strip_prefix(['[', '【', '［', '(', '（']) {
        return bracketed_department(inner);
    }
    if !s.starts_with(|c: char| half_width(c).is_ascii_digit()) {
        return None;
    }
    let s = s.trim_ws_end();
    if s.len() > 200 {
        return None;
    }
    // The code's length in chars and where it ends, in one pass.
    let mut code_len = 0;
    let mut split = s.len();
    for (i, c) in s.char_indices() {
        if !half_width(c).is_ascii_digit() {
            split = i;
            break;
        }
        code_len += 1;
    }
    if !(3..=12).contains(&code_len) {
        return None;
    }
    // Most digit-led cells are amounts and rates (`4621.00`, `100%`): with no CJK char after the
    // digits there is no name.
    if s.get(split..).is_none_or(str::is_ascii) {
        return None;
    }
    let name = s
        .get(split..)?
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '－' | '—' | '_' | ':' | '：' | '.' | '、')
        })
        .trim_ws();
    // A department name is words, not a number or an amount.
    let cjk = name.chars().filter(|c| is_cjk(*c)).count();
    let first = name.chars().next();
    if cjk < 2
        || first.is_some_and(|c| {
            half_width(c).is_ascii_digit()
                || matches!(c, '年' | '月' | '日' | '号' | '万' | '元' | '%' | '％')
        })
    {
        return None;
    }
    if name.ends_with("元") && name.chars().count() <= 3 {
        return None;
    }
    // Built only now: most digit-led cells are amounts, rejected above.
    let code: String = s.get(..split)?.chars().map(half_width).collect();
    Some((code, name.to_string()))
}

/// `[126]某省农业农村厅` (the national forms' 主管部门及代码), `【126】…`, `(126)…`: the code
/// in brackets before the name; `inner` is the text after the opening bracket. The name must
/// pass the same tests as an unbracketed one.
fn bracketed_department(inner: &str) -> Option<(String, String)> {
    let close = inner.find([']', '】', '］', ')', '）'])?;
    let code = inner.get(..close)?.trim_ws();
    let after = inner.get(close..)?;
    let after = after.get(after.chars().next()?.len_utf8()..)?;
    if code.is_empty() || !code.chars().all(|c| half_width(c).is_ascii_digit()) {
        return None;
    }
    // Through the unbracketed rule: `126 某省农业农村厅`.
    department(&format!("{code} {}", after.trim_ws()))
}

/// Whether `c` is a CJK ideograph.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The monetary unit a folded label states in its trailing parenthetical (`预算数(万元)`,
/// `项目资金(元)`).
pub fn label_unit(folded: &str) -> Option<&'static str> {
    crate::vocab::strip_paren(folded).and_then(|(_, inner)| money_unit(inner))
}

/// A monetary unit named in a unit cell's value (`万元`, `元`, `萬元`).
pub fn money_unit(value: &str) -> Option<&'static str> {
    let folded = crate::fold::fold_label(value);
    let s = folded.trim_start_matches('(').trim_end_matches(')');
    MONEY_UNITS
        .iter()
        .map(|&(u, _)| (u, u))
        .chain(MONEY_UNIT_SPELLINGS.iter().copied())
        .find(|&(spelling, _)| spelling == s)
        .map(|(_, unit)| unit)
}

/// A year stated as `2020年度` (or `2020年` followed by a budget word) in `text`.
pub fn year_in(text: &str, strict: bool) -> Option<u16> {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let before_ok = i == 0 || !b.get(i - 1).is_some_and(u8::is_ascii_digit);
        let plausible = matches!(b.get(i..i + 4), Some([b'1', b'9', c, e] | [b'2', b'0', c, e]) if c.is_ascii_digit() && e.is_ascii_digit());
        if before_ok && plausible {
            let rest = text.get(i + 4..).unwrap_or("");
            let hit = if strict {
                rest.starts_with("年度")
            } else {
                rest.starts_with('年')
            };
            if hit {
                return text.get(i..i + 4)?.parse().ok();
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// `leading_number` before it read into a stack buffer.
    fn reference_leading_number(s: &str) -> Option<(Decimal, &str)> {
        let bytes = s.as_bytes();
        let mut end = 0;
        let mut digits = String::new();
        if let Some(&c) = bytes.first() {
            if c == b'-' || c == b'+' {
                if c == b'-' {
                    digits.push('-');
                }
                end = 1;
            }
        }
        let int_start = end;
        let (mut seen_digit, mut seen_dot) = (false, false);
        while let Some(&c) = bytes.get(end) {
            match c {
                b'0'..=b'9' => {
                    digits.push(c as char);
                    seen_digit = true;
                }
                b',' if seen_digit
                    && !seen_dot
                    && bytes
                        .get(end + 1..end + 4)
                        .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                    && !bytes.get(end + 4).is_some_and(u8::is_ascii_digit) => {}
                b'.' if seen_digit
                    && !seen_dot
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) =>
                {
                    digits.push('.');
                    seen_dot = true;
                }
                _ => break,
            }
            end += 1;
            if end - int_start > MAX_NUMBER_CHARS {
                return None;
            }
        }
        if !seen_digit {
            return None;
        }
        let value = Decimal::from_str(&digits).ok()?;
        Some((value, s.get(end..)?))
    }

    #[test]
    fn leading_number_equals_reference() {
        let mut texts: Vec<String> = [
            "",
            "-",
            "+",
            "1",
            "-1.5万元",
            "+2",
            "1,234.5",
            "1,23",
            "1.",
            ".5",
            "12.3.4",
            "-0",
            "abc",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in 26..=44 {
            texts.push("9".repeat(n));
            texts.push(format!("-{}", "1".repeat(n)));
            texts.push(format!("1.{}%", "2".repeat(n)));
            texts.push(format!("1,000,{}", "3".repeat(n)));
        }
        for t in &texts {
            assert_eq!(leading_number(t), reference_leading_number(t), "{t}");
        }
    }

    /// Two misreadings of issue 12: `≤8个月` had unit `个`, and `12月底前` was the number 12 of
    /// unit `月`.
    #[test]
    fn operators_written_after_the_number() {
        for (raw, op, n, unit) in [
            ("90%以上", Op::Ge, "90", Some("%")),
            ("95%及以上", Op::Ge, "95", Some("%")),
            ("3天以内", Op::Le, "3", Some("天")),
            ("5人以下", Op::Le, "5", Some("人")),
            ("１０（含）以上", Op::Ge, "10", None),
        ] {
            let v = parse_indicator_value(raw);
            assert_eq!(
                (v.op, v.number, v.unit.as_deref()),
                (Some(op), Some(d(n)), unit),
                "{raw}"
            );
            assert_eq!(v.text, None, "{raw}");
            assert_eq!(v.raw, raw);
        }
        for (raw, op) in [
            ("达到100%", Op::Ge),
            ("不小于3", Op::Ge),
            ("至多5天", Op::Le),
            ("超过10家", Op::Gt),
            ("少于2次", Op::Lt),
        ] {
            let v = parse_indicator_value(raw);
            assert_eq!(v.op, Some(op), "{raw}");
            assert!(v.number.is_some() && v.text.is_none(), "{raw}");
        }
        // Words without a number after them stay qualitative: no operator.
        let v = parse_indicator_value("达到预期效果");
        assert_eq!((v.op, v.text.as_deref()), (None, Some("达到预期效果")));
        // An operator before the number wins; other words stay text.
        let v = parse_indicator_value("≥90%以上");
        assert_eq!((v.op, v.text.as_deref()), (Some(Op::Ge), Some("以上")));
        let v = parse_indicator_value("90%左右");
        assert_eq!((v.op, v.text.as_deref()), (None, Some("左右")));
    }

    #[test]
    fn units_are_the_longest_written_and_deadlines_are_not_numbers() {
        let v = parse_indicator_value("≤8个月");
        assert_eq!(
            (v.op, v.number, v.unit.as_deref()),
            (Some(Op::Le), Some(d("8")), Some("个月"))
        );
        assert_eq!(v.text, None);
        for (raw, unit) in [
            ("1600元/亩", "元/亩"),
            (">=101人/次", "人/次"),
            ("=100.00(%)", "%"),
            ("≥100公里", "公里"),
            ("3平方公里", "平方公里"),
            ("12个月", "个月"),
            ("2人/年", "人/年"),
        ] {
            let v = parse_indicator_value(raw);
            assert_eq!(v.unit.as_deref(), Some(unit), "{raw}");
            assert_eq!(v.text, None, "{raw}");
            assert_eq!(v.deadline, None, "{raw}");
        }
        for (raw, deadline) in [
            ("12月底前", "--12"),
            ("12月底", "--12"),
            ("6月30日前", "--06-30"),
            ("12月31日之前", "--12-31"),
            ("年底前", "--12"),
            ("≤11月底", "--11"),
            ("１２月底前", "--12"),
            ("2024年12月底前", "2024-12"),
            ("2024年底前", "2024-12"),
            ("2024年末", "2024-12"),
            ("2024年6月30日前", "2024-06-30"),
            ("2024年12月31日", "2024-12-31"),
            ("2024年12月", "2024-12"),
            ("2024.12.31前", "2024-12-31"),
            ("2024-06-30", "2024-06-30"),
            ("2024/6/30之前", "2024-06-30"),
            ("2024.12前", "2024-12"),
        ] {
            let v = parse_indicator_value(raw);
            assert_eq!(v.deadline.as_deref(), Some(deadline), "{raw}");
            assert_eq!(v.number, None, "{raw}: a deadline is no number");
            assert_eq!(v.unit, None, "{raw}");
            assert_eq!(v.op, Some(Op::Le), "{raw}");
            assert_eq!(v.raw, raw);
        }
        // Not deadlines: a count of months, a month out of range, a date with junk after it.
        for raw in [
            "12月",
            "13月底前",
            "12个月",
            "6月30",
            "2023.07-2024.01",
            "2024.12",
            "2024年",
            "2024年13月",
            "2024.13.01",
            "2024.12.31-2025.01.01",
            "2024-6-31x",
            "3024年12月",
        ] {
            assert_eq!(parse_indicator_value(raw).deadline, None, "{raw}");
        }
        assert_eq!(parse_indicator_value("12月").unit.as_deref(), Some("月"));
    }

    #[test]
    fn units_stated_inside_a_cell() {
        assert_eq!(stated_unit("填报单位:(盖章) 单位:万元"), Some("万元"));
        assert_eq!(stated_unit("（金额单位：元）"), Some("元"));
        assert_eq!(stated_unit("填报单位:(盖章)"), None);
        assert_eq!(stated_unit("单位名称"), None);
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("4621.00"), Some((d("4621.00"), None)));
        assert_eq!(parse_amount("8,827,620.53"), Some((d("8827620.53"), None)));
        assert_eq!(parse_amount("４，６２１．００"), Some((d("4621.00"), None)));
        assert_eq!(parse_amount("250万"), Some((d("250"), Some("万元"))));
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("约100"), None);
        assert_eq!(parse_amount("1,23"), None);
        assert_eq!(
            parse_amount("99999999999999999999999999999999999999999999"),
            None
        );
        assert_eq!(parse_percent("25.00"), Some(d("25.00")));
    }

    #[test]
    fn indicator_values() {
        let v = parse_indicator_value("≥60");
        assert_eq!(
            (v.op, v.number, v.unit.as_deref(), v.text.as_deref()),
            (Some(Op::Ge), Some(d("60")), None, None)
        );
        let v = parse_indicator_value("＞９０％");
        assert_eq!(
            (v.op, v.number, v.unit.as_deref()),
            (Some(Op::Gt), Some(d("90")), Some("%"))
        );
        let v = parse_indicator_value("大于等于5次");
        assert_eq!(
            (v.op, v.number, v.unit.as_deref()),
            (Some(Op::Ge), Some(d("5")), Some("次"))
        );
        let v = parse_indicator_value(">=100%以上");
        assert_eq!(
            (v.op, v.unit.as_deref(), v.text.as_deref()),
            (Some(Op::Ge), Some("%"), Some("以上"))
        );
        let v = parse_indicator_value("0改善空气质量");
        assert_eq!(
            (v.op, v.number, v.unit.as_deref(), v.text.as_deref()),
            (None, Some(d("0")), None, Some("改善空气质量"))
        );
        let v = parse_indicator_value("得到群众认可");
        assert_eq!(
            (v.op, v.number, v.text.as_deref()),
            (None, None, Some("得到群众认可"))
        );
        let v = parse_indicator_value("≤优良");
        assert_eq!(
            (v.op, v.number, v.text.as_deref()),
            (None, None, Some("≤优良"))
        );
        assert_eq!(
            parse_indicator_value("  "),
            IndicatorValue {
                raw: "  ".into(),
                ..IndicatorValue::default()
            }
        );
        let v = parse_indicator_value("═1");
        assert_eq!(v.op, Some(Op::Eq));
    }

    #[test]
    fn combined_values() {
        let v = combine_value("95", Some("≥"), Some("%"));
        assert_eq!(
            (v.raw.as_str(), v.op, v.number, v.unit.as_deref(), v.text),
            ("95", Some(Op::Ge), Some(d("95")), Some("%"), None)
        );
        let v = combine_value("１００", Some("═"), Some("％"));
        assert_eq!(
            (v.op, v.number, v.unit.as_deref()),
            (Some(Op::Eq), Some(d("100")), Some("%"))
        );
        assert_eq!(combine_value("90", Some("≧"), None).op, Some(Op::Ge));
        assert_eq!(combine_value("90", Some("＞"), None).op, Some(Op::Gt));
        // The value's own operator and unit win over the columns.
        let v = combine_value("≤5天", Some("≥"), Some("%"));
        assert_eq!((v.op, v.unit.as_deref()), (Some(Op::Le), Some("天")));
        let v = combine_value("明显改善", Some("定性"), Some(""));
        assert_eq!(
            (v.op, v.number, v.unit, v.text.as_deref()),
            (None, None, None, Some("明显改善"))
        );
        let v = combine_value("95", Some("定性"), Some("%"));
        assert_eq!((v.number, v.text.as_deref()), (None, Some("95")));
        let v = combine_value("", Some("≥"), Some("%"));
        assert_eq!((v.op, v.number, v.unit), (None, None, None));
        assert_eq!(parse_op("大于等于"), Some(Op::Ge));
        assert_eq!(parse_op("定量"), None);
        assert_eq!(yuan_factor("万元"), Some(d("10000")));
    }

    #[test]
    fn money_units_are_one_list() {
        // What the match statements said before the list.
        for (text, unit, factor) in [
            ("万元", Some("万元"), Some(10_000)),
            ("万", Some("万元"), Some(10_000)),
            ("(萬元)", Some("万元"), Some(10_000)),
            ("元", Some("元"), Some(1)),
            ("亿元", Some("亿元"), Some(100_000_000)),
            ("千元", Some("千元"), Some(1_000)),
            ("美元", None, None),
        ] {
            assert_eq!(money_unit(text), unit, "{text}");
            let f = unit.and_then(yuan_factor);
            assert_eq!(f, factor.map(Decimal::from), "{text}");
        }
        assert_eq!(yuan_factor("万"), None);
        for (_, unit) in MONEY_UNIT_SPELLINGS {
            assert!(yuan_factor(unit).is_some(), "{unit}");
        }
    }

    #[test]
    fn months_goals_departments_years() {
        assert_eq!(month_of("3月底"), Some(3));
        assert_eq!(month_of("１２月底"), Some(12));
        assert_eq!(month_of("13月底"), None);
        assert_eq!(month_of("年底"), None);
        let g = split_goals("1、完成A\n2、完成B");
        assert_eq!(g.len(), 2);
        assert_eq!(
            (g[1].number, g[1].text.as_str(), g[1].raw.as_str()),
            (Some(2), "完成B", "2、完成B")
        );
        let g = split_goals("（1）甲；（2）乙。3.丙");
        assert_eq!(
            g.iter().map(|g| g.text.as_str()).collect::<Vec<_>>(),
            ["甲", "乙。", "丙"]
        );
        // The national forms' `目标1：…目标2：…`, on one line or on several.
        for text in [
            "目标1：完成垃圾清运。目标2：群众满意。",
            "目标1:完成垃圾清运。\n目标2:群众满意。",
        ] {
            let g = split_goals(text);
            assert_eq!(
                g.iter()
                    .map(|g| (g.number, g.text.as_str()))
                    .collect::<Vec<_>>(),
                [(Some(1), "完成垃圾清运。"), (Some(2), "群众满意。")],
                "{text}"
            );
        }
        // A goal that merely starts with the word is no marker.
        assert_eq!(split_goals("目标明确，任务清晰")[0].number, None);
        let g = split_goals("总体目标\n1.5亿元用于治理");
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].number, None);
        assert_eq!(
            department("467002定州市生态环境局"),
            Some(("467002".into(), "定州市生态环境局".into()))
        );
        assert_eq!(
            department("820001-井研县马踏镇人民政府"),
            Some(("820001".into(), "井研县马踏镇人民政府".into()))
        );
        assert_eq!(department("4621.00"), None);
        assert_eq!(department("2020年中央大气污染防治资金"), None);
        // The national forms' 主管部门及代码: the code in brackets.
        for raw in [
            "[126]某省农业农村厅",
            "【126】某省农业农村厅",
            "（126） 某省农业农村厅",
        ] {
            assert_eq!(
                department(raw),
                Some(("126".into(), "某省农业农村厅".into())),
                "{raw}"
            );
        }
        // Not a code in brackets: a note, an empty bracket, a number without a name.
        for raw in ["(万元)", "[]某厅", "[12]", "(1)某某", "[126"] {
            assert_eq!(department(raw), None, "{raw}");
        }
        assert_eq!(
            year_in("2020年度职责分类绩效目标情况说明", true),
            Some(2020)
        );
        assert_eq!(year_in("12020年度", true), None);
        assert_eq!(year_in("1、2020年中央", false), Some(2020));
    }
}
