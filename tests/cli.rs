//! End-to-end tests of the `tablift` binary: exit codes, output files, headers, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tablift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tablift"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run tablift")
}

/// A fresh, empty scratch directory under target/.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn first_line(path: &Path) -> String {
    read(path).lines().next().unwrap_or_default().to_string()
}

#[test]
fn usage_error_exits_1() {
    let out = tablift(&["extract"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = tablift(&["extract", "-o", "x", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(1));
    let out = tablift(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn headers_start_with_the_documented_columns() {
    let dir = scratch("headers");
    let out = tablift(&[
        "extract",
        "fixtures/seed/seed.tika-doc.txt",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(first_line(&dir.join("projects.csv")).starts_with(
        "source,seq,project_code,project_name,department_code,department_name,unit,\
         budget_total,budget_fiscal,budget_other,use_of_funds,plan_mar,plan_jun,plan_oct,plan_dec"
    ));
    assert!(first_line(&dir.join("indicators.csv")).starts_with(
        "source,project_code,row,level1,level2,level3,description,value_raw,value_op,\
         value_number,value_unit,basis,project_seq,project_name"
    ));
    assert_eq!(
        first_line(&dir.join("tables.csv")),
        "source,table,row,col,row_span,col_span,text,origin"
    );
    assert_eq!(
        first_line(&dir.join("failures.csv")),
        "source,kind,message,position"
    );
    for f in [
        "goals.csv",
        "spending_plan.csv",
        "sections.csv",
        "flags.csv",
        "documents.jsonl",
    ] {
        assert!(dir.join(f).exists(), "{f} missing");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap();
    assert_eq!(manifest["finished"], true);
    assert_eq!(manifest["documents_ok"], 1);
    assert_eq!(manifest["documents_failed"], 0);
    // Nothing is left under a temporary name.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn excel_flag_adds_a_bom_and_format_selects_files() {
    let dir = scratch("excel");
    let out = tablift(&[
        "extract",
        "fixtures/seed/seed.tika-doc.txt",
        "-o",
        dir.to_str().unwrap(),
        "--excel",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let bytes = std::fs::read(dir.join("projects.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}source,".as_bytes()));
    assert!(!dir.join("documents.jsonl").exists());
    assert!(!dir.join("model.jsonl").exists());
}

#[test]
fn documents_jsonl_has_records_and_model_jsonl_the_model_on_request() {
    let dir = scratch("model");
    let out = tablift(&[
        "extract",
        "fixtures/seed/seed.docx",
        "-o",
        dir.to_str().unwrap(),
        "--format",
        "jsonl,model",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!dir.join("projects.csv").exists());
    let doc: serde_json::Value =
        serde_json::from_str(read(&dir.join("documents.jsonl")).trim_end()).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["document", "flags", "projects", "source"]); // no "tables"
    assert_eq!(doc["projects"].as_array().unwrap().len(), 16);
    assert_eq!(doc["projects"][0]["code"], "467-0201-YCN-4OK6");

    let line: serde_json::Value =
        serde_json::from_str(read(&dir.join("model.jsonl")).trim_end()).unwrap();
    assert_eq!(line["source"], "fixtures/seed/seed.docx");
    // The same model `inspect` prints.
    let inspect = tablift(&["inspect", "fixtures/seed/seed.docx"]);
    let printed: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert_eq!(line["model"], printed);
    let first_table = line["model"]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "table")
        .unwrap();
    assert_eq!(
        first_table["rows"][0]["cells"][0]["paragraphs"][0],
        "467002定州市生态环境局"
    );
    assert_eq!(first_table["rows"][0]["cells"][0]["col_span"], 5);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap();
    assert_eq!(manifest["files"]["model.jsonl"]["rows"], 1);
}

#[test]
fn a_bad_input_does_not_stop_the_batch_and_exits_2() {
    let dir = scratch("bad-input");
    let missing = dir.join("missing.txt");
    let out = tablift(&[
        "extract",
        missing.to_str().unwrap(),
        "fixtures/seed/seed.tika-doc.txt",
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let failures = read(&dir.join("out/failures.csv"));
    let rows: Vec<&str> = failures.lines().collect();
    assert_eq!(rows.len(), 2, "{failures}");
    assert!(
        rows[1].starts_with(&format!("{},io,cannot read:", missing.display())),
        "{failures}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.join("out/manifest.json"))).unwrap();
    assert_eq!(manifest["documents_ok"], 1);
    assert_eq!(manifest["documents_failed"], 1);
    assert_eq!(manifest["failure_kinds"]["io"], 1);
}

#[test]
fn output_is_byte_identical_for_any_thread_count() {
    let base = scratch("determinism");
    let mut runs = Vec::new();
    for j in ["1", "2", "5"] {
        let dir = base.join(format!("j{j}"));
        let out = tablift(&[
            "extract",
            "fixtures/seed",
            "-o",
            dir.to_str().unwrap(),
            "-j",
            j,
            "-q",
            "--report",
        ]);
        // 0: every form in fixtures/seed is read, the legacy seed.doc included.
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        runs.push(dir);
    }
    let names: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(&runs[0])
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert!(names.contains(&"projects.csv".to_string()));
    assert!(names.contains(&"report.html".to_string()));
    for other in &runs[1..] {
        for name in &names {
            let a = std::fs::read(runs[0].join(name)).unwrap();
            let b = std::fs::read(other.join(name)).unwrap();
            assert!(
                a == b,
                "{name} differs between {} and {}",
                runs[0].display(),
                other.display()
            );
        }
    }
}

#[test]
fn embedded_sample_runs_without_inputs() {
    let dir = scratch("sample");
    let out = tablift(&["extract", "-o", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap();
    assert_eq!(manifest["documents_ok"], 2);
    let jsonl = read(&dir.join("documents.jsonl"));
    assert!(jsonl
        .lines()
        .next()
        .unwrap()
        .starts_with(r#"{"source":"sample/seed.docx""#));
}

#[test]
fn inspect_shows_docx_spans_and_tc_entries() {
    let out = tablift(&["inspect", "fixtures/seed/seed.docx"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let blocks = doc["blocks"].as_array().unwrap();
    let tcs: Vec<(String, String, u64)> = blocks
        .iter()
        .filter_map(|b| b.get("tc"))
        .map(|tc| {
            (
                tc["entry"].as_str().unwrap().to_string(),
                tc["type_id"].as_str().unwrap_or("").to_string(),
                tc["level"].as_u64().unwrap_or(0),
            )
        })
        .take(3)
        .collect();
    let tc = |e: &str| (e.to_string(), "A".to_string(), 1);
    assert_eq!(
        tcs,
        vec![tc("总体绩效目标"), tc("分项绩效目标"), tc("工作保障措施")]
    );
    // The first info table: 467002定州市生态环境局 spans columns, 预算规模及资金用途 spans rows.
    let table = blocks.iter().find(|b| b["type"] == "table").unwrap();
    let cells: Vec<(String, u64, u64)> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap().iter())
        .map(|c| {
            let text = c["paragraphs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("\n");
            (
                text,
                c["col_span"].as_u64().unwrap(),
                c["row_span"].as_u64().unwrap(),
            )
        })
        .collect();
    let find = |t: &str| {
        cells
            .iter()
            .find(|c| c.0 == t)
            .unwrap_or_else(|| panic!("{t} not in {cells:?}"))
    };
    assert!(find("467002定州市生态环境局").1 > 1, "{cells:?}");
    assert!(find("预算规模及资金用途").2 > 1, "{cells:?}");
    assert!(find("资金支出计划（%）").2 > 1, "{cells:?}");
}

#[test]
fn inspect_into_a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tablift"))
        .args(["inspect", "fixtures/seed/seed.docx"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then leave, as `| head` does; the model is far larger than a pipe buffer.
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first[..1], b"{");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Issue 17's bad invocations, as a new user would try them.
#[test]
fn bad_invocations_get_clear_answers() {
    let dir = scratch("bad-invocations");
    let file = dir.join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // An output path that is a file: said so, exit 1, the file untouched.
    let out = tablift(&[
        "extract",
        "fixtures/seed/seed.tika-doc.txt",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is an existing file, not a directory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"x");

    // -j 0 is refused, not silently taken as 1.
    let o = dir.join("o");
    let out = tablift(&[
        "extract",
        "fixtures/seed/seed.tika-doc.txt",
        "-j",
        "0",
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("'--jobs <N>'"), "{}", stderr(&out));

    // One file under three spellings (plain, ./, a symbolic link) is read once.
    let a = dir.join("a.txt");
    std::fs::copy("fixtures/seed/seed.tika-doc.txt", &a).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&a, dir.join("b.txt")).unwrap();
    let dotted = format!("{}/./a.txt", dir.display());
    let mut args = vec![
        "extract".to_string(),
        a.display().to_string(),
        dotted,
        "-q".into(),
        "-o".into(),
        o.display().to_string(),
    ];
    if cfg!(unix) {
        args.push(dir.join("b.txt").display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = tablift(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&o.join("manifest.json"))).unwrap();
    assert_eq!(manifest["documents_ok"], 1, "{manifest}");
    assert_eq!(manifest["rows"]["projects"], 16);
    // Every reader's limits are listed, the .doc ones included.
    assert!(
        manifest["limits"]["doc"]["max_doc_pieces"].is_u64(),
        "{manifest}"
    );
    assert!(manifest["limits"]["docx"]["max_zip_entries"].is_u64());
}

#[test]
fn report_lists_failures_beside_the_documents_read() {
    let dir = scratch("report-failures");
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy("fixtures/seed/seed.tika-doc.txt", inputs.join("a.txt")).unwrap();
    std::fs::write(inputs.join("b<i>.docx"), b"PK\x03\x04 not really a zip").unwrap();
    let o = dir.join("out");
    let out = tablift(&[
        "extract",
        inputs.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
        "-q",
        "--report",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let html = read(&o.join("report.html"));
    assert!(html.contains("id=\"total-documents-read\">1<"));
    assert!(html.contains("id=\"total-documents-failed\">1<"));
    assert!(
        html.contains("b&lt;i&gt;.docx"),
        "the failure is listed, escaped"
    );
    assert_eq!(html.matches("<article class=\"project\"").count(), 16);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&o.join("manifest.json"))).unwrap();
    assert_eq!(manifest["report"], "report.html");
    assert!(!o.join(".report.html.partial").exists());
}

#[test]
fn projects_csv_keeps_the_labels_without_a_column_in_extra() {
    let dir = scratch("extra-column");
    let out = tablift(&[
        "extract",
        "fixtures/forms/national-declaration.html",
        "fixtures/seed/seed.tika-doc.txt",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rdr = csv::Reader::from_path(dir.join("projects.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == "extra").unwrap();
    assert_eq!(
        at,
        headers.len() - 1,
        "new columns are appended: {headers:?}"
    );
    let extras: Vec<(String, String)> = rdr
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[0].to_string(), r[at].to_string()))
        .collect();
    let (_, form) = extras
        .iter()
        .find(|(s, _)| s.ends_with("national-declaration.html"))
        .unwrap();
    let map: serde_json::Value = serde_json::from_str(form).unwrap();
    assert_eq!(map["实施单位"], "某县农村供水管理站");
    assert_eq!(map["项目属性"], "延续项目");
    assert_eq!(map["项目资金总额"], "900");
    assert_eq!(map["实施期绩效目标"], "巩固提升农村饮水安全，惠及5万人。");
    // The seed's 16 projects state no such label: the cell is empty, not `{}`.
    let seed: Vec<&String> = extras
        .iter()
        .filter(|(s, _)| s.ends_with("seed.tika-doc.txt"))
        .map(|(_, e)| e)
        .collect();
    assert_eq!(seed.len(), 16);
    assert!(seed.iter().all(|e| e.is_empty()), "{seed:?}");
}
