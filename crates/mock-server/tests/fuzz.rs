//! Property tests over hostile input through `Engine::handle` (query parser, gateway, action
//! layer): whatever the bytes, the mock never panics and always answers a well-formed envelope,
//! `{"Code": integer, "Message": string, "RequestId": "digits"[, "Data": ...]}`, with HTTP 200
//! for `GET /`.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use zego_mock::{
    signed_query, Answer, Engine, Incoming, ManualClock, MockServer, DEV_APP_ID, DEV_SERVER_SECRET,
};

const T0: i64 = 1_700_000_000;

fn engine() -> Engine {
    MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .build_engine()
}

fn get(engine: &Engine, query: &[u8]) -> Answer {
    engine.handle(Incoming::get(query))
}

/// The envelope's shape, and that it agrees with the answer's own `code`.
fn check_envelope(answer: &Answer) -> Result<(), TestCaseError> {
    let body = String::from_utf8_lossy(&answer.body);
    let v: Value = serde_json::from_slice(&answer.body)
        .map_err(|e| TestCaseError::fail(format!("body is not JSON ({e}): {body}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| TestCaseError::fail(format!("body is not an object: {body}")))?;
    let code = obj.get("Code").and_then(Value::as_i64);
    prop_assert_eq!(code, Some(answer.code), "Code in {}", body);
    prop_assert!(
        obj.get("Message").is_some_and(Value::is_string),
        "Message in {}",
        body
    );
    let id = obj.get("RequestId").and_then(Value::as_str).unwrap_or("");
    prop_assert!(
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
        "RequestId in {}",
        body
    );
    for key in obj.keys() {
        prop_assert!(
            ["Code", "Message", "RequestId", "Data"].contains(&key.as_str()),
            "unexpected key {} in {}",
            key,
            body
        );
    }
    Ok(())
}

/// An action, its parameters, and whether it succeeds on a fresh engine.
type Baseline = (&'static str, &'static [(&'static str, &'static str)], bool);

/// A valid, signed request of each action (the baseline the mutations start from), and whether
/// it succeeds on a fresh engine.
fn baseline(index: usize) -> (Vec<(String, String)>, bool) {
    let cases: [Baseline; 11] = [
        (
            "CreatCDNTransferRule",
            &[
                ("StreamId", "s1"),
                ("CDNUrl", "rtmp://cdn.example.com/live/s1"),
                ("Sequence", "1"),
            ],
            true,
        ),
        (
            "DeleteCDNTransferRule",
            &[
                ("StreamId", "s1"),
                ("CDNUrl", "rtmp://cdn.example.com/live/s1"),
                ("Sequence", "1"),
            ],
            true,
        ),
        (
            "ClearCDNTransferRule",
            &[("StreamId", "s1"), ("Sequence", "1")],
            true,
        ),
        (
            "ForbidCDNLiveStream",
            &[("StreamId", "s1"), ("ResumeTime", "2023-11-15T00:00:00Z")],
            true,
        ),
        ("ResumeCDNLiveStream", &[("StreamId", "s1")], true),
        ("QueryForbidCDNLiveStream", &[("Vendor", "ws")], true),
        (
            "ForbidRTCStream",
            &[("StreamId", "s1"), ("Sequence", "1")],
            true,
        ),
        (
            "ResumeRTCStream",
            &[("StreamId", "s1"), ("Sequence", "1")],
            true,
        ),
        (
            "ForbidRTCStreams",
            &[("StreamId[]", "a"), ("StreamId[]", "b"), ("Sequence", "1")],
            true,
        ),
        (
            "ResumeRTCStreams",
            &[("StreamId[]", "a"), ("Sequence", "1")],
            true,
        ),
        // An unknown stream: 41004, a business answer.
        (
            "DescribeRTCStreamState",
            &[("StreamId", "s1"), ("Sequence", "1")],
            false,
        ),
    ];
    let (action, params, succeeds) = cases[index % cases.len()];
    let query = signed_query(
        DEV_APP_ID,
        DEV_SERVER_SECRET,
        action,
        T0,
        "4fd24687296dd9f3",
        params,
    );
    let pairs = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect();
    (pairs, succeeds)
}

/// One change to a request.
#[derive(Debug, Clone)]
enum Mutation {
    Remove(usize),
    Duplicate(usize),
    /// A new value, sent raw (not encoded).
    Value(usize, String),
    /// A new value, percent-encoded.
    EncodedValue(usize, String),
    /// The name with its case changed.
    FlipCase(usize),
    Insert(usize, String, String),
    Swap(usize, usize),
    /// One byte of the final query replaced.
    Byte(usize, u8),
    /// The final query cut short.
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let text = prop_oneof![
        any::<String>(),
        "[0-9]{0,25}",
        "-?[0-9]{1,20}",
        "[a-zA-Z0-9_%+=&\\[\\]-]{0,40}",
        Just(String::new()),
        Just("2.0".to_string()),
        Just("true".to_string()),
        Just("TRUE".to_string()),
        Just("rtmp://h/a".to_string()),
        Just("%".to_string()),
        Just("%zz".to_string()),
        Just("%FF%FE".to_string()),
        Just("\u{0}".to_string()),
    ];
    let name = prop_oneof![
        Just("Action".to_string()),
        Just("AppId".to_string()),
        Just("Timestamp".to_string()),
        Just("SignatureNonce".to_string()),
        Just("Signature".to_string()),
        Just("SignatureVersion".to_string()),
        Just("IsTest".to_string()),
        Just("StreamId".to_string()),
        Just("StreamId[]".to_string()),
        Just("StreamId%5B%5D".to_string()),
        Just("Sequence".to_string()),
        Just("CDNUrl".to_string()),
        Just("Vendor".to_string()),
        Just("ResumeTime".to_string()),
        "[a-zA-Z%\\[\\]]{0,12}",
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), text.clone()).prop_map(|(i, v)| Mutation::Value(i, v)),
        (any::<usize>(), text.clone()).prop_map(|(i, v)| Mutation::EncodedValue(i, v)),
        any::<usize>().prop_map(Mutation::FlipCase),
        (any::<usize>(), name, text).prop_map(|(i, n, v)| Mutation::Insert(i, n, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::Swap(i, j)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Byte(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut pairs: Vec<(String, String)>, mutations: &[Mutation]) -> Vec<u8> {
    let mut tail: Vec<(usize, Option<u8>)> = Vec::new();
    for m in mutations {
        let n = pairs.len().max(1);
        match m {
            Mutation::Remove(i) if !pairs.is_empty() => {
                pairs.remove(i % n);
            }
            Mutation::Duplicate(i) if !pairs.is_empty() => {
                let p = pairs[i % n].clone();
                pairs.insert(i % n, p);
            }
            Mutation::Value(i, v) if !pairs.is_empty() => pairs[i % n].1 = v.clone(),
            Mutation::EncodedValue(i, v) if !pairs.is_empty() => {
                pairs[i % n].1 = zego_mock::percent_encode(v);
            }
            Mutation::FlipCase(i) if !pairs.is_empty() => {
                let name = &mut pairs[i % n].0;
                *name = name
                    .chars()
                    .map(|c| {
                        if c.is_ascii_uppercase() {
                            c.to_ascii_lowercase()
                        } else {
                            c.to_ascii_uppercase()
                        }
                    })
                    .collect();
            }
            Mutation::Insert(i, name, v) => {
                pairs.insert(i % (pairs.len() + 1), (name.clone(), v.clone()))
            }
            Mutation::Swap(i, j) if !pairs.is_empty() => pairs.swap(i % n, j % n),
            Mutation::Byte(i, b) => tail.push((*i, Some(*b))),
            Mutation::Truncate(i) => tail.push((*i, None)),
            _ => {}
        }
    }
    let mut query = pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes();
    for (i, b) in tail {
        if query.is_empty() {
            break;
        }
        let at = i % query.len();
        match b {
            Some(b) => query[at] = b,
            None => query.truncate(at),
        }
    }
    query
}

/// Pieces that look like query syntax, so random strings reach past the first checks.
fn query_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("&".to_string()),
        Just("=".to_string()),
        Just("%".to_string()),
        Just("+".to_string()),
        Just("[]".to_string()),
        Just("%5B%5D".to_string()),
        Just("Action=CreatCDNTransferRule".to_string()),
        Just("Action=ResumeCDNLiveStream".to_string()),
        Just("Action=ForbidRTCStreams".to_string()),
        Just(format!("AppId={DEV_APP_ID}")),
        Just(format!("Timestamp={T0}")),
        Just("SignatureNonce=4fd24687296dd9f3".to_string()),
        Just("Signature=43e5cfcca828314675f91b001390566a".to_string()),
        Just("SignatureVersion=2.0".to_string()),
        Just("IsTest=".to_string()),
        Just("StreamId".to_string()),
        Just("Sequence=".to_string()),
        "[0-9]{1,20}",
        "[a-zA-Z_-]{1,10}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_get_a_well_formed_envelope(query in prop::collection::vec(any::<u8>(), 0..512)) {
        let answer = get(&engine(), &query);
        prop_assert_eq!(answer.status, 200);
        check_envelope(&answer)?;
    }

    #[test]
    fn query_like_strings_get_a_well_formed_envelope(query in query_like()) {
        let answer = get(&engine(), &query);
        prop_assert_eq!(answer.status, 200);
        check_envelope(&answer)?;
    }

    #[test]
    fn mutated_valid_requests_get_a_well_formed_envelope(
        action in 0usize..11,
        mutations in prop::collection::vec(mutation(), 0..5),
    ) {
        let (pairs, succeeds) = baseline(action);
        let query = apply(pairs, &mutations);
        let engine = engine();
        let answer = get(&engine, &query);
        prop_assert_eq!(answer.status, 200);
        check_envelope(&answer)?;
        if mutations.is_empty() {
            // The baseline itself is valid: the generator is not just producing garbage.
            prop_assert_eq!(answer.code == 0, succeeds, "{}", String::from_utf8_lossy(&answer.body));
        }
        // The engine keeps serving after whatever it was sent (ResumeCDNLiveStream has no
        // Sequence, so the request above cannot have used up its order).
        let (pairs, _) = baseline(4);
        let next = get(&engine, &apply(pairs, &[]));
        prop_assert_eq!(next.code, 0, "{}", String::from_utf8_lossy(&next.body));
    }

    #[test]
    fn any_method_and_path_get_a_json_answer(
        method in prop_oneof![Just("GET".to_string()), Just("POST".to_string()), Just("PUT".to_string()), Just("DELETE".to_string()), Just("HEAD".to_string()), "[A-Z]{1,8}"],
        path in prop_oneof![Just(String::new()), Just("/".to_string()), "/[ -~]{0,40}", any::<String>()],
        action in 0usize..11,
    ) {
        let (pairs, _) = baseline(action);
        let query = apply(pairs, &[]);
        let answer = engine().handle(Incoming::new(&method, &path, &query));
        check_envelope(&answer)?;
        if path.is_empty() || path == "/" {
            prop_assert!(answer.status == 200 || answer.status == 405, "{}", answer.status);
            prop_assert_eq!(answer.status == 200, method == "GET");
        } else {
            prop_assert_eq!(answer.status, 404);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn oversized_values_get_a_well_formed_envelope(
        action in 0usize..11,
        at in any::<usize>(),
        len in 0usize..65_536,
        fill in prop_oneof![Just(b'a'), Just(b'%'), Just(b'&'), Just(b'='), Just(0xFFu8), any::<u8>()],
    ) {
        let (pairs, _) = baseline(action);
        let mut query = apply(pairs, &[]);
        let at = at % (query.len() + 1);
        query.splice(at..at, vec![fill; len]);
        let answer = get(&engine(), &query);
        prop_assert_eq!(answer.status, 200);
        check_envelope(&answer)?;
    }
}
