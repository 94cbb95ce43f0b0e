//! The moderation family's own cases: the kit's sample requests, the state a valid request needs
//! (a running task to stop), the typed client's calls and the state flows (censor tasks started
//! and stopped, the either-list rule, the ShuMei permission, identify tokens consumed through
//! the control plane).
//!
//! The features are switched and identify tokens consumed through the mock's control plane
//! (SPEC-rest-callbacks.md §3.7), so every flow needs `Needs::control`. Every RoomId is the
//! case's own.

use super::{case, check, choice, prepared, remember, sample_body, Case, CaseResult};
use crate::docs::moderation::{EFFECTIVE_TIME_DEFAULT, PARAMETER_ERROR, PERMISSION_OFF};
use crate::target::{Answer, Ctx, Needs};
use serde_json::{json, Value};
use std::sync::Arc;

/// The kit's own sample body of each POST action: the older pages' request examples
/// (`OLD:moderation/*.mdx`, quoted in SPEC-rest-callbacks.md §3). The ids are replaced per case by
/// [`personalise_body`]. Used when `fixtures/requests.json` has no body for the action.
pub const BODY_SAMPLES: &[(&str, &str)] = &[
    (
        "StartCensorAudioV2",
        r#"{"RoomId":"room_1","IsMixingEnabled":0,"EventId":"live_streaming","RiskTypeList":["ADLAW","ADVERT","AUDIOPOLITICAL","BAN","DIRTY","EROTIC","MOAN","POLITY","VIOLENT"],"AudioLanguage":"zh","LabelLanguage":"zh","ReturnAllText":1,"ReturnPreText":1,"ReturnPreAudio":1,"ReturnFinishInfo":1,"ResultCallbackUrl":"","StatusCallbackUrl":""}"#,
    ),
    (
        "StopCensorAudioV2",
        r#"{"TaskId":"9f58178ba8034902c6028c728bc6f6e4"}"#,
    ),
    (
        "StartCensorVideoV2",
        r#"{"RoomId":"room_1","EventId":"live_streaming","Language":"zh","AudioParam":{"RiskTypeList":["ADLAW","ADVERT","AUDIOPOLITICAL","DIRTY","EROTIC","MOAN","POLITY"],"ReturnAllText":1,"ReturnPreAudio":1,"ReturnPreText":1,"ResultCallbackUrl":"","StatusCallbackUrl":""},"VideoParam":{"RiskTypeList":["ADVERT","EROTIC","IMGTEXTRISK","POLITY","QRCODE","VIOLENT"],"ReturnAllImg":1,"DetectFrequency":5,"ResultCallbackUrl":"","StatusCallbackUrl":""},"ReturnFinishInfo":1}"#,
    ),
    (
        "StopCensorVideoV2",
        r#"{"TaskId":"9f58178ba8034902c6028c728bc6f6e4"}"#,
    ),
];

/// The kit's own sample query of the GET action: `EffectiveTime=3600` (the older page's example).
pub const QUERY_SAMPLES: &[(&str, &[(&str, &str)])] =
    &[("GenerateIdentifyToken", &[("EffectiveTime", "3600")])];

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

/// The RoomId of the sample requests for `stream`.
pub fn room_of(stream: &str) -> String {
    format!("room-{stream}")
}

/// Makes a sample body the case's own: its RoomId becomes [`room_of`], and a stop's TaskId the
/// task `prepare` started for `stream`, when there is one. Other values stay as the sample has
/// them.
pub fn personalise_body(mut body: Value, stream: &str) -> Value {
    if let Some(top) = body.as_object_mut() {
        if top.contains_key("RoomId") {
            top.insert("RoomId".into(), json!(room_of(stream)));
        }
        if let (true, Some(task)) = (top.contains_key("TaskId"), prepared(stream)) {
            top.insert("TaskId".into(), json!(task));
        }
    }
    body
}

