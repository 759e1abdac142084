//! Validating a criteria set (SPEC §3, §4, §5, §10): every mistake is reported at once, each
//! with its code, its criterion and a JSON Pointer to the offending value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::str::FromStr;

use parindex_core::rule::{BandInput, Rule};
use parindex_core::{Code, CriteriaSet, Decimal, Diagnostic, NodeKind, NotArisingPolicy, Source};
use serde_json::{Value, json};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn doc(nodes: Value) -> Value {
    json!({ "format": "parindex/criteria-set@1", "id": "t", "title": "Bộ tiêu chí thử", "nodes": nodes })
}

fn errors(doc: &Value) -> Vec<Diagnostic> {
    match CriteriaSet::from_document(&parindex_json::Value::from(doc)) {
        Ok(_) => panic!("the set should not load"),
        Err(e) => e.errors,
    }
}

/// (code, criterion, path) triples, sorted.
fn triples(errors: &[Diagnostic]) -> Vec<(Code, Option<String>, String)> {
    let mut out: Vec<_> = errors.iter().map(|e| (e.code, e.criterion.clone(), e.path.clone())).collect();
    out.sort();
    out
}

fn leaf(code: &str, max: Value, rule: Value) -> Value {
    json!({ "code": code, "title": format!("Tiêu chí {code}"), "max": max, "rule": rule })
}

fn formula(expr: &str) -> Value {
    json!({ "kind": "formula", "variables": { "x": "Giá trị x" }, "expr": expr })
}

fn many_mistakes() -> Value {
    doc(json!([
        { "code": "1", "title": "Lĩnh vực 1", "max": "5", "children": [
            leaf("1.1", json!("1"), json!({ "kind": "yes_no" })),
            leaf("1.1", json!("2"), json!({ "kind": "yes_no" })) ] },
        { "code": "2", "title": "Lĩnh vực 2", "children": [
            leaf("3.1", json!("1"), json!({ "kind": "yes_no" })),
            leaf("2.2", json!("0"), json!({ "kind": "yes_no" })),
            leaf("2.3", json!("1"), json!({ "kind": "checkbox" })),
            leaf("2.4", json!("2"), json!({ "kind": "bands", "input": "percent", "bands": [
                { "from": "50", "points": "2" },
                { "from": "40", "to": "60", "points": "1" } ] })),
            leaf("2.5", json!("1"), json!({ "kind": "bands", "input": "number", "bands": [
                { "from": "0", "points": "1.5" } ] })),
            leaf("2.6", json!("1"), json!({ "kind": "options", "options": [
                { "key": "a", "label": "A", "points": "2" } ] })),
            leaf("2.7", json!("1"), formula("x + * 2")),
            leaf("2.8", json!("1"), formula("x + y")),
            leaf("2.9", json!("1"), formula("abs(x, 1)")),
            leaf("2.10", json!("1"), json!({ "kind": "deadline", "due": "2023-02-30" })),
            leaf("2.11", json!("0,5"), json!({ "kind": "yes_no" })) ] }
    ]))
}

#[test]
fn every_mistake_is_reported_at_once_with_code_criterion_and_pointer() {
    let errors = errors(&many_mistakes());
    let c = |s: &str| Some(s.to_owned());
    let mut expected = vec![
        (Code::DuplicateCode, c("1.1"), "/nodes/0/children/1/code".to_owned()),
        (Code::GroupMaxMismatch, c("1"), "/nodes/0/max".to_owned()),
        (Code::BadCode, c("3.1"), "/nodes/1/children/0/code".to_owned()),
        (Code::MaxNotPositive, c("2.2"), "/nodes/1/children/1/max".to_owned()),
        (Code::UnknownRuleKind, c("2.3"), "/nodes/1/children/2/rule/kind".to_owned()),
        (Code::BandOverlap, c("2.4"), "/nodes/1/children/3/rule/bands/1".to_owned()),
        (Code::BandPointsOverMax, c("2.5"), "/nodes/1/children/4/rule/bands/0/points".to_owned()),
        (Code::OptionPointsOverMax, c("2.6"), "/nodes/1/children/5/rule/options/0/points".to_owned()),
        (Code::FormulaSyntax, c("2.7"), "/nodes/1/children/6/rule/expr".to_owned()),
        (Code::FormulaUnknownName, c("2.8"), "/nodes/1/children/7/rule/expr".to_owned()),
        (Code::FormulaArity, c("2.9"), "/nodes/1/children/8/rule/expr".to_owned()),
        (Code::BadDate, c("2.10"), "/nodes/1/children/9/rule/due".to_owned()),
        (Code::BadDecimal, c("2.11"), "/nodes/1/children/10/max".to_owned()),
    ];
    expected.sort();
    assert_eq!(triples(&errors), expected, "{errors:#?}");
    for e in &errors {
        assert!(!e.message.is_empty());
        assert!(!e.code.is_finding(), "{:?} is an error, not a finding", e.code);
    }
}

