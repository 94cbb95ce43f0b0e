//! Room signaling's own cases: the kit's sample requests, the state a valid request needs, the
//! typed client's calls and the state flows (users logging in, messages, room streams, closing
//! and kicking, ban rules).
//!
//! A room exists only while a user is in it, and users come from simulated clients: every flow
//! sets up its rooms through the mock's control plane (SPEC-rooms-mixing.md §3.7, under
//! `/_mock/apps/{AppId}`), so each needs `Needs::control` and is skipped against the real service.
//! Every RoomId, UserId and StreamId is the case's own.

use super::{case, check, choice, sample_params, Case, CaseResult};
use crate::target::{short_id, Answer, Ctx, Needs};
use serde_json::{json, Value};
use std::sync::Arc;

/// The kit's own sample request of each room action, after the request examples of the pages
/// (`room1`, `user1`, `streamId1` and the like; the ids are replaced per case by [`personalise`]).
/// Used when `fixtures/requests.json` has no entry for the action.
pub const SAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "SendBroadcastMessage",
        &[
            ("RoomId", "room1"),
            ("UserId", "user1"),
            ("UserName", "userName"),
            ("MessageCategory", "1"),
            ("MessageContent", "hello zego big im - 广播消息"),
        ],
    ),
    (
        "SendBarrageMessage",
        &[
            ("RoomId", "room1"),
            ("UserId", "user1"),
            ("UserName", "userName"),
            ("MessageCategory", "2"),
            ("MessageContent", "hello zego big im-弹幕消息"),
        ],
    ),
    (
        "SendCustomCommand",
        &[
            ("RoomId", "room"),
            ("FromUserId", "userA"),
            ("ToUserId[]", "user1"),
            ("MessageContent", "custom command"),
        ],
    ),
    ("DescribeUserNum", &[("RoomId[]", "room1")]),
    ("DescribeUsers", &[("RoomId", "room1"), ("UserId[]", "a")]),
    (
        "DescribeUserList",
        &[("RoomId", "room_demo"), ("Mode", "0"), ("Limit", "2")],
    ),
    (
        "AddStream",
        &[
            ("RoomId", "room1"),
            ("UserId", "user1"),
            ("UserName", "userName"),
            ("StreamId", "streamId1"),
            ("StreamTitle", "流标题"),
            ("ExtraInfo", "附加信息"),
            ("CensorFlag", "0"),
        ],
    ),
    (
        "DeleteStream",
        &[
            ("RoomId", "room1"),
            ("UserId", "user1"),
            ("UserName", "userName"),
            ("StreamId", "streamId1"),
        ],
    ),
    ("DescribeSimpleStreamList", &[("RoomId", "room1")]),
    (
        "CloseRoom",
        &[
            ("RoomId", "room1"),
            ("CustomReason", "clear"),
            ("RoomCloseCallback", "false"),
        ],
    ),
    (
        "KickoutUser",
        &[
            ("RoomId", "room1"),
            ("UserId[]", "a"),
            ("CustomReason", "踢出用户-原因"),
        ],
    ),
    (
        "SetForbidUserRule",
        &[
            ("RuleType", "2"),
            ("RoomId", "room1"),
            ("DisabledPrivilege[]", "1"),
            ("DisabledPrivilege[]", "2"),
            ("EffectiveTime", "1800"),
        ],
    ),
    ("DescribeForbidUserRules", &[("RuleType", "2")]),
    (
        "DelForbidUserRule",
        &[("RuleType", "2"), ("RoomId", "room1")],
    ),
    (
        "SetForbidStreamRule",
        &[
            ("RoomId", "room1"),
            ("StreamId", "streamId1"),
            ("DisableAudio", "1"),
            ("DisableVideo", "1"),
            ("EffectiveTime", "3600"),
        ],
    ),
    (
        "DescribeForbidStreamRules",
        &[("RoomId", "room1"), ("StreamId[]", "streamId1")],
    ),
    (
        "DelForbidStreamRule",
        &[("RoomId", "room1"), ("StreamId", "streamId1")],
    ),
];

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

/// The room of the sample request for `stream`.
pub fn room_of(stream: &str) -> String {
    format!("room-{stream}")
}

/// The user of the sample request for `stream`: the sender, the user described or kicked; the
/// one the success cases log in.
pub fn user_of(stream: &str) -> String {
    short_id(&format!("user-{stream}"))
}

/// The user that adds and deletes the sample's room stream: not logged in to the room, as a CDN
/// stream injector is not (a logged-in user's added stream that it does not publish is deleted at
/// once, SPEC-rooms-mixing.md ★14).
pub fn injector_of(stream: &str) -> String {
    short_id(&format!("injector-{stream}"))
}

/// The target of the sample custom command: a user who is not in the room.
pub fn target_of(stream: &str) -> String {
    short_id(&format!("target-{stream}"))
}

/// Makes the ids of a room request for `stream` the case's own: RoomIds become [`room_of`],
/// senders and described or kicked users [`user_of`], AddStream's and DeleteStream's UserId
/// [`injector_of`], custom-command targets [`target_of`], StreamIds `stream`. A repeated entry
/// of a list gets `-1`, `-2`, ... appended. Other values stay as the sample has them.
pub fn personalise(
    action: &str,
    pairs: Vec<(String, String)>,
    stream: &str,
) -> Vec<(String, String)> {
    let mut seen: Vec<String> = Vec::new();
    pairs
        .into_iter()
        .map(|(name, value)| {
            let base = match name.as_str() {
                "RoomId" | "RoomId[]" => room_of(stream),
                "UserId" if matches!(action, "AddStream" | "DeleteStream") => injector_of(stream),
                "UserId" | "UserId[]" | "FromUserId" => user_of(stream),
                "ToUserId[]" => target_of(stream),
                "StreamId" | "StreamId[]" => stream.to_string(),
                _ => return (name, value),
            };
            let repeat = seen.iter().filter(|n| **n == name).count();
            seen.push(name.clone());
            let value = if repeat == 0 {
                base
            } else {
                format!("{base}-{repeat}")
            };
            (name, value)
        })
        .collect()
}

