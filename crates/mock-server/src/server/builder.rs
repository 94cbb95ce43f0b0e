//! [`MockServerBuilder`]: apps, clock, options, and the start of an in-process mock.

use super::{serve_with_tls, MockServer, ServeOptions};
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::config::AppConfig;
use crate::engine::{Engine, Options};
use crate::tls::ServerTls;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

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
    access: crate::control::ControlAccess,
    callbacks: Vec<(u32, crate::callbacks::config::CallbackConfig)>,
    tls: Option<ServerTls>,
}

impl std::fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("apps", &self.apps)
            .field("options", &self.options)
            .field("bind", &self.bind)
            .field("serve", &self.serve)
            .field("access", &self.access)
            .field("tls", &self.tls)
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

    /// Shows the whole expected signature in the journal's reason for a signature mismatch (off
    /// by default: four hex digits tell a wrong secret from a wrong encoding, while the whole
    /// value lets anyone who reads the journal sign requests without the secret).
    pub fn reveal_signatures(mut self, on: bool) -> Self {
        self.options.reveal_signatures = on;
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

    /// Configures an app's server callbacks from the start.
    ///
    /// # Panics
    /// When building, if the configuration is invalid ([`CallbackConfig::validate`]).
    ///
    /// [`CallbackConfig::validate`]: crate::CallbackConfig::validate
    pub fn callbacks(
        mut self,
        app_id: u32,
        config: crate::callbacks::config::CallbackConfig,
    ) -> Self {
        self.callbacks.retain(|(id, _)| *id != app_id);
        self.callbacks.push((app_id, config));
        self
    }

    /// Who may use the control API over HTTP: an admin token, host names allowed without one
    /// (see [`ControlAccess`](crate::ControlAccess)). By default no token, and only
    /// `localhost` and IP addresses in `Host`.
    pub fn control_access(mut self, access: crate::control::ControlAccess) -> Self {
        self.access = access;
        self
    }

    /// How the HTTP server behaves apart from the API (connections, limits, timeouts, whether
    /// the control API is served).
    pub fn serve_options(mut self, serve: ServeOptions) -> Self {
        self.serve = serve;
        self
    }

    /// Serves HTTPS too, with this certificate: on a second free port of the same address
    /// ([`MockServer::https_uri`]), and through the proxy (`CONNECT rtc-api.zego.im:443` on the
    /// main port, see [`serve_with_tls`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let ca = zego_mock::LocalCa::generate().unwrap();
    /// let server = zego_mock::MockServer::builder()
    ///     .tls(ca.server_tls().unwrap())
    ///     .start()
    ///     .await;
    /// assert!(server.https_uri().unwrap().starts_with("https://localhost:"));
    /// # }
    /// ```
    pub fn tls(mut self, tls: ServerTls) -> Self {
        self.tls = Some(tls);
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
        let mut engine = Engine::with_journal(
            apps,
            clock,
            self.options,
            self.journal_capacity
                .unwrap_or(crate::control::DEFAULT_JOURNAL_CAPACITY),
        );
        engine.access = self.access;
        for (app_id, config) in self.callbacks {
            if let Err(e) = engine.set_callbacks(app_id, config) {
                panic!("zego-mock: invalid callback configuration for AppId {app_id}: {e}");
            }
        }
        engine
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
        let https = match self.tls {
            Some(_) => {
                let https = std::net::TcpListener::bind(SocketAddr::new(address.ip(), 0))?;
                https.set_nonblocking(true)?;
                Some(https)
            }
            None => None,
        };
        let https_address = https.as_ref().map(|l| l.local_addr()).transpose()?;
        let tls = self.tls.clone();
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
                    let listeners = TcpListener::from_std(listener).and_then(|listener| {
                        Ok((listener, https.map(TcpListener::from_std).transpose()?))
                    });
                    match listeners {
                        Ok((listener, https)) => {
                            serve_with_tls(
                                listener,
                                https,
                                tls,
                                served,
                                serve_options,
                                async move {
                                    // Completes when the MockServer (the sender) is dropped.
                                    while rx.changed().await.is_ok() {}
                                },
                            )
                            .await;
                        }
                        Err(e) => eprintln!("zego-mock: cannot serve on {address}: {e}"),
                    }
                });
            })?;
        Ok(MockServer {
            address,
            https_address,
            engine,
            _shutdown: tx,
        })
    }
}
