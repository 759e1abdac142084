//! What every handler shares: the state, the write extractor, running store work off the
//! async threads, and writes with idempotency keys.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use parindex_store::idempotency::{self, Kept};
use parindex_store::{Store, Transaction, sha256_hex};
use serde_json::Value;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorCode};
use crate::model::RoundCache;

/// The default limit on a request body: 2 MiB (a whole round with its criteria sets is a
/// few hundred KiB).
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The header that makes a write safe to retry.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<Store>,
    /// Parsed rounds.
    pub rounds: Arc<RoundCache>,
    /// The body limit in bytes.
    pub body_limit: usize,
    /// How long a body may take to arrive.
    pub body_timeout: std::time::Duration,
}

/// Runs store work on tokio's blocking threads.
pub async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::Internal(format!("a worker failed: {e}")))?
}

/// Reads a request body up to `limit` bytes (413 beyond it) within `deadline` (408 after it).
async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    deadline: std::time::Duration,
) -> Result<Bytes, ApiError> {
    let too_large = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limit);
    if too_large {
        return Err(ApiError::TooLarge { limit });
    }
    let read = tokio::time::timeout(deadline, axum::body::to_bytes(body, limit)).await.map_err(|_| {
        ApiError::new(
            ErrorCode::BodyTimeout,
            format!("Nội dung yêu cầu không được gửi đủ trong {} giây.", deadline.as_secs()),
        )
    })?;
    read.map_err(|e| {
        // The only failure besides the limit is a broken connection.
        let text = e.to_string();
        if text.contains("length limit") {
            ApiError::TooLarge { limit }
        } else {
            ApiError::new(ErrorCode::UnreadableBody, format!("the request body could not be read: {text}"))
        }
    })
}

/// The `Idempotency-Key` header, if sent.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get(IDEMPOTENCY_KEY) else { return Ok(None) };
    let bytes = v.as_bytes();
    // Visible ASCII only: no space, tab or control character.
    let visible = !bytes.is_empty() && bytes.len() <= 200 && bytes.iter().all(|b| (0x21..=0x7e).contains(b));
    if !visible {
        return Err(ApiError::new(
            ErrorCode::BadIdempotencyKey,
            "Idempotency-Key phải gồm 1 đến 200 ký tự ASCII nhìn thấy được (không có dấu cách hay ký tự điều khiển).",
        ));
    }
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

/// `Ok` when `Content-Type` is `application/json` or another `…+json` type (parameters such
/// as `charset=utf-8` allowed), else a 415.
fn json_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let given =
        headers.get(axum::http::header::CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let essence = given.as_deref().and_then(|t| t.split(';').next()).map(|t| t.trim().to_ascii_lowercase());
    let json = essence
        .as_deref()
        .is_some_and(|t| t == "application/json" || (t.starts_with("application/") && t.ends_with("+json")));
    if json {
        return Ok(());
    }
    let shown: String =
        given.unwrap_or_else(|| "(không có)".into()).chars().filter(|c| !c.is_control()).take(100).collect();
    Err(ApiError::new(
        ErrorCode::UnsupportedMediaType,
        format!("Nội dung yêu cầu phải là JSON, gửi với tiêu đề 'Content-Type: application/json' (đã nhận: {shown})."),
    ))
}

/// A write request, everything a write handler needs besides the path parameters: the
/// caller (authenticated by [`crate::auth::guard`]), the headers, the body (read up to the
/// limit), the idempotency key and the fingerprint a retry must match. Handlers check the
/// body, then [`Write::run`] the change.
#[derive(Debug)]
pub struct Write {
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
    /// The key, or why it is refused (answered when the write runs, after the body's checks).
    key: Result<Option<String>, ApiError>,
    /// SHA-256 of the method, the path and the body.
    fingerprint: String,
}

impl FromRequest<AppState> for Write {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let caller = Caller::from_request_parts(&mut parts, state).await?;
        let body = read_body(&parts.headers, body, state.body_limit, state.body_timeout).await?;
        let mut fingerprint_input = format!("{} {}\n", parts.method, parts.uri.path()).into_bytes();
        fingerprint_input.extend_from_slice(&body);
        Ok(Write {
            caller,
            key: idempotency_key(&parts.headers),
            headers: parts.headers,
            body,
            fingerprint: sha256_hex(&fingerprint_input),
        })
    }
}

impl Write {
    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as JSON: 400 naming the line and column when it is not JSON, 415 when it
    /// is not sent as JSON.
    pub fn json(&self) -> Result<Value, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::new(ErrorCode::EmptyBody, "the request needs a JSON body"));
        }
        json_content_type(&self.headers)?;
        let text = std::str::from_utf8(&self.body)
            .map_err(|_| ApiError::new(ErrorCode::MalformedJson, "the request body is not UTF-8 text"))?;
        serde_json::from_str(text).map_err(|e| {
            ApiError::new(
                ErrorCode::MalformedJson,
                format!("the request body is not valid JSON: {e} (line {}, column {})", e.line(), e.column()),
            )
        })
    }

    /// The body as JSON, or `None` when it is empty.
    pub fn json_or_empty(&self) -> Result<Option<Value>, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) { Ok(None) } else { self.json().map(Some) }
    }

    /// Runs the write: one transaction holding the idempotency check, the change `f`, its
    /// audit events and the kept response. A retry with the same key and the same request
    /// gets the first response again (header `Idempotency-Replayed: true`) and changes
    /// nothing; the same key with a different request is a 409 `idempotency_key_reused`.
    pub async fn run<F>(self, state: &AppState, f: F) -> Result<Response, ApiError>
    where
        F: FnOnce(&Transaction<'_>, &Caller) -> Result<Written, ApiError> + Send + 'static,
    {
        let Write { caller, key, fingerprint, .. } = self;
        let key = key?;
        let store = Arc::clone(&state.store);
        let (written, replayed) = blocking(move || {
            store.write(|tx| {
                if let Some(key) = &key
                    && let Some(kept) = idempotency::find(tx, caller.token_id, key)?
                {
                    if kept.fingerprint != fingerprint {
                        return Err(ApiError::new(
                            ErrorCode::IdempotencyKeyReused,
                            format!("the Idempotency-Key '{key}' was already used for a different request"),
                        ));
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

/// Reads with a consistent snapshot, off the async threads.
pub async fn read<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>) -> Result<T, ApiError> + Send + 'static,
{
    let store = Arc::clone(&state.store);
    blocking(move || store.read(f)).await
}