/// Calls a room action through the typed client, with the values of the kit's sample request
/// for `stream` ([`sample_params`]), and checks it succeeds.
pub(super) async fn typed_call(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    use zego_client::*;
    let p = sample_params(action, stream);
    let one = |name: &str| {
        p.iter()
            .find(|(n, _)| n == name || n.strip_suffix("[]") == Some(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |name: &str| -> Vec<String> {
        p.iter()
            .filter(|(n, _)| n == name || n.strip_suffix("[]") == Some(name))
            .map(|(_, v)| v.clone())
            .collect()
    };
    let category = if one("MessageCategory") == "2" {
        MessageCategory::Chat
    } else {
        MessageCategory::System
    };
    let rule_type = match one("RuleType").as_str() {
        "1" => ForbidRuleType::Ip,
        "3" => ForbidRuleType::User,
        "4" => ForbidRuleType::RoomUser,
        _ => ForbidRuleType::Room,
    };
    // The key of a user ban rule: the IP, RoomId and UserId the sample sets.
    macro_rules! with_rule_key {
        ($request:expr) => {{
            let mut r = $request;
            if !one("IP").is_empty() {
                r = r.ip(one("IP"));
            }
            if !one("RoomId").is_empty() {
                r = r.room_id(one("RoomId"));
            }
            if !one("UserId").is_empty() {
                r = r.user_id(one("UserId"));
            }
            r
        }};
    }
    let c = ctx.client();
    let result = match action {
        "SendBroadcastMessage" => c
            .send_broadcast_message(SendBroadcastMessageRequest::new(
                one("RoomId"),
                one("UserId"),
                category,
                one("MessageContent"),
            ))
            .await
            .map(|_| ()),
        "SendBarrageMessage" => c
            .send_barrage_message(SendBarrageMessageRequest::new(
                one("RoomId"),
                one("UserId"),
                category,
                one("MessageContent"),
            ))
            .await
            .map(|_| ()),
        "SendCustomCommand" => c
            .send_custom_command(
                SendCustomCommandRequest::new(
                    one("RoomId"),
                    one("FromUserId"),
                    one("MessageContent"),
                )
                .to_user_ids(all("ToUserId")),
            )
            .await
            .map(|_| ()),
        "DescribeUserNum" => c
            .describe_user_num(DescribeUserNumRequest::new(all("RoomId")))
            .await
            .map(|_| ()),
        "DescribeUsers" => c
            .describe_users(DescribeUsersRequest::new(one("RoomId"), all("UserId")))
            .await
            .map(|_| ()),
        "DescribeUserList" => c
            .describe_user_list(DescribeUserListRequest::new(one("RoomId")))
            .await
            .map(|_| ()),
        "AddStream" => c
            .add_stream(AddStreamRequest::new(
                one("RoomId"),
                one("UserId"),
                one("StreamId"),
            ))
            .await
            .map(|_| ()),
        "DeleteStream" => c
            .delete_stream(DeleteStreamRequest::new(
                one("RoomId"),
                one("UserId"),
                one("StreamId"),
            ))
            .await
            .map(|_| ()),
        "DescribeSimpleStreamList" => c
            .describe_simple_stream_list(DescribeSimpleStreamListRequest::new(one("RoomId")))
            .await
            .map(|_| ()),
        "CloseRoom" => c
            .close_room(CloseRoomRequest::new(one("RoomId")))
            .await
            .map(|_| ()),
        "KickoutUser" => c
            .kickout_user(KickoutUserRequest::new(one("RoomId"), all("UserId")))
            .await
            .map(|_| ()),
        "SetForbidUserRule" => {
            let privileges: Vec<DisabledPrivilege> = all("DisabledPrivilege")
                .iter()
                .map(|p| {
                    if p == "2" {
                        DisabledPrivilege::Publish
                    } else {
                        DisabledPrivilege::Login
                    }
                })
                .collect();
            let seconds = one("EffectiveTime").parse().unwrap_or(60);
            c.set_forbid_user_rule(with_rule_key!(SetForbidUserRuleRequest::new(
                rule_type, privileges, seconds,
            )))
            .await
            .map(|_| ())
        }
        "DescribeForbidUserRules" => c
            .describe_forbid_user_rules(DescribeForbidUserRulesRequest::new(rule_type))
            .await
            .map(|_| ()),
        "DelForbidUserRule" => {
            let r = with_rule_key!(DelForbidUserRuleRequest::new(rule_type));
            c.del_forbid_user_rule(r).await.map(|_| ())
        }
        "SetForbidStreamRule" => c
            .set_forbid_stream_rule(
                SetForbidStreamRuleRequest::new(one("RoomId"), one("StreamId"))
                    .disable_audio(one("DisableAudio") == "1")
                    .disable_video(one("DisableVideo") == "1"),
            )
            .await
            .map(|_| ()),
        "DescribeForbidStreamRules" => c
            .describe_forbid_stream_rules(DescribeForbidStreamRulesRequest::new(
                one("RoomId"),
                all("StreamId"),
            ))
            .await
            .map(|_| ()),
        "DelForbidStreamRule" => c
            .del_forbid_stream_rule(DelForbidStreamRuleRequest::new(
                one("RoomId"),
                one("StreamId"),
            ))
            .await
            .map(|_| ()),
        other => return Err(format!("no typed method for {other}")),
    };
    result.map_err(|e| format!("the typed client's {action} failed: {e}"))
}

/// Sets up the state a valid request of `action` for `stream` ([`sample_params`]) needs to
/// succeed: its user is in its room (so the room exists), and the stream or the rule it deletes
/// or describes is there.
pub(super) async fn prepare(ctx: &Ctx, action: &str, stream: &str) -> CaseResult {
    login(ctx, &room_of(stream), &user_of(stream), HOST).await?;
    let before = match action {
        "DeleteStream" | "DescribeSimpleStreamList" => "AddStream",
        "DelForbidUserRule" | "DescribeForbidUserRules" => "SetForbidUserRule",
        "DelForbidStreamRule" | "DescribeForbidStreamRules" => "SetForbidStreamRule",
        _ => return Ok(()),
    };
    let params = sample_params(before, stream);
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    ctx.call(before, &refs)
        .await?
        .expect_code(0)
        .map_err(|e| format!("setting up {action} with {before}: {e}"))
}

/// UserRole 1: host.
const HOST: u8 = 1;
/// UserRole 2: audience.
const AUDIENCE: u8 = 2;
/// UserRole 4: administrator.
const ADMIN: u8 = 4;

/// A simulated client logs in to a room: `POST /_mock/apps/{app}/rooms/{room}/users`. Answers
/// the control plane's HTTP status and body.
async fn try_login(ctx: &Ctx, room: &str, user: &str, role: u8) -> Result<(u16, Value), String> {
    ctx.app_control(
        "POST",
        &format!("/rooms/{room}/users"),
        Some(json!({"user_id": user, "user_name": name_of(user), "role": role})),
    )
    .await
}

/// A simulated client logs in to a room, which must be accepted.
async fn login(ctx: &Ctx, room: &str, user: &str, role: u8) -> CaseResult {
    let (status, body) = try_login(ctx, room, user, role).await?;
    check(status == 200, || {
        format!("the control plane refused {user}'s login to {room}: HTTP {status} {body}")
    })
}

/// The UserName the flows log `user` in with.
fn name_of(user: &str) -> String {
    format!("name-{user}")
}

/// Sends `action` and checks it answers 0.
async fn ok(ctx: &Ctx, action: &str, params: &[(&str, &str)]) -> Result<Answer, String> {
    let answer = ctx.call(action, params).await?;
    answer
        .expect_code(0)
        .map_err(|e| format!("{action}: {e}"))?;
    Ok(answer)
}

/// The elements of `Data.{list}`.
fn list<'a>(answer: &'a Answer, name: &str) -> &'a [Value] {
    answer.body["Data"][name]
        .as_array()
        .map_or(&[], Vec::as_slice)
}

/// The element of `Data.{list}` whose `key` is `value`.
fn entry<'a>(answer: &'a Answer, name: &str, key: &str, value: &str) -> Option<&'a Value> {
    list(answer, name).iter().find(|e| e[key] == value)
}

