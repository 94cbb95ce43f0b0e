//! The client against the in-process `zego-mock`: the happy path of every action the mock
//! implements, and each class of error: authentication, unknown app, timestamp skew (the client's
//! injectable clock against the mock's `ManualClock`), Sequence order, throttling with and without
//! retries, transport and decode failures.

// Room signaling's happy paths (`against_mock/rooms.rs`) use the mock's room control plane
// (`login`, `logout`, `publish_in_room`, `rooms`, `messages`).
#[path = "against_mock/rooms.rs"]
mod rooms;

// Stream mixing's happy paths (`against_mock/mixing.rs`) publish their inputs through the mock's
// control plane and count its tasks (`mix_tasks`).
#[path = "against_mock/mixing.rs"]
mod mixing;

// The happy paths of the media-file, moderation and scene actions (`against_mock/media_files.rs`,
// `moderation.rs`, `scene.rs`) follow `SPEC-rest-callbacks.md`.
#[path = "against_mock/media_files.rs"]
mod media_files;
#[path = "against_mock/moderation.rs"]
mod moderation;
#[path = "against_mock/scene.rs"]
mod scene;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zego_client::{
    ClearCdnTransferRuleRequest, Client, ClientBuilder, CreatCdnTransferRuleRequest,
    DeleteCdnTransferRuleRequest, DescribeRtcStreamStateRequest, Error, ErrorCode,
    ForbidCdnLiveStreamRequest, ForbidRtcStreamRequest, ForbidRtcStreamsRequest,
    QueryForbidCdnLiveStreamRequest, ResumeCdnLiveStreamRequest, ResumeRtcStreamRequest,
    ResumeRtcStreamsRequest, RetryPolicy, RtmpDispatchRequest, RtmpDispatchType,
    RtmpDispatchV2Request,
};
use zego_mock::{Clock as _, Env, ManualClock, MockServer, DEV_APP_ID, DEV_SERVER_SECRET};

/// A whole second, so that the mock's one-second rate-limit window starts here.
const T: i64 = 1_700_000_000;

/// A mock frozen at `T`.
async fn frozen_mock() -> (MockServer, ManualClock) {
    let clock = ManualClock::at_secs(T);
    let server = MockServer::builder().clock(clock.clone()).start().await;
    (server, clock)
}

/// A client of the mock's development app that signs with the mock's own time.
fn builder(server: &MockServer, clock: &ManualClock) -> ClientBuilder {
    let clock = clock.clone();
    Client::builder()
        .app_id(DEV_APP_ID)
        .server_secret(DEV_SERVER_SECRET)
        .base_url(server.uri())
        .clock(move || clock.now_millis())
}

fn client(server: &MockServer, clock: &ManualClock) -> Client {
    builder(server, clock).build().expect("valid client")
}

fn rtmp(stream: &str) -> String {
    format!("rtmp://push.example.com/live/{stream}?auth=a+b")
}

// -------------------------------------------------------------------------------------------
// Happy paths

