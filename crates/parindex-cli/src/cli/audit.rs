//! `parindex audit verify --db FILE`: checks the audit log's SHA-256 chain, every stored
//! document and token against its last event, and that everything the log names is still
//! stored; reports the first broken link.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_store::{Store, audit};

use super::error::{CliError, INVALID};
use super::output::print;

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

/// Runs the check.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let AuditCommand::Verify(args) = args.command;
    if !args.db.is_file() {
        return Err(CliError::Usage(format!("no database at {}", args.db.display())));
    }
    let store = Store::open(&args.db)?;
    match store.read(|tx| audit::verify(tx))? {
        Ok(v) => {
            print(&format!(
                "audit log intact: {} events, {} documents and {} tokens match their last event; head {}\n",
                v.events, v.documents, v.tokens, v.head
            ))?;
            verify_evidence(&store)
        }
        Err(b) => {
            print(&format!("audit log broken at event {}: {}\n", b.seq, b.reason))?;
            Ok(ExitCode::from(INVALID))
        }
    }
}

/// Issue 13: every evidence file a document references was uploaded by its unit, and every
/// stored file is in `<db>.evidence` with the bytes its SHA-256 names.
fn verify_evidence(store: &Store) -> Result<ExitCode, CliError> {
    let dir = store.evidence_dir();
    match store.read(|tx| parindex_store::evidence::verify(tx, &dir))? {
        Ok(n) => {
            print(&format!("evidence files intact: {n} files match their SHA-256\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            print(&format!("evidence files broken: {}\n", b.reason))?;
            Ok(ExitCode::from(INVALID))
        }
    }
}
