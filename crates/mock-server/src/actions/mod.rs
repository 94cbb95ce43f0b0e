//! The actions the mock implements, each as its OpenAPI page documents it.
//!
//! [`Action`] lists them by wire name; [`Action::spec`] holds each one's facts (family, rate
//! limits, codes, success message); [`parse`] checks an action's own parameters and [`execute`]
//! runs it against the state. Both are one exhaustive `match`, so a new action cannot be added
//! without a handler.

pub mod cdn_live;
pub mod cdn_relay;
pub mod rtc_stream;
pub(crate) mod validate;

use crate::codes::{cdn_live as cl, media, Family};
use crate::config::Env;
use crate::gateway::Admitted;
use crate::query::Params;
use crate::refusal::Refusal;
use crate::state::EnvState;
use serde_json::Value;

pub use cdn_live::CdnBan;
pub use cdn_relay::RelayRule;
pub use rtc_stream::StreamRecord;

/// An action of the ZEGO Server API, by its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::enum_variant_names)]
pub enum Action {
    /// `CreatCDNTransferRule` (sic): start relaying a stream to a CDN address.
    CreatCDNTransferRule,
    /// `DeleteCDNTransferRule`: stop relaying a stream to a CDN address.
    DeleteCDNTransferRule,
    /// `ClearCDNTransferRule`: clear the app's pending relay rules.
    ClearCDNTransferRule,
    /// `ForbidCDNLiveStream`: ban publishing a stream to the CDN.
    ForbidCDNLiveStream,
    /// `ResumeCDNLiveStream`: lift a ban on publishing a stream to the CDN.
    ResumeCDNLiveStream,
    /// `QueryForbidCDNLiveStream`: list the CDN publishing bans.
    QueryForbidCDNLiveStream,
    /// `ForbidRTCStream`: forbid a stream from publishing to RTC.
    ForbidRTCStream,
    /// `ResumeRTCStream`: allow a forbidden stream to publish again.
    ResumeRTCStream,
    /// `ForbidRTCStreams`: forbid up to 20 streams at once.
    ForbidRTCStreams,
    /// `ResumeRTCStreams`: allow up to 20 streams at once.
    ResumeRTCStreams,
    /// `DescribeRTCStreamState`: whether a stream is live or closed.
    DescribeRTCStreamState,
}

/// The HTTP method an action is documented with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every parameter in the query.
    Get,
    /// Common parameters in the query, business parameters as a JSON body.
    Post,
}

/// The documented facts of one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The wire name.
    pub name: &'static str,
    /// The code family its own codes come from.
    pub family: Family,
    /// The documented HTTP method.
    pub method: Method,
    /// Requests per second per AppId in production.
    pub rate_limit: u32,
    /// Requests per second per AppId in the test environment.
    pub rate_limit_test: u32,
    /// The code answered when throttled.
    pub rate_limited_code: i64,
    /// The code for a bad parameter, `IsTest` included.
    pub parameter_code: i64,
    /// The code for an invalid `StreamId`.
    pub stream_id_code: i64,
    /// Whether the test environment requires the `zegotest-{AppId}-` StreamId prefix.
    pub test_prefix_rule: bool,
    /// Whether the action takes a `Sequence` (and obeys the Sequence order rule).
    pub sequence: bool,
    /// The action's own code for a signature mismatch, used with legacy codes.
    pub legacy_auth_code: Option<i64>,
    /// The action's own code for an expired timestamp, used with legacy codes.
    pub legacy_timestamp_code: Option<i64>,
    /// `Message` on success.
    pub success_message: &'static str,
    /// The OpenAPI page the facts come from.
    pub doc: &'static str,
}

/// The CDN relay actions (create/delete/clear-cdn-transfer-rule.yaml).
const RELAY: ActionSpec = ActionSpec {
    name: "CreatCDNTransferRule",
    family: Family::MediaService,
    method: Method::Get,
    rate_limit: 10,
    rate_limit_test: 5,
    rate_limited_code: media::RATE_LIMITED,
    parameter_code: media::BAD_IS_TEST,
    stream_id_code: media::INVALID_STREAM_ID,
    test_prefix_rule: true,
    sequence: true,
    legacy_auth_code: Some(media::AUTH_FAILED_5003),
    legacy_timestamp_code: None,
    success_message: "ok",
    doc: "media-service/create-cdn-transfer-rule.yaml",
};

