//! `StartMix`, `StopMix` (POST) and `GetMixTaskInfo` (GET): start-mix.yaml, stop-mix.yaml,
//! get-mix-task-info.yaml.

use super::{
    body_json, body_text, check_id, check_image, check_outputs_free, check_sequence, code, end_mix,
    endpoint, is_live, prune, refuse, refuse_state, start_data, switch_outputs, Fields, MixInput,
    MixKind, MixOutput, MixTask, BASE, NEEDS_MIXING,
};
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Kind, Method, Param, Quota};
use serde_json::{json, Value};

/// `StartMix`: 100/s (110200190 when throttled); wrong JSON types answer 110200184.
pub(crate) const START: ActionSpec = ActionSpec {
    name: "StartMix",
    params: &[
        body_text("TaskId", code::START_PARSE),
        body_text("UserId", code::START_PARSE),
        body_json("MixInput"),
        body_json("MixOutput"),
    ],
    quotas: &[Quota::per_second(100, 100, code::START_THROTTLED)],
    feature: NEEDS_MIXING,
    doc: "stream-mixing/start-mix.yaml",
    ..BASE
};

/// `StopMix`: 100/s (110200191); wrong JSON types answer 110200004.
pub(crate) const STOP: ActionSpec = ActionSpec {
    name: "StopMix",
    params: &[body_text("TaskId", code::PARSE)],
    quotas: &[Quota::per_second(100, 100, code::STOP_THROTTLED)],
    doc: "stream-mixing/stop-mix.yaml",
    ..BASE
};

/// `GetMixTaskInfo` (GET): its page's only parameter code is 110200004.
pub(crate) const INFO: ActionSpec = ActionSpec {
    name: "GetMixTaskInfo",
    method: Method::Get,
    params: &[Param::new(
        "TaskId",
        Kind::Text { max_bytes: 1024 },
        code::PARSE,
    )],
    doc: "stream-mixing/get-mix-task-info.yaml",
    ..BASE
};

/// The most inputs and outputs of a StartMix.
pub const MAX_INPUTS: usize = 9;
/// "1 Stream Mixing task supports outputting up to 4 video streams".
pub const MAX_OUTPUTS: usize = 4;

fn body<'r>(ctx: &Ctx<'r, '_>, type_code: i64) -> Result<Fields<'r>, Refusal> {
    match ctx.body {
        Some(b) => Fields::of(b, "", type_code),
        None => Err(refuse(code::PARAM, "the body is missing")),
    }
}

