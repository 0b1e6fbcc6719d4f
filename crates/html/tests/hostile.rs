//! Hostile and awkward pages: spans out of range, unclosed tags, deep nesting, encodings,
//! scripts, entities, limits.

use tablift_html::{read_html, read_markdown, HtmlReader, Limits, MarkdownReader, MAX_COLSPAN};
use tablift_model::read::{FailureKind, Reader};
use tablift_model::{Block, Document, FurnitureKind, Origin, Table};

fn html(page: &str) -> Document {
    read_html("t.html", page.as_bytes(), &Limits::default()).expect("reads")
}

fn first_table(doc: &Document) -> &Table {
    doc.tables().next().expect("a table")
}

fn spans(t: &Table) -> Vec<Vec<(String, u32, u32)>> {
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text(), c.col_span, c.row_span))
                .collect()
        })
        .collect()
}

fn paragraphs(doc: &Document) -> Vec<(String, Option<u8>)> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some((p.text.clone(), p.heading_level)),
            Block::Table(_) => None,
        })
        .collect()
}

#[test]
fn rowspan_zero_runs_to_the_end_of_its_row_group() {
    let doc = html(
        "<table><thead><tr><td rowspan=0>h</td><td>x</td></tr><tr><td>y</td></tr></thead>\
         <tbody><tr><td rowspan=0>a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></tbody></table>",
    );
    let t = first_table(&doc);
    assert_eq!(t.rows.len(), 5);
    assert_eq!(t.rows[0].cells[0].row_span, 2);
    assert_eq!(t.rows[2].cells[0].row_span, 3);
    let logical = t.logical_rows();
    assert!(logical[4][0].continued);
    assert_eq!(logical[4][0].cell.text(), "a");
}

#[test]
fn huge_spans_are_clamped() {
    let doc = html(
        "<table><tr><td rowspan=1000000000 colspan=0>a</td><td colspan=99999999999>b</td></tr>\
         <tr><td>c</td></tr></table>",
    );
    let t = first_table(&doc);
    assert_eq!(
        spans(t),
        vec![
            vec![("a".into(), 1, 2), ("b".into(), MAX_COLSPAN, 1)],
            vec![("c".into(), 1, 1)]
        ]
    );
    // Garbage and signs parse as browsers parse them.
    let doc =
        html("<table><tr><td rowspan=' 2px' colspan=-3>a</td></tr><tr></tr><tr></tr></table>");
    assert_eq!(spans(first_table(&doc))[0], vec![("a".into(), 1, 2)]);
}

#[test]
fn unclosed_tags_still_give_the_table() {
    let doc = html("<table><tr><td>a<td>b<tr><td>c<p>d<p>e</table><p>after");
    assert_eq!(
        spans(first_table(&doc)),
        vec![
            vec![("a".into(), 1, 1), ("b".into(), 1, 1)],
            vec![("c\nd\ne".into(), 1, 1)]
        ]
    );
    assert_eq!(paragraphs(&doc), vec![("after".into(), None)]);
    // Truncated mid-tag.
    let doc = html("<table><tr><td>a</td><td>b<");
    assert_eq!(first_table(&doc).rows[0].cells.len(), 2);
}

#[test]
fn ten_thousand_nested_divs_or_tables_are_too_deep_not_a_stack_overflow() {
    for open in ["<div>", "<table><tr><td>", "<span>", "<b><i>"] {
        let page = open.repeat(10_000) + "x";
        let err = read_html("deep.html", page.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), FailureKind::TooDeep, "{open}");
        assert!(err.position().is_some_and(|p| p.starts_with("byte ")));
    }
    // Markdown: block quotes and lists nested 10,000 deep.
    for open in ["> ", "- "] {
        let md = open.repeat(10_000) + "x\n";
        let err = read_markdown("deep.md", md.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), FailureKind::TooDeep, "{open}");
    }
    // Within the limit, nested tables land in their cells.
    let doc = html(&("<table><tr><td>".repeat(20) + "core"));
    let mut t = first_table(&doc);
    for _ in 1..20 {
        t = &t.rows[0].cells[0].tables[0];
    }
    assert_eq!(t.rows[0].cells[0].text(), "core");
    let Origin::Html { path, .. } = &t.rows[0].cells[0].origin else {
        panic!("html origin")
    };
    assert!(path.starts_with("body/table[1]/tr[1]/td[1]/table[1]/tr[1]/td[1]/table[1]"));
}

#[test]
fn a_gbk_page_with_a_meta_charset() {
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                </head><body><table><tr><td>项目编码</td><td>467-0201-YCN-4OK6</td></tr></table></body></html>";
    let (bytes, _, _) = encoding_rs::GB18030.encode(page);
    let doc = read_html("gbk.html", &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("GB18030"));
    let t = first_table(&doc);
    assert_eq!(t.rows[0].cells[0].text(), "项目编码");
    // Byte offsets are in the original (GB18030) bytes.
    let Origin::Html { byte, .. } = &t.rows[0].cells[1].origin else {
        panic!("html origin")
    };
    let at = usize::try_from(*byte).unwrap();
    assert_eq!(&bytes[at..at + 4], b"<td>");
    assert_eq!(&bytes[at + 4..at + 8], b"467-");
}

