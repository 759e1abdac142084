//! parindex — the open scoring engine for Vietnam's Public Administration Reform Index
//! (Chỉ số cải cách hành chính, "Chỉ số CCHC", PAR Index).
//!
//! This is the facade that integrators depend on: a small, stable API over the engine's
//! crates. Score a round's folder:
//!
//! ```no_run
//! let results = parindex::score_folder(std::path::Path::new("fixtures/dong-thap-2023"))?;
//! for block in &results.blocks {
//!     for row in &block.units {
//!         println!("{:?} {} {} {:?}", row.rank, row.name, row.index, row.class);
//!     }
//! }
//! # Ok::<(), parindex::Error>(())
//! ```
//!
//! Or work with documents in memory. Each document has one entry point from JSON text and
//! one from a parsed document tree: [`CriteriaSet::from_json`] / [`CriteriaSet::from_document`],
//! [`Round::from_json`] / [`Round::from_document`], [`Assessment::from_json`] /
//! [`Assessment::from_document`]. [`json::parse`] makes the tree (numbers keep their exact
//! text) and is the fast path [`score_folder`] takes; a caller holding a `serde_json::Value`
//! converts it with [`json::Value::from`]. Then [`score_unit`], [`RoundFolder`] and
//! [`score_round`]. Every figure is an exact [`Decimal`]; every problem is a [`Diagnostic`]
//! with the stable code of SPEC §10, a JSON Pointer and the criterion it concerns.
//!
//! For auditors: every results document is stamped with the engine and the SHA-256 of each
//! input file; [`score_round_explained`] and [`explain_unit`] say how every point arose,
//! [`explain_text`] prints it for one unit, [`verify`] re-scores a folder against published
//! results, [`PreviousResults`] adds last round's figures, and [`show_criteria`] and
//! [`diff_criteria`] let an officer check a criteria set.
//!
//! # The API
//!
//! What this crate re-exports is its whole API; the engine's crates (`parindex-core`,
//! `parindex-assess`, `parindex-rank`) are implementation details whose other items may change.
//!
//! - Documents: [`CriteriaSet`] (and [`Node`], [`NodeId`], [`NodeKind`], [`Leaf`]),
//!   [`Round`] (and [`Block`], [`Unit`], [`ClassBand`], [`Rounding`], [`RoundingMode`]),
//!   [`Assessment`], [`RoundFolder`] (and [`InputFile`], [`FolderError`]), [`Date`],
//!   [`Decimal`], [`json`], and each document's `format`: [`CRITERIA_SET_FORMAT`],
//!   [`ROUND_FORMAT`], [`ASSESSMENT_FORMAT`], [`RESULTS_FORMAT`], [`BUNDLE_FORMAT`],
//!   [`EXPLAIN_FORMAT`].
//! - Scoring: [`score_folder`], [`score_round`], [`score_round_explained`], [`score_unit`]
//!   (with [`UnitContext`]), [`UnitResult`], [`Finding`], [`Status`]; live preview of one
//!   unit against a round opened once: [`Preview`].
//! - Results (SPEC §9): [`ResultsDocument`], [`BlockResults`], [`UnitRow`], [`NodeRow`],
//!   [`Engine`], [`Inputs`], [`PreviousResults`] (and [`Previous`], [`Change`],
//!   [`PreviousError`]), [`sha256_hex`].
//! - Explaining and checking: [`explain_unit`] (and [`UnitExplanation`],
//!   [`LeafExplanation`]), [`explain_text`], [`verify`] (and [`Verification`],
//!   [`Difference`]), [`validate_path`] (and [`DocumentKind`]), [`show_criteria`],
//!   [`diff_criteria`] (and [`CriteriaChange`]).
//! - Problems: [`Error`], the one error type of the functions above, typed so that a caller
//!   can branch on it (a path that cannot be read, an unknown unit or criterion, invalid
//!   input with its [`Diagnostics`]); each [`Diagnostic`] has a stable [`Code`].
//!
//! The best-effort readers `CriteriaSet::read_document` and `Round::read_document` (a partial
//! model and every problem found, what the folder loader uses to report the problems of every
//! document in one run) are secondary: prefer `from_json` and `from_document`.

