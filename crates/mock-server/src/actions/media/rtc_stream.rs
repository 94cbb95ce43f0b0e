//! RTC streams: `ForbidRTCStream(s)`, `ResumeRTCStream(s)` (forbid/resume-rtc-stream(s).yaml),
//! `DescribeRTCStreamState` (describe-rtc-stream-state.yaml), and the simulated publisher that
//! makes streams live or closed.

use super::{MediaState, SEQUENCE, SEQUENCE_BY_STREAM, STREAM_ID};
use crate::actions::{Action, Ctx, Data, Reply};
use crate::codes::media;
use crate::refusal::Refusal;
use crate::spec::{is_valid_stream_id, ActionSpec, Family, Kind, Legacy, Method, Param, Quota};
use serde::Serialize;
use serde_json::json;

/// A stream's publishing history as the mock knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamRecord {
    /// When the current (or last) publishing session started, in Unix seconds.
    pub create_secs: i64,
    /// When it ended, or `None` while the stream is live.
    pub close_secs: Option<i64>,
}

impl StreamRecord {
    /// Whether the stream is being published.
    pub fn is_live(&self) -> bool {
        self.close_secs.is_none()
    }
}

/// `ForbidRTCStream`: 20/s, test 5/s; legacy 40005 and 3002.
pub(crate) const FORBID_ONE: ActionSpec = ActionSpec {
    name: "ForbidRTCStream",
    family: Family::MediaService,
    method: Method::Get,
    success_message: "ok",
    parameter_code: media::BAD_IS_TEST,
    legacy: Legacy {
        auth: Some(media::AUTH_FAILED_40005),
        timestamp: Some(media::TIMESTAMP_ERROR),
    },
    params: &[STREAM_ID, SEQUENCE],
    quotas: &[Quota::per_second(20, 5, media::RATE_LIMITED)],
    sequence: Some(SEQUENCE_BY_STREAM),
    feature: None,
    doc: "media-service/forbid-rtc-stream.yaml",
};

/// `ResumeRTCStream`.
pub(crate) const RESUME_ONE: ActionSpec = ActionSpec {
    name: "ResumeRTCStream",
    doc: "media-service/resume-rtc-stream.yaml",
    ..FORBID_ONE
};

/// `StreamId[]`: 1 to 20 StreamIds, every failure 30006.
const STREAM_IDS: Param = Param::new(
    "StreamId",
    Kind::List {
        item: &Param::new(
            "StreamId",
            Kind::StreamId { test_prefix: true },
            media::INVALID_STREAM_ID_LIST,
        ),
        min: 1,
        max: 20,
        plain_form: false,
    },
    media::INVALID_STREAM_ID_LIST,
);

/// `ForbidRTCStreams`: the batch pages document neither 40005 nor 3002, so legacy codes do not
/// apply.
pub(crate) const FORBID_MANY: ActionSpec = ActionSpec {
    name: "ForbidRTCStreams",
    legacy: Legacy::NONE,
    params: &[STREAM_IDS, SEQUENCE],
    doc: "media-service/forbid-rtc-streams.yaml",
    ..FORBID_ONE
};

/// `ResumeRTCStreams`.
pub(crate) const RESUME_MANY: ActionSpec = ActionSpec {
    name: "ResumeRTCStreams",
    doc: "media-service/resume-rtc-streams.yaml",
    ..FORBID_MANY
};

/// `DescribeRTCStreamState`: 40/s, test 10/s.
pub(crate) const DESCRIBE: ActionSpec = ActionSpec {
    name: "DescribeRTCStreamState",
    quotas: &[Quota::per_second(40, 10, media::RATE_LIMITED)],
    doc: "media-service/describe-rtc-stream-state.yaml",
    ..FORBID_ONE
};

/// Why a simulated publish was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishError {
    /// The stream is forbidden from publishing to RTC (ForbidRTCStream).
    Forbidden,
    /// The StreamId does not have the documented form.
    InvalidStreamId,
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PublishError::Forbidden => "the stream is forbidden from publishing (ForbidRTCStream)",
            PublishError::InvalidStreamId => {
                "the StreamId must be 1 to 256 characters of [0-9A-Za-z_-]"
            }
        })
    }
}

impl std::error::Error for PublishError {}

/// A simulated publisher starts a stream: it becomes live unless it is forbidden.
pub(crate) fn start_publishing(
    state: &mut MediaState,
    stream_id: &str,
    now_secs: i64,
) -> Result<(), PublishError> {
    if !is_valid_stream_id(stream_id) {
        return Err(PublishError::InvalidStreamId);
    }
    if state.forbidden_rtc.contains(stream_id) {
        return Err(PublishError::Forbidden);
    }
    match state.streams.get_mut(stream_id) {
        Some(s) if s.is_live() => {}
        Some(s) => {
            s.create_secs = now_secs;
            s.close_secs = None;
        }
        None => {
            state.streams.insert(
                stream_id.to_string(),
                StreamRecord {
                    create_secs: now_secs,
                    close_secs: None,
                },
            );
        }
    }
    Ok(())
}

/// A simulated publisher stops a stream; `false` when it was not live.
pub(crate) fn stop_publishing(state: &mut MediaState, stream_id: &str, now_secs: i64) -> bool {
    match state.streams.get_mut(stream_id) {
        Some(s) if s.is_live() => {
            s.close_secs = Some(now_secs);
            true
        }
        _ => false,
    }
}

/// The singular actions answer without `Data`; the batch ones with `"Data": null`.
fn answer_data(action: Action) -> Data {
    match action {
        Action::ForbidRTCStream | Action::ResumeRTCStream => Data::Absent,
        _ => Data::Null,
    }
}

/// `ForbidRTCStream` and `ForbidRTCStreams`.
pub(crate) fn forbid(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let now_secs = ctx.now_secs();
    let state = &mut ctx.state.media;
    for id in ctx.args.each("StreamId") {
        state.forbidden_rtc.insert(id.to_string());
        // A forbidden stream's publisher is stopped [choice].
        stop_publishing(state, id, now_secs);
    }
    // A client publishing it in a room stops too, and the stream leaves that room's list.
    for id in ctx.args.each("StreamId") {
        crate::actions::room::forbidden(ctx.state, id, ctx.now_millis);
    }
    Ok(Reply::ok(answer_data(ctx.action)))
}

/// `ResumeRTCStream` and `ResumeRTCStreams`.
pub(crate) fn resume(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    for id in ctx.args.each("StreamId") {
        ctx.state.media.forbidden_rtc.remove(id);
    }
    Ok(Reply::ok(answer_data(ctx.action)))
}

pub(crate) fn describe(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let stream_id = ctx.args.str("StreamId").unwrap_or_default();
    Ok(match ctx.state.media.streams.get(stream_id) {
        None => Reply {
            code: media::STREAM_NOT_FOUND,
            data: Data::Absent,
        },
        Some(s) => Reply {
            code: if s.is_live() { 0 } else { media::STREAM_CLOSED },
            data: Data::Value(json!({
                "create_time": s.create_secs.to_string(),
                "close_time": s.close_secs.map(|c| c.to_string()).unwrap_or_default(),
            })),
        },
    })
}
