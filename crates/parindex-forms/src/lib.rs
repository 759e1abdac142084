//! Spreadsheet forms for parindex, the PAR Index (Chỉ số CCHC) scoring engine.
//!
//! Agencies fill their self-assessment (tự đánh giá) in an Excel workbook, and the appraisal
//! council (hội đồng thẩm định) marks its changes in another. This crate meets them there:
//!
//! - [`write_form`] writes a unit's workbook from its block's criteria set: the self-assessment
//!   sheet ("Tự đánh giá"), or an appraisal sheet ("Thẩm định lần N") that shows the unit's
//!   entries in effect before stage N beside columns for the council's changes.
//! - [`import`] reads a filled workbook back into an assessment document (SPEC §6) and checks
//!   it with the engine; every problem is a [`parindex_core::Diagnostic`] naming the sheet and
//!   cell as a spreadsheet does (`'Tự đánh giá'!F12`), the criterion and the SPEC §10 code.
//!
//! The layout both sides agree on is in [`layout`]; [`build_workbook`] and [`fill_entries`]
//! write a form from a [`FormContext`] and fill it as an officer would (for tests and tools).
//! Officers' documentation: `docs/forms.md`.

mod cell;
mod dates;
mod display;
mod error_vi;
mod fill;
mod import;
pub mod layout;
mod live;
mod merge;
mod read;
mod round_dir;
mod words;
mod write;
mod zip_limits;

use std::path::PathBuf;

use parindex_core::Diagnostics;

pub use fill::fill_entries;
pub use import::{ImportOptions, Imported, import, import_bytes};
pub use layout::{Layout, SheetKind};
pub use write::{FormContext, build_workbook, write_form};

/// Why a form could not be written or a workbook could not be imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file (the workbook, an assessment named with `--out`) cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The round folder's `round.json` cannot be read.
    #[error("cannot read the round folder's {}: {source}", path.display())]
    RoundFolder {
        /// The `round.json` looked for.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The bytes are a zip archive but not an `.xlsx` workbook (invalid input: `import`
    /// exits 1). Files that are not zip archives, are cut short or decompress past the limits
    /// are [`Error::Invalid`] with one `input_type` problem (docs/limits.md).
    #[error(
        "Tệp {name} không phải là sổ tính Excel .xlsx hợp lệ: hãy mở biểu mẫu bằng Excel và lưu lại dưới dạng .xlsx / \
         cannot read {name} as an .xlsx workbook: {source}"
    )]
    NotXlsx {
        /// The workbook's name, as messages show it.
        name: String,
        /// What the reader (calamine) said.
        source: calamine::XlsxError,
    },
    /// The workbook cannot be written.
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The unit asked for is not one of the round's.
    #[error("'{unit}' is not a unit of the round '{round}'; its units are: {units}")]
    UnknownUnit {
        /// The unit asked for.
        unit: String,
        /// The round's id.
        round: String,
        /// The round's unit ids, comma-separated.
        units: String,
    },
    /// An appraisal form shows the unit's entries so far, but the unit has no assessment.
    #[error(
        "the appraisal form shows the unit's entries before stage {stage}, but '{unit}' has no assessment in {}: \
         import its self-assessment first",
        folder.display()
    )]
    NoAssessment {
        /// The unit.
        unit: String,
        /// The appraisal stage of the form.
        stage: u32,
        /// The folder searched (`assessments/`).
        folder: PathBuf,
    },
    /// An appraisal sheet goes into the unit's assessment, but there is none to go into.
    #[error(
        "appraisal stage {stage} goes into the unit's assessment, but '{unit}' has none in {}: \
         import its self-assessment first, or name it with --out",
        folder.display()
    )]
    NoAssessmentToImportInto {
        /// The unit.
        unit: String,
        /// The appraisal stage of the sheet.
        stage: u32,
        /// The folder searched (`assessments/`).
        folder: PathBuf,
    },
    /// The input is invalid; every problem is listed, each naming its file and its cell or
    /// JSON Pointer.
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Invalid(d)
    }
}
