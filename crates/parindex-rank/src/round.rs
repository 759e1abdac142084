//! The round document (SPEC §7): blocks, classes, units, rounding and deadlines.

use std::collections::HashSet;

use parindex_core::criteria::check_format;
use parindex_core::reader::{self as json, Reader};
use parindex_core::{Code, Date, Decimal, Diagnostics};
use parindex_json::{Object, Value, pointer_child, pointer_index};

use crate::rounding::{Rounding, RoundingMode};

/// The `format` a round document declares.
pub const FORMAT: &str = "parindex/round@1";

/// A round (kỳ đánh giá): one year's evaluation by one evaluator.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// The round's id (`"dong-thap-2023"`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The year evaluated.
    pub year: Option<i64>,
    /// Who evaluates (`"UBND tỉnh Đồng Tháp"`).
    pub evaluator: String,
    /// How figures are presented.
    pub rounding: Rounding,
    /// The self-assessment deadline.
    pub self_deadline: Option<Date>,
    /// The blocks, in document order.
    pub blocks: Vec<Block>,
    /// The units, in document order.
    pub units: Vec<Unit>,
}

/// A block (khối): units scored with one criteria set and ranked together.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The block's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The criteria set's path, relative to the round folder.
    pub criteria_set: String,
    /// Whether a survey is held.
    pub survey: bool,
    /// Classes by strictly descending bound.
    pub classes: Vec<ClassBand>,
    /// How equal presented indices are ordered.
    pub tie_breakers: Vec<TieBreaker>,
}

impl Block {
    /// The labels of the block's classes, best first: the labels an assessment's class cap
    /// may name.
    pub fn class_labels(&self) -> Vec<String> {
        self.classes.iter().map(|c| c.label.clone()).collect()
    }
}

/// One class (xếp loại) and its lower bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassBand {
    /// The label (`"Xuất sắc"`).
    pub label: String,
    /// The lower bound of the presented index.
    pub from: Decimal,
    /// Whether the bound itself qualifies (default true).
    pub from_inclusive: bool,
}

/// A tie-breaker for equal presented indices (all descending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieBreaker {
    /// The presented survey total.
    Survey,
    /// The presented appraised total.
    Appraised,
    /// The unrounded index.
    Exact,
}

/// A unit (đơn vị) being evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Lowercase ASCII letters, digits and `-`.
    pub id: String,
    /// Its name, in Vietnamese as given.
    pub name: String,
    /// The block's id.
    pub block: String,
    /// Tags deciding which criteria apply.
    pub tags: Vec<String>,
    /// Whether it is ranked (default true).
    pub ranked: bool,
}

impl Round {
    /// Parses and checks a round document from JSON text, reporting every problem at once.
    pub fn from_json(text: &str) -> Result<Round, Diagnostics> {
        Round::from_document(&json::parse(text)?)
    }

    /// [`Round::from_json`] for a document tree already parsed (`parindex_core::reader::parse`;
    /// from a `serde_json::Value`, `parindex_json::Value::from`).
    pub fn from_document(doc: &Value<'_>) -> Result<Round, Diagnostics> {
        match Round::read_document(doc) {
            (Some(round), diags) if diags.is_empty() => Ok(round),
            (_, diags) => Err(diags),
        }
    }

    /// Secondary, best-effort API (what the round-folder loader uses): reads as much of a
    /// round document as can be read, with every problem found. A round with problems is
    /// never scored, but its folder can still be checked against it.
    pub fn read_document(doc: &Value<'_>) -> (Option<Round>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let round = {
            let mut r = Reader::new(&mut diags);
            load(doc, &mut r)
        };
        (round, diags)
    }

    /// The block with this id.
    pub fn block(&self, id: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.id == id)
    }

    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }
}

