//! JSON documents read into a tree borrowed from their text.
//!
//! The loaders of parindex walk a document [`Value`] — strings and keys borrowed from the
//! text, numbers kept as their exact text (SPEC §2 reads decimals from it, never through a
//! binary float), objects as their members in document order, a key given twice kept twice —
//! instead of `serde_json::Value`. [`Value::parse`] reads well-formed text directly (one
//! pass, strings found eight bytes at a time) and hands anything else to `serde_json`, which
//! either reads it or gives the error with its line and column.
//!
//! For documents that may be huge, [`valid_text`] checks the text without building anything
//! and [`Lazy`] reads one value where it lies in the text, building only what is asked for.
//!
//! [`Pointer`] is a JSON Pointer (RFC 6901) that is written out only when a problem needs it.
//!
//! This crate knows nothing of criteria or scores: it sits below `parindex-core`.

mod lazy;
mod scan;
mod tree;

pub use lazy::{Checked, Fields, Items, Lazy, Members, valid_text};
pub use tree::{Number, Object, Value};

/// Appends one reference token to a JSON Pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_child(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    push_token(&mut out, token);
    out
}

/// Appends an array index to a JSON Pointer.
pub fn pointer_index(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

fn push_token(out: &mut String, token: &str) {
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A JSON Pointer (RFC 6901) that may not be written out yet: loaders read millions of
/// values and need a value's pointer only when it has a problem.
pub trait Pointer {
    /// Appends the pointer's text to `out`.
    fn write_to(&self, out: &mut String);

    /// The pointer's text.
    fn render(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }
}

impl Pointer for str {
    fn write_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Pointer for String {
    fn write_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// `base` followed by one more reference token, written out only when [`Pointer::render`]
/// asks for it.
#[derive(Debug, Clone, Copy)]
pub struct Child<'p, P: ?Sized> {
    base: &'p P,
    token: Token<'p>,
}

#[derive(Debug, Clone, Copy)]
enum Token<'p> {
    Key(&'p str),
    Index(usize),
}

impl<'p, P: Pointer + ?Sized> Child<'p, P> {
    /// `base` followed by the member name `key`.
    pub fn key(base: &'p P, key: &'p str) -> Self {
        Child { base, token: Token::Key(key) }
    }

    /// `base` followed by the list index `index`.
    pub fn index(base: &'p P, index: usize) -> Self {
        Child { base, token: Token::Index(index) }
    }
}

impl<P: Pointer + ?Sized> Pointer for Child<'_, P> {
    fn write_to(&self, out: &mut String) {
        self.base.write_to(out);
        match self.token {
            Token::Key(key) => push_token(out, key),
            Token::Index(index) => {
                out.push('/');
                out.push_str(&index.to_string());
            }
        }
    }
}
