//! Targets the catalogue runs against, what each can do, and the per-case context cases use to
//! send requests and move time.

use md5::{Digest, Md5};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use zego_client::Client;
use zego_mock::{AppConfig, ManualClock, MockServer};

/// A fixed, documented point in time cases start from when the target's clock is controllable:
/// 2023-11-14T22:13:20Z.
pub const EPOCH_SECS: i64 = 1_700_000_000;

/// What a case needs from its target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Needs {
    /// The target's clock can be frozen and moved (the in-process mock, or a zego-mock with its
    /// control API).
    pub clock: bool,
    /// The case may exhaust a rate limit (never against the real service unless allowed).
    pub throttling: bool,
    /// The credentials address the test environment (`IsTest=true`).
    pub test_env: bool,
    /// The credentials address the production environment (the case checks production's
    /// own figures, such as its rate limit).
    pub production: bool,
    /// The target's state can be read, seeded and simulated (zego-mock's control plane).
    pub control: bool,
}

impl Needs {
    /// Nothing special.
    pub const NONE: Needs = Needs {
        clock: false,
        throttling: false,
        test_env: false,
        production: false,
        control: false,
    };
}

/// What a target offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Capabilities {
    /// See [`Needs::clock`].
    pub clock: bool,
    /// See [`Needs::throttling`].
    pub throttling: bool,
    /// See [`Needs::test_env`].
    pub test_env: bool,
    /// See [`Needs::production`].
    pub production: bool,
    /// See [`Needs::control`].
    pub control: bool,
}

impl Capabilities {
    /// Why a case with `needs` cannot run here, or `None` when it can.
    pub fn lacks(&self, needs: Needs) -> Option<&'static str> {
        if needs.clock && !self.clock {
            Some("needs control of the target's clock")
        } else if needs.control && !self.control {
            Some("needs the mock's control plane (state, publishers)")
        } else if needs.throttling && !self.throttling {
            Some("exhausts a rate limit (pass --allow-throttling to run it)")
        } else if needs.test_env && !self.test_env {
            Some("needs credentials for the test environment (--is-test)")
        } else if needs.production && !self.production {
            Some("needs credentials for the production environment (without --is-test)")
        } else {
            None
        }
    }
}

/// Where the catalogue runs.
#[derive(Debug, Clone)]
pub enum Target {
    /// A fresh in-process mock per case, on a frozen clock, with a production and a test
    /// environment. Every case can run.
    InProcess,
    /// Any base URL with credentials: a separately started zego-mock (whose control API is found
    /// and used) or the real service.
    Remote {
        /// Base URL, e.g. `http://127.0.0.1:7272` or `https://rtc-api.zego.im`.
        base_url: String,
        /// AppId.
        app_id: u32,
        /// ServerSecret.
        secret: String,
        /// Whether the credentials address the test environment.
        is_test: bool,
        /// Whether cases may exhaust rate limits.
        allow_throttling: bool,
        /// Whether to space requests to stay under the documented limits when the target's clock
        /// cannot be moved (off for a target that does not throttle, such as
        /// `zego-mock --no-rate-limit`).
        pace: bool,
    },
}

/// How a context moves the target's clock.
enum ClockControl {
    /// The in-process mock's base clock.
    Manual(ManualClock),
    /// A zego-mock's control API, with the frozen time mirrored here.
    Http(Arc<AtomicI64>),
    /// The real clock: not movable.
    Real,
}

/// An answer as the case sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The whole JSON body (`Null` when it was not JSON).
    pub body: Value,
}

