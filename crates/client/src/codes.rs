//! ZEGO's documented return codes, as an enum, read per family.
//!
//! Transcribed from ZEGO's global return-code page (common gateway codes, the media-service,
//! room-signaling and stream-mixing tables) and from the per-action OpenAPI pages, including the
//! older public set (1, 2, 3, 4, 7) that the Forbid/Resume/QueryForbidCDNLiveStream actions
//! answer with, CloseRoom's 5018 and StartMix's 110200197.

/// A family of return codes: the table an action's answers are read in.
///
/// The same number can mean different things in different families: 3 is "Authentication
/// failed." in the older CDN live-stream set but "Input parameter length too long." for room
/// signaling, and 7 is "rate limit exceeded" only for the CDN live-stream actions. So an answer is
/// always classified with the family of the action that received it. The API gateway's codes
/// (`1000000xx`) come before any action runs and mean the same in every family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// The API gateway's common codes (`1000000xx`), answered before any action runs.
    Gateway,
    /// The media-service codes: relay rules, RTC stream forbid, stream state.
    MediaService,
    /// The older public set of Forbid/Resume/QueryForbidCDNLiveStream: 1 failed, 2 parameter
    /// error, 3 authentication failed, 4 unknown CDN type, 7 rate limit.
    CdnLive,
    /// Room signaling: 2 input parameter error, 3 input parameter length too long, 206 and 207
    /// app and room QPS limits.
    Room,
    /// Stream mixing and transcoding (`1102xxxxx`).
    StreamMixing,
    /// Media files (CDN recording, search, delete, merge, transcode, thumbnails): 2 input
    /// parameter error, 3 permission not enabled, 6 too frequent, 7 authentication failed, 41003
    /// file does not exist.
    MediaFile,
    /// Audio/video stream moderation (`5xxxx`), with room signaling's 2 and 206.
    Moderation,
    /// The (discontinued) scene service (`3400xxxxx`), throttled with room signaling's 206.
    Scene,
}

impl Family {
    /// Every family.
    pub const ALL: &'static [Family] = &[
        Family::Gateway,
        Family::MediaService,
        Family::CdnLive,
        Family::Room,
        Family::StreamMixing,
        Family::MediaFile,
        Family::Moderation,
        Family::Scene,
    ];

    /// The family's name in the workspace's return-code table (`fixtures/return-codes.json`):
    /// `gateway`, `media-service`, `cdn-live`, `room`, `stream-mixing`, `media-file`,
    /// `moderation`, `scene`.
    ///
    /// ```
    /// assert_eq!(zego_client::Family::StreamMixing.name(), "stream-mixing");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Family::Gateway => "gateway",
            Family::MediaService => "media-service",
            Family::CdnLive => "cdn-live",
            Family::Room => "room",
            Family::StreamMixing => "stream-mixing",
            Family::MediaFile => "media-file",
            Family::Moderation => "moderation",
            Family::Scene => "scene",
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

