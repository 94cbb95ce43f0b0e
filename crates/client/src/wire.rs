//! The wire layer: what an action is ([`Operation`]) and how its typed request travels.
//!
//! - A `GET` action sends everything in the query: the common parameters, then the request's
//!   fields as flat pairs (an array as the same name repeated, `Name[]=a&Name[]=b`; an unset
//!   option left out), then the automatic `Sequence` when the action takes one. An array of
//!   objects travels in ZEGO's indexed-dot form, `Name.0.Field=..&Name.0.List.0=..`, indices
//!   from 0 (the media-file pages' `recursive-indexed-dot`).
//! - A `POST` action sends the common parameters in the query and the request, serialized with
//!   serde, as a JSON object in the body (`Content-Type: application/json`): nested types are
//!   kept, unset options are left out rather than sent as `null`, and the automatic `Sequence`,
//!   when the action takes one, is a member of that object.
//!
//! Where an action takes a `Sequence` follows from its method: in the query of a `GET`, in the
//! body of a `POST`, as ZEGO's pages put it.

use crate::codes::Family;
use crate::error::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The HTTP method an action is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HttpMethod {
    /// Every parameter in the query.
    Get,
    /// Common parameters in the query, business parameters as a JSON body.
    Post,
}

impl HttpMethod {
    /// The method as hyper sends it.
    pub(crate) fn to_hyper(self) -> hyper::Method {
        match self {
            HttpMethod::Get => hyper::Method::GET,
            HttpMethod::Post => hyper::Method::POST,
        }
    }
}

/// One action of the API: its wire name, HTTP method, code family, whether it takes a `Sequence`,
/// and the type of its `Data`. The request type serializes (through serde, with the documented
/// parameter names) to the action's business parameters.
///
/// The actions the client covers implement it through the table in `actions.rs`.
pub(crate) trait Operation: Serialize {
    /// The wire name (`Action=...`).
    const ACTION: &'static str;
    /// How the request travels.
    const METHOD: HttpMethod;
    /// The family its codes are read in.
    const FAMILY: Family;
    /// Whether the action takes a `Sequence` (filled automatically unless the request sets one).
    const SEQUENCE: bool;
    /// The codes that are a successful answer (ZEGO calls some non-zero codes successful).
    const SUCCESS_CODES: &'static [i64] = &[0];
    /// The decoded `Data` of a successful answer.
    type Data: FromData;
}

/// Decodes an action's `Data` (`None` when it was `null` or absent).
pub(crate) trait FromData: Sized {
    fn from_data(data: Option<Value>) -> Result<Self, serde_json::Error>;
}

impl FromData for () {
    fn from_data(_: Option<Value>) -> Result<Self, serde_json::Error> {
        Ok(())
    }
}

/// `Data` decoded with serde; `null` or absent gives the default value.
pub(crate) fn data_or_default<T: DeserializeOwned + Default>(
    data: Option<Value>,
) -> Result<T, serde_json::Error> {
    match data {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => serde_json::from_value(v),
    }
}

/// Implements [`FromData`] for `Data` types decoded with serde, `null` or absent giving the
/// default value.
macro_rules! data_with_default {
    ($($data:ty),*) => {$(
        impl $crate::wire::FromData for $data {
            fn from_data(
                data: Option<serde_json::Value>,
            ) -> Result<Self, serde_json::Error> {
                $crate::wire::data_or_default(data)
            }
        }
    )*};
}
pub(crate) use data_with_default;

/// A request's business parameters, ready for the wire.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Encoded {
    /// A `GET` action's query pairs, in order.
    Query(Vec<(String, String)>),
    /// A `POST` action's body object.
    Body(Map<String, Value>),
}

impl Encoded {
    /// Encodes a request as its action sends it.
    pub(crate) fn of<O: Operation>(op: &O) -> Result<Self, Error> {
        let value = serde_json::to_value(op).map_err(|e| encoding(e.to_string()))?;
        let Value::Object(fields) = value else {
            return Err(encoding("not a struct".into()));
        };
        match O::METHOD {
            HttpMethod::Get => query_pairs(fields).map(Encoded::Query),
            HttpMethod::Post => {
                let Value::Object(body) = without_nulls(Value::Object(fields)) else {
                    unreachable!("an object stays an object");
                };
                Ok(Encoded::Body(body))
            }
        }
    }

