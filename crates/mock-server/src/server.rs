//! The HTTP/1.1 server: the accept loop, graceful shutdown, and the in-process [`MockServer`].

use crate::actions::rtc_stream::PublishError;
use crate::actions::Action;
use crate::admin;
use crate::clock::{Clock, ControlClock, SharedClock, SystemClock};
use crate::config::{AppConfig, Env};
use crate::control::{CoverageSummary, Fault, FaultSpec, JournalEntry, JournalFilter};
use crate::handler::{Engine, Incoming, Options};
use crate::state::EnvState;
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
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// How long a client may take, by default, to send a request's headers before its connection is
/// closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
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
    /// The largest control-API body read, in bytes; larger bodies get HTTP 413.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's headers (idle keep-alive connections
    /// included) before the connection is closed.
    pub header_read_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            admin: true,
            max_connections: 4096,
            max_head_bytes: 64 * 1024,
            max_body_bytes: 1024 * 1024,
            header_read_timeout: HEADER_READ_TIMEOUT,
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

async fn respond(
    engine: Arc<Engine>,
    options: ServeOptions,
    req: Request<Body>,
) -> Result<Response<Full<Bytes>>, DroppedByFault> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let query = parts.uri.query().unwrap_or("").as_bytes();
    if options.admin && (path == admin::PREFIX || path.starts_with("/_mock/")) {
        let body = match Limited::new(body, options.max_body_bytes).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => {
                let answer = serde_json::json!({
                    "error": format!("the body is larger than {} bytes, or could not be read", options.max_body_bytes)
                });
                return Ok(json_response(413, answer.to_string().into_bytes()));
            }
        };
        let answer = admin::handle(&engine, parts.method.as_str(), path, query, &body);
        return Ok(json_response(
            answer.status,
            answer.body.to_string().into_bytes(),
        ));
    }
    let answer = engine.handle(Incoming {
        method: parts.method.as_str(),
        path,
        query,
    });
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
                let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
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
}

/// A mock of the ZEGO Server API running in this process, on its own thread and runtime, so it
/// works under any test runtime. Dropping it shuts it down, after checking its expectations.
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
    expectations: std::sync::Mutex<Vec<(Expectation, u64)>>,
    _shutdown: watch::Sender<()>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("address", &self.address)
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

/// An expectation on how often an action is called, checked when the server is dropped (or by
/// [`MockServer::verify`]). Counting starts when it is registered.
///
/// ```
/// use zego_mock::{Action, Expectation};
/// let e = Expectation::calls(Action::CreatCDNTransferRule).with_code(0).times(2);
/// assert_eq!(e.to_string(), "CreatCDNTransferRule answered 0 exactly 2 times");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Expectation {
    action: Action,
    code: Option<i64>,
    min: Option<u64>,
    max: Option<u64>,
}

impl Expectation {
    /// Calls of `action` (any code), at least once unless narrowed.
    pub fn calls(action: Action) -> Self {
        Self {
            action,
            code: None,
            min: None,
            max: None,
        }
    }

    /// Only calls answered with `code`.
    pub fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// Exactly `n` calls.
    pub fn times(mut self, n: u64) -> Self {
        self.min = Some(n);
        self.max = Some(n);
        self
    }

    /// At least `n` calls.
    pub fn at_least(mut self, n: u64) -> Self {
        self.min = Some(n);
        self
    }

    /// At most `n` calls (and, unless `at_least` says otherwise, possibly none).
    pub fn at_most(mut self, n: u64) -> Self {
        self.max = Some(n);
        self
    }

    /// The accepted range of counts: at least once unless narrowed.
    fn bounds(&self) -> (u64, u64) {
        let min = self.min.unwrap_or(if self.max.is_some() { 0 } else { 1 });
        (min, self.max.unwrap_or(u64::MAX))
    }

    fn holds(&self, count: u64) -> bool {
        let (min, max) = self.bounds();
        (min..=max).contains(&count)
    }
}

