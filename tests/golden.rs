//! The sample disclosure through every route, end to end through the binary: each of the four
//! text exports, both .docx files and the legacy .doc must give the same 16 projects and 48 indicator rows, with
//! the values below. Every expected value was read off fixtures/seed/seed.tika-doc.txt by hand
//! (and cross-checked in seed.docx), never copied from tablift's output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const ROUTES: &[&str] = &[
    "seed.tika-doc.txt",
    "seed.gb18030.txt",
    "seed.utf16le.txt",
    "seed.tika-docx.txt",
    "seed.docx",
    "seed.libreoffice.docx",
    "seed.doc",
];

type Row = BTreeMap<String, String>;

/// Runs `tablift extract INPUT` into a fresh `target/tmp/NAME`, checks the exit code, and
/// returns the output directory.
fn extract(input: &str, name: &str, code: i32) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let status = Command::new(env!("CARGO_BIN_EXE_tablift"))
        .args(["extract", input, "-q", "-o"])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(code), "tablift extract {input}");
    dir
}

/// The sample's output, extracted once for all tests.
fn output() -> &'static PathBuf {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    // 0: every form in the directory is read, the legacy seed.doc included.
    OUT.get_or_init(|| extract("fixtures/seed", "golden", 0))
}

/// A CSV output file as rows keyed by header.
fn read_csv_in(dir: &Path, name: &str) -> Vec<Row> {
    let mut rdr = csv::Reader::from_path(dir.join(name)).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn read_csv(name: &str) -> Vec<Row> {
    read_csv_in(output(), name)
}

fn of_route<'a>(rows: &'a [Row], route: &str) -> Vec<&'a Row> {
    let source = format!("fixtures/seed/{route}");
    rows.iter().filter(|r| r["source"] == source).collect()
}

/// seq, code, name, 预算数, 财政资金, plan 3/6/10/12月底 (empty = blank in the source).
type ExpectedProject = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 4],
);

