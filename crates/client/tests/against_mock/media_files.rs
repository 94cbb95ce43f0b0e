//! The happy path of each media-file action against the mock, as `SPEC-rest-callbacks.md` §2
//! specifies it: the app's CDN vendor is Tencent (the default), files come from recording a live
//! stream (published through the mock's control plane, `start_publishing`) between
//! StartCDNRecord and StopCDNRecord with the mock's clock moved, and media tasks go WAITING,
//! PROCESSING, FINISH on the clock (1 s queued, 4 s processing by default).
//!
//! Included by `against_mock.rs` (its `happy_path` hands every media-file action to this
//! module). Only the answer's own vendor key is expected in `Data`. The mock's clock moves
//! ahead of the client's (which signs with the frozen `ManualClock`), about 130 s over this
//! module, well within the mock's 600 s timestamp window; keep the recordings short.

use std::time::Duration;
use zego_client::{
    CdnVendor, Client, DeleteMediaRequest, DescribeMediaTaskRequest, Error, MediaResolution,
    MediaThumbnailsRequest, MergeMediaRequest, SearchMediaRequest, StartCdnRecordRequest,
    StopCdnRecordRequest, TencentMediaTask, ThumbnailType, TranscodeMediaRequest,
};
use zego_mock::{Env, MockServer, DEV_APP_ID};

/// The media-file actions this module has a happy path for.
pub(super) const ACTIONS: &[&str] = &[
    "StartCDNRecord",
    "StopCDNRecord",
    "SearchMedia",
    "DeleteMedia",
    "MergeMedia",
    "DescribeMediaTask",
    "TranscodeMedia",
    "MediaThumbnails",
];

const ENV: Env = Env::Production;

/// The app's CDN vendor by default.
const VENDOR: CdnVendor = CdnVendor::Tencent;

/// Longer than a media task's default queue and processing time together (1 s + 4 s).
const TASK_TIME: Duration = Duration::from_secs(6);

/// A stream goes live, published by a client outside any room.
fn publish(server: &MockServer, stream: &str) {
    server
        .start_publishing(DEV_APP_ID, ENV, stream)
        .unwrap_or_else(|e| panic!("publish {stream}: {e:?}"));
}

/// Records `secs` seconds of a live stream (StartCDNRecord, the clock moved, StopCDNRecord) and
/// answers the new file's FileId, found with SearchMedia.
async fn record_file(
    server: &MockServer,
    client: &Client,
    stream: &str,
    secs: u64,
) -> Result<String, Error> {
    publish(server, stream);
    client
        .start_cdn_record(StartCdnRecordRequest::new(VENDOR, [stream]))
        .await?;
    server.clock().advance(Duration::from_secs(secs));
    client
        .stop_cdn_record(StopCdnRecordRequest::new(VENDOR, [stream]))
        .await?;
    let files = client
        .search_media(SearchMediaRequest::new(VENDOR).stream_ids([stream]))
        .await?
        .data
        .tencent
        .expect("a Tencent answer");
    assert_eq!(files.total_count, 1, "one mp4 file of {stream}: {files:?}");
    Ok(files.media_info_set[0].file_id.clone())
}

/// DescribeMediaTask of a Tencent task.
async fn describe(client: &Client, task_id: &str) -> Result<TencentMediaTask, Error> {
    let r = client
        .describe_media_task(DescribeMediaTaskRequest::new(task_id, VENDOR))
        .await?;
    assert_eq!(r.message, "success");
    assert_eq!(r.data.huawei, None, "only the named vendor answers");
    Ok(r.data.tencent.expect("a Tencent answer"))
}

