//! `zego-mock`: an offline mock of ZEGOCLOUD's Server API v2 (`https://rtc-api.zego.im/?Action=...`).
//!
//! It checks what the real service checks, as documented: the gateway's common parameters and
//! their codes, the MD5 signature, the 10-minute timestamp window, each action's rate limit,
//! parameter formats and the Sequence order rule; and it remembers state (relay rules, bans)
//! per app and environment. All time comes from an injectable [`Clock`], so tests freeze and
//! move it instead of sleeping.
//!
//! Run it as a binary (`cargo run -p zego-mock`), or in-process from Rust tests:
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
mod pipeline;
mod query;
mod refusal;
mod request;
mod server;
pub mod spec;
mod state;
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
    CoverageLine, CoverageSummary, Fault, FaultKind, FaultSpec, FaultWhen, JournalEntry,
    JournalFilter, DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_CAPACITY, JOURNAL_BODY_LIMIT,
    JOURNAL_PARAM_LIMIT, JOURNAL_QUERY_LIMIT, MAX_JOURNAL_CAPACITY,
};
pub use engine::{Engine, Options};
pub use gateway::{nonce, sign, signed_query};
pub use query::encode;
pub use refusal::{Check, Refusal};
pub use request::{Answer, Incoming, MOCK_HTTP_ERROR_CODE};
pub use server::{
    serve, Expectation, MockServer, MockServerBuilder, ServeOptions, BODY_READ_TIMEOUT,
    HEADER_READ_TIMEOUT, SHUTDOWN_GRACE,
};
pub use spec::ActionSpec;
pub use state::{EnvState, Event, Features, Footprint};
