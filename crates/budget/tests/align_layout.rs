//! `pdftotext -layout` text of the seed (fixtures/seed/seed.pdftotext-layout.txt): cells placed
//! by position with spaces, long cells wrapped over the following lines, interleaved. Its form
//! blocks are rebuilt into tables from the positions of the text (`columns`), and must give
//! the seed's 16 projects and 48 indicator rows as the table routes do, but for the spaces the
//! export writes between a CJK character and a digit (`2020 年`), which the flag names.
//! Expected values were read off the text file by hand and cross-checked in seed.tika-docx.txt.

mod common;

use common::{fixture, flags, parse};
use tablift_budget::{Extraction, Op, Project};

fn layout() -> Extraction {
    parse(
        "seed/seed.pdftotext-layout.txt",
        &fixture("seed/seed.pdftotext-layout.txt"),
    )
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// Drops the spaces between a CJK character and a letter or digit.
fn degap(s: &str) -> String {
    let v: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in v.iter().enumerate() {
        if c == ' ' && i > 0 {
            if let (Some(&a), Some(&b)) = (v.get(i - 1), v.get(i + 1)) {
                let latin = |x: char| x.is_ascii_alphanumeric();
                if (is_cjk(a) && latin(b)) || (latin(a) && is_cjk(b)) {
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// The fields an `aligned_from_text` flag names as kept with the export's gap spaces.
fn gap_fields(x: &Extraction, seq: u32) -> Vec<String> {
    let f = x
        .flags
        .iter()
        .find(|f| f.code == "aligned_from_text" && f.project_seq == Some(seq))
        .unwrap_or_else(|| panic!("project {seq}: no aligned_from_text flag"));
    match f.message.split_once("may not hold: ") {
        Some((_, list)) => list.split(", ").map(String::from).collect(),
        None => Vec::new(),
    }
}

/// `p` with the gap spaces of the named fields dropped.
fn degapped(mut p: Project, fields: &[String]) -> Project {
    for f in fields {
        let indexed = |prefix: &str| -> Option<(usize, String)> {
            let rest = f.strip_prefix(prefix)?;
            let (k, field) = rest.split_once("].")?;
            Some((k.parse().ok()?, field.to_string()))
        };
        match f.as_str() {
            "title" => p.title = degap(&p.title),
            "name" => p.name = p.name.as_deref().map(degap),
            "department_raw" => p.department_raw = p.department_raw.as_deref().map(degap),
            "use_of_funds" => p.use_of_funds = degap(&p.use_of_funds),
            "goals" => {
                p.goals_raw = degap(&p.goals_raw);
                for g in &mut p.goals {
                    g.text = degap(&g.text);
                    g.raw = degap(&g.raw);
                }
            }
            _ => {
                if let Some((k, field)) = indexed("plan[") {
                    let pp = &mut p.plan[k];
                    assert_eq!(field, "label", "{f}");
                    pp.label = degap(&pp.label);
                } else if let Some((k, field)) = indexed("indicators[") {
                    let i = &mut p.indicators[k];
                    match field.as_str() {
                        "description" => i.description = degap(&i.description),
                        "basis" => i.basis = degap(&i.basis),
                        "value" => {
                            i.value.raw = degap(&i.value.raw);
                            i.value.text = i.value.text.as_deref().map(degap);
                        }
                        other => panic!("unexpected field {other}"),
                    }
                } else {
                    panic!("unexpected field {f}");
                }
            }
        }
    }
    p
}

/// Every field of every project equals the seed's table route, once the gap spaces of the
/// fields the flags name are dropped; and those are exactly the fields that differ.
#[test]
fn layout_gives_the_seed_records_field_for_field_but_its_gap_spaces() {
    let x = layout();
    let reference = parse(
        "seed/seed.tika-docx.txt",
        &fixture("seed/seed.tika-docx.txt"),
    );
    assert!(x.document.recognised);
    assert_eq!(x.projects.len(), 16);
    assert_eq!(
        x.projects.iter().map(|p| p.indicators.len()).sum::<usize>(),
        48
    );
    let got = x.projects_without_origins();
    let want = reference.projects_without_origins();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.into_iter().zip(want) {
        let seq = g.seq;
        let fields = gap_fields(&x, seq);
        // The named fields are the ones that differ: each differs before dropping its gaps.
        let mut each_differs = Vec::new();
        for f in &fields {
            let one = degapped(g.clone(), std::slice::from_ref(f));
            each_differs.push((f.clone(), one != g));
        }
        assert!(
            each_differs.iter().all(|(_, d)| *d),
            "project {seq}: {each_differs:?}"
        );
        assert_eq!(degapped(g, &fields), w, "project {seq}");
    }
}

#[test]
fn the_gap_spaced_fields_are_the_ones_read_off_the_file() {
    let x = layout();
    let plan = [
        "plan[0].label",
        "plan[1].label",
        "plan[2].label",
        "plan[3].label",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        v.extend(plan.iter().map(|s| s.to_string()));
        v
    };
    let order = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // `1、2020 年中央…`, `467002 定州市生态环境局`, `3 月底` …
    assert_eq!(
        order(gap_fields(&x, 1)),
        order(with(&["title", "name", "department_raw"]))
    );
    // `《定州市` / `2019 年农` / …: the basis of all three rows.
    assert_eq!(
        order(gap_fields(&x, 2)),
        order(with(&[
            "title",
            "name",
            "department_raw",
            "indicators[0].basis",
            "indicators[1].basis",
            "indicators[2].basis"
        ]))
    );
    // `保障 2020 工作开展`.
    assert_eq!(
        order(gap_fields(&x, 4)),
        order(with(&["department_raw", "use_of_funds"]))
    );
    // `0 改善空气` / `质量`.
    assert!(gap_fields(&x, 7).contains(&"indicators[1].value".to_string()));
}

#[test]
fn info_fields_are_read_across_wrapped_lines() {
    let x = layout();
    let p = |seq: usize| &x.projects[seq - 1];
    // `467-0201-YCN-` / `4OK6`: a code wrapped at a hyphen.
    assert_eq!(p(1).code.as_deref(), Some("467-0201-YCN-4OK6"));
    assert_eq!(p(1).origin.line(), Some(96));
    assert_eq!(p(1).name.as_deref(), Some("2020 年中央大气污染防治资金"));
    assert_eq!(p(1).department_code.as_deref(), Some("467002"));
    assert_eq!(p(1).department_name.as_deref(), Some("定州市生态环境局"));
    assert_eq!(p(1).unit.as_deref(), Some("万元"));
    assert_eq!(p(1).budget_total.raw, "4621.00");
    assert_eq!(p(1).budget_total.origin.line(), Some(101));
    assert_eq!(p(1).budget_fiscal.raw, "4621.00");
    assert_eq!(p(1).budget_other.raw, "");
    assert_eq!(p(1).use_of_funds, "大气污染治理各项工作");
    assert_eq!(
        p(1).goals_raw,
        "1、完成上级下达的机动车污染治理任务\n2、完成上级下达的大气污染治理任务"
    );
    // `467-0201-JCN-6A74 项目名称`: one space between the code and the next label.
    assert_eq!(p(7).code.as_deref(), Some("467-0201-JCN-6A74"));
    assert_eq!(p(7).name.as_deref(), Some("空气质量排名奖励"));
    // Names wrapped beside a wrapped code.
    assert_eq!(
        p(5).name.as_deref(),
        Some("环境监控中心房屋租赁、监测、耗材等")
    );
    assert_eq!(
        p(15).name.as_deref(),
        Some("重点污染源在线监测运维费及视频专线通信费")
    );
    // `1906.00 其中：财  1906.00 其他资金`: single spaces; `政资金` left of its label's start.
    assert_eq!(p(10).budget_total.raw, "1906.00");
    assert_eq!(p(10).budget_fiscal.raw, "1906.00");
    assert_eq!(p(12).budget_fiscal.raw, "107.64");
    // A goal wrapped over two lines is one goal.
    assert_eq!(p(5).goals.len(), 2);
    assert_eq!(
        p(5).goals[0].text,
        "按照监测规范，委托有资质和监测能力机构开展监测，对监测过程及报告进行监督审核，确保按期完成监测任务。"
    );
    // `110.00 其中：财 110.00 其他资金`.
    assert_eq!(p(15).budget_total.raw, "110.00");
    assert_eq!(p(15).budget_fiscal.raw, "110.00");
}

#[test]
fn plan_values_go_under_the_checkpoint_nearest_them() {
    let x = layout();
    let plan = |seq: usize| -> Vec<(Option<u8>, &str)> {
        x.projects[seq - 1]
            .plan
            .iter()
            .map(|pp| (pp.month, pp.raw.as_str()))
            .collect()
    };
    assert_eq!(
        plan(1),
        [
            (Some(3), "25.00"),
            (Some(6), "55.00"),
            (Some(10), "75.00"),
            (Some(12), "100.00")
        ]
    );
    // Three values for four checkpoints: `100.00` sits under `10 月底`.
    assert_eq!(
        plan(8),
        [
            (Some(3), "25.00"),
            (Some(6), "50.00"),
            (Some(10), "100.00"),
            (Some(12), "")
        ]
    );
    assert_eq!(
        plan(9),
        [
            (Some(3), ""),
            (Some(6), "50.00"),
            (Some(10), "80.00"),
            (Some(12), "100.00")
        ]
    );
    assert_eq!(
        plan(12),
        [
            (Some(3), "100.00"),
            (Some(6), ""),
            (Some(10), ""),
            (Some(12), "")
        ]
    );
    assert_eq!(plan(14)[3], (Some(12), "100.00"));
    assert_eq!(x.projects[0].plan[0].origin.line(), Some(105));
}

#[test]
fn indicator_rows_are_rebuilt_from_their_columns() {
    let x = layout();
    let row = |seq: usize, r: usize| {
        let i = &x.projects[seq - 1].indicators[r - 1];
        (
            i.level1.as_str(),
            i.level2.as_str(),
            i.level3.as_str(),
            i.value.raw.as_str(),
        )
    };
    assert_eq!(row(1, 1), ("产出指标", "时效指标", "完成率", "≥60"));
    // `社会效益指` / `标`; `社会影响力 在全国或全`: one space between two cells, split where
    // the description column starts.
    assert_eq!(
        row(1, 2),
        ("效果指标", "社会效益指标", "社会影响力", "得到群众认可")
    );
    assert_eq!(
        x.projects[0].indicators[1].description,
        "在全国或全省产生的重要影响，得到广大受众的充分认可。"
    );
    assert_eq!(
        row(1, 3),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥60")
    );
    assert_eq!(
        x.projects[0].indicators[0].description,
        "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）"
    );
    // An empty value cell: the basis stays in its own column.
    assert_eq!(row(2, 1), ("产出指标", "时效指标", "完成率", ""));
    assert_eq!(
        x.projects[1].indicators[0].basis,
        "《定州市2019 年农村生活污水治理实施方案》"
    );
    assert_eq!(row(7, 1), ("产出指标", "质量指标", "优良率", "≤12"));
    assert_eq!(row(7, 2).3, "0 改善空气质量");
    let v = &x.projects[6].indicators[1].value;
    assert_eq!(
        (v.number, v.text.as_deref()),
        (Some(0.into()), Some("改善空气质量"))
    );
    // `2019】119` / `8号`: digits wrapped mid-number join without a space.
    assert_eq!(
        x.projects[7].indicators[0].basis,
        "冀环监测函【2019】1198号"
    );
    assert_eq!(
        row(8, 3),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "")
    );
    // The third-level cell wrapped too: `扶助资金到` / `位率`.
    assert_eq!(
        row(16, 1),
        ("产出指标", "时效指标", "扶助资金到位率", ">70")
    );
    assert_eq!(
        row(16, 3),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "<10")
    );
    let v = &x.projects[15].indicators[2].value;
    assert_eq!((v.op, v.number), (Some(Op::Lt), Some(10.into())));
    assert_eq!(v.origin.line(), Some(583));
    // A row continued past a page break (`\f` at line 247).
    assert_eq!(
        x.projects[4].indicators[1].description,
        "在全国或全省产生的重要影响，得到广大受众的充分认可。"
    );
    assert_eq!(
        x.projects[4].indicators[1].basis,
        "《2019 年河北省生态环境监测工作方案》"
    );
}

#[test]
fn every_project_says_it_was_aligned_and_how() {
    let x = layout();
    let aligned = flags(&x, "aligned_from_text");
    assert_eq!(aligned.len(), 16);
    assert_eq!(aligned[0].project_seq, Some(1));
    // The table starts at the department line above 项目编码.
    assert_eq!(aligned[0].origin.line(), Some(98));
    assert!(
        aligned[0].message.contains("lines 98–126"),
        "{}",
        aligned[0].message
    );
    // Rows short of a cell were placed by position, and say so.
    let placed = flags(&x, "cell_placed_by_inference");
    assert!(placed
        .iter()
        .any(|f| f.project_seq == Some(2) && f.origin.line() == Some(142)));
    assert_eq!(flags(&x, "alignment_uncertain").len(), 0);
    assert_eq!(flags(&x, "field_not_aligned").len(), 0);
    // The same quality flags as the table routes.
    for (code, seq, field) in [
        ("value_contradicts_indicator", 16, "indicators[2].value"),
        ("value_contradicts_indicator", 7, "indicators[0].value"),
        ("value_repeats_indicator", 10, "indicators[1].value"),
        ("indicator_value_empty", 2, "indicators[0].value"),
    ] {
        assert!(
            x.flags
                .iter()
                .any(|f| f.code == code && f.project_seq == Some(seq) && f.field == field),
            "{code} {seq} {field}"
        );
    }
    // The prose stays narrative; the form's lines do not.
    let narrative: Vec<&str> = x
        .document
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.iter().map(String::as_str))
        .collect();
    assert!(narrative
        .iter()
        .any(|t| t.contains("坚持以习近平生态文明思想为指导")));
    assert!(!narrative
        .iter()
        .any(|t| t.contains("4OK6") || t.contains("计划完成研")));
}

/// A line with each text at its character position.
fn at(cells: &[(usize, &str)]) -> String {
    let mut line = String::new();
    let mut col = 0;
    for (c, t) in cells {
        while col < *c {
            line.push(' ');
            col += 1;
        }
        line.push_str(t);
        col += t.chars().count();
    }
    line.push('\n');
    line
}

const CODE_LINE: &str = "项目编码    467-0201-YCN-4OK6   项目名称   甲项目\n";

/// A grid header with its columns at 0, 9, 16, 22, 37, 50.
fn header() -> String {
    at(&[
        (0, "一级指标"),
        (9, "二级指标"),
        (16, "三级指标"),
        (22, "绩效指标描述"),
        (37, "指标值"),
        (50, "指标值确定依据"),
    ])
}

/// A grid value about as near to two columns (the value's and the basis's) is not guessed.
#[test]
fn ambiguity_a_grid_row_short_of_a_cell_between_two_columns_is_flagged() {
    // `≥60` at 43: under 指标值 (37) it is 6 off, under 指标值确定依据 (50) 7 off.
    let src = format!(
        "{CODE_LINE}{}{}",
        header(),
        at(&[
            (0, "产出指标"),
            (9, "时效指标"),
            (16, "完成率"),
            (22, "按照要求"),
            (43, "≥60")
        ])
    );
    let x = parse("x.txt", src.as_bytes());
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1, "{:?}", x.flags);
    assert_eq!(u[0].origin.line(), Some(3));
    assert_eq!(u[0].raw, "产出指标|时效指标|完成率|按照要求|≥60");
    assert!(
        u[0].message.contains("fit about as well"),
        "{}",
        u[0].message
    );
    // The row is left out rather than guessed.
    assert!(x.projects.iter().all(|p| p.indicators.is_empty()));
    // Right under the value column it is placed, and says so.
    let src = format!(
        "{CODE_LINE}{}{}",
        header(),
        at(&[
            (0, "产出指标"),
            (9, "时效指标"),
            (16, "完成率"),
            (22, "按照要求"),
            (38, "≥60")
        ])
    );
    let x = parse("x.txt", src.as_bytes());
    assert_eq!(flags(&x, "alignment_uncertain").len(), 0);
    assert_eq!(flags(&x, "cell_placed_by_inference").len(), 1);
    let i = &x.projects[0].indicators[0];
    assert_eq!((i.value.raw.as_str(), i.basis.as_str()), ("≥60", ""));
}

/// A wrapped piece about as near to two cells' starts is joined to neither.
#[test]
fn ambiguity_a_wrapped_piece_between_two_cells_is_flagged() {
    let src = format!(
        "{CODE_LINE}{}{}{}",
        header(),
        at(&[
            (0, "产出指标"),
            (9, "时效指标"),
            (16, "完成率"),
            (22, "按照要求和"),
            (37, "≥60"),
            (50, "文件")
        ]),
        // 43 and 44 are about as near to 37 as to 50.
        at(&[(44, "续行")])
    );
    let x = parse("x.txt", src.as_bytes());
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1, "{:?}", x.flags);
    assert_eq!(u[0].raw, "续行");
    assert_eq!(u[0].origin.line(), Some(4));
    assert!(
        u[0].message.contains("`≥60`") && u[0].message.contains("`文件`"),
        "{}",
        u[0].message
    );
    let i = &x.projects[0].indicators[0];
    assert_eq!(i.value.raw, "≥60");
    assert_eq!(i.basis, "文件");
}

/// A plan value halfway between two checkpoint labels is not placed.
#[test]
fn ambiguity_a_plan_value_between_two_checkpoints_is_flagged() {
    let src = format!(
        "{CODE_LINE}{}{}{}{}",
        at(&[
            (0, "资金支出"),
            (8, "3 月底"),
            (18, "6 月底"),
            (28, "10 月底"),
            (40, "12 月底")
        ]),
        // `50.00` at 13: 5 from 3 月底, 5 from 6 月底.
        at(&[(0, "计划"), (13, "50.00"), (40, "100.00")]),
        header(),
        at(&[
            (0, "产出指标"),
            (9, "时效指标"),
            (16, "完成率"),
            (22, "按照要求和"),
            (37, "≥60"),
            (50, "文件")
        ]),
    );
    let x = parse("x.txt", src.as_bytes());
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1, "{:?}", x.flags);
    assert_eq!(u[0].raw, "50.00");
    assert_eq!(u[0].origin.line(), Some(3));
    let plan: Vec<&str> = x.projects[0].plan.iter().map(|p| p.raw.as_str()).collect();
    assert_eq!(plan, ["", "", "", "100.00"]);
}

