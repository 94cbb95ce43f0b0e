//! The table of operations: one line per action the client covers.
//!
//! Each line of [`actions!`] gives the action's [`Client`] method, request type and `Data` type,
//! its HTTP method and wire name, the family its return codes are read in, whether it takes a
//! `Sequence`, its rate limit (written once here and rendered into the method's documentation),
//! and, where ZEGO documents non-zero codes as successful, those codes. From the table come:
//!
//! - the `Operation` impl of the request type (wire name, method, family, Sequence, `Data`);
//! - the `Client` method, with its documentation;
//! - the `sequence(u64)` setter of the request types of actions that take a `Sequence`;
//! - [`ACTIONS`], the wire names of every action covered.
//!
//! Adding an action to the client: its request type and its `Data` type (with a `FromData` impl,
//! e.g. through `data_with_default!`) in its family's module, and one line here.

use crate::client::Response;
use crate::error::Error;
use crate::media::*;
use crate::media_file::*;
use crate::mixing::*;
use crate::moderation::*;
use crate::room::*;
use crate::scene::*;
use crate::wire::{HttpMethod, Operation};
use crate::Client;

/// `GET` or `POST`, as written in the table, to the wire layer's method.
macro_rules! http_method {
    (GET) => {
        HttpMethod::Get
    };
    (POST) => {
        HttpMethod::Post
    };
}

/// Where the automatic `Sequence` travels, for the documentation.
macro_rules! sequence_doc {
    (GET, true) => {
        "Takes a `Sequence`, sent in the query: automatic (see [`Client::next_sequence`]) unless \
         the request sets one."
    };
    (POST, true) => {
        "Takes a `Sequence`, sent in the JSON body: automatic (see [`Client::next_sequence`]) \
         unless the request sets one."
    };
    (GET, false) => {
        "Takes no `Sequence`."
    };
    (POST, false) => {
        "Takes no automatic `Sequence`: where the request has a `sequence` setter, the JSON body \
         carries one only when the caller sets it."
    };
}

/// The explicit-`Sequence` setter of the request type of an action that takes a Sequence.
macro_rules! sequence_setter {
    ($request:ty, true) => {
        impl $request {
            /// Sets an explicit `Sequence` (by default one is taken automatically, afresh for
            /// every attempt).
            #[must_use]
            pub fn sequence(mut self, sequence: u64) -> Self {
                self.sequence = Some(sequence);
                self
            }
        }
    };
    ($request:ty, false) => {};
}

