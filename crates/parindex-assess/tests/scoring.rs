//! Scoring one unit (SPEC §6, §8 steps 1–6): stages and carry-over, self versus final points,
//! "nothing arose", adjustments, totals, findings and status; plus property tests of the
//! totals and the index over random assessments of a fixed criteria set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::str::FromStr;

use parindex_assess::{Assessment, Status, UnitContext, UnitResult, score_unit};
use parindex_core::{Code, CriteriaSet, Date, Decimal, Diagnostic, Source};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The fixed criteria set: max 17 in all.
///
/// - 1.1 yes_no 2 · 1.2 ratio bands 2 · 1.3 manual step 0.5, 3 · 1.4 yes_no 1 (full)
/// - 1.5 yes_no 2 (exclude) · 1.6 yes_no 1, only for `has-procedures`
/// - 2.1 survey 3 (weights, scale) · 2.2 proportional percent 2, no evidence needed
/// - 3.1 yes_no 1 (exclude), alone in its group
fn set_doc(adjustments: bool) -> Value {
    let mut doc = json!({
        "format": "parindex/criteria-set@1", "id": "so-2023", "title": "Bộ chỉ số cấp sở",
        "nodes": [
            { "code": "1", "title": "Chỉ đạo, điều hành", "children": [
                { "code": "1.1", "title": "Kế hoạch", "max": "2", "rule": { "kind": "yes_no" } },
                { "code": "1.2", "title": "Hoàn thành", "max": "2", "rule": { "kind": "bands", "input": "ratio",
                    "bands": [ { "from": "100", "to": "100", "to_inclusive": true, "points": "2" },
                               { "from": "80", "to": "100", "points": "1" } ] } },
                { "code": "1.3", "title": "Chấm tay", "max": "3", "rule": { "kind": "manual", "step": "0.5" } },
                { "code": "1.4", "title": "Phát sinh đủ điểm", "max": "1", "not_arising": "full", "rule": { "kind": "yes_no" } },
                { "code": "1.5", "title": "Phát sinh loại trừ", "max": "2", "not_arising": "exclude", "rule": { "kind": "yes_no" } },
                { "code": "1.6", "title": "Thủ tục hành chính", "max": "1", "applies_to": ["has-procedures"], "rule": { "kind": "yes_no" } }
            ] },
            { "code": "2", "title": "Khảo sát", "children": [
                { "code": "2.1", "title": "Hài lòng", "max": "3", "rule": { "kind": "survey",
                    "weights": { "A": "1", "B": "0.5", "C": "0" }, "scale": { "min": "1", "max": "4" } } },
                { "code": "2.2", "title": "Tỷ lệ", "max": "2", "evidence": false, "rule": { "kind": "proportional", "input": "percent" } }
            ] },
            { "code": "3", "title": "Riêng", "children": [
                { "code": "3.1", "title": "Loại trừ", "max": "1", "not_arising": "exclude", "rule": { "kind": "yes_no" } }
            ] }
        ]
    });
    if adjustments {
        doc["adjustments"] = json!({ "bonus_max": "2", "penalty_max": "3" });
    }
    doc
}

fn set() -> CriteriaSet {
    CriteriaSet::from_document(&parindex_json::Value::from(&set_doc(true))).unwrap()
}

fn labels() -> Vec<String> {
    ["Xuất sắc", "Tốt", "Khá"].iter().map(|s| (*s).to_owned()).collect()
}

fn ev() -> Value {
    json!([{ "title": "QĐ 15/QĐ-SNV ngày 10/01/2023" }])
}

/// A complete self-assessment: every assessed leaf scored, with evidence.
fn full_self() -> Value {
    json!({
        "submitted_at": "2024-01-10T08:00:00+07:00",
        "entries": {
            "1.1": { "input": true, "evidence": ev() },
            "1.2": { "input": { "numerator": 20, "denominator": 20 }, "evidence": ev() },
            "1.3": { "points": "3", "evidence": ev() },
            "1.4": { "input": true, "evidence": ev() },
            "1.5": { "input": true, "evidence": ev() },
            "1.6": { "input": true, "evidence": ev() },
            "2.2": { "input": "50" },
            "3.1": { "input": true, "evidence": ev() }
        }
    })
}

fn doc(self_stage: Value, appraisals: Value) -> Value {
    json!({ "format": "parindex/assessment@1", "unit": "so-a", "self": self_stage, "appraisals": appraisals,
            "survey": { "2.1": { "counts": { "A": 3, "B": 1 } } } })
}

fn load(doc: &Value) -> Assessment {
    match Assessment::from_document(&parindex_json::Value::from(doc), &set(), &labels()) {
        Ok(a) => a,
        Err(e) => panic!("the assessment should load: {e:#?}"),
    }
}

fn load_errors(doc: &Value) -> Vec<Diagnostic> {
    match Assessment::from_document(&parindex_json::Value::from(doc), &set(), &labels()) {
        Ok(_) => panic!("the assessment should not load"),
        Err(e) => e.errors,
    }
}

fn codes(errors: &[Diagnostic]) -> Vec<(Code, Option<String>, String)> {
    let mut v: Vec<_> = errors.iter().map(|e| (e.code, e.criterion.clone(), e.path.clone())).collect();
    v.sort();
    v
}

fn one(code: Code, criterion: Option<&str>, path: &str) -> Vec<(Code, Option<String>, String)> {
    vec![(code, criterion.map(str::to_owned), path.to_owned())]
}

fn tags() -> Vec<String> {
    vec!["has-procedures".to_owned()]
}

fn score_with(a: Option<&Assessment>, tags: &[String], survey_held: bool, deadline: Option<&str>) -> UnitResult {
    let set = set();
    let ctx = UnitContext { unit: "so-a", tags, survey_held, self_deadline: deadline.and_then(Date::parse) };
    score_unit(&set, &ctx, a)
}

