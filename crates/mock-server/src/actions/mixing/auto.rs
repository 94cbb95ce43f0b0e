//! `StartAutoMix` and `StopAutoMix` (POST): start-auto-mix.yaml, stop-auto-mix.yaml. An
//! auto-mix mixes every stream of a room, as the room's list changes, plus extra inputs.

use super::{
    body_json, body_text, check_id, check_outputs_free, check_sequence, code, end_mix, endpoint,
    has_scheme, is_stream_id, prune, refuse, refuse_state, start_data, switch_outputs, Fields,
    MixInput, MixKind, MixOutput, MixTask, BASE, NEEDS_MIXING,
};
use crate::actions::room::StreamSource;
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::Refusal;
use crate::spec::ActionSpec;
use serde_json::json;

/// `StartAutoMix`: wrong JSON types answer 110200004.
pub(crate) const START: ActionSpec = ActionSpec {
    name: "StartAutoMix",
    params: &[
        body_text("TaskId", code::PARSE),
        body_text("UserId", code::PARSE),
        body_text("RoomId", code::PARSE),
        body_json("MixOutput"),
    ],
    feature: NEEDS_MIXING,
    doc: "stream-mixing/start-auto-mix.yaml",
    ..BASE
};

/// `StopAutoMix`.
pub(crate) const STOP: ActionSpec = ActionSpec {
    name: "StopAutoMix",
    params: &[
        body_text("TaskId", code::PARSE),
        body_text("RoomId", code::PARSE),
    ],
    doc: "stream-mixing/stop-auto-mix.yaml",
    ..BASE
};

/// "currently supports up to 3" outputs.
pub const MAX_OUTPUTS: usize = 3;
/// Inputs in all (the room's streams and the extra ones) at the start.
pub const MAX_INPUTS: usize = 9;
/// An auto-mix ends 90 s after its inputs are gone.
pub const IDLE_SECS: i64 = 90;