#[test]
fn messages_say_where_and_how_to_fix() {
    let errors = errors(&many_mistakes());
    let message = |code: Code| errors.iter().find(|e| e.code == code).map(|e| e.message.clone()).unwrap();
    // "x + * 2": the '*' is the 5th character.
    let syntax = message(Code::FormulaSyntax);
    assert!(syntax.contains("character 5"), "{syntax}");
    assert!(message(Code::FormulaUnknownName).contains("'y'"));
    assert!(message(Code::FormulaArity).contains("abs"));
    let comma = message(Code::BadDecimal);
    assert!(comma.contains("0,5") && comma.contains("0.5"), "{comma}");
    assert!(message(Code::GroupMaxMismatch).contains('3'), "the children add up to 3");
    assert!(message(Code::BadDate).contains("2023-02-30"));
}

#[test]
fn formula_syntax_reports_the_character_position() {
    for (expr, position) in [("x + 1 + 2 ) ", 11), ("x + tiến", 7), ("(x + 1", 7), ("x < 1 < 2", 7)] {
        let set = doc(json!([leaf(
            "1",
            json!("1"),
            json!({ "kind": "formula", "variables": { "x": "Tổng số" }, "expr": expr })
        )]));
        let errors = errors(&set);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].code, errors[0].path.as_str()), (Code::FormulaSyntax, "/nodes/0/rule/expr"));
        assert!(errors[0].message.contains(&format!("character {position}")), "{expr}: {}", errors[0].message);
    }
}

#[test]
fn decimals_are_strict() {
    for bad in ["0,5", ".5", "5.", " 1", "1e2", "+1", "một"] {
        let errors = errors(&doc(json!([leaf("1", json!(bad), json!({ "kind": "yes_no" }))])));
        assert_eq!(triples(&errors), vec![(Code::BadDecimal, Some("1".into()), "/nodes/0/max".into())], "{bad}");
    }
    // A JSON number is read from its exact text.
    let set = CriteriaSet::from_document(&parindex_json::Value::from(&doc(json!([leaf(
        "1",
        serde_json::from_str("0.1000000000000000000000000001").unwrap(),
        json!({ "kind": "yes_no" })
    )]))))
    .unwrap();
    assert_eq!(set.max(), d("0.1000000000000000000000000001"));
}

#[test]
fn band_overlap_at_a_shared_inclusive_bound() {
    let bands = |to_inclusive: bool| {
        doc(json!([leaf(
            "1",
            json!("2"),
            json!({ "kind": "bands", "input": "percent", "bands": [
            { "from": "0", "to": "50", "to_inclusive": to_inclusive, "points": "1" },
            { "from": "50", "points": "2" } ] })
        )]))
    };
    assert!(
        CriteriaSet::from_document(&parindex_json::Value::from(&bands(false))).is_ok(),
        "[0, 50) and [50, ∞) do not overlap"
    );
    let errors = errors(&bands(true));
    assert_eq!(triples(&errors), vec![(Code::BandOverlap, Some("1".into()), "/nodes/0/rule/bands/1".into())]);
}

#[test]
fn otherwise_and_late_points_may_not_exceed_max() {
    let errors = errors(&doc(json!([
        leaf(
            "1",
            json!("1"),
            json!({ "kind": "bands", "input": "percent", "bands": [ { "from": "50", "points": "1" } ], "otherwise": "2" })
        ),
        leaf(
            "2",
            json!("1"),
            json!({ "kind": "options", "options": [ { "key": "a", "label": "A", "points": "-1" } ] })
        ),
    ])));
    assert_eq!(
        triples(&errors),
        vec![
            (Code::BandPointsOverMax, Some("1".into()), "/nodes/0/rule/otherwise".into()),
            (Code::PointsNegative, Some("2".into()), "/nodes/1/rule/options/0/points".into()),
        ]
    );
}

#[test]
fn codes_must_extend_their_parents() {
    let errors = errors(&doc(json!([
        { "code": "1", "title": "A", "children": [
            leaf("1.1", json!("1"), json!({ "kind": "yes_no" })),
            leaf("1.1.1", json!("1"), json!({ "kind": "yes_no" })),
            leaf("11", json!("1"), json!({ "kind": "yes_no" })) ] },
        leaf("2.1", json!("1"), json!({ "kind": "yes_no" })),
        { "title": "no code", "max": "1", "rule": { "kind": "yes_no" } }
    ])));
    let codes: Vec<_> = triples(&errors).into_iter().map(|(c, crit, p)| (c, crit.unwrap_or_default(), p)).collect();
    assert_eq!(
        codes,
        vec![
            (Code::BadCode, String::new(), "/nodes/2/code".into()),
            (Code::BadCode, "1.1.1".into(), "/nodes/0/children/1/code".into()),
            (Code::BadCode, "11".into(), "/nodes/0/children/2/code".into()),
            (Code::BadCode, "2.1".into(), "/nodes/1/code".into()),
        ]
    );
}

