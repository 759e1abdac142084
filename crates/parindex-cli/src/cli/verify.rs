//! `parindex verify ROUND_DIR RESULTS.json`: re-score the round and compare every published
//! figure and every input file's SHA-256.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parindex::VerifyError;

use super::output::{INVALID, USAGE};

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
pub fn run(args: Args) -> ExitCode {
    let text = match super::limits::read_to_string(&args.results, &args.limits.limits()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("parindex: cannot read the results {}: {e}", args.results.display());
            return ExitCode::from(USAGE);
        }
    };
    let verification = match parindex::verify_with_limits(&args.round_dir, &text, args.limits.limits()) {
        Ok(v) => v,
        Err(VerifyError::Usage(m)) => {
            eprintln!("parindex: {m}");
            return ExitCode::from(USAGE);
        }
        Err(e) => {
            match args.format {
                VerifyFormat::Text => {
                    eprintln!("parindex: {}", super::terminal::escape(&format!("{}: {e}", args.results.display())));
                }
                VerifyFormat::Json => println!("{}", serde_json::json!({ "verified": false, "error": e.to_string() })),
            }
            return ExitCode::from(INVALID);
        }
    };
    match args.format {
        VerifyFormat::Json => {
            let mut v = serde_json::to_value(&verification).unwrap_or_default();
            if let Some(m) = v.as_object_mut() {
                m.insert("verified".into(), verification.matches().into());
            }
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        VerifyFormat::Text => {
            for note in &verification.notes {
                println!("note: {}", super::terminal::escape(note));
            }
            for d in &verification.differences {
                println!("{}", super::terminal::escape(&d.to_string()));
            }
            if verification.matches() {
                println!(
                    "verified: round {} — every figure of {} unit(s) and the SHA-256 of {} input file(s) match the results",
                    verification.round, verification.units, verification.inputs_checked
                );
            } else {
                println!(
                    "{} difference(s): the results do not match round {} as re-scored from {}",
                    verification.differences.len(),
                    verification.round,
                    args.round_dir.display()
                );
            }
        }
    }
    if verification.matches() { ExitCode::SUCCESS } else { ExitCode::from(INVALID) }
}