/// A page number closing a page inside a grid, and the form feed starting the next page,
/// are furniture: the row goes on across them.
#[test]
fn page_furniture_inside_a_grid_is_skipped() {
    let src = format!(
        "{CODE_LINE}{}{}{}\x0c{}{}",
        header(),
        at(&[
            (0, "产出指标"),
            (9, "时效指标"),
            (16, "完成率"),
            (22, "按照要求和"),
            (37, "≥60"),
            (50, "文件")
        ]),
        at(&[(33, "7")]),
        at(&[(22, "计划完成")]),
        at(&[
            (0, "效果指标"),
            (9, "社会效益指"),
            (16, "社会影响力"),
            (22, "在全国"),
            (37, "好"),
            (50, "文件")
        ]),
    );
    let x = parse("x.txt", src.as_bytes());
    let p = &x.projects[0];
    assert_eq!(p.indicators.len(), 2);
    assert_eq!(p.indicators[0].description, "按照要求和计划完成");
    assert_eq!(p.indicators[1].level2, "社会效益指");
    assert_eq!(p.indicators[1].value.raw, "好");
    assert!(!x
        .document
        .sections
        .iter()
        .any(|s| s.paragraphs.iter().any(|t| t.trim() == "7")));
}

/// Cut, thinned and shifted versions of the seed never panic (the module reads positions
/// from the input: every index into it is checked).
#[test]
fn damaged_layout_text_never_panics() {
    let text = String::from_utf8(fixture("seed/seed.pdftotext-layout.txt")).unwrap_or_default();
    let cuts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .step_by(997)
        .collect();
    for &cut in &cuts {
        let _ = parse("cut.txt", text.get(..cut).unwrap_or("").as_bytes());
    }
    for step in [2usize, 3, 5, 7] {
        let thinned: String = text
            .lines()
            .enumerate()
            .filter(|(i, _)| i % step != 0)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let _ = parse("thin.txt", thinned.as_bytes());
        // Every n-th line shifted by a few columns, or its spaces squeezed.
        let shifted: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| match i % step {
                0 => format!("   {l}\n"),
                1 => format!("{}\n", l.replace("  ", " ")),
                _ => format!("{l}\n"),
            })
            .collect();
        let _ = parse("shift.txt", shifted.as_bytes());
    }
}

