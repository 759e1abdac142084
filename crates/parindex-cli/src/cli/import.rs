//! `parindex import FILE.xlsx --round ROUND_DIR [--out assessments/ID.json]`: a filled
//! workbook back into an assessment document, checked by the engine.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_forms::{ImportOptions, SheetKind};

use parindex::Locale;

use super::context::Context;
use super::error::{CliError, Shown};
use super::form::write_file;
use super::output::{ErrorFormat, Stream, eprint, print};

/// Arguments of `parindex import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The filled workbook (.xlsx) made by `parindex form`.
    file: PathBuf,
    /// The round folder the workbook belongs to.
    #[arg(long)]
    round: PathBuf,
    /// Write the assessment to this file; if it exists, the sheet's stage replaces that stage
    /// in it and everything else is kept. Without --out the document is printed.
    #[arg(long)]
    out: Option<PathBuf>,
    /// When the self-assessment was submitted (RFC 3339, e.g. 2024-01-10T08:00:00+07:00).
    #[arg(long)]
    submitted_at: Option<String>,
    /// `text`: one line per problem; `json`: {"errors": [...]} with the cell of each.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    format: ErrorFormat,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Imports the workbook; on any problem prints them all, writes nothing and exits 1.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let options =
        ImportOptions { out: args.out.clone(), submitted_at: args.submitted_at.clone(), limits: args.limits.limits() };
    let imported = parindex_forms::import(&args.file, &args.round, &options)
        .map_err(|error| CliError::Forms { error, shown: Shown { format: args.format, stream: Stream::Stderr } })?;
    for finding in &imported.findings {
        let label = if cx.locale == Locale::Vi { "cảnh báo" } else { "warning" };
        eprint(&format!("{label}: {}\n", finding.render_in(cx.locale)));
    }
    let mut text = serde_json::to_string_pretty(&imported.document).unwrap_or_default();
    text.push('\n');
    let what = match (cx.locale, imported.kind) {
        (Locale::Vi, SheetKind::SelfAssessment) => "hồ sơ tự đánh giá".to_owned(),
        (Locale::Vi, SheetKind::Appraisal(n)) => format!("thẩm định vòng {n}"),
        (_, SheetKind::SelfAssessment) => "self-assessment".to_owned(),
        (_, SheetKind::Appraisal(n)) => format!("appraisal stage {n}"),
    };
    match &args.out {
        Some(out) => {
            write_file(out, text.as_bytes()).map_err(|e| CliError::cannot_write(out, &e))?;
            let line = match cx.locale {
                Locale::Vi => {
                    let kept = imported.base.map(|b| format!(", giữ các vòng khác từ {b}")).unwrap_or_default();
                    format!("{}: {what} của {} ({} mục{kept})\n", out.display(), imported.unit, imported.entries)
                }
                _ => {
                    let kept = imported.base.map(|b| format!(", other stages kept from {b}")).unwrap_or_default();
                    format!("{}: {what} of {} ({} entries{kept})\n", out.display(), imported.unit, imported.entries)
                }
            };
            print(&line)?;
        }
        None => print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
