//! Reports people read, for parindex, the PAR Index (Chỉ số CCHC) scoring engine.
//!
//! A Sở Nội vụ officer hands the People's Committee a table and a chart, not JSON. From a
//! loaded round and its results document (SPEC §9, optionally with last round's figures from
//! `score --previous`), [`render`] writes:
//!
//! - **Markdown**: each block's ranked table (rank, unit, points, index, class, each field's
//!   index), then a section per unit (every criterion, the findings);
//! - **CSV**: the ranked tables as one machine-readable table (or, with
//!   [`CsvTable::Nodes`], one row per unit and criterion); always with a decimal point;
//! - **XLSX**: a sheet per block and a sheet per unit (through rust_xlsxwriter); figures are
//!   numbers shown with the round's decimals;
//! - **HTML**: one self-contained page (inline CSS and SVG, nothing fetched) with a bar chart
//!   of the index by unit and a field-by-unit heat map for each block, the ranked tables and
//!   a section per unit.
//!
//! [`text_table`] prints each block's ranked table as terminal text.
//!
//! Human formats (Markdown, HTML) can write numbers the Vietnamese way (`85,63`) and label
//! everything in Vietnamese with [`Locale::Vi`]; XLSX takes Vietnamese labels, and its numbers
//! show with the reader's own decimal separator.

mod csv;
mod html;
mod labels;
mod markdown;
mod model;
mod numbers;
mod text;
mod xlsx;

use parindex::{ResultsDocument, RoundFolder};

pub use labels::Locale;
pub use text::{text_table, text_table_in};

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Markdown text.
    Markdown,
    /// Comma-separated values (RFC 4180), UTF-8, decimal point.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// One self-contained HTML page.
    Html,
}

/// Which table a CSV report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvTable {
    /// One row per unit: the ranked tables of every block.
    #[default]
    Units,
    /// One row per unit and criterion: every node's figures.
    Nodes,
}

/// How to write a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOptions {
    /// The format.
    pub format: ReportFormat,
    /// Labels and, for Markdown and HTML, the decimal separator.
    pub locale: Locale,
    /// The table of a CSV report.
    pub csv_table: CsvTable,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook could not be built.
    #[error("cannot write the XLSX workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The results are not those of this round.
    #[error("the results are of round '{results}', but the folder holds round '{folder}'")]
    OtherRound {
        /// The round the results name.
        results: String,
        /// The folder's round.
        folder: String,
    },
}

/// Writes the report of `results`, the results of the round loaded in `folder` (for block
/// titles, unit names, criterion titles and rounding), as bytes (UTF-8 text except XLSX).
///
/// # Errors
///
/// [`ReportError::OtherRound`] when `results` are not of `folder`'s round;
/// [`ReportError::Xlsx`] when the workbook cannot be built.
pub fn render(
    folder: &RoundFolder,
    results: &ResultsDocument,
    options: &ReportOptions,
) -> Result<Vec<u8>, ReportError> {
    if results.round != folder.round.id {
        return Err(ReportError::OtherRound { results: results.round.clone(), folder: folder.round.id.clone() });
    }
    let report = model::Report::new(folder, results);
    Ok(match options.format {
        ReportFormat::Markdown => markdown::render(&report, options.locale).into_bytes(),
        ReportFormat::Csv => csv::render(&report, options.csv_table).into_bytes(),
        ReportFormat::Xlsx => xlsx::render(&report, options.locale)?,
        ReportFormat::Html => html::render(&report, options.locale).into_bytes(),
    })
}
