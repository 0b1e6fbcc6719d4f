//! Web text with the cells of a row run together on one line (real/12, real/22) and a
//! self-evaluation (real/18). Expected values were read off the files by hand.

mod common;

use common::{fixture, flags, parse};
use tablift_budget::{Extraction, Op};

fn text(rel: &str) -> Extraction {
    parse(rel, &fixture(rel))
}

/// (一级, 二级, 三级, 指标内容, 指标值) of every row.
fn rows(x: &Extraction) -> Vec<(String, String, String, String, String)> {
    x.projects
        .first()
        .map(|p| {
            p.indicators
                .iter()
                .map(|i| {
                    (
                        i.level1.clone(),
                        i.level2.clone(),
                        i.level3.clone(),
                        i.description.clone(),
                        i.value.raw.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn row(a: &str, b: &str, c: &str, d: &str, e: &str) -> (String, String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into(), e.into())
}

fn line(o: &tablift_model::Origin) -> Option<u32> {
    o.line()
}

#[test]
fn real12_run_together_rows_give_the_project_and_its_indicators() {
    let x = text("real/12_hb_wuhan_qingshan_2020_project_simple.txt");
    assert!(x.document.recognised);
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.title, "绩效目标表");
    assert_eq!(line(&p.origin), Some(1));
    assert_eq!(p.code, None);
    assert_eq!(p.name.as_deref(), Some("农村义务教育薄弱学校改造补助资金"));
    assert_eq!(p.department_name.as_deref(), Some("青山区教育局"));
    assert_eq!(
        p.extra.get("项目执行单位").map(String::as_str),
        Some("化工区学校")
    );
    assert_eq!(p.unit.as_deref(), Some("万元"));
    assert_eq!(p.budget_total.raw, "16");
    assert_eq!(p.budget_total.value, Some(16.into()));
    assert_eq!(line(&p.budget_total.origin), Some(7));
    // `其中:上级资金16`: funds from the level above, not a field of the form: kept as written,
    // never guessed into 财政资金.
    assert_eq!(p.budget_fiscal.raw, "");
    assert_eq!(p.extra.get("上级资金").map(String::as_str), Some("16"));
    assert_eq!(
        p.goals_raw,
        "全面改善农村义务教育薄弱学校办学条件,扩大基础教育资源,进一步提高义务教育均衡发展水平。"
    );
    // Header 一级/二级/指标内容/指标值: the third column is 指标内容 (a description column).
    assert_eq!(
        rows(&x),
        [
            row(
                "产出指标",
                "数量指标",
                "",
                "农村义务教育学校改造覆盖率",
                "100%"
            ),
            row("产出指标", "质量指标", "", "校舍维修改造质量合格率", "100%"),
            row("产出指标", "质量指标", "", "购置设施设备质量合格率", "100%"),
            row("产出指标", "时效指标", "", "预算资金当年下达率", "100%"),
            row("产出指标", "时效指标", "", "项目按计划完成率", "100%"),
            row("产出指标", "成本指标", "", "建设项目成本控制率", "100%"),
            // `义务教育优质均衡发展情况稳步提高`: a qualitative value run into its indicator.
            row("效益指标", "可持续影响指标", "", "", ""),
            row(
                "效益指标",
                "社会公众或服务对象满意度指标",
                "",
                "学生家长满意度",
                "≥90%"
            ),
            row(
                "效益指标",
                "社会公众或服务对象满意度指标",
                "",
                "学校满意度",
                "≥90%"
            ),
        ]
    );
    let v = &p.indicators[7].value;
    assert_eq!((v.op, v.number), (Some(Op::Ge), Some(90.into())));
    assert_eq!(line(&v.origin), Some(21));
    assert_eq!(line(&p.indicators[0].origin), Some(14));
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].field, "indicators[6]");
    assert_eq!(u[0].raw, "义务教育优质均衡发展情况稳步提高");
    assert!(u[0].message.contains("稳步提高 / 提高"), "{}", u[0].message);
    assert_eq!(line(&u[0].origin), Some(20));
    assert_eq!(flags(&x, "aligned_from_text").len(), 1);
    assert_eq!(flags(&x, "field_not_aligned").len(), 0);
    assert_eq!(flags(&x, "form_labels_outside_tables").len(), 0);
}

#[test]
fn real22_long_table_gives_the_project_not_the_unit_row() {
    let x = text("real/22_hn_xiangxi_2023_project_table_scoring_cols.txt");
    assert!(x.document.recognised);
    // `505006州民族特殊教育学校30.00` is the unit's subtotal row; the project is the row below.
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.title, "2023年项目支出绩效目标表公开");
    assert_eq!(p.name.as_deref(), Some("学生伙食费"));
    assert_eq!(p.code, None);
    assert_eq!(p.department_code.as_deref(), Some("505"));
    assert_eq!(p.department_name.as_deref(), Some("湘西州教育和体育局"));
    assert_eq!(p.extra.get("单位代码").map(String::as_str), Some("505006"));
    assert_eq!(
        p.extra.get("单位(专项)名称").map(String::as_str),
        Some("州民族特殊教育学校")
    );
    assert_eq!(p.unit.as_deref(), Some("万元"));
    assert_eq!(p.budget_total.raw, "30.00");
    assert_eq!(
        p.budget_total.value,
        Some("30.00".parse().unwrap_or_default())
    );
    assert_eq!(line(&p.budget_total.origin), Some(20));
    assert_eq!(p.goals_raw, "");
    assert_eq!(
        rows(&x),
        [
            // `17元/人.每天反映…`: the unit runs into the next cell: value left empty.
            row("成本指标", "经济成本指标", "学生补助标准", "", ""),
            row("成本指标", "生态环境成本指标", "", "", ""),
            row("成本指标", "社会成本指标", "", "", ""),
            row(
                "满意度指标",
                "服务对象满意度指标",
                "学生对学校伙食得满意度",
                "",
                "95%以上"
            ),
            row("产出指标", "数量指标", "补助学生数量", "", "168"),
            row("产出指标", "质量指标", "伙食补助发放率", "", "90%以上"),
            row("产出指标", "质量指标", "伙食补助资金到位率", "", "90%以上"),
            row("产出指标", "质量指标", "伙食补助覆盖率", "", "90%以上"),
            row("产出指标", "时效指标", "任务完成时间", "", "2023年12月31日"),
            row("效益指标", "经济效益指标", "", "", ""),
            row("效益指标", "社会效益指标", "残疾学生入学率", "", "大于90%"),
            // Qualitative values run into their indicators, no number: not split.
            row("效益指标", "社会效益指标", "", "", ""),
            row("效益指标", "社会效益指标", "", "", ""),
            row("效益指标", "生态效益指标", "", "", ""),
            row("效益指标", "可持续影响指标", "", "", ""),
        ]
    );
    // The closed-value columns at the right end: 度量单位 `-`, 指标值类型 定量/定性.
    let types: Vec<&str> = p
        .indicators
        .iter()
        .map(|i| i.extra.get("指标值类型").map_or("", String::as_str))
        .collect();
    assert_eq!(
        types,
        [
            "定量", "定性", "定性", "定性", "定量", "定量", "定量", "定量", "定量", "定性", "定量",
            "定性", "定性", "定性", "定性"
        ]
    );
    assert!(p
        .indicators
        .iter()
        .all(|i| i.extra.get("度量单位").map(String::as_str) == Some("-")));
    let v = &p.indicators[10].value;
    assert_eq!((v.op, v.number), (Some(Op::Gt), Some(90.into())));
    // Every uncertainty is flagged where it is, with the text.
    let u: Vec<(&str, u32)> = flags(&x, "alignment_uncertain")
        .iter()
        .map(|f| (f.field.as_str(), line(&f.origin).unwrap_or(0)))
        .collect();
    assert_eq!(
        u,
        [
            ("indicators[0].value", 21),
            ("indicators[11]", 44),
            ("indicators[12]", 45)
        ]
    );
    // The content and scoring cells after each value are not split: flagged, not placed.
    let n: Vec<&str> = flags(&x, "field_not_aligned")
        .iter()
        .map(|f| f.raw.as_str())
        .collect();
    assert_eq!(n.len(), 7);
    assert_eq!(
        n[2],
        "实际发放伙食补助金额/应发放伙食补助金额9%0得10分,每减少1%扣1分"
    );
    assert_eq!(flags(&x, "aligned_from_text").len(), 1);
    // The title, department, header and unit lines were read: not narrative.
    let narrative: Vec<&str> = x
        .document
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.iter().map(String::as_str))
        .collect();
    for line in [
        "2023年项目支出绩效目标表公开",
        "部门:505_湘西州教育和体育局金额单位:万元",
        "505006州民族特殊教育学校30.00",
    ] {
        assert!(!narrative.contains(&line), "{line} left in the narrative");
    }
}

