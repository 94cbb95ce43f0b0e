//! The plain HTTP port's fast path for the request nearly every client sends: `GET /?Action=...`
//! over HTTP/1.1 with a plain head.
//!
//! A connection starts here. Its heads are parsed with `httparse` (the parser hyper itself
//! uses, with hyper's default settings), answered by the engine and written back with the very
//! bytes hyper writes for the same answer (status line, `content-type`, `content-length`,
//! `date`). The first head that is anything else (another method or path, a body, a
//! `Connection`, `Expect` or `Upgrade` header, HTTP/1.0, a target byte the `http` crate would
//! refuse or percent-decode differently, a parse error, a head not complete within 8 KiB) hands
//! the connection to hyper together with every byte read and not yet answered: hyper then
//! serves it to its end, exactly as it serves a connection from its start. The answers already
//! written were complete, so nothing is lost or reordered.
//!
//! Why: hyper's request parsing (a `Uri` checked byte by byte, a header map) and answering took
//! about 6,000 of the ~17,500 instructions the server thread ran for a typical API request
//! (callgrind); this path takes about a third of that. The socket deadlines ([`Deadlines`]) and
//! the graceful stop apply here as they do under hyper.

use super::io::{Deadlines, Phase};
use super::stop::Watcher;
use crate::engine::Engine;
use crate::request::Answer;
use bytes::{Buf, Bytes, BytesMut};
use std::io;
use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

/// The most headers a head answered here may have (hyper takes up to 100; a head with more
/// goes to it).
const MAX_HEADERS: usize = 32;

/// A head not complete within this many bytes goes to hyper, which applies
/// [`super::ServeOptions::max_head_bytes`] (its read buffer is at least this large).
const MAX_HEAD: usize = 8 * 1024;

/// Serves `io`'s requests while they are for the fast path (see the module documentation).
/// Answers the bytes read and not yet answered (the start of a head) when the connection goes to
/// hyper, or `None` when it is closed: the client closed it or went silent, an injected fault
/// dropped it, the server stopped, or a socket error.
pub(super) async fn serve<T>(
    engine: &Engine,
    phase: &Phase,
    io: &mut Deadlines<T>,
    watcher: &mut Watcher,
) -> Option<Bytes>
where
    T: AsyncRead + AsyncWrite + Unpin,
{
    let mut buf = BytesMut::with_capacity(MAX_HEAD);
    let mut out = Vec::new();
    loop {
        // Every complete head already read, in order (pipelined requests).
        loop {
            let (len, query, host) = match head(&buf) {
                Head::Api { len, query, host } => (len, query, host),
                Head::Partial if buf.len() < MAX_HEAD => break,
                Head::Partial | Head::Other => {
                    write_out(io, &mut out).await.ok()?;
                    return Some(buf.freeze());
                }
            };
            phase.request();
            let answer = answer(engine, &buf, query, host);
            phase.answered();
            let mut closing = false;
            if answer.delay_millis > 0 || answer.drop_connection {
                // As under hyper: the answers before are written first.
                write_out(io, &mut out).await.ok()?;
                if answer.delay_millis > 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(answer.delay_millis)).await;
                }
                if answer.drop_connection {
                    return None;
                }
                // A stop during the wait: the answer says the connection closes, and it does
                // (hyper's graceful shutdown of a connection with a request in progress).
                closing = watcher.is_stopped();
            }
            write_response(&mut out, answer.status, &answer.body, closing);
            buf.advance(len);
            if closing {
                let _ = write_out(io, &mut out).await;
                return None;
            }
            // Many small pipelined requests make more bytes of answers than they took: written
            // as they pile up, so a connection never holds more than about this much.
            if out.len() >= MAX_PENDING_OUT {
                write_out(io, &mut out).await.ok()?;
            }
        }
        write_out(io, &mut out).await.ok()?;
        if buf.capacity() - buf.len() < 1024 {
            buf.reserve(MAX_HEAD);
        }
        // The next bytes, unless the server stops first: a connection waiting for a request
        // closes then, as hyper's graceful shutdown closes one.
        let read = tokio::select! {
            biased;
            () = watcher.stopped() => return None,
            read = io.read_buf(&mut buf) => read,
        };
        if !matches!(read, Ok(n) if n > 0) {
            return None;
        }
    }
}

/// The engine's answer to the API request whose query and Host header (byte ranges of `buf`)
/// were found by [`head`].
fn answer(engine: &Engine, buf: &[u8], query: Range<usize>, host: Option<Range<usize>>) -> Answer {
    // `head` let through only ASCII in the query: this never falls back.
    let query = std::str::from_utf8(buf.get(query).unwrap_or_default()).unwrap_or_default();
    let host = host.map(|h| String::from_utf8_lossy(buf.get(h).unwrap_or_default()));
    super::handle_api(engine, "GET", "/", query, &[], host.as_deref())
}

/// Answers a connection keeps before writing them (see [`serve`]), in bytes; a larger buffer is
/// let go once written.
const MAX_PENDING_OUT: usize = 64 * 1024;

