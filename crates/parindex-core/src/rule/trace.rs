//! Explaining one leaf's points ([`Rule::explain`]): the band matched with its bounds, the
//! option chosen, the formula with each variable's value, the survey score, and so on.
//!
//! A trace is built from the same evaluation as [`Rule::score`] (one private function does
//! both), so an explanation can never tell a different story from the points it explains.
//! Every figure in a trace is exact and unrounded.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use super::score::{DeadlineResult, Detail};
use super::{Band, BandInput, Outcome, ProportionalInput, Rule, RuleError};
use crate::input::{Input, SurveyAnswer};

/// How a rule turned one input into points. Serialized as one JSON object: the fields of
/// [`RuleStep`] (with `"kind"`), then `unclamped`, `points` and `not_arising`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleTrace {
    /// What the rule did, by kind.
    #[serde(flatten)]
    pub step: RuleStep,
    /// The value the rule computed before clamping it to `[0, max]`, for the kinds that
    /// compute one (proportional, deduction, survey, formula).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unclamped: Option<Decimal>,
    /// The points in `[0, max]` (normalized: `1.8`, not `1.80`); `None` when the input means
    /// nothing arose.
    pub points: Option<Decimal>,
    /// True when the input means nothing arose (§6.4): the leaf's policy decides.
    pub not_arising: bool,
}

/// What a rule did with its input, by kind (`"kind"` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleStep {
    /// `yes_no`: done → max, not done → 0.
    YesNo {
        /// The input.
        done: bool,
    },
    /// `options`: the option chosen.
    Options {
        /// Its key.
        key: String,
        /// Its label, as written in the criteria set.
        label: String,
    },
    /// `bands`: the band whose interval holds the value.
    Bands {
        /// The value compared with the bounds.
        value: Measure,
        /// The band matched, `None` when no band holds the value.
        band: Option<BandTrace>,
        /// The points for a value no band holds, when that is what applied.
        #[serde(skip_serializing_if = "Option::is_none")]
        otherwise: Option<Decimal>,
    },
    /// `proportional`: `max × value ÷ 100`, or a threshold.
    Proportional {
        /// The value.
        value: Measure,
        /// The rule's `zero_below`, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        zero_below: Option<Decimal>,
        /// The rule's `full_from`, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        full_from: Option<Decimal>,
        /// `"zero_below"`, `"full_from"`, `"proportion"` or `"nothing_arose"`.
        applied: &'static str,
    },
    /// `deduction`: `max − per × count`, floored at 0.
    Deduction {
        /// Occurrences.
        count: Decimal,
        /// Points lost per occurrence.
        per: Decimal,
    },
    /// `deadline`: on time, within the grace days, too late, or not done.
    Deadline {
        /// The day it was done, `None` when not done.
        done: Option<String>,
        /// The due date.
        due: String,
        /// Days after `due` that still earn `late_points`.
        grace_days: u32,
        /// Points within the grace days.
        late_points: Decimal,
        /// Days after `due` (negative or 0 when on time), when done.
        #[serde(skip_serializing_if = "Option::is_none")]
        days_late: Option<i64>,
        /// `"on_time"`, `"within_grace"`, `"too_late"` or `"not_done"`.
        result: &'static str,
    },
    /// `survey`: `max × score`.
    Survey {
        /// The answer as given and the score it makes.
        answer: SurveyTrace,
        /// `"zero_below"` or `"full_from"` when a threshold of SPEC §11.4 decided the score.
        #[serde(skip_serializing_if = "Option::is_none")]
        threshold: Option<&'static str>,
    },
    /// `per_item` (SPEC §11.2): `min(per × count, max)`.
    PerItem {
        /// Occurrences.
        count: Decimal,
        /// Points per occurrence.
        per: Decimal,
    },
    /// `formula`: the expression chosen and each variable's value.
    Formula {
        /// The choice named by the entry (`None` for a rule with a single `expr`).
        choice: Option<String>,
        /// The expression, as written in the criteria set.
        expression: String,
        /// The value of each declared variable the entry gives, by name, in declared order.
        variables: Map<String, Value>,
        /// The leaf's maximum (the constant `max_points`).
        max_points: Decimal,
        /// True when the expression divided by zero (nothing arose).
        division_by_zero: bool,
        /// The value of each ref (SPEC §11.3) at the stage, by name, in declared order: the
        /// points of the node it names. Absent for a formula without refs.
        #[serde(skip_serializing_if = "Map::is_empty")]
        refs: Map<String, Value>,
    },
}

