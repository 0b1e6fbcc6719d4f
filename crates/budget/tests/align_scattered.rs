//! Plain pdftotext of the seed (fixtures/seed/seed.pdftotext.txt): its reading order gives a
//! table's info block row by row with wrapped labels' lines between the cells, or a page's
//! columns one after the other. Each expected value below was read off the file by hand and
//! checked against the .docx route (seed.tika-docx.txt), which the second test compares field
//! by field.

mod common;

use common::{fixture, flags, parse};
use tablift_budget::{Extraction, Project};

/// Code as pdftotext wrote it (the hyphen at a line break lost, or a code written over two
/// lines joined as written), name as written, 预算数, and the plan when its values can be
/// placed (as many percentages as checkpoints).
const PROJECTS: [(&str, &str, &str, Option<[&str; 4]>); 16] = [
    (
        "467-0201-YCN4OK6",
        "2020 年中央大气污染防治资金",
        "4621.00",
        Some(["25.00", "55.00", "75.00", "100.00"]),
    ),
    (
        "467-0302-YCNXDCZ",
        "2020 年中央农村环境整治资金",
        "306.00",
        Some(["25.00", "50.00", "75.00", "100.00"]),
    ),
    (
        "467-0801-YZNLOYG",
        "第二次污染源普查经费",
        "20.00",
        Some(["20.00", "50.00", "70.00", "100.00"]),
    ),
    (
        "467-0602-YBN-E8OQ",
        "环保专项管理",
        "300.00",
        Some(["25.00", "50.00", "75.00", "100.00"]),
    ),
    (
        "467-0101-JCNCM6I",
        "环境监控中心房屋租赁、监测、耗材等",
        "395.90",
        Some(["5.00", "10.00", "20.00", "100.00"]),
    ),
    (
        "467-0501-JCNYZTU",
        "环境污染举报奖励",
        "6.00",
        Some(["10.00", "30.00", "60.00", "100.00"]),
    ),
    (
        "467-0201-JCN-6A74",
        "空气质量排名奖励",
        "108.00",
        Some(["25.00", "50.00", "75.00", "100.00"]),
    ),
    // Three percentages for four checkpoints, one for four: which is whose is not in the text.
    (
        "467-0101-YCNO5I2",
        "空气质量站点设备更换资金",
        "59.00",
        None,
    ),
    ("467-0205-YCNNFGQ", "孟良河微生态复育修育项目", "4.00", None),
    ("467-0302-YSNQCTF", "农村环境整治项目", "1906.00", None),
    ("467-0205-YSN0NTT", "生态补偿金", "565.00", None),
    ("467-0602-YCN16C7", "生态环境局精神文明奖", "107.64", None),
    ("467-0201-YCNT2V5", "塑料行业机构验收", "104.40", None),
    ("467-0602-YCNGWS7", "招商引资工作经费", "10.00", None),
    (
        "467-0103-JCNDMSL",
        "重点污染源在线监测运维费及视频专线通信费",
        "110.00",
        Some(["25.00", "50.00", "75.00", "100.00"]),
    ),
    (
        "467-0602-YCNFVOI",
        "专项人员经费",
        "204.14",
        Some(["25.00", "50.00", "75.00", "100.00"]),
    ),
];

/// The projects whose grid is one text block in printed-line order (header `一级指标` /
/// `二级指标` / `三级指标` / `绩效指标描` / `指标值` / `指标值确定` / `述` / `依据`, rows with no
/// blank line): read by hand in the file, e.g. lines 274–330 for project 3. The other grids
/// have their value columns in another text block (header without `指标值`: projects 1, 4, 12,
/// 15), a blank line inside (2, 5, 7, 10, 13), or no reading that keeps the rules (8).
const GRIDS_READ: [u32; 6] = [3, 6, 9, 11, 14, 16];

fn seed_pdftotext() -> Extraction {
    parse(
        "seed/seed.pdftotext.txt",
        &fixture("seed/seed.pdftotext.txt"),
    )
}

fn of<'x>(x: &'x Extraction, code: &str, seq: u32) -> Vec<&'x tablift_budget::Flag> {
    flags(x, code)
        .into_iter()
        .filter(|f| f.project_seq == Some(seq))
        .collect()
}

fn plan(p: &Project) -> Vec<&str> {
    p.plan.iter().map(|pt| pt.raw.as_str()).collect()
}

