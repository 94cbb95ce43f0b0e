//! `StartCloudTranscode` and `StopCloudTranscode` (POST): start-cloud-transcode.yaml,
//! stop-cloud-transcode.yaml. Transcode tasks have their own TaskId namespace; every body
//! failure answers 110200002.

use super::{
    body_json, body_text, check_id, check_outputs_free, check_sequence, code, endpoint, is_live,
    prune, refuse, refuse_state, switch_outputs, Fields, MixInput, MixOutput, TranscodeTask, BASE,
    NEEDS_MIXING,
};
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::Refusal;
use crate::spec::ActionSpec;
use crate::state::EnvState;
use serde_json::{json, Value};

/// `StartCloudTranscode`.
pub(crate) const START: ActionSpec = ActionSpec {
    name: "StartCloudTranscode",
    params: &[
        body_text("TaskId", code::PARAM),
        body_text("UserId", code::PARAM),
        body_json("TranscodeInput"),
        body_json("TranscodeOutput"),
    ],
    feature: NEEDS_MIXING,
    doc: "stream-mixing/start-cloud-transcode.yaml",
    ..BASE
};

/// `StopCloudTranscode`.
pub(crate) const STOP: ActionSpec = ActionSpec {
    name: "StopCloudTranscode",
    params: &[
        body_text("TaskId", code::PARAM),
        body_text("UserId", code::PARAM),
    ],
    doc: "stream-mixing/stop-cloud-transcode.yaml",
    ..BASE
};

