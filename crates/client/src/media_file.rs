//! The media-file actions (ZEGO's "Media File Interfaces", the `cdn/` pages of the Server API):
//! CDN recording of chosen streams (StartCDNRecord, StopCDNRecord), the recorded files
//! (SearchMedia, DeleteMedia), and tasks on them (MergeMedia, TranscodeMedia, MediaThumbnails,
//! followed with DescribeMediaTask).
//!
//! Each action is a request type that serializes to the parameters its OpenAPI page documents
//! (names as on the wire, through serde) and a `Data` type, here, and one line in the table of
//! operations (`actions.rs`), which gives it its [`Client`](crate::Client) method.
//!
//! Every media-file action is a `GET` without a `Sequence`, and names the CDN vendor the app's
//! recordings live with ([`CdnVendor`]; each page lists the vendors it accepts). Lists travel as
//! the name with brackets, repeated (`StreamId[]=a&StreamId[]=b`, also `FileId[]`,
//! `InputFileId[]` and `ExtTimeOffsetSet[]`), as every description and example on these pages
//! writes them. Lists of objects travel in the pages' indexed-dot form, indices from 0:
//! `HandleMediaArgs.0.FileId=..&HandleMediaArgs.0.StartTime=..` (MergeMedia) and
//! `Media.0.FileId=..&Media.0.Resolution.0=360p` (DeleteMedia). Seconds and other decimal
//! numbers are sent whole when they are (`ExtTimeOffsetSet[]=1`, `StartTime=0.5`).
//!
//! A successful `Data` holds the answer of the vendor the request named, under that vendor's key
//! (`{"Tencent": [...]}`, `{"Ws": {...}}`, ...): the `Data` types have one `Option` per vendor
//! key, typed as the page types it, and the caller reads the one it asked for. Where the pages'
//! examples and schemas disagree on a type, the reading accepts both (each field says so).
//!
//! Their codes are read in the [`MediaFile`](crate::Family::MediaFile) family: 2 input parameter
//! error, 3 permission not enabled, 4 CDN type mismatch (the `Vendor` is not the app's CDN),
//! 5 configuration error, 6 too frequent, 7 authentication failed, 1000 request failed (also a
//! wrong `FileId` for TranscodeMedia and MediaThumbnails), 41003 file does not exist.

use crate::client::lenient_string;
use crate::mixing::{null_as_default, setters};
use crate::room::lenient_i64;
use crate::wire::{data_or_default, data_with_default, decimal, decimals, FromData};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Documented values

/// `Vendor`: the CDN vendor of the app's recordings, sent as its documented name. The pages
/// accept: StartCDNRecord and StopCDNRecord Tencent, Ws, Huawei (and Aliyun, on the Chinese
/// pages); SearchMedia and DeleteMedia Tencent, Ws, Huawei; MergeMedia, DescribeMediaTask and
/// MediaThumbnails Tencent, Huawei; TranscodeMedia Tencent only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CdnVendor {
    /// `Tencent`: Tencent Cloud.
    Tencent,
    /// `Ws`: Wangsu.
    Ws,
    /// `Huawei`: Huawei Cloud.
    Huawei,
    /// `Aliyun`: Alibaba Cloud (StartCDNRecord and StopCDNRecord, on the Chinese pages only).
    Aliyun,
}

impl CdnVendor {
    /// The name sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            CdnVendor::Tencent => "Tencent",
            CdnVendor::Ws => "Ws",
            CdnVendor::Huawei => "Huawei",
            CdnVendor::Aliyun => "Aliyun",
        }
    }
}

impl Serialize for CdnVendor {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A resolution of an on-demand transcode: TranscodeMedia's `Resolution` and DeleteMedia's
/// `Media.N.Resolution.M`. The default templates: MP4, H.264 at 25 fps with AAC audio, at
/// 400 kbps (360p), 1000 kbps (540p) or 1800 kbps (720p).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaResolution {
    /// `360p`.
    P360,
    /// `540p`.
    P540,
    /// `720p`.
    P720,
}

impl MediaResolution {
    /// The value sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaResolution::P360 => "360p",
            MediaResolution::P540 => "540p",
            MediaResolution::P720 => "720p",
        }
    }
}

impl Serialize for MediaResolution {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `Format` of a merged file (MergeMedia; default MP4). Tencent Cloud merges into MP3, MP4 or
/// M3U8 (for MP3 and MP4, the sources' audio should be AAC-LC), Huawei Cloud into MP4 or M3U8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MergeFormat {
    /// `MP3` (Tencent Cloud).
    Mp3,
    /// `MP4`, the default.
    Mp4,
    /// `M3U8`.
    M3u8,
}

impl MergeFormat {
    /// The value sent on the wire, as the page lists it.
    pub fn as_str(self) -> &'static str {
        match self {
            MergeFormat::Mp3 => "MP3",
            MergeFormat::Mp4 => "MP4",
            MergeFormat::M3u8 => "M3U8",
        }
    }
}

