//! What an action is, as data: its documented facts ([`ActionSpec`]), its parameters
//! ([`Param`], checked by one function in declared order) and its rate limits ([`Quota`]).
//!
//! Each action declares its spec next to its handler (`actions/<family>/<topic>.rs`); the
//! pipeline reads nothing else about an action.

mod params;
mod quota;

pub use crate::codes::Family;
pub(crate) use params::{check_into, is_valid_stream_id, split_rtmp_url, truncate, Args};
pub use params::{Kind, Param, Where};
pub(crate) use quota::{quota_key, Limiter};
pub use quota::{Quota, Scope};

/// The HTTP method an action is documented with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every parameter in the query.
    Get,
    /// Common parameters in the query, business parameters as a JSON body.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// The action's own codes for gateway failures, answered instead of the gateway's when the
/// legacy-codes option is on (SPEC.md section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Legacy {
    /// Answered instead of 100000005 (signature mismatch).
    pub auth: Option<i64>,
    /// Answered instead of 100000004 (timestamp outside the window).
    pub timestamp: Option<i64>,
}

impl Legacy {
    /// No legacy code: the gateway's codes stand.
    pub const NONE: Legacy = Legacy {
        auth: None,
        timestamp: None,
    };
}

/// An app feature that ZEGO enables on request, which some actions need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// User and stream ban rules (the six Set/Describe/Del ForbidUserRule/ForbidStreamRule
    /// actions).
    ForbidRules,
    /// Stream mixing and cloud transcoding.
    StreamMixing,
    /// CDN recording and the media-file actions ("Relevant permission not enabled.", 3).
    CdnRecord,
    /// Shumei content moderation of audio and video streams (50117 while off).
    ShumeiModeration,
    /// The scene service (discontinued: off by default, 100000017 while off).
    SceneService,
}

/// The Sequence order rule of an action: within 10 s, the Sequence sent for one subject (the
/// value, or each value, of the `subject` parameter) must strictly increase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceRule {
    /// The parameter holding the Sequence.
    pub param: &'static str,
    /// The parameter whose value(s) the order is kept for (today `StreamId`).
    pub subject: &'static str,
    /// The code a Sequence that is not greater answers.
    pub code: i64,
}

/// The documented facts of one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The wire name (`Action=` value).
    pub name: &'static str,
    /// The code family its own codes come from.
    pub family: Family,
    /// The documented HTTP method.
    pub method: Method,
    /// `Message` on success.
    pub success_message: &'static str,
    /// The code for an `IsTest` that is neither true nor false (the family's parameter code).
    pub parameter_code: i64,
    /// Codes answered instead of the gateway's with the legacy-codes option.
    pub legacy: Legacy,
    /// The action's parameters, in the order they are checked (common parameters excluded).
    pub params: &'static [Param],
    /// Its rate limits.
    pub quotas: &'static [Quota],
    /// Its Sequence order rule, if it has one.
    pub sequence: Option<SequenceRule>,
    /// The app feature the action needs ("contact ZEGOCLOUD technical support to enable"), and
    /// the code it answers while the feature is off; checked after `IsTest`, before the
    /// parameters.
    pub feature: Option<(Feature, i64)>,
    /// The OpenAPI page the facts come from (under `api-reference/`).
    pub doc: &'static str,
}

impl ActionSpec {
    /// The parameter with this name, if the action declares one.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The first quota scoped to the app (the action's documented "N per second per AppID").
    pub fn app_quota(&self) -> Option<&'static Quota> {
        self.quotas
            .iter()
            .find(|q| !matches!(q.scope, Scope::Room(_)))
    }

    /// Whether the test environment requires the `zegotest-{AppId}-` prefix on its StreamIds.
    pub fn test_prefix_rule(&self) -> bool {
        self.params.iter().any(|p| p.kind.test_prefix())
    }

    /// Whether any parameter lives in the JSON body.
    pub fn has_body(&self) -> bool {
        self.params.iter().any(|p| p.at == Where::Body)
    }
}
