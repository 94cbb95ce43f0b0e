//! The happy path of each room-signaling action against the mock, set up through the mock's room
//! control plane (simulated users logging in and publishing) and checked against the mock's
//! state (`rooms`, `messages`) as well as the typed answer.
//!
//! Included by `against_mock.rs` (its `happy_path` hands every room action to this module).

use super::T;
use zego_client::{
    AddStreamRequest, CensorFlag, Client, CloseRoomRequest, DelForbidStreamRuleRequest,
    DelForbidUserRuleRequest, DeleteStreamRequest, DescribeForbidStreamRulesRequest,
    DescribeForbidUserRulesRequest, DescribeSimpleStreamListRequest, DescribeUserListRequest,
    DescribeUserNumRequest, DescribeUsersRequest, DisabledPrivilege, Error, ErrorCode,
    ForbidRuleType, KickoutUserRequest, MessageCategory, SendBarrageMessageRequest,
    SendBroadcastMessageRequest, SendCustomCommandRequest, SetForbidStreamRuleRequest,
    SetForbidUserRuleRequest, UserListMode,
};
use zego_mock::{Env, LogoutReason, MockServer, UserSpec, DEV_APP_ID};

/// The room actions this module has a happy path for.
pub(super) const ACTIONS: &[&str] = &[
    "SendBroadcastMessage",
    "SendBarrageMessage",
    "SendCustomCommand",
    "DescribeUserNum",
    "DescribeUsers",
    "DescribeUserList",
    "AddStream",
    "DeleteStream",
    "DescribeSimpleStreamList",
    "CloseRoom",
    "KickoutUser",
    "SetForbidUserRule",
    "DescribeForbidUserRules",
    "DelForbidUserRule",
    "SetForbidStreamRule",
    "DescribeForbidStreamRules",
    "DelForbidStreamRule",
];

const ENV: Env = Env::Production;

/// A simulated user logs in to `room`.
fn login(server: &MockServer, room: &str, user: UserSpec) {
    server
        .login(DEV_APP_ID, ENV, room, user)
        .unwrap_or_else(|e| panic!("login to {room}: {e:?}"));
}

/// The UserIds in `room`, as the mock holds them (empty when the room does not exist).
fn users_in(server: &MockServer, room: &str) -> Vec<String> {
    server
        .rooms(DEV_APP_ID, ENV)
        .into_iter()
        .find(|r| r.room_id == room)
        .map(|r| r.room.users.keys().cloned().collect())
        .unwrap_or_default()
}