/// The values of `key` in `Data.{list}`, in order.
fn column(answer: &Answer, name: &str, key: &str) -> Vec<String> {
    list(answer, name)
        .iter()
        .map(|e| e[key].as_str().unwrap_or_default().to_string())
        .collect()
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

/// The six ban-rule actions, which need a permission ZEGO enables (code 9 otherwise).
const RULE_ACTIONS: [&str; 6] = [
    "SetForbidUserRule",
    "DescribeForbidUserRules",
    "DelForbidUserRule",
    "SetForbidStreamRule",
    "DescribeForbidStreamRules",
    "DelForbidStreamRule",
];

/// The family's state flows.
pub(super) fn flows() -> Vec<Case> {
    let mut cases = users();
    cases.extend(messages());
    cases.extend(streams());
    cases.extend(close_and_kick());
    cases.extend(user_rules());
    cases.extend(stream_rules());
    cases
}

fn users() -> Vec<Case> {
    vec![
        case("flow.room-user-num", "DescribeUserNum counts each listed room's users, administrators included and also counted apart, and 0 for a room nobody is in", "room/describe-user-num.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let (a, b, empty) = (ctx.id("a"), ctx.id("b"), ctx.id("empty"));
            login(&ctx, &a, &ctx.short_id("u1"), AUDIENCE).await?;
            login(&ctx, &a, &ctx.short_id("admin"), ADMIN).await?;
            login(&ctx, &b, &ctx.short_id("u2"), HOST).await?;
            let answer = ok(&ctx, "DescribeUserNum", &[("RoomId[]", &a), ("RoomId[]", &b), ("RoomId[]", &empty)]).await?;
            for (room, users, admins) in [(&a, 2, 1), (&b, 1, 0), (&empty, 0, 0)] {
                let e = entry(&answer, "UserCountList", "RoomId", room).ok_or_else(|| format!("{room} is not listed: {}", answer.body))?;
                check(e["UserCount"] == users && e["AdminUserCount"] == admins, || format!("{room}: {e}, expected UserCount {users} and AdminUserCount {admins}"))?;
            }
            Ok(())
        }),
        choice(case("flow.room-plain-array-names", "a list sent as repeated plain names (RoomId=a&RoomId=b, as the YAML schema reads) is accepted like RoomId[]", "room/describe-user-num.yaml; SPEC-rooms-mixing.md ★1", CONTROL, |ctx: Arc<Ctx>| async move {
            let (a, b) = (ctx.id("a"), ctx.id("b"));
            login(&ctx, &a, &ctx.short_id("u"), AUDIENCE).await?;
            let answer = ok(&ctx, "DescribeUserNum", &[("RoomId", &a), ("RoomId", &b)]).await?;
            check(column(&answer, "UserCountList", "RoomId") == [a.clone(), b.clone()], || format!("{}", answer.body))
        })),
        case("flow.room-describe-users", "DescribeUsers reports a logged-in user with Status 1, its UserRole and its login time in ms, and a user not in the room with Status 0", "room/describe-users.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let (room, host, ghost) = (ctx.id("r"), ctx.short_id("host"), ctx.short_id("ghost"));
            let at = ctx.now_millis();
            login(&ctx, &room, &host, HOST).await?;
            let answer = ok(&ctx, "DescribeUsers", &[("RoomId", &room), ("UserId[]", &host), ("UserId[]", &ghost)]).await?;
            let h = entry(&answer, "UserStatusList", "UserId", &host).ok_or_else(|| format!("{host} is not listed: {}", answer.body))?;
            check(h["Status"] == 1 && h["UserRole"] == HOST && h["LoginTime"] == at, || format!("{h}: expected Status 1, UserRole 1, LoginTime {at}"))?;
            let g = entry(&answer, "UserStatusList", "UserId", &ghost).ok_or_else(|| format!("{ghost} is not listed: {}", answer.body))?;
            check(g["Status"] == 0, || format!("{g}: expected Status 0"))
        }),
        case("flow.room-describe-users-missing-room", "DescribeUsers in a room nobody is in answers 50001 (room does not exist)", "room/describe-users.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let user = ctx.short_id("u");
            ctx.call("DescribeUsers", &[("RoomId", &ctx.id("none")), ("UserId[]", &user)]).await?.expect_code(50001)
        }),
        case("flow.room-user-list-paging", "DescribeUserList pages by Limit in login order (Mode 0 ascending, 1 descending), each page's Marker leads to the next, and the last page's Marker is empty", "room/describe-user-list.yaml", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let room = ctx.id("r");
            let users: Vec<String> = (0..5).map(|i| ctx.short_id(&format!("u{i}"))).collect();
            for u in &users {
                login(&ctx, &room, u, AUDIENCE).await?;
                ctx.advance_millis(1).await?;
            }
            let mut marker = String::new();
            for want in [&users[0..2], &users[2..4], &users[4..5]] {
                ctx.advance_millis(1000).await?;
                let mut params = vec![("RoomId", room.as_str()), ("Limit", "2")];
                if !marker.is_empty() {
                    params.push(("Marker", marker.as_str()));
                }
                let answer = ok(&ctx, "DescribeUserList", &params).await?;
                check(column(&answer, "UserList", "UserId") == want, || format!("expected {want:?}: {}", answer.body))?;
                marker = answer.body["Data"]["Marker"].as_str().ok_or("no Marker string")?.to_string();
                let last = want.last() == users.last();
                check(marker.is_empty() == last, || format!("Marker {marker:?} after {want:?}"))?;
            }
            ctx.advance_millis(1000).await?;
            let answer = ok(&ctx, "DescribeUserList", &[("RoomId", &room), ("Mode", "1"), ("Limit", "2")]).await?;
            check(column(&answer, "UserList", "UserId") == [users[4].clone(), users[3].clone()], || format!("Mode 1: {}", answer.body))?;
            let u = &list(&answer, "UserList")[0];
            check(u["UserName"] == name_of(&users[4]).as_str() && u["UserRole"] == AUDIENCE, || format!("{u}"))
        }),
        choice(case("flow.room-user-list-limit-zero", "DescribeUserList with Limit 0 answers the default page of up to 200 users", "room/describe-user-list.yaml; SPEC-rooms-mixing.md ★9", CONTROL, |ctx: Arc<Ctx>| async move {
            let room = ctx.id("r");
            for i in 0..3 {
                login(&ctx, &room, &ctx.short_id(&format!("u{i}")), AUDIENCE).await?;
            }
            let answer = ok(&ctx, "DescribeUserList", &[("RoomId", &room), ("Limit", "0")]).await?;
            check(list(&answer, "UserList").len() == 3, || format!("{}", answer.body))
        })),
        case("flow.room-user-list-missing-room", "DescribeUserList of a room nobody is in answers 0 with an empty UserList", "room/describe-user-list.yaml (RoomId)", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let answer = ok(&ctx, "DescribeUserList", &[("RoomId", &ctx.id("none"))]).await?;
            check(answer.body["Data"]["UserList"].as_array().is_some_and(Vec::is_empty), || format!("{}", answer.body))
        }),
        choice(case("flow.room-user-list-bad-marker", "DescribeUserList with a Marker it never answered (not <login ms>-<UserId>) answers 2", "room/describe-user-list.yaml; SPEC-rooms-mixing.md ★9", CONTROL, |ctx: Arc<Ctx>| async move {
            let room = ctx.id("r");
            login(&ctx, &room, &ctx.short_id("u"), AUDIENCE).await?;
            ctx.call("DescribeUserList", &[("RoomId", &room), ("Marker", "no-such-marker")]).await?.expect_code(2)
        })),
    ]
}

