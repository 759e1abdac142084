//! What every handler shares: the state, the caller and body extractors, running store
//! work off the async threads, and writes with idempotency keys.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts as RequestParts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use parindex_store::idempotency::{self, Kept};
use parindex_store::{Store, Transaction, sha256_hex};
use serde_json::Value;

use crate::auth::{self, Caller};
use crate::error::ApiError;
use crate::model::RoundCache;

/// The default limit on a request body: 2 MiB (a whole round with its criteria sets is a
/// few hundred KiB).
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The header that makes a write safe to retry.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<Store>,
    /// Parsed rounds.
    pub rounds: Arc<RoundCache>,
    /// The body limit in bytes.
    pub body_limit: usize,
}

/// Runs store work on tokio's blocking threads.
pub async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::Internal(format!("a worker failed: {e}")))?
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut RequestParts, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = parts.headers.clone();
        let store = Arc::clone(&state.store);
        blocking(move || auth::authenticate(&headers, &store)).await
    }
}

/// A request body, read up to the limit (413 beyond it), not yet parsed.
#[derive(Debug, Clone)]
pub struct RawBody(pub Bytes);

impl FromRequest<AppState> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let limit = state.body_limit;
        let too_large = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|n| n > limit);
        if too_large {
            return Err(ApiError::TooLarge { limit });
        }
        match axum::body::to_bytes(req.into_body(), limit).await {
            Ok(bytes) => Ok(RawBody(bytes)),
            Err(e) => {
                // The only failure besides the limit is a broken connection.
                let text = e.to_string();
                if text.contains("length limit") {
                    Err(ApiError::TooLarge { limit })
                } else {
                    Err(ApiError::bad_request("unreadable_body", format!("the request body could not be read: {text}")))
                }
            }
        }
    }
}

impl RawBody {
    /// The body as JSON: 400 naming the line and column when it is not JSON.
    pub fn json(&self) -> Result<Value, ApiError> {
        if self.0.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request("empty_body", "the request needs a JSON body"));
        }
        let text = std::str::from_utf8(&self.0)
            .map_err(|_| ApiError::bad_request("malformed_json", "the request body is not UTF-8 text"))?;
        serde_json::from_str(text).map_err(|e| {
            ApiError::bad_request(
                "malformed_json",
                format!("the request body is not valid JSON: {e} (line {}, column {})", e.line(), e.column()),
            )
        })
    }

    /// The body as JSON, or `None` when it is empty.
    pub fn json_or_empty(&self) -> Result<Option<Value>, ApiError> {
        if self.0.iter().all(u8::is_ascii_whitespace) { Ok(None) } else { self.json().map(Some) }
    }
}

/// A JSON response with a status, optionally replayed from an idempotency key.
#[derive(Debug, Clone)]
pub struct Written {
    /// The status to send.
    pub status: StatusCode,
    /// The body.
    pub body: Value,
}

impl Written {
    /// 200 with `body`.
    pub fn ok(body: Value) -> Written {
        Written { status: StatusCode::OK, body }
    }

    /// 201 with `body`.
    pub fn created(body: Value) -> Written {
        Written { status: StatusCode::CREATED, body }
    }
}

/// Runs a write: one transaction holding the idempotency check, the change, its audit
/// events and the kept response. A retry with the same key and the same request gets the
/// first response again (header `Idempotency-Replayed: true`) and changes nothing; the same
/// key with a different request is a 409 `idempotency_key_reused`.
pub async fn write<F>(
    state: &AppState,
    caller: Caller,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
    body: &[u8],
    f: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&Transaction<'_>, &Caller) -> Result<Written, ApiError> + Send + 'static,
{
    let key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(v) => {
            let k = v.to_str().ok().filter(|k| !k.is_empty() && k.len() <= 200).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_idempotency_key",
                    "Idempotency-Key must be 1 to 200 visible ASCII characters",
                )
            })?;
            Some(k.to_owned())
        }
    };
    let mut fingerprint_input = format!("{method} {path}\n").into_bytes();
    fingerprint_input.extend_from_slice(body);
    let fingerprint = sha256_hex(&fingerprint_input);
    let store = Arc::clone(&state.store);
    let (written, replayed) = blocking(move || {
        store.write(|tx| {
            if let Some(key) = &key
                && let Some(kept) = idempotency::find(tx, caller.token_id, key)?
            {
                if kept.fingerprint != fingerprint {
                    return Err(ApiError::Conflict {
                        code: "idempotency_key_reused",
                        message: format!("the Idempotency-Key '{key}' was already used for a different request"),
                    });
                }
                let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
                let body = serde_json::from_str(&kept.body).unwrap_or(Value::Null);
                return Ok((Written { status, body }, true));
            }
            let written = f(tx, &caller)?;
            if let Some(key) = &key {
                let kept = Kept { fingerprint, status: written.status.as_u16(), body: written.body.to_string() };
                idempotency::keep(tx, caller.token_id, key, &kept)?;
            }
            Ok((written, false))
        })
    })
    .await?;
    let mut response = (written.status, axum::Json(written.body)).into_response();
    if replayed {
        response.headers_mut().insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// Reads with a consistent snapshot, off the async threads.
pub async fn read<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>) -> Result<T, ApiError> + Send + 'static,
{
    let store = Arc::clone(&state.store);
    blocking(move || store.read(f)).await
}
