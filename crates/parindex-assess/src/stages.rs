//! Points of every node at every stage, for a criteria set whose formulas reference other
//! items (SPEC §11.3), and the rule of required evidence (SPEC §11.5).
//!
//! A unit's stages are the self stage (always, even with no self-assessment) and its
//! appraisal stages. At each stage the nodes are evaluated in the set's
//! [`RefPlan`](parindex_core::criteria::RefPlan) order, so every ref is ready before the
//! formula that reads it; refs were resolved to node ids when the set was loaded. An entry
//! carried over to a later stage is evaluated again with that stage's refs. Exclusion is
//! decided at the last stage (SPEC §8), so the last stage is evaluated first.
//!
//! Only sets with refs pay for this: [`crate::score_unit`] builds a table only when the set
//! has a plan, and the table holds only the nodes scoring reads from it
//! ([`RefPlan::evaluated`](parindex_core::criteria::RefPlan::evaluated): the leaves with refs
//! and what they depend on); every other node is scored from its entries as in a set
//! without refs.

use parindex_core::criteria::RefPlan;
use parindex_core::rule::{Outcome, Rule};
use parindex_core::{CriteriaSet, Decimal, Leaf, NodeId, NodeKind, NotArisingPolicy, Source};

use crate::model::{Assessment, Entry, EntryValue};

/// Whether a leaf's formula reads refs.
pub(crate) fn has_refs(leaf: &Leaf) -> bool {
    matches!(&leaf.rule, Rule::Formula(f) if !f.refs.is_empty())
}

/// One 0 per ref of the leaf's formula (how an entry is checked at load).
pub(crate) fn zero_refs(leaf: &Leaf) -> Vec<Decimal> {
    match &leaf.rule {
        Rule::Formula(f) => vec![Decimal::ZERO; f.refs.len()],
        _ => Vec::new(),
    }
}

/// SPEC §11.5: whether a self entry is worth 0 because its leaf requires evidence and it
/// lists none (a note is not enough), when its points would be above 0. Computed from the
/// entry as loaded; for a leaf with refs, [`StageTable`] applies the same rule to the
/// points the entry has at each stage.
pub(crate) fn zeroed_for_evidence(leaf: &Leaf, entry: &Entry) -> bool {
    leaf.evidence_required && entry.evidence.is_empty() && would_score(leaf, entry.value.outcome())
}

/// Whether an outcome would be worth more than 0 under the leaf's policy.
pub(crate) fn would_score(leaf: &Leaf, outcome: Outcome) -> bool {
    match outcome {
        Outcome::Points(p) => p > Decimal::ZERO,
        Outcome::NotArising => leaf.not_arising == NotArisingPolicy::Full,
    }
}

/// Every node's points at every stage of one unit.
#[derive(Debug, Clone)]
pub(crate) struct StageTable {
    nodes: usize,
    stages: usize,
    points: Vec<Decimal>,
    /// Each leaf's outcome per stage (before its "nothing arose" policy): a leaf with refs
    /// or a derived leaf re-evaluated with the stage's refs; `None` where there is no entry.
    outcomes: Vec<Option<Outcome>>,
    /// Leaves excluded by "nothing arose" under `exclude` at the last stage.
    excluded: Vec<bool>,
}

impl StageTable {
    /// How many stages (self + appraisals).
    pub(crate) fn stages(&self) -> usize {
        self.stages
    }

    /// The node's points at `stage` (0 = self).
    pub(crate) fn points(&self, stage: usize, id: NodeId) -> Decimal {
        self.points.get(stage * self.nodes + id.0).copied().unwrap_or(Decimal::ZERO)
    }

    /// The leaf's outcome at `stage`, if it had one.
    pub(crate) fn outcome(&self, stage: usize, id: NodeId) -> Option<Outcome> {
        self.outcomes.get(stage * self.nodes + id.0).copied().flatten()
    }

    /// The last stage's outcome.
    pub(crate) fn final_outcome(&self, id: NodeId) -> Option<Outcome> {
        self.outcome(self.stages.saturating_sub(1), id)
    }

    /// Whether the leaf is excluded (nothing arose at the last stage, policy `exclude`).
    pub(crate) fn excluded(&self, id: NodeId) -> bool {
        self.excluded.get(id.0).copied().unwrap_or(false)
    }

