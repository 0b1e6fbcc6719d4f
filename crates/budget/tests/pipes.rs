//! Web tables flattened to `|` text (real/11: one cell per line; real/14: one row per line),
//! checked against values read off the files by hand.

use std::path::Path;
use tablift_budget::{normalise, Extraction, Indicator, Op};

fn text(rel: &str) -> Extraction {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let doc = tablift_textexport::parse(rel, &bytes, &tablift_textexport::Options::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    normalise(&doc)
}

fn codes(x: &Extraction, code: &str) -> usize {
    x.flags.iter().filter(|f| f.code == code).count()
}

/// (一级, 二级, 三级, 指标值 as written, 绩效标准).
fn rows(inds: &[Indicator]) -> Vec<(&str, &str, &str, &str, &str)> {
    inds.iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.level3.as_str(),
                i.value.raw.as_str(),
                i.basis.as_str(),
            )
        })
        .collect()
}

#[test]
fn xiangtan_one_cell_per_line_gives_its_project() {
    let x = text("real/11_hn_xiangtan_2023_declform_html_pipes.txt");
    assert_eq!(x.projects.len(), 1, "{:#?}", x.projects);
    let p = &x.projects[0];
    assert_eq!(p.name.as_deref(), Some("雾炮车降尘抑尘服务"));
    assert_eq!(p.department_name.as_deref(), Some("湘潭市环境卫生管理处"));
    assert_eq!(p.unit.as_deref(), Some("万元"));
    assert_eq!(p.budget_total.raw, "250万");
    assert_eq!(p.budget_total.value, Some("250".parse().unwrap()));
    assert_eq!(p.budget_total.unit.as_deref(), Some("万元"));
    assert_eq!(p.extra.get("上级资金").map(String::as_str), Some("0"));
    assert_eq!(
        p.extra.get("实施期").map(String::as_str),
        Some("2023.07-2024.01")
    );
    let goal = "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良";
    assert_eq!(p.goals_raw, goal);
    assert_eq!(
        p.extra.get("实施期绩效目标").map(String::as_str),
        Some(goal)
    );
    let std = "计划标准";
    assert_eq!(
        rows(&p.indicators),
        [
            (
                "产出指标",
                "数量指标",
                "雾炮车降尘抑尘服务配备车辆数",
                "10辆",
                std
            ),
            ("产出指标", "数量指标", "雾炮车风炮射程", "≥80M", std),
            ("产出指标", "质量指标", "服务周期内空气质量", "优良", std),
            ("产出指标", "时效指标", "服务周期", "2023.07-2024.01", std),
            ("产出指标", "成本指标", "控制在预算成本内", "250万", std),
            (
                "效益指标",
                "社会效益指标",
                "服务周期内,市民对空气质量改善的满意程度",
                "≥85%",
                std
            ),
            (
                "效益指标",
                "社会公众或服务对象满意度指标",
                "市民满意度",
                "≥90%",
                std
            ),
        ]
    );
    let v = &p.indicators[0].value;
    assert_eq!(
        (v.number, v.unit.as_deref()),
        (Some("10".parse().unwrap()), Some("辆"))
    );
    let v = &p.indicators[6].value;
    assert_eq!(
        (v.op, v.number),
        (Some(Op::Ge), Some("90".parse().unwrap()))
    );
    // Rows that lacked their merged cells at the left were placed, and say so.
    assert!(codes(&x, "cell_placed_by_inference") >= 6, "{:#?}", x.flags);
}

