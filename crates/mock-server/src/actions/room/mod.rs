//! The room-signaling family (`api-reference/room/`): messages, users, room streams, closing and
//! kicking, ban rules; the family's state, and the simulated clients that fill it.
//!
//! The real service learns about rooms from client SDKs. The mock has no clients, so tests log
//! simulated users in and out and publish in rooms through the control plane ([`login`],
//! [`logout`], [`publish`], [`stop`]). A room exists while a user is in it; each lifetime has
//! its own session id. Every change is recorded as the event the real service would send as a
//! server callback.

pub(crate) mod messages;
pub(crate) mod rules;
pub(crate) mod streams;
pub(crate) mod users;

use crate::actions::media::rtc_stream;
use crate::spec::{is_valid_stream_id, ActionSpec, Family, Kind, Legacy, Method, Param};
use crate::state::{EnvState, Ring};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

/// The room family's codes.
pub(crate) mod code {
    /// Input parameter error.
    pub const PARAM: i64 = 2;
    /// Input parameter length too long.
    pub const TOO_LONG: i64 = 3;
    /// Permission to use the current interface has not been granted.
    pub const NO_PERMISSION: i64 = 9;
    /// Failed to set Stream information.
    pub const STREAM_SET_FAILED: i64 = 123;
    /// Stream information does not exist.
    pub const STREAM_MISSING: i64 = 138;
    /// App request QPS too high and was limited.
    pub const APP_THROTTLED: i64 = 206;
    /// Room request QPS too high and was limited.
    pub const ROOM_THROTTLED: i64 = 207;
    /// Message content MessageContent is empty.
    pub const EMPTY_MESSAGE: i64 = 1008;
    /// Multiple users operating on the same Stream.
    pub const STREAM_CONFLICT: i64 = 1012;
    /// Room does not exist (the code CloseRoom answers).
    pub const ROOM_MISSING_5024: i64 = 5024;
    /// Room does not exist.
    pub const ROOM_MISSING: i64 = 50001;
    /// Failed to find User online information.
    pub const USER_OFFLINE: i64 = 50003;
    /// User list length too long.
    pub const USER_LIST_TOO_LONG: i64 = 50011;
    /// Message length exceeds limit.
    pub const MESSAGE_TOO_LONG: i64 = 50012;
    /// The number of ban rules currently within the validity period exceeds the limit.
    pub const RULES_FULL: i64 = 50123;
    /// The rule to be deleted does not exist.
    pub const RULE_MISSING: i64 = 50124;
}

/// The most rooms an app keeps in one environment.
pub const MAX_ROOMS: usize = 10_000;
/// The most users a room holds.
pub const MAX_USERS_PER_ROOM: usize = 10_000;
/// The most streams a room lists.
pub const MAX_STREAMS_PER_ROOM: usize = 1_000;

/// `RoomId`: required, at most 128 bytes (2 when missing, 3 when longer).
pub(crate) const ROOM_ID: Param =
    Param::new("RoomId", Kind::ROOM_ID, code::PARAM).too_long(code::TOO_LONG);
/// `UserId`: required, at most 64 bytes.
pub(crate) const USER_ID: Param =
    Param::new("UserId", Kind::USER_ID, code::PARAM).too_long(code::TOO_LONG);
/// `UserName`: optional, under 256 bytes.
pub(crate) const USER_NAME: Param =
    Param::new("UserName", Kind::Text { max_bytes: 255 }, code::PARAM)
        .too_long(code::TOO_LONG)
        .optional();
/// A room action's `StreamId`: at most 256 bytes; the character set is not enforced here.
pub(crate) const STREAM_ID: Param =
    Param::new("StreamId", Kind::Text { max_bytes: 256 }, code::PARAM).too_long(code::TOO_LONG);
/// `CustomReason`: optional, at most 256 bytes.
pub(crate) const CUSTOM_REASON: Param =
    Param::new("CustomReason", Kind::Text { max_bytes: 256 }, code::PARAM)
        .too_long(code::TOO_LONG)
        .optional();

/// A required list parameter of the room family: 1 to `max` entries of `item`, in the bracketed
/// or the repeated plain form; none answers 2, more than `max` answers `too_many`.
pub(crate) const fn list(
    name: &'static str,
    item: &'static Param,
    max: usize,
    too_many: i64,
) -> Param {
    Param::new(
        name,
        Kind::List {
            item,
            min: 1,
            max,
            plain_form: true,
        },
        code::PARAM,
    )
    .too_long(too_many)
}

