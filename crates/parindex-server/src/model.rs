//! A round as the API holds it: the round document and its criteria sets, parsed once and
//! kept in memory (they never change after creation), plus the documents of its units.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use parindex::{CriteriaSet, Round};
use parindex_store::Transaction as Conn;
use parindex_store::documents::{self, Doc};
use serde_json::Value;

use crate::error::ApiError;
use crate::keys;

/// A round's fixed documents, parsed.
#[derive(Debug)]
pub struct RoundModel {
    /// The round.
    pub round: Round,
    /// The round document's text as stored (and exported as `round.json`).
    pub round_text: String,
    /// Each criteria set's text by its path in the round folder.
    pub set_texts: BTreeMap<String, String>,
    /// Each block's criteria set, by block id.
    pub sets: HashMap<String, CriteriaSet>,
}

impl RoundModel {
    /// The criteria set and class labels of `unit`'s block.
    pub fn unit_set(&self, unit: &str) -> Option<(&CriteriaSet, Vec<String>)> {
        let u = self.round.unit(unit)?;
        let block = self.round.block(&u.block)?;
        let set = self.sets.get(&block.id)?;
        Some((set, block.class_labels()))
    }
}

/// Parses round `id` from the store without caching it (for a round being created in a
/// transaction that may still roll back).
pub fn load_uncached(conn: &Conn<'_>, id: &str) -> Result<RoundModel, ApiError> {
    load(conn, id)
}

/// Parsed rounds by id.
#[derive(Debug, Default)]
pub struct RoundCache {
    rounds: Mutex<HashMap<String, Arc<RoundModel>>>,
}

impl RoundCache {
    /// The round `id`, parsed from the store the first time.
    pub fn get(&self, conn: &Conn<'_>, id: &str) -> Result<Arc<RoundModel>, ApiError> {
        if let Some(model) = self.rounds.lock().ok().and_then(|m| m.get(id).cloned()) {
            return Ok(model);
        }
        let model = Arc::new(load(conn, id)?);
        if let Ok(mut m) = self.rounds.lock() {
            m.insert(id.to_owned(), Arc::clone(&model));
        }
        Ok(model)
    }
}

fn load(conn: &Conn<'_>, id: &str) -> Result<RoundModel, ApiError> {
    let doc = documents::get(conn, &keys::round(id))?.ok_or_else(|| ApiError::unknown_round(id))?;
    let round = Round::from_json(&doc.doc).map_err(ApiError::Invalid)?;
    let mut set_texts = BTreeMap::new();
    for d in documents::list(conn, id, None, Some(keys::CRITERIA))? {
        set_texts.insert(d.subject, d.doc);
    }
    let mut sets = HashMap::new();
    for block in &round.blocks {
        let text = set_texts
            .get(&block.criteria_set)
            .ok_or_else(|| ApiError::Internal(format!("the criteria set {} is not stored", block.criteria_set)))?;
        sets.insert(block.id.clone(), CriteriaSet::from_json(text).map_err(ApiError::Invalid)?);
    }
    Ok(RoundModel { round, round_text: doc.doc, set_texts, sets })
}

/// The documents of one unit.
#[derive(Debug, Default, Clone)]
pub struct UnitDocs {
    /// The draft self-assessment.
    pub draft: Option<Doc>,
    /// The submitted self-assessment.
    pub submitted: Option<Doc>,
    /// Appraisal stages by ascending stage number.
    pub stages: Vec<Doc>,
    /// Explanations.
    pub explanations: Option<Doc>,
    /// Survey results.
    pub survey: Option<Doc>,
    /// Class cap.
    pub class_cap: Option<Doc>,
    /// Each stage's progress (agencies done, a forced finalisation), by stage.
    pub progress: Vec<Doc>,
    /// An admin's reopening of the unit's self-assessment.
    pub reopen: Option<Doc>,
    /// What admins did to the unit's self-assessment, for the unit to read.
    pub notices: Option<Doc>,
}

