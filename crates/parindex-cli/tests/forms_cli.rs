//! The `form` and `import` commands: files written, exit statuses, and nothing written when
//! the workbook has problems.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `parindex args` in English (the Vietnamese default is tested in tests/locale.rs).
fn parindex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parindex")).env("PARINDEX_LOCALE", "en").args(args).output().unwrap()
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2023")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-forms-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn form_then_import_of_an_empty_form_gives_a_self_stage_with_no_entries() {
    let dir = scratch("empty");
    let xlsx = dir.join("so-noi-vu.xlsx");
    let o = parindex(&["form", s(&fixture()), "--unit", "so-noi-vu", "--out", s(&xlsx)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 5000);

    let out = dir.join("assessments/so-noi-vu.json");
    let o = parindex(&["import", s(&xlsx), "--round", s(&fixture()), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["unit"], "so-noi-vu");
    assert_eq!(doc["self"]["entries"], serde_json::json!({}));
    // Every item left blank is reported as a finding, with its cell.
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(stderr.contains("warning: so-noi-vu.xlsx: 'Tự đánh giá'!E8 [missing_entry] 1.1.1"), "{stderr}");
}

#[test]
fn the_appraisal_form_needs_the_units_assessment() {
    let dir = scratch("appraisal");
    let xlsx = dir.join("a.xlsx");
    let o = parindex(&["form", s(&fixture()), "--unit", "so-noi-vu", "--out", s(&xlsx), "--stage", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8(o.stdout).unwrap().contains("Thẩm định lần 2"));
    // Imported without changes, stage 2 replaces the fixture's stage 2 with an empty one.
    let o = parindex(&["import", s(&xlsx), "--round", s(&fixture())]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["appraisals"][1], serde_json::json!({"stage": 2, "entries": {}}));
    assert_eq!(doc["appraisals"][0]["stage"], 1);

    let empty = scratch("no-assessments");
    std::fs::copy(fixture().join("round.json"), empty.join("round.json")).unwrap();
    std::fs::create_dir_all(empty.join("criteria")).unwrap();
    std::fs::copy(fixture().join("criteria/so-2023.json"), empty.join("criteria/so-2023.json")).unwrap();
    std::fs::copy(fixture().join("criteria/huyen-2023.json"), empty.join("criteria/huyen-2023.json")).unwrap();
    let o = parindex(&["form", s(&empty), "--unit", "so-noi-vu", "--out", s(&xlsx), "--stage", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8(o.stderr).unwrap().contains("import its self-assessment first"));
}

#[test]
fn a_bad_workbook_exits_1_and_writes_nothing() {
    let dir = scratch("bad");
    let xlsx = dir.join("so-noi-vu.xlsx");
    assert_eq!(parindex(&["form", s(&fixture()), "--unit", "so-noi-vu", "--out", s(&xlsx)]).status.code(), Some(0));
    // The same round under another id: the workbook is for another round.
    let other = dir.join("round-2024");
    std::fs::create_dir_all(other.join("criteria")).unwrap();
    let round = std::fs::read_to_string(fixture().join("round.json")).unwrap();
    std::fs::write(other.join("round.json"), round.replace("\"id\": \"dong-thap-2023\"", "\"id\": \"dong-thap-2024\""))
        .unwrap();
    for set in ["so-2023.json", "huyen-2023.json"] {
        std::fs::copy(fixture().join("criteria").join(set), other.join("criteria").join(set)).unwrap();
    }
    let out = dir.join("out.json");
    let o = parindex(&["import", s(&xlsx), "--round", s(&other), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(stderr.contains("so-noi-vu.xlsx: 'Tự đánh giá'!D2 [input_type]"), "{stderr}");
    assert!(!out.exists(), "nothing is written");

    let o = parindex(&["import", s(&xlsx), "--round", s(&other), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let errors: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(errors["errors"][0]["cell"], "'Tự đánh giá'!D2");
    assert!(o.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch("usage");
    let xlsx = dir.join("x.xlsx");
    let o = parindex(&["form", s(&fixture()), "--unit", "khong-co", "--out", s(&xlsx)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8(o.stderr).unwrap().contains("'khong-co' is not a unit of the round 'dong-thap-2023'"));
    assert_eq!(
        parindex(&["form", s(&fixture()), "--unit", "so-noi-vu", "--out", s(&xlsx), "--stage", "0"]).status.code(),
        Some(2)
    );
    assert_eq!(parindex(&["import", s(&dir.join("missing.xlsx")), "--round", s(&fixture())]).status.code(), Some(2));
    assert_eq!(parindex(&["import", s(&xlsx)]).status.code(), Some(2));
    assert!(!xlsx.exists());
}
