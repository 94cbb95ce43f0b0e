//! The audio/video stream moderation family (`api-reference/moderation/`): StartCensorAudioV2,
//! StopCensorAudioV2, StartCensorVideoV2, StopCensorVideoV2 (POST, JSON bodies) and
//! GenerateIdentifyToken (GET); censor tasks on rooms, which end by themselves once their room
//! has had no moderated stream for 300 s, the results tests inject, and identify tokens.
//!
//! The mock analyses no media, so no result comes by itself: a test injects results through the
//! control plane, and the mock records them (and each task's end) as the events the real service
//! would send as callbacks.

pub(crate) mod censor;
pub(crate) mod token;

use crate::actions::room::{self, LogoutReason, UserSpec};
use crate::config::Env;
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Feature, Legacy, Method, Quota};
use crate::state::EnvState;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The moderation family's codes (its 2 and 206 are room signaling's, as its table says).
pub(crate) mod code {
    /// Input parameter error.
    pub const PARAM: i64 = 2;
    /// App request QPS too high and was limited.
    pub const THROTTLED: i64 = 206;
    /// Moderation failed.
    pub const FAILED: i64 = 50_009;
    /// Configuration error, Shumei permission not enabled.
    pub const NOT_ENABLED: i64 = 50_117;
}

/// The most censor tasks kept per app and environment; ended ones go first.
pub const MAX_TASKS: usize = 10_000;
/// The most identify tokens kept per app and environment; expired and used ones go first.
pub const MAX_TOKENS: usize = 10_000;
/// A task ends by itself once its room has had no moderated stream for this long ("it will
/// automatically end after pulling an empty stream for about 5 minutes").
pub const IDLE_END_MILLIS: i64 = 300_000;

/// What every moderation action shares: POST, `"success"`, 2 for `IsTest`, no legacy codes,
/// 100/s per AppID (the test environment shares the figure), 206 when throttled, and the Shumei
/// permission (50117 while off).
pub(crate) const BASE: ActionSpec = ActionSpec {
    name: "",
    family: Family::Moderation,
    method: Method::Post,
    success_message: "success",
    parameter_code: code::PARAM,
    legacy: Legacy::NONE,
    params: &[],
    quotas: &[Quota::per_second(100, 100, code::THROTTLED)],
    sequence: None,
    feature: Some((Feature::ShumeiModeration, code::NOT_ENABLED)),
    doc: "",
};

/// Audio or video moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CensorKind {
    /// StartCensorAudioV2.
    Audio,
    /// StartCensorVideoV2.
    Video,
}

/// Why a censor task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// StopCensorAudioV2 or StopCensorVideoV2.
    Stopped,
    /// 300 s without a moderated stream in its room (or ended as idle by the control plane).
    Idle,
}

/// A censor task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensorTask {
    /// Audio or video moderation.
    pub kind: CensorKind,
    /// The RoomId it moderates.
    pub room_id: String,
    /// `EventId` (the scenario).
    pub event_id: String,
    /// The language of the content (`AudioLanguage`, or C3's `Language`).
    #[serde(default)]
    pub language: String,
    /// `IsMixingEnabled` = 1: the room's audio streams are moderated as one mix.
    #[serde(default)]
    pub mixing: bool,
    /// Whether audio is moderated (always for audio tasks; for video tasks when `AudioParam`
    /// has a non-empty list).
    pub audio: bool,
    /// Whether video is moderated (video tasks).
    #[serde(default)]
    pub video: bool,
    /// `ReturnFinishInfo` = 1: a status callback when the task ends.
    #[serde(default)]
    pub return_finish_info: bool,
    /// The task's own callback URLs, by what they are for (`result`, `status`, and for video
    /// tasks `audio_result`, `audio_status`, `img_result`, `img_status`).
    #[serde(default)]
    pub callback_urls: BTreeMap<String, String>,
    /// When it started, in Unix milliseconds.
    pub started_millis: i64,
    /// When it ended, if it has.
    #[serde(default)]
    pub ended_millis: Option<i64>,
    /// Why it ended, if it has.
    #[serde(default)]
    pub end_reason: Option<EndReason>,
    /// Moderated stream time so far, in milliseconds (per stream, or while any stream is live
    /// with `mixing`), reported as `CensorStreamTime` in seconds.
    #[serde(default)]
    pub censored_millis: i64,
    /// Since when its room has had no moderated stream (`None` while it has one).
    #[serde(default)]
    pub idle_since_millis: Option<i64>,
    /// Until when `censored_millis` and `idle_since_millis` are accounted.
    #[serde(default)]
    pub accounted_millis: i64,
    /// The results injected so far (numbers the next `ResultTaskId`).
    #[serde(default)]
    pub results: u64,
    /// The admin user it is in its room as (with the `censor_admin_user` feature).
    #[serde(default)]
    pub admin_user_id: Option<String>,
}

