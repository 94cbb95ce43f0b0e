//! The case catalogue: one case per documented behaviour, each with its id, a one-line
//! description, the document it comes from, and what it needs from the target.
//!
//! The facts the cases check are transcribed here from ZEGO's pages on their own, not taken from
//! the mock, so the catalogue checks the mock (and the client) against the documentation.

use crate::target::{join, Ctx, Needs};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use zego_client::{
    ClearCdnTransferRuleRequest, CreatCdnTransferRuleRequest, DeleteCdnTransferRuleRequest,
    DescribeRtcStreamStateRequest, ForbidCdnLiveStreamRequest, ForbidRtcStreamRequest,
    ForbidRtcStreamsRequest, QueryForbidCdnLiveStreamRequest, ResumeCdnLiveStreamRequest,
    ResumeRtcStreamRequest, ResumeRtcStreamsRequest,
};

/// The outcome of a case body: `Err` says what differed from the documentation.
pub type CaseResult = Result<(), String>;
type CaseFuture = Pin<Box<dyn Future<Output = CaseResult> + Send>>;
type CaseFn = Arc<dyn Fn(Arc<Ctx>) -> CaseFuture + Send + Sync>;

/// One documented behaviour and how to check it.
#[derive(Clone)]
pub struct Case {
    /// A stable id, `group.name`.
    pub id: String,
    /// What the case checks, in one line.
    pub description: String,
    /// The document the behaviour comes from.
    pub doc: &'static str,
    /// What the case needs from the target.
    pub needs: Needs,
    /// Whether it checks one of the mock's documented choices where ZEGO is silent (SPEC.md
    /// `[choice]`) rather than a documented fact.
    pub choice: bool,
    run: CaseFn,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case")
            .field("id", &self.id)
            .field("needs", &self.needs)
            .finish_non_exhaustive()
    }
}

impl Case {
    /// Runs the case on a context.
    pub async fn run(&self, ctx: Arc<Ctx>) -> CaseResult {
        (self.run)(ctx).await
    }

    /// The group: the id up to its first dot.
    pub fn group(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }
}

fn case<F, Fut>(
    id: impl Into<String>,
    description: impl Into<String>,
    doc: &'static str,
    needs: Needs,
    f: F,
) -> Case
where
    F: Fn(Arc<Ctx>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = CaseResult> + Send + 'static,
{
    Case {
        id: id.into(),
        description: description.into(),
        doc,
        needs,
        choice: false,
        run: Arc::new(move |ctx| Box::pin(f(ctx))),
    }
}

fn choice(mut c: Case) -> Case {
    c.choice = true;
    c
}

fn check(cond: bool, what: impl FnOnce() -> String) -> CaseResult {
    if cond {
        Ok(())
    } else {
        Err(what())
    }
}

const RETURN_CODES: &str = "return-codes.mdx (Common Return codes)";

/// Golden gateway error envelopes (`fixtures/error-envelopes.json`).
const ERROR_ENVELOPES: &str = include_str!("../../../fixtures/error-envelopes.json");
/// Sample requests of each action (`fixtures/requests.json`).
const REQUESTS: &str = include_str!("../../../fixtures/requests.json");

/// The documented response example of an action (`fixtures/responses/<action>.json`).
fn response_example(action: &str) -> &'static str {
    match action {
        "CreatCDNTransferRule" => {
            include_str!("../../../fixtures/responses/CreatCDNTransferRule.json")
        }
        "DeleteCDNTransferRule" => {
            include_str!("../../../fixtures/responses/DeleteCDNTransferRule.json")
        }
        "ClearCDNTransferRule" => {
            include_str!("../../../fixtures/responses/ClearCDNTransferRule.json")
        }
        "ForbidCDNLiveStream" => {
            include_str!("../../../fixtures/responses/ForbidCDNLiveStream.json")
        }
        "ResumeCDNLiveStream" => {
            include_str!("../../../fixtures/responses/ResumeCDNLiveStream.json")
        }
        "QueryForbidCDNLiveStream" => {
            include_str!("../../../fixtures/responses/QueryForbidCDNLiveStream.json")
        }
        "ForbidRTCStream" => include_str!("../../../fixtures/responses/ForbidRTCStream.json"),
        "ResumeRTCStream" => include_str!("../../../fixtures/responses/ResumeRTCStream.json"),
        "ForbidRTCStreams" => include_str!("../../../fixtures/responses/ForbidRTCStreams.json"),
        "ResumeRTCStreams" => include_str!("../../../fixtures/responses/ResumeRTCStreams.json"),
        "DescribeRTCStreamState" => {
            include_str!("../../../fixtures/responses/DescribeRTCStreamState.json")
        }
        _ => "null",
    }
}

