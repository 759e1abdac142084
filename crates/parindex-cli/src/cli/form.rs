//! `parindex form ROUND_DIR --unit ID --out FILE.xlsx [--stage N]`: a unit's workbook.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use parindex_forms::SheetKind;

use super::context::Context;
use super::error::CliError;
use super::output::print;

/// Arguments of `parindex form`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder: round.json, the criteria sets it names, assessments/*.json.
    round_dir: PathBuf,
    /// The unit whose form to write (its id in round.json).
    #[arg(long)]
    unit: String,
    /// Where to write the workbook (.xlsx).
    #[arg(long)]
    out: PathBuf,
    /// Write the appraisal sheet of stage N (thẩm định lần N), showing the unit's entries in
    /// effect before it, instead of the self-assessment sheet.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    stage: Option<u32>,
}

/// Writes the workbook; exits 1 when the round's documents are invalid, 2 on a usage error.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let kind = args.stage.map_or(SheetKind::SelfAssessment, SheetKind::Appraisal);
    let bytes = parindex_forms::write_form(&args.round_dir, &args.unit, kind)?;
    write_file(&args.out, &bytes).map_err(|e| CliError::cannot_write(&args.out, &e))?;
    let line = match cx.locale {
        parindex::Locale::En => {
            format!("{}: sheet \"{}\" of unit {}\n", args.out.display(), kind.sheet_name(), args.unit)
        }
        _ => format!("{}: trang \"{}\" của đơn vị {}\n", args.out.display(), kind.sheet_name(), args.unit),
    };
    print(&line)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a reader never sees a
/// half-written file and a failure leaves the old one.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
