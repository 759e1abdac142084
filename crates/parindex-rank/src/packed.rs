//! Published rows held compactly between scoring and writing.
//!
//! Ranking needs every unit's index before any row is written, so a streamed round holds
//! every unit's row until the end. A [`UnitRow`] holds a [`NodeRow`] for each node of the
//! criteria set — a copied code and four `Option<Decimal>`s, about 150 bytes — and its
//! findings as separate allocations: 4,000 units of 152 nodes took over 100 MB, more than the
//! compact input itself. A [`PackedRow`] keeps the row's unit-level fields as they are and
//! its nodes and findings as bytes: a node is a flags byte and its figures (a scale-and-sign
//! byte and the mantissa's LEB128 digits), its code implied by its position in the set; a
//! finding is its code's position in [`Code::ALL`], its criterion's node position and its
//! message as a template kept once a row (the message with its numbers taken out) and the
//! numbers. Unpacking gives back the same row, field for field (tests check it on
//! every fixture), and the rows are unpacked one batch at a time while they are written.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use parindex_assess::Finding;
use parindex_core::{Code, CriteriaSet};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::pretty::WritePretty;
use crate::results::{BlockResults, Engine, Inputs, NodeRow, ResultsDocument, UnitRow};

/// The codes of one criteria set's nodes, in document order, and where each code is: what
/// packing and unpacking share for every row of a block.
#[derive(Debug)]
pub(crate) struct NodeCodes {
    codes: Vec<String>,
    positions: HashMap<String, u32>,
}

impl NodeCodes {
    /// The codes of `set`'s nodes.
    pub(crate) fn of(set: &CriteriaSet) -> Arc<NodeCodes> {
        let codes: Vec<String> = set.nodes().iter().map(|n| n.code.clone()).collect();
        let positions =
            codes.iter().enumerate().filter_map(|(i, c)| Some((c.clone(), u32::try_from(i).ok()?))).collect();
        Arc::new(NodeCodes { codes, positions })
    }
}

/// One unit's published row, its nodes and findings packed.
#[derive(Debug)]
pub struct PackedRow {
    /// The row without its nodes and findings (both empty here).
    head: UnitRow,
    /// The nodes and findings, or the whole row when it could not be packed (it carries an
    /// explanation).
    body: Body,
}

#[derive(Debug)]
enum Body {
    Packed { codes: Arc<NodeCodes>, nodes: Box<[u8]>, findings: Box<[u8]> },
    Plain,
}

const EXCLUDED: u8 = 1;
const POINTS: u8 = 1 << 1;
const MAX: u8 = 1 << 2;
const INDEX: u8 = 1 << 3;
const SELF: u8 = 1 << 4;
/// The node's code is not the set's code at its position: written out after the flags.
const OWN_CODE: u8 = 1 << 5;

