//! A realistic backend flow against the `zego-mock` binary, over HTTP only, as a backend written
//! in any language would drive it: users log in to a room through the control plane; the backend
//! counts them (several `RoomId[]`), lists them page by page (`Limit` and `Marker`), sends a
//! custom command to two users of whom one is offline, kicks one, closes the room, and a second
//! CloseRoom answers the missing-room code.

use crate::common;

use common::{parse_response, Raw};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use zego_mock::{signed_query, DEV_APP_ID, DEV_SERVER_SECRET};

const BIN: &str = env!("CARGO_BIN_EXE_zego-mock");
/// The time the test freezes the binary's clock at.
const T0: i64 = 1_700_000_000;

struct Binary {
    child: Child,
    addr: String,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Binary {
    let mut child = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0"])
        // The CA goes to a directory of the build's, never the user's data directory.
        .env(
            "ZEGO_MOCK_DATA_DIR",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("backend-flow-data"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn zego-mock");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("banner");
    let addr = first
        .trim_end()
        .rsplit("http://")
        .next()
        .expect("address in the banner's first line")
        .to_string();
    // Keep draining the banner so the binary never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = out.read_to_string(&mut sink);
    });
    Binary { child, addr }
}

impl Binary {
    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Raw {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .expect("write");
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).expect("read");
        parse_response(&buf)
    }

    fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let raw = self.request(method, path, body);
        assert_eq!(
            raw.status,
            200,
            "{method} {path}: {}",
            String::from_utf8_lossy(&raw.body)
        );
        raw.json()
    }

    fn api(&self, action: &str, params: &[(&str, &str)]) -> Value {
        let q = signed_query(
            DEV_APP_ID,
            DEV_SERVER_SECRET,
            action,
            T0,
            "0123456789abcdef",
            params,
        );
        let raw = self.request("GET", &format!("/?{q}"), None);
        assert_eq!(raw.status, 200);
        raw.json()
    }
}

#[test]
fn a_backend_flow_against_the_binary() {
    // Arrange: the binary on its development app, its clock frozen; three users in room1 (one
    // logging in a second later), one in room2.
    let mock = start();
    let users = format!("/_mock/apps/{DEV_APP_ID}/rooms");
    mock.control("POST", "/_mock/clock/freeze", Some(json!({"at_secs": T0})));
    for user in ["alice", "bob"] {
        mock.control(
            "POST",
            &format!("{users}/room1/users"),
            Some(json!({"user_id": user, "user_name": user})),
        );
    }
    mock.control(
        "POST",
        "/_mock/clock/advance",
        Some(json!({"millis": 1500})),
    );
    mock.control(
        "POST",
        &format!("{users}/room1/users"),
        Some(json!({"user_id": "carol"})),
    );
    mock.control(
        "POST",
        &format!("{users}/room2/users"),
        Some(json!({"user_id": "dave", "role": 1})),
    );

    // Act and assert: counts for several rooms.
    let v = mock.api(
        "DescribeUserNum",
        &[("RoomId[]", "room1"), ("RoomId[]", "room2")],
    );
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(
        v["Data"]["UserCountList"][0],
        json!({"RoomId": "room1", "UserCount": 3, "AdminUserCount": 0})
    );
    assert_eq!(v["Data"]["UserCountList"][1]["UserCount"], 1);

    // The list, two at a time: the Marker leads to the rest, and is empty at the end.
    let v = mock.api("DescribeUserList", &[("RoomId", "room1"), ("Limit", "2")]);
    assert_eq!(v["Code"], 0, "{v}");
    let first: Vec<&str> = v["Data"]["UserList"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|u| u["UserId"].as_str())
        .collect();
    assert_eq!(first, ["alice", "bob"]);
    let marker = v["Data"]["Marker"].as_str().expect("marker").to_string();
    assert!(!marker.is_empty());
    mock.control("POST", "/_mock/clock/advance", Some(json!({"secs": 1}))); // 1 per second per room
    let v = mock.api(
        "DescribeUserList",
        &[("RoomId", "room1"), ("Limit", "2"), ("Marker", &marker)],
    );
    assert_eq!(v["Data"]["UserList"][0]["UserId"], "carol", "{v}");
    assert_eq!(v["Data"]["Marker"], "");

    // A custom command to one online and one offline user.
    let v = mock.api(
        "SendCustomCommand",
        &[
            ("RoomId", "room1"),
            ("FromUserId", "alice"),
            ("ToUserId[]", "bob"),
            ("ToUserId[]", "zoe"),
            ("MessageContent", "{\"type\":\"mute\"}"),
        ],
    );
    assert_eq!(v["Code"], 0, "{v}");
    assert_eq!(
        v["Data"]["FailUsers"],
        json!([{"Uid": "zoe", "Code": 50003}])
    );
    let messages = mock.control(
        "GET",
        &format!("/_mock/apps/{DEV_APP_ID}/messages?room=room1&kind=custom"),
        None,
    );
    assert_eq!(messages["messages"][0]["recipients"], json!(["bob"]));
    assert_eq!(messages["messages"][0]["content"], "{\"type\":\"mute\"}");

    // Kick one, close the room, close it again.
    assert_eq!(
        mock.api("KickoutUser", &[("RoomId", "room1"), ("UserId[]", "bob")])["Code"],
        0
    );
    let v = mock.api("DescribeUserNum", &[("RoomId[]", "room1")]);
    assert_eq!(v["Data"]["UserCountList"][0]["UserCount"], 2);
    assert_eq!(mock.api("CloseRoom", &[("RoomId", "room1")])["Code"], 0);
    mock.control("POST", "/_mock/clock/advance", Some(json!({"secs": 1}))); // CloseRoom: 1 per second
    let v = mock.api("CloseRoom", &[("RoomId", "room1")]);
    assert_eq!(v["Code"], 5024, "{v}");
    // The family table's description (return-codes.mdx, Room Signaling Interfaces).
    assert_eq!(
        v["Message"],
        "Room does not exist, with the same internal judgment logic as 104, 50001."
    );

    // The callbacks the real service would have sent for room1.
    let events = mock.control("GET", &format!("/_mock/apps/{DEV_APP_ID}/events"), None);
    let names: Vec<&str> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["data"]["room_id"] == "room1")
        .filter_map(|e| e["event"].as_str())
        .collect();
    assert_eq!(names.first(), Some(&"room_create"));
    assert_eq!(names.iter().filter(|n| **n == "room_logout").count(), 3);
    assert!(
        !names.contains(&"room_close"),
        "CloseRoom without RoomCloseCallback=true records no room_close"
    );
}
