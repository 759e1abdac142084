//! Rounds, blocks, presentation, classes and ranks, for parindex, the PAR Index scoring engine.
//!
//! A [`Round`] (kỳ đánh giá) groups units into blocks (khối), each scored with one criteria
//! set and ranked on its own (SPEC §7). This crate loads a round's folder
//! ([`RoundFolder::load`]), scores every unit through `parindex-assess`, rounds figures for
//! presentation ([`Rounding`]), classifies (xếp loại) and ranks (xếp hạng) them (§8), and
//! writes the results document of §9 ([`ResultsDocument`]).

mod classify;
mod folder;
pub mod limits;
mod ndjson;
mod packed;
mod pretty;
mod previous;
mod ranking;
mod results;
mod round;
mod round_files;
mod rounding;
mod scoring;

/// The results document's JSON Schema (feature `schema`).
#[cfg(feature = "schema")]
pub mod schema;

pub use classify::{class_band, classify};
pub use folder::{BUNDLE_FORMAT, FolderError, InputFile, RoundFolder, sha256_hex};
pub use limits::Limits;
pub use ndjson::write_results_ndjson;
pub use previous::{PreviousError, PreviousResults};
pub use ranking::{RankKey, competition_ranks};
pub use results::{
    BlockResults, Change, ClassCapRow, ENGINE_NAME, Engine, Inputs, NodeRow, Previous, RESULTS_FORMAT, ResultsDocument,
    UnitRow,
};
pub use round::{Block, ClassBand, FORMAT as ROUND_FORMAT, Round, TieBreaker, Unit};
pub use round_files::{AssessmentFile, RoundFiles, RoundFilesError};
pub use rounding::{Rounding, RoundingMode};
pub use scoring::{
    CompactResults, score_folder, score_folder_compact, score_folder_with_limits, score_round, score_round_explained,
    score_unit_row,
};
