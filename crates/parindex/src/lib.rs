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
//! Or work with documents in memory: [`CriteriaSet::from_json`], [`Assessment::from_json`],
//! [`score_unit`], [`Round::from_json`], [`RoundFolder`], [`score_round`]. From JSON text,
//! `engine::core::reader::parse` and the `from_document` functions skip building a
//! `serde_json::Value` (the fast path `score_folder` takes). Every figure is an
//! exact [`Decimal`]; every problem is a [`Diagnostic`] with the stable code of SPEC §10, a
//! JSON Pointer and the criterion it concerns.
//!
//! For auditors: every results document is stamped with the engine and the SHA-256 of each
//! input file; [`score_round_explained`] and [`explain_unit`] say how every point arose,
//! [`explain_text`] prints it for one unit, [`verify`] re-scores a folder against published
//! results, [`PreviousResults`] adds last round's figures, and [`show_criteria`] and
//! [`diff_criteria`] let an officer check a criteria set.

mod criteria_tools;
mod explain_text;
mod validate;
mod verify;

use std::path::Path;

pub use criteria_tools::{CriteriaChange, diff_criteria, show_criteria};
pub use explain_text::explain_text;
pub use parindex_assess::{
    Assessment, EXPLAIN_FORMAT, Finding, LeafExplanation, Status, UnitContext, UnitExplanation, UnitResult,
    explain_unit, score_unit,
};
pub use parindex_core::{Code, CriteriaSet, Decimal, Diagnostic, Diagnostics};
pub use parindex_rank::{
    Block, BlockResults, Change, Engine, FolderError, InputFile, Inputs, NodeRow, Previous, PreviousError,
    PreviousResults, ResultsDocument, Round, RoundFolder, Rounding, RoundingMode, Unit, UnitRow, score_round,
    score_round_explained, write_results_ndjson,
};
pub use validate::{DocumentKind, validate_path};
pub use verify::{Difference, Verification, VerifyError, verify};

/// The engine's crates, for integrators who need more than the facade.
pub mod engine {
    pub use parindex_assess as assess;
    pub use parindex_core as core;
    pub use parindex_rank as rank;
}

/// Why a round could not be scored or a document could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path cannot be read or is not what the command takes (a usage error).
    #[error("{0}")]
    Usage(String),
    /// The input is invalid; every problem is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl From<FolderError> for Error {
    fn from(e: FolderError) -> Self {
        match e {
            FolderError::NotAFolder { .. } => Error::Usage(e.to_string()),
            FolderError::Invalid(d) => Error::Invalid(d),
        }
    }
}

/// Loads, checks and scores the round folder at `dir`. Each assessment is read, checked,
/// scored and dropped in turn, on every core, so that even a national round is not held in
/// memory; the document is the same as [`RoundFolder::load`] then [`score_round`] give.
pub fn score_folder(dir: &Path) -> Result<ResultsDocument, Error> {
    Ok(parindex_rank::score_folder(dir)?)
}
