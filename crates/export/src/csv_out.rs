//! The CSV datasets: long-form, one row per record, a fixed header per file.

use crate::{AtomicFile, ExportDoc, Exporter, Failure};
use rust_decimal::Decimal;
use std::io;
use std::path::Path;
use tablift_budget::{Amount, Project};
use tablift_model::Table;

/// Column headers, part of the public contract: new columns are only ever appended.
pub const PROJECTS_HEADER: &[&str] = &[
    "source",
    "seq",
    "project_code",
    "project_name",
    "department_code",
    "department_name",
    "unit",
    "budget_total",
    "budget_fiscal",
    "budget_other",
    "use_of_funds",
    "plan_mar",
    "plan_jun",
    "plan_oct",
    "plan_dec",
    "title",
    "tc_entry",
    "budget_total_raw",
    "budget_fiscal_raw",
    "budget_other_raw",
    "goals_raw",
    "goal_count",
    "indicator_count",
    "origin",
];
/// `indicators.csv` columns.
pub const INDICATORS_HEADER: &[&str] = &[
    "source",
    "project_code",
    "row",
    "level1",
    "level2",
    "level3",
    "description",
    "value_raw",
    "value_op",
    "value_number",
    "value_unit",
    "basis",
    "project_seq",
    "project_name",
    "value_text",
    "origin",
    "value_origin",
];
/// `goals.csv` columns.
pub const GOALS_HEADER: &[&str] = &[
    "source",
    "project_seq",
    "project_code",
    "goal",
    "number",
    "text",
    "raw",
];
/// `spending_plan.csv` columns.
pub const PLAN_HEADER: &[&str] = &[
    "source",
    "project_seq",
    "project_code",
    "checkpoint",
    "label",
    "month",
    "raw",
    "percent",
    "origin",
];
/// `sections.csv` columns.
pub const SECTIONS_HEADER: &[&str] = &[
    "source",
    "index",
    "heading_path",
    "heading",
    "tc_entry",
    "tc_level",
    "items",
    "text",
    "origin",
];
/// `flags.csv` columns.
pub const FLAGS_HEADER: &[&str] = &[
    "source",
    "code",
    "project_seq",
    "project_code",
    "field",
    "raw",
    "message",
    "origin",
];
/// `tables.csv` columns.
pub const TABLES_HEADER: &[&str] = &[
    "source", "table", "row", "col", "row_span", "col_span", "text", "origin",
];
/// `failures.csv` columns.
pub const FAILURES_HEADER: &[&str] = &["source", "kind", "message", "position"];

struct Sheet {
    name: &'static str,
    writer: csv::Writer<AtomicFile>,
    rows: u64,
}

impl Sheet {
    fn create(dir: &Path, name: &'static str, header: &[&str], bom: bool) -> io::Result<Sheet> {
        let mut file = AtomicFile::create(dir, name)?;
        if bom {
            io::Write::write_all(&mut file, "\u{feff}".as_bytes())?;
        }
        let mut writer = csv::WriterBuilder::new().from_writer(file);
        writer.write_record(header).map_err(io::Error::other)?;
        Ok(Sheet {
            name,
            writer,
            rows: 0,
        })
    }

    fn row<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.rows += 1;
        self.writer.write_record(fields).map_err(io::Error::other)
    }

    fn finish(self) -> io::Result<(String, u64)> {
        let file = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        file.commit()?;
        Ok((self.name.to_string(), self.rows))
    }
}

/// Writes the CSV datasets: `projects.csv`, `indicators.csv`, `goals.csv`,
/// `spending_plan.csv`, `sections.csv`, `flags.csv`, `tables.csv` and `failures.csv`.
pub struct CsvExporter {
    datasets: Option<Datasets>,
    failures: Sheet,
}

