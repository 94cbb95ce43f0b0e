//! The control API: the same control plane as the `MockServer` methods, as JSON over HTTP under
//! [`PREFIX`]. `GET /_mock` lists the endpoints; the README documents each with curl examples.
//!
//! Answers are `200` with a JSON body on success, `400` with `{"error": "..."}` for a bad
//! request, `404` for an unknown endpoint or id, `405` for a known path with another method.

use crate::actions::media_file::{FailTaskError, MediaConfig, SeedFile, TaskFailure};
use crate::actions::moderation::{CensorControlError, CensorResult};
use crate::actions::room::{ClientRefusal, LogoutReason, UserSpec};
use crate::callbacks::config::CallbackConfig;
use crate::callbacks::deliver::{DeliveryFilter, DeliveryState};
use crate::config::{AppConfig, Env};
use crate::control::{FaultSpec, JournalFilter};
use crate::engine::{Engine, Options};
use crate::query::Params;
use crate::state::{EnvState, Features};
use crate::utc;
use crate::Clock;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

/// The path prefix of the control API. ZEGO's API lives at `/`, so nothing collides.
pub const PREFIX: &str = "/_mock";

/// The endpoints, as `GET /_mock` lists them.
pub const ENDPOINTS: &[(&str, &str, &str)] = &[
    ("GET", "/_mock/journal?action=&app_id=&code=&host=&since=&limit=", "requests in order, with the host each was sent to and the reason for each refusal; host=NAME only those sent to it; since=SEQ lists only later ones, limit=N at most N (the first N after since, else the latest N)"),
    ("DELETE", "/_mock/journal", "empty the journal"),
    ("GET", "/_mock/faults", "installed faults"),
    ("POST", "/_mock/faults", "install a fault: {\"kind\":{\"code\":30003}|{\"latency_millis\":500}|\"drop\", \"when\":\"always\"|{\"next\":2}|{\"probability\":{\"p\":0.5,\"seed\":7}}, \"app_id\"?, \"action\"?}"),
    ("DELETE", "/_mock/faults/{id}", "remove one fault"),
    ("DELETE", "/_mock/faults", "remove every fault"),
    ("GET", "/_mock/clock", "the mock's time, whether frozen, and its offset from the base clock"),
    ("POST", "/_mock/clock/freeze", "freeze now, or at {\"at_secs\":N} / {\"at_millis\":N}"),
    ("POST", "/_mock/clock/advance", "move by {\"secs\":N} / {\"millis\":N} (negative moves back)"),
    ("POST", "/_mock/clock/offset", "unfreeze and run at real time plus {\"millis\":N}"),
    ("POST", "/_mock/clock/resume", "unfreeze (the offset stays)"),
    ("GET", "/_mock/apps", "the apps served (no secrets)"),
    ("POST", "/_mock/apps", "add or replace an app: {\"app_id\":N, \"secret\":\"...\", \"production\"?:true, \"test\"?:true}"),
    ("DELETE", "/_mock/apps/{app_id}", "stop serving an app (its state stays until reset)"),
    ("GET", "/_mock/apps/{app_id}/state?env=production|test", "relay rules, CDN bans, forbidden RTC streams, streams"),
    ("PUT", "/_mock/apps/{app_id}/state?env=production|test", "seed (replace) an app's state in one environment"),
    ("DELETE", "/_mock/apps/{app_id}/state", "reset one app: state, Sequence order, rate-limit counts"),
    ("DELETE", "/_mock/state", "reset every app, the journal and the coverage counts"),
    ("POST", "/_mock/apps/{app_id}/streams/{stream_id}/publish?env=", "a simulated publisher starts a stream"),
    ("POST", "/_mock/apps/{app_id}/streams/{stream_id}/stop?env=", "a simulated publisher stops a stream"),
    ("POST", "/_mock/apps/{app_id}/rooms/{room_id}/users?env=", "a simulated user logs in: {\"user_id\":\"u1\", \"user_name\"?:\"\", \"role\"?:2, \"ip\"?:null}; 409 when refused"),
    ("DELETE", "/_mock/apps/{app_id}/rooms/{room_id}/users/{user_id}?env=&reason=normal|heartbeat|offline|token_expired", "a simulated user leaves"),
    ("POST", "/_mock/apps/{app_id}/rooms/{room_id}/users/{user_id}/streams/{stream_id}?env=", "the user publishes in the room: {\"title\"?, \"extra_info\"?}"),
    ("DELETE", "/_mock/apps/{app_id}/rooms/{room_id}/users/{user_id}/streams/{stream_id}?env=", "the user stops publishing"),
    ("GET", "/_mock/apps/{app_id}/rooms?env=", "rooms with users, streams (source, ban flags), session ids, counters"),
    ("GET", "/_mock/apps/{app_id}/rooms/{room_id}?env=", "one room"),
    ("GET", "/_mock/apps/{app_id}/messages?env=&room=&kind=broadcast|barrage|custom", "messages rooms received"),
    ("DELETE", "/_mock/apps/{app_id}/messages?env=", "forget them"),
    ("GET", "/_mock/apps/{app_id}/events?env=&event=", "the callbacks the real service would send (room_create, room_login, ...)"),
    ("DELETE", "/_mock/apps/{app_id}/events?env=", "forget them"),
    ("GET", "/_mock/apps/{app_id}/mix-tasks?env=", "StartMix and StartAutoMix tasks, running and ended"),
    ("GET", "/_mock/apps/{app_id}/transcode-tasks?env=", "StartCloudTranscode tasks, running and ended"),
    ("POST", "/_mock/apps/{app_id}/transcode-tasks/{task_id}/fail?env=", "a running transcode task fails now (transcode_stop with StopReason 1)"),
    ("GET", "/_mock/apps/{app_id}/media-config?env=", "the app's media configuration: CDN vendor, recording formats and interval, task timing, ..."),
    ("PUT", "/_mock/apps/{app_id}/media-config?env=", "{\"cdn_vendor\"?:\"Tencent\"|\"Ws\"|\"Huawei\"|\"Aliyun\"|null, \"record_formats\"?:[\"mp4\"], \"record_interval_secs\"?:7200, \"record_all_streams\"?, \"cdn_app_name\"?, \"vod_domain\"?, \"vod_sub_app_id\"?, \"media_task_timing\"?:{\"queue_secs\",\"process_secs\"}, \"snapshot_templates\"?:{\"10\":10}, \"delete_media_data_as_string\"?}"),
    ("GET", "/_mock/apps/{app_id}/recordings?env=", "CDN recordings by StreamId, active and stopped, with their open segments"),
    ("GET", "/_mock/apps/{app_id}/media-files?env=", "media files, deleted ones included"),
    ("POST", "/_mock/apps/{app_id}/media-files?env=", "seed a file: {\"stream_id\", \"vendor\"?, \"id\"?, \"format\"?:\"mp4\", \"duration\"?:60, \"create_time\"?:unix_secs}"),
    ("GET", "/_mock/apps/{app_id}/media-tasks?env=", "merge, transcode and thumbnail tasks with their status now"),
    ("POST", "/_mock/apps/{app_id}/media-tasks/{task_id}/fail?env=", "make a task fail now: {\"code\"?:\"70000\", \"message\"?}"),
    ("GET", "/_mock/apps/{app_id}/features", "the app's features"),
    ("PUT", "/_mock/apps/{app_id}/features", "{\"forbid_rules\"?, \"stream_mixing\"?, \"mix_task_ownership\"?, \"mix_sequence_control\"?, \"auto_create_room\"?, \"cdn_record\"?, \"shumei_moderation\"?, \"censor_admin_user\"?, \"scene_service\"?}"),
    ("GET", "/_mock/apps/{app_id}/censor-tasks?env=", "StartCensorAudioV2 and StartCensorVideoV2 tasks, running and ended"),
    ("POST", "/_mock/apps/{app_id}/censor-tasks/{task_id}/results?env=", "inject a moderation result: {\"kind\":\"audio\"|\"img\", \"detail\"?:{...}, \"aux\"?:{\"UserId\"|\"StreamId\":...}}"),
    ("POST", "/_mock/apps/{app_id}/censor-tasks/{task_id}/end?env=", "end a running censor task now, as idle"),
    ("GET", "/_mock/apps/{app_id}/identify-tokens?env=", "GenerateIdentifyToken's tokens"),
    ("POST", "/_mock/apps/{app_id}/identify-tokens/{token}/consume?env=", "use a token as a moderation vendor would: {\"valid\", \"reason\": unknown|expired|used|null}"),
    ("GET", "/_mock/apps/{app_id}/scene-templates?env=", "SetSceneTemplate's templates"),
    ("GET", "/_mock/apps/{app_id}/callbacks", "the app's server-callback configuration, secret included"),
    ("PUT", "/_mock/apps/{app_id}/callbacks", "{\"secret\"?, \"urls\"?:{\"room\"|\"room_user\"|\"stream\"|\"record\"|\"mix\"|\"transcode\"|\"media_task\"|\"censor_result\"|\"censor_status\": \"http://...\"|null}, \"format\"?:\"json\"|\"form\", \"timeout_ms\"?:5000, \"retry_delays_s\"?:[2,4,8,16,32], \"enabled\"?:true, \"nonce_seed\"?, \"journal_capacity\"?:1000}; fields left out keep their value"),
    ("GET", "/_mock/apps/{app_id}/callbacks/deliveries?event=&state=&env=", "callback deliveries with their body, signature input and attempts"),
    ("DELETE", "/_mock/apps/{app_id}/callbacks/deliveries", "forget them (pending ones are never sent)"),
    ("POST", "/_mock/apps/{app_id}/callbacks/flush?timeout_ms=5000", "wait until nothing is due on the mock's clock or in flight: {\"settled\", \"pending\"}"),
    ("GET", "/_mock/health", "{\"status\":\"ok\", \"version\", \"uptime_secs\"}: for a CI service to wait on (served even with --no-admin)"),
    ("GET", "/_mock/expectations", "expectations with their count so far"),
    ("POST", "/_mock/expectations", "expect calls: {\"action\":\"CreatCDNTransferRule\", \"code\"?:0, and one of \"times\", \"at_least\", \"at_most\"}; counted from now"),
    ("GET", "/_mock/expectations/verify", "200 when every expectation holds, 409 with the unmet ones"),
    ("DELETE", "/_mock/expectations", "forget every expectation"),
    ("GET", "/_mock/coverage", "which actions and codes were exercised"),
    ("GET", "/_mock/options", "legacy codes and rate limits"),
    ("PUT", "/_mock/options", "{\"legacy_codes\"?:bool, \"rate_limits\"?:bool}"),
];