    /// Whether the request sets its own `Sequence`.
    pub(crate) fn has_sequence(&self) -> bool {
        match self {
            Encoded::Query(pairs) => pairs.iter().any(|(name, _)| name == "Sequence"),
            Encoded::Body(body) => body.contains_key("Sequence"),
        }
    }
}

fn encoding(what: String) -> Error {
    Error::builder(format!("the request could not be encoded: {what}"))
}

/// Flattens a request into query pairs: strings, numbers and booleans as they are, an array of
/// such values as the same name repeated (`StreamId[]=a&StreamId[]=b`: the brackets are part of
/// the field's serde name), `null` (an unset option) left out.
///
/// A nested value travels in ZEGO's `recursive-indexed-dot` form (the `x-docuo-query-serialization`
/// of the media-file pages, indices from 0): an array holding objects or arrays as
/// `Name.0.Field=..&Name.1.Field=..`, an object as `Name.Field=..`, and at any depth below, an
/// array as `.0`, `.1`, ... (`Media.0.Resolution.0=360p&Media.0.Resolution.1=720p`). An empty
/// array sends nothing.
fn query_pairs(fields: Map<String, Value>) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::with_capacity(fields.len() + 1);
    for (name, value) in fields {
        match value {
            Value::Array(items) if items.iter().all(|i| scalar(i).is_some()) => {
                for item in &items {
                    pairs.extend(scalar(item).map(|v| (name.clone(), v)));
                }
            }
            nested => indexed_dot(&name, &nested, &mut pairs),
        }
    }
    Ok(pairs)
}

/// A string, number or boolean as it travels in a query; `None` for anything else.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `value` under `prefix` in the recursive-indexed-dot form: a scalar as itself, an object's
/// members as `prefix.Name`, an array's items as `prefix.0`, `prefix.1`, ...; `null` left out.
fn indexed_dot(prefix: &str, value: &Value, pairs: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(members) => {
            for (name, member) in members {
                indexed_dot(&format!("{prefix}.{name}"), member, pairs);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                indexed_dot(&format!("{prefix}.{i}"), item, pairs);
            }
        }
        other => pairs.extend(scalar(other).map(|v| (prefix.to_string(), v))),
    }
}

/// A decimal number as the pages write it: a whole value without a fraction (`1`, `500`), any
/// other in its shortest form (`0.5`, `10.25`). Used for the `number`/`double`/`float` parameters
/// of the media-file and scene pages, whose examples write `ExtTimeOffsetSet[]=1` and
/// `StartTime=0.5`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decimal(pub(crate) f64);

impl Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Whole values within f64's exact integer range go as integers.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        let v = self.0;
        if v.is_finite() && v.fract() == 0.0 && v.abs() <= EXACT {
            #[allow(clippy::cast_possible_truncation)]
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

/// Serializes an optional decimal as [`Decimal`] (unset: `null`, left out).
pub(crate) fn decimal<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    v.map(Decimal).serialize(s)
}

/// Serializes a list of decimals as [`Decimal`]s.
pub(crate) fn decimals<S: serde::Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().copied().map(Decimal))
}

