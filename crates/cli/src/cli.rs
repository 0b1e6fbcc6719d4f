//! Command-line options (clap derive), turned into a validated [`Config`].

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use tablift_pipeline::Limits;

/// Turns Word documents (.docx, .doc), PDFs, web pages, Markdown and text exports (Apache
/// Tika and others) into clean, traceable datasets.
#[derive(Debug, Parser)]
#[command(name = "tablift", version, max_term_width = 100)]
pub struct Opts {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract datasets from files and directories (recursively: .txt, .docx, .doc, .pdf, .html,
    /// .md and the other extensions a reader takes).
    ///
    /// Without INPUT, runs on the bundled sample (a budget disclosure embedded in the binary).
    /// Exit code: 0 when every input succeeded, 2 when some failed (the others are still
    /// written; see failures.csv), 1 on usage errors or when the output cannot be written.
    Extract(ExtractArgs),
    /// Print the document model of one file as JSON.
    ///
    /// Exit code: 0 when the file was read (the model is on stdout), 2 when it could not be
    /// read (the reason and position on stderr), 1 on usage errors.
    Inspect(InspectArgs),
    /// Print what the outputs hold, as JSON: the JSON Schema of a documents.jsonl line and
    /// every dataset's columns with their CSV and Parquet types (docs/SCHEMA.json is this
    /// output). Generated from the code that writes them.
    Schema,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Input files or directories.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Worker threads, 1 or more (default: the number of CPUs). Output is identical for any
    /// value.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Output formats, comma-separated (csv, jsonl, model, parquet). failures.csv and
    /// manifest.json are always written.
    #[arg(long, value_delimiter = ',', default_value = "csv,jsonl")]
    pub format: Vec<FormatArg>,
    /// Start CSV files with a UTF-8 byte-order mark so that Excel shows Chinese text correctly.
    #[arg(long)]
    pub excel: bool,
    /// Also write report.html: one self-contained page to review the run in a browser
    /// (summary and charts; each document's records beside its source tables, flagged values
    /// marked, every value linked to its cell or line).
    #[arg(long)]
    pub report: bool,
    /// Documents drawn in full in report.html (the first N; every document is counted in its
    /// summary).
    #[arg(long, value_name = "N", default_value_t = tablift_report::Options::default().max_documents)]
    pub report_documents: usize,
    /// Also write every table of every document as its own rectangular CSV,
    /// tables/INPUT.tNNN.csv (header rows detected and joined as `一级 / 二级`; merged cells
    /// by --spans), each listed in tables_index.csv.
    #[arg(long)]
    pub tables: bool,
    /// What a merged cell's covered slots hold in the tables/ files: `fill` (its text in every
    /// slot, as pandas.read_html does) or `blank` (its top-left slot only).
    #[arg(long, value_name = "RULE", default_value = "fill")]
    pub spans: SpansArg,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// The file to read (any format a reader takes: .txt, .docx, .doc, .html, .md, …).
    pub file: PathBuf,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Limits against hostile inputs ([`Limits`], whose defaults these are). Defaults are
/// documented in docs/RELIABILITY.md.
#[derive(Clone, Debug, clap::Args)]
pub struct LimitArgs {
    /// Largest input file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_input_bytes)]
    pub max_input_bytes: u64,
    /// Longest line of a text export, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_line_bytes)]
    pub max_line_bytes: usize,
    /// Largest inflated part of a .docx, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_part_bytes)]
    pub max_part_bytes: u64,
    /// Largest total inflated size of the parts a .docx read uses, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_total_bytes)]
    pub max_total_bytes: u64,
    /// Largest compression ratio of a .docx part (inflated / compressed), beyond its first MiB.
    #[arg(long, value_name = "RATIO", default_value_t = Limits::default().max_ratio)]
    pub max_ratio: u64,
    /// Deepest XML element nesting in a .docx part.
    #[arg(long, value_name = "DEPTH", default_value_t = Limits::default().max_xml_depth)]
    pub max_xml_depth: usize,
    /// Most entries in a .docx zip.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_zip_entries)]
    pub max_zip_entries: usize,
    /// Largest stream (WordDocument, table, Data) of a legacy .doc, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_doc_stream_bytes)]
    pub max_doc_stream_bytes: u64,
    /// Most pieces in a legacy .doc's piece table.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_doc_pieces)]
    pub max_doc_pieces: usize,
}

impl LimitArgs {
    /// The pipeline's limits as given.
    pub fn to_limits(&self) -> Limits {
        Limits {
            max_input_bytes: self.max_input_bytes,
            max_line_bytes: self.max_line_bytes,
            max_part_bytes: self.max_part_bytes,
            max_total_bytes: self.max_total_bytes,
            max_ratio: self.max_ratio,
            max_xml_depth: self.max_xml_depth,
            max_zip_entries: self.max_zip_entries,
            max_doc_stream_bytes: self.max_doc_stream_bytes,
            max_doc_pieces: self.max_doc_pieces,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The CSV datasets (projects.csv, indicators.csv, …).
    Csv,
    /// documents.jsonl: one nested JSON object of records per document.
    Jsonl,
    /// model.jsonl: every document's model as `inspect` prints it (blocks, tables with spans,
    /// fields, origins), one per line. Not written unless asked for: tables.csv already has
    /// every cell, and the model is most of the output's bytes.
    Model,
    /// One Parquet file per dataset (projects.parquet, …, failures.parquet): typed columns
    /// (decimals as DECIMAL(38, scale), integers as INT64), zstd. Combine with csv:
    /// `--format csv,parquet`.
    Parquet,
}

/// `--spans`: see [`tablift_tables::Spans`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SpansArg {
    /// A merged cell's text in every slot it covers.
    Fill,
    /// A merged cell's text in its top-left slot only.
    Blank,
}

impl ExtractArgs {
    /// The generic tables family as these options configure it.
    pub fn tables_family(&self) -> tablift_tables::TablesFamily {
        tablift_tables::TablesFamily {
            files: self.tables,
            spans: match self.spans {
                SpansArg::Fill => tablift_tables::Spans::Fill,
                SpansArg::Blank => tablift_tables::Spans::Blank,
            },
        }
    }
}
