//! The criteria set (bộ tiêu chí): a tree of fields, criteria and sub-criteria (SPEC §3).
//!
//! Nodes are stored flat, in document order, and refer to each other by [`NodeId`]; a set is
//! loaded and checked once ([`CriteriaSet::from_json`]) and then scores any number of units.

mod load;
mod refs;

pub use load::{FORMAT, FORMAT_V2, check_format, parse_json};
pub use refs::RefPlan;

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::rule::Rule;

/// The index of a node in its criteria set, in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub usize);

/// A loaded, valid criteria set.
#[derive(Debug, Clone, PartialEq)]
pub struct CriteriaSet {
    /// The set's id (`"so-2023"`).
    pub id: String,
    /// Its title, in Vietnamese as given.
    pub title: String,
    /// The year it applies to, if given.
    pub year: Option<i64>,
    /// The decision that issued it (`"QĐ số .../QĐ-UBND"`), if given.
    pub basis: Option<String>,
    /// Caps for bonus and penalty points; `None` forbids both.
    pub adjustments: Option<Adjustments>,
    nodes: Vec<Node>,
    roots: Vec<NodeId>,
    by_code: HashMap<String, NodeId>,
    /// Nodes that could not be read (only in a set returned by [`CriteriaSet::read_document`] with
    /// problems): entries for them are not checked.
    broken: Vec<NodeId>,
    /// The criteria language version the document declares: 1 or 2 (SPEC §11).
    version: u8,
    /// For a set whose formulas reference other items (SPEC §11.3): the order in which
    /// nodes are evaluated at each stage. `None` when no formula has refs, so a version-1
    /// set pays nothing for the feature.
    ref_plan: Option<RefPlan>,
}

/// The caps on bonus (điểm thưởng) and penalty (điểm trừ) points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adjustments {
    /// Most bonus points that count.
    pub bonus_max: Decimal,
    /// Most penalty points that count.
    pub penalty_max: Decimal,
}

/// One node of the tree: a group or a leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique code (`"1.2"`).
    pub code: String,
    /// Title in Vietnamese, as given.
    pub title: String,
    /// The maximum: a leaf's own, a group's the sum of its children's.
    pub max: Decimal,
    /// Tags of which a unit must have one for the node to apply; `None` applies to all.
    pub applies_to: Option<Vec<String>>,
    /// The group above, `None` for a field.
    pub parent: Option<NodeId>,
    /// Depth in the tree: 0 for a field.
    pub depth: usize,
    /// Group or leaf.
    pub kind: NodeKind,
    /// What the node's points count as (SPEC §11.1): declared on a top-level node and
    /// inherited by every node below it; [`Counts::Score`] in a version-1 set.
    pub counts: Counts,
}

/// What a node's points count as (SPEC §11.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Counts {
    /// Part of the unit's score and maximum (the default).
    #[default]
    Score,
    /// Bonus points (điểm thưởng): added to the unit's bonus, outside the maximum.
    Bonus,
    /// Penalty points (điểm trừ): added to the unit's penalty, outside the maximum.
    Penalty,
}

impl Counts {
    /// The name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Counts::Score => "score",
            Counts::Bonus => "bonus",
            Counts::Penalty => "penalty",
        }
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A group, with its children in document order.
    Group {
        /// The children.
        children: Vec<NodeId>,
    },
    /// A scored leaf.
    Leaf(Leaf),
}

/// A scored leaf's rule and policies.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// How its points arise.
    pub rule: Rule,
    /// Self-scored and appraised, or from the survey.
    pub source: Source,
    /// What "nothing arose" does.
    pub not_arising: NotArisingPolicy,
    /// Whether self-claimed points need evidence or a note.
    pub evidence: bool,
    /// `"evidence": "required"` (SPEC §11.5): self-claimed points without evidence are worth 0.
    /// When true, `evidence` is true as well.
    pub evidence_required: bool,
}

