//! The run's datasets: every registered family's schemas, numbered, plus `failures`; and the
//! files they become.

use tablift_dataset::{Schema, FAILURES};

/// Every dataset of a run, in order: each family's datasets in registration order, then
/// `failures`. An index into [`Layout::datasets`] is what [`Rendered::dataset_rows`]
/// (crate::Rendered::dataset_rows) takes.
#[derive(Clone, Debug)]
pub struct Layout {
    datasets: Vec<Dataset>,
    /// Index of each family's first dataset.
    family_start: Vec<usize>,
}

/// One dataset of the run.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// The family that writes it (`failures` is the exporter's own: `None`).
    pub family: Option<&'static str>,
    /// Its schema.
    pub schema: Schema,
}

/// An output file's buffer in a [`Rendered`](crate::Rendered).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A CSV dataset, by index into [`Layout::datasets`].
    Csv(usize),
    /// `documents.jsonl`.
    Jsonl,
    /// `model.jsonl`.
    Model,
}

impl Layout {
    /// The layout for families given as `(name, datasets)` in registration order.
    pub fn new<'a>(families: impl IntoIterator<Item = (&'static str, &'a [Schema])>) -> Layout {
        let mut datasets = Vec::new();
        let mut family_start = Vec::new();
        for (name, schemas) in families {
            family_start.push(datasets.len());
            datasets.extend(schemas.iter().map(|s| Dataset {
                family: Some(name),
                schema: *s,
            }));
        }
        datasets.push(Dataset {
            family: None,
            schema: FAILURES,
        });
        Layout {
            datasets,
            family_start,
        }
    }

    /// Every dataset, `failures` last.
    pub fn datasets(&self) -> &[Dataset] {
        &self.datasets
    }

    pub(crate) fn csv_slots(&self) -> usize {
        self.datasets.len()
    }

    pub(crate) fn failures_slot(&self) -> usize {
        self.datasets.len().saturating_sub(1)
    }

    /// The index of family `family`'s first dataset (past the end for an unknown family, so
    /// that its rows go nowhere).
    pub(crate) fn first_dataset(&self, family: usize) -> usize {
        self.family_start
            .get(family)
            .copied()
            .unwrap_or(usize::MAX / 2)
    }

    /// The file name of a dataset's CSV (`projects.csv`).
    pub(crate) fn csv_name(&self, i: usize) -> Option<String> {
        self.datasets
            .get(i)
            .map(|d| format!("{}.csv", d.schema.name))
    }

    pub(crate) fn slot_named(&self, file: &str) -> Option<Slot> {
        match file {
            "documents.jsonl" => Some(Slot::Jsonl),
            "model.jsonl" => Some(Slot::Model),
            _ => {
                let stem = file.strip_suffix(".csv")?;
                self.datasets
                    .iter()
                    .position(|d| d.schema.name == stem)
                    .map(Slot::Csv)
            }
        }
    }
}