/// Calls the media-file action `action` the way an application would and checks the answer.
pub(super) async fn happy_path(
    server: &MockServer,
    client: &Client,
    action: &str,
) -> Result<(), Error> {
    let stream = format!("happy-{}", action.to_ascii_lowercase());
    match action {
        "StartCDNRecord" => {
            publish(server, &stream);
            let r = client
                .start_cdn_record(StartCdnRecordRequest::new(VENDOR, [&stream]))
                .await?;
            assert_eq!(r.message, "success");
            assert!(!r.request_id.is_empty());
            assert_eq!(
                (
                    r.data.ws.is_none(),
                    r.data.huawei.is_none(),
                    r.data.aliyun.is_none()
                ),
                (true, true, true),
                "only the named vendor's key: {:?}",
                r.data
            );
            let items = r.data.tencent.expect("Tencent");
            assert_eq!(items.len(), 1);
            assert_eq!(items[0].stream_name, stream);
            assert!(!items[0].task_id.is_empty());
            assert_eq!(items[0].code, "", "a successful stream's Code is empty");
            // Starting an active recording again answers the same task.
            let again = client
                .start_cdn_record(StartCdnRecordRequest::new(VENDOR, [&stream]))
                .await?;
            assert_eq!(
                again.data.tencent.expect("Tencent")[0].task_id,
                items[0].task_id
            );
        }
        "StopCDNRecord" => {
            publish(server, &stream);
            client
                .start_cdn_record(StartCdnRecordRequest::new(VENDOR, [&stream]))
                .await?;
            server.clock().advance(Duration::from_secs(10));
            let r = client
                .stop_cdn_record(StopCdnRecordRequest::new(VENDOR, [&stream]))
                .await?;
            assert_eq!(r.message, "success");
            let items = r.data.tencent.expect("Tencent");
            assert_eq!(items.len(), 1);
            assert_eq!(items[0].stream_name, stream);
            assert_eq!(items[0].code, "");
            // A stream without a recording still gets a success item.
            let idle = format!("{stream}-idle");
            let r = client
                .stop_cdn_record(StopCdnRecordRequest::new(VENDOR, [&idle]))
                .await?;
            assert_eq!(r.data.tencent.expect("Tencent")[0].stream_name, idle);
        }
        "SearchMedia" => {
            let file_id = record_file(server, client, &stream, 30).await?;
            let r = client
                .search_media(
                    SearchMediaRequest::new(VENDOR)
                        .file_ids([&file_id])
                        .page_size(10)
                        .page_number(0),
                )
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!((r.data.ws, r.data.huawei), (None, None));
            let page = r.data.tencent.expect("Tencent");
            assert_eq!(page.total_count, 1);
            let file = &page.media_info_set[0];
            assert_eq!(file.file_id, file_id);
            assert_eq!(file.basic_info.media_type, "mp4");
            assert_eq!(file.basic_info.category, "Video");
            let original = &file.transcode_info.transcode_set[0];
            assert_eq!(original.definition, 0, "the original file comes first");
            assert!(
                (original.duration - 30.0).abs() < 1.0,
                "30 s recorded: {}",
                original.duration
            );
        }
        "DeleteMedia" => {
            let file_id = record_file(server, client, &stream, 10).await?;
            let unknown = "1234567890123456789";
            let r = client
                .delete_media(DeleteMediaRequest::files(
                    VENDOR,
                    [file_id.as_str(), unknown],
                ))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(r.data.deleted, [file_id.as_str()]);
            assert_eq!(r.data.errors.len(), 1, "{:?}", r.data.errors);
            assert_eq!(r.data.errors[0].key, unknown);
            assert_eq!(r.data.errors[0].code, "41003");
            // WsItemIdReceiverResp is Wangsu's.
            assert_eq!(r.data.ws_item_id_receiver_resp, None);
            let after = client
                .search_media(SearchMediaRequest::new(VENDOR).file_ids([&file_id]))
                .await?;
            assert_eq!(after.data.tencent.expect("Tencent").total_count, 0);
        }
        "MergeMedia" => {
            let a = record_file(server, client, &format!("{stream}-a"), 10).await?;
            let b = record_file(server, client, &format!("{stream}-b"), 10).await?;
            let r = client
                .merge_media(MergeMediaRequest::merge(VENDOR, [&a, &b]).output_file_name("merged"))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(r.data.huawei, None);
            let ticket = r.data.tencent.expect("Tencent");
            assert!(ticket.task_id.contains("-EditMedia-"), "{}", ticket.task_id);
            assert!(!ticket.request_id.is_empty());
        }
        "DescribeMediaTask" => {
            let a = record_file(server, client, &format!("{stream}-a"), 10).await?;
            let b = record_file(server, client, &format!("{stream}-b"), 10).await?;
            let task = client
                .merge_media(MergeMediaRequest::merge(VENDOR, [&a, &b]).output_file_name("both"))
                .await?
                .data
                .task_id()
                .expect("a task id")
                .to_string();
            let waiting = describe(client, &task).await?;
            assert_eq!(waiting.task_id, task);
            assert_eq!(waiting.event, "compose");
            assert_eq!(waiting.status, "WAITING");
            server.clock().advance(TASK_TIME);
            let done = describe(client, &task).await?;
            assert!(done.is_finished(), "{done:?}");
            assert!(
                !done.file_id.is_empty() && !done.replay_url.is_empty(),
                "{done:?}"
            );
            // The merged file is a file of the app.
            let merged = client
                .search_media(SearchMediaRequest::new(VENDOR).file_ids([&done.file_id]))
                .await?
                .data
                .tencent
                .expect("Tencent");
            assert_eq!(merged.total_count, 1);
            assert_eq!(merged.media_info_set[0].basic_info.name, "both.mp4");
        }
        "TranscodeMedia" => {
            let file_id = record_file(server, client, &stream, 10).await?;
            let r = client
                .transcode_media(TranscodeMediaRequest::new(
                    VENDOR,
                    &file_id,
                    MediaResolution::P540,
                ))
                .await?;
            assert_eq!(r.message, "success");
            let task = r.data.task_id().expect("a task id").to_string();
            assert!(task.contains("-procedurev2-"), "{task}");
            server.clock().advance(TASK_TIME);
            let done = describe(client, &task).await?;
            assert_eq!(done.event, "transcode");
            assert!(done.is_finished(), "{done:?}");
            // The source file gains a 540p transcode (Definition 100020).
            let file = client
                .search_media(SearchMediaRequest::new(VENDOR).file_ids([&file_id]))
                .await?
                .data
                .tencent
                .expect("Tencent");
            let set = &file.media_info_set[0].transcode_info.transcode_set;
            assert!(
                set.iter()
                    .any(|t| t.definition == 100_020 && t.height == 540),
                "{set:?}"
            );
        }
        "MediaThumbnails" => {
            let file_id = record_file(server, client, &stream, 10).await?;
            let r = client
                .media_thumbnails(
                    MediaThumbnailsRequest::new(
                        VENDOR,
                        &file_id,
                        ThumbnailType::SnapshotByTimeOffset,
                    )
                    .definition(10)
                    .ext_time_offset_set([1.0, 2.0]),
                )
                .await?;
            assert_eq!(r.message, "success");
            let task = r.data.task_id().expect("a task id").to_string();
            server.clock().advance(TASK_TIME);
            let done = describe(client, &task).await?;
            assert_eq!(done.event, "SnapshotByTimeOffset");
            assert!(done.is_finished(), "{done:?}");
            assert_eq!(done.thumbnails_url.len(), 2, "one per time point");
        }
        other => panic!("no media-file happy path for {other}"),
    }
    Ok(())
}
