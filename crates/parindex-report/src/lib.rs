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
//!   a section per unit; it prints on A4, one page per unit;
//! - **the official table** (phụ lục of the decision publishing the results) as HTML or
//!   XLSX for A4 landscape, in Vietnamese, with the national heading, footnotes and a
//!   signature block;
//! - **scorecards**: an HTML page with each block's summary and a one-page scorecard per
//!   unit.
//!
//! [`text_table`] prints each block's ranked table as terminal text.
//!
//! Human formats (Markdown, HTML) can write numbers the Vietnamese way (`85,63`) and label
//! everything in Vietnamese with [`Locale::Vi`]; XLSX takes Vietnamese labels, and its numbers
//! show with the reader's own decimal separator.

mod chart;
mod csv;
mod html;
mod labels;
mod markdown;
mod model;
mod numbers;
mod official;
mod official_html;
mod official_xlsx;
mod scorecard;
mod summary;
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
    /// The official table (phụ lục of the decision publishing the results) as one HTML
    /// page for A4 landscape, in Vietnamese.
    OfficialHtml,
    /// The official table as an XLSX workbook set up for A4 landscape, in Vietnamese.
    OfficialXlsx,
    /// One HTML page for A4 portrait: each block's summary, then a one-page scorecard per
    /// unit.
    Scorecards,
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
    /// Whether a CSV report starts with a UTF-8 byte order mark (U+FEFF), so that Excel
    /// opens it by double-click as UTF-8 and shows Vietnamese correctly (`report` does by
    /// default; `--no-bom` leaves it out for tools that do not expect it).
    pub csv_bom: bool,
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
        ReportFormat::Csv => {
            let text = csv::render(&report, options.csv_table);
            if options.csv_bom { format!("\u{FEFF}{text}").into_bytes() } else { text.into_bytes() }
        }
        ReportFormat::Xlsx => xlsx::render(&report, options.locale)?,
        ReportFormat::Html => html::render(&report, options.locale).into_bytes(),
        ReportFormat::OfficialHtml => official_html::render(&report).into_bytes(),
        ReportFormat::OfficialXlsx => official_xlsx::render(&report)?,
        ReportFormat::Scorecards => scorecard::render(&report, options.locale).into_bytes(),
    })
}
