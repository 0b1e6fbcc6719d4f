//! Hand-written WordprocessingML for what docx-rs cannot express.

mod common;

use common::{docx, docx_path, grid, logical, paragraphs, read, texts, W_NS};
use tablift_model::{FurnitureKind, TcField};

fn r(t: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r>")
}

#[test]
fn simple_field_result_is_text_instruction_is_tc() {
    let body = format!(
        r#"<w:p>{}<w:fldSimple w:instr=" TC &quot;简单&quot; \l 3 \f B "><w:r><w:t>结果</w:t></w:r></w:fldSimple></w:p>
<w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>7</w:t></w:r></w:fldSimple>页</w:p><w:p>{}</w:p>"#,
        r("前"),
        r("末")
    );
    let doc = read(&docx(&body, &[]));
    let ps = paragraphs(&doc);
    assert_eq!(ps[0].text, "前结果");
    assert_eq!(
        ps[0].tc,
        Some(TcField {
            entry: "简单".into(),
            type_id: Some("B".into()),
            level: Some(3),
            other_switches: vec![],
        })
    );
    // Text directly inside `w:p` (outside `w:t`) is not document text.
    assert_eq!(ps[1].text, "7");
    assert_eq!(ps[1].tc, None);
    assert!(doc.furniture.is_empty());
    // A lone number ending the body is a page number rebuilt as text: furniture.
    let body = format!("<w:p>{}</w:p><w:p>{}</w:p>", r("正文"), r(" 12 "));
    let doc = read(&docx(&body, &[]));
    assert_eq!(texts(&doc), ["正文"]);
    assert_eq!(doc.furniture.len(), 1);
    assert_eq!(
        (doc.furniture[0].kind, doc.furniture[0].text.as_str()),
        (FurnitureKind::PageNumber, "12")
    );
}

