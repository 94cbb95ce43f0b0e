//! The delivery engine (SPEC-rest-callbacks §5.5.4, §5.5.5): events leave the world's lock as
//! batches, a bounded channel carries them to one background dispatcher, which renders each
//! once, POSTs it, retries on the mock's clock and records every attempt in the app's delivery
//! journal.
//!
//! - **Outbox.** Each app and environment's event journal remembers what it has handed on
//!   ([`Ring::take_new`](crate::state::Ring::take_new)); at the end of every request and
//!   control call that held the world's lock, the new events are copied out (only for apps
//!   with callbacks enabled) and sent after the lock is released, with `try_send`: the API path
//!   never waits. A full channel journals the events as `dropped`.
//! - **Dispatcher.** One tokio task, started by [`serve`](crate::serve). One attempt at a time
//!   per URL, in event order; a delivery waiting for its retry does not hold later ones back.
//!   Retries are due on the mock's clock, which the dispatcher polls every few milliseconds;
//!   when it moves, the apps with callbacks are ticked so that events due by time (a recording
//!   segment closing, a media task finishing) are emitted without a request.
//! - **Journal.** A bounded ring per app; [`Hub::flush`] waits until nothing is due or in flight.

use super::config::{CallbackConfig, CallbackFormat};
use super::format::{render, Envelope};
use super::Category;
use crate::config::Env;
use crate::engine::{lock, Engine};
use crate::state::{EnvState, Event};
use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Notify};

/// How many batches of events wait for the dispatcher at most; beyond, events are journalled as
/// `dropped`.
const CHANNEL_CAPACITY: usize = 4096;
/// How often the dispatcher looks at the mock's clock.
const POLL: Duration = Duration::from_millis(5);
/// How often, at most, the dispatcher ticks the apps with callbacks while the clock runs (a
/// flush ticks its app itself).
const TICK_EVERY: Duration = Duration::from_millis(50);
/// The most attempts in flight at once, over every URL.
const MAX_IN_FLIGHT: usize = 256;
/// How the secret shows in a signature input.
const MASKED_SECRET: &str = "CallbackSecret(***)";

/// The state of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first attempt or for its next retry to be due.
    Pending,
    /// An attempt is on the wire.
    InFlight,
    /// A 2xx answer ended it.
    Delivered,
    /// Every attempt failed; no more will be made.
    Lost,
    /// Its category has no URL: nothing was sent.
    NoUrl,
    /// The app was reset (or its callbacks disabled) before it ended.
    Cancelled,
    /// The dispatcher's queue was full (or no dispatcher runs): nothing was sent.
    Dropped,
}

impl DeliveryState {
    /// The state's name on the wire (`in_flight`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::InFlight => "in_flight",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Lost => "lost",
            DeliveryState::NoUrl => "no_url",
            DeliveryState::Cancelled => "cancelled",
            DeliveryState::Dropped => "dropped",
        }
    }

    fn is_active(self) -> bool {
        matches!(self, DeliveryState::Pending | DeliveryState::InFlight)
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The receiver answered with this HTTP status (2xx: delivered).
    Status(u16),
    /// No answer: `timeout`, `connect` (refused, unreachable), or `http: ...`.
    Error(String),
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// 1 for the first attempt, then 2, 3, ...
    pub n: u32,
    /// When it was due, in Unix milliseconds of the mock's clock.
    pub due_mock_ms: i64,
    /// When it was sent, in Unix milliseconds of the mock's clock.
    pub sent_mock_ms: i64,
    /// When it was sent, in real Unix milliseconds.
    pub sent_real_ms: i64,
    /// How it ended; `None` while in flight.
    pub outcome: Option<Outcome>,
    /// How long it took, in real milliseconds; `None` while in flight.
    pub latency_ms: Option<u64>,
}

/// What the signature was computed from, with the secret masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureInput {
    /// The secret, the timestamp and the nonce in byte order (the secret masked).
    pub sorted: Vec<String>,
    /// The three joined, as hashed (the secret masked).
    pub joined: String,
}

