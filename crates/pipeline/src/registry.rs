//! One input through the pipeline: bytes → reader (picked by the registry) → document model →
//! every family's datasets → rendered output bytes.
//!
//! This is the one place that names the formats and the families: [`Pipeline::new`]
//! registers them. Every failure comes back as a [`Failure`] value; a panic in a reader or a
//! family (a bug, never expected) is caught here and reported the same way, so one bad file
//! never stops a batch.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use tablift_dataset::{Extracted, Family};
use tablift_export::{Layout, Rendered, Renderer};
use tablift_model::read::{Failure, FailureKind, Registry};
use tablift_model::Document;
use tablift_report::{Part, Renderer as ReportRenderer};

/// Default largest input file: 256 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 << 20;

/// Limits against hostile inputs, one per reader setting (docs/RELIABILITY.md). The defaults
/// are the readers' own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_input_bytes: u64,
    /// Longest line of a text export, in bytes.
    pub max_line_bytes: usize,
    /// Largest inflated part of a .docx, in bytes.
    pub max_part_bytes: u64,
    /// Largest total inflated size of the parts a .docx read uses, in bytes.
    pub max_total_bytes: u64,
    /// Largest compression ratio of a .docx part (inflated / compressed), beyond its first MiB.
    pub max_ratio: u64,
    /// Deepest XML element nesting in a .docx part.
    pub max_xml_depth: usize,
    /// Most entries in a .docx zip.
    pub max_zip_entries: usize,
    /// Largest stream (WordDocument, table, Data) of a legacy .doc, in bytes.
    pub max_doc_stream_bytes: u64,
    /// Most pieces in a legacy .doc's piece table.
    pub max_doc_pieces: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_line_bytes: tablift_textexport::Options::default().max_line_bytes,
            max_part_bytes: tablift_docx::DEFAULT_MAX_PART_BYTES,
            max_total_bytes: tablift_docx::DEFAULT_MAX_TOTAL_BYTES,
            max_ratio: tablift_docx::DEFAULT_MAX_RATIO,
            max_xml_depth: tablift_docx::DEFAULT_MAX_DEPTH,
            max_zip_entries: tablift_docx::DEFAULT_MAX_ENTRIES,
            max_doc_stream_bytes: tablift_doc::DEFAULT_MAX_STREAM_BYTES,
            max_doc_pieces: tablift_doc::DEFAULT_MAX_PIECES,
        }
    }
}

/// The readers and families of a run.
pub struct Pipeline {
    pub registry: Registry,
    pub families: Vec<Box<dyn Family>>,
    pub max_input_bytes: u64,
    /// How the generic tables family was configured (for the manifest).
    pub tables: tablift_tables::TablesFamily,
}

impl Pipeline {
    /// The registered readers (with the run's limits) and families (the generic tables family
    /// as configured). A new format or family is one line here.
    pub fn new(a: &Limits, tables: tablift_tables::TablesFamily) -> Pipeline {
        let mut registry = Registry::new();
        registry
            .register(tablift_docx::DocxReader::new(tablift_docx::Limits {
                max_part_bytes: a.max_part_bytes,
                max_total_bytes: a.max_total_bytes,
                max_ratio: a.max_ratio,
                max_depth: a.max_xml_depth,
                max_entries: a.max_zip_entries,
            }))
            .register(tablift_doc::DocReader::new(tablift_doc::Limits {
                max_stream_bytes: a.max_doc_stream_bytes,
                max_pieces: a.max_doc_pieces,
                ..tablift_doc::Limits::default()
            }))
            .register(tablift_pdf::PdfReader::new(tablift_pdf::Limits::default()))
            .register(tablift_html::HtmlReader::new(
                tablift_html::Limits::default(),
            ))
            .register(tablift_html::MarkdownReader::new(
                tablift_html::Limits::default(),
            ))
            .register_fallback(tablift_textexport::TextReader::new(
                tablift_textexport::Options {
                    max_input_bytes: a.max_input_bytes,
                    max_line_bytes: a.max_line_bytes,
                },
            ));
        let families: Vec<Box<dyn Family>> = vec![
            Box::new(tablift_budget::BudgetFamily::default()),
            Box::new(tables),
        ];
        Pipeline {
            registry,
            families,
            max_input_bytes: a.max_input_bytes,
            tables,
        }
    }

