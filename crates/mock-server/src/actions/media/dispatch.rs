//! RTMP dispatch: `RTMPDispatchV2`, and the legacy `RTMPDispatch` its page describes
//! (rtpm-dispatch.yaml): the RTMP node a third-party tool (OBS, a player) should publish to or
//! play from.

use super::{SEQUENCE, SEQUENCE_BY_STREAM, STREAM_ID};
use crate::actions::{Action, Ctx, Data, Reply};
use crate::codes::media;
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Family, Kind, Legacy, Method, Param, Quota, Scope};
use serde_json::json;

/// Invalid dispatch action (`Type` other than `pull` or `push`).
const INVALID_TYPE: i64 = 30010;
/// Invalid client IP address.
const INVALID_CLIENT_IP: i64 = 30011;

/// The node the mock dispatches to: an address reserved for documentation (RFC 5737), so a tool
/// that tries to publish to it fails at once instead of reaching someone's server [choice].
pub const NODE: &str = "192.0.2.1:1935";

/// `RTMPDispatchV2`: "For the same AppID: 40 times/second", one figure for the AppID, so both
/// environments count together [choice]; 30002 when throttled (1010 is listed too). The page
/// documents no authentication or timestamp code of its own.
pub(crate) const V2: ActionSpec = ActionSpec {
    name: "RTMPDispatchV2",
    family: Family::MediaService,
    method: Method::Get,
    success_message: "ok",
    parameter_code: media::BAD_IS_TEST,
    legacy: Legacy::NONE,
    // `Sequence` last, as on every media-service action (SPEC.md 5.2); the page lists it second.
    params: &[
        STREAM_ID,
        Param::new("Type", Kind::Enum(&["pull", "push"]), INVALID_TYPE)
            .hint("pull gets a playing node, push a publishing node"),
        Param::new("ClientIP", Kind::Ipv4, INVALID_CLIENT_IP)
            .optional()
            .hint("IPv6 is not supported"),
        SEQUENCE,
    ],
    quotas: &[Quota::per_second(40, 40, media::RATE_LIMITED).scoped(Scope::App)],
    sequence: Some(SEQUENCE_BY_STREAM),
    feature: None,
    doc: "media-service/rtpm-dispatch.yaml",
};

/// `RTMPDispatch`, the legacy name: the same request, `Data` as `IP:Port`.
pub(crate) const V1: ActionSpec = ActionSpec {
    name: "RTMPDispatch",
    ..V2
};

/// Answers the node: `["rtmp://{node}/{AppId}/{StreamId}"]` for V2 (the documented example's
/// form), `["{node}"]` for the legacy action.
pub(crate) fn dispatch(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let stream_id = ctx.args.str("StreamId").unwrap_or_default();
    let node = match ctx.action {
        Action::RTMPDispatch => NODE.to_string(),
        _ => format!("rtmp://{NODE}/{}/{stream_id}", ctx.app_id),
    };
    Ok(Reply::ok(Data::Value(json!([node]))))
}
