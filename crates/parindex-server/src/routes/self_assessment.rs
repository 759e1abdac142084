//! A unit's self-assessment (tự đánh giá): a draft saved as often as the unit likes
//! (partial is fine, but what is there must be valid), then submitted (chốt): complete and
//! valid, stamped with the time, and read-only for the unit from then on.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use parindex_store::{Transaction, documents, time};
use serde_json::{Map, Value, json};

use super::rounds::{OFFSET_MINUTES, Window, round_for};
use super::{input_type, object, to_text};
use crate::auth::{Allow, Caller};
use crate::check::{check, completeness};
use crate::error::ApiError;
use crate::http::{AppState, RawBody, Written, read, write};
use crate::keys;
use crate::model::{RoundModel, UnitDocs, parse};

/// Who reads a unit's documents.
pub const READERS: &[Allow] = &[Allow::Admin, Allow::Appraiser, Allow::Auditor, Allow::OwnUnit];

/// The round and the unit's documents, for a caller already allowed on the route.
pub fn unit_docs(
    state: &AppState,
    tx: &Transaction<'_>,
    caller: &Caller,
    round: &str,
    unit: &str,
) -> Result<(Arc<RoundModel>, UnitDocs), ApiError> {
    let model = round_for(state, tx, caller, round)?;
    if model.round.unit(unit).is_none() {
        return Err(ApiError::unknown_unit(round, unit));
    }
    Ok((model, UnitDocs::load(tx, round, unit)?))
}

/// A stored document as JSON: the document, its version, when and by whom it was written.
pub fn stored(doc: &documents::Doc) -> Value {
    json!({
        "document": parse(&doc.doc),
        "version": doc.version,
        "finalised": doc.finalised,
        "updated_at": doc.updated_at,
        "updated_by": doc.updated_by,
    })
}

/// `GET …/units/{unit}/self-assessment`: `{"draft": …|null, "submitted": …|null}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    caller.require(READERS, Some(&unit))?;
    let st = state.clone();
    let value = read(&state, move |tx| {
        let (_, docs) = unit_docs(&st, tx, &caller, &round, &unit)?;
        Ok(json!({
            "draft": docs.draft.as_ref().map(stored),
            "submitted": docs.submitted.as_ref().map(stored),
        }))
    })
    .await?;
    Ok(Json(value))
}

/// The checks before any change to a draft: the window is open, nothing is submitted yet,
/// and `If-Match` (when sent) names the draft's current version.
fn may_edit(tx: &Transaction<'_>, round: &str, docs: &UnitDocs, if_match: Option<i64>) -> Result<(), ApiError> {
    if !Window::load(tx, round)?.open {
        return Err(ApiError::conflict("self_assessment_closed", "self-assessment is closed for this round"));
    }
    if docs.submitted.is_some() {
        return Err(ApiError::conflict(
            "already_submitted",
            "the self-assessment is submitted and can no longer change",
        ));
    }
    let current = docs.draft.as_ref().map_or(0, |d| d.version);
    if let Some(expected) = if_match
        && expected != current
    {
        return Err(ApiError::conflict(
            "version_conflict",
            format!("the draft is at version {current}, not {expected}: read it again and re-apply the change"),
        ));
    }
    Ok(())
}

fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(axum::http::header::IF_MATCH) else { return Ok(None) };
    v.to_str()
        .ok()
        .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|s| s.parse().ok())
        .map(Some)
        .ok_or_else(|| ApiError::bad_request("bad_if_match", "If-Match must be the draft's version number, e.g. \"3\""))
}

/// A self stage without `submitted_at` (the server stamps it).
fn self_object(value: Value) -> Result<Map<String, Value>, ApiError> {
    let map = object(value, "the self-assessment: {\"entries\": {…}, \"bonus\": […], \"penalty\": […]}")?;
    if map.contains_key("submitted_at") {
        return Err(input_type("/submitted_at", "\"submitted_at\" is set by the server when the unit submits"));
    }
    Ok(map)
}

/// One unit of a round, with its documents as they are before a write.
#[derive(Debug, Clone, Copy)]
pub struct UnitAt<'a> {
    /// The round, parsed.
    pub model: &'a RoundModel,
    /// The unit's documents.
    pub docs: &'a UnitDocs,
    /// The round's id.
    pub round: &'a str,
    /// The unit's id.
    pub unit: &'a str,
}

/// Checks and stores a new draft.
fn save_draft(
    tx: &Transaction<'_>,
    at: UnitAt<'_>,
    draft: Map<String, Value>,
    actor: &str,
    action: &str,
) -> Result<Written, ApiError> {
    let UnitAt { model, docs, round, unit } = at;
    let mut parts = docs.official();
    parts.self_stage = Some(Value::Object(draft.clone()));
    check(model, unit, &parts, "/self")?;
    let text = to_text(&Value::Object(draft));
    let put = documents::Put {
        key: &keys::unit(round, unit, "self-draft"),
        round,
        subject: unit,
        kind: keys::SELF_DRAFT,
        stage: 0,
        doc: &text,
        finalised: false,
    };
    let doc = documents::put(tx, &put, actor, action)?;
    Ok(Written::ok(stored(&doc)))
}