fn messages() -> Vec<Case> {
    vec![
        choice(case("flow.room-broadcast-message-ids", "SendBroadcastMessage answers an integer MessageId counting from 1 in each room", "room/send-broadcast-message.yaml; SPEC-rooms-mixing.md ★6", CONTROL, |ctx: Arc<Ctx>| async move {
            let (a, b, sender) = (ctx.id("a"), ctx.id("b"), ctx.short_id("sender"));
            for room in [&a, &b] {
                login(&ctx, room, &ctx.short_id("listener"), AUDIENCE).await?;
            }
            let send = |room: String| {
                let ctx = ctx.clone();
                let sender = sender.clone();
                async move { ok(&ctx, "SendBroadcastMessage", &[("RoomId", &room), ("UserId", &sender), ("MessageCategory", "2"), ("MessageContent", "hi")]).await }
            };
            let ids = [send(a.clone()).await?, send(a.clone()).await?, send(b.clone()).await?].map(|answer| answer.body["Data"]["MessageId"].clone());
            check(ids == [json!(1), json!(2), json!(1)], || format!("MessageIds {ids:?}"))
        })),
        case("flow.room-barrage-message-id", "SendBarrageMessage answers a string MessageId, a new one for each message", "room/send-barrage-message.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let room = ctx.id("r");
            login(&ctx, &room, &ctx.short_id("listener"), AUDIENCE).await?;
            let mut ids = Vec::new();
            for _ in 0..2 {
                let answer = ok(&ctx, "SendBarrageMessage", &[("RoomId", &room), ("UserId", &ctx.short_id("sender")), ("MessageCategory", "2"), ("MessageContent", "hi")]).await?;
                let id = answer.body["Data"]["MessageId"].as_str().filter(|s| !s.is_empty()).ok_or_else(|| format!("MessageId is not a string: {}", answer.body))?.to_string();
                ids.push(id);
            }
            check(ids[0] != ids[1], || format!("the same MessageId twice: {ids:?}"))
        }),
        choice(case("flow.room-custom-command-offline", "SendCustomCommand to one user in the room and one who is not answers 0 with FailUsers listing only the absent one, Code 50003", "room/send-custom-command.yaml; SPEC-rooms-mixing.md ★3", CONTROL, |ctx: Arc<Ctx>| async move {
            let (room, online, offline) = (ctx.id("r"), ctx.short_id("online"), ctx.short_id("offline"));
            login(&ctx, &room, &online, AUDIENCE).await?;
            let answer = ok(&ctx, "SendCustomCommand", &[("RoomId", &room), ("FromUserId", &ctx.short_id("sender")), ("ToUserId[]", &online), ("ToUserId[]", &offline), ("MessageContent", "cmd")]).await?;
            let fail = &answer.body["Data"]["FailUsers"];
            check(*fail == json!([{"Uid": offline, "Code": 50003}]), || format!("FailUsers {fail}"))
        })),
        choice(case("flow.room-send-missing-room", "each of the three sends to a room nobody is in answers 50001 (room does not exist)", "send-broadcast-message.yaml, send-barrage-message.yaml, send-custom-command.yaml; SPEC-rooms-mixing.md ★2", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let (room, user) = (ctx.id("none"), ctx.short_id("u"));
            for action in ["SendBroadcastMessage", "SendBarrageMessage"] {
                ctx.call(action, &[("RoomId", &room), ("UserId", &user), ("MessageCategory", "1"), ("MessageContent", "hi")]).await?.expect_code(50001).map_err(|e| format!("{action}: {e}"))?;
            }
            ctx.call("SendCustomCommand", &[("RoomId", &room), ("FromUserId", &user), ("MessageContent", "hi")]).await?.expect_code(50001)
        })),
        choice(case("flow.room-message-bytes", "MessageContent is counted in bytes of the decoded text: 1024 bytes of mostly 3-byte characters pass, 1025 answer 50012", "room/send-broadcast-message.yaml (MessageContent); SPEC-rooms-mixing.md §2", CONTROL, |ctx: Arc<Ctx>| async move {
            let room = ctx.id("r");
            login(&ctx, &room, &ctx.short_id("listener"), AUDIENCE).await?;
            let wide = "广".repeat(341);
            let send = |content: String| {
                let ctx = ctx.clone();
                let room = room.clone();
                async move { ctx.call("SendBroadcastMessage", &[("RoomId", &room), ("UserId", &ctx.short_id("sender")), ("MessageCategory", "2"), ("MessageContent", &content)]).await }
            };
            send(format!("{wide}x")).await?.expect_code(0)?;
            send(format!("{wide}xx")).await?.expect_code(50012)
        })),
    ]
}