impl PackedRow {
    /// Packs `row`, whose nodes follow the set whose codes are `codes`.
    pub(crate) fn pack(mut row: UnitRow, codes: &Arc<NodeCodes>) -> PackedRow {
        if row.explain.is_some() || row.nodes.iter().any(|n| n.explain.is_some()) {
            return PackedRow { head: row, body: Body::Plain };
        }
        let mut nodes = Vec::with_capacity(row.nodes.len() * 8);
        for (i, node) in row.nodes.iter().enumerate() {
            let own = codes.codes.get(i) != Some(&node.code);
            let mut flags = 0;
            for (bit, on) in [
                (EXCLUDED, node.excluded),
                (POINTS, node.points.is_some()),
                (MAX, node.max.is_some()),
                (INDEX, node.index.is_some()),
                (SELF, node.self_points.is_some()),
                (OWN_CODE, own),
            ] {
                if on {
                    flags |= bit;
                }
            }
            nodes.push(flags);
            if own {
                put_text(&mut nodes, &node.code);
            }
            for d in [node.points, node.max, node.index, node.self_points].into_iter().flatten() {
                put_decimal(&mut nodes, d);
            }
        }
        // A row with more nodes than its set, or fewer, keeps its count.
        let extra = row.nodes.len() != codes.codes.len();
        let mut findings = Vec::new();
        if extra {
            findings.push(1);
            put_varint(&mut findings, row.nodes.len() as u128);
        } else {
            findings.push(0);
        }
        let mut templates: Vec<String> = Vec::new();
        let mut shapes: Vec<(usize, Vec<&str>)> = Vec::with_capacity(row.findings.len());
        for f in &row.findings {
            shapes.push(match template_of(&f.message) {
                Some((template, numbers)) => {
                    let at = templates.iter().position(|t| *t == template).unwrap_or_else(|| {
                        templates.push(template);
                        templates.len() - 1
                    });
                    (at + 1, numbers)
                }
                None => (0, Vec::new()),
            });
        }
        put_varint(&mut findings, templates.len() as u128);
        for t in &templates {
            put_text(&mut findings, t);
        }
        for (f, (template, numbers)) in row.findings.iter().zip(&shapes) {
            let code =
                Code::ALL.iter().position(|c| *c == f.code).and_then(|i| u8::try_from(i).ok()).unwrap_or(u8::MAX);
            findings.push(code);
            match &f.criterion {
                None => findings.push(0),
                Some(c) => match codes.positions.get(c) {
                    Some(p) => put_varint(&mut findings, u128::from(*p) + 2),
                    None => {
                        findings.push(1);
                        put_text(&mut findings, c);
                    }
                },
            }
            put_varint(&mut findings, *template as u128);
            if *template == 0 {
                put_text(&mut findings, &f.message);
            }
            for n in numbers {
                put_text(&mut findings, n);
            }
        }
        row.nodes = Vec::new();
        row.findings = Vec::new();
        PackedRow {
            head: row,
            body: Body::Packed {
                codes: Arc::clone(codes),
                nodes: nodes.into_boxed_slice(),
                findings: findings.into_boxed_slice(),
            },
        }
    }

    /// The row's unit-level fields (its nodes and findings are not here).
    pub(crate) fn head(&self) -> &UnitRow {
        &self.head
    }

    /// The row's unit-level fields, to rank it.
    pub(crate) fn head_mut(&mut self) -> &mut UnitRow {
        &mut self.head
    }

    /// The whole row, as it was packed.
    pub fn unpack(&self) -> UnitRow {
        match &self.body {
            Body::Plain => self.head.clone(),
            Body::Packed { codes, nodes, findings } => {
                let mut row = self.head.clone();
                let mut f = Cursor(findings);
                let count = match f.byte() {
                    1 => usize::try_from(f.varint()).unwrap_or(0),
                    _ => codes.codes.len(),
                };
                let mut n = Cursor(nodes);
                row.nodes = (0..count)
                    .map(|i| {
                        let flags = n.byte();
                        let code = if flags & OWN_CODE != 0 {
                            n.text()
                        } else {
                            codes.codes.get(i).cloned().unwrap_or_default()
                        };
                        let mut figure = |bit: u8| (flags & bit != 0).then(|| n.decimal());
                        let points = figure(POINTS);
                        let max = figure(MAX);
                        let index = figure(INDEX);
                        let self_points = figure(SELF);
                        NodeRow {
                            code,
                            excluded: flags & EXCLUDED != 0,
                            points,
                            max,
                            index,
                            self_points,
                            explain: None,
                        }
                    })
                    .collect();
                let templates: Vec<String> = (0..f.varint()).map(|_| f.text()).collect();
                while !f.0.is_empty() {
                    let code = Code::ALL.get(usize::from(f.byte())).copied().unwrap_or(Code::InputType);
                    let criterion = match f.varint() {
                        0 => None,
                        1 => Some(f.text()),
                        p => {
                            let at = usize::try_from(p - 2).unwrap_or(usize::MAX);
                            Some(codes.codes.get(at).cloned().unwrap_or_default())
                        }
                    };
                    let message = match usize::try_from(f.varint()).unwrap_or(0) {
                        0 => f.text(),
                        t => fill_template(templates.get(t - 1).map_or("", String::as_str), &mut f),
                    };
                    row.findings.push(Finding { code, criterion, message });
                }
                row
            }
        }
    }

