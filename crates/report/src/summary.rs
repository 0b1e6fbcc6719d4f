//! The run's summary, accumulated document by document in input order with bounded memory,
//! and its inline SVG charts.

use crate::collect::Budget;
use crate::html::{esc, escaped, num, truncate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use tablift_model::read::Failure;

/// Distinct departments (or flag codes) kept per chart; the rest are summed as one bar.
const MAX_GROUPS: usize = 5_000;
/// Distinct units charted (amounts in different units are never added up).
const MAX_UNITS: usize = 8;
const OTHERS: &str = "(others)";

/// Budgets in one unit.
#[derive(Default)]
pub(crate) struct UnitBudgets {
    /// Department → (sum, projects).
    departments: BTreeMap<String, (Decimal, u64)>,
    /// The largest projects: (amount, arrival, label), kept to a few times the bars shown.
    top: Vec<(Decimal, u64, String)>,
    projects: u64,
}

/// What the summary knows: counts and bounded samples, never every document.
#[derive(Default)]
pub(crate) struct Summary {
    pub inputs: u64,
    pub ok: u64,
    pub failed: u64,
    pub rows: Vec<u64>,
    pub failure_kinds: BTreeMap<&'static str, u64>,
    pub failures: Vec<Failure>,
    pub failures_left_out: u64,
    pub flags: BTreeMap<String, u64>,
    pub(crate) budgets: BTreeMap<String, UnitBudgets>,
    pub(crate) budgets_left_out: u64,
    pub(crate) arrivals: u64,
}

fn add(map: &mut BTreeMap<String, (Decimal, u64)>, key: &str, amount: Decimal) {
    let key = if map.contains_key(key) || map.len() < MAX_GROUPS {
        key
    } else {
        OTHERS
    };
    let e = map.entry(key.to_string()).or_default();
    // An overflowing sum (only a hostile input gets there) keeps the last sum it could hold.
    e.0 = e.0.checked_add(amount).unwrap_or(e.0);
    e.1 += 1;
}

impl Summary {
    pub(crate) fn budget(&mut self, b: Budget, source: &str, bars: usize) {
        if !self.budgets.contains_key(&b.unit) && self.budgets.len() >= MAX_UNITS {
            self.budgets_left_out += 1;
            return;
        }
        let u = self.budgets.entry(b.unit).or_default();
        u.projects += 1;
        let dept = if b.department.is_empty() {
            "(no department)"
        } else {
            &b.department
        };
        add(&mut u.departments, dept, b.amount);
        self.arrivals += 1;
        u.top
            .push((b.amount, self.arrivals, format!("{} ({source})", b.project)));
        if u.top.len() > bars.saturating_mul(4).max(16) {
            sort_top(&mut u.top);
            u.top.truncate(bars);
        }
    }

    pub(crate) fn flag(&mut self, code: String, n: u64) {
        let code = if self.flags.contains_key(&code) || self.flags.len() < MAX_GROUPS {
            code
        } else {
            OTHERS.to_string()
        };
        *self.flags.entry(code).or_default() += n;
    }

    pub(crate) fn failure(&mut self, f: &Failure, max: usize) {
        *self.failure_kinds.entry(f.kind.as_str()).or_default() += 1;
        if self.failures.len() < max {
            self.failures.push(f.clone());
        } else {
            self.failures_left_out += 1;
        }
    }

    /// The summary section: totals, rows per dataset, flags and budgets with their charts.
    pub(crate) fn write(&self, out: &mut String, datasets: &[&str], bars: usize) {
        out.push_str("<section id=\"summary\"><h2>Summary</h2><table class=\"totals\">");
        let count = |name: &str| {
            datasets
                .iter()
                .position(|d| *d == name)
                .and_then(|k| self.rows.get(k))
                .copied()
        };
        let flags: u64 = self.flags.values().sum();
        for (label, n) in [
            ("inputs", Some(self.inputs)),
            ("documents read", Some(self.ok)),
            ("documents failed", Some(self.failed)),
            ("projects", count("projects")),
            ("indicators", count("indicators")),
            ("flags", Some(flags)),
        ] {
            let Some(n) = n else { continue };
            out.push_str("<tr><th>");
            out.push_str(label);
            out.push_str("</th><td class=\"num\" id=\"total-");
            out.push_str(&label.replace(' ', "-"));
            out.push_str("\">");
            num(out, n);
            out.push_str("</td></tr>");
        }
        out.push_str("</table>");
        self.failure_reasons(out);
        self.rows_table(out, datasets);
        out.push_str("<div class=\"charts\">");
        self.flag_chart(out, bars);
        self.budget_charts(out, bars);
        out.push_str("</div>");
        out.push_str("</section>\n");
    }

    fn failure_reasons(&self, out: &mut String) {
        if self.failure_kinds.is_empty() {
            return;
        }
        out.push_str("<p>Failed, by reason: ");
        for (i, (kind, n)) in self.failure_kinds.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str("<code>");
            esc(out, kind);
            out.push_str("</code> ");
            num(out, n);
        }
        out.push_str(" (<a href=\"#failures\">list</a>)</p>");
    }

    fn rows_table(&self, out: &mut String, datasets: &[&str]) {
        out.push_str("<details><summary>Rows per dataset</summary><table class=\"rows\">");
        for (name, n) in datasets.iter().zip(&self.rows) {
            out.push_str("<tr><th>");
            esc(out, name);
            out.push_str("</th><td class=\"num\">");
            num(out, n);
            out.push_str("</td></tr>");
        }
        out.push_str("</table></details>");
    }

    fn flag_chart(&self, out: &mut String, bars: usize) {
        out.push_str("<figure><h3>Flags by code</h3>");
        if self.flags.is_empty() {
            out.push_str("<p>No flags.</p></figure>");
            return;
        }
        let mut by_count: Vec<(&String, &u64)> = self.flags.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let rows: Vec<Bar> = by_count
            .iter()
            .take(bars)
            .map(|(code, n)| Bar {
                label: (*code).clone(),
                value: **n as f64,
                shown: n.to_string(),
            })
            .collect();
        chart(out, "flags by code", &rows);
        left_out_note(out, by_count.len(), bars, "codes");
        out.push_str("</figure>");
    }

    fn budget_charts(&self, out: &mut String, bars: usize) {
        for (unit, u) in &self.budgets {
            let unit_label = if unit.is_empty() {
                "unit not stated"
            } else {
                unit
            };
            out.push_str("<figure><h3>Budgets by department (");
            esc(out, unit_label);
            out.push_str(")</h3>");
            let mut depts: Vec<(&String, &(Decimal, u64))> = u.departments.iter().collect();
            depts.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
            let rows: Vec<Bar> = depts
                .iter()
                .take(bars)
                .map(|(d, (sum, n))| Bar::amount(format!("{d} · {n}"), *sum))
                .collect();
            chart(out, &format!("budgets by department ({unit_label})"), &rows);
            left_out_note(out, depts.len(), bars, "departments");
            out.push_str("</figure><figure><h3>Largest projects by budget (");
            esc(out, unit_label);
            out.push_str(")</h3>");
            let mut top = u.top.clone();
            sort_top(&mut top);
            let rows: Vec<Bar> = top
                .iter()
                .take(bars)
                .map(|(a, _, label)| Bar::amount(label.clone(), *a))
                .collect();
            chart(out, &format!("largest projects ({unit_label})"), &rows);
            let projects = usize::try_from(u.projects).unwrap_or(usize::MAX);
            left_out_note(out, projects, bars, "projects");
            out.push_str("</figure>");
        }
        if self.budgets_left_out > 0 {
            out.push_str("<p class=\"note\">");
            num(out, self.budgets_left_out);
            out.push_str(" budgets in further units are not charted (at most ");
            num(out, MAX_UNITS);
            out.push_str(" units).</p>");
        }
    }
}

