//! `parindex verify ROUND_DIR RESULTS.json`: re-score the round and compare every published
//! figure and every input file's SHA-256.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parindex::{Error, Locale};

use super::context::Context;
use super::error::{CliError, INVALID, Named};
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
/// cannot be verified (malformed, another round), 2 on a usage error. The text is in the
/// reader's locale; the JSON (fields, and its English sentences) never changes with it.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let limits = args.limits.limits();
    let text = super::limits::read_to_string(&args.results, &limits, Named { vi: "kết quả ", en: "the results " })?;
    let verification = match parindex::verify_with_limits(&args.round_dir, &text, limits) {
        Ok(v) => v,
        Err(error @ (Error::MalformedResults(_) | Error::OtherRound { .. })) => {
            return match args.format {
                VerifyFormat::Text => Err(CliError::Results { path: args.results, error }),
                // The JSON's sentence stays English, as it always was.
                VerifyFormat::Json => {
                    print(&format!("{}\n", serde_json::json!({ "verified": false, "error": error.to_string() })))?;
                    Ok(ExitCode::from(INVALID))
                }
            };
        }
        Err(e) => return Err(e.into()),
    };
    // The JSON's sentences stay English, as they always were.
    let locale = if matches!(args.format, VerifyFormat::Json) { Locale::En } else { cx.locale };
    let file_problems = evidence_problems(&args.round_dir, &limits, locale);
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
            let note_label = if locale == Locale::En { "note" } else { "ghi chú" };
            for note in verification.notes_in(locale) {
                out.push_str(&format!("{note_label}: {note}\n"));
            }
            for d in &verification.differences {
                out.push_str(&format!("{}\n", d.render_in(locale)));
            }
            for p in &file_problems {
                out.push_str(&format!("{p}\n"));
            }
            let (round, units, inputs) = (&verification.round, verification.units, verification.inputs_checked);
            let n = verification.differences.len();
            let dir = args.round_dir.display();
            out.push_str(&match (verification.matches() && file_problems.is_empty(), locale) {
                (true, Locale::En) => format!(
                    "verified: round {round} — every figure of {units} unit(s) and the SHA-256 of {inputs} input file(s) match the results\n"
                ),
                (true, _) => format!(
                    "đã kiểm chứng: kỳ đánh giá {round} — mọi số liệu của {units} đơn vị và SHA-256 của {inputs} tệp đầu vào khớp với kết quả\n"
                ),
                (false, Locale::En) => {
                    format!("{n} difference(s): the results do not match round {round} as re-scored from {dir}\n")
                }
                (false, _) => {
                    format!("{n} điểm khác biệt: kết quả không khớp với kỳ đánh giá {round} khi chấm lại từ {dir}\n")
                }
            });
        }
    }
    match args.format {
        VerifyFormat::Json => print(&out)?,
        // Notes and differences quote ids and file names from the folder.
        VerifyFormat::Text => print_text(&out)?,
    }
    Ok(if verification.matches() && file_problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(INVALID) })
}

/// Issue 13: every evidence file (`"file": "sha256:<hex>"`) the folder's assessments
/// reference must be in `evidence/<hex>` with those bytes. One line per problem.
/// Files are read within `limits` (a FIFO or a device is reported, never read).
fn evidence_problems(dir: &std::path::Path, limits: &parindex::Limits, locale: Locale) -> Vec<String> {
    let en = locale == Locale::En;
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir.join("assessments")) else { return out };
    let mut names: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    names.sort();
    let mut seen = std::collections::BTreeSet::new();
    for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let Ok(text) = parindex::limits::read_to_string(path, limits) else { continue };
        for sha in parindex_store::evidence::referenced(&text) {
            if !seen.insert(sha.clone()) {
                continue;
            }
            let file = dir.join("evidence").join(&sha);
            if let Ok(meta) = std::fs::metadata(&file)
                && !meta.is_file()
            {
                out.push(if en {
                    format!(
                        "evidence: {} references sha256:{sha}, but {} is not a regular file",
                        path.display(),
                        file.display()
                    )
                } else {
                    format!(
                        "minh chứng: {} dẫn chiếu sha256:{sha}, nhưng {} không phải tệp thông thường",
                        path.display(),
                        file.display()
                    )
                });
                continue;
            }
            match parindex_store::evidence::hash_file(&file) {
                Err(e) if en => out.push(format!(
                    "evidence: {} references sha256:{sha}, missing at {} ({e})",
                    path.display(),
                    file.display()
                )),
                Err(e) => out.push(format!(
                    "minh chứng: {} dẫn chiếu sha256:{sha}, nhưng không có tại {} ({e})",
                    path.display(),
                    file.display()
                )),
                Ok(actual) if actual != sha && en => out.push(format!(
                    "evidence: {} has SHA-256 {actual}, not the sha256:{sha} its name and {} give",
                    file.display(),
                    path.display()
                )),
                Ok(actual) if actual != sha => out.push(format!(
                    "minh chứng: {} có SHA-256 {actual}, không phải sha256:{sha} như tên tệp và {} cho biết",
                    file.display(),
                    path.display()
                )),
                Ok(_) => {}
            }
        }
    }
    out
}
