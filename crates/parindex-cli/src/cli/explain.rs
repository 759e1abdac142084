//! `parindex explain ROUND_DIR --unit ID [--criterion CODE]`: why every point of one unit is
//! what it is, as text.

use std::path::PathBuf;
use std::process::ExitCode;

use super::output::{ErrorFormat, Stream, report};

/// Arguments of `parindex explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder.
    round_dir: PathBuf,
    /// The unit's id.
    #[arg(long)]
    unit: String,
    /// One criterion (a leaf, or a group: every leaf under it): every stage, the rule's
    /// reckoning, reasons and evidence. Without it: the table of every criterion (self,
    /// each appraisal, final), the findings and the arithmetic of the totals and the index.
    #[arg(long, value_name = "CODE")]
    criterion: Option<String>,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Prints the explanation; exits 1 on invalid input, 2 for an unknown unit or criterion.
pub fn run(args: Args) -> ExitCode {
    let folder = match parindex::RoundFolder::load_with_limits(&args.round_dir, args.limits.limits()) {
        Ok(folder) => folder,
        Err(e) => return report(e.into(), ErrorFormat::Text, Stream::Stderr),
    };
    match parindex::explain_text(&folder, &args.unit, args.criterion.as_deref()) {
        Ok(text) => {
            print!("{}", super::terminal::escape(&text));
            ExitCode::SUCCESS
        }
        Err(e) => report(e, ErrorFormat::Text, Stream::Stderr),
    }
}
