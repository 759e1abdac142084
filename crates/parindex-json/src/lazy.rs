//! A JSON value read where it lies in its text, for documents too large to hold as a tree.
//!
//! A [`Value`] tree costs tens of bytes a value: a document made of millions of tiny values
//! (`[0,0,0,…]`, `{"title":"a"}` again and again) takes ten times its text. [`valid_text`]
//! checks a whole document once without building anything; a [`Lazy`] is then one value's
//! span of that text, whose members and items are found by scanning it when asked
//! ([`Lazy::members`], [`Lazy::items`], [`Lazy::fields`]), and only the small values a loader
//! needs whole are built ([`Lazy::to_value`]). A value nobody asks for is skipped, never built.

use std::borrow::Cow;
use std::hash::BuildHasher;

use crate::scan::{self, Scanner};
use crate::tree::Value;

/// Checks JSON text without building a tree: the text, with where its longer containers
/// end, when it is well-formed; `serde_json`'s error (with its line and column, exactly as
/// [`Value::parse`] gives it) when not. The rare text only `serde_json` reads (an object it
/// takes for a number) comes back rewritten as `serde_json` reads it.
pub fn valid_text(text: &str) -> Result<Checked<'_>, serde_json::Error> {
    if let Some(spans) = scan::validate(text) {
        return Ok(Checked { text: Cow::Borrowed(text), spans });
    }
    let text = Value::parse_with_serde_json(text)?.to_string();
    let spans = scan::validate(&text).unwrap_or_default();
    Ok(Checked { text: Cow::Owned(text), spans })
}

/// A document checked by [`valid_text`]: its text and the spans of its containers of 64
/// bytes or more (two `usize` each: at most a quarter of the text's size), so that reading
/// it never scans a long value twice.
#[derive(Debug, Clone)]
pub struct Checked<'t> {
    text: Cow<'t, str>,
    spans: Vec<(usize, usize)>,
}

impl Checked<'_> {
    /// The document's value.
    pub fn root(&self) -> Lazy<'_> {
        Lazy::within(&self.text, &self.spans)
    }

    /// The checked text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// One JSON value as its span of a checked text ([`valid_text`]). Cheap to copy; nothing is
/// built until asked for. On text that is not well-formed, scanning stops early instead of
/// failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lazy<'a> {
    /// The whole document's text.
    doc: &'a str,
    start: usize,
    end: usize,
    /// The long containers' spans in `doc` ([`Checked`]).
    spans: &'a [(usize, usize)],
}

impl<'a> Lazy<'a> {
    /// The value of a short well-formed text (one known to be JSON, such as a tree written
    /// out), read without [`valid_text`]'s spans: each long value is scanned again whenever
    /// it is skipped.
    pub fn root(text: &'a str) -> Lazy<'a> {
        Lazy::within(text, &[])
    }

    fn within(doc: &'a str, spans: &'a [(usize, usize)]) -> Lazy<'a> {
        let blank = |b: &u8| matches!(b, b' ' | b'\n' | b'\r' | b'\t');
        let bytes = doc.as_bytes();
        let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
        let end = bytes.iter().rposition(|b| !blank(b)).map_or(start, |i| i + 1);
        Lazy { doc, start, end, spans }
    }

