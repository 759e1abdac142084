//! The `parindex` program: commands, output formats and exit statuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

/// Runs `parindex args` in English (the Vietnamese default is tested in tests/locale.rs).
fn parindex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parindex")).env("PARINDEX_LOCALE", "en").args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh temporary round folder holding `files` (relative path → JSON).
fn round_folder(name: &str, files: &[(&str, Value)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, doc) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    }
    dir
}

fn criteria() -> Value {
    json!({
        "format": "parindex/criteria-set@1", "id": "so", "title": "Bộ tiêu chí",
        "nodes": [ { "code": "1", "title": "Công tác chỉ đạo, điều hành CCHC", "children": [
            { "code": "1.1", "title": "Ban hành kế hoạch CCHC năm", "max": "1", "rule": { "kind": "yes_no" } },
            { "code": "1.2", "title": "Mức độ hoàn thành kế hoạch", "max": "2", "rule": { "kind": "manual", "step": "0.25" } }
        ] } ]
    })
}

fn round() -> Value {
    json!({
        "format": "parindex/round@1", "id": "thu", "title": "Vòng thử", "year": 2023, "evaluator": "UBND tỉnh",
        "blocks": [ { "id": "so", "title": "Khối sở", "criteria_set": "criteria/so.json", "survey": false,
                      "classes": [ { "label": "Tốt", "from": "80" }, { "label": "Khá", "from": "0" } ] } ],
        "units": [ { "id": "so-a", "name": "Sở Nội vụ", "block": "so", "tags": [] },
                   { "id": "so-b", "name": "Sở Tư pháp", "block": "so", "tags": [] } ]
    })
}

fn assessment(unit: &str, points: Value) -> Value {
    json!({ "format": "parindex/assessment@1", "unit": unit, "self": { "entries": {
        "1.1": { "input": true, "note": "Kế hoạch số 01/KH" },
        "1.2": { "points": points, "note": "Báo cáo" } } } })
}

fn valid_round(name: &str) -> PathBuf {
    round_folder(
        name,
        &[
            ("round.json", round()),
            ("criteria/so.json", criteria()),
            ("assessments/so-a.json", assessment("so-a", json!("2"))),
            ("assessments/so-b.json", assessment("so-b", json!("1.5"))),
        ],
    )
}

