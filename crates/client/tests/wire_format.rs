//! The exact wire format of every action, pinned against a wiremock server: `GET /`, the common
//! parameters, a signature this test recomputes on its own, each action's business parameters,
//! percent-encoding, `IsTest`, and the re-signing of retries.

use crate::common;

use common::{fixture, md5_hex, Query};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zego_client::{
    AddStreamRequest, CensorFlag, ClearCdnTransferRuleRequest, Client, CloseRoomRequest,
    CreatCdnTransferRuleRequest, DelForbidStreamRuleRequest, DelForbidUserRuleRequest,
    DeleteCdnTransferRuleRequest, DeleteStreamRequest, DescribeForbidStreamRulesRequest,
    DescribeForbidUserRulesRequest, DescribeRtcStreamStateRequest, DescribeSimpleStreamListRequest,
    DescribeUserListRequest, DescribeUserNumRequest, DescribeUsersRequest, DisabledPrivilege,
    ErrorCode, ForbidCdnLiveStreamRequest, ForbidRtcStreamRequest, ForbidRtcStreamsRequest,
    ForbidRuleType, KickoutUserRequest, MessageCategory, QueryForbidCdnLiveStreamRequest,
    ResumeCdnLiveStreamRequest, ResumeRtcStreamRequest, ResumeRtcStreamsRequest, RetryPolicy,
    SendBarrageMessageRequest, SendBroadcastMessageRequest, SendCustomCommandRequest,
    SetForbidStreamRuleRequest, SetForbidUserRuleRequest, UserListMode,
};
use zego_client::{
    AutoMixInput, AutoMixOutput, BlurInfo, ExPara, ExtraLayer, GetMixTaskInfoRequest, LabelFont,
    MixImage, MixInput, MixLabel, MixOutput, ModifyType, RectInfo, StartAutoMixRequest,
    StartCloudTranscodeRequest, StartMixRequest, StopAutoMixRequest, StopCloudTranscodeRequest,
    StopMixRequest, TargetRoom, TemplateConfig, TranscodeInput, TranscodeOutput, WaterMark,
    WaterMarkRect,
};
use zego_client::{
    CdnVendor, CensorAudioParam, CensorVideoParam, DeleteMediaRequest, DescribeMediaTaskRequest,
    GenerateIdentifyTokenRequest, HandleMediaArg, MediaResolution, MediaThumbnailsRequest,
    MediaToDelete, MergeFormat, MergeMediaRequest, SearchMediaRequest, SetSceneTemplateRequest,
    StartCdnRecordRequest, StartCensorAudioV2Request, StartCensorVideoV2Request,
    StopCdnRecordRequest, StopCensorAudioV2Request, StopCensorVideoV2Request, ThumbnailType,
    TranscodeMediaRequest,
};

// ZEGO's documented signature example: AppId, ServerSecret and a time of its Timestamp.
const APP_ID: u32 = 12345;
const SECRET: &str = "9193cc662a4c0ec135ec71fb57194b38";
const NOW_MILLIS: i64 = 1_615_186_943_250;

const COMMON: [&str; 6] = [
    "Action",
    "AppId",
    "Signature",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
];

fn client(uri: &str, test_env: bool) -> Client {
    Client::builder()
        .app_id(APP_ID)
        .server_secret(SECRET)
        .base_url(uri)
        .test_environment(test_env)
        .clock(|| NOW_MILLIS)
        .build()
        .expect("valid client")
}

/// A wiremock answering `action` (and only it) with its documented example.
async fn server_for(action: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .and(query_param("Action", action))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture(action)))
        .mount(&server)
        .await;
    server
}

/// Every request the server received, as decoded queries, after checking `GET /`.
async fn received(server: &MockServer) -> Vec<Query> {
    let requests = server.received_requests().await.expect("recording is on");
    requests
        .iter()
        .map(|r| {
            assert_eq!(r.method.as_str(), "GET");
            assert_eq!(r.url.path(), "/");
            Query::parse(r.url.query().expect("a query"))
        })
        .collect()
}

async fn only_request(server: &MockServer) -> Query {
    let mut all = received(server).await;
    assert_eq!(all.len(), 1, "exactly one request");
    all.remove(0)
}

/// The common parameters: values, nonce format, and the signature recomputed here.
fn assert_common(q: &Query, action: &str, test_env: bool) {
    assert_eq!(q.get("Action"), Some(action));
    assert_eq!(q.get("AppId"), Some("12345"));
    assert_eq!(q.get("Timestamp"), Some("1615186943"));
    assert_eq!(q.get("SignatureVersion"), Some("2.0"));
    let nonce = q.get("SignatureNonce").expect("SignatureNonce");
    assert_eq!(nonce.len(), 16, "nonce {nonce}");
    assert!(
        nonce
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "nonce {nonce} is not lower-case hex"
    );
    let expected = md5_hex(&format!("12345{nonce}{SECRET}1615186943"));
    assert_eq!(q.get("Signature"), Some(expected.as_str()));
    assert_eq!(q.get("IsTest"), test_env.then_some("true"));
    assert!(!q.raw.contains(SECRET), "the secret travelled: {}", q.raw);
}

fn assert_names(q: &Query, business: &[&str], test_env: bool) {
    let mut expected: Vec<&str> = COMMON.iter().chain(business).copied().collect();
    if test_env {
        expected.push("IsTest");
    }
    expected.sort_unstable();
    assert_eq!(q.names(), expected);
}

#[tokio::test]
async fn creat_cdn_transfer_rule() {
    // Arrange
    let server = server_for("CreatCDNTransferRule").await;
    let client = client(&server.uri(), false);
    let url = "rtmp://push.example.com/live/s1?txSecret=a+b/c&txTime=5F";

    // Act
    client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("s1").cdn_url(url))
        .await
        .expect("success");

    // Assert
    let q = only_request(&server).await;
    assert_common(&q, "CreatCDNTransferRule", false);
    assert_names(&q, &["StreamId", "CDNUrl", "Sequence"], false);
    assert_eq!(q.get("StreamId"), Some("s1"));
    assert_eq!(q.get("CDNUrl"), Some(url));
    assert!(
        q.raw.contains(
            "CDNUrl=rtmp%3A%2F%2Fpush.example.com%2Flive%2Fs1%3FtxSecret%3Da%2Bb%2Fc%26txTime%3D5F"
        ),
        "CDNUrl is not URL-encoded: {}",
        q.raw
    );
    // The automatic Sequence is the clock's millisecond time.
    assert_eq!(q.get("Sequence"), Some("1615186943250"));
}

#[tokio::test]
async fn creat_cdn_transfer_rule_without_cdn_url_in_the_test_environment() {
    let server = server_for("CreatCDNTransferRule").await;
    let client = client(&server.uri(), true);

    client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("zegotest-12345-s1").sequence(7))
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "CreatCDNTransferRule", true);
    assert_names(&q, &["StreamId", "Sequence"], true);
    assert_eq!(q.get("Sequence"), Some("7"));
    assert!(q.raw.contains("&IsTest=true"), "{}", q.raw);
}

#[tokio::test]
async fn delete_cdn_transfer_rule() {
    let server = server_for("DeleteCDNTransferRule").await;
    let client = client(&server.uri(), false);

    client
        .delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new(
            "s-2",
            "rtmp://h.example.com/app/s-2",
        ))
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "DeleteCDNTransferRule", false);
    assert_names(&q, &["StreamId", "CDNUrl", "Sequence"], false);
    assert_eq!(q.get("StreamId"), Some("s-2"));
    assert!(
        q.raw
            .contains("CDNUrl=rtmp%3A%2F%2Fh.example.com%2Fapp%2Fs-2"),
        "{}",
        q.raw
    );
    assert_eq!(q.get("Sequence"), Some("1615186943250"));
}

#[tokio::test]
async fn clear_cdn_transfer_rule() {
    let server = server_for("ClearCDNTransferRule").await;
    let client = client(&server.uri(), false);

    client
        .clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new("s3").sequence(99))
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "ClearCDNTransferRule", false);
    assert_names(&q, &["StreamId", "Sequence"], false);
    assert_eq!(q.get("StreamId"), Some("s3"));
    assert_eq!(q.get("Sequence"), Some("99"));
}

#[tokio::test]
async fn forbid_cdn_live_stream_with_and_without_resume_time() {
    let server = server_for("ForbidCDNLiveStream").await;
    let client = client(&server.uri(), false);

    client
        .forbid_cdn_live_stream(
            ForbidCdnLiveStreamRequest::new("live_1").resume_time("2018-11-29T19:00:00Z"),
        )
        .await
        .expect("success");
    client
        .forbid_cdn_live_stream(ForbidCdnLiveStreamRequest::new("live_2"))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    assert_common(&sent[0], "ForbidCDNLiveStream", false);
    assert_names(&sent[0], &["StreamId", "ResumeTime"], false);
    assert_eq!(sent[0].get("StreamId"), Some("live_1"));
    assert_eq!(sent[0].get("ResumeTime"), Some("2018-11-29T19:00:00Z"));
    assert!(
        sent[0].raw.contains("ResumeTime=2018-11-29T19%3A00%3A00Z"),
        "{}",
        sent[0].raw
    );
    // No Sequence on this action, and no empty ResumeTime.
    assert_names(&sent[1], &["StreamId"], false);
}

