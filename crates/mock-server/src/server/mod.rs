//! The HTTP/1.1 server: the accept loop and graceful shutdown ([`serve`]), the main port's fast
//! path for plain `GET /?...` requests (`fast`, hyper serving everything else); the in-process
//! [`MockServer`], its builder and its expectations live in the submodules.

mod builder;
mod expectation;
mod fast;
mod io;
mod mock_server;
mod stop;

pub use builder::MockServerBuilder;
pub(crate) use expectation::Expectations;
pub use expectation::{Expectation, ExpectationStatus, MAX_EXPECTATIONS};
pub use mock_server::MockServer;

use crate::admin;
use crate::engine::Engine;
use crate::request::Incoming;
use crate::tls::ServerTls;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use stop::{until_done, Graceful, StopSignal};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a client may take, by default, to send a request's headers before its connection is
/// closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take, by default, to send a request's body once its headers are in.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may make the server wait to write an answer (see
/// [`ServeOptions::write_timeout`]).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to finish a TLS handshake (on the `--https-bind` listener, or
/// inside a proxy tunnel) before its connection is closed.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for in-flight requests before closing what is left.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How the HTTP server behaves, apart from the API itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// Serve the control API under `/_mock`.
    pub admin: bool,
    /// Connections served at once; further ones get HTTP 503 and are closed.
    pub max_connections: usize,
    /// The largest request head (request line and headers) read, in bytes; larger heads get an
    /// HTTP 4xx from the HTTP layer.
    pub max_head_bytes: usize,
    /// The largest request body read (API and control API alike), in bytes; larger bodies get
    /// HTTP 413.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's body once its headers are in; a slower
    /// one gets HTTP 408 and its connection is closed.
    pub body_read_timeout: Duration,
    /// How long a client may take to send a request's headers (idle keep-alive connections
    /// included) before the connection is closed.
    pub header_read_timeout: Duration,
    /// How long a client may take to receive an answer once the server has to wait to write
    /// it (the client stopped reading, or reads too slowly); then the connection is closed.
    pub write_timeout: Duration,
    /// Answer the main port's plain `GET /?...` API requests on the mock's own HTTP/1.1 fast
    /// path (the same answers, byte for byte, for about a third of hyper's work); off, hyper
    /// serves every request, as it serves everything else (bodies, the control API, TLS).
    pub fast_path: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            admin: true,
            max_connections: 4096,
            max_head_bytes: 64 * 1024,
            max_body_bytes: 1024 * 1024,
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            write_timeout: WRITE_TIMEOUT,
            fast_path: true,
        }
    }
}

/// The error a service returns to make hyper close the connection without answering.
#[derive(Debug)]
struct DroppedByFault;

impl std::fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedByFault {}

/// The `content-type` of every JSON answer (the fast path writes the same).
const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

fn json_response(status: u16, body: Vec<u8>) -> Response<Full<Bytes>> {
    json_response_in(status, body, hyper::HeaderMap::new())
}

/// [`json_response`] with its headers written into `headers`, an empty map whose storage is
/// reused (the request's, on the API's fast path: no allocation for the response's header).
/// Inlined, as [`deliver_in`] is: the response is then built where hyper takes it from rather
/// than moved out through two returns.
#[inline(always)]
fn json_response_in(
    status: u16,
    body: Vec<u8>,
    mut headers: hyper::HeaderMap,
) -> Response<Full<Bytes>> {
    headers.clear();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    *resp.headers_mut() = headers;
    resp
}

/// Reads a request body: at most `max` bytes, within `timeout`. An empty body costs nothing.
async fn read_body(body: Body, max: usize, timeout: Duration) -> Result<Bytes, (u16, String)> {
    use hyper::body::Body as _;
    if body.is_end_stream() {
        return Ok(Bytes::new());
    }
    match tokio::time::timeout(timeout, Limited::new(body, max).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(_)) => Err((
            413,
            format!("the body is larger than {max} bytes, or could not be read"),
        )),
        Err(_) => Err((
            408,
            format!(
                "the body was not received within {} s",
                timeout.as_secs_f64()
            ),
        )),
    }
}

