//! Robustness: arbitrary JSON, and valid round documents with random parts replaced or
//! removed, never make `Round::from_json` (or loading and scoring a round's folder) panic, and
//! every problem reported has a message and a JSON Pointer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use parindex_rank::{FolderError, ResultsDocument, Round, RoundFolder, score_round};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

use parindex_testkit::{apply, arb_json, check_diagnostics, hostile_picks, mutation, replace_numbers};

// ---- rounds -------------------------------------------------------------------------------------

fn valid_round() -> Value {
    json!({
        "format": "parindex/round@1", "id": "dong-thap-2023", "title": "Xác định Chỉ số CCHC năm 2023",
        "year": 2023, "evaluator": "UBND tỉnh Đồng Tháp",
        "rounding": { "decimals": 2, "mode": "half_up" },
        "deadlines": { "self": "2024-01-15" },
        "blocks": [
            { "id": "so", "title": "Khối sở", "criteria_set": "criteria/so.json", "survey": true,
              "classes": [ { "label": "Xuất sắc", "from": "90" }, { "label": "Tốt", "from": "80" },
                           { "label": "Khá", "from": "70", "from_inclusive": false }, { "label": "Yếu", "from": "0" } ],
              "tie_breakers": ["survey", "appraised", "exact"] }
        ],
        "units": [
            { "id": "so-a", "name": "Sở A", "block": "so", "tags": ["has-procedures"] },
            { "id": "so-b", "name": "Sở B", "block": "so", "tags": [] },
            { "id": "so-c", "name": "Sở C", "block": "so", "tags": [], "ranked": false }
        ]
    })
}

fn criteria_set() -> Value {
    json!({
        "format": "parindex/criteria-set@1", "id": "so-2023", "title": "Bộ chỉ số",
        "adjustments": { "bonus_max": "2", "penalty_max": "3" },
        "nodes": [
            { "code": "1", "title": "Một", "children": [
                { "code": "1.1", "title": "a", "max": "60", "rule": { "kind": "manual" } },
                { "code": "1.2", "title": "b", "max": "1", "applies_to": ["has-procedures"], "rule": { "kind": "yes_no" } } ] },
            { "code": "2", "title": "Hai", "children": [
                { "code": "2.1", "title": "c", "max": "39", "rule": { "kind": "survey", "weights": { "A": "1", "B": "0.5" } } } ] }
        ]
    })
}

fn assessment(unit: &str, points: &str) -> Value {
    json!({
        "format": "parindex/assessment@1", "unit": unit,
        "self": { "submitted_at": "2024-01-16T08:00:00+07:00",
                  "entries": { "1.1": { "points": points, "note": "n" }, "1.2": { "input": true, "note": "n" } },
                  "bonus": [{ "points": "1", "reason": "r" }] },
        "survey": { "2.1": { "counts": { "A": 7, "B": 3 } } },
        "class_cap": { "label": "Tốt", "reason": "r" }
    })
}

fn check_round(doc: &Value) -> Result<(), TestCaseError> {
    let (round, diags) = Round::read_document(&parindex_json::Value::from(doc));
    check_diagnostics(&diags.errors)?;
    match Round::from_document(&parindex_json::Value::from(doc)) {
        Ok(r) => {
            prop_assert!(diags.is_empty());
            prop_assert_eq!(Some(&r), round.as_ref());
            prop_assert!(r.rounding.decimals <= 6);
            for u in &r.units {
                prop_assert!(r.block(&u.block).is_some(), "every unit's block exists");
            }
        }
        Err(e) => {
            prop_assert!(!e.is_empty());
            prop_assert_eq!(&e.errors, &diags.errors);
        }
    }
    Ok(())
}

struct TempFolder(PathBuf);

impl TempFolder {
    fn new() -> TempFolder {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("parindex-rank-arbitrary-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("assessments")).unwrap();
        std::fs::create_dir_all(dir.join("criteria")).unwrap();
        TempFolder(dir)
    }

    fn write(&self, relative: &str, doc: &Value) {
        std::fs::write(self.0.join(relative), doc.to_string()).unwrap();
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a folder from the given documents, loads and scores it: never a panic; problems
/// are well-formed; results survive a JSON round trip.
fn check_folder(round: &Value, set: &Value, assessments: &[Value]) -> Result<(), TestCaseError> {
    let folder = TempFolder::new();
    folder.write("round.json", round);
    folder.write("criteria/so.json", set);
    for (i, a) in assessments.iter().enumerate() {
        folder.write(&format!("assessments/{i}.json"), a);
    }
    match RoundFolder::load(&folder.0) {
        Ok(f) => {
            let results = score_round(&f);
            let text = serde_json::to_string(&results).unwrap();
            let back: ResultsDocument = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&back, &results);
            prop_assert_eq!(results.to_json_pretty(), serde_json::to_string_pretty(&results).unwrap() + "\n");
        }
        Err(FolderError::Invalid(d)) => {
            prop_assert!(!d.is_empty());
            check_diagnostics(&d.errors)?;
        }
        Err(e @ FolderError::NotAFolder { .. }) => return Err(TestCaseError::fail(e.to_string())),
    }
    Ok(())
}

#[test]
fn the_valid_round_loads_and_its_folder_scores() {
    assert!(Round::from_document(&parindex_json::Value::from(&valid_round())).is_ok());
    let folder = TempFolder::new();
    folder.write("round.json", &valid_round());
    folder.write("criteria/so.json", &criteria_set());
    folder.write("assessments/a.json", &assessment("so-a", "50"));
    let f = RoundFolder::load(&folder.0).unwrap();
    let results = score_round(&f);
    assert_eq!(results.blocks[0].units.len(), 3);
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn arbitrary_json_never_panics(doc in arb_json()) {
        check_round(&doc)?;
        if let Err(e) = Round::from_json(&doc.to_string()) {
            check_diagnostics(&e.errors)?;
        }
    }

    #[test]
    fn a_mutated_valid_round_never_panics(m in mutation(), second in mutation()) {
        let mut doc = valid_round();
        apply(&mut doc, &m);
        check_round(&doc)?;
        apply(&mut doc, &second);
        check_round(&doc)?;
    }

    #[test]
    fn hostile_numbers_in_a_round_never_panic(picks in hostile_picks()) {
        let mut doc = valid_round();
        replace_numbers(&mut doc, &picks);
        check_round(&doc)?;
    }
}

proptest! {
    // Each case writes a folder: fewer cases.
    #![proptest_config(Config { cases: 48, ..Config::default() })]

    #[test]
    fn a_mutated_round_folder_never_panics(
        which in 0usize..4,
        m in mutation(),
        picks in hostile_picks(),
    ) {
        let mut round = valid_round();
        let mut set = criteria_set();
        let mut a = assessment("so-a", "50");
        let b = assessment("so-b", "55.5");
        match which {
            0 => apply(&mut round, &m),
            1 => apply(&mut set, &m),
            2 => apply(&mut a, &m),
            _ => {
                replace_numbers(&mut round, &picks);
                replace_numbers(&mut set, &picks);
                replace_numbers(&mut a, &picks);
            }
        }
        check_folder(&round, &set, &[a, b])?;
    }
}
