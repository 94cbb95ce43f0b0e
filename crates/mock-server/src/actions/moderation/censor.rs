//! `StartCensorAudioV2`, `StopCensorAudioV2`, `StartCensorVideoV2`, `StopCensorVideoV2` (POST,
//! JSON bodies): start-censor-audio.yaml, stop-censor-audio.yaml, start-censor-video.yaml,
//! stop-censor-video.yaml.

use super::{code, end_task, refuse, start_task, CensorKind, CensorTask, EndReason, BASE};
use crate::actions::mixing::has_scheme;
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Kind, Param};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The languages of `AudioLanguage` (start-censor-audio.yaml).
const AUDIO_LANGUAGES: &[&str] = &[
    "zh", "ja", "ko", "th", "vi", "ms", "tl", "id", "hi", "ar", "tr", "en", "es", "pt", "it", "fr",
    "de", "ru",
];

/// The languages of `Language` (start-censor-video.yaml): the same eighteen.
const VIDEO_LANGUAGES: &[&str] = &[
    "zh", "en", "ar", "hi", "es", "fr", "ru", "pt", "id", "de", "ja", "tr", "vi", "it", "th", "tl",
    "ko", "ms",
];

/// A required text field of the body.
const fn text(name: &'static str, max_bytes: usize) -> Param {
    Param::new(name, Kind::Text { max_bytes }, code::PARAM)
        .in_body()
        .too_long(code::PARAM)
}

/// An optional 0/1 flag of the body.
const fn flag(name: &'static str) -> Param {
    Param::new(name, Kind::UInt { min: 0, max: 1 }, code::PARAM)
        .in_body()
        .optional()
        .too_long(code::PARAM)
}

/// An optional field of any JSON type, checked by the handler.
const fn json_field(name: &'static str) -> Param {
    Param::new(name, Kind::Json, code::PARAM)
        .in_body()
        .optional()
}

/// `StartCensorAudioV2`: 100/s per AppID.
pub(crate) const START_AUDIO: ActionSpec = ActionSpec {
    name: "StartCensorAudioV2",
    params: &[
        text("RoomId", 128),
        text("EventId", 128),
        text("ResultCallbackUrl", 2048).optional(),
        text("StatusCallbackUrl", 2048).optional(),
        flag("IsMixingEnabled"),
        Param::new("AudioLanguage", Kind::Enum(AUDIO_LANGUAGES), code::PARAM).in_body(),
        json_field("RiskTypeList"),
        json_field("BusinessTypeList"),
        Param::new("LabelLanguage", Kind::Enum(&["zh", "en"]), code::PARAM)
            .in_body()
            .optional(),
        flag("ReturnAllText"),
        flag("ReturnPreText"),
        flag("ReturnPreAudio"),
        flag("ReturnFinishInfo"),
    ],
    doc: "moderation/start-censor-audio.yaml",
    ..BASE
};

/// `StopCensorAudioV2`: 100/s per AppID; `Data` absent.
pub(crate) const STOP_AUDIO: ActionSpec = ActionSpec {
    name: "StopCensorAudioV2",
    params: &[text("TaskId", 128)],
    doc: "moderation/stop-censor-audio.yaml",
    ..BASE
};

/// `StartCensorVideoV2`: 100/s per AppID.
pub(crate) const START_VIDEO: ActionSpec = ActionSpec {
    name: "StartCensorVideoV2",
    params: &[
        text("RoomId", 128),
        text("EventId", 128),
        Param::new("Language", Kind::Enum(VIDEO_LANGUAGES), code::PARAM)
            .in_body()
            .optional(),
        json_field("AudioParam"),
        Param::new("VideoParam", Kind::Json, code::PARAM).in_body(),
        flag("ReturnFinishInfo"),
    ],
    doc: "moderation/start-censor-video.yaml",
    ..BASE
};

/// `StopCensorVideoV2`: 100/s per AppID; `Data` absent.
pub(crate) const STOP_VIDEO: ActionSpec = ActionSpec {
    name: "StopCensorVideoV2",
    params: &[text("TaskId", 128)],
    doc: "moderation/stop-censor-video.yaml",
    ..BASE
};

