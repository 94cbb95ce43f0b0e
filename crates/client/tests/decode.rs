//! Decoding: every documented response example (`fixtures/responses/<action>.json`, transcribed
//! from the actions' OpenAPI pages), an error envelope for every [`ErrorCode`], and answers that
//! are not envelopes at all.

use crate::common;

use common::fixture;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zego_client::{
    AddStreamRequest, CdnResult, ClearCdnTransferRuleRequest, Client, CloseRoomRequest,
    CreatCdnTransferRuleRequest, DelForbidStreamRuleRequest, DelForbidUserRuleRequest,
    DeleteCdnTransferRuleRequest, DeleteStreamRequest, DescribeForbidStreamRulesRequest,
    DescribeForbidUserRulesRequest, DescribeRtcStreamStateRequest, DescribeSimpleStreamListRequest,
    DescribeUserListRequest, DescribeUserNumRequest, DescribeUsersRequest, DisabledPrivilege,
    Error, ErrorCode, Family, ForbidCdnLiveStreamRequest, ForbidRtcStreamRequest,
    ForbidRtcStreamsRequest, ForbidRuleType, KickoutUserRequest, MessageCategory,
    QueryForbidCdnLiveStreamRequest, ResumeCdnLiveStreamRequest, ResumeRtcStreamRequest,
    ResumeRtcStreamsRequest, SendBarrageMessageRequest, SendBroadcastMessageRequest,
    SendCustomCommandRequest, SetForbidStreamRuleRequest, SetForbidUserRuleRequest,
};
use zego_client::{
    AutoMixOutput, GetMixTaskInfoRequest, MixInput, MixOutput, StartAutoMixRequest,
    StartCloudTranscodeRequest, StartMixRequest, StopAutoMixRequest, StopCloudTranscodeRequest,
    StopMixRequest, TranscodeInput, TranscodeOutput,
};
use zego_client::{
    CdnVendor, CensorVideoParam, DeleteMediaRequest, DescribeMediaTaskRequest,
    GenerateIdentifyTokenRequest, MediaResolution, MediaThumbnailsRequest, MergeMediaRequest,
    SearchMediaRequest, SetSceneTemplateRequest, StartCdnRecordRequest, StartCensorAudioV2Request,
    StartCensorVideoV2Request, StopCdnRecordRequest, StopCensorAudioV2Request,
    StopCensorVideoV2Request, ThumbnailType, TranscodeMediaRequest,
};

fn client(uri: &str) -> Client {
    Client::builder()
        .app_id(12345)
        .server_secret("9193cc662a4c0ec135ec71fb57194b38")
        .base_url(uri)
        .build()
        .expect("valid client")
}

/// A server answering every request (a GET or, for the mixing actions, a POST) with `status` and
/// `body`.
async fn answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .mount(&server)
        .await;
    server
}

async fn answer(server: &MockServer, status: u16, body: &str) {
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .mount(server)
        .await;
}

fn ws(result: &str) -> Vec<(String, String)> {
    vec![("ws".to_string(), result.to_string())]
}

fn pairs(data: &[CdnResult]) -> Vec<(String, String)> {
    data.iter()
        .map(|r| (r.cdn_type.clone(), r.cdn_result.clone()))
        .collect()
}

// -------------------------------------------------------------------------------------------
// Documented examples

#[tokio::test]
async fn the_relay_rule_examples_decode() {
    let cases = [
        ("CreatCDNTransferRule", "918334131114317411"),
        ("DeleteCDNTransferRule", "4741109603321226039"),
        ("ClearCDNTransferRule", "4741109603321226039"),
    ];
    for (action, request_id) in cases {
        let server = answering(200, &fixture(action)).await;
        let c = client(&server.uri());
        let r = match action {
            "CreatCDNTransferRule" => {
                c.creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("s"))
                    .await
            }
            "DeleteCDNTransferRule" => {
                c.delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new("s", "rtmp://h/a"))
                    .await
            }
            _ => {
                c.clear_cdn_transfer_rule(ClearCdnTransferRuleRequest::new("s"))
                    .await
            }
        }
        .unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(r.message, "ok", "{action}");
        assert_eq!(r.request_id, request_id, "{action}");
    }
}

#[tokio::test]
async fn the_cdn_live_stream_examples_decode() {
    let server = answering(200, &fixture("ForbidCDNLiveStream")).await;
    let r = client(&server.uri())
        .forbid_cdn_live_stream(ForbidCdnLiveStreamRequest::new("s"))
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "4113829426153229963");
    assert_eq!(pairs(&r.data), ws("success append purge tasks"));

    let server = answering(200, &fixture("ResumeCDNLiveStream")).await;
    let r = client(&server.uri())
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("s"))
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "3162938795049910659");
    assert_eq!(pairs(&r.data), ws("success append purge tasks"));
}

#[tokio::test]
async fn the_query_forbid_example_decodes() {
    let server = answering(200, &fixture("QueryForbidCDNLiveStream")).await;
    let r = client(&server.uri())
        .query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest::default())
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "");
    let list = r.data.ws.expect("Ws").result_detail;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].channel, "publish-ws.zegotech.cn");
    assert_eq!(list[0].url, "rtmp://publish-ws.zegotech.cn/test/stream001");
    assert_eq!(list[0].start_time, "2024-10-12T03:47:53Z");
    assert_eq!(list[0].end_time, "2024-11-11T03:47:53Z");
    assert_eq!(list[0].ip, "");
    assert_eq!(list[1].url, "rtmp://publish-ws.zegotech.cn/test/stream002");
    assert_eq!(list[1].start_time, "2024-10-12T02:48:15Z");
    assert_eq!(list[1].end_time, "2024-10-14T02:22:00Z");
}

#[tokio::test]
async fn the_rtc_stream_examples_decode_with_data_absent_or_null() {
    let cases = [
        ("ForbidRTCStream", "1929203990360298509"),
        ("ResumeRTCStream", "5310603407599603439"),
        ("ForbidRTCStreams", "1929203990360298509"),
        ("ResumeRTCStreams", "5310603407599603439"),
    ];
    for (action, request_id) in cases {
        let server = answering(200, &fixture(action)).await;
        let c = client(&server.uri());
        let r = match action {
            "ForbidRTCStream" => c.forbid_rtc_stream(ForbidRtcStreamRequest::new("s")).await,
            "ResumeRTCStream" => c.resume_rtc_stream(ResumeRtcStreamRequest::new("s")).await,
            "ForbidRTCStreams" => {
                c.forbid_rtc_streams(ForbidRtcStreamsRequest::new(["a", "b"]))
                    .await
            }
            _ => {
                c.resume_rtc_streams(ResumeRtcStreamsRequest::new(["a", "b"]))
                    .await
            }
        }
        .unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(r.message, "ok", "{action}");
        assert_eq!(r.request_id, request_id, "{action}");
    }
}

