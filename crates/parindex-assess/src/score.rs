//! Scoring one unit (SPEC §8 steps 1–6): exclusions, leaf points at the self and final
//! stages, roll-up, totals, and findings.

use parindex_core::criteria::Adjustments;
use parindex_core::criteria::Counts;
use parindex_core::rollup::{NodeScore, roll_up};
use parindex_core::rule::Outcome;
use parindex_core::sum::Sum;
use parindex_core::{Code, CriteriaSet, Date, Decimal, Leaf, NodeId, NotArisingPolicy, Source};

use crate::model::{AdjustmentList, Assessment, Entry, EntryValue};
use crate::result::{Finding, NodeResult, Status, UnitResult};

/// What scoring needs to know about a unit besides its assessment.
#[derive(Debug, Clone, Copy)]
pub struct UnitContext<'a> {
    /// The unit's id.
    pub unit: &'a str,
    /// The unit's tags (decide `applies_to`).
    pub tags: &'a [String],
    /// Whether the unit's block holds a survey.
    pub survey_held: bool,
    /// The self-assessment deadline, if the round sets one.
    pub self_deadline: Option<Date>,
}

/// A leaf's points once the "nothing arose" policy is applied: `None` when excluded.
pub(crate) fn leaf_points(outcome: Outcome, leaf: &Leaf, max: Decimal) -> Option<Decimal> {
    match outcome {
        Outcome::Points(p) => Some(p),
        Outcome::NotArising => match leaf.not_arising {
            NotArisingPolicy::Full => Some(max),
            // `Forbidden` never reaches scoring: loading refuses it.
            NotArisingPolicy::Exclude | NotArisingPolicy::Forbidden => None,
        },
    }
}

pub(crate) fn capped_sum(items: &AdjustmentList, cap: Option<Decimal>) -> Decimal {
    // Points are ≥ 0: a sum too large for a decimal is above any cap.
    let sum = items.points().try_fold(Decimal::ZERO, |acc, p| acc.checked_add(p)).unwrap_or(Decimal::MAX);
    cap.map_or(sum, |c| sum.min(c))
}

/// min(Σ list + points of the bonus or penalty nodes, cap) (SPEC §11.1).
pub(crate) fn capped_total(items: &AdjustmentList, nodes: Decimal, cap: Decimal) -> Decimal {
    capped_sum(items, None).checked_add(nodes).unwrap_or(Decimal::MAX).min(cap)
}

fn has_support(entry: &Entry) -> bool {
    !entry.evidence.is_empty() || entry.note.as_deref().is_some_and(|n| !n.trim().is_empty())
}

/// What became of one leaf in the scoring walk: told to a [`LeafObserver`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Excluded by `applies_to` (the leaf's or a group's above it).
    NotApplicable,
    /// A survey leaf in a block that holds no survey.
    NoSurvey,
    /// Excluded: nothing arose at the last stage, under the `exclude` policy.
    NothingAroseExcluded,
    /// Counted, and how its points arose.
    Counted(Decision),
}

/// How a counted leaf's points arose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// From the entry (or survey result) in effect at the last stage.
    Scored,
    /// Nothing arose, under the `full` policy: the maximum.
    NothingAroseFull,
    /// No entry at any stage: 0.
    MissingEntry,
    /// No survey result: 0.
    MissingSurvey,
}

/// Watches the scoring walk leaf by leaf. The plain path ([`score_unit`]) uses an observer
/// that does nothing, which compiles away; [`crate::explain_unit`] records every fate. Both
/// run the one walk below, so an explanation can never disagree with the points.
pub(crate) trait LeafObserver {
    /// Called once for every leaf, in document order.
    fn leaf(&mut self, id: NodeId, fate: Fate);
}

/// The observer of the plain path.
struct Unobserved;

impl LeafObserver for Unobserved {
    #[inline(always)]
    fn leaf(&mut self, _: NodeId, _: Fate) {}
}

fn decision(outcome: Outcome) -> Decision {
    match outcome {
        Outcome::Points(_) => Decision::Scored,
        Outcome::NotArising => Decision::NothingAroseFull,
    }
}

/// Scores one unit with its block's criteria set. `assessment` is `None` for a unit that
/// submitted nothing. The assessment must have been loaded against `set`.
pub fn score_unit(set: &CriteriaSet, ctx: &UnitContext<'_>, assessment: Option<&Assessment>) -> UnitResult {
    score_observed(set, ctx, assessment, &mut Unobserved)
}

