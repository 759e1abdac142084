//! Why every point is what it is: one unit's result with an explanation of each leaf
//! ([`explain_unit`]), for auditors (`parindex score --explain`, `parindex explain`).
//!
//! The explanation is recorded by the same scoring walk as [`crate::score_unit`] (see
//! `score::LeafObserver`), and each stage's rule evaluation comes from
//! [`parindex_core::Rule::explain`], which shares its code with `Rule::score`: the story and
//! the points cannot disagree. Every figure here is exact and unrounded.

use parindex_core::criteria::{Adjustments, Counts};
use parindex_core::rule::{RuleTrace, input_json};
use parindex_core::{CriteriaSet, Decimal, Input, Leaf, Node, NodeId, Source};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::model::{AdjustmentList, Assessment, Entry, EntryValue, EvidenceList};
use crate::result::UnitResult;
use crate::score::{Decision, Fate, LeafObserver, UnitContext, capped_sum, leaf_points, score_observed};

/// The version marker of the explanation format (documented in `docs/explain-format.md`).
pub const EXPLAIN_FORMAT: &str = "parindex/explain@1";

/// A stage of the process: the self-assessment or an appraisal stage. In JSON: `"self"` or
/// the stage number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageLabel {
    /// The self-assessment (tự đánh giá).
    SelfAssessment,
    /// Appraisal stage N (thẩm định lần N).
    Appraisal(u32),
}

impl Serialize for StageLabel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StageLabel::SelfAssessment => s.serialize_str("self"),
            StageLabel::Appraisal(n) => s.serialize_u32(*n),
        }
    }
}

impl std::fmt::Display for StageLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StageLabel::SelfAssessment => f.write_str("self-assessment"),
            StageLabel::Appraisal(n) => write!(f, "appraisal {n}"),
        }
    }
}

/// One unit's explanation: a record per leaf and the arithmetic of bonus and penalty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitExplanation {
    /// One entry per node of the criteria set, in document order: `Some` for a leaf.
    #[serde(skip)]
    pub leaves: Vec<Option<LeafExplanation>>,
    /// How the bonus in effect arose.
    pub bonus: AdjustmentTrace,
    /// How the penalty in effect arose.
    pub penalty: AdjustmentTrace,
}

/// How one leaf's points arose, or why it does not count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeafExplanation {
    /// The rule kind (`"bands"`, …).
    pub rule: &'static str,
    /// `"assessed"`, `"survey"`, `"derived"` or `"appraisal"` (only the council scores it).
    pub source: &'static str,
    /// True when the leaf requires evidence (SPEC §11.5): a self entry without any is worth 0.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub evidence_required: bool,
    /// `"bonus"` or `"penalty"` for a leaf under such a node (SPEC §11.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<&'static str>,
    /// The leaf's "nothing arose" policy: `"full"`, `"exclude"` or `"forbidden"`.
    pub not_arising_policy: &'static str,
    /// What decided the points: `"scored"`, `"nothing_arose_full"`, `"missing_entry"`,
    /// `"missing_survey"`; or why the leaf does not count: `"not_applicable"`,
    /// `"no_survey"`, `"nothing_arose_excluded"`.
    pub decision: &'static str,
    /// For `"not_applicable"`: which `applies_to` the unit does not meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<AppliesToTrace>,
    /// For an assessed leaf: every stage of the assessment, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageTrace>,
    /// For a survey leaf with a result: the answer and its score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyStage>,
    /// The unit's explanation (giải trình) for this leaf, if it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<ExplanationTrace>,
    /// Exact self points (assessed leaves that count).
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_points: Option<Decimal>,
    /// Exact final points; `None` when the leaf does not count.
    pub points: Option<Decimal>,
}

/// The `applies_to` a unit does not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliesToTrace {
    /// The node that carries it: the leaf or a group above it.
    pub node: String,
    /// The tags it wants (one is enough).
    pub wants: Vec<String>,
    /// The unit's tags.
    pub unit_tags: Vec<String>,
}