/// One callback delivery: the event it carries, the body sent and every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The delivery's id, increasing over the mock's life.
    pub id: u64,
    /// The sequence number of the event it carries, in its app and environment's event journal.
    pub event_id: u64,
    /// The AppId.
    pub app: u32,
    /// `"production"` or `"test"`.
    pub env: &'static str,
    /// The callback's event name (`room_login`, ...).
    pub event: String,
    /// Which configured URL it goes to.
    pub category: Category,
    /// Where it goes; `None` when the category has no URL.
    pub url: Option<String>,
    /// The body, exactly as sent on every attempt.
    pub body: String,
    /// The `Content-Type` sent.
    pub content_type: &'static str,
    /// The signature's input, the secret masked.
    pub signature_input: SignatureInput,
    /// The attempts made, oldest first.
    pub attempts: Vec<Attempt>,
    /// When the next attempt is due, in Unix milliseconds of the mock's clock (pending only; the
    /// first attempt goes out at once, whatever the clock says).
    pub next_due_mock_ms: Option<i64>,
    /// Where it stands.
    pub state: DeliveryState,
    #[serde(skip)]
    order: (u64, u32),
    #[serde(skip)]
    timeout_ms: u64,
    #[serde(skip)]
    retry_delays_s: Vec<u64>,
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryFilter {
    /// Only this event (`room_login`, ...).
    pub event: Option<String>,
    /// Only this state.
    pub state: Option<DeliveryState>,
    /// Only this environment.
    pub env: Option<Env>,
}

impl DeliveryFilter {
    fn accepts(&self, d: &Delivery) -> bool {
        self.event.as_deref().is_none_or(|e| d.event == e)
            && self.state.is_none_or(|s| d.state == s)
            && self.env.is_none_or(|e| d.env == e.as_str())
    }
}

/// What a flush found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlushReport {
    /// Nothing was due or in flight when it returned (`false`: the timeout came first).
    pub settled: bool,
    /// The deliveries not yet ended: retries waiting for the mock's clock (and, unsettled,
    /// what is due or in flight).
    pub pending: Vec<Delivery>,
}

/// New events of one app and environment, on their way to the dispatcher.
#[derive(Debug)]
pub(crate) struct Batch {
    app: u32,
    env: Env,
    /// Taken under the world's lock: the order of batches of the same events' journal.
    ticket: u64,
    /// Each event with the URL its task overrides the category's with, if any.
    events: Vec<(Event, Option<String>)>,
    /// Events dropped from the journal before they could be taken.
    lost: u64,
}

/// The delivery journal of one app, with its nonce generator.
#[derive(Debug)]
struct AppBook {
    ring: VecDeque<Delivery>,
    /// Ids of the pending and in-flight deliveries.
    active: BTreeSet<u64>,
    rng: u64,
    /// Events lost before they became deliveries (journal overflow).
    lost: u64,
}

impl AppBook {
    fn new(seed: u64) -> Self {
        Self {
            ring: VecDeque::new(),
            active: BTreeSet::new(),
            rng: seed,
            lost: 0,
        }
    }

    /// A 63-bit nonce (splitmix64).
    fn nonce(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) >> 1
    }

    fn push(&mut self, d: Delivery, capacity: usize) {
        while self.ring.len() >= capacity.max(1) {
            // Ended deliveries go first; only a journal full of live ones loses a live one.
            let at = self
                .ring
                .iter()
                .position(|d| !d.state.is_active())
                .unwrap_or(0);
            if let Some(old) = self.ring.remove(at) {
                self.active.remove(&old.id);
            }
        }
        if d.state.is_active() {
            self.active.insert(d.id);
        }
        self.ring.push_back(d);
    }

    fn get_mut(&mut self, id: u64) -> Option<&mut Delivery> {
        // Ids increase along the ring (an eviction removes, never reorders).
        let at = self.ring.binary_search_by_key(&id, |d| d.id).ok()?;
        self.ring.get_mut(at)
    }

    /// Something is due now or in flight.
    fn busy(&self, now: i64) -> bool {
        self.active.iter().any(|id| {
            let Ok(at) = self.ring.binary_search_by_key(id, |d| d.id) else {
                return false;
            };
            let d = &self.ring[at];
            d.state == DeliveryState::InFlight || d.next_due_mock_ms.is_none_or(|due| due <= now)
        })
    }

    fn active_list(&self) -> Vec<Delivery> {
        self.ring
            .iter()
            .filter(|d| d.state.is_active())
            .cloned()
            .collect()
    }
}

fn seed_of(app: u32, config: &CallbackConfig) -> u64 {
    config
        .nonce_seed
        .unwrap_or_else(|| u64::from(app).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5A17_C0DE)
}

