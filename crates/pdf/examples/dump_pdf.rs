//! Print a PDF as the reader sees it: `cargo run -p tablift-pdf --example dump_pdf -- FILE`.
use tablift_model::Block;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump FILE")?;
    let bytes = std::fs::read(&path)?;
    let doc = tablift_pdf::read(&path, &bytes, &tablift_pdf::Limits::default())?;
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => println!(
                "P {} {:?} h={:?} tc={:?}",
                b.origin(),
                p.text,
                p.heading_level,
                p.tc
            ),
            Block::Table(t) => {
                println!("T {}", t.origin);
                for r in &t.rows {
                    let cells: Vec<String> = r
                        .cells
                        .iter()
                        .map(|c| format!("{:?}[{}x{}]", c.text(), c.col_span, c.row_span))
                        .collect();
                    println!(
                        "  R{} {}",
                        if r.grid_before > 0 {
                            format!("+{}", r.grid_before)
                        } else {
                            String::new()
                        },
                        cells.join(" | ")
                    );
                }
            }
        }
    }
    for f in &doc.furniture {
        println!("F {:?} {:?} {}", f.kind, f.text, f.origin);
    }
    Ok(())
}