/// Where a leaf's points come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Self-assessed, then appraised (the default).
    Assessed,
    /// Scored only from survey results (điều tra xã hội học).
    Survey,
    /// Computed at every stage from the items its formula references (SPEC §11.3); it takes
    /// no entries.
    Derived,
    /// Scored by the appraisal council only (SPEC §11.6); units do not self-score it.
    Appraisal,
}

impl Source {
    /// The name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Assessed => "assessed",
            Source::Survey => "survey",
            Source::Derived => "derived",
            Source::Appraisal => "appraisal",
        }
    }
}

/// What a declaration "nothing arose" (không phát sinh) does to a leaf (SPEC §6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotArisingPolicy {
    /// Full points.
    Full,
    /// The leaf leaves the maximum.
    Exclude,
    /// The declaration is an error (the default).
    Forbidden,
}

impl NotArisingPolicy {
    /// The name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            NotArisingPolicy::Full => "full",
            NotArisingPolicy::Exclude => "exclude",
            NotArisingPolicy::Forbidden => "forbidden",
        }
    }
}

impl Node {
    /// The leaf, if this node is one.
    pub fn leaf(&self) -> Option<&Leaf> {
        match &self.kind {
            NodeKind::Leaf(leaf) => Some(leaf),
            NodeKind::Group { .. } => None,
        }
    }

    /// The children (empty for a leaf).
    pub fn children(&self) -> &[NodeId] {
        match &self.kind {
            NodeKind::Group { children } => children,
            NodeKind::Leaf(_) => &[],
        }
    }
}

impl CriteriaSet {
    /// Every node, in document order (a parent before its children).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The fields (top-level nodes).
    pub fn roots(&self) -> &[NodeId] {
        &self.roots
    }

    /// The node with this id, if it exists.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.0)
    }

    /// The node with this code.
    pub fn find(&self, code: &str) -> Option<NodeId> {
        self.by_code.get(code).copied()
    }

    /// Every leaf with its id, in document order.
    pub fn leaves(&self) -> impl Iterator<Item = (NodeId, &Node, &Leaf)> {
        self.nodes.iter().enumerate().filter_map(|(i, n)| n.leaf().map(|l| (NodeId(i), n, l)))
    }

    /// The sum of every leaf's maximum.
    pub fn max(&self) -> Decimal {
        // Loading checks that this sum fits; a best-effort set with problems saturates.
        self.roots
            .iter()
            .filter_map(|id| self.node(*id))
            .try_fold(Decimal::ZERO, |acc, n| acc.checked_add(n.max))
            .unwrap_or(Decimal::MAX)
    }

    /// The criteria language version the document declares (1 or 2).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The evaluation plan of a set whose formulas have refs (SPEC §11.3); `None` otherwise.
    pub fn ref_plan(&self) -> Option<&RefPlan> {
        self.ref_plan.as_ref()
    }

    /// The sum of the maxima of the fields that count as score (not bonus or penalty nodes).
    pub fn score_max(&self) -> Decimal {
        self.roots
            .iter()
            .filter_map(|id| self.node(*id))
            .filter(|n| n.counts == Counts::Score)
            .try_fold(Decimal::ZERO, |acc, n| acc.checked_add(n.max))
            .unwrap_or(Decimal::MAX)
    }

    /// Whether the node could not be read. Always false in a set that loaded without
    /// problems; in a best-effort set from [`CriteriaSet::read_document`], entries for a broken node
    /// are skipped instead of being checked against a rule that is not there.
    pub fn is_broken(&self, id: NodeId) -> bool {
        self.broken.contains(&id)
    }

    /// Whether the node applies to a unit with `tags`: it and every group above it either
    /// have no `applies_to` or share a tag with the unit.
    pub fn applies(&self, id: NodeId, tags: &[String]) -> bool {
        let mut current = self.node(id);
        while let Some(node) = current {
            if let Some(wanted) = &node.applies_to
                && !wanted.iter().any(|t| tags.contains(t))
            {
                return false;
            }
            current = node.parent.and_then(|p| self.node(p));
        }
        true
    }
}
