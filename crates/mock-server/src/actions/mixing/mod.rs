//! The stream-mixing family (`api-reference/stream-mixing/`): StartMix, StopMix, GetMixTaskInfo,
//! StartAutoMix, StopAutoMix, StartCloudTranscode, StopCloudTranscode; their tasks, which run on
//! the mock's clock (an idle mix ends by itself), and the JSON body helpers they share.
//!
//! The POST actions take their business parameters as a JSON object in the body. The pipeline
//! checks that the body is an object and that the declared top-level fields are there and of the
//! right JSON type; each handler checks the rest in the page's order.

pub(crate) mod auto;
pub(crate) mod mix;
pub(crate) mod transcode;

use crate::actions::media::rtc_stream;
use crate::actions::room::{self, RoomStream, StreamSource};
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Feature, Kind, Legacy, Method, Param, Quota};
use crate::state::EnvState;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The stream-mixing family's codes.
pub(crate) mod code {
    /// Input parameter error.
    pub const PARAM: i64 = 110_200_002;
    /// Authentication failed (legacy, for signature and timestamp failures).
    pub const AUTH: i64 = 110_200_003;
    /// Failed to parse input parameters.
    pub const PARSE: i64 = 110_200_004;
    /// Failed to update Stream Mixing request (a stale Sequence under timing control).
    pub const UPDATE_FAILED: i64 = 110_200_007;
    /// Failed to update Stream Mixing ownership.
    pub const OWNERSHIP: i64 = 110_200_013;
    /// MixInput and MixOutput have the same Stream ID.
    pub const SAME_IN_OUT: i64 = 110_200_140;
    /// Image protocol currently only supports: https, http, preset-id.
    pub const IMAGE_PROTOCOL: i64 = 110_200_141;
    /// The input Stream does not exist.
    pub const INPUT_MISSING: i64 = 110_200_150;
    /// Stream Mixing or single-stream transcoding task failed.
    pub const TASK_FAILED: i64 = 110_200_151;
    /// Stream Mixing output Stream error.
    pub const OUTPUT_ERROR: i64 = 110_200_154;
    /// Stream Mixing input Stream format error.
    pub const INPUT_FORMAT: i64 = 110_200_155;
    /// Stream Mixing output Stream format error.
    pub const OUTPUT_FORMAT: i64 = 110_200_156;
    /// Stream Mixing permission not enabled.
    pub const NO_PERMISSION: i64 = 110_200_157;
    /// Stream Mixing input Stream count exceeds limit.
    pub const TOO_MANY_INPUTS: i64 = 110_200_158;
    /// Non-owner stopped Stream Mixing.
    pub const NON_OWNER: i64 = 110_200_160;
    /// Output width error, range [0, 3000].
    pub const WIDTH: i64 = 110_200_161;
    /// Watermark parameter error.
    pub const WATERMARK: i64 = 110_200_170;
    /// Watermark parameter is empty.
    pub const WATERMARK_EMPTY: i64 = 110_200_171;
    /// Extended parameter error.
    pub const EXPARA: i64 = 110_200_172;
    /// Input Stream duplicate.
    pub const DUP_INPUT: i64 = 110_200_175;
    /// Output Stream duplicate.
    pub const DUP_OUTPUT: i64 = 110_200_176;
    /// Output Stream count exceeds limit.
    pub const TOO_MANY_OUTPUTS: i64 = 110_200_178;
    /// Text watermark related error.
    pub const LABEL: i64 = 110_200_179;
    /// Stream Mixing start parameter parsing failed.
    pub const START_PARSE: i64 = 110_200_184;
    /// Stream Mixing start request overload.
    pub const START_THROTTLED: i64 = 110_200_190;
    /// Stream Mixing stop request overload.
    pub const STOP_THROTTLED: i64 = 110_200_191;
    /// Stream Mixing request overload.
    pub const THROTTLED: i64 = 110_200_194;
    /// Failed to add stream to target Room.
    pub const TARGET_ROOM: i64 = 110_200_197;
    /// Stream Mixing task does not exist.
    pub const TASK_MISSING: i64 = 110_209_001;
}

/// The most tasks (of each namespace) kept per app and environment; ended ones go first.
pub const MAX_TASKS: usize = 10_000;

