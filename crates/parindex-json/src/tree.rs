//! A JSON document borrowed from its text: the tree every loader reads.
//!
//! Parsing into [`serde_json::Value`] allocates every key and every number's text and hashes
//! every key into an ordered map, then frees it all again. The loaders only look fields up in
//! small objects and walk the rest in order, so this tree keeps strings and keys borrowed from
//! the text (copied only when they hold escapes), objects as lists of pairs in document order,
//! and numbers as their exact text (SPEC §2) — or the integer the parser already read.
//! [`Value::parse`] reads well-formed text directly (`scan`) and anything else through
//! `serde_json` (the `Deserialize` impl below), which also gives the errors.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value whose strings borrow from the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, exactly as written.
    Number(Number<'a>),
    /// A string.
    String(Cow<'a, str>),
    /// A list.
    Array(Vec<Value<'a>>),
    /// An object, its members in document order.
    Object(Object<'a>),
}

/// A JSON number, never read through a binary float.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Number<'a> {
    /// A whole number that fits 64 bits unsigned, as the parser read it.
    Unsigned(u64),
    /// A negative whole number that fits 64 bits, as the parser read it.
    Signed(i64),
    /// Any other number, as its exact text (`0.25`, `-0`, a 30-digit integer; an exponent
    /// as `serde_json` writes it: `1E2` is `1e+2`).
    Text(Cow<'a, str>),
}

/// A JSON object: its members in document order.
///
/// A key given twice stays twice: [`Object::get`] finds the last one, as `serde_json` does,
/// and [`Object::iter`] yields both, so that a loader keyed by criteria can report it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object<'a> {
    members: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Object<'a> {
    /// The value of `key` (the last one when the key is given twice).
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.members.iter().rev().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v)
    }

    /// Whether the object has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| k.as_ref() == key)
    }

    /// The members in document order, a key given twice included twice.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The keys in document order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(k, _)| k.as_ref())
    }

    /// Whether some key is given more than once. Allocates nothing: small objects compare
    /// their keys pairwise; larger ones (up to 512 members) first mark a 4096-bit table of
    /// the keys' hashes on the stack and compare a key with the earlier ones only when its
    /// bit was already set; larger still, [`Object::duplicate_keys`] sorts the keys.
    pub fn has_duplicate_keys(&self) -> bool {
        let members = &self.members;
        if members.len() <= 16 {
            return members.iter().enumerate().any(|(i, (key, _))| members.iter().take(i).any(|(k, _)| k == key));
        }
        if members.len() > 512 {
            return !self.duplicate_keys().is_empty();
        }
        let mut seen = [0u64; 64];
        for (i, (key, _)) in members.iter().enumerate() {
            // FNV-1a: a few cycles a byte, plenty to spread short keys over 4096 bits.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in key.as_bytes() {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
            let bit = (h >> 52) as usize; // the top 12 bits: 0..4096
            let (word, mask) = (bit / 64, 1u64 << (bit % 64));
            let Some(slot) = seen.get_mut(word) else { continue };
            if *slot & mask != 0 && members.iter().take(i).any(|(k, _)| k == key) {
                return true;
            }
            *slot |= mask;
        }
        false
    }

    /// Every key given more than once, each named once (empty for almost every object).
    pub fn duplicate_keys(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if self.members.len() <= 16 {
            for (i, (key, _)) in self.members.iter().enumerate() {
                if self.members.iter().take(i).filter(|(k, _)| k == key).count() == 1 {
                    out.push(key.as_ref());
                }
            }
        } else {
            let mut keys: Vec<&str> = self.keys().collect();
            keys.sort_unstable();
            for pair in keys.windows(2) {
                if let [a, b] = pair
                    && a == b
                    && out.last() != Some(a)
                {
                    out.push(*a);
                }
            }
        }
        out
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl<'o, 'a> IntoIterator for &'o Object<'a> {
    type Item = (&'o str, &'o Value<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'o, (Cow<'a, str>, Value<'a>)>,
        fn(&'o (Cow<'a, str>, Value<'a>)) -> (&'o str, &'o Value<'a>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'a> FromIterator<(Cow<'a, str>, Value<'a>)> for Object<'a> {
    fn from_iter<I: IntoIterator<Item = (Cow<'a, str>, Value<'a>)>>(iter: I) -> Self {
        Object { members: iter.into_iter().collect() }
    }
}

impl<'a> Value<'a> {
    /// Parses JSON text, borrowing every string that holds no escape (and every number's
    /// text): directly for well-formed documents, through `serde_json` for the rest, which
    /// gives the error with its line and column.
    pub fn parse(text: &'a str) -> Result<Value<'a>, serde_json::Error> {
        match crate::scan::parse(text) {
            Some(value) => Ok(value),
            None => Value::parse_with_serde_json(text),
        }
    }

    /// [`Value::parse`] for the bytes of a file; `Err(None)` when they are not UTF-8.
    pub fn parse_bytes(bytes: &'a [u8]) -> Result<Value<'a>, Option<serde_json::Error>> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Value::parse(text).map_err(Some),
            Err(_) => Err(None),
        }
    }

    /// Parses JSON text with `serde_json` only: what [`Value::parse`] falls back to, and what
    /// the tests compare it with.
    pub fn parse_with_serde_json(text: &'a str) -> Result<Value<'a>, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The member `key` of an object; `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The whole number, if this is one that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(Number::Unsigned(n)) => i64::try_from(*n).ok(),
            Value::Number(Number::Signed(n)) => Some(*n),
            Value::Number(Number::Text(t)) => t.parse().ok(),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The JSON type's name for messages ("a boolean", "an object", …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

impl fmt::Display for Number<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Unsigned(n) => write!(f, "{n}"),
            Number::Signed(n) => write!(f, "{n}"),
            Number::Text(t) => f.write_str(t),
        }
    }
}

/// Compact JSON text, as `serde_json` writes it (for messages that quote a value).
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write_string(f, s),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, key)?;
                    write!(f, ":{value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    match serde_json::to_string(s) {
        Ok(quoted) => f.write_str(&quoted),
        Err(_) => Err(fmt::Error),
    }
}

/// The same document, borrowing from a parsed [`serde_json::Value`] (for callers that hold one).
impl<'a> From<&'a serde_json::Value> for Value<'a> {
    fn from(value: &'a serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Number::Unsigned(u),
                (None, Some(i)) => Number::Signed(i),
                (None, None) => Number::Text(Cow::Borrowed(n.as_str())),
            }),
            serde_json::Value::String(s) => Value::String(Cow::Borrowed(s)),
            serde_json::Value::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            serde_json::Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), Value::from(v))).collect())
            }
        }
    }
}

/// The key `serde_json` (with `arbitrary_precision`) uses to hand over a number's text.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut scratch = Scratch::default();
        ValueSeed { scratch: &mut scratch }.deserialize(deserializer)
    }
}

/// Members and items being read, for every open object and list at once: each container
/// collects into the top of these stacks, then moves its own into an allocation of exactly
/// its size (no growth, no slack kept).
#[derive(Default)]
struct Scratch<'de> {
    members: Vec<(Cow<'de, str>, Value<'de>)>,
    items: Vec<Value<'de>>,
}

struct ValueSeed<'s, 'de> {
    scratch: &'s mut Scratch<'de>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, 'de> {
    type Value = Value<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, 'de> {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(Number::Unsigned(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(match u64::try_from(v) {
            Ok(u) => Number::Unsigned(u),
            Err(_) => Number::Signed(v),
        }))
    }

    #[allow(clippy::disallowed_types)] // serde's visitor signature; the value is refused, never used
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value<'de>, E> {
        // Only reachable without `arbitrary_precision`, which this crate always enables.
        Err(E::custom("a number could not be read exactly"))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let start = self.scratch.items.len();
        while let Some(item) = seq.next_element_seed(ValueSeed { scratch: &mut *self.scratch })? {
            self.scratch.items.push(item);
        }
        Ok(Value::Array(self.scratch.items.drain(start..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        let Some(first) = map.next_key_seed(KeySeed)? else {
            return Ok(Value::Object(Object::default()));
        };
        if first == NUMBER_TOKEN {
            let text: String = map.next_value()?;
            return Ok(Value::Number(Number::Text(Cow::Owned(text))));
        }
        let start = self.scratch.members.len();
        let value = map.next_value_seed(ValueSeed { scratch: &mut *self.scratch })?;
        self.scratch.members.push((first, value));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(ValueSeed { scratch: &mut *self.scratch })?;
            self.scratch.members.push((key, value));
        }
        Ok(Value::Object(Object { members: self.scratch.members.drain(start..).collect() }))
    }
}

/// Reads an object key, borrowing it when it holds no escape.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_keys_borrow_from_the_text() {
        let text = r#"{"title": "Sở Nội vụ", "note": "a\"b", "n": 12, "x": 0.10, "neg": -3, "big": 123456789012345678901234567890}"#;
        let doc = Value::parse(text).unwrap();
        let map = doc.as_object().unwrap();
        assert!(matches!(map.get("title"), Some(Value::String(Cow::Borrowed("Sở Nội vụ")))));
        assert_eq!(map.get("note").and_then(Value::as_str), Some("a\"b"));
        assert_eq!(map.get("n").and_then(Value::as_i64), Some(12));
        assert_eq!(map.get("x").map(ToString::to_string).as_deref(), Some("0.10"));
        assert_eq!(map.get("neg").and_then(Value::as_i64), Some(-3));
        assert_eq!(map.get("big").map(ToString::to_string).as_deref(), Some("123456789012345678901234567890"));
    }

    #[test]
    fn a_key_given_twice_reads_like_serde_json_and_stays_visible() {
        let doc = Value::parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        let map = doc.as_object().unwrap();
        assert_eq!(map.get("a").and_then(Value::as_i64), Some(3));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b", "a"]);
        assert_eq!(map.duplicate_keys(), ["a"]);
        let many: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 17)).collect();
        let text = format!("{{{}}}", many.join(","));
        let doc = Value::parse(&text).unwrap();
        assert_eq!(doc.as_object().unwrap().duplicate_keys().len(), 17);
        let doc = Value::parse(r#"{"a": 1, "a": 2, "a": 3}"#).unwrap();
        assert_eq!(doc.as_object().unwrap().duplicate_keys(), ["a"]);
    }

    #[test]
    fn has_duplicate_keys_agrees_with_duplicate_keys_at_every_size() {
        for n in [0usize, 1, 2, 16, 17, 100, 512, 513, 2000] {
            let unique: Vec<String> = (0..n).map(|i| format!("\"1.{i}\": {i}")).collect();
            let text = format!("{{{}}}", unique.join(","));
            let doc = Value::parse(&text).unwrap();
            let map = doc.as_object().unwrap();
            assert!(!map.has_duplicate_keys(), "{n} unique keys");
            assert!(map.duplicate_keys().is_empty());
            if n == 0 {
                continue;
            }
            let mut twice = unique.clone();
            twice.push(format!("\"1.{}\": 0", n / 2));
            let text = format!("{{{}}}", twice.join(","));
            let doc = Value::parse(&text).unwrap();
            assert!(doc.as_object().unwrap().has_duplicate_keys(), "{n} keys and one again");
        }
    }

    #[test]
    fn displays_as_compact_json_like_serde_json() {
        for text in [r#"{"a":[1,-2,0.5,"x\"y",null,true],"b":{}}"#, r#""Đồng Tháp""#, "-0", "1e2"] {
            let ours = Value::parse(text).unwrap().to_string();
            let theirs = serde_json::from_str::<serde_json::Value>(text).unwrap().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn converts_from_serde_json_values() {
        let text = r#"{"x": [1, "two", {"three": 3.0}], "y": null}"#;
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(Value::from(&theirs).to_string(), Value::parse(text).unwrap().to_string());
        assert_eq!(Value::from(&theirs).get("x").and_then(Value::as_array).map(<[Value]>::len), Some(3));
    }

    #[test]
    fn malformed_text_is_an_error_not_a_panic() {
        for text in ["", "{", r#"{"a" 1}"#, "[1,]", "nul", &"[".repeat(10_000)] {
            assert!(Value::parse(text).is_err(), "{text}");
        }
    }
}
