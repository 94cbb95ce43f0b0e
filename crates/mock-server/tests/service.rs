//! The mock as a service for tests in any language: the health endpoint, expectations over
//! HTTP (the same rules as the Rust `Expectation`), and 404 for apps the mock does not serve.

use crate::common;

use common::*;
use serde_json::{json, Value};
use zego_mock::{Action, Expectation, MockServer, ServeOptions, DEV_APP_ID, MAX_EXPECTATIONS};

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
async fn health_answers_ok_with_the_version_and_uptime() {
    let (server, _clock) = frozen().await;
    let (status, body) = admin(&server, "GET", "/_mock/health", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["uptime_secs"].is_u64(), "{body}");
}

#[tokio::test]
async fn health_is_served_even_without_the_control_api() {
    let server = MockServer::builder()
        .serve_options(ServeOptions {
            admin: false,
            ..ServeOptions::default()
        })
        .start()
        .await;
    let (status, body) = admin(&server, "GET", "/_mock/health", None).await;
    assert_eq!((status, &body["status"]), (200, &json!("ok")), "{body}");
    // The rest of the control API is not.
    let raw = send_raw(
        server.address(),
        b"GET /_mock/journal HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(raw.status, 404);
}

#[tokio::test]
async fn per_app_endpoints_answer_404_for_an_app_not_served() {
    let (server, _clock) = frozen().await;
    for (method, path, body) in [
        ("GET", "/_mock/apps/999/state", None),
        ("GET", "/_mock/apps/999/state?env=test", None),
        (
            "PUT",
            "/_mock/apps/999/state?env=production",
            Some(json!({})),
        ),
        ("GET", "/_mock/apps/999/rooms", None),
        ("GET", "/_mock/apps/999/features", None),
        (
            "PUT",
            "/_mock/apps/999/features",
            Some(json!({"stream_mixing": true})),
        ),
        ("GET", "/_mock/apps/999/callbacks", None),
        ("POST", "/_mock/apps/999/callbacks/flush", None),
        ("POST", "/_mock/apps/999/streams/s1/publish", None),
        ("GET", "/_mock/apps/999/media-config", None),
    ] {
        let (status, answer) = admin(&server, method, path, body).await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains("AppId 999 is not served"), "{error}");
    }
    // Nothing was created for it.
    assert!(server.engine().features(999) == zego_mock::Features::default());
    // The app served answers as before, and resetting any AppId's state stays allowed (an app
    // that was removed keeps its state until then).
    let (status, _) = admin(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/state"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = admin(&server, "DELETE", "/_mock/apps/999/state", None).await;
    assert_eq!(status, 200);
    // Once served, the same endpoint answers.
    let (status, _) = admin(
        &server,
        "POST",
        "/_mock/apps",
        Some(json!({"app_id": 999, "secret": "0123456789abcdef0123456789abcdef"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = admin(&server, "GET", "/_mock/apps/999/state", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn expectations_over_http_pass_list_and_fail_with_409() {
    let (server, _clock) = frozen().await;
    // Calls made before registration do not count.
    assert_eq!(code(&server, &creat(T0, "s0", 1, &[])).await, 0);
    let (status, answer) = admin(
        &server,
        "POST",
        "/_mock/expectations",
        Some(json!({"action": "CreatCDNTransferRule", "code": 0, "times": 2})),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = admin(
        &server,
        "POST",
        "/_mock/expectations",
        Some(json!({"action": "ResumeCDNLiveStream", "at_most": 1})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(code(&server, &creat(T0, "s1", 1, &[])).await, 0);
    let (status, verify) = admin(&server, "GET", "/_mock/expectations/verify", None).await;
    assert_eq!(status, 409, "{verify}");
    assert_eq!(
        verify["unmet"],
        json!(["expected CreatCDNTransferRule answered 0 exactly 2 times, got 1"])
    );
    // A refused call (a Sequence not greater) has another code: it does not count.
    assert_ne!(code(&server, &creat(T0, "s1", 1, &[])).await, 0);
    let (_, list) = admin(&server, "GET", "/_mock/expectations", None).await;
    let list = list["expectations"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0]["action"], "CreatCDNTransferRule");
    assert_eq!(list[0]["code"], 0);
    assert_eq!(list[0]["times"], 2);
    assert_eq!(list[0]["count"], 1);
    assert_eq!(list[0]["holds"], false);
    assert_eq!(list[1]["at_most"], 1);
    assert_eq!(list[1]["code"], Value::Null);
    assert_eq!(list[1]["holds"], true);
    assert_eq!(code(&server, &creat(T0, "s2", 1, &[])).await, 0);
    let (status, verify) = admin(&server, "GET", "/_mock/expectations/verify", None).await;
    assert_eq!(status, 200, "{verify}");
    assert_eq!(verify["ok"], true);
    // The Rust face sees the same expectations.
    assert!(server.verify().is_ok());
    let (status, _) = admin(&server, "DELETE", "/_mock/expectations", None).await;
    assert_eq!(status, 200);
    let (_, list) = admin(&server, "GET", "/_mock/expectations", None).await;
    assert_eq!(list["expectations"], json!([]));
}

#[tokio::test]
async fn bad_expectations_are_400_with_a_reason() {
    let (server, _clock) = frozen().await;
    for (body, needle) in [
        (
            json!({"action": "CreateCDNTransferRule", "times": 1}),
            "did you mean \"CreatCDNTransferRule\"",
        ),
        (
            json!({"action": "CreatCDNTransferRule"}),
            "exactly one of times, at_least or at_most",
        ),
        (
            json!({"action": "CreatCDNTransferRule", "times": 1, "at_most": 2}),
            "exactly one of times, at_least or at_most",
        ),
        (
            json!({"action": "CreatCDNTransferRule", "times": 1, "when": 2}),
            "unknown field",
        ),
        (
            json!({"action": "CreatCDNTransferRule", "times": -1}),
            "invalid",
        ),
    ] {
        let (status, answer) =
            admin(&server, "POST", "/_mock/expectations", Some(body.clone())).await;
        assert_eq!(status, 400, "{body}: {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(needle), "{body}: {error}");
    }
    let (status, _) = admin(&server, "PUT", "/_mock/expectations", None).await;
    assert_eq!(status, 405);
    let (_, list) = admin(&server, "GET", "/_mock/expectations", None).await;
    assert_eq!(list["expectations"], json!([]));
}

#[tokio::test]
async fn expectations_are_capped_and_a_refused_one_fails_verification() {
    let (server, _clock) = frozen().await;
    for _ in 0..MAX_EXPECTATIONS {
        server.expect(Expectation::calls(Action::DescribeUserNum).at_most(5));
    }
    let (status, answer) = admin(
        &server,
        "POST",
        "/_mock/expectations",
        Some(json!({"action": "DescribeUserNum", "at_most": 5})),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(server.engine().expectations().len(), MAX_EXPECTATIONS);
    let err = server.verify().expect_err("a refused registration fails");
    assert!(err.contains("were refused"), "{err}");
    server.clear_expectations();
    assert!(server.verify().is_ok());
}

#[tokio::test]
async fn expectations_count_from_registration_even_across_a_reset() {
    let (server, _clock) = frozen().await;
    server.expect(Expectation::calls(Action::CreatCDNTransferRule).times(2));
    assert_eq!(code(&server, &creat(T0, "a", 1, &[])).await, 0);
    // A reset forgets the coverage counts, not the expectations' own counts.
    server.reset_all();
    assert_eq!(code(&server, &creat(T0, "b", 1, &[])).await, 0);
    assert!(server.verify().is_ok(), "{:?}", server.verify());
    server.clear_expectations();
}
