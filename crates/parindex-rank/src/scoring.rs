//! Scoring a whole round: every unit of every block, presented, classified and ranked.

use std::collections::BTreeMap;
use std::path::Path;

use parindex_assess::{Assessment, UnitContext, UnitResult, index_of, score_unit};
use parindex_core::CriteriaSet;
use rust_decimal::Decimal;

use crate::classify::classify;
use crate::folder::{FolderError, Header, RoundFolder, open, visit_assessments};
use crate::ranking::{RankKey, competition_ranks};
use crate::results::{BlockResults, NodeRow, RESULTS_FORMAT, ResultsDocument, UnitRow};
use crate::round::{Block, Round, TieBreaker, Unit};
use crate::rounding::Rounding;

/// One unit's published row, with the exact index for the `exact` tie-breaker.
#[derive(Debug)]
struct Scored {
    row: UnitRow,
    exact_index: Decimal,
}

/// Scores every unit of a loaded round and builds its results document (SPEC §8, §9).
pub fn score_round(folder: &RoundFolder) -> ResultsDocument {
    let round = &folder.round;
    let mut rows = BTreeMap::new();
    for unit in &round.units {
        let block = round.blocks.iter().position(|b| b.id == unit.block);
        if let Some((block, set)) = block.and_then(|i| round.blocks.get(i).zip(folder.criteria_sets.get(i))) {
            rows.insert(unit.id.clone(), unit_row(round, block, set, unit, folder.assessments.get(&unit.id)));
        }
    }
    publish(round, rows)
}

/// Loads, checks and scores the round folder at `dir` without holding every assessment in
/// memory: each is read, checked, scored and dropped, on every core. Gives the same
/// document as [`RoundFolder::load`] then [`score_round`].
pub fn score_folder(dir: &Path) -> Result<ResultsDocument, FolderError> {
    let (header, mut diags) = open(dir)?;
    let Header { round, criteria_sets, .. } = &header;
    let block_of = |unit: &Unit| round.blocks.iter().position(|b| b.id == unit.block);
    let (mut rows, _) = visit_assessments(
        dir,
        &header,
        |unit, assessment| {
            let i = block_of(unit);
            let (block, set) = i.and_then(|i| round.blocks.get(i).zip(criteria_sets.get(i)?.as_ref()))?;
            Some(unit_row(round, block, set, unit, Some(&assessment)))
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
                    .map(|(block, set)| unit_row(round, block, set, unit, None))
            }
        };
        if let Some(scored) = scored {
            all.insert(unit.id.clone(), scored);
        }
    }
    Ok(publish(round, all))
}

/// Scores one unit and presents its row.
fn unit_row(round: &Round, block: &Block, set: &CriteriaSet, unit: &Unit, assessment: Option<&Assessment>) -> Scored {
    let ctx =
        UnitContext { unit: &unit.id, tags: &unit.tags, survey_held: block.survey, self_deadline: round.self_deadline };
    let result = score_unit(set, &ctx, assessment);
    let row = present(&result, &unit.name, set, round.rounding, block);
    Scored { row, exact_index: result.index() }
}

/// Ranks each block's rows and lists them (by rank, then id; unranked units last, by id).
fn publish(round: &Round, mut rows: BTreeMap<String, Scored>) -> ResultsDocument {
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
    ResultsDocument { format: RESULTS_FORMAT.to_owned(), round: round.id.clone(), blocks }
}

/// One unit's row: every figure rounded once from its exact value.
fn present(result: &UnitResult, name: &str, set: &CriteriaSet, rounding: Rounding, block: &Block) -> UnitRow {
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
            },
            Some(s) => NodeRow {
                code: node.code.clone(),
                excluded: false,
                points: Some(p(s.points)),
                max: Some(p(s.max)),
                index: Some(p(index_of(s.points, s.max))),
                self_points: r.self_points.map(p),
            },
        })
        .collect();
    UnitRow {
        unit: result.unit.clone(),
        name: name.to_owned(),
        status: result.status,
        rank: None,
        class: classify(&block.classes, index, result.class_cap.as_deref()).map(str::to_owned),
        index,
        total: p(result.total),
        max: p(result.max),
        self_total: p(result.self_total),
        appraised_total: p(result.appraised_total),
        survey_total: p(result.survey_total),
        bonus: p(result.bonus),
        penalty: p(result.penalty),
        nodes,
        findings: result.findings.clone(),
    }
}