impl CensorTask {
    /// Whether it is still running.
    pub fn is_running(&self) -> bool {
        self.ended_millis.is_none()
    }
}

/// An identify token (GenerateIdentifyToken).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentifyToken {
    /// When it was generated, in Unix seconds.
    pub created_secs: i64,
    /// When it stops being valid, in Unix seconds.
    pub expire_secs: i64,
    /// Whether a moderation request used it (each token is good for one).
    #[serde(default)]
    pub used: bool,
}

/// The moderation state of one app in one environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModerationState {
    /// Censor tasks by TaskId, ended ones included.
    pub censor_tasks: BTreeMap<String, CensorTask>,
    /// Identify tokens by token.
    pub identify_tokens: BTreeMap<String, IdentifyToken>,
    /// How many TaskIds and tokens were handed out (their ids derive from it).
    pub moderation_ids: u64,
    /// The censor tasks still running, for the tick.
    #[serde(skip)]
    pub running_censors: crate::state::Pending,
}

/// A refusal of the family for a parameter.
pub(crate) fn refuse(reason: impl Into<String>) -> Refusal {
    Refusal::new(
        code::PARAM,
        Family::Moderation,
        Check::Parameter,
        reason.into(),
    )
}

/// 32 lower-case hex digits, deterministic per app, environment, purpose and number.
pub(crate) fn hex_id(app_id: u32, env: Env, what: &str, n: u64) -> String {
    let mut md5 = Md5::new();
    md5.update(format!("{app_id}|{}|{what}|{n}", env.as_str()).as_bytes());
    hex::encode(md5.finalize())
}

/// How many moderated streams of its room are live for a task: the room's listed streams whose
/// `CensorFlag` is 0.
fn moderated_streams(state: &EnvState, room_id: &str) -> usize {
    state.rooms.rooms.get(room_id).map_or(0, |r| {
        r.streams.values().filter(|s| s.censor_flag == 0).count()
    })
}

/// Accounts every running task up to `now_millis` and ends the ones idle for 300 s by then.
///
/// The streams of a room change only through requests and control-plane calls, each of which
/// calls this first with its own time, so between two calls the streams were what they are now:
/// the time since the last call is accounted with the current streams.
#[inline]
pub(crate) fn tick(state: &mut EnvState, now_millis: i64) {
    // The usual case, before and after every request: no censor task runs.
    if state.moderation.running_censors.is_idle() {
        return;
    }
    tick_running(state, now_millis);
}

/// [`tick`] when something may be due.
#[inline(never)]
fn tick_running(state: &mut EnvState, now_millis: i64) {
    let moderation = &mut state.moderation;
    let running = moderation
        .running_censors
        .running(&moderation.censor_tasks, CensorTask::is_running);
    for id in running {
        let Some(task) = state.moderation.censor_tasks.get(&id) else {
            state.moderation.running_censors.remove(&id);
            continue;
        };
        if !task.is_running() {
            state.moderation.running_censors.remove(&id);
            continue;
        }
        if task.accounted_millis >= now_millis {
            continue;
        }
        let live = moderated_streams(state, &task.room_id);
        let (from, idle_since, mixing) =
            (task.accounted_millis, task.idle_since_millis, task.mixing);
        let idle_since = if live > 0 {
            None
        } else {
            Some(idle_since.unwrap_or(from))
        };
        let idle_end = idle_since.map(|s| s.saturating_add(IDLE_END_MILLIS));
        let until = match idle_end {
            Some(end) if end <= now_millis => end.max(from),
            _ => now_millis,
        };
        let streams = if mixing { live.min(1) } else { live } as i64;
        if let Some(task) = state.moderation.censor_tasks.get_mut(&id) {
            task.censored_millis = task
                .censored_millis
                .saturating_add(streams.saturating_mul(until - from));
            task.accounted_millis = until;
            task.idle_since_millis = idle_since;
        }
        if idle_end.is_some_and(|end| end <= now_millis) {
            end_task(state, &id, EndReason::Idle, until);
        }
    }
}

