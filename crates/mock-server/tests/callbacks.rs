//! Server callbacks over real HTTP: a wiremock receiver gets signed POSTs, retried on the
//! mock's clock (2, 4, 8, 16, 32 s), recorded in the delivery journal. The clock is frozen;
//! tests flush instead of sleeping.

use crate::common;

use common::{control, creat, frozen, get, T0};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer as Receiver, Request, ResponseTemplate};
use zego_mock::{
    callback_signature, CallbackConfig, CallbackFormat, Category, DeliveryState, Env, Outcome,
    UserSpec, DEV_APP_ID,
};

const FLUSH: Duration = Duration::from_secs(10);
const SECRET: &str = "callback-secret-for-tests";

/// A JSON scalar as text: the documented bodies carry some fields as numbers, some as strings.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a scalar: {other}"),
    }
}

async fn receiver(status: u16) -> Receiver {
    let r = Receiver::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&r)
        .await;
    r
}

/// A receiver that answers 500 to the first `failures` callbacks, then 200.
async fn failing_first(failures: u64) -> Receiver {
    let r = Receiver::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&r)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&r)
        .await;
    r
}

fn room_only(url: &str) -> CallbackConfig {
    CallbackConfig::for_app(DEV_APP_ID)
        .secret(SECRET)
        .url(Category::Room, format!("{url}/zego"))
}

fn login(server: &zego_mock::MockServer, room: &str, user: &str) {
    server
        .login(DEV_APP_ID, Env::Production, room, UserSpec::new(user))
        .expect("login");
}

