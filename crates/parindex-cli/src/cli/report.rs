//! `parindex report ROUND_DIR --format md|csv|xlsx|html`: the ranked tables and each unit's
//! sheet, for people.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parindex_report::{CsvTable, Locale, ReportFormat, ReportOptions};

use super::context::Context;
use super::error::CliError;
use super::output::write_bytes;
use super::previous;

/// Arguments of `parindex report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder.
    round_dir: PathBuf,
    /// `md` (Markdown), `csv`, `xlsx` (a workbook) or `html` (one self-contained page).
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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Csv,
    Xlsx,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Table {
    Units,
    Nodes,
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
    };
    if format == ReportFormat::Xlsx && args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::Usage(
            "an XLSX workbook is a binary file: give --out FILE.xlsx (or redirect the output)".to_owned(),
        ));
    }
    let folder = parindex::RoundFolder::load(&args.round_dir)?;
    let mut results = parindex::score_round(&folder);
    if let Some(path) = &args.previous {
        previous::apply(path, &mut results, folder.round.rounding)?;
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
    };
    let bytes = parindex_report::render(&folder, &results, &options)?;
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?,
        None => write_bytes(&bytes, "the report")?,
    }
    Ok(ExitCode::SUCCESS)
}
