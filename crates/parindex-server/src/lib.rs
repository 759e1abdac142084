//! parindex's HTTP JSON API: agencies enter their self-assessments, the appraisal council
//! records its stages, everyone reads scores — over an embedded SQLite store
//! (`parindex-store`), scoring with the same engine functions as `parindex score`.
//!
//! Start it with [`serve`], or build the [`router`] to embed it. Every route is listed in
//! [`api::ROUTES`], from which `GET /v1/openapi.json` is generated.

pub mod api;
pub mod auth;
mod check;
pub mod client;
pub mod error;
pub mod http;
mod keys;
mod model;
pub mod openapi;
mod routes;
pub mod schema;
pub mod tar;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use parindex_store::Store;

pub use error::ApiError;
pub use http::{AppState, DEFAULT_BODY_LIMIT};

use routes::{appraisal, audit, export, meta, rounds, scores, self_assessment};

/// The API's router over `store`, refusing bodies above `body_limit` bytes.
pub fn router(store: Arc<Store>, body_limit: usize) -> Router {
    let state = AppState { store, rounds: Arc::default(), body_limit };
    let unit = "/v1/rounds/{round}/units/{unit}";
    Router::new()
        .route("/healthz", get(meta::healthz))
        .route("/v1/openapi.json", get(meta::openapi))
        .route("/v1/schemas/{doc}", get(meta::schema))
        .route("/v1/rounds", post(rounds::create).get(rounds::list))
        .route("/v1/rounds/{round}", get(rounds::get))
        .route("/v1/rounds/{round}/self-assessment-window", put(rounds::set_window))
        .route("/v1/rounds/{round}/results", get(scores::results))
        .route("/v1/rounds/{round}/blocks/{block}/table", get(scores::table))
        .route("/v1/rounds/{round}/export", get(export::bundle))
        .route("/v1/rounds/{round}/export.tar", get(export::archive))
        .route(&format!("{unit}/self-assessment"), get(self_assessment::get))
        .route(
            &format!("{unit}/self-assessment/draft"),
            put(self_assessment::put_draft).patch(self_assessment::patch_draft),
        )
        .route(&format!("{unit}/self-assessment/submit"), post(self_assessment::submit))
        .route(&format!("{unit}/appraisals"), get(appraisal::list))
        .route(&format!("{unit}/appraisals/{{stage}}"), put(appraisal::put_stage))
        .route(&format!("{unit}/appraisals/{{stage}}/finalise"), post(appraisal::finalise))
        .route(&format!("{unit}/explanations"), get(appraisal::get_explanations).put(appraisal::put_explanations))
        .route(&format!("{unit}/survey"), get(appraisal::get_survey).put(appraisal::put_survey))
        .route(&format!("{unit}/class-cap"), get(appraisal::get_class_cap).put(appraisal::put_class_cap))
        .route(&format!("{unit}/assessment"), get(scores::assessment))
        .route(&format!("{unit}/score"), get(scores::unit_score))
        .route("/v1/audit", get(audit::list))
        .route("/v1/audit/verify", get(audit::verify))
        .fallback(meta::unknown_route)
        .method_not_allowed_fallback(meta::method_not_allowed)
        // Our own body reader enforces the limit with a JSON 413; axum's default (2 MiB)
        // would otherwise answer first with plain text.
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened.
    #[error("cannot open the database: {0}")]
    Store(#[from] parindex_store::StoreError),
    /// The address could not be bound, or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Opens the database at `db` and serves the API on `addr` until Ctrl-C or SIGTERM.
/// Prints `parindex: listening on http://ADDR` on standard output once it accepts
/// connections (with the real port when `addr` asks for port 0).
pub async fn serve(db: &std::path::Path, addr: SocketAddr, body_limit: usize) -> Result<(), ServeError> {
    let store = Arc::new(Store::open(db)?);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("parindex: listening on http://{local} (database {})", db.display());
    axum::serve(listener, router(store, body_limit)).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
