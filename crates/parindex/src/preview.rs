//! Live preview: one unit scored against a round opened once, as an agency fills in its
//! assessment (the embedding API's `Round.score_unit`).

use parindex_core::{Code, CriteriaSet, Diagnostic};
use parindex_rank::{Round, RoundFolder, UnitRow, score_unit_row};

use crate::{Assessment, Error, json};

/// A round opened for live preview: its round document and each block's criteria set, read
/// and checked once. Immutable, so one value serves any number of threads at once.
///
/// ```no_run
/// let folder = parindex::RoundFolder::load(std::path::Path::new("fixtures/dong-thap-2023"))?;
/// let preview = parindex::Preview::new(folder);
/// let text = std::fs::read_to_string("fixtures/dong-thap-2023/assessments/so-tai-chinh.json")?;
/// let row = preview.score_unit(&text)?;
/// println!("{} {:?}", row.index, row.class);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Preview {
    round: Round,
    /// Each block's criteria set, parallel to `round.blocks`.
    criteria_sets: Vec<CriteriaSet>,
}

impl Preview {
    /// Keeps a loaded round's round document and criteria sets; its assessments are dropped.
    pub fn new(folder: RoundFolder) -> Preview {
        Preview { round: folder.round, criteria_sets: folder.criteria_sets }
    }

    /// The round document.
    pub fn round(&self) -> &Round {
        &self.round
    }

    /// Scores one assessment document (JSON text; its `"unit"` names the unit) against the
    /// round: the unit's row exactly as the results document of the whole round would hold
    /// it, except `rank`, always `None` (a rank needs the whole block).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`]: text that is not JSON, an assessment naming no unit or a unit not
    /// in the round (`unknown_unit` at `/unit`), or an assessment its criteria set rejects;
    /// [`Error::UnknownBlock`] when the round's unit names a block it does not have.
    pub fn score_unit(&self, text: &str) -> Result<UnitRow, Error> {
        self.score_document(&json::parse(text)?)
    }

    /// [`Preview::score_unit`] for a document tree already parsed ([`json::parse`]).
    ///
    /// # Errors
    ///
    /// As [`Preview::score_unit`].
    pub fn score_document(&self, doc: &json::Value<'_>) -> Result<UnitRow, Error> {
        let problem = |message: String| Error::Invalid(Diagnostic::new(Code::UnknownUnit, "/unit", message).into());
        let Some(unit_id) = doc.get("unit").and_then(json::Value::as_str) else {
            return Err(problem("the assessment does not say which unit it is for (\"unit\")".into()));
        };
        let Some(unit) = self.round.unit(unit_id) else {
            return Err(problem(format!("'{unit_id}' is not a unit of the round '{}'", self.round.id)));
        };
        let position = self.round.blocks.iter().position(|b| b.id == unit.block);
        let Some((block, set)) = position.and_then(|i| self.round.blocks.get(i).zip(self.criteria_sets.get(i))) else {
            return Err(Error::UnknownBlock { unit: unit.id.clone() });
        };
        let assessment = Assessment::from_document(doc, set, &block.class_labels())?;
        Ok(score_unit_row(&self.round, block, set, unit, Some(&assessment)))
    }
}
