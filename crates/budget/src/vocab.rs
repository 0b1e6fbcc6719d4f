//! The form vocabulary: which label cells name which fields, with synonyms.
//!
//! Labels are compared after [`fold_label`](crate::fold::fold_label). A lookup tries the folded
//! text as is, then without a leading `其中` ("of which"), then without a trailing parenthetical
//! such as `(%)` or `(万元)`. Other provinces' forms extend these tables, not the code.

/// A field of a project's info block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// 项目编码.
    Code,
    /// 项目名称.
    Name,
    /// 预算数 / 年度资金总额.
    BudgetTotal,
    /// 其中：财政资金.
    BudgetFiscal,
    /// 其他资金.
    BudgetOther,
    /// 资金用途 (also the 预算规模及资金用途 group label, whose use text sits below it).
    UseOfFunds,
    /// 资金支出计划: checkpoint labels follow on the row, values on the row below.
    Plan,
    /// 绩效目标.
    Goals,
    /// 主管部门 / 预算部门.
    Department,
    /// 单位 / 金额单位 (monetary unit).
    Unit,
    /// A known label that carries no value of its own (e.g. 预算规模).
    Group,
    /// 实施期绩效目标 / 项目总目标: the goals of the whole implementation period, beside the
    /// year's (kept in `extra`; the project's goals when the form states no yearly ones).
    PeriodGoals,
    /// 上级资金: funds from the level above, beside this level's budget (kept in `extra`).
    SuperiorFunds,
    /// 实施期 / 项目支出实施期: the implementation period (kept in `extra`).
    Period,
    /// 项目资金总额: the multi-year total, beside the year's 年度资金申请总额 (kept in `extra`,
    /// never mixed with the year's budget).
    ProjectFundsTotal,
    /// A label of the form with no record column (`实施单位`, `项目性质`): known, so never
    /// flagged as unrecognised, and its value kept in `extra` under the label as given here.
    Kept(&'static str),
}

impl Field {
    /// The record field name used in flags.
    pub fn name(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::Name => "name",
            Field::BudgetTotal => "budget_total",
            Field::BudgetFiscal => "budget_fiscal",
            Field::BudgetOther => "budget_other",
            Field::UseOfFunds => "use_of_funds",
            Field::Plan => "plan",
            Field::Goals => "goals",
            Field::Department => "department",
            Field::Unit => "unit",
            Field::Group => "group",
            Field::PeriodGoals => "period_goals",
            Field::SuperiorFunds => "superior_funds",
            Field::Period => "period",
            Field::ProjectFundsTotal => "project_funds_total",
            Field::Kept(_) => "extra",
        }
    }

    /// The `extra` key a field without a record column of its own is kept under.
    pub fn extra_key(self) -> Option<&'static str> {
        match self {
            Field::PeriodGoals => Some("实施期绩效目标"),
            Field::SuperiorFunds => Some("上级资金"),
            Field::Period => Some("实施期"),
            Field::ProjectFundsTotal => Some("项目资金总额"),
            Field::Kept(label) => Some(label),
            _ => None,
        }
    }
}