fn is_unit_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn load(doc: &Value<'_>, r: &mut Reader<'_>) -> Option<Round> {
    let map = r.object(doc, "", Code::InputType, "a round")?;
    check_format(map, FORMAT, r);
    let id = r
        .required(map, "id", "", Code::InputType, "the round")
        .and_then(|v| r.string(v, "/id", Code::InputType, "\"id\""))
        .unwrap_or_default()
        .to_owned();
    let title = r.opt_string_field(map, "title", "", Code::InputType).unwrap_or_default().to_owned();
    let evaluator = r.opt_string_field(map, "evaluator", "", Code::InputType).unwrap_or_default().to_owned();
    let year = map.get("year").and_then(Value::as_i64);
    let rounding = load_rounding(map, r);
    let self_deadline = match map.get("deadlines") {
        None | Some(Value::Null) => None,
        Some(v) => r.object(v, "/deadlines", Code::InputType, "\"deadlines\"").and_then(|m| {
            let text = r.opt_string_field(m, "self", "/deadlines", Code::BadDate)?;
            let date = Date::parse(text);
            if date.is_none() {
                r.error(
                    Code::BadDate,
                    "/deadlines/self",
                    format!("'{text}' is not a date: write YYYY-MM-DD, e.g. 2024-01-15"),
                );
            }
            date
        }),
    };

    let mut blocks: Vec<Block> = Vec::new();
    if let Some(items) = r
        .required(map, "blocks", "", Code::InputType, "the round")
        .and_then(|v| r.array(v, "/blocks", Code::InputType, "\"blocks\""))
    {
        for (i, item) in items.iter().enumerate() {
            let p = pointer_index("/blocks", i);
            if let Some(block) = load_block(item, &p, r) {
                if blocks.iter().any(|b| b.id == block.id) {
                    r.error(
                        Code::InputType,
                        &pointer_child(&p, "id"),
                        format!("the block id '{}' is used twice", block.id),
                    );
                }
                blocks.push(block);
            }
        }
    }

    let mut units: Vec<Unit> = Vec::new();
    let mut seen = HashSet::new();
    if let Some(items) = r
        .required(map, "units", "", Code::InputType, "the round")
        .and_then(|v| r.array(v, "/units", Code::InputType, "\"units\""))
    {
        for (i, item) in items.iter().enumerate() {
            let p = pointer_index("/units", i);
            let Some(unit) = load_unit(item, &p, r) else { continue };
            if !seen.insert(unit.id.clone()) {
                r.error(
                    Code::DuplicateUnit,
                    &pointer_child(&p, "id"),
                    format!("the unit id '{}' is used by another unit", unit.id),
                );
                continue;
            }
            if !blocks.iter().any(|b| b.id == unit.block) {
                let known: Vec<&str> = blocks.iter().map(|b| b.id.as_str()).collect();
                r.error(
                    Code::UnknownBlock,
                    &pointer_child(&p, "block"),
                    format!(
                        "unit '{}' names the block '{}', which the round does not have; its blocks are: {}",
                        unit.id,
                        unit.block,
                        known.join(", ")
                    ),
                );
            }
            units.push(unit);
        }
    }
    Some(Round { id, title, year, evaluator, rounding, self_deadline, blocks, units })
}

fn load_rounding(map: &Object<'_>, r: &mut Reader<'_>) -> Rounding {
    let mut rounding = Rounding::default();
    let Some(v) = map.get("rounding").filter(|v| !v.is_null()) else { return rounding };
    let Some(m) = r.object(v, "/rounding", Code::InputType, "\"rounding\"") else { return rounding };
    if let Some(d) = r.opt_decimal_field(m, "decimals", "/rounding", Code::InputType) {
        match u32::try_from(d.normalize().mantissa()).ok().filter(|n| d.fract().is_zero() && *n <= 6) {
            Some(n) => rounding.decimals = n,
            None => r.error(
                Code::InputType,
                "/rounding/decimals",
                format!("\"decimals\" is a whole number from 0 to 6, not {d}"),
            ),
        }
    }
    match r.opt_string_field(m, "mode", "/rounding", Code::InputType) {
        None | Some("half_up") => {}
        Some("half_even") => rounding.mode = RoundingMode::HalfEven,
        Some(other) => r.error(
            Code::InputType,
            "/rounding/mode",
            format!("'{other}' is not a rounding mode; use \"half_up\" or \"half_even\""),
        ),
    }
    rounding
}

