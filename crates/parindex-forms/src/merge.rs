//! Putting a sheet's entries into an assessment document (SPEC §6): a new document, or the
//! unit's existing one with its self stage replaced or its appraisal stage N replaced or added.

use parindex_core::Decimal;
use parindex_core::decimal::decimal_from_json;
use parindex_json::pointer_index;
use serde_json::{Map, Value};

/// The document with `self` set to these entries. Everything else in `base` is kept, and so are
/// the base self stage's `submitted_at` (unless `submitted_at` is given), `bonus` and `penalty`.
pub fn with_self(base: Option<Value>, unit: &str, entries: Map<String, Value>, submitted_at: Option<&str>) -> Value {
    let mut doc = match base {
        Some(Value::Object(m)) => m,
        _ => {
            let mut m = Map::new();
            m.insert("format".into(), Value::String(parindex_assess::FORMAT.to_owned()));
            m.insert("unit".into(), Value::String(unit.to_owned()));
            m
        }
    };
    let old = match doc.get("self") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let mut stage = Map::new();
    match submitted_at {
        Some(t) => {
            stage.insert("submitted_at".into(), Value::String(t.to_owned()));
        }
        None => {
            if let Some(t) = old.get("submitted_at") {
                stage.insert("submitted_at".into(), t.clone());
            }
        }
    }
    stage.insert("entries".into(), Value::Object(entries));
    for key in ["bonus", "penalty"] {
        if let Some(v) = old.get(key) {
            stage.insert(key.into(), v.clone());
        }
    }
    doc.insert("self".into(), Value::Object(stage));
    Value::Object(doc)
}

/// The document with appraisal stage `stage` set to these entries (replacing a stage with that
/// number, whose `bonus` and `penalty` are kept, or added in stage order), and the JSON Pointer
/// of that stage (`/appraisals/1`). `None` when `base` is not an object.
pub fn with_appraisal(base: Value, stage: u32, is_final: bool, entries: Map<String, Value>) -> Option<(Value, String)> {
    let Value::Object(mut doc) = base else { return None };
    let mut list = match doc.remove("appraisals") {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let number_of = |v: &Value| v.get("stage").and_then(|s| decimal_from_json(s).ok());
    let wanted = Decimal::from(stage);
    let existing = list.iter().position(|a| number_of(a) == Some(wanted));
    let mut appraisal = Map::new();
    appraisal.insert("stage".into(), Value::from(stage));
    if is_final {
        appraisal.insert("final".into(), Value::Bool(true));
    }
    appraisal.insert("entries".into(), Value::Object(entries));
    let index = match existing {
        Some(i) => {
            if let Some(Value::Object(old)) = list.get(i) {
                for key in ["bonus", "penalty"] {
                    if let Some(v) = old.get(key) {
                        appraisal.insert(key.into(), v.clone());
                    }
                }
            }
            if let Some(slot) = list.get_mut(i) {
                *slot = Value::Object(appraisal);
            }
            i
        }
        None => {
            let at = list.iter().position(|a| number_of(a).is_some_and(|s| s > wanted)).unwrap_or(list.len());
            list.insert(at, Value::Object(appraisal));
            at
        }
    };
    doc.insert("appraisals".into(), Value::Array(list));
    Some((Value::Object(doc), pointer_index("/appraisals", index)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entries(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn self_stage_replaces_entries_and_keeps_the_rest() {
        let base = json!({"format": "parindex/assessment@1", "unit": "a",
            "self": {"submitted_at": "2024-01-10T08:00:00+07:00", "entries": {"1": {"points": "1"}},
                     "bonus": [{"points": "0.5", "reason": "r"}]},
            "appraisals": [{"stage": 1, "entries": {}}]});
        let doc = with_self(Some(base), "a", entries(json!({"2": {"points": "2"}})), None);
        assert_eq!(doc["self"]["entries"], json!({"2": {"points": "2"}}));
        assert_eq!(doc["self"]["submitted_at"], json!("2024-01-10T08:00:00+07:00"));
        assert_eq!(doc["self"]["bonus"][0]["points"], json!("0.5"));
        assert_eq!(doc["appraisals"][0]["stage"], json!(1));
        let fresh = with_self(None, "b", Map::new(), Some("2024-01-12T09:00:00+07:00"));
        assert_eq!(
            fresh,
            json!({"format": "parindex/assessment@1", "unit": "b",
                   "self": {"submitted_at": "2024-01-12T09:00:00+07:00", "entries": {}}})
        );
    }

    #[test]
    fn appraisal_is_replaced_or_inserted_in_stage_order() {
        let base = json!({"unit": "a", "appraisals": [
            {"stage": 1, "entries": {}, "penalty": [{"points": "0.5", "reason": "r"}]},
            {"stage": 3, "entries": {}}]});
        let (doc, at) = with_appraisal(base.clone(), 2, true, Map::new()).unwrap();
        assert_eq!(at, "/appraisals/1");
        assert_eq!(doc["appraisals"][1], json!({"stage": 2, "final": true, "entries": {}}));
        let (doc, at) = with_appraisal(base, 1, false, entries(json!({"1": {"points": "0"}}))).unwrap();
        assert_eq!(at, "/appraisals/0");
        assert_eq!(doc["appraisals"][0]["entries"], json!({"1": {"points": "0"}}));
        assert_eq!(doc["appraisals"][0]["penalty"][0]["points"], json!("0.5"));
        assert_eq!(doc["appraisals"].as_array().map(Vec::len), Some(2));
        assert!(with_appraisal(json!([]), 1, false, Map::new()).is_none());
    }
}