fn body_error(status: u16, message: &str) -> Response<Full<Bytes>> {
    let mut resp = json_response(
        status,
        serde_json::json!({ "error": message })
            .to_string()
            .into_bytes(),
    );
    // The rest of an unread body would be taken for the next request: close instead.
    resp.headers_mut()
        .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

/// Where a connection's requests come in.
#[derive(Clone)]
enum Via {
    /// The main port: plain HTTP, and the proxy (`CONNECT`, absolute-form requests).
    Plain,
    /// The `--https-bind` listener.
    Https,
    /// A `CONNECT` tunnel to this ZEGO host, its TLS terminated by the mock.
    Tunnel(Arc<str>),
}

/// What every connection of one [`serve_with_tls`] shares.
struct Shared {
    engine: Arc<Engine>,
    options: ServeOptions,
    tls: Option<ServerTls>,
    /// The main port, so that an absolute-form request to the mock itself is served.
    local_port: u16,
    /// Set when the server shuts down.
    stop: Arc<StopSignal>,
}

/// One connection: what it shares with the others, how it came in, and its slot, which a
/// `CONNECT` tunnel keeps when the connection it came from ends.
#[derive(Clone)]
struct Conn {
    shared: Arc<Shared>,
    via: Via,
    /// Held, never read: the slot is given back when the last clone is dropped.
    _slot: Arc<OwnedSemaphorePermit>,
    /// What the connection is doing, for its socket's header read timeout (a tunnel's is its
    /// connection's: its requests travel on that socket).
    phase: Arc<io::Phase>,
}

/// The hosts the proxy serves, for its refusals.
fn allowed_hosts() -> String {
    crate::tls::ZEGO_API_HOSTS.join(", ")
}

/// The proxy's refusal of a host that is not ZEGO's: HTTP 403 with a JSON `error` naming the
/// hosts served. Nothing is ever forwarded.
fn refuse_host(target: &str, connect: bool) -> Response<Full<Bytes>> {
    let shown: String = target
        .chars()
        .take(crate::control::JOURNAL_HOST_LIMIT)
        .collect();
    let kind = if connect { "CONNECT" } else { "absolute-form" };
    tracing::warn!(target: "zego_mock::proxy", host = %shown, kind, "proxy request refused: not a ZEGO API host");
    let (what, how) = if connect {
        ("CONNECT to", "CONNECT to port 443")
    } else {
        ("the request for", "http:// on port 80")
    };
    let message = format!(
        "zego-mock refused {what} {shown:?}: as a proxy it serves only {} ({how}) and forwards nothing to the internet",
        allowed_hosts(),
    );
    // A client refused a tunnel must not take the connection for one: close it.
    body_error(403, &message)
}

/// The host of an absolute-form request's authority, when the mock serves it: a ZEGO API host
/// on port 80, or the mock itself (a loopback name on its own port).
fn absolute_target_served(authority: &hyper::http::uri::Authority, local_port: u16) -> bool {
    let host = authority.host();
    match authority.port_u16() {
        None | Some(80) if crate::tls::is_zego_api_host(host) => true,
        Some(port) if port == local_port => {
            host.eq_ignore_ascii_case("localhost")
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        _ => false,
    }
}

/// An answer to one request: at once for an API request without a body (the usual case,
/// answered while the connection polls the service, so its future holds no request state), or a
/// boxed future for anything that waits (a body to read, an injected latency, the control API).
enum Answering {
    Now(std::future::Ready<Answered>),
    Later(std::pin::Pin<Box<dyn Future<Output = Answered> + Send>>),
}

/// What answering a request comes to: a response, or a connection to drop.
type Answered = Result<Response<Full<Bytes>>, DroppedByFault>;

impl Future for Answering {
    type Output = Answered;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Answered> {
        match self.get_mut() {
            Answering::Now(ready) => std::pin::Pin::new(ready).poll(cx),
            Answering::Later(later) => later.as_mut().poll(cx),
        }
    }
}

impl Answering {
    fn now(answered: Answered) -> Self {
        Answering::Now(std::future::ready(answered))
    }
}

/// Answers a request of any connection ([`answer_front`]), and tells the connection's socket
/// when its head came in and when its answer was made (the header read timeout runs from the
/// moment that answer is written until the next head comes in).
fn front(conn: &Conn, req: Request<Body>) -> Answering {
    conn.phase.request();
    match answer_front(conn, req) {
        now @ Answering::Now(_) => {
            conn.phase.answered();
            now
        }
        Answering::Later(later) => {
            let phase = conn.phase.clone();
            Answering::Later(Box::pin(async move {
                let answered = later.await;
                phase.answered();
                answered
            }))
        }
    }
}

/// Answers a request of any connection: the proxy's `CONNECT` and absolute-form checks, then
/// the API and the control API.
fn answer_front(conn: &Conn, req: Request<Body>) -> Answering {
    if req.method() == hyper::Method::CONNECT {
        return Answering::now(Ok(match conn.via {
            Via::Plain => connect(conn.clone(), req),
            _ => body_error(
                405,
                "CONNECT is served on the mock's plain HTTP port, not inside TLS",
            ),
        }));
    }
    // The host the request was sent to, when it is not its Host header (read in `api`,
    // without a copy).
    let sent_to: Option<Arc<str>> = if let Some(authority) = req.uri().authority() {
        if !absolute_target_served(authority, conn.shared.local_port) {
            return Answering::now(Ok(refuse_host(authority.as_str(), false)));
        }
        Some(authority.as_str().into())
    } else if let Via::Tunnel(host) = &conn.via {
        Some(host.clone())
    } else {
        None
    };
    let path = req.uri().path();
    let waits = control_path(&conn.shared.options, path)
        || path == admin::HEALTH_PATH
        || !hyper::body::Body::is_end_stream(req.body());
    if !waits {
        let (parts, _) = req.into_parts();
        let answer = api(&conn.shared.engine, sent_to.as_deref(), &parts, &[]);
        return deliver_in(answer, parts.headers);
    }
    let shared = conn.shared.clone();
    Answering::Later(Box::pin(async move {
        respond(&shared, sent_to.as_deref(), req).await
    }))
}

/// Answers `CONNECT`: for a ZEGO API host on port 443, 200 and then TLS with the mock's
/// certificate inside the tunnel, served like any connection; anything else, 403.
fn connect(conn: Conn, req: Request<Body>) -> Response<Full<Bytes>> {
    let target = req
        .uri()
        .authority()
        .map_or_else(|| req.uri().to_string(), |a| a.as_str().to_string());
    let host = match req.uri().authority() {
        Some(a) if a.port_u16() == Some(443) && crate::tls::is_zego_api_host(a.host()) => {
            a.host().to_ascii_lowercase()
        }
        _ => return refuse_host(&target, true),
    };
    let Some(tls) = conn.shared.tls.clone() else {
        return body_error(
            503,
            "zego-mock has no certificate authority (it could not load or create one; see its start-up warning), so it cannot answer HTTPS through the proxy",
        );
    };
    // The connection's bytes are the tunnel's TLS from here on: its handshake, then its
    // requests.
    conn.phase.handshake();
    let tunnel = Conn {
        via: Via::Tunnel(host.into()),
        ..conn
    };
    tokio::spawn(async move {
        // The slot is the tunnel's from here on: `tunnel` holds it until the tunnel ends.
        if let Ok(upgraded) = hyper::upgrade::on(req).await {
            serve_tls(TokioIo::new(upgraded), tls, tunnel).await;
        }
    });
    Response::new(Full::new(Bytes::new()))
}

/// Terminates TLS on `io` (the handshake within [`TLS_HANDSHAKE_TIMEOUT`]) and serves HTTP/1.1
/// inside it until the client closes or the server shuts down.
async fn serve_tls<IO>(io: IO, tls: ServerTls, conn: Conn)
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut watcher = conn.shared.stop.watcher();
    let handshake = tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, tls.acceptor().accept(io));
    let stream = tokio::select! {
        done = handshake => match done {
            Ok(Ok(stream)) => {
                conn.phase.handshake_done();
                stream
            }
            // A client that does not trust the CA, or never finishes: not the server's error.
            _ => return,
        },
        () = watcher.stopped() => return,
    };
    let builder = http_builder(&conn.shared.options);
    let service = service_fn(move |req: Request<Body>| front(&conn, req));
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    until_done(connection, watcher).await;
}

