//! `--previous OLD_RESULTS.json` (for `score` and `report`): last round's index and rank
//! beside this round's.

use std::path::Path;

use parindex::{PreviousResults, ResultsDocument, Rounding};

use super::error::{CliError, Named};

/// Adds last round's figures from the results file at `path` (read within `limits`) to
/// `results`. Fails with a usage error when the file cannot be read, [`CliError::Previous`]
/// (invalid input) when it is not a results document or is of this same round.
pub fn apply(
    path: &Path,
    limits: &parindex::Limits,
    results: &mut ResultsDocument,
    rounding: Rounding,
) -> Result<(), CliError> {
    let text =
        super::limits::read_to_string(path, limits, Named { vi: "kết quả kỳ trước ", en: "the previous results " })?;
    let failed = |error| CliError::Previous { path: path.to_path_buf(), error };
    PreviousResults::from_json_text(&text).map_err(failed)?.apply(results, rounding).map_err(failed)
}
