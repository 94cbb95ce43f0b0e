//! The scene family's own cases: the kit's sample request, the state a valid request needs (the
//! discontinued service turned on), the typed client's call and the state flows (the service
//! switch, create-only templates, the 50-template limit).
//!
//! The service is switched through the mock's control plane (`PUT /_mock/apps/{app}/features`,
//! SPEC-rest-callbacks.md §3.7), so every case of the family needs `Needs::control`. Every
//! TemplateId is the case's own: an existing one answers 340004003.

use super::{case, check, choice, Case, CaseResult};
use crate::docs::scene::{MAX_TEMPLATES, PARAMETER_ERROR, SERVICE_OFF, TEMPLATE_EXISTS};
use crate::docs::{self};
use crate::target::{Ctx, Needs};
use serde_json::json;
use std::sync::Arc;

/// The kit's own sample request: the older page's example (`OLD:scene/set-scene-template.mdx`),
/// without its `AppId` (the common parameter) and the four parameters no page documents
/// (MaxItemNum, MaxVisibleItemNum, MaxBindItemNum, MaxItemCapacity). The TemplateId is made the
/// case's own by [`personalise`].
pub const SAMPLES: &[(&str, &[(&str, &str)])] = &[(
    "SetSceneTemplate",
    &[
        ("TemplateId", "10080"),
        ("ViewRadius", "3"),
        ("MaxUserNum", "50000"),
        ("MaxVisibleNum", "50"),
        ("LeftBottomX", "0.00"),
        ("LeftBottomZ", "0.00"),
        ("RightUpX", "500.00"),
        ("RightUpZ", "500.00"),
    ],
)];

/// The kit's sample request of `action` ([`SAMPLES`]), empty for an action it has none of.
pub(super) fn sample(action: &str) -> Vec<(String, String)> {
    SAMPLES
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, pairs)| {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The TemplateId of the requests for `stream`: a positive 31-bit number from a hash of it.
pub fn template_of(stream: &str) -> String {
    let hash = stream.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (1 + hash % 0x7fff_fffe).to_string()
}

/// Makes SetSceneTemplate's sample parameters the case's own: the TemplateId becomes
/// [`template_of`] `stream` (an existing template answers 340004003), and parameters the page does
/// not list are left out (the older example's `AppId`, which the common parameters already carry,
/// and its four undocumented ones).
pub fn personalise(pairs: Vec<(String, String)>, stream: &str) -> Vec<(String, String)> {
    let documented =
        |n: &str| docs::action("SetSceneTemplate").is_some_and(|d| d.param(n).is_some());
    pairs
        .into_iter()
        .filter(|(n, _)| documented(n))
        .map(|(n, v)| match n.as_str() {
            "TemplateId" => (n, template_of(stream)),
            _ => (n, v),
        })
        .collect()
}

/// Calls SetSceneTemplate through the typed client with the values of the kit's sample for
/// `stream` ([`personalise`]), and checks it succeeds.
pub(super) async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    use zego_client::SetSceneTemplateRequest;
    if action != "SetSceneTemplate" {
        return Err(format!("no typed method for {action}"));
    }
    let params = personalise(sample(action), stream);
    let value = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let int = |name: &str| value(name).parse::<u32>().unwrap_or_default();
    let float = |name: &str| value(name).parse::<f64>().unwrap_or_default();
    let request = SetSceneTemplateRequest::new(
        value("TemplateId").parse().unwrap_or_default(),
        int("MaxUserNum"),
        int("ViewRadius"),
        int("MaxVisibleNum"),
    )
    .map(
        (float("LeftBottomX"), float("LeftBottomZ")),
        (float("RightUpX"), float("RightUpZ")),
    );
    ctx.client()
        .set_scene_template(request)
        .await
        .map(|_| ())
        .map_err(|e| format!("typed {action}: {e}"))
}

/// Turns the app's scene service on or off through the control plane. Each case starts from a
/// reset app, so a case that turns it on for its requests leaves no trace in the next one.
pub(super) async fn service(ctx: &Ctx, on: bool) -> CaseResult {
    let (status, answer) = ctx
        .app_control("PUT", "/features", Some(json!({ "scene_service": on })))
        .await?;
    check(status == 200, || {
        format!("PUT features (scene_service {on}) answered HTTP {status} {answer}")
    })
}