/// DescribeSimpleStreamList of `room`, which is served once per 10 s per room: moves the clock
/// on 10 s first.
async fn stream_list(ctx: &Ctx, room: &str) -> Result<Answer, String> {
    ctx.advance_millis(10_000).await?;
    ok(ctx, "DescribeSimpleStreamList", &[("RoomId", room)]).await
}

/// AddStream of `stream` in `room` by `user`, who is not logged in.
async fn add_stream(ctx: &Ctx, room: &str, user: &str, stream: &str) -> Result<Answer, String> {
    ctx.call(
        "AddStream",
        &[
            ("RoomId", room),
            ("UserId", user),
            ("UserName", &name_of(user)),
            ("StreamId", stream),
        ],
    )
    .await
}

fn streams() -> Vec<Case> {
    vec![
        case("flow.room-add-stream-listed", "AddStream puts a stream in the room's list (DescribeSimpleStreamList shows its StreamId, UserId, UserName and CreateTime in ms) without publishing it (DescribeRTCStreamState still answers 41004)", "room/add-stream.yaml, room/describe-simple-streamlist.yaml", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let (room, injector, stream) = (ctx.id("r"), ctx.short_id("injector"), ctx.stream("s"));
            login(&ctx, &room, &ctx.short_id("host"), HOST).await?;
            let at = ctx.now_millis();
            add_stream(&ctx, &room, &injector, &stream).await?.expect_code(0)?;
            let answer = stream_list(&ctx, &room).await?;
            let s = entry(&answer, "StreamList", "StreamId", &stream).ok_or_else(|| format!("{stream} is not listed: {}", answer.body))?;
            check(s["UserId"] == injector.as_str() && s["UserName"] == name_of(&injector).as_str() && s["CreateTime"] == at && s["StreamNumberId"].is_u64(), || format!("{s}"))?;
            let seq = ctx.client().next_sequence().to_string();
            ctx.call("DescribeRTCStreamState", &[("StreamId", &stream), ("Sequence", &seq)]).await?.expect_code(41004)
        }),
        choice(case("flow.room-stream-number-ids", "room streams are listed in the order they were added, numbered from 1 (StreamNumberId)", "room/describe-simple-streamlist.yaml; SPEC-rooms-mixing.md R9", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let room = ctx.id("r");
            login(&ctx, &room, &ctx.short_id("host"), HOST).await?;
            let streams = [ctx.stream("s1"), ctx.stream("s2")];
            for s in &streams {
                add_stream(&ctx, &room, &ctx.short_id("injector"), s).await?.expect_code(0)?;
                // AddStream allows 1 per second in the test environment.
                ctx.advance_millis(1000).await?;
            }
            let answer = stream_list(&ctx, &room).await?;
            let numbers: Vec<Value> = list(&answer, "StreamList").iter().map(|s| s["StreamNumberId"].clone()).collect();
            check(column(&answer, "StreamList", "StreamId") == streams && numbers == [json!(1), json!(2)], || format!("{}", answer.body))
        })),
        choice(case("flow.room-stream-list-missing-room", "DescribeSimpleStreamList of a room nobody is in answers 0 with an empty StreamList", "room/describe-simple-streamlist.yaml; SPEC-rooms-mixing.md ★2", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let answer = ok(&ctx, "DescribeSimpleStreamList", &[("RoomId", &ctx.id("none"))]).await?;
            check(answer.body["Data"]["StreamList"].as_array().is_some_and(Vec::is_empty), || format!("{}", answer.body))
        })),
        case("flow.room-delete-stream", "DeleteStream takes an added stream out of the room's list", "room/delete-stream.yaml", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let (room, injector, stream) = (ctx.id("r"), ctx.short_id("injector"), ctx.stream("s"));
            login(&ctx, &room, &ctx.short_id("host"), HOST).await?;
            add_stream(&ctx, &room, &injector, &stream).await?.expect_code(0)?;
            ok(&ctx, "DeleteStream", &[("RoomId", &room), ("UserId", &injector), ("StreamId", &stream)]).await?;
            let answer = stream_list(&ctx, &room).await?;
            check(entry(&answer, "StreamList", "StreamId", &stream).is_none(), || format!("still listed: {}", answer.body))
        }),
        choice(case("flow.room-delete-stream-twice", "DeleteStream of a stream no longer in the room's list answers 138 (stream information does not exist)", "room/delete-stream.yaml; SPEC-rooms-mixing.md R8", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let (room, injector, stream) = (ctx.id("r"), ctx.short_id("injector"), ctx.stream("s"));
            login(&ctx, &room, &ctx.short_id("host"), HOST).await?;
            add_stream(&ctx, &room, &injector, &stream).await?.expect_code(0)?;
            let params = [("RoomId", room.as_str()), ("UserId", injector.as_str()), ("StreamId", stream.as_str())];
            ok(&ctx, "DeleteStream", &params).await?;
            // DeleteStream allows 1 per second in the test environment.
            ctx.advance_millis(1000).await?;
            ctx.call("DeleteStream", &params).await?.expect_code(138)
        })),
        choice(case("flow.room-add-stream-conflict", "AddStream of a StreamId another UserId already has in the room answers 1012 (multiple users operating on the same stream)", "room/add-stream.yaml; SPEC-rooms-mixing.md ★12", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let (room, stream) = (ctx.id("r"), ctx.stream("s"));
            login(&ctx, &room, &ctx.short_id("host"), HOST).await?;
            add_stream(&ctx, &room, &ctx.short_id("one"), &stream).await?.expect_code(0)?;
            ctx.advance_millis(1000).await?;
            add_stream(&ctx, &room, &ctx.short_id("two"), &stream).await?.expect_code(1012)
        })),
        choice(case("flow.room-add-stream-missing-room", "AddStream to a room nobody is in answers 50001: the interface cannot create a room", "room/add-stream.yaml; SPEC-rooms-mixing.md ★13", Needs::NONE, |ctx: Arc<Ctx>| async move {
            add_stream(&ctx, &ctx.id("none"), &ctx.short_id("injector"), &ctx.stream("s")).await?.expect_code(50001)
        })),
    ]
}

