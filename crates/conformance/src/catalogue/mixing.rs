//! Stream mixing's own cases: the kit's sample requests, the state a valid request needs, the
//! typed client's calls and the state flows (mix tasks started, queried, stopped and ended by
//! idleness; auto-mixing in a room; single-stream transcoding; the permission).
//!
//! Input streams come from simulated publishers and rooms from simulated clients, set up through
//! the mock's control plane (SPEC-rooms-mixing.md §3.7), so every flow needs `Needs::control`
//! and is skipped against the real service. Every TaskId, UserId, RoomId and StreamId is the
//! case's own.

use super::{body_field, case, check, choice, sample_body, Case, CaseResult};
use crate::docs::mixing::{IDLE_RANGE, MAX_SIDE};
use crate::target::{short_id, Answer, Ctx, Needs};
use serde_json::{json, Value};
use std::sync::Arc;

/// The kit's own sample body of each POST action: the request example of its page (the YAML's
/// `requestBody.example`, or for the stops, which have none, the older pages' example). The ids
/// are replaced per case by [`personalise_body`]. Used when `fixtures/requests.json` has no body
/// for the action.
pub const BODY_SAMPLES: &[(&str, &str)] = &[
    (
        "StartMix",
        r#"{"TaskId":"2213699902971205739","UserId":"123","MixInput":[{"RectInfo":{"Bottom":640,"Left":0,"Right":180,"Top":0},"StreamId":"stream1"},{"RectInfo":{"Bottom":640,"Left":180,"Right":360,"Top":0},"StreamId":"stream2"}],"MixOutput":[{"Fps":15,"Width":360,"Height":640,"StreamId":"stream3","VideoBitrate":1200000}]}"#,
    ),
    (
        "StopMix",
        r#"{"TaskId":"2213699902971205739","Sequence":1,"UserId":"456"}"#,
    ),
    (
        "StartAutoMix",
        r#"{"TaskId":"2213699902971205739","UserId":"123","RoomId":"room123","MixOutput":[{"StreamId":"stream3"}]}"#,
    ),
    (
        "StopAutoMix",
        r#"{"TaskId":"2213699902971205739","Sequence":1,"RoomId":"room123"}"#,
    ),
    (
        "StartCloudTranscode",
        r#"{"TaskId":"2213699902971205739","UserId":"456","TranscodeInput":{"StreamId":"stream1"},"TranscodeOutput":[{"StreamId":"stream3","TemplateId":3}]}"#,
    ),
    (
        "StopCloudTranscode",
        r#"{"TaskId":"2213699902971205739","UserId":"456"}"#,
    ),
];

/// The kit's own sample query of the GET action: `?Action=GetMixTaskInfo&TaskId=task_test_123`
/// (the older page's example).
pub const QUERY_SAMPLES: &[(&str, &[(&str, &str)])] =
    &[("GetMixTaskInfo", &[("TaskId", "task_test_123")])];

/// The kit's sample body of `action` ([`BODY_SAMPLES`]), `Null` for an action it has none of.
pub(super) fn body_sample(action: &str) -> Value {
    BODY_SAMPLES
        .iter()
        .find(|(a, _)| *a == action)
        .and_then(|(_, text)| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null)
}

/// The kit's sample query of `action` ([`QUERY_SAMPLES`]), empty for an action it has none of.
pub(super) fn query_sample(action: &str) -> Vec<(String, String)> {
    QUERY_SAMPLES
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, pairs)| {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The TaskId of the sample requests for `stream`.
pub fn task_of(stream: &str) -> String {
    format!("task-{stream}")
}

/// The UserId that starts and stops the sample tasks for `stream`.
pub fn user_of(stream: &str) -> String {
    short_id(&format!("mixer-{stream}"))
}

/// The RoomId of the sample requests for `stream` (StartAutoMix's room, a TargetRoom).
pub fn room_of(stream: &str) -> String {
    format!("room-{stream}")
}

/// The StreamId of input `i` of the sample requests for `stream`.
pub fn input_of(stream: &str, i: usize) -> String {
    format!("{stream}-in{i}")
}

/// The StreamId of output `i` of the sample requests for `stream`.
pub fn output_of(stream: &str, i: usize) -> String {
    format!("{stream}-out{i}")
}

/// Makes a mixing action's query parameters the case's own: the TaskId becomes [`task_of`].
pub fn personalise(pairs: Vec<(String, String)>, stream: &str) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(n, v)| match n.as_str() {
            "TaskId" => (n, task_of(stream)),
            _ => (n, v),
        })
        .collect()
}

