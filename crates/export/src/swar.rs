//! Eight bytes at a time (SWAR): finding the bytes of a small set in a word, for the writers'
//! scans (CSV quoting, JSON escaping). Record text is almost all clean (Chinese, digits), so a
//! test per word instead of a table lookup per byte is most of what those scans cost.
//!
//! Masks have the high bit set in the *lowest* matching byte exactly; flags above it may be
//! borrow artefacts, so callers use a mask as a yes/no answer or for its lowest flag only.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Bytes of `x` below `n` (bytes of 0x80 and above never count).
#[inline]
pub(crate) fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS
}

/// Bytes of `x` equal to `b`.
#[inline]
pub(crate) fn equal(x: u64, b: u8) -> u64 {
    below(x ^ (ONES * u64::from(b)), 1)
}

/// Eight bytes as a little-endian word.
#[inline]
pub(crate) fn word(chunk: &[u8; 8]) -> u64 {
    u64::from_le_bytes(*chunk)
}

/// Up to seven bytes as a little-endian word, padded with spaces (special to neither writer):
/// two overlapping loads of four, two or one byte(s) rather than a variable-length copy.
#[inline]
pub(crate) fn load_tail(rest: &[u8]) -> u64 {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let n = rest.len();
    let (lo, hi) = if n >= 4 {
        let lo = rest
            .first_chunk::<4>()
            .map_or(0, |c| u32::from_le_bytes(*c));
        let hi = rest.last_chunk::<4>().map_or(0, |c| u32::from_le_bytes(*c));
        (u64::from(lo), u64::from(hi) << (8 * (n - 4)))
    } else if n >= 2 {
        let lo = rest
            .first_chunk::<2>()
            .map_or(0, |c| u16::from_le_bytes(*c));
        let hi = rest.last_chunk::<2>().map_or(0, |c| u16::from_le_bytes(*c));
        (u64::from(lo), u64::from(hi) << (8 * (n - 2)))
    } else {
        (rest.first().map_or(0, |&b| u64::from(b)), 0)
    };
    // n < 8 here, so the shift is below 64.
    lo | hi | SPACES.checked_shl(8 * n as u32).unwrap_or(0)
}
