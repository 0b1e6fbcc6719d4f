//! Quality flags: checks on the extracted records, and what the document-level pass could not
//! recognise. Flags describe; they never change a value.

use crate::extract::Unknown;
use crate::records::{Amount, Flag, FlagCode, Indicator, Op, Project};
use crate::ws::TrimWs;
use crate::{fold, values, vocab, Options};
use rust_decimal::Decimal;
use tablift_model::{Block, Document, Origin};

/// Words that make a rate one where lower is better (an upper bound is then plausible).
const LOWER_IS_BETTER: &[&str] = &[
    "差错",
    "错误",
    "投诉",
    "失误",
    "事故",
    "不合格",
    "超标",
    "违规",
    "违法",
    "误差",
    "空置",
    "流失",
    "返工",
    "损失",
    "死亡",
    "发病",
    "发生率",
    "逾期",
    "不良",
    "退货",
    "偏差",
    "变动",
    "失败",
    "闲置",
    "下降",
    "降低",
    "减少",
    "成本",
    "能耗",
];

fn flag(
    p: &Project,
    code: FlagCode,
    field: String,
    raw: &str,
    message: String,
    origin: &Origin,
) -> Flag {
    Flag {
        code,
        project_seq: Some(p.seq),
        project_code: p.code.clone(),
        field,
        raw: raw.to_string(),
        message,
        origin: origin.clone(),
    }
}

fn label(p: &Project) -> String {
    match &p.code {
        Some(c) => format!("project {} ({c})", p.seq),
        None => format!("project {}", p.seq),
    }
}

/// All checks for one project, appended to `out` in a fixed order: budget, units, plan, then
/// each indicator. `plan_read` is false when the plan's values are in the source but were not
/// placed (a `field_not_aligned` flag says so): the plan is then not judged.
pub fn check_project(p: &Project, plan_read: bool, out: &mut Vec<Flag>) {
    check_damaged_values(p, out);
    check_budget_sum(p, out);
    check_amount_units(p, out);
    if plan_read {
        check_plan(p, out);
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        check_indicator(p, i, ind, out);
    }
}

/// A reader's diagnostic (damaged bytes decoded as U+FFFD, a part skipped, a zip recovered)
/// as a document flag under the reader's own code.
pub fn reader_diagnostic(d: &tablift_model::Diagnostic) -> Flag {
    Flag {
        field: "document".into(),
        message: d.message.clone(),
        origin: d.origin.clone(),
        ..Flag::new(FlagCode::Reader(d.code.clone()))
    }
}

/// Values holding U+FFFD: the reader met damaged bytes there, so the value is not what the
/// source said. Each is flagged where it was read; the value itself is kept as read.
fn check_damaged_values(p: &Project, out: &mut Vec<Flag>) {
    const DAMAGED: char = '\u{FFFD}';
    let mut damaged = |field: String, raw: &str, origin: &Origin| {
        if raw.contains(DAMAGED) {
            out.push(flag(
                p,
                FlagCode::ValueDamaged,
                field,
                raw,
                "the value holds U+FFFD: damaged bytes in the source were decoded as replacement characters".into(),
                origin,
            ));
        }
    };
    for (field, v) in [("project_code", &p.code), ("project_name", &p.name)] {
        if let Some(v) = v {
            damaged(field.into(), v, &p.origin);
        }
    }
    for (field, a) in [
        ("budget_total", &p.budget_total),
        ("budget_fiscal", &p.budget_fiscal),
        ("budget_other", &p.budget_other),
    ] {
        damaged(field.into(), &a.raw, &a.origin);
    }
    for c in &p.plan {
        damaged("plan".into(), &c.raw, &c.origin);
    }
    damaged("goals".into(), &p.goals_raw, &p.origin);
    for (i, ind) in p.indicators.iter().enumerate() {
        damaged(format!("indicators[{i}].level3"), &ind.level3, &ind.origin);
        damaged(
            format!("indicators[{i}].value"),
            &ind.value.raw,
            &ind.value.origin,
        );
    }
}

/// `amount` in the unit of the project's total (`28.8萬元` beside `250000` 元 are compared in
/// one unit); a blank amount counts as 0. `None` when the units cannot be related or the
/// product overflows.
fn in_total_unit(p: &Project, amount: &Amount) -> Option<Decimal> {
    let Some(v) = amount.value else {
        return Some(Decimal::ZERO);
    };
    let factor = match (&amount.unit, &p.budget_total.unit) {
        (Some(u), Some(t)) if u != t => values::yuan_factor(u)? / values::yuan_factor(t)?,
        _ => Decimal::ONE,
    };
    v.checked_mul(factor)
}