macro_rules! error_codes {
    (
        shared {$(
            $(#[$shared_doc:meta])*
            $shared:ident in $shared_family:ident {
                $( $shared_code:literal, $shared_desc:literal; )*
            }
        )*}
        $(
            $(#[$section:meta])*
            $family:ident, $lookup:ident {
                $( $variant:ident = $code:literal, $desc:literal; )*
            }
        )*
    ) => {
        /// A non-zero `Code` that ZEGO's Server API answered with, read in the family of the
        /// action that answered.
        ///
        /// Every code documented for the API gateway and for the media-service, CDN live-stream,
        /// room-signaling, stream-mixing, media-file, moderation and scene families has a
        /// variant; any other number decodes as [`ErrorCode::Unknown`], so a code ZEGO adds later
        /// never breaks decoding. A number means different things in different families (3 is
        /// "Authentication failed." in the media-service and CDN live-stream tables, "Input
        /// parameter length too long." for room signaling), so it is resolved with its family:
        /// [`ErrorCode::lookup`]. The number itself is [`ErrorCode::as_i64`]. `0` is success and has
        /// no variant.
        ///
        /// Variants are named by meaning. Where ZEGO documents several numbers with the same
        /// meaning, the name says what tells them apart in ZEGO's tables: the actions that answer
        /// them ([`ErrorCode::RelayRateLimited`] on the relay-rule actions,
        /// [`ErrorCode::DispatchRateLimited`] on the RTMP dispatch actions,
        /// [`ErrorCode::MediaServiceRateLimited`] on every media-service action,
        /// [`ErrorCode::CdnLiveRateLimited`] on the CDN live-stream actions). Where nothing does
        /// (ZEGO lists the numbers side by side for the same actions, or says they come from the
        /// same check), one variant carries the number: [`ErrorCode::RoomNotFound`]`(104)`,
        /// `(5024)` or `(50001)`. Such a variant is only ever built by [`ErrorCode::lookup`] with
        /// a number its documentation lists.
        ///
        /// ```
        /// use zego_client::{ErrorCode, Family};
        /// let code = ErrorCode::lookup(Family::Room, 5024);
        /// assert!(matches!(code, ErrorCode::RoomNotFound(_)));
        /// assert_eq!(code, ErrorCode::RoomNotFound(5024));
        /// assert_eq!(code.as_i64(), 5024);
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(
                #[doc = concat!("`", stringify!($code), "`: ", $desc)]
                $variant,
            )*)*
            $(
                $(#[$shared_doc])*
                ///
                /// Documented numbers:
                $(
                    #[doc = concat!("- `", stringify!($shared_code), "`: ", $shared_desc)]
                )*
                $shared(i64),
            )*
            /// A code this crate does not know (in the family it was looked up in).
            Unknown(i64),
        }

        impl ErrorCode {
            /// Every documented code, in the order of this enum (without [`ErrorCode::Unknown`]);
            /// a variant that carries its number appears once per documented number.
            pub const ALL: &'static [ErrorCode] = &[
                $($(ErrorCode::$variant,)*)*
                $($(ErrorCode::$shared($shared_code),)*)*
            ];

            $(
                $(#[$section])*
                fn $lookup(code: i64) -> Option<Self> {
                    match code {
                        $($code => Some(ErrorCode::$variant),)*
                        _ => Self::shared_code(Family::$family, code),
                    }
                }
            )*

            /// The documented numbers that share a variant, in `family`'s table.
            fn shared_code(family: Family, code: i64) -> Option<Self> {
                match (family, code) {
                    $($(
                        (Family::$shared_family, $shared_code) => Some(ErrorCode::$shared(code)),
                    )*)*
                    _ => None,
                }
            }

            /// The number sent as `Code`.
            pub fn as_i64(self) -> i64 {
                match self {
                    $($(ErrorCode::$variant => $code,)*)*
                    $(ErrorCode::$shared(code) => code,)*
                    ErrorCode::Unknown(other) => other,
                }
            }

            /// ZEGO's description of the code (empty for [`ErrorCode::Unknown`]).
            pub fn description(self) -> &'static str {
                match self {
                    $($(ErrorCode::$variant => $desc,)*)*
                    $($(ErrorCode::$shared($shared_code) => $shared_desc,)*)*
                    $(ErrorCode::$shared(_) => "",)*
                    ErrorCode::Unknown(_) => "",
                }
            }

            /// The family whose table documents the code (`None` for [`ErrorCode::Unknown`]).
            /// The codes 1, 2 and 3 that the media-service and CDN live-stream tables share
            /// belong to [`Family::MediaService`]; 4 and 7 to [`Family::CdnLive`].
            ///
            /// ```
            /// use zego_client::{ErrorCode, Family};
            /// assert_eq!(ErrorCode::RoomQpsLimited.family(), Some(Family::Room));
            /// assert_eq!(ErrorCode::SignatureError.family(), Some(Family::Gateway));
            /// ```
            pub fn family(self) -> Option<Family> {
                match self {
                    $($(ErrorCode::$variant => Some(Family::$family),)*)*
                    $(ErrorCode::$shared(_) => Some(Family::$shared_family),)*
                    ErrorCode::Unknown(_) => None,
                }
            }
        }
    };
}

