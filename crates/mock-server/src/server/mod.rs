//! The HTTP/1.1 server: the accept loop and graceful shutdown ([`serve`]); the in-process
//! [`MockServer`], its builder and its expectations live in the submodules.

mod builder;
mod expectation;
mod io;
mod mock_server;

pub use builder::MockServerBuilder;
pub(crate) use expectation::Expectations;
pub use expectation::{Expectation, ExpectationStatus, MAX_EXPECTATIONS};
pub use mock_server::MockServer;

use crate::admin;
use crate::engine::Engine;
use crate::request::Incoming;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client may take, by default, to send a request's headers before its connection is
/// closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take, by default, to send a request's body once its headers are in.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may make the server wait to write an answer (see
/// [`ServeOptions::write_timeout`]).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
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

fn json_response(status: u16, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
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

async fn respond(
    engine: Arc<Engine>,
    options: ServeOptions,
    req: Request<Body>,
) -> Result<Response<Full<Bytes>>, DroppedByFault> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let query = parts.uri.query().unwrap_or("").as_bytes();
    let control = options.admin && (path == admin::PREFIX || path.starts_with("/_mock/"));
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
        let answer = admin::health(&engine);
        return Ok(json_response(
            answer.status,
            answer.body.to_string().into_bytes(),
        ));
    }
    if control {
        let answer = admin::handle_async(&engine, parts.method.as_str(), path, query, &body).await;
        let status = answer.status;
        return Ok(json_response(status, answer.into_bytes()));
    }
    let answer = engine.handle(Incoming::new(parts.method.as_str(), path, query).with_body(&body));
    if answer.delay_millis > 0 {
        tokio::time::sleep(Duration::from_millis(answer.delay_millis)).await;
    }
    if answer.drop_connection {
        return Err(DroppedByFault);
    }
    Ok(json_response(answer.status, answer.body))
}

fn busy_response() -> Vec<u8> {
    let body =
        r#"{"Code":-1,"Message":"zego-mock: too many connections; retry later","RequestId":"0"}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serves HTTP/1.1 on `listener` until `shutdown` completes, then lets in-flight requests finish
/// (for up to [`SHUTDOWN_GRACE`]).
///
/// The engine's server-callback dispatcher runs alongside, on the same runtime, until then
/// (only the first `serve` of an engine has one).
pub async fn serve(
    listener: TcpListener,
    engine: Arc<Engine>,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .max_buf_size(options.max_head_bytes.max(8192))
        .keep_alive(true);
    let slots = Arc::new(Semaphore::new(options.max_connections));
    let dispatcher = engine
        .callbacks
        .take_receiver()
        .map(|rx| tokio::spawn(crate::callbacks::deliver::run(engine.clone(), rx)));
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (mut stream, _) = match accepted {
                    Ok(conn) => conn,
                    // Out of file descriptors and the like: back off briefly, keep serving.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let Ok(permit) = slots.clone().try_acquire_owned() else {
                    tokio::spawn(async move {
                        use tokio::io::AsyncWriteExt;
                        let _ = stream.write_all(&busy_response()).await;
                        let _ = stream.shutdown().await;
                    });
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let engine = engine.clone();
                let service = service_fn(move |req: Request<Body>| respond(engine.clone(), options, req));
                let io = TokioIo::new(io::WriteDeadline::new(stream, options.write_timeout));
                let conn = graceful.watch(builder.serve_connection(io, service));
                tokio::spawn(async move {
                    // A client that vanishes mid-request is not the server's error.
                    let _ = conn.await;
                    drop(permit);
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    if let Some(dispatcher) = dispatcher {
        dispatcher.abort();
    }
}
