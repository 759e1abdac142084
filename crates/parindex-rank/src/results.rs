//! The results document (SPEC §9): what `parindex score` publishes.

use parindex_assess::{Finding, Status};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The `format` of a results document.
pub const RESULTS_FORMAT: &str = "parindex/results@1";

/// A round's published results: every figure presented (rounded) as the round says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsDocument {
    /// Always [`RESULTS_FORMAT`].
    pub format: String,
    /// The round's id.
    pub round: String,
    /// One entry per block, in the round's order.
    pub blocks: Vec<BlockResults>,
}

/// One block's ranked table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockResults {
    /// The block's id.
    pub id: String,
    /// Units by rank, then id; unranked units last, by id.
    pub units: Vec<UnitRow>,
}

/// One unit's published row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRow {
    /// The unit's id.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Where it is in the process.
    pub status: Status,
    /// Its rank in the block; `None` when not ranked.
    pub rank: Option<u32>,
    /// Its class (xếp loại); `None` when no band applies.
    pub class: Option<String>,
    /// The index (chỉ số, %).
    pub index: Decimal,
    /// Points achieved.
    pub total: Decimal,
    /// The unit's applicable maximum.
    pub max: Decimal,
    /// Σ self-assessed points.
    pub self_total: Decimal,
    /// Σ appraised points of assessed leaves.
    pub appraised_total: Decimal,
    /// Σ survey points.
    pub survey_total: Decimal,
    /// Effective bonus.
    pub bonus: Decimal,
    /// Effective penalty.
    pub penalty: Decimal,
    /// Every node of the criteria set, in document order.
    pub nodes: Vec<NodeRow>,
    /// Findings.
    pub findings: Vec<Finding>,
}

/// One node's published figures; an excluded node has only `code` and `excluded`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRow {
    /// The criterion code.
    pub code: String,
    /// True when the node does not count for this unit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excluded: bool,
    /// Points achieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// Applicable maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    /// Points ÷ max × 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<Decimal>,
    /// Self-assessed points (assessed leaves only).
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_points: Option<Decimal>,
}

impl ResultsDocument {
    /// The document as pretty-printed JSON text, with a final newline.
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the same text as [`ResultsDocument::to_json_pretty`] to `out`, without holding
    /// it in memory (a national round's results are over 100 MB).
    pub fn write_json_pretty(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    }
}