/// An answer of the control API.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body (`null` when `raw` holds it).
    pub body: Value,
    /// The JSON body already serialized, for answers that can be large (the journal, an app's
    /// state): built without a tree of the whole answer.
    pub raw: Option<Vec<u8>>,
}

impl AdminAnswer {
    /// The body as bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        match self.raw {
            Some(bytes) => bytes,
            None => self.body.to_string().into_bytes(),
        }
    }
}

fn ok(body: Value) -> AdminAnswer {
    AdminAnswer {
        status: 200,
        body,
        raw: None,
    }
}

/// A 200 answer whose body is already serialized.
fn ok_raw(bytes: Vec<u8>) -> AdminAnswer {
    AdminAnswer {
        status: 200,
        body: Value::Null,
        raw: Some(bytes),
    }
}

/// The latest time the control plane may set the clock to: 9999-12-31T23:59:59.999Z.
pub const MAX_CLOCK_MILLIS: i64 = 253_402_300_799_999;

/// A time the control plane may set the clock to (1970-01-01 to 9999-12-31, where a Unix
/// timestamp a client sends can be), or HTTP 400 saying why not.
fn clock_in_range(millis: Option<i64>) -> Result<i64, AdminAnswer> {
    match millis {
        Some(ms) if (0..=MAX_CLOCK_MILLIS).contains(&ms) => Ok(ms),
        _ => Err(error(
            400,
            format!(
                "the clock would read {}: the control plane keeps it from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (0 to {MAX_CLOCK_MILLIS} ms), where a request's Timestamp can be",
                millis.map_or_else(
                    || "beyond any representable time".to_string(),
                    |ms| format!("{ms} ms")
                )
            ),
        )),
    }
}