    /// The values of a formula's refs at `stage`, in the rule's order.
    pub(crate) fn ref_values(&self, stage: usize, rule: &Rule) -> Vec<Decimal> {
        match rule {
            Rule::Formula(f) => {
                f.refs.iter().map(|r| r.node.map_or(Decimal::ZERO, |id| self.points(stage, id))).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// The entry in effect for `leaf` at each stage (0 = self), with the stage it comes from:
/// the latest stage up to it that has one.
fn effective_entries(assessment: Option<&Assessment>, leaf: NodeId, stages: usize) -> Vec<Option<(usize, &Entry)>> {
    let mut current =
        assessment.and_then(|a| a.self_stage.as_ref()).and_then(|st| st.entries.get(&leaf)).map(|e| (0, e));
    let mut out = Vec::with_capacity(stages);
    out.push(current);
    for s in 1..stages {
        if let Some(e) = assessment.and_then(|a| a.appraisals.get(s - 1)).and_then(|ap| ap.entries.get(&leaf)) {
            current = Some((s, e));
        }
        out.push(current);
    }
    out
}

/// Builds the table. `applicable(id)` says whether a leaf applies to the unit (`applies_to`,
/// and for a survey leaf whether a survey is held; survey leaves are left out of every sum).
pub(crate) fn evaluate(
    set: &CriteriaSet,
    plan: &RefPlan,
    assessment: Option<&Assessment>,
    applicable: impl Fn(NodeId) -> bool,
) -> StageTable {
    let nodes = set.nodes().len();
    let stages = 1 + assessment.map_or(0, |a| a.appraisals.len());
    let mut table = StageTable {
        nodes,
        stages,
        points: vec![Decimal::ZERO; nodes * stages],
        outcomes: vec![None; nodes * stages],
        excluded: vec![false; nodes],
    };
    let last = stages - 1;
    // Whether each node applies, asked once per node rather than once per stage and parent.
    let applies: Vec<bool> = (0..nodes).map(|i| applicable(NodeId(i))).collect();
    let applicable = |id: NodeId| applies.get(id.0).copied().unwrap_or(false);
    // Each evaluated leaf's entry in effect at every stage, looked up once.
    let mut effective: Vec<Option<(usize, &Entry)>> = vec![None; nodes * stages];
    for &id in plan.evaluated() {
        if set.node(id).is_some_and(|n| n.leaf().is_some()) {
            for (stage, e) in effective_entries(assessment, id, stages).into_iter().enumerate() {
                if let Some(slot) = effective.get_mut(stage * nodes + id.0) {
                    *slot = e;
                }
            }
        }
    }
    let order = std::iter::once(last).chain(0..last);
    for stage in order {
        for &id in plan.evaluated() {
            let Some(node) = set.node(id) else { continue };
            let value = match &node.kind {
                NodeKind::Group { children } => {
                    let mut sum = Decimal::ZERO;
                    for &c in children {
                        let counted = set.node(c).is_some_and(|n| n.leaf().is_none_or(|l| l.source != Source::Survey));
                        if counted && applicable(c) && !table.excluded(c) {
                            sum = sum.checked_add(table.points(stage, c)).unwrap_or(sum);
                        }
                    }
                    sum
                }
                NodeKind::Leaf(leaf) => {
                    if leaf.source == Source::Survey || !applicable(id) {
                        Decimal::ZERO
                    } else {
                        let entry = effective.get(stage * nodes + id.0).copied().flatten();
                        leaf_at(&mut table, entry, id, node.max, leaf, stage, last)
                    }
                }
            };
            if let Some(slot) = table.points.get_mut(stage * nodes + id.0) {
                *slot = value;
            }
        }
    }
    table
}

/// A leaf's points at `stage`, whose entry in effect there is `effective`.
fn leaf_at(
    table: &mut StageTable,
    effective: Option<(usize, &Entry)>,
    id: NodeId,
    max: Decimal,
    leaf: &Leaf,
    stage: usize,
    last: usize,
) -> Decimal {
    let refs = has_refs(leaf);
    let (outcome, entry) = if leaf.source == Source::Derived {
        let values = table.ref_values(stage, &leaf.rule);
        // An evaluation error (an overflow) leaves nothing to correct: 0.
        (Some(leaf.rule.score_with_refs(max, None, &values).unwrap_or(Outcome::Points(Decimal::ZERO))), None)
    } else {
        match effective {
            None => (None, None),
            Some((from, entry)) => {
                let outcome = match &entry.value {
                    EntryValue::Scored { input: Some(input), .. } if refs => {
                        let values = table.ref_values(stage, &leaf.rule);
                        leaf.rule.score_with_refs(max, Some(input), &values).unwrap_or(Outcome::Points(Decimal::ZERO))
                    }
                    value => value.outcome(),
                };
                (Some(outcome), Some((from, entry)))
            }
        }
    };
    if let Some(slot) = table.outcomes.get_mut(stage * table.nodes + id.0) {
        *slot = outcome;
    }
    let Some(outcome) = outcome else { return Decimal::ZERO };
    let mut value = match outcome {
        Outcome::Points(p) => p,
        Outcome::NotArising => match leaf.not_arising {
            NotArisingPolicy::Full => max,
            NotArisingPolicy::Exclude => {
                if stage == last
                    && let Some(slot) = table.excluded.get_mut(id.0)
                {
                    *slot = true;
                }
                Decimal::ZERO
            }
            // Under `forbidden` a derived item (or an entry whose refs made it divide by 0)
            // has nothing to correct: 0.
            NotArisingPolicy::Forbidden => Decimal::ZERO,
        },
    };
    if table.excluded(id) {
        return Decimal::ZERO;
    }
    if let Some((0, entry)) = entry {
        // SPEC §6.2: a self entry that said nothing arose, when a later stage scored the leaf.
        if stage == 0
            && matches!(entry.value, EntryValue::NotArising)
            && matches!(table.final_outcome(id), Some(Outcome::Points(_)))
        {
            value = Decimal::ZERO;
        }
        // SPEC §11.5: no evidence where it is required.
        if leaf.evidence_required && entry.evidence.is_empty() && value > Decimal::ZERO {
            value = Decimal::ZERO;
        }
    }
    value
}
