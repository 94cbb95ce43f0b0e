//! Parameter cases generated from the docs table: for each documented parameter of an action,
//! one case per way it can be wrong ([`Param::failures`]: missing, empty, malformed, too long,
//! a list too short or too long, a StreamId without the test prefix), each expecting the code
//! the table gives, and for an optional parameter of the sample request, that leaving it out is
//! accepted. Every other parameter of the request is valid, so the answer can only come from the
//! parameter under test.
//!
//!
//! A POST action's parameters are fields of its JSON body ([`Where::Body`]): each case sends the
//! sample body with one field removed, emptied, of the wrong JSON type or of a bad value, and
//! three more cases send a body that is not a JSON object at all (not JSON, a JSON array, an empty
//! body), each expecting the action's [`ActionDoc::body_code`].
//!
//! Case ids: `{Action}.{param}-missing`, `-empty`, `-invalid` (malformed), `-too-long`,
//! `-wrong-type`; `{Action}.{list}-too-short` / `-too-long` for a list's bounds (`StreamId[]`
//! gives `stream-list`), `{Action}.{array}-too-many` for a body array's; `{Action}.test-prefix`;
//! `{Action}.{param}-optional`; `{Action}.body-not-json`, `-array`, `-empty`. A body field's
//! `{param}` is its path's names joined (`MixOutput.0.Width` gives `mix-output-width`).

use super::{body_field, case, choice, sample_body, sample_params, send_body, send_pairs, Case};
use super::{set_body_field, CaseResult};
use crate::docs::{slug, ActionDoc, Failure, Kind, Param, Where, STREAM_ID_MAX_LEN};
use crate::target::{Ctx, Needs};
use serde_json::{json, Value};
use std::sync::Arc;

/// Where the StreamId form is stated.
const STREAM_ID_FORMAT: &str = "rtpm-dispatch.yaml (StreamId format); the action's page";

/// A value of no enum: the generated case for a bad enum value sends it.
const NOT_AN_ENUM_VALUE: &str = "nosuchvalue";

/// The generated parameter cases of one action, parameter by parameter in documented order.
pub fn cases(d: &'static ActionDoc) -> Vec<Case> {
    let mut cases = Vec::new();
    for p in d.params {
        for failure in p.failures() {
            let c = failure_case(d, p, failure);
            cases.push(if p.is_choice(failure) { choice(c) } else { c });
        }
        if !p.required && p.condition.is_none() && in_sample(d, p) {
            cases.push(optional_case(d, p));
        }
    }
    if let Some(code) = d.body_code {
        cases.extend(body_cases(d, code));
    }
    cases
}

/// Whether the sample request of `d` sends `p`.
fn in_sample(d: &ActionDoc, p: &Param) -> bool {
    match p.at {
        Where::Query => sample_params(d.action, "s")
            .iter()
            .any(|(n, _)| n == p.name),
        Where::Body => body_field(&sample_body(d.action, "s"), p.name).is_some(),
    }
}

/// A body-level case: its id suffix, the bytes it sends given the sample body's text, and what
/// they are in words.
type BodyCase = (&'static str, fn(&str) -> Vec<u8>, &'static str);

/// What each body-level case sends instead of the sample body.
const NOT_AN_OBJECT: [BodyCase; 3] = [
    (
        "body-not-json",
        |sample| sample.trim_end_matches('}').as_bytes().to_vec(),
        "a body that is not JSON (the sample body without its closing brace)",
    ),
    (
        "body-array",
        |sample| format!("[{sample}]").into_bytes(),
        "a JSON array (holding the sample body) instead of an object",
    ),
    ("body-empty", |_| Vec::new(), "an empty body"),
];

/// The body-level cases of a POST action: a body that is not a JSON object answers `code` (the
/// codes are the mock's choice, SPEC-rooms-mixing.md §2.B).
fn body_cases(d: &'static ActionDoc, code: i64) -> Vec<Case> {
    NOT_AN_OBJECT
        .into_iter()
        .map(|(suffix, bytes, what)| {
            choice(case(
                format!("{}.{suffix}", d.action),
                format!("{what} answers {code}"),
                d.page,
                Needs::NONE,
                move |ctx: Arc<Ctx>| async move {
                    let sample = sample_body(d.action, &ctx.stream("p")).to_string();
                    let query = ctx.signed_query(d.action, ctx.now(), &[]);
                    ctx.send(d.method.as_str(), &query, Some(&bytes(&sample)))
                        .await?
                        .expect_code(code)
                },
            ))
        })
        .collect()
}

