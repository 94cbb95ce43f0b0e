//! The media-service actions: CDN relay rules, CDN publishing bans, RTC stream bans, stream state.
//!
//! Each action is a request type that serializes to the parameters its OpenAPI page documents
//! (names as on the wire, through serde) and a `Data` type, here, and one line in the table of
//! operations (`actions.rs`), which gives it its [`Client`](crate::Client) method.
//!
//! `Sequence`: the actions that take one fill it automatically (see
//! [`Client::next_sequence`](crate::Client::next_sequence))
//! unless the request sets it; an automatic Sequence is taken afresh for every retry, an explicit
//! one is sent unchanged on every attempt. So with an explicit Sequence, a retry of a request the
//! service applied but whose answer was lost is refused (5005: not greater than the last one);
//! prefer the automatic Sequence together with a retry policy.

use crate::client::lenient_string;
use crate::wire::data_with_default;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Requests

/// `CreatCDNTransferRule` (sic): start relaying a stream to a CDN address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreatCdnTransferRuleRequest {
    /// `StreamId`: the stream to relay.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `CDNUrl`: the RTMP address to relay to (optional in the current documentation). Give it
    /// as is: the client URL-encodes it.
    #[serde(rename = "CDNUrl")]
    pub cdn_url: Option<String>,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl CreatCdnTransferRuleRequest {
    /// A request for a stream, without a CDN address and with an automatic Sequence.
    pub fn new(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
            cdn_url: None,
            sequence: None,
        }
    }

    /// Sets `CDNUrl`, the RTMP address to relay to.
    #[must_use]
    pub fn cdn_url(mut self, url: impl Into<String>) -> Self {
        self.cdn_url = Some(url.into());
        self
    }
}

/// `DeleteCDNTransferRule`: stop relaying a stream to a CDN address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteCdnTransferRuleRequest {
    /// `StreamId`: the relayed stream.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `CDNUrl`: the relay address, as given when the rule was created (its query may differ).
    #[serde(rename = "CDNUrl")]
    pub cdn_url: String,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl DeleteCdnTransferRuleRequest {
    /// A request for a stream and its relay address, with an automatic Sequence.
    pub fn new(stream_id: impl Into<String>, cdn_url: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
            cdn_url: cdn_url.into(),
            sequence: None,
        }
    }
}

/// `ClearCDNTransferRule`: clear the app's pending relay rules (ongoing relays go on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClearCdnTransferRuleRequest {
    /// `StreamId` (documented as required).
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl ClearCdnTransferRuleRequest {
    /// A request with an automatic Sequence.
    pub fn new(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
            sequence: None,
        }
    }
}

/// `ForbidCDNLiveStream`: forbid publishing a stream directly to the CDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ForbidCdnLiveStreamRequest {
    /// `StreamId`: the stream to forbid.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `ResumeTime`: when publishing is allowed again, UTC, such as `2018-11-29T19:00:00Z`
    /// (WangSu only; by default one day, at most 30 days).
    #[serde(rename = "ResumeTime")]
    pub resume_time: Option<String>,
}

impl ForbidCdnLiveStreamRequest {
    /// A request for a stream, with the default ban duration.
    pub fn new(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
            resume_time: None,
        }
    }

    /// Sets `ResumeTime` (UTC, `YYYY-MM-DDThh:mm:ssZ`).
    #[must_use]
    pub fn resume_time(mut self, time: impl Into<String>) -> Self {
        self.resume_time = Some(time.into());
        self
    }
}

/// `ResumeCDNLiveStream`: allow publishing a forbidden stream to the CDN again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ResumeCdnLiveStreamRequest {
    /// `StreamId`: the stream to resume.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
}

impl ResumeCdnLiveStreamRequest {
    /// A request for a stream.
    pub fn new(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
        }
    }
}

/// `QueryForbidCDNLiveStream`: list the addresses forbidden from publishing to the CDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct QueryForbidCdnLiveStreamRequest {
    /// `Vendor`: the CDN provider; `ws` (WangSu) is the documented one.
    #[serde(rename = "Vendor")]
    pub vendor: String,
}

