//! The appraisal council's work (thẩm định) and the unit's answers: appraisal stages with
//! reasons and explanation requests, finalising a stage, the unit's explanations (giải
//! trình), survey results (điều tra xã hội học) and the class cap.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use parindex_store::{Transaction, documents};
use serde_json::{Map, Value, json};

use super::self_assessment::{READERS, UnitAt, stored, unit_docs};
use super::{input_type, object, to_text};
use crate::auth::{Allow, Caller, Role};
use crate::check::check;
use crate::error::ApiError;
use crate::http::{AppState, RawBody, Written, read, write};
use crate::keys;
use crate::model::{UnitDocs, parse};

/// Who appraises.
const APPRAISERS: &[Allow] = &[Allow::Appraiser];
/// Who enters survey results and class caps.
const COUNCIL: &[Allow] = &[Allow::Admin, Allow::Appraiser];

fn stage_number(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().ok().filter(|n| (1..=20).contains(n)).ok_or_else(|| ApiError::NotFound {
        code: "unknown_stage",
        message: format!("'{text}' is not an appraisal stage: stages are numbered 1, 2, …"),
    })
}

fn not_final(docs: &UnitDocs) -> Result<(), ApiError> {
    if docs.is_final() {
        return Err(ApiError::conflict("appraisal_final", "the unit's appraisal is final: nothing of it can change"));
    }
    Ok(())
}

/// `GET …/units/{unit}/appraisals`: the stages (a unit sees only finalised ones).
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    caller.require(READERS, Some(&unit))?;
    let st = state.clone();
    let value = read(&state, move |tx| {
        let (_, docs) = unit_docs(&st, tx, &caller, &round, &unit)?;
        let is_unit = matches!(caller.role, Role::Unit(_));
        let stages: Vec<Value> = docs.stages.iter().filter(|d| d.finalised || !is_unit).map(stored).collect();
        Ok(json!({ "stages": stages, "final": docs.is_final() }))
    })
    .await?;
    Ok(Json(value))
}

fn store_stage(
    tx: &Transaction<'_>,
    at: UnitAt<'_>,
    n: i64,
    stage: Map<String, Value>,
    finalised: bool,
    actor: &str,
    action: &str,
) -> Result<Written, ApiError> {
    let UnitAt { model, docs, round, unit } = at;
    let mut parts = docs.official();
    parts.stages.retain(|s| s.get("stage").and_then(Value::as_i64) != Some(n));
    let index = parts.stages.len();
    parts.stages.push(Value::Object(stage.clone()));
    check(model, unit, &parts, &format!("/appraisals/{index}"))?;
    let text = to_text(&Value::Object(stage));
    let key = keys::stage(round, unit, n);
    let put =
        documents::Put { key: &key, round, subject: unit, kind: keys::APPRAISAL, stage: n, doc: &text, finalised };
    let doc = documents::put(tx, &put, actor, action)?;
    Ok(Written::ok(stored(&doc)))
}

/// `PUT …/units/{unit}/appraisals/{stage}` (appraiser): `{"entries": {…}, "bonus"?, "penalty"?}`,
/// saved until the stage is finalised. Stage n needs stage n−1 finalised.
#[allow(clippy::too_many_arguments)]
pub async fn put_stage(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit, stage)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: RawBody,
) -> Result<Response, ApiError> {
    caller.require(APPRAISERS, Some(&unit))?;
    let n = stage_number(&stage)?;
    let mut content = object(body.json()?, "the stage: {\"entries\": {…}, \"bonus\"?: […], \"penalty\"?: […]}")?;
    if content.contains_key("final") {
        return Err(input_type("/final", "a stage becomes final through POST …/appraisals/{stage}/finalise"));
    }
    match content.get("stage") {
        None => {}
        Some(v) if v.as_i64() == Some(n) => {}
        Some(_) => {
            return Err(input_type("/stage", format!("\"stage\" must be {n}, the stage in the URL (or left out)")));
        }
    }
    let st = state.clone();
    write(&state, caller, &headers, &method, uri.path(), &body.0, move |tx, caller| {
        let (model, docs) = unit_docs(&st, tx, caller, &round, &unit)?;
        not_final(&docs)?;
        if docs.stages.iter().any(|d| d.stage == n && d.finalised) {
            return Err(ApiError::conflict("stage_finalised", format!("stage {n} is finalised and cannot change")));
        }
        if n > 1 && !docs.stages.iter().any(|d| d.stage == n - 1 && d.finalised) {
            return Err(ApiError::conflict(
                "previous_stage_open",
                format!("stage {} must be finalised before stage {n} is entered", n - 1),
            ));
        }
        let mut stage = Map::new();
        stage.insert("stage".into(), Value::from(n));
        content.remove("stage");
        stage.extend(content);
        let at = UnitAt { model: &model, docs: &docs, round: &round, unit: &unit };
        store_stage(tx, at, n, stage, false, &caller.actor(), "appraisal.put")
    })
    .await
}