/// What every room action shares: GET, family Room, `"success"`, `IsTest` answered 2, no legacy
/// codes, no Sequence.
pub(crate) const BASE: ActionSpec = ActionSpec {
    name: "",
    family: Family::Room,
    method: Method::Get,
    success_message: "success",
    parameter_code: code::PARAM,
    legacy: Legacy::NONE,
    params: &[],
    quotas: &[],
    sequence: None,
    feature: None,
    doc: "",
};

/// The room-signaling state of one app in one environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoomState {
    /// The rooms that exist (each has at least one user), by RoomId.
    pub rooms: BTreeMap<String, Room>,
    /// User ban rules, in creation order, expired ones included.
    pub user_rules: Vec<UserRule>,
    /// Stream ban rules, in creation order, expired ones included.
    pub stream_rules: Vec<StreamRule>,
    /// The last room session id handed out.
    pub last_session_id: u64,
    /// The messages rooms received (not part of the seed).
    #[serde(skip)]
    pub messages: Ring<MessageRecord>,
}

/// A room: one lifetime of a RoomId, from its first user to its last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Room {
    /// This lifetime's session id (`room_session_id` of the callbacks).
    pub session_id: u64,
    /// When the room was created, in Unix milliseconds.
    pub created_millis: i64,
    /// The UserId whose login created it.
    pub creator: String,
    /// The users in the room, by UserId.
    pub users: BTreeMap<String, RoomUser>,
    /// The room's stream list, by StreamId.
    pub streams: BTreeMap<String, RoomStream>,
    /// How many streams entered the list (the last `StreamNumberId`).
    #[serde(default)]
    pub stream_numbers: u32,
    /// How many broadcast messages were sent (the last broadcast `MessageId`).
    #[serde(default)]
    pub broadcasts: u64,
    /// How many barrage messages were sent.
    #[serde(default)]
    pub barrages: u64,
    /// Changes of the user list (`user_update_seq` of the callbacks).
    #[serde(default)]
    pub user_update_seq: u64,
    /// Changes of the stream list (`stream_seq` of the callbacks).
    #[serde(default)]
    pub stream_seq: u64,
}

/// A user in a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomUser {
    /// The user's name (`UserName`).
    #[serde(default)]
    pub user_name: String,
    /// 1 host, 2 audience, 4 administrator.
    pub role: u32,
    /// When the user logged in, in Unix milliseconds.
    pub login_millis: i64,
    /// The client's IP, for IP ban rules.
    #[serde(default)]
    pub ip: Option<String>,
    /// This login's session id (`session_id` of room_login and room_logout): 18 digits.
    #[serde(default)]
    pub session_id: String,
}

/// Where a room-list stream comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamSource {
    /// A simulated client publishing in the room.
    Client,
    /// AddStream.
    AddStream,
    /// A mix task's output with this room as its target.
    MixOutput,
}

/// A stream in a room's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomStream {
    /// The UserId it is listed under.
    pub user_id: String,
    /// That user's name.
    #[serde(default)]
    pub user_name: String,
    /// `StreamTitle`.
    #[serde(default)]
    pub title: String,
    /// `ExtraInfo`.
    #[serde(default)]
    pub extra_info: String,
    /// `CensorFlag` (0 moderated, 1 not).
    #[serde(default)]
    pub censor_flag: u32,
    /// When it entered the list, in Unix milliseconds.
    pub create_millis: i64,
    /// `StreamNumberId`: its number in this room lifetime, from 1.
    pub number_id: u32,
    /// Where it comes from.
    pub source: StreamSource,
}

/// A user ban rule (SetForbidUserRule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRule {
    /// 1 by IP, 2 by RoomId, 3 by UserId, 4 by RoomId and UserId.
    pub rule_type: u32,
    /// The IP (`""` unless RuleType 1).
    #[serde(default)]
    pub ip: String,
    /// The RoomId (`""` unless RuleType 2 or 4).
    #[serde(default)]
    pub room_id: String,
    /// The UserId (`""` unless RuleType 3 or 4).
    #[serde(default)]
    pub user_id: String,
    /// 1 login, 2 publish.
    pub privileges: Vec<u32>,
    /// When the rule expires, in Unix seconds.
    pub expire_secs: i64,
}

