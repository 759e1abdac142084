//! The [`Reader`] checks of `parindex_core::reader` for values read where they lie in the
//! text ([`Lazy`]): the same problems, codes, pointers and messages, without a document tree.

use std::borrow::Cow;

use parindex_core::Code;
use parindex_core::reader::Reader;
use parindex_json::{Child, Fields, Items, Lazy, Members, Pointer};

/// The value as an object with the members `names`, or a `code` problem; a key given twice
/// in it is reported at the key, as `Reader::object` does.
pub(crate) fn object<'a, const N: usize>(
    r: &mut Reader<'_>,
    value: Lazy<'a>,
    path: &(impl Pointer + ?Sized),
    code: Code,
    what: &str,
    names: &'static [&'static str; N],
) -> Option<Fields<'a, N>> {
    if !value.is_object() {
        r.error(code, path, format!("{what} must be an object, found {}", value.type_name()));
        return None;
    }
    let fields = value.fields(names);
    if fields.has_duplicate_keys() {
        for key in value.duplicate_keys() {
            r.error(
                Code::InputType,
                &Child::key(path, &key),
                format!("'{key}' is given more than once in this object: keep one"),
            );
        }
    }
    Some(fields)
}

/// The members of an object keyed by criterion codes, whose loader reports a code given
/// twice (`Reader::keyed_object`).
pub(crate) fn keyed_object<'a>(
    r: &mut Reader<'_>,
    value: Lazy<'a>,
    path: &(impl Pointer + ?Sized),
    code: Code,
    what: &str,
) -> Option<Members<'a>> {
    if !value.is_object() {
        r.error(code, path, format!("{what} must be an object, found {}", value.type_name()));
        return None;
    }
    Some(value.members())
}

/// The items of a list, or a `code` problem.
pub(crate) fn array<'a>(
    r: &mut Reader<'_>,
    value: Lazy<'a>,
    path: &(impl Pointer + ?Sized),
    code: Code,
    what: &str,
) -> Option<Items<'a>> {
    if !value.is_array() {
        r.error(code, path, format!("{what} must be a list, found {}", value.type_name()));
        return None;
    }
    Some(value.items())
}

/// The value as a string, or a `code` problem.
pub(crate) fn string<'a>(
    r: &mut Reader<'_>,
    value: Lazy<'a>,
    path: &(impl Pointer + ?Sized),
    code: Code,
    what: &str,
) -> Option<Cow<'a, str>> {
    let s = value.as_str();
    if s.is_none() {
        r.error(code, path, format!("{what} must be a string, found {}", value.type_name()));
    }
    s
}

/// A required member; a problem naming `what` when it is absent.
pub(crate) fn required<'a, const N: usize>(
    r: &mut Reader<'_>,
    fields: &Fields<'a, N>,
    key: &str,
    path: &(impl Pointer + ?Sized),
    code: Code,
    what: &str,
) -> Option<Lazy<'a>> {
    let value = fields.get(key);
    if value.is_none() {
        r.error(code, path, format!("{what} is missing its \"{key}\""));
    }
    value
}

/// An optional string member (absent or `null` is `None`).
pub(crate) fn opt_string_field<'a, const N: usize>(
    r: &mut Reader<'_>,
    fields: &Fields<'a, N>,
    key: &str,
    path: &(impl Pointer + ?Sized),
    code: Code,
) -> Option<Cow<'a, str>> {
    match fields.get(key) {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => string(r, v, &Child::key(path, key), code, &format!("\"{key}\"")),
    }
}

/// An optional boolean member (absent or `null` is `None`).
pub(crate) fn opt_bool_field<const N: usize>(
    r: &mut Reader<'_>,
    fields: &Fields<'_, N>,
    key: &str,
    path: &(impl Pointer + ?Sized),
    code: Code,
) -> Option<bool> {
    let v = fields.get(key).filter(|v| !v.is_null())?;
    let b = v.as_bool();
    if b.is_none() {
        r.error(code, &Child::key(path, key), format!("\"{key}\" must be true or false, found {}", v.type_name()));
    }
    b
}
