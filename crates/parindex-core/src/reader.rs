//! Reading parsed JSON documents field by field, collecting every problem with its pointer.
//!
//! The loaders of parindex walk a document [`Value`] (`parindex_json`: a tree borrowed from
//! the text, numbers keeping their exact text) instead of deriving `Deserialize`: that way one
//! pass reports every problem of a document, each at its JSON Pointer and with its criterion.

use parindex_json::{Checked, Child, Object, Pointer, Value};
use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// Parses JSON text into a document tree; a syntax error becomes an `input_type` diagnostic
/// at the document root that says where the text went wrong.
pub fn parse(text: &str) -> Result<Value<'_>, Diagnostics> {
    Value::parse(text).map_err(|e| {
        Diagnostic::new(Code::InputType, "", format!("not valid JSON: {e} (line {}, column {})", e.line(), e.column()))
            .into()
    })
}

/// [`parse`] for the bytes of a file: text that is not UTF-8 is an `input_type` diagnostic
/// at the root saying so.
pub fn parse_bytes(bytes: &[u8]) -> Result<Value<'_>, Diagnostics> {
    Value::parse_bytes(bytes).map_err(|e| {
        let message = match e {
            Some(e) => format!("not valid JSON: {e} (line {}, column {})", e.line(), e.column()),
            None => "the file is not UTF-8 text".to_owned(),
        };
        Diagnostic::new(Code::InputType, "", message).into()
    })
}

/// Checks JSON text without building a tree (`parindex_json::valid_text`), for documents
/// read where they lie (`parindex_json::Lazy`): a syntax error is the same diagnostic as
/// [`parse`] gives.
pub fn valid_text(text: &str) -> Result<Checked<'_>, Diagnostics> {
    parindex_json::valid_text(text).map_err(|e| {
        Diagnostic::new(Code::InputType, "", format!("not valid JSON: {e} (line {}, column {})", e.line(), e.column()))
            .into()
    })
}

/// [`valid_text`] for the bytes of a file, with [`parse_bytes`]'s diagnostic for text that is
/// not UTF-8.
pub fn valid_bytes(bytes: &[u8]) -> Result<Checked<'_>, Diagnostics> {
    match std::str::from_utf8(bytes) {
        Ok(text) => valid_text(text),
        Err(_) => Err(Diagnostic::new(Code::InputType, "", "the file is not UTF-8 text").into()),
    }
}

