//! The results document (SPEC §9): what `parindex score` publishes.

use parindex_assess::{Finding, Status};
use rust_decimal::Decimal;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::folder::InputFile;

/// The `format` of a results document.
pub const RESULTS_FORMAT: &str = "parindex/results@1";

/// The name the engine stamps on its results.
pub const ENGINE_NAME: &str = "parindex";

/// A round's published results: every figure presented (rounded) as the round says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsDocument {
    /// Always [`RESULTS_FORMAT`].
    pub format: String,
    /// The round's id.
    pub round: String,
    /// The engine that produced the results (absent in documents from before the stamp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<Engine>,
    /// Every file the round was scored from, with the SHA-256 of its bytes as read, in
    /// reading order (empty in documents from before the stamp).
    #[serde(default, skip_serializing_if = "Inputs::is_empty")]
    pub inputs: Inputs,
    /// The round id of the results compared with (`score --previous`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_round: Option<String>,
    /// `parindex/explain@1` when every leaf carries an explanation (`score --explain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain_format: Option<String>,
    /// One entry per block, in the round's order.
    pub blocks: Vec<BlockResults>,
}

/// The engine's name and version, stamped on every results document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engine {
    /// Always [`ENGINE_NAME`].
    pub name: String,
    /// The engine's version (`0.1.0`).
    pub version: String,
}

impl Engine {
    /// This engine.
    pub fn this() -> Engine {
        Engine { name: ENGINE_NAME.to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() }
    }
}

/// The input files of a round with their SHA-256, in reading order. In JSON: an object
/// from relative path to hex digest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs(pub Vec<InputFile>);

impl Inputs {
    /// True when no file is listed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The digest recorded for `path`.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.0.iter().find(|f| f.path == path).map(|f| f.sha256.as_str())
    }
}

impl Serialize for Inputs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in &self.0 {
            map.serialize_entry(&f.path, &f.sha256)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Inputs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Inputs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object from file path to SHA-256")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Inputs, A::Error> {
                let mut files = Vec::new();
                while let Some((path, sha256)) = map.next_entry::<String, String>()? {
                    files.push(InputFile { path, sha256 });
                }
                Ok(Inputs(files))
            }
        }
        d.deserialize_map(V)
    }
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
    /// Last round's index and rank (`score --previous`): absent without a previous round,
    /// `null` for a unit new this round.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub previous: Option<Option<Previous>>,
    /// The change since last round; absent and `null` like `previous`.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub change: Option<Option<Change>>,
    /// Every node of the criteria set, in document order.
    pub nodes: Vec<NodeRow>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// With `score --explain`: the arithmetic of the totals, the index and the class
    /// (`parindex/explain@1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Box<serde_json::Value>>,
}

/// A unit's figures in the previous round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previous {
    /// Its index then, as published.
    pub index: Decimal,
    /// Its rank then; `None` when it was not ranked.
    pub rank: Option<u32>,
}

/// What changed since the previous round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// This index minus the previous one, presented like this round's figures.
    pub index: Decimal,
    /// The previous rank minus this rank: positive when the unit climbed. `None` when either
    /// rank is missing.
    pub rank: Option<i64>,
}

/// Reads a field that is present (maybe `null`) as `Some(..)`: tells `null` from absent.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
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
    /// With `score --explain`, on every leaf: how its points arose, or why it is excluded
    /// (`parindex/explain@1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Box<serde_json::Value>>,
}

impl ResultsDocument {
    /// The document as pretty-printed JSON text, with a final newline.
    pub fn to_json_pretty(&self) -> String {
        let mut text = Vec::new();
        // Writing to memory fails only if serializing does, which it never does for this type.
        if self.write_json_pretty(&mut text).is_err() {
            text.clear();
        }
        String::from_utf8(text).unwrap_or_default()
    }

    /// Writes the same text as [`ResultsDocument::to_json_pretty`] to `out`, without holding
    /// it in memory (a national round's results are over 100 MB): `serde_json`'s pretty
    /// format, the unit rows serialized on every core.
    pub fn write_json_pretty(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        crate::pretty::write_document(self, out)?;
        out.write_all(b"\n")
    }
}
