//! Media tasks: `MergeMedia` (cdn/merge-media.yaml), `DescribeMediaTask`
//! (cdn/describe-media-task.yaml), `TranscodeMedia` (cdn/start-on-demand-transcoding.yaml) and
//! `MediaThumbnails` (cdn/media-thumbnails.yaml), and their progress on the mock's clock.

use super::files::{transcode_entry, RESOLUTIONS};
use super::MediaFileState;
use super::{
    bad, code, compact, hex32, insert_file, iso, list, live_file, make_room_for_task, match_vendor,
    refuse, short, text, uuid, vendor_param, FileSource, MediaTask, TaskWork, Vendor, BASE,
    MAX_THUMBNAILS, VENDOR,
};
use crate::actions::{Ctx, Data, Reply};
use crate::query::Params;
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Kind, Param};
use crate::state::EnvState;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const INPUT_ITEM: Param = text("InputFileId", 1024);
const OFFSET_ITEM: Param = text("ExtTimeOffsetSet", 32);

/// `MergeMedia` (`HandleMediaArgs.N.*` is read by the handler).
pub(crate) const MERGE: ActionSpec = ActionSpec {
    name: "MergeMedia",
    params: &[
        VENDOR,
        text("Format", 16).optional(),
        Param::new("Type", Kind::Enum(&["0", "1"]), code::PARAM).optional(),
        list("InputFileId", &INPUT_ITEM, 1, 20).optional(),
        text("OutputFileName", 1024).optional(),
        text("ExpireTime", 32).optional(),
    ],
    doc: "cdn/merge-media.yaml",
    ..BASE
};

/// `DescribeMediaTask`.
pub(crate) const DESCRIBE: ActionSpec = ActionSpec {
    name: "DescribeMediaTask",
    params: &[text("TaskId", 1024), VENDOR],
    doc: "cdn/describe-media-task.yaml",
    ..BASE
};

/// `TranscodeMedia`.
pub(crate) const TRANSCODE: ActionSpec = ActionSpec {
    name: "TranscodeMedia",
    params: &[
        VENDOR,
        text("FileId", 1024),
        Param::new("Resolution", Kind::Enum(RESOLUTIONS), code::PARAM),
    ],
    doc: "cdn/start-on-demand-transcoding.yaml",
    ..BASE
};

/// `MediaThumbnails`.
pub(crate) const THUMBNAILS: ActionSpec = ActionSpec {
    name: "MediaThumbnails",
    params: &[
        VENDOR,
        text("FileId", 1024),
        Param::new(
            "Type",
            Kind::Enum(&["SnapshotByTimeOffset", "SampleSnapshot"]),
            code::PARAM,
        ),
        text("Definition", 32).optional(),
        list("ExtTimeOffsetSet", &OFFSET_ITEM, 1, MAX_THUMBNAILS).optional(),
        text("Interval", 32).optional(),
    ],
    doc: "cdn/media-thumbnails.yaml",
    ..BASE
};

/// A non-negative finite number of seconds, as milliseconds.
fn seconds(name: &str, raw: &str) -> Result<i64, Refusal> {
    let v: f64 = raw
        .parse()
        .map_err(|_| bad(format!("{name} {:?} is not a number", short(raw))))?;
    if !v.is_finite() || !(0.0..=1e9).contains(&v) {
        return Err(bad(format!("{name} {v} must be 0 to 1000000000 seconds")));
    }
    // In range: the conversion cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    Ok((v * 1000.0).round() as i64)
}

/// A new task's id: Tencent `{sub}-{kind}-{32 hex}tt0`, Huawei a decimal counter.
fn task_id(
    state: &mut EnvState,
    app_id: u32,
    vendor: Vendor,
    kind: &str,
    now_millis: i64,
) -> String {
    let seed = super::next_seed(state, app_id, now_millis, kind);
    match vendor {
        Vendor::Huawei => (100_000_000 + state.media_files.media_counters.tasks).to_string(),
        _ => format!(
            "{}-{kind}-{}tt0",
            state.media_files.media_config.sub_app_id(app_id),
            hex32(&seed)
        ),
    }
}