pub(crate) fn start(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let Some(body) = ctx.body else {
        return Err(refuse(code::PARAM, "the body is missing"));
    };
    let f = Fields::of(body, "", code::PARSE)?;
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    let user_id = ctx.args.str("UserId").unwrap_or_default();
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    check_id("TaskId", task_id)?;
    check_id("UserId", user_id)?;
    check_id("RoomId", room_id)?;
    let sound_level = f.int_in("SoundLevel", 0, 1)? == Some(1);
    let mut extra: Vec<MixInput> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for (i, v) in f.array("ExtraMixInput")?.into_iter().flatten().enumerate() {
        let at = format!("ExtraMixInput[{i}]");
        let e = Fields::of(v, &at, code::PARSE)?;
        let modify = e.int_in("ModifyType", 0, 1)?.unwrap_or(0);
        let (id, url) = (e.string("StreamId")?, e.string("StreamUrl")?);
        e.int_in("Volume", 0, 200)?;
        if sound_level && modify == 0 && e.int("SoundLevelId")?.is_none() {
            return Err(refuse(
                code::PARAM,
                format!("{at}.SoundLevelId is required when SoundLevel is 1"),
            ));
        }
        if modify == 1 {
            // "When ModifyType is 1 (remove), StreamId takes effect."
            let Some(id) = id else {
                return Err(refuse(
                    code::PARAM,
                    format!("{at}: a removal names a StreamId"),
                ));
            };
            removed.push(id.to_string());
            continue;
        }
        match (id, url) {
            (None, None) => {
                return Err(refuse(
                    code::PARAM,
                    format!("{at} needs a StreamId or a StreamUrl"),
                ))
            }
            (_, Some(u)) if !has_scheme(u, &["rtmp", "http", "https"]) => {
                return Err(refuse(
                    code::INPUT_FORMAT,
                    format!("{at}.StreamUrl {u:?} is not an RTMP or HTTP-FLV address"),
                ))
            }
            (Some(s), None) if !is_stream_id(s) => {
                return Err(refuse(
                    code::INPUT_FORMAT,
                    format!("{at}.StreamId {s:?} is not 1 to 256 characters of [0-9A-Za-z_-]"),
                ))
            }
            _ => {}
        }
        extra.push(MixInput {
            stream_id: id.filter(|_| url.is_none()).map(str::to_string),
            stream_url: url.map(str::to_string),
        });
    }
    let outputs_json = f
        .array("MixOutput")?
        .ok_or_else(|| refuse(code::PARSE, "MixOutput must be an array"))?;
    if outputs_json.is_empty() {
        return Err(refuse(code::PARAM, "MixOutput lists no output"));
    }
    if outputs_json.len() > MAX_OUTPUTS {
        return Err(refuse(
            code::TOO_MANY_OUTPUTS,
            format!(
                "MixOutput lists {} outputs; at most {MAX_OUTPUTS}",
                outputs_json.len()
            ),
        ));
    }
    let mut outputs: Vec<MixOutput> = Vec::new();
    for (i, v) in outputs_json.iter().enumerate() {
        let at = format!("MixOutput[{i}]");
        let o = Fields::of(v, &at, code::PARSE)?;
        let (id, url) = endpoint(&o, &at, &["rtmp"], code::OUTPUT_FORMAT)?;
        o.int_in("AudioCodec", 0, 3)?;
        o.int("AudioBitrate")?;
        o.int_in("SoundChannel", 1, 2)?;
        let out = MixOutput {
            stream_id: id.map(str::to_string),
            stream_url: url.map(str::to_string),
            target_room: None,
        };
        if outputs.contains(&out) {
            return Err(refuse(
                code::DUP_OUTPUT,
                format!("{at} repeats an earlier output"),
            ));
        }
        outputs.push(out);
    }
    if let Some(data) = f.string("UserData")? {
        if data.len() > 4000 {
            return Err(refuse(code::PARAM, "UserData is at most 4000 bytes"));
        }
    }
    f.int_in("ByPass", 0, 1)?;
    f.int_in("AlignmentType", 0, 2)?;
    f.int_in("RecvBufferLevel", 0, 4000)?;
    let sequence = f.int("Sequence")?;
    // State.
    let Some(room) = ctx.state.rooms.rooms.get(room_id) else {
        return Err(refuse_state(
            code::TASK_FAILED,
            format!("room {room_id:?} does not exist: auto-mixing needs a room with users"),
        ));
    };
    let room_inputs = room
        .streams
        .iter()
        .filter(|(_, s)| s.source != StreamSource::MixOutput)
        .count();
    let existing = ctx
        .state
        .mixing
        .mix_tasks
        .get(task_id)
        .filter(|t| t.ended_millis.is_none());
    check_sequence(
        ctx.features.mix_sequence_control,
        sequence,
        existing.and_then(|t| t.sequence),
        code::UPDATE_FAILED,
    )?;
    if let Some(t) = existing {
        if t.kind == MixKind::Manual {
            return Err(refuse_state(
                code::PARAM,
                format!("task {task_id:?} is a StartMix task; stop it first"),
            ));
        }
        // Only UserData and SoundLevel change on an update.
        let current = json!({"UserData": f.string("UserData")?, "SoundLevel": sound_level});
        let t = ctx
            .state
            .mixing
            .mix_tasks
            .get_mut(task_id)
            .expect("running");
        t.current = current;
        t.sequence = sequence.or(t.sequence);
        let (user, room, seq, outs) = (
            t.user_id.clone(),
            t.room_id.clone(),
            t.sequence,
            t.outputs.clone(),
        );
        return Ok(Reply::ok(Data::Value(start_data(&user, seq, &room, &outs))));
    }
    if room_inputs + extra.len() > MAX_INPUTS {
        return Err(refuse(
            code::TOO_MANY_INPUTS,
            format!(
                "{} inputs in all; at most {MAX_INPUTS}",
                room_inputs + extra.len()
            ),
        ));
    }
    check_outputs_free(ctx.state, &outputs, &[])?;
    if !prune(&mut ctx.state.mixing.mix_tasks, |t| t.ended_millis) {
        return Err(refuse_state(
            code::TASK_FAILED,
            format!(
                "{} mix tasks are running (the mock's cap)",
                super::MAX_TASKS
            ),
        ));
    }
    let now = ctx.now_millis;
    extra.retain(|i| i.stream_id.as_ref().is_none_or(|s| !removed.contains(s)));
    ctx.state.mixing.running_mixes.add(task_id);
    ctx.state.mixing.mix_tasks.insert(
        task_id.to_string(),
        MixTask {
            kind: MixKind::Auto,
            user_id: user_id.to_string(),
            room_id: room_id.to_string(),
            sequence,
            started_millis: now,
            inputs: extra,
            outputs: outputs.clone(),
            max_idle_secs: IDLE_SECS,
            wait_video_input: false,
            ended_millis: None,
            fixed: json!({}),
            current: json!({"UserData": f.string("UserData")?, "SoundLevel": sound_level}),
        },
    );
    let seq = super::next_mix_seq(ctx.state);
    super::record_mix_start(ctx.state, ctx.app_id, task_id, seq, now);
    switch_outputs(ctx.state, &[], &outputs, now);
    Ok(Reply::ok(Data::Value(start_data(
        user_id, sequence, room_id, &outputs,
    ))))
}

/// Ends an auto-mix task; unknown or ended answers 0; a RoomId other than the task's answers
/// 110200002.
pub(crate) fn stop(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let (sequence, user_id) = match ctx.body {
        Some(b) => {
            let f = Fields::of(b, "", code::PARSE)?;
            (f.int("Sequence")?, f.string("UserId")?.map(str::to_string))
        }
        None => (None, None),
    };
    let Some(task) = ctx
        .state
        .mixing
        .mix_tasks
        .get(task_id)
        .filter(|t| t.ended_millis.is_none() && t.kind == MixKind::Auto)
    else {
        return Ok(Reply::ok(Data::Absent));
    };
    if task.room_id != room_id {
        return Err(refuse(
            code::PARAM,
            format!(
                "task {task_id:?} mixes room {:?}, not {room_id:?}",
                task.room_id
            ),
        ));
    }
    check_sequence(
        ctx.features.mix_sequence_control,
        sequence,
        task.sequence,
        code::PARAM,
    )?;
    if ctx.features.mix_task_ownership && user_id.as_deref() != Some(task.user_id.as_str()) {
        return Err(refuse_state(
            code::NON_OWNER,
            format!("task {task_id:?} belongs to UserId {:?}", task.user_id),
        ));
    }
    let seq = super::next_mix_seq(ctx.state);
    end_mix(ctx.state, ctx.app_id, task_id, seq, ctx.now_millis);
    Ok(Reply::ok(Data::Absent))
}
