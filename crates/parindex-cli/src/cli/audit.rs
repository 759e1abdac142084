//! `parindex audit verify --db FILE`: checks the audit log's SHA-256 chain, every stored
//! document and token against its last event, and that everything the log names is still
//! stored; reports the first broken link.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex::Locale;
use parindex_store::{Store, audit};

use super::context::Context;
use super::error::{CliError, INVALID};
use super::output::print;
use super::terminal::escape_line;

/// Arguments of `parindex audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// Check the chain; exit 0 if intact, 1 at the first broken link.
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// The SQLite database file.
    #[arg(long)]
    db: PathBuf,
}

/// Runs the check; says what it found, and why a link is broken, in the reader's locale.
pub fn run(args: Args, cx: Context) -> Result<ExitCode, CliError> {
    let AuditCommand::Verify(args) = args.command;
    if !args.db.is_file() {
        return Err(super::token::no_database(&args.db));
    }
    let en = cx.locale == Locale::En;
    let store = Store::open(&args.db)?;
    match store.read(|tx| audit::verify(tx))? {
        Ok(v) => {
            let (events, documents, tokens, head) = (v.events, v.documents, v.tokens, escape_line(&v.head));
            print(&if en {
                format!(
                    "audit log intact: {events} events, {documents} documents and {tokens} tokens match their last event; head {head}\n"
                )
            } else {
                format!(
                    "nhật ký kiểm toán nguyên vẹn: {events} sự kiện, {documents} tài liệu và {tokens} token khớp với sự kiện cuối của chúng; đầu chuỗi {head}\n"
                )
            })?;
            verify_evidence(&store, en)
        }
        Err(b) => {
            print(&if en {
                format!("audit log broken at event {}: {}\n", b.seq, escape_line(b.reason_in(!en)))
            } else {
                format!("nhật ký kiểm toán bị hỏng ở sự kiện {}: {}\n", b.seq, escape_line(b.reason_in(!en)))
            })?;
            Ok(ExitCode::from(INVALID))
        }
    }
}

/// Issue 13: every evidence file a document references was uploaded by its unit, and every
/// stored file is in `<db>.evidence` with the bytes its SHA-256 names.
fn verify_evidence(store: &Store, en: bool) -> Result<ExitCode, CliError> {
    let dir = store.evidence_dir();
    match store.read(|tx| parindex_store::evidence::verify(tx, &dir))? {
        Ok(n) => {
            print(&if en {
                format!("evidence files intact: {n} files match their SHA-256\n")
            } else {
                format!("tệp minh chứng nguyên vẹn: {n} tệp khớp với SHA-256 của chúng\n")
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            print(&if en {
                format!("evidence files broken: {}\n", escape_line(b.reason_in(!en)))
            } else {
                format!("tệp minh chứng bị hỏng: {}\n", escape_line(b.reason_in(!en)))
            })?;
            Ok(ExitCode::from(INVALID))
        }
    }
}
