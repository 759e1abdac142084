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
    /// Serve the JSON API over an embedded SQLite store (docs/api.md).
    Serve(cli::serve::Args),
    /// Make API tokens.
    Token(cli::token::Args),
    /// Check the audit log of an API database.
    Audit(cli::audit::Args),
    /// Print the JSON Schema of a document: criteria-set, round, assessment, results, round-bundle.
    Schema(cli::schema::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Score(args) => cli::score::run(args),
        Command::Validate(args) => cli::validate::run(args),
        Command::Serve(args) => cli::serve::run(args),
        Command::Token(args) => cli::token::run(args),
        Command::Audit(args) => cli::audit::run(args),
        Command::Schema(args) => cli::schema::run(args),
    }
}
