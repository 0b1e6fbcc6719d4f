//! The error type of the `.doc` reader.

use std::fmt;

/// Why a `.doc` could not be read. Every kind has a stable snake_case name
/// ([`Error::kind_name`]) and, where it applies, a position ([`Error::position`]).
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// The kinds of failure.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not an OLE2 compound file, or its container structure is broken.
    NotOle2 {
        /// What the compound-file reader said.
        detail: String,
    },
    /// A password-protected document: an `EncryptedPackage` stream, or the FIB's
    /// `fEncrypted`/`fObfuscated` flag.
    Encrypted,
    /// A required stream is absent (`WordDocument`, or the table stream the FIB names).
    MissingStream {
        /// The stream name.
        stream: String,
    },
    /// A stream could not be read out of the container.
    Stream {
        /// The stream name.
        stream: String,
        /// What the compound-file reader said.
        detail: String,
    },
    /// A stream is larger than [`crate::Limits::max_stream_bytes`].
    StreamTooLarge {
        /// The stream name.
        stream: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Not a Word 97-2003 document (older Word 6/95 files, or not Word at all).
    Unsupported {
        /// What the FIB says.
        detail: String,
    },
    /// A structure read from the file is malformed or points outside its stream.
    Malformed {
        /// The stream name.
        stream: &'static str,
        /// Byte offset in the stream where the bad structure (or reference) is.
        byte: u64,
        /// What is wrong.
        message: String,
    },
    /// The piece table has more pieces than [`crate::Limits::max_pieces`].
    TooManyPieces {
        /// Pieces declared.
        count: u64,
        /// The limit.
        limit: usize,
    },
    /// The paragraph-property index names more pages than [`crate::Limits::max_fkp_pages`].
    TooManyFkpPages {
        /// Pages declared.
        count: u64,
        /// The limit.
        limit: usize,
    },
    /// Tables or fields nest deeper than [`crate::Limits::max_depth`].
    TooDeep {
        /// Character position (CP) in the main document.
        cp: u64,
        /// The limit.
        limit: usize,
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }

    pub(crate) fn malformed(stream: &'static str, byte: u64, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Malformed {
            stream,
            byte,
            message: message.into(),
        })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The typed failure kind, as the reader interface reports it (`failures.csv`).
    pub fn failure_kind(&self) -> tablift_model::read::FailureKind {
        use tablift_model::read::FailureKind as K;
        match *self.0 {
            ErrorKind::NotOle2 { .. } => K::NotOle2,
            ErrorKind::Encrypted => K::Encrypted,
            ErrorKind::MissingStream { .. } => K::MissingStream,
            ErrorKind::Stream { .. } => K::Stream,
            ErrorKind::StreamTooLarge { .. } => K::StreamTooLarge,
            ErrorKind::Unsupported { .. } => K::UnsupportedDoc,
            ErrorKind::Malformed { .. } => K::MalformedDoc,
            ErrorKind::TooManyPieces { .. } => K::TooManyPieces,
            ErrorKind::TooManyFkpPages { .. } => K::TooManyFkpPages,
            ErrorKind::TooDeep { .. } => K::TooDeep,
        }
    }

    /// The failure's stable snake_case name ([`Error::failure_kind`] as text).
    pub fn kind_name(&self) -> &'static str {
        self.failure_kind().as_str()
    }

    /// Where it went wrong, for humans: `WordDocument byte 1234`, `0Table byte 56`, `cp 789`.
    pub fn position(&self) -> Option<String> {
        match &*self.0 {
            ErrorKind::Malformed { stream, byte, .. } => Some(format!("{stream} byte {byte}")),
            ErrorKind::MissingStream { stream }
            | ErrorKind::Stream { stream, .. }
            | ErrorKind::StreamTooLarge { stream, .. } => Some(stream.clone()),
            ErrorKind::TooDeep { cp, .. } => Some(format!("WordDocument cp {cp}")),
            ErrorKind::NotOle2 { .. }
            | ErrorKind::Encrypted
            | ErrorKind::Unsupported { .. }
            | ErrorKind::TooManyPieces { .. }
            | ErrorKind::TooManyFkpPages { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::NotOle2 { detail } => write!(f, "not an OLE2 compound file: {detail}")?,
            ErrorKind::Encrypted => f.write_str("encrypted document")?,
            ErrorKind::MissingStream { .. } => f.write_str("missing stream")?,
            ErrorKind::Stream { detail, .. } => write!(f, "cannot read stream: {detail}")?,
            ErrorKind::StreamTooLarge { size, limit, .. } => {
                write!(f, "stream is {size} bytes (limit {limit})")?
            }
            ErrorKind::Unsupported { detail } => {
                write!(f, "not a Word 97-2003 document: {detail}")?
            }
            ErrorKind::Malformed { message, .. } => write!(f, "malformed .doc: {message}")?,
            ErrorKind::TooManyPieces { count, limit } => {
                write!(f, "piece table has {count} pieces (limit {limit})")?
            }
            ErrorKind::TooManyFkpPages { count, limit } => {
                write!(f, "{count} paragraph-property pages (limit {limit})")?
            }
            ErrorKind::TooDeep { limit, .. } => {
                write!(f, "tables or fields nested deeper than {limit} levels")?
            }
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
