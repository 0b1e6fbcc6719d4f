//! The variant fixtures (fixtures/variants/): every route — the `.docx` and its two Tika text
//! layouts — must yield the same records, checked field by field.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use tablift_budget::{normalise, Extraction, Indicator, Op, Project};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/variants/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn read(name: &str) -> Extraction {
    let doc = if name.ends_with(".docx") {
        tablift_docx::read(name, &bytes(name), &tablift_docx::Limits::default()).unwrap()
    } else {
        tablift_textexport::parse(name, &bytes(name), &tablift_textexport::Options::default())
            .unwrap()
    };
    normalise(&doc)
}

/// The three routes of a fixture.
fn routes(stem: &str) -> Vec<Extraction> {
    ["docx", "tika-doc.txt", "tika-docx.txt"]
        .iter()
        .map(|ext| read(&format!("{stem}.{ext}")))
        .collect()
}

/// Projects without origins (the only thing routes may differ in).
fn comparable(x: &Extraction) -> Vec<Project> {
    x.projects_without_origins()
}

fn extra(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// (levels, value raw, op, number, unit, text)
type Ind = (
    [&'static str; 3],
    &'static str,
    Option<Op>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

fn check_indicator(i: &Indicator, row: u32, exp: &Ind) {
    let (levels, raw, op, number, unit, text) = exp;
    assert_eq!(i.row, row);
    assert_eq!(
        [i.level1.as_str(), i.level2.as_str(), i.level3.as_str()],
        *levels,
        "row {row}"
    );
    assert_eq!(i.value.raw, *raw, "row {row}");
    assert_eq!(i.value.op, *op, "row {row}");
    assert_eq!(i.value.number, number.map(d), "row {row}");
    assert_eq!(i.value.unit.as_deref(), *unit, "row {row}");
    assert_eq!(i.value.text.as_deref(), *text, "row {row}");
}

/// (a) One long table of many projects, project columns merged over their indicator rows, a
/// department total row, 指标性质/度量单位/权重/指标方向性 columns.
fn check_sichuan(x: &Extraction) {
    let src = &x.document.source;
    let doc = &x.document;
    assert!(doc.recognised, "{src}");
    assert_eq!(doc.department_code.as_deref(), Some("820001"), "{src}");
    assert_eq!(doc.department_name.as_deref(), Some("井研县马踏镇人民政府"));
    assert_eq!(
        doc.unit.as_deref(),
        Some("万元"),
        "unit line above the table"
    );
    assert_eq!(doc.year, Some(2021));
    let total = doc.department_total.as_ref().expect("合计 row");
    assert_eq!(
        (total.raw.as_str(), total.value, total.unit.as_deref()),
        ("350.00", Some(d("350.00")), Some("万元"))
    );
    assert_eq!(x.projects.len(), 2, "{src}: the 合计 row is no project");
    let names = [
        (
            "场镇污水处理运行",
            "200.00",
            "保障污水处理站正常运行，出水稳定达标",
        ),
        ("村级公益设施维护", "150.00", "维护村级公益设施正常使用"),
    ];
    for (k, (p, (name, budget, goal))) in x.projects.iter().zip(names).enumerate() {
        assert_eq!(p.seq as usize, k + 1);
        assert_eq!(p.title, "");
        assert_eq!(p.code, None, "linked by project_seq, not by code");
        assert_eq!(p.name.as_deref(), Some(name));
        // The 单位名称 cell is merged over every project (and the total row).
        assert_eq!(p.department_code.as_deref(), Some("820001"));
        assert_eq!(p.department_name.as_deref(), Some("井研县马踏镇人民政府"));
        assert_eq!(p.unit.as_deref(), Some("万元"));
        assert_eq!(p.budget_total.raw, budget);
        assert_eq!(p.budget_total.value, Some(d(budget)));
        assert_eq!(p.budget_total.unit.as_deref(), Some("万元"));
        assert_eq!(p.budget_fiscal.value, None);
        assert_eq!(p.goals_raw, goal);
        assert_eq!(p.goals.len(), 1);
        assert_eq!((p.goals[0].number, p.goals[0].text.as_str()), (None, goal));
        assert!(p.plan.is_empty());
        assert!(p.extra.is_empty());
    }
    let p1: [Ind; 3] = [
        (
            ["产出指标", "数量指标", "污水日处理量"],
            "1000",
            Some(Op::Ge),
            Some("1000"),
            Some("吨/日"),
            None,
        ),
        (
            ["产出指标", "质量指标", "出水达标率"],
            "100",
            Some(Op::Eq),
            Some("100"),
            Some("%"),
            None,
        ),
        (
            ["效益指标", "生态效益指标", "周边水环境"],
            "明显改善",
            None,
            None,
            None,
            Some("明显改善"),
        ),
    ];
    let p2: [Ind; 2] = [
        (
            ["产出指标", "时效指标", "完成时间"],
            "１２",
            Some(Op::Le),
            Some("12"),
            Some("月"),
            None,
        ),
        (
            ["满意度指标", "服务对象满意度指标", "群众满意度"],
            "90",
            Some(Op::Ge),
            Some("90"),
            Some("%"),
            None,
        ),
    ];
    assert_eq!(x.projects[0].indicators.len(), 3, "{src}");
    assert_eq!(x.projects[1].indicators.len(), 2, "{src}");
    for (k, e) in p1.iter().enumerate() {
        check_indicator(&x.projects[0].indicators[k], k as u32 + 1, e);
    }
    for (k, e) in p2.iter().enumerate() {
        check_indicator(&x.projects[1].indicators[k], k as u32 + 1, e);
    }
    // Operator and unit columns are kept as written beside the parsed value; 权重 and
    // 指标方向性 are known columns kept in `extra`.
    assert_eq!(
        x.projects[0].indicators[1].extra,
        extra(&[
            ("度量单位", "%"),
            ("指标性质", "═"),
            ("指标方向性", "正向"),
            ("权重", "30")
        ])
    );
    assert_eq!(
        x.projects[1].indicators[1].extra,
        extra(&[
            ("度量单位", "％"),
            ("指标性质", "≧"),
            ("指标方向性", "正向"),
            ("权重", "50")
        ])
    );
    assert_eq!(
        x.projects[0].indicators[2]
            .extra
            .get("指标性质")
            .map(String::as_str),
        Some("定性")
    );
    assert!(x.flags.is_empty(), "{src}: {:?}", x.flags);
}

#[test]
fn sichuan_long_table_all_routes() {
    let xs = routes("sichuan-long");
    for x in &xs {
        check_sichuan(x);
    }
    assert_eq!(xs[1].document.layout.as_deref(), Some("cell_per_line"));
    assert_eq!(xs[2].document.layout.as_deref(), Some("row_per_line"));
    assert_eq!(comparable(&xs[0]), comparable(&xs[1]));
    assert_eq!(comparable(&xs[0]), comparable(&xs[2]));
}

/// (b) Per-project forms with alternative labels.
fn check_forms(x: &Extraction) {
    let src = &x.document.source;
    let doc = &x.document;
    assert!(doc.recognised, "{src}");
    assert_eq!(
        doc.department_code.as_deref(),
        Some("820001"),
        "hyphenated department"
    );
    assert_eq!(doc.department_name.as_deref(), Some("井研县马踏镇人民政府"));
    assert_eq!(doc.unit.as_deref(), Some("元"));
    assert_eq!(doc.year, Some(2021));
    assert_eq!(doc.department_total, None);
    assert_eq!(x.projects.len(), 2, "{src}");

    let p = &x.projects[0];
    assert_eq!(p.title, "1、场镇环境卫生整治项目绩效目标表");
    assert_eq!(p.code.as_deref(), Some("51112421R000000012345"), "项目代码");
    assert_eq!(p.name.as_deref(), Some("场镇环境卫生整治项目"));
    assert_eq!(p.department_code.as_deref(), Some("820001"));
    assert_eq!(
        p.department_raw.as_deref(),
        Some("820001-井研县马踏镇人民政府"),
        "kept as written"
    );
    assert_eq!(
        doc.department_raw.as_deref(),
        Some("820001-井研县马踏镇人民政府")
    );
    assert_eq!(p.unit.as_deref(), Some("元"), "金额单位:元");
    // 年度资金总额, thousands separators.
    assert_eq!(p.budget_total.raw, "8,827,620.53");
    assert_eq!(p.budget_total.value, Some(d("8827620.53")));
    assert_eq!(p.budget_total.unit.as_deref(), Some("元"));
    // 其中：当年财政拨款, full-width digits and separators.
    assert_eq!(p.budget_fiscal.raw, "８，０００，０００．００");
    assert_eq!(p.budget_fiscal.value, Some(d("8000000.00")));
    assert_eq!(p.budget_fiscal.unit.as_deref(), Some("元"));
    assert_eq!(p.budget_other.value, Some(d("827620.53")));
    assert_eq!(p.budget_other.unit.as_deref(), Some("元"));
    // 年度绩效目标, inline numbered goals.
    assert_eq!(p.goals_raw, "1、完成场镇垃圾清运；2、保持街道整洁。");
    assert_eq!(
        p.goals
            .iter()
            .map(|g| (g.number, g.text.as_str()))
            .collect::<Vec<_>>(),
        [(Some(1), "完成场镇垃圾清运"), (Some(2), "保持街道整洁。")]
    );
    // 一级 merged over three rows, 二级 over two; annual values are the value, 中期 in extra.
    let rows: [Ind; 4] = [
        (
            ["产出指标", "数量指标", "垃圾清运量"],
            "≥３０００吨",
            Some(Op::Ge),
            Some("3000"),
            Some("吨"),
            None,
        ),
        (
            ["产出指标", "数量指标", "清扫覆盖率"],
            "＝１００％",
            Some(Op::Eq),
            Some("100"),
            Some("%"),
            None,
        ),
        (
            ["产出指标", "质量指标", "垃圾无害化处理率"],
            "≧９５％",
            Some(Op::Ge),
            Some("95"),
            Some("%"),
            None,
        ),
        (
            ["效益指标", "社会效益指标", "群众环境满意度"],
            "＞９０％",
            Some(Op::Gt),
            Some("90"),
            Some("%"),
            None,
        ),
    ];
    assert_eq!(p.indicators.len(), 4, "{src}");
    for (k, e) in rows.iter().enumerate() {
        check_indicator(&p.indicators[k], k as u32 + 1, e);
    }
    assert_eq!(
        p.indicators[0].description, "每年清运生活垃圾吨数",
        "指标解释"
    );
    assert_eq!(
        p.indicators[0].extra,
        extra(&[("中期指标值", "≥6000吨"), ("分值", "20"), ("备注", "")])
    );
    assert_eq!(
        p.indicators[2].extra.get("备注").map(String::as_str),
        Some("县考核")
    );

    let q = &x.projects[1];
    assert_eq!(q.title, "2、农村道路维护项目绩效目标表");
    assert_eq!(q.code, None);
    assert_eq!(q.name.as_deref(), Some("农村道路维护项目"));
    assert_eq!(q.unit.as_deref(), Some("元"), "单位:元");
    // 资金总额 with its unit inside the cell (traditional 萬): the cell's unit wins.
    assert_eq!(q.budget_total.raw, "28.8萬元");
    assert_eq!(q.budget_total.value, Some(d("28.8")));
    assert_eq!(q.budget_total.unit.as_deref(), Some("万元"));
    assert_eq!(q.budget_fiscal.value, Some(d("250000")));
    assert_eq!(q.budget_fiscal.unit.as_deref(), Some("元"));
    assert_eq!(q.budget_other.raw, "38,000");
    assert_eq!(q.budget_other.value, Some(d("38000")));
    assert_eq!(q.goals_raw, "维护村道12公里，保障村民出行。");
    let rows: [Ind; 3] = [
        (
            ["产出指标", "数量指标", "维护里程"],
            "≥１２公里",
            Some(Op::Ge),
            Some("12"),
            Some("公里"),
            None,
        ),
        (
            ["产出指标", "时效指标", "完工时间"],
            "≤10月",
            Some(Op::Le),
            Some("10"),
            Some("月"),
            None,
        ),
        (
            ["满意度指标", "服务对象满意度指标", "村民满意度"],
            "满意",
            None,
            None,
            None,
            Some("满意"),
        ),
    ];
    assert_eq!(q.indicators.len(), 3, "{src}");
    for (k, e) in rows.iter().enumerate() {
        check_indicator(&q.indicators[k], k as u32 + 1, e);
    }
    assert_eq!(q.indicators[0].basis, "计划标准", "绩效标准");
    assert!(q.indicators[0].extra.is_empty());

    // 28.8萬元 = 250000 + 38000 元 (compared in 元): no mismatch; 备注 is a known column, kept
    // in `extra` without a flag.
    let flags: Vec<(&str, Option<u32>, &str, &str)> = x
        .flags
        .iter()
        .map(|f| {
            (
                f.code.as_str(),
                f.project_seq,
                f.field.as_str(),
                f.raw.as_str(),
            )
        })
        .collect();
    assert_eq!(flags, [], "{src}");
}

#[test]
fn forms_all_routes() {
    let xs = routes("forms");
    for x in &xs {
        check_forms(x);
    }
    assert_eq!(comparable(&xs[0]), comparable(&xs[1]));
    assert_eq!(comparable(&xs[0]), comparable(&xs[2]));
}