fn score(a: &Assessment) -> UnitResult {
    score_with(Some(a), &tags(), true, None)
}

/// (points, max, self) of a node, `None` when excluded.
fn node(r: &UnitResult, code: &str) -> Option<(Decimal, Decimal, Option<Decimal>)> {
    let id = set().find(code).unwrap();
    r.nodes[id.0].score.map(|s| (s.points, s.max, r.nodes[id.0].self_points))
}

fn finding_codes(r: &UnitResult) -> Vec<(Code, Option<String>)> {
    let mut v: Vec<_> = r.findings.iter().map(|f| (f.code, f.criterion.clone())).collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// stages

#[test]
fn a_full_self_assessment_scores_every_leaf() {
    let a = load(&doc(full_self(), json!([])));
    let r = score(&a);
    assert_eq!(r.status, Status::SelfAssessed);
    // 2 + 2 + 3 + 1 + 2 + 1 + 1 (2.2: 50%) + 1 (3.1) assessed; 2.1: 3 × 3.5 / 4 = 2.625.
    assert_eq!(r.appraised_total, d("13"));
    assert_eq!(r.self_total, d("13"));
    assert_eq!(r.survey_total, d("2.625"));
    assert_eq!(r.max, d("17"));
    assert_eq!(r.total, d("15.625"));
    assert_eq!(r.index().to_string(), "91.91176470588235294117647059");
    assert_eq!(node(&r, "1"), Some((d("11"), d("11"), None)));
    assert_eq!(node(&r, "2"), Some((d("3.625"), d("5"), None)));
    assert_eq!(node(&r, "2.1"), Some((d("2.625"), d("3"), None)), "a survey leaf has no self points");
    assert_eq!(node(&r, "2.2"), Some((d("1"), d("2"), Some(d("1")))));
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.nodes[set().find("2").unwrap().0].index(), Some(d("72.5")));
}

#[test]
fn appraisals_carry_over_in_stage_order_and_self_points_stay() {
    // Stage 2 is listed first: stages are ordered by number, not by position.
    let a = load(&doc(
        full_self(),
        json!([
            { "stage": 2, "final": true, "entries": {
                "1.3": { "points": "2", "reason": "Thiếu minh chứng" } } },
            { "stage": 1, "entries": {
                "1.2": { "input": { "numerator": 17, "denominator": 20 }, "reason": "3 nhiệm vụ chưa xong", "explain": true },
                "1.3": { "points": "2.5", "reason": "Chưa đạt" } } }
        ]),
    ));
    assert_eq!(a.appraisals.iter().map(|s| s.stage).collect::<Vec<_>>(), [1, 2]);
    let r = score(&a);
    assert_eq!(r.status, Status::Final);
    assert_eq!(node(&r, "1.2"), Some((d("1"), d("2"), Some(d("2")))), "stage 1's 17/20 carries over stage 2");
    assert_eq!(node(&r, "1.3"), Some((d("2"), d("3"), Some(d("3")))), "stage 2 replaces stage 1");
    assert_eq!(node(&r, "1.1"), Some((d("2"), d("2"), Some(d("2")))), "untouched: self carries over");
    assert_eq!(r.self_total, d("13"));
    assert_eq!(r.appraised_total, d("11"));
    assert_eq!(r.total, d("13.625"));
    let e = a.final_entry(set().find("1.2").unwrap()).unwrap();
    assert!(e.explain);
}

#[test]
fn status_follows_the_last_stage() {
    assert_eq!(score_with(None, &[], true, None).status, Status::NotSubmitted);
    let none = load(&json!({ "format": "parindex/assessment@1", "unit": "so-a" }));
    assert_eq!(score(&none).status, Status::NotSubmitted);
    assert_eq!(score(&load(&doc(full_self(), json!([])))).status, Status::SelfAssessed);
    let appraised = doc(full_self(), json!([{ "stage": 1, "entries": {} }]));
    assert_eq!(score(&load(&appraised)).status, Status::Appraised);
    let final_ = doc(full_self(), json!([{ "stage": 1, "final": true, "entries": {} }]));
    assert_eq!(score(&load(&final_)).status, Status::Final);
    // "final" counts only on the last stage.
    let reopened =
        doc(full_self(), json!([{ "stage": 1, "final": true, "entries": {} }, { "stage": 2, "entries": {} }]));
    assert_eq!(score(&load(&reopened)).status, Status::Appraised);
    assert_eq!(Status::SelfAssessed.as_str(), "self_assessed");
    assert_eq!(serde_json::to_value(Status::NotSubmitted).unwrap(), json!("not_submitted"));
}

#[test]
fn a_unit_with_no_assessment_scores_zero_on_every_applicable_leaf() {
    let r = score_with(None, &[], true, None);
    assert_eq!(r.total, d("0"));
    assert_eq!(r.max, d("16"), "1.6 does not apply without the tag");
    assert_eq!(node(&r, "1.6"), None);
    assert_eq!(node(&r, "1.1"), Some((d("0"), d("2"), Some(d("0")))));
    let missing: Vec<_> = finding_codes(&r);
    assert_eq!(missing.iter().filter(|(c, _)| *c == Code::MissingEntry).count(), 7);
    assert!(missing.contains(&(Code::MissingSurvey, Some("2.1".into()))));
    assert_eq!(r.index(), d("0"));
}

// ---------------------------------------------------------------------------------------------
// nothing arose (SPEC §6.4, §8 step 1)

fn with_self_entry(code: &str, entry: Value) -> Value {
    let mut s = full_self();
    s["entries"][code] = entry;
    s
}

#[test]
fn nothing_arose_under_full_gives_max() {
    let a = load(&doc(with_self_entry("1.4", json!({ "not_arising": true, "note": "Không phát sinh" })), json!([])));
    let r = score(&a);
    assert_eq!(node(&r, "1.4"), Some((d("1"), d("1"), Some(d("1")))));
    assert_eq!(r.max, d("17"));
}