    /// Turns the row back into a [`UnitRow`].
    pub fn into_row(self) -> UnitRow {
        match self.body {
            Body::Plain => self.head,
            Body::Packed { .. } => self.unpack(),
        }
    }
}

impl Serialize for PackedRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.body {
            Body::Plain => self.head.serialize(s),
            Body::Packed { .. } => self.unpack().serialize(s),
        }
    }
}

impl WritePretty for PackedRow {
    fn write_pretty<W: Write + ?Sized>(&self, out: &mut W, depth: usize) -> io::Result<()> {
        match self.body {
            Body::Plain => self.head.write_pretty(out, depth),
            Body::Packed { .. } => self.unpack().write_pretty(out, depth),
        }
    }
}

crate::pretty::results_shape! {
    /// A round's results with their rows packed: written exactly as the
    /// [`ResultsDocument`] it stands for (the same fields, in the same order).
    #[derive(Debug, Serialize)]
    pub struct PackedResults {
        /// Always "parindex/results@1".
        format: String => "format" as text,
        /// The round's id.
        round: String => "round" as text,
        /// The engine that produced the results.
        engine: Option<Engine> => "engine" as nested if present,
        /// Every file the round was scored from, with its SHA-256.
        inputs: Inputs => "inputs" as nested if present,
        /// The round compared with (never, for a streamed round).
        previous_round: Option<String> => "previous_round" as text if present,
        /// The explanation format (never, for a streamed round).
        explain_format: Option<String> => "explain_format" as text if present,
        /// Each block's ranked table, in the round's order.
        blocks: Vec<PackedBlock> => "blocks" as rows,
    }
}

crate::pretty::results_shape! {
    /// One block's ranked table, its rows packed.
    #[derive(Debug, Serialize)]
    pub struct PackedBlock {
        /// The block's id.
        id: String => "id" as text,
        /// Units by rank, then id; unranked units last, by id.
        units: Vec<PackedRow> => "units" as unit_rows,
    }
}

impl PackedResults {
    /// The results document these results stand for, every row unpacked.
    pub(crate) fn into_document(self) -> ResultsDocument {
        ResultsDocument {
            format: self.format,
            round: self.round,
            engine: self.engine,
            inputs: self.inputs,
            previous_round: self.previous_round,
            explain_format: self.explain_format,
            blocks: self
                .blocks
                .into_iter()
                .map(|b| BlockResults { id: b.id, units: b.units.into_iter().map(PackedRow::into_row).collect() })
                .collect(),
        }
    }
}

/// Where a template has a number (a finding's message never holds a NUL of its own: a
/// message that does is kept whole).
const NUMBER: char = '\0';