error_codes! {
    shared {
        /// "Internal error." as the relay-rule actions (CreatCDNTransferRule,
        /// DeleteCDNTransferRule, ClearCDNTransferRule) list it, under four numbers in one row; 5006
        /// is also listed by ForbidRTCStream and ResumeRTCStream. The same meaning as
        /// [`ErrorCode::RtcStreamInternalError`] and [`ErrorCode::MediaServiceInternalError`].
        RelayInternalError in MediaService {
            5000, "Internal error.";
            5001, "Internal error.";
            5002, "Internal error.";
            5006, "Internal error.";
        }
        /// "Invalid CDN address.": a relay rule's `CDNUrl` is not a valid address (ZEGO lists
        /// 5004 for CreatCDNTransferRule and DeleteCDNTransferRule, 30001 for CreatCDNTransferRule).
        InvalidCdnUrl in MediaService {
            5004, "Invalid CDN address.";
            30001, "Invalid CDN address.";
        }
        /// "Room does not exist.": ZEGO documents the three numbers as coming from the same check
        /// (CloseRoom lists 5024, DescribeUsers 50001).
        RoomNotFound in Room {
            104, "Room does not exist, with the same internal judgment logic as 5024, 50001.";
            5024, "Room does not exist, with the same internal judgment logic as 104, 50001.";
            50001, "Room does not exist, with the same internal judgment logic as 104, 5024.";
        }
        /// "Failed to generate message ID.", which SendBroadcastMessage lists under two numbers.
        MessageIdFailed in Room {
            122, "Failed to generate message ID.";
            5202, "Failed to generate message ID.";
        }
        /// "HTTP request failed.", which the moderation actions list under two numbers in one row
        /// (retry after about 300 s).
        ModerationHttpFailed in Moderation {
            50006, "HTTP request failed.";
            50007, "HTTP request failed.";
        }
    }

    /// The API gateway's common codes, answered before any action runs, in every family.
    Gateway, gateway_code {
        HostError = 100000000, "Host error in request header.";
        AppIdFormat = 100000001, "AppId field format error.";
        TimestampEmpty = 100000002, "Timestamp field is empty.";
        TimestampFormat = 100000003, "Timestamp field format error.";
        SignatureExpired = 100000004, "Signature expired (the Timestamp is more than 10 minutes from the server's time).";
        SignatureError = 100000005, "Signature error.";
        ActionEmpty = 100000006, "Action is empty.";
        UnsupportedAction = 100000007, "Unsupported Action.";
        SignatureNonceEmpty = 100000008, "SignatureNonce field is empty.";
        SignatureEmpty = 100000009, "Signature field is empty.";
        ServerSecretNotFound = 100000010, "Failed to get ServerSecret (check the AppId).";
        AppConfigNotFound = 100000011, "Failed to get App configuration.";
        SignatureVersionEmpty = 100000013, "SignatureVersion field is empty.";
        UnsupportedSignatureVersion = 100000014, "Unsupported SignatureVersion (only 2.0 is).";
        GatewayInternalError = 100000015, "Gateway internal error.";
        EnvironmentNotConfigured = 100000016, "App is not configured for production environment (or, with IsTest, for the test environment).";
        ServiceNotEnabled = 100000017, "App has not enabled this service.";
    }

    /// The media-service table (with 1, 2 and 3, which the older CDN live-stream set shares).
    MediaService, media_code {
        RequestFailed = 1, "Request failed.";
        ParameterError = 2, "Parameter error.";
        CdnLiveAuthenticationFailed = 3, "Authentication failed.";
        DispatchFailed = 1001, "Dispatch failed.";
        PublishNodeEmpty = 1002, "Publish stream node is empty.";
        PlayNodeEmpty = 1003, "Play stream node is empty.";
        AppNotOnline = 1005, "App is not online.";
        InvalidParameter = 1006, "Invalid parameter.";
        DispatchRateLimited = 1010, "Interface call frequency too high.";
        InvalidApp = 3000, "Invalid App.";
        RtcStreamInternalError = 3001, "Internal error.";
        TimestampError = 3002, "Timestamp error.";
        TokenNotConfigured = 3003, "App is not configured with Token.";
        RelayAuthenticationFailed = 5003, "Authentication failed.";
        InvalidRequest = 5005, "Invalid request (also: Sequence not strictly increasing).";
        RelayRateLimited = 5007, "Interface call frequency too high.";
        MediaServiceRateLimited = 30002, "Interface call frequency too high.";
        MediaServiceInternalError = 30003, "Internal error.";
        InvalidIsTest = 30004, "Parameter isTest error.";
        InvalidAppId = 30005, "Invalid AppId.";
        InvalidStreamIdList = 30006, "Invalid StreamId list.";
        InvalidStreamId = 30009, "Invalid StreamId, stream name is not standard.";
        InvalidDispatchType = 30010, "Invalid dispatch action.";
        InvalidClientIp = 30011, "Invalid client IP address.";
        RtcStreamAuthenticationFailed = 40005, "Authentication failed.";
        LiveSaveFailed = 41001, "Live broadcast save failed.";
        ChannelSaveFailed = 41002, "Channel save failed.";
        LiveNotFound = 41003, "Live broadcast does not exist.";
        StreamNotFound = 41004, "Query failed, StreamId does not exist.";
        StreamClosed = 41006, "Query successful, the queried stream exists but is in closed state.";
        ForbidLiveFailed = 42001, "Failed to disable live broadcast.";
        ResumeLiveFailed = 42002, "Failed to resume live broadcast.";
        BatchForbidFailed = 42003, "Failed to batch disable live broadcasts.";
        BatchResumeFailed = 42004, "Failed to batch resume live broadcasts.";
        RecordIndexFailed = 43001, "Failed to create Recording index file.";
    }

    /// The codes only the older CDN live-stream set has.
    CdnLive, cdn_live_code {
        UnknownCdnType = 4, "Unknown CDN type (CDN live-stream actions).";
        CdnLiveRateLimited = 7, "Request frequency exceeds the limit (CDN live-stream actions).";
    }

    /// The room-signaling table, with CloseRoom's 5018.
    Room, room_code {
        RoomRequestFailed = 1, "Request failed.";
        RoomParameterError = 2, "Input parameter error.";
        RoomParameterTooLong = 3, "Input parameter length too long.";
        RoomDecodingFailed = 8, "Decoding failed.";
        RoomPermissionNotGranted = 9, "Permission to use the current interface has not been granted.";
        RoomUserNotFound = 105, "User does not exist.";
        BroadcastMessageSaveFailed = 121, "Failed to save broadcast message.";
        StreamInfoSetFailed = 123, "Failed to set Stream information.";
        StreamInfoDeleteFailed = 124, "Failed to delete Stream information.";
        StreamInfoNotFound = 138, "Stream information does not exist.";
        BroadcastMessageSendFailed = 151, "Failed to send broadcast message.";
        ListInfoFailed = 154, "Failed to get list information.";
        AppQpsLimited = 206, "App request QPS too high and was limited.";
        RoomQpsLimited = 207, "Room request QPS too high and was limited.";
        MessageContentEmpty = 1008, "Message content MessageContent is empty.";
        StreamOperationConflict = 1012, "Multiple users operating on the same Stream.";
        RoomDestroyed = 5018, "Room has been destroyed or does not exist.";
        BroadcastMessageEncodeFailed = 5201, "Broadcast message encoding failed.";
        UserNotOnline = 50003, "Failed to find User online information.";
        UserListTooLong = 50011, "User list length too long.";
        MessageTooLong = 50012, "Message length exceeds limit.";
        CustomMessageSendFailed = 50013, "Failed to send custom message.";
        BanRuleLimitExceeded = 50123, "The number of ban rules currently within the validity period exceeds the limit.";
        BanRuleNotFound = 50124, "The rule to be deleted does not exist.";
    }

    /// The stream-mixing and transcoding table, with StartMix's 110200197.
    StreamMixing, mixing_code {
        MixFailed = 110200001, "Failed.";
        MixParameterError = 110200002, "Input parameter error.";
        MixAuthenticationFailed = 110200003, "Authentication failed.";
        MixParameterParseFailed = 110200004, "Failed to parse input parameters.";
        MixStartLockFailed = 110200005, "Failed to acquire distributed lock when starting Stream Mixing.";
        MixStopLockFailed = 110200006, "Failed to acquire distributed lock when stopping Stream Mixing.";
        MixUpdateFailed = 110200007, "Failed to update Stream Mixing request.";
        MixStartConversionFailed = 110200008, "Stream Mixing start protocol conversion failed.";
        MixCloseOthersFailed = 110200012, "Failed to close other Stream Mixing tasks of the Stream Mixing initiator.";
        MixOwnershipUpdateFailed = 110200013, "Failed to update Stream Mixing ownership.";
        MixStopConversionFailed = 110200014, "Stream Mixing stop protocol conversion failed.";
        MixStopForwardFailed = 110200015, "Stream Mixing stop request forwarding failed.";
        MixSameStreamId = 110200140, "MixInput and MixOutput have the same Stream ID.";
        MixImageProtocol = 110200141, "Image protocol currently only supports: https, http, preset-id.";
        MixImageFetchFailed = 110200142, "Failed to get image.";
        MixInputStreamNotFound = 110200150, "The input Stream for Stream Mixing or single-stream transcoding does not exist.";
        MixTaskFailed = 110200151, "Stream Mixing or single-stream transcoding task failed.";
        MixInputStreamError = 110200153, "Stream Mixing input Stream error.";
        MixOutputStreamError = 110200154, "Stream Mixing output Stream error.";
        MixInputStreamFormat = 110200155, "Stream Mixing input Stream format error.";
        MixOutputStreamFormat = 110200156, "Stream Mixing output Stream format error.";
        MixPermissionNotEnabled = 110200157, "Stream Mixing permission not enabled.";
        MixInputCountExceeded = 110200158, "Stream Mixing input Stream count exceeds limit.";
        MixDispatchFailed = 110200159, "Stream Mixing dispatch failed.";
        MixNonOwnerStop = 110200160, "Non-owner stopped Stream Mixing.";
        MixOutputWidth = 110200161, "Stream Mixing output Stream width value error, value range is [0, 3000].";
        MixWatermarkError = 110200170, "Watermark parameter error.";
        MixWatermarkEmpty = 110200171, "Watermark parameter is empty.";
        MixExtendedParameterError = 110200172, "Extended parameter error.";
        MixInputDuplicate = 110200175, "Input Stream duplicate.";
        MixOutputDuplicate = 110200176, "Output Stream duplicate.";
        MixFocusVoiceExceeded = 110200177, "Focus voice exceeds limit.";
        MixOutputCountExceeded = 110200178, "Output Stream count exceeds limit.";
        MixTextWatermarkError = 110200179, "Text watermark related error.";
        MixStartParseFailed = 110200184, "Stream Mixing start parameter parsing failed.";
        MixStopParseFailed = 110200185, "Stream Mixing stop parameter parsing failed.";
        MixStartOverload = 110200190, "Stream Mixing start request overload.";
        MixStopOverload = 110200191, "Stream Mixing stop request overload.";
        MixOverload = 110200194, "Stream Mixing request overload.";
        MixTargetRoomFailed = 110200197, "Failed to add stream to target Room.";
        MixTaskNotFound = 110209001, "Stream Mixing task does not exist.";
        MixTokenIllegal = 110240002, "Token is illegal.";
    }

    /// The media-file table, with SearchMedia's 8.
    MediaFile, media_file_code {
        MediaFileParameterError = 2, "Input parameter error.";
        MediaFilePermissionNotEnabled = 3, "Relevant permission not enabled.";
        CdnTypeMismatch = 4, "CDN type mismatch.";
        MediaFileConfigurationError = 5, "Configuration error.";
        MediaFileTooFrequent = 6, "Requests too frequent.";
        MediaFileAuthenticationFailed = 7, "Authentication failed.";
        AuthenticationConfigFailed = 8, "Failed to get authentication configuration.";
        MediaFileRequestFailed = 1000, "Request failed.";
        FileNotFound = 41003, "File does not exist.";
    }

    /// The audio/video stream moderation table (its 2 and 206 are room signaling's).
    Moderation, moderation_code {
        ModerationFailed = 50009, "Moderation failed.";
        ShumeiNotEnabled = 50117, "Configuration error, Shumei permission not enabled.";
    }

    /// SetSceneTemplate's table (its 206 is room signaling's, its 100000017 the gateway's).
    Scene, scene_code {
        TemplateExists = 340004003, "Template already exists.";
        SceneParameterError = 340006003, "Parameter error.";
    }
}

