//! Writing a results document as `serde_json` pretty-prints it, byte for byte, with the unit
//! rows serialized on every core.
//!
//! A national round's results are over 100 MB of JSON, almost all of it unit rows. The
//! document's structs are declared with [`results_shape!`], which takes each field once (its
//! Rust name and type, its JSON name, and how its value is written) and generates both the
//! struct, with the serde attributes that give serde the same names and order, and its
//! [`WritePretty`] impl, which writes the members field by field. A block's rows are written
//! a batch at a time on every core, each at the depth where it sits in the document, then in
//! order between the document's other members. Nested values that are rare or small go
//! through [`Pretty`] (the same format as `serde_json::ser::PrettyFormatter`, but able to
//! start at any depth). Tests and a proptest compare the text with
//! `serde_json::to_string_pretty`.

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::ser::Formatter;

use crate::folder::threads_for;

/// Rows serialized together before they are written: bounds the memory the text takes.
const BATCH: usize = 32;

/// Declares a struct of the results document, each field once:
///
/// ```text
/// /// Its doc comment, and other attributes.
/// field: Type => "json name" as how,             // always written
/// field: Type => "json name" as how if present,  // left out when `Absent::absent`
/// ```
///
/// `how` names one of this module's writers (`text`, `figure`, `nested`, `rows`,
/// `unit_rows`). The struct gets `#[serde(rename = "json name")]` on every field (and
/// `default, skip_serializing_if = "Absent::absent"` on the optional ones), and a
/// [`WritePretty`] impl that writes the same members, in the same order, field by field:
/// serde's names and order and the fast writer's are one list.
macro_rules! results_shape {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        $crate::pretty::results_shape!(@fields [$(#[$meta])*] $name [] [] $($body)*);
    };
    // A field that is always written.
    (@fields $meta:tt $name:ident [$($fields:tt)*] [$($members:tt)*]
        $(#[$fmeta:meta])* $field:ident : $ty:ty => $key:literal as $how:ident, $($rest:tt)*
    ) => {
        $crate::pretty::results_shape!(@fields $meta $name
            [$($fields)* $(#[$fmeta])* #[serde(rename = $key)] pub $field: $ty,]
            [$($members)* ($field $key $how always)]
            $($rest)*);
    };
    // A field left out when absent (`None`, `false`, empty).
    (@fields $meta:tt $name:ident [$($fields:tt)*] [$($members:tt)*]
        $(#[$fmeta:meta])* $field:ident : $ty:ty => $key:literal as $how:ident if present, $($rest:tt)*
    ) => {
        $crate::pretty::results_shape!(@fields $meta $name
            [$($fields)* $(#[$fmeta])*
                #[serde(rename = $key, default, skip_serializing_if = "crate::pretty::Absent::absent")]
                pub $field: $ty,]
            [$($members)* ($field $key $how present)]
            $($rest)*);
    };
    // Every field read: the struct and its writer.
    (@fields [$($meta:tt)*] $name:ident [$($fields:tt)*] [$(($field:ident $key:literal $how:ident $when:ident))*]) => {
        $($meta)*
        pub struct $name { $($fields)* }

        impl $crate::pretty::WritePretty for $name {
            fn write_pretty<W: std::io::Write + ?Sized>(&self, out: &mut W, depth: usize) -> std::io::Result<()> {
                out.write_all(b"{")?;
                let mut first = true;
                $($crate::pretty::results_shape!(@member self out first depth $field $key $how $when);)*
                $crate::pretty::close(out, first, depth, b"}")
            }
        }
    };
    (@member $s:ident $out:ident $first:ident $depth:ident $field:ident $key:literal $how:ident always) => {
        $crate::pretty::key($out, $first, $depth + 1, $key)?;
        $first = false;
        $crate::pretty::$how($out, &$s.$field, $depth + 1)?;
    };
    (@member $s:ident $out:ident $first:ident $depth:ident $field:ident $key:literal $how:ident present) => {
        if !$crate::pretty::Absent::absent(&$s.$field) {
            $crate::pretty::key($out, $first, $depth + 1, $key)?;
            $first = false;
            $crate::pretty::$how($out, &$s.$field, $depth + 1)?;
        }
    };
}
pub(crate) use results_shape;

/// Two-space indentation from a given depth: `serde_json`'s pretty format.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// A formatter for a value that sits `depth` levels deep in its document.
    pub(crate) fn at(depth: usize) -> Pretty {
        Pretty { depth, has_value: false }
    }
}

const SPACES: &[u8; 64] = b"                                                                ";

/// A newline (after a comma when not `first`) and the indentation of `depth`.
fn new_line<W: ?Sized + Write>(writer: &mut W, first: bool, depth: usize) -> io::Result<()> {
    writer.write_all(if first { b"\n" } else { b",\n" })?;
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        writer.write_all(SPACES.get(..k).unwrap_or_default())?;
        n -= k;
    }
    Ok(())
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            new_line(writer, true, self.depth)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        new_line(writer, first, self.depth)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            new_line(writer, true, self.depth)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        new_line(writer, first, self.depth)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A value of the results document that writes itself as `serde_json` pretty-prints it
/// `depth` levels deep (generated by [`results_shape!`]).
pub(crate) trait WritePretty {
    /// Writes the value, which sits `depth` levels deep, from its `{` to its `}`.
    fn write_pretty<W: Write + ?Sized>(&self, out: &mut W, depth: usize) -> io::Result<()>;
}

/// Whether a field that serde leaves out when absent is absent (`skip_serializing_if`).
pub(crate) trait Absent {
    /// True when the field is left out.
    fn absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl Absent for bool {
    fn absent(&self) -> bool {
        !*self
    }
}

impl Absent for crate::results::Inputs {
    fn absent(&self) -> bool {
        self.is_empty()
    }
}

/// A key of an object whose members sit `depth` levels deep (a fixed ASCII name).
pub(crate) fn key<W: Write + ?Sized>(out: &mut W, first: bool, depth: usize, name: &str) -> io::Result<()> {
    new_line(out, first, depth)?;
    out.write_all(b"\"")?;
    out.write_all(name.as_bytes())?;
    out.write_all(b"\": ")
}

/// The end of an object or array whose members sit `depth + 1` levels deep.
pub(crate) fn close<W: Write + ?Sized>(out: &mut W, empty: bool, depth: usize, bracket: &[u8]) -> io::Result<()> {
    if !empty {
        new_line(out, true, depth)?;
    }
    out.write_all(bracket)
}

/// A member written as `serde_json` writes it without indentation: a string, a number, a
/// bool, or `null` (the same at any depth).
pub(crate) fn text<W: Write + ?Sized, T: Serialize + ?Sized>(out: &mut W, value: &T, _depth: usize) -> io::Result<()> {
    serde_json::to_writer(out, value).map_err(io::Error::other)
}

/// A member that may span lines, serialized by `serde_json` at its depth.
pub(crate) fn nested<W: Write + ?Sized, T: Serialize + ?Sized>(out: &mut W, value: &T, depth: usize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Pretty::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// A figure member (a `Decimal`, or one that is present).
pub(crate) trait Figure {
    /// The figure, if there is one.
    fn figure(&self) -> Option<&Decimal>;
}

impl Figure for Decimal {
    fn figure(&self) -> Option<&Decimal> {
        Some(self)
    }
}

impl Figure for Option<Decimal> {
    fn figure(&self) -> Option<&Decimal> {
        self.as_ref()
    }
}

/// A figure member: a decimal as `rust_decimal` serializes it (a string of its digits,
/// e.g. `"91.00"`), or `null`.
pub(crate) fn figure<W: Write + ?Sized, F: Figure + ?Sized>(out: &mut W, value: &F, _depth: usize) -> io::Result<()> {
    match value.figure() {
        Some(d) => decimal(out, d),
        None => out.write_all(b"null"),
    }
}

/// A list member whose items write themselves, one after the other.
pub(crate) fn rows<W: Write + ?Sized, R: WritePretty>(out: &mut W, items: &[R], depth: usize) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, item) in items.iter().enumerate() {
        new_line(out, i == 0, depth + 1)?;
        item.write_pretty(out, depth + 1)?;
    }
    close(out, items.is_empty(), depth, b"]")
}

/// A block's `units`: its rows written a batch at a time on every core, in order. Each
/// thread keeps its buffer from batch to batch, so the text costs a few megabytes of memory,
/// allocated once.
pub(crate) fn unit_rows<W: Write + ?Sized, R: WritePretty + Sync>(
    out: &mut W,
    items: &[R],
    depth: usize,
) -> io::Result<()> {
    out.write_all(b"[")?;
    let threads = threads_for(items.len()).max(1);
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); threads];
    for (b, batch) in items.chunks(BATCH).enumerate() {
        let per_thread = batch.len().div_ceil(threads).max(1);
        let done: Vec<io::Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(per_thread)
                .zip(buffers.iter_mut())
                .enumerate()
                .map(|(c, (chunk, text))| {
                    scope.spawn(move || -> io::Result<()> {
                        text.clear();
                        for (i, row) in chunk.iter().enumerate() {
                            new_line(text, b == 0 && c == 0 && i == 0, depth + 1)?;
                            row.write_pretty(text, depth + 1)?;
                        }
                        Ok(())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("a thread writing rows failed"))))
                .collect()
        });
        for (result, text) in done.into_iter().zip(&buffers) {
            result?;
            out.write_all(text)?;
        }
    }
    close(out, items.is_empty(), depth, b"]")
}

/// A decimal as `rust_decimal` serializes it (a string of its digits, e.g. `"91.00"`):
/// published figures are non-negative with a small mantissa, written here without the
/// formatting machinery; anything else goes through `serde_json`.
fn decimal<W: Write + ?Sized>(out: &mut W, value: &Decimal) -> io::Result<()> {
    let Some(mantissa) = u64::try_from(value.mantissa()).ok().filter(|_| value.is_sign_positive()) else {
        return text(out, value, 0);
    };
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = mantissa;
    loop {
        start -= 1;
        if let Some(slot) = digits.get_mut(start) {
            // `rest % 10` is below 10.
            *slot = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        }
        rest /= 10;
        if rest == 0 || start == 0 {
            break;
        }
    }
    let digits = digits.get(start..).unwrap_or_default();
    let scale = usize::try_from(value.scale()).unwrap_or(0);
    out.write_all(b"\"")?;
    if scale == 0 {
        out.write_all(digits)?;
    } else if digits.len() <= scale {
        out.write_all(b"0.")?;
        for _ in digits.len()..scale {
            out.write_all(b"0")?;
        }
        out.write_all(digits)?;
    } else {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        out.write_all(whole)?;
        out.write_all(b".")?;
        out.write_all(fraction)?;
    }
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both(d: Decimal) -> (String, String) {
        let mut ours = Vec::new();
        decimal(&mut ours, &d).unwrap_or_default();
        (String::from_utf8(ours).unwrap_or_default(), serde_json::to_string(&d).unwrap_or_default())
    }

    #[test]
    fn figures_are_written_as_rust_decimal_serializes_them() {
        for text in ["0", "0.00", "0.5", "91.00", "100.00", "0.0001", "12345678901234567890", "-1.25", "-0.00"] {
            let d: Decimal = text.parse().unwrap_or_default();
            let (ours, theirs) = both(d);
            assert_eq!(ours, theirs, "{text}");
        }
        let (ours, theirs) = both(Decimal::MAX);
        assert_eq!(ours, theirs);
    }

    proptest! {
        #[test]
        fn any_decimal_is_written_as_rust_decimal_serializes_it(m in any::<i64>(), scale in 0u32..=28, wide in any::<u32>()) {
            let d = Decimal::new(m, scale);
            let (ours, theirs) = both(d);
            prop_assert_eq!(ours, theirs);
            let d = Decimal::from_i128_with_scale(i128::from(m) * i128::from(wide), scale.min(20));
            let (ours, theirs) = both(d);
            prop_assert_eq!(ours, theirs);
        }
    }
}
