//! Who is calling: bearer tokens and the four roles.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use parindex_store::{Store, time, tokens};

use crate::error::ApiError;

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Creates rounds, opens and closes self-assessment, enters survey results; reads all.
    Admin,
    /// The appraisal council (hội đồng thẩm định): stages, survey results, class caps; reads all.
    Appraiser,
    /// Reads everything, writes nothing.
    Auditor,
    /// One unit (đơn vị): writes only its own self-assessment and explanations, reads its own
    /// documents and scores.
    Unit(String),
}

impl Role {
    /// Reads `admin`, `appraiser`, `auditor` or `unit:<id>` (the id: lowercase ASCII
    /// letters, digits and `-`, as SPEC §7 says of unit ids).
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "appraiser" => Some(Role::Appraiser),
            "auditor" => Some(Role::Auditor),
            other => {
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
            (Allow::Admin, Role::Admin) | (Allow::Appraiser, Role::Appraiser) | (Allow::Auditor, Role::Auditor) => true,
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
        Err(ApiError::Forbidden(message))
    }
}

/// Reads the `Authorization: Bearer …` header and finds its token.
pub fn authenticate(headers: &HeaderMap, store: &Store) -> Result<Caller, ApiError> {
    let missing = || ApiError::Unauthenticated {
        code: "missing_token",
        message: "send a token in the header 'Authorization: Bearer <token>'".into(),
    };
    let value = headers.get(AUTHORIZATION).ok_or_else(missing)?;
    let text = value.to_str().map_err(|_| missing())?;
    let secret = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(missing)?;
    let token = store.read(|tx| tokens::find(tx, secret))?.ok_or_else(|| ApiError::Unauthenticated {
        code: "unknown_token",
        message: "the token is not known to this server".into(),
    })?;
    if token.expired(time::now_unix()) {
        return Err(ApiError::Unauthenticated {
            code: "expired_token",
            message: format!("the token #{} has expired", token.id),
        });
    }
    let role = Role::parse(&token.role)
        .ok_or_else(|| ApiError::Forbidden(format!("the token's role '{}' is not known", token.role)))?;
    Ok(Caller { token_id: token.id, role })
}
