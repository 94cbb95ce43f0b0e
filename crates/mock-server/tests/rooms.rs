//! Room signaling over HTTP: the 17 room actions with simulated clients, each documented refusal,
//! the app and per-room limits on a frozen clock, and the events the real service would send.

use crate::common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use zego_mock::{Env, Features, LogoutReason, ManualClock, MockServer, UserSpec, DEV_APP_ID};

const P: Env = Env::Production;

async fn call(server: &MockServer, action: &str, params: &[(&str, &str)]) -> Value {
    get(server, &dev_query(action, T0, params)).await
}

fn login(server: &MockServer, room: &str, user: &str) {
    server
        .login(
            DEV_APP_ID,
            P,
            room,
            UserSpec::new(user).name(format!("{user}-name")),
        )
        .expect("login");
}

#[tokio::test]
async fn a_backend_counts_lists_messages_kicks_and_closes_a_room() {
    // Arrange: three users log in through the control plane's HTTP face, one a second later.
    let (server, clock) = frozen().await;
    for user in ["alice", "bob"] {
        let (status, v) = control(
            &server,
            "POST",
            &format!("/_mock/apps/{DEV_APP_ID}/rooms/room1/users"),
            Some(json!({"user_id": user, "user_name": user, "role": 1})),
        )
        .await;
        assert_eq!(status, 200, "{v}");
    }
    clock.advance(Duration::from_millis(1500));
    let (status, _) = control(
        &server,
        "POST",
        &format!("/_mock/apps/{DEV_APP_ID}/rooms/room1/users"),
        Some(json!({"user_id": "carol"})),
    )
    .await;
    assert_eq!(status, 200);
    login(&server, "room2", "dave");
    let now = T0 + 1;

    // Act and assert: counts for several rooms, a missing one counting 0.
    let v = get(
        &server,
        &dev_query(
            "DescribeUserNum",
            now,
            &[
                ("RoomId[]", "room1"),
                ("RoomId[]", "room2"),
                ("RoomId[]", "nowhere"),
            ],
        ),
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(v["Message"], "success");
    assert_eq!(
        v["Data"]["UserCountList"],
        json!([
            {"RoomId": "room1", "UserCount": 3, "AdminUserCount": 0},
            {"RoomId": "room2", "UserCount": 1, "AdminUserCount": 0},
            {"RoomId": "nowhere", "UserCount": 0, "AdminUserCount": 0}
        ])
    );

    // Listed a page at a time: Limit 2, then the Marker, then an empty Marker at the end.
    let v = get(
        &server,
        &dev_query(
            "DescribeUserList",
            now,
            &[("RoomId", "room1"), ("Limit", "2")],
        ),
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    let page1: Vec<&str> = v["Data"]["UserList"]
        .as_array()
        .expect("list")
        .iter()
        .map(|u| u["UserId"].as_str().expect("id"))
        .collect();
    assert_eq!(page1, ["alice", "bob"]);
    let marker = v["Data"]["Marker"].as_str().expect("marker").to_string();
    assert_eq!(marker, format!("{}-bob", T0 * 1000));
    clock.advance(Duration::from_secs(1)); // one DescribeUserList per second per room
    let v = get(
        &server,
        &dev_query(
            "DescribeUserList",
            T0 + 2,
            &[("RoomId", "room1"), ("Limit", "2"), ("Marker", &marker)],
        ),
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(
        v["Data"]["UserList"],
        json!([{"UserId": "carol", "UserName": "", "UserRole": 2}])
    );
    assert_eq!(v["Data"]["Marker"], "");

    // A custom command to one user in the room and one who is not.
    let v = get(
        &server,
        &dev_query(
            "SendCustomCommand",
            T0 + 2,
            &[
                ("RoomId", "room1"),
                ("FromUserId", "alice"),
                ("ToUserId[]", "bob"),
                ("ToUserId[]", "ghost"),
                ("MessageContent", "hello"),
            ],
        ),
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(
        v["Data"]["FailUsers"],
        json!([{"Uid": "ghost", "Code": 50003}])
    );
    let messages = server.messages(DEV_APP_ID, P);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].recipients, ["bob"]);

    // Kick one user; close the room; a second close answers the missing-room code.
    let v = get(
        &server,
        &dev_query(
            "KickoutUser",
            T0 + 2,
            &[("RoomId", "room1"), ("UserId[]", "carol")],
        ),
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert!(v.get("Data").is_none(), "{v}");
    let v = get(
        &server,
        &dev_query(
            "DescribeUsers",
            T0 + 2,
            &[
                ("RoomId", "room1"),
                ("UserId[]", "carol"),
                ("UserId[]", "alice"),
            ],
        ),
    )
    .await;
    assert_eq!(
        v["Data"]["UserStatusList"][0],
        json!({"UserId": "carol", "Status": 0, "LoginTime": 0, "UserRole": 0})
    );
    assert_eq!(v["Data"]["UserStatusList"][1]["Status"], 1);
    assert_eq!(v["Data"]["UserStatusList"][1]["UserRole"], 1);
    let v = get(
        &server,
        &dev_query(
            "CloseRoom",
            T0 + 2,
            &[("RoomId", "room1"), ("RoomCloseCallback", "true")],
        ),
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    clock.advance(Duration::from_secs(1)); // CloseRoom: 1 per second
    let v = get(
        &server,
        &dev_query("CloseRoom", T0 + 3, &[("RoomId", "room1")]),
    )
    .await;
    assert_eq!(v["Code"], 5024, "{v}");
    let (status, _) = control(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/rooms/room1"),
        None,
    )
    .await;
    assert_eq!(status, 404);

    // The events the real service would have sent, in order.
    let events: Vec<String> = server
        .events(DEV_APP_ID, P)
        .iter()
        .filter(|e| e.data["room_id"] == "room1")
        .map(|e| e.event.to_string())
        .collect();
    assert_eq!(
        events,
        [
            "room_create",
            "room_login",
            "room_login",
            "room_login",
            "room_logout",
            "room_logout",
            "room_logout",
            "room_close"
        ]
    );
}

#[tokio::test]
async fn messages_number_broadcasts_as_integers_and_barrages_as_strings() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "a");
    login(&server, "r", "b");
    let send = |action: &'static str| {
        let server = &server;
        async move {
            call(
                server,
                action,
                &[
                    ("RoomId", "r"),
                    ("UserId", "a"),
                    ("MessageCategory", "2"),
                    ("MessageContent", "héllo wörld"),
                ],
            )
            .await
        }
    };
    let first = send("SendBroadcastMessage").await;
    let second = send("SendBroadcastMessage").await;
    assert_eq!(first["Data"], json!({"MessageId": 1}));
    assert_eq!(second["Data"], json!({"MessageId": 2}));
    let barrage = send("SendBarrageMessage").await;
    let id = barrage["Data"]["MessageId"]
        .as_str()
        .expect("a string MessageId");
    assert_eq!(id, format!("1_{}_1", T0 * 1000));
    let m = server.messages(DEV_APP_ID, P);
    assert_eq!(m[0].content, "héllo wörld", "decoded once");
    assert_eq!(m[0].recipients, ["b"], "everyone but the sender");
}

#[tokio::test]
async fn message_refusals_answer_the_room_family_codes() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "a");
    let base = |content: &'static str| {
        [
            ("RoomId", "r"),
            ("UserId", "a"),
            ("MessageCategory", "1"),
            ("MessageContent", content),
        ]
    };
    let long = "x".repeat(1025);
    let cases: Vec<(Vec<(&str, &str)>, i64)> = vec![
        (base("").to_vec(), 1008),
        (
            vec![
                ("RoomId", "r"),
                ("UserId", "a"),
                ("MessageCategory", "1"),
                ("MessageContent", long.as_str()),
            ],
            50012,
        ),
        (
            vec![
                ("RoomId", "r"),
                ("UserId", "a"),
                ("MessageCategory", "3"),
                ("MessageContent", "x"),
            ],
            2,
        ),
        (
            vec![
                ("UserId", "a"),
                ("MessageCategory", "1"),
                ("MessageContent", "x"),
            ],
            2,
        ),
        (
            vec![
                ("RoomId", "nowhere"),
                ("UserId", "a"),
                ("MessageCategory", "1"),
                ("MessageContent", "x"),
            ],
            50001,
        ),
        (
            vec![
                ("RoomId", "r"),
                ("UserId", "a"),
                ("MessageCategory", "1"),
                ("MessageContent", "x"),
                ("IsTest", "maybe"),
            ],
            2,
        ),
    ];
    for (params, want) in cases {
        let v = call(&server, "SendBroadcastMessage", &params).await;
        assert_eq!(v["Code"], want, "{params:?}: {v}");
    }
    let eleven: Vec<String> = (0..11).map(|i| format!("u{i}")).collect();
    let mut params = vec![
        ("RoomId", "r"),
        ("FromUserId", "a"),
        ("MessageContent", "x"),
    ];
    params.extend(eleven.iter().map(|u| ("ToUserId", u.as_str())));
    assert_eq!(
        call(&server, "SendCustomCommand", &params).await["Code"],
        50011,
        "plain repeated form, 11 targets"
    );
    let long_room = "r".repeat(129);
    assert_eq!(
        call(
            &server,
            "DescribeUsers",
            &[("RoomId", &long_room), ("UserId[]", "a")]
        )
        .await["Code"],
        3
    );
}

