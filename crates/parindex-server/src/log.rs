//! The request log: one `tracing` event per request with its method, route (the pattern,
//! not the path, so no identifiers or secrets), status, duration and the number of the
//! token that made it (never the token). A 5xx is logged at `error` with its cause.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::TokenId;
use crate::error::Cause;

/// The middleware that logs every request once answered.
pub async fn request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| "-".to_owned(), |m| m.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let token = response.extensions().get::<TokenId>().map(|t| t.0);
    if let Some(Cause(cause)) = response.extensions().get::<Cause>() {
        tracing::error!(target: "parindex::request", %method, route, status, ms, token, cause, "request failed");
    } else {
        tracing::info!(target: "parindex::request", %method, route, status, ms, token, "request");
    }
    response
}
