//! `parindex audit verify --db FILE`: checks the audit log's SHA-256 chain and every stored
//! document against its last event; reports the first broken link.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_store::{Store, audit};

use super::output::{INVALID, USAGE};

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
pub fn run(args: Args) -> ExitCode {
    let AuditCommand::Verify(args) = args.command;
    if !args.db.is_file() {
        eprintln!("parindex: no database at {}", args.db.display());
        return ExitCode::from(USAGE);
    }
    let outcome = Store::open(&args.db).and_then(|store| store.read(|tx| audit::verify(tx)));
    match outcome {
        Ok(Ok(v)) => {
            println!(
                "audit log intact: {} events, {} documents match their last event; head {}",
                v.events, v.documents, v.head
            );
            ExitCode::SUCCESS
        }
        Ok(Err(b)) => {
            println!("audit log broken at event {}: {}", b.seq, b.reason);
            ExitCode::from(INVALID)
        }
        Err(e) => {
            eprintln!("parindex: {e}");
            ExitCode::from(USAGE)
        }
    }
}