/// Stores a new task (the store keeps at most `MAX_ITEMS`, ended ones dropped first).
fn create(
    state: &mut EnvState,
    task_id: String,
    vendor: Vendor,
    event: &str,
    work: TaskWork,
    now_millis: i64,
) {
    make_room_for_task(state);
    let timing = state.media_files.media_config.media_task_timing;
    state.media_files.running_media_tasks.add(&task_id);
    state.media_files.media_tasks.insert(
        task_id.clone(),
        MediaTask {
            task_id,
            vendor,
            event: event.to_string(),
            work,
            created_millis: now_millis,
            queue_secs: timing.queue_secs,
            process_secs: timing.process_secs,
            ended_millis: None,
            fail: None,
            result_file_id: String::new(),
            result_url: String::new(),
            thumbnails: Vec::new(),
        },
    );
}

/// `HandleMediaArgs.N.{FileId,StartTime,EndTime}`, N from 0 to 9 without gaps.
fn handle_args(query: &Params) -> Result<Vec<(String, i64, Option<i64>)>, Refusal> {
    type Item = (Option<String>, Option<String>, Option<String>);
    let mut items: BTreeMap<usize, Item> = BTreeMap::new();
    for (name, value) in query.pairs() {
        let Some(rest) = name.strip_prefix("HandleMediaArgs.") else {
            continue;
        };
        let (n, field) = rest.split_once('.').unwrap_or((rest, ""));
        let n: usize = n
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| n.parse().ok())
            .flatten()
            .filter(|n| *n <= 9 && !rest.is_empty())
            .ok_or_else(|| bad(format!("{}: N must be 0 to 9", short(name))))?;
        let e = items.entry(n).or_default();
        let slot = match field {
            "FileId" => &mut e.0,
            "StartTime" => &mut e.1,
            "EndTime" => &mut e.2,
            _ => {
                return Err(bad(format!(
                    "{:?} is not HandleMediaArgs.N.FileId, .StartTime or .EndTime",
                    short(name)
                )))
            }
        };
        if slot.is_none() {
            *slot = Some(value.to_string());
        }
    }
    if items.is_empty() {
        return Err(bad(
            "Type 1 needs HandleMediaArgs.0.FileId (and .StartTime, .EndTime)",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, (n, (file, start, end))) in items.into_iter().enumerate() {
        if n != i {
            return Err(bad(format!(
                "HandleMediaArgs.N must start at 0 and increase continuously: HandleMediaArgs.{i} is missing"
            )));
        }
        let file = file
            .filter(|f| !f.is_empty())
            .ok_or_else(|| bad(format!("HandleMediaArgs.{n}.FileId is missing or empty")))?;
        let start = match start.filter(|s| !s.is_empty()) {
            Some(s) => seconds(&format!("HandleMediaArgs.{n}.StartTime"), &s)?,
            None => 0,
        };
        let end = match end.filter(|s| !s.is_empty()) {
            Some(s) => Some(seconds(&format!("HandleMediaArgs.{n}.EndTime"), &s)?),
            None => None,
        };
        if end.is_some_and(|e| e <= start) {
            return Err(bad(format!(
                "HandleMediaArgs.{n}.EndTime must be greater than its StartTime"
            )));
        }
        out.push((file, start, end));
    }
    Ok(out)
}

/// `MergeMedia`: a compose task whose merged file appears when it finishes.
pub(crate) fn merge(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(ctx.args.str("Vendor"), &[Vendor::Tencent, Vendor::Huawei])?;
    let formats: &[&str] = match vendor {
        Vendor::Huawei => &["mp4", "m3u8"],
        _ => &["mp3", "mp4", "m3u8"],
    };
    let format = ctx.args.str("Format").unwrap_or("mp4").to_ascii_lowercase();
    if !formats.contains(&format.as_str()) {
        return Err(bad(format!(
            "Format {:?} is not one of {} for {}",
            short(&format),
            formats.join(", "),
            vendor.as_str()
        )));
    }
    // Type 1 "is invalid when Vendor is Huawei": merged as Type 0.
    let crop = ctx.args.str("Type") == Some("1") && vendor == Vendor::Tencent;
    let inputs: Vec<(String, i64, Option<i64>)> = if crop {
        handle_args(ctx.query)?
    } else {
        let ids: Vec<&str> = ctx.args.each("InputFileId").collect();
        if ids.is_empty() {
            return Err(bad(
                "Type 0 needs InputFileId[]: the files to merge, in order",
            ));
        }
        if vendor == Vendor::Tencent && ids.len() > 10 {
            return Err(bad(format!(
                "Tencent merges at most 10 files; got {}",
                ids.len()
            )));
        }
        ids.into_iter()
            .map(|id| (id.to_string(), 0, None))
            .collect()
    };
    let output_name = match ctx.args.str("OutputFileName") {
        Some(name) => {
            // "excluding the file format", but the classic example has one: it is stripped.
            let suffix = format!(".{format}");
            let stem = if name.len() > suffix.len()
                && name.is_char_boundary(name.len() - suffix.len())
                && name[name.len() - suffix.len()..].eq_ignore_ascii_case(&suffix)
            {
                &name[..name.len() - suffix.len()]
            } else {
                name
            };
            Some(stem.to_string())
        }
        None if vendor == Vendor::Tencent => {
            return Err(bad("OutputFileName is required when Vendor is Tencent"))
        }
        None => None,
    };
    let expire_hours = match (vendor, ctx.args.str("ExpireTime")) {
        (Vendor::Tencent, Some(raw)) => {
            let h: i64 = raw
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| raw.parse().ok())
                .flatten()
                .filter(|h| *h <= i64::from(i32::MAX))
                .ok_or_else(|| {
                    bad(format!(
                        "ExpireTime {:?} is not a number of hours (0 or more)",
                        short(raw)
                    ))
                })?;
            h
        }
        _ => 0,
    };
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    for (id, _, _) in &inputs {
        let ok = live_file(ctx.state, vendor, id)
            .is_some_and(|f| matches!(f.format.as_str(), "mp3" | "mp4" | "m3u8"));
        if !ok {
            return Err(refuse(
                code::NO_FILE,
                format!(
                    "{} has no {} file {:?} in mp3, mp4 or m3u8 (check the file format and file ID)",
                    "the app",
                    vendor.as_str(),
                    short(id)
                ),
            ));
        }
    }
    let expire_secs = (expire_hours > 0).then(|| {
        ctx.now_secs()
            .saturating_add(expire_hours.saturating_mul(3600))
    });
    let id = task_id(ctx.state, ctx.app_id, vendor, "EditMedia", ctx.now_millis);
    create(
        ctx.state,
        id.clone(),
        vendor,
        "compose",
        TaskWork::Compose {
            inputs,
            format,
            output_name,
            expire_secs,
        },
        ctx.now_millis,
    );
    let rid = format!("{id}|{}", ctx.now_millis);
    let body = match vendor {
        Vendor::Huawei => json!({"TaskId": id, "RequestId": hex32(&rid)}),
        _ => json!({"TaskId": id, "RequestId": uuid(&rid)}),
    };
    Ok(Reply::ok(Data::Value(json!({ vendor.as_str(): body }))))
}

