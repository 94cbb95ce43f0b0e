//! The socket deadlines of a connection.
//!
//! - A request's head must come within the header read timeout, counted from the connection's
//!   start (from the end of its TLS handshake, over TLS) or from the moment the previous answer
//!   was written; an idle keep-alive connection is closed when it runs out too. This is the
//!   guarantee hyper's own `header_read_timeout` gives, kept here instead: hyper's arms a new
//!   timer for every request and polls the connection once more after each answer (about 1,400
//!   instructions a request, measured under callgrind), while this one arms one timer per
//!   connection, moved only when it goes off.
//! - A client that stops reading (pipelining requests and never taking the answers, or reading a
//!   byte a second) would otherwise hold its connection slot as long as it likes: once a write or
//!   flush has to wait, the whole answer must be flushed within the write timeout.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// What a connection is doing, as its service tells its socket ([`Deadlines`]): whether the
/// header read timeout runs.
#[derive(Debug)]
pub(crate) struct Phase(AtomicU8);

/// Waiting for a request's head (or reading it): the header read timeout runs.
const AWAITING_HEAD: u8 = 0;
/// A head is in; its request is read and answered (the body and write timeouts apply).
const IN_REQUEST: u8 = 1;
/// The answer is made: the header read timeout starts again once it is written.
const ANSWERED: u8 = 2;
/// A TLS handshake in progress: its own timeout applies.
const HANDSHAKE: u8 = 3;
/// The handshake is done: the header read timeout starts now.
const HANDSHAKE_DONE: u8 = 4;

impl Phase {
    /// A plain connection's: awaiting its first head.
    pub(crate) fn plain() -> Arc<Self> {
        Arc::new(Phase(AtomicU8::new(AWAITING_HEAD)))
    }

    /// A TLS connection's: in its handshake.
    pub(crate) fn tls() -> Arc<Self> {
        Arc::new(Phase(AtomicU8::new(HANDSHAKE)))
    }

    fn get(&self) -> u8 {
        // One task at a time drives a connection (its service and its socket): no ordering is
        // needed beyond the runtime's own between polls.
        self.0.load(Ordering::Relaxed)
    }

    fn set(&self, phase: u8) {
        self.0.store(phase, Ordering::Relaxed);
    }

    /// A request's head is in.
    pub(crate) fn request(&self) {
        self.set(IN_REQUEST);
    }

    /// The request's answer is made (unless the request began a handshake instead).
    pub(crate) fn answered(&self) {
        if self.get() == IN_REQUEST {
            self.set(ANSWERED);
        }
    }

    /// A TLS handshake begins inside this connection (a proxy tunnel).
    pub(crate) fn handshake(&self) {
        self.set(HANDSHAKE);
    }

    /// The TLS handshake is done: HTTP begins.
    pub(crate) fn handshake_done(&self) {
        self.set(HANDSHAKE_DONE);
    }
}

/// A socket with the connection's deadlines (see the module documentation).
pub(crate) struct Deadlines<T> {
    inner: T,
    write_timeout: Duration,
    /// Armed when a write or flush first waits; disarmed when a flush completes.
    write_deadline: Option<Pin<Box<Sleep>>>,
    header_timeout: Duration,
    phase: Arc<Phase>,
    /// When the connection began waiting for the head it awaits (or will await) now.
    head_since: Instant,
    /// Goes off at or before `head_since + header_timeout`: armed on the first wait for a head,
    /// moved to the latest such deadline when it goes off early.
    head_timer: Option<Pin<Box<Sleep>>>,
    /// The waker `head_timer` holds (a timer keeps the waker it was last polled with until it
    /// goes off): while the task waiting is the same, the timer is not polled again.
    head_waker: Option<Waker>,
}

impl<T> Deadlines<T> {
    pub(crate) fn new(
        inner: T,
        header_timeout: Duration,
        write_timeout: Duration,
        phase: Arc<Phase>,
    ) -> Self {
        Self {
            inner,
            write_timeout,
            write_deadline: None,
            header_timeout,
            phase,
            head_since: Instant::now(),
            head_timer: None,
            head_waker: None,
        }
    }

    /// Before a write: an answer still being written is not awaiting a head. (An answer's head
    /// and body are flushed together, except when a pipelined answer before it filled hyper's
    /// write buffer: a flush may then come between its head and its body, and the count starts
    /// again after the body's.)
    fn writing(&mut self) {
        if self.phase.get() == AWAITING_HEAD {
            self.phase.set(ANSWERED);
        }
    }

    /// The header read timeout counts from now (after an answer is written, or a handshake).
    fn await_head_from_now(&mut self) {
        self.phase.set(AWAITING_HEAD);
        self.head_since = Instant::now();
    }