/// The case id of `failure` of `p` on `d`.
pub fn case_id(d: &ActionDoc, p: &Param, failure: Failure) -> String {
    let a = d.action;
    let s = slug(p.name);
    let list = || format!("{}-list", s.strip_suffix("-id").unwrap_or(&s));
    match failure {
        Failure::Missing => format!("{a}.{s}-missing"),
        Failure::Empty => format!("{a}.{s}-empty"),
        Failure::Malformed => format!("{a}.{s}-invalid"),
        Failure::TooLong => format!("{a}.{s}-too-long"),
        Failure::TooFew => format!("{a}.{}-too-short", list()),
        Failure::TooMany if matches!(p.kind, Kind::JsonArray { .. }) => {
            format!("{a}.{s}-too-many")
        }
        Failure::TooMany => format!("{a}.{}-too-long", list()),
        Failure::TestPrefix => format!("{a}.test-prefix"),
        Failure::BelowRange => format!("{a}.{s}-below-range"),
        Failure::AboveRange => format!("{a}.{s}-above-range"),
        Failure::WrongType => format!("{a}.{s}-wrong-type"),
    }
}

/// What the case sends, in words.
fn describe(p: &Param, failure: Failure) -> String {
    let n = p.name;
    let code = p.codes.of(failure);
    let what = match (failure, p.kind) {
        (Failure::Missing, _) if p.at == Where::Body => format!("a body without {n}"),
        (Failure::Missing, _) => format!("a request without {n}"),
        (Failure::Empty, Kind::JsonArray { .. }) => format!("an empty array {n}"),
        (Failure::Empty, Kind::JsonObject) => format!("an empty object {n}"),
        (Failure::Empty, _) => format!("an empty {n}"),
        (Failure::WrongType, _) => format!("a {n} of another JSON type than documented"),
        (Failure::TooMany, Kind::JsonArray { max }) => {
            format!("{} items in {n}", max.unwrap_or(0) + 1)
        }
        (Failure::Malformed, Kind::StreamId { .. }) => {
            format!("a {n} outside [0-9A-Za-z_-]")
        }
        (Failure::Malformed, Kind::StreamIdList { .. }) => {
            format!("a {n} entry outside [0-9A-Za-z_-]")
        }
        (Failure::Malformed, Kind::RtmpUrl) => format!("a {n} that is not an rtmp:// address"),
        (Failure::Malformed, Kind::UtcTime) => {
            format!("a {n} not in the UTC form 2018-11-29T19:00:00Z")
        }
        (Failure::Malformed, Kind::Enum(values)) => {
            format!("a {n} other than {}", values.join(", "))
        }
        (Failure::Malformed, Kind::Sequence) => format!("a {n} that is not a decimal number"),
        (Failure::Malformed, Kind::Ipv4) => format!("an IPv6 {n}, which is not supported"),
        (Failure::Malformed, Kind::IntEnum(values)) => {
            format!("a {n} other than {}", numbers(values))
        }
        (Failure::Malformed, Kind::IntEnumList(values)) => {
            format!("a {n} entry other than {}", numbers(values))
        }
        (Failure::Malformed, Kind::IntRange { .. } | Kind::Integer { .. }) => {
            format!("a {n} that is not an integer")
        }
        (Failure::Malformed, Kind::Bool) => format!("a {n} other than true or false"),
        (
            Failure::Malformed,
            Kind::Text { .. }
            | Kind::IdList { .. }
            | Kind::Opaque
            | Kind::JsonString
            | Kind::JsonInteger
            | Kind::JsonObject
            | Kind::JsonArray { .. },
        ) => {
            format!("a malformed {n}")
        }
        (
            Failure::BelowRange,
            Kind::IntRange { min, .. } | Kind::Integer { min: Some(min), .. },
        ) => {
            format!("a {n} of {}, below the documented {min}", min - 1)
        }
        (Failure::AboveRange, Kind::IntRange { max, .. }) => {
            format!("a {n} of {}, above the documented {max}", max + 1)
        }
        (Failure::BelowRange | Failure::AboveRange, _) => format!("a {n} out of range"),
        (Failure::TooLong, Kind::Text { max_bytes }) => {
            format!("a {n} of {} bytes", max_bytes + 1)
        }
        (
            Failure::TooLong,
            Kind::IdList {
                max_bytes: Some(max_bytes),
                ..
            },
        ) => {
            format!("a {n} entry of {} bytes", max_bytes + 1)
        }
        (Failure::TooMany, Kind::IdList { max: Some(max), .. }) => {
            format!("{} entries in {n}", max + 1)
        }
        (Failure::TooLong, _) => format!("a {n} of {} characters", STREAM_ID_MAX_LEN + 1),
        (Failure::TooFew, Kind::StreamIdList { min, .. }) => {
            format!("{} StreamIds", min.saturating_sub(1))
        }
        (Failure::TooMany, Kind::StreamIdList { max, .. }) => format!("{} StreamIds", max + 1),
        (Failure::TooFew | Failure::TooMany, _) => format!("a {n} out of bounds"),
        (Failure::TestPrefix, _) => {
            "in the test environment a StreamId without zegotest-AppId-".to_string()
        }
    };
    format!("{what} answers {code}")
}

