//! Packed PDF text of a declaration form (real/01: one label or value per line, no blank
//! lines, cells wrapped mid-word, a page break, two money columns, 成本指标 first). Expected
//! values were read off the file by hand.

mod common;

use common::{fixture, flags, parse};
use tablift_budget::Op;

fn extra<'p>(p: &'p tablift_budget::Project, k: &str) -> Option<&'p str> {
    p.extra.get(k).map(String::as_str)
}

#[test]
fn real01_declaration_form_gives_its_project_and_rows() {
    let x = parse(
        "real/01_sh_putuo_jgw_2026_declform.txt",
        &fixture("real/01_sh_putuo_jgw_2026_declform.txt"),
    );
    assert!(x.document.recognised);
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.title, "财政项目支出绩效目标申报表");
    assert_eq!(p.origin.line(), Some(22));
    assert_eq!(p.code, None);
    // `兰溪路-真南路下立交工` / `程`: one cell wrapped over two lines.
    assert_eq!(p.name.as_deref(), Some("兰溪路-真南路下立交工程"));
    assert_eq!(
        p.department_name.as_deref(),
        Some("上海市普陀区建设和管理委员会")
    );
    assert_eq!(extra(p, "项目性质"), Some("阶段性项目"));
    assert_eq!(extra(p, "项目类别"), Some("特定目标类"));
    assert_eq!(extra(p, "实施单位"), Some("上海市普陀区市政工程建设中心"));
    assert_eq!(extra(p, "计划开始日期"), Some("2026/1/1"));
    assert_eq!(extra(p, "计划完成日期"), Some("2027/12/31"));
    // `项目资金` / `（元）`: the table is in 元 (the prose above it uses 万元).
    assert_eq!(p.unit.as_deref(), Some("元"));
    // Two money columns: the year's (年度资金申请总额) gives the budget fields; the project's
    // total over its years (项目资金总额) goes to `extra`, never into them.
    assert_eq!(p.budget_total.raw, "226,145,100.00");
    assert_eq!(p.budget_total.value, Some(226_145_100.into()));
    assert_eq!(p.budget_total.origin.line(), Some(45));
    assert_eq!(p.budget_fiscal.raw, "226,145,100.00");
    assert_eq!(p.budget_fiscal.origin.line(), Some(49));
    assert_eq!(p.budget_other.raw, "0");
    assert_eq!(p.budget_other.origin.line(), Some(54));
    assert_eq!(extra(p, "上年结转资金"), Some("0"));
    assert_eq!(extra(p, "项目资金总额"), Some("771,325,800.00"));
    assert_eq!(
        extra(p, "项目资金总额/其中：财政资金"),
        Some("771,325,800.00")
    );
    assert_eq!(extra(p, "项目资金总额/其他资金"), Some("0"));
    // 项目总目标 and 年度总体目标 side by side, then both texts: split at the sentence end. The
    // whole period's goals are kept under the vocabulary's key, as a table of the form gives them.
    assert_eq!(
        extra(p, "实施期绩效目标"),
        Some("为居民出行提供快速便捷的通道，完善、提高了路网服务功能分流中环路的交通压力、强化铁路两侧的片区的交通联系，支撑区域一体化发展。")
    );
    assert_eq!(
        p.goals_raw,
        "积极推进项目前期征收工作，年内开展管线搬迁及维护结构施工。"
    );
    let rows: Vec<(&str, &str, &str, &str)> = p
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.level3.as_str(),
                i.value.raw.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            // `生态环境` / `成本指标`: the 二级 wrapped; its 一级 cell is not in the text, and
            // 生态环境成本指标 is only ever under 成本指标.
            ("成本指标", "生态环境成本指标", "文明施工情况", "可控"),
            ("产出指标", "数量指标", "道路建设长度", "985米"),
            ("产出指标", "质量指标", "项目验收达标率", "=100.00(%)"),
            ("产出指标", "时效指标", "项目完成及时性", "及时"),
            ("效益指标", "社会效益指标", "道路安全隐患减少情况", "减少"),
            ("效益指标", "社会效益指标", "道路景观提升情况", "提升"),
            ("效益指标", "社会效益指标", "道路通行能力提升情况", "提升"),
            ("效益指标", "可持续影响指标", "长效管理制度健全性", "健全"),
            (
                "满意度指标",
                "服务对象满意度指标",
                "居民群众满意度",
                "≥90.00(%)"
            ),
        ]
    );
    let v = &p.indicators[8].value;
    assert_eq!(
        (v.op, v.number),
        (Some(Op::Ge), Some("90.00".parse().unwrap_or_default()))
    );
    assert_eq!(v.origin.line(), Some(102));
    assert_eq!(flags(&x, "aligned_from_text").len(), 1);
    assert_eq!(flags(&x, "field_not_aligned").len(), 0);
    assert_eq!(flags(&x, "alignment_uncertain").len(), 0);
    // The prose before the form stays narrative.
    assert!(x
        .document
        .sections
        .iter()
        .any(|s| s.paragraphs.iter().any(|t| t.contains("普建委[2025]127号"))));
    // Every line read into the project, wrapped pieces too, is out of the narrative.
    let narrative: Vec<&str> = x
        .document
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.iter().map(String::as_str))
        .collect();
    for piece in [
        "程",
        "理委员会",
        "响指标",
        "的片区的交通联系，支撑区域一体化发展。",
    ] {
        assert!(!narrative.contains(&piece), "{piece} left in the narrative");
    }
}

