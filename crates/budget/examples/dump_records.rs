//! Prints `serde_json::to_string(&tablift_budget::normalise(&doc))` for every file named on the
//! command line (or, with none, every fixture under `fixtures/seed` and `fixtures/variants`),
//! one `== PATH` header line and one JSON line per file: the before/after check of a pure
//! refactor of the normaliser.
//!
//! Run: `cargo run -p tablift-budget --example dump_records -- [FILE...] > out.txt`
//!
//! `.docx` files are read with `tablift_docx`, `.doc` with `tablift_doc`, anything else as a
//! text export with `tablift_textexport`.

use std::path::{Path, PathBuf};

fn read(path: &Path) -> Result<tablift_model::Document, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let name = path.to_string_lossy();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "docx" => tablift_docx::read(&name, &bytes, &tablift_docx::Limits::default())
            .map_err(|e| e.to_string()),
        "doc" => tablift_doc::read(&name, &bytes, &tablift_doc::Limits::default())
            .map_err(|e| e.to_string()),
        _ => tablift_textexport::parse(&name, &bytes, &tablift_textexport::Options::default())
            .map_err(|e| e.to_string()),
    }
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut files = Vec::new();
    for dir in ["seed", "variants"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("txt" | "docx" | "doc")
                    )
                }),
        );
    }
    files.sort();
    files
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let files = if args.is_empty() { fixtures() } else { args };
    for path in files {
        println!(
            "== {}",
            path.file_name()
                .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy())
        );
        match read(&path) {
            Ok(doc) => {
                let ex = tablift_budget::normalise(&doc);
                println!("{}", serde_json::to_string(&ex).expect("records serialise"));
            }
            Err(e) => println!("read error: {e}"),
        }
    }
}
