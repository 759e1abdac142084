//! `parindex score ROUND_DIR`: the results document, or each block's ranked table.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::output::{ErrorFormat, Stream, report};
use super::table;

/// Arguments of `parindex score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder: round.json, the criteria sets it names, assessments/*.json — or a
    /// round bundle file (parindex/round-bundle@1, as the JSON API exports).
    round_dir: PathBuf,
    /// `json`: the results document (SPEC §9); `table`: each block's ranked table as text.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Json)]
    format: ScoreFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScoreFormat {
    Json,
    Table,
}

/// Loads, checks and scores the round; invalid input prints every problem and exits 1.
pub fn run(args: Args) -> ExitCode {
    let loaded = if args.round_dir.is_file() {
        std::fs::read_to_string(&args.round_dir)
            .map_err(|source| parindex::FolderError::NotAFolder { path: args.round_dir.clone(), source })
            .and_then(|text| parindex::RoundFolder::from_bundle(&text))
    } else {
        parindex::RoundFolder::load(&args.round_dir)
    };
    let folder = match loaded {
        Ok(folder) => folder,
        Err(e) => return report(e.into(), ErrorFormat::Text, Stream::Stderr),
    };
    let results = parindex::score_round(&folder);
    match args.format {
        ScoreFormat::Json => print!("{}", results.to_json_pretty()),
        ScoreFormat::Table => print!("{}", table::render(&folder, &results)),
    }
    ExitCode::SUCCESS
}
