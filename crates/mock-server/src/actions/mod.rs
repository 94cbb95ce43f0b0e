//! The actions the mock implements, each as its OpenAPI page documents it.
//!
//! [`Action`] lists them by wire name; [`Action::spec`] holds each one's facts (family, rate
//! limits, codes, success message); [`parse`] checks an action's own parameters and [`execute`]
//! runs it against the state. Both are one exhaustive `match`, so a new action cannot be added
//! without a handler.

pub mod cdn_live;
pub mod cdn_relay;
pub(crate) mod validate;

use crate::codes::{cdn_live as cl, media, Family};
use crate::config::Env;
use crate::gateway::Admitted;
use crate::query::Params;
use crate::refusal::Refusal;
use crate::state::EnvState;
use serde_json::Value;

pub use cdn_relay::RelayRule;

/// An action of the ZEGO Server API, by its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::enum_variant_names)]
pub enum Action {
    /// `CreatCDNTransferRule` (sic): start relaying a stream to a CDN address.
    CreatCDNTransferRule,
    /// `ResumeCDNLiveStream`: lift a ban on publishing a stream to the CDN.
    ResumeCDNLiveStream,
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

const CREAT_CDN_TRANSFER_RULE: ActionSpec = ActionSpec {
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

const RESUME_CDN_LIVE_STREAM: ActionSpec = ActionSpec {
    name: "ResumeCDNLiveStream",
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
    doc: "media-service/resume-cdn-live-stream.yaml",
};

impl Action {
    /// Every implemented action.
    pub const ALL: &'static [Action] = &[Action::CreatCDNTransferRule, Action::ResumeCDNLiveStream];

    /// The documented facts of the action.
    pub fn spec(self) -> &'static ActionSpec {
        match self {
            Action::CreatCDNTransferRule => &CREAT_CDN_TRANSFER_RULE,
            Action::ResumeCDNLiveStream => &RESUME_CDN_LIVE_STREAM,
        }
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
    /// `ResumeCDNLiveStream`.
    ResumeCDNLiveStream(cdn_live::Resume),
}

impl Request {
    /// The StreamId and Sequence the Sequence order rule applies to, for actions that have one.
    pub fn sequence(&self) -> Option<(&str, u64)> {
        match self {
            Request::CreatCDNTransferRule(r) => Some((&r.stream_id, r.sequence)),
            Request::ResumeCDNLiveStream(_) => None,
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

/// Checks the action's own parameters, in the order of SPEC.md section 5.2.
pub fn parse(admitted: &Admitted, params: &Params) -> Result<Request, Refusal> {
    let spec = admitted.action.spec();
    validate::is_test(spec, &admitted.is_test)?;
    match admitted.action {
        Action::CreatCDNTransferRule => {
            cdn_relay::parse_creat(spec, admitted, params).map(Request::CreatCDNTransferRule)
        }
        Action::ResumeCDNLiveStream => {
            cdn_live::parse_resume(spec, admitted, params).map(Request::ResumeCDNLiveStream)
        }
    }
}

/// Runs a request against the state of its app and environment.
pub fn execute(request: Request, state: &mut EnvState, now_millis: i64) -> Result<Data, Refusal> {
    match request {
        Request::CreatCDNTransferRule(r) => Ok(cdn_relay::creat(r, state, now_millis)),
        Request::ResumeCDNLiveStream(r) => Ok(cdn_live::resume(r, state)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn wire_names_round_trip() {
        for &a in Action::ALL {
            assert_eq!(Action::from_wire(a.wire_name()), Some(a));
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
        assert!(codes::lookup(Family::MediaService, media::INVALID_CDN_URL).is_some());
    }
}