/// Every key given more than once in any object of `doc`, each reported once at its key
/// (`input_type`), in document order: for documents read leniently rather than through a
/// [`Reader`] (results given to `verify` or `--previous`). Allocates only the pointer of the
/// value being visited.
pub fn duplicate_keys_in(doc: &Value<'_>) -> Diagnostics {
    fn walk(value: &Value<'_>, path: &mut String, out: &mut Diagnostics) {
        let len = path.len();
        match value {
            Value::Object(map) => {
                if map.has_duplicate_keys() {
                    Reader::new(out).check_unique_keys(map, path.as_str());
                }
                for (key, v) in map {
                    path.push('/');
                    path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    walk(v, path, out);
                    path.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push('/');
                    path.push_str(&i.to_string());
                    walk(v, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Diagnostics::new();
    walk(doc, &mut String::new(), &mut out);
    out
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

    /// Names `code` as the criterion being read, reusing the last name's allocation.
    pub fn name_criterion(&mut self, code: &str) {
        match &mut self.criterion {
            Some(current) => {
                current.clear();
                current.push_str(code);
            }
            None => self.criterion = Some(code.to_owned()),
        }
    }

    /// Records a problem at `path`, naming the current criterion.
    pub fn error(&mut self, code: Code, path: &(impl Pointer + ?Sized), message: impl Into<String>) {
        let mut d = Diagnostic::new(code, path.render(), message);
        d.criterion = self.criterion.clone();
        self.diags.push(d);
    }

    /// The value as an object, or an `code` problem. A key given more than once in it is
    /// reported here, once per key, at the key ([`Reader::check_unique_keys`]): every object
    /// a loader reads is checked, at no cost (and no allocation) when its keys are unique.
    pub fn object<'v, 'a>(
        &mut self,
        value: &'v Value<'a>,
        path: &(impl Pointer + ?Sized),
        code: Code,
        what: &str,
    ) -> Option<&'v Object<'a>> {
        let map = self.keyed_object(value, path, code, what)?;
        if map.has_duplicate_keys() {
            self.check_unique_keys(map, path);
        }
        Some(map)
    }

    /// [`Reader::object`] for an object keyed by criterion codes (`entries`, `explanations`,
    /// `survey`), whose loader reports a code given twice itself, naming that criterion: its
    /// keys are not checked here.
    pub fn keyed_object<'v, 'a>(
        &mut self,
        value: &'v Value<'a>,
        path: &(impl Pointer + ?Sized),
        code: Code,
        what: &str,
    ) -> Option<&'v Object<'a>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.error(code, path, format!("{what} must be an object, found {}", other.type_name()));
                None
            }
        }
    }

    /// The value as a list, or an `code` problem.
    pub fn array<'v, 'a>(
        &mut self,
        value: &'v Value<'a>,
        path: &(impl Pointer + ?Sized),
        code: Code,
        what: &str,
    ) -> Option<&'v [Value<'a>]> {
        match value {
            Value::Array(items) => Some(items),
            other => {
                self.error(code, path, format!("{what} must be a list, found {}", other.type_name()));
                None
            }
        }
    }

    /// The value as a string, or an `code` problem.
    pub fn string<'v>(
        &mut self,
        value: &'v Value<'_>,
        path: &(impl Pointer + ?Sized),
        code: Code,
        what: &str,
    ) -> Option<&'v str> {
        match value {
            Value::String(s) => Some(s),
            other => {
                self.error(code, path, format!("{what} must be a string, found {}", other.type_name()));
                None
            }
        }
    }

    /// The value as a boolean, or an `code` problem.
    pub fn boolean(
        &mut self,
        value: &Value<'_>,
        path: &(impl Pointer + ?Sized),
        code: Code,
        what: &str,
    ) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.error(code, path, format!("{what} must be true or false, found {}", other.type_name()));
                None
            }
        }
    }

    /// The value as a decimal: `bad_decimal` for malformed text, `wrong_type` for a value of
    /// another JSON type.
    pub fn decimal(
        &mut self,
        value: &Value<'_>,
        path: &(impl Pointer + ?Sized),
        wrong_type: Code,
        what: &str,
    ) -> Option<Decimal> {
        match crate::decimal::decimal_of(value) {
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
    pub fn required<'v, 'a>(
        &mut self,
        map: &'v Object<'a>,
        key: &str,
        path: &(impl Pointer + ?Sized),
        code: Code,
        what: &str,
    ) -> Option<&'v Value<'a>> {
        let value = map.get(key);
        if value.is_none() {
            self.error(code, path, format!("{what} is missing its \"{key}\""));
        }
        value
    }

    /// Reports every key given more than once in `map` (at `path`), once per key:
    /// `serde_json` would silently keep the last value, and a lost value is worse than an
    /// error. [`Reader::object`] calls it on every object it reads. (Objects keyed by
    /// criterion codes are checked by their loader, which knows each code's node.)
    pub fn check_unique_keys(&mut self, map: &Object<'_>, path: &(impl Pointer + ?Sized)) {
        for key in map.duplicate_keys() {
            self.error(
                Code::InputType,
                &Child::key(path, key),
                format!("'{key}' is given more than once in this object: keep one"),
            );
        }
    }

    /// An optional decimal field (absent or `null` is `None`). The field's pointer and the
    /// message are built only when there is a problem: loading a national round reads
    /// millions of fields.
    pub fn opt_decimal_field(
        &mut self,
        map: &Object<'_>,
        key: &str,
        path: &(impl Pointer + ?Sized),
        wrong_type: Code,
    ) -> Option<Decimal> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => match crate::decimal::decimal_of(v) {
                Ok(d) => Some(d),
                Err(_) => self.decimal(v, &Child::key(path, key), wrong_type, &format!("\"{key}\"")),
            },
        }
    }

    /// An optional string field (absent or `null` is `None`).
    pub fn opt_string_field<'v>(
        &mut self,
        map: &'v Object<'_>,
        key: &str,
        path: &(impl Pointer + ?Sized),
        code: Code,
    ) -> Option<&'v str> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(v) => self.string(v, &Child::key(path, key), code, &format!("\"{key}\"")),
        }
    }

    /// An optional boolean field (absent or `null` is `None`).
    pub fn opt_bool_field(
        &mut self,
        map: &Object<'_>,
        key: &str,
        path: &(impl Pointer + ?Sized),
        code: Code,
    ) -> Option<bool> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => self.boolean(v, &Child::key(path, key), code, &format!("\"{key}\"")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parindex_json::{pointer_child, pointer_index};

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_child("", "a/b~c"), "/a~1b~0c");
        assert_eq!(pointer_child("/entries", "1.2"), "/entries/1.2");
        assert_eq!(pointer_index("/nodes", 3), "/nodes/3");
    }

    #[test]
    fn lazy_pointers_render_like_eager_ones() {
        let entries = String::from("/self/entries");
        let entry = Child::key(&entries, "a/b~c");
        let evidence = Child::key(&entry, "evidence");
        let item = Child::index(&evidence, 2);
        assert_eq!(entry.render(), pointer_child(&entries, "a/b~c"));
        assert_eq!(Child::key(&item, "title").render(), "/self/entries/a~1b~0c/evidence/2/title");
        assert_eq!(Child::key("", "unit").render(), "/unit");
        let mut diags = Diagnostics::new();
        Reader::new(&mut diags).error(Code::InputType, &item, "no");
        assert_eq!(diags.errors[0].path, "/self/entries/a~1b~0c/evidence/2");
    }

    #[test]
    fn bytes_that_are_not_utf8_say_so() {
        let diags = parse_bytes(b"{\"a\": \"\xff\"}").unwrap_err();
        assert_eq!(diags.errors[0].message, "the file is not UTF-8 text");
    }

    #[test]
    fn reader_names_the_criterion_and_path() {
        let mut diags = Diagnostics::new();
        let mut r = Reader::new(&mut diags);
        r.criterion = Some("1.2".into());
        let v = Value::parse(r#"{"max": "0,5", "kind": 3}"#).unwrap();
        let map = r.object(&v, "/nodes/0", Code::InputType, "a node").cloned().unwrap_or_default();
        assert_eq!(r.opt_decimal_field(&map, "max", "/nodes/0", Code::InputType), None);
        assert_eq!(r.opt_string_field(&map, "kind", "/nodes/0", Code::InputType), None);
        assert_eq!(diags.len(), 2);
        assert_eq!(diags.errors[0].code, Code::BadDecimal);
        assert_eq!(diags.errors[0].path, "/nodes/0/max");
        assert_eq!(diags.errors[0].criterion.as_deref(), Some("1.2"));
        assert_eq!(diags.errors[1].code, Code::InputType);
    }

    #[test]
    fn every_object_read_reports_a_key_given_twice() {
        let mut diags = Diagnostics::new();
        let mut r = Reader::new(&mut diags);
        let v = Value::parse(r#"{"input": 0, "note": "a", "input": 5}"#).unwrap();
        assert!(r.object(&v, "/self/entries/1.1", Code::InputType, "an entry").is_some());
        assert!(r.keyed_object(&v, "/self/entries", Code::InputType, "\"entries\"").is_some());
        let got: Vec<_> = diags.errors.iter().map(|e| (e.code, e.path.as_str())).collect();
        assert_eq!(got, [(Code::InputType, "/self/entries/1.1/input")]);
    }

    #[test]
    fn a_whole_document_reports_keys_given_twice_at_any_depth() {
        let v =
            Value::parse(r#"{"blocks": [{"units": [{"unit": "a", "index": 1, "index": 99}]}], "round": "x"}"#).unwrap();
        let got: Vec<_> = duplicate_keys_in(&v).errors.into_iter().map(|e| e.path).collect();
        assert_eq!(got, ["/blocks/0/units/0/index"]);
        assert!(duplicate_keys_in(&Value::parse(r#"{"a": [{"b": 1}, {"b": 2}]}"#).unwrap()).is_empty());
    }

    #[test]
    fn keys_given_twice_are_reported_once_each() {
        let mut diags = Diagnostics::new();
        let mut r = Reader::new(&mut diags);
        r.criterion = Some("2.1".into());
        let weights = Value::parse(r#"{"A": 1, "B": 0.5, "A": 0, "A": 1}"#).unwrap();
        r.check_unique_keys(weights.as_object().unwrap(), "/nodes/1/rule/weights");
        let got: Vec<_> = diags.errors.iter().map(|e| (e.path.as_str(), e.criterion.as_deref())).collect();
        assert_eq!(got, [("/nodes/1/rule/weights/A", Some("2.1"))]);
    }
}