#[test]
fn nested_complex_fields_show_only_the_outer_result() {
    let fc = |t: &str| format!(r#"<w:r><w:fldChar w:fldCharType="{t}"/></w:r>"#);
    let it = |t: &str| format!(r#"<w:r><w:instrText xml:space="preserve">{t}</w:instrText></w:r>"#);
    let body = format!(
        "<w:p>{}{}{}{}{}{}{}{}{}{}{}{}</w:p>",
        r("x"),
        fc("begin"),
        it(" IF "),
        fc("begin"),
        it("PAGE"),
        fc("separate"),
        r("1"),
        fc("end"),
        it(" = 1 \"yes\" \"no\" "),
        fc("separate"),
        r("yes"),
        fc("end"),
    );
    let doc = read(&docx(&body, &[]));
    assert_eq!(texts(&doc), ["xyes"]);
    assert_eq!(paragraphs(&doc)[0].tc, None);
}

#[test]
fn alternate_content_read_once() {
    let txbx = |t: &str| {
        format!(
            "<w:txbxContent><w:p>{}</w:p><w:p>{}</w:p></w:txbxContent>",
            r(t),
            r("第二行")
        )
    };
    let body = format!(
        r#"<w:p>{}<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>{}</w:p>"#,
        r("锚"),
        txbx("框内"),
        txbx("框内"),
        r("后")
    );
    let doc = read(&docx(&body, &[]));
    assert_eq!(texts(&doc), ["锚\n框内\n第二行\n后"]);
    // Only a Fallback: it is read.
    let body = format!(
        "<w:p><w:r><mc:AlternateContent><mc:Fallback>{}</mc:Fallback></mc:AlternateContent></w:r></w:p>",
        r("备用")
    );
    assert_eq!(texts(&read(&docx(&body, &[]))), ["备用"]);
}

#[test]
fn run_level_characters() {
    let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:cr/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t><w:softHyphen/><w:t>e</w:t><w:sym w:font="Wingdings" w:char="F0B7"/><w:sym w:font="Arial" w:char="2605"/><w:br w:type="column"/><w:t>&amp;&#x41;&#66;&lt;</w:t><w:br/><w:t><![CDATA[<z>]]></w:t></w:r></w:p>"#;
    let doc = read(&docx(body, &[]));
    assert_eq!(texts(&doc), ["a\tb\nc-de★&AB<\n<z>"]);
}

#[test]
fn tracked_changes_keep_final_text_and_new_properties() {
    let body = format!(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:pPrChange><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange></w:pPr>{}<w:moveFrom>{}</w:moveFrom><w:moveTo>{}</w:moveTo><w:del><w:r><w:delText>旧</w:delText></w:r></w:del><w:ins>{}</w:ins></w:p>"#,
        r("标"),
        r("移走"),
        r("移来"),
        r("新")
    );
    let doc = read(&docx(&body, &[]));
    let ps = paragraphs(&doc);
    assert_eq!(ps[0].text, "标移来新");
    assert_eq!(ps[0].heading_level, Some(2));
}

#[test]
fn grid_before_and_vmerge_variants() {
    let tc = |pr: &str, t: &str| format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{}</w:p></w:tc>", r(t));
    let body = format!(
        "<w:tbl><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/></w:trPr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        tc("", "a"),
        tc(r#"<w:vMerge w:val="restart"/>"#, "m"),
        tc("", "c"),
        tc("<w:vMerge/>", "ignored text of a continued cell"),
        tc(r#"<w:gridSpan w:val="1"/>"#, "x"),
        tc(r#"<w:vMerge w:val="continue"/>"#, "orphan"),
        tc("", "y"),
        tc("", "z"),
    );
    let doc = read(&docx(&body, &[]));
    let t = doc.tables().next().unwrap();
    let s = |t: &str, c: u32, r: u32| (t.to_string(), c, r);
    assert_eq!(
        grid(t),
        vec![
            vec![s("a", 1, 1), s("m", 1, 2), s("c", 1, 1)],
            vec![s("x", 1, 1)],
            // A continue without an open merge above is kept as an ordinary cell.
            vec![s("orphan", 1, 1), s("y", 1, 1), s("z", 1, 1)],
        ]
    );
    assert_eq!(t.rows[1].grid_before, 1);
    assert_eq!(logical(t)[1], ["m", "x"]);
    assert_eq!(
        docx_path(&t.rows[1].cells[0].origin),
        "word/document.xml:b0/r1/c1"
    );
}

#[test]
fn unusual_namespace_prefix() {
    let xml = format!(
        r#"<?xml version="1.0"?><ns0:document xmlns:ns0="{W_NS}"><ns0:body><ns0:p><ns0:r><ns0:t>前缀</ns0:t></ns0:r></ns0:p><w:p xmlns:w="urn:other"><w:r><w:t>not word</w:t></w:r></w:p></ns0:body></ns0:document>"#
    );
    let bytes = common::zip_of(&[("word/document.xml", xml.as_bytes())]);
    assert_eq!(texts(&read(&bytes)), ["前缀"]);
}

#[test]
fn footnotes_and_headers_via_relationships() {
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="/word/h2.xml"/>
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="h1.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://x" TargetMode="External"/>
</Relationships>"#;
    let part = |root: &str, inner: &str| {
        format!(r#"<?xml version="1.0"?><w:{root} xmlns:w="{W_NS}">{inner}</w:{root}>"#)
    };
    let notes = part(
        "footnotes",
        r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>注释一</w:t></w:r></w:p></w:footnote>"#,
    );
    let h1 = part("hdr", "<w:p><w:r><w:t>第一页眉</w:t></w:r></w:p>");
    let h2 = part(
        "hdr",
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>表中页眉</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>",
    );
    let body = format!(
        "<w:p>{}<w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
        r("正文")
    );
    let bytes = docx(
        &body,
        &[
            ("word/_rels/document.xml.rels", rels),
            ("word/footnotes.xml", &notes),
            ("word/h1.xml", &h1),
            ("word/h2.xml", &h2),
        ],
    );
    let doc = read(&bytes);
    assert_eq!(texts(&doc), ["正文"]);
    let f: Vec<(FurnitureKind, &str, String)> = doc
        .furniture
        .iter()
        .map(|f| (f.kind, f.text.as_str(), docx_path(&f.origin)))
        .collect();
    assert_eq!(
        f,
        [
            (
                FurnitureKind::Header,
                "第一页眉",
                "word/h1.xml:b0".to_string()
            ),
            (
                FurnitureKind::Header,
                "表中页眉",
                "word/h2.xml:b0/r0/c0".to_string()
            ),
            (
                FurnitureKind::Note,
                "注释一",
                "word/footnotes.xml:b1".to_string()
            ),
        ]
    );
}

#[test]
fn styles_through_relationships_and_custom_names() {
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="s.xml"/></Relationships>"#;
    let styles = format!(
        r#"<w:styles xmlns:w="{W_NS}"><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="a5"><w:name w:val="标题 2"/></w:style><w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body"/><w:basedOn w:val="1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style></w:styles>"#
    );
    let body = format!(
        r#"<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr>{}</w:p><w:p><w:pPr><w:pStyle w:val="a5"/></w:pPr>{}</w:p><w:p><w:pPr><w:pStyle w:val="Body"/></w:pPr>{}</w:p><w:p><w:pPr><w:pStyle w:val="1"/><w:outlineLvl w:val="4"/></w:pPr>{}</w:p>"#,
        r("一"),
        r("二"),
        r("正文"),
        r("五")
    );
    let doc = read(&docx(
        &body,
        &[
            ("word/_rels/document.xml.rels", rels),
            ("word/s.xml", &styles),
        ],
    ));
    let levels: Vec<Option<u8>> = paragraphs(&doc).iter().map(|p| p.heading_level).collect();
    assert_eq!(levels, [Some(1), Some(2), None, Some(5)]);
}

#[test]
fn empty_body_paragraphs_dropped_but_counted() {
    let body = format!(
        "<w:p/><w:p>{}</w:p><w:p><w:r><w:t>  </w:t></w:r></w:p><w:p>{}</w:p>",
        r("a  "),
        r("b")
    );
    let doc = read(&docx(&body, &[]));
    let ps = paragraphs(&doc);
    assert_eq!(texts(&doc), ["a", "b"]);
    assert_eq!(docx_path(&ps[1].origin), "word/document.xml:b3");
}

#[test]
fn skipped_subtrees_close_the_right_elements() {
    // Deleted text and a second `mc:Choice` (holding a whole table) are skipped inside table
    // cells; every element after them must still close what it opened.
    let body = format!(
        r#"<w:tbl><w:tr><w:tc><w:p>{}<w:del><w:r><w:delText>删</w:delText></w:r></w:del></w:p></w:tc><w:tc><w:p><w:r><mc:AlternateContent><mc:Choice Requires="a"><w:t>选</w:t></mc:Choice><mc:Choice Requires="b"><w:tbl><w:tr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl></mc:Choice><mc:Fallback><w:t>备</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p><w:p/></w:tc></w:tr><w:tr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl><w:p>{}</w:p>"#,
        r("甲"),
        r("内"),
        r("乙"),
        r("后")
    );
    let doc = read(&docx(&body, &[]));
    let t = doc.tables().next().unwrap();
    assert_eq!(
        grid(t),
        [
            vec![("甲".to_string(), 1, 1), ("选".to_string(), 1, 1)],
            vec![("乙".to_string(), 1, 1)]
        ]
    );
    assert!(t.rows[0].cells[1].tables.is_empty());
    assert_eq!(texts(&doc), ["后"]);
    assert_eq!(
        docx_path(&paragraphs(&doc)[0].origin),
        "word/document.xml:b1"
    );
}