#[tokio::test]
async fn the_stream_state_example_decodes() {
    let server = answering(200, &fixture("DescribeRTCStreamState")).await;
    let r = client(&server.uri())
        .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new("s"))
        .await
        .expect("decodes");
    assert_eq!(r.message, "ok");
    assert_eq!(r.request_id, "98004");
    assert_eq!(r.data.create_time, "1673334117");
    assert_eq!(r.data.close_time, "");
}

// The room examples. Expected values are the pages' own (see `fixtures/responses`).

#[tokio::test]
async fn the_room_message_examples_decode() {
    let server = answering(200, &fixture("SendBroadcastMessage")).await;
    let r = client(&server.uri())
        .send_broadcast_message(SendBroadcastMessageRequest::new(
            "room1",
            "user1",
            MessageCategory::System,
            "m",
        ))
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "619831198646468496");
    // An integer for a broadcast...
    assert_eq!(r.data.message_id, 3);

    answer(&server, 200, &fixture("SendBarrageMessage")).await;
    let r = client(&server.uri())
        .send_barrage_message(SendBarrageMessageRequest::new(
            "room1",
            "user1",
            MessageCategory::Chat,
            "m",
        ))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "2237080460466033406");
    // ... a string for a barrage.
    assert_eq!(r.data.message_id, "1_1611647493487_29");

    answer(&server, 200, &fixture("SendCustomCommand")).await;
    let r = client(&server.uri())
        .send_custom_command(SendCustomCommandRequest::new("room", "userA", "m"))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "3005402395393320157");
    let failed: Vec<(&str, i64)> = r
        .data
        .fail_users
        .iter()
        .map(|f| (f.uid.as_str(), f.code))
        .collect();
    assert_eq!(failed, [("1111", 50003)]);
}

#[tokio::test]
async fn the_room_user_examples_decode() {
    let server = answering(200, &fixture("DescribeUserNum")).await;
    let r = client(&server.uri())
        .describe_user_num(DescribeUserNumRequest::new(["room1", "room2"]))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "7840039829955402142");
    let counts: Vec<(&str, i64, i64)> = r
        .data
        .user_count_list
        .iter()
        .map(|c| (c.room_id.as_str(), c.user_count, c.admin_user_count))
        .collect();
    assert_eq!(counts, [("room1", 2, 0), ("room2", 3, 1)]);

    answer(&server, 200, &fixture("DescribeUsers")).await;
    let r = client(&server.uri())
        .describe_users(DescribeUsersRequest::new("room1", ["a", "b"]))
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "TestRequestId1675674022729915000");
    let users = &r.data.user_status_list;
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].user_id, "a");
    assert_eq!(users[0].status, 1);
    assert!(users[0].is_in_room());
    assert_eq!(users[0].login_time, 1_675_674_019_365);
    assert_eq!(users[0].user_role, 1);
    assert_eq!(users[1].user_id, "b");
    assert_eq!(users[1].login_time, 1_675_674_019_455);

    answer(&server, 200, &fixture("DescribeUserList")).await;
    let r = client(&server.uri())
        .describe_user_list(DescribeUserListRequest::new("room_demo"))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "TestRequestId1635940600561291000");
    assert_eq!(r.data.marker, "1635940599950-user2");
    let listed: Vec<(&str, &str, i64)> = r
        .data
        .user_list
        .iter()
        .map(|u| (u.user_id.as_str(), u.user_name.as_str(), u.user_role))
        .collect();
    assert_eq!(listed, [("user1", "user1", 1), ("user2", "user2", 2)]);
}

#[tokio::test]
async fn the_room_stream_list_example_decodes() {
    let server = answering(200, &fixture("DescribeSimpleStreamList")).await;
    let r = client(&server.uri())
        .describe_simple_stream_list(DescribeSimpleStreamListRequest::new("room1"))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "5885338326725063742");
    let s = &r.data.stream_list;
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].stream_id, "stream_demo");
    assert_eq!(s[0].user_id, "user_demo");
    assert_eq!(s[0].user_name, "user_name_demo");
    assert_eq!(s[0].create_time, 1_642_045_110_123);
    assert_eq!(s[0].stream_number_id, 10);
}

#[tokio::test]
async fn the_ban_rule_examples_decode() {
    let server = answering(200, &fixture("SetForbidUserRule")).await;
    let r = client(&server.uri())
        .set_forbid_user_rule(
            SetForbidUserRuleRequest::new(ForbidRuleType::Room, [DisabledPrivilege::Login], 1800)
                .room_id("room1"),
        )
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "TestRequestId1675674022729915000");
    assert_eq!(r.data.expire_time, 1_704_282_648);

    answer(&server, 200, &fixture("DescribeForbidUserRules")).await;
    let r = client(&server.uri())
        .describe_forbid_user_rules(DescribeForbidUserRulesRequest::new(ForbidRuleType::Room))
        .await
        .expect("decodes");
    let rules = &r.data.rule_list;
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0].rule_type, 2);
    assert_eq!(rules[0].ip, "");
    assert_eq!(rules[0].room_id, "room1");
    assert_eq!(rules[0].user_id, "");
    assert_eq!(rules[0].disabled_privilege_list, [1, 2]);
    assert_eq!(rules[0].expire_time, 1_704_282_648);
    assert_eq!(rules[1].room_id, "room2");
    assert_eq!(rules[1].disabled_privilege_list, [1]);

    answer(&server, 200, &fixture("DescribeForbidStreamRules")).await;
    let r = client(&server.uri())
        .describe_forbid_stream_rules(DescribeForbidStreamRulesRequest::new(
            "room1",
            ["streamId1", "streamId2"],
        ))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "TestRequestId1710224543000");
    assert_eq!(r.data.room_id, "room1");
    let list = &r.data.forbid_stream_rule_list;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].stream_id, "streamId1");
    assert_eq!(
        (
            list[0].disable_audio,
            list[0].disable_video,
            list[0].create_time,
            list[0].effective_time
        ),
        (1, 1, 1_343_313_411, 3600)
    );
    assert!(list[0].is_set());
    // "all field values in the response will be 0" for a stream without a rule.
    assert_eq!(list[1].stream_id, "streamId2");
    assert_eq!(
        (
            list[1].disable_audio,
            list[1].disable_video,
            list[1].create_time,
            list[1].effective_time
        ),
        (0, 0, 0, 0)
    );
    assert!(!list[1].is_set());
}

