//! Every event's body against its page (SPEC-rest-callbacks §5.4, values §5.5.3): the set of
//! keys, each value's JSON type, the values the spec fixes, and the signature. The expected
//! shapes are written out here from the pages, not derived from the formatter's tables.

use super::*;
use crate::actions::room::{self, LogoutReason, UserSpec};
use crate::callbacks::sign;
use crate::state::EnvState;
use serde_json::json;

const APP: u32 = 1_234_567_890;
const SECRET: &str = "cbsecret";
const NONCE: u64 = 7_254_119_327_986_670_314;
/// 2024-01-01T00:00:00.123Z.
const T: i64 = 1_704_067_200_123;

fn envelope() -> Envelope<'static> {
    Envelope {
        app_id: APP,
        secret: SECRET,
        nonce: NONCE,
    }
}

fn event(name: &'static str, at_millis: i64, data: Value) -> Event {
    Event {
        seq: 1,
        at_millis,
        event: name,
        data,
    }
}

fn body(e: &Event) -> Map<String, Value> {
    match render(e, envelope()).expect("a callback").body {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// `s` string, `n` number, `a` array of strings, `o` object.
fn shape(b: &Map<String, Value>, want: &[(&str, char)]) {
    let mut keys: Vec<&str> = b.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut wanted: Vec<&str> = want.iter().map(|(k, _)| *k).collect();
    wanted.sort_unstable();
    assert_eq!(keys, wanted, "the set of keys");
    for (k, t) in want {
        let v = &b[*k];
        let ok = match t {
            's' => v.is_string(),
            'n' => v.is_number(),
            'a' => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            'o' => v.is_object(),
            _ => unreachable!(),
        };
        assert!(ok, "{k} should be {t}, is {v}");
    }
}

/// The snake_case common fields: appid and timestamp as strings (or numbers).
fn snake_common(b: &Map<String, Value>, name: &str, at_millis: i64, numbers: bool) {
    assert_eq!(b["event"], name);
    assert_eq!(b["nonce"], "7254119327986670314");
    let secs = at_millis.div_euclid(1000);
    if numbers {
        assert_eq!(b["appid"], json!(APP));
        assert_eq!(b["timestamp"], json!(secs));
    } else {
        assert_eq!(b["appid"], APP.to_string());
        assert_eq!(b["timestamp"], secs.to_string());
    }
    assert_eq!(
        b["signature"],
        sign(SECRET, &secs.to_string(), &NONCE.to_string())
    );
}

const SNAKE_COMMON_S: [(&str, char); 5] = [
    ("event", 's'),
    ("appid", 's'),
    ("timestamp", 's'),
    ("nonce", 's'),
    ("signature", 's'),
];

fn with_common(
    common: &[(&'static str, char)],
    own: &[(&'static str, char)],
) -> Vec<(&'static str, char)> {
    common.iter().chain(own).copied().collect()
}

fn events(s: &EnvState) -> Vec<Event> {
    s.events.iter().cloned().collect()
}

fn find<'a>(evs: &'a [Event], name: &str) -> Vec<&'a Event> {
    evs.iter().filter(|e| e.event == name).collect()
}

fn is_digits(v: &Value, n: usize) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn room_create_and_close_send_numbers_and_the_exact_session_id() {
    let mut s = EnvState::default();
    room::login(&mut s, "rid_1", UserSpec::new("id123"), T).expect("login");
    room::logout(
        &mut s,
        "rid_1",
        "id123",
        LogoutReason::Heartbeat,
        T + 11_000,
    )
    .expect("out");
    let evs = events(&s);
    let create = body(find(&evs, "room_create")[0]);
    shape(
        &create,
        &[
            ("event", 's'),
            ("appid", 'n'),
            ("timestamp", 'n'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_session_id", 'n'),
            ("room_create_time", 's'),
            ("id_name", 's'),
        ],
    );
    snake_common(&create, "room_create", T, true);
    assert_eq!(create["room_id"], "rid_1");
    assert_eq!(create["room_create_time"], T.to_string());
    assert_eq!(create["id_name"], "id123");
    // 19 digits, above 2^53, exact as a JSON number.
    let session = create["room_session_id"].as_u64().expect("u64");
    assert_eq!(session.to_string().len(), 19);
    assert!(session > 1 << 53);
    let close = body(find(&evs, "room_close")[0]);
    shape(
        &close,
        &[
            ("event", 's'),
            ("appid", 'n'),
            ("timestamp", 'n'),
            ("nonce", 's'),
            ("signature", 's'),
            ("room_id", 's'),
            ("room_session_id", 'n'),
            ("close_reason", 'n'),
            ("room_close_time", 's'),
        ],
    );
    snake_common(&close, "room_close", T + 11_000, true);
    assert_eq!(close["room_session_id"].as_u64(), Some(session));
    assert_eq!(
        close["close_reason"], 1,
        "the last user's heartbeat timed out"
    );
    assert_eq!(close["room_close_time"], (T + 11_000).to_string());
    // The serialised body keeps every digit.
    let text = serde_json::to_string(&Value::Object(close)).expect("json");
    assert!(
        text.contains(&format!("\"room_session_id\":{session}")),
        "{text}"
    );
}

const LOGIN_KEYS: [(&str, char); 13] = [
    ("room_id", 's'),
    ("room_name", 's'),
    ("room_seq", 's'),
    ("user_account", 's'),
    ("user_nickname", 's'),
    ("session_id", 's'),
    ("login_time", 's'),
    ("user_role", 's'),
    ("auth_level", 's'),
    ("relogin", 's'),
    ("user_update_seq", 's'),
    ("callback_data", 's'),
    ("term_type", 's'),
];

const LOGOUT_KEYS: [(&str, char); 10] = [
    ("room_id", 's'),
    ("room_seq", 's'),
    ("user_account", 's'),
    ("user_nickname", 's'),
    ("session_id", 's'),
    ("login_time", 's'),
    ("logout_time", 's'),
    ("reason", 's'),
    ("user_role", 's'),
    ("user_update_seq", 's'),
];

#[test]
fn room_login_and_logout_send_strings_only() {
    let mut s = EnvState::default();
    let user = UserSpec::new("888120154").name("nick").role(1);
    room::login(&mut s, "rid_1", user, T).expect("login");
    room::logout(
        &mut s,
        "rid_1",
        "888120154",
        LogoutReason::Normal,
        T + 5_000,
    )
    .expect("out");
    let evs = events(&s);
    let session = find(&evs, "room_create")[0].data["room_session_id"]
        .as_u64()
        .expect("id");
    let login = body(find(&evs, "room_login")[0]);
    shape(&login, &with_common(&SNAKE_COMMON_S, &LOGIN_KEYS));
    snake_common(&login, "room_login", T, false);
    assert_eq!(login["room_seq"], session.to_string());
    assert_eq!(login["room_name"], "rid_1");
    assert_eq!(login["user_account"], "888120154");
    assert_eq!(login["user_nickname"], "nick");
    assert!(
        is_digits(&login["session_id"], 18),
        "{}",
        login["session_id"]
    );
    assert_eq!(login["login_time"], T.to_string());
    assert_eq!(login["user_role"], "1");
    assert_eq!(login["auth_level"], "0");
    assert_eq!(login["relogin"], "0");
    assert_eq!(login["user_update_seq"], "1");
    assert_eq!(login["callback_data"], "");
    assert_eq!(login["term_type"], "32");
    let logout = body(find(&evs, "room_logout")[0]);
    shape(&logout, &with_common(&SNAKE_COMMON_S, &LOGOUT_KEYS));
    snake_common(&logout, "room_logout", T + 5_000, false);
    assert_eq!(logout["room_seq"], session.to_string());
    assert_eq!(logout["session_id"], login["session_id"]);
    assert_eq!(logout["login_time"], T.to_string());
    assert_eq!(logout["logout_time"], (T + 5_000).to_string());
    assert_eq!(logout["reason"], "0");
    assert_eq!(logout["user_role"], "1");
    assert_eq!(logout["user_update_seq"], "2");
}

const STREAM_CREATE_KEYS: [(&str, char); 21] = [
    ("room_id", 's'),
    ("room_session_id", 's'),
    ("user_id", 's'),
    ("user_name", 's'),
    ("channel_id", 's'),
    ("stream_id", 's'),
    ("stream_sid", 's'),
    ("title", 's'),
    ("stream_alias", 's'),
    ("stream_attr", 's'),
    ("stream_seq", 's'),
    ("create_time", 's'),
    ("create_time_ms", 's'),
    ("extra_info", 's'),
    ("recreate", 's'),
    ("publish_id", 's'),
    ("publish_name", 's'),
    ("rtmp_url", 'a'),
    ("hls_url", 'a'),
    ("hdl_url", 'a'),
    ("pic_url", 'a'),
];

const STREAM_CLOSE_KEYS: [(&str, char); 13] = [
    ("room_id", 's'),
    ("room_session_id", 's'),
    ("user_id", 's'),
    ("user_name", 's'),
    ("channel_id", 's'),
    ("type", 's'),
    ("stream_alias", 's'),
    ("stream_id", 's'),
    ("stream_sid", 's'),
    ("stream_seq", 's'),
    ("third_define_data", 's'),
    ("create_time_ms", 's'),
    ("destroy_timemillis", 's'),
];

#[test]
fn stream_create_and_close_send_strings_and_url_lists() {
    let mut s = EnvState::default();
    room::login(
        &mut s,
        "room1",
        UserSpec::new("user1").name("user1_name"),
        T,
    )
    .expect("login");
    room::publish(&mut s, "room1", "user1", "aaa", "title", "extra", T + 1_000).expect("pub");
    room::stop(&mut s, "room1", "user1", "aaa", T + 9_000).expect("stop");
    let evs = events(&s);
    let session = find(&evs, "room_create")[0].data["room_session_id"]
        .as_u64()
        .expect("id")
        .to_string();
    let create = body(find(&evs, "stream_create")[0]);
    shape(&create, &with_common(&SNAKE_COMMON_S, &STREAM_CREATE_KEYS));
    snake_common(&create, "stream_create", T + 1_000, false);
    assert_eq!(create["room_id"], "room1");
    assert_eq!(create["room_session_id"], session);
    assert_eq!(create["user_id"], "user1");
    assert_eq!(create["user_name"], "user1_name");
    assert_eq!(create["channel_id"], "room1", "channel_id = the RoomID");
    assert_eq!(create["stream_id"], "aaa");
    assert_eq!(create["stream_alias"], "aaa");
    assert_eq!(create["publish_id"], "user1");
    assert_eq!(create["publish_name"], "user1_name");
    assert_eq!(create["title"], "title");
    assert_eq!(create["extra_info"], "extra");
    assert_eq!(create["stream_attr"], "{\"cid\":0}");
    assert_eq!(create["stream_seq"], "1");
    assert_eq!(create["create_time"], ((T + 1_000) / 1000).to_string());
    assert_eq!(create["create_time_ms"], (T + 1_000).to_string());
    assert_eq!(create["recreate"], "0");
    let sid = create["stream_sid"].as_str().expect("sid");
    assert!(
        sid.starts_with("s-") && is_digits(&json!(sid[2..]), 27),
        "{sid}"
    );
    for k in ["rtmp_url", "hls_url", "hdl_url", "pic_url"] {
        assert_eq!(create[k], json!([]), "{k}: no cdn_play_domain");
    }
    let close = body(find(&evs, "stream_close")[0]);
    shape(&close, &with_common(&SNAKE_COMMON_S, &STREAM_CLOSE_KEYS));
    snake_common(&close, "stream_close", T + 9_000, false);
    assert_eq!(close["type"], "0", "the publisher stopped");
    assert_eq!(close["channel_id"], "room1");
    assert_eq!(close["stream_alias"], "aaa");
    assert_eq!(close["stream_sid"], sid, "the same stream");
    assert_eq!(close["stream_seq"], "2");
    assert_eq!(close["third_define_data"], "");
    assert_eq!(close["create_time_ms"], (T + 1_000).to_string());
    assert_eq!(close["destroy_timemillis"], (T + 9_000).to_string());
}

#[test]
fn a_relogin_closes_the_old_sessions_streams_and_logs_it_out_first() {
    let mut s = EnvState::default();
    room::login(&mut s, "r", UserSpec::new("u"), T).expect("login");
    room::publish(&mut s, "r", "u", "s1", "", "", T).expect("pub");
    room::login(&mut s, "r", UserSpec::new("u"), T + 1_000).expect("relogin");
    let evs = events(&s);
    let names: Vec<&str> = evs.iter().map(|e| e.event).collect();
    assert_eq!(
        names,
        [
            "room_create",
            "room_login",
            "stream_create",
            "stream_close",
            "room_logout",
            "room_login"
        ]
    );
    let first = body(&evs[1]);
    let close = body(&evs[3]);
    let out = body(&evs[4]);
    let again = body(&evs[5]);
    assert_eq!(close["type"], "2");
    assert_eq!(out["reason"], "3");
    assert_eq!(out["session_id"], first["session_id"], "the old session");
    assert_eq!(again["relogin"], "1");
    assert_ne!(again["session_id"], first["session_id"], "a new session");
    assert_eq!(again["user_update_seq"], "3");
}

#[test]
fn logout_reasons_map_to_stream_types_and_close_reasons() {
    for (reason, stream_type, logout, close) in [
        (LogoutReason::Normal, "0", "0", 0),
        (LogoutReason::Heartbeat, "1", "1", 1),
        (LogoutReason::Offline, "4", "2", 2),
        (LogoutReason::TokenExpired, "1", "4", 0),
    ] {
        let mut s = EnvState::default();
        room::login(&mut s, "r", UserSpec::new("u"), T).expect("login");
        room::publish(&mut s, "r", "u", "s1", "", "", T).expect("pub");
        room::logout(&mut s, "r", "u", reason, T + 1).expect("out");
        let evs = events(&s);
        assert_eq!(
            body(find(&evs, "stream_close")[0])["type"],
            stream_type,
            "{reason:?}"
        );
        assert_eq!(
            body(find(&evs, "room_logout")[0])["reason"],
            logout,
            "{reason:?}"
        );
        assert_eq!(
            body(find(&evs, "room_close")[0])["close_reason"],
            close,
            "{reason:?}"
        );
    }
}

#[test]
fn mix_start_and_stop_follow_their_pages() {
    // As mixing::record_mix_start and end_mix record them.
    let start = body(&event(
        "mix_start",
        T,
        json!({"seq": 123, "task_id": format!("{APP}:1111"), "channel_id": "2222", "publish_id": "abc",
               "mix_url": "rtmp://x/app/aaa", "mix_stream_alias": "aaa", "rtmp_urls": [], "hls_urls": [],
               "hdl_urls": [], "stream_alias": "aaa"}),
    ));
    shape(
        &start,
        &with_common(
            &SNAKE_COMMON_S,
            &[
                ("seq", 's'),
                ("task_id", 's'),
                ("channel_id", 's'),
                ("publish_id", 's'),
                ("mix_url", 's'),
                ("mix_stream_alias", 's'),
                ("rtmp_urls", 'a'),
                ("hls_urls", 'a'),
                ("hdl_urls", 'a'),
                ("rtmp_url", 's'),
                ("hls_url", 's'),
                ("hdl_url", 's'),
                ("stream_alias", 's'),
            ],
        ),
    );
    snake_common(&start, "mix_start", T, false);
    assert_eq!(start["seq"], "123");
    assert_eq!(start["task_id"], format!("{APP}:1111"));
    assert_eq!(start["mix_url"], "rtmp://x/app/aaa");
    assert_eq!(start["rtmp_url"], "", "the first of an empty list");
    let with_urls = body(&event(
        "mix_start",
        T,
        json!({"rtmp_urls": ["rtmp://a/b/c", "rtmp://d/e/f"]}),
    ));
    assert_eq!(with_urls["rtmp_url"], "rtmp://a/b/c");
    let stop = body(&event(
        "mix_stop",
        T + 3_000,
        json!({"seq": 124, "task_id": format!("{APP}:1111"), "channel_id": "2222", "publish_id": "abc",
               "mix_url": "", "mix_stream_alias": "aaa"}),
    ));
    shape(
        &stop,
        &with_common(
            &SNAKE_COMMON_S,
            &[
                ("seq", 's'),
                ("task_id", 's'),
                ("channel_id", 's'),
                ("publish_id", 's'),
                ("mix_url", 's'),
                ("mix_stream_alias", 's'),
            ],
        ),
    );
    snake_common(&stop, "mix_stop", T + 3_000, false);
    assert_eq!(stop["seq"], "124");
}

fn pascal_strings(b: &Map<String, Value>, name: &str, at_millis: i64) {
    let secs = at_millis.div_euclid(1000).to_string();
    assert_eq!(b["Event"], name);
    assert_eq!(b["Appid"], APP.to_string());
    assert_eq!(b["Timestamp"], secs);
    assert_eq!(b["Nonce"], NONCE.to_string());
    assert_eq!(b["Signature"], sign(SECRET, &secs, &NONCE.to_string()));
}

const PASCAL_S: [(&str, char); 5] = [
    ("Event", 's'),
    ("Appid", 's'),
    ("Timestamp", 's'),
    ("Nonce", 's'),
    ("Signature", 's'),
];

#[test]
fn transcode_start_and_stop_are_pascal_case_strings_with_int_sequence() {
    let details = json!({"Input": {"StreamId": "2222"}, "Outputs": [{"StreamId": "2223", "VideoEncId": 0,
        "Fps": 0, "ShortEdgeAdaption": 0, "Width": 1280, "Height": 720, "VideoBitrate": 0, "GOP": 2}]});
    let start = body(&event(
        "transcode_start",
        T,
        json!({"TaskId": "2222", "UserId": "u", "Sequence": 5, "Status": "TranscodeStarted", "Details": details}),
    ));
    shape(
        &start,
        &with_common(
            &PASCAL_S,
            &[
                ("TaskId", 's'),
                ("UserId", 's'),
                ("Sequence", 'n'),
                ("Status", 's'),
                ("Details", 'o'),
            ],
        ),
    );
    pascal_strings(&start, "transcode_start", T);
    assert_eq!(start["Sequence"], 5);
    assert_eq!(start["Details"], details);
    let stop = body(&event(
        "transcode_stop",
        T,
        json!({"TaskId": "2222", "UserId": "u", "Sequence": 0, "Status": "TranscodeStopped", "StopReason": 0}),
    ));
    shape(
        &stop,
        &with_common(
            &PASCAL_S,
            &[
                ("TaskId", 's'),
                ("UserId", 's'),
                ("Sequence", 'n'),
                ("Status", 's'),
                ("StopReason", 'n'),
            ],
        ),
    );
    pascal_strings(&stop, "transcode_stop", T);
    assert_eq!(stop["Status"], "TranscodeStopped");
    assert_eq!(stop["StopReason"], 0);
}

#[test]
fn record_sends_extra_params_as_a_json_string_per_vendor() {
    for (extra, keys) in [
        (
            json!({"TaskId": "t", "FileID": "f", "Duration": 12.5}),
            vec!["Duration", "FileID", "TaskId"],
        ),
        (
            json!({"PersistentId": "p", "Duration": 12.5}),
            vec!["Duration", "PersistentId"],
        ),
        (
            json!({"Duration": 12.5, "ObsObject": "o", "FileSize": 100}),
            vec!["Duration", "FileSize", "ObsObject"],
        ),
    ] {
        // As media_file::record records it: extra_params already a string.
        let b = body(&event(
            "record",
            T,
            json!({"stream_alias": "aaaa", "replay_url": "http://v/x.mp4", "begin_time": "1481597358",
                   "end_time": "1481597370", "vendor": "Tencent", "extra_params": extra.to_string()}),
        ));
        shape(
            &b,
            &with_common(
                &SNAKE_COMMON_S,
                &[
                    ("stream_alias", 's'),
                    ("replay_url", 's'),
                    ("begin_time", 's'),
                    ("end_time", 's'),
                    ("extra_params", 's'),
                ],
            ),
        );
        snake_common(&b, "record", T, false);
        let parsed: Value =
            serde_json::from_str(b["extra_params"].as_str().expect("str")).expect("JSON");
        let mut got: Vec<&str> = parsed
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        got.sort_unstable();
        assert_eq!(got, keys);
        assert!(parsed["Duration"].is_f64(), "Duration is a Float");
    }
    // Recorded as an object, it is still sent as a string.
    let b = body(&event(
        "record",
        T,
        json!({"extra_params": {"Duration": 1.5}}),
    ));
    assert_eq!(b["extra_params"], "{\"Duration\":1.5}");
}

#[test]
fn compose_sends_file_id_only_for_tencent() {
    let own = [
        ("replay_url", 's'),
        ("task_id", 's'),
        ("file_id", 's'),
        ("code", 's'),
        ("message", 's'),
    ];
    let b = body(&event(
        "compose",
        T,
        json!({"task_id": "t", "replay_url": "http://v/m.mp4", "code": "0", "message": "", "file_id": "5285890813218549789"}),
    ));
    shape(&b, &with_common(&SNAKE_COMMON_S, &own));
    snake_common(&b, "compose", T, false);
    assert_eq!(b["code"], "0");
    let huawei = body(&event(
        "compose",
        T,
        json!({"task_id": "t", "replay_url": "u", "code": "0", "message": ""}),
    ));
    shape(
        &huawei,
        &with_common(
            &SNAKE_COMMON_S,
            &own.iter()
                .copied()
                .filter(|(k, _)| *k != "file_id")
                .collect::<Vec<_>>(),
        ),
    );
}

#[test]
fn procedure_and_snapshot_follow_their_pages() {
    let extra = json!({"media": {"transcode": [{"code": "0", "message": "SUCCESS"}]}}).to_string();
    let b = body(&event(
        "procedure",
        T,
        json!({"task_id": "x", "status": "SUCCESS", "file_id": "3270835010897125368", "replay_url": "u", "extra_params": extra}),
    ));
    shape(
        &b,
        &with_common(
            &SNAKE_COMMON_S,
            &[
                ("task_id", 's'),
                ("status", 's'),
                ("file_id", 's'),
                ("extra_params", 's'),
            ],
        ),
    );
    snake_common(&b, "procedure", T, false);
    assert_eq!(b["extra_params"], extra);
    let pics = "[{\"url\":\"http://abc.com/1.jpg\",\"offset\":0}]";
    let b = body(&event(
        "snapshot",
        T,
        json!({"task_id": "1253642700910365374", "vendor": "tencent", "field_id": "abc", "snapshot_pic_list": pics}),
    ));
    shape(
        &b,
        &with_common(
            &SNAKE_COMMON_S,
            &[
                ("task_id", 's'),
                ("vendor", 's'),
                ("field_id", 's'),
                ("snapshot_pic_list", 's'),
            ],
        ),
    );
    snake_common(&b, "snapshot", T, false);
    assert_eq!(b["snapshot_pic_list"], pics);
    let hw = body(&event(
        "snapshot",
        T,
        json!({"task_id": "t", "vendor": "hw", "snapshot_pic_list": "[]"}),
    ));
    assert!(!hw.contains_key("field_id"), "Tencent only");
}

const PASCAL_N: [(&str, char); 5] = [
    ("Event", 's'),
    ("AppId", 'n'),
    ("Timestamp", 'n'),
    ("Nonce", 's'),
    ("Signature", 's'),
];

#[test]
fn censor_callbacks_send_numbers_for_app_id_and_timestamp() {
    for name in [
        "censor_audio_v2_status",
        "censor_video_v2_audio_status",
        "censor_video_v2_img_status",
    ] {
        let b = body(&event(
            name,
            T,
            json!({"Code": 0, "Message": "success", "TaskId": "384a", "Status": 0,
                   "AuxInfo": {"RoomId": "room_1", "CensorStreamTime": 31}}),
        ));
        shape(
            &b,
            &with_common(
                &PASCAL_N,
                &[
                    ("Code", 'n'),
                    ("Message", 's'),
                    ("TaskId", 's'),
                    ("Status", 'n'),
                    ("AuxInfo", 'o'),
                ],
            ),
        );
        assert_eq!(b["Event"], name);
        assert_eq!(b["AppId"], json!(APP));
        assert_eq!(b["Timestamp"], json!(T / 1000));
        assert_eq!(
            b["Signature"],
            sign(SECRET, &(T / 1000).to_string(), &NONCE.to_string())
        );
        assert_eq!(b["AuxInfo"]["CensorStreamTime"], 31);
    }
    for name in [
        "censor_audio_v2_result",
        "censor_video_v2_audio_result",
        "censor_video_v2_img_result",
    ] {
        let b = body(&event(
            name,
            T,
            json!({"Code": 0, "Message": "success", "TaskId": "384a", "ResultTaskId": "384a_1",
                   "Detail": {"RiskLevel": "PASS"}, "AuxInfo": {"RoomId": "room_1"}}),
        ));
        shape(
            &b,
            &with_common(
                &PASCAL_N,
                &[
                    ("Code", 'n'),
                    ("Message", 's'),
                    ("TaskId", 's'),
                    ("ResultTaskId", 's'),
                    ("Detail", 'o'),
                    ("AuxInfo", 'o'),
                ],
            ),
        );
        assert_eq!(b["Detail"]["RiskLevel"], "PASS");
    }
}

const ALL: [&str; 20] = [
    "room_create",
    "room_close",
    "room_login",
    "room_logout",
    "stream_create",
    "stream_close",
    "record",
    "mix_start",
    "mix_stop",
    "transcode_start",
    "transcode_stop",
    "compose",
    "procedure",
    "snapshot",
    "censor_audio_v2_result",
    "censor_video_v2_audio_result",
    "censor_video_v2_img_result",
    "censor_audio_v2_status",
    "censor_video_v2_audio_status",
    "censor_video_v2_img_status",
];

#[test]
fn any_data_renders_without_panicking_and_keeps_the_types() {
    let odd = [
        Value::Null,
        json!([1, 2]),
        json!("text"),
        json!({"room_session_id": "not a number", "Sequence": "7", "seq": true, "Details": [1],
               "rtmp_url": "rtmp://one", "extra_params": null, "AuxInfo": "x", "Code": 1.5,
               "close_reason": -3, "user_update_seq": 18_446_744_073_709_551_615_u64}),
    ];
    for name in ALL {
        let empty = body(&event(name, T, json!({})));
        for data in &odd {
            let b = body(&event(name, -1, data.clone()));
            let mut k1: Vec<&String> = empty.keys().collect();
            let mut k2: Vec<&String> = b.keys().collect();
            k1.retain(|k| !["file_id", "field_id"].contains(&k.as_str()));
            k2.retain(|k| !["file_id", "field_id"].contains(&k.as_str()));
            assert_eq!(k1, k2, "{name} {data}");
            for (k, v) in &empty {
                if let Some(w) = b.get(k) {
                    assert_eq!(
                        std::mem::discriminant(v),
                        std::mem::discriminant(w),
                        "{name}.{k}: {v} vs {w}"
                    );
                }
            }
        }
    }
    // Missing values are their type's empty value.
    let b = body(&event("stream_create", T, json!({})));
    assert_eq!(b["room_id"], "");
    assert_eq!(b["rtmp_url"], json!([]));
    let b = body(&event("room_create", T, json!({})));
    assert_eq!(b["room_session_id"], 0);
    let b = body(&event("transcode_start", T, json!({"Sequence": "7"})));
    assert_eq!(b["Sequence"], 7, "a numeric string becomes a number");
    assert_eq!(b["Details"], json!({}));
}

#[test]
fn events_without_a_callback_render_none() {
    for name in ["something_else", "stream_update", ""] {
        assert!(
            render(&event(name, T, json!({})), envelope()).is_none(),
            "{name}"
        );
    }
    for name in ALL {
        let r = render(&event(name, T, json!({})), envelope()).expect(name);
        assert_eq!(Some(r.category), Category::of(name));
    }
}
