//! The `v2` mix of [`crate::workload`]: the national mix's leaves and texts on
//! `parindex/criteria-set@2` sets, with the SPEC §11 features in about the proportion a
//! provincial scoring guide has them (fixtures/dong-thap-2025 is the model):
//!
//! - a bonus field ("9", `counts: bonus`: two `per_item` items and a `yes_no`) and a penalty
//!   field ("10", `counts: penalty`: two `per_item` items), entered by a minority of units;
//! - every `formula_expr` item but the first of its field reads the field's first item
//!   through `refs` ("counts only if the plan was issued"), and each field's item `f.3.1` is
//!   `source: "derived"` from the field's first two criteria (8 derived items);
//! - the survey items by answer counts are by respondent groups (people 0.6, businesses 0.4)
//!   with `zero_below`, the others by scale with `full_from`;
//! - `yes_no` and `deadline` items require evidence (one self entry in twenty lists none);
//! - the `manual` items of the even fields are scored by the council only
//!   (`source: "appraisal"`), at the first appraisal stage.

// Documents are built with `json!` objects and filled with `value["key"] = …`, which only
// panics on a value that is not an object: every one here is made as an object just above.
#![allow(clippy::indexing_slicing)]

use parindex::Decimal;
use serde_json::{Value, json};

use crate::rng::Rng;
use crate::workload::{FIELDS, KINDS, LeafSpec, Mix, dec, entry, rule, s};

/// The national mix's 120 leaves with the derived and council-only items marked, then the
/// bonus and penalty items (125 leaves).
pub(crate) fn leaves() -> Vec<LeafSpec> {
    let mut out = Vec::with_capacity(125);
    let mut assessed = 0usize;
    for f in 1..=8 {
        for c in 1..=3 {
            for l in 1..=5 {
                let i = out.len();
                let code = format!("{f}.{c}.{l}");
                if i % 10 == 9 {
                    out.push(LeafSpec { code, kind: "survey", max: dec("2.5"), tagged: false });
                    continue;
                }
                let mut kind = KINDS.get(assessed % KINDS.len()).copied().unwrap_or("yes_no");
                let max = if assessed % 27 < 8 { Decimal::ONE } else { dec("0.5") };
                assessed += 1;
                if c == 3 && l == 1 {
                    kind = "derived";
                } else if kind == "manual" && f % 2 == 0 {
                    kind = "council";
                }
                out.push(LeafSpec { code, kind, max, tagged: f == 3 && c == 2 });
            }
        }
    }
    for (code, kind, max) in [
        ("9.1", "per_item", "1"),
        ("9.2", "per_item", "0.5"),
        ("9.3", "yes_no", "0.5"),
        ("10.1", "per_item", "1"),
        ("10.2", "per_item", "1.5"),
    ] {
        out.push(LeafSpec { code: code.to_owned(), kind, max: dec(max), tagged: false });
    }
    out
}

fn field_of(code: &str) -> &str {
    code.split('.').next().unwrap_or("")
}

/// Whether a `formula_expr` leaf reads its field's first item (all but that item itself).
fn reads_plan(leaf: &LeafSpec) -> bool {
    leaf.kind == "formula_expr" && !leaf.code.ends_with(".1.1")
}

fn leaf_doc(i: usize, l: &LeafSpec) -> Value {
    let f = field_of(&l.code);
    let title = format!("Tiêu chí thành phần {} ({})", l.code, l.kind.replace('_', " "));
    let mut leaf = json!({ "code": l.code, "title": title, "max": s(l.max) });
    leaf["rule"] = match l.kind {
        "derived" => json!({ "kind": "formula", "refs": { "a": format!("{f}.1"), "b": format!("{f}.2") },
            "expr": "min(max_points, max_points * (a + b) / 5)" }),
        "council" => rule("manual", l.max, i, Mix::National),
        "per_item" => json!({ "kind": "per_item", "per": if l.code == "10.2" { "0.5" } else { "0.25" } }),
        "formula_expr" if reads_plan(l) => json!({ "kind": "formula", "refs": { "kh": format!("{f}.1.1") },
            "variables": { "x": "Số nhiệm vụ hoàn thành", "y": "Tổng số nhiệm vụ được giao" },
            "expr": "if(kh > 0, min(max_points, max_points * x / y), 0)" }),
        "survey" => {
            let mut r = rule("survey", l.max, i, Mix::National);
            if i % 20 == 9 {
                r["groups"] = json!({ "nguoi-dan": "0.6", "doanh-nghiep": "0.4" });
                r["zero_below"] = json!("0.5");
            } else {
                r["full_from"] = json!("0.9");
            }
            r
        }
        kind => rule(kind, l.max, i, Mix::National),
    };
    match l.kind {
        "survey" => leaf["source"] = json!("survey"),
        "derived" => leaf["source"] = json!("derived"),
        "council" => leaf["source"] = json!("appraisal"),
        "yes_no" | "deadline" if !matches!(f, "9" | "10") => leaf["evidence"] = json!("required"),
        _ => {}
    }
    if matches!(l.kind, "bands_ratio" | "formula_expr" | "proportional_ratio") {
        leaf["not_arising"] = json!(if i % 2 == 0 { "full" } else { "exclude" });
    }
    if l.tagged {
        leaf["applies_to"] = json!(["has-procedures"]);
    }
    leaf
}