#[tokio::test]
async fn resume_cdn_live_stream() {
    let server = server_for("ResumeCDNLiveStream").await;
    let client = client(&server.uri(), true);

    client
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("live_1"))
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "ResumeCDNLiveStream", true);
    assert_names(&q, &["StreamId"], true);
    assert_eq!(q.get("StreamId"), Some("live_1"));
}

#[tokio::test]
async fn query_forbid_cdn_live_stream() {
    let server = server_for("QueryForbidCDNLiveStream").await;
    let client = client(&server.uri(), false);

    client
        .query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest::default())
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "QueryForbidCDNLiveStream", false);
    assert_names(&q, &["Vendor"], false);
    assert_eq!(q.get("Vendor"), Some("ws"));
}

#[tokio::test]
async fn forbid_and_resume_rtc_stream() {
    for (action, test_env) in [("ForbidRTCStream", false), ("ResumeRTCStream", true)] {
        let server = server_for(action).await;
        let client = client(&server.uri(), test_env);

        let result = if action == "ForbidRTCStream" {
            client
                .forbid_rtc_stream(ForbidRtcStreamRequest::new("rtc-1"))
                .await
        } else {
            client
                .resume_rtc_stream(ResumeRtcStreamRequest::new("rtc-1"))
                .await
        };
        result.expect("success");

        let q = only_request(&server).await;
        assert_common(&q, action, test_env);
        assert_names(&q, &["StreamId", "Sequence"], test_env);
        assert_eq!(q.get("StreamId"), Some("rtc-1"));
        assert_eq!(q.get("Sequence"), Some("1615186943250"));
    }
}

#[tokio::test]
async fn forbid_and_resume_rtc_streams_send_each_stream_id_with_encoded_brackets() {
    for action in ["ForbidRTCStreams", "ResumeRTCStreams"] {
        let server = server_for(action).await;
        let client = client(&server.uri(), false);
        let ids = ["a", "b_2", "c-3"];

        let result = if action == "ForbidRTCStreams" {
            client
                .forbid_rtc_streams(ForbidRtcStreamsRequest::new(ids))
                .await
        } else {
            client
                .resume_rtc_streams(ResumeRtcStreamsRequest::new(ids).sequence(5))
                .await
        };
        result.expect("success");

        let q = only_request(&server).await;
        assert_common(&q, action, false);
        assert_names(&q, &["StreamId[]", "Sequence"], false);
        assert_eq!(q.array("StreamId"), ids);
        // One documented form: the brackets percent-encoded, never raw, never without brackets.
        assert!(
            q.raw
                .contains("StreamId%5B%5D=a&StreamId%5B%5D=b_2&StreamId%5B%5D=c-3"),
            "{}",
            q.raw
        );
        assert!(!q.raw.contains("StreamId[]"), "{}", q.raw);
        assert!(q.all("StreamId").is_empty());
        let expected_sequence = if action == "ForbidRTCStreams" {
            "1615186943250"
        } else {
            "5"
        };
        assert_eq!(q.get("Sequence"), Some(expected_sequence));
    }
}

#[test]
fn array_parameters_decode_from_either_bracket_form() {
    // ZEGO's samples send the brackets raw and percent-encoded; both read the same.
    let raw = Query::parse("Action=ForbidRTCStreams&StreamId[]=a&StreamId[]=b");
    let encoded = Query::parse("Action=ForbidRTCStreams&StreamId%5B%5D=a&StreamId%5b%5d=b");
    assert_eq!(raw.array("StreamId"), ["a", "b"]);
    assert_eq!(encoded.array("StreamId"), ["a", "b"]);
}

#[tokio::test]
async fn describe_rtc_stream_state() {
    let server = server_for("DescribeRTCStreamState").await;
    let client = client(&server.uri(), false);

    client
        .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new("rtc-9"))
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "DescribeRTCStreamState", false);
    assert_names(&q, &["StreamId", "Sequence"], false);
    assert_eq!(q.get("StreamId"), Some("rtc-9"));
}

#[tokio::test]
async fn every_request_has_a_fresh_nonce_and_automatic_sequences_increase() {
    let server = server_for("ForbidRTCStream").await;
    let client = client(&server.uri(), false);

    for _ in 0..3 {
        client
            .forbid_rtc_stream(ForbidRtcStreamRequest::new("same"))
            .await
            .expect("success");
    }

    let sent = received(&server).await;
    let nonces: std::collections::HashSet<_> =
        sent.iter().map(|q| q.get("SignatureNonce")).collect();
    assert_eq!(nonces.len(), 3, "nonces repeat");
    let sequences: Vec<_> = sent.iter().map(|q| q.get("Sequence")).collect();
    // The clock stands still, so each Sequence is one more than the last.
    assert_eq!(
        sequences,
        [
            Some("1615186943250"),
            Some("1615186943251"),
            Some("1615186943252")
        ]
    );
    for q in &sent {
        assert_common(q, "ForbidRTCStream", false);
    }
}

#[tokio::test]
async fn a_regional_or_prefixed_base_url_keeps_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/zego/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("ForbidRTCStream")))
        .mount(&server)
        .await;
    let client = Client::builder()
        .app_id(APP_ID)
        .server_secret(SECRET)
        .base_url(format!("{}/zego", server.uri()))
        .build()
        .expect("valid");

    client
        .forbid_rtc_stream(ForbidRtcStreamRequest::new("s"))
        .await
        .expect("the request went to /zego/");
}

// -------------------------------------------------------------------------------------------
// Retries re-sign

fn throttling_server_answer() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_string(r#"{"Code":30002,"Message":"API call rate too high.","RequestId":"111"}"#)
}

/// A clock that moves one second forward at every reading.
fn ticking_clock() -> (Arc<AtomicI64>, impl Fn() -> i64 + Send + Sync + 'static) {
    let millis = Arc::new(AtomicI64::new(NOW_MILLIS));
    let shared = millis.clone();
    (millis, move || shared.fetch_add(1_000, Ordering::SeqCst))
}

#[tokio::test]
async fn every_retry_is_signed_afresh_with_a_fresh_automatic_sequence() {
    // Arrange: a server that always throttles.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(throttling_server_answer())
        .mount(&server)
        .await;
    let (_, clock) = ticking_clock();
    let client = Client::builder()
        .app_id(APP_ID)
        .server_secret(SECRET)
        .base_url(server.uri())
        .clock(clock)
        .retry_policy(
            RetryPolicy::standard()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("valid");

    // Act
    let err = client
        .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("s"))
        .await
        .expect_err("always throttled");

    // Assert
    assert!(err.is_throttling());
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.code(), Some(ErrorCode::MediaServiceRateLimited));
    let sent = received(&server).await;
    assert_eq!(sent.len(), 3);
    let nonces: std::collections::HashSet<_> =
        sent.iter().map(|q| q.get("SignatureNonce")).collect();
    assert_eq!(nonces.len(), 3, "a retry reused a nonce");
    let timestamps: Vec<_> = sent.iter().map(|q| q.get("Timestamp")).collect();
    assert_eq!(
        timestamps,
        [Some("1615186943"), Some("1615186944"), Some("1615186945")]
    );
    let sequences: Vec<_> = sent.iter().map(|q| q.get("Sequence")).collect();
    assert_eq!(
        sequences,
        [
            Some("1615186943250"),
            Some("1615186944250"),
            Some("1615186945250")
        ]
    );
    for q in &sent {
        let nonce = q.get("SignatureNonce").expect("nonce");
        let ts = q.get("Timestamp").expect("timestamp");
        let expected = md5_hex(&format!("12345{nonce}{SECRET}{ts}"));
        assert_eq!(q.get("Signature"), Some(expected.as_str()));
    }
}

#[tokio::test]
async fn an_explicit_sequence_is_kept_across_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(throttling_server_answer())
        .mount(&server)
        .await;
    let (_, clock) = ticking_clock();
    let client = Client::builder()
        .app_id(APP_ID)
        .server_secret(SECRET)
        .base_url(server.uri())
        .clock(clock)
        .retry_policy(
            RetryPolicy::standard()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .expect("valid");

    let err = client
        .forbid_rtc_stream(ForbidRtcStreamRequest::new("s").sequence(1234))
        .await
        .expect_err("always throttled");

    assert_eq!(err.attempts(), 2);
    let sent = received(&server).await;
    let sequences: Vec<_> = sent.iter().map(|q| q.get("Sequence")).collect();
    assert_eq!(sequences, [Some("1234"), Some("1234")]);
}

#[tokio::test]
async fn errors_that_are_not_retryable_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"Code":100000005,"Message":"Signature error.","RequestId":"222"}"#,
        ))
        .mount(&server)
        .await;
    let client = Client::builder()
        .app_id(APP_ID)
        .server_secret(SECRET)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::standard().initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("valid");

    let err = client
        .clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new("s"))
        .await
        .expect_err("refused");

    assert!(err.is_auth() && !err.is_retryable());
    assert_eq!(err.attempts(), 1);
    assert_eq!(received(&server).await.len(), 1);
}

// -------------------------------------------------------------------------------------------
// The secret stays secret

