#![allow(clippy::disallowed_types)] // a test helper: f64 only asks whether a string looks like a float
//! Test support shared by the engine crates' robustness tests: proptest strategies for
//! arbitrary and hostile JSON, mutations of valid documents, and the checks every reported
//! problem must pass. Not published; used only as a dev-dependency.
// Test support: a failed unwrap or index here is a failed test, never a user's problem.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_core::Diagnostic;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Texts of JSON numbers, from ordinary to hostile (huge, tiny, exponents, many digits).
pub fn number_text() -> impl Strategy<Value = String> {
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
pub fn string_value() -> impl Strategy<Value = String> {
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

/// Object keys: the documents' own field names and codes, and arbitrary text.
pub fn key() -> impl Strategy<Value = String> {
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

/// Arbitrary JSON values, a few levels deep, built from the numbers, strings and keys above.
pub fn arb_json() -> impl Strategy<Value = Value> {
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
pub struct Mutation {
    /// Where to go: at each level, a child chosen by this number.
    pub steps: Vec<usize>,
    /// What to put there.
    pub value: Value,
    /// Remove the place instead.
    pub remove: bool,
}

/// A random [`Mutation`].
pub fn mutation() -> impl Strategy<Value = Mutation> {
    (prop::collection::vec(any::<usize>(), 0..10), arb_json(), prop::bool::weighted(0.2))
        .prop_map(|(steps, value, remove)| Mutation { steps, value, remove })
}

/// Applies `m` to `doc`: replaces (or removes) the place its steps lead to.
pub fn apply(doc: &mut Value, m: &Mutation) {
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
pub fn replace_numbers(doc: &mut Value, picks: &[Option<String>]) {
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

/// For [`replace_numbers`]: which numbers to replace, and with what hostile number texts.
pub fn hostile_picks() -> impl Strategy<Value = Vec<Option<String>>> {
    prop::collection::vec(prop::option::weighted(0.3, number_text()), 1..40)
}

/// Every reported problem has a message, a JSON Pointer (`""` or starting with `/`), and is
/// an error, not a finding.
pub fn check_diagnostics(errors: &[Diagnostic]) -> Result<(), TestCaseError> {
    for e in errors {
        prop_assert!(!e.message.trim().is_empty(), "empty message: {:?}", e);
        prop_assert!(e.path.is_empty() || e.path.starts_with('/'), "bad pointer: {:?}", e);
        prop_assert!(!e.code.is_finding(), "a loader reports errors, not findings: {:?}", e);
    }
    Ok(())
}

/// A valid criteria set (SPEC §3) using every rule kind, for mutating.
pub fn valid_set() -> Value {
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