/// Info-block labels (folded), sorted (checked by a test) so that a duplicate stands out.
const LABELS: &[(&str, Field)] = &[
    ("上年结转资金", Field::Kept("上年结转资金")),
    ("上级资金", Field::SuperiorFunds),
    ("中期目标", Field::PeriodGoals),
    ("中期资金总额", Field::ProjectFundsTotal),
    ("主管部门", Field::Department),
    ("主管部门及代码", Field::Department),
    ("其他资金", Field::BudgetOther),
    ("单位", Field::Unit),
    ("单位名称", Field::Department),
    ("实施单位", Field::Kept("实施单位")),
    ("实施期", Field::Period),
    ("实施期目标", Field::PeriodGoals),
    ("实施期绩效目标", Field::PeriodGoals),
    ("实施期资金总额", Field::ProjectFundsTotal),
    ("年度总体目标", Field::Goals),
    ("年度本级预算金额", Field::BudgetTotal),
    ("年度目标", Field::Goals),
    ("年度绩效目标", Field::Goals),
    ("年度资金总额", Field::BudgetTotal),
    ("年度资金申请总额", Field::BudgetTotal),
    ("当年财政拨款", Field::BudgetFiscal),
    ("总体目标", Field::Group),
    ("总额", Field::BudgetTotal),
    ("本年度绩效目标", Field::Goals),
    ("本级预算金额", Field::BudgetTotal),
    ("绩效目标", Field::Goals),
    ("计划完成日期", Field::Kept("计划完成日期")),
    ("计划开始日期", Field::Kept("计划开始日期")),
    ("该项目支出上级资金", Field::SuperiorFunds),
    ("财政拨款", Field::BudgetFiscal),
    ("财政资金", Field::BudgetFiscal),
    ("资金使用单位", Field::Kept("资金使用单位")),
    ("资金单位", Field::Unit),
    ("资金总额", Field::BudgetTotal),
    ("资金支出计划", Field::Plan),
    ("资金用途", Field::UseOfFunds),
    ("部门(单位)名称", Field::Department),
    ("部门名称", Field::Department),
    ("金额单位", Field::Unit),
    ("项目代码", Field::Code),
    ("项目名称", Field::Name),
    ("项目实施期", Field::Period),
    ("项目属性", Field::Kept("项目属性")),
    ("项目性质", Field::Kept("项目性质")),
    ("项目总目标", Field::PeriodGoals),
    ("项目执行单位", Field::Kept("项目执行单位")),
    ("项目支出名称", Field::Name),
    ("项目支出实施期", Field::Period),
    ("项目期", Field::Period),
    ("项目类别", Field::Kept("项目类别")),
    ("项目编码", Field::Code),
    ("项目资金", Field::Group),
    ("项目资金总额", Field::ProjectFundsTotal),
    ("预算单位", Field::Department),
    ("预算情况", Field::Group),
    ("预算数", Field::BudgetTotal),
    ("预算规模", Field::Group),
    ("预算规模及资金用途", Field::UseOfFunds),
    ("预算部门", Field::Department),
    ("预算金额", Field::BudgetTotal),
];

/// Longest folded text [`field`] can match without stripping a trailing parenthetical: the
/// longest label after a leading `其中`.
pub const MAX_FIELD_LOOKUP_BYTES: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < LABELS.len() {
        if LABELS[i].0.len() > max {
            max = LABELS[i].0.len();
        }
        i += 1;
    }
    max + "其中".len()
};

/// A column of the indicator grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Level3,
    /// 绩效指标描述 / 指标解释.
    Description,
    /// 指标值.
    Value,
    /// 指标值确定依据 / 绩效标准.
    Basis,
    /// 指标性质: the comparison operator (`≥`, `═`, …) or `定性` for a qualitative value.
    Op,
    /// 度量单位 / 计量单位: the unit of the value.
    Unit,
    /// 中期指标值 / 长期指标值: a long-term value beside the annual one. The annual value is the
    /// indicator's `value`; a long-term one goes to `extra` under its header, unless the grid
    /// has no annual value column, in which case it is the value.
    LongTermValue,
    /// 权重 / 分值 / 指标方向性 / 本年度绩效指标 (the group label left of the grid): known
    /// columns without a field of their own, kept in `extra`
    /// under their header (and not flagged as unknown).
    Known,
}

