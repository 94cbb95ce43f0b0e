//! Which events the mock's state changes record, in order, with the key values the callbacks
//! carry (SPEC-rest-callbacks §5.5.2), read through `MockServer::events`.

use crate::common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use zego_mock::{Env, LogoutReason, MockServer, UserSpec, DEV_APP_ID};

const P: Env = Env::Production;

async fn call(server: &MockServer, action: &str, params: &[(&str, &str)]) -> Value {
    get(server, &dev_query(action, T0, params)).await
}

fn login(server: &MockServer, room: &str, user: &str) {
    server
        .login(DEV_APP_ID, P, room, UserSpec::new(user))
        .expect("login");
}

/// `(event, key value)` per event: `type` for stream_close, `reason` for room_logout,
/// `relogin` for room_login, `close_reason` for room_close, nothing otherwise.
fn trace(server: &MockServer) -> Vec<(String, Value)> {
    server
        .events(DEV_APP_ID, P)
        .into_iter()
        .map(|e| {
            let key = match e.event {
                "stream_close" => e.data["type"].clone(),
                "room_logout" => e.data["reason"].clone(),
                "room_login" => e.data["relogin"].clone(),
                "room_close" => e.data["close_reason"].clone(),
                _ => Value::Null,
            };
            (e.event.to_string(), key)
        })
        .collect()
}

fn ev(name: &str, key: Value) -> (String, Value) {
    (name.to_string(), key)
}

#[tokio::test]
async fn a_relogin_closes_the_old_streams_logs_the_old_session_out_and_logs_in_again() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "u");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "u", "s1")
        .expect("publish");
    login(&server, "r", "u");
    assert_eq!(
        trace(&server),
        [
            ev("room_create", Value::Null),
            ev("room_login", json!(0)),
            ev("stream_create", Value::Null),
            ev("stream_close", json!(2)),
            ev("room_logout", json!(3)),
            ev("room_login", json!(1)),
        ]
    );
    let events = server.events(DEV_APP_ID, P);
    assert_eq!(
        events[4].data["session_id"], events[1].data["session_id"],
        "the old session logs out"
    );
    assert_ne!(events[5].data["session_id"], events[1].data["session_id"]);
}

#[tokio::test]
async fn a_kick_closes_streams_type_3_logs_out_reason_3_and_closes_the_room_reason_3() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "u");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "u", "s1")
        .expect("publish");
    let v = call(
        &server,
        "KickoutUser",
        &[("RoomId", "r"), ("UserId[]", "u")],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(
        trace(&server)[3..],
        [
            ev("stream_close", json!(3)),
            ev("room_logout", json!(3)),
            ev("room_close", json!(3)),
        ]
    );
}

async fn close_room_events(callback: Option<&str>) -> Vec<(String, Value)> {
    let (server, _clock) = frozen().await;
    login(&server, "r", "a");
    login(&server, "r", "b");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "a", "s1")
        .expect("publish");
    let v = call(
        &server,
        "AddStream",
        &[("RoomId", "r"), ("UserId", "cdn"), ("StreamId", "cdn-1")],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    let mut params = vec![("RoomId", "r")];
    if let Some(c) = callback {
        params.push(("RoomCloseCallback", c));
    }
    let v = call(&server, "CloseRoom", &params).await;
    assert_eq!(v["Code"], 0, "{v}");
    trace(&server)
}

#[tokio::test]
async fn close_room_closes_client_and_add_stream_streams_type_5_and_logs_everyone_out() {
    let common = [
        ev("room_create", Value::Null),
        ev("room_login", json!(0)),
        ev("room_login", json!(0)),
        ev("stream_create", Value::Null),
        ev("stream_create", Value::Null),
        ev("stream_close", json!(5)),
        ev("stream_close", json!(5)),
        ev("room_logout", json!(3)),
        ev("room_logout", json!(3)),
    ];
    // Without RoomCloseCallback (false by default): no room_close.
    assert_eq!(close_room_events(None).await, common);
    assert_eq!(close_room_events(Some("false")).await, common);
    // With it: room_close, close_reason 0.
    let mut with = common.to_vec();
    with.push(ev("room_close", json!(0)));
    assert_eq!(close_room_events(Some("true")).await, with);
}

