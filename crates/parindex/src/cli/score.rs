//! `parindex score ROUND_DIR`: the results document, or each block's ranked table.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::output::{ErrorFormat, Stream, report};
use super::table;

/// Arguments of `parindex score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder: round.json, the criteria sets it names, assessments/*.json.
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
    match args.format {
        ScoreFormat::Json => match parindex::score_folder(&args.round_dir) {
            Ok(results) => {
                let mut out = BufWriter::new(std::io::stdout().lock());
                if let Err(e) = results.write_json_pretty(&mut out).and_then(|()| out.flush()) {
                    eprintln!("parindex: cannot write the results: {e}");
                    return ExitCode::from(super::output::INVALID);
                }
            }
            Err(e) => return report(e, ErrorFormat::Text, Stream::Stderr),
        },
        ScoreFormat::Table => match parindex::RoundFolder::load(&args.round_dir) {
            Ok(folder) => print!("{}", table::render(&folder, &parindex::score_round(&folder))),
            Err(e) => return report(e.into(), ErrorFormat::Text, Stream::Stderr),
        },
    }
    ExitCode::SUCCESS
}
