//! The one ordered pipeline every request goes through:
//! path and method -> gateway -> faults -> rate limit -> parameters -> Sequence order -> action,
//! and the control plane's engine room (journal, faults, coverage, clock, state, apps).
//!
//! [`Engine::handle`] is a plain function from a request to an answer, testable without a socket.

use crate::actions::rtc_stream::PublishError;
use crate::actions::{self, Action, Data, Method, Reply};
use crate::clock::{Clock, ControlClock, SharedClock};
use crate::codes::media;
use crate::config::{AppConfig, Env};
use crate::control::{
    code_family, Coverage, CoverageSummary, Fault, FaultKind, FaultSpec, Faults, Journal,
    JournalEntry, JournalFilter, Record, DEFAULT_JOURNAL_CAPACITY,
};
use crate::gateway::{self, Admitted};
use crate::query::Params;
use crate::refusal::{Check, Refusal};
use crate::state::{EnvState, World};
use std::borrow::Cow;
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
    /// Real time to wait before answering (an injected latency fault).
    pub delay_millis: u64,
    /// Close the connection instead of answering (an injected fault).
    pub drop_connection: bool,
}

/// Writes the JSON envelope `{"Code":..,"Message":..,"RequestId":"..","Data":..}` (the field
/// order of ZEGO's examples; `Data` left out when absent).
fn envelope(code: i64, message: &str, request_id: u64, data: &Data) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = Vec::with_capacity(96 + message.len());
    // Writing into a Vec cannot fail, and a &str always serializes.
    let _ = write!(out, "{{\"Code\":{code},\"Message\":");
    let _ = serde_json::to_writer(&mut out, message);
    let _ = write!(out, ",\"RequestId\":\"{request_id}\"");
    match data {
        Data::Absent => {}
        Data::Null => out.extend_from_slice(b",\"Data\":null"),
        Data::Value(v) => {
            out.extend_from_slice(b",\"Data\":");
            let _ = serde_json::to_writer(&mut out, v);
        }
    }
    out.push(b'}');
    out
}

/// The code sent with HTTP-level failures that ZEGO does not document (unknown path, wrong
/// method). It is no ZEGO code, so it can never be mistaken for one.
pub const MOCK_HTTP_ERROR_CODE: i64 = -1;

/// What the pipeline learned about a request besides its answer, for the journal.
#[derive(Default)]
struct Seen {
    app_id: Option<u32>,
    env: Option<Env>,
    fault: Option<u64>,
    delay_millis: u64,
    drop_connection: bool,
}

/// The request-answering core of the mock: apps, options, clock, state and control plane.
pub struct Engine {
    apps: RwLock<HashMap<u32, Arc<AppConfig>>>,
    world: Mutex<World>,
    clock: ControlClock,
    legacy_codes: AtomicBool,
    rate_limits: AtomicBool,
    next_request_id: AtomicU64,
    /// The journal and the coverage counts, under one lock: every request updates both.
    observed: Mutex<Observed>,
    faults: Mutex<Faults>,
    /// Mirrors `!faults.is_empty()`, so the hot path skips the lock when no fault is installed.
    any_fault: AtomicBool,
}

