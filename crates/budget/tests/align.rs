//! The aligner: projects from text without table marks, checked against the `.docx` route
//! (seed.libreoffice.txt) and against values read off the file by hand (real/17); real/01 (packed
//! PDF text) is in `align_packed.rs`.

use std::path::Path;
use tablift_budget::{normalise, Extraction, Op};

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn text(rel: &str) -> Extraction {
    let doc =
        tablift_textexport::parse(rel, &fixture(rel), &tablift_textexport::Options::default())
            .unwrap();
    normalise(&doc)
}

fn docx(rel: &str) -> Extraction {
    let doc = tablift_docx::read(rel, &fixture(rel), &tablift_docx::Limits::default()).unwrap();
    normalise(&doc)
}

fn codes(x: &Extraction, code: &str) -> usize {
    x.flags.iter().filter(|f| f.code == code).count()
}

#[test]
fn libreoffice_text_gives_the_docx_projects_field_by_field() {
    let t = text("seed/seed.libreoffice.txt");
    let d = docx("seed/seed.docx");
    assert_eq!(t.projects.len(), 16);
    assert_eq!(d.projects.len(), 16);
    assert!(t.document.recognised);
    assert_eq!(codes(&t, "aligned_from_text"), 16);
    assert_eq!(codes(&t, "field_not_aligned"), 0);
    assert_eq!(codes(&t, "form_labels_outside_tables"), 0);
    let (mut rows, mut same_rows) = (0, 0);
    for (a, b) in t.projects.iter().zip(&d.projects) {
        assert_eq!(a.seq, b.seq);
        assert_eq!(a.title, b.title);
        assert_eq!(a.code, b.code);
        assert_eq!(a.name, b.name);
        assert_eq!(a.department_code, b.department_code);
        assert_eq!(a.department_name, b.department_name);
        assert_eq!(a.department_raw, b.department_raw);
        assert_eq!(a.unit, b.unit);
        for (x, y) in [
            (&a.budget_total, &b.budget_total),
            (&a.budget_fiscal, &b.budget_fiscal),
            (&a.budget_other, &b.budget_other),
        ] {
            assert_eq!(
                (&x.raw, x.value, &x.unit),
                (&y.raw, y.value, &y.unit),
                "{:?}",
                a.code
            );
        }
        assert_eq!(a.use_of_funds, b.use_of_funds);
        assert_eq!(a.goals_raw, b.goals_raw);
        assert_eq!(a.goals, b.goals);
        let plan = |p: &tablift_budget::Project| {
            p.plan
                .iter()
                .map(|x| (x.label.clone(), x.month, x.raw.clone(), x.percent))
                .collect::<Vec<_>>()
        };
        assert_eq!(plan(a), plan(b));
        assert_eq!(a.indicators.len(), b.indicators.len(), "{:?}", a.code);
        for (x, y) in a.indicators.iter().zip(&b.indicators) {
            rows += 1;
            let key = |i: &tablift_budget::Indicator| {
                (
                    i.row,
                    i.level1.clone(),
                    i.level2.clone(),
                    i.level3.clone(),
                    i.description.clone(),
                    i.value.raw.clone(),
                    i.value.op,
                    i.value.number,
                    i.value.unit.clone(),
                    i.value.text.clone(),
                    i.basis.clone(),
                )
            };
            if key(x) == key(y) {
                same_rows += 1;
            }
        }
        // Every value points at its own line.
        assert!(matches!(a.origin, tablift_model::Origin::Text { .. }));
        assert!(matches!(
            a.budget_total.origin,
            tablift_model::Origin::Text { .. }
        ));
    }
    assert_eq!((rows, same_rows), (48, 48));
    // The records differ only by origins and the docx's TC entries.
    for (a, b) in t
        .projects_without_origins()
        .into_iter()
        .zip(d.projects_without_origins())
    {
        let b = tablift_budget::Project {
            tc_entry: None,
            ..b
        };
        assert_eq!(a, b);
    }
}

#[test]
fn libreoffice_origins_point_at_the_lines_used() {
    let t = text("seed/seed.libreoffice.txt");
    let p = &t.projects[0];
    let line = |o: &tablift_model::Origin| match o {
        tablift_model::Origin::Text { line, .. } => Some(*line),
        _ => None,
    };
    assert_eq!(line(&p.origin), Some(36));
    assert_eq!(line(&p.budget_total.origin), Some(45));
    assert_eq!(line(&p.budget_fiscal.origin), Some(47));
    assert_eq!(line(&p.plan[0].origin), Some(58));
    assert_eq!(line(&p.plan[3].origin), Some(61));
    assert_eq!(line(&p.indicators[0].origin), Some(71));
    assert_eq!(line(&p.indicators[0].value.origin), Some(75));
    assert_eq!(line(&p.indicators[2].origin), Some(83));
}