/// One input, checked (format 110200155; values 110200002; label 110200179; image 110200141).
fn input(v: &Value, i: usize, sound_level: bool, check_images: bool) -> Result<MixInput, Refusal> {
    let at = format!("MixInput[{i}]");
    let f = Fields::of(v, &at, code::START_PARSE)?;
    let (stream_id, stream_url) =
        endpoint(&f, &at, &["rtmp", "http", "https"], code::INPUT_FORMAT)?;
    if let Some(rect) = f.object("RectInfo")? {
        let r = Fields::of(rect, &at, code::START_PARSE)?;
        for name in ["Layer", "Top", "Left", "Bottom", "Right"] {
            r.int(name)?;
        }
        r.int_in("CornerRadius", 0, 100)?;
    }
    if let Some(blur) = f.object("BlurInfo")? {
        let b = Fields::of(blur, &at, code::START_PARSE)?;
        for name in ["TopPadding", "LeftPadding", "BottomPadding", "RightPadding"] {
            b.int_in(name, 0, i64::MAX)?;
        }
    }
    if let Some(image) = f.object("Image")? {
        let img = Fields::of(image, &at, code::START_PARSE)?;
        if let (Some(url), true) = (img.string("Url")?, check_images) {
            check_image(&format!("{at}.Image.Url"), url)?;
        }
        img.int_in("DisplayMode", 0, 2)?;
    }
    f.int_in("ContentControl", 0, 2)?;
    let level_id = f.int("SoundLevelId")?;
    if sound_level && level_id.is_none() {
        return Err(refuse(
            code::PARAM,
            format!("{at}.SoundLevelId is required when SoundLevel is 1"),
        ));
    }
    f.int_in("Volume", 0, 200)?;
    if let Some(label) = f.object("Label")? {
        let l = Fields::of(label, &at, code::START_PARSE)?;
        let text = l.string("Text")?.unwrap_or_default();
        let cjk = text.chars().filter(|c| !c.is_ascii()).count();
        let other = text.chars().count() - cjk;
        if text.is_empty() || cjk > 100 || cjk * 3 + other > 300 {
            return Err(refuse(
                code::LABEL,
                format!("{at}.Label.Text must be 1 to 100 Chinese or 300 other characters"),
            ));
        }
        if l.int("Left")?.is_none() || l.int("Top")?.is_none() {
            return Err(refuse(
                code::LABEL,
                format!("{at}.Label needs Left and Top"),
            ));
        }
        match l.object("Font")? {
            None => return Err(refuse(code::LABEL, format!("{at}.Label needs Font"))),
            Some(font) => {
                let ft = Fields::of(font, &at, code::START_PARSE)?;
                ft.int_in("FontType", 0, 3)?;
                ft.int_in("FontSize", 12, 100)?;
                ft.int_in("Transparency", 0, 100)?;
            }
        }
    }
    f.int_in("RenderMode", 0, 1)?;
    if let Some(uid) = f.string("UID")? {
        if uid.len() >= 64 {
            return Err(refuse(
                code::PARAM,
                format!("{at}.UID must be under 64 bytes"),
            ));
        }
    }
    Ok(MixInput {
        stream_id: stream_id
            .filter(|_| stream_url.is_none())
            .map(str::to_string),
        stream_url: stream_url.map(str::to_string),
    })
}

/// One output, checked (format 110200156; width 110200161; other values 110200002).
fn output(v: &Value, i: usize) -> Result<MixOutput, Refusal> {
    let at = format!("MixOutput[{i}]");
    let f = Fields::of(v, &at, code::START_PARSE)?;
    let (stream_id, stream_url) = endpoint(&f, &at, &["rtmp"], code::OUTPUT_FORMAT)?;
    match f.int("VideoBitrate")? {
        Some(b) if b > 0 => {}
        _ => {
            return Err(refuse(
                code::PARAM,
                format!("{at}.VideoBitrate is required and greater than 0"),
            ))
        }
    }
    let enc = f.int("VideoEncId")?;
    if !matches!(enc, None | Some(0 | 2 | 3 | 4)) {
        return Err(refuse(
            code::PARAM,
            format!("{at}.VideoEncId is 0, 2, 3 or 4"),
        ));
    }
    f.int("Fps")?;
    if let Some(w) = f.int("Width")? {
        if !(0..=3000).contains(&w) || w % 2 != 0 {
            return Err(refuse(
                code::WIDTH,
                format!("{at}.Width {w} is outside 0 to 3000 or odd"),
            ));
        }
    }
    if let Some(h) = f.int("Height")? {
        if !(0..=3000).contains(&h) || h % 2 != 0 {
            return Err(refuse(
                code::PARAM,
                format!("{at}.Height {h} is outside 0 to 3000 or odd"),
            ));
        }
    }
    f.int_in("AudioCodec", 0, 3)?;
    f.int("AudioBitrate")?;
    f.int_in("SoundChannel", 1, 2)?;
    let layers = f.array("ExtraLayers")?;
    if enc == Some(4) && layers.is_none_or(|l| l.len() != 1) {
        return Err(refuse(
            code::PARAM,
            format!("{at}.ExtraLayers must hold exactly 1 layer with VideoEncId 4"),
        ));
    }
    f.int_in("LowBitrateHD", 0, 1)?;
    let target_room = match f.object("TargetRoom")? {
        None => None,
        Some(t) => {
            let t = Fields::of(t, &at, code::START_PARSE)?;
            match (t.string("RoomId")?, t.string("UserId")?) {
                (Some(room), Some(user)) => {
                    check_id(&format!("{at}.TargetRoom.RoomId"), room)?;
                    check_id(&format!("{at}.TargetRoom.UserId"), user)?;
                    Some((room.to_string(), user.to_string()))
                }
                _ => {
                    return Err(refuse(
                        code::PARAM,
                        format!("{at}.TargetRoom needs a RoomId and a UserId"),
                    ))
                }
            }
        }
    };
    Ok(MixOutput {
        stream_id: stream_id.map(str::to_string),
        stream_url: stream_url.map(str::to_string),
        target_room,
    })
}

