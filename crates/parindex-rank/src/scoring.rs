//! Scoring a whole round: every unit of every block, presented, classified and ranked.

use std::collections::BTreeMap;
use std::path::Path;

use parindex_assess::{
    Assessment, EXPLAIN_FORMAT, UnitContext, UnitExplanation, UnitResult, explain_unit, index_of, score_unit,
};
use parindex_core::CriteriaSet;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::classify::{class_band, classify};
use crate::folder::{FolderError, Header, InputFile, RoundFolder, open, readable, visit_assessments};
use crate::ranking::{RankKey, competition_ranks};
use crate::results::{BlockResults, Engine, Inputs, NodeRow, RESULTS_FORMAT, ResultsDocument, UnitRow};
use crate::round::{Block, ClassBand, Round, TieBreaker, Unit};
use crate::rounding::Rounding;

/// One unit's published row, with the exact index for the `exact` tie-breaker.
#[derive(Debug)]
struct Scored {
    row: UnitRow,
    exact_index: Decimal,
}

/// Scores every unit of a loaded round and builds its results document (SPEC §8, §9),
/// stamped with the engine and the SHA-256 of every input file.
pub fn score_round(folder: &RoundFolder) -> ResultsDocument {
    score_loaded(folder, false)
}

/// [`score_round`] with an explanation on every leaf and every unit (`parindex/explain@1`):
/// the same figures, from the same scoring walk, with how each arose.
pub fn score_round_explained(folder: &RoundFolder) -> ResultsDocument {
    score_loaded(folder, true)
}

fn score_loaded(folder: &RoundFolder, explain: bool) -> ResultsDocument {
    let round = &folder.round;
    let mut rows = BTreeMap::new();
    for unit in &round.units {
        let block = round.blocks.iter().position(|b| b.id == unit.block);
        if let Some((block, set)) = block.and_then(|i| round.blocks.get(i).zip(folder.criteria_sets.get(i))) {
            let assessment = folder.assessments.get(&unit.id);
            rows.insert(unit.id.clone(), unit_row(round, block, set, unit, assessment, explain));
        }
    }
    publish(round, rows, folder.files.clone(), explain)
}

/// Loads, checks and scores the round folder at `dir` without holding every assessment in
/// memory: each is read, checked, scored and dropped, on every core. Gives the same
/// document as [`RoundFolder::load`] then [`score_round`].
pub fn score_folder(dir: &Path) -> Result<ResultsDocument, FolderError> {
    let source = readable(dir)?;
    let (header, mut diags) = open(source)?;
    let Header { round, criteria_sets, files, .. } = &header;
    let block_of = |unit: &Unit| round.blocks.iter().position(|b| b.id == unit.block);
    let (mut rows, assessment_files) = visit_assessments(
        source,
        &header,
        |unit, assessment| {
            let i = block_of(unit);
            let (block, set) = i.and_then(|i| round.blocks.get(i).zip(criteria_sets.get(i)?.as_ref()))?;
            Some(unit_row(round, block, set, unit, Some(&assessment), false))
        },
        &mut diags,
    );
    if !diags.is_empty() {
        return Err(FolderError::Invalid(diags));
    }
    let mut all: BTreeMap<String, Scored> = BTreeMap::new();
    for unit in &round.units {
        let scored = match rows.remove(&unit.id) {
            Some(scored) => scored,
            // Submitted nothing: scored with no assessment.
            None => {
                let i = block_of(unit);
                i.and_then(|i| round.blocks.get(i).zip(criteria_sets.get(i)?.as_ref()))
                    .map(|(block, set)| unit_row(round, block, set, unit, None, false))
            }
        };
        if let Some(scored) = scored {
            all.insert(unit.id.clone(), scored);
        }
    }
    let mut inputs = files.clone();
    inputs.extend(assessment_files);
    Ok(publish(round, all, inputs, false))
}

/// Scores one unit of a round alone and presents its row as the results document would
/// hold it (SPEC §8 steps 1–8: rounded once, classified, capped), with `rank` left `None`:
/// a rank needs the whole block. What a live preview shows for one unit.
pub fn score_unit_row(
    round: &Round,
    block: &Block,
    set: &CriteriaSet,
    unit: &Unit,
    assessment: Option<&Assessment>,
) -> UnitRow {
    unit_row(round, block, set, unit, assessment, false).row
}

/// Scores one unit and presents its row, with its explanation if asked.
fn unit_row(
    round: &Round,
    block: &Block,
    set: &CriteriaSet,
    unit: &Unit,
    assessment: Option<&Assessment>,
    explain: bool,
) -> Scored {
    let ctx =
        UnitContext { unit: &unit.id, tags: &unit.tags, survey_held: block.survey, self_deadline: round.self_deadline };
    let rounding = round.rounding;
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
    Scored { row, exact_index: result.index() }
}

/// Ranks each block's rows and lists them (by rank, then id; unranked units last, by id),
/// stamped with the engine and the input files.
fn publish(
    round: &Round,
    mut rows: BTreeMap<String, Scored>,
    inputs: Vec<InputFile>,
    explain: bool,
) -> ResultsDocument {
    let mut blocks = Vec::with_capacity(round.blocks.len());
    for block in &round.blocks {
        let mut ranked = Vec::new();
        let mut keys = Vec::new();
        let mut unranked = Vec::new();
        for unit in round.units.iter().filter(|u| u.block == block.id) {
            let Some(Scored { row, exact_index }) = rows.remove(&unit.id) else { continue };
            if unit.ranked {
                keys.push(RankKey {
                    index: row.index,
                    tie_breakers: block
                        .tie_breakers
                        .iter()
                        .map(|t| match t {
                            TieBreaker::Survey => row.survey_total,
                            TieBreaker::Appraised => row.appraised_total,
                            TieBreaker::Exact => exact_index,
                        })
                        .collect(),
                });
                ranked.push(row);
            } else {
                unranked.push(row);
            }
        }
        for (row, rank) in ranked.iter_mut().zip(competition_ranks(&keys)) {
            row.rank = Some(rank);
        }
        ranked.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.unit.cmp(&b.unit)));
        unranked.sort_by(|a, b| a.unit.cmp(&b.unit));
        ranked.extend(unranked);
        blocks.push(BlockResults { id: block.id.clone(), units: ranked });
    }
    ResultsDocument {
        format: RESULTS_FORMAT.to_owned(),
        round: round.id.clone(),
        engine: Some(Engine::this()),
        inputs: Inputs(inputs),
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
