//! The JSON envelope every C ABI call returns.

use crate::{Failure, Status};

/// One call's answer as JSON text: `{"ok":true,"<key>":<value>}` or
/// `{"ok":false,"status":"<status>","errors":[…]}`, with where the value (or the errors
/// array) lies in the text, so that a host can take it without parsing the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// How the call ended.
    pub status: Status,
    /// The envelope.
    pub json: String,
    /// Byte offset of the value (success) or of the errors array (failure) in `json`.
    pub value_offset: usize,
    /// Its length in bytes.
    pub value_len: usize,
}

impl Reply {
    /// A success whose value under `key` is the JSON text `value`, taken as is (the results
    /// document keeps its bytes and final newline).
    pub fn ok(key: &str, value: &str) -> Reply {
        let mut json = String::with_capacity(value.len() + key.len() + 16);
        json.push_str("{\"ok\":true,\"");
        json.push_str(key);
        json.push_str("\":");
        let value_offset = json.len();
        json.push_str(value);
        json.push('}');
        Reply { status: Status::Ok, json, value_offset, value_len: value.len() }
    }

    /// A success whose value under `key` is `text` as a JSON string.
    pub fn ok_text(key: &str, text: &str) -> Reply {
        Reply::ok(key, &serde_json::Value::String(text.to_owned()).to_string())
    }

    /// A failure.
    pub fn failure(failure: &Failure) -> Reply {
        let errors = failure.errors_json();
        let mut json = format!("{{\"ok\":false,\"status\":\"{}\",\"errors\":", failure.status.as_str());
        let value_offset = json.len();
        json.push_str(&errors);
        json.push('}');
        Reply { status: failure.status, json, value_offset, value_len: errors.len() }
    }

    /// The envelope of `result`: success under `key`, or the failure.
    pub fn of(key: &str, result: Result<String, Failure>) -> Reply {
        match result {
            Ok(value) => Reply::ok(key, &value),
            Err(f) => Reply::failure(&f),
        }
    }

    /// The value (or errors array) as text.
    pub fn value(&self) -> &str {
        self.json.get(self.value_offset..self.value_offset + self.value_len).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_parse_and_point_at_their_value() {
        let ok = Reply::ok("results", "{\n  \"a\": 1\n}\n");
        let v: serde_json::Value = serde_json::from_str(&ok.json).unwrap_or_default();
        assert_eq!(v["ok"], true);
        assert_eq!(ok.value(), "{\n  \"a\": 1\n}\n");
        let bad = Reply::failure(&Failure::bad_handle("closed"));
        let v: serde_json::Value = serde_json::from_str(&bad.json).unwrap_or_default();
        assert_eq!(v["ok"], false);
        assert_eq!(v["status"], "bad_handle");
        assert_eq!(v["errors"][0]["code"], "bad_handle");
        assert_eq!(v["errors"][0]["path"], "");
        assert!(bad.value().starts_with('['));
        let text = Reply::ok_text("text", "a \"b\"\n");
        let v: serde_json::Value = serde_json::from_str(&text.json).unwrap_or_default();
        assert_eq!(v["text"], "a \"b\"\n");
    }
}
