//! The media-file family (`api-reference/cdn/`): CDN recordings of live streams, the files they
//! produce, and the merge, transcode and thumbnail tasks run on them, all on the mock's clock.
//!
//! Every action checks, in this order (SPEC-rest-callbacks §0.2): the gateway, faults, the rate
//! limit (6), `IsTest` (2), the app's `cdn_record` feature (3), its parameters in documented
//! order (2, including the rules the handler checks: vendor enum, indexed-dot arrays,
//! vendor-dependent requirements), then the vendor against the app's CDN (4, or 5 when the app
//! has none), then the state (41003 / 1000), then it runs.
//!
//! Recordings, files and tasks advance lazily: [`tick`] materialises everything due by a time
//! (segments that open or close with the stream's liveness, interval splits, a Tencent
//! `EndTime`, media tasks that finish), and runs before and after every request and control
//! change of the app's environment, so a frozen clock produces nothing until it moves.

pub(crate) mod files;
pub(crate) mod record;
pub(crate) mod tasks;

use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Feature, Kind, Legacy, Method, Param, Quota};
use crate::state::EnvState;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The media-file family's codes (return-codes.mdx "Media File Interfaces").
pub(crate) mod code {
    /// Input parameter error.
    pub const PARAM: i64 = 2;
    /// Related permissions not activated (the app's `cdn_record` feature is off).
    pub const PERMISSION: i64 = 3;
    /// CDN type mismatch (the Vendor is not the app's CDN).
    pub const VENDOR_MISMATCH: i64 = 4;
    /// Configuration error (the app has no CDN configured).
    pub const CONFIG: i64 = 5;
    /// Request too frequent.
    pub const THROTTLED: i64 = 6;
    /// Authentication failed (legacy, for a signature mismatch).
    pub const AUTH: i64 = 7;
    /// Request failed (an unknown FileId or TaskId where the page says so).
    pub const FAILED: i64 = 1000;
    /// File does not exist.
    pub const NO_FILE: i64 = 41003;
}

/// The most recordings, files and media tasks kept per app and environment, each.
pub const MAX_ITEMS: usize = 10_000;

/// The most thumbnails one task produces.
pub const MAX_THUMBNAILS: usize = 1000;

/// What every media-file action shares: GET, `"success"`, 2 for `IsTest`, 7 for a signature
/// mismatch with legacy codes (an expired timestamp keeps the gateway's code), 20/s per AppId
/// (the test environment shares the figure) answered 6, and the `cdn_record` feature (3).
pub(crate) const BASE: ActionSpec = ActionSpec {
    name: "",
    family: Family::MediaFile,
    method: Method::Get,
    success_message: "success",
    parameter_code: code::PARAM,
    legacy: Legacy {
        auth: Some(code::AUTH),
        timestamp: None,
    },
    params: &[],
    quotas: &[Quota::per_second(20, 20, code::THROTTLED)],
    sequence: None,
    feature: Some((Feature::CdnRecord, code::PERMISSION)),
    doc: "",
};

/// A required text parameter of at most `max_bytes` bytes (every failure 2).
pub(crate) const fn text(name: &'static str, max_bytes: usize) -> Param {
    Param::new(name, Kind::Text { max_bytes }, code::PARAM)
}

/// `Vendor`: required; its enum is checked by the handler, case-insensitively.
pub(crate) const VENDOR: Param = text("Vendor", 64);

/// A list parameter sent as `Name[]=a&Name[]=b` or as a repeated `Name`, items of at most
/// `max_bytes` bytes.
pub(crate) const fn list(
    name: &'static str,
    item: &'static Param,
    min: usize,
    max: usize,
) -> Param {
    Param::new(
        name,
        Kind::List {
            item,
            min,
            max,
            plain_form: true,
        },
        code::PARAM,
    )
}

/// A refusal of a parameter (2).
pub(crate) fn bad(reason: impl Into<String>) -> Refusal {
    Refusal::new(
        code::PARAM,
        Family::MediaFile,
        Check::Parameter,
        reason.into(),
    )
}

/// A refusal from the state or the app's configuration.
pub(crate) fn refuse(code: i64, reason: impl Into<String>) -> Refusal {
    Refusal::new(code, Family::MediaFile, Check::Business, reason.into())
}