pub(crate) fn start(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let Some(body) = ctx.body else {
        return Err(refuse(code::PARAM, "the body is missing"));
    };
    let f = Fields::of(body, "", code::PARAM)?;
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    let user_id = ctx.args.str("UserId").unwrap_or_default();
    check_id("TaskId", task_id)?;
    check_id("UserId", user_id)?;
    let sequence = f.int("Sequence")?;
    let input_obj = f
        .object("TranscodeInput")?
        .ok_or_else(|| refuse(code::PARAM, "TranscodeInput must be an object"))?;
    let i = Fields::of(input_obj, "TranscodeInput", code::PARAM)?;
    let (id, url) = endpoint(&i, "TranscodeInput", &["rtmp"], code::PARAM)?;
    let input = MixInput {
        stream_id: id.filter(|_| url.is_none()).map(str::to_string),
        stream_url: url.map(str::to_string),
    };
    let (input_id, input_url) = (input.stream_id.clone(), input.stream_url.clone());
    let outputs_json = f
        .array("TranscodeOutput")?
        .ok_or_else(|| refuse(code::PARAM, "TranscodeOutput must be an array"))?;
    if outputs_json.is_empty() {
        return Err(refuse(code::PARAM, "TranscodeOutput lists no output"));
    }
    let mut outputs: Vec<MixOutput> = Vec::new();
    let mut details: Vec<Value> = Vec::new();
    let mut fps: Option<i64> = None;
    for (n, v) in outputs_json.iter().enumerate() {
        let at = format!("TranscodeOutput[{n}]");
        let o = Fields::of(v, &at, code::PARAM)?;
        let (id, url) = endpoint(&o, &at, &["rtmp"], code::PARAM)?;
        let template = o
            .int_in("TemplateId", 0, 4)?
            .ok_or_else(|| refuse(code::PARAM, format!("{at}.TemplateId is required (0 to 4)")))?;
        details.push(output_details(
            id,
            url,
            template,
            o.object("TemplateConfig")?,
        ));
        match o.object("TemplateConfig")? {
            None if template == 4 => {
                return Err(refuse(
                    code::PARAM,
                    format!("{at}: TemplateId 4 needs a TemplateConfig"),
                ))
            }
            None => {}
            Some(c) => {
                let c = Fields::of(c, &at, code::PARAM)?;
                c.int_in("VideoEncId", 0, 2)?;
                let f = c.int_in("Fps", 0, i64::MAX)?.unwrap_or(0);
                if f != 0 {
                    if fps.is_some_and(|prev| prev != f) {
                        return Err(refuse(
                            code::PARAM,
                            "the outputs' frame rates must be the same",
                        ));
                    }
                    fps = Some(f);
                }
                c.int_in("GOP", 1, i64::MAX)?;
                c.int_in("ShortEdgeAdaption", 0, 1)?;
                for name in ["Height", "Width"] {
                    if let Some(x) = c.int_in(name, 0, 3000)? {
                        if x % 2 != 0 {
                            return Err(refuse(
                                code::PARAM,
                                format!("{at}.TemplateConfig.{name} {x} is odd"),
                            ));
                        }
                    }
                }
                c.int_in("VideoBitrate", 0, i64::MAX)?;
                c.int_in("LowBitrateHD", 0, 1)?;
            }
        }
        outputs.push(MixOutput {
            stream_id: id.map(str::to_string),
            stream_url: url.map(str::to_string),
            target_room: None,
        });
    }
    if let Some(id) = &input.stream_id {
        if !is_live(ctx.state, id) {
            return Err(refuse_state(
                code::INPUT_MISSING,
                format!("input stream {id:?} is not live: publish it first"),
            ));
        }
    }
    let existing = ctx
        .state
        .mixing
        .transcode_tasks
        .get(task_id)
        .filter(|t| t.ended_millis.is_none());
    check_sequence(
        ctx.features.mix_sequence_control,
        sequence,
        existing.and_then(|t| t.sequence),
        code::UPDATE_FAILED,
    )?;
    if ctx.features.mix_task_ownership {
        if let Some(t) = existing.filter(|t| t.user_id != user_id) {
            return Err(refuse_state(
                code::OWNERSHIP,
                format!("task {task_id:?} belongs to UserId {:?}", t.user_id),
            ));
        }
    }
    let mine: Vec<MixOutput> = existing.map(|t| t.outputs.clone()).unwrap_or_default();
    check_outputs_free(ctx.state, &outputs, &mine)?;
    let now = ctx.now_millis;
    let updated = existing.is_some();
    let old = match ctx
        .state
        .mixing
        .transcode_tasks
        .get_mut(task_id)
        .filter(|t| t.ended_millis.is_none())
    {
        Some(t) => {
            t.sequence = sequence.or(t.sequence);
            t.input = input;
            std::mem::replace(&mut t.outputs, outputs.clone())
        }
        None => {
            if !prune(&mut ctx.state.mixing.transcode_tasks, |t| t.ended_millis) {
                return Err(refuse_state(
                    code::TASK_FAILED,
                    format!(
                        "{} transcode tasks are running (the mock's cap)",
                        super::MAX_TASKS
                    ),
                ));
            }
            ctx.state.mixing.transcode_tasks.insert(
                task_id.to_string(),
                TranscodeTask {
                    user_id: user_id.to_string(),
                    sequence,
                    started_millis: now,
                    input,
                    outputs: outputs.clone(),
                    ended_millis: None,
                },
            );
            Vec::new()
        }
    };
    switch_outputs(ctx.state, &old, &outputs, now);
    let status = if updated {
        "TranscodeUpdated"
    } else {
        "TranscodeStarted"
    };
    let input_details = match (&input_url, &input_id) {
        (Some(url), _) => json!({ "StreamUrl": url }),
        (None, Some(id)) => json!({ "StreamId": id }),
        (None, None) => json!({}),
    };
    ctx.state.event(
        now,
        "transcode_start",
        json!({"TaskId": task_id, "UserId": user_id, "Sequence": sequence.unwrap_or(0), "Status": status,
               "Details": {"Input": input_details, "Outputs": details}}),
    );
    Ok(Reply::ok(Data::Absent))
}

