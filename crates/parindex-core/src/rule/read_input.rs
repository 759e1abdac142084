//! Reading an entry's `input` (and a survey entry) into the typed [`Input`] its rule needs.

use rust_decimal::Decimal;

use super::score::unknown_option;
use super::{BandInput, ProportionalInput, Rule};
use crate::diagnostic::Code;
use crate::input::{Date, Input, SurveyAnswer};
use crate::reader::Reader;
use parindex_json::{Child, Pointer, Value};

/// Reads the `input` at `path` for `rule`. `choice` is the entry's `"choice"` field (formula
/// rules with `choices`). Records every problem in `r`; `None` when the input is unusable.
pub fn read_input(
    rule: &Rule,
    value: &Value<'_>,
    choice: Option<&Value<'_>>,
    path: &(impl Pointer + ?Sized),
    r: &mut Reader<'_>,
) -> Option<Input> {
    match rule {
        Rule::Manual { .. } => {
            r.error(Code::InputType, path, "a manual item takes \"points\", not \"input\"");
            None
        }
        Rule::YesNo => r.boolean(value, path, Code::InputType, "a yes/no input").map(Input::YesNo),
        Rule::Options { options } => {
            let key = r.string(value, path, Code::InputType, "an option input")?;
            if options.iter().any(|o| o.key == key) {
                Some(Input::Choice(key.to_owned()))
            } else {
                let e = unknown_option(key, options.iter().map(|o| o.key.as_str()));
                r.error(e.code, path, e.message);
                None
            }
        }
        Rule::Bands { input, .. } => read_measure(*input, value, path, r),
        Rule::Proportional { input, .. } => {
            let kind = match input {
                ProportionalInput::Percent => BandInput::Percent,
                ProportionalInput::Ratio => BandInput::Ratio,
            };
            read_measure(kind, value, path, r)
        }
        Rule::Deduction { .. } | Rule::PerItem { .. } => read_count(value, path, r).map(Input::Count),
        Rule::Deadline { .. } => match value {
            Value::Null => Some(Input::Date(None)),
            Value::String(s) => match Date::parse(s) {
                Some(d) => Some(Input::Date(Some(d))),
                None => {
                    r.error(
                        Code::InputType,
                        path,
                        format!("'{s}' is not a date: write YYYY-MM-DD, or null when not done"),
                    );
                    None
                }
            },
            other => {
                r.error(
                    Code::InputType,
                    path,
                    format!("a deadline input is a date \"YYYY-MM-DD\" or null, found {}", other.type_name()),
                );
                None
            }
        },
        Rule::Survey { .. } => {
            r.error(Code::SurveySelfScored, path, "a survey item is scored from the survey only");
            None
        }
        Rule::Formula(f) => {
            let map = r.object(value, path, Code::InputType, "a formula input")?;
            let mut values: Vec<Option<Decimal>> = vec![None; f.variables.len()];
            let mut ok = true;
            for (name, v) in map {
                let p = Child::key(path, name);
                let read = |r: &mut Reader<'_>| match crate::decimal::decimal_of(v) {
                    Ok(d) => Some(d),
                    Err(_) => r.decimal(v, &p, Code::InputType, &format!("the variable '{name}'")),
                };
                match f.variables.iter().position(|(n, _)| n == name) {
                    Some(slot) => match read(r) {
                        Some(d) => {
                            if let Some(s) = values.get_mut(slot) {
                                *s = Some(d);
                            }
                        }
                        None => ok = false,
                    },
                    None => {
                        let declared: Vec<&str> = f.variables.iter().map(|(n, _)| n.as_str()).collect();
                        r.error(
                            Code::InputType,
                            &p,
                            format!(
                                "'{name}' is not a variable of this formula; its variables are: {}",
                                declared.join(", ")
                            ),
                        );
                        ok = false;
                    }
                }
            }
            let choice_path = Sibling { of: path, key: "choice" };
            let choice = match (&f.choice_names, choice) {
                (None, None | Some(Value::Null)) => 0,
                (None, Some(_)) => {
                    r.error(Code::InputType, &choice_path, "this formula has a single expression: remove \"choice\"");
                    return None;
                }
                (Some(names), None | Some(Value::Null)) => {
                    r.error(
                        Code::InputType,
                        &choice_path,
                        format!("this formula has choices: name one in \"choice\" ({})", names.join(", ")),
                    );
                    return None;
                }
                (Some(names), Some(c)) => {
                    let c = r.string(c, &choice_path, Code::InputType, "\"choice\"")?;
                    match names.iter().position(|n| n == c) {
                        Some(i) => i,
                        None => {
                            let e = unknown_option(c, names.iter().map(String::as_str));
                            r.error(e.code, &choice_path, e.message);
                            return None;
                        }
                    }
                }
            };
            ok.then_some(Input::Variables { choice, values })
        }
    }
}

