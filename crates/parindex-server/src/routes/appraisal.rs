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
use crate::workflow::{Workflow, in_scope};
use parindex_store::time;

use super::rounds::OFFSET_MINUTES;

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
        let stages: Vec<Value> = docs
            .stages
            .iter()
            .filter(|d| d.finalised || !is_unit)
            .map(|d| {
                let mut v = stored(d);
                if let Value::Object(m) = &mut v {
                    m.insert("progress".into(), docs.progress_of(d.stage));
                }
                v
            })
            .collect();
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

/// The stage's checks before an entry changes: not final, not finalised, the previous
/// stage finalised, inside the stage's window.
fn stage_open(at: &UnitWrite<'_, '_>, workflow: &Workflow, n: i64) -> Result<(), ApiError> {
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
    workflow.check_stage(n)
}

/// The subtrees `agency` appraises in the unit's block: 403 when the round names no such
/// agency or gives it nothing in this block.
fn agency_scope(at: &UnitWrite<'_, '_>, workflow: &Workflow, agency: &str) -> Result<(String, Vec<String>), ApiError> {
    let block = at.model.round.unit(at.unit).map(|u| u.block.clone()).unwrap_or_default();
    let Some(a) = workflow.agencies.get(agency) else {
        return Err(ApiError::new(
            ErrorCode::OutsideScope,
            format!("cơ quan '{agency}' không có tên trong danh sách cơ quan thẩm định của vòng '{}'", at.round),
        ));
    };
    match a.scopes.get(&block).filter(|c| !c.is_empty()) {
        Some(codes) => Ok((block, codes.clone())),
        None => Err(ApiError::new(
            ErrorCode::OutsideScope,
            format!("{} ('{agency}') không thẩm định tiêu chí nào của khối '{block}'", a.name),
        )),
    }
}

/// Whether `agency` marked its scope of stage `n` done.
fn agency_done(docs: &UnitDocs, n: i64, agency: &str) -> bool {
    docs.progress_of(n).get("done").and_then(|d| d.get(agency)).is_some()
}

/// `PUT …/units/{unit}/appraisals/{stage}` (appraiser, `appraiser:<agency>`):
/// `{"entries": {…}, "bonus"?, "penalty"?}`, saved until the stage is finalised. Stage n
/// needs stage n−1 finalised. An agency sends only `entries`, all inside its scope: they
/// replace its earlier entries of the stage and carry `"by": "<agency>"`; the other
/// agencies' entries stay.
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
        let workflow = Workflow::load(at.tx, at.round)?;
        stage_open(at, &workflow, n)?;
        let mut stage = Map::new();
        stage.insert("stage".into(), Value::from(n));
        content.remove("stage");
        if let Role::Agency(agency) = &at.caller.role {
            let (block, scopes) = agency_scope(at, &workflow, agency)?;
            let scope_text = format!("khối '{block}': {}", scopes.join(", "));
            if let Some(other) = content.keys().find(|k| k.as_str() != "entries") {
                return Err(ApiError::new(
                    ErrorCode::OutsideScope,
                    format!("\"{other}\" là việc của hội đồng; cơ quan '{agency}' chỉ ghi các mục trong phạm vi của mình ({scope_text})"),
                ));
            }
            let entries = match content.remove("entries") {
                None => Map::new(),
                Some(Value::Object(m)) => m,
                Some(_) => return Err(input_type("/entries", "\"entries\" là object: mã tiêu chí → mục chấm")),
            };
            let outside: Vec<&str> = entries.keys().map(String::as_str).filter(|c| !in_scope(c, &scopes)).collect();
            if !outside.is_empty() {
                return Err(ApiError::new(
                    ErrorCode::OutsideScope,
                    format!(
                        "mục {} nằm ngoài phạm vi thẩm định của cơ quan '{agency}' ({scope_text})",
                        outside.join(", ")
                    ),
                ));
            }
            if agency_done(at.docs, n, agency) {
                return Err(ApiError::new(
                    ErrorCode::ScopeDone,
                    format!("cơ quan '{agency}' đã báo hoàn thành vòng {n}; gửi {{\"done\": false}} tới …/appraisals/{n}/done để sửa"),
                ));
            }
            // The stage as it is, without this agency's part, then its new entries.
            let current = match at.docs.stages.iter().find(|d| d.stage == n).map(|d| parse(&d.doc)) {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            };
            let mut merged = match current.get("entries") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            };
            merged.retain(|code, e| !in_scope(code, &scopes) && e.get("by").and_then(Value::as_str) != Some(agency));
            for (code, entry) in entries {
                let mut entry = match entry {
                    Value::Object(m) => m,
                    other => {
                        merged.insert(code, other);
                        continue;
                    }
                };
                entry.insert("by".into(), Value::from(agency.as_str()));
                merged.insert(code, Value::Object(entry));
            }
            for (k, v) in current {
                if k != "stage" && k != "entries" {
                    stage.insert(k, v);
                }
            }
            stage.insert("entries".into(), Value::Object(merged));
            return store_stage(at, n, stage, false, &format!("appraisal.put.{agency}"));
        }
        // `by` is the server's: an entry may keep the agency the stage already records for it
        // (the whole stage sent back), never name one anew.
        if let Some(Value::Object(entries)) = content.get("entries") {
            let current = at.docs.stages.iter().find(|d| d.stage == n).map(|d| parse(&d.doc)).unwrap_or(Value::Null);
            for (code, entry) in entries {
                if let Some(by) = entry.get("by")
                    && current.get("entries").and_then(|e| e.get(code)).and_then(|e| e.get("by")) != Some(by)
                {
                    return Err(input_type(
                        &format!("/entries/{}/by", code.replace('~', "~0").replace('/', "~1")),
                        "\"by\" do máy chủ ghi theo mã truy cập appraiser:<agency> của cơ quan thẩm định",
                    ));
                }
            }
        }
        stage.extend(content);
        store_stage(at, n, stage, false, "appraisal.put")
    })
    .await
}