#[tokio::test]
async fn delete_stream_is_type_100_and_add_stream_a_stream_create() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "a");
    let v = call(
        &server,
        "AddStream",
        &[("RoomId", "r"), ("UserId", "cdn"), ("StreamId", "cdn-1")],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    let v = call(
        &server,
        "DeleteStream",
        &[("RoomId", "r"), ("UserId", "op"), ("StreamId", "cdn-1")],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    let events = server.events(DEV_APP_ID, P);
    let create = &events[2];
    assert_eq!(create.event, "stream_create");
    assert_eq!(create.data["user_id"], "cdn");
    assert_eq!(create.data["stream_seq"], 1);
    assert_eq!(trace(&server)[3], ev("stream_close", json!(100)));
    assert_eq!(events[3].data["stream_seq"], 2);
    assert_eq!(events[3].data["stream_sid"], create.data["stream_sid"]);
}

#[tokio::test]
async fn a_forbidden_in_room_stream_closes_type_0_and_room_less_publishes_record_nothing() {
    let (server, _clock) = frozen().await;
    server
        .start_publishing(DEV_APP_ID, P, "loose")
        .expect("publish");
    server.stop_publishing(DEV_APP_ID, P, "loose");
    assert!(server.events(DEV_APP_ID, P).is_empty(), "room-less: none");
    login(&server, "r", "a");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "a", "s1")
        .expect("publish");
    let v = call(
        &server,
        "ForbidRTCStream",
        &[("StreamId", "s1"), ("Sequence", "1")],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(trace(&server).last(), Some(&ev("stream_close", json!(0))));
}

#[tokio::test]
async fn logout_reasons_record_their_documented_codes() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "a");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "a", "s1")
        .expect("publish");
    server
        .logout(DEV_APP_ID, P, "r", "a", LogoutReason::Offline)
        .expect("logout");
    assert_eq!(
        trace(&server)[3..],
        [
            ev("stream_close", json!(4)),
            ev("room_logout", json!(2)),
            ev("room_close", json!(2)),
        ]
    );
}