fn load_block(v: &Value<'_>, path: &str, r: &mut Reader<'_>) -> Option<Block> {
    let m = r.object(v, path, Code::InputType, "a block")?;
    let id = r
        .required(m, "id", path, Code::InputType, "the block")
        .and_then(|v| r.string(v, &pointer_child(path, "id"), Code::InputType, "\"id\""))?
        .to_owned();
    let title = r.opt_string_field(m, "title", path, Code::InputType).unwrap_or_default().to_owned();
    let criteria_set = r
        .required(m, "criteria_set", path, Code::UnknownCriteriaSet, "the block")
        .and_then(|v| r.string(v, &pointer_child(path, "criteria_set"), Code::UnknownCriteriaSet, "\"criteria_set\""))?
        .to_owned();
    let survey = r.opt_bool_field(m, "survey", path, Code::InputType).unwrap_or(false);

    let mut classes: Vec<ClassBand> = Vec::new();
    let classes_path = pointer_child(path, "classes");
    if let Some(items) = m
        .get("classes")
        .filter(|v| !v.is_null())
        .and_then(|v| r.array(v, &classes_path, Code::InputType, "\"classes\""))
    {
        for (i, item) in items.iter().enumerate() {
            let p = pointer_index(&classes_path, i);
            let Some(cm) = r.object(item, &p, Code::InputType, "a class") else { continue };
            let label = r
                .required(cm, "label", &p, Code::InputType, "the class")
                .and_then(|v| r.string(v, &pointer_child(&p, "label"), Code::InputType, "\"label\""));
            let from = r
                .required(cm, "from", &p, Code::InputType, "the class")
                .and_then(|v| r.decimal(v, &pointer_child(&p, "from"), Code::InputType, "\"from\""));
            let from_inclusive = r.opt_bool_field(cm, "from_inclusive", &p, Code::InputType).unwrap_or(true);
            let (Some(label), Some(from)) = (label, from) else { continue };
            if let Some(prev) = classes.last()
                && from >= prev.from
            {
                r.error(Code::ClassBoundsOrder, &pointer_child(&p, "from"), format!("class '{label}' starts at {from}, not below the class before it ('{}' from {}): list classes from the highest bound down", prev.label, prev.from));
            }
            if classes.iter().any(|c| c.label == label) {
                r.error(Code::InputType, &pointer_child(&p, "label"), format!("the class '{label}' is listed twice"));
            }
            classes.push(ClassBand { label: label.to_owned(), from, from_inclusive });
        }
    }

    let mut tie_breakers = Vec::new();
    let tb_path = pointer_child(path, "tie_breakers");
    if let Some(items) = m
        .get("tie_breakers")
        .filter(|v| !v.is_null())
        .and_then(|v| r.array(v, &tb_path, Code::InputType, "\"tie_breakers\""))
    {
        for (i, item) in items.iter().enumerate() {
            let p = pointer_index(&tb_path, i);
            match r.string(item, &p, Code::InputType, "a tie-breaker") {
                Some("survey") => tie_breakers.push(TieBreaker::Survey),
                Some("appraised") => tie_breakers.push(TieBreaker::Appraised),
                Some("exact") => tie_breakers.push(TieBreaker::Exact),
                Some(other) => r.error(
                    Code::InputType,
                    &p,
                    format!("'{other}' is not a tie-breaker; use \"survey\", \"appraised\" or \"exact\""),
                ),
                None => {}
            }
        }
    }
    Some(Block { id, title, criteria_set, survey, classes, tie_breakers })
}

fn load_unit(v: &Value<'_>, path: &str, r: &mut Reader<'_>) -> Option<Unit> {
    let m = r.object(v, path, Code::InputType, "a unit")?;
    let id_path = pointer_child(path, "id");
    let id = r
        .required(m, "id", path, Code::InputType, "the unit")
        .and_then(|v| r.string(v, &id_path, Code::InputType, "\"id\""))?
        .to_owned();
    if !is_unit_id(&id) {
        r.error(
            Code::InputType,
            &id_path,
            format!("'{id}' is not a unit id: use lowercase ASCII letters, digits and '-', e.g. 'so-noi-vu'"),
        );
    }
    let name = r.opt_string_field(m, "name", path, Code::InputType).unwrap_or_default().to_owned();
    let block = r
        .required(m, "block", path, Code::UnknownBlock, "the unit")
        .and_then(|v| r.string(v, &pointer_child(path, "block"), Code::UnknownBlock, "\"block\""))?
        .to_owned();
    let mut tags = Vec::new();
    let tags_path = pointer_child(path, "tags");
    if let Some(items) =
        m.get("tags").filter(|v| !v.is_null()).and_then(|v| r.array(v, &tags_path, Code::InputType, "\"tags\""))
    {
        for (i, item) in items.iter().enumerate() {
            if let Some(t) = r.string(item, &pointer_index(&tags_path, i), Code::InputType, "a tag") {
                tags.push(t.to_owned());
            }
        }
    }
    let ranked = r.opt_bool_field(m, "ranked", path, Code::InputType).unwrap_or(true);
    Some(Unit { id, name, block, tags, ranked })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_labels_are_the_classes_best_first() {
        let band =
            |label: &str, from: i64| ClassBand { label: label.into(), from: Decimal::from(from), from_inclusive: true };
        let block = Block {
            id: "so".into(),
            title: "Sở".into(),
            criteria_set: "criteria/so.json".into(),
            survey: false,
            classes: vec![band("Xuất sắc", 90), band("Tốt", 80), band("Khá", 65)],
            tie_breakers: Vec::new(),
        };
        assert_eq!(block.class_labels(), ["Xuất sắc", "Tốt", "Khá"]);
        assert!(Block { classes: Vec::new(), ..block }.class_labels().is_empty());
    }
}
