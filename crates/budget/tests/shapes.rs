//! Hand-built documents: .docx-style merges, other forms' vocabulary, flags, odd shapes.

mod common;

use common::{cell, doc, para, spanned, table};
use rust_decimal::Decimal;
use std::str::FromStr;
use tablift_budget::{normalise, normalise_with, Options};
use tablift_model::{Block, Cell, Origin, Paragraph, Row, Table, TcField};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        ..Row::default()
    }
}

fn title(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        text: text.into(),
        tc: Some(TcField {
            entry: text.into(),
            level: Some(2),
            ..TcField::default()
        }),
        ..Paragraph::default()
    })
}

/// Project 9 as seed.libreoffice.docx has it: one table, a 12-column grid, real merges.
fn libreoffice_project() -> Table {
    let goals = Cell {
        paragraphs: vec!["1、完成竣工验收".into(), "2、按政府要求完成工作".into()],
        col_span: 12,
        ..cell("")
    };
    Table {
        rows: vec![
            row(vec![
                spanned("467002定州市生态环境局", 10, 1),
                spanned("单位：万元", 3, 1),
            ]),
            row(vec![
                cell("项目编码"),
                spanned("467-0205-YCN-NFGQ", 4, 1),
                spanned("项目名称", 2, 1),
                spanned("孟良河微生态复育修育项目", 6, 1),
            ]),
            row(vec![
                spanned("预算规模及资金用途", 1, 2),
                spanned("预算数", 2, 1),
                spanned("4.00", 2, 1),
                spanned("其中：财政资金", 3, 1),
                spanned("4.00", 2, 1),
                spanned("其他资金", 2, 1),
                cell(""),
            ]),
            row(vec![spanned("支付第三方竣工验收资金。", 12, 1)]),
            row(vec![
                spanned("资金支出计划（%）", 1, 2),
                spanned("3月底", 2, 1),
                spanned("6月底", 4, 1),
                spanned("10月底", 3, 1),
                spanned("12月底", 3, 1),
            ]),
            row(vec![
                spanned("", 2, 1),
                spanned("50.00", 4, 1),
                spanned("80.00", 3, 1),
                spanned("100.00", 3, 1),
            ]),
            row(vec![cell("绩效目标"), goals]),
            row([
                "一级指标",
                "二级指标",
                "三级指标",
                "绩效指标描述",
                "指标值",
                "指标值确定依据",
            ]
            .iter()
            .zip([2, 2, 2, 3, 2, 2])
            .map(|(t, s)| spanned(t, s, 1))
            .collect()),
            row(vec![
                spanned("产出指标", 2, 1),
                spanned("时效指标", 2, 1),
                spanned("完成率", 2, 1),
                spanned("按照要求", 3, 1),
                spanned(">20", 2, 1),
                spanned("政府批示", 2, 1),
            ]),
            row(vec![
                spanned("效果指标", 2, 2),
                spanned("生态效益指标", 2, 1),
                spanned("达到绿色产业标准", 2, 1),
                spanned("不进行基础设施建设", 3, 1),
                spanned("完成验收", 2, 1),
                spanned("政府批示", 2, 2),
            ]),
            row(vec![
                spanned("社会效益指标", 2, 1),
                spanned("社会影响力", 2, 1),
                spanned("描述", 3, 1),
                spanned("", 2, 1),
            ]),
        ],
        origin: Origin::Unknown,
    }
}

#[test]
fn docx_merges_read_like_text_exports() {
    let x = normalise(&doc(vec![
        title("9、孟良河微生态复育修育项目绩效目标表"),
        Block::Table(libreoffice_project()),
    ]));
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.title, "9、孟良河微生态复育修育项目绩效目标表");
    assert_eq!(
        p.tc_entry.as_deref(),
        Some("9、孟良河微生态复育修育项目绩效目标表")
    );
    assert_eq!(p.code.as_deref(), Some("467-0205-YCN-NFGQ"));
    assert_eq!(p.name.as_deref(), Some("孟良河微生态复育修育项目"));
    assert_eq!(p.budget_total.value, Some(d("4.00")));
    assert_eq!(p.budget_fiscal.value, Some(d("4.00")));
    assert_eq!(p.budget_other.raw, "");
    assert_eq!(p.use_of_funds, "支付第三方竣工验收资金。");
    let plan: Vec<(&str, &str)> = p
        .plan
        .iter()
        .map(|pt| (pt.label.as_str(), pt.raw.as_str()))
        .collect();
    assert_eq!(
        plan,
        [
            ("3月底", ""),
            ("6月底", "50.00"),
            ("10月底", "80.00"),
            ("12月底", "100.00")
        ]
    );
    assert_eq!(p.goals.len(), 2);
    assert_eq!(p.indicators.len(), 3);
    // Row 3: level1 and basis are continued merges; level1 is carried, basis is blank like a
    // text export shows it.
    let r3 = &p.indicators[2];
    assert_eq!(
        (r3.level1.as_str(), r3.level2.as_str(), r3.level3.as_str()),
        ("效果指标", "社会效益指标", "社会影响力")
    );
    assert_eq!(r3.basis, "");
    assert_eq!(r3.value.raw, "");
    assert_eq!(p.indicators[1].basis, "政府批示");
    assert!(x
        .flags
        .iter()
        .any(|f| f.code == "indicator_value_empty" && f.field == "indicators[2].value"));
    assert!(x.document.sections.is_empty());
}