async fn requests(r: &Receiver) -> Vec<Request> {
    r.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn a_login_sends_signed_callbacks_to_the_configured_url() {
    // Arrange
    let (server, _clock) = frozen().await;
    let rx = receiver(200).await;
    let config = CallbackConfig::for_app(DEV_APP_ID)
        .secret(SECRET)
        .all_urls(format!("{}/zego", rx.uri()));
    server.set_callbacks(DEV_APP_ID, config).unwrap();

    // Act
    login(&server, "room1", "alice");
    let report = server.flush_callbacks(DEV_APP_ID, FLUSH).await;

    // Assert
    assert!(report.settled, "{report:?}");
    assert!(report.pending.is_empty());
    let got = requests(&rx).await;
    let events: Vec<String> = got
        .iter()
        .map(|r| text(&serde_json::from_slice::<Value>(&r.body).unwrap()["event"]))
        .collect();
    assert_eq!(events, ["room_create", "room_login"]);
    for r in &got {
        assert_eq!(r.url.path(), "/zego");
        assert_eq!(r.method.as_str(), "POST");
        assert_eq!(r.headers["content-type"], "application/json");
        let ua = r.headers["user-agent"].to_str().unwrap();
        assert!(ua.starts_with("zego-mock-callback/"), "{ua}");
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(text(&body["appid"]), DEV_APP_ID.to_string());
        assert_eq!(text(&body["timestamp"]), T0.to_string());
        let nonce = text(&body["nonce"]);
        assert!(nonce.parse::<u64>().unwrap() < 1 << 63, "{nonce}");
        let signature = text(&body["signature"]);
        assert_eq!(
            signature,
            callback_signature(SECRET, &T0.to_string(), &nonce)
        );
        assert_ne!(
            signature,
            callback_signature("another secret", &T0.to_string(), &nonce)
        );
    }
    let deliveries = server.callback_deliveries(DEV_APP_ID);
    assert_eq!(deliveries.len(), 2);
    for d in &deliveries {
        assert_eq!(d.state, DeliveryState::Delivered);
        assert_eq!(d.attempts.len(), 1);
        assert_eq!(d.attempts[0].outcome, Some(Outcome::Status(200)));
        assert_eq!(d.attempts[0].sent_mock_ms, T0 * 1000);
        assert_eq!(d.env, "production");
        // The journal shows what was signed, never the secret.
        assert!(d.signature_input.sorted.iter().all(|p| !p.contains(SECRET)));
        assert!(!d.signature_input.joined.contains(SECRET));
    }
    // Event ids are the event journal's.
    let events = server.events(DEV_APP_ID, Env::Production);
    assert_eq!(deliveries[0].event_id, events[0].seq);
    assert_eq!(deliveries[1].event_id, events[1].seq);
}

#[tokio::test]
async fn the_default_secret_is_derived_from_the_app_id_and_signs() {
    let (server, _clock) = frozen().await;
    let rx = receiver(200).await;
    let config = CallbackConfig::for_app(DEV_APP_ID).url(Category::Room, rx.uri());
    server.set_callbacks(DEV_APP_ID, config).unwrap();
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    let got = requests(&rx).await;
    assert_eq!(got.len(), 1);
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    let secret = server.callbacks(DEV_APP_ID).secret;
    assert_eq!(secret, zego_mock::default_callback_secret(DEV_APP_ID));
    assert_eq!(secret.len(), 32);
    assert_eq!(
        text(&body["signature"]),
        callback_signature(&secret, &text(&body["timestamp"]), &text(&body["nonce"]))
    );
}

#[tokio::test]
async fn a_receiver_failing_twice_gets_the_third_attempt_after_2_then_4_seconds() {
    // Arrange: 500, 500, then 200.
    let (server, clock) = frozen().await;
    let rx = failing_first(2).await;
    server
        .set_callbacks(DEV_APP_ID, room_only(&rx.uri()))
        .unwrap();

    // Act: attempt 1 goes out at once, with the clock frozen.
    login(&server, "room1", "alice");
    let report = server.flush_callbacks(DEV_APP_ID, FLUSH).await;

    // Assert
    assert!(report.settled);
    assert_eq!(report.pending.len(), 1);
    assert_eq!(report.pending[0].next_due_mock_ms, Some(T0 * 1000 + 2000));
    assert_eq!(requests(&rx).await.len(), 1);

    // Not yet due: nothing more is sent.
    clock.advance(Duration::from_millis(1999));
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert_eq!(requests(&rx).await.len(), 1);

    clock.advance(Duration::from_millis(1));
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert_eq!(requests(&rx).await.len(), 2);

    clock.advance(Duration::from_millis(3999));
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert_eq!(requests(&rx).await.len(), 2);

    clock.advance(Duration::from_millis(1));
    let report = server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert!(report.pending.is_empty(), "{report:?}");
    let got = requests(&rx).await;
    assert_eq!(got.len(), 3);

    let d = &server.callback_deliveries(DEV_APP_ID)[0];
    assert_eq!(d.event, "room_create");
    assert_eq!(d.state, DeliveryState::Delivered);
    let sent: Vec<i64> = d.attempts.iter().map(|a| a.sent_mock_ms).collect();
    assert_eq!(sent, [T0 * 1000, T0 * 1000 + 2000, T0 * 1000 + 6000]);
    let due: Vec<i64> = d.attempts.iter().map(|a| a.due_mock_ms).collect();
    assert_eq!(due, [T0 * 1000, T0 * 1000 + 2000, T0 * 1000 + 6000]);
    let outcomes: Vec<_> = d.attempts.iter().map(|a| a.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [
            Some(Outcome::Status(500)),
            Some(Outcome::Status(500)),
            Some(Outcome::Status(200))
        ]
    );
    // The same body (timestamp, nonce, signature) on every attempt.
    assert!(got.iter().all(|r| r.body == got[0].body));
    assert_eq!(String::from_utf8_lossy(&got[0].body), d.body);
}

#[tokio::test]
async fn a_receiver_never_answering_2xx_loses_the_callback_after_six_attempts() {
    let (server, clock) = frozen().await;
    let rx = receiver(503).await;
    server
        .set_callbacks(DEV_APP_ID, room_only(&rx.uri()))
        .unwrap();
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    for delay in [2, 4, 8, 16, 32] {
        clock.advance(Duration::from_secs(delay));
        server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    }
    let d = &server.callback_deliveries(DEV_APP_ID)[0];
    assert_eq!(d.state, DeliveryState::Lost);
    assert_eq!(d.attempts.len(), 6);
    let offsets: Vec<i64> = d
        .attempts
        .iter()
        .map(|a| a.sent_mock_ms - T0 * 1000)
        .collect();
    assert_eq!(offsets, [0, 2000, 6000, 14000, 30000, 62000]);
    assert_eq!(requests(&rx).await.len(), 6);

    // Nothing more, however far the clock moves.
    clock.advance(Duration::from_secs(600));
    let report = server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert!(report.settled && report.pending.is_empty());
    assert_eq!(requests(&rx).await.len(), 6);
    let got = requests(&rx).await;
    assert!(got.iter().all(|r| r.body == got[0].body));
}

#[tokio::test]
async fn a_refused_connection_is_a_failure_retried_like_a_status() {
    let (server, clock) = frozen().await;
    // Bind and close a port: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    server
        .set_callbacks(DEV_APP_ID, room_only(&format!("http://127.0.0.1:{port}")))
        .unwrap();
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    clock.advance(Duration::from_secs(2));
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    let d = &server.callback_deliveries(DEV_APP_ID)[0];
    assert_eq!(d.state, DeliveryState::Pending);
    assert_eq!(d.attempts.len(), 2);
    assert_eq!(
        d.attempts[0].outcome,
        Some(Outcome::Error("connect".into()))
    );
}

#[tokio::test]
async fn a_category_without_url_is_journalled_no_url_and_not_sent() {
    let (server, _clock) = frozen().await;
    let rx = receiver(200).await;
    server
        .set_callbacks(DEV_APP_ID, room_only(&rx.uri()))
        .unwrap();
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    let deliveries = server.callback_deliveries(DEV_APP_ID);
    let login = deliveries.iter().find(|d| d.event == "room_login").unwrap();
    assert_eq!(login.state, DeliveryState::NoUrl);
    assert_eq!(login.url, None);
    assert!(login.attempts.is_empty());
    assert_eq!(requests(&rx).await.len(), 1);
}

#[tokio::test]
async fn an_app_without_callback_configuration_sends_nothing() {
    let (server, _clock) = frozen().await;
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert!(server.callback_deliveries(DEV_APP_ID).is_empty());
    assert_eq!(server.events(DEV_APP_ID, Env::Production).len(), 2);
}

#[tokio::test]
async fn form_bodies_have_one_key_per_field_and_the_form_content_type() {
    let (server, _clock) = frozen().await;
    let rx = receiver(200).await;
    server
        .set_callbacks(
            DEV_APP_ID,
            room_only(&rx.uri()).format(CallbackFormat::Form),
        )
        .unwrap();
    login(&server, "room 1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    let got = requests(&rx).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8(got[0].body.clone()).unwrap();
    let fields: std::collections::HashMap<String, String> = body
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (decode(k), decode(v))
        })
        .collect();
    assert_eq!(fields["event"], "room_create");
    assert_eq!(fields["appid"], DEV_APP_ID.to_string());
    assert_eq!(fields["room_id"], "room 1");
    assert_eq!(
        fields["signature"],
        callback_signature(SECRET, &fields["timestamp"], &fields["nonce"])
    );
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn a_slow_receiver_times_out_without_delaying_api_answers() {
    // Arrange: the receiver answers after 3 s; attempts wait 300 ms.
    let (server, _clock) = frozen().await;
    let rx = Receiver::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&rx)
        .await;
    server
        .set_callbacks(DEV_APP_ID, room_only(&rx.uri()).timeout_ms(300))
        .unwrap();

    // Act: a callback is due; an API call is answered meanwhile.
    login(&server, "room1", "alice");
    let answer = get(&server, &creat(T0, "s1", 1, &[])).await;

    // Assert: the API answered before the delivery ended.
    assert_eq!(answer["Code"], 0);
    let d = &server.callback_deliveries(DEV_APP_ID)[0];
    assert!(
        matches!(d.state, DeliveryState::Pending | DeliveryState::InFlight),
        "{:?}",
        d.state
    );
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    let d = &server.callback_deliveries(DEV_APP_ID)[0];
    assert_eq!(d.state, DeliveryState::Pending);
    assert_eq!(
        d.attempts[0].outcome,
        Some(Outcome::Error("timeout".into()))
    );
    let latency = d.attempts[0].latency_ms.unwrap();
    assert!((300..3000).contains(&latency), "{latency}");
}

