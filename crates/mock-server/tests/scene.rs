//! SetSceneTemplate over HTTP: off by default (the service is discontinued), then create-only
//! templates, at most 50, and each documented refusal.

use crate::common;

use common::*;
use serde_json::Value;
use std::time::Duration;
use zego_mock::{Env, Features, MockServer, DEV_APP_ID};

/// The classic page's request example (its four extra parameters included), with `overrides`
/// replacing or adding parameters and `without` leaving some out.
fn example(overrides: &[(&str, &str)], without: &[&str]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("TemplateId", "10080"),
        ("ViewRadius", "3"),
        ("MaxUserNum", "50000"),
        ("MaxVisibleNum", "50"),
        ("MaxItemNum", "100"),
        ("MaxVisibleItemNum", "10"),
        ("MaxBindItemNum", "3"),
        ("MaxItemCapacity", "5"),
        ("LeftBottomX", "0.00"),
        ("LeftBottomZ", "0.00"),
        ("RightUpX", "500.00"),
        ("RightUpZ", "500.00"),
    ]
    .iter()
    .filter(|(n, _)| !without.contains(n))
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    for (name, value) in overrides {
        match params.iter_mut().find(|(n, _)| n == name) {
            Some(p) => p.1 = value.to_string(),
            None => params.push((name.to_string(), value.to_string())),
        }
    }
    params
}

async fn set(server: &MockServer, ts: i64, params: &[(String, String)]) -> Value {
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    get(server, &dev_query("SetSceneTemplate", ts, &pairs)).await
}

async fn with_scene() -> (MockServer, zego_mock::ManualClock) {
    let (server, clock) = frozen().await;
    server.set_features(
        DEV_APP_ID,
        Features {
            scene_service: true,
            ..Features::default()
        },
    );
    (server, clock)
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let hex = |p: &str| {
        p.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| hex(p))
        && parts[2].starts_with('4')
        && matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b')
}

#[tokio::test]
async fn the_discontinued_service_is_off_by_default() {
    let (server, _clock) = frozen().await;
    let v = set(&server, T0, &example(&[], &[])).await;
    assert_eq!(v["Code"], 100000017, "{v}");
    assert_eq!(v["Message"], "App has not enabled this service.");
    assert!(server
        .scene_templates(DEV_APP_ID, Env::Production)
        .is_empty());
}

#[tokio::test]
async fn the_documented_example_creates_a_template_once() {
    // Arrange: the service turned on.
    let (server, _clock) = with_scene().await;
    // Act: the documented request.
    let v = set(&server, T0, &example(&[], &[])).await;
    // Assert: the documented answer: "succeed", Data null, a UUID RequestId.
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(v["Message"], "succeed");
    assert!(v["Data"].is_null() && v.get("Data").is_some(), "{v}");
    let id = v["RequestId"].as_str().expect("a string RequestId");
    assert!(is_uuid_v4(id), "{id}");
    let next = set(&server, T0, &example(&[("TemplateId", "10081")], &[])).await;
    assert_ne!(next["RequestId"], v["RequestId"]);
    // The template is kept, and the same TemplateId again is refused.
    let templates = server.scene_templates(DEV_APP_ID, Env::Production);
    let t = templates.get(&10080).expect("template 10080");
    assert_eq!(
        (t.max_user_num, t.view_radius, t.max_visible_num),
        (50000, 3, 50)
    );
    assert_eq!(t.map.get("RightUpX"), Some(&500.0));
    let again = set(&server, T0, &example(&[("MaxUserNum", "10")], &[])).await;
    assert_eq!(again["Code"], 340004003, "{again}");
    assert_eq!(again["Message"], "Template already exists.");
    assert!(is_uuid_v4(again["RequestId"].as_str().expect("RequestId")));
    let (status, body) = control(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/scene-templates"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["scene_templates"]["10080"]["max_user_num"], 50000);
}

#[tokio::test]
async fn bad_parameters_answer_340006003() {
    let (server, _clock) = with_scene().await;
    let cases: Vec<(&str, Vec<(String, String)>)> = vec![
        ("no TemplateId", example(&[], &["TemplateId"])),
        ("no MaxUserNum", example(&[], &["MaxUserNum"])),
        ("no ViewRadius", example(&[], &["ViewRadius"])),
        ("no MaxVisibleNum", example(&[], &["MaxVisibleNum"])),
        (
            "TemplateId not a number",
            example(&[("TemplateId", "abc")], &[]),
        ),
        (
            "MaxVisibleNum 101",
            example(&[("MaxVisibleNum", "101")], &[]),
        ),
        ("MaxVisibleNum 0", example(&[("MaxVisibleNum", "0")], &[])),
        ("MaxUserNum 0", example(&[("MaxUserNum", "0")], &[])),
        ("ViewRadius -1", example(&[("ViewRadius", "-1")], &[])),
        (
            "LeftBottomX not a number",
            example(&[("LeftBottomX", "left")], &[]),
        ),
        (
            "IsTest neither true nor false",
            example(&[("IsTest", "maybe")], &[]),
        ),
    ];
    for (what, params) in cases {
        let v = set(&server, T0, &params).await;
        assert_eq!(v["Code"], 340006003, "{what}: {v}");
        assert_eq!(v["Message"], "Parameter error.", "{what}");
    }
    // MaxVisibleNum 100 is the documented maximum; coordinates are optional.
    let v = set(
        &server,
        T0,
        &example(&[("MaxVisibleNum", "100")], &["LeftBottomX", "RightUpZ"]),
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
}

#[tokio::test]
async fn the_51st_template_is_refused() {
    let (server, clock) = with_scene().await;
    for i in 0..50u32 {
        // 50/s: move a second every 25 templates.
        if i == 25 {
            clock.advance(Duration::from_secs(1));
        }
        let ts = T0 + i64::from(i / 25);
        let v = set(
            &server,
            ts,
            &example(&[("TemplateId", &i.to_string())], &[]),
        )
        .await;
        assert_eq!(v["Code"], 0, "template {i}: {v}");
    }
    clock.advance(Duration::from_secs(1));
    let v = set(&server, T0 + 2, &example(&[("TemplateId", "50")], &[])).await;
    assert_eq!(v["Code"], 340006003, "{v}");
    assert_eq!(
        server.scene_templates(DEV_APP_ID, Env::Production).len(),
        50
    );
}

#[tokio::test]
async fn the_51st_request_in_a_second_answers_206() {
    let (server, _clock) = with_scene().await;
    for i in 0..50 {
        let v = set(&server, T0, &example(&[], &[])).await;
        let expected = if i == 0 { 0 } else { 340004003 };
        assert_eq!(v["Code"], expected, "request {i}: {v}");
    }
    let v = set(&server, T0, &example(&[], &[])).await;
    assert_eq!(v["Code"], 206, "{v}");
    assert_eq!(v["Message"], "App request QPS too high and was limited.");
}
