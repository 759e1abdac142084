//! Robustness: arbitrary JSON, and valid criteria sets with a random part replaced or removed,
//! never make the loader panic; every problem it reports has a message and a JSON Pointer; and
//! a set that loads scores any input within `[0, max]` or says why it cannot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_core::json::Reader;
use parindex_core::rule::{read_input, read_survey};
use parindex_core::{CriteriaSet, Diagnostic, Diagnostics, Outcome};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

// ---- arbitrary JSON (the same generator is used by the assess and rank tests) ----------------

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

// ---- criteria sets ----------------------------------------------------------------------------

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

/// Checks one outcome of CriteriaSet::read / from_json on `doc`.
fn check_load(doc: &Value) -> Result<Option<CriteriaSet>, TestCaseError> {
    let (set, diags) = CriteriaSet::read(doc);
    check_diagnostics(&diags.errors)?;
    let strict = CriteriaSet::from_json(doc);
    match &strict {
        Ok(s) => {
            prop_assert!(diags.is_empty());
            prop_assert_eq!(Some(s), set.as_ref());
        }
        Err(e) => {
            prop_assert!(!e.is_empty(), "a refused set must say why");
            prop_assert_eq!(&e.errors, &diags.errors);
        }
    }
    if let Some(set) = &set {
        // Even a best-effort set is a consistent tree.
        for (i, node) in set.nodes().iter().enumerate() {
            for c in node.children() {
                prop_assert!(c.0 > i && set.node(*c).is_some());
            }
        }
        let _ = set.max();
    }
    Ok(strict.ok())
}

/// Scores `input` on every leaf of a loaded set: points within [0, max], or a documented
/// problem, never a panic.
fn score_everything(set: &CriteriaSet, input: &Value) -> Result<(), TestCaseError> {
    for (_, node, leaf) in set.leaves() {
        let mut diags = Diagnostics::new();
        let typed = {
            let mut r = Reader::new(&mut diags);
            read_input(&leaf.rule, input, input.get("choice"), "/entries/x/input", &mut r)
        };
        let survey = {
            let mut r = Reader::new(&mut diags);
            read_survey(&leaf.rule, input, "/survey/x", &mut r)
        };
        check_diagnostics(&diags.errors)?;
        for typed in typed.into_iter().chain(survey.map(parindex_core::Input::Survey)) {
            match leaf.rule.score(node.max, &typed) {
                Ok(Outcome::Points(p)) => prop_assert!(p >= parindex_core::Decimal::ZERO && p <= node.max),
                Ok(Outcome::NotArising) => {}
                Err(e) => prop_assert!(!e.message.is_empty()),
            }
        }
        let _ = leaf.rule.check_points(node.max, parindex_core::Decimal::ONE);
    }
    Ok(())
}

#[test]
fn the_valid_set_loads() {
    let set = CriteriaSet::from_json(&valid_set()).unwrap();
    assert_eq!(set.leaves().count(), 11);
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn arbitrary_json_never_panics(doc in arb_json()) {
        check_load(&doc)?;
        let text = doc.to_string();
        if let Err(e) = CriteriaSet::from_json_text(&text) {
            check_diagnostics(&e.errors)?;
        }
    }

    #[test]
    fn arbitrary_objects_with_a_format_never_panic(mut doc in arb_json(), nodes in prop::collection::vec(arb_json(), 0..4)) {
        // Push arbitrary values deeper than a random document gets by itself.
        if !doc.is_object() {
            doc = json!({});
        }
        doc["format"] = json!("parindex/criteria-set@1");
        doc["id"] = json!("t");
        doc["nodes"] = Value::Array(nodes);
        check_load(&doc)?;
    }

    #[test]
    fn a_mutated_valid_set_never_panics(m in mutation(), second in mutation(), input in arb_json()) {
        let mut doc = valid_set();
        apply(&mut doc, &m);
        apply(&mut doc, &second);
        if let Some(set) = check_load(&doc)? {
            score_everything(&set, &input)?;
        }
    }

    #[test]
    fn hostile_numbers_never_panic(picks in hostile_picks(), input in arb_json()) {
        let mut doc = valid_set();
        replace_numbers(&mut doc, &picks);
        if let Some(set) = check_load(&doc)? {
            score_everything(&set, &input)?;
        }
    }

    #[test]
    fn any_text_never_panics(text in "\\PC{0,80}", cut in any::<prop::sample::Index>()) {
        let full = valid_set().to_string();
        let mut end = cut.index(full.len());
        while !full.is_char_boundary(end) {
            end -= 1;
        }
        for t in [text, full[..end].to_owned()] {
            if let Err(e) = CriteriaSet::from_json_text(&t) {
                check_diagnostics(&e.errors)?;
            }
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 128, ..Config::default() })]

    #[test]
    fn valid_set_scores_arbitrary_inputs_within_range(input in arb_json()) {
        let set = CriteriaSet::from_json(&valid_set()).unwrap();
        score_everything(&set, &input)?;
    }
}
