//! The records a budget disclosure normalises into. These types are the contract between the
//! normaliser and the exporters: every normalised value sits beside the raw text it came from
//! and the [`Origin`] of its source line or cell.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tablift_model::Origin;

/// Everything extracted from one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Extraction {
    /// Document-level facts.
    pub document: DocumentRecord,
    /// Projects (one per 绩效目标表), in document order.
    pub projects: Vec<Project>,
    /// Quality flags: things that look wrong in the source, never corrected.
    pub flags: Vec<Flag>,
}

impl Extraction {
    /// The projects with every origin replaced by [`Origin::Unknown`]: what different routes
    /// (text export, `.docx`, `.doc`) of the same document must agree on.
    pub fn projects_without_origins(&self) -> Vec<Project> {
        self.projects
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.strip_origins();
                p
            })
            .collect()
    }
}

/// Document-level facts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentRecord {
    /// The input path as given.
    pub source: String,
    /// `"text_export"`, `"docx"` or `"doc"`.
    pub format: String,
    /// Detected encoding of a text export.
    pub encoding: Option<String>,
    /// Detected layout of a text export.
    pub layout: Option<String>,
    /// Whether the document was recognised as a budget performance disclosure.
    pub recognised: bool,
    /// Department code (`467002`).
    pub department_code: Option<String>,
    /// Department name (`定州市生态环境局`).
    pub department_name: Option<String>,
    /// Raw text the department was read from (`467002定州市生态环境局`).
    pub department_raw: Option<String>,
    /// Monetary unit stated by the document (`万元`, `元`).
    pub unit: Option<String>,
    /// Budget year when stated (`2020`).
    pub year: Option<u16>,
    /// The department total (`合计` row) of a multi-project table, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_total: Option<Amount>,
    /// The narrative part, as sections.
    pub sections: Vec<Section>,
}

/// A narrative section: a heading and the paragraphs under it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Section {
    /// 0-based index in document order.
    pub index: u32,
    /// Headings from the outermost to this one (`["第一部分 部门整体绩效目标", "一、总体绩效目标"]`).
    pub heading_path: Vec<String>,
    /// This section's heading text.
    pub heading: String,
    /// The heading's `TC` entry text, where it had one.
    pub tc_entry: Option<String>,
    /// The `TC` field's `\l` level.
    pub tc_level: Option<u8>,
    /// Body paragraphs under the heading.
    pub paragraphs: Vec<String>,
    /// Enumerated items found in the paragraphs (`一是…`, `二是…`).
    pub items: Vec<String>,
    /// Where the heading came from.
    pub origin: Origin,
}

/// An amount of money as written and as an exact decimal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Amount {
    /// The cell text as written (`4621.00`, `8,827,620.53`, `250万`).
    pub raw: String,
    /// The exact value in `unit`, when the text is a number.
    pub value: Option<Decimal>,
    /// The unit the value is in (`万元`, `元`).
    pub unit: Option<String>,
    /// Where the value cell came from (added; `Unknown` when the label had no value cell).
    #[serde(default)]
    pub origin: Origin,
}

impl Amount {
    /// The value expressed in `unit` (the project's or document's unit), exactly: a cell that
    /// states its own unit (`28.8萬元` in a table in 元) is scaled by powers of ten, never
    /// rounded. `None` when there is no value, or when either unit is not a known money unit
    /// (the raw text and the unit still say what the source said).
    pub fn value_in(&self, unit: Option<&str>) -> Option<Decimal> {
        let value = self.value?;
        match (self.unit.as_deref(), unit) {
            (Some(from), Some(to)) if from != to => {
                let (f, t) = (
                    crate::values::yuan_factor(from)?,
                    crate::values::yuan_factor(to)?,
                );
                // Factors are powers of ten: a larger unit multiplies (keeping the written
                // decimals, 28.8 → 288000.0), a smaller one divides exactly.
                if f >= t {
                    value.checked_mul(f.checked_div(t)?)
                } else {
                    value.checked_div(t.checked_div(f)?)
                }
            }
            _ => Some(value),
        }
    }
}

/// One checkpoint of a spending plan: cumulative percent spent by a date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanPoint {
    /// The checkpoint label as written (`3月底`).
    pub label: String,
    /// The month the label names, when it names one (3 for `3月底`).
    pub month: Option<u8>,
    /// The cell text as written (`25.00`, empty when blank).
    pub raw: String,
    /// Cumulative percent, when the cell holds a number.
    pub percent: Option<Decimal>,
    /// Where the value cell came from.
    pub origin: Origin,
}

