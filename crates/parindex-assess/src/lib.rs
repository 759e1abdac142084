//! Assessments (phiếu chấm) and one unit's result, for parindex, the PAR Index scoring engine.
//!
//! An [`Assessment`] holds one unit's self-assessment (tự đánh giá) with evidence, the
//! appraisal council's stages (thẩm định lần 1, lần 2), the unit's explanations (giải trình),
//! survey results (điều tra xã hội học), bonus and penalty points and a class cap (SPEC §6).
//! [`Assessment::from_json`] checks it against the unit's criteria set, reporting every
//! problem at once; [`score_unit`] then computes the unit's exact, unrounded result (§8
//! steps 1–6) with its findings, and [`explain_unit`] computes the same result with an
//! explanation of every leaf's points.

mod edit;
mod explain;
mod lists;
mod load;
mod model;
mod read;
mod result;
mod score;
mod stages;
mod timestamp;

pub use edit::StageRef;
pub use explain::{
    AdjustmentItem, AdjustmentTrace, AppliesToTrace, EXPLAIN_FORMAT, EvidenceTrace, ExplanationTrace, LeafExplanation,
    StageLabel, StageTrace, SurveyStage, UnitExplanation, explain_unit,
};
pub use load::FORMAT;
pub use model::{
    Adjustment, AdjustmentList, Appraisal, Assessment, ClassCap, Entry, EntryValue, Evidence, EvidenceList,
    Explanation, SelfStage, SurveyResult,
};
pub use result::{Finding, NodeResult, Status, UnitResult, index_of};
pub use score::{UnitContext, score_unit};
pub use timestamp::Timestamp;
