//! Exit statuses and error paths: a closed pipe ends quietly, and `validate FILE` reports
//! the same codes as `validate DIR` for the same problem.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

/// Runs `parindex args` with standard output a pipe whose reader is gone before anything is
/// written.
fn closed_pipe(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dong_thap = fixture("dong-thap-2023");
    let d = dong_thap.to_str().unwrap();
    let so = dong_thap.join("criteria/so-2023.json");
    let huyen = dong_thap.join("criteria/huyen-2023.json");
    let runs: [Vec<&str>; 7] = [
        vec!["criteria", "diff", so.to_str().unwrap(), huyen.to_str().unwrap()],
        vec!["criteria", "show", so.to_str().unwrap()],
        vec!["score", d, "--format", "table"],
        vec!["score", d],
        vec!["score", d, "--explain"],
        vec!["explain", d, "--unit", "so-tai-chinh"],
        vec!["report", d, "--format", "md"],
    ];
    for args in runs {
        let out = closed_pipe(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe") && err.is_empty(), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

fn parindex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parindex")).args(args).output().unwrap()
}

/// A round folder holding `files` (relative path → JSON value, or text as a string).
fn folder(name: &str, files: &[(&str, Value)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-errors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("assessments")).unwrap();
    for (path, doc) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let text = match doc {
            Value::String(s) => s.clone(),
            other => serde_json::to_string_pretty(other).unwrap(),
        };
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn criteria() -> Value {
    json!({
        "format": "parindex/criteria-set@1", "id": "so", "title": "Bộ tiêu chí",
        "nodes": [ { "code": "1", "title": "Chỉ đạo", "children": [
            { "code": "1.1", "title": "Kế hoạch", "max": "1", "rule": { "kind": "yes_no" } },
            { "code": "1.2", "title": "Hoàn thành", "max": "2", "rule": { "kind": "manual", "step": "0.25" } }
        ] } ]
    })
}

fn round() -> Value {
    json!({
        "format": "parindex/round@1", "id": "thu", "title": "Vòng thử", "year": 2023, "evaluator": "UBND tỉnh",
        "blocks": [ { "id": "so", "title": "Khối sở", "criteria_set": "criteria/so.json", "survey": false,
                      "classes": [ { "label": "Tốt", "from": "80" }, { "label": "Khá", "from": "0" } ] } ],
        "units": [ { "id": "so-a", "name": "Sở Nội vụ", "block": "so", "tags": [] } ]
    })
}

fn assessment(unit: &str, points: Value) -> Value {
    json!({ "format": "parindex/assessment@1", "unit": unit, "self": { "entries": {
        "1.1": { "input": true }, "1.2": { "points": points } } } })
}

/// The (code, pointer) of every problem `validate PATH --format json` reports, sorted.
fn codes(path: &Path) -> Vec<(String, String)> {
    let out = parindex(&["validate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}: {}", path.display(), String::from_utf8_lossy(&out.stdout));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut codes: Vec<(String, String)> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap().to_owned(), e["path"].as_str().unwrap().to_owned()))
        .collect();
    codes.sort();
    codes
}

/// A name, the folder's files, and codes the problems must include.
type Case = (&'static str, Vec<(&'static str, Value)>, Vec<&'static str>);

#[test]
fn validate_file_and_folder_report_the_same_codes() {
    let mut bad_round = round();
    bad_round["units"][0]["block"] = "khong-co".into();
    let mut bad_class = round();
    bad_class["blocks"][0]["classes"][0]["from"] = "tám mươi".into();
    let mut bad_set = criteria();
    bad_set["nodes"][0]["children"][0]["max"] = "-1".into();
    let cases: Vec<Case> = vec![
        (
            "no-round",
            vec![("criteria/so.json", criteria()), ("assessments/so-a.json", assessment("so-a", json!("1")))],
            vec!["input_type"],
        ),
        (
            "no-set",
            vec![("round.json", round()), ("assessments/so-a.json", assessment("so-a", json!("1")))],
            vec!["unknown_criteria_set"],
        ),
        (
            "unknown-unit",
            vec![
                ("round.json", round()),
                ("criteria/so.json", criteria()),
                ("assessments/so-a.json", assessment("so-x", json!("1"))),
            ],
            vec!["unknown_unit"],
        ),
        (
            "unknown-block",
            vec![
                ("round.json", bad_round),
                ("criteria/so.json", criteria()),
                ("assessments/so-a.json", assessment("so-a", json!("1"))),
            ],
            vec!["unknown_block"],
        ),
        (
            "bad-round",
            vec![
                ("round.json", bad_class),
                ("criteria/so.json", criteria()),
                ("assessments/so-a.json", assessment("so-a", json!("1"))),
            ],
            vec![],
        ),
        (
            "bad-set",
            vec![
                ("round.json", round()),
                ("criteria/so.json", bad_set),
                ("assessments/so-a.json", assessment("so-a", json!("1"))),
            ],
            vec![],
        ),
        (
            "bad-entry",
            vec![
                ("round.json", round()),
                ("criteria/so.json", criteria()),
                ("assessments/so-a.json", assessment("so-a", json!("9"))),
            ],
            vec![],
        ),
        (
            "not-json",
            vec![
                ("round.json", round()),
                ("criteria/so.json", criteria()),
                ("assessments/so-a.json", json!("{ \"unit\": ")),
            ],
            vec!["input_type"],
        ),
        (
            "no-unit",
            vec![
                ("round.json", round()),
                ("criteria/so.json", criteria()),
                ("assessments/so-a.json", json!({ "format": "parindex/assessment@1" })),
            ],
            vec!["unknown_unit"],
        ),
    ];
    for (name, files, expected) in cases {
        let dir = folder(name, &files);
        let from_folder = codes(&dir);
        let from_file = codes(&dir.join("assessments/so-a.json"));
        assert_eq!(from_file, from_folder, "{name}");
        for code in expected {
            assert!(from_folder.iter().any(|(c, _)| c == code), "{name}: {from_folder:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