#[test]
fn nothing_arose_under_full_declared_by_an_appraisal_gives_max_at_the_final_stage() {
    let a = load(&doc(
        with_self_entry("1.4", json!({ "input": false })),
        json!([{ "stage": 1, "final": true, "entries": { "1.4": { "not_arising": true, "reason": "Không phát sinh" } } }]),
    ));
    let r = score(&a);
    assert_eq!(node(&r, "1.4"), Some((d("1"), d("1"), Some(d("0")))));
    assert_eq!(r.self_total, d("12"));
    assert_eq!(r.appraised_total, d("13"));
}

#[test]
fn explanations_carry_no_points() {
    let mut x = doc(full_self(), json!([]));
    x["explanations"] = json!({ "1.1": { "note": "Đã bổ sung", "points": "2" } });
    assert_eq!(codes(&load_errors(&x)), one(Code::InputType, Some("1.1"), "/explanations/1.1"));
    x["explanations"] = json!({ "1.1": { "note": "Đã bổ sung", "evidence": [{ "title": "CV 12", "ref": "12/CV" }] } });
    let a = load(&x);
    let e = &a.explanations[&set().find("1.1").unwrap()];
    assert_eq!((e.note.as_deref(), e.evidence.len()), (Some("Đã bổ sung"), 1));
    assert_eq!(score(&a).total, score(&load(&doc(full_self(), json!([])))).total);
}

#[test]
fn nothing_arose_under_exclude_removes_the_leaf_from_the_maximum() {
    let a = load(&doc(with_self_entry("1.5", json!({ "not_arising": true })), json!([])));
    let r = score(&a);
    assert_eq!(node(&r, "1.5"), None);
    assert_eq!(r.max, d("15"));
    assert_eq!(r.self_total, d("11"));
    assert_eq!(node(&r, "1"), Some((d("9"), d("9"), None)));
}

#[test]
fn excluded_at_self_but_scored_by_an_appraisal_is_included_with_self_zero() {
    let a = load(&doc(
        with_self_entry("1.5", json!({ "not_arising": true })),
        json!([{ "stage": 1, "final": true, "entries": { "1.5": { "input": true, "reason": "Có phát sinh" } } }]),
    ));
    let r = score(&a);
    assert_eq!(node(&r, "1.5"), Some((d("2"), d("2"), Some(d("0")))));
    assert_eq!(r.max, d("17"));
    assert_eq!(r.self_total, d("11"));
    assert_eq!(r.appraised_total, d("13"));
}

#[test]
fn scored_at_self_but_excluded_by_an_appraisal_leaves_every_total() {
    let a = load(&doc(
        full_self(),
        json!([{ "stage": 1, "final": true, "entries": { "1.5": { "not_arising": true, "reason": "Không phát sinh" } } }]),
    ));
    let r = score(&a);
    assert_eq!(node(&r, "1.5"), None);
    assert_eq!(r.max, d("15"));
    assert_eq!(r.self_total, d("11"), "its self points leave the self total too");
    assert_eq!(r.appraised_total, d("11"));
}

#[test]
fn a_group_whose_leaves_are_all_excluded_is_excluded() {
    let a = load(&doc(with_self_entry("3.1", json!({ "not_arising": true })), json!([])));
    let r = score(&a);
    assert_eq!(node(&r, "3.1"), None);
    assert_eq!(node(&r, "3"), None);
    assert_eq!(r.max, d("16"));
}

#[test]
fn a_zero_denominator_follows_the_policy() {
    // 1.2 forbids "nothing arose".
    let e =
        load_errors(&doc(with_self_entry("1.2", json!({ "input": { "numerator": 0, "denominator": 0 } })), json!([])));
    assert_eq!(codes(&e), one(Code::NotArisingForbidden, Some("1.2"), "/self/entries/1.2/input"));
    let e = load_errors(&doc(with_self_entry("1.1", json!({ "not_arising": true })), json!([])));
    assert_eq!(codes(&e), one(Code::NotArisingForbidden, Some("1.1"), "/self/entries/1.1/not_arising"));
    let e = load_errors(&doc(
        full_self(),
        json!([{ "stage": 1, "entries": { "1.1": { "not_arising": true, "reason": "x" } } }]),
    ));
    assert_eq!(codes(&e), one(Code::NotArisingForbidden, Some("1.1"), "/appraisals/0/entries/1.1/not_arising"));
    let e = load_errors(&doc(with_self_entry("1.4", json!({ "not_arising": true, "input": true })), json!([])));
    assert_eq!(codes(&e), one(Code::InputType, Some("1.4"), "/self/entries/1.4"));
}

#[test]
fn no_survey_answers_follow_the_policy() {
    let mut d0 = doc(full_self(), json!([]));
    d0["survey"] = json!({ "2.1": { "counts": { "A": 0 } } });
    let e = load_errors(&d0);
    assert_eq!(codes(&e), one(Code::NotArisingForbidden, Some("2.1"), "/survey/2.1"));
}

// ---------------------------------------------------------------------------------------------
// reasons, stages, survey keys

