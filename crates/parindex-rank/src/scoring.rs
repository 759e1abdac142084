//! Scoring a whole round: every unit of every block, presented, classified and ranked.

use parindex_assess::{UnitContext, UnitResult, index_of, score_unit};
use rust_decimal::Decimal;

use crate::classify::classify;
use crate::folder::RoundFolder;
use crate::ranking::{RankKey, competition_ranks};
use crate::results::{BlockResults, NodeRow, RESULTS_FORMAT, ResultsDocument, UnitRow};
use crate::round::TieBreaker;
use crate::rounding::Rounding;

/// Scores every unit of a loaded round and builds its results document (SPEC §8, §9).
pub fn score_round(folder: &RoundFolder) -> ResultsDocument {
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
            let result = score_unit(set, &ctx, folder.assessments.get(&unit.id));
            let row = present(&result, &unit.name, set, rounding, &block.classes);
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
    ResultsDocument { format: RESULTS_FORMAT.to_owned(), round: round.id.clone(), blocks }
}

/// One unit's row: every figure rounded once from its exact value.
fn present(
    result: &UnitResult,
    name: &str,
    set: &parindex_core::CriteriaSet,
    rounding: Rounding,
    classes: &[crate::round::ClassBand],
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
        class: classify(classes, index, result.class_cap.as_deref()).map(str::to_owned),
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
