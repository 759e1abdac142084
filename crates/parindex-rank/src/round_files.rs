//! One unit's part of a round folder (SPEC §7): the round, the criteria set of the unit's
//! block, and the unit's assessment file, read without the rest of the folder, so that one
//! agency's broken file does not stop work on another's (a form, a lone assessment checked).
//! [`crate::RoundFolder`] reads and checks the whole folder.

use std::path::{Path, PathBuf};

use parindex_assess::Assessment;
use parindex_core::criteria::parse_json;
use parindex_core::{CriteriaSet, Diagnostics};
use serde_json::Value;

use crate::limits::{self, Limits};
use crate::round::{Block, Round, Unit};

/// Why a part of a round folder could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RoundFilesError {
    /// A file (`round.json`, a criteria set) cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The document is invalid; every problem is listed, naming its file.
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// A round folder's round document, read and checked, for reading one unit's files.
#[derive(Debug, Clone)]
pub struct RoundFiles {
    /// The folder.
    pub dir: PathBuf,
    /// Its `round.json`.
    pub round: Round,
    /// The bounds every file of the folder is read within (docs/limits.md).
    pub limits: Limits,
}

/// An assessment file found in the round folder.
#[derive(Debug, Clone)]
pub struct AssessmentFile {
    /// Its path.
    pub path: PathBuf,
    /// Its path relative to the round folder, for messages (`assessments/so-noi-vu.json`).
    pub name: String,
    /// The parsed document.
    pub doc: Value,
}

impl RoundFiles {
    /// Reads and checks `dir/round.json` (its problems name the file `round.json`).
    pub fn load(dir: &Path) -> Result<RoundFiles, RoundFilesError> {
        Self::load_with_limits(dir, Limits::default())
    }

    /// [`RoundFiles::load`], reading this and every later file within `limits`: only regular
    /// files, inside the folder, of at most `limits.max_document_size` bytes.
    pub fn load_with_limits(dir: &Path, limits: Limits) -> Result<RoundFiles, RoundFilesError> {
        let path = dir.join("round.json");
        let text =
            limits::read_to_string(&path, &limits).map_err(|e| RoundFilesError::Io { path, source: e.into() })?;
        let round = Round::from_json(&text).map_err(|d| RoundFilesError::Invalid(d.in_file("round.json")))?;
        Ok(RoundFiles { dir: dir.to_path_buf(), round, limits })
    }

    /// The text of the file `relative` of the folder, read within the limits.
    fn read_text(&self, relative: &str) -> Result<String, limits::ReadError> {
        let path = limits::inside(&self.dir, relative)?;
        limits::read_to_string(&path, &self.limits)
    }

    /// The unit with this id and its block.
    pub fn unit(&self, id: &str) -> Option<(&Unit, &Block)> {
        let unit = self.round.unit(id)?;
        let block = self.round.block(&unit.block)?;
        Some((unit, block))
    }

    /// The ids of the round's units, comma-separated, for messages.
    pub fn unit_ids(&self) -> String {
        self.round.units.iter().map(|u| u.id.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// Reads and checks the criteria set of `block` (its problems name the set's file).
    pub fn criteria_set(&self, block: &Block) -> Result<CriteriaSet, RoundFilesError> {
        let text = self
            .read_text(&block.criteria_set)
            .map_err(|e| RoundFilesError::Io { path: self.dir.join(&block.criteria_set), source: e.into() })?;
        CriteriaSet::from_json(&text).map_err(|d| RoundFilesError::Invalid(d.in_file(&block.criteria_set)))
    }

    /// The id of the criteria set `block` names, read without checking the set (`None` when
    /// the file cannot be read).
    pub fn criteria_set_id(&self, block: &Block) -> Option<String> {
        let text = self.read_text(&block.criteria_set).ok()?;
        parse_json(&text).ok()?.get("id")?.as_str().map(str::to_owned)
    }

    /// The first file in `assessments/` (in name order) whose `unit` is `unit_id`.
    pub fn find_assessment(&self, unit_id: &str) -> Option<AssessmentFile> {
        let mut names = limits::list_folder(&self.dir.join("assessments")).ok()?;
        names.retain(|n| n.ends_with(".json"));
        names.sort();
        names.into_iter().find_map(|name| {
            let path = self.dir.join("assessments").join(&name);
            let doc = self.read_text(&format!("assessments/{name}")).ok().and_then(|t| parse_json(&t).ok())?;
            (Assessment::unit_of(&doc) == Some(unit_id)).then(|| AssessmentFile {
                path,
                name: format!("assessments/{name}"),
                doc,
            })
        })
    }
}