#[tokio::test]
async fn the_room_examples_without_data_decode() {
    let cases = [
        ("AddStream", "4443515903608307334"),
        ("DeleteStream", "TestRequestId167562222222915000"),
        ("CloseRoom", "TestRequestId1642755866616219000"),
        ("KickoutUser", "343649807833778782"),
        ("DelForbidUserRule", "TestRequestId1675674022729915000"),
        ("SetForbidStreamRule", "TestRequestId167562222222915000"),
        ("DelForbidStreamRule", "TestRequestId167562222222915000"),
    ];
    let server = MockServer::start().await;
    let c = client(&server.uri());
    for (action, request_id) in cases {
        // The documented example has no Data member at all.
        let text = fixture(action);
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(v.get("Data").is_none(), "{action}");
        answer(&server, 200, &text).await;
        let (message, got) = match action {
            "AddStream" => c
                .add_stream(AddStreamRequest::new("room1", "user1", "s"))
                .await
                .map(|r| (r.message, r.request_id)),
            "DeleteStream" => c
                .delete_stream(DeleteStreamRequest::new("room1", "user1", "s"))
                .await
                .map(|r| (r.message, r.request_id)),
            "CloseRoom" => c
                .close_room(CloseRoomRequest::new("room1"))
                .await
                .map(|r| (r.message, r.request_id)),
            "KickoutUser" => c
                .kickout_user(KickoutUserRequest::new("room1", ["a"]))
                .await
                .map(|r| (r.message, r.request_id)),
            "DelForbidUserRule" => c
                .del_forbid_user_rule(DelForbidUserRuleRequest::new(ForbidRuleType::Room))
                .await
                .map(|r| (r.message, r.request_id)),
            "SetForbidStreamRule" => c
                .set_forbid_stream_rule(
                    SetForbidStreamRuleRequest::new("room1", "s").disable_audio(true),
                )
                .await
                .map(|r| (r.message, r.request_id)),
            _ => c
                .del_forbid_stream_rule(DelForbidStreamRuleRequest::new("room1", "s"))
                .await
                .map(|r| (r.message, r.request_id)),
        }
        .unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(message, "success", "{action}");
        assert_eq!(got, request_id, "{action}");
    }
}

#[tokio::test]
async fn room_answers_are_read_leniently_where_the_docs_are_loose() {
    // A numeric RequestId, a broadcast MessageId as a string of digits.
    let server = answering(
        200,
        r#"{"Code":0,"Message":"success","RequestId":4443515903608307334,"Data":{"MessageId":"7"}}"#,
    )
    .await;
    let r = client(&server.uri())
        .send_broadcast_message(SendBroadcastMessageRequest::new(
            "r",
            "u",
            MessageCategory::Chat,
            "m",
        ))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "4443515903608307334");
    assert_eq!(r.data.message_id, 7);

    // A barrage MessageId as a number.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":{"MessageId":29}}"#,
    )
    .await;
    let r = client(&server.uri())
        .send_barrage_message(SendBarrageMessageRequest::new(
            "r",
            "u",
            MessageCategory::Chat,
            "m",
        ))
        .await
        .expect("decodes");
    assert_eq!(r.data.message_id, "29");

    // SendCustomCommand without Data (as the 2021 page showed it): no failed recipients.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1"}"#,
    )
    .await;
    let r = client(&server.uri())
        .send_custom_command(SendCustomCommandRequest::new("r", "u", "m"))
        .await
        .expect("decodes");
    assert!(r.data.fail_users.is_empty());

    // A list whose Data is null.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":null}"#,
    )
    .await;
    let r = client(&server.uri())
        .describe_user_list(DescribeUserListRequest::new("r"))
        .await
        .expect("decodes");
    assert!(r.data.user_list.is_empty() && r.data.marker.is_empty());

    // A string where an integer is documented, that is not a number, is a decode error.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":{"ExpireTime":"soon"}}"#,
    )
    .await;
    let err = client(&server.uri())
        .set_forbid_user_rule(
            SetForbidUserRuleRequest::new(ForbidRuleType::User, [DisabledPrivilege::Publish], 60)
                .user_id("u"),
        )
        .await
        .expect_err("not a number");
    assert!(err.is_decode(), "{err:?}");
}

// The stream-mixing examples. Expected values are the pages' own (see `fixtures/responses`).

fn start_mix() -> StartMixRequest {
    StartMixRequest::new(
        "task",
        "123",
        [MixInput::stream("in")],
        [MixOutput::stream("out", 360, 640, 15, 1_200_000)],
    )
}

#[tokio::test]
async fn the_mixing_start_examples_decode() {
    let server = answering(200, &fixture("StartMix")).await;
    let c = client(&server.uri());
    let r = c.start_mix(start_mix()).await.expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "8472822294336370476");
    assert_eq!(r.data.user_id, "123");
    assert_eq!(r.data.sequence, 1);
    assert_eq!(r.data.room_id, "321");
    assert_eq!(r.data.play_info.len(), 1);
    let play = &r.data.play_info[0];
    assert_eq!(play.stream_id, "test");
    assert_eq!(play.rtmp, "rtmp://domain/appname/test");
    assert_eq!(play.hls, "http://domain/appname/test/playlist.m3u8");
    assert_eq!(play.flv, "http://domain/appname/test.flv");
    assert_eq!(play.status, 0);
    assert_eq!(play.user_name, "");

    answer(&server, 200, &fixture("StartAutoMix")).await;
    let r = c
        .start_auto_mix(StartAutoMixRequest::new(
            "task",
            "123",
            "room123",
            [AutoMixOutput::stream("stream3")],
        ))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "8472822294336370476");
    assert_eq!(
        (
            r.data.user_id.as_str(),
            r.data.sequence,
            r.data.room_id.as_str()
        ),
        ("123", 1, "room123")
    );
    assert_eq!(r.data.play_info[0].stream_id, "test");
    assert_eq!(r.data.play_info[0].flv, "http://domain/appname/test.flv");
}

#[tokio::test]
async fn the_mix_task_info_example_decodes() {
    let server = answering(200, &fixture("GetMixTaskInfo")).await;
    let r = client(&server.uri())
        .get_mix_task_info(GetMixTaskInfoRequest::new("task_test_123"))
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "1864314306034131629");
    assert_eq!(r.data.task_info.task_id, "task_test_123");
    assert_eq!(r.data.task_info.mix_duration, 13);
}