/// One stage of an assessed leaf.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageTrace {
    /// `"self"` or the appraisal stage number.
    pub stage: StageLabel,
    /// True on an appraisal stage marked final.
    #[serde(rename = "final", skip_serializing_if = "std::ops::Not::not")]
    pub is_final: bool,
    /// `"given"` (this stage has an entry for the leaf), `"carried_over"` (an earlier entry
    /// stays in effect), `"none"` (no entry yet) or `"derived"` (a derived item, computed
    /// from its refs at this stage).
    pub entry: &'static str,
    /// The entry's input, as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// Points the entry gives directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_given: Option<Decimal>,
    /// True when the entry declares that nothing arose.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_arising: bool,
    /// How the rule scored the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<RuleTrace>,
    /// The leaf's points in effect after this stage (policy applied); `None` when the leaf
    /// is excluded at this stage or has no entry yet.
    pub points: Option<Decimal>,
    /// True when, after this stage, nothing arose under the `exclude` policy.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub excluded: bool,
    /// True when the self entry in effect lists no evidence where the leaf requires it
    /// (SPEC §11.5): it is worth 0 at this stage.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub without_required_evidence: bool,
    /// The appraisers' reason for a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// True when the appraisers ask the unit to explain (yêu cầu giải trình).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub explain: bool,
    /// The entry's evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceTrace>,
    /// The entry's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The appraising agency that made the entry, if recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A survey leaf's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyStage {
    /// The answer as given.
    pub answer: Value,
    /// How the rule scored it.
    pub evaluation: Option<RuleTrace>,
}

/// A supporting document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceTrace {
    /// Its title.
    pub title: String,
    /// Its reference, if any.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Its stored file (`sha256:<hex>`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// The unit's explanation (giải trình) for a leaf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplanationTrace {
    /// Its note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Extra documents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceTrace>,
}

/// How the bonus or the penalty in effect arose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdjustmentTrace {
    /// The stage whose list is in effect (a later list replaces an earlier one); `None`
    /// when no stage gave one.
    pub from: Option<StageLabel>,
    /// The items of that list.
    pub items: Vec<AdjustmentItem>,
    /// Σ points of the items.
    pub sum: Decimal,
    /// The points of the bonus or penalty criteria (SPEC §11.1), in a set that has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Decimal>,
    /// The criteria set's cap.
    pub cap: Decimal,
    /// min(sum + criteria, cap): what counts.
    pub effective: Decimal,
}

/// One bonus or penalty item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdjustmentItem {
    /// Its points.
    pub points: Decimal,
    /// Its reason.
    pub reason: String,
}

/// Records every leaf's fate during the walk.
struct Recorder {
    fates: Vec<Option<Fate>>,
}

impl LeafObserver for Recorder {
    fn leaf(&mut self, id: NodeId, fate: Fate) {
        if let Some(slot) = self.fates.get_mut(id.0) {
            *slot = Some(fate);
        }
    }
}

/// Scores one unit exactly as [`crate::score_unit`] does and explains every leaf.
pub fn explain_unit(
    set: &CriteriaSet,
    ctx: &UnitContext<'_>,
    assessment: Option<&Assessment>,
) -> (UnitResult, UnitExplanation) {
    let mut recorder = Recorder { fates: vec![None; set.nodes().len()] };
    let result = score_observed(set, ctx, assessment, &mut recorder);
    let table = set.ref_plan().map(|plan| {
        crate::stages::evaluate(set, plan, assessment, |n| {
            set.applies(n, ctx.tags)
                && (ctx.survey_held || set.node(n).and_then(|x| x.leaf()).is_none_or(|l| l.source != Source::Survey))
        })
    });
    let leaves = set
        .nodes()
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let leaf = node.leaf()?;
            let fate = recorder.fates.get(i).copied().flatten()?;
            let scored = result.nodes.get(i);
            Some(explain_leaf(set, ctx, assessment, NodeId(i), node, leaf, fate, scored, table.as_ref()))
        })
        .collect();
    let caps = set.adjustments.unwrap_or(Adjustments { bonus_max: Decimal::ZERO, penalty_max: Decimal::ZERO });
    let mut bonus = adjustment_trace(assessment, caps.bonus_max, |s| s.bonus.as_ref(), |a| a.final_bonus());
    let mut penalty = adjustment_trace(assessment, caps.penalty_max, |s| s.penalty.as_ref(), |a| a.final_penalty());
    for (trace, counts, effective) in
        [(&mut bonus, Counts::Bonus, result.bonus), (&mut penalty, Counts::Penalty, result.penalty)]
    {
        let roots: Vec<NodeId> =
            set.roots().iter().copied().filter(|r| set.node(*r).is_some_and(|n| n.counts == counts)).collect();
        if !roots.is_empty() {
            let points: Decimal =
                roots.iter().filter_map(|r| result.nodes.get(r.0).and_then(|n| n.score)).map(|s| s.points).sum();
            trace.criteria = Some(points.normalize());
            trace.effective = effective;
        }
    }
    let explanation = UnitExplanation { leaves, bonus, penalty };
    (result, explanation)
}

