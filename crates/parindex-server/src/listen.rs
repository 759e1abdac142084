//! The listener: our own accept loop over hyper's HTTP/1 connections, so that a hostile or
//! broken client cannot hold the server. Every connection has a deadline for its request
//! head and an idle keep-alive deadline, request bodies have a deadline ([`crate::http`]),
//! a response the client does not take at a minimum rate is cut ([`crate::pace`]), the
//! number of open connections is capped (one more is answered 503 and closed), and a
//! shutdown stops accepting at once, lets requests in flight finish within a grace period,
//! then closes what is left.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::error::{ApiError, ErrorCode};
use crate::pace::{Counted, InFlight, Paced};

/// The limits of the server on its clients; every one has a `parindex serve` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body accepted, in bytes (larger: 413).
    pub body_limit: usize,
    /// How long a connection may take to send a complete request head, counted from when
    /// the server starts waiting for it: on a new connection, and on a kept-alive one after
    /// each response (so the idle keep-alive timeout is never longer). Then it is closed.
    pub header_timeout: Duration,
    /// How long a connection may stay idle (opened, or kept alive after a response) before
    /// the first byte of its next request; then it is closed. At most `header_timeout`,
    /// which counts the idle wait too.
    pub idle_timeout: Duration,
    /// The length of a send window: while a response waits for a client that does not take
    /// it, each such window must see at least `min_send_rate` bytes a second taken (at least
    /// one byte), or the connection is closed.
    pub send_timeout: Duration,
    /// The average rate, in bytes a second, at which a client must take a response that
    /// waits for it, over each `send_timeout` window.
    pub min_send_rate: u64,
    /// How long a request body may take to arrive in full (longer: 408).
    pub body_timeout: Duration,
    /// How many connections may be open at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// How many header fields a request may have (more: 431).
    pub max_headers: usize,
    /// After Ctrl-C or SIGTERM, how long requests in flight may take to finish before the
    /// server closes their connections and exits.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_limit: crate::http::DEFAULT_BODY_LIMIT,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(30),
            min_send_rate: 1024,
            body_timeout: Duration::from_secs(30),
            max_connections: 512,
            max_headers: 64,
            grace: Duration::from_secs(10),
        }
    }
}

