//! The older CDN live-stream set's own cases: the typed client's calls and the ban flows
//! (forbid, query, resume, expiry, the ResumeTime bounds).

use super::{case, check, Case, CaseResult};
use crate::target::{Ctx, Needs};
use serde_json::Value;
use std::sync::Arc;
use zego_client::{
    ForbidCdnLiveStreamRequest, QueryForbidCdnLiveStreamRequest, ResumeCdnLiveStreamRequest,
};

/// Calls the action through the typed client and checks it succeeds.
pub(super) async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    let c = ctx.client();
    let result = match action {
        "ForbidCDNLiveStream" => c
            .forbid_cdn_live_stream(ForbidCdnLiveStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "ResumeCDNLiveStream" => c
            .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "QueryForbidCDNLiveStream" => c
            .query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest::new("ws"))
            .await
            .map(|_| ()),
        other => return Err(format!("no typed method for {other}")),
    };
    result.map_err(|e| format!("the typed client's {action} failed: {e}"))
}

/// The family's state flows.
pub(super) fn flows() -> Vec<Case> {
    vec![
        case("flow.cdn-ban", "ForbidCDNLiveStream -> QueryForbidCDNLiveStream lists the stream -> ResumeCDNLiveStream -> the list no longer has it", "forbid/query-forbid/resume-cdn-live-stream.yaml", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("ban");
            let listed = |v: &Value| {
                v["Data"]["Ws"]["ResultDetail"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|e| e["Url"].as_str().is_some_and(|u| u.ends_with(&format!("/{stream}")))))
            };
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream)]).await?.expect_code(0)?;
            let q = ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?;
            q.expect_code(0)?;
            check(listed(&q.body), || format!("the ban is not listed: {}", q.body))?;
            ctx.call("ResumeCDNLiveStream", &[("StreamId", &stream)]).await?.expect_code(0)?;
            let q = ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?;
            check(!listed(&q.body), || format!("the ban is still listed: {}", q.body))
        }),
        case("flow.cdn-ban-expires", "a ban with ResumeTime in one hour is listed now and gone an hour later", "forbid-cdn-live-stream.yaml (ResumeTime)", Needs { clock: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("exp");
            let end = zego_mock::utc::format(ctx.now() + 3600);
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream), ("ResumeTime", &end)]).await?.expect_code(0)?;
            let count = |v: &Value| v["Data"]["Ws"]["ResultDetail"].as_array().map_or(0, Vec::len);
            let before = count(&ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?.body);
            ctx.advance_millis(3_600_000).await?;
            let after = count(&ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?.body);
            check(before == after + 1, || format!("{before} bans before, {after} after"))
        }),
        case("flow.cdn-ban-resume-time", "a ResumeTime more than 30 days ahead, or not UTC, answers 2", "forbid-cdn-live-stream.yaml (ResumeTime)", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("rt");
            let far = zego_mock::utc::format(ctx.now() + 31 * 86_400);
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream), ("ResumeTime", &far)]).await?.expect_code(2)?;
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream), ("ResumeTime", "tomorrow")]).await?.expect_code(2)
        }),
    ]
}