/// Whether a RequestId has a form ZEGO's examples show: a string of digits, a UUID
/// (`9f674801-69e9-463f-a966-1ba2c6b5dbbe`), or letters and digits.
fn is_documented_request_id(rid: &str) -> bool {
    let uuid = {
        let parts: Vec<&str> = rid.split('-').collect();
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
            && parts
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    uuid || (!rid.is_empty() && rid.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl Answer {
    /// `Code`, or `i64::MIN` when absent.
    pub fn code(&self) -> i64 {
        self.body["Code"].as_i64().unwrap_or(i64::MIN)
    }

    /// `Message`.
    pub fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or("")
    }

    /// Checks the documented envelope: HTTP 200, integer `Code`, string `Message`, a `RequestId`
    /// string in one of the documented forms: digits (most pages), a UUID (SetSceneTemplate) or
    /// letters and digits (the moderation pages' `TestRequestId1635941437248027000`).
    pub fn check_envelope(&self) -> Result<(), String> {
        if self.status != 200 {
            return Err(format!(
                "HTTP status {} (ZEGO answers 200): {}",
                self.status, self.body
            ));
        }
        let rid = self.body["RequestId"].as_str().unwrap_or("");
        if !self.body["Code"].is_i64() || !self.body["Message"].is_string() {
            return Err(format!("not a ZEGO envelope: {}", self.body));
        }
        if !is_documented_request_id(rid) {
            return Err(format!(
                "RequestId {rid:?} is none of the documented forms (digits, a UUID, letters and digits)"
            ));
        }
        Ok(())
    }

    /// Checks the envelope and the code.
    pub fn expect_code(&self, code: i64) -> Result<(), String> {
        self.check_envelope()?;
        if self.code() != code {
            return Err(format!(
                "expected Code {code}, got {}: {}",
                self.code(),
                self.body
            ));
        }
        Ok(())
    }
}

/// The kit's own signer, independent of both the mock's and the client's:
/// `hex_lower(md5(AppId + SignatureNonce + ServerSecret + Timestamp))`.
pub fn signature(app_id: u32, nonce: &str, secret: &str, timestamp: i64) -> String {
    hex::encode(Md5::digest(format!("{app_id}{nonce}{secret}{timestamp}")))
}

/// Percent-encodes a query component.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Joins raw (already encoded where needed) pairs into a query string.
pub fn join(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Everything a case uses: credentials, a client, the clock, and (on a mock) its control plane.
pub struct Ctx {
    /// AppId of the target's credentials.
    pub app_id: u32,
    secret: String,
    /// Whether requests address the test environment.
    pub is_test: bool,
    base_url: String,
    client: Client,
    clock: ClockControl,
    raw: Client,
    /// The in-process server, when there is one (kept alive for the case).
    server: Option<MockServer>,
    /// A prefix that makes this case's StreamIds unique on a shared target.
    unique: String,
    capabilities: Capabilities,
    /// Whether [`Ctx::pace`] spaces requests.
    pace: bool,
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("app_id", &self.app_id)
            .field("base_url", &self.base_url)
            .field("is_test", &self.is_test)
            .finish_non_exhaustive()
    }
}

/// The AppId and secret of the in-process target.
pub const IN_PROCESS_APP: (u32, &str) = (12345, "9193cc662a4c0ec135ec71fb57194b38");

fn client(
    base_url: &str,
    app_id: u32,
    secret: &str,
    is_test: bool,
    now: Arc<dyn Fn() -> i64 + Send + Sync>,
) -> Result<Client, String> {
    Client::builder()
        .app_id(app_id)
        .server_secret(secret)
        .base_url(base_url)
        .test_environment(is_test)
        .timeout(Duration::from_secs(10))
        .clock(move || now())
        .build()
        .map_err(|e| format!("cannot build a client for {base_url}: {e}"))
}

impl Target {
    /// What this target offers, finding out (for a remote) whether it has zego-mock's control API.
    pub async fn capabilities(&self) -> Capabilities {
        match self {
            Target::InProcess => Capabilities {
                clock: true,
                throttling: true,
                test_env: true,
                production: true,
                control: true,
            },
            Target::Remote {
                base_url,
                is_test,
                allow_throttling,
                app_id,
                ..
            } => {
                let control = has_control_api(base_url).await;
                // A zego-mock says which environments the app has: with production credentials,
                // the test-environment cases run in the same pass when the app has one.
                let test_env =
                    *is_test || (control && mock_app_has_test_env(base_url, *app_id).await);
                Capabilities {
                    clock: control,
                    // A mock's limits can be exhausted freely: each case resets its app.
                    throttling: control || *allow_throttling,
                    test_env,
                    production: !*is_test,
                    control,
                }
            }
        }
    }

    /// A fresh context for one case, in the production environment or (when `test_env`) the
    /// test environment.
    pub async fn context(
        &self,
        case_id: &str,
        test_env: bool,
        capabilities: Capabilities,
    ) -> Result<Ctx, String> {
        let unique = unique_prefix(case_id);
        match self {
            Target::InProcess => {
                let manual = ManualClock::at_secs(EPOCH_SECS);
                let (app_id, secret) = IN_PROCESS_APP;
                let server = MockServer::builder()
                    .app_config(AppConfig::new(app_id, secret))
                    .clock(manual.clone())
                    .start()
                    .await;
                let base_url = server.uri();
                let m = manual.clone();
                let now: Arc<dyn Fn() -> i64 + Send + Sync> =
                    Arc::new(move || zego_mock::Clock::now_millis(&m));
                Ok(Ctx {
                    app_id,
                    secret: secret.to_string(),
                    is_test: test_env,
                    client: client(&base_url, app_id, secret, test_env, now.clone())?,
                    raw: client(&base_url, app_id, secret, false, now)?,
                    base_url,
                    clock: ClockControl::Manual(manual),
                    server: Some(server),
                    unique,
                    capabilities,
                    pace: false,
                })
            }
            Target::Remote {
                base_url,
                app_id,
                secret,
                is_test,
                pace,
                ..
            } => {
                let pace = *pace;
                let base_url = base_url.trim_end_matches('/').to_string();
                let (clock, now): (ClockControl, Arc<dyn Fn() -> i64 + Send + Sync>) =
                    if capabilities.control {
                        // Isolate the case: reset the app and freeze its clock at the epoch.
                        control(
                            &base_url,
                            "DELETE",
                            &format!("/_mock/apps/{app_id}/state"),
                            None,
                        )
                        .await?;
                        control(
                            &base_url,
                            "POST",
                            "/_mock/clock/freeze",
                            Some(serde_json::json!({"at_secs": EPOCH_SECS})),
                        )
                        .await?;
                        let mirror = Arc::new(AtomicI64::new(EPOCH_SECS * 1000));
                        let m = mirror.clone();
                        (
                            ClockControl::Http(mirror),
                            Arc::new(move || m.load(Ordering::SeqCst)),
                        )
                    } else {
                        (
                            ClockControl::Real,
                            Arc::new(|| zego_mock::Clock::now_millis(&zego_mock::SystemClock)),
                        )
                    };
                // A test-environment case runs with IsTest=true even on production credentials
                // (the app has both environments).
                let is_test = *is_test || test_env;
                Ok(Ctx {
                    app_id: *app_id,
                    secret: secret.clone(),
                    is_test,
                    client: client(&base_url, *app_id, secret, is_test, now.clone())?,
                    raw: client(&base_url, *app_id, secret, false, now)?,
                    base_url,
                    clock,
                    server: None,
                    unique,
                    capabilities,
                    pace,
                })
            }
        }
    }
}

/// Send times per (base URL, AppId, action), for [`Ctx::pace`].
type PaceBook = HashMap<(String, u32, String), VecDeque<tokio::time::Instant>>;

static PACER: OnceLock<Mutex<PaceBook>> = OnceLock::new();

/// The span within which at most `limit` requests of one action are sent: a second, with a
/// margin for the target's own timing.
const PACE_WINDOW: Duration = Duration::from_millis(1100);

/// Reserves the earliest send time at or after `now` that keeps `key` at most `limit` requests
/// in any [`PACE_WINDOW`].
fn reserve(
    key: &(String, u32, String),
    limit: u32,
    now: tokio::time::Instant,
) -> tokio::time::Instant {
    let mut book = PACER
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let sent = book.entry(key.clone()).or_default();
    reserve_in(sent, limit, now)
}

/// [`reserve`] on one action's send times.
fn reserve_in(
    sent: &mut VecDeque<tokio::time::Instant>,
    limit: u32,
    now: tokio::time::Instant,
) -> tokio::time::Instant {
    while sent.front().is_some_and(|t| *t + PACE_WINDOW <= now) {
        sent.pop_front();
    }
    let limit = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
    let at = if sent.len() >= limit {
        // The request `limit` places back must leave the window first.
        sent[sent.len() - limit] + PACE_WINDOW
    } else {
        now
    };
    sent.push_back(at.max(now));
    at.max(now)
}

fn unique_prefix(case_id: &str) -> String {
    let short: String = case_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    format!(
        "{short}-{:x}",
        zego_mock::Clock::now_millis(&zego_mock::SystemClock) % 0xffff_ffff
    )
}

/// `u` and 16 hex digits of the FNV-1a hash of `s`: a short stand-in for a long unique id.
pub fn short_id(s: &str) -> String {
    let hash = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("u{hash:016x}")
}

/// Calls a zego-mock control endpoint.
async fn control(
    base_url: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    let (status, text) = http(base_url, method, path, body).await?;
    if status != 200 {
        return Err(format!(
            "control API {method} {path} answered {status}: {text}"
        ));
    }
    serde_json::from_str(&text).map_err(|e| format!("control API {method} {path}: {e}"))
}

/// Whether the zego-mock at `base_url` serves `app_id` with a test environment.
async fn mock_app_has_test_env(base_url: &str, app_id: u32) -> bool {
    let Ok(apps) = control(base_url.trim_end_matches('/'), "GET", "/_mock/apps", None).await else {
        return false;
    };
    apps["apps"].as_array().is_some_and(|apps| {
        apps.iter()
            .any(|a| a["app_id"].as_u64() == Some(u64::from(app_id)) && a["test"] == true)
    })
}

/// What a run changes on a zego-mock target, as found before it: the clock, and the app's state
/// in both environments and its features. Cases reset the app and freeze the clock; restoring
/// this leaves the mock usable by whoever shares it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    base_url: String,
    app_id: u32,
    clock: Value,
    production: Value,
    test: Option<Value>,
    features: Value,
}

impl Snapshot {
    /// Puts the target back as the snapshot found it. `Err` says what could not be restored.
    pub async fn restore(&self) -> Result<(), String> {
        let app = format!("/_mock/apps/{}", self.app_id);
        control(&self.base_url, "DELETE", &format!("{app}/state"), None).await?;
        control(
            &self.base_url,
            "PUT",
            &format!("{app}/state?env=production"),
            Some(self.production.clone()),
        )
        .await?;
        if let Some(test) = &self.test {
            control(
                &self.base_url,
                "PUT",
                &format!("{app}/state?env=test"),
                Some(test.clone()),
            )
            .await?;
        }
        control(
            &self.base_url,
            "PUT",
            &format!("{app}/features"),
            Some(self.features.clone()),
        )
        .await?;
        if self.clock["frozen"] == true {
            let at = self.clock["now_millis"]
                .as_i64()
                .unwrap_or(EPOCH_SECS * 1000);
            control(
                &self.base_url,
                "POST",
                "/_mock/clock/freeze",
                Some(serde_json::json!({ "at_millis": at })),
            )
            .await?;
        } else {
            let offset = self.clock["offset_millis"].as_i64().unwrap_or(0);
            control(
                &self.base_url,
                "POST",
                "/_mock/clock/offset",
                Some(serde_json::json!({ "millis": offset })),
            )
            .await?;
        }
        Ok(())
    }
}

impl Target {
    /// Before a run against a zego-mock: what the run will change (`None` for a target without
    /// the mock's control API, or in process, where nothing is shared).
    pub async fn snapshot(&self) -> Result<Option<Snapshot>, String> {
        let Target::Remote {
            base_url, app_id, ..
        } = self
        else {
            return Ok(None);
        };
        if !has_control_api(base_url).await {
            return Ok(None);
        }
        let base_url = base_url.trim_end_matches('/').to_string();
        let app = format!("/_mock/apps/{app_id}");
        let clock = control(&base_url, "GET", "/_mock/clock", None).await?;
        let production = control(
            &base_url,
            "GET",
            &format!("{app}/state?env=production"),
            None,
        )
        .await?;
        let test = if mock_app_has_test_env(&base_url, *app_id).await {
            Some(control(&base_url, "GET", &format!("{app}/state?env=test"), None).await?)
        } else {
            None
        };
        let features = control(&base_url, "GET", &format!("{app}/features"), None).await?;
        Ok(Some(Snapshot {
            base_url,
            app_id: *app_id,
            clock,
            production,
            test,
            features,
        }))
    }

    /// One request before any case: `Err` in one line when the target cannot be reached or
    /// refuses the credentials (rather than a failure per case). A harmless read,
    /// DescribeRTCStreamState of a stream nobody publishes, signed on the target's clock (a
    /// zego-mock's, read through its control API, which may differ from this machine's).
    pub async fn preflight(&self) -> Result<(), String> {
        let Target::Remote {
            base_url,
            app_id,
            secret,
            is_test,
            ..
        } = self
        else {
            return Ok(());
        };
        let base = base_url.trim_end_matches('/').to_string();
        if let Ok((401, _)) = http(&base, "GET", "/_mock/clock", None).await {
            return Err(format!(
                "{base} is a zego-mock whose control API needs its admin token: pass --admin-token TOKEN or set ZEGO_MOCK_ADMIN_TOKEN"
            ));
        }
        let offset = if has_control_api(&base).await {
            let clock = control(&base, "GET", "/_mock/clock", None).await?;
            let now = clock["now_millis"].as_i64().unwrap_or(0);
            now - zego_mock::Clock::now_millis(&zego_mock::SystemClock)
        } else {
            0
        };
        let now: Arc<dyn Fn() -> i64 + Send + Sync> =
            Arc::new(move || zego_mock::Clock::now_millis(&zego_mock::SystemClock) + offset);
        let client = client(&base, *app_id, secret, *is_test, now)?;
        let request = zego_client::DescribeRtcStreamStateRequest::new("zego-conformance-preflight");
        match client.describe_rtc_stream_state(request).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_transport() || e.is_timeout() => {
                Err(format!("cannot reach {base}: {e}"))
            }
            Err(e) if e.is_auth() => Err(format!(
                "{base} refuses the credentials of AppId {app_id}{}: {e}",
                if *is_test { " (test environment)" } else { "" }
            )),
            Err(e) => match e.code() {
                Some(code) if (100_000_000..100_000_100).contains(&code.as_i64()) => Err(format!(
                    "{base} refuses the request at its gateway for AppId {app_id}: {e}"
                )),
                _ => Ok(()),
            },
        }
    }
}

