//! The API's errors and how each is answered: a status and a JSON body naming what is
//! wrong. Validation problems are 422 with SPEC §10's `{"errors": [...]}`; everything else
//! is `{"error": {"status", "code", "message"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use parindex::Diagnostics;
use serde_json::json;

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON, or a parameter is malformed.
    #[error("{message}")]
    BadRequest {
        /// A stable code, e.g. `malformed_json`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// 401: no token, an unknown token, or an expired one.
    #[error("{message}")]
    Unauthenticated {
        /// `missing_token`, `unknown_token` or `expired_token`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// 403: the token's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such round, unit, block, stage, route…
    #[error("{message}")]
    NotFound {
        /// E.g. `unknown_round`.
        code: &'static str,
        /// What was not found.
        message: String,
    },
    /// 405: the route exists, not with this method.
    #[error("this route does not take this method")]
    MethodNotAllowed,
    /// 409: the request is valid but the round's state forbids it now.
    #[error("{message}")]
    Conflict {
        /// E.g. `deadline_passed`, `stage_finalised`.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// 413: the body is larger than the limit.
    #[error("the request body is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 422: the documents have problems; every one is listed (SPEC §10).
    #[error("{0}")]
    Invalid(Diagnostics),
    /// 500: the store failed.
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// A 404 for a round that does not exist.
    pub fn unknown_round(id: &str) -> ApiError {
        ApiError::NotFound { code: "unknown_round", message: format!("there is no round '{id}'") }
    }

    /// A 404 for a unit that is not in the round.
    pub fn unknown_unit(round: &str, unit: &str) -> ApiError {
        ApiError::NotFound { code: "unknown_unit", message: format!("'{unit}' is not a unit of the round '{round}'") }
    }

    /// A 409.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Conflict { code, message: message.into() }
    }

    /// A 400.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest { code, message: message.into() }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code in the body.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthenticated { code, .. }
            | ApiError::NotFound { code, .. }
            | ApiError::Conflict { code, .. } => code,
            ApiError::Forbidden(_) => "forbidden",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::TooLarge { .. } => "body_too_large",
            ApiError::Invalid(_) => "invalid",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        match self {
            ApiError::Invalid(diags) => serde_json::to_value(diags).unwrap_or_else(|_| json!({"errors": []})),
            other => {
                json!({"error": {"status": other.status().as_u16(), "code": other.code(), "message": other.to_string()}})
            }
        }
    }
}

impl From<parindex_store::StoreError> for ApiError {
    fn from(e: parindex_store::StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<Diagnostics> for ApiError {
    fn from(d: Diagnostics) -> Self {
        ApiError::Invalid(d)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if let ApiError::Unauthenticated { .. } = self {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"parindex\""),
            );
        }
        response
    }
}
