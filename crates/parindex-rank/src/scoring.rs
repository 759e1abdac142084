//! Scoring a whole round: every unit of every block, presented, classified and ranked.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use parindex_assess::{
    Assessment, EXPLAIN_FORMAT, UnitContext, UnitExplanation, UnitResult, explain_unit, index_of, score_unit,
};
use parindex_core::CriteriaSet;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::classify::{class_band, classify};
use crate::folder::{FolderError, Header, InputFile, RoundFolder, open, readable, visit_assessments};
use crate::limits::Limits;
use crate::packed::{Figures, NodeCodes, PackedBlock, PackedResults, PackedRow};
use crate::ranking::{RankKey, competition_ranks};
use crate::results::{BlockResults, ClassCapRow, Engine, Inputs, RESULTS_FORMAT, ResultsDocument, UnitRow};
use crate::round::{Block, ClassBand, Round, TieBreaker, Unit};
use crate::rounding::Rounding;

/// One unit's published row, with the exact index for the `exact` tie-breaker.
#[derive(Debug)]
struct Scored<R = UnitRow> {
    row: R,
    exact_index: Decimal,
}

/// A row as ranking sees it: its unit-level fields.
trait Ranked {
    fn head(&self) -> &UnitRow;
    fn head_mut(&mut self) -> &mut UnitRow;
}

impl Ranked for UnitRow {
    fn head(&self) -> &UnitRow {
        self
    }
    fn head_mut(&mut self) -> &mut UnitRow {
        self
    }
}

impl Ranked for PackedRow {
    fn head(&self) -> &UnitRow {
        PackedRow::head(self)
    }
    fn head_mut(&mut self) -> &mut UnitRow {
        PackedRow::head_mut(self)
    }
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
    score_folder_with_limits(dir, Limits::default())
}

/// [`score_folder`] within `limits` (a larger document size than the default, for
/// instance).
pub fn score_folder_with_limits(dir: &Path, limits: Limits) -> Result<ResultsDocument, FolderError> {
    let (round, blocks, inputs) = score_streamed(dir, limits, |mut row, figures, set, _| {
        row.nodes = set.nodes().iter().zip(figures).map(|(node, f)| f.row(node.code.clone())).collect();
        row
    })?;
    Ok(ResultsDocument {
        format: RESULTS_FORMAT.to_owned(),
        round: round.id,
        engine: Some(Engine::this()),
        inputs: Inputs(inputs),
        previous_round: None,
        explain_format: None,
        blocks: blocks.into_iter().map(|(id, units)| BlockResults { id, units }).collect(),
    })
}

/// [`score_folder_with_limits`] keeping the rows packed until they are written: what
/// `parindex score` uses, so that a round's rows take a fraction of the memory a
/// [`ResultsDocument`] holds them in. The text written is the same, byte for byte.
pub fn score_folder_compact(dir: &Path, limits: Limits) -> Result<CompactResults, FolderError> {
    let (round, blocks, inputs) =
        score_streamed(dir, limits, |head, figures, _, codes| PackedRow::pack(head, figures, codes))?;
    Ok(CompactResults(PackedResults {
        format: RESULTS_FORMAT.to_owned(),
        round: round.id,
        engine: Some(Engine::this()),
        inputs: Inputs(inputs),
        previous_round: None,
        explain_format: None,
        blocks: blocks.into_iter().map(|(id, units)| PackedBlock { id, units }).collect(),
    }))
}

/// Each block's ranked rows with the round and the files read.
type Streamed<R> = (Round, Vec<(String, Vec<R>)>, Vec<InputFile>);

/// Loads, checks and scores the round folder at `dir` one assessment at a time on every
/// core, each unit's row kept as `keep` makes it (given the codes of its block's nodes).
fn score_streamed<R: Ranked + Send>(
    dir: &Path,
    limits: Limits,
    keep: impl Fn(UnitRow, &[Figures], &CriteriaSet, &Arc<NodeCodes>) -> R + Sync,
) -> Result<Streamed<R>, FolderError> {
    let source = readable(dir, limits)?;
    let (header, mut diags) = open(source)?;
    let Header { round, criteria_sets, files, .. } = &header;
    let block_of = |unit: &Unit| round.blocks.iter().position(|b| b.id == unit.block);
    let codes: Vec<Option<Arc<NodeCodes>>> = criteria_sets.iter().map(|set| set.as_ref().map(NodeCodes::of)).collect();
    let row_of = |unit: &Unit, assessment: Option<&Assessment>| -> Option<Scored<R>> {
        let i = block_of(unit)?;
        let (block, set) = round.blocks.get(i).zip(criteria_sets.get(i)?.as_ref())?;
        let codes = codes.get(i)?.as_ref()?;
        let ctx = UnitContext {
            unit: &unit.id,
            tags: &unit.tags,
            survey_held: block.survey,
            self_deadline: round.self_deadline,
        };
        let mut result = score_unit(set, &ctx, assessment);
        let mut head = present_head(&result, &unit.name, round.rounding, &block.classes);
        head.findings = std::mem::take(&mut result.findings);
        let figures: Vec<Figures> = figures(&result, round.rounding).collect();
        Some(Scored { row: keep(head, &figures, set, codes), exact_index: result.index() })
    };
    let (mut rows, assessment_files) =
        visit_assessments(source, &header, |unit, assessment| row_of(unit, Some(&assessment)), &mut diags);
    if !diags.is_empty() {
        return Err(FolderError::Invalid(diags));
    }
    let mut all: BTreeMap<String, Scored<R>> = BTreeMap::new();
    for unit in &round.units {
        // A unit that submitted nothing is scored with no assessment.
        let scored = rows.remove(&unit.id).unwrap_or_else(|| row_of(unit, None));
        if let Some(scored) = scored {
            all.insert(unit.id.clone(), scored);
        }
    }
    let mut inputs = files.clone();
    inputs.extend(assessment_files);
    let blocks = rank_blocks(round, all);
    Ok((header.round, blocks, inputs))
}

