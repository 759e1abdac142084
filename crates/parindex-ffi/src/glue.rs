//! The only module that calls the `parindex` facade. Everything else in this crate (the C
//! ABI, the handle registry) and the language bindings under `bindings/` go through the
//! functions here, so an API change in the facade is adapted in this one file.
//!
//! Only the facade's top-level items are used; live preview is the facade's [`Preview`].

use std::path::Path;

use parindex::{Diagnostic, Diagnostics, DocumentKind, Error, Preview, RoundFolder};

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
            // Every other variant (`Io`, `NotAFolder`, `UnknownUnit`, …) is a problem with the
            // request rather than with a document: the command line's usage errors.
            other => Failure::usage(other.to_string()),
        }
    }
}

impl From<parindex::FolderError> for Failure {
    fn from(e: parindex::FolderError) -> Self {
        Error::from(e).into()
    }
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

/// A round opened for live preview: the facade's [`Preview`] (its round document and each
/// block's criteria set, parsed once). Immutable once opened, so one value serves any
/// number of threads at once.
#[derive(Debug)]
pub struct OpenRound {
    preview: Preview,
}

impl OpenRound {
    /// Opens a round from a bundle text, a bundle file or a round folder. Every document is
    /// checked, the round's assessments too (an invalid one is reported); they are then
    /// dropped: only the round and its criteria sets are kept.
    pub fn open(source: Source<'_>) -> Result<OpenRound, Failure> {
        Ok(OpenRound { preview: Preview::new(load(source)?) })
    }

    /// The round's id.
    pub fn id(&self) -> &str {
        &self.preview.round().id
    }

    /// What the host may want to know about the round: `{"id", "title", "units": [ids]}`.
    pub fn summary(&self) -> serde_json::Value {
        let round = self.preview.round();
        let units: Vec<&str> = round.units.iter().map(|u| u.id.as_str()).collect();
        serde_json::json!({ "id": round.id, "title": round.title, "units": units })
    }

    /// Scores one unit's assessment document (JSON text; its `"unit"` names the unit)
    /// against the round: the unit's row as the results document would hold it, pretty
    /// JSON with a final newline, `"rank"` always `null` (a rank needs the whole block).
    pub fn score_unit(&self, assessment: &str) -> Result<String, Failure> {
        let row = self.preview.score_unit(assessment)?;
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
        if let Some(unit) = doc.get("unit").and_then(serde_json::Value::as_str) {
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