const PROJECTS: &[ExpectedProject] = &[
    (
        "1",
        "467-0201-YCN-4OK6",
        "2020年中央大气污染防治资金",
        "4621.00",
        "4621.00",
        ["25.00", "55.00", "75.00", "100.00"],
    ),
    (
        "2",
        "467-0302-YCN-XDCZ",
        "2020年中央农村环境整治资金",
        "306.00",
        "306.00",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "3",
        "467-0801-YZN-LOYG",
        "第二次污染源普查经费",
        "20.00",
        "20.00",
        ["20.00", "50.00", "70.00", "100.00"],
    ),
    (
        "4",
        "467-0602-YBN-E8OQ",
        "环保专项管理",
        "300.00",
        "300.00",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "5",
        "467-0101-JCN-CM6I",
        "环境监控中心房屋租赁、监测、耗材等",
        "395.90",
        "395.90",
        ["5.00", "10.00", "20.00", "100.00"],
    ),
    (
        "6",
        "467-0501-JCN-YZTU",
        "环境污染举报奖励",
        "6.00",
        "6.00",
        ["10.00", "30.00", "60.00", "100.00"],
    ),
    (
        "7",
        "467-0201-JCN-6A74",
        "空气质量排名奖励",
        "108.00",
        "108.00",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "8",
        "467-0101-YCN-O5I2",
        "空气质量站点设备更换资金",
        "59.00",
        "59.00",
        ["25.00", "50.00", "100.00", ""],
    ),
    (
        "9",
        "467-0205-YCN-NFGQ",
        "孟良河微生态复育修育项目",
        "4.00",
        "4.00",
        ["", "50.00", "80.00", "100.00"],
    ),
    (
        "10",
        "467-0302-YSN-QCTF",
        "农村环境整治项目",
        "1906.00",
        "1906.00",
        ["", "", "", "100.00"],
    ),
    (
        "11",
        "467-0205-YSN-0NTT",
        "生态补偿金",
        "565.00",
        "565.00",
        ["", "", "", "100.00"],
    ),
    (
        "12",
        "467-0602-YCN-16C7",
        "生态环境局精神文明奖",
        "107.64",
        "107.64",
        ["100.00", "", "", ""],
    ),
    (
        "13",
        "467-0201-YCN-T2V5",
        "塑料行业机构验收",
        "104.40",
        "104.40",
        ["", "", "", "100.00"],
    ),
    (
        "14",
        "467-0602-YCN-GWS7",
        "招商引资工作经费",
        "10.00",
        "10.00",
        ["", "", "", "100.00"],
    ),
    (
        "15",
        "467-0103-JCN-DMSL",
        "重点污染源在线监测运维费及视频专线通信费",
        "110.00",
        "110.00",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "16",
        "467-0602-YCN-FVOI",
        "专项人员经费",
        "204.14",
        "204.14",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
];

#[test]
fn every_route_gives_the_16_projects() {
    let rows = read_csv("projects.csv");
    for route in ROUTES {
        check_16_projects(&of_route(&rows, route), route, "\n");
    }
}

/// The web page and the two Markdown conversions of the same report (LibreOffice's HTML,
/// pandoc's and markitdown's Markdown, in fixtures/html/) through the HTML and Markdown
/// readers: the same 16 projects, value for value.
#[test]
fn the_web_and_markdown_routes_give_the_16_projects() {
    let dir = extract("fixtures/html", "golden-html", 0);
    let rows = read_csv_in(&dir, "projects.csv");
    // markitdown writes a cell's paragraphs on one line, two spaces apart: that is all its
    // Markdown holds of the goal cell's two paragraphs (the goals are still told apart).
    for (route, goal_sep) in [
        ("seed.html", "\n"),
        ("seed.markitdown.md", "  "),
        ("seed.pandoc.md", "\n"),
    ] {
        let source = format!("fixtures/html/{route}");
        let got: Vec<&Row> = rows.iter().filter(|r| r["source"] == source).collect();
        check_16_projects(&got, route, goal_sep);
    }
    let indicators = read_csv_in(&dir, "indicators.csv");
    assert_eq!(indicators.len(), 3 * 48);
}

/// The two PDF prints of the report (LibreOffice's and Chromium's) through the PDF reader's
/// lattice: the same 16 projects and 48 indicator rows.
#[test]
fn the_pdf_routes_give_the_16_projects() {
    let dir = extract("fixtures/pdf", "golden-pdf", 0);
    let rows = read_csv_in(&dir, "projects.csv");
    let of = |route: &str| -> Vec<&Row> {
        let source = format!("fixtures/pdf/{route}");
        rows.iter().filter(|r| r["source"] == source).collect()
    };
    check_16_projects(&of("seed.chromium.pdf"), "seed.chromium.pdf", "\n");
    // LibreOffice's print: codes, amounts and plans exact; in names the lattice's gap rule
    // puts a space between a number and the ideograph after it (`2020 年…`, a known
    // imperfection of the space insertion), so names are compared without spaces.
    let lo = of("seed.pdf");
    assert_eq!(lo.len(), 16);
    for (p, (seq, code, name, total, fiscal, _)) in lo.iter().zip(PROJECTS) {
        let ctx = format!("seed.pdf project {seq}");
        assert_eq!(p["project_code"], *code, "{ctx}");
        assert_eq!(p["project_name"].replace(' ', ""), *name, "{ctx}");
        assert_eq!(
            (&p["budget_total"], &p["budget_fiscal"]),
            (&total.to_string(), &fiscal.to_string()),
            "{ctx}"
        );
        // Project 15's goals cell breaks over pages 11 and 12 between its two items.
        assert_eq!(p["goal_count"], "2", "{ctx}");
    }
    assert_eq!(
        read_csv_in(&dir, "goals.csv")
            .iter()
            .filter(|g| g["source"] == "fixtures/pdf/seed.pdf" && g["project_seq"] == "15")
            .map(|g| g["text"].as_str())
            .collect::<Vec<_>>(),
        ["保障重点污染源自动在线设备正常运行", "为环境保护工作服务"]
    );
    assert!(
        lo[0]["origin"].starts_with("page 2 ["),
        "{}",
        lo[0]["origin"]
    );
    assert_eq!(read_csv_in(&dir, "indicators.csv").len(), 2 * 48);
}

fn check_16_projects(got: &[&Row], route: &str, goal_sep: &str) {
    assert_eq!(got.len(), 16, "{route}");
    for (p, (seq, code, name, total, fiscal, plan)) in got.iter().zip(PROJECTS) {
        let ctx = format!("{route} project {seq}");
        assert_eq!(p["seq"], *seq, "{ctx}");
        assert_eq!(p["project_code"], *code, "{ctx}");
        assert_eq!(p["project_name"], *name, "{ctx}");
        assert_eq!(p["department_code"], "467002", "{ctx}");
        assert_eq!(p["department_name"], "定州市生态环境局", "{ctx}");
        assert_eq!(p["unit"], "万元", "{ctx}");
        assert_eq!(p["budget_total"], *total, "{ctx}");
        assert_eq!(p["budget_fiscal"], *fiscal, "{ctx}");
        assert_eq!(p["budget_other"], "", "{ctx}: 其他资金 is empty everywhere");
        let got_plan = [
            &p["plan_mar"],
            &p["plan_jun"],
            &p["plan_oct"],
            &p["plan_dec"],
        ];
        assert_eq!(got_plan, plan.map(String::from).each_ref(), "{ctx}");
        assert_eq!(p["goal_count"], "2", "{ctx}");
        assert_eq!(p["indicator_count"], "3", "{ctx}");
    }
    let first = got[0];
    assert_eq!(
        first["title"], "1、2020年中央大气污染防治资金绩效目标表",
        "{route}"
    );
    assert_eq!(first["use_of_funds"], "大气污染治理各项工作", "{route}");
    assert_eq!(
        first["goals_raw"],
        format!("1、完成上级下达的机动车污染治理任务{goal_sep}2、完成上级下达的大气污染治理任务"),
        "{route}"
    );
}

#[test]
fn every_route_gives_the_48_indicator_rows() {
    let rows = read_csv("indicators.csv");
    // (project seq, row) → level1, level2, level3, value_raw, op, number, value_text
    let expect: &[((&str, &str), [&str; 7])] = &[
        (
            ("1", "1"),
            ["产出指标", "时效指标", "完成率", "≥60", ">=", "60", ""],
        ),
        (
            ("1", "2"),
            [
                "效果指标",
                "社会效益指标",
                "社会影响力",
                "得到群众认可",
                "",
                "",
                "得到群众认可",
            ],
        ),
        (
            ("2", "1"),
            ["产出指标", "时效指标", "完成率", "", "", "", ""],
        ),
        (
            ("3", "1"),
            ["产出指标", "时效指标", "完成率", ">10", ">", "10", ""],
        ),
        (
            ("7", "1"),
            ["产出指标", "质量指标", "优良率", "≤12", "<=", "12", ""],
        ),
        (
            ("7", "2"),
            [
                "效果指标",
                "社会效益指标",
                "社会影响力",
                "0改善空气质量",
                "",
                "0",
                "改善空气质量",
            ],
        ),
        (
            ("7", "3"),
            [
                "满意度指标",
                "服务对象满意度指标",
                "群众满意度",
                "50",
                "",
                "50",
                "",
            ],
        ),
        (
            ("10", "2"),
            [
                "效果指标",
                "社会效益指标",
                "社会影响力",
                "社会影响力",
                "",
                "",
                "社会影响力",
            ],
        ),
        (
            ("16", "3"),
            [
                "满意度指标",
                "服务对象满意度指标",
                "群众满意度",
                "<10",
                "<",
                "10",
                "",
            ],
        ),
    ];
    for route in ROUTES {
        let got = of_route(&rows, route);
        assert_eq!(got.len(), 48, "{route}");
        let by_key: BTreeMap<(&str, &str), &&Row> = got
            .iter()
            .map(|r| ((r["project_seq"].as_str(), r["row"].as_str()), r))
            .collect();
        assert_eq!(
            by_key.len(),
            48,
            "{route}: (project_seq, row) must be unique"
        );
        for ((seq, row), want) in expect {
            let r = by_key[&(*seq, *row)];
            let have = [
                &r["level1"],
                &r["level2"],
                &r["level3"],
                &r["value_raw"],
                &r["value_op"],
                &r["value_number"],
                &r["value_text"],
            ];
            assert_eq!(
                have,
                want.map(String::from).each_ref(),
                "{route} project {seq} row {row}"
            );
        }
        assert_eq!(
            by_key[&("1", "1")]["description"],
            "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）"
        );
        assert_eq!(
            by_key[&("2", "1")]["basis"],
            "《定州市2019年农村生活污水治理实施方案》"
        );
    }
}

#[test]
fn inconsistencies_are_flagged_not_fixed() {
    let rows = read_csv("flags.csv");
    for route in ROUTES {
        let got: Vec<(String, String, String, String)> = of_route(&rows, route)
            .iter()
            .map(|f| {
                (
                    f["code"].clone(),
                    f["project_seq"].clone(),
                    f["field"].clone(),
                    f["raw"].clone(),
                )
            })
            .collect();
        let f = |c: &str, s: &str, field: &str, raw: &str| {
            (
                c.to_string(),
                s.to_string(),
                field.to_string(),
                raw.to_string(),
            )
        };
        assert!(
            got.contains(&f(
                "value_contradicts_indicator",
                "16",
                "indicators[2].value",
                "<10"
            )),
            "{route}: {got:?}"
        );
        assert!(
            got.contains(&f(
                "value_contradicts_indicator",
                "7",
                "indicators[0].value",
                "≤12"
            )),
            "{route}: {got:?}"
        );
        assert!(
            got.contains(&f(
                "value_repeats_indicator",
                "10",
                "indicators[1].value",
                "社会影响力"
            )),
            "{route}: {got:?}"
        );
        assert!(
            got.contains(&f("indicator_value_empty", "2", "indicators[0].value", "")),
            "{route}: {got:?}"
        );
        assert_eq!(got.len(), 10, "{route}: {got:?}");
    }
    // A flag points at the value's own cell: its line in the text export, its cell in the .docx.
    let origin_of = |route: &str| {
        of_route(&rows, route)
            .iter()
            .find(|f| f["project_seq"] == "16" && f["raw"] == "<10")
            .map(|f| f["origin"].clone())
            .unwrap_or_default()
    };
    assert_eq!(origin_of("seed.tika-doc.txt"), "line 1118 (byte 23745)");
    assert_eq!(origin_of("seed.docx"), "word/document.xml:b82/r3/c4");
    // In a .doc: the stream and the character position where the cell starts.
    assert_eq!(origin_of("seed.doc"), "WordDocument:cp9289");
    // The values stay as written.
    let ind = read_csv("indicators.csv");
    let v = of_route(&ind, "seed.tika-doc.txt");
    assert!(v
        .iter()
        .any(|r| r["project_seq"] == "16" && r["value_raw"] == "<10" && r["value_number"] == "10"));
}

#[test]
fn a_legacy_doc_in_a_directory_is_read_and_nothing_fails() {
    let failures = read_csv("failures.csv");
    assert_eq!(failures.len(), 0, "{failures:?}");
    let jsonl = std::fs::read_to_string(output().join("documents.jsonl")).unwrap();
    let doc: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["source"] == "fixtures/seed/seed.doc")
        .collect();
    assert_eq!(doc.len(), 1);
    assert_eq!(doc[0]["document"]["recognised"], true);
    assert_eq!(doc[0]["document"]["department_code"], "467002");
}