impl QueryForbidCdnLiveStreamRequest {
    /// The documented vendor code of WangSu.
    pub const WANGSU: &'static str = "ws";

    /// A request for a vendor's list.
    pub fn new(vendor: impl Into<String>) -> Self {
        Self {
            vendor: vendor.into(),
        }
    }
}

impl Default for QueryForbidCdnLiveStreamRequest {
    /// WangSu (`Vendor=ws`).
    fn default() -> Self {
        Self::new(Self::WANGSU)
    }
}

/// `ForbidRTCStream`: forbid publishing a stream to the RTC service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ForbidRtcStreamRequest {
    /// `StreamId`: the stream to forbid.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl ForbidRtcStreamRequest {
    /// A request for a stream, with an automatic Sequence.
    pub fn new(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
            sequence: None,
        }
    }
}

/// `ResumeRTCStream`: allow publishing a forbidden stream to the RTC service again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ResumeRtcStreamRequest {
    /// `StreamId`: the stream to resume.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl ResumeRtcStreamRequest {
    /// A request for a stream, with an automatic Sequence.
    pub fn new(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
            sequence: None,
        }
    }
}

/// `ForbidRTCStreams`: forbid publishing several streams (up to 20) to the RTC service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ForbidRtcStreamsRequest {
    /// `StreamId[]`: the streams to forbid, sent as repeated `StreamId%5B%5D=` parameters.
    #[serde(rename = "StreamId[]")]
    pub stream_ids: Vec<String>,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl ForbidRtcStreamsRequest {
    /// A request for some streams, with an automatic Sequence.
    pub fn new<I, S>(stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            stream_ids: stream_ids.into_iter().map(Into::into).collect(),
            sequence: None,
        }
    }
}

/// `ResumeRTCStreams`: allow publishing several forbidden streams (up to 20) again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ResumeRtcStreamsRequest {
    /// `StreamId[]`: the streams to resume, sent as repeated `StreamId%5B%5D=` parameters.
    #[serde(rename = "StreamId[]")]
    pub stream_ids: Vec<String>,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl ResumeRtcStreamsRequest {
    /// A request for some streams, with an automatic Sequence.
    pub fn new<I, S>(stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            stream_ids: stream_ids.into_iter().map(Into::into).collect(),
            sequence: None,
        }
    }
}

/// `DescribeRTCStreamState`: whether a stream published to the RTC service is live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeRtcStreamStateRequest {
    /// `StreamId`: the stream to look up.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
}

impl DescribeRtcStreamStateRequest {
    /// A request for a stream, with an automatic Sequence.
    pub fn new(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: stream_id.into(),
            sequence: None,
        }
    }
}

/// `Type` of an RTMP dispatch: which node is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RtmpDispatchType {
    /// `pull`: a node to play the stream from.
    Pull,
    /// `push`: a node to publish the stream to.
    Push,
}

/// The request of an RTMP dispatch action, `A` being [`DispatchV2`] (`RTMPDispatchV2`) or [`DispatchLegacy`]
/// (`RTMPDispatch`): both take the same parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(bound = "")]
#[non_exhaustive]
pub struct RtmpDispatch<A> {
    /// `StreamId`: the stream to publish or play.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `Type`: `pull` or `push`.
    #[serde(rename = "Type")]
    pub dispatch_type: RtmpDispatchType,
    /// `ClientIP`: the client's IPv4 address, to pick a node near it (optional).
    #[serde(rename = "ClientIP")]
    pub client_ip: Option<String>,
    /// `Sequence`: automatic when `None`.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u64>,
    #[serde(skip)]
    action: std::marker::PhantomData<A>,
}

/// Marks [`RtmpDispatch`] as `RTMPDispatchV2`: the node as a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DispatchV2;

/// Marks [`RtmpDispatch`] as the legacy `RTMPDispatch`: the node as `IP:Port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DispatchLegacy;

/// `RTMPDispatchV2`: the RTMP node a third-party tool should publish to (`push`) or play from
/// (`pull`), as a URL.
pub type RtmpDispatchV2Request = RtmpDispatch<DispatchV2>;