impl UserRule {
    /// Whether the rule applies to this login.
    fn matches(&self, ip: Option<&str>, room_id: &str, user_id: &str) -> bool {
        match self.rule_type {
            1 => ip == Some(self.ip.as_str()),
            2 => self.room_id == room_id,
            3 => self.user_id == user_id,
            4 => self.room_id == room_id && self.user_id == user_id,
            _ => false,
        }
    }
}

/// A stream ban rule (SetForbidStreamRule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamRule {
    /// The room.
    pub room_id: String,
    /// The stream.
    pub stream_id: String,
    /// Audio banned.
    pub disable_audio: bool,
    /// Video banned.
    pub disable_video: bool,
    /// When it was set, in Unix seconds.
    pub create_secs: i64,
    /// How long it lasts, in seconds (at most 86400).
    pub effective_secs: i64,
}

impl StreamRule {
    /// Whether the rule is still in force.
    pub fn is_active(&self, now_secs: i64) -> bool {
        self.create_secs + self.effective_secs > now_secs
    }
}

/// One message a room received, as the mock records it (no client sees it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageRecord {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// `broadcast`, `barrage` or `custom`.
    pub kind: &'static str,
    /// The room.
    pub room_id: String,
    /// The room's session id.
    pub room_session_id: u64,
    /// The sender.
    pub from_user_id: String,
    /// The sender's name.
    pub from_user_name: String,
    /// `MessageCategory` (broadcast and barrage).
    pub category: Option<u32>,
    /// The content, decoded.
    pub content: String,
    /// The `MessageId` answered (an integer for broadcasts, a string for barrages).
    pub message_id: serde_json::Value,
    /// `ToUserId[]` of a custom command.
    pub to_user_ids: Vec<String>,
    /// The users it reached.
    pub recipients: Vec<String>,
    /// The targets it did not reach.
    pub fail_users: Vec<String>,
    /// When it was sent, in Unix milliseconds.
    pub at_millis: i64,
}

/// A simulated user logging in to a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// The UserId.
    pub user_id: String,
    /// The user's name.
    #[serde(default)]
    pub user_name: String,
    /// 1 host, 2 audience (default), 4 administrator.
    #[serde(default = "audience")]
    pub role: u32,
    /// The client's IP, for IP ban rules.
    #[serde(default)]
    pub ip: Option<String>,
}

fn audience() -> u32 {
    2
}

impl UserSpec {
    /// An audience member with no name.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            user_name: String::new(),
            role: audience(),
            ip: None,
        }
    }

    /// The user's name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.user_name = name.into();
        self
    }

    /// 1 host, 2 audience, 4 administrator.
    #[must_use]
    pub fn role(mut self, role: u32) -> Self {
        self.role = role;
        self
    }

    /// The client's IP.
    #[must_use]
    pub fn ip(mut self, ip: impl Into<String>) -> Self {
        self.ip = Some(ip.into());
        self
    }
}

/// Why a simulated user leaves a room (`reason` of room_logout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogoutReason {
    /// 0: the user logged out.
    Normal,
    /// 1: business heartbeat timeout.
    Heartbeat,
    /// 2: the connection was lost.
    Offline,
    /// 4: the user's Token expired.
    TokenExpired,
}

impl LogoutReason {
    /// room_logout's `reason`.
    fn code(self) -> u32 {
        match self {
            LogoutReason::Normal => 0,
            LogoutReason::Heartbeat => 1,
            LogoutReason::Offline => 2,
            LogoutReason::TokenExpired => 4,
        }
    }

    /// stream_close's `type` for the user's streams: 0 (the SDK stops publishing on logout),
    /// 1 heartbeat timeout, 4 TCP disconnect; a Token expiry has no documented type: 1.
    fn stream_close_type(self) -> u32 {
        match self {
            LogoutReason::Normal => close_type::NORMAL,
            LogoutReason::Heartbeat | LogoutReason::TokenExpired => close_type::HEARTBEAT,
            LogoutReason::Offline => close_type::TCP_DISCONNECT,
        }
    }

