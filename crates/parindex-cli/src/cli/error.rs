//! What can go wrong in a command: the libraries' errors, typed, with what the command needs
//! to print them. Commands return it; only `main` prints it and chooses the exit status.

use std::io;
use std::path::PathBuf;

use parindex::Locale;

use super::output::{ErrorFormat, Stream};

/// How a command wants its problems printed.
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    /// Text lines or the JSON object of SPEC §10.
    pub format: ErrorFormat,
    /// Standard output (when the problems are the command's output) or standard error.
    pub stream: Stream,
}

impl Shown {
    /// Text on standard error: what most commands do.
    pub const TEXT: Shown = Shown { format: ErrorFormat::Text, stream: Stream::Stderr };
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// From the engine: an unreadable path, an unknown unit or criterion (usage), or invalid
    /// input (every problem listed).
    #[error("{error}")]
    Engine {
        /// What the engine said.
        error: parindex::Error,
        /// How to print invalid input.
        shown: Shown,
    },
    /// From the workbook forms.
    #[error("{error}")]
    Forms {
        /// What the forms library said.
        error: parindex_forms::Error,
        /// How to print invalid input.
        shown: Shown,
    },
    /// Published results that cannot be compared with the round (`verify`).
    #[error("{}: {error}", path.display())]
    Results {
        /// The results file.
        path: PathBuf,
        /// Why.
        error: parindex::Error,
    },
    /// Last round's results that cannot be used (`--previous`).
    #[error("{}: {error}", path.display())]
    Previous {
        /// The previous results file.
        path: PathBuf,
        /// Why.
        error: parindex::PreviousError,
    },
    /// A report that cannot be made.
    #[error("{0}")]
    Report(#[from] parindex_report::ReportError),
    /// The store failed (`token`, `audit`).
    #[error("{0}")]
    Store(#[from] parindex_store::StoreError),
    /// The server could not start or stopped with an error.
    #[error("{0}")]
    Serve(#[from] parindex_server::ServeError),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(io::Error),
    /// The command line asks for something that cannot be done (a bad argument, a path that
    /// cannot be read or written), said in both languages.
    #[error("{}", .0.en)]
    Usage(Said),
    /// Standard output cannot be written (other than a closed pipe).
    #[error("cannot write {}: {source}", what.en)]
    Output {
        /// What was being written.
        what: Named,
        /// What the system said.
        source: io::Error,
    },
    /// The reader of standard output went away (`parindex score DIR | head`): not an error
    /// worth a message.
    #[error("standard output was closed")]
    ClosedPipe,
}

/// A message in Vietnamese and in English; the reader's locale chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// For a person reading Vietnamese.
    pub vi: String,
    /// For a person reading English.
    pub en: String,
}

impl Said {
    /// The message for `locale`.
    pub fn in_locale(&self, locale: Locale) -> &str {
        if locale == Locale::En { &self.en } else { &self.vi }
    }
}

/// What a failed write was writing, in both languages (`"the report"`, `"báo cáo"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named {
    /// In Vietnamese.
    pub vi: &'static str,
    /// In English.
    pub en: &'static str,
}

/// Exit status: the command did what was asked.
pub const OK: u8 = 0;
/// Exit status: the input is invalid (or, for `verify` and `audit`, does not check out).
pub const INVALID: u8 = 1;
/// Exit status: a usage error (bad arguments, a path that cannot be read, an unknown unit).
pub const USAGE: u8 = 2;

impl CliError {
    /// An engine error printed as `shown` says.
    pub fn engine(error: impl Into<parindex::Error>, shown: Shown) -> Self {
        CliError::Engine { error: error.into(), shown }
    }

    /// A usage error said in Vietnamese (`vi`) and English (`en`).
    pub fn usage(vi: impl Into<String>, en: impl Into<String>) -> Self {
        CliError::Usage(Said { vi: vi.into(), en: en.into() })
    }

    /// "cannot write PATH: why" in both languages, a usage error.
    pub fn cannot_write(path: &std::path::Path, source: &io::Error) -> Self {
        CliError::usage(
            format!("không ghi được {}: {source}", path.display()),
            format!("cannot write {}: {source}", path.display()),
        )
    }

    /// The message for a person reading `locale` (problems of invalid input are printed
    /// by `main` as their own lines, not through this). What the libraries say in English
    /// only (the store, the server, reports) is kept, after a Vietnamese lead-in.
    pub fn message_in(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            CliError::Engine { error, .. } => error.message_in(locale),
            CliError::Forms { error, .. } => error.message_in(locale),
            CliError::Results { path, error } => format!("{}: {}", path.display(), error.message_in(locale)),
            CliError::Previous { path, error } => {
                format!("{}: không dùng được kết quả kỳ trước ({error})", path.display())
            }
            CliError::Report(e) => format!("không tạo được báo cáo ({e})"),
            CliError::Store(e) => format!("lỗi cơ sở dữ liệu ({e})"),
            CliError::Serve(e) => format!("máy chủ không chạy được ({e})"),
            CliError::Runtime(e) => format!("không khởi động được môi trường chạy bất đồng bộ ({e})"),
            CliError::Usage(said) => said.in_locale(locale).to_owned(),
            CliError::Output { what, source } => format!("không ghi được {}: {source}", what.vi),
            CliError::ClosedPipe => "đầu ra chuẩn đã bị đóng".to_owned(),
        }
    }

    /// A failed write to standard output: a closed pipe is [`CliError::ClosedPipe`].
    pub fn output(what: Named, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::BrokenPipe {
            CliError::ClosedPipe
        } else {
            CliError::Output { what, source }
        }
    }

    /// The exit status: 0 for a closed pipe, 1 for invalid input, 2 for a usage error.
    pub fn status(&self) -> u8 {
        match self {
            CliError::ClosedPipe => OK,
            CliError::Engine { error, .. } => match error {
                parindex::Error::Invalid(_)
                | parindex::Error::MalformedResults(_)
                | parindex::Error::OtherRound { .. } => INVALID,
                _ => USAGE,
            },
            CliError::Forms { error, .. } => match error {
                parindex_forms::Error::Invalid(_) | parindex_forms::Error::NotXlsx { .. } => INVALID,
                _ => USAGE,
            },
            CliError::Results { .. }
            | CliError::Previous { .. }
            | CliError::Report(_)
            | CliError::Store(_)
            | CliError::Runtime(_)
            | CliError::Output { .. } => INVALID,
            CliError::Serve(_) | CliError::Usage(_) => USAGE,
        }
    }
}

impl From<parindex::Error> for CliError {
    fn from(error: parindex::Error) -> Self {
        CliError::Engine { error, shown: Shown::TEXT }
    }
}

impl From<parindex::FolderError> for CliError {
    fn from(error: parindex::FolderError) -> Self {
        CliError::Engine { error: error.into(), shown: Shown::TEXT }
    }
}

impl From<parindex_forms::Error> for CliError {
    fn from(error: parindex_forms::Error) -> Self {
        CliError::Forms { error, shown: Shown::TEXT }
    }
}
