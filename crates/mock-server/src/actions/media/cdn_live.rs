//! CDN publishing bans: `ForbidCDNLiveStream`, `ResumeCDNLiveStream`, `QueryForbidCDNLiveStream`
//! (forbid/resume/query-forbid-cdn-live-stream.yaml). These actions answer with the older public
//! code set: 2 parameter error, 4 unknown CDN type, 7 rate limit.

use crate::actions::{Ctx, Data, Reply};
use crate::codes::cdn_live as cl;
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Kind, Legacy, Method, Param, Quota, Scope};
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

/// The StreamId of this family: code 2, and no test-environment prefix rule (undocumented here).
const STREAM_ID: Param = Param::new(
    "StreamId",
    Kind::StreamId { test_prefix: false },
    cl::PARAMETER_ERROR,
);

/// `ForbidCDNLiveStream`: "All rooms under the same AppID are limited to 20 times/second": one
/// counter per AppId for production and test together (each action of the family counts apart);
/// legacy 3.
pub(crate) const FORBID: ActionSpec = ActionSpec {
    name: "ForbidCDNLiveStream",
    family: Family::CdnLive,
    method: Method::Get,
    success_message: "success",
    parameter_code: cl::PARAMETER_ERROR,
    legacy: Legacy {
        auth: Some(cl::AUTH_FAILED),
        timestamp: None,
    },
    params: &[
        STREAM_ID,
        Param::new("ResumeTime", Kind::UtcTime, cl::PARAMETER_ERROR).optional(),
    ],
    quotas: &[Quota::per_second(20, 20, cl::RATE_LIMITED).scoped(Scope::App)],
    sequence: None,
    feature: None,
    doc: "media-service/forbid-cdn-live-stream.yaml",
};

/// `ResumeCDNLiveStream`.
pub(crate) const RESUME: ActionSpec = ActionSpec {
    name: "ResumeCDNLiveStream",
    params: &[STREAM_ID],
    doc: "media-service/resume-cdn-live-stream.yaml",
    ..FORBID
};

/// `QueryForbidCDNLiveStream`: `Vendor` must be `ws` (4 for another CDN type).
pub(crate) const QUERY: ActionSpec = ActionSpec {
    name: "QueryForbidCDNLiveStream",
    params: &[
        Param::new("Vendor", Kind::Enum(&["ws"]), cl::PARAMETER_ERROR)
            .invalid(cl::UNKNOWN_CDN_TYPE)
            .hint("ws (WangSu) is the one documented"),
    ],
    doc: "media-service/query-forbid-cdn-live-stream.yaml",
    ..FORBID
};

/// The `CdnResult` the documented examples show (in `WS_RESULT_JSON`).
#[cfg(test)]
const CDN_RESULT: &str = "success append purge tasks";

fn ws_result() -> Data {
    Data::Json(WS_RESULT_JSON)
}

/// `[{"CdnType":"ws","CdnResult":CDN_RESULT}]` as `serde_json` writes it (keys in order), kept
/// written: ForbidCDNLiveStream and ResumeCDNLiveStream answer it every time.
const WS_RESULT_JSON: &str = r#"[{"CdnResult":"success append purge tasks","CdnType":"ws"}]"#;

pub(crate) fn forbid(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let now_secs = ctx.now_secs();
    let end_secs = match ctx.args.time("ResumeTime") {
        None => now_secs + DEFAULT_BAN_SECS,
        Some(end) if end <= now_secs || end > now_secs + MAX_BAN_SECS => {
            return Err(Refusal::new(
                cl::PARAMETER_ERROR,
                Family::CdnLive,
                Check::Parameter,
                format!(
                    "ResumeTime {} must be after the server time {} and at most 30 days later ({})",
                    utc::format(end),
                    utc::format(now_secs),
                    utc::format(now_secs + MAX_BAN_SECS)
                ),
            ))
        }
        Some(end) => end,
    };
    let stream_id = ctx.args.str("StreamId").unwrap_or_default();
    let bans = &mut ctx.state.media.cdn_bans;
    bans.retain(|b| b.is_active(now_secs) && b.stream_id != stream_id);
    bans.push(CdnBan {
        stream_id: stream_id.to_string(),
        start_secs: now_secs,
        end_secs,
    });
    Ok(Reply::ok(ws_result()))
}

pub(crate) fn resume(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let stream_id = ctx.args.str("StreamId").unwrap_or_default();
    // Lifting a ban that does not exist succeeds [choice].
    ctx.state
        .media
        .cdn_bans
        .retain(|b| b.stream_id != stream_id);
    Ok(Reply::ok(ws_result()))
}

pub(crate) fn query(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let now_secs = ctx.now_secs();
    let details: Vec<_> = ctx
        .state
        .media
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
    Ok(Reply::ok(Data::Value(
        json!({ "Ws": { "ResultDetail": details } }),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_ws_result_is_what_serde_json_writes() {
        let value = json!([{ "CdnType": "ws", "CdnResult": CDN_RESULT }]);
        assert_eq!(serde_json::to_string(&value).unwrap(), WS_RESULT_JSON);
    }
}
