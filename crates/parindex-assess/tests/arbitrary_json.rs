//! Robustness: arbitrary JSON, and valid assessments (and criteria sets) with random parts
//! replaced or removed, never make `Assessment::from_json` or `score_unit` panic; every
//! problem reported has a message and a JSON Pointer; and whatever loads scores a total
//! within `[0, max]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_assess::{Assessment, UnitContext, score_unit};
use parindex_core::{CriteriaSet, Date, Decimal};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

use parindex_testkit::{apply, arb_json, check_diagnostics, hostile_picks, mutation, replace_numbers, valid_set};

// ---- assessments ------------------------------------------------------------------------------

fn valid_assessment() -> Value {
    json!({
        "format": "parindex/assessment@1", "unit": "so-a",
        "self": {
            "submitted_at": "2024-01-10T08:00:00+07:00",
            "entries": {
                "1.1": { "input": "2023-01-20", "evidence": [{ "title": "QĐ 15/QĐ-SNV", "ref": "15/QĐ" }] },
                "1.2": { "input": { "numerator": 18, "denominator": 20 }, "points": "1", "note": "Đạt 90%" },
                "1.3": { "points": "0.75", "note": "Chấm tay" },
                "1.4": { "input": true, "evidence": [{ "title": "Báo cáo" }] },
                "1.5": { "input": "good", "note": "n" },
                "1.6": { "input": { "numerator": 3, "denominator": 4 }, "note": "n" },
                "1.7": { "input": 2, "note": "n" },
                "1.8": { "input": { "x": 18, "y": 20 } },
                "2.2": { "input": "95.5", "note": "n" },
                "2.3": { "choice": "part", "input": { "a": "1" }, "note": "n" }
            },
            "bonus": [{ "points": "0.5", "reason": "Mô hình mới" }],
            "penalty": [{ "points": "1", "reason": "Chậm báo cáo" }]
        },
        "appraisals": [
            { "stage": 1, "entries": { "1.2": { "input": { "numerator": 15, "denominator": 20 }, "reason": "Thiếu minh chứng", "explain": true } } },
            { "stage": 2, "final": true, "bonus": [],
              "entries": { "1.6": { "input": { "numerator": 0, "denominator": 0 }, "reason": "Không phát sinh" },
                           "1.3": { "points": "1", "reason": "Bổ sung" } } }
        ],
        "explanations": { "1.2": { "note": "Đã bổ sung", "evidence": [{ "title": "Công văn" }] } },
        "survey": { "2.1": { "counts": { "A": 40, "B": 12, "C": 3 } } },
        "class_cap": { "label": "Khá", "reason": "Vi phạm" }
    })
}

fn labels() -> Vec<String> {
    ["Xuất sắc", "Tốt", "Khá"].iter().map(|s| (*s).to_owned()).collect()
}

/// Loads `doc` against `set`; if it loads, scores it in every context.
fn check_assessment(doc: &Value, set: &CriteriaSet) -> Result<Option<Assessment>, TestCaseError> {
    match Assessment::from_document(&parindex_json::Value::from(doc), set, &labels()) {
        Ok(a) => {
            let tags = ["has-procedures".to_owned()];
            for (tags, survey_held) in [(&tags[..], true), (&[][..], false)] {
                let ctx = UnitContext { unit: "so-a", tags, survey_held, self_deadline: Date::parse("2024-01-15") };
                let r = score_unit(set, &ctx, Some(&a));
                prop_assert!(r.total >= Decimal::ZERO && r.total <= r.max, "total {} max {}", r.total, r.max);
                prop_assert!(r.bonus >= Decimal::ZERO && r.penalty >= Decimal::ZERO);
                prop_assert_eq!(r.nodes.len(), set.nodes().len());
                let _ = r.index();
                for f in &r.findings {
                    prop_assert!(f.code.is_finding() && !f.message.is_empty());
                }
            }
            Ok(Some(a))
        }
        Err(e) => {
            prop_assert!(!e.is_empty(), "a refused assessment must say why");
            check_diagnostics(&e.errors)?;
            Ok(None)
        }
    }
}

/// Reads a (possibly broken) criteria set and checks `doc` against it: a valid set scores
/// what loads; a best-effort set only serves to check the assessment, never to score.
fn check_against(set_doc: &Value, doc: &Value) -> Result<(), TestCaseError> {
    let (set, diags) = CriteriaSet::read_document(&parindex_json::Value::from(set_doc));
    check_diagnostics(&diags.errors)?;
    if let Some(set) = set {
        if diags.is_empty() {
            check_assessment(doc, &set)?;
        } else if let Err(e) = Assessment::from_document(&parindex_json::Value::from(doc), &set, &labels()) {
            check_diagnostics(&e.errors)?;
        }
    }
    Ok(())
}

#[test]
fn the_valid_assessment_loads_and_scores() {
    let set = CriteriaSet::from_document(&parindex_json::Value::from(&valid_set())).unwrap();
    let a = Assessment::from_document(&parindex_json::Value::from(&valid_assessment()), &set, &labels()).unwrap();
    assert_eq!(a.appraisals.len(), 2);
    let r =
        score_unit(&set, &UnitContext { unit: "so-a", tags: &[], survey_held: true, self_deadline: None }, Some(&a));
    assert!(r.total > Decimal::ZERO);
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn arbitrary_json_never_panics(doc in arb_json()) {
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&valid_set())).unwrap();
        check_assessment(&doc, &set)?;
        let _ = Assessment::unit_of(&doc);
    }

    #[test]
    fn a_mutated_valid_assessment_never_panics(m in mutation(), second in mutation()) {
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&valid_set())).unwrap();
        let mut doc = valid_assessment();
        apply(&mut doc, &m);
        check_assessment(&doc, &set)?;
        apply(&mut doc, &second);
        check_assessment(&doc, &set)?;
    }

    #[test]
    fn hostile_numbers_in_an_assessment_never_panic(picks in hostile_picks()) {
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&valid_set())).unwrap();
        let mut doc = valid_assessment();
        replace_numbers(&mut doc, &picks);
        check_assessment(&doc, &set)?;
    }

    #[test]
    fn hostile_numbers_in_the_criteria_set_never_panic(picks in hostile_picks()) {
        let mut set_doc = valid_set();
        replace_numbers(&mut set_doc, &picks);
        check_against(&set_doc, &valid_assessment())?;
    }

    #[test]
    fn hostile_numbers_in_both_never_panic(set_picks in hostile_picks(), picks in hostile_picks()) {
        let mut set_doc = valid_set();
        replace_numbers(&mut set_doc, &set_picks);
        let mut doc = valid_assessment();
        replace_numbers(&mut doc, &picks);
        check_against(&set_doc, &doc)?;
    }

    #[test]
    fn an_assessment_against_a_mutated_criteria_set_never_panics(m in mutation(), am in mutation()) {
        let mut set_doc = valid_set();
        apply(&mut set_doc, &m);
        let mut doc = valid_assessment();
        apply(&mut doc, &am);
        check_against(&set_doc, &doc)?;
    }
}
