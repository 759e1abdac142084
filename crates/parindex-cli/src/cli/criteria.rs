//! `parindex criteria show FILE` and `parindex criteria diff OLD NEW`: what an officer checks
//! in a criteria set before a round opens, and what changed between two sets.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use parindex::{CriteriaSet, Error};

use super::context::Context;
use super::error::CliError;
use super::output::{print, print_text};

/// Arguments of `parindex criteria`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the tree: each item's code, title and maximum, each leaf's rule in words, its
    /// source, "nothing arose" policy, evidence requirement and applies_to.
    Show {
        /// A criteria-set file.
        file: PathBuf,
    },
    /// List the items added, removed or changed (title, max, rule, applies_to, …) from OLD to NEW.
    Diff {
        /// The older criteria-set file.
        old: PathBuf,
        /// The newer criteria-set file.
        new: PathBuf,
        /// `text`: one line per change (+ added, - removed, ~ changed); `json`: a list.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

fn load(path: &Path) -> Result<CriteriaSet, Error> {
    let name = path.display().to_string();
    let text = parindex::limits::read_to_string(path, &parindex::Limits::default())
        .map_err(|e| Error::Io { path: path.to_path_buf(), source: e.into() })?;
    CriteriaSet::from_json(&text).map_err(|d| Error::Invalid(d.in_file(&name)))
}

/// Runs `show` or `diff`; an invalid criteria set prints every problem and exits 1.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    match args.command {
        Command::Show { file } => print_text(&parindex::show_criteria_in(&load(&file)?, cx.locale, cx.width))?,
        Command::Diff { old, new, format } => {
            let (old, new) = (load(&old)?, load(&new)?);
            let changes = parindex::diff_criteria_in(&old, &new, cx.locale);
            match format {
                DiffFormat::Json => {
                    let v = serde_json::json!({ "old": old.id, "new": new.id, "changes": changes });
                    print(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))?;
                }
                DiffFormat::Text => {
                    let mut text: String = changes.iter().map(|c| c.render_in(cx.locale) + "\n").collect();
                    text.push_str(&match cx.locale {
                        parindex::Locale::En => format!("{} change(s) from {} to {}\n", changes.len(), old.id, new.id),
                        _ => format!("{} thay đổi từ {} sang {}\n", changes.len(), old.id, new.id),
                    });
                    print_text(&text)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
