//! Writing a results document as `serde_json` pretty-prints it, byte for byte, with the unit
//! rows serialized on every core.
//!
//! A national round's results are over 100 MB of JSON, almost all of it unit rows. Each row
//! is serialized on its own, at the depth where it sits in the document, by [`Pretty`] (the
//! same format as `serde_json::ser::PrettyFormatter`, but able to start at any depth), a
//! batch of rows at a time on every core; the rows are then written in order between the
//! document's other fields. A test compares the text with `serde_json::to_string_pretty`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::folder::threads_for;
use crate::results::{ResultsDocument, UnitRow};

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
    key: &str,
    value: &T,
) -> io::Result<()> {
    new_line(out, *first, depth + 1)?;
    *first = false;
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": ");
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
                            value_at(text, row, 4)?;
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