/// Serves a connection of the main port: its API requests on the fast path ([`fast`], unless
/// [`ServeOptions::fast_path`] is off) until one is anything else, then everything by hyper (its
/// `CONNECT` and proxy requests too).
async fn serve_plain(
    conn: Conn,
    mut io: io::Deadlines<tokio::net::TcpStream>,
    builder: http1::Builder,
    mut watcher: stop::Watcher,
) {
    let read = match conn.shared.options.fast_path {
        true => fast::serve(&conn.shared.engine, &conn.phase, &mut io, &mut watcher).await,
        false => Some(Bytes::new()),
    };
    let Some(read) = read else { return };
    let service = service_fn(move |req: Request<Body>| front(&conn, req));
    let connection = builder
        .serve_connection(TokioIo::new(fast::Rewind::new(read, io)), service)
        .with_upgrades();
    until_done(connection, watcher).await;
}

/// The HTTP/1.1 settings every connection is served with. Vectored writes are off: hyper then
/// copies a body into the buffer that holds the head and hands the socket one buffer, which
/// costs the kernel less per answer than a `writev` of two (about 5% of a small answer's
/// server CPU on loopback, measured by the bench's two ceilings), and suits TLS, which gains
/// nothing from vectored writes. hyper's own header read timeout is off: the socket keeps it
/// ([`io::Deadlines`]), for a fraction of the cost.
fn http_builder(options: &ServeOptions) -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(None::<Duration>)
        .max_buf_size(options.max_head_bytes.max(8192))
        .writev(false)
        .keep_alive(true);
    builder
}

