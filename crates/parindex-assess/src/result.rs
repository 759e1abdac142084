//! One unit's exact, unrounded result (SPEC §8 steps 1–6).

use parindex_core::rollup::NodeScore;
use parindex_core::{Code, Decimal};
use serde::{Deserialize, Serialize};

/// Where a unit is in the process (SPEC §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The last appraisal is final.
    Final,
    /// Appraised, not final.
    Appraised,
    /// Only the self-assessment.
    SelfAssessed,
    /// Nothing submitted.
    NotSubmitted,
}

impl Status {
    /// The status as written in results.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Final => "final",
            Status::Appraised => "appraised",
            Status::SelfAssessed => "self_assessed",
            Status::NotSubmitted => "not_submitted",
        }
    }
}

/// Something reported about a scored unit (SPEC §10 findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// missing_entry, missing_survey, points_mismatch, no_evidence or late_submission.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub code: Code,
    /// The criterion, if the finding concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// What was found, in words.
    pub message: String,
}

/// One node's result for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeResult {
    /// Exact points and applicable max; `None` when the node is excluded for the unit.
    pub score: Option<NodeScore>,
    /// For an applicable assessed leaf: its points at the self stage.
    pub self_points: Option<Decimal>,
}

/// One unit's exact result: nothing here is rounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    /// The unit's id.
    pub unit: String,
    /// Its status.
    pub status: Status,
    /// One result per node of the criteria set, in document order.
    pub nodes: Vec<NodeResult>,
    /// Sum of applicable leaf maxima.
    pub max: Decimal,
    /// Σ self points of assessed leaves.
    pub self_total: Decimal,
    /// Σ final points of assessed leaves.
    pub appraised_total: Decimal,
    /// Σ points of survey leaves.
    pub survey_total: Decimal,
    /// Effective bonus: min(Σ, bonus_max).
    pub bonus: Decimal,
    /// Effective penalty: min(Σ, penalty_max).
    pub penalty: Decimal,
    /// clamp(appraised + survey + bonus − penalty, 0, max).
    pub total: Decimal,
    /// What was found while scoring.
    pub findings: Vec<Finding>,
    /// The class cap the evaluator set (label and reason), if any.
    pub class_cap: Option<crate::model::ClassCap>,
}

/// `points × 100 ÷ max`, dividing last; 0 when `max` is 0.
pub fn index_of(points: Decimal, max: Decimal) -> Decimal {
    if max.is_zero() {
        return Decimal::ZERO;
    }
    points.checked_mul(Decimal::ONE_HUNDRED).and_then(|p| p.checked_div(max)).unwrap_or(Decimal::ZERO)
}

impl UnitResult {
    /// The index (chỉ số): `total × 100 ÷ max`, exact to 28 significant digits.
    pub fn index(&self) -> Decimal {
        index_of(self.total, self.max)
    }
}

impl NodeResult {
    /// The node's index, if it is not excluded.
    pub fn index(&self) -> Option<Decimal> {
        self.score.map(|s| index_of(s.points, s.max))
    }
}