    /// On a write that has to wait: arms the deadline (once) and reports whether it passed.
    fn write_expired(&mut self, cx: &mut Context<'_>) -> bool {
        let timeout = self.write_timeout;
        let deadline = self
            .write_deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        deadline.as_mut().poll(cx).is_ready()
    }

    /// On a read that has to wait: whether the head awaited is late. While one is awaited, the
    /// timer is registered to wake the task when it may be.
    fn head_expired(&mut self, cx: &mut Context<'_>) -> bool {
        match self.phase.get() {
            AWAITING_HEAD => {}
            HANDSHAKE_DONE => self.await_head_from_now(),
            _ => return false,
        }
        let due = after(self.head_since, self.header_timeout);
        let timer = self
            .head_timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(due)));
        let registered = self
            .head_waker
            .as_ref()
            .is_some_and(|w| w.will_wake(cx.waker()));
        if registered && !timer.is_elapsed() {
            return false;
        }
        // The deadline only ever moves forward, to `due`: a timer that goes off at `due` means
        // the head is late; one set for an earlier head moves to this one's deadline. Polled
        // outside the task's budget, so that a wait means the waker is registered.
        loop {
            let polled = std::pin::pin!(tokio::task::unconstrained(timer.as_mut())).poll(cx);
            if polled.is_pending() {
                self.head_waker = Some(cx.waker().clone());
                return false;
            }
            if timer.deadline() >= due {
                return true;
            }
            timer.as_mut().reset(due);
        }
    }
}

/// `since + timeout`, or about 30 years on when that is past what an `Instant` holds (as tokio
/// does for a sleep too long to count).
fn after(since: Instant, timeout: Duration) -> Instant {
    since
        .checked_add(timeout)
        .or_else(|| since.checked_add(Duration::from_secs(86_400 * 365 * 30)))
        .unwrap_or(since)
}

fn write_timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "the client did not take the answer in time",
    )
}

fn head_timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "the client did not send a request's head in time",
    )
}

