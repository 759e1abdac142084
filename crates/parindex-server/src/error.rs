//! The API's errors and how each is answered: a status and a JSON body naming what is
//! wrong. Validation problems are 422 with SPEC §10's `{"errors": [...]}`; everything else
//! is `{"error": {"status", "code", "message"}}`, the status following from the code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use parindex::Diagnostics;
use serde_json::json;

/// The stable code of a refusal, as written in `{"error": {"code": …}}`. Each code has one
/// HTTP status ([`ErrorCode::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 400: the body is not JSON (or not UTF-8).
    MalformedJson,
    /// 400: the request needs a body and has none.
    EmptyBody,
    /// 400: the body could not be read (a broken connection).
    UnreadableBody,
    /// 400: `If-Match` is not a version number.
    BadIfMatch,
    /// 400: the query string is malformed.
    BadQuery,
    /// 400: `Idempotency-Key` is empty, too long or not visible ASCII.
    BadIdempotencyKey,
    /// 400: the request could not be parsed as HTTP (request line, a header field, or a
    /// duplicate, negative or non-numeric `Content-Length`).
    BadRequest,
    /// 400: a path segment is not valid percent-encoded UTF-8 (e.g. `/v1/rounds/%ff`).
    BadPath,
    /// 401: no bearer token.
    MissingToken,
    /// 401: the token is not known.
    UnknownToken,
    /// 401: the token has expired.
    ExpiredToken,
    /// 401: the token was revoked (`parindex token revoke`).
    RevokedToken,
    /// 403: the token's role may not do this.
    Forbidden,
    /// 404: no such round.
    UnknownRound,
    /// 404: no such unit in the round.
    UnknownUnit,
    /// 404: no such appraisal stage.
    UnknownStage,
    /// 404: no such block in the round.
    UnknownBlock,
    /// 404: no such schema.
    UnknownSchema,
    /// 404: no such route.
    UnknownRoute,
    /// 404: the unit has no such evidence file.
    UnknownFile,
    /// 403: an appraising agency wrote outside the criteria it appraises.
    OutsideScope,
    /// 409: the write is outside its window (self-assessment, a stage, explanations).
    OutsideWindow,
    /// 409: an agency has not finished its scope of the stage.
    ScopesNotDone,
    /// 409: the agency marked its scope of the stage done.
    ScopeDone,
    /// 409: un-submitting a self-assessment that is not submitted.
    NotSubmitted,
    /// 409: the unit's evidence files would exceed its quota.
    QuotaExceeded,
    /// 413: an evidence file is larger than the limit.
    FileTooLarge,
    /// 415: an evidence file is not a PDF, an image or an Office document.
    UnsupportedFileType,
    /// 405: the route exists, not with this method.
    MethodNotAllowed,
    /// 409: the self-assessment deadline has passed.
    DeadlinePassed,
    /// 409: self-assessment is closed for the round.
    SelfAssessmentClosed,
    /// 409: the self-assessment is already submitted.
    AlreadySubmitted,
    /// 409: `If-Match` names another version of the draft.
    VersionConflict,
    /// 409: nothing to submit.
    NoDraft,
    /// 409: the stage is finalised.
    StageFinalised,
    /// 409: the previous stage is not finalised.
    PreviousStageOpen,
    /// 409: the unit's appraisal is final.
    AppraisalFinal,
    /// 409: explanations before any finalised stage.
    NoAppraisalYet,
    /// 409: a round with this id exists.
    RoundExists,
    /// 409: the idempotency key was used for a different request.
    IdempotencyKeyReused,
    /// 408: the request body did not arrive in time.
    BodyTimeout,
    /// 413: the body is larger than the limit.
    BodyTooLarge,
    /// 413: the stored document would grow larger than the body limit.
    DocumentTooLarge,
    /// 414: the request's URI is too long.
    UriTooLong,
    /// 415: the body is not sent as `Content-Type: application/json`.
    UnsupportedMediaType,
    /// 431: too many header fields, or too long a head.
    TooManyHeaders,
    /// 422: the documents have problems (SPEC §10).
    Invalid,
    /// 500: the store or a worker failed.
    Internal,
    /// 503: the server has as many connections open as it allows.
    Busy,
}

