//! The table of operations: one line per action the client covers.
//!
//! Each line of [`actions!`] gives the action's [`Client`] method, request type and `Data` type,
//! its HTTP method and wire name, the family its return codes are read in, whether it takes a
//! `Sequence`, its rate limit (written once here and rendered into the method's documentation),
//! and, where ZEGO documents non-zero codes as successful, those codes. From the table come:
//!
//! - the `Operation` impl of the request type (wire name, method, family, Sequence, `Data`);
//! - the `Client` method, with its documentation;
//! - the `sequence(u64)` setter of the request types of actions that take a `Sequence`;
//! - [`ACTIONS`], the wire names of every action covered.
//!
//! Adding an action to the client: its request type and its `Data` type (with a `FromData` impl,
//! e.g. through `data_with_default!`) in its family's module, and one line here.

use crate::client::Response;
use crate::error::Error;
use crate::media::*;
use crate::wire::{HttpMethod, Operation};
use crate::Client;

/// `GET` or `POST`, as written in the table, to the wire layer's method.
macro_rules! http_method {
    (GET) => {
        HttpMethod::Get
    };
    (POST) => {
        HttpMethod::Post
    };
}

/// Where the automatic `Sequence` travels, for the documentation.
macro_rules! sequence_doc {
    (GET, true) => {
        "Takes a `Sequence`, sent in the query: automatic (see [`Client::next_sequence`]) unless \
         the request sets one."
    };
    (POST, true) => {
        "Takes a `Sequence`, sent in the JSON body: automatic (see [`Client::next_sequence`]) \
         unless the request sets one."
    };
    ($http:ident, false) => {
        "Takes no `Sequence`."
    };
}

/// The explicit-`Sequence` setter of the request type of an action that takes a Sequence.
macro_rules! sequence_setter {
    ($request:ty, true) => {
        impl $request {
            /// Sets an explicit `Sequence` (by default one is taken automatically, afresh for
            /// every attempt).
            #[must_use]
            pub fn sequence(mut self, sequence: u64) -> Self {
                self.sequence = Some(sequence);
                self
            }
        }
    };
    ($request:ty, false) => {};
}