impl std::fmt::Display for Expectation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.action)?;
        if let Some(code) = self.code {
            write!(f, " answered {code}")?;
        } else {
            write!(f, " called")?;
        }
        match self.bounds() {
            (a, b) if a == b => write!(f, " exactly {a} times"),
            (a, u64::MAX) => write!(f, " at least {a} times"),
            (0, b) => write!(f, " at most {b} times"),
            (a, b) => write!(f, " between {a} and {b} times"),
        }
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

    /// The engine that answers requests and holds the control plane.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The AppIds served.
    pub fn app_ids(&self) -> Vec<u32> {
        self.engine.app_ids()
    }

    /// Adds (or replaces) an app at run time.
    pub fn add_app(&self, app: AppConfig) {
        self.engine.add_app(app);
    }

    /// Stops serving an app; its requests then answer 100000010.
    pub fn remove_app(&self, app_id: u32) -> bool {
        self.engine.remove_app(app_id)
    }

    /// A copy of one app's state in one environment.
    pub fn state(&self, app_id: u32, env: Env) -> EnvState {
        self.engine.env_state(app_id, env)
    }

    /// Replaces one app's state in one environment.
    pub fn seed_state(&self, app_id: u32, env: Env, state: EnvState) {
        self.engine.seed_state(app_id, env, state);
    }

    /// Forgets one app's state, Sequence order and rate-limit counts; other apps are untouched.
    pub fn reset_app(&self, app_id: u32) {
        self.engine.reset_app(app_id);
    }

    /// Forgets every app's state, the journal and the coverage counts.
    pub fn reset_all(&self) {
        self.engine.reset_all();
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

    /// The journal's entries matching `filter`, oldest first.
    pub fn journal(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        self.engine.journal(filter)
    }

    /// Every journal entry, oldest first.
    pub fn received(&self) -> Vec<JournalEntry> {
        self.engine.journal(&JournalFilter::default())
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.engine.clear_journal();
    }

    /// Installs a fault; `Err` says what is wrong with it.
    pub fn add_fault(&self, fault: FaultSpec) -> Result<u64, String> {
        self.engine.add_fault(fault)
    }

    /// The installed faults.
    pub fn faults(&self) -> Vec<Fault> {
        self.engine.faults()
    }

    /// Removes one fault.
    pub fn remove_fault(&self, id: u64) -> bool {
        self.engine.remove_fault(id)
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.engine.clear_faults();
    }

    /// The mock's clock: read, freeze, advance, offset.
    pub fn clock(&self) -> &ControlClock {
        self.engine.clock()
    }

    /// Which actions and codes were exercised so far.
    pub fn coverage(&self) -> CoverageSummary {
        self.engine.coverage()
    }

    /// Registers an expectation, checked when the server drops.
    pub fn expect(&self, expectation: Expectation) {
        let baseline = self.engine.count(expectation.action, expectation.code);
        self.expectations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((expectation, baseline));
    }

    /// Checks the expectations now; `Err` lists every unmet one.
    pub fn verify(&self) -> Result<(), String> {
        let expectations = self.expectations.lock().unwrap_or_else(|p| p.into_inner());
        let unmet: Vec<String> = expectations
            .iter()
            .filter_map(|(e, baseline)| {
                let count = self
                    .engine
                    .count(e.action, e.code)
                    .saturating_sub(*baseline);
                (!e.holds(count)).then(|| format!("expected {e}, got {count}"))
            })
            .collect();
        if unmet.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "zego-mock expectations not met:\n  - {}",
                unmet.join("\n  - ")
            ))
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Err(message) = self.verify() {
            panic!("{message}");
        }
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
    serve: ServeOptions,
    journal_capacity: Option<usize>,
}

impl std::fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("apps", &self.apps)
            .field("options", &self.options)
            .field("bind", &self.bind)
            .field("serve", &self.serve)
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

    /// Serves the control API under `/_mock` (on by default).
    pub fn admin(mut self, on: bool) -> Self {
        self.serve.admin = on;
        self
    }

    /// Keeps at most `n` requests in the journal (default 1000; 0 keeps none).
    pub fn journal_capacity(mut self, n: usize) -> Self {
        self.journal_capacity = Some(n);
        self
    }

    /// HTTP limits and the control API switch, all at once.
    pub fn serve_options(mut self, serve: ServeOptions) -> Self {
        self.serve = serve;
        self
    }

    /// Listens on this address instead of a free port of 127.0.0.1.
    pub fn bind(mut self, address: SocketAddr) -> Self {
        self.bind = Some(address);
        self
    }

    /// The HTTP options this builder describes.
    pub fn serve_settings(&self) -> ServeOptions {
        self.serve
    }

    /// The engine this builder describes, without a socket.
    pub fn build_engine(self) -> Engine {
        let apps = if self.apps.is_empty() {
            vec![AppConfig::dev()]
        } else {
            self.apps
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        Engine::with_journal(
            apps,
            clock,
            self.options,
            self.journal_capacity
                .unwrap_or(crate::control::DEFAULT_JOURNAL_CAPACITY),
        )
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
        let serve_options = self.serve;
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
                            serve(listener, served, serve_options, async move {
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
            expectations: std::sync::Mutex::new(Vec::new()),
            _shutdown: tx,
        })
    }
}