impl Serialize for MergeFormat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `Type` of MergeMedia, sent as the documented string `"0"` or `"1"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MergeType {
    /// `"0"` (the default): merge the files of `InputFileId[]` as they are.
    #[default]
    Merge,
    /// `"1"`: crop the files of `HandleMediaArgs` first, then merge them (Tencent Cloud only;
    /// ignored by Huawei Cloud).
    CropThenMerge,
}

impl MergeType {
    /// The value sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            MergeType::Merge => "0",
            MergeType::CropThenMerge => "1",
        }
    }
}

impl Serialize for MergeType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `Type` of MediaThumbnails: how screenshots are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThumbnailType {
    /// `SnapshotByTimeOffset`: at the time points of `ExtTimeOffsetSet[]`.
    SnapshotByTimeOffset,
    /// `SampleSnapshot`: at a regular interval (Huawei Cloud's `Interval`, Tencent Cloud's
    /// template).
    SampleSnapshot,
}

impl ThumbnailType {
    /// The value sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ThumbnailType::SnapshotByTimeOffset => "SnapshotByTimeOffset",
            ThumbnailType::SampleSnapshot => "SampleSnapshot",
        }
    }
}

impl Serialize for ThumbnailType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

// ---------------------------------------------------------------------------------------------
// Requests: recording

/// `StartCDNRecord`: start recording chosen streams on the app's CDN (for when the CDN does not
/// record every stream). The recording parameters (formats, interval, retention) are configured
/// with ZEGO beforehand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StartCdnRecordRequest {
    /// `StreamId[]`: the streams to record (at least one).
    #[serde(rename = "StreamId[]")]
    pub stream_ids: Vec<String>,
    /// `Vendor`: the app's CDN vendor.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
    /// `EndTime`: when recording ends, a Unix timestamp in seconds after now and at most 24
    /// hours ahead; Tencent Cloud only.
    #[serde(rename = "EndTime")]
    pub end_time: Option<i64>,
    /// `Domain`: the CDN domain, Aliyun only (required when the app has several).
    #[serde(rename = "Domain")]
    pub domain: Option<String>,
    /// `Point`: the CDN access point, Aliyun only (required when the app has several domains or
    /// access points).
    #[serde(rename = "Point")]
    pub point: Option<String>,
}

impl StartCdnRecordRequest {
    /// Recording of some streams with a vendor's CDN, every option unset.
    pub fn new<I, S>(vendor: CdnVendor, stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            stream_ids: strings(stream_ids),
            vendor,
            end_time: None,
            domain: None,
            point: None,
        }
    }
}

setters!(StartCdnRecordRequest {
    /// Sets `EndTime`, a Unix timestamp in seconds (Tencent Cloud only).
    end_time: i64;
    /// Sets `Domain` (Aliyun only).
    domain: impl Into<String>;
    /// Sets `Point` (Aliyun only).
    point: impl Into<String>;
});

/// `StopCDNRecord`: stop recording streams started with StartCDNRecord.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StopCdnRecordRequest {
    /// `StreamId[]`: the streams (at least one).
    #[serde(rename = "StreamId[]")]
    pub stream_ids: Vec<String>,
    /// `Vendor`: the app's CDN vendor.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
    /// `Domain`: the CDN domain, Aliyun only.
    #[serde(rename = "Domain")]
    pub domain: Option<String>,
    /// `Point`: the CDN access point, Aliyun only.
    #[serde(rename = "Point")]
    pub point: Option<String>,
}

impl StopCdnRecordRequest {
    /// A stop for some streams with a vendor's CDN.
    pub fn new<I, S>(vendor: CdnVendor, stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            stream_ids: strings(stream_ids),
            vendor,
            domain: None,
            point: None,
        }
    }
}

setters!(StopCdnRecordRequest {
    /// Sets `Domain` (Aliyun only).
    domain: impl Into<String>;
    /// Sets `Point` (Aliyun only).
    point: impl Into<String>;
});

// ---------------------------------------------------------------------------------------------
// Requests: files

/// `SearchMedia`: the app's recorded (and merged) media files. Tencent Cloud pages with
/// `PageSize`/`PageNumber` (`PageNumber × PageSize + PageSize` at most 5000) and filters by time,
/// `FileId` and `StreamId`; Wangsu and Huawei Cloud list keys from `Marker` (the previous
/// answer's `NextMarker`). Parameters of the other vendors are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SearchMediaRequest {
    /// `Vendor`: Tencent, Ws or Huawei.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
    /// `NamePrefix`: file names starting with it, at most 20 bytes. Give it as is: the client
    /// URL-encodes it.
    #[serde(rename = "NamePrefix")]
    pub name_prefix: Option<String>,
    /// `StartTime`: files created at or after it, Unix seconds (Tencent Cloud).
    #[serde(rename = "StartTime")]
    pub start_time: Option<i64>,
    /// `EndTime`: files created at or before it, Unix seconds (Tencent Cloud).
    #[serde(rename = "EndTime")]
    pub end_time: Option<i64>,
    /// `PageSize`: default 10 (Tencent Cloud).
    #[serde(rename = "PageSize")]
    pub page_size: Option<u32>,
    /// `PageNumber`: the page to read (Tencent Cloud).
    #[serde(rename = "PageNumber")]
    pub page_number: Option<u32>,
    /// `FileId[]`: up to 10 files, each at most 40 characters (Tencent Cloud); empty sends none.
    #[serde(rename = "FileId[]")]
    pub file_ids: Vec<String>,
    /// `StreamId[]`: files of any of up to 10 streams (Tencent Cloud); empty sends none.
    #[serde(rename = "StreamId[]")]
    pub stream_ids: Vec<String>,
    /// `Marker`: where listing starts, the previous answer's `NextMarker` (Wangsu, Huawei
    /// Cloud).
    #[serde(rename = "Marker")]
    pub marker: Option<String>,
    /// `MaxKeys`: [1, 1000], default 1000 (Wangsu, Huawei Cloud).
    #[serde(rename = "MaxKeys")]
    pub max_keys: Option<u32>,
}

impl SearchMediaRequest {
    /// A search of a vendor's files, without filters.
    pub fn new(vendor: CdnVendor) -> Self {
        Self {
            vendor,
            name_prefix: None,
            start_time: None,
            end_time: None,
            page_size: None,
            page_number: None,
            file_ids: Vec::new(),
            stream_ids: Vec::new(),
            marker: None,
            max_keys: None,
        }
    }

    /// Sets `FileId[]` (Tencent Cloud, up to 10).
    #[must_use]
    pub fn file_ids<I, S>(mut self, file_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.file_ids = strings(file_ids);
        self
    }

    /// Sets `StreamId[]` (Tencent Cloud, up to 10).
    #[must_use]
    pub fn stream_ids<I, S>(mut self, stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.stream_ids = strings(stream_ids);
        self
    }
}

setters!(SearchMediaRequest {
    /// Sets `NamePrefix` (given as is: the client URL-encodes it).
    name_prefix: impl Into<String>;
    /// Sets `StartTime`, Unix seconds (Tencent Cloud).
    start_time: i64;
    /// Sets `EndTime`, Unix seconds (Tencent Cloud).
    end_time: i64;
    /// Sets `PageSize` (Tencent Cloud).
    page_size: u32;
    /// Sets `PageNumber` (Tencent Cloud).
    page_number: u32;
    /// Sets `Marker`, the previous answer's `NextMarker` (Wangsu, Huawei Cloud).
    marker: impl Into<String>;
    /// Sets `MaxKeys`, [1, 1000] (Wangsu, Huawei Cloud).
    max_keys: u32;
});

/// A `Media` item of DeleteMedia: a file, and optionally which of its on-demand transcodes to
/// delete instead of the whole file. Sent as `Media.N.FileId` and `Media.N.Resolution.M`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MediaToDelete {
    /// `FileId`: the file's FileID (Tencent Cloud).
    #[serde(rename = "FileId")]
    pub file_id: String,
    /// `Resolution`: up to three distinct resolutions whose transcodes are deleted; empty (sent
    /// as nothing) deletes the file and everything under it.
    #[serde(rename = "Resolution")]
    pub resolution: Vec<MediaResolution>,
}

impl MediaToDelete {
    /// The whole file.
    pub fn file(file_id: impl Into<String>) -> Self {
        Self {
            file_id: file_id.into(),
            resolution: Vec::new(),
        }
    }

    /// Only the file's transcodes in these resolutions.
    pub fn transcodes<I>(file_id: impl Into<String>, resolutions: I) -> Self
    where
        I: IntoIterator<Item = MediaResolution>,
    {
        Self {
            file_id: file_id.into(),
            resolution: resolutions.into_iter().collect(),
        }
    }
}

/// `DeleteMedia`: delete media files, by `FileId[]` (Tencent FileID, Wangsu PersistentId or
/// Huawei ObsObject; up to 100) or, Tencent Cloud only, by `Media` (up to 100, optionally only
/// some transcodes of each). The two are exclusive: the constructors set one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteMediaRequest {
    /// `Vendor`: Tencent, Ws or Huawei.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
    /// `FileId[]`: the files; empty sends none.
    #[serde(rename = "FileId[]")]
    pub file_ids: Vec<String>,
    /// `Media`: the files, as `Media.N.FileId` and `Media.N.Resolution.M` (Tencent Cloud);
    /// empty sends none.
    #[serde(rename = "Media")]
    pub media: Vec<MediaToDelete>,
    /// `ClearCache` (`true`/`false`): also delete the files' cache on the CDN nodes (Wangsu
    /// only).
    #[serde(rename = "ClearCache")]
    pub clear_cache: Option<bool>,
}

impl DeleteMediaRequest {
    /// Deletes files by `FileId[]`.
    pub fn files<I, S>(vendor: CdnVendor, file_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            vendor,
            file_ids: strings(file_ids),
            media: Vec::new(),
            clear_cache: None,
        }
    }

    /// Deletes files, or some of their transcodes, by `Media` (Tencent Cloud).
    pub fn media<I>(vendor: CdnVendor, media: I) -> Self
    where
        I: IntoIterator<Item = MediaToDelete>,
    {
        Self {
            vendor,
            file_ids: Vec::new(),
            media: media.into_iter().collect(),
            clear_cache: None,
        }
    }
}

setters!(DeleteMediaRequest {
    /// Sets `ClearCache` (Wangsu only).
    clear_cache: bool;
});

// ---------------------------------------------------------------------------------------------
// Requests: tasks

/// A `HandleMediaArgs` item of MergeMedia: a file to crop before merging, sent as
/// `HandleMediaArgs.N.FileId`, `.StartTime` and `.EndTime`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HandleMediaArg {
    /// `FileId`: the file's FileID (Tencent Cloud).
    #[serde(rename = "FileId")]
    pub file_id: String,
    /// `StartTime`: where the cropped part starts, in seconds (default 0).
    #[serde(rename = "StartTime", serialize_with = "decimal")]
    pub start_time: Option<f64>,
    /// `EndTime`: where it ends, in seconds (default the end of the file).
    #[serde(rename = "EndTime", serialize_with = "decimal")]
    pub end_time: Option<f64>,
}

impl HandleMediaArg {
    /// A whole file.
    pub fn new(file_id: impl Into<String>) -> Self {
        Self {
            file_id: file_id.into(),
            start_time: None,
            end_time: None,
        }
    }

    /// The part of a file between two offsets, in seconds.
    pub fn between(file_id: impl Into<String>, start_time: f64, end_time: f64) -> Self {
        Self {
            file_id: file_id.into(),
            start_time: Some(start_time),
            end_time: Some(end_time),
        }
    }
}

setters!(HandleMediaArg {
    /// Sets `StartTime`, in seconds.
    start_time: f64;
    /// Sets `EndTime`, in seconds.
    end_time: f64;
});

/// `MergeMedia`: merge media files (MP3, MP4 or M3U8) into one, as they are or cropped first;
/// follow the task with DescribeMediaTask (or the merge-completed callback). Needs to be enabled
/// by ZEGO's support. Merged files are kept until deleted unless `ExpireTime` says otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MergeMediaRequest {
    /// `Vendor`: Tencent or Huawei.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
    /// `Format`: of the merged file (default MP4).
    #[serde(rename = "Format")]
    pub format: Option<MergeFormat>,
    /// `Type`: merge as they are (`"0"`, the default) or crop first (`"1"`).
    #[serde(rename = "Type")]
    pub merge_type: Option<MergeType>,
    /// `InputFileId[]`: the files to merge, in order (Type 0; Tencent Cloud up to 10, Huawei
    /// Cloud up to 20); empty sends none.
    #[serde(rename = "InputFileId[]")]
    pub input_file_ids: Vec<String>,
    /// `HandleMediaArgs`: the files to crop and merge, in order (Type 1; up to 10); empty sends
    /// none.
    #[serde(rename = "HandleMediaArgs")]
    pub handle_media_args: Vec<HandleMediaArg>,
    /// `OutputFileName`: the merged file's name without its format (required by Tencent Cloud).
    /// Give it as is: the client URL-encodes it.
    #[serde(rename = "OutputFileName")]
    pub output_file_name: Option<String>,
    /// `ExpireTime`: hours the merged file is kept, 0 (the default) for ever (Tencent Cloud).
    #[serde(rename = "ExpireTime")]
    pub expire_time: Option<u32>,
}

impl MergeMediaRequest {
    /// Merges files as they are (`InputFileId[]`; `Type` left to its default, 0).
    pub fn merge<I, S>(vendor: CdnVendor, input_file_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            vendor,
            format: None,
            merge_type: None,
            input_file_ids: strings(input_file_ids),
            handle_media_args: Vec::new(),
            output_file_name: None,
            expire_time: None,
        }
    }

    /// Crops files, then merges them (`Type` 1 and `HandleMediaArgs`; Tencent Cloud).
    pub fn crop_then_merge<I>(vendor: CdnVendor, handle_media_args: I) -> Self
    where
        I: IntoIterator<Item = HandleMediaArg>,
    {
        Self {
            vendor,
            format: None,
            merge_type: Some(MergeType::CropThenMerge),
            input_file_ids: Vec::new(),
            handle_media_args: handle_media_args.into_iter().collect(),
            output_file_name: None,
            expire_time: None,
        }
    }
}

setters!(MergeMediaRequest {
    /// Sets `Format`.
    format: MergeFormat;
    /// Sets `Type` explicitly.
    merge_type: MergeType;
    /// Sets `OutputFileName` (given as is: the client URL-encodes it).
    output_file_name: impl Into<String>;
    /// Sets `ExpireTime`, in hours (Tencent Cloud).
    expire_time: u32;
});

/// `DescribeMediaTask`: the state of a MergeMedia, TranscodeMedia or MediaThumbnails task (and,
/// once finished, its file's address). Huawei Cloud answers thumbnail tasks only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeMediaTaskRequest {
    /// `TaskId`: as the task's start answered it.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// `Vendor`: Tencent or Huawei.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
}

impl DescribeMediaTaskRequest {
    /// A request for a task of a vendor.
    pub fn new(task_id: impl Into<String>, vendor: CdnVendor) -> Self {
        Self {
            task_id: task_id.into(),
            vendor,
        }
    }
}

/// `TranscodeMedia` (the page "start on-demand transcoding"): transcode a media file into a
/// resolution; follow the task with DescribeMediaTask. Tencent Cloud only. ZEGO does not check
/// that the file exists: a wrong `FileId` answers 1000.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranscodeMediaRequest {
    /// `Vendor`: Tencent.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
    /// `FileId`: the source file's FileID.
    #[serde(rename = "FileId")]
    pub file_id: String,
    /// `Resolution`: of the transcoded file.
    #[serde(rename = "Resolution")]
    pub resolution: MediaResolution,
}

impl TranscodeMediaRequest {
    /// A transcode of a file of a vendor (Tencent) into a resolution.
    pub fn new(vendor: CdnVendor, file_id: impl Into<String>, resolution: MediaResolution) -> Self {
        Self {
            vendor,
            file_id: file_id.into(),
            resolution,
        }
    }
}

/// `MediaThumbnails`: take screenshots of a media file, at time points or at an interval;
/// follow the task with DescribeMediaTask. ZEGO does not check that the file exists: a wrong
/// `FileId` answers 1000.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MediaThumbnailsRequest {
    /// `Vendor`: Tencent or Huawei.
    #[serde(rename = "Vendor")]
    pub vendor: CdnVendor,
    /// `FileId`: the file (Tencent FileID, Huawei ObsObject).
    #[serde(rename = "FileId")]
    pub file_id: String,
    /// `Type`: time points or interval.
    #[serde(rename = "Type")]
    pub thumbnail_type: ThumbnailType,
    /// `Definition`: the screenshot template's id, from ZEGO's support (required by Tencent
    /// Cloud, ignored by Huawei Cloud).
    #[serde(rename = "Definition")]
    pub definition: Option<u64>,
    /// `ExtTimeOffsetSet[]`: the time points, in seconds (required for SnapshotByTimeOffset);
    /// empty sends none.
    #[serde(rename = "ExtTimeOffsetSet[]", serialize_with = "decimals")]
    pub ext_time_offset_set: Vec<f64>,
    /// `Interval`: seconds between screenshots (required by Huawei Cloud, ignored by Tencent
    /// Cloud).
    #[serde(rename = "Interval", serialize_with = "decimal")]
    pub interval: Option<f64>,
}

impl MediaThumbnailsRequest {
    /// Screenshots of a file of a vendor, every option unset.
    pub fn new(
        vendor: CdnVendor,
        file_id: impl Into<String>,
        thumbnail_type: ThumbnailType,
    ) -> Self {
        Self {
            vendor,
            file_id: file_id.into(),
            thumbnail_type,
            definition: None,
            ext_time_offset_set: Vec::new(),
            interval: None,
        }
    }

    /// Sets `ExtTimeOffsetSet[]`, the time points in seconds.
    #[must_use]
    pub fn ext_time_offset_set<I: IntoIterator<Item = f64>>(mut self, offsets: I) -> Self {
        self.ext_time_offset_set = offsets.into_iter().collect();
        self
    }
}

setters!(MediaThumbnailsRequest {
    /// Sets `Definition`, the template's id (Tencent Cloud).
    definition: u64;
    /// Sets `Interval`, in seconds (Huawei Cloud).
    interval: f64;
});

// ---------------------------------------------------------------------------------------------
// Data: lenient readings

/// Accepts a number, a numeric string or null (as 0.0).
fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(0.0),
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| serde::de::Error::custom(format!("expected a number, found {n}"))),
        Value::String(s) if s.is_empty() => Ok(0.0),
        Value::String(s) => s
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("expected a number, found {s:?}"))),
        other => Err(serde::de::Error::custom(format!(
            "expected a number, found {other}"
        ))),
    }
}

/// Accepts null (as `None`), a string, or any other value as its JSON text: Wangsu's `msg`,
/// typed an object (example `null`) at the top of its answer and a string in each item.
fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// A list of strings, null or absent as empty; items read as [`lenient_string`].
fn lenient_strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct Item(#[serde(deserialize_with = "lenient_string")] String);
    let items: Option<Vec<Item>> = Option::deserialize(d)?;
    Ok(items.unwrap_or_default().into_iter().map(|i| i.0).collect())
}

// ---------------------------------------------------------------------------------------------
// Data: recording

/// `Data` of StartCDNRecord and StopCDNRecord: the answer of the vendor the request named, under
/// its key (the others are `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CdnRecordResult {
    /// `Tencent`: one item per stream.
    #[serde(rename = "Tencent", default)]
    pub tencent: Option<Vec<TencentRecordItem>>,
    /// `Ws`: Wangsu's answer.
    #[serde(rename = "Ws", default)]
    pub ws: Option<WsRecordResult>,
    /// `Huawei`: one item per stream.
    #[serde(rename = "Huawei", default)]
    pub huawei: Option<Vec<VendorRecordItem>>,
    /// `Aliyun`: one item per stream (documented on the Chinese pages).
    #[serde(rename = "Aliyun", default)]
    pub aliyun: Option<Vec<VendorRecordItem>>,
}