#[test]
fn plain_pdftotext_gives_the_16_projects_info_fields() {
    let x = seed_pdftotext();
    assert!(x.document.recognised);
    assert_eq!(x.projects.len(), 16);
    for (p, (code, name, total, want_plan)) in x.projects.iter().zip(PROJECTS) {
        let ctx = format!("project {} ({code})", p.seq);
        assert_eq!(p.code.as_deref(), Some(code), "{ctx}");
        assert_eq!(p.name.as_deref(), Some(name), "{ctx}");
        assert_eq!(p.budget_total.raw, total, "{ctx}");
        assert_eq!(p.budget_fiscal.raw, total, "{ctx}");
        assert_eq!(p.budget_other.raw, "", "{ctx}");
        assert_eq!(p.budget_other.value, None, "{ctx}");
        assert_eq!(p.department_code.as_deref(), Some("467002"), "{ctx}");
        assert_eq!(p.unit.as_deref(), Some("万元"), "{ctx}");
        assert_eq!(p.goals.len(), 2, "{ctx}");
        let labels: Vec<u8> = p.plan.iter().filter_map(|pt| pt.month).collect();
        assert_eq!(labels, [3, 6, 10, 12], "{ctx}");
        let plan_flags: Vec<_> = of(&x, "field_not_aligned", p.seq)
            .into_iter()
            .filter(|f| f.field == "plan")
            .collect();
        match want_plan {
            Some(v) => {
                assert_eq!(plan(p), v, "{ctx}");
                assert!(plan_flags.is_empty(), "{ctx}");
            }
            None => {
                // Not placed, said, and not judged (no "plan has no values" flag).
                assert_eq!(plan(p), ["", "", "", ""], "{ctx}");
                assert_eq!(plan_flags.len(), 1, "{ctx}");
                assert_eq!(of(&x, "plan_not_ending_at_100", p.seq).len(), 0, "{ctx}");
            }
        }
        // The grids in printed-line order are read (compared field by field below); the
        // others are not, and that is said.
        let grid: Vec<_> = of(&x, "field_not_aligned", p.seq)
            .into_iter()
            .filter(|f| f.field == "indicators")
            .collect();
        if GRIDS_READ.contains(&p.seq) {
            assert_eq!(p.indicators.len(), 3, "{ctx}");
            assert!(grid.is_empty(), "{ctx}");
        } else {
            assert!(p.indicators.is_empty(), "{ctx}");
            assert_eq!(grid.len(), 1, "{ctx}");
        }
        assert_eq!(of(&x, "aligned_from_text", p.seq).len(), 1, "{ctx}");
    }
    let p5 = &x.projects[4];
    assert_eq!(p5.title, "5、环境监控中心房屋租赁、监测、耗材等绩效目标表");
    assert_eq!(p5.use_of_funds, "保障环境监控中心 2020 年工作开展。");
    // A goal wrapped over two lines is one goal.
    assert_eq!(
        p5.goals_raw,
        "1、按照监测规范，委托有资质和监测能力机构开展监测，对监测过程及报告进行监督审核，确保按期完成监测任务。\n2、按仪器有效期定期检定监测仪器设备，确保仪器使用有效。按照监测任务及时更新补充试剂耗材，确保试剂耗材满足监测工作要求。"
    );
    // Origins: the line each value was read from.
    assert_eq!(x.projects[0].budget_total.origin.line(), Some(79));
    assert_eq!(x.projects[1].budget_total.origin.line(), Some(158));
}

/// Each code that lost a hyphen is kept as written and flagged with the likely code; a code
/// written over two lines is flagged as joined.
#[test]
fn codes_without_their_hyphen_are_kept_as_written_and_flagged() {
    let x = seed_pdftotext();
    let hyphen = |seq: u32| {
        of(&x, "alignment_uncertain", seq)
            .into_iter()
            .filter(|f| f.field == "project_code" && f.message.contains("lacks a hyphen"))
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
    };
    let joined = |seq: u32| {
        of(&x, "alignment_uncertain", seq)
            .into_iter()
            .filter(|f| f.field == "project_code" && f.message.contains("over two lines"))
            .count()
    };
    assert_eq!(hyphen(1).len(), 1);
    assert!(
        hyphen(1)[0].contains("likely 467-0201-YCN-4OK6"),
        "{:?}",
        hyphen(1)
    );
    assert_eq!(joined(1), 0);
    assert!(
        hyphen(2)[0].contains("likely 467-0302-YCN-XDCZ"),
        "{:?}",
        hyphen(2)
    );
    assert_eq!(joined(2), 1);
    // Written with its hyphens (over two lines, `467-0602-YBN-` … `E8OQ`; on one line).
    assert_eq!(hyphen(4).len(), 0);
    assert_eq!(joined(4), 1);
    assert_eq!(hyphen(7).len(), 0);
    assert_eq!(joined(7), 0);
    let lost = (1..=16).filter(|&s| hyphen(s).len() == 1).count();
    assert_eq!(lost, 14);
}