/// What the engine records of every request.
#[derive(Debug)]
struct Observed {
    journal: Journal,
    coverage: Coverage,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("apps", &self.app_ids())
            .field("options", &self.options())
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Engine {
    /// An engine serving the given apps on the given clock.
    pub fn new(apps: Vec<AppConfig>, clock: SharedClock, options: Options) -> Self {
        Self::with_journal(apps, clock, options, DEFAULT_JOURNAL_CAPACITY)
    }

    /// An engine whose journal keeps at most `journal_capacity` requests (0 keeps none).
    pub fn with_journal(
        apps: Vec<AppConfig>,
        clock: SharedClock,
        options: Options,
        journal_capacity: usize,
    ) -> Self {
        // Request ids are 19 decimal digits: a per-process start mixed from the clock, then +1.
        let seed = u64::try_from(crate::clock::system_now_millis()).unwrap_or(0);
        let start = 1_000_000_000_000_000_000 + (seed % 1_000_000_000) * 1_000_000_000;
        Self {
            apps: RwLock::new(apps.into_iter().map(|a| (a.app_id, Arc::new(a))).collect()),
            world: Mutex::new(World::default()),
            clock: ControlClock::new(clock),
            legacy_codes: AtomicBool::new(options.legacy_codes),
            rate_limits: AtomicBool::new(options.rate_limits),
            next_request_id: AtomicU64::new(start),
            observed: Mutex::new(Observed {
                journal: Journal::new(journal_capacity),
                coverage: Coverage::default(),
            }),
            faults: Mutex::new(Faults::default()),
            any_fault: AtomicBool::new(false),
        }
    }

    /// The clock the engine reads, which the control plane can freeze, move and offset.
    pub fn clock(&self) -> &ControlClock {
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

    // ----- apps -----

    /// The AppIds served, in ascending order.
    pub fn app_ids(&self) -> Vec<u32> {
        let apps = self.apps.read().unwrap_or_else(|p| p.into_inner());
        let mut ids: Vec<u32> = apps.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// The apps served (their secrets stay masked in `Debug`), in ascending AppId order.
    pub fn apps(&self) -> Vec<AppConfig> {
        let apps = self.apps.read().unwrap_or_else(|p| p.into_inner());
        let mut list: Vec<AppConfig> = apps.values().map(|a| (**a).clone()).collect();
        list.sort_unstable_by_key(|a| a.app_id);
        list
    }

    /// Adds an app, or replaces the one with the same AppId.
    pub fn add_app(&self, app: AppConfig) {
        let mut apps = self.apps.write().unwrap_or_else(|p| p.into_inner());
        apps.insert(app.app_id, Arc::new(app));
    }

    /// Removes an app (requests for it then answer 100000010); its state stays until reset.
    pub fn remove_app(&self, app_id: u32) -> bool {
        let mut apps = self.apps.write().unwrap_or_else(|p| p.into_inner());
        apps.remove(&app_id).is_some()
    }

    fn app(&self, app_id: u32) -> Option<Arc<AppConfig>> {
        let apps = self.apps.read().unwrap_or_else(|p| p.into_inner());
        apps.get(&app_id).cloned()
    }

    // ----- state -----

    /// A copy of one app's state in one environment.
    pub fn env_state(&self, app_id: u32, env: Env) -> EnvState {
        lock(&self.world)
            .envs
            .get(&(app_id, env))
            .cloned()
            .unwrap_or_default()
    }

    /// Replaces one app's state in one environment (seeding a test's starting point).
    pub fn seed_state(&self, app_id: u32, env: Env, state: EnvState) {
        lock(&self.world).envs.insert((app_id, env), state);
    }

    /// Forgets everything about one app: its state in both environments, its Sequence order
    /// and its rate-limit counts. Other apps are untouched.
    pub fn reset_app(&self, app_id: u32) {
        lock(&self.world).reset_app(app_id);
    }

    /// Forgets all state, Sequence order and rate-limit counts of every app, the journal and
    /// the coverage counts. Apps, faults and the clock stay.
    pub fn reset_all(&self) {
        *lock(&self.world) = World::default();
        let mut observed = lock(&self.observed);
        observed.journal.clear();
        observed.coverage.clear();
    }

    /// A simulated publisher starts publishing a stream: it becomes live (DescribeRTCStreamState
    /// answers 0) unless ForbidRTCStream forbade it.
    pub fn start_publishing(
        &self,
        app_id: u32,
        env: Env,
        stream_id: &str,
    ) -> Result<(), PublishError> {
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

    // ----- journal, faults, coverage -----

    /// The journal's entries matching `filter`, oldest first.
    pub fn journal(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        lock(&self.observed).journal.list(filter)
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        lock(&self.observed).journal.clear();
    }

    /// Installs a fault; `Err` says what is wrong with the spec.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<u64, String> {
        let mut faults = lock(&self.faults);
        let id = faults.add(spec)?;
        self.any_fault.store(true, Ordering::SeqCst);
        Ok(id)
    }

    /// The installed faults.
    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.faults).list()
    }

    /// Removes a fault; `false` when there was none with that id.
    pub fn remove_fault(&self, id: u64) -> bool {
        let mut faults = lock(&self.faults);
        let removed = faults.remove(id);
        self.any_fault.store(!faults.is_empty(), Ordering::SeqCst);
        removed
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
        self.any_fault.store(false, Ordering::SeqCst);
    }

    /// Which actions and codes were exercised since start (or the last reset).
    pub fn coverage(&self) -> CoverageSummary {
        lock(&self.observed).coverage.summary()
    }

    /// How many requests of `action` were answered (with `code`, if given).
    pub fn count(&self, action: Action, code: Option<i64>) -> u64 {
        lock(&self.observed).coverage.count(action, code)
    }

    fn request_id(&self) -> u64 {
        self.next_request_id.fetch_add(1, Ordering::Relaxed)
    }

    // ----- the pipeline -----

    /// Answers one request, and records it in the journal and the coverage counts.
    pub fn handle(&self, req: Incoming<'_>) -> Answer {
        let request_id = self.request_id();
        let at_millis = self.clock.now_millis();
        let params = Params::parse_bytes(req.query);
        let mut seen = Seen::default();
        let mut answer = self.answer(req, &params, request_id, &mut seen);
        answer.delay_millis = seen.delay_millis;
        answer.drop_connection = seen.drop_connection;
        let mut observed = lock(&self.observed);
        observed.coverage.record(answer.action, answer.code);
        if observed.journal.is_enabled() {
            observed
                .journal
                .push(Self::record(req, &answer, request_id, seen, at_millis));
        }
        answer
    }

    fn record(
        req: Incoming<'_>,
        answer: &Answer,
        request_id: u64,
        seen: Seen,
        at_millis: i64,
    ) -> Record {
        let method = match req.method {
            "GET" => Cow::Borrowed("GET"),
            "POST" => Cow::Borrowed("POST"),
            other => Cow::Owned(other.to_string()),
        };
        let path = match req.path {
            "/" => Cow::Borrowed("/"),
            "" => Cow::Borrowed(""),
            other => Cow::Owned(other.to_string()),
        };
        let http_message = (answer.status != 200).then(|| {
            serde_json::from_slice::<serde_json::Value>(&answer.body)
                .ok()
                .and_then(|v| v["Message"].as_str().map(Into::into))
                .unwrap_or_default()
        });
        Record {
            at_millis,
            method,
            path,
            query: req.query.into(),
            action: answer.action,
            app_id: seen.app_id,
            env: seen.env,
            status: answer.status,
            code: answer.code,
            request_id,
            refusal: answer.refusal.clone(),
            http_message,
            fault: seen.fault,
            dropped: seen.drop_connection,
        }
    }

    fn answer(
        &self,
        req: Incoming<'_>,
        params: &Params,
        request_id: u64,
        seen: &mut Seen,
    ) -> Answer {
        if !(req.path.is_empty() || req.path == "/") {
            return http_error(
                404,
                request_id,
                format!(
                    "no such path {:?}: the ZEGO Server API is served at / with ?Action=...",
                    req.path
                ),
            );
        }
        seen.app_id = params.get("AppId").and_then(|id| id.parse().ok());
        let action = match gateway::action(params) {
            Ok(a) => a,
            Err(refusal) => return refused(None, refusal, request_id),
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
                    request_id,
                    format!(
                        "{action} is documented as {expected}; this request used {}",
                        req.method
                    ),
                )
            };
        }
        match self.run(action, params, seen) {
            Ok(reply) => {
                let spec = action.spec();
                let message = if reply.code == 0 {
                    spec.success_message
                } else {
                    crate::codes::describe(spec.family, reply.code)
                };
                Answer {
                    status: 200,
                    body: envelope(reply.code, message, request_id, &reply.data),
                    code: reply.code,
                    action: Some(action),
                    refusal: None,
                    delay_millis: 0,
                    drop_connection: false,
                }
            }
            Err(refusal) => refused(Some(action), refusal, request_id),
        }
    }

    fn run(&self, action: Action, params: &Params, seen: &mut Seen) -> Result<Reply, Refusal> {
        let options = self.options();
        let admitted = gateway::admit(
            action,
            params,
            |id| self.app(id),
            self.clock.now_secs(),
            options.legacy_codes,
        )?;
        let env = admitted.env();
        seen.env = Some(env);
        if self.any_fault.load(Ordering::SeqCst) {
            self.inject(&admitted, seen)?;
        }
        let mut world = lock(&self.world);
        let now_millis = self.clock.now_millis();
        if options.rate_limits {
            rate_limit(&mut world, &admitted, now_millis.div_euclid(1000))?;
        }
        let request = actions::parse(&admitted, params, now_millis.div_euclid(1000))?;
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

    /// Applies an installed fault, if one fires: a code answers at once; latency and dropping
    /// are carried out by the server around the normal answer.
    fn inject(&self, admitted: &Admitted, seen: &mut Seen) -> Result<(), Refusal> {
        let Some((id, kind)) = lock(&self.faults).fire(admitted.app_id, admitted.action) else {
            return Ok(());
        };
        seen.fault = Some(id);
        match kind {
            FaultKind::Code(code) => {
                let family =
                    code_family(admitted.action, code).unwrap_or(admitted.action.spec().family);
                Err(Refusal::new(
                    code,
                    family,
                    Check::Fault,
                    format!("answered {code} by injected fault #{id}"),
                ))
            }
            FaultKind::LatencyMillis(ms) => {
                seen.delay_millis = ms;
                Ok(())
            }
            FaultKind::Drop => {
                seen.drop_connection = true;
                Err(Refusal::new(
                    MOCK_HTTP_ERROR_CODE,
                    admitted.action.spec().family,
                    Check::Fault,
                    format!("connection dropped by injected fault #{id}"),
                ))
            }
        }
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

fn refused(action: Option<Action>, refusal: Refusal, request_id: u64) -> Answer {
    Answer {
        status: 200,
        body: envelope(refusal.code, refusal.message(), request_id, &Data::Absent),
        code: refusal.code,
        action,
        refusal: Some(refusal),
        delay_millis: 0,
        drop_connection: false,
    }
}

fn http_error(status: u16, request_id: u64, message: String) -> Answer {
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
        delay_millis: 0,
        drop_connection: false,
    }
}