    /// room_close's `close_reason` when the room empties (0 for a Token expiry: undocumented).
    fn close_reason(self) -> u32 {
        match self {
            LogoutReason::Normal | LogoutReason::TokenExpired => 0,
            LogoutReason::Heartbeat => 1,
            LogoutReason::Offline => 2,
        }
    }
}

/// Why the control plane refused a simulated client's action (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRefusal {
    /// What was refused and why.
    pub reason: String,
}

impl std::fmt::Display for ClientRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ClientRefusal {}

fn refuse<T>(reason: String) -> Result<T, ClientRefusal> {
    Err(ClientRefusal { reason })
}

/// `stream_close` types (`CB:stream/destroyed.mdx`).
pub(crate) mod close_type {
    /// The publisher stopped.
    pub const NORMAL: u32 = 0;
    /// The publisher's heartbeat timed out.
    pub const HEARTBEAT: u32 = 1;
    /// The publisher logged in again.
    pub const RELOGIN: u32 = 2;
    /// The publisher was kicked out.
    pub const KICKED: u32 = 3;
    /// The publisher's TCP connection dropped.
    pub const TCP_DISCONNECT: u32 = 4;
    /// The room was closed.
    pub const ROOM_CLEARED: u32 = 5;
    /// DeleteStream (or an AddStream entry removed at once).
    pub const DELETED: u32 = 100;
}

/// Whether an unexpired user rule with `privilege` applies to this user in this room.
fn banned(
    state: &EnvState,
    privilege: u32,
    ip: Option<&str>,
    room_id: &str,
    user_id: &str,
    now_secs: i64,
) -> Option<String> {
    state
        .rooms
        .user_rules
        .iter()
        .find(|r| {
            r.expire_secs > now_secs
                && r.privileges.contains(&privilege)
                && r.matches(ip, room_id, user_id)
        })
        .map(|r| {
            format!(
                "a user ban rule (RuleType {}, privileges {:?}) applies until {}",
                r.rule_type, r.privileges, r.expire_secs
            )
        })
}

/// A simulated user logs in: the room is created by its first user; a second login of the same
/// UserId replaces the session (the old one logs out with reason 3, relogin).
pub(crate) fn login(
    state: &mut EnvState,
    room_id: &str,
    user: UserSpec,
    now_millis: i64,
) -> Result<(), ClientRefusal> {
    let now_secs = now_millis.div_euclid(1000);
    if room_id.is_empty() || room_id.len() > 128 {
        return refuse(format!(
            "a RoomId is 1 to 128 bytes; this one has {}",
            room_id.len()
        ));
    }
    if user.user_id.is_empty() || user.user_id.len() > 64 {
        return refuse(format!(
            "a UserId is 1 to 64 bytes; this one has {}",
            user.user_id.len()
        ));
    }
    if user.user_name.len() > 255 {
        return refuse("a UserName is under 256 bytes".into());
    }
    if ![1, 2, 4].contains(&user.role) {
        return refuse(format!(
            "role {} is none of 1 (host), 2 (audience), 4 (administrator)",
            user.role
        ));
    }
    if let Some(rule) = banned(
        state,
        1,
        user.ip.as_deref(),
        room_id,
        &user.user_id,
        now_secs,
    ) {
        return refuse(format!("login refused: {rule}"));
    }
    let exists = state.rooms.rooms.contains_key(room_id);
    if !exists && state.rooms.rooms.len() >= MAX_ROOMS {
        return refuse(format!(
            "this app already has {MAX_ROOMS} rooms in this environment (the mock's cap)"
        ));
    }
    let relogin = state
        .rooms
        .rooms
        .get(room_id)
        .is_some_and(|r| r.users.contains_key(&user.user_id));
    if !relogin
        && state
            .rooms
            .rooms
            .get(room_id)
            .is_some_and(|r| r.users.len() >= MAX_USERS_PER_ROOM)
    {
        return refuse(format!(
            "room {room_id:?} already holds {MAX_USERS_PER_ROOM} users (the mock's cap)"
        ));
    }
    if !exists {
        create_room(state, room_id, &user.user_id, now_millis);
    }
    if relogin {
        // The old session ends: its streams close (type 2), it logs out (reason 3); the room
        // stays, so no room_close/room_create in between.
        remove_user_streams(
            state,
            room_id,
            &user.user_id,
            close_type::RELOGIN,
            now_millis,
        );
        let Some(room) = state.rooms.rooms.get_mut(room_id) else {
            return Ok(());
        };
        if let Some(old) = room.users.remove(&user.user_id) {
            room.user_update_seq += 1;
            let data = logout_data(room_id, room, &user.user_id, &old, 3, now_millis);
            state.event(now_millis, "room_logout", data);
        }
    }
    let Some(room) = state.rooms.rooms.get_mut(room_id) else {
        return Ok(());
    };
    room.user_update_seq += 1;
    let (room_session, seq) = (room.session_id, room.user_update_seq);
    let entry = RoomUser {
        user_name: user.user_name.clone(),
        role: user.role,
        login_millis: now_millis,
        ip: user.ip.clone(),
        session_id: user_session_id(room_session, seq),
    };
    let data = json!({
        "room_id": room_id,
        "room_name": room_id,
        "room_seq": room_session,
        "user_account": user.user_id,
        "user_nickname": user.user_name,
        "session_id": entry.session_id,
        "login_time": now_millis,
        "user_role": user.role,
        "auth_level": 0,
        "relogin": u32::from(relogin),
        "user_update_seq": seq,
        "callback_data": "",
        "term_type": TERM_TYPE_UNKNOWN,
    });
    room.users.insert(user.user_id.clone(), entry);
    state.event(now_millis, "room_login", data);
    Ok(())
}