/// At most 64 characters of `s`, for messages.
pub(crate) fn short(s: &str) -> String {
    crate::spec::truncate(s, 64)
}

// ----- vendors -----

/// A CDN vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Vendor {
    /// Tencent Cloud.
    Tencent,
    /// Wangsu.
    Ws,
    /// Huawei Cloud.
    Huawei,
    /// Aliyun (StartCDNRecord and StopCDNRecord only, from the Chinese pages).
    Aliyun,
}

impl Vendor {
    /// The canonical name, as `Data` keys it.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Tencent => "Tencent",
            Vendor::Ws => "Ws",
            Vendor::Huawei => "Huawei",
            Vendor::Aliyun => "Aliyun",
        }
    }

    /// The vendor named `s`, in any case.
    pub fn parse(s: &str) -> Option<Vendor> {
        [Vendor::Tencent, Vendor::Ws, Vendor::Huawei, Vendor::Aliyun]
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }
}

/// The `Vendor` parameter, which must name one of `allowed` (in any case), else 2.
pub(crate) fn vendor_param(raw: Option<&str>, allowed: &[Vendor]) -> Result<Vendor, Refusal> {
    let raw = raw.unwrap_or_default();
    let names: Vec<&str> = allowed.iter().map(|v| v.as_str()).collect();
    Vendor::parse(raw)
        .filter(|v| allowed.contains(v))
        .ok_or_else(|| {
            bad(format!(
                "Vendor {:?} is not one of {} for this action",
                short(raw),
                names.join(", ")
            ))
        })
}

/// The vendor against the app's CDN: 5 when the app has none, 4 when it is another.
pub(crate) fn match_vendor(state: &EnvState, app_id: u32, vendor: Vendor) -> Result<(), Refusal> {
    match state.media_files.media_config.cdn_vendor {
        None => Err(refuse(
            code::CONFIG,
            format!("the app has no CDN vendor configured (PUT /_mock/apps/{app_id}/media-config {{\"cdn_vendor\":\"Tencent\"}})"),
        )),
        Some(v) if v == vendor => Ok(()),
        Some(v) => Err(refuse(
            code::VENDOR_MISMATCH,
            format!(
                "Vendor {} is not the app's CDN, {} (PUT /_mock/apps/{app_id}/media-config to change it)",
                vendor.as_str(),
                v.as_str()
            ),
        )),
    }
}

// ----- configuration -----

/// Media task timing: how long a task waits, then processes, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaTaskTiming {
    /// Seconds in WAITING (default 1).
    pub queue_secs: i64,
    /// Seconds in PROCESSING (default 4).
    pub process_secs: i64,
}

impl Default for MediaTaskTiming {
    fn default() -> Self {
        Self {
            queue_secs: 1,
            process_secs: 4,
        }
    }
}

/// The recording formats a CDN records in.
pub const RECORD_FORMATS: &[&str] = &["mp4", "flv", "m3u8", "aac", "mp3"];

/// An app's media configuration in one environment (the console's CDN settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// The app's CDN vendor (default Tencent); `null`: none, every action answers 5.
    pub cdn_vendor: Option<Vendor>,
    /// Formats each recording writes, one file per format (default `["mp4"]`).
    pub record_formats: Vec<String>,
    /// A recording file's longest duration, 300 to 7200 s (default 7200); not for m3u8.
    pub record_interval_secs: i64,
    /// Record every live stream without StartCDNRecord (default false).
    pub record_all_streams: bool,
    /// The CDN application name in Ws and Huawei keys (default `"app"`).
    pub cdn_app_name: String,
    /// The host of replay URLs (default `"vod.mock.invalid"`).
    pub vod_domain: String,
    /// Tencent's VOD sub-application id in TaskIds and URLs (default 1500000000 + AppId % 10^8).
    pub vod_sub_app_id: Option<u64>,
    /// How long media tasks wait and process.
    pub media_task_timing: MediaTaskTiming,
    /// Tencent screenshot templates: Definition → interval in seconds (others: 10 s).
    pub snapshot_templates: BTreeMap<String, i64>,
    /// DeleteMedia answers `Data` as a JSON string, as the classic page did (default false).
    pub delete_media_data_as_string: bool,
    /// The CDN play domain (default none): with one, stream_create and mix_start callbacks list
    /// the stream's play URLs on it (`rtmp://{d}/{cdn_app_name}/{stream}`, `.../playlist.m3u8`,
    /// `.flv`, `.jpg`); without, their URL lists are empty.
    pub cdn_play_domain: Option<String>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            cdn_vendor: Some(Vendor::Tencent),
            record_formats: vec!["mp4".into()],
            record_interval_secs: 7200,
            record_all_streams: false,
            cdn_app_name: "app".into(),
            vod_domain: "vod.mock.invalid".into(),
            vod_sub_app_id: None,
            media_task_timing: MediaTaskTiming::default(),
            snapshot_templates: BTreeMap::new(),
            delete_media_data_as_string: false,
            cdn_play_domain: None,
        }
    }
}

