//! Media files: `SearchMedia` (cdn/search-media.yaml) and `DeleteMedia` (cdn/delete-media.yaml).

use super::{
    bad, hex32, iso, iso_millis, list, match_vendor, secs_f64, short, text, uuid, vendor_param,
    FileSource, MediaConfig, MediaFile, Vendor, BASE, VENDOR,
};
use crate::actions::{Ctx, Data, Reply};
use crate::query::Params;
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Kind, Param};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// One id of a list: the vendor-specific length limits are the handler's.
const ID_ITEM: Param = text("FileId", 1024);
const STREAM_ITEM: Param = text("StreamId", 1024);

/// `SearchMedia`. The Tencent-only and Ws/Huawei-only parameters are checked for their
/// vendors only (for the other vendor they are ignored).
pub(crate) const SEARCH: ActionSpec = ActionSpec {
    name: "SearchMedia",
    params: &[
        VENDOR,
        text("NamePrefix", 20).optional(),
        text("StartTime", 64).optional(),
        text("EndTime", 64).optional(),
        text("PageSize", 64).optional(),
        text("PageNumber", 64).optional(),
        list("FileId", &ID_ITEM, 1, 1000).optional(),
        list("StreamId", &STREAM_ITEM, 1, 1000).optional(),
        text("Marker", 1024).optional(),
        text("MaxKeys", 64).optional(),
    ],
    doc: "cdn/search-media.yaml",
    ..BASE
};

/// `DeleteMedia` (`Media.N.FileId` / `Media.N.Resolution.M` are read by the handler).
pub(crate) const DELETE: ActionSpec = ActionSpec {
    name: "DeleteMedia",
    params: &[
        VENDOR,
        list("FileId", &ID_ITEM, 1, 100).optional(),
        Param::new("ClearCache", Kind::Bool, super::code::PARAM).optional(),
    ],
    doc: "cdn/delete-media.yaml",
    ..BASE
};

/// The resolutions of on-demand transcoding.
pub(crate) const RESOLUTIONS: &[&str] = &["360p", "540p", "720p"];

/// An optional integer parameter within `min..=max` (decimal digits).
fn int(ctx: &Ctx<'_, '_>, name: &str, min: i64, max: i64) -> Result<Option<i64>, Refusal> {
    let Some(raw) = ctx.args.str(name) else {
        return Ok(None);
    };
    let n: Option<i64> = raw
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| raw.parse().ok())
        .flatten();
    match n {
        Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
        Some(n) => Err(bad(format!("{name} {n} is outside {min} to {max}"))),
        None => Err(bad(format!("{name} {:?} is not an integer", short(raw)))),
    }
}

/// The Tencent `TranscodeSet` entry of a transcode to `resolution`.
pub(crate) fn transcode_entry(
    file: &MediaFile,
    resolution: &str,
    cfg: &MediaConfig,
    sub: u64,
) -> Value {
    let (definition, width, height, video) = match resolution {
        "360p" => (100_010, 640, 360, 400_000),
        "540p" => (100_020, 960, 540, 1_000_000),
        _ => (100_030, 1280, 720, 1_800_000),
    };
    let bitrate: i64 = video + 48_000;
    let url = format!(
        "http://{}/{sub}/{}/v.f{definition}.mp4",
        cfg.vod_domain, file.id
    );
    json!({
        "Url": url,
        "Definition": definition,
        "Bitrate": bitrate,
        "Height": height,
        "Width": width,
        "Size": file.duration_millis.max(0).saturating_mul(bitrate) / 8000,
        "Duration": secs_f64(file.duration_millis),
        "Md5": hex32(&url),
        "Container": "mov,mp4,m4a,3gp,3g2,mj2",
        "VideoStreamSet": [{"Bitrate": video, "Height": height, "Width": width, "Codec": "h264", "Fps": 25, "CodecTag": "", "DynamicRangeInfo": {"Type": "SDR", "HDRType": ""}}],
        "AudioStreamSet": [{"Bitrate": 48_000, "SamplingRate": 44_100, "Codec": "aac"}],
        "DigitalWatermarkType": "None",
        "CopyRightWatermarkText": "",
    })
}

