//! The media-file family's own cases: the kit's sample requests, the state a valid request needs
//! (files seeded through the control plane, a recording to stop, a media task to describe), the
//! typed client's calls and the state flows (recording then searching, media tasks on the mock's
//! clock, deleting, the vendor and permission rules, the parameters the generated cases leave
//! out).
//!
//! Files are seeded with `POST /_mock/apps/{app}/media-files` and the app's CDN configured with
//! `PUT /_mock/apps/{app}/media-config` (SPEC-rest-callbacks.md §2.9.6), so every flow needs
//! `Needs::control` and is skipped against the real service. Every StreamId and FileId is the
//! case's own.

use super::{case, check, choice, prepared, remember, sample_params, Case, CaseResult};
use crate::docs::indexed_name_matches;
use crate::docs::media_file::{
    FILE_MISSING, MAX_KEYS_RANGE, MERGE_TENCENT_MAX_INPUTS, PARAMETER_ERROR, PERMISSION_OFF,
    RECORD_END_MAX_SECS, REQUEST_FAILED, VENDOR_MISMATCH,
};
use crate::target::{Answer, Ctx, Needs};
use serde_json::{json, Value};
use std::sync::Arc;

/// The kit's own sample request of each action: the request examples of the older pages
/// (`OLD:cdn/*.mdx`, quoted in SPEC-rest-callbacks.md §2), with Vendor Tencent, the app's default
/// CDN. Ids are made the case's own by [`personalise`]. Used when `fixtures/requests.json` has no
/// entry for the action.
pub const SAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "StartCDNRecord",
        &[
            ("StreamId[]", "cdn01"),
            ("StreamId[]", "cdn02"),
            ("Vendor", "Tencent"),
            ("EndTime", "1616415377"),
        ],
    ),
    (
        "StopCDNRecord",
        &[
            ("StreamId[]", "cdn01"),
            ("StreamId[]", "cdn02"),
            ("Vendor", "Tencent"),
        ],
    ),
    (
        "SearchMedia",
        &[
            ("Vendor", "Tencent"),
            ("NamePrefix", "nameprefix"),
            ("StartTime", ""),
            ("EndTime", ""),
            ("PageSize", ""),
            ("PageNumber", ""),
            ("FileId[]", "fileId1"),
            ("FileId[]", "fileId2"),
            ("StreamId[]", "streamId1"),
            ("StreamId[]", "streamId2"),
        ],
    ),
    (
        "DeleteMedia",
        &[
            ("Vendor", "Tencent"),
            ("FileId[]", "5285890813221514958"),
            ("FileId[]", "5285890813221513290"),
        ],
    ),
    (
        "MergeMedia",
        &[
            ("Vendor", "Tencent"),
            ("Format", "mp4"),
            ("Type", "1"),
            ("HandleMediaArgs.0.FileId", "5576678019238910395"),
            ("HandleMediaArgs.0.StartTime", "0.5"),
            ("HandleMediaArgs.0.EndTime", "10.5"),
            ("HandleMediaArgs.1.FileId", "5576678019238910395"),
            ("HandleMediaArgs.1.StartTime", "10"),
            ("HandleMediaArgs.1.EndTime", "15"),
            ("OutputFileName", "xxxx-xxxx-test-temp-2.mp4"),
        ],
    ),
    (
        "DescribeMediaTask",
        &[("Vendor", "Tencent"), ("TaskId", "1234567890")],
    ),
    (
        "TranscodeMedia",
        &[
            ("Vendor", "Tencent"),
            ("FileId", "3270835011032053401"),
            ("Resolution", "360p"),
        ],
    ),
    (
        "MediaThumbnails",
        &[
            ("Vendor", "Tencent"),
            ("FileId", "1397757897438985100"),
            ("Definition", "10"),
            ("ExtTimeOffsetSet[]", "1"),
            ("ExtTimeOffsetSet[]", "2"),
            ("Type", "SnapshotByTimeOffset"),
        ],
    ),
];

