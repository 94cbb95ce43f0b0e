//! A room's stream list: `AddStream`, `DeleteStream`, `DescribeSimpleStreamList`
//! (add-stream.yaml, delete-stream.yaml, describe-simple-streamlist.yaml). These change the
//! room's list only, never whether a stream is live: "does not perform actual stream publishing".

use super::{
    close_type, code, remove_stream, RoomStream, StreamSource, BASE, MAX_STREAMS_PER_ROOM, ROOM_ID,
    STREAM_ID, USER_ID, USER_NAME,
};
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Kind, Param, Quota, Scope};
use serde_json::{json, Value};

/// "10 times/second (test environment: 1 time/second)".
const STREAM_WRITES: &[Quota] = &[Quota::per_second(10, 1, code::APP_THROTTLED)];

/// `AddStream`.
pub(crate) const ADD: ActionSpec = ActionSpec {
    name: "AddStream",
    params: &[
        ROOM_ID,
        USER_ID,
        USER_NAME,
        STREAM_ID,
        Param::new("StreamTitle", Kind::Text { max_bytes: 127 }, code::PARAM)
            .too_long(code::TOO_LONG)
            .optional(),
        Param::new("ExtraInfo", Kind::Text { max_bytes: 1024 }, code::PARAM)
            .too_long(code::TOO_LONG)
            .optional(),
        Param::new("CensorFlag", Kind::Enum(&["0", "1"]), code::PARAM).optional(),
    ],
    quotas: STREAM_WRITES,
    doc: "room/add-stream.yaml",
    ..BASE
};

/// `DeleteStream`.
pub(crate) const DELETE: ActionSpec = ActionSpec {
    name: "DeleteStream",
    params: &[ROOM_ID, USER_ID, USER_NAME, STREAM_ID],
    quotas: STREAM_WRITES,
    doc: "room/delete-stream.yaml",
    ..BASE
};

/// `DescribeSimpleStreamList`: 50/s per AppID, and 1 per 10 s per room (207).
pub(crate) const LIST: ActionSpec = ActionSpec {
    name: "DescribeSimpleStreamList",
    params: &[ROOM_ID],
    quotas: &[
        Quota::per_second(50, 50, code::APP_THROTTLED),
        Quota::per_second(1, 1, code::ROOM_THROTTLED)
            .window(10)
            .scoped(Scope::Room("RoomId")),
    ],
    doc: "room/describe-simple-streamlist.yaml",
    ..BASE
};

fn refusal(code: i64, reason: String) -> Refusal {
    Refusal::new(code, Family::Room, Check::Business, reason)
}

/// Adds (or, for the same UserId, updates) a stream in the room's list. A stream listed under
/// another UserId answers 1012. An entry for a user who is in the room but not publishing that
/// stream is deleted at once, as the page says the real service does.
pub(crate) fn add(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let user_id = ctx.args.str("UserId").unwrap_or_default();
    let stream_id = ctx.args.str("StreamId").unwrap_or_default();
    let now = ctx.now_millis;
    if !ctx.state.rooms.rooms.contains_key(room_id) {
        let auto_create = ctx.features.auto_create_room;
        if !auto_create {
            return Err(refusal(
                code::ROOM_MISSING,
                format!("room {room_id:?} does not exist; AddStream cannot create a room (unless the app's auto_create_room feature is on)"),
            ));
        }
        super::create_room(ctx.state, room_id, user_id, now);
    }
    let title = ctx.args.str("StreamTitle").unwrap_or_default().to_string();
    let extra_info = ctx.args.str("ExtraInfo").unwrap_or_default().to_string();
    let censor_flag = u32::from(ctx.args.str("CensorFlag") == Some("1"));
    let room = ctx
        .state
        .rooms
        .rooms
        .get_mut(room_id)
        .expect("the room exists");
    if let Some(listed) = room.streams.get_mut(stream_id) {
        if listed.user_id != user_id {
            return Err(refusal(
                code::STREAM_CONFLICT,
                format!(
                    "stream {stream_id:?} is already in room {room_id:?} under user {:?}",
                    listed.user_id
                ),
            ));
        }
        listed.title = title;
        listed.extra_info = extra_info;
        listed.censor_flag = censor_flag;
        return Ok(Reply::ok(Data::Absent));
    }
    if room.streams.len() >= MAX_STREAMS_PER_ROOM {
        return Err(refusal(
            code::STREAM_SET_FAILED,
            format!(
                "room {room_id:?} already lists {MAX_STREAMS_PER_ROOM} streams (the mock's cap)"
            ),
        ));
    }
    let in_room = room.users.contains_key(user_id);
    let stream = RoomStream {
        user_id: user_id.to_string(),
        user_name: ctx.args.str("UserName").unwrap_or_default().to_string(),
        title,
        extra_info,
        censor_flag,
        create_millis: now,
        number_id: 0,
        source: StreamSource::AddStream,
    };
    super::add_stream(ctx.state, room_id, stream_id, stream, now);
    if in_room {
        // "If the actual user's UserId in the Room has not published the stream, the stream
        // deletion logic for the corresponding StreamId will be triggered."
        remove_stream(ctx.state, room_id, stream_id, close_type::DELETED, now);
    }
    Ok(Reply::ok(Data::Absent))
}

/// Removes a stream from the room's list (138 when it is not there); the operator need not be
/// its publisher, and a published stream stays live.
pub(crate) fn delete(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let stream_id = ctx.args.str("StreamId").unwrap_or_default();
    let now = ctx.now_millis;
    let Some(room) = ctx.state.rooms.rooms.get_mut(room_id) else {
        return Err(refusal(
            code::STREAM_MISSING,
            format!("room {room_id:?} does not exist, so it lists no stream {stream_id:?}"),
        ));
    };
    let Some(stream) = room.streams.remove(stream_id) else {
        return Err(refusal(
            code::STREAM_MISSING,
            format!("room {room_id:?} lists no stream {stream_id:?}"),
        ));
    };
    // The list changes; the media does not ("does not perform the actual stop publishing").
    super::record_stream_close(
        ctx.state,
        room_id,
        stream_id,
        &stream,
        close_type::DELETED,
        now,
    );
    Ok(Reply::ok(Data::Absent))
}

/// The room's streams by `StreamNumberId`; a missing room lists none.
pub(crate) fn list(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let mut streams: Vec<(&String, &RoomStream)> = ctx
        .state
        .rooms
        .rooms
        .get(room_id)
        .map(|r| r.streams.iter().collect())
        .unwrap_or_default();
    streams.sort_unstable_by_key(|(_, s)| s.number_id);
    let list: Vec<Value> = streams
        .into_iter()
        .map(|(id, s)| {
            json!({"StreamId": id, "UserId": s.user_id, "UserName": s.user_name, "CreateTime": s.create_millis, "StreamNumberId": s.number_id})
        })
        .collect();
    Ok(Reply::ok(Data::Value(json!({ "StreamList": list }))))
}
