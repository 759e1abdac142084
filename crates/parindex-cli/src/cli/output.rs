//! Printing problems, and the exit statuses every command shares.

use std::process::ExitCode;

use clap::ValueEnum;
use parindex::{Diagnostics, Error};

use super::terminal::escape;

/// How many problems are printed in full; past them, one line per code says how many more
/// (docs/limits.md).
pub const SHOWN_PROBLEMS: usize = 1_000;

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
            eprintln!("parindex: {}", escape(&message));
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

/// The problems as text lines or as the JSON object of SPEC §10: the first
/// [`SHOWN_PROBLEMS`] in full, then how many more of each code (in JSON, `"omitted": {code:
/// count}`). Text lines show control characters escaped.
pub fn render(diags: &Diagnostics, format: ErrorFormat) -> String {
    let shown;
    let diags = if diags.errors.len() > SHOWN_PROBLEMS || !diags.omitted.is_empty() {
        shown = diags.truncated(SHOWN_PROBLEMS);
        &shown
    } else {
        diags
    };
    match format {
        ErrorFormat::Json => {
            let mut text = serde_json::to_string_pretty(diags).unwrap_or_default();
            text.push('\n');
            text
        }
        ErrorFormat::Text => {
            let mut text: String = diags.errors.iter().map(|d| escape(&d.render()).into_owned() + "\n").collect();
            for (code, n) in &diags.omitted {
                text.push_str(&format!("and {n} more of code {code}\n"));
            }
            text.push_str(&format!("{} problem(s) found\n", diags.len()));
            text
        }
    }
}