#[tokio::test]
async fn deliveries_to_one_url_go_one_at_a_time_in_event_order_and_a_retry_does_not_block() {
    // The first callback fails once; the second is delivered before its retry.
    let (server, clock) = frozen().await;
    let rx = failing_first(1).await;
    let url = format!("{}/all", rx.uri());
    server
        .set_callbacks(
            DEV_APP_ID,
            CallbackConfig::for_app(DEV_APP_ID).all_urls(url),
        )
        .unwrap();
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    clock.advance(Duration::from_secs(2));
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    let order: Vec<String> = requests(&rx)
        .await
        .iter()
        .map(|r| text(&serde_json::from_slice::<Value>(&r.body).unwrap()["event"]))
        .collect();
    assert_eq!(order, ["room_create", "room_login", "room_create"]);
}

#[tokio::test]
async fn reset_cancels_pending_deliveries() {
    let (server, clock) = frozen().await;
    let rx = receiver(500).await;
    server
        .set_callbacks(DEV_APP_ID, room_only(&rx.uri()))
        .unwrap();
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    server.reset_app(DEV_APP_ID);
    clock.advance(Duration::from_secs(100));
    let report = server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert!(report.pending.is_empty());
    let d = &server.callback_deliveries(DEV_APP_ID)[0];
    assert_eq!(d.state, DeliveryState::Cancelled);
    assert_eq!(requests(&rx).await.len(), 1);
    // The configuration stays: the next login is delivered again.
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert_eq!(requests(&rx).await.len(), 2);
}

