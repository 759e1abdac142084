//! `parindex serve [--db FILE] [--addr 127.0.0.1:8080] [limits…] [--log-format text|json]`:
//! the JSON API (docs/api.md), run as docs/operations.md describes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use parindex_server::{Limits, ServeOptions};

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
    /// The largest request body accepted, in bytes (larger: 413); also the largest document
    /// a write may leave stored.
    #[arg(long, default_value_t = parindex_server::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// Seconds a connection may take to send a whole request head, counted from when the
    /// server waits for it (also how long an idle keep-alive connection stays open).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a request body may take to arrive in full (longer: 408).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
    /// Connections open at once; one more is answered 503 and closed.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    max_connections: u64,
    /// Header fields a request may have (more: 431).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(8..=1000))]
    max_headers: u64,
    /// Seconds requests in flight may take to finish after Ctrl-C or SIGTERM.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=3600))]
    grace: u64,
    /// Start even if another server holds the database's lock file (DB.lock). Two servers
    /// on one database are not supported: use this only when no other can be running.
    #[arg(long)]
    no_lock: bool,
    /// Log lines on standard error as text or as JSON objects; the level comes from
    /// RUST_LOG (default: info).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

/// Serves until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    init_logging(args.log_format);
    let usize_of = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let options = ServeOptions {
        addr: args.addr,
        limits: Limits {
            body_limit: args.body_limit,
            header_timeout: Duration::from_secs(args.header_timeout),
            body_timeout: Duration::from_secs(args.body_timeout),
            max_connections: usize_of(args.max_connections),
            max_headers: usize_of(args.max_headers),
            grace: Duration::from_secs(args.grace),
        },
        lock: !args.no_lock,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(CliError::Runtime)?;
    runtime.block_on(parindex_server::serve(&args.db, options))?;
    Ok(ExitCode::SUCCESS)
}

/// Logs to standard error at the level of `RUST_LOG` (default `info`).
fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
    };
}