/// The first room session id the mock hands out: 19 digits and above 2^53, like the documented
/// `"6085791336856668982"`, so a receiver that parses it as a float shows its bug.
pub const FIRST_ROOM_SESSION_ID: u64 = 6_085_791_336_856_668_982;

/// room_login's `term_type` for a simulated client: 32, TT_UNKNOWN.
const TERM_TYPE_UNKNOWN: u32 = 32;

/// The next room session id of the app and environment (19 digits, increasing).
fn next_room_session_id(state: &mut EnvState) -> u64 {
    let next = state
        .rooms
        .last_session_id
        .saturating_add(1)
        .max(FIRST_ROOM_SESSION_ID);
    state.rooms.last_session_id = next;
    next
}

/// A login's `session_id`: 18 digits, from the room's session id and the user list's change
/// seq at the login (unique within the app and environment).
pub(crate) fn user_session_id(room_session_id: u64, user_update_seq: u64) -> String {
    const BASE: u64 = 100_000_000_000_000_000;
    const SPAN: u64 = 900_000_000_000_000_000;
    let n = room_session_id
        .wrapping_mul(1 << 20)
        .wrapping_add(user_update_seq)
        % SPAN;
    (BASE + n).to_string()
}

/// A stream's `stream_sid`: `"s-"` and 27 digits (the room session id and the stream's number
/// in the room lifetime), new for every stream creation.
pub(crate) fn stream_sid(room_session_id: u64, number_id: u32) -> String {
    format!(
        "s-{:019}{:08}",
        room_session_id % 10_000_000_000_000_000_000,
        number_id % 100_000_000
    )
}

/// The event data of a room_logout (the callback's fields; `room_seq` is the room session id).
fn logout_data(
    room_id: &str,
    room: &Room,
    user_id: &str,
    user: &RoomUser,
    reason: u32,
    now_millis: i64,
) -> serde_json::Value {
    json!({
        "room_id": room_id,
        "room_seq": room.session_id,
        "user_account": user_id,
        "user_nickname": user.user_name,
        "session_id": user.session_id,
        "login_time": user.login_millis,
        "logout_time": now_millis,
        "reason": reason,
        "user_role": user.role,
        "user_update_seq": room.user_update_seq,
    })
}

/// Creates a room (a new lifetime, with a new session id) and records its room_create.
pub(crate) fn create_room(state: &mut EnvState, room_id: &str, creator: &str, now_millis: i64) {
    let session_id = next_room_session_id(state);
    state.rooms.rooms.insert(
        room_id.to_string(),
        Room {
            session_id,
            created_millis: now_millis,
            creator: creator.to_string(),
            users: BTreeMap::new(),
            streams: BTreeMap::new(),
            stream_numbers: 0,
            broadcasts: 0,
            barrages: 0,
            user_update_seq: 0,
            stream_seq: 0,
        },
    );
    state.event(
        now_millis,
        "room_create",
        json!({"room_id": room_id, "room_session_id": session_id, "room_create_time": now_millis, "id_name": creator}),
    );
}