/// Whether a format is audio only.
fn audio_only(format: &str) -> bool {
    matches!(format, "mp3" | "aac")
}

/// A Tencent `MediaInfoSet` item.
fn tencent_item(file: &MediaFile, cfg: &MediaConfig, sub: u64) -> Value {
    let video = if audio_only(&file.format) {
        json!([])
    } else {
        json!([{"Bitrate": 530_000, "Height": 360, "Width": 640, "Codec": "h264", "Fps": 15, "CodecTag": "", "DynamicRangeInfo": {"Type": "SDR", "HDRType": ""}}])
    };
    let original = json!({
        "Url": file.replay_url,
        "Definition": 0,
        "Bitrate": 576_000,
        "Height": if audio_only(&file.format) { 0 } else { 360 },
        "Width": if audio_only(&file.format) { 0 } else { 640 },
        "Size": file.size,
        "Duration": secs_f64(file.duration_millis),
        "Md5": "",
        "Container": "mov,mp4,m4a,3gp,3g2,mj2",
        "VideoStreamSet": video,
        "AudioStreamSet": [{"Bitrate": 46_000, "SamplingRate": 44_100, "Codec": "aac"}],
        "DigitalWatermarkType": "None",
        "CopyRightWatermarkText": "",
    });
    let mut set = vec![original];
    set.extend(
        file.transcodes
            .keys()
            .map(|r| transcode_entry(file, r, cfg, sub)),
    );
    json!({
        "BasicInfo": {
            "Name": file.name,
            "Description": "",
            "CreateTime": iso(file.create_millis),
            "UpdateTime": iso(file.update_millis),
            "ExpireTime": file.expire,
            "ClassId": 0,
            "ClassName": "其他",
            "ClassPath": "其他",
            "CoverUrl": "",
            "Type": file.format,
            "IntranetMediaUrl": file.replay_url,
            "MediaUrl": file.replay_url,
            "SourceInfo": {"SourceType": match file.source { FileSource::Record => "Record", FileSource::Merge => "VideoProcessing" }, "SourceContext": ""},
            "StorageRegion": "ap-guangzhou",
            "Vid": file.id,
            "Category": if audio_only(&file.format) { "Audio" } else { "Video" },
            "Status": "Normal",
            "StorageClass": "STANDARD",
        },
        "TranscodeInfo": {"TranscodeSet": set},
        "FileId": file.id,
    })
}

