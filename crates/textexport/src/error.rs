//! The crate's error type, in the style of the `csv` crate: a boxed kind with a stable name.

use std::fmt;

/// Why a text export could not be parsed.
///
/// Cheap to move (one box); [`Error::kind`] tells what went wrong, [`Error::kind_name`] gives a
/// stable snake_case name for reports and [`Error::position`] says where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

/// The kinds of [`Error`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input holds no text: zero bytes, a byte-order mark alone, or whitespace only.
    Empty,
    /// The input is larger than [`Options::max_input_bytes`](crate::Options::max_input_bytes).
    InputTooLarge {
        /// Input size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A line is longer than [`Options::max_line_bytes`](crate::Options::max_line_bytes).
    LineTooLong {
        /// 1-based line number.
        line: u32,
        /// Byte offset of the line start in the input.
        byte: u64,
        /// Length of the line in input bytes, without its line end.
        length: u64,
        /// The limit in force.
        limit: usize,
    },
    /// A NUL character: the input is a binary file (or UTF-16 without a byte-order mark).
    Binary {
        /// 1-based line number of the NUL.
        line: u32,
        /// Byte offset of the NUL in the input.
        byte: u64,
    },
    /// Bytes that do not decode in any supported encoding.
    InvalidEncoding {
        /// What was tried: `"UTF-8"`, `"UTF-16LE"` or `"UTF-16BE"` when a byte-order mark
        /// declared it, `"UTF-8 or GB18030"` otherwise.
        tried: &'static str,
        /// 1-based line number of the first undecodable byte.
        line: u32,
        /// Byte offset of the first undecodable byte in the input (for `"UTF-8 or GB18030"`,
        /// in whichever of the two decodes further, the likelier one).
        byte: u64,
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
            ErrorKind::Empty => K::Empty,
            ErrorKind::InputTooLarge { .. } => K::InputTooLarge,
            ErrorKind::LineTooLong { .. } => K::LineTooLong,
            ErrorKind::Binary { .. } => K::Binary,
            ErrorKind::InvalidEncoding { .. } => K::InvalidEncoding,
        }
    }

    /// The failure's stable snake_case name ([`Error::failure_kind`] as text).
    pub fn kind_name(&self) -> &'static str {
        self.failure_kind().as_str()
    }

    /// Where the problem is, for humans: `line 12 (byte 345)` or `byte 268435456`.
    pub fn position(&self) -> Option<String> {
        match *self.0 {
            ErrorKind::Empty => None,
            ErrorKind::InputTooLarge { limit, .. } => Some(format!("byte {limit}")),
            ErrorKind::LineTooLong { line, byte, .. }
            | ErrorKind::Binary { line, byte }
            | ErrorKind::InvalidEncoding { line, byte, .. } => {
                Some(format!("line {line} (byte {byte})"))
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.0 {
            ErrorKind::Empty => write!(f, "empty input: no text to parse"),
            ErrorKind::InputTooLarge { size, limit } => write!(
                f,
                "input too large: {size} bytes, more than the limit of {limit} bytes"
            ),
            ErrorKind::LineTooLong {
                line,
                byte,
                length,
                limit,
            } => write!(
                f,
                "line too long at line {line} (byte {byte}): {length} bytes, more than the limit of {limit} bytes"
            ),
            ErrorKind::Binary { line, byte } => write!(
                f,
                "binary input: NUL byte at line {line} (byte {byte}); not a text export (or UTF-16 without a byte-order mark)"
            ),
            ErrorKind::InvalidEncoding { tried, line, byte } => write!(
                f,
                "invalid encoding at line {line} (byte {byte}): the bytes are not valid {tried}"
            ),
        }
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