/// A simulated user leaves: their streams leave the list (their published media closes), and
/// the room is destroyed when it empties.
pub(crate) fn logout(
    state: &mut EnvState,
    room_id: &str,
    user_id: &str,
    reason: LogoutReason,
    now_millis: i64,
) -> Result<(), ClientRefusal> {
    if !state
        .rooms
        .rooms
        .get(room_id)
        .is_some_and(|r| r.users.contains_key(user_id))
    {
        return refuse(format!("user {user_id:?} is not in room {room_id:?}"));
    }
    remove_user(
        state,
        room_id,
        user_id,
        reason.code(),
        reason.stream_close_type(),
        reason.close_reason(),
        now_millis,
    );
    Ok(())
}

/// Removes a user who is in the room: streams closed with `stream_close_type`, a room_logout
/// with `logout_reason`, and the room destroyed (room_close with `close_reason`) if it empties.
pub(crate) fn remove_user(
    state: &mut EnvState,
    room_id: &str,
    user_id: &str,
    logout_reason: u32,
    stream_close_type: u32,
    close_reason: u32,
    now_millis: i64,
) {
    remove_user_streams(state, room_id, user_id, stream_close_type, now_millis);
    let empty = leave(state, room_id, user_id, logout_reason, now_millis);
    if empty == Some(true) {
        destroy_room(state, room_id, Some(close_reason), now_millis);
    }
}

/// A user leaves the room's user list with a room_logout of `reason`; whether the room is now
/// empty (`None` when the user was not in it).
pub(crate) fn leave(
    state: &mut EnvState,
    room_id: &str,
    user_id: &str,
    reason: u32,
    now_millis: i64,
) -> Option<bool> {
    let room = state.rooms.rooms.get_mut(room_id)?;
    let user = room.users.remove(user_id)?;
    room.user_update_seq += 1;
    let data = logout_data(room_id, room, user_id, &user, reason, now_millis);
    let empty = room.users.is_empty();
    state.event(now_millis, "room_logout", data);
    Some(empty)
}

/// Destroys a room: every stream leaves its list (client media closes; client and AddStream
/// streams record a stream_close of type 5), every user leaves; a room_close is recorded when
/// `close_reason` is given.
pub(crate) fn destroy_room(
    state: &mut EnvState,
    room_id: &str,
    close_reason: Option<u32>,
    now_millis: i64,
) {
    let ids: Vec<String> = state
        .rooms
        .rooms
        .get(room_id)
        .map(|r| r.streams.keys().cloned().collect())
        .unwrap_or_default();
    for id in ids {
        remove_stream(state, room_id, &id, close_type::ROOM_CLEARED, now_millis);
    }
    let Some(room) = state.rooms.rooms.remove(room_id) else {
        return;
    };
    if let Some(reason) = close_reason {
        state.event(
            now_millis,
            "room_close",
            json!({"room_id": room_id, "room_session_id": room.session_id, "close_reason": reason, "room_close_time": now_millis}),
        );
    }
}

/// Removes every stream listed under `user_id` in the room (AddStream entries included).
pub(crate) fn remove_user_streams(
    state: &mut EnvState,
    room_id: &str,
    user_id: &str,
    close_type: u32,
    now_millis: i64,
) {
    let Some(room) = state.rooms.rooms.get_mut(room_id) else {
        return;
    };
    let ids: Vec<String> = room
        .streams
        .iter()
        .filter(|(_, s)| s.user_id == user_id)
        .map(|(id, _)| id.clone())
        .collect();
    for id in ids {
        remove_stream(state, room_id, &id, close_type, now_millis);
    }
}

/// Removes one stream from a room's list (closing its media when a client published it) and
/// records its stream_close, except for a mix output ("Stopping Stream Mixing will not trigger
/// this callback").
pub(crate) fn remove_stream(
    state: &mut EnvState,
    room_id: &str,
    stream_id: &str,
    close_type: u32,
    now_millis: i64,
) -> bool {
    let Some(room) = state.rooms.rooms.get_mut(room_id) else {
        return false;
    };
    let Some(stream) = room.streams.remove(stream_id) else {
        return false;
    };
    if stream.source == StreamSource::Client {
        rtc_stream::stop_publishing(&mut state.media, stream_id, now_millis.div_euclid(1000));
    }
    record_stream_close(state, room_id, stream_id, &stream, close_type, now_millis);
    true
}

