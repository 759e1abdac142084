//! The only module that calls the `parindex` facade. Everything else in this crate (the C
//! ABI, the handle registry) and the language bindings under `bindings/` go through the
//! functions here, so an API change in the facade is adapted in this one file.
//!
//! Only the facade's top-level items are used. Two things the facade does not offer are
//! built here from public items, and would be better placed in the facade:
//! - parsing an assessment from JSON text (`Assessment::from_json` takes a
//!   `serde_json::Value`): [`parse_document`], with the same message as the engine's parser;
//! - presenting one unit's row outside a whole round ([`OpenRound::score_unit`]): the same
//!   rounding and classification as the results document (SPEC §8 steps 7–8); a test checks
//!   it against `score_round` for every fixture unit.

use std::path::Path;

use parindex::{
    Assessment, Code, CriteriaSet, Decimal, Diagnostic, Diagnostics, DocumentKind, Error, NodeRow, Round, RoundFolder,
    UnitContext, UnitRow,
};

use crate::{Failure, Source};

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::invalid(d.errors.into_iter().map(crate::Problem::from).collect())
    }
}

impl From<Diagnostic> for crate::Problem {
    fn from(d: Diagnostic) -> Self {
        crate::Problem {
            code: d.code.as_str().to_owned(),
            file: d.file,
            path: d.path,
            criterion: d.criterion,
            message: d.message,
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(d) => d.into(),
            // `Usage` today; after the facade's typed errors (`Io`, `UnknownUnit`, …) every
            // other variant is still a problem with the request rather than with a document.
            #[allow(unreachable_patterns)]
            other => Failure::usage(other.to_string()),
        }
    }
}

impl From<parindex::FolderError> for Failure {
    fn from(e: parindex::FolderError) -> Self {
        Error::from(e).into()
    }
}

/// Parses JSON text into a `serde_json::Value` (numbers keep their exact text); a syntax
/// error is an `input_type` problem at the root, worded as the engine words it.
fn parse_document(text: &str) -> Result<serde_json::Value, Failure> {
    serde_json::from_str(text).map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            Code::InputType,
            "",
            format!("not valid JSON: {e} (line {}, column {})", e.line(), e.column()),
        ))
        .into()
    })
}

/// Reads a round bundle file, worded as `parindex score` words an unreadable round.
fn read_bundle_file(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|source| parindex::FolderError::NotAFolder { path: path.to_owned(), source }.into())
}

/// Loads a round from a bundle text, a bundle file or a folder.
fn load(source: Source<'_>) -> Result<RoundFolder, Failure> {
    match source {
        Source::Bundle(text) => Ok(RoundFolder::from_bundle(text)?),
        Source::Path(path) if path.is_file() => Ok(RoundFolder::from_bundle(&read_bundle_file(path)?)?),
        Source::Path(path) => Ok(RoundFolder::load(path)?),
    }
}

/// The results document, exactly as `parindex score` prints it (with its final newline).
pub(crate) fn score(source: Source<'_>) -> Result<String, Failure> {
    match source {
        // A folder streams, as `parindex score` does.
        Source::Path(path) if !path.is_file() => Ok(parindex::score_folder(path)?.to_json_pretty()),
        _ => Ok(parindex::score_round(&load(source)?).to_json_pretty()),
    }
}

/// What a valid input is, as a JSON object: `{"kind": "round_folder", "units": n,
/// "assessments": m}`, or `{"kind": "criteria_set" | "round" | "assessment"}`.
pub(crate) fn validate(source: Source<'_>, round_dir: Option<&Path>) -> Result<serde_json::Value, Failure> {
    let kind = match source {
        Source::Bundle(text) => {
            let folder = RoundFolder::from_bundle(text)?;
            DocumentKind::RoundFolder { units: folder.round.units.len(), assessments: folder.assessments.len() }
        }
        Source::Path(path) => parindex::validate_path(path, round_dir)?,
    };
    Ok(match kind {
        DocumentKind::RoundFolder { units, assessments } => {
            serde_json::json!({ "kind": "round_folder", "units": units, "assessments": assessments })
        }
        DocumentKind::CriteriaSet => serde_json::json!({ "kind": "criteria_set" }),
        DocumentKind::Round => serde_json::json!({ "kind": "round" }),
        DocumentKind::Assessment => serde_json::json!({ "kind": "assessment" }),
        #[allow(unreachable_patterns)]
        _ => serde_json::json!({ "kind": "other" }),
    })
}

/// One unit explained as text, exactly as `parindex explain` prints it.
pub(crate) fn explain(source: Source<'_>, unit: &str, criterion: Option<&str>) -> Result<String, Failure> {
    let folder = load(source)?;
    Ok(parindex::explain_text(&folder, unit, criterion)?)
}

/// A round opened for live preview: its round document and each block's criteria set,
/// parsed once. Immutable once opened, so one value serves any number of threads at once.
#[derive(Debug)]
pub struct OpenRound {
    round: Round,
    /// Each block's criteria set, parallel to `round.blocks`.
    sets: Vec<CriteriaSet>,
}

