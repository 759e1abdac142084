//! Unit tests for every rule kind of SPEC §4 (and the formula rule of §5), through the public
//! API: a one-leaf criteria set is loaded with `CriteriaSet::from_json`, an entry's input is
//! read with `rule::read_input` (or `rule::read_survey`), and scored with `Rule::score`.
//! Points are compared as exact decimals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::str::FromStr;

use parindex_core::reader::Reader;
use parindex_core::rule::{Rule, read_input, read_survey};
use parindex_core::{Code, CriteriaSet, Decimal, Diagnostics, Input, Outcome, SurveyAnswer};
use parindex_json as json;
use serde_json::{Value, json};

const INPUT_PATH: &str = "/self/entries/1/input";

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A criteria set with one leaf "1" worth `max` under `rule`, plus `extra` leaf fields.
struct One {
    set: CriteriaSet,
}

impl One {
    fn new(max: &str, rule: Value) -> One {
        One::with(max, rule, json!({}))
    }

    fn with(max: &str, rule: Value, extra: Value) -> One {
        let mut leaf = json!({ "code": "1", "title": "Tiêu chí một", "max": max, "rule": rule });
        for (k, v) in extra.as_object().unwrap() {
            leaf[k] = v.clone();
        }
        let doc = json!({
            "format": "parindex/criteria-set@1", "id": "t", "title": "T", "nodes": [leaf]
        });
        match CriteriaSet::from_document(&parindex_json::Value::from(&doc)) {
            Ok(set) => One { set },
            Err(e) => panic!("the test criteria set does not load: {e:?}"),
        }
    }

    fn rule(&self) -> &Rule {
        let (_, _, leaf) = self.set.leaves().next().unwrap();
        &leaf.rule
    }

    fn max(&self) -> Decimal {
        let (_, node, _) = self.set.leaves().next().unwrap();
        node.max
    }

    /// Reads an entry's input; the problems as (code, path) on failure.
    fn read_choice(&self, input: Value, choice: Option<Value>) -> Result<Input, Vec<(Code, String)>> {
        let mut diags = Diagnostics::new();
        let read = {
            let mut r = Reader::new(&mut diags);
            let choice = choice.as_ref().map(json::Value::from);
            read_input(self.rule(), &json::Value::from(&input), choice.as_ref(), INPUT_PATH, &mut r)
        };
        match read {
            Some(i) if diags.is_empty() => Ok(i),
            _ => {
                assert!(!diags.is_empty(), "an unusable input must say why");
                Err(diags.errors.iter().map(|e| (e.code, e.path.clone())).collect())
            }
        }
    }

    fn read(&self, input: Value) -> Result<Input, Vec<(Code, String)>> {
        self.read_choice(input, None)
    }

    /// The code of the (single) problem reading `input`.
    fn read_error(&self, input: Value) -> Code {
        let errors = self.read(input.clone()).expect_err(&format!("{input} should not read"));
        assert_eq!(errors.len(), 1, "{input}: {errors:?}");
        errors[0].0
    }

    /// Reads and scores `input`; panics on a reading problem.
    fn outcome_choice(&self, input: Value, choice: Option<Value>) -> Result<Outcome, Code> {
        let typed = self.read_choice(input.clone(), choice).unwrap_or_else(|e| panic!("{input} does not read: {e:?}"));
        self.rule().score(self.max(), &typed).map_err(|e| e.code)
    }

    fn outcome(&self, input: Value) -> Result<Outcome, Code> {
        self.outcome_choice(input, None)
    }

    /// The points `input` earns.
    fn points(&self, input: Value) -> Decimal {
        match self.outcome(input.clone()) {
            Ok(Outcome::Points(p)) => p,
            other => panic!("{input}: expected points, got {other:?}"),
        }
    }

    fn check(&self, points: &str) -> Result<(), Code> {
        self.rule().check_points(self.max(), d(points)).map_err(|e| e.code)
    }

    fn survey(&self, entry: Value) -> Result<SurveyAnswer, Vec<Code>> {
        let mut diags = Diagnostics::new();
        let read = {
            let mut r = Reader::new(&mut diags);
            read_survey(self.rule(), &json::Value::from(&entry), "/survey/1", &mut r)
        };
        match read {
            Some(a) if diags.is_empty() => Ok(a),
            _ => Err(diags.errors.iter().map(|e| e.code).collect()),
        }
    }