impl ErrorCode {
    /// The code for a number answered by an action of `family`: the gateway's codes in every
    /// family, then the family's own table; [`ErrorCode::Unknown`] when neither documents it.
    ///
    /// The media-service and CDN live-stream actions share one table (their sets overlap and
    /// the client has always read them together).
    ///
    /// ```
    /// use zego_client::{ErrorCode, Family};
    /// assert_eq!(ErrorCode::lookup(Family::CdnLive, 3), ErrorCode::CdnLiveAuthenticationFailed);
    /// assert_eq!(ErrorCode::lookup(Family::Room, 3), ErrorCode::RoomParameterTooLong);
    /// assert_eq!(ErrorCode::lookup(Family::Room, 100000005), ErrorCode::SignatureError);
    /// assert_eq!(ErrorCode::lookup(Family::Room, 110200003), ErrorCode::Unknown(110200003));
    /// ```
    pub fn lookup(family: Family, code: i64) -> Self {
        let found = Self::gateway_code(code).or_else(|| match family {
            Family::Gateway => None,
            Family::MediaService | Family::CdnLive => {
                Self::media_code(code).or_else(|| Self::cdn_live_code(code))
            }
            Family::Room => Self::room_code(code),
            Family::StreamMixing => Self::mixing_code(code),
            Family::MediaFile => Self::media_file_code(code),
            // The moderation table points to room signaling's for its common codes.
            Family::Moderation => Self::moderation_code(code).or_else(|| Self::room_code(code)),
            // The scene page documents no throttling code: the app's room-family one.
            Family::Scene => {
                Self::scene_code(code).or((code == 206).then_some(ErrorCode::AppQpsLimited))
            }
        });
        found.unwrap_or(ErrorCode::Unknown(code))
    }

