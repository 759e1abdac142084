//! Rolling leaf points up the tree: a group's points and max are the sums over its applicable
//! children, and a group whose leaves are all excluded is excluded (SPEC §8 steps 1–3).

use rust_decimal::Decimal;

use crate::criteria::{CriteriaSet, NodeId};
use crate::sum::Sum;

/// A node's exact points and maximum for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeScore {
    /// Points achieved.
    pub points: Decimal,
    /// The applicable maximum.
    pub max: Decimal,
}

/// Rolls up a tree. `leaf_score(id)` gives each leaf's score, or `None` when the leaf is
/// excluded for the unit. Returns one entry per node of `set`, in document order: `None` for
/// an excluded node.
pub fn roll_up(set: &CriteriaSet, mut leaf_score: impl FnMut(NodeId) -> Option<NodeScore>) -> Vec<Option<NodeScore>> {
    let nodes = set.nodes();
    let mut scores: Vec<Option<NodeScore>> = vec![None; nodes.len()];
    // Exact running sums for groups (see `sum`): `None` while no applicable leaf is below.
    let mut sums: Vec<Option<(Sum, Sum)>> = vec![None; nodes.len()];
    // Children come after their parent in document order: walk backwards and add each
    // applicable node into its parent.
    for i in (0..nodes.len()).rev() {
        let Some(node) = nodes.get(i) else { continue };
        let score = if node.leaf().is_some() {
            leaf_score(NodeId(i))
        } else {
            sums.get(i).copied().flatten().map(|(p, m)| NodeScore { points: p.value(), max: m.value() })
        };
        let Some(score) = score else { continue };
        if let Some(slot) = scores.get_mut(i) {
            *slot = Some(score);
        }
        if let Some(parent) = node.parent
            && let Some(slot) = sums.get_mut(parent.0)
        {
            let (points, max) = slot.get_or_insert_with(|| (Sum::new(), Sum::new()));
            points.add(score.points);
            max.add(score.max);
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> CriteriaSet {
        let doc = serde_json::json!({
            "format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "nodes": [
                { "code": "1", "title": "A", "children": [
                    { "code": "1.1", "title": "a", "max": "1", "rule": { "kind": "yes_no" } },
                    { "code": "1.2", "title": "b", "children": [
                        { "code": "1.2.1", "title": "c", "max": "2", "rule": { "kind": "yes_no" } },
                        { "code": "1.2.2", "title": "d", "max": "3", "rule": { "kind": "yes_no" } } ] } ] },
                { "code": "2", "title": "B", "children": [
                    { "code": "2.1", "title": "e", "max": "4", "rule": { "kind": "yes_no" } } ] }
            ]
        });
        CriteriaSet::from_document(&parindex_json::Value::from(&doc)).unwrap()
    }

    #[test]
    fn groups_sum_applicable_children_and_excluded_groups_vanish() {
        let set = set();
        let code = |id: NodeId| set.node(id).map(|n| n.code.clone()).unwrap_or_default();
        let scores = roll_up(&set, |id| match code(id).as_str() {
            "1.1" => Some(NodeScore { points: Decimal::ONE, max: Decimal::ONE }),
            "1.2.1" => Some(NodeScore { points: Decimal::ONE, max: Decimal::TWO }),
            _ => None,
        });
        let by = |c: &str| set.find(c).and_then(|id| scores[id.0]);
        assert_eq!(by("1"), Some(NodeScore { points: Decimal::TWO, max: Decimal::new(3, 0) }));
        assert_eq!(by("1.2"), Some(NodeScore { points: Decimal::ONE, max: Decimal::TWO }));
        assert_eq!(by("1.2.2"), None);
        assert_eq!(by("2"), None);
        assert_eq!(set.max(), Decimal::new(10, 0));
    }
}
