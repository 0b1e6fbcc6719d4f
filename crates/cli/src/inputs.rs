//! Finding inputs: files as given, directories walked recursively for `*.txt`, `*.docx` and
//! `*.doc` (legacy Word files are not read yet, but an archive's `.doc` files must show up in
//! failures.csv rather than be skipped without a word).
//!
//! The list is sorted by path and deduplicated, so output order never depends on argument order,
//! directory listing order or thread scheduling. Walk errors (unreadable directories, symlink
//! loops) become failures of their own instead of stopping the run.

use std::path::{Path, PathBuf};
use tablift_export::Failure;
use walkdir::WalkDir;

/// One input to process: the path as given or as found. Only the path is kept (its text, for
/// `source` columns, is borrowed from it on demand) because a million-file run holds the whole
/// list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The path to open.
    pub path: PathBuf,
}

impl Input {
    /// The path as text, what `source` columns show (lossy only for non-UTF-8 paths).
    pub fn source(&self) -> std::borrow::Cow<'_, str> {
        self.path.to_string_lossy()
    }
}

/// Whether a file found while walking a directory is one of ours.
fn wanted(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()),
        Some(e) if ["txt", "docx", "doc"].iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Expand arguments into a sorted, deduplicated input list plus walk failures.
pub fn discover(args: &[PathBuf]) -> (Vec<Input>, Vec<Failure>) {
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    for arg in args {
        if arg.is_dir() {
            // Following links finds documents behind symlinked folders; walkdir detects loops.
            for entry in WalkDir::new(arg).follow_links(true).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() && wanted(e.path()) => inputs.push(Input {
                        path: e.into_path(),
                    }),
                    Ok(_) => {}
                    Err(err) => {
                        let source = err
                            .path()
                            .unwrap_or(arg.as_path())
                            .to_string_lossy()
                            .into_owned();
                        let kind = if err.loop_ancestor().is_some() {
                            "symlink_loop"
                        } else {
                            "io"
                        };
                        failures.push(Failure {
                            source,
                            kind: kind.into(),
                            message: err.to_string(),
                            position: String::new(),
                        });
                    }
                }
            }
        } else {
            inputs.push(Input { path: arg.clone() });
        }
    }
    // By the path's text, not component-wise, so that the order is the plain string order a
    // user sees in `source` (borrowed, so sorting allocates nothing for UTF-8 paths).
    inputs.sort_by(|a, b| a.source().cmp(&b.source()));
    inputs.dedup();
    failures.sort_by(|a, b| a.source.cmp(&b.source).then(a.message.cmp(&b.message)));
    failures.dedup();
    (inputs, failures)
}
