//! The assessment document (phiếu chấm), SPEC §6.

use std::collections::BTreeMap;

use schemars::JsonSchema;

use super::common::{Adjustment, Decimal, Evidence};

/// One unit's assessment: self-assessment, appraisal stages, explanations, survey, class cap.
#[derive(JsonSchema)]
#[schemars(rename = "Assessment", title = "parindex assessment (parindex/assessment@1)")]
pub struct AssessmentDoc {
    /// Always "parindex/assessment@1".
    #[schemars(extend("const" = "parindex/assessment@1"))]
    pub format: String,
    /// The unit's id.
    pub unit: String,
    /// The self-assessment (tự đánh giá).
    #[serde(rename = "self")]
    pub self_: Option<SelfStage>,
    /// Appraisal stages (thẩm định), by ascending stage.
    pub appraisals: Option<Vec<Appraisal>>,
    /// The unit's explanations (giải trình), by leaf code.
    pub explanations: Option<BTreeMap<String, Explanation>>,
    /// Survey results, by survey leaf code.
    pub survey: Option<BTreeMap<String, SurveyResult>>,
    /// The evaluator's cap on the unit's class.
    pub class_cap: Option<ClassCap>,
}

/// The self-assessment. In the API, `submitted_at` is set by the server at submission.
#[derive(JsonSchema)]
pub struct SelfStage {
    /// When it was submitted (RFC 3339).
    #[schemars(extend("format" = "date-time"))]
    pub submitted_at: Option<String>,
    /// Entries by leaf code.
    pub entries: Option<BTreeMap<String, Entry>>,
    /// Bonus items.
    pub bonus: Option<Vec<Adjustment>>,
    /// Penalty items.
    pub penalty: Option<Vec<Adjustment>>,
}

/// An entry for one leaf: `input`, `points`, or both; or `not_arising`.
#[derive(JsonSchema)]
pub struct Entry {
    /// The facts, shaped for the leaf's rule: a bool, an option key, a decimal, a
    /// `{numerator, denominator}`, a date or null, or an object of named decimals.
    pub input: Option<serde_json::Value>,
    /// Points given directly.
    pub points: Option<Decimal>,
    /// For a formula rule with choices: the choice's name.
    pub choice: Option<String>,
    /// "Nothing arose this year" (không phát sinh).
    pub not_arising: Option<bool>,
    /// Free text.
    pub note: Option<String>,
    /// Evidence.
    pub evidence: Option<Vec<Evidence>>,
    /// Appraisal entries: why the points differ from before.
    pub reason: Option<String>,
    /// Appraisal entries: the unit must explain (yêu cầu giải trình).
    pub explain: Option<bool>,
    /// Appraisal entries: the appraising agency that made the entry (written by the API
    /// server for a field-scoped appraiser token `appraiser:<agency>`).
    pub by: Option<String>,
}

/// An appraisal stage.
#[derive(JsonSchema)]
pub struct Appraisal {
    /// 1, 2, …
    #[schemars(range(min = 1))]
    pub stage: u32,
    /// The unit's appraisal is final.
    #[serde(rename = "final")]
    pub final_: Option<bool>,
    /// The entries this stage changes.
    pub entries: Option<BTreeMap<String, Entry>>,
    /// Replaces the bonus list.
    pub bonus: Option<Vec<Adjustment>>,
    /// Replaces the penalty list.
    pub penalty: Option<Vec<Adjustment>>,
}

/// The unit's answer to an explanation request: notes and evidence, never points.
#[derive(JsonSchema)]
pub struct Explanation {
    /// The explanation.
    pub note: Option<String>,
    /// Evidence.
    pub evidence: Option<Vec<Evidence>>,
}

/// A survey leaf's result: exactly one of counts, mean, score.
#[derive(JsonSchema)]
pub struct SurveyResult {
    /// Answer key → number of answers.
    pub counts: Option<BTreeMap<String, Decimal>>,
    /// The mean answer on the rule's scale.
    pub mean: Option<Decimal>,
    /// A score in [0, 1].
    pub score: Option<Decimal>,
    /// For a rule with respondent groups (SPEC §11.4): each group's result, in one of the
    /// three forms above.
    pub groups: Option<BTreeMap<String, SurveyResult>>,
}

/// A cap on the unit's class, or null: none (also the body of `PUT …/class-cap`).
#[derive(JsonSchema)]
#[schemars(extend("type" = ["object", "null"]))]
pub struct ClassCap {
    /// One of the block's class labels.
    pub label: String,
    /// Why.
    pub reason: Option<String>,
}
