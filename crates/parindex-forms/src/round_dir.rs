//! The parts of a round folder (SPEC §7) that a form needs, read through
//! [`parindex_rank::RoundFiles`] (the round, one unit's block and criteria set, the unit's
//! assessment file), with its errors in the words of the forms.

use std::path::Path;

use parindex_core::{Code, CriteriaSet, Diagnostic};
use parindex_rank::{Block, Limits, RoundFiles, RoundFilesError};

use crate::Error;

/// Reads and checks `dir/round.json`.
pub(crate) fn load(dir: &Path, limits: Limits) -> Result<RoundFiles, Error> {
    RoundFiles::load_with_limits(dir, limits).map_err(|e| match e {
        RoundFilesError::Io { path, source } => Error::RoundFolder { path, source },
        RoundFilesError::Invalid(d) => Error::Invalid(d),
        other => Error::Invalid(Diagnostic::new(Code::InputType, "", other.to_string()).in_file("round.json").into()),
    })
}

/// Reads and checks the criteria set of `block`; a set that cannot be read is a problem of
/// `round.json`, which names it.
pub(crate) fn criteria_set(files: &RoundFiles, block: &Block) -> Result<CriteriaSet, Error> {
    files.criteria_set(block).map_err(|e| match e {
        RoundFilesError::Invalid(d) => Error::Invalid(d),
        e => {
            let why = match e {
                RoundFilesError::Io { source, .. } => source.to_string(),
                other => other.to_string(),
            };
            Error::Invalid(
                Diagnostic::new(
                    Code::UnknownCriteriaSet,
                    "",
                    format!("cannot read the criteria set {}: {why}", block.criteria_set),
                )
                .in_file("round.json")
                .into(),
            )
        }
    })
}
