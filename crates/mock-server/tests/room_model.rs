//! Model-based test of room signaling: random interleavings of simulated logins, logouts,
//! publishes and stops with KickoutUser, CloseRoom, SendBroadcastMessage, DescribeUserNum,
//! DescribeUsers, DescribeSimpleStreamList and DescribeRTCStreamState across rooms, where the
//! mock's answers and its rooms equal a small reference model after every step.

use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use zego_mock::{
    signed_query, Clock, Engine, Env, Incoming, LogoutReason, ManualClock, MockServer, UserSpec,
    DEV_APP_ID, DEV_SERVER_SECRET,
};

const T0: i64 = 1_700_000_000;
const ROOMS: [&str; 3] = ["r0", "r1", "r2"];
const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
const STREAMS: [&str; 4] = ["s0", "s1", "s2", "s3"];

#[derive(Debug, Clone)]
enum Op {
    Login(usize, usize, u32),
    Logout(usize, usize),
    Publish(usize, usize, usize),
    Stop(usize, usize, usize),
    Kick(usize, Vec<usize>),
    Close(usize),
    Broadcast(usize, usize),
    Count(Vec<usize>),
    Users(usize, Vec<usize>),
    Streams(usize),
    StreamState(usize),
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    let room = 0..ROOMS.len();
    let user = 0..USERS.len();
    let stream = 0..STREAMS.len();
    prop_oneof![
        4 => (room.clone(), user.clone(), prop::sample::select(vec![1u32, 2, 4])).prop_map(|(r, u, role)| Op::Login(r, u, role)),
        2 => (room.clone(), user.clone()).prop_map(|(r, u)| Op::Logout(r, u)),
        3 => (room.clone(), user.clone(), stream.clone()).prop_map(|(r, u, s)| Op::Publish(r, u, s)),
        1 => (room.clone(), user.clone(), stream.clone()).prop_map(|(r, u, s)| Op::Stop(r, u, s)),
        1 => (room.clone(), prop::collection::vec(user.clone(), 1..4)).prop_map(|(r, us)| Op::Kick(r, us)),
        1 => room.clone().prop_map(Op::Close),
        2 => (room.clone(), user.clone()).prop_map(|(r, u)| Op::Broadcast(r, u)),
        1 => prop::collection::vec(room.clone(), 1..4).prop_map(Op::Count),
        1 => (room.clone(), prop::collection::vec(user, 1..4)).prop_map(|(r, us)| Op::Users(r, us)),
        1 => room.prop_map(Op::Streams),
        1 => stream.prop_map(Op::StreamState),
        1 => (1u64..3000).prop_map(Op::Advance),
    ]
}

/// The reference model: who is in which room, and who publishes what where.
#[derive(Debug, Default)]
struct Model {
    /// room -> user -> role
    rooms: BTreeMap<&'static str, ModelRoom>,
    ever_published: BTreeSet<&'static str>,
}

#[derive(Debug, Default)]
struct ModelRoom {
    users: BTreeMap<&'static str, u32>,
    /// stream -> publisher
    streams: BTreeMap<&'static str, &'static str>,
    broadcasts: u64,
}

impl Model {
    fn live(&self, stream: &str) -> bool {
        self.rooms.values().any(|r| r.streams.contains_key(stream))
    }

    fn remove_user(&mut self, room: &'static str, user: &str) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        r.users.remove(user);
        r.streams.retain(|_, publisher| *publisher != user);
        if r.users.is_empty() {
            self.rooms.remove(room);
        }
    }
}

/// Room -> (user -> role, stream -> publisher).
type Snapshot = BTreeMap<String, (BTreeMap<String, u32>, BTreeMap<String, String>)>;

struct Mock {
    engine: Engine,
    clock: ManualClock,
}

