//! Deadlines that hyper does not keep: the connection's stream wrapped so that a kept-alive
//! connection left idle is closed after [`Limits::idle_timeout`], and a response that the
//! client reads too slowly (or not at all) is cut after [`Limits::send_timeout`].
//!
//! **Idle.** The connection is idle from when it was opened, or from the last byte of a
//! response written, until the first byte of the next request is read; while it is idle and
//! no request is being answered, reading ends (as if the client had closed) once the idle
//! timeout has passed. hyper's own header timeout still bounds the request head once its
//! first byte has arrived.
//!
//! **Sending.** Time is counted only while a write waits for the client (its socket buffer
//! is full), in windows of [`Limits::send_timeout`]: a window in which the client took fewer
//! than [`Limits::min_send_rate`] bytes a second on average (at least one byte) ends the
//! connection. A client reading at any sensible speed never waits that long; one that
//! reads a byte a second, or stopped reading, is cut within one window.
//!
//! [`Limits::idle_timeout`]: crate::Limits::idle_timeout
//! [`Limits::send_timeout`]: crate::Limits::send_timeout
//! [`Limits::min_send_rate`]: crate::Limits::min_send_rate

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use crate::Limits;

/// How many requests of one connection are being answered: from when the service is called
/// until hyper drops the response body (sent in full, or the connection ended).
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(&self) -> Guard {
        self.0.fetch_add(1, Ordering::AcqRel);
        Guard(self.clone())
    }

    fn any(&self) -> bool {
        self.0.load(Ordering::Acquire) > 0
    }
}

/// One request being answered; dropping it ends it.
#[derive(Debug)]
struct Guard(InFlight);

impl Drop for Guard {
    fn drop(&mut self) {
        (self.0).0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A hyper service that counts its requests in [`InFlight`].
#[derive(Debug, Clone)]
pub struct Counted<S> {
    inner: S,
    in_flight: InFlight,
}

impl<S> Counted<S> {
    /// `inner`, counting in `in_flight`.
    pub fn new(inner: S, in_flight: InFlight) -> Self {
        Counted { inner, in_flight }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, R, B> hyper::service::Service<R> for Counted<S>
where
    S: hyper::service::Service<R, Response = axum::http::Response<B>>,
    S::Future: Send + 'static,
    S::Error: 'static,
    B: 'static,
{
    type Response = axum::http::Response<CountedBody<B>>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn call(&self, request: R) -> Self::Future {
        let guard = self.in_flight.enter();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let response = answer.await?;
            Ok(response.map(|body| CountedBody { body, _guard: guard }))
        })
    }
}

/// A response body that ends its request in [`InFlight`] when hyper drops it.
#[derive(Debug)]
pub struct CountedBody<B> {
    body: B,
    _guard: Guard,
}

impl<B: Body + Unpin> Body for CountedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<B::Data>, B::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A window of time spent waiting for the client to take a response.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    bytes: u64,
}

/// The connection's stream with the idle and send deadlines (see the module).
#[derive(Debug)]
pub struct Paced<T> {
    inner: T,
    in_flight: InFlight,
    idle_timeout: Duration,
    send_timeout: Duration,
    /// Bytes the client must take in each send window.
    send_minimum: u64,
    /// When the connection last became idle: opened, or a byte of a response written.
    idle_since: Instant,
    /// Whether a byte was read since [`Paced::idle_since`] (a request has begun).
    read_since_idle: bool,
    idle_timer: Pin<Box<Sleep>>,
    /// The send window in progress, if the last write had to wait.
    window: Option<Window>,
    /// Whether the last write had to wait for the client.
    write_blocked: bool,
    send_timer: Pin<Box<Sleep>>,
}

impl<T> Paced<T> {
    /// `inner` with the deadlines of `limits`; `in_flight` counts the connection's requests.
    pub fn new(inner: T, limits: &Limits, in_flight: InFlight) -> Self {
        let now = Instant::now();
        let seconds = limits.send_timeout.as_secs().max(1);
        Paced {
            inner,
            in_flight,
            idle_timeout: limits.idle_timeout,
            send_timeout: limits.send_timeout,
            send_minimum: limits.min_send_rate.saturating_mul(seconds).max(1),
            idle_since: now,
            read_since_idle: false,
            idle_timer: Box::pin(tokio::time::sleep_until(now + limits.idle_timeout)),
            window: None,
            write_blocked: false,
            send_timer: Box::pin(tokio::time::sleep_until(now + limits.send_timeout)),
        }
    }

    /// Whether the connection waits for a request and has waited past the idle timeout
    /// (else the idle timer is set to wake the reader then).
    fn idle_expired(&mut self, cx: &mut Context<'_>) -> bool {
        if self.read_since_idle || self.write_blocked || self.in_flight.any() {
            return false;
        }
        let deadline = self.idle_since + self.idle_timeout;
        if self.idle_timer.deadline() != deadline {
            self.idle_timer.as_mut().reset(deadline);
        }
        self.idle_timer.as_mut().poll(cx).is_ready()
    }

    /// Closes the send window that has run its time: an error if the client took too
    /// little in it while a write waited; otherwise a new window begins (or none, when
    /// nothing waits).
    fn check_window(&mut self) -> std::io::Result<()> {
        let Some(window) = self.window else { return Ok(()) };
        let now = Instant::now();
        if now < window.start + self.send_timeout {
            return Ok(());
        }
        if !self.write_blocked {
            self.window = None;
            return Ok(());
        }
        if window.bytes < self.send_minimum {
            tracing::warn!(
                seconds = self.send_timeout.as_secs(),
                bytes = window.bytes,
                required = self.send_minimum,
                "response cut: the client takes it too slowly"
            );
            return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the client takes the response too slowly"));
        }
        self.start_window(now);
        Ok(())
    }

    fn start_window(&mut self, now: Instant) {
        self.window = Some(Window { start: now, bytes: 0 });
        self.send_timer.as_mut().reset(now + self.send_timeout);
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Paced<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.idle_expired(cx) {
            tracing::debug!(idle_timeout_s = this.idle_timeout.as_secs(), "idle connection closed");
            // The end of the stream: hyper closes an idle connection quietly.
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        let read = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(read, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.read_since_idle = true;
        }
        read
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Paced<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        this.check_window()?;
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                this.write_blocked = false;
                if let Some(window) = this.window.as_mut() {
                    window.bytes = window.bytes.saturating_add(n as u64);
                }
                if n > 0 {
                    this.idle_since = Instant::now();
                    this.read_since_idle = false;
                }
                Poll::Ready(Ok(n))
            }
            Poll::Pending => {
                this.write_blocked = true;
                if this.window.is_none() {
                    this.start_window(Instant::now());
                }
                if this.send_timer.as_mut().poll(cx).is_ready() {
                    // The window ended between the check and now: look again at once.
                    cx.waker().wake_by_ref();
                }
                Poll::Pending
            }
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