/// `DescribeMediaTask`: a task's status on the mock's clock.
pub(crate) fn describe(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(ctx.args.str("Vendor"), &[Vendor::Tencent, Vendor::Huawei])?;
    let id = ctx.args.str("TaskId").unwrap_or_default();
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    let task = ctx
        .state
        .media_files
        .media_tasks
        .get(id)
        .filter(|t| t.vendor == vendor);
    let now = ctx.now_millis;
    if vendor == Vendor::Huawei {
        // "Huawei Cloud only supports querying thumbnail tasks."
        let body = match task.filter(|t| matches!(t.work, TaskWork::Snapshot { .. })) {
            Some(t) => json!({
                "TaskId": t.task_id,
                "Status": t.status(now),
                "CreateTime": compact(t.created_millis),
                "EndTime": t.ended_millis.map(compact).unwrap_or_default(),
                "FileName": t.thumbnails,
            }),
            None => {
                json!({"TaskId": id, "Status": "NO_TASK", "CreateTime": "", "EndTime": "", "FileName": []})
            }
        };
        return Ok(Reply::ok(Data::Value(json!({ "Huawei": body }))));
    }
    let Some(t) = task else {
        return Err(refuse(
            code::FAILED,
            format!("no Tencent media task {:?} (TaskIds come from MergeMedia, TranscodeMedia and MediaThumbnails)", short(id)),
        ));
    };
    let body = json!({
        "TaskId": t.task_id,
        "Event": t.event,
        "Status": t.status(now),
        "FileId": t.result_file_id,
        "ReplayUrl": t.result_url,
        "RequestId": uuid(&format!("{}|describe|{now}", t.task_id)),
        "Message": t.fail.as_ref().map(|f| f.message.clone()).unwrap_or_default(),
        "ThumbnailsUrl": t.thumbnails,
    });
    Ok(Reply::ok(Data::Value(json!({ "Tencent": body }))))
}