#[test]
fn real18_self_evaluation_is_recognised_and_gives_no_targets() {
    let x = text("real/18_sc_langzhong_2021_selfeval_variant.txt");
    assert!(x.projects.is_empty());
    let s = flags(&x, "self_evaluation");
    assert_eq!(s.len(), 1);
    assert_eq!(
        s[0].raw,
        "中央车购税对地方补助资金绩效目标自评表 (普通省道和农村公路)"
    );
    assert!(s[0].message.contains("全年实际完成值"));
    assert_eq!(line(&s[0].origin), Some(1));
    assert_eq!(flags(&x, "aligned_from_text").len(), 0);
}

/// A target table mentioning 预算执行率 (a common indicator) is not a self-evaluation.
#[test]
fn a_target_table_with_an_execution_rate_indicator_is_not_a_self_evaluation() {
    let x = parse(
        "t.txt",
        "绩效目标表\n项目名称甲项目\n绩效指标一级指标二级指标指标内容指标值\n产出指标时效指标预算执行率100%\n"
            .as_bytes(),
    );
    assert_eq!(flags(&x, "self_evaluation").len(), 0);
    assert_eq!(x.projects.len(), 1);
    assert_eq!(
        rows(&x),
        [row("产出指标", "时效指标", "", "预算执行率", "100%")]
    );
}