impl ErrorCode {
    /// The code as written in the body, e.g. `malformed_json`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::EmptyBody => "empty_body",
            ErrorCode::UnreadableBody => "unreadable_body",
            ErrorCode::BadIfMatch => "bad_if_match",
            ErrorCode::BadQuery => "bad_query",
            ErrorCode::BadIdempotencyKey => "bad_idempotency_key",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::BadPath => "bad_path",
            ErrorCode::MissingToken => "missing_token",
            ErrorCode::RevokedToken => "revoked_token",
            ErrorCode::UnknownToken => "unknown_token",
            ErrorCode::ExpiredToken => "expired_token",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::UnknownRound => "unknown_round",
            ErrorCode::UnknownUnit => "unknown_unit",
            ErrorCode::UnknownStage => "unknown_stage",
            ErrorCode::UnknownBlock => "unknown_block",
            ErrorCode::UnknownSchema => "unknown_schema",
            ErrorCode::UnknownRoute => "unknown_route",
            ErrorCode::UnknownFile => "unknown_file",
            ErrorCode::OutsideScope => "outside_scope",
            ErrorCode::OutsideWindow => "outside_window",
            ErrorCode::ScopesNotDone => "scopes_not_done",
            ErrorCode::ScopeDone => "scope_done",
            ErrorCode::NotSubmitted => "not_submitted",
            ErrorCode::QuotaExceeded => "quota_exceeded",
            ErrorCode::FileTooLarge => "file_too_large",
            ErrorCode::UnsupportedFileType => "unsupported_file_type",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::DeadlinePassed => "deadline_passed",
            ErrorCode::SelfAssessmentClosed => "self_assessment_closed",
            ErrorCode::AlreadySubmitted => "already_submitted",
            ErrorCode::VersionConflict => "version_conflict",
            ErrorCode::NoDraft => "no_draft",
            ErrorCode::StageFinalised => "stage_finalised",
            ErrorCode::PreviousStageOpen => "previous_stage_open",
            ErrorCode::AppraisalFinal => "appraisal_final",
            ErrorCode::NoAppraisalYet => "no_appraisal_yet",
            ErrorCode::RoundExists => "round_exists",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::BodyTimeout => "body_timeout",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::DocumentTooLarge => "document_too_large",
            ErrorCode::UriTooLong => "uri_too_long",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::TooManyHeaders => "too_many_headers",
            ErrorCode::Busy => "busy",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status answered with this code.
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            MalformedJson | EmptyBody | UnreadableBody | BadIfMatch | BadQuery | BadIdempotencyKey | BadRequest
            | BadPath => StatusCode::BAD_REQUEST,
            MissingToken | UnknownToken | ExpiredToken | RevokedToken => StatusCode::UNAUTHORIZED,
            Forbidden | OutsideScope => StatusCode::FORBIDDEN,
            UnknownRound | UnknownUnit | UnknownStage | UnknownBlock | UnknownSchema | UnknownRoute | UnknownFile => {
                StatusCode::NOT_FOUND
            }
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            DeadlinePassed | SelfAssessmentClosed | AlreadySubmitted | VersionConflict | NoDraft | StageFinalised
            | PreviousStageOpen | AppraisalFinal | NoAppraisalYet | RoundExists | IdempotencyKeyReused
            | OutsideWindow | ScopesNotDone | ScopeDone | NotSubmitted | QuotaExceeded => StatusCode::CONFLICT,
            BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            BodyTooLarge | DocumentTooLarge | FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UriTooLong => StatusCode::URI_TOO_LONG,
            UnsupportedMediaType | UnsupportedFileType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            TooManyHeaders => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Busy => StatusCode::SERVICE_UNAVAILABLE,
            Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400, 401, 403, 404, 405 or 409: a refusal with its code (which sets the status) and
    /// what is wrong.
    #[error("{message}")]
    Refused {
        /// The code; its status is the answer's.
        code: ErrorCode,
        /// What is wrong.
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
    /// A refusal with `code` (400, 401, 403, 404, 405 or 409 by the code).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::Refused { code, message: message.into() }
    }

    /// A 404 for a round that does not exist.
    pub fn unknown_round(id: &str) -> ApiError {
        ApiError::new(ErrorCode::UnknownRound, format!("there is no round '{id}'"))
    }

    /// A 404 for a unit that is not in the round.
    pub fn unknown_unit(round: &str, unit: &str) -> ApiError {
        ApiError::new(ErrorCode::UnknownUnit, format!("'{unit}' is not a unit of the round '{round}'"))
    }

    /// A 403.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Forbidden, message)
    }

    /// A 405.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(ErrorCode::MethodNotAllowed, "this route does not take this method")
    }

    /// The stable code in the body.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Refused { code, .. } => *code,
            ApiError::TooLarge { .. } => ErrorCode::BodyTooLarge,
            ApiError::Invalid(_) => ErrorCode::Invalid,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.code().status()
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

/// The cause of a 5xx, left in the response for the request log.
#[derive(Debug, Clone)]
pub struct Cause(pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if self.status().is_server_error() {
            response.extensions_mut().insert(Cause(self.to_string()));
        }
        if self.status() == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"parindex\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_answered_with_its_codes_status_and_string() {
        let e = ApiError::new(ErrorCode::IdempotencyKeyReused, "again");
        assert_eq!(e.status(), StatusCode::CONFLICT);
        let body = e.body();
        assert_eq!(body["error"]["code"], "idempotency_key_reused");
        assert_eq!(body["error"]["status"], 409);
        assert_eq!(body["error"]["message"], "again");
        assert_eq!(ApiError::TooLarge { limit: 1 }.body()["error"]["code"], "body_too_large");
    }

    #[test]
    fn a_5xx_leaves_its_cause_for_the_request_log_and_a_refusal_does_not() {
        let response = ApiError::Internal("disk I/O error".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.extensions().get::<Cause>().map(|c| c.0.as_str()), Some("disk I/O error"));
        let response = ApiError::new(ErrorCode::Busy, "x").into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let response = ApiError::new(ErrorCode::Forbidden, "x").into_response();
        assert!(response.extensions().get::<Cause>().is_none());
    }
}
