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
    ClearCdnTransferRuleRequest, Client, CreatCdnTransferRuleRequest, DeleteCdnTransferRuleRequest,
    DescribeRtcStreamStateRequest, ErrorCode, ForbidCdnLiveStreamRequest, ForbidRtcStreamRequest,
    ForbidRtcStreamsRequest, QueryForbidCdnLiveStreamRequest, ResumeCdnLiveStreamRequest,
    ResumeRtcStreamRequest, ResumeRtcStreamsRequest, RetryPolicy,
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