#[tokio::test]
async fn the_mixing_examples_without_data_decode() {
    let cases = [
        ("StopMix", "8472822294336370476"),
        ("StopAutoMix", "6351841974556802202"),
        ("StartCloudTranscode", "8472822294336370476"),
        ("StopCloudTranscode", "8472822294336370476"),
    ];
    let server = MockServer::start().await;
    let c = client(&server.uri());
    for (action, request_id) in cases {
        let text = fixture(action);
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(v.get("Data").is_none(), "{action}");
        answer(&server, 200, &text).await;
        let (message, got) = match action {
            "StopMix" => c
                .stop_mix(StopMixRequest::new("task"))
                .await
                .map(|r| (r.message, r.request_id)),
            "StopAutoMix" => c
                .stop_auto_mix(StopAutoMixRequest::new("task", "room123"))
                .await
                .map(|r| (r.message, r.request_id)),
            "StartCloudTranscode" => c
                .start_cloud_transcode(StartCloudTranscodeRequest::new(
                    "task",
                    "456",
                    TranscodeInput::stream("stream1"),
                    [TranscodeOutput::stream("stream3", 3)],
                ))
                .await
                .map(|r| (r.message, r.request_id)),
            _ => c
                .stop_cloud_transcode(StopCloudTranscodeRequest::new("task", "456"))
                .await
                .map(|r| (r.message, r.request_id)),
        }
        .unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(message, "success", "{action}");
        assert_eq!(got, request_id, "{action}");
    }
}

#[tokio::test]
async fn mixing_answers_are_read_leniently_where_the_docs_are_loose() {
    // Numbers as strings, null lists and objects, missing members.
    let server = answering(
        200,
        r#"{"Code":0,"Message":"success","RequestId":1,"Data":{"UserId":123,"Sequence":"4","PlayInfo":null}}"#,
    )
    .await;
    let r = client(&server.uri())
        .start_mix(start_mix())
        .await
        .expect("decodes");
    assert_eq!(r.data.user_id, "123");
    assert_eq!(r.data.sequence, 4);
    assert_eq!(r.data.room_id, "");
    assert!(r.data.play_info.is_empty());

    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":{"TaskInfo":null}}"#,
    )
    .await;
    let r = client(&server.uri())
        .get_mix_task_info(GetMixTaskInfoRequest::new("t"))
        .await
        .expect("decodes");
    assert_eq!(r.data.task_info.mix_duration, 0);

    // A duration that is not a number is a decode error.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":{"TaskInfo":{"MixDuration":"long"}}}"#,
    )
    .await;
    let err = client(&server.uri())
        .get_mix_task_info(GetMixTaskInfoRequest::new("t"))
        .await
        .expect_err("not a number");
    assert!(err.is_decode(), "{err:?}");
}

#[test]
fn there_is_a_fixture_for_every_action() {
    for action in zego_client::ACTIONS {
        let v: serde_json::Value =
            serde_json::from_str(&fixture(action)).unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(v["Code"], 0, "{action}");
    }
}

#[tokio::test]
async fn lenient_where_the_docs_are_loose() {
    // A numeric RequestId, Data null where an array is documented, numbers for the state times.
    let server = answering(
        200,
        r#"{"Code":0,"Message":"success","RequestId":42,"Data":null}"#,
    )
    .await;
    let r = client(&server.uri())
        .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("s"))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "42");
    assert!(r.data.is_empty());

    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"ok","RequestId":"1","Data":{"create_time":1673334117,"close_time":""}}"#,
    )
    .await;
    let r = client(&server.uri())
        .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new("s"))
        .await
        .expect("decodes");
    assert_eq!(r.data.create_time, "1673334117");
}

// -------------------------------------------------------------------------------------------
// Media files, moderation, scene: the documented examples (values transcribed from the pages'
// YAML examples, `cdn/`, `moderation/`, `scene/`)

fn start_cdn_record() -> StartCdnRecordRequest {
    StartCdnRecordRequest::new(CdnVendor::Tencent, ["cdn01", "cdn02"])
}

#[tokio::test]
async fn the_recording_examples_decode_every_vendor_key() {
    // The English pages show every vendor's answer at once (start-cdn-record.yaml,
    // stop-cdn-record.yaml).
    let server = answering(200, &fixture("StartCDNRecord")).await;
    let c = client(&server.uri());
    let r = c
        .start_cdn_record(start_cdn_record())
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "4191282558729715911");
    let tencent = r.data.tencent.expect("Tencent");
    assert_eq!(tencent.len(), 1);
    assert_eq!(tencent[0].stream_name, "cdn01");
    assert_eq!(
        tencent[0].task_id,
        "UUpTbkZUQV5WQVxrRFtDUQIUB29FWwMeAxwALBxMAggNHxw7WRUWGBVeEzoTDl0CDEoFNgIESVpXQV9rRVRCXlVKWGlFV0daVENeaFdURVNY"
    );
    assert_eq!(
        tencent[0].request_id,
        "70628bcd-5652-4d5c-aa04-97956a4e771a"
    );
    assert_eq!(
        (tencent[0].code.as_str(), tencent[0].message.as_str()),
        ("", "")
    );
    let ws = r.data.ws.expect("Ws");
    assert_eq!(ws.msg, None);
    assert_eq!(ws.http_code, 200);
    assert_eq!(ws.trace_id, "15ccf21b-f3c2-4ee3-aaad-d995393f80cd");
    assert_eq!(ws.call_time, "2022-04-27 14:27:48");
    assert_eq!(ws.list.len(), 1);
    assert_eq!(ws.list[0].task, "mp4");
    assert_eq!(ws.list[0].id, "vega_test");
    assert_eq!(ws.list[0].http_code, 200);
    assert_eq!(ws.list[0].msg.as_deref(), Some("success"));
    assert_eq!(
        ws.list[0].persistent_id,
        "2020bc8b648883c64e7e81f03cf72b70b86f"
    );
    let huawei = r.data.huawei.expect("Huawei");
    assert_eq!(huawei[0].stream_name, "hwtest");
    assert_eq!(huawei[0].request_id, "c373b2cc8a51159d4d60e0ec543csd88");
    assert_eq!(huawei[0].code, 0);
    assert_eq!(huawei[0].message, "success");
    assert_eq!(r.data.aliyun, None);

    answer(&server, 200, &fixture("StopCDNRecord")).await;
    let r = c
        .stop_cdn_record(StopCdnRecordRequest::new(CdnVendor::Tencent, ["cdn01"]))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "4315169065145771656");
    let tencent = r.data.tencent.expect("Tencent");
    assert_eq!(tencent[0].stream_name, "cdn01");
    // StopCDNRecord answers no TaskId.
    assert_eq!(tencent[0].task_id, "");
    assert_eq!(
        tencent[0].request_id,
        "d39548da-fbd4-4dce-8023-cfccd28a9963"
    );
    let ws = r.data.ws.expect("Ws");
    assert_eq!(ws.trace_id, "10021988-6472-4b6d-9f9a-6b5a6d4b6551");
    assert_eq!(ws.call_time, "2022-05-26 11:46:06");
    assert_eq!(ws.list[0].id, "test");
    assert_eq!(
        ws.list[0].persistent_id,
        "202009a378bae528409f87dbe20717415676"
    );
    let huawei = r.data.huawei.expect("Huawei");
    assert_eq!(huawei[0].request_id, "f7b1e2f0ca92e7e90f8f0c8b96cds757");
}