/// Indicator-grid header labels (folded), sorted (checked by a test) so that a duplicate stands
/// out.
const COLUMNS: &[(&str, Column)] = &[
    ("一级指标", Column::Level1),
    ("三级指标", Column::Level3),
    ("中期指标值", Column::LongTermValue),
    ("中期目标值", Column::LongTermValue),
    ("中期绩效指标", Column::LongTermValue),
    ("二级指标", Column::Level2),
    ("分值", Column::Known),
    ("备注", Column::Known),
    ("实施期指标值", Column::LongTermValue),
    ("年度指标值", Column::Value),
    ("年度目标值", Column::Value),
    ("年度绩效指标", Column::Value),
    ("度量单位", Column::Unit),
    ("扣分标准", Column::Known),
    ("指标值", Column::Value),
    ("指标值依据", Column::Basis),
    ("指标值内容", Column::Description),
    ("指标值及单位", Column::Value),
    ("指标值确定依据", Column::Basis),
    ("指标值类型", Column::Known),
    ("指标值设定依据", Column::Basis),
    ("指标内容", Column::Description),
    ("指标性质", Column::Op),
    ("指标描述", Column::Description),
    ("指标方向", Column::Known),
    ("指标方向性", Column::Known),
    ("指标解释", Column::Description),
    ("指标说明", Column::Description),
    ("本年度绩效指标", Column::Known),
    ("权重", Column::Known),
    ("目标值", Column::Value),
    ("确定依据", Column::Basis),
    ("绩效指标", Column::Known),
    ("绩效指标描述", Column::Description),
    ("绩效标准", Column::Basis),
    ("计量单位", Column::Unit),
    ("评(扣分标准)", Column::Known),
    ("评分标准", Column::Known),
    ("长期指标值", Column::LongTermValue),
    ("长期目标值", Column::LongTermValue),
    ("长期绩效指标", Column::LongTermValue),
];

/// Slots of the lookup tables below (a power of two, well over the number of keys, so probe
/// chains stay short).
const SLOTS: usize = 256;

/// A hash of a key from its length and its first and last three bytes (one CJK character each):
/// the keys differ there, and it costs a few instructions however long the text.
const fn key_hash(b: &[u8]) -> usize {
    const K: u32 = 0x9E37_79B9;
    let mut h = (b.len() as u32).wrapping_mul(K);
    if let [x, y, z, ..] = b {
        h = (h ^ ((*x as u32) << 16 | (*y as u32) << 8 | *z as u32)).wrapping_mul(K);
    }
    if let [.., x, y, z] = b {
        h = (h ^ ((*x as u32) << 16 | (*y as u32) << 8 | *z as u32)).wrapping_mul(K);
    }
    (h >> 24) as usize % SLOTS
}

/// An open-addressing table over a vocabulary: each slot holds a key's index plus one, or 0.
/// Built at compile time; a lookup hashes the text once and compares one key or two, where a
/// binary search over both vocabularies compared about ten (~420 Ir per cell).
const fn slots<T: Copy>(table: &[(&str, T)]) -> [u8; SLOTS] {
    assert!(table.len() < SLOTS / 2 && table.len() < u8::MAX as usize);
    let mut out = [0u8; SLOTS];
    let mut i = 0;
    while i < table.len() {
        let mut slot = key_hash(table[i].0.as_bytes());
        while out[slot] != 0 {
            slot = (slot + 1) % SLOTS;
        }
        out[slot] = (i + 1) as u8;
        i += 1;
    }
    out
}

const LABEL_SLOTS: [u8; SLOTS] = slots(LABELS);
const COLUMN_SLOTS: [u8; SLOTS] = slots(COLUMNS);

/// The value of `key` (whose [`key_hash`] is `hash`) in `table`.
fn find<T: Copy>(table: &[(&str, T)], slots: &[u8; SLOTS], key: &str, hash: usize) -> Option<T> {
    // The table is at most half full, so an empty slot ends every probe sequence.
    for step in 0..SLOTS {
        let e = *slots.get((hash + step) % SLOTS)?;
        let &(k, v) = table.get(usize::from(e).checked_sub(1)?)?;
        if k == key {
            return Some(v);
        }
    }
    None
}

/// Strip a trailing parenthetical (`资金支出计划(%)` → `资金支出计划`), returning what was inside.
pub fn strip_paren(folded: &str) -> Option<(&str, &str)> {
    let body = folded.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let head = body.get(..open)?;
    let inner = body.get(open + 1..)?;
    (!head.is_empty()).then_some((head, inner))
}