static ADMIN_TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Sends `Authorization: Bearer TOKEN` with every control API request to a separately started
/// zego-mock (one started with `--admin-token`, or listening off loopback, where it requires
/// one). Without it, `ZEGO_MOCK_ADMIN_TOKEN` is used when set. Set once, before running: `false`
/// when a token was already set.
pub fn set_admin_token(token: impl Into<String>) -> bool {
    ADMIN_TOKEN.set(token.into()).is_ok()
}

fn admin_token() -> Option<String> {
    ADMIN_TOKEN
        .get()
        .cloned()
        .or_else(|| std::env::var("ZEGO_MOCK_ADMIN_TOKEN").ok())
        .filter(|t| !t.is_empty())
}

async fn has_control_api(base_url: &str) -> bool {
    matches!(http(base_url.trim_end_matches('/'), "GET", "/_mock/clock", None).await, Ok((200, body)) if body.contains("now_millis"))
}

/// A minimal HTTP/1.1 exchange for zego-mock's control API (plain HTTP only: the control API is
/// never served over TLS).
async fn http(
    base_url: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<(u16, String), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some(host) = base_url.strip_prefix("http://") else {
        return Err("the control API is only looked for over plain HTTP".into());
    };
    let host = host.split('/').next().unwrap_or(host);
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = admin_token()
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(host)
            .await
            .map_err(|e| e.to_string())?;
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut buf = Vec::new();
        stream
            .read_to_end(&mut buf)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(buf)
    };
    let buf = tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .map_err(|_| format!("{base_url}{path}: no answer within 5 s"))??;
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP head")?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status")?;
    Ok((status, body.to_string()))
}