/// DescribeUsers of `users` in `room`: each one's Status, in order.
async fn statuses(ctx: &Ctx, room: &str, users: &[&str]) -> Result<Vec<Value>, String> {
    let mut params = vec![("RoomId", room)];
    params.extend(users.iter().map(|u| ("UserId[]", *u)));
    let answer = ok(ctx, "DescribeUsers", &params).await?;
    users
        .iter()
        .map(|u| {
            entry(&answer, "UserStatusList", "UserId", u)
                .map(|e| e["Status"].clone())
                .ok_or_else(|| format!("{u} is not listed: {}", answer.body))
        })
        .collect()
}

fn close_and_kick() -> Vec<Case> {
    vec![
        case("flow.room-kickout", "KickoutUser removes the user from the room; once the last user is kicked out the room is destroyed (DescribeUsers answers 50001)", "room/kick-out-user.yaml, room/describe-users.yaml (50001)", CONTROL, |ctx: Arc<Ctx>| async move {
            let (room, a, b) = (ctx.id("r"), ctx.short_id("a"), ctx.short_id("b"));
            login(&ctx, &room, &a, AUDIENCE).await?;
            login(&ctx, &room, &b, AUDIENCE).await?;
            ok(&ctx, "KickoutUser", &[("RoomId", &room), ("UserId[]", &a)]).await?;
            let s = statuses(&ctx, &room, &[&a, &b]).await?;
            check(s == [json!(0), json!(1)], || format!("statuses after the kick: {s:?}"))?;
            ok(&ctx, "KickoutUser", &[("RoomId", &room), ("UserId[]", &b), ("CustomReason", "bye")]).await?;
            ctx.call("DescribeUsers", &[("RoomId", &room), ("UserId[]", &b)]).await?.expect_code(50001)
        }),
        choice(case("flow.room-kickout-absent-user", "KickoutUser of a user who is not in the room answers 0 and leaves the others in", "room/kick-out-user.yaml; SPEC-rooms-mixing.md ★7", CONTROL, |ctx: Arc<Ctx>| async move {
            let (room, a) = (ctx.id("r"), ctx.short_id("a"));
            login(&ctx, &room, &a, AUDIENCE).await?;
            ok(&ctx, "KickoutUser", &[("RoomId", &room), ("UserId[]", &ctx.short_id("ghost"))]).await?;
            let s = statuses(&ctx, &room, &[&a]).await?;
            check(s == [json!(1)], || format!("{a}: {s:?}"))
        })),
        case("flow.room-close", "CloseRoom removes every user and closes the room: DescribeUsers then answers 50001 and DescribeUserNum counts 0", "room/close.yaml", CONTROL, |ctx: Arc<Ctx>| async move {
            let (room, a, b) = (ctx.id("r"), ctx.short_id("a"), ctx.short_id("b"));
            login(&ctx, &room, &a, HOST).await?;
            login(&ctx, &room, &b, AUDIENCE).await?;
            ok(&ctx, "CloseRoom", &[("RoomId", &room), ("RoomCloseCallback", "true")]).await?;
            ctx.call("DescribeUsers", &[("RoomId", &room), ("UserId[]", &a)]).await?.expect_code(50001)?;
            let answer = ok(&ctx, "DescribeUserNum", &[("RoomId[]", &room)]).await?;
            let count = entry(&answer, "UserCountList", "RoomId", &room).map(|e| e["UserCount"].clone());
            check(count == Some(json!(0)), || format!("{}", answer.body))
        }),
        choice(case("flow.room-close-twice", "CloseRoom of a room already closed answers 5024 (room does not exist)", "room/close.yaml; SPEC-rooms-mixing.md R10", CONTROL_CLOCK, |ctx: Arc<Ctx>| async move {
            let room = ctx.id("r");
            login(&ctx, &room, &ctx.short_id("a"), HOST).await?;
            ok(&ctx, "CloseRoom", &[("RoomId", &room)]).await?;
            // CloseRoom is limited to one request a second per AppId.
            ctx.advance_millis(1000).await?;
            ctx.call("CloseRoom", &[("RoomId", &room)]).await?.expect_code(5024)
        })),
    ]
}

/// The rules of `rule_type` DescribeForbidUserRules lists.
async fn user_rules_of(ctx: &Ctx, rule_type: &str) -> Result<Vec<Value>, String> {
    let answer = ok(ctx, "DescribeForbidUserRules", &[("RuleType", rule_type)]).await?;
    Ok(list(&answer, "RuleList").to_vec())
}