/// Parses a fixture compiled into the kit (a unit test checks every one parses).
fn fixture(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Whether `got` has the shape of the documented `example`: the same keys in every object, the
/// same JSON type in every leaf (arrays compared by their first elements when both have one).
pub fn same_shape(got: &Value, example: &Value, path: &str) -> Result<(), String> {
    match (got, example) {
        (Value::Object(g), Value::Object(e)) => {
            let gk: std::collections::BTreeSet<&String> = g.keys().collect();
            let ek: std::collections::BTreeSet<&String> = e.keys().collect();
            if gk != ek {
                return Err(format!("{path}: keys {gk:?}, documented {ek:?}"));
            }
            for (k, v) in e {
                same_shape(&g[k], v, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(g), Value::Array(e)) => match (g.first(), e.first()) {
            (Some(g0), Some(e0)) => same_shape(g0, e0, &format!("{path}[0]")),
            _ => Ok(()),
        },
        (Value::String(_), Value::String(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Null, Value::Null) => Ok(()),
        _ => Err(format!("{path}: {got}, documented like {example}")),
    }
}
const SIGNING: &str = "accessing-server-apis (signature mechanism); shared-components.yaml";

/// How an action's `Data` looks on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Null,
    Absent,
    Array,
    Object,
}

/// The documented facts of one action, transcribed from its page.
#[derive(Debug, Clone, Copy)]
struct Doc {
    action: &'static str,
    page: &'static str,
    limit: u32,
    test_limit: u32,
    throttled: i64,
    is_test_code: i64,
    stream_code: i64,
    list: bool,
    prefix_rule: bool,
    sequence: bool,
    message: &'static str,
    shape: Shape,
    /// The action's own older code for a signature mismatch, as its page lists it.
    legacy_auth: Option<i64>,
    /// The action's own older code for a timestamp error, as its page lists it.
    legacy_timestamp: Option<i64>,
}

const fn media(
    action: &'static str,
    page: &'static str,
    limit: u32,
    test_limit: u32,
    shape: Shape,
) -> Doc {
    Doc {
        action,
        page,
        limit,
        test_limit,
        throttled: 30002,
        is_test_code: 30004,
        stream_code: 30009,
        list: false,
        prefix_rule: true,
        sequence: true,
        message: "ok",
        shape,
        legacy_auth: None,
        legacy_timestamp: None,
    }
}

const fn cdn_live(action: &'static str, page: &'static str, shape: Shape) -> Doc {
    Doc {
        action,
        page,
        limit: 20,
        test_limit: 20,
        throttled: 7,
        is_test_code: 2,
        stream_code: 2,
        list: false,
        prefix_rule: false,
        sequence: false,
        message: "success",
        shape,
        legacy_auth: Some(3),
        legacy_timestamp: None,
    }
}

const fn legacy(mut d: Doc, auth: i64, timestamp: Option<i64>) -> Doc {
    d.legacy_auth = Some(auth);
    d.legacy_timestamp = timestamp;
    d
}

const fn list(mut d: Doc) -> Doc {
    d.list = true;
    d.stream_code = 30006;
    d
}

const DOCS: [Doc; 11] = [
    legacy(
        media(
            "CreatCDNTransferRule",
            "create-cdn-transfer-rule.yaml",
            10,
            5,
            Shape::Null,
        ),
        5003,
        None,
    ),
    legacy(
        media(
            "DeleteCDNTransferRule",
            "delete-cdn-transfer-rule.yaml",
            10,
            5,
            Shape::Null,
        ),
        5003,
        None,
    ),
    legacy(
        media(
            "ClearCDNTransferRule",
            "clear-cdn-transfer-rule.yaml",
            10,
            5,
            Shape::Null,
        ),
        5003,
        None,
    ),
    cdn_live(
        "ForbidCDNLiveStream",
        "forbid-cdn-live-stream.yaml",
        Shape::Array,
    ),
    cdn_live(
        "ResumeCDNLiveStream",
        "resume-cdn-live-stream.yaml",
        Shape::Array,
    ),
    cdn_live(
        "QueryForbidCDNLiveStream",
        "query-forbid-cdn-live-stream.yaml",
        Shape::Object,
    ),
    legacy(
        media(
            "ForbidRTCStream",
            "forbid-rtc-stream.yaml",
            20,
            5,
            Shape::Absent,
        ),
        40005,
        Some(3002),
    ),
    legacy(
        media(
            "ResumeRTCStream",
            "resume-rtc-stream.yaml",
            20,
            5,
            Shape::Absent,
        ),
        40005,
        Some(3002),
    ),
    list(media(
        "ForbidRTCStreams",
        "forbid-rtc-streams.yaml",
        20,
        5,
        Shape::Null,
    )),
    list(media(
        "ResumeRTCStreams",
        "resume-rtc-streams.yaml",
        20,
        5,
        Shape::Null,
    )),
    legacy(
        media(
            "DescribeRTCStreamState",
            "describe-rtc-stream-state.yaml",
            40,
            10,
            Shape::Object,
        ),
        40005,
        Some(3002),
    ),
];

impl Doc {
    /// Valid business parameters for `stream` (Sequence excluded), from the sample request in
    /// `fixtures/requests.json`.
    fn params(&self, stream: &str) -> Vec<(String, String)> {
        let url = format!("rtmp://cdn.example.com/live/{stream}");
        let sample = fixture(REQUESTS);
        let pairs = sample["requests"][self.action]["params"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        pairs
            .iter()
            .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
            // One StreamId per request keeps the cases simple; the list cases build their own.
            .filter(|(_, v)| v != "{stream2}")
            .map(|(n, v)| (n, v.replace("{stream}", stream).replace("{url}", &url)))
            .collect()
    }

    fn has_stream(&self) -> bool {
        self.action != "QueryForbidCDNLiveStream"
    }

    /// Sends the action with valid parameters, Sequence `seq` where it has one, and `extra`.
    async fn send(
        &self,
        ctx: &Ctx,
        stream: &str,
        seq: u64,
        extra: &[(&str, &str)],
    ) -> Result<crate::target::Answer, String> {
        let seq = seq.to_string();
        let mut params: Vec<(String, String)> = self.params(stream);
        if self.sequence {
            params.push(("Sequence".into(), seq));
        }
        params.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        let refs: Vec<(&str, &str)> = params
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        ctx.call(self.action, &refs).await
    }
}

/// The whole catalogue, in a stable order.
pub fn catalogue() -> Vec<Case> {
    let mut cases = gateway_cases();
    for d in DOCS {
        cases.extend(action_cases(d));
    }
    cases.extend(flow_cases());
    cases
}

/// One golden gateway error: which common parameter to change and the documented envelope.
#[derive(Debug, Clone, serde::Deserialize)]
struct GoldenError {
    id: String,
    description: String,
    change: String,
    value: Option<String>,
    envelope: Value,
}

fn golden_errors() -> Vec<GoldenError> {
    serde_json::from_value(fixture(ERROR_ENVELOPES)["gateway"].clone()).unwrap_or_default()
}

/// Sends a correctly signed request with one common parameter changed as `g` says.
async fn send_golden(ctx: &Ctx, g: &GoldenError) -> Result<crate::target::Answer, String> {
    let mut pairs = ctx.common("ResumeCDNLiveStream", ctx.now());
    let other_app = if ctx.app_id == 1 { "2" } else { "1" };
    match &g.value {
        Some(v) => {
            let v = v.replace("{other_app}", other_app);
            pairs
                .iter_mut()
                .filter(|(n, _)| *n == g.change)
                .for_each(|p| p.1 = v.clone());
        }
        None => pairs.retain(|(n, _)| *n != g.change),
    }
    ctx.raw(&(join(&pairs) + &format!("&StreamId={}", ctx.stream("gw"))))
        .await
}

fn gateway_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = golden_errors()
        .into_iter()
        .map(|g| {
            let code = g.envelope["Code"].as_i64().unwrap_or_default();
            let g = Arc::new(g);
            case(
                format!("gateway.{}", g.id),
                g.description.clone(),
                RETURN_CODES,
                Needs::NONE,
                move |ctx: Arc<Ctx>| {
                    let g = g.clone();
                    async move { send_golden(&ctx, &g).await?.expect_code(code) }
                },
            )
        })
        .collect();
    cases.push(choice(case("gateway.golden-envelopes", "every gateway error envelope has exactly Code, Message and RequestId, with the return-code table's description as Message", "fixtures/error-envelopes.json; shared ErrorResponse schema", Needs::NONE, |ctx: Arc<Ctx>| async move {
        for g in golden_errors() {
            let answer = send_golden(&ctx, &g).await?;
            answer.check_envelope()?;
            let mut want = g.envelope.clone();
            want["RequestId"] = answer.body["RequestId"].clone();
            check(answer.body == want, || format!("{}: got {}, golden {}", g.id, answer.body, g.envelope))?;
        }
        Ok(())
    })));
    cases.push(case(
        "gateway.signed-request-accepted",
        "a request signed as documented is accepted",
        SIGNING,
        Needs::NONE,
        |ctx: Arc<Ctx>| async move {
            ctx.call("ResumeCDNLiveStream", &[("StreamId", &ctx.stream("ok"))])
                .await?
                .expect_code(0)
        },
    ));
    cases.push(choice(case(
        "gateway.signature-upper-case",
        "an upper-case hex Signature is refused with 100000005 (the docs say lower case)",
        SIGNING,
        Needs::NONE,
        |ctx: Arc<Ctx>| async move {
            let mut pairs = ctx.common("ResumeCDNLiveStream", ctx.now());
            pairs[4].1 = pairs[4].1.to_uppercase();
            ctx.raw(&(join(&pairs) + "&StreamId=s"))
                .await?
                .expect_code(100000005)
        },
    )));
    for (offset, code) in [(-600, 0), (600, 0), (-601, 100000004), (601, 100000004)] {
        let description = if code == 0 {
            format!("a Timestamp {offset:+} s from the server's time is accepted")
        } else {
            format!("a Timestamp {offset:+} s from the server's time answers 100000004")
        };
        let c = case(
            format!("gateway.skew{offset:+}"),
            description,
            "shared-components.yaml (Timestamp: a maximum deviation of 10 minutes)",
            Needs {
                clock: true,
                ..Needs::NONE
            },
            move |ctx: Arc<Ctx>| async move {
                let stream = ctx.stream("skew");
                ctx.call_at(
                    "ResumeCDNLiveStream",
                    ctx.now() + offset,
                    &[("StreamId", &stream)],
                )
                .await?
                .expect_code(code)
            },
        );
        cases.push(if offset.abs() == 600 { choice(c) } else { c });
    }
    cases.push(choice(case(
        "gateway.order",
        "the first failing gateway check wins: Action before AppId before Timestamp",
        RETURN_CODES,
        Needs::NONE,
        |ctx: Arc<Ctx>| async move {
            ctx.raw("AppId=x&Timestamp=y")
                .await?
                .expect_code(100000006)?;
            ctx.raw("Action=ResumeCDNLiveStream&AppId=x&Timestamp=y")
                .await?
                .expect_code(100000001)?;
            ctx.raw("Action=ResumeCDNLiveStream&AppId=1&Timestamp=y")
                .await?
                .expect_code(100000003)
        },
    )));
    cases
}

fn action_cases(d: Doc) -> Vec<Case> {
    let a = d.action;
    let mut cases = Vec::new();
    let page = d.page;
    // Success and response shape (DescribeRTCStreamState needs a live stream: see the flows).
    if a != "DescribeRTCStreamState" {
        cases.push(case(
            format!("{a}.success"),
            format!(
                "a valid request answers 0 with Message {:?} and Data {:?}",
                d.message, d.shape
            ),
            page,
            Needs::NONE,
            move |ctx: Arc<Ctx>| async move {
                let stream = ctx.stream("ok");
                typed_call(&ctx, a, &stream).await?;
                let answer = d
                    .send(&ctx, &stream, ctx.client().next_sequence(), &[])
                    .await?;
                answer.expect_code(0)?;
                check(answer.message() == d.message, || {
                    format!("Message {:?}, documented {:?}", answer.message(), d.message)
                })?;
                let data = answer.body.get("Data");
                let ok = match d.shape {
                    Shape::Null => data == Some(&Value::Null),
                    Shape::Absent => data.is_none(),
                    Shape::Array => data.is_some_and(Value::is_array),
                    Shape::Object => data.is_some_and(Value::is_object),
                };
                check(ok, || {
                    format!("Data should be {:?}: {}", d.shape, answer.body)
                })?;
                same_shape(&answer.body, &fixture(response_example(a)), "answer")
            },
        ));
    }
    // Rate limits, production and test.
    for (env, limit, test_env) in [("production", d.limit, false), ("test", d.test_limit, true)] {
        if test_env && !d.prefix_rule && d.test_limit == d.limit {
            continue;
        }
        cases.push(case(
            format!("{a}.rate-limit.{env}"),
            format!(
                "in one second, request {} of the {env} environment is accepted and request {} answers {}",
                limit,
                limit + 1,
                d.throttled
            ),
            page,
            Needs {
                clock: true,
                throttling: true,
                test_env,
                production: !test_env,
                ..Needs::NONE
            },
            move |ctx: Arc<Ctx>| async move {
                // Start at the beginning of a second so the burst stays in one window.
                let into_second = ctx.now_millis().rem_euclid(1000);
                ctx.advance_millis(1000 - into_second).await?;
                for i in 0..limit {
                    let answer = d.send(&ctx, &ctx.stream(&format!("r{i}")), 1, &[]).await?;
                    check(answer.code() != d.throttled, || {
                        format!("request {} of {limit} was throttled", i + 1)
                    })?;
                }
                d.send(&ctx, &ctx.stream("over"), 1, &[])
                    .await?
                    .expect_code(d.throttled)?;
                ctx.advance_millis(1000).await?;
                let answer = d.send(&ctx, &ctx.stream("next"), 1, &[]).await?;
                check(answer.code() != d.throttled, || {
                    "the next second is still throttled".into()
                })
            },
        ));
    }
    cases.push(case(
        format!("{a}.is-test-invalid"),
        format!("an IsTest other than true/false answers {}", d.is_test_code),
        page,
        Needs::NONE,
        move |ctx: Arc<Ctx>| async move {
            let mut pairs = ctx.common(a, ctx.now());
            pairs.retain(|(n, _)| n != "IsTest");
            pairs.push(("IsTest".into(), "maybe".into()));
            let mut params = d.params(&ctx.stream("t"));
            if d.sequence {
                params.push(("Sequence".into(), "1".into()));
            }
            pairs.extend(
                params
                    .into_iter()
                    .map(|(n, v)| (n, crate::target::encode(&v))),
            );
            ctx.raw(&join(&pairs)).await?.expect_code(d.is_test_code)
        },
    ));
    if d.has_stream() {
        let what = if d.list {
            "a StreamId[] entry"
        } else {
            "a StreamId"
        };
        cases.push(case(
            format!("{a}.stream-id-invalid"),
            format!("{what} outside [0-9A-Za-z_-] answers {}", d.stream_code),
            "rtpm-dispatch.yaml (StreamId format); the action's page",
            Needs::NONE,
            move |ctx: Arc<Ctx>| async move {
                let bad = format!("{}.bad", ctx.stream("x"));
                d.send(&ctx, &bad, 1, &[]).await?.expect_code(d.stream_code)
            },
        ));
    }
    if d.list {
        cases.push(case(
            format!("{a}.stream-list-too-long"),
            "21 StreamIds answer 30006",
            page,
            Needs::NONE,
            move |ctx: Arc<Ctx>| async move {
                let ids: Vec<String> = (0..21).map(|i| ctx.stream(&format!("l{i}"))).collect();
                let mut p: Vec<(&str, &str)> =
                    ids.iter().map(|s| ("StreamId[]", s.as_str())).collect();
                p.push(("Sequence", "1"));
                ctx.call(a, &p).await?.expect_code(30006)
            },
        ));
    }
    if d.prefix_rule {
        cases.push(choice(case(
            format!("{a}.test-prefix"),
            format!(
                "in the test environment a StreamId without zegotest-AppId- answers {}",
                d.stream_code
            ),
            page,
            Needs {
                test_env: true,
                ..Needs::NONE
            },
            move |ctx: Arc<Ctx>| async move {
                d.send(&ctx, "no-prefix", 1, &[])
                    .await?
                    .expect_code(d.stream_code)
            },
        )));
    }
    if let Some(auth) = d.legacy_auth {
        cases.push(case(
            format!("{a}.legacy-auth"),
            format!("with legacy codes, a wrong Signature answers the page's own {auth}"),
            page,
            Needs {
                control: true,
                ..Needs::NONE
            },
            move |ctx: Arc<Ctx>| async move {
                ctx.set_legacy_codes(true).await?;
                let mut pairs = ctx.common(a, ctx.now());
                pairs
                    .iter_mut()
                    .filter(|(n, _)| n == "Signature")
                    .for_each(|p| p.1 = "0".repeat(32));
                let answer = ctx
                    .raw(&(join(&pairs) + &format!("&StreamId={}&Sequence=1", ctx.stream("l"))))
                    .await;
                ctx.set_legacy_codes(false).await?;
                answer?.expect_code(auth)
            },
        ));
    }
    if let Some(timestamp) = d.legacy_timestamp {
        cases.push(case(
            format!("{a}.legacy-timestamp"),
            format!("with legacy codes, an expired Timestamp answers the page's own {timestamp}"),
            page,
            Needs {
                control: true,
                clock: true,
                ..Needs::NONE
            },
            move |ctx: Arc<Ctx>| async move {
                ctx.set_legacy_codes(true).await?;
                let stream = ctx.stream("lt");
                let answer = ctx
                    .call_at(
                        a,
                        ctx.now() - 601,
                        &[("StreamId", &stream), ("Sequence", "1")],
                    )
                    .await;
                ctx.set_legacy_codes(false).await?;
                answer?.expect_code(timestamp)
            },
        ));
    }
    if d.sequence {
        cases.push(choice(case(
            format!("{a}.sequence-missing"),
            "a missing Sequence answers 5005",
            page,
            Needs::NONE,
            move |ctx: Arc<Ctx>| async move {
                let params = d.params(&ctx.stream("s"));
                let refs: Vec<(&str, &str)> = params
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                ctx.call(a, &refs).await?.expect_code(5005)
            },
        )));
        cases.push(case(
            format!("{a}.sequence-not-increasing"),
            "within 10 s, an equal or lower Sequence for the same StreamId is refused (5005)",
            page,
            Needs::NONE,
            move |ctx: Arc<Ctx>| async move {
                let stream = ctx.stream("seq");
                let first = d.send(&ctx, &stream, 100, &[]).await?;
                check(first.code() != 5005, || {
                    format!("the first request was refused: {}", first.body)
                })?;
                d.send(&ctx, &stream, 100, &[]).await?.expect_code(5005)?;
                d.send(&ctx, &stream, 99, &[]).await?.expect_code(5005)
            },
        ));
        cases.push(case(format!("{a}.sequence-window"), "10 s after the last accepted request any Sequence is accepted again; at 9.999 s it is not", page, Needs { clock: true, ..Needs::NONE }, move |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("win");
            check(d.send(&ctx, &stream, 100, &[]).await?.code() != 5005, || "first request refused".into())?;
            ctx.advance_millis(9_999).await?;
            d.send(&ctx, &stream, 50, &[]).await?.expect_code(5005)?;
            ctx.advance_millis(1).await?;
            let answer = d.send(&ctx, &stream, 50, &[]).await?;
            check(answer.code() != 5005, || format!("after 10 s: {}", answer.body))
        }));
    }
    cases
}

/// Calls the action through the typed client and checks it succeeds.
async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    let c = ctx.client();
    let url = format!("rtmp://cdn.example.com/live/{stream}");
    let result = match action {
        "CreatCDNTransferRule" => c
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(stream).cdn_url(url))
            .await
            .map(|_| ()),
        "DeleteCDNTransferRule" => c
            .delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new(stream, url))
            .await
            .map(|_| ()),
        "ClearCDNTransferRule" => c
            .clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new(stream))
            .await
            .map(|_| ()),
        "ForbidCDNLiveStream" => c
            .forbid_cdn_live_stream(ForbidCdnLiveStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "ResumeCDNLiveStream" => c
            .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "QueryForbidCDNLiveStream" => c
            .query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest::new("ws"))
            .await
            .map(|_| ()),
        "ForbidRTCStream" => c
            .forbid_rtc_stream(ForbidRtcStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "ResumeRTCStream" => c
            .resume_rtc_stream(ResumeRtcStreamRequest::new(stream))
            .await
            .map(|_| ()),
        "ForbidRTCStreams" => c
            .forbid_rtc_streams(ForbidRtcStreamsRequest::new([stream]))
            .await
            .map(|_| ()),
        "ResumeRTCStreams" => c
            .resume_rtc_streams(ResumeRtcStreamsRequest::new([stream]))
            .await
            .map(|_| ()),
        "DescribeRTCStreamState" => c
            .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(stream))
            .await
            .map(|_| ()),
        other => return Err(format!("no typed method for {other}")),
    };
    result.map_err(|e| format!("the typed client's {action} failed: {e}"))
}

