//! The File Information Block, the piece table (CLX) and the paragraph-property pages
//! (PlcBtePapx → PapxFkp): every offset and length read here is bounds-checked.

use crate::error::Error;
use crate::Limits;

pub(crate) const WORD_DOCUMENT: &str = "WordDocument";

/// `wIdent` of a Word 97+ FIB.
const W_IDENT: u16 = 0xA5EC;
/// Lowest `nFib` of Word 97 (earlier ones are Word 6/95, a different format).
const MIN_NFIB: u16 = 0x00C0;
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TBL_STM: u16 = 0x0200;
/// Index of `fcPlcfBtePapx` in `FibRgFcLcb97` (pairs of u32).
const IDX_PLCF_BTE_PAPX: usize = 13;
/// Index of `fcClx` in `FibRgFcLcb97`.
const IDX_CLX: usize = 33;
/// A formatted disk page (FKP) is 512 bytes.
const FKP_BYTES: usize = 512;
const PCD_BYTES: usize = 8;

pub(crate) fn u16_at(buf: &[u8], at: usize, stream: &'static str) -> Result<u16, Error> {
    match buf.get(at..at.saturating_add(2)) {
        Some(&[a, b]) => Ok(u16::from_le_bytes([a, b])),
        _ => Err(Error::malformed(stream, at as u64, "2 bytes past the end")),
    }
}

pub(crate) fn u32_at(buf: &[u8], at: usize, stream: &'static str) -> Result<u32, Error> {
    match buf.get(at..at.saturating_add(4)) {
        Some(&[a, b, c, d]) => Ok(u32::from_le_bytes([a, b, c, d])),
        _ => Err(Error::malformed(stream, at as u64, "4 bytes past the end")),
    }
}

/// `buf[at..at + len]`, or an error naming `what` and where it was referenced from.
fn slice<'a>(
    buf: &'a [u8],
    at: usize,
    len: usize,
    stream: &'static str,
    what: &str,
) -> Result<&'a [u8], Error> {
    at.checked_add(len)
        .and_then(|end| buf.get(at..end))
        .ok_or_else(|| {
            Error::malformed(
                stream,
                at as u64,
                format!(
                    "{what} ({len} bytes at {at}) lies outside the stream ({} bytes)",
                    buf.len()
                ),
            )
        })
}

/// What the reader takes from the FIB.
#[derive(Debug)]
pub(crate) struct Fib {
    pub encrypted: bool,
    pub table_stream: &'static str,
    pub ccp_text: u32,
    pub clx: (u32, u32),
    pub bte_papx: (u32, u32),
}

pub(crate) fn parse_fib(wd: &[u8]) -> Result<Fib, Error> {
    const S: &str = WORD_DOCUMENT;
    let ident = u16_at(wd, 0, S)?;
    let nfib = u16_at(wd, 2, S)?;
    if ident != W_IDENT {
        return Err(Error::new(crate::ErrorKind::Unsupported {
            detail: format!("FIB wIdent is {ident:#06x}, not {W_IDENT:#06x}"),
        }));
    }
    if nfib < MIN_NFIB {
        return Err(Error::new(crate::ErrorKind::Unsupported {
            detail: format!("nFib {nfib:#06x}: a Word 6/95 file"),
        }));
    }
    let flags = u16_at(wd, 0x0A, S)?;
    let csw = usize::from(u16_at(wd, 32, S)?);
    let lw_count_at = 34 + 2 * csw;
    let cslw = usize::from(u16_at(wd, lw_count_at, S)?);
    let lw_at = lw_count_at + 2;
    if cslw < 4 {
        return Err(Error::malformed(
            S,
            lw_count_at as u64,
            "FibRgLw97 too short",
        ));
    }
    let ccp_text = u32_at(wd, lw_at + 12, S)?;
    let fclcb_count_at = lw_at + 4 * cslw;
    let pairs = usize::from(u16_at(wd, fclcb_count_at, S)?);
    if pairs <= IDX_CLX {
        return Err(Error::malformed(
            S,
            fclcb_count_at as u64,
            format!(
                "FibRgFcLcb has {pairs} entries, fcClx needs {}",
                IDX_CLX + 1
            ),
        ));
    }
    let blob = fclcb_count_at + 2;
    let pair = |i: usize| -> Result<(u32, u32), Error> {
        Ok((
            u32_at(wd, blob + 8 * i, S)?,
            u32_at(wd, blob + 8 * i + 4, S)?,
        ))
    };
    Ok(Fib {
        encrypted: flags & F_ENCRYPTED != 0,
        table_stream: if flags & F_WHICH_TBL_STM != 0 {
            "1Table"
        } else {
            "0Table"
        },
        ccp_text,
        clx: pair(IDX_CLX)?,
        bte_papx: pair(IDX_PLCF_BTE_PAPX)?,
    })
}