/// One numbered goal of a project's 绩效目标.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Goal {
    /// The goal's number as written (`1` for `1、…`), if numbered.
    pub number: Option<u32>,
    /// The goal text without its number.
    pub text: String,
    /// The line as written.
    pub raw: String,
}

/// A comparison operator of an indicator value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Op {
    /// `>=` (from `≥`, `≧`, `>=`, `大于等于`…)
    #[serde(rename = ">=")]
    Ge,
    /// `>` (from `>`, `＞`, `大于`…)
    #[serde(rename = ">")]
    Gt,
    /// `<=` (from `≤`, `≦`, `<=`…)
    #[serde(rename = "<=")]
    Le,
    /// `<` (from `<`, `＜`…)
    #[serde(rename = "<")]
    Lt,
    /// `=` (from `=`, `＝`, `═`…)
    #[serde(rename = "=")]
    Eq,
}

impl Op {
    /// The ASCII spelling used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }
}

/// An indicator value, raw and parsed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorValue {
    /// The value as written (`≥60`, `得到群众认可`, empty).
    pub raw: String,
    /// Comparison operator, when the value is a (possibly bounded) number.
    pub op: Option<Op>,
    /// The number, exact.
    pub number: Option<Decimal>,
    /// Unit of the number (`%`, `万元`, `次`, …).
    pub unit: Option<String>,
    /// Qualitative text, when the value is not a number (`得到群众认可`); for mixed values such
    /// as `0改善空气质量` this holds the text after the number.
    pub text: Option<String>,
    /// A deadline (`12月底前` → `--12`, `6月30日前` → `--06-30`: ISO 8601 month or month-day;
    /// with a year, `2024年12月底前` → `2024-12`, `2024.06.30前` → `2024-06-30`; with `op` `<=`)
    /// instead of a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Where the value cell came from (its own line in a cell-per-line export); the row's
    /// origin where the cell has none.
    #[serde(default)]
    pub origin: Origin,
}

/// One row of a project's indicator grid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    /// 1-based row number within the project's indicator grid (header excluded).
    pub row: u32,
    /// 一级指标 (continued from the row above when the cell was empty/merged).
    pub level1: String,
    /// 二级指标 (continued likewise).
    pub level2: String,
    /// 三级指标.
    pub level3: String,
    /// 绩效指标描述.
    pub description: String,
    /// 指标值.
    pub value: IndicatorValue,
    /// 指标值确定依据.
    pub basis: String,
    /// Columns the vocabulary did not recognise, by header text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// Where the row came from.
    pub origin: Origin,
}

/// One project: a 绩效目标表.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Project {
    /// 1-based sequence in the document.
    pub seq: u32,
    /// The table's title (heading text, e.g. `1、2020年中央大气污染防治资金绩效目标表`).
    pub title: String,
    /// The title's `TC` entry text, where it had one.
    pub tc_entry: Option<String>,
    /// 项目编码.
    pub code: Option<String>,
    /// 项目名称.
    pub name: Option<String>,
    /// Department code stated in the table.
    pub department_code: Option<String>,
    /// Department name stated in the table.
    pub department_name: Option<String>,
    /// The cell text the department was read from (`820001-井研县马踏镇人民政府`).
    #[serde(default)]
    pub department_raw: Option<String>,
    /// Monetary unit for the amounts.
    pub unit: Option<String>,
    /// 预算数.
    pub budget_total: Amount,
    /// 其中：财政资金.
    pub budget_fiscal: Amount,
    /// 其他资金.
    pub budget_other: Amount,
    /// 资金用途.
    pub use_of_funds: String,
    /// 资金支出计划, in column order.
    pub plan: Vec<PlanPoint>,
    /// 绩效目标 as written.
    pub goals_raw: String,
    /// 绩效目标 split into numbered goals.
    pub goals: Vec<Goal>,
    /// The indicator grid.
    pub indicators: Vec<Indicator>,
    /// Labels found in the info block that the vocabulary did not recognise, with their values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// Where the project's title (or first table) came from.
    pub origin: Origin,
}