#[tokio::test]
async fn the_secret_never_shows_in_debug_display_or_errors() {
    let secret = "s3cr3t-do-not-print-0123456789ab";
    let builder = Client::builder().app_id(APP_ID).server_secret(secret);
    assert!(!format!("{builder:?}").contains(secret));

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"Code":100000005,"Message":"Signature error.","RequestId":"333"}"#,
        ))
        .mount(&server)
        .await;
    let client = builder.base_url(server.uri()).build().expect("valid");
    let shown = format!("{client:?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains("***"), "{shown}");

    let err = client
        .forbid_rtc_stream(ForbidRtcStreamRequest::new("s"))
        .await
        .expect_err("refused");
    for text in [format!("{err}"), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!text.contains(secret), "{text}");
    }
    for q in received(&server).await {
        assert!(!q.raw.contains(secret), "{}", q.raw);
    }
}

// -------------------------------------------------------------------------------------------
// Concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_from_many_tasks_never_share_a_sequence() {
    // Arrange
    let server = server_for("ForbidRTCStream").await;
    let client = client(&server.uri(), false);

    // Act: 8 tasks, 10 calls each, all at once, on a clock that stands still.
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let client = client.clone();
            tokio::spawn(async move {
                for i in 0..10 {
                    client
                        .forbid_rtc_stream(ForbidRtcStreamRequest::new(format!("t{t}-{i}")))
                        .await
                        .expect("success");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }

    // Assert: 80 distinct Sequences, exactly the 80 milliseconds from the clock's time on.
    let mut sequences: Vec<u64> = received(&server)
        .await
        .iter()
        .map(|q| {
            q.get("Sequence")
                .expect("Sequence")
                .parse()
                .expect("decimal")
        })
        .collect();
    sequences.sort_unstable();
    let expected: Vec<u64> = (1_615_186_943_250..1_615_186_943_330).collect();
    assert_eq!(sequences, expected);
}

#[tokio::test]
async fn send_raw_delivers_method_content_type_query_and_body_intact() {
    // Arrange: a server that answers anything, so what arrived is what was sent.
    let server = MockServer::start().await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"Code":0}"#))
        .mount(&server)
        .await;
    let client = client(&server.uri(), false);
    let body = br#"{"RoomId":"r 1","UserId":["a","b"],"Nested":{"K":1}}"#;

    // Act
    let raw = client
        .send_raw("POST", "Action=SendRoomMessage&AppId=12345", Some(body))
        .await
        .expect("an answer");
    let get = client
        .send_raw("GET", "Action=Other", None)
        .await
        .expect("an answer");
    let odd = client
        .send_raw("PUT", "Action=Third", Some(b"not json"))
        .await
        .expect("an answer");

    // Assert
    assert_eq!((raw.status, &raw.body[..]), (200, &br#"{"Code":0}"#[..]));
    assert_eq!((get.status, odd.status), (200, 200));
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 3);
    let post = &requests[0];
    assert_eq!(post.method.as_str(), "POST");
    assert_eq!(post.url.path(), "/");
    assert_eq!(post.url.query(), Some("Action=SendRoomMessage&AppId=12345"));
    assert_eq!(
        post.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(post.body, body.to_vec());

    let get = &requests[1];
    assert_eq!(get.method.as_str(), "GET");
    assert_eq!(get.url.query(), Some("Action=Other"));
    assert!(
        get.headers.get("content-type").is_none(),
        "a GET has no body"
    );
    assert!(get.body.is_empty());

    let put = &requests[2];
    assert_eq!(put.method.as_str(), "PUT");
    assert_eq!(put.body, b"not json".to_vec());
}

#[tokio::test]
async fn send_raw_refuses_a_method_that_is_not_a_token() {
    let client = client("http://127.0.0.1:9", false);
    let err = client
        .send_raw("BAD METHOD", "Action=X", None)
        .await
        .expect_err("a space is not allowed in a method");
    assert!(err.is_builder(), "{err:?}");
}

// -------------------------------------------------------------------------------------------
// Room signaling: every action is a GET without a Sequence; arrays travel as `Name[]` pairs,
// documented integer choices as their numbers, RoomCloseCallback as true/false.

#[tokio::test]
async fn send_broadcast_message_url_encodes_non_ascii_content_and_leaves_out_an_unset_name() {
    // Arrange: the page's example text, with characters that mean something in a query.
    let server = server_for("SendBroadcastMessage").await;
    let client = client(&server.uri(), false);
    let content = "hello zego big im - 广播消息 & a+b=c?";

    // Act
    client
        .send_broadcast_message(SendBroadcastMessageRequest::new(
            "room1",
            "user1",
            MessageCategory::System,
            content,
        ))
        .await
        .expect("success");

    // Assert
    let q = only_request(&server).await;
    assert_common(&q, "SendBroadcastMessage", false);
    assert_names(
        &q,
        &["RoomId", "UserId", "MessageCategory", "MessageContent"],
        false,
    );
    assert_eq!(q.get("RoomId"), Some("room1"));
    assert_eq!(q.get("UserId"), Some("user1"));
    assert_eq!(q.get("MessageCategory"), Some("1"));
    // The text arrives intact once decoded, and travelled percent-encoded.
    assert_eq!(q.get("MessageContent"), Some(content));
    assert!(
        q.raw.contains("%E5%B9%BF%E6%92%AD%E6%B6%88%E6%81%AF"),
        "the UTF-8 bytes are not percent-encoded: {}",
        q.raw
    );
    assert!(q.raw.contains("%26") && q.raw.contains("%2B") && q.raw.contains("%3D"));
    assert!(q.raw.is_ascii(), "{}", q.raw);
}

#[tokio::test]
async fn send_barrage_message_sends_the_chat_category_and_a_name() {
    let server = server_for("SendBarrageMessage").await;
    let client = client(&server.uri(), true);

    client
        .send_barrage_message(
            SendBarrageMessageRequest::new("room1", "user1", MessageCategory::Chat, "弹幕消息")
                .user_name("userName"),
        )
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "SendBarrageMessage", true);
    assert_names(
        &q,
        &[
            "RoomId",
            "UserId",
            "UserName",
            "MessageCategory",
            "MessageContent",
        ],
        true,
    );
    assert_eq!(q.get("UserName"), Some("userName"));
    assert_eq!(q.get("MessageCategory"), Some("2"));
    assert_eq!(q.get("MessageContent"), Some("弹幕消息"));
    assert!(
        q.raw.contains("MessageContent=%E5%BC%B9%E5%B9%95"),
        "{}",
        q.raw
    );
}

#[tokio::test]
async fn send_custom_command_sends_to_user_ids_with_brackets_or_not_at_all() {
    let server = server_for("SendCustomCommand").await;
    let client = client(&server.uri(), false);

    client
        .send_custom_command(
            SendCustomCommandRequest::new("room", "userA", "推送").to_user_ids(["user1", "user2"]),
        )
        .await
        .expect("success");
    client
        .send_custom_command(SendCustomCommandRequest::new("room", "userA", "to all"))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    assert_common(&sent[0], "SendCustomCommand", false);
    assert_names(
        &sent[0],
        &["RoomId", "FromUserId", "ToUserId[]", "MessageContent"],
        false,
    );
    assert_eq!(sent[0].get("FromUserId"), Some("userA"));
    assert_eq!(sent[0].array("ToUserId"), ["user1", "user2"]);
    assert!(
        sent[0]
            .raw
            .contains("ToUserId%5B%5D=user1&ToUserId%5B%5D=user2"),
        "{}",
        sent[0].raw
    );
    assert!(sent[0].all("ToUserId").is_empty(), "{}", sent[0].raw);
    // No recipients: the parameter is left out, which sends to the whole room.
    assert_names(&sent[1], &["RoomId", "FromUserId", "MessageContent"], false);
    assert_eq!(sent[1].get("MessageContent"), Some("to all"));
}

#[tokio::test]
async fn describe_user_num_and_describe_users_send_their_lists_with_brackets() {
    let server = server_for("DescribeUserNum").await;
    let client = client(&server.uri(), false);
    client
        .describe_user_num(DescribeUserNumRequest::new(["room1", "room2"]))
        .await
        .expect("success");
    let q = only_request(&server).await;
    assert_common(&q, "DescribeUserNum", false);
    assert_names(&q, &["RoomId[]"], false);
    assert_eq!(q.array("RoomId"), ["room1", "room2"]);
    assert!(
        q.raw.contains("RoomId%5B%5D=room1&RoomId%5B%5D=room2"),
        "{}",
        q.raw
    );

    let server = server_for("DescribeUsers").await;
    let client = self::client(&server.uri(), false);
    client
        .describe_users(DescribeUsersRequest::new("room1", ["a", "b"]))
        .await
        .expect("success");
    let q = only_request(&server).await;
    assert_common(&q, "DescribeUsers", false);
    assert_names(&q, &["RoomId", "UserId[]"], false);
    assert_eq!(q.get("RoomId"), Some("room1"));
    assert_eq!(q.array("UserId"), ["a", "b"]);
    assert!(q.raw.contains("UserId%5B%5D=a&UserId%5B%5D=b"), "{}", q.raw);
}

#[tokio::test]
async fn describe_user_list_sends_mode_limit_and_marker_only_when_set() {
    let server = server_for("DescribeUserList").await;
    let client = client(&server.uri(), false);

    client
        .describe_user_list(DescribeUserListRequest::new("room_demo"))
        .await
        .expect("success");
    client
        .describe_user_list(
            DescribeUserListRequest::new("room_demo")
                .mode(UserListMode::Descending)
                .limit(2)
                .marker("1635940599950-user2"),
        )
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    assert_common(&sent[0], "DescribeUserList", false);
    assert_names(&sent[0], &["RoomId"], false);
    assert_names(&sent[1], &["RoomId", "Mode", "Limit", "Marker"], false);
    assert_eq!(sent[1].get("RoomId"), Some("room_demo"));
    assert_eq!(sent[1].get("Mode"), Some("1"));
    assert_eq!(sent[1].get("Limit"), Some("2"));
    assert_eq!(sent[1].get("Marker"), Some("1635940599950-user2"));
}

#[tokio::test]
async fn add_stream_sends_every_documented_parameter() {
    let server = server_for("AddStream").await;
    let client = client(&server.uri(), false);

    client
        .add_stream(
            AddStreamRequest::new("room1", "user1", "streamId1")
                .user_name("userName")
                .stream_title("流标题")
                .extra_info("附加信息")
                .censor_flag(CensorFlag::NotAllowed),
        )
        .await
        .expect("success");
    client
        .add_stream(AddStreamRequest::new("room1", "user1", "streamId2"))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_common(&sent[0], "AddStream", false);
    assert_names(
        &sent[0],
        &[
            "RoomId",
            "UserId",
            "UserName",
            "StreamId",
            "StreamTitle",
            "ExtraInfo",
            "CensorFlag",
        ],
        false,
    );
    assert_eq!(sent[0].get("StreamId"), Some("streamId1"));
    assert_eq!(sent[0].get("StreamTitle"), Some("流标题"));
    assert!(
        sent[0]
            .raw
            .contains("StreamTitle=%E6%B5%81%E6%A0%87%E9%A2%98"),
        "{}",
        sent[0].raw
    );
    assert_eq!(sent[0].get("ExtraInfo"), Some("附加信息"));
    assert_eq!(sent[0].get("CensorFlag"), Some("1"));
    assert_names(&sent[1], &["RoomId", "UserId", "StreamId"], false);
}

#[tokio::test]
async fn delete_stream_and_describe_simple_stream_list() {
    let server = server_for("DeleteStream").await;
    let client = client(&server.uri(), false);
    client
        .delete_stream(DeleteStreamRequest::new("room1", "user1", "streamId1").user_name("n"))
        .await
        .expect("success");
    let q = only_request(&server).await;
    assert_common(&q, "DeleteStream", false);
    assert_names(&q, &["RoomId", "UserId", "UserName", "StreamId"], false);
    assert_eq!(q.get("StreamId"), Some("streamId1"));
    assert_eq!(q.get("UserName"), Some("n"));

    let server = server_for("DescribeSimpleStreamList").await;
    let client = self::client(&server.uri(), false);
    client
        .describe_simple_stream_list(DescribeSimpleStreamListRequest::new("room1"))
        .await
        .expect("success");
    let q = only_request(&server).await;
    assert_common(&q, "DescribeSimpleStreamList", false);
    assert_names(&q, &["RoomId"], false);
    assert_eq!(q.get("RoomId"), Some("room1"));
}

#[tokio::test]
async fn close_room_sends_room_close_callback_as_true_or_false() {
    let server = server_for("CloseRoom").await;
    let client = client(&server.uri(), false);

    for request in [
        CloseRoomRequest::new("room1")
            .custom_reason("clear")
            .room_close_callback(true),
        CloseRoomRequest::new("room1").room_close_callback(false),
        CloseRoomRequest::new("room1"),
    ] {
        client.close_room(request).await.expect("success");
    }

    let sent = received(&server).await;
    assert_eq!(sent.len(), 3);
    assert_common(&sent[0], "CloseRoom", false);
    assert_names(
        &sent[0],
        &["RoomId", "CustomReason", "RoomCloseCallback"],
        false,
    );
    assert_eq!(sent[0].get("CustomReason"), Some("clear"));
    assert!(
        sent[0].raw.contains("RoomCloseCallback=true"),
        "{}",
        sent[0].raw
    );
    assert_names(&sent[1], &["RoomId", "RoomCloseCallback"], false);
    assert!(
        sent[1].raw.contains("RoomCloseCallback=false"),
        "{}",
        sent[1].raw
    );
    assert_names(&sent[2], &["RoomId"], false);
}

#[tokio::test]
async fn kickout_user_sends_user_ids_with_brackets_and_an_encoded_reason() {
    let server = server_for("KickoutUser").await;
    let client = client(&server.uri(), false);
    let reason = "踢出用户-原因";

    client
        .kickout_user(KickoutUserRequest::new("room1", ["a", "b"]).custom_reason(reason))
        .await
        .expect("success");

    let q = only_request(&server).await;
    assert_common(&q, "KickoutUser", false);
    assert_names(&q, &["RoomId", "UserId[]", "CustomReason"], false);
    assert_eq!(q.array("UserId"), ["a", "b"]);
    assert!(q.raw.contains("UserId%5B%5D=a&UserId%5B%5D=b"), "{}", q.raw);
    assert_eq!(q.get("CustomReason"), Some(reason));
    assert!(
        q.raw
            .contains("CustomReason=%E8%B8%A2%E5%87%BA%E7%94%A8%E6%88%B7-%E5%8E%9F%E5%9B%A0"),
        "{}",
        q.raw
    );
}

#[tokio::test]
async fn user_ban_rules_send_rule_type_and_privileges_as_numbers() {
    let server = MockServer::start().await;
    for action in [
        "SetForbidUserRule",
        "DescribeForbidUserRules",
        "DelForbidUserRule",
    ] {
        Mock::given(method("GET"))
            .and(query_param("Action", action))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture(action)))
            .mount(&server)
            .await;
    }
    let client = client(&server.uri(), false);

    client
        .set_forbid_user_rule(
            SetForbidUserRuleRequest::new(
                ForbidRuleType::RoomUser,
                [DisabledPrivilege::Login, DisabledPrivilege::Publish],
                1800,
            )
            .room_id("room1")
            .user_id("user1"),
        )
        .await
        .expect("success");
    client
        .describe_forbid_user_rules(DescribeForbidUserRulesRequest::new(ForbidRuleType::Room))
        .await
        .expect("success");
    client
        .del_forbid_user_rule(DelForbidUserRuleRequest::new(ForbidRuleType::Ip).ip("10.0.0.1"))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_eq!(sent.len(), 3);
    let set = &sent[0];
    assert_common(set, "SetForbidUserRule", false);
    assert_names(
        set,
        &[
            "RuleType",
            "RoomId",
            "UserId",
            "DisabledPrivilege[]",
            "EffectiveTime",
        ],
        false,
    );
    assert_eq!(set.get("RuleType"), Some("4"));
    assert_eq!(set.get("RoomId"), Some("room1"));
    assert_eq!(set.get("UserId"), Some("user1"));
    assert_eq!(set.array("DisabledPrivilege"), ["1", "2"]);
    assert!(
        set.raw
            .contains("DisabledPrivilege%5B%5D=1&DisabledPrivilege%5B%5D=2"),
        "{}",
        set.raw
    );
    assert_eq!(set.get("EffectiveTime"), Some("1800"));

    assert_common(&sent[1], "DescribeForbidUserRules", false);
    assert_names(&sent[1], &["RuleType"], false);
    assert_eq!(sent[1].get("RuleType"), Some("2"));

    assert_common(&sent[2], "DelForbidUserRule", false);
    assert_names(&sent[2], &["RuleType", "IP"], false);
    assert_eq!(sent[2].get("RuleType"), Some("1"));
    assert_eq!(sent[2].get("IP"), Some("10.0.0.1"));
}