/// The play URLs of `stream` on the app's CDN play domain, as the stream callbacks list them:
/// RTMP, HLS, HTTP-FLV and the snapshot picture; all empty without a play domain.
pub(crate) fn play_urls(state: &EnvState, stream: &str) -> [Vec<String>; 4] {
    let cfg = &state.media_files.media_config;
    match &cfg.cdn_play_domain {
        None => Default::default(),
        Some(d) => {
            let base = format!("{d}/{}/{stream}", cfg.cdn_app_name);
            [
                vec![format!("rtmp://{base}")],
                vec![format!("http://{base}/playlist.m3u8")],
                vec![format!("http://{base}.flv")],
                vec![format!("http://{base}.jpg")],
            ]
        }
    }
}

impl MediaConfig {
    /// What is wrong with the configuration, if anything.
    pub fn validate(&self) -> Result<(), String> {
        if self.record_formats.is_empty() {
            return Err("record_formats must list at least one format".into());
        }
        for (i, f) in self.record_formats.iter().enumerate() {
            if !RECORD_FORMATS.contains(&f.as_str()) {
                return Err(format!(
                    "record_formats: {f:?} is not one of {}",
                    RECORD_FORMATS.join(", ")
                ));
            }
            if self.record_formats[..i].contains(f) {
                return Err(format!("record_formats lists {f:?} twice"));
            }
        }
        if !(300..=7200).contains(&self.record_interval_secs) {
            return Err(format!(
                "record_interval_secs {} is outside 300 to 7200",
                self.record_interval_secs
            ));
        }
        let name_ok = |s: &str| {
            !s.is_empty()
                && s.len() <= 128
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        };
        if !name_ok(&self.cdn_app_name) {
            return Err("cdn_app_name must be 1 to 128 characters of [0-9A-Za-z._-]".into());
        }
        if self.cdn_play_domain.as_deref().is_some_and(|d| !name_ok(d)) {
            return Err(
                "cdn_play_domain must be a host name: 1 to 128 characters of [0-9A-Za-z._-]".into(),
            );
        }
        if !name_ok(&self.vod_domain) {
            return Err(
                "vod_domain must be a host name: 1 to 128 characters of [0-9A-Za-z._-]".into(),
            );
        }
        let t = self.media_task_timing;
        for (name, v) in [
            ("queue_secs", t.queue_secs),
            ("process_secs", t.process_secs),
        ] {
            if !(0..=86_400).contains(&v) {
                return Err(format!(
                    "media_task_timing.{name} {v} is outside 0 to 86400"
                ));
            }
        }
        if self.snapshot_templates.len() > 100 {
            return Err("snapshot_templates holds at most 100 templates".into());
        }
        for (k, v) in &self.snapshot_templates {
            if k.is_empty() || k.len() > 20 || !k.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "snapshot_templates: {k:?} is not a Definition (decimal)"
                ));
            }
            if !(1..=86_400).contains(v) {
                return Err(format!(
                    "snapshot_templates.{k}: interval {v} is outside 1 to 86400 s"
                ));
            }
        }
        Ok(())
    }

    /// The VOD sub-application id for `app_id`.
    pub fn sub_app_id(&self, app_id: u32) -> u64 {
        self.vod_sub_app_id
            .unwrap_or(1_500_000_000 + u64::from(app_id) % 100_000_000)
    }
}

