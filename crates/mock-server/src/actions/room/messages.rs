//! Room messages: `SendBroadcastMessage`, `SendBarrageMessage`, `SendCustomCommand`
//! (send-broadcast-message.yaml, send-barrage-message.yaml, send-custom-command.yaml).

use super::{code, list, MessageRecord, BASE, ROOM_ID, USER_ID, USER_NAME};
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Kind, Param, Quota};
use serde_json::{json, Value};

/// `MessageCategory`: 1 system, 2 chat.
const CATEGORY: Param = Param::new("MessageCategory", Kind::Enum(&["1", "2"]), code::PARAM);
/// `MessageContent`: empty answers 1008, over 1024 bytes (decoded) 50012.
const CONTENT: Param = Param::new(
    "MessageContent",
    Kind::Text { max_bytes: 1024 },
    code::EMPTY_MESSAGE,
)
.too_long(code::MESSAGE_TOO_LONG);
/// "All rooms under the same AppID: 100 requests/second (test environment: 10 requests/second)".
const SENDS: &[Quota] = &[Quota::per_second(100, 10, code::APP_THROTTLED)];

/// `SendBroadcastMessage`: `Data.MessageId` an integer.
pub(crate) const BROADCAST: ActionSpec = ActionSpec {
    name: "SendBroadcastMessage",
    params: &[ROOM_ID, USER_ID, USER_NAME, CATEGORY, CONTENT],
    quotas: SENDS,
    doc: "room/send-broadcast-message.yaml",
    ..BASE
};

/// `SendBarrageMessage`: `Data.MessageId` a string.
pub(crate) const BARRAGE: ActionSpec = ActionSpec {
    name: "SendBarrageMessage",
    doc: "room/send-barrage-message.yaml",
    ..BROADCAST
};

/// `SendCustomCommand`: to some users (`ToUserId[]`, at most 10: 50011) or to the whole room.
pub(crate) const CUSTOM: ActionSpec = ActionSpec {
    name: "SendCustomCommand",
    params: &[
        ROOM_ID,
        Param::new("FromUserId", Kind::USER_ID, code::PARAM).too_long(code::TOO_LONG),
        list("ToUserId", &USER_ID_ITEM, 10, code::USER_LIST_TOO_LONG).optional(),
        CONTENT,
    ],
    quotas: SENDS,
    doc: "room/send-custom-command.yaml",
    ..BASE
};

/// A user id inside a list: at most 64 bytes.
const USER_ID_ITEM: Param =
    Param::new("ToUserId", Kind::USER_ID, code::PARAM).too_long(code::TOO_LONG);

fn room_missing(room_id: &str) -> Refusal {
    Refusal::new(
        code::ROOM_MISSING,
        Family::Room,
        Check::Business,
        format!("room {room_id:?} does not exist: a room exists while a user is in it (log one in through the control plane)"),
    )
}

/// Sends to everyone in the room but the sender, and records the message.
fn send(ctx: &mut Ctx<'_, '_>, kind: &'static str) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let from = ctx.args.str("UserId").unwrap_or_default();
    let now = ctx.now_millis;
    let Some(room) = ctx.state.rooms.rooms.get_mut(room_id) else {
        return Err(room_missing(room_id));
    };
    let message_id = if kind == "broadcast" {
        room.broadcasts += 1;
        json!(room.broadcasts)
    } else {
        room.barrages += 1;
        json!(format!("1_{now}_{}", room.barrages))
    };
    let recipients: Vec<String> = room.users.keys().filter(|u| *u != from).cloned().collect();
    let record = MessageRecord {
        seq: 0,
        kind,
        room_id: room_id.to_string(),
        room_session_id: room.session_id,
        from_user_id: from.to_string(),
        from_user_name: ctx.args.str("UserName").unwrap_or_default().to_string(),
        category: ctx.args.str("MessageCategory").and_then(|c| c.parse().ok()),
        content: ctx
            .args
            .str("MessageContent")
            .unwrap_or_default()
            .to_string(),
        message_id: message_id.clone(),
        to_user_ids: Vec::new(),
        recipients,
        fail_users: Vec::new(),
        at_millis: now,
    };
    ctx.state
        .rooms
        .messages
        .push(|seq| MessageRecord { seq, ..record });
    Ok(Reply::ok(Data::Value(json!({ "MessageId": message_id }))))
}

pub(crate) fn broadcast(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    send(ctx, "broadcast")
}

pub(crate) fn barrage(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    send(ctx, "barrage")
}

/// Targets not in the room are listed in `FailUsers` with 50003; the sender among the targets is
/// skipped; the answer is 0 even when every target is offline.
pub(crate) fn custom(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let from = ctx.args.str("FromUserId").unwrap_or_default();
    let Some(room) = ctx.state.rooms.rooms.get(room_id) else {
        return Err(room_missing(room_id));
    };
    let mut targets: Vec<&str> = Vec::new();
    for t in ctx.args.each("ToUserId") {
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    let (recipients, fail_users): (Vec<String>, Vec<String>) = if targets.is_empty() {
        (
            room.users.keys().filter(|u| *u != from).cloned().collect(),
            Vec::new(),
        )
    } else {
        let targets = targets.iter().filter(|t| **t != from);
        let (online, offline): (Vec<&&str>, Vec<&&str>) =
            targets.partition(|t| room.users.contains_key(**t));
        (
            online.into_iter().map(|t| t.to_string()).collect(),
            offline.into_iter().map(|t| t.to_string()).collect(),
        )
    };
    let fail: Vec<Value> = fail_users
        .iter()
        .map(|u| json!({"Uid": u, "Code": code::USER_OFFLINE}))
        .collect();
    let record = MessageRecord {
        seq: 0,
        kind: "custom",
        room_id: room_id.to_string(),
        room_session_id: room.session_id,
        from_user_id: from.to_string(),
        from_user_name: String::new(),
        category: None,
        content: ctx
            .args
            .str("MessageContent")
            .unwrap_or_default()
            .to_string(),
        message_id: Value::Null,
        to_user_ids: targets.iter().map(|t| t.to_string()).collect(),
        recipients,
        fail_users,
        at_millis: ctx.now_millis,
    };
    ctx.state
        .rooms
        .messages
        .push(|seq| MessageRecord { seq, ..record });
    Ok(Reply::ok(Data::Value(json!({ "FailUsers": fail }))))
}