    fn survey_outcome(&self, entry: Value) -> Result<Outcome, Code> {
        let answer = self.survey(entry.clone()).unwrap_or_else(|e| panic!("{entry} does not read: {e:?}"));
        self.rule().score(self.max(), &Input::Survey(answer)).map_err(|e| e.code)
    }
}

fn pts(p: &str) -> Result<Outcome, Code> {
    Ok(Outcome::Points(d(p)))
}

// ---------------------------------------------------------------------------------------------
// manual

#[test]
fn manual_takes_points_not_input_and_checks_its_step() {
    let one = One::new("1", json!({ "kind": "manual", "step": "0.25" }));
    assert_eq!(one.rule(), &Rule::Manual { step: Some(d("0.25")) });
    assert_eq!(one.read_error(json!(1)), Code::InputType);
    for ok in ["0", "0.25", "0.5", "0.75", "1", "1.00", "0.250"] {
        assert_eq!(one.check(ok), Ok(()), "{ok}");
    }
    for bad in ["0.3", "0.1", "0.99", "0.2500001"] {
        assert_eq!(one.check(bad), Err(Code::StepMismatch), "{bad}");
    }
    assert_eq!(one.check("1.25"), Err(Code::PointsOverMax));
    assert_eq!(one.check("-0.25"), Err(Code::PointsNegative));
    assert_eq!(one.rule().attainable_points(one.max()), None);
}

#[test]
fn manual_without_step_accepts_any_points_in_range() {
    let one = One::new("2", json!({ "kind": "manual" }));
    for ok in ["0", "0.001", "1.337", "2"] {
        assert_eq!(one.check(ok), Ok(()), "{ok}");
    }
    assert_eq!(one.check("2.0001"), Err(Code::PointsOverMax));
    assert_eq!(one.check("-0.0001"), Err(Code::PointsNegative));
}

// ---------------------------------------------------------------------------------------------
// yes_no

#[test]
fn yes_no_gives_max_or_zero() {
    let one = One::new("1.5", json!({ "kind": "yes_no" }));
    assert_eq!(one.points(json!(true)), d("1.5"));
    assert_eq!(one.points(json!(false)), d("0"));
    for bad in [json!("yes"), json!(1), json!(null), json!({})] {
        assert_eq!(one.read_error(bad), Code::InputType);
    }
    assert_eq!(one.check("1.5"), Ok(()));
    assert_eq!(one.check("1.50"), Ok(()));
    assert_eq!(one.check("0"), Ok(()));
    assert_eq!(one.check("0.75"), Err(Code::PointsNotAttainable));
    assert_eq!(one.check("2"), Err(Code::PointsOverMax));
    assert_eq!(one.check("-1"), Err(Code::PointsNegative));
    assert_eq!(one.rule().attainable_points(one.max()), Some(vec![d("1.5"), d("0")]));
}

// ---------------------------------------------------------------------------------------------
// options

#[test]
fn options_score_the_chosen_key() {
    let one = One::new(
        "1",
        json!({ "kind": "options", "options": [
            { "key": "good", "label": "Tốt", "points": "1" },
            { "key": "fair", "label": "Khá", "points": "0.5" },
            { "key": "poor", "label": "Kém", "points": 0 } ] }),
    );
    assert_eq!(one.points(json!("good")), d("1"));
    assert_eq!(one.points(json!("fair")), d("0.5"));
    assert_eq!(one.points(json!("poor")), d("0"));
    let errors = one.read(json!("excellent")).unwrap_err();
    assert_eq!(errors, vec![(Code::UnknownOption, INPUT_PATH.to_owned())]);
    assert_eq!(one.read_error(json!("Good")), Code::UnknownOption, "keys are case-sensitive");
    assert_eq!(one.read_error(json!(1)), Code::InputType);
    // Scoring an unknown key directly is an error too, never a panic.
    assert_eq!(one.rule().score(one.max(), &Input::Choice("zzz".into())).map_err(|e| e.code), Err(Code::UnknownOption));
    assert_eq!(one.check("0.5"), Ok(()));
    assert_eq!(one.check("0.25"), Err(Code::PointsNotAttainable));
    assert_eq!(one.check("1.5"), Err(Code::PointsOverMax));
    assert_eq!(one.check("-0.5"), Err(Code::PointsNegative));
    assert_eq!(one.rule().attainable_points(one.max()), Some(vec![d("1"), d("0.5"), d("0")]));
}

