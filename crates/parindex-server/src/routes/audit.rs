//! The audit log through the API (admin, auditor).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use parindex_store::audit;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, read};

/// `?after=SEQ&limit=N&target=PREFIX`.
#[derive(Debug, Deserialize)]
pub struct Page {
    after: Option<i64>,
    limit: Option<i64>,
    target: Option<String>,
}

/// `GET /v1/audit`: events after `after` (default 0), at most `limit` (default 100, at most 1000).
pub async fn list(
    State(state): State<AppState>,
    page: Result<Query<Page>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(page) =
        page.map_err(|e| ApiError::new(ErrorCode::BadQuery, format!("{e}: after and limit are whole numbers")))?;
    let after = page.after.unwrap_or(0);
    let limit = page.limit.unwrap_or(100).clamp(1, 1000);
    let events = read(&state, move |tx| Ok(audit::list(tx, after, limit, page.target.as_deref())?)).await?;
    let next = events.last().map(|e| e.seq);
    Ok(Json(json!({ "events": events, "next_after": next })))
}

/// `GET /v1/audit/verify`: checks the chain and every document against it, then the
/// evidence files ([`verify_evidence`]).
pub async fn verify(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let outcome = read(&state, |tx| Ok(audit::verify(tx)?)).await?;
    let mut answer = match outcome {
        Ok(v) => json!({"ok": true, "events": v.events, "documents": v.documents, "head": v.head}),
        Err(b) => json!({"ok": false, "broken_at": b.seq, "reason": b.reason, "reason_vi": b.reason_vi}),
    };
    if answer.get("ok") == Some(&Value::Bool(true)) {
        verify_evidence(&state, &mut answer).await?;
    }
    Ok(Json(answer))
}

/// Issue 13: every referenced evidence file was uploaded by its unit, and every stored
/// file is on disk with the bytes its SHA-256 names. Adds `evidence_files` to a sound
/// answer, or turns it into `{"ok": false, "broken_at": 0, "reason", "reason_vi"}`.
async fn verify_evidence(state: &AppState, answer: &mut Value) -> Result<(), ApiError> {
    let dir = state.store.evidence_dir();
    let outcome = read(state, move |tx| Ok(parindex_store::evidence::verify(tx, &dir)?)).await?;
    match outcome {
        Ok(n) => {
            if let Some(m) = answer.as_object_mut() {
                m.insert("evidence_files".into(), json!(n));
            }
        }
        Err(b) => *answer = json!({"ok": false, "broken_at": b.seq, "reason": b.reason, "reason_vi": b.reason_vi}),
    }
    Ok(())
}
