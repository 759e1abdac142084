//! Reading parsed JSON documents field by field, collecting every problem with its pointer.
//!
//! The loaders of parindex walk a [`serde_json::Value`] (parsed with `arbitrary_precision`,
//! so numbers keep their exact text) instead of deriving `Deserialize`: that way one pass
//! reports every problem of a document, each at its JSON Pointer and with its criterion.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::decimal::{decimal_from_json, json_type_name};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// Appends one reference token to a JSON Pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_child(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Appends an array index to a JSON Pointer.
pub fn pointer_index(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

/// A reading context: the diagnostics collected so far and the criterion being read, which
/// every diagnostic raised through it names.
#[derive(Debug)]
pub struct Reader<'d> {
    /// Where problems go.
    pub diags: &'d mut Diagnostics,
    /// The criterion the current value belongs to, if any.
    pub criterion: Option<String>,
}

impl<'d> Reader<'d> {
    /// A reader that names no criterion.
    pub fn new(diags: &'d mut Diagnostics) -> Self {
        Reader { diags, criterion: None }
    }

    /// Records a problem at `path`, naming the current criterion.
    pub fn error(&mut self, code: Code, path: &str, message: impl Into<String>) {
        let mut d = Diagnostic::new(code, path, message);
        d.criterion = self.criterion.clone();
        self.diags.push(d);
    }

    /// The value as an object, or an `code` problem.
    pub fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        code: Code,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.error(code, path, format!("{what} must be an object, found {}", json_type_name(other)));
                None
            }
        }
    }

    /// The value as a list, or an `code` problem.
    pub fn array<'v>(&mut self, value: &'v Value, path: &str, code: Code, what: &str) -> Option<&'v Vec<Value>> {
        match value {
            Value::Array(items) => Some(items),
            other => {
                self.error(code, path, format!("{what} must be a list, found {}", json_type_name(other)));
                None
            }
        }
    }

    /// The value as a string, or an `code` problem.
    pub fn string<'v>(&mut self, value: &'v Value, path: &str, code: Code, what: &str) -> Option<&'v str> {
        match value {
            Value::String(s) => Some(s),
            other => {
                self.error(code, path, format!("{what} must be a string, found {}", json_type_name(other)));
                None
            }
        }
    }

    /// The value as a boolean, or an `code` problem.
    pub fn boolean(&mut self, value: &Value, path: &str, code: Code, what: &str) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.error(code, path, format!("{what} must be true or false, found {}", json_type_name(other)));
                None
            }
        }
    }

    /// The value as a decimal: `bad_decimal` for malformed text, `wrong_type` for a value of
    /// another JSON type.
    pub fn decimal(&mut self, value: &Value, path: &str, wrong_type: Code, what: &str) -> Option<Decimal> {
        match decimal_from_json(value) {
            Ok(d) => Some(d),
            Err(e @ crate::decimal::DecimalError::WrongType(_)) => {
                self.error(wrong_type, path, format!("{what}: {e}"));
                None
            }
            Err(e) => {
                self.error(Code::BadDecimal, path, format!("{what}: {e}"));
                None
            }
        }
    }

    /// A required field of `map`; records a problem naming `what` when it is absent.
    pub fn required<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        key: &str,
        path: &str,
        code: Code,
        what: &str,
    ) -> Option<&'v Value> {
        let value = map.get(key);
        if value.is_none() {
            self.error(code, path, format!("{what} is missing its \"{key}\""));
        }
        value
    }

    /// An optional decimal field (absent or `null` is `None`). The field's pointer and the
    /// message are built only when there is a problem: loading a national round reads
    /// millions of fields.
    pub fn opt_decimal_field(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        path: &str,
        wrong_type: Code,
    ) -> Option<Decimal> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => match decimal_from_json(v) {
                Ok(d) => Some(d),
                Err(_) => self.decimal(v, &pointer_child(path, key), wrong_type, &format!("\"{key}\"")),
            },
        }
    }

    /// An optional string field (absent or `null` is `None`).
    pub fn opt_string_field<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        key: &str,
        path: &str,
        code: Code,
    ) -> Option<&'v str> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(v) => self.string(v, &pointer_child(path, key), code, &format!("\"{key}\"")),
        }
    }

    /// An optional boolean field (absent or `null` is `None`).
    pub fn opt_bool_field(&mut self, map: &Map<String, Value>, key: &str, path: &str, code: Code) -> Option<bool> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => self.boolean(v, &pointer_child(path, key), code, &format!("\"{key}\"")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_child("", "a/b~c"), "/a~1b~0c");
        assert_eq!(pointer_child("/entries", "1.2"), "/entries/1.2");
        assert_eq!(pointer_index("/nodes", 3), "/nodes/3");
    }

    #[test]
    fn reader_names_the_criterion_and_path() {
        let mut diags = Diagnostics::new();
        let mut r = Reader::new(&mut diags);
        r.criterion = Some("1.2".into());
        let v = serde_json::json!({"max": "0,5", "kind": 3});
        let map = r.object(&v, "/nodes/0", Code::InputType, "a node").cloned().unwrap_or_default();
        assert_eq!(r.opt_decimal_field(&map, "max", "/nodes/0", Code::InputType), None);
        assert_eq!(r.opt_string_field(&map, "kind", "/nodes/0", Code::InputType), None);
        assert_eq!(diags.len(), 2);
        assert_eq!(diags.errors[0].code, Code::BadDecimal);
        assert_eq!(diags.errors[0].path, "/nodes/0/max");
        assert_eq!(diags.errors[0].criterion.as_deref(), Some("1.2"));
        assert_eq!(diags.errors[1].code, Code::InputType);
    }
}
