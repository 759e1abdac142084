//! Who is calling: bearer tokens and the four roles; and the route table's role rules,
//! enforced once for every route by [`guard`].

use std::sync::Arc;

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parindex_store::{Store, time, tokens};

use crate::api::{ROUTES, RouteSpec};
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, blocking};

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Creates rounds, opens and closes self-assessment, enters survey results; reads all.
    Admin,
    /// The appraisal council (hội đồng thẩm định) as one appraiser of every field: stages,
    /// survey results, class caps; reads all.
    Appraiser,
    /// One appraising agency (`appraiser:<agency>`, e.g. Sở Tư pháp): writes appraisal
    /// entries only inside the criteria the round gives it; reads all but the audit log.
    Agency(String),
    /// The council (`council`): finalises stages once every agency is done (or forces it
    /// with a reason), survey results, class caps; reads all but the audit log.
    Council,
    /// Reads everything, writes nothing.
    Auditor,
    /// One unit (đơn vị): writes only its own self-assessment and explanations, reads its own
    /// documents and scores.
    Unit(String),
}

impl Role {
    /// Reads `admin`, `appraiser`, `appraiser:<agency>`, `council`, `auditor` or
    /// `unit:<id>` (ids: lowercase ASCII letters, digits and `-`, as SPEC §7 says of unit ids).
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "appraiser" => Some(Role::Appraiser),
            "auditor" => Some(Role::Auditor),
            "council" => Some(Role::Council),
            other => {
                if let Some(agency) = other.strip_prefix("appraiser:") {
                    return crate::routes::rounds::is_id(agency).then(|| Role::Agency(agency.to_owned()));
                }
                let id = other.strip_prefix("unit:")?;
                let ok =
                    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                ok.then(|| Role::Unit(id.to_owned()))
            }
        }
    }

    /// The role as written in a token.
    pub fn as_string(&self) -> String {
        match self {
            Role::Admin => "admin".into(),
            Role::Appraiser => "appraiser".into(),
            Role::Auditor => "auditor".into(),
            Role::Council => "council".into(),
            Role::Agency(id) => format!("appraiser:{id}"),
            Role::Unit(id) => format!("unit:{id}"),
        }
    }
}

/// Who may call a route: the roles of the route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allow {
    /// Tokens with the admin role.
    Admin,
    /// Tokens with the appraiser role.
    Appraiser,
    /// Tokens with the auditor role.
    Auditor,
    /// Tokens with the council role.
    Council,
    /// Any `appraiser:<agency>` token (its scope is checked by the handler).
    Agency,
    /// A `unit:<id>` token whose id is the unit in the path.
    OwnUnit,
    /// Any `unit:<id>` token.
    AnyUnit,
}

impl Allow {
    /// The name used in the route table and the OpenAPI document.
    pub fn name(self) -> &'static str {
        match self {
            Allow::Admin => "admin",
            Allow::Appraiser => "appraiser",
            Allow::Auditor => "auditor",
            Allow::Council => "council",
            Allow::Agency => "appraiser:<agency>",
            Allow::OwnUnit => "unit (own)",
            Allow::AnyUnit => "unit",
        }
    }
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's number.
    pub token_id: i64,
    /// Its role.
    pub role: Role,
}

impl Caller {
    /// The name written in the audit log: `role#token`.
    pub fn actor(&self) -> String {
        format!("{}#{}", self.role.as_string(), self.token_id)
    }

    /// Whether the caller is one of `allowed` (for `OwnUnit`, the unit in the path).
    pub fn may(&self, allowed: &[Allow], unit: Option<&str>) -> bool {
        allowed.iter().any(|a| match (a, &self.role) {
            (Allow::Admin, Role::Admin)
            | (Allow::Appraiser, Role::Appraiser)
            | (Allow::Auditor, Role::Auditor)
            | (Allow::Council, Role::Council)
            | (Allow::Agency, Role::Agency(_)) => true,
            (Allow::AnyUnit, Role::Unit(_)) => true,
            (Allow::OwnUnit, Role::Unit(id)) => unit == Some(id.as_str()),
            _ => false,
        })
    }

    /// `Ok` if the caller is one of `allowed`, else a 403 naming who may.
    pub fn require(&self, allowed: &[Allow], unit: Option<&str>) -> Result<(), ApiError> {
        if self.may(allowed, unit) {
            return Ok(());
        }
        let who: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
        let mut message =
            format!("a token with the role '{}' may not do this; it takes: {}", self.role.as_string(), who.join(", "));
        if let (Role::Unit(own), Some(unit)) = (&self.role, unit)
            && own != unit
            && allowed.contains(&Allow::OwnUnit)
        {
            message = format!("this token is for the unit '{own}', not for '{unit}'");
        }
        Err(ApiError::forbidden(message))
    }
}

