//! Changing one entry of a loaded assessment, checked as the whole document would be: what
//! the JSON API does on every save, so that a unit is rescored without re-reading its file.

use parindex_core::reader::Reader;
use parindex_core::{CriteriaSet, Diagnostics};
use parindex_json::{self as json, pointer_child, pointer_index};
use serde_json::Value;

use crate::load::{KeyUse, check_reasons, leaf_key, load_entry};
use crate::model::{Appraisal, Assessment, SelfStage};

/// The stage an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageRef {
    /// The self-assessment (tự đánh giá).
    SelfAssessment,
    /// The appraisal stage with this number (thẩm định lần N).
    Appraisal(u32),
}

impl Assessment {
    /// Sets the entry for the leaf `code` at `stage` to the entry document `entry` (SPEC §6:
    /// `input`, `points`, `not_arising`, `evidence`, `note`, `reason`, `explain`), creating the
    /// stage if it does not exist yet. The entry is checked exactly as in a whole document,
    /// including the reasons that this and later appraisal stages now need for the leaf; on
    /// any problem the assessment is left unchanged and every problem is returned, with
    /// pointers into the assessment document.
    pub fn set_entry(
        &mut self,
        set: &CriteriaSet,
        stage: StageRef,
        code: &str,
        entry: &Value,
    ) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut r = Reader::new(&mut diags);
        // Where the stage is, or would be inserted, in stage order.
        let (position, exists) = match stage {
            StageRef::SelfAssessment => (None, self.self_stage.is_some()),
            StageRef::Appraisal(n) => {
                let i = self.appraisals.iter().position(|a| a.stage >= n).unwrap_or(self.appraisals.len());
                (Some(i), self.appraisals.get(i).is_some_and(|a| a.stage == n))
            }
        };
        let base = position.map_or_else(|| "/self".to_owned(), |i| pointer_index("/appraisals", i));
        let path = pointer_child(&pointer_child(&base, "entries"), code);
        let key_use = if stage == StageRef::SelfAssessment { KeyUse::SelfEntry } else { KeyUse::Assessed };
        let text = json::Value::from(entry).to_string();
        let checked = leaf_key(set, code, &path, key_use, &mut r)
            .and_then(|id| load_entry(json::Lazy::root(&text), &path, set, id, &mut r).map(|e| (id, e)));
        let Some((id, loaded)) = checked else {
            drop(r);
            return Err(diags);
        };

        // Apply, then check the reasons the change calls for; undo on a problem.
        let previous = match (stage, position) {
            (StageRef::Appraisal(n), Some(i)) => {
                if !exists {
                    let fresh = Appraisal {
                        stage: n,
                        is_final: false,
                        entries: Default::default(),
                        bonus: None,
                        penalty: None,
                    };
                    self.appraisals.insert(i, fresh);
                }
                self.appraisals.get_mut(i).and_then(|a| a.entries.insert(id, loaded))
            }
            _ => self
                .self_stage
                .get_or_insert_with(|| SelfStage {
                    submitted_at: None,
                    entries: Default::default(),
                    bonus: Default::default(),
                    penalty: Default::default(),
                })
                .entries
                .insert(id, loaded),
        };
        let in_order: Vec<(usize, &Appraisal)> = self.appraisals.iter().enumerate().collect();
        check_reasons(set, self.self_stage.as_ref(), &in_order, Some(id), &mut r);
        drop(r);
        if diags.is_empty() {
            return Ok(());
        }
        let entries = match position {
            Some(i) => self.appraisals.get_mut(i).map(|a| &mut a.entries),
            None => self.self_stage.as_mut().map(|s| &mut s.entries),
        };
        if let Some(entries) = entries {
            match previous {
                Some(old) => entries.insert(id, old),
                None => entries.remove(&id),
            };
        }
        match (position, exists) {
            (Some(i), false) => {
                self.appraisals.remove(i);
            }
            (None, false) => self.self_stage = None,
            _ => {}
        }
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{UnitContext, score_unit};
    use serde_json::json;

    fn set() -> CriteriaSet {
        CriteriaSet::from_document(&parindex_json::Value::from(&json!({
            "format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "nodes": [ { "code": "1", "title": "A", "children": [
                { "code": "1.1", "title": "a", "max": "2", "rule": { "kind": "yes_no" } },
                { "code": "1.2", "title": "b", "max": "1", "rule": { "kind": "manual", "step": "0.5" } } ] } ]
        })))
        .unwrap()
    }

    fn total(set: &CriteriaSet, a: &Assessment) -> String {
        let ctx = UnitContext { unit: "u", tags: &[], survey_held: false, self_deadline: None };
        score_unit(set, &ctx, Some(a)).total.to_string()
    }

    #[test]
    fn a_changed_entry_rescores_and_a_bad_one_changes_nothing() {
        let set = set();
        let doc = json!({ "format": "parindex/assessment@1", "unit": "u",
            "self": { "entries": { "1.1": { "input": true, "note": "x" }, "1.2": { "points": "1", "note": "x" } } } });
        let mut a = Assessment::from_document(&parindex_json::Value::from(&doc), &set, &[]).unwrap();
        assert_eq!(total(&set, &a), "3");
        a.set_entry(&set, StageRef::SelfAssessment, "1.2", &json!({ "points": "0.5" })).unwrap();
        assert_eq!(total(&set, &a), "2.5");
        let before = a.clone();
        let err = a.set_entry(&set, StageRef::SelfAssessment, "1.2", &json!({ "points": "0.3" })).unwrap_err();
        assert_eq!(err.errors[0].code, parindex_core::Code::StepMismatch);
        assert_eq!(err.errors[0].path, "/self/entries/1.2/points");
        assert_eq!(a, before);
        let err = a.set_entry(&set, StageRef::SelfAssessment, "9.9", &json!({ "points": "1" })).unwrap_err();
        assert_eq!(err.errors[0].code, parindex_core::Code::UnknownCriterion);
    }

    #[test]
    fn an_appraisal_change_needs_a_reason_and_creates_its_stage() {
        let set = set();
        let doc = json!({ "format": "parindex/assessment@1", "unit": "u",
            "self": { "entries": { "1.1": { "input": true, "note": "x" } } } });
        let mut a = Assessment::from_document(&parindex_json::Value::from(&doc), &set, &[]).unwrap();
        let before = a.clone();
        let err = a.set_entry(&set, StageRef::Appraisal(1), "1.1", &json!({ "input": false })).unwrap_err();
        assert_eq!(err.errors[0].code, parindex_core::Code::MissingReason);
        assert_eq!(a, before, "a refused change leaves no empty stage behind");
        a.set_entry(&set, StageRef::Appraisal(1), "1.1", &json!({ "input": false, "reason": "Không có văn bản" }))
            .unwrap();
        assert_eq!(a.appraisals.len(), 1);
        assert_eq!(total(&set, &a), "0");
    }
}
