//! Audio/video stream moderation over HTTP: StartCensorAudioV2, StopCensorAudioV2,
//! StartCensorVideoV2, StopCensorVideoV2 (POST, JSON bodies) and GenerateIdentifyToken (GET);
//! censor tasks on the mock's clock, injected results, identify tokens, and each documented
//! refusal.

use crate::common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use zego_mock::{Env, Features, MockServer, UserSpec, DEV_APP_ID};

const P: Env = Env::Production;

/// A change to a request body.
type Change = Box<dyn Fn(&mut Value)>;

async fn call(server: &MockServer, action: &str, ts: i64, body: &Value) -> Value {
    let raw = post(server, action, ts, &body.to_string()).await;
    assert_eq!(raw.status, 200, "{}", raw.head);
    raw.json()
}

/// The request example of start-censor-audio (the classic page's body).
fn audio_example() -> Value {
    json!({"RoomId":"room_1","IsMixingEnabled":0,"EventId":"live_streaming","RiskTypeList":["ADLAW","ADVERT","AUDIOPOLITICAL","BAN","DIRTY","EROTIC","MOAN","POLITY","VIOLENT"],"AudioLanguage":"zh","LabelLanguage":"zh","ReturnAllText":1,"ReturnPreText":1,"ReturnPreAudio":1,"ReturnFinishInfo":1,"ResultCallbackUrl":"","StatusCallbackUrl":""})
}

/// The request example of start-censor-video (the classic page's body).
fn video_example() -> Value {
    json!({"RoomId":"room_1","EventId":"live_streaming","Language":"zh","AudioParam":{"RiskTypeList":["ADLAW","ADVERT","AUDIOPOLITICAL","DIRTY","EROTIC","MOAN","POLITY"],"ReturnAllText":1,"ReturnPreAudio":1,"ReturnPreText":1,"ResultCallbackUrl":"","StatusCallbackUrl":""},"VideoParam":{"RiskTypeList":["ADVERT","EROTIC","IMGTEXTRISK","POLITY","QRCODE","VIOLENT"],"ReturnAllImg":1,"DetectFrequency":5,"ResultCallbackUrl":"","StatusCallbackUrl":""},"ReturnFinishInfo":1})
}

/// A room `room_1` with user `u1` publishing `s1`.
fn room_with_publisher(server: &MockServer) {
    server
        .login(DEV_APP_ID, P, "room_1", UserSpec::new("u1").role(1))
        .expect("login");
    server
        .publish_in_room(DEV_APP_ID, P, "room_1", "u1", "s1")
        .expect("publish");
}