#[derive(Debug, Default)]
struct Book {
    apps: HashMap<u32, AppBook>,
    next_id: u64,
}

/// An attempt to make now.
struct Start {
    app: u32,
    id: u64,
    n: u32,
    url: String,
    body: Bytes,
    content_type: &'static str,
    timeout: Duration,
}

/// An attempt's end.
struct Done {
    app: u32,
    id: u64,
    n: u32,
    url: String,
    outcome: Outcome,
    latency_ms: u64,
}

/// The callback side of the engine: configurations, the channel to the dispatcher, the delivery
/// journals.
pub(crate) struct Hub {
    configs: Mutex<HashMap<u32, Arc<CallbackConfig>>>,
    /// Some app has callbacks enabled: without any, the API path takes no lock here.
    any_enabled: AtomicBool,
    tx: mpsc::Sender<Batch>,
    rx: Mutex<Option<mpsc::Receiver<Batch>>>,
    /// Batches sent and not yet taken by the dispatcher.
    queued: AtomicUsize,
    ticket: AtomicU64,
    book: Mutex<Book>,
    /// Wakes the dispatcher (a configuration change, a cancel).
    wake: Notify,
    /// Wakes flushes (the dispatcher made progress).
    progress: Notify,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("queued", &self.queued.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Default for Hub {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        Self {
            configs: Mutex::new(HashMap::new()),
            any_enabled: AtomicBool::new(false),
            tx,
            rx: Mutex::new(Some(rx)),
            queued: AtomicUsize::new(0),
            ticket: AtomicU64::new(0),
            book: Mutex::new(Book::default()),
            wake: Notify::new(),
            progress: Notify::new(),
        }
    }
}

impl Hub {
    /// Whether the app's events become deliveries.
    pub fn is_active(&self, app: u32) -> bool {
        self.any_enabled.load(Ordering::Acquire)
            && lock(&self.configs).get(&app).is_some_and(|c| c.enabled)
    }

    fn active_apps(&self) -> Vec<u32> {
        lock(&self.configs)
            .iter()
            .filter(|(_, c)| c.enabled)
            .map(|(id, _)| *id)
            .collect()
    }

    /// The app's configuration (the defaults when none was set).
    pub fn config(&self, app: u32) -> CallbackConfig {
        lock(&self.configs)
            .get(&app)
            .map_or_else(|| CallbackConfig::for_app(app), |c| (**c).clone())
    }

    /// Sets the app's configuration. A new nonce seed restarts the nonce sequence; disabling
    /// cancels what is pending.
    pub fn set_config(&self, app: u32, config: CallbackConfig) -> Result<(), String> {
        config.validate()?;
        let enabled = config.enabled;
        let old = {
            let mut configs = lock(&self.configs);
            let old = configs.insert(app, Arc::new(config.clone()));
            let any = configs.values().any(|c| c.enabled);
            self.any_enabled.store(any, Ordering::Release);
            old
        };
        {
            let mut book = lock(&self.book);
            let reseed = old.is_none_or(|o| o.nonce_seed != config.nonce_seed);
            let b = book
                .apps
                .entry(app)
                .or_insert_with(|| AppBook::new(seed_of(app, &config)));
            if reseed {
                b.rng = seed_of(app, &config);
            }
        }
        if !enabled {
            self.cancel(Some(app));
        }
        self.wake.notify_one();
        Ok(())
    }

    /// Copies the new events of `state` out (under the world's lock; `None` when there is none
    /// or the app's callbacks are off, in which case they only count as handed on).
    pub fn drain(&self, state: &mut EnvState, app: u32, env: Env, active: bool) -> Option<Batch> {
        let (events, lost) = state.events.take_new(active);
        if events.is_empty() && lost == 0 {
            return None;
        }
        let events = events
            .into_iter()
            .map(|e| {
                let url = task_url(state, &e);
                (e, url)
            })
            .collect();
        Some(Batch {
            app,
            env,
            ticket: self.ticket.fetch_add(1, Ordering::SeqCst),
            events,
            lost,
        })
    }

    /// Hands a batch to the dispatcher without waiting; a full queue journals it as dropped.
    pub fn submit(&self, batch: Batch) {
        self.queued.fetch_add(1, Ordering::SeqCst);
        if let Err(e) = self.tx.try_send(batch) {
            self.queued.fetch_sub(1, Ordering::SeqCst);
            let batch = match e {
                mpsc::error::TrySendError::Full(b) | mpsc::error::TrySendError::Closed(b) => b,
            };
            self.accept(batch, Some(DeliveryState::Dropped));
        }
    }

