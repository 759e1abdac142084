//! The criteria language version 2 (SPEC §11): bonus and penalty criteria, `per_item`, refs
//! and derived items with their stage semantics, survey groups and thresholds, required
//! evidence, council-only items, and every new error code; plus property tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::str::FromStr;

use parindex_assess::{Assessment, UnitContext, UnitResult, explain_unit, score_unit};
use parindex_core::{Code, CriteriaSet, Decimal, Diagnostics};
use proptest::prelude::*;
use serde_json::{Value, json};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn v2(nodes: Value) -> Value {
    json!({ "format": "parindex/criteria-set@2", "id": "t", "title": "T", "nodes": nodes,
            "adjustments": { "bonus_max": "2", "penalty_max": "2" } })
}

fn load(doc: &Value) -> CriteriaSet {
    CriteriaSet::from_document(&parindex_json::Value::from(doc)).unwrap_or_else(|e| panic!("{e:?}"))
}

fn errors(doc: &Value) -> Diagnostics {
    CriteriaSet::from_document(&parindex_json::Value::from(doc)).expect_err("the set should not load")
}

fn has(diags: &Diagnostics, code: Code, criterion: &str, path: &str) -> bool {
    diags.errors.iter().any(|d| d.code == code && d.criterion.as_deref() == Some(criterion) && d.path == path)
}