/// Records the stream_close of a stream that left `room_id`'s list (nothing for a mix output);
/// the room's `stream_seq` counts it.
pub(crate) fn record_stream_close(
    state: &mut EnvState,
    room_id: &str,
    stream_id: &str,
    stream: &RoomStream,
    close_type: u32,
    now_millis: i64,
) {
    if stream.source == StreamSource::MixOutput {
        return;
    }
    let Some(room) = state.rooms.rooms.get_mut(room_id) else {
        return;
    };
    room.stream_seq += 1;
    let data = json!({
        "room_id": room_id,
        "room_session_id": room.session_id,
        "user_id": stream.user_id,
        "user_name": stream.user_name,
        "channel_id": room_id,
        "type": close_type,
        "stream_alias": stream_id,
        "stream_id": stream_id,
        "stream_sid": stream_sid(room.session_id, stream.number_id),
        "stream_seq": room.stream_seq,
        "third_define_data": "",
        "create_time_ms": stream.create_millis,
        "destroy_timemillis": now_millis,
        "source": stream.source,
    });
    state.event(now_millis, "stream_close", data);
}

/// Adds a stream to a room's list and records its stream_create (nothing for a mix output:
/// "Starting Stream Mixing will not trigger this callback").
pub(crate) fn add_stream(
    state: &mut EnvState,
    room_id: &str,
    stream_id: &str,
    mut stream: RoomStream,
    now_millis: i64,
) {
    let [rtmp, hls, hdl, pic] = crate::actions::media_file::play_urls(state, stream_id);
    let Some(room) = state.rooms.rooms.get_mut(room_id) else {
        return;
    };
    room.stream_numbers += 1;
    stream.number_id = room.stream_numbers;
    let source = stream.source;
    if source == StreamSource::MixOutput {
        room.streams.insert(stream_id.to_string(), stream);
        return;
    }
    room.stream_seq += 1;
    let data = json!({
        "room_id": room_id,
        "room_session_id": room.session_id,
        "user_id": stream.user_id,
        "user_name": stream.user_name,
        "channel_id": room_id,
        "stream_id": stream_id,
        "stream_sid": stream_sid(room.session_id, stream.number_id),
        "title": stream.title,
        "stream_alias": stream_id,
        "stream_attr": STREAM_ATTR,
        "stream_seq": room.stream_seq,
        "create_time": now_millis.div_euclid(1000),
        "create_time_ms": now_millis,
        "extra_info": stream.extra_info,
        "recreate": 0,
        "publish_id": stream.user_id,
        "publish_name": stream.user_name,
        "rtmp_url": rtmp,
        "hls_url": hls,
        "hdl_url": hdl,
        "pic_url": pic,
        "source": source,
    });
    room.streams.insert(stream_id.to_string(), stream);
    state.event(now_millis, "stream_create", data);
}

/// stream_create's `stream_attr`: H.264 (`cid` 0), the mock's only codec.
const STREAM_ATTR: &str = "{\"cid\":0}";

