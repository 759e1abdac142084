//! Checking a round folder or a single document (`parindex validate`).
//!
//! A document is checked as loading its round folder checks it, so that a problem has the
//! same code whether the folder or the file is validated.

use std::path::Path;

use parindex_core::{Code, Diagnostic, Diagnostics};

use crate::limits::{self, Limits};
use crate::{ASSESSMENT_FORMAT, CRITERIA_SET_FORMAT, CriteriaSet, Error, ROUND_FORMAT, Round, RoundFolder, json};

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
/// by its `format`). An assessment is checked against its round folder — `round_dir`, or
/// else the folder above its `assessments/` folder — as loading that folder checks it, with
/// the problems of the folder's `round.json` and of the criteria set of the unit's block.
///
/// # Errors
///
/// [`Error::Invalid`] with every problem found; [`Error::Io`] when the file cannot be read,
/// [`Error::NotAFolder`] when the folder cannot.
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
    let bytes =
        limits::read_file(path, &limits).map_err(|e| Error::Io { path: path.to_path_buf(), source: e.into() })?;
    let in_file = |d: Diagnostics| Error::Invalid(d.in_file(&name));
    let doc = parindex_core::reader::parse_bytes(&bytes).map_err(in_file)?;
    match doc.get("format").and_then(json::Value::as_str) {
        Some(CRITERIA_SET_FORMAT) => {
            CriteriaSet::from_document(&doc).map(|_| DocumentKind::CriteriaSet).map_err(in_file)
        }
        Some(ROUND_FORMAT) => Round::from_document(&doc).map(|_| DocumentKind::Round).map_err(in_file),
        Some(ASSESSMENT_FORMAT) => {
            drop(doc);
            validate_assessment(&bytes, &name, path, round_dir, limits)
        }
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
    bytes: &[u8],
    name: &str,
    path: &Path,
    round_dir: Option<&Path>,
    limits: Limits,
) -> Result<DocumentKind, Error> {
    let dir = match round_dir {
        Some(d) => d.to_path_buf(),
        None => path.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default(),
    };
    let dir = if dir.as_os_str().is_empty() { Path::new(".").to_path_buf() } else { dir };
    // The folder's loader says the same (`input_type` in round.json); this also says where
    // it looked and how to point elsewhere.
    if let Err(e) = limits::read_file(&dir.join("round.json"), &limits) {
        let message = format!("cannot read the round folder's round.json in {} ({e}): pass --round DIR", dir.display());
        return Err(Error::Invalid(Diagnostic::new(Code::InputType, "", message).in_file("round.json").into()));
    }
    RoundFolder::check_assessment_with_limits(&dir, bytes, name, limits)?;
    Ok(DocumentKind::Assessment)
}
