//! Scores: the whole results document (byte for byte what `parindex score` prints for the
//! exported folder), one block's ranked table, one unit's result with how each criterion
//! was scored, and a unit's assessment document as it stands.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use parindex::NodeKind;
use parindex::{ResultsDocument, RoundFolder, score_round};
use parindex_store::{Transaction, documents};
use serde_json::{Value, json};

use super::rounds::round_for;
use super::to_text;
use super::unit::read_unit;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, read};
use crate::model::{RoundModel, UnitDocs};

/// The round as a folder: `round.json`, its criteria sets, and `assessments/<unit>.json`
/// for every unit with anything submitted, finalised or entered (file text by path).
pub fn round_files(tx: &Transaction<'_>, model: &RoundModel) -> Result<BTreeMap<String, String>, ApiError> {
    let mut files = BTreeMap::new();
    files.insert("round.json".to_owned(), model.round_text.clone());
    for (path, text) in &model.set_texts {
        files.insert(path.clone(), text.clone());
    }
    let mut by_unit: BTreeMap<String, Vec<documents::Doc>> = BTreeMap::new();
    for d in documents::list(tx, &model.round.id, None, None)? {
        if model.round.unit(&d.subject).is_some() {
            by_unit.entry(d.subject.clone()).or_default().push(d);
        }
    }
    for (unit, docs) in by_unit {
        if let Some(doc) = UnitDocs::from_docs(docs).official().document(&unit) {
            files.insert(format!("assessments/{unit}.json"), to_text(&doc));
        }
    }
    Ok(files)
}

/// Loads the folder from its files and scores it with the engine.
pub fn score_files(files: &BTreeMap<String, String>) -> Result<(RoundFolder, ResultsDocument), ApiError> {
    let folder = RoundFolder::from_files(files).map_err(|e| match e {
        parindex::FolderError::Invalid(d) => ApiError::Invalid(d),
        other => ApiError::Internal(other.to_string()),
    })?;
    let results = score_round(&folder);
    Ok((folder, results))
}

fn scored(state: &AppState, tx: &Transaction<'_>, caller: &Caller, round: &str) -> Result<ResultsDocument, ApiError> {
    let model = round_for(state, tx, caller, round)?;
    let files = round_files(tx, &model)?;
    Ok(score_files(&files)?.1)
}

/// `GET /v1/rounds/{round}/results` (admin, appraiser, auditor): the results document.
pub async fn results(
    State(state): State<AppState>,
    caller: Caller,
    Path(round): Path<String>,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let text = read(&state, move |tx| Ok(scored(&st, tx, &caller, &round)?.to_json_pretty())).await?;
    Ok(([(CONTENT_TYPE, "application/json")], text).into_response())
}

/// `GET /v1/rounds/{round}/blocks/{block}/table` (admin, appraiser, auditor): one block's ranked table.
pub async fn table(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, block)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let st = state.clone();
    let value = read(&state, move |tx| {
        let results = scored(&st, tx, &caller, &round)?;
        let table = results.blocks.iter().find(|b| b.id == block).ok_or_else(|| {
            ApiError::new(ErrorCode::UnknownBlock, format!("the round '{round}' has no block '{block}'"))
        })?;
        Ok(json!({ "round": results.round, "block": table }))
    })
    .await?;
    Ok(Json(value))
}

/// `GET /v1/rounds/{round}/units/{unit}/score`: the unit's row of the results, and for each
/// criterion its rule, the unit's self entry, each finalised stage's entry with its reason,
/// and the unit's explanation.
pub async fn unit_score(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let value = read_unit(&state, caller, round.clone(), unit.clone(), move |tx, model, docs| {
        let files = round_files(tx, model)?;
        let (_, results) = score_files(&files)?;
        let (block, row) = results
            .blocks
            .iter()
            .find_map(|b| b.units.iter().find(|u| u.unit == unit).map(|u| (b.id.clone(), u)))
            .ok_or_else(|| ApiError::unknown_unit(&round, &unit))?;
        let parts = docs.official();
        let set = model.unit_set(&unit).map(|(s, _)| s).ok_or_else(|| ApiError::unknown_unit(&round, &unit))?;
        let entry = |stage: &Value, code: &str| stage.get("entries").and_then(|e| e.get(code)).cloned();
        let criteria: Vec<Value> = set
            .nodes()
            .iter()
            .map(|node| match &node.kind {
                NodeKind::Group { .. } => json!({"code": node.code, "title": node.title, "max": node.max}),
                NodeKind::Leaf(leaf) => {
                    let stages: Vec<Value> = parts
                        .stages
                        .iter()
                        .filter_map(|s| {
                            entry(s, &node.code).map(|e| match e.get("by") {
                                Some(by) => json!({"stage": s.get("stage"), "by": by, "entry": e}),
                                None => json!({"stage": s.get("stage"), "entry": e}),
                            })
                        })
                        .collect();
                    json!({
                        "code": node.code,
                        "title": node.title,
                        "max": node.max,
                        "rule": leaf.rule.kind_name(),
                        "self": parts.self_stage.as_ref().and_then(|s| entry(s, &node.code)),
                        "stages": stages,
                        "survey": parts.survey.as_ref().and_then(|s| s.get(&node.code)).cloned(),
                        "explanation": parts.explanations.as_ref().and_then(|e| e.get(&node.code)).cloned(),
                    })
                }
            })
            .collect();
        Ok(json!({ "round": round, "block": block, "result": row, "criteria": criteria }))
    })
    .await?;
    Ok(Json(value))
}

/// `GET /v1/rounds/{round}/units/{unit}/assessment`: the unit's assessment document (SPEC §6)
/// as it counts now (submitted self-assessment, finalised stages, explanations, survey,
/// class cap), or `null`.
pub async fn assessment(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let value = read_unit(&state, caller, round, unit.clone(), move |_, _, docs| {
        Ok(docs.official().document(&unit).unwrap_or(Value::Null))
    })
    .await?;
    Ok(Json(value))
}
