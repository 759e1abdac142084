//! `parindex`: score a PAR Index round, check its documents, print its ranked table, explain
//! and verify its results, write reports, check criteria sets, exchange workbooks, serve the
//! JSON API.
//!
//! Each command lives in its own module under `cli/` and returns `Result<ExitCode, CliError>`;
//! this file parses the command line, dispatches, and is the only place that prints an error
//! and maps it to an exit status: 0 ok, 1 invalid input, 2 a usage error. A closed pipe
//! (`parindex score DIR | head`) ends quietly with status 0.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cli::context::Context;
use cli::error::CliError;
use cli::output::{Stream, eprint, render};
use parindex::Locale;

/// parindex — the PAR Index (Chỉ số CCHC) scoring engine.
#[derive(Debug, Parser)]
#[command(name = "parindex", version, about, long_about = None)]
struct Cli {
    /// The language people read: vi (Tiếng Việt, the default) or en. Messages, `explain`,
    /// `criteria show`, tables and reports; codes, JSON Pointers and JSON fields never change.
    /// Default: the PARINDEX_LOCALE environment variable, else vi.
    #[arg(long, global = true, value_name = "vi|en")]
    locale: Option<String>,
    /// Fit text output (tables, `explain`, `criteria show`) to N characters. Default: the
    /// terminal's width, or 100 when standard output is not a terminal.
    #[arg(long, global = true, value_name = "N")]
    width: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score a round folder and print its results (SPEC §9 JSON, or a ranked table).
    Score(cli::score::Args),
    /// Check a round folder, or one criteria-set, round or assessment file, and list every problem.
    Validate(cli::validate::Args),
    /// Explain one unit's points: self vs appraised vs final, findings, the arithmetic of the index.
    Explain(cli::explain::Args),
    /// Re-score a round and compare every published figure and input hash with a results file.
    Verify(cli::verify::Args),
    /// Write the ranked tables and each unit's sheet as Markdown, CSV, XLSX or HTML.
    Report(cli::report::Args),
    /// Criteria-set tools: show a set's tree, or diff two sets.
    Criteria(cli::criteria::Args),
    /// Write a unit's self-assessment workbook (or, with --stage N, its appraisal sheet).
    Form(cli::form::Args),
    /// Read a filled workbook into an assessment document and check it.
    Import(cli::import::Args),
    /// Serve the JSON API over an embedded SQLite store (docs/api.md).
    Serve(cli::serve::Args),
    /// Make, list and revoke API tokens.
    Token(cli::token::Args),
    /// Check the audit log of an API database.
    Audit(cli::audit::Args),
    /// Copy a live API database consistently (SQLite's online backup).
    Backup(cli::backup::Args),
    /// Print the JSON Schema of a document: criteria-set, round, assessment, results, round-bundle.
    Schema(cli::schema::Args),
}

fn main() -> ExitCode {
    let parsed = Cli::parse();
    let cx = match Context::resolve(parsed.locale.as_deref(), parsed.width) {
        Ok(cx) => cx,
        Err(e) => return fail(e, Locale::default()),
    };
    let outcome = match parsed.command {
        Command::Score(args) => cli::score::run(args, cx),
        Command::Validate(args) => cli::validate::run(args, cx),
        Command::Explain(args) => cli::explain::run(args, cx),
        Command::Verify(args) => cli::verify::run(args, cx),
        Command::Report(args) => cli::report::run(args, cx),
        Command::Criteria(args) => cli::criteria::run(args, cx),
        Command::Form(args) => cli::form::run(args, cx),
        Command::Import(args) => cli::import::run(args, cx),
        Command::Serve(args) => cli::serve::run(args),
        Command::Token(args) => cli::token::run(args, cx),
        Command::Audit(args) => cli::audit::run(args, cx),
        Command::Backup(args) => cli::backup::run(args, cx),
        Command::Schema(args) => cli::schema::run(args),
    };
    outcome.unwrap_or_else(|e| fail(e, cx.locale))
}

/// Prints a command's error where it belongs, its problems' messages for a person reading
/// `locale`, and returns its exit status.
fn fail(e: CliError, locale: Locale) -> ExitCode {
    let status = e.status();
    match e {
        CliError::ClosedPipe => {}
        CliError::Engine { error: parindex::Error::Invalid(problems), shown } => {
            show(&render(&problems, shown.format, locale), shown.stream);
        }
        CliError::Forms { error: parindex_forms::Error::Invalid(problems), shown } => {
            show(&render(&problems, shown.format, locale), shown.stream);
        }
        other => eprint(&format!("parindex: {}\n", other.message_in(locale))),
    }
    ExitCode::from(status)
}

/// Prints problems on `stream` (a closed standard output has no reader left to tell).
fn show(text: &str, stream: Stream) {
    match stream {
        Stream::Stdout => {
            let _ = cli::output::print(text);
        }
        Stream::Stderr => eprint(text),
    }
}
