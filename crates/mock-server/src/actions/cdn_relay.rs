//! CDN relay rules: `CreatCDNTransferRule` (create-cdn-transfer-rule.yaml).

use super::validate::{self, truncate};
use super::{ActionSpec, Data};
use crate::codes::media;
use crate::gateway::Admitted;
use crate::query::Params;
use crate::refusal::{Check, Refusal};
use crate::state::EnvState;
use serde::Serialize;

/// A relay rule: the stream and the CDN address it is relayed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelayRule {
    /// The relayed stream.
    pub stream_id: String,
    /// The RTMP address, or `None` when the request gave none.
    pub cdn_url: Option<String>,
    /// When the rule was created, in Unix milliseconds of the mock's clock.
    pub created_at_millis: i64,
}

/// A checked `CreatCDNTransferRule` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creat {
    pub(crate) stream_id: String,
    pub(crate) cdn_url: Option<String>,
    pub(crate) sequence: u64,
}

/// Whether a (decoded) address is an RTMP URL: `rtmp://host/path`, scheme in any case, a host,
/// a non-empty path, no white space or control characters.
pub fn is_rtmp_url(url: &str) -> bool {
    let Some(scheme_end) = url.find("://") else {
        return false;
    };
    if !url[..scheme_end].eq_ignore_ascii_case("rtmp") {
        return false;
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let rest = &url[scheme_end + 3..];
    match rest.find('/') {
        Some(slash) => slash > 0 && rest.len() > slash + 1,
        None => false,
    }
}

pub(super) fn parse_creat(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
) -> Result<Creat, Refusal> {
    let stream_id = validate::stream_id(spec, admitted, params)?.to_string();
    // Optional in the current YAML; an empty value counts as absent [choice].
    let cdn_url = match params.non_empty("CDNUrl") {
        None => None,
        Some(url) if is_rtmp_url(url) => Some(url.to_string()),
        Some(url) => {
            return Err(Refusal::new(
                media::INVALID_CDN_URL,
                spec.family,
                Check::Parameter,
                format!(
                    "CDNUrl {:?} is not an RTMP address of the form rtmp://host/path (URL-encode it in the query)",
                    truncate(url, 128)
                ),
            ))
        }
    };
    let sequence = validate::sequence(spec, params)?;
    Ok(Creat {
        stream_id,
        cdn_url,
        sequence,
    })
}

pub(super) fn creat(req: Creat, state: &mut EnvState, now_millis: i64) -> Data {
    let exists = state
        .relay_rules
        .iter()
        .any(|r| r.stream_id == req.stream_id && r.cdn_url == req.cdn_url);
    if !exists {
        state.relay_rules.push(RelayRule {
            stream_id: req.stream_id,
            cdn_url: req.cdn_url,
            created_at_millis: now_millis,
        });
    }
    Data::Null
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtmp_urls() {
        assert!(is_rtmp_url("rtmp://push.example.com/live/s1"));
        assert!(is_rtmp_url("RTMP://h/a?k=v"));
        assert!(!is_rtmp_url("rtmp://h"));
        assert!(!is_rtmp_url("rtmp://h/"));
        assert!(!is_rtmp_url("rtmp:///a"));
        assert!(!is_rtmp_url("http://h/a"));
        assert!(!is_rtmp_url("rtmps://h/a"));
        assert!(!is_rtmp_url("rtmp://h/a b"));
        assert!(!is_rtmp_url("h/a"));
    }
}
