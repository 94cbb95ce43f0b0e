//! The media-service relay and RTC actions' own cases: the typed client's calls and the state
//! flows (relay rules, forbidden RTC streams, stream state).

use super::{case, check, Case, CaseResult};
use crate::target::{Ctx, Needs};
use serde_json::Value;
use std::sync::Arc;
use zego_client::{
    ClearCdnTransferRuleRequest, CreatCdnTransferRuleRequest, DeleteCdnTransferRuleRequest,
    DescribeRtcStreamStateRequest, ForbidRtcStreamRequest, ForbidRtcStreamsRequest,
    ResumeRtcStreamRequest, ResumeRtcStreamsRequest, RtmpDispatchRequest, RtmpDispatchType,
    RtmpDispatchV2Request,
};

/// Calls the action through the typed client and checks it succeeds.
pub(super) async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    let c = ctx.client();
    let url = format!("rtmp://cdn.example.com/live/{stream}");
    let result = match action {
        "CreatCDNTransferRule" => c
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(stream).cdn_url(url))
            .await
            .map(|_| ()),
        "DeleteCDNTransferRule" => c
            .delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new(stream, url))
            .await
            .map(|_| ()),
        "ClearCDNTransferRule" => c
            .clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new(stream))
            .await
            .map(|_| ()),
        "ForbidRTCStream" => c
            .forbid_rtc_stream(ForbidRtcStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "ResumeRTCStream" => c
            .resume_rtc_stream(ResumeRtcStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "ForbidRTCStreams" => c
            .forbid_rtc_streams(ForbidRtcStreamsRequest::new([stream]))
            .await
            .map(|_| ()),
        "ResumeRTCStreams" => c
            .resume_rtc_streams(ResumeRtcStreamsRequest::new([stream]))
            .await
            .map(|_| ()),
        "DescribeRTCStreamState" => c
            .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(stream))
            .await
            .map(|_| ()),
        "RTMPDispatchV2" => c
            .rtmp_dispatch_v2(RtmpDispatchV2Request::new(stream, RtmpDispatchType::Push))
            .await
            .map(|_| ()),
        "RTMPDispatch" => c
            .rtmp_dispatch(RtmpDispatchRequest::new(stream, RtmpDispatchType::Pull))
            .await
            .map(|_| ()),
        other => return Err(format!("no typed method for {other}")),
    };
    result.map_err(|e| format!("the typed client's {action} failed: {e}"))
}

/// The family's state flows.
pub(super) fn flows() -> Vec<Case> {
    vec![
        case("flow.relay-create-delete", "CreatCDNTransferRule remembers a rule; DeleteCDNTransferRule with the same address (other query) removes it", "create/delete-cdn-transfer-rule.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("relay");
            let url = format!("rtmp://cdn.example.com/live/{stream}");
            ctx.client().creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(&stream).cdn_url(format!("{url}?k=1"))).await.map_err(|e| e.to_string())?;
            let rules = |s: &Value| s["relay_rules"].as_array().map_or(0, |r| r.iter().filter(|r| r["stream_id"] == stream.as_str()).count());
            check(rules(&ctx.state().await?) == 1, || "the rule was not remembered".into())?;
            ctx.client().delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new(&stream, format!("{url}?k=2"))).await.map_err(|e| e.to_string())?;
            check(rules(&ctx.state().await?) == 0, || "the rule is still there".into())
        }),
        case("flow.rtc-forbid", "ForbidRTCStream stops a simulated publisher from publishing until ResumeRTCStream", "forbid/resume-rtc-stream.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("rtc");
            ctx.client().forbid_rtc_stream(ForbidRtcStreamRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            check(ctx.publish(&stream, true).await.is_err(), || "a forbidden stream could publish".into())?;
            ctx.client().resume_rtc_stream(ResumeRtcStreamRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            ctx.publish(&stream, true).await
        }),
        case("flow.stream-state", "DescribeRTCStreamState answers 41004 for an unknown stream, 0 with create_time while live, 41006 once closed", "describe-rtc-stream-state.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("state");
            let seq = || ctx.client().next_sequence().to_string();
            ctx.call("DescribeRTCStreamState", &[("StreamId", &stream), ("Sequence", &seq())]).await?.expect_code(41004)?;
            ctx.publish(&stream, true).await?;
            let live = ctx.client().describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            check(live.data.create_time == ctx.now().to_string() && live.data.close_time.is_empty(), || format!("{:?}", live.data))?;
            ctx.publish(&stream, false).await?;
            ctx.call("DescribeRTCStreamState", &[("StreamId", &stream), ("Sequence", &seq())]).await?.expect_code(41006)?;
            // The typed client takes 41006 as the successful query ZEGO documents it to be.
            let closed = ctx.client().describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            check(closed.code == 41006 && !closed.data.is_live() && !closed.data.close_time.is_empty(), || format!("{closed:?}"))
        }),
        case("flow.describe-unknown", "DescribeRTCStreamState for a stream never published answers 41004", "describe-rtc-stream-state.yaml", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("never");
            let seq = ctx.client().next_sequence().to_string();
            ctx.call("DescribeRTCStreamState", &[("StreamId", &stream), ("Sequence", &seq)]).await?.expect_code(41004)
        }),
        case("flow.clear-pending", "ClearCDNTransferRule removes pending rules and keeps those of streams being published", "clear-cdn-transfer-rule.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let live = ctx.stream("live");
            let idle = ctx.stream("idle");
            for s in [&live, &idle] {
                ctx.client().creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(s.as_str()).cdn_url(format!("rtmp://h/live/{s}"))).await.map_err(|e| e.to_string())?;
            }
            ctx.publish(&live, true).await?;
            ctx.client().clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new(idle.as_str())).await.map_err(|e| e.to_string())?;
            let state = ctx.state().await?;
            let left: Vec<&str> = state["relay_rules"].as_array().map(|r| r.iter().filter_map(|r| r["stream_id"].as_str()).collect()).unwrap_or_default();
            check(left == [live.as_str()], || format!("rules left: {left:?}"))
        }),
        ]
}