/// `RTMPDispatch`: the legacy form of [`RtmpDispatchV2Request`], answered as `IP:Port`.
pub type RtmpDispatchRequest = RtmpDispatch<DispatchLegacy>;

impl<A> RtmpDispatch<A> {
    /// A request for a stream's node, with an automatic Sequence.
    pub fn new(stream_id: impl Into<String>, dispatch_type: RtmpDispatchType) -> Self {
        Self {
            stream_id: stream_id.into(),
            dispatch_type,
            client_ip: None,
            sequence: None,
            action: std::marker::PhantomData,
        }
    }

    /// The client's IPv4 address.
    #[must_use]
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.client_ip = Some(ip.into());
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Data

/// One CDN's answer to a forbid or resume (`Data[]` of Forbid/ResumeCDNLiveStream).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CdnResult {
    /// `CdnType`: `ws` (WangSu), `aliyun`, `tencent` or `huawei`.
    #[serde(rename = "CdnType", default, deserialize_with = "lenient_string")]
    pub cdn_type: String,
    /// `CdnResult`: the CDN's own result text.
    #[serde(rename = "CdnResult", default, deserialize_with = "lenient_string")]
    pub cdn_result: String,
}

/// `Data` of QueryForbidCDNLiveStream: the forbidden addresses, per vendor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbiddenCdnStreams {
    /// `Ws`: WangSu's list.
    #[serde(rename = "Ws", default)]
    pub ws: Option<ForbiddenCdnList>,
}

/// One vendor's list of forbidden addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbiddenCdnList {
    /// `ResultDetail`: the forbidden addresses.
    #[serde(rename = "ResultDetail", default)]
    pub result_detail: Vec<ForbiddenCdnUrl>,
}

/// An address forbidden from publishing to the CDN.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbiddenCdnUrl {
    /// `Channel`: the acceleration domain.
    #[serde(rename = "Channel", default, deserialize_with = "lenient_string")]
    pub channel: String,
    /// `Url`: the full forbidden address, such as `rtmp://publish.example.com/live/stream`.
    #[serde(rename = "Url", default, deserialize_with = "lenient_string")]
    pub url: String,
    /// `StartTime`: when the ban started, UTC (`2024-10-12T03:47:53Z`).
    #[serde(rename = "StartTime", default, deserialize_with = "lenient_string")]
    pub start_time: String,
    /// `EndTime`: when publishing resumes, UTC.
    #[serde(rename = "EndTime", default, deserialize_with = "lenient_string")]
    pub end_time: String,
    /// `Ip`: deprecated by ZEGO, usually empty.
    #[serde(rename = "Ip", default, deserialize_with = "lenient_string")]
    pub ip: String,
}

/// `Data` of DescribeRTCStreamState: a live stream (code 0) or a closed one (code 41006, which
/// ZEGO documents as a successful query). A stream that does not exist is the error 41004
/// ([`ErrorCode::StreamNotFound`]).
///
/// [`ErrorCode::StreamNotFound`]: crate::ErrorCode::StreamNotFound
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RtcStreamState {
    /// `create_time`: when the stream was created (the documented example is Unix seconds as a
    /// string, `"1673334117"`).
    #[serde(default, deserialize_with = "lenient_string")]
    pub create_time: String,
    /// `close_time`: when the stream closed; empty while it is live.
    #[serde(default, deserialize_with = "lenient_string")]
    pub close_time: String,
}

impl RtcStreamState {
    /// Whether the stream is being published (no `close_time`).
    pub fn is_live(&self) -> bool {
        self.close_time.is_empty()
    }
}

/// `Data` of RTMPDispatchV2 (`["rtmp://host:port/..."]`) and RTMPDispatch (`["ip:port"]`): the
/// dispatched nodes, best first.
pub type RtmpNodes = Vec<String>;

data_with_default!(
    Vec<CdnResult>,
    ForbiddenCdnStreams,
    RtcStreamState,
    RtmpNodes
);