/// Every field the text gives equals the .docx route's, but for pdftotext's gap spaces
/// (`2020 年`) and the codes' lost hyphens.
#[test]
fn plain_pdftotext_agrees_with_the_docx_route() {
    let x = seed_pdftotext();
    let reference = parse(
        "seed/seed.tika-docx.txt",
        &fixture("seed/seed.tika-docx.txt"),
    );
    let degap = |s: &str| s.replace(' ', "");
    assert_eq!(reference.projects.len(), 16);
    for (p, r) in x.projects.iter().zip(&reference.projects) {
        let ctx = format!("project {}", p.seq);
        // The codes as written are asserted in the first test; here without their hyphens.
        let bare = |c: &Option<String>| c.as_deref().map(|c| c.replace('-', ""));
        assert_eq!(bare(&p.code), bare(&r.code), "{ctx}");
        assert_eq!(p.name.as_deref().map(degap), r.name.clone(), "{ctx}");
        assert_eq!(degap(&p.title), r.title, "{ctx}");
        assert_eq!(degap(&p.use_of_funds), r.use_of_funds, "{ctx}");
        assert_eq!(p.goals_raw, r.goals_raw, "{ctx}");
        assert_eq!(p.budget_total.value, r.budget_total.value, "{ctx}");
        assert_eq!(p.budget_fiscal.value, r.budget_fiscal.value, "{ctx}");
        assert_eq!(p.budget_other.value, r.budget_other.value, "{ctx}");
        assert_eq!(p.department_name, r.department_name, "{ctx}");
        for (a, b) in p.plan.iter().zip(&r.plan) {
            assert_eq!(a.month, b.month, "{ctx}");
            if !a.raw.is_empty() {
                assert_eq!(a.raw, b.raw, "{ctx}");
            }
        }
    }
}

/// A scattered info block (`项目编码` / a code run into `项目名称` / …) built from `name_lines`
/// after the code line, under `title` (none when empty), with a blank line where
/// pdftotext ends a text block.
fn block(title: &str, name_lines: &[&str]) -> String {
    let mut lines: Vec<&str> = Vec::new();
    if !title.is_empty() {
        lines.push(title);
    }
    lines.extend([
        "467002 某局",
        "",
        "单位：万元",
        "",
        "项目编码",
        "123-4567-ABC项目名称",
    ]);
    lines.extend(name_lines);
    lines.extend([
        "预算规模",
        "预算数",
        "10.00",
        "其中：财",
        "10.00",
        "其他资金",
        "及资金用",
        "政资金",
        "途",
        "用于甲",
        "资金支出",
        "3 月底",
        "6 月底",
        "10 月底",
        "12 月底",
        "计划",
        "25.00",
        "50.00",
        "75.00",
        "100.00",
        "（%）",
        "绩效目标",
        "1、目标一",
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描",
        "指标值",
        "产出指标",
        "数量指标",
    ]);
    lines.join("\n") + "\n"
}

fn only(x: &Extraction) -> &Project {
    assert_eq!(x.projects.len(), 1, "{:?}", x.flags);
    &x.projects[0]
}

#[test]
fn a_wrapped_name_is_joined_only_where_the_title_confirms_it() {
    let x = parse(
        "a.txt",
        block("1、甲乙工程绩效目标表", &["甲乙", "DEFG", "工程"]).as_bytes(),
    );
    let p = only(&x);
    assert_eq!(p.name.as_deref(), Some("甲乙工程"));
    assert_eq!(p.code.as_deref(), Some("123-4567-ABCDEFG"));
    assert_eq!(p.use_of_funds, "用于甲");
    assert_eq!(plan(p), ["25.00", "50.00", "75.00", "100.00"]);
    assert_eq!(
        flags(&x, "field_not_aligned")
            .iter()
            .filter(|f| f.field == "extra")
            .count(),
        0
    );

    // No title: the line after the name is not joined to it, and is said to be unplaced.
    let x = parse("b.txt", block("", &["甲乙", "DEFG", "工程"]).as_bytes());
    let p = only(&x);
    assert_eq!(p.name.as_deref(), Some("甲乙"));
    let unplaced: Vec<_> = flags(&x, "field_not_aligned")
        .into_iter()
        .filter(|f| f.field == "extra")
        .map(|f| f.raw.as_str())
        .collect();
    assert_eq!(unplaced, ["工程"]);
}

#[test]
fn a_name_the_title_does_not_hold_is_flagged() {
    let x = parse(
        "a.txt",
        block("1、甲项目绩效目标表", &["乙项目", "DEFG"]).as_bytes(),
    );
    let p = only(&x);
    assert_eq!(p.name.as_deref(), Some("乙项目"));
    let f = flags(&x, "alignment_uncertain");
    assert!(
        f.iter()
            .any(|f| f.field == "project_name" && f.raw == "乙项目"),
        "{f:?}"
    );
}

