//! Robustness: arbitrary JSON, and valid round documents with random parts replaced or
//! removed, never make `Round::from_json` (or loading and scoring a round's folder) panic, and
//! every problem reported has a message and a JSON Pointer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use parindex_rank::{FolderError, ResultsDocument, Round, RoundFolder, score_round};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

use parindex_core::Diagnostic;

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
    let (round, diags) = Round::read(doc);
    check_diagnostics(&diags.errors)?;
    match Round::from_json(doc) {
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
            prop_assert_eq!(back, results);
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
    assert!(Round::from_json(&valid_round()).is_ok());
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
        if let Err(e) = Round::from_json_text(&doc.to_string()) {
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