// ---------------------------------------------------------------------------------------------
// bands

/// Percent bands exercising every kind of end: [90, ∞) → 3, [80, 90) → 2, (50, 80) → 1,
/// (−∞, 50) → 0.5; 50 itself is in no band and scores `otherwise` 0.25.
fn percent_bands() -> One {
    One::new(
        "3",
        json!({ "kind": "bands", "input": "percent", "bands": [
            { "from": "90", "points": "3" },
            { "from": "80", "to": "90", "points": "2" },
            { "from": "50", "from_inclusive": false, "to": "80", "points": "1" },
            { "to": "50", "points": "0.5" } ], "otherwise": "0.25" }),
    )
}

#[test]
fn percent_bands_at_their_exact_bounds() {
    let one = percent_bands();
    for (input, expected) in [
        (json!(100), "3"),
        (json!("90"), "3"),
        (json!("90.000"), "3"),
        (json!("89.9999999999"), "2"),
        (json!(80), "2"),
        (json!("79.99"), "1"),
        (json!("50.0001"), "1"),
        (json!(50), "0.25"),
        (json!("49.99"), "0.5"),
        (json!(0), "0.5"),
    ] {
        assert_eq!(one.points(input.clone()), d(expected), "{input}");
    }
}

#[test]
fn percent_input_must_be_a_percent() {
    let one = percent_bands();
    assert_eq!(one.read_error(json!("100.01")), Code::InputType);
    assert_eq!(one.read_error(json!(-1)), Code::InputType);
    assert_eq!(one.read_error(json!(true)), Code::InputType);
    assert_eq!(one.read_error(json!("0,5")), Code::BadDecimal);
    assert_eq!(one.read_error(json!("1e2")), Code::BadDecimal);
    assert_eq!(one.read_error(json!({ "numerator": 1, "denominator": 2 })), Code::InputType);
}

#[test]
fn bands_points_must_be_attainable() {
    let one = percent_bands();
    assert_eq!(one.rule().attainable_points(one.max()), Some(vec![d("3"), d("2"), d("1"), d("0.5"), d("0.25")]));
    for ok in ["3", "2", "1", "0.5", "0.25", "2.00"] {
        assert_eq!(one.check(ok), Ok(()), "{ok}");
    }
    assert_eq!(one.check("0"), Err(Code::PointsNotAttainable), "0 is not a band's points nor otherwise");
    assert_eq!(one.check("1.5"), Err(Code::PointsNotAttainable));
    assert_eq!(one.check("3.5"), Err(Code::PointsOverMax));
    assert_eq!(one.check("-1"), Err(Code::PointsNegative));
}

#[test]
fn a_value_no_band_covers_scores_otherwise_which_defaults_to_zero() {
    let one = One::new(
        "2",
        json!({ "kind": "bands", "input": "percent", "bands": [
            { "from": "80", "to": "100", "to_inclusive": true, "points": "2" } ] }),
    );
    assert_eq!(one.points(json!(100)), d("2"));
    assert_eq!(one.points(json!(80)), d("2"));
    assert_eq!(one.points(json!("79.999")), d("0"));
}

#[test]
fn number_bands_take_any_decimal_with_open_ends() {
    let one = One::new(
        "2",
        json!({ "kind": "bands", "input": "number", "bands": [
            { "to": "-5", "to_inclusive": true, "points": "0" },
            { "from": "-5", "from_inclusive": false, "to": "5", "points": "1" },
            { "from": "5", "points": "2" } ] }),
    );
    for (input, expected) in [
        (json!("-1000000"), "0"),
        (json!(-5), "0"),
        (json!("-4.999"), "1"),
        (json!(0), "1"),
        (json!("4.99999"), "1"),
        (json!(5), "2"),
        (json!("123456789.5"), "2"),
    ] {
        assert_eq!(one.points(input.clone()), d(expected), "{input}");
    }
    assert_eq!(one.read_error(json!("abc")), Code::BadDecimal);
    assert_eq!(one.read_error(json!(null)), Code::InputType);
}

