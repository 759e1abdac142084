//! A direct parser for the common case: well-formed JSON into a document [`Value`].
//!
//! `serde_json` drives a visitor through its generic deserializer, and with
//! `arbitrary_precision` copies the text of every number that is not a 64-bit integer into a
//! new `String`. This scanner reads the text once, borrows every string without escapes and every number's
//! text, and collects each container's members on shared stacks. It accepts only what JSON
//! (RFC 8259) accepts and gives up (`None`) at the first thing it does not expect — bad
//! syntax, an escape it does not decode, nesting deeper than `serde_json` allows, trailing
//! text — and the caller then parses with `serde_json`, which gives the error with its line
//! and column, or the document. Both give the same tree for the same text (tests compare
//! them on arbitrary and mutated documents).

use std::borrow::Cow;

use crate::tree::{NUMBER_TOKEN, Number, Object, Value};

/// `serde_json`'s recursion limit: deeper documents are its to refuse.
const MAX_DEPTH: usize = 127;

/// Parses `text` if it is well-formed JSON of the common kind; `None` hands it to `serde_json`.
pub(crate) fn parse(text: &str) -> Option<Value<'_>> {
    let mut scanner = Scanner::new(text);
    let value = scanner.value(0)?;
    scanner.skip_whitespace();
    (scanner.pos == scanner.bytes.len()).then_some(value)
}

#[derive(Debug)]
pub(crate) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pub(crate) pos: usize,
    /// Members of every object being read, innermost last.
    members: Vec<(Cow<'a, str>, Value<'a>)>,
    /// Items of every list being read, innermost last.
    items: Vec<Value<'a>>,
    /// Whether [`Scanner::skip_value`] records the spans of long containers.
    record: bool,
    /// The spans recorded.
    spans: Vec<(usize, usize)>,
}

/// A container at least this long (in bytes of text) is recorded by [`validate`], so that
/// reading the checked text jumps over it instead of scanning it again: at most one span of
/// two `usize` per this many bytes of text.
const SPAN_MIN: usize = 64;