/// A value compared with band bounds or thresholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A percent, 0–100.
    Percent(Decimal),
    /// A whole number ≥ 0.
    Count(Decimal),
    /// Any decimal.
    Number(Decimal),
    /// A ratio, compared exactly (`n × 100` against `bound × d`).
    Ratio {
        /// Achieved.
        numerator: Decimal,
        /// Total; 0 means nothing arose.
        denominator: Decimal,
        /// `n × 100 ÷ d` for reading (to 28 significant digits); `None` when `d` is 0.
        percent: Option<Decimal>,
    },
}

/// The band a value fell in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandTrace {
    /// Its position in the rule's `bands` (from 0).
    pub index: usize,
    /// Lower bound, `None` when unbounded.
    pub from: Option<Decimal>,
    /// Upper bound, `None` when unbounded.
    pub to: Option<Decimal>,
    /// Whether `from` is in the band.
    pub from_inclusive: bool,
    /// Whether `to` is in the band.
    pub to_inclusive: bool,
    /// The band's points.
    pub points: Decimal,
}

/// A survey answer and the score it makes (`max × score` are the points).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "given", rename_all = "snake_case")]
pub enum SurveyTrace {
    /// Answer counts weighted by the rule's `weights`.
    Counts {
        /// Count per answer key, as given.
        counts: Map<String, Value>,
        /// The weight of each key given.
        weights: Map<String, Value>,
        /// Σ weight × count.
        weighted: Decimal,
        /// Σ count (0: nothing arose).
        answers: Decimal,
        /// `weighted ÷ answers`, `None` when there were no answers.
        score: Option<Decimal>,
    },
    /// A mean on the rule's scale.
    Mean {
        /// The mean.
        mean: Decimal,
        /// The scale's lowest answer.
        scale_min: Decimal,
        /// The scale's highest answer.
        scale_max: Decimal,
        /// `(mean − min) ÷ (max − min)`.
        score: Option<Decimal>,
    },
    /// A score given directly.
    Score {
        /// The score, in `[0, 1]`.
        score: Decimal,
    },
    /// Respondent groups (SPEC §11.4): each group's score and weight; the groups with
    /// answers are merged as Σ weight × score ÷ Σ weight.
    Groups {
        /// Each group in the rule's order.
        groups: Vec<SurveyGroupTrace>,
        /// The merged score, `None` when no group had answers.
        score: Option<Decimal>,
    },
}

/// One respondent group of a grouped survey item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyGroupTrace {
    /// The group's name (`"nguoi-dan"`).
    pub group: String,
    /// Its weight.
    pub weight: Decimal,
    /// Its score in `[0, 1]` (for reading, to 28 significant digits); `None` when the group
    /// had no answers and was left out.
    pub score: Option<Decimal>,
}

fn dec(d: Decimal) -> Value {
    Value::String(d.to_string())
}

/// `a × b ÷ c` for reading only (never on the path of a published figure's points).
fn quotient(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b.is_zero() { None } else { a.checked_div(b).map(|q| q.normalize()) }
}

fn measure(kind: BandInput, input: &Input) -> Option<Measure> {
    match (kind, input) {
        (BandInput::Ratio, Input::Ratio { numerator, denominator }) => Some(Measure::Ratio {
            numerator: *numerator,
            denominator: *denominator,
            percent: numerator.checked_mul(Decimal::ONE_HUNDRED).and_then(|n| quotient(n, *denominator)),
        }),
        (BandInput::Percent, Input::Value(v)) => Some(Measure::Percent(*v)),
        (BandInput::Number, Input::Value(v)) => Some(Measure::Number(*v)),
        (BandInput::Count, Input::Count(v)) => Some(Measure::Count(*v)),
        _ => None,
    }
}

fn band_trace(index: usize, band: &Band) -> BandTrace {
    BandTrace {
        index,
        from: band.from,
        to: band.to,
        from_inclusive: band.from_inclusive,
        to_inclusive: band.to_inclusive,
        points: band.points,
    }
}

/// The input an entry gives, as JSON, for explanations: decimals as strings, a formula's
/// variables by name, a deadline's date as text or `null`.
pub fn input_json(rule: &Rule, input: &Input) -> Value {
    match input {
        Input::YesNo(b) => Value::Bool(*b),
        Input::Choice(key) => Value::String(key.clone()),
        Input::Value(v) | Input::Count(v) => dec(*v),
        Input::Ratio { numerator, denominator } => {
            let mut m = Map::new();
            m.insert("numerator".into(), dec(*numerator));
            m.insert("denominator".into(), dec(*denominator));
            Value::Object(m)
        }
        Input::Date(d) => d.map_or(Value::Null, |d| Value::String(d.to_string())),
        Input::Variables { values, .. } => Value::Object(variables_json(rule, values)),
        Input::Survey(answer) => survey_json(answer),
    }
}