fn is_task_id(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn task(server: &MockServer, id: &str) -> zego_mock::CensorTaskView {
    server
        .censor_tasks(DEV_APP_ID, P)
        .into_iter()
        .find(|t| t.task_id == id)
        .unwrap_or_else(|| panic!("no censor task {id}"))
}

fn events(server: &MockServer, name: &str) -> Vec<Value> {
    server
        .events(DEV_APP_ID, P)
        .into_iter()
        .filter(|e| e.event == name)
        .map(|e| e.data)
        .collect()
}

#[tokio::test]
async fn a_video_censor_task_on_a_room_with_a_publisher_runs_until_stopped() {
    // Arrange: a room with a user publishing.
    let (server, clock) = frozen().await;
    room_with_publisher(&server);
    // Act: the documented request.
    let v = call(&server, "StartCensorVideoV2", T0, &video_example()).await;
    // Assert: the documented Data shape, a 32-hex TaskId.
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(v["Message"], "success");
    assert!(is_task_id(&v["Data"]["TaskId"]), "{v}");
    let id = v["Data"]["TaskId"].as_str().expect("TaskId").to_owned();
    assert!(task(&server, &id).running);
    // 40 s of one moderated stream, then the stop.
    clock.advance(Duration::from_secs(40));
    let stop = call(
        &server,
        "StopCensorVideoV2",
        T0 + 40,
        &json!({ "TaskId": id }),
    )
    .await;
    assert_eq!(stop["Code"], 0, "{stop}");
    assert_eq!(stop["Message"], "success");
    assert!(stop.get("Data").is_none(), "Stop answers no Data: {stop}");
    let t = task(&server, &id);
    assert!(!t.running);
    assert_eq!(t.censor_stream_time, 40);
    // ReturnFinishInfo=1: the image status, then the audio status (AudioParam lists risks).
    let img = events(&server, "censor_video_v2_img_status");
    let audio = events(&server, "censor_video_v2_audio_status");
    assert_eq!(img.len(), 1);
    assert_eq!(audio.len(), 1);
    assert_eq!(
        img[0],
        json!({"Code":0,"Message":"success","TaskId":id,"Status":0,"AuxInfo":{"RoomId":"room_1","CensorStreamTime":40}})
    );
    // A second stop of the same task is still a success, and records nothing more.
    let again = call(
        &server,
        "StopCensorVideoV2",
        T0 + 40,
        &json!({ "TaskId": id }),
    )
    .await;
    assert_eq!(again["Code"], 0);
    assert_eq!(events(&server, "censor_video_v2_img_status").len(), 1);
}

#[tokio::test]
async fn an_audio_censor_task_counts_each_stream_and_ends_after_300_idle_seconds() {
    // Arrange: two publishers in room_1.
    let (server, clock) = frozen().await;
    room_with_publisher(&server);
    server
        .login(DEV_APP_ID, P, "room_1", UserSpec::new("u2"))
        .expect("login u2");
    server
        .publish_in_room(DEV_APP_ID, P, "room_1", "u2", "s2")
        .expect("publish s2");
    let v = call(&server, "StartCensorAudioV2", T0, &audio_example()).await;
    assert_eq!(v["Code"], 0, "{v}");
    let id = v["Data"]["TaskId"].as_str().expect("TaskId").to_owned();
    // Act: both streams for 10 s, then none.
    clock.advance(Duration::from_secs(10));
    server
        .stop_in_room(DEV_APP_ID, P, "room_1", "u1", "s1")
        .expect("stop s1");
    server
        .stop_in_room(DEV_APP_ID, P, "room_1", "u2", "s2")
        .expect("stop s2");
    clock.advance(Duration::from_secs(299));
    // Assert: still running 299 s after the last stream stopped, ended at 300 s.
    assert!(task(&server, &id).running);
    clock.advance(Duration::from_secs(1));
    let (status, body) = control(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/censor-tasks"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let t = &body["censor_tasks"][0];
    assert_eq!(t["task_id"], id.as_str());
    assert_eq!(t["running"], false);
    assert_eq!(t["end_reason"], "idle");
    assert_eq!(t["ended_millis"], (T0 + 310) * 1000);
    // Two streams for 10 s each.
    assert_eq!(t["censor_stream_time"], 20);
    let status = events(&server, "censor_audio_v2_status");
    assert_eq!(status.len(), 1);
    assert_eq!(status[0]["AuxInfo"]["CensorStreamTime"], 20);
}

#[tokio::test]
async fn mixed_moderation_counts_the_time_any_stream_is_live_once() {
    let (server, clock) = frozen().await;
    room_with_publisher(&server);
    server
        .login(DEV_APP_ID, P, "room_1", UserSpec::new("u2"))
        .expect("login u2");
    server
        .publish_in_room(DEV_APP_ID, P, "room_1", "u2", "s2")
        .expect("publish s2");
    let mut body = audio_example();
    body["IsMixingEnabled"] = json!(1);
    let id = call(&server, "StartCensorAudioV2", T0, &body).await["Data"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_owned();
    clock.advance(Duration::from_secs(10));
    assert_eq!(task(&server, &id).censor_stream_time, 10);
}

#[tokio::test]
async fn a_task_on_a_room_without_streams_ends_300_s_after_it_started() {
    let (server, clock) = frozen().await;
    let v = call(&server, "StartCensorAudioV2", T0, &audio_example()).await;
    assert_eq!(v["Code"], 0, "the room need not exist: {v}");
    let id = v["Data"]["TaskId"].as_str().expect("TaskId").to_owned();
    clock.advance(Duration::from_secs(299));
    assert!(task(&server, &id).running);
    clock.advance(Duration::from_secs(1));
    assert!(!task(&server, &id).running);
}

#[tokio::test]
async fn stops_of_unknown_or_other_kind_tasks_succeed_and_change_nothing() {
    let (server, _clock) = frozen().await;
    room_with_publisher(&server);
    let video = call(&server, "StartCensorVideoV2", T0, &video_example()).await["Data"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_owned();
    for (action, id) in [
        ("StopCensorAudioV2", video.as_str()),
        ("StopCensorAudioV2", "9f58178ba8034902c6028c728bc6f6e4"),
        ("StopCensorVideoV2", "9f58178ba8034902c6028c728bc6f6e4"),
    ] {
        let v = call(&server, action, T0, &json!({ "TaskId": id })).await;
        assert_eq!(v["Code"], 0, "{action} {id}: {v}");
    }
    assert!(
        task(&server, &video).running,
        "an audio stop left the video task"
    );
    let v = call(&server, "StopCensorAudioV2", T0, &json!({})).await;
    assert_eq!(v["Code"], 2, "TaskId is required: {v}");
}

#[tokio::test]
async fn start_refusals_answer_2_in_the_documented_order() {
    let (server, _clock) = frozen().await;
    let cases: Vec<(&str, Change)> = vec![
        (
            "RoomId missing",
            Box::new(|b| drop(b.as_object_mut().map(|o| o.remove("RoomId")))),
        ),
        ("RoomId empty", Box::new(|b| b["RoomId"] = json!(""))),
        (
            "EventId missing",
            Box::new(|b| drop(b.as_object_mut().map(|o| o.remove("EventId")))),
        ),
        (
            "AudioLanguage missing",
            Box::new(|b| drop(b.as_object_mut().map(|o| o.remove("AudioLanguage")))),
        ),
        (
            "AudioLanguage outside its enum",
            Box::new(|b| b["AudioLanguage"] = json!("xx")),
        ),
        (
            "LabelLanguage outside zh/en",
            Box::new(|b| b["LabelLanguage"] = json!("ja")),
        ),
        (
            "IsMixingEnabled 2",
            Box::new(|b| b["IsMixingEnabled"] = json!(2)),
        ),
        (
            "ReturnFinishInfo \"1\"",
            Box::new(|b| b["ReturnFinishInfo"] = json!("1")),
        ),
        (
            "both lists empty",
            Box::new(|b| b["RiskTypeList"] = json!([])),
        ),
        (
            "RiskTypeList not an array",
            Box::new(|b| b["RiskTypeList"] = json!("EROTIC")),
        ),
        (
            "a callback URL that is not http",
            Box::new(|b| b["ResultCallbackUrl"] = json!("ftp://x/y")),
        ),
        (
            "names are case-sensitive",
            Box::new(|b| {
                let room = b["RoomId"].take();
                b["roomid"] = room;
            }),
        ),
    ];
    for (what, change) in cases {
        let mut body = audio_example();
        change(&mut body);
        let v = call(&server, "StartCensorAudioV2", T0, &body).await;
        assert_eq!(v["Code"], 2, "{what}: {v}");
        assert_eq!(v["Message"], "Input parameter error.", "{what}");
    }
    // BusinessTypeList alone is enough (the text's "at least one" rule); unknown fields are
    // ignored.
    let mut body = audio_example();
    body["RiskTypeList"] = json!([]);
    body["BusinessTypeList"] = json!(["SING"]);
    body["Unknown"] = json!(true);
    assert_eq!(
        call(&server, "StartCensorAudioV2", T0, &body).await["Code"],
        0
    );
    // A body that is not a JSON object.
    let raw = post(&server, "StartCensorAudioV2", T0, "[1,2]").await;
    assert_eq!(raw.json()["Code"], 2);
    let raw = post(&server, "StartCensorAudioV2", T0, "not json").await;
    assert_eq!(raw.json()["Code"], 2);
}

#[tokio::test]
async fn video_start_refusals_answer_2() {
    let (server, _clock) = frozen().await;
    let cases: Vec<(&str, Change)> = vec![
        (
            "VideoParam missing",
            Box::new(|b| drop(b.as_object_mut().map(|o| o.remove("VideoParam")))),
        ),
        (
            "VideoParam not an object",
            Box::new(|b| b["VideoParam"] = json!([1])),
        ),
        (
            "VideoParam lists empty",
            Box::new(|b| b["VideoParam"]["RiskTypeList"] = json!([])),
        ),
        (
            "DetectFrequency 0",
            Box::new(|b| b["VideoParam"]["DetectFrequency"] = json!(0)),
        ),
        (
            "DetectFrequency 61",
            Box::new(|b| b["VideoParam"]["DetectFrequency"] = json!(61)),
        ),
        (
            "ReturnAllImg 2",
            Box::new(|b| b["VideoParam"]["ReturnAllImg"] = json!(2)),
        ),
        (
            "Language outside its enum",
            Box::new(|b| b["Language"] = json!("xx")),
        ),
        (
            "AudioParam not an object",
            Box::new(|b| b["AudioParam"] = json!("zh")),
        ),
        (
            "AudioParam.ReturnAllText 5",
            Box::new(|b| b["AudioParam"]["ReturnAllText"] = json!(5)),
        ),
    ];
    for (what, change) in cases {
        let mut body = video_example();
        change(&mut body);
        let v = call(&server, "StartCensorVideoV2", T0, &body).await;
        assert_eq!(v["Code"], 2, "{what}: {v}");
    }
    // DetectFrequency 60 is the top of (0, 60]; without AudioParam only video is moderated.
    let mut body = video_example();
    body["VideoParam"]["DetectFrequency"] = json!(60);
    body.as_object_mut().map(|o| o.remove("AudioParam"));
    let v = call(&server, "StartCensorVideoV2", T0, &body).await;
    assert_eq!(v["Code"], 0, "{v}");
    let id = v["Data"]["TaskId"].as_str().expect("TaskId").to_owned();
    let t = task(&server, &id);
    assert!(t.task.video && !t.task.audio);
}

#[tokio::test]
async fn without_the_shumei_permission_every_action_answers_50117() {
    let (server, _clock) = frozen().await;
    server.set_features(
        DEV_APP_ID,
        Features {
            shumei_moderation: false,
            ..Features::default()
        },
    );
    for action in [
        "StartCensorAudioV2",
        "StopCensorAudioV2",
        "StartCensorVideoV2",
        "StopCensorVideoV2",
    ] {
        let v = call(&server, action, T0, &audio_example()).await;
        assert_eq!(v["Code"], 50117, "{action}: {v}");
        assert_eq!(
            v["Message"],
            "Configuration error, Shumei permission not enabled."
        );
    }
    let v = get(&server, &dev_query("GenerateIdentifyToken", T0, &[])).await;
    assert_eq!(v["Code"], 50117, "{v}");
}

#[tokio::test]
async fn the_101st_request_in_a_second_answers_206_and_is_test_must_be_a_boolean() {
    let (server, clock) = frozen().await;
    for i in 0..100 {
        let v = get(&server, &dev_query("GenerateIdentifyToken", T0, &[])).await;
        assert_eq!(v["Code"], 0, "request {i}: {v}");
    }
    let v = get(&server, &dev_query("GenerateIdentifyToken", T0, &[])).await;
    assert_eq!(v["Code"], 206, "{v}");
    assert_eq!(v["Message"], "App request QPS too high and was limited.");
    clock.advance(Duration::from_secs(1));
    let v = get(
        &server,
        &dev_query("GenerateIdentifyToken", T0 + 1, &[("IsTest", "maybe")]),
    )
    .await;
    assert_eq!(v["Code"], 2, "{v}");
}

#[tokio::test]
async fn identify_tokens_are_valid_once_until_they_expire() {
    // Arrange: the documented request, without and with EffectiveTime.
    let (server, clock) = frozen().await;
    let v = get(&server, &dev_query("GenerateIdentifyToken", T0, &[])).await;
    // Assert: the documented Data shape, RemainTime the default hour.
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(v["Message"], "success");
    assert_eq!(v["Data"]["RemainTime"], 3600);
    assert!(is_task_id(&v["Data"]["IdentifyToken"]), "{v}");
    let first = v["Data"]["IdentifyToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let v = get(
        &server,
        &dev_query("GenerateIdentifyToken", T0, &[("EffectiveTime", "2592000")]),
    )
    .await;
    assert_eq!(v["Data"]["RemainTime"], 2_592_000, "{v}");
    let second = v["Data"]["IdentifyToken"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_ne!(first, second);
    // Act and assert: one use each; the hour passes for the first.
    let consume = |token: String| {
        let server = &server;
        async move {
            control(
                server,
                "POST",
                &format!("/_mock/apps/{DEV_APP_ID}/identify-tokens/{token}/consume"),
                None,
            )
            .await
        }
    };
    assert_eq!(
        consume(second.clone()).await,
        (200, json!({"valid": true, "reason": null}))
    );
    assert_eq!(
        consume(second).await,
        (200, json!({"valid": false, "reason": "used"}))
    );
    clock.advance(Duration::from_secs(3600));
    assert_eq!(
        consume(first).await,
        (200, json!({"valid": false, "reason": "expired"}))
    );
    assert_eq!(
        consume("0123456789abcdef0123456789abcdef".into()).await,
        (200, json!({"valid": false, "reason": "unknown"}))
    );
}

#[tokio::test]
async fn effective_time_outside_1_to_30_days_answers_2() {
    let (server, _clock) = frozen().await;
    for bad in ["0", "2592001", "-5", "abc", "1.5"] {
        let v = get(
            &server,
            &dev_query("GenerateIdentifyToken", T0, &[("EffectiveTime", bad)]),
        )
        .await;
        assert_eq!(v["Code"], 2, "EffectiveTime={bad}: {v}");
    }
}

#[tokio::test]
async fn injected_results_are_recorded_as_their_callbacks_and_end_makes_a_task_idle() {
    // Arrange: an audio task and a video task without audio.
    let (server, _clock) = frozen().await;
    room_with_publisher(&server);
    let audio = call(&server, "StartCensorAudioV2", T0, &audio_example()).await["Data"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_owned();
    let mut body = video_example();
    body.as_object_mut().map(|o| o.remove("AudioParam"));
    let video = call(&server, "StartCensorVideoV2", T0, &body).await["Data"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_owned();
    let results = |id: &str| format!("/_mock/apps/{DEV_APP_ID}/censor-tasks/{id}/results");
    // Act: two audio results, one image result.
    let detail = json!({"RiskLevel": "REJECT", "AudioText": "..."});
    for n in 1..=2 {
        let (status, body) = control(
            &server,
            "POST",
            &results(&audio),
            Some(json!({"kind": "audio", "detail": detail, "aux": {"UserId": "u1"}})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["result_task_id"], format!("{audio}_{n}"));
    }
    let (status, body) = control(
        &server,
        "POST",
        &results(&video),
        Some(json!({"kind": "img", "detail": {"RiskLevel": "PASS"}, "aux": {"StreamId": "s1"}})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result_task_id"], format!("{video}_s_1_1"));
    // Assert: the events carry the callback's business fields.
    let audio_results = events(&server, "censor_audio_v2_result");
    assert_eq!(audio_results.len(), 2);
    assert_eq!(audio_results[1]["ResultTaskId"], format!("{audio}_2"));
    assert_eq!(audio_results[1]["Detail"], detail);
    assert_eq!(audio_results[1]["AuxInfo"]["RoomId"], "room_1");
    assert_eq!(audio_results[1]["AuxInfo"]["UserId"], "u1");
    let img = events(&server, "censor_video_v2_img_result");
    assert_eq!(img[0]["AuxInfo"]["StreamId"], "s1");
    assert_eq!(img[0]["AuxInfo"]["ImgTime"], "2023-11-15 06:13:20.000");
    // Results that do not fit the task, or no task.
    let (status, _) = control(
        &server,
        "POST",
        &results(&video),
        Some(json!({"kind": "audio"})),
    )
    .await;
    assert_eq!(status, 409, "this video task moderates no audio");
    let (status, _) = control(
        &server,
        "POST",
        &results(&audio),
        Some(json!({"kind": "img"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = control(
        &server,
        "POST",
        &results("nope"),
        Some(json!({"kind": "audio"})),
    )
    .await;
    assert_eq!(status, 404);
    // End the audio task as idle; then it takes no more results.
    let (status, _) = control(
        &server,
        "POST",
        &format!("/_mock/apps/{DEV_APP_ID}/censor-tasks/{audio}/end"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        task(&server, &audio).task.end_reason,
        Some(zego_mock::EndReason::Idle)
    );
    let (status, _) = control(
        &server,
        "POST",
        &results(&audio),
        Some(json!({"kind": "audio"})),
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn with_censor_admin_user_a_running_task_is_an_admin_in_its_room() {
    let (server, _clock) = frozen().await;
    server.set_features(
        DEV_APP_ID,
        Features {
            censor_admin_user: true,
            ..Features::default()
        },
    );
    room_with_publisher(&server);
    let id = call(&server, "StartCensorAudioV2", T0, &audio_example()).await["Data"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_owned();
    let admin = format!("censor_{id}");
    let v = get(
        &server,
        &dev_query("DescribeUserNum", T0, &[("RoomId[]", "room_1")]),
    )
    .await;
    assert_eq!(v["Data"]["UserCountList"][0]["AdminUserCount"], 1, "{v}");
    let logins = events(&server, "room_login");
    assert!(
        logins
            .iter()
            .any(|e| e["user_account"] == admin.as_str() && e["user_role"] == 4),
        "{logins:?}"
    );
    call(&server, "StopCensorAudioV2", T0, &json!({ "TaskId": id })).await;
    let v = get(
        &server,
        &dev_query("DescribeUserNum", T0, &[("RoomId[]", "room_1")]),
    )
    .await;
    assert_eq!(v["Data"]["UserCountList"][0]["AdminUserCount"], 0, "{v}");
}

#[tokio::test]
async fn reset_forgets_censor_tasks_and_tokens() {
    let (server, _clock) = frozen().await;
    call(&server, "StartCensorAudioV2", T0, &audio_example()).await;
    get(&server, &dev_query("GenerateIdentifyToken", T0, &[])).await;
    assert_eq!(server.censor_tasks(DEV_APP_ID, P).len(), 1);
    let (status, _) = control(
        &server,
        "DELETE",
        &format!("/_mock/apps/{DEV_APP_ID}/state"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(server.censor_tasks(DEV_APP_ID, P).is_empty());
    let (_, body) = control(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/identify-tokens"),
        None,
    )
    .await;
    assert_eq!(body["identify_tokens"], json!({}));
}
