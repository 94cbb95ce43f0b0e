//! The control plane through both faces: `MockServer` methods and the JSON API under `/_mock`.

use crate::common;

use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use zego_mock::{
    Action, AppConfig, Env, Expectation, FaultSpec, JournalFilter, ManualClock, MockServer,
    DEV_APP_ID, DEV_SERVER_SECRET,
};

/// Calls the control API and decodes its JSON answer.
async fn admin(server: &MockServer, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let raw = send_raw(server.address(), req.as_bytes()).await;
    (raw.status, raw.json())
}

#[tokio::test]
async fn no_full_expected_signature_is_shown_unless_the_mock_was_started_to_reveal_them() {
    let mut pairs = common_pairs("CreatCDNTransferRule", T0);
    pairs[4].1 = "ffffffffffffffffffffffffffffffff".into();
    let query = join(&pairs) + "&StreamId=s&Sequence=1";
    let expected_sig = zego_mock::sign(DEV_APP_ID, "4fd24687296dd9f3", DEV_SERVER_SECRET, T0);
    // By default, the whole value is nowhere: not in the journal, not over HTTP.
    let (server, _clock) = frozen().await;
    get(&server, &query).await;
    let (_, j) = admin(&server, "GET", "/_mock/journal", None).await;
    assert!(!j.to_string().contains(&expected_sig), "{j}");
    // And the control plane cannot turn it on.
    let (status, o) = admin(
        &server,
        "PUT",
        "/_mock/options",
        Some(json!({"reveal_signatures": true})),
    )
    .await;
    assert_eq!(status, 400, "{o}");
    let (_, o) = admin(&server, "GET", "/_mock/options", None).await;
    assert_eq!(o["reveal_signatures"], false, "{o}");
    // Started with the opt-in, the reason shows it whole.
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .clock(clock)
        .reveal_signatures(true)
        .start()
        .await;
    get(&server, &query).await;
    let reason = server.received()[0].reason.clone().expect("reason");
    assert!(
        reason.contains(&format!("= {expected_sig}, received")),
        "{reason}"
    );
}

#[tokio::test]
async fn the_journal_explains_a_bad_signature_word_for_word() {
    // Arrange
    let (server, _clock) = frozen().await;
    let mut pairs = common_pairs("CreatCDNTransferRule", T0);
    pairs[4].1 = "ffffffffffffffffffffffffffffffff".into();
    // Act
    let v = get(&server, &(join(&pairs) + "&StreamId=s&Sequence=1")).await;
    // Assert
    assert_eq!(v["Code"], 100000005);
    let expected_sig = zego_mock::sign(DEV_APP_ID, "4fd24687296dd9f3", DEV_SERVER_SECRET, T0);
    // Only the first 4 hex digits: enough to tell a wrong secret from a wrong encoding, not
    // enough to sign with.
    let want = format!(
        "Signature mismatch: expected md5(\"{DEV_APP_ID}\" + \"4fd24687296dd9f3\" + ServerSecret(***) + \"{T0}\") = {}… (the first 4 of 32 hex digits; the mock shows all only with --reveal-signatures), received ffffffffffffffffffffffffffffffff",
        &expected_sig[..4]
    );
    let entries = server.received();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].reason.as_deref(), Some(want.as_str()));
    assert_eq!(entries[0].check, Some("signature"));
    assert_eq!(entries[0].code, 100000005);
    assert_eq!(entries[0].message, "Signature error.");
    // The HTTP face says the same.
    let (status, j) = admin(&server, "GET", "/_mock/journal", None).await;
    assert_eq!(status, 200);
    assert_eq!(j["entries"][0]["reason"], want);
    assert_eq!(j["entries"][0]["action"], "CreatCDNTransferRule");
    assert_eq!(j["entries"][0]["app_id"], DEV_APP_ID);
    // The secret appears nowhere in the journal.
    assert!(!j.to_string().contains(DEV_SERVER_SECRET));
}

#[tokio::test]
async fn the_journal_explains_skew_and_sequence_refusals() {
    let (server, _clock) = frozen().await;
    get(&server, &creat(T0 - 700, "s", 1, &[])).await;
    assert_eq!(code(&server, &creat(T0, "s", 5, &[])).await, 0);
    get(&server, &creat(T0, "s", 5, &[])).await;
    let e = server.received();
    assert_eq!(e.len(), 3);
    assert_eq!(
        e[0].reason.as_deref(),
        Some("Timestamp 1699999300 is 700 s behind the server time 1700000000; at most 600 s either way is accepted")
    );
    assert_eq!(e[1].code, 0);
    assert_eq!(e[1].reason, None);
    assert_eq!(e[1].env, Some("production"));
    assert_eq!(e[2].check, Some("sequence"));
    assert!(
        e[2].reason
            .as_deref()
            .expect("reason")
            .contains("is not greater than 5, accepted 0 ms ago"),
        "{:?}",
        e[2].reason
    );
    assert!(e[0].seq < e[1].seq && e[1].seq < e[2].seq);
    // Parameters are kept, in order, decoded.
    assert_eq!(
        e[1].params[0],
        ("Action".to_string(), "CreatCDNTransferRule".to_string())
    );
    assert!(e[1].params.contains(&(
        "CDNUrl".to_string(),
        "rtmp://cdn.example.com/live/s".to_string()
    )));
}