/// What every mixing action shares: family, `"success"`, 110200002 for `IsTest`, 110200003 for
/// signature and timestamp failures with legacy codes, 100/s (the test environment shares it).
pub(crate) const BASE: ActionSpec = ActionSpec {
    name: "",
    family: Family::StreamMixing,
    method: Method::Post,
    success_message: "success",
    parameter_code: code::PARAM,
    legacy: Legacy {
        auth: Some(code::AUTH),
        timestamp: Some(code::AUTH),
    },
    params: &[],
    quotas: &[Quota::per_second(100, 100, code::THROTTLED)],
    sequence: None,
    feature: None,
    doc: "",
};

/// A task-starting action needs the app's stream-mixing permission.
pub(crate) const NEEDS_MIXING: Option<(Feature, i64)> =
    Some((Feature::StreamMixing, code::NO_PERMISSION));

/// A required string field of the body; a value of another JSON type answers `type_code`.
pub(crate) const fn body_text(name: &'static str, type_code: i64) -> Param {
    Param::new(name, Kind::Text { max_bytes: 1024 }, code::PARAM)
        .in_body()
        .invalid(type_code)
        .too_long(code::PARAM)
}

/// A required field of the body of any JSON type (checked by the handler).
pub(crate) const fn body_json(name: &'static str) -> Param {
    Param::new(name, Kind::Json, code::PARAM).in_body()
}

/// A mix task's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MixKind {
    /// StartMix.
    Manual,
    /// StartAutoMix.
    Auto,
}

/// A mix task's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixInput {
    /// The input StreamId, when given (and no StreamUrl).
    pub stream_id: Option<String>,
    /// The input URL (taken as always live).
    pub stream_url: Option<String>,
}

/// A task's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixOutput {
    /// The output StreamId (a live stream while the task runs), when given.
    pub stream_id: Option<String>,
    /// The output URL (a CDN address), when given.
    pub stream_url: Option<String>,
    /// The room whose stream list shows the output, and the UserId it is listed under.
    pub target_room: Option<(String, String)>,
}

impl MixOutput {
    /// The StreamId that goes live: given only when no StreamUrl takes precedence.
    pub fn live_stream(&self) -> Option<&str> {
        match (&self.stream_url, &self.stream_id) {
            (None, Some(id)) => Some(id),
            _ => None,
        }
    }

    /// `PlayInfo[].StreamId`: the StreamId, or the last path segment of the URL.
    pub fn play_id(&self) -> String {
        match (&self.stream_url, &self.stream_id) {
            (Some(url), _) => url
                .split(['?', '#'])
                .next()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            (None, Some(id)) => id.clone(),
            (None, None) => String::new(),
        }
    }
}

/// A stream-mixing task (StartMix or StartAutoMix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixTask {
    /// Manual (StartMix) or automatic (StartAutoMix).
    pub kind: MixKind,
    /// The owner.
    pub user_id: String,
    /// `RoomId` (the mixed room for an auto-mix).
    pub room_id: String,
    /// The last accepted `Sequence`.
    pub sequence: Option<i64>,
    /// When it started, in Unix milliseconds.
    pub started_millis: i64,
    /// Its inputs (for an auto-mix, the extra ones; the room's streams count too).
    pub inputs: Vec<MixInput>,
    /// Its outputs.
    pub outputs: Vec<MixOutput>,
    /// How long it runs with no live input before it ends by itself, in seconds.
    pub max_idle_secs: i64,
    /// `WaitVideoInput=1`: ends 10 s after the start if no input is live by then.
    pub wait_video_input: bool,
    /// When it ended, if it did.
    pub ended_millis: Option<i64>,
    /// The fields as accepted at the start, which an update does not change.
    pub fixed: Value,
    /// The fields an update changes, as last accepted.
    pub current: Value,
}

/// A cloud-transcoding task (StartCloudTranscode), in its own TaskId namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscodeTask {
    /// The owner.
    pub user_id: String,
    /// The last accepted `Sequence`.
    pub sequence: Option<i64>,
    /// When it started, in Unix milliseconds.
    pub started_millis: i64,
    /// Its input.
    pub input: MixInput,
    /// Its outputs.
    pub outputs: Vec<MixOutput>,
    /// When it ended, if it did.
    pub ended_millis: Option<i64>,
}