#[tokio::test]
async fn stream_ban_rules_send_flags_as_zero_or_one_and_stream_ids_with_brackets() {
    let server = MockServer::start().await;
    for action in [
        "SetForbidStreamRule",
        "DescribeForbidStreamRules",
        "DelForbidStreamRule",
    ] {
        Mock::given(method("GET"))
            .and(query_param("Action", action))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture(action)))
            .mount(&server)
            .await;
    }
    let client = client(&server.uri(), false);

    client
        .set_forbid_stream_rule(
            SetForbidStreamRuleRequest::new("room1", "streamId1")
                .disable_audio(true)
                .disable_video(false)
                .effective_time(3600),
        )
        .await
        .expect("success");
    client
        .set_forbid_stream_rule(SetForbidStreamRuleRequest::new("room1", "s2").disable_video(true))
        .await
        .expect("success");
    client
        .describe_forbid_stream_rules(DescribeForbidStreamRulesRequest::new(
            "room1",
            ["streamId1", "streamId2"],
        ))
        .await
        .expect("success");
    client
        .del_forbid_stream_rule(DelForbidStreamRuleRequest::new("room1", "streamId1"))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_eq!(sent.len(), 4);
    assert_common(&sent[0], "SetForbidStreamRule", false);
    assert_names(
        &sent[0],
        &[
            "RoomId",
            "StreamId",
            "DisableAudio",
            "DisableVideo",
            "EffectiveTime",
        ],
        false,
    );
    assert_eq!(sent[0].get("DisableAudio"), Some("1"));
    assert_eq!(sent[0].get("DisableVideo"), Some("0"));
    assert_eq!(sent[0].get("EffectiveTime"), Some("3600"));
    // Unset flag and duration: left out (the service's defaults apply).
    assert_names(&sent[1], &["RoomId", "StreamId", "DisableVideo"], false);
    assert_eq!(sent[1].get("DisableVideo"), Some("1"));

    assert_common(&sent[2], "DescribeForbidStreamRules", false);
    assert_names(&sent[2], &["RoomId", "StreamId[]"], false);
    assert_eq!(sent[2].array("StreamId"), ["streamId1", "streamId2"]);
    assert!(
        sent[2]
            .raw
            .contains("StreamId%5B%5D=streamId1&StreamId%5B%5D=streamId2"),
        "{}",
        sent[2].raw
    );

    assert_common(&sent[3], "DelForbidStreamRule", false);
    assert_names(&sent[3], &["RoomId", "StreamId"], false);
    assert_eq!(sent[3].get("StreamId"), Some("streamId1"));
}

