//! RTMPDispatchV2 and the legacy RTMPDispatch (media-service/rtpm-dispatch.yaml): the node to
//! publish to or play from, each documented refusal, and the one 40/s limit of the AppID.

use crate::common;

use common::*;
use serde_json::Value;
use zego_mock::{AppConfig, ManualClock, MockServer, DEV_APP_ID};

async fn call(server: &MockServer, action: &str, ts: i64, params: &[(&str, &str)]) -> Value {
    get(server, &dev_query(action, ts, params)).await
}

#[tokio::test]
async fn v2_answers_an_rtmp_url_and_the_legacy_action_an_ip_and_port() {
    // Arrange
    let (server, _clock) = frozen().await;
    // Act
    let v2 = call(
        &server,
        "RTMPDispatchV2",
        T0,
        &[
            ("StreamId", "obs-1"),
            ("Sequence", "1"),
            ("Type", "push"),
            ("ClientIP", "119.23.242.129"),
        ],
    )
    .await;
    let v1 = call(
        &server,
        "RTMPDispatch",
        T0,
        &[("StreamId", "obs-2"), ("Sequence", "1"), ("Type", "pull")],
    )
    .await;
    // Assert: the documented envelope, Data a list of one node.
    assert_eq!(v2["Code"], 0);
    assert_eq!(v2["Message"], "ok");
    let url = v2["Data"][0].as_str().expect("a URL");
    assert_eq!(v2["Data"].as_array().map(Vec::len), Some(1));
    assert!(
        url.starts_with("rtmp://") && url.ends_with(&format!("/{DEV_APP_ID}/obs-1")),
        "the documented form is rtmp://host:port/AppId/StreamId, got {url}"
    );
    assert_eq!(v1["Code"], 0);
    assert_eq!(v1["Message"], "ok");
    let node = v1["Data"][0].as_str().expect("IP:Port");
    let (ip, port) = node.rsplit_once(':').expect("IP:Port");
    assert!(ip.parse::<std::net::Ipv4Addr>().is_ok(), "{node}");
    assert_eq!(port, "1935");
}

#[tokio::test]
async fn each_parameter_answers_its_documented_code() {
    let (server, _clock) = frozen().await;
    let cases: [(&[(&str, &str)], i64); 7] = [
        (&[("Sequence", "1"), ("Type", "push")], 30009),
        (
            &[("StreamId", "a.b"), ("Sequence", "1"), ("Type", "push")],
            30009,
        ),
        (&[("StreamId", "s"), ("Type", "push")], 5005),
        (&[("StreamId", "s"), ("Sequence", "2")], 30010),
        (
            &[("StreamId", "s"), ("Sequence", "3"), ("Type", "publish")],
            30010,
        ),
        (
            &[
                ("StreamId", "s"),
                ("Sequence", "4"),
                ("Type", "pull"),
                ("ClientIP", "::1"),
            ],
            30011,
        ),
        (
            &[
                ("StreamId", "s"),
                ("Sequence", "5"),
                ("Type", "pull"),
                ("IsTest", "yes"),
            ],
            30004,
        ),
    ];
    for (params, want) in cases {
        let v = call(&server, "RTMPDispatchV2", T0, params).await;
        assert_eq!(v["Code"], want, "{params:?}: {v}");
    }
    // The legacy action checks the same parameters.
    let v = call(
        &server,
        "RTMPDispatch",
        T0,
        &[("StreamId", "s"), ("Sequence", "9")],
    )
    .await;
    assert_eq!(v["Code"], 30010);
}

#[tokio::test]
async fn sequence_order_and_test_prefix_apply_as_on_the_other_stream_actions() {
    let (server, _clock) = frozen().await;
    let params = |seq: &'static str| [("StreamId", "s"), ("Sequence", seq), ("Type", "push")];
    assert_eq!(
        call(&server, "RTMPDispatchV2", T0, &params("5")).await["Code"],
        0
    );
    assert_eq!(
        call(&server, "RTMPDispatchV2", T0, &params("5")).await["Code"],
        5005
    );
    let test_stream = format!("zegotest-{DEV_APP_ID}-s");
    let in_test = |id: &'static str| {
        [
            ("StreamId", id),
            ("Sequence", "1"),
            ("Type", "pull"),
            ("IsTest", "true"),
        ]
    };
    assert_eq!(
        call(&server, "RTMPDispatchV2", T0, &in_test("s")).await["Code"],
        30009
    );
    let v = call(
        &server,
        "RTMPDispatchV2",
        T0,
        &[
            ("StreamId", &test_stream),
            ("Sequence", "1"),
            ("Type", "pull"),
            ("IsTest", "true"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
}

#[tokio::test]
async fn forty_per_second_for_the_app_id_across_both_environments() {
    // Arrange: a frozen clock, so all requests fall in one second.
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .app_config(AppConfig::dev())
        .clock(clock.clone())
        .start()
        .await;
    let test_stream = format!("zegotest-{DEV_APP_ID}-s");
    // Act: 30 in production and 10 in test fill the AppID's 40.
    for i in 0..30u64 {
        let seq = (i + 1).to_string();
        let v = call(
            &server,
            "RTMPDispatchV2",
            T0,
            &[("StreamId", "s"), ("Sequence", &seq), ("Type", "push")],
        )
        .await;
        assert_eq!(v["Code"], 0, "request {i}: {v}");
    }
    for i in 0..10u64 {
        let seq = (i + 1).to_string();
        let v = call(
            &server,
            "RTMPDispatchV2",
            T0,
            &[
                ("StreamId", &test_stream),
                ("Sequence", &seq),
                ("Type", "push"),
                ("IsTest", "true"),
            ],
        )
        .await;
        assert_eq!(v["Code"], 0, "test request {i}: {v}");
    }
    // Assert: the 41st, in either environment, is throttled; the next second is fresh.
    let v = call(
        &server,
        "RTMPDispatchV2",
        T0,
        &[("StreamId", "s"), ("Sequence", "100"), ("Type", "push")],
    )
    .await;
    assert_eq!(v["Code"], 30002, "{v}");
    let v = call(
        &server,
        "RTMPDispatchV2",
        T0,
        &[
            ("StreamId", &test_stream),
            ("Sequence", "100"),
            ("Type", "push"),
            ("IsTest", "true"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 30002, "{v}");
    // The legacy action counts apart.
    let v = call(
        &server,
        "RTMPDispatch",
        T0,
        &[("StreamId", "t"), ("Sequence", "1"), ("Type", "push")],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    clock.advance(std::time::Duration::from_secs(1));
    let v = call(
        &server,
        "RTMPDispatchV2",
        T0 + 1,
        &[("StreamId", "s"), ("Sequence", "101"), ("Type", "push")],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
}