/// A "header" continued over more lines than a header wraps is not a grid header: the block
/// is not rebuilt (nothing is made of it by position).
#[test]
fn a_header_wrapped_over_many_lines_is_not_a_form() {
    let mut src = format!("{CODE_LINE}{}", header());
    for _ in 0..10 {
        src.push_str(&at(&[(22, "续")]));
    }
    src.push_str(&at(&[
        (0, "产出指标"),
        (9, "时效指标"),
        (16, "完成率"),
        (22, "按照要求和"),
        (37, "≥60"),
        (50, "文件"),
    ]));
    let x = parse("x.txt", src.as_bytes());
    assert!(!x
        .flags
        .iter()
        .any(|f| f.code == "aligned_from_text" && f.message.contains("space-aligned")));
}

/// Ambiguity: a row whose 一级 cell is merged with the row above starts indented, like a
/// wrap. It is not joined into the row above nor given a 一级 by guess: the grid stops there,
/// flagged, and the rows before it stand.
#[test]
fn ambiguity_a_row_without_its_merged_level1_is_flagged() {
    let src = format!(
        "{CODE_LINE}{}{}{}",
        header(),
        at(&[
            (0, "产出指标"),
            (9, "数量指标"),
            (16, "完成率"),
            (22, "按照要求和"),
            (37, "≥60"),
            (50, "文件")
        ]),
        at(&[
            (9, "时效指标"),
            (16, "及时率"),
            (22, "按时完成"),
            (37, "100%"),
            (50, "文件")
        ]),
    );
    let x = parse("x.txt", src.as_bytes());
    let p = &x.projects[0];
    assert_eq!(p.indicators.len(), 1);
    assert_eq!(p.indicators[0].level3, "完成率");
    assert_eq!(p.indicators[0].value.raw, "≥60");
    assert_eq!(p.indicators[0].description, "按照要求和");
    let u = flags(&x, "alignment_uncertain");
    assert_eq!(u.len(), 1, "{:?}", x.flags);
    assert_eq!(u[0].origin.line(), Some(4));
    assert!(u[0].message.contains("merged"), "{}", u[0].message);
}
