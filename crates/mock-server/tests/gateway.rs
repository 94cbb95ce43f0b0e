//! The gateway checks of SPEC.md section 4, in order, over real HTTP.

use crate::common;

use common::*;
use std::time::Duration;
use zego_mock::{AppConfig, ManualClock, MockServer, DEV_APP_ID};

const CREAT: &str = "CreatCDNTransferRule";

fn with(pairs: &[(String, String)], name: &str, value: Option<&str>) -> String {
    let mut out: Vec<(String, String)> = pairs.to_vec();
    match value {
        Some(v) => {
            if let Some(p) = out.iter_mut().find(|(n, _)| n == name) {
                p.1 = v.to_string();
            } else {
                out.push((name.to_string(), v.to_string()));
            }
        }
        None => out.retain(|(n, _)| n != name),
    }
    join(&out)
}

fn business() -> String {
    "&StreamId=s1&CDNUrl=rtmp%3A%2F%2Fh%2Fa&Sequence=1".into()
}

#[tokio::test]
async fn each_missing_or_malformed_common_parameter_has_its_code() {
    // Arrange
    let (server, _clock) = frozen().await;
    let base = common_pairs(CREAT, T0);
    let cases: Vec<(&str, Option<&str>, i64)> = vec![
        ("Action", None, 100000006),
        ("Action", Some(""), 100000006),
        ("Action", Some("NoSuchAction"), 100000007),
        ("Action", Some("creatcdntransferrule"), 100000007),
        ("AppId", None, 100000001),
        ("AppId", Some(""), 100000001),
        ("AppId", Some("abc"), 100000001),
        ("AppId", Some("-1"), 100000001),
        ("AppId", Some("+1234567890"), 100000001),
        ("AppId", Some("4294967296"), 100000001),
        ("Timestamp", None, 100000002),
        ("Timestamp", Some(""), 100000002),
        ("Timestamp", Some("soon"), 100000003),
        ("Timestamp", Some("1.5"), 100000003),
        ("Timestamp", Some("99999999999999999999"), 100000003),
        ("SignatureNonce", None, 100000008),
        ("SignatureNonce", Some(""), 100000008),
        ("Signature", None, 100000009),
        ("Signature", Some(""), 100000009),
        ("SignatureVersion", None, 100000013),
        ("SignatureVersion", Some(""), 100000013),
        ("SignatureVersion", Some("1.0"), 100000014),
        ("SignatureVersion", Some("2"), 100000014),
        ("AppId", Some("42"), 100000010),
        (
            "Signature",
            Some("00000000000000000000000000000000"),
            100000005,
        ),
    ];
    for (name, value, expected) in cases {
        // Act
        let query = with(&base, name, value) + &business();
        let answer = get(&server, &query).await;
        // Assert
        assert_eq!(answer["Code"], expected, "{name}={value:?}: {answer}");
        assert!(answer["Message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            answer.get("Data").is_none(),
            "errors carry no Data: {answer}"
        );
    }
}

#[tokio::test]
async fn the_first_failing_check_wins() {
    let (server, _clock) = frozen().await;
    // Everything wrong: the Action check comes first.
    assert_eq!(code(&server, "AppId=x&Timestamp=y").await, 100000006);
    // AppId before Timestamp, Timestamp before nonce, nonce before signature ...
    assert_eq!(
        code(&server, "Action=CreatCDNTransferRule&AppId=x").await,
        100000001
    );
    assert_eq!(
        code(&server, "Action=CreatCDNTransferRule&AppId=1").await,
        100000002
    );
    assert_eq!(
        code(&server, "Action=CreatCDNTransferRule&AppId=1&Timestamp=5").await,
        100000008
    );
    assert_eq!(
        code(
            &server,
            "Action=CreatCDNTransferRule&AppId=1&Timestamp=5&SignatureNonce=n"
        )
        .await,
        100000009
    );
    assert_eq!(
        code(
            &server,
            "Action=CreatCDNTransferRule&AppId=1&Timestamp=5&SignatureNonce=n&Signature=s"
        )
        .await,
        100000013
    );
    // Unknown app before skew, skew before signature.
    let unknown_and_old =
        "Action=CreatCDNTransferRule&AppId=1&Timestamp=5&SignatureNonce=n&Signature=s&SignatureVersion=2.0";
    assert_eq!(code(&server, unknown_and_old).await, 100000010);
    let old_and_bad = format!(
        "Action=CreatCDNTransferRule&AppId={DEV_APP_ID}&Timestamp=5&SignatureNonce=n&Signature=s&SignatureVersion=2.0"
    );
    assert_eq!(code(&server, &old_and_bad).await, 100000004);
    // The gateway runs before any business parameter check.
    let bad_sig_bad_stream =
        with(&common_pairs(CREAT, T0), "Signature", Some("bad")) + "&StreamId=a.b";
    assert_eq!(code(&server, &bad_sig_bad_stream).await, 100000005);
}

#[tokio::test]
async fn timestamp_skew_of_exactly_600_seconds_passes_and_601_fails_both_ways() {
    let (server, clock) = frozen().await;
    let cases = [
        (T0 - 600, 0),
        (T0 + 600, 0),
        (T0 - 601, 100000004),
        (T0 + 601, 100000004),
    ];
    for (i, (ts, expected)) in cases.into_iter().enumerate() {
        let stream = format!("skew{i}");
        assert_eq!(
            code(&server, &creat(ts, &stream, 1, &[])).await,
            expected,
            "timestamp offset {}",
            ts - T0
        );
    }
    // Milliseconds do not count: at T0 + 600.999 s the server time is still T0 + 600.
    clock.advance(Duration::from_millis(999));
    assert_eq!(code(&server, &creat(T0 - 600, "skew-ms", 1, &[])).await, 0);
    clock.advance(Duration::from_millis(1));
    assert_eq!(
        code(&server, &creat(T0 - 600, "skew-ms2", 1, &[])).await,
        100000004
    );
}

#[tokio::test]
async fn an_upper_case_signature_is_rejected() {
    let (server, _clock) = frozen().await;
    let pairs = common_pairs(CREAT, T0);
    let sig = pairs[4].1.to_uppercase();
    let query = with(&pairs, "Signature", Some(&sig)) + &business();
    assert_eq!(code(&server, &query).await, 100000005);
}

#[tokio::test]
async fn the_signature_covers_only_appid_nonce_secret_and_timestamp() {
    let (server, _clock) = frozen().await;
    // Changing a business parameter after signing changes nothing.
    let query = join(&common_pairs(CREAT, T0)) + "&StreamId=other&Sequence=7";
    assert_eq!(code(&server, &query).await, 0);
    // A different nonce than the one signed fails.
    let query = with(
        &common_pairs(CREAT, T0),
        "SignatureNonce",
        Some("ffffffffffffffff"),
    ) + &business();
    assert_eq!(code(&server, &query).await, 100000005);
}

#[tokio::test]
async fn official_test_vector_app_is_accepted_with_its_documented_signature() {
    // The official example: AppId 12345, nonce 4fd24687296dd9f3, secret
    // 9193cc662a4c0ec135ec71fb57194b38, Timestamp 1615186943 -> 43e5cfcca828314675f91b001390566a.
    let server = MockServer::builder()
        .app(12345, "9193cc662a4c0ec135ec71fb57194b38")
        .clock(ManualClock::at_secs(1615186943))
        .start()
        .await;
    let query = "Action=CreatCDNTransferRule&AppId=12345&SignatureNonce=4fd24687296dd9f3&Timestamp=1615186943&Signature=43e5cfcca828314675f91b001390566a&SignatureVersion=2.0&StreamId=s&Sequence=1";
    assert_eq!(code(&server, query).await, 0);
    // A leading zero in AppId or Timestamp does not change what is signed.
    let query = "Action=CreatCDNTransferRule&AppId=012345&SignatureNonce=4fd24687296dd9f3&Timestamp=01615186943&Signature=43e5cfcca828314675f91b001390566a&SignatureVersion=2.0&StreamId=s&Sequence=2";
    assert_eq!(code(&server, query).await, 0);
}

#[tokio::test]
async fn a_parameter_given_twice_counts_by_its_first_occurrence() {
    let (server, _clock) = frozen().await;
    let query = join(&common_pairs(CREAT, T0)) + "&Signature=bad" + &business();
    assert_eq!(code(&server, &query).await, 0);
    let query = "Signature=bad&".to_string() + &join(&common_pairs(CREAT, T0)) + &business();
    assert_eq!(code(&server, &query).await, 100000005);
}

#[tokio::test]
async fn environments_that_an_app_lacks_answer_100000016() {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .app_config(AppConfig::new(DEV_APP_ID, zego_mock::DEV_SERVER_SECRET).test_only())
        .app_config(AppConfig::new(7, "seven").production_only())
        .clock(clock)
        .start()
        .await;
    let test_stream = format!("zegotest-{DEV_APP_ID}-s");
    assert_eq!(code(&server, &creat(T0, "s", 1, &[])).await, 100000016);
    assert_eq!(
        code(&server, &creat(T0, "s", 1, &[("IsTest", "false")])).await,
        100000016
    );
    assert_eq!(
        code(&server, &creat(T0, &test_stream, 1, &[("IsTest", "TRUE")])).await,
        0
    );
    let seven = zego_mock::signed_query(
        7,
        "seven",
        CREAT,
        T0,
        "n",
        &[("StreamId", "s"), ("Sequence", "1"), ("IsTest", "true")],
    );
    assert_eq!(code(&server, &seven).await, 100000016);
    let seven = zego_mock::signed_query(
        7,
        "seven",
        CREAT,
        T0,
        "n",
        &[("StreamId", "s"), ("Sequence", "1")],
    );
    assert_eq!(code(&server, &seven).await, 0);
    // An unparseable IsTest passes the gateway and is refused by the action (30004).
    let seven = zego_mock::signed_query(
        7,
        "seven",
        CREAT,
        T0,
        "n",
        &[("StreamId", "s"), ("Sequence", "2"), ("IsTest", "yes")],
    );
    assert_eq!(code(&server, &seven).await, 30004);
}

#[tokio::test]
async fn legacy_codes_replace_signature_failures_with_each_actions_own_code() {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .clock(clock)
        .legacy_codes(true)
        .start()
        .await;
    let bad = |action: &str| {
        with(&common_pairs(action, T0), "Signature", Some("0")) + "&StreamId=s&Sequence=1"
    };
    assert_eq!(code(&server, &bad(CREAT)).await, 5003);
    assert_eq!(code(&server, &bad("ResumeCDNLiveStream")).await, 3);
    // Neither action documents its own timestamp code: expiry keeps the gateway code.
    assert_eq!(
        code(&server, &creat(T0 - 601, "s", 1, &[])).await,
        100000004
    );
    assert_eq!(code(&server, &resume(T0 + 601, "s", &[])).await, 100000004);
    // Every other gateway failure keeps its gateway code.
    let no_version = with(&common_pairs(CREAT, T0), "SignatureVersion", None) + &business();
    assert_eq!(code(&server, &no_version).await, 100000013);
    // Messages follow the code's family.
    let v = get(&server, &bad("ResumeCDNLiveStream")).await;
    assert_eq!(v["Message"], "Authentication failed.");
}

#[tokio::test]
async fn gateway_error_messages_are_zegos_descriptions() {
    let (server, _clock) = frozen().await;
    let v = get(&server, "Action=Nope").await;
    assert_eq!(v["Code"], 100000007);
    assert_eq!(v["Message"], "Unsupported Action.");
    let rid = v["RequestId"].as_str().expect("RequestId is a string");
    assert!(
        rid.len() >= 18 && rid.bytes().all(|b| b.is_ascii_digit()),
        "{rid}"
    );
}

#[tokio::test]
async fn an_unknown_action_is_journalled_with_the_nearest_documented_name() {
    let (server, _clock) = frozen().await;
    // ZEGO spells it without the "e".
    let v = get(&server, &dev_query("CreateCDNTransferRule", T0, &[])).await;
    assert_eq!(v["Code"], 100000007);
    assert_eq!(v["Message"], "Unsupported Action.");
    let v = get(&server, &dev_query("Nothing-Like-It", T0, &[])).await;
    assert_eq!(v["Code"], 100000007);
    let reasons: Vec<String> = server
        .journal(&zego_mock::JournalFilter::default())
        .into_iter()
        .filter_map(|e| e.reason)
        .collect();
    assert!(
        reasons[0].contains("did you mean \"CreatCDNTransferRule\"?"),
        "{reasons:?}"
    );
    assert!(!reasons[1].contains("did you mean"), "{reasons:?}");
}

#[test]
fn the_signature_test_vector_fixture_signs_as_documented() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/signature-vector.json"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    let signed = zego_mock::sign(
        u32::try_from(v["app_id"].as_u64().expect("app_id")).expect("u32"),
        v["signature_nonce"].as_str().expect("nonce"),
        v["server_secret"].as_str().expect("secret"),
        v["timestamp"].as_i64().expect("timestamp"),
    );
    assert_eq!(signed, v["signature"].as_str().expect("signature"));
}