/// The code point of the last char of `s` (non-empty), decoded at compile time.
const fn last_code_point(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut i = b.len() - 1;
    while b[i] & 0xC0 == 0x80 {
        i -= 1;
    }
    let (mut cp, len) = match b[i] {
        x if x < 0x80 => (x as u32, 1),
        x if x < 0xE0 => ((x & 0x1F) as u32, 2),
        x if x < 0xF0 => ((x & 0x0F) as u32, 3),
        x => ((x & 0x07) as u32, 4),
    };
    let mut k = 1;
    while k < len {
        cp = cp << 6 | (b[i + k] & 0x3F) as u32;
        k += 1;
    }
    cp
}

/// The smallest (`max == false`) or largest last code point of the keys of both tables.
const fn last_code_point_bound(max: bool) -> u32 {
    let mut out = if max { 0 } else { u32::MAX };
    let mut i = 0;
    while i < LABELS.len() + COLUMNS.len() {
        let key = if i < LABELS.len() {
            LABELS[i].0
        } else {
            COLUMNS[i - LABELS.len()].0
        };
        let cp = last_code_point(key);
        if (max && cp > out) || (!max && cp < out) {
            out = cp;
        }
        i += 1;
    }
    out
}

/// The range of the labels' last chars, and a bitmap over it of the chars that end a label.
const LAST_MIN: u32 = last_code_point_bound(false);
const LAST_WORDS: usize = ((last_code_point_bound(true) - LAST_MIN) / 64 + 1) as usize;
const LAST_CHARS: [u64; LAST_WORDS] = {
    // A label ending far from the others would make the bitmap large: then use another filter.
    assert!(
        LAST_WORDS <= 1024,
        "the labels' last chars span more than 64 Ki code points"
    );
    let mut bits = [0u64; LAST_WORDS];
    let mut i = 0;
    while i < LABELS.len() + COLUMNS.len() {
        let key = if i < LABELS.len() {
            LABELS[i].0
        } else {
            COLUMNS[i - LABELS.len()].0
        };
        let at = last_code_point(key) - LAST_MIN;
        bits[(at / 64) as usize] |= 1 << (at % 64);
        i += 1;
    }
    bits
};

/// Whether some label of either table ends in `c`: most cells are values, and this rejects
/// them before any string comparison. One bit of a bitmap built from the tables at compile
/// time (the labels end in a few ideographs, ~2 KiB of bits): this is asked for nearly every
/// cell, and a hand-written list of the chars would have to follow every new label.
fn is_last_char(c: char) -> bool {
    let Some(at) = (c as u32).checked_sub(LAST_MIN) else {
        return false;
    };
    LAST_CHARS
        .get((at / 64) as usize)
        .is_some_and(|w| w & (1 << (at % 64)) != 0)
}

fn may_be_label(s: &str) -> bool {
    s.chars().next_back().is_some_and(is_last_char)
}

/// Whether a folded text ending in `last` may be a label (a `)` may close a parenthetical that
/// a lookup strips).
pub fn may_end_label(last: char) -> bool {
    last == ')' || is_last_char(last)
}

/// The texts a lookup tries: the folded text, without a leading `其中`, and without a trailing
/// parenthetical as well. `None` when no label can match (see [`may_be_label`]).
fn keys(folded: &str) -> Option<[&str; 3]> {
    let rest = folded.strip_prefix("其中").unwrap_or(folded);
    let head = match strip_paren(rest) {
        Some((head, _)) => head,
        None => rest,
    };
    // A label may keep its parenthetical (`评(扣分标准)`): then the folded text ends like it.
    (may_be_label(head) || may_be_label(folded)).then_some([folded, rest, head])
}

/// A key to look up, with its hash (computed once for both vocabularies).
type Key<'a> = (&'a str, usize);

