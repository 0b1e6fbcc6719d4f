//! One input through the pipeline: bytes → reader → document model → records.
//!
//! Every failure comes back as a [`Failure`] value; a panic in a reader (a bug, never expected)
//! is caught here and reported the same way, so one bad file never stops a batch.

use crate::cli::LimitArgs;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use tablift_budget::Extraction;
use tablift_export::Failure;
use tablift_model::Document;

/// Default largest input file: 256 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 << 20;

/// What kind of reader an input goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Docx,
    Doc,
}

impl InputKind {
    /// By content first: a zip goes to the `.docx` reader, an OLE2 compound file (a legacy
    /// `.doc`, or an encrypted document, which that reader names `encrypted`) to the `.doc`
    /// reader; then by extension (`.docx`, `.doc`, case-insensitive); anything else is read as
    /// text, whose parser rejects other binaries with a clear error.
    pub fn of(path: &Path, bytes: &[u8]) -> InputKind {
        const ZIP: &[u8] = b"PK\x03\x04";
        const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(ZIP) {
            return InputKind::Docx;
        }
        if bytes.starts_with(OLE2) {
            return InputKind::Doc;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("docx") => InputKind::Docx,
            Some(e) if e.eq_ignore_ascii_case("doc") => InputKind::Doc,
            _ => InputKind::Text,
        }
    }
}

/// Reader settings for one run.
#[derive(Clone, Debug)]
pub struct Readers {
    pub max_input_bytes: u64,
    pub text: tablift_textexport::Options,
    pub docx: tablift_docx::Limits,
    pub doc: tablift_doc::Limits,
}

impl Readers {
    pub fn from_args(a: &LimitArgs) -> Readers {
        Readers {
            max_input_bytes: a.max_input_bytes,
            text: tablift_textexport::Options {
                max_input_bytes: a.max_input_bytes,
                max_line_bytes: a.max_line_bytes,
            },
            docx: tablift_docx::Limits {
                max_part_bytes: a.max_part_bytes,
                max_total_bytes: a.max_total_bytes,
                max_ratio: a.max_ratio,
                max_depth: a.max_xml_depth,
                max_entries: a.max_zip_entries,
            },
            doc: tablift_doc::Limits {
                max_stream_bytes: a.max_doc_stream_bytes,
                max_pieces: a.max_doc_pieces,
                ..tablift_doc::Limits::default()
            },
        }
    }
}

/// A successfully processed input.
pub struct Processed {
    pub document: Document,
    pub extraction: Extraction,
}

fn failure(source: &str, kind: &str, message: String, position: Option<String>) -> Failure {
    Failure {
        source: source.to_string(),
        kind: kind.to_string(),
        message,
        position: position.unwrap_or_default(),
    }
}

/// Read a file, refusing more than `max` bytes without reading them all.
pub fn read_file(path: &Path, source: &str, max: u64) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    read_file_into(path, source, max, &mut bytes)?;
    Ok(bytes)
}

/// [`read_file`] into a reused buffer (cleared first).
pub fn read_file_into(
    path: &Path,
    source: &str,
    max: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), Failure> {
    bytes.clear();
    let io_fail = |e: std::io::Error| failure(source, "io", format!("cannot read: {e}"), None);
    let file = std::fs::File::open(path).map_err(io_fail)?;
    let meta = file.metadata().map_err(io_fail)?;
    if !meta.is_file() {
        return Err(failure(
            source,
            "not_a_file",
            "not a regular file".into(),
            None,
        ));
    }
    if meta.len() > max {
        return Err(failure(
            source,
            "input_too_large",
            format!(
                "input is {} bytes, over the limit of {max} (--max-input-bytes)",
                meta.len()
            ),
            None,
        ));
    }
    bytes.reserve(meta.len() as usize);
    // The file may grow while we read it: never take more than the limit.
    file.take(max.saturating_add(1))
        .read_to_end(bytes)
        .map_err(io_fail)?;
    if bytes.len() as u64 > max {
        return Err(failure(
            source,
            "input_too_large",
            format!("input is over the limit of {max} bytes (--max-input-bytes)"),
            None,
        ));
    }
    Ok(())
}

/// Parse bytes into the document model.
pub fn parse(
    source: &str,
    kind: InputKind,
    bytes: &[u8],
    readers: &Readers,
) -> Result<Document, Failure> {
    match kind {
        InputKind::Text => tablift_textexport::parse(source, bytes, &readers.text)
            .map_err(|e| failure(source, e.kind_name(), e.to_string(), e.position())),
        InputKind::Docx => tablift_docx::read(source, bytes, &readers.docx)
            .map_err(|e| failure(source, e.kind_name(), e.to_string(), e.position())),
        InputKind::Doc => tablift_doc::read(source, bytes, &readers.doc)
            .map_err(|e| failure(source, e.kind_name(), e.to_string(), e.position())),
    }
}

/// Parse and normalise, turning a panic into a failure.
pub fn process_bytes(
    source: &str,
    kind: InputKind,
    bytes: &[u8],
    readers: &Readers,
) -> Result<Processed, Failure> {
    let run = || {
        let document = parse(source, kind, bytes, readers)?;
        let extraction = tablift_budget::normalise(&document);
        Ok(Processed {
            document,
            extraction,
        })
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(failure(
                source,
                "internal_error",
                format!("tablift bug (please report): {what}"),
                None,
            ))
        }
    }
}

/// Read (into `buf`, reused across calls), parse and normalise one file.
pub fn process_file(
    path: &Path,
    source: &str,
    readers: &Readers,
    buf: &mut Vec<u8>,
) -> Result<Processed, Failure> {
    read_file_into(path, source, readers.max_input_bytes, buf)?;
    process_bytes(source, InputKind::of(path, buf), buf, readers)
}
