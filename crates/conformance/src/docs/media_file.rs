//! Media files (`api-reference/cdn/`): StartCDNRecord, StopCDNRecord, SearchMedia, DeleteMedia,
//! MergeMedia, DescribeMediaTask, TranscodeMedia (page `start-on-demand-transcoding.yaml`) and
//! MediaThumbnails, all GET, transcribed from each page.
//!
//! Codes from the pages and the "Media File Interfaces" table of `return-codes.mdx`: 2 Input
//! parameter error, 3 Related permissions not activated, 4 CDN type mismatch, 5 Configuration
//! error, 6 Request too frequent, 7 Authentication failed, 1000 Request failed, 41003 File does
//! not exist (SearchMedia's page adds 8). Every success answers Message `"success"` with an
//! object `Data`. No page documents a `zegotest-` prefix or a Sequence.
//!
//! Every page's limit is one figure, "All rooms under the same AppID ...: 20 times/second", with
//! no test-environment figure: the test environment has the same figure, counted on its own
//! (SPEC-rest-callbacks.md §1, "one counter per action", SPEC.md §5 per AppId and environment), so
//! no case checks a separate test limit. An invalid `IsTest` answers 2 (the mock's choice,
//! SPEC-rest-callbacks.md §0.2); with legacy codes a signature mismatch answers the pages' own 7,
//! and an expired timestamp keeps the gateway's code (7 speaks of parameters, not expiry, ★42).
//!
//! What the generated cases leave out, and why (flows check what the spec decides of it):
//! - parameters that take effect for one vendor only (`EndTime` of StartCDNRecord, `Domain`,
//!   `Point`, SearchMedia's `Marker` and `MaxKeys`, MediaThumbnails' `Definition` and
//!   `Interval`): the spec has the other vendors ignore them, so what a bad value answers depends
//!   on the sample's Vendor; those whose refusal depends on the clock (`EndTime`) or on another
//!   parameter (`OutputFileName` "required when Vendor is Tencent", `ExtTimeOffsetSet[]`
//!   "required when Type is SnapshotByTimeOffset") likewise;
//! - the indexed-dot parameters (`HandleMediaArgs.N.*`, `Media.N.*`) and `InputFileId[]`, valid
//!   or ignored by MergeMedia's `Type` and mutually exclusive on DeleteMedia: changing one of them
//!   alone can make the request valid in another way.

use super::STREAM_ID_MAX_LEN;
use super::{ActionDoc, Codes, DataShape, Failure, Family, Kind, Method, Param, RateLimit, Where};

/// Input parameter error.
pub const PARAMETER_ERROR: i64 = 2;
/// Related permissions not activated (the app's CDN recording permission).
pub const PERMISSION_OFF: i64 = 3;
/// CDN type mismatch.
pub const VENDOR_MISMATCH: i64 = 4;
/// Request too frequent.
pub const THROTTLED: i64 = 6;
/// Authentication failed: the pages' own code for a signature mismatch.
pub const AUTH_FAILED: i64 = 7;
/// Request failed: "if an incorrect FileId is passed in, the Code in the response parameter will
/// be 1000" (TranscodeMedia, MediaThumbnails).
pub const REQUEST_FAILED: i64 = 1000;
/// File does not exist.
pub const FILE_MISSING: i64 = 41_003;

/// SearchMedia's `FileId[]`: "supporting up to 10 FileIds, with a maximum length of 40
/// characters for each FileId".
pub const SEARCH_FILE_ID_MAX_LEN: usize = 40;
/// SearchMedia's lists: `maxItems: 10`.
pub const SEARCH_MAX_ITEMS: usize = 10;
/// SearchMedia's `NamePrefix`: "supporting up to 20 bytes".
pub const NAME_PREFIX_MAX_BYTES: usize = 20;
/// SearchMedia's `MaxKeys`: "value range [1, 1000]".
pub const MAX_KEYS_RANGE: (i64, i64) = (1, 1000);
/// DeleteMedia's `FileId[]`: "supporting up to 100 media file FileIds".
pub const DELETE_MAX_ITEMS: usize = 100;
/// MergeMedia's `InputFileId[]` with Tencent: "A maximum of 10 files can be merged".
pub const MERGE_TENCENT_MAX_INPUTS: usize = 10;
/// StartCDNRecord's `EndTime`: "cannot exceed 24 hours from the current time".
pub const RECORD_END_MAX_SECS: i64 = 86_400;

/// A query parameter whose failures all answer 2.
const fn param(name: &'static str, kind: Kind, required: bool) -> Param {
    Param {
        name,
        at: Where::Query,
        kind,
        required,
        condition: None,
        codes: Codes::all(PARAMETER_ERROR),
        choices: &[],
    }
}

/// The same parameter with the listed failures marked as the mock's choices.
const fn chosen(mut p: Param, choices: &'static [Failure]) -> Param {
    p.choices = choices;
    p
}

