//! Quality flags: checks on the extracted records. Flags describe; they never change a value.

use crate::records::{Amount, Flag, Op, Project};
use crate::values;
use crate::ws::TrimWs;
use rust_decimal::Decimal;
use tablift_model::Origin;

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
    code: &str,
    field: String,
    raw: &str,
    message: String,
    origin: &Origin,
) -> Flag {
    Flag {
        code: code.to_string(),
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

/// All checks for one project, appended to `out` in a fixed order.
pub fn check_project(p: &Project, out: &mut Vec<Flag>) {
    let hundred = Decimal::ONE_HUNDRED;
    // Budget: total = fiscal + other (a blank other counts as 0). Amounts in different units
    // (`28.8萬元` beside `250000` 元) are compared in 元.
    if let Some(total) = p.budget_total.value {
        let fiscal = p.budget_fiscal.value;
        let other = p.budget_other.value;
        let factor = |a: &Amount| -> Option<Decimal> {
            match (&a.unit, &p.budget_total.unit) {
                (Some(u), Some(t)) if u != t => {
                    Some(values::yuan_factor(u)? / values::yuan_factor(t)?)
                }
                _ => Some(Decimal::ONE),
            }
        };
        let scaled = |a: &Amount| -> Option<Decimal> {
            match a.value {
                Some(v) => v.checked_mul(factor(a)?),
                None => Some(Decimal::ZERO),
            }
        };
        let sum = scaled(&p.budget_fiscal)
            .zip(scaled(&p.budget_other))
            .and_then(|(f, o)| f.checked_add(o));
        if let (true, Some(sum)) = (fiscal.is_some() || other.is_some(), sum) {
            if sum != total {
                out.push(flag(
                    p,
                    "budget_sum_mismatch",
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
        }
    }
    // An amount without a stated unit cannot be compared with anything: say so, never guess.
    for (field, a) in [
        ("budget_total", &p.budget_total),
        ("budget_fiscal", &p.budget_fiscal),
        ("budget_other", &p.budget_other),
    ] {
        if a.value.is_some() && a.unit.is_none() {
            out.push(flag(
                p,
                "amount_unit_missing",
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
    // Plan: cumulative percentages rise, stay within 100 and end at 100.
    if !p.plan.is_empty() {
        let mut last: Option<(usize, Decimal)> = None;
        for (i, pt) in p.plan.iter().enumerate() {
            let Some(v) = pt.percent else { continue };
            if let Some((_, prev)) = last {
                if v < prev {
                    out.push(flag(
                        p,
                        "plan_not_monotonic",
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
                    "plan_above_100",
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
        match last {
            Some((i, v)) if v != hundred => {
                let pt = p.plan.get(i);
                out.push(flag(
                    p,
                    "plan_not_ending_at_100",
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
                "plan_not_ending_at_100",
                "plan".into(),
                "",
                format!("{}: the spending plan has no values", label(p)),
                &p.origin,
            )),
            Some(_) => {}
        }
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        // Formatted only for a flag: most indicators have none.
        let field = || format!("indicators[{i}].value");
        let v = &ind.value;
        if v.raw.trim_ws().is_empty() {
            out.push(flag(
                p,
                "indicator_value_empty",
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
            continue;
        }
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
        let mut why: Option<String> = None;
        if v.number.is_some() && upper_bound && satisfaction {
            why = Some(format!(
                "a satisfaction indicator ({}) bounded from above ({})",
                ind.level3, v.raw
            ));
        } else if v.number.is_some() && upper_bound && rate && !lower_better() {
            why = Some(format!(
                "a rate where higher is better ({}) bounded from above ({})",
                ind.level3, v.raw
            ));
        } else if let Some(n) = v.number {
            if (rate || v.unit.as_deref() == Some("%")) && n > hundred {
                why = Some(format!(
                    "a percentage ({}) above 100 ({})",
                    ind.level3, v.raw
                ));
            }
        }
        if let Some(why) = why {
            out.push(flag(
                p,
                "value_contradicts_indicator",
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
                "value_repeats_indicator",
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
}