impl Ctx {
    /// The typed client, signing with the target's credentials on the target's clock.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// What the target offers.
    pub fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    /// The target's time in Unix seconds.
    pub fn now(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    /// The target's time in Unix milliseconds.
    pub fn now_millis(&self) -> i64 {
        match &self.clock {
            ClockControl::Manual(m) => zego_mock::Clock::now_millis(m),
            ClockControl::Http(mirror) => mirror.load(Ordering::SeqCst),
            ClockControl::Real => zego_mock::Clock::now_millis(&zego_mock::SystemClock),
        }
    }

    /// Moves the target's clock (cases that call this declare `Needs::clock`).
    pub async fn advance_millis(&self, ms: i64) -> Result<(), String> {
        match &self.clock {
            ClockControl::Manual(m) => {
                if ms >= 0 {
                    m.advance(Duration::from_millis(ms.unsigned_abs()));
                } else {
                    m.rewind(Duration::from_millis(ms.unsigned_abs()));
                }
                Ok(())
            }
            ClockControl::Http(mirror) => {
                control(
                    &self.base_url,
                    "POST",
                    "/_mock/clock/advance",
                    Some(serde_json::json!({"millis": ms})),
                )
                .await?;
                mirror.fetch_add(ms, Ordering::SeqCst);
                Ok(())
            }
            ClockControl::Real => Err("this target's clock cannot be moved".into()),
        }
    }

    /// A StreamId unique to this case (prefixed for the test environment when needed).
    pub fn stream(&self, name: &str) -> String {
        let id = format!("{}-{name}", self.unique);
        if self.is_test {
            format!("zegotest-{}-{id}", self.app_id)
        } else {
            id
        }
    }

    /// An id (a RoomId, say) unique to this case, with no test-environment prefix: room ids have
    /// no prefix rule.
    pub fn id(&self, name: &str) -> String {
        format!("{}-{name}", self.unique)
    }

    /// A short id unique to this case, for values with a tight length limit (a UserId is at most
    /// 64 bytes): `u` and 16 hex digits of a hash of [`Ctx::id`].
    pub fn short_id(&self, name: &str) -> String {
        short_id(&self.id(name))
    }

    /// The common parameters, signed for `timestamp`, as encoded pairs a case may alter.
    pub fn common(&self, action: &str, timestamp: i64) -> Vec<(String, String)> {
        let nonce = format!(
            "{:016x}",
            self.now_millis()
                .unsigned_abs()
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        );
        let mut pairs = vec![
            ("Action".to_string(), encode(action)),
            ("AppId".to_string(), self.app_id.to_string()),
            ("SignatureNonce".to_string(), nonce.clone()),
            ("Timestamp".to_string(), timestamp.to_string()),
            (
                "Signature".to_string(),
                signature(self.app_id, &nonce, &self.secret, timestamp),
            ),
            ("SignatureVersion".to_string(), "2.0".to_string()),
        ];
        if self.is_test {
            pairs.push(("IsTest".to_string(), "true".to_string()));
        }
        pairs
    }

    /// Sends a raw query string as given, with GET.
    pub async fn raw(&self, query: &str) -> Result<Answer, String> {
        self.send("GET", query, None).await
    }

    /// Sends `method` with a raw query string as given and, when there is one, `body` as a JSON
    /// body (`Content-Type: application/json`).
    pub async fn send(
        &self,
        method: &str,
        query: &str,
        body: Option<&[u8]>,
    ) -> Result<Answer, String> {
        if let Some(action) = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
        {
            self.pace(action).await;
        }
        let raw = self
            .raw
            .send_raw(method, query, body)
            .await
            .map_err(|e| format!("{method} request failed: {e}"))?;
        let body = serde_json::from_slice(&raw.body).unwrap_or(Value::Null);
        Ok(Answer {
            status: raw.status,
            body,
        })
    }

    /// Sends `action` signed now, with business `params` (encoded here).
    pub async fn call(&self, action: &str, params: &[(&str, &str)]) -> Result<Answer, String> {
        self.call_at(action, self.now(), params).await
    }

    /// Sends `action` signed for `timestamp`.
    pub async fn call_at(
        &self,
        action: &str,
        timestamp: i64,
        params: &[(&str, &str)],
    ) -> Result<Answer, String> {
        self.raw(&self.signed_query(action, timestamp, params))
            .await
    }

    /// Sends `action` with `method`, signed now as [`Ctx::call`] signs it, with business `params`
    /// (encoded here) in the query and `body` as a JSON body: how ZEGO's POST actions are sent
    /// (common parameters in the query, business parameters in the body).
    pub async fn call_body(
        &self,
        action: &str,
        method: &str,
        params: &[(&str, &str)],
        body: &Value,
    ) -> Result<Answer, String> {
        let query = self.signed_query(action, self.now(), params);
        self.send(method, &query, Some(body.to_string().as_bytes()))
            .await
    }

    /// The query of `action` signed for `timestamp`: the common parameters, then `params`
    /// percent-encoded.
    pub fn signed_query(&self, action: &str, timestamp: i64, params: &[(&str, &str)]) -> String {
        let mut pairs = self.common(action, timestamp);
        pairs.extend(params.iter().map(|(n, v)| (n.to_string(), encode(v))));
        join(&pairs)
    }

    /// Against a target whose clock cannot be moved (the real service, a mock without its control
    /// API), waits as long as needed to keep each action under its documented rate limit in any
    /// second, so that cases which do not test throttling are not throttled. The window is shared
    /// by every context of the process for the same target, AppId and action. Targets with clock
    /// control are reset and frozen for each case and are never paced.
    ///
    /// [`Ctx::raw`] (and so every `call`) paces itself; a case calls this before each request it
    /// sends through the typed [`Ctx::client`].
    pub async fn pace(&self, action: &str) {
        if !self.pace || !matches!(self.clock, ClockControl::Real) {
            return;
        }
        let Some(d) = crate::docs::action(action) else {
            return;
        };
        let limit = match (self.is_test, d.rate_limit.test) {
            (true, Some(test)) => test,
            _ => d.rate_limit.production,
        };
        let key = (self.base_url.clone(), self.app_id, action.to_string());
        let at = reserve(&key, limit, tokio::time::Instant::now());
        tokio::time::sleep_until(at).await;
    }

    /// Reads the mock's state of this app (cases that call this declare `Needs::control`).
    pub async fn state(&self) -> Result<Value, String> {
        let env = if self.is_test { "test" } else { "production" };
        match &self.server {
            Some(server) => {
                let env = if self.is_test {
                    zego_mock::Env::Test
                } else {
                    zego_mock::Env::Production
                };
                serde_json::to_value(server.state(self.app_id, env)).map_err(|e| e.to_string())
            }
            None => {
                control(
                    &self.base_url,
                    "GET",
                    &format!("/_mock/apps/{}/state?env={env}", self.app_id),
                    None,
                )
                .await
            }
        }
    }

    /// Turns the mock's legacy codes on or off (cases that call this declare `Needs::control`
    /// and turn them off again before they return).
    pub async fn set_legacy_codes(&self, on: bool) -> Result<(), String> {
        match &self.server {
            Some(server) => {
                let mut options = server.engine().options();
                options.legacy_codes = on;
                server.engine().set_options(options);
                Ok(())
            }
            None => control(
                &self.base_url,
                "PUT",
                "/_mock/options",
                Some(serde_json::json!({ "legacy_codes": on })),
            )
            .await
            .map(|_| ()),
        }
    }

    /// Sends `method` to the mock's control plane at `/_mock/apps/{AppId}{path}` (for this
    /// context's environment, `env=production|test`) with `body` as JSON, and answers the HTTP
    /// status and the JSON body (`Null` when it is not JSON), refusals (4xx) included. Cases that
    /// call this declare `Needs::control`.
    pub async fn app_control(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), String> {
        let env = if self.is_test { "test" } else { "production" };
        let sep = if path.contains('?') { '&' } else { '?' };
        let full = format!("/_mock/apps/{}{path}{sep}env={env}", self.app_id);
        let (status, text) = http(&self.base_url, method, &full, body).await?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// A simulated publisher starts (`live`) or stops a stream on the mock.
    pub async fn publish(&self, stream_id: &str, live: bool) -> Result<(), String> {
        let env = if self.is_test { "test" } else { "production" };
        match &self.server {
            Some(server) => {
                let e = if self.is_test {
                    zego_mock::Env::Test
                } else {
                    zego_mock::Env::Production
                };
                if live {
                    server
                        .start_publishing(self.app_id, e, stream_id)
                        .map_err(|e| e.to_string())
                } else {
                    server.stop_publishing(self.app_id, e, stream_id);
                    Ok(())
                }
            }
            None => {
                let verb = if live { "publish" } else { "stop" };
                control(
                    &self.base_url,
                    "POST",
                    &format!(
                        "/_mock/apps/{}/streams/{stream_id}/{verb}?env={env}",
                        self.app_id
                    ),
                    None,
                )
                .await
                .map(|_| ())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_of_every_documented_form_pass_and_others_do_not() {
        for ok in [
            "4191282558729715911",
            "9f674801-69e9-463f-a966-1ba2c6b5dbbe",
            "TestRequestId1635941437248027000",
        ] {
            assert!(is_documented_request_id(ok), "{ok}");
        }
        for bad in ["", "12 34", "9f674801-69e9-463f-a966", "id_1", "12.5"] {
            assert!(!is_documented_request_id(bad), "{bad}");
        }
    }

    #[test]
    fn the_kits_signer_matches_the_vector_fixture() {
        let v: Value =
            serde_json::from_str(include_str!("../../../fixtures/signature-vector.json"))
                .expect("fixture");
        let app = u32::try_from(v["app_id"].as_u64().expect("app_id")).expect("u32");
        let got = signature(
            app,
            v["signature_nonce"].as_str().expect("nonce"),
            v["server_secret"].as_str().expect("secret"),
            v["timestamp"].as_i64().expect("ts"),
        );
        assert_eq!(got, v["signature"].as_str().expect("signature"));
    }

    #[test]
    fn the_kits_signer_matches_the_official_test_vector() {
        assert_eq!(
            signature(
                12345,
                "4fd24687296dd9f3",
                "9193cc662a4c0ec135ec71fb57194b38",
                1615186943
            ),
            "43e5cfcca828314675f91b001390566a"
        );
    }

    #[tokio::test]
    async fn signed_query_carries_the_common_parameters_signed_and_encodes_the_rest() {
        let target = Target::InProcess;
        let ctx = target
            .context("q", false, target.capabilities().await)
            .await
            .expect("in-process context");
        let query = ctx.signed_query("StartMix", 1_700_000_000, &[("CDNUrl", "rtmp://h/a b")]);
        let pairs: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
        let get = |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let (app_id, secret) = IN_PROCESS_APP;
        assert_eq!(get("Action"), Some("StartMix"));
        assert_eq!(get("AppId"), Some(app_id.to_string().as_str()));
        assert_eq!(get("Timestamp"), Some("1700000000"));
        assert_eq!(get("SignatureVersion"), Some("2.0"));
        let nonce = get("SignatureNonce").expect("a nonce");
        assert_eq!(
            get("Signature"),
            Some(signature(app_id, nonce, secret, 1_700_000_000).as_str())
        );
        assert_eq!(get("IsTest"), None);
        assert_eq!(pairs.last(), Some(&("CDNUrl", "rtmp%3A%2F%2Fh%2Fa%20b")));
    }

    #[test]
    fn short_ids_are_short_stable_and_distinct() {
        let a = short_id("a-case-with-a-long-name-1234abcd-room");
        assert_eq!(a.len(), 17);
        assert_eq!(a, short_id("a-case-with-a-long-name-1234abcd-room"));
        assert_ne!(a, short_id("a-case-with-a-long-name-1234abcd-roon"));
    }

    #[test]
    fn pacing_keeps_at_most_the_limit_in_any_window() {
        let start = tokio::time::Instant::now();
        let mut sent = VecDeque::new();
        let times: Vec<tokio::time::Instant> =
            (0..7).map(|_| reserve_in(&mut sent, 3, start)).collect();
        assert_eq!(&times[..3], &[start; 3]);
        assert_eq!(&times[3..6], &[start + PACE_WINDOW; 3]);
        assert_eq!(times[6], start + PACE_WINDOW * 2);
        // Once the window has passed, a request goes at once.
        let later = start + PACE_WINDOW * 5;
        assert_eq!(reserve_in(&mut sent, 3, later), later);
    }

    #[test]
    fn capabilities_explain_what_is_missing() {
        let real = Capabilities {
            clock: false,
            throttling: false,
            test_env: false,
            production: true,
            control: false,
        };
        assert!(real
            .lacks(Needs {
                production: true,
                ..Needs::NONE
            })
            .is_none());
        assert!(real
            .lacks(Needs {
                test_env: true,
                ..Needs::NONE
            })
            .is_some());
        assert!(real
            .lacks(Needs {
                clock: true,
                ..Needs::NONE
            })
            .is_some());
        assert!(real.lacks(Needs::NONE).is_none());
    }
}
