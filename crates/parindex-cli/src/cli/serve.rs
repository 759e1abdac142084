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
    /// server waits for it (so an idle keep-alive connection never stays open longer).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a connection may stay idle (just opened, or kept alive after a response)
    /// before the first byte of its next request; at most --header-timeout, its default.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=3600))]
    idle_timeout: Option<u64>,
    /// Seconds of each window in which a client that is sent a response must take at least
    /// --min-send-rate bytes a second (counted only while the response waits for it);
    /// otherwise the connection is closed.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    send_timeout: u64,
    /// Bytes a second a client must take, on average over each --send-timeout window, of a
    /// response that waits for it (0: any progress at all).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(0..=1_000_000_000))]
    min_send_rate: u64,
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
    let idle_timeout = args.idle_timeout.unwrap_or(args.header_timeout);
    if idle_timeout > args.header_timeout {
        let n = args.header_timeout;
        return Err(CliError::usage(
            format!(
                "--idle-timeout {idle_timeout} dài hơn --header-timeout {n}: thời gian chờ yêu cầu tiếp theo đã được tính trong --header-timeout, nên --idle-timeout tối đa là {n} (hoặc tăng --header-timeout)"
            ),
            format!(
                "--idle-timeout {idle_timeout} is longer than --header-timeout {n}: the wait for the next request counts in --header-timeout, so --idle-timeout is at most {n} (or raise --header-timeout)"
            ),
        ));
    }
    init_logging(args.log_format);
    let usize_of = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let options = ServeOptions {
        addr: args.addr,
        limits: Limits {
            body_limit: args.body_limit,
            header_timeout: Duration::from_secs(args.header_timeout),
            idle_timeout: Duration::from_secs(idle_timeout),
            send_timeout: Duration::from_secs(args.send_timeout),
            min_send_rate: args.min_send_rate,
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