#[test]
fn count_bands_take_whole_numbers_written_like_decimals() {
    let one = One::new(
        "2",
        json!({ "kind": "bands", "input": "count", "bands": [
            { "from": "0", "to": "1", "points": "2" },
            { "from": "1", "to": "3", "points": "1" },
            { "from": "3", "points": "0" } ] }),
    );
    assert_eq!(one.points(json!(0)), d("2"));
    assert_eq!(one.points(json!(1)), d("1"));
    assert_eq!(one.points(json!("2")), d("1"));
    assert_eq!(one.points(json!("2.0")), d("1"));
    assert_eq!(one.points(json!(3)), d("0"));
    assert_eq!(one.points(json!(1000)), d("0"));
    assert_eq!(one.read_error(json!("1.5")), Code::InputType);
    assert_eq!(one.read_error(json!(-1)), Code::InputType);
    assert_eq!(one.read_error(json!([1])), Code::InputType);
}

fn ratio(n: Value, den: Value) -> Value {
    json!({ "numerator": n, "denominator": den })
}

#[test]
fn ratio_bands_compare_exactly_at_the_bound() {
    let one = One::new(
        "2",
        json!({ "kind": "bands", "input": "ratio", "bands": [
            { "from": "80", "to": "100", "to_inclusive": true, "points": "2" },
            { "from": "66.67", "to": "80", "points": "1" } ] }),
    );
    // 4/5 is exactly 80: the inclusive lower bound holds it.
    assert_eq!(one.points(ratio(json!(4), json!(5))), d("2"));
    assert_eq!(one.points(ratio(json!(16), json!(20))), d("2"));
    assert_eq!(one.points(ratio(json!(1), json!(1))), d("2"));
    // 79/100 is below 80 but above 66.67.
    assert_eq!(one.points(ratio(json!(79), json!(100))), d("1"));
    // 2/3 is 66.666…, below 66.67: no band.
    assert_eq!(one.points(ratio(json!(2), json!(3))), d("0"));
    assert_eq!(one.points(ratio(json!(0), json!(7))), d("0"));
}

#[test]
fn ratio_is_never_compared_through_a_rounded_quotient() {
    // 2/3 × 100 rounded to 28 significant digits is 66.66666666666666666666666667, which is
    // at this bound; the exact ratio is below it.
    let above = One::new(
        "1",
        json!({ "kind": "bands", "input": "ratio", "bands": [
            { "from": "66.66666666666666666666666667", "points": "1" } ] }),
    );
    assert_eq!(above.points(ratio(json!(2), json!(3))), d("0"));
    // Just below the exact value: 2/3 is in.
    let below = One::new(
        "1",
        json!({ "kind": "bands", "input": "ratio", "bands": [
            { "from": "66.66666666666666666666666666", "points": "1" } ] }),
    );
    assert_eq!(below.points(ratio(json!(2), json!(3))), d("1"));
    // An exclusive upper bound at exactly the ratio leaves it out.
    let upper = One::new(
        "1",
        json!({ "kind": "bands", "input": "ratio", "bands": [
            { "to": "80", "points": "1" } ], "otherwise": "0.5" }),
    );
    assert_eq!(upper.points(ratio(json!(4), json!(5))), d("0.5"));
    assert_eq!(upper.points(ratio(json!("3.99999"), json!(5))), d("1"));
}

#[test]
fn ratio_with_zero_denominator_means_nothing_arose() {
    let one = One::with(
        "2",
        json!({ "kind": "bands", "input": "ratio", "bands": [ { "from": "80", "points": "2" } ] }),
        json!({ "not_arising": "full" }),
    );
    assert_eq!(one.outcome(ratio(json!(0), json!(0))), Ok(Outcome::NotArising));
    assert_eq!(one.outcome(ratio(json!("0.0"), json!("0"))), Ok(Outcome::NotArising));
}