/// Ends a running task at `at_millis`: its admin user leaves, and with `ReturnFinishInfo` the
/// status events are recorded. `false` when there is no such running task.
pub(crate) fn end_task(
    state: &mut EnvState,
    task_id: &str,
    reason: EndReason,
    at_millis: i64,
) -> bool {
    let Some(task) = state.moderation.censor_tasks.get_mut(task_id) else {
        return false;
    };
    if !task.is_running() {
        return false;
    }
    task.ended_millis = Some(at_millis);
    task.end_reason = Some(reason);
    let task = task.clone();
    if let Some(user) = &task.admin_user_id {
        // The admin user may have been kicked already; then there is nothing to do.
        let _ = room::logout(state, &task.room_id, user, LogoutReason::Normal, at_millis);
    }
    if task.return_finish_info {
        let status = |event: &'static str| {
            (
                event,
                json!({
                    "Code": 0,
                    "Message": "success",
                    "TaskId": task_id,
                    "Status": 0,
                    "AuxInfo": {
                        "RoomId": task.room_id,
                        "CensorStreamTime": task.censored_millis.div_euclid(1000),
                    },
                }),
            )
        };
        let mut events = Vec::new();
        match task.kind {
            CensorKind::Audio => events.push(status("censor_audio_v2_status")),
            CensorKind::Video => {
                events.push(status("censor_video_v2_img_status"));
                if task.audio {
                    events.push(status("censor_video_v2_audio_status"));
                }
            }
        }
        for (event, data) in events {
            state.event(at_millis, event, data);
        }
    }
    true
}

/// Starts a task (the handlers' common end): a TaskId, room accounting from now, and the admin
/// user when the app has the `censor_admin_user` feature.
pub(crate) fn start_task(
    state: &mut EnvState,
    app_id: u32,
    env: Env,
    admin_user: bool,
    mut task: CensorTask,
) -> Result<String, Refusal> {
    let tasks = &mut state.moderation.censor_tasks;
    if tasks.len() >= MAX_TASKS {
        let oldest = tasks
            .iter()
            .filter_map(|(id, t)| t.ended_millis.map(|at| (at, id.clone())))
            .min();
        match oldest {
            Some((_, id)) => {
                tasks.remove(&id);
            }
            None => {
                return Err(Refusal::new(
                    code::FAILED,
                    Family::Moderation,
                    Check::Business,
                    format!("the mock keeps at most {MAX_TASKS} censor tasks per app and environment, and all are running: stop some first"),
                ))
            }
        }
    }
    state.moderation.moderation_ids += 1;
    let task_id = hex_id(app_id, env, "censor", state.moderation.moderation_ids);
    let now = task.started_millis;
    task.accounted_millis = now;
    task.idle_since_millis = (moderated_streams(state, &task.room_id) == 0).then_some(now);
    if admin_user {
        let user = format!("censor_{task_id}");
        let spec = UserSpec {
            role: 4,
            ..UserSpec::new(user.clone())
        };
        if room::login(state, &task.room_id, spec, now).is_ok() {
            task.admin_user_id = Some(user);
        }
    }
    state.moderation.running_censors.add(&task_id);
    state.moderation.censor_tasks.insert(task_id.clone(), task);
    Ok(task_id)
}

/// A censor task as the control plane shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensorTaskView {
    /// The TaskId.
    pub task_id: String,
    /// Whether it is running.
    pub running: bool,
    /// `CensorStreamTime` so far, in seconds.
    pub censor_stream_time: i64,
    /// The task.
    #[serde(flatten)]
    pub task: CensorTask,
}