/// `TranscodeMedia`: a transcode task; when it finishes, the file gains the resolution.
pub(crate) fn transcode(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(ctx.args.str("Vendor"), &[Vendor::Tencent])?;
    let file_id = ctx.args.str("FileId").unwrap_or_default();
    let resolution = ctx.args.str("Resolution").unwrap_or_default();
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    if live_file(ctx.state, vendor, file_id).is_none() {
        // "if an incorrect FileId is passed in, the Code in the response parameter will be 1000"
        return Err(refuse(
            code::FAILED,
            format!("no Tencent file {:?}", short(file_id)),
        ));
    }
    let id = task_id(ctx.state, ctx.app_id, vendor, "procedurev2", ctx.now_millis);
    create(
        ctx.state,
        id.clone(),
        vendor,
        "transcode",
        TaskWork::Transcode {
            file_id: file_id.to_string(),
            resolution: resolution.to_string(),
        },
        ctx.now_millis,
    );
    let rid = uuid(&format!("{id}|{}", ctx.now_millis));
    Ok(Reply::ok(Data::Value(
        json!({"Tencent": {"TaskId": id, "RequestId": rid}}),
    )))
}

/// `MediaThumbnails`: a screenshot task; when it finishes, its pictures are listed.
pub(crate) fn thumbnails(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(ctx.args.str("Vendor"), &[Vendor::Tencent, Vendor::Huawei])?;
    let file_id = ctx.args.str("FileId").unwrap_or_default();
    let snapshot_type = ctx.args.str("Type").unwrap_or_default();
    // Definition: "only valid and required when Vendor is Tencent"; Interval: the same for
    // Huawei. Each is ignored for the other vendor.
    let definition = match (vendor, ctx.args.str("Definition")) {
        (Vendor::Tencent, None) => {
            return Err(bad("Definition is required when Vendor is Tencent"))
        }
        (Vendor::Tencent, Some(raw)) => Some(
            raw.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| raw.parse::<u64>().ok())
                .flatten()
                .ok_or_else(|| {
                    bad(format!(
                        "Definition {:?} is not a template ID (a whole number)",
                        short(raw)
                    ))
                })?,
        ),
        _ => None,
    };
    let interval_millis = match (vendor, ctx.args.str("Interval")) {
        (Vendor::Huawei, None) => return Err(bad("Interval is required when Vendor is Huawei")),
        (Vendor::Huawei, Some(raw)) => {
            let ms = seconds("Interval", raw)?;
            if ms <= 0 {
                return Err(bad("Interval must be more than 0 seconds"));
            }
            ms
        }
        _ => {
            let def = definition.map(|d| d.to_string()).unwrap_or_default();
            ctx.state
                .media_files
                .media_config
                .snapshot_templates
                .get(&def)
                .copied()
                .unwrap_or(10)
                .saturating_mul(1000)
        }
    };
    let mut offsets = Vec::new();
    if snapshot_type == "SnapshotByTimeOffset" {
        for raw in ctx.args.each("ExtTimeOffsetSet") {
            offsets.push(seconds("ExtTimeOffsetSet", raw)?);
        }
        if offsets.is_empty() {
            return Err(bad(
                "ExtTimeOffsetSet[] is required when Type is SnapshotByTimeOffset",
            ));
        }
    }
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    if live_file(ctx.state, vendor, file_id).is_none() {
        return Err(refuse(
            code::FAILED,
            format!("no {} file {:?}", vendor.as_str(), short(file_id)),
        ));
    }
    let id = task_id(ctx.state, ctx.app_id, vendor, "procedurev2", ctx.now_millis);
    create(
        ctx.state,
        id.clone(),
        vendor,
        snapshot_type,
        TaskWork::Snapshot {
            file_id: file_id.to_string(),
            snapshot_type: snapshot_type.to_string(),
            definition,
            offsets_millis: offsets,
            interval_millis,
        },
        ctx.now_millis,
    );
    let body = match vendor {
        Vendor::Huawei => json!({"Huawei": {"task_id": id}}),
        _ => {
            json!({"Tencent": {"TaskId": id, "RequestId": uuid(&format!("{id}|{}", ctx.now_millis))}})
        }
    };
    Ok(Reply::ok(Data::Value(body)))
}