fn user_rules() -> Vec<Case> {
    vec![
        case("flow.room-user-rule", "SetForbidUserRule answers ExpireTime = now + EffectiveTime; DescribeForbidUserRules lists the rule; DelForbidUserRule removes it", "room/forbid-user-rule/*.yaml", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let (room, user) = (ctx.id("r"), ctx.short_id("u"));
            let key = [("RuleType", "4"), ("RoomId", room.as_str()), ("UserId", user.as_str())];
            let mut set = key.to_vec();
            set.extend([("DisabledPrivilege[]", "1"), ("DisabledPrivilege[]", "2"), ("EffectiveTime", "1800")]);
            let expire = ctx.now() + 1800;
            let answer = ok(&ctx, "SetForbidUserRule", &set).await?;
            check(answer.body["Data"]["ExpireTime"] == expire, || format!("expected ExpireTime {expire}: {}", answer.body))?;
            let rules = user_rules_of(&ctx, "4").await?;
            let mine = |r: &&Value| r["RoomId"] == room.as_str() && r["UserId"] == user.as_str();
            let rule = rules.iter().find(mine).ok_or_else(|| format!("the rule is not listed: {rules:?}"))?;
            check(rule["RuleType"] == 4 && rule["DisabledPrivilegeList"] == json!([1, 2]) && rule["ExpireTime"] == expire, || format!("{rule}"))?;
            ok(&ctx, "DelForbidUserRule", &key).await?;
            let rules = user_rules_of(&ctx, "4").await?;
            check(!rules.iter().any(|r| mine(&r)), || format!("still listed after DelForbidUserRule: {rules:?}"))
        }),
        choice(case("flow.room-user-rule-delete-missing", "DelForbidUserRule of a rule that does not exist answers 50124 (the rule to be deleted does not exist)", "return-codes.mdx (room table); SPEC-rooms-mixing.md ★19", Needs::NONE, |ctx: Arc<Ctx>| async move {
            ctx.call("DelForbidUserRule", &[("RuleType", "2"), ("RoomId", &ctx.id("none"))]).await?.expect_code(50124)
        })),
        case("flow.room-user-rule-conditions", "the user-rule key is required as its RuleType says (1: IP, 2: RoomId, 3: UserId, 4: both): without it SetForbidUserRule and DelForbidUserRule answer 2", "room/forbid-user-rule/set-forbid-user-rule.yaml, del-forbid-user-rule.yaml", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let (room, user) = (ctx.id("r"), ctx.short_id("u"));
            let lacking: [(&str, Vec<(&str, &str)>); 4] = [
                ("1", vec![("RoomId", &room), ("UserId", &user)]),
                ("2", vec![("IP", "203.0.113.7"), ("UserId", &user)]),
                ("3", vec![("IP", "203.0.113.7"), ("RoomId", &room)]),
                ("4", vec![("RoomId", &room)]),
            ];
            for (rule_type, key) in lacking {
                let mut del = vec![("RuleType", rule_type)];
                del.extend(key.iter().copied());
                let mut set = del.clone();
                set.extend([("DisabledPrivilege[]", "1"), ("EffectiveTime", "60")]);
                ctx.call("SetForbidUserRule", &set).await?.expect_code(2).map_err(|e| format!("Set, RuleType {rule_type}: {e}"))?;
                ctx.call("DelForbidUserRule", &del).await?.expect_code(2).map_err(|e| format!("Del, RuleType {rule_type}: {e}"))?;
            }
            Ok(())
        }),
        choice(case("flow.room-user-rule-blocks-login", "a login ban on a room (RuleType 2, DisabledPrivilege 1) makes the control plane refuse a simulated login to that room (HTTP 409), not to another", "room/forbid-user-rule/set-forbid-user-rule.yaml; SPEC-rooms-mixing.md §3.5, §3.7", CONTROL, |ctx: Arc<Ctx>| async move {
            let (banned, other, user) = (ctx.id("banned"), ctx.id("other"), ctx.short_id("u"));
            ok(&ctx, "SetForbidUserRule", &[("RuleType", "2"), ("RoomId", &banned), ("DisabledPrivilege[]", "1"), ("EffectiveTime", "60")]).await?;
            let (status, body) = try_login(&ctx, &banned, &user, AUDIENCE).await?;
            check(status == 409, || format!("a banned login answered HTTP {status} {body}"))?;
            login(&ctx, &other, &user, AUDIENCE).await
        })),
        case("flow.room-rules-permission", "with the ban-rule permission not enabled for the app, each of the six ban-rule actions answers 9", "room/forbid-user-rule/*.yaml, room/forbid-stream-rule/*.yaml (code 9); SPEC-rooms-mixing.md §3.7 (features)", CONTROL, |ctx: Arc<Ctx>| async move {
            // The app's features as SPEC-rooms-mixing.md §3.1 gives their defaults, but for the
            // ban rules.
            let features = |on: bool| ctx.app_control("PUT", "/features", Some(json!({"forbid_rules": on, "stream_mixing": true, "mix_task_ownership": false, "mix_sequence_control": false, "auto_create_room": false})));
            let (status, body) = features(false).await?;
            check(status == 200, || format!("PUT features answered HTTP {status} {body}"))?;
            let mut result = Ok(());
            for action in RULE_ACTIONS {
                let params = sample_params(action, &ctx.stream("p"));
                let refs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                let answer = ctx.call(action, &refs).await;
                result = answer.and_then(|a| a.expect_code(9)).map_err(|e| format!("{action}: {e}"));
                if result.is_err() {
                    break;
                }
            }
            features(true).await?;
            result
        }),
    ]
}

/// The entries DescribeForbidStreamRules answers for `streams` in `room`.
async fn stream_rules_of(ctx: &Ctx, room: &str, streams: &[&str]) -> Result<Vec<Value>, String> {
    let mut params = vec![("RoomId", room)];
    params.extend(streams.iter().map(|s| ("StreamId[]", *s)));
    let answer = ok(ctx, "DescribeForbidStreamRules", &params).await?;
    check(answer.body["Data"]["RoomId"] == room, || {
        format!("Data.RoomId is not the room asked for: {}", answer.body)
    })?;
    streams
        .iter()
        .map(|s| {
            entry(&answer, "ForbidStreamRuleList", "StreamId", s)
                .cloned()
                .ok_or_else(|| format!("{s} is not listed: {}", answer.body))
        })
        .collect()
}