#[tokio::test]
async fn streams_enter_and_leave_the_room_list_and_publishing_feeds_stream_state() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "host");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "host", "live-1")
        .expect("publish");
    // The published stream is live for the media actions.
    let state = call(
        &server,
        "DescribeRTCStreamState",
        &[("StreamId", "live-1"), ("Sequence", "1")],
    )
    .await;
    assert_eq!(state["Code"], 0, "{state}");
    // AddStream injects a CDN stream under a user who is not in the room.
    let v = call(
        &server,
        "AddStream",
        &[
            ("RoomId", "r"),
            ("UserId", "cdn"),
            ("StreamId", "cdn-1"),
            ("StreamTitle", "title"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert!(v.get("Data").is_none());
    let v = call(&server, "DescribeSimpleStreamList", &[("RoomId", "r")]).await;
    assert_eq!(v["Code"], 0, "{v}");
    let list = v["Data"]["StreamList"].as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["StreamId"], "live-1");
    assert_eq!(list[0]["StreamNumberId"], 1);
    assert_eq!(list[1]["StreamId"], "cdn-1");
    assert_eq!(list[1]["StreamNumberId"], 2);
    assert_eq!(list[1]["CreateTime"], T0 * 1000);
    // The same StreamId under another user: 1012. AddStream does not make a stream live.
    let v = call(
        &server,
        "AddStream",
        &[("RoomId", "r"), ("UserId", "other"), ("StreamId", "cdn-1")],
    )
    .await;
    assert_eq!(v["Code"], 1012, "{v}");
    let v = call(
        &server,
        "DescribeRTCStreamState",
        &[("StreamId", "cdn-1"), ("Sequence", "1")],
    )
    .await;
    assert_eq!(v["Code"], 41004, "AddStream publishes nothing: {v}");
    // DeleteStream removes the entry; a second delete answers 138; the client stream stays live.
    assert_eq!(
        call(
            &server,
            "DeleteStream",
            &[("RoomId", "r"), ("UserId", "op"), ("StreamId", "live-1")]
        )
        .await["Code"],
        0
    );
    assert_eq!(
        call(
            &server,
            "DeleteStream",
            &[("RoomId", "r"), ("UserId", "op"), ("StreamId", "live-1")]
        )
        .await["Code"],
        138
    );
    assert_eq!(
        call(
            &server,
            "DescribeRTCStreamState",
            &[("StreamId", "live-1"), ("Sequence", "2")]
        )
        .await["Code"],
        0
    );
    // AddStream on a missing room: 50001, unless the app creates rooms on demand.
    assert_eq!(
        call(
            &server,
            "AddStream",
            &[("RoomId", "empty"), ("UserId", "u"), ("StreamId", "s")]
        )
        .await["Code"],
        50001
    );
    server.set_features(
        DEV_APP_ID,
        Features {
            auto_create_room: true,
            ..Features::default()
        },
    );
    // (AddStream allows 1 per second in the test environment and 10 in production.)
    assert_eq!(
        call(
            &server,
            "AddStream",
            &[("RoomId", "empty"), ("UserId", "u"), ("StreamId", "s")]
        )
        .await["Code"],
        0
    );
    // A missing room lists no stream.
    assert_eq!(
        call(&server, "DescribeSimpleStreamList", &[("RoomId", "none")]).await["Data"],
        json!({"StreamList": []})
    );
}

#[tokio::test]
async fn kicking_a_publisher_closes_its_stream_and_an_emptied_room_is_destroyed() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "solo");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "solo", "s1")
        .expect("publish");
    let v = call(
        &server,
        "KickoutUser",
        &[
            ("RoomId", "r"),
            ("UserId[]", "solo"),
            ("UserId[]", "absent"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert!(
        server.rooms(DEV_APP_ID, P).is_empty(),
        "the room emptied and was destroyed"
    );
    assert_eq!(
        call(
            &server,
            "DescribeRTCStreamState",
            &[("StreamId", "s1"), ("Sequence", "1")]
        )
        .await["Code"],
        41006
    );
    assert_eq!(
        call(
            &server,
            "KickoutUser",
            &[("RoomId", "r"), ("UserId[]", "solo")]
        )
        .await["Code"],
        50001
    );
    let six: Vec<(&str, &str)> = std::iter::once(("RoomId", "r"))
        .chain((0..6).map(|_| ("UserId[]", "u")))
        .collect();
    assert_eq!(call(&server, "KickoutUser", &six).await["Code"], 50011);
    let events: Vec<(String, Value)> = server
        .events(DEV_APP_ID, P)
        .into_iter()
        .map(|e| (e.event.to_string(), e.data))
        .collect();
    let close = events
        .iter()
        .find(|(e, _)| e == "room_close")
        .expect("room_close");
    assert_eq!(close.1["close_reason"], 3, "the last user was kicked");
    let stream_close = events
        .iter()
        .find(|(e, _)| e == "stream_close")
        .expect("stream_close");
    assert_eq!(stream_close.1["type"], 3, "kicked");
    // A new login opens a new lifetime of the room.
    login(&server, "r", "solo");
    let sessions: Vec<u64> = server
        .events(DEV_APP_ID, P)
        .iter()
        .filter(|e| e.event == "room_create")
        .map(|e| e.data["room_session_id"].as_u64().expect("id"))
        .collect();
    assert_eq!(sessions.len(), 2);
    assert_ne!(sessions[0], sessions[1]);
}

#[tokio::test]
async fn the_per_room_limits_answer_207_and_the_app_limit_206() {
    let (server, clock) = frozen().await;
    login(&server, "r", "a");
    let list = |room: &'static str| dev_query("DescribeSimpleStreamList", T0, &[("RoomId", room)]);
    assert_eq!(code(&server, &list("r")).await, 0);
    assert_eq!(code(&server, &list("r")).await, 207, "1 per 10 s per room");
    assert_eq!(
        code(&server, &list("other")).await,
        0,
        "another room counts apart"
    );
    clock.advance(Duration::from_secs(9));
    assert_eq!(
        code(&server, &list("r")).await,
        207,
        "[T0, T0+10) is one window"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        code(
            &server,
            &dev_query("DescribeSimpleStreamList", T0 + 10, &[("RoomId", "r")])
        )
        .await,
        0
    );
    // DescribeUserList: 1 per second per room.
    let users = dev_query("DescribeUserList", T0 + 10, &[("RoomId", "r")]);
    assert_eq!(code(&server, &users).await, 0);
    assert_eq!(code(&server, &users).await, 207);
    // CloseRoom: 1 per second for the app.
    assert_eq!(
        code(
            &server,
            &dev_query("CloseRoom", T0 + 10, &[("RoomId", "x")])
        )
        .await,
        5024
    );
    assert_eq!(
        code(
            &server,
            &dev_query("CloseRoom", T0 + 10, &[("RoomId", "y")])
        )
        .await,
        206
    );
}

#[tokio::test]
async fn user_ban_rules_refuse_logins_and_publishing_and_expire() {
    let (server, clock) = frozen().await;
    let v = call(
        &server,
        "SetForbidUserRule",
        &[
            ("RuleType", "2"),
            ("RoomId", "banned"),
            ("DisabledPrivilege[]", "1"),
            ("EffectiveTime", "60"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(v["Data"], json!({"ExpireTime": T0 + 60}));
    let refused = server.login(DEV_APP_ID, P, "banned", UserSpec::new("u"));
    assert!(refused.is_err(), "a login ban refuses the login");
    let (status, body) = control(
        &server,
        "POST",
        &format!("/_mock/apps/{DEV_APP_ID}/rooms/banned/users"),
        Some(json!({"user_id": "u"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let v = call(&server, "DescribeForbidUserRules", &[("RuleType", "2")]).await;
    assert_eq!(
        v["Data"]["RuleList"],
        json!([{"RuleType": 2, "IP": "", "RoomId": "banned", "UserId": "", "DisabledPrivilegeList": [1], "ExpireTime": T0 + 60}])
    );
    // A publish ban by UserId: logging in works, publishing does not.
    call(
        &server,
        "SetForbidUserRule",
        &[
            ("RuleType", "3"),
            ("UserId", "mute"),
            ("DisabledPrivilege[]", "2"),
            ("EffectiveTime", "60"),
        ],
    )
    .await;
    login(&server, "open", "mute");
    assert!(server
        .publish_in_room(DEV_APP_ID, P, "open", "mute", "s")
        .is_err());
    // Expired rules stop applying but stay listed.
    clock.advance(Duration::from_secs(60));
    assert!(server
        .login(DEV_APP_ID, P, "banned", UserSpec::new("u"))
        .is_ok());
    assert!(server
        .publish_in_room(DEV_APP_ID, P, "open", "mute", "s")
        .is_ok());
    let v = get(
        &server,
        &dev_query("DescribeForbidUserRules", T0 + 60, &[("RuleType", "3")]),
    )
    .await;
    assert_eq!(v["Data"]["RuleList"].as_array().map(Vec::len), Some(1));
    // Refusals: a missing conditional parameter, an out-of-range time, a missing rule to delete.
    let at = |q: &[(&str, &str)], action: &str| dev_query(action, T0 + 60, q);
    assert_eq!(
        code(
            &server,
            &at(
                &[
                    ("RuleType", "1"),
                    ("DisabledPrivilege[]", "1"),
                    ("EffectiveTime", "5")
                ],
                "SetForbidUserRule"
            )
        )
        .await,
        2
    );
    assert_eq!(
        code(
            &server,
            &at(
                &[
                    ("RuleType", "1"),
                    ("IP", "999.1.1.1"),
                    ("DisabledPrivilege[]", "1"),
                    ("EffectiveTime", "5")
                ],
                "SetForbidUserRule"
            )
        )
        .await,
        2
    );
    assert_eq!(
        code(
            &server,
            &at(
                &[
                    ("RuleType", "3"),
                    ("UserId", "x"),
                    ("DisabledPrivilege[]", "1"),
                    ("EffectiveTime", "86401")
                ],
                "SetForbidUserRule"
            )
        )
        .await,
        2
    );
    assert_eq!(
        code(
            &server,
            &at(
                &[("RuleType", "2"), ("RoomId", "banned")],
                "DelForbidUserRule"
            )
        )
        .await,
        0
    );
    assert_eq!(
        code(
            &server,
            &at(
                &[("RuleType", "2"), ("RoomId", "banned")],
                "DelForbidUserRule"
            )
        )
        .await,
        50124
    );
    // With the feature off, the rule actions answer 9.
    server.set_features(
        DEV_APP_ID,
        Features {
            forbid_rules: false,
            ..Features::default()
        },
    );
    assert_eq!(
        code(
            &server,
            &at(&[("RuleType", "2")], "DescribeForbidUserRules")
        )
        .await,
        9
    );
}

#[tokio::test]
async fn stream_ban_rules_clamp_their_time_and_list_zeros_for_unknown_streams() {
    let (server, _clock) = frozen().await;
    assert_eq!(
        call(
            &server,
            "SetForbidStreamRule",
            &[("RoomId", "r"), ("StreamId", "s")]
        )
        .await["Code"],
        2,
        "both flags off"
    );
    let v = call(
        &server,
        "SetForbidStreamRule",
        &[
            ("RoomId", "r"),
            ("StreamId", "s"),
            ("DisableAudio", "1"),
            ("EffectiveTime", "100000"),
        ],
    )
    .await;
    assert_eq!(v["Code"], 0, "{v}");
    let v = call(
        &server,
        "DescribeForbidStreamRules",
        &[
            ("RoomId", "r"),
            ("StreamId[]", "s"),
            ("StreamId[]", "unknown"),
        ],
    )
    .await;
    assert_eq!(
        v["Data"],
        json!({"RoomId": "r", "ForbidStreamRuleList": [
            {"StreamId": "s", "DisableAudio": 1, "DisableVideo": 0, "CreateTime": T0, "EffectiveTime": 86400},
            {"StreamId": "unknown", "DisableAudio": 0, "DisableVideo": 0, "CreateTime": 0, "EffectiveTime": 0}
        ]})
    );
    assert_eq!(
        call(
            &server,
            "DelForbidStreamRule",
            &[("RoomId", "r"), ("StreamId", "s")]
        )
        .await["Code"],
        0
    );
    assert_eq!(
        call(
            &server,
            "DelForbidStreamRule",
            &[("RoomId", "r"), ("StreamId", "s")]
        )
        .await["Code"],
        0,
        "deleting a missing rule is no error"
    );
    let eleven: Vec<(&str, &str)> = std::iter::once(("RoomId", "r"))
        .chain((0..11).map(|_| ("StreamId[]", "s")))
        .collect();
    assert_eq!(
        call(&server, "DescribeForbidStreamRules", &eleven).await["Code"],
        2
    );
}

#[tokio::test]
async fn forbidding_an_in_room_stream_stops_it_and_takes_it_off_the_list() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "host");
    server
        .publish_in_room(DEV_APP_ID, P, "r", "host", "s")
        .expect("publish");
    assert_eq!(
        call(
            &server,
            "ForbidRTCStream",
            &[("StreamId", "s"), ("Sequence", "1")]
        )
        .await["Code"],
        0
    );
    assert!(server.rooms(DEV_APP_ID, P)[0].room.streams.is_empty());
    assert!(
        server
            .publish_in_room(DEV_APP_ID, P, "r", "host", "s")
            .is_err(),
        "forbidden streams cannot publish"
    );
    // A stream live from one publisher cannot be published by another.
    server
        .start_publishing(DEV_APP_ID, P, "obs")
        .expect("room-less publisher");
    assert!(server
        .publish_in_room(DEV_APP_ID, P, "r", "host", "obs")
        .is_err());
    // Logging out stops the user's streams.
    server
        .publish_in_room(DEV_APP_ID, P, "r", "host", "s2")
        .expect("publish");
    server
        .logout(DEV_APP_ID, P, "r", "host", LogoutReason::Offline)
        .expect("logout");
    assert_eq!(
        call(
            &server,
            "DescribeRTCStreamState",
            &[("StreamId", "s2"), ("Sequence", "1")]
        )
        .await["Code"],
        41006
    );
    let close = server
        .events(DEV_APP_ID, P)
        .into_iter()
        .rev()
        .find(|e| e.event == "room_close")
        .expect("room_close");
    assert_eq!(close.data["close_reason"], 2, "the last user went offline");
}

#[tokio::test]
async fn the_state_seed_carries_rooms_and_rules_and_reset_clears_them() {
    let (server, _clock) = frozen().await;
    login(&server, "r", "a");
    call(
        &server,
        "SetForbidStreamRule",
        &[("RoomId", "r"), ("StreamId", "s"), ("DisableVideo", "1")],
    )
    .await;
    let (status, state) = control(
        &server,
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/state?env=production"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(state["rooms"]["r"]["users"]["a"].is_object(), "{state}");
    assert_eq!(state["stream_rules"][0]["stream_id"], "s");
    // Seeding the same JSON into the test environment reproduces it there.
    let (status, _) = control(
        &server,
        "PUT",
        &format!("/_mock/apps/{DEV_APP_ID}/state?env=test"),
        Some(state.clone()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(server.rooms(DEV_APP_ID, Env::Test).len(), 1);
    let (status, _) = control(
        &server,
        "DELETE",
        &format!("/_mock/apps/{DEV_APP_ID}/state"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(server.rooms(DEV_APP_ID, P).is_empty());
    assert!(server.events(DEV_APP_ID, P).is_empty());
}

/// (action, production limit, test limit, parameters)
type LimitCase<'a> = (&'a str, u32, u32, &'a [(&'a str, &'a str)]);

#[tokio::test]
async fn each_room_action_has_its_documented_app_limit_in_both_environments() {
    // (action, production limit, test limit, params)
    let cases: [LimitCase; 3] = [
        ("DescribeUserNum", 10, 1, &[("RoomId[]", "r")]),
        (
            "DescribeUsers",
            10,
            10,
            &[("RoomId", "nowhere"), ("UserId[]", "a")],
        ),
        (
            "DeleteStream",
            10,
            1,
            &[("RoomId", "r"), ("UserId", "u"), ("StreamId", "s")],
        ),
    ];
    for (action, prod, test, params) in cases {
        let clock = ManualClock::at_secs(T0);
        let server = MockServer::builder().clock(clock.clone()).start().await;
        for env_test in [false, true] {
            let limit = if env_test { test } else { prod };
            let mut p: Vec<(&str, &str)> = params.to_vec();
            if env_test {
                p.push(("IsTest", "true"));
            }
            for i in 0..limit {
                let c = code(&server, &dev_query(action, T0, &p)).await;
                assert_ne!(c, 206, "{action} request {i} (test: {env_test})");
            }
            assert_eq!(
                code(&server, &dev_query(action, T0, &p)).await,
                206,
                "{action} over {limit} (test: {env_test})"
            );
        }
    }
}