fn variables_json(rule: &Rule, values: &[Option<Decimal>]) -> Map<String, Value> {
    let mut m = Map::new();
    if let Rule::Formula(f) = rule {
        for ((name, _), value) in f.variables.iter().zip(values) {
            if let Some(v) = value {
                m.insert(name.clone(), dec(*v));
            }
        }
    }
    m
}

fn survey_json(answer: &SurveyAnswer) -> Value {
    let mut m = Map::new();
    match answer {
        SurveyAnswer::Counts(counts) => {
            let c: Map<String, Value> = counts.iter().map(|(k, v)| (k.clone(), dec(*v))).collect();
            m.insert("counts".into(), Value::Object(c));
        }
        SurveyAnswer::Mean(v) => {
            m.insert("mean".into(), dec(*v));
        }
        SurveyAnswer::Score(v) => {
            m.insert("score".into(), dec(*v));
        }
        SurveyAnswer::Groups(groups) => {
            let g: Map<String, Value> = groups.iter().map(|(k, a)| (k.clone(), survey_json(a))).collect();
            m.insert("groups".into(), Value::Object(g));
        }
    }
    Value::Object(m)
}

impl Rule {
    /// Scores `input` on a leaf worth `max` and says how: the same evaluation as
    /// [`Rule::score`], with what was matched, chosen or computed.
    ///
    /// # Errors
    ///
    /// The same [`RuleError`] as [`Rule::score`] (an input that does not fit the rule). A
    /// `manual` rule takes no input and always fails here.
    pub fn explain(&self, max: Decimal, input: &Input) -> Result<RuleTrace, RuleError> {
        let (outcome, detail) = self.evaluate(max, input)?;
        Ok(self.trace(max, Some(input), outcome, detail, &[]))
    }

    /// [`Rule::explain`] for a formula with refs (SPEC §11.3) at one stage: `input` is the
    /// entry's (`None` for a derived item), `refs` the referenced nodes' points at the stage,
    /// in the order of the rule's refs. The same evaluation as [`Rule::score_with_refs`].
    ///
    /// # Errors
    ///
    /// The same [`RuleError`] as [`Rule::score_with_refs`].
    pub fn explain_with_refs(
        &self,
        max: Decimal,
        input: Option<&Input>,
        refs: &[Decimal],
    ) -> Result<RuleTrace, RuleError> {
        let (outcome, detail) = self.evaluate_with_refs(max, input, refs)?;
        Ok(self.trace(max, input, outcome, detail, refs))
    }

    fn trace(
        &self,
        max: Decimal,
        input: Option<&Input>,
        outcome: Outcome,
        detail: Detail,
        refs: &[Decimal],
    ) -> RuleTrace {
        let (points, not_arising) = match outcome {
            Outcome::Points(p) => (Some(p.normalize()), false),
            Outcome::NotArising => (None, true),
        };
        let unclamped = match detail {
            Detail::Raw(raw) | Detail::SurveyCounts { raw, .. } => Some(raw.normalize()),
            _ => None,
        };
        let none = Input::Variables { choice: 0, values: Vec::new() };
        let step = self.step(max, input.unwrap_or(&none), detail, refs);
        RuleTrace { step, unclamped, points, not_arising }
    }