    /// Turns a batch into deliveries (rendered, signed, journalled). With `forced`, they get
    /// that state and are not sent. The journal's lock is held to draw the nonces and to add
    /// the deliveries, not while rendering and encoding the bodies.
    fn accept(&self, batch: Batch, forced: Option<DeliveryState>) {
        let Some(config) = lock(&self.configs).get(&batch.app).cloned() else {
            return;
        };
        if !config.enabled {
            return;
        }
        let events: Vec<_> = batch
            .events
            .into_iter()
            .enumerate()
            .filter_map(|(idx, (event, url))| Some((idx, Category::of(event.event)?, event, url)))
            .collect();
        let nonces: Vec<u64> = {
            let mut book = lock(&self.book);
            let b = book
                .apps
                .entry(batch.app)
                .or_insert_with(|| AppBook::new(seed_of(batch.app, &config)));
            b.lost += batch.lost;
            events.iter().map(|_| b.nonce()).collect()
        };
        let mut deliveries = Vec::with_capacity(events.len());
        for ((idx, category, event, task_url), nonce) in events.into_iter().zip(nonces) {
            let envelope = Envelope {
                app_id: batch.app,
                secret: &config.secret,
                nonce,
            };
            let Some(rendered) = render(&event, envelope) else {
                continue;
            };
            let url = task_url.or_else(|| rendered_url(&config, rendered.category));
            let timestamp = ["timestamp", "Timestamp"]
                .iter()
                .find_map(|k| rendered.body.get(*k).and_then(scalar))
                .unwrap_or_else(|| event.at_millis.div_euclid(1000).to_string());
            let signature_input = signature_input(&config.secret, &timestamp, &nonce.to_string());
            let body = encode(&rendered.body, config.format);
            let state = match (forced, &url) {
                (Some(s), _) => s,
                (None, None) => DeliveryState::NoUrl,
                (None, Some(_)) => DeliveryState::Pending,
            };
            deliveries.push(Delivery {
                // Numbered when journalled, so that the journal stays in id order.
                id: 0,
                event_id: event.seq,
                app: batch.app,
                env: batch.env.as_str(),
                event: event.event.to_string(),
                category,
                url,
                body,
                content_type: config.format.content_type(),
                signature_input,
                attempts: Vec::new(),
                next_due_mock_ms: None,
                state,
                order: (batch.ticket, u32::try_from(idx).unwrap_or(u32::MAX)),
                timeout_ms: config.timeout_ms,
                retry_delays_s: config.retry_delays_s.clone(),
            });
        }
        let mut book = lock(&self.book);
        let Book { apps, next_id } = &mut *book;
        let b = apps
            .entry(batch.app)
            .or_insert_with(|| AppBook::new(seed_of(batch.app, &config)));
        for mut d in deliveries {
            *next_id += 1;
            d.id = *next_id;
            b.push(d, config.journal_capacity);
        }
        drop(book);
        self.progress.notify_waiters();
    }

    /// Marks the pending and in-flight deliveries of one app (or all) cancelled.
    pub fn cancel(&self, app: Option<u32>) {
        let mut book = lock(&self.book);
        for (id, b) in &mut book.apps {
            if app.is_some_and(|a| a != *id) {
                continue;
            }
            let ids: Vec<u64> = std::mem::take(&mut b.active).into_iter().collect();
            for id in ids {
                if let Some(d) = b.get_mut(id) {
                    d.state = DeliveryState::Cancelled;
                    d.next_due_mock_ms = None;
                }
            }
        }
        drop(book);
        self.progress.notify_waiters();
    }

    /// The app's deliveries matching `filter`, oldest first.
    pub fn deliveries(&self, app: u32, filter: &DeliveryFilter) -> Vec<Delivery> {
        lock(&self.book).apps.get(&app).map_or_else(Vec::new, |b| {
            b.ring
                .iter()
                .filter(|d| filter.accepts(d))
                .cloned()
                .collect()
        })
    }

    /// Forgets the app's deliveries; the pending ones are not sent.
    pub fn clear(&self, app: u32) {
        if let Some(b) = lock(&self.book).apps.get_mut(&app) {
            b.ring.clear();
            b.active.clear();
            b.lost = 0;
        }
        self.progress.notify_waiters();
    }

