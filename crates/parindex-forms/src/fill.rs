//! Writing a stage's entries into a form's cells as an officer would type them: numbers as
//! numbers, dates as date cells, yes/no as "Có"/"Không", options by their labels, ratios and
//! formula variables in their detail rows, evidence one document per line.
//!
//! The round-trip tests and `scripts/check-form-libreoffice.sh` (through the `fill_form`
//! example) use it to make filled workbooks; it could also pre-fill a form for correction.

use parindex_core::rule::Rule;
use parindex_core::{CriteriaSet, Date};
use rust_xlsxwriter::{ExcelDateTime, Worksheet, XlsxError};
use serde_json::{Map, Value};

use crate::cell::double_from_decimal;
use crate::layout::{Layout, MARK, NO, NOT_DONE, RowKind, YES};
use crate::write::{input_date_format, input_format, leaf_row_height, option_items};

/// Writes a decimal (a JSON number or decimal string) as a number cell, or as text when it is
/// not a decimal or a double cannot hold it exactly.
fn put_decimal(ws: &mut Worksheet, row: u32, col: u16, v: &Value) -> Result<(), XlsxError> {
    match parindex_core::decimal::decimal_from_json(v).ok().and_then(double_from_decimal) {
        Some(x) => ws.write_number_with_format(row, col, x, &input_format())?,
        None => ws.write_string_with_format(
            row,
            col,
            v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            &input_format(),
        )?,
    };
    Ok(())
}

fn put_text(ws: &mut Worksheet, row: u32, col: u16, text: impl Into<String>) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, text.into(), &input_format())?;
    Ok(())
}

fn put_date(ws: &mut Worksheet, row: u32, col: u16, date: Date) -> Result<(), XlsxError> {
    let dt = ExcelDateTime::from_ymd(u16::try_from(date.year()).unwrap_or(1900), date.month(), date.day())?;
    ws.write_datetime_with_format(row, col, &dt, &input_date_format())?;
    Ok(())
}

/// Writes `entries` (a stage's `entries` object, SPEC §6) into the form laid out by `layout`.
/// Entries for leaves not on the form, and values of the wrong shape, are skipped.
pub fn fill_entries(
    ws: &mut Worksheet,
    layout: &Layout,
    set: &CriteriaSet,
    entries: &Map<String, Value>,
) -> Result<(), XlsxError> {
    let c = &layout.columns;
    for (code, entry) in entries {
        let Some(id) = set.find(code) else { continue };
        let (Some(row), Some(leaf)) = (layout.leaf_row(id), set.node(id).and_then(|n| n.leaf())) else { continue };
        let r = row.row;
        let detail = |kind: RowKind| layout.detail_row(id, kind).map(|d| d.row);
        if let Some(input) = entry.get("input") {
            match (&leaf.rule, input) {
                (Rule::YesNo, Value::Bool(b)) => {
                    put_text(ws, r, c.input, if *b { YES } else { NO })?;
                }
                (Rule::Options { options }, Value::String(key)) => {
                    let items = option_items(options);
                    if let Some(item) = options.iter().zip(&items).find(|(o, _)| &o.key == key).map(|(_, i)| i) {
                        put_text(ws, r, c.input, item)?;
                    }
                }
                (Rule::Deadline { .. }, Value::Null) => {
                    put_text(ws, r, c.input, NOT_DONE)?;
                }
                (Rule::Deadline { .. }, Value::String(day)) => match Date::parse(day) {
                    Some(d) => put_date(ws, r, c.input, d)?,
                    None => {
                        put_text(ws, r, c.input, day)?;
                    }
                },
                (Rule::Formula(f), Value::Object(vars)) => {
                    for (name, v) in vars {
                        let slot = f.variables.iter().position(|(n, _)| n == name);
                        if let Some(vr) = slot.and_then(|s| detail(RowKind::Variable(s))) {
                            put_decimal(ws, vr, c.input, v)?;
                        }
                    }
                }
                (_, Value::Object(ratio)) => {
                    for (key, kind) in [("numerator", RowKind::Numerator), ("denominator", RowKind::Denominator)] {
                        if let (Some(v), Some(dr)) = (ratio.get(key), detail(kind)) {
                            put_decimal(ws, dr, c.input, v)?;
                        }
                    }
                }
                (Rule::Manual { .. }, _) => {}
                (_, v) => put_decimal(ws, r, c.input, v)?,
            }
        }
        if let (Some(Value::String(choice)), Some(cr)) = (entry.get("choice"), detail(RowKind::Choice)) {
            put_text(ws, cr, c.input, choice)?;
        }
        if let Some(points) = entry.get("points") {
            put_decimal(ws, r, c.points, points)?;
        }
        if entry.get("not_arising") == Some(&Value::Bool(true)) {
            put_text(ws, r, c.not_arising, MARK)?;
        }
        let mut texts: Vec<(String, u16)> = Vec::new();
        if let (Some(Value::Array(items)), Some(col)) = (entry.get("evidence"), c.evidence) {
            let lines: Vec<String> = items
                .iter()
                .filter_map(|e| {
                    let title = e.get("title")?.as_str()?;
                    Some(match e.get("ref").and_then(Value::as_str) {
                        Some(r) => format!("{title} | {r}"),
                        None => title.to_owned(),
                    })
                })
                .collect();
            put_text(ws, r, col, lines.join("\n"))?;
            texts.push((lines.join("\n"), col));
        }
        if let Some(Value::String(note)) = entry.get("note") {
            put_text(ws, r, c.note, note)?;
            texts.push((note.clone(), c.note));
        }
        let extra: Vec<(&str, u16)> = texts.iter().map(|(t, col)| (t.as_str(), *col)).collect();
        ws.set_row_height(r, leaf_row_height(set, layout, id, &extra))?;
        if let (Some(Value::String(reason)), Some(col)) = (entry.get("reason"), c.reason) {
            put_text(ws, r, col, reason)?;
        }
        if let (Some(Value::Bool(true)), Some(col)) = (entry.get("explain"), c.explain) {
            put_text(ws, r, col, MARK)?;
        }
    }
    Ok(())
}
