//! `parindex token create --role ROLE [--db FILE]`: makes an API token and prints it once.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_server::Role;
use parindex_store::{Store, time, tokens};

use super::error::CliError;
use super::output::{eprint, print};

/// Arguments of `parindex token`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TokenCommand {
    /// Make a token; prints the secret (shown once, stored only as its SHA-256).
    Create(CreateArgs),
}

#[derive(Debug, clap::Args)]
struct CreateArgs {
    /// admin, appraiser, appraiser:<agency>, council, auditor, or unit:<unit-id>.
    #[arg(long)]
    role: String,
    /// The SQLite database file (created if missing).
    #[arg(long, default_value = "parindex.db")]
    db: PathBuf,
    /// A label for people (who holds it).
    #[arg(long, default_value = "")]
    label: String,
    /// The token stops working after this many days.
    #[arg(long)]
    expires_in_days: Option<u32>,
}

/// Makes the token.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let TokenCommand::Create(args) = args.command;
    let Some(role) = Role::parse(&args.role) else {
        return Err(CliError::Usage(format!(
            "unknown role '{}': use admin, appraiser, appraiser:<agency>, council, auditor or unit:<unit-id>",
            args.role
        )));
    };
    let expires_at = args.expires_in_days.map(|d| time::now_unix() + i64::from(d) * 86_400);
    let (token, secret) = Store::open(&args.db)
        .and_then(|store| store.write(|tx| tokens::create(tx, "cli", &role.as_string(), &args.label, expires_at)))?;
    eprint(&format!(
        "parindex: token #{} for role {} in {}{} (shown once; keep it secret)\n",
        token.id,
        token.role,
        args.db.display(),
        expires_at.map(|t| format!(", expires {}", time::rfc3339(t, 0))).unwrap_or_default()
    ));
    print(&format!("{secret}\n"))?;
    Ok(ExitCode::SUCCESS)
}
