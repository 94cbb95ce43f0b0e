//! The case catalogue: one case per documented behaviour, each with its id, a one-line
//! description, the document it comes from, and what it needs from the target.
//!
//! The facts the cases check come from the kit's own docs table ([`crate::docs`]), transcribed
//! from ZEGO's pages on their own, and from `fixtures/`, never from the mock, so the catalogue
//! checks the mock (and the client) against the documentation.
//!
//! Layout:
//! - [`gateway`]: the common parameters, signatures, the timestamp window, the HTTP method;
//! - [`actions`]: what every action of the docs table gets (success and response shape, rate
//!   limits, `IsTest`, legacy codes, the Sequence rule), with [`params`] generating the
//!   parameter cases from each action's documented parameters;
//! - one module per family for what is its own: [`media`] (relay and RTC), [`cdn_live`] (the
//!   older CDN live-stream set), [`room`] (room signaling), [`mixing`] (stream mixing and
//!   transcoding), [`media_file`] (CDN recording and media files), [`moderation`] (stream
//!   moderation), [`scene`] (scene templates): state flows and the typed client's calls.

pub mod actions;
pub mod cdn_live;
pub mod gateway;
pub mod media;
pub mod media_file;
pub mod mixing;
pub mod moderation;
pub mod params;
pub mod room;
pub mod scene;

use crate::docs::{self, ActionDoc, Family, Method};
use crate::target::{encode, join, Answer, Ctx, Needs};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};

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

/// A case checking a documented fact.
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

/// Marks a case as checking one of the mock's choices.
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

/// Whether the mock serves the room-signaling family yet. While it does not, the room family's
/// cases are left out of [`catalogue`] (they would all fail against it); the docs table lists the
/// family all the same. It flips to `true` when the mock serves the family.
pub const ROOM_FAMILY_SERVED: bool = true;

/// Whether the mock serves the stream-mixing family yet. While it does not, the family's cases
/// are left out of [`catalogue`]; the docs table lists the family all the same. It flips to `true`
/// when the mock serves the family.
pub const MIXING_FAMILY_SERVED: bool = true;

/// Whether the mock serves the media-file family yet (and the typed client has its methods).
/// While it does not, the family's cases are left out of [`catalogue`]; the docs table lists the
/// family all the same. It flips to `true` when the mock serves the family.
pub const MEDIA_FILE_FAMILY_SERVED: bool = true;

/// Whether the mock serves the moderation family yet (and the typed client has its methods).
/// While it does not, the family's cases are left out of [`catalogue`]. It flips to `true` when
/// the mock serves the family.
pub const MODERATION_FAMILY_SERVED: bool = true;

/// Whether the mock serves the scene family yet (and the typed client has its method). While it
/// does not, the family's cases are left out of [`catalogue`]. It flips to `true` when the mock
/// serves the family.
pub const SCENE_FAMILY_SERVED: bool = true;

/// Whether [`catalogue`] includes the cases of `family`.
pub fn served(family: Family) -> bool {
    match family {
        Family::MediaService | Family::CdnLive => true,
        Family::Room => ROOM_FAMILY_SERVED,
        Family::StreamMixing => MIXING_FAMILY_SERVED,
        Family::MediaFile => MEDIA_FILE_FAMILY_SERVED,
        Family::Moderation => MODERATION_FAMILY_SERVED,
        Family::Scene => SCENE_FAMILY_SERVED,
    }
}

/// The documented actions whose family [`catalogue`] includes.
pub fn served_actions() -> impl Iterator<Item = &'static ActionDoc> {
    docs::actions().filter(|d| served(d.family))
}

/// The whole catalogue, in a stable order: the gateway, then family by family each action's
/// cases, then the families' state flows.
pub fn catalogue() -> Vec<Case> {
    let mut cases = gateway::cases();
    for d in served_actions() {
        cases.extend(actions::cases(d));
    }
    for family in docs::FAMILIES {
        if let Some(first) = family.first().filter(|d| served(d.family)) {
            cases.extend(flows(first.family));
        }
    }
    cases
}

