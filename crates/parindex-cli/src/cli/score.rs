//! `parindex score ROUND_DIR`: the results document, or each block's ranked table.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::context::Context;
use super::error::{CliError, Named};
use super::output::print_text;
use super::previous;

/// Arguments of `parindex score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round folder: round.json, the criteria sets it names, assessments/*.json — or a
    /// round bundle file (parindex/round-bundle@1, as the JSON API exports).
    round_dir: PathBuf,
    /// `json`: the results document (SPEC §9); `ndjson`: each unit's row on its own line, then
    /// each block's ranking (docs/results-ndjson.md); `table`: each block's ranked table as text.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Json)]
    format: ScoreFormat,
    /// Add to every leaf how its points arose, and to every unit the arithmetic of its
    /// totals, index and class (docs/explain-format.md). JSON only.
    #[arg(long)]
    explain: bool,
    /// Last round's results document: add each unit's previous index and rank and the
    /// change, matched by unit id.
    #[arg(long, value_name = "OLD_RESULTS.json")]
    previous: Option<PathBuf>,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScoreFormat {
    Json,
    Ndjson,
    Table,
}

/// Loads, checks and scores the round; invalid input prints every problem and exits 1.
///
/// Plain JSON streams: each assessment is read, scored and dropped on every core
/// (`parindex::score_folder`). `--explain`, `--previous`, the table and a round bundle file
/// load the whole round.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    if args.explain && matches!(args.format, ScoreFormat::Table) {
        return Err(CliError::usage(
            "--explain bổ sung vào kết quả JSON; để đọc dạng văn bản, dùng `parindex explain ROUND_DIR --unit ID`",
            "--explain adds to the JSON results; for text, use `parindex explain ROUND_DIR --unit ID`",
        ));
    }
    let bundle = args.round_dir.is_file();
    let limits = args.limits.limits();
    let streamed = matches!(args.format, ScoreFormat::Json | ScoreFormat::Ndjson);
    if !bundle && !args.explain && args.previous.is_none() && streamed {
        let results = parindex::score_folder_compact(&args.round_dir, limits)?;
        let written = write_with(args.format, |out, format| match format {
            ScoreFormat::Ndjson => results.write_ndjson(out),
            _ => results.write_json_pretty(out),
        });
        // The process ends here: freeing a national round's rows one by one takes longer
        // than the system reclaiming them.
        std::mem::forget(results);
        return written;
    }
    let folder = if bundle {
        let text = parindex::limits::read_to_string(&args.round_dir, &limits)
            .map_err(|e| parindex::Error::Io { path: args.round_dir.clone(), source: e.into() })?;
        parindex::RoundFolder::from_bundle(&text)?
    } else {
        parindex::RoundFolder::load_with_limits(&args.round_dir, limits)?
    };
    let mut results =
        if args.explain { parindex::score_round_explained(&folder) } else { parindex::score_round(&folder) };
    if let Some(path) = &args.previous {
        previous::apply(path, &limits, &mut results, folder.round.rounding)?;
    }
    match args.format {
        ScoreFormat::Json | ScoreFormat::Ndjson => write_results(&results, args.format),
        ScoreFormat::Table => {
            print_text(&parindex_report::text_table_in(&folder, &results, cx.locale, cx.width))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes the results document (or, for `ndjson`, its lines) to standard output through a
/// buffer.
fn write_results(results: &parindex::ResultsDocument, format: ScoreFormat) -> Result<ExitCode, CliError> {
    write_with(format, |out, format| match format {
        ScoreFormat::Ndjson => parindex::write_results_ndjson(results, out),
        _ => results.write_json_pretty(out),
    })
}

/// Runs `write` on standard output through a large buffer, then flushes it.
fn write_with(
    format: ScoreFormat,
    write: impl FnOnce(&mut BufWriter<std::io::StdoutLock<'static>>, ScoreFormat) -> std::io::Result<()>,
) -> Result<ExitCode, CliError> {
    // Large chunks: standard output is line-buffered, and 8 KiB chunks of a 100 MB
    // document cost two system calls each.
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    write(&mut out, format)
        .and_then(|()| out.flush())
        .map_err(|e| CliError::output(Named { vi: "kết quả", en: "the results" }, e))?;
    Ok(ExitCode::SUCCESS)
}