/// Checks that `text` is well-formed JSON of the kind [`parse`] reads, building nothing but
/// the spans (start, end) of its containers of [`SPAN_MIN`] bytes or more, sorted; `None`
/// where [`parse`] would give up. (A string with an escape is decoded into a scratch
/// `String`, then dropped.)
pub(crate) fn validate(text: &str) -> Option<Vec<(usize, usize)>> {
    let mut scanner = Scanner::new(text);
    scanner.record = true;
    scanner.skip_value(0)?;
    scanner.skip_whitespace();
    if scanner.pos != scanner.bytes.len() {
        return None;
    }
    let mut spans = scanner.spans;
    // Recorded as each container closes: a container after those inside it.
    spans.sort_unstable_by_key(|s| s.0);
    Some(spans)
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            members: Vec::new(),
            items: Vec::new(),
            record: false,
            spans: Vec::new(),
        }
    }

    /// The whole text scanned.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// Moves past one value (after whitespace), checking it as [`Scanner::value`] would but
    /// building nothing; `None` where [`Scanner::value`] would give up.
    pub(crate) fn skip_value(&mut self, depth: usize) -> Option<()> {
        self.skip_whitespace();
        match self.peek()? {
            b'{' if depth < MAX_DEPTH => {
                let (start, inner) = (self.pos, self.spans.len());
                self.skip_object(depth)?;
                self.note(start, inner);
                Some(())
            }
            b'[' if depth < MAX_DEPTH => {
                let (start, inner) = (self.pos, self.spans.len());
                self.skip_array(depth)?;
                self.note(start, inner);
                Some(())
            }
            b'"' => self.string().map(drop),
            b't' => self.literal("true", ()),
            b'f' => self.literal("false", ()),
            b'n' => self.literal("null", ()),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    /// Records the container from `start` to here if it is long: at least [`SPAN_MIN`] bytes
    /// for itself and for each span recorded inside it since `inner`, so that a document
    /// never has more spans than one per [`SPAN_MIN`] bytes, however deeply it nests.
    fn note(&mut self, start: usize, inner: usize) {
        let within = self.spans.len().saturating_sub(inner);
        if self.record && self.pos - start >= SPAN_MIN.saturating_mul(within + 1) {
            self.spans.push((start, self.pos));
        }
    }

    fn skip_object(&mut self, depth: usize) -> Option<()> {
        self.pos += 1;
        if self.eat(b'}') {
            return Some(());
        }
        let mut first = true;
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            if first && key == NUMBER_TOKEN {
                return None;
            }
            first = false;
            if !self.eat(b':') {
                return None;
            }
            self.skip_value(depth + 1)?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Some(());
            }
            return None;
        }
    }

    fn skip_array(&mut self, depth: usize) -> Option<()> {
        self.pos += 1;
        if self.eat(b']') {
            return Some(());
        }
        loop {
            self.skip_value(depth + 1)?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Some(());
            }
            return None;
        }
    }

    /// Moves past one value (after whitespace) of text already checked ([`validate`]),
    /// without checking it again: a container [`validate`] recorded in `spans` is jumped
    /// over; in a shorter one brackets are counted and strings skipped to their closing
    /// quote, eight bytes at a time. On text that was not checked it stops somewhere, never
    /// past the end.
    pub(crate) fn skip_checked(&mut self, spans: &[(usize, usize)]) {
        self.skip_whitespace();
        if matches!(self.peek(), Some(b'{' | b'['))
            && let Ok(i) = spans.binary_search_by_key(&self.pos, |s| s.0)
            && let Some((_, end)) = spans.get(i)
        {
            self.pos = *end;
            return;
        }
        match self.peek() {
            Some(b'"') => {
                self.pos += 1;
                self.skip_string_body();
            }
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                loop {
                    self.skip_to_structural();
                    let Some(b) = self.peek() else { return };
                    match b {
                        b'"' => {
                            self.pos += 1;
                            self.skip_string_body();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.pos += 1;
                                return;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        return;
                    }
                    self.pos += 1;
                }
            }
            None => {}
        }
    }

    /// Moves to the next `"`, `{`, `}`, `[` or `]`, eight bytes at a time, or to the end.
    fn skip_to_structural(&mut self) {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        const HIGHS: u64 = ONES << 7;
        let zero_at = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
        while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let chars = u64::from_le_bytes(word);
            // `[` and `{` differ in one bit (0x20), as do `]` and `}`.
            let folded = chars | (ONES * 0x20);
            let found = zero_at(chars ^ (ONES * u64::from(b'"')))
                | zero_at(folded ^ (ONES * u64::from(b'{')))
                | zero_at(folded ^ (ONES * u64::from(b'}')));
            if found != 0 {
                self.pos += found.trailing_zeros() as usize / 8;
                return;
            }
            self.pos += 8;
        }
        while let Some(b) = self.peek() {
            if matches!(b, b'"' | b'{' | b'}' | b'[' | b']') {
                return;
            }
            self.pos += 1;
        }
    }

    /// Moves past the rest of a checked string, its closing quote included.
    fn skip_string_body(&mut self) {
        loop {
            self.skip_to_escape();
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return;
                }
                Some(b'\\') => self.pos += 2,
                Some(_) => self.pos += 1,
                None => return,
            }
        }
    }

    /// A number's syntax, as [`Scanner::number`] checks it, without reading its value.
    fn skip_number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        Some(())
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(crate) fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
            // Indentation of pretty-printed documents: eight spaces at a time.
            while self.bytes.get(self.pos..self.pos + 8) == Some(b"        ") {
                self.pos += 8;
            }
        }
    }

    /// Moves to the next `"`, `\\` or control character, eight bytes at a time (as
    /// `serde_json` does), or to the end of the text.
    fn skip_to_escape(&mut self) {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        const HIGHS: u64 = ONES << 7;
        while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let chars = u64::from_le_bytes(word);
            let control = chars.wrapping_sub(ONES * 0x20) & !chars;
            let quote = chars ^ (ONES * u64::from(b'"'));
            let quote = quote.wrapping_sub(ONES) & !quote;
            let backslash = chars ^ (ONES * u64::from(b'\\'));
            let backslash = backslash.wrapping_sub(ONES) & !backslash;
            let found = (control | quote | backslash) & HIGHS;
            if found != 0 {
                self.pos += found.trailing_zeros() as usize / 8;
                return;
            }
            self.pos += 8;
        }
        while let Some(b) = self.peek() {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return;
            }
            self.pos += 1;
        }
    }

    /// Skips whitespace, then consumes `byte` if it comes next.
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn value(&mut self, depth: usize) -> Option<Value<'a>> {
        self.skip_whitespace();
        match self.peek()? {
            b'{' if depth < MAX_DEPTH => self.object(depth),
            b'[' if depth < MAX_DEPTH => self.array(depth),
            b'"' => self.string().map(Value::String),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            _ => None,
        }
    }

    fn literal<T>(&mut self, word: &str, value: T) -> Option<T> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word.as_bytes()).then(|| {
            self.pos = end;
            value
        })
    }

    fn object(&mut self, depth: usize) -> Option<Value<'a>> {
        self.pos += 1;
        if self.eat(b'}') {
            return Some(Value::Object(Object::default()));
        }
        let start = self.members.len();
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            if start == self.members.len() && key == NUMBER_TOKEN {
                // `serde_json` reads such an object as a number: leave it to it.
                return None;
            }
            if !self.eat(b':') {
                return None;
            }
            let value = self.value(depth + 1)?;
            self.members.push((key, value));
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                break;
            }
            return None;
        }
        Some(Value::Object(self.members.drain(start..).collect()))
    }

    fn array(&mut self, depth: usize) -> Option<Value<'a>> {
        self.pos += 1;
        if self.eat(b']') {
            return Some(Value::Array(Vec::new()));
        }
        let start = self.items.len();
        loop {
            let item = self.value(depth + 1)?;
            self.items.push(item);
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                break;
            }
            return None;
        }
        Some(Value::Array(self.items.drain(start..).collect()))
    }

    /// A string at `"`: borrowed from the text unless it holds an escape.
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        self.pos += 1;
        let start = self.pos;
        loop {
            self.skip_to_escape();
            match self.peek()? {
                b'"' => {
                    let s = self.text.get(start..self.pos)?;
                    self.pos += 1;
                    return Some(Cow::Borrowed(s));
                }
                b'\\' => return self.escaped(start).map(Cow::Owned),
                0..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
    }

    /// The rest of a string that holds an escape, from its first character at `start`.
    fn escaped(&mut self, start: usize) -> Option<String> {
        let mut out = String::from(self.text.get(start..self.pos)?);
        loop {
            let run = self.pos;
            self.skip_to_escape();
            out.push_str(self.text.get(run..self.pos)?);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    let code = *self.bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    let c = match code {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    out.push(c);
                }
                _ => return None,
            }
        }
    }

    /// The character of a `\u` escape (a surrogate pair is two); `None` for a lone surrogate.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
                    return None;
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(first),
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// A number, as `serde_json` with `arbitrary_precision` reads it: a whole number that fits
    /// 64 bits as an integer, anything else as its exact text.
    fn number(&mut self) -> Option<Number<'a>> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut whole = true;
        let mut exponent_at = None;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
            whole = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            exponent_at = Some(self.pos);
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
            whole = false;
        }
        let text = self.text.get(start..self.pos)?;
        if whole {
            if !negative && let Ok(n) = text.parse::<u64>() {
                return Some(Number::Unsigned(n));
            }
            if negative
                && text != "-0"
                && let Ok(n) = text.parse::<i64>()
            {
                return Some(Number::Signed(n));
            }
        }
        Some(Number::Text(match exponent_at {
            // `serde_json` writes the exponent as `e` with its sign: `1E2` is `1e+2`.
            Some(at) => {
                let (mantissa, exponent) = text.split_at_checked(at - start)?;
                let exponent = exponent.get(1..)?;
                let sign = if exponent.starts_with(['+', '-']) { "" } else { "+" };
                Cow::Owned(format!("{mantissa}e{sign}{exponent}"))
            }
            None => Cow::Borrowed(text),
        }))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_stay_within_one_per_64_bytes_however_deep_the_nesting() {
        let block = format!("{}\"{}\"{}", "[".repeat(120), "a".repeat(64), "]".repeat(120));
        let text = format!("[{}]", vec![block; 50].join(","));
        let spans = validate(&text).unwrap();
        assert!(!spans.is_empty());
        assert!(spans.len() <= text.len() / SPAN_MIN, "{} spans for {} bytes", spans.len(), text.len());
        assert!(spans.windows(2).all(|w| w[0].0 < w[1].0), "sorted by start");
        assert_eq!(spans.first(), Some(&(0, text.len())));
    }
}
