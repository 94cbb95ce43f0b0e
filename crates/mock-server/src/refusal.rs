//! Why a request was refused: the code answered, and the reason in words a developer can act on.

use crate::codes::{self, Family};
use std::fmt;

/// The check that refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// Gateway: the `Action` parameter.
    Action,
    /// Gateway: the `AppId` parameter.
    AppId,
    /// Gateway: the `Timestamp` parameter or its skew from the server clock.
    Timestamp,
    /// Gateway: the `SignatureNonce` parameter.
    SignatureNonce,
    /// Gateway: the `Signature` parameter or its value.
    Signature,
    /// Gateway: the `SignatureVersion` parameter.
    SignatureVersion,
    /// Gateway: the AppId is not configured.
    App,
    /// Gateway: the environment `IsTest` selects is not configured.
    Environment,
    /// Action layer: the action's rate limit.
    RateLimit,
    /// Action layer: a business parameter.
    Parameter,
    /// Action layer: the Sequence order rule.
    Sequence,
    /// Action layer: the action's business rules against the mock's state.
    Business,
    /// An injected fault.
    Fault,
}

impl Check {
    /// A stable lower-case name, as the journal shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Action => "action",
            Check::AppId => "app_id",
            Check::Timestamp => "timestamp",
            Check::SignatureNonce => "signature_nonce",
            Check::Signature => "signature",
            Check::SignatureVersion => "signature_version",
            Check::App => "app",
            Check::Environment => "environment",
            Check::RateLimit => "rate_limit",
            Check::Parameter => "parameter",
            Check::Sequence => "sequence",
            Check::Business => "business",
            Check::Fault => "fault",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused request: the code and family it is answered with, the check that refused it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The `Code` answered.
    pub code: i64,
    /// The family the code is looked up in for its `Message`.
    pub family: Family,
    /// The check that refused the request.
    pub check: Check,
    /// Why, for the developer (never contains a secret).
    pub reason: String,
}

impl Refusal {
    /// A refusal with a code of the given family.
    pub fn new(code: i64, family: Family, check: Check, reason: String) -> Self {
        Self {
            code,
            family,
            check,
            reason,
        }
    }

    /// A refusal with a gateway code.
    pub fn gateway(code: i64, check: Check, reason: String) -> Self {
        Self::new(code, Family::Gateway, check, reason)
    }

    /// ZEGO's description of the code, sent as `Message`.
    pub fn message(&self) -> &'static str {
        codes::describe(self.family, self.code)
    }
}