#[tokio::test]
async fn the_builder_configures_callbacks_from_the_start() {
    let rx = receiver(200).await;
    let clock = zego_mock::ManualClock::at_secs(T0);
    let server = zego_mock::MockServer::builder()
        .clock(clock)
        .callbacks(DEV_APP_ID, room_only(&rx.uri()))
        .start()
        .await;
    login(&server, "room1", "alice");
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert_eq!(requests(&rx).await.len(), 1);
}

#[tokio::test]
async fn the_control_plane_configures_lists_clears_and_flushes() {
    let (server, clock) = frozen().await;
    let rx = receiver(500).await;
    let base = format!("/_mock/apps/{DEV_APP_ID}/callbacks");

    // The defaults, secret included.
    let (status, config) = control(&server, "GET", &base, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        config["secret"],
        zego_mock::default_callback_secret(DEV_APP_ID)
    );
    assert_eq!(config["retry_delays_s"], json!([2, 4, 8, 16, 32]));
    assert_eq!(config["timeout_ms"], 5000);
    assert_eq!(config["format"], "json");

    // A partial PUT keeps the rest.
    let url = format!("{}/cb", rx.uri());
    let (status, config) = control(
        &server,
        "PUT",
        &base,
        Some(json!({"secret": SECRET, "urls": {"room": url}})),
    )
    .await;
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["secret"], SECRET);
    assert_eq!(config["urls"]["room"], url);
    assert_eq!(config["timeout_ms"], 5000);
    let (status, config) = control(
        &server,
        "PUT",
        &base,
        Some(json!({"urls": {"stream": url}, "timeout_ms": 1000})),
    )
    .await;
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["urls"]["room"], url);
    assert_eq!(config["urls"]["stream"], url);
    let (_, config) = control(
        &server,
        "PUT",
        &base,
        Some(json!({"urls": {"stream": null}})),
    )
    .await;
    assert_eq!(config["urls"].get("stream"), None);

    // Clear 400s.
    for bad in [
        json!({"urls": {"room": "ftp://x"}}),
        json!({"urls": {"nope": "http://x"}}),
        json!({"timeout_ms": 0}),
        json!({"retry_delays_s": [1,1,1,1,1,1,1,1,1,1,1]}),
        json!({"format": "xml"}),
        json!({"secret": ""}),
        json!({"colour": "red"}),
        json!([1]),
    ] {
        let (status, answer) = control(&server, "PUT", &base, Some(bad.clone())).await;
        assert_eq!(status, 400, "{bad} -> {answer}");
        assert!(answer["error"].as_str().unwrap().len() > 10, "{answer}");
    }

    // A simulated login through the control plane, then a flush over HTTP.
    let (status, _) = control(
        &server,
        "POST",
        &format!("/_mock/apps/{DEV_APP_ID}/rooms/room1/users"),
        Some(json!({"user_id": "alice"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, report) = control(
        &server,
        "POST",
        &format!("{base}/flush?timeout_ms=5000"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["settled"], true);
    assert_eq!(report["pending"][0]["event"], "room_create");
    assert_eq!(report["pending"][0]["next_due_mock_ms"], T0 * 1000 + 2000);

    let (_, list) = control(&server, "GET", &format!("{base}/deliveries"), None).await;
    let all = list["deliveries"].as_array().unwrap();
    assert_eq!(all.len(), 2);
    let d = &all[0];
    assert_eq!(d["app"], DEV_APP_ID);
    assert_eq!(d["env"], "production");
    assert_eq!(d["category"], "room");
    assert_eq!(d["url"], url);
    assert_eq!(d["content_type"], "application/json");
    assert_eq!(d["state"], "pending");
    assert_eq!(d["attempts"][0]["n"], 1);
    assert_eq!(d["attempts"][0]["outcome"], json!({"status": 500}));
    assert!(d["attempts"][0]["latency_ms"].is_u64());
    assert!(d["attempts"][0]["sent_real_ms"].is_i64());
    assert_eq!(d["signature_input"]["sorted"].as_array().unwrap().len(), 3);
    assert!(!list.to_string().contains(SECRET));

    let (_, list) = control(
        &server,
        "GET",
        &format!("{base}/deliveries?state=no_url"),
        None,
    )
    .await;
    assert_eq!(list["deliveries"].as_array().unwrap().len(), 1);
    assert_eq!(list["deliveries"][0]["event"], "room_login");
    let (_, list) = control(
        &server,
        "GET",
        &format!("{base}/deliveries?event=room_create&env=production"),
        None,
    )
    .await;
    assert_eq!(list["deliveries"].as_array().unwrap().len(), 1);
    let (_, list) = control(&server, "GET", &format!("{base}/deliveries?env=test"), None).await;
    assert_eq!(list["deliveries"].as_array().unwrap().len(), 0);
    let (status, _) = control(
        &server,
        "GET",
        &format!("{base}/deliveries?state=gone"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = control(&server, "POST", &format!("{base}/flush?timeout_ms=x"), None).await;
    assert_eq!(status, 400);
    let (status, _) = control(&server, "GET", &format!("{base}/flush"), None).await;
    assert_eq!(status, 405);

    // Cleared deliveries are never sent, even when due.
    let (status, _) = control(&server, "DELETE", &format!("{base}/deliveries"), None).await;
    assert_eq!(status, 200);
    clock.advance(Duration::from_secs(10));
    control(&server, "POST", &format!("{base}/flush"), None).await;
    assert_eq!(requests(&rx).await.len(), 1);
    assert!(server.callback_deliveries(DEV_APP_ID).is_empty());

    // The routes are listed.
    let (_, list) = control(&server, "GET", "/_mock", None).await;
    let paths = list.to_string();
    assert!(paths.contains("/_mock/apps/{app_id}/callbacks/deliveries"));
    assert!(paths.contains("/_mock/apps/{app_id}/callbacks/flush"));
}

#[tokio::test]
async fn time_driven_events_go_out_when_the_clock_moves_to_the_task_url() {
    // A censor task ends by itself after 300 s without a live stream in its room: moving the
    // clock is enough for its status callback to go out, to the task's own StatusCallbackUrl
    // (no category URL is configured).
    let (server, clock) = frozen().await;
    let rx = receiver(200).await;
    server
        .set_callbacks(DEV_APP_ID, CallbackConfig::for_app(DEV_APP_ID))
        .unwrap();
    let status_url = format!("{}/status", rx.uri());
    let body = json!({
        "RoomId": "room_1", "IsMixingEnabled": 0, "EventId": "live_streaming",
        "RiskTypeList": ["POLITY"], "AudioLanguage": "zh", "LabelLanguage": "zh",
        "ReturnFinishInfo": 1, "ResultCallbackUrl": "", "StatusCallbackUrl": status_url,
    })
    .to_string();
    let answer = common::post(&server, "StartCensorAudioV2", T0, &body).await;
    assert_eq!(answer.json()["Code"], 0, "{:?}", answer.json());
    server.flush_callbacks(DEV_APP_ID, FLUSH).await;
    assert!(requests(&rx).await.is_empty());

    clock.advance(Duration::from_secs(400));
    let report = server.flush_callbacks(DEV_APP_ID, FLUSH).await;

    assert!(report.settled && report.pending.is_empty(), "{report:?}");
    let got = requests(&rx).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].url.path(), "/status");
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    let event = body.get("event").or_else(|| body.get("Event")).unwrap();
    assert_eq!(text(event), "censor_audio_v2_status");
}

/// The JSON type of a documented field: `s` string, `n` number, `a` array of strings.
fn kind_of(v: &Value) -> char {
    match v {
        Value::String(_) => 's',
        Value::Number(_) => 'n',
        Value::Array(items) if items.iter().all(Value::is_string) => 'a',
        _ => '?',
    }
}

/// Each event's documented fields and their JSON types, transcribed from the callback pages'
/// tables and examples (room/created, destroyed, logged-in, logged-out; stream/created,
/// destroyed; stream-mixing/started, stopped).
const DOCUMENTED: &[(&str, &[(&str, char)])] = &[
    (
        "room_create",
        &[
            ("event", 's'),
            ("appid", 'n'),
            ("timestamp", 'n'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_session_id", 'n'),
            ("room_create_time", 's'),
            ("id_name", 's'),
        ],
    ),
    (
        "room_close",
        &[
            ("event", 's'),
            ("appid", 'n'),
            ("timestamp", 'n'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_session_id", 'n'),
            ("close_reason", 'n'),
            ("room_close_time", 's'),
        ],
    ),
    (
        "room_login",
        &[
            ("event", 's'),
            ("appid", 's'),
            ("timestamp", 's'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_name", 's'),
            ("room_seq", 's'),
            ("user_account", 's'),
            ("user_nickname", 's'),
            ("session_id", 's'),
            ("login_time", 's'),
            ("user_role", 's'),
            ("auth_level", 's'),
            ("relogin", 's'),
            ("user_update_seq", 's'),
            ("callback_data", 's'),
            ("term_type", 's'),
        ],
    ),
    (
        "room_logout",
        &[
            ("event", 's'),
            ("appid", 's'),
            ("timestamp", 's'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_seq", 's'),
            ("user_account", 's'),
            ("user_nickname", 's'),
            ("session_id", 's'),
            ("login_time", 's'),
            ("logout_time", 's'),
            ("reason", 's'),
            ("user_role", 's'),
            ("user_update_seq", 's'),
        ],
    ),
    (
        "stream_create",
        &[
            ("event", 's'),
            ("appid", 's'),
            ("timestamp", 's'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_session_id", 's'),
            ("user_id", 's'),
            ("user_name", 's'),
            ("channel_id", 's'),
            ("stream_id", 's'),
            ("stream_sid", 's'),
            ("title", 's'),
            ("stream_alias", 's'),
            ("stream_attr", 's'),
            ("stream_seq", 's'),
            ("create_time", 's'),
            ("create_time_ms", 's'),
            ("extra_info", 's'),
            ("recreate", 's'),
            ("publish_id", 's'),
            ("publish_name", 's'),
            ("rtmp_url", 'a'),
            ("hls_url", 'a'),
            ("hdl_url", 'a'),
            ("pic_url", 'a'),
        ],
    ),
    (
        "stream_close",
        &[
            ("event", 's'),
            ("appid", 's'),
            ("timestamp", 's'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_session_id", 's'),
            ("user_id", 's'),
            ("user_name", 's'),
            ("channel_id", 's'),
            ("type", 's'),
            ("stream_alias", 's'),
            ("stream_id", 's'),
            ("stream_sid", 's'),
            ("stream_seq", 's'),
            ("third_define_data", 's'),
            ("create_time_ms", 's'),
            ("destroy_timemillis", 's'),
        ],
    ),
    (
        "mix_start",
        &[
            ("appid", 's'),
            ("channel_id", 's'),
            ("event", 's'),
            ("hdl_url", 's'),
            ("hdl_urls", 'a'),
            ("hls_url", 's'),
            ("hls_urls", 'a'),
            ("mix_stream_alias", 's'),
            ("mix_url", 's'),
            ("nonce", 's'),
            ("publish_id", 's'),
            ("rtmp_url", 's'),
            ("rtmp_urls", 'a'),
            ("seq", 's'),
            ("signature", 's'),
            ("stream_alias", 's'),
            ("task_id", 's'),
            ("timestamp", 's'),
        ],
    ),
    (
        "mix_stop",
        &[
            ("appid", 's'),
            ("channel_id", 's'),
            ("event", 's'),
            ("mix_stream_alias", 's'),
            ("mix_url", 's'),
            ("nonce", 's'),
            ("publish_id", 's'),
            ("seq", 's'),
            ("signature", 's'),
            ("task_id", 's'),
            ("timestamp", 's'),
        ],
    ),
];

#[tokio::test]
async fn room_stream_and_mix_callbacks_arrive_in_their_documented_formats_signed() {
    // Arrange: every category to one receiver.
    let (server, _clock) = frozen().await;
    let rx = receiver(200).await;
    let config = CallbackConfig::for_app(DEV_APP_ID)
        .secret(SECRET)
        .all_urls(format!("{}/zego", rx.uri()));
    server.set_callbacks(DEV_APP_ID, config).unwrap();

    // Act: a login, a publish, a mix of that stream started and stopped, the publish stopped,
    // the logout (which closes the room).
    login(&server, "room1", "alice");
    server
        .publish_in_room(DEV_APP_ID, Env::Production, "room1", "alice", "s1")
        .expect("publish");
    let mix = json!({"TaskId":"t1","UserId":"alice","MixInput":[{"StreamId":"s1"}],"MixOutput":[{"StreamId":"mix1","VideoBitrate":1200000,"Fps":15,"Width":360,"Height":640}]});
    let started = common::post(&server, "StartMix", T0, &mix.to_string()).await;
    assert_eq!(started.json()["Code"], 0, "{:?}", started.json());
    let stopped = common::post(
        &server,
        "StopMix",
        T0,
        r#"{"TaskId":"t1","UserId":"alice"}"#,
    )
    .await;
    assert_eq!(stopped.json()["Code"], 0);
    server
        .stop_in_room(DEV_APP_ID, Env::Production, "room1", "alice", "s1")
        .expect("stop");
    server
        .logout(
            DEV_APP_ID,
            Env::Production,
            "room1",
            "alice",
            zego_mock::LogoutReason::Normal,
        )
        .expect("logout");
    assert!(server.flush_callbacks(DEV_APP_ID, FLUSH).await.settled);

    // Assert: each documented event once, with exactly its documented fields and types, and a
    // signature that verifies with the CallbackSecret.
    let bodies: Vec<Value> = requests(&rx)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect();
    for (event, fields) in DOCUMENTED {
        let body = bodies
            .iter()
            .find(|b| b["event"] == *event)
            .unwrap_or_else(|| panic!("no {event} among {bodies:?}"));
        let got: std::collections::BTreeMap<&str, char> = body
            .as_object()
            .expect("an object")
            .iter()
            .map(|(k, v)| (k.as_str(), kind_of(v)))
            .collect();
        let want: std::collections::BTreeMap<&str, char> = fields.iter().copied().collect();
        assert_eq!(got, want, "{event}: {body}");
        assert_eq!(
            text(&body["signature"]),
            callback_signature(SECRET, &text(&body["timestamp"]), &text(&body["nonce"])),
            "{event}"
        );
        assert_eq!(text(&body["appid"]), DEV_APP_ID.to_string(), "{event}");
    }
    // The values that tie them together.
    let find = |e: &str| bodies.iter().find(|b| b["event"] == e).expect(e);
    let session = find("room_create")["room_session_id"]
        .as_u64()
        .expect("a u64");
    assert!(session > 1 << 53, "a 19-digit id, exact: {session}");
    assert_eq!(find("room_login")["room_seq"], session.to_string());
    assert_eq!(
        find("stream_create")["room_session_id"],
        session.to_string()
    );
    assert_eq!(
        find("room_close")["room_session_id"].as_u64(),
        Some(session)
    );
    assert_eq!(find("mix_start")["task_id"], format!("{DEV_APP_ID}:t1"));
    assert_eq!(find("mix_start")["mix_stream_alias"], "mix1");
    assert_eq!(find("mix_stop")["task_id"], format!("{DEV_APP_ID}:t1"));
    assert_eq!(find("stream_close")["type"], "0");
    assert_eq!(find("room_logout")["reason"], "0");
    assert_eq!(find("room_close")["close_reason"], 0);
    assert_eq!(
        find("room_login")["session_id"],
        find("room_logout")["session_id"]
    );
}
