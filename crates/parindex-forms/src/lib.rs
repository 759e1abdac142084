//! Spreadsheet forms for parindex, the PAR Index (Chỉ số CCHC) scoring engine.
//!
//! Agencies fill their self-assessment (tự đánh giá) in an Excel workbook, and the appraisal
//! council (hội đồng thẩm định) marks its changes in another. This crate meets them there:
//!
//! - [`write_form`] writes a unit's workbook from its block's criteria set: the self-assessment
//!   sheet ("Tự đánh giá"), or an appraisal sheet ("Thẩm định lần N") that shows the unit's
//!   entries in effect before stage N beside columns for the council's changes.
//! - [`import`] reads a filled workbook back into an assessment document (SPEC §6) and checks
//!   it with the engine; every problem names the sheet and cell (`Tự đánh giá!F12`), the
//!   criterion and the SPEC §10 code.
//!
//! The layout both sides agree on is in [`layout`]; the rule of each row in plain Vietnamese
//! words is in [`words`]. Officers' documentation: `docs/forms.md`.

pub mod cell;
pub mod dates;
pub mod display;
pub mod fill;
pub mod import;
pub mod layout;
pub mod merge;
pub mod problem;
pub mod read;
pub mod round_dir;
pub mod words;
pub mod write;
pub mod zip_limits;

pub use import::{ImportOptions, Imported, import, import_bytes};
pub use layout::{Layout, SheetKind};
pub use problem::{Problem, Problems};
pub use round_dir::RoundFiles;
pub use write::{build_workbook, write_form};

/// Why a form could not be written or a workbook could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path cannot be read or written, or the arguments do not fit (a usage error).
    #[error("{0}")]
    Usage(String),
    /// The input is invalid; every problem is listed.
    #[error("{0}")]
    Invalid(Problems),
}

impl From<Problems> for Error {
    fn from(p: Problems) -> Self {
        Error::Invalid(p)
    }
}
