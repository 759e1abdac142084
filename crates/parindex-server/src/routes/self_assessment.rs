//! A unit's self-assessment (tự đánh giá): a draft saved as often as the unit likes
//! (partial is fine, but what is there must be valid), then submitted (chốt): complete and
//! valid, stamped with the time, and read-only for the unit from then on.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use parindex_store::{Transaction, time};
use serde_json::{Map, Value, json};

use super::rounds::{OFFSET_MINUTES, Window, today};
use super::unit::{UnitWrite, read_unit, stored, write_unit};
use super::{input_type, object};
use crate::auth::Caller;
use crate::check::completeness;
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, Write, Written};
use crate::keys;
use crate::model::{UnitDocs, parse};
use crate::workflow::Workflow;

/// `GET …/units/{unit}/self-assessment`: `{"draft": …|null, "submitted": …|null}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let value = read_unit(&state, caller, round, unit, |_, _, docs| {
        Ok(json!({
            "draft": docs.draft.as_ref().map(stored),
            "submitted": docs.submitted.as_ref().map(stored),
            "reopened": docs.reopen.as_ref().map(|d| parse(&d.doc)),
            "notices": docs.notices.as_ref().map_or(Value::Array(Vec::new()), |d| parse(&d.doc)),
        }))
    })
    .await?;
    Ok(Json(value))
}