/// Calls a moderation action through the typed client, with the values of the kit's sample
/// request for `stream` ([`sample_body`], or the GET sample), and checks it succeeds.
pub(super) async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    use zego_client::*;
    let body = sample_body(action, stream);
    let text = |v: &Value, name: &str| v[name].as_str().unwrap_or_default().to_string();
    let list = |v: &Value, name: &str| -> Vec<String> {
        v[name]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let flag = |v: &Value, name: &str| v[name].as_u64() == Some(1);
    let c = ctx.client();
    let result = match action {
        "StartCensorAudioV2" => {
            let mut r = StartCensorAudioV2Request::new(
                text(&body, "RoomId"),
                text(&body, "EventId"),
                text(&body, "AudioLanguage"),
                list(&body, "RiskTypeList"),
            )
            .is_mixing_enabled(flag(&body, "IsMixingEnabled"))
            .return_finish_info(flag(&body, "ReturnFinishInfo"));
            if let Some(l) = body["LabelLanguage"].as_str() {
                r = r.label_language(l);
            }
            c.start_censor_audio_v2(r).await.map(|_| ())
        }
        "StartCensorVideoV2" => {
            let video = &body["VideoParam"];
            let mut v = CensorVideoParam::risk_types(list(video, "RiskTypeList"))
                .return_all_img(flag(video, "ReturnAllImg"));
            if let Some(n) = video["DetectFrequency"]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
            {
                v = v.detect_frequency(n);
            }
            let mut r =
                StartCensorVideoV2Request::new(text(&body, "RoomId"), text(&body, "EventId"), v)
                    .return_finish_info(flag(&body, "ReturnFinishInfo"));
            if let Some(l) = body["Language"].as_str() {
                r = r.language(l);
            }
            if body["AudioParam"].is_object() {
                r = r.audio_param(CensorAudioParam::risk_types(list(
                    &body["AudioParam"],
                    "RiskTypeList",
                )));
            }
            c.start_censor_video_v2(r).await.map(|_| ())
        }
        "StopCensorAudioV2" => c
            .stop_censor_audio_v2(StopCensorAudioV2Request::new(text(&body, "TaskId")))
            .await
            .map(|_| ()),
        "StopCensorVideoV2" => c
            .stop_censor_video_v2(StopCensorVideoV2Request::new(text(&body, "TaskId")))
            .await
            .map(|_| ()),
        "GenerateIdentifyToken" => c
            .generate_identify_token(
                GenerateIdentifyTokenRequest::new().effective_time(EFFECTIVE_TIME_DEFAULT),
            )
            .await
            .map(|_| ()),
        other => return Err(format!("no typed method for {other}")),
    };
    result.map_err(|e| format!("typed {action}: {e}"))
}

/// The start action of a stop.
fn start_of(stop: &str) -> Option<&'static str> {
    match stop {
        "StopCensorAudioV2" => Some("StartCensorAudioV2"),
        "StopCensorVideoV2" => Some("StartCensorVideoV2"),
        _ => None,
    }
}