/// Calls `action` the way an application would and checks the documented answer.
async fn happy_path(server: &MockServer, client: &Client, action: &str) -> Result<(), Error> {
    let stream = format!("happy-{}", action.to_ascii_lowercase());
    match action {
        "CreatCDNTransferRule" => {
            let r = client
                .creat_cdn_transfer_rule(
                    CreatCdnTransferRuleRequest::new(&stream).cdn_url(rtmp(&stream)),
                )
                .await?;
            assert_eq!(r.message, "ok");
            assert!(!r.request_id.is_empty());
            let rules = server.state(DEV_APP_ID, Env::Production).media.relay_rules;
            assert!(
                rules
                    .iter()
                    .any(|r| r.stream_id == stream && r.cdn_url.as_deref() == Some(&rtmp(&stream))),
                "the mock did not record the rule (so CDNUrl did not arrive intact): {rules:?}"
            );
        }
        "DeleteCDNTransferRule" => {
            client
                .creat_cdn_transfer_rule(
                    CreatCdnTransferRuleRequest::new(&stream).cdn_url(rtmp(&stream)),
                )
                .await?;
            // "The relay address must be consistent (parameters may differ)."
            let same_address = format!("rtmp://push.example.com/live/{stream}?other=1");
            let r = client
                .delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new(&stream, same_address))
                .await?;
            assert_eq!(r.message, "ok");
            let rules = server.state(DEV_APP_ID, Env::Production).media.relay_rules;
            assert!(
                !rules.iter().any(|r| r.stream_id == stream),
                "the rule is still there: {rules:?}"
            );
        }
        "ClearCDNTransferRule" => {
            let r = client
                .clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new(&stream))
                .await?;
            assert_eq!(r.message, "ok");
        }
        "ForbidCDNLiveStream" => {
            let r = client
                .forbid_cdn_live_stream(ForbidCdnLiveStreamRequest::new(&stream))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(r.data.first().map(|d| d.cdn_type.as_str()), Some("ws"));
        }
        "ResumeCDNLiveStream" => {
            let r = client
                .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new(&stream))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(r.data.len(), 1);
            assert_eq!(r.data[0].cdn_type, "ws");
            assert_eq!(r.data[0].cdn_result, "success append purge tasks");
        }
        "QueryForbidCDNLiveStream" => {
            // ResumeTime: T + 2 days (at most 30 days ahead are allowed).
            let ban = ForbidCdnLiveStreamRequest::new(&stream).resume_time("2023-11-16T22:13:20Z");
            client.forbid_cdn_live_stream(ban).await?;
            let r = client
                .query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest::default())
                .await?;
            assert_eq!(r.message, "success");
            // The documented Url is the full publishing address, ending in the StreamId.
            let listed = r.data.ws.map(|ws| ws.result_detail).unwrap_or_default();
            assert!(
                listed
                    .iter()
                    .any(|d| d.url.ends_with(&format!("/{stream}"))),
                "{stream} is not listed: {listed:?}"
            );
        }
        "ForbidRTCStream" => {
            let r = client
                .forbid_rtc_stream(ForbidRtcStreamRequest::new(&stream))
                .await?;
            assert_eq!(r.message, "ok");
        }
        "ResumeRTCStream" => {
            let r = client
                .resume_rtc_stream(ResumeRtcStreamRequest::new(&stream))
                .await?;
            assert_eq!(r.message, "ok");
        }
        "ForbidRTCStreams" => {
            let r = client
                .forbid_rtc_streams(ForbidRtcStreamsRequest::new([
                    format!("{stream}-a"),
                    format!("{stream}-b"),
                ]))
                .await?;
            assert_eq!(r.message, "ok");
        }
        "ResumeRTCStreams" => {
            let r = client
                .resume_rtc_streams(ResumeRtcStreamsRequest::new([
                    format!("{stream}-a"),
                    format!("{stream}-b"),
                ]))
                .await?;
            assert_eq!(r.message, "ok");
        }
        "DescribeRTCStreamState" => {
            // Nothing publishes this stream: the documented answer is 41004.
            let err = client
                .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(&stream))
                .await
                .expect_err("no such stream");
            assert_eq!(err.code(), Some(ErrorCode::StreamNotFound), "{err}");
            // Live, then closed: both are successful queries.
            let env = zego_mock::Env::Production;
            server
                .start_publishing(zego_mock::DEV_APP_ID, env, &stream)
                .expect("publish");
            let live = client
                .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(&stream))
                .await?;
            assert_eq!(live.code, 0);
            assert!(
                live.data.is_live() && !live.data.create_time.is_empty(),
                "{live:?}"
            );
            assert!(server.stop_publishing(zego_mock::DEV_APP_ID, env, &stream));
            let closed = client
                .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(&stream))
                .await?;
            assert_eq!(closed.code, 41006);
            assert!(!closed.data.is_live(), "{closed:?}");
        }
        "RTMPDispatchV2" => {
            let r = client
                .rtmp_dispatch_v2(
                    RtmpDispatchV2Request::new(&stream, RtmpDispatchType::Push)
                        .client_ip("119.23.242.129"),
                )
                .await?;
            assert_eq!(r.message, "ok");
            assert_eq!(r.data.len(), 1);
            assert!(
                r.data[0].starts_with("rtmp://") && r.data[0].ends_with(&format!("/{stream}")),
                "{:?}",
                r.data
            );
        }
        "RTMPDispatch" => {
            let r = client
                .rtmp_dispatch(RtmpDispatchRequest::new(&stream, RtmpDispatchType::Pull))
                .await?;
            assert_eq!(r.message, "ok");
            let node = &r.data[0];
            let (ip, port) = node.rsplit_once(':').expect("IP:Port");
            assert!(ip.parse::<std::net::Ipv4Addr>().is_ok(), "{node}");
            assert!(port.parse::<u16>().is_ok(), "{node}");
        }
        room if rooms::ACTIONS.contains(&room) => rooms::happy_path(server, client, room).await?,
        mix if mixing::ACTIONS.contains(&mix) => mixing::happy_path(server, client, mix).await?,
        file if media_files::ACTIONS.contains(&file) => {
            media_files::happy_path(server, client, file).await?;
        }
        censor if moderation::ACTIONS.contains(&censor) => {
            moderation::happy_path(server, client, censor).await?;
        }
        scene if scene::ACTIONS.contains(&scene) => {
            scene::happy_path(server, client, scene).await?
        }
        other => panic!("no happy path for {other}"),
    }
    Ok(())
}