/// The table of operations. One line per action:
///
/// ```text
/// /// What the action does (the method's documentation).
/// method_name(RequestType) -> DataType: GET "WireName", Family,
///     sequence: true, limit: "20/s per AppId (test environment 5/s)" [, success: [0, 41006]];
/// ```
macro_rules! actions {
    ($(
        $(#[$doc:meta])*
        $method:ident($request:ty) -> $data:ty: $http:ident $action:literal, $family:ident,
            sequence: $sequence:tt, limit: $limit:literal $(, success: [$($ok:literal),+])?;
    )*) => {
        $(
            impl Operation for $request {
                const ACTION: &'static str = $action;
                const METHOD: HttpMethod = http_method!($http);
                const FAMILY: crate::Family = crate::Family::$family;
                const SEQUENCE: bool = $sequence;
                $(const SUCCESS_CODES: &'static [i64] = &[$($ok),+];)?
                type Data = $data;
            }

            sequence_setter!($request, $sequence);
        )*

        impl Client {
            $(
                $(#[$doc])*
                ///
                #[doc = concat!("Rate limit: ", $limit, ".")]
                ///
                #[doc = concat!(
                    "Sent as `", stringify!($http), " ?Action=", $action, "`. Its codes are read in \
                     the [`", stringify!($family), "`](crate::Family::", stringify!($family),
                    ") family. ", sequence_doc!($http, $sequence)
                )]
                pub async fn $method(&self, request: $request) -> Result<Response<$data>, Error> {
                    self.call(&request).await
                }
            )*
        }

        /// The wire names of every action the client covers, in the order of its table.
        ///
        /// ```
        /// assert!(zego_client::ACTIONS.contains(&"CreatCDNTransferRule"));
        /// ```
        pub const ACTIONS: &[&str] = &[$($action),*];
    };
}

actions! {
    /// `CreatCDNTransferRule`: starts relaying a stream to a CDN address; best called before the
    /// stream is published. Throttled calls answer 30002 or 5007.
    creat_cdn_transfer_rule(CreatCdnTransferRuleRequest) -> (): GET "CreatCDNTransferRule", MediaService,
        sequence: true, limit: "10/s per AppId (test environment 5/s)";

    /// `DeleteCDNTransferRule`: stops relaying a stream to a CDN address.
    delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest) -> (): GET "DeleteCDNTransferRule", MediaService,
        sequence: true, limit: "10/s per AppId (test environment 5/s)";

    /// `ClearCDNTransferRule`: clears the app's pending relay rules (not the ongoing relays).
    clear_cdn_transfer_rule(ClearCdnTransferRuleRequest) -> (): GET "ClearCDNTransferRule", MediaService,
        sequence: true, limit: "10/s per AppId (test environment 5/s)";

    /// `ForbidCDNLiveStream`: forbids publishing a stream directly to the CDN; `Data` is each
    /// CDN's result. Needs to be enabled by ZEGO's support before first use.
    ///
    /// This action answers the older code set (1 failed, 2 parameter error, 3 authentication
    /// failed, 4 unknown CDN type, 7 rate limited).
    forbid_cdn_live_stream(ForbidCdnLiveStreamRequest) -> Vec<CdnResult>: GET "ForbidCDNLiveStream", CdnLive,
        sequence: false, limit: "20/s per AppId, both environments together";

    /// `ResumeCDNLiveStream`: allows publishing a forbidden stream to the CDN again; `Data` is
    /// each CDN's result. Older code set as for [`Client::forbid_cdn_live_stream`].
    resume_cdn_live_stream(ResumeCdnLiveStreamRequest) -> Vec<CdnResult>: GET "ResumeCDNLiveStream", CdnLive,
        sequence: false, limit: "20/s per AppId, both environments together";

    /// `QueryForbidCDNLiveStream`: lists the addresses forbidden from publishing to the CDN.
    /// Older code set as for [`Client::forbid_cdn_live_stream`].
    query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest) -> ForbiddenCdnStreams:
        GET "QueryForbidCDNLiveStream", CdnLive,
        sequence: false, limit: "20/s per AppId, both environments together";

    /// `ForbidRTCStream`: forbids publishing a stream to the RTC service; its publisher and
    /// players are notified.
    forbid_rtc_stream(ForbidRtcStreamRequest) -> (): GET "ForbidRTCStream", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `ResumeRTCStream`: allows publishing a forbidden stream to the RTC service again.
    resume_rtc_stream(ResumeRtcStreamRequest) -> (): GET "ResumeRTCStream", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `ForbidRTCStreams`: forbids publishing up to 20 streams to the RTC service at once
    /// (streams that do not exist yet are recorded too).
    forbid_rtc_streams(ForbidRtcStreamsRequest) -> (): GET "ForbidRTCStreams", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `ResumeRTCStreams`: allows publishing up to 20 forbidden streams again at once.
    resume_rtc_streams(ResumeRtcStreamsRequest) -> (): GET "ResumeRTCStreams", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `DescribeRTCStreamState`: whether a stream published to the RTC service is live.
    ///
    /// Answers `Ok` for a live stream (`code` 0) and for a closed one (`code` 41006, which ZEGO
    /// documents as a successful query; [`RtcStreamState::is_live`] tells them apart). A stream
    /// that does not exist is the error 41004
    /// ([`ErrorCode::StreamNotFound`](crate::ErrorCode::StreamNotFound)).
    describe_rtc_stream_state(DescribeRtcStreamStateRequest) -> RtcStreamState:
        GET "DescribeRTCStreamState", MediaService,
        sequence: true, limit: "40/s per AppId (test environment 10/s)", success: [0, 41006];

    /// `RTMPDispatchV2`: the RTMP node a third-party tool (OBS, a player) should publish to
    /// (`push`) or play from (`pull`), as a URL; use it within 2 hours. Needs to be enabled by
    /// ZEGO's support before first use.
    rtmp_dispatch_v2(RtmpDispatchV2Request) -> RtmpNodes: GET "RTMPDispatchV2", MediaService,
        sequence: true, limit: "40/s per AppId, both environments together";

    /// `RTMPDispatch`: the legacy form of [`Client::rtmp_dispatch_v2`], answering `IP:Port`.
    rtmp_dispatch(RtmpDispatchRequest) -> RtmpNodes: GET "RTMPDispatch", MediaService,
        sequence: true, limit: "40/s per AppId, both environments together";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once() {
        let mut names = ACTIONS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ACTIONS.len(), "{ACTIONS:?}");
    }

    #[test]
    fn each_line_gives_its_request_type_its_action() {
        assert_eq!(CreatCdnTransferRuleRequest::ACTION, "CreatCDNTransferRule");
        assert_eq!(
            QueryForbidCdnLiveStreamRequest::ACTION,
            "QueryForbidCDNLiveStream"
        );
        assert_eq!(ForbidCdnLiveStreamRequest::FAMILY, crate::Family::CdnLive);
        assert_eq!(DescribeRtcStreamStateRequest::SUCCESS_CODES, &[0, 41006]);
        assert_eq!(ResumeRtcStreamsRequest::SUCCESS_CODES, &[0]);
        let sequences = [
            ResumeCdnLiveStreamRequest::SEQUENCE,
            ForbidRtcStreamsRequest::SEQUENCE,
        ];
        assert_eq!(sequences, [false, true]);
        assert_eq!(DeleteCdnTransferRuleRequest::METHOD, HttpMethod::Get);
    }
}
