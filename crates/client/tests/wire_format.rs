//! The exact wire format of every action, pinned against a wiremock server: `GET /`, the common
//! parameters, a signature this test recomputes on its own, each action's business parameters,
//! percent-encoding, `IsTest`, and the re-signing of retries.

mod common;

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
    assert_eq!(err.code(), Some(ErrorCode::RateLimited30002));
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