/// `PUT …/units/{unit}/self-assessment/draft` (the unit): replaces the draft.
#[allow(clippy::too_many_arguments)]
pub async fn put_draft(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: RawBody,
) -> Result<Response, ApiError> {
    caller.require(&[Allow::OwnUnit], Some(&unit))?;
    let expected = if_match(&headers)?;
    let draft = self_object(body.json()?)?;
    let st = state.clone();
    write(&state, caller, &headers, &method, uri.path(), &body.0, move |tx, caller| {
        let (model, docs) = unit_docs(&st, tx, caller, &round, &unit)?;
        may_edit(tx, &round, &docs, expected)?;
        let at = UnitAt { model: &model, docs: &docs, round: &round, unit: &unit };
        save_draft(tx, at, draft, &caller.actor(), "self.draft.put")
    })
    .await
}

/// `PATCH …/units/{unit}/self-assessment/draft` (the unit): merges entries into the draft
/// (`null` removes one); `bonus` and `penalty`, when given, replace the lists.
#[allow(clippy::too_many_arguments)]
pub async fn patch_draft(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: RawBody,
) -> Result<Response, ApiError> {
    caller.require(&[Allow::OwnUnit], Some(&unit))?;
    let expected = if_match(&headers)?;
    let patch = self_object(body.json()?)?;
    let entries = match patch.get("entries") {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            return Err(input_type(
                "/entries",
                "\"entries\" must be an object: criterion code → entry (or null to remove)",
            ));
        }
    };
    let st = state.clone();
    write(&state, caller, &headers, &method, uri.path(), &body.0, move |tx, caller| {
        let (model, docs) = unit_docs(&st, tx, caller, &round, &unit)?;
        may_edit(tx, &round, &docs, expected)?;
        let mut draft = match docs.draft.as_ref().map(|d| parse(&d.doc)) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let mut merged = match draft.remove("entries") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        for (code, entry) in entries {
            if entry.is_null() {
                merged.remove(&code);
            } else {
                merged.insert(code, entry);
            }
        }
        draft.insert("entries".into(), Value::Object(merged));
        for (k, v) in patch.iter().filter(|(k, _)| k.as_str() != "entries") {
            draft.insert(k.clone(), v.clone());
        }
        let at = UnitAt { model: &model, docs: &docs, round: &round, unit: &unit };
        save_draft(tx, at, draft, &caller.actor(), "self.draft.patch")
    })
    .await
}

/// `POST …/units/{unit}/self-assessment/submit` (the unit): submits the draft, or the
/// self-assessment in the body. Refused after the deadline (409) unless an admin reopened.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: RawBody,
) -> Result<Response, ApiError> {
    caller.require(&[Allow::OwnUnit], Some(&unit))?;
    let given = body.json_or_empty()?.map(self_object).transpose()?;
    let st = state.clone();
    write(&state, caller, &headers, &method, uri.path(), &body.0, move |tx, caller| {
        let (model, docs) = unit_docs(&st, tx, caller, &round, &unit)?;
        if docs.submitted.is_some() {
            return Err(ApiError::conflict("already_submitted", "the self-assessment is already submitted"));
        }
        if let Some(refusal) = Window::load(tx, &round)?.refuses_submission(&model) {
            return Err(refusal);
        }
        let content = match given {
            Some(m) => m,
            None => match docs.draft.as_ref().map(|d| parse(&d.doc)) {
                Some(Value::Object(m)) => m,
                _ => {
                    return Err(ApiError::conflict(
                        "no_draft",
                        "there is no draft to submit: save a draft first, or send the self-assessment in the body",
                    ));
                }
            },
        };
        let mut stage = Map::new();
        stage.insert("submitted_at".into(), Value::from(time::rfc3339(time::now_unix(), OFFSET_MINUTES)));
        stage.extend(content);
        let mut parts = docs.official();
        parts.self_stage = Some(Value::Object(stage.clone()));
        let assessment = check(&model, &unit, &parts, "/self")?;
        completeness(&model, &unit, assessment.as_ref())?;
        let text = to_text(&Value::Object(stage));
        let put = documents::Put {
            key: &keys::unit(&round, &unit, "self"),
            round: &round,
            subject: &unit,
            kind: keys::SELF,
            stage: 0,
            doc: &text,
            finalised: true,
        };
        let doc = documents::put(tx, &put, &caller.actor(), "self.submit")?;
        Ok(Written::created(stored(&doc)))
    })
    .await
}
