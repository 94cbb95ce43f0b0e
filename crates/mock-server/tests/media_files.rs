//! The media-file family over HTTP (StartCDNRecord, StopCDNRecord, SearchMedia, DeleteMedia,
//! MergeMedia, DescribeMediaTask, TranscodeMedia, MediaThumbnails): recordings of live streams on
//! the mock's frozen clock, files, media tasks that move WAITING → PROCESSING → FINISH as the
//! clock moves, each documented refusal, and the control plane.

use crate::common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use zego_mock::{Clock, Env, Features, ManualClock, MockServer, DEV_APP_ID};

const P: Env = Env::Production;

/// Calls `action` signed for the mock's current time.
async fn api(
    server: &MockServer,
    clock: &ManualClock,
    action: &str,
    params: &[(&str, &str)],
) -> Value {
    get(server, &dev_query(action, clock.now_secs(), params)).await
}

/// The `Code` of a call.
async fn code_of(
    server: &MockServer,
    clock: &ManualClock,
    action: &str,
    params: &[(&str, &str)],
) -> i64 {
    let v = api(server, clock, action, params).await;
    v["Code"]
        .as_i64()
        .unwrap_or_else(|| panic!("no Code in {v}"))
}

/// A raw (unencoded) query of extra pairs appended to signed common parameters.
async fn api_raw(server: &MockServer, clock: &ManualClock, action: &str, extra: &str) -> Value {
    let q = format!("{}&{extra}", dev_query(action, clock.now_secs(), &[]));
    get(server, &q).await
}

/// DescribeMediaTask of one task at one vendor.
async fn describe_task(
    server: &MockServer,
    clock: &ManualClock,
    task: &str,
    vendor: &str,
) -> Value {
    api(
        server,
        clock,
        "DescribeMediaTask",
        &[("TaskId", task), ("Vendor", vendor)],
    )
    .await
}

fn advance(clock: &ManualClock, secs: u64) {
    clock.advance(Duration::from_secs(secs));
}

fn media_path(tail: &str) -> String {
    format!("/_mock/apps/{DEV_APP_ID}/{tail}")
}