impl UnitDocs {
    /// Sorts documents of one unit by kind.
    pub fn from_docs(docs: impl IntoIterator<Item = Doc>) -> UnitDocs {
        let mut out = UnitDocs::default();
        for d in docs {
            match d.kind.as_str() {
                keys::SELF_DRAFT => out.draft = Some(d),
                keys::SELF => out.submitted = Some(d),
                keys::APPRAISAL => out.stages.push(d),
                keys::EXPLANATIONS => out.explanations = Some(d),
                keys::SURVEY => out.survey = Some(d),
                keys::CLASS_CAP => out.class_cap = Some(d),
                keys::PROGRESS => out.progress.push(d),
                keys::SELF_REOPEN => out.reopen = Some(d),
                keys::NOTICES => out.notices = Some(d),
                _ => {}
            }
        }
        out.stages.sort_by_key(|d| d.stage);
        out
    }

    /// Loads the documents of `unit` in `round`.
    pub fn load(conn: &Conn<'_>, round: &str, unit: &str) -> Result<UnitDocs, ApiError> {
        Ok(UnitDocs::from_docs(documents::list(conn, round, Some(unit), None)?))
    }

    /// The progress document of stage `n`, parsed (`{}` when none).
    pub fn progress_of(&self, n: i64) -> Value {
        self.progress.iter().find(|d| d.stage == n).map_or_else(|| Value::Object(Default::default()), |d| parse(&d.doc))
    }

    /// Whether an admin reopened the unit's self-assessment until a day not yet past.
    pub fn reopened(&self, today: Option<parindex::Date>) -> bool {
        let until = self
            .reopen
            .as_ref()
            .and_then(|d| parse(&d.doc).get("until").and_then(Value::as_str).and_then(parindex::Date::parse));
        matches!((until, today), (Some(u), Some(t)) if t <= u)
    }

    /// Whether a stage is finalised with `"final": true`: the unit's appraisal is over.
    pub fn is_final(&self) -> bool {
        self.stages.iter().any(|s| s.finalised && parse(&s.doc).get("final").and_then(Value::as_bool) == Some(true))
    }

    /// The parts of the SPEC assessment document that count: the submitted self-assessment,
    /// the finalised stages, explanations, survey, class cap.
    pub fn official(&self) -> Parts {
        Parts {
            self_stage: self.submitted.as_ref().map(|d| parse(&d.doc)),
            stages: self.stages.iter().filter(|d| d.finalised).map(|d| parse(&d.doc)).collect(),
            explanations: self.explanations.as_ref().map(|d| parse(&d.doc)),
            survey: self.survey.as_ref().map(|d| parse(&d.doc)),
            class_cap: self.class_cap.as_ref().map(|d| parse(&d.doc)).filter(|v| !v.is_null()),
        }
    }
}

/// Stored JSON text back to a value (stored text was written from a value: never fails in
/// practice; `null` if it somehow does).
pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The parts of one unit's assessment document (SPEC §6).
#[derive(Debug, Default, Clone)]
pub struct Parts {
    /// `self`.
    pub self_stage: Option<Value>,
    /// `appraisals`, in stage order.
    pub stages: Vec<Value>,
    /// `explanations`.
    pub explanations: Option<Value>,
    /// `survey`.
    pub survey: Option<Value>,
    /// `class_cap`.
    pub class_cap: Option<Value>,
}

impl Parts {
    /// The assessment document, or `None` when there is nothing to put in it.
    pub fn document(&self, unit: &str) -> Option<Value> {
        if self.self_stage.is_none()
            && self.stages.is_empty()
            && self.explanations.is_none()
            && self.survey.is_none()
            && self.class_cap.is_none()
        {
            return None;
        }
        let mut doc = serde_json::Map::new();
        doc.insert("format".into(), Value::from(parindex::ASSESSMENT_FORMAT));
        doc.insert("unit".into(), Value::from(unit));
        if let Some(s) = &self.self_stage {
            doc.insert("self".into(), s.clone());
        }
        if !self.stages.is_empty() {
            doc.insert("appraisals".into(), Value::Array(self.stages.clone()));
        }
        if let Some(e) = &self.explanations {
            doc.insert("explanations".into(), e.clone());
        }
        if let Some(s) = &self.survey {
            doc.insert("survey".into(), s.clone());
        }
        if let Some(c) = &self.class_cap {
            doc.insert("class_cap".into(), c.clone());
        }
        Some(Value::Object(doc))
    }
}
