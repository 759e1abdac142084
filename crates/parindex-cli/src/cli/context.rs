//! What every command shares from the global options: the locale people read (`--locale`,
//! else `PARINDEX_LOCALE`, else Vietnamese) and the width of the terminal (`--width`, else
//! the terminal's own, else 100).

use std::io::IsTerminal;

use parindex::terminal::{DEFAULT_WIDTH, MIN_WIDTH};
use parindex::{LOCALE_ENV, Locale};

use super::error::CliError;

/// The global options, resolved.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The language of messages, explanations and labels; codes and JSON fields never change.
    pub locale: Locale,
    /// The width text output fits (tables, `explain`, `criteria show`).
    pub width: usize,
}

impl Context {
    /// From the command line's `--locale` and `--width`, the environment and the terminal.
    ///
    /// # Errors
    ///
    /// A usage error for a locale (given or in `PARINDEX_LOCALE`) that is neither vi nor en.
    pub fn resolve(locale: Option<&str>, width: Option<usize>) -> Result<Context, CliError> {
        let locale = match locale {
            Some(l) => l.parse::<Locale>().map_err(|e| unknown(&e, ""))?,
            None => match std::env::var(LOCALE_ENV) {
                Ok(l) if !l.trim().is_empty() => {
                    l.parse::<Locale>().map_err(|e| unknown(&e, &format!("{LOCALE_ENV}: ")))?
                }
                _ => Locale::default(),
            },
        };
        let width = width.unwrap_or_else(terminal_width).max(MIN_WIDTH);
        Ok(Context { locale, width })
    }
}

/// A locale that is neither vi nor en, said in both languages (`lead` names where it came from).
fn unknown(e: &parindex::UnknownLocale, lead: &str) -> CliError {
    CliError::usage(
        format!("{lead}không hỗ trợ ngôn ngữ '{}': dùng vi (Tiếng Việt) hoặc en (English)", e.0),
        format!("{lead}{e}"),
    )
}

/// The terminal's width when standard output is one (`COLUMNS`, else the terminal driver),
/// else [`DEFAULT_WIDTH`].
fn terminal_width() -> usize {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return DEFAULT_WIDTH;
    }
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|n| *n > 0) {
        return n;
    }
    driver_width(&stdout).unwrap_or(DEFAULT_WIDTH)
}

#[cfg(unix)]
fn driver_width(stdout: &std::io::Stdout) -> Option<usize> {
    rustix::termios::tcgetwinsize(stdout).ok().map(|w| usize::from(w.ws_col)).filter(|n| *n > 0)
}

#[cfg(not(unix))]
fn driver_width(_: &std::io::Stdout) -> Option<usize> {
    None
}