#[test]
fn an_appraisal_that_changes_points_must_say_why() {
    let e = load_errors(&doc(full_self(), json!([{ "stage": 1, "entries": { "1.1": { "input": false } } }])));
    assert_eq!(codes(&e), one(Code::MissingReason, Some("1.1"), "/appraisals/0/entries/1.1"));
    let blank = doc(full_self(), json!([{ "stage": 1, "entries": { "1.1": { "input": false, "reason": "  " } } }]));
    assert_eq!(codes(&load_errors(&blank)), one(Code::MissingReason, Some("1.1"), "/appraisals/0/entries/1.1"));
    // The same points again, even written differently, need no reason.
    let same = doc(
        full_self(),
        json!([{ "stage": 1, "entries": {
        "1.1": { "points": "2.00" }, "1.3": { "points": 3 } } }]),
    );
    load(&same);
    // An item with no earlier entry counts as changed.
    let mut s = full_self();
    s["entries"].as_object_mut().unwrap().remove("1.3");
    let fresh = doc(s, json!([{ "stage": 1, "entries": { "1.3": { "points": "0" } } }]));
    assert_eq!(codes(&load_errors(&fresh)), one(Code::MissingReason, Some("1.3"), "/appraisals/0/entries/1.3"));
    // So does a change between "nothing arose" and a score, even to the same points.
    let flip = doc(
        with_self_entry("1.4", json!({ "not_arising": true })),
        json!([{ "stage": 1, "entries": { "1.4": { "input": true } } }]),
    );
    assert_eq!(codes(&load_errors(&flip)), one(Code::MissingReason, Some("1.4"), "/appraisals/0/entries/1.4"));
    // Stage 2 is compared with stage 1, not with the self stage; path names the document index.
    let later = doc(
        full_self(),
        json!([
            { "stage": 2, "entries": { "1.1": { "input": true } } },
            { "stage": 1, "entries": { "1.1": { "input": false, "reason": "Chưa ban hành" } } }
        ]),
    );
    assert_eq!(codes(&load_errors(&later)), one(Code::MissingReason, Some("1.1"), "/appraisals/0/entries/1.1"));
}

#[test]
fn a_stage_number_appears_once() {
    let e = load_errors(&doc(full_self(), json!([{ "stage": 1, "entries": {} }, { "stage": 1, "entries": {} }])));
    assert_eq!(codes(&e), one(Code::DuplicateStage, None, "/appraisals/1/stage"));
    for bad in [json!(0), json!("1.5"), json!(-1), json!(true)] {
        let e = load_errors(&doc(full_self(), json!([{ "stage": bad, "entries": {} }])));
        assert_eq!(codes(&e), one(Code::InputType, None, "/appraisals/0/stage"), "{bad}");
    }
}

#[test]
fn survey_leaves_and_assessed_leaves_stay_apart() {
    let e = load_errors(&doc(with_self_entry("2.1", json!({ "points": "1" })), json!([])));
    assert_eq!(codes(&e), one(Code::SurveySelfScored, Some("2.1"), "/self/entries/2.1"));
    let e =
        load_errors(&doc(full_self(), json!([{ "stage": 1, "entries": { "2.1": { "points": "1", "reason": "x" } } }])));
    assert_eq!(codes(&e), one(Code::SurveySelfScored, Some("2.1"), "/appraisals/0/entries/2.1"));
    let mut a = doc(full_self(), json!([]));
    a["survey"]["1.1"] = json!({ "score": "1" });
    assert_eq!(codes(&load_errors(&a)), one(Code::NotASurveyItem, Some("1.1"), "/survey/1.1"));
    let mut u = doc(full_self(), json!([]));
    u["survey"]["2.1"] = json!({ "counts": { "A": 1, "D": 2 } });
    assert_eq!(codes(&load_errors(&u)), one(Code::UnknownOption, Some("2.1"), "/survey/2.1/counts/D"));
}

#[test]
fn entry_keys_must_be_leaves_of_the_set() {
    let e = load_errors(&doc(with_self_entry("9.9", json!({ "points": "1" })), json!([])));
    assert_eq!(codes(&e), one(Code::UnknownCriterion, Some("9.9"), "/self/entries/9.9"));
    let e = load_errors(&doc(with_self_entry("1", json!({ "points": "1" })), json!([])));
    assert_eq!(codes(&e), one(Code::NotALeaf, Some("1"), "/self/entries/1"));
    let mut x = doc(full_self(), json!([]));
    x["explanations"] = json!({ "2": { "note": "…" } });
    assert_eq!(codes(&load_errors(&x)), one(Code::NotALeaf, Some("2"), "/explanations/2"));
}

#[test]
fn given_points_are_checked_against_the_rule() {
    let e = load_errors(&doc(with_self_entry("1.1", json!({ "points": "1" })), json!([])));
    assert_eq!(codes(&e), one(Code::PointsNotAttainable, Some("1.1"), "/self/entries/1.1/points"));
    let e = load_errors(&doc(with_self_entry("1.3", json!({ "points": "3.5" })), json!([])));
    assert_eq!(codes(&e), one(Code::PointsOverMax, Some("1.3"), "/self/entries/1.3/points"));
    let e = load_errors(&doc(with_self_entry("1.3", json!({ "points": "1.25" })), json!([])));
    assert_eq!(codes(&e), one(Code::StepMismatch, Some("1.3"), "/self/entries/1.3/points"));
    let e = load_errors(&doc(with_self_entry("2.2", json!({ "points": "-0.5" })), json!([])));
    assert_eq!(codes(&e), one(Code::PointsNegative, Some("2.2"), "/self/entries/2.2/points"));
    let e = load_errors(&doc(with_self_entry("1.1", json!({ "note": "chỉ ghi chú" })), json!([])));
    assert_eq!(codes(&e), one(Code::InputType, Some("1.1"), "/self/entries/1.1"));
    // Points beside an input need only be in range: the input's points count.
    let a = load(&doc(
        with_self_entry(
            "1.2",
            json!({ "input": { "numerator": 17, "denominator": 20 }, "points": "1.5", "evidence": ev() }),
        ),
        json!([]),
    ));
    assert_eq!(node(&score(&a), "1.2").unwrap().0, d("1"));
}

// ---------------------------------------------------------------------------------------------
// bonus, penalty, total

fn with_adjustments(bonus: Value, penalty: Value) -> Value {
    let mut s = full_self();
    s["bonus"] = bonus;
    s["penalty"] = penalty;
    s
}

