//! Scoring one leaf: a typed input, or directly given points, against its rule.

use rust_decimal::Decimal;

use super::{Band, BandInput, FormulaRule, Outcome, ProportionalInput, Rule, RuleError, Scale};
use crate::diagnostic::Code;
use crate::formula::EvalError;
use crate::input::{Input, SurveyAnswer};

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// `value` clamped to `[0, max]`.
pub(crate) fn clamp(value: Decimal, max: Decimal) -> Decimal {
    value.max(Decimal::ZERO).min(max)
}

fn overflow() -> RuleError {
    RuleError::new(Code::InputType, "the numbers given are too large to score exactly")
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, RuleError> {
    a.checked_mul(b).ok_or_else(overflow)
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal, RuleError> {
    a.checked_div(b).ok_or_else(overflow)
}

/// A value compared with band bounds: a plain decimal, or a ratio compared exactly
/// (`n × 100` against `bound × d`, never through a rounded quotient).
#[derive(Clone, Copy)]
enum Measured {
    Plain(Decimal),
    Ratio { numerator: Decimal, denominator: Decimal },
}

impl Measured {
    /// The ordering of the value against `bound` (a percent for ratios).
    fn cmp_bound(self, bound: Decimal) -> Result<std::cmp::Ordering, RuleError> {
        match self {
            Measured::Plain(v) => Ok(v.cmp(&bound)),
            Measured::Ratio { numerator, denominator } => Ok(mul(numerator, HUNDRED)?.cmp(&mul(bound, denominator)?)),
        }
    }

    fn in_band(self, band: &Band) -> Result<bool, RuleError> {
        use std::cmp::Ordering::{Equal, Greater, Less};
        if let Some(from) = band.from {
            match self.cmp_bound(from)? {
                Less => return Ok(false),
                Equal if !band.from_inclusive => return Ok(false),
                _ => {}
            }
        }
        if let Some(to) = band.to {
            match self.cmp_bound(to)? {
                Greater => return Ok(false),
                Equal if !band.to_inclusive => return Ok(false),
                _ => {}
            }
        }
        Ok(true)
    }
}

/// What a rule did with one input, beyond the outcome: the small facts an explanation needs
/// ([`super::trace`]). Computed on the same path as the points, so the two never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Nothing more to say (yes/no, a direct outcome).
    Plain,
    /// The option chosen, by index.
    Option(usize),
    /// The band matched, by index; `None` when no band covers the value (`otherwise`).
    Band(Option<usize>),
    /// Below `zero_below`: 0.
    ZeroBelow,
    /// At or above `full_from`: the maximum.
    FullFrom,
    /// A computed value before clamping to `[0, max]` (proportional, deduction, formula,
    /// survey).
    Raw(Decimal),
    /// A survey from answer counts: Σ weight × count, Σ count, and the value before clamping.
    SurveyCounts {
        /// Σ weight × count.
        weighted: Decimal,
        /// Σ count.
        answers: Decimal,
        /// `max × weighted ÷ answers`.
        raw: Decimal,
    },
    /// How a deadline was met.
    Deadline(DeadlineResult),
    /// The input means nothing arose (§6.4).
    NotArising,
}

/// How a `deadline` input compares with its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineResult {
    /// Done on or before the due date: the maximum.
    OnTime,
    /// Late, but within the grace days: `late_points`.
    WithinGrace,
    /// Later than the grace days: 0.
    TooLate,
    /// Not done (`null`): 0.
    NotDone,
}

impl DeadlineResult {
    /// The name used in explanations.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineResult::OnTime => "on_time",
            DeadlineResult::WithinGrace => "within_grace",
            DeadlineResult::TooLate => "too_late",
            DeadlineResult::NotDone => "not_done",
        }
    }
}

impl Rule {
    /// The points (or "nothing arose") that `input` earns on a leaf worth `max`.
    ///
    /// The input must already have the shape of this rule ([`super::read_input`] makes it so);
    /// a mismatched input is an `input_type` error, never a panic.
    pub fn score(&self, max: Decimal, input: &Input) -> Result<Outcome, RuleError> {
        self.evaluate(max, input).map(|(outcome, _)| outcome)
    }

