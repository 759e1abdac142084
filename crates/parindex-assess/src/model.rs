//! The assessment document's model (SPEC §6), after loading and checking.

use std::collections::BTreeMap;

use parindex_core::rule::Outcome;
use parindex_core::{Decimal, Input, NodeId, SurveyAnswer};

pub use crate::lists::{Adjustment, AdjustmentList, Evidence, EvidenceList};
use crate::timestamp::Timestamp;

/// One unit's assessment, checked against its criteria set.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The unit's id.
    pub unit: String,
    /// The self-assessment (tự đánh giá), if the unit submitted one.
    pub self_stage: Option<SelfStage>,
    /// The appraisal stages (thẩm định), ordered by ascending stage number.
    pub appraisals: Vec<Appraisal>,
    /// The unit's explanations (giải trình), by leaf.
    pub explanations: BTreeMap<NodeId, Explanation>,
    /// Survey results, by survey leaf.
    pub survey: BTreeMap<NodeId, SurveyResult>,
    /// A cap on the unit's class set by the evaluator.
    pub class_cap: Option<ClassCap>,
}

/// The self-assessment stage.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfStage {
    /// When it was submitted (chốt).
    pub submitted_at: Option<Timestamp>,
    /// Entries by leaf.
    pub entries: BTreeMap<NodeId, Entry>,
    /// Bonus points claimed (điểm thưởng).
    pub bonus: AdjustmentList,
    /// Penalty points (điểm trừ).
    pub penalty: AdjustmentList,
}

/// One appraisal stage by the council.
#[derive(Debug, Clone, PartialEq)]
pub struct Appraisal {
    /// The stage number (1, 2, …).
    pub stage: u32,
    /// Whether this stage is final (kết quả thẩm định cuối cùng).
    pub is_final: bool,
    /// The items this stage changes; the rest carry over.
    pub entries: BTreeMap<NodeId, Entry>,
    /// A bonus list that replaces the earlier one, if given.
    pub bonus: Option<AdjustmentList>,
    /// A penalty list that replaces the earlier one, if given.
    pub penalty: Option<AdjustmentList>,
}

/// One entry for one leaf at one stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What the entry says and what it is worth.
    pub value: EntryValue,
    /// Supporting documents (tài liệu kiểm chứng).
    pub evidence: EvidenceList,
    /// Free text.
    pub note: Option<String>,
    /// Why an appraisal changed the item.
    pub reason: Option<String>,
    /// Whether the council asks the unit to explain (yêu cầu giải trình).
    pub explain: bool,
    /// The appraising agency that made the entry (`by`, written by the API server for a
    /// field-scoped appraiser; absent otherwise).
    pub by: Option<String>,
}

/// What an entry says about its leaf.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryValue {
    /// "Nothing arose this year" (không phát sinh), declared.
    NotArising,
    /// A score: from `input`, from `points`, or both.
    Scored {
        /// The facts, typed for the rule.
        input: Option<Input>,
        /// Points given directly.
        given_points: Option<Decimal>,
        /// What the entry is worth: the input's outcome when there is an input, else the
        /// given points.
        outcome: Outcome,
    },
}

impl EntryValue {
    /// What the entry yields before the leaf's "nothing arose" policy is applied.
    pub fn outcome(&self) -> Outcome {
        match self {
            EntryValue::NotArising => Outcome::NotArising,
            EntryValue::Scored { outcome, .. } => *outcome,
        }
    }
}

/// A unit's answer to an explanation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The answer.
    pub note: Option<String>,
    /// Extra documents.
    pub evidence: EvidenceList,
}

/// One survey leaf's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyResult {
    /// As given.
    pub answer: SurveyAnswer,
    /// What it yields: `max × score`, or nothing arose (no answers).
    pub outcome: Outcome,
}

/// A cap on a unit's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassCap {
    /// A class label of the unit's block.
    pub label: String,
    /// The stated reason.
    pub reason: String,
}

impl Assessment {
    /// The unit's status (SPEC §6.1): `final`, `appraised`, `self_assessed`.
    pub fn status(&self) -> crate::result::Status {
        use crate::result::Status;
        match self.appraisals.last() {
            Some(a) if a.is_final => Status::Final,
            Some(_) => Status::Appraised,
            None if self.self_stage.is_some() => Status::SelfAssessed,
            None => Status::NotSubmitted,
        }
    }

    /// The entry in effect for `leaf` after every stage (the latest stage that has one).
    pub fn final_entry(&self, leaf: NodeId) -> Option<&Entry> {
        self.appraisals
            .iter()
            .rev()
            .find_map(|a| a.entries.get(&leaf))
            .or_else(|| self.self_stage.as_ref().and_then(|s| s.entries.get(&leaf)))
    }

    /// The self entry for `leaf`.
    pub fn self_entry(&self, leaf: NodeId) -> Option<&Entry> {
        self.self_stage.as_ref().and_then(|s| s.entries.get(&leaf))
    }

    /// The bonus list in effect after every stage.
    pub fn final_bonus(&self) -> &AdjustmentList {
        self.appraisals
            .iter()
            .rev()
            .find_map(|a| a.bonus.as_ref())
            .or_else(|| self.self_stage.as_ref().map(|s| &s.bonus))
            .unwrap_or(&EMPTY)
    }

    /// The penalty list in effect after every stage.
    pub fn final_penalty(&self) -> &AdjustmentList {
        self.appraisals
            .iter()
            .rev()
            .find_map(|a| a.penalty.as_ref())
            .or_else(|| self.self_stage.as_ref().map(|s| &s.penalty))
            .unwrap_or(&EMPTY)
    }
}

/// The list in effect when no stage gives one.
static EMPTY: AdjustmentList = AdjustmentList::EMPTY;

impl Assessment {}
