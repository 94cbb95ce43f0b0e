//! CDN publishing bans: `ForbidCDNLiveStream`, `ResumeCDNLiveStream`, `QueryForbidCDNLiveStream`
//! (forbid/resume/query-forbid-cdn-live-stream.yaml). These actions answer with the older public
//! code set: 2 parameter error, 4 unknown CDN type, 7 rate limit.

use super::validate::{self, truncate};
use super::{ActionSpec, Data, Reply};
use crate::codes::cdn_live as cl;
use crate::gateway::Admitted;
use crate::query::Params;
use crate::refusal::{Check, Refusal};
use crate::state::EnvState;
use crate::utc;
use serde::Serialize;
use serde_json::json;

/// A ban's default length: one day.
pub const DEFAULT_BAN_SECS: i64 = 86_400;
/// A ban's longest length: 30 days.
pub const MAX_BAN_SECS: i64 = 30 * 86_400;
/// The CDN domain bans are listed under (the documented example's).
pub const WS_CHANNEL: &str = "publish-ws.zegotech.cn";

/// A ban on publishing a stream to the CDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdnBan {
    /// The banned stream.
    pub stream_id: String,
    /// When the ban started, in Unix seconds of the mock's clock.
    pub start_secs: i64,
    /// When the ban ends by itself, in Unix seconds of the mock's clock.
    pub end_secs: i64,
}

impl CdnBan {
    /// Whether the ban is still in force at `now_secs`.
    pub fn is_active(&self, now_secs: i64) -> bool {
        self.end_secs > now_secs
    }
}

/// A checked `ForbidCDNLiveStream` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forbid {
    pub(crate) stream_id: String,
    pub(crate) end_secs: i64,
}

/// The `CdnResult` the documented examples show.
const CDN_RESULT: &str = "success append purge tasks";

fn ws_result() -> Data {
    Data::Value(json!([{ "CdnType": "ws", "CdnResult": CDN_RESULT }]))
}

fn param_error(spec: &ActionSpec, reason: String) -> Refusal {
    Refusal::new(cl::PARAMETER_ERROR, spec.family, Check::Parameter, reason)
}

pub(super) fn parse_forbid(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
    now_secs: i64,
) -> Result<Forbid, Refusal> {
    let stream_id = validate::stream_id(spec, admitted, params)?.to_string();
    let end_secs = match params.non_empty("ResumeTime") {
        None => now_secs + DEFAULT_BAN_SECS,
        Some(raw) => {
            let end = utc::parse(raw).ok_or_else(|| {
                param_error(
                    spec,
                    format!(
                        "ResumeTime {:?} is not a UTC time of the form 2018-11-29T19:00:00Z",
                        truncate(raw, 64)
                    ),
                )
            })?;
            if end <= now_secs || end > now_secs + MAX_BAN_SECS {
                return Err(param_error(
                    spec,
                    format!(
                        "ResumeTime {raw} must be after the server time {} and at most 30 days later ({})",
                        utc::format(now_secs),
                        utc::format(now_secs + MAX_BAN_SECS)
                    ),
                ));
            }
            end
        }
    };
    Ok(Forbid {
        stream_id,
        end_secs,
    })
}

pub(super) fn parse_query(spec: &ActionSpec, params: &Params) -> Result<(), Refusal> {
    match params.non_empty("Vendor") {
        None => Err(param_error(
            spec,
            "the Vendor parameter is missing or empty; ws (WangSu) is the one documented".into(),
        )),
        Some("ws") => Ok(()),
        Some(other) => Err(Refusal::new(
            cl::UNKNOWN_CDN_TYPE,
            spec.family,
            Check::Parameter,
            format!(
                "Vendor {:?} is not a known CDN type; only ws (WangSu) is documented",
                truncate(other, 64)
            ),
        )),
    }
}

pub(super) fn forbid(req: Forbid, state: &mut EnvState, now_millis: i64) -> Reply {
    let now_secs = now_millis.div_euclid(1000);
    state
        .cdn_bans
        .retain(|b| b.is_active(now_secs) && b.stream_id != req.stream_id);
    state.cdn_bans.push(CdnBan {
        stream_id: req.stream_id,
        start_secs: now_secs,
        end_secs: req.end_secs,
    });
    Reply::ok(ws_result())
}

pub(super) fn resume(stream_id: &str, state: &mut EnvState) -> Reply {
    // Lifting a ban that does not exist succeeds [choice].
    state.cdn_bans.retain(|b| b.stream_id != stream_id);
    Reply::ok(ws_result())
}

pub(super) fn query(state: &EnvState, now_millis: i64) -> Reply {
    let now_secs = now_millis.div_euclid(1000);
    let details: Vec<_> = state
        .cdn_bans
        .iter()
        .filter(|b| b.is_active(now_secs))
        .map(|b| {
            json!({
                "Channel": WS_CHANNEL,
                "Url": format!("rtmp://{WS_CHANNEL}/test/{}", b.stream_id),
                "StartTime": utc::format(b.start_secs),
                "EndTime": utc::format(b.end_secs),
                "Ip": "",
            })
        })
        .collect();
    Reply::ok(Data::Value(json!({ "Ws": { "ResultDetail": details } })))
}
