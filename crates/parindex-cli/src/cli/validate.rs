//! `parindex validate PATH`: every problem in a round folder or one document.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex::DocumentKind;

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
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let shown = Shown { format: args.format, stream: Stream::Stdout };
    let kind = parindex::validate_path_with_limits(&args.path, args.round.as_deref(), args.limits.limits())
        .map_err(|e| CliError::engine(e, shown))?;
    match args.format {
        ErrorFormat::Json => print("{\n  \"errors\": []\n}\n")?,
        ErrorFormat::Text => print_text(&format!("{}: valid {}\n", args.path.display(), describe(&kind)))?,
    }
    Ok(ExitCode::SUCCESS)
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
