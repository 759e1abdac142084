//! Rounds: create from a round document and its criteria sets, list, read; the
//! self-assessment window (open, close, reopen until a date).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use parindex::Date;
use parindex::RoundFolder;
use parindex_store::{Transaction, documents, time};
use serde_json::{Value, json};

use super::{input_type, object, to_text};
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, Write, Written, read};
use crate::keys;
use crate::model::{RoundModel, parse};

/// The province's time zone (UTC+07:00): deadlines are read as dates there.
pub const OFFSET_MINUTES: i32 = 420;

/// Today's date in UTC+07:00.
pub fn today() -> Option<Date> {
    let local = time::now_unix() + i64::from(OFFSET_MINUTES) * 60;
    Date::from_day_number(local.div_euclid(86_400))
}

/// Ids in URLs: lowercase ASCII letters, digits and `-` (SPEC §7's unit ids).
pub fn is_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A criteria-set path that is safe as a file in a folder archive.
fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 200
        && path.ends_with(".json")
        && path != "round.json"
        && !path.starts_with("assessments/")
        && path.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
}

/// The self-assessment window of a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Whether units may save and submit.
    pub open: bool,
    /// A deadline set by an admin that replaces the round's `deadlines.self` for accepting
    /// submissions (the round's own deadline still decides `late_submission`).
    pub until: Option<Date>,
}

impl Window {
    /// Reads the stored window of `round`.
    pub fn load(tx: &Transaction<'_>, round: &str) -> Result<Window, ApiError> {
        let doc = documents::get(tx, &keys::window(round))?.map(|d| parse(&d.doc)).unwrap_or(Value::Null);
        Ok(Window {
            open: doc.get("open").and_then(Value::as_bool).unwrap_or(true),
            until: doc.get("until").and_then(Value::as_str).and_then(Date::parse),
        })
    }

    /// The last day submissions are accepted, if any.
    pub fn last_day(&self, model: &RoundModel) -> Option<Date> {
        self.until.or(model.round.self_deadline)
    }

    /// Why a submission is refused now, if it is.
    pub fn refuses_submission(&self, model: &RoundModel) -> Option<ApiError> {
        if !self.open {
            return Some(ApiError::new(ErrorCode::SelfAssessmentClosed, "self-assessment is closed for this round"));
        }
        match (self.last_day(model), today()) {
            (Some(last), Some(today)) if today > last => Some(ApiError::new(
                ErrorCode::DeadlinePassed,
                format!(
                    "the self-assessment deadline {last} has passed (today is {today} in UTC+07:00); an admin can reopen it"
                ),
            )),
            _ => None,
        }
    }

    /// The window as JSON.
    pub fn to_json(&self, model: &RoundModel) -> Value {
        json!({
            "open": self.open,
            "deadline": model.round.self_deadline.map(|d| d.to_string()),
            "until": self.until.map(|d| d.to_string()),
            "accepting": self.refuses_submission(model).is_none(),
        })
    }
}

fn summary(model: &RoundModel, window: &Window) -> Value {
    let round = &model.round;
    json!({
        "id": round.id,
        "title": round.title,
        "year": round.year,
        "evaluator": round.evaluator,
        "blocks": round.blocks.iter().map(|b| json!({"id": b.id, "title": b.title, "criteria_set": b.criteria_set, "survey": b.survey})).collect::<Vec<_>>(),
        "units": round.units.iter().map(|u| json!({"id": u.id, "name": u.name, "block": u.block})).collect::<Vec<_>>(),
        "self_assessment": window.to_json(model),
    })
}

/// Loads a round for a caller: 404 if unknown, 403 for a unit token of another round.
pub fn round_for(
    state: &AppState,
    tx: &Transaction<'_>,
    caller: &Caller,
    id: &str,
) -> Result<std::sync::Arc<RoundModel>, ApiError> {
    let model = state.rounds.get(tx, id)?;
    if let Role::Unit(unit) = &caller.role
        && model.round.unit(unit).is_none()
    {
        return Err(ApiError::forbidden(format!("the unit '{unit}' is not in the round '{id}'")));
    }
    Ok(model)
}

