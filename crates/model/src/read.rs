//! The reader interface: what every format crate implements, and the one error shape they share.
//!
//! # Brief overview
//!
//! A [`Reader`] says what it reads ([`Reader::sniff`] on the first bytes, then
//! [`Reader::extensions`]), which limits it enforces ([`Reader::limits`], for the run's
//! manifest), and turns one input's bytes into a [`Document`]. A [`Registry`] holds one of each
//! and picks the reader for an input, as calamine's `open_workbook_auto` does: by content
//! first, then by extension, then the fallback. The CLI builds the registry; nothing else in
//! the workspace names a format.
//!
//! Every failure is a [`ReadError`]: a typed [`FailureKind`] with a stable snake_case name, a
//! human message, the position in the input where known, and the underlying error as
//! [`std::error::Error::source`]. A batch turns it into a [`Failure`] (the error plus the input's
//! name), one row of `failures.csv`.
//!
//! Not for: choosing among readers (the registry does that) or any format's details.

use crate::Document;
use std::fmt;

/// How sure a reader is that some bytes are its format, from their first bytes alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sniff {
    /// Not recognised by content (the extension may still route the input here).
    No,
    /// The content looks like this format, but another reader's magic number wins (e.g. a
    /// text file that starts with `<html`).
    Likely,
    /// A magic number or signature of this format (a zip, an OLE2 header, `%PDF-`).
    Sure,
}

/// One format's reader. Implementations are cheap to share across threads: the limits are
/// fixed when the reader is built, and `read` keeps no state between inputs.
pub trait Reader: Send + Sync {
    /// A short stable name (`text`, `docx`, `doc`, `html`, …), as used in the manifest.
    fn name(&self) -> &'static str;

    /// File name extensions (lower case, without the dot) that this reader takes when content
    /// sniffing decided nothing, and that a directory walk picks up.
    fn extensions(&self) -> &'static [&'static str];

    /// How sure the reader is that `head` (the input's first bytes, at least 512 of them where
    /// the input has that many) starts an input of its format.
    fn sniff(&self, head: &[u8]) -> Sniff;

    /// The limits this reader enforces, by name (`max_part_bytes`, …), with their values.
    fn limits(&self) -> Vec<(&'static str, u64)>;

    /// Read one input. `source` names it in errors and in the document's
    /// [`SourceInfo`](crate::SourceInfo). Must never panic, whatever the bytes.
    fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError>;
}

/// The readers of a run, in registration order, and the one that takes what no other does.
#[derive(Default)]
pub struct Registry {
    readers: Vec<Box<dyn Reader>>,
    fallback: Option<usize>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Add a reader. Earlier registrations win ties.
    pub fn register(&mut self, reader: impl Reader + 'static) -> &mut Registry {
        self.readers.push(Box::new(reader));
        self
    }

    /// Add the reader that takes inputs no other reader claims by content or extension (the
    /// text-export reader, which rejects other binaries with a clear error).
    pub fn register_fallback(&mut self, reader: impl Reader + 'static) -> &mut Registry {
        self.fallback = Some(self.readers.len());
        self.register(reader)
    }

    /// Every reader, in registration order.
    pub fn readers(&self) -> impl Iterator<Item = &dyn Reader> {
        self.readers.iter().map(|r| r.as_ref())
    }

    /// The reader for an input named `name` (a path; only its extension is looked at) whose
    /// bytes start with `head`: the surest sniff wins (ties by registration order), then the
    /// first reader claiming the extension (case-insensitive), then the fallback.
    pub fn pick(&self, name: &str, head: &[u8]) -> Option<&dyn Reader> {
        let mut best: Option<(Sniff, &dyn Reader)> = None;
        for r in self.readers() {
            let s = r.sniff(head);
            if s > Sniff::No && best.is_none_or(|(b, _)| s > b) {
                best = Some((s, r));
            }
        }
        if let Some((_, r)) = best {
            return Some(r);
        }
        let ext = extension(name);
        if let Some(ext) = ext {
            if let Some(r) = self
                .readers()
                .find(|r| r.extensions().iter().any(|e| e.eq_ignore_ascii_case(ext)))
            {
                return Some(r);
            }
        }
        self.fallback
            .and_then(|i| self.readers.get(i))
            .map(|r| r.as_ref())
    }

