//! `parindex`: score a PAR Index round, check its documents, print its ranked table.
//!
//! Each command lives in its own module under `cli/`; this file only parses the command
//! line and dispatches.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Score(cli::score::Args),
    /// Check a round folder, or one criteria-set, round or assessment file, and list every problem.
    Validate(cli::validate::Args),
    /// Write a unit's self-assessment workbook (or, with --stage N, its appraisal sheet).
    #[cfg(feature = "forms")]
    Form(cli::form::Args),
    /// Read a filled workbook into an assessment document and check it.
    #[cfg(feature = "forms")]
    Import(cli::import::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Score(args) => cli::score::run(args),
        Command::Validate(args) => cli::validate::run(args),
        #[cfg(feature = "forms")]
        Command::Form(args) => cli::form::run(args),
        #[cfg(feature = "forms")]
        Command::Import(args) => cli::import::run(args),
    }
}