/// `POST …/units/{unit}/appraisals/{stage}/finalise` (appraiser): the stage can no longer
/// change; with `{"final": true}` it is the unit's final appraisal (SPEC status `final`).
/// The latest stage, once finalised, may still be made final (after the unit's
/// explanations); nothing else about a finalised stage changes.
pub async fn finalise(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit, stage)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: RawBody,
) -> Result<Response, ApiError> {
    caller.require(APPRAISERS, Some(&unit))?;
    let n = stage_number(&stage)?;
    let is_final = match body.json_or_empty()? {
        None => false,
        Some(v) => {
            let map = object(v, "{\"final\": true|false}")?;
            match map.get("final") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(input_type("/final", "\"final\" must be true or false")),
            }
        }
    };
    let st = state.clone();
    write(&state, caller, &headers, &method, uri.path(), &body.0, move |tx, caller| {
        let (model, docs) = unit_docs(&st, tx, caller, &round, &unit)?;
        not_final(&docs)?;
        let doc = docs.stages.iter().find(|d| d.stage == n).ok_or_else(|| ApiError::NotFound {
            code: "unknown_stage",
            message: format!("stage {n} has not been entered for '{unit}'"),
        })?;
        let latest = docs.stages.iter().map(|d| d.stage).max() == Some(n);
        if doc.finalised && !(is_final && latest) {
            return Err(ApiError::conflict("stage_finalised", format!("stage {n} is already finalised")));
        }
        let mut stage = match parse(&doc.doc) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        if is_final {
            stage.insert("final".into(), Value::Bool(true));
        }
        let at = UnitAt { model: &model, docs: &docs, round: &round, unit: &unit };
        store_stage(tx, at, n, stage, true, &caller.actor(), "appraisal.finalise")
    })
    .await
}

/// Which part of a unit's assessment a simple document route writes.
#[derive(Debug, Clone, Copy)]
enum Part {
    Explanations,
    Survey,
    ClassCap,
}

impl Part {
    fn kind(self) -> &'static str {
        match self {
            Part::Explanations => keys::EXPLANATIONS,
            Part::Survey => keys::SURVEY,
            Part::ClassCap => keys::CLASS_CAP,
        }
    }

    fn focus(self) -> &'static str {
        match self {
            Part::Explanations => "/explanations",
            Part::Survey => "/survey",
            Part::ClassCap => "/class_cap",
        }
    }

    fn writers(self) -> &'static [Allow] {
        match self {
            Part::Explanations => &[Allow::OwnUnit],
            Part::Survey | Part::ClassCap => COUNCIL,
        }
    }
}

async fn get_part(
    state: AppState,
    caller: Caller,
    round: String,
    unit: String,
    part: Part,
) -> Result<Json<Value>, ApiError> {
    caller.require(READERS, Some(&unit))?;
    let st = state.clone();
    let value = read(&state, move |tx| {
        let (_, docs) = unit_docs(&st, tx, &caller, &round, &unit)?;
        let doc = match part {
            Part::Explanations => docs.explanations,
            Part::Survey => docs.survey,
            Part::ClassCap => docs.class_cap,
        };
        Ok(doc.as_ref().map_or(Value::Null, stored))
    })
    .await?;
    Ok(Json(value))
}

