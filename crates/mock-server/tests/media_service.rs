//! The media-service family as flows across actions, with each action's codes and shapes
//! (SPEC.md section 7).

use crate::common;

use common::*;
use serde_json::Value;
use std::time::Duration;
use zego_mock::{Env, ManualClock, MockServer, PublishError, DEV_APP_ID};

async fn call(server: &MockServer, action: &str, ts: i64, params: &[(&str, &str)]) -> Value {
    get(server, &dev_query(action, ts, params)).await
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort_unstable();
    k
}

#[tokio::test]
async fn create_then_delete_then_the_rule_is_gone() {
    let (server, _clock) = frozen().await;
    let url = "rtmp://cdn.example.com/live/s1?token=a";
    let v = call(
        &server,
        "CreatCDNTransferRule",
        T0,
        &[("StreamId", "s1"), ("CDNUrl", url), ("Sequence", "1")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    assert_eq!(
        server
            .state(DEV_APP_ID, Env::Production)
            .media
            .relay_rules
            .len(),
        1
    );
    // A different address does not match.
    let v = call(
        &server,
        "DeleteCDNTransferRule",
        T0,
        &[
            ("StreamId", "s1"),
            ("CDNUrl", "rtmp://cdn.example.com/live/other"),
            ("Sequence", "2"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 0);
    assert_eq!(
        server
            .state(DEV_APP_ID, Env::Production)
            .media
            .relay_rules
            .len(),
        1
    );
    // "consistent (parameters may differ)": the query may differ.
    let v = call(
        &server,
        "DeleteCDNTransferRule",
        T0,
        &[
            ("StreamId", "s1"),
            ("CDNUrl", "rtmp://cdn.example.com/live/s1?token=b"),
            ("Sequence", "3"),
        ],
    )
    .await;
    assert_eq!(keys(&v), ["Code", "Data", "Message", "RequestId"]);
    assert_eq!(v["Code"], 0);
    assert_eq!(v["Message"], "ok");
    assert!(v["Data"].is_null());
    assert!(server
        .state(DEV_APP_ID, Env::Production)
        .media
        .relay_rules
        .is_empty());
    // Deleting again succeeds.
    let v = call(
        &server,
        "DeleteCDNTransferRule",
        T0,
        &[("StreamId", "s1"), ("CDNUrl", url), ("Sequence", "4")],
    )
    .await;
    assert_eq!(v["Code"], 0);
}

#[tokio::test]
async fn delete_needs_an_rtmp_address_and_answers_5004() {
    let (server, _clock) = frozen().await;
    for (url, seq) in [("", "1"), ("http://h/a", "2")] {
        let mut p = vec![("StreamId", "s1"), ("Sequence", seq)];
        if !url.is_empty() {
            p.push(("CDNUrl", url));
        }
        let v = call(&server, "DeleteCDNTransferRule", T0, &p).await;
        assert_eq!(v["Code"], 5004, "{url:?}");
        assert_eq!(v["Message"], "Invalid CDN address.");
    }
    let v = call(
        &server,
        "DeleteCDNTransferRule",
        T0,
        &[
            ("StreamId", "a.b"),
            ("CDNUrl", "rtmp://h/a"),
            ("Sequence", "1"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 30009);
}

#[tokio::test]
async fn clear_removes_pending_rules_and_keeps_those_of_live_streams() {
    let (server, _clock) = frozen().await;
    for (i, s) in ["live1", "idle1", "idle2"].iter().enumerate() {
        let v = call(
            &server,
            "CreatCDNTransferRule",
            T0,
            &[
                ("StreamId", s),
                ("CDNUrl", "rtmp://h/a"),
                ("Sequence", &(i + 1).to_string()),
            ],
        )
        .await;
        assert_eq!(v["Code"], 0);
    }
    server
        .start_publishing(DEV_APP_ID, Env::Production, "live1")
        .expect("publish");
    let v = call(
        &server,
        "ClearCDNTransferRule",
        T0,
        &[("StreamId", "any"), ("Sequence", "1")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    assert!(v["Data"].is_null());
    let left: Vec<String> = server
        .state(DEV_APP_ID, Env::Production)
        .media
        .relay_rules
        .into_iter()
        .map(|r| r.stream_id)
        .collect();
    assert_eq!(left, ["live1"]);
    // Clear needs its documented StreamId and Sequence.
    assert_eq!(
        call(&server, "ClearCDNTransferRule", T0, &[("Sequence", "1")]).await["Code"],
        30009
    );
    assert_eq!(
        call(&server, "ClearCDNTransferRule", T0, &[("StreamId", "any")]).await["Code"],
        5005
    );
}

#[tokio::test]
async fn forbid_then_query_lists_it_then_resume_then_query_is_empty() {
    let (server, clock) = frozen().await;
    let v = call(&server, "ForbidCDNLiveStream", T0, &[("StreamId", "s1")]).await;
    assert_eq!(v["Code"], 0);
    assert_eq!(v["Message"], "success");
    assert_eq!(v["Data"][0]["CdnType"], "ws");
    assert!(v["Data"][0]["CdnResult"].is_string());

    let q = call(&server, "QueryForbidCDNLiveStream", T0, &[("Vendor", "ws")]).await;
    assert_eq!(q["Code"], 0);
    assert_eq!(q["Message"], "success");
    let list = q["Data"]["Ws"]["ResultDetail"]
        .as_array()
        .expect("ResultDetail");
    assert_eq!(list.len(), 1);
    assert_eq!(
        keys(&list[0]),
        ["Channel", "EndTime", "Ip", "StartTime", "Url"]
    );
    assert!(list[0]["Url"].as_str().expect("Url").ends_with("/s1"));
    // The default ban lasts one day from the mock's clock.
    assert_eq!(list[0]["StartTime"], "2023-11-14T22:13:20Z");
    assert_eq!(list[0]["EndTime"], "2023-11-15T22:13:20Z");

    clock.advance(Duration::from_secs(5));
    let v = call(&server, "ResumeCDNLiveStream", T0, &[("StreamId", "s1")]).await;
    assert_eq!(v["Code"], 0);
    let q = call(&server, "QueryForbidCDNLiveStream", T0, &[("Vendor", "ws")]).await;
    assert_eq!(q["Data"]["Ws"]["ResultDetail"], serde_json::json!([]));
}

#[tokio::test]
async fn bans_expire_by_the_mocks_clock_and_resume_time_is_bounded() {
    let (server, clock) = frozen().await;
    let v = call(
        &server,
        "ForbidCDNLiveStream",
        T0,
        &[("StreamId", "s1"), ("ResumeTime", "2023-11-14T23:13:20Z")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    // 30 days exactly is the longest ban.
    let v = call(
        &server,
        "ForbidCDNLiveStream",
        T0,
        &[("StreamId", "s2"), ("ResumeTime", "2023-12-14T22:13:20Z")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    for bad in [
        "2023-12-14T22:13:21Z",
        "2023-11-14T22:13:20Z",
        "2020-01-01T00:00:00Z",
        "tomorrow",
        "2023-11-15 00:00:00",
        "2023-11-15T00:00:00+08:00",
    ] {
        let v = call(
            &server,
            "ForbidCDNLiveStream",
            T0,
            &[("StreamId", "s3"), ("ResumeTime", bad)],
        )
        .await;
        assert_eq!(v["Code"], 2, "ResumeTime {bad}");
        assert_eq!(v["Message"], "Parameter error.");
    }
    let count = |q: &Value| {
        q["Data"]["Ws"]["ResultDetail"]
            .as_array()
            .expect("list")
            .len()
    };
    let q = call(&server, "QueryForbidCDNLiveStream", T0, &[("Vendor", "ws")]).await;
    assert_eq!(count(&q), 2);
    // One hour later the first ban has ended.
    clock.advance(Duration::from_secs(3600));
    let q = call(
        &server,
        "QueryForbidCDNLiveStream",
        T0 + 3600,
        &[("Vendor", "ws")],
    )
    .await;
    assert_eq!(count(&q), 1);
    assert!(q["Data"]["Ws"]["ResultDetail"][0]["Url"]
        .as_str()
        .expect("Url")
        .ends_with("/s2"));
}

#[tokio::test]
async fn query_needs_vendor_ws() {
    let (server, _clock) = frozen().await;
    assert_eq!(
        call(&server, "QueryForbidCDNLiveStream", T0, &[]).await["Code"],
        2
    );
    let v = call(
        &server,
        "QueryForbidCDNLiveStream",
        T0,
        &[("Vendor", "aliyun")],
    )
    .await;
    assert_eq!(v["Code"], 4);
    assert_eq!(v["Message"], "Unknown CDN type.");
    assert_eq!(
        call(&server, "ForbidCDNLiveStream", T0, &[("StreamId", "a b")]).await["Code"],
        2
    );
}

#[tokio::test]
async fn a_forbidden_rtc_stream_cannot_publish_until_resumed() {
    let (server, _clock) = frozen().await;
    let v = call(
        &server,
        "ForbidRTCStream",
        T0,
        &[("StreamId", "s1"), ("Sequence", "1")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    assert_eq!(v["Message"], "ok");
    // forbid-rtc-stream.yaml's example has no Data.
    assert_eq!(keys(&v), ["Code", "Message", "RequestId"]);
    assert_eq!(
        server.start_publishing(DEV_APP_ID, Env::Production, "s1"),
        Err(PublishError::Forbidden)
    );
    // The other environment is another world.
    let t = format!("zegotest-{DEV_APP_ID}-s1");
    assert_eq!(server.start_publishing(DEV_APP_ID, Env::Test, &t), Ok(()));
    let v = call(
        &server,
        "ResumeRTCStream",
        T0,
        &[("StreamId", "s1"), ("Sequence", "2")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    assert_eq!(keys(&v), ["Code", "Message", "RequestId"]);
    assert_eq!(
        server.start_publishing(DEV_APP_ID, Env::Production, "s1"),
        Ok(())
    );
}

#[tokio::test]
async fn forbidding_a_live_stream_closes_it() {
    let (server, clock) = frozen().await;
    server
        .start_publishing(DEV_APP_ID, Env::Production, "s1")
        .expect("publish");
    clock.advance(Duration::from_secs(30));
    let v = call(
        &server,
        "ForbidRTCStream",
        T0,
        &[("StreamId", "s1"), ("Sequence", "1")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    let v = call(
        &server,
        "DescribeRTCStreamState",
        T0,
        &[("StreamId", "s1"), ("Sequence", "2")],
    )
    .await;
    assert_eq!(v["Code"], 41006);
    assert_eq!(v["Data"]["close_time"], (T0 + 30).to_string());
}

#[tokio::test]
async fn batch_forbid_and_resume_take_1_to_20_ids_in_either_bracket_form() {
    let (server, _clock) = frozen().await;
    let ids: Vec<String> = (0..20).map(|i| format!("s{i}")).collect();
    let mut p: Vec<(&str, &str)> = ids.iter().map(|s| ("StreamId[]", s.as_str())).collect();
    p.push(("Sequence", "1"));
    let v = call(&server, "ForbidRTCStreams", T0, &p).await;
    assert_eq!(v["Code"], 0);
    assert_eq!(keys(&v), ["Code", "Data", "Message", "RequestId"]);
    assert!(v["Data"].is_null());
    assert_eq!(
        server
            .state(DEV_APP_ID, Env::Production)
            .media
            .forbidden_rtc
            .len(),
        20
    );
    // Raw brackets, mixed with encoded ones.
    let q =
        join(&common_pairs("ResumeRTCStreams", T0)) + "&StreamId[]=s0&StreamId%5B%5D=s1&Sequence=2";
    assert_eq!(code(&server, &q).await, 0);
    assert_eq!(
        server
            .state(DEV_APP_ID, Env::Production)
            .media
            .forbidden_rtc
            .len(),
        18
    );
    // 21 ids, none, or a bad id: 30006.
    let ids21: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let mut p21: Vec<(&str, &str)> = ids21.iter().map(|s| ("StreamId[]", s.as_str())).collect();
    p21.push(("Sequence", "5"));
    let v = call(&server, "ForbidRTCStreams", T0, &p21).await;
    assert_eq!(v["Code"], 30006);
    assert_eq!(v["Message"], "Invalid StreamId list.");
    assert_eq!(
        call(
            &server,
            "ForbidRTCStreams",
            T0,
            &[("StreamId", "a"), ("Sequence", "5")]
        )
        .await["Code"],
        30006
    );
    assert_eq!(
        call(
            &server,
            "ResumeRTCStreams",
            T0,
            &[
                ("StreamId[]", "a"),
                ("StreamId[]", "b.c"),
                ("Sequence", "5")
            ]
        )
        .await["Code"],
        30006
    );
}

#[tokio::test]
async fn batch_sequences_follow_the_rule_for_every_listed_stream() {
    let (server, _clock) = frozen().await;
    assert_eq!(
        call(
            &server,
            "ForbidRTCStream",
            T0,
            &[("StreamId", "b"), ("Sequence", "10")]
        )
        .await["Code"],
        0
    );
    // The list includes b, whose last Sequence is 10: 5 is refused for the whole request.
    let v = call(
        &server,
        "ForbidRTCStreams",
        T0,
        &[("StreamId[]", "a"), ("StreamId[]", "b"), ("Sequence", "5")],
    )
    .await;
    assert_eq!(v["Code"], 5005);
    assert!(!server
        .state(DEV_APP_ID, Env::Production)
        .media
        .forbidden_rtc
        .contains("a"));
    let v = call(
        &server,
        "ForbidRTCStreams",
        T0,
        &[("StreamId[]", "a"), ("StreamId[]", "b"), ("Sequence", "11")],
    )
    .await;
    assert_eq!(v["Code"], 0);
    // Both now carry 11.
    assert_eq!(
        call(
            &server,
            "DescribeRTCStreamState",
            T0,
            &[("StreamId", "a"), ("Sequence", "11")]
        )
        .await["Code"],
        5005
    );
}

#[tokio::test]
async fn describe_answers_41004_then_0_then_41006() {
    let (server, clock) = frozen().await;
    let describe = |seq: u64| {
        dev_query(
            "DescribeRTCStreamState",
            T0,
            &[("StreamId", "s1"), ("Sequence", &seq.to_string())],
        )
    };
    let v = get(&server, &describe(1)).await;
    assert_eq!(v["Code"], 41004);
    assert_eq!(v["Message"], "Query failed, StreamId does not exist.");
    server
        .start_publishing(DEV_APP_ID, Env::Production, "s1")
        .expect("publish");
    let v = get(&server, &describe(2)).await;
    assert_eq!(v["Code"], 0);
    assert_eq!(v["Message"], "ok");
    assert_eq!(v["Data"]["create_time"], T0.to_string());
    assert_eq!(v["Data"]["close_time"], "");
    clock.advance(Duration::from_secs(60));
    assert!(server.stop_publishing(DEV_APP_ID, Env::Production, "s1"));
    let v = get(&server, &describe(3)).await;
    assert_eq!(v["Code"], 41006);
    assert_eq!(v["Data"]["close_time"], (T0 + 60).to_string());
    // 41004 advanced the Sequence like any executed request.
    assert_eq!(code(&server, &describe(3)).await, 5005);
}

#[tokio::test]
async fn each_action_enforces_its_own_documented_limit() {
    let cases: [(&str, u32, u32, i64); 10] = [
        ("DeleteCDNTransferRule", 10, 5, 30002),
        ("ClearCDNTransferRule", 10, 5, 30002),
        ("ForbidCDNLiveStream", 20, 20, 7),
        ("QueryForbidCDNLiveStream", 20, 20, 7),
        ("ForbidRTCStream", 20, 5, 30002),
        ("ResumeRTCStream", 20, 5, 30002),
        ("ForbidRTCStreams", 20, 5, 30002),
        ("ResumeRTCStreams", 20, 5, 30002),
        ("DescribeRTCStreamState", 40, 10, 30002),
        ("ResumeCDNLiveStream", 20, 20, 7),
    ];
    for (action, prod, test, throttled) in cases {
        for (env_param, limit) in [("false", prod), ("true", test)] {
            let server = MockServer::builder()
                .clock(ManualClock::at_secs(T0))
                .start()
                .await;
            let stream = if env_param == "true" {
                format!("zegotest-{DEV_APP_ID}-x")
            } else {
                "x".to_string()
            };
            let mut last = 0;
            for i in 0..=limit {
                let seq = (i + 1).to_string();
                let p = [
                    ("IsTest", env_param),
                    ("StreamId", stream.as_str()),
                    ("StreamId[]", stream.as_str()),
                    ("CDNUrl", "rtmp://h/a"),
                    ("Vendor", "ws"),
                    ("Sequence", seq.as_str()),
                ];
                last = call(&server, action, T0, &p).await["Code"]
                    .as_i64()
                    .expect("code");
                if i < limit {
                    assert_ne!(
                        last,
                        throttled,
                        "{action} IsTest={env_param}: request {} throttled",
                        i + 1
                    );
                }
            }
            assert_eq!(
                last,
                throttled,
                "{action} IsTest={env_param}: request {} passed",
                limit + 1
            );
        }
    }
}

#[tokio::test]
async fn legacy_codes_of_the_rtc_stream_actions() {
    let server = MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .legacy_codes(true)
        .start()
        .await;
    let bad_sig = |action: &str| {
        let mut p = common_pairs(action, T0);
        p[4].1 = "0".repeat(32);
        join(&p) + "&StreamId=s&StreamId[]=s&Sequence=1&CDNUrl=rtmp%3A%2F%2Fh%2Fa&Vendor=ws"
    };
    let expected = [
        ("DeleteCDNTransferRule", 5003),
        ("ClearCDNTransferRule", 5003),
        ("ForbidCDNLiveStream", 3),
        ("QueryForbidCDNLiveStream", 3),
        ("ForbidRTCStream", 40005),
        ("ResumeRTCStream", 40005),
        ("DescribeRTCStreamState", 40005),
        ("ForbidRTCStreams", 100000005),
        ("ResumeRTCStreams", 100000005),
    ];
    for (action, code_expected) in expected {
        assert_eq!(
            code(&server, &bad_sig(action)).await,
            code_expected,
            "{action}"
        );
    }
    // An expired timestamp answers 3002 where the action documents it.
    for (action, code_expected) in [
        ("ForbidRTCStream", 3002),
        ("ResumeRTCStream", 3002),
        ("DescribeRTCStreamState", 3002),
        ("DeleteCDNTransferRule", 100000004),
    ] {
        let q = dev_query(
            action,
            T0 - 601,
            &[
                ("StreamId", "s"),
                ("Sequence", "1"),
                ("CDNUrl", "rtmp://h/a"),
            ],
        );
        let v = get(&server, &q).await;
        assert_eq!(v["Code"], code_expected, "{action}");
        if code_expected == 3002 {
            assert_eq!(v["Message"], "Timestamp error.");
        }
    }
}

#[tokio::test]
async fn test_environment_prefix_applies_to_rtc_and_relay_actions_only() {
    let (server, _clock) = frozen().await;
    let t = [
        ("IsTest", "true"),
        ("StreamId", "plain"),
        ("StreamId[]", "plain"),
        ("Sequence", "1"),
        ("CDNUrl", "rtmp://h/a"),
    ];
    for (action, expected) in [
        ("DeleteCDNTransferRule", 30009),
        ("ClearCDNTransferRule", 30009),
        ("ForbidRTCStream", 30009),
        ("ResumeRTCStream", 30009),
        ("DescribeRTCStreamState", 30009),
        ("ForbidRTCStreams", 30006),
        ("ResumeRTCStreams", 30006),
        ("ForbidCDNLiveStream", 0),
    ] {
        assert_eq!(
            call(&server, action, T0, &t).await["Code"],
            expected,
            "{action}"
        );
    }
}
