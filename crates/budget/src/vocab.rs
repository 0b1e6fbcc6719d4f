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
        }
    }
}

/// Info-block labels (folded), sorted for binary search (checked by a test).
const LABELS: &[(&str, Field)] = &[
    ("主管部门", Field::Department),
    ("其他资金", Field::BudgetOther),
    ("单位", Field::Unit),
    ("单位名称", Field::Department),
    ("实施期绩效目标", Field::Goals),
    ("年度目标", Field::Goals),
    ("年度绩效目标", Field::Goals),
    ("年度资金总额", Field::BudgetTotal),
    ("当年财政拨款", Field::BudgetFiscal),
    ("绩效目标", Field::Goals),
    ("财政拨款", Field::BudgetFiscal),
    ("财政资金", Field::BudgetFiscal),
    ("资金单位", Field::Unit),
    ("资金总额", Field::BudgetTotal),
    ("资金支出计划", Field::Plan),
    ("资金用途", Field::UseOfFunds),
    ("部门名称", Field::Department),
    ("金额单位", Field::Unit),
    ("项目代码", Field::Code),
    ("项目名称", Field::Name),
    ("项目编码", Field::Code),
    ("预算单位", Field::Department),
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
    /// 权重 / 分值 / 指标方向性: known columns without a field of their own, kept in `extra`
    /// under their header (and not flagged as unknown).
    Known,
}

/// Indicator-grid header labels (folded), sorted for binary search (checked by a test).
const COLUMNS: &[(&str, Column)] = &[
    ("一级指标", Column::Level1),
    ("三级指标", Column::Level3),
    ("中期指标值", Column::LongTermValue),
    ("中期目标值", Column::LongTermValue),
    ("中期绩效指标", Column::LongTermValue),
    ("二级指标", Column::Level2),
    ("分值", Column::Known),
    ("实施期指标值", Column::LongTermValue),
    ("年度指标值", Column::Value),
    ("年度目标值", Column::Value),
    ("年度绩效指标", Column::Value),
    ("度量单位", Column::Unit),
    ("指标值", Column::Value),
    ("指标值依据", Column::Basis),
    ("指标值及单位", Column::Value),
    ("指标值确定依据", Column::Basis),
    ("指标值设定依据", Column::Basis),
    ("指标内容", Column::Description),
    ("指标性质", Column::Op),
    ("指标描述", Column::Description),
    ("指标方向", Column::Known),
    ("指标方向性", Column::Known),
    ("指标解释", Column::Description),
    ("权重", Column::Known),
    ("目标值", Column::Value),
    ("确定依据", Column::Basis),
    ("绩效指标描述", Column::Description),
    ("绩效标准", Column::Basis),
    ("计量单位", Column::Unit),
    ("长期指标值", Column::LongTermValue),
    ("长期目标值", Column::LongTermValue),
    ("长期绩效指标", Column::LongTermValue),
];

/// `a.cmp(b)` for these short keys without a call to `memcmp` per probe: keys differ within
/// their first few bytes, where an inline loop has already decided.
fn cmp_bytes(a: &str, b: &str) -> std::cmp::Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

fn find<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    table
        .binary_search_by(|(k, _)| cmp_bytes(k, key))
        .ok()
        .and_then(|i| table.get(i))
        .map(|&(_, v)| v)
}

/// Strip a trailing parenthetical (`资金支出计划(%)` → `资金支出计划`), returning what was inside.
pub fn strip_paren(folded: &str) -> Option<(&str, &str)> {
    let body = folded.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let head = body.get(..open)?;
    let inner = body.get(open + 1..)?;
    (!head.is_empty()).then_some((head, inner))
}

/// The last characters of every label in both tables (checked by a test): most cells are
/// values, and this rejects them before any string comparison. A `match`, which compiles to a
/// few comparisons: this is asked for nearly every cell.
fn is_last_char(c: char) -> bool {
    matches!(
        c,
        '位' | '值'
            | '划'
            | '容'
            | '据'
            | '数'
            | '标'
            | '模'
            | '款'
            | '码'
            | '称'
            | '述'
            | '途'
            | '释'
            | '金'
            | '门'
            | '额'
            | '质'
            | '重'
            | '向'
            | '性'
            | '准'
    )
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
    may_be_label(head).then_some([folded, rest, head])
}

fn find_keys<T: Copy>(table: &[(&str, T)], [folded, rest, head]: [&str; 3]) -> Option<T> {
    find(table, folded)
        .or_else(|| {
            (rest.len() != folded.len())
                .then(|| find(table, rest))
                .flatten()
        })
        .or_else(|| {
            (head.len() != rest.len())
                .then(|| find(table, head))
                .flatten()
        })
}

fn lookup<T: Copy>(table: &[(&str, T)], folded: &str) -> Option<T> {
    find_keys(table, keys(folded)?)
}

/// The info field a folded label names.
pub fn field(folded: &str) -> Option<Field> {
    lookup(LABELS, folded)
}

/// The indicator column a folded header names.
pub fn column(folded: &str) -> Option<Column> {
    lookup(COLUMNS, folded)
}

/// `(field(folded), column(folded))`, stripping the text once for both.
pub fn field_and_column(folded: &str) -> (Option<Field>, Option<Column>) {
    match keys(folded) {
        Some(k) => (find_keys(LABELS, k), find_keys(COLUMNS, k)),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(LABELS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COLUMNS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn last_chars_cover_every_label() {
        for (k, _) in LABELS {
            assert!(may_be_label(k), "{k}");
        }
        for (k, _) in COLUMNS {
            assert!(may_be_label(k), "{k}");
        }
    }

    #[test]
    fn cmp_bytes_is_str_order() {
        let mut keys: Vec<&str> = LABELS.iter().map(|(k, _)| *k).collect();
        keys.extend(COLUMNS.iter().map(|(k, _)| *k));
        for a in keys
            .iter()
            .chain(&["", "a", "ab", "b", "其中", "预算数(万元)"])
        {
            for b in keys.iter().chain(&["", "a", "ab", "b"]) {
                assert_eq!(cmp_bytes(a, b), a.cmp(b), "{a} {b}");
            }
        }
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
        assert_eq!(column("备注"), None);
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
