//! The budget family as datasets: the records of [`normalise`](crate::normalise) laid out as
//! the long-form tables `projects`, `indicators`, `goals`, `spending_plan`, `sections` and
//! `flags`, with declared column types, for any exporter.
//!
//! The rules that make a record a row live here, not in the exporters: budgets are stated in
//! the row's unit whatever unit a cell wrote (the raw text stays in `budget_*_raw`), and the
//! four plan checkpoints of the 绩效目标表 (March, June, October, December) are columns of
//! `projects`.

use crate::{Extraction, Project};
use rust_decimal::Decimal;
use std::io;
use tablift_dataset::{Column, ColumnType, Extracted, Family, RowSink, Schema, Value};
use tablift_model::Document;

/// Amounts: a value in 元 restated in 万元 gains four fractional digits on its two.
const AMOUNT: ColumnType = ColumnType::Decimal { scale: 6 };
/// Percentages and indicator numbers.
const NUMBER: ColumnType = ColumnType::Decimal { scale: 6 };
const TEXT: ColumnType = ColumnType::Text;
const INT: ColumnType = ColumnType::Integer;
const ORIGIN: ColumnType = ColumnType::Origin;

const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column::new(name, ty)
}

/// Index of each dataset in [`DATASETS`].
const PROJECTS: usize = 0;
const INDICATORS: usize = 1;
const GOALS: usize = 2;
const PLAN: usize = 3;
const SECTIONS: usize = 4;
const FLAGS: usize = 5;

/// The family's datasets. Column names are part of the public contract: new columns are only
/// ever appended.
pub const DATASETS: &[Schema] = &[
    Schema::new(
        "projects",
        &[
            col("source", TEXT),
            col("seq", INT),
            col("project_code", TEXT),
            col("project_name", TEXT),
            col("department_code", TEXT),
            col("department_name", TEXT),
            col("unit", TEXT),
            col("budget_total", AMOUNT),
            col("budget_fiscal", AMOUNT),
            col("budget_other", AMOUNT),
            col("use_of_funds", TEXT),
            col("plan_mar", NUMBER),
            col("plan_jun", NUMBER),
            col("plan_oct", NUMBER),
            col("plan_dec", NUMBER),
            col("title", TEXT),
            col("tc_entry", TEXT),
            col("budget_total_raw", TEXT),
            col("budget_fiscal_raw", TEXT),
            col("budget_other_raw", TEXT),
            col("goals_raw", TEXT),
            col("goal_count", INT),
            col("indicator_count", INT),
            col("origin", ORIGIN),
            // Where each amount's own cell is (added later, so after `origin`).
            col("budget_total_origin", ORIGIN),
            col("budget_fiscal_origin", ORIGIN),
            col("budget_other_origin", ORIGIN),
            // The form's labels with no column of their own (`实施单位`, `上级资金`, labels the
            // vocabulary does not know), as a JSON object of label → value; empty when none.
            col("extra", TEXT),
        ],
    ),
    Schema::new(
        "indicators",
        &[
            col("source", TEXT),
            col("project_code", TEXT),
            col("row", INT),
            col("level1", TEXT),
            col("level2", TEXT),
            col("level3", TEXT),
            col("description", TEXT),
            col("value_raw", TEXT),
            col("value_op", TEXT),
            col("value_number", NUMBER),
            col("value_unit", TEXT),
            col("basis", TEXT),
            col("project_seq", INT),
            col("project_name", TEXT),
            col("value_text", TEXT),
            col("origin", ORIGIN),
            col("value_origin", ORIGIN),
            col("value_deadline", TEXT),
        ],
    ),
    Schema::new(
        "goals",
        &[
            col("source", TEXT),
            col("project_seq", INT),
            col("project_code", TEXT),
            col("goal", INT),
            col("number", INT),
            col("text", TEXT),
            col("raw", TEXT),
        ],
    ),
    Schema::new(
        "spending_plan",
        &[
            col("source", TEXT),
            col("project_seq", INT),
            col("project_code", TEXT),
            col("checkpoint", INT),
            col("label", TEXT),
            col("month", INT),
            col("raw", TEXT),
            col("percent", NUMBER),
            col("origin", ORIGIN),
        ],
    ),
    Schema::new(
        "sections",
        &[
            col("source", TEXT),
            col("index", INT),
            col("heading_path", TEXT),
            col("heading", TEXT),
            col("tc_entry", TEXT),
            col("tc_level", INT),
            col("items", TEXT),
            col("text", TEXT),
            col("origin", ORIGIN),
        ],
    ),
    Schema::new(
        "flags",
        &[
            col("source", TEXT),
            col("code", TEXT),
            col("project_seq", INT),
            col("project_code", TEXT),
            col("field", TEXT),
            col("raw", TEXT),
            col("message", TEXT),
            col("origin", ORIGIN),
        ],
    ),
];

/// The budget disclosure family (部门预算绩效目标).
#[derive(Clone, Debug, Default)]
pub struct BudgetFamily {
    options: crate::Options,
}

impl BudgetFamily {
    /// The family with the given table limits.
    pub fn new(options: crate::Options) -> BudgetFamily {
        BudgetFamily { options }
    }
}

impl Family for BudgetFamily {
    fn name(&self) -> &'static str {
        "budget"
    }

    fn datasets(&self) -> &'static [Schema] {
        DATASETS
    }

    fn extract<'d>(&self, doc: &'d Document) -> Box<dyn Extracted + 'd> {
        Box::new(crate::normalise_with(doc, &self.options))
    }

    /// `document`, `projects`, `flags`: the fields of [`Extraction`], which
    /// [`Extracted::json_members`] writes through serde, so its derived schema is theirs.
    fn json_schema(&self) -> Option<serde_json::Value> {
        Some(schemars::schema_for!(crate::Extraction).to_value())
    }
}

