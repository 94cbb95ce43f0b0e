//! The happy path of each stream-moderation action against the mock, as `SPEC-rest-callbacks.md`
//! §3 specifies it: the app's Shumei permission is on (the default), a task moderates a room
//! with a publishing user (logged in and publishing through the mock's control plane, `login`
//! and `publish_in_room`, so that it does not end idle), TaskIds and IdentifyTokens are 32
//! lower-case hex digits, and stopping a task that is not running succeeds.
//!
//! Included by `against_mock.rs` (its `happy_path` hands every moderation action to this
//! module). The running tasks are read with the control plane's `censor_tasks` (§3.7).

use zego_client::{
    CensorAudioParam, CensorVideoParam, Client, Error, GenerateIdentifyTokenRequest,
    StartCensorAudioV2Request, StartCensorVideoV2Request, StopCensorAudioV2Request,
    StopCensorVideoV2Request,
};
use zego_mock::{Env, MockServer, UserSpec, DEV_APP_ID};

/// The moderation actions this module has a happy path for.
pub(super) const ACTIONS: &[&str] = &[
    "StartCensorAudioV2",
    "StopCensorAudioV2",
    "StartCensorVideoV2",
    "StopCensorVideoV2",
    "GenerateIdentifyToken",
];

const ENV: Env = Env::Production;

/// A room with a user publishing a stream in it.
fn publishing_room(server: &MockServer, room: &str) {
    let user = format!("{room}-host");
    server
        .login(DEV_APP_ID, ENV, room, UserSpec::new(&user))
        .unwrap_or_else(|e| panic!("login to {room}: {e:?}"));
    server
        .publish_in_room(DEV_APP_ID, ENV, room, &user, &format!("{room}-stream"))
        .unwrap_or_else(|e| panic!("publish in {room}: {e:?}"));
}

/// Whether `id` has the form of the documented TaskIds and tokens: 32 lower-case hex digits.
fn is_hex32(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// How many moderation tasks of the app are running.
fn running_tasks(server: &MockServer) -> usize {
    server
        .censor_tasks(DEV_APP_ID, ENV)
        .iter()
        .filter(|t| t.running)
        .count()
}

fn audio_request(room: &str) -> StartCensorAudioV2Request {
    StartCensorAudioV2Request::new(room, "live_streaming", "zh", ["POLITY", "EROTIC"])
        .label_language("en")
        .return_finish_info(true)
}

fn video_request(room: &str) -> StartCensorVideoV2Request {
    StartCensorVideoV2Request::new(
        room,
        "live_streaming",
        CensorVideoParam::risk_types(["POLITY", "QRCODE"])
            .return_all_img(true)
            .detect_frequency(5),
    )
    .language("en")
    .audio_param(CensorAudioParam::risk_types(["EROTIC"]))
}

/// Calls the moderation action `action` the way an application would and checks the answer.
pub(super) async fn happy_path(
    server: &MockServer,
    client: &Client,
    action: &str,
) -> Result<(), Error> {
    let room = format!("happy-{}", action.to_ascii_lowercase());
    match action {
        "StartCensorAudioV2" => {
            publishing_room(server, &room);
            let before = running_tasks(server);
            let r = client.start_censor_audio_v2(audio_request(&room)).await?;
            assert_eq!(r.message, "success");
            assert!(!r.request_id.is_empty());
            assert!(is_hex32(&r.data.task_id), "{}", r.data.task_id);
            // Several tasks per room, each with its own id.
            let second = client
                .start_censor_audio_v2(audio_request(&room).is_mixing_enabled(true))
                .await?;
            assert_ne!(second.data.task_id, r.data.task_id);
            assert_eq!(running_tasks(server), before + 2);
        }
        "StopCensorAudioV2" => {
            publishing_room(server, &room);
            let task = client
                .start_censor_audio_v2(audio_request(&room))
                .await?
                .data
                .task_id;
            let before = running_tasks(server);
            let r = client
                .stop_censor_audio_v2(StopCensorAudioV2Request::new(&task))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(running_tasks(server), before - 1);
            // Stopping it again, or a task that never ran, succeeds.
            client
                .stop_censor_audio_v2(StopCensorAudioV2Request::new(&task))
                .await?;
            client
                .stop_censor_audio_v2(StopCensorAudioV2Request::new(
                    "9f58178ba8034902c6028c728bc6f6e4",
                ))
                .await?;
        }
        "StartCensorVideoV2" => {
            publishing_room(server, &room);
            let before = running_tasks(server);
            let r = client.start_censor_video_v2(video_request(&room)).await?;
            assert_eq!(r.message, "success");
            assert!(is_hex32(&r.data.task_id), "{}", r.data.task_id);
            assert_eq!(running_tasks(server), before + 1);
            // Video only: no AudioParam.
            let video_only = client
                .start_censor_video_v2(StartCensorVideoV2Request::new(
                    &room,
                    "private_chat",
                    CensorVideoParam::default().business_type_list(["AGE"]),
                ))
                .await?;
            assert_ne!(video_only.data.task_id, r.data.task_id);
        }
        "StopCensorVideoV2" => {
            publishing_room(server, &room);
            let task = client
                .start_censor_video_v2(video_request(&room))
                .await?
                .data
                .task_id;
            let before = running_tasks(server);
            let r = client
                .stop_censor_video_v2(StopCensorVideoV2Request::new(&task))
                .await?;
            assert_eq!(r.message, "success");
            assert_eq!(running_tasks(server), before - 1);
            client
                .stop_censor_video_v2(StopCensorVideoV2Request::new(&task))
                .await?;
        }
        "GenerateIdentifyToken" => {
            let r = client
                .generate_identify_token(GenerateIdentifyTokenRequest::new().effective_time(600))
                .await?;
            assert_eq!(r.message, "success");
            assert!(is_hex32(&r.data.identify_token), "{:?}", r.data);
            assert_eq!(r.data.remain_time, 600);
            // Without EffectiveTime: an hour; each token is new.
            let default = client
                .generate_identify_token(GenerateIdentifyTokenRequest::new())
                .await?;
            assert_eq!(default.data.remain_time, 3600);
            assert_ne!(default.data.identify_token, r.data.identify_token);
        }
        other => panic!("no moderation happy path for {other}"),
    }
    Ok(())
}
