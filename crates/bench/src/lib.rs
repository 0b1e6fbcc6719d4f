//! Benchmarks for tablift.
//!
//! # Brief overview
//!
//! The `limit-pass` binary does the work no extractor can avoid and nothing else: read every
//! file; for a `.docx`, inflate `word/document.xml` and tokenise it with quick-xml; for a text
//! export, decode it. `scripts/bench` runs it beside `tablift extract` to report how close the
//! real pipeline gets to that limit. `benches/pipeline.rs` holds criterion micro-benchmarks of
//! the text parser, the docx reader and the normaliser.
//!
//! Not for: correctness tests, or anything the tablift binary needs at run time.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::io::Read;

/// Inflate `word/document.xml` and count its XML events. Returns the event count (so the work
/// cannot be optimised away), or 0 when the file is not a readable docx.
pub fn docx_limit(bytes: &[u8], xml_buf: &mut Vec<u8>, ev_buf: &mut Vec<u8>) -> u64 {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return 0;
    };
    let Ok(mut part) = zip.by_name("word/document.xml") else {
        return 0;
    };
    xml_buf.clear();
    if part.read_to_end(xml_buf).is_err() {
        return 0;
    }
    let mut reader = quick_xml::Reader::from_reader(xml_buf.as_slice());
    let mut events = 0u64;
    loop {
        ev_buf.clear();
        match reader.read_event_into(ev_buf) {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => events += 1,
        }
    }
    events
}

/// Decode a text export (BOM sniffing, UTF-8 else GB18030) and count its lines.
pub fn text_limit(bytes: &[u8]) -> u64 {
    let (text, _, _) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, _)) => enc.decode(bytes),
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8.decode(bytes),
        None => encoding_rs::GB18030.decode(bytes),
    };
    text.lines().count() as u64
}
