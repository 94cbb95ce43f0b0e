//! The engine: everything that answers requests (apps, options, clock, state) and the control
//! plane's engine room (journal, faults, coverage). The pipeline itself is in `pipeline.rs`.

use crate::actions::media::{rtc_stream, PublishError};
use crate::actions::media_file::{
    self, FailTaskError, MediaConfig, MediaFile, MediaTaskView, MediaView, SeedFile, TaskFailure,
};
use crate::actions::mixing::{MixTaskView, TranscodeTask};
use crate::actions::moderation::{
    self, CensorControlError, CensorResult, CensorTaskView, EndReason, IdentifyToken, TokenCheck,
};
use crate::actions::room::{self, ClientRefusal, LogoutReason, MessageRecord, RoomView, UserSpec};
use crate::actions::scene::SceneTemplate;
use crate::actions::Action;
use crate::callbacks::config::CallbackConfig;
use crate::callbacks::deliver::{Delivery, DeliveryFilter, FlushReport, Hub};
use crate::clock::{Clock, ControlClock, SharedClock};
use crate::config::{AppConfig, Env};
use crate::control::{
    Coverage, CoverageSummary, Fault, FaultSpec, Faults, Journal, JournalEntry, JournalFilter,
    DEFAULT_JOURNAL_CAPACITY,
};
use crate::state::{EnvState, Event, Features, Footprint, World};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// Options that change how the mock answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Answer signature and timestamp failures with the action's own legacy code.
    pub legacy_codes: bool,
    /// Enforce the documented rate limits.
    pub rate_limits: bool,
    /// Show the whole expected signature in the reason of a signature mismatch, rather than its
    /// first four hex digits. Off by default: with it, anyone who reads the journal can sign
    /// requests for a nonce and timestamp of their choosing without the secret.
    pub reveal_signatures: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            legacy_codes: false,
            rate_limits: true,
            reveal_signatures: false,
        }
    }
}

/// The request-answering core of the mock: apps, options, clock, state and control plane.
pub struct Engine {
    apps: RwLock<crate::state::IdMap<u32, Arc<AppConfig>>>,
    pub(crate) world: Mutex<World>,
    pub(crate) clock: ControlClock,
    legacy_codes: AtomicBool,
    rate_limits: AtomicBool,
    reveal_signatures: AtomicBool,
    next_request_id: AtomicU64,
    /// The journal and the coverage counts, under one lock: every request updates both.
    pub(crate) observed: Mutex<Observed>,
    /// Whether the journal keeps entries (its capacity is fixed), so a request's record is
    /// built before that lock is taken, and only when it will be kept.
    pub(crate) journal_enabled: bool,
    pub(crate) faults: Mutex<Faults>,
    /// Mirrors `!faults.is_empty()`, so the hot path skips the lock when no fault is installed.
    pub(crate) any_fault: AtomicBool,
    /// Server callbacks: configurations, the dispatcher's queue, delivery journals.
    pub(crate) callbacks: Hub,
    /// Expectations on call counts (Rust and HTTP alike), each counting from its registration.
    pub(crate) expectations: Mutex<crate::server::Expectations>,
    /// Mirrors `!expectations.is_empty()`, so the hot path skips the lock when none is held.
    pub(crate) any_expectation: AtomicBool,
    /// When the engine was built (real time), for the health endpoint's uptime.
    pub(crate) started: std::time::Instant,
    /// Who may use the control API over HTTP (set once, when the engine is built).
    pub(crate) access: crate::control::ControlAccess,
}