fn flow_cases() -> Vec<Case> {
    vec![
        case("flow.cdn-ban", "ForbidCDNLiveStream -> QueryForbidCDNLiveStream lists the stream -> ResumeCDNLiveStream -> the list no longer has it", "forbid/query-forbid/resume-cdn-live-stream.yaml", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("ban");
            let listed = |v: &Value| {
                v["Data"]["Ws"]["ResultDetail"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|e| e["Url"].as_str().is_some_and(|u| u.ends_with(&format!("/{stream}")))))
            };
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream)]).await?.expect_code(0)?;
            let q = ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?;
            q.expect_code(0)?;
            check(listed(&q.body), || format!("the ban is not listed: {}", q.body))?;
            ctx.call("ResumeCDNLiveStream", &[("StreamId", &stream)]).await?.expect_code(0)?;
            let q = ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?;
            check(!listed(&q.body), || format!("the ban is still listed: {}", q.body))
        }),
        case("flow.cdn-ban-expires", "a ban with ResumeTime in one hour is listed now and gone an hour later", "forbid-cdn-live-stream.yaml (ResumeTime)", Needs { clock: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("exp");
            let end = zego_mock::utc::format(ctx.now() + 3600);
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream), ("ResumeTime", &end)]).await?.expect_code(0)?;
            let count = |v: &Value| v["Data"]["Ws"]["ResultDetail"].as_array().map_or(0, Vec::len);
            let before = count(&ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?.body);
            ctx.advance_millis(3_600_000).await?;
            let after = count(&ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "ws")]).await?.body);
            check(before == after + 1, || format!("{before} bans before, {after} after"))
        }),
        case("flow.cdn-ban-resume-time", "a ResumeTime more than 30 days ahead, or not UTC, answers 2", "forbid-cdn-live-stream.yaml (ResumeTime)", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("rt");
            let far = zego_mock::utc::format(ctx.now() + 31 * 86_400);
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream), ("ResumeTime", &far)]).await?.expect_code(2)?;
            ctx.call("ForbidCDNLiveStream", &[("StreamId", &stream), ("ResumeTime", "tomorrow")]).await?.expect_code(2)
        }),
        case("flow.query-vendor", "QueryForbidCDNLiveStream with an unknown Vendor answers 4", "query-forbid-cdn-live-stream.yaml; the older public code table", Needs::NONE, |ctx: Arc<Ctx>| async move {
            ctx.call("QueryForbidCDNLiveStream", &[("Vendor", "nosuchcdn")]).await?.expect_code(4)
        }),
        case("flow.relay-create-delete", "CreatCDNTransferRule remembers a rule; DeleteCDNTransferRule with the same address (other query) removes it", "create/delete-cdn-transfer-rule.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("relay");
            let url = format!("rtmp://cdn.example.com/live/{stream}");
            ctx.client().creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(&stream).cdn_url(format!("{url}?k=1"))).await.map_err(|e| e.to_string())?;
            let rules = |s: &Value| s["relay_rules"].as_array().map_or(0, |r| r.iter().filter(|r| r["stream_id"] == stream.as_str()).count());
            check(rules(&ctx.state().await?) == 1, || "the rule was not remembered".into())?;
            ctx.client().delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new(&stream, format!("{url}?k=2"))).await.map_err(|e| e.to_string())?;
            check(rules(&ctx.state().await?) == 0, || "the rule is still there".into())
        }),
        case("flow.rtc-forbid", "ForbidRTCStream stops a simulated publisher from publishing until ResumeRTCStream", "forbid/resume-rtc-stream.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("rtc");
            ctx.client().forbid_rtc_stream(ForbidRtcStreamRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            check(ctx.publish(&stream, true).await.is_err(), || "a forbidden stream could publish".into())?;
            ctx.client().resume_rtc_stream(ResumeRtcStreamRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            ctx.publish(&stream, true).await
        }),
        case("flow.stream-state", "DescribeRTCStreamState answers 41004 for an unknown stream, 0 with create_time while live, 41006 once closed", "describe-rtc-stream-state.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("state");
            let seq = || ctx.client().next_sequence().to_string();
            ctx.call("DescribeRTCStreamState", &[("StreamId", &stream), ("Sequence", &seq())]).await?.expect_code(41004)?;
            ctx.publish(&stream, true).await?;
            let live = ctx.client().describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            check(live.data.create_time == ctx.now().to_string() && live.data.close_time.is_empty(), || format!("{:?}", live.data))?;
            ctx.publish(&stream, false).await?;
            ctx.call("DescribeRTCStreamState", &[("StreamId", &stream), ("Sequence", &seq())]).await?.expect_code(41006)?;
            // The typed client takes 41006 as the successful query ZEGO documents it to be.
            let closed = ctx.client().describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(&stream)).await.map_err(|e| e.to_string())?;
            check(closed.code == 41006 && !closed.data.is_live() && !closed.data.close_time.is_empty(), || format!("{closed:?}"))
        }),
        case("flow.describe-unknown", "DescribeRTCStreamState for a stream never published answers 41004", "describe-rtc-stream-state.yaml", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("never");
            let seq = ctx.client().next_sequence().to_string();
            ctx.call("DescribeRTCStreamState", &[("StreamId", &stream), ("Sequence", &seq)]).await?.expect_code(41004)
        }),
        case("flow.clear-pending", "ClearCDNTransferRule removes pending rules and keeps those of streams being published", "clear-cdn-transfer-rule.yaml", Needs { control: true, ..Needs::NONE }, |ctx: Arc<Ctx>| async move {
            let live = ctx.stream("live");
            let idle = ctx.stream("idle");
            for s in [&live, &idle] {
                ctx.client().creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new(s.as_str()).cdn_url(format!("rtmp://h/live/{s}"))).await.map_err(|e| e.to_string())?;
            }
            ctx.publish(&live, true).await?;
            ctx.client().clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new(idle.as_str())).await.map_err(|e| e.to_string())?;
            let state = ctx.state().await?;
            let left: Vec<&str> = state["relay_rules"].as_array().map(|r| r.iter().filter_map(|r| r["stream_id"].as_str()).collect()).unwrap_or_default();
            check(left == [live.as_str()], || format!("rules left: {left:?}"))
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_case_names_its_document() {
        let cases = catalogue();
        let mut ids = std::collections::HashSet::new();
        for c in &cases {
            assert!(ids.insert(c.id.clone()), "duplicate id {}", c.id);
            assert!(!c.description.is_empty() && !c.doc.is_empty(), "{}", c.id);
        }
        assert!(cases.len() > 80, "{} cases", cases.len());
    }

    #[test]
    fn fixtures_parse_and_cover_every_action() {
        assert!(golden_errors().len() >= 12);
        for d in DOCS {
            assert!(
                fixture(response_example(d.action)).is_object(),
                "{}",
                d.action
            );
            assert!(!d.params("s").is_empty(), "{}", d.action);
        }
    }

    #[test]
    fn shapes_compare_keys_and_leaf_types() {
        let example =
            serde_json::json!({"Code": 0, "Data": {"Ws": {"ResultDetail": [{"Url": "x"}]}}});
        assert!(same_shape(
            &serde_json::json!({"Code": 5, "Data": {"Ws": {"ResultDetail": []}}}),
            &example,
            "a"
        )
        .is_ok());
        assert!(same_shape(
            &serde_json::json!({"Code": 5, "Data": {"Ws": {"ResultDetail": [{"Url": 1}]}}}),
            &example,
            "a"
        )
        .is_err());
        assert!(same_shape(&serde_json::json!({"Code": 5}), &example, "a").is_err());
    }

    #[test]
    fn every_documented_action_has_success_and_rate_limit_cases() {
        let cases = catalogue();
        for d in DOCS {
            assert!(
                cases
                    .iter()
                    .any(|c| c.id == format!("{}.rate-limit.production", d.action)),
                "{}",
                d.action
            );
            assert!(
                cases
                    .iter()
                    .any(|c| c.id.starts_with(d.action) && c.id.contains("is-test")),
                "{}",
                d.action
            );
        }
    }
}
