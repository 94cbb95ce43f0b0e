//! CDN recording: `StartCDNRecord` (cdn/start-cdn-record.yaml) and `StopCDNRecord`
//! (cdn/stop-cdn-record.yaml), and the recordings' segments on the mock's clock.

use super::{
    bad, hex32, insert_file, list, match_vendor, refuse, secs_f64, text, uuid, vendor_param,
    FileSource, MediaFile, Recording, Vendor, BASE, MAX_ITEMS, VENDOR,
};
use crate::actions::mixing::is_live;
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Param};
use crate::state::EnvState;
use serde_json::{json, Value};

/// The vendors the recording pages accept (Aliyun from the Chinese pages).
const VENDORS: &[Vendor] = &[Vendor::Tencent, Vendor::Ws, Vendor::Huawei, Vendor::Aliyun];

/// One StreamId: 1 to 256 bytes (the platform's StreamId limit); the character set is not
/// enforced.
const STREAM_ITEM: Param = text("StreamId", 256);

/// `StreamId[]` (or a repeated `StreamId`): at least one.
const STREAM_IDS: Param = list("StreamId", &STREAM_ITEM, 1, MAX_ITEMS);

/// `StartCDNRecord`.
pub(crate) const START: ActionSpec = ActionSpec {
    name: "StartCDNRecord",
    params: &[
        STREAM_IDS,
        VENDOR,
        text("EndTime", 32).optional(),
        text("Domain", 1024).optional(),
        text("Point", 1024).optional(),
    ],
    doc: "cdn/start-cdn-record.yaml",
    ..BASE
};

/// `StopCDNRecord`.
pub(crate) const STOP: ActionSpec = ActionSpec {
    name: "StopCDNRecord",
    params: &[
        STREAM_IDS,
        VENDOR,
        text("Domain", 1024).optional(),
        text("Point", 1024).optional(),
    ],
    doc: "cdn/stop-cdn-record.yaml",
    ..BASE
};