#[test]
fn the_flattened_export_is_reported_not_silently_empty() {
    let flags = read_csv("flags.csv");
    let lo = of_route(&flags, "seed.libreoffice.txt");
    assert!(
        !lo.is_empty(),
        "seed.libreoffice.txt produced neither projects nor a flag"
    );
}

#[test]
fn amounts_are_stated_in_the_row_unit_whatever_unit_a_cell_wrote() {
    let dir = extract("fixtures/variants", "golden-variants", 0);
    let rows = read_csv_in(&dir, "projects.csv");
    for route in ["forms.docx", "forms.tika-doc.txt", "forms.tika-docx.txt"] {
        let p = rows
            .iter()
            .find(|r| r["source"] == format!("fixtures/variants/{route}") && r["seq"] == "2")
            .unwrap();
        // 预算数 written as 28.8萬元 in a table whose unit line says 元.
        assert_eq!(p["unit"], "元", "{route}");
        assert_eq!(p["budget_total_raw"], "28.8萬元", "{route}");
        assert_eq!(p["budget_total"], "288000.0", "{route}");
        assert_eq!(p["budget_fiscal"], "250000", "{route}");
        assert_eq!(p["budget_other"], "38000", "{route}");
    }
}

/// Drops the spaces pdftotext writes between a CJK character and a letter or digit
/// (`2020 年`): a gap between glyphs, which the .docx does not hold as a space.
fn degap(s: &str) -> String {
    let v: Vec<char> = s.chars().collect();
    let cjk = |c: char| ('\u{3400}'..='\u{9fff}').contains(&c);
    v.iter()
        .enumerate()
        .filter(|(i, c)| {
            let (Some(a), Some(b)) = (i.checked_sub(1).and_then(|k| v.get(k)), v.get(i + 1)) else {
                return true;
            };
            let latin = |x: &char| x.is_ascii_alphanumeric();
            !(**c == ' ' && ((cjk(*a) && latin(b)) || (latin(a) && cjk(*b))))
        })
        .map(|(_, c)| *c)
        .collect()
}

