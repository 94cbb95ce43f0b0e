//! The one ordered pipeline every API request goes through, readable top to bottom in
//! [`Engine::handle`] and `run`:
//!
//! 1. path (`/` or empty);
//! 2. action (`Action=`);
//! 3. method (the action's documented one);
//! 4. gateway (common parameters, app, timestamp, signature, environment);
//! 5. legacy-code remap (the action's own codes for signature and timestamp failures, when on);
//! 6. faults;
//! 7. app quota;
//! 8. parameters (`IsTest`, the JSON body, then the declared parameters in order);
//! 9. room quota;
//! 10. Sequence order;
//! 11. execute;
//! 12. envelope.
//!
//! The first failure answers. Everything a step needs about an action comes from its
//! [`ActionSpec`]; nothing here names an action.

use crate::actions::{Action, Ctx, Reply};
use crate::clock::Clock;
use crate::codes::gateway as gw;
use crate::control::{cap_query_counted, code_family, FaultKind, Record, JOURNAL_BODY_LIMIT};
use crate::engine::{lock, Engine};
use crate::gateway::{self, IsTest};
use crate::query::Params;
use crate::refusal::{Check, Refusal};
use crate::request::{Answer, Incoming, MOCK_HTTP_ERROR_CODE};
use crate::spec::{self, quota_key, ActionSpec, Args, Scope, SequenceRule};
use crate::state::sequence::{Held, Key, LastSequence, SequenceBook};
use crate::state::World;
use crate::Env;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::atomic::Ordering;

/// What the pipeline learned about a request besides its answer, for the journal.
#[derive(Default)]
struct Seen {
    app_id: Option<u32>,
    env: Option<Env>,
    fault: Option<u64>,
    delay_millis: u64,
    drop_connection: bool,
    /// The events the request emitted, for the callback dispatcher.
    outbox: Option<crate::callbacks::deliver::Batch>,
}

impl Engine {
    /// Answers one request, and records it in the journal and the coverage counts.
    ///
    /// ```
    /// let engine = zego_mock::MockServer::builder().build_engine();
    /// let answer = engine.handle(zego_mock::Incoming::get(b"Action=NoSuchAction"));
    /// assert_eq!(answer.code, 100000007);
    /// ```
    pub fn handle(&self, req: Incoming<'_>) -> Answer {
        let request_id = self.request_id();
        // One reading of the clock serves the whole request: the gateway's skew check, the
        // state's time and the journal's.
        let at_millis = self.clock.now_millis();
        let mut params = Params::default();
        match req.query_text() {
            Some(text) => params.read_text(text),
            None => params.read_bytes(req.query()),
        }
        let mut seen = Seen::default();
        let mut answer = self.answer(req, &params, request_id, at_millis, &mut seen);
        answer.delay_millis = seen.delay_millis;
        answer.drop_connection = seen.drop_connection;
        if let Some(batch) = seen.outbox.take() {
            self.callbacks.submit(batch);
        }
        let (app_id, env) = (seen.app_id, seen.env);
        // The record is built (and its query cut) before the lock every request takes; the
        // query is copied under it, into the buffer of the record that leaves the journal.
        let record = self
            .journal_enabled
            .then(|| record(req, &params, &answer, request_id, seen, at_millis));
        {
            let mut observed = lock(&self.observed);
            observed.coverage.record(answer.action, answer.code);
            if let Some((record, kept)) = record {
                observed
                    .journal
                    .push_with_query(record, &req.query()[..kept], req.host());
            }
        }
        self.count_for_expectations(answer.action, answer.code);
        crate::log::request(&answer, app_id, env, request_id);
        answer
    }

    fn answer(
        &self,
        req: Incoming<'_>,
        params: &Params,
        request_id: u64,
        now_millis: i64,
        seen: &mut Seen,
    ) -> Answer {
        // 1. Path.
        if !(req.path().is_empty() || req.path() == "/") {
            let message = format!(
                "no such path {:?}: the ZEGO Server API is served at / with ?Action=...",
                req.path()
            );
            return Answer::http_error(404, None, request_id, &message);
        }
        seen.app_id = params.get("AppId").and_then(journal_app_id);
        // 2. Action.
        let action = match action(params) {
            Ok(a) => a,
            Err(refusal) => return Answer::refused(None, refusal, request_id),
        };
        // 3. Method.
        let spec = action.spec();
        let expected = spec.method.as_str();
        if req.method() != expected {
            let message = format!(
                "{action} is documented as {expected}; this request used {}",
                req.method()
            );
            return Answer::http_error(405, Some(action), request_id, &message);
        }
        match self.run(action, req, params, now_millis, seen) {
            // 12. Envelope.
            Ok(reply) => {
                let message = if reply.code == 0 {
                    spec.success_message
                } else {
                    crate::codes::describe(spec.family, reply.code)
                };
                Answer::api(Some(action), reply.code, message, request_id, &reply.data)
            }
            Err(refusal) => Answer::refused(Some(action), refusal, request_id),
        }
    }