fn read_measure(
    kind: BandInput,
    value: &Value<'_>,
    path: &(impl Pointer + ?Sized),
    r: &mut Reader<'_>,
) -> Option<Input> {
    match kind {
        BandInput::Percent => {
            let p = r.decimal(value, path, Code::InputType, "a percent")?;
            if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
                r.error(Code::InputType, path, format!("a percent is from 0 to 100, not {p}"));
                return None;
            }
            Some(Input::Value(p))
        }
        BandInput::Number => r.decimal(value, path, Code::InputType, "a number").map(Input::Value),
        BandInput::Count => read_count(value, path, r).map(Input::Count),
        BandInput::Ratio => {
            let map =
                r.object(value, path, Code::InputType, "a ratio input ({\"numerator\": n, \"denominator\": d})")?;
            let part = |key: &str, r: &mut Reader<'_>| -> Option<Decimal> {
                let v = r.required(map, key, path, Code::InputType, "a ratio")?;
                let p = Child::key(path, key);
                let d = match crate::decimal::decimal_of(v) {
                    Ok(d) => d,
                    Err(_) => r.decimal(v, &p, Code::InputType, &format!("\"{key}\""))?,
                };
                if d < Decimal::ZERO {
                    r.error(Code::InputType, &p, format!("\"{key}\" must not be negative"));
                    return None;
                }
                Some(d)
            };
            let numerator = part("numerator", r);
            let denominator = part("denominator", r);
            let (numerator, denominator) = (numerator?, denominator?);
            if numerator > denominator {
                r.error(
                    Code::RatioOverOne,
                    path,
                    format!("the numerator {numerator} is above the denominator {denominator}"),
                );
                return None;
            }
            Some(Input::Ratio { numerator, denominator })
        }
    }
}

fn read_count(value: &Value<'_>, path: &(impl Pointer + ?Sized), r: &mut Reader<'_>) -> Option<Decimal> {
    let c = r.decimal(value, path, Code::InputType, "a count")?;
    if c < Decimal::ZERO || !c.fract().is_zero() {
        r.error(Code::InputType, path, format!("a count is a whole number ≥ 0, not {c}"));
        return None;
    }
    Some(c)
}

/// Reads a survey entry (SPEC §6.5) at `path`: exactly one of `counts`, `mean`, `score`.
pub fn read_survey(
    rule: &Rule,
    value: &Value<'_>,
    path: &(impl Pointer + ?Sized),
    r: &mut Reader<'_>,
) -> Option<SurveyAnswer> {
    let Rule::Survey { weights, scale, groups, .. } = rule else {
        r.error(Code::NotASurveyItem, path, "this item is assessed by the unit and the council, not by the survey");
        return None;
    };
    let map = r.object(value, path, Code::InputType, "a survey result")?;
    match (groups, map.get("groups")) {
        (Some(groups), Some(given)) => {
            if map.len() != 1 {
                r.error(Code::InputType, path, "a survey result for respondent groups gives \"groups\" only");
                return None;
            }
            return read_survey_groups(weights.as_deref(), scale.as_ref(), groups, given, path, r);
        }
        (Some(groups), None) => {
            let names: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
            r.error(
                Code::InputType,
                path,
                format!("this survey item merges respondent groups: give \"groups\" with {}", names.join(", ")),
            );
            return None;
        }
        (None, Some(_)) => {
            r.error(
                Code::InputType,
                &Child::key(path, "groups"),
                "this survey item has no respondent groups: give one of \"counts\", \"mean\" or \"score\"",
            );
            return None;
        }
        (None, None) => {}
    }
    read_survey_answer(weights.as_deref(), scale.as_ref(), map, path, r)
}