#[allow(clippy::too_many_arguments)]
async fn put_part(
    state: AppState,
    caller: Caller,
    round: String,
    unit: String,
    method: Method,
    path: String,
    headers: HeaderMap,
    body: RawBody,
    part: Part,
) -> Result<Response, ApiError> {
    caller.require(part.writers(), Some(&unit))?;
    let value = body.json()?;
    match part {
        Part::ClassCap if value.is_null() => {}
        _ => {
            object(value.clone(), "a JSON object")?;
        }
    }
    let st = state.clone();
    write(&state, caller, &headers, &method, &path, &body.0, move |tx, caller| {
        let (model, docs) = unit_docs(&st, tx, caller, &round, &unit)?;
        not_final(&docs)?;
        if matches!(part, Part::Explanations) && !docs.stages.iter().any(|d| d.finalised) {
            return Err(ApiError::conflict(
                "no_appraisal_yet",
                "explanations answer a finalised appraisal stage; none is finalised yet",
            ));
        }
        let mut parts = docs.official();
        match part {
            Part::Explanations => parts.explanations = Some(value.clone()),
            Part::Survey => parts.survey = Some(value.clone()),
            Part::ClassCap => parts.class_cap = Some(value.clone()).filter(|v| !v.is_null()),
        }
        check(&model, &unit, &parts, part.focus())?;
        let text = to_text(&value);
        let key = keys::unit(&round, &unit, part.kind());
        let put = documents::Put {
            key: &key,
            round: &round,
            subject: &unit,
            kind: part.kind(),
            stage: 0,
            doc: &text,
            finalised: false,
        };
        let doc = documents::put(tx, &put, &caller.actor(), &format!("{}.put", part.kind()))?;
        Ok(Written::ok(stored(&doc)))
    })
    .await
}

/// `GET …/units/{unit}/explanations`.
pub async fn get_explanations(
    State(s): State<AppState>,
    c: Caller,
    Path((r, u)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    get_part(s, c, r, u, Part::Explanations).await
}

/// `GET …/units/{unit}/survey`.
pub async fn get_survey(
    State(s): State<AppState>,
    c: Caller,
    Path((r, u)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    get_part(s, c, r, u, Part::Survey).await
}

/// `GET …/units/{unit}/class-cap`.
pub async fn get_class_cap(
    State(s): State<AppState>,
    c: Caller,
    Path((r, u)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    get_part(s, c, r, u, Part::ClassCap).await
}

/// `PUT …/units/{unit}/explanations` (the unit): leaf code → `{"note", "evidence"}`.
pub async fn put_explanations(
    State(s): State<AppState>,
    c: Caller,
    Path((r, u)): Path<(String, String)>,
    m: Method,
    uri: Uri,
    h: HeaderMap,
    b: RawBody,
) -> Result<Response, ApiError> {
    put_part(s, c, r, u, m, uri.path().to_owned(), h, b, Part::Explanations).await
}

/// `PUT …/units/{unit}/survey` (admin, appraiser): leaf code → survey result.
pub async fn put_survey(
    State(s): State<AppState>,
    c: Caller,
    Path((r, u)): Path<(String, String)>,
    m: Method,
    uri: Uri,
    h: HeaderMap,
    b: RawBody,
) -> Result<Response, ApiError> {
    put_part(s, c, r, u, m, uri.path().to_owned(), h, b, Part::Survey).await
}

/// `PUT …/units/{unit}/class-cap` (admin, appraiser): `{"label", "reason"}` or `null`.
pub async fn put_class_cap(
    State(s): State<AppState>,
    c: Caller,
    Path((r, u)): Path<(String, String)>,
    m: Method,
    uri: Uri,
    h: HeaderMap,
    b: RawBody,
) -> Result<Response, ApiError> {
    put_part(s, c, r, u, m, uri.path().to_owned(), h, b, Part::ClassCap).await
}
