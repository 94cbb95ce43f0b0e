//! The in-process mock: [`MockServer`], a facade over the engine and its control plane.

use super::{Expectation, MockServerBuilder};
use crate::actions::media::PublishError;
use crate::actions::media_file::{
    FailTaskError, MediaConfig, MediaFile, MediaTaskView, MediaView, SeedFile, TaskFailure,
};
use crate::actions::mixing::{MixTaskView, TranscodeTask};
use crate::actions::moderation::{CensorControlError, CensorResult, CensorTaskView, TokenCheck};
use crate::actions::room::{ClientRefusal, LogoutReason, MessageRecord, RoomView, UserSpec};
use crate::actions::scene::SceneTemplate;
use crate::callbacks::config::CallbackConfig;
use crate::callbacks::deliver::{Delivery, DeliveryFilter, FlushReport};
use crate::clock::ControlClock;
use crate::config::{AppConfig, Env};
use crate::control::{CoverageSummary, Fault, FaultSpec, JournalEntry, JournalFilter};
use crate::engine::Engine;
use crate::state::EnvState;
use crate::state::{Event, Features};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;

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
    pub(super) address: SocketAddr,
    pub(super) https_address: Option<SocketAddr>,
    pub(super) engine: Arc<Engine>,
    pub(super) _shutdown: watch::Sender<()>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("address", &self.address)
            .field("https_address", &self.https_address)
            .field("engine", &self.engine)
            .finish_non_exhaustive()
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

    /// The HTTPS base URL, `https://localhost:{port}` (`https://{address}` off loopback), when
    /// the mock was built with [`MockServerBuilder::tls`]. Clients must trust the CA that
    /// signed its certificate.
    pub fn https_uri(&self) -> Option<String> {
        self.https_address.map(|a| {
            if a.ip().is_loopback() {
                format!("https://localhost:{}", a.port())
            } else {
                format!("https://{a}")
            }
        })
    }

    /// The HTTPS listener's address, when there is one.
    pub fn https_address(&self) -> Option<&SocketAddr> {
        self.https_address.as_ref()
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

    /// A simulated user logs in to a room; the first user creates it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use zego_mock::{Env, MockServer, UserSpec, DEV_APP_ID};
    /// let server = MockServer::start().await;
    /// server.login(DEV_APP_ID, Env::Production, "room1", UserSpec::new("alice").role(1)).unwrap();
    /// assert_eq!(server.rooms(DEV_APP_ID, Env::Production)[0].room.users.len(), 1);
    /// # }
    /// ```
    pub fn login(
        &self,
        app_id: u32,
        env: Env,
        room_id: &str,
        user: UserSpec,
    ) -> Result<(), ClientRefusal> {
        self.engine.login(app_id, env, room_id, user)
    }

    /// A simulated user leaves a room; the room is destroyed when it empties.
    pub fn logout(
        &self,
        app_id: u32,
        env: Env,
        room_id: &str,
        user_id: &str,
        reason: LogoutReason,
    ) -> Result<(), ClientRefusal> {
        self.engine.logout(app_id, env, room_id, user_id, reason)
    }

    /// A simulated user publishes a stream in a room: it is live (DescribeRTCStreamState) and in
    /// the room's stream list.
    pub fn publish_in_room(
        &self,
        app_id: u32,
        env: Env,
        room_id: &str,
        user_id: &str,
        stream_id: &str,
    ) -> Result<(), ClientRefusal> {
        self.engine
            .publish_in_room(app_id, env, room_id, user_id, stream_id, "", "")
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
        self.engine
            .stop_in_room(app_id, env, room_id, user_id, stream_id)
    }

    /// The rooms of one app in one environment, with users, streams and ban flags.
    pub fn rooms(&self, app_id: u32, env: Env) -> Vec<RoomView> {
        self.engine.rooms(app_id, env)
    }

    /// The messages rooms received (broadcasts, barrages, custom commands), oldest first.
    pub fn messages(&self, app_id: u32, env: Env) -> Vec<MessageRecord> {
        self.engine.messages(app_id, env)
    }

    /// The events the real service would send as server callbacks, oldest first.
    pub fn events(&self, app_id: u32, env: Env) -> Vec<Event> {
        self.engine.events(app_id, env)
    }

    /// The server-callback configuration of an app (the defaults, with the CallbackSecret
    /// derived from its AppId, until one is set).
    pub fn callbacks(&self, app_id: u32) -> CallbackConfig {
        self.engine.callbacks(app_id)
    }

    /// Sets the server-callback configuration of an app; `Err` says what is wrong with it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use zego_mock::{CallbackConfig, Category, Env, MockServer, UserSpec, DEV_APP_ID};
    /// let server = MockServer::start().await;
    /// // Nothing listens on port 9: the delivery fails and waits for its retry.
    /// let config = CallbackConfig::for_app(DEV_APP_ID).url(Category::Room, "http://127.0.0.1:9/cb");
    /// server.set_callbacks(DEV_APP_ID, config).unwrap();
    /// server.login(DEV_APP_ID, Env::Production, "room1", UserSpec::new("alice")).unwrap();
    /// let report = server.flush_callbacks(DEV_APP_ID, Duration::from_secs(5)).await;
    /// assert!(report.settled);
    /// let deliveries = server.callback_deliveries(DEV_APP_ID);
    /// assert_eq!(deliveries[0].event, "room_create");
    /// assert_eq!(deliveries[0].attempts.len(), 1);
    /// assert_eq!(deliveries[1].event, "room_login"); // its category has no URL
    /// assert_eq!(deliveries[1].state, zego_mock::DeliveryState::NoUrl);
    /// # }
    /// ```
    pub fn set_callbacks(&self, app_id: u32, config: CallbackConfig) -> Result<(), String> {
        self.engine.set_callbacks(app_id, config)
    }

    /// Every callback delivery of an app, oldest first.
    pub fn callback_deliveries(&self, app_id: u32) -> Vec<Delivery> {
        self.engine
            .callback_deliveries(app_id, &DeliveryFilter::default())
    }

    /// The callback deliveries of an app matching `filter`, oldest first.
    pub fn callback_deliveries_matching(
        &self,
        app_id: u32,
        filter: &DeliveryFilter,
    ) -> Vec<Delivery> {
        self.engine.callback_deliveries(app_id, filter)
    }

    /// Forgets the callback deliveries of an app; the pending ones are never sent.
    pub fn clear_callback_deliveries(&self, app_id: u32) {
        self.engine.clear_callback_deliveries(app_id);
    }

    /// Waits (real time, at most `timeout`) until the app has no callback due on the mock's
    /// clock and none in flight; answers what is still pending (retries due later). Tests call
    /// it instead of sleeping.
    pub async fn flush_callbacks(&self, app_id: u32, timeout: std::time::Duration) -> FlushReport {
        self.engine.flush_callbacks(app_id, timeout).await
    }

    /// The mix tasks (StartMix and StartAutoMix) of one app in one environment, running and
    /// ended.
    pub fn mix_tasks(&self, app_id: u32, env: Env) -> Vec<MixTaskView> {
        self.engine.mix_tasks(app_id, env)
    }

    /// The transcode tasks (StartCloudTranscode) of one app in one environment, running and
    /// ended, by TaskId.
    pub fn transcode_tasks(&self, app_id: u32, env: Env) -> BTreeMap<String, TranscodeTask> {
        self.engine.transcode_tasks(app_id, env)
    }

    /// The media configuration of one app in one environment (CDN vendor, formats, ...).
    pub fn media_config(&self, app_id: u32, env: Env) -> MediaConfig {
        self.engine.media_config(app_id, env)
    }

    /// Replaces the media configuration of one app in one environment; `Err` says what is
    /// wrong with it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use zego_mock::{Env, MediaConfig, MockServer, Vendor, DEV_APP_ID};
    /// let server = MockServer::start().await;
    /// let config = MediaConfig { cdn_vendor: Some(Vendor::Huawei), ..MediaConfig::default() };
    /// server.set_media_config(DEV_APP_ID, Env::Production, config).unwrap();
    /// assert_eq!(server.media_config(DEV_APP_ID, Env::Production).cdn_vendor, Some(Vendor::Huawei));
    /// # }
    /// ```
    pub fn set_media_config(
        &self,
        app_id: u32,
        env: Env,
        config: MediaConfig,
    ) -> Result<(), String> {
        self.engine.set_media_config(app_id, env, config)
    }

    /// The recordings, media files (deleted ones included) and media tasks of one app in one
    /// environment, with each task's status now.
    pub fn media(&self, app_id: u32, env: Env) -> MediaView {
        self.engine.media(app_id, env)
    }

    /// Adds a media file as if a recording had produced it; `Err` says what is wrong.
    pub fn seed_media_file(
        &self,
        app_id: u32,
        env: Env,
        seed: SeedFile,
    ) -> Result<MediaFile, String> {
        self.engine.seed_media_file(app_id, env, seed)
    }

    /// Makes a media task that has not ended fail now.
    pub fn fail_media_task(
        &self,
        app_id: u32,
        env: Env,
        task_id: &str,
        failure: TaskFailure,
    ) -> Result<MediaTaskView, FailTaskError> {
        self.engine.fail_media_task(app_id, env, task_id, failure)
    }

    /// The censor tasks (StartCensorAudioV2, StartCensorVideoV2) of one app in one
    /// environment, running and ended.
    pub fn censor_tasks(&self, app_id: u32, env: Env) -> Vec<CensorTaskView> {
        self.engine.censor_tasks(app_id, env)
    }

    /// Injects a moderation result into a running censor task (the mock analyses no media);
    /// answers its `ResultTaskId`. It is recorded as the event its callback would carry.
    pub fn inject_censor_result(
        &self,
        app_id: u32,
        env: Env,
        task_id: &str,
        result: CensorResult,
    ) -> Result<String, CensorControlError> {
        self.engine
            .inject_censor_result(app_id, env, task_id, result)
    }

    /// Ends a running censor task now, as if its room had been idle for 300 s.
    pub fn end_censor_task(
        &self,
        app_id: u32,
        env: Env,
        task_id: &str,
    ) -> Result<(), CensorControlError> {
        self.engine.end_censor_task(app_id, env, task_id)
    }

    /// Consumes an identify token as a moderation vendor would: valid once, before it expires.
    pub fn consume_identify_token(&self, app_id: u32, env: Env, token: &str) -> TokenCheck {
        self.engine.consume_identify_token(app_id, env, token)
    }

    /// The scene templates of one app in one environment, by TemplateId.
    pub fn scene_templates(&self, app_id: u32, env: Env) -> BTreeMap<u64, SceneTemplate> {
        self.engine.scene_templates(app_id, env)
    }

    /// Makes a running transcode task fail now: its outputs close and transcode_stop is recorded
    /// (and sent, with callbacks configured) with StopReason 1. `false` when there is no such
    /// running task.
    pub fn fail_transcode_task(&self, app_id: u32, env: Env, task_id: &str) -> bool {
        self.engine.fail_transcode_task(app_id, env, task_id)
    }

    /// Sets an app's features (ban rules, mixing, auto-created rooms, ...).
    pub fn set_features(&self, app_id: u32, features: Features) {
        self.engine.set_features(app_id, features);
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

    /// Registers an expectation, checked when the server drops. Calls are counted from now.
    /// Expectations live in the engine: `GET /_mock/expectations` lists them too, and those
    /// registered over HTTP are checked here as well. Beyond [`MAX_EXPECTATIONS`] held at once,
    /// the registration is refused and verification fails, saying so.
    ///
    /// [`MAX_EXPECTATIONS`]: crate::MAX_EXPECTATIONS
    pub fn expect(&self, expectation: Expectation) {
        // A refusal is remembered by the engine and reported by `verify`.
        let _ = self.engine.expect(expectation);
    }

    /// Checks the expectations now; `Err` lists every unmet one.
    pub fn verify(&self) -> Result<(), String> {
        self.engine.verify_expectations().map_err(|unmet| {
            format!(
                "zego-mock expectations not met:\n  - {}",
                unmet.join("\n  - ")
            )
        })
    }

    /// Forgets every expectation (the drop then checks none).
    pub fn clear_expectations(&self) {
        self.engine.clear_expectations();
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