#[tokio::test]
async fn a_token_expiry_logout_over_http_records_reason_4() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "a");
    let (status, body) = control(
        &server,
        "DELETE",
        &format!("/_mock/apps/{DEV_APP_ID}/rooms/r/users/a?reason=token_expired"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        trace(&server)[2..],
        [ev("room_logout", json!(4)), ev("room_close", json!(0))]
    );
    let (status, body) = control(
        &server,
        "DELETE",
        &format!("/_mock/apps/{DEV_APP_ID}/rooms/r/users/a?reason=expired"),
        None,
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

/// A two-output StartMix whose inputs are live.
fn two_outputs() -> Value {
    json!({"TaskId":"t1","UserId":"u1","MixInput":[{"RectInfo":{"Bottom":640,"Left":0,"Right":180,"Top":0},"StreamId":"in1"}],
           "MixOutput":[{"Fps":15,"Width":360,"Height":640,"StreamId":"out1","VideoBitrate":1200000},
                        {"Fps":15,"Width":360,"Height":640,"StreamUrl":"rtmp://cdn.example/live/out2","VideoBitrate":1200000}]})
}

#[tokio::test]
async fn a_mix_records_one_start_and_one_stop_per_output_also_when_it_ends_by_itself() {
    let (server, clock) = frozen().await;
    server.start_publishing(DEV_APP_ID, P, "in1").expect("in");
    let raw = post(&server, "StartMix", T0, &two_outputs().to_string()).await;
    assert_eq!(raw.json()["Code"], 0, "{}", raw.json());
    // The input stops; 90 s later (MaxIdleTime's default) the task ends by itself.
    server.stop_publishing(DEV_APP_ID, P, "in1");
    clock.advance(Duration::from_secs(91));
    let info = get(
        &server,
        &dev_query("GetMixTaskInfo", T0 + 91, &[("TaskId", "t1")]),
    )
    .await;
    assert_eq!(info["Code"], 110209001, "ended: {info}");
    let events = server.events(DEV_APP_ID, P);
    let names: Vec<&str> = events.iter().map(|e| e.event).collect();
    assert_eq!(names, ["mix_start", "mix_start", "mix_stop", "mix_stop"]);
    let task = format!("{DEV_APP_ID}:t1");
    for e in &events {
        assert_eq!(e.data["task_id"], task.as_str());
        assert_eq!(e.data["publish_id"], "u1");
    }
    assert_eq!(events[0].data["mix_stream_alias"], "out1");
    assert_eq!(events[0].data["mix_url"], "");
    assert_eq!(events[1].data["mix_stream_alias"], "out2");
    assert_eq!(events[1].data["mix_url"], "rtmp://cdn.example/live/out2");
    // One seq per request: both starts share it; the automatic end has a later one.
    assert_eq!(events[0].data["seq"], events[1].data["seq"]);
    assert_eq!(events[2].data["seq"], events[3].data["seq"]);
    assert!(events[2].data["seq"].as_u64() > events[0].data["seq"].as_u64());
    // It ended when it became due, not when the clock was next read.
    assert_eq!(events[2].at_millis, (T0 + 90) * 1000);
}

#[tokio::test]
async fn transcode_records_started_updated_and_stopped() {
    let (server, _clock) = frozen().await;
    server.start_publishing(DEV_APP_ID, P, "src").expect("in");
    let body = json!({"TaskId":"tc1","UserId":"u1","Sequence":3,"TranscodeInput":{"StreamId":"src"},
                      "TranscodeOutput":[{"StreamId":"dst","TemplateId":1}]});
    for _ in 0..2 {
        let raw = post(&server, "StartCloudTranscode", T0, &body.to_string()).await;
        assert_eq!(raw.json()["Code"], 0, "{}", raw.json());
    }
    let raw = post(
        &server,
        "StopCloudTranscode",
        T0,
        r#"{"TaskId":"tc1","UserId":"u1"}"#,
    )
    .await;
    assert_eq!(raw.json()["Code"], 0, "{}", raw.json());
    let events = server.events(DEV_APP_ID, P);
    let got: Vec<(&str, &Value)> = events
        .iter()
        .map(|e| (e.event, &e.data["Status"]))
        .collect();
    assert_eq!(
        got,
        [
            ("transcode_start", &json!("TranscodeStarted")),
            ("transcode_start", &json!("TranscodeUpdated")),
            ("transcode_stop", &json!("TranscodeStopped")),
        ]
    );
    assert_eq!(events[0].data["Sequence"], 3);
    assert_eq!(events[2].data["StopReason"], 0);
    // Preset 1 (540p): H.265 with short-edge adaption, the short edge as Width.
    assert_eq!(
        events[0].data["Details"],
        json!({"Input": {"StreamId": "src"}, "Outputs": [{"StreamId": "dst", "VideoEncId": 1,
               "VideoBitrate": 1_000_000, "ShortEdgeAdaption": 1, "Fps": 0, "Width": 540, "Height": 0, "GOP": 2}]})
    );
}

#[tokio::test]
async fn a_transcode_task_failed_through_the_control_plane_stops_with_reason_1() {
    let (server, _clock) = frozen().await;
    server.start_publishing(DEV_APP_ID, P, "src").expect("in");
    let body = json!({"TaskId":"tc1","UserId":"u1","TranscodeInput":{"StreamId":"src"},
                      "TranscodeOutput":[{"StreamId":"dst","TemplateId":1}]});
    let raw = post(&server, "StartCloudTranscode", T0, &body.to_string()).await;
    assert_eq!(raw.json()["Code"], 0, "{}", raw.json());
    let fail = format!("/_mock/apps/{DEV_APP_ID}/transcode-tasks/tc1/fail");
    let (status, answer) = control(&server, "POST", &fail, None).await;
    assert_eq!(status, 200, "{answer}");
    let events = server.events(DEV_APP_ID, P);
    let stop = events.last().expect("an event");
    assert_eq!(stop.event, "transcode_stop");
    assert_eq!(stop.data["StopReason"], 1);
    assert_eq!(stop.data["Status"], "TranscodeStopped");
    // Its output closed; a second failure finds no running task.
    let state = call(
        &server,
        "DescribeRTCStreamState",
        &[("StreamId", "dst"), ("Sequence", "1")],
    )
    .await;
    assert_eq!(state["Code"], 41006, "{state}");
    let (status, _) = control(&server, "POST", &fail, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn with_a_cdn_play_domain_stream_and_mix_callbacks_list_the_play_urls() {
    let (server, _clock) = frozen().await;
    let config = zego_mock::MediaConfig {
        cdn_play_domain: Some("play.example.com".into()),
        cdn_app_name: "live".into(),
        ..Default::default()
    };
    server
        .set_media_config(DEV_APP_ID, P, config)
        .expect("valid");
    login(&server, "r", "a");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "a", "s1")
        .expect("publish");
    let mix = json!({"TaskId":"t1","UserId":"a","MixInput":[{"StreamId":"s1"}],"MixOutput":[{"StreamId":"mix1","VideoBitrate":1200000,"Fps":15,"Width":360,"Height":640}]});
    let raw = post(&server, "StartMix", T0, &mix.to_string()).await;
    assert_eq!(raw.json()["Code"], 0);
    let events = server.events(DEV_APP_ID, P);
    let create = events
        .iter()
        .find(|e| e.event == "stream_create")
        .expect("created");
    // The example's shapes: rtmp://{domain}/{app}/{stream}, .../playlist.m3u8, .flv, .jpg.
    assert_eq!(
        create.data["rtmp_url"],
        json!(["rtmp://play.example.com/live/s1"])
    );
    assert_eq!(
        create.data["hls_url"],
        json!(["http://play.example.com/live/s1/playlist.m3u8"])
    );
    assert_eq!(
        create.data["hdl_url"],
        json!(["http://play.example.com/live/s1.flv"])
    );
    assert_eq!(
        create.data["pic_url"],
        json!(["http://play.example.com/live/s1.jpg"])
    );
    let start = events
        .iter()
        .find(|e| e.event == "mix_start")
        .expect("mix_start");
    assert_eq!(
        start.data["rtmp_urls"],
        json!(["rtmp://play.example.com/live/mix1"])
    );
}