impl<T: AsyncRead + Unpin> AsyncRead for Deadlines<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Pending if self.head_expired(cx) => Poll::Ready(Err(head_timed_out())),
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Deadlines<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.writing();
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Pending if self.write_expired(cx) => Poll::Ready(Err(write_timed_out())),
            other => other,
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.writing();
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Pending if self.write_expired(cx) => Poll::Ready(Err(write_timed_out())),
            other => other,
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(Ok(())) => {
                self.write_deadline = None;
                // An answer written: the next head is awaited from now.
                if self.phase.get() == ANSWERED {
                    self.await_head_from_now();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending if self.write_expired(cx) => Poll::Ready(Err(write_timed_out())),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const HEAD: Duration = Duration::from_secs(10);

    /// A socket with a 10 s header timeout (and the other end of it), on a paused clock.
    fn open(phase: &Arc<Phase>) -> (Deadlines<tokio::io::DuplexStream>, tokio::io::DuplexStream) {
        let (ours, theirs) = tokio::io::duplex(1024);
        let socket = Deadlines::new(ours, HEAD, Duration::from_secs(10), phase.clone());
        (socket, theirs)
    }

    /// Reads once, moving the paused clock by `by` while the read waits: `None` when it is
    /// still waiting after that.
    async fn read_after(
        socket: &mut Deadlines<tokio::io::DuplexStream>,
        by: Duration,
    ) -> Option<io::Result<usize>> {
        let mut buf = [0u8; 64];
        let read = socket.read(&mut buf);
        tokio::pin!(read);
        tokio::select! {
            biased;
            done = &mut read => return Some(done),
            () = tokio::time::sleep(by) => {}
        }
        // One more look once the clock has moved: a timer due now has gone off.
        tokio::select! {
            biased;
            done = &mut read => Some(done),
            () = std::future::ready(()) => None,
        }
    }

    fn timed_out(read: Option<io::Result<usize>>) -> bool {
        matches!(read, Some(Err(e)) if e.kind() == io::ErrorKind::TimedOut)
    }

    /// Reads with the clock moved by `by`: the read is still waiting, neither done nor late.
    async fn still_waiting_after(socket: &mut Deadlines<tokio::io::DuplexStream>, by: Duration) {
        assert!(read_after(socket, by).await.is_none());
    }

    /// Waits for a head: not late a millisecond before `wait` has passed, late when it has.
    async fn late_after(socket: &mut Deadlines<tokio::io::DuplexStream>, wait: Duration) {
        let ms = Duration::from_millis(1);
        still_waiting_after(socket, wait - ms).await;
        assert!(timed_out(read_after(socket, ms).await));
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_must_come_within_the_timeout_of_the_connection_s_start() {
        let phase = Phase::plain();
        let (mut socket, _theirs) = open(&phase);
        late_after(&mut socket, HEAD).await;
    }

    #[tokio::test(start_paused = true)]
    async fn bytes_of_a_head_do_not_reset_it_but_a_written_answer_does() {
        let phase = Phase::plain();
        let (mut socket, mut theirs) = open(&phase);
        // A head dribbling in: each byte is read, the clock keeps running.
        for _ in 0..9 {
            theirs.write_all(b"G").await.expect("write");
            assert!(matches!(
                read_after(&mut socket, Duration::from_secs(1)).await,
                Some(Ok(1))
            ));
            tokio::time::advance(Duration::from_millis(999)).await;
        }
        // 8.991 s in: the head is late at 10 s.
        late_after(&mut socket, Duration::from_millis(1009)).await;

        // Another connection: its head comes at 9 s, its answer is written at 15 s, and the
        // next head is then awaited for 10 s from there (not from the start, nor from 9 s).
        let phase = Phase::plain();
        let (mut socket, _theirs) = open(&phase);
        still_waiting_after(&mut socket, Duration::from_secs(9)).await;
        phase.request();
        still_waiting_after(&mut socket, Duration::from_secs(6)).await;
        phase.answered();
        socket.flush().await.expect("flush");
        late_after(&mut socket, HEAD).await;
    }

    #[tokio::test(start_paused = true)]
    async fn no_head_is_awaited_during_a_request_or_before_its_answer_is_written() {
        let phase = Phase::plain();
        let (mut socket, _theirs) = open(&phase);
        phase.request();
        still_waiting_after(&mut socket, Duration::from_secs(100)).await;
        phase.answered();
        // Made but not yet written (the client is slow to take it): still no head awaited.
        still_waiting_after(&mut socket, Duration::from_secs(100)).await;
        socket.flush().await.expect("flush");
        assert!(timed_out(read_after(&mut socket, HEAD).await));
    }

    #[tokio::test(start_paused = true)]
    async fn over_tls_the_timeout_starts_when_the_handshake_is_done() {
        let phase = Phase::tls();
        let (mut socket, _theirs) = open(&phase);
        still_waiting_after(&mut socket, Duration::from_secs(100)).await;
        phase.handshake_done();
        late_after(&mut socket, HEAD).await;

        // A proxy tunnel: the CONNECT's answer begins a handshake, not a wait for a head.
        let phase = Phase::plain();
        let (mut socket, _theirs) = open(&phase);
        phase.request();
        phase.handshake();
        phase.answered();
        socket.flush().await.expect("flush");
        still_waiting_after(&mut socket, Duration::from_secs(100)).await;
        phase.handshake_done();
        assert!(timed_out(read_after(&mut socket, HEAD).await));
    }

    #[tokio::test(start_paused = true)]
    async fn a_reader_nothing_else_wakes_is_woken_and_closed_when_its_head_is_late() {
        let phase = Phase::plain();
        let (mut socket, mut theirs) = open(&phase);
        let task_phase = phase.clone();
        let reader = tokio::spawn(async move {
            // A head comes at 5 s (its timer armed at 0 s for 10 s), and is answered at once.
            let mut buf = [0u8; 8];
            let n = socket.read(&mut buf).await?;
            assert_eq!(n, 1);
            task_phase.request();
            task_phase.answered();
            socket.flush().await?;
            let written = Instant::now();
            // The next head never comes: only the timer can wake this read, first at 10 s (for
            // the first head), then at 15 s.
            let late = socket.read(&mut buf).await;
            Ok::<_, io::Error>((written, late.map_err(|e| e.kind()), Instant::now()))
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        theirs.write_all(b"G").await.expect("write");
        let done = tokio::time::timeout(HEAD * 3, reader).await;
        let Ok(Ok(Ok((written, late, closed)))) = done else {
            panic!("the reader was not woken: {done:?}");
        };
        assert_eq!(late, Err(io::ErrorKind::TimedOut));
        assert_eq!(closed - written, HEAD);
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_written_after_a_flush_restarts_the_count_when_it_is_written() {
        // A pipelined answer's head flushed before its body (hyper's buffer was full): the
        // body's bytes, written 8 s later, mean the answer was not done at that flush.
        let phase = Phase::plain();
        let (mut socket, mut theirs) = open(&phase);
        phase.request();
        phase.answered();
        socket
            .write_all(b"HTTP/1.1 200 OK\r\n")
            .await
            .expect("head");
        socket.flush().await.expect("flush");
        tokio::time::advance(Duration::from_secs(8)).await;
        socket.write_all(b"body").await.expect("body");
        socket.flush().await.expect("flush");
        let mut got = [0u8; 21];
        theirs.read_exact(&mut got).await.expect("read");
        // Counted from the body's flush (8 s), not from the head's (0 s).
        late_after(&mut socket, HEAD).await;
    }

    #[test]
    fn a_timeout_too_long_to_count_never_overflows() {
        let now = Instant::now();
        assert!(after(now, Duration::MAX) > now);
        assert_eq!(after(now, HEAD), now + HEAD);
    }
}
