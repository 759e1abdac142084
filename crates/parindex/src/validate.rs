//! Checking a round folder or a single document (`parindex validate`).

use std::path::Path;

use parindex_core::criteria::parse_json;
use parindex_core::{Code, Diagnostic, Diagnostics};

use parindex_rank::limits::{self, Limits};

use crate::{Assessment, CriteriaSet, Error, Round, RoundFolder};

/// What was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentKind {
    /// A round folder, with its number of units and of assessments.
    RoundFolder {
        /// Units in the round.
        units: usize,
        /// Assessment files read.
        assessments: usize,
    },
    /// A criteria-set file.
    CriteriaSet,
    /// A round file, on its own.
    Round,
    /// An assessment file, checked against the round folder it lives in.
    Assessment,
}

/// Checks `path`: a round folder, or one criteria-set, round or assessment file (told apart
/// by its `format`). An assessment is checked against the criteria set of its unit's block,
/// found through `round_dir` or else the folder above its `assessments/` folder.
pub fn validate_path(path: &Path, round_dir: Option<&Path>) -> Result<DocumentKind, Error> {
    validate_path_with_limits(path, round_dir, Limits::default())
}

/// [`validate_path`] within `limits` (a larger document size than the default, for
/// instance). Only regular files are read (docs/limits.md).
pub fn validate_path_with_limits(path: &Path, round_dir: Option<&Path>, limits: Limits) -> Result<DocumentKind, Error> {
    if path.is_dir() {
        let folder = RoundFolder::load_with_limits(path, limits)?;
        return Ok(DocumentKind::RoundFolder {
            units: folder.round.units.len(),
            assessments: folder.assessments.len(),
        });
    }
    let name = path.display().to_string();
    let text = limits::read_to_string(path, &limits).map_err(|e| Error::Usage(format!("cannot read {name}: {e}")))?;
    let in_file = |d: Diagnostics| Error::Invalid(d.in_file(&name));
    let doc = parse_json(&text).map_err(in_file)?;
    match doc.get("format").and_then(|f| f.as_str()) {
        Some(parindex_core::criteria::FORMAT) => {
            CriteriaSet::from_json(&doc).map(|_| DocumentKind::CriteriaSet).map_err(in_file)
        }
        Some(parindex_rank::ROUND_FORMAT) => Round::from_json(&doc).map(|_| DocumentKind::Round).map_err(in_file),
        Some(parindex_assess::FORMAT) => validate_assessment(&doc, path, round_dir, limits).map_err(in_file),
        _ => Err(in_file(
            Diagnostic::new(
                Code::InputType,
                "/format",
                "the document's \"format\" must be parindex/criteria-set@1, parindex/round@1 or parindex/assessment@1",
            )
            .into(),
        )),
    }
}

fn validate_assessment(
    doc: &serde_json::Value,
    path: &Path,
    round_dir: Option<&Path>,
    limits: Limits,
) -> Result<DocumentKind, Diagnostics> {
    let dir = match round_dir {
        Some(d) => d.to_path_buf(),
        None => path.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default(),
    };
    let fail = |message: String| -> Diagnostics { Diagnostic::new(Code::UnknownUnit, "/unit", message).into() };
    let round_text = limits::read_to_string(&dir.join("round.json"), &limits).map_err(|e| {
        fail(format!("cannot read the round folder's round.json in {} ({e}): pass --round DIR", dir.display()))
    })?;
    let round = Round::from_json_text(&round_text)?;
    let unit_id = Assessment::unit_of(doc)
        .ok_or_else(|| fail("the assessment does not say which unit it is for (\"unit\")".into()))?;
    let unit =
        round.unit(unit_id).ok_or_else(|| fail(format!("'{unit_id}' is not a unit of the round '{}'", round.id)))?;
    let block = round.block(&unit.block).ok_or_else(|| fail(format!("unit '{unit_id}' names an unknown block")))?;
    let set_text = limits::inside(&dir, &block.criteria_set)
        .and_then(|p| limits::read_to_string(&p, &limits))
        .map_err(|e| fail(format!("cannot read the criteria set {}: {e}", block.criteria_set)))?;
    let set = CriteriaSet::from_json_text(&set_text).map_err(|d| d.in_file(&block.criteria_set))?;
    let labels: Vec<String> = block.classes.iter().map(|c| c.label.clone()).collect();
    Assessment::from_json(doc, &set, &labels).map(|_| DocumentKind::Assessment)
}
