//! The seed disclosure, checked field by field against values read off the fixture by hand.

mod common;

use rust_decimal::Decimal;
use std::str::FromStr;
use tablift_budget::{normalise, Extraction, Op};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// (title, code, name, budget, use of funds, plan 3/6/10/12月底)
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 4],
);

const PROJECTS: &[Expected] = &[
    (
        "1、2020年中央大气污染防治资金绩效目标表",
        "467-0201-YCN-4OK6",
        "2020年中央大气污染防治资金",
        "4621.00",
        "大气污染治理各项工作",
        ["25.00", "55.00", "75.00", "100.00"],
    ),
    (
        "2、2020年中央农村环境整治资金绩效目标表",
        "467-0302-YCN-XDCZ",
        "2020年中央农村环境整治资金",
        "306.00",
        "用于农村生活污水得到治理",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "3、第二次污染源普查经费绩效目标表",
        "467-0801-YZN-LOYG",
        "第二次污染源普查经费",
        "20.00",
        "保障第二次污染源普查工作的开展",
        ["20.00", "50.00", "70.00", "100.00"],
    ),
    (
        "4、环保专项管理绩效目标表",
        "467-0602-YBN-E8OQ",
        "环保专项管理",
        "300.00",
        "保障2020工作开展",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "5、环境监控中心房屋租赁、监测、耗材等绩效目标表",
        "467-0101-JCN-CM6I",
        "环境监控中心房屋租赁、监测、耗材等",
        "395.90",
        "保障环境监控中心2020年工作开展。",
        ["5.00", "10.00", "20.00", "100.00"],
    ),
    (
        "6、环境污染举报奖励绩效目标表",
        "467-0501-JCN-YZTU",
        "环境污染举报奖励",
        "6.00",
        "奖励符合举报奖励的群众。",
        ["10.00", "30.00", "60.00", "100.00"],
    ),
    (
        "7、空气质量排名奖励绩效目标表",
        "467-0201-JCN-6A74",
        "空气质量排名奖励",
        "108.00",
        "奖励空气质量好的乡镇",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "8、空气质量站点设备更换资金绩效目标表",
        "467-0101-YCN-O5I2",
        "空气质量站点设备更换资金",
        "59.00",
        "保障省控监测站点正常运行",
        ["25.00", "50.00", "100.00", ""],
    ),
    (
        "9、孟良河微生态复育修育项目绩效目标表",
        "467-0205-YCN-NFGQ",
        "孟良河微生态复育修育项目",
        "4.00",
        "支付第三方竣工验收资金。",
        ["", "50.00", "80.00", "100.00"],
    ),
    (
        "10、农村环境整治项目绩效目标表",
        "467-0302-YSN-QCTF",
        "农村环境整治项目",
        "1906.00",
        "用于改善农村生活环境",
        ["", "", "", "100.00"],
    ),
    (
        "11、生态补偿金绩效目标表",
        "467-0205-YSN-0NTT",
        "生态补偿金",
        "565.00",
        "用于农村污水治理。",
        ["", "", "", "100.00"],
    ),
    (
        "12、生态环境局精神文明奖绩效目标表",
        "467-0602-YCN-16C7",
        "生态环境局精神文明奖",
        "107.64",
        "发放人员精神文明奖",
        ["100.00", "", "", ""],
    ),
    (
        "13、塑料行业机构验收绩效目标表",
        "467-0201-YCN-T2V5",
        "塑料行业机构验收",
        "104.40",
        "用于塑料行业第三方专业技术验收",
        ["", "", "", "100.00"],
    ),
    (
        "14、招商引资工作经费绩效目标表",
        "467-0602-YCN-GWS7",
        "招商引资工作经费",
        "10.00",
        "用于完成市委市政府安排部署的招商引资任务",
        ["", "", "", "100.00"],
    ),
    (
        "15、重点污染源在线监测运维费及视频专线通信费绩效目标表",
        "467-0103-JCN-DMSL",
        "重点污染源在线监测运维费及视频专线通信费",
        "110.00",
        "付重点污染源自动在线设备及视频专线通信费",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
    (
        "16、专项人员经费绩效目标表",
        "467-0602-YCN-FVOI",
        "专项人员经费",
        "204.14",
        "保障退役安置人员和劳务派遣人员工资及保险",
        ["25.00", "50.00", "75.00", "100.00"],
    ),
];

/// Indicator values per project, rows 1..=3, as written in the fixture.
const VALUES: &[[&str; 3]] = &[
    ["≥60", "得到群众认可", "≥60"],
    ["", "得到群众认可", ""],
    [">10", "工作完成情况", ">60"],
    ["按要求开展活动", "提高社会影响力", ">50"],
    [">10", "", ">10"],
    ["鼓励群众举报非法排污企业", "推动企业合法以规生产", ">20"],
    ["≤12", "0改善空气质量", "50"],
    ["80", "测量空气质量，为大气治理提供数据保障", ""],
    [">20", "完成验收", ">20"],
    [">50", "社会影响力", ">70"],
    [">70", "得到群众认可", ">70"],
    [">70", ">70", ">70"],
    [">70", "达到绿色产业标准", ">70"],
    [">50", "提高社会影响力", ">70"],
    ["", "得到群众认可", ""],
    [">70", ">10", "<10"],
];

/// Checks every route of the seed must pass.
pub fn check_seed(x: &Extraction, with_tc: bool) {
    let doc = &x.document;
    assert!(doc.recognised);
    assert_eq!(doc.department_code.as_deref(), Some("467002"));
    assert_eq!(doc.department_name.as_deref(), Some("定州市生态环境局"));
    assert_eq!(
        doc.department_raw.as_deref(),
        Some("467002定州市生态环境局")
    );
    assert_eq!(doc.unit.as_deref(), Some("万元"));
    assert_eq!(doc.year, Some(2020));

    assert_eq!(x.projects.len(), 16);
    let months = [3u8, 6, 10, 12];
    for (i, (p, exp)) in x.projects.iter().zip(PROJECTS).enumerate() {
        let (title, code, name, budget, use_of_funds, plan) = exp;
        assert_eq!(p.seq as usize, i + 1);
        assert_eq!(p.title, *title, "project {}", i + 1);
        if with_tc {
            assert_eq!(p.tc_entry.as_deref(), Some(*title));
        }
        assert_eq!(p.code.as_deref(), Some(*code));
        assert_eq!(p.name.as_deref(), Some(*name));
        assert_eq!(p.department_code.as_deref(), Some("467002"));
        assert_eq!(p.department_name.as_deref(), Some("定州市生态环境局"));
        assert_eq!(p.unit.as_deref(), Some("万元"));
        assert_eq!(p.budget_total.raw, *budget);
        assert_eq!(p.budget_total.value, Some(d(budget)));
        assert_eq!(p.budget_total.unit.as_deref(), Some("万元"));
        assert_eq!(p.budget_fiscal.raw, *budget);
        assert_eq!(p.budget_fiscal.value, Some(d(budget)));
        assert_eq!(p.budget_other.raw, "");
        assert_eq!(p.budget_other.value, None);
        assert_eq!(p.use_of_funds, *use_of_funds);
        assert_eq!(p.plan.len(), 4, "project {}", i + 1);
        for (k, pt) in p.plan.iter().enumerate() {
            assert_eq!(pt.label, format!("{}月底", months[k]));
            assert_eq!(pt.month, Some(months[k]));
            assert_eq!(pt.raw, plan[k], "project {} plan {k}", i + 1);
            assert_eq!(pt.percent, (!plan[k].is_empty()).then(|| d(plan[k])));
        }
        assert_eq!(p.goals.len(), 2, "project {}", i + 1);
        assert_eq!(p.goals[0].number, Some(1));
        assert_eq!(p.goals[1].number, Some(2));
        assert_eq!(p.indicators.len(), 3, "project {}", i + 1);
        for (k, ind) in p.indicators.iter().enumerate() {
            assert_eq!(ind.row as usize, k + 1);
            assert_eq!(
                ind.value.raw,
                VALUES[i][k],
                "project {} row {}",
                i + 1,
                k + 1
            );
            assert_eq!(ind.level1, ["产出指标", "效果指标", "满意度指标"][k]);
            assert!(ind.extra.is_empty());
        }
        assert_eq!(p.indicators[2].level2, "服务对象满意度指标");
        assert_eq!(p.indicators[2].description, "群众满意数量占总数的比例。");
        assert!(p.extra.is_empty());
    }
    let total: usize = x.projects.iter().map(|p| p.indicators.len()).sum();
    assert_eq!(total, 48);

    // Project 1 in full.
    let p1 = &x.projects[0];
    assert_eq!(
        p1.goals_raw,
        "1、完成上级下达的机动车污染治理任务\n2、完成上级下达的大气污染治理任务"
    );
    assert_eq!(p1.goals[0].text, "完成上级下达的机动车污染治理任务");
    assert_eq!(p1.goals[1].raw, "2、完成上级下达的大气污染治理任务");
    let i1 = &p1.indicators[0];
    assert_eq!(
        (i1.level1.as_str(), i1.level2.as_str(), i1.level3.as_str()),
        ("产出指标", "时效指标", "完成率")
    );
    assert_eq!(
        i1.description,
        "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）"
    );
    assert_eq!(
        (
            i1.value.op,
            i1.value.number,
            i1.value.unit.as_deref(),
            i1.value.text.as_deref()
        ),
        (Some(Op::Ge), Some(d("60")), None, None)
    );
    assert_eq!(i1.basis, "");
    let i2 = &p1.indicators[1];
    assert_eq!(
        (i2.value.op, i2.value.number, i2.value.text.as_deref()),
        (None, None, Some("得到群众认可"))
    );
    assert_eq!(
        x.projects[1].indicators[0].basis,
        "《定州市2019年农村生活污水治理实施方案》"
    );
    assert_eq!(x.projects[4].goals[1].text, "按仪器有效期定期检定监测仪器设备，确保仪器使用有效。按照监测任务及时更新补充试剂耗材，确保试剂耗材满足监测工作要求。");

    let v = |p: usize, r: usize| &x.projects[p - 1].indicators[r - 1].value;
    assert_eq!((v(3, 1).op, v(3, 1).number), (Some(Op::Gt), Some(d("10"))));
    assert_eq!(
        (v(16, 3).op, v(16, 3).number),
        (Some(Op::Lt), Some(d("10")))
    );
    assert_eq!((v(7, 1).op, v(7, 1).number), (Some(Op::Le), Some(d("12"))));
    assert_eq!(
        (v(7, 3).op, v(7, 3).number, v(7, 3).text.as_deref()),
        (None, Some(d("50")), None)
    );
    assert_eq!(
        (v(7, 2).op, v(7, 2).number, v(7, 2).text.as_deref()),
        (None, Some(d("0")), Some("改善空气质量"))
    );
    assert_eq!(
        (v(2, 1).op, v(2, 1).number, v(2, 1).text.as_deref()),
        (None, None, None)
    );
    assert_eq!(x.projects[15].indicators[0].level3, "扶助资金到位率");
    assert_eq!(x.projects[8].indicators[1].level2, "生态效益指标");

    // Flags: exactly these, in project order.
    let flags: Vec<(&str, u32, &str, &str)> = x
        .flags
        .iter()
        .map(|f| {
            (
                f.code.as_str(),
                f.project_seq.unwrap(),
                f.field.as_str(),
                f.raw.as_str(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        vec![
            ("indicator_value_empty", 2, "indicators[0].value", ""),
            ("indicator_value_empty", 2, "indicators[2].value", ""),
            ("indicator_value_empty", 5, "indicators[1].value", ""),
            (
                "value_contradicts_indicator",
                7,
                "indicators[0].value",
                "≤12"
            ),
            ("indicator_value_empty", 8, "indicators[2].value", ""),
            (
                "value_repeats_indicator",
                10,
                "indicators[1].value",
                "社会影响力"
            ),
            (
                "value_repeats_indicator",
                13,
                "indicators[1].value",
                "达到绿色产业标准"
            ),
            ("indicator_value_empty", 15, "indicators[0].value", ""),
            ("indicator_value_empty", 15, "indicators[2].value", ""),
            (
                "value_contradicts_indicator",
                16,
                "indicators[2].value",
                "<10"
            ),
        ]
    );
    assert_eq!(
        x.flags[3].project_code.as_deref(),
        Some("467-0201-JCN-6A74")
    );
}

/// The narrative, identical in every text route (apart from TC entries and origins).
pub fn check_sections(x: &Extraction) {
    let s = &x.document.sections;
    let headings: Vec<&str> = s.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "第一部分 部门整体绩效目标",
            "一、总体绩效目标",
            "二、分项绩效目标",
            "1.环境质量明显改善",
            "2.治污减排",
            "3.风险管控",
            "三、工作保障措施",
            "1.营造良好的环境保护工作浓厚氛围",
            "2.以思想纪律作风整顿为抓手，强化培训，努力打造一支纪律严明、业务精通、作风优良、清正廉洁的环保执法队伍。",
            "3.制度建设和政策创新",
            "第二部分 预算项目绩效目标",
        ]
    );
    assert_eq!(
        s[3].heading_path,
        [
            "第一部分 部门整体绩效目标",
            "二、分项绩效目标",
            "1.环境质量明显改善"
        ]
    );
    assert_eq!(s[10].heading_path, ["第二部分 预算项目绩效目标"]);
    assert_eq!(
        s[2].paragraphs,
        [
            "定州市生态环境局",
            "2020年度职责分类绩效目标情况说明",
            "职责分类绩效目标："
        ]
    );
    assert_eq!(s[3].items.len(), 3);
    assert!(s[3].items[2].starts_with("三是认真贯彻落实"));
    assert_eq!(s[5].paragraphs.len(), 6);
    assert_eq!(s[5].items.len(), 5);
    assert_eq!(
        s[8].items.len(),
        3,
        "inline 一是/二是/三是 in one paragraph"
    );
    assert_eq!(
        s[8].items[1].chars().take(6).collect::<String>(),
        "二是完善制度"
    );
    assert!(s[10].paragraphs.is_empty(), "{:?}", s[10].paragraphs);
    for (i, sec) in s.iter().enumerate() {
        assert_eq!(sec.index as usize, i);
    }
}

#[test]
fn seed_cell_per_line_golden() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/seed/seed.tika-doc.txt"
    ))
    .unwrap();
    let doc = common::read_cell_per_line(&text);
    let x = normalise(&doc);
    check_seed(&x, true);
    check_sections(&x);
    assert_eq!(
        x.document.sections[1].tc_entry.as_deref(),
        Some("总体绩效目标")
    );
    assert_eq!(x.document.sections[1].tc_level, Some(1));
    // Deterministic.
    assert_eq!(normalise(&doc), x);
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../fixtures/seed/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Sections without what one layout cannot carry (TC fields are dropped by Tika on .docx) and
/// without origins.
fn comparable(x: &Extraction) -> Vec<tablift_budget::Section> {
    x.document
        .sections
        .iter()
        .map(|s| tablift_budget::Section {
            tc_entry: None,
            tc_level: None,
            origin: Default::default(),
            ..s.clone()
        })
        .collect()
}