fn plan_at(p: &Project, month: u8) -> Option<Decimal> {
    p.plan
        .iter()
        .find(|c| c.month == Some(month))
        .and_then(|c| c.percent)
}

fn text(s: &str) -> Value<'_> {
    Value::Text(s)
}

fn opt(s: Option<&String>) -> Value<'_> {
    Value::opt_text(s.map(String::as_str))
}

fn uint(n: impl Into<u64>) -> Value<'static> {
    Value::UInt(n.into())
}

fn count(n: usize) -> Value<'static> {
    Value::UInt(u64::try_from(n).unwrap_or(u64::MAX))
}

impl Extraction {
    fn project_rows(&self, source: &str, p: &Project, sink: &mut dyn RowSink) {
        let d = &self.document;
        let code = text(p.code.as_deref().unwrap_or(""));
        let unit = p.unit.as_ref().or(d.unit.as_ref());
        let in_unit = |a: &crate::Amount| Value::opt_decimal(a.value_in(unit.map(String::as_str)));
        // One string a project (not a cell): a map of strings always serialises.
        let extra = if p.extra.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&p.extra).unwrap_or_default()
        };
        sink.row(
            PROJECTS,
            &[
                text(source),
                uint(p.seq),
                code,
                opt(p.name.as_ref()),
                opt(p.department_code.as_ref().or(d.department_code.as_ref())),
                opt(p.department_name.as_ref().or(d.department_name.as_ref())),
                opt(unit),
                in_unit(&p.budget_total),
                in_unit(&p.budget_fiscal),
                in_unit(&p.budget_other),
                text(&p.use_of_funds),
                Value::opt_decimal(plan_at(p, 3)),
                Value::opt_decimal(plan_at(p, 6)),
                Value::opt_decimal(plan_at(p, 10)),
                Value::opt_decimal(plan_at(p, 12)),
                text(&p.title),
                opt(p.tc_entry.as_ref()),
                text(&p.budget_total.raw),
                text(&p.budget_fiscal.raw),
                text(&p.budget_other.raw),
                text(&p.goals_raw),
                count(p.goals.len()),
                count(p.indicators.len()),
                Value::Origin(&p.origin),
                Value::Origin(&p.budget_total.origin),
                Value::Origin(&p.budget_fiscal.origin),
                Value::Origin(&p.budget_other.origin),
                text(&extra),
            ],
        );
        for ind in &p.indicators {
            let v = &ind.value;
            sink.row(
                INDICATORS,
                &[
                    text(source),
                    code,
                    uint(ind.row),
                    text(&ind.level1),
                    text(&ind.level2),
                    text(&ind.level3),
                    text(&ind.description),
                    text(&v.raw),
                    Value::opt_text(v.op.map(|o| o.as_str())),
                    Value::opt_decimal(v.number),
                    opt(v.unit.as_ref()),
                    text(&ind.basis),
                    uint(p.seq),
                    opt(p.name.as_ref()),
                    opt(v.text.as_ref()),
                    Value::Origin(&ind.origin),
                    Value::Origin(&v.origin),
                    opt(v.deadline.as_ref()),
                ],
            );
        }
        for (i, g) in p.goals.iter().enumerate() {
            sink.row(
                GOALS,
                &[
                    text(source),
                    uint(p.seq),
                    code,
                    count(i + 1),
                    Value::opt_uint(g.number),
                    text(&g.text),
                    text(&g.raw),
                ],
            );
        }
        for (i, c) in p.plan.iter().enumerate() {
            sink.row(
                PLAN,
                &[
                    text(source),
                    uint(p.seq),
                    code,
                    count(i + 1),
                    text(&c.label),
                    Value::opt_uint(c.month),
                    text(&c.raw),
                    Value::opt_decimal(c.percent),
                    Value::Origin(&c.origin),
                ],
            );
        }
    }
}

impl Extracted for Extraction {
    fn rows(&self, source: &str, sink: &mut dyn RowSink) {
        for p in &self.projects {
            self.project_rows(source, p, sink);
        }
        for s in &self.document.sections {
            sink.row(
                SECTIONS,
                &[
                    text(source),
                    uint(s.index),
                    Value::Joined(&s.heading_path, " > "),
                    text(&s.heading),
                    opt(s.tc_entry.as_ref()),
                    Value::opt_uint(s.tc_level),
                    Value::Joined(&s.items, "\n"),
                    Value::Joined(&s.paragraphs, "\n"),
                    Value::Origin(&s.origin),
                ],
            );
        }
        for f in &self.flags {
            sink.row(
                FLAGS,
                &[
                    text(source),
                    text(f.code.as_str()),
                    Value::opt_uint(f.project_seq),
                    opt(f.project_code.as_ref()),
                    text(&f.field),
                    text(&f.raw),
                    text(&f.message),
                    Value::Origin(&f.origin),
                ],
            );
        }
    }

    /// `"document":…,"projects":…,"flags":…`: the records, nested, through serde. The table
    /// grid is not repeated here: `tables.csv` has every cell, `model.jsonl` (opt-in) the model.
    fn json_members(&self, out: &mut Vec<u8>) -> io::Result<bool> {
        out.extend_from_slice(b"\"document\":");
        serde_json::to_writer(&mut *out, &self.document)?;
        out.extend_from_slice(b",\"projects\":");
        serde_json::to_writer(&mut *out, &self.projects)?;
        out.extend_from_slice(b",\"flags\":");
        serde_json::to_writer(&mut *out, &self.flags)?;
        Ok(true)
    }
}
