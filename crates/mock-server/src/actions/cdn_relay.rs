//! CDN relay rules: `CreatCDNTransferRule`, `DeleteCDNTransferRule`, `ClearCDNTransferRule`
//! (create/delete/clear-cdn-transfer-rule.yaml).

use super::validate::{self, truncate};
use super::{ActionSpec, Data, Reply, Sequenced};
use crate::codes::media;
use crate::gateway::Admitted;
use crate::query::Params;
use crate::refusal::{Check, Refusal};
use crate::state::EnvState;
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

/// A checked `CreatCDNTransferRule` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creat {
    pub(crate) target: Sequenced,
    pub(crate) cdn_url: Option<String>,
}

/// A checked `DeleteCDNTransferRule` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delete {
    pub(crate) target: Sequenced,
    pub(crate) cdn_url: String,
}

/// Whether a (decoded) address is an RTMP URL: `rtmp://host/path`, scheme in any case, a host,
/// a non-empty path, no white space or control characters.
pub fn is_rtmp_url(url: &str) -> bool {
    split_url(url).is_some()
}

/// Splits an RTMP URL into (host, path), dropping the query and fragment.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("rtmp")
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    let slash = rest.find('/')?;
    let (host, path) = (&rest[..slash], &rest[slash..]);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    (!host.is_empty() && path.len() > 1).then_some((host, path))
}

/// Whether two relay addresses are "consistent (parameters may differ)": same scheme, host and
/// path (scheme and host in any case), whatever their query.
pub fn same_address(a: &str, b: &str) -> bool {
    match (split_url(a), split_url(b)) {
        (Some((ha, pa)), Some((hb, pb))) => ha.eq_ignore_ascii_case(hb) && pa == pb,
        _ => false,
    }
}

fn cdn_url<'p>(
    spec: &ActionSpec,
    params: &'p Params,
    code: i64,
    required: bool,
) -> Result<Option<&'p str>, Refusal> {
    match params.non_empty("CDNUrl") {
        None if !required => Ok(None),
        None => Err(Refusal::new(
            code,
            spec.family,
            Check::Parameter,
            "the CDNUrl parameter is missing or empty".into(),
        )),
        Some(url) if is_rtmp_url(url) => Ok(Some(url)),
        Some(url) => Err(Refusal::new(
            code,
            spec.family,
            Check::Parameter,
            format!(
                "CDNUrl {:?} is not an RTMP address of the form rtmp://host/path (URL-encode it in the query)",
                truncate(url, 128)
            ),
        )),
    }
}

pub(super) fn parse_creat(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
) -> Result<Creat, Refusal> {
    let stream_id = validate::stream_id(spec, admitted, params)?.to_string();
    // Optional in the current YAML; an empty value counts as absent [choice].
    let cdn_url = cdn_url(spec, params, media::INVALID_CDN_URL, false)?.map(str::to_string);
    let sequence = validate::sequence(spec, params)?;
    Ok(Creat {
        target: Sequenced {
            stream_ids: vec![stream_id],
            sequence,
        },
        cdn_url,
    })
}

pub(super) fn parse_delete(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
) -> Result<Delete, Refusal> {
    let stream_id = validate::stream_id(spec, admitted, params)?.to_string();
    let cdn_url = cdn_url(spec, params, media::INVALID_CDN_URL_5004, true)?
        .unwrap_or_default()
        .to_string();
    let sequence = validate::sequence(spec, params)?;
    Ok(Delete {
        target: Sequenced {
            stream_ids: vec![stream_id],
            sequence,
        },
        cdn_url,
    })
}

pub(super) fn creat(req: Creat, state: &mut EnvState, now_millis: i64) -> Reply {
    let stream_id = req.target.stream_ids.into_iter().next().unwrap_or_default();
    // Repeating a create succeeds and keeps one rule [choice].
    state.add_relay_rule(RelayRule {
        stream_id,
        cdn_url: req.cdn_url,
        created_at_millis: now_millis,
    });
    Reply::ok(Data::Null)
}

pub(super) fn delete(req: Delete, state: &mut EnvState) -> Reply {
    let stream_id = &req.target.stream_ids[0];
    // Deleting a rule that does not exist succeeds [choice].
    state.relay_rules.retain(|r| {
        !(r.stream_id == *stream_id
            && r.cdn_url
                .as_deref()
                .is_some_and(|u| same_address(u, &req.cdn_url)))
    });
    Reply::ok(Data::Null)
}

pub(super) fn clear(state: &mut EnvState) -> Reply {
    // Only pending rules go: those whose stream is not publishing.
    let EnvState {
        relay_rules,
        streams,
        ..
    } = state;
    relay_rules.retain(|r| streams.get(&r.stream_id).is_some_and(|s| s.is_live()));
    Reply::ok(Data::Null)
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
        assert!(!is_rtmp_url("rtmp://h/?k=v"));
        assert!(!is_rtmp_url("rtmp:///a"));
        assert!(!is_rtmp_url("http://h/a"));
        assert!(!is_rtmp_url("rtmps://h/a"));
        assert!(!is_rtmp_url("rtmp://h/a b"));
        assert!(!is_rtmp_url("h/a"));
    }

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
