//! Writing a results document as `serde_json` pretty-prints it, byte for byte, with the unit
//! rows serialized on every core.
//!
//! A national round's results are over 100 MB of JSON, almost all of it unit rows. Each row
//! is serialized on its own, at the depth where it sits in the document, by [`Pretty`] (the
//! same format as `serde_json::ser::PrettyFormatter`, but able to start at any depth), a
//! batch of rows at a time on every core; the rows are then written in order between the
//! document's other fields. A test compares the text with `serde_json::to_string_pretty`.

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::ser::Formatter;

use crate::folder::threads_for;
use crate::results::{NodeRow, ResultsDocument, UnitRow};

/// Rows serialized together before they are written: bounds the memory the text takes.
const BATCH: usize = 128;

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

/// Serializes `value` as it appears `depth` levels deep in a pretty-printed document.
fn value_at<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T, depth: usize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Pretty::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// One member of an object `depth` levels deep (its key a fixed ASCII name).
fn member<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    first: &mut bool,
    depth: usize,
    name: &str,
    value: &T,
) -> io::Result<()> {
    key(out, *first, depth + 1, name)?;
    *first = false;
    value_at(out, value, depth + 1)
}

/// Writes `doc` exactly as `serde_json::to_writer_pretty` would (without a final newline).
pub(crate) fn write_document(doc: &ResultsDocument, out: &mut impl Write) -> io::Result<()> {
    let mut head = Vec::new();
    head.push(b'{');
    let mut first = true;
    member(&mut head, &mut first, 0, "format", &doc.format)?;
    member(&mut head, &mut first, 0, "round", &doc.round)?;
    if let Some(engine) = &doc.engine {
        member(&mut head, &mut first, 0, "engine", engine)?;
    }
    if !doc.inputs.is_empty() {
        member(&mut head, &mut first, 0, "inputs", &doc.inputs)?;
    }
    if let Some(previous) = &doc.previous_round {
        member(&mut head, &mut first, 0, "previous_round", previous)?;
    }
    if let Some(format) = &doc.explain_format {
        member(&mut head, &mut first, 0, "explain_format", format)?;
    }
    new_line(&mut head, first, 1)?;
    head.extend_from_slice(b"\"blocks\": ");
    if doc.blocks.is_empty() {
        head.extend_from_slice(b"[]\n}");
        return out.write_all(&head);
    }
    head.push(b'[');
    out.write_all(&head)?;
    for (b, block) in doc.blocks.iter().enumerate() {
        let mut text = Vec::new();
        new_line(&mut text, b == 0, 2)?;
        text.push(b'{');
        let mut first = true;
        member(&mut text, &mut first, 2, "id", &block.id)?;
        new_line(&mut text, first, 3)?;
        text.extend_from_slice(b"\"units\": ");
        if block.units.is_empty() {
            text.extend_from_slice(b"[]");
            out.write_all(&text)?;
        } else {
            text.push(b'[');
            out.write_all(&text)?;
            write_rows(&block.units, out)?;
            new_line(out, true, 3)?;
            out.write_all(b"]")?;
        }
        new_line(out, true, 2)?;
        out.write_all(b"}")?;
    }
    new_line(out, true, 1)?;
    out.write_all(b"]\n}")
}

/// Writes a block's rows (the items of its `units` list, four levels deep), serialized a
/// batch at a time on every core and written in order. Each thread keeps its buffer from
/// batch to batch, so the text costs a few megabytes of memory, allocated once.
fn write_rows(rows: &[UnitRow], out: &mut impl Write) -> io::Result<()> {
    let threads = threads_for(rows.len()).max(1);
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); threads];
    for (b, batch) in rows.chunks(BATCH).enumerate() {
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
                            new_line(text, b == 0 && c == 0 && i == 0, 4)?;
                            write_row(text, row, 4)?;
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
    Ok(())
}

/// A key of an object whose members sit `depth` levels deep (a fixed ASCII name).
fn key(out: &mut Vec<u8>, first: bool, depth: usize, name: &str) -> io::Result<()> {
    new_line(out, first, depth)?;
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\": ");
    Ok(())
}

