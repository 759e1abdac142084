//! `parindex report ROUND_DIR --format md|csv|xlsx|html`: the ranked tables and each unit's
//! sheet, for people.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parindex_report::{CsvTable, Locale, ReportFormat, ReportOptions};

use super::context::Context;
use super::error::{CliError, Named};
use super::output::{print_text, write_bytes};
use super::previous;

/// Arguments of `parindex report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder.
    round_dir: PathBuf,
    /// `md` (Markdown), `csv`, `xlsx` (a workbook), `html` (one self-contained page),
    /// `official` (the official table, phụ lục, for A4 landscape: HTML, or XLSX when --out
    /// ends in .xlsx), `official-html`, `official-xlsx`, or `scorecards` (HTML: each block's
    /// summary and a one-page scorecard per unit).
    #[arg(long, value_enum)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Last round's results document: show each unit's previous index and rank and the change.
    #[arg(long, value_name = "OLD_RESULTS.json")]
    previous: Option<PathBuf>,
    /// For csv: `units` (the ranked tables) or `nodes` (one row per unit and criterion).
    #[arg(long, value_enum, default_value_t = Table::Units)]
    table: Table,
    /// For csv: leave out the UTF-8 byte order mark. By default a CSV starts with one, so
    /// that Excel opened by double-click reads it as UTF-8 and shows Vietnamese correctly.
    #[arg(long)]
    no_bom: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Csv,
    Xlsx,
    Html,
    Official,
    OfficialHtml,
    OfficialXlsx,
    Scorecards,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Table {
    Units,
    Nodes,
}

/// Whether `path` ends in `.ext` (any case).
fn has_extension(path: &std::path::Path, ext: &str) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Scores the round and writes its report.
/// The global `--locale` chooses labels, and for md and html the decimal separator (85,63 in
/// vi); CSV always keeps the decimal point.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let format = match args.format {
        Format::Md => ReportFormat::Markdown,
        Format::Csv => ReportFormat::Csv,
        Format::Xlsx => ReportFormat::Xlsx,
        Format::Html => ReportFormat::Html,
        Format::Official if args.out.as_ref().is_some_and(|p| has_extension(p, "xlsx")) => ReportFormat::OfficialXlsx,
        Format::Official | Format::OfficialHtml => ReportFormat::OfficialHtml,
        Format::OfficialXlsx => ReportFormat::OfficialXlsx,
        Format::Scorecards => ReportFormat::Scorecards,
    };
    let binary = matches!(format, ReportFormat::Xlsx | ReportFormat::OfficialXlsx);
    if binary && args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::usage(
            "sổ tính XLSX là tệp nhị phân: hãy cho --out TỆP.xlsx (hoặc chuyển hướng đầu ra)",
            "an XLSX workbook is a binary file: give --out FILE.xlsx (or redirect the output)",
        ));
    }
    let limits = args.limits.limits();
    let folder = parindex::RoundFolder::load_with_limits(&args.round_dir, limits)?;
    let mut results = parindex::score_round(&folder);
    if let Some(path) = &args.previous {
        previous::apply(path, &limits, &mut results, folder.round.rounding)?;
    }
    let options = ReportOptions {
        format,
        locale: match cx.locale {
            parindex::Locale::En => Locale::En,
            _ => Locale::Vi,
        },
        csv_table: match args.table {
            Table::Units => CsvTable::Units,
            Table::Nodes => CsvTable::Nodes,
        },
        csv_bom: !args.no_bom,
    };
    let bytes = parindex_report::render(&folder, &results, &options)?;
    match &args.out {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| CliError::cannot_write(path, &e))?,
        // Text read on a terminal shows the documents' control characters escaped; piped or
        // redirected, the report is written as it is.
        None if matches!(format, ReportFormat::Markdown | ReportFormat::Csv) && std::io::stdout().is_terminal() => {
            print_text(&String::from_utf8_lossy(&bytes))?;
        }
        None => write_bytes(&bytes, Named { vi: "báo cáo", en: "the report" })?,
    }
    Ok(ExitCode::SUCCESS)
}