/// Ends a transcode task; unknown or ended answers 0.
pub(crate) fn stop(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let sequence = match ctx.body {
        Some(b) => Fields::of(b, "", code::PARAM)?.int("Sequence")?,
        None => None,
    };
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    let user_id = ctx.args.str("UserId").unwrap_or_default();
    let now = ctx.now_millis;
    let Some(task) = ctx
        .state
        .mixing
        .transcode_tasks
        .get_mut(task_id)
        .filter(|t| t.ended_millis.is_none())
    else {
        return Ok(Reply::ok(Data::Absent));
    };
    check_sequence(
        ctx.features.mix_sequence_control,
        sequence,
        task.sequence,
        code::PARAM,
    )?;
    if ctx.features.mix_task_ownership && task.user_id != user_id {
        return Err(refuse_state(
            code::NON_OWNER,
            format!("task {task_id:?} belongs to UserId {:?}", task.user_id),
        ));
    }
    task.ended_millis = Some(now);
    let outputs = task.outputs.clone();
    switch_outputs(ctx.state, &outputs, &[], now);
    // The table's "TranscodeStopped", not the example's "TranscodeStarted"; 0: stopped by the
    // user.
    ctx.state.event(
        now,
        "transcode_stop",
        json!({"TaskId": task_id, "UserId": user_id, "Sequence": sequence.unwrap_or(0), "Status": "TranscodeStopped", "StopReason": 0}),
    );
    Ok(Reply::ok(Data::Absent))
}

/// Ends a running transcode task as failed (the control plane's "task exception"): its outputs
/// close and `transcode_stop` is recorded with `StopReason` 1, "Task exception, automatically
/// terminated". `false` when there is no such running task.
pub(crate) fn fail(state: &mut EnvState, task_id: &str, now_millis: i64) -> bool {
    let Some(task) = state
        .mixing
        .transcode_tasks
        .get_mut(task_id)
        .filter(|t| t.ended_millis.is_none())
    else {
        return false;
    };
    task.ended_millis = Some(now_millis);
    let (outputs, user_id, sequence) = (
        task.outputs.clone(),
        task.user_id.clone(),
        task.sequence.unwrap_or(0),
    );
    switch_outputs(state, &outputs, &[], now_millis);
    state.event(
        now_millis,
        "transcode_stop",
        json!({"TaskId": task_id, "UserId": user_id, "Sequence": sequence, "Status": "TranscodeStopped", "StopReason": 1}),
    );
    true
}

/// transcode_start's `Details.Outputs` entry of one output: the StreamUrl or StreamId given
/// (the URL when both), and the encoding: TemplateId 4 the TemplateConfig with the defaults
/// VideoEncId 0, Fps 0, ShortEdgeAdaption 0, VideoBitrate 0, GOP 2, Width and Height 0; the
/// presets 0 to 3 H.265 (VideoEncId 1) with short-edge adaption, Width the short edge (360, 540,
/// 720, 1080), Height 0, and their bitrates.
fn output_details(
    id: Option<&str>,
    url: Option<&str>,
    template: i64,
    config: Option<&Value>,
) -> Value {
    let mut d = serde_json::Map::new();
    match (url, id) {
        (Some(url), _) => {
            d.insert("StreamUrl".into(), url.into());
        }
        (None, Some(id)) => {
            d.insert("StreamId".into(), id.into());
        }
        (None, None) => {}
    }
    let preset = match template {
        0 => Some((360, 600_000)),
        1 => Some((540, 1_000_000)),
        2 => Some((720, 1_500_000)),
        3 => Some((1080, 2_000_000)),
        _ => None,
    };
    let int = |name: &str, default: i64| {
        config
            .and_then(|c| c.get(name))
            .and_then(Value::as_i64)
            .unwrap_or(default)
    };
    let fields: [(&str, i64); 7] = match preset {
        Some((edge, bitrate)) => [
            ("VideoEncId", 1),
            ("VideoBitrate", bitrate),
            ("ShortEdgeAdaption", 1),
            ("Fps", 0),
            ("Width", edge),
            ("Height", 0),
            ("GOP", 2),
        ],
        None => [
            ("VideoEncId", int("VideoEncId", 0)),
            ("VideoBitrate", int("VideoBitrate", 0)),
            ("ShortEdgeAdaption", int("ShortEdgeAdaption", 0)),
            ("Fps", int("Fps", 0)),
            ("Width", int("Width", 0)),
            ("Height", int("Height", 0)),
            ("GOP", int("GOP", 2)),
        ],
    };
    for (k, v) in fields {
        d.insert(k.into(), v.into());
    }
    Value::Object(d)
}
