//! The happy path of each stream-mixing action against the mock: input streams published through
//! the mock's control plane (`start_publishing`, `login`, `publish_in_room`), outputs checked
//! through the client's own DescribeRTCStreamState, tasks counted with `mix_tasks`.
//!
//! Included by `against_mock.rs` (its `happy_path` hands every mixing action to this module).
//! The expectations follow the
//! contract's mock rules: StartMix inputs must be live, outputs by StreamId are live while their
//! task runs, a stopped task is unknown to GetMixTaskInfo (110209001), and stopping a task that
//! is not running succeeds.

use std::time::Duration;
use zego_client::{
    AutoMixOutput, Client, DescribeRtcStreamStateRequest, Error, ErrorCode, Family,
    GetMixTaskInfoRequest, MixInput, MixOutput, RectInfo, StartAutoMixRequest,
    StartCloudTranscodeRequest, StartMixRequest, StopAutoMixRequest, StopCloudTranscodeRequest,
    StopMixRequest, TranscodeInput, TranscodeOutput,
};
use zego_mock::{Env, MockServer, UserSpec, DEV_APP_ID};

/// The mixing actions this module has a happy path for.
pub(super) const ACTIONS: &[&str] = &[
    "StartMix",
    "StopMix",
    "GetMixTaskInfo",
    "StartAutoMix",
    "StopAutoMix",
    "StartCloudTranscode",
    "StopCloudTranscode",
];

const ENV: Env = Env::Production;

/// A stream goes live, published by a client outside any room.
fn publish(server: &MockServer, stream: &str) {
    server
        .start_publishing(DEV_APP_ID, ENV, stream)
        .unwrap_or_else(|e| panic!("publish {stream}: {e:?}"));
}

/// How many mixing tasks the mock holds.
fn task_count(server: &MockServer) -> usize {
    server.mix_tasks(DEV_APP_ID, ENV).len()
}

