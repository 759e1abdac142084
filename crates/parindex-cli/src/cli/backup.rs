//! `parindex backup --db FILE --out COPY`: a consistent copy of a database, live or not,
//! through SQLite's online backup API, with its evidence files (`COPY.evidence`); the copy
//! is checked at once (docs/operations.md).

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_store::{Store, audit, evidence};

use super::error::CliError;
use super::output::eprint;

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

/// Copies the database, then checks the copy's audit log.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    if !args.db.is_file() {
        return Err(CliError::Usage(format!("không có cơ sở dữ liệu tại {}", args.db.display())));
    }
    Store::open(&args.db)?.backup(&args.out)?;
    let copy = Store::open(&args.out)?;
    let checked = copy.read(|tx| audit::verify(tx))?;
    if let Ok(v) = &checked
        && let Err(b) = copy.read(|tx| evidence::verify(tx, &copy.evidence_dir()))?
    {
        eprint(&format!(
            "parindex: bản sao {} đã được ghi nhưng tệp minh chứng không khớp ({} sự kiện nhật ký): {}\n",
            args.out.display(),
            v.events,
            b.reason
        ));
        return Ok(ExitCode::from(super::error::INVALID));
    }
    match checked {
        Ok(v) => {
            eprint(&format!(
                "parindex: đã sao lưu {} sang {} ({} sự kiện nhật ký, {} tài liệu, {} token; đầu chuỗi {})\n",
                args.db.display(),
                args.out.display(),
                v.events,
                v.documents,
                v.tokens,
                v.head
            ));
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            eprint(&format!(
                "parindex: bản sao {} đã được ghi nhưng nhật ký kiểm toán hỏng ở sự kiện {}: {}\n",
                args.out.display(),
                b.seq,
                b.reason
            ));
            Ok(ExitCode::from(super::error::INVALID))
        }
    }
}