#[tokio::test]
async fn the_journal_filters_clears_and_stays_bounded() {
    let server = MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .journal_capacity(5)
        .start()
        .await;
    for i in 0..4 {
        get(&server, &creat(T0, &format!("s{i}"), 1, &[])).await;
    }
    for _ in 0..4 {
        get(&server, &resume(T0, "a.b", &[])).await;
    }
    // Only the latest 5 are kept.
    let all = server.received();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0].seq, 4);
    let only = server.journal(&JournalFilter {
        code: Some(2),
        ..Default::default()
    });
    assert_eq!(only.len(), 4);
    let (_, j) = admin(
        &server,
        "GET",
        "/_mock/journal?action=CreatCDNTransferRule",
        None,
    )
    .await;
    assert_eq!(j["entries"].as_array().expect("entries").len(), 1);
    // A filter the journal does not have, or an action ZEGO does not document, is a 400 that
    // says so (not a silently unfiltered list).
    let (status, j) = admin(
        &server,
        "GET",
        "/_mock/journal?acton=CreatCDNTransferRule",
        None,
    )
    .await;
    assert_eq!(status, 400, "{j}");
    assert!(
        j["error"].as_str().expect("error").contains("\"acton\""),
        "{j}"
    );
    let (status, j) = admin(
        &server,
        "GET",
        "/_mock/journal?action=CreateCDNTransferRule",
        None,
    )
    .await;
    assert_eq!(status, 400, "{j}");
    assert!(
        j["error"]
            .as_str()
            .expect("error")
            .contains("did you mean \"CreatCDNTransferRule\""),
        "{j}"
    );
    let only = server.journal(&JournalFilter {
        action: Some(Action::CreatCDNTransferRule),
        ..Default::default()
    });
    assert_eq!(only.len(), 1);
    let (_, j) = admin(
        &server,
        "GET",
        &format!("/_mock/journal?app_id={DEV_APP_ID}&code=0"),
        None,
    )
    .await;
    assert_eq!(j["entries"].as_array().expect("entries").len(), 1);
    let (status, _) = admin(&server, "GET", "/_mock/journal?code=zero", None).await;
    assert_eq!(status, 400);
    let (status, _) = admin(&server, "DELETE", "/_mock/journal", None).await;
    assert_eq!(status, 200);
    assert!(server.received().is_empty());
    get(&server, "Action=Nope").await;
    server.clear_journal();
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_code_fault_for_the_next_two_calls_of_one_action() {
    let (server, _clock) = frozen().await;
    let id = server
        .add_fault(
            FaultSpec::code(30003)
                .for_action(Action::CreatCDNTransferRule)
                .times(2),
        )
        .expect("valid fault");
    // Another action is untouched.
    assert_eq!(code(&server, &resume(T0, "s", &[])).await, 0);
    let v = get(&server, &creat(T0, "s", 1, &[])).await;
    assert_eq!(v["Code"], 30003);
    assert_eq!(v["Message"], "Internal error.");
    assert_eq!(code(&server, &creat(T0, "s", 2, &[])).await, 30003);
    // Faulted requests did not run: Sequence 1 is still free, and the fault is used up.
    assert_eq!(code(&server, &creat(T0, "s", 1, &[])).await, 0);
    assert!(server.faults().is_empty());
    let faulted = server.journal(&JournalFilter {
        code: Some(30003),
        ..Default::default()
    });
    assert_eq!(faulted.len(), 2);
    assert_eq!(faulted[0].fault, Some(id));
    assert_eq!(faulted[0].check, Some("fault"));
}