/// A `Tencent` item of StartCDNRecord or StopCDNRecord: one stream's result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TencentRecordItem {
    /// `StreamName`: the StreamId.
    #[serde(rename = "StreamName", default, deserialize_with = "lenient_string")]
    pub stream_name: String,
    /// `TaskId`: the recording task's globally unique id (StartCDNRecord; empty for
    /// StopCDNRecord, which does not answer it).
    #[serde(rename = "TaskId", default, deserialize_with = "lenient_string")]
    pub task_id: String,
    /// `RequestId`: Tencent Cloud's request id, for troubleshooting.
    #[serde(rename = "RequestId", default, deserialize_with = "lenient_string")]
    pub request_id: String,
    /// `Code`: the stream's error code, a string, empty on success (a number is read as its
    /// decimal text).
    #[serde(rename = "Code", default, deserialize_with = "lenient_string")]
    pub code: String,
    /// `Message`: the stream's error message.
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    pub message: String,
}

/// A `Huawei` or `Aliyun` item of StartCDNRecord or StopCDNRecord: one stream's result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct VendorRecordItem {
    /// `StreamName`: the StreamId.
    #[serde(rename = "StreamName", default, deserialize_with = "lenient_string")]
    pub stream_name: String,
    /// `RequestId`: the vendor's request id, for troubleshooting.
    #[serde(rename = "RequestId", default, deserialize_with = "lenient_string")]
    pub request_id: String,
    /// `Code`: the stream's code, an integer (Huawei 0 and Aliyun 200 in the examples of
    /// success; a numeric string is read too).
    #[serde(rename = "Code", default, deserialize_with = "lenient_i64")]
    pub code: i64,
    /// `Message`: the stream's message.
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    pub message: String,
}