/// Reads the `Authorization: Bearer …` header and finds its token.
pub fn authenticate(headers: &HeaderMap, store: &Store) -> Result<Caller, ApiError> {
    let missing =
        || ApiError::new(ErrorCode::MissingToken, "send a token in the header 'Authorization: Bearer <token>'");
    let value = headers.get(AUTHORIZATION).ok_or_else(missing)?;
    let text = value.to_str().map_err(|_| missing())?;
    // The scheme name is case-insensitive (RFC 9110 §11.1): `Bearer`, `bearer`, `BEARER`.
    let secret = text
        .trim_start()
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, secret)| secret.trim())
        .filter(|s| !s.is_empty())
        .ok_or_else(missing)?;
    let token = store
        .read(|tx| tokens::find(tx, secret))?
        .ok_or_else(|| ApiError::new(ErrorCode::UnknownToken, "the token is not known to this server"))?;
    if let Some(at) = &token.revoked_at {
        return Err(ApiError::new(
            ErrorCode::RevokedToken,
            format!("Token #{} đã bị thu hồi lúc {at}; hãy xin quản trị viên cấp token mới.", token.id),
        ));
    }
    if token.expired(time::now_unix()) {
        return Err(ApiError::new(ErrorCode::ExpiredToken, format!("the token #{} has expired", token.id)));
    }
    let role = Role::parse(&token.role)
        .ok_or_else(|| ApiError::forbidden(format!("the token's role '{}' is not known", token.role)))?;
    Ok(Caller { token_id: token.id, role })
}

/// The answer to a path that is not a route.
pub fn unknown_route(path: &str) -> ApiError {
    ApiError::new(ErrorCode::UnknownRoute, format!("no route {path}: see /v1/openapi.json"))
}

/// The route table's entry for a request the router matched to `pattern` (e.g.
/// `/v1/rounds/{round}`): `None` when the table has the pattern but not the method, or
/// does not have the pattern at all.
fn table_entry(method: &Method, pattern: &str) -> Option<&'static RouteSpec> {
    // HEAD is answered by a GET route.
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    ROUTES.iter().find(|r| r.path == pattern && r.method == method)
}

/// The middleware in front of every route: finds the route's entry in [`ROUTES`] and lets
/// the request through only if the caller's role is one the entry allows (a unit-scoped
/// role against the `{unit}` in the path). The authenticated [`Caller`] is left in the
/// request for the handler. A route the router has but the table does not is answered as
/// an unknown route: what is not in the table cannot be reached.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    let (mut parts, body) = request.into_parts();
    let pattern = parts.extensions.get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_default();
    let Some(spec) = table_entry(&parts.method, &pattern) else {
        return Err(if ROUTES.iter().any(|r| r.path == pattern) {
            ApiError::method_not_allowed()
        } else {
            unknown_route(parts.uri.path())
        });
    };
    let caller = if spec.allow.is_empty() {
        None
    } else {
        let headers = parts.headers.clone();
        let store = Arc::clone(&state.store);
        Some(blocking(move || authenticate(&headers, &store)).await?)
    };
    let token_id = caller.as_ref().map(|c| c.token_id);
    let mut response = match admit(&state, &mut parts, spec, caller).await {
        Ok(()) => next.run(Request::from_parts(parts, body)).await,
        Err(e) => e.into_response(),
    };
    if let Some(id) = token_id {
        response.extensions_mut().insert(TokenId(id));
    }
    Ok(response)
}

/// After the token check (a caller without a token learns nothing of the path): every path
/// parameter must be percent-encoded UTF-8 (answered here as JSON rather than by the
/// handlers' extractors in plain text), and the caller's role one the route allows.
async fn admit(
    state: &AppState,
    parts: &mut axum::http::request::Parts,
    spec: &RouteSpec,
    caller: Option<Caller>,
) -> Result<(), ApiError> {
    let unit = match RawPathParams::from_request_parts(parts, state).await {
        Ok(params) => params.iter().find(|(name, _)| *name == "unit").map(|(_, value)| value.to_owned()),
        Err(RawPathParamsRejection::InvalidUtf8InPathParam(_)) => {
            return Err(ApiError::new(
                ErrorCode::BadPath,
                "Đường dẫn có một đoạn mã hoá phần trăm không phải UTF-8 hợp lệ (ví dụ %ff); hãy mã hoá định danh bằng UTF-8.",
            ));
        }
        // A route without parameters.
        Err(_) => None,
    };
    if let Some(caller) = caller {
        caller.require(spec.allow, unit.as_deref())?;
        parts.extensions.insert(caller);
    }
    Ok(())
}

/// The number of the token that made a request, left in its response for the request log.
#[derive(Debug, Clone, Copy)]
pub struct TokenId(pub i64);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    /// The caller [`guard`] authenticated (a route that takes a token).
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            ApiError::Internal("the route table lets anyone call this route, which needs a caller".into())
        })
    }
}
