//! What every format shows: the round, each block with its fields and ranked rows, each
//! unit's criteria.

use parindex::Block;
use parindex::Node;
use parindex::{CriteriaSet, Decimal, NodeRow, ResultsDocument, Round, RoundFolder, UnitRow};

/// A round's results with the titles and names they need.
pub(crate) struct Report<'a> {
    /// The round.
    pub round: &'a Round,
    /// Its results.
    pub results: &'a ResultsDocument,
    /// Each block, in the results' order.
    pub blocks: Vec<BlockView<'a>>,
    /// Each submitted assessment, by unit id (for reasons: appraisal changes, bonus,
    /// penalty; never for figures).
    pub assessments: &'a std::collections::BTreeMap<String, parindex::Assessment>,
}

/// One block: its criteria set's fields and its ranked rows.
pub(crate) struct BlockView<'a> {
    /// The block's id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its criteria set, when the round names it.
    pub set: Option<&'a CriteriaSet>,
    /// The fields (top-level nodes) of the set.
    pub fields: Vec<Field<'a>>,
    /// Units by rank, then id; unranked last.
    pub rows: &'a [UnitRow],
}

/// A field (lĩnh vực): a top-level node.
pub(crate) struct Field<'a> {
    /// Its code (`"1"`).
    pub code: &'a str,
    /// Its title.
    pub title: &'a str,
}

impl<'a> Report<'a> {
    pub fn new(folder: &'a RoundFolder, results: &'a ResultsDocument) -> Report<'a> {
        let blocks = results
            .blocks
            .iter()
            .map(|b| {
                let block: Option<&Block> = folder.round.block(&b.id);
                let set = folder.criteria_set(&b.id);
                let fields = set
                    .map(|s| {
                        s.roots()
                            .iter()
                            .filter_map(|id| s.node(*id))
                            .map(|n| Field { code: n.code.as_str(), title: n.title.as_str() })
                            .collect()
                    })
                    .unwrap_or_default();
                BlockView {
                    id: &b.id,
                    title: block.map_or(b.id.as_str(), |x| x.title.as_str()),
                    set,
                    fields,
                    rows: &b.units,
                }
            })
            .collect();
        Report { round: &folder.round, results, blocks, assessments: &folder.assessments }
    }

    /// Whether the results carry last round's figures.
    pub fn has_previous(&self) -> bool {
        self.results.previous_round.is_some()
    }
}

/// A node's published row by code.
pub(crate) fn node_row<'r>(row: &'r UnitRow, code: &str) -> Option<&'r NodeRow> {
    row.nodes.iter().find(|n| n.code == code)
}

/// A field's index for a unit; `None` when the field is excluded for it.
pub(crate) fn field_index(row: &UnitRow, field: &Field<'_>) -> Option<Decimal> {
    node_row(row, field.code).and_then(|n| n.index)
}

/// Each node of the unit's criteria set with its published row, in document order.
pub(crate) fn criteria_rows<'r>(
    set: Option<&'r CriteriaSet>,
    row: &'r UnitRow,
) -> Vec<(Option<&'r Node>, &'r NodeRow)> {
    row.nodes
        .iter()
        .map(|n| (set.and_then(|s| s.find(&n.code)).and_then(|id| set.and_then(|s| s.node(id))), n))
        .collect()
}

/// A unit's class cap in words: `Sở TN&MT: class capped at «Tốt» — reason`; `None` when
/// the results carry no cap for it.
pub(crate) fn cap_note(row: &UnitRow, l: &crate::labels::Labels) -> Option<String> {
    let cap = row.class_cap.as_ref()?;
    let what = if cap.applied { l.cap_applied } else { l.cap_not_applied };
    let reason = if cap.reason.trim().is_empty() { String::new() } else { format!(": {}", cap.reason) };
    Some(format!("{}: {what} «{}»{reason}", row.name, cap.label))
}

/// A bonus or penalty criterion (SPEC §11.1) that gave a unit points, as its results publish it.
pub(crate) struct AdjustmentItem<'r> {
    /// The leaf's code.
    pub code: &'r str,
    /// Its title.
    pub title: &'r str,
    /// Its published points (> 0).
    pub points: Decimal,
}

/// The unit's bonus items and penalty items: the leaves under a `counts: bonus` or
/// `counts: penalty` field that count and have points above 0, in document order.
pub(crate) fn adjustment_items<'r>(
    set: Option<&'r CriteriaSet>,
    row: &'r UnitRow,
) -> (Vec<AdjustmentItem<'r>>, Vec<AdjustmentItem<'r>>) {
    let (mut bonus, mut penalty) = (Vec::new(), Vec::new());
    for (node, nr) in criteria_rows(set, row) {
        let (Some(node), Some(points)) = (node, nr.points) else { continue };
        if node.leaf().is_none() || points <= Decimal::ZERO {
            continue;
        }
        let item = AdjustmentItem { code: nr.code.as_str(), title: node.title.as_str(), points };
        match node.counts.as_str() {
            "bonus" => bonus.push(item),
            "penalty" => penalty.push(item),
            _ => {}
        }
    }
    (bonus, penalty)
}