/// What the engine records of every request.
#[derive(Debug)]
pub(crate) struct Observed {
    pub journal: Journal,
    pub coverage: Coverage,
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

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Engine {
    /// An engine serving the given apps on the given clock.
    pub fn new(apps: Vec<AppConfig>, clock: SharedClock, options: Options) -> Self {
        Self::with_journal(apps, clock, options, DEFAULT_JOURNAL_CAPACITY)
    }

    /// An engine whose journal keeps at most `journal_capacity` requests (0 keeps none; at
    /// most [`crate::MAX_JOURNAL_CAPACITY`], and [`crate::DEFAULT_JOURNAL_BYTES`] of them).
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
            reveal_signatures: AtomicBool::new(options.reveal_signatures),
            next_request_id: AtomicU64::new(start),
            journal_enabled: journal_capacity > 0,
            observed: Mutex::new(Observed {
                journal: Journal::new(journal_capacity),
                coverage: Coverage::default(),
            }),
            faults: Mutex::new(Faults::default()),
            any_fault: AtomicBool::new(false),
            callbacks: Hub::default(),
            expectations: Mutex::new(crate::server::Expectations::default()),
            any_expectation: AtomicBool::new(false),
            started: std::time::Instant::now(),
            access: crate::control::ControlAccess::default(),
        }
    }

    /// The clock the engine reads, which the control plane can freeze, move and offset.
    pub fn clock(&self) -> &ControlClock {
        &self.clock
    }

    /// Who may use the control API over HTTP.
    pub fn control_access(&self) -> &crate::control::ControlAccess {
        &self.access
    }

    /// The current options.
    pub fn options(&self) -> Options {
        Options {
            legacy_codes: self.legacy_codes.load(Ordering::Relaxed),
            rate_limits: self.rate_limits.load(Ordering::Relaxed),
            reveal_signatures: self.reveal_signatures.load(Ordering::Relaxed),
        }
    }

    /// Whether refusal reasons show whole expected signatures ([`Options::reveal_signatures`]).
    pub(crate) fn reveal_signatures(&self) -> bool {
        self.reveal_signatures.load(Ordering::Relaxed)
    }

    /// Changes the options for the requests that follow.
    pub fn set_options(&self, options: Options) {
        self.legacy_codes
            .store(options.legacy_codes, Ordering::Relaxed);
        self.rate_limits
            .store(options.rate_limits, Ordering::Relaxed);
        self.reveal_signatures
            .store(options.reveal_signatures, Ordering::Relaxed);
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

    /// Runs `f` with the apps, under their read lock.
    pub(crate) fn with_apps<R>(
        &self,
        f: impl FnOnce(&crate::state::IdMap<u32, Arc<AppConfig>>) -> R,
    ) -> R {
        f(&self.apps.read().unwrap_or_else(|p| p.into_inner()))
    }

    pub(crate) fn app(&self, app_id: u32) -> Option<Arc<AppConfig>> {
        self.with_apps(|apps| apps.get(&app_id).cloned())
    }

    // ----- state -----

    /// A copy of one app's state in one environment.
    pub fn env_state(&self, app_id: u32, env: Env) -> EnvState {
        self.read_env(app_id, env, |s, _| s.clone())
            .unwrap_or_default()
    }

    /// Replaces one app's state in one environment (seeding a test's starting point).
    pub fn seed_state(&self, app_id: u32, env: Env, state: EnvState) {
        lock(&self.world).envs.insert((app_id, env), state);
    }

    /// Forgets everything about one app: its state in both environments, its Sequence order
    /// and its rate-limit counts; its pending callback deliveries are cancelled (the journal
    /// keeps them, `cancelled`; the callback configuration stays). Other apps are untouched.
    pub fn reset_app(&self, app_id: u32) {
        lock(&self.world).reset_app(app_id);
        self.callbacks.cancel(Some(app_id));
    }

    /// Forgets all state, Sequence order and rate-limit counts of every app, the journal and
    /// the coverage counts, and cancels every pending callback delivery. Apps, faults, callback
    /// configurations and the clock stay.
    pub fn reset_all(&self) {
        *lock(&self.world) = World::default();
        self.callbacks.cancel(None);
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
        self.with_env(app_id, env, |s, now| {
            rtc_stream::start_publishing(&mut s.media, stream_id, now.div_euclid(1000))
        })
    }

    /// A simulated publisher stops a stream: it becomes closed (DescribeRTCStreamState answers
    /// 41006). `false` when it was not live.
    pub fn stop_publishing(&self, app_id: u32, env: Env, stream_id: &str) -> bool {
        self.with_env(app_id, env, |s, now| {
            rtc_stream::stop_publishing(&mut s.media, stream_id, now.div_euclid(1000))
        })
    }

    /// Runs `f` on one app's state in one environment (created when new), under the world's
    /// lock, with the time in Unix milliseconds. Tasks that ended by themselves by then end
    /// first, so a control-plane change never revives a task that was already due to end.
    ///
    /// The events the call emitted leave for the callback dispatcher once the lock is released.
    fn with_env<R>(&self, app_id: u32, env: Env, f: impl FnOnce(&mut EnvState, i64) -> R) -> R {
        let active = self.callbacks.is_active(app_id);
        let now = self.clock.now_millis();
        let mut world = lock(&self.world);
        let state = world.envs.entry((app_id, env)).or_default();
        crate::actions::tick(state, app_id, now);
        let r = f(state, now);
        // What the change did (a stream stopped) takes effect at once: a segment closes now.
        crate::actions::tick(state, app_id, now);
        let batch = self.callbacks.drain(state, app_id, env, active);
        drop(world);
        if let Some(batch) = batch {
            self.callbacks.submit(batch);
        }
        r
    }

    /// Like [`Engine::with_env`] for a read: `None` when the app has no state in `env`.
    fn read_env<R>(&self, app_id: u32, env: Env, f: impl FnOnce(&EnvState, i64) -> R) -> Option<R> {
        let active = self.callbacks.is_active(app_id);
        let now = self.clock.now_millis();
        let mut world = lock(&self.world);
        let state = world.envs.get_mut(&(app_id, env))?;
        crate::actions::tick(state, app_id, now);
        let r = f(state, now);
        let batch = self.callbacks.drain(state, app_id, env, active);
        drop(world);
        if let Some(batch) = batch {
            self.callbacks.submit(batch);
        }
        Some(r)
    }

    /// A simulated user logs in to a room (created by its first user).
    pub fn login(
        &self,
        app_id: u32,
        env: Env,
        room_id: &str,
        user: UserSpec,
    ) -> Result<(), ClientRefusal> {
        self.with_env(app_id, env, |s, now| room::login(s, room_id, user, now))
    }

    /// A simulated user leaves a room (destroyed when it empties).
    pub fn logout(
        &self,
        app_id: u32,
        env: Env,
        room_id: &str,
        user_id: &str,
        reason: LogoutReason,
    ) -> Result<(), ClientRefusal> {
        self.with_env(app_id, env, |s, now| {
            room::logout(s, room_id, user_id, reason, now)
        })
    }

    /// A simulated user publishes a stream in a room, with a title and extra information.
    #[allow(clippy::too_many_arguments)]
    pub fn publish_in_room(
        &self,
        app_id: u32,
        env: Env,
        room_id: &str,
        user_id: &str,
        stream_id: &str,
        title: &str,
        extra_info: &str,
    ) -> Result<(), ClientRefusal> {
        self.with_env(app_id, env, |s, now| {
            room::publish(s, room_id, user_id, stream_id, title, extra_info, now)
        })
    }

    /// A simulated user stops publishing a stream in a room.
    pub fn stop_in_room(
        &self,
        app_id: u32,
        env: Env,
        room_id: &str,
        user_id: &str,
        stream_id: &str,
    ) -> Result<(), ClientRefusal> {
        self.with_env(app_id, env, |s, now| {
            room::stop(s, room_id, user_id, stream_id, now)
        })
    }

    /// The rooms of one app in one environment.
    pub fn rooms(&self, app_id: u32, env: Env) -> Vec<RoomView> {
        self.read_env(app_id, env, |s, now| room::views(s, now.div_euclid(1000)))
            .unwrap_or_default()
    }

    /// One room, when it exists.
    pub fn room(&self, app_id: u32, env: Env, room_id: &str) -> Option<RoomView> {
        self.read_env(app_id, env, |s, now| {
            let r = s.rooms.rooms.get(room_id)?;
            Some(room::view(s, room_id, r, now.div_euclid(1000)))
        })
        .flatten()
    }

    /// The messages rooms received, oldest first (the last 1000).
    pub fn messages(&self, app_id: u32, env: Env) -> Vec<MessageRecord> {
        let world = lock(&self.world);
        world
            .envs
            .get(&(app_id, env))
            .map(|s| s.rooms.messages.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Forgets the messages of one app in one environment.
    pub fn clear_messages(&self, app_id: u32, env: Env) {
        if let Some(s) = lock(&self.world).envs.get_mut(&(app_id, env)) {
            s.rooms.messages.clear();
        }
    }

    /// The events the real service would send as callbacks, oldest first (the last 1000).
    pub fn events(&self, app_id: u32, env: Env) -> Vec<Event> {
        self.read_env(app_id, env, |s, _| s.events.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Forgets the events of one app in one environment.
    pub fn clear_events(&self, app_id: u32, env: Env) {
        if let Some(s) = lock(&self.world).envs.get_mut(&(app_id, env)) {
            s.events.clear();
        }
    }

    /// The mix tasks of one app in one environment, running and ended.
    pub fn mix_tasks(&self, app_id: u32, env: Env) -> Vec<MixTaskView> {
        self.with_env(app_id, env, |s, _| crate::actions::mixing::views(s))
    }

    /// The transcode tasks of one app in one environment, by TaskId.
    pub fn transcode_tasks(
        &self,
        app_id: u32,
        env: Env,
    ) -> std::collections::BTreeMap<String, TranscodeTask> {
        self.with_env(app_id, env, |s, _| s.mixing.transcode_tasks.clone())
    }

    /// The media configuration of one app in one environment (the defaults until set).
    pub fn media_config(&self, app_id: u32, env: Env) -> MediaConfig {
        self.read_env(app_id, env, |s, _| s.media_files.media_config.clone())
            .unwrap_or_default()
    }

    /// Replaces the media configuration of one app in one environment (CDN vendor, recording
    /// formats and interval, task timing, ...); `Err` says what is wrong with it. Recordings
    /// already running keep their vendor and formats.
    pub fn set_media_config(
        &self,
        app_id: u32,
        env: Env,
        config: MediaConfig,
    ) -> Result<(), String> {
        config.validate()?;
        self.with_env(app_id, env, |s, _| s.media_files.media_config = config);
        Ok(())
    }

    /// The media-file world of one app in one environment now: configuration, recordings,
    /// files (deleted ones included) and media tasks with their status.
    pub fn media(&self, app_id: u32, env: Env) -> MediaView {
        self.with_env(app_id, env, |s, now| media_file::view(s, now))
    }

    /// Adds a media file (as if a recording had produced it), so a test can search, merge,
    /// transcode or delete it; `Err` says what is wrong with the request.
    pub fn seed_media_file(
        &self,
        app_id: u32,
        env: Env,
        seed: SeedFile,
    ) -> Result<MediaFile, String> {
        self.with_env(app_id, env, |s, now| {
            media_file::seed_file(s, app_id, seed, now)
        })
    }

    /// Makes a media task that has not ended fail now: DescribeMediaTask then answers FAIL
    /// (Huawei FAILED) with the failure's message.
    pub fn fail_media_task(
        &self,
        app_id: u32,
        env: Env,
        task_id: &str,
        failure: TaskFailure,
    ) -> Result<MediaTaskView, FailTaskError> {
        self.with_env(app_id, env, |s, now| {
            media_file::fail_task(s, app_id, task_id, failure, now)
        })
    }

    /// The censor tasks (StartCensorAudioV2, StartCensorVideoV2) of one app in one environment,
    /// running and ended.
    pub fn censor_tasks(&self, app_id: u32, env: Env) -> Vec<CensorTaskView> {
        self.with_env(app_id, env, |s, _| moderation::views(s))
    }

    /// Injects a moderation result into a running censor task: it is recorded as the event the
    /// result callback would carry. Answers the result's `ResultTaskId`.
    pub fn inject_censor_result(
        &self,
        app_id: u32,
        env: Env,
        task_id: &str,
        result: CensorResult,
    ) -> Result<String, CensorControlError> {
        self.with_env(app_id, env, |s, now| {
            moderation::inject_result(s, task_id, result, now)
        })
    }

    /// Ends a running censor task now as if its room had been idle for 300 s.
    pub fn end_censor_task(
        &self,
        app_id: u32,
        env: Env,
        task_id: &str,
    ) -> Result<(), CensorControlError> {
        self.with_env(app_id, env, |s, now| {
            match s.moderation.censor_tasks.get(task_id) {
                None => Err(CensorControlError::NoSuchTask),
                Some(t) if !t.is_running() => Err(CensorControlError::Ended),
                Some(_) => {
                    moderation::end_task(s, task_id, EndReason::Idle, now);
                    Ok(())
                }
            }
        })
    }

    /// Consumes an identify token (GenerateIdentifyToken) as a moderation vendor would: valid
    /// once, before it expires.
    pub fn consume_identify_token(&self, app_id: u32, env: Env, token: &str) -> TokenCheck {
        self.with_env(app_id, env, |s, now| {
            moderation::consume_token(s, token, now.div_euclid(1000))
        })
    }

    /// The identify tokens of one app in one environment, by token.
    pub fn identify_tokens(
        &self,
        app_id: u32,
        env: Env,
    ) -> std::collections::BTreeMap<String, IdentifyToken> {
        self.read_env(app_id, env, |s, _| s.moderation.identify_tokens.clone())
            .unwrap_or_default()
    }

    /// The scene templates (SetSceneTemplate) of one app in one environment, by TemplateId.
    pub fn scene_templates(
        &self,
        app_id: u32,
        env: Env,
    ) -> std::collections::BTreeMap<u64, SceneTemplate> {
        self.read_env(app_id, env, |s, _| s.scene.scene_templates.clone())
            .unwrap_or_default()
    }

    /// Makes a running transcode task fail now ("task exception, automatically terminated"):
    /// its outputs close and transcode_stop is recorded with StopReason 1. `false` when there
    /// is no such running task.
    pub fn fail_transcode_task(&self, app_id: u32, env: Env, task_id: &str) -> bool {
        self.with_env(app_id, env, |s, now| {
            crate::actions::mixing::transcode::fail(s, task_id, now)
        })
    }

    /// An app's features (the defaults until set).
    pub fn features(&self, app_id: u32) -> Features {
        lock(&self.world)
            .features
            .get(&app_id)
            .copied()
            .unwrap_or_default()
    }

    /// Sets an app's features.
    pub fn set_features(&self, app_id: u32, features: Features) {
        lock(&self.world).features.insert(app_id, features);
    }

    /// How much the engine holds now: Sequence entries, rate-limit keys, states, relay rules.
    pub fn footprint(&self) -> Footprint {
        lock(&self.world).footprint()
    }

    // ----- server callbacks -----

    /// The callback configuration of an app (the defaults, with its derived CallbackSecret,
    /// until one is set).
    pub fn callbacks(&self, app_id: u32) -> CallbackConfig {
        self.callbacks.config(app_id)
    }

    /// Sets the callback configuration of an app (both environments); `Err` says what is wrong
    /// with it. Events that happen from now on become deliveries; disabling cancels the
    /// pending ones.
    pub fn set_callbacks(&self, app_id: u32, config: CallbackConfig) -> Result<(), String> {
        self.callbacks.set_config(app_id, config)
    }

    /// The callback deliveries of an app matching `filter`, oldest first.
    pub fn callback_deliveries(&self, app_id: u32, filter: &DeliveryFilter) -> Vec<Delivery> {
        self.callbacks.deliveries(app_id, filter)
    }

    /// Forgets the callback deliveries of an app; the pending ones are never sent.
    pub fn clear_callback_deliveries(&self, app_id: u32) {
        self.callbacks.clear(app_id);
    }

    /// How many events of an app were lost before they could become deliveries (the event
    /// journal overflowed between two hand-overs).
    pub fn callback_events_lost(&self, app_id: u32) -> u64 {
        self.callbacks.lost(app_id)
    }

    /// Waits, for at most `timeout` of real time, until the app has no callback due now on the
    /// mock's clock and none in flight (events due by time are emitted first). Retries due
    /// later stay pending: move the clock and flush again. Needs the server running (its
    /// dispatcher sends the callbacks).
    pub async fn flush_callbacks(&self, app_id: u32, timeout: std::time::Duration) -> FlushReport {
        self.flush_callbacks_for(app_id, timeout).await
    }

    // ----- journal, faults, coverage -----

    /// The journal's entries matching `filter`, oldest first. The records are copied out by
    /// reference under the lock every request takes, and decoded after it is released.
    pub fn journal(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let records = lock(&self.observed).journal.snapshot(filter);
        records.iter().map(|(seq, r)| r.to_entry(*seq)).collect()
    }

    /// The journal's entries matching `filter` as the control API answers them
    /// (`{"entries":[...]}`), serialized straight to bytes after the lock is released.
    pub fn journal_json(&self, filter: &JournalFilter) -> Vec<u8> {
        let records = lock(&self.observed).journal.snapshot(filter);
        crate::control::entries_json(&records)
    }

    /// One app's state in one environment as JSON bytes: cloned under the lock, serialized
    /// after it is released, with no tree of the whole answer.
    pub fn env_state_json(&self, app_id: u32, env: Env) -> Vec<u8> {
        let state = self.env_state(app_id, env);
        // Serializing the state into a Vec cannot fail (its maps have string or number keys).
        serde_json::to_vec(&state).unwrap_or_else(|_| b"null".to_vec())
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

    pub(crate) fn request_id(&self) -> u64 {
        self.next_request_id.fetch_add(1, Ordering::Relaxed)
    }
}