/// The RTC stream forbid actions (forbid/resume-rtc-stream.yaml).
const RTC: ActionSpec = ActionSpec {
    name: "ForbidRTCStream",
    rate_limit: 20,
    rate_limit_test: 5,
    legacy_auth_code: Some(media::AUTH_FAILED_40005),
    legacy_timestamp_code: Some(media::TIMESTAMP_ERROR),
    doc: "media-service/forbid-rtc-stream.yaml",
    ..RELAY
};

/// The older CDN live-stream actions (forbid/resume/query-forbid-cdn-live-stream.yaml).
const CDN_LIVE: ActionSpec = ActionSpec {
    name: "ForbidCDNLiveStream",
    family: Family::CdnLive,
    method: Method::Get,
    rate_limit: 20,
    // Only one limit is documented; the test environment shares it [choice].
    rate_limit_test: 20,
    rate_limited_code: cl::RATE_LIMITED,
    parameter_code: cl::PARAMETER_ERROR,
    stream_id_code: cl::PARAMETER_ERROR,
    test_prefix_rule: false,
    sequence: false,
    legacy_auth_code: Some(cl::AUTH_FAILED),
    legacy_timestamp_code: None,
    success_message: "success",
    doc: "media-service/forbid-cdn-live-stream.yaml",
};

const SPECS: [ActionSpec; 11] = [
    RELAY,
    ActionSpec {
        name: "DeleteCDNTransferRule",
        doc: "media-service/delete-cdn-transfer-rule.yaml",
        ..RELAY
    },
    ActionSpec {
        name: "ClearCDNTransferRule",
        doc: "media-service/clear-cdn-transfer-rule.yaml",
        ..RELAY
    },
    CDN_LIVE,
    ActionSpec {
        name: "ResumeCDNLiveStream",
        doc: "media-service/resume-cdn-live-stream.yaml",
        ..CDN_LIVE
    },
    ActionSpec {
        name: "QueryForbidCDNLiveStream",
        doc: "media-service/query-forbid-cdn-live-stream.yaml",
        ..CDN_LIVE
    },
    RTC,
    ActionSpec {
        name: "ResumeRTCStream",
        doc: "media-service/resume-rtc-stream.yaml",
        ..RTC
    },
    // The batch pages document neither 40005 nor 3002: legacy codes do not apply.
    ActionSpec {
        name: "ForbidRTCStreams",
        stream_id_code: media::INVALID_STREAM_ID_LIST,
        legacy_auth_code: None,
        legacy_timestamp_code: None,
        doc: "media-service/forbid-rtc-streams.yaml",
        ..RTC
    },
    ActionSpec {
        name: "ResumeRTCStreams",
        stream_id_code: media::INVALID_STREAM_ID_LIST,
        legacy_auth_code: None,
        legacy_timestamp_code: None,
        doc: "media-service/resume-rtc-streams.yaml",
        ..RTC
    },
    ActionSpec {
        name: "DescribeRTCStreamState",
        rate_limit: 40,
        rate_limit_test: 10,
        doc: "media-service/describe-rtc-stream-state.yaml",
        ..RTC
    },
];