    /// The value's text, exactly as written.
    pub fn text(&self) -> &'a str {
        self.doc.get(self.start..self.end).unwrap_or_default()
    }

    fn first(&self) -> u8 {
        self.doc.as_bytes().get(self.start).copied().unwrap_or(b'n')
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        self.first() == b'n'
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        self.first() == b'{'
    }

    /// Whether this is a list.
    pub fn is_array(&self) -> bool {
        self.first() == b'['
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        self.first() == b'"'
    }

    /// The JSON type's name for messages, as [`Value::type_name`] gives it.
    pub fn type_name(&self) -> &'static str {
        match self.first() {
            b'n' => "null",
            b't' | b'f' => "a boolean",
            b'"' => "a string",
            b'[' => "a list",
            b'{' => "an object",
            _ => "a number",
        }
    }

    /// The string, if this is one (borrowed unless it holds an escape).
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        if !self.is_string() {
            return None;
        }
        let text = self.text();
        // A checked string without a backslash is its text between the quotes.
        match text.get(1..text.len().saturating_sub(1)) {
            Some(inner) if text.len() >= 2 && !inner.contains('\\') => Some(Cow::Borrowed(inner)),
            _ => Scanner::new(text).string(),
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.text() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The value built as a tree (for the small values a loader needs whole).
    pub fn to_value(&self) -> Value<'a> {
        scan::parse(self.text()).unwrap_or(Value::Null)
    }

    /// The members of an object in document order, a key given twice included twice (none
    /// for other values).
    pub fn members(&self) -> Members<'a> {
        Members { scanner: self.scanner(), spans: self.spans, started: false, done: !self.is_object() }
    }

    /// The items of a list (none for other values).
    pub fn items(&self) -> Items<'a> {
        Items { scanner: self.scanner(), spans: self.spans, started: false, done: !self.is_array() }
    }

    /// A scanner of the whole document at the start of this value.
    fn scanner(&self) -> Scanner<'a> {
        let mut scanner = Scanner::new(self.doc);
        scanner.pos = self.start;
        scanner
    }

    /// The member `key` of an object (the last one when the key is given twice).
    pub fn get(&self, key: &str) -> Option<Lazy<'a>> {
        self.members().filter(|(k, _)| k == key).last().map(|(_, v)| v)
    }

    /// The members named `names` of an object (the last of a name given twice), read in one
    /// pass, with the number of members and whether some key, named or not, is given twice.
    pub fn fields<const N: usize>(&self, names: &'static [&'static str; N]) -> Fields<'a, N> {
        let mut fields =
            Fields { doc: self.doc, spans: self.spans, names, values: [(0, 0); N], len: 0, duplicates: false };
        // The first keys' hashes: a key whose hash was seen is compared whole afterwards.
        let mut hashes = [0u64; 16];
        let mut suspect = false;
        for (key, value) in self.members() {
            if let Some(i) = names.iter().position(|n| *n == key)
                && let Some(slot) = fields.values.get_mut(i)
            {
                *slot = (value.start, value.end);
            }
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in key.as_bytes() {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
            if let Some(earlier) = hashes.get(..fields.len) {
                suspect |= earlier.contains(&h);
            }
            if let Some(slot) = hashes.get_mut(fields.len) {
                *slot = h;
            }
            fields.len += 1;
        }
        if suspect || fields.len > hashes.len() {
            fields.duplicates = !self.duplicate_keys().is_empty();
        }
        fields
    }

    /// Every key given more than once in an object, each named once, in the order
    /// [`crate::Object::duplicate_keys`] gives them. An object of more than 16 members costs
    /// eight bytes a member (the keys' hashes, under a random key); only the keys whose hash
    /// is seen twice are kept whole.
    pub fn duplicate_keys(&self) -> Vec<Cow<'a, str>> {
        let mut out: Vec<Cow<'a, str>> = Vec::new();
        if self.members().nth(16).is_none() {
            let keys: Vec<Cow<'a, str>> = self.members().map(|(k, _)| k).collect();
            for (i, key) in keys.iter().enumerate() {
                if keys.iter().take(i).filter(|k| *k == key).count() == 1 {
                    out.push(key.clone());
                }
            }
            return out;
        }
        let state = std::hash::RandomState::new();
        let mut hashes: Vec<u64> = self.members().map(|(k, _)| state.hash_one(k.as_ref())).collect();
        hashes.sort_unstable();
        let mut twice: Vec<u64> =
            hashes.windows(2).filter_map(|w| w.first().filter(|a| w.last() == Some(a))).copied().collect();
        drop(hashes);
        twice.dedup();
        if twice.is_empty() {
            return out;
        }
        let mut keys: Vec<Cow<'a, str>> = self
            .members()
            .map(|(k, _)| k)
            .filter(|k| twice.binary_search(&state.hash_one(k.as_ref())).is_ok())
            .collect();
        keys.sort_unstable();
        for pair in keys.windows(2) {
            if let [a, b] = pair
                && a == b
                && out.last() != Some(a)
            {
                out.push(a.clone());
            }
        }
        out
    }
}

/// Named members of an object, read by [`Lazy::fields`].
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a, const N: usize> {
    doc: &'a str,
    spans: &'a [(usize, usize)],
    names: &'static [&'static str; N],
    /// Each named member's span in `doc`; (0, 0) when absent.
    values: [(usize, usize); N],
    len: usize,
    duplicates: bool,
}

impl<'a, const N: usize> Fields<'a, N> {
    /// The member `name` (one of the names asked for), the last one when given twice.
    pub fn get(&self, name: &str) -> Option<Lazy<'a>> {
        let i = self.names.iter().position(|n| *n == name)?;
        let (start, end) = self.values.get(i).copied().filter(|(_, end)| *end > 0)?;
        Some(Lazy { doc: self.doc, start, end, spans: self.spans })
    }

    /// The number of members of the object, named or not.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether some key of the object is given more than once.
    pub fn has_duplicate_keys(&self) -> bool {
        self.duplicates
    }
}

/// The members of an object: [`Lazy::members`].
#[derive(Debug)]
pub struct Members<'a> {
    scanner: Scanner<'a>,
    spans: &'a [(usize, usize)],
    started: bool,
    done: bool,
}

