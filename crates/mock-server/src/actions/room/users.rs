//! Users in rooms: `DescribeUserNum`, `DescribeUsers`, `DescribeUserList`, `KickoutUser`,
//! `CloseRoom` (describe-user-num.yaml, describe-users.yaml, describe-user-list.yaml,
//! kick-out-user.yaml, close.yaml).

use super::{close_type, code, destroy_room, list, remove_user, BASE, CUSTOM_REASON, ROOM_ID};
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Kind, Param, Quota, Scope};
use serde_json::{json, Value};

const ROOM_ID_ITEM: Param =
    Param::new("RoomId", Kind::ROOM_ID, code::PARAM).too_long(code::TOO_LONG);
const USER_ID_ITEM: Param =
    Param::new("UserId", Kind::USER_ID, code::PARAM).too_long(code::TOO_LONG);

/// `DescribeUserNum`: up to 10 `RoomId[]` (more: 3); 10/s, test 1/s.
pub(crate) const USER_NUM: ActionSpec = ActionSpec {
    name: "DescribeUserNum",
    params: &[list("RoomId", &ROOM_ID_ITEM, 10, code::TOO_LONG)],
    quotas: &[Quota::per_second(10, 1, code::APP_THROTTLED)],
    doc: "room/describe-user-num.yaml",
    ..BASE
};

/// `DescribeUsers`: up to 10 `UserId[]` (more: 3); 10/s.
pub(crate) const USERS: ActionSpec = ActionSpec {
    name: "DescribeUsers",
    params: &[ROOM_ID, list("UserId", &USER_ID_ITEM, 10, code::TOO_LONG)],
    quotas: &[Quota::per_second(10, 10, code::APP_THROTTLED)],
    doc: "room/describe-users.yaml",
    ..BASE
};

/// The default and largest page of DescribeUserList.
pub const USER_LIST_PAGE: u64 = 200;

/// `DescribeUserList`: 200/s per AppID, and 1 per second per room (207).
pub(crate) const USER_LIST: ActionSpec = ActionSpec {
    name: "DescribeUserList",
    params: &[
        ROOM_ID,
        Param::new("Mode", Kind::Enum(&["0", "1"]), code::PARAM).optional(),
        Param::new(
            "Limit",
            Kind::UInt {
                min: 0,
                max: USER_LIST_PAGE,
            },
            code::PARAM,
        )
        .optional(),
        Param::new("Marker", Kind::Text { max_bytes: 256 }, code::PARAM).optional(),
    ],
    quotas: &[
        Quota::per_second(200, 200, code::APP_THROTTLED),
        Quota::per_second(1, 1, code::ROOM_THROTTLED).scoped(Scope::Room("RoomId")),
    ],
    doc: "room/describe-user-list.yaml",
    ..BASE
};

/// `KickoutUser`: 1 to 5 `UserId[]` (more: 50011); 50/s.
pub(crate) const KICKOUT: ActionSpec = ActionSpec {
    name: "KickoutUser",
    params: &[
        ROOM_ID,
        list("UserId", &USER_ID_ITEM, 5, code::USER_LIST_TOO_LONG),
        CUSTOM_REASON,
    ],
    quotas: &[Quota::per_second(50, 50, code::APP_THROTTLED)],
    doc: "room/kick-out-user.yaml",
    ..BASE
};

/// `CloseRoom`: 1/s in both environments; a missing room answers 5024.
pub(crate) const CLOSE: ActionSpec = ActionSpec {
    name: "CloseRoom",
    params: &[
        ROOM_ID,
        CUSTOM_REASON,
        Param::new("RoomCloseCallback", Kind::Bool, code::PARAM).optional(),
    ],
    quotas: &[Quota::per_second(1, 1, code::APP_THROTTLED)],
    doc: "room/close.yaml",
    ..BASE
};

fn refusal(code: i64, reason: String) -> Refusal {
    Refusal::new(code, Family::Room, Check::Business, reason)
}

/// One entry per requested room, in request order; a missing room counts 0.
pub(crate) fn user_num(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let rooms = &ctx.state.rooms.rooms;
    let counts = ctx.args.each("RoomId").map(|room_id| {
        let (users, admins) = rooms.get(room_id).map_or((0, 0), |r| {
            (
                r.users.len(),
                r.users.values().filter(|u| u.role == 4).count(),
            )
        });
        (room_id, users, admins)
    });
    Ok(Reply::ok(Data::Written(user_count_list(counts))))
}

/// `{"UserCountList":[{"AdminUserCount":..,"RoomId":..,"UserCount":..},..]}` from (room, users,
/// admins), written as serde_json writes the value (keys in order) without building it.
fn user_count_list<'a>(counts: impl Iterator<Item = (&'a str, usize, usize)>) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    out.extend_from_slice(b"{\"UserCountList\":[");
    let mut digits = [0u8; 20];
    for (i, (room_id, users, admins)) in counts.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"AdminUserCount\":");
        out.extend_from_slice(crate::gateway::unsigned_decimal(admins as u64, &mut digits));
        out.extend_from_slice(b",\"RoomId\":");
        crate::request::json_string(&mut out, room_id);
        out.extend_from_slice(b",\"UserCount\":");
        out.extend_from_slice(crate::gateway::unsigned_decimal(users as u64, &mut digits));
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    out
}