/// `SearchMedia`: Tencent pages by creation time (newest first); Ws and Huawei list keys in
/// order after `Marker`.
pub(crate) fn search(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(
        ctx.args.str("Vendor"),
        &[Vendor::Tencent, Vendor::Ws, Vendor::Huawei],
    )?;
    let prefix = ctx.args.str("NamePrefix").unwrap_or_default();
    if vendor == Vendor::Tencent {
        let start = int(ctx, "StartTime", 0, i64::MAX)?;
        let end = int(ctx, "EndTime", 0, i64::MAX)?;
        let size = int(ctx, "PageSize", 1, 5000)?.unwrap_or(10);
        let page = int(ctx, "PageNumber", 0, 4999)?.unwrap_or(0);
        if page.saturating_mul(size).saturating_add(size) > 5000 {
            return Err(bad(format!(
                "PageNumber * PageSize + PageSize must not exceed 5000; got {page} * {size} + {size}"
            )));
        }
        let file_ids: Vec<&str> = ctx.args.each("FileId").collect();
        let streams: Vec<&str> = ctx.args.each("StreamId").collect();
        for (name, items) in [("FileId", &file_ids), ("StreamId", &streams)] {
            if items.len() > 10 {
                return Err(bad(format!(
                    "{name}[] lists at most 10 values; got {}",
                    items.len()
                )));
            }
        }
        if let Some(id) = file_ids.iter().find(|id| id.chars().count() > 40) {
            return Err(bad(format!("FileId {:?} is over 40 characters", short(id))));
        }
        match_vendor(ctx.state, ctx.app_id, vendor)?;
        let mut matches: Vec<&MediaFile> = ctx
            .state
            .media_files
            .media_files
            .values()
            .filter(|f| f.is_live() && f.vendor == vendor && f.name.starts_with(prefix))
            .filter(|f| {
                let secs = f.create_millis.div_euclid(1000);
                start.is_none_or(|s| secs >= s) && end.is_none_or(|e| secs <= e)
            })
            .filter(|f| file_ids.is_empty() || file_ids.contains(&f.id.as_str()))
            .filter(|f| {
                streams.is_empty() || f.stream_id.as_deref().is_some_and(|s| streams.contains(&s))
            })
            .collect();
        matches.sort_by(|a, b| b.create_millis.cmp(&a.create_millis).then(a.id.cmp(&b.id)));
        let cfg = &ctx.state.media_files.media_config;
        let sub = cfg.sub_app_id(ctx.app_id);
        let offset = usize::try_from(page * size).unwrap_or(usize::MAX);
        let set: Vec<Value> = matches
            .iter()
            .skip(offset)
            .take(usize::try_from(size).unwrap_or(10))
            .map(|f| tencent_item(f, cfg, sub))
            .collect();
        let total = matches.len().min(5000);
        let rid = uuid(&format!(
            "{}|search|{}|{}",
            ctx.app_id, ctx.now_millis, total
        ));
        return Ok(Reply::ok(Data::Value(json!({
            "Tencent": {"TotalCount": total, "MediaInfoSet": set, "RequestId": rid}
        }))));
    }
    let max_keys = int(ctx, "MaxKeys", 1, 1000)?.unwrap_or(1000);
    let marker = ctx.args.str("Marker");
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    // Keys are the map's order: ascending.
    let mut keys = ctx
        .state
        .media_files
        .media_files
        .values()
        .filter(|f| f.is_live() && f.vendor == vendor && f.id.starts_with(prefix))
        .filter(|f| marker.is_none_or(|m| f.id.as_str() > m));
    let max = usize::try_from(max_keys).unwrap_or(1000);
    let page: Vec<&MediaFile> = keys.by_ref().take(max).collect();
    let more = keys.next().is_some();
    let next = if more {
        page.last().map(|f| f.id.clone()).unwrap_or_default()
    } else {
        String::new()
    };
    let items: Vec<Value> = page
        .iter()
        .map(|f| {
            let etag = hex32(&f.id);
            let (etag, modified) = match vendor {
                Vendor::Huawei => (format!("\"{etag}\""), iso_millis(f.end_millis)),
                _ => (etag, iso(f.end_millis)),
            };
            json!({"ETag": etag, "Key": f.id, "LastModified": modified, "Size": f.size, "MediaUrl": f.replay_url})
        })
        .collect();
    Ok(Reply::ok(Data::Value(json!({
        vendor.as_str(): {"Keys": items, "NextMarker": next}
    }))))
}

/// `Media.N.FileId` and `Media.N.Resolution.M`, in N order: (FileId, resolutions).
fn media_items(query: &Params) -> Result<Vec<(String, Vec<String>)>, Refusal> {
    let mut items: BTreeMap<usize, (Option<String>, BTreeMap<usize, String>)> = BTreeMap::new();
    for (name, value) in query.pairs() {
        let Some(rest) = name.strip_prefix("Media.") else {
            continue;
        };
        let mut parts = rest.split('.');
        let index = |s: Option<&str>, max: usize, what: &str| -> Result<usize, Refusal> {
            s.filter(|s| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse().ok())
                .filter(|n| *n <= max)
                .ok_or_else(|| bad(format!("{name}: {what} must be 0 to {max}")))
        };
        let n = index(parts.next(), 99, "N")?;
        let entry = items.entry(n).or_default();
        match (parts.next(), parts.next(), parts.next()) {
            (Some("FileId"), None, None) => {
                if entry.0.is_none() {
                    entry.0 = Some(value.to_string());
                }
            }
            (Some("Resolution"), m, None) => {
                let m = index(m, 2, "M")?;
                entry.1.entry(m).or_insert_with(|| value.to_string());
            }
            _ => {
                return Err(bad(format!(
                    "{:?} is not Media.N.FileId or Media.N.Resolution.M",
                    short(name)
                )))
            }
        }
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, (n, (file_id, resolutions))) in items.into_iter().enumerate() {
        if n != i {
            return Err(bad(format!(
                "Media.N must start at 0 and increase continuously: Media.{i} is missing"
            )));
        }
        let file_id = file_id
            .filter(|f| !f.is_empty())
            .ok_or_else(|| bad(format!("Media.{n}.FileId is missing or empty")))?;
        let mut list: Vec<String> = Vec::new();
        for (j, (m, r)) in resolutions.into_iter().enumerate() {
            if m != j {
                return Err(bad(format!(
                    "Media.{n}.Resolution.M must start at 0 and increase continuously: Media.{n}.Resolution.{j} is missing"
                )));
            }
            if !RESOLUTIONS.contains(&r.as_str()) {
                return Err(bad(format!(
                    "Media.{n}.Resolution.{m} {:?} is not 360p, 540p or 720p",
                    short(&r)
                )));
            }
            if list.contains(&r) {
                return Err(bad(format!("Media.{n}.Resolution lists {r} twice")));
            }
            list.push(r);
        }
        out.push((file_id, list));
    }
    Ok(out)
}

