//! Compact JSON exactly as `serde_json::to_writer` writes it, cheaper: a `serde::Serializer`
//! that appends to a `Vec<u8>` and escapes strings eight bytes at a time.
//!
//! serde_json's escaper looks every byte up in a table; record text is almost all clean
//! (Chinese, digits), so testing a word at a time and copying clean runs whole removes most of
//! the cost of a `documents.jsonl` line. Anything this writer does not handle itself (a map key
//! that is not a string, an error from a `Serialize` impl) makes [`write`] undo its partial
//! output and hand the whole value to serde_json, so the bytes never differ.

use crate::swar::{self, load_tail};
use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// Append `value` as compact JSON, byte for byte as `serde_json::to_writer` would.
pub(crate) fn write<T: Serialize + ?Sized>(buf: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let start = buf.len();
    if value.serialize(&mut Writer { buf: &mut *buf }).is_ok() {
        return Ok(());
    }
    buf.truncate(start);
    serde_json::to_writer(buf, value)
}

/// Append `s` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, … or
/// `\u00XX`, everything else (all non-ASCII, U+2028 and DEL included) as is, as serde_json does.
#[inline]
pub(crate) fn string(buf: &mut Vec<u8>, s: &str) {
    // Most strings are short (keys, codes, units): the per-call cost matters more than the
    // per-byte one. A clean string under eight bytes is one word: loaded without a `memcpy`,
    // its closing quote set in the space padding (0x20 | 0x02 is `"`), written whole as nine
    // fixed bytes and cut back.
    let n = s.len();
    if n < 8 {
        let word = load_tail(s.as_bytes());
        if specials(word) == 0 {
            let mut nine = [b'"'; 9];
            let quoted = word | 2u64.checked_shl(8 * n as u32).unwrap_or(0);
            if let Some(dst) = nine.last_chunk_mut::<8>() {
                *dst = quoted.to_le_bytes();
            }
            let keep = buf.len() + n + 2;
            buf.extend_from_slice(&nine);
            buf.truncate(keep);
            return;
        }
    }
    string_slow(buf, s);
}

/// [`string`] for strings of eight bytes or more, or with something to escape.
fn string_slow(buf: &mut Vec<u8>, s: &str) {
    buf.reserve(s.len() + 10);
    buf.push(b'"');
    let bytes = s.as_bytes();
    // `done`: bytes before it are written; `at`: bytes before it are known clean (or written).
    let (mut done, mut at) = (0, 0);
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        let Some(chunk) = rest.first_chunk::<8>() else {
            let word = load_tail(rest);
            let m = specials(word);
            if m == 0 {
                buf.extend_from_slice(bytes.get(done..at).unwrap_or_default());
                let keep = buf.len() + rest.len();
                buf.extend_from_slice(&word.to_le_bytes());
                buf.truncate(keep);
                break;
            }
            at = flush_escape(buf, bytes, done, at, m);
            done = at;
            continue;
        };
        let m = specials(swar::word(chunk));
        if m == 0 {
            at += 8;
            continue;
        }
        at = flush_escape(buf, bytes, done, at, m);
        done = at;
    }
    buf.push(b'"');
}

/// Write `bytes[done..]` up to the special flagged lowest in `m` (a mask of the word at `at`),
/// then its escape; the index after the special.
#[inline]
fn flush_escape(buf: &mut Vec<u8>, bytes: &[u8], done: usize, at: usize, m: u64) -> usize {
    // The lowest flagged byte is exact (higher flags may be borrow artefacts).
    let j = at + (m.trailing_zeros() / 8) as usize;
    buf.extend_from_slice(bytes.get(done..j).unwrap_or_default());
    if let Some(&b) = bytes.get(j) {
        escape(buf, b);
    }
    j + 1
}

/// A mask flagging (exactly, in its lowest flag) the lowest byte of `x` that JSON escapes:
/// below 0x20, `"` or `\`; zero when there is none.
#[inline]
fn specials(x: u64) -> u64 {
    swar::below(x, 0x20) | swar::equal(x, b'"') | swar::equal(x, b'\\')
}

/// Append the escape of one special byte.
fn escape(buf: &mut Vec<u8>, b: u8) {
    let short: &[u8] = match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0C => b"\\f",
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]);
            return;
        }
    };
    buf.extend_from_slice(short);
}