#[test]
fn jingyan_long_table_subtotal_is_no_project_and_short_rows_are_placed() {
    let x = text("real/14_sc_jingyan_2023_dept_projects_longtable.txt");
    let names: Vec<_> = x.projects.iter().map(|p| p.name.as_deref()).collect();
    assert_eq!(names, [Some("村组干部报酬"), Some("基层组织活动经费")]);
    let dept = x
        .document
        .department_total
        .as_ref()
        .expect("the subtotal row");
    assert_eq!(dept.raw, "8,827,620.53");
    assert_eq!(dept.value, Some("8827620.53".parse().unwrap()));
    assert_eq!(dept.unit.as_deref(), Some("元"));

    let p = &x.projects[0];
    assert_eq!(p.department_code.as_deref(), Some("820001"));
    assert_eq!(p.department_name.as_deref(), Some("井研县马踏镇人民政府"));
    assert_eq!(p.budget_total.value, Some("3309840.00".parse().unwrap()));
    assert_eq!(p.unit.as_deref(), Some("元"));
    assert_eq!(p.goals_raw, "按时发放村组干部报酬");
    let got: Vec<_> = p
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.level3.as_str(),
                i.value.op,
                i.value.number.map(|n| n.to_string()),
                i.value.unit.as_deref(),
                i.extra.get("权重").map(String::as_str),
                i.extra.get("指标方向性").map(String::as_str),
            )
        })
        .collect();
    let ge = Some(Op::Ge);
    let n = |s: &str| Some(s.to_string());
    let w = |s| Some(s);
    let up = Some("正向指标");
    assert_eq!(
        got,
        [
            (
                "效益指标",
                "社会效益指标",
                "维护社会稳定",
                ge,
                n("95"),
                Some("%"),
                w("10"),
                up
            ),
            (
                "产出指标",
                "时效指标",
                "维持时效",
                ge,
                n("1"),
                Some("年"),
                w("20"),
                up
            ),
            (
                "产出指标",
                "质量指标",
                "按时发放",
                ge,
                n("1"),
                Some("人/年"),
                w("10"),
                up
            ),
            (
                "效益指标",
                "经济效益指标",
                "促进村集体经济发展",
                ge,
                n("95"),
                Some("%"),
                w("10"),
                up
            ),
            (
                "产出指标",
                "数量指标",
                "村组干部230人",
                ge,
                n("230"),
                Some("个"),
                w("10"),
                up
            ),
            (
                "效益指标",
                "生态效益指标",
                "保护生态环境卫生",
                ge,
                n("95"),
                Some("%"),
                w("10"),
                up
            ),
            (
                "效益指标",
                "可持续影响指标",
                "项目维持时效",
                ge,
                n("95"),
                Some("%"),
                w("10"),
                up
            ),
            (
                "满意度指标",
                "服务对象满意度指标",
                "人民群众满意度",
                ge,
                n("95"),
                Some("%"),
                w("10"),
                up
            ),
        ]
    );

    let q = &x.projects[1];
    // The unit column was merged over both projects: it is the first one's.
    assert_eq!(q.department_code.as_deref(), Some("820001"));
    assert_eq!(q.budget_total.value, Some("660000.00".parse().unwrap()));
    assert!(q.goals_raw.starts_with("包括必要的办公用品费"));
    let levels: Vec<_> = q
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level3.as_str(),
                i.value.number.map(|n| n.to_string()),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("满意度指标", "辖区内群众满意度", n("95")),
            ("效益指标", "促进农村集体经济发展", n("95")),
            ("效益指标", "经济、环境等方面可持续发展", n("95")),
            ("产出指标", "保障村社区正常运转", n("95")),
            // The excerpt is cut in this row: what it has is placed by its 一级 label.
            ("产出指标", "行政村数量", n("11")),
        ]
    );
    assert_eq!(q.indicators[4].value.op, Some(Op::Eq));
    let by_label: Vec<_> = x
        .flags
        .iter()
        .filter(|f| f.code == "cell_placed_by_inference" && f.message.contains("not by count"))
        .collect();
    assert_eq!(by_label.len(), 1, "{by_label:#?}");
    assert_eq!(by_label[0].raw, "产出指标");
}

#[test]
fn a_self_evaluation_table_is_no_target_table() {
    // The 18_… form's columns, as a scraped | table (built from real/18's header).
    let text = "2021年度中央车购税项目绩效目标自评表\n\
| 项目名称 | 普通省道改造 | | | |\n\
| 年度资金总额 | 全年预算数(A) | 全年执行数(B) | 执行率 | |\n\
| | 4000 | 4000 | 100% | |\n\
| 一级指标 | 二级指标 | 三级指标 | 指标值 | 全年实际完成值 | 未完成原因 |\n\
| 产出指标 | 数量指标 | 改造里程 | ≥20公里 | 21公里 | 无 |\n\
| 效益指标 | 社会效益指标 | 通行条件 | 改善 | 改善 | 无 |\n";
    let doc = tablift_textexport::parse("t.txt", text.as_bytes(), &Default::default()).unwrap();
    let x = normalise(&doc);
    assert!(x.projects.is_empty(), "{:#?}", x.projects);
    assert_eq!(codes(&x, "self_evaluation"), 1, "{:#?}", x.flags);
}