    /// Scores `input` and says how: the one path behind both [`Rule::score`] and
    /// [`Rule::explain`].
    pub(crate) fn evaluate(&self, max: Decimal, input: &Input) -> Result<(Outcome, Detail), RuleError> {
        let mismatch =
            || RuleError::new(Code::InputType, format!("this input does not fit a {} rule", self.kind_name()));
        let not_arising = Ok((Outcome::NotArising, Detail::NotArising));
        let (points, detail) = match (self, input) {
            (Rule::YesNo, Input::YesNo(done)) => (if *done { max } else { Decimal::ZERO }, Detail::Plain),
            (Rule::Options { options }, Input::Choice(key)) => match options.iter().position(|o| &o.key == key) {
                Some(i) => (options.get(i).map_or(Decimal::ZERO, |o| o.points), Detail::Option(i)),
                None => return Err(unknown_option(key, options.iter().map(|o| o.key.as_str()))),
            },
            (Rule::Bands { bands, otherwise, input: kind }, value) => {
                let Some(measured) = measured(*kind, value)? else { return not_arising };
                let mut found = None;
                for (i, band) in bands.iter().enumerate() {
                    if measured.in_band(band)? {
                        found = Some((i, band.points));
                        break;
                    }
                }
                match found {
                    Some((i, points)) => (points, Detail::Band(Some(i))),
                    None => (*otherwise, Detail::Band(None)),
                }
            }
            (Rule::Proportional { input: kind, zero_below, full_from }, value) => {
                let band_kind = match kind {
                    ProportionalInput::Percent => BandInput::Percent,
                    ProportionalInput::Ratio => BandInput::Ratio,
                };
                let Some(measured) = measured(band_kind, value)? else { return not_arising };
                if let Some(z) = zero_below
                    && measured.cmp_bound(*z)?.is_lt()
                {
                    return Ok((Outcome::Points(Decimal::ZERO), Detail::ZeroBelow));
                }
                if let Some(f) = full_from
                    && !measured.cmp_bound(*f)?.is_lt()
                {
                    return Ok((Outcome::Points(max), Detail::FullFrom));
                }
                let raw = match measured {
                    Measured::Plain(p) => div(mul(max, p)?, HUNDRED)?,
                    Measured::Ratio { numerator, denominator } => div(mul(max, numerator)?, denominator)?,
                };
                (raw, Detail::Raw(raw))
            }
            // A product too large for a decimal is far above `max`: the floor, 0.
            (Rule::Deduction { per }, Input::Count(count)) => {
                let raw = per.checked_mul(*count).and_then(|lost| max.checked_sub(lost)).unwrap_or(Decimal::ZERO);
                (raw, Detail::Raw(raw))
            }
            (Rule::Deadline { due, late_points, grace_days }, Input::Date(done)) => match done {
                Some(day) if day <= due => (max, Detail::Deadline(DeadlineResult::OnTime)),
                Some(day) if day.day_number() - due.day_number() <= i64::from(*grace_days) => {
                    (*late_points, Detail::Deadline(DeadlineResult::WithinGrace))
                }
                Some(_) => (Decimal::ZERO, Detail::Deadline(DeadlineResult::TooLate)),
                None => (Decimal::ZERO, Detail::Deadline(DeadlineResult::NotDone)),
            },
            (
                Rule::Survey { weights, scale, groups: None, zero_below: None, full_from: None },
                Input::Survey(answer),
            ) => {
                return score_survey(weights.as_deref(), scale.as_ref(), max, answer);
            }
            (Rule::Survey { weights, scale, groups, zero_below, full_from }, Input::Survey(answer)) => {
                return score_survey_v2(
                    weights.as_deref(),
                    scale.as_ref(),
                    groups.as_deref(),
                    (*zero_below, *full_from),
                    max,
                    answer,
                );
            }
            // A product too large for a decimal is far above `max`: the cap.
            (Rule::PerItem { per }, Input::Count(count)) => {
                let raw = per.checked_mul(*count).unwrap_or(Decimal::MAX);
                (raw, Detail::Raw(raw))
            }
            (Rule::Formula(rule), Input::Variables { choice, values }) => {
                return score_formula(rule, max, *choice, values);
            }
            _ => return Err(mismatch()),
        };
        Ok((Outcome::Points(clamp(points, max)), detail))
    }