/// The stream-mixing state of one app in one environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MixingState {
    /// Mix tasks by TaskId (StartMix and StartAutoMix share the namespace), ended ones included.
    pub mix_tasks: BTreeMap<String, MixTask>,
    /// Transcode tasks by TaskId, ended ones included.
    pub transcode_tasks: BTreeMap<String, TranscodeTask>,
    /// The last mix callback `seq` handed out: one per accepted mix start or stop, and per
    /// task that ends by itself.
    pub mix_seq: u64,
    /// The mix tasks still running, for the tick.
    #[serde(skip)]
    pub running_mixes: crate::state::Pending,
}

/// The next mix callback `seq` ("auto-incrementing and unique", per app and environment).
pub(crate) fn next_mix_seq(state: &mut EnvState) -> u64 {
    state.mixing.mix_seq += 1;
    state.mixing.mix_seq
}

/// The event data of a mix_start or mix_stop for one output of a task (`task_id` is
/// `"{AppId}:{TaskId}"`, `channel_id` the task's RoomId, `publish_id` its UserId).
fn mix_event_data(
    app_id: u32,
    task_id: &str,
    task: &MixTask,
    output: &MixOutput,
    seq: u64,
    start: Option<&[Vec<String>; 4]>,
) -> Value {
    let alias = output.play_id();
    let mut data = json!({
        "seq": seq,
        "task_id": format!("{app_id}:{task_id}"),
        "channel_id": task.room_id,
        "publish_id": task.user_id,
        "mix_url": output.stream_url.clone().unwrap_or_default(),
        "mix_stream_alias": alias,
    });
    if let Some([rtmp, hls, hdl, _]) = start {
        data["rtmp_urls"] = json!(rtmp);
        data["hls_urls"] = json!(hls);
        data["hdl_urls"] = json!(hdl);
        data["stream_alias"] = json!(alias);
    }
    data
}

/// Records a task's mix_start, one per output, all with the start request's `seq`.
pub(crate) fn record_mix_start(
    state: &mut EnvState,
    app_id: u32,
    task_id: &str,
    seq: u64,
    now_millis: i64,
) {
    let Some(task) = state.mixing.mix_tasks.get(task_id) else {
        return;
    };
    let events: Vec<Value> = task
        .outputs
        .iter()
        .map(|o| {
            let urls = crate::actions::media_file::play_urls(state, &o.play_id());
            mix_event_data(app_id, task_id, task, o, seq, Some(&urls))
        })
        .collect();
    for data in events {
        state.event(now_millis, "mix_start", data);
    }
}

/// A mix or transcode task as the control plane shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MixTaskView {
    /// The TaskId.
    pub task_id: String,
    /// Whether it is running.
    pub running: bool,
    /// The task.
    #[serde(flatten)]
    pub task: MixTask,
}

// ----- JSON body helpers -----

/// Sequence timing control (an app feature, [`Features::mix_sequence_control`]) for any start or
/// stop of the family: when `on`, `Sequence` is required (110200002) and must be greater than the
/// task's last accepted one; a stale one answers `stale` (110200007 for a start, 110200002 for a
/// stop).
///
/// [`Features::mix_sequence_control`]: crate::Features::mix_sequence_control
pub(crate) fn check_sequence(
    on: bool,
    sequence: Option<i64>,
    last: Option<i64>,
    stale: i64,
) -> Result<(), Refusal> {
    if !on {
        return Ok(());
    }
    let Some(n) = sequence else {
        return Err(refuse(
            code::PARAM,
            "Sequence is required: the app has Sequence timing control",
        ));
    };
    match last {
        Some(last) if n <= last => Err(refuse_state(
            stale,
            format!("Sequence {n} is not greater than the task's {last}"),
        )),
        _ => Ok(()),
    }
}

/// A refusal of the mixing family.
pub(crate) fn refuse(code: i64, reason: impl Into<String>) -> Refusal {
    Refusal::new(code, Family::StreamMixing, Check::Parameter, reason.into())
}

/// A refusal from the state (inputs, rooms, tasks).
pub(crate) fn refuse_state(code: i64, reason: impl Into<String>) -> Refusal {
    Refusal::new(code, Family::StreamMixing, Check::Business, reason.into())
}

/// A field of an object, `null` counting as absent.
pub(crate) fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).filter(|v| !v.is_null())
}

/// Reads typed fields of a JSON object, answering `type_code` for a value of the wrong type.
pub(crate) struct Fields<'a> {
    obj: &'a Map<String, Value>,
    at: &'a str,
    type_code: i64,
}