async fn set_vendor(server: &MockServer, vendor: Value) {
    let (status, body) = control(
        server,
        "PUT",
        &media_path("media-config"),
        Some(json!({ "cdn_vendor": vendor })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn seed(server: &MockServer, body: Value) -> String {
    let (status, v) = control(server, "POST", &media_path("media-files"), Some(body)).await;
    assert_eq!(status, 200, "{v}");
    v["media_file"]["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn a_recorded_stream_is_found_merged_and_the_merge_followed_to_its_file() {
    // Arrange: two live streams, recorded from T0.
    let (server, clock) = frozen().await;
    server
        .start_publishing(DEV_APP_ID, P, "cdn01")
        .expect("publish");
    server
        .start_publishing(DEV_APP_ID, P, "cdn02")
        .expect("publish");
    let started = api_raw(
        &server,
        &clock,
        "StartCDNRecord",
        "StreamId[]=cdn01&StreamId[]=cdn02&Vendor=Tencent",
    )
    .await;
    assert_eq!(started["Code"], 0, "{started}");
    assert_eq!(started["Message"], "success");
    let items = started["Data"]["Tencent"]
        .as_array()
        .expect("Tencent items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["StreamName"], "cdn01");
    assert_eq!(items[0]["Code"], "");
    assert!(!items[0]["TaskId"].as_str().unwrap_or_default().is_empty());
    assert_eq!(
        started["Data"].as_object().map(|o| o.len()),
        Some(1),
        "only the vendor's key"
    );
    // A frozen clock records nothing.
    let none = api(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await;
    assert_eq!(none["Data"]["Tencent"]["TotalCount"], 0);

    // Act: cdn01 stops publishing at T0+60, cdn02's recording is stopped at T0+90.
    advance(&clock, 60);
    server.stop_publishing(DEV_APP_ID, P, "cdn01");
    advance(&clock, 30);
    let stopped = api_raw(
        &server,
        &clock,
        "StopCDNRecord",
        "StreamId[]=cdn02&Vendor=Tencent",
    )
    .await;
    assert_eq!(stopped["Code"], 0, "{stopped}");
    assert_eq!(stopped["Data"]["Tencent"][0]["StreamName"], "cdn02");
    assert!(stopped["Data"]["Tencent"][0].get("TaskId").is_none());
    let found = api(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await;

    // Assert: newest first, one mp4 each, named after the segment's start.
    let data = &found["Data"]["Tencent"];
    assert_eq!(data["TotalCount"], 2, "{found}");
    let set = data["MediaInfoSet"].as_array().expect("set");
    let name = format!("{T0}.mp4");
    assert_eq!(set[0]["BasicInfo"]["Name"], name.as_str());
    assert_eq!(set[0]["TranscodeInfo"]["TranscodeSet"][0]["Duration"], 90.0);
    assert_eq!(set[0]["BasicInfo"]["CreateTime"], "2023-11-14T22:14:50Z");
    assert_eq!(set[1]["TranscodeInfo"]["TranscodeSet"][0]["Duration"], 60.0);
    assert_eq!(set[1]["BasicInfo"]["Type"], "mp4");
    assert_eq!(set[1]["BasicInfo"]["ExpireTime"], "9999-12-31T23:59:59Z");
    let f2 = set[0]["FileId"].as_str().expect("FileId").to_string();
    let f1 = set[1]["FileId"].as_str().expect("FileId").to_string();
    assert_eq!(f1.len(), 19, "a 19-digit FileId: {f1}");
    let records: Vec<_> = server
        .events(DEV_APP_ID, P)
        .into_iter()
        .filter(|e| e.event == "record")
        .collect();
    assert_eq!(records.len(), 2);

    // Act: merge the two; follow the task as the clock moves.
    let q =
        format!("Vendor=Tencent&InputFileId[]={f1}&InputFileId[]={f2}&OutputFileName=merged.mp4");
    let merged = api_raw(&server, &clock, "MergeMedia", &q).await;
    assert_eq!(merged["Code"], 0, "{merged}");
    let task = merged["Data"]["Tencent"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_string();
    assert!(
        task.contains("-EditMedia-") && task.ends_with("tt0"),
        "{task}"
    );
    let status = |v: &Value| v["Data"]["Tencent"]["Status"].clone();
    let d = describe_task(&server, &clock, &task, "Tencent").await;
    assert_eq!(status(&d), "WAITING", "{d}");
    assert_eq!(d["Data"]["Tencent"]["Event"], "compose");
    assert_eq!(d["Data"]["Tencent"]["FileId"], "");
    assert_eq!(d["Data"]["Tencent"]["ThumbnailsUrl"], json!([]));
    advance(&clock, 1);
    let d = describe_task(&server, &clock, &task, "tencent").await;
    assert_eq!(status(&d), "PROCESSING");
    advance(&clock, 4);
    let d = describe_task(&server, &clock, &task, "Tencent").await;
    assert_eq!(status(&d), "FINISH");
    let merged_id = d["Data"]["Tencent"]["FileId"]
        .as_str()
        .expect("FileId")
        .to_string();
    assert!(!merged_id.is_empty());
    assert!(d["Data"]["Tencent"]["ReplayUrl"]
        .as_str()
        .unwrap_or_default()
        .ends_with("merged.mp4"));

    // Assert: the merged file is the newest, 150 s long, from video processing.
    let found = api(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await;
    let data = &found["Data"]["Tencent"];
    assert_eq!(data["TotalCount"], 3);
    let first = &data["MediaInfoSet"][0];
    assert_eq!(first["FileId"], merged_id.as_str());
    assert_eq!(first["BasicInfo"]["Name"], "merged.mp4");
    assert_eq!(
        first["BasicInfo"]["SourceInfo"]["SourceType"],
        "VideoProcessing"
    );
    assert_eq!(first["TranscodeInfo"]["TranscodeSet"][0]["Duration"], 150.0);
    assert!(server
        .events(DEV_APP_ID, P)
        .iter()
        .any(|e| e.event == "compose"));
}

#[tokio::test]
async fn long_recordings_split_at_the_interval_except_m3u8_and_zero_length_makes_no_file() {
    // Arrange: 300 s files, mp4 and m3u8.
    let (server, clock) = frozen().await;
    let (status, v) = control(
        &server,
        "PUT",
        &media_path("media-config"),
        Some(json!({"record_formats": ["mp4", "m3u8"], "record_interval_secs": 300})),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    server
        .start_publishing(DEV_APP_ID, P, "long")
        .expect("publish");
    server
        .start_publishing(DEV_APP_ID, P, "blink")
        .expect("publish");
    assert_eq!(
        code_of(
            &server,
            &clock,
            "StartCDNRecord",
            &[
                ("StreamId[]", "long"),
                ("StreamId[]", "blink"),
                ("Vendor", "Tencent")
            ]
        )
        .await,
        0
    );
    // Act: blink stops at once (zero length); long runs 700 s.
    server.stop_publishing(DEV_APP_ID, P, "blink");
    advance(&clock, 700);
    server.stop_publishing(DEV_APP_ID, P, "long");
    // Assert
    let files = server.media(DEV_APP_ID, P).files;
    let mut mp4: Vec<i64> = files
        .iter()
        .filter(|f| f.format == "mp4")
        .map(|f| f.duration_millis)
        .collect();
    mp4.sort_unstable();
    assert_eq!(mp4, vec![100_000, 300_000, 300_000]);
    let m3u8: Vec<i64> = files
        .iter()
        .filter(|f| f.format == "m3u8")
        .map(|f| f.duration_millis)
        .collect();
    assert_eq!(m3u8, vec![700_000]);
    assert!(files.iter().all(|f| f.stream_id.as_deref() == Some("long")));
}

#[tokio::test]
async fn record_all_streams_records_without_a_request() {
    let (server, clock) = frozen().await;
    let (status, _) = control(
        &server,
        "PUT",
        &media_path("media-config"),
        Some(json!({"record_all_streams": true})),
    )
    .await;
    assert_eq!(status, 200);
    server
        .start_publishing(DEV_APP_ID, P, "auto1")
        .expect("publish");
    advance(&clock, 10);
    server.stop_publishing(DEV_APP_ID, P, "auto1");
    let files = server.media(DEV_APP_ID, P).files;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].duration_millis, 10_000);
}

#[tokio::test]
async fn ws_lists_keys_a_page_at_a_time_with_next_marker() {
    // Arrange: the app's CDN is Wangsu; three seeded files.
    let (server, clock) = frozen().await;
    set_vendor(&server, json!("Ws")).await;
    for s in ["a", "b", "c"] {
        seed(
            &server,
            json!({"stream_id": s, "duration": 60, "create_time": T0}),
        )
        .await;
    }
    // Act
    let first = api(
        &server,
        &clock,
        "SearchMedia",
        &[("Vendor", "ws"), ("MaxKeys", "2")],
    )
    .await;
    // Assert: keys in order, the documented shape, only the Ws key.
    assert_eq!(first["Code"], 0, "{first}");
    let data = &first["Data"]["Ws"];
    assert!(first["Data"].get("Tencent").is_none());
    let keys = data["Keys"].as_array().expect("Keys");
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["Key"], "app-a--20231114221220.mp4");
    assert_eq!(keys[0]["Size"], 60 * 72_000);
    assert_eq!(keys[0]["LastModified"], "2023-11-14T22:13:20Z");
    assert_eq!(data["NextMarker"], keys[1]["Key"]);
    let marker = data["NextMarker"].as_str().expect("marker").to_string();
    let second = api(
        &server,
        &clock,
        "SearchMedia",
        &[("Vendor", "Ws"), ("MaxKeys", "2"), ("Marker", &marker)],
    )
    .await;
    assert_eq!(
        second["Data"]["Ws"]["Keys"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        second["Data"]["Ws"]["Keys"][0]["Key"],
        "app-c--20231114221220.mp4"
    );
    assert_eq!(second["Data"]["Ws"]["NextMarker"], "");
    // MaxKeys outside [1, 1000] is a parameter error.
    assert_eq!(
        code_of(
            &server,
            &clock,
            "SearchMedia",
            &[("Vendor", "Ws"), ("MaxKeys", "0")]
        )
        .await,
        2
    );
    // A Tencent-only parameter is ignored for Ws.
    assert_eq!(
        code_of(
            &server,
            &clock,
            "SearchMedia",
            &[("Vendor", "Ws"), ("PageSize", "x")]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn huawei_records_lists_and_takes_thumbnails() {
    // Arrange: the app's CDN is Huawei; a stream recorded for 10 s.
    let (server, clock) = frozen().await;
    set_vendor(&server, json!("Huawei")).await;
    server
        .start_publishing(DEV_APP_ID, P, "hwtest")
        .expect("publish");
    let started = api(
        &server,
        &clock,
        "StartCDNRecord",
        &[("StreamId[]", "hwtest"), ("Vendor", "Huawei")],
    )
    .await;
    assert_eq!(
        started["Data"]["Huawei"][0]["StreamName"], "hwtest",
        "{started}"
    );
    assert_eq!(started["Data"]["Huawei"][0]["Code"], 0);
    assert_eq!(started["Data"]["Huawei"][0]["Message"], "success");
    advance(&clock, 10);
    assert_eq!(
        code_of(
            &server,
            &clock,
            "StopCDNRecord",
            &[("StreamId", "hwtest"), ("Vendor", "HUAWEI")]
        )
        .await,
        0
    );
    let listed = api(&server, &clock, "SearchMedia", &[("Vendor", "Huawei")]).await;
    let key = listed["Data"]["Huawei"]["Keys"][0]["Key"]
        .as_str()
        .expect("Key")
        .to_string();
    assert_eq!(
        key,
        "record/app/command_record/hwtest/2023-11-14-22-13-20.mp4"
    );
    let etag = listed["Data"]["Huawei"]["Keys"][0]["ETag"]
        .as_str()
        .expect("ETag");
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    // Act: screenshots every 2 s.
    let shot = api(
        &server,
        &clock,
        "MediaThumbnails",
        &[
            ("Vendor", "Huawei"),
            ("FileId", &key),
            ("Type", "SampleSnapshot"),
            ("Interval", "2"),
        ],
    )
    .await;
    assert_eq!(shot["Code"], 0, "{shot}");
    let task = shot["Data"]["Huawei"]["task_id"]
        .as_str()
        .expect("task_id")
        .to_string();
    assert!(shot["Data"]["Huawei"].get("TaskId").is_none());
    let d = describe_task(&server, &clock, &task, "Huawei").await;
    assert_eq!(d["Data"]["Huawei"]["Status"], "WAITING");
    assert_eq!(d["Data"]["Huawei"]["EndTime"], "");
    advance(&clock, 5);
    let d = describe_task(&server, &clock, &task, "Huawei").await;
    // Assert: 0, 2, 4, 6, 8 s next to the recording.
    let h = &d["Data"]["Huawei"];
    assert_eq!(h["Status"], "SUCCEEDED");
    assert_eq!(h["CreateTime"], "20231114221330");
    assert_eq!(h["EndTime"], "20231114221335");
    let names = h["FileName"].as_array().expect("FileName");
    assert_eq!(names.len(), 5);
    assert_eq!(names[1], "record/app/command_record/hwtest/2.jpg");
    // Huawei answers NO_TASK (code 0) for a merge task or an unknown one.
    let merge = api(
        &server,
        &clock,
        "MergeMedia",
        &[("Vendor", "Huawei"), ("InputFileId[]", &key)],
    )
    .await;
    assert_eq!(merge["Code"], 0, "{merge}");
    let merge_task = merge["Data"]["Huawei"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_string();
    for id in [merge_task.as_str(), "nope"] {
        let d = describe_task(&server, &clock, id, "Huawei").await;
        assert_eq!(d["Code"], 0);
        assert_eq!(d["Data"]["Huawei"]["Status"], "NO_TASK");
        assert_eq!(d["Data"]["Huawei"]["FileName"], json!([]));
    }
    // Interval is required for Huawei.
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MediaThumbnails",
            &[
                ("Vendor", "Huawei"),
                ("FileId", &key),
                ("Type", "SampleSnapshot")
            ]
        )
        .await,
        2
    );
}

#[tokio::test]
async fn transcoding_adds_a_definition_and_delete_by_resolution_removes_it() {
    // Arrange: a seeded Tencent file.
    let (server, clock) = frozen().await;
    let id = seed(
        &server,
        json!({"vendor": "Tencent", "stream_id": "s1", "duration": 31.5}),
    )
    .await;
    // Act
    let t = api(
        &server,
        &clock,
        "TranscodeMedia",
        &[
            ("Vendor", "Tencent"),
            ("FileId", &id),
            ("Resolution", "360p"),
        ],
    )
    .await;
    assert_eq!(t["Code"], 0, "{t}");
    let task = t["Data"]["Tencent"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_string();
    assert!(
        task.contains("-procedurev2-") && task.ends_with("tt0"),
        "{task}"
    );
    advance(&clock, 5);
    let d = describe_task(&server, &clock, &task, "Tencent").await;
    assert_eq!(d["Data"]["Tencent"]["Status"], "FINISH");
    assert_eq!(d["Data"]["Tencent"]["Event"], "transcode");
    // Assert: a 360p entry (Definition 100010, 640x360).
    let found = api(
        &server,
        &clock,
        "SearchMedia",
        &[("Vendor", "Tencent"), ("FileId[]", &id)],
    )
    .await;
    let set = found["Data"]["Tencent"]["MediaInfoSet"][0]["TranscodeInfo"]["TranscodeSet"]
        .as_array()
        .expect("set")
        .clone();
    assert_eq!(set.len(), 2);
    assert_eq!(set[0]["Definition"], 0);
    assert_eq!(set[1]["Definition"], 100_010);
    assert_eq!(
        (set[1]["Width"].clone(), set[1]["Height"].clone()),
        (json!(640), json!(360))
    );
    assert!(set[1]["Url"]
        .as_str()
        .unwrap_or_default()
        .ends_with("v.f100010.mp4"));
    // Delete only the 360p output: the file stays.
    let del = api_raw(
        &server,
        &clock,
        "DeleteMedia",
        &format!("Vendor=Tencent&Media.0.FileId={id}&Media.0.Resolution.0=360p"),
    )
    .await;
    assert_eq!(del["Code"], 0, "{del}");
    assert_eq!(del["Data"]["Deleted"], json!([id]));
    let found = api(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await;
    assert_eq!(found["Data"]["Tencent"]["TotalCount"], 1);
    assert_eq!(
        found["Data"]["Tencent"]["MediaInfoSet"][0]["TranscodeInfo"]["TranscodeSet"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // Refusals: an unknown FileId is 1000 (the page's note); the resolution is exact.
    assert_eq!(
        code_of(
            &server,
            &clock,
            "TranscodeMedia",
            &[
                ("Vendor", "Tencent"),
                ("FileId", "123"),
                ("Resolution", "360p")
            ]
        )
        .await,
        1000
    );
    assert_eq!(
        code_of(
            &server,
            &clock,
            "TranscodeMedia",
            &[
                ("Vendor", "Tencent"),
                ("FileId", &id),
                ("Resolution", "360P")
            ]
        )
        .await,
        2
    );
    assert_eq!(
        code_of(
            &server,
            &clock,
            "TranscodeMedia",
            &[
                ("Vendor", "Huawei"),
                ("FileId", &id),
                ("Resolution", "360p")
            ]
        )
        .await,
        2
    );
}

#[tokio::test]
async fn tencent_thumbnails_at_offsets() {
    let (server, clock) = frozen().await;
    let id = seed(&server, json!({"stream_id": "s1", "duration": 60})).await;
    // Both array forms: ExtTimeOffsetSet[] and a repeated ExtTimeOffsetSet.
    let bracket = api_raw(&server, &clock, "MediaThumbnails", &format!("Vendor=Tencent&FileId={id}&Definition=10&ExtTimeOffsetSet[]=1&ExtTimeOffsetSet[]=2&Type=SnapshotByTimeOffset")).await;
    assert_eq!(bracket["Code"], 0, "{bracket}");
    let plain = api_raw(&server, &clock, "MediaThumbnails", &format!("Vendor=Tencent&FileId={id}&Definition=10&ExtTimeOffsetSet=1&ExtTimeOffsetSet=2&ExtTimeOffsetSet=90&Type=SnapshotByTimeOffset")).await;
    assert_eq!(plain["Code"], 0, "{plain}");
    let task = bracket["Data"]["Tencent"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_string();
    let task2 = plain["Data"]["Tencent"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_string();
    advance(&clock, 5);
    let d = describe_task(&server, &clock, &task, "Tencent").await;
    assert_eq!(d["Data"]["Tencent"]["Event"], "SnapshotByTimeOffset");
    let urls = d["Data"]["Tencent"]["ThumbnailsUrl"]
        .as_array()
        .expect("urls");
    assert_eq!(urls.len(), 2);
    assert!(urls[0]
        .as_str()
        .unwrap_or_default()
        .contains("/snapshotByTimeOffset/"));
    // An offset past the end makes no picture.
    let d2 = describe_task(&server, &clock, &task2, "Tencent").await;
    assert_eq!(
        d2["Data"]["Tencent"]["ThumbnailsUrl"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // Refusals.
    let base = [
        ("Vendor", "Tencent"),
        ("FileId", id.as_str()),
        ("Type", "SnapshotByTimeOffset"),
    ];
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MediaThumbnails",
            &[base[0], base[1], base[2], ("ExtTimeOffsetSet[]", "1")]
        )
        .await,
        2,
        "no Definition"
    );
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MediaThumbnails",
            &[base[0], base[1], base[2], ("Definition", "10")]
        )
        .await,
        2,
        "no offsets"
    );
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MediaThumbnails",
            &[
                base[0],
                base[1],
                base[2],
                ("Definition", "10"),
                ("ExtTimeOffsetSet[]", "-1")
            ]
        )
        .await,
        2
    );
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MediaThumbnails",
            &[
                base[0],
                ("FileId", "999"),
                base[2],
                ("Definition", "10"),
                ("ExtTimeOffsetSet[]", "1")
            ]
        )
        .await,
        1000
    );
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MediaThumbnails",
            &[base[0], base[1], ("Type", "Other"), ("Definition", "10")]
        )
        .await,
        2
    );
}

#[tokio::test]
async fn delete_media_reports_each_file() {
    // Arrange
    let (server, clock) = frozen().await;
    let a = seed(&server, json!({"stream_id": "a"})).await;
    let b = seed(&server, json!({"stream_id": "b"})).await;
    // Act: FileId[] form with one unknown id.
    let del = api(
        &server,
        &clock,
        "DeleteMedia",
        &[
            ("Vendor", "Tencent"),
            ("FileId[]", &a),
            ("FileId[]", "5285890813221513290"),
        ],
    )
    .await;
    // Assert
    assert_eq!(del["Code"], 0, "{del}");
    assert_eq!(del["Data"]["Deleted"], json!([a]));
    let errors = del["Data"]["Errors"].as_array().expect("Errors");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["Code"], "41003");
    assert_eq!(errors[0]["Key"], "5285890813221513290");
    assert!(del["Data"].get("WsItemIdReceiverResp").is_none());
    let found = api(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await;
    assert_eq!(
        found["Data"]["Tencent"]["MediaInfoSet"][0]["FileId"],
        b.as_str()
    );
    assert_eq!(found["Data"]["Tencent"]["TotalCount"], 1);
    // A deleted file is unknown: deleting it again is an error item, merging it 41003.
    let again = api(
        &server,
        &clock,
        "DeleteMedia",
        &[("Vendor", "Tencent"), ("FileId", &a)],
    )
    .await;
    assert_eq!(again["Data"]["Errors"][0]["Code"], "41003");
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MergeMedia",
            &[
                ("Vendor", "Tencent"),
                ("InputFileId[]", &a),
                ("OutputFileName", "x")
            ]
        )
        .await,
        41003
    );
    // The control plane still shows it, marked deleted.
    let (_, files) = control(&server, "GET", &media_path("media-files"), None).await;
    let shown = files["media_files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["id"] == a.as_str())
        .cloned()
        .expect("listed");
    assert!(shown["deleted_millis"].is_i64());
    // Refusals: both forms, neither, gaps, bad resolutions, Media for another vendor, ClearCache.
    let t = "Vendor=Tencent";
    for extra in [
        format!("{t}&FileId[]={b}&Media.0.FileId={b}"),
        t.to_string(),
        format!("{t}&Media.0.FileId={b}&Media.2.FileId={b}"),
        format!("{t}&Media.1.FileId={b}"),
        format!("{t}&Media.0.FileId={b}&Media.0.Resolution.3=360p"),
        format!("{t}&Media.0.FileId={b}&Media.0.Resolution.1=360p"),
        format!("{t}&Media.0.FileId={b}&Media.0.Resolution.0=480p"),
        format!("{t}&Media.0.FileId={b}&Media.0.Resolution.0=360p&Media.0.Resolution.1=360p"),
        format!("{t}&Media.0.Resolution.0=360p"),
        format!("{t}&FileId[]={b}&ClearCache=maybe"),
    ] {
        let v = api_raw(&server, &clock, "DeleteMedia", &extra).await;
        assert_eq!(v["Code"], 2, "{extra}: {v}");
    }
}

#[tokio::test]
async fn ws_delete_answers_its_cache_result() {
    let (server, clock) = frozen().await;
    set_vendor(&server, json!("Ws")).await;
    let key = seed(&server, json!({"stream_id": "w"})).await;
    let media = api_raw(
        &server,
        &clock,
        "DeleteMedia",
        &format!("Vendor=Ws&Media.0.FileId={key}"),
    )
    .await;
    assert_eq!(media["Code"], 2, "Media takes effect only for Tencent");
    let del = api(
        &server,
        &clock,
        "DeleteMedia",
        &[("Vendor", "Ws"), ("FileId", &key), ("ClearCache", "TRUE")],
    )
    .await;
    assert_eq!(del["Code"], 0, "{del}");
    assert_eq!(del["Data"]["Deleted"], json!([key]));
    assert_eq!(
        del["Data"]["WsItemIdReceiverResp"],
        json!({"Code": 1, "Message": "handle success"})
    );
    let none = api(
        &server,
        &clock,
        "DeleteMedia",
        &[("Vendor", "Ws"), ("FileId", &key)],
    )
    .await;
    assert_eq!(
        none["Data"]["WsItemIdReceiverResp"],
        json!({"Code": 0, "Message": ""})
    );
}

#[tokio::test]
async fn merge_with_crops_sums_the_cropped_spans_and_checks_its_parameters() {
    let (server, clock) = frozen().await;
    let id = seed(&server, json!({"stream_id": "s", "duration": 60})).await;
    // The classic example: two crops of one file, lower-case format, a name with an extension.
    let q = format!("Vendor=Tencent&Format=mp4&Type=1&HandleMediaArgs.0.FileId={id}&HandleMediaArgs.0.StartTime=0.5&HandleMediaArgs.0.EndTime=10.5&HandleMediaArgs.1.FileId={id}&HandleMediaArgs.1.StartTime=10&HandleMediaArgs.1.EndTime=15&OutputFileName=xxxx-xxxx-test-temp-2.mp4");
    let v = api_raw(&server, &clock, "MergeMedia", &q).await;
    assert_eq!(v["Code"], 0, "{v}");
    advance(&clock, 5);
    let files = server.media(DEV_APP_ID, P).files;
    let merged = files
        .iter()
        .find(|f| f.name == "xxxx-xxxx-test-temp-2.mp4")
        .expect("merged file");
    assert_eq!(merged.duration_millis, 15_000);
    // Refusals.
    for extra in [
        format!("Vendor=Tencent&Type=1&HandleMediaArgs.0.FileId={id}&HandleMediaArgs.2.FileId={id}&OutputFileName=o"),
        format!("Vendor=Tencent&Type=1&HandleMediaArgs.1.FileId={id}&OutputFileName=o"),
        format!("Vendor=Tencent&Type=1&HandleMediaArgs.0.FileId={id}&HandleMediaArgs.0.StartTime=5&HandleMediaArgs.0.EndTime=5&OutputFileName=o"),
        format!("Vendor=Tencent&Type=1&HandleMediaArgs.0.FileId={id}&HandleMediaArgs.0.StartTime=-1&OutputFileName=o"),
        format!("Vendor=Tencent&Type=2&InputFileId[]={id}&OutputFileName=o"),
        format!("Vendor=Tencent&InputFileId[]={id}"),
        "Vendor=Tencent&OutputFileName=o".to_string(),
        format!("Vendor=Tencent&Format=flv&InputFileId[]={id}&OutputFileName=o"),
        format!("Vendor=Tencent&InputFileId[]={id}&OutputFileName=o&ExpireTime=-1"),
        format!("Vendor=Ws&InputFileId[]={id}&OutputFileName=o"),
    ] {
        let v = api_raw(&server, &clock, "MergeMedia", &extra).await;
        assert_eq!(v["Code"], 2, "{extra}: {v}");
    }
    // A repeated InputFileId counts as the list; an unknown file is 41003.
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MergeMedia",
            &[
                ("Vendor", "Tencent"),
                ("InputFileId", &id),
                ("InputFileId", &id),
                ("OutputFileName", "o")
            ]
        )
        .await,
        0
    );
    assert_eq!(
        code_of(
            &server,
            &clock,
            "MergeMedia",
            &[
                ("Vendor", "Tencent"),
                ("InputFileId[]", "5576678019238910395"),
                ("OutputFileName", "o")
            ]
        )
        .await,
        41003
    );
}

#[tokio::test]
async fn a_task_failed_through_the_control_plane_shows_fail() {
    let (server, clock) = frozen().await;
    let id = seed(&server, json!({"stream_id": "s"})).await;
    let v = api(
        &server,
        &clock,
        "MergeMedia",
        &[
            ("Vendor", "Tencent"),
            ("InputFileId[]", &id),
            ("OutputFileName", "o"),
        ],
    )
    .await;
    let task = v["Data"]["Tencent"]["TaskId"]
        .as_str()
        .expect("TaskId")
        .to_string();
    let (status, body) = control(
        &server,
        "POST",
        &media_path(&format!("media-tasks/{task}/fail")),
        Some(json!({"code": "60000", "message": "Source file error."})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let d = describe_task(&server, &clock, &task, "Tencent").await;
    assert_eq!(d["Data"]["Tencent"]["Status"], "FAIL");
    assert_eq!(d["Data"]["Tencent"]["Message"], "Source file error.");
    advance(&clock, 10);
    let d = describe_task(&server, &clock, &task, "Tencent").await;
    assert_eq!(
        d["Data"]["Tencent"]["Status"], "FAIL",
        "a failed task never finishes"
    );
    assert_eq!(server.media(DEV_APP_ID, P).files.len(), 1, "no merged file");
    let compose: Vec<_> = server
        .events(DEV_APP_ID, P)
        .into_iter()
        .filter(|e| e.event == "compose")
        .collect();
    assert_eq!(compose.len(), 1);
    assert_eq!(compose[0].data["code"], "60000");
    let (status, _) = control(
        &server,
        "POST",
        &media_path(&format!("media-tasks/{task}/fail")),
        None,
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = control(&server, "POST", &media_path("media-tasks/nope/fail"), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn each_documented_refusal() {
    let (server, clock) = frozen().await;
    let c = |action: &'static str, params: Vec<(&'static str, String)>| {
        let server = &server;
        let clock = &clock;
        async move {
            let p: Vec<(&str, &str)> = params.iter().map(|(n, v)| (*n, v.as_str())).collect();
            code_of(server, clock, action, &p).await
        }
    };
    let s = |v: &str| v.to_string();
    // 2: missing or invalid parameters (StartCDNRecord).
    assert_eq!(c("StartCDNRecord", vec![("Vendor", s("Tencent"))]).await, 2);
    assert_eq!(
        c(
            "StartCDNRecord",
            vec![("StreamId[]", s("")), ("Vendor", s("Tencent"))]
        )
        .await,
        2
    );
    assert_eq!(
        c(
            "StartCDNRecord",
            vec![("StreamId[]", s("a")), ("Vendor", s("Akamai"))]
        )
        .await,
        2
    );
    assert_eq!(c("StartCDNRecord", vec![("StreamId[]", s("a"))]).await, 2);
    let past = (T0 - 1).to_string();
    let far = (T0 + 86_401).to_string();
    assert_eq!(
        c(
            "StartCDNRecord",
            vec![
                ("StreamId[]", s("a")),
                ("Vendor", s("Tencent")),
                ("EndTime", past)
            ]
        )
        .await,
        2
    );
    assert_eq!(
        c(
            "StartCDNRecord",
            vec![
                ("StreamId[]", s("a")),
                ("Vendor", s("Tencent")),
                ("EndTime", far)
            ]
        )
        .await,
        2
    );
    assert_eq!(c("StopCDNRecord", vec![("Vendor", s("Tencent"))]).await, 2);
    assert_eq!(
        c("DescribeMediaTask", vec![("Vendor", s("Tencent"))]).await,
        2
    );
    assert_eq!(
        c(
            "DescribeMediaTask",
            vec![("TaskId", s("x")), ("Vendor", s("Ws"))]
        )
        .await,
        2
    );
    assert_eq!(
        c(
            "SearchMedia",
            vec![("Vendor", s("Tencent")), ("PageSize", s("0"))]
        )
        .await,
        2
    );
    assert_eq!(
        c(
            "SearchMedia",
            vec![
                ("Vendor", s("Tencent")),
                ("PageNumber", s("500")),
                ("PageSize", s("10"))
            ]
        )
        .await,
        2
    );
    assert_eq!(
        c(
            "SearchMedia",
            vec![("Vendor", s("Tencent")), ("StartTime", s("soon"))]
        )
        .await,
        2
    );
    assert_eq!(
        c(
            "SearchMedia",
            vec![("Vendor", s("Tencent")), ("NamePrefix", "n".repeat(21))]
        )
        .await,
        2
    );
    assert_eq!(
        c(
            "SearchMedia",
            vec![("Vendor", s("Tencent")), ("FileId[]", "1".repeat(41))]
        )
        .await,
        2
    );
    let eleven: Vec<(&'static str, String)> = std::iter::once(("Vendor", s("Tencent")))
        .chain((0..11).map(|i| ("StreamId[]", i.to_string())))
        .collect();
    assert_eq!(c("SearchMedia", eleven).await, 2);
    // Empty values count as absent (the classic example sends StartTime= … PageNumber=).
    assert_eq!(
        c(
            "SearchMedia",
            vec![
                ("Vendor", s("Tencent")),
                ("StartTime", s("")),
                ("PageSize", s(""))
            ]
        )
        .await,
        0
    );
    // An idempotent start: the same TaskId; a stop without a recording still succeeds.
    let a = api(
        &server,
        &clock,
        "StartCDNRecord",
        &[("StreamId[]", "idem"), ("Vendor", "Tencent")],
    )
    .await;
    let b = api(
        &server,
        &clock,
        "StartCDNRecord",
        &[("StreamId", "idem"), ("Vendor", "Tencent")],
    )
    .await;
    assert_eq!(
        a["Data"]["Tencent"][0]["TaskId"],
        b["Data"]["Tencent"][0]["TaskId"]
    );
    assert_eq!(
        c(
            "StopCDNRecord",
            vec![("StreamId[]", s("never")), ("Vendor", s("Tencent"))]
        )
        .await,
        0
    );
    // 1000: an unknown Tencent task.
    assert_eq!(
        c(
            "DescribeMediaTask",
            vec![
                ("TaskId", s("1400341231-ComposeMedia-x")),
                ("Vendor", s("Tencent"))
            ]
        )
        .await,
        1000
    );
    // 4: another vendor than the app's; parameters are checked first (2).
    assert_eq!(
        c(
            "StartCDNRecord",
            vec![("StreamId[]", s("a")), ("Vendor", s("Ws"))]
        )
        .await,
        4
    );
    assert_eq!(c("SearchMedia", vec![("Vendor", s("Huawei"))]).await, 4);
    assert_eq!(c("StartCDNRecord", vec![("Vendor", s("Ws"))]).await, 2);
    // 5: no CDN configured.
    set_vendor(&server, Value::Null).await;
    assert_eq!(
        c(
            "StopCDNRecord",
            vec![("StreamId[]", s("a")), ("Vendor", s("Tencent"))]
        )
        .await,
        5
    );
    assert_eq!(
        c(
            "MergeMedia",
            vec![("Vendor", s("Huawei")), ("InputFileId[]", s("k"))]
        )
        .await,
        5
    );
    // 3: the permission is off, for every action, before the parameters.
    server.set_features(
        DEV_APP_ID,
        Features {
            cdn_record: false,
            ..Features::default()
        },
    );
    for action in [
        "StartCDNRecord",
        "StopCDNRecord",
        "SearchMedia",
        "DeleteMedia",
        "MergeMedia",
        "DescribeMediaTask",
        "TranscodeMedia",
        "MediaThumbnails",
    ] {
        assert_eq!(c(action, vec![]).await, 3, "{action}");
    }
    // 2 for an invalid IsTest, before the permission.
    assert_eq!(
        c(
            "SearchMedia",
            vec![("Vendor", s("Tencent")), ("IsTest", s("maybe"))]
        )
        .await,
        2
    );
}

#[tokio::test]
async fn the_21st_request_in_a_second_is_throttled() {
    let (server, clock) = frozen().await;
    for i in 0..20 {
        assert_eq!(
            code_of(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await,
            0,
            "request {i}"
        );
    }
    let v = api(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await;
    assert_eq!(v["Code"], 6);
    assert_eq!(
        code_of(
            &server,
            &clock,
            "DeleteMedia",
            &[("Vendor", "Tencent"), ("FileId", "1")]
        )
        .await,
        0,
        "one counter per action"
    );
    advance(&clock, 1);
    assert_eq!(
        code_of(&server, &clock, "SearchMedia", &[("Vendor", "Tencent")]).await,
        0
    );
}

#[tokio::test]
async fn a_signature_mismatch_answers_7_with_legacy_codes() {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder()
        .clock(clock.clone())
        .legacy_codes(true)
        .start()
        .await;
    let q =
        dev_query("SearchMedia", T0, &[("Vendor", "Tencent")]).replace("Signature=", "Signature=0");
    assert_eq!(code(&server, &q).await, 7);
}

#[tokio::test]
async fn the_control_plane_configures_lists_seeds_and_resets() {
    let (server, clock) = frozen().await;
    // Defaults.
    let (status, cfg) = control(&server, "GET", &media_path("media-config"), None).await;
    assert_eq!(status, 200);
    assert_eq!(cfg["cdn_vendor"], "Tencent");
    assert_eq!(cfg["record_formats"], json!(["mp4"]));
    assert_eq!(cfg["record_interval_secs"], 7200);
    assert_eq!(
        cfg["media_task_timing"],
        json!({"queue_secs": 1, "process_secs": 4})
    );
    // A partial update keeps the rest; bad values are 400 with a reason.
    let (status, cfg) = control(
        &server,
        "PUT",
        &media_path("media-config"),
        Some(json!({"media_task_timing": {"process_secs": 9}})),
    )
    .await;
    assert_eq!(status, 200, "{cfg}");
    assert_eq!(
        cfg["media_task_timing"],
        json!({"queue_secs": 1, "process_secs": 9})
    );
    assert_eq!(cfg["cdn_vendor"], "Tencent");
    for bad in [
        json!({"record_interval_secs": 100}),
        json!({"record_formats": ["avi"]}),
        json!({"cdn_vendor": "Akamai"}),
        json!({"colour": 1}),
        json!([1]),
    ] {
        let (status, body) = control(
            &server,
            "PUT",
            &media_path("media-config"),
            Some(bad.clone()),
        )
        .await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    // The test environment has its own configuration.
    let (_, test_cfg) = control(&server, "GET", &media_path("media-config?env=test"), None).await;
    assert_eq!(test_cfg["media_task_timing"]["process_secs"], 4);
    // Lists: a recording, a seeded file, a task.
    server
        .start_publishing(DEV_APP_ID, P, "r1")
        .expect("publish");
    assert_eq!(
        code_of(
            &server,
            &clock,
            "StartCDNRecord",
            &[("StreamId[]", "r1"), ("Vendor", "Tencent")]
        )
        .await,
        0
    );
    let (_, recs) = control(&server, "GET", &media_path("recordings"), None).await;
    assert!(recs["recordings"]["r1"]["task_id"].is_string(), "{recs}");
    assert_eq!(recs["recordings"]["r1"]["open_segments"]["mp4"], T0 * 1000);
    let (status, bad) = control(
        &server,
        "POST",
        &media_path("media-files"),
        Some(json!({"stream_id": "s", "format": "avi"})),
    )
    .await;
    assert_eq!(status, 400, "{bad}");
    let id = seed(
        &server,
        json!({"stream_id": "s", "id": "5285890813221514958"}),
    )
    .await;
    assert_eq!(id, "5285890813221514958");
    let (status, _) = control(
        &server,
        "POST",
        &media_path("media-files"),
        Some(json!({"stream_id": "s", "id": "5285890813221514958"})),
    )
    .await;
    assert_eq!(status, 400, "a duplicate id");
    assert_eq!(
        code_of(
            &server,
            &clock,
            "TranscodeMedia",
            &[
                ("Vendor", "Tencent"),
                ("FileId", &id),
                ("Resolution", "720p")
            ]
        )
        .await,
        0
    );
    let (_, tasks) = control(&server, "GET", &media_path("media-tasks"), None).await;
    assert_eq!(tasks["media_tasks"][0]["status"], "WAITING");
    assert_eq!(tasks["media_tasks"][0]["event"], "transcode");
    let (_, files) = control(&server, "GET", &media_path("media-files"), None).await;
    assert_eq!(files["media_files"].as_array().map(Vec::len), Some(1));
    // The index lists the routes.
    let (_, index) = control(&server, "GET", "/_mock", None).await;
    let paths = index["endpoints"].to_string();
    assert!(paths.contains("media-config") && paths.contains("media-tasks/{task_id}/fail"));
    // Reset clears it all.
    let (status, _) = control(&server, "DELETE", &media_path("state"), None).await;
    assert_eq!(status, 200);
    let view = server.media(DEV_APP_ID, P);
    assert!(view.files.is_empty() && view.tasks.is_empty() && view.recordings.is_empty());
    let (_, cfg) = control(&server, "GET", &media_path("media-config"), None).await;
    assert_eq!(cfg["media_task_timing"]["process_secs"], 4);
}
