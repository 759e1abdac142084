//! A round's workflow (issue 13): `GET` (everyone with a token) and `PUT` (admin) of the
//! appraising agencies and their scopes, the stage windows and the evidence limits.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use parindex_store::documents;
use serde_json::Value;

use super::object;
use super::rounds::round_for;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::{AppState, Write, Written, read};
use crate::keys;
use crate::workflow::Workflow;

/// `GET /v1/rounds/{round}/workflow`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let st = state.clone();
    let value = read(&state, move |tx| {
        round_for(&st, tx, &caller, &id)?;
        Ok(Workflow::load(tx, &id)?.to_json())
    })
    .await?;
    Ok(Json(value))
}

/// `PUT /v1/rounds/{round}/workflow` (admin): `{"appraisers"?, "windows"?, "evidence"?}`,
/// each field given replacing the stored one; answers the whole workflow.
pub async fn put(State(state): State<AppState>, Path(id): Path<String>, write: Write) -> Result<Response, ApiError> {
    let body = object(write.json()?, "{\"appraisers\"?: {…}, \"windows\"?: {…}, \"evidence\"?: {…}}")?;
    let st = state.clone();
    write
        .run(&state, move |tx, caller| {
            let model = round_for(&st, tx, caller, &id)?;
            let workflow = Workflow::load(tx, &id)?.apply(&body, &model).map_err(ApiError::Invalid)?;
            let value = workflow.to_json();
            let text = super::to_text(&value);
            let put = documents::Put {
                key: &keys::workflow(&id),
                round: &id,
                subject: "",
                kind: keys::WORKFLOW,
                stage: 0,
                doc: &text,
                finalised: false,
            };
            documents::put(tx, &put, &caller.actor(), "workflow.set")?;
            Ok(Written::ok(value))
        })
        .await
}
