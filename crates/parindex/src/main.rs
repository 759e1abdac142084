//! `parindex`: score a PAR Index round, check its documents, print its ranked table.

mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use parindex::{Diagnostics, DocumentKind, Error};

/// parindex — the PAR Index (Chỉ số CCHC) scoring engine.
#[derive(Debug, Parser)]
#[command(name = "parindex", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score a round folder and print its results (SPEC §9 JSON, or a ranked table).
    Score {
        /// The round folder: round.json, the criteria sets it names, assessments/*.json.
        round_dir: PathBuf,
        /// `json`: the results document; `table`: each block's ranked table as text.
        #[arg(long, value_enum, default_value_t = ScoreFormat::Json)]
        format: ScoreFormat,
    },
    /// Check a round folder, or one criteria-set, round or assessment file, and list every problem.
    Validate {
        /// A round folder or a single JSON document.
        path: PathBuf,
        /// `text`: one line per problem; `json`: {"errors": [...]} as in SPEC §10.
        #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
        format: ErrorFormat,
        /// The round folder an assessment file belongs to (default: the folder above its assessments/ folder).
        #[arg(long)]
        round: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScoreFormat {
    Json,
    Table,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ErrorFormat {
    Text,
    Json,
}

/// Exit status: 0 valid, 1 invalid input, 2 usage error.
const INVALID: u8 = 1;
const USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Score { round_dir, format } => match parindex::score_folder(&round_dir) {
            Ok(results) => {
                let text = match format {
                    ScoreFormat::Json => results.to_json_pretty(),
                    ScoreFormat::Table => match parindex::RoundFolder::load(&round_dir) {
                        Ok(folder) => table::render(&folder, &results),
                        Err(e) => return report(Error::from(e), ErrorFormat::Text, false),
                    },
                };
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => report(e, ErrorFormat::Text, false),
        },
        Command::Validate { path, format, round } => match parindex::validate_path(&path, round.as_deref()) {
            Ok(kind) => {
                match format {
                    ErrorFormat::Json => println!("{{\n  \"errors\": []\n}}"),
                    ErrorFormat::Text => println!("{}: valid {}", path.display(), describe(&kind)),
                }
                ExitCode::SUCCESS
            }
            Err(e) => report(e, format, true),
        },
    }
}

fn describe(kind: &DocumentKind) -> String {
    match kind {
        DocumentKind::RoundFolder { units, assessments } => {
            format!("round folder ({units} units, {assessments} assessments)")
        }
        DocumentKind::CriteriaSet => "criteria set".into(),
        DocumentKind::Round => "round document".into(),
        DocumentKind::Assessment => "assessment".into(),
    }
}

/// Prints an error: problems to standard output for `validate` (they are its output), to
/// standard error for `score`.
fn report(e: Error, format: ErrorFormat, to_stdout: bool) -> ExitCode {
    match e {
        Error::Usage(message) => {
            eprintln!("parindex: {message}");
            ExitCode::from(USAGE)
        }
        Error::Invalid(diags) => {
            let text = render_diagnostics(&diags, format);
            if to_stdout {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
            ExitCode::from(INVALID)
        }
    }
}

fn render_diagnostics(diags: &Diagnostics, format: ErrorFormat) -> String {
    match format {
        ErrorFormat::Json => {
            let mut text = serde_json::to_string_pretty(diags).unwrap_or_default();
            text.push('\n');
            text
        }
        ErrorFormat::Text => {
            let mut text: String = diags.errors.iter().map(|d| d.render() + "\n").collect();
            text.push_str(&format!("{} problem(s) found\n", diags.len()));
            text
        }
    }
}