#[test]
fn seed_row_per_line_matches_cell_per_line() {
    let a = normalise(&common::read_cell_per_line(&fixture("seed.tika-doc.txt")));
    let b = normalise(&common::read_row_per_line(&fixture("seed.tika-docx.txt")));
    check_seed(&b, false);
    check_sections(&b);
    assert!(b.projects.iter().all(|p| p.tc_entry.is_none()));
    assert_eq!(comparable(&a), comparable(&b));
    // Projects agree apart from TC entries and origins.
    let strip = |x: &Extraction| -> Vec<String> {
        x.projects
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.tc_entry = None;
                p.strip_origins();
                format!("{p:?}")
            })
            .collect()
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn seed_utf16le_matches() {
    let bytes = std::fs::read(format!(
        "{}/../../fixtures/seed/seed.utf16le.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap().replace("\r\n", "\n");
    let x = normalise(&common::read_cell_per_line(&text));
    check_seed(&x, true);
    check_sections(&x);
}

// ---------------------------------------------------------------------------------------------
// End to end through the real readers: every route of the seed must pass the same golden
// checks and yield identical projects.

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/seed/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn via_text(name: &str) -> Extraction {
    let doc = tablift_textexport::parse(
        name,
        &fixture_bytes(name),
        &tablift_textexport::Options::default(),
    )
    .unwrap();
    normalise(&doc)
}

fn via_docx(name: &str) -> Extraction {
    let doc =
        tablift_docx::read(name, &fixture_bytes(name), &tablift_docx::Limits::default()).unwrap();
    normalise(&doc)
}

fn via_doc(name: &str) -> Extraction {
    let doc =
        tablift_doc::read(name, &fixture_bytes(name), &tablift_doc::Limits::default()).unwrap();
    normalise(&doc)
}

/// Projects without origins, and without TC entries where `tc` is false.
fn projects_comparable(x: &Extraction, tc: bool) -> Vec<tablift_budget::Project> {
    let mut projects = x.projects_without_origins();
    if !tc {
        projects.iter_mut().for_each(|p| p.tc_entry = None);
    }
    projects
}

#[test]
fn e2e_tika_doc() {
    let x = via_text("seed.tika-doc.txt");
    assert_eq!(x.document.layout.as_deref(), Some("cell_per_line"));
    check_seed(&x, true);
    check_sections(&x);
    assert_eq!(x.document.sections[1].tc_level, Some(1));
}

#[test]
fn e2e_gb18030() {
    let x = via_text("seed.gb18030.txt");
    assert_eq!(x.document.encoding.as_deref(), Some("GB18030"));
    check_seed(&x, true);
    check_sections(&x);
}

#[test]
fn e2e_utf16le() {
    let x = via_text("seed.utf16le.txt");
    assert_eq!(x.document.encoding.as_deref(), Some("UTF-16LE"));
    check_seed(&x, true);
    check_sections(&x);
}

#[test]
fn e2e_tika_docx() {
    let x = via_text("seed.tika-docx.txt");
    assert_eq!(x.document.layout.as_deref(), Some("row_per_line"));
    check_seed(&x, false);
    check_sections(&x);
}

#[test]
fn e2e_text_routes_identical() {
    let base = via_text("seed.tika-doc.txt");
    for name in ["seed.gb18030.txt", "seed.utf16le.txt"] {
        let x = via_text(name);
        assert_eq!(
            projects_comparable(&x, true),
            projects_comparable(&base, true),
            "{name}"
        );
        assert_eq!(comparable(&x), comparable(&base), "{name}");
    }
    let x = via_text("seed.tika-docx.txt");
    assert_eq!(
        projects_comparable(&x, false),
        projects_comparable(&base, false)
    );
    assert_eq!(comparable(&x), comparable(&base));
}

#[test]
fn e2e_docx() {
    let x = via_docx("seed.docx");
    assert_eq!(x.document.format, "docx");
    check_seed(&x, true);
    check_sections(&x);
}

#[test]
fn e2e_libreoffice_docx() {
    let x = via_docx("seed.libreoffice.docx");
    check_seed(&x, true);
    check_sections(&x);
}

#[test]
fn e2e_doc() {
    let x = via_doc("seed.doc");
    check_seed(&x, true);
    check_sections(&x);
}

/// All seven routes: projects identical in every field but origins (TC entries compared only
/// between routes that carry them).
#[test]
fn e2e_seven_routes_identical() {
    let base = via_text("seed.tika-doc.txt");
    let with_tc = [
        via_text("seed.gb18030.txt"),
        via_text("seed.utf16le.txt"),
        via_docx("seed.docx"),
        via_docx("seed.libreoffice.docx"),
        via_doc("seed.doc"),
    ];
    for x in &with_tc {
        assert_eq!(
            projects_comparable(x, true),
            projects_comparable(&base, true),
            "{}",
            x.document.source
        );
        assert_eq!(comparable(x), comparable(&base), "{}", x.document.source);
    }
    let x = via_text("seed.tika-docx.txt");
    assert_eq!(
        projects_comparable(&x, false),
        projects_comparable(&base, false)
    );
}

/// The flattened LibreOffice export: no table marks. The aligner (crates/budget/src/align.rs)
/// rebuilds the projects from the order of lines, the empty cells from the gaps between line
/// numbers; it says so per project (`aligned_from_text`) instead of `form_labels_outside_tables`.
/// Field by field against seed.docx: tests/align.rs.
#[test]
fn e2e_libreoffice_flattened_is_aligned() {
    let x = via_text("seed.libreoffice.txt");
    assert_eq!(x.document.layout.as_deref(), Some("flattened"));
    assert!(x.document.recognised);
    assert_eq!(x.projects.len(), 16);
    let codes: Vec<&str> = x.flags.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "aligned_from_text").count(),
        16
    );
    assert!(!codes.contains(&"form_labels_outside_tables"));
    assert!(!codes.contains(&"not_a_budget_disclosure"));
}