#[test]
fn unknown_and_missing_rule_kinds() {
    let errors = errors(&doc(json!([
        leaf("1", json!("1"), json!({ "kind": "Yes_No" })),
        leaf("2", json!("1"), json!({})),
        leaf("3", json!("1"), json!({ "kind": 3 })),
    ])));
    assert_eq!(
        triples(&errors),
        vec![
            (Code::UnknownRuleKind, Some("1".into()), "/nodes/0/rule/kind".into()),
            (Code::UnknownRuleKind, Some("2".into()), "/nodes/1/rule".into()),
            (Code::UnknownRuleKind, Some("3".into()), "/nodes/2/rule/kind".into()),
        ]
    );
}

#[test]
fn a_leaf_needs_a_positive_max() {
    let errors = errors(&doc(json!([
        leaf("1", json!("-1"), json!({ "kind": "yes_no" })),
        { "code": "2", "title": "no max", "rule": { "kind": "yes_no" } },
    ])));
    assert_eq!(
        triples(&errors),
        vec![
            (Code::MaxNotPositive, Some("1".into()), "/nodes/0/max".into()),
            (Code::MaxNotPositive, Some("2".into()), "/nodes/1".into()),
        ]
    );
}

#[test]
fn maxima_too_large_to_add_are_an_error_not_a_panic() {
    let big = "79228162514264337593543950335";
    let nested = doc(json!([{ "code": "1", "title": "A", "children": [
        leaf("1.1", json!(big), json!({ "kind": "yes_no" })),
        leaf("1.2", json!(big), json!({ "kind": "yes_no" })) ] }]));
    assert_eq!(triples(&errors(&nested)), vec![(Code::InputType, Some("1".into()), "/nodes/0/children".into())]);
    let fields = doc(json!([
        leaf("1", json!(big), json!({ "kind": "yes_no" })),
        leaf("2", json!(big), json!({ "kind": "yes_no" }))
    ]));
    assert_eq!(triples(&errors(&fields)), vec![(Code::InputType, None, "/nodes".into())]);
}

#[test]
fn format_and_shape_problems_point_at_the_document() {
    let no_format = json!({ "id": "t", "title": "T", "nodes": [leaf("1", json!("1"), json!({ "kind": "yes_no" }))] });
    assert_eq!(triples(&errors(&no_format)), vec![(Code::InputType, None, String::new())]);
    let wrong = json!({ "format": "parindex/criteria-set@3", "id": "t", "title": "T", "nodes": [] });
    let e = errors(&wrong);
    assert!(e.iter().any(|e| e.code == Code::InputType && e.path == "/format"), "{e:?}");
    assert!(e.iter().any(|e| e.code == Code::InputType && e.path == "/nodes"), "{e:?}");
    assert_eq!(triples(&errors(&json!([1, 2]))), vec![(Code::InputType, None, String::new())]);
}

fn spec_example() -> Value {
    json!({
        "format": "parindex/criteria-set@1",
        "id": "so-2023",
        "title": "Bộ chỉ số CCHC cấp sở năm 2023",
        "year": 2023,
        "basis": "QĐ số .../QĐ-UBND",
        "adjustments": { "bonus_max": "2", "penalty_max": "3" },
        "nodes": [
            { "code": "1", "title": "Công tác chỉ đạo, điều hành CCHC", "children": [
                { "code": "1.1", "title": "Ban hành kế hoạch CCHC năm", "max": "1",
                  "rule": { "kind": "deadline", "due": "2023-01-15", "late_points": "0.5", "grace_days": 15 } },
                { "code": "1.2", "title": "Mức độ hoàn thành kế hoạch", "max": "2",
                  "rule": { "kind": "bands", "input": "ratio", "bands": [
                      { "from": "100", "points": "2" },
                      { "from": "80", "to": "100", "points": "1" } ], "otherwise": "0" } }
            ] },
            { "code": "2", "title": "Khảo sát", "max": "3", "applies_to": ["has-procedures"], "children": [
                { "code": "2.1", "title": "Mức độ hài lòng", "max": "3",
                  "rule": { "kind": "survey", "weights": { "A": "1", "B": "0.5" } } },
            ] },
            { "code": "3", "title": "Khác", "children": [
                { "code": "3.1", "title": "Không phát sinh", "max": "0.5", "not_arising": "exclude", "evidence": false,
                  "rule": { "kind": "yes_no" } },
            ] }
        ]
    })
}

