//! The seed corpus (fixtures/seed): real values checked against the files by hand
//! (`grep -n`, `grep -b`, `cat -A`).

use tablift_model::{Block, Document, FurnitureKind, Origin, Paragraph, Table, TextLayout};
use tablift_textexport::{parse, Options};

fn read(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/seed/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(name: &str) -> Document {
    parse(name, &read(name), &Options::default()).unwrap()
}

fn paragraphs(doc: &Document) -> Vec<&Paragraph> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .collect()
}

fn texts(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.paragraphs.join("\n")).collect())
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

/// Byte offset of the first occurrence of `needle` in `hay` (independent of the parser).
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn source_info_per_file() {
    let cases = [
        ("seed.tika-doc.txt", "UTF-8", false, TextLayout::CellPerLine),
        ("seed.gb18030.txt", "GB18030", true, TextLayout::CellPerLine),
        (
            "seed.utf16le.txt",
            "UTF-16LE",
            true,
            TextLayout::CellPerLine,
        ),
        ("seed.tika-docx.txt", "UTF-8", false, TextLayout::RowPerLine),
        (
            "seed.libreoffice.txt",
            "UTF-8",
            false,
            TextLayout::Flattened,
        ),
    ];
    for (name, encoding, crlf, layout) in cases {
        let doc = load(name);
        assert_eq!(doc.source.path, name);
        assert_eq!(doc.source.encoding.as_deref(), Some(encoding), "{name}");
        assert_eq!(doc.source.crlf, Some(crlf), "{name}");
        assert_eq!(doc.source.layout, Some(layout), "{name}");
    }
}

#[test]
fn counts_of_tables_and_paragraphs() {
    for name in [
        "seed.tika-doc.txt",
        "seed.gb18030.txt",
        "seed.utf16le.txt",
        "seed.tika-docx.txt",
    ] {
        let doc = load(name);
        let tables: Vec<&Table> = doc.tables().collect();
        assert_eq!(tables.len(), 32, "{name}");
        // Info table (7 rows) and indicator table (header + 3 rows) per project, alternating.
        for (i, t) in tables.iter().enumerate() {
            let widths: Vec<usize> = t.rows.iter().map(|r| r.cells.len()).collect();
            if i % 2 == 0 {
                assert_eq!(widths, [2, 4, 7, 2, 5, 5, 2], "{name} table {i}");
            } else {
                assert_eq!(widths, [6, 6, 6, 6], "{name} table {i}");
            }
        }
        // 35 narrative lines (lines 1–63 of seed.tika-doc.txt) + 16 project headings.
        assert_eq!(paragraphs(&doc).len(), 51, "{name}");
    }
    // Flattened: 810 non-blank lines, the last one the page number.
    let lo = load("seed.libreoffice.txt");
    assert_eq!(lo.tables().count(), 0);
    assert_eq!(paragraphs(&lo).len(), 809);
}

#[test]
fn first_info_table_exactly() {
    let doc = load("seed.tika-doc.txt");
    let t = doc.tables().next().unwrap();
    assert_eq!(
        texts(t),
        vec![
            row(&["467002定州市生态环境局", "单位：万元"]),
            row(&[
                "项目编码",
                "467-0201-YCN-4OK6",
                "项目名称",
                "2020年中央大气污染防治资金"
            ]),
            row(&[
                "预算规模及资金用途",
                "预算数",
                "4621.00",
                "其中：财政资金",
                "4621.00",
                "其他资金",
                ""
            ]),
            row(&["", "大气污染治理各项工作"]),
            row(&["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"]),
            row(&["", "25.00", "55.00", "75.00", "100.00"]),
            row(&[
                "绩效目标",
                "1、完成上级下达的机动车污染治理任务\n2、完成上级下达的大气污染治理任务"
            ]),
        ]
    );
    // Empty cells have no paragraphs; the goals cell has two.
    assert!(t.rows[2].cells[6].paragraphs.is_empty());
    assert_eq!(
        t.rows[6].cells[1].paragraphs,
        [
            "1、完成上级下达的机动车污染治理任务",
            "2、完成上级下达的大气污染治理任务"
        ]
    );
    // Spans are unknown in a text export.
    assert!(t
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .all(|c| c.col_span == 1 && c.row_span == 1));
}