/// The StreamIds of the request, duplicates collapsed, in order.
fn stream_ids<'a>(ctx: &Ctx<'a, '_>) -> Vec<&'a str> {
    let mut ids: Vec<&str> = Vec::new();
    for id in ctx.args.each("StreamId") {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A Tencent `EndTime`: a Unix time after now and at most 24 hours ahead, in milliseconds.
fn end_time(raw: &str, now_secs: i64) -> Result<i64, Refusal> {
    let t: i64 = raw
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| raw.parse().ok())
        .flatten()
        .ok_or_else(|| {
            bad(format!(
                "EndTime {:?} is not a Unix time in seconds",
                super::short(raw)
            ))
        })?;
    if t <= now_secs || t > now_secs + 86_400 {
        return Err(bad(format!(
            "EndTime {t} must be after now ({now_secs}) and at most 24 hours ahead"
        )));
    }
    Ok(t * 1000)
}

/// Whether a stream has a recording that has not stopped.
fn active(state: &EnvState, stream_id: &str) -> bool {
    state
        .media_files
        .recordings
        .get(stream_id)
        .is_some_and(|r| r.stopped_millis.is_none())
}

/// Makes room for `n` new recordings by dropping stopped ones, oldest first; `false` when the
/// store would still be over its cap.
fn make_room(state: &mut EnvState, n: usize) -> bool {
    let recs = &mut state.media_files.recordings;
    while recs.len() + n > MAX_ITEMS {
        let oldest = recs
            .iter()
            .filter_map(|(id, r)| r.stopped_millis.map(|at| (at, id.clone())))
            .min();
        match oldest {
            Some((_, id)) => {
                recs.remove(&id);
            }
            None => return false,
        }
    }
    true
}

/// Starts recording a stream (a stopped recording is replaced); its segment opens at the next
/// tick if the stream is live. Returns the TaskId.
#[allow(clippy::too_many_arguments)]
fn start_recording(
    state: &mut EnvState,
    app_id: u32,
    env_tag: &str,
    stream_id: &str,
    vendor: Vendor,
    end_millis: Option<i64>,
    now_millis: i64,
    implicit: bool,
) -> String {
    if let Some(r) = state
        .media_files
        .recordings
        .get(stream_id)
        .filter(|r| r.stopped_millis.is_none())
    {
        return r.task_id.clone();
    }
    let seed = super::next_seed(state, app_id, now_millis, &format!("{env_tag}|{stream_id}"));
    let mut bytes = hex::decode(hex32(&seed)).unwrap_or_default();
    bytes.extend(hex::decode(hex32(&format!("{seed}|2"))).unwrap_or_default());
    bytes.extend(hex::decode(hex32(&format!("{seed}|3"))).unwrap_or_default());
    let task_id = super::base64url(&bytes);
    let cfg = &state.media_files.media_config;
    let rec = Recording {
        task_id: task_id.clone(),
        vendor,
        formats: cfg.record_formats.clone(),
        interval_secs: cfg.record_interval_secs,
        started_millis: now_millis,
        end_millis,
        stopped_millis: None,
        implicit,
        open_segments: Default::default(),
        files: Vec::new(),
    };
    state.media_files.open_recordings.add(stream_id);
    state
        .media_files
        .recordings
        .insert(stream_id.to_string(), rec);
    task_id
}

/// `call_time`: `YYYY-MM-DD HH:MM:SS` in UTC+8.
fn call_time(now_millis: i64) -> String {
    let s = crate::utc::format(now_millis.div_euclid(1000).saturating_add(8 * 3600));
    s.replace('T', " ").replace('Z', "")
}

/// A Ws `persistentId`: 36 hex characters.
fn persistent_id(seed: &str) -> String {
    let mut h = hex32(seed);
    h.push_str(&hex32(&format!("{seed}|p"))[..4]);
    h
}

/// `StartCDNRecord`: a recording task per StreamId (an active one is kept, same TaskId).
pub(crate) fn start(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(ctx.args.str("Vendor"), VENDORS)?;
    // EndTime "only takes effect when Vendor is Tencent": ignored for the others.
    let end_millis = match (vendor, ctx.args.str("EndTime")) {
        (Vendor::Tencent, Some(raw)) => Some(end_time(raw, ctx.now_secs())?),
        _ => None,
    };
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    let ids = stream_ids(ctx);
    let new = ids.iter().filter(|id| !active(ctx.state, id)).count();
    if !make_room(ctx.state, new) {
        return Err(refuse(
            super::code::FAILED,
            format!("the mock keeps at most {MAX_ITEMS} recordings per app and environment, and all are active; stop some first"),
        ));
    }
    let env_tag = ctx.env.as_str();
    let mut items = Vec::with_capacity(ids.len());
    let mut ws = Vec::new();
    for id in &ids {
        let task_id = start_recording(
            ctx.state,
            ctx.app_id,
            env_tag,
            id,
            vendor,
            end_millis,
            ctx.now_millis,
            false,
        );
        let rid = format!("{task_id}|{}", ctx.now_millis);
        match vendor {
            Vendor::Tencent => items.push(json!({"StreamName": id, "TaskId": task_id, "RequestId": uuid(&rid), "Code": "", "Message": ""})),
            Vendor::Huawei => items.push(json!({"StreamName": id, "RequestId": hex32(&rid), "Code": 0, "Message": "success"})),
            Vendor::Aliyun => items.push(json!({"StreamName": id, "RequestId": uuid(&rid).to_uppercase(), "Code": 200, "Message": ""})),
            Vendor::Ws => {
                let formats = ctx
                    .state
                    .media_files
                    .recordings
                    .get(*id)
                    .map(|r| r.formats.clone())
                    .unwrap_or_default();
                for f in formats {
                    ws.push(json!({"task": f, "id": id, "http_code": 200, "msg": "success", "persistentId": persistent_id(&format!("{task_id}|{f}"))}));
                }
            }
        }
    }
    Ok(Reply::ok(Data::Value(answer(ctx, vendor, items, ws))))
}

/// `Data`: only the vendor's key.
fn answer(ctx: &Ctx<'_, '_>, vendor: Vendor, items: Vec<Value>, ws: Vec<Value>) -> Value {
    let body = match vendor {
        Vendor::Ws => json!({
            "msg": null,
            "http_code": 200,
            "trace_id": uuid(&format!("{}|{}|trace", ctx.app_id, ctx.now_millis)),
            "call_time": call_time(ctx.now_millis),
            "list": ws,
        }),
        _ => Value::Array(items),
    };
    json!({ vendor.as_str(): body })
}

/// `StopCDNRecord`: each StreamId's recording stops, its open segment becoming files; a StreamId
/// without a recording still gets a success item.
pub(crate) fn stop(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(ctx.args.str("Vendor"), VENDORS)?;
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    let ids = stream_ids(ctx);
    let mut items = Vec::with_capacity(ids.len());
    let mut ws = Vec::new();
    for id in &ids {
        let closed = stop_recording(ctx.state, ctx.app_id, id, ctx.now_millis);
        let rid = format!("{id}|stop|{}", ctx.now_millis);
        match vendor {
            Vendor::Tencent => items.push(json!({"StreamName": id, "RequestId": uuid(&rid), "Code": "", "Message": ""})),
            Vendor::Huawei => items.push(json!({"StreamName": id, "RequestId": hex32(&rid), "Code": 0, "Message": "success"})),
            Vendor::Aliyun => items.push(json!({"StreamName": id, "RequestId": uuid(&rid).to_uppercase(), "Code": 200, "Message": ""})),
            Vendor::Ws => {
                let formats = match ctx.state.media_files.recordings.get(*id) {
                    Some(r) => r.formats.clone(),
                    None => ctx.state.media_files.media_config.record_formats.clone(),
                };
                for f in formats {
                    let pid = closed
                        .iter()
                        .find(|(fmt, _)| *fmt == f)
                        .map(|(_, file)| file.clone())
                        .unwrap_or_default();
                    ws.push(json!({"task": f, "id": id, "http_code": 200, "msg": "success", "persistentId": pid}));
                }
            }
        }
    }
    Ok(Reply::ok(Data::Value(answer(ctx, vendor, items, ws))))
}

/// Stops a stream's active recording at `now`: its open segments close into files. Returns
/// the (format, file id) of each file made.
fn stop_recording(
    state: &mut EnvState,
    app_id: u32,
    stream_id: &str,
    now_millis: i64,
) -> Vec<(String, String)> {
    let Some(rec) = state
        .media_files
        .recordings
        .get_mut(stream_id)
        .filter(|r| r.stopped_millis.is_none())
    else {
        return Vec::new();
    };
    rec.stopped_millis = Some(now_millis);
    let open = std::mem::take(&mut rec.open_segments);
    let segments: Vec<(String, i64, i64)> =
        open.into_iter().map(|(f, b)| (f, b, now_millis)).collect();
    close_segments(state, app_id, stream_id, segments)
}

/// Turns closed segments into files (a zero-length one makes none) and records a `record`
/// event per file.
fn close_segments(
    state: &mut EnvState,
    app_id: u32,
    stream_id: &str,
    segments: Vec<(String, i64, i64)>,
) -> Vec<(String, String)> {
    let mut made = Vec::new();
    for (format, begin, end) in segments {
        if end <= begin {
            continue;
        }
        let Some(rec) = state.media_files.recordings.get(stream_id) else {
            continue;
        };
        let (vendor, task_id) = (rec.vendor, rec.task_id.clone());
        let file = new_file(state, app_id, vendor, stream_id, &format, begin, end, None);
        let extra = match vendor {
            Vendor::Tencent => {
                json!({"TaskId": task_id, "FileID": file.id, "Duration": secs_f64(file.duration_millis)})
            }
            Vendor::Ws => {
                json!({"PersistentId": file.id, "Duration": secs_f64(file.duration_millis)})
            }
            Vendor::Huawei | Vendor::Aliyun => {
                json!({"Duration": secs_f64(file.duration_millis), "ObsObject": file.id, "FileSize": file.size})
            }
        };
        state.event(
            end,
            "record",
            json!({
                "stream_alias": stream_id,
                "replay_url": file.replay_url,
                "begin_time": begin.div_euclid(1000).to_string(),
                "end_time": end.div_euclid(1000).to_string(),
                "vendor": vendor.as_str(),
                "extra_params": extra.to_string(),
            }),
        );
        if let Some(rec) = state.media_files.recordings.get_mut(stream_id) {
            rec.files.push(file.id.clone());
            if rec.files.len() > 100 {
                rec.files.remove(0);
            }
        }
        made.push((format, file.id.clone()));
        insert_file(state, file);
    }
    made
}

/// A new file of a stream's recording (or a seed), with an id in the vendor's shape (unique in
/// the app's environment), not yet stored.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_file(
    state: &mut EnvState,
    app_id: u32,
    vendor: Vendor,
    stream_id: &str,
    format: &str,
    begin_millis: i64,
    end_millis: i64,
    id: Option<String>,
) -> MediaFile {
    let counters = &mut state.media_files.media_counters;
    counters.files = counters.files.wrapping_add(1);
    let n = counters.files % 1_000_000_000_000_000_000;
    let cfg = &state.media_files.media_config;
    let app = &cfg.cdn_app_name;
    let id = id.unwrap_or_else(|| {
        let base = match vendor {
            Vendor::Tencent => {
                return (3_270_835_010_000_000_000_u64 + n % 1_000_000_000_000_000).to_string()
            }
            Vendor::Ws => format!("{app}-{stream_id}--{}", super::compact(begin_millis)),
            Vendor::Huawei | Vendor::Aliyun => format!(
                "record/{app}/command_record/{stream_id}/{}",
                super::dashed(begin_millis)
            ),
        };
        let mut key = format!("{base}.{format}");
        let mut k = 1;
        while state.media_files.media_files.contains_key(&key) {
            key = format!("{base}_{k}.{format}");
            k += 1;
        }
        key
    });
    let cfg = &state.media_files.media_config;
    let name = match vendor {
        Vendor::Tencent => format!("{}.{format}", begin_millis.div_euclid(1000)),
        _ => id.rsplit('/').next().unwrap_or_default().to_string(),
    };
    let replay_url = match vendor {
        Vendor::Tencent => format!(
            "http://{}/{}/{id}/{name}",
            cfg.vod_domain,
            cfg.sub_app_id(app_id)
        ),
        _ => format!("http://{}/{id}", cfg.vod_domain),
    };
    let duration = end_millis.saturating_sub(begin_millis).max(0);
    MediaFile {
        id,
        vendor,
        name,
        format: format.to_string(),
        stream_id: Some(stream_id.to_string()),
        source: FileSource::Record,
        begin_millis,
        end_millis,
        duration_millis: duration,
        size: super::size_for(duration),
        create_millis: end_millis,
        update_millis: end_millis,
        expire: "9999-12-31T23:59:59Z".into(),
        replay_url,
        transcodes: Default::default(),
        deleted_millis: None,
    }
}

