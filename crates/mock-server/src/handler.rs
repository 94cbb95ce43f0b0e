//! The one ordered pipeline every request goes through:
//! path and method -> gateway -> rate limit -> parameters -> Sequence order -> action.
//!
//! [`Engine::handle`] is a plain function from a request to an answer, testable without a socket.

use crate::actions::{self, Action, Data, Method, Reply};
use crate::clock::SharedClock;
use crate::codes::media;
use crate::config::{AppConfig, Env};
use crate::gateway::{self, Admitted};
use crate::query::Params;
use crate::refusal::{Check, Refusal};
use crate::state::{EnvState, World};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// Options that change how the mock answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Answer signature and timestamp failures with the action's own legacy code.
    pub legacy_codes: bool,
    /// Enforce the documented rate limits.
    pub rate_limits: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            legacy_codes: false,
            rate_limits: true,
        }
    }
}

/// A request as the pipeline sees it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The HTTP method, upper-case (`GET`, `POST`, ...).
    pub method: &'a str,
    /// The URL path.
    pub path: &'a str,
    /// The raw query string, without `?`, possibly not UTF-8.
    pub query: &'a [u8],
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status: 200 for every API answer, success or failure.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
    /// The `Code` sent.
    pub code: i64,
    /// The action, when the request named a known one.
    pub action: Option<Action>,
    /// Why the request was refused, when it was.
    pub refusal: Option<Refusal>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope<'a> {
    code: i64,
    message: &'a str,
    request_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a serde_json::Value>,
}

const NULL: serde_json::Value = serde_json::Value::Null;

fn envelope(code: i64, message: &str, request_id: &str, data: &Data) -> Vec<u8> {
    let data = match data {
        Data::Null => Some(&NULL),
        Data::Absent => None,
        Data::Value(v) => Some(v),
    };
    let env = Envelope {
        code,
        message,
        request_id,
        data,
    };
    // Serializing a struct of strings, numbers and a Value into memory cannot fail.
    serde_json::to_vec(&env).unwrap_or_default()
}

/// The code sent with HTTP-level failures that ZEGO does not document (unknown path, wrong
/// method). It is no ZEGO code, so it can never be mistaken for one.
pub const MOCK_HTTP_ERROR_CODE: i64 = -1;

/// The request-answering core of the mock: apps, options, clock and state.
pub struct Engine {
    apps: RwLock<HashMap<u32, Arc<AppConfig>>>,
    world: Mutex<World>,
    clock: SharedClock,
    legacy_codes: AtomicBool,
    rate_limits: AtomicBool,
    next_request_id: AtomicU64,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("apps", &self.app_ids())
            .field("options", &self.options())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Engine {
    /// An engine serving the given apps on the given clock.
    pub fn new(apps: Vec<AppConfig>, clock: SharedClock, options: Options) -> Self {
        // Request ids are 19 decimal digits: a per-process start mixed from the clock, then +1.
        let seed = u64::try_from(crate::clock::system_now_millis()).unwrap_or(0);
        let start = 1_000_000_000_000_000_000 + (seed % 1_000_000_000) * 1_000_000_000;
        Self {
            apps: RwLock::new(apps.into_iter().map(|a| (a.app_id, Arc::new(a))).collect()),
            world: Mutex::new(World::default()),
            clock,
            legacy_codes: AtomicBool::new(options.legacy_codes),
            rate_limits: AtomicBool::new(options.rate_limits),
            next_request_id: AtomicU64::new(start),
        }
    }

    /// The clock the engine reads.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// The current options.
    pub fn options(&self) -> Options {
        Options {
            legacy_codes: self.legacy_codes.load(Ordering::Relaxed),
            rate_limits: self.rate_limits.load(Ordering::Relaxed),
        }
    }

    /// Changes the options for the requests that follow.
    pub fn set_options(&self, options: Options) {
        self.legacy_codes
            .store(options.legacy_codes, Ordering::Relaxed);
        self.rate_limits
            .store(options.rate_limits, Ordering::Relaxed);
    }

    /// The AppIds served, in ascending order.
    pub fn app_ids(&self) -> Vec<u32> {
        let apps = self.apps.read().unwrap_or_else(|p| p.into_inner());
        let mut ids: Vec<u32> = apps.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// Adds an app, or replaces the one with the same AppId.
    pub fn add_app(&self, app: AppConfig) {
        let mut apps = self.apps.write().unwrap_or_else(|p| p.into_inner());
        apps.insert(app.app_id, Arc::new(app));
    }

    /// Removes an app; its state stays until reset.
    pub fn remove_app(&self, app_id: u32) -> bool {
        let mut apps = self.apps.write().unwrap_or_else(|p| p.into_inner());
        apps.remove(&app_id).is_some()
    }

    fn app(&self, app_id: u32) -> Option<Arc<AppConfig>> {
        let apps = self.apps.read().unwrap_or_else(|p| p.into_inner());
        apps.get(&app_id).cloned()
    }

    /// A copy of one app's state in one environment.
    pub fn env_state(&self, app_id: u32, env: Env) -> EnvState {
        lock(&self.world)
            .envs
            .get(&(app_id, env))
            .cloned()
            .unwrap_or_default()
    }

    /// A simulated publisher starts publishing a stream: it becomes live (DescribeRTCStreamState
    /// answers 0) unless ForbidRTCStream forbade it.
    pub fn start_publishing(
        &self,
        app_id: u32,
        env: Env,
        stream_id: &str,
    ) -> Result<(), actions::rtc_stream::PublishError> {
        let now = self.clock.now_secs();
        let mut world = lock(&self.world);
        let state = world.envs.entry((app_id, env)).or_default();
        actions::rtc_stream::start_publishing(state, stream_id, now)
    }

    /// A simulated publisher stops a stream: it becomes closed (DescribeRTCStreamState answers
    /// 41006). `false` when it was not live.
    pub fn stop_publishing(&self, app_id: u32, env: Env, stream_id: &str) -> bool {
        let now = self.clock.now_secs();
        let mut world = lock(&self.world);
        let state = world.envs.entry((app_id, env)).or_default();
        actions::rtc_stream::stop_publishing(state, stream_id, now)
    }

    /// Runs `f` on the whole state, under its lock.
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut lock(&self.world))
    }