/// Ambiguity: two goal labels side by side and texts with two sentence ends between them:
/// which lines are whose is not certain, so both are left empty and flagged.
#[test]
fn ambiguity_goal_texts_without_one_sentence_end_are_flagged() {
    let src = "财政项目支出绩效目标申报表\n项目名称\n甲项目\n主管部门\n某局\n项目总目标\n年度总体目标\n第一句。\n第二句。\n第三句。\n一级指标\n二级指标\n三级指标\n年度(/项目)指标值\n产出指标\n数量指标\n长度\n985米\n";
    let x = parse("x.txt", src.as_bytes());
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.goals_raw, "");
    assert_eq!(extra(p, "实施期绩效目标"), None);
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].field, "goals");
    assert_eq!(u[0].raw, "第一句。|第二句。|第三句。");
    assert_eq!(u[0].origin.line(), Some(8));
    assert_eq!(p.indicators.len(), 1);
    assert_eq!(p.indicators[0].value.raw, "985米");
}

/// With one sentence end the texts are paired.
#[test]
fn goal_texts_with_one_sentence_end_are_paired() {
    let src = "财政项目支出绩效目标申报表\n项目名称\n甲项目\n主管部门\n某局\n项目总目标\n年度总体目标\n长期的目标写在\n两行里。\n今年的目标。\n一级指标\n二级指标\n三级指标\n年度(/项目)指标值\n产出指标\n数量指标\n长度\n985米\n";
    let x = parse("x.txt", src.as_bytes());
    let p = &x.projects[0];
    assert_eq!(extra(p, "实施期绩效目标"), Some("长期的目标写在两行里。"));
    assert_eq!(p.goals_raw, "今年的目标。");
    assert_eq!(flags(&x, "alignment_uncertain").len(), 0);
}

/// `pdftotext -layout` (columns by position): recovered from the positions of the text
/// (field by field in align_layout.rs), and its space-padded grid headers are not taken for
/// run-together ones (no packed or run-together aligner reads it).
#[test]
fn pdftotext_layout_gives_the_16_projects_from_its_columns() {
    let x = parse(
        "seed/seed.pdftotext-layout.txt",
        &fixture("seed/seed.pdftotext-layout.txt"),
    );
    assert!(x.document.recognised);
    assert_eq!(x.projects.len(), 16);
    assert_eq!(x.projects[0].code.as_deref(), Some("467-0201-YCN-4OK6"));
    assert_eq!(flags(&x, "aligned_from_text").len(), 16);
    assert!(flags(&x, "aligned_from_text")
        .iter()
        .all(|f| f.message.contains("space-aligned text")));
    assert_eq!(flags(&x, "not_a_budget_disclosure").len(), 0);
    assert_eq!(flags(&x, "field_not_aligned").len(), 0);
}
