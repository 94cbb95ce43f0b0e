//! Per-action rate limits in fixed one-second windows of the mock's clock (SPEC.md 5.1).

use crate::common;

use common::*;
use std::time::Duration;
use zego_mock::{ManualClock, MockServer, DEV_APP_ID};

#[tokio::test]
async fn the_tenth_creat_in_a_second_passes_and_the_eleventh_is_throttled() {
    // Arrange
    let (server, clock) = frozen().await;
    // Act: ten requests on distinct streams, all in the window [T0, T0+1)
    for i in 0..10 {
        clock.advance(Duration::from_millis(50));
        assert_eq!(
            code(&server, &creat(T0, &format!("s{i}"), 1, &[])).await,
            0,
            "request {}",
            i + 1
        );
    }
    let eleventh = get(&server, &creat(T0, "s10", 1, &[])).await;
    // Assert
    assert_eq!(eleventh["Code"], 30002);
    assert_eq!(eleventh["Message"], "Interface call frequency too high.");
    // The window is [T0, T0+1): at T0 + 0.999 still throttled, at T0 + 1.000 a new window.
    clock.set_millis(T0 * 1000 + 999);
    assert_eq!(code(&server, &creat(T0, "s11", 1, &[])).await, 30002);
    clock.set_millis((T0 + 1) * 1000);
    assert_eq!(code(&server, &creat(T0, "s12", 1, &[])).await, 0);
}

#[tokio::test]
async fn the_test_environment_has_its_own_lower_limit() {
    let (server, _clock) = frozen().await;
    let test = [("IsTest", "true")];
    for i in 0..5 {
        let stream = format!("zegotest-{DEV_APP_ID}-{i}");
        assert_eq!(code(&server, &creat(T0, &stream, 1, &test)).await, 0);
    }
    let stream = format!("zegotest-{DEV_APP_ID}-5");
    assert_eq!(code(&server, &creat(T0, &stream, 1, &test)).await, 30002);
    // Production is a separate counter, still untouched.
    for i in 0..10 {
        assert_eq!(code(&server, &creat(T0, &format!("p{i}"), 1, &[])).await, 0);
    }
}

#[tokio::test]
async fn resume_cdn_live_stream_allows_20_per_second_and_answers_7() {
    let (server, _clock) = frozen().await;
    for i in 0..20 {
        assert_eq!(
            code(&server, &resume(T0, "s", &[])).await,
            0,
            "request {}",
            i + 1
        );
    }
    let v = get(&server, &resume(T0, "s", &[])).await;
    assert_eq!(v["Code"], 7);
    // Counters are per action: CreatCDNTransferRule is unaffected.
    assert_eq!(code(&server, &creat(T0, "c", 1, &[])).await, 0);
}

#[tokio::test]
async fn counters_are_per_app() {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .app(DEV_APP_ID, zego_mock::DEV_SERVER_SECRET)
        .app(7, "seven")
        .clock(clock)
        .start()
        .await;
    for i in 0..10 {
        assert_eq!(code(&server, &creat(T0, &format!("s{i}"), 1, &[])).await, 0);
    }
    assert_eq!(code(&server, &creat(T0, "x", 1, &[])).await, 30002);
    let other = zego_mock::signed_query(
        7,
        "seven",
        "CreatCDNTransferRule",
        T0,
        "n",
        &[("StreamId", "x"), ("Sequence", "1")],
    );
    assert_eq!(code(&server, &other).await, 0);
}

#[tokio::test]
async fn refusals_by_later_checks_still_count_and_gateway_refusals_do_not() {
    let (server, _clock) = frozen().await;
    // Ten requests that pass the gateway but fail their parameters still use up the window.
    for _ in 0..10 {
        assert_eq!(code(&server, &creat(T0, "bad.id", 1, &[])).await, 30009);
    }
    assert_eq!(code(&server, &creat(T0, "good", 1, &[])).await, 30002);
    // A gateway refusal (bad signature) is not counted: a fresh second proves nothing here, so
    // check with a new server that 20 bad-signature requests leave the window intact.
    let (server, _clock) = frozen().await;
    let mut bad = common_pairs("CreatCDNTransferRule", T0);
    bad[4].1 = "0".repeat(32);
    for _ in 0..20 {
        assert_eq!(
            code(&server, &(join(&bad) + "&StreamId=s&Sequence=1")).await,
            100000005
        );
    }
    assert_eq!(code(&server, &creat(T0, "good", 1, &[])).await, 0);
}

#[tokio::test]
async fn an_unparseable_is_test_counts_against_production() {
    let (server, _clock) = frozen().await;
    for _ in 0..10 {
        assert_eq!(
            code(&server, &creat(T0, "s", 1, &[("IsTest", "maybe")])).await,
            30004
        );
    }
    assert_eq!(code(&server, &creat(T0, "s", 1, &[])).await, 30002);
}

#[tokio::test]
async fn rate_limits_can_be_turned_off() {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .clock(clock)
        .rate_limits(false)
        .start()
        .await;
    for i in 0..50 {
        assert_eq!(code(&server, &creat(T0, &format!("s{i}"), 1, &[])).await, 0);
    }
}

#[tokio::test]
async fn forbid_cdn_live_stream_counts_20_per_second_for_the_app_id_across_both_environments() {
    // Arrange: the page says "All rooms under the same AppID are limited to 20 times/second",
    // one figure for the AppID.
    let (server, clock) = frozen().await;
    let forbid = |stream: &str, extra: &[(&str, &str)]| {
        let mut params = vec![("StreamId", stream)];
        params.extend_from_slice(extra);
        dev_query("ForbidCDNLiveStream", T0, &params)
    };
    // Act: 20 in production in the second [T0, T0+1).
    for i in 0..20 {
        assert_eq!(
            code(&server, &forbid(&format!("p{i}"), &[])).await,
            0,
            "production request {}",
            i + 1
        );
    }
    let in_test = get(&server, &forbid("t", &[("IsTest", "true")])).await;
    // Assert: the test environment has no counter of its own.
    assert_eq!(in_test["Code"], 7, "{in_test}");
    assert_eq!(code(&server, &forbid("p20", &[])).await, 7);
    // Each action of the family keeps its own counter.
    assert_eq!(
        code(&server, &resume(T0, "r", &[("IsTest", "true")])).await,
        0
    );
    // The next second is fresh, in either environment.
    clock.advance(Duration::from_secs(1));
    assert_eq!(code(&server, &forbid("t", &[("IsTest", "true")])).await, 0);
    assert_eq!(code(&server, &forbid("p", &[])).await, 0);
}

#[tokio::test]
async fn query_forbid_cdn_live_stream_shares_its_limit_across_environments_from_the_test_side() {
    let (server, _clock) = frozen().await;
    let query = |extra: &[(&str, &str)]| {
        let mut params = vec![("Vendor", "ws")];
        params.extend_from_slice(extra);
        dev_query("QueryForbidCDNLiveStream", T0, &params)
    };
    for i in 0..20 {
        assert_eq!(
            code(&server, &query(&[("IsTest", "true")])).await,
            0,
            "test request {}",
            i + 1
        );
    }
    assert_eq!(code(&server, &query(&[])).await, 7);
}