    /// The points of a formula with refs (SPEC §11.3) at one stage: `input` is the entry's
    /// (`None` for a derived item, which has no variables), `refs` the referenced nodes'
    /// points at that stage, in the order of [`FormulaRule::refs`]. Any other rule scores
    /// `input` as [`Rule::score`] does.
    pub fn score_with_refs(&self, max: Decimal, input: Option<&Input>, refs: &[Decimal]) -> Result<Outcome, RuleError> {
        self.evaluate_with_refs(max, input, refs).map(|(outcome, _)| outcome)
    }

    pub(crate) fn evaluate_with_refs(
        &self,
        max: Decimal,
        input: Option<&Input>,
        refs: &[Decimal],
    ) -> Result<(Outcome, Detail), RuleError> {
        match (self, input) {
            (Rule::Formula(rule), Some(Input::Variables { choice, values })) => {
                score_formula_refs(rule, max, *choice, values, refs)
            }
            (Rule::Formula(rule), None) => score_formula_refs(rule, max, 0, &[], refs),
            (_, Some(input)) => self.evaluate(max, input),
            (_, None) => Err(RuleError::new(Code::InputType, "this item needs an input")),
        }
    }

    /// Checks points given directly (SPEC §6.3): within `[0, max]`, a multiple of a manual
    /// rule's step, and one that a `yes_no`, `options`, `bands` or `deadline` rule can produce.
    pub fn check_points(&self, max: Decimal, points: Decimal) -> Result<(), RuleError> {
        if points.is_sign_negative() && !points.is_zero() {
            return Err(RuleError::new(Code::PointsNegative, format!("points {points} are below 0")));
        }
        if points > max {
            return Err(RuleError::new(Code::PointsOverMax, format!("points {points} are above the maximum {max}")));
        }
        if let Some(attainable) = self.attainable_points(max) {
            if !attainable.contains(&points) {
                let list: Vec<String> = attainable.iter().map(Decimal::to_string).collect();
                return Err(RuleError::new(
                    Code::PointsNotAttainable,
                    format!(
                        "points {points} cannot be earned under this {} rule: it gives {}",
                        self.kind_name(),
                        list.join(", ")
                    ),
                ));
            }
        }
        if let Rule::Manual { step: Some(step) } = self
            && !step.is_zero()
            && !points.checked_rem(*step).is_some_and(|r| r.is_zero())
        {
            return Err(RuleError::new(
                Code::StepMismatch,
                format!("points {points} are not a multiple of the step {step}"),
            ));
        }
        Ok(())
    }

    /// The only points a rule can give, for the kinds that have a finite set (`yes_no`,
    /// `options`, `bands`, `deadline`); `None` for the others.
    pub fn attainable_points(&self, max: Decimal) -> Option<Vec<Decimal>> {
        let mut set = match self {
            Rule::YesNo => vec![max, Decimal::ZERO],
            Rule::Options { options } => options.iter().map(|o| o.points).collect(),
            Rule::Bands { bands, otherwise, .. } => bands.iter().map(|b| b.points).chain([*otherwise]).collect(),
            Rule::Deadline { late_points, .. } => vec![max, *late_points, Decimal::ZERO],
            _ => return None,
        };
        for p in &mut set {
            *p = clamp(*p, max).normalize();
        }
        set.sort_unstable_by(|a, b| b.cmp(a));
        set.dedup();
        Some(set)
    }
}

/// The value to compare with bands, or `None` when a ratio's denominator is 0.
fn measured(kind: BandInput, input: &Input) -> Result<Option<Measured>, RuleError> {
    match (kind, input) {
        (BandInput::Ratio, Input::Ratio { numerator, denominator }) => {
            if denominator.is_zero() {
                Ok(None)
            } else {
                Ok(Some(Measured::Ratio { numerator: *numerator, denominator: *denominator }))
            }
        }
        (BandInput::Percent | BandInput::Number, Input::Value(v)) | (BandInput::Count, Input::Count(v)) => {
            Ok(Some(Measured::Plain(*v)))
        }
        _ => Err(RuleError::new(Code::InputType, format!("this rule reads a {}", kind.as_str()))),
    }
}

pub(crate) fn unknown_option<'a>(key: &str, keys: impl Iterator<Item = &'a str>) -> RuleError {
    let keys: Vec<&str> = keys.collect();
    RuleError::new(Code::UnknownOption, format!("'{key}' is not an option here; the options are: {}", keys.join(", ")))
}