impl<I, B, S> Graceful for http1::Connection<I, S>
where
    S: hyper::service::HttpService<Body, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin + 'static,
    B: hyper::body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn begin_shutdown(self: std::pin::Pin<&mut Self>) {
        http1::Connection::graceful_shutdown(self);
    }
}

impl<I, B, S> Graceful for http1::UpgradeableConnection<I, S>
where
    S: hyper::service::HttpService<Body, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    B: hyper::body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn begin_shutdown(self: std::pin::Pin<&mut Self>) {
        http1::UpgradeableConnection::graceful_shutdown(self);
    }
}

/// Whether `path` is the control API's (when it is served).
fn control_path(options: &ServeOptions, path: &str) -> bool {
    options.admin && (path == admin::PREFIX || path.starts_with("/_mock/"))
}

/// Answers an API request (its body read), through the engine.
fn api(
    engine: &Engine,
    sent_to: Option<&str>,
    parts: &hyper::http::request::Parts,
    body: &[u8],
) -> crate::request::Answer {
    // A Host header is ASCII (checked as such, cheaply); any other bytes are kept lossily.
    // Found by a walk over the request's few headers (hyper takes at most 100), which costs
    // less than the map's hashed look-up for the usual handful.
    let host_header = parts
        .headers
        .iter()
        .find_map(|(name, value)| (name == hyper::header::HOST).then_some(value))
        .map(|h| match h.to_str() {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(h.as_bytes()),
        });
    let host = sent_to.or(host_header.as_deref());
    let query = parts.uri.query().unwrap_or("");
    handle_api(
        engine,
        parts.method.as_str(),
        parts.uri.path(),
        query,
        body,
        host,
    )
}

/// The engine's answer to an API request, from hyper's request or the fast path's
/// ([`fast`]).
#[inline(always)]
fn handle_api(
    engine: &Engine,
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
    host: Option<&str>,
) -> crate::request::Answer {
    engine.handle(
        Incoming::new(method, path, &[])
            .with_query_text(query)
            .with_body(body)
            .with_host(host),
    )
}

/// The response to an engine's answer: at once, unless an injected fault delays it (a latency)
/// or drops the connection.
fn deliver(answer: crate::request::Answer) -> Answering {
    deliver_in(answer, hyper::HeaderMap::new())
}

/// [`deliver`], the response's headers written into `headers` (emptied first).
#[inline(always)]
fn deliver_in(answer: crate::request::Answer, headers: hyper::HeaderMap) -> Answering {
    if answer.delay_millis == 0 && !answer.drop_connection {
        let response = json_response_in(answer.status, answer.body, headers);
        return Answering::now(Ok(response));
    }
    Answering::Later(Box::pin(async move {
        if answer.delay_millis > 0 {
            tokio::time::sleep(Duration::from_millis(answer.delay_millis)).await;
        }
        if answer.drop_connection {
            return Err(DroppedByFault);
        }
        Ok(json_response_in(answer.status, answer.body, headers))
    }))
}

/// Answers a request that waits for something: its body, the control API or the health check.
async fn respond(shared: &Shared, sent_to: Option<&str>, req: Request<Body>) -> Answered {
    let (engine, options) = (&shared.engine, shared.options);
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let query = parts.uri.query().unwrap_or("").as_bytes();
    let control = control_path(&options, path);
    if control && path != admin::HEALTH_PATH {
        let header = |name| parts.headers.get(name).map(HeaderValue::as_bytes);
        if let Err(denied) = engine.access.check(
            parts.method.as_str(),
            header(hyper::header::HOST),
            header(hyper::header::AUTHORIZATION),
            header(CONTENT_TYPE),
        ) {
            let mut resp = body_error(denied.status, &denied.message);
            if denied.status == 401 {
                resp.headers_mut().insert(
                    hyper::header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"zego-mock control API\""),
                );
            }
            return Ok(resp);
        }
    }
    let body = match read_body(body, options.max_body_bytes, options.body_read_timeout).await {
        Ok(body) => body,
        Err((status, message)) => return Ok(body_error(status, &message)),
    };
    if path == admin::HEALTH_PATH && parts.method == hyper::Method::GET {
        let answer = admin::health(engine);
        return Ok(json_response(
            answer.status,
            answer.body.to_string().into_bytes(),
        ));
    }
    if control {
        let answer = admin::handle_async(engine, parts.method.as_str(), path, query, &body).await;
        let status = answer.status;
        return Ok(json_response(status, answer.into_bytes()));
    }
    deliver(api(engine, sent_to, &parts, &body)).await
}