    /// Every family's datasets, in registration order.
    pub fn layout(&self) -> Layout {
        Layout::new(self.families.iter().map(|f| (f.name(), f.datasets())))
    }

    /// The limits in force, for the manifest: the run's input size limit, then each reader's
    /// own, under its name.
    pub fn limits(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        m.insert("max_input_bytes".into(), self.max_input_bytes.into());
        for r in self.registry.readers() {
            let own: serde_json::Map<String, serde_json::Value> = r
                .limits()
                .into_iter()
                .map(|(name, value)| (name.to_string(), value.into()))
                .collect();
            m.insert(r.name().into(), own.into());
        }
        m
    }

    /// Parse bytes into the document model with the reader the registry picks.
    pub fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, Failure> {
        self.registry
            .read(source, bytes)
            .map_err(|e| e.into_failure(source))
    }

    /// The report renderer for this run's families.
    pub fn report_renderer(&self, options: tablift_report::Options) -> ReportRenderer {
        ReportRenderer::new(
            self.families.iter().map(|f| (f.name(), f.datasets())),
            options,
        )
    }

    /// Read, run every family and render into `out` (and, given a report renderer and the
    /// input's index, the document's part of the report), turning a panic into a failure.
    pub fn process_bytes(
        &self,
        source: &str,
        bytes: &[u8],
        renderer: &Renderer,
        out: &mut Rendered,
        report: Option<(&ReportRenderer, usize)>,
    ) -> Result<Option<Part>, Failure> {
        let run = || {
            let document = self.read(source, bytes)?;
            let extracted: Vec<Box<dyn Extracted + '_>> =
                self.families.iter().map(|f| f.extract(&document)).collect();
            renderer
                .document(source, &document, &extracted, out)
                .map_err(|e| {
                    Failure::new(
                        source,
                        FailureKind::InternalError,
                        format!("cannot render: {e}"),
                    )
                })?;
            Ok(report.map(|(r, index)| r.document(index, source, &document, &extracted)))
        };
        match catch_unwind(AssertUnwindSafe(run)) {
            Ok(r) => r,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                Err(Failure::new(
                    source,
                    FailureKind::InternalError,
                    format!("tablift bug (please report): {what}"),
                ))
            }
        }
    }

    /// Read the file at `path` (into `buf`, reused across calls) and process it.
    pub fn process_file(
        &self,
        path: &Path,
        source: &str,
        buf: &mut Vec<u8>,
        renderer: &Renderer,
        out: &mut Rendered,
        report: Option<(&ReportRenderer, usize)>,
    ) -> Result<Option<Part>, Failure> {
        read_file_into(path, source, self.max_input_bytes, buf)?;
        self.process_bytes(source, buf, renderer, out, report)
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
    let io_fail =
        |e: std::io::Error| Failure::new(source, FailureKind::Io, format!("cannot read: {e}"));
    let file = std::fs::File::open(path).map_err(io_fail)?;
    let meta = file.metadata().map_err(io_fail)?;
    if !meta.is_file() {
        return Err(Failure::new(
            source,
            FailureKind::NotAFile,
            "not a regular file",
        ));
    }
    let too_large = |what: String| Failure::new(source, FailureKind::InputTooLarge, what);
    if meta.len() > max {
        return Err(too_large(format!(
            "input is {} bytes, over the limit of {max} (--max-input-bytes)",
            meta.len()
        )));
    }
    bytes.reserve(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow while we read it: never take more than the limit.
    file.take(max.saturating_add(1))
        .read_to_end(bytes)
        .map_err(io_fail)?;
    if bytes.len() as u64 > max {
        return Err(too_large(format!(
            "input is over the limit of {max} bytes (--max-input-bytes)"
        )));
    }
    Ok(())
}