/// Makes a sample body the case's own: TaskId [`task_of`], UserIds [`user_of`], RoomIds
/// [`room_of`], the StreamIds of `MixInput`, `ExtraMixInput` and `TranscodeInput` [`input_of`],
/// those of `MixOutput` and `TranscodeOutput` [`output_of`] (with a `TargetRoom`'s ids as the
/// top level's). Other values stay as the sample has them.
pub fn personalise_body(mut body: Value, stream: &str) -> Value {
    let Some(top) = body.as_object_mut() else {
        return body;
    };
    let ids = |o: &mut serde_json::Map<String, Value>| {
        for (key, value) in [("UserId", user_of(stream)), ("RoomId", room_of(stream))] {
            if o.contains_key(key) {
                o.insert(key.into(), json!(value));
            }
        }
    };
    ids(top);
    if top.contains_key("TaskId") {
        top.insert("TaskId".into(), json!(task_of(stream)));
    }
    let streams = |items: Option<&mut Value>, id: &dyn Fn(usize) -> String| {
        if let Some(Value::Array(items)) = items {
            for (i, item) in items.iter_mut().enumerate() {
                if let Some(o) = item.as_object_mut() {
                    if o.contains_key("StreamId") {
                        o.insert("StreamId".into(), json!(id(i)));
                    }
                    if let Some(Value::Object(target)) = o.get_mut("TargetRoom") {
                        ids(target);
                    }
                }
            }
        }
    };
    streams(top.get_mut("MixInput"), &|i| input_of(stream, i));
    streams(top.get_mut("ExtraMixInput"), &|i| {
        format!("{stream}-extra{i}")
    });
    streams(top.get_mut("MixOutput"), &|i| output_of(stream, i));
    streams(top.get_mut("TranscodeOutput"), &|i| output_of(stream, i));
    if let Some(Value::Object(input)) = top.get_mut("TranscodeInput") {
        if input.contains_key("StreamId") {
            input.insert("StreamId".into(), json!(input_of(stream, 0)));
        }
    }
    body
}

/// Calls a mixing action through the typed client, with the values of the case's sample request
/// ([`sample_body`]; GetMixTaskInfo's TaskId is [`task_of`]).
pub(super) async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    use zego_client::*;
    let body = sample_body(action, stream);
    let text = |v: &Value, name: &str| v[name].as_str().unwrap_or_default().to_string();
    let num = |v: &Value, name: &str| {
        v[name]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or_default()
    };
    let items = |name: &str| body[name].as_array().cloned().unwrap_or_default();
    let sequence = body["Sequence"]
        .as_u64()
        .and_then(|n| u32::try_from(n).ok());
    let task = text(&body, "TaskId");
    let c = ctx.client();
    let result = match action {
        "StartMix" => {
            let inputs = items("MixInput").into_iter().map(|i| {
                let input = match i["StreamId"].as_str() {
                    Some(id) => MixInput::stream(id),
                    None => MixInput::url(text(&i, "StreamUrl")),
                };
                match i.get("RectInfo") {
                    Some(r) => input.rect_info(RectInfo::new(
                        num(r, "Top") as i32,
                        num(r, "Left") as i32,
                        num(r, "Bottom") as i32,
                        num(r, "Right") as i32,
                    )),
                    None => input,
                }
            });
            let outputs = items("MixOutput").into_iter().map(|o| {
                let (w, h, fps, rate) = (
                    num(&o, "Width"),
                    num(&o, "Height"),
                    num(&o, "Fps"),
                    num(&o, "VideoBitrate"),
                );
                match o["StreamId"].as_str() {
                    Some(id) => MixOutput::stream(id, w, h, fps, rate),
                    None => MixOutput::url(text(&o, "StreamUrl"), w, h, fps, rate),
                }
            });
            let mut r = StartMixRequest::new(task, text(&body, "UserId"), inputs, outputs);
            if let Some(room) = body["RoomId"].as_str() {
                r = r.room_id(room);
            }
            if let Some(s) = sequence {
                r = r.sequence(s);
            }
            c.start_mix(r).await.map(|_| ())
        }
        "StopMix" => {
            let mut r = StopMixRequest::new(task);
            if let Some(user) = body["UserId"].as_str() {
                r = r.user_id(user);
            }
            if let Some(s) = sequence {
                r = r.sequence(s);
            }
            c.stop_mix(r).await.map(|_| ())
        }
        "GetMixTaskInfo" => c
            .get_mix_task_info(GetMixTaskInfoRequest::new(task_of(stream)))
            .await
            .map(|_| ()),
        "StartAutoMix" => {
            let outputs = items("MixOutput")
                .into_iter()
                .map(|o| match o["StreamId"].as_str() {
                    Some(id) => AutoMixOutput::stream(id),
                    None => AutoMixOutput::url(text(&o, "StreamUrl")),
                });
            let mut r = StartAutoMixRequest::new(
                task,
                text(&body, "UserId"),
                text(&body, "RoomId"),
                outputs,
            );
            if let Some(s) = sequence {
                r = r.sequence(s);
            }
            c.start_auto_mix(r).await.map(|_| ())
        }
        "StopAutoMix" => {
            let mut r = StopAutoMixRequest::new(task, text(&body, "RoomId"));
            if let Some(user) = body["UserId"].as_str() {
                r = r.user_id(user);
            }
            if let Some(s) = sequence {
                r = r.sequence(s);
            }
            c.stop_auto_mix(r).await.map(|_| ())
        }
        "StartCloudTranscode" => {
            let i = &body["TranscodeInput"];
            let input = match i["StreamId"].as_str() {
                Some(id) => TranscodeInput::stream(id),
                None => TranscodeInput::url(text(i, "StreamUrl")),
            };
            let outputs = items("TranscodeOutput").into_iter().map(|o| {
                let template = num(&o, "TemplateId");
                match o["StreamId"].as_str() {
                    Some(id) => TranscodeOutput::stream(id, template),
                    None => TranscodeOutput::url(text(&o, "StreamUrl"), template),
                }
            });
            let mut r =
                StartCloudTranscodeRequest::new(task, text(&body, "UserId"), input, outputs);
            if let Some(s) = sequence {
                r = r.sequence(s);
            }
            c.start_cloud_transcode(r).await.map(|_| ())
        }
        "StopCloudTranscode" => {
            let mut r = StopCloudTranscodeRequest::new(task, text(&body, "UserId"));
            if let Some(s) = sequence {
                r = r.sequence(s);
            }
            c.stop_cloud_transcode(r).await.map(|_| ())
        }
        other => return Err(format!("no typed method for {other}")),
    };
    result.map_err(|e| format!("{action} through the typed client: {e}"))
}