mod criteria_tools;
mod error;
mod explain_text;
mod preview;
pub mod terminal;
mod validate;
mod verify;

use std::path::Path;

pub use criteria_tools::{CriteriaChange, diff_criteria, diff_criteria_in, show_criteria, show_criteria_in};
pub use error::Error;
pub use explain_text::{ExplainOptions, explain_text, explain_text_with};
pub use parindex_assess::{
    Adjustment, AdjustmentList, Assessment, ClassCap, EXPLAIN_FORMAT, Entry, FORMAT as ASSESSMENT_FORMAT, Finding,
    LeafExplanation, Status, UnitContext, UnitExplanation, UnitResult, explain_unit, score_unit,
};
pub use parindex_core::criteria::FORMAT as CRITERIA_SET_FORMAT;
pub use parindex_core::{
    Code, CriteriaSet, Date, Decimal, Diagnostic, Diagnostics, LOCALE_ENV, Leaf, Locale, Node, NodeId, NodeKind,
    UnknownLocale,
};
pub use parindex_rank::limits::Limits;
pub use parindex_rank::{
    BUNDLE_FORMAT, Block, BlockResults, Change, ClassBand, ClassCapRow, CompactResults, Engine, FolderError, InputFile,
    Inputs, NodeRow, Previous, PreviousError, PreviousResults, RESULTS_FORMAT, ROUND_FORMAT, ResultsDocument, Round,
    RoundFolder, Rounding, RoundingMode, Unit, UnitRow, score_round, score_round_explained, sha256_hex,
    write_results_ndjson,
};
pub use preview::Preview;
pub use validate::{DocumentKind, validate_path, validate_path_with_limits};
pub use verify::{Difference, Verification, verify, verify_with_limits};

/// Reading files within bounds (docs/limits.md): only regular files, at most
/// [`Limits::max_document_size`] bytes each, and inside the round folder for the paths a
/// round names. Every function of this crate that reads a file reads it through these.
pub mod limits {
    pub use parindex_rank::limits::{DEFAULT_MAX_DOCUMENT_SIZE, Limits, ReadError, read_file, read_to_string};
}

/// Parsed JSON documents: the tree every loader's `from_document` reads.
pub mod json {
    pub use parindex_core::reader::{duplicate_keys_in, parse};
    pub use parindex_json::{Number, Object, Value};
}

/// Loads, checks and scores the round folder at `dir`. Each assessment is read, checked,
/// scored and dropped in turn, on every core, so that even a national round is not held in
/// memory; the document is the same as [`RoundFolder::load`] then [`score_round`] give.
///
/// # Errors
///
/// [`Error::NotAFolder`] when `dir` cannot be read, [`Error::Invalid`] with every problem of
/// its documents.
pub fn score_folder(dir: &Path) -> Result<ResultsDocument, Error> {
    Ok(parindex_rank::score_folder(dir)?)
}

/// [`score_folder`] within `limits`: [`Limits::max_document_size`] raises (or lowers) the
/// largest document read (docs/limits.md).
///
/// # Errors
///
/// As [`score_folder`].
pub fn score_folder_with_limits(dir: &Path, limits: Limits) -> Result<ResultsDocument, Error> {
    Ok(parindex_rank::score_folder_with_limits(dir, limits)?)
}

/// [`score_folder_with_limits`] for a caller that only writes the results: the rows are held
/// packed until [`CompactResults::write_json_pretty`] or [`CompactResults::write_ndjson`]
/// writes them (the same text as the [`ResultsDocument`]), in a fraction of the memory.
/// `parindex score` uses it.
///
/// # Errors
///
/// As [`score_folder`].
pub fn score_folder_compact(dir: &Path, limits: Limits) -> Result<CompactResults, Error> {
    Ok(parindex_rank::score_folder_compact(dir, limits)?)
}