/// The table of operations. One line per action:
///
/// ```text
/// /// What the action does (the method's documentation).
/// method_name(RequestType) -> DataType: GET "WireName", Family,
///     sequence: true, limit: "20/s per AppId (test environment 5/s)" [, success: [0, 41006]];
/// ```
macro_rules! actions {
    ($(
        $(#[$doc:meta])*
        $method:ident($request:ty) -> $data:ty: $http:ident $action:literal, $family:ident,
            sequence: $sequence:tt, limit: $limit:literal $(, success: [$($ok:literal),+])?;
    )*) => {
        $(
            impl Operation for $request {
                const ACTION: &'static str = $action;
                const METHOD: HttpMethod = http_method!($http);
                const FAMILY: crate::Family = crate::Family::$family;
                const SEQUENCE: bool = $sequence;
                $(const SUCCESS_CODES: &'static [i64] = &[$($ok),+];)?
                type Data = $data;
            }

            sequence_setter!($request, $sequence);
        )*

        impl Client {
            $(
                $(#[$doc])*
                ///
                #[doc = concat!("Rate limit: ", $limit, ".")]
                ///
                #[doc = concat!(
                    "Sent as `", stringify!($http), " ?Action=", $action, "`. Its codes are read in \
                     the [`", stringify!($family), "`](crate::Family::", stringify!($family),
                    ") family. ", sequence_doc!($http, $sequence)
                )]
                pub async fn $method(&self, request: $request) -> Result<Response<$data>, Error> {
                    self.call(&request).await
                }
            )*
        }

        /// The wire names of every action the client covers, in the order of its table.
        ///
        /// ```
        /// assert!(zego_client::ACTIONS.contains(&"CreatCDNTransferRule"));
        /// ```
        pub const ACTIONS: &[&str] = &[$($action),*];
    };
}

actions! {
    /// `CreatCDNTransferRule`: starts relaying a stream to a CDN address; best called before the
    /// stream is published. Throttled calls answer 30002 or 5007.
    creat_cdn_transfer_rule(CreatCdnTransferRuleRequest) -> (): GET "CreatCDNTransferRule", MediaService,
        sequence: true, limit: "10/s per AppId (test environment 5/s)";

    /// `DeleteCDNTransferRule`: stops relaying a stream to a CDN address.
    delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest) -> (): GET "DeleteCDNTransferRule", MediaService,
        sequence: true, limit: "10/s per AppId (test environment 5/s)";

    /// `ClearCDNTransferRule`: clears the app's pending relay rules (not the ongoing relays).
    clear_cdn_transfer_rule(ClearCdnTransferRuleRequest) -> (): GET "ClearCDNTransferRule", MediaService,
        sequence: true, limit: "10/s per AppId (test environment 5/s)";

    /// `ForbidCDNLiveStream`: forbids publishing a stream directly to the CDN; `Data` is each
    /// CDN's result. Needs to be enabled by ZEGO's support before first use.
    ///
    /// This action answers the older code set (1 failed, 2 parameter error, 3 authentication
    /// failed, 4 unknown CDN type, 7 rate limited).
    forbid_cdn_live_stream(ForbidCdnLiveStreamRequest) -> Vec<CdnResult>: GET "ForbidCDNLiveStream", CdnLive,
        sequence: false, limit: "20/s per AppId, both environments together";

    /// `ResumeCDNLiveStream`: allows publishing a forbidden stream to the CDN again; `Data` is
    /// each CDN's result. Older code set as for [`Client::forbid_cdn_live_stream`].
    resume_cdn_live_stream(ResumeCdnLiveStreamRequest) -> Vec<CdnResult>: GET "ResumeCDNLiveStream", CdnLive,
        sequence: false, limit: "20/s per AppId, both environments together";

    /// `QueryForbidCDNLiveStream`: lists the addresses forbidden from publishing to the CDN.
    /// Older code set as for [`Client::forbid_cdn_live_stream`].
    query_forbid_cdn_live_stream(QueryForbidCdnLiveStreamRequest) -> ForbiddenCdnStreams:
        GET "QueryForbidCDNLiveStream", CdnLive,
        sequence: false, limit: "20/s per AppId, both environments together";

    /// `ForbidRTCStream`: forbids publishing a stream to the RTC service; its publisher and
    /// players are notified.
    forbid_rtc_stream(ForbidRtcStreamRequest) -> (): GET "ForbidRTCStream", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `ResumeRTCStream`: allows publishing a forbidden stream to the RTC service again.
    resume_rtc_stream(ResumeRtcStreamRequest) -> (): GET "ResumeRTCStream", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `ForbidRTCStreams`: forbids publishing up to 20 streams to the RTC service at once
    /// (streams that do not exist yet are recorded too).
    forbid_rtc_streams(ForbidRtcStreamsRequest) -> (): GET "ForbidRTCStreams", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `ResumeRTCStreams`: allows publishing up to 20 forbidden streams again at once.
    resume_rtc_streams(ResumeRtcStreamsRequest) -> (): GET "ResumeRTCStreams", MediaService,
        sequence: true, limit: "20/s per AppId (test environment 5/s)";

    /// `DescribeRTCStreamState`: whether a stream published to the RTC service is live.
    ///
    /// Answers `Ok` for a live stream (`code` 0) and for a closed one (`code` 41006, which ZEGO
    /// documents as a successful query; [`RtcStreamState::is_live`] tells them apart). A stream
    /// that does not exist is the error 41004
    /// ([`ErrorCode::StreamNotFound`](crate::ErrorCode::StreamNotFound)).
    describe_rtc_stream_state(DescribeRtcStreamStateRequest) -> RtcStreamState:
        GET "DescribeRTCStreamState", MediaService,
        sequence: true, limit: "40/s per AppId (test environment 10/s)", success: [0, 41006];

    /// `RTMPDispatchV2`: the RTMP node a third-party tool (OBS, a player) should publish to
    /// (`push`) or play from (`pull`), as a URL; use it within 2 hours. Needs to be enabled by
    /// ZEGO's support before first use.
    rtmp_dispatch_v2(RtmpDispatchV2Request) -> RtmpNodes: GET "RTMPDispatchV2", MediaService,
        sequence: true, limit: "40/s per AppId, both environments together";

    /// `RTMPDispatch`: the legacy form of [`Client::rtmp_dispatch_v2`], answering `IP:Port`.
    rtmp_dispatch(RtmpDispatchRequest) -> RtmpNodes: GET "RTMPDispatch", MediaService,
        sequence: true, limit: "40/s per AppId, both environments together";

    /// `SendBroadcastMessage`: sends a text message to every user in a room (except a client
    /// logged in with the sender's `UserId`); `Data` is the message's number. The sender need
    /// not be in the room.
    ///
    /// Its page lists 121, 122, 151, 5201, 5202 (failures to save, number, push or encode the
    /// message) and 50012 (the message is too long).
    send_broadcast_message(SendBroadcastMessageRequest) -> BroadcastMessageId:
        GET "SendBroadcastMessage", Room,
        sequence: false, limit: "100/s per AppId (test environment 10/s)";

    /// `SendBarrageMessage`: sends a barrage message to a room, for high volumes where
    /// reliability is not required; `Data` is the message's id (a string).
    ///
    /// Its page lists 1008 (`MessageContent` is empty) and 50012 (the message is too long).
    send_barrage_message(SendBarrageMessageRequest) -> BarrageMessageId:
        GET "SendBarrageMessage", Room,
        sequence: false, limit: "100/s per AppId (test environment 10/s)";

    /// `SendCustomCommand`: sends a custom signaling message to up to 10 users of a room, or to
    /// all; `Data` lists the recipients it failed for (50003: not online).
    ///
    /// Its page lists 50003 (a user is not online), 50011 (too many recipients), 50012 (the
    /// message is too long) and 50013 (sending failed).
    send_custom_command(SendCustomCommandRequest) -> CustomCommandResult:
        GET "SendCustomCommand", Room,
        sequence: false, limit: "100/s per AppId (test environment 10/s)";

    /// `DescribeUserNum`: the number of users in each of up to 10 rooms (0 for a room that does
    /// not exist). Its page lists no codes of its own.
    describe_user_num(DescribeUserNumRequest) -> UserCounts: GET "DescribeUserNum", Room,
        sequence: false, limit: "10/s per AppId (test environment 1/s)";

    /// `DescribeUsers`: whether up to 10 users are in a room, with their role and login time.
    ///
    /// Its page lists 2 (parameter error), 3 (a parameter is too long), 206 (throttled) and
    /// 50001 (the room does not exist: rooms are destroyed when their last user leaves).
    describe_users(DescribeUsersRequest) -> UserStatuses: GET "DescribeUsers", Room,
        sequence: false, limit: "10/s per AppId";

    /// `DescribeUserList`: one page (up to 200) of the users in a room, ordered by login time;
    /// follow [`UserList::marker`] for the next page. A room that does not exist has an empty
    /// list. Its page lists no codes of its own; the per-room limit answers 207.
    describe_user_list(DescribeUserListRequest) -> UserList: GET "DescribeUserList", Room,
        sequence: false, limit: "200/s per AppId; 1/s per room";

    /// `AddStream`: adds a stream to a room's stream list, so that its users are notified (for
    /// instance a CDN stream to watch together). Nothing is published, and the room must exist.
    ///
    /// Its page lists 123 (setting the stream information failed) and 1012 (several users
    /// operate on the same stream).
    add_stream(AddStreamRequest) -> (): GET "AddStream", Room,
        sequence: false, limit: "10/s per AppId (test environment 1/s)";

    /// `DeleteStream`: removes a stream from a room's stream list, so that its users are
    /// notified; publishing does not stop and the user stays in the room.
    ///
    /// Its page lists 124 (deleting the stream information failed) and 138 (no such stream).
    delete_stream(DeleteStreamRequest) -> (): GET "DeleteStream", Room,
        sequence: false, limit: "10/s per AppId (test environment 1/s)";

    /// `DescribeSimpleStreamList`: the streams of a room.
    ///
    /// Its page lists 154 (getting the list failed); the per-room limit answers 207.
    describe_simple_stream_list(DescribeSimpleStreamListRequest) -> StreamList:
        GET "DescribeSimpleStreamList", Room,
        sequence: false, limit: "50/s per AppId; 1 per 10 s per room";

    /// `CloseRoom`: removes every user from a room and closes it; the room's streams are closed.
    ///
    /// Its page lists 5018 (the room has been destroyed or does not exist) and 5024 (the room
    /// does not exist).
    close_room(CloseRoomRequest) -> (): GET "CloseRoom", Room,
        sequence: false, limit: "1/s per AppId (test environment 1/s)";

    /// `KickoutUser`: kicks up to 5 users out of a room, stopping their publishing and playing.
    ///
    /// Its page lists 50011 (too many users).
    kickout_user(KickoutUserRequest) -> (): GET "KickoutUser", Room,
        sequence: false, limit: "50/s per AppId";

    /// `SetForbidUserRule`: bans users (by IP, room, user, or room and user) from logging in or
    /// publishing for up to a day, from their next attempt on; `Data` is when the rule expires.
    /// Needs to be enabled by ZEGO's support before first use.
    ///
    /// Its page lists 9 (not enabled for this app) and 50123 (too many rules in force).
    set_forbid_user_rule(SetForbidUserRuleRequest) -> ForbidUserRuleExpiry:
        GET "SetForbidUserRule", Room,
        sequence: false, limit: "10/s per AppId";

    /// `DescribeForbidUserRules`: the user ban rules of a type, expired ones included until
    /// ZEGO purges them.
    ///
    /// Its page lists 9 (not enabled for this app) and 50123.
    describe_forbid_user_rules(DescribeForbidUserRulesRequest) -> ForbidUserRules:
        GET "DescribeForbidUserRules", Room,
        sequence: false, limit: "10/s per AppId";

    /// `DelForbidUserRule`: deletes a user ban rule.
    ///
    /// Its page lists 9 (not enabled for this app) and 50123; the family's 50124 says the rule
    /// to delete does not exist.
    del_forbid_user_rule(DelForbidUserRuleRequest) -> (): GET "DelForbidUserRule", Room,
        sequence: false, limit: "10/s per AppId";

    /// `SetForbidStreamRule`: bans a stream's audio, video or both for a time (at least one
    /// flag set); the last call for a stream prevails.
    ///
    /// Its page lists 9 (not enabled for this app) and 123 (setting the stream information
    /// failed).
    set_forbid_stream_rule(SetForbidStreamRuleRequest) -> (): GET "SetForbidStreamRule", Room,
        sequence: false, limit: "10/s per AppId";

    /// `DescribeForbidStreamRules`: the ban rules of up to 10 streams of a room, all zeros for a
    /// stream without one.
    ///
    /// Its page lists 9 (not enabled for this app) and 123.
    describe_forbid_stream_rules(DescribeForbidStreamRulesRequest) -> ForbidStreamRules:
        GET "DescribeForbidStreamRules", Room,
        sequence: false, limit: "10/s per AppId";

    /// `DelForbidStreamRule`: deletes a stream's ban rule; deleting one that does not exist is
    /// not an error.
    ///
    /// Its page lists 9 (not enabled for this app) and 123.
    del_forbid_stream_rule(DelForbidStreamRuleRequest) -> (): GET "DelForbidStreamRule", Room,
        sequence: false, limit: "10/s per AppId";

    /// `StartMix`: starts a mixing task, or updates it when called again with the same
    /// `TaskId`; `Data` echoes the starter, `Sequence` and room, and how to play each output.
    /// Inputs given by `StreamId` must be published first. Needs the "Stream Mixing" service
    /// enabled in ZEGO's console.
    ///
    /// Its page lists 110200002 (parameter error), 110200003 (authentication failed), 110200150
    /// (an input stream does not exist), 110200151 (the task failed), 110200157 (mixing not
    /// enabled), 110200158 (too many inputs, 9 by default), 110200175 (duplicate input),
    /// 110200184 (the start parameters could not be parsed) and 110200197 (the output could not
    /// join its target room).
    start_mix(StartMixRequest) -> MixStartInfo: POST "StartMix", StreamMixing,
        sequence: false, limit: "100/s per AppId";

    /// `StopMix`: stops a mixing task. Starting another task does not stop a running one.
    ///
    /// Its page lists 110200001 (failed), 110200002 (parameter error), 110200003
    /// (authentication failed) and 110200004 (the parameters could not be parsed).
    stop_mix(StopMixRequest) -> (): POST "StopMix", StreamMixing,
        sequence: false, limit: "100/s per AppId";

    /// `GetMixTaskInfo`: how long a running mixing task has been mixing, in seconds.
    ///
    /// Its page lists 110200001 (failed, generally a network error), 110200004 (the parameters
    /// could not be parsed), 110200194 (request overload) and 110209001 (the task does not
    /// exist: it is not running).
    get_mix_task_info(GetMixTaskInfoRequest) -> MixTaskInfo: GET "GetMixTaskInfo", StreamMixing,
        sequence: false, limit: "100/s per AppId";

    /// `StartAutoMix`: mixes every audio stream of a room automatically, following the room's
    /// streams, with optional streams added from other rooms or removed; `Data` as for
    /// [`Client::start_mix`]. Needs the "Stream Mixing" service enabled in ZEGO's console.
    ///
    /// Its page lists 110200001 (failed), 110200002 (parameter error), 110200003
    /// (authentication failed), 110200004 (the parameters could not be parsed), 110200005 and
    /// 110200006 (the same UserId starts or stops tasks too often), 110200151 (the task failed)
    /// and 110200194 (request overload).
    start_auto_mix(StartAutoMixRequest) -> MixStartInfo: POST "StartAutoMix", StreamMixing,
        sequence: false, limit: "100/s per AppId";

    /// `StopAutoMix`: stops an automatic audio mix.
    ///
    /// Its page lists 110200001 (failed), 110200002 (parameter error), 110200003
    /// (authentication failed) and 110200004 (the parameters could not be parsed).
    stop_auto_mix(StopAutoMixRequest) -> (): POST "StopAutoMix", StreamMixing,
        sequence: false, limit: "100/s per AppId";

    /// `StartCloudTranscode`: transcodes one stream into outputs in preset or custom templates;
    /// called again with the same `TaskId`, updates the task. Needs the "Stream Mixing" service
    /// enabled in ZEGO's console.
    ///
    /// Its page lists 110200002 (parameter error), 110200150 (the input stream does not exist)
    /// and 110200151 (the transcoding task failed).
    start_cloud_transcode(StartCloudTranscodeRequest) -> (): POST "StartCloudTranscode", StreamMixing,
        sequence: false, limit: "100/s per AppId";

    /// `StopCloudTranscode`: stops a transcoding task.
    ///
    /// Its page lists 110200002 (parameter error) and 110200151 (the transcoding task failed).
    stop_cloud_transcode(StopCloudTranscodeRequest) -> (): POST "StopCloudTranscode", StreamMixing,
        sequence: false, limit: "100/s per AppId";

    /// `StartCDNRecord`: starts recording chosen streams on the app's CDN; `Data` holds the
    /// named vendor's answer (Tencent Cloud's one task per stream). The recording parameters are
    /// configured with ZEGO first.
    ///
    /// Its page lists 2 (parameter error), 3 (permission not enabled), 4 (CDN type mismatch),
    /// 5 (configuration error), 6 (too frequent), 7 (authentication failed) and 1000 (request
    /// failed).
    start_cdn_record(StartCdnRecordRequest) -> CdnRecordResult: GET "StartCDNRecord", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `StopCDNRecord`: stops recording streams; `Data` holds the named vendor's answer.
    ///
    /// Its page lists 2, 3, 4, 5, 6, 7 and 1000, as StartCDNRecord.
    stop_cdn_record(StopCdnRecordRequest) -> CdnRecordResult: GET "StopCDNRecord", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `SearchMedia`: lists the app's media files: a page of Tencent Cloud files, or Wangsu's or
    /// Huawei Cloud's keys from a marker.
    ///
    /// Its page lists 2, 3, 4, 5, 6, 7, 8 (failed to get the authentication configuration) and
    /// 1000.
    search_media(SearchMediaRequest) -> MediaSearchResult: GET "SearchMedia", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `DeleteMedia`: deletes media files (or, Tencent Cloud, some of their transcodes); `Data`
    /// lists what was deleted and the files that could not be (a file that does not exist is an
    /// item of `Errors`, not an error of the call).
    ///
    /// Its page lists 2, 3, 4, 5, 6, 7 and 1000.
    delete_media(DeleteMediaRequest) -> DeletedMedia: GET "DeleteMedia", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `MergeMedia`: starts merging media files into one, as they are or cropped first; `Data`
    /// is the task's id, for [`Client::describe_media_task`]. Needs to be enabled by ZEGO's
    /// support.
    ///
    /// Its page lists 2, 3, 4, 5, 6, 7, 1000 and 41003 (a file does not exist, or has a format
    /// that cannot be merged).
    merge_media(MergeMediaRequest) -> MediaTaskStarted: GET "MergeMedia", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `DescribeMediaTask`: the state of a merge, transcode or thumbnail task, and its result
    /// once finished.
    ///
    /// Its page lists 2, 3, 4, 5, 6, 7 and 1000.
    describe_media_task(DescribeMediaTaskRequest) -> MediaTaskInfo: GET "DescribeMediaTask", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `TranscodeMedia` (on-demand transcoding): starts transcoding a Tencent Cloud media file
    /// into 360p, 540p or 720p; `Data` is the task's id.
    ///
    /// Its page lists 2, 3, 4, 5, 6, 7, 1000 (also a wrong `FileId`: ZEGO does not check it
    /// exists) and 41003.
    transcode_media(TranscodeMediaRequest) -> MediaTaskStarted: GET "TranscodeMedia", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `MediaThumbnails`: starts taking screenshots of a media file, at time points or at an
    /// interval; `Data` is the task's id.
    ///
    /// Its page lists 2, 3, 4, 5, 6, 7, 1000 (also a wrong `FileId`) and 41003.
    media_thumbnails(MediaThumbnailsRequest) -> MediaTaskStarted: GET "MediaThumbnails", MediaFile,
        sequence: false, limit: "20/s per AppId";

    /// `StartCensorAudioV2`: starts Shumei moderation of a room's audio; `Data` is the task's
    /// id. The task ends by itself after about 5 minutes without a stream to moderate.
    ///
    /// Its page lists 50006 and 50007 (HTTP request failed; retry later, 300 s recommended),
    /// 50009 (moderation failed) and 50117 (Shumei permissions not enabled).
    start_censor_audio_v2(StartCensorAudioV2Request) -> CensorTask: POST "StartCensorAudioV2", Moderation,
        sequence: false, limit: "100/s per AppId";

    /// `StopCensorAudioV2`: stops an audio moderation task.
    ///
    /// Its page lists 50006, 50007, 50009 and 50117.
    stop_censor_audio_v2(StopCensorAudioV2Request) -> (): POST "StopCensorAudioV2", Moderation,
        sequence: false, limit: "100/s per AppId";

    /// `StartCensorVideoV2`: starts Shumei moderation of a room's video, and optionally its
    /// audio; `Data` is the task's id.
    ///
    /// Its page lists 50006, 50007, 50009 and 50117.
    start_censor_video_v2(StartCensorVideoV2Request) -> CensorTask: POST "StartCensorVideoV2", Moderation,
        sequence: false, limit: "100/s per AppId";

    /// `StopCensorVideoV2`: stops a video moderation task.
    ///
    /// Its page lists 50006, 50007, 50009 and 50117.
    stop_censor_video_v2(StopCensorVideoV2Request) -> (): POST "StopCensorVideoV2", Moderation,
        sequence: false, limit: "100/s per AppId";

    /// `GenerateIdentifyToken`: a single-use token for a third-party moderation service to
    /// pull the app's streams with, and its validity in seconds. Its page lists no codes of its
    /// own.
    generate_identify_token(GenerateIdentifyTokenRequest) -> IdentifyToken:
        GET "GenerateIdentifyToken", Moderation,
        sequence: false, limit: "100/s per AppId";

    /// `SetSceneTemplate`: creates a custom scene template (discontinued by ZEGO). Served by
    /// `https://metaworld-api.zego.im`: call it through a client with that base URL. A success
    /// answers `Message` `"succeed"` and no data.
    ///
    /// Its page lists 340004003 (the template already exists) and 340006003 (parameter error).
    set_scene_template(SetSceneTemplateRequest) -> (): GET "SetSceneTemplate", Scene,
        sequence: false, limit: "50/s per AppId";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once() {
        let mut names = ACTIONS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ACTIONS.len(), "{ACTIONS:?}");
    }

    #[test]
    fn each_line_gives_its_request_type_its_action() {
        assert_eq!(CreatCdnTransferRuleRequest::ACTION, "CreatCDNTransferRule");
        assert_eq!(
            QueryForbidCdnLiveStreamRequest::ACTION,
            "QueryForbidCDNLiveStream"
        );
        assert_eq!(ForbidCdnLiveStreamRequest::FAMILY, crate::Family::CdnLive);
        assert_eq!(DescribeRtcStreamStateRequest::SUCCESS_CODES, &[0, 41006]);
        assert_eq!(ResumeRtcStreamsRequest::SUCCESS_CODES, &[0]);
        let sequences = [
            ResumeCdnLiveStreamRequest::SEQUENCE,
            ForbidRtcStreamsRequest::SEQUENCE,
            SendBroadcastMessageRequest::SEQUENCE,
        ];
        assert_eq!(sequences, [false, true, false]);
        assert_eq!(DeleteCdnTransferRuleRequest::METHOD, HttpMethod::Get);
        assert_eq!(KickoutUserRequest::ACTION, "KickoutUser");
        assert_eq!(
            DescribeForbidStreamRulesRequest::FAMILY,
            crate::Family::Room
        );
        assert_eq!(StartMixRequest::ACTION, "StartMix");
        assert_eq!(StartMixRequest::METHOD, HttpMethod::Post);
        assert_eq!(GetMixTaskInfoRequest::METHOD, HttpMethod::Get);
        assert_eq!(
            StopCloudTranscodeRequest::FAMILY,
            crate::Family::StreamMixing
        );
        // Mixing's Sequence is the task's own ordering number, never filled automatically.
        assert_eq!(
            [StartAutoMixRequest::SEQUENCE, StopMixRequest::SEQUENCE],
            [false, false]
        );
        assert_eq!(StartCdnRecordRequest::ACTION, "StartCDNRecord");
        assert_eq!(MediaThumbnailsRequest::METHOD, HttpMethod::Get);
        assert_eq!(DeleteMediaRequest::FAMILY, crate::Family::MediaFile);
        assert_eq!(StartCensorVideoV2Request::METHOD, HttpMethod::Post);
        assert_eq!(GenerateIdentifyTokenRequest::METHOD, HttpMethod::Get);
        assert_eq!(StopCensorAudioV2Request::FAMILY, crate::Family::Moderation);
        assert_eq!(SetSceneTemplateRequest::FAMILY, crate::Family::Scene);
        assert_eq!(
            [
                MergeMediaRequest::SEQUENCE,
                StartCensorAudioV2Request::SEQUENCE,
                SetSceneTemplateRequest::SEQUENCE
            ],
            [false, false, false]
        );
    }
}
