//! The gateway cases: every common parameter's documented code (from the golden envelopes in
//! `fixtures/error-envelopes.json`), signatures, the timestamp window, and the order of checks.
//! They hold for every action; they use ResumeCDNLiveStream, whose request is the simplest.

use super::{case, check, choice, fixture, sample_params, Case};
use crate::docs::Method;
use crate::target::{join, Answer, Ctx, Needs};
use serde_json::Value;
use std::sync::Arc;

const RETURN_CODES: &str = "return-codes.mdx (Common Return codes)";
const SIGNING: &str = "accessing-server-apis (signature mechanism); shared-components.yaml";

/// Golden gateway error envelopes (`fixtures/error-envelopes.json`).
const ERROR_ENVELOPES: &str = include_str!("../../../../fixtures/error-envelopes.json");

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
async fn send_golden(ctx: &Ctx, g: &GoldenError) -> Result<Answer, String> {
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

/// The gateway cases, in a stable order.
pub fn cases() -> Vec<Case> {
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
    cases.push(choice(case(
        "gateway.wrong-method",
        "every action sent with a method other than its documented one (a GET action as POST with a JSON body) answers HTTP 405 with a JSON error whose Code is -1",
        "README (How a request is checked; fidelity notes: wrong method)",
        Needs::NONE,
        |ctx: Arc<Ctx>| async move {
            for d in super::served_actions() {
                let wrong = match d.method {
                    Method::Get => "POST",
                    Method::Post => "GET",
                };
                let stream = ctx.stream("m");
                let params = sample_params(d.action, &stream);
                let body: serde_json::Map<String, Value> = params
                    .iter()
                    .map(|(n, v)| (n.clone(), Value::String(v.clone())))
                    .collect();
                let answer = ctx
                    .call_body(d.action, wrong, &[], &Value::Object(body))
                    .await?;
                check(
                    answer.status == 405
                        && answer.code() == -1
                        && !answer.message().is_empty(),
                    || {
                        format!(
                            "{} as {wrong}: HTTP {} {}",
                            d.action, answer.status, answer.body
                        )
                    },
                )?;
            }
            Ok(())
        },
    )));
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_golden_envelopes_parse() {
        assert!(golden_errors().len() >= 12);
    }
}