impl Action {
    /// Every implemented action, in the order of [`Action::spec`]'s table.
    pub const ALL: &'static [Action] = &[
        Action::CreatCDNTransferRule,
        Action::DeleteCDNTransferRule,
        Action::ClearCDNTransferRule,
        Action::ForbidCDNLiveStream,
        Action::ResumeCDNLiveStream,
        Action::QueryForbidCDNLiveStream,
        Action::ForbidRTCStream,
        Action::ResumeRTCStream,
        Action::ForbidRTCStreams,
        Action::ResumeRTCStreams,
        Action::DescribeRTCStreamState,
    ];

    /// The documented facts of the action.
    pub fn spec(self) -> &'static ActionSpec {
        // `ALL` and `SPECS` list the actions in the same order (a unit test checks the names).
        &SPECS[self as usize]
    }

    /// The wire name (`Action=` value).
    pub fn wire_name(self) -> &'static str {
        self.spec().name
    }

    /// The action with this wire name (case-sensitive, as ZEGO's are).
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.wire_name() == name)
    }

    /// The rate limit in the given environment.
    pub fn rate_limit(self, env: Env) -> u32 {
        let spec = self.spec();
        match env {
            Env::Production => spec.rate_limit,
            Env::Test => spec.rate_limit_test,
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// A request whose parameters passed the action's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `CreatCDNTransferRule`.
    CreatCDNTransferRule(cdn_relay::Creat),
    /// `DeleteCDNTransferRule`.
    DeleteCDNTransferRule(cdn_relay::Delete),
    /// `ClearCDNTransferRule`.
    ClearCDNTransferRule(Sequenced),
    /// `ForbidCDNLiveStream`.
    ForbidCDNLiveStream(cdn_live::Forbid),
    /// `ResumeCDNLiveStream`.
    ResumeCDNLiveStream(String),
    /// `QueryForbidCDNLiveStream`.
    QueryForbidCDNLiveStream,
    /// `ForbidRTCStream` and `ForbidRTCStreams`.
    ForbidRTCStreams(Sequenced),
    /// `ResumeRTCStream` and `ResumeRTCStreams`.
    ResumeRTCStreams(Sequenced),
    /// `DescribeRTCStreamState`.
    DescribeRTCStreamState(Sequenced),
}

/// The StreamIds a request acts on and its Sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequenced {
    /// The StreamIds (one, or the `StreamId[]` list).
    pub stream_ids: Vec<String>,
    /// The Sequence.
    pub sequence: u64,
}

impl Request {
    /// The StreamIds and Sequence the Sequence order rule applies to, for actions that have one.
    pub fn sequenced(&self) -> Option<&Sequenced> {
        match self {
            Request::CreatCDNTransferRule(r) => Some(&r.target),
            Request::DeleteCDNTransferRule(r) => Some(&r.target),
            Request::ClearCDNTransferRule(s)
            | Request::ForbidRTCStreams(s)
            | Request::ResumeRTCStreams(s)
            | Request::DescribeRTCStreamState(s) => Some(s),
            Request::ForbidCDNLiveStream(_)
            | Request::ResumeCDNLiveStream(_)
            | Request::QueryForbidCDNLiveStream => None,
        }
    }
}

/// What an action answers in `Data`.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// `"Data": null`.
    Null,
    /// No `Data` field at all.
    Absent,
    /// `"Data": <value>`.
    Value(Value),
}

/// The business answer of an executed request: a code of the action's family (0 for success)
/// and its `Data`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The `Code`.
    pub code: i64,
    /// The `Data`.
    pub data: Data,
}

impl Reply {
    /// Success with the given `Data`.
    pub fn ok(data: Data) -> Self {
        Self { code: 0, data }
    }
}

fn one_stream(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
) -> Result<Sequenced, Refusal> {
    let stream_id = validate::stream_id(spec, admitted, params)?.to_string();
    let sequence = validate::sequence(spec, params)?;
    Ok(Sequenced {
        stream_ids: vec![stream_id],
        sequence,
    })
}

fn stream_list(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
) -> Result<Sequenced, Refusal> {
    let stream_ids = validate::stream_id_list(spec, admitted, params)?;
    let sequence = validate::sequence(spec, params)?;
    Ok(Sequenced {
        stream_ids,
        sequence,
    })
}