fn score_survey(
    weights: Option<&[(String, Decimal)]>,
    scale: Option<&Scale>,
    max: Decimal,
    answer: &SurveyAnswer,
) -> Result<(Outcome, Detail), RuleError> {
    let (points, detail) = match answer {
        SurveyAnswer::Counts(_) | SurveyAnswer::Mean(_) => {
            let Some((numerator, denominator)) = survey_fraction(weights, scale, answer)? else {
                return Ok((Outcome::NotArising, Detail::NotArising));
            };
            let raw = div(mul(max, numerator)?, denominator)?;
            let detail = match answer {
                SurveyAnswer::Counts(_) => Detail::SurveyCounts { weighted: numerator, answers: denominator, raw },
                _ => Detail::Raw(raw),
            };
            (raw, detail)
        }
        SurveyAnswer::Score(score) => {
            let raw = mul(max, *score)?;
            (raw, Detail::Raw(raw))
        }
        SurveyAnswer::Groups(_) => {
            return Err(RuleError::new(Code::InputType, "this survey item has no respondent groups"));
        }
    };
    Ok((Outcome::Points(clamp(points, max)), detail))
}

/// A survey answer as an exact fraction `numerator / denominator` of the maximum
/// (denominator > 0), or `None` when it has no answers.
fn survey_fraction(
    weights: Option<&[(String, Decimal)]>,
    scale: Option<&Scale>,
    answer: &SurveyAnswer,
) -> Result<Option<(Decimal, Decimal)>, RuleError> {
    match answer {
        SurveyAnswer::Counts(counts) => {
            let Some(weights) = weights else {
                return Err(RuleError::new(
                    Code::InputType,
                    "this survey item has no answer weights: give a \"mean\" or a \"score\"",
                ));
            };
            let mut weighted = Decimal::ZERO;
            let mut total = Decimal::ZERO;
            for (key, count) in counts {
                let Some((_, w)) = weights.iter().find(|(k, _)| k == key) else {
                    return Err(unknown_option(key, weights.iter().map(|(k, _)| k.as_str())));
                };
                weighted = weighted.checked_add(mul(*w, *count)?).ok_or_else(overflow)?;
                total = total.checked_add(*count).ok_or_else(overflow)?;
            }
            Ok((!total.is_zero()).then_some((weighted, total)))
        }
        SurveyAnswer::Mean(mean) => {
            let Some(scale) = scale else {
                return Err(RuleError::new(
                    Code::InputType,
                    "this survey item has no \"scale\": give answer \"counts\" or a \"score\"",
                ));
            };
            if *mean < scale.min || *mean > scale.max {
                return Err(RuleError::new(
                    Code::InputType,
                    format!("the mean {mean} is outside the scale {}–{}", scale.min, scale.max),
                ));
            }
            let sub = |a: Decimal, b: Decimal| a.checked_sub(b).ok_or_else(overflow);
            Ok(Some((sub(*mean, scale.min)?, sub(scale.max, scale.min)?)))
        }
        SurveyAnswer::Score(score) => Ok(Some((*score, Decimal::ONE))),
        SurveyAnswer::Groups(_) => Err(RuleError::new(Code::InputType, "respondent groups cannot nest")),
    }
}

/// Each respondent group's score (a fraction in `[0, 1]`, `None` for a group with no answers)
/// with its weight, in the rule's order (SPEC §11.4); for explanations.
pub fn score_survey_groups(rule: &Rule, answer: &SurveyAnswer) -> Vec<(String, Decimal, Option<Decimal>)> {
    let (Rule::Survey { weights, scale, groups: Some(groups), .. }, SurveyAnswer::Groups(given)) = (rule, answer)
    else {
        return Vec::new();
    };
    groups
        .iter()
        .map(|(name, w)| {
            let score = given
                .iter()
                .find(|(g, _)| g == name)
                .and_then(|(_, a)| survey_fraction(weights.as_deref(), scale.as_ref(), a).ok().flatten())
                .and_then(|(n, d)| n.checked_div(d));
            (name.clone(), *w, score)
        })
        .collect()
}