fn busy_response() -> Vec<u8> {
    let body =
        r#"{"Code":-1,"Message":"zego-mock: too many connections; retry later","RequestId":"0"}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {JSON_CONTENT_TYPE}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serves HTTP/1.1 on `listener` until `shutdown` completes, then lets in-flight requests finish
/// (for up to [`SHUTDOWN_GRACE`]). The same as [`serve_with_tls`] with no TLS: `CONNECT` to a
/// ZEGO host answers 503.
///
/// The engine's server-callback dispatcher runs alongside, on the same runtime, until then
/// (only the first `serve` of an engine has one).
pub async fn serve(
    listener: TcpListener,
    engine: Arc<Engine>,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) {
    serve_with_tls(listener, None, None, engine, options, shutdown).await;
}

/// Accepts a connection from `listener`, or waits forever when there is none.
async fn accept(listener: Option<&TcpListener>) -> std::io::Result<tokio::net::TcpStream> {
    match listener {
        Some(l) => l.accept().await.map(|(stream, _)| stream),
        None => std::future::pending().await,
    }
}

/// Serves HTTP/1.1 on `listener`, as a proxy too, and HTTPS on `https`, until `shutdown`
/// completes; then lets in-flight requests finish (for up to [`SHUTDOWN_GRACE`]).
///
/// On `listener`, `CONNECT rtc-api*.zego.im:443` is answered 200 and the TLS inside the tunnel
/// terminated with `tls`'s certificate, and absolute-form `http://rtc-api*.zego.im/...`
/// requests are served; any other host gets 403, and nothing is ever forwarded. `https` (which
/// needs `tls`; without, its connections are closed) serves the same engine over TLS. Both
/// share the [`ServeOptions`] limits: a tunnel or an HTTPS connection takes one of the
/// `max_connections` slots, and a TLS handshake must finish within [`TLS_HANDSHAKE_TIMEOUT`].
pub async fn serve_with_tls(
    listener: TcpListener,
    https: Option<TcpListener>,
    tls: Option<ServerTls>,
    engine: Arc<Engine>,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) {
    let builder = http_builder(&options);
    let max = options
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let slots = Arc::new(Semaphore::new(max));
    let stop = Arc::new(StopSignal::default());
    let shared = Arc::new(Shared {
        engine: engine.clone(),
        options,
        tls: tls.clone(),
        local_port: listener.local_addr().map_or(0, |a| a.port()),
        stop: stop.clone(),
    });
    let dispatcher = engine
        .callbacks
        .take_receiver()
        .map(|rx| tokio::spawn(crate::callbacks::deliver::run(engine.clone(), rx)));
    tokio::pin!(shutdown);
    loop {
        let (accepted, via) = tokio::select! {
            accepted = listener.accept() => (accepted.map(|(s, _)| s), Via::Plain),
            accepted = accept(https.as_ref()) => (accepted, Via::Https),
            () = &mut shutdown => break,
        };
        let mut stream = match accepted {
            Ok(stream) => stream,
            // Out of file descriptors and the like: back off briefly, keep serving.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt;
                // Over TLS the client cannot read it; closing is the answer there.
                if matches!(via, Via::Plain) {
                    let _ = stream.write_all(&busy_response()).await;
                }
                let _ = stream.shutdown().await;
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let phase = match via {
            Via::Https => io::Phase::tls(),
            _ => io::Phase::plain(),
        };
        let io = io::Deadlines::new(
            stream,
            options.header_read_timeout,
            options.write_timeout,
            phase.clone(),
        );
        let conn = Conn {
            shared: shared.clone(),
            via,
            _slot: Arc::new(permit),
            phase,
        };
        match conn.via {
            Via::Https => {
                if let Some(tls) = tls.clone() {
                    tokio::spawn(serve_tls(io, tls, conn));
                }
            }
            _ => {
                let watcher = shared.stop.watcher();
                tokio::spawn(serve_plain(conn, io, builder.clone(), watcher));
            }
        }
    }
    drop(listener);
    drop(https);
    stop.stop();
    // Every connection and tunnel holds a slot until it ends: all slots back means all done.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(all)).await;
    if let Some(dispatcher) = dispatcher {
        dispatcher.abort();
    }
}