    /// How many events of the app were lost before they became deliveries.
    pub fn lost(&self, app: u32) -> u64 {
        lock(&self.book).apps.get(&app).map_or(0, |b| b.lost)
    }

    /// The attempts to make now: per URL not already busy, the first due delivery in event
    /// order. They are marked in flight.
    fn take_ready(&self, now: i64, busy: &HashSet<String>, room: usize) -> Vec<Start> {
        if room == 0 {
            return Vec::new();
        }
        let mut book = lock(&self.book);
        // (url) -> (order, app, id) of the first due delivery.
        let mut first: HashMap<&str, ((u64, u32), u32, u64)> = HashMap::new();
        for (app, b) in &book.apps {
            for id in &b.active {
                let Ok(at) = b.ring.binary_search_by_key(id, |d| d.id) else {
                    continue;
                };
                let d = &b.ring[at];
                let Some(url) = d.url.as_deref() else {
                    continue;
                };
                let due = d.next_due_mock_ms.is_none_or(|due| due <= now);
                if d.state != DeliveryState::Pending || !due || busy.contains(url) {
                    continue;
                }
                let key = (d.order, *app, d.id);
                first
                    .entry(url)
                    .and_modify(|k| {
                        if key < *k {
                            *k = key;
                        }
                    })
                    .or_insert(key);
            }
        }
        let mut chosen: Vec<(u32, u64)> = first.into_values().map(|(_, a, i)| (a, i)).collect();
        chosen.sort_unstable();
        chosen.truncate(room);
        let real = crate::clock::system_now_millis();
        let mut starts = Vec::with_capacity(chosen.len());
        for (app, id) in chosen {
            let Some(d) = book.apps.get_mut(&app).and_then(|b| b.get_mut(id)) else {
                continue;
            };
            let n = u32::try_from(d.attempts.len() + 1).unwrap_or(u32::MAX);
            let due = d.next_due_mock_ms.unwrap_or(now);
            d.attempts.push(Attempt {
                n,
                due_mock_ms: due,
                sent_mock_ms: now,
                sent_real_ms: real,
                outcome: None,
                latency_ms: None,
            });
            d.state = DeliveryState::InFlight;
            d.next_due_mock_ms = None;
            starts.push(Start {
                app,
                id,
                n,
                url: d.url.clone().unwrap_or_default(),
                body: Bytes::from(d.body.clone()),
                content_type: d.content_type,
                timeout: Duration::from_millis(d.timeout_ms),
            });
        }
        starts
    }

    /// Records an attempt's end: delivered, due again after its delay, or lost.
    fn finish(&self, done: Done) {
        let mut book = lock(&self.book);
        let Some(b) = book.apps.get_mut(&done.app) else {
            return;
        };
        let Some(d) = b.get_mut(done.id) else {
            return;
        };
        let Some(attempt) = d.attempts.iter_mut().find(|a| a.n == done.n) else {
            return;
        };
        attempt.latency_ms = Some(done.latency_ms);
        let sent = attempt.sent_mock_ms;
        let ok = matches!(done.outcome, Outcome::Status(s) if (200..300).contains(&s));
        attempt.outcome = Some(done.outcome);
        if d.state != DeliveryState::InFlight {
            // Cancelled while on the wire: the outcome is kept, the state stays.
            return;
        }
        let retry = usize::try_from(done.n)
            .ok()
            .and_then(|n| d.retry_delays_s.get(n - 1).copied());
        d.state = match (ok, retry) {
            (true, _) => DeliveryState::Delivered,
            (false, None) => DeliveryState::Lost,
            (false, Some(delay)) => {
                let delay = i64::try_from(delay.saturating_mul(1000)).unwrap_or(i64::MAX);
                d.next_due_mock_ms = Some(sent.saturating_add(delay));
                DeliveryState::Pending
            }
        };
        if !d.state.is_active() {
            b.active.remove(&done.id);
        }
    }

    fn busy(&self, app: u32, now: i64) -> bool {
        lock(&self.book).apps.get(&app).is_some_and(|b| b.busy(now))
    }

    fn active_list(&self, app: u32) -> Vec<Delivery> {
        lock(&self.book)
            .apps
            .get(&app)
            .map_or_else(Vec::new, AppBook::active_list)
    }

