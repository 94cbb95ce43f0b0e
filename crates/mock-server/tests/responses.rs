//! Success envelopes exactly as the YAML examples show them, and the state a request leaves.

use crate::common;

use common::*;
use serde_json::Value;
use std::collections::HashSet;
use zego_mock::{Env, DEV_APP_ID};

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

#[tokio::test]
async fn creat_answers_ok_with_null_data() {
    let (server, _clock) = frozen().await;
    let raw = get_raw(&server, &creat(T0, "s", 1, &[])).await;
    assert_eq!(raw.status, 200);
    assert!(
        raw.head
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{}",
        raw.head
    );
    let v = raw.json();
    // create-cdn-transfer-rule.yaml: {"Code":0,"Message":"ok","RequestId":"918334131114317411","Data":null}
    assert_eq!(keys(&v), ["Code", "Data", "Message", "RequestId"]);
    assert_eq!(v["Code"], 0);
    assert_eq!(v["Message"], "ok");
    assert!(v["Data"].is_null());
    assert!(v["RequestId"].is_string());
}

#[tokio::test]
async fn resume_answers_success_with_a_cdn_result_array() {
    let (server, _clock) = frozen().await;
    let v = get(&server, &resume(T0, "s", &[])).await;
    // resume-cdn-live-stream.yaml: Message "success", Data [{CdnType, CdnResult}]
    assert_eq!(keys(&v), ["Code", "Data", "Message", "RequestId"]);
    assert_eq!(v["Code"], 0);
    assert_eq!(v["Message"], "success");
    let data = v["Data"].as_array().expect("Data is an array");
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["CdnType"], "ws");
    assert_eq!(data[0]["CdnResult"], "success append purge tasks");
}

#[tokio::test]
async fn request_ids_are_unique_decimal_strings() {
    let (server, _clock) = frozen().await;
    let mut seen = HashSet::new();
    for i in 0..30 {
        let q = if i % 2 == 0 {
            resume(T0, "s", &[])
        } else {
            "Action=Nope".to_string()
        };
        let v = get(&server, &q).await;
        let id = v["RequestId"].as_str().expect("string").to_string();
        assert!(
            (18..=19).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()),
            "{id}"
        );
        assert!(seen.insert(id), "RequestId repeated");
    }
}

#[tokio::test]
async fn a_created_rule_is_remembered_per_app_and_environment() {
    let (server, _clock) = frozen().await;
    assert_eq!(code(&server, &creat(T0, "s1", 1, &[])).await, 0);
    // Repeating a create succeeds and keeps one rule.
    assert_eq!(code(&server, &creat(T0, "s1", 2, &[])).await, 0);
    let test_stream = format!("zegotest-{DEV_APP_ID}-s1");
    assert_eq!(
        code(&server, &creat(T0, &test_stream, 1, &[("IsTest", "true")])).await,
        0
    );
    let prod = server.state(DEV_APP_ID, Env::Production);
    assert_eq!(prod.media.relay_rules.len(), 1);
    assert_eq!(prod.media.relay_rules[0].stream_id, "s1");
    assert_eq!(
        prod.media.relay_rules[0].cdn_url.as_deref(),
        Some("rtmp://cdn.example.com/live/s")
    );
    assert_eq!(prod.media.relay_rules[0].created_at_millis, T0 * 1000);
    let test = server.state(DEV_APP_ID, Env::Test);
    assert_eq!(test.media.relay_rules.len(), 1);
    assert_eq!(test.media.relay_rules[0].stream_id, test_stream);
    // A refused create leaves no rule.
    assert_eq!(
        code(&server, &creat(T0, "s2", 1, &[("IsTest", "nope")])).await,
        30004
    );
    assert_eq!(
        server
            .state(DEV_APP_ID, Env::Production)
            .media
            .relay_rules
            .len(),
        1
    );
}