fn stream_rules() -> Vec<Case> {
    let zero = |r: &Value| {
        [
            "DisableAudio",
            "DisableVideo",
            "CreateTime",
            "EffectiveTime",
        ]
        .iter()
        .all(|k| r[k] == 0)
    };
    vec![
        case("flow.room-stream-rule", "SetForbidStreamRule's flags and time show in DescribeForbidStreamRules, a stream without a rule has every field 0, and DelForbidStreamRule removes the rule (a second delete still answers 0)", "room/forbid-stream-rule/*.yaml", Needs::NONE, move |ctx: Arc<Ctx>| async move {
            let (room, stream, unknown) = (ctx.id("r"), ctx.stream("s"), ctx.stream("unknown"));
            ok(&ctx, "SetForbidStreamRule", &[("RoomId", &room), ("StreamId", &stream), ("DisableAudio", "1"), ("DisableVideo", "0"), ("EffectiveTime", "3600")]).await?;
            let rules = stream_rules_of(&ctx, &room, &[&stream, &unknown]).await?;
            check(rules[0]["DisableAudio"] == 1 && rules[0]["DisableVideo"] == 0 && rules[0]["CreateTime"] == ctx.now(), || format!("{}", rules[0]))?;
            check(zero(&rules[1]), || format!("a stream without a rule: {}", rules[1]))?;
            let key = [("RoomId", room.as_str()), ("StreamId", stream.as_str())];
            ok(&ctx, "DelForbidStreamRule", &key).await?;
            let rules = stream_rules_of(&ctx, &room, &[&stream]).await?;
            check(zero(&rules[0]), || format!("after DelForbidStreamRule: {}", rules[0]))?;
            ok(&ctx, "DelForbidStreamRule", &key).await.map(|_| ())
        }),
        choice(case("flow.room-stream-rule-effective-time", "DescribeForbidStreamRules answers EffectiveTime as the rule's duration in seconds, and an EffectiveTime over 86400 is adjusted to 86400", "room/forbid-stream-rule/set-forbid-stream-rule.yaml (EffectiveTime); SPEC-rooms-mixing.md ★17", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let (room, stream) = (ctx.id("r"), ctx.stream("s"));
            for (sent, kept) in [("3600", 3600), ("100000", 86_400)] {
                ok(&ctx, "SetForbidStreamRule", &[("RoomId", &room), ("StreamId", &stream), ("DisableVideo", "1"), ("EffectiveTime", sent)]).await?;
                let rules = stream_rules_of(&ctx, &room, &[&stream]).await?;
                check(rules[0]["EffectiveTime"] == kept, || format!("EffectiveTime {sent}: {}", rules[0]))?;
            }
            Ok(())
        })),
        case("flow.room-stream-rule-needs-a-flag", "SetForbidStreamRule with neither DisableAudio nor DisableVideo set to 1 answers 2", "room/forbid-stream-rule/set-forbid-stream-rule.yaml", Needs::NONE, |ctx: Arc<Ctx>| async move {
            let (room, stream) = (ctx.id("r"), ctx.stream("s"));
            ctx.call("SetForbidStreamRule", &[("RoomId", &room), ("StreamId", &stream), ("DisableAudio", "0"), ("DisableVideo", "0")]).await?.expect_code(2)?;
            ctx.call("SetForbidStreamRule", &[("RoomId", &room), ("StreamId", &stream)]).await?.expect_code(2)
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{self, Family, Kind};

    #[test]
    fn the_kits_samples_cover_the_family_and_agree_with_the_docs_table() {
        let room: Vec<&docs::ActionDoc> = docs::actions()
            .filter(|d| d.family == Family::Room)
            .collect();
        assert_eq!(room.len(), 17);
        assert_eq!(SAMPLES.len(), room.len());
        for d in room {
            let pairs = sample(d.action);
            assert!(!pairs.is_empty(), "{}: no sample", d.action);
            for (n, _) in &pairs {
                assert!(d.param(n).is_some(), "{}: {n} is not documented", d.action);
            }
            for p in d.params.iter().filter(|p| p.required) {
                assert!(
                    pairs.iter().any(|(n, _)| n == p.name),
                    "{}: the sample lacks {}",
                    d.action,
                    p.name
                );
            }
            // Every value in the sample is valid for its kind.
            for (n, v) in &pairs {
                let p = d.param(n).expect("documented");
                let fits = match p.kind {
                    Kind::Text { max_bytes } => !v.is_empty() && v.len() <= max_bytes,
                    Kind::IntEnum(values) | Kind::IntEnumList(values) => {
                        v.parse().is_ok_and(|x: i64| values.contains(&x))
                    }
                    Kind::IntRange { min, max, .. } => {
                        v.parse().is_ok_and(|x: i64| (min..=max).contains(&x))
                    }
                    Kind::Bool => v == "true" || v == "false",
                    _ => !v.is_empty(),
                };
                assert!(fits, "{}: {n}={v:?}", d.action);
            }
        }
    }

    #[test]
    fn personalised_ids_are_the_cases_own_and_fit_the_limits() {
        let stream = "zegotest-12345-DescribeUserNum-rate-limit-production-1234abcd-r199";
        let pairs = personalise(
            "DescribeUserNum",
            vec![
                ("RoomId[]".into(), "room1".into()),
                ("RoomId[]".into(), "room2".into()),
            ],
            stream,
        );
        let room = room_of(stream);
        assert_eq!(
            pairs,
            [
                ("RoomId[]".to_string(), room.clone()),
                ("RoomId[]".to_string(), format!("{room}-1"))
            ]
        );
        assert!(room.len() <= docs::room::ROOM_ID_MAX_BYTES);
        let add = personalise("AddStream", sample("AddStream"), stream);
        let user = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .find(|(n, _)| n == "UserId")
                .map(|(_, v)| v.clone())
        };
        assert_eq!(user(&add), Some(injector_of(stream)));
        let broadcast = personalise(
            "SendBroadcastMessage",
            sample("SendBroadcastMessage"),
            stream,
        );
        assert_eq!(user(&broadcast), Some(user_of(stream)));
        assert!(user_of(stream).len() <= docs::room::USER_ID_MAX_BYTES);
        assert_ne!(user_of(stream), injector_of(stream));
        assert_ne!(user_of(stream), target_of(stream));
        // Values that are not ids stay as the sample has them.
        assert!(broadcast
            .iter()
            .any(|(n, v)| n == "MessageCategory" && v == "1"));
    }

    #[test]
    fn the_family_has_its_flows_with_unique_ids() {
        let ids: Vec<String> = flows().into_iter().map(|c| c.id).collect();
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        for want in [
            "flow.room-custom-command-offline",
            "flow.room-user-list-paging",
            "flow.room-close-twice",
            "flow.room-user-rule",
        ] {
            assert!(ids.iter().any(|i| i == want), "{want}");
        }
    }
}
