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

/// One unit's published row, its nodes and findings packed (a streamed round's rows carry
/// no explanations).
#[derive(Debug)]
pub struct PackedRow {
    /// The row without its nodes and findings (both empty here).
    head: UnitRow,
    /// The codes of the nodes of the unit's criteria set.
    codes: Arc<NodeCodes>,
    /// Each node: flags, then its figures.
    nodes: Box<[u8]>,
    /// The node count when it is not the set's, the row's message templates, then each finding.
    findings: Box<[u8]>,
}

const EXCLUDED: u8 = 1;
const POINTS: u8 = 1 << 1;
const MAX: u8 = 1 << 2;
const INDEX: u8 = 1 << 3;
const SELF: u8 = 1 << 4;

/// One node's presented figures: a [`NodeRow`] without its code (and its explanation).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Figures {
    pub(crate) excluded: bool,
    pub(crate) points: Option<Decimal>,
    pub(crate) max: Option<Decimal>,
    pub(crate) index: Option<Decimal>,
    pub(crate) self_points: Option<Decimal>,
}

impl Figures {
    /// The node row of the node whose code is `code`.
    pub(crate) fn row(self, code: String) -> NodeRow {
        let Figures { excluded, points, max, index, self_points } = self;
        NodeRow { code, excluded, points, max, index, self_points, explain: None }
    }
}

impl PackedRow {
    /// Packs the row whose unit-level fields are `head` (its nodes empty) and whose nodes'
    /// figures, in the order of the set whose codes are `codes`, are `figures`.
    /// (As for a [`UnitRow`], a node beyond the set's is left out.)
    pub(crate) fn pack(mut row: UnitRow, figures: &[Figures], codes: &Arc<NodeCodes>) -> PackedRow {
        let figures = figures.get(..codes.codes.len()).unwrap_or(figures);
        let mut nodes = Vec::with_capacity(figures.len() * 8);
        for f in figures {
            let mut flags = 0;
            for (bit, on) in [
                (EXCLUDED, f.excluded),
                (POINTS, f.points.is_some()),
                (MAX, f.max.is_some()),
                (INDEX, f.index.is_some()),
                (SELF, f.self_points.is_some()),
            ] {
                if on {
                    flags |= bit;
                }
            }
            nodes.push(flags);
            for d in [f.points, f.max, f.index, f.self_points].into_iter().flatten() {
                put_decimal(&mut nodes, d);
            }
        }
        // A row with fewer nodes than its set keeps its count.
        let extra = figures.len() != codes.codes.len();
        let mut findings = Vec::new();
        if extra {
            findings.push(1);
            put_varint(&mut findings, figures.len() as u128);
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
            codes: Arc::clone(codes),
            nodes: nodes.into_boxed_slice(),
            findings: findings.into_boxed_slice(),
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
        let mut row = self.head.clone();
        self.unpack_into(&mut row);
        row
    }

    /// Makes `row` the whole row, reusing its nodes' and findings' allocations: writing
    /// thousands of rows through one scratch row allocates almost nothing.
    fn unpack_into(&self, row: &mut UnitRow) {
        let PackedRow { codes, nodes, findings, .. } = self;
        let mut node_rows = std::mem::take(&mut row.nodes);
        let mut finding_rows = std::mem::take(&mut row.findings);
        row.clone_from(&self.head);
        let mut f = Cursor(findings);
        let count = match f.byte() {
            1 => usize::try_from(f.varint()).unwrap_or(0),
            _ => codes.codes.len(),
        };
        let mut n = Cursor(nodes);
        node_rows.truncate(count);
        for i in 0..count {
            let flags = n.byte();
            if i == node_rows.len() {
                node_rows.push(Figures::default().row(String::new()));
            }
            let Some(node) = node_rows.get_mut(i) else { break };
            match codes.codes.get(i) {
                Some(code) => node.code.clone_from(code),
                None => node.code.clear(),
            }
            let mut figure = |bit: u8| (flags & bit != 0).then(|| n.decimal());
            node.points = figure(POINTS);
            node.max = figure(MAX);
            node.index = figure(INDEX);
            node.self_points = figure(SELF);
            node.excluded = flags & EXCLUDED != 0;
            node.explain = None;
        }
        let templates: Vec<String> = (0..f.varint()).map(|_| f.text()).collect();
        finding_rows.clear();
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
            finding_rows.push(Finding { code, criterion, message });
        }
        row.nodes = node_rows;
        row.findings = finding_rows;
    }

    /// Turns the row back into a [`UnitRow`].
    pub fn into_row(self) -> UnitRow {
        self.unpack()
    }

    /// Runs `f` on the whole row, unpacked into this thread's scratch row.
    fn with_row<T>(&self, f: impl FnOnce(&UnitRow) -> T) -> T {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Option<UnitRow>> = const { std::cell::RefCell::new(None) };
        }
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut slot) => {
                let row = slot.get_or_insert_with(|| self.head.clone());
                self.unpack_into(row);
                f(row)
            }
            // Only if `f` itself unpacked another row on this thread.
            Err(_) => f(&self.unpack()),
        })
    }
}

impl Serialize for PackedRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_row(|row| row.serialize(s))
    }
}

impl WritePretty for PackedRow {
    fn write_pretty<W: Write + ?Sized>(&self, out: &mut W, depth: usize) -> io::Result<()> {
        self.with_row(|row| row.write_pretty(out, depth))
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

    /// A message packed as its template and numbers, and read back.
    fn through_template(message: &str) -> String {
        let Some((template, numbers)) = template_of(message) else { return message.to_owned() };
        let mut bytes = Vec::new();
        for n in &numbers {
            put_text(&mut bytes, n);
        }
        fill_template(&template, &mut Cursor(&bytes))
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
            assert_eq!(through_template(message), message);
        }
    }

    proptest! {
        #[test]
        fn any_message_comes_back_through_its_template(message in "[0-9. a-zđ\\x00-]{0,40}") {
            prop_assert_eq!(through_template(&message), message);
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