// -------------------------------------------------------------------------------------------
// Stream mixing: six POSTs (the signed common parameters in the query, the request as a JSON
// body) and a GET. The expected bodies are written out here, or taken from the pages' request
// examples in `fixtures/requests.json`.

/// A wiremock answering `POST /?Action=action` with a JSON body, and only that, with the
/// action's documented example.
async fn post_server_for(action: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(query_param("Action", action))
        .and(wiremock::matchers::header(
            "content-type",
            "application/json",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture(action)))
        .mount(&server)
        .await;
    server
}

/// The one request received, a `POST /` with a JSON content type: its query and its body.
async fn only_post(server: &MockServer) -> (Query, serde_json::Value) {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    let r = &requests[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/");
    assert_eq!(
        r.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let query = Query::parse(r.url.query().expect("a query"));
    let body = serde_json::from_slice(&r.body).expect("the body is JSON");
    (query, body)
}

/// The page's request example of a POST action (`fixtures/requests.json`).
fn documented_body(action: &str) -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/requests.json");
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("requests.json")).expect("JSON");
    let sample = &all["requests"][action];
    assert_eq!(sample["method"], "POST", "{action}");
    sample["body"].clone()
}

#[tokio::test]
async fn start_mix_sends_every_nested_field_in_the_body_and_only_common_parameters_in_the_query() {
    // Arrange
    let server = post_server_for("StartMix").await;
    let client = client(&server.uri(), false);
    let request = StartMixRequest::new(
        "task-1",
        "user-1",
        [
            MixInput::stream("in-1")
                .rect_info(RectInfo::new(0, 0, 640, 180).layer(1).corner_radius(10))
                .blur_info(BlurInfo::new(10, 10, 10, 0))
                .image(MixImage::new("preset-id://cover.png").display_mode(1))
                .content_control(2)
                .sound_level_id(7)
                .volume(150)
                .label(MixLabel::new(
                    "主播 & guest",
                    10,
                    20,
                    LabelFont::new(1)
                        .font_size(26)
                        .font_color(256)
                        .transparency(50)
                        .border_color(0),
                ))
                .render_mode(0)
                .uid("u-1"),
            // Audio only: an empty RectInfo.
            MixInput::url("rtmp://pull.example.com/live/in-2").rect_info(RectInfo::default()),
        ],
        [
            MixOutput::stream("out-1", 360, 640, 15, 1_200_000)
                .video_enc_id(4)
                .extra_layers([ExtraLayer::new(300_000)])
                .audio_codec(1)
                .audio_bitrate(48_000)
                .sound_channel(2)
                .low_bitrate_hd(false)
                .target_room(TargetRoom::new("room-9", "mixer")),
            MixOutput::url(
                "rtmp://push.example.com/live/out-2?k=a+b",
                180,
                320,
                15,
                600_000,
            ),
        ],
    )
    .sequence(3)
    .room_id("room-1")
    .user_data("RG9yYVRlc3Q=")
    .sound_level(true)
    .background_image("https://example.com/bg.png")
    .background_color_hex("0x87CEFA00")
    .water_mark(WaterMark::new(
        "https://example.com/wm.png",
        WaterMarkRect::new(0, 0, 200, 150),
    ))
    .by_pass(false)
    .sound_channel(1)
    .check_image_mode(2)
    .ex_para([ExPara::new("sei_mode", "1")])
    .alignment_type(0)
    .recv_buffer_level(400)
    .wait_video_input(true)
    .max_idle_time(120);

    // Act
    let answer = client.start_mix(request).await.expect("success");

    // Assert: the query is exactly the signed common parameters.
    assert_eq!(answer.message, "success");
    let (q, body) = only_post(&server).await;
    assert_common(&q, "StartMix", false);
    assert_names(&q, &[], false);
    // The body: every field under its documented name, nested objects intact, 0/1 switches as
    // numbers, the explicit Sequence and nothing the client added.
    let expected = serde_json::json!({
        "TaskId": "task-1",
        "UserId": "user-1",
        "MixInput": [
            {
                "StreamId": "in-1",
                "RectInfo": {"Layer": 1, "Top": 0, "Left": 0, "Bottom": 640, "Right": 180,
                             "CornerRadius": 10},
                "BlurInfo": {"TopPadding": 10, "LeftPadding": 10, "BottomPadding": 10,
                             "RightPadding": 0},
                "Image": {"Url": "preset-id://cover.png", "DisplayMode": 1},
                "ContentControl": 2,
                "SoundLevelId": 7,
                "Volume": 150,
                "Label": {
                    "Text": "主播 & guest",
                    "Left": 10,
                    "Top": 20,
                    "Font": {"FontType": 1, "FontSize": 26, "FontColor": 256,
                             "Transparency": 50, "BorderColor": 0}
                },
                "RenderMode": 0,
                "UID": "u-1"
            },
            {"StreamUrl": "rtmp://pull.example.com/live/in-2", "RectInfo": {}}
        ],
        "MixOutput": [
            {
                "StreamId": "out-1",
                "VideoBitrate": 1_200_000,
                "VideoEncId": 4,
                "Fps": 15,
                "Width": 360,
                "Height": 640,
                "AudioCodec": 1,
                "AudioBitrate": 48_000,
                "SoundChannel": 2,
                "ExtraLayers": [{"VideoBitrate": 300_000}],
                "LowBitrateHD": 0,
                "TargetRoom": {"RoomId": "room-9", "UserId": "mixer"}
            },
            {
                "StreamUrl": "rtmp://push.example.com/live/out-2?k=a+b",
                "VideoBitrate": 600_000,
                "Fps": 15,
                "Width": 180,
                "Height": 320
            }
        ],
        "Sequence": 3,
        "RoomId": "room-1",
        "UserData": "RG9yYVRlc3Q=",
        "SoundLevel": 1,
        "BackgroundImage": "https://example.com/bg.png",
        "BackGroundColorHex": "0x87CEFA00",
        "WaterMark": {"Image": "https://example.com/wm.png",
                      "RectInfo": {"Top": 0, "Left": 0, "Bottom": 200, "Right": 150}},
        "ByPass": 0,
        "SoundChannel": 1,
        "CheckImageMode": 2,
        "ExPara": [{"Key": "sei_mode", "Value": "1"}],
        "AlignmentType": 0,
        "RecvBufferLevel": 400,
        "WaitVideoInput": 1,
        "MaxIdleTime": 120
    });
    assert_eq!(body, expected);
}

#[tokio::test]
async fn the_pages_request_examples_are_the_bodies_of_the_typed_requests() {
    // Each POST action built with the typed API as its page's example shows it: the body is the
    // example, with no Sequence added (mixing's Sequence is the caller's), in both environments.
    for test_env in [false, true] {
        let cases = [
            "StartMix",
            "StopMix",
            "StartAutoMix",
            "StopAutoMix",
            "StartCloudTranscode",
            "StopCloudTranscode",
        ];
        for action in cases {
            let server = post_server_for(action).await;
            let c = client(&server.uri(), test_env);
            let task = "2213699902971205739";
            let r = match action {
                "StartMix" => c
                    .start_mix(StartMixRequest::new(
                        task,
                        "123",
                        [
                            MixInput::stream("stream1").rect_info(RectInfo::new(0, 0, 640, 180)),
                            MixInput::stream("stream2").rect_info(RectInfo::new(0, 180, 640, 360)),
                        ],
                        [MixOutput::stream("stream3", 360, 640, 15, 1_200_000)],
                    ))
                    .await
                    .map(|r| r.message),
                "StopMix" => c
                    .stop_mix(StopMixRequest::new(task).sequence(1).user_id("456"))
                    .await
                    .map(|r| r.message),
                "StartAutoMix" => c
                    .start_auto_mix(StartAutoMixRequest::new(
                        task,
                        "123",
                        "room123",
                        [AutoMixOutput::stream("stream3")],
                    ))
                    .await
                    .map(|r| r.message),
                "StopAutoMix" => c
                    .stop_auto_mix(StopAutoMixRequest::new(task, "room123").sequence(1))
                    .await
                    .map(|r| r.message),
                "StartCloudTranscode" => c
                    .start_cloud_transcode(StartCloudTranscodeRequest::new(
                        task,
                        "456",
                        TranscodeInput::stream("stream1"),
                        [TranscodeOutput::stream("stream3", 3)],
                    ))
                    .await
                    .map(|r| r.message),
                _ => c
                    .stop_cloud_transcode(StopCloudTranscodeRequest::new(task, "456"))
                    .await
                    .map(|r| r.message),
            }
            .unwrap_or_else(|e| panic!("{action}: {e}"));

            assert_eq!(r, "success", "{action}");
            let (q, body) = only_post(&server).await;
            assert_common(&q, action, test_env);
            assert_names(&q, &[], test_env);
            assert_eq!(body, documented_body(action), "{action}");
        }
    }
}