    /// Takes the receiving end of the channel: the first dispatcher gets it.
    pub fn take_receiver(&self) -> Option<mpsc::Receiver<Batch>> {
        lock(&self.rx).take()
    }
}

fn rendered_url(config: &CallbackConfig, category: Category) -> Option<String> {
    config
        .urls
        .get(&category)
        .filter(|u| !u.is_empty())
        .cloned()
}

/// A moderation task's own URL for its event (`ResultCallbackUrl`/`StatusCallbackUrl`, or
/// `AudioParam.*`/`VideoParam.*` for video tasks), which overrides the category's.
fn task_url(state: &EnvState, event: &Event) -> Option<String> {
    let key = match event.event {
        "censor_audio_v2_result" => "result",
        "censor_audio_v2_status" => "status",
        "censor_video_v2_audio_result" => "audio_result",
        "censor_video_v2_audio_status" => "audio_status",
        "censor_video_v2_img_result" => "img_result",
        "censor_video_v2_img_status" => "img_status",
        _ => return None,
    };
    let task_id = event.data.get("TaskId")?.as_str()?;
    let task = state.moderation.censor_tasks.get(task_id)?;
    task.callback_urls
        .get(key)
        .filter(|u| super::config::check_url(u).is_ok())
        .cloned()
}

/// A JSON scalar as the text it stands for (`"1"` and `1` alike).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn signature_input(secret: &str, timestamp: &str, nonce: &str) -> SignatureInput {
    let mut parts = [secret, timestamp, nonce];
    parts.sort_unstable();
    let sorted: Vec<String> = parts
        .iter()
        .map(|p| {
            if std::ptr::eq(*p, secret) {
                MASKED_SECRET.to_string()
            } else {
                (*p).to_string()
            }
        })
        .collect();
    let joined = sorted.concat();
    SignatureInput { sorted, joined }
}

/// The body as sent: JSON, or a form with one key per top-level field (strings as they are,
/// other scalars as JSON text, arrays and objects JSON-encoded).
fn encode(body: &Value, format: CallbackFormat) -> String {
    match format {
        CallbackFormat::Json => body.to_string(),
        CallbackFormat::Form => {
            let Value::Object(fields) = body else {
                return String::new();
            };
            fields
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    format!("{}={}", crate::query::encode(k), crate::query::encode(&v))
                })
                .collect::<Vec<_>>()
                .join("&")
        }
    }
}

// ----- the engine's side -----

impl Engine {
    /// Ticks every app with callbacks enabled (both environments), so events due by time are
    /// emitted, and returns their new events. One pass under the world's lock.
    fn tick_for_callbacks(&self, only: Option<u32>) -> Vec<Batch> {
        let apps: Vec<u32> = match only {
            Some(app) if self.callbacks.is_active(app) => vec![app],
            Some(_) => return Vec::new(),
            None => self.callbacks.active_apps(),
        };
        if apps.is_empty() {
            return Vec::new();
        }
        let now = crate::clock::Clock::now_millis(&self.clock);
        let mut world = lock(&self.world);
        let mut batches = Vec::new();
        for ((app, env), state) in &mut world.envs {
            if apps.contains(app) {
                crate::actions::tick(state, *app, now);
                batches.extend(self.callbacks.drain(state, *app, *env, true));
            }
        }
        drop(world);
        batches
    }

    /// Waits (real time, at most `timeout`) until the app has nothing due now on the mock's
    /// clock and nothing in flight; answers what is still pending.
    pub(crate) async fn flush_callbacks_for(&self, app: u32, timeout: Duration) -> FlushReport {
        let deadline = tokio::time::Instant::now() + timeout;
        for batch in self.tick_for_callbacks(Some(app)) {
            self.callbacks.submit(batch);
        }
        loop {
            let progress = self.callbacks.progress.notified();
            tokio::pin!(progress);
            progress.as_mut().enable();
            let now = crate::clock::Clock::now_millis(&self.clock);
            let settled =
                self.callbacks.queued.load(Ordering::SeqCst) == 0 && !self.callbacks.busy(app, now);
            if settled || tokio::time::Instant::now() >= deadline {
                return FlushReport {
                    settled,
                    pending: self.callbacks.active_list(app),
                };
            }
            // The clock may move without any progress: look again shortly.
            let _ =
                tokio::time::timeout_at(deadline.min(tokio::time::Instant::now() + POLL), progress)
                    .await;
        }
    }
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn http_client() -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_connect_timeout(Some(Duration::from_secs(5)));
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(0)
        .build(connector)
}