#[test]
fn ratio_inputs_are_checked() {
    let one = One::new("2", json!({ "kind": "bands", "input": "ratio", "bands": [ { "from": "80", "points": "2" } ] }));
    assert_eq!(one.read(ratio(json!(21), json!(20))).unwrap_err(), vec![(Code::RatioOverOne, INPUT_PATH.to_owned())]);
    assert_eq!(one.read_error(ratio(json!(1), json!(0))), Code::RatioOverOne);
    assert_eq!(
        one.read(ratio(json!(-1), json!(20))).unwrap_err(),
        vec![(Code::InputType, format!("{INPUT_PATH}/numerator"))]
    );
    assert_eq!(one.read_error(ratio(json!(1), json!(-2))), Code::InputType);
    assert_eq!(one.read_error(json!({ "numerator": 1 })), Code::InputType);
    assert_eq!(one.read_error(json!(80)), Code::InputType);
    assert_eq!(one.read_error(ratio(json!("1,5"), json!(2))), Code::BadDecimal);
}

// ---------------------------------------------------------------------------------------------
// proportional

#[test]
fn proportional_percent_is_max_times_percent_over_100() {
    let one = One::new("2", json!({ "kind": "proportional", "input": "percent" }));
    assert_eq!(one.points(json!("37.5")), d("0.75"));
    assert_eq!(one.points(json!(100)), d("2"));
    assert_eq!(one.points(json!(0)), d("0"));
    assert_eq!(one.points(json!("33.333")), d("0.66666"));
    assert_eq!(one.read_error(json!(101)), Code::InputType);
    assert_eq!(one.rule().attainable_points(one.max()), None);
    assert_eq!(one.check("1.23456"), Ok(()));
    assert_eq!(one.check("2.1"), Err(Code::PointsOverMax));
}

#[test]
fn proportional_ratio_divides_last() {
    let one = One::new("1.5", json!({ "kind": "proportional", "input": "ratio" }));
    // 1.5 × 1 ÷ 12 = 0.125 exactly (1.5 × (1 ÷ 12) would not be).
    let p = one.points(ratio(json!(1), json!(12)));
    assert_eq!(p, d("0.125"));
    assert_eq!(p.normalize().to_string(), "0.125");
    assert_eq!(one.points(ratio(json!(12), json!(12))), d("1.5"));
    assert_eq!(one.outcome(ratio(json!(0), json!(0))), Ok(Outcome::NotArising));
    let three = One::new("3", json!({ "kind": "proportional", "input": "ratio" }));
    // 3 × 1 ÷ 3 is 1, not 0.9999999999999999999999999999.
    assert_eq!(three.points(ratio(json!(1), json!(3))), d("1"));
    assert_eq!(three.points(ratio(json!(2), json!(3))), d("2"));
}

#[test]
fn proportional_thresholds() {
    let one =
        One::new("2", json!({ "kind": "proportional", "input": "percent", "zero_below": "50", "full_from": "95" }));
    assert_eq!(one.points(json!("49.99")), d("0"));
    assert_eq!(one.points(json!(50)), d("1"));
    assert_eq!(one.points(json!("94.99")), d("1.8998"));
    assert_eq!(one.points(json!(95)), d("2"));
    assert_eq!(one.points(json!(100)), d("2"));

    let r =
        One::new("3", json!({ "kind": "proportional", "input": "ratio", "zero_below": "33.34", "full_from": "95" }));
    // 1/3 = 33.333… is below 33.34.
    assert_eq!(r.points(ratio(json!(1), json!(3))), d("0"));
    assert_eq!(r.points(ratio(json!(2), json!(3))), d("2"));
    // 19/20 is exactly 95: full.
    assert_eq!(r.points(ratio(json!(19), json!(20))), d("3"));
    let r2 = One::new("3", json!({ "kind": "proportional", "input": "ratio", "zero_below": "33.33" }));
    assert_eq!(r2.points(ratio(json!(1), json!(3))), d("1"));
}

#[test]
fn proportional_is_clamped_to_zero_and_max() {
    // A percent outside 0–100 never reads, but scoring clamps any value it is given.
    let one = One::new("2", json!({ "kind": "proportional", "input": "percent" }));
    assert_eq!(one.rule().score(one.max(), &Input::Value(d("150"))).unwrap(), Outcome::Points(d("2")));
    assert_eq!(one.rule().score(one.max(), &Input::Value(d("-10"))).unwrap(), Outcome::Points(d("0")));
    // An input of the wrong shape is an error, not a panic.
    assert_eq!(one.rule().score(one.max(), &Input::YesNo(true)).map_err(|e| e.code), Err(Code::InputType));
}