/// A survey with respondent groups and/or `zero_below` / `full_from` (SPEC §11.4). The score
/// is kept as one exact fraction `N / D` and divided once, last: `max × N ÷ D`.
fn score_survey_v2(
    weights: Option<&[(String, Decimal)]>,
    scale: Option<&Scale>,
    groups: Option<&[(String, Decimal)]>,
    (zero_below, full_from): (Option<Decimal>, Option<Decimal>),
    max: Decimal,
    answer: &SurveyAnswer,
) -> Result<(Outcome, Detail), RuleError> {
    let fraction = match (groups, answer) {
        (Some(groups), SurveyAnswer::Groups(given)) => {
            // Σ w_g × n_g / d_g ÷ Σ w_g over the groups with answers, as one fraction.
            let mut num = Decimal::ZERO;
            let mut den = Decimal::ONE;
            let mut wsum = Decimal::ZERO;
            let mut any = false;
            for (name, w) in groups {
                let Some((_, a)) = given.iter().find(|(g, _)| g == name) else { continue };
                let Some((n, d)) = survey_fraction(weights, scale, a)? else { continue };
                // num/den + w·n/d = (num·d + w·n·den) / (den·d)
                num = num
                    .checked_mul(d)
                    .and_then(|x| x.checked_add(mul(mul(*w, n).ok()?, den).ok()?))
                    .ok_or_else(overflow)?;
                den = mul(den, d)?;
                wsum = wsum.checked_add(*w).ok_or_else(overflow)?;
                any = true;
            }
            if !any {
                return Ok((Outcome::NotArising, Detail::NotArising));
            }
            (num, mul(den, wsum)?)
        }
        (Some(_), _) => {
            return Err(RuleError::new(Code::InputType, "this survey item merges respondent groups: give \"groups\""));
        }
        (None, SurveyAnswer::Groups(_)) => {
            return Err(RuleError::new(Code::InputType, "this survey item has no respondent groups"));
        }
        (None, a) => match survey_fraction(weights, scale, a)? {
            Some(f) => f,
            None => return Ok((Outcome::NotArising, Detail::NotArising)),
        },
    };
    let (n, d) = fraction;
    if let Some(z) = zero_below
        && n < mul(z, d)?
    {
        return Ok((Outcome::Points(Decimal::ZERO), Detail::ZeroBelow));
    }
    if let Some(f) = full_from
        && n >= mul(f, d)?
    {
        return Ok((Outcome::Points(max), Detail::FullFrom));
    }
    let raw = div(mul(max, n)?, d)?;
    Ok((Outcome::Points(clamp(raw, max)), Detail::Raw(raw)))
}

/// Scores a formula whose expression also reads refs (SPEC §11.3): `values` are the
/// variables' (empty for a derived item), `refs` the referenced nodes' points at the stage.
pub(crate) fn score_formula_refs(
    rule: &FormulaRule,
    max: Decimal,
    choice: usize,
    values: &[Option<Decimal>],
    refs: &[Decimal],
) -> Result<(Outcome, Detail), RuleError> {
    let mut all: Vec<Option<Decimal>> = Vec::with_capacity(values.len() + refs.len());
    all.extend_from_slice(values);
    all.resize(rule.variables.len(), None);
    all.extend(refs.iter().copied().map(Some));
    score_formula(rule, max, choice, &all)
}

fn score_formula(
    rule: &FormulaRule,
    max: Decimal,
    choice: usize,
    values: &[Option<Decimal>],
) -> Result<(Outcome, Detail), RuleError> {
    let Some(formula) = rule.formulas.get(choice) else {
        return Err(RuleError::new(Code::InputType, "no such formula choice"));
    };
    let mut slots = Vec::with_capacity(values.len());
    let mut missing = Vec::new();
    let referenced = formula.referenced_slots();
    for (slot, value) in values.iter().enumerate() {
        match value {
            Some(v) => slots.push(*v),
            None => {
                if referenced.contains(&slot)
                    && let Some((name, _)) = rule.variables.get(slot)
                {
                    missing.push(name.as_str());
                }
                slots.push(Decimal::ZERO);
            }
        }
    }
    if !missing.is_empty() {
        return Err(RuleError::new(
            Code::FormulaMissingVariable,
            format!("the formula needs a value for: {}", missing.join(", ")),
        ));
    }
    match formula.evaluate(&slots, max) {
        Ok(v) => Ok((Outcome::Points(clamp(v, max)), Detail::Raw(v))),
        Err(EvalError::DivisionByZero) => Ok((Outcome::NotArising, Detail::NotArising)),
        Err(e) => Err(RuleError::new(Code::InputType, format!("the formula cannot be evaluated: {e}"))),
    }
}