#[tokio::test]
async fn a_recording_answer_holds_only_the_named_vendor() {
    // The Chinese page's per-vendor examples (zh/.../cdn/start-cdn-record.yaml): Aliyun with a
    // numeric RequestId and an integer Code 200; Huawei alone.
    let server = answering(
        200,
        r#"{"Code":0,"Message":"success","RequestId":16781707661,"Data":{"Aliyun":[{"StreamName":"clarechen_test","RequestId":"AFC11DD6-9010-5235-9E44-E2DC24BCA148","Code":200,"Message":""}]}}"#,
    )
    .await;
    let c = client(&server.uri());
    let r = c
        .start_cdn_record(StartCdnRecordRequest::new(
            CdnVendor::Aliyun,
            ["clarechen_test"],
        ))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "16781707661");
    assert_eq!(
        (
            r.data.tencent.is_none(),
            r.data.ws.is_none(),
            r.data.huawei.is_none()
        ),
        (true, true, true)
    );
    let aliyun = r.data.aliyun.expect("Aliyun");
    assert_eq!(aliyun[0].stream_name, "clarechen_test");
    assert_eq!(aliyun[0].request_id, "AFC11DD6-9010-5235-9E44-E2DC24BCA148");
    assert_eq!(aliyun[0].code, 200);

    // A Tencent stream's failure: its Code is a string; a number is read as its text.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":{"Tencent":[{"StreamName":"a","TaskId":"","RequestId":"r","Code":"InvalidParameter","Message":"bad"},{"StreamName":"b","Code":5}]}}"#,
    )
    .await;
    let r = c
        .start_cdn_record(start_cdn_record())
        .await
        .expect("decodes");
    let tencent = r.data.tencent.expect("Tencent");
    assert_eq!(tencent[0].code, "InvalidParameter");
    assert_eq!(tencent[0].message, "bad");
    assert_eq!(tencent[1].code, "5");
    assert_eq!(r.data.ws, None);
}

#[tokio::test]
async fn the_search_media_example_decodes_tencent_files_and_keys() {
    let server = answering(200, &fixture("SearchMedia")).await;
    let r = client(&server.uri())
        .search_media(SearchMediaRequest::new(CdnVendor::Tencent))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "6877226848471811505");
    let tencent = r.data.tencent.expect("Tencent");
    assert_eq!(tencent.total_count, 1);
    assert_eq!(tencent.request_id, "c827629f-08b4-406c-b063-b660126e922f");
    let file = &tencent.media_info_set[0];
    assert_eq!(file.file_id, "3270835011057780896");
    let basic = &file.basic_info;
    assert_eq!(basic.name, "1690354361.mp4");
    assert_eq!(basic.description, "");
    assert_eq!(basic.create_time, "2023-07-26T06:52:49Z");
    assert_eq!(basic.update_time, "2023-07-26T10:21:33Z");
    assert_eq!(basic.expire_time, "9999-12-31T23:59:59Z");
    assert_eq!(basic.class_id, 0);
    assert_eq!(basic.class_name, "其他");
    assert_eq!(basic.class_path, "其他");
    assert_eq!(basic.media_type, "mp4");
    assert_eq!(
        basic.intranet_media_url,
        "http://6ccdc2cdvodcq1500030200-10022853.cos.ap-chongqing.myqcloud.com/6ccdc2cdvodcq1500030200/9f4b53275145403724864089390/f0.mp4"
    );
    assert_eq!(
        basic.media_url,
        "http://push.url/6cbbc436vodcq1500020831/03c1ada53270835011057780896/9e505713fb216f0b0232064f.mp4"
    );
    assert_eq!(basic.source_info.source_type, "VideoProcessing");
    assert_eq!(basic.source_info.source_context, "");
    assert_eq!(basic.storage_region, "ap-chongqing");
    assert_eq!(basic.vid, "3270835011057780896");
    assert_eq!(
        (
            basic.category.as_str(),
            basic.status.as_str(),
            basic.storage_class.as_str()
        ),
        ("Video", "Normal", "STANDARD")
    );
    let set = &file.transcode_info.transcode_set;
    assert_eq!(set.len(), 2);
    let original = &set[0];
    assert_eq!(original.definition, 0);
    assert_eq!(original.bitrate, 576_721);
    assert_eq!((original.width, original.height), (640, 360));
    assert_eq!(original.size, 2_239_086);
    assert!(
        (original.duration - 31.104).abs() < 1e-9,
        "{}",
        original.duration
    );
    assert_eq!(original.md5, "");
    assert_eq!(original.container, "mov,mp4,m4a,3gp,3g2,mj2");
    assert_eq!(original.video_stream_set[0].bitrate, 530_177);
    assert_eq!(original.video_stream_set[0].codec, "h264");
    assert_eq!(original.video_stream_set[0].fps, 14);
    assert_eq!(
        original.video_stream_set[0].dynamic_range_info.range_type,
        "SDR"
    );
    assert_eq!(original.audio_stream_set[0].bitrate, 46_544);
    assert_eq!(original.audio_stream_set[0].sampling_rate, 16_000);
    assert_eq!(original.audio_stream_set[0].codec, "aac");
    assert_eq!(original.digital_watermark_type, "None");
    assert_eq!(original.copy_right_watermark_text, "");
    let transcode = &set[1];
    assert_eq!(transcode.definition, 100_020);
    assert_eq!(
        transcode.url,
        "http://push.url/43a5b1devodtranscq1500020831/03c1ada53270835011057780896/v.f100020.mp4"
    );
    assert_eq!((transcode.width, transcode.height), (960, 540));
    assert!((transcode.duration - 31.151).abs() < 1e-9);
    assert_eq!(transcode.md5, "4f51593ed8e28b5d35553f4977d39547");
    assert_eq!(transcode.video_stream_set[0].codec_tag, "avc1");
    assert_eq!(transcode.audio_stream_set[0].sampling_rate, 44_100);

    let huawei = r.data.huawei.expect("Huawei");
    assert_eq!(huawei.next_marker, "");
    assert_eq!(huawei.keys[0].etag, "\"ef4e0314095b8aae02d7a5adaa60c94f\"");
    assert_eq!(
        huawei.keys[0].key,
        "record/app/command_record/alinxu_test/2023-07-28-09-30-06.mp4"
    );
    assert_eq!(huawei.keys[0].last_modified, "2023-07-28T09:31:29.176Z");
    assert_eq!(huawei.keys[0].size, 2_172_786);
    let ws = r.data.ws.expect("Ws");
    assert_eq!(ws.keys[0].etag, "lv1tsU6T8r9hDZietipfSphc806Y");
    assert_eq!(ws.keys[0].key, "app-alinxu_test--20230728181527.mp4");
    assert_eq!(ws.keys[0].size, 6_441_553);
    assert_eq!(
        ws.keys[0].media_url,
        "http://push.url/app-alinxu_test--20230728181527.mp4"
    );
}