/// Finishes the tasks due by `now`, in order: their files, transcodes and thumbnails appear
/// at the boundary.
#[inline]
pub(crate) fn tick(state: &mut EnvState, app_id: u32, now_millis: i64) {
    // The usual case, before and after every request: no media task runs.
    if state.media_files.running_media_tasks.is_idle() {
        return;
    }
    tick_running(state, app_id, now_millis);
}

/// [`tick`] when something may be due.
#[inline(never)]
fn tick_running(state: &mut EnvState, app_id: u32, now_millis: i64) {
    let MediaFileState {
        media_tasks,
        running_media_tasks,
        ..
    } = &mut state.media_files;
    let ids = running_media_tasks.running(media_tasks, |t| t.ended_millis.is_none());
    let mut due: Vec<(i64, String)> = Vec::new();
    for id in ids {
        match media_tasks.get(&id).filter(|t| t.ended_millis.is_none()) {
            None => running_media_tasks.remove(&id),
            Some(t) if t.due_millis() <= now_millis => {
                due.push((t.due_millis(), t.task_id.clone()))
            }
            Some(_) => {}
        }
    }
    if due.is_empty() {
        return;
    }
    due.sort();
    for (at, id) in due {
        finish(state, app_id, &id, at);
    }
}

/// A number of milliseconds as seconds, without a fraction when whole.
fn secs_text(millis: i64) -> String {
    if millis % 1000 == 0 {
        (millis / 1000).to_string()
    } else {
        format!("{}", millis as f64 / 1000.0)
    }
}