fn sort_top(top: &mut [(Decimal, u64, String)]) {
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
}

fn left_out_note(out: &mut String, total: usize, bars: usize, what: &str) {
    if total > bars {
        out.push_str("<p class=\"note\">The largest ");
        num(out, bars);
        out.push_str(" of ");
        num(out, total);
        out.push(' ');
        out.push_str(what);
        out.push_str(" are drawn.</p>");
    }
}

/// One bar of a chart.
struct Bar {
    label: String,
    value: f64,
    shown: String,
}

impl Bar {
    fn amount(label: String, d: Decimal) -> Bar {
        Bar {
            label,
            value: d.to_f64().unwrap_or(0.0),
            shown: d.to_string(),
        }
    }
}

/// A horizontal bar chart as inline SVG (text in the page's font stack, so CJK labels show).
fn chart(out: &mut String, title: &str, bars: &[Bar]) {
    const ROW: usize = 22;
    const LABEL: f64 = 260.0;
    const BAR: f64 = 360.0;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = bars.len() * ROW + 8;
    out.push_str("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 ");
    num(out, height);
    out.push_str("\" width=\"760\" height=\"");
    num(out, height);
    out.push_str("\" role=\"img\" aria-label=\"");
    esc(out, title);
    out.push_str("\"><title>");
    esc(out, title);
    out.push_str("</title>");
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let w = if max > 0.0 && b.value > 0.0 {
            (b.value / max * BAR).max(1.0)
        } else {
            0.0
        };
        out.push_str("<g><title>");
        esc(out, &b.label);
        out.push_str(": ");
        esc(out, &b.shown);
        out.push_str("</title><text x=\"");
        num(out, LABEL - 6.0);
        out.push_str("\" y=\"");
        num(out, y + 15);
        out.push_str("\" text-anchor=\"end\">");
        out.push_str(&escaped(&truncate(&b.label, 38)));
        out.push_str("</text><rect x=\"");
        num(out, LABEL);
        out.push_str("\" y=\"");
        num(out, y + 3);
        out.push_str("\" width=\"");
        out.push_str(&format!("{w:.1}"));
        out.push_str("\" height=\"16\" rx=\"2\"/><text x=\"");
        out.push_str(&format!("{:.1}", LABEL + w + 6.0));
        out.push_str("\" y=\"");
        num(out, y + 15);
        out.push_str("\">");
        esc(out, &b.shown);
        out.push_str("</text></g>");
    }
    out.push_str("</svg>");
}