    /// Every extension some reader claims, in registration order, without repeats: what a
    /// directory walk picks up.
    pub fn extensions(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = Vec::new();
        for e in self.readers().flat_map(|r| r.extensions().iter().copied()) {
            if !all.contains(&e) {
                all.push(e);
            }
        }
        all
    }

    /// Whether a directory walk takes a file named `name`: some reader claims its extension.
    pub fn wants(&self, name: &str) -> bool {
        extension(name).is_some_and(|ext| {
            self.readers()
                .any(|r| r.extensions().iter().any(|e| e.eq_ignore_ascii_case(ext)))
        })
    }

    /// Read an input with the reader [`Registry::pick`] chooses.
    pub fn read(&self, name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
        match self.pick(name, bytes) {
            Some(r) => r.read(name, bytes),
            None => Err(ReadError::new(
                FailureKind::UnsupportedFormat,
                "no reader takes this input (unknown content and extension)",
            )),
        }
    }
}

/// The extension of the last path component, without the dot.
fn extension(name: &str) -> Option<&str> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then_some(ext)
}

/// What went wrong, as a stable snake_case name ([`FailureKind::as_str`]) that scripts can
/// match on. New kinds may be added; existing names never change.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureKind {
    /// The file could not be opened or read (`io`).
    Io,
    /// The path is not a regular file (`not_a_file`).
    NotAFile,
    /// A directory walk met a symbolic link loop (`symlink_loop`).
    SymlinkLoop,
    /// The input is larger than the limit (`input_too_large`).
    InputTooLarge,
    /// A bug in tablift, caught (`internal_error`).
    InternalError,
    /// An empty input (`empty`).
    Empty,
    /// A text line longer than the limit (`line_too_long`).
    LineTooLong,
    /// Binary data where text was expected (`binary`).
    Binary,
    /// Text in no encoding the reader knows (`invalid_encoding`).
    InvalidEncoding,
    /// Not a zip archive (`not_a_zip`).
    NotAZip,
    /// A password-protected document (`encrypted`).
    Encrypted,
    /// A legacy `.doc` given to the `.docx` reader (`legacy_doc`).
    LegacyDoc,
    /// A required part of a container is missing (`missing_part`).
    MissingPart,
    /// A damaged zip archive (`zip`).
    Zip,
    /// Too many entries in an archive (`too_many_entries`).
    TooManyEntries,
    /// A part inflates beyond the limit (`part_too_large`).
    PartTooLarge,
    /// All parts together inflate beyond the limit (`total_too_large`).
    TotalTooLarge,
    /// A suspicious compression ratio (`compression_ratio`).
    CompressionRatio,
    /// Nesting deeper than the limit (`too_deep`).
    TooDeep,
    /// A DTD or entity declaration in XML (`dtd`).
    Dtd,
    /// Malformed XML (`xml`).
    Xml,
    /// Not an OLE2 compound file (`not_ole2`).
    NotOle2,
    /// A required OLE2 stream is missing (`missing_stream`).
    MissingStream,
    /// An OLE2 stream could not be read (`stream`).
    Stream,
    /// An OLE2 stream is larger than the limit (`stream_too_large`).
    StreamTooLarge,
    /// A `.doc` variant the reader does not handle (`unsupported_doc`).
    UnsupportedDoc,
    /// A `.doc` whose structures contradict themselves (`malformed_doc`).
    MalformedDoc,
    /// More pieces in a `.doc` piece table than the limit (`too_many_pieces`).
    TooManyPieces,
    /// More formatting pages in a `.doc` than the limit (`too_many_fkp_pages`).
    TooManyFkpPages,
    /// More table cells than the limit (`too_many_cells`).
    TooManyCells,
    /// An input of a known format whose structure is broken (`malformed`), for readers without
    /// a more specific kind.
    Malformed,
    /// No registered reader takes the input (`unsupported_format`).
    UnsupportedFormat,
    /// A PDF none of whose pages has any text: a scan (images only) or blank pages
    /// (`no_text_layer`); reading it would need OCR.
    NoTextLayer,
}