#[tokio::test]
async fn every_action_the_mock_implements_succeeds() {
    let (server, clock) = frozen_mock().await;
    let client = client(&server, &clock);
    let mut ran = 0;
    for &action in zego_client::ACTIONS {
        if zego_mock::Action::from_wire(action).is_none() {
            println!("note: skipping {action}: the mock does not implement it yet");
            continue;
        }
        happy_path(&server, &client, action)
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        ran += 1;
    }
    assert!(
        ran >= 2,
        "the mock implements at least CreatCDNTransferRule and ResumeCDNLiveStream"
    );
}

#[tokio::test]
async fn the_test_environment_is_a_separate_world_with_prefixed_stream_ids() {
    let (server, clock) = frozen_mock().await;
    let client = builder(&server, &clock)
        .test_environment(true)
        .build()
        .expect("valid");
    let stream = format!("zegotest-{DEV_APP_ID}-relay");

    client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(&stream).cdn_url(rtmp("x")))
        .await
        .expect("prefixed StreamId");
    let err = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("relay").cdn_url(rtmp("x")))
        .await
        .expect_err("unprefixed StreamId");

    assert_eq!(err.code(), Some(ErrorCode::InvalidStreamId));
    assert!(!err.is_retryable());
    let test_rules = server.state(DEV_APP_ID, Env::Test).media.relay_rules;
    assert_eq!(test_rules.len(), 1);
    assert_eq!(test_rules[0].stream_id, stream);
    assert!(server
        .state(DEV_APP_ID, Env::Production)
        .media
        .relay_rules
        .is_empty());
}

// -------------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn a_wrong_secret_is_an_auth_error() {
    let (server, clock) = frozen_mock().await;
    let client = builder(&server, &clock)
        .server_secret("ffffffffffffffffffffffffffffffff")
        .build()
        .expect("valid");

    let err = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("s").cdn_url(rtmp("s")))
        .await
        .expect_err("wrong secret");

    assert_eq!(err.code(), Some(ErrorCode::SignatureError));
    assert_eq!(err.code().map(ErrorCode::as_i64), Some(100_000_005));
    assert!(err.is_auth());
    assert!(!err.is_throttling() && !err.is_retryable() && !err.is_transport());
    let api = err.api_error().expect("API error");
    assert!(!api.request_id().is_empty());
    assert!(!api.message().is_empty());
    // The same, straight from the error.
    assert_eq!(err.message(), Some("Signature error."));
    assert_eq!(err.request_id(), Some(api.request_id()));
    assert!(!format!("{err:?}{err}").contains("ffffffffffffffffffffffffffffffff"));
    assert!(server
        .state(DEV_APP_ID, Env::Production)
        .media
        .relay_rules
        .is_empty());
}

#[tokio::test]
async fn legacy_codes_are_auth_errors_in_their_own_family() {
    let clock = ManualClock::at_secs(T);
    let server = MockServer::builder()
        .clock(clock.clone())
        .legacy_codes(true)
        .start()
        .await;
    let client = builder(&server, &clock)
        .server_secret("not-the-secret")
        .build()
        .expect("valid");

    let relay = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("s"))
        .await
        .expect_err("wrong secret");
    let cdn = client
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("s"))
        .await
        .expect_err("wrong secret");

    assert_eq!(relay.code(), Some(ErrorCode::RelayAuthenticationFailed));
    assert!(relay.is_auth());
    assert_eq!(cdn.code(), Some(ErrorCode::CdnLiveAuthenticationFailed));
    assert!(cdn.is_auth());
}

#[tokio::test]
async fn an_unknown_app_is_an_auth_error() {
    let (server, clock) = frozen_mock().await;
    let client = builder(&server, &clock).app_id(42).build().expect("valid");

    let err = client
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("s"))
        .await
        .expect_err("unknown app");

    assert_eq!(err.code(), Some(ErrorCode::ServerSecretNotFound));
    assert!(err.is_auth() && !err.is_retryable());
}