/// Sets up the state a valid request of `action` for `stream` needs to succeed: live inputs for
/// the starts, a user in the room for StartAutoMix, and a running task for the stops and
/// GetMixTaskInfo (so that they succeed on a task, not only because stopping nothing answers 0).
pub(super) async fn prepare(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    match action {
        "StartMix" | "StartCloudTranscode" => {
            publish_inputs(ctx, &sample_body(action, stream)).await
        }
        "StartAutoMix" => login(ctx, &room_of(stream), &short_id(&format!("host-{stream}"))).await,
        "GetMixTaskInfo" | "StopMix" => start(ctx, "StartMix", stream).await,
        "StopAutoMix" => start(ctx, "StartAutoMix", stream).await,
        "StopCloudTranscode" => start(ctx, "StartCloudTranscode", stream).await,
        _ => Ok(()),
    }
}

/// Sets up and sends the sample request of the start action `action` for `stream`, which must
/// answer 0.
async fn start(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    Box::pin(prepare(ctx, action, stream)).await?;
    ok(ctx, action, &sample_body(action, stream))
        .await
        .map(|_| ())
}

/// The StreamIds of a body's inputs (`MixInput`, `TranscodeInput`).
fn inputs(body: &Value) -> Vec<String> {
    let mut out: Vec<String> = body["MixInput"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["StreamId"].as_str())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    out.extend(
        body["TranscodeInput"]["StreamId"]
            .as_str()
            .map(String::from),
    );
    out
}

/// Simulated publishers start every input stream of `body`.
async fn publish_inputs(ctx: &Ctx, body: &Value) -> CaseResult {
    for s in inputs(body) {
        ctx.publish(&s, true).await?;
    }
    Ok(())
}

/// A simulated client logs in to a room (`POST /_mock/apps/{app}/rooms/{room}/users`), which
/// must be accepted.
async fn login(ctx: &Ctx, room: &str, user: &str) -> CaseResult {
    let (status, body) = ctx
        .app_control(
            "POST",
            &format!("/rooms/{room}/users"),
            Some(json!({ "user_id": user })),
        )
        .await?;
    check(status == 200, || {
        format!("the control plane refused {user}'s login to {room}: HTTP {status} {body}")
    })
}

/// Sends the POST action with `body`.
async fn post(ctx: &Ctx, action: &str, body: &Value) -> Result<Answer, String> {
    ctx.call_body(action, "POST", &[], body).await
}

