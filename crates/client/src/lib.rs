//! `zego-client`: a typed async client for ZEGOCLOUD's Server API v2
//! (`https://rtc-api.zego.im/?Action=...`): the media-service actions (CDN relay rules, CDN and
//! RTC stream bans, stream state, RTMP dispatch), the room-signaling actions (room messages,
//! users, room streams, closing rooms, kicking users out, user and stream ban rules), the
//! stream-mixing actions (mixing tasks, automatic audio mixing of a room, single-stream
//! transcoding), the media-file actions (CDN recording, searching and deleting recorded files,
//! merge, transcode and thumbnail tasks), the stream-moderation actions (Shumei audio and video
//! moderation of a room, identify tokens for third-party moderation) and the scene action
//! (custom scene templates, served by `https://metaworld-api.zego.im`).
//!
//! - One method per action, with typed requests and responses named after the documented
//!   parameters: [`Client::creat_cdn_transfer_rule`], [`Client::forbid_rtc_streams`],
//!   [`Client::describe_rtc_stream_state`], [`Client::send_broadcast_message`],
//!   [`Client::describe_user_list`], [`Client::set_forbid_user_rule`], [`Client::start_mix`],
//!   [`Client::start_cdn_record`], [`Client::search_media`], [`Client::start_censor_audio_v2`],
//!   [`Client::set_scene_template`], ... [`ACTIONS`] lists the wire names of them all.
//! - Every request is signed (`SignatureVersion=2.0`, see [`sign`]) with a fresh random nonce
//!   and the current timestamp; actions that take a `Sequence` get a strictly increasing one
//!   automatically ([`Client::next_sequence`]) unless the request sets its own.
//! - Two wire forms, chosen by the action's HTTP method. A `GET` action sends everything in the
//!   query, arrays as the name repeated with brackets (`StreamId[]=a&StreamId[]=b`,
//!   `UserId[]=a&UserId[]=b`), arrays of objects in the media-file pages' indexed-dot form
//!   (`HandleMediaArgs.0.FileId=..&HandleMediaArgs.0.StartTime=0.5`, indices from 0), unset
//!   options left out. A `POST` action sends the signed common parameters in the query and the
//!   request as a JSON body (`Content-Type: application/json`): nested objects and arrays as
//!   serde serializes them, unset options left out rather than sent as `null`, and the automatic
//!   `Sequence` inside the body. The stream-mixing actions are
//!   `POST`s (except GetMixTaskInfo); their `Sequence` is the task's own ordering number, sent
//!   only when the request sets it. So are the starts and stops of stream moderation.
//! - Vendor-keyed answers: a media-file action's `Data` holds the answer of the CDN vendor the
//!   request named under its key; its type has one `Option` per vendor
//!   ([`CdnRecordResult::tencent`], [`CdnRecordResult::ws`], ...), typed as the pages type each.
//! - Success is `Code` 0 (or a code the action documents as successful), whatever the `Message`
//!   (`"ok"`, `"success"`, SetSceneTemplate's `"succeed"`).
//! - HTTPS through rustls (no OpenSSL), plain HTTP for a local mock.
//! - One opaque [`Error`] that says where a call failed (never built, transport, undecodable
//!   answer, or a ZEGO [`ApiError`] with its [`ErrorCode`]), with predicates such as
//!   [`Error::is_throttling`] and [`Error::is_retryable`].
//! - Codes read in the action's [`Family`]: the same number means different things in different
//!   families (3 is "Authentication failed." for the CDN live-stream actions and "Input parameter
//!   length too long." for room signaling), so [`ErrorCode::lookup`] and the predicates take the
//!   family; the gateway's `1000000xx` codes mean the same everywhere. Variants are named by
//!   meaning ([`ErrorCode::MediaServiceRateLimited`], [`ErrorCode::RoomNotFound`], ...), and
//!   [`ErrorCode::as_i64`] gives the number.
//! - An opt-in [`RetryPolicy`]: capped exponential backoff with jitter, each retry signed anew.
//! - [`Client::send_raw`] (and [`Client::get_raw`]) for what the typed methods cannot express:
//!   any method, a query as given, an optional JSON body, the answer undecoded.
//! - [`callback`]: checking the signature of ZEGO's server callbacks where they are received
//!   ([`callback::verify`], [`callback::verify_body`]).
//!
//! # The table of operations
//!
//! Every action the client covers is one line of a table inside the crate (`src/actions.rs`):
//! its method name, request type and `Data` type, its HTTP method and wire name, its code family,
//! whether it takes a `Sequence`, and its rate limit. The line generates the action's method on
//! [`Client`] with its documentation (the rate limit included), the request type's explicit
//! `sequence` setter where there is a Sequence, and its entry in [`ACTIONS`]. Adding an action is
//! its request type and `Data` type in its family's module and one line in the table.
//!
//! Calls run on Tokio: make them from within a Tokio runtime.
//!
//! Against a local mock of the API (here `zego-mock`, in-process):
//!
//! ```
//! use zego_client::{
//!     Client, CreatCdnTransferRuleRequest, ErrorCode, Family, ResumeCdnLiveStreamRequest,
//! };
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), zego_client::Error> {
//! let server = zego_mock::MockServer::start().await;
//! let client = Client::builder()
//!     .app_id(zego_mock::DEV_APP_ID)
//!     .server_secret(zego_mock::DEV_SERVER_SECRET)
//!     .base_url(server.uri())
//!     .build()?;
//!
//! let answer = client
//!     .creat_cdn_transfer_rule(
//!         CreatCdnTransferRuleRequest::new("stream-1")
//!             .cdn_url("rtmp://push.example.com/live/stream-1"),
//!     )
//!     .await?;
//! assert_eq!(answer.message, "ok");
//!
//! // A wrong secret: ZEGO answers "Signature error.", and the error says so.
//! let wrong = Client::builder()
//!     .app_id(zego_mock::DEV_APP_ID)
//!     .server_secret("not-the-secret")
//!     .base_url(server.uri())
//!     .build()?;
//! let err = wrong
//!     .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("stream-1"))
//!     .await
//!     .unwrap_err();
//! assert!(err.is_auth());
//! assert_eq!(err.code(), Some(ErrorCode::SignatureError));
//! // ResumeCDNLiveStream's codes are read in the older CDN live-stream set.
//! assert_eq!(err.api_error().map(|e| e.family()), Some(Family::CdnLive));
//! # Ok(())
//! # }
//! ```
//!
//! Against the real service, in its Singapore region, retrying throttled calls:
//!
//! ```no_run
//! use zego_client::{Client, ForbidRtcStreamRequest, Region, RetryPolicy};
//!
//! # async fn run() -> Result<(), zego_client::Error> {
//! let client = Client::builder()
//!     .app_id(1234567890)
//!     .server_secret(std::env::var("ZEGO_SERVER_SECRET").unwrap_or_default())
//!     .region(Region::Singapore)
//!     .retry_policy(RetryPolicy::standard())
//!     .build()?;
//!
//! match client.forbid_rtc_stream(ForbidRtcStreamRequest::new("stream-1")).await {
//!     Ok(answer) => println!("forbidden (RequestId {})", answer.request_id),
//!     Err(e) if e.is_throttling() => eprintln!("still throttled after retries: {e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(())
//! # }
//! ```

mod actions;
pub mod callback;
mod client;
mod clock;
mod codes;
mod error;
mod media;
mod media_file;
mod mixing;
mod moderation;
mod retry;
mod room;
mod scene;
mod signing;
mod wire;

pub use actions::ACTIONS;
pub use client::{
    Client, ClientBuilder, RawResponse, Region, Response, DEFAULT_BASE_URL, DEFAULT_TIMEOUT,
};
pub use clock::{SigningClock, WallClock};
pub use codes::{ErrorCode, Family};
pub use error::{ApiError, Error};
// Every public request and `Data` type of a family module is part of the crate's face.
pub use media::*;
pub use media_file::*;
pub use mixing::*;
pub use moderation::*;
pub use retry::RetryPolicy;
pub use room::*;
pub use scene::*;
pub use signing::sign;