#[test]
fn a_valid_set_loads_with_its_tree_maxima_and_rules() {
    let set = CriteriaSet::from_document(&parindex_json::Value::from(&spec_example())).unwrap();
    assert_eq!(set.id, "so-2023");
    assert_eq!(set.title, "Bộ chỉ số CCHC cấp sở năm 2023");
    assert_eq!(set.year, Some(2023));
    let adj = set.adjustments.unwrap();
    assert_eq!((adj.bonus_max, adj.penalty_max), (d("2"), d("3")));
    let codes: Vec<&str> = set.nodes().iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["1", "1.1", "1.2", "2", "2.1", "3", "3.1"]);
    assert_eq!(set.roots().len(), 3);
    assert_eq!(set.max(), d("6.5"));
    let node = |c: &str| set.node(set.find(c).unwrap()).unwrap();
    assert_eq!(node("1").max, d("3"));
    assert_eq!(node("1").depth, 0);
    assert_eq!(node("1.2").depth, 1);
    assert_eq!(node("1.2").parent, set.find("1"));
    assert!(matches!(&node("1").kind, NodeKind::Group { children } if children.len() == 2));
    let l11 = node("1.1").leaf().unwrap();
    assert!(matches!(l11.rule, Rule::Deadline { grace_days: 15, .. }));
    assert_eq!((l11.source, l11.not_arising, l11.evidence), (Source::Assessed, NotArisingPolicy::Forbidden, true));
    assert!(
        matches!(&node("1.2").leaf().unwrap().rule, Rule::Bands { input: BandInput::Ratio, bands, .. } if bands.len() == 2)
    );
    let l21 = node("2.1").leaf().unwrap();
    assert_eq!((l21.source, l21.evidence), (Source::Survey, false));
    let l31 = node("3.1").leaf().unwrap();
    assert_eq!((l31.not_arising, l31.evidence), (NotArisingPolicy::Exclude, false));
    let tagged = vec!["has-procedures".to_owned()];
    assert!(set.applies(set.find("2.1").unwrap(), &tagged));
    assert!(!set.applies(set.find("2.1").unwrap(), &[]), "a group's applies_to holds for its leaves");
    assert!(set.applies(set.find("1.1").unwrap(), &[]));
    // The same document as text loads to the same set.
    let text = serde_json::to_string(&spec_example()).unwrap();
    assert_eq!(CriteriaSet::from_json(&text).unwrap(), set);
}

#[test]
fn a_group_max_equal_to_its_childrens_sum_is_fine() {
    let set = CriteriaSet::from_document(&parindex_json::Value::from(&doc(json!([
        { "code": "1", "title": "A", "max": "3.50", "children": [
            leaf("1.1", json!("1.5"), json!({ "kind": "yes_no" })),
            leaf("1.2", json!(2), json!({ "kind": "yes_no" })) ] }
    ]))))
    .unwrap();
    assert_eq!(set.max(), d("3.5"));
}

#[test]
fn a_weight_choice_or_variable_given_twice_is_reported_at_its_key() {
    // Only text can hold a key twice (a serde_json::Value keeps the last), so the set is
    // written by hand.
    let text = r#"{"format": "parindex/criteria-set@1", "id": "t", "title": "Bộ tiêu chí thử", "nodes": [
        {"code": "1", "title": "Lĩnh vực", "children": [
            {"code": "1.1", "title": "Khảo sát", "max": "2", "rule": {"kind": "survey",
                "weights": {"A": "1", "B": "0.5", "A": "0"}}},
            {"code": "1.2", "title": "Công thức", "max": "2", "rule": {"kind": "formula",
                "variables": {"x": "Giá trị x", "x": "lần nữa"},
                "choices": {"a": "x", "b": "0", "a": "1"}}}
        ]}
    ]}"#;
    let errors = match CriteriaSet::from_json(text) {
        Ok(_) => panic!("the set should not load"),
        Err(e) => e.errors,
    };
    assert_eq!(
        triples(&errors),
        vec![
            (Code::InputType, Some("1.1".to_owned()), "/nodes/0/children/0/rule/weights/A".to_owned()),
            (Code::InputType, Some("1.2".to_owned()), "/nodes/0/children/1/rule/choices/a".to_owned()),
            (Code::InputType, Some("1.2".to_owned()), "/nodes/0/children/1/rule/variables/x".to_owned()),
        ]
    );
    assert!(errors.iter().all(|e| e.message.contains("more than once")), "{errors:#?}");
}