fn int(buf: &mut Vec<u8>, n: impl itoa::Integer) {
    buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// What the writer does not handle itself; [`write`] then hands the value to serde_json.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

type Result<T = ()> = std::result::Result<T, Unsupported>;

struct Writer<'b> {
    buf: &'b mut Vec<u8>,
}

/// An array or object being written; `first` until its first element.
struct Compound<'a, 'b> {
    w: &'a mut Writer<'b>,
    first: bool,
    /// Closing bytes: `]`, `}`, or those followed by the `}` of a variant wrapper.
    close: &'static [u8],
}

impl Compound<'_, '_> {
    fn sep(&mut self) {
        if !self.first {
            self.w.buf.push(b',');
        }
        self.first = false;
    }

    fn key(&mut self, key: &str) {
        self.sep();
        string(self.w.buf, key);
        self.w.buf.push(b':');
    }
}

impl<'a, 'b> Writer<'b> {
    fn open(&'a mut self, open: &[u8], close: &'static [u8]) -> Compound<'a, 'b> {
        self.buf.extend_from_slice(open);
        Compound {
            w: self,
            first: true,
            close,
        }
    }

    /// `{"variant":` of an externally tagged variant.
    fn variant_key(&mut self, variant: &str) {
        self.buf.push(b'{');
        string(self.buf, variant);
        self.buf.push(b':');
    }
}

impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    fn serialize_bool(self, v: bool) -> Result {
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result {
        int(self.buf, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result {
        int(self.buf, v);
        Ok(())
    }
    // Floats (none in the records today) go to serde_json for its exact shortest form.
    fn serialize_f32(self, v: f32) -> Result {
        serde_json::to_writer(&mut *self.buf, &v).map_err(|_| Unsupported)
    }
    fn serialize_f64(self, v: f64) -> Result {
        serde_json::to_writer(&mut *self.buf, &v).map_err(|_| Unsupported)
    }
    fn serialize_char(self, v: char) -> Result {
        string(self.buf, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        string(self.buf, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        self.buf.push(b'[');
        for (i, &b) in v.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            int(self.buf, b);
        }
        self.buf.push(b']');
        Ok(())
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.buf.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result {
        string(self.buf, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.variant_key(variant);
        value.serialize(&mut *self)?;
        self.buf.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        Ok(self.open(b"[", b"]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.variant_key(variant);
        Ok(self.open(b"[", b"]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        Ok(self.open(b"{", b"}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, 'b>> {
        Ok(self.open(b"{", b"}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.variant_key(variant);
        Ok(self.open(b"{", b"}}"))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.sep();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result {
        self.w.buf.extend_from_slice(self.close);
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.sep();
        key.serialize(KeyWriter {
            buf: &mut *self.w.buf,
        })?;
        self.w.buf.push(b':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key);
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result {
        ser::SerializeSeq::end(self)
    }
}

/// A map key: only strings (and what serialises as one) are written here; serde_json's rules
/// for other keys (integers quoted, some refused) are left to serde_json itself.
struct KeyWriter<'b> {
    buf: &'b mut Vec<u8>,
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_str(self, v: &str) -> Result {
        string(self.buf, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result {
        string(self.buf, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result {
        string(self.buf, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result {
        Err(Unsupported)
    }
    fn serialize_i8(self, _v: i8) -> Result {
        Err(Unsupported)
    }
    fn serialize_i16(self, _v: i16) -> Result {
        Err(Unsupported)
    }
    fn serialize_i32(self, _v: i32) -> Result {
        Err(Unsupported)
    }
    fn serialize_i64(self, _v: i64) -> Result {
        Err(Unsupported)
    }
    fn serialize_u8(self, _v: u8) -> Result {
        Err(Unsupported)
    }
    fn serialize_u16(self, _v: u16) -> Result {
        Err(Unsupported)
    }
    fn serialize_u32(self, _v: u32) -> Result {
        Err(Unsupported)
    }
    fn serialize_u64(self, _v: u64) -> Result {
        Err(Unsupported)
    }
    fn serialize_f32(self, _v: f32) -> Result {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(Unsupported)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn escaped(s: &str) -> String {
        let mut buf = Vec::new();
        string(&mut buf, s);
        String::from_utf8(buf).unwrap()
    }

    fn check_str(s: &str) {
        assert_eq!(escaped(s), serde_json::to_string(s).unwrap(), "{s:?}");
    }

    /// The writer's own output: no hand-over to serde_json (which would make any comparison
    /// with serde_json pass).
    fn written<T: Serialize + ?Sized>(v: &T) -> String {
        let mut buf = b"prefix".to_vec();
        v.serialize(&mut Writer { buf: &mut buf }).unwrap();
        String::from_utf8(buf.split_off(6)).unwrap()
    }

    fn check<T: Serialize + ?Sized>(v: &T) {
        assert_eq!(written(v), serde_json::to_string(v).unwrap());
    }

    #[test]
    fn every_ascii_byte_is_escaped_as_serde_json_does() {
        let mut all = String::new();
        for c in 0u8..0x80 {
            let c = char::from(c);
            all.push(c);
            check_str(&c.to_string());
            check_str(&format!("ab{c}cdefghijk"));
        }
        check_str(&all);
        assert_eq!(escaped("\u{0}\u{1f}\u{7f}"), "\"\\u0000\\u001f\u{7f}\"");
        assert_eq!(escaped("a\"b\\c\n\r\t\u{8}\u{c}"), r#""a\"b\\c\n\r\t\b\f""#);
    }

    #[test]
    fn a_special_at_every_position_is_escaped() {
        let specials = [
            '\0', '\u{1}', '\u{8}', '\t', '\n', '\u{c}', '\r', '\u{1f}', '"', '\\',
        ];
        for len in 0..20 {
            check_str(&"x".repeat(len));
            check_str(&"中".repeat(len));
            for p in 0..len {
                for &sp in &specials {
                    let mut s: Vec<char> = vec!['x'; len];
                    s[p] = sp;
                    let s: String = s.into_iter().collect();
                    check_str(&s);
                    // Two specials: the second sits behind a possible borrow artefact.
                    for q in p + 1..len {
                        let mut t: Vec<char> = s.chars().collect();
                        t[q] = '"';
                        check_str(&t.into_iter().collect::<String>());
                    }
                }
            }
        }
    }

    #[test]
    fn non_ascii_text_is_copied_as_is() {
        for s in [
            "部门预算绩效目标表（单位：万元）",
            "中文\"引号\"\\反斜杠\n换行",
            "line\u{2028}sep\u{2029}para",
            // Bytes 0xA2 / 0xDC / 0x9C / 0xA0 look like `"` / `\` / controls / space with the
            // high bit set; all are continuation or lead bytes of valid UTF-8.
            "\u{a2}\u{5c2}\u{71c}\u{80}\u{9f}\u{a0}\u{ff}\u{fffd}\u{10ffff}😀",
            "\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}",
        ] {
            check_str(s);
        }
        assert_eq!(escaped("中\u{2028}"), "\"中\u{2028}\"");
    }

    #[test]
    fn pseudo_random_strings_are_escaped_as_serde_json_does() {
        let alphabet = [
            'a', ' ', '"', '\\', '\n', '\u{1}', '\u{1f}', '\u{7f}', '中', '\u{a2}', '\u{2028}',
            '!', '^',
        ];
        let mut x: u32 = 0x9e37_79b9;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let len = (x % 40) as usize;
            let s: String = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    alphabet[(x as usize) % alphabet.len()]
                })
                .collect();
            check_str(&s);
        }
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Newtype(u8);

    #[derive(Serialize)]
    struct Pair(i64, &'static str);

    #[derive(Serialize)]
    enum Shape {
        Empty,
        Wrapped(Option<u32>),
        Tuple(u8, bool),
        Named {
            w: i128,
            h: u128,
        },
        #[serde(rename = "re\"named")]
        Renamed,
    }

    #[derive(Serialize)]
    #[serde(tag = "kind")]
    enum Tagged {
        A,
        B { x: u16 },
    }

    #[derive(Serialize)]
    struct All {
        floats: (f32, f64, f64, f64),
        ints: (i8, i16, i32, i64, u8, u16, u32, u64),
        chars: Vec<char>,
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
        none: Option<String>,
        some: Option<Option<bool>>,
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        pair: Pair,
        shapes: Vec<Shape>,
        tagged: Vec<Tagged>,
        empty_vec: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        map: BTreeMap<String, Vec<&'static str>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    #[test]
    fn every_serde_shape_is_written_as_serde_json_does() {
        let all = All {
            floats: (1.5, 0.1, f64::NAN, -1e300),
            ints: (i8::MIN, -300, i32::MAX, i64::MIN, 255, 65535, 7, u64::MAX),
            chars: vec!['a', '"', '\n', '中'],
            bytes: vec![0, 34, 255],
            none: None,
            some: Some(None),
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(9),
            pair: Pair(-1, "p\\q"),
            shapes: vec![
                Shape::Empty,
                Shape::Wrapped(Some(3)),
                Shape::Wrapped(None),
                Shape::Tuple(1, false),
                Shape::Named {
                    w: -5,
                    h: u128::MAX,
                },
                Shape::Renamed,
            ],
            tagged: vec![Tagged::A, Tagged::B { x: 4 }],
            empty_vec: vec![],
            empty_map: BTreeMap::new(),
            map: [("k\"1".to_string(), vec!["v"]), ("中".to_string(), vec![])]
                .into_iter()
                .collect(),
            skipped: None,
        };
        check(&all);
        assert!(written(&all).contains(r#""shapes":["Empty",{"Wrapped":3},{"Wrapped":null},{"Tuple":[1,false]},{"Named":{"w":-5,"h":340282366920938463463374607431768211455}},"re\"named"]"#));
    }

    #[test]
    fn what_is_left_to_serde_json_comes_out_the_same() {
        // Integer keys: serde_json quotes them; the writer hands the whole value over.
        let m: BTreeMap<u32, &str> = [(1, "a"), (20, "b")].into_iter().collect();
        assert!(m
            .serialize(&mut Writer {
                buf: &mut Vec::new()
            })
            .is_err());
        let mut buf = Vec::new();
        write(&mut buf, &m).unwrap();
        assert_eq!(buf, br#"{"1":"a","20":"b"}"#);
        assert_eq!(buf, serde_json::to_vec(&m).unwrap());
        // A key serde_json refuses: the same error, after the same partial output.
        let bad: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        let (mut ours, mut theirs) = (b"x".to_vec(), b"x".to_vec());
        let e = write(&mut ours, &bad).unwrap_err();
        let f = serde_json::to_writer(&mut theirs, &bad).unwrap_err();
        assert_eq!(e.to_string(), f.to_string());
        assert_eq!(e.to_string(), "key must be a string");
        assert_eq!(ours, theirs);
    }

    fn fixtures() -> Vec<(String, tablift_model::Document)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut docs = Vec::new();
        for dir in ["seed", "variants"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            for p in paths {
                let name = p.to_string_lossy().into_owned();
                let bytes = std::fs::read(&p).unwrap();
                let doc = if name.ends_with(".docx") {
                    tablift_docx::read(&name, &bytes, &tablift_docx::Limits::default()).unwrap()
                } else if name.ends_with(".txt") {
                    tablift_textexport::parse(
                        &name,
                        &bytes,
                        &tablift_textexport::Options::default(),
                    )
                    .unwrap()
                } else {
                    continue;
                };
                docs.push((name, doc));
            }
        }
        docs
    }

    #[test]
    fn fixture_records_are_written_as_serde_json_does() {
        let docs = fixtures();
        assert_eq!(
            docs.len(),
            13,
            "{:?}",
            docs.iter().map(|d| &d.0).collect::<Vec<_>>()
        );
        let mut projects = 0;
        for (name, doc) in &docs {
            let ex = tablift_budget::normalise(doc);
            projects += ex.projects.len();
            assert_eq!(
                written(&ex.document),
                serde_json::to_string(&ex.document).unwrap(),
                "{name}"
            );
            assert_eq!(
                written(&ex.projects),
                serde_json::to_string(&ex.projects).unwrap(),
                "{name}"
            );
            assert_eq!(
                written(&ex.flags),
                serde_json::to_string(&ex.flags).unwrap(),
                "{name}"
            );
            check(&ex);
            check(doc);
        }
        assert!(projects > 100, "{projects} projects");
    }

    #[test]
    fn fuzz_document_records_are_written_as_serde_json_does() {
        let mut x: u32 = 0x1234_5678;
        let mut recognised = 0;
        for i in 0..400u32 {
            let len = 32 + (i % 7) as usize * 48;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x.to_le_bytes()[0]
                })
                .collect();
            let doc = tablift_model::document_from_fuzz_bytes(&bytes);
            let ex = tablift_budget::normalise(&doc);
            if !ex.projects.is_empty() || !ex.flags.is_empty() {
                recognised += 1;
            }
            assert_eq!(
                written(&ex),
                serde_json::to_string(&ex).unwrap(),
                "seed {i}"
            );
            check(&doc);
        }
        assert!(
            recognised > 20,
            "{recognised} documents with projects or flags"
        );
    }
}