impl FailureKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [FailureKind] = &[
        FailureKind::Io,
        FailureKind::NotAFile,
        FailureKind::SymlinkLoop,
        FailureKind::InputTooLarge,
        FailureKind::InternalError,
        FailureKind::Empty,
        FailureKind::LineTooLong,
        FailureKind::Binary,
        FailureKind::InvalidEncoding,
        FailureKind::NotAZip,
        FailureKind::Encrypted,
        FailureKind::LegacyDoc,
        FailureKind::MissingPart,
        FailureKind::Zip,
        FailureKind::TooManyEntries,
        FailureKind::PartTooLarge,
        FailureKind::TotalTooLarge,
        FailureKind::CompressionRatio,
        FailureKind::TooDeep,
        FailureKind::Dtd,
        FailureKind::Xml,
        FailureKind::NotOle2,
        FailureKind::MissingStream,
        FailureKind::Stream,
        FailureKind::StreamTooLarge,
        FailureKind::UnsupportedDoc,
        FailureKind::MalformedDoc,
        FailureKind::TooManyPieces,
        FailureKind::TooManyFkpPages,
        FailureKind::TooManyCells,
        FailureKind::Malformed,
        FailureKind::UnsupportedFormat,
        FailureKind::NoTextLayer,
    ];

    /// The stable snake_case name, as written to `failures.csv`.
    pub fn as_str(self) -> &'static str {
        use FailureKind::*;
        match self {
            Io => "io",
            NotAFile => "not_a_file",
            SymlinkLoop => "symlink_loop",
            InputTooLarge => "input_too_large",
            InternalError => "internal_error",
            Empty => "empty",
            LineTooLong => "line_too_long",
            Binary => "binary",
            InvalidEncoding => "invalid_encoding",
            NotAZip => "not_a_zip",
            Encrypted => "encrypted",
            LegacyDoc => "legacy_doc",
            MissingPart => "missing_part",
            Zip => "zip",
            TooManyEntries => "too_many_entries",
            PartTooLarge => "part_too_large",
            TotalTooLarge => "total_too_large",
            CompressionRatio => "compression_ratio",
            TooDeep => "too_deep",
            Dtd => "dtd",
            Xml => "xml",
            NotOle2 => "not_ole2",
            MissingStream => "missing_stream",
            Stream => "stream",
            StreamTooLarge => "stream_too_large",
            UnsupportedDoc => "unsupported_doc",
            MalformedDoc => "malformed_doc",
            TooManyPieces => "too_many_pieces",
            TooManyFkpPages => "too_many_fkp_pages",
            TooManyCells => "too_many_cells",
            Malformed => "malformed",
            UnsupportedFormat => "unsupported_format",
            NoTextLayer => "no_text_layer",
        }
    }

    /// The kind named `name` ([`FailureKind::as_str`]'s inverse).
    pub fn from_name(name: &str) -> Option<FailureKind> {
        FailureKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for FailureKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A reader's failure on one input: the one error shape every reader returns.
#[derive(Debug)]
pub struct ReadError {
    kind: FailureKind,
    message: String,
    position: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl ReadError {
    /// A failure of `kind` with a human `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> ReadError {
        ReadError {
            kind,
            message: message.into(),
            position: None,
            source: None,
        }
    }

    /// Where in the input it happened (`line 12 (byte 340)`, `word/document.xml byte 1234`).
    pub fn at(mut self, position: Option<String>) -> ReadError {
        self.position = position;
        self
    }

    /// The underlying error (a format crate's own error type), kept as
    /// [`std::error::Error::source`].
    pub fn caused_by(mut self, err: impl std::error::Error + Send + Sync + 'static) -> ReadError {
        self.source = Some(Box::new(err));
        self
    }

    /// What kind of failure.
    pub fn kind(&self) -> FailureKind {
        self.kind
    }

    /// The human message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where in the input, when known.
    pub fn position(&self) -> Option<&str> {
        self.position.as_deref()
    }

    /// This error as a row of `failures.csv` for the input `source`.
    pub fn into_failure(self, source: &str) -> Failure {
        Failure {
            source: source.to_string(),
            kind: self.kind,
            message: self.message,
            position: self.position.unwrap_or_default(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// One input that could not be read: a row of `failures.csv`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    /// The input path as given.
    pub source: String,
    /// What went wrong.
    pub kind: FailureKind,
    /// A human message.
    pub message: String,
    /// Where in the input, when known (`line 12 (byte 340)`, `word/document.xml byte 1234`);
    /// empty otherwise.
    pub position: String,
}

impl Failure {
    /// A failure of `kind` for `source`, without a position.
    pub fn new(source: &str, kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            source: source.to_string(),
            kind,
            message: message.into(),
            position: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SourceFormat, SourceInfo};

    /// A reader for a made-up format, registered the way every real reader is.
    struct Toy {
        name: &'static str,
        magic: &'static [u8],
        ext: &'static [&'static str],
    }

    impl Reader for Toy {
        fn name(&self) -> &'static str {
            self.name
        }
        fn extensions(&self) -> &'static [&'static str] {
            self.ext
        }
        fn sniff(&self, head: &[u8]) -> Sniff {
            if !self.magic.is_empty() && head.starts_with(self.magic) {
                Sniff::Sure
            } else {
                Sniff::No
            }
        }
        fn limits(&self) -> Vec<(&'static str, u64)> {
            vec![("max_toys", 3)]
        }
        fn read(&self, source: &str, bytes: &[u8]) -> Result<Document, ReadError> {
            if bytes.len() > 3 + self.magic.len() {
                return Err(ReadError::new(FailureKind::TooManyCells, "too many toys")
                    .at(Some(format!("byte {}", 3 + self.magic.len()))));
            }
            Ok(Document::new(SourceInfo::new(
                source,
                SourceFormat::TextExport,
            )))
        }
    }

    fn registry() -> Registry {
        let mut r = Registry::new();
        r.register_fallback(Toy {
            name: "text",
            magic: b"",
            ext: &["txt"],
        })
        .register(Toy {
            name: "zip",
            magic: b"PK",
            ext: &["docx"],
        })
        .register(Toy {
            name: "toy",
            magic: b"TOY!",
            ext: &["toy"],
        });
        r
    }

    #[test]
    fn a_new_reader_is_one_registration_picked_by_content_then_extension() {
        let r = registry();
        let pick = |name: &str, head: &[u8]| r.pick(name, head).map(|r| r.name());
        // Content first, whatever the name says.
        assert_eq!(pick("a.txt", b"TOY!x"), Some("toy"));
        assert_eq!(pick("a.toy", b"PK\x03\x04"), Some("zip"));
        // Then the extension, case-insensitively, of the last component only.
        assert_eq!(pick("dir.toy/A.TOY", b"plain"), Some("toy"));
        assert_eq!(pick("dir.toy/a", b"plain"), Some("text"));
        assert_eq!(pick(".toy", b"plain"), Some("text"));
        assert!(r.wants("x/y.Toy") && r.wants("y.txt") && !r.wants("y.md"));
        // Its errors come back typed, with their position.
        let e = r.read("a.toy", b"TOY!12345").unwrap_err();
        assert_eq!(
            (e.kind().as_str(), e.position()),
            ("too_many_cells", Some("byte 7"))
        );
        assert!(r.read("b.toy", b"TOY!").is_ok());
        // Without a fallback, an unclaimed input is a typed failure, not a panic.
        let mut bare = Registry::new();
        bare.register(Toy {
            name: "toy",
            magic: b"TOY!",
            ext: &["toy"],
        });
        let e = bare.read("a.bin", b"??").unwrap_err();
        assert_eq!(e.kind(), FailureKind::UnsupportedFormat);
    }

    #[test]
    fn kind_names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = FailureKind::ALL.iter().map(|k| k.as_str()).collect();
        for k in FailureKind::ALL {
            assert_eq!(FailureKind::from_name(k.as_str()), Some(*k));
        }
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
        assert_eq!(FailureKind::from_name("no_such_kind"), None);
    }

    #[test]
    fn a_read_error_keeps_its_cause_and_position() {
        use std::error::Error as _;
        let io = std::io::Error::other("disk on fire");
        let e = ReadError::new(FailureKind::Io, "cannot read")
            .at(Some("byte 7".into()))
            .caused_by(io);
        assert_eq!(
            e.source().map(|s| s.to_string()).as_deref(),
            Some("disk on fire")
        );
        let f = e.into_failure("a.txt");
        assert_eq!(
            (f.kind.as_str(), f.position.as_str(), f.message.as_str()),
            ("io", "byte 7", "cannot read")
        );
    }
}
