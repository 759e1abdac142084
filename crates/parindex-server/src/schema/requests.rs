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
    /// true: finalise although some appraising agency is not done (needs `reason`).
    pub force: Option<bool>,
    /// Why the stage is forced (recorded with the stage's progress and in the audit log).
    pub reason: Option<String>,
}

/// `POST …/appraisals/{stage}/finalise` also takes `force` and `reason` (see `Finalise`'s
/// fields); `POST …/appraisals/{stage}/done` (an appraising agency).
#[derive(JsonSchema)]
pub struct Done {
    /// true (default): the agency's scope of the stage is done; false takes it back.
    pub done: Option<bool>,
}

/// `POST …/self-assessment/reopen` (admin).
#[derive(JsonSchema)]
pub struct Reopen {
    /// The unit may save and submit until this day (UTC+07:00).
    pub until: DateText,
    /// Why (shown to the unit, kept in the audit log).
    pub reason: String,
}

/// `POST …/self-assessment/unsubmit` (admin).
#[derive(JsonSchema)]
pub struct Reason {
    /// Why (shown to the unit, kept in the audit log).
    pub reason: String,
}

/// One appraising agency of a round's workflow.
#[derive(JsonSchema)]
pub struct WorkflowAgency {
    /// Its name, e.g. "Sở Tư pháp".
    pub name: String,
    /// Block id → codes of the criteria subtrees it appraises in that block.
    pub scopes: BTreeMap<String, Vec<String>>,
}

/// A window: both days included, UTC+07:00.
#[derive(JsonSchema)]
pub struct WorkflowSpan {
    /// The first day.
    pub open: Option<DateText>,
    /// The last day.
    pub until: Option<DateText>,
}

/// The windows of a round's stages.
#[derive(JsonSchema)]
pub struct WorkflowWindows {
    /// Self-assessment (drafts and submission).
    pub self_assessment: Option<WorkflowSpan>,
    /// Appraisal stage number → its window.
    pub appraisal: Option<BTreeMap<String, WorkflowSpan>>,
    /// Explanations.
    pub explanations: Option<WorkflowSpan>,
}

/// The limits on evidence files.
#[derive(JsonSchema)]
pub struct WorkflowEvidence {
    /// The largest file in bytes (default 20 MiB).
    pub max_file_bytes: Option<u64>,
    /// What one unit's files may take together, in bytes (default 200 MiB).
    pub unit_quota_bytes: Option<u64>,
}

/// `PUT /v1/rounds/{round}/workflow` (admin): each field given replaces the stored one.
#[derive(JsonSchema)]
pub struct Workflow {
    /// Agency id (the `<agency>` of `appraiser:<agency>` tokens) → name and scopes.
    pub appraisers: Option<BTreeMap<String, WorkflowAgency>>,
    /// The windows.
    pub windows: Option<WorkflowWindows>,
    /// The evidence limits.
    pub evidence: Option<WorkflowEvidence>,
}

/// `POST …/evidence`: the file's bytes (PDF, image or Office document).
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct EvidenceFile(#[schemars(extend("contentMediaType" = "application/octet-stream"))] pub String);

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

/// 422: every problem (SPEC §10), the first 10,000 in full.
#[derive(JsonSchema)]
pub struct Errors {
    /// The problems: the first 10,000 found.
    pub errors: Vec<Problem>,
    /// The problems found past the first 10,000, not listed: how many of each code
    /// (`{"unknown_criterion": 500}`). Absent when every problem is listed.
    #[schemars(extend("minProperties" = 1))]
    pub omitted: Option<BTreeMap<String, u64>>,
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
