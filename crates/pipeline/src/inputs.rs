//! Finding inputs: files as given, directories walked recursively for the files some
//! registered reader claims by extension (`*.txt`, `*.docx`, `*.doc`, …).
//!
//! [`Inputs`] is a streaming walk: inputs are found as the workers ask for them, so memory does
//! not grow with the corpus (a million-file archive is never listed in memory). The order is
//! tree order, fixed by the paths alone: the arguments sorted by path (component by component,
//! as [`Path`]'s `Ord`), each directory's entries sorted by name. So output order never depends
//! on argument order, directory listing order or thread scheduling. Walk errors (unreadable
//! directories, symlink loops) are failures of their own, in their place in that order, instead
//! of stopping the run.

use std::path::{Path, PathBuf};
use tablift_export::Failure;
use tablift_model::read::FailureKind;
use walkdir::WalkDir;

/// One input to process: the path as given or as found.
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

/// Whether a file found while walking a directory is one of ours: a reader claims its
/// extension.
fn wanted(path: &Path, extensions: &[&str]) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()),
        Some(e) if extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The inputs of a run, in tree order, found one at a time.
pub struct Inputs {
    /// Arguments not yet started, in order.
    args: std::vec::IntoIter<PathBuf>,
    /// The directory argument being walked.
    walk: Option<(PathBuf, walkdir::IntoIter)>,
    /// Extensions taken from directories (the registry's).
    extensions: Vec<&'static str>,
}

impl Inputs {
    /// The inputs named by `args`. Duplicates, also under other spellings or through symbolic
    /// links (`a.txt`, `./a.txt`, `link-to-a.txt`), and arguments that a directory argument's
    /// walk reaches anyway (`dir` and `dir/a.txt`), are taken once: the first spelling in
    /// path order is kept.
    pub fn new(args: &[PathBuf], extensions: Vec<&'static str>) -> Inputs {
        let mut args = args.to_vec();
        args.sort();
        args.dedup();
        // Where each argument really is (as given when it cannot be resolved: a missing file
        // is reported as an input failure in its place).
        let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let mut seen = std::collections::HashSet::new();
        args.retain(|a| seen.insert(real(a)));
        let dirs: Vec<PathBuf> = args
            .iter()
            .filter(|a| a.is_dir())
            .map(|d| real(d))
            .collect();
        args.retain(|a| {
            let ra = real(a);
            !dirs
                .iter()
                .any(|d| &ra != d && ra.starts_with(d) && (a.is_dir() || wanted(a, &extensions)))
        });
        Inputs {
            args: args.into_iter(),
            walk: None,
            extensions,
        }
    }
}

impl Iterator for Inputs {
    type Item = Result<Input, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((arg, walk)) = &mut self.walk {
                match walk.next() {
                    Some(Ok(e))
                        if e.file_type().is_file() && wanted(e.path(), &self.extensions) =>
                    {
                        return Some(Ok(Input {
                            path: e.into_path(),
                        }))
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(err)) => return Some(Err(walk_failure(arg, &err))),
                    None => self.walk = None,
                }
            }
            let arg = self.args.next()?;
            if arg.is_dir() {
                // Following links finds documents behind symlinked folders; walkdir detects
                // loops. Each directory's entries are sorted by name as it is read.
                let walk = WalkDir::new(&arg)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter();
                self.walk = Some((arg, walk));
            } else {
                return Some(Ok(Input { path: arg }));
            }
        }
    }
}

fn walk_failure(arg: &Path, err: &walkdir::Error) -> Failure {
    let kind = if err.loop_ancestor().is_some() {
        FailureKind::SymlinkLoop
    } else {
        FailureKind::Io
    };
    Failure::new(
        &err.path().unwrap_or(arg).to_string_lossy(),
        kind,
        err.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tablift-inputs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn found(args: &[PathBuf], root: &Path) -> Vec<String> {
        Inputs::new(args, vec!["txt", "docx", "doc"])
            .map(|r| {
                let p = r.unwrap().path;
                p.strip_prefix(root).unwrap().to_string_lossy().into_owned()
            })
            .collect()
    }

    #[test]
    fn tree_order_whatever_the_argument_order_and_overlaps_taken_once() {
        let root = scratch("order");
        for f in [
            "b/x.txt",
            "b-c.txt",
            "a.docx",
            "b/y.doc",
            "b/skip.md",
            "c/z.TXT",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, b"x").unwrap();
        }
        // Component-wise: the folder `b` comes before `b-c.txt` (whose `-` sorts before `/`
        // in plain text order); `.md` is not ours.
        let want = ["a.docx", "b/x.txt", "b/y.doc", "b-c.txt", "c/z.TXT"];
        assert_eq!(found(std::slice::from_ref(&root), &root), want);
        // Arguments inside a directory argument are not taken twice, in any order; an explicit
        // file the walk would skip is still taken.
        let args = [
            root.join("c"),
            root.join("b/x.txt"),
            root.clone(),
            root.join("b/skip.md"),
            root.clone(),
        ];
        assert_eq!(
            found(&args, &root),
            [
                "a.docx",
                "b/x.txt",
                "b/y.doc",
                "b-c.txt",
                "c/z.TXT",
                "b/skip.md"
            ]
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