fn score(set: &CriteriaSet, a: &Value) -> UnitResult {
    let a = Assessment::from_document(&parindex_json::Value::from(a), set, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let ctx = UnitContext { unit: "u", tags: &[], survey_held: true, self_deadline: None };
    score_unit(set, &ctx, Some(&a))
}

fn points(set: &CriteriaSet, r: &UnitResult, code: &str) -> (Decimal, Option<Decimal>) {
    let n = &r.nodes[set.find(code).unwrap().0];
    (n.score.unwrap().points, n.self_points)
}

fn findings(r: &UnitResult) -> Vec<(Code, String)> {
    r.findings.iter().map(|f| (f.code, f.criterion.clone().unwrap_or_default())).collect()
}

fn assessment(self_entries: Value, appraisals: Value) -> Value {
    json!({ "format": "parindex/assessment@1", "unit": "u",
            "self": { "entries": self_entries }, "appraisals": appraisals })
}

fn bonus_penalty_set() -> CriteriaSet {
    load(&v2(json!([
        { "code": "1", "title": "A", "children": [
            { "code": "1.1", "title": "a", "max": "4", "rule": { "kind": "yes_no" }, "evidence": false } ] },
        { "code": "8", "title": "P", "counts": "penalty", "children": [
            { "code": "8.1", "title": "p", "max": "2", "rule": { "kind": "per_item", "per": "0.5" } } ] },
        { "code": "9", "title": "B", "counts": "bonus", "children": [
            { "code": "9.1", "title": "b", "max": "1.5", "rule": { "kind": "per_item", "per": "0.25" }, "evidence": false } ] }
    ])))
}

#[test]
fn bonus_and_penalty_criteria_stay_outside_the_maximum() {
    let set = bonus_penalty_set();
    let r = score(&set, &assessment(json!({ "1.1": { "input": true }, "9.1": { "input": 3 } }), json!([])));
    assert_eq!(r.max, d("4"));
    assert_eq!((r.self_total, r.appraised_total), (d("4"), d("4")));
    assert_eq!((r.bonus, r.penalty), (d("0.75"), d("0")));
    // A penalty item with no entry: 0, and no missing_entry.
    assert!(findings(&r).is_empty(), "{:?}", findings(&r));
    assert_eq!(points(&set, &r, "8.1"), (d("0"), Some(d("0"))));
    assert_eq!(r.total, d("4"));
}

#[test]
fn per_item_is_capped_at_the_maximum_and_bonus_at_its_cap() {
    let set = bonus_penalty_set();
    let a = json!({ "format": "parindex/assessment@1", "unit": "u",
        "self": { "entries": { "1.1": { "input": false }, "9.1": { "input": 100 } },
                  "bonus": [ { "points": "1", "reason": "x" } ] },
        "appraisals": [ { "stage": 1, "entries": { "8.1": { "input": 3, "reason": "trễ" } } } ] });
    let r = score(&set, &a);
    assert_eq!(points(&set, &r, "9.1").0, d("1.5"));
    assert_eq!(r.bonus, d("2"), "1 + 1.5 capped at 2");
    assert_eq!(r.penalty, d("1.5"));
    assert_eq!(r.total, d("0.5"));
}

#[test]
fn counts_misuse_is_reported() {
    let e = errors(&v2(json!([
        { "code": "1", "title": "A", "children": [
            { "code": "1.1", "title": "a", "max": "1", "rule": { "kind": "yes_no" }, "counts": "bonus" } ] },
        { "code": "2", "title": "S", "counts": "bonus", "children": [
            { "code": "2.1", "title": "s", "max": "1", "rule": { "kind": "survey", "weights": { "A": "1" } } } ] },
        { "code": "3", "title": "X", "counts": "extra", "children": [
            { "code": "3.1", "title": "x", "max": "1", "rule": { "kind": "yes_no" } } ] }
    ])));
    assert!(has(&e, Code::BadCounts, "1.1", "/nodes/0/children/0/counts"), "{e:?}");
    assert!(has(&e, Code::BadCounts, "2.1", "/nodes/1/children/0/rule"), "{e:?}");
    assert!(has(&e, Code::BadCounts, "3", "/nodes/2/counts"), "{e:?}");
    let mut doc = v2(json!([ { "code": "9", "title": "B", "counts": "bonus", "children": [
        { "code": "9.1", "title": "b", "max": "1", "rule": { "kind": "yes_no" } } ] } ]));
    doc.as_object_mut().unwrap().remove("adjustments");
    assert!(has(&errors(&doc), Code::AdjustmentNotAllowed, "9", "/nodes/0/counts"));
}

fn refs_set() -> CriteriaSet {
    load(&v2(json!([
        { "code": "1", "title": "A", "children": [
            { "code": "1.1", "title": "plan", "max": "1", "rule": { "kind": "yes_no" }, "evidence": false },
            { "code": "1.2", "title": "gated", "max": "2", "evidence": false, "rule": { "kind": "formula",
                "refs": { "plan": "1.1" }, "variables": { "x": "x", "n": "n" },
                "expr": "if(plan > 0, max_points * x / n, 0)" } } ] },
        { "code": "2", "title": "B", "children": [
            { "code": "2.1", "title": "d", "max": "1", "source": "derived",
              "rule": { "kind": "formula", "refs": { "g": "1" }, "expr": "g / 3" } },
            { "code": "2.2", "title": "z", "max": "1", "source": "derived",
              "rule": { "kind": "formula", "refs": { "p": "1.1" }, "expr": "1 / p" } } ] }
    ])))
}

#[test]
fn a_carried_over_entry_is_evaluated_again_with_each_stages_refs() {
    let set = refs_set();
    let a = assessment(
        json!({ "1.1": { "input": false }, "1.2": { "input": { "x": 9, "n": 10 } } }),
        json!([ { "stage": 1, "entries": { "1.1": { "input": true, "reason": "có" } } } ]),
    );
    let r = score(&set, &a);
    assert_eq!(points(&set, &r, "1.2"), (d("1.8"), Some(d("0"))));
    // 2.1 = group 1 / 3: self 0, final 2.8 / 3 clamped at most 1.
    assert_eq!(points(&set, &r, "2.1").1, Some(d("0")));
    assert_eq!(points(&set, &r, "2.1").0, d("2.8") / d("3"));
    assert!(findings(&r).is_empty(), "{:?}", findings(&r));
}

#[test]
fn a_derived_item_that_divides_by_zero_scores_0_under_forbidden() {
    let set = refs_set();
    let a = assessment(json!({ "1.1": { "input": false }, "1.2": { "input": { "x": 1, "n": 1 } } }), json!([]));
    let r = score(&set, &a);
    assert_eq!(points(&set, &r, "2.2"), (d("0"), Some(d("0"))));
    let a = assessment(json!({ "1.1": { "input": true }, "1.2": { "input": { "x": 1, "n": 1 } } }), json!([]));
    assert_eq!(points(&set, &score(&set, &a), "2.2"), (d("1"), Some(d("1"))));
}

#[test]
fn a_derived_item_takes_no_entries() {
    let set = refs_set();
    let a = assessment(json!({ "2.1": { "points": "1" } }), json!([]));
    let e = Assessment::from_document(&parindex_json::Value::from(&a), &set, &[]).unwrap_err();
    assert!(e.errors.iter().any(|d| d.code == Code::DerivedEntry && d.criterion.as_deref() == Some("2.1")), "{e:?}");
}

#[test]
fn the_explanation_shows_the_values_of_refs() {
    let set = refs_set();
    let a = assessment(json!({ "1.1": { "input": true }, "1.2": { "input": { "x": 1, "n": 2 } } }), json!([]));
    let a = Assessment::from_document(&parindex_json::Value::from(&a), &set, &[]).unwrap();
    let ctx = UnitContext { unit: "u", tags: &[], survey_held: true, self_deadline: None };
    let (result, ex) = explain_unit(&set, &ctx, Some(&a));
    assert_eq!(result, score_unit(&set, &ctx, Some(&a)));
    let derived = ex.leaves[set.find("2.1").unwrap().0].as_ref().unwrap();
    let json = serde_json::to_value(derived).unwrap();
    assert_eq!(json["source"], "derived");
    assert_eq!(json["stages"][0]["entry"], "derived");
    assert_eq!(json["stages"][0]["evaluation"]["refs"]["g"], "2");
    let gated = serde_json::to_value(ex.leaves[set.find("1.2").unwrap().0].as_ref().unwrap()).unwrap();
    assert_eq!(gated["stages"][0]["evaluation"]["refs"]["plan"], "1");
}

#[test]
fn reference_problems_are_reported_at_the_ref() {
    let e = errors(&v2(json!([
        { "code": "1", "title": "A", "children": [
            { "code": "1.1", "title": "a", "max": "1", "rule": { "kind": "formula", "refs": { "a": "7.7" }, "expr": "a" } },
            { "code": "1.2", "title": "b", "max": "1", "rule": { "kind": "formula", "refs": { "s": "1.2" }, "expr": "s" } },
            { "code": "1.3", "title": "c", "max": "1", "rule": { "kind": "formula", "refs": { "g": "1" }, "expr": "g" } },
            { "code": "1.4", "title": "d", "max": "1", "rule": { "kind": "formula", "refs": { "v": "8.1" }, "expr": "v" } },
            { "code": "1.5", "title": "e", "max": "1", "rule": { "kind": "formula", "refs": { "b": "9.1" }, "expr": "b" } },
            { "code": "1.6", "title": "f", "max": "1", "rule": { "kind": "formula", "refs": { "x": "1.1" },
                "variables": { "x": "x" }, "expr": "x" } },
            { "code": "1.7", "title": "g", "max": "1", "source": "derived",
              "rule": { "kind": "formula", "refs": { "a": "1.1" }, "variables": { "y": "y" }, "expr": "a + y" } } ] },
        { "code": "8", "title": "S", "children": [
            { "code": "8.1", "title": "s", "max": "1", "rule": { "kind": "survey", "score_only": null } } ] },
        { "code": "9", "title": "B", "counts": "bonus", "children": [
            { "code": "9.1", "title": "b", "max": "1", "rule": { "kind": "yes_no" } } ] }
    ])));
    assert!(has(&e, Code::UnknownCriterion, "1.1", "/nodes/0/children/0/rule/refs/a"), "{e:?}");
    assert!(has(&e, Code::ReferenceCycle, "1.2", "/nodes/0/children/1/rule/refs/s"), "{e:?}");
    assert!(has(&e, Code::ReferenceCycle, "1.3", "/nodes/0/children/2/rule/refs/g"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.4", "/nodes/0/children/3/rule/refs/v"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.5", "/nodes/0/children/4/rule/refs/b"), "{e:?}");
    assert!(has(&e, Code::FormulaUnknownName, "1.6", "/nodes/0/children/5/rule/refs/x"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.7", "/nodes/0/children/6/rule"), "{e:?}");
}

#[test]
fn a_reference_cycle_through_a_group_is_reported_once() {
    let e = errors(&v2(json!([
        { "code": "1", "title": "A", "children": [
            { "code": "1.1", "title": "a", "max": "1", "source": "derived",
              "rule": { "kind": "formula", "refs": { "g": "2" }, "expr": "g" } } ] },
        { "code": "2", "title": "B", "children": [
            { "code": "2.1", "title": "b", "max": "1", "source": "derived",
              "rule": { "kind": "formula", "refs": { "a": "1.1" }, "expr": "a" } },
            { "code": "2.2", "title": "c", "max": "1", "source": "derived",
              "rule": { "kind": "formula", "refs": { "a": "1.1" }, "expr": "a" } } ] }
    ])));
    let cycles: Vec<_> = e.errors.iter().filter(|d| d.code == Code::ReferenceCycle).collect();
    assert_eq!(cycles.len(), 1, "{e:?}");
    assert_eq!(cycles[0].path, "/nodes/0/children/0/rule/refs/g");
}

#[test]
fn version_2_fields_in_a_version_1_set_are_input_type_at_the_field() {
    let doc = json!({ "format": "parindex/criteria-set@1", "id": "t", "title": "T", "nodes": [
        { "code": "1", "title": "A", "counts": "bonus", "children": [
            { "code": "1.1", "title": "a", "max": "1", "rule": { "kind": "per_item", "per": "1" } },
            { "code": "1.2", "title": "b", "max": "1", "rule": { "kind": "yes_no" }, "evidence": "required" },
            { "code": "1.3", "title": "c", "max": "1", "rule": { "kind": "yes_no" }, "source": "appraisal" },
            { "code": "1.4", "title": "d", "max": "1", "rule": { "kind": "formula", "refs": { "a": "1.1" }, "expr": "1" } },
            { "code": "1.5", "title": "e", "max": "1", "rule": { "kind": "survey", "score": null, "zero_below": "0.5" } } ] } ] });
    let e = errors(&doc);
    assert!(has(&e, Code::InputType, "1", "/nodes/0/counts"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.1", "/nodes/0/children/0/rule/kind"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.2", "/nodes/0/children/1/evidence"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.3", "/nodes/0/children/2/source"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.4", "/nodes/0/children/3/rule/refs"), "{e:?}");
    assert!(has(&e, Code::InputType, "1.5", "/nodes/0/children/4/rule/zero_below"), "{e:?}");
}

fn survey_set() -> CriteriaSet {
    load(&v2(json!([ { "code": "8", "title": "S", "children": [
        { "code": "8.1", "title": "s", "max": "3", "not_arising": "exclude", "rule": { "kind": "survey",
            "weights": { "A": "1", "B": "0" }, "groups": { "dan": "0.6", "cong-chuc": "0.4" },
            "zero_below": "0.2", "full_from": "0.9" } } ] } ])))
}

fn survey(set: &CriteriaSet, entry: Value) -> Result<UnitResult, Diagnostics> {
    let a = json!({ "format": "parindex/assessment@1", "unit": "u", "survey": { "8.1": entry } });
    let a = Assessment::from_document(&parindex_json::Value::from(&a), set, &[])?;
    let ctx = UnitContext { unit: "u", tags: &[], survey_held: true, self_deadline: None };
    Ok(score_unit(set, &ctx, Some(&a)))
}

#[test]
fn survey_groups_merge_by_weight_and_leave_out_groups_without_answers() {
    let set = survey_set();
    let r = survey(
        &set,
        json!({ "groups": { "dan": { "counts": { "A": 1, "B": 1 } }, "cong-chuc": { "score": "0.75" } } }),
    )
    .unwrap();
    // (0.6 × 0.5 + 0.4 × 0.75) ÷ 1 = 0.6 → 1.8
    assert_eq!(r.survey_total, d("1.8"));
    let r =
        survey(&set, json!({ "groups": { "dan": { "counts": { "A": 0, "B": 0 } }, "cong-chuc": { "score": "0.5" } } }))
            .unwrap();
    assert_eq!(r.survey_total, d("1.5"));
    // Thresholds.
    let r = survey(&set, json!({ "groups": { "dan": { "score": "0.1" }, "cong-chuc": { "score": "0.1" } } })).unwrap();
    assert_eq!(r.survey_total, d("0"));
    let r = survey(&set, json!({ "groups": { "dan": { "score": "0.9" }, "cong-chuc": { "score": "0.9" } } })).unwrap();
    assert_eq!(r.survey_total, d("3"));
}

#[test]
fn groups_whose_answers_are_all_empty_mean_nothing_arose() {
    let set = survey_set();
    let r =
        survey(&set, json!({ "groups": { "dan": { "counts": { "A": 0 } }, "cong-chuc": { "counts": { "B": 0 } } } }))
            .unwrap();
    assert!(r.nodes[set.find("8.1").unwrap().0].score.is_none(), "excluded under its policy");
    assert_eq!(r.max, d("0"));
}

#[test]
fn survey_group_mistakes() {
    let set = survey_set();
    for bad in [
        json!({ "groups": { "dan": { "score": "0.5" } } }),
        json!({ "groups": { "dan": { "score": "0.5" }, "cong-chuc": { "score": "0.5" }, "x": { "score": "1" } } }),
        json!({ "score": "0.5" }),
    ] {
        let e = survey(&set, bad).unwrap_err();
        assert!(e.errors.iter().all(|d| d.code == Code::InputType), "{e:?}");
    }
    let e = errors(&v2(json!([ { "code": "8", "title": "S", "children": [
        { "code": "8.1", "title": "s", "max": "3", "rule": { "kind": "survey", "groups": { "a": "0.5", "b": "0.4" } } } ] } ])));
    assert!(has(&e, Code::GroupWeightsSum, "8.1", "/nodes/0/children/0/rule/groups"), "{e:?}");
}

#[test]
fn required_evidence_zeroes_the_self_entry_while_it_is_in_effect() {
    let set = load(&v2(json!([ { "code": "1", "title": "A", "children": [
        { "code": "1.1", "title": "a", "max": "2", "rule": { "kind": "yes_no" }, "evidence": "required" } ] } ])));
    let r = score(&set, &assessment(json!({ "1.1": { "input": true, "note": "có" } }), json!([])));
    assert_eq!(points(&set, &r, "1.1"), (d("0"), Some(d("0"))));
    assert_eq!(findings(&r), vec![(Code::NoEvidence, "1.1".to_owned())]);
    let a = assessment(
        json!({ "1.1": { "input": true } }),
        json!([ { "stage": 1, "entries": { "1.1": { "input": true, "reason": "đã xác minh" } } } ]),
    );
    let r = score(&set, &a);
    assert_eq!(points(&set, &r, "1.1"), (d("2"), Some(d("0"))));
    // Restoring the points is a change: it needs a reason.
    let a = assessment(
        json!({ "1.1": { "input": true } }),
        json!([ { "stage": 1, "entries": { "1.1": { "input": true } } } ]),
    );
    let e = Assessment::from_document(&parindex_json::Value::from(&a), &set, &[]).unwrap_err();
    assert!(e.errors.iter().any(|d| d.code == Code::MissingReason), "{e:?}");
    let r = score(&set, &assessment(json!({ "1.1": { "input": true, "evidence": [ { "title": "QĐ" } ] } }), json!([])));
    assert_eq!(points(&set, &r, "1.1").0, d("2"));
}

#[test]
fn council_only_items() {
    let set = load(&v2(json!([ { "code": "1", "title": "A", "children": [
        { "code": "1.1", "title": "a", "max": "2", "rule": { "kind": "yes_no" }, "evidence": false },
        { "code": "1.2", "title": "b", "max": "3", "rule": { "kind": "yes_no" }, "source": "appraisal" } ] } ])));
    let r = score(&set, &assessment(json!({ "1.1": { "input": true } }), json!([])));
    assert!(findings(&r).is_empty());
    assert_eq!(points(&set, &r, "1.2"), (d("0"), None));
    let r = score(&set, &assessment(json!({ "1.1": { "input": true } }), json!([ { "stage": 1, "entries": {} } ])));
    assert_eq!(findings(&r), vec![(Code::MissingEntry, "1.2".to_owned())]);
    let r = score(
        &set,
        &assessment(
            json!({ "1.1": { "input": true } }),
            json!([ { "stage": 1, "entries": { "1.2": { "input": true, "reason": "đạt" } } } ]),
        ),
    );
    assert_eq!((r.self_total, r.appraised_total, r.max), (d("2"), d("5"), d("5")));
    let e = Assessment::from_document(
        &parindex_json::Value::from(&assessment(json!({ "1.2": { "input": true } }), json!([]))),
        &set,
        &[],
    )
    .unwrap_err();
    assert!(e.errors.iter().any(|d| d.code == Code::AppraisalItemSelfScored && d.criterion.as_deref() == Some("1.2")));
}

/// A set for the properties: scored items, a gated formula, a derived item, and bonus and
/// penalty nodes, whose top-level nodes can be listed in any order.
fn property_nodes() -> Vec<Value> {
    vec![
        json!({ "code": "1", "title": "A", "children": [
            { "code": "1.1", "title": "a", "max": "2", "rule": { "kind": "yes_no" }, "evidence": false },
            { "code": "1.2", "title": "b", "max": "3", "evidence": false, "rule": { "kind": "formula",
                "refs": { "a": "1.1", "d": "2.1" }, "variables": { "x": "x" }, "expr": "if(a > 0, x + d, 0)" } } ] }),
        json!({ "code": "2", "title": "B", "children": [
            { "code": "2.1", "title": "c", "max": "1", "rule": { "kind": "manual", "step": "0.5" }, "evidence": false },
            { "code": "2.2", "title": "d", "max": "2", "source": "derived",
              "rule": { "kind": "formula", "refs": { "g": "1" }, "expr": "g / 2" } } ] }),
        json!({ "code": "8", "title": "P", "counts": "penalty", "children": [
            { "code": "8.1", "title": "p", "max": "2", "rule": { "kind": "per_item", "per": "0.5" }, "evidence": false } ] }),
        json!({ "code": "9", "title": "Q", "counts": "bonus", "children": [
            { "code": "9.1", "title": "q", "max": "1", "rule": { "kind": "per_item", "per": "0.25" }, "evidence": false } ] }),
    ]
}

fn arb_entries() -> impl Strategy<Value = Value> {
    (
        any::<Option<bool>>(),
        proptest::option::of(0u32..5),
        proptest::option::of(0u32..3),
        proptest::option::of(0u32..6),
        proptest::option::of(0u32..6),
    )
        .prop_map(|(a, x, c, p, q)| {
            let mut m = serde_json::Map::new();
            if let Some(a) = a {
                m.insert("1.1".into(), json!({ "input": a }));
            }
            if let Some(x) = x {
                m.insert("1.2".into(), json!({ "input": { "x": x } }));
            }
            if let Some(c) = c {
                m.insert("2.1".into(), json!({ "points": (Decimal::from(c) / Decimal::from(2)).to_string() }));
            }
            if let Some(p) = p {
                m.insert("8.1".into(), json!({ "input": p }));
            }
            if let Some(q) = q {
                m.insert("9.1".into(), json!({ "input": q }));
            }
            Value::Object(m)
        })
}

fn arb_assessment() -> impl Strategy<Value = Value> {
    (arb_entries(), proptest::collection::vec(arb_entries(), 0..3)).prop_map(|(own, stages)| {
        let appraisals: Vec<Value> = stages
            .into_iter()
            .enumerate()
            .map(|(i, mut e)| {
                for v in e.as_object_mut().unwrap().values_mut() {
                    v["reason"] = json!("thẩm định");
                }
                json!({ "stage": i + 1, "entries": e })
            })
            .collect();
        json!({ "format": "parindex/assessment@1", "unit": "u", "self": { "entries": own }, "appraisals": appraisals })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn bonus_and_penalty_items_never_enter_max_and_order_changes_no_figure(
        a in arb_assessment(),
        order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let base = load(&v2(Value::Array(property_nodes())));
        let nodes = property_nodes();
        let shuffled = load(&v2(Value::Array(order.iter().map(|&i| nodes[i].clone()).collect())));
        let r = score(&base, &a);
        let s = score(&shuffled, &a);
        prop_assert_eq!(r.max, d("8"));
        prop_assert_eq!(s.max, d("8"));
        for f in ["self_total", "appraised_total", "bonus", "penalty", "total"] {
            let pick = |u: &UnitResult| match f {
                "self_total" => u.self_total, "appraised_total" => u.appraised_total,
                "bonus" => u.bonus, "penalty" => u.penalty, _ => u.total,
            };
            prop_assert_eq!(pick(&r), pick(&s), "{}", f);
        }
        for node in base.nodes() {
            let a = &r.nodes[base.find(&node.code).unwrap().0];
            let b = &s.nodes[shuffled.find(&node.code).unwrap().0];
            prop_assert_eq!(a, b, "{}", node.code);
        }
        // Bonus and penalty are the nodes' points, capped.
        prop_assert_eq!(r.bonus, points(&base, &r, "9").0.min(d("2")));
        prop_assert_eq!(r.penalty, points(&base, &r, "8").0.min(d("2")));
    }

    #[test]
    fn the_evaluation_order_respects_every_ref(order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle()) {
        let nodes = property_nodes();
        let set = load(&v2(Value::Array(order.iter().map(|&i| nodes[i].clone()).collect())));
        let plan = set.ref_plan().unwrap();
        let position = |id: parindex_core::NodeId| plan.order().iter().position(|x| *x == id).unwrap();
        prop_assert_eq!(plan.order().len(), set.nodes().len());
        for (i, node) in set.nodes().iter().enumerate() {
            let id = parindex_core::NodeId(i);
            for c in node.children() {
                prop_assert!(position(*c) < position(id));
            }
            if let Some(parindex_core::Rule::Formula(f)) = node.leaf().map(|l| &l.rule) {
                for r in &f.refs {
                    prop_assert!(position(r.node.unwrap()) < position(id), "{} before {}", r.code, node.code);
                }
            }
        }
    }
}