fn one_row(row_text: &str, header: &str) -> Extraction {
    let src = format!("绩效目标表\n项目名称甲项目\n{header}\n{row_text}\n");
    parse("x.txt", src.as_bytes())
}

const GRID4: &str = "绩效指标一级指标二级指标三级指标指标值";
const GRID_WIDE: &str =
    "一级指标二级指标三级指标指标值指标值内容评(扣分标准)度量单位指标值类型备注";

/// Ambiguity: a qualitative value run into its indicator (no number to split at).
#[test]
fn ambiguity_qualitative_value_is_flagged_not_split() {
    let x = one_row("效益指标社会效益指标群众出行条件明显改善", GRID4);
    assert_eq!(rows(&x), [row("效益指标", "社会效益指标", "", "", "")]);
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].raw, "群众出行条件明显改善");
    assert!(u[0].message.contains("明显改善 / 改善"));
}

/// Ambiguity: a unit that runs on into the next cell (`元/人.每天…`).
#[test]
fn ambiguity_unit_running_on_is_flagged_value_left_empty() {
    let x = one_row(
        "产出指标数量指标补助标准17元/人.每天反映标准-定量",
        GRID_WIDE,
    );
    assert_eq!(rows(&x), [row("产出指标", "数量指标", "补助标准", "", "")]);
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].field, "indicators[0].value");
    assert!(u[0].message.contains("17元…"));
}

/// Ambiguity: the only numbers are scores (`得10分`): never taken for the value.
#[test]
fn ambiguity_score_is_not_a_value() {
    let x = one_row(
        "效益指标社会效益指标负担有所减轻减轻较大得10分-定性",
        GRID_WIDE,
    );
    assert_eq!(rows(&x), [row("效益指标", "社会效益指标", "", "", "")]);
    assert_eq!(flags(&x, "alignment_uncertain").len(), 1);
}

/// Cells after the value that no pattern separates (content, scoring rule): not placed.
#[test]
fn cells_after_the_value_are_flagged_not_placed() {
    let x = one_row("产出指标数量指标补助人数168反映人数得10分-定量", GRID_WIDE);
    assert_eq!(
        rows(&x),
        [row("产出指标", "数量指标", "补助人数", "", "168")]
    );
    let n = flags(&x, "field_not_aligned");
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].field, "indicators[0].extra");
    assert_eq!(n[0].raw, "反映人数得10分");
}

/// An amount label followed by text that is no amount: the amount stays empty, flagged.
#[test]
fn an_amount_label_with_words_is_flagged_not_placed() {
    let src = "绩效目标表\n项目名称甲项目\n年度资金总额:另行安排\n绩效指标一级指标二级指标三级指标指标值\n产出指标数量指标覆盖率100%\n";
    let x = parse("x.txt", src.as_bytes());
    assert_eq!(x.projects.len(), 1);
    assert_eq!(x.projects[0].budget_total.raw, "");
    let n = flags(&x, "field_not_aligned");
    assert_eq!(n.len(), 1);
    assert_eq!(
        (n[0].field.as_str(), n[0].raw.as_str()),
        ("budget_total", "另行安排")
    );
}

/// Every prefix of the real excerpts (a web page cut anywhere, as the truncated ones are):
/// the aligner never panics, and what it reads is always flagged as aligned.
#[test]
fn cut_excerpts_never_panic() {
    for rel in [
        "real/01_sh_putuo_jgw_2026_declform.txt",
        "real/12_hb_wuhan_qingshan_2020_project_simple.txt",
        "real/18_sc_langzhong_2021_selfeval_variant.txt",
        "real/22_hn_xiangxi_2023_project_table_scoring_cols.txt",
    ] {
        let bytes = fixture(rel);
        let text = String::from_utf8_lossy(&bytes);
        let cuts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .step_by(5)
            .collect();
        for at in cuts {
            let x = parse(rel, text.get(..at).unwrap_or("").as_bytes());
            assert_eq!(
                flags(&x, "aligned_from_text").len(),
                x.projects.len(),
                "{rel} cut at {at}"
            );
        }
    }
}
