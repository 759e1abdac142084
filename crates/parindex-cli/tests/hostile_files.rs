//! Hostile and broken files (issue #11): every case ends with a clear error, the right exit
//! status and code, and nothing scored — never a hang, a huge allocation or a silent
//! "0 assessments". Inputs are generated in a temporary folder; large inputs are tested
//! with a small `--max-document-size` rather than with large files.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

/// Runs the program with a time limit: a case that hangs fails instead of stalling CI.
fn parindex(args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if rx.recv_timeout(Duration::from_secs(60)).is_err() {
            // Still running after a minute: end this child (by its own id) so the test fails.
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = tx.send(());
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const CRITERIA: &str = r#"{
  "format": "parindex/criteria-set@1", "id": "so", "title": "Bộ tiêu chí",
  "nodes": [ { "code": "1", "title": "Công tác chỉ đạo", "children": [
    { "code": "1.1", "title": "Ban hành kế hoạch", "max": "1", "rule": { "kind": "yes_no" } },
    { "code": "1.2", "title": "Mức độ hoàn thành", "max": "2", "rule": { "kind": "manual" } }
  ] } ]
}"#;

const ROUND: &str = r#"{
  "format": "parindex/round@1", "id": "thu", "title": "Vòng thử", "year": 2023, "evaluator": "UBND tỉnh",
  "blocks": [ { "id": "so", "title": "Khối sở", "criteria_set": "criteria/so.json", "survey": false,
                "classes": [ { "label": "Tốt", "from": "80" }, { "label": "Khá", "from": "0" } ] } ],
  "units": [ { "id": "so-a", "name": "Sở Nội vụ", "block": "so", "tags": [] },
             { "id": "so-b", "name": "Sở Tư pháp", "block": "so", "tags": [] } ]
}"#;

fn assessment(unit: &str, points: &str) -> String {
    format!(
        r#"{{ "format": "parindex/assessment@1", "unit": "{unit}", "self": {{ "entries": {{
  "1.1": {{ "input": true, "note": "Kế hoạch số 01/KH" }},
  "1.2": {{ "points": {points}, "note": "Báo cáo" }} }} }} }}"#
    )
}

