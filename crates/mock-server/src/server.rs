//! The HTTP/1.1 server: the accept loop, graceful shutdown, and the in-process [`MockServer`].

use crate::actions::rtc_stream::PublishError;
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::config::{AppConfig, Env};
use crate::handler::{Answer, Engine, Incoming, Options};
use crate::state::EnvState;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming as Body;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long a client may take to send a request's headers before its connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for in-flight requests before closing what is left.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

fn to_response(answer: Answer) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(answer.body)));
    *resp.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

fn answer(engine: &Engine, req: &Request<Body>) -> Response<Full<Bytes>> {
    let uri = req.uri();
    to_response(engine.handle(Incoming {
        method: req.method().as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or("").as_bytes(),
    }))
}

/// Serves HTTP/1.1 on `listener` until `shutdown` completes, then lets in-flight requests finish
/// (for up to [`SHUTDOWN_GRACE`]).
pub async fn serve(listener: TcpListener, engine: Arc<Engine>, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(conn) => conn,
                    // Out of file descriptors and the like: back off briefly, keep serving.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let engine = engine.clone();
                let service = service_fn(move |req: Request<Body>| {
                    let resp = answer(&engine, &req);
                    async move { Ok::<_, Infallible>(resp) }
                });
                let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    // A client that vanishes mid-request is not the server's error.
                    let _ = conn.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// A mock of the ZEGO Server API running in this process, on its own thread and runtime, so it
/// works under any test runtime. Dropping it shuts it down.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let server = zego_mock::MockServer::start().await;
/// assert!(server.uri().starts_with("http://127.0.0.1:"));
/// assert_eq!(server.app_ids(), vec![zego_mock::DEV_APP_ID]);
/// # }
/// ```
pub struct MockServer {
    address: SocketAddr,
    engine: Arc<Engine>,
    _shutdown: watch::Sender<()>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("address", &self.address)
            .field("engine", &self.engine)
            .finish()
    }
}

impl MockServer {
    /// Starts a mock on a free port of 127.0.0.1 serving the built-in development app.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// A builder for a mock with chosen apps, clock and options.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, `http://{address}`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the mock listens on.
    pub fn address(&self) -> &SocketAddr {
        &self.address
    }

    /// The engine that answers requests.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The AppIds served.
    pub fn app_ids(&self) -> Vec<u32> {
        self.engine.app_ids()
    }

    /// A copy of one app's state in one environment.
    pub fn state(&self, app_id: u32, env: Env) -> EnvState {
        self.engine.env_state(app_id, env)
    }

    /// Simulates a publisher starting a stream (see [`Engine::start_publishing`]).
    pub fn start_publishing(
        &self,
        app_id: u32,
        env: Env,
        stream_id: &str,
    ) -> Result<(), PublishError> {
        self.engine.start_publishing(app_id, env, stream_id)
    }

    /// Simulates a publisher stopping a stream (see [`Engine::stop_publishing`]).
    pub fn stop_publishing(&self, app_id: u32, env: Env, stream_id: &str) -> bool {
        self.engine.stop_publishing(app_id, env, stream_id)
    }
}

/// Builds a [`MockServer`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use zego_mock::{ManualClock, MockServer};
/// let clock = ManualClock::at_secs(1_700_000_000);
/// let server = MockServer::builder()
///     .app(12345, "9193cc662a4c0ec135ec71fb57194b38")
///     .clock(clock.clone())
///     .legacy_codes(true)
///     .rate_limits(false)
///     .start()
///     .await;
/// assert_eq!(server.app_ids(), vec![12345]);
/// # }
/// ```
#[derive(Default)]
#[must_use]
pub struct MockServerBuilder {
    apps: Vec<AppConfig>,
    clock: Option<SharedClock>,
    options: Options,
    bind: Option<SocketAddr>,
}

impl std::fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("apps", &self.apps)
            .field("options", &self.options)
            .field("bind", &self.bind)
            .finish_non_exhaustive()
    }
}

impl MockServerBuilder {
    /// Serves an app with both environments. Without any app, the development app is served.
    pub fn app(self, app_id: u32, secret: impl Into<String>) -> Self {
        self.app_config(AppConfig::new(app_id, secret))
    }

    /// Serves an app as configured (for example with only one environment).
    pub fn app_config(mut self, app: AppConfig) -> Self {
        self.apps.retain(|a| a.app_id != app.app_id);
        self.apps.push(app);
        self
    }

    /// Runs the mock on this clock instead of the system clock.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Answers signature and timestamp failures with the action's own legacy codes.
    pub fn legacy_codes(mut self, on: bool) -> Self {
        self.options.legacy_codes = on;
        self
    }

    /// Enforces the documented rate limits (on by default).
    pub fn rate_limits(mut self, on: bool) -> Self {
        self.options.rate_limits = on;
        self
    }

    /// Listens on this address instead of a free port of 127.0.0.1.
    pub fn bind(mut self, address: SocketAddr) -> Self {
        self.bind = Some(address);
        self
    }

    /// The engine this builder describes, without a socket.
    pub fn build_engine(self) -> Engine {
        let apps = if self.apps.is_empty() {
            vec![AppConfig::dev()]
        } else {
            self.apps
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        Engine::new(apps, clock, self.options)
    }

    /// Starts the mock.
    ///
    /// # Panics
    /// When the address cannot be bound; [`MockServerBuilder::try_start`] returns the error.
    pub async fn start(self) -> MockServer {
        match self.try_start().await {
            Ok(server) => server,
            Err(e) => panic!("zego-mock could not start: {e}"),
        }
    }

    /// Starts the mock, or says why it could not. The socket is listening when this returns.
    pub async fn try_start(self) -> std::io::Result<MockServer> {
        let bind = self
            .bind
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = std::net::TcpListener::bind(bind)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let engine = Arc::new(self.build_engine());
        let (tx, mut rx) = watch::channel(());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let served = engine.clone();
        std::thread::Builder::new()
            .name(format!("zego-mock-{}", address.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    match TcpListener::from_std(listener) {
                        Ok(listener) => {
                            serve(listener, served, async move {
                                // Completes when the MockServer (the sender) is dropped.
                                while rx.changed().await.is_ok() {}
                            })
                            .await;
                        }
                        Err(e) => eprintln!("zego-mock: cannot serve on {address}: {e}"),
                    }
                });
            })?;
        Ok(MockServer {
            address,
            engine,
            _shutdown: tx,
        })
    }
}
