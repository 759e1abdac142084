//! The API's request bodies and error bodies.

use std::collections::BTreeMap;

use schemars::JsonSchema;

use super::assessment::{Entry, Explanation, SurveyResult};
use super::common::{Adjustment, DateText};
use super::criteria::CriteriaSetDoc;
use super::round::RoundDoc;

/// `POST /v1/rounds`.
#[derive(JsonSchema)]
pub struct CreateRound {
    /// The round document.
    pub round: RoundDoc,
    /// Each criteria set the round's blocks name, by that path.
    pub criteria_sets: BTreeMap<String, CriteriaSetDoc>,
}

/// `PUT /v1/rounds/{round}/self-assessment-window`.
#[derive(JsonSchema)]
pub struct Window {
    /// Whether units may save and submit.
    pub open: bool,
    /// Accept submissions until this date (UTC+07:00) instead of the round's deadline.
    pub until: Option<DateText>,
}

/// `PUT …/appraisals/{stage}`: the stage number comes from the URL.
#[derive(JsonSchema)]
#[schemars(rename = "AppraisalStage")]
pub struct AppraisalBody {
    /// The entries this stage changes, with `reason` where points change and
    /// `explain: true` to request an explanation.
    pub entries: Option<BTreeMap<String, Entry>>,
    /// Replaces the bonus list.
    pub bonus: Option<Vec<Adjustment>>,
    /// Replaces the penalty list.
    pub penalty: Option<Vec<Adjustment>>,
}

/// `POST …/appraisals/{stage}/finalise`.
#[derive(JsonSchema)]
pub struct Finalise {
    /// true: this is the unit's final appraisal.
    #[serde(rename = "final")]
    pub final_: Option<bool>,
}

/// `PUT …/explanations`: leaf code → explanation.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct Explanations(pub BTreeMap<String, Explanation>);

/// `PUT …/survey`: survey leaf code → result.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct Survey(pub BTreeMap<String, SurveyResult>);

/// A round exported as one JSON document: every file of its folder, by path.
#[derive(JsonSchema)]
#[schemars(title = "parindex round bundle (parindex/round-bundle@1)")]
pub struct RoundBundle {
    /// Always "parindex/round-bundle@1".
    #[schemars(extend("const" = "parindex/round-bundle@1"))]
    pub format: String,
    /// The round's id.
    pub round: String,
    /// Path in the round folder → document (round.json, criteria sets, assessments/*.json).
    pub files: BTreeMap<String, serde_json::Value>,
}

/// 422: every problem (SPEC §10).
#[derive(JsonSchema)]
pub struct Errors {
    /// The problems.
    pub errors: Vec<Problem>,
}

/// One problem (SPEC §10).
#[derive(JsonSchema)]
pub struct Problem {
    /// The SPEC §10 code.
    pub code: String,
    /// The file, relative to the round folder (absent: the request body).
    pub file: Option<String>,
    /// JSON Pointer into the request body or the file.
    pub path: String,
    /// The criterion concerned.
    pub criterion: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Every other refusal.
#[derive(JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What was refused and why.
#[derive(JsonSchema)]
pub struct ErrorDetail {
    /// The HTTP status.
    pub status: u16,
    /// A stable code, e.g. unknown_round, deadline_passed, expired_token.
    pub code: String,
    /// What is wrong.
    pub message: String,
}