fn failure_case(d: &'static ActionDoc, p: &'static Param, failure: Failure) -> Case {
    let code = p.codes.of(failure);
    let doc = match (failure, p.kind) {
        (
            Failure::Malformed | Failure::TooLong,
            Kind::StreamId { .. } | Kind::StreamIdList { .. },
        ) => STREAM_ID_FORMAT,
        _ => d.page,
    };
    let needs = Needs {
        test_env: failure == Failure::TestPrefix,
        ..Needs::NONE
    };
    case(
        case_id(d, p, failure),
        describe(p, failure),
        doc,
        needs,
        move |ctx: Arc<Ctx>| async move {
            let answer = match p.at {
                Where::Query => send_pairs(&ctx, d, &request(&ctx, d, p, failure)).await?,
                Where::Body => {
                    let body = body_request(&ctx, d, p, failure)?;
                    send_body(&ctx, d, &valid_params(&ctx, d), &body).await?
                }
            };
            answer.expect_code(code)
        },
    )
}

/// The sample body of a case with the field `p` wrong as `failure` says.
fn body_request(ctx: &Ctx, d: &ActionDoc, p: &Param, failure: Failure) -> Result<Value, String> {
    let mut body = sample_body(d.action, &ctx.stream("p"));
    let current = body_field(&body, p.name).cloned();
    let value = bad_json(ctx, p, failure, current.as_ref());
    check_set(set_body_field(&mut body, p.name, value), d, p)?;
    Ok(body)
}

fn check_set(placed: bool, d: &ActionDoc, p: &Param) -> CaseResult {
    if placed {
        Ok(())
    } else {
        Err(format!(
            "the sample body of {} has no place for {}",
            d.action, p.name
        ))
    }
}

/// The JSON value that makes the body field `p` wrong as `failure` says (`None`: leave it out),
/// given its value in the sample body.
fn bad_json(ctx: &Ctx, p: &Param, failure: Failure, current: Option<&Value>) -> Option<Value> {
    let value = match (failure, p.kind) {
        (Failure::Missing, _) => return None,
        (Failure::Empty, Kind::JsonArray { .. }) => json!([]),
        (Failure::Empty, Kind::JsonObject) => json!({}),
        (Failure::WrongType, Kind::JsonArray { .. }) => json!({}),
        (Failure::WrongType, Kind::JsonString | Kind::StreamId { .. } | Kind::Enum(_)) => {
            json!(12)
        }
        (Failure::WrongType, Kind::JsonObject) => json!("object"),
        // A string that is no number: an integer field's wrong type.
        (Failure::WrongType, _) => json!("12a"),
        (Failure::TooMany, Kind::JsonArray { max }) => {
            Value::Array(copies(current, max.unwrap_or(0) + 1))
        }
        (Failure::Malformed, Kind::IntEnum(values)) => {
            json!(values.iter().max().copied().unwrap_or(0) + 1)
        }
        (
            Failure::BelowRange,
            Kind::IntRange { min, .. } | Kind::Integer { min: Some(min), .. },
        ) => json!(min - 1),
        (Failure::AboveRange, Kind::IntRange { max, .. }) => json!(max + 1),
        // Strings as in the query: the same bad text as a JSON string.
        _ => Value::String(bad_values(ctx, p, failure).concat()),
    };
    Some(value)
}