/// A grouped survey result (SPEC §11.4): every declared group, each one of the three forms.
fn read_survey_groups(
    weights: Option<&[(String, Decimal)]>,
    scale: Option<&super::Scale>,
    groups: &[(String, Decimal)],
    given: &Value<'_>,
    path: &(impl Pointer + ?Sized),
    r: &mut Reader<'_>,
) -> Option<SurveyAnswer> {
    let p = Child::key(path, "groups");
    let m = r.object(given, &p, Code::InputType, "\"groups\"")?;
    r.check_unique_keys(m, &p);
    let mut ok = true;
    let mut out = Vec::with_capacity(groups.len());
    for (name, v) in m {
        let gp = Child::key(&p, name);
        if !groups.iter().any(|(g, _)| g == name) {
            let names: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
            r.error(
                Code::InputType,
                &gp,
                format!("'{name}' is not a respondent group of this item; its groups are: {}", names.join(", ")),
            );
            ok = false;
            continue;
        }
        let Some(gm) = r.object(v, &gp, Code::InputType, "a group's survey result") else {
            ok = false;
            continue;
        };
        match read_survey_answer(weights, scale, gm, &gp, r) {
            Some(a) => out.push((name.to_owned(), a)),
            None => ok = false,
        }
    }
    for (g, _) in groups {
        if !m.contains_key(g) {
            r.error(Code::InputType, &p, format!("the respondent group '{g}' is missing"));
            ok = false;
        }
    }
    // Keep the rule's order of groups, whatever the document's.
    out.sort_by_key(|(name, _)| groups.iter().position(|(g, _)| g == name));
    ok.then_some(SurveyAnswer::Groups(out))
}

/// One survey result of SPEC §6.5: exactly one of `counts`, `mean`, `score`.
fn read_survey_answer(
    weights: Option<&[(String, Decimal)]>,
    scale: Option<&super::Scale>,
    map: &parindex_json::Object<'_>,
    path: &(impl Pointer + ?Sized),
    r: &mut Reader<'_>,
) -> Option<SurveyAnswer> {
    let given: Vec<&str> = ["counts", "mean", "score"].into_iter().filter(|k| map.contains_key(k)).collect();
    let extra: Vec<&str> = map.keys().filter(|k| !matches!(*k, "counts" | "mean" | "score")).collect();
    if given.len() != 1 || !extra.is_empty() {
        r.error(Code::InputType, path, "a survey result gives exactly one of \"counts\", \"mean\" or \"score\"");
        return None;
    }
    match given.first().copied() {
        Some("counts") => {
            let p = Child::key(path, "counts");
            let counts = map.get("counts")?;
            let counts = r.object(counts, &p, Code::InputType, "\"counts\"")?;
            let mut out = Vec::with_capacity(counts.len());
            let mut ok = true;
            for (key, c) in counts {
                let cp = Child::key(&p, key);
                let Some(c) = read_count(c, &cp, r) else {
                    ok = false;
                    continue;
                };
                match weights {
                    Some(w) if w.iter().any(|(k, _)| k == key) => out.push((key.to_owned(), c)),
                    Some(w) => {
                        let e = unknown_option(key, w.iter().map(|(k, _)| k.as_str()));
                        r.error(e.code, &cp, e.message);
                        ok = false;
                    }
                    None => {
                        r.error(
                            Code::InputType,
                            &p,
                            "this survey item has no answer weights: give a \"mean\" or a \"score\"",
                        );
                        return None;
                    }
                }
            }
            ok.then_some(SurveyAnswer::Counts(out))
        }
        Some("mean") => {
            let p = Child::key(path, "mean");
            let mean = r.decimal(map.get("mean")?, &p, Code::InputType, "\"mean\"")?;
            match scale {
                Some(s) if mean >= s.min && mean <= s.max => Some(SurveyAnswer::Mean(mean)),
                Some(s) => {
                    r.error(Code::InputType, &p, format!("the mean {mean} is outside the scale {}–{}", s.min, s.max));
                    None
                }
                None => {
                    r.error(
                        Code::InputType,
                        &p,
                        "this survey item has no \"scale\": give answer \"counts\" or a \"score\"",
                    );
                    None
                }
            }
        }
        _ => {
            let p = Child::key(path, "score");
            let score = r.decimal(map.get("score")?, &p, Code::InputType, "\"score\"")?;
            if score < Decimal::ZERO || score > Decimal::ONE {
                r.error(Code::InputType, &p, format!("a survey score is from 0 to 1, not {score}"));
                return None;
            }
            Some(SurveyAnswer::Score(score))
        }
    }
}

/// The member `key` beside the value at `of` (the entry's `choice` beside its `input`),
/// written out only for a problem.
struct Sibling<'p, P: ?Sized> {
    of: &'p P,
    key: &'static str,
}

impl<P: Pointer + ?Sized> Pointer for Sibling<'_, P> {
    fn write_to(&self, out: &mut String) {
        let of = self.of.render();
        if let Some((base, _)) = of.rsplit_once('/') {
            out.push_str(base);
            out.push('/');
            out.push_str(self.key);
        }
    }
}