/// When a stream that is not live stopped, as seen at `now`: its close time (`now` itself when
/// it closed within the current second, so a stop at `t` closes at `t` exactly).
fn closed_at(state: &EnvState, stream_id: &str, now_millis: i64) -> i64 {
    match state
        .media
        .streams
        .get(stream_id)
        .and_then(|s| s.close_secs)
    {
        Some(c) if c < now_millis.div_euclid(1000) => c.saturating_mul(1000),
        _ => now_millis,
    }
}

/// Materialises the recordings up to `now`: implicit recordings of live streams (with
/// `record_all_streams`), interval splits, segments closed by a stop or an `EndTime`, and
/// segments opened for live streams.
#[inline]
pub(crate) fn tick(state: &mut EnvState, app_id: u32, now_millis: i64) {
    let files = &state.media_files;
    // The usual case, before and after every request: nothing records, nothing to start.
    if files.open_recordings.is_idle() && !files.media_config.record_all_streams {
        return;
    }
    tick_running(state, app_id, now_millis);
}

/// [`tick`] when something may be due.
#[inline(never)]
fn tick_running(state: &mut EnvState, app_id: u32, now_millis: i64) {
    if state.media_files.media_config.record_all_streams {
        if let Some(vendor) = state.media_files.media_config.cdn_vendor {
            let live: Vec<String> = state
                .media
                .streams
                .iter()
                .filter(|(id, s)| s.is_live() && !active(state, id))
                .map(|(id, _)| id.clone())
                .collect();
            for id in live {
                if make_room(state, 1) {
                    start_recording(state, app_id, "all", &id, vendor, None, now_millis, true);
                }
            }
        }
    }
    let files = &mut state.media_files;
    let ids = files
        .open_recordings
        .running(&files.recordings, |r| r.stopped_millis.is_none());
    for id in ids {
        let open = |state: &EnvState| {
            state
                .media_files
                .recordings
                .get(&id)
                .is_some_and(|r| r.stopped_millis.is_none())
        };
        if open(state) {
            advance(state, app_id, &id, now_millis);
        }
        if !open(state) {
            state.media_files.open_recordings.remove(&id);
        }
    }
}