#[test]
fn web_text_one_cell_per_line_gives_its_project() {
    let x = text("real/17_hn_yueyang_2022_infra_one_cell_per_line.txt");
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.title, "绩效目标申报表(基础设施建设类)");
    assert_eq!(p.code, None);
    assert_eq!(p.name.as_deref(), Some("岳阳县2022年高标准农田建设项目"));
    assert_eq!(p.department_name.as_deref(), Some("岳阳县农业农村局"));
    assert_eq!(p.unit.as_deref(), Some("万元"));
    assert_eq!(
        p.budget_total.raw,
        "854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)"
    );
    assert_eq!(p.budget_total.value, Some(854.into()));
    assert_eq!(p.budget_total.unit.as_deref(), Some("万元"));
    // `854万854万(…)`: the fiscal cell glued to the next one; not guessed.
    assert_eq!(p.budget_fiscal.raw, "");
    assert_eq!(p.budget_fiscal.value, None);
    assert!(x
        .flags
        .iter()
        .any(|f| f.code == "field_not_aligned" && f.raw.starts_with("854万854万")));
    assert_eq!(p.budget_other.raw, "");
    assert_eq!(p.goals_raw, "完成项目主体工程70%");
    assert_eq!(
        p.extra.get("项目负责人及电话").map(String::as_str),
        Some("彭兵")
    );
    assert_eq!(
        p.extra.get("实施单位").map(String::as_str),
        Some("农田建设服务中心")
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
            ("产出指标", "数量指标", "脱贫村村内道路硬化里程", "≥100公里"),
            ("产出指标", "数量指标", "脱贫户供水设施数量", "≥20座"),
            ("产出指标", "质量指标", "项目(工程)验收合格率", "100%"),
            ("产出指标", "时效指标", "项目(工程)完成及时率", "≥100%"),
            ("产出指标", "成本指标", "财政资金补助", "1600元/亩"),
            ("效益指标", "经济效益指标", "年增粮食", "3500公斤"),
            ("效益指标", "社会效益指标", "受益脱贫(监测)人口数", "≥500人"),
            (
                "效益指标",
                "社会效益指标",
                "解决脱贫(监测)饮水安全问题人数",
                "≥1000人"
            ),
            (
                "效益指标",
                "生态效益指标",
                "新增和改善灌溉达标面积",
                "≥500亩"
            ),
            (
                "效益指标",
                "生态效益指标",
                "新增和改善排水达标面积",
                "≥200亩"
            ),
            ("效益指标", "可持续影响指标", "工程设计使用年限", "≥20年"),
            (
                "满意度指标",
                "服务对象满意度指标",
                "受益脱贫(监测)户满意度",
                "≥95%"
            ),
        ]
    );
    let v = &p.indicators[0].value;
    assert_eq!((v.op, v.number), (Some(Op::Ge), Some(100.into())));
    assert!(x.flags.iter().any(|f| f.code == "aligned_from_text"));
    // The footnote is not a row.
    assert_eq!(p.indicators.len(), 12);
}

/// A row that comes out short where empty cells leave no trace is flagged, never shifted.
#[test]
fn a_short_row_in_sparse_text_is_flagged_not_shifted() {
    let src = "项目名称\n\n甲项目\n\n一级指标\n\n二级指标\n\n三级指标\n\n指标值\n\n产出指标\n\n数量指标\n\n覆盖率\n\n质量指标\n\n合格率\n\n100%\n";
    let doc = tablift_textexport::parse(
        "x.txt",
        src.as_bytes(),
        &tablift_textexport::Options::default(),
    )
    .unwrap();
    let x = normalise(&doc);
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(p.indicators.len(), 2);
    assert_eq!(p.indicators[0].level3, "");
    assert_eq!(p.indicators[0].value.raw, "");
    assert!(x
        .flags
        .iter()
        .any(|f| f.code == "field_not_aligned" && f.field == "indicators[0]"));
    assert_eq!(p.indicators[1].level2, "质量指标");
    assert_eq!(p.indicators[1].level3, "合格率");
    assert_eq!(p.indicators[1].value.raw, "100%");
}

/// A grid header with a cell the vocabulary does not know would shift every row: not read.
#[test]
fn an_unknown_grid_header_is_flagged_not_read() {
    let src = "项目名称\n甲项目\n一级指标\n二级指标\n三级指标\n指标值说明\n产出指标\n数量指标\n覆盖率\n100%\n";
    let doc = tablift_textexport::parse(
        "x.txt",
        src.as_bytes(),
        &tablift_textexport::Options::default(),
    )
    .unwrap();
    let x = normalise(&doc);
    assert_eq!(x.projects.len(), 1);
    assert_eq!(x.projects[0].name.as_deref(), Some("甲项目"));
    assert!(x.projects[0].indicators.is_empty());
    assert!(x
        .flags
        .iter()
        .any(|f| f.code == "field_not_aligned" && f.field == "indicators"));
}