/// The scoring walk (SPEC §8 steps 1–6), telling `observer` what became of each leaf.
pub(crate) fn score_observed<O: LeafObserver>(
    set: &CriteriaSet,
    ctx: &UnitContext<'_>,
    assessment: Option<&Assessment>,
    observer: &mut O,
) -> UnitResult {
    let mut findings = Vec::new();
    let mut self_points: Vec<Option<Decimal>> = vec![None; set.nodes().len()];
    // Exact running sums (parindex_core::sum): the same values as `+`, much faster.
    let mut self_total = Sum::new();
    let mut appraised_total = Sum::new();
    let mut survey_total = Sum::new();

    let mut scores_by_leaf: Vec<Option<NodeScore>> = vec![None; set.nodes().len()];
    let mut cursors = StageCursors::new(assessment);
    // SPEC §11.3: only a set whose formulas have refs evaluates every stage.
    let table = set.ref_plan().map(|plan| {
        crate::stages::evaluate(set, plan, assessment, |id| {
            set.applies(id, ctx.tags)
                && (ctx.survey_held || set.node(id).and_then(|n| n.leaf()).is_none_or(|l| l.source != Source::Survey))
        })
    });
    let last_stage = table.as_ref().map_or(0, |t| t.stages().saturating_sub(1));
    let has_appraisal = assessment.is_some_and(|a| !a.appraisals.is_empty());
    for (id, node, leaf) in set.leaves() {
        if !set.applies(id, ctx.tags) {
            observer.leaf(id, Fate::NotApplicable);
            continue;
        }
        let finding = |code: Code, message: String| Finding { code, criterion: Some(node.code.clone()), message };
        let scored = node.counts == Counts::Score;
        let points = match leaf.source {
            Source::Survey => {
                if !ctx.survey_held {
                    observer.leaf(id, Fate::NoSurvey);
                    continue;
                }
                match assessment.and_then(|a| a.survey.get(&id)) {
                    Some(result) => match leaf_points(result.outcome, leaf, node.max) {
                        Some(p) => {
                            observer.leaf(id, Fate::Counted(decision(result.outcome)));
                            p
                        }
                        None => {
                            observer.leaf(id, Fate::NothingAroseExcluded);
                            continue;
                        }
                    },
                    None => {
                        findings
                            .push(finding(Code::MissingSurvey, "no survey result for this item: it scores 0".into()));
                        observer.leaf(id, Fate::Counted(Decision::MissingSurvey));
                        Decimal::ZERO
                    }
                }
            }
            Source::Derived => {
                // A derived item always has refs, so the set has a stage table.
                let (points, own, outcome) = match &table {
                    Some(t) => {
                        if t.excluded(id) {
                            observer.leaf(id, Fate::NothingAroseExcluded);
                            continue;
                        }
                        (t.points(last_stage, id), t.points(0, id), t.final_outcome(id))
                    }
                    None => (Decimal::ZERO, Decimal::ZERO, None),
                };
                observer.leaf(id, Fate::Counted(outcome.map_or(Decision::Scored, decision)));
                if let Some(slot) = self_points.get_mut(id.0) {
                    *slot = Some(own);
                }
                if scored {
                    self_total.add(own);
                    appraised_total.add(points);
                }
                points
            }
            Source::Assessed | Source::Appraisal => {
                let at = cursors.seek(id);
                let final_entry = at.iter().rev().find_map(|(_, e)| *e);
                let self_entry = at.first().and_then(|(stage, e)| if stage.is_none() { *e } else { None });
                let final_is_self =
                    final_entry.is_some() && at.iter().skip(1).all(|(_, e)| e.is_none()) && self_entry.is_some();
                let dynamic = table.as_ref().filter(|_| crate::stages::has_refs(leaf));
                let points = match (final_entry, dynamic) {
                    (Some(_), Some(t)) => {
                        if t.excluded(id) {
                            observer.leaf(id, Fate::NothingAroseExcluded);
                            continue;
                        }
                        let outcome = t.final_outcome(id).unwrap_or(Outcome::Points(Decimal::ZERO));
                        observer.leaf(id, Fate::Counted(decision(outcome)));
                        t.points(last_stage, id)
                    }
                    (Some(entry), None) => match leaf_points(entry.value.outcome(), leaf, node.max) {
                        Some(p) => {
                            observer.leaf(id, Fate::Counted(decision(entry.value.outcome())));
                            if final_is_self && crate::stages::zeroed_for_evidence(leaf, entry) {
                                Decimal::ZERO
                            } else {
                                p
                            }
                        }
                        None => {
                            observer.leaf(id, Fate::NothingAroseExcluded);
                            continue;
                        }
                    },
                    (None, _) => {
                        // SPEC §11.1: nobody reports a bonus or a violation that did not
                        // happen; §11.6: a council-only item is missing once an appraisal exists.
                        if scored && (leaf.source == Source::Assessed || has_appraisal) {
                            findings.push(finding(Code::MissingEntry, "no entry for this item: it scores 0".into()));
                        }
                        observer.leaf(id, Fate::Counted(Decision::MissingEntry));
                        Decimal::ZERO
                    }
                };
                // SPEC §6.2: 0 with no self entry, and 0 when the self entry said nothing arose
                // but a later stage scored the leaf — whatever the leaf's policy.
                let own = match dynamic {
                    Some(t) => t.points(0, id),
                    None => {
                        let scored_later = final_entry.is_some_and(|e| matches!(e.value.outcome(), Outcome::Points(_)));
                        let own = match self_entry.map(|e| e.value.outcome()) {
                            Some(Outcome::NotArising) if scored_later => Decimal::ZERO,
                            Some(outcome) => leaf_points(outcome, leaf, node.max).unwrap_or(Decimal::ZERO),
                            None => Decimal::ZERO,
                        };
                        if self_entry.is_some_and(|e| crate::stages::zeroed_for_evidence(leaf, e)) {
                            Decimal::ZERO
                        } else {
                            own
                        }
                    }
                };
                if leaf.source == Source::Assessed {
                    if let Some(slot) = self_points.get_mut(id.0) {
                        *slot = Some(own);
                    }
                    if scored {
                        self_total.add(own);
                    }
                }
                if scored {
                    appraised_total.add(points);
                }
                if let Some(entry) = self_entry {
                    if leaf.evidence_required {
                        let would = match dynamic {
                            Some(t) => t.outcome(0, id).is_some_and(|o| crate::stages::would_score(leaf, o)),
                            None => crate::stages::would_score(leaf, entry.value.outcome()),
                        };
                        if would && entry.evidence.is_empty() {
                            findings.push(finding(
                                Code::NoEvidence,
                                "points claimed without the evidence this item requires: the self entry is worth 0"
                                    .into(),
                            ));
                        }
                    } else if leaf.evidence
                        && matches!(entry.value, EntryValue::Scored { .. })
                        && own > Decimal::ZERO
                        && !has_support(entry)
                    {
                        findings.push(finding(
                            Code::NoEvidence,
                            format!("{own} points claimed without evidence or a note"),
                        ));
                    }
                }
                match dynamic {
                    Some(t) => mismatches_at_stages(at, assessment, t, &node.code, id, &mut findings),
                    None => mismatches(at, &node.code, &mut findings),
                }
                points
            }
        };
        if leaf.source == Source::Survey {
            survey_total.add(points);
        }
        if let Some(slot) = scores_by_leaf.get_mut(id.0) {
            *slot = Some(NodeScore { points, max: node.max });
        }
    }

    let scores = roll_up(set, |id| scores_by_leaf.get(id.0).copied().flatten());
    let root_score = |r: &NodeId| set.node(*r).map(|n| n.counts).zip(scores.get(r.0).copied().flatten());
    let max: Decimal =
        set.roots().iter().filter_map(root_score).filter(|(c, _)| *c == Counts::Score).map(|(_, s)| s.max).sum();
    // SPEC §11.1: the points of bonus and penalty nodes join the lists of §6.6, under the caps.
    let node_points = |counts: Counts| -> Decimal {
        set.roots().iter().filter_map(root_score).filter(|(c, _)| *c == counts).map(|(_, s)| s.points).sum()
    };

    let caps = set.adjustments.unwrap_or(Adjustments { bonus_max: Decimal::ZERO, penalty_max: Decimal::ZERO });
    let (bonus, penalty) = match assessment {
        Some(a) if set.version() >= 2 => (
            capped_total(a.final_bonus(), node_points(Counts::Bonus), caps.bonus_max),
            capped_total(a.final_penalty(), node_points(Counts::Penalty), caps.penalty_max),
        ),
        Some(a) => {
            (capped_sum(a.final_bonus(), Some(caps.bonus_max)), capped_sum(a.final_penalty(), Some(caps.penalty_max)))
        }
        None => (Decimal::ZERO, Decimal::ZERO),
    };
    // In SPEC order, appraised + survey + bonus − penalty. appraised + survey ≤ the set's
    // maximum (which fits: loading checks it) and bonus, penalty ≥ 0, so only adding a huge
    // bonus can overflow; then subtract the penalty first, and if that still overflows the
    // total is above `max`.
    let (self_total, appraised_total, survey_total) =
        (self_total.value(), appraised_total.value(), survey_total.value());
    let gross = appraised_total + survey_total;
    let total = gross
        .checked_add(bonus)
        .map(|g| g - penalty)
        .or_else(|| (gross - penalty).checked_add(bonus))
        .unwrap_or(Decimal::MAX)
        .max(Decimal::ZERO)
        .min(max);

    if let (Some(deadline), Some(submitted)) =
        (ctx.self_deadline, assessment.and_then(|a| a.self_stage.as_ref()).and_then(|s| s.submitted_at.as_ref()))
        && submitted.date() > deadline
    {
        findings.push(Finding {
            code: Code::LateSubmission,
            criterion: None,
            message: format!(
                "the self-assessment was submitted on {}, after the deadline {deadline}",
                submitted.date()
            ),
        });
    }

    let nodes = scores
        .into_iter()
        .zip(self_points)
        .map(|(score, own)| NodeResult { score, self_points: score.and(own) })
        .collect();
    UnitResult {
        unit: ctx.unit.to_owned(),
        status: assessment.map_or(Status::NotSubmitted, Assessment::status),
        nodes,
        max,
        self_total,
        appraised_total,
        survey_total,
        bonus,
        penalty,
        total,
        findings,
        class_cap: assessment.and_then(|a| a.class_cap.clone()),
    }
}