/// `POST /v1/rounds` (admin): `{"round": {round document}, "criteria_sets": {"path": {criteria set}, …}}`.
pub async fn create(State(state): State<AppState>, write: Write) -> Result<Response, ApiError> {
    let mut map = object(write.json()?, "{\"round\": {…}, \"criteria_sets\": {\"path\": {…}}}")?;
    let round =
        map.remove("round").ok_or_else(|| input_type("/round", "the body needs \"round\": the round document"))?;
    let sets = match map.remove("criteria_sets") {
        Some(Value::Object(sets)) => sets,
        Some(_) => {
            return Err(input_type("/criteria_sets", "\"criteria_sets\" must be an object: path → criteria set"));
        }
        None => return Err(input_type("/criteria_sets", "the body needs \"criteria_sets\": path → criteria set")),
    };
    if let Some(extra) = map.keys().next() {
        return Err(input_type(
            &format!("/{extra}"),
            format!("unknown field \"{extra}\": the body has \"round\" and \"criteria_sets\""),
        ));
    }
    let id = round.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
    if !is_id(&id) {
        return Err(input_type(
            "/round/id",
            "the round's \"id\" must be lowercase ASCII letters, digits and '-' (it is used in URLs)",
        ));
    }
    let mut files = BTreeMap::new();
    files.insert("round.json".to_owned(), to_text(&round));
    let named: Vec<String> = round
        .get("blocks")
        .and_then(Value::as_array)
        .map(|bs| bs.iter().filter_map(|b| b.get("criteria_set").and_then(Value::as_str).map(str::to_owned)).collect())
        .unwrap_or_default();
    let mut problems = parindex::Diagnostics::new();
    for (path, set) in &sets {
        let pointer = format!("/criteria_sets/{}", path.replace('~', "~0").replace('/', "~1"));
        if !is_safe_path(path) {
            problems.push(parindex::Diagnostic::new(parindex::Code::InputType, pointer, format!("'{path}' is not a usable file path: a relative path of letters, digits, '-', '_', '.', '/' ending in .json, outside assessments/")));
        } else if !named.contains(path) {
            problems.push(parindex::Diagnostic::new(
                parindex::Code::UnknownCriteriaSet,
                pointer,
                format!("no block of the round names the criteria set '{path}'"),
            ));
        } else {
            files.insert(path.clone(), to_text(set));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    RoundFolder::from_files(&files).map_err(|e| match e {
        parindex::FolderError::Invalid(d) => ApiError::Invalid(d),
        other => ApiError::Internal(other.to_string()),
    })?;
    write
        .run(&state, move |tx, caller| {
            if documents::get(tx, &keys::round(&id))?.is_some() {
                return Err(ApiError::new(
                    ErrorCode::RoundExists,
                    format!("a round with the id '{id}' already exists"),
                ));
            }
            let actor = caller.actor();
            let text = files.get("round.json").cloned().unwrap_or_default();
            let put = documents::Put {
                key: &keys::round(&id),
                round: &id,
                subject: "",
                kind: keys::ROUND,
                stage: 0,
                doc: &text,
                finalised: true,
            };
            documents::put(tx, &put, &actor, "round.create")?;
            for (path, text) in files.iter().filter(|(p, _)| p.as_str() != "round.json") {
                let put = documents::Put {
                    key: &keys::criteria(&id, path),
                    round: &id,
                    subject: path,
                    kind: keys::CRITERIA,
                    stage: 0,
                    doc: text,
                    finalised: true,
                };
                documents::put(tx, &put, &actor, "criteria_set.create")?;
            }
            let window = json!({"open": true, "until": null}).to_string();
            let put = documents::Put {
                key: &keys::window(&id),
                round: &id,
                subject: "",
                kind: keys::WINDOW,
                stage: 0,
                doc: &window,
                finalised: false,
            };
            documents::put(tx, &put, &actor, "window.set")?;
            let model = crate::model::load_uncached(tx, &id)?;
            Ok(Written::created(summary(&model, &Window { open: true, until: None })))
        })
        .await
}

/// `GET /v1/rounds`: every round (a unit token sees the rounds it is in).
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let st = state.clone();
    let rounds = read(&state, move |tx| {
        let mut out = Vec::new();
        for d in documents::of_kind(tx, keys::ROUND)? {
            let model = st.rounds.get(tx, &d.round)?;
            if let Role::Unit(unit) = &caller.role
                && model.round.unit(unit).is_none()
            {
                continue;
            }
            let window = Window::load(tx, &d.round)?;
            out.push(summary(&model, &window));
        }
        Ok(out)
    })
    .await?;
    Ok(Json(json!({ "rounds": rounds })))
}

/// `GET /v1/rounds/{round}`: the round's summary and window; with the round document.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let st = state.clone();
    let value = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &id)?;
        let window = Window::load(tx, &id)?;
        let mut s = summary(&model, &window);
        if let Value::Object(m) = &mut s {
            m.insert("document".into(), parse(&model.round_text));
            m.insert("criteria_sets".into(), json!(model.set_texts.keys().collect::<Vec<_>>()));
        }
        Ok(s)
    })
    .await?;
    Ok(Json(value))
}

/// `PUT /v1/rounds/{round}/self-assessment-window` (admin): `{"open": bool, "until": "YYYY-MM-DD"|null}`.
pub async fn set_window(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: Write,
) -> Result<Response, ApiError> {
    let map = object(write.json()?, "{\"open\": true|false, \"until\": \"YYYY-MM-DD\"|null}")?;
    let mut problems = parindex::Diagnostics::new();
    let open = match map.get("open") {
        Some(Value::Bool(b)) => Some(*b),
        _ => {
            problems.push(parindex::Diagnostic::new(
                parindex::Code::InputType,
                "/open",
                "\"open\" must be true or false",
            ));
            None
        }
    };
    let until = match map.get("until") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match Date::parse(s) {
            Some(d) => Some(d),
            None => {
                problems.push(parindex::Diagnostic::new(
                    parindex::Code::BadDate,
                    "/until",
                    format!("'{s}' is not a date YYYY-MM-DD"),
                ));
                None
            }
        },
        Some(_) => {
            problems.push(parindex::Diagnostic::new(
                parindex::Code::InputType,
                "/until",
                "\"until\" must be a date \"YYYY-MM-DD\" or null",
            ));
            None
        }
    };
    for key in map.keys().filter(|k| *k != "open" && *k != "until") {
        problems.push(parindex::Diagnostic::new(
            parindex::Code::InputType,
            format!("/{key}"),
            format!("unknown field \"{key}\""),
        ));
    }
    let (Some(open), true) = (open, problems.is_empty()) else { return Err(ApiError::Invalid(problems)) };
    let st = state.clone();
    write
        .run(&state, move |tx, caller| {
            let model = st.rounds.get(tx, &id)?;
            let window = Window { open, until };
            let text = json!({"open": open, "until": until.map(|d| d.to_string())}).to_string();
            let put = documents::Put {
                key: &keys::window(&id),
                round: &id,
                subject: "",
                kind: keys::WINDOW,
                stage: 0,
                doc: &text,
                finalised: false,
            };
            documents::put(tx, &put, &caller.actor(), if open { "window.open" } else { "window.close" })?;
            Ok(Written::ok(window.to_json(&model)))
        })
        .await
}