#[tokio::test]
async fn start_auto_mix_sends_extra_inputs_to_add_and_remove_and_its_switches() {
    let server = post_server_for("StartAutoMix").await;
    let client = client(&server.uri(), false);

    client
        .start_auto_mix(
            StartAutoMixRequest::new(
                "auto-1",
                "host",
                "room-1",
                [
                    AutoMixOutput::stream("mixed").audio_codec(3),
                    AutoMixOutput::url("rtmp://push.example.com/live/mixed")
                        .audio_bitrate(64_000)
                        .sound_channel(2),
                ],
            )
            .extra_mix_input([
                AutoMixInput::add_stream("other-room-stream")
                    .sound_level_id(5)
                    .volume(80),
                AutoMixInput::add_url("rtmp://pull.example.com/live/x"),
                AutoMixInput::remove("noisy"),
                AutoMixInput::add_stream("explicit").modify_type(ModifyType::Add),
            ])
            .sequence(2)
            .user_data("ZGF0YQ==")
            .sound_level(false)
            .by_pass(true)
            .sound_channel(2)
            .alignment_type(1)
            .recv_buffer_level(0)
            .ex_para([ExPara::new("k1", "v1")]),
        )
        .await
        .expect("success");

    let (q, body) = only_post(&server).await;
    assert_common(&q, "StartAutoMix", false);
    assert_names(&q, &[], false);
    assert_eq!(
        body,
        serde_json::json!({
            "TaskId": "auto-1",
            "UserId": "host",
            "RoomId": "room-1",
            "ExtraMixInput": [
                {"StreamId": "other-room-stream", "SoundLevelId": 5, "Volume": 80},
                {"StreamUrl": "rtmp://pull.example.com/live/x"},
                {"StreamId": "noisy", "ModifyType": 1},
                {"StreamId": "explicit", "ModifyType": 0}
            ],
            "MixOutput": [
                {"StreamId": "mixed", "AudioCodec": 3},
                {"StreamUrl": "rtmp://push.example.com/live/mixed", "AudioBitrate": 64_000,
                 "SoundChannel": 2}
            ],
            "Sequence": 2,
            "UserData": "ZGF0YQ==",
            "SoundLevel": 0,
            "ByPass": 1,
            "SoundChannel": 2,
            "AlignmentType": 1,
            "RecvBufferLevel": 0,
            "ExPara": [{"Key": "k1", "Value": "v1"}]
        })
    );
}

#[tokio::test]
async fn start_cloud_transcode_sends_a_custom_template_and_stops_with_a_sequence() {
    let server = post_server_for("StartCloudTranscode").await;
    let client = client(&server.uri(), false);

    client
        .start_cloud_transcode(
            StartCloudTranscodeRequest::new(
                "tc-1",
                "456",
                TranscodeInput::url("rtmp://pull.example.com/live/src"),
                [
                    TranscodeOutput::stream("tc-720", TranscodeOutput::CUSTOM_TEMPLATE)
                        .template_config(
                            TemplateConfig::default()
                                .video_enc_id(2)
                                .fps(15)
                                .gop(2)
                                .short_edge_adaption(true)
                                .height(720)
                                .width(1280)
                                .video_bitrate(0)
                                .low_bitrate_hd(true),
                        ),
                    TranscodeOutput::url("rtmp://push.example.com/live/tc-360", 0),
                ],
            )
            .sequence(9),
        )
        .await
        .expect("success");

    let (q, body) = only_post(&server).await;
    assert_common(&q, "StartCloudTranscode", false);
    assert_names(&q, &[], false);
    assert_eq!(
        body,
        serde_json::json!({
            "TaskId": "tc-1",
            "UserId": "456",
            "Sequence": 9,
            "TranscodeInput": {"StreamUrl": "rtmp://pull.example.com/live/src"},
            "TranscodeOutput": [
                {
                    "StreamId": "tc-720",
                    "TemplateId": 4,
                    "TemplateConfig": {"VideoEncId": 2, "Fps": 15, "GOP": 2,
                                       "ShortEdgeAdaption": 1, "Height": 720, "Width": 1280,
                                       "VideoBitrate": 0, "LowBitrateHD": 1}
                },
                {"StreamUrl": "rtmp://push.example.com/live/tc-360", "TemplateId": 0}
            ]
        })
    );

    let server = post_server_for("StopCloudTranscode").await;
    let client = self::client(&server.uri(), false);
    client
        .stop_cloud_transcode(StopCloudTranscodeRequest::new("tc-1", "456").sequence(10))
        .await
        .expect("success");
    let (_, body) = only_post(&server).await;
    assert_eq!(
        body,
        serde_json::json!({"TaskId": "tc-1", "UserId": "456", "Sequence": 10})
    );
}

#[tokio::test]
async fn stop_mix_and_stop_auto_mix_leave_unset_options_out() {
    let server = post_server_for("StopMix").await;
    client(&server.uri(), false)
        .stop_mix(StopMixRequest::new("task-1"))
        .await
        .expect("success");
    let (q, body) = only_post(&server).await;
    assert_names(&q, &[], false);
    assert_eq!(body, serde_json::json!({"TaskId": "task-1"}));

    let server = post_server_for("StopAutoMix").await;
    client(&server.uri(), false)
        .stop_auto_mix(StopAutoMixRequest::new("auto-1", "room-1").user_id("host"))
        .await
        .expect("success");
    let (_, body) = only_post(&server).await;
    assert_eq!(
        body,
        serde_json::json!({"TaskId": "auto-1", "RoomId": "room-1", "UserId": "host"})
    );
}

#[tokio::test]
async fn get_mix_task_info_is_a_get_with_the_task_id_in_the_query() {
    let server = server_for("GetMixTaskInfo").await;
    let client = client(&server.uri(), false);

    let r = client
        .get_mix_task_info(GetMixTaskInfoRequest::new("task_test 1&2"))
        .await
        .expect("success");

    assert_eq!(r.data.task_info.task_id, "task_test_123");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    assert!(requests[0].body.is_empty(), "a GET has no body");
    let q = only_request(&server).await;
    assert_common(&q, "GetMixTaskInfo", false);
    // No Sequence: GetMixTaskInfo takes none.
    assert_names(&q, &["TaskId"], false);
    assert_eq!(q.get("TaskId"), Some("task_test 1&2"));
    assert!(q.raw.contains("TaskId=task_test%201%262"), "{}", q.raw);
}

// -------------------------------------------------------------------------------------------
// Media files (GETs with bracketed and indexed-dot arrays), moderation (POSTs and a GET) and
// scene (a GET with decimal coordinates). Expected queries are written out from the pages'
// request examples.

#[tokio::test]
async fn cdn_recording_sends_stream_ids_with_brackets_and_no_sequence() {
    let server = MockServer::start().await;
    for action in ["StartCDNRecord", "StopCDNRecord"] {
        Mock::given(method("GET"))
            .and(query_param("Action", action))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture(action)))
            .mount(&server)
            .await;
    }
    let client = client(&server.uri(), false);

    // The page's example: StreamId[]=cdn01&StreamId[]=cdn02&Vendor=Tencent&EndTime=1616415377.
    client
        .start_cdn_record(
            StartCdnRecordRequest::new(CdnVendor::Tencent, ["cdn01", "cdn02"])
                .end_time(1_616_415_377),
        )
        .await
        .expect("success");
    client
        .start_cdn_record(
            StartCdnRecordRequest::new(CdnVendor::Aliyun, ["cdn01"])
                .domain("play.example.com")
                .point("point-1"),
        )
        .await
        .expect("success");
    client
        .stop_cdn_record(StopCdnRecordRequest::new(CdnVendor::Ws, ["cdn01", "cdn02"]))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_eq!(sent.len(), 3);
    assert_common(&sent[0], "StartCDNRecord", false);
    assert_names(&sent[0], &["StreamId[]", "Vendor", "EndTime"], false);
    assert_eq!(sent[0].array("StreamId"), ["cdn01", "cdn02"]);
    assert!(
        sent[0]
            .raw
            .contains("StreamId%5B%5D=cdn01&StreamId%5B%5D=cdn02"),
        "{}",
        sent[0].raw
    );
    assert_eq!(sent[0].get("Vendor"), Some("Tencent"));
    assert_eq!(sent[0].get("EndTime"), Some("1616415377"));

    assert_names(
        &sent[1],
        &["StreamId[]", "Vendor", "Domain", "Point"],
        false,
    );
    assert_eq!(sent[1].get("Vendor"), Some("Aliyun"));
    assert_eq!(sent[1].get("Domain"), Some("play.example.com"));
    assert_eq!(sent[1].get("Point"), Some("point-1"));

    assert_common(&sent[2], "StopCDNRecord", false);
    assert_names(&sent[2], &["StreamId[]", "Vendor"], false);
    assert_eq!(sent[2].array("StreamId"), ["cdn01", "cdn02"]);
    assert_eq!(sent[2].get("Vendor"), Some("Ws"));
}

