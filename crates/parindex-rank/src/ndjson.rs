//! The results as newline-delimited JSON (`parindex score --format ndjson`), for integrators
//! who stream: one line per unit — the unit's row object exactly as in the results document
//! (SPEC §9), written compact — block after block in the document's order, then one line per
//! block with its ranking: `{"block":"so","ranking":[{"unit":"so-a","rank":1},…]}`, the
//! units in the order of the document's `units` list. docs/results-ndjson.md describes it.

use std::io::{self, Write};

use serde::Serialize;

use crate::folder::threads_for;
use crate::packed::PackedRow;
use crate::results::{ResultsDocument, UnitRow};

/// Rows serialized together before they are written: bounds the memory the text takes.
const BATCH: usize = 32;

/// One block's ranking line.
#[derive(Serialize)]
struct Ranking<'a> {
    block: &'a str,
    ranking: Vec<Ranked<'a>>,
}

#[derive(Serialize)]
struct Ranked<'a> {
    unit: &'a str,
    rank: Option<u32>,
}

/// Writes `doc` as newline-delimited JSON: every unit row on its own line (compact, as
/// `serde_json::to_string` writes the row), block after block, then one ranking line per
/// block. Rows are serialized a batch at a time on every core (`PARINDEX_THREADS` as for
/// scoring) and written in order.
pub fn write_results_ndjson(doc: &ResultsDocument, out: &mut impl Write) -> io::Result<()> {
    let blocks: Vec<(&str, &[UnitRow])> = doc.blocks.iter().map(|b| (b.id.as_str(), b.units.as_slice())).collect();
    write_blocks(&blocks, out)
}

/// A row as the ndjson lines need it: serialized whole, and its unit and rank.
pub(crate) trait NdjsonRow: Serialize + Sync {
    /// The unit's id and rank.
    fn unit_rank(&self) -> (&str, Option<u32>);
}

impl NdjsonRow for UnitRow {
    fn unit_rank(&self) -> (&str, Option<u32>) {
        (&self.unit, self.rank)
    }
}

impl NdjsonRow for PackedRow {
    fn unit_rank(&self) -> (&str, Option<u32>) {
        (&self.head().unit, self.head().rank)
    }
}

/// [`write_results_ndjson`] for each block's id and rows.
pub(crate) fn write_blocks<R: NdjsonRow>(blocks: &[(&str, &[R])], out: &mut impl Write) -> io::Result<()> {
    for (_, units) in blocks {
        write_rows(units, out)?;
    }
    for (id, units) in blocks {
        let ranking = Ranking {
            block: id,
            ranking: units
                .iter()
                .map(|u| {
                    let (unit, rank) = u.unit_rank();
                    Ranked { unit, rank }
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &ranking).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_rows<R: NdjsonRow>(rows: &[R], out: &mut impl Write) -> io::Result<()> {
    let threads = threads_for(rows.len()).max(1);
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); threads];
    for batch in rows.chunks(BATCH) {
        let per_thread = batch.len().div_ceil(threads).max(1);
        let done: Vec<io::Result<()>> = if threads == 1 {
            buffers.iter_mut().take(1).map(|text| rows_into(batch, text)).collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = batch
                    .chunks(per_thread)
                    .zip(buffers.iter_mut())
                    .map(|(chunk, text)| scope.spawn(move || rows_into(chunk, text)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("a thread writing rows failed"))))
                    .collect()
            })
        };
        for (result, text) in done.into_iter().zip(&buffers) {
            result?;
            out.write_all(text)?;
        }
    }
    Ok(())
}

/// `rows`, one compact line each, into `text` (cleared first).
fn rows_into<R: Serialize>(rows: &[R], text: &mut Vec<u8>) -> io::Result<()> {
    text.clear();
    for row in rows {
        serde_json::to_writer(&mut *text, row).map_err(io::Error::other)?;
        text.push(b'\n');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{BlockResults, NodeRow};
    use parindex_assess::Status;
    use rust_decimal::Decimal;

    fn row(unit: &str, rank: Option<u32>) -> UnitRow {
        UnitRow {
            unit: unit.to_owned(),
            name: format!("Đơn vị \"{unit}\""),
            status: Status::Final,
            rank,
            class: Some("Tốt".to_owned()),
            class_cap: None,
            index: Decimal::new(9125, 2),
            total: Decimal::new(9125, 2),
            max: Decimal::new(10000, 2),
            self_total: Decimal::ZERO,
            appraised_total: Decimal::ZERO,
            survey_total: Decimal::ZERO,
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            previous: None,
            change: None,
            nodes: vec![NodeRow {
                code: "1".to_owned(),
                excluded: false,
                points: Some(Decimal::ONE),
                max: Some(Decimal::TWO),
                index: None,
                self_points: None,
                explain: None,
            }],
            findings: Vec::new(),
            explain: None,
        }
    }

    #[test]
    fn one_line_per_unit_then_one_per_block() {
        let doc = ResultsDocument {
            format: crate::RESULTS_FORMAT.to_owned(),
            round: "r".to_owned(),
            engine: None,
            inputs: crate::Inputs::default(),
            previous_round: None,
            explain_format: None,
            blocks: vec![
                BlockResults { id: "a".to_owned(), units: vec![row("a-1", Some(1)), row("a-2", None)] },
                BlockResults { id: "b".to_owned(), units: Vec::new() },
            ],
        };
        let mut out = Vec::new();
        write_results_ndjson(&doc, &mut out).unwrap_or_default();
        let text = String::from_utf8(out).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        for (line, row) in lines.iter().zip(doc.blocks.iter().flat_map(|b| &b.units)) {
            assert_eq!(serde_json::from_str::<UnitRow>(line).ok().as_ref(), Some(row));
        }
        assert_eq!(
            lines.get(2),
            Some(&r#"{"block":"a","ranking":[{"unit":"a-1","rank":1},{"unit":"a-2","rank":null}]}"#)
        );
        assert_eq!(lines.get(3), Some(&r#"{"block":"b","ranking":[]}"#));
        assert!(text.ends_with('\n'));
    }
}