struct Datasets {
    projects: Sheet,
    indicators: Sheet,
    goals: Sheet,
    plan: Sheet,
    sections: Sheet,
    flags: Sheet,
    tables: Sheet,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn dec(v: Option<Decimal>) -> String {
    v.map(|d| d.to_string()).unwrap_or_default()
}

fn amount(a: &Amount) -> String {
    dec(a.value)
}

fn plan_at(p: &Project, month: u8) -> String {
    p.plan
        .iter()
        .find(|c| c.month == Some(month))
        .map(|c| dec(c.percent))
        .unwrap_or_default()
}

impl CsvExporter {
    /// Open the files under temporary names; `failures.csv` always, the datasets when
    /// `datasets` is true. `bom` starts every file with a UTF-8 BOM (for Excel).
    pub fn create(dir: &Path, bom: bool, datasets: bool) -> io::Result<Self> {
        let datasets = if datasets {
            Some(Datasets {
                projects: Sheet::create(dir, "projects.csv", PROJECTS_HEADER, bom)?,
                indicators: Sheet::create(dir, "indicators.csv", INDICATORS_HEADER, bom)?,
                goals: Sheet::create(dir, "goals.csv", GOALS_HEADER, bom)?,
                plan: Sheet::create(dir, "spending_plan.csv", PLAN_HEADER, bom)?,
                sections: Sheet::create(dir, "sections.csv", SECTIONS_HEADER, bom)?,
                flags: Sheet::create(dir, "flags.csv", FLAGS_HEADER, bom)?,
                tables: Sheet::create(dir, "tables.csv", TABLES_HEADER, bom)?,
            })
        } else {
            None
        };
        let failures = Sheet::create(dir, "failures.csv", FAILURES_HEADER, bom)?;
        Ok(CsvExporter { datasets, failures })
    }
}

impl Datasets {
    fn document(&mut self, doc: &ExportDoc<'_>) -> io::Result<()> {
        let src = doc.source;
        let d = &doc.extraction.document;
        for p in &doc.extraction.projects {
            let seq = p.seq.to_string();
            let code = p.code.clone().unwrap_or_default();
            let unit = p
                .unit
                .as_ref()
                .or(d.unit.as_ref())
                .cloned()
                .unwrap_or_default();
            self.projects.row([
                src,
                &seq,
                &code,
                &opt(&p.name),
                &opt(&p.department_code.as_ref().or(d.department_code.as_ref())),
                &opt(&p.department_name.as_ref().or(d.department_name.as_ref())),
                &unit,
                &amount(&p.budget_total),
                &amount(&p.budget_fiscal),
                &amount(&p.budget_other),
                &p.use_of_funds,
                &plan_at(p, 3),
                &plan_at(p, 6),
                &plan_at(p, 10),
                &plan_at(p, 12),
                &p.title,
                &opt(&p.tc_entry),
                &p.budget_total.raw,
                &p.budget_fiscal.raw,
                &p.budget_other.raw,
                &p.goals_raw,
                &p.goals.len().to_string(),
                &p.indicators.len().to_string(),
                &p.origin.to_string(),
            ])?;
            for ind in &p.indicators {
                let v = &ind.value;
                self.indicators.row([
                    src,
                    &code,
                    &ind.row.to_string(),
                    &ind.level1,
                    &ind.level2,
                    &ind.level3,
                    &ind.description,
                    &v.raw,
                    v.op.map(|o| o.as_str()).unwrap_or(""),
                    &dec(v.number),
                    &opt(&v.unit),
                    &ind.basis,
                    &seq,
                    &opt(&p.name),
                    &opt(&v.text),
                    &ind.origin.to_string(),
                    &v.origin.to_string(),
                ])?;
            }
            for (i, g) in p.goals.iter().enumerate() {
                self.goals.row([
                    src,
                    &seq,
                    &code,
                    &(i + 1).to_string(),
                    &opt(&g.number),
                    &g.text,
                    &g.raw,
                ])?;
            }
            for (i, c) in p.plan.iter().enumerate() {
                self.plan.row([
                    src,
                    &seq,
                    &code,
                    &(i + 1).to_string(),
                    &c.label,
                    &opt(&c.month),
                    &c.raw,
                    &dec(c.percent),
                    &c.origin.to_string(),
                ])?;
            }
        }
        for s in &d.sections {
            self.sections.row([
                src,
                &s.index.to_string(),
                &s.heading_path.join(" > "),
                &s.heading,
                &opt(&s.tc_entry),
                &opt(&s.tc_level),
                &s.items.join("\n"),
                &s.paragraphs.join("\n"),
                &s.origin.to_string(),
            ])?;
        }
        for f in &doc.extraction.flags {
            self.flags.row([
                src,
                &f.code,
                &opt(&f.project_seq),
                &opt(&f.project_code),
                &f.field,
                &f.raw,
                &f.message,
                &f.origin.to_string(),
            ])?;
        }
        for (i, t) in doc.document.tables().enumerate() {
            self.table(src, &(i + 1).to_string(), t, 0)?;
        }
        Ok(())
    }

    /// One row per cell (continued merge slots are not repeated); nested tables follow their
    /// cell with ids like `3/r2/c1/t1`.
    fn table(&mut self, src: &str, id: &str, t: &Table, depth: usize) -> io::Result<()> {
        for (r, row) in t.logical_rows().iter().enumerate() {
            for lc in row.iter().filter(|lc| !lc.continued) {
                self.tables.row([
                    src,
                    id,
                    &(r + 1).to_string(),
                    &(lc.col + 1).to_string(),
                    &lc.cell.row_span.to_string(),
                    &lc.col_span.to_string(),
                    &lc.cell.text(),
                    &lc.cell.origin.to_string(),
                ])?;
                // The model's readers bound nesting depth; this guard keeps a hand-built model
                // from recursing without end.
                if depth < 64 {
                    for (k, nested) in lc.cell.tables.iter().enumerate() {
                        let nid = format!("{id}/r{}/c{}/t{}", r + 1, lc.col + 1, k + 1);
                        self.table(src, &nid, nested, depth + 1)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> io::Result<Vec<(String, u64)>> {
        Ok(vec![
            self.projects.finish()?,
            self.indicators.finish()?,
            self.goals.finish()?,
            self.plan.finish()?,
            self.sections.finish()?,
            self.flags.finish()?,
            self.tables.finish()?,
        ])
    }
}

impl Exporter for CsvExporter {
    fn document(&mut self, doc: &ExportDoc<'_>) -> io::Result<()> {
        match &mut self.datasets {
            Some(d) => d.document(doc),
            None => Ok(()),
        }
    }

    fn failure(&mut self, f: &Failure) -> io::Result<()> {
        self.failures
            .row([&f.source, &f.kind, &f.message, &f.position])
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<(String, u64)>> {
        let mut out = match self.datasets {
            Some(d) => d.finish()?,
            None => Vec::new(),
        };
        out.push(self.failures.finish()?);
        Ok(out)
    }
}