#[test]
fn other_forms_vocabulary_and_flags() {
    let x = normalise(&doc(vec![
        para("2021年度部门预算项目绩效目标"),
        title("（一）示例项目绩效目标表"),
        table(&[
            &["820001-井研县马踏镇人民政府", "金额单位:元"],
            &["项目代码", "51-0001", "项目名称", "示例项目"],
            &[
                "年度资金总额",
                "1,000,000.50",
                "当年财政拨款",
                "９００，０００．５０",
                "其他资金",
                "50000",
            ],
            &["资金用途", "修路"],
            &["填报日期", "2021-01-05"],
            &["资金支出计划", "3月底", "6月底", "9月底", "12月底"],
            &["", "30", "20", "120", "90"],
            &["年度绩效目标", "（1）修路；（2）架桥"],
        ]),
        table(&[
            &["一级指标", "二级指标", "三级指标", "指标值", "备注"],
            &["产出指标", "数量指标", "道路长度", "≥5公里", "无"],
            &["", "", "合格率", "150%", ""],
            &[
                "满意度指标",
                "服务对象满意度指标",
                "群众满意度",
                "≤60％",
                "",
            ],
            &["", "", "投诉率", "≤5%", ""],
        ]),
    ]));
    assert_eq!(x.document.year, Some(2021));
    assert_eq!(x.document.department_code.as_deref(), Some("820001"));
    assert_eq!(
        x.document.department_name.as_deref(),
        Some("井研县马踏镇人民政府")
    );
    assert_eq!(x.document.unit.as_deref(), Some("元"));
    let p = &x.projects[0];
    assert_eq!(p.title, "（一）示例项目绩效目标表");
    assert_eq!(p.code.as_deref(), Some("51-0001"));
    assert_eq!(p.budget_total.value, Some(d("1000000.50")));
    assert_eq!(p.budget_total.unit.as_deref(), Some("元"));
    assert_eq!(p.budget_fiscal.value, Some(d("900000.50")));
    assert_eq!(p.budget_fiscal.raw, "９００，０００．５０");
    assert_eq!(p.budget_other.value, Some(d("50000")));
    assert_eq!(p.use_of_funds, "修路");
    assert_eq!(
        p.extra.get("填报日期").map(String::as_str),
        Some("2021-01-05")
    );
    assert_eq!(p.plan[2].month, Some(9));
    assert_eq!(
        p.goals.iter().map(|g| g.text.as_str()).collect::<Vec<_>>(),
        ["修路", "架桥"]
    );
    let i = &p.indicators;
    assert_eq!(i.len(), 4);
    assert_eq!(
        (i[1].level1.as_str(), i[1].level2.as_str()),
        ("产出指标", "数量指标")
    );
    assert_eq!(i[0].value.unit.as_deref(), Some("公里"));
    assert_eq!(i[0].extra.get("备注").map(String::as_str), Some("无"));
    assert_eq!(i[0].description, "");

    let codes: Vec<(&str, &str)> = x
        .flags
        .iter()
        .map(|f| (f.code.as_str(), f.field.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("budget_sum_mismatch", "budget_total"),
            ("plan_not_monotonic", "plan[1]"),
            ("plan_above_100", "plan[2]"),
            ("plan_not_monotonic", "plan[3]"),
            ("plan_not_ending_at_100", "plan[3]"),
            ("value_contradicts_indicator", "indicators[1].value"),
            ("value_contradicts_indicator", "indicators[2].value"),
            ("unrecognised_labels", "extra"),
        ]
    );
    assert_eq!(x.flags[0].project_code.as_deref(), Some("51-0001"));
    // The unknown info label is named; 备注, a known column, is kept in `extra` unflagged.
    assert_eq!(x.flags[7].raw, "填报日期");
}