    fn step(&self, max: Decimal, input: &Input, detail: Detail, refs: &[Decimal]) -> RuleStep {
        let threshold = match detail {
            Detail::ZeroBelow => Some("zero_below"),
            Detail::FullFrom => Some("full_from"),
            _ => None,
        };
        match (self, input) {
            (Rule::Options { options }, Input::Choice(key)) => {
                let label = match detail {
                    Detail::Option(i) => options.get(i).map(|o| o.label.clone()).unwrap_or_default(),
                    _ => String::new(),
                };
                RuleStep::Options { key: key.clone(), label }
            }
            (Rule::Bands { input: kind, bands, otherwise }, value) => {
                let band = match detail {
                    Detail::Band(Some(i)) => bands.get(i).map(|b| band_trace(i, b)),
                    _ => None,
                };
                let otherwise = matches!(detail, Detail::Band(None)).then_some(*otherwise);
                let value = measure(*kind, value).unwrap_or(Measure::Number(Decimal::ZERO));
                RuleStep::Bands { value, band, otherwise }
            }
            (Rule::Proportional { input: kind, zero_below, full_from }, value) => {
                let kind = match kind {
                    ProportionalInput::Percent => BandInput::Percent,
                    ProportionalInput::Ratio => BandInput::Ratio,
                };
                let applied = match detail {
                    Detail::ZeroBelow => "zero_below",
                    Detail::FullFrom => "full_from",
                    Detail::NotArising => "nothing_arose",
                    _ => "proportion",
                };
                RuleStep::Proportional {
                    value: measure(kind, value).unwrap_or(Measure::Number(Decimal::ZERO)),
                    zero_below: *zero_below,
                    full_from: *full_from,
                    applied,
                }
            }
            (Rule::Deduction { per }, Input::Count(count)) => RuleStep::Deduction { count: *count, per: *per },
            (Rule::Deadline { due, late_points, grace_days }, Input::Date(done)) => {
                let result = match detail {
                    Detail::Deadline(r) => r,
                    _ => DeadlineResult::NotDone,
                };
                RuleStep::Deadline {
                    done: done.map(|d| d.to_string()),
                    due: due.to_string(),
                    grace_days: *grace_days,
                    late_points: *late_points,
                    days_late: done.map(|d| d.day_number() - due.day_number()),
                    result: result.as_str(),
                }
            }
            (Rule::PerItem { per }, Input::Count(count)) => RuleStep::PerItem { count: *count, per: *per },
            (Rule::Survey { weights, scale, .. }, Input::Survey(answer)) => {
                let answer = match answer {
                    SurveyAnswer::Groups(_) => {
                        let groups: Vec<SurveyGroupTrace> = super::score::score_survey_groups(self, answer)
                            .into_iter()
                            .map(|(group, weight, score)| SurveyGroupTrace {
                                group,
                                weight,
                                score: score.map(|s| s.normalize()),
                            })
                            .collect();
                        let (mut num, mut den) = (Decimal::ZERO, Decimal::ZERO);
                        for g in &groups {
                            if let Some(sc) = g.score {
                                num = num.checked_add(g.weight.checked_mul(sc).unwrap_or(Decimal::ZERO)).unwrap_or(num);
                                den = den.checked_add(g.weight).unwrap_or(den);
                            }
                        }
                        SurveyTrace::Groups { groups, score: quotient(num, den) }
                    }
                    SurveyAnswer::Counts(counts) => {
                        let (weighted, answers) = match detail {
                            Detail::SurveyCounts { weighted, answers, .. } => (weighted, answers),
                            _ => (Decimal::ZERO, Decimal::ZERO),
                        };
                        let used: Map<String, Value> = counts
                            .iter()
                            .filter_map(|(k, _)| {
                                weights.as_ref()?.iter().find(|(w, _)| w == k).map(|(_, w)| (k.clone(), dec(*w)))
                            })
                            .collect();
                        SurveyTrace::Counts {
                            counts: counts.iter().map(|(k, v)| (k.clone(), dec(*v))).collect(),
                            weights: used,
                            weighted: weighted.normalize(),
                            answers,
                            score: quotient(weighted, answers),
                        }
                    }
                    SurveyAnswer::Mean(mean) => {
                        let (scale_min, scale_max) = scale.map_or((Decimal::ZERO, Decimal::ONE), |s| (s.min, s.max));
                        SurveyTrace::Mean {
                            mean: *mean,
                            scale_min,
                            scale_max,
                            score: quotient(mean - scale_min, scale_max - scale_min),
                        }
                    }
                    SurveyAnswer::Score(score) => SurveyTrace::Score { score: *score },
                };
                RuleStep::Survey { answer, threshold }
            }
            (Rule::Formula(f), Input::Variables { choice, values }) => RuleStep::Formula {
                choice: f.choice_names.as_ref().and_then(|names| names.get(*choice).cloned()),
                expression: f.formulas.get(*choice).map(|x| x.source().to_owned()).unwrap_or_default(),
                variables: variables_json(self, values),
                max_points: max,
                division_by_zero: detail == Detail::NotArising,
                refs: f.refs.iter().zip(refs).map(|(r, v)| (r.name.clone(), dec(v.normalize()))).collect(),
            },
            (_, Input::YesNo(done)) => RuleStep::YesNo { done: *done },
            // `evaluate` refuses every other pairing before we get here.
            _ => RuleStep::YesNo { done: false },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::criteria::CriteriaSet;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn rule(json: Value) -> Rule {
        let doc = json!({ "format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "nodes": [ { "code": "1", "title": "x", "max": "2", "rule": json } ] });
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&doc)).unwrap();
        set.leaves().next().unwrap().2.rule.clone()
    }

    #[test]
    fn bands_name_the_band_matched_and_its_bounds() {
        let r = rule(json!({ "kind": "bands", "input": "ratio", "bands": [
            { "from": "100", "points": "2" }, { "from": "80", "to": "100", "points": "1" } ], "otherwise": "0" }));
        let t = r.explain(d("2"), &Input::Ratio { numerator: d("17"), denominator: d("20") }).unwrap();
        assert_eq!(t.points, Some(d("1")));
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["kind"], "bands");
        assert_eq!(v["band"]["index"], 1);
        assert_eq!(v["band"]["from"], "80");
        assert_eq!(v["band"]["to"], "100");
        assert_eq!(v["band"]["to_inclusive"], false);
        assert_eq!(v["value"]["ratio"]["percent"], "85");
        assert!(v.get("otherwise").is_none());
        let t = r.explain(d("2"), &Input::Ratio { numerator: d("1"), denominator: d("2") }).unwrap();
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(
            (v["band"].clone(), v["otherwise"].clone(), v["points"].clone()),
            (json!(null), json!("0"), json!("0"))
        );
        let t = r.explain(d("2"), &Input::Ratio { numerator: d("0"), denominator: d("0") }).unwrap();
        assert!(t.not_arising && t.points.is_none());
    }

    #[test]
    fn formula_names_choice_expression_and_variables() {
        let r = rule(json!({ "kind": "formula", "variables": { "x": "done", "y": "total" },
            "choices": { "ty_le": "max_points * x / y", "co_dinh": "1" } }));
        let t = r.explain(d("2"), &Input::Variables { choice: 0, values: vec![Some(d("18")), Some(d("20"))] }).unwrap();
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["choice"], "ty_le");
        assert_eq!(v["expression"], "max_points * x / y");
        assert_eq!(v["variables"], json!({ "x": "18", "y": "20" }));
        assert_eq!(v["points"], "1.8");
        let t = r.explain(d("2"), &Input::Variables { choice: 0, values: vec![Some(d("1")), Some(d("0"))] }).unwrap();
        assert!(t.not_arising);
        assert_eq!(serde_json::to_value(&t).unwrap()["division_by_zero"], true);
    }

