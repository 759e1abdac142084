//! Year over year (`parindex score --previous`): last round's index and rank beside this
//! round's, matched by unit id.

use std::collections::BTreeMap;

use parindex_core::decimal::decimal_from_json;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::results::{Change, Previous, ResultsDocument};
use crate::rounding::Rounding;

/// Why a previous round's results cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviousError {
    /// The text is not JSON.
    #[error("the previous results are not valid JSON: {0}")]
    NotJson(String),
    /// The JSON is not a results document.
    #[error("the previous results are not a results document: {pointer}: {message}")]
    Shape {
        /// Where, as a JSON Pointer.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The previous results are of the round being scored.
    #[error("the previous results are of this same round '{0}': give last round's results")]
    SameRound(String),
}

/// A previous round's published figures: each unit's index and rank, by unit id. Read
/// leniently from a results document (any engine's, stamped or not): only `round` and each
/// unit's `unit`, `index` and `rank` are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousResults {
    /// The previous round's id.
    pub round: String,
    /// Each unit's index and rank then.
    pub units: BTreeMap<String, Previous>,
}

fn shape(pointer: impl Into<String>, message: impl Into<String>) -> PreviousError {
    PreviousError::Shape { pointer: pointer.into(), message: message.into() }
}

impl PreviousResults {
    /// Reads a results document's text.
    ///
    /// # Errors
    ///
    /// [`PreviousError::NotJson`] or [`PreviousError::Shape`], naming where.
    pub fn from_json_text(text: &str) -> Result<PreviousResults, PreviousError> {
        let doc: Value = serde_json::from_str(text).map_err(|e| PreviousError::NotJson(e.to_string()))?;
        if let Ok(tree) = parindex_core::reader::parse(text)
            && let Some(first) = parindex_core::reader::duplicate_keys_in(&tree).errors.into_iter().next()
        {
            return Err(shape(first.path, first.message));
        }
        PreviousResults::from_json(&doc)
    }