#[tokio::test]
async fn the_delete_media_example_decodes_and_so_do_its_older_forms() {
    let server = answering(200, &fixture("DeleteMedia")).await;
    let c = client(&server.uri());
    let delete = || DeleteMediaRequest::files(CdnVendor::Ws, ["f"]);
    let r = c.delete_media(delete()).await.expect("decodes");
    // The example's RequestId is an unquoted 123456.
    assert_eq!(r.request_id, "123456");
    assert_eq!(
        r.data.deleted,
        ["pickrecord-clarechen_test_ws--20251226115411.mp4"]
    );
    assert!(r.data.errors.is_empty());
    let cache = r
        .data
        .ws_item_id_receiver_resp
        .expect("WsItemIdReceiverResp");
    assert_eq!(cache.code, 1);
    assert_eq!(cache.message, "handle success");
    assert!(cache.is_deleted());

    // The classic page's Data, a JSON string (cdn/delete-media.mdx before the OpenAPI pages).
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":"{\"Deleted\":[\"3270835010809755971\",\"3270835010811335406\"],\"Errors\":[]}"}"#,
    )
    .await;
    let r = c.delete_media(delete()).await.expect("decodes");
    assert_eq!(
        r.data.deleted,
        ["3270835010809755971", "3270835010811335406"]
    );
    assert_eq!(r.data.ws_item_id_receiver_resp, None);

    // The schema's own example writes WsItemIdReceiverResp's integer Code as "1"; an Errors
    // item has string members.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":{"Deleted":[],"Errors":[{"Code":"41003","Message":"File does not exist.","Key":"k1","RequestId":"r1"}],"WsItemIdReceiverResp":{"Code":"1","Message":"handle success"}}}"#,
    )
    .await;
    let r = c.delete_media(delete()).await.expect("decodes");
    assert_eq!(r.data.errors.len(), 1);
    assert_eq!(r.data.errors[0].code, "41003");
    assert_eq!(r.data.errors[0].message, "File does not exist.");
    assert_eq!(r.data.errors[0].key, "k1");
    assert_eq!(r.data.errors[0].request_id, "r1");
    assert_eq!(r.data.ws_item_id_receiver_resp.map(|w| w.code), Some(1));

    // A string that is not the documented object is a decode error.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":"not json"}"#,
    )
    .await;
    let err = c.delete_media(delete()).await.expect_err("undecodable");
    assert!(err.is_decode(), "{err:?}");
}

#[tokio::test]
async fn the_media_task_start_examples_decode() {
    let server = answering(200, &fixture("MergeMedia")).await;
    let c = client(&server.uri());
    let r = c
        .merge_media(MergeMediaRequest::merge(CdnVendor::Tencent, ["a", "b"]))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "3574501647605445341");
    let tencent = r.data.tencent.clone().expect("Tencent");
    assert_eq!(
        tencent.task_id,
        "1400341231-EditMedia-0d8b6f0a5c457f5722e6b27796ce1f2ctt0"
    );
    assert_eq!(tencent.request_id, "07f0bdbc-6a52-4ef9-ba7b-e96d6c81d6c3");
    let huawei = r.data.huawei.clone().expect("Huawei");
    assert_eq!(huawei.task_id, "112037345");
    assert_eq!(huawei.request_id, "7a690e874857106ccfa5bed198cdsd79");
    assert_eq!(
        r.data.task_id(),
        Some("1400341231-EditMedia-0d8b6f0a5c457f5722e6b27796ce1f2ctt0")
    );

    answer(&server, 200, &fixture("TranscodeMedia")).await;
    let r = c
        .transcode_media(TranscodeMediaRequest::new(
            CdnVendor::Tencent,
            "3270835011032053401",
            MediaResolution::P360,
        ))
        .await
        .expect("decodes");
    assert_eq!(
        r.data.task_id(),
        Some("1500020831-procedurev2-58ed61fcdbb0f78a0bf15cabd8ae4713tt0")
    );
    assert_eq!(
        r.data.tencent.map(|t| t.request_id),
        Some("1413c592-5ad4-404e-bfa1-589c32dbcee8".to_string())
    );
    assert_eq!(r.data.huawei, None);

    answer(&server, 200, &fixture("MediaThumbnails")).await;
    let thumbnails = || {
        MediaThumbnailsRequest::new(CdnVendor::Huawei, "f", ThumbnailType::SampleSnapshot)
            .interval(2.0)
    };
    let r = c.media_thumbnails(thumbnails()).await.expect("decodes");
    assert_eq!(
        r.data.tencent.map(|t| t.task_id),
        Some("1500030200-procedurev2-afc1fe7dfe51cd88a5d588cacba53393tt0".to_string())
    );
    // The page gives Huawei's `task_id` no example value (the schema's placeholder).
    assert!(r.data.huawei.is_some());

    // Huawei Cloud alone, with its snake_case `task_id` and no RequestId.
    answer(
        &server,
        200,
        r#"{"Code":0,"Message":"success","RequestId":"1","Data":{"Huawei":{"task_id":"289665200"}}}"#,
    )
    .await;
    let r = c.media_thumbnails(thumbnails()).await.expect("decodes");
    assert_eq!(r.data.task_id(), Some("289665200"));
    assert_eq!(r.data.huawei.map(|h| h.request_id), Some(String::new()));
}

#[tokio::test]
async fn the_describe_media_task_example_decodes_both_vendors() {
    let server = answering(200, &fixture("DescribeMediaTask")).await;
    let r = client(&server.uri())
        .describe_media_task(DescribeMediaTaskRequest::new("t", CdnVendor::Tencent))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "");
    let t = r.data.tencent.expect("Tencent");
    assert_eq!(
        t.task_id,
        "1400341231-ComposeMedia-6fdfc967d7eb12f5e9b27f52519f1afatt0"
    );
    assert_eq!(t.event, "compose");
    assert_eq!(t.status, "FINISH");
    assert!(t.is_finished());
    assert_eq!(t.file_id, "xxxxxxxx");
    assert_eq!(
        t.replay_url,
        "https://xxxxx-xxxxxxxx.zego.im/xxxxxxxx/xxxxxxx/xxxxxx.mp4"
    );
    assert_eq!(t.request_id, "6aac31f4-xxxx-xxxx-xxxx-5cc10ce11a49");
    assert_eq!(t.message, "");
    assert_eq!(
        t.thumbnails_url,
        [
            "http://vod-tc-restorefile.zego.im/43b7b075vodtranscq1500030200/93172bfa1397757897438985100/sampleSnapshot/sampleSnapshot_10_0.jpg",
            "http://vod-tc-restorefile.zego.im/43b7b075vodtranscq1500030200/93172bfa1397757897438985100/sampleSnapshot/sampleSnapshot_10_2.jpg",
        ]
    );
    let h = r.data.huawei.expect("Huawei");
    assert_eq!(h.task_id, "289665200");
    assert_eq!(h.status, "SUCCEEDED");
    assert_eq!(h.create_time, "20241118065429");
    assert_eq!(h.end_time, "20241118065430");
    assert_eq!(
        h.file_name,
        [
            "record/pickrecord/command_record/clarechen_test/0.jpg",
            "record/pickrecord/command_record/clarechen_test/10.jpg",
        ]
    );
}

