//! parindex's HTTP JSON API: agencies enter their self-assessments, the appraisal council
//! records its stages, everyone reads scores — over an embedded SQLite store
//! (`parindex-store`), scoring with the same engine functions as `parindex score`.
//!
//! Start it with [`serve`], or build the [`router`] to embed it. Every route is listed in
//! [`ROUTES`] with the roles that may call it: the router enforces them from there, and
//! `GET /v1/openapi.json` is generated from it.

mod api;
mod auth;
mod check;
mod error;
mod http;
mod keys;
mod listen;
mod locale;
mod log;
mod model;
mod openapi;
mod pace;
mod routes;
mod schema;
mod workflow;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use parindex_store::Store;

pub use api::{ROUTES, RouteSpec};
pub use auth::{Allow, Caller, Role};
pub use error::{ApiError, ErrorCode};
pub use http::DEFAULT_BODY_LIMIT;
pub use listen::Limits;
pub use schema::{DOCUMENTS as SCHEMA_DOCUMENTS, schema};

use http::AppState;
use routes::{appraisal, audit, evidence, export, meta, rounds, scores, self_assessment, workflow as workflow_routes};

/// The API's router over `store`, refusing bodies above `body_limit` bytes (the other
/// [`Limits`] at their defaults).
pub fn router(store: Arc<Store>, body_limit: usize) -> Router {
    router_with(store, &Limits { body_limit, ..Limits::default() })
}

/// The API's router over `store` with the body limit and body deadline of `limits` (the
/// connection limits are the listener's: [`serve`]).
pub fn router_with(store: Arc<Store>, limits: &Limits) -> Router {
    let state =
        AppState { store, rounds: Arc::default(), body_limit: limits.body_limit, body_timeout: limits.body_timeout };
    finish(routes(), state)
}

/// Every route with its handlers. Who may call each is not said here but in [`ROUTES`],
/// which [`finish`] enforces.
fn routes() -> Router<AppState> {
    let unit = "/v1/rounds/{round}/units/{unit}";
    Router::new()
        .route("/healthz", get(meta::healthz))
        .route("/v1/openapi.json", get(meta::openapi))
        .route("/v1/schemas/{doc}", get(meta::schema))
        .route("/v1/rounds", post(rounds::create).get(rounds::list))
        .route("/v1/rounds/{round}", get(rounds::get))
        .route("/v1/rounds/{round}/self-assessment-window", put(rounds::set_window))
        .route("/v1/rounds/{round}/workflow", get(workflow_routes::get).put(workflow_routes::put))
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
        .route(&format!("{unit}/self-assessment/reopen"), post(self_assessment::reopen))
        .route(&format!("{unit}/self-assessment/unsubmit"), post(self_assessment::unsubmit))
        .route(&format!("{unit}/appraisals"), get(appraisal::list))
        .route(&format!("{unit}/appraisals/{{stage}}"), put(appraisal::put_stage))
        .route(&format!("{unit}/appraisals/{{stage}}/finalise"), post(appraisal::finalise))
        .route(&format!("{unit}/appraisals/{{stage}}/done"), post(appraisal::done))
        .route(&format!("{unit}/evidence"), get(evidence::list).post(evidence::upload))
        .route(&format!("{unit}/evidence/{{file}}"), get(evidence::download))
        .route(&format!("{unit}/explanations"), get(appraisal::get_explanations).put(appraisal::put_explanations))
        .route(&format!("{unit}/survey"), get(appraisal::get_survey).put(appraisal::put_survey))
        .route(&format!("{unit}/class-cap"), get(appraisal::get_class_cap).put(appraisal::put_class_cap))
        .route(&format!("{unit}/assessment"), get(scores::assessment))
        .route(&format!("{unit}/score"), get(scores::unit_score))
        .route("/v1/audit", get(audit::list))
        .route("/v1/audit/verify", get(audit::verify))
}

/// `routes` behind the route table's role rules ([`auth::guard`]: a route missing from
/// the table cannot be reached), with the answers for unknown routes and methods.
fn finish(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::guard))
        .fallback(meta::unknown_route)
        .method_not_allowed_fallback(meta::method_not_allowed)
        // Our own body reader enforces the limit with a JSON 413; axum's default (2 MiB)
        // would otherwise answer first with plain text.
        .layer(DefaultBodyLimit::disable())
        // Outside every route: every answer, the fallbacks' and the guard's too, in the
        // reader's locale (answers refused before routing are not routed through it).
        .layer(axum::middleware::from_fn(locale::localize))
        .layer(axum::middleware::from_fn(log::request))
        .with_state(state)
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened.
    #[error("cannot open the database: {0}")]
    Store(#[from] parindex_store::StoreError),
    /// Another server holds the database's lock file.
    #[error("{0}")]
    Locked(parindex_store::StoreError),
    /// The address could not be bound, or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// How [`serve`] runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The limits on clients.
    pub limits: Limits,
    /// Whether to take the database's lock file (`DB.lock`), refusing to start while
    /// another server holds it. Only turn it off for a database no other server can use.
    pub lock: bool,
}

