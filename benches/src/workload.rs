//! Seeded round folders for measuring the engine (issue "Performance"): a criteria set of
//! 120 leaves mixing every rule kind, and units with a self-assessment, two appraisal
//! stages, explanations and survey answers. The same seed writes the same bytes.

// Documents are built with `json!` objects and filled with `value["key"] = …`, which only
// panics on a value that is not an object: every one here is made as an object just above.
#![allow(clippy::indexing_slicing)]

use std::io;
use std::path::Path;

use parindex::Decimal;
use serde_json::{Value, json};

use crate::rng::Rng;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Units in the round (split over two blocks).
    pub units: usize,
    /// Share of units in the first block ("departments"), in percent.
    pub first_block_percent: usize,
    /// The seed.
    pub seed: u64,
    /// The mix of rules and text.
    pub mix: Mix,
    /// Every file on one line (`serde_json::to_string`), instead of pretty-printed.
    pub compact: bool,
}

/// The mix of rule kinds and text in the generated documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mix {
    /// Every rule kind in turn, evidence with long titles and links on every self-assessed
    /// entry, notes and reasons: the documents a province's units write.
    National,
    /// More compute per byte: bands (six per rule) and formulas (longer expressions) make up
    /// most of the assessed leaves, evidence is short and on a third of the entries, notes
    /// are short and rare. (Derived items, a criteria-set@2 feature, are not generated.)
    Compute,
    /// The national mix on `parindex/criteria-set@2` sets, with the §11 features in about the
    /// proportion a provincial scoring guide has them: a bonus field and a penalty field of
    /// `per_item` (and `yes_no`) items, formulas with `refs`, one derived item per field,
    /// survey items by respondent groups with `zero_below`/`full_from`, items that require
    /// evidence and a few items only the council scores.
    V2,
}

impl Mix {
    /// The mix named `name` (`national`, `compute`, `v2`).
    pub fn named(name: &str) -> Option<Mix> {
        match name {
            "national" => Some(Mix::National),
            "compute" => Some(Mix::Compute),
            "v2" => Some(Mix::V2),
            _ => None,
        }
    }
}

impl Spec {
    /// The province workload: 2 blocks, 32 units.
    pub fn province(seed: u64) -> Spec {
        Spec { units: 32, first_block_percent: 62, seed, mix: Mix::National, compact: false }
    }

    /// The national workload: every commune and ward plus the provinces' departments, 4,000
    /// units on the same sets.
    pub fn national(seed: u64) -> Spec {
        Spec { units: 4000, first_block_percent: 10, seed, mix: Mix::National, compact: false }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Files written.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Leaves per criteria set.
    pub leaves: usize,
}

pub(crate) const KINDS: [&str; 13] = [
    "manual",
    "yes_no",
    "options",
    "bands_percent",
    "bands_ratio",
    "bands_count",
    "bands_number",
    "proportional_percent",
    "proportional_ratio",
    "deduction",
    "deadline",
    "formula_expr",
    "formula_choices",
];

/// The assessed leaves' kinds in the compute mix: bands and formulas first.
const COMPUTE_KINDS: [&str; 13] = [
    "bands_percent",
    "formula_expr",
    "bands_ratio",
    "formula_choices",
    "bands_count",
    "bands_number",
    "formula_expr",
    "proportional_ratio",
    "bands_percent",
    "formula_choices",
    "options",
    "deduction",
    "bands_number",
];

/// One generated leaf: its code, its kind (an entry of `KINDS` or "survey"), its max.
#[derive(Debug, Clone)]
pub(crate) struct LeafSpec {
    pub(crate) code: String,
    pub(crate) kind: &'static str,
    pub(crate) max: Decimal,
    pub(crate) tagged: bool,
}

pub(crate) fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or(Decimal::ZERO)
}