/// One task finishes at `at`.
fn finish(state: &mut EnvState, app_id: u32, task_id: &str, at: i64) {
    let Some(task) = state.media_files.media_tasks.get(task_id).cloned() else {
        return;
    };
    let cfg = state.media_files.media_config.clone();
    let sub = cfg.sub_app_id(app_id);
    let mut done = task.clone();
    done.ended_millis = Some(at);
    match &task.work {
        TaskWork::Compose {
            inputs,
            format,
            output_name,
            expire_secs,
        } => {
            let duration: i64 = inputs
                .iter()
                .map(|(id, start, end)| {
                    let d = state
                        .media_files
                        .media_files
                        .get(id)
                        .map_or(0, |f| f.duration_millis);
                    let e = end.unwrap_or(d).min(d);
                    (e - (*start).min(d)).max(0)
                })
                .sum();
            // A file whose retention ended before the task finished is never created.
            if expire_secs.is_none_or(|e| at.div_euclid(1000) <= e) {
                let huawei_key = (task.vendor == Vendor::Huawei).then(|| {
                    format!(
                        "record/{}/merge/{}.{format}",
                        cfg.cdn_app_name,
                        output_name.clone().unwrap_or_else(|| task.task_id.clone())
                    )
                });
                let huawei_key =
                    huawei_key.filter(|k| !state.media_files.media_files.contains_key(k));
                let is_huawei = task.vendor == Vendor::Huawei;
                let key = if is_huawei {
                    Some(huawei_key.unwrap_or_else(|| {
                        format!(
                            "record/{}/merge/{}.{format}",
                            cfg.cdn_app_name, task.task_id
                        )
                    }))
                } else {
                    None
                };
                let mut file = super::record::new_file(
                    state,
                    app_id,
                    task.vendor,
                    "",
                    format,
                    at.saturating_sub(duration),
                    at,
                    key,
                );
                file.stream_id = None;
                file.source = FileSource::Merge;
                if task.vendor == Vendor::Tencent {
                    let stem = output_name.clone().unwrap_or_else(|| task.task_id.clone());
                    file.name = format!("{stem}.{format}");
                    file.replay_url =
                        format!("http://{}/{sub}/{}/{}", cfg.vod_domain, file.id, file.name);
                }
                if let Some(e) = expire_secs {
                    file.expire = iso(e.saturating_mul(1000));
                }
                done.result_file_id = file.id.clone();
                done.result_url = file.replay_url.clone();
                insert_file(state, file);
            }
        }
        TaskWork::Transcode {
            file_id,
            resolution,
        } => match state
            .media_files
            .media_files
            .get_mut(file_id)
            .filter(|f| f.is_live())
        {
            Some(f) => {
                f.transcodes.insert(resolution.clone(), at);
                f.update_millis = at;
                let entry = transcode_entry(f, resolution, &cfg, sub);
                done.result_file_id = file_id.clone();
                done.result_url = entry["Url"].as_str().unwrap_or_default().to_string();
            }
            None => {
                done.fail = Some(super::TaskFailure {
                    code: "60000".into(),
                    message: "Source file error: the file was deleted".into(),
                });
            }
        },
        TaskWork::Snapshot {
            file_id,
            snapshot_type,
            definition,
            offsets_millis,
            interval_millis,
        } => match state
            .media_files
            .media_files
            .get(file_id)
            .filter(|f| f.is_live())
        {
            Some(f) => {
                let duration = f.duration_millis;
                let offsets: Vec<i64> = if snapshot_type == "SnapshotByTimeOffset" {
                    offsets_millis
                        .iter()
                        .copied()
                        .filter(|o| *o < duration)
                        .collect()
                } else {
                    let step = (*interval_millis).max(1);
                    (0..)
                        .map(|k: i64| k.saturating_mul(step))
                        .take_while(|o| *o < duration)
                        .take(MAX_THUMBNAILS)
                        .collect()
                };
                let def = definition.unwrap_or(0);
                done.thumbnails = offsets
                    .iter()
                    .enumerate()
                    .map(|(k, o)| match (task.vendor, snapshot_type.as_str()) {
                        (Vendor::Huawei, _) => {
                            let dir = f.id.rsplit_once('/').map_or("", |(d, _)| d);
                            format!("{dir}/{}.jpg", secs_text(*o))
                        }
                        (_, "SnapshotByTimeOffset") => format!(
                            "http://{}/{sub}/{}/snapshotByTimeOffset/snapshotByTimeOffset_{def}_{o}.jpg",
                            cfg.vod_domain, f.id
                        ),
                        _ => format!(
                            "http://{}/{sub}/{}/sampleSnapshot/sampleSnapshot_{def}_{k}.jpg",
                            cfg.vod_domain, f.id
                        ),
                    })
                    .collect();
                done.result_file_id = file_id.clone();
            }
            None => {
                done.fail = Some(super::TaskFailure {
                    code: "60000".into(),
                    message: "Source file error: the file was deleted".into(),
                });
            }
        },
    }
    state
        .media_files
        .media_tasks
        .insert(task_id.to_string(), done.clone());
    report(state, app_id, &done, at);
}