/// Opens the database at `db` and serves the API until Ctrl-C or SIGTERM (then: no new
/// connections, requests in flight finish within the grace period, exit). Prints
/// `parindex: listening on http://ADDR` on standard output once it accepts connections
/// (with the real port when the address asks for port 0); logs through `tracing`.
pub async fn serve(db: &std::path::Path, options: ServeOptions) -> Result<(), ServeError> {
    let lock = if options.lock { Some(parindex_store::DbLock::take(db).map_err(ServeError::Locked)?) } else { None };
    let store = Arc::new(Store::open(db)?);
    if lock.is_some() {
        // Holding the lock, no other server can be receiving an upload: what a killed
        // process left half-written in the evidence folder's tmp/ can go.
        match parindex_store::evidence::clear_staging(&parindex_store::evidence::folder(db)) {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "removed uploads left unfinished by an earlier server"),
            Err(e) => tracing::warn!(error = %e, "cannot clear the evidence folder's tmp/"),
        }
    }
    let listener = tokio::net::TcpListener::bind(options.addr).await?;
    let local = listener.local_addr()?;
    println!("parindex: listening on http://{local} (database {})", db.display());
    let limits = options.limits;
    tracing::info!(
        addr = %local,
        db = %db.display(),
        lock = lock.as_ref().map(|l| l.path().display().to_string()),
        body_limit = limits.body_limit,
        header_timeout_s = limits.header_timeout.as_secs(),
        idle_timeout_s = limits.idle_timeout.as_secs(),
        body_timeout_s = limits.body_timeout.as_secs(),
        send_timeout_s = limits.send_timeout.as_secs(),
        min_send_rate = limits.min_send_rate,
        max_connections = limits.max_connections,
        max_headers = limits.max_headers,
        grace_s = limits.grace.as_secs(),
        version = env!("CARGO_PKG_VERSION"),
        "server started"
    );
    listen::run(listener, router_with(store, &limits), limits, shutdown()).await;
    tracing::info!("server stopped");
    drop(lock);
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
    let signal = tokio::select! { () = ctrl_c => "SIGINT", () = term => "SIGTERM" };
    tracing::info!(signal, "shutdown requested");
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use serde_json::Value;
    use tower::ServiceExt;

    use super::*;

    fn state(name: &str) -> AppState {
        let dir = std::env::temp_dir().join(format!("parindex-server-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Arc::new(Store::open(&dir.join("db.sqlite")).unwrap());
        AppState {
            store,
            rounds: Arc::default(),
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: std::time::Duration::from_secs(30),
        }
    }

    async fn call(app: &Router, method: &str, path: &str) -> (StatusCode, Value) {
        let request = Request::builder().method(method).uri(path).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    #[tokio::test]
    async fn a_route_missing_from_the_table_cannot_be_reached() {
        let secret = || async { "secret" };
        // A path the table does not have, and a method the table does not have on a path it has.
        let app =
            finish(routes().route("/v1/secret", get(secret)).route("/v1/audit/{x}/more", post(secret)), state("guard"));
        let (status, body) = call(&app, "GET", "/v1/secret").await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_route")));
        let (status, _) = call(&app, "POST", "/v1/audit/1/more").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let app = finish(Router::new().route("/healthz", get(meta::healthz).post(secret)), state("guard-method"));
        let (status, body) = call(&app, "POST", "/healthz").await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
        );
        // Routes of the table are reached, after their role check.
        assert_eq!(call(&app, "GET", "/healthz").await.0, StatusCode::OK);
        let app = router(state("guard-table").store, DEFAULT_BODY_LIMIT);
        assert_eq!(call(&app, "GET", "/healthz").await.0, StatusCode::OK);
        assert_eq!(call(&app, "HEAD", "/healthz").await.0, StatusCode::OK);
        let (status, body) = call(&app, "GET", "/v1/audit").await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("missing_token")));
    }
}
