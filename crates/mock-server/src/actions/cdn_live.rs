//! CDN publishing bans: `ResumeCDNLiveStream` (resume-cdn-live-stream.yaml).

use super::validate;
use super::{ActionSpec, Data};
use crate::gateway::Admitted;
use crate::query::Params;
use crate::refusal::Refusal;
use crate::state::EnvState;
use serde::Serialize;
use serde_json::json;

/// A ban on publishing a stream to the CDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CdnBan {
    /// The banned stream.
    pub stream_id: String,
    /// When the ban started, in Unix milliseconds of the mock's clock.
    pub start_millis: i64,
    /// When the ban ends by itself, in Unix milliseconds of the mock's clock.
    pub end_millis: i64,
}

/// A checked `ResumeCDNLiveStream` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    pub(crate) stream_id: String,
}

/// The `CdnResult` the documented example shows.
const CDN_RESULT: &str = "success append purge tasks";

pub(super) fn parse_resume(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
) -> Result<Resume, Refusal> {
    let stream_id = validate::stream_id(spec, admitted, params)?.to_string();
    Ok(Resume { stream_id })
}

pub(super) fn resume(req: Resume, state: &mut EnvState) -> Data {
    // Lifting a ban that does not exist succeeds [choice].
    state.cdn_bans.retain(|b| b.stream_id != req.stream_id);
    Data::Value(json!([{ "CdnType": "ws", "CdnResult": CDN_RESULT }]))
}