fn error(status: u16, message: impl Into<String>) -> AdminAnswer {
    AdminAnswer {
        status,
        body: json!({ "error": message.into() }),
        raw: None,
    }
}

fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, AdminAnswer> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| error(400, format!("invalid JSON body: {e}")))
}

fn env_param(params: &Params) -> Result<Option<Env>, AdminAnswer> {
    match params.non_empty("env") {
        None => Ok(None),
        Some("production") => Ok(Some(Env::Production)),
        Some("test") => Ok(Some(Env::Test)),
        Some(other) => Err(error(
            400,
            format!("env {other:?}: expected production or test"),
        )),
    }
}

fn app_id(raw: &str) -> Result<u32, AdminAnswer> {
    raw.parse().map_err(|_| {
        error(
            400,
            format!("AppId {raw:?} is not an unsigned 32-bit number"),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewApp {
    app_id: u32,
    secret: String,
    #[serde(default = "yes")]
    production: bool,
    #[serde(default = "yes")]
    test: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct At {
    at_secs: Option<i64>,
    at_millis: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct By {
    secs: Option<i64>,
    millis: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Offset {
    millis: i64,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct OptionsPatch {
    legacy_codes: Option<bool>,
    rate_limits: Option<bool>,
}

fn clock_json(engine: &Engine) -> Value {
    let c = engine.clock();
    let now = c.now_millis();
    json!({
        "now_millis": now,
        "now_secs": now.div_euclid(1000),
        "utc": utc::format(now.div_euclid(1000)),
        "frozen": c.is_frozen(),
        "offset_millis": c.offset_millis(),
    })
}

fn options_json(o: Options) -> Value {
    json!({ "legacy_codes": o.legacy_codes, "rate_limits": o.rate_limits, "reveal_signatures": o.reveal_signatures })
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Decodes `%XX` escapes of a path segment (`+` stays a plus); invalid escapes stay as written.
fn percent_decode(segment: &str) -> String {
    if !segment.contains('%') {
        return segment.to_string();
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Publish {
    #[serde(default)]
    title: String,
    #[serde(default)]
    extra_info: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FailBody {
    code: Option<String>,
    message: Option<String>,
}

fn refused(e: ClientRefusal) -> AdminAnswer {
    error(409, e.reason)
}

fn censor_refused(e: CensorControlError) -> AdminAnswer {
    match e {
        CensorControlError::NoSuchTask => error(404, e.to_string()),
        CensorControlError::Ended | CensorControlError::Invalid(_) => error(409, e.to_string()),
    }
}

fn logout_reason(params: &Params) -> Result<LogoutReason, AdminAnswer> {
    match params.non_empty("reason") {
        None | Some("normal") => Ok(LogoutReason::Normal),
        Some("heartbeat") => Ok(LogoutReason::Heartbeat),
        Some("offline") => Ok(LogoutReason::Offline),
        Some("token_expired") => Ok(LogoutReason::TokenExpired),
        Some(other) => Err(error(
            400,
            format!("reason {other:?}: expected normal, heartbeat, offline or token_expired"),
        )),
    }
}

/// The longest a flush may wait, in milliseconds.
const MAX_FLUSH_MS: u64 = 60_000;

fn delivery_state(raw: &str) -> Result<DeliveryState, AdminAnswer> {
    use DeliveryState::*;
    [Pending, InFlight, Delivered, Lost, NoUrl, Cancelled, Dropped]
        .into_iter()
        .find(|s| s.as_str() == raw)
        .ok_or_else(|| {
            error(
                400,
                format!("state {raw:?}: expected pending, in_flight, delivered, lost, no_url, cancelled or dropped"),
            )
        })
}

/// Answers one control-API request, waiting where the endpoint waits (a callback flush).
pub async fn handle_async(
    engine: &Engine,
    method: &str,
    path: &str,
    query: &[u8],
    body: &[u8],
) -> AdminAnswer {
    let rest = path.strip_prefix(PREFIX).unwrap_or(path);
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let (["apps", id, "callbacks", "flush"], "POST") = (segments.as_slice(), method) {
        let id = match app_id(id) {
            Ok(id) => id,
            Err(e) => return e,
        };
        if let Some(answer) = unserved_app(engine, method, &segments) {
            return answer;
        }
        let params = Params::parse_bytes(query);
        let timeout_ms = match params.non_empty("timeout_ms").map(str::parse::<u64>) {
            None => 5000,
            Some(Ok(ms)) if ms <= MAX_FLUSH_MS => ms,
            Some(_) => {
                return error(
                    400,
                    format!("timeout_ms must be a number of milliseconds up to {MAX_FLUSH_MS}"),
                )
            }
        };
        let report = engine
            .flush_callbacks(id, std::time::Duration::from_millis(timeout_ms))
            .await;
        return ok(to_value(&report));
    }
    handle(engine, method, path, query, body)
}

/// Answers one control-API request. `path` starts with [`PREFIX`]. A callback flush answers
/// 400 here: it waits, so only [`handle_async`] serves it.
pub fn handle(engine: &Engine, method: &str, path: &str, query: &[u8], body: &[u8]) -> AdminAnswer {
    match route(engine, method, path, query, body) {
        Ok(a) | Err(a) => a,
    }
}

fn route(
    engine: &Engine,
    method: &str,
    path: &str,
    query: &[u8],
    body: &[u8],
) -> Result<AdminAnswer, AdminAnswer> {
    let params = Params::parse_bytes(query);
    let rest = path.strip_prefix(PREFIX).unwrap_or(path);
    // Room and user ids may need escaping in a path: each segment is percent-decoded.
    let decoded: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let known_path = |methods: &[&str]| {
        error(
            405,
            format!(
                "{method} is not allowed on {path}; use {}",
                methods.join(" or ")
            ),
        )
    };
    if let Some(answer) = extra_routes(engine, method, &segments, body) {
        return Ok(answer);
    }
    if let Some(answer) = unserved_app(engine, method, &segments) {
        return Err(answer);
    }
    Ok(match (segments.as_slice(), method) {
        ([], "GET") => ok(json!({
            "endpoints": ENDPOINTS
                .iter()
                .map(|(m, p, what)| json!({ "method": m, "path": p, "what": what }))
                .collect::<Vec<_>>()
        })),
        (["journal"], "GET") => {
            if let Some((name, _)) = params
                .pairs()
                .find(|(n, _)| !["action", "app_id", "code", "host", "since", "limit"].contains(n))
            {
                return Err(error(
                    400,
                    format!(
                        "unknown journal filter {name:?}: the filters are action, app_id, code, host, since and limit"
                    ),
                ));
            }
            let number = |name: &str| -> Result<Option<u64>, AdminAnswer> {
                params
                    .non_empty(name)
                    .map(|v| {
                        v.parse().map_err(|_| {
                            error(400, format!("{name} {v:?} is not an unsigned number"))
                        })
                    })
                    .transpose()
            };
            let since = number("since")?;
            let limit = number("limit")?.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
            let action = match params.non_empty("action") {
                None => None,
                Some(name) => Some(crate::actions::Action::from_wire(name).ok_or_else(|| {
                    let hint = crate::actions::Action::nearest(name)
                        .map(|a| format!("; did you mean {:?}?", a.wire_name()))
                        .unwrap_or_default();
                    error(
                        400,
                        format!("action {name:?} is not an action ZEGO documents{hint}"),
                    )
                })?),
            };
            let filter = JournalFilter {
                action,
                app_id: params.non_empty("app_id").map(app_id).transpose()?,
                code: match params.non_empty("code") {
                    None => None,
                    Some(c) => Some(
                        c.parse()
                            .map_err(|_| error(400, format!("code {c:?} is not a number")))?,
                    ),
                },
                host: params.non_empty("host").map(str::to_string),
                since,
                limit,
            };
            ok_raw(engine.journal_json(&filter))
        }
        (["journal"], "DELETE") => {
            engine.clear_journal();
            ok(json!({ "cleared": true }))
        }
        (["journal"], _) => known_path(&["GET", "DELETE"]),
        (["faults"], "GET") => ok(json!({ "faults": to_value(&engine.faults()) })),
        (["faults"], "POST") => {
            let spec: FaultSpec = parse_body(body)?;
            let id = engine.add_fault(spec).map_err(|e| error(400, e))?;
            ok(json!({ "id": id }))
        }
        (["faults"], "DELETE") => {
            engine.clear_faults();
            ok(json!({ "cleared": true }))
        }
        (["faults"], _) => known_path(&["GET", "POST", "DELETE"]),
        (["faults", id], "DELETE") => {
            let id: u64 = id
                .parse()
                .map_err(|_| error(400, format!("fault id {id:?} is not a number")))?;
            if !engine.remove_fault(id) {
                return Err(error(404, format!("no fault with id {id}")));
            }
            ok(json!({ "removed": id }))
        }
        (["clock"], "GET") => ok(clock_json(engine)),
        (["clock", "freeze"], "POST") => {
            let at: At = parse_body(body)?;
            match (at.at_millis, at.at_secs) {
                (Some(ms), None) => engine.clock().freeze_at_millis(clock_in_range(Some(ms))?),
                (None, Some(s)) => {
                    engine
                        .clock()
                        .freeze_at_millis(clock_in_range(s.checked_mul(1000))?);
                }
                (None, None) => engine.clock().freeze(),
                (Some(_), Some(_)) => {
                    return Err(error(400, "give at_secs or at_millis, not both"))
                }
            }
            ok(clock_json(engine))
        }
        (["clock", "advance"], "POST") => {
            let by: By = parse_body(body)?;
            let ms = match (by.millis, by.secs) {
                (Some(ms), None) => ms,
                (None, Some(s)) => s.saturating_mul(1000),
                _ => return Err(error(400, "give exactly one of secs or millis")),
            };
            clock_in_range(engine.clock().now_millis().checked_add(ms))?;
            engine.clock().advance_millis(ms);
            ok(clock_json(engine))
        }
        (["clock", "offset"], "POST") => {
            let o: Offset = parse_body(body)?;
            clock_in_range(engine.clock().base_millis().checked_add(o.millis))?;
            engine.clock().set_offset_millis(o.millis);
            ok(clock_json(engine))
        }
        (["clock", "resume"], "POST") => {
            engine.clock().resume();
            ok(clock_json(engine))
        }
        (["clock", ..], _) => known_path(&[
            "GET /_mock/clock",
            "POST /_mock/clock/{freeze,advance,offset,resume}",
        ]),
        (["apps"], "GET") => ok(json!({
            "apps": engine.apps().iter().map(|a| json!({
                "app_id": a.app_id, "production": a.production, "test": a.test,
            })).collect::<Vec<_>>()
        })),
        (["apps"], "POST") => {
            let new: NewApp = parse_body(body)?;
            if new.secret.is_empty() {
                return Err(error(400, "the secret is empty"));
            }
            if !new.production && !new.test {
                return Err(error(400, "an app needs at least one environment"));
            }
            let mut app = AppConfig::new(new.app_id, new.secret);
            app.production = new.production;
            app.test = new.test;
            engine.add_app(app);
            ok(json!({ "app_id": new.app_id }))
        }
        (["apps"], _) => known_path(&["GET", "POST"]),
        (["apps", id], "DELETE") => {
            let id = app_id(id)?;
            if !engine.remove_app(id) {
                return Err(error(404, format!("AppId {id} is not served")));
            }
            ok(json!({ "removed": id }))
        }
        (["apps", id, "state"], "GET") => {
            let id = app_id(id)?;
            match env_param(&params)? {
                Some(env) => ok_raw(engine.env_state_json(id, env)),
                None => {
                    let mut both = b"{\"production\":".to_vec();
                    both.extend(engine.env_state_json(id, Env::Production));
                    both.extend_from_slice(b",\"test\":");
                    both.extend(engine.env_state_json(id, Env::Test));
                    both.push(b'}');
                    ok_raw(both)
                }
            }
        }
        (["apps", id, "state"], "PUT") => {
            let id = app_id(id)?;
            let env = env_param(&params)?
                .ok_or_else(|| error(400, "name the environment: ?env=production or ?env=test"))?;
            let state: EnvState = parse_body(body)?;
            engine.seed_state(id, env, state);
            ok_raw(engine.env_state_json(id, env))
        }
        (["apps", id, "state"], "DELETE") => {
            let id = app_id(id)?;
            engine.reset_app(id);
            ok(json!({ "reset": id }))
        }
        (["apps", _, "state"], _) => known_path(&["GET", "PUT", "DELETE"]),
        (["state"], "DELETE") => {
            engine.reset_all();
            ok(json!({ "reset": "all" }))
        }
        (["apps", id, "streams", stream, verb @ ("publish" | "stop")], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            if *verb == "publish" {
                engine
                    .start_publishing(id, env, stream)
                    .map_err(|e| error(400, format!("cannot publish {stream:?}: {e}")))?;
                ok(json!({ "stream_id": stream, "live": true }))
            } else {
                let was_live = engine.stop_publishing(id, env, stream);
                ok(json!({ "stream_id": stream, "live": false, "was_live": was_live }))
            }
        }
        (["apps", id, "rooms"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "rooms": to_value(&engine.rooms(id, env)) }))
        }
        (["apps", id, "rooms", room], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            match engine.room(id, env, room) {
                Some(view) => ok(to_value(&view)),
                None => {
                    return Err(error(
                        404,
                        format!("room {room:?} does not exist (no user is in it)"),
                    ))
                }
            }
        }
        (["apps", id, "rooms", room, "users"], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let user: UserSpec = parse_body(body)?;
            let user_id = user.user_id.clone();
            engine.login(id, env, room, user).map_err(refused)?;
            ok(json!({ "room_id": room, "user_id": user_id, "logged_in": true }))
        }
        (["apps", id, "rooms", room, "users", user], "DELETE") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let reason = logout_reason(&params)?;
            engine
                .logout(id, env, room, user, reason)
                .map_err(refused)?;
            ok(json!({ "room_id": room, "user_id": user, "logged_in": false }))
        }
        (["apps", id, "rooms", room, "users", user, "streams", stream], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let p: Publish = parse_body(body)?;
            engine
                .publish_in_room(id, env, room, user, stream, &p.title, &p.extra_info)
                .map_err(refused)?;
            ok(json!({ "room_id": room, "user_id": user, "stream_id": stream, "live": true }))
        }
        (["apps", id, "rooms", room, "users", user, "streams", stream], "DELETE") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            engine
                .stop_in_room(id, env, room, user, stream)
                .map_err(refused)?;
            ok(json!({ "room_id": room, "user_id": user, "stream_id": stream, "live": false }))
        }
        (["apps", id, "messages"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let room = params.non_empty("room");
            let kind = params.non_empty("kind");
            let messages: Vec<_> = engine
                .messages(id, env)
                .into_iter()
                .filter(|m| room.is_none_or(|r| m.room_id == r) && kind.is_none_or(|k| m.kind == k))
                .collect();
            ok(json!({ "messages": to_value(&messages) }))
        }
        (["apps", id, "messages"], "DELETE") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            engine.clear_messages(id, env);
            ok(json!({ "cleared": true }))
        }
        (["apps", id, "events"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let event = params.non_empty("event");
            let events: Vec<_> = engine
                .events(id, env)
                .into_iter()
                .filter(|e| event.is_none_or(|name| e.event == name))
                .collect();
            ok(json!({ "events": to_value(&events) }))
        }
        (["apps", id, "events"], "DELETE") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            engine.clear_events(id, env);
            ok(json!({ "cleared": true }))
        }
        (["apps", id, "mix-tasks"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "mix_tasks": to_value(&engine.mix_tasks(id, env)) }))
        }
        (["apps", id, "transcode-tasks", task, "fail"], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            if !engine.fail_transcode_task(id, env, task) {
                return Err(error(404, format!("no running transcode task {task:?}")));
            }
            ok(json!({ "task_id": task, "running": false, "stop_reason": 1 }))
        }
        (["apps", id, "transcode-tasks"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "transcode_tasks": to_value(&engine.transcode_tasks(id, env)) }))
        }
        (["apps", id, "media-config"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(to_value(&engine.media_config(id, env)))
        }
        (["apps", id, "media-config"], "PUT") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            // Fields left out keep their current value (media_task_timing field by field).
            let mut current = to_value(&engine.media_config(id, env));
            let patch: Value = parse_body(body)?;
            let Value::Object(patch) = patch else {
                return Err(error(
                    400,
                    "the body must be a JSON object of media-config fields",
                ));
            };
            for (k, v) in patch {
                match (current.get_mut(&k), v) {
                    (Some(Value::Object(cur)), Value::Object(sub)) if k == "media_task_timing" => {
                        cur.extend(sub);
                    }
                    (_, v) => current[k] = v,
                }
            }
            let config: MediaConfig = serde_json::from_value(current)
                .map_err(|e| error(400, format!("invalid media config: {e}")))?;
            engine
                .set_media_config(id, env, config)
                .map_err(|e| error(400, format!("invalid media config: {e}")))?;
            ok(to_value(&engine.media_config(id, env)))
        }
        (["apps", _, "media-config"], _) => known_path(&["GET", "PUT"]),
        (["apps", id, "recordings"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "recordings": to_value(&engine.media(id, env).recordings) }))
        }
        (["apps", id, "media-files"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "media_files": to_value(&engine.media(id, env).files) }))
        }
        (["apps", id, "media-files"], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let seed: SeedFile = parse_body(body)?;
            let file = engine
                .seed_media_file(id, env, seed)
                .map_err(|e| error(400, format!("cannot seed the file: {e}")))?;
            ok(json!({ "media_file": to_value(&file) }))
        }
        (["apps", _, "media-files"], _) => known_path(&["GET", "POST"]),
        (["apps", id, "media-tasks"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "media_tasks": to_value(&engine.media(id, env).tasks) }))
        }
        (["apps", id, "media-tasks", task, "fail"], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let f: FailBody = parse_body(body)?;
            let failure = TaskFailure {
                code: f.code.unwrap_or_else(|| "70000".into()),
                message: f
                    .message
                    .unwrap_or_else(|| "Internal service error, retry is recommended.".into()),
            };
            match engine.fail_media_task(id, env, task, failure) {
                Ok(view) => ok(json!({ "media_task": to_value(&view) })),
                Err(e @ FailTaskError::Unknown(_)) => return Err(error(404, e.to_string())),
                Err(e @ FailTaskError::Ended(_)) => return Err(error(409, e.to_string())),
            }
        }
        (["apps", id, "features"], "GET") => ok(to_value(&engine.features(app_id(id)?))),
        (["apps", id, "features"], "PUT") => {
            let id = app_id(id)?;
            // Fields left out keep their current value.
            let mut current = to_value(&engine.features(id));
            let patch: Value = parse_body(body)?;
            let Value::Object(patch) = patch else {
                return Err(error(400, "the body must be a JSON object of features"));
            };
            for (k, v) in patch {
                current[k] = v;
            }
            let features: Features = serde_json::from_value(current)
                .map_err(|e| error(400, format!("invalid features: {e}")))?;
            engine.set_features(id, features);
            ok(to_value(&features))
        }
        (["apps", id, "censor-tasks"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "censor_tasks": to_value(&engine.censor_tasks(id, env)) }))
        }
        (["apps", id, "censor-tasks", task, "results"], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            let result: CensorResult = parse_body(body)?;
            let result_task_id = engine
                .inject_censor_result(id, env, task, result)
                .map_err(censor_refused)?;
            ok(json!({ "task_id": task, "result_task_id": result_task_id }))
        }
        (["apps", id, "censor-tasks", task, "end"], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            engine
                .end_censor_task(id, env, task)
                .map_err(censor_refused)?;
            ok(json!({ "task_id": task, "running": false }))
        }
        (["apps", id, "identify-tokens"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "identify_tokens": to_value(&engine.identify_tokens(id, env)) }))
        }
        (["apps", id, "identify-tokens", token, "consume"], "POST") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(to_value(&engine.consume_identify_token(id, env, token)))
        }
        (["apps", id, "scene-templates"], "GET") => {
            let id = app_id(id)?;
            let env = env_param(&params)?.unwrap_or(Env::Production);
            ok(json!({ "scene_templates": to_value(&engine.scene_templates(id, env)) }))
        }
        (["apps", id, "callbacks"], "GET") => ok(to_value(&engine.callbacks(app_id(id)?))),
        (["apps", id, "callbacks"], "PUT") => {
            let id = app_id(id)?;
            // Fields left out keep their value; `urls` is merged category by category (null
            // removes one).
            let mut current = to_value(&engine.callbacks(id));
            let patch: Value = parse_body(body)?;
            let Value::Object(patch) = patch else {
                return Err(error(
                    400,
                    "the body must be a JSON object of callback settings",
                ));
            };
            for (k, v) in patch {
                match (current.get_mut(&k), v) {
                    (Some(Value::Object(urls)), Value::Object(sub)) if k == "urls" => {
                        for (category, url) in sub {
                            if url.is_null() {
                                urls.remove(&category);
                            } else {
                                urls.insert(category, url);
                            }
                        }
                    }
                    (_, v) => current[k] = v,
                }
            }
            let config: CallbackConfig = serde_json::from_value(current)
                .map_err(|e| error(400, format!("invalid callback configuration: {e}")))?;
            engine
                .set_callbacks(id, config)
                .map_err(|e| error(400, format!("invalid callback configuration: {e}")))?;
            ok(to_value(&engine.callbacks(id)))
        }
        (["apps", _, "callbacks"], _) => known_path(&["GET", "PUT"]),
        (["apps", id, "callbacks", "deliveries"], "GET") => {
            let id = app_id(id)?;
            let filter = DeliveryFilter {
                event: params.non_empty("event").map(str::to_string),
                state: params.non_empty("state").map(delivery_state).transpose()?,
                env: env_param(&params)?,
            };
            ok(json!({
                "deliveries": to_value(&engine.callback_deliveries(id, &filter)),
                "events_lost": engine.callback_events_lost(id),
            }))
        }
        (["apps", id, "callbacks", "deliveries"], "DELETE") => {
            engine.clear_callback_deliveries(app_id(id)?);
            ok(json!({ "cleared": true }))
        }
        (["apps", _, "callbacks", "deliveries"], _) => known_path(&["GET", "DELETE"]),
        (["apps", _, "callbacks", "flush"], "POST") => {
            return Err(error(400, "a flush waits: it is served over HTTP only"))
        }
        (["apps", _, "callbacks", "flush"], _) => known_path(&["POST"]),
        (["coverage"], "GET") => ok(to_value(&engine.coverage())),
        (["options"], "GET") => ok(options_json(engine.options())),
        (["options"], "PUT") => {
            let patch: OptionsPatch = parse_body(body)?;
            let mut o = engine.options();
            o.legacy_codes = patch.legacy_codes.unwrap_or(o.legacy_codes);
            o.rate_limits = patch.rate_limits.unwrap_or(o.rate_limits);
            engine.set_options(o);
            ok(options_json(o))
        }
        _ => error(
            404,
            format!("no control endpoint {method} {path}; GET {PREFIX} lists them"),
        ),
    })
}