#[test]
fn bonus_and_penalty_are_capped() {
    let a = load(&doc(
        with_adjustments(
            json!([{ "points": "1.5", "reason": "Mô hình mới" }, { "points": "1", "reason": "Sáng kiến" }]),
            json!([{ "points": "1", "reason": "Chậm báo cáo" }]),
        ),
        json!([]),
    ));
    let r = score(&a);
    assert_eq!((r.bonus, r.penalty), (d("2"), d("1")));
    assert_eq!(r.total, d("15.625") + d("2") - d("1"));
    let heavy = load(&doc(
        with_adjustments(json!([]), json!([{ "points": "2.5", "reason": "a" }, { "points": "2.5", "reason": "b" }])),
        json!([]),
    ));
    assert_eq!(score(&heavy).penalty, d("3"));
}

#[test]
fn an_appraisal_replaces_the_lists_as_a_whole() {
    let a = load(&doc(
        with_adjustments(
            json!([{ "points": "1.5", "reason": "Mô hình mới" }]),
            json!([{ "points": "1", "reason": "Chậm báo cáo" }]),
        ),
        json!([
            { "stage": 1, "bonus": [{ "points": "0.5", "reason": "Chỉ công nhận một phần" }], "entries": {} },
            { "stage": 2, "penalty": [], "entries": {} }
        ]),
    ));
    let r = score(&a);
    assert_eq!(r.bonus, d("0.5"), "stage 1's list replaces the self list; stage 2 keeps it");
    assert_eq!(r.penalty, d("0"), "stage 2's empty list replaces the penalty");
    assert_eq!(r.total, d("16.125"));
}

#[test]
fn the_total_is_clamped_to_zero_and_max() {
    let mut top = doc(with_adjustments(json!([{ "points": "2", "reason": "x" }]), json!([])), json!([]));
    top["survey"] = json!({ "2.1": { "score": "1" } });
    top["self"]["entries"]["2.2"] = json!({ "input": 100 });
    let r = score(&load(&top));
    assert_eq!(r.appraised_total + r.survey_total + r.bonus, d("19"));
    assert_eq!(r.total, r.max);
    assert_eq!(r.index(), d("100"));

    let zero = json!({ "format": "parindex/assessment@1", "unit": "so-a",
        "self": { "entries": { "1.1": { "input": true, "evidence": ev() } },
                  "penalty": [{ "points": "3", "reason": "Vi phạm" }] } });
    let r = score(&load(&zero));
    assert_eq!((r.appraised_total, r.penalty), (d("2"), d("3")));
    assert_eq!(r.total, d("0"));
}

#[test]
fn adjustments_need_caps_and_nonnegative_points() {
    let no_caps = CriteriaSet::from_document(&parindex_json::Value::from(&set_doc(false))).unwrap();
    let a = doc(with_adjustments(json!([{ "points": "1", "reason": "x" }]), json!([])), json!([]));
    let e = Assessment::from_document(&parindex_json::Value::from(&a), &no_caps, &labels()).unwrap_err().errors;
    assert_eq!(codes(&e), one(Code::AdjustmentNotAllowed, None, "/self/bonus"));
    // An empty list is no adjustment.
    let empty = doc(with_adjustments(json!([]), json!([])), json!([]));
    assert!(Assessment::from_document(&parindex_json::Value::from(&empty), &no_caps, &labels()).is_ok());
    let neg = doc(with_adjustments(json!([]), json!([{ "points": "-1", "reason": "x" }])), json!([]));
    assert_eq!(codes(&load_errors(&neg)), one(Code::PointsNegative, None, "/self/penalty/0/points"));
}

#[test]
fn a_class_cap_names_a_class_of_the_block() {
    let mut a = doc(full_self(), json!([]));
    a["class_cap"] = json!({ "label": "Khá", "reason": "Vi phạm kỷ luật" });
    assert_eq!(
        score(&load(&a)).class_cap.map(|c| (c.label, c.reason)),
        Some(("Khá".to_owned(), "Vi phạm kỷ luật".to_owned()))
    );
    a["class_cap"] = json!({ "label": "Trung bình", "reason": "x" });
    assert_eq!(codes(&load_errors(&a)), one(Code::UnknownClass, None, "/class_cap/label"));
}

// ---------------------------------------------------------------------------------------------
// findings