/// One active recording up to `now`.
fn advance(state: &mut EnvState, app_id: u32, stream_id: &str, now_millis: i64) {
    let live = is_live(state, stream_id);
    let closed = closed_at(state, stream_id, now_millis);
    let Some(rec) = state.media_files.recordings.get_mut(stream_id) else {
        return;
    };
    let horizon = rec.end_millis.map_or(now_millis, |e| e.min(now_millis));
    let live_until = if live { horizon } else { closed.min(horizon) };
    let step = rec.interval_secs.max(1).saturating_mul(1000);
    let mut segments = Vec::new();
    for (format, begin) in rec.open_segments.iter_mut() {
        if format == "m3u8" || live_until <= *begin {
            continue;
        }
        let n = (live_until - *begin) / step;
        // A clock moved far ahead: only the last MAX_ITEMS splits could be kept anyway.
        let skip = (n - i64::try_from(MAX_ITEMS).unwrap_or(i64::MAX)).max(0);
        *begin = begin.saturating_add(skip.saturating_mul(step));
        for _ in skip..n {
            segments.push((format.clone(), *begin, *begin + step));
            *begin += step;
        }
    }
    let ended_by_time = rec.end_millis.is_some_and(|e| e <= now_millis);
    if !live || ended_by_time {
        for (format, begin) in std::mem::take(&mut rec.open_segments) {
            segments.push((format, begin, live_until.max(begin)));
        }
    }
    if ended_by_time {
        rec.stopped_millis = rec.end_millis;
    } else if live && rec.open_segments.is_empty() {
        let at = now_millis.max(rec.started_millis);
        rec.open_segments = rec.formats.iter().map(|f| (f.clone(), at)).collect();
    }
    segments.sort_by_key(|(_, b, e)| (*e, *b));
    close_segments(state, app_id, stream_id, segments);
}
