//! Stream mixing and cloud transcoding over HTTP: POST with JSON bodies, tasks on the mock's
//! clock, outputs that are live streams, and each documented refusal.

use crate::common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use zego_mock::{Env, Features, MockServer, UserSpec, DEV_APP_ID};

const P: Env = Env::Production;

async fn call(server: &MockServer, action: &str, body: &Value) -> Value {
    let raw = post(server, action, T0, &body.to_string()).await;
    assert_eq!(raw.status, 200, "{}", raw.head);
    raw.json()
}

/// The request example of start-mix.yaml: two inputs, one output.
fn example() -> Value {
    json!({"TaskId":"2213699902971205739","UserId":"123","MixInput":[{"RectInfo":{"Bottom":640,"Left":0,"Right":180,"Top":0},"StreamId":"stream1"},{"RectInfo":{"Bottom":640,"Left":180,"Right":360,"Top":0},"StreamId":"stream2"}],"MixOutput":[{"Fps":15,"Width":360,"Height":640,"StreamId":"stream3","VideoBitrate":1200000}]})
}

fn publish(server: &MockServer, streams: &[&str]) {
    for s in streams {
        server.start_publishing(DEV_APP_ID, P, s).expect("publish");
    }
}

async fn state_code(server: &MockServer, stream: &str, seq: &str) -> Value {
    get(
        server,
        &dev_query(
            "DescribeRTCStreamState",
            T0,
            &[("StreamId", stream), ("Sequence", seq)],
        ),
    )
    .await["Code"]
        .clone()
}

#[tokio::test]
async fn the_documented_start_mix_example_runs_until_stopped() {
    // Arrange: the example's inputs are live.
    let (server, clock) = frozen().await;
    publish(&server, &["stream1", "stream2"]);
    // Act: the documented request, as a real POST.
    let v = call(&server, "StartMix", &example()).await;
    // Assert: the documented Data shape.
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(v["Message"], "success");
    assert_eq!(
        v["Data"],
        json!({"UserId": "123", "Sequence": 0, "RoomId": "", "PlayInfo": [{"StreamId": "stream3", "RTMP": "", "HLS": "", "FLV": "", "Status": 0, "UserName": ""}]})
    );
    // The output is a live stream while the task runs.
    assert_eq!(state_code(&server, "stream3", "1").await, 0);
    clock.advance(Duration::from_secs(13));
    let info = get(
        &server,
        &dev_query(
            "GetMixTaskInfo",
            T0 + 13,
            &[("TaskId", "2213699902971205739")],
        ),
    )
    .await;
    assert_eq!(
        info["Data"],
        json!({"TaskInfo": {"TaskId": "2213699902971205739", "MixDuration": 13}}),
        "{info}"
    );
    let stop = post(
        &server,
        "StopMix",
        T0 + 13,
        r#"{"TaskId":"2213699902971205739","Sequence":1,"UserId":"123"}"#,
    )
    .await
    .json();
    assert_eq!(stop["Code"], 0, "{stop}");
    assert!(stop.get("Data").is_none());
    let info = get(
        &server,
        &dev_query(
            "GetMixTaskInfo",
            T0 + 13,
            &[("TaskId", "2213699902971205739")],
        ),
    )
    .await;
    assert_eq!(info["Code"], 110209001);
    assert_eq!(info["Message"], "Stream Mixing task does not exist.");
    // Stopping again is no error; the output closed.
    assert_eq!(
        post(
            &server,
            "StopMix",
            T0 + 13,
            r#"{"TaskId":"2213699902971205739"}"#
        )
        .await
        .json()["Code"],
        0
    );
    assert_eq!(state_code(&server, "stream3", "2").await, 41006);
    let events: Vec<String> = server
        .events(DEV_APP_ID, P)
        .iter()
        .map(|e| e.event.to_string())
        .collect();
    assert_eq!(events, ["mix_start", "mix_stop"]);
}