    /// The code for a number as the media-service and CDN live-stream actions (the ones this
    /// client has always covered) and the gateway use it: `lookup(Family::MediaService, code)`.
    /// Read a room or stream-mixing code with [`ErrorCode::lookup`].
    ///
    /// ```
    /// use zego_client::ErrorCode;
    /// assert_eq!(ErrorCode::from_i64(30002), ErrorCode::MediaServiceRateLimited);
    /// assert_eq!(ErrorCode::from_i64(424242), ErrorCode::Unknown(424242));
    /// ```
    pub fn from_i64(code: i64) -> Self {
        Self::lookup(Family::MediaService, code)
    }

    /// Whether the code, answered by an action of `family`, says the caller was throttled:
    /// 30002, 5007 and 1010 for the media-service and CDN live-stream actions, 7 for the CDN
    /// live-stream actions only, 206 and 207 for room signaling (and 206 for moderation and
    /// scene), 110200190, 110200191 and 110200194 for stream mixing, 6 for media files.
    ///
    /// ```
    /// use zego_client::{ErrorCode, Family};
    /// assert!(ErrorCode::CdnLiveRateLimited.is_throttling(Family::CdnLive));
    /// assert!(!ErrorCode::CdnLiveRateLimited.is_throttling(Family::MediaService));
    /// ```
    pub fn is_throttling(self, family: Family) -> bool {
        use Family::*;
        match self {
            ErrorCode::MediaServiceRateLimited
            | ErrorCode::RelayRateLimited
            | ErrorCode::DispatchRateLimited => matches!(family, MediaService | CdnLive),
            // 7 means "rate limit exceeded" only in the older set of the CDN live-stream actions.
            ErrorCode::CdnLiveRateLimited => family == CdnLive,
            ErrorCode::AppQpsLimited | ErrorCode::RoomQpsLimited => {
                matches!(family, Room | Moderation | Scene)
            }
            ErrorCode::MediaFileTooFrequent => family == MediaFile,
            ErrorCode::MixStartOverload | ErrorCode::MixStopOverload | ErrorCode::MixOverload => {
                family == StreamMixing
            }
            _ => false,
        }
    }