/// A list of strings (`RiskTypeList`, `BusinessTypeList`), absent or `null` counting as empty.
/// Its values are not checked against the documented ones ("contact ZEGOCLOUD Technical
/// Support" for others).
fn list_len(value: Option<&Value>, name: &str) -> Result<usize, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Array(items)) => {
            if items
                .iter()
                .all(|i| i.as_str().is_some_and(|s| !s.is_empty()))
            {
                Ok(items.len())
            } else {
                Err(refuse(format!("{name} must list non-empty strings")))
            }
        }
        Some(other) => Err(refuse(format!(
            "{name} must be an array of strings, not {other}"
        ))),
    }
}

/// A callback URL: `""` means the console's; anything else must be an http(s) address.
fn callback_url(
    urls: &mut BTreeMap<String, String>,
    key: &str,
    name: &str,
    value: Option<&Value>,
) -> Result<(), Refusal> {
    match value {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if s.is_empty() => Ok(()),
        Some(Value::String(s)) if has_scheme(s, &["http", "https"]) && s.len() <= 2048 => {
            urls.insert(key.into(), s.clone());
            Ok(())
        }
        Some(other) => Err(refuse(format!(
            "{name} must be an http or https URL (or \"\" for the console's), not {other}"
        ))),
    }
}

/// An optional 0/1 flag inside an object (`AudioParam.ReturnAllText`, ...).
fn inner_flag(obj: &Map<String, Value>, at: &str, name: &str) -> Result<bool, Refusal> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(v) => match v.as_u64() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => Err(refuse(format!("{at}.{name} must be 0 or 1, not {v}"))),
        },
    }
}

fn body<'r>(ctx: &Ctx<'r, '_>) -> &'r Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    ctx.body
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

fn started(ctx: &mut Ctx<'_, '_>, task: CensorTask) -> Result<Reply, Refusal> {
    let admin = ctx.features.censor_admin_user;
    let task_id = start_task(ctx.state, ctx.app_id, ctx.env, admin, task)?;
    Ok(Reply::ok(Data::Value(json!({ "TaskId": task_id }))))
}

fn base_task(ctx: &Ctx<'_, '_>, kind: CensorKind) -> CensorTask {
    CensorTask {
        kind,
        room_id: ctx.args.str("RoomId").unwrap_or_default().to_owned(),
        event_id: ctx.args.str("EventId").unwrap_or_default().to_owned(),
        language: String::new(),
        mixing: false,
        audio: false,
        video: false,
        return_finish_info: ctx.args.u64("ReturnFinishInfo") == Some(1),
        callback_urls: BTreeMap::new(),
        started_millis: ctx.now_millis,
        ended_millis: None,
        end_reason: None,
        censored_millis: 0,
        idle_since_millis: None,
        accounted_millis: ctx.now_millis,
        results: 0,
        admin_user_id: None,
    }
}

/// StartCensorAudioV2: either list non-empty (the text's rule, although the schema marks
/// `RiskTypeList` required), callback URLs http(s) or `""`.
pub(crate) fn start_audio(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let b = body(ctx);
    let lists = list_len(b.get("RiskTypeList"), "RiskTypeList")?
        + list_len(b.get("BusinessTypeList"), "BusinessTypeList")?;
    if lists == 0 {
        return Err(refuse(
            "at least one of RiskTypeList and BusinessTypeList must not be empty",
        ));
    }
    let mut task = base_task(ctx, CensorKind::Audio);
    callback_url(
        &mut task.callback_urls,
        "result",
        "ResultCallbackUrl",
        b.get("ResultCallbackUrl"),
    )?;
    callback_url(
        &mut task.callback_urls,
        "status",
        "StatusCallbackUrl",
        b.get("StatusCallbackUrl"),
    )?;
    task.language = ctx.args.str("AudioLanguage").unwrap_or("zh").to_owned();
    task.mixing = ctx.args.u64("IsMixingEnabled") == Some(1);
    task.audio = true;
    started(ctx, task)
}