#[tokio::test]
async fn body_and_value_refusals_answer_each_pages_codes() {
    let (server, _clock) = frozen().await;
    publish(&server, &["stream1", "stream2", "busy"]);
    let raw = |body: &'static str| {
        let server = &server;
        async move { post(server, "StartMix", T0, body).await.json()["Code"].clone() }
    };
    assert_eq!(raw("not json").await, 110200002, "a body that is not JSON");
    assert_eq!(raw("[1]").await, 110200002, "a body that is not an object");
    assert_eq!(raw("").await, 110200002, "an empty body");
    let with = |f: &dyn Fn(&mut Value)| {
        let mut b = example();
        f(&mut b);
        b
    };
    let cases: Vec<(Value, i64)> = vec![
        (with(&|b| b["TaskId"] = json!(7)), 110200184),
        (with(&|b| b["MixInput"] = json!("x")), 110200184),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("UserId");
            }),
            110200002,
        ),
        (
            with(
                &|b| b["MixOutput"] = json!([{"StreamId":"o1","VideoBitrate":1},{"StreamId":"o2","VideoBitrate":1},{"StreamId":"o3","VideoBitrate":1},{"StreamId":"o4","VideoBitrate":1},{"StreamId":"o5","VideoBitrate":1}]),
            ),
            110200178,
        ),
        (
            with(&|b| b["MixInput"][0]["StreamId"] = json!("not-live")),
            110200150,
        ),
        (
            with(&|b| b["MixOutput"][0]["StreamId"] = json!("busy")),
            110200154,
        ),
        (
            with(&|b| b["MixOutput"][0]["StreamId"] = json!("stream1")),
            110200140,
        ),
        (
            with(&|b| b["MixInput"][1]["StreamId"] = json!("stream1")),
            110200175,
        ),
        (
            with(&|b| b["MixOutput"][0]["Width"] = json!(361)),
            110200161,
        ),
        (
            with(&|b| b["MixOutput"][0]["Height"] = json!(3002)),
            110200002,
        ),
        (
            with(&|b| {
                b["MixInput"] = json!((0..10)
                    .map(|i| json!({"StreamId": format!("in{i}")}))
                    .collect::<Vec<_>>())
            }),
            110200158,
        ),
        (
            with(&|b| b["MixOutput"][0]["TargetRoom"] = json!({"RoomId": "nobody", "UserId": "u"})),
            110200197,
        ),
        (
            with(&|b| {
                b["WaterMark"] = json!({"RectInfo": {"Top": 0, "Left": 0, "Bottom": 1, "Right": 1}})
            }),
            110200171,
        ),
        (
            with(&|b| b["BackgroundImage"] = json!("ftp://x/y.png")),
            110200141,
        ),
        (with(&|b| b["MaxIdleTime"] = json!(30)), 110200002),
    ];
    for (body, want) in cases {
        let v = call(&server, "StartMix", &body).await;
        assert_eq!(v["Code"], want, "{body}: {v}");
    }
    // GetMixTaskInfo without TaskId answers its page's only parameter code.
    assert_eq!(
        get(&server, &dev_query("GetMixTaskInfo", T0, &[])).await["Code"],
        110200004
    );
    // StopMix with a TaskId of the wrong JSON type: 110200004.
    assert_eq!(
        post(&server, "StopMix", T0, r#"{"TaskId":5}"#).await.json()["Code"],
        110200004
    );
    // A GET for a POST action is an HTTP error, not an API answer.
    assert_eq!(
        get_raw(&server, &dev_query("StartMix", T0, &[]))
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn a_seeded_running_mix_still_ends_by_itself() {
    // A state read out and seeded back holds a running task the seeding did not start: the
    // first tick after the seed must find it (the running-task index is rebuilt, not trusted).
    let (server, clock) = frozen().await;
    publish(&server, &["stream1", "stream2"]);
    assert_eq!(call(&server, "StartMix", &example()).await["Code"], 0);
    let state = server.state(DEV_APP_ID, P);
    server.reset_app(DEV_APP_ID);
    server.seed_state(DEV_APP_ID, P, state);
    for s in ["stream1", "stream2"] {
        server.stop_publishing(DEV_APP_ID, P, s);
    }
    clock.advance(Duration::from_secs(90));
    let info = dev_query(
        "GetMixTaskInfo",
        T0 + 90,
        &[("TaskId", "2213699902971205739")],
    );
    assert_eq!(
        get(&server, &info).await["Code"],
        110209001,
        "90 s idle after the seed: ended"
    );
}

#[tokio::test]
async fn an_idle_mix_ends_by_itself_on_the_mocks_clock() {
    let (server, clock) = frozen().await;
    publish(&server, &["stream1", "stream2"]);
    assert_eq!(call(&server, "StartMix", &example()).await["Code"], 0);
    // The inputs stop at T0+10; the task ends 90 s after (MaxIdleTime's default).
    clock.advance(Duration::from_secs(10));
    for s in ["stream1", "stream2"] {
        server.stop_publishing(DEV_APP_ID, P, s);
    }
    clock.advance(Duration::from_secs(89));
    let info = |t: i64| dev_query("GetMixTaskInfo", t, &[("TaskId", "2213699902971205739")]);
    assert_eq!(
        get(&server, &info(T0 + 99)).await["Code"],
        0,
        "89 s idle: still running"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        get(&server, &info(T0 + 100)).await["Code"],
        110209001,
        "90 s idle: ended"
    );
    assert_eq!(
        state_code(&server, "stream3", "1").await,
        41006,
        "its output closed"
    );
    // StopMix after the automatic end is no error.
    assert_eq!(
        post(
            &server,
            "StopMix",
            T0 + 100,
            r#"{"TaskId":"2213699902971205739"}"#
        )
        .await
        .json()["Code"],
        0
    );
    // WaitVideoInput=1 with a StreamUrl input: live by assumption, so it does not end.
    let mut b = example();
    b["TaskId"] = json!("url-task");
    b["MixInput"] = json!([{"StreamUrl": "rtmp://cdn.example.com/live/x"}]);
    b["MixOutput"][0]["StreamId"] = json!("url-out");
    b["WaitVideoInput"] = json!(1);
    assert_eq!(call(&server, "StartMix", &b).await["Code"], 0);
    clock.advance(Duration::from_secs(600));
    assert_eq!(
        get(
            &server,
            &dev_query("GetMixTaskInfo", T0 + 700, &[("TaskId", "url-task")])
        )
        .await["Code"],
        0
    );
}

#[tokio::test]
async fn a_target_room_lists_the_output_and_an_auto_mix_needs_a_room() {
    let (server, _clock) = frozen().await;
    publish(&server, &["stream1", "stream2"]);
    server
        .login(DEV_APP_ID, P, "stage", UserSpec::new("host"))
        .expect("login");
    let mut b = example();
    b["MixOutput"][0]["TargetRoom"] = json!({"RoomId": "stage", "UserId": "mixer"});
    assert_eq!(call(&server, "StartMix", &b).await["Code"], 0);
    let list = get(
        &server,
        &dev_query("DescribeSimpleStreamList", T0, &[("RoomId", "stage")]),
    )
    .await;
    assert_eq!(
        list["Data"]["StreamList"][0]["StreamId"], "stream3",
        "{list}"
    );
    assert_eq!(list["Data"]["StreamList"][0]["UserId"], "mixer");
    // Auto-mix: a room nobody is in fails; a room with a publisher works.
    let auto = json!({"TaskId": "auto1", "UserId": "123", "RoomId": "empty", "MixOutput": [{"StreamId": "auto-out"}]});
    assert_eq!(
        call(&server, "StartAutoMix", &auto).await["Code"],
        110200151
    );
    let mut auto = auto;
    auto["RoomId"] = json!("stage");
    let v = call(&server, "StartAutoMix", &auto).await;
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(v["Data"]["RoomId"], "stage");
    assert_eq!(state_code(&server, "auto-out", "1").await, 0);
    // The same TaskId cannot be a StartMix task; StopAutoMix names the room.
    assert_eq!(
        call(
            &server,
            "StopAutoMix",
            &json!({"TaskId": "auto1", "RoomId": "other"})
        )
        .await["Code"],
        110200002
    );
    assert_eq!(
        call(
            &server,
            "StopAutoMix",
            &json!({"TaskId": "auto1", "RoomId": "stage"})
        )
        .await["Code"],
        0
    );
    assert_eq!(
        server
            .mix_tasks(DEV_APP_ID, P)
            .iter()
            .filter(|t| t.running)
            .count(),
        1
    );
}

#[tokio::test]
async fn cloud_transcoding_starts_and_stops_in_its_own_namespace() {
    let (server, _clock) = frozen().await;
    publish(&server, &["stream1"]);
    let body = json!({"TaskId": "2213699902971205739", "UserId": "456", "TranscodeInput": {"StreamId": "stream1"}, "TranscodeOutput": [{"StreamId": "stream3", "TemplateId": 3}]});
    let v = call(&server, "StartCloudTranscode", &body).await;
    assert_eq!(v["Code"], 0, "{v}");
    assert!(v.get("Data").is_none());
    // Transcode tasks are not mix tasks.
    assert_eq!(
        get(
            &server,
            &dev_query("GetMixTaskInfo", T0, &[("TaskId", "2213699902971205739")])
        )
        .await["Code"],
        110209001
    );
    assert_eq!(state_code(&server, "stream3", "1").await, 0);
    let mut bad = body.clone();
    bad["TranscodeInput"]["StreamId"] = json!("nobody");
    bad["TaskId"] = json!("t2");
    assert_eq!(
        call(&server, "StartCloudTranscode", &bad).await["Code"],
        110200150
    );
    let mut custom = body.clone();
    custom["TaskId"] = json!("t3");
    custom["TranscodeOutput"] = json!([{"StreamId": "o3", "TemplateId": 4}]);
    assert_eq!(
        call(&server, "StartCloudTranscode", &custom).await["Code"],
        110200002,
        "TemplateId 4 needs TemplateConfig"
    );
    assert_eq!(
        call(
            &server,
            "StopCloudTranscode",
            &json!({"TaskId": "2213699902971205739", "UserId": "456"})
        )
        .await["Code"],
        0
    );
    assert_eq!(state_code(&server, "stream3", "2").await, 41006);
    assert_eq!(
        call(
            &server,
            "StopCloudTranscode",
            &json!({"TaskId": "unknown", "UserId": "456"})
        )
        .await["Code"],
        0
    );
    // Both faces of the control plane show the ended task, and no mix task.
    let tasks = server.transcode_tasks(DEV_APP_ID, P);
    let task = &tasks["2213699902971205739"];
    assert_eq!(
        (task.user_id.as_str(), task.ended_millis.is_some()),
        ("456", true)
    );
    let (status, v) = control(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/transcode-tasks?env=production"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["transcode_tasks"]["2213699902971205739"]["user_id"], "456",
        "{v}"
    );
    let (_, v) = control(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/mix-tasks?env=production"),
        None,
    )
    .await;
    assert_eq!(v["mix_tasks"], json!([]), "{v}");
}

#[tokio::test]
async fn features_gate_mixing_and_add_timing_control_and_ownership() {
    let (server, _clock) = frozen().await;
    publish(&server, &["stream1", "stream2"]);
    server.set_features(
        DEV_APP_ID,
        Features {
            stream_mixing: false,
            ..Features::default()
        },
    );
    assert_eq!(
        call(&server, "StartMix", &example()).await["Code"],
        110200157
    );
    server.set_features(
        DEV_APP_ID,
        Features {
            mix_sequence_control: true,
            mix_task_ownership: true,
            ..Features::default()
        },
    );
    assert_eq!(
        call(&server, "StartMix", &example()).await["Code"],
        110200002,
        "Sequence is required"
    );
    let mut b = example();
    b["Sequence"] = json!(5);
    assert_eq!(call(&server, "StartMix", &b).await["Code"], 0);
    assert_eq!(
        call(&server, "StartMix", &b).await["Code"],
        110200007,
        "a stale Sequence"
    );
    b["Sequence"] = json!(6);
    b["UserId"] = json!("intruder");
    assert_eq!(
        call(&server, "StartMix", &b).await["Code"],
        110200013,
        "another owner"
    );
    assert_eq!(
        call(
            &server,
            "StopMix",
            &json!({"TaskId": "2213699902971205739", "Sequence": 7, "UserId": "intruder"})
        )
        .await["Code"],
        110200160
    );
    assert_eq!(
        call(
            &server,
            "StopMix",
            &json!({"TaskId": "2213699902971205739", "Sequence": 7, "UserId": "123"})
        )
        .await["Code"],
        0
    );
}

#[tokio::test]
async fn timing_control_covers_auto_mix_and_transcoding_and_stops_check_sequence_types() {
    let (server, _clock) = frozen().await;
    publish(&server, &["stream1"]);
    server
        .login(DEV_APP_ID, P, "stage", UserSpec::new("host"))
        .expect("login");
    // Off: a Sequence of the wrong JSON type is refused all the same, with each page's code.
    assert_eq!(
        call(
            &server,
            "StopAutoMix",
            &json!({"TaskId": "a", "RoomId": "stage", "Sequence": "1"})
        )
        .await["Code"],
        110200004
    );
    assert_eq!(
        call(
            &server,
            "StopCloudTranscode",
            &json!({"TaskId": "t", "UserId": "456", "Sequence": "1"})
        )
        .await["Code"],
        110200002
    );
    server.set_features(
        DEV_APP_ID,
        Features {
            mix_sequence_control: true,
            ..Features::default()
        },
    );
    let auto = json!({"TaskId": "a", "UserId": "123", "RoomId": "stage", "MixOutput": [{"StreamId": "auto-out"}]});
    assert_eq!(
        call(&server, "StartAutoMix", &auto).await["Code"],
        110200002
    );
    let mut auto = auto;
    auto["Sequence"] = json!(3);
    assert_eq!(call(&server, "StartAutoMix", &auto).await["Code"], 0);
    assert_eq!(
        call(&server, "StartAutoMix", &auto).await["Code"],
        110200007,
        "a stale Sequence on an update"
    );
    let stop = |seq: i64| json!({"TaskId": "a", "RoomId": "stage", "Sequence": seq});
    assert_eq!(
        call(&server, "StopAutoMix", &stop(3)).await["Code"],
        110200002
    );
    assert_eq!(call(&server, "StopAutoMix", &stop(4)).await["Code"], 0);

    let tc = json!({"TaskId": "t", "UserId": "456", "TranscodeInput": {"StreamId": "stream1"}, "TranscodeOutput": [{"StreamId": "tc-out", "TemplateId": 1}], "Sequence": 9});
    assert_eq!(call(&server, "StartCloudTranscode", &tc).await["Code"], 0);
    assert_eq!(
        call(&server, "StartCloudTranscode", &tc).await["Code"],
        110200007
    );
    let stop = |seq: Option<i64>| match seq {
        Some(n) => json!({"TaskId": "t", "UserId": "456", "Sequence": n}),
        None => json!({"TaskId": "t", "UserId": "456"}),
    };
    assert_eq!(
        call(&server, "StopCloudTranscode", &stop(None)).await["Code"],
        110200002,
        "Sequence is required"
    );
    assert_eq!(
        call(&server, "StopCloudTranscode", &stop(Some(9))).await["Code"],
        110200002
    );
    assert_eq!(
        call(&server, "StopCloudTranscode", &stop(Some(10))).await["Code"],
        0
    );
    assert_eq!(state_code(&server, "tc-out", "1").await, 41006);
}

#[tokio::test]
async fn throttling_and_legacy_codes_of_the_family() {
    let (server, _clock) = frozen().await;
    // StopMix of an unknown task is cheap to repeat: 100 answer 0, the 101st 110200191.
    for _ in 0..100 {
        assert_eq!(
            call(&server, "StopMix", &json!({"TaskId": "x"})).await["Code"],
            0
        );
    }
    assert_eq!(
        call(&server, "StopMix", &json!({"TaskId": "x"})).await["Code"],
        110200191
    );
    for _ in 0..100 {
        call(&server, "StartMix", &json!({})).await;
    }
    assert_eq!(
        call(&server, "StartMix", &json!({})).await["Code"],
        110200190
    );
    for _ in 0..100 {
        get(
            &server,
            &dev_query("GetMixTaskInfo", T0, &[("TaskId", "x")]),
        )
        .await;
    }
    assert_eq!(
        get(
            &server,
            &dev_query("GetMixTaskInfo", T0, &[("TaskId", "x")])
        )
        .await["Code"],
        110200194
    );
    // With legacy codes, an expired timestamp answers 110200003.
    let legacy = MockServer::builder()
        .clock(zego_mock::ManualClock::at_secs(T0))
        .legacy_codes(true)
        .start()
        .await;
    assert_eq!(
        post(&legacy, "StopMix", T0 - 700, r#"{"TaskId":"x"}"#)
            .await
            .json()["Code"],
        110200003
    );
}
