//! Regenerates the `.docx` variant fixtures under `fixtures/variants/` with real merges
//! (`w:gridSpan`, `w:vMerge`). Their text exports beside them are written by hand, the way Tika
//! prints a legacy `.doc` (cell-per-line) and a `.docx` (row-per-line).
//!
//! Run: `cargo run -p tablift-budget --example make_variants`

use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow, VMergeType};
use std::path::PathBuf;

/// A cell of the spec: text, grid span, and its place in a vertical merge.
enum C {
    /// A plain cell.
    T(&'static str, usize),
    /// The first cell of a vertical merge.
    Start(&'static str, usize),
    /// A cell continuing the vertical merge above.
    Cont(usize),
}
use C::{Cont, Start, T};

fn t(s: &'static str) -> C {
    T(s, 1)
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn table(rows: Vec<Vec<C>>) -> Table {
    Table::new(
        rows.into_iter()
            .map(|r| {
                TableRow::new(
                    r.into_iter()
                        .map(|c| match c {
                            T(s, n) => TableCell::new().add_paragraph(para(s)).grid_span(n),
                            Start(s, n) => TableCell::new()
                                .add_paragraph(para(s))
                                .grid_span(n)
                                .vertical_merge(VMergeType::Restart),
                            Cont(n) => TableCell::new()
                                .add_paragraph(Paragraph::new())
                                .grid_span(n)
                                .vertical_merge(VMergeType::Continue),
                        })
                        .collect(),
                )
            })
            .collect(),
    )
}

/// (a) Sichuan-style 部门预算项目绩效目标申报表: one long table of many projects.
fn sichuan() -> Docx {
    let blank = || t("");
    Docx::new()
        .add_paragraph(para(
            "井研县马踏镇人民政府2021年度部门预算项目绩效目标申报表",
        ))
        .add_paragraph(para("单位：万元"))
        .add_table(table(vec![
            [
                "单位名称",
                "项目名称",
                "预算数",
                "年度目标",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
                "权重",
                "指标方向性",
            ]
            .into_iter()
            .map(t)
            .collect(),
            vec![
                Start("820001-井研县马踏镇人民政府", 1),
                t("合计"),
                t("350.00"),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
                blank(),
            ],
            vec![
                Cont(1),
                Start("场镇污水处理运行", 1),
                Start("200.00", 1),
                Start("保障污水处理站正常运行，出水稳定达标", 1),
                Start("产出指标", 1),
                t("数量指标"),
                t("污水日处理量"),
                t("≥"),
                t("1000"),
                t("吨/日"),
                t("30"),
                t("正向"),
            ],
            vec![
                Cont(1),
                Cont(1),
                Cont(1),
                Cont(1),
                Cont(1),
                t("质量指标"),
                t("出水达标率"),
                t("═"),
                t("100"),
                t("%"),
                t("30"),
                t("正向"),
            ],
            vec![
                Cont(1),
                Cont(1),
                Cont(1),
                Cont(1),
                t("效益指标"),
                t("生态效益指标"),
                t("周边水环境"),
                t("定性"),
                t("明显改善"),
                blank(),
                t("40"),
                t("正向"),
            ],
            vec![
                Cont(1),
                Start("村级公益设施维护", 1),
                Start("150.00", 1),
                Start("维护村级公益设施正常使用", 1),
                t("产出指标"),
                t("时效指标"),
                t("完成时间"),
                t("≤"),
                t("１２"),
                t("月"),
                t("50"),
                t("反向"),
            ],
            vec![
                Cont(1),
                Cont(1),
                Cont(1),
                Cont(1),
                t("满意度指标"),
                t("服务对象满意度指标"),
                t("群众满意度"),
                t("≧"),
                t("90"),
                t("％"),
                t("50"),
                t("正向"),
            ],
        ]))
}

/// (b) Per-project forms with alternative labels, 元 amounts, full-width forms, 萬, units in
/// cells, merged 一级/二级 cells and side-by-side 中期/年度 value columns.
fn forms() -> Docx {
    Docx::new()
        .add_paragraph(para("井研县马踏镇人民政府2021年度项目支出绩效目标表"))
        .add_paragraph(para("1、场镇环境卫生整治项目绩效目标表"))
        // Info block and indicator grid in one table, as Tika gives a legacy .doc.
        .add_table(table(vec![
            vec![T("820001-井研县马踏镇人民政府", 5), T("金额单位:元", 3)],
            vec![
                t("项目代码"),
                T("51112421R000000012345", 3),
                t("项目名称"),
                T("场镇环境卫生整治项目", 3),
            ],
            vec![
                t("年度资金总额"),
                T("8,827,620.53", 3),
                t("其中：当年财政拨款"),
                T("８，０００，０００．００", 3),
            ],
            vec![t("其他资金"), T("827,620.53", 7)],
            vec![
                t("年度绩效目标"),
                T("1、完成场镇垃圾清运；2、保持街道整洁。", 7),
            ],
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标解释",
                "中期指标值",
                "年度指标值",
                "分值",
                "备注",
            ]
            .into_iter()
            .map(t)
            .collect(),
            vec![
                Start("产出指标", 1),
                Start("数量指标", 1),
                t("垃圾清运量"),
                t("每年清运生活垃圾吨数"),
                t("≥6000吨"),
                t("≥３０００吨"),
                t("20"),
                t(""),
            ],
            vec![
                Cont(1),
                Cont(1),
                t("清扫覆盖率"),
                t("场镇街道清扫覆盖比例"),
                t("100%"),
                t("＝１００％"),
                t("20"),
                t(""),
            ],
            vec![
                Cont(1),
                t("质量指标"),
                t("垃圾无害化处理率"),
                t("无害化处理的比例"),
                t("≥95%"),
                t("≧９５％"),
                t("20"),
                t("县考核"),
            ],
            vec![
                t("效益指标"),
                t("社会效益指标"),
                t("群众环境满意度"),
                t("群众满意比例"),
                t("≥90%"),
                t("＞９０％"),
                t("40"),
                t(""),
            ],
        ]))
        .add_paragraph(para("2、农村道路维护项目绩效目标表"))
        .add_table(table(vec![
            vec![T("820001-井研县马踏镇人民政府", 4), T("单位:元", 2)],
            vec![t("项目名称"), T("农村道路维护项目", 5)],
            vec![
                t("资金总额"),
                t("28.8萬元"),
                t("财政拨款"),
                t("250000"),
                t("其他资金"),
                t("38,000"),
            ],
            vec![t("实施期绩效目标"), T("维护村道12公里，保障村民出行。", 5)],
        ]))
        // Word cannot put two tables side by side without a paragraph between them.
        .add_paragraph(Paragraph::new())
        .add_table(table(vec![
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值及单位",
                "绩效标准",
            ]
            .into_iter()
            .map(t)
            .collect(),
            vec![
                Start("产出指标", 1),
                t("数量指标"),
                t("维护里程"),
                t("≥１２公里"),
                t("计划标准"),
            ],
            vec![
                Cont(1),
                t("时效指标"),
                t("完工时间"),
                t("≤10月"),
                t("计划标准"),
            ],
            vec![
                t("满意度指标"),
                t("服务对象满意度指标"),
                t("村民满意度"),
                t("满意"),
                t("历史标准"),
            ],
        ]))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/variants");
    std::fs::create_dir_all(&dir)?;
    for (name, doc) in [("sichuan-long.docx", sichuan()), ("forms.docx", forms())] {
        let path = dir.join(name);
        doc.build().pack(std::fs::File::create(&path)?)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