// ----- entities -----

/// A recording task of one stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    /// The TaskId (Tencent's answer).
    pub task_id: String,
    /// The vendor that records it.
    pub vendor: Vendor,
    /// The formats it writes (the configuration's at the start).
    pub formats: Vec<String>,
    /// The longest file, in seconds (not for m3u8).
    pub interval_secs: i64,
    /// When it started, in Unix milliseconds.
    pub started_millis: i64,
    /// A Tencent `EndTime`, in Unix milliseconds.
    pub end_millis: Option<i64>,
    /// When it stopped (StopCDNRecord or EndTime), if it did.
    pub stopped_millis: Option<i64>,
    /// Started by `record_all_streams`, not by StartCDNRecord.
    #[serde(default)]
    pub implicit: bool,
    /// The open segment of each format: when it began, in Unix milliseconds.
    #[serde(default)]
    pub open_segments: BTreeMap<String, i64>,
    /// The files it produced, oldest first (the last 100).
    #[serde(default)]
    pub files: Vec<String>,
}

/// Where a file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileSource {
    /// A recording segment (or a seed).
    Record,
    /// A MergeMedia task.
    Merge,
}

/// A media file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaFile {
    /// The id: a Tencent FileId, a Ws PersistentId key or a Huawei ObsObject key.
    pub id: String,
    /// The vendor that stores it.
    pub vendor: Vendor,
    /// Its name (Tencent `BasicInfo.Name`).
    pub name: String,
    /// Its format (mp4, flv, m3u8, aac, mp3).
    pub format: String,
    /// The recorded stream (none for a merge).
    pub stream_id: Option<String>,
    /// A recording or a merge.
    pub source: FileSource,
    /// The recorded span: begin, in Unix milliseconds.
    pub begin_millis: i64,
    /// The recorded span: end, in Unix milliseconds.
    pub end_millis: i64,
    /// Its duration in milliseconds.
    pub duration_millis: i64,
    /// Its size in bytes.
    pub size: u64,
    /// When it was created, in Unix milliseconds.
    pub create_millis: i64,
    /// When it last changed, in Unix milliseconds.
    pub update_millis: i64,
    /// `ExpireTime` (`9999-12-31T23:59:59Z`: never).
    pub expire: String,
    /// Its playback URL.
    pub replay_url: String,
    /// Its finished transcodes: resolution (360p, 540p, 720p) → when, in Unix milliseconds.
    #[serde(default)]
    pub transcodes: BTreeMap<String, i64>,
    /// When DeleteMedia deleted it, if it did.
    #[serde(default)]
    pub deleted_millis: Option<i64>,
}

impl MediaFile {
    /// Whether it exists for the API (not deleted).
    pub fn is_live(&self) -> bool {
        self.deleted_millis.is_none()
    }
}

/// What a media task does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskWork {
    /// MergeMedia: the inputs with their crops, in milliseconds.
    Compose {
        /// (FileId, start, end) of each input, in order; end `None`: the file's end.
        inputs: Vec<(String, i64, Option<i64>)>,
        /// The merged file's format.
        format: String,
        /// The merged file's name (without format), if given.
        output_name: Option<String>,
        /// When the merged file expires, in Unix seconds (none: never).
        expire_secs: Option<i64>,
    },
    /// TranscodeMedia.
    Transcode {
        /// The source FileId.
        file_id: String,
        /// 360p, 540p or 720p.
        resolution: String,
    },
    /// MediaThumbnails.
    Snapshot {
        /// The source FileId.
        file_id: String,
        /// SnapshotByTimeOffset or SampleSnapshot.
        snapshot_type: String,
        /// The Tencent template.
        definition: Option<u64>,
        /// SnapshotByTimeOffset's offsets, in milliseconds.
        offsets_millis: Vec<i64>,
        /// SampleSnapshot's interval, in milliseconds.
        interval_millis: i64,
    },
}

/// A failure forced through the control plane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFailure {
    /// The code (compose callback: 40000, 60000 or 70000).
    pub code: String,
    /// The message.
    pub message: String,
}