/// Sets up the state a valid request of `action` for `stream` needs: for a stop, a task started
/// with the start's sample body (so that the stop ends a task, not only because stopping nothing
/// answers 0), whose TaskId the stop's sample then carries.
pub(super) async fn prepare(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    if let Some(start) = start_of(action) {
        let task = start_task(ctx, start, &sample_body(start, stream)).await?;
        remember(stream, &task);
    }
    Ok(())
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

/// Starts a task with `body` and answers its TaskId.
async fn start_task(ctx: &Ctx, action: &str, body: &Value) -> Result<String, String> {
    let answer = ok(ctx, action, body).await?;
    answer.body["Data"]["TaskId"]
        .as_str()
        .filter(|t| !t.is_empty())
        .map(String::from)
        .ok_or_else(|| format!("{action}'s Data has no TaskId: {}", answer.body))
}

/// Sets the app's features through the control plane (only the fields given change).
async fn features(ctx: &Ctx, fields: Value) -> CaseResult {
    let (status, answer) = ctx.app_control("PUT", "/features", Some(fields)).await?;
    check(status == 200, || {
        format!("PUT features answered HTTP {status} {answer}")
    })
}

/// Consumes an identify token through the control plane: `{"valid", "reason"}`.
async fn consume(ctx: &Ctx, token: &str) -> Result<Value, String> {
    let (status, answer) = ctx
        .app_control("POST", &format!("/identify-tokens/{token}/consume"), None)
        .await?;
    check(status == 200, || {
        format!("consuming {token} answered HTTP {status} {answer}")
    })?;
    Ok(answer)
}

/// Generates an identify token with these parameters: the answer's `Data`, which must answer 0.
async fn generate(ctx: &Ctx, params: &[(&str, &str)]) -> Result<Value, String> {
    let answer = ctx.call("GenerateIdentifyToken", params).await?;
    answer
        .expect_code(0)
        .map_err(|e| format!("GenerateIdentifyToken: {e}"))?;
    Ok(answer.body["Data"].clone())
}

/// The token of a GenerateIdentifyToken `Data`.
fn token(data: &Value) -> Result<String, String> {
    data["IdentifyToken"]
        .as_str()
        .filter(|t| !t.is_empty())
        .map(String::from)
        .ok_or_else(|| format!("no IdentifyToken: {data}"))
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
    let mut cases = censor_tasks();
    cases.extend(identify_tokens());
    cases
}

fn censor_tasks() -> Vec<Case> {
    vec![
        case("flow.censor-start-stop", "StartCensorAudioV2 and StartCensorVideoV2 with the pages' example bodies answer 0 with Data {TaskId}; StopCensorAudioV2 and StopCensorVideoV2 of those TaskIds answer 0 without Data", "moderation/start-censor-audio.yaml, stop-censor-audio.yaml, start-censor-video.yaml, stop-censor-video.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            for (start, stop) in [("StartCensorAudioV2", "StopCensorAudioV2"), ("StartCensorVideoV2", "StopCensorVideoV2")] {
                let task = start_task(&ctx, start, &sample_body(start, &ctx.stream(start))).await?;
                let answer = ok(&ctx, stop, &json!({"TaskId": task})).await?;
                check(answer.body.get("Data").is_none(), || format!("{stop}: Data is documented absent: {}", answer.body))?;
            }
            Ok(())
        }),
        choice(case("flow.censor-stop-twice", "stopping a censor task already stopped, a TaskId never started, or a video task with StopCensorAudioV2, answers 0: stops are idempotent", "moderation/stop-censor-audio.yaml, stop-censor-video.yaml; SPEC-rest-callbacks.md C2, ★28", CONTROL, |ctx: Arc<Ctx>| async move {
            let task = start_task(&ctx, "StartCensorVideoV2", &sample_body("StartCensorVideoV2", &ctx.stream("c"))).await?;
            ok(&ctx, "StopCensorVideoV2", &json!({"TaskId": task})).await?;
            ok(&ctx, "StopCensorVideoV2", &json!({"TaskId": task})).await.map_err(|e| format!("again: {e}"))?;
            ok(&ctx, "StopCensorVideoV2", &json!({"TaskId": ctx.id("never")})).await.map_err(|e| format!("never started: {e}"))?;
            let video = start_task(&ctx, "StartCensorVideoV2", &sample_body("StartCensorVideoV2", &ctx.stream("d"))).await?;
            ok(&ctx, "StopCensorAudioV2", &json!({"TaskId": video})).await.map_err(|e| format!("a video task's id: {e}")).map(|_| ())
        })),
        choice(case("flow.censor-either-list", "\"At least one of RiskTypeList and BusinessTypeList must not be empty\": StartCensorAudioV2 with only BusinessTypeList answers 0, with neither (or only an empty RiskTypeList) 2; StartCensorVideoV2 with a VideoParam of only BusinessTypeList answers 0, with neither list 2", "moderation/start-censor-audio.yaml, start-censor-video.yaml (RiskTypeList, BusinessTypeList); SPEC-rest-callbacks.md ★8", CONTROL, |ctx: Arc<Ctx>| async move {
            let audio = sample_body("StartCensorAudioV2", &ctx.stream("a"));
            let mut only_business = audio.clone();
            only_business.as_object_mut().map(|o| o.remove("RiskTypeList"));
            only_business["BusinessTypeList"] = json!(["SING"]);
            ok(&ctx, "StartCensorAudioV2", &only_business).await.map_err(|e| format!("only BusinessTypeList: {e}"))?;
            let mut neither = audio.clone();
            neither.as_object_mut().map(|o| o.remove("RiskTypeList"));
            post(&ctx, "StartCensorAudioV2", &neither).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("neither list: {e}"))?;
            let mut empty = audio;
            empty["RiskTypeList"] = json!([]);
            post(&ctx, "StartCensorAudioV2", &empty).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("an empty RiskTypeList: {e}"))?;
            let video = sample_body("StartCensorVideoV2", &ctx.stream("v"));
            let mut business = video.clone();
            business["VideoParam"] = json!({"BusinessTypeList": ["AGE"]});
            ok(&ctx, "StartCensorVideoV2", &business).await.map_err(|e| format!("VideoParam with only BusinessTypeList: {e}"))?;
            let mut no_list = video;
            no_list["VideoParam"] = json!({"ReturnAllImg": 1});
            post(&ctx, "StartCensorVideoV2", &no_list).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("VideoParam without a list: {e}"))
        })),
        choice(case("flow.censor-video-audio-optional", "StartCensorVideoV2 without AudioParam, or with AudioParam of no list (\"audio will not be moderated, only video\"), answers 0", "moderation/start-censor-video.yaml (AudioParam); SPEC-rest-callbacks.md C3", CONTROL, |ctx: Arc<Ctx>| async move {
            let mut without = sample_body("StartCensorVideoV2", &ctx.stream("a"));
            without.as_object_mut().map(|o| o.remove("AudioParam"));
            ok(&ctx, "StartCensorVideoV2", &without).await.map_err(|e| format!("without AudioParam: {e}"))?;
            let mut no_list = sample_body("StartCensorVideoV2", &ctx.stream("b"));
            no_list["AudioParam"] = json!({"ReturnAllText": 1});
            ok(&ctx, "StartCensorVideoV2", &no_list).await.map_err(|e| format!("AudioParam without a list: {e}")).map(|_| ())
        })),
        case("flow.censor-permission", "with ShuMei moderation not enabled for the app, StartCensorAudioV2 and StartCensorVideoV2 answer 50117", "moderation/start-censor-audio.yaml, start-censor-video.yaml (50117); SPEC-rest-callbacks.md §0.2 (feature shumei_moderation)", CONTROL, |ctx: Arc<Ctx>| async move {
            features(&ctx, json!({"shumei_moderation": false})).await?;
            let mut result = Ok(());
            for action in ["StartCensorAudioV2", "StartCensorVideoV2"] {
                let body = sample_body(action, &ctx.stream("p"));
                result = post(&ctx, action, &body).await.and_then(|a| a.expect_code(PERMISSION_OFF)).map_err(|e| format!("{action}: {e}"));
                if result.is_err() {
                    break;
                }
            }
            features(&ctx, json!({"shumei_moderation": true})).await?;
            result
        }),
    ]
}