// ----- health -----

/// The path of the health endpoint, served even when the rest of the control API is off.
pub const HEALTH_PATH: &str = "/_mock/health";

/// `GET /_mock/health`: `{"status":"ok","version":..,"uptime_secs":..}`.
pub fn health(engine: &Engine) -> AdminAnswer {
    ok(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_secs": engine.started.elapsed().as_secs(),
    }))
}

// ----- apps not served -----

/// Per-app endpoints (`/_mock/apps/{app_id}/...`) answer 404 for an AppId the mock does not
/// serve, so a typo in a test's AppId is not silently an empty state. Resetting an app's state
/// (`DELETE /_mock/apps/{app_id}/state`) stays allowed: an app that was removed keeps its state
/// until then.
fn unserved_app(engine: &Engine, method: &str, segments: &[&str]) -> Option<AdminAnswer> {
    let ["apps", id, rest @ ..] = segments else {
        return None;
    };
    if rest.is_empty() || (rest == ["state"] && method == "DELETE") {
        return None;
    }
    let id: u32 = id.parse().ok()?;
    if engine.app(id).is_some() {
        return None;
    }
    Some(error(
        404,
        format!("AppId {id} is not served (GET {PREFIX}/apps lists the apps; POST {PREFIX}/apps adds one)"),
    ))
}