/// A family's own state flows.
fn flows(family: Family) -> Vec<Case> {
    match family {
        Family::MediaService => media::flows(),
        Family::CdnLive => cdn_live::flows(),
        Family::Room => room::flows(),
        Family::StreamMixing => mixing::flows(),
        Family::MediaFile => media_file::flows(),
        Family::Moderation => moderation::flows(),
        Family::Scene => scene::flows(),
    }
}

/// Calls the action through the typed client and checks it succeeds.
async fn typed_call(ctx: &Ctx, d: &ActionDoc, stream: &str) -> CaseResult {
    ctx.pace(d.action).await;
    match d.family {
        Family::MediaService => media::typed_call(ctx, d.action, stream).await,
        Family::CdnLive => cdn_live::typed_call(ctx, d.action, stream).await,
        Family::Room => room::typed_call(ctx, d.action, stream).await,
        Family::StreamMixing => mixing::typed_call(ctx, d.action, stream).await,
        Family::MediaFile => media_file::typed_call(ctx, d.action, stream).await,
        Family::Moderation => moderation::typed_call(ctx, d.action, stream).await,
        Family::Scene => scene::typed_call(ctx, d.action, stream).await,
    }
}

/// What a case that sends a valid request of `d` and expects it to succeed needs: a room
/// action succeeds only on state set up through the control plane (a user in the room, a stream
/// or a rule to delete), a mixing action on live input streams, a room or a running task, a
/// media-file action on files seeded through the control plane, and SetSceneTemplate on its
/// service turned on. A moderation action's state (a task to stop) comes from the API itself.
fn state_needs(d: &ActionDoc) -> Needs {
    match d.family {
        Family::MediaService | Family::CdnLive | Family::Moderation => Needs::NONE,
        Family::Room | Family::StreamMixing | Family::MediaFile | Family::Scene => Needs {
            control: true,
            ..Needs::NONE
        },
    }
}

/// Whether every case of `d`'s family sends a valid request only on state a case has to set up
/// first ([`family_setup`]): each its own, so the success case sends its typed and raw requests
/// for two StreamIds (two scene templates, two media tasks) a second apart.
fn own_state(d: &ActionDoc) -> bool {
    matches!(
        d.family,
        Family::Room
            | Family::StreamMixing
            | Family::MediaFile
            | Family::Moderation
            | Family::Scene
    )
}

/// What every generated case of `d` needs before its request can reach the action's own checks:
/// the scene family answers 100000017 to everything while its (discontinued) service is off, so
/// its cases turn it on through the control plane first.
fn family_needs(d: &ActionDoc) -> Needs {
    match d.family {
        Family::Scene => Needs {
            control: true,
            ..Needs::NONE
        },
        _ => Needs::NONE,
    }
}

/// Sets up what [`family_needs`] says (nothing for most families).
async fn family_setup(ctx: &Ctx, d: &ActionDoc) -> CaseResult {
    match d.family {
        Family::Scene => scene::service(ctx, true).await,
        _ => Ok(()),
    }
}

/// `c`, a generated case of `d`, with [`family_setup`] run first and [`family_needs`] added to
/// its needs.
fn with_family_setup(d: &'static ActionDoc, mut c: Case) -> Case {
    let extra = family_needs(d);
    if extra == Needs::NONE {
        return c;
    }
    c.needs.control |= extra.control;
    let run = c.run.clone();
    c.run = Arc::new(move |ctx: Arc<Ctx>| {
        let run = run.clone();
        Box::pin(async move {
            family_setup(&ctx, d).await?;
            run(ctx).await
        })
    });
    c
}

/// Sets up what a valid request of `d` for `stream` (its sample parameters) needs to succeed.
async fn prepare(ctx: &Ctx, d: &ActionDoc, stream: &str) -> CaseResult {
    match d.family {
        Family::MediaService | Family::CdnLive => Ok(()),
        Family::Room => room::prepare(ctx, d.action, stream).await,
        Family::StreamMixing => mixing::prepare(ctx, d.action, stream).await,
        Family::MediaFile => media_file::prepare(ctx, d.action, stream).await,
        Family::Moderation => moderation::prepare(ctx, d.action, stream).await,
        Family::Scene => scene::prepare(ctx, d.action, stream).await,
    }
}

