//! Parameter checks shared by several actions.

use super::ActionSpec;
use crate::codes::media;
use crate::gateway::{Admitted, IsTest};
use crate::query::Params;
use crate::refusal::{Check, Refusal};

/// The longest StreamId accepted (rtpm-dispatch.yaml).
pub const MAX_STREAM_ID_LEN: usize = 256;

fn param(spec: &ActionSpec, code: i64, reason: String) -> Refusal {
    Refusal::new(code, spec.family, Check::Parameter, reason)
}

/// `IsTest` present but neither `true` nor `false`.
pub fn is_test(spec: &ActionSpec, is_test: &IsTest) -> Result<(), Refusal> {
    match is_test {
        IsTest::Invalid(v) => Err(param(
            spec,
            spec.parameter_code,
            format!("IsTest {v:?} is neither true nor false"),
        )),
        IsTest::Absent | IsTest::Valid(_) => Ok(()),
    }
}

/// Whether a StreamId has the documented form: 1 to 256 characters of `[0-9A-Za-z_-]`.
pub fn is_valid_stream_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_STREAM_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The required `StreamId`: its form, and the `zegotest-{AppId}-` prefix in the test environment
/// where the action documents it.
pub fn stream_id<'p>(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &'p Params,
) -> Result<&'p str, Refusal> {
    let code = spec.stream_id_code;
    let id = params.non_empty("StreamId").ok_or_else(|| {
        param(
            spec,
            code,
            "the StreamId parameter is missing or empty".into(),
        )
    })?;
    check_stream_id(spec, admitted, id, code)?;
    Ok(id)
}

/// Checks one StreamId value with the given code.
pub fn check_stream_id(
    spec: &ActionSpec,
    admitted: &Admitted,
    id: &str,
    code: i64,
) -> Result<(), Refusal> {
    if !is_valid_stream_id(id) {
        return Err(param(
            spec,
            code,
            format!(
                "StreamId {:?} must be 1 to {MAX_STREAM_ID_LEN} characters of [0-9A-Za-z_-] (it has {} bytes)",
                truncate(id, 64),
                id.len()
            ),
        ));
    }
    if spec.test_prefix_rule && admitted.env() == crate::Env::Test {
        let prefix = format!("zegotest-{}-", admitted.app_id);
        if !id.starts_with(&prefix) {
            return Err(param(
                spec,
                code,
                format!(
                    "in the test environment a StreamId must start with {prefix:?}; got {id:?}"
                ),
            ));
        }
    }
    Ok(())
}

/// The most StreamIds a `StreamId[]` list may hold (forbid/resume-rtc-streams.yaml).
pub const MAX_STREAM_IDS: usize = 20;

/// The required `StreamId[]` list: 1 to 20 valid StreamIds (raw or percent-encoded brackets).
pub fn stream_id_list(
    spec: &ActionSpec,
    admitted: &Admitted,
    params: &Params,
) -> Result<Vec<String>, Refusal> {
    let code = spec.stream_id_code;
    let ids = params.array("StreamId");
    if ids.is_empty() || ids.len() > MAX_STREAM_IDS {
        return Err(param(
            spec,
            code,
            format!(
                "StreamId[] must list 1 to {MAX_STREAM_IDS} StreamIds (as StreamId[]=a&StreamId[]=b); got {}",
                ids.len()
            ),
        ));
    }
    for id in &ids {
        check_stream_id(spec, admitted, id, code)?;
    }
    Ok(ids.into_iter().map(str::to_string).collect())
}

/// The required `Sequence`: a decimal unsigned 64-bit integer.
pub fn sequence(spec: &ActionSpec, params: &Params) -> Result<u64, Refusal> {
    let raw = params.non_empty("Sequence").ok_or_else(|| {
        param(
            spec,
            media::INVALID_REQUEST,
            "the Sequence parameter is missing or empty".into(),
        )
    })?;
    match raw.parse::<u64>() {
        Ok(n) if raw.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(param(
            spec,
            media::INVALID_REQUEST,
            format!(
                "Sequence {:?} is not a decimal unsigned 64-bit integer",
                truncate(raw, 64)
            ),
        )),
    }
}

/// At most `max` characters of `s`, for messages.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_id_form() {
        assert!(is_valid_stream_id("a-Z_09"));
        assert!(is_valid_stream_id(&"x".repeat(256)));
        assert!(!is_valid_stream_id(&"x".repeat(257)));
        assert!(!is_valid_stream_id(""));
        assert!(!is_valid_stream_id("a b"));
        assert!(!is_valid_stream_id("a.b"));
        assert!(!is_valid_stream_id("é"));
    }
}