    fn run(
        &self,
        action: Action,
        req: Incoming<'_>,
        params: &Params,
        now_millis: i64,
        seen: &mut Seen,
    ) -> Result<Reply, Refusal> {
        let spec = action.spec();
        let options = self.options();
        // 4. Gateway, and 5. the legacy-code remap.
        // The app is read under the apps' read lock (no count of the app's references taken
        // and given back): the gateway's work is short and the same for every request.
        let admitted = self
            .with_apps(|apps| {
                gateway::admit(
                    params,
                    |id| apps.get(&id).map(|app| &**app),
                    now_millis.div_euclid(1000),
                    self.reveal_signatures(),
                )
            })
            .map_err(|r| legacy_remap(spec, r, options.legacy_codes))?;
        let (app_id, env) = (admitted.app_id, admitted.env());
        seen.env = Some(env);
        // 6. Faults.
        if self.any_fault.load(Ordering::SeqCst) {
            self.inject(action, app_id, seen)?;
        }
        // 8 (prepared outside the lock; its failures are answered after the app quota and the
        // feature check).
        let test_ok = is_test(spec, &admitted.is_test);
        let body = parse_body(spec, req.body());
        let mut args = Args::new(spec.params);
        let checked = body
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|body| spec::check_into(&mut args, spec, params, body.as_ref(), app_id, env));
        let callbacks = self.callbacks.is_active(app_id);
        let now_secs = now_millis.div_euclid(1000);
        let mut world = lock(&self.world);
        // 7. App quota.
        if options.rate_limits {
            quotas(&mut world, action, app_id, env, None, now_secs)?;
        }
        // 8. Parameters: IsTest, then the feature the action needs, then the rest.
        test_ok?;
        let features = world.features.get(&app_id).copied().unwrap_or_default();
        if let Some((feature, code)) = spec.feature {
            if !features.has(feature) {
                return Err(Refusal::new(
                    code,
                    spec.family,
                    Check::Business,
                    format!("{action} needs the app's {feature:?} feature, which is off (PUT /_mock/apps/{app_id}/features)"),
                ));
            }
        }
        checked?;
        // 9. Room quota.
        if options.rate_limits {
            quotas(&mut world, action, app_id, env, Some(&args), now_secs)?;
        }
        let World {
            envs, sequences, ..
        } = &mut *world;
        // 10. Sequence order.
        let sequenced = match spec.sequence {
            Some(rule) => sequence(sequences, rule, spec, &args, app_id, env, now_millis)?,
            None => None,
        };
        // 11. Execute. A request that reaches execution advances the Sequence order, whatever
        // its business answer; a refusal here does not.
        let state = envs.entry((app_id, env)).or_default();
        // Tasks that ended by themselves on the mock's clock (idle mixes, idle censor tasks,
        // recordings and media tasks due) end before anything reads or changes the state.
        crate::actions::tick(state, app_id, now_millis);
        let reply = action.execute(&mut Ctx {
            action,
            app_id,
            env,
            now_millis,
            args: &args,
            state,
            features,
            body: body.as_ref().ok().and_then(Option::as_ref),
            query: params,
            subject_hash: sequenced
                .as_ref()
                .and_then(|(_, _, single)| single.as_ref())
                .map(|(key, subject, _)| (*subject, key.hash64())),
        });
        // What the action changed (a stream closed, a recording started) takes effect now.
        crate::actions::tick(state, app_id, now_millis);
        // Its events leave for the callback dispatcher once the lock is released.
        seen.outbox = self.callbacks.drain(state, app_id, env, callbacks);
        let reply = reply?;
        if let Some((rule, n, single)) = sequenced {
            match single {
                Some((_, _, held)) => held.accept(),
                None => {
                    for subject in args.each(rule.subject) {
                        sequences.accept(app_id, env, subject, n, now_millis);
                    }
                }
            }
        }
        Ok(reply)
    }

    /// Applies the installed faults that fire: a latency delays the answer (carried out by the
    /// server); a code answers at once; a drop closes the connection. A latency combines with a
    /// code or a drop.
    fn inject(&self, action: Action, app_id: u32, seen: &mut Seen) -> Result<(), Refusal> {
        let fired = lock(&self.faults).fire(app_id, action);
        if let Some((id, ms)) = fired.latency {
            seen.fault = Some(id);
            seen.delay_millis = ms;
        }
        let Some((id, kind)) = fired.outcome else {
            return Ok(());
        };
        seen.fault = Some(id);
        let family = action.spec().family;
        match kind {
            FaultKind::Code(code) => Err(Refusal::new(
                code,
                code_family(action, code).unwrap_or(family),
                Check::Fault,
                format!("answered {code} by injected fault #{id}"),
            )),
            // Only an outcome is here: latencies are taken apart above.
            FaultKind::LatencyMillis(_) => Ok(()),
            FaultKind::Drop => {
                seen.drop_connection = true;
                Err(Refusal::new(
                    MOCK_HTTP_ERROR_CODE,
                    family,
                    Check::Fault,
                    format!("connection dropped by injected fault #{id}"),
                ))
            }
        }
    }
}