/// Whether a string is base64 (the standard alphabet, padded).
fn is_base64(s: &str) -> bool {
    s.len() % 4 == 0
        && s.trim_end_matches('=').len() + 2 >= s.len()
        && s.trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Creates or updates a mix task, in the page's order of checks.
pub(crate) fn start(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let f = body(ctx, code::START_PARSE)?;
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    let user_id = ctx.args.str("UserId").unwrap_or_default();
    // 1. Ids.
    check_id("TaskId", task_id)?;
    check_id("UserId", user_id)?;
    let sound_level = f.int_in("SoundLevel", 0, 1)? == Some(1);
    let check_images = f.int_in("CheckImageMode", 0, 2)?.unwrap_or(0) < 2;
    // 2-4. Inputs.
    let inputs_json = f
        .array("MixInput")?
        .ok_or_else(|| refuse(code::START_PARSE, "MixInput must be an array"))?;
    if inputs_json.is_empty() {
        return Err(refuse(code::PARAM, "MixInput lists no input"));
    }
    if inputs_json.len() > MAX_INPUTS {
        return Err(refuse(
            code::TOO_MANY_INPUTS,
            format!(
                "MixInput lists {} inputs; at most {MAX_INPUTS}",
                inputs_json.len()
            ),
        ));
    }
    let mut inputs = Vec::with_capacity(inputs_json.len());
    for (i, v) in inputs_json.iter().enumerate() {
        let input = input(v, i, sound_level, check_images)?;
        if inputs.contains(&input) {
            return Err(refuse(
                code::DUP_INPUT,
                format!("MixInput[{i}] repeats an earlier input"),
            ));
        }
        inputs.push(input);
    }
    // 5. Outputs.
    let outputs_json = f
        .array("MixOutput")?
        .ok_or_else(|| refuse(code::START_PARSE, "MixOutput must be an array"))?;
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
    let mut outputs: Vec<MixOutput> = Vec::with_capacity(outputs_json.len());
    for (i, v) in outputs_json.iter().enumerate() {
        let o = output(v, i)?;
        let key = (o.stream_url.clone(), o.stream_id.clone());
        if outputs
            .iter()
            .any(|p| (p.stream_url.clone(), p.stream_id.clone()) == key)
        {
            return Err(refuse(
                code::DUP_OUTPUT,
                format!("MixOutput[{i}] repeats an earlier output"),
            ));
        }
        if let Some(id) = &o.stream_id {
            if inputs.iter().any(|inp| inp.stream_id.as_ref() == Some(id)) {
                return Err(refuse(
                    code::SAME_IN_OUT,
                    format!("MixOutput[{i}].StreamId {id:?} is also an input"),
                ));
            }
        }
        outputs.push(o);
    }
    // 6. Top-level values.
    if let Some(data) = f.string("UserData")? {
        if data.len() > 4000 || !is_base64(data) {
            return Err(refuse(
                code::PARAM,
                "UserData must be base64 of at most 4000 bytes",
            ));
        }
    }
    if let Some(hex) = f.string("BackGroundColorHex")? {
        let ok = hex.len() == 10
            && hex.starts_with("0x")
            && hex[2..].bytes().all(|b| b.is_ascii_hexdigit());
        if !ok {
            return Err(refuse(
                code::PARAM,
                format!("BackGroundColorHex {hex:?} is not 0xRRGGBBAA"),
            ));
        }
    }
    if let (Some(url), true) = (f.string("BackgroundImage")?, check_images) {
        check_image("BackgroundImage", url)?;
    }
    if let Some(mark) = f.object("WaterMark")? {
        let m = Fields::of(mark, "WaterMark", code::START_PARSE)?;
        let Some(image) = m.string("Image")? else {
            return Err(refuse(code::WATERMARK_EMPTY, "WaterMark has no Image"));
        };
        if check_images {
            check_image("WaterMark.Image", image)?;
        }
        let full = match m.object("RectInfo")? {
            Some(r) => {
                let r = Fields::of(r, "WaterMark.RectInfo", code::START_PARSE)?;
                ["Top", "Left", "Bottom", "Right"]
                    .iter()
                    .try_fold(true, |all, n| Ok::<_, Refusal>(all && r.int(n)?.is_some()))?
            }
            None => false,
        };
        if !full {
            return Err(refuse(
                code::WATERMARK,
                "WaterMark.RectInfo needs Top, Left, Bottom and Right",
            ));
        }
    }
    f.int_in("ByPass", 0, 1)?;
    f.int_in("SoundChannel", 1, 2).or_else(|e| {
        match ctx.body.and_then(|b| b.get("SoundChannel")) {
            // Clients written from the older page send "1" or "2".
            Some(Value::String(s)) if s == "1" || s == "2" => Ok(None),
            _ => Err(e),
        }
    })?;
    if let Some(items) = f.array("ExPara")? {
        let ok = items.iter().all(|i| {
            i.get("Key").is_some_and(Value::is_string)
                && i.get("Value").is_some_and(Value::is_string)
        });
        if !ok {
            return Err(refuse(
                code::EXPARA,
                "ExPara items are {\"Key\": string, \"Value\": string}",
            ));
        }
    }
    f.int_in("AlignmentType", 0, 2)?;
    f.int_in("RecvBufferLevel", 0, 4000)?;
    let wait_video_input = f.int_in("WaitVideoInput", 0, 1)? == Some(1);
    let max_idle_secs = f.int_in("MaxIdleTime", 90, 14_400)?.unwrap_or(90);
    let room_id = f.string("RoomId")?.unwrap_or_default().to_string();
    if !room_id.is_empty() {
        check_id("RoomId", &room_id)?;
    }
    let sequence = f.int("Sequence")?;
    // 7. Timing control and ownership, when the app has them.
    let existing = ctx
        .state
        .mixing
        .mix_tasks
        .get(task_id)
        .filter(|t| t.ended_millis.is_none());
    if let Some(t) = existing {
        if t.kind == MixKind::Auto {
            return Err(refuse_state(
                code::PARAM,
                format!("task {task_id:?} is an auto-mix task; stop it first"),
            ));
        }
    }
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
    // 8. State: inputs live, target rooms there, outputs not live from elsewhere.
    for i in &inputs {
        if let Some(id) = &i.stream_id {
            if !is_live(ctx.state, id) {
                return Err(refuse_state(
                    code::INPUT_MISSING,
                    format!("input stream {id:?} is not live: publish it first"),
                ));
            }
        }
    }
    for o in &outputs {
        if let Some((room_id, user)) = &o.target_room {
            if !ctx.state.rooms.rooms.contains_key(room_id) {
                if !ctx.features.auto_create_room {
                    return Err(refuse_state(
                        code::TARGET_ROOM,
                        format!("target room {room_id:?} does not exist"),
                    ));
                }
                crate::actions::room::create_room(ctx.state, room_id, user, ctx.now_millis);
            }
        }
    }
    check_outputs_free(ctx.state, &outputs, &mine)?;
    // 9. Execute.
    let now = ctx.now_millis;
    let current = json!({"UserId": user_id, "RoomId": room_id, "UserData": f.string("UserData")?, "SoundLevel": sound_level});
    let old_outputs = match ctx
        .state
        .mixing
        .mix_tasks
        .get_mut(task_id)
        .filter(|t| t.ended_millis.is_none())
    {
        Some(t) => {
            // Fields that cannot change after the start keep their first values.
            let old = std::mem::replace(&mut t.outputs, outputs.clone());
            t.inputs = inputs;
            t.user_id = user_id.to_string();
            t.room_id.clone_from(&room_id);
            t.sequence = sequence.or(t.sequence);
            t.max_idle_secs = max_idle_secs;
            t.current = current;
            old
        }
        None => {
            if !prune(&mut ctx.state.mixing.mix_tasks, |t| t.ended_millis) {
                return Err(refuse_state(
                    code::TASK_FAILED,
                    format!(
                        "{} mix tasks are running (the mock's cap)",
                        super::MAX_TASKS
                    ),
                ));
            }
            let fixed = json!({"ByPass": f.int("ByPass")?, "AlignmentType": f.int("AlignmentType")?, "RecvBufferLevel": f.int("RecvBufferLevel")?, "WaitVideoInput": wait_video_input});
            ctx.state.mixing.running_mixes.add(task_id);
            ctx.state.mixing.mix_tasks.insert(
                task_id.to_string(),
                MixTask {
                    kind: MixKind::Manual,
                    user_id: user_id.to_string(),
                    room_id: room_id.clone(),
                    sequence,
                    started_millis: now,
                    inputs,
                    outputs: outputs.clone(),
                    max_idle_secs,
                    wait_video_input,
                    ended_millis: None,
                    fixed,
                    current,
                },
            );
            let seq = super::next_mix_seq(ctx.state);
            super::record_mix_start(ctx.state, ctx.app_id, task_id, seq, now);
            Vec::new()
        }
    };
    switch_outputs(ctx.state, &old_outputs, &outputs, now);
    Ok(Reply::ok(Data::Value(start_data(
        user_id, sequence, &room_id, &outputs,
    ))))
}

/// Ends a mix task; an unknown or ended one answers 0 (stops are idempotent).
pub(crate) fn stop(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let f = body(ctx, code::PARSE)?;
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    let sequence = f.int("Sequence")?;
    let user_id = f.string("UserId")?;
    let Some(task) = ctx
        .state
        .mixing
        .mix_tasks
        .get(task_id)
        .filter(|t| t.ended_millis.is_none() && t.kind == MixKind::Manual)
    else {
        return Ok(Reply::ok(Data::Absent));
    };
    check_sequence(
        ctx.features.mix_sequence_control,
        sequence,
        task.sequence,
        code::PARAM,
    )?;
    if ctx.features.mix_task_ownership && user_id != Some(task.user_id.as_str()) {
        return Err(refuse_state(
            code::NON_OWNER,
            format!("task {task_id:?} belongs to UserId {:?}", task.user_id),
        ));
    }
    let seq = super::next_mix_seq(ctx.state);
    end_mix(ctx.state, ctx.app_id, task_id, seq, ctx.now_millis);
    Ok(Reply::ok(Data::Absent))
}

/// A running task's duration in whole seconds; 110209001 for an unknown or ended one.
pub(crate) fn info(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let task_id = ctx.args.str("TaskId").unwrap_or_default();
    match ctx
        .state
        .mixing
        .mix_tasks
        .get(task_id)
        .filter(|t| t.ended_millis.is_none())
    {
        Some(t) => {
            let secs = (ctx.now_millis - t.started_millis).div_euclid(1000).max(0);
            Ok(Reply::ok(Data::Value(
                json!({"TaskInfo": {"TaskId": task_id, "MixDuration": secs}}),
            )))
        }
        None => Err(refuse_state(
            code::TASK_MISSING,
            format!("no running mix task {task_id:?} (unknown, stopped, or ended by itself)"),
        )),
    }
}