#[tokio::test]
async fn faults_through_http_are_scoped_listed_and_removed() {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .app(DEV_APP_ID, DEV_SERVER_SECRET)
        .app(7, "seven")
        .clock(clock)
        .start()
        .await;
    let (status, v) = admin(&server, "POST", "/_mock/faults", Some(json!({"app_id": 7, "kind": {"code": 7}, "when": "always", "action": "ResumeCDNLiveStream"}))).await;
    assert_eq!(status, 200, "{v}");
    let id = v["id"].as_u64().expect("id");
    let seven = zego_mock::signed_query(
        7,
        "seven",
        "ResumeCDNLiveStream",
        T0,
        "n",
        &[("StreamId", "s")],
    );
    assert_eq!(code(&server, &seven).await, 7);
    // Scoped by AppId: the dev app is not affected.
    assert_eq!(code(&server, &resume(T0, "s", &[])).await, 0);
    let (_, list) = admin(&server, "GET", "/_mock/faults", None).await;
    assert_eq!(list["faults"][0]["id"], id);
    assert_eq!(list["faults"][0]["fired"], 1);
    let (status, _) = admin(&server, "DELETE", &format!("/_mock/faults/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(code(&server, &seven).await, 0);
    let (status, _) = admin(&server, "DELETE", &format!("/_mock/faults/{id}"), None).await;
    assert_eq!(status, 404);
    // Undocumented codes and malformed specs are refused with a reason.
    let (status, v) = admin(
        &server,
        "POST",
        "/_mock/faults",
        Some(json!({"kind": {"code": 999}, "when": "always", "action": "CreatCDNTransferRule"})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(v["error"].as_str().expect("error").contains("999"), "{v}");
    let (status, _) = admin(
        &server,
        "POST",
        "/_mock/faults",
        Some(json!({"kind": "explode"})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_seeded_probabilistic_fault_is_reproducible() {
    async fn outcomes(seed: u64) -> Vec<i64> {
        let server = MockServer::builder()
            .clock(ManualClock::at_secs(T0))
            .rate_limits(false)
            .start()
            .await;
        server
            .add_fault(FaultSpec::code(1).with_probability(0.5, seed))
            .expect("valid");
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(code(&server, &resume(T0, "s", &[])).await);
        }
        out
    }
    let a = outcomes(42).await;
    assert_eq!(a, outcomes(42).await);
    assert_ne!(a, outcomes(43).await);
    assert!(a.contains(&1) && a.contains(&0), "{a:?}");
}

#[tokio::test]
async fn latency_and_dropped_connections() {
    let (server, _clock) = frozen().await;
    server
        .add_fault(FaultSpec::latency_millis(150).times(1))
        .expect("valid");
    let started = Instant::now();
    assert_eq!(code(&server, &resume(T0, "s", &[])).await, 0);
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "answered after {:?}",
        started.elapsed()
    );

    let (status, _) = admin(
        &server,
        "POST",
        "/_mock/faults",
        Some(json!({"kind": "drop", "when": {"next": 1}})),
    )
    .await;
    assert_eq!(status, 200);
    let req = format!(
        "GET /?{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        resume(T0, "s", &[])
    );
    let mut s = tokio::net::TcpStream::connect(server.address())
        .await
        .expect("connect");
    tokio::io::AsyncWriteExt::write_all(&mut s, req.as_bytes())
        .await
        .expect("write");
    let mut buf = Vec::new();
    let _ = tokio::io::AsyncReadExt::read_to_end(&mut s, &mut buf).await;
    assert!(
        buf.is_empty(),
        "expected no answer, got {:?}",
        String::from_utf8_lossy(&buf)
    );
    assert_eq!(code(&server, &resume(T0, "s", &[])).await, 0);
    let dropped = server
        .received()
        .into_iter()
        .find(|e| e.fault.is_some() && e.code == -1)
        .expect("journaled");
    assert_eq!(
        dropped.reason.as_deref(),
        Some("the connection was dropped by an injected fault")
    );
}

#[tokio::test]
async fn the_clock_reads_freezes_advances_and_offsets() {
    let server = MockServer::start().await;
    // Rust face.
    server.clock().freeze_at_millis(T0 * 1000);
    assert_eq!(code(&server, &creat(T0 - 600, "s", 1, &[])).await, 0);
    server.clock().advance(Duration::from_secs(1));
    assert_eq!(
        code(&server, &creat(T0 - 600, "s", 2, &[])).await,
        100000004
    );
    // HTTP face.
    let (_, c) = admin(&server, "GET", "/_mock/clock", None).await;
    assert_eq!(c["now_secs"], T0 + 1);
    assert_eq!(c["frozen"], true);
    assert_eq!(c["utc"], "2023-11-14T22:13:21Z");
    let (_, c) = admin(
        &server,
        "POST",
        "/_mock/clock/advance",
        Some(json!({"secs": -1})),
    )
    .await;
    assert_eq!(c["now_secs"], T0);
    assert_eq!(code(&server, &creat(T0 - 600, "s", 3, &[])).await, 0);
    let (_, c) = admin(
        &server,
        "POST",
        "/_mock/clock/freeze",
        Some(json!({"at_secs": 1_800_000_000})),
    )
    .await;
    assert_eq!(c["now_millis"], 1_800_000_000_000i64);
    // An offset runs from real time: an hour ahead.
    let (_, c) = admin(
        &server,
        "POST",
        "/_mock/clock/offset",
        Some(json!({"millis": 3_600_000})),
    )
    .await;
    assert_eq!(c["frozen"], false);
    let real = zego_mock::SystemClock;
    let ahead = c["now_secs"].as_i64().expect("secs") - zego_mock::Clock::now_secs(&real);
    assert!((3590..=3600).contains(&ahead), "{ahead}");
    let (status, _) = admin(
        &server,
        "POST",
        "/_mock/clock/advance",
        Some(json!({"secs": 1, "millis": 1})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn two_apps_in_parallel_and_resetting_one_leaves_the_other() {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .app(DEV_APP_ID, DEV_SERVER_SECRET)
        .app(7, "seven")
        .clock(clock)
        .start()
        .await;
    let seven =
        |action: &str, p: &[(&str, &str)]| zego_mock::signed_query(7, "seven", action, T0, "n", p);
    let (a, b) = tokio::join!(
        async {
            for i in 0..5 {
                assert_eq!(code(&server, &creat(T0, &format!("d{i}"), 1, &[])).await, 0);
            }
        },
        async {
            for i in 0..5 {
                let q = seven(
                    "CreatCDNTransferRule",
                    &[("StreamId", &format!("s{i}")), ("Sequence", "1")],
                );
                assert_eq!(code(&server, &q).await, 0);
            }
        }
    );
    let _ = (a, b);
    server
        .start_publishing(7, Env::Production, "live")
        .expect("publish");
    // Reset app 7 through HTTP.
    let (status, _) = admin(&server, "DELETE", "/_mock/apps/7/state", None).await;
    assert_eq!(status, 200);
    assert!(server
        .state(7, Env::Production)
        .media
        .relay_rules
        .is_empty());
    assert!(server.state(7, Env::Production).media.streams.is_empty());
    assert_eq!(
        server
            .state(DEV_APP_ID, Env::Production)
            .media
            .relay_rules
            .len(),
        5
    );
    // App 7's Sequence order and rate counts are gone too; the dev app's are not.
    let q = seven(
        "CreatCDNTransferRule",
        &[("StreamId", "s0"), ("Sequence", "1")],
    );
    assert_eq!(code(&server, &q).await, 0);
    assert_eq!(code(&server, &creat(T0, "d0", 1, &[])).await, 5005);
    // Rust face: reset the dev app.
    server.reset_app(DEV_APP_ID);
    assert!(server
        .state(DEV_APP_ID, Env::Production)
        .media
        .relay_rules
        .is_empty());
    assert_eq!(server.state(7, Env::Production).media.relay_rules.len(), 1);
}

#[tokio::test]
async fn state_reads_seeds_and_simulated_publishers_over_http() {
    let (server, _clock) = frozen().await;
    let seed = json!({
        "relay_rules": [{"stream_id": "s1", "cdn_url": "rtmp://h/a", "created_at_millis": 1}],
        "cdn_bans": [{"stream_id": "b1", "start_secs": T0 - 10, "end_secs": T0 + 3600}],
        "forbidden_rtc": ["f1"],
        "streams": {"old": {"create_secs": T0 - 100, "close_secs": T0 - 50}}
    });
    let (status, v) = admin(
        &server,
        "PUT",
        &format!("/_mock/apps/{DEV_APP_ID}/state?env=production"),
        Some(seed.clone()),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    // The media fields as seeded, and the other families' fields empty.
    let mut want = seed.clone();
    for (k, empty) in [
        ("rooms", json!({})),
        ("user_rules", json!([])),
        ("stream_rules", json!([])),
        ("last_session_id", json!(0)),
        ("mix_tasks", json!({})),
        ("transcode_tasks", json!({})),
        ("mix_seq", json!(0)),
        // The media-file family: its default configuration (SPEC-rest-callbacks 2.9.1), no
        // recordings, files or tasks.
        (
            "media_config",
            json!({"cdn_vendor": "Tencent", "record_formats": ["mp4"], "record_interval_secs": 7200,
                   "record_all_streams": false, "cdn_app_name": "app", "vod_domain": "vod.mock.invalid",
                   "vod_sub_app_id": null, "media_task_timing": {"queue_secs": 1, "process_secs": 4},
                   "snapshot_templates": {}, "delete_media_data_as_string": false, "cdn_play_domain": null}),
        ),
        ("media_counters", json!({"files": 0, "tasks": 0})),
        ("recordings", json!({})),
        ("media_files", json!({})),
        ("media_tasks", json!({})),
        ("censor_tasks", json!({})),
        ("identify_tokens", json!({})),
        ("moderation_ids", json!(0)),
        ("scene_templates", json!({})),
    ] {
        want[k] = empty;
    }
    assert_eq!(v, want);
    // The seeded state answers API calls.
    let q = get(
        &server,
        &dev_query("QueryForbidCDNLiveStream", T0, &[("Vendor", "ws")]),
    )
    .await;
    assert_eq!(
        q["Data"]["Ws"]["ResultDetail"]
            .as_array()
            .expect("list")
            .len(),
        1
    );
    assert_eq!(
        code(
            &server,
            &dev_query(
                "DescribeRTCStreamState",
                T0,
                &[("StreamId", "old"), ("Sequence", "1")]
            )
        )
        .await,
        41006
    );
    // Publishing a forbidden stream is refused; another one goes live.
    let (status, v) = admin(
        &server,
        "POST",
        &format!("/_mock/apps/{DEV_APP_ID}/streams/f1/publish"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        v["error"].as_str().expect("error").contains("forbidden"),
        "{v}"
    );
    let (status, _) = admin(
        &server,
        "POST",
        &format!("/_mock/apps/{DEV_APP_ID}/streams/new1/publish?env=production"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        code(
            &server,
            &dev_query(
                "DescribeRTCStreamState",
                T0,
                &[("StreamId", "new1"), ("Sequence", "1")]
            )
        )
        .await,
        0
    );
    let (_, v) = admin(
        &server,
        "POST",
        &format!("/_mock/apps/{DEV_APP_ID}/streams/new1/stop"),
        None,
    )
    .await;
    assert_eq!(v["was_live"], true);
    let (_, both) = admin(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/state"),
        None,
    )
    .await;
    assert_eq!(both["production"]["streams"]["new1"]["close_secs"], T0);
    assert_eq!(both["test"]["relay_rules"], json!([]));
    // Bad seeds are refused.
    let (status, _) = admin(
        &server,
        "PUT",
        &format!("/_mock/apps/{DEV_APP_ID}/state?env=production"),
        Some(json!({"nonsense": 1})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = admin(
        &server,
        "PUT",
        &format!("/_mock/apps/{DEV_APP_ID}/state"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 400);
    // Reset everything.
    let (status, _) = admin(&server, "DELETE", "/_mock/state", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        server.state(DEV_APP_ID, Env::Production),
        Default::default()
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn apps_are_added_and_removed_at_run_time() {
    let (server, _clock) = frozen().await;
    let q = zego_mock::signed_query(
        99,
        "nine",
        "ResumeCDNLiveStream",
        T0,
        "n",
        &[("StreamId", "s")],
    );
    assert_eq!(code(&server, &q).await, 100000010);
    let (status, _) = admin(
        &server,
        "POST",
        "/_mock/apps",
        Some(json!({"app_id": 99, "secret": "nine", "test": false})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(code(&server, &q).await, 0);
    let (_, apps) = admin(&server, "GET", "/_mock/apps", None).await;
    // Ascending AppId order: 99 before the development app.
    assert_eq!(
        apps["apps"][0],
        json!({"app_id": 99, "production": true, "test": false})
    );
    assert!(!apps.to_string().contains("nine"));
    let (status, _) = admin(&server, "DELETE", "/_mock/apps/99", None).await;
    assert_eq!(status, 200);
    assert_eq!(code(&server, &q).await, 100000010);
    server.add_app(AppConfig::new(99, "nine").test_only());
    assert_eq!(code(&server, &q).await, 100000016);
    assert!(server.remove_app(99));
    let (status, _) = admin(
        &server,
        "POST",
        "/_mock/apps",
        Some(json!({"app_id": -1, "secret": "x"})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn options_and_coverage_over_http() {
    let (server, _clock) = frozen().await;
    let (_, o) = admin(
        &server,
        "PUT",
        "/_mock/options",
        Some(json!({"legacy_codes": true})),
    )
    .await;
    assert_eq!(
        o,
        json!({"legacy_codes": true, "rate_limits": true, "reveal_signatures": false})
    );
    let mut bad = common_pairs("CreatCDNTransferRule", T0);
    bad[4].1 = "0".into();
    assert_eq!(
        code(&server, &(join(&bad) + "&StreamId=s&Sequence=1")).await,
        5003
    );
    assert_eq!(code(&server, &creat(T0, "s", 1, &[])).await, 0);
    let (_, c) = admin(&server, "GET", "/_mock/coverage", None).await;
    let exercised = c["exercised"].as_array().expect("exercised");
    assert!(
        exercised.contains(&json!({"action": "CreatCDNTransferRule", "code": 5003, "count": 1})),
        "{c}"
    );
    assert!(
        exercised.contains(&json!({"action": "CreatCDNTransferRule", "code": 0, "count": 1})),
        "{c}"
    );
    let never: Vec<&str> = c["never_called"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(never.contains(&"ResumeCDNLiveStream") && !never.contains(&"CreatCDNTransferRule"));
    assert_eq!(server.coverage().never_called.len(), Action::ALL.len() - 1);
}

#[tokio::test]
async fn unknown_control_endpoints_answer_404_and_405_and_the_index_lists_them() {
    let (server, _clock) = frozen().await;
    let (status, v) = admin(&server, "GET", "/_mock", None).await;
    assert_eq!(status, 200);
    assert!(v["endpoints"].as_array().expect("list").len() > 15);
    assert_eq!(admin(&server, "GET", "/_mock/nope", None).await.0, 404);
    assert_eq!(admin(&server, "PATCH", "/_mock/journal", None).await.0, 405);
    let (status, _) = admin(&server, "POST", "/_mock/apps", Some(json!("not an object"))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn no_admin_turns_the_control_api_off() {
    let server = MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .admin(false)
        .start()
        .await;
    let raw = send_raw(
        server.address(),
        b"GET /_mock/journal HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(raw.status, 404);
    assert_eq!(raw.json()["Code"], -1);
    // The Rust face still works.
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn expectations_pass_and_fail_with_a_clear_message() {
    let (server, _clock) = frozen().await;
    server.expect(
        Expectation::calls(Action::CreatCDNTransferRule)
            .with_code(0)
            .times(2),
    );
    server.expect(Expectation::calls(Action::ResumeCDNLiveStream).at_most(1));
    assert_eq!(code(&server, &creat(T0, "s", 1, &[])).await, 0);
    let err = server.verify().expect_err("one call is not two");
    assert_eq!(err, "zego-mock expectations not met:\n  - expected CreatCDNTransferRule answered 0 exactly 2 times, got 1");
    assert_eq!(code(&server, &creat(T0, "s", 2, &[])).await, 0);
    assert_eq!(server.verify(), Ok(()));
    // Dropping a server whose expectations fail panics with the message.
    let unmet = std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("rt");
        rt.block_on(async {
            let s = MockServer::start().await;
            s.expect(Expectation::calls(Action::DescribeRTCStreamState));
            drop(s);
        });
    })
    .join();
    let panic = unmet.expect_err("drop must panic");
    let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        text.contains("expected DescribeRTCStreamState called at least 1 times, got 0"),
        "{text}"
    );
}

#[tokio::test]
async fn faults_inject_any_code_documented_for_the_action_with_its_tables_description() {
    // Arrange
    let (server, _clock) = frozen().await;
    let add = |action: &str, code: i64| json!({"action": action, "kind": {"code": code}, "when": {"next": 1}});
    let forbid = dev_query("ForbidCDNLiveStream", T0, &[("StreamId", "s")]);
    // Act: 42001 (media-service table) on a CDN-live action, whose page lives under media-service.
    let (status, v) = admin(
        &server,
        "POST",
        "/_mock/faults",
        Some(add("ForbidCDNLiveStream", 42001)),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let answer = get(&server, &forbid).await;
    // Assert: the code, with the description return-codes.mdx gives it.
    assert_eq!(answer["Code"], 42001);
    assert_eq!(answer["Message"], "Failed to disable live broadcast.");
    // The fault replaced the action: no ban was recorded.
    assert!(server
        .state(DEV_APP_ID, Env::Production)
        .media
        .cdn_bans
        .is_empty());
    // The CDN-live action's own older table still answers in its own words.
    admin(
        &server,
        "POST",
        "/_mock/faults",
        Some(add("ForbidCDNLiveStream", 7)),
    )
    .await;
    let answer = get(&server, &forbid).await;
    assert_eq!(answer["Code"], 7);
    assert_eq!(answer["Message"], "Request frequency exceeds the limit.");
    // The media-service table's rate-limit and internal codes, on a media-service action and on
    // a CDN-live one.
    let creat_query = creat(T0, "c", 1, &[]);
    for (code, message) in [
        (30002, "Interface call frequency too high."),
        (5007, "Interface call frequency too high."),
        (1010, "Interface call frequency too high."),
        (5006, "Internal error."),
    ] {
        for (action, query) in [
            ("CreatCDNTransferRule", &creat_query),
            ("ForbidCDNLiveStream", &forbid),
        ] {
            let (status, v) =
                admin(&server, "POST", "/_mock/faults", Some(add(action, code))).await;
            assert_eq!(status, 200, "{action} {code}: {v}");
            let answer = get(&server, query).await;
            assert_eq!(answer["Code"], code, "{action}");
            assert_eq!(answer["Message"], message, "{action} {code}");
        }
    }
    // An undocumented code, or one of another family's table, is refused with a reason.
    for (action, code) in [
        ("ForbidCDNLiveStream", 12345),
        ("ForbidCDNLiveStream", 5018),
    ] {
        let (status, v) = admin(&server, "POST", "/_mock/faults", Some(add(action, code))).await;
        assert_eq!(status, 400, "{v}");
        let error = v["error"].as_str().expect("error");
        assert!(
            error.contains(&code.to_string()) && error.contains(action),
            "{error}"
        );
        assert!(error.contains("media-service"), "{error}");
    }
    assert!(server.faults().is_empty());
}

#[tokio::test]
async fn the_journal_notes_parameters_whose_names_differ_from_documented_ones_only_in_case() {
    // Arrange
    let (server, _clock) = frozen().await;
    // Act: `isTest=true` is not `IsTest`: the request runs in production, and is accepted.
    let accepted = get(&server, &resume(T0, "s", &[("isTest", "true")])).await;
    // `streamid` is not `StreamId`: the request lacks its StreamId.
    let refused = get(
        &server,
        &dev_query("ForbidCDNLiveStream", T0, &[("streamid", "x")]),
    )
    .await;
    // An exact request carries no note.
    let exact = get(&server, &resume(T0, "s", &[("IsTest", "false")])).await;
    // Assert: the answers are unchanged (names are case-sensitive) ...
    assert_eq!(accepted["Code"], 0, "{accepted}");
    assert_eq!(refused["Code"], 2, "{refused}");
    assert_eq!(exact["Code"], 0, "{exact}");
    // ... and the journal says which parameter looked like a documented one.
    let e = server.received();
    assert_eq!(e[0].env, Some("production"));
    assert_eq!(e[0].reason, None);
    assert_eq!(e[0].notes.len(), 1, "{:?}", e[0].notes);
    assert!(
        e[0].notes[0].contains("`isTest`") && e[0].notes[0].contains("`IsTest`"),
        "{:?}",
        e[0].notes
    );
    let reason = e[1].reason.as_deref().expect("a refusal has a reason");
    assert!(reason.contains("StreamId"), "{reason}");
    assert!(
        reason.contains("; note: `streamid` looks like `StreamId`"),
        "{reason}"
    );
    assert!(e[2].notes.is_empty());
    // The HTTP face shows `notes` only where there are some.
    let (_, j) = admin(&server, "GET", "/_mock/journal", None).await;
    let entries = j["entries"].as_array().expect("entries");
    assert!(
        entries[0]["notes"][0]
            .as_str()
            .is_some_and(|n| n.contains("`IsTest`")),
        "{j}"
    );
    assert_eq!(entries[1]["reason"], reason);
    assert!(entries[2].get("notes").is_none(), "{}", entries[2]);
}

#[tokio::test]
async fn the_journal_pages_with_since_and_limit_and_keeps_only_the_first_parameters() {
    let (server, _clock) = frozen().await;
    for i in 0..5 {
        get(&server, &creat(T0, &format!("s{i}"), 1, &[])).await;
    }
    let seqs = |v: &Value| -> Vec<u64> {
        v["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["seq"].as_u64().expect("seq"))
            .collect()
    };
    let (status, v) = admin(&server, "GET", "/_mock/journal?limit=2", None).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(seqs(&v), [4, 5]);
    let (_, v) = admin(&server, "GET", "/_mock/journal?since=1&limit=2", None).await;
    assert_eq!(seqs(&v), [2, 3]);
    let (_, v) = admin(&server, "GET", "/_mock/journal?since=3", None).await;
    assert_eq!(seqs(&v), [4, 5]);
    let filter = JournalFilter {
        since: Some(4),
        ..Default::default()
    };
    assert_eq!(server.journal(&filter).len(), 1);
    for bad in ["since=-1", "limit=x", "sicne=1"] {
        let (status, v) = admin(&server, "GET", &format!("/_mock/journal?{bad}"), None).await;
        assert_eq!(status, 400, "{bad}: {v}");
    }
    // A request of 1,000 junk parameters: the journal keeps the first 64 and counts the rest.
    let junk: Vec<String> = (0..1000).map(|i| format!("p{i}=v")).collect();
    get(&server, &junk.join("&")).await;
    let last = server.journal(&JournalFilter {
        limit: Some(1),
        ..Default::default()
    });
    assert_eq!(last[0].params.len(), zego_mock::JOURNAL_PARAM_LIMIT);
    assert_eq!(
        last[0].params_left_out,
        1000 - zego_mock::JOURNAL_PARAM_LIMIT
    );
    let (_, v) = admin(&server, "GET", "/_mock/journal?limit=1", None).await;
    assert_eq!(v["entries"][0]["params_left_out"], 936, "{v}");
}

fn raw_control(method: &str, path: &str, headers: &[&str], body: &str) -> Vec<u8> {
    let mut req = format!("{method} {path} HTTP/1.1\r\n");
    for h in headers {
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    req.into_bytes()
}

#[tokio::test]
async fn a_web_page_cannot_reach_the_control_api_by_rebinding_or_a_simple_post() {
    let (server, _clock) = frozen().await;
    let addr = server.address();
    // DNS rebinding: the browser sends the page's own name.
    let raw = send_raw(
        addr,
        &raw_control("GET", "/_mock/journal", &["Host: evil.example:7272"], ""),
    )
    .await;
    assert_eq!(raw.status, 403);
    assert!(
        raw.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("--admin-host")),
        "{:?}",
        raw.json()
    );
    // A cross-site form or text/plain POST: refused, and nothing changes.
    for ct in ["text/plain", "application/x-www-form-urlencoded"] {
        let raw = send_raw(
            addr,
            &raw_control(
                "POST",
                "/_mock/clock/advance",
                &["Host: 127.0.0.1", &format!("Content-Type: {ct}")],
                r#"{"secs":3600}"#,
            ),
        )
        .await;
        assert_eq!(raw.status, 415, "{ct}");
    }
    let now = |server| async move {
        admin(server, "GET", "/_mock/clock", None).await.1["now_millis"].as_i64()
    };
    assert_eq!(now(&server).await, Some(T0 * 1000));
    // The same request as JSON is a write.
    let raw = send_raw(
        addr,
        &raw_control(
            "POST",
            "/_mock/clock/advance",
            &["Host: localhost:1", "Content-Type: application/json"],
            r#"{"secs":3600}"#,
        ),
    )
    .await;
    assert_eq!(raw.status, 200);
    assert_eq!(now(&server).await, Some((T0 + 3600) * 1000));
    // The API itself is not concerned: any Host, any type.
    let raw = send_raw(
        addr,
        &raw_control(
            "GET",
            &format!("/?{}", creat(T0 + 3600, "s", 1, &[])),
            &["Host: rtc-api.zego.im"],
            "",
        ),
    )
    .await;
    assert_eq!(raw.json()["Code"], 0);
}

#[tokio::test]
async fn with_an_admin_token_every_control_request_needs_it_and_health_does_not() {
    let server = MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .control_access(zego_mock::ControlAccess::default().with_token(Some("t0ken-abc".into())))
        .start()
        .await;
    let addr = server.address();
    for auth in [None, Some("Bearer wrong"), Some("t0ken-abc")] {
        let mut headers = vec!["Host: 127.0.0.1".to_string()];
        headers.extend(auth.map(|a| format!("Authorization: {a}")));
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let raw = send_raw(addr, &raw_control("GET", "/_mock/journal", &headers, "")).await;
        assert_eq!(raw.status, 401, "{auth:?}");
        assert!(
            raw.head
                .to_ascii_lowercase()
                .contains("www-authenticate: bearer"),
            "{}",
            raw.head
        );
        assert!(!String::from_utf8_lossy(&raw.body).contains("t0ken-abc"));
    }
    // With the token, any Host will do (a container's name, say).
    let raw = send_raw(
        addr,
        &raw_control(
            "GET",
            "/_mock/journal",
            &["Host: zego-mock:7272", "Authorization: Bearer t0ken-abc"],
            "",
        ),
    )
    .await;
    assert_eq!(raw.status, 200);
    let raw = send_raw(
        addr,
        &raw_control("GET", "/_mock/health", &["Host: evil.example"], ""),
    )
    .await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.json()["status"], "ok");
}

#[tokio::test]
async fn clock_moves_that_leave_the_years_a_timestamp_can_name_are_refused() {
    let (server, _clock) = frozen().await;
    for (path, body) in [
        ("/_mock/clock/advance", json!({ "millis": i64::MIN })),
        ("/_mock/clock/advance", json!({ "secs": i64::MAX })),
        ("/_mock/clock/advance", json!({ "secs": -T0 - 1 })),
        ("/_mock/clock/freeze", json!({ "at_secs": i64::MAX })),
        ("/_mock/clock/freeze", json!({ "at_millis": -1 })),
        (
            "/_mock/clock/freeze",
            json!({ "at_secs": 253_402_300_800i64 }),
        ),
        ("/_mock/clock/offset", json!({ "millis": i64::MAX })),
        ("/_mock/clock/offset", json!({ "millis": i64::MIN })),
    ] {
        let (status, answer) = admin(&server, "POST", path, Some(body.clone())).await;
        assert_eq!(status, 400, "{path} {body}: {answer}");
        assert!(
            answer["error"]
                .as_str()
                .is_some_and(|e| e.contains("9999-12-31")),
            "{answer}"
        );
    }
    let (_, clock) = admin(&server, "GET", "/_mock/clock", None).await;
    assert_eq!(clock["now_millis"], T0 * 1000, "{clock}");
    // The last representable moment is fine.
    let (status, clock) = admin(
        &server,
        "POST",
        "/_mock/clock/freeze",
        Some(json!({ "at_millis": 253_402_300_799_999i64 })),
    )
    .await;
    assert_eq!(status, 200, "{clock}");
}

#[tokio::test]
async fn a_large_answer_arrives_whole_with_its_declared_length() {
    // A journal listing far larger than the server's write buffer: hyper copies the body into
    // that buffer (vectored writes are off) and must still send every byte it declares.
    let (server, _clock) = frozen().await;
    let long = "s".repeat(1000);
    for i in 0..300 {
        get(&server, &resume(T0, &format!("{long}{i}"), &[])).await;
    }
    let req = "GET /_mock/journal HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let raw = send_raw(server.address(), req.as_bytes()).await;
    assert_eq!(raw.status, 200);
    let declared: usize = raw
        .head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .and_then(|n| n.trim().parse().ok())
        .expect("a content-length");
    assert!(declared > 256 * 1024, "{declared} bytes");
    assert_eq!(raw.body.len(), declared);
    let listing = raw.json();
    let entries = listing["entries"].as_array().map_or(0, Vec::len);
    assert_eq!(entries, 300, "{}", &listing.to_string()[..200]);
}