/// The AppId the journal records: any that reads as a u32 as `str::parse` reads one (a leading
/// `+` allowed); the gateway accepts only one written in digits.
fn journal_app_id(raw: &str) -> Option<u32> {
    let n = gateway::decimal_u64(raw.strip_prefix('+').unwrap_or(raw))?;
    u32::try_from(n).ok()
}

/// Step 2: the `Action` parameter.
fn action(params: &Params) -> Result<Action, Refusal> {
    let name = params.non_empty("Action").ok_or_else(|| {
        Refusal::gateway(
            gw::ACTION_EMPTY,
            Check::Action,
            "the Action query parameter is missing or empty".into(),
        )
    })?;
    Action::from_wire(name).ok_or_else(|| {
        let hint = match Action::nearest(name) {
            Some(a) => format!("; did you mean {:?}?", a.wire_name()),
            None => "; see the README for the list".into(),
        };
        Refusal::gateway(
            gw::ACTION_UNSUPPORTED,
            Check::Action,
            format!(
                "Action {:?} is not an action ZEGO documents (names are case-sensitive){hint}",
                crate::spec::truncate(name, 64)
            ),
        )
    })
}

/// Step 5: with legacy codes on, a signature mismatch or an expired timestamp answers the
/// action's own code where its page documents one.
fn legacy_remap(spec: &ActionSpec, refusal: Refusal, on: bool) -> Refusal {
    let own = match (refusal.check, refusal.code) {
        (Check::Signature, gw::SIGNATURE_ERROR) => spec.legacy.auth,
        (Check::Timestamp, gw::SIGNATURE_EXPIRED) => spec.legacy.timestamp,
        _ => None,
    };
    match own.filter(|_| on) {
        Some(code) => Refusal::new(code, spec.family, refusal.check, refusal.reason),
        None => refusal,
    }
}

/// Steps 7 and 9: the action's quotas scoped to the app (`args` is `None`) or to a room.
fn quotas(
    world: &mut World,
    action: Action,
    app_id: u32,
    env: Env,
    args: Option<&Args<'_>>,
    now_secs: i64,
) -> Result<(), Refusal> {
    let spec = action.spec();
    for (i, q) in spec.quotas.iter().enumerate() {
        let room = match (q.scope, args) {
            (Scope::Room(param), Some(args)) => Some(args.str(param).unwrap_or_default()),
            (Scope::Room(_), None) | (Scope::AppEnv | Scope::App, Some(_)) => continue,
            (Scope::AppEnv | Scope::App, None) => None,
        };
        let key = quota_key(action, i, q, app_id, env, room);
        let limit = q.limit(env);
        world
            .limiter
            .check(key, q.window_secs, limit, now_secs)
            .map_err(|count| {
                let window = now_secs - now_secs.rem_euclid(i64::from(q.window_secs.max(1)));
                let room = room.map(|r| format!(" (room {r:?})")).unwrap_or_default();
                Refusal::new(
                    q.code,
                    spec.family,
                    Check::RateLimit,
                    format!(
                        "{action} allows {}; {count} were already accepted{room} in the window starting at {window}",
                        q.describe(env)
                    ),
                )
            })?;
    }
    Ok(())
}

/// Step 8, first: `IsTest` present but neither `true` nor `false`.
fn is_test(spec: &ActionSpec, is_test: &IsTest) -> Result<(), Refusal> {
    match is_test {
        IsTest::Invalid(v) => Err(Refusal::new(
            spec.parameter_code,
            spec.family,
            Check::Parameter,
            format!("IsTest {v:?} is neither true nor false"),
        )),
        IsTest::Absent | IsTest::Valid(_) => Ok(()),
    }
}

