//! `parindex explain ROUND_DIR --unit ID [--criterion CODE]`: why every point of one unit is
//! what it is, as text.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex::ExplainOptions;

use super::context::Context;
use super::error::CliError;
use super::output::print_text;

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
    /// Print every computed figure with all its decimals (the engine's exact values) instead
    /// of at the round's precision.
    #[arg(long)]
    exact: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Prints the explanation; exits 1 on invalid input, 2 for an unknown unit or criterion.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let folder = parindex::RoundFolder::load_with_limits(&args.round_dir, args.limits.limits())?;
    let options = ExplainOptions { locale: cx.locale, width: cx.width, exact: args.exact };
    print_text(&parindex::explain_text_with(&folder, &args.unit, args.criterion.as_deref(), &options)?)?;
    Ok(ExitCode::SUCCESS)
}