#[test]
fn missing_entries_and_survey_results_are_found() {
    let mut s = full_self();
    s["entries"].as_object_mut().unwrap().remove("1.1");
    let mut a = doc(s, json!([]));
    a.as_object_mut().unwrap().remove("survey");
    let r = score(&load(&a));
    assert_eq!(
        finding_codes(&r),
        vec![(Code::MissingEntry, Some("1.1".into())), (Code::MissingSurvey, Some("2.1".into()))]
    );
    assert_eq!(node(&r, "1.1"), Some((d("0"), d("2"), Some(d("0")))));
    assert_eq!(node(&r, "2.1"), Some((d("0"), d("3"), None)));
    // Without a survey in the block the survey leaf is excluded, and nothing is missing.
    let r = score_with(Some(&load(&a)), &tags(), false, None);
    assert_eq!(finding_codes(&r), vec![(Code::MissingEntry, Some("1.1".into()))]);
    assert_eq!(node(&r, "2.1"), None);
    assert_eq!(r.max, d("14"));
    // A leaf that does not apply is not missing.
    let mut s = full_self();
    s["entries"].as_object_mut().unwrap().remove("1.6");
    let r = score_with(Some(&load(&doc(s, json!([])))), &[], true, None);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn points_that_differ_from_the_input_are_found_at_every_stage() {
    let a = load(&doc(
        with_self_entry(
            "1.2",
            json!({ "input": { "numerator": 17, "denominator": 20 }, "points": "2", "evidence": ev() }),
        ),
        json!([{ "stage": 1, "entries": { "1.2": { "input": { "numerator": 16, "denominator": 20 }, "points": "1", "reason": "Đúng" } } },
               { "stage": 2, "entries": { "1.2": { "input": { "numerator": 20, "denominator": 20 }, "points": "1.5", "reason": "Bổ sung" } } }]),
    ));
    let r = score(&a);
    let mismatches: Vec<_> = r.findings.iter().filter(|f| f.code == Code::PointsMismatch).collect();
    assert_eq!(mismatches.len(), 2, "{:?}", r.findings);
    assert!(mismatches.iter().all(|f| f.criterion.as_deref() == Some("1.2")));
    assert!(mismatches[0].message.contains('2') && mismatches[0].message.contains('1'), "{}", mismatches[0].message);
    assert_eq!(node(&r, "1.2"), Some((d("2"), d("2"), Some(d("1")))), "the input counts, never the points");
}

#[test]
fn self_points_without_evidence_or_note_are_found() {
    let cases = [
        (json!({ "input": true }), true),
        (json!({ "input": true, "note": "   " }), true),
        (json!({ "input": true, "evidence": [] }), true),
        (json!({ "input": true, "note": "Đã ban hành" }), false),
        (json!({ "input": true, "evidence": ev() }), false),
        (json!({ "input": false }), false),
    ];
    for (entry, found) in cases {
        let r = score(&load(&doc(with_self_entry("1.1", entry.clone()), json!([]))));
        assert_eq!(
            r.findings.iter().any(|f| f.code == Code::NoEvidence && f.criterion.as_deref() == Some("1.1")),
            found,
            "{entry}"
        );
    }
    // 2.2 wants no evidence.
    let r = score(&load(&doc(with_self_entry("2.2", json!({ "input": 90 })), json!([]))));
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn a_late_self_assessment_is_found_by_its_own_calendar_day() {
    let at = |ts: &str| {
        let mut s = full_self();
        s["submitted_at"] = json!(ts);
        score_with(Some(&load(&doc(s, json!([])))), &tags(), true, Some("2024-01-15"))
    };
    let late = |ts: &str| at(ts).findings.iter().any(|f| f.code == Code::LateSubmission && f.criterion.is_none());
    assert!(!late("2024-01-15T23:59:59+07:00"));
    assert!(late("2024-01-16T00:30:00+07:00"));
    // 20:00 on the 15th in UTC−5 is the 16th in UTC: the timestamp's own day counts.
    assert!(!late("2024-01-15T20:00:00-05:00"));
    assert!(late("2024-01-16T00:00:00Z"));
    assert!(!late("2024-01-10T08:00:00.123Z"));
    // No deadline, no finding.
    let mut s = full_self();
    s["submitted_at"] = json!("2025-01-01T00:00:00Z");
    assert!(score_with(Some(&load(&doc(s, json!([])))), &tags(), true, None).findings.is_empty());
    let mut bad = full_self();
    bad["submitted_at"] = json!("16/01/2024");
    assert_eq!(codes(&load_errors(&doc(bad, json!([])))), one(Code::BadDate, None, "/self/submitted_at"));
}

// ---------------------------------------------------------------------------------------------
// properties

/// One random entry for an assessed leaf (always valid for its rule).
fn entry_strategy(code: &'static str) -> BoxedStrategy<Option<Value>> {
    let ev = || {
        prop_oneof![
            Just(json!({})),
            Just(json!({ "evidence": [{ "title": "VB" }] })),
            Just(json!({ "note": "ghi chú" }))
        ]
    };
    let input: BoxedStrategy<Value> = match code {
        "1.1" | "1.4" | "1.5" | "1.6" | "3.1" => prop_oneof![
            any::<bool>().prop_map(|b| json!({ "input": b })),
            any::<bool>().prop_map(|b| json!({ "points": if b { "max" } else { "0" } })),
        ]
        .boxed(),
        "1.2" => (1u32..=40, 0u32..=40)
            .prop_map(|(den, n)| json!({ "input": { "numerator": n.min(den), "denominator": den } }))
            .boxed(),
        "1.3" => (0u32..=6).prop_map(|k| json!({ "points": Decimal::new(i64::from(k) * 5, 1).to_string() })).boxed(),
        _ => (0u32..=10000).prop_map(|p| json!({ "input": Decimal::new(i64::from(p), 2).to_string() })).boxed(),
    };
    let not_arising = matches!(code, "1.4" | "1.5" | "3.1");
    let value =
        if not_arising { prop_oneof![3 => input, 1 => Just(json!({ "not_arising": true }))].boxed() } else { input };
    prop::option::of((value, ev()).prop_map(|(mut v, extra)| {
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    }))
    .boxed()
}

const ASSESSED: [&str; 8] = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.2", "3.1"];

fn max_of(code: &str) -> &'static str {
    match code {
        "1.3" => "3",
        "1.1" | "1.2" | "1.5" => "2",
        "2.2" => "2",
        _ => "1",
    }
}

fn entries_strategy() -> impl Strategy<Value = Map<String, Value>> {
    ASSESSED.iter().map(|c| entry_strategy(c)).collect::<Vec<_>>().prop_map(|entries| {
        let mut m = Map::new();
        for (code, e) in ASSESSED.iter().zip(entries) {
            if let Some(mut e) = e {
                if e.get("points") == Some(&json!("max")) {
                    e["points"] = json!(max_of(code));
                }
                e["reason"] = json!("Thẩm định");
                m.insert((*code).to_owned(), e);
            }
        }
        m
    })
}

fn adjustment_list() -> impl Strategy<Value = Option<Value>> {
    prop::option::of(prop::collection::vec((0u32..=300, 0u32..=2), 0..4).prop_map(|items| {
        Value::Array(
            items
                .into_iter()
                .map(|(p, sc)| json!({ "points": Decimal::new(i64::from(p), sc).to_string(), "reason": "r" }))
                .collect(),
        )
    }))
}

fn survey_strategy() -> impl Strategy<Value = Option<Value>> {
    prop::option::of(prop_oneof![
        (0u32..50, 0u32..50, 1u32..50).prop_map(|(a, b, c)| json!({ "counts": { "A": a, "B": b, "C": c } })),
        (100u32..=400).prop_map(|m| json!({ "mean": Decimal::new(i64::from(m), 2).to_string() })),
        (0u32..=1000).prop_map(|s| json!({ "score": Decimal::new(i64::from(s), 3).to_string() })),
    ])
}

fn assessment_strategy() -> impl Strategy<Value = Value> {
    (
        prop::option::of((entries_strategy(), adjustment_list(), adjustment_list())),
        prop::collection::vec((entries_strategy(), any::<bool>(), adjustment_list(), adjustment_list()), 0..3),
        survey_strategy(),
    )
        .prop_map(|(self_stage, appraisals, survey)| {
            let mut doc = json!({ "format": "parindex/assessment@1", "unit": "so-a" });
            if let Some((entries, bonus, penalty)) = self_stage {
                let mut s = json!({ "entries": entries });
                if let Some(b) = bonus {
                    s["bonus"] = b;
                }
                if let Some(p) = penalty {
                    s["penalty"] = p;
                }
                doc["self"] = s;
            }
            let stages: Vec<Value> = appraisals
                .into_iter()
                .enumerate()
                .map(|(i, (entries, fin, bonus, penalty))| {
                    let mut a = json!({ "stage": i + 1, "final": fin, "entries": entries });
                    if let Some(b) = bonus {
                        a["bonus"] = b;
                    }
                    if let Some(p) = penalty {
                        a["penalty"] = p;
                    }
                    a
                })
                .collect();
            doc["appraisals"] = Value::Array(stages);
            if let Some(s) = survey {
                doc["survey"] = json!({ "2.1": s });
            }
            doc
        })
}

/// The exact decimal expansion of `a / b` has at most 28 significant digits (and at most 28
/// places), decided with integers, independently of the engine's division. `None` when the
/// integers needed to decide do not fit an i128.
fn terminates_within_28_digits(a: Decimal, b: Decimal) -> Option<bool> {
    fn gcd(mut x: u128, mut y: u128) -> u128 {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        x
    }
    let (ma, sa) = (a.mantissa().unsigned_abs(), a.scale());
    let (mb, sb) = (b.mantissa().unsigned_abs(), b.scale());
    if ma == 0 {
        return Some(true);
    }
    // a / b = ma × 10^sb / (mb × 10^sa)
    let num = ma.checked_mul(10u128.checked_pow(sb)?)?;
    let den = mb.checked_mul(10u128.checked_pow(sa)?)?;
    let g = gcd(num, den);
    let (num, mut den) = (num / g, den / g);
    let (mut twos, mut fives) = (0u32, 0u32);
    while den % 2 == 0 {
        den /= 2;
        twos += 1;
    }
    while den % 5 == 0 {
        den /= 5;
        fives += 1;
    }
    if den != 1 {
        return Some(false);
    }
    let places = twos.max(fives);
    // value × 10^places is a whole number: num × 2^(places − twos) × 5^(places − fives).
    let mut whole =
        num.checked_mul(2u128.checked_pow(places - twos)?)?.checked_mul(5u128.checked_pow(places - fives)?)?;
    while whole % 10 == 0 && whole != 0 {
        whole /= 10;
    }
    Some(places <= 28 && whole.to_string().len() <= 28)
}

#[test]
fn the_termination_check_knows_its_fractions() {
    assert_eq!(terminates_within_28_digits(d("100"), d("3")), Some(false));
    assert_eq!(terminates_within_28_digits(d("1562.5"), d("17")), Some(false));
    assert_eq!(terminates_within_28_digits(d("100"), d("8")), Some(true));
    assert_eq!(terminates_within_28_digits(d("12.5"), d("16")), Some(true));
    assert_eq!(terminates_within_28_digits(d("1"), d("1099511627776")), Some(false), "2^-40 has 40 places");
}

proptest! {
    #![proptest_config(Config { cases: 200, ..Config::default() })]

    #[test]
    fn totals_and_index_hold_for_random_assessments(
        doc in assessment_strategy(),
        tagged in any::<bool>(),
        survey_held in any::<bool>(),
    ) {
        let set = set();
        let a = match Assessment::from_document(&parindex_json::Value::from(&doc), &set, &labels()) {
            Ok(a) => a,
            Err(e) => return Err(TestCaseError::fail(format!("a generated assessment must load: {e:?}\n{doc:#}"))),
        };
        let tags = if tagged { tags() } else { Vec::new() };
        let ctx = UnitContext { unit: "so-a", tags: &tags, survey_held, self_deadline: None };
        let r = score_unit(&set, &ctx, Some(&a));

        prop_assert!(r.total >= Decimal::ZERO && r.total <= r.max, "total {} max {}", r.total, r.max);
        let mut appraised = Decimal::ZERO;
        let mut survey = Decimal::ZERO;
        let mut leaf_max = Decimal::ZERO;
        for (i, node) in set.nodes().iter().enumerate() {
            let nr = &r.nodes[i];
            match node.leaf() {
                Some(leaf) => {
                    if let Some(s) = nr.score {
                        prop_assert!(s.points >= Decimal::ZERO && s.points <= s.max);
                        prop_assert_eq!(s.max, node.max);
                        leaf_max += s.max;
                        match leaf.source {
                            Source::Assessed | Source::Derived => {
                                appraised += s.points;
                                prop_assert!(nr.self_points.is_some());
                            }
                            Source::Appraisal => {
                                appraised += s.points;
                                prop_assert!(nr.self_points.is_none());
                            }
                            Source::Survey => {
                                survey += s.points;
                                prop_assert!(nr.self_points.is_none());
                            }
                        }
                    } else {
                        prop_assert!(nr.self_points.is_none());
                    }
                }
                None => {
                    let kids: Vec<_> = node.children().iter().filter_map(|c| r.nodes[c.0].score).collect();
                    if kids.is_empty() {
                        prop_assert_eq!(nr.score, None, "group {}", node.code);
                    } else {
                        let s = nr.score.unwrap();
                        prop_assert_eq!(s.points, kids.iter().map(|k| k.points).sum::<Decimal>(), "group {}", node.code);
                        prop_assert_eq!(s.max, kids.iter().map(|k| k.max).sum::<Decimal>(), "group {}", node.code);
                    }
                }
            }
        }
        prop_assert_eq!(r.appraised_total, appraised);
        prop_assert_eq!(r.survey_total, survey);
        prop_assert_eq!(r.max, leaf_max);
        let expected_total = (appraised + survey + r.bonus - r.penalty).max(Decimal::ZERO).min(r.max);
        prop_assert_eq!(r.total, expected_total);
        prop_assert!(r.bonus <= d("2") && r.penalty <= d("3"));

        // The index. A quotient is carried to 28 significant digits (SPEC §2), so it can be
        // exact only when the true quotient terminates within 28 digits: 100 / 3 is
        // 33.333… forever, and no decimal index satisfies index × 3 == 100, whatever its
        // precision. For such quotients the index is the nearest 28-digit value, so the
        // product is off by at most half a unit in the 28th digit, times max (an index ≤ 100
        // has at least 25 places: the error is below max × 10^-25). The bound checked below,
        // max × 10^-20, leaves room for the rounding of the check's own multiplication.
        let index = r.index();
        let hundred_total = r.total * Decimal::ONE_HUNDRED;
        if r.max.is_zero() {
            prop_assert_eq!(index, Decimal::ZERO);
        } else {
            if terminates_within_28_digits(hundred_total, r.max) == Some(true) {
                prop_assert_eq!(index * r.max, hundred_total, "index {} total {} max {}", index, r.total, r.max);
            }
            let error = (index * r.max - hundred_total).abs();
            prop_assert!(error < r.max * Decimal::new(1, 20), "index {} × max {} is off by {}", index, r.max, error);
        }
    }
}

/// SPEC §6.2: a self entry that said nothing arose scores 0 at the self stage when a later
/// stage scores the leaf, under the `full` policy too (under `full` with nothing arising at
/// the last stage as well, the self stage keeps the full points).
#[test]
fn self_points_are_zero_when_nothing_arose_then_a_later_stage_scored_full_policy() {
    let set = parindex_core::CriteriaSet::from_document(&parindex_json::Value::from(&serde_json::json!({
        "format": "parindex/criteria-set@1", "id": "t", "title": "T",
        "nodes": [ { "code": "1", "title": "A", "children": [
            { "code": "1.1", "title": "a", "max": "2", "rule": { "kind": "yes_no" }, "not_arising": "full" } ] } ]
    })))
    .unwrap();
    let ctx = parindex_assess::UnitContext { unit: "u", tags: &[], survey_held: false, self_deadline: None };
    let scored_later = serde_json::json!({ "format": "parindex/assessment@1", "unit": "u",
        "self": { "entries": { "1.1": { "not_arising": true, "note": "Không phát sinh" } } },
        "appraisals": [ { "stage": 1, "entries": { "1.1": { "input": true, "reason": "Có phát sinh" } } } ] });
    let a = parindex_assess::Assessment::from_document(&parindex_json::Value::from(&scored_later), &set, &[]).unwrap();
    let r = parindex_assess::score_unit(&set, &ctx, Some(&a));
    assert_eq!((r.self_total.to_string(), r.appraised_total.to_string()), ("0".to_owned(), "2".to_owned()));
    let still_nothing = serde_json::json!({ "format": "parindex/assessment@1", "unit": "u",
        "self": { "entries": { "1.1": { "not_arising": true, "note": "Không phát sinh" } } } });
    let a = parindex_assess::Assessment::from_document(&parindex_json::Value::from(&still_nothing), &set, &[]).unwrap();
    let r = parindex_assess::score_unit(&set, &ctx, Some(&a));
    assert_eq!((r.self_total.to_string(), r.appraised_total.to_string()), ("2".to_owned(), "2".to_owned()));
}

#[test]
fn a_criterion_given_twice_in_one_object_is_reported_not_dropped() {
    // serde_json (and the JSON API) would keep only the last of two keys; a file read from
    // disk keeps both, and the loader names each criterion given twice.
    let text = serde_json::to_string(&doc(full_self(), json!([]))).unwrap().replacen(
        "\"entries\":{",
        "\"entries\":{\"1.3\":{\"points\":\"1\"},\"2.2\":{\"input\":\"40\"},",
        1,
    );
    let text = text.replacen("\"survey\":{", "\"survey\":{\"2.1\":{\"score\":\"1\"},", 1);
    let tree = parindex_core::reader::parse(&text).unwrap();
    let errors = match Assessment::from_document(&tree, &set(), &labels()) {
        Ok(_) => panic!("the assessment should not load"),
        Err(e) => e.errors,
    };
    let expected = vec![
        (Code::InputType, Some("1.3".to_owned()), "/self/entries/1.3".to_owned()),
        (Code::InputType, Some("2.1".to_owned()), "/survey/2.1".to_owned()),
        (Code::InputType, Some("2.2".to_owned()), "/self/entries/2.2".to_owned()),
    ];
    assert_eq!(codes(&errors), expected);
    assert!(errors.iter().all(|e| e.message.contains("more than once")), "{errors:#?}");
    // The same document without the repeats loads, read either way.
    let clean = serde_json::to_string(&doc(full_self(), json!([]))).unwrap();
    let tree = parindex_core::reader::parse(&clean).unwrap();
    assert_eq!(
        Assessment::from_document(&tree, &set(), &labels()).unwrap(),
        load(&serde_json::from_str(&clean).unwrap())
    );
}