// ---------------------------------------------------------------------------------------------
// deduction

#[test]
fn deduction_is_floored_at_zero() {
    let one = One::new("2", json!({ "kind": "deduction", "per": "0.5" }));
    assert_eq!(one.points(json!(0)), d("2"));
    assert_eq!(one.points(json!(1)), d("1.5"));
    assert_eq!(one.points(json!("3")), d("0.5"));
    assert_eq!(one.points(json!(4)), d("0"));
    assert_eq!(one.points(json!(5)), d("0"));
    assert_eq!(one.points(json!(1000)), d("0"));
    // A count so large that per × count does not fit a decimal still floors at 0.
    let big = One::new("2", json!({ "kind": "deduction", "per": "2" }));
    assert_eq!(big.points(json!("50000000000000000000000000000")), d("0"));
    assert_eq!(one.read_error(json!("1.5")), Code::InputType);
    assert_eq!(one.read_error(json!(-1)), Code::InputType);
    assert_eq!(one.read_error(json!(true)), Code::InputType);
    assert_eq!(one.rule().attainable_points(one.max()), None);
}

// ---------------------------------------------------------------------------------------------
// deadline

#[test]
fn deadline_on_time_within_grace_late_and_not_done() {
    let one = One::new("1", json!({ "kind": "deadline", "due": "2023-01-15", "late_points": "0.5", "grace_days": 15 }));
    for (input, expected) in [
        (json!("2022-12-31"), "1"),
        (json!("2023-01-10"), "1"),
        (json!("2023-01-15"), "1"),
        (json!("2023-01-16"), "0.5"),
        (json!("2023-01-30"), "0.5"),
        (json!("2023-01-31"), "0"),
        (json!("2024-01-15"), "0"),
        (json!(null), "0"),
    ] {
        assert_eq!(one.points(input.clone()), d(expected), "{input}");
    }
    assert_eq!(one.read_error(json!("2023-02-30")), Code::InputType);
    assert_eq!(one.read_error(json!("15/01/2023")), Code::InputType);
    assert_eq!(one.read_error(json!("2023-1-15")), Code::InputType);
    assert_eq!(one.read_error(json!(20230115)), Code::InputType);
    assert_eq!(one.check("0.5"), Ok(()));
    assert_eq!(one.check("1"), Ok(()));
    assert_eq!(one.check("0"), Ok(()));
    assert_eq!(one.check("0.75"), Err(Code::PointsNotAttainable));
    assert_eq!(one.check("1.5"), Err(Code::PointsOverMax));
    assert_eq!(one.rule().attainable_points(one.max()), Some(vec![d("1"), d("0.5"), d("0")]));
}

#[test]
fn deadline_defaults_no_grace_and_no_late_points() {
    let one = One::new("2", json!({ "kind": "deadline", "due": "2023-12-31" }));
    assert_eq!(one.points(json!("2023-12-31")), d("2"));
    assert_eq!(one.points(json!("2024-01-01")), d("0"));
    assert_eq!(one.check("1"), Err(Code::PointsNotAttainable));
    let grace = One::new("2", json!({ "kind": "deadline", "due": "2023-12-31", "grace_days": 1 }));
    // Within the grace period, but late_points defaults to 0.
    assert_eq!(grace.points(json!("2024-01-01")), d("0"));
    let leap = One::new("2", json!({ "kind": "deadline", "due": "2024-02-28", "grace_days": 1, "late_points": "1" }));
    assert_eq!(leap.points(json!("2024-02-29")), d("1"));
    assert_eq!(leap.points(json!("2024-03-01")), d("0"));
}

// ---------------------------------------------------------------------------------------------
// survey

fn survey_counts() -> One {
    One::new("2", json!({ "kind": "survey", "weights": { "A": "1", "B": "0.6", "C": "0.2", "D": "0" } }))
}