/// procedure's `extra_params`: `{"media":{"transcode":[…]}}` as a JSON string, with the output's
/// code, message, URL, size, duration, video and audio (the page's example shape).
fn procedure_extra(state: &EnvState, app_id: u32, file_id: &str, resolution: &str) -> String {
    let cfg = &state.media_files.media_config;
    let Some(file) = state.media_files.media_files.get(file_id) else {
        return String::new();
    };
    let e = transcode_entry(file, resolution, cfg, cfg.sub_app_id(app_id));
    let video = &e["VideoStreamSet"][0];
    let audio = &e["AudioStreamSet"][0];
    json!({"media": {"transcode": [{
        "code": "0",
        "message": "SUCCESS",
        "replay_url": e["Url"],
        "size": e["Size"],
        "duration": e["Duration"],
        "video": {"bitrate": video["Bitrate"], "codec": video["Codec"], "fps": video["Fps"],
                  "height": video["Height"], "width": video["Width"]},
        "audio": {"bitrate": audio["Bitrate"], "codec": audio["Codec"], "sampling_rate": audio["SamplingRate"]},
    }]}})
    .to_string()
}

/// Records the completion event of an ended task (`compose`, `procedure` or `snapshot`).
pub(crate) fn report(state: &mut EnvState, app_id: u32, task: &MediaTask, at: i64) {
    let failed = task.fail.as_ref();
    let (event, data): (&'static str, Value) = match &task.work {
        TaskWork::Compose { .. } => {
            let mut data = json!({
                "task_id": task.task_id,
                "replay_url": task.result_url,
                "code": failed.map_or("0".to_string(), |f| f.code.clone()),
                "message": failed.map_or(String::new(), |f| f.message.clone()),
            });
            // "Only returned when the CDN vendor is Tencent Cloud."
            if task.vendor == Vendor::Tencent {
                data["file_id"] = json!(task.result_file_id);
            }
            ("compose", data)
        }
        TaskWork::Transcode {
            file_id,
            resolution,
        } => {
            // "FAILED: Transcoding failed, extra_params will be empty."
            let extra = match failed {
                Some(_) => String::new(),
                None => procedure_extra(state, app_id, file_id, resolution),
            };
            (
                "procedure",
                json!({
                    "task_id": task.task_id,
                    "status": if failed.is_some() { "FAILED" } else { "SUCCESS" },
                    "file_id": file_id,
                    "replay_url": task.result_url,
                    "extra_params": extra,
                }),
            )
        }
        TaskWork::Snapshot {
            file_id,
            snapshot_type,
            offsets_millis,
            ..
        } => {
            let tencent = task.vendor == Vendor::Tencent;
            let pics: Vec<Value> = task
                .thumbnails
                .iter()
                .enumerate()
                .map(|(k, url)| {
                    if tencent && snapshot_type == "SnapshotByTimeOffset" {
                        json!({"url": url, "offset": offsets_millis.get(k).copied().unwrap_or(0)})
                    } else {
                        json!({"url": url})
                    }
                })
                .collect();
            ("snapshot", {
                let mut data = json!({
                    "task_id": task.task_id,
                    "vendor": if tencent { "tencent" } else { "hw" },
                    "snapshot_pic_list": Value::Array(pics).to_string(),
                    "failed": failed.is_some(),
                });
                // "This field is only available when the CDN vendor is Tencent Cloud."
                if tencent {
                    data["field_id"] = json!(file_id);
                }
                data
            })
        }
    };
    state.event(at, event, data);
}
