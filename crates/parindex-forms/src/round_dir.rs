//! The parts of a round folder (SPEC §7) that a form needs: the round, one unit's block and
//! criteria set, and the unit's assessment file. Other units' files are not read, so one
//! agency's broken file does not stop another's form.

use std::path::{Path, PathBuf};

use parindex_assess::Assessment;
use parindex_core::criteria::parse_json;
use parindex_core::{Code, CriteriaSet};
use parindex_rank::{Block, Round, Unit};
use serde_json::Value;

use crate::Error;
use crate::problem::{Problem, Problems};

/// A round folder's round document, read and checked.
#[derive(Debug, Clone)]
pub struct RoundFiles {
    /// The folder.
    pub dir: PathBuf,
    /// Its `round.json`.
    pub round: Round,
}

/// An assessment file found in the round folder.
#[derive(Debug, Clone)]
pub struct AssessmentFile {
    /// Its path.
    pub path: PathBuf,
    /// Its path relative to the round folder, for messages.
    pub name: String,
    /// The parsed document.
    pub doc: Value,
}

impl RoundFiles {
    /// Reads and checks `dir/round.json`.
    pub fn load(dir: &Path) -> Result<RoundFiles, Error> {
        let path = dir.join("round.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::Usage(format!("cannot read the round folder's {}: {e}", path.display())))?;
        let round = Round::from_json(&text).map_err(|d| Problems::from_diagnostics(d).in_file("round.json"))?;
        Ok(RoundFiles { dir: dir.to_path_buf(), round })
    }

    /// The unit with this id and its block.
    pub fn unit(&self, id: &str) -> Option<(&Unit, &Block)> {
        let unit = self.round.unit(id)?;
        let block = self.round.block(&unit.block)?;
        Some((unit, block))
    }

    /// The ids of the round's units, for messages.
    pub fn unit_ids(&self) -> String {
        self.round.units.iter().map(|u| u.id.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// Reads and checks the criteria set of `block`.
    pub fn criteria_set(&self, block: &Block) -> Result<CriteriaSet, Error> {
        let path = self.dir.join(&block.criteria_set);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::Invalid(
                Problem::at(
                    Code::UnknownCriteriaSet,
                    None,
                    format!("cannot read the criteria set {}: {e}", block.criteria_set),
                )
                .in_file("round.json")
                .into(),
            )
        })?;
        CriteriaSet::from_json(&text)
            .map_err(|d| Error::Invalid(Problems::from_diagnostics(d).in_file(&block.criteria_set)))
    }

    /// The id of the criteria set `block` names, read without checking the set (`None` when
    /// the file cannot be read).
    pub fn criteria_set_id(&self, block: &Block) -> Option<String> {
        let text = std::fs::read_to_string(self.dir.join(&block.criteria_set)).ok()?;
        parse_json(&text).ok()?.get("id")?.as_str().map(str::to_owned)
    }

    /// The first file in `assessments/` (in name order) whose `unit` is `unit_id`.
    pub fn find_assessment(&self, unit_id: &str) -> Option<AssessmentFile> {
        let entries = std::fs::read_dir(self.dir.join("assessments")).ok()?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        names.into_iter().find_map(|name| {
            let path = self.dir.join("assessments").join(&name);
            let doc = std::fs::read_to_string(&path).ok().and_then(|t| parse_json(&t).ok())?;
            (Assessment::unit_of(&doc) == Some(unit_id)).then(|| AssessmentFile {
                path,
                name: format!("assessments/{name}"),
                doc,
            })
        })
    }
}

/// The class labels of a block (an assessment's class cap must be one).
pub fn class_labels(block: &Block) -> Vec<String> {
    block.classes.iter().map(|c| c.label.clone()).collect()
}