/// A parameter that takes effect, or is required, only under a condition the generated cases
/// cannot hold (a vendor, another parameter): no generated case, flows check it.
const fn conditional(name: &'static str, condition: &'static str) -> Param {
    Param {
        name,
        at: Where::Query,
        kind: Kind::Opaque,
        required: false,
        condition: Some(condition),
        codes: Codes::all(PARAMETER_ERROR),
        choices: &[],
    }
}

/// `Vendor`, required, one of the page's enum.
const fn vendor(values: &'static [&'static str]) -> Param {
    param("Vendor", Kind::Enum(values), true)
}

/// Start/StopCDNRecord's `Vendor`: the English page's enum [Tencent, Ws, Huawei] and the Chinese
/// page's Aliyun (`YZ:cdn/start-cdn-record.yaml`; `Domain` and `Point` are "valid when Vendor is
/// Aliyun" on the English page too).
const RECORD_VENDORS: &[&str] = &["Tencent", "Ws", "Huawei", "Aliyun"];
/// SearchMedia's and DeleteMedia's `Vendor`.
const FILE_VENDORS: &[&str] = &["Tencent", "Ws", "Huawei"];
/// MergeMedia's, DescribeMediaTask's and MediaThumbnails' `Vendor`.
const TASK_VENDORS: &[&str] = &["Tencent", "Huawei"];

/// Start/StopCDNRecord's `StreamId[]`: `minItems: 1`, no `maxItems`. An entry over the platform's
/// 256-character StreamId limit answering 2 is the mock's choice, and no character set is
/// enforced on these pages (SPEC-rest-callbacks.md F1).
const RECORD_STREAMS: Param = chosen(
    param(
        "StreamId[]",
        Kind::IdList {
            min: 1,
            max: None,
            max_bytes: Some(STREAM_ID_MAX_LEN),
        },
        true,
    ),
    &[Failure::TooLong],
);

/// `Domain` and `Point`: "valid when Vendor is Aliyun".
const ALIYUN_ONLY: [Param; 2] = [
    conditional("Domain", "valid when Vendor is Aliyun"),
    conditional("Point", "valid when Vendor is Aliyun"),
];

/// StartCDNRecord's parameters, in the page's order.
const START_CDN_RECORD: &[Param] = &[
    RECORD_STREAMS,
    vendor(RECORD_VENDORS),
    // "The set time must be greater than the current time, and cannot exceed 24 hours from the
    // current time. This parameter only takes effect when Vendor is "Tencent"": its bounds move
    // with the clock, a flow checks them.
    conditional(
        "EndTime",
        "only takes effect when Vendor is Tencent; bounds relative to now",
    ),
    ALIYUN_ONLY[0],
    ALIYUN_ONLY[1],
];

/// StopCDNRecord's parameters, in the page's order.
const STOP_CDN_RECORD: &[Param] = &[
    RECORD_STREAMS,
    vendor(RECORD_VENDORS),
    ALIYUN_ONLY[0],
    ALIYUN_ONLY[1],
];

/// A SearchMedia filter "only valid when Vendor is set to Tencent", an integer of no stated
/// range.
const fn tencent_integer(name: &'static str) -> Param {
    param(name, Kind::Integer { min: None }, false)
}

/// SearchMedia's parameters, in the page's order. The Tencent-only filters are checked with the
/// sample's Vendor Tencent (the app's default CDN); the Ws/Huawei-only ones are not generated.
const SEARCH_MEDIA: &[Param] = &[
    vendor(FILE_VENDORS),
    param(
        "NamePrefix",
        Kind::Text {
            max_bytes: NAME_PREFIX_MAX_BYTES,
        },
        false,
    ),
    tencent_integer("StartTime"),
    tencent_integer("EndTime"),
    // "PageNumber * PageSize + PageSize must not exceed 5000": a cross-field bound, a flow's.
    tencent_integer("PageSize"),
    tencent_integer("PageNumber"),
    param(
        "FileId[]",
        Kind::IdList {
            min: 1,
            max: Some(SEARCH_MAX_ITEMS),
            max_bytes: Some(SEARCH_FILE_ID_MAX_LEN),
        },
        false,
    ),
    // No length is stated for these StreamIds.
    param(
        "StreamId[]",
        Kind::IdList {
            min: 1,
            max: Some(SEARCH_MAX_ITEMS),
            max_bytes: None,
        },
        false,
    ),
    conditional("Marker", "valid when Vendor is Ws or Huawei"),
    // "value range [1, 1000]", "valid when Vendor is set to Ws or Huawei": a flow checks the
    // range with the app's CDN set to Huawei.
    conditional("MaxKeys", "valid when Vendor is Ws or Huawei"),
];

/// DeleteMedia's parameters, in the page's order.
const DELETE_MEDIA: &[Param] = &[
    vendor(FILE_VENDORS),
    // "supporting up to 100 media file FileIds" (`maxItems: 100`); with `Media` absent it is the
    // request's one list of files, so never left out.
    Param {
        condition: Some("FileId[] and Media are mutually exclusive; one of them names the files"),
        ..param(
            "FileId[]",
            Kind::IdList {
                min: 1,
                max: Some(DELETE_MAX_ITEMS),
                max_bytes: None,
            },
            false,
        )
    },
    conditional(
        "Media.N.FileId",
        "mutually exclusive with FileId[]; takes effect only when Vendor is Tencent",
    ),
    conditional(
        "Media.N.Resolution.M",
        "mutually exclusive with FileId[]; takes effect only when Vendor is Tencent",
    ),
    // `type: boolean`; "Only supports Wangsu". What a non-boolean answers is the mock's choice.
    chosen(
        param("ClearCache", Kind::Bool, false),
        &[Failure::Malformed],
    ),
];