/// A run of text: CPs `cp..cp_end`, stored at byte `byte` of WordDocument.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    pub cp: u32,
    pub cp_end: u32,
    pub byte: u32,
    /// 8-bit (cp1252) text rather than UTF-16LE.
    pub compressed: bool,
}

/// The pieces of the CLX at `fc..fc+lcb` of the table stream.
pub(crate) fn pieces(
    table: &[u8],
    tname: &'static str,
    (fc, lcb): (u32, u32),
    limits: &Limits,
) -> Result<Vec<Piece>, Error> {
    let base = fc as usize;
    let clx = slice(table, base, lcb as usize, tname, "CLX (fcClx/lcbClx)")?;
    let mut pos = 0usize;
    let plc = loop {
        let at = base.saturating_add(pos) as u64;
        match clx.get(pos) {
            Some(1) => {
                // Prc: property modifiers for pieces; skipped (see the crate docs).
                let cb = i16::from_le_bytes(match clx.get(pos + 1..pos + 3) {
                    Some(&[a, b]) => [a, b],
                    _ => return Err(Error::malformed(tname, at, "truncated Prc")),
                });
                let cb = usize::try_from(cb)
                    .map_err(|_| Error::malformed(tname, at, "negative Prc size"))?;
                pos = pos + 3 + cb;
            }
            Some(2) => {
                let lcb = u32_at(clx, pos + 1, tname)
                    .map_err(|_| Error::malformed(tname, at, "truncated Pcdt"))?
                    as usize;
                break slice(clx, pos + 5, lcb, tname, "PlcPcd").map_err(|_| {
                    Error::malformed(tname, at, format!("PlcPcd of {lcb} bytes overruns the CLX"))
                })?;
            }
            Some(b) => {
                return Err(Error::malformed(
                    tname,
                    at,
                    format!("CLX entry type {b:#04x} (expected 1 or 2)"),
                ))
            }
            None => return Err(Error::malformed(tname, at, "CLX without a piece table")),
        }
    };
    let plc_at = (base + pos + 5) as u64;
    if plc.len() < 4 || (plc.len() - 4) % (4 + PCD_BYTES) != 0 {
        return Err(Error::malformed(
            tname,
            plc_at,
            format!("PlcPcd of {} bytes is not 4 + 12n", plc.len()),
        ));
    }
    let n = (plc.len() - 4) / (4 + PCD_BYTES);
    if n > limits.max_pieces {
        return Err(Error::new(crate::ErrorKind::TooManyPieces {
            count: n as u64,
            limit: limits.max_pieces,
        }));
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(plc, 4 * i, tname)?;
        let cp_end = u32_at(plc, 4 * (i + 1), tname)?;
        if cp_end < cp || out.last().is_some_and(|p: &Piece| p.cp_end != cp) {
            return Err(Error::malformed(
                tname,
                plc_at + 4 * i as u64,
                format!("piece {i} CPs {cp}..{cp_end} are out of order"),
            ));
        }
        let fc = u32_at(plc, 4 * (n + 1) + PCD_BYTES * i + 2, tname)?;
        let compressed = fc & 0x4000_0000 != 0;
        let fc = fc & 0x3FFF_FFFF;
        out.push(Piece {
            cp,
            cp_end,
            byte: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// Paragraph properties the reader uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ParaProps {
    pub in_table: bool,
    pub ttp: bool,
    pub itap: Option<u32>,
    pub inner_cell: bool,
    pub inner_ttp: bool,
    /// `sprmPOutLvl`: 0-based outline level, 9 = body text.
    pub outline: Option<u8>,
    /// The row's table properties ([`ParaIndex::tap`]), on a row-end mark.
    pub tap: Option<u32>,
}

/// What a row's `sprmTDefTable` (and `sprmTVertMerge`) say about its cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tap {
    /// Cell boundaries in twips, left to right: one more than there are cells.
    pub centers: Vec<i16>,
    /// Per cell: `horzMerge` (0 none, 1 first of a merge, 2 or 3 merged into the previous).
    pub hmerge: Vec<u8>,
    /// Per cell: `vertMerge` (0 none, 1 continues the cell above, 3 starts a merge).
    pub vmerge: Vec<u8>,
}

impl Tap {
    fn def_table(operand: &[u8]) -> Option<Tap> {
        // cb (u16), itcMac, rgdxaCenter (itcMac + 1 × i16), rgTc80 (≤ itcMac × 20 bytes).
        let itc = usize::from(*operand.get(2)?);
        let centers_end = 3 + 2 * (itc + 1);
        let centers: Vec<i16> = operand
            .get(3..centers_end)?
            .chunks_exact(2)
            .map(|c| {
                i16::from_le_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            })
            .collect();
        let mut hmerge = vec![0u8; itc];
        let mut vmerge = vec![0u8; itc];
        let tcs = operand.get(centers_end..).unwrap_or(&[]);
        for (i, tc) in tcs.chunks_exact(20).take(itc).enumerate() {
            let grf = u16::from_le_bytes([
                tc.first().copied().unwrap_or(0),
                tc.get(1).copied().unwrap_or(0),
            ]);
            if let Some(h) = hmerge.get_mut(i) {
                *h = (grf & 0x3) as u8;
            }
            if let Some(v) = vmerge.get_mut(i) {
                *v = ((grf >> 5) & 0x3) as u8;
            }
        }
        Some(Tap {
            centers,
            hmerge,
            vmerge,
        })
    }
}

impl ParaProps {
    /// Table nesting depth (0 = not in a table).
    pub fn depth(&self) -> u32 {
        match self.itap {
            Some(d) if d > 0 => d,
            _ => u32::from(self.in_table),
        }
    }
}

/// Paragraph properties by WordDocument byte range of the paragraph (mark included).
#[derive(Debug, Default)]
pub(crate) struct ParaIndex {
    runs: Vec<(u32, u32, ParaProps)>,
    taps: Vec<Tap>,
}

impl ParaIndex {
    /// The table properties `ParaProps::tap` names.
    pub fn tap(&self, i: Option<u32>) -> Option<&Tap> {
        self.taps.get(usize::try_from(i?).ok()?)
    }

    /// Properties of the paragraph whose mark is at WordDocument byte `fc`.
    pub fn at(&self, fc: u32) -> ParaProps {
        let i = self.runs.partition_point(|r| r.1 <= fc);
        match self.runs.get(i) {
            Some(&(start, end, p)) if start <= fc && fc < end => p,
            _ => ParaProps::default(),
        }
    }
}

pub(crate) fn para_index(
    wd: &[u8],
    table: &[u8],
    data: &[u8],
    tname: &'static str,
    (fc, lcb): (u32, u32),
    limits: &Limits,
) -> Result<ParaIndex, Error> {
    const S: &str = WORD_DOCUMENT;
    if lcb == 0 {
        return Ok(ParaIndex::default());
    }
    let plc = slice(table, fc as usize, lcb as usize, tname, "PlcBtePapx")?;
    if plc.len() < 4 || (plc.len() - 4) % 8 != 0 {
        return Err(Error::malformed(
            tname,
            u64::from(fc),
            format!("PlcBtePapx of {} bytes is not 4 + 8n", plc.len()),
        ));
    }
    let n = (plc.len() - 4) / 8;
    if n > limits.max_fkp_pages {
        return Err(Error::new(crate::ErrorKind::TooManyFkpPages {
            count: n as u64,
            limit: limits.max_fkp_pages,
        }));
    }
    let mut runs = Vec::new();
    let mut taps = Vec::new();
    for i in 0..n {
        let pn = (u32_at(plc, 4 * (n + 1) + 4 * i, tname)? & 0x003F_FFFF) as usize;
        let at = pn * FKP_BYTES;
        let page = slice(wd, at, FKP_BYTES, S, "PapxFkp page")?;
        let crun = usize::from(*page.get(FKP_BYTES - 1).unwrap_or(&0));
        let bx_at = 4 * (crun + 1);
        if bx_at + 13 * crun > FKP_BYTES - 1 {
            return Err(Error::malformed(
                S,
                (at + FKP_BYTES - 1) as u64,
                format!("PapxFkp crun {crun} does not fit in a page"),
            ));
        }
        for r in 0..crun {
            let start = u32_at(page, 4 * r, S)?;
            let end = u32_at(page, 4 * (r + 1), S)?;
            let b_offset = usize::from(*page.get(bx_at + 13 * r).unwrap_or(&0));
            let props = if b_offset == 0 {
                ParaProps::default()
            } else {
                let off = 2 * b_offset;
                let bad = || Error::malformed(S, (at + off) as u64, "PapxInFkp outside its page");
                let cb = usize::from(*page.get(off).ok_or_else(bad)?);
                let (from, len) = if cb != 0 {
                    (off + 1, 2 * cb - 1)
                } else {
                    (
                        off + 2,
                        2 * usize::from(*page.get(off + 1).ok_or_else(bad)?),
                    )
                };
                let papx = from
                    .checked_add(len)
                    .and_then(|e| page.get(from..e))
                    .ok_or_else(bad)?;
                // The first two bytes are the style index (istd); sprms follow.
                let (mut props, tap) = sprms(papx.get(2..).unwrap_or(&[]), data);
                if let Some(tap) = tap {
                    props.tap = u32::try_from(taps.len()).ok();
                    taps.push(tap);
                }
                props
            };
            if start < end {
                runs.push((start, end, props));
            }
        }
    }
    runs.sort_by_key(|r| r.0);
    Ok(ParaIndex { runs, taps })
}

/// The properties the reader uses out of a grpprl. A truncated last sprm ends the list
/// (padding is common; nothing past the list's end is ever read). `data` is the `Data`
/// stream, where `sprmPHugePapx` moves properties too large for a page.
fn sprms(g: &[u8], data: &[u8]) -> (ParaProps, Option<Tap>) {
    let mut p = ParaProps::default();
    let mut tap = None;
    let mut vert = Vec::new();
    sprms_into(g, data, &mut p, &mut tap, &mut vert, true);
    if let Some(t) = tap.as_mut() {
        for (itc, v) in vert {
            if let Some(slot) = t.vmerge.get_mut(usize::from(itc)) {
                *slot = v;
            }
        }
    }
    (p, tap)
}

fn sprms_into(
    g: &[u8],
    data: &[u8],
    p: &mut ParaProps,
    tap: &mut Option<Tap>,
    vert: &mut Vec<(u8, u8)>,
    follow_huge: bool,
) {
    let mut pos = 0usize;
    while let (Some(&lo), Some(&hi)) = (g.get(pos), g.get(pos + 1)) {
        let sprm = u16::from_le_bytes([lo, hi]);
        let op = pos + 2;
        let byte = |i: usize| g.get(op + i).copied();
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                // sprmTDefTable: a 2-byte size, counting itself minus one.
                0xD608 => match (byte(0), byte(1)) {
                    (Some(a), Some(b)) => usize::from(u16::from_le_bytes([a, b])) + 1,
                    _ => break,
                },
                // sprmPChgTabs: size 255 means "computed from the tab counts".
                0xC615 => match byte(0) {
                    Some(255) => {
                        let Some(del) = byte(1).map(usize::from) else {
                            break;
                        };
                        let Some(add) = byte(2 + 4 * del).map(usize::from) else {
                            break;
                        };
                        3 + 4 * del + 3 * add
                    }
                    Some(cb) => 1 + usize::from(cb),
                    None => break,
                },
                _ => match byte(0) {
                    Some(cb) => 1 + usize::from(cb),
                    None => break,
                },
            },
        };
        let Some(operand) = g.get(op..op + size) else {
            break;
        };
        let flag = operand.first().is_some_and(|&b| b != 0);
        match sprm {
            0x2416 => p.in_table = flag,
            0x2417 => p.ttp = flag,
            0x244B => p.inner_cell = flag,
            0x244C => p.inner_ttp = flag,
            0x6649 => {
                if let &[a, b, c, d] = operand {
                    p.itap = u32::try_from(i32::from_le_bytes([a, b, c, d])).ok();
                }
            }
            0x2640 => p.outline = operand.first().copied(),
            0xD608 => *tap = Tap::def_table(operand),
            // sprmTVertMerge: cb (2), itc, vertMerge.
            0xD62B => {
                if let &[_, itc, v] = operand {
                    vert.push((itc, v));
                }
            }
            // sprmPHugePapx: the rest of the properties live in the Data stream, as a u16
            // size and a grpprl. Only one level: a huge papx never names another.
            0x6646 if follow_huge => {
                if let &[a, b, c, d] = operand {
                    let at = u32::from_le_bytes([a, b, c, d]) as usize;
                    if let (Some(&lo), Some(&hi)) = (data.get(at), data.get(at.saturating_add(1))) {
                        let len = usize::from(u16::from_le_bytes([lo, hi]));
                        let from = at.saturating_add(2);
                        if let Some(huge) = from.checked_add(len).and_then(|e| data.get(from..e)) {
                            sprms_into(huge, data, p, tap, vert, false);
                        }
                    }
                }
            }
            _ => {}
        }
        pos = op + size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprms_read_table_marks_and_skip_others() {
        // sprmPJc80 (1 byte), sprmPFInTable, sprmPFTtp, sprmPItap = 2, a variable sprm.
        let g = [
            0x03, 0x24, 0x01, 0x16, 0x24, 0x01, 0x17, 0x24, 0x01, 0x49, 0x66, 2, 0, 0, 0, 0x0D,
            0xC6, 0x02, 0xFF, 0xFF, 0x4B, 0x24, 0x01,
        ];
        let p = sprms(&g, &[]).0;
        assert!(p.in_table && p.ttp && p.inner_cell);
        assert_eq!(p.itap, Some(2));
        assert_eq!(p.depth(), 2);
        // Truncated: stops without reading past the end.
        assert_eq!(sprms(&[0x16, 0x24], &[]).0, ParaProps::default());
        // sprmPHugePapx at Data byte 3: size 3, then sprmPFTtp.
        let data = [0xEE, 0xEE, 0xEE, 3, 0, 0x17, 0x24, 1];
        let p = sprms(&[0x46, 0x66, 3, 0, 0, 0], &data).0;
        assert!(p.ttp);
        // Pointing outside the Data stream: ignored, never read.
        assert_eq!(
            sprms(&[0x46, 0x66, 0xFF, 0xFF, 0, 0], &data).0,
            ParaProps::default()
        );
    }

    #[test]
    fn def_table_and_vert_merge() {
        // sprmTDefTable: cb 48, itcMac 2, centers 0/100/300, TC80s: vertMerge restart, first
        // of a horizontal merge; then sprmTVertMerge(itc 1, continue).
        let mut g = vec![0x08, 0xD6, 48, 0, 2, 0, 0, 100, 0, 0x2C, 0x01];
        let mut tc = [0u8; 20];
        tc[0] = 0x60;
        g.extend_from_slice(&tc);
        tc[0] = 0x01;
        g.extend_from_slice(&tc);
        g.extend_from_slice(&[0x2B, 0xD6, 2, 1, 1]);
        g.extend_from_slice(&[0x17, 0x24, 1]);
        let (p, tap) = sprms(&g, &[]);
        assert!(p.ttp, "the sprm after the table definition is read");
        let tap = tap.unwrap();
        assert_eq!(tap.centers, vec![0, 100, 300]);
        assert_eq!(tap.hmerge, vec![0, 1]);
        assert_eq!(tap.vmerge, vec![3, 1]);
        // Cut short: whatever fits, never a panic.
        for cut in 0..g.len() {
            let _ = sprms(&g[..cut], &[]);
        }
    }
}
