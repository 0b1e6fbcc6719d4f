//! The error type of the `.docx` reader.

use std::fmt;

/// Why a `.docx` could not be read. Every kind has a stable snake_case name
/// ([`Error::kind_name`]) and, where it applies, a position ([`Error::position`]).
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// The kinds of failure.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not a zip archive (nor an OLE2 file).
    NotAZip {
        /// What the zip reader said.
        detail: String,
    },
    /// An OLE2 container holding an `EncryptedPackage` stream: a password-protected document.
    Encrypted,
    /// An OLE2 container without encryption: a legacy Word 97-2003 `.doc`.
    LegacyDoc,
    /// A required part is absent from the archive.
    MissingPart {
        /// The part name, e.g. `word/document.xml`.
        part: String,
    },
    /// A part could not be inflated (corrupt data, bad checksum, unsupported compression).
    Zip {
        /// The part name.
        part: String,
        /// What the zip reader said.
        detail: String,
    },
    /// The archive has more entries than [`crate::Limits::max_entries`].
    TooManyEntries {
        /// Entries found (at least).
        count: u64,
        /// The limit.
        limit: usize,
    },
    /// A part inflates to more than [`crate::Limits::max_part_bytes`].
    PartTooLarge {
        /// The part name.
        part: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// All parts read together inflate to more than [`crate::Limits::max_total_bytes`].
    TotalTooLarge {
        /// The part being read when the limit was passed.
        part: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// A part inflates more than [`crate::Limits::max_ratio`] times its compressed size.
    CompressionRatio {
        /// The part name.
        part: String,
        /// Its compressed size in bytes.
        compressed: u64,
        /// The ratio limit.
        limit: u64,
    },
    /// XML elements (or fields) nest deeper than [`crate::Limits::max_depth`].
    TooDeep {
        /// The part name.
        part: String,
        /// Byte offset in the inflated part.
        byte: u64,
        /// The limit.
        limit: usize,
    },
    /// A part declares a DTD (`<!DOCTYPE`); entity expansion is never performed.
    Dtd {
        /// The part name.
        part: String,
        /// Byte offset in the inflated part.
        byte: u64,
    },
    /// Malformed XML.
    Xml {
        /// The part name.
        part: String,
        /// Byte offset in the inflated part.
        byte: u64,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The typed failure kind, as the reader interface reports it (`failures.csv`).
    pub fn failure_kind(&self) -> tablift_model::read::FailureKind {
        use tablift_model::read::FailureKind as K;
        match *self.0 {
            ErrorKind::NotAZip { .. } => K::NotAZip,
            ErrorKind::Encrypted => K::Encrypted,
            ErrorKind::LegacyDoc => K::LegacyDoc,
            ErrorKind::MissingPart { .. } => K::MissingPart,
            ErrorKind::Zip { .. } => K::Zip,
            ErrorKind::TooManyEntries { .. } => K::TooManyEntries,
            ErrorKind::PartTooLarge { .. } => K::PartTooLarge,
            ErrorKind::TotalTooLarge { .. } => K::TotalTooLarge,
            ErrorKind::CompressionRatio { .. } => K::CompressionRatio,
            ErrorKind::TooDeep { .. } => K::TooDeep,
            ErrorKind::Dtd { .. } => K::Dtd,
            ErrorKind::Xml { .. } => K::Xml,
        }
    }

    /// The failure's stable snake_case name ([`Error::failure_kind`] as text).
    pub fn kind_name(&self) -> &'static str {
        self.failure_kind().as_str()
    }

    /// Where it went wrong, for humans: `word/document.xml byte 1234`, or the part alone.
    pub fn position(&self) -> Option<String> {
        match &*self.0 {
            ErrorKind::TooDeep { part, byte, .. }
            | ErrorKind::Dtd { part, byte }
            | ErrorKind::Xml { part, byte, .. } => Some(format!("{part} byte {byte}")),
            ErrorKind::MissingPart { part }
            | ErrorKind::Zip { part, .. }
            | ErrorKind::PartTooLarge { part, .. }
            | ErrorKind::TotalTooLarge { part, .. }
            | ErrorKind::CompressionRatio { part, .. } => Some(part.clone()),
            ErrorKind::NotAZip { .. }
            | ErrorKind::Encrypted
            | ErrorKind::LegacyDoc
            | ErrorKind::TooManyEntries { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::NotAZip { detail } => write!(f, "not a zip archive: {detail}")?,
            ErrorKind::Encrypted => f.write_str("encrypted document")?,
            ErrorKind::LegacyDoc => {
                f.write_str("legacy Word 97-2003 document: not supported yet")?
            }
            ErrorKind::MissingPart { .. } => f.write_str("missing part")?,
            ErrorKind::Zip { detail, .. } => write!(f, "cannot inflate part: {detail}")?,
            ErrorKind::TooManyEntries { count, limit } => {
                write!(f, "too many zip entries: {count} (limit {limit})")?
            }
            ErrorKind::PartTooLarge { limit, .. } => {
                write!(f, "part inflates to more than {limit} bytes")?
            }
            ErrorKind::TotalTooLarge { limit, .. } => {
                write!(f, "parts inflate to more than {limit} bytes in total")?
            }
            ErrorKind::CompressionRatio {
                compressed, limit, ..
            } => write!(
                f,
                "compression ratio above {limit} ({compressed} compressed bytes)"
            )?,
            ErrorKind::TooDeep { limit, .. } => write!(f, "XML nested deeper than {limit} levels")?,
            ErrorKind::Dtd { .. } => f.write_str("DTD declarations are not allowed")?,
            ErrorKind::Xml { message, .. } => write!(f, "malformed XML: {message}")?,
        }
        if let Some(p) = self.position() {
            write!(f, " at {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for tablift_model::read::ReadError {
    fn from(e: Error) -> Self {
        tablift_model::read::ReadError::new(e.failure_kind(), e.to_string())
            .at(e.position())
            .caused_by(e)
    }
}