impl Mock {
    fn call(&self, action: &str, params: &[(&str, &str)]) -> Value {
        let q = signed_query(
            DEV_APP_ID,
            DEV_SERVER_SECRET,
            action,
            self.clock.now_secs(),
            "0123456789abcdef",
            params,
        );
        let answer = self.engine.handle(Incoming::get(q.as_bytes()));
        serde_json::from_slice(&answer.body).expect("JSON")
    }
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let clock = ManualClock::at_secs(T0);
    let engine = MockServer::builder()
        .clock(clock.clone())
        .rate_limits(false)
        .build_engine();
    let mock = Mock { engine, clock };
    let mut model = Model::default();
    let mut seq = 0u64;
    for (step, op) in ops.into_iter().enumerate() {
        let env = Env::Production;
        match op.clone() {
            Op::Login(r, u, role) => {
                let (room, user) = (ROOMS[r], USERS[u]);
                mock.engine
                    .login(DEV_APP_ID, env, room, UserSpec::new(user).role(role))
                    .map_err(|e| TestCaseError::fail(format!("step {step}: login refused: {e}")))?;
                // A second login replaces the session: the user's streams go, the room stays.
                let m = model.rooms.entry(room).or_default();
                m.streams.retain(|_, publisher| *publisher != user);
                m.users.insert(user, role);
            }
            Op::Logout(r, u) => {
                let (room, user) = (ROOMS[r], USERS[u]);
                let present = model
                    .rooms
                    .get(room)
                    .is_some_and(|m| m.users.contains_key(user));
                let got = mock
                    .engine
                    .logout(DEV_APP_ID, env, room, user, LogoutReason::Normal);
                prop_assert_eq!(got.is_ok(), present, "step {}: {:?}", step, op);
                model.remove_user(room, user);
            }
            Op::Publish(r, u, s) => {
                let (room, user, stream) = (ROOMS[r], USERS[u], STREAMS[s]);
                let in_room = model
                    .rooms
                    .get(room)
                    .is_some_and(|m| m.users.contains_key(user));
                let mine = model.rooms.get(room).and_then(|m| m.streams.get(stream)) == Some(&user);
                let allowed = in_room && (mine || !model.live(stream));
                let got = mock
                    .engine
                    .publish_in_room(DEV_APP_ID, env, room, user, stream, "", "");
                prop_assert_eq!(got.is_ok(), allowed, "step {}: {:?} {:?}", step, op, got);
                if allowed {
                    model
                        .rooms
                        .get_mut(room)
                        .expect("room")
                        .streams
                        .insert(stream, user);
                    model.ever_published.insert(stream);
                }
            }
            Op::Stop(r, u, s) => {
                let (room, user, stream) = (ROOMS[r], USERS[u], STREAMS[s]);
                let mine = model.rooms.get(room).and_then(|m| m.streams.get(stream)) == Some(&user);
                let got = mock
                    .engine
                    .stop_in_room(DEV_APP_ID, env, room, user, stream);
                prop_assert_eq!(got.is_ok(), mine, "step {}: {:?}", step, op);
                if mine {
                    model
                        .rooms
                        .get_mut(room)
                        .expect("room")
                        .streams
                        .remove(stream);
                }
            }
            Op::Kick(r, us) => {
                let room = ROOMS[r];
                let mut params = vec![("RoomId", room)];
                params.extend(us.iter().map(|u| ("UserId[]", USERS[*u])));
                let v = mock.call("KickoutUser", &params);
                let want = if model.rooms.contains_key(room) {
                    0
                } else {
                    50001
                };
                prop_assert_eq!(v["Code"].as_i64(), Some(want), "step {}: {}", step, v);
                for u in us {
                    model.remove_user(room, USERS[u]);
                }
            }
            Op::Close(r) => {
                let room = ROOMS[r];
                let v = mock.call("CloseRoom", &[("RoomId", room)]);
                let want = if model.rooms.remove(room).is_some() {
                    0
                } else {
                    5024
                };
                prop_assert_eq!(v["Code"].as_i64(), Some(want), "step {}: {}", step, v);
            }
            Op::Broadcast(r, u) => {
                let room = ROOMS[r];
                let v = mock.call(
                    "SendBroadcastMessage",
                    &[
                        ("RoomId", room),
                        ("UserId", USERS[u]),
                        ("MessageCategory", "1"),
                        ("MessageContent", "hi"),
                    ],
                );
                match model.rooms.get_mut(room) {
                    None => {
                        prop_assert_eq!(v["Code"].as_i64(), Some(50001), "step {}: {}", step, v)
                    }
                    Some(m) => {
                        m.broadcasts += 1;
                        prop_assert_eq!(
                            v["Data"]["MessageId"].as_u64(),
                            Some(m.broadcasts),
                            "step {}: {}",
                            step,
                            v
                        );
                    }
                }
            }
            Op::Count(rs) => {
                let params: Vec<(&str, &str)> =
                    rs.iter().map(|r| ("RoomId[]", ROOMS[*r])).collect();
                let v = mock.call("DescribeUserNum", &params);
                let list = v["Data"]["UserCountList"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                prop_assert_eq!(list.len(), rs.len(), "step {}: {}", step, v);
                for (entry, r) in list.iter().zip(&rs) {
                    let users = model.rooms.get(ROOMS[*r]).map(|m| &m.users);
                    let count = users.map_or(0, |u| u.len() as u64);
                    let admins =
                        users.map_or(0, |u| u.values().filter(|role| **role == 4).count() as u64);
                    prop_assert_eq!(
                        entry["UserCount"].as_u64(),
                        Some(count),
                        "step {}: {}",
                        step,
                        v
                    );
                    prop_assert_eq!(
                        entry["AdminUserCount"].as_u64(),
                        Some(admins),
                        "step {}: {}",
                        step,
                        v
                    );
                }
            }
            Op::Users(r, us) => {
                let room = ROOMS[r];
                let mut params = vec![("RoomId", room)];
                params.extend(us.iter().map(|u| ("UserId[]", USERS[*u])));
                let v = mock.call("DescribeUsers", &params);
                match model.rooms.get(room) {
                    None => {
                        prop_assert_eq!(v["Code"].as_i64(), Some(50001), "step {}: {}", step, v)
                    }
                    Some(m) => {
                        for (entry, u) in v["Data"]["UserStatusList"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default()
                            .iter()
                            .zip(&us)
                        {
                            let role = m.users.get(USERS[*u]).copied();
                            prop_assert_eq!(
                                entry["Status"].as_u64(),
                                Some(u64::from(role.is_some())),
                                "step {}: {}",
                                step,
                                v
                            );
                            prop_assert_eq!(
                                entry["UserRole"].as_u64(),
                                Some(u64::from(role.unwrap_or(0))),
                                "step {}: {}",
                                step,
                                v
                            );
                        }
                    }
                }
            }
            Op::Streams(r) => {
                let room = ROOMS[r];
                let v = mock.call("DescribeSimpleStreamList", &[("RoomId", room)]);
                let got: BTreeMap<String, String> = v["Data"]["StreamList"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|s| {
                        (
                            s["StreamId"].as_str().unwrap_or_default().to_string(),
                            s["UserId"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect();
                let want: BTreeMap<String, String> = model
                    .rooms
                    .get(room)
                    .map(|m| {
                        m.streams
                            .iter()
                            .map(|(s, u)| (s.to_string(), u.to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                prop_assert_eq!(got, want, "step {}: {}", step, v);
            }
            Op::StreamState(s) => {
                let stream = STREAMS[s];
                seq += 1;
                let seq_text = seq.to_string();
                let v = mock.call(
                    "DescribeRTCStreamState",
                    &[("StreamId", stream), ("Sequence", &seq_text)],
                );
                let want = if model.live(stream) {
                    0
                } else if model.ever_published.contains(stream) {
                    41006
                } else {
                    41004
                };
                prop_assert_eq!(v["Code"].as_i64(), Some(want), "step {}: {}", step, v);
            }
            Op::Advance(ms) => mock.clock.advance(Duration::from_millis(ms)),
        }
        // After every step the mock's rooms are the model's.
        let rooms = mock.engine.rooms(DEV_APP_ID, Env::Production);
        let got: Snapshot = rooms
            .iter()
            .map(|v| {
                let users = v
                    .room
                    .users
                    .iter()
                    .map(|(u, ru)| (u.clone(), ru.role))
                    .collect();
                let streams = v
                    .room
                    .streams
                    .iter()
                    .map(|(s, rs)| (s.clone(), rs.user_id.clone()))
                    .collect();
                (v.room_id.clone(), (users, streams))
            })
            .collect();
        let want: Snapshot = model
            .rooms
            .iter()
            .map(|(r, m)| {
                let users = m
                    .users
                    .iter()
                    .map(|(u, role)| (u.to_string(), *role))
                    .collect();
                let streams = m
                    .streams
                    .iter()
                    .map(|(s, u)| (s.to_string(), u.to_string()))
                    .collect();
                (r.to_string(), (users, streams))
            })
            .collect();
        prop_assert_eq!(got, want, "after step {}: {:?}", step, op);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn rooms_follow_the_reference_model(ops in prop::collection::vec(op(), 1..60)) {
        run(ops)?;
    }
}
