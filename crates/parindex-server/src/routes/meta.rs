//! Health, the OpenAPI document, the JSON Schemas, and answers for unknown routes.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use crate::auth;
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, read};
use crate::openapi;
use crate::schema as schemas;

/// `GET /healthz`: `{"status": "ok"}` once the database answers.
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    read(&state, |tx| {
        tx.query_row("SELECT 1", [], |_| Ok(())).map_err(parindex_store::StoreError::from)?;
        Ok(())
    })
    .await?;
    Ok(Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})))
}

/// `GET /v1/openapi.json`.
pub async fn openapi() -> Json<Value> {
    Json(openapi::document())
}

/// `GET /v1/schemas/{doc}`.
pub async fn schema(Path(doc): Path<String>) -> Result<Json<Value>, ApiError> {
    let name = doc.strip_suffix(".json").unwrap_or(&doc);
    schemas::schema(name).map(Json).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownSchema,
            format!("no schema '{doc}': there are {}", schemas::DOCUMENTS.join(", ")),
        )
    })
}

/// Any path that is not a route.
pub async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    auth::unknown_route(uri.path())
}

/// A route called with a method it does not take.
pub async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