/// The censor tasks as the control plane shows them.
pub(crate) fn views(state: &EnvState) -> Vec<CensorTaskView> {
    state
        .moderation
        .censor_tasks
        .iter()
        .map(|(id, t)| CensorTaskView {
            task_id: id.clone(),
            running: t.is_running(),
            censor_stream_time: t.censored_millis.div_euclid(1000),
            task: t.clone(),
        })
        .collect()
}

/// A moderation result a test injects (`POST .../censor-tasks/{task_id}/results`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensorResult {
    /// `audio` or `img` (images exist only for video tasks).
    pub kind: String,
    /// The callback's `Detail` (`RiskLevel`, `AudioText`, ...), as the test wants it.
    #[serde(default)]
    pub detail: Value,
    /// Extra `AuxInfo` fields (`UserId` for audio tasks, `StreamId` for video tasks).
    #[serde(default)]
    pub aux: serde_json::Map<String, Value>,
}

/// Why a control-plane call on a censor task was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CensorControlError {
    /// No task with this TaskId.
    NoSuchTask,
    /// The task has ended.
    Ended,
    /// The result does not fit the task.
    Invalid(String),
}

impl std::fmt::Display for CensorControlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CensorControlError::NoSuchTask => f.write_str("no censor task with this TaskId"),
            CensorControlError::Ended => f.write_str("the censor task has ended"),
            CensorControlError::Invalid(why) => f.write_str(why),
        }
    }
}

/// Records an injected result as the event its callback would carry; answers the
/// `ResultTaskId` (`{TaskId}_{n}` for audio tasks, `{TaskId}_s_1_{n}` for video tasks).
pub(crate) fn inject_result(
    state: &mut EnvState,
    task_id: &str,
    result: CensorResult,
    now_millis: i64,
) -> Result<String, CensorControlError> {
    let task = state
        .moderation
        .censor_tasks
        .get_mut(task_id)
        .ok_or(CensorControlError::NoSuchTask)?;
    if !task.is_running() {
        return Err(CensorControlError::Ended);
    }
    let event = match (task.kind, result.kind.as_str()) {
        (CensorKind::Audio, "audio") => "censor_audio_v2_result",
        (CensorKind::Video, "audio") if task.audio => "censor_video_v2_audio_result",
        (CensorKind::Video, "audio") => {
            return Err(CensorControlError::Invalid(
                "this video task does not moderate audio (its AudioParam lists nothing)".into(),
            ))
        }
        (CensorKind::Video, "img") => "censor_video_v2_img_result",
        (CensorKind::Audio, "img") => {
            return Err(CensorControlError::Invalid(
                "an audio task has no image results".into(),
            ))
        }
        (_, other) => {
            return Err(CensorControlError::Invalid(format!(
                "kind {other:?} is neither \"audio\" nor \"img\""
            )))
        }
    };
    task.results += 1;
    let result_task_id = match task.kind {
        CensorKind::Audio => format!("{task_id}_{}", task.results),
        CensorKind::Video => format!("{task_id}_s_1_{}", task.results),
    };
    let mut aux = serde_json::Map::new();
    aux.insert("RoomId".into(), json!(task.room_id));
    if event == "censor_video_v2_img_result" {
        aux.insert("ImgTime".into(), json!(img_time(now_millis)));
    } else {
        aux.insert("ProcessBeginTime".into(), json!(now_millis));
        aux.insert("ProcessFinishTime".into(), json!(now_millis));
    }
    aux.extend(result.aux);
    state.event(
        now_millis,
        event,
        json!({
            "Code": 0,
            "Message": "success",
            "TaskId": task_id,
            "ResultTaskId": result_task_id,
            "Detail": result.detail,
            "AuxInfo": aux,
        }),
    );
    Ok(result_task_id)
}