/// Sends the POST action with `body` and checks it answers 0.
async fn ok(ctx: &Ctx, action: &str, body: &Value) -> Result<Answer, String> {
    let answer = post(ctx, action, body).await?;
    answer
        .expect_code(0)
        .map_err(|e| format!("{action}: {e}"))?;
    Ok(answer)
}

/// GetMixTaskInfo of `task`.
async fn task_info(ctx: &Ctx, task: &str) -> Result<Answer, String> {
    ctx.call("GetMixTaskInfo", &[("TaskId", task)]).await
}

/// DescribeRTCStreamState of `stream`.
async fn stream_state(ctx: &Ctx, stream: &str) -> Result<Answer, String> {
    let seq = ctx.client().next_sequence().to_string();
    ctx.call(
        "DescribeRTCStreamState",
        &[("StreamId", stream), ("Sequence", &seq)],
    )
    .await
}

/// The StopMix body of the StartMix `body`'s task.
fn stop_of(body: &Value) -> Value {
    json!({"TaskId": body["TaskId"], "UserId": body["UserId"]})
}

/// The sample StartMix body for a stream of this case named `name`, its inputs live.
async fn live_mix(ctx: &Ctx, name: &str) -> Result<Value, String> {
    let body = sample_body("StartMix", &ctx.stream(name));
    publish_inputs(ctx, &body).await?;
    Ok(body)
}