/// The `Ws` answer of StartCDNRecord or StopCDNRecord.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WsRecordResult {
    /// `msg`: the operation's message, `null` in the examples (typed an object; a string or any
    /// other value is kept as text).
    #[serde(rename = "msg", default, deserialize_with = "optional_text")]
    pub msg: Option<String>,
    /// `http_code`: the operation's status (200).
    #[serde(rename = "http_code", default, deserialize_with = "lenient_i64")]
    pub http_code: i64,
    /// `trace_id`: Wangsu's serial number.
    #[serde(rename = "trace_id", default, deserialize_with = "lenient_string")]
    pub trace_id: String,
    /// `call_time`: when the request was made (`2022-04-27 14:27:48`).
    #[serde(rename = "call_time", default, deserialize_with = "lenient_string")]
    pub call_time: String,
    /// `list`: one item per recording task.
    #[serde(rename = "list", default, deserialize_with = "null_as_default")]
    pub list: Vec<WsRecordItem>,
}

/// A `list` item of a [`WsRecordResult`]: one recording task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WsRecordItem {
    /// `task`: the recording file's format (`mp4`).
    #[serde(rename = "task", default, deserialize_with = "lenient_string")]
    pub task: String,
    /// `id`: the StreamId.
    #[serde(rename = "id", default, deserialize_with = "lenient_string")]
    pub id: String,
    /// `http_code`: the task's status (200).
    #[serde(rename = "http_code", default, deserialize_with = "lenient_i64")]
    pub http_code: i64,
    /// `msg`: the task's message (`success`; the classic page types it an object, so any value
    /// is kept as text).
    #[serde(rename = "msg", default, deserialize_with = "optional_text")]
    pub msg: Option<String>,
    /// `persistentId`: the file's identifier (Wangsu's PersistentId).
    #[serde(rename = "persistentId", default, deserialize_with = "lenient_string")]
    pub persistent_id: String,
}