#[test]
fn survey_counts_are_weighted_and_divided_last() {
    let one = survey_counts();
    // 2 × (3 × 1 + 1 × 0.6) ÷ 4 = 1.8
    assert_eq!(one.survey_outcome(json!({ "counts": { "A": 3, "B": 1 } })), pts("1.8"));
    // 2 × (40 + 7.2 + 0.6 + 0) ÷ 56 = 95.6 ÷ 56, carried to 28 significant digits.
    let expected = d("95.6").checked_div(d("56")).unwrap();
    assert_eq!(
        one.survey_outcome(json!({ "counts": { "A": 40, "B": 12, "C": 3, "D": 1 } })),
        Ok(Outcome::Points(expected))
    );
    assert_eq!(one.survey_outcome(json!({ "counts": { "D": 10 } })), pts("0"));
    assert_eq!(one.survey_outcome(json!({ "counts": { "A": "10" } })), pts("2"));
}

#[test]
fn survey_with_no_answers_means_nothing_arose() {
    let one = survey_counts();
    assert_eq!(one.survey_outcome(json!({ "counts": { "A": 0, "B": 0 } })), Ok(Outcome::NotArising));
    assert_eq!(one.survey_outcome(json!({ "counts": {} })), Ok(Outcome::NotArising));
}

#[test]
fn survey_answer_keys_must_have_weights() {
    let one = survey_counts();
    assert_eq!(one.survey(json!({ "counts": { "A": 3, "E": 1 } })), Err(vec![Code::UnknownOption]));
    let direct = Input::Survey(SurveyAnswer::Counts(vec![("E".into(), d("1"))]));
    assert_eq!(one.rule().score(one.max(), &direct).map_err(|e| e.code), Err(Code::UnknownOption));
    assert_eq!(one.survey(json!({ "counts": { "A": "1.5" } })), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({ "counts": { "A": -1 } })), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({ "counts": { "A": 1 }, "score": "0.5" })), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({})), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({ "mean": "3" })), Err(vec![Code::InputType]), "no scale");
}

#[test]
fn survey_mean_on_a_scale_divides_last() {
    let one = One::new("3", json!({ "kind": "survey", "scale": { "min": "1", "max": "4" } }));
    // 3 × (3.2 − 1) ÷ (4 − 1) = 2.2 exactly.
    assert_eq!(one.survey_outcome(json!({ "mean": "3.2" })), pts("2.2"));
    assert_eq!(one.survey_outcome(json!({ "mean": 1 })), pts("0"));
    assert_eq!(one.survey_outcome(json!({ "mean": 4 })), pts("3"));
    assert_eq!(one.survey(json!({ "mean": "4.5" })), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({ "mean": "0.99" })), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({ "counts": { "A": 1 } })), Err(vec![Code::InputType]), "no weights");
}

#[test]
fn survey_score_is_a_share_of_max() {
    let one = One::new("2", json!({ "kind": "survey" }));
    assert_eq!(one.survey_outcome(json!({ "score": "0.83" })), pts("1.66"));
    assert_eq!(one.survey_outcome(json!({ "score": 1 })), pts("2"));
    assert_eq!(one.survey_outcome(json!({ "score": 0 })), pts("0"));
    assert_eq!(one.survey(json!({ "score": "1.2" })), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({ "score": "-0.1" })), Err(vec![Code::InputType]));
    assert_eq!(one.survey(json!({ "score": "0,8" })), Err(vec![Code::BadDecimal]));
}

#[test]
fn a_survey_item_takes_no_entry_input_and_an_assessed_item_no_survey_result() {
    let survey = One::new("2", json!({ "kind": "survey" }));
    assert_eq!(survey.read_error(json!(1)), Code::SurveySelfScored);
    let assessed = One::new("2", json!({ "kind": "yes_no" }));
    assert_eq!(assessed.survey(json!({ "score": "0.5" })), Err(vec![Code::NotASurveyItem]));
}

// ---------------------------------------------------------------------------------------------
// formula

fn formula_xy() -> One {
    One::with(
        "2",
        json!({ "kind": "formula", "variables": { "x": "Số nhiệm vụ hoàn thành", "y": "Tổng số nhiệm vụ" },
                "expr": "max_points * x / y" }),
        json!({ "not_arising": "full" }),
    )
}