/// The field of `body` at `path` as a string (empty when absent).
fn text(body: &Value, path: &str) -> String {
    body_field(body, path)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The app's features as SPEC-rooms-mixing.md §3.1 gives their defaults, with stream mixing on or
/// off.
fn features(mixing: bool) -> Value {
    json!({"forbid_rules": true, "stream_mixing": mixing, "mix_task_ownership": false, "mix_sequence_control": false, "auto_create_room": false})
}

const CONTROL: Needs = Needs {
    control: true,
    ..Needs::NONE
};

const CONTROL_CLOCK: Needs = Needs {
    control: true,
    clock: true,
    ..Needs::NONE
};

/// The family's state flows.
pub(super) fn flows() -> Vec<Case> {
    let mut cases = mix_tasks();
    cases.extend(mix_refusals());
    cases.extend(auto_mix_and_transcode());
    cases
}

fn mix_tasks() -> Vec<Case> {
    vec![
        case("flow.mix-start-query-stop", "StartMix with the page's example body (two live inputs, one output) answers 0 with Data {UserId, Sequence, RoomId, PlayInfo[]}; GetMixTaskInfo answers its TaskInfo {TaskId, MixDuration}; StopMix answers 0, and GetMixTaskInfo then answers 110209001", "stream-mixing/start-mix.yaml, get-mix-task-info.yaml, stop-mix.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let body = live_mix(&ctx, "m").await?;
            let task = text(&body, "TaskId");
            let answer = ok(&ctx, "StartMix", &body).await?;
            let data = &answer.body["Data"];
            check(data["UserId"] == body["UserId"] && data["Sequence"].is_i64() && data["RoomId"].is_string(), || format!("Data: {data}"))?;
            let play = data["PlayInfo"].as_array().ok_or_else(|| format!("no PlayInfo array: {data}"))?;
            check(play.len() == 1, || format!("one output, PlayInfo {play:?}"))?;
            let info = task_info(&ctx, &task).await?;
            info.expect_code(0)?;
            let t = &info.body["Data"]["TaskInfo"];
            check(t["TaskId"] == task.as_str() && t["MixDuration"].is_i64(), || format!("TaskInfo: {}", info.body))?;
            ok(&ctx, "StopMix", &stop_of(&body)).await?;
            task_info(&ctx, &task).await?.expect_code(110_209_001)
        }),
        choice(case("flow.mix-play-info", "StartMix's Data echoes the request: UserId, Sequence (0 when not sent), RoomId (\"\" when not sent); PlayInfo has one entry per output with its StreamId, Status 0, empty RTMP/HLS/FLV and UserName (no pull domain configured)", "stream-mixing/start-mix.yaml; SPEC-rooms-mixing.md M1 (Execute), ★33", CONTROL, |ctx: Arc<Ctx>| async move {
            let body = live_mix(&ctx, "m").await?;
            let answer = ok(&ctx, "StartMix", &body).await?;
            let data = &answer.body["Data"];
            check(data["Sequence"] == 0 && data["RoomId"] == "", || format!("Data: {data}"))?;
            let output = text(&body, "MixOutput.0.StreamId");
            let want = json!([{"StreamId": output, "RTMP": "", "HLS": "", "FLV": "", "Status": 0, "UserName": ""}]);
            check(data["PlayInfo"] == want, || format!("PlayInfo {}, expected {want}", data["PlayInfo"]))
        })),
        choice(case("flow.mix-duration", "GetMixTaskInfo's MixDuration counts whole seconds on the mock's clock since the task started: 0 at once, 13 after 13.5 s, and an update with the same TaskId does not reset it", "stream-mixing/get-mix-task-info.yaml; SPEC-rooms-mixing.md M3", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let body = live_mix(&ctx, "m").await?;
            let task = text(&body, "TaskId");
            ok(&ctx, "StartMix", &body).await?;
            let duration = |answer: Answer| answer.body["Data"]["TaskInfo"]["MixDuration"].clone();
            let first = duration(task_info(&ctx, &task).await?);
            ctx.advance_millis(13_500).await?;
            let later = duration(task_info(&ctx, &task).await?);
            check(first == 0 && later == 13, || format!("MixDuration {first} at the start, {later} after 13.5 s"))?;
            let mut update = body.clone();
            update["MixOutput"][0]["Width"] = json!(180);
            ok(&ctx, "StartMix", &update).await?;
            let updated = duration(task_info(&ctx, &task).await?);
            check(updated == 13, || format!("MixDuration {updated} after an update"))
        })),
        choice(case("flow.mix-stop-twice", "StopMix of a task already stopped, and of a TaskId never started, answers 0: stops are idempotent", "stream-mixing/stop-mix.yaml; SPEC-rooms-mixing.md ★31", CONTROL, |ctx: Arc<Ctx>| async move {
            let body = live_mix(&ctx, "m").await?;
            ok(&ctx, "StartMix", &body).await?;
            ok(&ctx, "StopMix", &stop_of(&body)).await?;
            ok(&ctx, "StopMix", &stop_of(&body)).await?;
            ok(&ctx, "StopMix", &json!({"TaskId": task_of(&ctx.stream("never"))})).await.map(|_| ())
        })),
        choice(case("flow.mix-auto-end", "a task whose inputs all stop publishing ends MaxIdleTime (default 90 s) later: GetMixTaskInfo answers 0 at 89.999 s and 110209001 at 90 s", "stream-mixing/stop-mix.yaml (\"Only after 90 seconds from when all input streams … no longer exist, will it automatically end\"), start-mix.yaml (MaxIdleTime); SPEC-rooms-mixing.md ★38", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let body = live_mix(&ctx, "m").await?;
            let task = text(&body, "TaskId");
            ok(&ctx, "StartMix", &body).await?;
            for s in inputs(&body) {
                ctx.publish(&s, false).await?;
            }
            ctx.advance_millis(IDLE_RANGE.0 * 1000 - 1).await?;
            task_info(&ctx, &task).await?.expect_code(0).map_err(|e| format!("at 89.999 s: {e}"))?;
            ctx.advance_millis(1).await?;
            task_info(&ctx, &task).await?.expect_code(110_209_001).map_err(|e| format!("at 90 s: {e}"))
        })),
        choice(case("flow.mix-output-live", "a StartMix output StreamId is a live stream while the task runs (DescribeRTCStreamState answers 0) and is closed once it stops (41006)", "media-service/describe-rtc-stream-state.yaml; SPEC-rooms-mixing.md ★34", CONTROL, |ctx: Arc<Ctx>| async move {
            let body = live_mix(&ctx, "m").await?;
            let output = text(&body, "MixOutput.0.StreamId");
            ok(&ctx, "StartMix", &body).await?;
            stream_state(&ctx, &output).await?.expect_code(0).map_err(|e| format!("while running: {e}"))?;
            ok(&ctx, "StopMix", &stop_of(&body)).await?;
            stream_state(&ctx, &output).await?.expect_code(41006).map_err(|e| format!("after StopMix: {e}"))
        })),
        case("flow.mix-target-room", "an output with a TargetRoom joins that room's stream list: with a user in the room, StartMix answers 0 and DescribeSimpleStreamList lists the output", "stream-mixing/start-mix.yaml (TargetRoom), room/describe-simple-streamlist.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let mut body = live_mix(&ctx, "m").await?;
            let (room, output) = (ctx.id("r"), text(&body, "MixOutput.0.StreamId"));
            login(&ctx, &room, &ctx.short_id("u")).await?;
            body["MixOutput"][0]["TargetRoom"] = json!({"RoomId": room, "UserId": ctx.short_id("mixer")});
            ok(&ctx, "StartMix", &body).await?;
            let list = ctx.call("DescribeSimpleStreamList", &[("RoomId", &room)]).await?;
            list.expect_code(0)?;
            let listed = list.body["Data"]["StreamList"].as_array().is_some_and(|l| l.iter().any(|s| s["StreamId"] == output.as_str()));
            check(listed, || format!("{output} is not listed: {}", list.body))
        }),
    ]
}