#[tokio::test]
async fn the_moderation_examples_decode() {
    let server = answering(200, &fixture("StartCensorAudioV2")).await;
    let c = client(&server.uri());
    let r = c
        .start_censor_audio_v2(StartCensorAudioV2Request::new(
            "room_1",
            "live_streaming",
            "zh",
            ["POLITY"],
        ))
        .await
        .expect("decodes");
    assert_eq!(r.message, "success");
    assert_eq!(r.request_id, "TestRequestId1635941437248027000");
    assert_eq!(r.data.task_id, "15515d8fef61801b05c22e0ebbe8681f");

    answer(&server, 200, &fixture("StartCensorVideoV2")).await;
    let r = c
        .start_censor_video_v2(StartCensorVideoV2Request::new(
            "room_1",
            "live_streaming",
            CensorVideoParam::risk_types(["POLITY"]),
        ))
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "TestRequestId1722597387688544000");
    assert_eq!(r.data.task_id, "05e7a786a5191e8f5eb8e5851b01afcd");

    // The stops answer no Data.
    for action in ["StopCensorAudioV2", "StopCensorVideoV2"] {
        let text = fixture(action);
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(v.get("Data").is_none(), "{action}");
        answer(&server, 200, &text).await;
        let r = if action == "StopCensorAudioV2" {
            c.stop_censor_audio_v2(StopCensorAudioV2Request::new("t"))
                .await
                .map(|r| (r.message, r.request_id))
        } else {
            c.stop_censor_video_v2(StopCensorVideoV2Request::new("t"))
                .await
                .map(|r| (r.message, r.request_id))
        }
        .unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(
            r,
            (
                "success".to_string(),
                "TestRequestId1635941439344723000".to_string()
            ),
            "{action}"
        );
    }

    answer(&server, 200, &fixture("GenerateIdentifyToken")).await;
    let r = c
        .generate_identify_token(GenerateIdentifyTokenRequest::new())
        .await
        .expect("decodes");
    assert_eq!(r.request_id, "TestRequestId1653536127853122000");
    assert_eq!(r.data.identify_token, "1234567890asdfasdfzxcvxxxxxxxxxx");
    assert_eq!(r.data.remain_time, 3600);
}

#[tokio::test]
async fn the_scene_example_succeeds_with_its_own_message_and_null_data() {
    let server = answering(200, &fixture("SetSceneTemplate")).await;
    let r = client(&server.uri())
        .set_scene_template(SetSceneTemplateRequest::new(10080, 50000, 3, 50))
        .await
        .expect("Code 0 is a success, whatever the Message");
    assert_eq!(r.code, 0);
    assert_eq!(r.message, "succeed");
    assert_eq!(r.request_id, "9f674801-69e9-463f-a966-1ba2c6b5dbbe");
    assert_eq!(r.data, ());
}

// -------------------------------------------------------------------------------------------
// Error envelopes

/// An action that answers the code: the older set 4 and 7 belongs to the CDN live-stream
/// actions, the room table to the room actions, the mixing table to StartMix, the rest to the
/// media-service ones.
fn call_for(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::UnknownCdnType | ErrorCode::CdnLiveRateLimited => "ResumeCDNLiveStream",
        _ if code.family() == Some(Family::Room) => "DescribeUsers",
        _ if code.family() == Some(Family::StreamMixing) => "StartMix",
        _ if code.family() == Some(Family::MediaFile) => "SearchMedia",
        _ if code.family() == Some(Family::Moderation) => "StopCensorAudioV2",
        _ if code.family() == Some(Family::Scene) => "SetSceneTemplate",
        _ => "CreatCDNTransferRule",
    }
}

/// The codes an action the client covers can answer: every family's.
fn answerable(code: ErrorCode) -> bool {
    matches!(
        code.family(),
        Some(
            Family::Gateway
                | Family::MediaService
                | Family::CdnLive
                | Family::Room
                | Family::StreamMixing
                | Family::MediaFile
                | Family::Moderation
                | Family::Scene
        )
    )
}

async fn call(client: &Client, action: &str) -> Result<(), Error> {
    match action {
        "ResumeCDNLiveStream" => client
            .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new("s"))
            .await
            .map(drop),
        "DescribeUsers" => client
            .describe_users(DescribeUsersRequest::new("room1", ["a"]))
            .await
            .map(drop),
        "KickoutUser" => client
            .kickout_user(KickoutUserRequest::new("room1", ["a"]))
            .await
            .map(drop),
        "StartMix" => client.start_mix(start_mix()).await.map(drop),
        "StopMix" => client.stop_mix(StopMixRequest::new("task")).await.map(drop),
        "GetMixTaskInfo" => client
            .get_mix_task_info(GetMixTaskInfoRequest::new("task"))
            .await
            .map(drop),
        "SearchMedia" => client
            .search_media(SearchMediaRequest::new(CdnVendor::Tencent))
            .await
            .map(drop),
        "StopCensorAudioV2" => client
            .stop_censor_audio_v2(StopCensorAudioV2Request::new("task"))
            .await
            .map(drop),
        "GenerateIdentifyToken" => client
            .generate_identify_token(GenerateIdentifyTokenRequest::new())
            .await
            .map(drop),
        "SetSceneTemplate" => client
            .set_scene_template(SetSceneTemplateRequest::new(10080, 50000, 3, 50))
            .await
            .map(drop),
        _ => client
            .creat_cdn_transfer_rule(CreatCdnTransferRuleRequest::new("s"))
            .await
            .map(drop),
    }
}

#[tokio::test]
async fn an_error_envelope_decodes_for_every_code() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    for &code in ErrorCode::ALL.iter().filter(|&&c| answerable(c)) {
        // Arrange: the envelope ZEGO sends for a failure (no Data).
        let n = code.as_i64();
        answer(
            &server,
            200,
            &format!(r#"{{"Code":{n},"Message":"message {n}","RequestId":"rid-{n}"}}"#),
        )
        .await;
        let action = call_for(code);

        // Act
        let err = call(&client, action).await.expect_err("non-zero code");

        // Assert
        let api = err.api_error().unwrap_or_else(|| panic!("{n}: {err:?}"));
        assert_eq!(api.code(), code);
        assert_eq!(api.code().as_i64(), n);
        assert_eq!(api.message(), format!("message {n}"));
        assert_eq!(api.request_id(), format!("rid-{n}"));
        assert_eq!(api.action(), action);
        assert_eq!(err.action(), Some(action));
        assert!(err.is_api() && !err.is_decode() && !err.is_transport() && !err.is_builder());
        assert!(err.to_string().contains(&n.to_string()), "{err}");
    }
}