#[test]
fn a_page_labelled_utf8_that_is_gbk() {
    let page =
        "<!DOCTYPE html><meta charset=\"utf-8\"><h1>部门预算绩效目标</h1><p>预算数：4621.00</p>";
    let (bytes, _, _) = encoding_rs::GBK.encode(page);
    assert!(std::str::from_utf8(&bytes).is_err());
    let doc = read_html("mislabelled.html", &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("GB18030"));
    assert_eq!(
        paragraphs(&doc),
        vec![
            ("部门预算绩效目标".into(), Some(1)),
            ("预算数：4621.00".into(), None)
        ]
    );
    // And the other way round: labelled GBK, written as UTF-8 that is no clean GB18030.
    let page = "<meta charset=gbk><p>绩效指标</p>";
    let doc = html(page);
    assert_eq!(paragraphs(&doc), vec![("绩效指标".into(), None)]);
}

#[test]
fn boms_and_unlabelled_gb18030() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("<p>一</p>".as_bytes());
    let doc = read_html("bom.html", &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-8"));
    let Origin::Html { byte, .. } = doc.blocks[0].origin() else {
        panic!()
    };
    assert_eq!(*byte, 3);
    let mut bytes = vec![0xFF, 0xFE];
    for u in "<p>二</p>".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let doc = read_html("utf16.html", &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(paragraphs(&doc), vec![("二".into(), None)]);
    let (bytes, _, _) = encoding_rs::GB18030.encode("<p>三</p>");
    let doc = read_html("gb.html", &bytes, &Limits::default()).unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("GB18030"));
    assert_eq!(paragraphs(&doc), vec![("三".into(), None)]);
}

#[test]
fn binary_and_empty_inputs_are_typed_errors() {
    let err = read_html("x.html", b"\x89PNG\r\n\x1a\n\0\0\0", &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), FailureKind::Binary);
    let err = read_html("x.html", b"", &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), FailureKind::Empty);
    let err = read_html("x.html", b"<p>\xFF\xFF\xFF</p>", &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), FailureKind::InvalidEncoding);
}

#[test]
fn scripts_styles_and_templates_are_dropped() {
    let doc = html(
        "<head><title>t</title><style>p{}</style></head><body><script>var a='<table><tr><td>x';</script>\
         <noscript>enable js</noscript><template><p>tpl</p></template><p>kept</p>\
         <svg><text>drawing</text></svg></body>",
    );
    assert_eq!(paragraphs(&doc), vec![("kept".into(), None)]);
    assert_eq!(doc.tables().count(), 0);
}

#[test]
fn entities_and_whitespace() {
    let doc = html("<p>&nbsp;\n\t a &amp;&nbsp;&nbsp;b &lt;10 &gt;70 &#x4E00;&#19968;&copy; </p><p>　　缩进</p>");
    assert_eq!(
        paragraphs(&doc),
        vec![
            ("a & b <10 >70 一一©".into(), None),
            ("　　缩进".into(), None)
        ]
    );
}

#[test]
fn cells_split_at_p_and_br_and_blank_cells_are_empty() {
    let doc = html(
        "<table><tr><td><p>1、a</p><p><br/></p><p>2、b</p></td><td><p><br/></p></td>\
         <td>x<br>y<br></td><th>&nbsp;</th></tr></table>",
    );
    let row = &first_table(&doc).rows[0];
    assert_eq!(row.cells[0].paragraphs, vec!["1、a", "", "2、b"]);
    assert!(row.cells[1].paragraphs.is_empty());
    assert_eq!(row.cells[2].paragraphs, vec!["x", "y"]);
    assert!(row.cells[3].is_blank());
    let Origin::Html { path, .. } = &row.cells[3].origin else {
        panic!()
    };
    assert_eq!(path, "body/table[1]/tr[1]/th[1]");
}

#[test]
fn headings_furniture_and_captions() {
    let doc = html(
        "<nav><a href=/>首页</a> | <a>政务公开</a></nav><header><p>某某市财政局</p></header>\
         <main><header><h1>2023年部门预算</h1></header><h3>绩效目标</h3>\
         <table><caption>表1</caption><tr><td>a</td></tr></table></main>\
         <footer>版权所有</footer><p>12</p>",
    );
    assert_eq!(
        paragraphs(&doc),
        vec![
            ("2023年部门预算".into(), Some(1)),
            ("绩效目标".into(), Some(3)),
            ("表1".into(), None)
        ]
    );
    let f: Vec<(FurnitureKind, &str)> = doc
        .furniture
        .iter()
        .map(|f| (f.kind, f.text.as_str()))
        .collect();
    assert_eq!(
        f,
        vec![
            (FurnitureKind::Header, "首页 | 政务公开"),
            (FurnitureKind::Header, "某某市财政局"),
            (FurnitureKind::Footer, "版权所有"),
            (FurnitureKind::PageNumber, "12"),
        ]
    );
}