/// Budget: total = fiscal + other (a blank other counts as 0), when a part is stated at all.
fn check_budget_sum(p: &Project, out: &mut Vec<Flag>) {
    let Some(total) = p.budget_total.value else {
        return;
    };
    if p.budget_fiscal.value.is_none() && p.budget_other.value.is_none() {
        return;
    }
    let sum = in_total_unit(p, &p.budget_fiscal)
        .zip(in_total_unit(p, &p.budget_other))
        .and_then(|(f, o)| f.checked_add(o));
    let Some(sum) = sum.filter(|&s| s != total) else {
        return;
    };
    out.push(flag(
        p,
        FlagCode::BudgetSumMismatch,
        "budget_total".into(),
        &p.budget_total.raw,
        format!(
            "{}: 预算数 {} differs from 财政资金 {} + 其他资金 {} = {sum}",
            label(p),
            p.budget_total.raw,
            p.budget_fiscal.raw,
            if p.budget_other.raw.is_empty() {
                "0"
            } else {
                &p.budget_other.raw
            },
        ),
        &p.budget_total.origin,
    ));
}

/// An amount without a stated unit cannot be compared with anything: say so, never guess.
fn check_amount_units(p: &Project, out: &mut Vec<Flag>) {
    for (field, a) in [
        ("budget_total", &p.budget_total),
        ("budget_fiscal", &p.budget_fiscal),
        ("budget_other", &p.budget_other),
    ] {
        if a.value.is_some() && a.unit.is_none() {
            out.push(flag(
                p,
                FlagCode::AmountUnitMissing,
                field.into(),
                &a.raw,
                format!(
                    "{}: {field} {} has no unit in the cell, the table or the document",
                    label(p),
                    a.raw
                ),
                &a.origin,
            ));
        }
    }
}

/// Plan: cumulative percentages rise, stay within 100 and end at 100. A project without a
/// spending plan has nothing to check.
fn check_plan(p: &Project, out: &mut Vec<Flag>) {
    if p.plan.is_empty() {
        return;
    }
    let hundred = Decimal::ONE_HUNDRED;
    // The last point with a value: its index and value.
    let mut last: Option<(usize, Decimal)> = None;
    for (i, pt) in p.plan.iter().enumerate() {
        let Some(v) = pt.percent else { continue };
        if let Some((_, prev)) = last {
            if v < prev {
                out.push(flag(
                    p,
                    FlagCode::PlanNotMonotonic,
                    format!("plan[{i}]"),
                    &pt.raw,
                    format!(
                        "{}: cumulative plan falls from {prev} to {} at {}",
                        label(p),
                        pt.raw,
                        pt.label
                    ),
                    &pt.origin,
                ));
            }
        }
        if v > hundred {
            out.push(flag(
                p,
                FlagCode::PlanAbove100,
                format!("plan[{i}]"),
                &pt.raw,
                format!(
                    "{}: plan value {} at {} is above 100%",
                    label(p),
                    pt.raw,
                    pt.label
                ),
                &pt.origin,
            ));
        }
        last = Some((i, v));
    }
    check_plan_end(p, last, out);
}

/// The plan must end at 100%: `last` is its last point with a value, if any.
fn check_plan_end(p: &Project, last: Option<(usize, Decimal)>, out: &mut Vec<Flag>) {
    match last {
        Some((i, v)) if v != Decimal::ONE_HUNDRED => {
            let pt = p.plan.get(i);
            out.push(flag(
                p,
                FlagCode::PlanNotEndingAt100,
                format!("plan[{i}]"),
                pt.map_or("", |x| x.raw.as_str()),
                format!(
                    "{}: the last plan value ({} at {}) is not 100%",
                    label(p),
                    pt.map_or("", |x| x.raw.as_str()),
                    pt.map_or("", |x| x.label.as_str())
                ),
                pt.map_or(&p.origin, |x| &x.origin),
            ));
        }
        None => out.push(flag(
            p,
            FlagCode::PlanNotEndingAt100,
            "plan".into(),
            "",
            format!("{}: the spending plan has no values", label(p)),
            &p.origin,
        )),
        Some(_) => {}
    }
}