/// A simulated user publishes a stream in the room: it becomes live (DescribeRTCStreamState)
/// and enters the room's list.
pub(crate) fn publish(
    state: &mut EnvState,
    room_id: &str,
    user_id: &str,
    stream_id: &str,
    title: &str,
    extra_info: &str,
    now_millis: i64,
) -> Result<(), ClientRefusal> {
    let now_secs = now_millis.div_euclid(1000);
    let Some(room) = state.rooms.rooms.get(room_id) else {
        return refuse(format!(
            "room {room_id:?} does not exist (a user must log in first)"
        ));
    };
    let Some(user) = room.users.get(user_id) else {
        return refuse(format!("user {user_id:?} is not in room {room_id:?}"));
    };
    if !is_valid_stream_id(stream_id) {
        return refuse("a StreamId is 1 to 256 characters of [0-9A-Za-z_-]".into());
    }
    if let Some(listed) = room.streams.get(stream_id) {
        if listed.user_id == user_id && listed.source == StreamSource::Client {
            return Ok(());
        }
        return refuse(format!(
            "stream {stream_id:?} is already in room {room_id:?} under user {:?}",
            listed.user_id
        ));
    }
    if room.streams.len() >= MAX_STREAMS_PER_ROOM {
        return refuse(format!(
            "room {room_id:?} already lists {MAX_STREAMS_PER_ROOM} streams (the mock's cap)"
        ));
    }
    let (ip, user_name) = (user.ip.clone(), user.user_name.clone());
    // A login ban also stops an already logged-in user from publishing.
    if let Some(rule) = banned(state, 2, ip.as_deref(), room_id, user_id, now_secs)
        .or_else(|| banned(state, 1, ip.as_deref(), room_id, user_id, now_secs))
    {
        return refuse(format!("publishing refused: {rule}"));
    }
    if state
        .media
        .streams
        .get(stream_id)
        .is_some_and(|s| s.is_live())
    {
        return refuse(format!("stream {stream_id:?} is already live from another publisher; a StreamId is unique in the AppID"));
    }
    rtc_stream::start_publishing(&mut state.media, stream_id, now_secs).map_err(|e| {
        ClientRefusal {
            reason: e.to_string(),
        }
    })?;
    add_stream(
        state,
        room_id,
        stream_id,
        RoomStream {
            user_id: user_id.to_string(),
            user_name,
            title: title.to_string(),
            extra_info: extra_info.to_string(),
            censor_flag: 0,
            create_millis: now_millis,
            number_id: 0,
            source: StreamSource::Client,
        },
        now_millis,
    );
    Ok(())
}

/// A simulated user stops publishing a stream in the room.
pub(crate) fn stop(
    state: &mut EnvState,
    room_id: &str,
    user_id: &str,
    stream_id: &str,
    now_millis: i64,
) -> Result<(), ClientRefusal> {
    let publishing = state
        .rooms
        .rooms
        .get(room_id)
        .and_then(|r| r.streams.get(stream_id))
        .is_some_and(|s| s.user_id == user_id && s.source == StreamSource::Client);
    if !publishing {
        return refuse(format!(
            "user {user_id:?} is not publishing {stream_id:?} in room {room_id:?}"
        ));
    }
    remove_stream(state, room_id, stream_id, close_type::NORMAL, now_millis);
    Ok(())
}

/// ForbidRTCStream closed a stream: a client publishing it in a room stops, and the stream
/// leaves that room's list.
pub(crate) fn forbidden(state: &mut EnvState, stream_id: &str, now_millis: i64) {
    let rooms: Vec<String> = state
        .rooms
        .rooms
        .iter()
        .filter(|(_, r)| {
            r.streams
                .get(stream_id)
                .is_some_and(|s| s.source == StreamSource::Client)
        })
        .map(|(id, _)| id.clone())
        .collect();
    for room_id in rooms {
        remove_stream(state, &room_id, stream_id, close_type::NORMAL, now_millis);
    }
}

/// A room as the control plane shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoomView {
    /// The RoomId.
    pub room_id: String,
    /// The room, as stored.
    #[serde(flatten)]
    pub room: Room,
    /// Per listed stream, whether an unexpired stream ban rule bans its audio and video.
    pub stream_bans: BTreeMap<String, (bool, bool)>,
}

/// The rooms of one app and environment, as the control plane shows them.
pub(crate) fn views(state: &EnvState, now_secs: i64) -> Vec<RoomView> {
    state
        .rooms
        .rooms
        .iter()
        .map(|(room_id, room)| view(state, room_id, room, now_secs))
        .collect()
}

/// One room as the control plane shows it.
pub(crate) fn view(state: &EnvState, room_id: &str, room: &Room, now_secs: i64) -> RoomView {
    let stream_bans = room
        .streams
        .keys()
        .filter_map(|stream_id| {
            state
                .rooms
                .stream_rules
                .iter()
                .find(|r| {
                    r.room_id == room_id && r.stream_id == *stream_id && r.is_active(now_secs)
                })
                .map(|r| (stream_id.clone(), (r.disable_audio, r.disable_video)))
        })
        .collect();
    RoomView {
        room_id: room_id.to_string(),
        room: room.clone(),
        stream_bans,
    }
}