    #[test]
    fn proportional_deduction_deadline_and_survey() {
        let r = rule(json!({ "kind": "proportional", "input": "percent", "zero_below": "50", "full_from": "95" }));
        let v = |r: &Rule, i: Input| serde_json::to_value(r.explain(d("2"), &i).unwrap()).unwrap();
        assert_eq!(v(&r, Input::Value(d("40")))["applied"], "zero_below");
        assert_eq!(v(&r, Input::Value(d("96")))["applied"], "full_from");
        let p = v(&r, Input::Value(d("60")));
        assert_eq!((p["applied"].clone(), p["points"].clone()), (json!("proportion"), json!("1.2")));
        let r = rule(json!({ "kind": "deduction", "per": "0.75" }));
        let p = v(&r, Input::Count(d("3")));
        assert_eq!((p["unclamped"].clone(), p["points"].clone()), (json!("-0.25"), json!("0")));
        let r = rule(json!({ "kind": "deadline", "due": "2023-01-15", "late_points": "1", "grace_days": 10 }));
        let day = |s| Input::Date(crate::input::Date::parse(s));
        let p = v(&r, day("2023-01-20"));
        assert_eq!(
            (p["result"].clone(), p["days_late"].clone(), p["points"].clone()),
            (json!("within_grace"), json!(5), json!("1"))
        );
        assert_eq!(v(&r, Input::Date(None))["result"], "not_done");
        let r = rule(json!({ "kind": "survey", "weights": { "A": "1", "B": "0.5" } }));
        let r = match r {
            Rule::Survey { .. } => r,
            other => panic!("{other:?}"),
        };
        let p = v(&r, Input::Survey(SurveyAnswer::Counts(vec![("A".into(), d("3")), ("B".into(), d("1"))])));
        assert_eq!(p["answer"]["weighted"], "3.5");
        assert_eq!(p["answer"]["answers"], "4");
        assert_eq!(p["answer"]["score"], "0.875");
        assert_eq!(p["points"], "1.75");
    }

    #[test]
    fn explain_and_score_agree() {
        let r = rule(json!({ "kind": "proportional", "input": "ratio" }));
        for (n, den) in [("1", "3"), ("0", "5"), ("5", "5"), ("0", "0")] {
            let input = Input::Ratio { numerator: d(n), denominator: d(den) };
            let t = r.explain(d("1.5"), &input).unwrap();
            let outcome = r.score(d("1.5"), &input).unwrap();
            match outcome {
                Outcome::Points(p) => assert_eq!(t.points, Some(p)),
                Outcome::NotArising => assert!(t.not_arising),
            }
        }
    }
}