// ---------------------------------------------------------------------------------------------
// Data: files

/// `Data` of SearchMedia: the answer of the vendor the request named, under its key.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MediaSearchResult {
    /// `Tencent`: a page of media files.
    #[serde(rename = "Tencent", default)]
    pub tencent: Option<TencentMediaList>,
    /// `Ws`: a list of keys.
    #[serde(rename = "Ws", default)]
    pub ws: Option<MediaKeyList>,
    /// `Huawei`: a list of keys.
    #[serde(rename = "Huawei", default)]
    pub huawei: Option<MediaKeyList>,
}

/// The `Tencent` answer of SearchMedia.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TencentMediaList {
    /// `TotalCount`: the files matching, at most 5000 (5000 when more match).
    #[serde(rename = "TotalCount", default, deserialize_with = "lenient_i64")]
    pub total_count: i64,
    /// `MediaInfoSet`: this page's files.
    #[serde(rename = "MediaInfoSet", default, deserialize_with = "null_as_default")]
    pub media_info_set: Vec<MediaInfo>,
    /// `RequestId`: Tencent Cloud's request id.
    #[serde(rename = "RequestId", default, deserialize_with = "lenient_string")]
    pub request_id: String,
}

/// A `MediaInfoSet` item: one Tencent Cloud media file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MediaInfo {
    /// `FileId`: the file's id (the recording callback's FileID).
    #[serde(rename = "FileId", default, deserialize_with = "lenient_string")]
    pub file_id: String,
    /// `BasicInfo`: name, times, addresses, class.
    #[serde(rename = "BasicInfo", default, deserialize_with = "null_as_default")]
    pub basic_info: MediaBasicInfo,
    /// `TranscodeInfo`: the file itself and its transcodes.
    #[serde(
        rename = "TranscodeInfo",
        default,
        deserialize_with = "null_as_default"
    )]
    pub transcode_info: MediaTranscodeInfo,
}

