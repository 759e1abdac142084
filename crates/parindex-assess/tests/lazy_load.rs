//! The assessment loader reads documents where they lie in their text (issue #11 item 6):
//! keys given twice, unknown keys, bad evidence and bad bonus items are reported exactly as
//! the tree loader reported them — code, pointer, message and criterion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_assess::Assessment;
use parindex_core::{Code, CriteriaSet};

fn set() -> CriteriaSet {
    CriteriaSet::from_json(
        r#"{"format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "adjustments": {"bonus_max": "3", "penalty_max": "3"},
            "nodes": [{"code": "1", "title": "A", "children": [
                {"code": "1.1", "title": "a", "max": "2", "rule": {"kind": "yes_no"}},
                {"code": "1.2", "title": "b", "max": "1", "rule": {"kind": "manual", "step": "0.5"}}]}]}"#,
    )
    .unwrap()
}

/// Every problem of the document whose `self` stage is `stage`: (code, pointer, message,
/// criterion).
fn problems(stage: &str) -> Vec<(Code, String, String, Option<String>)> {
    let text = format!(r#"{{"format": "parindex/assessment@1", "unit": "u", "self": {stage}}}"#);
    problems_of(&text)
}

fn problems_of(text: &str) -> Vec<(Code, String, String, Option<String>)> {
    match Assessment::from_json(text, &set(), &[]) {
        Ok(_) => Vec::new(),
        Err(d) => d.errors.into_iter().map(|e| (e.code, e.path, e.message, e.criterion)).collect(),
    }
}

fn p(code: Code, path: &str, message: &str, criterion: Option<&str>) -> (Code, String, String, Option<String>) {
    (code, path.to_owned(), message.to_owned(), criterion.map(str::to_owned))
}

#[test]
fn keys_given_twice_are_reported_at_the_key_in_every_kind_of_object() {
    let got =
        problems(r#"{"entries": {"1.1": {"input": true, "note": "a", "\u0069nput": false}, "1.1": {"input": true}}}"#);
    assert_eq!(
        got,
        [
            p(
                Code::InputType,
                "/self/entries/1.1/input",
                "'input' is given more than once in this object: keep one",
                Some("1.1")
            ),
            p(
                Code::InputType,
                "/self/entries/1.1",
                "'1.1' is given more than once in this object: keep one",
                Some("1.1")
            ),
        ]
    );
    // More than 16 members: the keys given twice in sorted order, each once, escapes decoded.
    let many: Vec<String> = (0..20).map(|i| format!(r#""k{}": {i}"#, i % 18)).collect();
    let stage = format!(r#"{{"entries": {{"1.1": {{"input": true, {}, "k\u0031": 0}}}}}}"#, many.join(","));
    let got = problems(&stage);
    let paths: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
    assert_eq!(paths, ["/self/entries/1.1/k0", "/self/entries/1.1/k1"]);
    let got = problems_of(r#"{"format": "parindex/assessment@1", "unit": "u", "unit": "u"}"#);
    assert_eq!(got, [p(Code::InputType, "/unit", "'unit' is given more than once in this object: keep one", None)]);
}

#[test]
fn unknown_keys_are_skipped_and_unknown_criteria_reported() {
    let got = problems(
        r#"{"x": [0, 0, {"y": 1}], "entries": {"1.1": {"input": true, "z": {"deep": [1, 2]}}, "9.9": {"points": "1"}}}"#,
    );
    assert_eq!(
        got,
        [p(
            Code::UnknownCriterion,
            "/self/entries/9.9",
            "'9.9' is not a criterion of the criteria set 't'",
            Some("9.9")
        )]
    );
}

#[test]
fn bad_evidence_is_reported_item_by_item() {
    let got = problems(
        r#"{"entries": {"1.1": {"input": true, "evidence": [{"title": "a", "title": "b"}, {}, {"title": 1},
            {"title": "x", "ref": 2}, 5, {"title": "ok", "ref": null}]}, "1.2": {"points": "1", "evidence": {}}}}"#,
    );
    let e = |path: &str, message: &str, criterion: &str| p(Code::InputType, path, message, Some(criterion));
    assert_eq!(
        got,
        [
            e("/self/entries/1.1/evidence/0/title", "'title' is given more than once in this object: keep one", "1.1"),
            e("/self/entries/1.1/evidence/1", "the evidence item is missing its \"title\"", "1.1"),
            e("/self/entries/1.1/evidence/2/title", "\"title\" must be a string, found a number", "1.1"),
            e("/self/entries/1.1/evidence/3/ref", "\"ref\" must be a string, found a number", "1.1"),
            e(
                "/self/entries/1.1/evidence/4",
                "an evidence item ({\"title\": …}) must be an object, found a number",
                "1.1"
            ),
            e("/self/entries/1.2/evidence", "\"evidence\" must be a list, found an object", "1.2"),
        ]
    );
}

#[test]
fn evidence_and_bonus_items_are_kept_in_order() {
    let text = r#"{"format": "parindex/assessment@1", "unit": "u", "self": {
        "entries": {"1.1": {"input": true, "evidence": [{"title": "QĐ 1", "ref": "r\"1"}, {"title": "", "file": "sha256:ab"}]}},
        "bonus": [{"points": "0.5", "reason": "Mô hình"}, {"points": 1}]}}"#;
    let a = Assessment::from_json(text, &set(), &[]).unwrap();
    let stage = a.self_stage.as_ref().unwrap();
    let entry = stage.entries.values().next().unwrap();
    let titles: Vec<_> = entry.evidence.iter().map(|e| (e.title, e.ref_, e.file)).collect();
    assert_eq!(titles, [("QĐ 1", Some("r\"1"), None), ("", None, Some("sha256:ab"))]);
    let bonus: Vec<_> = stage.bonus.iter().map(|b| (b.points.to_string(), b.reason)).collect();
    assert_eq!(bonus, [("0.5".to_owned(), "Mô hình"), ("1".to_owned(), "")]);
    let got = problems(r#"{"bonus": [{"points": "-1", "reason": "a"}, {"reason": 3, "points": 1}, 7]}"#);
    assert_eq!(
        got,
        [
            p(
                Code::PointsNegative,
                "/self/bonus/0/points",
                "points -1 are below 0: a bonus item's points are never negative",
                None
            ),
            p(Code::InputType, "/self/bonus/1/reason", "\"reason\" must be a string, found a number", None),
            p(
                Code::InputType,
                "/self/bonus/2",
                "a bonus or penalty item ({\"points\", \"reason\"}) must be an object, found a number",
                None
            ),
        ]
    );
}

#[test]
fn a_syntax_error_reads_as_before() {
    for text in [r#"{"format": "parindex/assessment@1", "unit": "u""#, r#"{"a": "\q"}"#, r#"["\ud800"]"#] {
        let ours = problems_of(text);
        let theirs = parindex_core::reader::parse(text).unwrap_err();
        assert_eq!(ours.len(), 1);
        assert_eq!(ours[0].2, theirs.errors[0].message, "{text}");
        assert!(ours[0].2.starts_with("not valid JSON: "), "{text}");
    }
}