impl OpenRound {
    /// Opens a round from a bundle text, a bundle file or a round folder. Every document is
    /// checked, the round's assessments too (an invalid one is reported); they are then
    /// dropped: only the round and its criteria sets are kept.
    pub fn open(source: Source<'_>) -> Result<OpenRound, Failure> {
        let folder = load(source)?;
        Ok(OpenRound { round: folder.round, sets: folder.criteria_sets })
    }

    /// The round's id.
    pub fn id(&self) -> &str {
        &self.round.id
    }

    /// What the host may want to know about the round: `{"id", "title", "units": [ids]}`.
    pub fn summary(&self) -> serde_json::Value {
        let units: Vec<&str> = self.round.units.iter().map(|u| u.id.as_str()).collect();
        serde_json::json!({ "id": self.round.id, "title": self.round.title, "units": units })
    }

    /// Scores one unit's assessment document (JSON text; its `"unit"` names the unit)
    /// against the round: the unit's row as the results document would hold it, pretty
    /// JSON with a final newline, `"rank"` always `null` (a rank needs the whole block).
    pub fn score_unit(&self, assessment: &str) -> Result<String, Failure> {
        let doc = parse_document(assessment)?;
        let unit_id = Assessment::unit_of(&doc).unwrap_or_default().to_owned();
        let Some(unit) = self.round.unit(&unit_id) else {
            let problem = Diagnostic::new(
                Code::UnknownUnit,
                "/unit",
                format!("the round '{}' has no unit '{unit_id}'", self.round.id),
            );
            return Err(Diagnostics::from(problem).into());
        };
        let position = self.round.blocks.iter().position(|b| b.id == unit.block);
        let (Some(block), Some(set)) =
            (position.and_then(|i| self.round.blocks.get(i)), position.and_then(|i| self.sets.get(i)))
        else {
            return Err(Failure::usage(format!("the unit '{unit_id}' names a block that is not in the round")));
        };
        let labels: Vec<String> = block.classes.iter().map(|c| c.label.clone()).collect();
        let assessment = Assessment::from_json(&doc, set, &labels)?;
        drop(doc);
        let ctx = UnitContext {
            unit: &unit.id,
            tags: &unit.tags,
            survey_held: block.survey,
            self_deadline: self.round.self_deadline,
        };
        let result = parindex::score_unit(set, &ctx, Some(&assessment));
        let rounding = self.round.rounding;
        let p = |d: Decimal| rounding.present(d);
        let index = p(result.index());
        let nodes = set
            .nodes()
            .iter()
            .zip(&result.nodes)
            .map(|(node, r)| NodeRow {
                code: node.code.clone(),
                excluded: r.score.is_none(),
                points: r.score.map(|s| p(s.points)),
                max: r.score.map(|s| p(s.max)),
                index: r.index().map(p),
                self_points: r.score.and(r.self_points.map(p)),
                explain: None,
            })
            .collect();
        // Classification (SPEC §8 step 8): the first band the presented index meets, then
        // lowered to the cap when the cap is a worse class.
        let band = block.classes.iter().position(|c| if c.from_inclusive { index >= c.from } else { index > c.from });
        let class = band.and_then(|position| {
            let cap = result.class_cap.as_deref().and_then(|label| block.classes.iter().position(|c| c.label == label));
            block.classes.get(cap.map_or(position, |c| position.max(c))).map(|c| c.label.clone())
        });
        let row = UnitRow {
            unit: result.unit.clone(),
            name: unit.name.clone(),
            status: result.status,
            rank: None,
            class,
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
            findings: result.findings,
            explain: None,
        };
        let mut text = serde_json::to_string_pretty(&row).map_err(|e| Failure::internal(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }
}

/// For tests: every unit row of the results of the round folder `dir`, ranks set to `null`,
/// with the text of the assessment file it was scored from (units that submitted nothing
/// are left out), so that [`OpenRound::score_unit`] can be checked against `score_round`.
#[doc(hidden)]
pub fn rows_for_test(dir: &Path) -> Result<Vec<(String, String)>, Failure> {
    let folder = RoundFolder::load(dir)?;
    let mut texts = std::collections::BTreeMap::new();
    let entries = std::fs::read_dir(dir.join("assessments")).map_err(|e| Failure::usage(e.to_string()))?;
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        if let Some(unit) = Assessment::unit_of(&doc) {
            texts.insert(unit.to_owned(), text);
        }
    }
    let mut out = Vec::new();
    for block in parindex::score_round(&folder).blocks {
        for mut row in block.units {
            let Some(text) = texts.remove(&row.unit) else { continue };
            row.rank = None;
            let mut json = serde_json::to_string_pretty(&row).map_err(|e| Failure::internal(e.to_string()))?;
            json.push('\n');
            out.push((text, json));
        }
    }
    Ok(out)
}