/// `BasicInfo` of a [`MediaInfo`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MediaBasicInfo {
    /// `Name`.
    #[serde(rename = "Name", default, deserialize_with = "lenient_string")]
    pub name: String,
    /// `Description`.
    #[serde(rename = "Description", default, deserialize_with = "lenient_string")]
    pub description: String,
    /// `CreateTime`: ISO 8601 (`2023-07-26T06:52:49Z`).
    #[serde(rename = "CreateTime", default, deserialize_with = "lenient_string")]
    pub create_time: String,
    /// `UpdateTime`: ISO 8601.
    #[serde(rename = "UpdateTime", default, deserialize_with = "lenient_string")]
    pub update_time: String,
    /// `ExpireTime`: ISO 8601; `9999-12-31T23:59:59Z` never expires.
    #[serde(rename = "ExpireTime", default, deserialize_with = "lenient_string")]
    pub expire_time: String,
    /// `ClassId`: the category's id.
    #[serde(rename = "ClassId", default, deserialize_with = "lenient_i64")]
    pub class_id: i64,
    /// `ClassName`: the category's name.
    #[serde(rename = "ClassName", default, deserialize_with = "lenient_string")]
    pub class_name: String,
    /// `ClassPath`: the category's path, levels separated by `-`.
    #[serde(rename = "ClassPath", default, deserialize_with = "lenient_string")]
    pub class_path: String,
    /// `CoverUrl`: the cover image's address.
    #[serde(rename = "CoverUrl", default, deserialize_with = "lenient_string")]
    pub cover_url: String,
    /// `Type`: the container format (`mp4`, `flv`, ...).
    #[serde(rename = "Type", default, deserialize_with = "lenient_string")]
    pub media_type: String,
    /// `IntranetMediaUrl`: Tencent Cloud's intranet address, valid for 2 hours.
    #[serde(
        rename = "IntranetMediaUrl",
        default,
        deserialize_with = "lenient_string"
    )]
    pub intranet_media_url: String,
    /// `MediaUrl`: the original file's address.
    #[serde(rename = "MediaUrl", default, deserialize_with = "lenient_string")]
    pub media_url: String,
    /// `SourceInfo`: where the file comes from.
    #[serde(rename = "SourceInfo", default, deserialize_with = "null_as_default")]
    pub source_info: MediaSourceInfo,
    /// `StorageRegion` (`ap-guangzhou`, ...).
    #[serde(rename = "StorageRegion", default, deserialize_with = "lenient_string")]
    pub storage_region: String,
    /// `Vid`: the live recording file's identifier.
    #[serde(rename = "Vid", default, deserialize_with = "lenient_string")]
    pub vid: String,
    /// `Category`: `Video`, `Audio` or `Image`.
    #[serde(rename = "Category", default, deserialize_with = "lenient_string")]
    pub category: String,
    /// `Status`: `Normal` or `Forbidden`.
    #[serde(rename = "Status", default, deserialize_with = "lenient_string")]
    pub status: String,
    /// `StorageClass`: `STANDARD`, `STANDARD_IA`, `ARCHIVE` or `DEEP_ARCHIVE`.
    #[serde(rename = "StorageClass", default, deserialize_with = "lenient_string")]
    pub storage_class: String,
}

/// `SourceInfo` of a [`MediaBasicInfo`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MediaSourceInfo {
    /// `SourceType` (`VideoProcessing`, ...).
    #[serde(rename = "SourceType", default, deserialize_with = "lenient_string")]
    pub source_type: String,
    /// `SourceContext`: the source stream.
    #[serde(rename = "SourceContext", default, deserialize_with = "lenient_string")]
    pub source_context: String,
}

/// `TranscodeInfo` of a [`MediaInfo`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MediaTranscodeInfo {
    /// `TranscodeSet`: one item per transcoding result (`Definition` 0 is the original file).
    #[serde(rename = "TranscodeSet", default, deserialize_with = "null_as_default")]
    pub transcode_set: Vec<MediaTranscode>,
}

