//! Robustness: arbitrary JSON, and valid criteria sets with a random part replaced or removed,
//! never make the loader panic; every problem it reports has a message and a JSON Pointer; and
//! a set that loads scores any input within `[0, max]` or says why it cannot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_core::reader::Reader;
use parindex_core::rule::{read_input, read_survey};
use parindex_core::{CriteriaSet, Diagnostics, Outcome};
use parindex_json as json;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

use parindex_testkit::{apply, arb_json, check_diagnostics, hostile_picks, mutation, replace_numbers, valid_set};

// ---- criteria sets ----------------------------------------------------------------------------

/// Checks one outcome of CriteriaSet::read_document / from_document on `doc`.
fn check_load(doc: &Value) -> Result<Option<CriteriaSet>, TestCaseError> {
    let (set, diags) = CriteriaSet::read_document(&parindex_json::Value::from(doc));
    check_diagnostics(&diags.errors)?;
    let strict = CriteriaSet::from_document(&parindex_json::Value::from(doc));
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
            let input = json::Value::from(input);
            read_input(&leaf.rule, &input, input.get("choice"), "/entries/x/input", &mut r)
        };
        let survey = {
            let mut r = Reader::new(&mut diags);
            read_survey(&leaf.rule, &json::Value::from(input), "/survey/x", &mut r)
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
    let set = CriteriaSet::from_document(&parindex_json::Value::from(&valid_set())).unwrap();
    assert_eq!(set.leaves().count(), 11);
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn arbitrary_json_never_panics(doc in arb_json()) {
        check_load(&doc)?;
        let text = doc.to_string();
        if let Err(e) = CriteriaSet::from_json(&text) {
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
            if let Err(e) = CriteriaSet::from_json(&t) {
                check_diagnostics(&e.errors)?;
            }
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 128, ..Config::default() })]

    #[test]
    fn valid_set_scores_arbitrary_inputs_within_range(input in arb_json()) {
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&valid_set())).unwrap();
        score_everything(&set, &input)?;
    }
}