#[test]
fn limits_are_typed_errors() {
    let small = Limits {
        max_input_bytes: 10,
        ..Limits::default()
    };
    let err = read_html("big.html", &[b' '; 11], &small).unwrap_err();
    assert_eq!(err.kind(), FailureKind::InputTooLarge);
    let cells = Limits {
        max_cells: 3,
        ..Limits::default()
    };
    let page = "<table><tr><td>1<td>2</tr><tr><td>3<td>4</table>";
    let err = read_html("cells.html", page.as_bytes(), &cells).unwrap_err();
    assert_eq!(err.kind(), FailureKind::TooManyCells);
    assert_eq!(err.position(), Some("body/table[1] (byte 0)"));
    let rows = Limits {
        max_rows: 1,
        ..Limits::default()
    };
    let err = read_html("rows.html", page.as_bytes(), &rows).unwrap_err();
    assert_eq!(err.kind(), FailureKind::TooManyCells);
    let md = "|a|b|\n|-|-|\n|1|2|\n|3|4|\n";
    let err = read_markdown("cells.md", md.as_bytes(), &cells).unwrap_err();
    assert_eq!(err.kind(), FailureKind::TooManyCells);
    let nodes = Limits {
        max_nodes: 100,
        ..Limits::default()
    };
    let err = read_html("nodes.html", "<b>x</b>".repeat(200).as_bytes(), &nodes).unwrap_err();
    assert_eq!(err.kind(), FailureKind::InputTooLarge);
}

#[test]
fn readers_implement_the_interface() {
    let r = HtmlReader::new(Limits::default());
    assert_eq!(r.extensions(), &["html", "htm", "xhtml"]);
    let doc = r.read("a.htm", b"<p>x</p>").unwrap();
    assert_eq!(doc.source.format.as_str(), "html");
    let m = MarkdownReader::new(Limits::default());
    assert_eq!(
        (m.name(), m.extensions()),
        ("markdown", &["md", "markdown"][..])
    );
    let doc = m.read("a.md", b"# T\n\ntext\n").unwrap();
    assert_eq!(doc.source.format.as_str(), "markdown");
    assert_eq!(
        paragraphs(&doc),
        vec![("T".into(), Some(1)), ("text".into(), None)]
    );
}

#[test]
fn origins_point_at_start_tags() {
    let page = "<!DOCTYPE html>\n<body>\n<h2>标题</h2>\n<table>\n<tr>\n<td>项目</td><td colspan=2>x</td>\n</tr></table>";
    let doc = html(page);
    let at = |o: &Origin| match o {
        Origin::Html { path, byte } => (path.to_string(), &page[*byte as usize..]),
        _ => panic!(),
    };
    let (p, rest) = at(doc.blocks[0].origin());
    assert_eq!(p, "body/h2[1]");
    assert!(rest.starts_with("<h2>"));
    let t = first_table(&doc);
    let (p, rest) = at(&t.origin);
    assert_eq!(p, "body/table[1]");
    assert!(rest.starts_with("<table>"));
    let (p, rest) = at(&t.rows[0].origin);
    assert_eq!(p, "body/table[1]/tr[1]");
    assert!(rest.starts_with("<tr>"));
    let (p, rest) = at(&t.rows[0].cells[1].origin);
    assert_eq!(p, "body/table[1]/tr[1]/td[2]");
    assert!(rest.starts_with("<td colspan=2>"));
}

#[test]
fn a_hundred_megabyte_page_is_refused_before_parsing() {
    let page = vec![b'x'; 100_000_000];
    let err = read_html("big.html", &page, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), FailureKind::InputTooLarge);
}

#[test]
fn markdown_html_blocks_and_cells() {
    // A blank line inside a <table> splits the HTML block: it is still one table.
    let md = "# 表\n\n<table>\n<tr><td rowspan=\"2\">a</td><td>b</td></tr>\n\n<tr><td>c</td></tr>\n</table>\n\n\
              | x | y |\n|---|---|\n| 1<br>2 | \\<10 |\n";
    let doc = read_markdown("t.md", md.as_bytes(), &Limits::default()).unwrap();
    let tables: Vec<&Table> = doc.tables().collect();
    assert_eq!(tables.len(), 2);
    assert_eq!(
        spans(tables[0]),
        vec![
            vec![("a".into(), 1, 2), ("b".into(), 1, 1)],
            vec![("c".into(), 1, 1)]
        ]
    );
    let Origin::Html { path, byte } = &tables[0].rows[1].cells[0].origin else {
        panic!()
    };
    assert_eq!(path, "b1/tr[2]/td[1]");
    assert!(md[*byte as usize..].starts_with("<td>c"));
    assert_eq!(tables[1].rows[1].cells[0].paragraphs, vec!["1", "2"]);
    assert_eq!(tables[1].rows[1].cells[1].text(), "<10");
    let Origin::Html { path, .. } = &tables[1].rows[1].cells[1].origin else {
        panic!()
    };
    assert_eq!(path, "b2/r1/c1");
    assert_eq!(paragraphs(&doc), vec![("表".into(), Some(1))]);
}