/// A `TranscodeSet` item: the original file (`Definition` 0) or one of its transcodes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MediaTranscode {
    /// `Url`: the file's address.
    #[serde(rename = "Url", default, deserialize_with = "lenient_string")]
    pub url: String,
    /// `Definition`: the transcoding template's id, 0 for the original.
    #[serde(rename = "Definition", default, deserialize_with = "lenient_i64")]
    pub definition: i64,
    /// `Bitrate`: average video plus audio bitrate, in bps.
    #[serde(rename = "Bitrate", default, deserialize_with = "lenient_i64")]
    pub bitrate: i64,
    /// `Height`: maximum video height, in px.
    #[serde(rename = "Height", default, deserialize_with = "lenient_i64")]
    pub height: i64,
    /// `Width`: maximum video width, in px.
    #[serde(rename = "Width", default, deserialize_with = "lenient_i64")]
    pub width: i64,
    /// `Size`: in bytes (for HLS, the m3u8 and ts files together).
    #[serde(rename = "Size", default, deserialize_with = "lenient_i64")]
    pub size: i64,
    /// `Duration`: in seconds.
    #[serde(rename = "Duration", default, deserialize_with = "lenient_f64")]
    pub duration: f64,
    /// `Md5`.
    #[serde(rename = "Md5", default, deserialize_with = "lenient_string")]
    pub md5: String,
    /// `Container` (`mov,mp4,m4a,3gp,3g2,mj2`).
    #[serde(rename = "Container", default, deserialize_with = "lenient_string")]
    pub container: String,
    /// `VideoStreamSet`.
    #[serde(
        rename = "VideoStreamSet",
        default,
        deserialize_with = "null_as_default"
    )]
    pub video_stream_set: Vec<VideoStreamInfo>,
    /// `AudioStreamSet`.
    #[serde(
        rename = "AudioStreamSet",
        default,
        deserialize_with = "null_as_default"
    )]
    pub audio_stream_set: Vec<AudioStreamInfo>,
    /// `DigitalWatermarkType`: `Trace`, `CopyRight` or `None`.
    #[serde(
        rename = "DigitalWatermarkType",
        default,
        deserialize_with = "lenient_string"
    )]
    pub digital_watermark_type: String,
    /// `CopyRightWatermarkText`.
    #[serde(
        rename = "CopyRightWatermarkText",
        default,
        deserialize_with = "lenient_string"
    )]
    pub copy_right_watermark_text: String,
}

/// A `VideoStreamSet` item of a [`MediaTranscode`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct VideoStreamInfo {
    /// `Bitrate`, in bps.
    #[serde(rename = "Bitrate", default, deserialize_with = "lenient_i64")]
    pub bitrate: i64,
    /// `Height`, in px.
    #[serde(rename = "Height", default, deserialize_with = "lenient_i64")]
    pub height: i64,
    /// `Width`, in px.
    #[serde(rename = "Width", default, deserialize_with = "lenient_i64")]
    pub width: i64,
    /// `Codec` (`h264`, ...).
    #[serde(rename = "Codec", default, deserialize_with = "lenient_string")]
    pub codec: String,
    /// `Fps`.
    #[serde(rename = "Fps", default, deserialize_with = "lenient_i64")]
    pub fps: i64,
    /// `CodecTag`: only meaningful for `hevc`.
    #[serde(rename = "CodecTag", default, deserialize_with = "lenient_string")]
    pub codec_tag: String,
    /// `DynamicRangeInfo`.
    #[serde(
        rename = "DynamicRangeInfo",
        default,
        deserialize_with = "null_as_default"
    )]
    pub dynamic_range_info: DynamicRangeInfo,
}

/// `DynamicRangeInfo` of a [`VideoStreamInfo`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DynamicRangeInfo {
    /// `Type`: `SDR` or `HDR`.
    #[serde(rename = "Type", default, deserialize_with = "lenient_string")]
    pub range_type: String,
    /// `HDRType`: `hdr10` or `hlg`, for HDR.
    #[serde(rename = "HDRType", default, deserialize_with = "lenient_string")]
    pub hdr_type: String,
}

/// An `AudioStreamSet` item of a [`MediaTranscode`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AudioStreamInfo {
    /// `Bitrate`, in bps.
    #[serde(rename = "Bitrate", default, deserialize_with = "lenient_i64")]
    pub bitrate: i64,
    /// `SamplingRate`, in Hz.
    #[serde(rename = "SamplingRate", default, deserialize_with = "lenient_i64")]
    pub sampling_rate: i64,
    /// `Codec` (`aac`, ...).
    #[serde(rename = "Codec", default, deserialize_with = "lenient_string")]
    pub codec: String,
}

/// The `Ws` or `Huawei` answer of SearchMedia: a list of keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MediaKeyList {
    /// `Keys`: the files.
    #[serde(rename = "Keys", default, deserialize_with = "null_as_default")]
    pub keys: Vec<MediaKey>,
    /// `NextMarker`: the `Marker` of the next call; empty on the last page.
    #[serde(rename = "NextMarker", default, deserialize_with = "lenient_string")]
    pub next_marker: String,
}

/// A `Keys` item: one Wangsu or Huawei Cloud media file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MediaKey {
    /// `ETag`: the file's MD5 (Huawei Cloud's in double quotes, as the example shows).
    #[serde(rename = "ETag", default, deserialize_with = "lenient_string")]
    pub etag: String,
    /// `Key`: the file's identifier (Wangsu's PersistentId, Huawei's ObsObject).
    #[serde(rename = "Key", default, deserialize_with = "lenient_string")]
    pub key: String,
    /// `LastModified`: ISO 8601.
    #[serde(rename = "LastModified", default, deserialize_with = "lenient_string")]
    pub last_modified: String,
    /// `Size`: in bytes.
    #[serde(rename = "Size", default, deserialize_with = "lenient_i64")]
    pub size: i64,
    /// `MediaUrl`: the file's address.
    #[serde(rename = "MediaUrl", default, deserialize_with = "lenient_string")]
    pub media_url: String,
}

/// `Data` of DeleteMedia: what was deleted and what was not.
///
/// The current page's examples answer an object; the schema says `Data` is "generated by JSON
/// serialization" of these fields and the classic page answers it as a JSON **string**, so a
/// string holding this object is read too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DeletedMedia {
    /// `Deleted`: the files deleted.
    #[serde(rename = "Deleted", default, deserialize_with = "lenient_strings")]
    pub deleted: Vec<String>,
    /// `Errors`: the files that could not be deleted.
    #[serde(rename = "Errors", default, deserialize_with = "null_as_default")]
    pub errors: Vec<DeleteMediaError>,
    /// `WsItemIdReceiverResp`: the deletion of the files' CDN cache (Wangsu).
    #[serde(rename = "WsItemIdReceiverResp", default)]
    pub ws_item_id_receiver_resp: Option<WsCacheDeletion>,
}

impl FromData for DeletedMedia {
    fn from_data(data: Option<Value>) -> Result<Self, serde_json::Error> {
        match data {
            Some(Value::String(text)) if text.trim().is_empty() => Ok(Self::default()),
            Some(Value::String(text)) => serde_json::from_str(&text),
            other => data_or_default(other),
        }
    }
}