/// A scored round whose rows are held packed ([`score_folder_compact`]): written exactly as
/// its [`ResultsDocument`] would be, or turned into it.
#[derive(Debug)]
pub struct CompactResults(PackedResults);

impl CompactResults {
    /// Writes the results document's text ([`ResultsDocument::write_json_pretty`]), the rows
    /// unpacked a batch at a time.
    pub fn write_json_pretty(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        crate::pretty::WritePretty::write_pretty(&self.0, out, 0)?;
        out.write_all(b"\n")
    }

    /// Writes the results as newline-delimited JSON ([`crate::write_results_ndjson`]).
    pub fn write_ndjson(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let blocks: Vec<(&str, &[PackedRow])> =
            self.0.blocks.iter().map(|b| (b.id.as_str(), b.units.as_slice())).collect();
        crate::ndjson::write_blocks(&blocks, out)
    }

    /// The results document, every row unpacked.
    pub fn into_document(self) -> ResultsDocument {
        self.0.into_document()
    }
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
fn publish(round: &Round, rows: BTreeMap<String, Scored>, inputs: Vec<InputFile>, explain: bool) -> ResultsDocument {
    ResultsDocument {
        format: RESULTS_FORMAT.to_owned(),
        round: round.id.clone(),
        engine: Some(Engine::this()),
        inputs: Inputs(inputs),
        previous_round: None,
        explain_format: explain.then(|| EXPLAIN_FORMAT.to_owned()),
        blocks: rank_blocks(round, rows).into_iter().map(|(id, units)| BlockResults { id, units }).collect(),
    }
}

/// Each block's rows, ranked and listed: by rank, then id; unranked units last, by id.
fn rank_blocks<R: Ranked>(round: &Round, mut rows: BTreeMap<String, Scored<R>>) -> Vec<(String, Vec<R>)> {
    let mut blocks = Vec::with_capacity(round.blocks.len());
    for block in &round.blocks {
        let mut ranked = Vec::new();
        let mut keys = Vec::new();
        let mut unranked = Vec::new();
        for unit in round.units.iter().filter(|u| u.block == block.id) {
            let Some(Scored { row, exact_index }) = rows.remove(&unit.id) else { continue };
            if unit.ranked {
                let head = row.head();
                keys.push(RankKey {
                    index: head.index,
                    tie_breakers: block
                        .tie_breakers
                        .iter()
                        .map(|t| match t {
                            TieBreaker::Survey => head.survey_total,
                            TieBreaker::Appraised => head.appraised_total,
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
            row.head_mut().rank = Some(rank);
        }
        ranked.sort_by(|a, b| a.head().rank.cmp(&b.head().rank).then_with(|| a.head().unit.cmp(&b.head().unit)));
        unranked.sort_by(|a, b| a.head().unit.cmp(&b.head().unit));
        ranked.extend(unranked);
        blocks.push((block.id.clone(), ranked));
    }
    blocks
}

/// One unit's row: every figure rounded once from its exact value.
fn present(
    result: &UnitResult,
    name: &str,
    set: &parindex_core::CriteriaSet,
    rounding: Rounding,
    classes: &[ClassBand],
) -> UnitRow {
    let mut row = present_head(result, name, rounding, classes);
    row.findings.clone_from(&result.findings);
    row.nodes = set.nodes().iter().zip(figures(result, rounding)).map(|(node, f)| f.row(node.code.clone())).collect();
    row
}

/// Each node's figures, rounded once from their exact values, in the set's order.
fn figures(result: &UnitResult, rounding: Rounding) -> impl Iterator<Item = Figures> + '_ {
    let p = move |d: Decimal| rounding.present(d);
    result.nodes.iter().map(move |r| match r.score {
        None => Figures { excluded: true, ..Figures::default() },
        Some(s) => Figures {
            excluded: false,
            points: Some(p(s.points)),
            max: Some(p(s.max)),
            index: Some(p(index_of(s.points, s.max))),
            self_points: r.self_points.map(p),
        },
    })
}

/// A unit's row without its nodes and findings: its figures, class and cap.
fn present_head(result: &UnitResult, name: &str, rounding: Rounding, classes: &[ClassBand]) -> UnitRow {
    let p = |d: Decimal| rounding.present(d);
    let index = p(result.index());
    let class = classify(classes, index, result.class_cap.as_ref().map(|c| c.label.as_str()));
    UnitRow {
        unit: result.unit.clone(),
        name: name.to_owned(),
        status: result.status,
        rank: None,
        class: class.map(str::to_owned),
        class_cap: result.class_cap.as_ref().map(|c| ClassCapRow {
            label: c.label.clone(),
            reason: c.reason.clone(),
            applied: class != classify(classes, index, None),
        }),
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
        nodes: Vec::new(),
        findings: Vec::new(),
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
    class.insert("cap".into(), result.class_cap.as_ref().map_or(Value::Null, |c| Value::String(c.label.clone())));
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