/// MergeMedia's parameters, in the page's order.
const MERGE_MEDIA: &[Param] = &[
    vendor(TASK_VENDORS),
    // Tencent: MP3, MP4, M3U8; Huawei: MP4, M3U8. A value in neither list is refused whatever
    // the vendor; the comparison ignoring case is the mock's choice (the older example sends
    // `mp4`), and so is the code.
    chosen(
        param("Format", Kind::Enum(&["MP3", "MP4", "M3U8"]), false),
        &[Failure::Malformed],
    ),
    // Optional (default "0"), but it decides which of InputFileId[] and HandleMediaArgs the
    // request needs: leaving it out of a Type 1 sample makes the request invalid, so no case
    // leaves it out.
    Param {
        condition: Some("decides which of InputFileId[] and HandleMediaArgs is required"),
        ..param("Type", Kind::Enum(&["0", "1"]), false)
    },
    conditional(
        "InputFileId[]",
        "valid and required when Type is 0; at most 10 files with Tencent, 20 with Huawei",
    ),
    conditional(
        "HandleMediaArgs.N.FileId",
        "valid (and required) when Type is 1",
    ),
    conditional("HandleMediaArgs.N.StartTime", "valid when Type is 1"),
    conditional("HandleMediaArgs.N.EndTime", "valid when Type is 1"),
    conditional("OutputFileName", "required when Vendor is Tencent"),
    // `minimum: 0`, hours, "valid only when Vendor is Tencent" (the sample's vendor).
    param("ExpireTime", Kind::Integer { min: Some(0) }, false),
];

/// A required id of the vendor's form (a TaskId, a FileId): absent answers 2; an empty one
/// answering 2 rather than as an unknown id is the mock's choice.
const fn vendor_id(name: &'static str) -> Param {
    chosen(param(name, Kind::Opaque, true), &[Failure::Empty])
}

/// DescribeMediaTask's parameters, in the page's order.
const DESCRIBE_MEDIA_TASK: &[Param] = &[vendor_id("TaskId"), vendor(TASK_VENDORS)];

/// TranscodeMedia's parameters, in the page's order.
const TRANSCODE_MEDIA: &[Param] = &[
    vendor(&["Tencent"]),
    vendor_id("FileId"),
    param("Resolution", Kind::Enum(&["360p", "540p", "720p"]), true),
];

/// MediaThumbnails' parameters, in the page's order.
const MEDIA_THUMBNAILS: &[Param] = &[
    vendor(TASK_VENDORS),
    vendor_id("FileId"),
    param(
        "Type",
        Kind::Enum(&["SnapshotByTimeOffset", "SampleSnapshot"]),
        true,
    ),
    conditional("Definition", "valid and required when Vendor is Tencent"),
    conditional(
        "ExtTimeOffsetSet[]",
        "required when Type is SnapshotByTimeOffset",
    ),
    conditional("Interval", "valid and required when Vendor is Huawei"),
];

const fn media_file(
    action: &'static str,
    page: &'static str,
    params: &'static [Param],
) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::MediaFile,
        method: Method::Get,
        page,
        rate_limit: RateLimit {
            production: 20,
            test: None,
            shared_across_envs: false,
            code: THROTTLED,
        },
        message: "success",
        data: DataShape::Object,
        is_test_code: PARAMETER_ERROR,
        legacy_auth: Some(AUTH_FAILED),
        legacy_timestamp: None,
        params,
        room_limit: None,
        body_code: None,
    }
}

/// The family's actions, in the order the catalogue runs them.
pub const ACTIONS: &[ActionDoc] = &[
    media_file(
        "StartCDNRecord",
        "cdn/start-cdn-record.yaml",
        START_CDN_RECORD,
    ),
    media_file("StopCDNRecord", "cdn/stop-cdn-record.yaml", STOP_CDN_RECORD),
    media_file("SearchMedia", "cdn/search-media.yaml", SEARCH_MEDIA),
    media_file("DeleteMedia", "cdn/delete-media.yaml", DELETE_MEDIA),
    media_file("MergeMedia", "cdn/merge-media.yaml", MERGE_MEDIA),
    media_file(
        "DescribeMediaTask",
        "cdn/describe-media-task.yaml",
        DESCRIBE_MEDIA_TASK,
    ),
    media_file(
        "TranscodeMedia",
        "cdn/start-on-demand-transcoding.yaml",
        TRANSCODE_MEDIA,
    ),
    media_file(
        "MediaThumbnails",
        "cdn/media-thumbnails.yaml",
        MEDIA_THUMBNAILS,
    ),
];