impl<'a> Members<'a> {
    fn step(&mut self) -> Option<(Cow<'a, str>, Lazy<'a>)> {
        let s = &mut self.scanner;
        if !self.started {
            self.started = true;
            s.skip_whitespace();
            if s.peek()? != b'{' {
                return None;
            }
            s.pos += 1;
            if s.eat(b'}') {
                return None;
            }
        }
        s.skip_whitespace();
        if s.peek()? != b'"' {
            return None;
        }
        let key = s.string()?;
        if !s.eat(b':') {
            return None;
        }
        s.skip_whitespace();
        let start = s.pos;
        s.skip_checked(self.spans);
        if s.pos == start {
            return None;
        }
        let value = Lazy { doc: s.text(), start, end: s.pos, spans: self.spans };
        if !s.eat(b',') {
            self.done = true;
        }
        Some((key, value))
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = (Cow<'a, str>, Lazy<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.step();
        if item.is_none() {
            self.done = true;
        }
        item
    }
}

/// The items of a list: [`Lazy::items`].
#[derive(Debug)]
pub struct Items<'a> {
    scanner: Scanner<'a>,
    spans: &'a [(usize, usize)],
    started: bool,
    done: bool,
}

impl<'a> Items<'a> {
    fn step(&mut self) -> Option<Lazy<'a>> {
        let s = &mut self.scanner;
        if !self.started {
            self.started = true;
            s.skip_whitespace();
            if s.peek()? != b'[' {
                return None;
            }
            s.pos += 1;
            if s.eat(b']') {
                return None;
            }
        }
        s.skip_whitespace();
        let start = s.pos;
        s.skip_checked(self.spans);
        if s.pos == start {
            return None;
        }
        let value = Lazy { doc: s.text(), start, end: s.pos, spans: self.spans };
        if !s.eat(b',') {
            self.done = true;
        }
        Some(value)
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Lazy<'a>;

    fn next(&mut self) -> Option<Lazy<'a>> {
        if self.done {
            return None;
        }
        let item = self.step();
        if item.is_none() {
            self.done = true;
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lazy(text: &str) -> Lazy<'_> {
        assert!(matches!(valid_text(text).map(|c| c.text), Ok(Cow::Borrowed(_))), "{text}");
        Lazy::root(text)
    }

    #[test]
    fn reads_members_and_items_where_they_lie() {
        let text = r#" {"a": [1, {"b": "x\"y"}, null], "c": true, "a": "last", "d": {}} "#;
        let doc = lazy(text);
        let keys: Vec<_> = doc.members().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "c", "a", "d"]);
        assert_eq!(doc.get("a").and_then(|v| v.as_str()).as_deref(), Some("last"));
        let first = doc.members().next().map(|(_, v)| v).unwrap();
        assert_eq!(first.items().count(), 3);
        assert_eq!(first.items().nth(1).and_then(|v| v.get("b")).and_then(|v| v.as_str()).as_deref(), Some("x\"y"));
        assert_eq!(doc.get("c").and_then(|v| v.as_bool()), Some(true));
        assert_eq!(doc.get("d").map(|v| v.members().count()), Some(0));
        assert_eq!(first.to_value(), Value::parse("[1, {\"b\": \"x\\\"y\"}, null]").unwrap());
        let f = doc.fields(&["a", "d", "z"]);
        assert_eq!((f.len(), f.has_duplicate_keys()), (4, true));
        assert_eq!(f.get("a").map(|v| v.text()), Some("\"last\""));
        assert!(f.get("z").is_none());
    }

    #[test]
    fn type_names_match_the_tree() {
        for text in ["null", "true", "false", "\"s\"", "-1.5e3", "0", "[]", "{}"] {
            assert_eq!(lazy(text).type_name(), Value::parse(text).unwrap().type_name(), "{text}");
        }
    }

    #[test]
    fn duplicate_keys_match_the_tree_at_every_size() {
        for n in [0usize, 3, 16, 17, 40, 600, 3000] {
            for dup in [None, Some(0usize), Some(7)] {
                let mut members: Vec<String> = (0..n).map(|i| format!("\"k{}\": [{i}]", i)).collect();
                if let Some(d) = dup.filter(|d| *d < n) {
                    members.push(format!("\"k{d}\": 1"));
                    members.push("\"k\\u0030\": 2".to_owned());
                    members.insert(0, format!("\"k{}\": 3", n / 2));
                }
                let text = format!("{{{}}}", members.join(","));
                let ours: Vec<String> = lazy(&text).duplicate_keys().into_iter().map(Cow::into_owned).collect();
                let tree = Value::parse(&text).unwrap();
                let theirs: Vec<String> =
                    tree.as_object().unwrap().duplicate_keys().into_iter().map(str::to_owned).collect();
                assert_eq!(ours, theirs, "{n} {dup:?}");
                assert_eq!(lazy(&text).fields(&["k0"]).has_duplicate_keys(), !theirs.is_empty(), "{n} {dup:?}");
            }
        }
    }

    #[test]
    fn invalid_text_is_serde_jsons_error() {
        for text in ["", "{", r#"{"a" 1}"#, "[1,]", "nul", &"[".repeat(10_000), "[1] x", "\"\\ud800\""] {
            let ours = valid_text(text).unwrap_err().to_string();
            let theirs = Value::parse(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
        // An object serde_json reads as a number comes back rewritten.
        let odd = r#"{"$serde_json::private::Number": "1.5"}"#;
        let checked = valid_text(odd).unwrap();
        assert_eq!(checked.text(), Value::parse(odd).unwrap().to_string());
    }
}
