//! `parindex verify ROUND_DIR RESULTS.json`: re-score the round and compare every published
//! figure and every input file's SHA-256.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parindex::Error;

use super::error::{CliError, INVALID};
use super::output::print;

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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VerifyFormat {
    Text,
    Json,
}

/// Exits 0 when every figure and hash matches, 1 when anything differs or the results
/// cannot be verified (malformed, another round), 2 on a usage error.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let text = std::fs::read_to_string(&args.results)
        .map_err(|e| CliError::Usage(format!("cannot read the results {}: {e}", args.results.display())))?;
    let verification = match parindex::verify(&args.round_dir, &text) {
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
    let file_problems = evidence_problems(&args.round_dir);
    let mut out = String::new();
    match args.format {
        VerifyFormat::Json => {
            let mut v = serde_json::to_value(&verification).unwrap_or_default();
            if let Some(m) = v.as_object_mut() {
                m.insert("verified".into(), (verification.matches() && file_problems.is_empty()).into());
                m.insert("evidence_problems".into(), file_problems.clone().into());
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
            for p in &file_problems {
                out.push_str(&format!("{p}\n"));
            }
            if verification.matches() && file_problems.is_empty() {
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
    print(&out)?;
    Ok(if verification.matches() && file_problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(INVALID) })
}

/// Issue 13: every evidence file (`"file": "sha256:<hex>"`) the folder's assessments
/// reference must be in `evidence/<hex>` with those bytes. One line per problem.
fn evidence_problems(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir.join("assessments")) else { return out };
    let mut names: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    names.sort();
    let mut seen = std::collections::BTreeSet::new();
    for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        for sha in parindex_store::evidence::referenced(&text) {
            if !seen.insert(sha.clone()) {
                continue;
            }
            let file = dir.join("evidence").join(&sha);
            match parindex_store::evidence::hash_file(&file) {
                Err(e) => out.push(format!(
                    "evidence: {} references sha256:{sha}, missing at {} ({e})",
                    path.display(),
                    file.display()
                )),
                Ok(actual) if actual != sha => out.push(format!(
                    "evidence: {} has SHA-256 {actual}, not the sha256:{sha} its name and {} give",
                    file.display(),
                    path.display()
                )),
                Ok(_) => {}
            }
        }
    }
    out
}