#[test]
fn score_prints_the_results_document() {
    let dir = valid_round("score");
    let out = parindex(&["score", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let results: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(results["format"], "parindex/results@1");
    let units = &results["blocks"][0]["units"];
    assert_eq!(units[0]["unit"], "so-a");
    assert_eq!(units[0]["index"], "100.00");
    assert_eq!(units[0]["rank"], 1);
    assert_eq!(units[1]["unit"], "so-b");
    assert_eq!(units[1]["total"], "2.50");
    assert_eq!(units[1]["index"], "83.33");
    assert_eq!(units[1]["class"], "Tốt");
}

#[test]
fn score_table_is_readable_text() {
    let dir = valid_round("table");
    let out = parindex(&["score", dir.to_str().unwrap(), "--format", "table"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Khối sở"), "{text}");
    let first = text.lines().find(|l| l.contains("Sở Nội vụ")).unwrap();
    assert!(first.trim_start().starts_with('1') && first.contains("100.00") && first.contains("Tốt"), "{first}");
    assert!(text.lines().any(|l| l.contains("Sở Tư pháp") && l.contains("83.33")), "{text}");
}

#[test]
fn validate_accepts_a_valid_folder() {
    let dir = valid_round("valid");
    let out = parindex(&["validate", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("valid round folder (2 units, 2 assessments)"), "{}", stdout(&out));
    let out = parindex(&["validate", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["errors"], json!([]));
}

fn invalid_round(name: &str) -> PathBuf {
    round_folder(
        name,
        &[
            ("round.json", round()),
            ("criteria/so.json", criteria()),
            ("assessments/so-a.json", assessment("so-a", json!("0,5"))),
            ("assessments/so-b.json", assessment("so-b", json!("1.3"))),
        ],
    )
}

#[test]
fn validate_lists_every_problem_as_json() {
    let dir = invalid_round("json");
    let out = parindex(&["validate", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let decimal = errors.iter().find(|e| e["code"] == "bad_decimal").unwrap();
    assert_eq!(decimal["file"], "assessments/so-a.json");
    assert_eq!(decimal["path"], "/self/entries/1.2/points");
    assert_eq!(decimal["criterion"], "1.2");
    assert!(decimal["message"].as_str().unwrap().contains("'0.5'"), "{decimal}");
    let step = errors.iter().find(|e| e["code"] == "step_mismatch").unwrap();
    assert_eq!(step["file"], "assessments/so-b.json");
    assert_eq!(step["criterion"], "1.2");
}

#[test]
fn validate_text_is_one_line_per_problem() {
    let dir = invalid_round("text");
    let out = parindex(&["validate", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with("assessments/so-a.json:/self/entries/1.2/points [bad_decimal] 1.2: ")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("assessments/so-b.json:/self/entries/1.2/points [step_mismatch] 1.2: "))
    );
}

#[test]
fn score_refuses_invalid_input_with_the_same_errors() {
    let dir = invalid_round("score-invalid");
    let out = parindex(&["score", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("[bad_decimal] 1.2"), "{}", stderr(&out));
}

#[test]
fn validate_single_documents() {
    let dir = invalid_round("single");
    let set = dir.join("criteria/so.json");
    let out = parindex(&["validate", set.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("valid criteria set"));
    let round = dir.join("round.json");
    assert_eq!(parindex(&["validate", round.to_str().unwrap()]).status.code(), Some(0));
    let good = dir.join("assessments/so-a.json");
    std::fs::write(&good, serde_json::to_string(&assessment("so-a", json!("0.75"))).unwrap()).unwrap();
    let out = parindex(&["validate", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let bad = dir.join("assessments/so-b.json");
    let out = parindex(&["validate", bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["errors"][0]["code"], "step_mismatch");
    // Elsewhere, an assessment is checked against the round named by --round.
    let elsewhere = std::env::temp_dir().join(format!("parindex-cli-lone-{}.json", std::process::id()));
    std::fs::copy(&good, &elsewhere).unwrap();
    let out = parindex(&["validate", elsewhere.to_str().unwrap(), "--round", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn malformed_json_names_line_and_column() {
    let dir = valid_round("malformed");
    std::fs::write(dir.join("assessments/so-b.json"), "{ \"format\": \"parindex/assessment@1\", ").unwrap();
    let out = parindex(&["validate", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("assessments/so-b.json:/ [input_type]: not valid JSON"), "{}", stdout(&out));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(parindex(&["score"]).status.code(), Some(2));
    assert_eq!(parindex(&["score", "/nonexistent/parindex-round"]).status.code(), Some(2));
    assert_eq!(parindex(&["validate", "/nonexistent/file.json"]).status.code(), Some(2));
    assert_eq!(parindex(&["score", ".", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(parindex(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["score", "--help"],
        &["validate", "--help"],
        &["explain", "--help"],
        &["verify", "--help"],
        &["report", "--help"],
        &["criteria", "--help"],
        &["criteria", "show", "--help"],
        &["criteria", "diff", "--help"],
    ] {
        let out = parindex(args);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("Usage: parindex"), "{}", stdout(&out));
    }
}

#[test]
fn a_folder_without_round_json_is_invalid_input() {
    let dir = round_folder("empty", &[("criteria/so.json", criteria())]);
    let out = parindex(&["validate", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("round.json"));
    assert!(Path::new(&dir).exists());
}

#[test]
fn score_takes_a_round_bundle_file() {
    let bundle = json!({"format": "parindex/round-bundle@1", "round": "r", "files": {
        "round.json": round(),
        "criteria/so.json": criteria(),
        "assessments/so-a.json": assessment("so-a", json!("2")),
        "assessments/so-b.json": assessment("so-b", json!("1.5")),
    }});
    let dir = round_folder("bundle", &[("bundle.json", bundle.clone())]);
    let from_bundle = parindex(&["score", dir.join("bundle.json").to_str().unwrap()]);
    assert_eq!(from_bundle.status.code(), Some(0), "{}", stderr(&from_bundle));
    let folder = valid_round("bundle-folder");
    assert_eq!(stdout(&from_bundle), stdout(&parindex(&["score", folder.to_str().unwrap()])));

    let mut wrong = bundle;
    wrong["format"] = json!("parindex/round@1");
    let dir = round_folder("bad-bundle", &[("bundle.json", wrong)]);
    let out = parindex(&["score", dir.join("bundle.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("parindex/round-bundle@1"), "{}", stderr(&out));
}

#[test]
fn api_commands_have_help() {
    for args in [
        &["serve", "--help"][..],
        &["token", "create", "--help"],
        &["audit", "verify", "--help"],
        &["schema", "--help"],
    ] {
        let out = parindex(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Usage: parindex"), "{}", stdout(&out));
    }
    let out = parindex(&["token", "create", "--role", "mayor", "--db", "/nonexistent/x.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown role"));
    assert_eq!(parindex(&["audit", "verify", "--db", "/nonexistent/x.db"]).status.code(), Some(2));
}