/// Calls the room action `action` the way an application would and checks the answer.
pub(super) async fn happy_path(
    server: &MockServer,
    client: &Client,
    action: &str,
) -> Result<(), Error> {
    let room = format!("happy-{}", action.to_ascii_lowercase());
    let stream = format!("{room}-stream");
    let now_millis = T * 1000;
    match action {
        "SendBroadcastMessage" => {
            login(server, &room, UserSpec::new("alice").name("Alice"));
            login(server, &room, UserSpec::new("bob"));
            let text = "hello zego big im - 广播消息 & more";
            let r = client
                .send_broadcast_message(
                    SendBroadcastMessageRequest::new(&room, "alice", MessageCategory::System, text)
                        .user_name("Alice"),
                )
                .await?;
            assert_eq!(r.message, "success");
            assert!(!r.request_id.is_empty());
            // The room's first broadcast.
            assert_eq!(r.data.message_id, 1);
            let sent = server.messages(DEV_APP_ID, ENV);
            let m = sent.last().expect("journaled");
            assert_eq!((m.kind, m.room_id.as_str()), ("broadcast", room.as_str()));
            assert_eq!(m.content, text, "MessageContent did not arrive intact");
            assert_eq!(m.category, Some(1));
            assert_eq!(m.message_id, serde_json::json!(1));
            // The sender's own client does not receive it.
            assert_eq!(m.recipients, ["bob"]);
        }
        "SendBarrageMessage" => {
            login(server, &room, UserSpec::new("alice"));
            let r = client
                .send_barrage_message(SendBarrageMessageRequest::new(
                    &room,
                    "server",
                    MessageCategory::Chat,
                    "弹幕消息",
                ))
                .await?;
            assert_eq!(r.message, "success");
            // Shaped like the documented "1_1611647493487_29": the time and the room's count.
            assert_eq!(r.data.message_id, format!("1_{now_millis}_1"));
            let sent = server.messages(DEV_APP_ID, ENV);
            let m = sent.last().expect("journaled");
            assert_eq!(m.kind, "barrage");
            assert_eq!(m.content, "弹幕消息");
            assert_eq!(m.category, Some(2));
            assert_eq!(m.message_id, serde_json::json!(r.data.message_id));
            assert_eq!(m.recipients, ["alice"]);
        }
        "SendCustomCommand" => {
            login(server, &room, UserSpec::new("alice"));
            login(server, &room, UserSpec::new("bob"));
            let r = client
                .send_custom_command(
                    SendCustomCommandRequest::new(&room, "server", r#"{"gift":"rose"}"#)
                        .to_user_ids(["bob", "carol"]),
                )
                .await?;
            assert_eq!(r.message, "success");
            // carol is not in the room: 50003, "not online", for her alone.
            let failed: Vec<(&str, i64)> = r
                .data
                .fail_users
                .iter()
                .map(|f| (f.uid.as_str(), f.code))
                .collect();
            assert_eq!(failed, [("carol", 50003)]);
            let sent = server.messages(DEV_APP_ID, ENV);
            let m = sent.last().expect("journaled");
            assert_eq!(m.kind, "custom");
            assert_eq!(m.content, r#"{"gift":"rose"}"#);
            assert_eq!(m.to_user_ids, ["bob", "carol"]);
            assert_eq!(m.recipients, ["bob"]);
        }
        "DescribeUserNum" => {
            login(server, &room, UserSpec::new("alice").role(1));
            login(server, &room, UserSpec::new("recorder").role(4));
            let empty = format!("{room}-empty");
            let r = client
                .describe_user_num(DescribeUserNumRequest::new([room.as_str(), &empty]))
                .await?;
            assert_eq!(r.message, "success");
            let counts: Vec<(&str, i64, i64)> = r
                .data
                .user_count_list
                .iter()
                .map(|c| (c.room_id.as_str(), c.user_count, c.admin_user_count))
                .collect();
            // UserCount includes the administrator; a room that does not exist counts 0.
            assert_eq!(counts, [(room.as_str(), 2, 1), (empty.as_str(), 0, 0)]);
        }
        "DescribeUsers" => {
            login(server, &room, UserSpec::new("alice").role(1));
            login(server, &room, UserSpec::new("bob"));
            server
                .logout(DEV_APP_ID, ENV, &room, "bob", LogoutReason::Normal)
                .expect("logout");
            let r = client
                .describe_users(DescribeUsersRequest::new(&room, ["alice", "bob"]))
                .await?;
            assert_eq!(r.message, "success");
            let users = &r.data.user_status_list;
            assert_eq!(users.len(), 2);
            assert_eq!(users[0].user_id, "alice");
            assert!(users[0].is_in_room());
            assert_eq!(users[0].login_time, now_millis);
            assert_eq!(users[0].user_role, 1);
            assert_eq!(users[1].user_id, "bob");
            assert!(!users[1].is_in_room());
        }
        "DescribeUserList" => {
            for user in ["c", "a", "b"] {
                login(server, &room, UserSpec::new(user).name(user.to_uppercase()));
            }
            let r = client
                .describe_user_list(
                    DescribeUserListRequest::new(&room)
                        .mode(UserListMode::Ascending)
                        .limit(2),
                )
                .await?;
            assert_eq!(r.message, "success");
            let page: Vec<(&str, &str)> = r
                .data
                .user_list
                .iter()
                .map(|u| (u.user_id.as_str(), u.user_name.as_str()))
                .collect();
            // Logged in at the same (frozen) millisecond: ordered by UserId.
            assert_eq!(page, [("a", "A"), ("b", "B")]);
            // Shaped like the documented "1635940599950-user2": the last user's login and id.
            assert_eq!(r.data.marker, format!("{now_millis}-b"));
            // The next page within the same second: the per-room limit (1/s) answers 207.
            let err = client
                .describe_user_list(DescribeUserListRequest::new(&room).marker(&r.data.marker))
                .await
                .expect_err("1/s per room");
            assert_eq!(err.code(), Some(ErrorCode::RoomQpsLimited), "{err}");
            assert!(err.is_throttling() && err.is_retryable() && !err.is_auth());
        }
        "AddStream" => {
            login(server, &room, UserSpec::new("alice"));
            let r = client
                .add_stream(
                    AddStreamRequest::new(&room, "server-bot", &stream)
                        .user_name("Bot")
                        .stream_title("流标题")
                        .extra_info("extra")
                        .censor_flag(CensorFlag::NotAllowed),
                )
                .await?;
            assert_eq!(r.message, "success");
            let rooms = server.rooms(DEV_APP_ID, ENV);
            let listed = rooms
                .iter()
                .find(|v| v.room_id == room)
                .and_then(|v| v.room.streams.get(&stream))
                .unwrap_or_else(|| panic!("{stream} is not in {room}'s list: {rooms:?}"));
            assert_eq!(listed.user_id, "server-bot");
            assert_eq!(listed.user_name, "Bot");
            assert_eq!(listed.title, "流标题");
            assert_eq!(listed.extra_info, "extra");
            assert_eq!(listed.censor_flag, 1);
        }
        "DeleteStream" => {
            login(server, &room, UserSpec::new("alice"));
            server
                .publish_in_room(DEV_APP_ID, ENV, &room, "alice", &stream)
                .expect("publish");
            let r = client
                .delete_stream(DeleteStreamRequest::new(&room, "moderator", &stream))
                .await?;
            assert_eq!(r.message, "success");
            let rooms = server.rooms(DEV_APP_ID, ENV);
            let view = rooms.iter().find(|v| v.room_id == room).expect("the room");
            assert!(!view.room.streams.contains_key(&stream), "{view:?}");
            // The user stays in the room.
            assert_eq!(users_in(server, &room), ["alice"]);
        }
        "DescribeSimpleStreamList" => {
            login(server, &room, UserSpec::new("alice").name("Alice"));
            server
                .publish_in_room(DEV_APP_ID, ENV, &room, "alice", &stream)
                .expect("publish");
            let r = client
                .describe_simple_stream_list(DescribeSimpleStreamListRequest::new(&room))
                .await?;
            assert_eq!(r.message, "success");
            let list = &r.data.stream_list;
            assert_eq!(list.len(), 1, "{list:?}");
            assert_eq!(list[0].stream_id, stream);
            assert_eq!(list[0].user_id, "alice");
            assert_eq!(list[0].user_name, "Alice");
            assert_eq!(list[0].create_time, now_millis);
            assert_eq!(list[0].stream_number_id, 1);
        }
        "CloseRoom" => {
            login(server, &room, UserSpec::new("alice"));
            login(server, &room, UserSpec::new("bob"));
            let r = client
                .close_room(
                    CloseRoomRequest::new(&room)
                        .custom_reason("closed by the moderator")
                        .room_close_callback(true),
                )
                .await?;
            assert_eq!(r.message, "success");
            assert!(users_in(server, &room).is_empty());
            // The room is gone: DescribeUsers answers its documented 50001.
            let err = client
                .describe_users(DescribeUsersRequest::new(&room, ["alice"]))
                .await
                .expect_err("no such room");
            assert_eq!(err.code(), Some(ErrorCode::RoomNotFound(50001)), "{err}");
            assert!(!err.is_retryable() && !err.is_auth() && !err.is_throttling());
        }
        "KickoutUser" => {
            login(server, &room, UserSpec::new("alice"));
            login(server, &room, UserSpec::new("bob"));
            let r = client
                .kickout_user(KickoutUserRequest::new(&room, ["alice"]).custom_reason("违规"))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(users_in(server, &room), ["bob"]);
        }
        "SetForbidUserRule" => {
            let r = client
                .set_forbid_user_rule(
                    SetForbidUserRuleRequest::new(
                        ForbidRuleType::Room,
                        [DisabledPrivilege::Login],
                        1800,
                    )
                    .room_id(&room),
                )
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(r.data.expire_time, T + 1800);
            // No user can log in to the room now.
            assert!(
                server
                    .login(DEV_APP_ID, ENV, &room, UserSpec::new("alice"))
                    .is_err(),
                "a login ban on {room} let a user in"
            );
        }
        "DescribeForbidUserRules" => {
            let user = format!("{room}-user");
            client
                .set_forbid_user_rule(
                    SetForbidUserRuleRequest::new(
                        ForbidRuleType::User,
                        [DisabledPrivilege::Publish],
                        600,
                    )
                    .user_id(&user),
                )
                .await?;
            let r = client
                .describe_forbid_user_rules(DescribeForbidUserRulesRequest::new(
                    ForbidRuleType::User,
                ))
                .await?;
            assert_eq!(r.message, "success");
            let rule = r
                .data
                .rule_list
                .iter()
                .find(|rule| rule.user_id == user)
                .unwrap_or_else(|| panic!("{user} is not listed: {:?}", r.data));
            assert_eq!(rule.rule_type, 3);
            assert_eq!((rule.ip.as_str(), rule.room_id.as_str()), ("", ""));
            assert_eq!(rule.disabled_privilege_list, [2]);
            assert_eq!(rule.expire_time, T + 600);
        }
        "DelForbidUserRule" => {
            let user = format!("{room}-user");
            client
                .set_forbid_user_rule(
                    SetForbidUserRuleRequest::new(
                        ForbidRuleType::RoomUser,
                        [DisabledPrivilege::Login, DisabledPrivilege::Publish],
                        60,
                    )
                    .room_id(&room)
                    .user_id(&user),
                )
                .await?;
            let r = client
                .del_forbid_user_rule(
                    DelForbidUserRuleRequest::new(ForbidRuleType::RoomUser)
                        .room_id(&room)
                        .user_id(&user),
                )
                .await?;
            assert_eq!(r.message, "success");
            let left = client
                .describe_forbid_user_rules(DescribeForbidUserRulesRequest::new(
                    ForbidRuleType::RoomUser,
                ))
                .await?;
            assert!(
                !left.data.rule_list.iter().any(|rule| rule.user_id == user),
                "{:?}",
                left.data
            );
            // The ban is lifted: the user may log in.
            login(server, &room, UserSpec::new(user.as_str()));
        }
        "SetForbidStreamRule" => {
            login(server, &room, UserSpec::new("alice"));
            server
                .publish_in_room(DEV_APP_ID, ENV, &room, "alice", &stream)
                .expect("publish");
            let r = client
                .set_forbid_stream_rule(
                    SetForbidStreamRuleRequest::new(&room, &stream)
                        .disable_audio(true)
                        .effective_time(3600),
                )
                .await?;
            assert_eq!(r.message, "success");
            let rooms = server.rooms(DEV_APP_ID, ENV);
            let view = rooms.iter().find(|v| v.room_id == room).expect("the room");
            assert_eq!(view.stream_bans.get(&stream), Some(&(true, false)));
        }
        "DescribeForbidStreamRules" => {
            let other = format!("{stream}-unbanned");
            client
                .set_forbid_stream_rule(
                    SetForbidStreamRuleRequest::new(&room, &stream)
                        .disable_audio(true)
                        .disable_video(true)
                        .effective_time(3600),
                )
                .await?;
            let r = client
                .describe_forbid_stream_rules(DescribeForbidStreamRulesRequest::new(
                    &room,
                    [stream.as_str(), &other],
                ))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(r.data.room_id, room);
            let rules: Vec<(&str, i64, i64, i64, i64)> = r
                .data
                .forbid_stream_rule_list
                .iter()
                .map(|x| {
                    (
                        x.stream_id.as_str(),
                        x.disable_audio,
                        x.disable_video,
                        x.create_time,
                        x.effective_time,
                    )
                })
                .collect();
            assert_eq!(
                rules,
                [
                    (stream.as_str(), 1, 1, T, 3600),
                    (other.as_str(), 0, 0, 0, 0)
                ]
            );
        }
        "DelForbidStreamRule" => {
            client
                .set_forbid_stream_rule(
                    SetForbidStreamRuleRequest::new(&room, &stream).disable_video(true),
                )
                .await?;
            let r = client
                .del_forbid_stream_rule(DelForbidStreamRuleRequest::new(&room, &stream))
                .await?;
            assert_eq!(r.message, "success");
            let left = client
                .describe_forbid_stream_rules(DescribeForbidStreamRulesRequest::new(
                    &room,
                    [stream.as_str()],
                ))
                .await?;
            assert!(
                !left.data.forbid_stream_rule_list[0].is_set(),
                "{:?}",
                left.data
            );
            // Deleting a rule that does not exist is not an error.
            client
                .del_forbid_stream_rule(DelForbidStreamRuleRequest::new(&room, &stream))
                .await?;
        }
        other => panic!("no room happy path for {other}"),
    }
    Ok(())
}