/// The criteria set: the eight fields, then the bonus and the penalty field.
pub(crate) fn criteria_set(id: &str, leaves: &[LeafSpec]) -> Value {
    let mut fields = Vec::new();
    for (f, title) in FIELDS.iter().enumerate() {
        let mut criteria = Vec::new();
        for c in 1..=3 {
            let prefix = format!("{}.{c}.", f + 1);
            let children: Vec<Value> = leaves
                .iter()
                .enumerate()
                .filter(|(_, l)| l.code.starts_with(&prefix))
                .map(|(i, l)| leaf_doc(i, l))
                .collect();
            criteria.push(json!({ "code": format!("{}.{c}", f + 1), "title": format!("Tiêu chí {}.{c}", f + 1), "children": children }));
        }
        fields.push(json!({ "code": (f + 1).to_string(), "title": title, "children": criteria }));
    }
    for (code, title, counts) in [("9", "Điểm thưởng", "bonus"), ("10", "Điểm trừ", "penalty")] {
        let prefix = format!("{code}.");
        let children: Vec<Value> = leaves
            .iter()
            .enumerate()
            .filter(|(_, l)| l.code.starts_with(&prefix))
            .map(|(i, l)| leaf_doc(i, l))
            .collect();
        fields.push(json!({ "code": code, "title": title, "counts": counts, "children": children }));
    }
    json!({
        "format": "parindex/criteria-set@2", "id": id, "title": format!("Bộ tiêu chí {id}"), "year": 2023,
        "basis": "Bộ tiêu chí sinh tự động để đo hiệu năng", "adjustments": { "bonus_max": "2", "penalty_max": "3" },
        "nodes": fields,
    })
}

fn counts(rng: &mut Rng, scale: u64) -> Value {
    json!({ "A": scale * (60 + rng.below(200)), "B": scale * (20 + rng.below(80)), "C": scale * rng.below(30), "D": scale * rng.below(10) })
}

/// A bonus or penalty entry, for the minority of units that have one.
fn adjustment_entry(leaf: &LeafSpec, rng: &mut Rng, unit: &str) -> Option<Value> {
    let bonus = leaf.code.starts_with("9.");
    if !rng.chance(if bonus { 25 } else { 12 }) {
        return None;
    }
    let mut e = if leaf.kind == "yes_no" { json!({ "input": true }) } else { json!({ "input": 1 + rng.below(3) }) };
    let what = if bonus { "Quyết định công nhận sáng kiến" } else { "Văn bản nhắc nhở" };
    e["evidence"] = json!([{ "title": format!("{what} số {}/{}", rng.below(900) + 1, unit.to_uppercase()) }]);
    Some(e)
}

/// An assessment: the national mix's stages and texts; no entries for derived items, the
/// council-only items entered at the first appraisal stage, survey answers by group.
pub(crate) fn assessment(unit: &str, leaves: &[LeafSpec], rng: &mut Rng) -> Value {
    let mut self_entries = serde_json::Map::new();
    let mut stage1 = serde_json::Map::new();
    let mut stage2 = serde_json::Map::new();
    let mut explanations = serde_json::Map::new();
    let mut survey = serde_json::Map::new();
    for (i, leaf) in leaves.iter().enumerate() {
        match leaf.kind {
            "survey" => {
                let answer = if i % 20 == 9 {
                    // One unit in twenty has no business respondents (a group left out).
                    let business = if rng.chance(5) { 0 } else { 1 };
                    json!({ "groups": { "nguoi-dan": { "counts": counts(rng, 1) }, "doanh-nghiep": { "counts": counts(rng, business) } } })
                } else {
                    json!({ "mean": format!("3.{}", rng.below(10)) })
                };
                survey.insert(leaf.code.clone(), answer);
                continue;
            }
            "derived" => continue,
            "council" => {
                let mut e = entry("manual", rng, unit, &leaf.code, false);
                e["reason"] = json!("Hội đồng thẩm định chấm theo kết quả kiểm tra thực tế");
                stage1.insert(leaf.code.clone(), e);
                continue;
            }
            "per_item" | "yes_no" if matches!(field_of(&leaf.code), "9" | "10") => {
                if let Some(e) = adjustment_entry(leaf, rng, unit) {
                    self_entries.insert(leaf.code.clone(), e);
                }
                continue;
            }
            _ => {}
        }
        let mut own = entry(leaf.kind, rng, unit, &leaf.code, true);
        if matches!(leaf.kind, "yes_no" | "deadline") && rng.chance(5) {
            if let Some(map) = own.as_object_mut() {
                map.remove("evidence");
            }
        }
        self_entries.insert(leaf.code.clone(), own);
        if rng.chance(15) {
            let mut e = entry(leaf.kind, rng, unit, &leaf.code, false);
            e["reason"] =
                json!("Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện; điều chỉnh theo số liệu thẩm định");
            if rng.chance(50) {
                e["explain"] = json!(true);
                explanations.insert(leaf.code.clone(), json!({
                    "note": "Đơn vị bổ sung tài liệu kiểm chứng và giải trình số liệu",
                    "evidence": [ { "title": format!("Công văn giải trình số {}/{}", rng.below(500) + 1, unit.to_uppercase()) } ] }));
                if rng.chance(60) {
                    let mut back = entry(leaf.kind, rng, unit, &leaf.code, false);
                    back["reason"] = json!("Chấp nhận giải trình của đơn vị");
                    stage2.insert(leaf.code.clone(), back);
                }
            }
            stage1.insert(leaf.code.clone(), e);
        }
    }
    json!({
        "format": "parindex/assessment@1", "unit": unit,
        "self": { "submitted_at": format!("2024-01-{:02}T08:30:00+07:00", 5 + rng.below(12)), "entries": self_entries,
                  "bonus": if rng.chance(10) { json!([{ "points": "0.5", "reason": "Mô hình, sáng kiến CCHC được công nhận" }]) } else { json!([]) } },
        "appraisals": [ { "stage": 1, "entries": stage1 }, { "stage": 2, "final": true, "entries": stage2 } ],
        "explanations": explanations,
        "survey": survey,
    })
}