/// The kit's sample request of `action` ([`SAMPLES`]), empty for an action it has none of.
pub(super) fn sample(action: &str) -> Vec<(String, String)> {
    SAMPLES
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

/// The FileId standing for the sample's `original` in the requests for `stream`: 19 decimal
/// digits (the form of the pages' Tencent FileIds) of a hash of both, so that a case's files are
/// its own and two equal sample ids stay equal.
pub fn file_of(stream: &str, original: &str) -> String {
    let hash = format!("{stream}|{original}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    (1_000_000_000_000_000_000 + hash % 9_000_000_000_000_000_000).to_string()
}

/// Whether the parameter `name` carries a FileId the request needs to exist.
fn names_a_file(name: &str) -> bool {
    matches!(name, "FileId" | "FileId[]" | "InputFileId[]")
        || indexed_name_matches("HandleMediaArgs.N.FileId", name)
        || indexed_name_matches("Media.N.FileId", name)
}

/// Makes a media-file action's sample parameters the case's own:
/// - the first `StreamId[]` becomes `stream` and the others are left out (one stream per request
///   keeps the cases simple; the list cases build their own);
/// - each FileId becomes [`file_of`] it, and a DescribeMediaTask `TaskId` the task prepared for
///   `stream` (by `prepare`), when there is one;
/// - StartCDNRecord's `EndTime` is left out: the example's absolute time is in the past for any
///   clock ("must be greater than the current time"), and a flow checks its bounds;
/// - parameters sent empty (SearchMedia's example sends `StartTime=` ... `PageNumber=`) are left
///   out: that an empty value counts as absent is the mock's choice, and the success cases check
///   documented behaviour only.
pub fn personalise(
    action: &str,
    pairs: Vec<(String, String)>,
    stream: &str,
) -> Vec<(String, String)> {
    let mut first_stream = true;
    pairs
        .into_iter()
        .filter(|(n, v)| {
            let dated = action == "StartCDNRecord" && n == "EndTime";
            !v.is_empty() && !dated
        })
        .filter_map(|(n, v)| {
            if n == "StreamId[]" {
                let keep = std::mem::replace(&mut first_stream, false);
                return keep.then(|| (n, stream.to_string()));
            }
            if names_a_file(&n) {
                let id = file_of(stream, &v);
                return Some((n, id));
            }
            if action == "DescribeMediaTask" && n == "TaskId" {
                return Some((n, prepared(stream).unwrap_or(v)));
            }
            Some((n, v))
        })
        .collect()
}

/// The shape of a success answer of `action` requested with `vendor`, from the page's documented
/// `example`:
/// - `Data` holds only the requested vendor's key: the pages' examples show every vendor's at
///   once because they are generated from the schema, while the older pages say each key is
///   "仅对 Vendor 设置为 X 有效" and the Chinese StartCDNRecord page models `Data` as `oneOf`
///   (SPEC-rest-callbacks.md §0.2, ★2);
/// - DeleteMedia's `WsItemIdReceiverResp` comes only with Vendor Ws (both examples delete Wangsu
///   files, ★23);
/// - `RequestId` is a string, as in every other example (DeleteMedia's example writes the number
///   `123456`, §0.2).
pub fn expected_shape(action: &str, vendor: &str, mut example: Value) -> Value {
    let canonical = ["Tencent", "Ws", "Huawei", "Aliyun"]
        .into_iter()
        .find(|v| v.eq_ignore_ascii_case(vendor))
        .unwrap_or(vendor);
    if let Some(data) = example.get_mut("Data").and_then(Value::as_object_mut) {
        if data.contains_key(canonical) {
            data.retain(|k, _| k == canonical);
        }
        if action == "DeleteMedia" && canonical != "Ws" {
            data.remove("WsItemIdReceiverResp");
        }
    }
    if example.get("RequestId").is_some_and(Value::is_number) {
        example["RequestId"] = json!("");
    }
    example
}

/// Calls a media-file action through the typed client with the values of the kit's sample
/// request for `stream` ([`super::sample_params`]), and checks it succeeds.
pub(super) async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    use zego_client::*;
    let p = sample_params(action, stream);
    let one = |name: &str| {
        p.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |name: &str| -> Vec<String> {
        p.iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let vendor = match one("Vendor").to_ascii_lowercase().as_str() {
        "ws" => CdnVendor::Ws,
        "huawei" => CdnVendor::Huawei,
        "aliyun" => CdnVendor::Aliyun,
        _ => CdnVendor::Tencent,
    };
    let c = ctx.client();
    let result = match action {
        "StartCDNRecord" => c
            .start_cdn_record(StartCdnRecordRequest::new(vendor, all("StreamId[]")))
            .await
            .map(|_| ()),
        "StopCDNRecord" => c
            .stop_cdn_record(StopCdnRecordRequest::new(vendor, all("StreamId[]")))
            .await
            .map(|_| ()),
        "SearchMedia" => {
            let mut r = SearchMediaRequest::new(vendor);
            if !one("NamePrefix").is_empty() {
                r = r.name_prefix(one("NamePrefix"));
            }
            if !all("FileId[]").is_empty() {
                r = r.file_ids(all("FileId[]"));
            }
            if !all("StreamId[]").is_empty() {
                r = r.stream_ids(all("StreamId[]"));
            }
            c.search_media(r).await.map(|_| ())
        }
        "DeleteMedia" => c
            .delete_media(DeleteMediaRequest::files(vendor, all("FileId[]")))
            .await
            .map(|_| ()),
        "MergeMedia" => {
            let args: Vec<HandleMediaArg> = (0..10)
                .map(|i| format!("HandleMediaArgs.{i}."))
                .take_while(|prefix| !one(&format!("{prefix}FileId")).is_empty())
                .map(|prefix| {
                    let time = |name: &str| one(&format!("{prefix}{name}")).parse::<f64>().ok();
                    let file = one(&format!("{prefix}FileId"));
                    match (time("StartTime"), time("EndTime")) {
                        (Some(from), Some(to)) => HandleMediaArg::between(file, from, to),
                        _ => HandleMediaArg::new(file),
                    }
                })
                .collect();
            let r = if args.is_empty() {
                MergeMediaRequest::merge(vendor, all("InputFileId[]"))
            } else {
                MergeMediaRequest::crop_then_merge(vendor, args)
            };
            let name = one("OutputFileName");
            let r = if name.is_empty() {
                r
            } else {
                r.output_file_name(name)
            };
            c.merge_media(r).await.map(|_| ())
        }
        "DescribeMediaTask" => c
            .describe_media_task(DescribeMediaTaskRequest::new(one("TaskId"), vendor))
            .await
            .map(|_| ()),
        "TranscodeMedia" => {
            let resolution = match one("Resolution").as_str() {
                "540p" => MediaResolution::P540,
                "720p" => MediaResolution::P720,
                _ => MediaResolution::P360,
            };
            c.transcode_media(TranscodeMediaRequest::new(
                vendor,
                one("FileId"),
                resolution,
            ))
            .await
            .map(|_| ())
        }
        "MediaThumbnails" => {
            let kind = if one("Type") == "SampleSnapshot" {
                ThumbnailType::SampleSnapshot
            } else {
                ThumbnailType::SnapshotByTimeOffset
            };
            let mut r = MediaThumbnailsRequest::new(vendor, one("FileId"), kind)
                .ext_time_offset_set(
                    all("ExtTimeOffsetSet[]")
                        .iter()
                        .filter_map(|o| o.parse().ok()),
                );
            if let Ok(d) = one("Definition").parse() {
                r = r.definition(d);
            }
            if let Ok(i) = one("Interval").parse() {
                r = r.interval(i);
            }
            c.media_thumbnails(r).await.map(|_| ())
        }
        other => return Err(format!("no typed method for {other}")),
    };
    result.map_err(|e| format!("typed {action}: {e}"))
}

/// Sets up the state a valid request of `action` for `stream` needs to succeed: the files its
/// sample names (DeleteMedia's, MergeMedia's inputs, TranscodeMedia's and MediaThumbnails'
/// source), a running recording for StopCDNRecord (so that it stops one, not only because
/// stopping nothing answers 0), and for DescribeMediaTask a merge task of a seeded file, whose
/// TaskId the sample then carries.
pub(super) async fn prepare(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    let params = sample_params(action, stream);
    let vendor = params
        .iter()
        .find(|(n, _)| n == "Vendor")
        .map_or("Tencent", |(_, v)| v.as_str())
        .to_string();
    match action {
        "StopCDNRecord" => {
            let refs: Vec<(&str, &str)> = params
                .iter()
                .filter(|(n, _)| n == "StreamId[]" || n == "Vendor")
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            ok(ctx, "StartCDNRecord", &refs).await.map(|_| ())
        }
        "DeleteMedia" | "MergeMedia" | "TranscodeMedia" | "MediaThumbnails" => {
            let mut ids: Vec<&str> = Vec::new();
            for (_, id) in params.iter().filter(|(n, _)| names_a_file(n)) {
                if !ids.contains(&id.as_str()) {
                    ids.push(id);
                }
            }
            for id in ids {
                seed_file(ctx, &vendor, id, stream).await?;
            }
            Ok(())
        }
        "DescribeMediaTask" => {
            let file = seed_file(ctx, &vendor, &file_of(stream, "merge-input"), stream).await?;
            let task = merge(ctx, &vendor, &[file.as_str()]).await?;
            remember(stream, &task);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Seeds a 60-second mp4 file of `vendor` recorded from `stream`, created now, with the FileId
/// `id`, and answers its FileId.
async fn seed_file(ctx: &Ctx, vendor: &str, id: &str, stream: &str) -> Result<String, String> {
    let body = json!({
        "vendor": vendor,
        "id": id,
        "stream_id": stream,
        "format": "mp4",
        "duration": 60,
        "create_time": ctx.now(),
    });
    let (status, answer) = ctx.app_control("POST", "/media-files", Some(body)).await?;
    check((200..300).contains(&status), || {
        format!("the control plane refused to seed file {id}: HTTP {status} {answer}")
    })?;
    Ok(id.to_string())
}

/// Sends `action` with `params` and checks it answers 0.
async fn ok(ctx: &Ctx, action: &str, params: &[(&str, &str)]) -> Result<Answer, String> {
    let answer = ctx.call(action, params).await?;
    answer
        .expect_code(0)
        .map_err(|e| format!("{action}: {e}"))?;
    Ok(answer)
}

/// Merges `files` of `vendor` (Type 0, named after the first) and answers the task's TaskId.
async fn merge(ctx: &Ctx, vendor: &str, files: &[&str]) -> Result<String, String> {
    let name = format!("merged-{}", files.first().copied().unwrap_or("none"));
    let mut params: Vec<(&str, &str)> = vec![("Vendor", vendor)];
    params.extend(files.iter().map(|f| ("InputFileId[]", *f)));
    params.push(("OutputFileName", &name));
    let answer = ok(ctx, "MergeMedia", &params).await?;
    answer.body["Data"][vendor]["TaskId"]
        .as_str()
        .map(String::from)
        .ok_or_else(|| format!("MergeMedia's Data has no {vendor} TaskId: {}", answer.body))
}

/// DescribeMediaTask (Tencent) of `task`: its `Data.Tencent`, which must answer 0.
async fn describe(ctx: &Ctx, task: &str) -> Result<Value, String> {
    let answer = ok(
        ctx,
        "DescribeMediaTask",
        &[("Vendor", "Tencent"), ("TaskId", task)],
    )
    .await?;
    Ok(answer.body["Data"]["Tencent"].clone())
}

/// SearchMedia (Tencent) with `filters`: its `Data.Tencent`, which must answer 0.
async fn search(ctx: &Ctx, filters: &[(&str, &str)]) -> Result<Value, String> {
    let mut params = vec![("Vendor", "Tencent")];
    params.extend_from_slice(filters);
    let answer = ok(ctx, "SearchMedia", &params).await?;
    Ok(answer.body["Data"]["Tencent"].clone())
}

/// `TotalCount` of a Tencent search result.
fn total(data: &Value) -> Option<i64> {
    data["TotalCount"].as_i64()
}

/// Sets the app's features through the control plane (only the fields given change).
async fn features(ctx: &Ctx, fields: Value) -> CaseResult {
    let (status, answer) = ctx.app_control("PUT", "/features", Some(fields)).await?;
    check(status == 200, || {
        format!("PUT features answered HTTP {status} {answer}")
    })
}

/// Sets the app's media configuration through the control plane (only the fields given change).
async fn media_config(ctx: &Ctx, fields: Value) -> CaseResult {
    let (status, answer) = ctx
        .app_control("PUT", "/media-config", Some(fields))
        .await?;
    check(status == 200, || {
        format!("PUT media-config answered HTTP {status} {answer}")
    })
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
    let mut cases = files_and_tasks();
    cases.extend(rules());
    cases.extend(parameters());
    cases
}

fn files_and_tasks() -> Vec<Case> {
    vec![
        choice(case("flow.media-record-search", "StartCDNRecord of a live stream answers 0 with Data.Tencent [{StreamName, TaskId}]; no file exists while it records; 60 s later StopCDNRecord answers 0 and SearchMedia by that StreamId finds the recorded file", "cdn/start-cdn-record.yaml, stop-cdn-record.yaml, search-media.yaml; SPEC-rest-callbacks.md §2.9.2", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("rec");
            ctx.publish(&stream, true).await?;
            let start = ok(&ctx, "StartCDNRecord", &[("StreamId[]", &stream), ("Vendor", "Tencent")]).await?;
            let item = &start.body["Data"]["Tencent"][0];
            check(item["StreamName"] == stream.as_str() && item["TaskId"].as_str().is_some_and(|t| !t.is_empty()), || format!("Data: {}", start.body))?;
            let during = search(&ctx, &[("StreamId[]", &stream)]).await?;
            check(total(&during) == Some(0), || format!("a file while recording: {during}"))?;
            ctx.advance_millis(60_000).await?;
            ok(&ctx, "StopCDNRecord", &[("StreamId[]", &stream), ("Vendor", "Tencent")]).await?;
            let after = search(&ctx, &[("StreamId[]", &stream)]).await?;
            let file = after["MediaInfoSet"][0]["FileId"].as_str().unwrap_or_default();
            check(total(&after).is_some_and(|n| n >= 1) && !file.is_empty(), || format!("no recorded file found: {after}"))
        })),
        choice(case("flow.media-merge-task-status", "MergeMedia of a seeded file answers 0 with Data.Tencent {TaskId, RequestId}; DescribeMediaTask shows the task as Event compose, Status WAITING at once, PROCESSING after 1 s and FINISH with a FileId after 5 s", "cdn/merge-media.yaml, describe-media-task.yaml; SPEC-rest-callbacks.md §2.9.3, ★25", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("merge");
            let file = seed_file(&ctx, "Tencent", &file_of(&stream, "a"), &stream).await?;
            let task = merge(&ctx, "Tencent", &[file.as_str()]).await?;
            let status = |t: &Value| t["Status"].as_str().unwrap_or_default().to_string();
            let first = describe(&ctx, &task).await?;
            check(first["TaskId"] == task.as_str() && first["Event"] == "compose" && status(&first) == "WAITING", || format!("at once: {first}"))?;
            ctx.advance_millis(1_000).await?;
            let running = describe(&ctx, &task).await?;
            check(status(&running) == "PROCESSING", || format!("after 1 s: {running}"))?;
            ctx.advance_millis(4_000).await?;
            let done = describe(&ctx, &task).await?;
            check(status(&done) == "FINISH" && done["FileId"].as_str().is_some_and(|f| !f.is_empty()), || format!("after 5 s: {done}"))
        })),
        choice(case("flow.media-delete-then-search", "SearchMedia finds a seeded file by its FileId; DeleteMedia of it answers 0 with Deleted [FileId] and no Errors; SearchMedia then misses it, and deleting it again lists it in Errors with Code \"41003\"", "cdn/delete-media.yaml, search-media.yaml; SPEC-rest-callbacks.md F4", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("del");
            let file = seed_file(&ctx, "Tencent", &file_of(&stream, "a"), &stream).await?;
            let before = search(&ctx, &[("FileId[]", &file)]).await?;
            check(total(&before) == Some(1), || format!("before: {before}"))?;
            let deleted = ok(&ctx, "DeleteMedia", &[("Vendor", "Tencent"), ("FileId[]", &file)]).await?;
            let data = &deleted.body["Data"];
            check(data["Deleted"] == json!([file]) && data["Errors"] == json!([]), || format!("DeleteMedia: {data}"))?;
            let after = search(&ctx, &[("FileId[]", &file)]).await?;
            check(total(&after) == Some(0), || format!("after: {after}"))?;
            let again = ok(&ctx, "DeleteMedia", &[("Vendor", "Tencent"), ("FileId[]", &file)]).await?;
            let error = &again.body["Data"]["Errors"][0];
            check(error["Code"] == "41003" && error["Key"] == file.as_str(), || format!("the second DeleteMedia: {}", again.body))
        })),
        choice(case("flow.media-merge-missing-file", "MergeMedia of a FileId no file has answers 41003 (File does not exist)", "cdn/merge-media.yaml (41003); SPEC-rest-callbacks.md ★3", CONTROL, |ctx: Arc<Ctx>| async move {
            let file = file_of(&ctx.stream("none"), "a");
            ctx.call("MergeMedia", &[("Vendor", "Tencent"), ("InputFileId[]", &file), ("OutputFileName", "out")]).await?.expect_code(FILE_MISSING)
        })),
        case("flow.media-unknown-file", "TranscodeMedia and MediaThumbnails of a FileId no file has answer 1000 (\"if an incorrect FileId is passed in, the Code ... will be 1000\")", "cdn/start-on-demand-transcoding.yaml, media-thumbnails.yaml (FileId)", CONTROL, |ctx: Arc<Ctx>| async move {
            let file = file_of(&ctx.stream("none"), "a");
            ctx.call("TranscodeMedia", &[("Vendor", "Tencent"), ("FileId", &file), ("Resolution", "360p")]).await?.expect_code(REQUEST_FAILED).map_err(|e| format!("TranscodeMedia: {e}"))?;
            ctx.call("MediaThumbnails", &[("Vendor", "Tencent"), ("FileId", &file), ("Type", "SampleSnapshot"), ("Definition", "10")]).await?.expect_code(REQUEST_FAILED).map_err(|e| format!("MediaThumbnails: {e}"))
        }),
        choice(case("flow.media-describe-unknown-task", "DescribeMediaTask (Tencent) of a TaskId no task has answers 1000 (Request failed)", "cdn/describe-media-task.yaml; SPEC-rest-callbacks.md F6, ★3", CONTROL, |ctx: Arc<Ctx>| async move {
            ctx.call("DescribeMediaTask", &[("Vendor", "Tencent"), ("TaskId", &ctx.id("none"))]).await?.expect_code(REQUEST_FAILED)
        })),
    ]
}

fn rules() -> Vec<Case> {
    vec![
        case("flow.media-permission", "with the app's CDN recording permission off, StartCDNRecord and SearchMedia answer 3 (Related permissions not activated)", "cdn/start-cdn-record.yaml, search-media.yaml (3); SPEC-rest-callbacks.md §0.2 (feature cdn_record)", CONTROL, |ctx: Arc<Ctx>| async move {
            features(&ctx, json!({"cdn_record": false})).await?;
            let stream = ctx.stream("p");
            let result = async {
                ctx.call("StartCDNRecord", &[("StreamId[]", &stream), ("Vendor", "Tencent")]).await?.expect_code(PERMISSION_OFF).map_err(|e| format!("StartCDNRecord: {e}"))?;
                ctx.call("SearchMedia", &[("Vendor", "Tencent")]).await?.expect_code(PERMISSION_OFF).map_err(|e| format!("SearchMedia: {e}"))
            }.await;
            features(&ctx, json!({"cdn_record": true})).await?;
            result
        }),
        choice(case("flow.media-vendor", "Vendor is matched ignoring case (\"tencent\" answers 0 on a Tencent app) and answered under its canonical key; a Vendor of the enum other than the app's CDN answers 4 (CDN type mismatch)", "cdn/search-media.yaml (Vendor; 4); SPEC-rest-callbacks.md §2 (vendor model), ★2", CONTROL, |ctx: Arc<Ctx>| async move {
            let answer = ok(&ctx, "SearchMedia", &[("Vendor", "tencent")]).await?;
            check(answer.body["Data"]["Tencent"].is_object(), || format!("Data: {}", answer.body))?;
            ctx.call("SearchMedia", &[("Vendor", "Huawei")]).await?.expect_code(VENDOR_MISMATCH)
        })),
        case("flow.media-search-max-keys", "on a Huawei app, SearchMedia with Vendor Huawei accepts MaxKeys 1 and 1000 and answers 2 to 0 and 1001 (\"value range [1, 1000]\", valid for Ws or Huawei)", "cdn/search-media.yaml (MaxKeys)", CONTROL, |ctx: Arc<Ctx>| async move {
            media_config(&ctx, json!({"cdn_vendor": "Huawei"})).await?;
            let (min, max) = MAX_KEYS_RANGE;
            for (keys, code) in [(min, 0), (max, 0), (min - 1, PARAMETER_ERROR), (max + 1, PARAMETER_ERROR)] {
                ctx.call("SearchMedia", &[("Vendor", "Huawei"), ("MaxKeys", &keys.to_string())]).await?.expect_code(code).map_err(|e| format!("MaxKeys {keys}: {e}"))?;
            }
            Ok(())
        }),
    ]
}

fn parameters() -> Vec<Case> {
    vec![
        case("flow.media-record-end-time", "StartCDNRecord (Tencent) answers 2 to an EndTime not after now or more than 24 h ahead, and 0 to one an hour ahead", "cdn/start-cdn-record.yaml (EndTime)", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("end");
            let now = ctx.now();
            for (end, code) in [(now, PARAMETER_ERROR), (now + RECORD_END_MAX_SECS + 60, PARAMETER_ERROR), (now + 3600, 0)] {
                ctx.call("StartCDNRecord", &[("StreamId[]", &stream), ("Vendor", "Tencent"), ("EndTime", &end.to_string())]).await?.expect_code(code).map_err(|e| format!("EndTime now{:+}: {e}", end - now))?;
            }
            Ok(())
        }),
        case("flow.media-merge-parameters", "MergeMedia (Tencent, Type 0) of seeded files answers 2 without OutputFileName (\"required\" with Tencent) and to 11 InputFileId[] (\"A maximum of 10 files\"), and 0 to 10 of them", "cdn/merge-media.yaml (OutputFileName, InputFileId)", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("mp");
            let mut files = Vec::new();
            for i in 0..=MERGE_TENCENT_MAX_INPUTS {
                files.push(seed_file(&ctx, "Tencent", &file_of(&stream, &i.to_string()), &stream).await?);
            }
            let with = |n: usize, name: bool| {
                let mut p = vec![("Vendor", "Tencent")];
                p.extend(files.iter().take(n).map(|f| ("InputFileId[]", f.as_str())));
                if name {
                    p.push(("OutputFileName", "merged"));
                }
                p
            };
            ctx.call("MergeMedia", &with(1, false)).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("without OutputFileName: {e}"))?;
            ctx.call("MergeMedia", &with(MERGE_TENCENT_MAX_INPUTS + 1, true)).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("11 inputs: {e}"))?;
            ctx.call("MergeMedia", &with(MERGE_TENCENT_MAX_INPUTS, true)).await?.expect_code(0).map_err(|e| format!("10 inputs: {e}"))
        }),
        case("flow.media-thumbnails-required", "MediaThumbnails (Tencent) of a seeded file answers 2 without Definition (\"required when Vendor is Tencent\") and to SnapshotByTimeOffset without ExtTimeOffsetSet[] (\"required when Type is SnapshotByTimeOffset\"), and 0 with both", "cdn/media-thumbnails.yaml (Definition, ExtTimeOffsetSet)", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("th");
            let file = seed_file(&ctx, "Tencent", &file_of(&stream, "a"), &stream).await?;
            let base = [("Vendor", "Tencent"), ("FileId", file.as_str())];
            let send = |extra: &[(&'static str, &'static str)]| {
                let mut p = base.to_vec();
                p.extend_from_slice(extra);
                p
            };
            ctx.call("MediaThumbnails", &send(&[("Type", "SampleSnapshot")])).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("without Definition: {e}"))?;
            ctx.call("MediaThumbnails", &send(&[("Type", "SnapshotByTimeOffset"), ("Definition", "10")])).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("without ExtTimeOffsetSet[]: {e}"))?;
            ctx.call("MediaThumbnails", &send(&[("Type", "SnapshotByTimeOffset"), ("Definition", "10"), ("ExtTimeOffsetSet[]", "1")])).await?.expect_code(0)
        }),
        choice(case("flow.media-delete-exclusive", "DeleteMedia with both FileId[] and Media.0.FileId (\"mutually exclusive\"), or with neither, answers 2", "cdn/delete-media.yaml (FileId, Media); SPEC-rest-callbacks.md F4", CONTROL, |ctx: Arc<Ctx>| async move {
            let (a, b) = (file_of(&ctx.stream("x"), "a"), file_of(&ctx.stream("x"), "b"));
            ctx.call("DeleteMedia", &[("Vendor", "Tencent"), ("FileId[]", &a), ("Media.0.FileId", &b)]).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("both: {e}"))?;
            ctx.call("DeleteMedia", &[("Vendor", "Tencent")]).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("neither: {e}"))
        })),
        choice(case("flow.media-lists-without-brackets", "a list may also be sent as a repeated name without brackets (the YAML's form: explode): SearchMedia with FileId=<id> finds the seeded file as FileId[]=<id> does", "cdn/search-media.yaml (FileId); SPEC-rest-callbacks.md §0.2 (arrays), #11", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("nb");
            let file = seed_file(&ctx, "Tencent", &file_of(&stream, "a"), &stream).await?;
            let found = search(&ctx, &[("FileId", &file)]).await?;
            check(total(&found) == Some(1), || format!("FileId={file}: {found}"))
        })),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{self, Family};

    #[test]
    fn the_kits_samples_cover_the_family_and_agree_with_the_docs_table() {
        let family: Vec<&docs::ActionDoc> = docs::actions()
            .filter(|d| d.family == Family::MediaFile)
            .collect();
        assert_eq!(family.len(), 8);
        assert_eq!(SAMPLES.len(), family.len());
        for d in family {
            let pairs = sample(d.action);
            assert!(!pairs.is_empty(), "{}", d.action);
            for (n, _) in &pairs {
                assert!(d.param(n).is_some(), "{}: {n} is undocumented", d.action);
            }
            for p in d.params.iter().filter(|p| p.required) {
                assert!(
                    pairs.iter().any(|(n, _)| n == p.name),
                    "{}: the sample lacks {}",
                    d.action,
                    p.name
                );
            }
            // The app's default CDN, so that a valid sample is valid for the app.
            assert!(
                pairs.contains(&("Vendor".into(), "Tencent".into())),
                "{}",
                d.action
            );
        }
    }

    #[test]
    fn personalised_samples_are_the_cases_own() {
        let stream = "StartCDNRecord-success-1234abcd-ok";
        let record = personalise("StartCDNRecord", sample("StartCDNRecord"), stream);
        assert_eq!(
            record,
            [
                ("StreamId[]".to_string(), stream.to_string()),
                ("Vendor".to_string(), "Tencent".to_string())
            ]
        );
        let merge = personalise("MergeMedia", sample("MergeMedia"), stream);
        let ids: Vec<&str> = merge
            .iter()
            .filter(|(n, _)| n.ends_with(".FileId"))
            .map(|(_, v)| v.as_str())
            .collect();
        // The example merges two cuts of one file: they stay one file, the case's own.
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[0], file_of(stream, "5576678019238910395"));
        assert_ne!(ids[0], file_of("another-stream", "5576678019238910395"));
        assert_eq!(ids[0].len(), 19);
        assert!(ids[0].bytes().all(|b| b.is_ascii_digit()));
        let search = personalise("SearchMedia", sample("SearchMedia"), stream);
        assert!(search.iter().all(|(_, v)| !v.is_empty()));
        assert!(!search.iter().any(|(n, _)| n == "StartTime"));
        remember(stream, "task-1");
        let describe = personalise("DescribeMediaTask", sample("DescribeMediaTask"), stream);
        assert!(describe.contains(&("TaskId".into(), "task-1".into())));
    }

    #[test]
    fn expected_shapes_keep_only_what_the_requested_vendor_answers() {
        let combined = json!({"Code": 0, "Message": "success", "RequestId": "1", "Data": {
            "Tencent": {"TaskId": "t", "RequestId": "r"}, "Huawei": {"TaskId": "h", "RequestId": "r"}}});
        assert_eq!(
            expected_shape("MergeMedia", "tencent", combined.clone())["Data"],
            json!({"Tencent": {"TaskId": "t", "RequestId": "r"}})
        );
        assert_eq!(
            expected_shape("MergeMedia", "Huawei", combined)["Data"],
            json!({"Huawei": {"TaskId": "h", "RequestId": "r"}})
        );
        let delete = json!({"Code": 0, "Message": "success", "RequestId": 123456, "Data": {
            "Deleted": ["a"], "Errors": [], "WsItemIdReceiverResp": {"Code": 1, "Message": "m"}}});
        let tencent = expected_shape("DeleteMedia", "Tencent", delete.clone());
        assert_eq!(tencent["Data"], json!({"Deleted": ["a"], "Errors": []}));
        assert!(tencent["RequestId"].is_string());
        let ws = expected_shape("DeleteMedia", "Ws", delete);
        assert!(ws["Data"]["WsItemIdReceiverResp"].is_object());
    }

    #[test]
    fn the_family_has_its_flows_with_unique_ids() {
        let cases = flows();
        let ids: std::collections::HashSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), cases.len());
        for c in &cases {
            assert!(c.needs.control, "{} needs the control plane", c.id);
            assert!(c.id.starts_with("flow.media-"), "{}", c.id);
        }
    }
}