impl Project {
    /// Replace every origin in the project with [`Origin::Unknown`], for comparing the records
    /// that different routes (text export, `.docx`) give for the same document.
    pub fn strip_origins(&mut self) {
        self.origin = Origin::Unknown;
        for a in [
            &mut self.budget_total,
            &mut self.budget_fiscal,
            &mut self.budget_other,
        ] {
            a.origin = Origin::Unknown;
        }
        for pt in &mut self.plan {
            pt.origin = Origin::Unknown;
        }
        for i in &mut self.indicators {
            i.origin = Origin::Unknown;
            i.value.origin = Origin::Unknown;
        }
    }
}

/// What a [`Flag`] says is wrong, with a stable snake_case name ([`FlagCode::as_str`]) as
/// written to `flags.csv`. New codes may be added; names never change. A reader's diagnostic
/// (damaged bytes, a skipped part) keeps the reader's own code: [`FlagCode::Reader`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FlagCode {
    /// `budget_sum_mismatch`: 预算数 ≠ 财政资金 + 其他资金.
    BudgetSumMismatch,
    /// `amount_unit_missing`: an amount with no unit in its cell, its table or its document.
    AmountUnitMissing,
    /// `plan_not_monotonic`: a spending-plan percentage lower than an earlier one.
    PlanNotMonotonic,
    /// `plan_above_100`: a spending-plan percentage over 100.
    PlanAbove100,
    /// `plan_not_ending_at_100`: a spending plan whose last checkpoint is not 100%.
    PlanNotEndingAt100,
    /// `indicator_value_empty`: an indicator row without a target value.
    IndicatorValueEmpty,
    /// `value_contradicts_indicator`: a target that contradicts its indicator (a satisfaction target `<10`).
    ValueContradictsIndicator,
    /// `value_repeats_indicator`: a target cell that only repeats the indicator.
    ValueRepeatsIndicator,
    /// `unrecognised_labels`: labels or tables the vocabulary does not know.
    UnrecognisedLabels,
    /// `form_labels_outside_tables`: the form's labels as plain paragraphs (a flattened export).
    FormLabelsOutsideTables,
    /// `not_a_budget_disclosure`: no 绩效目标表 found.
    NotABudgetDisclosure,
    /// `table_clipped`: a table beyond the limits, clipped.
    TableClipped,
    /// `value_damaged`: a value holding U+FFFD (damaged source bytes).
    ValueDamaged,
    /// `aligned_from_text`: a project rebuilt from text without table marks (the table
    /// structure inferred from the order of lines).
    AlignedFromText,
    /// `field_not_aligned`: lines the aligner could not place in a field with confidence
    /// (the field is left empty).
    FieldNotAligned,
    /// `cell_placed_by_inference`: a row of a flattened web table that lacked its merged
    /// cells at the left, placed under its columns by count or by a 一级/二级 label.
    CellPlacedByInference,
    /// `alignment_uncertain`: text the aligner could split or place in more than one way (the
    /// candidates and origin lines are in the flag; the fields concerned are left empty).
    AlignmentUncertain,
    /// `self_evaluation`: a 绩效自评表 (actual results, scores, execution rates), a form of its
    /// own: never read as target records.
    SelfEvaluation,
    /// A reader's diagnostic (`encoding_damaged`, `part_skipped`, `zip_recovered`, …), under
    /// the reader's code.
    Reader(String),
}

impl FlagCode {
    /// Every code of the family's own, in declaration order.
    pub const OWN: &'static [FlagCode] = &[
        FlagCode::BudgetSumMismatch,
        FlagCode::AmountUnitMissing,
        FlagCode::PlanNotMonotonic,
        FlagCode::PlanAbove100,
        FlagCode::PlanNotEndingAt100,
        FlagCode::IndicatorValueEmpty,
        FlagCode::ValueContradictsIndicator,
        FlagCode::ValueRepeatsIndicator,
        FlagCode::UnrecognisedLabels,
        FlagCode::FormLabelsOutsideTables,
        FlagCode::NotABudgetDisclosure,
        FlagCode::TableClipped,
        FlagCode::ValueDamaged,
        FlagCode::AlignedFromText,
        FlagCode::FieldNotAligned,
        FlagCode::CellPlacedByInference,
        FlagCode::AlignmentUncertain,
        FlagCode::SelfEvaluation,
    ];

    /// The stable snake_case name.
    pub fn as_str(&self) -> &str {
        match self {
            FlagCode::BudgetSumMismatch => "budget_sum_mismatch",
            FlagCode::AmountUnitMissing => "amount_unit_missing",
            FlagCode::PlanNotMonotonic => "plan_not_monotonic",
            FlagCode::PlanAbove100 => "plan_above_100",
            FlagCode::PlanNotEndingAt100 => "plan_not_ending_at_100",
            FlagCode::IndicatorValueEmpty => "indicator_value_empty",
            FlagCode::ValueContradictsIndicator => "value_contradicts_indicator",
            FlagCode::ValueRepeatsIndicator => "value_repeats_indicator",
            FlagCode::UnrecognisedLabels => "unrecognised_labels",
            FlagCode::FormLabelsOutsideTables => "form_labels_outside_tables",
            FlagCode::NotABudgetDisclosure => "not_a_budget_disclosure",
            FlagCode::TableClipped => "table_clipped",
            FlagCode::ValueDamaged => "value_damaged",
            FlagCode::AlignedFromText => "aligned_from_text",
            FlagCode::FieldNotAligned => "field_not_aligned",
            FlagCode::CellPlacedByInference => "cell_placed_by_inference",
            FlagCode::AlignmentUncertain => "alignment_uncertain",
            FlagCode::SelfEvaluation => "self_evaluation",
            FlagCode::Reader(code) => code,
        }
    }
}

