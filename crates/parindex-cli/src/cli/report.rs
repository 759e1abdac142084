//! `parindex report ROUND_DIR --format md|csv|xlsx|html`: the ranked tables and each unit's
//! sheet, for people.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parindex_report::{CsvTable, Locale, ReportFormat, ReportOptions};

use super::output::{ErrorFormat, Stream, USAGE, report};
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
    /// `en` or `vi`: labels, and for md and html the decimal separator (85,63 in vi). CSV
    /// always keeps the decimal point.
    #[arg(long, value_enum, default_value_t = LocaleArg::En)]
    locale: LocaleArg,
    /// Last round's results document: show each unit's previous index and rank and the change.
    #[arg(long, value_name = "OLD_RESULTS.json")]
    previous: Option<PathBuf>,
    /// For csv: `units` (the ranked tables) or `nodes` (one row per unit and criterion).
    #[arg(long, value_enum, default_value_t = Table::Units)]
    table: Table,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Csv,
    Xlsx,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LocaleArg {
    En,
    Vi,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Table {
    Units,
    Nodes,
}

/// Scores the round and writes its report.
pub fn run(args: Args) -> ExitCode {
    let format = match args.format {
        Format::Md => ReportFormat::Markdown,
        Format::Csv => ReportFormat::Csv,
        Format::Xlsx => ReportFormat::Xlsx,
        Format::Html => ReportFormat::Html,
    };
    if format == ReportFormat::Xlsx && args.out.is_none() && std::io::stdout().is_terminal() {
        eprintln!("parindex: an XLSX workbook is a binary file: give --out FILE.xlsx (or redirect the output)");
        return ExitCode::from(USAGE);
    }
    let folder = match parindex::RoundFolder::load_with_limits(&args.round_dir, args.limits.limits()) {
        Ok(folder) => folder,
        Err(e) => return report(e.into(), ErrorFormat::Text, Stream::Stderr),
    };
    let mut results = parindex::score_round(&folder);
    if let Some(path) = &args.previous
        && let Err(code) = previous::apply(path, &args.limits.limits(), &mut results, folder.round.rounding)
    {
        return code;
    }
    let options = ReportOptions {
        format,
        locale: match args.locale {
            LocaleArg::En => Locale::En,
            LocaleArg::Vi => Locale::Vi,
        },
        csv_table: match args.table {
            Table::Units => CsvTable::Units,
            Table::Nodes => CsvTable::Nodes,
        },
    };
    let bytes = match parindex_report::render(&folder, &results, &options) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("parindex: {e}");
            return ExitCode::from(super::output::INVALID);
        }
    };
    let written = match &args.out {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => std::io::stdout().write_all(&bytes).map_err(|e| format!("cannot write the report: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            eprintln!("parindex: {m}");
            ExitCode::from(USAGE)
        }
    }
}
