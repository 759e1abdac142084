//! `parindex validate PATH`: every problem in a round folder or one document.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex::DocumentKind;

use parindex::Locale;

use super::context::Context;
use super::error::{CliError, Shown};
use super::output::{ErrorFormat, Stream, print, print_text};

/// Arguments of `parindex validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A round folder, or a single criteria-set, round or assessment file.
    path: PathBuf,
    /// `text`: one line per problem; `json`: {"errors": [...]} as in SPEC §10.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    format: ErrorFormat,
    /// The round folder an assessment file belongs to (default: the folder above its assessments/ folder).
    #[arg(long)]
    round: Option<PathBuf>,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Checks the path; exits 0 when valid, 1 with every problem listed when not.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let shown = Shown { format: args.format, stream: Stream::Stdout };
    let kind = parindex::validate_path_with_limits(&args.path, args.round.as_deref(), args.limits.limits())
        .map_err(|e| CliError::engine(e, shown))?;
    match args.format {
        ErrorFormat::Json => print("{\n  \"errors\": []\n}\n")?,
        ErrorFormat::Text => print_text(&format!("{}: {}\n", args.path.display(), describe(&kind, cx.locale)))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(kind: &DocumentKind, locale: Locale) -> String {
    match (locale, kind) {
        (Locale::Vi, DocumentKind::RoundFolder { units, assessments }) => {
            format!("thư mục kỳ đánh giá hợp lệ ({units} đơn vị, {assessments} hồ sơ đánh giá)")
        }
        (Locale::Vi, DocumentKind::CriteriaSet) => "bộ tiêu chí hợp lệ".into(),
        (Locale::Vi, DocumentKind::Round) => "tài liệu kỳ đánh giá hợp lệ".into(),
        (Locale::Vi, DocumentKind::Assessment) => "hồ sơ đánh giá hợp lệ".into(),
        (_, DocumentKind::RoundFolder { units, assessments }) => {
            format!("valid round folder ({units} units, {assessments} assessments)")
        }
        (_, DocumentKind::CriteriaSet) => "valid criteria set".into(),
        (_, DocumentKind::Round) => "valid round document".into(),
        (_, DocumentKind::Assessment) => "valid assessment".into(),
    }
}