/// An `Errors` item of [`DeletedMedia`]: a file that could not be deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DeleteMediaError {
    /// `Code`: the error's code, a string (a number is read as its decimal text).
    #[serde(rename = "Code", default, deserialize_with = "lenient_string")]
    pub code: String,
    /// `Message`.
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    pub message: String,
    /// `Key`: the file's identifier.
    #[serde(rename = "Key", default, deserialize_with = "lenient_string")]
    pub key: String,
    /// `RequestId`: the vendor's request id.
    #[serde(rename = "RequestId", default, deserialize_with = "lenient_string")]
    pub request_id: String,
}

/// `WsItemIdReceiverResp` of [`DeletedMedia`]: the deletion of the files' CDN cache (Wangsu).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WsCacheDeletion {
    /// `Code`: 1 when the cache was deleted, anything else when it was not. Typed an integer;
    /// the schema's own example writes `"1"`, so a numeric string is read too.
    #[serde(rename = "Code", default, deserialize_with = "lenient_i64")]
    pub code: i64,
    /// `Message` (`handle success`).
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    pub message: String,
}

impl WsCacheDeletion {
    /// Whether the cache was deleted (`Code` 1).
    pub fn is_deleted(&self) -> bool {
        self.code == 1
    }
}

// ---------------------------------------------------------------------------------------------
// Data: tasks

/// `Data` of MergeMedia, TranscodeMedia and MediaThumbnails: the started task's id, under the
/// vendor's key. [`MediaTaskStarted::task_id`] reads whichever vendor answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MediaTaskStarted {
    /// `Tencent`.
    #[serde(rename = "Tencent", default)]
    pub tencent: Option<MediaTaskTicket>,
    /// `Huawei` (MergeMedia and MediaThumbnails).
    #[serde(rename = "Huawei", default)]
    pub huawei: Option<MediaTaskTicket>,
}

impl MediaTaskStarted {
    /// The task's id, Tencent Cloud's if it answered, else Huawei Cloud's.
    pub fn task_id(&self) -> Option<&str> {
        self.tencent
            .as_ref()
            .or(self.huawei.as_ref())
            .map(|t| t.task_id.as_str())
    }
}

/// A vendor's answer to a media task's start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MediaTaskTicket {
    /// `TaskId`, for DescribeMediaTask. Huawei Cloud's MediaThumbnails answer spells it
    /// `task_id`, which is read here too.
    #[serde(
        rename = "TaskId",
        alias = "task_id",
        default,
        deserialize_with = "lenient_string"
    )]
    pub task_id: String,
    /// `RequestId`: the vendor's request id (absent from Huawei Cloud's MediaThumbnails answer).
    #[serde(rename = "RequestId", default, deserialize_with = "lenient_string")]
    pub request_id: String,
}

/// `Data` of DescribeMediaTask: the task under the vendor's key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MediaTaskInfo {
    /// `Tencent`.
    #[serde(rename = "Tencent", default)]
    pub tencent: Option<TencentMediaTask>,
    /// `Huawei` (thumbnail tasks only).
    #[serde(rename = "Huawei", default)]
    pub huawei: Option<HuaweiMediaTask>,
}

/// The `Tencent` answer of DescribeMediaTask.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TencentMediaTask {
    /// `TaskId`.
    #[serde(rename = "TaskId", default, deserialize_with = "lenient_string")]
    pub task_id: String,
    /// `Event`: `compose` (merge), `transcode`, `SnapshotByTimeOffset` or `SampleSnapshot`.
    #[serde(rename = "Event", default, deserialize_with = "lenient_string")]
    pub event: String,
    /// `Status`: `WAITING`, `PROCESSING`, `FINISH` or `FAIL`.
    #[serde(rename = "Status", default, deserialize_with = "lenient_string")]
    pub status: String,
    /// `FileId`: the merged or transcoded file.
    #[serde(rename = "FileId", default, deserialize_with = "lenient_string")]
    pub file_id: String,
    /// `ReplayUrl`: the merged or transcoded file's address (at most 1024 bytes).
    #[serde(rename = "ReplayUrl", default, deserialize_with = "lenient_string")]
    pub replay_url: String,
    /// `RequestId`: Tencent Cloud's request id.
    #[serde(rename = "RequestId", default, deserialize_with = "lenient_string")]
    pub request_id: String,
    /// `Message`: why a task failed.
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    pub message: String,
    /// `ThumbnailsUrl`: a thumbnail task's pictures.
    #[serde(
        rename = "ThumbnailsUrl",
        default,
        deserialize_with = "lenient_strings"
    )]
    pub thumbnails_url: Vec<String>,
}

impl TencentMediaTask {
    /// Whether the task has finished successfully (`FINISH`).
    pub fn is_finished(&self) -> bool {
        self.status == "FINISH"
    }
}

/// The `Huawei` answer of DescribeMediaTask (a thumbnail task).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct HuaweiMediaTask {
    /// `TaskId`.
    #[serde(rename = "TaskId", default, deserialize_with = "lenient_string")]
    pub task_id: String,
    /// `Status`: `NO_TASK`, `WAITING`, `PROCESSING`, `SUCCEEDED`, `FAILED` or `CANCELED`.
    #[serde(rename = "Status", default, deserialize_with = "lenient_string")]
    pub status: String,
    /// `CreateTime`: when the task started, the vendor's UTC time (`20241118065429`).
    #[serde(rename = "CreateTime", default, deserialize_with = "lenient_string")]
    pub create_time: String,
    /// `EndTime`: when it ended, the same form.
    #[serde(rename = "EndTime", default, deserialize_with = "lenient_string")]
    pub end_time: String,
    /// `FileName`: the pictures' object names.
    #[serde(rename = "FileName", default, deserialize_with = "lenient_strings")]
    pub file_name: Vec<String>,
}

data_with_default!(
    CdnRecordResult,
    MediaSearchResult,
    MediaTaskStarted,
    MediaTaskInfo
);