/// Accepts connections on `listener` and serves `app` on them until `stop` completes; then
/// stops accepting and drains as [`Limits::grace`] allows.
pub async fn run(listener: TcpListener, app: Router, limits: Limits, stop: impl Future<Output = ()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (closing, closing_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors, most likely: wait for some to close
                        // rather than spin.
                        tracing::warn!(error = %e, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                match Arc::clone(&permits).try_acquire_owned() {
                    Ok(permit) => {
                        let (app, closing) = (app.clone(), closing_rx.clone());
                        connections.spawn(async move {
                            connection(stream, app, limits, closing).await;
                            drop(permit);
                        });
                    }
                    Err(_) => {
                        tracing::warn!(max_connections = limits.max_connections, "connection refused: too many open connections");
                        connections.spawn(busy(stream, limits.max_connections));
                    }
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = closing.send(true);
    tracing::info!(
        open_connections = connections.len(),
        grace_seconds = limits.grace.as_secs(),
        "stopping: no new connections; requests in flight may finish"
    );
    let drained = tokio::time::timeout(limits.grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(closed = connections.len(), "grace period over: closing the connections still open");
        connections.abort_all();
    }
}

/// Serves one connection until the client closes it, a deadline passes, or the server stops.
async fn connection(stream: TcpStream, app: Router, limits: Limits, mut closing: watch::Receiver<bool>) {
    let in_flight = InFlight::default();
    let io = TokioIo::new(JsonRefusals::new(Paced::new(stream, &limits, in_flight.clone()), limits.max_headers));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_headers(limits.max_headers)
        .keep_alive(true);
    let conn = builder.serve_connection(io, Counted::new(TowerToHyperService::new(app), in_flight));
    tokio::pin!(conn);
    let stop = async move {
        let _ = closing.wait_for(|c| *c).await;
    };
    let outcome = tokio::select! {
        outcome = conn.as_mut() => outcome,
        () = stop => {
            // Answer the request in flight, if any, then close; an idle connection closes now.
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = outcome {
        tracing::debug!(error = %e, "connection ended");
    }
}

/// Answers a connection over the limit with a JSON 503 and closes it.
async fn busy(mut stream: TcpStream, max: usize) {
    let error = ApiError::new(
        ErrorCode::Busy,
        format!("Máy chủ đang có quá nhiều kết nối (tối đa {max}); vui lòng thử lại sau ít phút."),
    );
    let bytes = raw_response(&error, &[("retry-after", "5")]);
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _ = stream.write_all(&bytes).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// A whole HTTP/1.1 response for `error`, closing the connection.
fn raw_response(error: &ApiError, headers: &[(&str, &str)]) -> Vec<u8> {
    let status = error.status();
    let body = error.body().to_string();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

/// The JSON error for hyper's own answer to a request it could not parse (`status`).
fn refusal_for(status: u16, max_headers: usize) -> ApiError {
    match status {
        431 => ApiError::new(
            ErrorCode::TooManyHeaders,
            format!("Yêu cầu có quá nhiều trường tiêu đề (tối đa {max_headers}) hoặc phần tiêu đề quá dài."),
        ),
        414 => ApiError::new(ErrorCode::UriTooLong, "Đường dẫn (URI) của yêu cầu quá dài."),
        _ => ApiError::new(
            ErrorCode::BadRequest,
            "Yêu cầu HTTP không đúng cú pháp: dòng yêu cầu, một trường tiêu đề hoặc Content-Length \
             (trùng lặp, âm hoặc không phải số) không hợp lệ.",
        ),
    }
}

/// If `buf` is hyper's automatic answer to an unparsable request (a 4xx head with an empty
/// body, which the API itself never sends), its status.
fn automatic_refusal(buf: &[u8]) -> Option<u16> {
    let rest = buf.strip_prefix(b"HTTP/1.1 4")?;
    if !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    let head = std::str::from_utf8(buf).ok()?;
    let empty = head.lines().any(|l| {
        l.split_once(':').is_some_and(|(n, v)| n.trim().eq_ignore_ascii_case("content-length") && v.trim() == "0")
    });
    if !empty {
        return None;
    }
    let digits = std::str::from_utf8(rest.get(..2)?).ok()?;
    digits.parse::<u16>().ok().map(|d| 400 + d)
}

/// The connection's stream, with hyper's plain-text refusals (400, 414, 431 with an empty
/// body, sent before the request reaches the API) rewritten as the API's JSON error.
#[derive(Debug)]
struct JsonRefusals<T> {
    inner: T,
    /// A rewritten answer still to be written.
    pending: Vec<u8>,
    sent: usize,
    max_headers: usize,
}

impl<T> JsonRefusals<T> {
    fn new(inner: T, max_headers: usize) -> Self {
        JsonRefusals { inner, pending: Vec::new(), sent: 0, max_headers }
    }
}

impl<T: AsyncWrite + Unpin> JsonRefusals<T> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        while self.sent < self.pending.len() {
            let rest = self.pending.get(self.sent..).unwrap_or_default();
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, rest))?;
            if n == 0 {
                return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonRefusals<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonRefusals<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        ready!(this.drain(cx))?;
        if let Some(status) = automatic_refusal(buf) {
            let error = refusal_for(status, this.max_headers);
            tracing::info!(status, code = %error.code(), "request refused before routing");
            this.pending = raw_response(&error, &[]);
            this.sent = 0;
            // Best effort now; the rest on flush.
            let _ = this.drain(cx);
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        // One buffer per write, so that a head is seen whole.
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_empty_refusals_are_rewritten() {
        assert_eq!(
            automatic_refusal(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n"),
            Some(431)
        );
        assert_eq!(automatic_refusal(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: x\r\n\r\n"), Some(400));
        assert_eq!(automatic_refusal(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 52\r\n\r\n"), None);
        assert_eq!(automatic_refusal(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"), None);
        assert_eq!(automatic_refusal(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n{"), None);
    }
}