#[tokio::test]
async fn search_media_sends_its_filters_lists_and_markers_only_when_set() {
    let server = server_for("SearchMedia").await;
    let client = client(&server.uri(), true);

    client
        .search_media(
            SearchMediaRequest::new(CdnVendor::Tencent)
                .name_prefix("name prefix/é")
                .start_time(1_690_000_000)
                .end_time(1_690_086_400)
                .page_size(20)
                .page_number(0)
                .file_ids(["fileId1", "fileId2"])
                .stream_ids(["streamId1", "streamId2"]),
        )
        .await
        .expect("success");
    client
        .search_media(
            SearchMediaRequest::new(CdnVendor::Huawei)
                .marker("record/app/a.mp4")
                .max_keys(1000),
        )
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_common(&sent[0], "SearchMedia", true);
    assert_names(
        &sent[0],
        &[
            "Vendor",
            "NamePrefix",
            "StartTime",
            "EndTime",
            "PageSize",
            "PageNumber",
            "FileId[]",
            "StreamId[]",
        ],
        true,
    );
    assert_eq!(sent[0].get("NamePrefix"), Some("name prefix/é"));
    assert!(
        sent[0].raw.contains("NamePrefix=name%20prefix%2F%C3%A9"),
        "{}",
        sent[0].raw
    );
    assert_eq!(sent[0].get("StartTime"), Some("1690000000"));
    assert_eq!(sent[0].get("EndTime"), Some("1690086400"));
    assert_eq!(sent[0].get("PageSize"), Some("20"));
    assert_eq!(sent[0].get("PageNumber"), Some("0"));
    assert_eq!(sent[0].array("FileId"), ["fileId1", "fileId2"]);
    assert_eq!(sent[0].array("StreamId"), ["streamId1", "streamId2"]);

    assert_names(&sent[1], &["Vendor", "Marker", "MaxKeys"], true);
    assert_eq!(sent[1].get("Vendor"), Some("Huawei"));
    assert_eq!(sent[1].get("Marker"), Some("record/app/a.mp4"));
    assert_eq!(sent[1].get("MaxKeys"), Some("1000"));
}

#[tokio::test]
async fn delete_media_sends_file_ids_with_brackets_or_media_indexed_from_zero() {
    let server = server_for("DeleteMedia").await;
    let client = client(&server.uri(), false);

    // The page's FileId example: &FileId[]=5285890813221514958&FileId[]=5285890813221513290.
    client
        .delete_media(
            DeleteMediaRequest::files(
                CdnVendor::Ws,
                ["5285890813221514958", "5285890813221513290"],
            )
            .clear_cache(true),
        )
        .await
        .expect("success");
    // The page's Media example (delete-media.yaml), in the recursive-indexed-dot form.
    client
        .delete_media(DeleteMediaRequest::media(
            CdnVendor::Tencent,
            [
                MediaToDelete::transcodes(
                    "5001834814700023699",
                    [MediaResolution::P360, MediaResolution::P720],
                ),
                MediaToDelete::file("5001834814583141985"),
                MediaToDelete::transcodes(
                    "5001834814648245073",
                    [MediaResolution::P360, MediaResolution::P540],
                ),
            ],
        ))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_common(&sent[0], "DeleteMedia", false);
    assert_names(&sent[0], &["Vendor", "FileId[]", "ClearCache"], false);
    assert_eq!(sent[0].get("Vendor"), Some("Ws"));
    assert_eq!(
        sent[0].array("FileId"),
        ["5285890813221514958", "5285890813221513290"]
    );
    assert_eq!(sent[0].get("ClearCache"), Some("true"));

    assert_common(&sent[1], "DeleteMedia", false);
    let media: Vec<(&str, &str)> = sent[1]
        .pairs
        .iter()
        .filter(|(n, _)| n.starts_with("Media."))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut media = media;
    media.sort_unstable();
    assert_eq!(
        media,
        [
            ("Media.0.FileId", "5001834814700023699"),
            ("Media.0.Resolution.0", "360p"),
            ("Media.0.Resolution.1", "720p"),
            ("Media.1.FileId", "5001834814583141985"),
            ("Media.2.FileId", "5001834814648245073"),
            ("Media.2.Resolution.0", "360p"),
            ("Media.2.Resolution.1", "540p"),
        ]
    );
    // The dots travel as they are; no FileId[] and no ClearCache when unset.
    assert!(
        sent[1].raw.contains("Media.0.Resolution.1=720p"),
        "{}",
        sent[1].raw
    );
    assert!(sent[1].all("FileId[]").is_empty() && sent[1].get("ClearCache").is_none());
}

#[tokio::test]
async fn merge_media_sends_input_files_with_brackets_or_handle_media_args_indexed_from_zero() {
    let server = server_for("MergeMedia").await;
    let client = client(&server.uri(), false);

    // The page's example (merge-media.mdx): Type 1 with two cropped parts of one file.
    client
        .merge_media(
            MergeMediaRequest::crop_then_merge(
                CdnVendor::Tencent,
                [
                    HandleMediaArg::between("5576678019238910395", 0.5, 10.5),
                    HandleMediaArg::between("5576678019238910395", 10.0, 15.0),
                ],
            )
            .format(MergeFormat::Mp4)
            .output_file_name("xxxx-xxxx-test-temp-2"),
        )
        .await
        .expect("success");
    // Type 0 (left to its default): InputFileId[]; a part without its end.
    client
        .merge_media(
            MergeMediaRequest::merge(
                CdnVendor::Huawei,
                ["5285890813221514958", "5285890813221513290"],
            )
            .format(MergeFormat::M3u8)
            .expire_time(24),
        )
        .await
        .expect("success");
    client
        .merge_media(MergeMediaRequest::crop_then_merge(
            CdnVendor::Tencent,
            [HandleMediaArg::new("f1").start_time(3.25)],
        ))
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_common(&sent[0], "MergeMedia", false);
    assert_names(
        &sent[0],
        &[
            "Vendor",
            "Format",
            "Type",
            "HandleMediaArgs.0.FileId",
            "HandleMediaArgs.0.StartTime",
            "HandleMediaArgs.0.EndTime",
            "HandleMediaArgs.1.FileId",
            "HandleMediaArgs.1.StartTime",
            "HandleMediaArgs.1.EndTime",
            "OutputFileName",
        ],
        false,
    );
    assert_eq!(sent[0].get("Type"), Some("1"));
    assert_eq!(sent[0].get("Format"), Some("MP4"));
    assert_eq!(
        sent[0].get("HandleMediaArgs.0.FileId"),
        Some("5576678019238910395")
    );
    assert_eq!(sent[0].get("HandleMediaArgs.0.StartTime"), Some("0.5"));
    assert_eq!(sent[0].get("HandleMediaArgs.0.EndTime"), Some("10.5"));
    assert_eq!(sent[0].get("HandleMediaArgs.1.StartTime"), Some("10"));
    assert_eq!(sent[0].get("HandleMediaArgs.1.EndTime"), Some("15"));
    assert_eq!(sent[0].get("OutputFileName"), Some("xxxx-xxxx-test-temp-2"));

    assert_names(
        &sent[1],
        &["Vendor", "Format", "InputFileId[]", "ExpireTime"],
        false,
    );
    assert_eq!(
        sent[1].array("InputFileId"),
        ["5285890813221514958", "5285890813221513290"]
    );
    assert!(
        sent[1].raw.contains(
            "InputFileId%5B%5D=5285890813221514958&InputFileId%5B%5D=5285890813221513290"
        ),
        "{}",
        sent[1].raw
    );
    assert_eq!(sent[1].get("Format"), Some("M3U8"));
    assert_eq!(sent[1].get("ExpireTime"), Some("24"));

    assert_names(
        &sent[2],
        &[
            "Vendor",
            "Type",
            "HandleMediaArgs.0.FileId",
            "HandleMediaArgs.0.StartTime",
        ],
        false,
    );
    assert_eq!(sent[2].get("HandleMediaArgs.0.StartTime"), Some("3.25"));
}

#[tokio::test]
async fn media_tasks_send_their_documented_parameters() {
    let server = MockServer::start().await;
    for action in ["DescribeMediaTask", "TranscodeMedia", "MediaThumbnails"] {
        Mock::given(method("GET"))
            .and(query_param("Action", action))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture(action)))
            .mount(&server)
            .await;
    }
    let client = client(&server.uri(), false);

    client
        .describe_media_task(DescribeMediaTaskRequest::new(
            "1234567890",
            CdnVendor::Tencent,
        ))
        .await
        .expect("success");
    client
        .transcode_media(TranscodeMediaRequest::new(
            CdnVendor::Tencent,
            "3270835011032053401",
            MediaResolution::P360,
        ))
        .await
        .expect("success");
    // The page's two examples (media-thumbnails.mdx).
    client
        .media_thumbnails(
            MediaThumbnailsRequest::new(
                CdnVendor::Tencent,
                "1397757897438985100",
                ThumbnailType::SnapshotByTimeOffset,
            )
            .definition(10)
            .ext_time_offset_set([1.0, 2.0]),
        )
        .await
        .expect("success");
    client
        .media_thumbnails(
            MediaThumbnailsRequest::new(
                CdnVendor::Huawei,
                "/record/pickrecord/command_record/clarechen_test/2024-11-13-06-10-48.mp4",
                ThumbnailType::SampleSnapshot,
            )
            .interval(2.0),
        )
        .await
        .expect("success");
    client
        .media_thumbnails(
            MediaThumbnailsRequest::new(
                CdnVendor::Tencent,
                "f",
                ThumbnailType::SnapshotByTimeOffset,
            )
            .definition(10)
            .ext_time_offset_set([0.5, 12.0]),
        )
        .await
        .expect("success");

    let sent = received(&server).await;
    assert_common(&sent[0], "DescribeMediaTask", false);
    assert_names(&sent[0], &["TaskId", "Vendor"], false);
    assert_eq!(sent[0].get("TaskId"), Some("1234567890"));
    assert_eq!(sent[0].get("Vendor"), Some("Tencent"));

    assert_common(&sent[1], "TranscodeMedia", false);
    assert_names(&sent[1], &["Vendor", "FileId", "Resolution"], false);
    assert_eq!(sent[1].get("FileId"), Some("3270835011032053401"));
    assert_eq!(sent[1].get("Resolution"), Some("360p"));

    assert_common(&sent[2], "MediaThumbnails", false);
    assert_names(
        &sent[2],
        &[
            "Vendor",
            "FileId",
            "Type",
            "Definition",
            "ExtTimeOffsetSet[]",
        ],
        false,
    );
    assert_eq!(sent[2].get("Type"), Some("SnapshotByTimeOffset"));
    assert_eq!(sent[2].get("Definition"), Some("10"));
    assert!(
        sent[2]
            .raw
            .contains("ExtTimeOffsetSet%5B%5D=1&ExtTimeOffsetSet%5B%5D=2"),
        "{}",
        sent[2].raw
    );

    assert_names(&sent[3], &["Vendor", "FileId", "Type", "Interval"], false);
    assert_eq!(
        sent[3].get("FileId"),
        Some("/record/pickrecord/command_record/clarechen_test/2024-11-13-06-10-48.mp4")
    );
    assert_eq!(sent[3].get("Type"), Some("SampleSnapshot"));
    assert_eq!(sent[3].get("Interval"), Some("2"));

    assert_eq!(sent[4].array("ExtTimeOffsetSet"), ["0.5", "12"]);
}

