//! `zego-mock`: an offline mock of ZEGOCLOUD's Server API v2 (`https://rtc-api.zego.im/?Action=...`).
//!
//! It checks what the real service checks, as documented: the gateway's common parameters and
//! their codes, the MD5 signature, the 10-minute timestamp window, each action's rate limit,
//! parameter formats and the Sequence order rule; and it remembers state (relay rules, bans)
//! per app and environment. All time comes from an injectable [`Clock`], so tests freeze and
//! move it instead of sleeping.
//!
//! Run it as a binary (`cargo run -p zego-mock`), or in-process from Rust tests. What a test
//! uses:
//!
//! - [`MockServer`]: the mock on a local port ([`MockServer::start`], or
//!   [`MockServer::builder`] for apps of your own, a clock, callbacks, legacy codes or no rate
//!   limits), with its [`uri`](MockServer::uri) for a client, the state it keeps
//!   ([`state`](MockServer::state), [`rooms`](MockServer::rooms), ...), what it received
//!   ([`journal`](MockServer::journal) with a [`JournalFilter`]), faults to inject
//!   ([`add_fault`](MockServer::add_fault) with a [`FaultSpec`]) and expectations to verify
//!   ([`expect`](MockServer::expect) an [`Expectation`], then [`verify`](MockServer::verify)).
//! - [`ManualClock`]: time that moves only when the test says; share it with the client
//!   ([`ManualClock::millis_fn`]) so both sign and check with the same time. Any [`Clock`] will
//!   do, [`SystemClock`] by default.
//! - [`CallbackConfig`]: where and how the mock sends ZEGO's server callbacks for an app;
//!   [`MockServer::callback_deliveries`] shows what was sent.
//! - [`Engine`]: the same request pipeline without a socket ([`Engine::handle`] an
//!   [`Incoming`] request, get an [`Answer`]); [`signed_query`] builds a signed request.
//! - [`Action`]: every action served, by its wire name; [`AppConfig`] and [`Env`]: the apps and
//!   their production and test environments; [`DEV_APP_ID`] and [`DEV_SERVER_SECRET`]: the
//!   development app a mock serves when given none.
//!
//! ```
//! use zego_mock::{signed_query, Clock, ManualClock, MockServer, DEV_APP_ID, DEV_SERVER_SECRET};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let clock = ManualClock::at_secs(1_700_000_000);
//! let server = MockServer::builder().clock(clock.clone()).start().await;
//!
//! // The same pipeline the socket uses, called directly.
//! let query = signed_query(DEV_APP_ID, DEV_SERVER_SECRET, "CreatCDNTransferRule",
//!     clock.now_secs(), "4fd24687296dd9f3",
//!     &[("StreamId", "s1"), ("CDNUrl", "rtmp://cdn.example.com/live/s1"), ("Sequence", "1")]);
//! let answer = server.engine().handle(zego_mock::Incoming::get(query.as_bytes()));
//! assert_eq!(answer.code, 0);
//! let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
//! assert_eq!(body["Message"], "ok");
//! assert_eq!(body["Data"], serde_json::Value::Null);
//! # }
//! ```

mod actions;
mod admin;
mod callbacks;
mod clock;
mod codes;
mod config;
mod control;
mod engine;
mod gateway;
mod log;
mod md5_short;
mod pipeline;
mod query;
mod refusal;
mod request;
mod server;
// What an action is, as data: the binary's `--help` and the tests read it; not an interface.
#[doc(hidden)]
pub mod spec;
mod state;
mod tls;
// ZEGO's UTC timestamps, shared with the binary and the conformance kit; not an interface.
#[doc(hidden)]
pub mod utc;

pub use actions::media::{CdnBan, MediaState, PublishError, RelayRule, RelayRules, StreamRecord};
pub use actions::media_file::{
    FailTaskError, FileSource, MediaConfig, MediaFile, MediaFileState, MediaTask, MediaTaskTiming,
    MediaTaskView, MediaView, Recording, SeedFile, TaskFailure, TaskWork, Vendor,
};
pub use actions::mixing::{
    MixInput, MixKind, MixOutput, MixTask, MixTaskView, MixingState, TranscodeTask,
};
pub use actions::moderation::{
    CensorControlError, CensorKind, CensorResult, CensorTask, CensorTaskView, EndReason,
    IdentifyToken, ModerationState, TokenCheck,
};
pub use actions::room::{
    ClientRefusal, LogoutReason, MessageRecord, Room, RoomState, RoomStream, RoomUser, RoomView,
    StreamRule, StreamSource, UserRule, UserSpec,
};
pub use actions::scene::{SceneState, SceneTemplate};
pub use actions::Action;
pub use callbacks::config::{
    default_callback_secret, CallbackConfig, CallbackFormat, DEFAULT_CALLBACK_TIMEOUT_MS,
    DEFAULT_DELIVERY_CAPACITY, DEFAULT_RETRY_DELAYS_S, MAX_CALLBACK_URL_BYTES,
};
pub use callbacks::deliver::{
    Attempt, Delivery, DeliveryFilter, DeliveryState, FlushReport, Outcome, SignatureInput,
};
pub use callbacks::{sign as callback_signature, Category};
pub use clock::{Clock, ControlClock, ManualClock, SharedClock, SystemClock};
pub use config::{mask_app_arg, AppConfig, Env, Secret, DEV_APP_ID, DEV_SERVER_SECRET};
pub use control::{
    generate_token as generate_admin_token, AccessDenied, ControlAccess, CoverageLine,
    CoverageSummary, Fault, FaultKind, FaultSpec, FaultWhen, JournalEntry, JournalFilter,
    DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_CAPACITY, JOURNAL_BODY_LIMIT, JOURNAL_HOST_LIMIT,
    JOURNAL_PARAM_LIMIT, JOURNAL_QUERY_LIMIT, MAX_JOURNAL_CAPACITY,
};
pub use engine::{Engine, Options};
pub use gateway::{nonce, sign, signed_query};
pub use log::REQUEST_TARGET;
pub use query::encode as percent_encode;
pub use refusal::{Check, Refusal};
pub use request::{Answer, Incoming, MOCK_HTTP_ERROR_CODE};
pub use server::{
    serve, serve_with_tls, Expectation, ExpectationStatus, MockServer, MockServerBuilder,
    ServeOptions, BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, MAX_EXPECTATIONS, SHUTDOWN_GRACE,
    TLS_HANDSHAKE_TIMEOUT, WRITE_TIMEOUT,
};
#[doc(hidden)]
pub use spec::ActionSpec;
pub use state::{EnvState, Event, Features, Footprint, Pending};
pub use tls::{
    default_data_dir, is_zego_api_host, CaError, LocalCa, ServerTls, CA_CERT_FILE, CA_KEY_FILE,
    ZEGO_API_HOSTS,
};