/// The checks before any change to a draft: the window is open, nothing is submitted yet,
/// and `If-Match` (when sent) names the draft's current version.
fn may_edit(tx: &Transaction<'_>, round: &str, docs: &UnitDocs, if_match: Option<i64>) -> Result<(), ApiError> {
    if !docs.reopened(today()) {
        if !Window::load(tx, round)?.open {
            return Err(ApiError::new(ErrorCode::SelfAssessmentClosed, "self-assessment is closed for this round"));
        }
        Workflow::load(tx, round)?.check_self()?;
    }
    if docs.submitted.is_some() {
        return Err(ApiError::new(
            ErrorCode::AlreadySubmitted,
            "the self-assessment is submitted and can no longer change",
        ));
    }
    let current = docs.draft.as_ref().map_or(0, |d| d.version);
    if let Some(expected) = if_match
        && expected != current
    {
        return Err(ApiError::new(
            ErrorCode::VersionConflict,
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
        .ok_or_else(|| ApiError::new(ErrorCode::BadIfMatch, "If-Match must be the draft's version number, e.g. \"3\""))
}

/// A self stage without `submitted_at` (the server stamps it).
fn self_object(value: Value) -> Result<Map<String, Value>, ApiError> {
    let map = object(value, "the self-assessment: {\"entries\": {…}, \"bonus\": […], \"penalty\": […]}")?;
    if map.contains_key("submitted_at") {
        return Err(input_type("/submitted_at", "\"submitted_at\" is set by the server when the unit submits"));
    }
    if let Some(Value::Object(entries)) = map.get("entries")
        && let Some(code) = entries.iter().find(|(_, e)| e.get("by").is_some()).map(|(c, _)| c)
    {
        return Err(input_type(
            &format!("/entries/{}/by", code.replace('~', "~0").replace('/', "~1")),
            "\"by\" ghi cơ quan thẩm định của một mục thẩm định; bản tự đánh giá không có trường này",
        ));
    }
    Ok(map)
}

/// Checks and stores a new draft.
fn save_draft(at: &UnitWrite<'_, '_>, draft: Map<String, Value>, action: &str) -> Result<Written, ApiError> {
    let draft = Value::Object(draft);
    let mut parts = at.docs.official();
    parts.self_stage = Some(draft.clone());
    at.check(&parts, "/self")?;
    Ok(Written::ok(at.save(keys::SELF_DRAFT, 0, false, &draft, action)?))
}

/// `PUT …/units/{unit}/self-assessment/draft` (the unit): replaces the draft.
pub async fn put_draft(
    State(state): State<AppState>,
    Path((round, unit)): Path<(String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let expected = if_match(write.headers())?;
    let draft = self_object(write.json()?)?;
    write_unit(&state, write, round, unit, move |at| {
        may_edit(at.tx, at.round, at.docs, expected)?;
        save_draft(at, draft, "self.draft.put")
    })
    .await
}

/// `PATCH …/units/{unit}/self-assessment/draft` (the unit): merges entries into the draft
/// (`null` removes one); `bonus` and `penalty`, when given, replace the lists.
pub async fn patch_draft(
    State(state): State<AppState>,
    Path((round, unit)): Path<(String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let expected = if_match(write.headers())?;
    let patch = self_object(write.json()?)?;
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
    write_unit(&state, write, round, unit, move |at| {
        may_edit(at.tx, at.round, at.docs, expected)?;
        let mut draft = match at.docs.draft.as_ref().map(|d| parse(&d.doc)) {
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
        save_draft(at, draft, "self.draft.patch")
    })
    .await
}

/// `POST …/units/{unit}/self-assessment/submit` (the unit): submits the draft, or the
/// self-assessment in the body. Refused after the deadline (409) unless an admin reopened.
pub async fn submit(
    State(state): State<AppState>,
    Path((round, unit)): Path<(String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let given = write.json_or_empty()?.map(self_object).transpose()?;
    write_unit(&state, write, round, unit, move |at| {
        if at.docs.submitted.is_some() {
            return Err(ApiError::new(ErrorCode::AlreadySubmitted, "the self-assessment is already submitted"));
        }
        if !at.docs.reopened(today()) {
            if let Some(refusal) = Window::load(at.tx, at.round)?.refuses_submission(at.model) {
                return Err(refusal);
            }
            Workflow::load(at.tx, at.round)?.check_self()?;
        }
        let content = match given {
            Some(m) => m,
            None => match at.docs.draft.as_ref().map(|d| parse(&d.doc)) {
                Some(Value::Object(m)) => m,
                _ => {
                    return Err(ApiError::new(
                        ErrorCode::NoDraft,
                        "there is no draft to submit: save a draft first, or send the self-assessment in the body",
                    ));
                }
            },
        };
        let mut stage = Map::new();
        stage.insert("submitted_at".into(), Value::from(time::rfc3339(time::now_unix(), OFFSET_MINUTES)));
        stage.extend(content);
        let stage = Value::Object(stage);
        let mut parts = at.docs.official();
        parts.self_stage = Some(stage.clone());
        let assessment = at.check(&parts, "/self")?;
        completeness(at.model, at.unit, assessment.as_ref())?;
        Ok(Written::created(at.save(keys::SELF, 0, true, &stage, "self.submit")?))
    })
    .await
}

/// Appends a notice for the unit (what an admin did to its self-assessment, and why).
fn notify(at: &UnitWrite<'_, '_>, notice: Value) -> Result<(), ApiError> {
    let mut list = match at.docs.notices.as_ref().map(|d| parse(&d.doc)) {
        Some(Value::Array(v)) => v,
        _ => Vec::new(),
    };
    list.push(notice);
    at.save(keys::NOTICES, 0, false, &Value::Array(list), "notice.add")?;
    Ok(())
}

/// `reason` of an admin's body: a non-empty string (422 otherwise).
fn reason_of(map: &Map<String, Value>) -> Result<String, ApiError> {
    match map.get("reason").and_then(Value::as_str).map(str::trim) {
        Some(r) if !r.is_empty() => Ok(r.to_owned()),
        _ => Err(input_type("/reason", "cần \"reason\": lý do, để đơn vị và kiểm toán đọc được")),
    }
}

/// `POST …/units/{unit}/self-assessment/reopen` (admin): `{"until": "YYYY-MM-DD", "reason"}`
/// lets this one unit save and submit until that day (UTC+07:00), whatever the round's
/// window says. In the audit log (`self.reopen`) and in the unit's notices.
pub async fn reopen(
    State(state): State<AppState>,
    Path((round, unit)): Path<(String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let map = object(write.json()?, "{\"until\": \"YYYY-MM-DD\", \"reason\": \"…\"}")?;
    let until = map
        .get("until")
        .and_then(Value::as_str)
        .and_then(parindex::Date::parse)
        .ok_or_else(|| input_type("/until", "cần \"until\": ngày cuối YYYY-MM-DD (giờ UTC+07:00)"))?;
    let reason = reason_of(&map)?;
    write_unit(&state, write, round, unit, move |at| {
        let now = time::rfc3339(time::now_unix(), OFFSET_MINUTES);
        let doc = json!({"until": until.to_string(), "reason": reason, "by": at.actor, "at": now});
        let answer = at.save(keys::SELF_REOPEN, 0, false, &doc, "self.reopen")?;
        notify(
            at,
            json!({"action": "self.reopen", "until": until.to_string(), "reason": reason, "by": at.actor, "at": now}),
        )?;
        Ok(Written::ok(answer))
    })
    .await
}

/// `POST …/units/{unit}/self-assessment/unsubmit` (admin): `{"reason"}` takes the unit's
/// submission back: it becomes the draft again (without `submitted_at`) and the unit may
/// change and submit it while its window (or a reopening) allows. In the audit log
/// (`self.unsubmit`) and in the unit's notices.
pub async fn unsubmit(
    State(state): State<AppState>,
    Path((round, unit)): Path<(String, String)>,
    write: Write,
) -> Result<Response, ApiError> {
    let map = object(write.json()?, "{\"reason\": \"…\"}")?;
    let reason = reason_of(&map)?;
    write_unit(&state, write, round, unit, move |at| {
        if at.docs.is_final() {
            return Err(ApiError::new(
                ErrorCode::AppraisalFinal,
                format!(
                    "thẩm định của đơn vị '{}' đã là kết quả cuối cùng: không trả lại bản tự đánh giá được",
                    at.unit
                ),
            ));
        }
        let Some(submitted) = at.docs.submitted.as_ref() else {
            return Err(ApiError::new(
                ErrorCode::NotSubmitted,
                format!("đơn vị '{}' chưa nộp bản tự đánh giá", at.unit),
            ));
        };
        let mut draft = match parse(&submitted.doc) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        draft.remove("submitted_at");
        let answer = at.save(keys::SELF_DRAFT, 0, false, &Value::Object(draft), "self.unsubmit.draft")?;
        let key = keys::unit(at.round, at.unit, keys::SELF);
        parindex_store::documents::remove(at.tx, &key, at.actor, "self.unsubmit")?;
        let now = time::rfc3339(time::now_unix(), OFFSET_MINUTES);
        notify(at, json!({"action": "self.unsubmit", "reason": reason, "by": at.actor, "at": now}))?;
        Ok(Written::ok(answer))
    })
    .await
}
