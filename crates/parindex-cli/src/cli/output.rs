//! Printing problems, and the exit statuses every command shares.

use std::process::ExitCode;

use clap::ValueEnum;
use parindex::{Diagnostics, Error};

/// Exit status for invalid input (nothing was scored).
pub const INVALID: u8 = 1;
/// Exit status for a usage error (bad arguments, unreadable path).
pub const USAGE: u8 = 2;

/// How problems are printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ErrorFormat {
    /// One line per problem: `file:/json/pointer [code] criterion: message`.
    Text,
    /// `{"errors": [...]}` as in SPEC §10.
    Json,
}

/// Where problems go: standard output when they are the command's output (`validate`),
/// standard error otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Prints an error and returns the exit status it calls for.
pub fn report(e: Error, format: ErrorFormat, stream: Stream) -> ExitCode {
    match e {
        Error::Usage(message) => {
            eprintln!("parindex: {message}");
            ExitCode::from(USAGE)
        }
        Error::Invalid(diags) => {
            let text = render(&diags, format);
            match stream {
                Stream::Stdout => print!("{text}"),
                Stream::Stderr => eprint!("{text}"),
            }
            ExitCode::from(INVALID)
        }
    }
}

/// The problems as text lines or as the JSON object of SPEC §10.
pub fn render(diags: &Diagnostics, format: ErrorFormat) -> String {
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