#[test]
fn first_indicator_table_exactly() {
    let doc = load("seed.tika-docx.txt");
    let t = doc.tables().nth(1).unwrap();
    assert_eq!(
        texts(t),
        vec![
            row(&[
                "一级指标",
                "二级指标",
                "三级指标",
                "绩效指标描述",
                "指标值",
                "指标值确定依据"
            ]),
            row(&[
                "产出指标",
                "时效指标",
                "完成率",
                "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）",
                "≥60",
                ""
            ]),
            row(&[
                "效果指标",
                "社会效益指标",
                "社会影响力",
                "在全国或全省产生的重要影响，得到广大受众的充分认可。",
                "得到群众认可",
                ""
            ]),
            row(&[
                "满意度指标",
                "服务对象满意度指标",
                "群众满意度",
                "群众满意数量占总数的比例。",
                "≥60",
                ""
            ]),
        ]
    );
}

#[test]
fn project_10_indicator_table_survives_the_extra_blank_line() {
    // seed.tika-doc.txt lines 714–717: the 效果指标 row ends with two blank lines, the
    // 满意度指标 row (line 717) still belongs to the table.
    let doc = load("seed.tika-doc.txt");
    let t = doc.tables().nth(19).unwrap();
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.origin, Origin::text(695, 16369));
    assert_eq!(
        texts(t)[2],
        row(&[
            "效果指标",
            "社会效益指标",
            "社会影响力",
            "在全国或全省产生的重要影响，得到广大受众的充分认可。",
            "社会影响力",
            "市委市政府批示"
        ])
    );
    assert_eq!(
        texts(t)[3],
        row(&[
            "满意度指标",
            "服务对象满意度指标",
            "群众满意度",
            "群众满意数量占总数的比例。",
            ">70",
            "市委市政府批示"
        ])
    );
    assert_eq!(t.rows[3].origin.line(), Some(717));
    assert_eq!(t.rows[2].cells[5].paragraphs, ["市委市政府批示"]);
    // The next table is project 11's info table.
    let next = doc.tables().nth(20).unwrap();
    assert_eq!(next.rows[1].cells[1].paragraphs, ["467-0205-YSN-0NTT"]);
}

/// (text, TC entry, TC type, TC level, line)
type Heading<'a> = (&'a str, &'a str, Option<&'a str>, Option<u8>, u32);