/// Whether the client sees `stream` as live (a stream that was never there, or has closed, is
/// not).
async fn is_live(client: &Client, stream: &str) -> Result<bool, Error> {
    match client
        .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(stream))
        .await
    {
        Ok(r) => Ok(r.data.is_live()),
        Err(e) if e.code() == Some(ErrorCode::StreamNotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A two-input, one-output mix of streams it publishes first.
fn two_input_mix(server: &MockServer, task: &str, output: &str) -> StartMixRequest {
    let (a, b) = (format!("{task}-in-a"), format!("{task}-in-b"));
    publish(server, &a);
    publish(server, &b);
    StartMixRequest::new(
        task,
        format!("{task}-owner"),
        [
            MixInput::stream(&a).rect_info(RectInfo::new(0, 0, 640, 180)),
            MixInput::stream(&b).rect_info(RectInfo::new(0, 180, 640, 360).layer(1)),
        ],
        [MixOutput::stream(output, 360, 640, 15, 1_200_000)],
    )
}

/// GetMixTaskInfo of a task that is not running: 110209001, read in the mixing family.
async fn assert_not_running(client: &Client, task: &str) {
    let err = client
        .get_mix_task_info(GetMixTaskInfoRequest::new(task))
        .await
        .expect_err("the task is not running");
    assert_eq!(err.code(), Some(ErrorCode::MixTaskNotFound), "{err}");
    assert_eq!(
        err.api_error().map(|e| e.family()),
        Some(Family::StreamMixing)
    );
    assert!(!err.is_retryable() && !err.is_auth() && !err.is_throttling());
}

/// Calls the mixing action `action` the way an application would and checks the answer.
pub(super) async fn happy_path(
    server: &MockServer,
    client: &Client,
    action: &str,
) -> Result<(), Error> {
    let task = format!("happy-{}", action.to_ascii_lowercase());
    let output = format!("{task}-out");
    match action {
        "StartMix" => {
            let before = task_count(server);
            let r = client
                .start_mix(
                    two_input_mix(server, &task, &output)
                        .room_id("happy-mix-room")
                        .sequence(1),
                )
                .await?;
            assert_eq!(r.message, "success");
            assert!(!r.request_id.is_empty());
            // Data echoes the starter, the room and the Sequence, and lists the output.
            assert_eq!(r.data.user_id, format!("{task}-owner"));
            assert_eq!(r.data.room_id, "happy-mix-room");
            assert_eq!(r.data.sequence, 1);
            let outputs: Vec<&str> = r
                .data
                .play_info
                .iter()
                .map(|p| p.stream_id.as_str())
                .collect();
            assert_eq!(outputs, [output.as_str()]);
            assert_eq!(task_count(server), before + 1);
            assert!(is_live(client, &output).await?, "{output} is not live");

            // The same TaskId again updates the task rather than adding one.
            let update = client
                .start_mix(two_input_mix(server, &task, &output).sequence(2))
                .await?;
            assert_eq!(update.data.sequence, 2);
            assert_eq!(update.data.room_id, "", "no RoomId in the update");
            assert_eq!(task_count(server), before + 1);

            client.stop_mix(StopMixRequest::new(&task)).await?;
        }
        "StopMix" => {
            client
                .start_mix(two_input_mix(server, &task, &output))
                .await?;
            assert!(is_live(client, &output).await?);

            let r = client
                .stop_mix(StopMixRequest::new(&task).user_id(format!("{task}-owner")))
                .await?;

            assert_eq!(r.message, "success");
            assert!(!is_live(client, &output).await?, "{output} is still live");
            assert_not_running(client, &task).await;
            // Stopping a task that has ended succeeds: cleanup code need not know.
            let again = client.stop_mix(StopMixRequest::new(&task)).await?;
            assert_eq!(again.code, 0);
        }
        "GetMixTaskInfo" => {
            client
                .start_mix(two_input_mix(server, &task, &output))
                .await?;
            server.clock().advance(Duration::from_secs(13));

            let r = client
                .get_mix_task_info(GetMixTaskInfoRequest::new(&task))
                .await?;

            assert_eq!(r.message, "success");
            assert_eq!(r.data.task_info.task_id, task);
            assert_eq!(r.data.task_info.mix_duration, 13);
            client.stop_mix(StopMixRequest::new(&task)).await?;
            assert_not_running(client, &task).await;
        }
        "StartAutoMix" => {
            let room = format!("{task}-room");
            server
                .login(DEV_APP_ID, ENV, &room, UserSpec::new("singer"))
                .unwrap_or_else(|e| panic!("login: {e:?}"));
            server
                .publish_in_room(DEV_APP_ID, ENV, &room, "singer", &format!("{task}-voice"))
                .unwrap_or_else(|e| panic!("publish: {e:?}"));

            let r = client
                .start_auto_mix(StartAutoMixRequest::new(
                    &task,
                    "host",
                    &room,
                    [AutoMixOutput::stream(&output)],
                ))
                .await?;

            assert_eq!(r.message, "success");
            assert_eq!(r.data.user_id, "host");
            assert_eq!(r.data.room_id, room);
            assert_eq!(r.data.play_info.len(), 1);
            assert_eq!(r.data.play_info[0].stream_id, output);
            client
                .get_mix_task_info(GetMixTaskInfoRequest::new(&task))
                .await?;
            client
                .stop_auto_mix(StopAutoMixRequest::new(&task, &room))
                .await?;
        }
        "StopAutoMix" => {
            let room = format!("{task}-room");
            server
                .login(DEV_APP_ID, ENV, &room, UserSpec::new("singer"))
                .unwrap_or_else(|e| panic!("login: {e:?}"));
            client
                .start_auto_mix(StartAutoMixRequest::new(
                    &task,
                    "host",
                    &room,
                    [AutoMixOutput::stream(&output)],
                ))
                .await?;

            let r = client
                .stop_auto_mix(StopAutoMixRequest::new(&task, &room).user_id("host"))
                .await?;

            assert_eq!(r.message, "success");
            assert_not_running(client, &task).await;
            let again = client
                .stop_auto_mix(StopAutoMixRequest::new(&task, &room))
                .await?;
            assert_eq!(again.code, 0);
        }
        "StartCloudTranscode" => {
            let input = format!("{task}-in");
            publish(server, &input);

            let r = client
                .start_cloud_transcode(StartCloudTranscodeRequest::new(
                    &task,
                    "transcoder",
                    TranscodeInput::stream(&input),
                    [TranscodeOutput::stream(&output, 0)],
                ))
                .await?;

            assert_eq!(r.message, "success");
            assert!(is_live(client, &output).await?, "{output} is not live");
            client
                .stop_cloud_transcode(StopCloudTranscodeRequest::new(&task, "transcoder"))
                .await?;
        }
        "StopCloudTranscode" => {
            let input = format!("{task}-in");
            publish(server, &input);
            client
                .start_cloud_transcode(StartCloudTranscodeRequest::new(
                    &task,
                    "transcoder",
                    TranscodeInput::stream(&input),
                    [TranscodeOutput::stream(&output, 3)],
                ))
                .await?;

            let r = client
                .stop_cloud_transcode(StopCloudTranscodeRequest::new(&task, "transcoder"))
                .await?;

            assert_eq!(r.message, "success");
            assert!(!is_live(client, &output).await?, "{output} is still live");
            let again = client
                .stop_cloud_transcode(StopCloudTranscodeRequest::new(&task, "transcoder"))
                .await?;
            assert_eq!(again.code, 0);
        }
        other => panic!("no mixing happy path for {other}"),
    }
    Ok(())
}
