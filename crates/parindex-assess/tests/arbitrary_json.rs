//! Robustness: arbitrary JSON, and valid assessments (and criteria sets) with random parts
//! replaced or removed, never make `Assessment::from_json` or `score_unit` panic; every
//! problem reported has a message and a JSON Pointer; and whatever loads scores a total
//! within `[0, max]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_assess::{Assessment, UnitContext, score_unit};
use parindex_core::{CriteriaSet, Date, Decimal, Diagnostic};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

// ---- arbitrary JSON (the same generator as in parindex-core's tests/arbitrary_json.rs) ----------------

/// Texts of JSON numbers, from ordinary to hostile (huge, tiny, exponents, many digits).
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (0u32..=1000).prop_map(|n| n.to_string()),
        (any::<i32>(), 0u32..=30).prop_map(|(m, sc)| {
            let digits = m.unsigned_abs().to_string();
            let sign = if m < 0 { "-" } else { "" };
            let padded = format!("{digits:0>w$}", w = usize::try_from(sc).unwrap() + 1);
            let (int, frac) = padded.split_at(padded.len() - usize::try_from(sc).unwrap());
            if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
        }),
        prop::sample::select(vec![
            "0",
            "-0",
            "0.0",
            "1e2",
            "1E-2",
            "2.5e-1",
            "1e400",
            "-1e400",
            "1e-400",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "-79228162514264337593543950335",
            "0.00000000000000000000000000001",
            "123456789012345678901234567890.5",
            "4294967296",
            "18446744073709551616",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Strings that mean something somewhere in the documents, and some that mean nothing.
fn string_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "parindex/criteria-set@1",
            "parindex/assessment@1",
            "parindex/round@1",
            "manual",
            "yes_no",
            "options",
            "bands",
            "proportional",
            "deduction",
            "deadline",
            "survey",
            "formula",
            "percent",
            "ratio",
            "count",
            "number",
            "full",
            "exclude",
            "forbidden",
            "assessed",
            "1",
            "1.1",
            "1.2",
            "2",
            "2.1",
            "0.5",
            "0,5",
            "-1",
            "100",
            "1e2",
            ".5",
            "",
            " ",
            "2023-01-15",
            "2023-02-30",
            "2024-01-10T08:00:00+07:00",
            "x",
            "y",
            "max_points",
            "x + y",
            "max_points * x / y",
            "if(y == 0, 1, x / y)",
            "((",
            "min()",
            "A",
            "B",
            "good",
            "so",
            "so-a",
            "half_up",
            "half_even",
            "exact",
            "Xuất sắc",
            "Tốt",
            "has-procedures",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "format", "id", "title", "year", "nodes", "code", "max", "rule", "children", "kind", "input", "bands",
            "from", "to", "from_inclusive", "to_inclusive", "points", "otherwise", "options", "key", "label", "per",
            "due", "late_points", "grace_days", "weights", "scale", "min", "variables", "expr", "choices",
            "zero_below", "full_from", "step", "source", "applies_to", "not_arising", "evidence", "adjustments",
            "bonus_max", "penalty_max", "unit", "self", "entries", "appraisals", "stage", "final", "reason",
            "explain", "note", "submitted_at", "bonus", "penalty", "survey", "counts", "mean", "score",
            "explanations", "class_cap", "choice", "numerator", "denominator", "blocks", "units", "classes",
            "tie_breakers", "criteria_set", "block", "tags", "ranked", "rounding", "decimals", "mode", "deadlines",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z0-9._~/]{0,6}",
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number_text().prop_map(|t| serde_json::from_str::<Value>(&t).unwrap()),
        string_value().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// How to change a valid document: follow `steps` down (each picks a child by index, modulo),
/// then replace what is there with `value`, or remove it from its parent when `remove` is set.
#[derive(Debug, Clone)]
struct Mutation {
    steps: Vec<usize>,
    value: Value,
    remove: bool,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (prop::collection::vec(any::<usize>(), 0..10), arb_json(), prop::bool::weighted(0.2))
        .prop_map(|(steps, value, remove)| Mutation { steps, value, remove })
}

fn apply(doc: &mut Value, m: &Mutation) {
    fn walk(v: &mut Value, steps: &[usize], m: &Mutation) {
        let Some((&step, rest)) = steps.split_first() else {
            *v = m.value.clone();
            return;
        };
        match v {
            Value::Object(map) if !map.is_empty() => {
                let k = map.keys().nth(step % map.len()).unwrap().clone();
                if rest.is_empty() && m.remove {
                    map.remove(&k);
                } else {
                    walk(map.get_mut(&k).unwrap(), rest, m);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let i = step % items.len();
                if rest.is_empty() && m.remove {
                    items.remove(i);
                } else {
                    walk(&mut items[i], rest, m);
                }
            }
            other => *other = m.value.clone(),
        }
    }
    walk(doc, &m.steps, m);
}

/// Replaces decimal-looking values (numbers, and strings that parse as decimals) in `doc`,
/// in document order, with the hostile numbers of `picks` where a pick says so.
fn replace_numbers(doc: &mut Value, picks: &[Option<String>]) {
    fn walk(v: &mut Value, picks: &[Option<String>], next: &mut usize) {
        match v {
            Value::Array(items) => items.iter_mut().for_each(|x| walk(x, picks, next)),
            Value::Object(map) => map.values_mut().for_each(|x| walk(x, picks, next)),
            Value::Number(_) => pick(v, picks, next),
            Value::String(s) if s.parse::<f64>().is_ok() => pick(v, picks, next),
            _ => {}
        }
    }
    fn pick(v: &mut Value, picks: &[Option<String>], next: &mut usize) {
        if picks.is_empty() {
            return;
        }
        if let Some(text) = &picks[*next % picks.len()] {
            *v = if *next % 3 == 0 { Value::String(text.clone()) } else { serde_json::from_str(text).unwrap() };
        }
        *next += 1;
    }
    walk(doc, picks, &mut 0);
}

fn hostile_picks() -> impl Strategy<Value = Vec<Option<String>>> {
    prop::collection::vec(prop::option::weighted(0.3, number_text()), 1..40)
}

fn check_diagnostics(errors: &[Diagnostic]) -> Result<(), TestCaseError> {
    for e in errors {
        prop_assert!(!e.message.trim().is_empty(), "empty message: {:?}", e);
        prop_assert!(e.path.is_empty() || e.path.starts_with('/'), "bad pointer: {:?}", e);
        prop_assert!(!e.code.is_finding(), "a loader reports errors, not findings: {:?}", e);
    }
    Ok(())
}

// ---- assessments ------------------------------------------------------------------------------

/// A valid set using every rule kind.
fn valid_set() -> Value {
    json!({
        "format": "parindex/criteria-set@1", "id": "so-2023", "title": "Bộ chỉ số", "year": 2023,
        "basis": "QĐ", "adjustments": { "bonus_max": "2", "penalty_max": "3" },
        "nodes": [
            { "code": "1", "title": "Một", "max": "10", "children": [
                { "code": "1.1", "title": "a", "max": "1", "rule": { "kind": "deadline", "due": "2023-01-15", "late_points": "0.5", "grace_days": 15 } },
                { "code": "1.2", "title": "b", "max": "2", "not_arising": "full", "rule": { "kind": "bands", "input": "ratio", "bands": [
                    { "from": "100", "points": "2" }, { "from": "80", "to": "100", "points": "1" } ], "otherwise": "0" } },
                { "code": "1.3", "title": "c", "max": "1", "rule": { "kind": "manual", "step": "0.25" } },
                { "code": "1.4", "title": "d", "max": "1", "applies_to": ["has-procedures"], "rule": { "kind": "yes_no" } },
                { "code": "1.5", "title": "e", "max": "1", "rule": { "kind": "options", "options": [
                    { "key": "good", "label": "Tốt", "points": "1" }, { "key": "fair", "label": "Khá", "points": "0.5" } ] } },
                { "code": "1.6", "title": "f", "max": "2", "not_arising": "exclude", "rule": { "kind": "proportional", "input": "ratio", "zero_below": "50", "full_from": "95" } },
                { "code": "1.7", "title": "g", "max": "1", "rule": { "kind": "deduction", "per": "0.25" } },
                { "code": "1.8", "title": "h", "max": "1", "evidence": false, "rule": { "kind": "formula", "variables": { "x": "X", "y": "Y" }, "expr": "if(y == 0, max_points, max_points * x / y)" } }
            ] },
            { "code": "2", "title": "Hai", "children": [
                { "code": "2.1", "title": "i", "max": "3", "rule": { "kind": "survey", "weights": { "A": "1", "B": "0.5", "C": "0" }, "scale": { "min": "1", "max": "4" } } },
                { "code": "2.2", "title": "j", "max": "2", "rule": { "kind": "bands", "input": "percent", "bands": [ { "from": "90", "points": "2" }, { "from": "50", "to": "90", "points": "1" } ] } },
                { "code": "2.3", "title": "k", "max": "1", "rule": { "kind": "formula", "variables": { "a": "A" }, "choices": { "full": "max_points", "part": "a / 2" } } }
            ] }
        ]
    })
}

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
    match Assessment::from_json(doc, set, &labels()) {
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

#[test]
fn the_valid_assessment_loads_and_scores() {
    let set = CriteriaSet::from_json(&valid_set()).unwrap();
    let a = Assessment::from_json(&valid_assessment(), &set, &labels()).unwrap();
    assert_eq!(a.appraisals.len(), 2);
    let r =
        score_unit(&set, &UnitContext { unit: "so-a", tags: &[], survey_held: true, self_deadline: None }, Some(&a));
    assert!(r.total > Decimal::ZERO);
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn arbitrary_json_never_panics(doc in arb_json()) {
        let set = CriteriaSet::from_json(&valid_set()).unwrap();
        check_assessment(&doc, &set)?;
        let _ = Assessment::unit_of(&doc);
    }

    #[test]
    fn a_mutated_valid_assessment_never_panics(m in mutation(), second in mutation()) {
        let set = CriteriaSet::from_json(&valid_set()).unwrap();
        let mut doc = valid_assessment();
        apply(&mut doc, &m);
        check_assessment(&doc, &set)?;
        apply(&mut doc, &second);
        check_assessment(&doc, &set)?;
    }

    #[test]
    fn hostile_numbers_in_an_assessment_never_panic(picks in hostile_picks()) {
        let set = CriteriaSet::from_json(&valid_set()).unwrap();
        let mut doc = valid_assessment();
        replace_numbers(&mut doc, &picks);
        check_assessment(&doc, &set)?;
    }

    #[test]
    fn hostile_numbers_in_the_criteria_set_never_panic(picks in hostile_picks()) {
        let mut set_doc = valid_set();
        replace_numbers(&mut set_doc, &picks);
        let (set, diags) = CriteriaSet::read(&set_doc);
        check_diagnostics(&diags.errors)?;
        if let Some(set) = set {
            if diags.is_empty() {
                check_assessment(&valid_assessment(), &set)?;
            } else if let Err(e) = Assessment::from_json(&valid_assessment(), &set, &labels()) {
                // A best-effort set only serves to check the assessment; it is never scored.
                check_diagnostics(&e.errors)?;
            }
        }
    }

    #[test]
    fn hostile_numbers_in_both_never_panic(set_picks in hostile_picks(), picks in hostile_picks()) {
        let mut set_doc = valid_set();
        replace_numbers(&mut set_doc, &set_picks);
        let mut doc = valid_assessment();
        replace_numbers(&mut doc, &picks);
        let (set, diags) = CriteriaSet::read(&set_doc);
        check_diagnostics(&diags.errors)?;
        if let Some(set) = set {
            if diags.is_empty() {
                check_assessment(&doc, &set)?;
            } else if let Err(e) = Assessment::from_json(&doc, &set, &labels()) {
                check_diagnostics(&e.errors)?;
            }
        }
    }

    #[test]
    fn an_assessment_against_a_mutated_criteria_set_never_panics(m in mutation(), am in mutation()) {
        let mut set_doc = valid_set();
        apply(&mut set_doc, &m);
        let mut doc = valid_assessment();
        apply(&mut doc, &am);
        let (set, diags) = CriteriaSet::read(&set_doc);
        check_diagnostics(&diags.errors)?;
        if let Some(set) = set {
            if diags.is_empty() {
                check_assessment(&doc, &set)?;
            } else if let Err(e) = Assessment::from_json(&doc, &set, &labels()) {
                check_diagnostics(&e.errors)?;
            }
        }
    }
}
