//! `--previous OLD_RESULTS.json` (for `score` and `report`): last round's index and rank
//! beside this round's.

use std::path::Path;
use std::process::ExitCode;

use parindex::{PreviousResults, ResultsDocument, Rounding};

use super::output::{INVALID, USAGE};

/// Adds last round's figures from the results file at `path` to `results`. On failure the
/// message is printed and the exit status returned: 2 when the file cannot be read, 1 when
/// it is not a results document or is of this same round.
pub fn apply(
    path: &Path,
    limits: &parindex::Limits,
    results: &mut ResultsDocument,
    rounding: Rounding,
) -> Result<(), ExitCode> {
    let text = super::limits::read_to_string(path, limits).map_err(|e| {
        eprintln!("parindex: cannot read the previous results {}: {e}", path.display());
        ExitCode::from(USAGE)
    })?;
    let previous = PreviousResults::from_json_text(&text).map_err(|e| {
        eprintln!("parindex: {}: {e}", path.display());
        ExitCode::from(INVALID)
    })?;
    previous.apply(results, rounding).map_err(|e| {
        eprintln!("parindex: {}: {e}", path.display());
        ExitCode::from(INVALID)
    })
}