/// The sample StartMix body of this case with its inputs live, changed by `change`, answers
/// `code`.
async fn start_mix_answers(ctx: &Ctx, change: impl FnOnce(&mut Value), code: i64) -> CaseResult {
    let mut body = live_mix(ctx, "m").await?;
    change(&mut body);
    post(ctx, "StartMix", &body).await?.expect_code(code)
}

fn mix_refusals() -> Vec<Case> {
    vec![
        case("flow.mix-inputs-not-live", "StartMix whose input streams nobody publishes answers 110200150 (the input stream does not exist)", "stream-mixing/start-mix.yaml (110200150)", CONTROL, |ctx: Arc<Ctx>| async move {
            post(&ctx, "StartMix", &sample_body("StartMix", &ctx.stream("m"))).await?.expect_code(110_200_150)
        }),
        case("flow.mix-duplicate-inputs", "StartMix with the same live StreamId as two inputs answers 110200175 (duplicate input stream)", "stream-mixing/start-mix.yaml (110200175)", CONTROL, |ctx: Arc<Ctx>| async move {
            start_mix_answers(&ctx, |b| b["MixInput"][1]["StreamId"] = b["MixInput"][0]["StreamId"].clone(), 110_200_175).await
        }),
        case("flow.mix-output-is-input", "StartMix whose output StreamId is one of its inputs answers 110200140 (MixInput and MixOutput have the same Stream ID)", "return-codes.mdx (110200140)", CONTROL, |ctx: Arc<Ctx>| async move {
            start_mix_answers(&ctx, |b| b["MixOutput"][0]["StreamId"] = b["MixInput"][0]["StreamId"].clone(), 110_200_140).await
        }),
        choice(case("flow.mix-output-live-elsewhere", "StartMix whose output StreamId another publisher has live answers 110200154 (output stream error): a StreamId is unique within the AppID", "media-service/rtpm-dispatch.yaml (uniqueness); return-codes.mdx (110200154); SPEC-rooms-mixing.md ★34", CONTROL, |ctx: Arc<Ctx>| async move {
            let body = live_mix(&ctx, "m").await?;
            ctx.publish(&text(&body, "MixOutput.0.StreamId"), true).await?;
            post(&ctx, "StartMix", &body).await?.expect_code(110_200_154)
        })),
        case("flow.mix-width-over", "StartMix with an output Width over 3000 (an even 3002) answers 110200161 (width value error, range [0, 3000])", "stream-mixing/start-mix.yaml (Width); return-codes.mdx (110200161)", CONTROL, |ctx: Arc<Ctx>| async move {
            start_mix_answers(&ctx, |b| b["MixOutput"][0]["Width"] = json!(MAX_SIDE + 2), 110_200_161).await
        }),
        choice(case("flow.mix-side-odd", "an output Width that is not a multiple of 2 answers 110200161, an odd Height 110200002", "stream-mixing/start-mix.yaml (Width, Height); SPEC-rooms-mixing.md ★42", CONTROL, |ctx: Arc<Ctx>| async move {
            start_mix_answers(&ctx, |b| b["MixOutput"][0]["Width"] = json!(361), 110_200_161).await.map_err(|e| format!("Width 361: {e}"))?;
            start_mix_answers(&ctx, |b| b["MixOutput"][0]["Height"] = json!(641), 110_200_002).await.map_err(|e| format!("Height 641: {e}"))
        })),
        case("flow.mix-target-room-missing", "StartMix with a TargetRoom nobody is in answers 110200197 (failed to add stream to target Room) and starts no task", "stream-mixing/start-mix.yaml (TargetRoom, 110200197)", CONTROL, |ctx: Arc<Ctx>| async move {
            let mut body = live_mix(&ctx, "m").await?;
            body["MixOutput"][0]["TargetRoom"] = json!({"RoomId": ctx.id("none"), "UserId": ctx.short_id("mixer")});
            post(&ctx, "StartMix", &body).await?.expect_code(110_200_197)?;
            task_info(&ctx, &text(&body, "TaskId")).await?.expect_code(110_209_001)
        }),
        case("flow.mix-permission", "with the Stream Mixing permission not enabled for the app, StartMix, StartAutoMix and StartCloudTranscode answer 110200157", "stream-mixing/start-mix.yaml, start-auto-mix.yaml, start-cloud-transcode.yaml (prerequisite; 110200157); SPEC-rooms-mixing.md §3.7 (features)", CONTROL, |ctx: Arc<Ctx>| async move {
            let (status, answer) = ctx.app_control("PUT", "/features", Some(features(false))).await?;
            check(status == 200, || format!("PUT features answered HTTP {status} {answer}"))?;
            let mut result = Ok(());
            for action in ["StartMix", "StartAutoMix", "StartCloudTranscode"] {
                let body = sample_body(action, &ctx.stream("p"));
                result = post(&ctx, action, &body).await.and_then(|a| a.expect_code(110_200_157)).map_err(|e| format!("{action}: {e}"));
                if result.is_err() {
                    break;
                }
            }
            ctx.app_control("PUT", "/features", Some(features(true))).await?;
            result
        }),
    ]
}