/// Step 8, second: the JSON body of an action with body parameters must be a JSON object.
fn parse_body(spec: &ActionSpec, body: &[u8]) -> Result<Option<Value>, Refusal> {
    if !spec.has_body() {
        return Ok(None);
    }
    let refuse = |what: String| {
        Refusal::new(
            spec.parameter_code,
            spec.family,
            Check::Parameter,
            format!("{} takes its parameters as a JSON object in the body (Content-Type: application/json); {what}", spec.name),
        )
    };
    if body.is_empty() {
        return Err(refuse("the body is empty".into()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(Some(v)),
        Ok(other) => Err(refuse(format!("the body is a JSON {}", json_type(&other)))),
        Err(e) => Err(refuse(format!("the body is not JSON ({e})"))),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Step 10: every subject's Sequence must be greater than the last one accepted less than 10 s
/// ago. Returns the rule and the Sequence to record once the action has run (`None` when an
/// optional Sequence was left out: nothing to order).
fn sequence<'a, 'b>(
    sequences: &'b mut SequenceBook,
    rule: SequenceRule,
    spec: &ActionSpec,
    args: &Args<'a>,
    app_id: u32,
    env: Env,
    now_millis: i64,
) -> Result<Option<Sequenced<'a, 'b>>, Refusal> {
    let Some(n) = args.u64(rule.param) else {
        return Ok(None);
    };
    let refuse = |subject: &str, last: LastSequence| {
        Refusal::new(
            rule.code,
            spec.family,
            Check::Sequence,
            format!(
                "Sequence {n} for {} {subject:?} is not greater than {}, accepted {} ms ago; within 10 s of it a {}'s Sequence must strictly increase",
                rule.subject,
                last.sequence,
                now_millis.saturating_sub(last.at_millis),
                rule.subject,
            ),
        )
    };
    let mut subjects = args.each(rule.subject);
    if let (Some(subject), None) = (subjects.next(), subjects.next()) {
        // The only subject (the usual case): its check keeps the place its Sequence goes.
        let key = sequences.key(subject);
        return match sequences.check_and_hold(app_id, env, key, n, now_millis) {
            Ok(held) => Ok(Some((rule, n, Some((key, subject, held))))),
            Err(last) => Err(refuse(subject, last)),
        };
    }
    for subject in args.each(rule.subject) {
        let key = sequences.key(subject);
        if let Err(last) = sequences.check_key(app_id, env, key, n, now_millis) {
            return Err(refuse(subject, last));
        }
    }
    Ok(Some((rule, n, None)))
}

/// What [`sequence`] found to record once the action has run: the rule, the Sequence, and the
/// only subject with its key and the place its Sequence goes (`None` when there were several).
type Sequenced<'a, 'b> = (SequenceRule, u64, Option<(Key, &'a str, Held<'b>)>);

/// The journal's record of a request (its query left to the journal), and how much of the
/// query it keeps.
fn record(
    req: Incoming<'_>,
    params: &Params,
    answer: &Answer,
    request_id: u64,
    seen: Seen,
    at_millis: i64,
) -> (Record, usize) {
    let method = match req.method() {
        "GET" => Cow::Borrowed("GET"),
        "POST" => Cow::Borrowed("POST"),
        other => Cow::Owned(other.to_string()),
    };
    let path = match req.path() {
        "/" => Cow::Borrowed("/"),
        "" => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    };
    let http_message = (answer.status != 200).then(|| {
        serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .and_then(|v| v["Message"].as_str().map(Into::into))
            .unwrap_or_default()
    });
    let body = req.body();
    let (kept, params_left_out) = cap_query_counted(req.query(), params.ampersands());
    let record = Record {
        at_millis,
        method,
        path,
        // Set by the journal, which keeps the host of the record that leaves when it is the same.
        host: None,
        query: Vec::new(),
        params_left_out,
        body: body[..body.len().min(JOURNAL_BODY_LIMIT)].into(),
        body_len: body.len(),
        action: answer.action,
        app_id: seen.app_id,
        env: seen.env,
        status: answer.status,
        code: answer.code,
        request_id,
        refusal: answer.refusal.clone(),
        http_message,
        fault: seen.fault,
        dropped: seen.drop_connection,
    };
    (record, kept)
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn the_journal_reads_an_app_id_as_str_parse_does(s in "[-+0-9a]{0,12}") {
            proptest::prop_assert_eq!(super::journal_app_id(&s), s.parse::<u32>().ok());
        }
    }
}