/// Writes and flushes what `out` holds, and empties it.
async fn write_out<T: AsyncWrite + Unpin>(io: &mut T, out: &mut Vec<u8>) -> io::Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    io.write_all(out).await?;
    io.flush().await?;
    out.clear();
    if out.capacity() > MAX_PENDING_OUT {
        *out = Vec::new();
    }
    Ok(())
}

/// What the start of the bytes read holds.
#[derive(Debug, PartialEq, Eq)]
enum Head {
    /// A complete head for the fast path, `len` bytes long, with the ranges of its query (after
    /// `/?`, empty for `/`) and of its first Host header's value.
    Api {
        len: usize,
        query: Range<usize>,
        host: Option<Range<usize>>,
    },
    /// The start of a head: more bytes are needed.
    Partial,
    /// Anything else: for hyper.
    Other,
}

/// Parses the head at the start of `buf`, as hyper would, and says whether it is one for the
/// fast path.
fn head(buf: &[u8]) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Head::Partial,
        Err(_) => return Head::Other,
    };
    if req.method != Some("GET") || req.version != Some(1) {
        return Head::Other;
    }
    let target = req.path.map_or(&[][..], str::as_bytes);
    // The query's place in `buf`, empty for `/`.
    let query = match target {
        [b'/'] => &target[1..],
        [b'/', b'?', query @ ..] => query,
        _ => return Head::Other,
    };
    if !plain_query(query) {
        return Head::Other;
    }
    let mut host = None;
    for header in req.headers.iter() {
        let name = header.name.as_bytes();
        if name.eq_ignore_ascii_case(b"host") {
            host = host.or(Some(header.value));
        } else if TO_HYPER.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            return Head::Other;
        }
    }
    let at = |part: &[u8]| {
        let start = (part.as_ptr() as usize).wrapping_sub(buf.as_ptr() as usize);
        start..start + part.len()
    };
    Head::Api {
        len,
        query: at(query),
        host: host.map(at),
    }
}

/// Headers whose presence sends a head to hyper: they ask for a body, a connection behaviour or
/// an interim answer that hyper handles.
const TO_HYPER: [&[u8]; 5] = [
    b"content-length",
    b"transfer-encoding",
    b"connection",
    b"expect",
    b"upgrade",
];

/// Whether every byte of a query is one the `http` crate keeps as it is in a query (`0x21`,
/// `0x24..=0x3B`, `0x3D`, `0x3F..=0x7E`): no blank, control or non-ASCII byte, no `"`, `#`, `<`
/// or `>`. Eight bytes at a time.
fn plain_query(query: &[u8]) -> bool {
    use crate::query::{blanks, bytes_equal, words, HIGH_BITS};
    words(query).all(|word| {
        let refused = blanks(word)
            | (word & HIGH_BITS)
            | bytes_equal(word, b'"')
            | bytes_equal(word, b'#')
            | bytes_equal(word, b'<')
            | bytes_equal(word, b'>');
        refused == 0
    })
}

