//! The handlers, one module per resource.

pub mod appraisal;
pub mod audit;
pub mod evidence;
pub mod export;
pub mod meta;
pub mod rounds;
pub mod scores;
pub mod self_assessment;
mod unit;
pub mod workflow;

use parindex::{Code, Diagnostic};
use serde_json::Value;

use crate::error::ApiError;

/// A 422 with one `input_type` problem at `path`.
pub fn input_type(path: &str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(Diagnostic::new(Code::InputType, path, message).into())
}

/// The body as a JSON object, or a 422 saying it must be one.
pub fn object(value: Value, what: &str) -> Result<serde_json::Map<String, Value>, ApiError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(input_type("", format!("the body must be a JSON object: {what}"))),
    }
}

/// Pretty JSON text of a stored document (numbers keep their exact text).
pub fn to_text(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