#[test]
fn formula_expression_value_is_clamped_to_zero_and_max() {
    let one = formula_xy();
    assert_eq!(one.points(json!({ "x": 18, "y": 20 })), d("1.8"));
    assert_eq!(one.points(json!({ "x": "1", "y": "12" })).normalize().to_string(), "0.1666666666666666666666666667");
    assert_eq!(one.points(json!({ "x": 30, "y": 20 })), d("2"), "above max: clamped");
    assert_eq!(one.points(json!({ "x": -5, "y": 20 })), d("0"), "below 0: clamped");
    assert_eq!(one.rule().attainable_points(one.max()), None);
}

#[test]
fn formula_division_by_zero_means_nothing_arose() {
    let one = formula_xy();
    assert_eq!(one.outcome(json!({ "x": 0, "y": 0 })), Ok(Outcome::NotArising));
    assert_eq!(one.outcome(json!({ "x": 5, "y": "0.000" })), Ok(Outcome::NotArising));
    // Only the chosen branch of if() is evaluated.
    let guarded = One::new(
        "2",
        json!({ "kind": "formula", "variables": { "x": "", "y": "" },
                "expr": "if(y == 0, max_points, max_points * x / y)" }),
    );
    assert_eq!(guarded.points(json!({ "x": 0, "y": 0 })), d("2"));
    assert_eq!(guarded.points(json!({ "x": 1, "y": 4 })), d("0.5"));
}

#[test]
fn formula_is_evaluated_as_written() {
    let one = One::new("2", json!({ "kind": "formula", "variables": { "x": "" }, "expr": "x / 3 * 3" }));
    assert_eq!(one.points(json!({ "x": 1 })), d("0.9999999999999999999999999999"));
    let r = One::new("1", json!({ "kind": "formula", "variables": { "x": "" }, "expr": "round(x, 2)" }));
    assert_eq!(r.points(json!({ "x": "0.125" })), d("0.13"), "half away from zero");
    let p = One::new(
        "10",
        json!({ "kind": "formula", "variables": { "a": "", "b": "" }, "expr": "a + b * 2 - min(a, b) + max(1, abs(-3))" }),
    );
    assert_eq!(p.points(json!({ "a": 1, "b": 2 })), d("7"));
}

#[test]
fn formula_variables_must_be_given_and_declared() {
    let one = formula_xy();
    let typed = one.read(json!({ "x": 18 })).unwrap();
    assert_eq!(one.rule().score(one.max(), &typed).map_err(|e| e.code), Err(Code::FormulaMissingVariable));
    assert_eq!(
        one.read(json!({ "x": 1, "y": 2, "z": 3 })).unwrap_err(),
        vec![(Code::InputType, format!("{INPUT_PATH}/z"))]
    );
    assert_eq!(one.read_error(json!({ "x": "1,5", "y": 2 })), Code::BadDecimal);
    assert_eq!(one.read_error(json!([1, 2])), Code::InputType);
    // A declared variable the expression does not use may be left out.
    let partial = One::new("2", json!({ "kind": "formula", "variables": { "x": "", "y": "" }, "expr": "x * 2" }));
    assert_eq!(partial.points(json!({ "x": "0.5" })), d("1"));
}

#[test]
fn formula_choices_are_named_by_the_entry() {
    let one = One::new(
        "2",
        json!({ "kind": "formula", "variables": { "a": "" },
                "choices": { "full": "max_points", "half": "max_points / 2 + a" } }),
    );
    assert_eq!(one.outcome_choice(json!({}), Some(json!("full"))), pts("2"));
    assert_eq!(one.outcome_choice(json!({ "a": "0.25" }), Some(json!("half"))), pts("1.25"));
    assert_eq!(
        one.read_choice(json!({ "a": 0 }), None).unwrap_err(),
        vec![(Code::InputType, "/self/entries/1/choice".to_owned())]
    );
    assert_eq!(
        one.read_choice(json!({ "a": 0 }), Some(json!("quarter"))).unwrap_err(),
        vec![(Code::UnknownOption, "/self/entries/1/choice".to_owned())]
    );
    let typed = one.read_choice(json!({}), Some(json!("half"))).unwrap();
    assert_eq!(one.rule().score(one.max(), &typed).map_err(|e| e.code), Err(Code::FormulaMissingVariable));
    // A single-expression formula takes no choice.
    let single = formula_xy();
    assert_eq!(single.read_choice(json!({ "x": 1, "y": 1 }), Some(json!("full"))).unwrap_err()[0].0, Code::InputType);
}
