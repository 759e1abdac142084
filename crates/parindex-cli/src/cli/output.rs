//! Writing to standard output and printing problems.
//!
//! Every command writes its output through [`print`] (a locked handle, never `println!`,
//! which panics when the reader of a pipe has gone): a closed pipe becomes
//! [`CliError::ClosedPipe`], which `main` ends quietly.

use std::io::Write;

use clap::ValueEnum;
use parindex::{Diagnostics, Locale};

use super::error::{CliError, Named};
use super::terminal::{escape, escape_line};

/// How many problems are printed in full; past them, one line per code says how many more
/// (docs/limits.md).
pub const SHOWN_PROBLEMS: usize = 1_000;

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

/// Writes `text` to standard output.
pub fn print(text: &str) -> Result<(), CliError> {
    write_bytes(text.as_bytes(), Named { vi: "ra đầu ra chuẩn", en: "to standard output" })
}

/// Writes `bytes` to standard output; `what` names them in an error ("the report").
pub fn write_bytes(bytes: &[u8], what: Named) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).map_err(|e| CliError::output(what, e))
}

/// Writes text made from documents (a table, an explanation, a criteria set in words) to
/// standard output, with control and bidi characters escaped ([`escape`]).
pub fn print_text(text: &str) -> Result<(), CliError> {
    print(&escape(text))
}

/// Writes `text` to standard error, control and bidi characters escaped; a failure there has
/// nowhere to be reported.
pub fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(escape(text).as_bytes()).and_then(|()| err.flush());
}

/// The problems as text lines or as the JSON object of SPEC §10 (for the engine's and the
/// forms' problems alike), each message for a person reading `locale` (codes, files,
/// pointers, cells and criteria unchanged): the first [`SHOWN_PROBLEMS`] in full, then how
/// many more of each code (in JSON, `"omitted": {code: count}`). Each text line shows control
/// characters, line breaks included, escaped.
pub fn render(diags: &Diagnostics, format: ErrorFormat, locale: Locale) -> String {
    let shown;
    let diags = if diags.errors.len() > SHOWN_PROBLEMS || !diags.omitted.is_empty() {
        shown = diags.truncated(SHOWN_PROBLEMS);
        &shown
    } else {
        diags
    };
    match format {
        ErrorFormat::Json => diags.render_json_in(locale),
        ErrorFormat::Text => {
            let mut text: String =
                diags.errors.iter().map(|d| escape_line(&d.render_in(locale)).into_owned() + "\n").collect();
            text.push_str(&diags.summary_in(locale));
            text
        }
    }
}