/// A finding's message with each run of digits and dots replaced by [`NUMBER`], and those
/// runs: the findings of a unit mostly share a few shapes (`"0.75 points claimed without
/// evidence or a note"`), kept once a row.
fn template_of(message: &str) -> Option<(String, Vec<&str>)> {
    if message.contains(NUMBER) {
        return None;
    }
    let mut template = String::with_capacity(message.len());
    let mut numbers = Vec::new();
    let mut start = None;
    for (i, c) in message.char_indices() {
        let in_number = c.is_ascii_digit() || c == '.';
        match (in_number, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                numbers.push(message.get(s..i).unwrap_or_default());
                template.push(NUMBER);
                template.push(c);
                start = None;
            }
            (false, None) => template.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(s) = start {
        numbers.push(message.get(s..).unwrap_or_default());
        template.push(NUMBER);
    }
    Some((template, numbers))
}

/// The message of `template` with its numbers read from `f`.
fn fill_template(template: &str, f: &mut Cursor<'_>) -> String {
    let mut message = String::with_capacity(template.len() + 16);
    for c in template.chars() {
        if c == NUMBER {
            message.push_str(&f.text());
        } else {
            message.push(c);
        }
    }
    message
}

/// A decimal: a byte with its scale (0–28) and sign, then its mantissa's LEB128 digits.
fn put_decimal(out: &mut Vec<u8>, d: Decimal) {
    let scale = u8::try_from(d.scale()).unwrap_or(0);
    out.push(scale | if d.is_sign_negative() { 0x80 } else { 0 });
    put_varint(out, d.mantissa().unsigned_abs());
}

fn put_varint(out: &mut Vec<u8>, mut v: u128) {
    loop {
        let low = u8::try_from(v & 0x7f).unwrap_or(0);
        v >>= 7;
        if v == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u128);
    out.extend_from_slice(text.as_bytes());
}

/// Reads back what the `put_*` functions wrote. The bytes are this module's own, so they
/// are always well formed; a short read gives zeros rather than a panic.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn varint(&mut self) -> u128 {
        let mut v = 0u128;
        let mut shift = 0;
        loop {
            let b = self.byte();
            if shift < 128 {
                v |= u128::from(b & 0x7f) << shift;
            }
            shift += 7;
            // Past the end `byte` gives 0, which ends the number.
            if b & 0x80 == 0 {
                return v;
            }
        }
    }

    fn text(&mut self) -> String {
        let len = usize::try_from(self.varint()).unwrap_or(usize::MAX).min(self.0.len());
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8_lossy(text).into_owned()
    }

    fn decimal(&mut self) -> Decimal {
        let head = self.byte();
        let mantissa = self.varint();
        let lo = u32::try_from(mantissa & 0xffff_ffff).unwrap_or(0);
        let mid = u32::try_from((mantissa >> 32) & 0xffff_ffff).unwrap_or(0);
        let hi = u32::try_from((mantissa >> 64) & 0xffff_ffff).unwrap_or(0);
        Decimal::from_parts(lo, mid, hi, head & 0x80 != 0, u32::from(head & 0x7f).min(28))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(d: Decimal) -> Decimal {
        let mut bytes = Vec::new();
        put_decimal(&mut bytes, d);
        Cursor(&bytes).decimal()
    }

    #[test]
    fn decimals_come_back_with_their_scale_and_sign() {
        for text in ["0", "0.00", "-0.00", "91.25", "100.00", "0.0001", "-12.5", "79228162514264337593543950335"] {
            let d: Decimal = text.parse().unwrap_or_default();
            let back = round_trip(d);
            assert_eq!(back.to_string(), d.to_string(), "{text}");
            assert_eq!(back.is_sign_negative(), d.is_sign_negative(), "{text}");
            assert_eq!(back.scale(), d.scale(), "{text}");
        }
        let back = round_trip(Decimal::MIN);
        assert_eq!(back, Decimal::MIN);
    }

    #[test]
    fn messages_come_back_through_their_templates() {
        for message in [
            "0.8306640625 points claimed without evidence or a note",
            "",
            "1",
            "a.b 2023-01-10 x9",
            "\0 12",
            "đã nộp 10/01/2024.",
        ] {
            let mut bytes = Vec::new();
            let back = match template_of(message) {
                Some((template, numbers)) => {
                    for n in &numbers {
                        put_text(&mut bytes, n);
                    }
                    fill_template(&template, &mut Cursor(&bytes))
                }
                None => message.to_owned(),
            };
            assert_eq!(back, message);
        }
    }

    proptest! {
        #[test]
        fn any_message_comes_back_through_its_template(message in "[0-9. a-zđ\\x00-]{0,40}") {
            let mut bytes = Vec::new();
            let back = match template_of(&message) {
                Some((template, numbers)) => {
                    for n in &numbers {
                        put_text(&mut bytes, n);
                    }
                    fill_template(&template, &mut Cursor(&bytes))
                }
                None => message.clone(),
            };
            prop_assert_eq!(back, message);
        }

        #[test]
        fn any_decimal_comes_back_exactly(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(), negative in any::<bool>(), scale in 0u32..=28) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let back = round_trip(d);
            prop_assert_eq!(back.to_string(), d.to_string());
            prop_assert_eq!(back.serialize(), d.serialize());
        }

        #[test]
        fn any_text_comes_back(a in ".*", b in ".*") {
            let mut bytes = Vec::new();
            put_text(&mut bytes, &a);
            put_text(&mut bytes, &b);
            let mut c = Cursor(&bytes);
            prop_assert_eq!(c.text(), a);
            prop_assert_eq!(c.text(), b);
            prop_assert!(c.0.is_empty());
        }
    }
}