#[tokio::test]
async fn a_client_clock_more_than_ten_minutes_off_is_refused() {
    let (server, mock_clock) = frozen_mock().await;
    let skewed = |offset_secs: i64| {
        Client::builder()
            .app_id(DEV_APP_ID)
            .server_secret(DEV_SERVER_SECRET)
            .base_url(server.uri())
            .clock(move || (T + offset_secs) * 1000)
            .build()
            .expect("valid")
    };

    for offset in [601, -601, 3600] {
        let err = skewed(offset)
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(format!("skew{offset}")))
            .await
            .expect_err("too far off");
        assert_eq!(err.code(), Some(ErrorCode::SignatureExpired), "{offset}");
        assert!(err.is_auth() && !err.is_retryable(), "{offset}");
    }
    for offset in [600, -600] {
        skewed(offset)
            // Separate streams: the two clocks' automatic Sequences are 1200 s apart.
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(format!("ok{offset}")))
            .await
            .unwrap_or_else(|e| panic!("{offset} s is within the window: {e}"));
    }
    // The mock's clock did not move: the skew came from the client's clock alone.
    assert_eq!(mock_clock.now_secs(), T);
}

// -------------------------------------------------------------------------------------------
// Sequence

#[tokio::test]
async fn automatic_sequences_keep_one_stream_in_order_and_a_repeated_explicit_one_is_refused() {
    let (server, clock) = frozen_mock().await;
    let client = client(&server, &clock);

    // The clock stands still, yet each automatic Sequence is greater than the last.
    for _ in 0..3 {
        client
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("ordered").cdn_url(rtmp("o")))
            .await
            .expect("increasing Sequence");
    }
    client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("explicit").sequence(10))
        .await
        .expect("first use");
    let err = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("explicit").sequence(10))
        .await
        .expect_err("not greater than the last");

    assert_eq!(err.code(), Some(ErrorCode::InvalidRequest));
    assert!(!err.is_retryable() && !err.is_auth());
}

// -------------------------------------------------------------------------------------------
// Throttling

#[tokio::test]
async fn the_eleventh_relay_rule_in_one_second_is_throttled() {
    let (server, clock) = frozen_mock().await;
    let client = client(&server, &clock);

    for i in 0..10 {
        client
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(format!("r{i}")))
            .await
            .unwrap_or_else(|e| panic!("call {i} is within 10/s: {e}"));
    }
    let err = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("r10"))
        .await
        .expect_err("11th in the same second");

    assert_eq!(err.code(), Some(ErrorCode::MediaServiceRateLimited));
    assert!(err.is_throttling() && err.is_retryable() && !err.is_auth());
    assert_eq!(err.attempts(), 1, "no retry policy, no retry");

    // A new second is a new window.
    clock.advance(Duration::from_secs(1));
    client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("r10"))
        .await
        .expect("next second");
}

#[tokio::test]
async fn the_cdn_live_stream_family_throttles_with_code_seven() {
    let (server, clock) = frozen_mock().await;
    let client = client(&server, &clock);

    for i in 0..20 {
        client
            .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new(format!("c{i}")))
            .await
            .unwrap_or_else(|e| panic!("call {i} is within 20/s: {e}"));
    }
    let err = client
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("c20"))
        .await
        .expect_err("21st in the same second");

    assert_eq!(err.code(), Some(ErrorCode::CdnLiveRateLimited));
    assert!(err.is_throttling() && err.is_retryable());
}

#[tokio::test]
async fn with_retries_a_throttled_call_goes_through_once_the_mock_clock_moves() {
    // Arrange: a mock frozen at T and a client that signs with the mock's own time. The client
    // reads its clock exactly once per attempt, and it signs a retry only after the first
    // attempt was answered and the backoff slept. Once armed, the clock below moves the mock one
    // second forward at its second reading: after the throttled answer, before the retry goes
    // out. No wall-clock timing is involved.
    let (server, mock_clock) = frozen_mock().await;
    let armed = Arc::new(AtomicBool::new(false));
    let readings = Arc::new(AtomicU32::new(0));
    let clock = {
        let (mock_clock, armed, readings) = (mock_clock.clone(), armed.clone(), readings.clone());
        move || {
            if armed.load(Ordering::SeqCst) && readings.fetch_add(1, Ordering::SeqCst) == 1 {
                mock_clock.advance(Duration::from_secs(1));
            }
            mock_clock.now_millis()
        }
    };
    let client = Client::builder()
        .app_id(DEV_APP_ID)
        .server_secret(DEV_SERVER_SECRET)
        .base_url(server.uri())
        .clock(clock)
        .retry_policy(
            RetryPolicy::standard()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(1)),
        )
        .build()
        .expect("valid");
    for i in 0..10 {
        client
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(format!("w{i}")))
            .await
            .unwrap_or_else(|e| panic!("call {i} is within 10/s: {e}"));
    }

    // Act: the 11th call of the second.
    armed.store(true, Ordering::SeqCst);
    let answer = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("w10").cdn_url(rtmp("w10")))
        .await;

    // Assert: two attempts, the second in the next second, and the rule exists.
    let answer = answer.expect("carried through by the retry");
    assert_eq!(answer.message, "ok");
    assert_eq!(readings.load(Ordering::SeqCst), 2, "exactly one retry");
    assert_eq!(mock_clock.now_secs(), T + 1);
    let rules = server.state(DEV_APP_ID, Env::Production).media.relay_rules;
    assert_eq!(rules.len(), 11);
    assert!(rules.iter().any(|r| r.stream_id == "w10"));
}