#[tokio::test]
async fn the_moderation_pages_request_examples_are_the_bodies_of_the_typed_requests() {
    for test_env in [false, true] {
        for action in [
            "StartCensorAudioV2",
            "StopCensorAudioV2",
            "StartCensorVideoV2",
            "StopCensorVideoV2",
        ] {
            let server = post_server_for(action).await;
            let c = client(&server.uri(), test_env);
            let task = "9f58178ba8034902c6028c728bc6f6e4";
            let message = match action {
                "StartCensorAudioV2" => c
                    .start_censor_audio_v2(
                        StartCensorAudioV2Request::new(
                            "room_1",
                            "live_streaming",
                            "zh",
                            [
                                "ADLAW",
                                "ADVERT",
                                "AUDIOPOLITICAL",
                                "BAN",
                                "DIRTY",
                                "EROTIC",
                                "MOAN",
                                "POLITY",
                                "VIOLENT",
                            ],
                        )
                        .is_mixing_enabled(false)
                        .label_language("zh")
                        .return_all_text(true)
                        .return_pre_text(true)
                        .return_pre_audio(true)
                        .return_finish_info(true)
                        .result_callback_url("")
                        .status_callback_url(""),
                    )
                    .await
                    .map(|r| r.message),
                "StopCensorAudioV2" => c
                    .stop_censor_audio_v2(StopCensorAudioV2Request::new(task))
                    .await
                    .map(|r| r.message),
                "StartCensorVideoV2" => c
                    .start_censor_video_v2(
                        StartCensorVideoV2Request::new(
                            "room_1",
                            "live_streaming",
                            CensorVideoParam::risk_types([
                                "ADVERT",
                                "EROTIC",
                                "IMGTEXTRISK",
                                "POLITY",
                                "QRCODE",
                                "VIOLENT",
                            ])
                            .return_all_img(true)
                            .detect_frequency(5)
                            .result_callback_url("")
                            .status_callback_url(""),
                        )
                        .language("zh")
                        .audio_param(
                            CensorAudioParam::risk_types([
                                "ADLAW",
                                "ADVERT",
                                "AUDIOPOLITICAL",
                                "DIRTY",
                                "EROTIC",
                                "MOAN",
                                "POLITY",
                            ])
                            .return_all_text(true)
                            .return_pre_audio(true)
                            .return_pre_text(true)
                            .result_callback_url("")
                            .status_callback_url(""),
                        )
                        .return_finish_info(true),
                    )
                    .await
                    .map(|r| r.message),
                _ => c
                    .stop_censor_video_v2(StopCensorVideoV2Request::new(task))
                    .await
                    .map(|r| r.message),
            }
            .unwrap_or_else(|e| panic!("{action}: {e}"));

            assert_eq!(message, "success", "{action}");
            let (q, body) = only_post(&server).await;
            assert_common(&q, action, test_env);
            assert_names(&q, &[], test_env);
            assert_eq!(body, documented_body(action), "{action}");
        }
    }
}

#[tokio::test]
async fn moderation_starts_leave_every_unset_option_out_of_the_body() {
    let server = post_server_for("StartCensorAudioV2").await;
    client(&server.uri(), false)
        .start_censor_audio_v2(
            StartCensorAudioV2Request::new("room 1", "audio_room", "en", ["POLITY"])
                .business_type_list(["SING"]),
        )
        .await
        .expect("success");
    let (_, body) = only_post(&server).await;
    assert_eq!(
        body,
        serde_json::json!({
            "RoomId": "room 1",
            "EventId": "audio_room",
            "AudioLanguage": "en",
            "RiskTypeList": ["POLITY"],
            "BusinessTypeList": ["SING"],
        })
    );

    let server = post_server_for("StartCensorVideoV2").await;
    client(&server.uri(), false)
        .start_censor_video_v2(StartCensorVideoV2Request::new(
            "room_1",
            "private_chat",
            CensorVideoParam::default().business_type_list(["AGE"]),
        ))
        .await
        .expect("success");
    let (_, body) = only_post(&server).await;
    assert_eq!(
        body,
        serde_json::json!({
            "RoomId": "room_1",
            "EventId": "private_chat",
            "VideoParam": {"BusinessTypeList": ["AGE"]},
        })
    );
}

#[tokio::test]
async fn generate_identify_token_is_a_get_with_an_optional_effective_time() {
    let server = server_for("GenerateIdentifyToken").await;
    let client = client(&server.uri(), false);

    client
        .generate_identify_token(GenerateIdentifyTokenRequest::new().effective_time(3600))
        .await
        .expect("success");
    client
        .generate_identify_token(GenerateIdentifyTokenRequest::default())
        .await
        .expect("success");

    let requests = server.received_requests().await.expect("recording is on");
    assert!(
        requests.iter().all(|r| r.body.is_empty()),
        "a GET has no body"
    );
    let sent = received(&server).await;
    assert_common(&sent[0], "GenerateIdentifyToken", false);
    assert_names(&sent[0], &["EffectiveTime"], false);
    assert_eq!(sent[0].get("EffectiveTime"), Some("3600"));
    assert_names(&sent[1], &[], false);
}

#[tokio::test]
async fn set_scene_template_sends_whole_and_fractional_coordinates_and_one_app_id() {
    let server = server_for("SetSceneTemplate").await;
    let client = client(&server.uri(), false);

    // The page's example (set-scene-template.mdx): corners (0.00, 0.00) and (500.00, 500.00).
    let r = client
        .set_scene_template(
            SetSceneTemplateRequest::new(10080, 50000, 3, 50).map((0.0, 0.0), (500.0, 500.0)),
        )
        .await
        .expect("success");
    client
        .set_scene_template(
            SetSceneTemplateRequest::new(7, 100, 12, 100)
                .left_bottom_x(-12.5)
                .right_up_z(0.25),
        )
        .await
        .expect("success");
    client
        .set_scene_template(SetSceneTemplateRequest::new(8, 1, 1, 1))
        .await
        .expect("success");

    assert_eq!(r.message, "succeed");
    let sent = received(&server).await;
    assert_common(&sent[0], "SetSceneTemplate", false);
    assert_names(
        &sent[0],
        &[
            "TemplateId",
            "LeftBottomX",
            "LeftBottomZ",
            "RightUpX",
            "RightUpZ",
            "MaxUserNum",
            "ViewRadius",
            "MaxVisibleNum",
        ],
        false,
    );
    // AppId, which the page also lists among the business parameters, is the common one, once.
    assert_eq!(sent[0].all("AppId"), ["12345"]);
    assert_eq!(sent[0].get("TemplateId"), Some("10080"));
    assert_eq!(sent[0].get("LeftBottomX"), Some("0"));
    assert_eq!(sent[0].get("LeftBottomZ"), Some("0"));
    assert_eq!(sent[0].get("RightUpX"), Some("500"));
    assert_eq!(sent[0].get("RightUpZ"), Some("500"));
    assert_eq!(sent[0].get("MaxUserNum"), Some("50000"));
    assert_eq!(sent[0].get("ViewRadius"), Some("3"));
    assert_eq!(sent[0].get("MaxVisibleNum"), Some("50"));

    assert_names(
        &sent[1],
        &[
            "TemplateId",
            "LeftBottomX",
            "RightUpZ",
            "MaxUserNum",
            "ViewRadius",
            "MaxVisibleNum",
        ],
        false,
    );
    assert_eq!(sent[1].get("LeftBottomX"), Some("-12.5"));
    assert_eq!(sent[1].get("RightUpZ"), Some("0.25"));

    assert_names(
        &sent[2],
        &["TemplateId", "MaxUserNum", "ViewRadius", "MaxVisibleNum"],
        false,
    );
}