#[test]
fn not_a_budget_disclosure() {
    let x = normalise(&doc(vec![
        para("会议纪要"),
        table(&[&["姓名", "电话"], &["张三", "123"]]),
    ]));
    assert!(!x.document.recognised);
    assert!(x.projects.is_empty());
    assert_eq!(x.flags.len(), 2);
    assert_eq!(x.flags[0].code, "not_a_budget_disclosure");
    // Never a silent empty result: the table stays in the model (exported as a generic
    // table) and the flag names the labels that were not recognised.
    assert_eq!(
        (
            x.flags[1].code.as_str(),
            x.flags[1].field.as_str(),
            x.flags[1].raw.as_str()
        ),
        ("unrecognised_labels", "tables[0]", "姓名|电话")
    );
    assert_eq!(x.document.sections.len(), 1);
    assert_eq!(x.document.sections[0].paragraphs, ["会议纪要"]);
}

#[test]
fn odd_shapes_never_panic() {
    let huge = Table {
        rows: vec![
            row(vec![
                spanned("项目编码", u32::MAX, u32::MAX),
                spanned("x", u32::MAX, 2),
            ]),
            Row {
                grid_before: u32::MAX,
                cells: vec![spanned("", 0, 0)],
                ..Row::default()
            },
            row(vec![]),
            row(vec![
                spanned("指标值", 3, u32::MAX),
                cell("一级指标"),
                cell("三级指标"),
            ]),
            row(vec![
                cell("a"),
                cell("b"),
                cell("c"),
                cell("d"),
                cell("e"),
                cell("f"),
                cell("g"),
            ]),
            row(vec![Cell {
                paragraphs: vec![],
                ..cell("")
            }]),
        ],
        origin: Origin::Unknown,
    };
    let mut all_continued = Vec::new();
    all_continued.push(row((0..5)
        .map(|_| spanned("资金支出计划", 1, 50))
        .collect()));
    for _ in 0..50 {
        all_continued.push(row(vec![]));
    }
    let blocks = vec![
        Block::Table(Table::default()),
        Block::Table(huge),
        Block::Table(Table {
            rows: all_continued,
            origin: Origin::Unknown,
        }),
        table(&[&["预算规模及资金用途"], &["资金支出计划", "3月底"]]),
        table(&[&["资金支出计划"], &[]]),
        table(&[&["绩效目标"]]),
        table(&[&["项目编码：", ""], &["单位：", ""], &["：", "："]]),
        para(""),
        para("第一部分"),
        table(&[
            &["一级指标", "二级指标", "三级指标"],
            &["", "", ""],
            &["x"],
            &["1", "2", "3", "4", "5"],
        ]),
    ];
    let dd = doc(blocks);
    let x = normalise(&dd);
    assert_eq!(x, normalise(&dd));
    let small = Options {
        max_rows_per_table: 3,
        max_cells_per_row: 2,
        max_grid_columns: 4,
    };
    let y = normalise_with(&dd, &small);
    assert!(y.flags.iter().any(|f| f.code == "table_clipped"));
}

#[test]
fn an_amount_without_any_unit_is_flagged_not_guessed() {
    let x = normalise(&doc(vec![
        title("1、某项目绩效目标表"),
        table(&[
            &["项目编码", "P-1", "项目名称", "某项目"],
            &["预算数", "120.00", "其中：财政资金", "120.00"],
        ]),
    ]));
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.budget_total.value, Some(d("120.00")));
    assert_eq!(p.budget_total.unit, None);
    let missing: Vec<(&str, &str)> = x
        .flags
        .iter()
        .filter(|f| f.code == "amount_unit_missing")
        .map(|f| (f.field.as_str(), f.raw.as_str()))
        .collect();
    assert_eq!(
        missing,
        [("budget_total", "120.00"), ("budget_fiscal", "120.00")]
    );
}

#[test]
fn other_labels_and_long_term_annual_columns() {
    let x = normalise(&doc(vec![
        title("1、某项目绩效目标表"),
        table(&[
            &["项目名称", "道路维护"],
            &["预算金额", "250万", "财政拨款", "250万"],
            &["年度目标", "完成道路维护"],
        ]),
        table(&[
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "长期绩效指标",
                "年度绩效指标",
            ],
            &["产出指标", "数量指标", "维护里程", "≥100公里", "≥20公里"],
        ]),
    ]));
    assert_eq!(x.projects.len(), 1, "{:#?}", x.flags);
    let p = &x.projects[0];
    assert_eq!(p.name.as_deref(), Some("道路维护"));
    assert_eq!(p.budget_total.raw, "250万");
    assert_eq!(p.budget_total.value, Some(d("250")));
    assert_eq!(p.budget_total.unit.as_deref(), Some("万元"));
    assert_eq!(p.budget_fiscal.value, Some(d("250")));
    assert_eq!(p.goals_raw, "完成道路维护");
    let ind = &p.indicators[0];
    // The annual column is the value; the long-term one is kept under its header.
    assert_eq!(ind.value.raw, "≥20公里");
    assert_eq!(ind.value.number, Some(d("20")));
    assert_eq!(
        ind.extra.get("长期绩效指标").map(String::as_str),
        Some("≥100公里")
    );
}