/// A stage's entries, in node order, one at a time.
type EntryCursor<'a> = std::iter::Peekable<std::collections::btree_map::Iter<'a, NodeId, Entry>>;

/// One cursor per stage (self, then appraisals in stage order) over its entries, moved in
/// step with the leaves: both are in node order, so a leaf's entries at every stage are found
/// without a lookup.
struct StageCursors<'a> {
    cursors: Vec<(Option<u32>, EntryCursor<'a>)>,
    at: Vec<(Option<u32>, Option<&'a Entry>)>,
}

impl<'a> StageCursors<'a> {
    fn new(assessment: Option<&'a Assessment>) -> Self {
        let mut cursors = Vec::new();
        if let Some(a) = assessment {
            if let Some(s) = &a.self_stage {
                cursors.push((None, s.entries.iter().peekable()));
            }
            for ap in &a.appraisals {
                cursors.push((Some(ap.stage), ap.entries.iter().peekable()));
            }
        }
        let at = Vec::with_capacity(cursors.len());
        StageCursors { cursors, at }
    }

    /// Each stage's entry for `leaf` (`None` for the self-assessment's stage number). Leaves
    /// must be sought in ascending order.
    fn seek(&mut self, leaf: NodeId) -> &[(Option<u32>, Option<&'a Entry>)] {
        self.at.clear();
        for (stage, cursor) in &mut self.cursors {
            while cursor.next_if(|(id, _)| **id < leaf).is_some() {}
            let entry = cursor.next_if(|(id, _)| **id == leaf).map(|(_, e)| e);
            self.at.push((*stage, entry));
        }
        &self.at
    }
}

/// `points_mismatch` for every entry of the leaf, at any stage, whose given points differ from
/// the points its input yields. (Called for every leaf: it allocates only for a finding.)
fn mismatches(at: &[(Option<u32>, Option<&Entry>)], code: &str, findings: &mut Vec<Finding>) {
    for (stage, entry) in at {
        if let Some(Entry {
            value: EntryValue::Scored { input: Some(_), given_points: Some(given), outcome }, ..
        }) = entry
        {
            let computed = match outcome {
                Outcome::Points(p) => Some(*p),
                Outcome::NotArising => None,
            };
            if computed != Some(*given) {
                let stage = stage.map_or_else(|| "self-assessment".to_owned(), |n| format!("appraisal {n}"));
                let computed = computed.map_or_else(|| "nothing arose".to_owned(), |p| format!("{p} points"));
                findings.push(Finding {
                    code: Code::PointsMismatch,
                    criterion: Some(code.to_owned()),
                    message: format!(
                        "{stage}: {given} points entered, but the input gives {computed}; the input counts"
                    ),
                });
            }
        }
    }
}

/// `points_mismatch` for a leaf with refs: each entry's given points against what its input
/// yields at its own stage, with that stage's refs (SPEC §11.3).
fn mismatches_at_stages(
    at: &[(Option<u32>, Option<&Entry>)],
    assessment: Option<&Assessment>,
    table: &crate::stages::StageTable,
    code: &str,
    id: NodeId,
    findings: &mut Vec<Finding>,
) {
    let offset = usize::from(assessment.is_some_and(|a| a.self_stage.is_none()));
    for (k, (stage, entry)) in at.iter().enumerate() {
        if let Some(Entry { value: EntryValue::Scored { input: Some(_), given_points: Some(given), .. }, .. }) = entry {
            let computed = match table.outcome(k + offset, id) {
                Some(Outcome::Points(p)) => Some(p),
                _ => None,
            };
            if computed != Some(*given) {
                let stage = stage.map_or_else(|| "self-assessment".to_owned(), |n| format!("appraisal {n}"));
                let computed = computed.map_or_else(|| "nothing arose".to_owned(), |p| format!("{p} points"));
                findings.push(Finding {
                    code: Code::PointsMismatch,
                    criterion: Some(code.to_owned()),
                    message: format!(
                        "{stage}: {given} points entered, but the input gives {computed}; the input counts"
                    ),
                });
            }
        }
    }
}
