//! The Sequence order rule (SPEC.md 5.3): per (AppId, environment, StreamId), strictly
//! increasing within 10 s of the last accepted request.

use crate::common;

use common::*;
use std::time::Duration;
use zego_mock::DEV_APP_ID;

#[tokio::test]
async fn equal_or_lower_within_ten_seconds_fails_and_passes_after() {
    // Arrange
    let (server, clock) = frozen().await;
    assert_eq!(code(&server, &creat(T0, "s", 100, &[])).await, 0);
    // Act + Assert: equal and lower are refused with 5005 within the window
    let equal = get(&server, &creat(T0, "s", 100, &[])).await;
    assert_eq!(equal["Code"], 5005);
    assert_eq!(equal["Message"], "Invalid request.");
    assert_eq!(code(&server, &creat(T0, "s", 99, &[])).await, 5005);
    // 9.999 s later: still inside the window
    clock.advance(Duration::from_millis(9_999));
    assert_eq!(code(&server, &creat(T0, "s", 100, &[])).await, 5005);
    // exactly 10 s after the accepted request: any Sequence passes
    clock.advance(Duration::from_millis(1));
    assert_eq!(code(&server, &creat(T0 + 10, "s", 1, &[])).await, 0);
    // and that acceptance starts a new window from Sequence 1
    assert_eq!(code(&server, &creat(T0 + 10, "s", 1, &[])).await, 5005);
    assert_eq!(code(&server, &creat(T0 + 10, "s", 2, &[])).await, 0);
}

#[tokio::test]
async fn refused_requests_do_not_advance_the_order() {
    let (server, _clock) = frozen().await;
    assert_eq!(code(&server, &creat(T0, "s", 10, &[])).await, 0);
    // A refused request with a higher Sequence (bad CDNUrl) does not advance it ...
    let bad = creat(T0, "s", 50, &[]).replace("CDNUrl=rtmp", "CDNUrl=http");
    assert_eq!(code(&server, &bad).await, 30001);
    // ... so 11 still passes.
    assert_eq!(code(&server, &creat(T0, "s", 11, &[])).await, 0);
    // A refused request by the Sequence rule itself does not move the window's start either.
    assert_eq!(code(&server, &creat(T0, "s", 5, &[])).await, 5005);
    assert_eq!(code(&server, &creat(T0, "s", 12, &[])).await, 0);
}

#[tokio::test]
async fn the_order_is_kept_per_stream_app_and_environment() {
    let (server, _clock) = frozen().await;
    assert_eq!(code(&server, &creat(T0, "a", 10, &[])).await, 0);
    // Another stream has its own order.
    assert_eq!(code(&server, &creat(T0, "b", 1, &[])).await, 0);
    // The test environment has its own order (and its own StreamId prefix).
    let t = format!("zegotest-{DEV_APP_ID}-a");
    assert_eq!(
        code(&server, &creat(T0, &t, 1, &[("IsTest", "true")])).await,
        0
    );
    assert_eq!(
        code(&server, &creat(T0, &t, 1, &[("IsTest", "true")])).await,
        5005
    );
    assert_eq!(code(&server, &creat(T0, "a", 10, &[])).await, 5005);
}

#[tokio::test]
async fn a_window_is_measured_from_the_last_accepted_request() {
    let (server, clock) = frozen().await;
    assert_eq!(code(&server, &creat(T0, "s", 1, &[])).await, 0);
    clock.advance(Duration::from_secs(6));
    assert_eq!(code(&server, &creat(T0, "s", 2, &[])).await, 0);
    clock.advance(Duration::from_secs(6));
    // 12 s after the first, 6 s after the second: still ordered against 2.
    assert_eq!(code(&server, &creat(T0, "s", 2, &[])).await, 5005);
}