#[test]
fn tc_fields_of_headings() {
    let doc = load("seed.tika-doc.txt");
    let with_tc: Vec<&Paragraph> = paragraphs(&doc)
        .into_iter()
        .filter(|p| p.tc.is_some())
        .collect();
    assert_eq!(with_tc.len(), 19);
    let narrative: Vec<Heading<'_>> = with_tc[..3]
        .iter()
        .map(|p| {
            let tc = p.tc.as_ref().unwrap();
            (
                p.text.as_str(),
                tc.entry.as_str(),
                tc.type_id.as_deref(),
                tc.level,
                p.origin.line().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        narrative,
        [
            ("一、总体绩效目标", "总体绩效目标", Some("A"), Some(1), 3),
            ("二、分项绩效目标", "分项绩效目标", Some("A"), Some(1), 6),
            ("三、工作保障措施", "工作保障措施", Some("A"), Some(1), 43),
        ]
    );
    for (i, p) in with_tc[3..].iter().enumerate() {
        let tc = p.tc.as_ref().unwrap();
        assert!(p.text.starts_with(&format!("{}、", i + 1)), "{}", p.text);
        assert!(p.text.ends_with("绩效目标表"), "{}", p.text);
        assert_eq!(tc.entry, p.text);
        assert_eq!(tc.type_id.as_deref(), Some("C"));
        assert!(tc.other_switches.is_empty());
        // Every project heading in the seed, project 9's included, carries `\l 1` (checked
        // in seed.docx's w:instrText too); the form without `\l` is unit-tested in tc.rs.
        assert_eq!(tc.level, Some(1), "{}", p.text);
    }
    // `grep -bn "^9、" seed.tika-doc.txt` → 592:14724
    let p9 = with_tc[3 + 8];
    assert_eq!(p9.text, "9、孟良河微生态复育修育项目绩效目标表");
    assert_eq!(p9.origin, Origin::text(592, 14724));
    // Without a field the paragraph keeps its leading space.
    let ps = paragraphs(&doc);
    assert_eq!(ps[0].text, " 第一部分");
    assert_eq!(ps[0].tc, None);
}

#[test]
fn origins_point_into_the_original_bytes() {
    // `grep -bn 467-0201-YCN-4OK6 seed.tika-doc.txt` → 69:4989
    let cases = [
        ("seed.tika-doc.txt", 69),
        ("seed.gb18030.txt", 69),
        ("seed.utf16le.txt", 69),
        ("seed.tika-docx.txt", 38),
    ];
    for (name, line) in cases {
        let bytes = read(name);
        let doc = load(name);
        let cell = &doc.tables().next().unwrap().rows[1].cells[1];
        assert_eq!(cell.paragraphs, ["467-0201-YCN-4OK6"]);
        let Origin::Text { line: l, byte } = cell.origin else {
            panic!("{name}: {:?}", cell.origin)
        };
        assert_eq!(l, line, "{name}");
        let expected = match name {
            "seed.utf16le.txt" => {
                let needle: Vec<u8> = "\n\t467-0201-YCN-4OK6"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect();
                find(&bytes, &needle) + 2
            }
            "seed.tika-docx.txt" => find(&bytes, "\n\t项目编码\t467-0201".as_bytes()) + 1,
            _ => find(&bytes, b"\n\t467-0201-YCN-4OK6") + 1,
        };
        assert_eq!(byte, expected as u64, "{name}");
    }
    assert_eq!(
        load("seed.tika-doc.txt").tables().next().unwrap().rows[1].cells[1].origin,
        Origin::text(69, 4989)
    );
    // In UTF-16 every line starts at BOM + 2 × code units; the file ends with "1\r\n\r\n".
    let utf16 = load("seed.utf16le.txt");
    assert_eq!(utf16.furniture[0].origin, Origin::text(1122, 22646 - 10));
    let gb = load("seed.gb18030.txt");
    assert_eq!(gb.furniture[0].origin, Origin::text(1122, 18107 - 5));
    // The BOM of the LibreOffice export is not part of line 1's text, and line 1 starts after it.
    let lo = load("seed.libreoffice.txt");
    assert_eq!(paragraphs(&lo)[0].text, " 第一部分");
    assert_eq!(paragraphs(&lo)[0].origin, Origin::text(1, 3));
}

#[test]
fn page_number_is_furniture() {
    for (name, line) in [
        ("seed.tika-doc.txt", 1122),
        ("seed.tika-docx.txt", 292),
        ("seed.libreoffice.txt", 884),
    ] {
        let doc = load(name);
        assert_eq!(doc.furniture.len(), 1, "{name}");
        assert_eq!(doc.furniture[0].kind, FurnitureKind::PageNumber);
        assert_eq!(doc.furniture[0].text, "1");
        assert_eq!(doc.furniture[0].origin.line(), Some(line), "{name}");
    }
    let doc = load("seed.tika-doc.txt");
    assert_eq!(doc.furniture[0].origin, Origin::text(1122, 23769 - 3));
    // The document ends with the last indicator table, not a "1" paragraph.
    assert!(matches!(doc.blocks.last(), Some(Block::Table(_))));
}

#[test]
fn the_three_cell_per_line_files_are_content_equal() {
    let doc = load("seed.tika-doc.txt");
    let gb = load("seed.gb18030.txt");
    let utf16 = load("seed.utf16le.txt");
    assert!(doc.content_eq(&gb));
    assert!(doc.content_eq(&utf16));
    // Origins differ (byte offsets), line numbers do not.
    assert_ne!(doc, gb);
    assert_eq!(
        gb.tables().next().unwrap().rows[1].cells[1].origin.line(),
        Some(69)
    );
}

#[test]
fn tika_docx_equals_tika_doc_without_tc_fields() {
    // Tika drops Word fields for .docx, so seed.tika-docx.txt has no TC fields: clear them on
    // the .doc side and everything else (text, tables, cells, furniture) must be equal.
    let mut doc = load("seed.tika-doc.txt");
    let docx = load("seed.tika-docx.txt");
    assert!(!doc.content_eq(&docx));
    assert!(paragraphs(&docx).iter().all(|p| p.tc.is_none()));
    for b in &mut doc.blocks {
        if let Block::Paragraph(p) = b {
            p.tc = None;
        }
    }
    assert!(doc.content_eq(&docx));
}

#[test]
fn flattened_paragraphs_match_the_tika_texts() {
    // Flattened keeps each paragraph and each cell paragraph as a line: the narrative part is
    // the same paragraphs as seed.tika-docx.txt's.
    let lo = load("seed.libreoffice.txt");
    let docx = load("seed.tika-docx.txt");
    let lo_texts: Vec<&str> = paragraphs(&lo).iter().map(|p| p.text.as_str()).collect();
    let docx_texts: Vec<&str> = paragraphs(&docx).iter().map(|p| p.text.as_str()).collect();
    assert_eq!(lo_texts[..36], docx_texts[..36]);
    assert_eq!(lo_texts[36], "467002定州市生态环境局");
    assert_eq!(lo_texts.last(), Some(&"相关文件"));
}