// ----- expectations -----

/// The body of `POST /_mock/expectations`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewExpectation {
    action: String,
    code: Option<i64>,
    times: Option<u64>,
    at_least: Option<u64>,
    at_most: Option<u64>,
}

fn expectation_json(s: &crate::server::ExpectationStatus) -> Value {
    let e = &s.expectation;
    let mut v = json!({
        "action": e.action().wire_name(),
        "code": e.code(),
        "count": s.count,
        "holds": s.holds(),
        "description": e.to_string(),
    });
    match e.bounds() {
        (a, b) if a == b => v["times"] = json!(a),
        (a, u64::MAX) => v["at_least"] = json!(a),
        (a, b) => {
            v["at_least"] = json!(a);
            v["at_most"] = json!(b);
        }
    }
    v
}

fn parse_expectation(body: &[u8]) -> Result<crate::Expectation, AdminAnswer> {
    use crate::actions::Action;
    let new: NewExpectation = parse_body(body)?;
    let action = Action::from_wire(&new.action).ok_or_else(|| {
        let hint = Action::nearest(&new.action)
            .map(|a| format!("; did you mean {:?}?", a.wire_name()))
            .unwrap_or_default();
        error(
            400,
            format!(
                "action {:?} is not an action ZEGO documents{hint}",
                crate::spec::truncate(&new.action, 64)
            ),
        )
    })?;
    let mut e = crate::Expectation::calls(action);
    if let Some(code) = new.code {
        e = e.with_code(code);
    }
    Ok(match (new.times, new.at_least, new.at_most) {
        (Some(n), None, None) => e.times(n),
        (None, Some(n), None) => e.at_least(n),
        (None, None, Some(n)) => e.at_most(n),
        _ => return Err(error(400, "give exactly one of times, at_least or at_most")),
    })
}

