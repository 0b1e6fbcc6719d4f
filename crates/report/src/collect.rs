//! What the report takes from a family's rows: it reads them by column name, so it works for
//! any family. The conventions (all optional) are listed in the crate docs.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use tablift_dataset::{ColumnType, Extracted, RowSink, Schema, Value};
use tablift_model::Origin;

/// How the report treats a dataset, decided once per run from its schema.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// `projects` with a `seq`: one card per row, with the rows of other datasets that name
    /// the same `project_seq`.
    Projects(ProjectCols),
    /// `flags` with a `code`: highlighted where they point.
    Flags(FlagCols),
    /// The model's own cells (`table,row,col,row_span,col_span`): the report draws the source
    /// tables from the model instead, so these rows are only counted.
    Cells,
    /// Anything else: a plain table of rows.
    Other,
}

#[derive(Clone, Debug)]
pub(crate) struct ProjectCols {
    pub seq: usize,
    pub name: Option<usize>,
    pub code: Option<usize>,
    pub department: Option<usize>,
    pub unit: Option<usize>,
    pub budget: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct FlagCols {
    pub code: usize,
    pub message: Option<usize>,
    pub field: Option<usize>,
    pub raw: Option<usize>,
    pub origin: Option<usize>,
    pub project_seq: Option<usize>,
}

/// One dataset of the run, as the report sees it.
#[derive(Clone, Debug)]
pub(crate) struct DatasetView {
    pub schema: Schema,
    pub kind: Kind,
    /// The `project_seq` column, for rows shown under their project.
    pub project_seq: Option<usize>,
}

fn col(schema: &Schema, name: &str) -> Option<usize> {
    schema.columns.iter().position(|c| c.name == name)
}

impl DatasetView {
    pub(crate) fn new(schema: Schema) -> DatasetView {
        let c = |n: &str| col(&schema, n);
        let kind = match (schema.name, c("seq"), c("code")) {
            ("projects", Some(seq), _) => Kind::Projects(ProjectCols {
                seq,
                name: c("project_name"),
                code: c("project_code"),
                department: c("department_name"),
                unit: c("unit"),
                budget: c("budget_total"),
            }),
            ("flags", _, Some(code)) => Kind::Flags(FlagCols {
                code,
                message: c("message"),
                field: c("field"),
                raw: c("raw"),
                origin: c("origin"),
                project_seq: c("project_seq"),
            }),
            _ if ["table", "row", "col", "row_span", "col_span"]
                .iter()
                .all(|n| c(n).is_some()) =>
            {
                Kind::Cells
            }
            _ => Kind::Other,
        };
        DatasetView {
            project_seq: c("project_seq"),
            schema,
            kind,
        }
    }

    /// The column holding the origin of column `i`: `NAME_origin` for the longest prefix
    /// `NAME` of its name (`value_raw` → `value_origin`), else the row's `origin`. Returns
    /// whether it is the value's own origin (not the row's).
    pub(crate) fn origin_of(&self, i: usize) -> Option<(usize, bool)> {
        let cols = self.schema.columns;
        let name = cols.get(i)?.name;
        if cols.get(i)?.ty == ColumnType::Origin {
            return Some((i, true));
        }
        let mut prefix = name;
        loop {
            let candidate = format!("{prefix}_origin");
            if let Some(j) = col(&self.schema, &candidate) {
                return Some((j, true));
            }
            match prefix.rfind('_') {
                Some(k) => prefix = prefix.get(..k).unwrap_or(""),
                None => break,
            }
        }
        col(&self.schema, "origin").map(|j| (j, false))
    }
}

/// A value the report keeps: text, or an origin to link.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Owned {
    Null,
    Text(String),
    Origin(Origin),
}

impl Owned {
    pub(crate) fn text(&self) -> &str {
        match self {
            Owned::Text(s) => s,
            Owned::Null | Owned::Origin(_) => "",
        }
    }
}

fn owned(v: &Value<'_>) -> Owned {
    let mut s = String::new();
    match v {
        Value::Null => return Owned::Null,
        Value::Origin(o) => return Owned::Origin((*o).clone()),
        Value::Text(t) => s.push_str(t),
        Value::Joined(parts, sep) => s = parts.join(sep),
        Value::Int(n) => s = n.to_string(),
        Value::UInt(n) => s = n.to_string(),
        Value::Decimal(d) => {
            let _ = write!(s, "{d}");
        }
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
    }
    Owned::Text(s)
}

fn text_of(values: &[Value<'_>], i: Option<usize>) -> String {
    match i.and_then(|i| values.get(i)).map(owned) {
        Some(Owned::Text(s)) => s,
        _ => String::new(),
    }
}

/// One project's budget, for the summary's charts.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    pub unit: String,
    pub department: String,
    pub project: String,
    pub amount: Decimal,
}

/// Rows of one document: counted always, kept only for documents shown in full.
pub(crate) struct Collected {
    pub keep: bool,
    /// Per dataset of the run: rows kept.
    pub rows: Vec<Vec<Vec<Owned>>>,
    /// Per dataset of the run: rows seen.
    pub counts: Vec<u64>,
    pub flags: BTreeMap<String, u64>,
    pub budgets: Vec<Budget>,
}

impl Collected {
    pub(crate) fn new(datasets: usize, keep: bool) -> Collected {
        Collected {
            keep,
            rows: vec![Vec::new(); datasets],
            counts: vec![0; datasets],
            flags: BTreeMap::new(),
            budgets: Vec::new(),
        }
    }

    /// Every row of one family's output; `first` is its first dataset in `views`.
    pub(crate) fn family(
        &mut self,
        views: &[DatasetView],
        first: usize,
        source: &str,
        x: &dyn Extracted,
    ) {
        let mut sink = Sink {
            out: self,
            views,
            first,
        };
        x.rows(source, &mut sink);
    }

    fn row(&mut self, k: usize, view: &DatasetView, values: &[Value<'_>]) {
        if let Some(n) = self.counts.get_mut(k) {
            *n += 1;
        }
        match &view.kind {
            Kind::Flags(f) => {
                *self.flags.entry(text_of(values, Some(f.code))).or_default() += 1;
            }
            Kind::Projects(p) => {
                if let Some(Value::Decimal(amount)) = p.budget.and_then(|i| values.get(i)) {
                    let name = text_of(values, p.name);
                    self.budgets.push(Budget {
                        unit: text_of(values, p.unit),
                        department: text_of(values, p.department),
                        project: if name.is_empty() {
                            text_of(values, p.code)
                        } else {
                            name
                        },
                        amount: *amount,
                    });
                }
            }
            Kind::Cells | Kind::Other => {}
        }
        if self.keep && !matches!(view.kind, Kind::Cells) {
            if let Some(rows) = self.rows.get_mut(k) {
                rows.push(values.iter().map(owned).collect());
            }
        }
    }
}

struct Sink<'a> {
    out: &'a mut Collected,
    views: &'a [DatasetView],
    first: usize,
}

impl RowSink for Sink<'_> {
    fn row(&mut self, dataset: usize, values: &[Value<'_>]) {
        let k = self.first.saturating_add(dataset);
        if let Some(view) = self.views.get(k) {
            self.out.row(k, view, values);
        }
    }
}