#[tokio::test]
async fn retries_give_up_when_the_window_never_reopens() {
    let (server, clock) = frozen_mock().await;
    let client = builder(&server, &clock)
        .retry_policy(
            RetryPolicy::standard()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("valid");
    for i in 0..10 {
        client
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(format!("g{i}")))
            .await
            .unwrap_or_else(|e| panic!("call {i}: {e}"));
    }

    let err = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("g10"))
        .await
        .expect_err("the mock's clock never moves");

    assert!(err.is_throttling());
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

// -------------------------------------------------------------------------------------------
// Transport and decode

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = Client::builder()
        .app_id(DEV_APP_ID)
        .server_secret(DEV_SERVER_SECRET)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("valid");

    let err = client
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("s"))
        .await
        .expect_err("nobody listens");

    assert!(err.is_transport() && !err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.is_decode() && !err.is_auth() && err.code().is_none());
    assert_eq!(err.action(), Some("ResumeCDNLiveStream"));
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    // A listener that accepts connections and never writes a byte.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("addr");
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = Client::builder()
        .app_id(DEV_APP_ID)
        .server_secret(DEV_SERVER_SECRET)
        .base_url(format!("http://{address}"))
        .timeout(Duration::from_millis(200))
        .build()
        .expect("valid");

    let err = client
        .forbid_rtc_stream(ForbidRtcStreamRequest::new("s"))
        .await
        .expect_err("no answer");

    assert!(
        err.is_timeout() && err.is_transport() && err.is_retryable(),
        "{err:?}"
    );
    silent.abort();
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error_with_the_body_kept() {
    use wiremock::matchers::method;
    use wiremock::{Mock, ResponseTemplate};
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("upstream said: no"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .app_id(DEV_APP_ID)
        .server_secret(DEV_SERVER_SECRET)
        .base_url(server.uri())
        .build()
        .expect("valid");

    let err = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("s"))
        .await
        .expect_err("not JSON");

    assert!(
        err.is_decode() && !err.is_transport() && !err.is_retryable(),
        "{err:?}"
    );
    assert_eq!(err.body(), Some(&b"upstream said: no"[..]));
    assert_eq!(err.status(), Some(200));
    assert!(
        std::error::Error::source(&err).is_some(),
        "the JSON error is kept as the source"
    );
}

#[tokio::test]
async fn an_https_base_url_speaks_tls() {
    // The mock serves plain HTTP: a client that speaks TLS to it fails in the handshake, a
    // transport error, before any HTTP answer could be decoded.
    let (server, clock) = frozen_mock().await;
    let https = server.uri().replacen("http://", "https://", 1);
    let client = builder(&server, &clock)
        .base_url(&https)
        .build()
        .expect("valid");

    let err = client
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("s"))
        .await
        .expect_err("no TLS on the other side");

    assert!(err.is_transport() && !err.is_decode(), "{err:?}");
}

#[tokio::test]
async fn get_raw_sends_the_query_as_given() {
    let server = zego_mock::MockServer::start().await;
    let client = zego_client::Client::builder()
        .app_id(zego_mock::DEV_APP_ID)
        .server_secret(zego_mock::DEV_SERVER_SECRET)
        .base_url(server.uri())
        .build()
        .expect("client");
    let raw = client
        .get_raw("Action=NoSuchAction")
        .await
        .expect("answered");
    assert_eq!(raw.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&raw.body).expect("json");
    assert_eq!(v["Code"], 100000007);
    let sent = server.received();
    assert_eq!(
        sent.last().expect("journaled").params,
        vec![("Action".to_string(), "NoSuchAction".to_string())]
    );
}