/// `ImgTime` as the callback page shows it, `2024-06-07 15:20:42.586`, in China Standard Time
/// (UTC+8), the vendor's zone.
fn img_time(millis: i64) -> String {
    let cst = millis.saturating_add(8 * 3_600_000);
    let iso = crate::utc::format(cst.div_euclid(1000));
    format!(
        "{} {}.{:03}",
        &iso[..10],
        &iso[11..19],
        cst.rem_euclid(1000)
    )
}

/// What consuming an identify token found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenCheck {
    /// Whether the token was valid (and is now used).
    pub valid: bool,
    /// Why not: `unknown`, `expired` or `used`.
    pub reason: Option<&'static str>,
}

/// Consumes an identify token, as a moderation vendor would: valid once, before it expires.
pub(crate) fn consume_token(state: &mut EnvState, token: &str, now_secs: i64) -> TokenCheck {
    let refused = |reason| TokenCheck {
        valid: false,
        reason: Some(reason),
    };
    match state.moderation.identify_tokens.get_mut(token) {
        None => refused("unknown"),
        Some(t) if t.used => refused("used"),
        Some(t) if now_secs >= t.expire_secs => refused("expired"),
        Some(t) => {
            t.used = true;
            TokenCheck {
                valid: true,
                reason: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::room::{login, publish, LogoutReason};

    fn task(room: &str, at: i64) -> CensorTask {
        CensorTask {
            kind: CensorKind::Audio,
            room_id: room.into(),
            event_id: "live_streaming".into(),
            language: "zh".into(),
            mixing: false,
            audio: true,
            video: false,
            return_finish_info: true,
            callback_urls: BTreeMap::new(),
            started_millis: at,
            ended_millis: None,
            end_reason: None,
            censored_millis: 0,
            idle_since_millis: None,
            accounted_millis: 0,
            results: 0,
            admin_user_id: None,
        }
    }

    #[test]
    fn img_time_is_china_standard_time_with_milliseconds() {
        // 2024-06-07T07:20:42.586Z is 15:20:42.586 in UTC+8.
        assert_eq!(img_time(1_717_744_842_586), "2024-06-07 15:20:42.586");
    }

    #[test]
    fn a_task_on_an_empty_room_ends_idle_300_s_after_it_started() {
        let mut s = EnvState::default();
        let id = start_task(&mut s, 1, Env::Production, false, task("r", 1_000)).expect("start");
        tick(&mut s, 300_999);
        assert!(s.moderation.censor_tasks[&id].is_running());
        tick(&mut s, 301_000);
        let t = &s.moderation.censor_tasks[&id];
        assert_eq!(t.ended_millis, Some(301_000));
        assert_eq!(t.end_reason, Some(EndReason::Idle));
        assert_eq!(t.censored_millis, 0);
    }

    #[test]
    fn stream_time_is_counted_per_stream_and_idle_time_starts_when_the_last_stops() {
        let mut s = EnvState::default();
        login(&mut s, "r", UserSpec::new("a"), 0).expect("login a");
        login(&mut s, "r", UserSpec::new("b"), 0).expect("login b");
        publish(&mut s, "r", "a", "sa", "", "", 0).expect("publish a");
        publish(&mut s, "r", "b", "sb", "", "", 0).expect("publish b");
        let id = start_task(&mut s, 1, Env::Production, false, task("r", 0)).expect("start");
        // Both streams for 10 s.
        tick(&mut s, 10_000);
        room::logout(&mut s, "r", "b", LogoutReason::Normal, 10_000).expect("logout b");
        // One stream for 5 s more.
        tick(&mut s, 15_000);
        room::logout(&mut s, "r", "a", LogoutReason::Normal, 15_000).expect("logout a");
        tick(&mut s, 314_999);
        assert!(s.moderation.censor_tasks[&id].is_running());
        tick(&mut s, 400_000);
        let t = &s.moderation.censor_tasks[&id];
        assert_eq!(t.censored_millis, 25_000);
        assert_eq!(t.ended_millis, Some(315_000));
        let statuses: Vec<_> = s
            .events
            .iter()
            .filter(|e| e.event == "censor_audio_v2_status")
            .collect();
        assert_eq!(statuses.len(), 1);
        assert_eq!(statuses[0].data["AuxInfo"]["CensorStreamTime"], 25);
    }
}