    /// Reads a parsed results document.
    ///
    /// # Errors
    ///
    /// [`PreviousError::Shape`] when it has no `round`, no `blocks`, or a unit without an id
    /// or a readable index and rank.
    pub fn from_json(doc: &Value) -> Result<PreviousResults, PreviousError> {
        let round = doc.get("round").and_then(Value::as_str).ok_or_else(|| shape("/round", "no round id"))?;
        let blocks = doc.get("blocks").and_then(Value::as_array).ok_or_else(|| shape("/blocks", "no blocks"))?;
        let mut units = BTreeMap::new();
        for (b, block) in blocks.iter().enumerate() {
            let rows = block
                .get("units")
                .and_then(Value::as_array)
                .ok_or_else(|| shape(format!("/blocks/{b}/units"), "no units"))?;
            for (u, row) in rows.iter().enumerate() {
                let at = |field: &str| format!("/blocks/{b}/units/{u}/{field}");
                let id = row.get("unit").and_then(Value::as_str).ok_or_else(|| shape(at("unit"), "no unit id"))?;
                let index = row
                    .get("index")
                    .ok_or_else(|| shape(at("index"), "no index"))
                    .and_then(|v| decimal_from_json(v).map_err(|e| shape(at("index"), e.to_string())))?;
                let rank = match row.get("rank") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(
                        v.as_u64()
                            .and_then(|r| u32::try_from(r).ok())
                            .ok_or_else(|| shape(at("rank"), "a rank is a whole number from 1, or null"))?,
                    ),
                };
                units.insert(id.to_owned(), Previous { index, rank });
            }
        }
        Ok(PreviousResults { round: round.to_owned(), units })
    }

    /// Adds `previous` and `change` to every unit row of `doc`, matched by unit id (`null`
    /// for a unit new this round). Index changes are presented with `rounding`.
    ///
    /// # Errors
    ///
    /// [`PreviousError::SameRound`] when these are results of the round of `doc`.
    pub fn apply(&self, doc: &mut ResultsDocument, rounding: Rounding) -> Result<(), PreviousError> {
        if self.round == doc.round {
            return Err(PreviousError::SameRound(self.round.clone()));
        }
        doc.previous_round = Some(self.round.clone());
        for row in doc.blocks.iter_mut().flat_map(|b| b.units.iter_mut()) {
            let previous = self.units.get(&row.unit).cloned();
            row.change = Some(previous.as_ref().map(|p| Change {
                index: rounding.present(row.index.checked_sub(p.index).unwrap_or(Decimal::ZERO)),
                rank: match (p.rank, row.rank) {
                    (Some(then), Some(now)) => Some(i64::from(then) - i64::from(now)),
                    _ => None,
                },
            }));
            row.previous = Some(previous);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::results::{BlockResults, UnitRow};
    use parindex_assess::Status;

    fn row(unit: &str, index: &str, rank: Option<u32>) -> UnitRow {
        let d: Decimal = index.parse().unwrap();
        UnitRow {
            unit: unit.into(),
            name: unit.into(),
            status: Status::Final,
            rank,
            class: None,
            class_cap: None,
            index: d,
            total: d,
            max: Decimal::ONE_HUNDRED,
            self_total: d,
            appraised_total: d,
            survey_total: Decimal::ZERO,
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            previous: None,
            change: None,
            nodes: vec![],
            findings: vec![],
            explain: None,
        }
    }

    #[test]
    fn matched_by_unit_id_with_nulls_for_new_units() {
        let prev = PreviousResults::from_json_text(
            r#"{ "round": "r-2022", "blocks": [ { "id": "so", "units": [
                { "unit": "a", "index": "90.10", "rank": 2 }, { "unit": "b", "index": 91, "rank": 1 },
                { "unit": "c", "index": "50.00", "rank": null } ] } ] }"#,
        )
        .unwrap();
        let mut doc = ResultsDocument {
            format: crate::RESULTS_FORMAT.into(),
            round: "r-2023".into(),
            engine: None,
            inputs: Default::default(),
            previous_round: None,
            explain_format: None,
            blocks: vec![BlockResults {
                id: "so".into(),
                units: vec![row("a", "92.35", Some(1)), row("b", "88.00", Some(2)), row("n", "70.00", Some(3))],
            }],
        };
        prev.apply(&mut doc, Rounding::default()).unwrap();
        let v = serde_json::to_value(&doc).unwrap();
        let units = &v["blocks"][0]["units"];
        assert_eq!(v["previous_round"], "r-2022");
        assert_eq!(units[0]["previous"], serde_json::json!({ "index": "90.10", "rank": 2 }));
        assert_eq!(units[0]["change"], serde_json::json!({ "index": "2.25", "rank": 1 }));
        assert_eq!(units[1]["change"], serde_json::json!({ "index": "-3.00", "rank": -1 }));
        assert_eq!(units[2]["previous"], serde_json::Value::Null);
        assert_eq!(units[2]["change"], serde_json::Value::Null);
        // The document reads back with null kept apart from absent.
        let back: ResultsDocument = serde_json::from_value(v).unwrap();
        assert_eq!(back, doc);
        assert_eq!(prev.apply(&mut doc.clone(), Rounding::default()), Ok(()));
        let mut same = doc.clone();
        same.round = "r-2022".into();
        assert_eq!(prev.apply(&mut same, Rounding::default()), Err(PreviousError::SameRound("r-2022".into())));
    }

    #[test]
    fn malformed_previous_results_say_where() {
        assert!(matches!(PreviousResults::from_json_text("{"), Err(PreviousError::NotJson(_))));
        let e = PreviousResults::from_json_text(
            r#"{ "round": "x", "blocks": [ { "units": [ { "unit": "a", "index": "9,5" } ] } ] }"#,
        )
        .unwrap_err();
        assert!(matches!(&e, PreviousError::Shape { pointer, .. } if pointer == "/blocks/0/units/0/index"), "{e}");
    }
}
