//! The criteria set document (bộ tiêu chí), SPEC §3–§5.

use std::collections::BTreeMap;

use schemars::JsonSchema;

use super::common::{DateText, Decimal};

/// A criteria set: a versioned tree of fields, criteria and sub-criteria.
#[derive(JsonSchema)]
#[schemars(title = "parindex criteria set (parindex/criteria-set@1 or @2)")]
pub struct CriteriaSetDoc {
    /// "parindex/criteria-set@1", or "parindex/criteria-set@2" for a set that uses SPEC §11.
    #[schemars(extend("enum" = ["parindex/criteria-set@1", "parindex/criteria-set@2"]))]
    pub format: String,
    /// The set's id, e.g. "so-2023".
    pub id: String,
    /// Its title, in Vietnamese.
    pub title: String,
    /// The year it applies to.
    pub year: Option<i64>,
    /// The legal basis, e.g. "QĐ số .../QĐ-UBND".
    pub basis: Option<String>,
    /// Caps for bonus and penalty points; without it, bonus and penalty are not allowed.
    pub adjustments: Option<Adjustments>,
    /// The fields (lĩnh vực), in order.
    pub nodes: Vec<Node>,
}

/// Caps for bonus and penalty points.
#[derive(JsonSchema)]
pub struct Adjustments {
    /// The most bonus points that count.
    pub bonus_max: Option<Decimal>,
    /// The most penalty points that count.
    pub penalty_max: Option<Decimal>,
}

/// A node: a group (with `children`) or a leaf (with `max` and `rule`).
#[derive(JsonSchema)]
pub struct Node {
    /// Unique code; a child's starts with its parent's and a '.'.
    pub code: String,
    /// Title in Vietnamese, kept exactly.
    pub title: String,
    /// A group's children (non-empty).
    pub children: Option<Vec<Node>>,
    /// A leaf's maximum (> 0); a group's, if given, must equal the sum of its children's.
    pub max: Option<Decimal>,
    /// A leaf's rule.
    pub rule: Option<Rule>,
    /// "assessed" (default) or "survey".
    pub source: Option<LeafSource>,
    /// Tags of which a unit must have one for the node to apply.
    pub applies_to: Option<Vec<String>>,
    /// What "nothing arose" (không phát sinh) does.
    pub not_arising: Option<NotArising>,
    /// Whether self-claimed points need evidence or a note (default true); "required"
    /// (SPEC §11.5): points count only with evidence listed.
    pub evidence: Option<Evidence>,
    /// A top-level node's part in the total (SPEC §11.1): "score" (default), "bonus" or
    /// "penalty".
    pub counts: Option<Counts>,
}

/// The `evidence` setting of a leaf.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum Evidence {
    /// true (default) or false (SPEC §3).
    Flag(bool),
    /// "required" (SPEC §11.5).
    Word(EvidenceWord),
}

/// The word "required".
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceWord {
    /// Points count only with evidence listed.
    Required,
}

/// What a top-level node's points count as (SPEC §11.1).
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Counts {
    /// Part of the score and the maximum (default).
    Score,
    /// Bonus points (điểm thưởng), outside the maximum.
    Bonus,
    /// Penalty points (điểm trừ), outside the maximum.
    Penalty,
}

/// Where a leaf's points come from.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeafSource {
    /// Self-scored, then appraised.
    Assessed,
    /// From survey results only.
    Survey,
    /// Computed from other items' points (SPEC §11.3); takes no entries.
    Derived,
    /// Scored by the appraisal council only (SPEC §11.6).
    Appraisal,
}

/// The "nothing arose" policy.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotArising {
    /// Full points.
    Full,
    /// The leaf leaves the maximum.
    Exclude,
    /// The declaration is an error (default).
    Forbidden,
}

/// A leaf's rule (SPEC §4).
#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// The entry gives points.
    Manual {
        /// Points must be a multiple of it.
        step: Option<Decimal>,
    },
    /// true → max, false → 0.
    YesNo {},
    /// One of named options.
    Options {
        /// The options.
        options: Vec<OptionItem>,
    },
    /// Points by the band that holds the value.
    Bands {
        /// "percent", "ratio", "count" or "number".
        input: BandInput,
        /// The bands, not overlapping.
        bands: Vec<Band>,
        /// Points when no band holds the value (default "0").
        otherwise: Option<Decimal>,
    },
    /// max × value / 100.
    Proportional {
        /// "percent" or "ratio".
        input: ProportionalInput,
        /// Below this percent: 0.
        zero_below: Option<Decimal>,
        /// At or above this percent: max.
        full_from: Option<Decimal>,
    },
    /// max − per × count, floored at 0.
    Deduction {
        /// Points off per occurrence.
        per: Decimal,
    },
    /// On time: max; within grace: late_points; later: 0.
    Deadline {
        /// The due date.
        due: DateText,
        /// Points when late within the grace period (default "0").
        late_points: Option<Decimal>,
        /// Days of grace (default 0).
        grace_days: Option<u32>,
    },
    /// min(per × count, max) (SPEC §11.2).
    PerItem {
        /// Points per item (> 0).
        per: Decimal,
    },
    /// max × score from survey answers (SPEC §6.5).
    Survey {
        /// Respondent group → weight, summing to 1 (SPEC §11.4).
        groups: Option<BTreeMap<String, Decimal>>,
        /// A score below this counts 0 (SPEC §11.4).
        zero_below: Option<Decimal>,
        /// A score at or above this counts 1 (SPEC §11.4).
        full_from: Option<Decimal>,
        /// Answer key → weight, for counts.
        weights: Option<BTreeMap<String, Decimal>>,
        /// The answer scale, for a mean.
        scale: Option<Scale>,
    },
    /// The value of an expression (SPEC §5), clamped to [0, max].
    Formula {
        /// The expression.
        expr: Option<String>,
        /// Named expressions; an entry names one with "choice".
        choices: Option<BTreeMap<String, String>>,
        /// Variable name → description (none for a derived item).
        variables: Option<BTreeMap<String, String>>,
        /// Name → the code of a node whose points at the same stage it stands for (SPEC §11.3).
        refs: Option<BTreeMap<String, String>>,
    },
}

/// An option of an `options` rule.
#[derive(JsonSchema)]
pub struct OptionItem {
    /// The key an entry gives.
    pub key: String,
    /// Its label, in Vietnamese.
    pub label: Option<String>,
    /// Its points.
    pub points: Decimal,
}

/// What a `bands` rule reads.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BandInput {
    /// A percent 0–100.
    Percent,
    /// {numerator, denominator}.
    Ratio,
    /// A whole number ≥ 0.
    Count,
    /// Any decimal.
    Number,
}

/// What a `proportional` rule reads.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProportionalInput {
    /// A percent 0–100.
    Percent,
    /// {numerator, denominator}.
    Ratio,
}

/// One band: an interval and its points.
#[derive(JsonSchema)]
pub struct Band {
    /// Lower bound (unbounded if absent).
    pub from: Option<Decimal>,
    /// Upper bound (unbounded if absent).
    pub to: Option<Decimal>,
    /// Default true.
    pub from_inclusive: Option<bool>,
    /// Default false.
    pub to_inclusive: Option<bool>,
    /// Points for a value in the band.
    pub points: Decimal,
}

/// A survey's answer scale.
#[derive(JsonSchema)]
pub struct Scale {
    /// The lowest answer.
    pub min: Decimal,
    /// The highest answer.
    pub max: Decimal,
}