pub(crate) fn s(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The 120 leaves: 8 fields × 3 criteria × 5 sub-criteria; every 10th leaf (12 in all) is a
/// survey item worth 2.5 (30 points); of the 108 assessed leaves 32 are worth 1 and 76 are
/// worth 0.5 (70 points).
fn leaves(mix: Mix) -> Vec<LeafSpec> {
    if mix == Mix::V2 {
        return crate::workload_v2::leaves();
    }
    let kinds = if mix == Mix::Compute { &COMPUTE_KINDS } else { &KINDS };
    let mut out = Vec::with_capacity(120);
    let mut assessed = 0usize;
    for f in 1..=8 {
        for c in 1..=3 {
            for l in 1..=5 {
                let i = out.len();
                let code = format!("{f}.{c}.{l}");
                if i % 10 == 9 {
                    out.push(LeafSpec { code, kind: "survey", max: dec("2.5"), tagged: false });
                } else {
                    let kind = kinds.get(assessed % kinds.len()).copied().unwrap_or("yes_no");
                    let max = if assessed % 27 < 8 { Decimal::ONE } else { dec("0.5") };
                    out.push(LeafSpec { code, kind, max, tagged: f == 3 && c == 2 });
                    assessed += 1;
                }
            }
        }
    }
    out
}

pub(crate) fn rule(kind: &str, max: Decimal, index: usize, mix: Mix) -> Value {
    let half = s(max / Decimal::TWO);
    let m = s(max);
    if mix == Mix::Compute
        && let Some(rule) = compute_rule(kind, max)
    {
        return rule;
    }
    match kind {
        "manual" => json!({ "kind": "manual", "step": "0.25" }),
        "yes_no" => json!({ "kind": "yes_no" }),
        "options" => json!({ "kind": "options", "options": [
            { "key": "tot", "label": "Tốt", "points": m },
            { "key": "dat", "label": "Đạt", "points": half },
            { "key": "chua-dat", "label": "Chưa đạt", "points": "0" } ] }),
        "bands_percent" | "bands_ratio" => json!({ "kind": "bands",
            "input": if kind == "bands_percent" { "percent" } else { "ratio" },
            "bands": [ { "from": "100", "to": "100", "to_inclusive": true, "points": m },
                       { "from": "80", "to": "100", "points": half } ], "otherwise": "0" }),
        "bands_count" => json!({ "kind": "bands", "input": "count",
            "bands": [ { "to": "0", "to_inclusive": true, "points": m },
                       { "from": "1", "to": "3", "to_inclusive": true, "points": half } ] }),
        "bands_number" => json!({ "kind": "bands", "input": "number",
            "bands": [ { "from": "4.5", "points": m }, { "from": "3", "to": "4.5", "points": half } ] }),
        "proportional_percent" => json!({ "kind": "proportional", "input": "percent", "zero_below": "50" }),
        "proportional_ratio" => json!({ "kind": "proportional", "input": "ratio", "full_from": "95" }),
        "deduction" => json!({ "kind": "deduction", "per": s(max / Decimal::from(4)) }),
        "deadline" => json!({ "kind": "deadline", "due": "2023-01-15", "late_points": half, "grace_days": 15 }),
        "formula_expr" => json!({ "kind": "formula",
            "variables": { "x": "Số nhiệm vụ hoàn thành", "y": "Tổng số nhiệm vụ được giao" },
            "expr": "min(max_points, max_points * x / y)" }),
        "formula_choices" => json!({ "kind": "formula",
            "variables": { "x": "Tỷ lệ hoàn thành (%)" },
            "choices": { "ty-le": "max_points * x / 100",
                         "nguong": "if(x >= 90, max_points, if(x >= 70, max_points / 2, 0))" } }),
        _ => {
            if index % 20 == 9 {
                json!({ "kind": "survey", "weights": { "A": "1", "B": "0.6", "C": "0.2", "D": "0" } })
            } else {
                json!({ "kind": "survey", "scale": { "min": "1", "max": "4" } })
            }
        }
    }
}

/// The compute mix's bands (six per rule) and longer formulas; `None` for the other kinds,
/// which are as in the national mix.
fn compute_rule(kind: &str, max: Decimal) -> Option<Value> {
    let part = |n: i64| s(max * Decimal::from(n) / Decimal::from(5));
    let (m, p4, p3, p2, p1) = (s(max), part(4), part(3), part(2), part(1));
    Some(match kind {
        "bands_percent" | "bands_ratio" => json!({ "kind": "bands",
            "input": if kind == "bands_percent" { "percent" } else { "ratio" },
            "bands": [ { "from": "100", "to": "100", "to_inclusive": true, "points": m },
                       { "from": "95", "to": "100", "points": p4 }, { "from": "90", "to": "95", "points": p3 },
                       { "from": "80", "to": "90", "points": p2 }, { "from": "70", "to": "80", "points": p1 },
                       { "from": "0", "to": "70", "points": "0" } ] }),
        "bands_count" => json!({ "kind": "bands", "input": "count",
            "bands": [ { "to": "0", "to_inclusive": true, "points": m },
                       { "from": "1", "to": "1", "to_inclusive": true, "points": p4 },
                       { "from": "2", "to": "2", "to_inclusive": true, "points": p3 },
                       { "from": "3", "to": "3", "to_inclusive": true, "points": p2 },
                       { "from": "4", "to": "5", "to_inclusive": true, "points": p1 } ], "otherwise": "0" }),
        "bands_number" => json!({ "kind": "bands", "input": "number",
            "bands": [ { "from": "4.5", "points": m }, { "from": "4", "to": "4.5", "points": p4 },
                       { "from": "3.5", "to": "4", "points": p3 }, { "from": "3", "to": "3.5", "points": p2 },
                       { "from": "2.5", "to": "3", "points": p1 }, { "to": "2.5", "points": "0" } ] }),
        "formula_expr" => json!({ "kind": "formula",
            "variables": { "x": "Hoàn thành", "y": "Được giao" },
            "expr": "min(max_points, max(0, if(x >= y, max_points, max_points * (x / y) * (x / y) + max_points / 10 * (y - x) / y)))" }),
        "formula_choices" => json!({ "kind": "formula",
            "variables": { "x": "Tỷ lệ (%)" },
            "choices": { "ty-le": "min(max_points, max(0, max_points * (x - 50) / 50))",
                         "nguong": "if(x >= 95, max_points, if(x >= 90, max_points * 4 / 5, if(x >= 80, max_points * 3 / 5, if(x >= 70, max_points / 2, 0))))" } }),
        _ => return None,
    })
}

pub(crate) const FIELDS: [&str; 8] = [
    "Công tác chỉ đạo, điều hành CCHC",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội",
];

fn criteria_set(id: &str, leaves: &[LeafSpec], mix: Mix) -> Value {
    if mix == Mix::V2 {
        return crate::workload_v2::criteria_set(id, leaves);
    }
    let mut fields = Vec::new();
    for (f, title) in FIELDS.iter().enumerate() {
        let mut criteria = Vec::new();
        for c in 1..=3 {
            let prefix = format!("{}.{c}.", f + 1);
            let children: Vec<Value> = leaves
                .iter()
                .enumerate()
                .filter(|(_, l)| l.code.starts_with(&prefix))
                .map(|(i, l)| {
                    let mut leaf = json!({
                        "code": l.code, "title": format!("Tiêu chí thành phần {} ({})", l.code, l.kind.replace('_', " ")),
                        "max": s(l.max), "rule": rule(l.kind, l.max, i, mix),
                    });
                    if l.kind == "survey" {
                        leaf["source"] = json!("survey");
                    }
                    if matches!(l.kind, "bands_ratio" | "formula_expr" | "proportional_ratio") {
                        leaf["not_arising"] = json!(if i % 2 == 0 { "full" } else { "exclude" });
                    }
                    if l.tagged {
                        leaf["applies_to"] = json!(["has-procedures"]);
                    }
                    leaf
                })
                .collect();
            criteria.push(json!({ "code": format!("{}.{c}", f + 1), "title": format!("Tiêu chí {}.{c}", f + 1), "children": children }));
        }
        fields.push(json!({ "code": (f + 1).to_string(), "title": title, "children": criteria }));
    }
    json!({
        "format": "parindex/criteria-set@1", "id": id, "title": format!("Bộ tiêu chí {id}"), "year": 2023,
        "basis": "Bộ tiêu chí sinh tự động để đo hiệu năng", "adjustments": { "bonus_max": "2", "penalty_max": "3" },
        "nodes": fields,
    })
}

/// An input for `kind` that a good unit would report, varied by `rng`.
fn input(kind: &str, rng: &mut Rng) -> (&'static str, Value) {
    let pct = |rng: &mut Rng| format!("{}.{}", 70 + rng.below(31).min(30), rng.below(10));
    match kind {
        "manual" => (
            "points",
            json!(["0", "0.25", "0.5"].get(usize::try_from(rng.below(3)).unwrap_or(0)).copied().unwrap_or("0")),
        ),
        "yes_no" => ("input", json!(rng.chance(85))),
        "options" => ("input", json!(*rng.pick(&["tot", "tot", "dat", "chua-dat"]).unwrap_or(&"tot"))),
        "bands_percent" | "proportional_percent" => {
            let p = if rng.chance(40) { "100".to_owned() } else { pct(rng) };
            ("input", json!(if p.starts_with("100") { "100".to_owned() } else { p }))
        }
        "bands_ratio" | "proportional_ratio" => {
            let d = 20 + rng.below(400);
            let n = d - rng.below(d / 5 + 1);
            ("input", json!({ "numerator": n, "denominator": d }))
        }
        "bands_count" | "deduction" => ("input", json!(rng.below(4))),
        "bands_number" => ("input", json!(format!("{}.{}", 2 + rng.below(3), rng.below(10)))),
        "deadline" => ("input", json!(format!("2023-01-{:02}", 5 + rng.below(25)))),
        "formula_expr" => {
            let y = 5 + rng.below(40);
            ("input", json!({ "x": y - rng.below(y / 4 + 1), "y": y }))
        }
        _ => ("input", json!({ "x": format!("{}", 60 + rng.below(41)) })),
    }
}

/// An entry in the compute mix: evidence on a third of the self-assessed entries, with a
/// short title; a short note on one in twenty.
fn compute_entry(kind: &str, rng: &mut Rng, unit: &str, with_evidence: bool) -> Value {
    let (key, value) = input(kind, rng);
    let mut e = json!({ key: value });
    if kind == "formula_choices" {
        e["choice"] = json!(if rng.chance(50) { "ty-le" } else { "nguong" });
    }
    if with_evidence && rng.chance(33) {
        e["evidence"] = json!([{ "title": format!("QĐ {}/{}", rng.below(900) + 1, unit.to_uppercase()) }]);
    }
    if rng.chance(5) {
        e["note"] = json!("Đã thực hiện.");
    }
    e
}

pub(crate) fn entry(kind: &str, rng: &mut Rng, unit: &str, code: &str, with_evidence: bool) -> Value {
    let (key, value) = input(kind, rng);
    let mut e = json!({ key: value });
    if kind == "formula_choices" {
        e["choice"] = json!(if rng.chance(50) { "ty-le" } else { "nguong" });
    }
    if with_evidence {
        let n = rng.below(900) + 1;
        let mut first = json!({ "title": format!("Quyết định số {n}/QĐ-{} ngày 10/01/2023 ban hành kế hoạch thực hiện tiêu chí {code}", unit.to_uppercase()) });
        if rng.chance(50) {
            first["ref"] = json!(format!("https://vanban.example.gov.vn/{unit}/2023/{code}/qd-{n}.pdf"));
        }
        let mut docs = vec![first];
        if rng.chance(25) {
            docs.push(json!({ "title": format!("Báo cáo số {}/BC-{} về kết quả thực hiện nhiệm vụ CCHC năm 2023", n + 7, unit.to_uppercase()) }));
        }
        e["evidence"] = Value::Array(docs);
    }
    if rng.chance(20) {
        e["note"] = json!("Đơn vị đã thực hiện đầy đủ, đúng tiến độ theo kế hoạch; tài liệu kiểm chứng đính kèm.");
    }
    e
}

fn assessment(unit: &str, leaves: &[LeafSpec], rng: &mut Rng, mix: Mix) -> Value {
    if mix == Mix::Compute {
        return compute_assessment(unit, leaves, rng);
    }
    if mix == Mix::V2 {
        return crate::workload_v2::assessment(unit, leaves, rng);
    }
    let mut self_entries = serde_json::Map::new();
    let mut stage1 = serde_json::Map::new();
    let mut stage2 = serde_json::Map::new();
    let mut explanations = serde_json::Map::new();
    let mut survey = serde_json::Map::new();
    for (i, leaf) in leaves.iter().enumerate() {
        if leaf.kind == "survey" {
            let answer = if i % 20 == 9 {
                json!({ "counts": { "A": 60 + rng.below(200), "B": 20 + rng.below(80), "C": rng.below(30), "D": rng.below(10) } })
            } else {
                json!({ "mean": format!("3.{}", rng.below(10)) })
            };
            survey.insert(leaf.code.clone(), answer);
            continue;
        }
        self_entries.insert(leaf.code.clone(), entry(leaf.kind, rng, unit, &leaf.code, true));
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

/// An assessment in the compute mix: the same stages as the national mix, short texts.
fn compute_assessment(unit: &str, leaves: &[LeafSpec], rng: &mut Rng) -> Value {
    let mut self_entries = serde_json::Map::new();
    let mut stage1 = serde_json::Map::new();
    let mut stage2 = serde_json::Map::new();
    let mut explanations = serde_json::Map::new();
    let mut survey = serde_json::Map::new();
    for (i, leaf) in leaves.iter().enumerate() {
        if leaf.kind == "survey" {
            let answer = if i % 20 == 9 {
                json!({ "counts": { "A": 60 + rng.below(200), "B": 20 + rng.below(80), "C": rng.below(30), "D": rng.below(10) } })
            } else {
                json!({ "mean": format!("3.{}", rng.below(10)) })
            };
            survey.insert(leaf.code.clone(), answer);
            continue;
        }
        self_entries.insert(leaf.code.clone(), compute_entry(leaf.kind, rng, unit, true));
        if rng.chance(15) {
            let mut e = compute_entry(leaf.kind, rng, unit, false);
            e["reason"] = json!("Điều chỉnh theo thẩm định");
            if rng.chance(50) {
                e["explain"] = json!(true);
                explanations.insert(leaf.code.clone(), json!({ "note": "Giải trình" }));
                if rng.chance(60) {
                    let mut back = compute_entry(leaf.kind, rng, unit, false);
                    back["reason"] = json!("Chấp nhận");
                    stage2.insert(leaf.code.clone(), back);
                }
            }
            stage1.insert(leaf.code.clone(), e);
        }
    }
    json!({
        "format": "parindex/assessment@1", "unit": unit,
        "self": { "submitted_at": format!("2024-01-{:02}T08:30:00+07:00", 5 + rng.below(12)), "entries": self_entries,
                  "bonus": if rng.chance(10) { json!([{ "points": "0.5", "reason": "Sáng kiến" }]) } else { json!([]) } },
        "appraisals": [ { "stage": 1, "entries": stage1 }, { "stage": 2, "final": true, "entries": stage2 } ],
        "explanations": explanations,
        "survey": survey,
    })
}

fn write_json(dir: &Path, relative: &str, doc: &Value, compact: bool, summary: &mut Summary) -> io::Result<()> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let text = if compact { serde_json::to_string(doc) } else { serde_json::to_string_pretty(doc) };
    let mut text = text.map_err(io::Error::other)?;
    text.push('\n');
    summary.files += 1;
    summary.bytes += u64::try_from(text.len()).unwrap_or(0);
    std::fs::write(path, text)
}

/// Writes a round folder for `spec` into `dir` (created if needed).
pub fn write_round(dir: &Path, spec: &Spec) -> io::Result<Summary> {
    let leaves = leaves(spec.mix);
    let mut summary = Summary { files: 0, bytes: 0, leaves: leaves.len() };
    write_json(dir, "criteria/so.json", &criteria_set("so", &leaves, spec.mix), spec.compact, &mut summary)?;
    write_json(dir, "criteria/xa.json", &criteria_set("xa", &leaves, spec.mix), spec.compact, &mut summary)?;
    let first = spec.units * spec.first_block_percent / 100;
    let classes = json!([ { "label": "Xuất sắc", "from": "90" }, { "label": "Tốt", "from": "80" },
                          { "label": "Khá", "from": "70" }, { "label": "Trung bình", "from": "50" }, { "label": "Yếu", "from": "0" } ]);
    let units: Vec<Value> = (0..spec.units)
        .map(|i| {
            let block = if i < first { "so" } else { "xa" };
            let tags = if i % 7 == 3 { json!([]) } else { json!(["has-procedures"]) };
            json!({ "id": format!("{block}-{i:05}"), "name": format!("Đơn vị số {} ({})", i + 1, if block == "so" { "sở, ban, ngành" } else { "xã, phường" }), "block": block, "tags": tags })
        })
        .collect();
    let round = json!({
        "format": "parindex/round@1", "id": format!("gen-{}-{}", spec.units, spec.seed), "title": "Vòng chấm điểm sinh tự động",
        "year": 2023, "evaluator": "Bộ Nội vụ (dữ liệu sinh tự động)", "rounding": { "decimals": 2, "mode": "half_up" },
        "deadlines": { "self": "2024-01-15" },
        "blocks": [
            { "id": "so", "title": "Khối sở, ban, ngành", "criteria_set": "criteria/so.json", "survey": true, "classes": classes, "tie_breakers": ["survey", "exact"] },
            { "id": "xa", "title": "Khối xã, phường", "criteria_set": "criteria/xa.json", "survey": true, "classes": classes, "tie_breakers": ["survey", "exact"] }
        ],
        "units": units,
    });
    write_json(dir, "round.json", &round, spec.compact, &mut summary)?;
    let mut rng = Rng::new(spec.seed);
    for (i, unit) in round["units"].as_array().into_iter().flatten().enumerate() {
        let id = unit["id"].as_str().unwrap_or_default();
        let mut unit_rng = Rng::new(rng.next_u64() ^ u64::try_from(i).unwrap_or(0));
        write_json(
            dir,
            &format!("assessments/{id}.json"),
            &assessment(id, &leaves, &mut unit_rng, spec.mix),
            spec.compact,
            &mut summary,
        )?;
    }
    Ok(summary)
}