impl std::fmt::Display for FlagCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for FlagCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for FlagCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A flag code is its stable name: one of the family's own (listed) or a reader's.
impl JsonSchema for FlagCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FlagCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let own: Vec<&str> = FlagCode::OWN.iter().map(FlagCode::as_str).collect();
        schemars::json_schema!({
            "type": "string",
            "description": "A stable snake_case flag name: the budget family's own (examples), or a reader's diagnostic code.",
            "examples": own,
        })
    }
}

impl<'de> Deserialize<'de> for FlagCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(FlagCode::OWN
            .iter()
            .find(|c| c.as_str() == name)
            .cloned()
            .unwrap_or(FlagCode::Reader(name)))
    }
}

/// A quality flag: something that looks wrong in the source. Flags never change a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Flag {
    /// What is wrong.
    pub code: FlagCode,
    /// The project's sequence number, when the flag is about a project.
    pub project_seq: Option<u32>,
    /// The project's code, when known.
    pub project_code: Option<String>,
    /// The field concerned (`budget_total`, `plan`, `indicators[3].value`, …).
    pub field: String,
    /// The raw value concerned.
    pub raw: String,
    /// A human explanation.
    pub message: String,
    /// Where the value came from.
    pub origin: Origin,
}

impl Flag {
    /// A flag of `code` about the document (no project), with every other field empty: the
    /// base of struct-update constructions.
    pub fn new(code: FlagCode) -> Flag {
        Flag {
            code,
            project_seq: None,
            project_code: None,
            field: String::new(),
            raw: String::new(),
            message: String::new(),
            origin: Origin::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn flag_codes_have_unique_stable_names_that_round_trip() {
        let mut names: Vec<&str> = FlagCode::OWN.iter().map(FlagCode::as_str).collect();
        for c in FlagCode::OWN {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(&serde_json::from_str::<FlagCode>(&json).unwrap(), c);
        }
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
        let reader: FlagCode = serde_json::from_str("\"encoding_damaged\"").unwrap();
        assert_eq!(reader, FlagCode::Reader("encoding_damaged".into()));
        assert_eq!(reader, "encoding_damaged");
    }

    use super::*;

    fn amount(raw: &str, value: &str, unit: Option<&str>) -> Amount {
        Amount {
            raw: raw.into(),
            value: Some(value.parse().unwrap()),
            unit: unit.map(Into::into),
            origin: Origin::Unknown,
        }
    }

    #[test]
    fn value_in_scales_exactly_between_money_units() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let a = amount("28.8萬元", "28.8", Some("万元"));
        assert_eq!(a.value_in(Some("元")), Some(d("288000.0")));
        assert_eq!(a.value_in(Some("万元")), Some(d("28.8")));
        assert_eq!(a.value_in(None), Some(d("28.8")));
        let b = amount("250000", "250000", Some("元"));
        assert_eq!(b.value_in(Some("万元")), Some(d("25")));
        assert_eq!(
            amount("1", "1", Some("元")).value_in(Some("亿元")),
            Some(d("0.00000001"))
        );
        // An unknown unit is never guessed.
        assert_eq!(amount("5箱", "5", Some("箱")).value_in(Some("元")), None);
        assert_eq!(Amount::default().value_in(Some("元")), None);
    }
}