/// `POST …/units/{unit}/appraisals/{stage}/done` (`appraiser:<agency>`): `{"done": true}`
/// (the default) marks the agency's scope of the stage done; `false` takes it back.
pub async fn done(
    State(state): State<AppState>,
    Path((round, unit, stage)): Path<(String, String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let n = stage_number(&stage)?;
    let is_done = match write.json_or_empty()? {
        None => true,
        Some(v) => match object(v, "{\"done\": true|false}")?.get("done") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(input_type("/done", "\"done\" là true hoặc false")),
        },
    };
    write_unit(&state, write, round, unit, move |at| {
        let Role::Agency(agency) = &at.caller.role else {
            return Err(ApiError::forbidden("chỉ cơ quan thẩm định (appraiser:<agency>) báo hoàn thành phần của mình"));
        };
        let workflow = Workflow::load(at.tx, at.round)?;
        stage_open(at, &workflow, n)?;
        agency_scope(at, &workflow, agency)?;
        let mut progress = match at.docs.progress_of(n) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let mut done = match progress.remove("done") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        if is_done {
            done.insert(agency.clone(), json!({"at": time::rfc3339(time::now_unix(), OFFSET_MINUTES), "by": at.actor}));
        } else {
            done.remove(agency);
        }
        progress.insert("done".into(), Value::Object(done));
        let action = if is_done { "appraisal.done" } else { "appraisal.undone" };
        Ok(Written::ok(at.save(keys::PROGRESS, n, false, &Value::Object(progress), action)?))
    })
    .await
}

/// The agencies that must be done with stage `n` of the unit and are not.
fn missing_scopes(at: &UnitWrite<'_, '_>, workflow: &Workflow, n: i64) -> Vec<String> {
    let block = at.model.round.unit(at.unit).map(|u| u.block.clone()).unwrap_or_default();
    workflow
        .agencies_for(&block)
        .into_iter()
        .filter(|(id, _)| !agency_done(at.docs, n, id))
        .map(|(id, _)| id.to_owned())
        .collect()
}

/// `POST …/units/{unit}/appraisals/{stage}/finalise` (council, admin, appraiser): the stage
/// can no longer change; with `{"final": true}` it is the unit's final appraisal (SPEC
/// status `final`). When the round names appraising agencies, every agency with a scope in
/// the unit's block must be done, unless `{"force": true, "reason": "…"}` (recorded).
/// The latest stage, once finalised, may still be made final (after the unit's
/// explanations); nothing else about a finalised stage changes.
pub async fn finalise(
    State(state): State<AppState>,
    Path((round, unit, stage)): Path<(String, String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let n = stage_number(&stage)?;
    let mut is_final = false;
    let mut force: Option<String> = None;
    if let Some(v) = write.json_or_empty()? {
        let map = object(v, "{\"final\"?: true|false, \"force\"?: true, \"reason\"?: \"…\"}")?;
        match map.get("final") {
            None => {}
            Some(Value::Bool(b)) => is_final = *b,
            Some(_) => return Err(input_type("/final", "\"final\" must be true or false")),
        }
        match map.get("force") {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => match map.get("reason").and_then(Value::as_str).map(str::trim) {
                Some(r) if !r.is_empty() => force = Some(r.to_owned()),
                _ => return Err(input_type("/reason", "chốt vòng khi còn cơ quan chưa xong cần \"reason\": lý do")),
            },
            Some(_) => return Err(input_type("/force", "\"force\" là true hoặc false")),
        }
    }
    write_unit(&state, write, round, unit, move |at| {
        not_final(at.docs)?;
        let doc = at.docs.stages.iter().find(|d| d.stage == n).ok_or_else(|| {
            ApiError::new(ErrorCode::UnknownStage, format!("stage {n} has not been entered for '{}'", at.unit))
        })?;
        let latest = at.docs.stages.iter().map(|d| d.stage).max() == Some(n);
        if doc.finalised && !(is_final && latest) {
            return Err(ApiError::new(ErrorCode::StageFinalised, format!("stage {n} is already finalised")));
        }
        if !doc.finalised {
            let workflow = Workflow::load(at.tx, at.round)?;
            let missing = missing_scopes(at, &workflow, n);
            if !missing.is_empty() {
                let Some(reason) = &force else {
                    return Err(ApiError::new(
                        ErrorCode::ScopesNotDone,
                        format!(
                            "vòng {n} chưa thể chốt: cơ quan {} chưa báo hoàn thành phần thẩm định của mình; chốt bắt buộc bằng {{\"force\": true, \"reason\": \"…\"}}",
                            missing.join(", ")
                        ),
                    ));
                };
                let mut progress = match at.docs.progress_of(n) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                progress.insert(
                    "forced".into(),
                    json!({"reason": reason, "missing": missing, "by": at.actor, "at": time::rfc3339(time::now_unix(), OFFSET_MINUTES)}),
                );
                at.save(keys::PROGRESS, n, true, &Value::Object(progress), "appraisal.finalise.forced")?;
            }
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
        if matches!(part, Part::Explanations) {
            Workflow::load(at.tx, at.round)?.check_explanations()?;
        }
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
