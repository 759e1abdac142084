//! The results document, SPEC §9.

use schemars::JsonSchema;

use super::common::DecimalString;

/// A round's published results.
#[derive(JsonSchema)]
#[schemars(title = "parindex results (parindex/results@1)")]
pub struct ResultsDoc {
    /// Always "parindex/results@1".
    #[schemars(extend("const" = "parindex/results@1"))]
    pub format: String,
    /// The round's id.
    pub round: String,
    /// The engine that produced the results.
    pub engine: Option<Engine>,
    /// Every file the round was scored from: path in the round folder → SHA-256 (hex) of
    /// its bytes as read.
    pub inputs: Option<std::collections::BTreeMap<String, String>>,
    /// The round id of the results compared with (`score --previous`).
    pub previous_round: Option<String>,
    /// "parindex/explain@1" when every leaf carries an explanation (`score --explain`).
    pub explain_format: Option<String>,
    /// Each block's ranked table, in the round's order.
    pub blocks: Vec<BlockResults>,
}

/// The engine that produced a results document.
#[derive(JsonSchema)]
pub struct Engine {
    /// Always "parindex".
    pub name: String,
    /// The engine's version.
    pub version: String,
}

/// A unit's figures in the previous round (`score --previous`).
#[derive(JsonSchema)]
pub struct Previous {
    /// Its index then, as published.
    pub index: DecimalString,
    /// Its rank then; null when it was not ranked.
    pub rank: Option<u32>,
}

/// What changed since the previous round.
#[derive(JsonSchema)]
pub struct Change {
    /// This index minus the previous one.
    pub index: DecimalString,
    /// The previous rank minus this rank (positive: climbed); null when either is missing.
    pub rank: Option<i64>,
}

/// One block's ranked table.
#[derive(JsonSchema)]
pub struct BlockResults {
    /// The block's id.
    pub id: String,
    /// Units by rank, then id; unranked units last.
    pub units: Vec<UnitRow>,
}

/// Where a unit is in the process.
#[derive(JsonSchema)]
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

/// One unit's row.
#[derive(JsonSchema)]
pub struct UnitRow {
    /// The unit's id.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: Status,
    /// Its rank; null when not ranked.
    pub rank: Option<u32>,
    /// Its class; null when no band applies.
    pub class: Option<String>,
    /// The index (%).
    pub index: DecimalString,
    /// Points achieved.
    pub total: DecimalString,
    /// Applicable maximum.
    pub max: DecimalString,
    /// Σ self points.
    pub self_total: DecimalString,
    /// Σ appraised points of assessed leaves.
    pub appraised_total: DecimalString,
    /// Σ survey points.
    pub survey_total: DecimalString,
    /// Effective bonus.
    pub bonus: DecimalString,
    /// Effective penalty.
    pub penalty: DecimalString,
    /// Last round's index and rank; null for a unit new this round.
    pub previous: Option<Previous>,
    /// The change since last round; null for a unit new this round.
    pub change: Option<Change>,
    /// Every node, in document order.
    pub nodes: Vec<NodeRow>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// With `score --explain`: the arithmetic of the totals, the index and the class
    /// (docs/explain-format.md).
    pub explain: Option<serde_json::Value>,
}

/// One node's figures; an excluded node has only `code` and `excluded`.
#[derive(JsonSchema)]
pub struct NodeRow {
    /// The criterion code.
    pub code: String,
    /// The node does not count for this unit.
    pub excluded: Option<bool>,
    /// Points.
    pub points: Option<DecimalString>,
    /// Applicable maximum.
    pub max: Option<DecimalString>,
    /// Points ÷ max × 100.
    pub index: Option<DecimalString>,
    /// Self points (assessed leaves).
    #[serde(rename = "self")]
    pub self_: Option<DecimalString>,
    /// With `score --explain`: how the leaf's points arose (docs/explain-format.md).
    pub explain: Option<serde_json::Value>,
}

/// Something reported about a scored unit.
#[derive(JsonSchema)]
pub struct Finding {
    /// missing_entry, missing_survey, points_mismatch, no_evidence or late_submission.
    pub code: String,
    /// The criterion.
    pub criterion: Option<String>,
    /// What was found.
    pub message: String,
}