/// `/_mock/health`, and `/_mock/expectations`: the same rules as [`crate::Expectation`], over
/// HTTP.
fn extra_routes(
    engine: &Engine,
    method: &str,
    segments: &[&str],
    body: &[u8],
) -> Option<AdminAnswer> {
    let answer = match (segments, method) {
        (["health"], "GET") => health(engine),
        (["expectations"], "GET") => ok(json!({
            "expectations": engine.expectations().iter().map(expectation_json).collect::<Vec<_>>()
        })),
        (["expectations"], "POST") => match parse_expectation(body) {
            Ok(e) => match engine.expect(e) {
                Ok(()) => ok(json!({ "registered": e.to_string() })),
                Err(message) => error(400, message),
            },
            Err(answer) => answer,
        },
        (["expectations"], "DELETE") => {
            engine.clear_expectations();
            ok(json!({ "cleared": true }))
        }
        (["expectations"], _) => error(
            405,
            format!("{method} is not allowed on {PREFIX}/expectations; use GET, POST or DELETE"),
        ),
        (["expectations", "verify"], "GET") => match engine.verify_expectations() {
            Ok(()) => ok(json!({ "ok": true, "unmet": [] })),
            Err(unmet) => AdminAnswer {
                status: 409,
                body: json!({
                    "ok": false,
                    "unmet": unmet,
                    "error": format!("{} expectation(s) not met", unmet.len()),
                }),
                raw: None,
            },
        },
        (["expectations", "verify"], _) => error(
            405,
            format!("{method} is not allowed on {PREFIX}/expectations/verify; use GET"),
        ),
        _ => return None,
    };
    Some(answer)
}