/// Appends the response hyper writes for a JSON answer: the status line, then `content-type`,
/// `connection: close` when the connection closes after it, `content-length` and `date`
/// (hyper's order and spelling), then the body.
fn write_response(out: &mut Vec<u8>, status: u16, body: &[u8], close: bool) {
    let status = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    if status == hyper::StatusCode::OK {
        out.extend_from_slice(b"HTTP/1.1 200 OK\r\n");
    } else {
        out.extend_from_slice(b"HTTP/1.1 ");
        out.extend_from_slice(status.as_str().as_bytes());
        out.push(b' ');
        out.extend_from_slice(status.canonical_reason().unwrap_or("<none>").as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"content-type: ");
    out.extend_from_slice(super::JSON_CONTENT_TYPE.as_bytes());
    out.extend_from_slice(b"\r\n");
    if close {
        out.extend_from_slice(b"connection: close\r\n");
    }
    out.extend_from_slice(b"content-length: ");
    let mut digits = [0u8; 20];
    out.extend_from_slice(crate::gateway::unsigned_decimal(
        body.len() as u64,
        &mut digits,
    ));
    out.extend_from_slice(b"\r\ndate: ");
    http_date(out);
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
}

/// Appends the current date as hyper writes it (`Sun, 06 Dec 2026 01:36:35 GMT`, the system
/// clock's), formatted once a second on each thread.
fn http_date(out: &mut Vec<u8>) {
    use std::time::{SystemTime, UNIX_EPOCH};
    thread_local! {
        static CACHED: std::cell::RefCell<(u64, String)> =
            const { std::cell::RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now();
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    CACHED.with_borrow_mut(|(at, text)| {
        if *at != secs {
            *at = secs;
            *text = httpdate::fmt_http_date(now);
        }
        out.extend_from_slice(text.as_bytes());
    });
}

/// A socket whose first reads return bytes already read from it: how hyper takes over a
/// connection from the fast path.
pub(super) struct Rewind<T> {
    read: Bytes,
    inner: T,
}

impl<T> Rewind<T> {
    pub(super) fn new(read: Bytes, inner: T) -> Self {
        Self { read, inner }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Rewind<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.read.is_empty() {
            return Pin::new(&mut self.inner).poll_read(cx, buf);
        }
        let n = self.read.len().min(buf.remaining());
        buf.put_slice(&self.read[..n]);
        self.read.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Rewind<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(text: &str) -> Option<(usize, String, Option<String>)> {
        match head(text.as_bytes()) {
            Head::Api { len, query, host } => Some((
                len,
                text[query].to_string(),
                host.map(|h| text[h].to_string()),
            )),
            _ => None,
        }
    }

    #[test]
    fn a_plain_api_get_is_for_the_fast_path() {
        let text = "GET /?Action=X&A=1 HTTP/1.1\r\nHost: h:1\r\nUser-Agent: t\r\n\r\nGET";
        assert_eq!(
            api(text),
            Some((text.len() - 3, "Action=X&A=1".into(), Some("h:1".into())))
        );
        assert_eq!(
            api("GET / HTTP/1.1\r\n\r\n"),
            Some((18, String::new(), None))
        );
        // The first Host counts, as the API reads it under hyper.
        assert_eq!(
            api("GET /? HTTP/1.1\r\nhost: a\r\nHOST: b\r\n\r\n").map(|a| a.2),
            Some(Some("a".into()))
        );
    }

    #[test]
    fn a_head_cut_short_waits_for_more() {
        assert_eq!(
            head(b"GET /?Action=X HTTP/1.1\r\nHost: h\r\n"),
            Head::Partial
        );
        assert_eq!(head(b""), Head::Partial);
    }

    #[test]
    fn anything_else_goes_to_hyper() {
        for text in [
            "POST /?Action=StartMix HTTP/1.1\r\n\r\n",
            "GET /?Action=X HTTP/1.0\r\n\r\n",
            "GET /_mock/journal HTTP/1.1\r\n\r\n",
            "GET /nope?Action=X HTTP/1.1\r\n\r\n",
            "GET http://rtc-api.zego.im/?Action=X HTTP/1.1\r\n\r\n",
            "CONNECT rtc-api.zego.im:443 HTTP/1.1\r\n\r\n",
            "GET /?Action=X HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "GET /?Action=X HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n",
            "GET /?Action=X HTTP/1.1\r\nConnection: close\r\n\r\n",
            "GET /?Action=X HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "GET /?Action=X HTTP/1.1\r\nUpgrade: h2c\r\n\r\n",
            "GET /?Action=X#frag HTTP/1.1\r\n\r\n",
            "GET /?a=\"b\" HTTP/1.1\r\n\r\n",
            "GET /?a=<b> HTTP/1.1\r\n\r\n",
            "GET /?a=\u{e9} HTTP/1.1\r\n\r\n",
            "GET /?a=b\x7f HTTP/1.1\r\n\r\n",
            "GET  /?a=b HTTP/1.1\r\n\r\n",
            "GARBAGE\r\n\r\n",
        ] {
            assert_eq!(head(text.as_bytes()), Head::Other, "{text:?}");
        }
        let many = format!(
            "GET /? HTTP/1.1\r\n{}\r\n",
            "X-A: 1\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(head(many.as_bytes()), Head::Other);
    }

    proptest::proptest! {
        /// The query check is the `http` crate's query byte classes (less the non-ASCII bytes,
        /// which it validates as UTF-8 and this path leaves to hyper), for every byte in every
        /// place of a word.
        #[test]
        fn a_query_is_plain_exactly_when_http_keeps_every_byte(
            query in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..24)
        ) {
            let kept = |b: u8| matches!(b, 0x21 | 0x24..=0x3B | 0x3D | 0x3F..=0x7E);
            proptest::prop_assert_eq!(plain_query(&query), query.iter().all(|&b| kept(b)));
        }
    }

    #[test]
    fn every_single_byte_is_classed_as_http_classes_it() {
        for b in 0..=255u8 {
            let kept = matches!(b, 0x21 | 0x24..=0x3B | 0x3D | 0x3F..=0x7E);
            for at in 0..9 {
                let mut query = vec![b'a'; 9];
                query[at] = b;
                assert_eq!(plain_query(&query), kept, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn the_response_is_hypers() {
        let mut out = Vec::new();
        write_response(&mut out, 405, b"{}", false);
        let text = String::from_utf8(out).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let lines: Vec<&str> = head.lines().collect();
        assert_eq!(lines[0], "HTTP/1.1 405 Method Not Allowed");
        assert_eq!(lines[1], "content-type: application/json; charset=utf-8");
        assert_eq!(lines[2], "content-length: 2");
        assert!(lines[3].starts_with("date: ") && lines[3].ends_with(" GMT"));
        assert_eq!(lines.len(), 4);
        assert_eq!(body, "{}");
    }

    #[tokio::test]
    async fn rewind_returns_the_bytes_read_then_the_socket() {
        let (mut theirs, ours) = tokio::io::duplex(64);
        theirs.write_all(b" world").await.unwrap();
        drop(theirs);
        let mut socket = Rewind::new(Bytes::from_static(b"hello"), ours);
        let mut all = String::new();
        socket.read_to_string(&mut all).await.unwrap();
        assert_eq!(all, "hello world");
    }
}