fn identify_tokens() -> Vec<Case> {
    vec![
        case("flow.identify-token-once", "GenerateIdentifyToken without EffectiveTime answers 0 with Data {IdentifyToken, RemainTime 3600} (\"default is 3600 seconds\"); the token is valid once: a second use is refused as used", "moderation/generate-identify-token.yaml (\"Each IdentifyToken can only be used for one moderation request\"); SPEC-rest-callbacks.md §3.7", CONTROL, |ctx: Arc<Ctx>| async move {
            let data = generate(&ctx, &[]).await?;
            check(data["RemainTime"] == EFFECTIVE_TIME_DEFAULT, || format!("RemainTime: {data}"))?;
            let token = token(&data)?;
            let first = consume(&ctx, &token).await?;
            check(first["valid"] == true, || format!("first use: {first}"))?;
            let second = consume(&ctx, &token).await?;
            check(second["valid"] == false && second["reason"] == "used", || format!("second use: {second}"))
        }),
        choice(case("flow.identify-token-expiry", "a token generated with EffectiveTime 60 answers RemainTime 60 and is refused as expired 60 s later; a token never generated is refused as unknown; two tokens differ", "moderation/generate-identify-token.yaml (EffectiveTime, RemainTime); SPEC-rest-callbacks.md C5, §3.7", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let data = generate(&ctx, &[("EffectiveTime", "60")]).await?;
            check(data["RemainTime"] == 60, || format!("RemainTime: {data}"))?;
            let first = token(&data)?;
            let other = token(&generate(&ctx, &[]).await?)?;
            check(first != other, || format!("two tokens are both {first}"))?;
            ctx.advance_millis(60_000).await?;
            let late = consume(&ctx, &first).await?;
            check(late["valid"] == false && late["reason"] == "expired", || format!("60 s later: {late}"))?;
            let unknown = consume(&ctx, &ctx.short_id("never")).await?;
            check(unknown["valid"] == false && unknown["reason"] == "unknown", || format!("never generated: {unknown}"))
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
        let family: Vec<&docs::ActionDoc> = docs::actions()
            .filter(|d| d.family == Family::Moderation)
            .collect();
        assert_eq!(family.len(), 5);
        for d in family {
            match d.method {
                Method::Post => {
                    let body = body_sample(d.action);
                    let fields = body.as_object().expect("a JSON object");
                    for name in fields.keys() {
                        assert!(d.param(name).is_some(), "{}: {name}", d.action);
                    }
                    for p in d.params {
                        assert_eq!(p.at, Where::Body, "{}: {}", d.action, p.name);
                        if p.required {
                            assert!(body_field(&body, p.name).is_some(), "{}", p.name);
                        }
                        // A sample value the table itself would refuse makes every case answer
                        // for the wrong reason.
                        if let (Some(v), Kind::IntRange { min, max, .. }) =
                            (body_field(&body, p.name), p.kind)
                        {
                            assert!(v.as_i64().is_some_and(|x| (min..=max).contains(&x)));
                        }
                        if let (Some(v), Kind::Enum(values)) = (body_field(&body, p.name), p.kind) {
                            assert!(v.as_str().is_some_and(|x| values.contains(&x)));
                        }
                    }
                }
                Method::Get => assert_eq!(query_sample(d.action).len(), d.params.len()),
            }
        }
    }

    #[test]
    fn personalised_bodies_are_the_cases_own() {
        let stream = "StopCensorAudioV2-success-1234abcd-ok";
        let start = personalise_body(body_sample("StartCensorAudioV2"), stream);
        assert_eq!(start["RoomId"], room_of(stream).as_str());
        assert_eq!(start["AudioLanguage"], "zh");
        // Without a prepared task the sample's TaskId stays; with one, the stop carries it.
        let stop = personalise_body(body_sample("StopCensorAudioV2"), stream);
        assert_eq!(stop["TaskId"], "9f58178ba8034902c6028c728bc6f6e4");
        remember(stream, "0123456789abcdef0123456789abcdef");
        let stop = personalise_body(body_sample("StopCensorAudioV2"), stream);
        assert_eq!(stop["TaskId"], "0123456789abcdef0123456789abcdef");
        assert_eq!(start_of("StopCensorVideoV2"), Some("StartCensorVideoV2"));
        assert_eq!(start_of("StartCensorVideoV2"), None);
    }

    #[test]
    fn the_family_has_its_flows_with_unique_ids() {
        let cases = flows();
        let ids: std::collections::HashSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), cases.len());
        for c in &cases {
            assert!(c.needs.control, "{} needs the control plane", c.id);
        }
    }
}