/// Ids the target made while a case's request was prepared (a media task's or a censor task's
/// TaskId), by the case's StreamId: the sample request for that StreamId carries them
/// ([`media_file::personalise`], [`moderation::personalise_body`]). StreamIds are unique per
/// case, so entries never collide.
static PREPARED: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();

/// Remembers `id`, made by the target while preparing the request for `stream`.
fn remember(stream: &str, id: &str) {
    PREPARED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(stream.to_string(), id.to_string());
}

/// The id [`remember`]ed for `stream`, if any.
fn prepared(stream: &str) -> Option<String> {
    PREPARED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(stream)
        .cloned()
}

/// Sample requests of each action (`fixtures/requests.json`).
const REQUESTS: &str = include_str!("../../../../fixtures/requests.json");

include!(concat!(env!("OUT_DIR"), "/responses.rs"));

/// The documented response example of an action (`fixtures/responses/<action>.json`), or
/// `null` when it has none (a unit test rules that out for every action of the docs table).
fn response_example(action: &str) -> &'static str {
    RESPONSE_EXAMPLES
        .iter()
        .find(|(name, _)| *name == action)
        .map_or("null", |(_, text)| text)
}

/// The shape a success answer of `d` for `stream` must have, from its documented `example`: the
/// example itself, except where the spec decides the documented example is a combination the
/// service never sends ([`media_file::expected_shape`]).
fn expected_shape(d: &ActionDoc, stream: &str, example: Value) -> Value {
    match d.family {
        Family::MediaFile => {
            let params = sample_params(d.action, stream);
            let vendor = params
                .iter()
                .find(|(n, _)| n == "Vendor")
                .map_or("Tencent", |(_, v)| v.as_str());
            media_file::expected_shape(d.action, vendor, example)
        }
        _ => example,
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

/// Valid query parameters of `action` for `stream` (Sequence excluded), from its sample
/// request in `fixtures/requests.json` (for a room or mixing action without one there, the kit's
/// own sample, [`room::SAMPLES`], [`mixing::QUERY_SAMPLES`]). A room or mixing action's ids are
/// made this case's own: the RoomId, UserIds, TaskId and StreamIds are derived from `stream`
/// ([`room::personalise`], [`mixing::personalise`]). A POST action's business parameters are
/// its body ([`sample_body`]).
fn sample_params(action: &str, stream: &str) -> Vec<(String, String)> {
    let url = format!("rtmp://cdn.example.com/live/{stream}");
    let sample = fixture(REQUESTS);
    let mut pairs: Vec<(String, String)> = sample["requests"][action]["params"]
        .as_array()
        .map(|pairs| {
            pairs
                .iter()
                .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let family = docs::action(action).map(|d| d.family);
    let is_room = family == Some(Family::Room);
    if is_room && pairs.is_empty() {
        pairs = room::sample(action);
    }
    if pairs.is_empty() {
        pairs = match family {
            Some(Family::MediaFile) => media_file::sample(action),
            Some(Family::Moderation) => moderation::query_sample(action),
            Some(Family::Scene) => scene::sample(action),
            _ => pairs,
        };
    }
    if family == Some(Family::StreamMixing) {
        if pairs.is_empty() {
            pairs = mixing::query_sample(action);
        }
        return mixing::personalise(pairs, stream);
    }
    let pairs = pairs
        .into_iter()
        // One StreamId per request keeps the cases simple; the list cases build their own.
        .filter(|(_, v)| v != "{stream2}")
        .map(|(n, v)| (n, v.replace("{stream}", stream).replace("{url}", &url)));
    match family {
        Some(Family::Room) => room::personalise(action, pairs.collect(), stream),
        Some(Family::MediaFile) => media_file::personalise(action, pairs.collect(), stream),
        Some(Family::Scene) => scene::personalise(pairs.collect(), stream),
        _ => pairs.collect(),
    }
}

/// The JSON body of a valid request of the POST action `action` for `stream`: the `body` of its
/// sample request in `fixtures/requests.json`, or the kit's own ([`mixing::BODY_SAMPLES`], the
/// pages' request examples), with its ids made this case's own ([`mixing::personalise_body`]).
/// `Null` for an action with neither.
fn sample_body(action: &str, stream: &str) -> Value {
    let sample = fixture(REQUESTS);
    let moderated = docs::action(action).is_some_and(|d| d.family == Family::Moderation);
    let body = match fixture_body(&sample, action, stream) {
        Value::Object(o) => Value::Object(o),
        _ if moderated => moderation::body_sample(action),
        _ => mixing::body_sample(action),
    };
    if moderated {
        moderation::personalise_body(body, stream)
    } else {
        mixing::personalise_body(body, stream)
    }
}

/// The `body` of `action`'s sample request in `sample` (`fixtures/requests.json`), with
/// `{stream}` standing for `stream` as in the sample parameters; `Null` when it has none.
fn fixture_body(sample: &Value, action: &str, stream: &str) -> Value {
    let body = &sample["requests"][action]["body"];
    if body.is_null() {
        return Value::Null;
    }
    fixture(&body.to_string().replace("{stream}", stream))
}

/// The field of `body` at `path` ([`docs::Where::Body`]: names and array indices separated by
/// dots).
pub fn body_field<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(body, |v, seg| match seg.parse::<usize>() {
            Ok(i) => v.get(i),
            Err(_) => v.get(seg),
        })
}

/// Sets the field of `body` at `path` to `value`, or removes it (`None`). The field's parent must
/// exist; answers whether it did.
pub fn set_body_field(body: &mut Value, path: &str, value: Option<Value>) -> bool {
    let (parent, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (
            parent
                .split('.')
                .try_fold(&mut *body, |v, seg| match seg.parse::<usize>() {
                    Ok(i) => v.get_mut(i),
                    Err(_) => v.get_mut(seg),
                }),
            last,
        ),
        None => (Some(body), path),
    };
    match (parent, last.parse::<usize>(), value) {
        (Some(Value::Object(o)), _, Some(v)) => {
            o.insert(last.to_string(), v);
            true
        }
        (Some(Value::Object(o)), _, None) => {
            o.remove(last);
            true
        }
        (Some(Value::Array(a)), Ok(i), Some(v)) if i < a.len() => {
            a[i] = v;
            true
        }
        (Some(Value::Array(a)), Ok(i), None) if i < a.len() => {
            a.remove(i);
            true
        }
        _ => false,
    }
}

/// Sends the action with valid parameters (a POST action: its sample body), Sequence `seq` where
/// it has one, and `extra` in the query.
async fn send(
    ctx: &Ctx,
    d: &ActionDoc,
    stream: &str,
    seq: u64,
    extra: &[(&str, &str)],
) -> Result<Answer, String> {
    let mut params = sample_params(d.action, stream);
    if d.has_sequence() {
        params.push(("Sequence".into(), seq.to_string()));
    }
    params.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    match d.method {
        Method::Get => send_pairs(ctx, d, &params).await,
        Method::Post => send_body(ctx, d, &params, &sample_body(d.action, stream)).await,
    }
}

/// Sends the POST action `d` with these (unencoded) query parameters and `body`.
async fn send_body(
    ctx: &Ctx,
    d: &ActionDoc,
    params: &[(String, String)],
    body: &Value,
) -> Result<Answer, String> {
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    ctx.call_body(d.action, d.method.as_str(), &refs, body)
        .await
}

/// Sends the sample request of `d` for `stream` (Sequence 1 where it has one; a POST action's
/// sample body) after the common parameters `common`, as given (encoded, altered as the case
/// needs): for the cases that change the common parameters themselves.
async fn send_with_common(
    ctx: &Ctx,
    d: &ActionDoc,
    mut common: Vec<(String, String)>,
    stream: &str,
) -> Result<Answer, String> {
    let mut params = sample_params(d.action, stream);
    if d.has_sequence() {
        params.push(("Sequence".into(), "1".into()));
    }
    common.extend(params.into_iter().map(|(n, v)| (n, encode(&v))));
    let query = join(&common);
    match d.method {
        Method::Get => ctx.raw(&query).await,
        Method::Post => {
            let body = sample_body(d.action, stream).to_string();
            ctx.send("POST", &query, Some(body.as_bytes())).await
        }
    }
}

/// Sends the action with exactly these (unencoded) business parameters.
async fn send_pairs(
    ctx: &Ctx,
    d: &ActionDoc,
    params: &[(String, String)],
) -> Result<Answer, String> {
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    ctx.call(d.action, &refs).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{Kind, Where};

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
        for d in served_actions() {
            assert!(
                fixture(response_example(d.action)).is_object(),
                "{}",
                d.action
            );
            let sent = match d.method {
                Method::Get => !sample_params(d.action, "s").is_empty(),
                Method::Post => sample_body(d.action, "s")
                    .as_object()
                    .is_some_and(|o| !o.is_empty()),
            };
            assert!(sent, "{}: no sample request", d.action);
        }
    }

    #[test]
    fn sample_requests_agree_with_the_docs_table() {
        let sample = fixture(REQUESTS);
        for d in served_actions() {
            let request = &sample["requests"][d.action];
            assert_eq!(
                request["method"].as_str(),
                Some(d.method.as_str()),
                "{}",
                d.action
            );
            assert_eq!(
                request["sequence"].as_bool(),
                Some(d.has_sequence()),
                "{}",
                d.action
            );
            let names: Vec<String> = sample_params(d.action, "s")
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            for n in &names {
                assert!(
                    d.param(n).is_some(),
                    "{}: the sample sends {n}, which the docs table lacks",
                    d.action
                );
            }
            let body = sample_body(d.action, "s");
            for n in body.as_object().into_iter().flat_map(|o| o.keys()) {
                assert!(
                    d.param(n).is_some_and(|p| p.at == Where::Body),
                    "{}: the sample body sends {n}, which the docs table lacks",
                    d.action
                );
            }
            for p in d
                .params
                .iter()
                .filter(|p| p.required && p.kind != Kind::Sequence)
            {
                let sent = match p.at {
                    Where::Query => names.iter().any(|n| n == p.name),
                    Where::Body => body_field(&body, p.name).is_some(),
                };
                assert!(
                    sent,
                    "{}: the sample lacks the required {}",
                    d.action, p.name
                );
            }
        }
    }

    #[test]
    fn body_paths_read_and_write_nested_fields() {
        let mut body = serde_json::json!({"A": [{"B": 1}, {"B": 2}], "C": {"D": "x"}});
        assert_eq!(body_field(&body, "A.1.B"), Some(&serde_json::json!(2)));
        assert_eq!(body_field(&body, "C.D"), Some(&serde_json::json!("x")));
        assert_eq!(body_field(&body, "A.2.B"), None);
        assert!(set_body_field(
            &mut body,
            "A.0.B",
            Some(serde_json::json!("s"))
        ));
        assert!(set_body_field(&mut body, "C.D", None));
        assert!(set_body_field(&mut body, "E", Some(serde_json::json!(5))));
        assert!(!set_body_field(
            &mut body,
            "F.G",
            Some(serde_json::json!(5))
        ));
        assert_eq!(
            body,
            serde_json::json!({"A": [{"B": "s"}, {"B": 2}], "C": {}, "E": 5})
        );
    }

    #[test]
    fn a_family_is_served_only_when_its_switch_says_so() {
        assert_eq!(served(Family::StreamMixing), MIXING_FAMILY_SERVED);
        assert_eq!(
            catalogue().iter().any(|c| c.id.starts_with("StartMix.")),
            MIXING_FAMILY_SERVED
        );
        assert!(served(Family::MediaService));
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
        for d in served_actions() {
            assert!(
                cases
                    .iter()
                    .any(|c| c.id == format!("{}.rate-limit.production", d.action)),
                "{}",
                d.action
            );
            assert_eq!(
                cases
                    .iter()
                    .any(|c| c.id == format!("{}.rate-limit.shared-across-envs", d.action)),
                d.rate_limit.shared_across_envs,
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