fn adjustment_trace(
    assessment: Option<&Assessment>,
    cap: Decimal,
    of_appraisal: impl Fn(&crate::model::Appraisal) -> Option<&AdjustmentList>,
    in_effect: impl Fn(&Assessment) -> &AdjustmentList,
) -> AdjustmentTrace {
    let none = AdjustmentList::new();
    let (from, items) = match assessment {
        None => (None, &none),
        Some(a) => {
            let from = a
                .appraisals
                .iter()
                .rev()
                .find(|ap| of_appraisal(ap).is_some())
                .map(|ap| StageLabel::Appraisal(ap.stage))
                .or_else(|| a.self_stage.as_ref().map(|_| StageLabel::SelfAssessment));
            (from, in_effect(a))
        }
    };
    AdjustmentTrace {
        from,
        items: items.iter().map(|i| AdjustmentItem { points: i.points, reason: i.reason.to_owned() }).collect(),
        sum: items.points().sum(),
        criteria: None,
        cap,
        effective: capped_sum(items, Some(cap)),
    }
}

fn evidence(items: &EvidenceList) -> Vec<EvidenceTrace> {
    items
        .iter()
        .map(|e| EvidenceTrace {
            title: e.title.to_owned(),
            reference: e.ref_.map(str::to_owned),
            file: e.file.map(str::to_owned),
        })
        .collect()
}