/// The checks of the `i`-th indicator: a value at all, a value its indicator allows, a value
/// that is more than the indicator's name repeated.
fn check_indicator(p: &Project, i: usize, ind: &Indicator, out: &mut Vec<Flag>) {
    // Formatted only for a flag: most indicators have none.
    let field = || format!("indicators[{i}].value");
    let v = &ind.value;
    if v.raw.trim_ws().is_empty() {
        out.push(flag(
            p,
            FlagCode::IndicatorValueEmpty,
            field(),
            &v.raw,
            format!(
                "{}: indicator row {} ({}) has no value",
                label(p),
                ind.row,
                ind.level3
            ),
            &v.origin,
        ));
        return;
    }
    if let Some(why) = contradiction(ind) {
        out.push(flag(
            p,
            FlagCode::ValueContradictsIndicator,
            field(),
            &v.raw,
            format!("{}: indicator row {}: {why}", label(p), ind.row),
            &v.origin,
        ));
    }
    if crate::extract::same_text(&v.raw, &ind.level3)
        || crate::extract::same_text(&v.raw, &ind.description)
    {
        out.push(flag(
            p,
            FlagCode::ValueRepeatsIndicator,
            field(),
            &v.raw,
            format!(
                "{}: indicator row {}: the value repeats the indicator's name or description",
                label(p),
                ind.row
            ),
            &v.origin,
        ));
    }
}

/// Why an indicator's value contradicts what the indicator measures, if it does: a
/// satisfaction or a higher-is-better rate bounded from above, or a percentage above 100.
fn contradiction(ind: &Indicator) -> Option<String> {
    let v = &ind.value;
    let n = v.number?;
    // The indicator's own name decides; the group (level 2) only when it has none.
    let name = if ind.level3.trim_ws().is_empty() {
        &ind.level2
    } else {
        &ind.level3
    };
    let satisfaction = name.contains("满意");
    let rate = satisfaction || name.contains('率');
    // Only asked for a rate bounded from above (rare): 29 substring searches per
    // indicator were a large share of the normaliser.
    let lower_better = || LOWER_IS_BETTER.iter().any(|w| name.contains(w));
    let upper_bound = matches!(v.op, Some(Op::Lt | Op::Le));
    if upper_bound && satisfaction {
        Some(format!(
            "a satisfaction indicator ({}) bounded from above ({})",
            ind.level3, v.raw
        ))
    } else if upper_bound && rate && !lower_better() {
        Some(format!(
            "a rate where higher is better ({}) bounded from above ({})",
            ind.level3, v.raw
        ))
    } else if (rate || v.unit.as_deref() == Some("%")) && n > Decimal::ONE_HUNDRED {
        Some(format!(
            "a percentage ({}) above 100 ({})",
            ind.level3, v.raw
        ))
    } else {
        None
    }
}

/// The flags of a document nothing was recognised in: that, and the form's labels when they
/// occur outside tables.
pub fn unrecognised_document(doc: &Document, blocks_not_aligned: usize, out: &mut Vec<Flag>) {
    // Project blocks found in flattened text but not aligned (each has its `field_not_aligned`)
    // are a 绩效目标表 whose structure the export lost: saying the document has none would
    // send it to the wrong pile. It is still not `recognised` (no record was read).
    if blocks_not_aligned == 0 {
        out.push(Flag {
            field: "document".into(),
            message:
                "no 绩效目标表 (project table with 项目编码/项目名称 or an indicator grid) found"
                    .into(),
            ..Flag::new(FlagCode::NotABudgetDisclosure)
        });
    }
    out.extend(form_labels_outside_tables(doc, blocks_not_aligned));
}

/// A flattened export (no table marks) still shows the form's labels as paragraphs: the
/// distinct ones, in order, and where the first is.
fn form_labels_outside_tables(doc: &Document, blocks_not_aligned: usize) -> Option<Flag> {
    let mut labels: Vec<&str> = Vec::new();
    let mut first = Origin::Unknown;
    for p in doc.blocks.iter().filter_map(|b| match b {
        Block::Paragraph(p) => Some(p),
        Block::Table(_) => None,
    }) {
        let t = p.text.trim_ws();
        if t.len() <= 64 && vocab::field(&fold::fold_label(t)).is_some() {
            if labels.is_empty() {
                first = p.origin.clone();
            }
            if !labels.contains(&t) {
                labels.push(t);
            }
        }
    }
    if labels.is_empty() {
        return None;
    }
    Some(Flag {
        field: "document".into(),
        raw: labels.join("|"),
        message: if blocks_not_aligned == 0 {
            format!(
                "the form's labels occur as plain paragraphs (a flattened export?); projects were not recovered: {}",
                labels.join("、")
            )
        } else {
            format!(
                "a budget disclosure flattened to text: {blocks_not_aligned} project blocks of its 绩效目标表 were found, none could be aligned (each has a field_not_aligned flag); no project recovered. Labels seen: {}",
                labels.join("、")
            )
        },
        origin: first,
        ..Flag::new(FlagCode::FormLabelsOutsideTables)
    })
}