/// `n` copies of the first item of a sample array, each StreamId (and StreamUrl) made distinct
/// so that no two items are the same stream.
fn copies(array: Option<&Value>, n: usize) -> Vec<Value> {
    let first = array
        .and_then(|a| a.get(0))
        .cloned()
        .unwrap_or_else(|| json!({}));
    (0..n)
        .map(|i| {
            let mut item = first.clone();
            for key in ["StreamId", "StreamUrl"] {
                if let Some(Value::String(s)) = item.get_mut(key) {
                    s.push_str(&format!("-{i}"));
                }
            }
            item
        })
        .collect()
}

fn optional_case(d: &'static ActionDoc, p: &'static Param) -> Case {
    case(
        format!("{}.{}-optional", d.action, slug(p.name)),
        format!("{} is optional: a request without it is accepted", p.name),
        d.page,
        super::state_needs(d),
        move |ctx: Arc<Ctx>| async move {
            super::prepare(&ctx, d, &ctx.stream("p")).await?;
            let mut params = valid_params(&ctx, d);
            let answer = match p.at {
                Where::Query => {
                    params.retain(|(n, _)| n != p.name);
                    send_pairs(&ctx, d, &params).await?
                }
                Where::Body => {
                    let mut body = sample_body(d.action, &ctx.stream("p"));
                    check_set(set_body_field(&mut body, p.name, None), d, p)?;
                    send_body(&ctx, d, &params, &body).await?
                }
            };
            answer.expect_code(0)
        },
    )
}

/// The sample request's parameters for a stream of this case, with a valid Sequence.
fn valid_params(ctx: &Ctx, d: &ActionDoc) -> Vec<(String, String)> {
    let mut params = sample_params(d.action, &ctx.stream("p"));
    if let Some(seq) = d.params.iter().find(|p| p.kind == Kind::Sequence) {
        params.retain(|(n, _)| n != seq.name);
        params.push((seq.name.to_string(), "1".to_string()));
    }
    params
}

/// The request of the case: valid parameters with `p` wrong as `failure` says.
fn request(ctx: &Ctx, d: &ActionDoc, p: &Param, failure: Failure) -> Vec<(String, String)> {
    let params = valid_params(ctx, d);
    match failure {
        Failure::Missing => params.into_iter().filter(|(n, _)| n != p.name).collect(),
        _ => replace(params, p.name, bad_values(ctx, p, failure)),
    }
}

/// Replaces every pair named `name` by `values`, where the first of them was (or at the end).
fn replace(
    params: Vec<(String, String)>,
    name: &str,
    values: Vec<String>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(params.len() + values.len());
    let mut placed = false;
    for pair in params {
        if pair.0 != name {
            out.push(pair);
        } else if !placed {
            out.extend(values.iter().map(|v| (name.to_string(), v.clone())));
            placed = true;
        }
    }
    if !placed {
        out.extend(values.into_iter().map(|v| (name.to_string(), v)));
    }
    out
}

/// The value (or, for a list, the values) that makes `p` wrong as `failure` says.
fn bad_values(ctx: &Ctx, p: &Param, failure: Failure) -> Vec<String> {
    match (failure, p.kind) {
        (Failure::Empty, _) => vec![String::new()],
        (Failure::Malformed, Kind::StreamId { .. } | Kind::StreamIdList { .. }) => {
            vec![format!("{}.bad", ctx.stream("x"))]
        }
        (Failure::Malformed, Kind::RtmpUrl) => {
            vec![format!("http://cdn.example.com/live/{}", ctx.stream("x"))]
        }
        (Failure::Malformed, Kind::UtcTime) => vec!["tomorrow".to_string()],
        (Failure::Malformed, Kind::Enum(_)) => vec![NOT_AN_ENUM_VALUE.to_string()],
        (Failure::Malformed, Kind::Sequence) => vec!["12a".to_string()],
        (Failure::Malformed, Kind::Ipv4) => vec!["2001:db8::1".to_string()],
        (Failure::Malformed, Kind::IntEnum(values) | Kind::IntEnumList(values)) => {
            vec![(values.iter().max().copied().unwrap_or(0) + 1).to_string()]
        }
        (Failure::Malformed, Kind::IntRange { .. } | Kind::Integer { .. }) => {
            vec!["12a".to_string()]
        }
        (Failure::Malformed, Kind::Bool) => vec!["maybe".to_string()],
        (
            Failure::BelowRange,
            Kind::IntRange { min, .. } | Kind::Integer { min: Some(min), .. },
        ) => vec![(min - 1).to_string()],
        (Failure::AboveRange, Kind::IntRange { max, .. }) => vec![(max + 1).to_string()],
        (
            Failure::TooLong,
            Kind::Text { max_bytes }
            | Kind::IdList {
                max_bytes: Some(max_bytes),
                ..
            },
        ) => {
            vec!["x".repeat(max_bytes + 1)]
        }
        // Short ids, so that no entry is refused for its length before the count is checked.
        (Failure::TooFew, Kind::IdList { min, .. }) => ids(min.saturating_sub(1)),
        (Failure::TooMany, Kind::IdList { max: Some(max), .. }) => ids(max + 1),
        (Failure::TooLong, _) => {
            let mut id = ctx.stream("long");
            let fill = (STREAM_ID_MAX_LEN + 1).saturating_sub(id.len());
            id.push_str(&"x".repeat(fill));
            vec![id]
        }
        (Failure::TooFew, Kind::StreamIdList { min, .. }) => streams(ctx, min.saturating_sub(1)),
        (Failure::TooMany, Kind::StreamIdList { max, .. }) => streams(ctx, max + 1),
        (Failure::TestPrefix, _) => vec!["no-prefix".to_string()],
        (Failure::WrongType, _) => vec!["12a".to_string()],
        // Not generated for these kinds (see `Param::failures`); send something wrong anyway.
        (
            Failure::Malformed
            | Failure::TooFew
            | Failure::TooMany
            | Failure::Missing
            | Failure::BelowRange
            | Failure::AboveRange,
            _,
        ) => vec![String::new()],
    }
}

