//! CDN relay rules: `CreatCDNTransferRule`, `DeleteCDNTransferRule`, `ClearCDNTransferRule`
//! (create/delete/clear-cdn-transfer-rule.yaml).

use super::{MediaState, SEQUENCE, SEQUENCE_BY_STREAM, STREAM_ID};
use crate::actions::{Ctx, Data, Reply};
use crate::codes::media;
use crate::refusal::Refusal;
use crate::spec::split_rtmp_url;
use crate::spec::{ActionSpec, Family, Kind, Legacy, Method, Param, Quota};
use serde::Serialize;

/// A relay rule: the stream and the CDN address it is relayed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayRule {
    /// The relayed stream.
    pub stream_id: String,
    /// The RTMP address, or `None` when the request gave none.
    pub cdn_url: Option<String>,
    /// When the rule was created, in Unix milliseconds of the mock's clock.
    pub created_at_millis: i64,
}

/// `CreatCDNTransferRule`: 10/s, test 5/s; legacy 5003. `CDNUrl` is optional in the current
/// YAML (older pages: required); an empty value counts as absent [choice].
pub(crate) const CREAT: ActionSpec = ActionSpec {
    name: "CreatCDNTransferRule",
    family: Family::MediaService,
    method: Method::Get,
    success_message: "ok",
    parameter_code: media::BAD_IS_TEST,
    legacy: Legacy {
        auth: Some(media::AUTH_FAILED_5003),
        timestamp: None,
    },
    params: &[
        STREAM_ID,
        Param::new("CDNUrl", Kind::RtmpUrl, media::INVALID_CDN_URL).optional(),
        SEQUENCE,
    ],
    quotas: &[Quota::per_second(10, 5, media::RATE_LIMITED)],
    sequence: Some(SEQUENCE_BY_STREAM),
    feature: None,
    doc: "media-service/create-cdn-transfer-rule.yaml",
};

/// `DeleteCDNTransferRule`: as Creat, with a required `CDNUrl` answered 5004.
pub(crate) const DELETE: ActionSpec = ActionSpec {
    name: "DeleteCDNTransferRule",
    params: &[
        STREAM_ID,
        Param::new("CDNUrl", Kind::RtmpUrl, media::INVALID_CDN_URL_5004),
        SEQUENCE,
    ],
    doc: "media-service/delete-cdn-transfer-rule.yaml",
    ..CREAT
};

/// `ClearCDNTransferRule`: as Creat, without `CDNUrl`.
pub(crate) const CLEAR: ActionSpec = ActionSpec {
    name: "ClearCDNTransferRule",
    params: &[STREAM_ID, SEQUENCE],
    doc: "media-service/clear-cdn-transfer-rule.yaml",
    ..CREAT
};

/// Whether two relay addresses are "consistent (parameters may differ)": same scheme, host and
/// path (scheme and host in any case), whatever their query.
pub fn same_address(a: &str, b: &str) -> bool {
    match (split_rtmp_url(a), split_rtmp_url(b)) {
        (Some((ha, pa)), Some((hb, pb))) => ha.eq_ignore_ascii_case(hb) && pa == pb,
        _ => false,
    }
}

fn stream_id<'a>(ctx: &Ctx<'_, 'a>) -> &'a str {
    ctx.args.str("StreamId").unwrap_or_default()
}

pub(crate) fn creat(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    // Repeating a create succeeds and keeps one rule [choice] (and copies nothing).
    let (stream, cdn_url) = (stream_id(ctx), ctx.args.str("CDNUrl"));
    let rules = &ctx.state.media.relay_rules;
    // The StreamId was hashed for its Sequence under the same key: that hash serves here.
    let hash = match ctx.subject_hash {
        Some((subject, hash)) if subject == stream => hash,
        _ => rules.stream_hash(stream),
    };
    if !rules.contains_hashed(hash, stream, cdn_url) {
        ctx.state.media.add_relay_rule(RelayRule {
            stream_id: stream.to_string(),
            cdn_url: cdn_url.map(str::to_string),
            created_at_millis: ctx.now_millis,
        });
    }
    Ok(Reply::ok(Data::Null))
}

pub(crate) fn delete(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let stream_id = stream_id(ctx);
    let cdn_url = ctx.args.str("CDNUrl").unwrap_or_default();
    // Deleting a rule that does not exist succeeds [choice].
    ctx.state.media.relay_rules.remove_where(stream_id, |r| {
        r.cdn_url
            .as_deref()
            .is_some_and(|u| same_address(u, cdn_url))
    });
    Ok(Reply::ok(Data::Null))
}

pub(crate) fn clear(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    // Only pending rules go: those whose stream is not publishing.
    let MediaState {
        relay_rules,
        streams,
        ..
    } = &mut ctx.state.media;
    relay_rules.retain_streams(|stream| streams.get(stream).is_some_and(|s| s.is_live()));
    Ok(Reply::ok(Data::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_match_ignoring_their_query() {
        assert!(same_address(
            "rtmp://h/live/s?token=1",
            "rtmp://H/live/s?token=2"
        ));
        assert!(same_address("rtmp://h/live/s", "RTMP://h/live/s#x"));
        assert!(!same_address("rtmp://h/live/s", "rtmp://h/live/S"));
        assert!(!same_address("rtmp://h/live/s", "rtmp://g/live/s"));
    }
}
