//! The store keys and kinds of the API's documents.

/// The round document.
pub const ROUND: &str = "round";
/// A criteria set of a round (its subject is its path in the round folder).
pub const CRITERIA: &str = "criteria";
/// The self-assessment window: `{"open": bool, "until": date|null}`.
pub const WINDOW: &str = "window";
/// A unit's self-assessment draft.
pub const SELF_DRAFT: &str = "self-draft";
/// A unit's submitted self-assessment (SPEC §6 `self`).
pub const SELF: &str = "self";
/// One appraisal stage (SPEC §6 `appraisals[]`).
pub const APPRAISAL: &str = "appraisal";
/// A unit's explanations (SPEC §6 `explanations`).
pub const EXPLANATIONS: &str = "explanations";
/// A unit's survey results (SPEC §6 `survey`).
pub const SURVEY: &str = "survey";
/// A unit's class cap (SPEC §6 `class_cap`).
pub const CLASS_CAP: &str = "class-cap";

/// A round's workflow (issue 13): agencies and scopes, windows, evidence limits.
pub const WORKFLOW: &str = "workflow";
/// Which agencies are done with an appraisal stage of a unit, and a forced finalisation.
pub const PROGRESS: &str = "appraisal-progress";
/// An admin's reopening of one unit's self-assessment: `{"until", "reason", …}`.
pub const SELF_REOPEN: &str = "self-reopen";
/// What was done to a unit's self-assessment by an admin, for the unit to read.
pub const NOTICES: &str = "notices";

/// `rounds/{round}/workflow`.
pub fn workflow(round: &str) -> String {
    format!("rounds/{round}/workflow")
}

/// `rounds/{round}/units/{unit}/appraisals/{stage}/progress`.
pub fn progress(round: &str, unit: &str, stage: i64) -> String {
    format!("rounds/{round}/units/{unit}/appraisals/{stage}/progress")
}

/// `rounds/{round}`.
pub fn round(round: &str) -> String {
    format!("rounds/{round}")
}

/// `rounds/{round}/window`.
pub fn window(round: &str) -> String {
    format!("rounds/{round}/window")
}

/// `rounds/{round}/criteria/{path}`.
pub fn criteria(round: &str, path: &str) -> String {
    format!("rounds/{round}/criteria/{path}")
}

/// `rounds/{round}/units/{unit}/{part}`.
pub fn unit(round: &str, unit: &str, part: &str) -> String {
    format!("rounds/{round}/units/{unit}/{part}")
}

/// `rounds/{round}/units/{unit}/appraisals/{stage}`.
pub fn stage(round: &str, unit: &str, stage: i64) -> String {
    format!("rounds/{round}/units/{unit}/appraisals/{stage}")
}

/// The key of a unit's document of `kind` (`stage` for an appraisal stage, else unused).
pub fn unit_doc(round: &str, unit_id: &str, kind: &str, stage_number: i64) -> String {
    match kind {
        APPRAISAL => stage(round, unit_id, stage_number),
        PROGRESS => progress(round, unit_id, stage_number),
        _ => unit(round, unit_id, kind),
    }
}