/// A media task (MergeMedia, TranscodeMedia, MediaThumbnails).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaTask {
    /// The TaskId.
    pub task_id: String,
    /// The vendor.
    pub vendor: Vendor,
    /// compose, transcode, SnapshotByTimeOffset or SampleSnapshot.
    pub event: String,
    /// What it does.
    pub work: TaskWork,
    /// When it was created, in Unix milliseconds.
    pub created_millis: i64,
    /// Seconds in WAITING (the configuration's at creation).
    pub queue_secs: i64,
    /// Seconds in PROCESSING.
    pub process_secs: i64,
    /// When it ended (finished or failed), if it did.
    #[serde(default)]
    pub ended_millis: Option<i64>,
    /// A forced failure.
    #[serde(default)]
    pub fail: Option<TaskFailure>,
    /// The file it produced or worked on, once finished.
    #[serde(default)]
    pub result_file_id: String,
    /// The URL it produced, once finished.
    #[serde(default)]
    pub result_url: String,
    /// The thumbnails it produced, once finished.
    #[serde(default)]
    pub thumbnails: Vec<String>,
}

impl MediaTask {
    /// When it finishes by itself, in Unix milliseconds.
    pub fn due_millis(&self) -> i64 {
        self.created_millis.saturating_add(
            self.queue_secs
                .saturating_add(self.process_secs)
                .saturating_mul(1000),
        )
    }

    /// Its status at `now` in the vendor's words (Tencent or Huawei).
    pub fn status(&self, now_millis: i64) -> &'static str {
        let tencent = self.vendor != Vendor::Huawei;
        if self.fail.is_some() {
            return if tencent { "FAIL" } else { "FAILED" };
        }
        if self.ended_millis.is_some() || now_millis >= self.due_millis() {
            return if tencent { "FINISH" } else { "SUCCEEDED" };
        }
        let processing = self
            .created_millis
            .saturating_add(self.queue_secs.saturating_mul(1000));
        if now_millis >= processing {
            "PROCESSING"
        } else {
            "WAITING"
        }
    }
}

/// Counters that make ids unique in one app and environment.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaCounters {
    /// Files created.
    pub files: u64,
    /// Tasks (recording and media) created.
    pub tasks: u64,
}

/// The media-file family's state in one app and environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaFileState {
    /// The app's media configuration.
    pub media_config: MediaConfig,
    /// Recording tasks by StreamId, stopped ones included.
    pub recordings: BTreeMap<String, Recording>,
    /// Files by id, deleted ones included.
    pub media_files: BTreeMap<String, MediaFile>,
    /// Media tasks by TaskId.
    pub media_tasks: BTreeMap<String, MediaTask>,
    /// Id counters.
    pub media_counters: MediaCounters,
    /// The recordings not stopped, for the tick.
    #[serde(skip)]
    pub open_recordings: crate::state::Pending,
    /// The media tasks not ended, for the tick.
    #[serde(skip)]
    pub running_media_tasks: crate::state::Pending,
}

/// A media task as the control plane shows it: with its status now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaTaskView {
    /// Its status in the vendor's words.
    pub status: &'static str,
    /// The task.
    #[serde(flatten)]
    pub task: MediaTask,
}

/// One app's media-file world in one environment, as the control plane shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaView {
    /// The configuration.
    pub config: MediaConfig,
    /// Recordings by StreamId.
    pub recordings: BTreeMap<String, Recording>,
    /// Every file, deleted ones included, oldest first.
    pub files: Vec<MediaFile>,
    /// Every media task with its status, oldest first.
    pub tasks: Vec<MediaTaskView>,
}

/// The view of `state` at `now`.
pub(crate) fn view(state: &EnvState, now_millis: i64) -> MediaView {
    let m = &state.media_files;
    let mut files: Vec<MediaFile> = m.media_files.values().cloned().collect();
    files.sort_by(|a, b| (a.create_millis, &a.id).cmp(&(b.create_millis, &b.id)));
    let mut tasks: Vec<MediaTaskView> = m
        .media_tasks
        .values()
        .map(|t| MediaTaskView {
            status: t.status(now_millis),
            task: t.clone(),
        })
        .collect();
    tasks.sort_by(|a, b| {
        (a.task.created_millis, &a.task.task_id).cmp(&(b.task.created_millis, &b.task.task_id))
    });
    MediaView {
        config: m.media_config.clone(),
        recordings: m.recordings.clone(),
        files,
        tasks,
    }
}