/// One entry per requested user, in order; a user not in the room has status 0 and zeros.
pub(crate) fn users(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let Some(room) = ctx.state.rooms.rooms.get(room_id) else {
        return Err(refusal(
            code::ROOM_MISSING,
            format!("room {room_id:?} does not exist"),
        ));
    };
    let list: Vec<Value> = ctx
        .args
        .each("UserId")
        .map(|user_id| match room.users.get(user_id) {
            Some(u) => json!({"UserId": user_id, "Status": 1, "LoginTime": u.login_millis, "UserRole": u.role}),
            None => json!({"UserId": user_id, "Status": 0, "LoginTime": 0, "UserRole": 0}),
        })
        .collect();
    Ok(Reply::ok(Data::Value(json!({ "UserStatusList": list }))))
}

/// A page of the room's users in login order (Mode 1: newest first). `Marker` is
/// `{login_millis}-{user_id}` of the last user returned, `""` when none follows.
pub(crate) fn user_list(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let descending = ctx.args.str("Mode") == Some("1");
    let limit = match ctx.args.u64("Limit") {
        None | Some(0) => USER_LIST_PAGE,
        Some(n) => n,
    };
    let marker = match ctx.args.str("Marker") {
        None => None,
        Some(m) => {
            let parsed = m.split_once('-').and_then(|(t, u)| {
                Some((
                    t.parse::<i64>()
                        .ok()
                        .filter(|_| t.bytes().all(|b| b.is_ascii_digit()))?,
                    u,
                ))
            });
            match parsed {
                Some((t, u)) => Some((t, u.to_string())),
                None => {
                    return Err(Refusal::new(
                        code::PARAM,
                        Family::Room,
                        Check::Parameter,
                        format!("Marker {m:?} is not a marker this action answered (login time in ms, '-', UserId)"),
                    ))
                }
            }
        }
    };
    let Some(room) = ctx.state.rooms.rooms.get(room_id) else {
        return Ok(Reply::ok(Data::Value(
            json!({"Marker": "", "UserList": []}),
        )));
    };
    let mut order: Vec<(i64, &str, &super::RoomUser)> = room
        .users
        .iter()
        .map(|(id, u)| (u.login_millis, id.as_str(), u))
        .collect();
    order.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    if descending {
        order.reverse();
    }
    let after = |entry: &(i64, &str, &super::RoomUser)| match &marker {
        None => true,
        Some((t, u)) if descending => (entry.0, entry.1) < (*t, u.as_str()),
        Some((t, u)) => (entry.0, entry.1) > (*t, u.as_str()),
    };
    let rest: Vec<&(i64, &str, &super::RoomUser)> = order.iter().filter(|e| after(e)).collect();
    let page = usize::try_from(limit).unwrap_or(usize::MAX).min(rest.len());
    let list: Vec<Value> = rest[..page]
        .iter()
        .map(|(_, id, u)| json!({"UserId": id, "UserName": u.user_name, "UserRole": u.role}))
        .collect();
    let next = if page < rest.len() {
        let (t, id, _) = rest[page - 1];
        format!("{t}-{id}")
    } else {
        String::new()
    };
    Ok(Reply::ok(Data::Value(
        json!({"Marker": next, "UserList": list}),
    )))
}

/// Removes the listed users who are in the room (others are ignored); the room is destroyed when
/// it empties.
pub(crate) fn kickout(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    if !ctx.state.rooms.rooms.contains_key(room_id) {
        return Err(refusal(
            code::ROOM_MISSING,
            format!("room {room_id:?} does not exist"),
        ));
    }
    for user_id in ctx.args.each("UserId") {
        remove_user(
            ctx.state,
            room_id,
            user_id,
            3,
            close_type::KICKED,
            3,
            ctx.now_millis,
        );
    }
    Ok(Reply::ok(Data::Absent))
}

/// Removes every user and stream and destroys the room; room_close only with
/// `RoomCloseCallback=true`.
pub(crate) fn close(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let Some(room) = ctx.state.rooms.rooms.get(room_id) else {
        return Err(refusal(
            code::ROOM_MISSING_5024,
            format!("room {room_id:?} does not exist"),
        ));
    };
    let users: Vec<String> = room.users.keys().cloned().collect();
    let now = ctx.now_millis;
    // Streams first (type 5, room cleared), then the users (logout reason 3), then the room.
    let streams: Vec<String> = room.streams.keys().cloned().collect();
    for stream_id in streams {
        super::remove_stream(
            ctx.state,
            room_id,
            &stream_id,
            close_type::ROOM_CLEARED,
            now,
        );
    }
    for user_id in users {
        super::leave(ctx.state, room_id, &user_id, 3, now);
    }
    let callback = ctx.args.bool("RoomCloseCallback").unwrap_or(false);
    destroy_room(ctx.state, room_id, callback.then_some(0), now);
    Ok(Reply::ok(Data::Absent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_user_count_list_is_written_as_serde_json_writes_it(
            rooms in proptest::collection::vec((any::<String>(), 0usize..20_000, 0usize..20_000), 0..5)
        ) {
            let value = json!({ "UserCountList": rooms
                .iter()
                .map(|(r, u, a)| json!({"RoomId": r, "UserCount": u, "AdminUserCount": a}))
                .collect::<Vec<Value>>() });
            let written = user_count_list(rooms.iter().map(|(r, u, a)| (r.as_str(), *u, *a)));
            prop_assert_eq!(String::from_utf8(written).unwrap(), value.to_string());
        }
    }
}
