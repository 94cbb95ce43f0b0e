//! RTC streams: `ForbidRTCStream(s)`, `ResumeRTCStream(s)` (forbid/resume-rtc-stream(s).yaml),
//! `DescribeRTCStreamState` (describe-rtc-stream-state.yaml), and the simulated publisher that
//! makes streams live or closed.

use super::{Data, Reply};
use crate::codes::media;
use crate::state::EnvState;
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
pub fn start_publishing(
    state: &mut EnvState,
    stream_id: &str,
    now_secs: i64,
) -> Result<(), PublishError> {
    if !super::validate::is_valid_stream_id(stream_id) {
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
pub fn stop_publishing(state: &mut EnvState, stream_id: &str, now_secs: i64) -> bool {
    match state.streams.get_mut(stream_id) {
        Some(s) if s.is_live() => {
            s.close_secs = Some(now_secs);
            true
        }
        _ => false,
    }
}

pub(super) fn forbid(
    stream_ids: &[String],
    state: &mut EnvState,
    now_millis: i64,
    single: bool,
) -> Reply {
    let now_secs = now_millis.div_euclid(1000);
    for id in stream_ids {
        state.forbidden_rtc.insert(id.clone());
        // A forbidden stream's publisher is stopped [choice].
        stop_publishing(state, id, now_secs);
    }
    Reply::ok(if single { Data::Absent } else { Data::Null })
}

pub(super) fn resume(stream_ids: &[String], state: &mut EnvState, single: bool) -> Reply {
    for id in stream_ids {
        state.forbidden_rtc.remove(id);
    }
    Reply::ok(if single { Data::Absent } else { Data::Null })
}

pub(super) fn describe(stream_id: &str, state: &EnvState) -> Reply {
    match state.streams.get(stream_id) {
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
    }
}