/// A table (block `bi` of `doc`) nothing was recognised in, with its label-like cells.
pub fn unrecognised_table(doc: &Document, bi: usize, origin: &Origin, labels: &[String]) -> Flag {
    // Tables are numbered among tables, not blocks.
    let table = doc
        .blocks
        .iter()
        .take(bi)
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    Flag {
        field: format!("tables[{table}]"),
        raw: labels.join("|"),
        message: if labels.is_empty() {
            format!(
                "table {table}: nothing recognised and no label-like cells; kept as a generic table"
            )
        } else {
            format!(
                "table {table}: no label or column header recognised; kept as a generic table; label-like cells: {}",
                labels.join("、")
            )
        },
        origin: origin.clone(),
        ..Flag::new(FlagCode::UnrecognisedLabels)
    }
}

/// A table beyond the limits, clipped.
pub fn table_clipped(origin: &Origin, opts: &Options) -> Flag {
    Flag {
        field: "document".into(),
        message: format!(
            "a table beyond the limits was clipped ({opts:?}; merged cells shown again on the rows they span: at most {} a table)",
            tablift_model::MAX_CONTINUED_CELLS
        ),
        origin: origin.clone(),
        ..Flag::new(FlagCode::TableClipped)
    }
}

/// A short row of a flattened web table placed under its columns (see `place`).
pub(crate) fn cell_placed(p: &crate::place::Placement) -> Flag {
    let how = match p.by_count {
        Some(count) => format!(
            "by the 一级/二级 label in it, not by count (which gave {count}): the two disagree, \
             check the row"
        ),
        None if p.checked => "by count, as its 一级/二级 label agrees".to_string(),
        None => "by count (it holds no 一级/二级 label to check that against)".to_string(),
    };
    Flag {
        field: "indicators".into(),
        raw: p.first_cell.clone(),
        message: format!(
            "a row of {} cells under a header of {}: its first {} cells taken as merged from the \
             row above (the source text left them out), placed {how}",
            p.cells, p.width, p.missing
        ),
        origin: p.origin.clone(),
        ..Flag::new(FlagCode::CellPlacedByInference)
    }
}

/// A short row of a flattened web table left out of its grid (see `place`).
pub(crate) fn row_left_out(p: &crate::place::Placement) -> Flag {
    Flag {
        field: "indicators".into(),
        raw: p.first_cell.clone(),
        message: format!(
            "a row of {} cells under a header of {} was not read as an indicator: placed by \
             count it would have no 三级 or no 指标值 of its own",
            p.cells, p.width
        ),
        origin: p.origin.clone(),
        ..Flag::new(FlagCode::CellPlacedByInference)
    }
}

/// The labels the vocabulary does not know in project `p` (kept in its `extra`), if any.
/// `unknown` are all the table pass's; `seq_of` maps their candidate index to the final
/// sequence number.
pub fn unknown_labels(p: &Project, unknown: &[Unknown], seq_of: &[Option<u32>]) -> Option<Flag> {
    let unknown: Vec<&Unknown> = unknown
        .iter()
        .filter(|u| seq_of.get(u.project).copied().flatten() == Some(p.seq))
        .collect();
    let first = unknown.first()?;
    let labels: Vec<&str> = unknown.iter().map(|u| u.label.as_str()).collect();
    Some(unrecognised_labels(p, &labels, first.origin.clone()))
}

/// The `unrecognised_labels` flag of project `p`: `labels` kept in `extra`, the first at
/// `origin` (the table pass and the aligner both report them so).
pub fn unrecognised_labels(p: &Project, labels: &[&str], origin: Origin) -> Flag {
    Flag {
        code: FlagCode::UnrecognisedLabels,
        project_seq: Some(p.seq),
        project_code: p.code.clone(),
        field: "extra".into(),
        raw: labels.join("|"),
        message: format!(
            "project {}: labels the vocabulary does not know (kept in extra): {}",
            p.seq,
            labels.join("、")
        ),
        origin,
    }
}