/// Sets up what a valid SetSceneTemplate needs: the service on (its TemplateId is the case's own
/// already, [`personalise`]).
pub(super) async fn prepare(ctx: &Ctx, _action: &str, _stream: &str) -> CaseResult {
    service(ctx, true).await
}

/// SetSceneTemplate with the sample's values for `stream`.
async fn set(ctx: &Ctx, stream: &str) -> Result<crate::target::Answer, String> {
    let params = personalise(sample("SetSceneTemplate"), stream);
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    ctx.call("SetSceneTemplate", &refs).await
}

const CONTROL: Needs = Needs {
    control: true,
    ..Needs::NONE
};

const CONTROL_CLOCK: Needs = Needs {
    control: true,
    clock: true,
    ..Needs::NONE
};

/// The family's state flows.
pub(super) fn flows() -> Vec<Case> {
    vec![
        choice(case("flow.scene-service", "while the (discontinued) scene service is off SetSceneTemplate answers 100000017; on, a new template answers 0 with Message \"succeed\" and Data null, the same TemplateId again 340004003 (Template already exists), and off again 100000017", "scene/set-scene-template.yaml (\"This feature has been discontinued\"; 340004003); SPEC-rest-callbacks.md §4, ★7", CONTROL, |ctx: Arc<Ctx>| async move {
            let stream = ctx.stream("t");
            set(&ctx, &stream).await?.expect_code(SERVICE_OFF).map_err(|e| format!("service off: {e}"))?;
            service(&ctx, true).await?;
            let created = set(&ctx, &stream).await?;
            created.expect_code(0)?;
            check(created.message() == "succeed" && created.body.get("Data") == Some(&serde_json::Value::Null), || format!("success: {}", created.body))?;
            let again = set(&ctx, &stream).await?;
            service(&ctx, false).await?;
            again.expect_code(TEMPLATE_EXISTS).map_err(|e| format!("the same TemplateId again: {e}"))?;
            set(&ctx, &ctx.stream("u")).await?.expect_code(SERVICE_OFF).map_err(|e| format!("service off again: {e}"))
        })),
        choice(case("flow.scene-template-limit", "\"The limit for custom templates is 50\": 50 templates are created, the 51st answers 340006003 (no quota code is documented)", "scene/set-scene-template.yaml; SPEC-rest-callbacks.md §4, ★31", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            service(&ctx, true).await?;
            for i in 0..MAX_TEMPLATES {
                set(&ctx, &ctx.stream(&format!("t{i}"))).await?.expect_code(0).map_err(|e| format!("template {}: {e}", i + 1))?;
            }
            // A new second, so that the 50 a second limit does not answer first.
            ctx.advance_millis(1_000).await?;
            set(&ctx, &ctx.stream("over")).await?.expect_code(PARAMETER_ERROR).map_err(|e| format!("template 51: {e}"))
        })),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_documented_and_personalised() {
        let d = docs::action("SetSceneTemplate").expect("documented");
        let pairs = sample(d.action);
        for (n, _) in &pairs {
            assert!(d.param(n).is_some(), "{n}");
        }
        for p in d.params.iter().filter(|p| p.required) {
            assert!(pairs.iter().any(|(n, _)| n == p.name), "{}", p.name);
        }
        let mut with_extras = pairs.clone();
        with_extras.push(("AppId".into(), "111111111".into()));
        with_extras.push(("MaxItemNum".into(), "100".into()));
        let a = personalise(with_extras, "stream-a");
        assert!(!a.iter().any(|(n, _)| n == "AppId" || n == "MaxItemNum"));
        assert_eq!(a.len(), pairs.len());
        let id = |p: &[(String, String)]| {
            p.iter()
                .find(|(n, _)| n == "TemplateId")
                .map(|(_, v)| v.clone())
        };
        let b = personalise(pairs, "stream-b");
        assert_ne!(id(&a), id(&b));
        assert!(id(&a)
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|v| v > 0 && v <= i64::from(i32::MAX)));
    }

    #[test]
    fn the_family_has_its_flows() {
        let cases = flows();
        assert_eq!(cases.len(), 2);
        assert!(cases.iter().all(|c| c.needs.control && c.choice));
    }
}
