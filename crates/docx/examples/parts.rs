//! Where the time goes: inflating each part vs reading the whole document.
use std::io::Read;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: parts FILE")?;
    let bytes = std::fs::read(&path)?;
    let n = 300u32;
    for part in ["word/document.xml", "word/styles.xml"] {
        let t = Instant::now();
        let mut len = 0;
        for _ in 0..n {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))?;
            let mut f = z.by_name(part)?;
            let mut v = Vec::with_capacity(f.size() as usize);
            f.read_to_end(&mut v)?;
            len = v.len();
        }
        println!("inflate {part} ({len} B): {:.0} µs", t.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    }
    for part in ["word/document.xml", "word/styles.xml"] {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))?;
        let mut v = Vec::new();
        z.by_name(part)?.read_to_end(&mut v)?;
        let t = Instant::now();
        let mut events = 0usize;
        for _ in 0..n {
            let mut r = quick_xml::Reader::from_reader(&v[..]);
            loop {
                match r.read_event()? {
                    quick_xml::events::Event::Eof => break,
                    _ => events += 1,
                }
            }
        }
        println!(
            "bare quick-xml {part}: {:.0} µs ({} events)",
            t.elapsed().as_secs_f64() * 1e6 / f64::from(n),
            events / n as usize
        );
    }
    let t = Instant::now();
    for _ in 0..n {
        let _ = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))?;
    }
    println!("open archive: {:.0} µs", t.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    Ok(())
}