/// Two codes' tails after a code that wrapped: which is its rest is not known; the code stays
/// as written and both lines are flagged as not placed.
#[test]
fn two_candidate_code_tails_join_neither() {
    let x = parse(
        "a.txt",
        block("1、甲项目绩效目标表", &["甲项目", "DEFG", "HIJK"]).as_bytes(),
    );
    let p = only(&x);
    assert_eq!(p.code.as_deref(), Some("123-4567-ABC"));
    let unplaced: Vec<_> = flags(&x, "field_not_aligned")
        .into_iter()
        .filter(|f| f.field == "extra")
        .map(|f| f.raw.as_str())
        .collect();
    assert_eq!(unplaced, ["DEFG", "HIJK"]);
}

/// More lines no rule takes than the aligner allows: no project rather than a doubtful one.
#[test]
fn a_block_with_many_unexplained_lines_is_left_out() {
    let x = parse(
        "a.txt",
        block("1、甲项目绩效目标表", &["甲项目", "AB", "CD", "EF"]).as_bytes(),
    );
    assert!(x.projects.is_empty());
    assert!(flags(&x, "field_not_aligned")
        .iter()
        .any(|f| f.field == "project"));
}

/// Packed text (no blank line) whose code runs into the next label is read as scattered: the
/// packed reading would join `123-4567-ABC项目名称`, the name and the code's rest into one code.
#[test]
fn packed_text_with_a_code_run_into_a_label_is_read_as_scattered() {
    let src = block("1、甲项目绩效目标表", &["甲项目", "DEFG"]).replace("\n\n", "\n");
    let x = parse("a.txt", src.as_bytes());
    let p = only(&x);
    assert_eq!(p.code.as_deref(), Some("123-4567-ABCDEFG"));
    assert_eq!(p.name.as_deref(), Some("甲项目"));
    assert_eq!(p.budget_total.raw, "10.00");
}

/// Each grid read: every cell placed equals the .docx route's (but for gap spaces); every cell
/// not placed is empty, flagged `alignment_uncertain` with its candidates, and the right value
/// is among them, but where the flag says its list is not complete (one cell of project 6,
/// whose grid has 3150 readings). Counts: 70 cells placed, 38 not, of the 6 grids' 108.
#[test]
fn interleaved_grids_place_only_what_every_reading_agrees_on() {
    let x = seed_pdftotext();
    let reference = parse(
        "seed/seed.tika-docx.txt",
        &fixture("seed/seed.tika-docx.txt"),
    );
    let degap = |s: &str| s.replace(' ', "");
    let (mut placed, mut open, mut partial) = (0, 0, 0);
    for seq in GRIDS_READ {
        let p = &x.projects[seq as usize - 1];
        let r = &reference.projects[seq as usize - 1];
        assert_eq!(p.indicators.len(), r.indicators.len(), "project {seq}");
        for (k, (a, b)) in p.indicators.iter().zip(&r.indicators).enumerate() {
            assert_eq!(a.row, b.row);
            let cells = [
                ("level1", &a.level1, &b.level1),
                ("level2", &a.level2, &b.level2),
                ("level3", &a.level3, &b.level3),
                ("description", &a.description, &b.description),
                ("value", &a.value.raw, &b.value.raw),
                ("basis", &a.basis, &b.basis),
            ];
            for (field, got, want) in cells {
                let name = format!("indicators[{k}].{field}");
                let flag: Vec<_> = of(&x, "alignment_uncertain", seq)
                    .into_iter()
                    .filter(|f| f.field == name)
                    .collect();
                let ctx = format!("project {seq} {name}");
                match flag.as_slice() {
                    [] => {
                        assert_eq!(degap(got), degap(want), "{ctx}");
                        placed += 1;
                    }
                    [f] => {
                        assert_eq!(got, "", "{ctx}");
                        let cands: Vec<String> = f.raw.split(" | ").map(degap).collect();
                        assert!(cands.len() >= 2, "{ctx}");
                        if f.message.contains("not complete") {
                            partial += 1;
                        } else {
                            assert!(cands.contains(&degap(want)), "{ctx}: {cands:?}");
                        }
                        open += 1;
                    }
                    _ => panic!("{ctx}: {flag:?}"),
                }
            }
            assert!(a.origin.line().is_some());
        }
    }
    assert_eq!((placed, open, partial), (70, 38, 1));
    // Project 3's first row: every cell, as written.
    let i = &x.projects[2].indicators[0];
    assert_eq!(i.level1, "产出指标");
    assert_eq!(i.value.raw, ">10");
    assert_eq!(
        i.basis,
        "关于开展河北省第二次全国污染源普查数据更新试点工作的通知"
    );
    assert_eq!(i.origin.line(), Some(282));
}