impl<'a> Fields<'a> {
    /// The fields of `value` (an object), or a refusal with `type_code`.
    pub fn of(value: &'a Value, at: &'a str, type_code: i64) -> Result<Self, Refusal> {
        match value {
            Value::Object(obj) => Ok(Self { obj, at, type_code }),
            other => Err(refuse(
                type_code,
                format!("{at} must be a JSON object, not {other}"),
            )),
        }
    }

    fn wrong(&self, name: &str, what: &str, v: &Value) -> Refusal {
        refuse(
            self.type_code,
            format!("{}{name} must be {what}, not {v}", self.prefix()),
        )
    }

    fn prefix(&self) -> String {
        if self.at.is_empty() {
            String::new()
        } else {
            format!("{}.", self.at)
        }
    }

    /// An optional string ("" counts as absent).
    pub fn string(&self, name: &str) -> Result<Option<&'a str>, Refusal> {
        match field(self.obj, name) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.wrong(name, "a string", v)),
        }
    }

    /// An optional integer.
    pub fn int(&self, name: &str) -> Result<Option<i64>, Refusal> {
        match field(self.obj, name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(name, "an integer", v)),
        }
    }

    /// An optional integer within `min..=max` (outside: 110200002).
    pub fn int_in(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, Refusal> {
        match self.int(name)? {
            Some(n) if n < min || n > max => Err(refuse(
                code::PARAM,
                format!("{}{name} {n} is outside {min} to {max}", self.prefix()),
            )),
            other => Ok(other),
        }
    }

    /// An optional array.
    pub fn array(&self, name: &str) -> Result<Option<&'a Vec<Value>>, Refusal> {
        match field(self.obj, name) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(self.wrong(name, "an array", v)),
        }
    }

    /// An optional object.
    pub fn object(&self, name: &str) -> Result<Option<&'a Value>, Refusal> {
        match field(self.obj, name) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v)),
            Some(v) => Err(self.wrong(name, "an object", v)),
        }
    }
}

/// "parameters of type String only support numbers, English characters and ~!@#$%^&*()_+=-`;',.<>/\"
/// (applied to TaskId, UserId and room ids).
pub(crate) fn check_id(name: &str, value: &str) -> Result<(), Refusal> {
    let ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "~!@#$%^&*()_+=-`;',.<>/\\".contains(c));
    if ok {
        Ok(())
    } else {
        Err(refuse(
            code::PARAM,
            format!("{name} {value:?} has characters outside digits, letters and ~!@#$%^&*()_+=-`;',.<>/\\"),
        ))
    }
}

/// A StreamId of the media service: 1 to 256 of `[0-9A-Za-z_-]`.
pub(crate) fn is_stream_id(s: &str) -> bool {
    crate::spec::is_valid_stream_id(s)
}

/// Whether a URL starts with one of the schemes (any case).
pub(crate) fn has_scheme(url: &str, schemes: &[&str]) -> bool {
    url.split_once("://").is_some_and(|(s, rest)| {
        !rest.is_empty() && schemes.iter().any(|w| s.eq_ignore_ascii_case(w))
    })
}

/// A stream given by `StreamId` or `StreamUrl` (both may be): neither answers 110200002; a
/// URL whose scheme is not one of `schemes`, or a StreamId not of the media service's form,
/// answers `format_code`.
pub(crate) fn endpoint<'a>(
    f: &Fields<'a>,
    at: &str,
    schemes: &[&str],
    format_code: i64,
) -> Result<(Option<&'a str>, Option<&'a str>), Refusal> {
    let (id, url) = (f.string("StreamId")?, f.string("StreamUrl")?);
    match (id, url) {
        (None, None) => Err(refuse(
            code::PARAM,
            format!("{at} needs a StreamId or a StreamUrl"),
        )),
        (_, Some(u)) if !has_scheme(u, schemes) => Err(refuse(
            format_code,
            format!(
                "{at}.StreamUrl {u:?} is not a {} address",
                schemes.join("/")
            ),
        )),
        (Some(s), None) if !is_stream_id(s) => Err(refuse(
            format_code,
            format!("{at}.StreamId {s:?} is not 1 to 256 characters of [0-9A-Za-z_-]"),
        )),
        pair => Ok(pair),
    }
}

