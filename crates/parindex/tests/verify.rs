//! `verify`: published results against their round folder, and every way they can fail to
//! match — a tampered input, results of another round, a unit missing from either side, a
//! malformed results file — each with its own message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use parindex::{Difference, Error, verify};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

/// A fresh copy of a fixture round (without its expected results) and those results.
fn copy(name: &str, tag: &str) -> (PathBuf, String) {
    let from = fixture(name);
    let to = std::env::temp_dir().join(format!("parindex-verify-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(&from, &to);
    let _ = std::fs::remove_file(to.join("expected.json"));
    let results = std::fs::read_to_string(from.join("expected.json")).unwrap();
    (to, results)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn untouched_results_verify() {
    let (dir, results) = copy("ministries-2023", "ok");
    let v = verify(&dir, &results).unwrap();
    assert!(v.matches(), "{:?}", v.differences);
    assert_eq!((v.round.as_str(), v.units, v.inputs_checked), ("par-index-2023-bo", 17, 19));
}

#[test]
fn a_tampered_input_names_the_file_and_every_figure_it_moves() {
    let (dir, results) = copy("ministries-2023", "tampered");
    // Bộ Tài chính's appraisal points, 61.52 → 63.52: it overtakes Bộ Tư pháp.
    edit(&dir.join("assessments/bo-03.json"), "\"61.52\"", "\"63.52\"");
    let v = verify(&dir, &results).unwrap();
    assert!(!v.matches());
    let lines: Vec<String> = v.differences.iter().map(ToString::to_string).collect();
    let changed = v
        .differences
        .iter()
        .filter(|d| matches!(d, Difference::InputChanged { file, .. } if file == "assessments/bo-03.json"))
        .count();
    assert_eq!(changed, 1, "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("input assessments/bo-03.json: its SHA-256 is ")), "{lines:#?}");
    assert!(lines.contains(&"bo/bo-03: index is 89.18 in the results, 91.18 on re-scoring".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"bo/bo-03: rank is 3 in the results, 1 on re-scoring".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"bo/bo-01: rank is 1 in the results, 2 on re-scoring".to_owned()), "{lines:#?}");
    assert!(
        lines.contains(&"bo/bo-03 node 1: points is 61.52 in the results, 63.52 on re-scoring".to_owned()),
        "{lines:#?}"
    );
    // No other input is reported.
    assert!(!lines.iter().any(|l| l.starts_with("input ") && !l.contains("bo-03")), "{lines:#?}");
}

#[test]
fn a_byte_changed_but_figure_neutral_input_is_still_reported() {
    let (dir, results) = copy("ministries-2023", "whitespace");
    let p = dir.join("assessments/bo-10.json");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push('\n');
    std::fs::write(&p, text).unwrap();
    let v = verify(&dir, &results).unwrap();
    assert_eq!(v.differences.len(), 1, "{:?}", v.differences);
    assert!(matches!(&v.differences[0], Difference::InputChanged { file, .. } if file == "assessments/bo-10.json"));
}

#[test]
fn results_of_another_round_are_refused() {
    let (dir, _) = copy("ministries-2023", "other-round");
    let other = std::fs::read_to_string(fixture("dong-thap-2023").join("expected.json")).unwrap();
    match verify(&dir, &other) {
        Err(e @ Error::OtherRound { .. }) => assert_eq!(
            e.to_string(),
            "the results are of round 'dong-thap-2023', but the folder holds round 'par-index-2023-bo'"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_unit_missing_from_the_results() {
    let (dir, results) = copy("ministries-2023", "missing-in-results");
    let mut doc: Value = serde_json::from_str(&results).unwrap();
    doc["blocks"][0]["units"].as_array_mut().unwrap().retain(|u| u["unit"] != "bo-05");
    let v = verify(&dir, &doc.to_string()).unwrap();
    let lines: Vec<String> = v.differences.iter().map(ToString::to_string).collect();
    assert_eq!(lines, vec!["bo/bo-05: the unit is in the round, but not in the results".to_owned()]);
}

#[test]
fn a_unit_missing_from_the_round() {
    let (dir, results) = copy("ministries-2023", "missing-in-round");
    let mut doc: Value = serde_json::from_str(&results).unwrap();
    let units = doc["blocks"][0]["units"].as_array_mut().unwrap();
    let mut ghost = units[16].clone();
    ghost["unit"] = "bo-18".into();
    ghost["name"] = "Bộ không có trong kỳ đánh giá".into();
    units.push(ghost);
    let v = verify(&dir, &doc.to_string()).unwrap();
    let lines: Vec<String> = v.differences.iter().map(ToString::to_string).collect();
    assert_eq!(lines, vec!["bo/bo-18: the unit is in the results, but not in the round".to_owned()]);
}

#[test]
fn malformed_results_files() {
    let (dir, results) = copy("ministries-2023", "malformed");
    let malformed = |text: &str| match verify(&dir, text) {
        Err(e @ Error::MalformedResults(_)) => e.to_string(),
        other => panic!("{text}: {other:?}"),
    };
    let m = malformed("{ \"format\": ");
    assert!(m.starts_with("the results file is not a parindex results document: "), "{m}");
    let m = malformed("[1, 2]");
    assert!(m.contains("not a parindex results document"), "{m}");
    let mut doc: Value = serde_json::from_str(&results).unwrap();
    doc["format"] = "parindex/assessment@1".into();
    let m = malformed(&doc.to_string());
    assert!(m.contains("its \"format\" is \"parindex/assessment@1\", not \"parindex/results@1\""), "{m}");
    let mut doc: Value = serde_json::from_str(&results).unwrap();
    doc["blocks"][0]["units"][0].as_object_mut().unwrap().remove("index");
    let m = malformed(&doc.to_string());
    assert!(m.contains("missing field `index`"), "{m}");
    let mut doc: Value = serde_json::from_str(&results).unwrap();
    doc["blocks"][0]["units"][0]["index"] = "89,96".into();
    malformed(&doc.to_string());
}

#[test]
fn a_round_that_no_longer_loads_still_gets_its_hashes_checked() {
    let (dir, results) = copy("ministries-2023", "broken");
    edit(&dir.join("assessments/bo-07.json"), "\"points\": \"", "\"points\": \"x");
    let v = verify(&dir, &results).unwrap();
    assert!(matches!(&v.differences[0], Difference::InputChanged { file, .. } if file == "assessments/bo-07.json"));
    let Difference::RoundInvalid { problems } = &v.differences[1] else { panic!("{:?}", v.differences) };
    assert_eq!(problems.errors[0].file.as_deref(), Some("assessments/bo-07.json"));
    assert!(v.differences[1].to_string().starts_with("the round folder no longer loads (1 problem(s))"));
}

#[test]
fn a_deleted_and_an_added_input_file() {
    let (dir, results) = copy("ministries-2023", "added");
    // Results published before bo-17 submitted: its file is not recorded there.
    std::fs::rename(dir.join("assessments/bo-17.json"), dir.join("bo-17.json.away")).unwrap();
    let before = parindex::score_folder(&dir).unwrap().to_json_pretty();
    std::fs::rename(dir.join("bo-17.json.away"), dir.join("assessments/bo-17.json")).unwrap();
    let v = verify(&dir, &before).unwrap();
    let lines: Vec<String> = v.differences.iter().map(ToString::to_string).collect();
    assert!(
        lines.contains(
            &"input assessments/bo-17.json: the round is scored from it now, but the results do not record it"
                .to_owned()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"bo/bo-17: status is not_submitted in the results, self_assessed on re-scoring".to_owned()),
        "{lines:#?}"
    );
    // And the other way round: the file the results were scored from is gone.
    std::fs::remove_file(dir.join("assessments/bo-16.json")).unwrap();
    let v = verify(&dir, &results).unwrap();
    let lines: Vec<String> = v.differences.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l
            .starts_with("input assessments/bo-16.json: the results were scored from it, but it cannot be read now")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("bo/bo-16: findings differ") || l.starts_with("bo/bo-16: the findings differ")),
        "{lines:#?}"
    );
}

#[test]
fn findings_are_compared_as_a_set() {
    let (dir, results) = copy("dong-thap-2023", "findings");
    let mut doc: Value = serde_json::from_str(&results).unwrap();
    let so = doc["blocks"][0]["units"].as_array_mut().unwrap();
    let unit = so.iter_mut().find(|u| u["unit"] == "so-cong-thuong").unwrap();
    // Reordered and reworded findings still match; a dropped one does not.
    unit["findings"][0]["message"] = "worded differently".into();
    let v = verify(&dir, &doc.to_string()).unwrap();
    assert!(v.matches(), "{:?}", v.differences);
    let so = doc["blocks"][0]["units"].as_array_mut().unwrap();
    let unit = so.iter_mut().find(|u| u["unit"] == "so-cong-thuong").unwrap();
    unit["findings"] = Value::Array(vec![]);
    let v = verify(&dir, &doc.to_string()).unwrap();
    let lines: Vec<String> = v.differences.iter().map(ToString::to_string).collect();
    assert_eq!(lines, vec!["so/so-cong-thuong: the findings differ; only on re-scoring: missing_entry 2.4".to_owned()]);
}

#[test]
fn unstamped_results_compare_figures_only() {
    // Results from before the stamp (like the shared conformance cases' expected.json).
    let (dir, results) = copy("ministries-2023", "unstamped");
    let mut doc: Value = serde_json::from_str(&results).unwrap();
    let m = doc.as_object_mut().unwrap();
    m.remove("engine");
    m.remove("inputs");
    let v = verify(&dir, &doc.to_string()).unwrap();
    assert!(v.matches(), "{:?}", v.differences);
    assert_eq!(
        v.notes,
        vec![
            "the results carry no engine stamp".to_owned(),
            "the results record no input hashes: only the figures are compared".to_owned()
        ]
    );
    assert_eq!(v.inputs_checked, 0);
}
