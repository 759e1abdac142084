//! Export: the round as a folder that `parindex score` scores offline to the same bytes —
//! as a JSON bundle (`parindex/round-bundle@1`) or a tar archive of the folder.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::rounds::round_for;
use super::scores::round_files;
use crate::auth::{Allow, Caller};
use crate::error::ApiError;
use crate::http::{AppState, read};
use crate::model::parse;
use crate::tar;

/// The `format` of an export bundle.
pub use parindex::BUNDLE_FORMAT;

/// Who exports.
const EXPORTERS: &[Allow] = &[Allow::Admin, Allow::Appraiser, Allow::Auditor];

/// `GET /v1/rounds/{round}/export` (admin, appraiser, auditor):
/// `{"format": "parindex/round-bundle@1", "round", "files": {path: document}}`.
pub async fn bundle(
    State(state): State<AppState>,
    caller: Caller,
    Path(round): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(EXPORTERS, None)?;
    let st = state.clone();
    let value = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        let docs: Map<String, Value> = files.iter().map(|(p, t)| (p.clone(), parse(t))).collect();
        Ok(json!({ "format": BUNDLE_FORMAT, "round": round, "files": docs }))
    })
    .await?;
    Ok(Json(value))
}

/// `GET /v1/rounds/{round}/export.tar` (admin, appraiser, auditor): the round folder as a
/// tar archive, its files under `{round}/`.
pub async fn archive(
    State(state): State<AppState>,
    caller: Caller,
    Path(round): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(EXPORTERS, None)?;
    let st = state.clone();
    let (name, bytes) = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        let entries: Vec<(String, Vec<u8>)> =
            files.into_iter().map(|(p, t)| (format!("{round}/{p}"), t.into_bytes())).collect();
        Ok((round, tar::archive(&entries)))
    })
    .await?;
    let disposition = format!("attachment; filename=\"{name}.tar\"");
    Ok(([(CONTENT_TYPE, "application/x-tar".to_owned()), (CONTENT_DISPOSITION, disposition)], bytes).into_response())
}