/// Checks the action's own parameters, in the order of SPEC.md section 5.2.
pub fn parse(admitted: &Admitted, params: &Params, now_secs: i64) -> Result<Request, Refusal> {
    let spec = admitted.action.spec();
    validate::is_test(spec, &admitted.is_test)?;
    Ok(match admitted.action {
        Action::CreatCDNTransferRule => {
            Request::CreatCDNTransferRule(cdn_relay::parse_creat(spec, admitted, params)?)
        }
        Action::DeleteCDNTransferRule => {
            Request::DeleteCDNTransferRule(cdn_relay::parse_delete(spec, admitted, params)?)
        }
        Action::ClearCDNTransferRule => {
            Request::ClearCDNTransferRule(one_stream(spec, admitted, params)?)
        }
        Action::ForbidCDNLiveStream => {
            Request::ForbidCDNLiveStream(cdn_live::parse_forbid(spec, admitted, params, now_secs)?)
        }
        Action::ResumeCDNLiveStream => {
            Request::ResumeCDNLiveStream(validate::stream_id(spec, admitted, params)?.to_string())
        }
        Action::QueryForbidCDNLiveStream => {
            cdn_live::parse_query(spec, params)?;
            Request::QueryForbidCDNLiveStream
        }
        Action::ForbidRTCStream => Request::ForbidRTCStreams(one_stream(spec, admitted, params)?),
        Action::ResumeRTCStream => Request::ResumeRTCStreams(one_stream(spec, admitted, params)?),
        Action::ForbidRTCStreams => Request::ForbidRTCStreams(stream_list(spec, admitted, params)?),
        Action::ResumeRTCStreams => Request::ResumeRTCStreams(stream_list(spec, admitted, params)?),
        Action::DescribeRTCStreamState => {
            Request::DescribeRTCStreamState(one_stream(spec, admitted, params)?)
        }
    })
}

/// Runs a request against the state of its app and environment. `action` decides the shape of
/// the answer where two actions share a request type (singular answers carry no `Data`).
pub fn execute(action: Action, request: Request, state: &mut EnvState, now_millis: i64) -> Reply {
    match request {
        Request::CreatCDNTransferRule(r) => cdn_relay::creat(r, state, now_millis),
        Request::DeleteCDNTransferRule(r) => cdn_relay::delete(r, state),
        Request::ClearCDNTransferRule(_) => cdn_relay::clear(state),
        Request::ForbidCDNLiveStream(r) => cdn_live::forbid(r, state, now_millis),
        Request::ResumeCDNLiveStream(stream_id) => cdn_live::resume(&stream_id, state),
        Request::QueryForbidCDNLiveStream => cdn_live::query(state, now_millis),
        Request::ForbidRTCStreams(s) => rtc_stream::forbid(
            &s.stream_ids,
            state,
            now_millis,
            action == Action::ForbidRTCStream,
        ),
        Request::ResumeRTCStreams(s) => {
            rtc_stream::resume(&s.stream_ids, state, action == Action::ResumeRTCStream)
        }
        Request::DescribeRTCStreamState(s) => rtc_stream::describe(&s.stream_ids[0], state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn wire_names_round_trip() {
        assert_eq!(Action::ALL.len(), SPECS.len());
        for &a in Action::ALL {
            assert_eq!(Action::from_wire(a.wire_name()), Some(a));
            assert_eq!(format!("{a:?}"), a.wire_name(), "ALL and SPECS out of step");
        }
        assert_eq!(Action::from_wire("creatcdntransferrule"), None);
    }

    #[test]
    fn every_code_an_action_can_answer_is_documented_in_its_family() {
        for &a in Action::ALL {
            let s = a.spec();
            let mut answered = vec![s.rate_limited_code, s.parameter_code, s.stream_id_code];
            answered.extend(s.legacy_auth_code);
            answered.extend(s.legacy_timestamp_code);
            if s.sequence {
                answered.push(media::INVALID_REQUEST);
            }
            for code in answered {
                assert!(
                    codes::lookup(s.family, code).is_some(),
                    "{a}: code {code} missing from fixtures/return-codes.json"
                );
            }
        }
        for code in [
            media::INVALID_CDN_URL,
            media::INVALID_CDN_URL_5004,
            media::STREAM_NOT_FOUND,
            media::STREAM_CLOSED,
        ] {
            assert!(
                codes::lookup(Family::MediaService, code).is_some(),
                "{code}"
            );
        }
        assert!(codes::lookup(Family::CdnLive, cl::UNKNOWN_CDN_TYPE).is_some());
    }
}