const USER_AGENT: &str = concat!("zego-mock-callback/", env!("CARGO_PKG_VERSION"));

async fn post(client: &HttpClient, start: &Start) -> Outcome {
    let request = hyper::Request::post(start.url.as_str())
        .header(hyper::header::CONTENT_TYPE, start.content_type)
        .header(hyper::header::USER_AGENT, USER_AGENT)
        .body(Full::new(start.body.clone()));
    let request = match request {
        Ok(r) => r,
        Err(e) => return Outcome::Error(format!("invalid request: {e}")),
    };
    match tokio::time::timeout(start.timeout, client.request(request)).await {
        Err(_) => Outcome::Error("timeout".into()),
        Ok(Err(e)) if e.is_connect() => Outcome::Error("connect".into()),
        Ok(Err(e)) => {
            use std::error::Error as _;
            let detail = e
                .source()
                .map_or_else(|| e.to_string(), ToString::to_string);
            Outcome::Error(format!("http: {detail}"))
        }
        // The answer's body is ignored (none is documented); dropping it closes the connection.
        Ok(Ok(response)) => Outcome::Status(response.status().as_u16()),
    }
}

/// The dispatcher: runs until aborted (the server stops).
pub(crate) async fn run(engine: Arc<Engine>, mut rx: mpsc::Receiver<Batch>) {
    let hub = &engine.callbacks;
    let client = http_client();
    // Each attempt in flight sends exactly one `Done`: at most MAX_IN_FLIGHT wait here.
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Done>();
    let mut busy: HashSet<String> = HashSet::new();
    let mut last_clock = crate::clock::Clock::now_millis(&engine.clock);
    let mut last_tick = Instant::now();
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            batch = rx.recv() => match batch {
                Some(batch) => {
                    // Counted as queued until its deliveries are in the book, so that a flush
                    // never sees neither the batch nor its deliveries.
                    hub.accept(batch, None);
                    hub.queued.fetch_sub(1, Ordering::SeqCst);
                }
                None => return,
            },
            Some(done) = done_rx.recv() => {
                busy.remove(&done.url);
                hub.finish(done);
            }
            _ = poll.tick() => {
                let now = crate::clock::Clock::now_millis(&engine.clock);
                if now != last_clock && last_tick.elapsed() >= TICK_EVERY {
                    last_clock = now;
                    last_tick = Instant::now();
                    for batch in engine.tick_for_callbacks(None) {
                        hub.accept(batch, None);
                    }
                }
            }
            () = hub.wake.notified() => {}
        }
        let now = crate::clock::Clock::now_millis(&engine.clock);
        for start in hub.take_ready(now, &busy, MAX_IN_FLIGHT.saturating_sub(busy.len())) {
            busy.insert(start.url.clone());
            let client = client.clone();
            let done_tx = done_tx.clone();
            tokio::spawn(async move {
                let began = Instant::now();
                let outcome = post(&client, &start).await;
                let latency_ms = u64::try_from(began.elapsed().as_millis()).unwrap_or(u64::MAX);
                let _ = done_tx.send(Done {
                    app: start.app,
                    id: start.id,
                    n: start.n,
                    url: start.url,
                    outcome,
                    latency_ms,
                });
            });
        }
        hub.progress.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_input_masks_the_secret_and_keeps_the_order() {
        let s = signature_input("secret", "1470820198", "123412");
        assert_eq!(s.sorted, ["123412", "1470820198", MASKED_SECRET]);
        assert_eq!(s.joined, format!("1234121470820198{MASKED_SECRET}"));
        assert!(!s.sorted.iter().any(|p| p == "secret"));
    }

    #[test]
    fn form_bodies_have_one_key_per_field() {
        let body = serde_json::json!({"event":"x y","n":1,"list":["a"],"o":{"k":1}});
        let form = encode(&body, CallbackFormat::Form);
        assert!(form.contains("event=x%20y"), "{form}");
        assert!(form.contains("n=1"), "{form}");
        assert!(form.contains("list=%5B%22a%22%5D"), "{form}");
        assert!(form.contains("o=%7B%22k%22%3A1%7D"), "{form}");
    }

    #[test]
    fn nonces_are_63_bit_and_reproducible() {
        let mut a = AppBook::new(7);
        let mut b = AppBook::new(7);
        for _ in 0..100 {
            let n = a.nonce();
            assert!(n < 1 << 63);
            assert_eq!(n, b.nonce());
        }
    }
}