// ----- ids and times -----

/// `md5(seed)` as 32 lower-case hex characters.
pub(crate) fn hex32(seed: &str) -> String {
    hex::encode(Md5::digest(seed.as_bytes()))
}

/// A UUID (version 4 form) derived from `seed`.
pub(crate) fn uuid(seed: &str) -> String {
    let h = hex32(seed);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// A fresh seed for ids: the app, environment's counter and time.
pub(crate) fn next_seed(state: &mut EnvState, app_id: u32, now_millis: i64, what: &str) -> String {
    let c = &mut state.media_files.media_counters;
    c.tasks = c.tasks.wrapping_add(1);
    format!("{app_id}|{what}|{}|{now_millis}", c.tasks)
}

/// Unpadded base64url of some bytes.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(A[idx as usize]));
        }
    }
    out
}

/// `YYYY-MM-DDTHH:MM:SSZ` of Unix milliseconds.
pub(crate) fn iso(millis: i64) -> String {
    crate::utc::format(millis.div_euclid(1000))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` of Unix milliseconds (Huawei's `LastModified`).
pub(crate) fn iso_millis(millis: i64) -> String {
    let s = iso(millis);
    format!("{}.{:03}Z", &s[..19], millis.rem_euclid(1000))
}

/// The digits of a UTC time: `YYYYMMDDHHMMSS`.
pub(crate) fn compact(millis: i64) -> String {
    iso(millis).chars().filter(char::is_ascii_digit).collect()
}

/// `YYYY-MM-DD-HH-MM-SS` (Huawei keys).
pub(crate) fn dashed(millis: i64) -> String {
    iso(millis).replace(['T', ':'], "-").replace('Z', "")
}

/// Seconds as a JSON number with millisecond precision.
pub(crate) fn secs_f64(millis: i64) -> Value {
    // Millisecond counts are far below 2^53: the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let secs = millis as f64 / 1000.0;
    json!(secs)
}

/// A file's size for a duration: 72,000 bytes a second (about 576 kbps).
pub(crate) fn size_for(duration_millis: i64) -> u64 {
    u64::try_from(duration_millis.max(0))
        .unwrap_or(0)
        .saturating_mul(72)
}

// ----- stores -----

/// Inserts a file, keeping the store under [`MAX_ITEMS`]: the oldest deleted file goes first,
/// then the oldest file.
pub(crate) fn insert_file(state: &mut EnvState, file: MediaFile) {
    let files = &mut state.media_files.media_files;
    if files.len() >= MAX_ITEMS && !files.contains_key(&file.id) {
        let victim = files
            .values()
            .filter(|f| !f.is_live())
            .min_by_key(|f| (f.deleted_millis, f.create_millis))
            .or_else(|| files.values().min_by_key(|f| f.create_millis))
            .map(|f| f.id.clone());
        if let Some(id) = victim {
            files.remove(&id);
        }
    }
    files.insert(file.id.clone(), file);
}

/// Makes room for one more media task: the oldest ended task goes first, then the oldest.
pub(crate) fn make_room_for_task(state: &mut EnvState) {
    let tasks = &mut state.media_files.media_tasks;
    if tasks.len() < MAX_ITEMS {
        return;
    }
    let victim = tasks
        .values()
        .filter(|t| t.ended_millis.is_some())
        .min_by_key(|t| (t.ended_millis, t.created_millis))
        .or_else(|| tasks.values().min_by_key(|t| t.created_millis))
        .map(|t| t.task_id.clone());
    if let Some(id) = victim {
        tasks.remove(&id);
    }
}

/// A live file of `vendor` with this id.
pub(crate) fn live_file<'s>(
    state: &'s EnvState,
    vendor: Vendor,
    id: &str,
) -> Option<&'s MediaFile> {
    state
        .media_files
        .media_files
        .get(id)
        .filter(|f| f.is_live() && f.vendor == vendor)
}

// ----- the clock -----

/// Materialises everything due by `now_millis`: recordings (segments, splits, EndTime), then
/// media tasks that finish. Idempotent: a second call at the same time does nothing.
#[inline]
pub(crate) fn tick(state: &mut EnvState, app_id: u32, now_millis: i64) {
    record::tick(state, app_id, now_millis);
    tasks::tick(state, app_id, now_millis);
}

/// A file to seed through the control plane.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    /// The vendor (default: the app's).
    #[serde(default)]
    pub vendor: Option<Vendor>,
    /// The id (default: generated in the vendor's shape).
    #[serde(default)]
    pub id: Option<String>,
    /// The recorded stream.
    pub stream_id: String,
    /// The format (default mp4).
    #[serde(default)]
    pub format: Option<String>,
    /// Duration in seconds (default 60).
    #[serde(default)]
    pub duration: Option<f64>,
    /// When it was created (its recording's end), in Unix seconds (default now).
    #[serde(default)]
    pub create_time: Option<i64>,
}

/// Seeds a file; `Err` says what is wrong with the request.
pub(crate) fn seed_file(
    state: &mut EnvState,
    app_id: u32,
    seed: SeedFile,
    now_millis: i64,
) -> Result<MediaFile, String> {
    let vendor = match seed.vendor.or(state.media_files.media_config.cdn_vendor) {
        Some(v) => v,
        None => return Err("give a vendor: the app has no CDN vendor".into()),
    };
    if seed.stream_id.is_empty() || seed.stream_id.len() > 256 {
        return Err("stream_id must be 1 to 256 bytes".into());
    }
    let format = seed.format.unwrap_or_else(|| "mp4".into());
    if !RECORD_FORMATS.contains(&format.as_str()) {
        return Err(format!(
            "format {format:?} is not one of {}",
            RECORD_FORMATS.join(", ")
        ));
    }
    let duration = seed.duration.unwrap_or(60.0);
    if !duration.is_finite() || duration <= 0.0 || duration > 1e7 {
        return Err(format!(
            "duration {duration} must be over 0 and at most 10000000 s"
        ));
    }
    // In range: the conversion cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    let duration_millis = (duration * 1000.0).round() as i64;
    let end = match seed.create_time {
        Some(t) if !(0..=253_402_300_799).contains(&t) => {
            return Err(format!(
                "create_time {t} is not a Unix time in seconds up to 9999"
            ))
        }
        Some(t) => t * 1000,
        None => now_millis,
    };
    if let Some(id) = &seed.id {
        if id.is_empty() || id.len() > 1024 {
            return Err("id must be 1 to 1024 bytes".into());
        }
        if state.media_files.media_files.contains_key(id) {
            return Err(format!("a file with id {id:?} exists"));
        }
    }
    let begin = end.saturating_sub(duration_millis);
    let mut file = record::new_file(
        state,
        app_id,
        vendor,
        &seed.stream_id,
        &format,
        begin,
        end,
        seed.id,
    );
    file.create_millis = end;
    file.update_millis = end;
    insert_file(state, file.clone());
    Ok(file)
}

/// Why a media task cannot be failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailTaskError {
    /// No task has this TaskId.
    Unknown(String),
    /// The task has already finished or failed.
    Ended(String),
}

impl std::fmt::Display for FailTaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailTaskError::Unknown(id) => write!(f, "no media task {id:?}"),
            FailTaskError::Ended(id) => write!(f, "media task {id:?} has already ended"),
        }
    }
}

/// Forces a media task to fail now; `Err` says why it cannot.
pub(crate) fn fail_task(
    state: &mut EnvState,
    app_id: u32,
    task_id: &str,
    failure: TaskFailure,
    now_millis: i64,
) -> Result<MediaTaskView, FailTaskError> {
    let Some(task) = state.media_files.media_tasks.get_mut(task_id) else {
        return Err(FailTaskError::Unknown(task_id.to_string()));
    };
    if task.ended_millis.is_some() {
        return Err(FailTaskError::Ended(task_id.to_string()));
    }
    task.fail = Some(failure);
    task.ended_millis = Some(now_millis);
    let task = task.clone();
    tasks::report(state, app_id, &task, now_millis);
    Ok(MediaTaskView {
        status: task.status(now_millis),
        task,
    })
}