/// A scalar (string, decimal, number): written the same at any depth.
fn scalar<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> io::Result<()> {
    serde_json::to_writer(out, value).map_err(io::Error::other)
}

/// A decimal as `rust_decimal` serializes it (a string of its digits, e.g. `"91.00"`):
/// published figures are non-negative with a small mantissa, written here without the
/// formatting machinery; anything else goes through `serde_json`.
fn decimal(out: &mut Vec<u8>, value: &Decimal) -> io::Result<()> {
    let Some(mantissa) = u64::try_from(value.mantissa()).ok().filter(|_| value.is_sign_positive()) else {
        return scalar(out, value);
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
    out.push(b'"');
    if scale == 0 {
        out.extend_from_slice(digits);
    } else if digits.len() <= scale {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits);
    } else {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(whole);
        out.push(b'.');
        out.extend_from_slice(fraction);
    }
    out.push(b'"');
    Ok(())
}

/// A unit row as `serde_json` pretty-prints it `depth` levels deep: written field by field,
/// the nested values that are rare or small (status, previous, change, findings, explain)
/// through [`value_at`]. `UnitRow`'s `Serialize` stays the reference: a test compares.
fn write_row(out: &mut Vec<u8>, row: &UnitRow, depth: usize) -> io::Result<()> {
    let d = depth + 1;
    out.push(b'{');
    key(out, true, d, "unit")?;
    scalar(out, &row.unit)?;
    key(out, false, d, "name")?;
    scalar(out, &row.name)?;
    key(out, false, d, "status")?;
    value_at(out, &row.status, d)?;
    key(out, false, d, "rank")?;
    scalar(out, &row.rank)?;
    key(out, false, d, "class")?;
    scalar(out, &row.class)?;
    for (name, figure) in [
        ("index", &row.index),
        ("total", &row.total),
        ("max", &row.max),
        ("self_total", &row.self_total),
        ("appraised_total", &row.appraised_total),
        ("survey_total", &row.survey_total),
        ("bonus", &row.bonus),
        ("penalty", &row.penalty),
    ] {
        key(out, false, d, name)?;
        decimal(out, figure)?;
    }
    if let Some(previous) = &row.previous {
        key(out, false, d, "previous")?;
        value_at(out, previous, d)?;
    }
    if let Some(change) = &row.change {
        key(out, false, d, "change")?;
        value_at(out, change, d)?;
    }
    key(out, false, d, "nodes")?;
    if row.nodes.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.push(b'[');
        for (i, node) in row.nodes.iter().enumerate() {
            new_line(out, i == 0, d + 1)?;
            write_node(out, node, d + 1)?;
        }
        new_line(out, true, d)?;
        out.push(b']');
    }
    key(out, false, d, "findings")?;
    value_at(out, &row.findings, d)?;
    if let Some(explain) = &row.explain {
        key(out, false, d, "explain")?;
        value_at(out, explain, d)?;
    }
    new_line(out, true, depth)?;
    out.push(b'}');
    Ok(())
}

/// A node row as `serde_json` pretty-prints it `depth` levels deep.
fn write_node(out: &mut Vec<u8>, node: &NodeRow, depth: usize) -> io::Result<()> {
    let d = depth + 1;
    out.push(b'{');
    key(out, true, d, "code")?;
    scalar(out, &node.code)?;
    if node.excluded {
        key(out, false, d, "excluded")?;
        out.extend_from_slice(b"true");
    }
    for (name, figure) in
        [("points", &node.points), ("max", &node.max), ("index", &node.index), ("self", &node.self_points)]
    {
        if let Some(figure) = figure {
            key(out, false, d, name)?;
            decimal(out, figure)?;
        }
    }
    if let Some(explain) = &node.explain {
        key(out, false, d, "explain")?;
        value_at(out, explain, d)?;
    }
    new_line(out, true, depth)?;
    out.push(b'}');
    Ok(())
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