/// `pdftotext -layout` of the seed's PDF, columns recovered from positions: the same 16
/// projects and 48 indicator rows, value for value, except the fields where the export wrote
/// a space between a CJK character and a digit (`title`, `project_name`, `department_raw`,
/// `use_of_funds`, and in indicators.csv `basis`, `value_raw`, `value_text`), compared without
/// those spaces; the aligned_from_text flag names them.
#[test]
fn the_pdftotext_layout_route_gives_the_16_projects_but_for_its_gap_spaces() {
    let route = "seed.pdftotext-layout.txt";
    let rows = read_csv("projects.csv");
    let got = of_route(&rows, route);
    assert_eq!(got.len(), 16);
    let reference = of_route(&rows, "seed.tika-docx.txt");
    for (p, (seq, code, name, total, fiscal, plan)) in got.iter().zip(PROJECTS) {
        let ctx = format!("{route} project {seq}");
        assert_eq!(p["project_code"], *code, "{ctx}");
        assert_eq!(degap(&p["project_name"]), *name, "{ctx}");
        assert_eq!(p["department_code"], "467002", "{ctx}");
        assert_eq!(p["department_name"], "定州市生态环境局", "{ctx}");
        assert_eq!(p["unit"], "万元", "{ctx}");
        assert_eq!(p["budget_total"], *total, "{ctx}");
        assert_eq!(p["budget_fiscal"], *fiscal, "{ctx}");
        assert_eq!(p["budget_other"], "", "{ctx}");
        let got_plan = [
            &p["plan_mar"],
            &p["plan_jun"],
            &p["plan_oct"],
            &p["plan_dec"],
        ];
        assert_eq!(got_plan, plan.map(String::from).each_ref(), "{ctx}");
        assert_eq!(p["goal_count"], "2", "{ctx}");
        assert_eq!(p["indicator_count"], "3", "{ctx}");
    }
    // Every other column equals the table route's, the gap-spaced ones once degapped.
    let spaced = ["title", "project_name", "use_of_funds", "department_raw"];
    for (p, r) in got.iter().zip(&reference) {
        for (k, v) in r.iter() {
            if k == "source" || k.ends_with("origin") || k.ends_with("_id") {
                continue;
            }
            let have = &p[k];
            if spaced.contains(&k.as_str()) {
                assert_eq!(&degap(have), v, "project {} {k}", r["seq"]);
            } else {
                assert_eq!(have, v, "project {} {k}", r["seq"]);
            }
        }
    }
    assert_eq!(got[0]["title"], "1、2020 年中央大气污染防治资金绩效目标表");
    assert!(
        got[0]["origin"].starts_with("line 96"),
        "{}",
        got[0]["origin"]
    );

    let ind = read_csv("indicators.csv");
    let got = of_route(&ind, route);
    let reference = of_route(&ind, "seed.tika-docx.txt");
    assert_eq!(got.len(), 48);
    for (g, r) in got.iter().zip(&reference) {
        for (k, v) in r.iter() {
            if k == "source" || k.ends_with("origin") || k.ends_with("_id") {
                continue;
            }
            let have = &g[k];
            if matches!(
                k.as_str(),
                "basis" | "value_raw" | "value_text" | "description" | "project_name"
            ) {
                assert_eq!(&degap(have), v, "{} row {} {k}", r["project_seq"], r["row"]);
            } else {
                assert_eq!(have, v, "{} row {} {k}", r["project_seq"], r["row"]);
            }
        }
    }
    // Spaced as the export wrote them.
    let row = |s: &str, n: &str| got.iter().find(|r| r["project_seq"] == s && r["row"] == n);
    assert_eq!(
        row("7", "2").map(|r| r["value_raw"].as_str()),
        Some("0 改善空气质量")
    );
    assert_eq!(
        row("2", "1").map(|r| r["basis"].as_str()),
        Some("《定州市2019 年农村生活污水治理实施方案》")
    );

    let flags = read_csv("flags.csv");
    let flags = of_route(&flags, route);
    let aligned: Vec<&&Row> = flags
        .iter()
        .filter(|f| f["code"] == "aligned_from_text")
        .collect();
    assert_eq!(aligned.len(), 16);
    assert!(
        aligned[0]["message"].contains("title, name, department_raw"),
        "{}",
        aligned[0]["message"]
    );
    for (code, seq, field, raw) in [
        (
            "value_contradicts_indicator",
            "16",
            "indicators[2].value",
            "<10",
        ),
        (
            "value_contradicts_indicator",
            "7",
            "indicators[0].value",
            "≤12",
        ),
        (
            "value_repeats_indicator",
            "10",
            "indicators[1].value",
            "社会影响力",
        ),
        ("indicator_value_empty", "2", "indicators[0].value", ""),
    ] {
        assert!(
            flags.iter().any(|f| f["code"] == code
                && f["project_seq"] == seq
                && f["field"] == field
                && f["raw"] == raw),
            "{code} {seq} {field}"
        );
    }
    assert_eq!(
        flags
            .iter()
            .filter(|f| f["code"] == "alignment_uncertain")
            .count(),
        0
    );
}