/// The first node from the leaf up whose `applies_to` the unit does not meet.
fn failed_applies_to(set: &CriteriaSet, id: NodeId, tags: &[String]) -> Option<AppliesToTrace> {
    let mut current = set.node(id);
    while let Some(node) = current {
        if let Some(wanted) = &node.applies_to
            && !wanted.iter().any(|t| tags.contains(t))
        {
            return Some(AppliesToTrace { node: node.code.clone(), wants: wanted.clone(), unit_tags: tags.to_vec() });
        }
        current = node.parent.and_then(|p| set.node(p));
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn explain_leaf(
    set: &CriteriaSet,
    ctx: &UnitContext<'_>,
    assessment: Option<&Assessment>,
    id: NodeId,
    node: &Node,
    leaf: &Leaf,
    fate: Fate,
    scored: Option<&crate::result::NodeResult>,
    table: Option<&crate::stages::StageTable>,
) -> LeafExplanation {
    let decision = match fate {
        Fate::NotApplicable => "not_applicable",
        Fate::NoSurvey => "no_survey",
        Fate::NothingAroseExcluded => "nothing_arose_excluded",
        Fate::Counted(Decision::Scored) => "scored",
        Fate::Counted(Decision::NothingAroseFull) => "nothing_arose_full",
        Fate::Counted(Decision::MissingEntry) => "missing_entry",
        Fate::Counted(Decision::MissingSurvey) => "missing_survey",
    };
    let applicable = !matches!(fate, Fate::NotApplicable | Fate::NoSurvey);
    let stages = match (leaf.source, assessment) {
        (Source::Assessed | Source::Appraisal, Some(a)) if applicable => stage_traces(a, id, node, leaf, table),
        (Source::Derived, _) if applicable => derived_traces(assessment, id, node, leaf, table),
        _ => Vec::new(),
    };
    let survey = match (leaf.source, assessment) {
        (Source::Survey, Some(a)) if applicable => a.survey.get(&id).map(|r| {
            let input = Input::Survey(r.answer.clone());
            SurveyStage { answer: input_json(&leaf.rule, &input), evaluation: leaf.rule.explain(node.max, &input).ok() }
        }),
        _ => None,
    };
    let explanation = assessment
        .and_then(|a| a.explanations.get(&id))
        .map(|e| ExplanationTrace { note: e.note.clone(), evidence: evidence(&e.evidence) });
    LeafExplanation {
        rule: leaf.rule.kind_name(),
        source: leaf.source.as_str(),
        evidence_required: leaf.evidence_required,
        counts: match node.counts {
            Counts::Score => None,
            other => Some(other.as_str()),
        },
        not_arising_policy: leaf.not_arising.as_str(),
        decision,
        applies_to: matches!(fate, Fate::NotApplicable).then(|| failed_applies_to(set, id, ctx.tags)).flatten(),
        stages,
        survey,
        explanation,
        self_points: scored.and_then(|s| s.self_points).map(|p| p.normalize()),
        points: scored.and_then(|s| s.score).map(|s| s.points.normalize()),
    }
}

/// Every stage of the assessment for one assessed leaf: the entry given there (or carried
/// over), and the points in effect after it.
fn stage_traces(
    a: &Assessment,
    id: NodeId,
    node: &Node,
    leaf: &Leaf,
    table: Option<&crate::stages::StageTable>,
) -> Vec<StageTrace> {
    let mut out = Vec::new();
    let mut in_effect: Option<&Entry> = None;
    let mut in_effect_is_self = false;
    let refs = table.filter(|_| crate::stages::has_refs(leaf));
    let stages = a
        .self_stage
        .iter()
        .map(|s| (StageLabel::SelfAssessment, false, s.entries.get(&id)))
        .chain(a.appraisals.iter().map(|ap| (StageLabel::Appraisal(ap.stage), ap.is_final, ap.entries.get(&id))));
    // The stage table counts the self stage even without a self-assessment.
    for (index, (stage, is_final, own)) in (usize::from(a.self_stage.is_none())..).zip(stages) {
        let kind = match (own, in_effect) {
            (Some(_), _) => "given",
            (None, Some(_)) => "carried_over",
            (None, None) => "none",
        };
        if own.is_some() {
            in_effect = own;
            in_effect_is_self = stage == StageLabel::SelfAssessment;
        }
        let zeroed = in_effect_is_self && in_effect.is_some_and(|e| crate::stages::zeroed_for_evidence(leaf, e));
        let mut points = in_effect.and_then(|e| leaf_points(e.value.outcome(), leaf, node.max)).map(|p| p.normalize());
        let mut excluded = in_effect.is_some() && points.is_none();
        let mut evaluation = None;
        if let Some(t) = refs {
            // SPEC §11.3: the entry in effect, evaluated again with this stage's refs.
            excluded = in_effect.is_some() && t.excluded(id);
            points = (in_effect.is_some() && !excluded).then(|| t.points(index, id).normalize());
            if let Some(EntryValue::Scored { input: Some(i), .. }) = in_effect.map(|e| &e.value) {
                evaluation = leaf.rule.explain_with_refs(node.max, Some(i), &t.ref_values(index, &leaf.rule)).ok();
            }
        } else if zeroed {
            points = Some(Decimal::ZERO);
        }
        let mut trace = StageTrace {
            stage,
            is_final,
            entry: kind,
            input: None,
            points_given: None,
            not_arising: false,
            evaluation,
            points,
            excluded,
            without_required_evidence: zeroed,
            reason: None,
            explain: false,
            evidence: Vec::new(),
            note: None,
            by: None,
        };
        if let Some(entry) = own {
            match &entry.value {
                EntryValue::NotArising => trace.not_arising = true,
                EntryValue::Scored { input, given_points, .. } => {
                    trace.input = input.as_ref().map(|i| input_json(&leaf.rule, i));
                    trace.points_given = *given_points;
                    if refs.is_none() {
                        trace.evaluation = input.as_ref().and_then(|i| leaf.rule.explain(node.max, i).ok());
                    }
                }
            }
            trace.reason = entry.reason.clone();
            trace.explain = entry.explain;
            trace.evidence = evidence(&entry.evidence);
            trace.note = entry.note.clone();
            trace.by = entry.by.clone();
        }
        out.push(trace);
    }
    out
}

/// Every stage of a derived item (SPEC §11.3): its formula evaluated with the values of its
/// refs at that stage.
fn derived_traces(
    a: Option<&Assessment>,
    id: NodeId,
    node: &Node,
    leaf: &Leaf,
    table: Option<&crate::stages::StageTable>,
) -> Vec<StageTrace> {
    let Some(t) = table else { return Vec::new() };
    let labels = std::iter::once((StageLabel::SelfAssessment, false)).chain(
        a.into_iter().flat_map(|a| a.appraisals.iter().map(|ap| (StageLabel::Appraisal(ap.stage), ap.is_final))),
    );
    labels
        .enumerate()
        .map(|(index, (stage, is_final))| {
            let excluded = t.excluded(id);
            StageTrace {
                stage,
                is_final,
                entry: "derived",
                input: None,
                points_given: None,
                not_arising: false,
                evaluation: leaf.rule.explain_with_refs(node.max, None, &t.ref_values(index, &leaf.rule)).ok(),
                points: (!excluded).then(|| t.points(index, id).normalize()),
                excluded,
                without_required_evidence: false,
                reason: None,
                explain: false,
                evidence: Vec::new(),
                note: None,
                by: None,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::score_unit;

    fn set() -> CriteriaSet {
        CriteriaSet::from_document(&parindex_json::Value::from(&json!({
            "format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "adjustments": { "bonus_max": "1", "penalty_max": "1" },
            "nodes": [
                { "code": "1", "title": "Công tác chỉ đạo", "children": [
                    { "code": "1.1", "title": "Kế hoạch", "max": "2", "rule": { "kind": "bands", "input": "ratio",
                      "bands": [ { "from": "100", "points": "2" }, { "from": "80", "to": "100", "points": "1" } ] } },
                    { "code": "1.2", "title": "Báo cáo", "max": "1", "not_arising": "exclude", "rule": { "kind": "yes_no" } },
                    { "code": "1.3", "title": "TTHC", "max": "1", "applies_to": ["has-procedures"], "rule": { "kind": "yes_no" } },
                    { "code": "1.4", "title": "Thiếu", "max": "1", "rule": { "kind": "yes_no" } } ] },
                { "code": "2", "title": "Điều tra", "children": [
                    { "code": "2.1", "title": "Hài lòng", "max": "2", "rule": { "kind": "survey", "weights": { "A": "1", "B": "0.5" } } } ] }
            ]
        })))
        .unwrap()
    }

    fn assessment(set: &CriteriaSet) -> Assessment {
        Assessment::from_document(
            &parindex_json::Value::from(&json!({
                "format": "parindex/assessment@1", "unit": "u",
                "self": { "entries": {
                    "1.1": { "input": { "numerator": 20, "denominator": 20 }, "points": "2", "evidence": [ { "title": "BC 1" } ] },
                    "1.2": { "input": true, "note": "có" } },
                    "bonus": [ { "points": "0.75", "reason": "Mô hình" }, { "points": "0.5", "reason": "Sáng kiến" } ] },
                "appraisals": [
                    { "stage": 1, "entries": { "1.1": { "input": { "numerator": 17, "denominator": 20 }, "reason": "3 thiếu minh chứng", "explain": true } } },
                    { "stage": 2, "final": true, "entries": { "1.2": { "not_arising": true, "reason": "Không phát sinh" } } }
                ],
                "explanations": { "1.1": { "note": "Bổ sung" } },
                "survey": { "2.1": { "counts": { "A": 3, "B": 1 } } }
            })),
            set,
            &[],
        )
        .unwrap()
    }

    #[test]
    fn every_leaf_says_how_its_points_arose() {
        let set = set();
        let a = assessment(&set);
        let tags: Vec<String> = vec![];
        let ctx = UnitContext { unit: "u", tags: &tags, survey_held: true, self_deadline: None };
        let (result, explanation) = explain_unit(&set, &ctx, Some(&a));
        assert_eq!(result, score_unit(&set, &ctx, Some(&a)));
        let leaf = |code: &str| {
            let id = set.find(code).unwrap();
            serde_json::to_value(explanation.leaves[id.0].as_ref().unwrap()).unwrap()
        };

        let l = leaf("1.1");
        assert_eq!(l["decision"], "scored");
        assert_eq!(l["self"], "2");
        assert_eq!(l["points"], "1");
        let stages = l["stages"].as_array().unwrap();
        assert_eq!(stages.len(), 3);
        assert_eq!(stages[0]["stage"], "self");
        assert_eq!(stages[0]["entry"], "given");
        assert_eq!(stages[0]["points_given"], "2");
        assert_eq!(stages[0]["evaluation"]["band"]["from"], "100");
        assert_eq!(stages[1]["stage"], 1);
        assert_eq!(stages[1]["reason"], "3 thiếu minh chứng");
        assert_eq!(stages[1]["explain"], true);
        assert_eq!(stages[1]["evaluation"]["band"]["index"], 1);
        assert_eq!(stages[1]["points"], "1");
        assert_eq!(stages[2]["entry"], "carried_over");
        assert_eq!(stages[2]["final"], true);
        assert_eq!(stages[2]["points"], "1");
        assert_eq!(l["explanation"]["note"], "Bổ sung");

        let l = leaf("1.2");
        assert_eq!(l["decision"], "nothing_arose_excluded");
        assert_eq!(l["points"], json!(null));
        assert_eq!(l["stages"][0]["points"], "1");
        assert_eq!(l["stages"][2]["not_arising"], true);
        assert_eq!(l["stages"][2]["excluded"], true);

        let l = leaf("1.3");
        assert_eq!(l["decision"], "not_applicable");
        assert_eq!(l["applies_to"], json!({ "node": "1.3", "wants": ["has-procedures"], "unit_tags": [] }));

        let l = leaf("1.4");
        assert_eq!(l["decision"], "missing_entry");
        assert_eq!(l["points"], "0");
        assert_eq!(l["stages"][0]["entry"], "none");

        let l = leaf("2.1");
        assert_eq!(l["decision"], "scored");
        assert_eq!(l["survey"]["evaluation"]["answer"]["score"], "0.875");
        assert_eq!(l["points"], "1.75");

        let bonus = serde_json::to_value(&explanation.bonus).unwrap();
        assert_eq!(bonus["from"], "self");
        assert_eq!(bonus["sum"], "1.25");
        assert_eq!(bonus["effective"], "1");
        assert_eq!(result.bonus, Decimal::ONE);
    }

    #[test]
    fn a_unit_without_assessment_and_without_survey() {
        let set = set();
        let tags = vec!["has-procedures".to_owned()];
        let ctx = UnitContext { unit: "u", tags: &tags, survey_held: false, self_deadline: None };
        let (result, explanation) = explain_unit(&set, &ctx, None);
        assert_eq!(result, score_unit(&set, &ctx, None));
        let l = serde_json::to_value(explanation.leaves[set.find("1.3").unwrap().0].as_ref().unwrap()).unwrap();
        assert_eq!(l["decision"], "missing_entry");
        assert!(l.get("stages").is_none());
        let l = serde_json::to_value(explanation.leaves[set.find("2.1").unwrap().0].as_ref().unwrap()).unwrap();
        assert_eq!(l["decision"], "no_survey");
        assert!(explanation.leaves[set.find("1").unwrap().0].is_none());
        assert_eq!(explanation.bonus.from, None);
    }
}