/// Checks that no output StreamId is live from another publisher or forbidden (110200154);
/// `mine` are the outputs the task already has.
pub(crate) fn check_outputs_free(
    state: &EnvState,
    outputs: &[MixOutput],
    mine: &[MixOutput],
) -> Result<(), Refusal> {
    for id in outputs.iter().filter_map(MixOutput::live_stream) {
        let own = mine.iter().any(|m| m.live_stream() == Some(id));
        if (is_live(state, id) && !own) || state.media.forbidden_rtc.contains(id) {
            return Err(refuse_state(
                code::OUTPUT_ERROR,
                format!(
                    "output stream {id:?} is already live from another publisher, or forbidden"
                ),
            ));
        }
    }
    Ok(())
}

/// An image address: http, https or `preset-id://` (110200141 otherwise).
pub(crate) fn check_image(name: &str, url: &str) -> Result<(), Refusal> {
    if has_scheme(url, &["http", "https", "preset-id"]) {
        Ok(())
    } else {
        Err(refuse(
            code::IMAGE_PROTOCOL,
            format!("{name} {url:?}: images are http, https or preset-id addresses"),
        ))
    }
}

/// Whether a stream is live in this app and environment.
pub(crate) fn is_live(state: &EnvState, stream_id: &str) -> bool {
    state
        .media
        .streams
        .get(stream_id)
        .is_some_and(|s| s.is_live())
}

/// Outputs go live (and join their target rooms); those of `old` that are no longer outputs
/// close (and leave their rooms).
pub(crate) fn switch_outputs(
    state: &mut EnvState,
    old: &[MixOutput],
    new: &[MixOutput],
    now_millis: i64,
) {
    let now_secs = now_millis.div_euclid(1000);
    for o in old {
        if new.contains(o) {
            continue;
        }
        if let Some(id) = o.live_stream() {
            rtc_stream::stop_publishing(&mut state.media, id, now_secs);
        }
        if let (Some((room_id, _)), Some(id)) =
            (&o.target_room, o.live_stream().or(o.stream_url.as_deref()))
        {
            let listed = state
                .rooms
                .rooms
                .get(room_id)
                .and_then(|r| r.streams.get(id))
                .is_some_and(|s| s.source == StreamSource::MixOutput);
            if listed {
                room::remove_stream(state, room_id, id, room::close_type::NORMAL, now_millis);
            }
        }
    }
    for o in new {
        if old.contains(o) {
            continue;
        }
        if let Some(id) = o.live_stream() {
            // Checked before: the StreamId is well formed, not forbidden, not live elsewhere.
            let _ = rtc_stream::start_publishing(&mut state.media, id, now_secs);
        }
        if let (Some((room_id, user_id)), Some(id)) =
            (&o.target_room, o.live_stream().or(o.stream_url.as_deref()))
        {
            if state
                .rooms
                .rooms
                .get(room_id)
                .is_some_and(|r| !r.streams.contains_key(id))
            {
                room::add_stream(
                    state,
                    room_id,
                    id,
                    RoomStream {
                        user_id: user_id.clone(),
                        user_name: String::new(),
                        title: String::new(),
                        extra_info: String::new(),
                        censor_flag: 0,
                        create_millis: now_millis,
                        number_id: 0,
                        source: StreamSource::MixOutput,
                    },
                    now_millis,
                );
            }
        }
    }
}

/// Ends a mix task: its outputs close and leave their rooms; mix_stop is recorded, one per
/// output, with `seq` (a stop request's, or a new one for a task that ended by itself).
pub(crate) fn end_mix(state: &mut EnvState, app_id: u32, task_id: &str, seq: u64, now_millis: i64) {
    let Some(task) = state.mixing.mix_tasks.get_mut(task_id) else {
        return;
    };
    if task.ended_millis.is_some() {
        return;
    }
    task.ended_millis = Some(now_millis);
    let task = task.clone();
    switch_outputs(state, &task.outputs, &[], now_millis);
    for o in &task.outputs {
        let data = mix_event_data(app_id, task_id, &task, o, seq, None);
        state.event(now_millis, "mix_stop", data);
    }
}

/// Whether any input of a task is live now (StreamUrl inputs always are; an auto-mix's room
/// streams count).
fn any_live(state: &EnvState, task: &MixTask) -> bool {
    let own = task
        .inputs
        .iter()
        .any(|i| match (&i.stream_url, &i.stream_id) {
            (Some(_), _) => true,
            (None, Some(id)) => is_live(state, id),
            (None, None) => false,
        });
    let room = task.kind == MixKind::Auto
        && state.rooms.rooms.get(&task.room_id).is_some_and(|r| {
            r.streams
                .iter()
                .any(|(id, s)| s.source != StreamSource::MixOutput && is_live(state, id))
        });
    own || room
}

