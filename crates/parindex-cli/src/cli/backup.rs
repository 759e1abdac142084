//! `parindex backup --db FILE --out COPY`: a consistent copy of a database, live or not,
//! through SQLite's online backup API, with its evidence files (`COPY.evidence`); the copy
//! is checked at once (docs/operations.md).

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_store::{Store, audit, evidence};

use parindex::Locale;

use super::context::Context;
use super::error::CliError;
use super::output::eprint;
use super::terminal::escape_line;

/// Arguments of `parindex backup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database to copy (a server may be running on it).
    #[arg(long)]
    db: PathBuf,
    /// The copy: a new file (an existing one is not overwritten).
    #[arg(long)]
    out: PathBuf,
}

/// Copies the database, then checks the copy's audit log; says so, and why a copy is
/// broken, in the reader's locale.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    if !args.db.is_file() {
        return Err(super::token::no_database(&args.db));
    }
    let en = cx.locale == Locale::En;
    // Paths and the store's reasons are printed on one line each, whatever they hold.
    let (db, out) = (args.db.display().to_string(), args.out.display().to_string());
    let (db, out) = (escape_line(&db), escape_line(&out));
    Store::open(&args.db)?.backup(&args.out)?;
    let copy = Store::open(&args.out)?;
    let checked = copy.read(|tx| audit::verify(tx))?;
    if let Ok(v) = &checked
        && let Err(b) = copy.read(|tx| evidence::verify(tx, &copy.evidence_dir()))?
    {
        let (events, reason) = (v.events, escape_line(b.reason_in(!en)));
        eprint(&if en {
            format!(
                "parindex: the copy {out} was written, but its evidence files do not match ({events} log events): {reason}\n"
            )
        } else {
            format!(
                "parindex: bản sao {out} đã được ghi nhưng tệp minh chứng không khớp ({events} sự kiện nhật ký): {reason}\n"
            )
        });
        return Ok(ExitCode::from(super::error::INVALID));
    }
    match checked {
        Ok(v) => {
            let (events, documents, tokens, head) = (v.events, v.documents, v.tokens, escape_line(&v.head));
            eprint(&if en {
                format!(
                    "parindex: backed up {db} to {out} ({events} log events, {documents} documents, {tokens} tokens; head {head})\n"
                )
            } else {
                format!(
                    "parindex: đã sao lưu {db} sang {out} ({events} sự kiện nhật ký, {documents} tài liệu, {tokens} token; đầu chuỗi {head})\n"
                )
            });
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            let (seq, reason) = (b.seq, escape_line(b.reason_in(!en)));
            eprint(&if en {
                format!("parindex: the copy {out} was written, but its audit log is broken at event {seq}: {reason}\n")
            } else {
                format!("parindex: bản sao {out} đã được ghi nhưng nhật ký kiểm toán hỏng ở sự kiện {seq}: {reason}\n")
            });
            Ok(ExitCode::from(super::error::INVALID))
        }
    }
}