fn auto_mix_and_transcode() -> Vec<Case> {
    vec![
        case("flow.auto-mix-start-stop", "StartAutoMix in a room a user is in answers 0 with Data {UserId, Sequence, RoomId, PlayInfo[]}; StopAutoMix of the task answers 0", "stream-mixing/start-auto-mix.yaml, stop-auto-mix.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("a");
            let body = sample_body("StartAutoMix", &stream);
            login(&ctx, &room_of(&stream), &ctx.short_id("host")).await?;
            let answer = ok(&ctx, "StartAutoMix", &body).await?;
            let data = &answer.body["Data"];
            check(data["UserId"] == body["UserId"] && data["RoomId"] == body["RoomId"] && data["Sequence"].is_i64() && data["PlayInfo"].is_array(), || format!("Data: {data}"))?;
            ok(&ctx, "StopAutoMix", &json!({"TaskId": body["TaskId"], "RoomId": body["RoomId"]})).await.map(|_| ())
        }),
        choice(case("flow.auto-mix-missing-room", "StartAutoMix for a room nobody is in answers 110200151 (Stream Mixing task failed): auto-mixing needs the room", "stream-mixing/start-auto-mix.yaml; SPEC-rooms-mixing.md ★36", CONTROL, |ctx: Arc<Ctx>| async move {
            post(&ctx, "StartAutoMix", &sample_body("StartAutoMix", &ctx.stream("a"))).await?.expect_code(110_200_151)
        })),
        choice(case("flow.auto-mix-task-info", "an auto-mix task shares StartMix's TaskIds: GetMixTaskInfo finds it while it runs and answers 110209001 after StopAutoMix", "stream-mixing/get-mix-task-info.yaml; SPEC-rooms-mixing.md ★32", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("a");
            let body = sample_body("StartAutoMix", &stream);
            login(&ctx, &room_of(&stream), &ctx.short_id("host")).await?;
            ok(&ctx, "StartAutoMix", &body).await?;
            let task = text(&body, "TaskId");
            task_info(&ctx, &task).await?.expect_code(0)?;
            ok(&ctx, "StopAutoMix", &json!({"TaskId": task, "RoomId": body["RoomId"]})).await?;
            task_info(&ctx, &task).await?.expect_code(110_209_001)
        })),
        case("flow.transcode-start-stop", "StartCloudTranscode of a live input answers 0 without Data; StopCloudTranscode of the task answers 0", "stream-mixing/start-cloud-transcode.yaml, stop-cloud-transcode.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let body = sample_body("StartCloudTranscode", &ctx.stream("t"));
            publish_inputs(&ctx, &body).await?;
            let answer = ok(&ctx, "StartCloudTranscode", &body).await?;
            check(answer.body.get("Data").is_none(), || format!("Data is documented absent: {}", answer.body))?;
            ok(&ctx, "StopCloudTranscode", &json!({"TaskId": body["TaskId"], "UserId": body["UserId"]})).await.map(|_| ())
        }),
        case("flow.transcode-input-not-live", "StartCloudTranscode of an input stream nobody publishes answers 110200150 (the input stream for single-stream transcoding does not exist)", "stream-mixing/start-cloud-transcode.yaml (110200150)", CONTROL, |ctx: Arc<Ctx>| async move {
            post(&ctx, "StartCloudTranscode", &sample_body("StartCloudTranscode", &ctx.stream("t"))).await?.expect_code(110_200_150)
        }),
        choice(case("flow.transcode-output-live", "a StartCloudTranscode output StreamId is live while the task runs (DescribeRTCStreamState 0); its TaskId is not a mixing task (GetMixTaskInfo 110209001)", "SPEC-rooms-mixing.md M6, ★32, ★34", CONTROL, |ctx: Arc<Ctx>| async move {
            let body = sample_body("StartCloudTranscode", &ctx.stream("t"));
            publish_inputs(&ctx, &body).await?;
            ok(&ctx, "StartCloudTranscode", &body).await?;
            stream_state(&ctx, &text(&body, "TranscodeOutput.0.StreamId")).await?.expect_code(0)?;
            task_info(&ctx, &text(&body, "TaskId")).await?.expect_code(110_209_001)
        })),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::body_field;
    use crate::docs::{self, Family, Kind, Method, Where};

    #[test]
    fn the_kits_samples_cover_the_family_and_agree_with_the_docs_table() {
        let mixing: Vec<&docs::ActionDoc> = docs::actions()
            .filter(|d| d.family == Family::StreamMixing)
            .collect();
        assert_eq!(mixing.len(), 7);
        for d in mixing {
            match d.method {
                Method::Post => {
                    let body = body_sample(d.action);
                    let fields = body.as_object().expect("a JSON object");
                    for name in fields.keys() {
                        assert!(
                            d.param(name).is_some(),
                            "{}: {name} is undocumented",
                            d.action
                        );
                    }
                    for p in d.params {
                        assert_eq!(p.at, Where::Body, "{}: {}", d.action, p.name);
                        let parent = p.name.rsplit_once('.').map_or("", |(parent, _)| parent);
                        assert!(
                            parent.is_empty() || body_field(&body, parent).is_some(),
                            "{}: the sample has no place for {}",
                            d.action,
                            p.name
                        );
                        if p.required {
                            assert!(
                                body_field(&body, p.name).is_some(),
                                "{}: {}",
                                d.action,
                                p.name
                            );
                        }
                        // A sample value the docs table itself would refuse makes every case
                        // answer for the wrong reason.
                        if let (Some(v), Kind::IntRange { min, max, .. }) =
                            (body_field(&body, p.name), p.kind)
                        {
                            assert!(
                                v.as_i64().is_some_and(|x| (min..=max).contains(&x)),
                                "{}: {}",
                                d.action,
                                p.name
                            );
                        }
                    }
                }
                Method::Get => {
                    assert!(d.body_code.is_none());
                    assert_eq!(query_sample(d.action).len(), d.params.len());
                }
            }
        }
    }

    #[test]
    fn personalised_ids_are_the_cases_own() {
        let stream = "zegotest-12345-StartMix-success-1234abcd-ok";
        let body = personalise_body(body_sample("StartMix"), stream);
        assert_eq!(body["TaskId"], task_of(stream).as_str());
        assert_eq!(body["UserId"], user_of(stream).as_str());
        assert_eq!(inputs(&body), [input_of(stream, 0), input_of(stream, 1)]);
        assert_eq!(
            body["MixOutput"][0]["StreamId"],
            output_of(stream, 0).as_str()
        );
        // Other values stay as the page has them.
        assert_eq!(body["MixOutput"][0]["Width"], 360);
        let auto = personalise_body(body_sample("StartAutoMix"), stream);
        assert_eq!(auto["RoomId"], room_of(stream).as_str());
        let transcode = personalise_body(body_sample("StartCloudTranscode"), stream);
        assert_eq!(inputs(&transcode), [input_of(stream, 0)]);
        assert_eq!(
            personalise(query_sample("GetMixTaskInfo"), stream),
            [("TaskId".to_string(), task_of(stream))]
        );
        assert!(user_of(stream).len() <= docs::room::USER_ID_MAX_BYTES);
        assert_ne!(input_of(stream, 0), output_of(stream, 0));
    }

    #[test]
    fn the_family_has_its_flows_with_unique_ids() {
        let cases = flows();
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        let unique: std::collections::HashSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        for c in &cases {
            assert!(c.needs.control, "{} needs the control plane", c.id);
        }
        let is_choice = |id: &str| cases.iter().find(|c| c.id == id).map(|c| c.choice);
        assert_eq!(is_choice("flow.mix-start-query-stop"), Some(false));
        assert_eq!(is_choice("flow.mix-stop-twice"), Some(true));
        assert_eq!(is_choice("flow.mix-auto-end"), Some(true));
        assert_eq!(is_choice("flow.mix-inputs-not-live"), Some(false));
        assert_eq!(is_choice("flow.auto-mix-missing-room"), Some(true));
    }
}