/// Leaves out every object member that is `null` (an unset option), at any depth. `null`
/// elements of an array stay: their position means something.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(value: Value) -> Vec<(String, String)> {
        let Value::Object(fields) = value else {
            panic!("an object")
        };
        query_pairs(fields).expect("encodable")
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn scalars_and_arrays_of_scalars_keep_their_flat_form() {
        let got = pairs(json!({
            "StreamId[]": ["a", "b"],
            "Vendor": "Tencent",
            "Limit": 10,
            "ClearCache": true,
            "Marker": null,
            "FileId[]": [],
        }));
        assert_eq!(
            got,
            owned(&[
                ("ClearCache", "true"),
                ("Limit", "10"),
                ("StreamId[]", "a"),
                ("StreamId[]", "b"),
                ("Vendor", "Tencent"),
            ])
        );
    }

    #[test]
    fn arrays_of_objects_travel_indexed_dot_from_zero_at_every_depth() {
        // The example of DeleteMedia's `Media` (delete-media.yaml) and MergeMedia's
        // `HandleMediaArgs` (merge-media.yaml), in ZEGO's recursive-indexed-dot form.
        let got = pairs(json!({
            "Media": [
                {"FileId": "5001834814700023699", "Resolution": ["360p", "720p"]},
                {"FileId": "5001834814583141985", "Resolution": []},
                {"FileId": "5001834814648245073", "Resolution": null},
            ],
            "HandleMediaArgs": [
                {"FileId": "5576678019238910395", "StartTime": 0.5, "EndTime": 10.5},
                {"FileId": "5576678019238910395", "StartTime": 10, "EndTime": null},
            ],
        }));
        let mut got = got;
        got.sort();
        let mut expected = owned(&[
            ("Media.0.FileId", "5001834814700023699"),
            ("Media.0.Resolution.0", "360p"),
            ("Media.0.Resolution.1", "720p"),
            ("Media.1.FileId", "5001834814583141985"),
            ("Media.2.FileId", "5001834814648245073"),
            ("HandleMediaArgs.0.FileId", "5576678019238910395"),
            ("HandleMediaArgs.0.StartTime", "0.5"),
            ("HandleMediaArgs.0.EndTime", "10.5"),
            ("HandleMediaArgs.1.FileId", "5576678019238910395"),
            ("HandleMediaArgs.1.StartTime", "10"),
        ]);
        expected.sort();
        assert_eq!(got, expected);
    }

    #[test]
    fn decimals_are_whole_without_a_fraction_and_shortest_otherwise() {
        let text = |v: f64| {
            serde_json::to_value(Decimal(v))
                .expect("a number")
                .to_string()
        };
        assert_eq!(text(1.0), "1");
        assert_eq!(text(0.0), "0");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(500.0), "500");
        assert_eq!(text(-3.0), "-3");
        assert_eq!(text(0.5), "0.5");
        assert_eq!(text(10.25), "10.25");
        // Beyond f64's exact integers, the float form (serde_json's exponent).
        assert_eq!(text(1e300), "1e+300");
    }

    #[test]
    fn an_object_travels_as_its_members_under_its_name() {
        let got = pairs(json!({"Param": {"A": 1, "B": {"C": "x"}}}));
        assert_eq!(got, owned(&[("Param.A", "1"), ("Param.B.C", "x")]));
    }

    #[test]
    fn nulls_are_left_out_of_objects_at_every_depth_but_kept_in_arrays() {
        let value = json!({
            "A": null,
            "B": {"C": null, "D": 1, "E": [null, {"F": null, "G": "g"}]},
        });
        assert_eq!(
            without_nulls(value),
            json!({"B": {"D": 1, "E": [null, {"G": "g"}]}})
        );
    }

    // -----------------------------------------------------------------------------------------
    // The POST form, through a test-only operation that takes an automatic Sequence (no action
    // of the table does both).

    use crate::Client;
    use md5::{Digest, Md5};
    use std::collections::BTreeMap;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const APP_ID: u32 = 12345;
    const SECRET: &str = "9193cc662a4c0ec135ec71fb57194b38";
    const NOW_MILLIS: i64 = 1_615_186_943_250;

    #[derive(Serialize)]
    struct Rect {
        #[serde(rename = "Top")]
        top: i32,
        #[serde(rename = "Right")]
        right: i32,
    }

    #[derive(Serialize)]
    struct Input {
        #[serde(rename = "StreamId")]
        stream_id: String,
        #[serde(rename = "RectInfo")]
        rect: Rect,
        #[serde(rename = "SoundLevelId")]
        sound_level_id: Option<u32>,
    }

    /// A POST action shaped like StartMix: nested objects, an array of them, unset options, and
    /// a `Sequence` that belongs in the body.
    #[derive(Serialize)]
    struct PostRequest {
        #[serde(rename = "TaskId")]
        task_id: String,
        #[serde(rename = "MixInput")]
        inputs: Vec<Input>,
        #[serde(rename = "RoomId")]
        room_id: Option<String>,
        #[serde(rename = "UserId[]")]
        user_ids: Vec<String>,
        #[serde(rename = "Sequence")]
        sequence: Option<u64>,
    }

    impl Operation for PostRequest {
        const ACTION: &'static str = "TestPostAction";
        const METHOD: HttpMethod = HttpMethod::Post;
        const FAMILY: Family = Family::StreamMixing;
        const SEQUENCE: bool = true;
        type Data = ();
    }

    fn post_request(sequence: Option<u64>) -> PostRequest {
        PostRequest {
            task_id: "task-1".into(),
            inputs: vec![Input {
                stream_id: "in/1 ?&".into(),
                rect: Rect { top: 0, right: 640 },
                sound_level_id: None,
            }],
            room_id: None,
            user_ids: vec!["a".into(), "b".into()],
            sequence,
        }
    }

    async fn post_server(answer: &str) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_body_string(answer))
            .mount(&server)
            .await;
        server
    }

    fn post_client(uri: &str, test_env: bool) -> Client {
        Client::builder()
            .app_id(APP_ID)
            .server_secret(SECRET)
            .base_url(uri)
            .test_environment(test_env)
            .clock(|| NOW_MILLIS)
            .build()
            .expect("valid client")
    }

    /// The one request received: its query (decoded, each name once) and its body as JSON.
    async fn the_post(server: &MockServer) -> (BTreeMap<String, String>, Value) {
        let requests = server.received_requests().await.expect("recording is on");
        assert_eq!(requests.len(), 1);
        let r = &requests[0];
        assert_eq!(r.method.as_str(), "POST");
        assert_eq!(r.url.path(), "/");
        assert_eq!(
            r.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"application/json"[..])
        );
        let mut query = BTreeMap::new();
        for (name, value) in r.url.query_pairs() {
            let earlier = query.insert(name.to_string(), value.to_string());
            assert!(earlier.is_none(), "{name} sent twice");
        }
        let body = serde_json::from_slice(&r.body).expect("the body is JSON");
        (query, body)
    }

    #[tokio::test]
    async fn a_post_action_sends_common_parameters_in_the_query_and_the_request_as_json() {
        // Arrange
        let server = post_server(r#"{"Code":0,"Message":"success","RequestId":"1"}"#).await;
        let client = post_client(&server.uri(), false);

        // Act
        let answer = client.call(&post_request(None)).await.expect("success");

        // Assert: the query holds exactly the signed common parameters.
        assert_eq!(answer.message, "success");
        let (query, body) = the_post(&server).await;
        let names: Vec<&str> = query.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "Action",
                "AppId",
                "Signature",
                "SignatureNonce",
                "SignatureVersion",
                "Timestamp"
            ]
        );
        assert_eq!(query["Action"], "TestPostAction");
        assert_eq!(query["AppId"], "12345");
        assert_eq!(query["Timestamp"], "1615186943");
        assert_eq!(query["SignatureVersion"], "2.0");
        let nonce = &query["SignatureNonce"];
        let expected: String = Md5::digest(format!("12345{nonce}{SECRET}1615186943"))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(query["Signature"], expected);
        // The body: nested values kept, unset options left out, the automatic Sequence a number.
        assert_eq!(
            body,
            json!({
                "TaskId": "task-1",
                "MixInput": [{"StreamId": "in/1 ?&", "RectInfo": {"Top": 0, "Right": 640}}],
                "UserId[]": ["a", "b"],
                "Sequence": 1_615_186_943_250_u64,
            })
        );
    }

    #[tokio::test]
    async fn a_post_action_keeps_an_explicit_sequence_in_the_body_and_is_test_in_the_query() {
        let server = post_server(r#"{"Code":0,"Message":"success","RequestId":"1"}"#).await;
        let client = post_client(&server.uri(), true);

        client.call(&post_request(Some(7))).await.expect("success");

        let (query, body) = the_post(&server).await;
        assert_eq!(query.get("IsTest").map(String::as_str), Some("true"));
        assert!(!query.contains_key("Sequence"), "{query:?}");
        assert_eq!(body["Sequence"], json!(7));
        assert_eq!(body["TaskId"], json!("task-1"));
    }

    #[tokio::test]
    async fn a_post_action_answer_is_read_in_its_family() {
        let server =
            post_server(r#"{"Code":110200190,"Message":"overload","RequestId":"r"}"#).await;
        let client = post_client(&server.uri(), false);

        let err = client
            .call(&post_request(None))
            .await
            .expect_err("a throttled answer");

        assert_eq!(err.action(), Some("TestPostAction"));
        assert_eq!(err.api_error().map(|e| e.message()), Some("overload"));
        assert_eq!(
            err.api_error().map(|e| e.family()),
            Some(Family::StreamMixing)
        );
        // 110200190 is "Stream Mixing start request overload." in the mixing table.
        assert_eq!(err.code(), Some(crate::ErrorCode::MixStartOverload));
        assert!(err.is_throttling() && err.is_retryable() && !err.is_auth());
    }
}
