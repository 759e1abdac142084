//! `parindex verify ROUND_DIR RESULTS.json`: re-score the round and compare every published
//! figure and every input file's SHA-256.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parindex::Error;

use super::error::{CliError, INVALID};
use super::output::{print, print_text};

/// Arguments of `parindex verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder.
    round_dir: PathBuf,
    /// The results document as published.
    results: PathBuf,
    /// `text`: one line per difference; `json`: {"verified", "differences", …}.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VerifyFormat {
    Text,
    Json,
}

/// Exits 0 when every figure and hash matches, 1 when anything differs or the results
/// cannot be verified (malformed, another round), 2 on a usage error.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let limits = args.limits.limits();
    let text = super::limits::read_to_string(&args.results, &limits, "the results ")?;
    let verification = match parindex::verify_with_limits(&args.round_dir, &text, limits) {
        Ok(v) => v,
        Err(error @ (Error::MalformedResults(_) | Error::OtherRound { .. })) => {
            return match args.format {
                VerifyFormat::Text => Err(CliError::Results { path: args.results, error }),
                VerifyFormat::Json => {
                    print(&format!("{}\n", serde_json::json!({ "verified": false, "error": error.to_string() })))?;
                    Ok(ExitCode::from(INVALID))
                }
            };
        }
        Err(e) => return Err(e.into()),
    };
    let mut out = String::new();
    match args.format {
        VerifyFormat::Json => {
            let mut v = serde_json::to_value(&verification).unwrap_or_default();
            if let Some(m) = v.as_object_mut() {
                m.insert("verified".into(), verification.matches().into());
            }
            out.push_str(&serde_json::to_string_pretty(&v).unwrap_or_default());
            out.push('\n');
        }
        VerifyFormat::Text => {
            for note in &verification.notes {
                out.push_str(&format!("note: {note}\n"));
            }
            for d in &verification.differences {
                out.push_str(&format!("{d}\n"));
            }
            if verification.matches() {
                out.push_str(&format!(
                    "verified: round {} — every figure of {} unit(s) and the SHA-256 of {} input file(s) match the results\n",
                    verification.round, verification.units, verification.inputs_checked
                ));
            } else {
                out.push_str(&format!(
                    "{} difference(s): the results do not match round {} as re-scored from {}\n",
                    verification.differences.len(),
                    verification.round,
                    args.round_dir.display()
                ));
            }
        }
    }
    match args.format {
        VerifyFormat::Json => print(&out)?,
        // Notes and differences quote ids and file names from the folder.
        VerifyFormat::Text => print_text(&out)?,
    }
    Ok(if verification.matches() { ExitCode::SUCCESS } else { ExitCode::from(INVALID) })
}