fn streams(ctx: &Ctx, n: usize) -> Vec<String> {
    (0..n).map(|i| ctx.stream(&format!("l{i}"))).collect()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("id{i}")).collect()
}

/// `1, 2, 3`.
fn numbers(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{self, Codes};

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn replace_keeps_the_position_and_appends_a_new_parameter() {
        let base = pairs(&[("StreamId[]", "a"), ("StreamId[]", "b"), ("Sequence", "1")]);
        assert_eq!(
            replace(base.clone(), "StreamId[]", vec!["x".into()]),
            pairs(&[("StreamId[]", "x"), ("Sequence", "1")])
        );
        assert_eq!(
            replace(base, "ResumeTime", vec!["t".into()]),
            pairs(&[
                ("StreamId[]", "a"),
                ("StreamId[]", "b"),
                ("Sequence", "1"),
                ("ResumeTime", "t")
            ])
        );
    }

    #[test]
    fn ids_follow_the_parameter_and_failure() {
        let d = docs::action("ForbidRTCStreams").expect("documented");
        let list = d.param("StreamId[]").expect("a list");
        assert_eq!(
            case_id(d, list, Failure::Malformed),
            "ForbidRTCStreams.stream-id-invalid"
        );
        assert_eq!(
            case_id(d, list, Failure::TooMany),
            "ForbidRTCStreams.stream-list-too-long"
        );
        let seq = d.param("Sequence").expect("a Sequence");
        assert_eq!(
            case_id(d, seq, Failure::Missing),
            "ForbidRTCStreams.sequence-missing"
        );
    }

    #[test]
    fn the_generator_covers_each_documented_failure() {
        let ids: Vec<String> = docs::actions().flat_map(cases).map(|c| c.id).collect();
        for want in [
            "CreatCDNTransferRule.stream-id-missing",
            "CreatCDNTransferRule.stream-id-too-long",
            "CreatCDNTransferRule.cdn-url-invalid",
            "CreatCDNTransferRule.cdn-url-optional",
            "DeleteCDNTransferRule.cdn-url-missing",
            "ForbidCDNLiveStream.resume-time-invalid",
            "QueryForbidCDNLiveStream.vendor-invalid",
            "ResumeRTCStreams.stream-list-too-long",
            "DescribeRTCStreamState.test-prefix",
            "ClearCDNTransferRule.sequence-invalid",
        ] {
            assert!(ids.iter().any(|i| i == want), "{want} not generated");
        }
        // The room family's kinds: lists with their own too-many code, integer enums and
        // ranges, booleans, byte-limited text.
        for want in [
            "KickoutUser.user-list-too-long",
            "KickoutUser.user-id-too-long",
            "DescribeUserNum.room-list-too-long",
            "SendBroadcastMessage.message-category-invalid",
            "SendBroadcastMessage.message-content-empty",
            "SendBroadcastMessage.message-content-too-long",
            "DescribeUserList.limit-above-range",
            "SetForbidUserRule.effective-time-above-range",
            "SetForbidUserRule.disabled-privilege-invalid",
            "SetForbidStreamRule.effective-time-below-range",
            "CloseRoom.room-close-callback-invalid",
            "AddStream.stream-title-too-long",
            "SendCustomCommand.to-user-id-optional",
        ] {
            assert!(ids.iter().any(|i| i == want), "{want} not generated");
        }
        // An EffectiveTime above the range is adjusted, not refused; a parameter required for
        // some RuleType is never treated as optional; an opaque Marker gets no case.
        for absent in [
            "SetForbidStreamRule.effective-time-above-range",
            "SetForbidUserRule.room-id-optional",
            "DelForbidUserRule.room-id-optional",
            "DescribeUserList.marker-invalid",
        ] {
            assert!(!ids.iter().any(|i| i == absent), "{absent} generated");
        }
        // No prefix rule on the CDN live set, and no optional case for a parameter the sample
        // request leaves out.
        assert!(!ids.iter().any(|i| i == "ResumeCDNLiveStream.test-prefix"));
        assert!(!ids
            .iter()
            .any(|i| i == "ForbidCDNLiveStream.resume-time-optional"));
    }

    #[test]
    fn the_generator_covers_the_body_fields_of_the_mixing_family() {
        let all: Vec<Case> = docs::actions().flat_map(cases).collect();
        let find = |id: &str| all.iter().find(|c| c.id == id);
        // (id, code in the description, whether it checks a choice)
        for (id, code, is_choice) in [
            ("StartMix.task-id-missing", 110_200_002, true),
            ("StartMix.task-id-empty", 110_200_002, true),
            ("StartMix.task-id-wrong-type", 110_200_184, true),
            ("StartMix.mix-input-too-many", 110_200_158, false),
            ("StartMix.mix-input-empty", 110_200_002, true),
            ("StartMix.mix-output-too-many", 110_200_178, true),
            ("StartMix.mix-input-stream-id-invalid", 110_200_155, true),
            ("StartMix.mix-output-width-above-range", 110_200_161, false),
            ("StartMix.mix-output-width-wrong-type", 110_200_184, true),
            ("StartMix.mix-output-height-above-range", 110_200_002, true),
            ("StartMix.max-idle-time-below-range", 110_200_002, true),
            ("StartMix.sound-level-invalid", 110_200_002, true),
            ("StartMix.sequence-wrong-type", 110_200_184, true),
            ("StartMix.body-not-json", 110_200_002, true),
            ("StartMix.body-array", 110_200_002, true),
            ("StartMix.body-empty", 110_200_002, true),
            ("StopMix.task-id-wrong-type", 110_200_004, true),
            ("StopMix.body-empty", 110_200_002, true),
            ("StartAutoMix.room-id-missing", 110_200_002, true),
            ("StartAutoMix.mix-output-too-many", 110_200_178, true),
            ("StartAutoMix.user-id-wrong-type", 110_200_004, true),
            ("StopAutoMix.room-id-wrong-type", 110_200_004, true),
            (
                "StartCloudTranscode.transcode-input-empty",
                110_200_002,
                true,
            ),
            (
                "StartCloudTranscode.transcode-output-wrong-type",
                110_200_002,
                true,
            ),
            (
                "StartCloudTranscode.transcode-output-template-id-invalid",
                110_200_002,
                true,
            ),
            ("StopCloudTranscode.user-id-missing", 110_200_002, true),
            ("GetMixTaskInfo.task-id-missing", 110_200_004, true),
        ] {
            let c = find(id).unwrap_or_else(|| panic!("{id} not generated"));
            assert!(
                c.description.ends_with(&format!("answers {code}")),
                "{id}: {}",
                c.description
            );
            assert_eq!(c.choice, is_choice, "{id}");
        }
        // Optional fields of the sample bodies can be left out.
        assert!(find("StopMix.sequence-optional").is_some());
        assert!(find("StopMix.user-id-optional").is_some());
        for absent in [
            // No body on a GET action; no case for a field of no stated form, for a field the
            // sample does not send, or for an integer's text form in a body.
            "GetMixTaskInfo.body-empty",
            "StartMix.user-data-wrong-type",
            "StartMix.sound-channel-wrong-type",
            "StartMix.max-idle-time-invalid",
            "StartMix.max-idle-time-optional",
            "StartMix.mix-output-width-optional",
            "StartMix.mix-output-width-missing",
            "StartCloudTranscode.transcode-output-too-many",
        ] {
            assert!(find(absent).is_none(), "{absent} generated");
        }
    }

    #[test]
    fn the_generator_covers_the_last_three_families_as_the_spec_decides() {
        let all: Vec<Case> = docs::actions().flat_map(cases).collect();
        let find = |id: &str| all.iter().find(|c| c.id == id);
        // (id, code in the description, whether it checks a choice)
        for (id, code, is_choice) in [
            ("StartCDNRecord.stream-id-missing", 2, false),
            ("StartCDNRecord.stream-id-too-long", 2, true),
            ("StartCDNRecord.vendor-invalid", 2, false),
            ("SearchMedia.name-prefix-too-long", 2, false),
            ("SearchMedia.file-id-too-long", 2, false),
            ("SearchMedia.file-list-too-long", 2, false),
            ("SearchMedia.stream-list-too-long", 2, false),
            ("SearchMedia.start-time-invalid", 2, false),
            ("DeleteMedia.file-list-too-long", 2, false),
            ("DeleteMedia.clear-cache-invalid", 2, true),
            ("MergeMedia.type-invalid", 2, false),
            ("MergeMedia.format-invalid", 2, true),
            ("MergeMedia.expire-time-below-range", 2, false),
            ("DescribeMediaTask.task-id-empty", 2, true),
            ("TranscodeMedia.resolution-invalid", 2, false),
            ("MediaThumbnails.type-missing", 2, false),
            ("StartCensorAudioV2.room-id-missing", 2, true),
            ("StartCensorAudioV2.audio-language-invalid", 2, true),
            ("StartCensorAudioV2.audio-language-wrong-type", 2, true),
            ("StartCensorAudioV2.is-mixing-enabled-invalid", 2, true),
            ("StartCensorAudioV2.body-not-json", 2, true),
            ("StartCensorVideoV2.video-param-missing", 2, true),
            ("StartCensorVideoV2.video-param-empty", 2, true),
            (
                "StartCensorVideoV2.video-param-detect-frequency-below-range",
                2,
                true,
            ),
            (
                "StartCensorVideoV2.video-param-detect-frequency-above-range",
                2,
                true,
            ),
            ("StopCensorVideoV2.task-id-missing", 2, true),
            ("GenerateIdentifyToken.effective-time-above-range", 2, true),
            ("SetSceneTemplate.template-id-missing", 340_006_003, false),
            ("SetSceneTemplate.template-id-invalid", 340_006_003, false),
            (
                "SetSceneTemplate.max-user-num-below-range",
                340_006_003,
                true,
            ),
            (
                "SetSceneTemplate.max-visible-num-above-range",
                340_006_003,
                false,
            ),
            (
                "SetSceneTemplate.max-visible-num-below-range",
                340_006_003,
                true,
            ),
        ] {
            let c = find(id).unwrap_or_else(|| panic!("{id} not generated"));
            assert!(
                c.description.ends_with(&format!("answers {code}")),
                "{id}: {}",
                c.description
            );
            assert_eq!(c.choice, is_choice, "{id}");
        }
        // What the spec leaves to the vendor, the clock or another parameter gets no case; no
        // character set on the recording StreamIds, and no item bound the page does not give.
        for absent in [
            "StartCDNRecord.stream-id-invalid",
            "StartCDNRecord.stream-list-too-long",
            "StartCDNRecord.end-time-invalid",
            "StartCDNRecord.end-time-optional",
            "SearchMedia.max-keys-below-range",
            "SearchMedia.marker-optional",
            "SearchMedia.stream-id-too-long",
            "DeleteMedia.file-id-too-long",
            "DeleteMedia.file-id-optional",
            "DeleteMedia.media-file-id-missing",
            "MergeMedia.input-file-list-too-long",
            "MergeMedia.output-file-name-missing",
            "MergeMedia.type-optional",
            "MergeMedia.handle-media-args-file-id-optional",
            "MediaThumbnails.definition-missing",
            "StartCensorAudioV2.risk-type-list-missing",
            "StartCensorAudioV2.risk-type-list-optional",
            "StartCensorVideoV2.video-param-risk-type-list-optional",
            "StartCensorVideoV2.audio-param-audio-language-wrong-type",
            "SetSceneTemplate.app-id-missing",
            "SetSceneTemplate.left-bottom-x-invalid",
        ] {
            assert!(find(absent).is_none(), "{absent} generated");
        }
    }

    #[tokio::test]
    async fn body_requests_change_only_the_field_under_test() {
        let target = crate::target::Target::InProcess;
        let ctx = target
            .context("body", false, target.capabilities().await)
            .await
            .expect("in-process context");
        let d = docs::action("StartMix").expect("documented");
        let sample = sample_body(d.action, &ctx.stream("p"));
        let with = |name: &str, failure| {
            body_request(&ctx, d, d.param(name).expect("documented"), failure)
                .expect("a place for the field")
        };
        let missing = with("TaskId", Failure::Missing);
        assert!(missing.get("TaskId").is_none());
        assert_eq!(missing["MixInput"], sample["MixInput"]);
        assert_eq!(with("TaskId", Failure::WrongType)["TaskId"], json!(12));
        assert_eq!(with("MixInput", Failure::Empty)["MixInput"], json!([]));
        assert!(with("MixInput", Failure::WrongType)["MixInput"].is_object());
        let many = with("MixInput", Failure::TooMany);
        let ids: std::collections::HashSet<&str> = many["MixInput"]
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|i| i["StreamId"].as_str())
            .collect();
        assert_eq!(ids.len(), docs::mixing::MAX_INPUTS + 1, "distinct inputs");
        let wide = with("MixOutput.0.Width", Failure::AboveRange);
        assert_eq!(
            wide["MixOutput"][0]["Width"],
            json!(docs::mixing::MAX_SIDE + 1)
        );
        assert_eq!(
            wide["MixOutput"][0]["Height"],
            sample["MixOutput"][0]["Height"]
        );
        assert_eq!(
            with("MixOutput.0.Width", Failure::WrongType)["MixOutput"][0]["Width"],
            json!("12a")
        );
        let idle = with("MaxIdleTime", Failure::BelowRange);
        assert_eq!(idle["MaxIdleTime"], json!(docs::mixing::IDLE_RANGE.0 - 1));
        let bad_input = with("MixInput.0.StreamId", Failure::Malformed);
        assert!(bad_input["MixInput"][0]["StreamId"]
            .as_str()
            .is_some_and(|s| s.contains('.')));
        assert_eq!(bad_input["MixInput"][1], sample["MixInput"][1]);
        let level = with("SoundLevel", Failure::Malformed);
        assert_eq!(level["SoundLevel"], json!(2));
        // The three bodies that are not a JSON object.
        let text = sample.to_string();
        let bodies: Vec<Vec<u8>> = NOT_AN_OBJECT.iter().map(|(_, f, _)| f(&text)).collect();
        assert!(serde_json::from_slice::<Value>(&bodies[0]).is_err());
        assert!(serde_json::from_slice::<Value>(&bodies[1]).is_ok_and(|v| v.is_array()));
        assert!(bodies[2].is_empty());
    }

    #[test]
    fn choices_follow_the_table() {
        let all: Vec<Case> = docs::actions().flat_map(cases).collect();
        let is_choice = |id: &str| {
            all.iter()
                .find(|c| c.id == id)
                .map(|c| c.choice)
                .unwrap_or_else(|| panic!("{id} not generated"))
        };
        assert!(is_choice("ForbidRTCStream.sequence-missing"));
        assert!(is_choice("ForbidRTCStream.test-prefix"));
        assert!(!is_choice("ForbidRTCStream.stream-id-invalid"));
        assert!(!is_choice("ResumeRTCStreams.stream-list-too-long"));
        assert!(!is_choice("KickoutUser.user-list-too-long"));
        assert!(is_choice("DescribeUsers.user-list-too-long"));
        assert!(is_choice("SendBroadcastMessage.message-content-empty"));
        assert!(!is_choice("SendBarrageMessage.message-content-empty"));
        assert!(is_choice("SendBarrageMessage.message-content-missing"));
        assert!(!is_choice("SendBroadcastMessage.message-content-too-long"));
        let text = Param {
            name: "MessageContent",
            at: Where::Query,
            kind: Kind::Text { max_bytes: 4 },
            required: false,
            condition: None,
            codes: Codes::all(9),
            choices: &[],
        };
        assert_eq!(
            describe(&text, Failure::TooLong),
            "a MessageContent of 5 bytes answers 9"
        );
    }
}