/// A fresh round folder holding `files` (relative path → text); `None` leaves a file out.
fn folder(name: &str, files: &[(&str, Option<String>)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let defaults = [
        ("round.json", ROUND.to_owned()),
        ("criteria/so.json", CRITERIA.to_owned()),
        ("assessments/so-a.json", assessment("so-a", "\"2\"")),
        ("assessments/so-b.json", assessment("so-b", "\"1.5\"")),
    ];
    let mut all: Vec<(String, Option<String>)> =
        defaults.iter().map(|(p, t)| ((*p).to_owned(), Some(t.clone()))).collect();
    for (path, content) in files {
        all.retain(|(p, _)| p != path);
        all.push(((*path).to_owned(), content.clone()));
    }
    std::fs::create_dir_all(&dir).unwrap();
    for (path, content) in all {
        if let Some(content) = content {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        }
    }
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `validate --format json` on `dir`: exits 1, and the errors as (code, file, path).
fn invalid(dir: &Path) -> Vec<(String, String, String, String)> {
    let out = parindex(&["validate", s(dir), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let field = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (field("code"), field("file"), field("path"), field("message"))
        })
        .collect()
}

/// `score` on `dir` exits 1 with nothing on standard output (nothing scored).
fn nothing_scored(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["score", s(dir)];
    args.extend_from_slice(extra);
    let out = parindex(&args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "something was scored: {}", text(&out.stdout));
    text(&out.stderr)
}

#[test]
fn the_default_folder_is_valid() {
    let dir = folder("ok", &[]);
    let out = parindex(&["score", s(&dir)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

// 1. Decimals that do not fit are refused, never rounded.

#[test]
fn more_digits_than_fit_is_bad_decimal_as_a_string_or_a_number() {
    for points in ["\"1.99999999999999999999999999999\"", "1.99999999999999999999999999999"] {
        let dir = folder("digits", &[("assessments/so-a.json", Some(assessment("so-a", points)))]);
        let errors = invalid(&dir);
        assert!(
            errors.iter().any(|(code, file, path, message)| code == "bad_decimal"
                && file == "assessments/so-a.json"
                && path == "/self/entries/1.2/points"
                && message.contains("28")),
            "{points}: {errors:?}"
        );
        nothing_scored(&dir, &[]);
    }
}

// 2. Keys given twice.

#[test]
fn a_key_given_twice_is_reported_in_every_document() {
    let entry_twice = r#"{ "format": "parindex/assessment@1", "unit": "so-a", "self": { "entries": {
  "1.1": { "input": false, "input": true, "note": "x" } } } }"#;
    let round_twice = ROUND.replacen(r#""id": "thu","#, r#""id": "thu", "id": "khac","#, 1);
    let set_twice = CRITERIA.replacen(r#""max": "1","#, r#""max": "1", "max": "0.5","#, 1);
    for (name, file, content, want_path) in [
        ("entry", "assessments/so-a.json", entry_twice.to_owned(), "/self/entries/1.1/input"),
        ("round", "round.json", round_twice, "/id"),
        ("set", "criteria/so.json", set_twice, "/nodes/0/children/0/max"),
    ] {
        let dir = folder(&format!("twice-{name}"), &[(file, Some(content))]);
        let errors = invalid(&dir);
        assert!(
            errors.iter().any(|(code, f, path, _)| code == "input_type" && f == file && path == want_path),
            "{name}: {errors:?}"
        );
        nothing_scored(&dir, &[]);
    }
}

#[test]
fn a_key_given_twice_in_published_results_is_refused_by_verify_and_previous() {
    let dir = folder("twice-results", &[]);
    let out = parindex(&["score", s(&dir)]);
    assert_eq!(out.status.code(), Some(0));
    let published = text(&out.stdout);
    let doctored = published.replacen("\"index\": ", "\"index\": \"0.00\", \"index\": ", 1);
    assert_ne!(doctored, published);
    let results = dir.join("results.json");
    std::fs::write(&results, &doctored).unwrap();
    let out = parindex(&["verify", s(&dir), s(&results)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("more than once"), "{}", text(&out.stderr));
    let out = parindex(&["score", s(&dir), "--previous", s(&results)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("more than once"), "{}", text(&out.stderr));
}

// 3. A folder that cannot be listed is never "no assessments".

#[test]
fn an_assessments_folder_that_is_missing_or_not_a_folder_is_an_error() {
    let missing = folder("no-assessments", &[("assessments/so-a.json", None), ("assessments/so-b.json", None)]);
    let _ = std::fs::remove_dir_all(missing.join("assessments"));
    let a_file = folder("assessments-file", &[("assessments/so-a.json", None), ("assessments/so-b.json", None)]);
    let _ = std::fs::remove_dir_all(a_file.join("assessments"));
    std::fs::write(a_file.join("assessments"), "not a folder").unwrap();
    let dangling = folder("assessments-dangling", &[("assessments/so-a.json", None), ("assessments/so-b.json", None)]);
    let _ = std::fs::remove_dir_all(dangling.join("assessments"));
    std::os::unix::fs::symlink(dangling.join("nowhere"), dangling.join("assessments")).unwrap();
    let fifo = folder("assessments-fifo", &[("assessments/so-a.json", None), ("assessments/so-b.json", None)]);
    let _ = std::fs::remove_dir_all(fifo.join("assessments"));
    mkfifo(&fifo.join("assessments"));
    for dir in [&missing, &a_file, &dangling, &fifo] {
        let errors = invalid(dir);
        assert!(errors.iter().any(|(code, file, _, _)| code == "input_type" && file == "assessments"), "{errors:?}");
        let stderr = nothing_scored(dir, &[]);
        assert!(stderr.contains("assessments"), "{stderr}");
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

// 4. Only regular files are read.

#[test]
fn devices_fifos_and_links_to_them_are_refused_by_name() {
    let dir = folder("special", &[]);
    let fifo = dir.join("pipe.json");
    mkfifo(&fifo);
    let link = dir.join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for path in [Path::new("/dev/zero"), Path::new("/dev/urandom"), &fifo, &link] {
        for args in [vec!["validate", s(path)], vec!["criteria", "show", s(path)]] {
            let out = parindex(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let stderr = text(&out.stderr);
            assert!(stderr.contains("not a file") && stderr.contains(s(path)), "{stderr}");
        }
    }
    // Inside a round folder: an assessment that is a FIFO.
    let round = folder("special-round", &[]);
    mkfifo(&round.join("assessments/so-c.json"));
    let errors = invalid(&round);
    assert!(
        errors
            .iter()
            .any(|(code, file, _, m)| code == "input_type" && file == "assessments/so-c.json" && m.contains("FIFO")),
        "{errors:?}"
    );
    nothing_scored(&round, &[]);
}

// 5. A round folder is self-contained.

#[test]
fn paths_that_leave_the_round_folder_are_refused() {
    let outside = std::env::temp_dir().join(format!("parindex-hostile-outside-{}.json", std::process::id()));
    std::fs::write(&outside, CRITERIA).unwrap();
    for (name, criteria_set) in [
        ("dotdot", "../../etc/passwd".to_owned()),
        ("absolute", outside.display().to_string()),
        ("link", "criteria/link.json".to_owned()),
    ] {
        let round = ROUND.replace("criteria/so.json", &criteria_set);
        let dir = folder(&format!("outside-{name}"), &[("round.json", Some(round))]);
        if name == "link" {
            std::os::unix::fs::symlink(&outside, dir.join("criteria/link.json")).unwrap();
        }
        let errors = invalid(&dir);
        assert!(
            errors.iter().any(|(code, file, path, m)| code == "unknown_criteria_set"
                && file == "round.json"
                && path == "/blocks/0/criteria_set"
                && m.contains("outside the round folder")),
            "{name}: {errors:?}"
        );
        nothing_scored(&dir, &[]);
    }
    // An assessment that is a link out of the folder.
    let dir = folder("outside-assessment", &[]);
    std::os::unix::fs::symlink(&outside, dir.join("assessments/so-c.json")).unwrap();
    let errors = invalid(&dir);
    assert!(
        errors.iter().any(|(_, file, _, m)| file == "assessments/so-c.json" && m.contains("outside")),
        "{errors:?}"
    );
}

// 6. Bounded memory: the document size limit and the problem cap.

#[test]
fn a_document_over_the_size_limit_is_refused_and_the_limit_can_be_raised() {
    let padding = " ".repeat(5000);
    let big = assessment("so-a", "\"2\"").replacen('{', &format!("{{{padding}"), 1);
    let dir = folder("too-large", &[("assessments/so-a.json", Some(big))]);
    let errors = {
        let out = parindex(&["validate", s(&dir), "--format", "json", "--max-document-size", "4KiB"]);
        assert_eq!(out.status.code(), Some(1));
        let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        v["errors"].as_array().unwrap().clone()
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "assessments/so-a.json");
    assert!(errors[0]["message"].as_str().unwrap().contains("--max-document-size"), "{errors:?}");
    nothing_scored(&dir, &["--max-document-size", "4KiB"]);
    for command in ["explain", "report"] {
        let mut args = vec![command, s(&dir), "--max-document-size", "4KiB"];
        args.extend_from_slice(if command == "explain" { &["--unit", "so-a"] } else { &["--format", "md"] });
        let out = parindex(&args);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(out.stdout.is_empty(), "{command}");
    }
    let out = parindex(&["score", s(&dir), "--max-document-size", "1MiB"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn at_most_a_thousand_problems_are_printed_then_a_count_per_code() {
    let entries: Vec<String> = (0..1500).map(|i| format!("\"9.{i}\": {{\"points\": \"1\"}}")).collect();
    let doc = format!(
        r#"{{ "format": "parindex/assessment@1", "unit": "so-a", "self": {{ "entries": {{ {} }} }} }}"#,
        entries.join(",")
    );
    let dir = folder("many-problems", &[("assessments/so-a.json", Some(doc))]);
    let out = parindex(&["validate", s(&dir)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1002, "{}", &stdout[stdout.len().saturating_sub(500)..]);
    assert_eq!(lines[1000], "và 500 lỗi khác cùng mã unknown_criterion / and 500 more of code unknown_criterion");
    assert_eq!(lines[1001], "Tìm thấy 1500 lỗi");
    let out = parindex(&["validate", s(&dir), "--format", "json"]);
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["errors"].as_array().unwrap().len(), 1000);
    assert_eq!(v["omitted"]["unknown_criterion"], 500);
}

// 17. Control characters from documents never reach the terminal as themselves.

#[test]
fn control_characters_in_documents_are_escaped_in_text_output() {
    let round = ROUND.replace("Sở Nội vụ", "Sở \\u001b[2JNội\\r vụ\\u202e");
    let dir = folder("controls", &[("round.json", Some(round))]);
    let out = parindex(&["score", s(&dir), "--format", "table"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(!table.contains('\u{1b}') && !table.contains('\r') && !table.contains('\u{202e}'), "{table:?}");
    assert!(table.contains("\\u{1b}[2J"), "{table}");
    let bad_unit = assessment("so-a\\u001b]0;owned\\u0007", "\"2\"");
    let dir = folder("controls-msg", &[("assessments/so-a.json", Some(bad_unit))]);
    let out = parindex(&["validate", s(&dir)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'), "{stdout:?}");
    assert!(stdout.contains("\\u{1b}]0;owned\\u{7}"), "{stdout}");
}

#[test]
fn csv_report_cells_that_look_like_formulas_are_text() {
    let round = ROUND.replace("Sở Nội vụ", "=HYPERLINK(\\\"http://x\\\")");
    let dir = folder("csv-injection", &[("round.json", Some(round))]);
    let out = parindex(&["report", s(&dir), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}

// 7. Workbooks that are not workbooks.

#[test]
fn import_refuses_a_file_that_is_not_an_xlsx_with_exit_1_in_both_languages() {
    let dir = folder("import", &[]);
    let fake = dir.join("form.xlsx");
    std::fs::write(&fake, "unit,points\nso-a,2\n").unwrap();
    let out = parindex(&["import", s(&fake), "--round", s(&dir)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("không phải là sổ tính Excel") && stderr.contains("not a usable .xlsx workbook"),
        "{stderr}"
    );
    assert!(!stderr.contains("EOCD"), "{stderr}");
    assert!(out.stdout.is_empty());
}