    fn request_id(&self) -> String {
        self.next_request_id
            .fetch_add(1, Ordering::Relaxed)
            .to_string()
    }

    /// Answers one request.
    pub fn handle(&self, req: Incoming<'_>) -> Answer {
        let request_id = self.request_id();
        if !(req.path.is_empty() || req.path == "/") {
            return http_error(
                404,
                &request_id,
                format!(
                    "no such path {:?}: the ZEGO Server API is served at / with ?Action=...",
                    req.path
                ),
            );
        }
        let params = Params::parse_bytes(req.query);
        let action = match gateway::action(&params) {
            Ok(a) => a,
            Err(refusal) => return refused(None, refusal, &request_id),
        };
        let expected = match action.spec().method {
            Method::Get => "GET",
            Method::Post => "POST",
        };
        if req.method != expected {
            return Answer {
                action: Some(action),
                ..http_error(
                    405,
                    &request_id,
                    format!(
                        "{action} is documented as {expected}; this request used {}",
                        req.method
                    ),
                )
            };
        }
        match self.run(action, &params) {
            Ok(reply) => {
                let spec = action.spec();
                let message = if reply.code == 0 {
                    spec.success_message
                } else {
                    crate::codes::describe(spec.family, reply.code)
                };
                Answer {
                    status: 200,
                    body: envelope(reply.code, message, &request_id, &reply.data),
                    code: reply.code,
                    action: Some(action),
                    refusal: None,
                }
            }
            Err(refusal) => refused(Some(action), refusal, &request_id),
        }
    }

    fn run(&self, action: Action, params: &Params) -> Result<Reply, Refusal> {
        let options = self.options();
        let admitted = gateway::admit(
            action,
            params,
            |id| self.app(id),
            self.clock.now_secs(),
            options.legacy_codes,
        )?;
        let mut world = lock(&self.world);
        let now_millis = self.clock.now_millis();
        if options.rate_limits {
            rate_limit(&mut world, &admitted, now_millis.div_euclid(1000))?;
        }
        let request = actions::parse(&admitted, params, now_millis.div_euclid(1000))?;
        let env = admitted.env();
        if let Some(target) = request.sequenced() {
            let book = &mut world.sequences;
            for stream_id in &target.stream_ids {
                if let Err(last) =
                    book.check(admitted.app_id, env, stream_id, target.sequence, now_millis)
                {
                    return Err(Refusal::new(
                        media::INVALID_REQUEST,
                        action.spec().family,
                        Check::Sequence,
                        format!(
                            "Sequence {} for StreamId {stream_id:?} is not greater than {}, accepted {} ms ago; within 10 s of it a StreamId's Sequence must strictly increase",
                            target.sequence,
                            last.sequence,
                            now_millis.saturating_sub(last.at_millis)
                        ),
                    ));
                }
            }
            for stream_id in &target.stream_ids {
                book.accept(admitted.app_id, env, stream_id, target.sequence, now_millis);
            }
        }
        let state = world.envs.entry((admitted.app_id, env)).or_default();
        Ok(actions::execute(action, request, state, now_millis))
    }
}

fn rate_limit(world: &mut World, admitted: &Admitted, now_secs: i64) -> Result<(), Refusal> {
    let action = admitted.action;
    let env = admitted.env();
    let limit = action.rate_limit(env);
    world
        .limiter
        .check((action, admitted.app_id, env), limit, now_secs)
        .map_err(|count| {
            Refusal::new(
                action.spec().rate_limited_code,
                action.spec().family,
                Check::RateLimit,
                format!(
                    "{action} allows {limit} requests per second per AppId in the {} environment; {count} were already accepted in the second starting at {now_secs}",
                    env.as_str()
                ),
            )
        })
}

fn refused(action: Option<Action>, refusal: Refusal, request_id: &str) -> Answer {
    Answer {
        status: 200,
        body: envelope(refusal.code, refusal.message(), request_id, &Data::Absent),
        code: refusal.code,
        action,
        refusal: Some(refusal),
    }
}

fn http_error(status: u16, request_id: &str, message: String) -> Answer {
    let body = envelope(
        MOCK_HTTP_ERROR_CODE,
        &format!("zego-mock: {message}"),
        request_id,
        &Data::Absent,
    );
    Answer {
        status,
        body,
        code: MOCK_HTTP_ERROR_CODE,
        action: None,
        refusal: None,
    }
}
