//! The results document (SPEC §9): what `parindex score` publishes.

use parindex_assess::{Finding, Status};
use rust_decimal::Decimal;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::folder::InputFile;
#[cfg(feature = "schema")]
use crate::schema::DecimalString;

/// The `format` of a results document.
pub const RESULTS_FORMAT: &str = "parindex/results@1";

/// The name the engine stamps on its results.
pub const ENGINE_NAME: &str = "parindex";

crate::pretty::results_shape! {
    /// A round's published results: every figure presented (rounded) as the round says.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[cfg_attr(feature = "schema", schemars(rename = "Results", title = "parindex results (parindex/results@1)"))]
    pub struct ResultsDocument {
        /// Always "parindex/results@1".
        #[cfg_attr(feature = "schema", schemars(extend("const" = RESULTS_FORMAT)))]
        format: String => "format" as text,
        /// The round's id.
        round: String => "round" as text,
        /// The engine that produced the results (absent in documents from before the stamp).
        engine: Option<Engine> => "engine" as nested if present,
        /// Every file the round was scored from: path in the round folder → SHA-256 (hex) of
        /// its bytes as read, in reading order (absent in documents from before the stamp).
        inputs: Inputs => "inputs" as nested if present,
        /// The round id of the results compared with (`score --previous`), if any.
        previous_round: Option<String> => "previous_round" as text if present,
        /// "parindex/explain@1" when every leaf carries an explanation (`score --explain`).
        explain_format: Option<String> => "explain_format" as text if present,
        /// Each block's ranked table, in the round's order.
        blocks: Vec<BlockResults> => "blocks" as rows,
    }
}

/// The engine's name and version, stamped on every results document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Engine {
    /// Always "parindex".
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

crate::pretty::results_shape! {
    /// One block's ranked table.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct BlockResults {
        /// The block's id.
        id: String => "id" as text,
        /// Units by rank, then id; unranked units last, by id.
        units: Vec<UnitRow> => "units" as unit_rows,
    }
}

crate::pretty::results_shape! {
    /// One unit's published row.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct UnitRow {
        /// The unit's id.
        unit: String => "unit" as text,
        /// Its name.
        name: String => "name" as text,
        /// Where it is in the process.
        status: Status => "status" as text,
        /// Its rank in the block; `null` when not ranked.
        rank: Option<u32> => "rank" as text,
        /// Its class (xếp loại); `null` when no band applies.
        class: Option<String> => "class" as text,
        /// The class cap the evaluator set for the unit (SPEC §6.6 `class_cap`), with its
        /// reason and whether it lowered the class; absent when no cap is set (an added
        /// field, docs/spec-readings.md).
        class_cap: Option<ClassCapRow> => "class_cap" as nested if present,
        /// The index (chỉ số, %).
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        index: Decimal => "index" as figure,
        /// Points achieved.
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        total: Decimal => "total" as figure,
        /// The unit's applicable maximum.
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        max: Decimal => "max" as figure,
        /// Σ self-assessed points.
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        self_total: Decimal => "self_total" as figure,
        /// Σ appraised points of assessed leaves.
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        appraised_total: Decimal => "appraised_total" as figure,
        /// Σ survey points.
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        survey_total: Decimal => "survey_total" as figure,
        /// Effective bonus.
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        bonus: Decimal => "bonus" as figure,
        /// Effective penalty.
        #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
        penalty: Decimal => "penalty" as figure,
        /// Last round's index and rank (`score --previous`): absent without a previous round,
        /// `null` for a unit new this round.
        #[serde(deserialize_with = "present")]
        #[cfg_attr(feature = "schema", schemars(with = "Option<Previous>"))]
        previous: Option<Option<Previous>> => "previous" as nested if present,
        /// The change since last round; absent and `null` like `previous`.
        #[serde(deserialize_with = "present")]
        #[cfg_attr(feature = "schema", schemars(with = "Option<Change>"))]
        change: Option<Option<Change>> => "change" as nested if present,
        /// Every node of the criteria set, in document order.
        nodes: Vec<NodeRow> => "nodes" as rows,
        /// Findings.
        findings: Vec<Finding> => "findings" as nested,
        /// With `score --explain`: the arithmetic of the totals, the index and the class
        /// (`parindex/explain@1`, docs/explain-format.md).
        explain: Option<Box<serde_json::Value>> => "explain" as nested if present,
    }
}

/// A unit's class cap as published: what the evaluator set and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClassCapRow {
    /// The class the unit is at most (a class label of its block).
    pub label: String,
    /// The evaluator's stated reason, as given (may be empty).
    pub reason: String,
    /// True when the cap lowered the class: the index alone reaches a better class.
    pub applied: bool,
}

/// A unit's figures in the previous round (`score --previous`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Previous {
    /// Its index then, as published.
    #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
    pub index: Decimal,
    /// Its rank then; `null` when it was not ranked.
    pub rank: Option<u32>,
}

/// What changed since the previous round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Change {
    /// This index minus the previous one, presented like this round's figures.
    #[cfg_attr(feature = "schema", schemars(with = "DecimalString"))]
    pub index: Decimal,
    /// The previous rank minus this rank: positive when the unit climbed; `null` when either
    /// rank is missing.
    pub rank: Option<i64>,
}

/// Reads a field that is present (maybe `null`) as `Some(..)`: tells `null` from absent.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

crate::pretty::results_shape! {
    /// One node's published figures; an excluded node has only `code` and `excluded`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct NodeRow {
        /// The criterion code.
        code: String => "code" as text,
        /// True when the node does not count for this unit.
        excluded: bool => "excluded" as text if present,
        /// Points achieved.
        #[cfg_attr(feature = "schema", schemars(with = "Option<DecimalString>"))]
        points: Option<Decimal> => "points" as figure if present,
        /// Applicable maximum.
        #[cfg_attr(feature = "schema", schemars(with = "Option<DecimalString>"))]
        max: Option<Decimal> => "max" as figure if present,
        /// Points ÷ max × 100.
        #[cfg_attr(feature = "schema", schemars(with = "Option<DecimalString>"))]
        index: Option<Decimal> => "index" as figure if present,
        /// Self-assessed points (assessed leaves only).
        #[cfg_attr(feature = "schema", schemars(with = "Option<DecimalString>"))]
        self_points: Option<Decimal> => "self" as figure if present,
        /// With `score --explain`, on every leaf: how its points arose, or why it is excluded
        /// (`parindex/explain@1`, docs/explain-format.md).
        explain: Option<Box<serde_json::Value>> => "explain" as nested if present,
    }
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
        crate::pretty::WritePretty::write_pretty(self, out, 0)?;
        out.write_all(b"\n")
    }
}
