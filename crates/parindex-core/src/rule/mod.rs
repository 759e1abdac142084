//! The rule kinds of SPEC §4: what a leaf's rule is, and how it turns an input into points.
//!
//! Every rule yields points in `[0, max]` or says that nothing arose (§6.4). Arithmetic
//! divides once, last (§2), and compares ratios with band bounds exactly.

mod describe;
mod load;
mod read_input;
mod score;
mod trace;

pub use load::{load_rule, load_rule_version};
pub use read_input::{read_input, read_survey};
pub use score::{DeadlineResult, score_survey_groups};
pub use trace::{BandTrace, Measure, RuleStep, RuleTrace, SurveyGroupTrace, SurveyTrace, input_json};

use rust_decimal::Decimal;

use crate::formula::Formula;
use crate::input::Date;

/// A leaf's rule (SPEC §4).
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// The entry gives points directly; if `step` is set, points are a multiple of it.
    Manual {
        /// The granularity of points (e.g. 0.25).
        step: Option<Decimal>,
    },
    /// Done → max, not done → 0.
    YesNo,
    /// A choice among labelled options, each worth fixed points.
    Options {
        /// The options, in document order.
        options: Vec<OptionItem>,
    },
    /// The band whose interval holds the value gives the points.
    Bands {
        /// What the value is.
        input: BandInput,
        /// Non-overlapping intervals.
        bands: Vec<Band>,
        /// Points for a value that no band covers.
        otherwise: Decimal,
    },
    /// `max × value / 100`, clamped, with optional thresholds.
    Proportional {
        /// Percent or ratio.
        input: ProportionalInput,
        /// A percent below which the points are 0.
        zero_below: Option<Decimal>,
        /// A percent at or above which the points are `max`.
        full_from: Option<Decimal>,
    },
    /// `max − per × count`, floored at 0.
    Deduction {
        /// Points lost per occurrence.
        per: Decimal,
    },
    /// On time → max; within the grace period → `late_points`; later or not done → 0.
    Deadline {
        /// The due date.
        due: Date,
        /// Points when late but within the grace period.
        late_points: Decimal,
        /// Days after `due` that still earn `late_points`.
        grace_days: u32,
    },
    /// `max × score` from survey results (§6.5).
    Survey {
        /// Weight of each answer key, for answer counts.
        weights: Option<Vec<(String, Decimal)>>,
        /// The scale, for means.
        scale: Option<Scale>,
        /// Respondent groups and their weights (SPEC §11.4), in document order.
        groups: Option<Vec<(String, Decimal)>>,
        /// A score below this counts 0 (SPEC §11.4).
        zero_below: Option<Decimal>,
        /// A score at or above this counts 1 (SPEC §11.4).
        full_from: Option<Decimal>,
    },
    /// `min(per × count, max)` (SPEC §11.2).
    PerItem {
        /// Points per occurrence.
        per: Decimal,
    },
    /// The value of an expression over named variables, clamped to `[0, max]`.
    Formula(FormulaRule),
}

/// One option of an `options` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionItem {
    /// The key an entry gives (`"good"`).
    pub key: String,
    /// The label officers read (`"Tốt"`).
    pub label: String,
    /// The points it is worth.
    pub points: Decimal,
}

/// What a `bands` rule's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandInput {
    /// A percent, 0–100.
    Percent,
    /// `numerator / denominator × 100`.
    Ratio,
    /// A whole number ≥ 0.
    Count,
    /// Any decimal.
    Number,
}

impl BandInput {
    /// The name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            BandInput::Percent => "percent",
            BandInput::Ratio => "ratio",
            BandInput::Count => "count",
            BandInput::Number => "number",
        }
    }
}

/// What a `proportional` rule's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProportionalInput {
    /// A percent, 0–100.
    Percent,
    /// `numerator / denominator × 100`.
    Ratio,
}

/// One interval of a `bands` rule; a missing bound is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    /// Lower bound.
    pub from: Option<Decimal>,
    /// Upper bound.
    pub to: Option<Decimal>,
    /// Whether `from` itself is in the band (default true).
    pub from_inclusive: bool,
    /// Whether `to` itself is in the band (default false).
    pub to_inclusive: bool,
    /// The points for a value in the band.
    pub points: Decimal,
}

/// The scale of a survey mean (e.g. 1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// The lowest answer.
    pub min: Decimal,
    /// The highest answer.
    pub max: Decimal,
}

/// A `formula` rule: declared variables and one expression or a choice of expressions.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaRule {
    /// Declared variables: name and description, in document order (the slot order).
    pub variables: Vec<(String, String)>,
    /// `None` for a rule with a single `expr`; else the choice names, parallel to `formulas`.
    pub choice_names: Option<Vec<String>>,
    /// The parsed expressions: one for `expr`, one per choice for `choices`.
    pub formulas: Vec<Formula>,
    /// Names bound to the points of other nodes (SPEC §11.3), in document order; their slots
    /// follow the variables' (slot `variables.len() + i` is `refs[i]`).
    pub refs: Vec<FormulaRef>,
}

/// One `refs` entry of a formula: a name bound to another node's points at the same stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaRef {
    /// The name used in the expression.
    pub name: String,
    /// The code it names, as written.
    pub code: String,
    /// The node, resolved when the set is loaded (`None` only in a set with problems).
    pub node: Option<crate::criteria::NodeId>,
}

/// What a rule makes of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Points in `[0, max]`.
    Points(Decimal),
    /// Nothing arose (§6.4): the leaf's `not_arising` policy decides.
    NotArising,
}

/// Why an input or given points do not fit a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    /// The SPEC §10 code.
    pub code: crate::diagnostic::Code,
    /// What is wrong, in words.
    pub message: String,
}

impl RuleError {
    pub(crate) fn new(code: crate::diagnostic::Code, message: impl Into<String>) -> Self {
        RuleError { code, message: message.into() }
    }
}

impl Rule {
    /// The kind as written in documents (`"bands"`, …).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Rule::Manual { .. } => "manual",
            Rule::YesNo => "yes_no",
            Rule::Options { .. } => "options",
            Rule::Bands { .. } => "bands",
            Rule::Proportional { .. } => "proportional",
            Rule::Deduction { .. } => "deduction",
            Rule::Deadline { .. } => "deadline",
            Rule::Survey { .. } => "survey",
            Rule::Formula(_) => "formula",
            Rule::PerItem { .. } => "per_item",
        }
    }
}
