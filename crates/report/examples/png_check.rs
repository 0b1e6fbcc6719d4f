//! `png_check FILE.png`: exit 0 when the PNG has at least two different pixels, 1 when it is
//! blank (every pixel the same) or cannot be read. Used by `scripts/test-browser` on the
//! headless browser's screenshot of the report.

use std::io::Read;

fn main() -> std::process::ExitCode {
    let path = std::env::args().nth(1).unwrap_or_default();
    match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| distinct_pixels(&b))
    {
        Ok((w, h, true)) => {
            println!("{path}: {w}x{h}, not blank");
            std::process::ExitCode::SUCCESS
        }
        Ok((w, h, false)) => {
            eprintln!("{path}: {w}x{h}, every pixel is the same: blank");
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn be32(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or_else(|| "truncated PNG".to_string())
}

/// (width, height, whether two pixels differ), for 8-bit non-interlaced PNGs (what Chromium
/// writes).
fn distinct_pixels(b: &[u8]) -> Result<(u32, u32, bool), String> {
    if b.get(..8) != Some(b"\x89PNG\r\n\x1a\n") {
        return Err("not a PNG".into());
    }
    let (mut at, mut idat, mut header) = (8, Vec::new(), None);
    while at + 8 <= b.len() {
        let len = be32(b, at)? as usize;
        let kind = b.get(at + 4..at + 8).ok_or("truncated PNG")?;
        let data = b.get(at + 8..at + 8 + len).ok_or("truncated PNG")?;
        match kind {
            b"IHDR" => {
                header = Some((
                    be32(data, 0)?,
                    be32(data, 4)?,
                    data.get(8..13).ok_or("bad IHDR")?.to_vec(),
                ))
            }
            b"IDAT" => idat.extend_from_slice(data),
            _ => {}
        }
        at += 12 + len;
    }
    let (w, h, info) = header.ok_or("no IHDR")?;
    let channels = match info.get(1) {
        Some(0) => 1,
        Some(2) => 3,
        Some(4) => 2,
        Some(6) => 4,
        other => return Err(format!("colour type {other:?} not handled")),
    };
    if info.first() != Some(&8) || info.get(4) != Some(&0) {
        return Err("only 8-bit, non-interlaced PNGs are handled".into());
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    let stride = w as usize * channels;
    let mut prev = vec![0u8; stride];
    let mut first: Option<Vec<u8>> = None;
    for line in raw.chunks(stride + 1).take(h as usize) {
        let (filter, data) = line.split_first().ok_or("empty scanline")?;
        let mut cur = data.to_vec();
        for i in 0..cur.len() {
            let a = if i >= channels { cur[i - channels] } else { 0 };
            let (up, ul) = (prev[i], if i >= channels { prev[i - channels] } else { 0 });
            cur[i] = cur[i].wrapping_add(match filter {
                0 => 0,
                1 => a,
                2 => up,
                3 => ((a as u16 + up as u16) / 2) as u8,
                4 => paeth(a, up, ul),
                f => return Err(format!("bad filter {f}")),
            });
        }
        let px = first.get_or_insert_with(|| cur.get(..channels).unwrap_or(&[]).to_vec());
        if cur.chunks(channels).any(|p| p != &px[..]) {
            return Ok((w, h, true));
        }
        prev = cur;
    }
    Ok((w, h, false))
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}
