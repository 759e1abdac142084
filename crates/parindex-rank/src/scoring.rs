//! Scoring a whole round: every unit of every block, presented, classified and ranked.

use parindex_assess::{EXPLAIN_FORMAT, UnitContext, UnitExplanation, UnitResult, explain_unit, index_of, score_unit};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::classify::{class_band, classify};
use crate::folder::RoundFolder;
use crate::ranking::{RankKey, competition_ranks};
use crate::results::{BlockResults, Engine, Inputs, NodeRow, RESULTS_FORMAT, ResultsDocument, UnitRow};
use crate::round::{ClassBand, TieBreaker};
use crate::rounding::Rounding;

/// Scores every unit of a loaded round and builds its results document (SPEC §8, §9),
/// stamped with the engine and the SHA-256 of every input file.
pub fn score_round(folder: &RoundFolder) -> ResultsDocument {
    score(folder, false)
}

/// [`score_round`] with an explanation on every leaf and every unit (`parindex/explain@1`):
/// the same figures, from the same scoring walk, with how each arose.
pub fn score_round_explained(folder: &RoundFolder) -> ResultsDocument {
    score(folder, true)
}

fn score(folder: &RoundFolder, explain: bool) -> ResultsDocument {
    let round = &folder.round;
    let rounding = round.rounding;
    let mut blocks = Vec::with_capacity(round.blocks.len());
    for (block, set) in round.blocks.iter().zip(&folder.criteria_sets) {
        let mut rows = Vec::new();
        let mut keys = Vec::new();
        let mut ranked_rows = Vec::new();
        for unit in round.units.iter().filter(|u| u.block == block.id) {
            let ctx = UnitContext {
                unit: &unit.id,
                tags: &unit.tags,
                survey_held: block.survey,
                self_deadline: round.self_deadline,
            };
            let assessment = folder.assessments.get(&unit.id);
            let (result, explanation) = if explain {
                let (r, e) = explain_unit(set, &ctx, assessment);
                (r, Some(e))
            } else {
                (score_unit(set, &ctx, assessment), None)
            };
            let mut row = present(&result, &unit.name, set, rounding, &block.classes);
            if let Some(e) = &explanation {
                add_explanation(&mut row, &result, e, rounding, &block.classes);
            }
            if unit.ranked {
                keys.push(RankKey {
                    index: row.index,
                    tie_breakers: block
                        .tie_breakers
                        .iter()
                        .map(|t| match t {
                            TieBreaker::Survey => row.survey_total,
                            TieBreaker::Appraised => row.appraised_total,
                            TieBreaker::Exact => result.index(),
                        })
                        .collect(),
                });
                ranked_rows.push(row);
            } else {
                rows.push(row);
            }
        }
        let ranks = competition_ranks(&keys);
        for (row, rank) in ranked_rows.iter_mut().zip(ranks) {
            row.rank = Some(rank);
        }
        ranked_rows.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.unit.cmp(&b.unit)));
        rows.sort_by(|a, b| a.unit.cmp(&b.unit));
        ranked_rows.extend(rows);
        blocks.push(BlockResults { id: block.id.clone(), units: ranked_rows });
    }
    ResultsDocument {
        format: RESULTS_FORMAT.to_owned(),
        round: round.id.clone(),
        engine: Some(Engine::this()),
        inputs: Inputs(folder.files.clone()),
        previous_round: None,
        explain_format: explain.then(|| EXPLAIN_FORMAT.to_owned()),
        blocks,
    }
}

/// One unit's row: every figure rounded once from its exact value.
fn present(
    result: &UnitResult,
    name: &str,
    set: &parindex_core::CriteriaSet,
    rounding: Rounding,
    classes: &[ClassBand],
) -> UnitRow {
    let p = |d: Decimal| rounding.present(d);
    let index = p(result.index());
    let nodes = set
        .nodes()
        .iter()
        .zip(&result.nodes)
        .map(|(node, r)| match r.score {
            None => NodeRow {
                code: node.code.clone(),
                excluded: true,
                points: None,
                max: None,
                index: None,
                self_points: None,
                explain: None,
            },
            Some(s) => NodeRow {
                code: node.code.clone(),
                excluded: false,
                points: Some(p(s.points)),
                max: Some(p(s.max)),
                index: Some(p(index_of(s.points, s.max))),
                self_points: r.self_points.map(p),
                explain: None,
            },
        })
        .collect();
    UnitRow {
        unit: result.unit.clone(),
        name: name.to_owned(),
        status: result.status,
        rank: None,
        class: classify(classes, index, result.class_cap.as_deref()).map(str::to_owned),
        index,
        total: p(result.total),
        max: p(result.max),
        self_total: p(result.self_total),
        appraised_total: p(result.appraised_total),
        survey_total: p(result.survey_total),
        bonus: p(result.bonus),
        penalty: p(result.penalty),
        previous: None,
        change: None,
        nodes,
        findings: result.findings.clone(),
        explain: None,
    }
}

fn dec(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

/// Puts each leaf's explanation on its node row and the arithmetic of the totals, the index
/// and the class on the unit row.
fn add_explanation(
    row: &mut UnitRow,
    result: &UnitResult,
    explanation: &UnitExplanation,
    rounding: Rounding,
    classes: &[ClassBand],
) {
    for (node, leaf) in row.nodes.iter_mut().zip(&explanation.leaves) {
        node.explain = leaf.as_ref().and_then(|l| serde_json::to_value(l).ok()).map(Box::new);
    }
    let sum = result.appraised_total + result.survey_total + result.bonus - result.penalty;
    let band = class_band(classes, row.index).and_then(|i| classes.get(i));
    let mut class = Map::new();
    class.insert("index".into(), Value::String(row.index.to_string()));
    class.insert(
        "band".into(),
        band.map_or(
            Value::Null,
            |b| json!({ "label": b.label, "from": b.from.to_string(), "from_inclusive": b.from_inclusive }),
        ),
    );
    class.insert("cap".into(), result.class_cap.clone().map_or(Value::Null, Value::String));
    class.insert("class".into(), row.class.clone().map_or(Value::Null, Value::String));
    row.explain = Some(Box::new(json!({
        "bonus": serde_json::to_value(&explanation.bonus).unwrap_or(Value::Null),
        "penalty": serde_json::to_value(&explanation.penalty).unwrap_or(Value::Null),
        "totals": {
            "self_total": dec(result.self_total),
            "appraised_total": dec(result.appraised_total),
            "survey_total": dec(result.survey_total),
            "bonus": dec(result.bonus),
            "penalty": dec(result.penalty),
            "sum": dec(sum),
            "max": dec(result.max),
            "total": dec(result.total),
            "clamped": sum != result.total,
            "index": dec(result.index()),
            "presented_index": Value::String(rounding.present(result.index()).to_string()),
            "rounding": { "decimals": rounding.decimals, "mode": rounding.mode.as_str() },
        },
        "class": Value::Object(class),
    })));
}