fn find_keys<T: Copy>(
    table: &[(&str, T)],
    slots: &[u8; SLOTS],
    [folded, rest, head]: [Key<'_>; 3],
) -> Option<T> {
    find(table, slots, folded.0, folded.1)
        .or_else(|| {
            (rest.0.len() != folded.0.len())
                .then(|| find(table, slots, rest.0, rest.1))
                .flatten()
        })
        .or_else(|| {
            (head.0.len() != rest.0.len())
                .then(|| find(table, slots, head.0, head.1))
                .flatten()
        })
}

fn hashed(keys: [&str; 3]) -> [Key<'_>; 3] {
    let [folded, rest, head] = keys;
    let hf = key_hash(folded.as_bytes());
    let hr = if rest.len() == folded.len() {
        hf
    } else {
        key_hash(rest.as_bytes())
    };
    let hh = if head.len() == rest.len() {
        hr
    } else {
        key_hash(head.as_bytes())
    };
    [(folded, hf), (rest, hr), (head, hh)]
}

fn lookup<T: Copy>(table: &[(&str, T)], slots: &[u8; SLOTS], folded: &str) -> Option<T> {
    find_keys(table, slots, hashed(keys(folded)?))
}

/// The info field a folded label names.
pub fn field(folded: &str) -> Option<Field> {
    lookup(LABELS, &LABEL_SLOTS, folded)
}

/// The indicator column a folded header names.
pub fn column(folded: &str) -> Option<Column> {
    lookup(COLUMNS, &COLUMN_SLOTS, folded)
}

/// Every indicator-grid header label (folded) with its column.
pub(crate) fn column_labels() -> impl Iterator<Item = (&'static str, Column)> {
    COLUMNS.iter().copied()
}

/// `(field(folded), column(folded))`, stripping the text once for both.
pub fn field_and_column(folded: &str) -> (Option<Field>, Option<Column>) {
    match keys(folded) {
        Some(k) => {
            let k = hashed(k);
            (
                find_keys(LABELS, &LABEL_SLOTS, k),
                find_keys(COLUMNS, &COLUMN_SLOTS, k),
            )
        }
        None => (None, None),
    }
}

/// Every info label and grid header of the vocabulary (folded), with the info field a label
/// names (`None` for a grid header): what a piece of a label wrapped over lines is matched to.
pub(crate) fn label_texts() -> impl Iterator<Item = (&'static str, Option<Field>)> {
    LABELS
        .iter()
        .map(|(t, f)| (*t, Some(*f)))
        .chain(COLUMNS.iter().map(|(t, _)| (*t, None)))
}

/// Every char of the vocabulary's labels (for the sampled every-char tests).
/// 一级指标 values (folded).
pub(crate) const LEVEL1: &[&str] = &["产出指标", "成本指标", "效果指标", "效益指标", "满意度指标"];

/// 二级指标 values (folded). `成本指标` is in both lists: it is a 一级 when a 二级 follows it.
pub(crate) const LEVEL2: &[&str] = &[
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "社会公众或服务对象满意度指标",
    "满意度指标",
];

/// A level label without the score range some forms append (`产出指标(40-50)分`,
/// `效益指标(30分)`).
fn without_score(folded: &str) -> &str {
    let t = folded.strip_suffix('分').unwrap_or(folded);
    match strip_paren(t) {
        Some((head, inner))
            if inner
                .chars()
                .all(|c| c.is_ascii_digit() || "-~.分".contains(c)) =>
        {
            head
        }
        _ => folded,
    }
}

/// Whether a folded cell is a 一级指标 of the closed vocabulary.
pub(crate) fn is_level1(folded: &str) -> bool {
    LEVEL1.contains(&without_score(folded))
}

/// Whether a folded cell is a 二级指标 of the closed vocabulary (`成本指标` is both).
pub(crate) fn is_level2(folded: &str) -> bool {
    LEVEL2.contains(&without_score(folded))
}

#[cfg(test)]
pub(crate) fn test_chars() -> impl Iterator<Item = char> {
    LABELS
        .iter()
        .map(|e| e.0)
        .chain(COLUMNS.iter().map(|e| e.0))
        .chain(["其中", "()"])
        .flat_map(str::chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `extract`'s unit-line test skips every paragraph without a 位: it holds only while
    /// every unit label has one.
    #[test]
    fn every_unit_label_holds_wei() {
        for (label, f) in LABELS {
            if *f == Field::Unit {
                assert!(label.contains('位'), "{label}");
            }
        }
    }

    #[test]
    fn tables_are_sorted() {
        assert!(LABELS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COLUMNS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn last_chars_are_those_of_the_labels() {
        let keys = || {
            LABELS
                .iter()
                .map(|e| e.0)
                .chain(COLUMNS.iter().map(|e| e.0))
        };
        for k in keys() {
            assert!(may_be_label(k), "{k}");
            assert_eq!(
                char::from_u32(last_code_point(k)),
                k.chars().next_back(),
                "{k}"
            );
        }
        // No other char: every one up to past the bitmap's end, and a sample beyond.
        let end = LAST_MIN + 64 * LAST_WORDS as u32 + 64;
        let last: std::collections::BTreeSet<char> =
            keys().filter_map(|k| k.chars().next_back()).collect();
        for c in (0..end)
            .chain((end..=0x10FFFF).step_by(97))
            .filter_map(char::from_u32)
        {
            assert_eq!(is_last_char(c), last.contains(&c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn hashed_lookup_is_a_linear_search() {
        let linear =
            |table: &[(&str, Field)], k: &str| table.iter().find(|e| e.0 == k).map(|e| e.1);
        let linear_c =
            |table: &[(&str, Column)], k: &str| table.iter().find(|e| e.0 == k).map(|e| e.1);
        let mut probes: Vec<String> = LABELS.iter().map(|(k, _)| k.to_string()).collect();
        probes.extend(COLUMNS.iter().map(|(k, _)| k.to_string()));
        for k in probes.clone() {
            let mut chars: Vec<char> = k.chars().collect();
            chars.pop();
            probes.push(chars.iter().collect());
            probes.push(format!("{k}x"));
            probes.push(format!("x{k}"));
        }
        probes.extend(["", "a", "ab", "abc", "备注", "4621.00"].map(String::from));
        for k in &probes {
            let h = key_hash(k.as_bytes());
            assert_eq!(find(LABELS, &LABEL_SLOTS, k, h), linear(LABELS, k), "{k}");
            assert_eq!(
                find(COLUMNS, &COLUMN_SLOTS, k, h),
                linear_c(COLUMNS, k),
                "{k}"
            );
        }
        // Every key is found, so the tables hold them all.
        for (k, f) in LABELS {
            assert_eq!(field(k), Some(*f), "{k}");
        }
        for (k, c) in COLUMNS {
            assert_eq!(column(k), Some(*c), "{k}");
        }
    }

    #[test]
    fn level_labels_with_score_ranges() {
        assert!(is_level1("产出指标(40-50)分"));
        assert!(is_level1("效益指标(30分)"));
        assert!(is_level2("数量指标"));
        assert!(!is_level1("产出指标(说明)"));
    }

    #[test]
    fn lookups() {
        assert_eq!(field("其中财政资金"), Some(Field::BudgetFiscal));
        assert_eq!(field("资金支出计划(%)"), Some(Field::Plan));
        assert_eq!(field("预算规模及资金用途"), Some(Field::UseOfFunds));
        assert_eq!(field("项目代码"), Some(Field::Code));
        assert_eq!(field("4621.00"), None);
        assert_eq!(column("绩效指标描述(指标解释)"), Some(Column::Description));
        assert_eq!(column("指标值"), Some(Column::Value));
        assert_eq!(column("备注"), Some(Column::Known));
        assert_eq!(column("评(扣分标准)"), Some(Column::Known));
        assert_eq!(column("备考"), None);
        assert_eq!(column("指标性质"), Some(Column::Op));
        assert_eq!(column("度量单位"), Some(Column::Unit));
        assert_eq!(column("指标值及单位"), Some(Column::Value));
        assert_eq!(column("中期指标值"), Some(Column::LongTermValue));
        assert_eq!(column("年度指标值"), Some(Column::Value));
        assert_eq!(column("权重(%)"), Some(Column::Known));
        assert_eq!(field("单位名称"), Some(Field::Department));
        for t in [
            "指标值",
            "其中财政资金",
            "权重(%)",
            "单位",
            "备注",
            "",
            "4621.00",
        ] {
            assert_eq!(field_and_column(t), (field(t), column(t)), "{t}");
        }
    }
}
