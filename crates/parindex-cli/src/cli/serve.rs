//! `parindex serve [--db FILE] [--addr 127.0.0.1:8080]`: the JSON API (docs/api.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use super::error::CliError;

/// Arguments of `parindex serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The SQLite database file (created if missing).
    #[arg(long, default_value = "parindex.db")]
    db: PathBuf,
    /// Address and port to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The largest request body accepted, in bytes (larger: 413).
    #[arg(long, default_value_t = parindex_server::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
}

/// Serves until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(CliError::Runtime)?;
    runtime.block_on(parindex_server::serve(&args.db, args.addr, args.body_limit))?;
    Ok(ExitCode::SUCCESS)
}