    /// Whether the code, answered by an action of `family`, says the request's credentials were
    /// refused: the gateway's signature, expiry and secret codes in every family, and the
    /// family's own authentication, app and timestamp codes (room signaling has none).
    pub fn is_auth(self, family: Family) -> bool {
        use Family::*;
        match self {
            ErrorCode::SignatureExpired
            | ErrorCode::SignatureError
            | ErrorCode::ServerSecretNotFound => true,
            ErrorCode::CdnLiveAuthenticationFailed
            | ErrorCode::RelayAuthenticationFailed
            | ErrorCode::RtcStreamAuthenticationFailed
            | ErrorCode::TimestampError
            | ErrorCode::InvalidApp
            | ErrorCode::InvalidAppId => matches!(family, MediaService | CdnLive),
            ErrorCode::MixAuthenticationFailed => family == StreamMixing,
            ErrorCode::MediaFileAuthenticationFailed => family == MediaFile,
            _ => false,
        }
    }

    /// Whether the code, answered by an action of `family`, is transient: throttling, or a
    /// server-side failure worth retrying (the gateway's internal error; the media-service
    /// internal errors, failed saves and batch operations; stream mixing's lock contention).
    pub fn is_retryable(self, family: Family) -> bool {
        use Family::*;
        self.is_throttling(family)
            || match self {
                ErrorCode::GatewayInternalError => true,
                ErrorCode::RtcStreamInternalError
                | ErrorCode::RelayInternalError(_)
                | ErrorCode::MediaServiceInternalError
                | ErrorCode::LiveSaveFailed
                | ErrorCode::ChannelSaveFailed
                | ErrorCode::ForbidLiveFailed
                | ErrorCode::ResumeLiveFailed
                | ErrorCode::BatchForbidFailed
                | ErrorCode::BatchResumeFailed => matches!(family, MediaService | CdnLive),
                ErrorCode::MixStartLockFailed | ErrorCode::MixStopLockFailed => {
                    family == StreamMixing
                }
                _ => false,
            }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorCode::Unknown(code) => write!(f, "{code}"),
            known => write!(f, "{} ({})", known.as_i64(), known.description()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_round_trips_in_its_own_family_and_is_unique_there() {
        let mut seen = HashSet::new();
        for &code in ErrorCode::ALL {
            let family = code.family().expect("a documented code has a family");
            assert!(seen.insert((family, code.as_i64())), "{code:?} twice");
            assert_eq!(ErrorCode::lookup(family, code.as_i64()), code);
            assert!(!code.description().is_empty());
            assert_ne!(code.as_i64(), 0, "0 is success, not an error");
        }
        for &family in Family::ALL {
            assert_eq!(ErrorCode::lookup(family, 0), ErrorCode::Unknown(0));
        }
    }

    #[test]
    fn the_same_number_differs_by_family() {
        assert_eq!(
            ErrorCode::lookup(Family::CdnLive, 3),
            ErrorCode::CdnLiveAuthenticationFailed
        );
        assert_eq!(
            ErrorCode::lookup(Family::Room, 3),
            ErrorCode::RoomParameterTooLong
        );
        assert!(ErrorCode::lookup(Family::CdnLive, 3).is_auth(Family::CdnLive));
        assert!(!ErrorCode::lookup(Family::Room, 3).is_auth(Family::Room));
        assert_eq!(ErrorCode::lookup(Family::Room, 7), ErrorCode::Unknown(7));
        assert_eq!(
            ErrorCode::lookup(Family::StreamMixing, 30002),
            ErrorCode::Unknown(30002)
        );
        assert_eq!(ErrorCode::lookup(Family::Gateway, 1), ErrorCode::Unknown(1));
    }

    #[test]
    fn same_meaning_numbers_share_a_variant_and_keep_their_number() {
        for n in [104, 5024, 50001] {
            let code = ErrorCode::lookup(Family::Room, n);
            assert_eq!(code, ErrorCode::RoomNotFound(n));
            assert_eq!(code.as_i64(), n);
            assert_eq!(code.family(), Some(Family::Room));
            assert!(code.description().starts_with("Room does not exist"));
        }
        // Only documented numbers make one: a neighbour of them is unknown.
        assert_eq!(
            ErrorCode::lookup(Family::Room, 5025),
            ErrorCode::Unknown(5025)
        );
        assert_eq!(
            ErrorCode::lookup(Family::MediaService, 104),
            ErrorCode::Unknown(104)
        );
        assert_eq!(
            ErrorCode::lookup(Family::Moderation, 50007),
            ErrorCode::ModerationHttpFailed(50007)
        );
        assert!(ErrorCode::lookup(Family::MediaService, 5006).is_retryable(Family::MediaService));
        assert!(!ErrorCode::lookup(Family::Room, 5006).is_retryable(Family::Room));
    }

    #[test]
    fn seven_throttles_only_the_cdn_live_stream_family() {
        assert!(ErrorCode::CdnLiveRateLimited.is_throttling(Family::CdnLive));
        assert!(!ErrorCode::CdnLiveRateLimited.is_throttling(Family::MediaService));
        assert!(ErrorCode::MediaServiceRateLimited.is_throttling(Family::MediaService));
        assert!(!ErrorCode::Unknown(7).is_throttling(Family::CdnLive));
    }
}
