//! The fast parse path against html5ever (the reference) on every HTML input in the
//! repository and on pages built here: the same DOM and the same document wherever the fast
//! path answers; it may bail out (the reader then uses html5ever), never differ.

use std::path::{Path, PathBuf};

use tablift_html::differential::{fragment, page, Verdict};
use tablift_html::Limits;

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let mut v: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Every committed file that holds HTML: fixtures (pages and Markdown with HTML blocks), the
/// fuzz corpus and its regressions.
fn committed() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["fixtures/html", "fuzz/corpus/html", "fuzz/regressions/html"] {
        v.extend(files(dir).into_iter().filter(|p| {
            let n = p.to_string_lossy();
            !n.ends_with(".json") && !n.ends_with(".csv")
        }));
    }
    v
}

/// Pages built here, each a corner of the tree-building subset (or just outside it).
fn built() -> Vec<Vec<u8>> {
    let mut pages: Vec<String> = [
        "<!DOCTYPE html><h1>Title</h1><table><tr><td rowspan=2>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
        "<table><td>x</table>",
        "<p>a</p><table><td>x</table>",
        "<p>a<table><tr><td>1</td></tr></table>b",
        "<!DOCTYPE html><p>a<table><tr><td>1</td></tr></table>b",
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.0 Transitional//EN\"><p>a<table><td>1</table>",
        "<table><tr><td colspan=\"3\" rowspan=' 2'>a<td COLSPAN=0 colspan=5>b</tr><tr><th rowspan=0>c</table>",
        // A valueless attribute is the first of its name: html5ever keeps it, not the second.
        "<table><tr><td rowspan rowspan=3 colspan/colspan=2>a</td></tr><tr><td>b</table>",
        "<table><thead><tr><th>h</th></thead><tbody><tr><td>1</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>",
        "<table><caption>Cap <b>bold</b></caption><colgroup><col width=1><col></colgroup><tr><td>a</td></tr></table>",
        "<table><col width=3><col><tr><td>a</td></tr></table>",
        "<table><tr><td><table><tr><td>inner</td></tr></table>after</td><td>2</td></tr></table>",
        "<table><tr><td>a<td>b<tr><td>c</table>",
        "<table>\n  <tr>\n    <td>a</td>\n  </tr>\n</table>",
        "<table> x <tr><td>a</td></tr></table>",
        "<table><p>foster</p><tr><td>a</table>",
        "<ul><li>one<li>two<ul><li>nested</ul></ul><ol><li><table><tr><td>in list</td></tr></table></li></ol>",
        "<dl><dt>t<dd>d<dt>t2</dl>",
        "<p>one<p>two<div>three</div><p>four<h2>head</h2><h3>h3<h4>h4</h4>",
        "<p>a &amp; b &lt;10 &nbsp;c &copy &notit; &#x41;&#66; &#128; &#0; &bogus; &</p>",
        "<pre>\nline1\n  line2</pre><pre>\r\nx</pre><textarea>\nkeep\n&amp;</textarea><listing>\nl</listing>",
        "<title>T &amp; t</title><style>p { } </b> </style><script>if (a</b) {}</script><p>x",
        "<script><!-- document.write('<p>') --></script><p>y",
        "<noscript><p>no</p></noscript><iframe><p>i</p></iframe><xmp><b>x</b></xmp><noembed>n</noembed>",
        "<p><b>bold <i>both</i></b> <font face=x><font size=2>f</font></font></p>",
        "<p><b>unclosed<p>next",
        "<b>1<p>2</b>3</p>",
        "<a href=x>1<a href=y>2</a>",
        "<nobr>a<nobr>b",
        "<table><tr><td><b>cell</td><td>next</b></td></tr></table>",
        "<table><tr><td><font>x</font></td></tr></table><p>after</p>",
        "<div><span>s</span><sup>1</sup></div></span></div></p>",
        "</p>",
        "<br></br>",
        "<header>Ministry</header><nav>menu</nav><main><header>in main</header><p>body</p></main><footer>page 3</footer>",
        "<article><footer>kept</footer></article>",
        "<html><head><meta charset=utf-8><title>x</title></head>\n<body>\n<p>a</p>\n</body>\n</html>\n",
        "<html><head></head><body><p>a</p></body></html><!-- after --> trailing",
        "<html><head></head><body><p>a</p></body><p>after body</p></html>",
        "<!-- first --><!DOCTYPE html><html><!-- c --><head><!-- h --></head><!-- ah --><body>x</body><!-- ab --></html><!-- aab -->",
        "<head><p>in head</p></head>",
        "<html> text before body",
        "&amp; first",
        "   ",
        "<p>unclosed <b>bold <i>italic",
        "<table><tr><td>unclosed",
        "<template><p>t</p></template><p>x",
        "<svg><text>s</text></svg><math><mi>m</mi></math><p>x",
        "<frameset><frame></frameset>",
        "<plaintext><p>all text",
        "<form><input name=a></form><button>b</button><select><option>o</select>",
        "<p>a<!-->b",
        "<p>a<!--->b<!-- x --!>c",
        "<p>a<?php echo 1 ?>b</p>",
        "<p>a <3 b < c</p><p>x</ p></p>",
        "<p>tag with <a title=\"</b>\">inner lt</a></p>",
        "<p title='a<b'>x</p><td>stray</td><tr><th>stray</th>",
        "<P CLASS=x>Upper<BR>Case</P><TABLE><TR><TD ROWSPAN=2>a</TD></TR></TABLE>",
        "<p>self<br/>closing<div/>div content</p><img src=x /><hr/>after",
        "<table><tr><td>a</td></tr><!-- c --></table><table><tbody><!-- c2 --><tr></tr></tbody></table>",
        "<table><tr><td>a</td></tr></table></table></td></tr>",
        "<table><tr><td>a</tbody></table>",
        "<table><tbody><tr><td>a</td></tr></tbody><tr><td>loose</td></tr></table>",
        "<table><tr><td><p>para<td>next</table>",
        "<table><tr><td><ul><li>x</table>",
        "<h1>a<h2>b</h1>c",
        "<li>stray<li>two",
        "<p>x</p>\r\n<p>y\r</p>\rz",
        "<p>\u{a0}nbsp\u{3000}ideo</p>",
        "<table><tr><td>1</td></tr>\u{3000}</table>",
        "<div>unclosed <table><tr><td>t</td></tr></table> still div</div></div>",
        "<p><span>s<div>d</div></span></p>",
        "<table><caption>c<table><tr><td>n</td></tr></table></caption><tr><td>x</td></tr></table>",
        "<table><tr><td>1</td></tr><caption>late</caption></table>",
        "<table><colgroup><col></colgroup> <col><tr><td>a</td></tr></table>",
        "<table><tr><td>a</td></tr></table><p>x</p><table><tr><td><table><tr><td><table><tr><td>deep</td></tr></table></td></tr></table></td></tr></table>",
        "<x-custom attr>custom</x-custom><UNKNOWN>u</unknown>",
        "<p a=1 b='2' c=\"3\" d e = f g=h/>x",
        "<p =x>eq</p>",
        "<p>cut off <b",
        "<p>cut off <!-- comment",
        "<p>end </",
        "<p>end <",
        "<body><p>a</p><body><p>b</p>",
        "<table><tr><td>a</td></tr></table></body></html><table><tr><td>b</td></tr></table>",
        "<table><tr><style>td{}</style><td>a</td><script>x</script></tr></table>",
        "<table><input type=hidden><tr><td>a</td></tr></table>",
        "<center><font size=2>a</font></center><blockquote>q</blockquote>",
        "<p><font face=x>a</p><p>b</font></p>",
        // Found by the html fuzz target: a lone `<` ending the text that implies <body>.
        "<<nav>hometam\"",
        "x<<p>y",
        "<p>a<<b>b</b>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Deep nesting, many cells and big spans, for the limits below.
    pages.push(format!("{}x", "<div>".repeat(300)));
    pages.push(format!(
        "<table>{}</table>",
        "<tr><td>1</td><td>2</td></tr>".repeat(400)
    ));
    pages.push(format!("{}x", "<table><tr><td>".repeat(90)));
    pages.push(format!("<p>{}</p>", "<b>b</b><i>i</i>".repeat(200)));
    // Text nodes starting with an entity or `<`, many of them: one of them passes the small
    // node limit.
    pages.push(format!("<p>{}</p>", "<b>&amp;</b><i><</i>".repeat(100)));
    pages.push("<style><</b></style><title>&lt;</title><p>x".to_string());
    let mut v: Vec<Vec<u8>> = pages.into_iter().map(String::into_bytes).collect();
    // GBK (read as GB18030: offsets through the `<` map) and a BOM.
    let (gbk, _, _) = encoding_rs::GBK.encode("<html><head><meta charset=gbk></head><body><p>部门</p><table><tr><td rowspan=2>预算</td><td>收入</td></tr><tr><td>支出</td></tr></table></body></html>");
    v.push(gbk.into_owned());
    v.push(b"\xEF\xBB\xBF<!DOCTYPE html><p>bom</p><table><td>x</table>".to_vec());
    v.push(b"\xEF\xBB\xBF\xEF\xBB\xBF<p>two boms</p>".to_vec());
    v
}

fn check(name: &str, data: &[u8], limits: &Limits, answered: &mut usize, total: &mut usize) {
    *total += 1;
    match page(data, limits) {
        Ok(Verdict::Answered) => *answered += 1,
        Ok(v) => {
            if std::env::var_os("DIFF_VERBOSE").is_some() {
                eprintln!("{v:?}: {}", name.chars().take(120).collect::<String>());
            }
        }
        Err(e) => panic!("{name}: {e}"),
    }
    if let Ok(text) = std::str::from_utf8(data) {
        *total += 1;
        match fragment(text, limits) {
            Ok(Verdict::Answered) => *answered += 1,
            Ok(_) => {}
            Err(e) => panic!("{name} (as a fragment): {e}"),
        }
    }
}

#[test]
fn fast_path_builds_what_html5ever_builds() {
    let limits = Limits::default();
    let small = Limits {
        max_depth: 12,
        max_nodes: 150,
        ..Limits::default()
    };
    let (mut answered, mut total) = (0, 0);
    let inputs = committed();
    assert!(inputs.len() >= 8, "the committed inputs are missing");
    for path in &inputs {
        let data = std::fs::read(path).unwrap();
        let name = path.display().to_string();
        check(&name, &data, &limits, &mut answered, &mut total);
        check(&name, &data, &small, &mut answered, &mut total);
    }
    for (i, data) in built().iter().enumerate() {
        let name = format!("built page {i}: {}", String::from_utf8_lossy(data));
        check(&name, data, &limits, &mut answered, &mut total);
        check(&name, data, &small, &mut answered, &mut total);
    }
    eprintln!("fast path answered {answered} of {total} parses");
    assert!(answered * 2 > total, "{answered} of {total}");
}

#[test]
fn seed_is_answered_by_the_fast_path() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/html/seed.html");
    let data = std::fs::read(path).unwrap();
    assert_eq!(page(&data, &Limits::default()), Ok(Verdict::Answered));
}

#[test]
fn bail_outs_are_reported() {
    let limits = Limits::default();
    for p in [
        "<table><p>foster</p></table>",
        "<b>1<p>2</b>3",
        "<template>x</template>",
    ] {
        assert!(
            matches!(page(p.as_bytes(), &limits), Ok(Verdict::BailedOut(_))),
            "{p}"
        );
    }
}