/// `DeleteMedia`: each file in order is deleted (or, with `Media.N.Resolution.M`, only those
/// transcodes), or reported in `Errors` with "41003" when it does not exist.
pub(crate) fn delete(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let vendor = vendor_param(
        ctx.args.str("Vendor"),
        &[Vendor::Tencent, Vendor::Ws, Vendor::Huawei],
    )?;
    let ids: Vec<&str> = ctx.args.each("FileId").collect();
    let has_media = ctx.query.pairs().any(|(n, _)| n.starts_with("Media."));
    let targets: Vec<(String, Vec<String>)> = match (ids.is_empty(), has_media) {
        (false, true) => {
            return Err(bad(
                "FileId and Media are mutually exclusive: use only one of them",
            ))
        }
        (true, false) => {
            return Err(bad(
                "give the files to delete as FileId[] or Media.N.FileId",
            ))
        }
        (false, false) => ids.iter().map(|id| (id.to_string(), Vec::new())).collect(),
        (true, true) => {
            let items = media_items(ctx.query)?;
            if items.len() > 100 {
                return Err(bad("Media lists at most 100 files"));
            }
            if vendor != Vendor::Tencent {
                return Err(bad(
                    "Media takes effect only when Vendor is Tencent; use FileId[]",
                ));
            }
            items
        }
    };
    let clear_cache = ctx.args.bool("ClearCache").unwrap_or(false);
    match_vendor(ctx.state, ctx.app_id, vendor)?;
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    for (id, resolutions) in targets {
        let file = ctx
            .state
            .media_files
            .media_files
            .get_mut(&id)
            .filter(|f| f.is_live() && f.vendor == vendor);
        match file {
            Some(f) => {
                if resolutions.is_empty() {
                    f.deleted_millis = Some(ctx.now_millis);
                } else {
                    for r in &resolutions {
                        f.transcodes.remove(r);
                    }
                }
                f.update_millis = ctx.now_millis;
                deleted.push(Value::String(id));
            }
            None => errors.push(json!({
                "Code": "41003",
                "Message": "File does not exist.",
                "Key": id,
                "RequestId": uuid(&format!("{}|delete|{}|{id}", ctx.app_id, ctx.now_millis)),
            })),
        }
    }
    let mut data = json!({"Deleted": deleted, "Errors": errors});
    if vendor == Vendor::Ws {
        data["WsItemIdReceiverResp"] = if clear_cache && !deleted_is_empty(&data) {
            json!({"Code": 1, "Message": "handle success"})
        } else {
            json!({"Code": 0, "Message": ""})
        };
    }
    if ctx
        .state
        .media_files
        .media_config
        .delete_media_data_as_string
    {
        data = Value::String(data.to_string());
    }
    Ok(Reply::ok(Data::Value(data)))
}

fn deleted_is_empty(data: &Value) -> bool {
    data["Deleted"].as_array().is_none_or(Vec::is_empty)
}