/// StartCensorVideoV2: `VideoParam` an object with a non-empty list, `DetectFrequency` in
/// (0, 60]; `AudioParam` optional (without a non-empty list, audio is not moderated).
pub(crate) fn start_video(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let b = body(ctx);
    let mut task = base_task(ctx, CensorKind::Video);
    let audio_language = match b.get("AudioParam") {
        None | Some(Value::Null) => None,
        Some(Value::Object(audio)) => {
            let lists = list_len(audio.get("RiskTypeList"), "AudioParam.RiskTypeList")?
                + list_len(audio.get("BusinessTypeList"), "AudioParam.BusinessTypeList")?;
            task.audio = lists > 0;
            for name in ["ReturnAllText", "ReturnPreText", "ReturnPreAudio"] {
                inner_flag(audio, "AudioParam", name)?;
            }
            callback_url(
                &mut task.callback_urls,
                "audio_result",
                "AudioParam.ResultCallbackUrl",
                audio.get("ResultCallbackUrl"),
            )?;
            callback_url(
                &mut task.callback_urls,
                "audio_status",
                "AudioParam.StatusCallbackUrl",
                audio.get("StatusCallbackUrl"),
            )?;
            match audio.get("AudioLanguage") {
                None | Some(Value::Null) => None,
                Some(Value::String(l)) if l.is_empty() => None,
                Some(Value::String(l)) if AUDIO_LANGUAGES.contains(&l.as_str()) => Some(l.clone()),
                Some(other) => {
                    return Err(refuse(format!(
                        "AudioParam.AudioLanguage {other} is not one of the documented languages"
                    )))
                }
            }
        }
        Some(other) => return Err(refuse(format!("AudioParam must be an object, not {other}"))),
    };
    let Some(Value::Object(video)) = b.get("VideoParam") else {
        return Err(refuse("VideoParam must be an object"));
    };
    let lists = list_len(video.get("RiskTypeList"), "VideoParam.RiskTypeList")?
        + list_len(video.get("BusinessTypeList"), "VideoParam.BusinessTypeList")?;
    if lists == 0 {
        return Err(refuse(
            "at least one of VideoParam.RiskTypeList and VideoParam.BusinessTypeList must not be empty",
        ));
    }
    inner_flag(video, "VideoParam", "ReturnAllImg")?;
    match video.get("DetectFrequency") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_i64() {
            Some(1..=60) => {}
            _ => {
                return Err(refuse(format!(
                    "VideoParam.DetectFrequency must be an integer in (0, 60] seconds, not {v}"
                )))
            }
        },
    }
    callback_url(
        &mut task.callback_urls,
        "img_result",
        "VideoParam.ResultCallbackUrl",
        video.get("ResultCallbackUrl"),
    )?;
    callback_url(
        &mut task.callback_urls,
        "img_status",
        "VideoParam.StatusCallbackUrl",
        video.get("StatusCallbackUrl"),
    )?;
    task.language = ctx
        .args
        .str("Language")
        .map(str::to_owned)
        .or(audio_language)
        .unwrap_or_else(|| "zh".into());
    task.video = true;
    started(ctx, task)
}

fn stop(ctx: &mut Ctx<'_, '_>, kind: CensorKind) -> Result<Reply, Refusal> {
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    // Unknown, ended, or the other kind's task: stops are idempotent, and answer 0.
    if ctx
        .state
        .moderation
        .censor_tasks
        .get(task_id)
        .is_some_and(|t| t.kind == kind && t.is_running())
    {
        end_task(ctx.state, task_id, EndReason::Stopped, ctx.now_millis);
    }
    Ok(Reply::ok(Data::Absent))
}

/// StopCensorAudioV2.
pub(crate) fn stop_audio(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    stop(ctx, CensorKind::Audio)
}

/// StopCensorVideoV2.
pub(crate) fn stop_video(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    stop(ctx, CensorKind::Video)
}