#[tokio::test]
async fn classification_follows_the_action_family() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let expectations: [(i64, &str, bool, bool, bool); 36] = [
        // code, action, throttling, retryable, auth
        (30002, "CreatCDNTransferRule", true, true, false),
        (5007, "CreatCDNTransferRule", true, true, false),
        (1010, "CreatCDNTransferRule", true, true, false),
        (7, "ResumeCDNLiveStream", true, true, false),
        (7, "CreatCDNTransferRule", false, false, false),
        (3, "ResumeCDNLiveStream", false, false, true),
        (5003, "CreatCDNTransferRule", false, false, true),
        (100000005, "CreatCDNTransferRule", false, false, true),
        (100000004, "CreatCDNTransferRule", false, false, true),
        (30003, "CreatCDNTransferRule", false, true, false),
        (5005, "CreatCDNTransferRule", false, false, false),
        (987654, "CreatCDNTransferRule", false, false, false),
        // Room signaling: 3 is a parameter that is too long, not authentication; 206 and 207
        // are throttling; a missing room is neither; 7 means nothing special there.
        (3, "DescribeUsers", false, false, false),
        (206, "DescribeUsers", true, true, false),
        (207, "DescribeUsers", true, true, false),
        (206, "KickoutUser", true, true, false),
        (50001, "DescribeUsers", false, false, false),
        (7, "KickoutUser", false, false, false),
        (100000005, "KickoutUser", false, false, true),
        // Stream mixing: its own authentication code, three overload codes (retryable), a task
        // that does not exist (neither); 110200003 means nothing special to room signaling.
        (110200003, "StartMix", false, false, true),
        (110200003, "StopMix", false, false, true),
        (110200190, "StartMix", true, true, false),
        (110200191, "StopMix", true, true, false),
        (110200194, "GetMixTaskInfo", true, true, false),
        (110209001, "GetMixTaskInfo", false, false, false),
        (110200003, "KickoutUser", false, false, false),
        (100000005, "StartMix", false, false, true),
        // Media files: 6 is their throttling, 7 their authentication failure (each means
        // something else to the CDN live-stream actions); 41003 and 1000 are neither.
        (6, "SearchMedia", true, true, false),
        (7, "SearchMedia", false, false, true),
        (41003, "SearchMedia", false, false, false),
        (1000, "SearchMedia", false, false, false),
        // Moderation and scene throttle with room signaling's 206.
        (206, "StopCensorAudioV2", true, true, false),
        (206, "GenerateIdentifyToken", true, true, false),
        (50117, "StopCensorAudioV2", false, false, false),
        (206, "SetSceneTemplate", true, true, false),
        (340004003, "SetSceneTemplate", false, false, false),
    ];
    for (n, action, throttling, retryable, auth) in expectations {
        answer(
            &server,
            200,
            &format!(r#"{{"Code":{n},"Message":"m","RequestId":"r"}}"#),
        )
        .await;
        let err = call(&client, action).await.expect_err("non-zero code");
        assert_eq!(err.is_throttling(), throttling, "{n} on {action}");
        assert_eq!(err.is_retryable(), retryable, "{n} on {action}");
        assert_eq!(err.is_auth(), auth, "{n} on {action}");
    }
    answer(
        &server,
        200,
        r#"{"Code":987654,"Message":"m","RequestId":"r"}"#,
    )
    .await;
    let err = call(&client, "CreatCDNTransferRule")
        .await
        .expect_err("code");
    assert_eq!(err.code(), Some(ErrorCode::Unknown(987654)));
}

#[tokio::test]
async fn room_answers_are_read_in_the_room_family() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let cases = [
        (3, ErrorCode::RoomParameterTooLong),
        (206, ErrorCode::AppQpsLimited),
        (207, ErrorCode::RoomQpsLimited),
        (50001, ErrorCode::RoomNotFound(50001)),
        (50011, ErrorCode::UserListTooLong),
    ];
    for (n, expected) in cases {
        answer(
            &server,
            200,
            &format!(r#"{{"Code":{n},"Message":"m","RequestId":"r"}}"#),
        )
        .await;

        let err = call(&client, "KickoutUser")
            .await
            .expect_err("non-zero code");

        let api = err.api_error().expect("an API error");
        assert_eq!(api.family(), Family::Room, "{n}");
        assert_eq!(api.code(), expected, "{n}");
        assert_eq!(api.action(), "KickoutUser");
    }
}

#[tokio::test]
async fn mixing_answers_are_read_in_the_mixing_family() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let cases = [
        ("StartMix", 110200150, ErrorCode::MixInputStreamNotFound),
        ("StartMix", 110200003, ErrorCode::MixAuthenticationFailed),
        ("StopMix", 110200191, ErrorCode::MixStopOverload),
        ("GetMixTaskInfo", 110209001, ErrorCode::MixTaskNotFound),
    ];
    for (action, n, expected) in cases {
        answer(
            &server,
            200,
            &format!(r#"{{"Code":{n},"Message":"m","RequestId":"r"}}"#),
        )
        .await;

        let err = call(&client, action).await.expect_err("non-zero code");

        let api = err.api_error().expect("an API error");
        assert_eq!(api.family(), Family::StreamMixing, "{n}");
        assert_eq!(api.code(), expected, "{n}");
        assert_eq!(api.action(), action);
    }
}

// -------------------------------------------------------------------------------------------
// Not an envelope

#[tokio::test]
async fn undecodable_answers_keep_status_and_body() {
    let cases: [(u16, &str, bool); 5] = [
        // status, body, retryable
        (200, "<html>gateway</html>", false),
        (200, r#"{"Message":"no code"}"#, false),
        (
            200,
            r#"{"Code":0,"Message":"ok","RequestId":"1","Data":{"Ws":7}}"#,
            false,
        ),
        (502, "Bad Gateway", true),
        (404, r#"{"Code":-1,"Message":"no such path"}"#, false),
    ];
    let server = MockServer::start().await;
    let client = client(&server.uri());
    for (status, body, retryable) in cases {
        answer(&server, status, body).await;
        let err = client
            .query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest::default())
            .await
            .expect_err(body);
        assert!(err.is_decode(), "{body}: {err:?}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.body(), Some(body.as_bytes()));
        assert_eq!(err.is_retryable(), retryable, "{body}");
        assert_eq!(err.code(), None);
    }
}