/// When a task's inputs were last live (its start if never), in Unix milliseconds.
fn last_live_millis(state: &EnvState, task: &MixTask) -> i64 {
    let mut last = task.started_millis;
    let ids = task
        .inputs
        .iter()
        .filter_map(|i| i.stream_id.as_deref())
        .map(str::to_string);
    let room_ids: Vec<String> = if task.kind == MixKind::Auto {
        state
            .rooms
            .rooms
            .get(&task.room_id)
            .map(|r| r.streams.keys().cloned().collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    for id in ids.chain(room_ids) {
        if let Some(close) = state.media.streams.get(&id).and_then(|s| s.close_secs) {
            last = last.max(close.saturating_mul(1000));
        }
    }
    last
}

/// Ends the mix tasks that ended by themselves by `now_millis`: no live input for
/// `MaxIdleTime` (90 s for an auto-mix), or `WaitVideoInput=1` and no live input 10 s after the
/// start. Runs before every request of the app's environment; a few running tasks cost little.
#[inline]
pub(crate) fn tick(state: &mut EnvState, app_id: u32, now_millis: i64) {
    // The usual case, before and after every request: no mix task runs.
    if state.mixing.running_mixes.is_idle() {
        return;
    }
    tick_running(state, app_id, now_millis);
}

/// [`tick`] when something may be due.
#[inline(never)]
fn tick_running(state: &mut EnvState, app_id: u32, now_millis: i64) {
    let mixing = &mut state.mixing;
    let ids = mixing
        .running_mixes
        .running(&mixing.mix_tasks, |t| t.ended_millis.is_none());
    let mut due = Vec::new();
    for id in ids {
        let Some(t) = state
            .mixing
            .mix_tasks
            .get(&id)
            .filter(|t| t.ended_millis.is_none())
        else {
            state.mixing.running_mixes.remove(&id);
            continue;
        };
        if any_live(state, t) {
            continue;
        }
        let idle_end =
            last_live_millis(state, t).saturating_add(t.max_idle_secs.saturating_mul(1000));
        let wait_end = t.started_millis.saturating_add(10_000);
        let never_live = !t.inputs.iter().any(|i| {
            i.stream_id
                .as_deref()
                .is_some_and(|s| state.media.streams.contains_key(s))
        });
        let end = if t.wait_video_input && never_live {
            idle_end.min(wait_end)
        } else {
            idle_end
        };
        if end <= now_millis {
            due.push((id, end));
        }
    }
    for (task_id, at) in due {
        // A timed end is the task's normal lifecycle, not the "abnormally terminated" case that
        // sends nothing (SPEC-rest-callbacks 5.5.2): mix_stop, with a seq of its own.
        let seq = next_mix_seq(state);
        end_mix(state, app_id, &task_id, seq, at);
        state.mixing.running_mixes.remove(&task_id);
    }
}

/// Keeps a task map under its cap by dropping ended tasks, oldest first.
pub(crate) fn prune<T>(tasks: &mut BTreeMap<String, T>, ended: impl Fn(&T) -> Option<i64>) -> bool {
    if tasks.len() < MAX_TASKS {
        return true;
    }
    let oldest = tasks
        .iter()
        .filter_map(|(id, t)| ended(t).map(|at| (at, id.clone())))
        .min();
    match oldest {
        Some((_, id)) => {
            tasks.remove(&id);
            true
        }
        None => false,
    }
}

/// The mix tasks as the control plane shows them.
pub(crate) fn views(state: &EnvState) -> Vec<MixTaskView> {
    state
        .mixing
        .mix_tasks
        .iter()
        .map(|(id, t)| MixTaskView {
            task_id: id.clone(),
            running: t.ended_millis.is_none(),
            task: t.clone(),
        })
        .collect()
}

/// `Data` of StartMix and StartAutoMix.
pub(crate) fn start_data(
    user_id: &str,
    sequence: Option<i64>,
    room_id: &str,
    outputs: &[MixOutput],
) -> Value {
    let play: Vec<Value> = outputs
        .iter()
        .map(|o| json!({"StreamId": o.play_id(), "RTMP": "", "HLS": "", "FLV": "", "Status": 0, "UserName": ""}))
        .collect();
    json!({"UserId": user_id, "Sequence": sequence.unwrap_or(0), "RoomId": room_id, "PlayInfo": play})
}
