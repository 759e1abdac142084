//! The appraisal council's work (thẩm định) and the unit's answers: appraisal stages with
//! reasons and explanation requests, finalising a stage, the unit's explanations (giải
//! trình), survey results (điều tra xã hội học) and the class cap.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::unit::{UnitWrite, read_unit, stored, write_unit};
use super::{input_type, object};
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, Write, Written};
use crate::keys;
use crate::model::{UnitDocs, parse};

fn stage_number(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().ok().filter(|n| (1..=20).contains(n)).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownStage,
            format!("'{text}' is not an appraisal stage: stages are numbered 1, 2, …"),
        )
    })
}

fn not_final(docs: &UnitDocs) -> Result<(), ApiError> {
    if docs.is_final() {
        return Err(ApiError::new(
            ErrorCode::AppraisalFinal,
            "the unit's appraisal is final: nothing of it can change",
        ));
    }
    Ok(())
}

/// `GET …/units/{unit}/appraisals`: the stages (a unit sees only finalised ones).
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let is_unit = matches!(caller.role, Role::Unit(_));
    let value = read_unit(&state, caller, round, unit, move |_, _, docs| {
        let stages: Vec<Value> = docs.stages.iter().filter(|d| d.finalised || !is_unit).map(stored).collect();
        Ok(json!({ "stages": stages, "final": docs.is_final() }))
    })
    .await?;
    Ok(Json(value))
}

/// Checks and stores stage `n`, replacing the stage of that number among the official
/// (finalised) ones.
fn store_stage(
    at: &UnitWrite<'_, '_>,
    n: i64,
    stage: Map<String, Value>,
    finalised: bool,
    action: &str,
) -> Result<Written, ApiError> {
    let stage = Value::Object(stage);
    let mut parts = at.docs.official();
    parts.stages.retain(|s| s.get("stage").and_then(Value::as_i64) != Some(n));
    let index = parts.stages.len();
    parts.stages.push(stage.clone());
    at.check(&parts, &format!("/appraisals/{index}"))?;
    Ok(Written::ok(at.save(keys::APPRAISAL, n, finalised, &stage, action)?))
}

/// `PUT …/units/{unit}/appraisals/{stage}` (appraiser): `{"entries": {…}, "bonus"?, "penalty"?}`,
/// saved until the stage is finalised. Stage n needs stage n−1 finalised.
pub async fn put_stage(
    State(state): State<AppState>,
    Path((round, unit, stage)): Path<(String, String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let n = stage_number(&stage)?;
    let mut content = object(write.json()?, "the stage: {\"entries\": {…}, \"bonus\"?: […], \"penalty\"?: […]}")?;
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
    write_unit(&state, write, round, unit, move |at| {
        not_final(at.docs)?;
        if at.docs.stages.iter().any(|d| d.stage == n && d.finalised) {
            return Err(ApiError::new(ErrorCode::StageFinalised, format!("stage {n} is finalised and cannot change")));
        }
        if n > 1 && !at.docs.stages.iter().any(|d| d.stage == n - 1 && d.finalised) {
            return Err(ApiError::new(
                ErrorCode::PreviousStageOpen,
                format!("stage {} must be finalised before stage {n} is entered", n - 1),
            ));
        }
        let mut stage = Map::new();
        stage.insert("stage".into(), Value::from(n));
        content.remove("stage");
        stage.extend(content);
        store_stage(at, n, stage, false, "appraisal.put")
    })
    .await
}

/// `POST …/units/{unit}/appraisals/{stage}/finalise` (appraiser): the stage can no longer
/// change; with `{"final": true}` it is the unit's final appraisal (SPEC status `final`).
/// The latest stage, once finalised, may still be made final (after the unit's
/// explanations); nothing else about a finalised stage changes.
pub async fn finalise(
    State(state): State<AppState>,
    Path((round, unit, stage)): Path<(String, String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let n = stage_number(&stage)?;
    let is_final = match write.json_or_empty()? {
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
    write_unit(&state, write, round, unit, move |at| {
        not_final(at.docs)?;
        let doc = at.docs.stages.iter().find(|d| d.stage == n).ok_or_else(|| {
            ApiError::new(ErrorCode::UnknownStage, format!("stage {n} has not been entered for '{}'", at.unit))
        })?;
        let latest = at.docs.stages.iter().map(|d| d.stage).max() == Some(n);
        if doc.finalised && !(is_final && latest) {
            return Err(ApiError::new(ErrorCode::StageFinalised, format!("stage {n} is already finalised")));
        }
        let mut stage = match parse(&doc.doc) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        if is_final {
            stage.insert("final".into(), Value::Bool(true));
        }
        store_stage(at, n, stage, true, "appraisal.finalise")
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
}

async fn get_part(
    state: AppState,
    caller: Caller,
    round: String,
    unit: String,
    part: Part,
) -> Result<Json<Value>, ApiError> {
    let value = read_unit(&state, caller, round, unit, move |_, _, docs| {
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

async fn put_part(
    state: AppState,
    round: String,
    unit: String,
    write: Write,
    part: Part,
) -> Result<Response, ApiError> {
    let value = write.json()?;
    match part {
        Part::ClassCap if value.is_null() => {}
        _ => {
            object(value.clone(), "a JSON object")?;
        }
    }
    write_unit(&state, write, round, unit, move |at| {
        not_final(at.docs)?;
        if matches!(part, Part::Explanations) && !at.docs.stages.iter().any(|d| d.finalised) {
            return Err(ApiError::new(
                ErrorCode::NoAppraisalYet,
                "explanations answer a finalised appraisal stage; none is finalised yet",
            ));
        }
        let mut parts = at.docs.official();
        match part {
            Part::Explanations => parts.explanations = Some(value.clone()),
            Part::Survey => parts.survey = Some(value.clone()),
            Part::ClassCap => parts.class_cap = Some(value.clone()).filter(|v| !v.is_null()),
        }
        at.check(&parts, part.focus())?;
        Ok(Written::ok(at.save(part.kind(), 0, false, &value, &format!("{}.put", part.kind()))?))
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
    Path((r, u)): Path<(String, String)>,
    w: Write,
) -> Result<Response, ApiError> {
    put_part(s, r, u, w, Part::Explanations).await
}

/// `PUT …/units/{unit}/survey` (admin, appraiser): leaf code → survey result.
pub async fn put_survey(
    State(s): State<AppState>,
    Path((r, u)): Path<(String, String)>,
    w: Write,
) -> Result<Response, ApiError> {
    put_part(s, r, u, w, Part::Survey).await
}

/// `PUT …/units/{unit}/class-cap` (admin, appraiser): `{"label", "reason"}` or `null`.
pub async fn put_class_cap(
    State(s): State<AppState>,
    Path((r, u)): Path<(String, String)>,
    w: Write,
) -> Result<Response, ApiError> {
    put_part(s, r, u, w, Part::ClassCap).await
}
