//! ZEGO's documented return codes, as an enum.
//!
//! Transcribed from ZEGO's global return-code page (common gateway codes and the media-service
//! table) and from the per-action OpenAPI pages of the media-service actions, including the older
//! public set (1, 2, 3, 4, 7) that the Forbid/Resume/QueryForbidCDNLiveStream actions answer with.

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
}

impl Family {
    /// Every family.
    pub const ALL: &'static [Family] = &[
        Family::Gateway,
        Family::MediaService,
        Family::CdnLive,
        Family::Room,
        Family::StreamMixing,
    ];

    /// The family's name in the workspace's return-code table (`fixtures/return-codes.json`):
    /// `gateway`, `media-service`, `cdn-live`, `room`, `stream-mixing`.
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
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $variant:ident = $code:literal, $desc:literal; )*) => {
        /// A non-zero `Code` that ZEGO's Server API answered with.
        ///
        /// Every code documented for the media-service actions and the API gateway has a variant;
        /// any other number decodes as [`ErrorCode::Unknown`], so a code ZEGO adds later never
        /// breaks decoding. Where ZEGO documents several numbers with the same meaning, each
        /// number keeps its own variant, suffixed with the number.
        /// `0` is success and has no variant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", stringify!($code), "`: ", $desc)]
                $(#[$meta])*
                $variant,
            )*
            /// A code this crate does not know.
            Unknown(i64),
        }

        impl ErrorCode {
            /// Every documented code, in the order of this enum (without [`ErrorCode::Unknown`]).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code for a number; [`ErrorCode::Unknown`] when it is not documented.
            ///
            /// ```
            /// use zego_client::ErrorCode;
            /// assert_eq!(ErrorCode::from_i64(30002), ErrorCode::RateLimited30002);
            /// assert_eq!(ErrorCode::from_i64(424242), ErrorCode::Unknown(424242));
            /// ```
            pub fn from_i64(code: i64) -> Self {
                match code {
                    $($code => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other),
                }
            }

            /// The number sent as `Code`.
            pub fn as_i64(self) -> i64 {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Unknown(other) => other,
                }
            }

            /// ZEGO's description of the code (empty for [`ErrorCode::Unknown`]).
            pub fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $desc,)*
                    ErrorCode::Unknown(_) => "",
                }
            }
        }
    };
}

error_codes! {
    // The API gateway's common codes, answered before any action runs.
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
    EnvironmentNotConfigured = 100000016, "App is not configured for this environment (check IsTest).";
    ServiceNotEnabled = 100000017, "App has not enabled this service.";

    // The media-service table, with the older public set of the CDN live-stream actions.
    RequestFailed = 1, "Request failed.";
    ParameterError = 2, "Parameter error.";
    AuthenticationFailed3 = 3, "Authentication failed.";
    UnknownCdnType = 4, "Unknown CDN type (CDN live-stream actions).";
    RateLimited7 = 7, "Request frequency exceeds the limit (CDN live-stream actions).";
    DispatchFailed = 1001, "Dispatch failed.";
    PublishNodeEmpty = 1002, "Publish stream node is empty.";
    PlayNodeEmpty = 1003, "Play stream node is empty.";
    AppNotOnline = 1005, "App is not online.";
    InvalidParameter = 1006, "Invalid parameter.";
    RateLimited1010 = 1010, "Interface call frequency too high.";
    InvalidApp = 3000, "Invalid App.";
    InternalError3001 = 3001, "Internal error.";
    TimestampError = 3002, "Timestamp error.";
    TokenNotConfigured = 3003, "App is not configured with Token.";
    InternalError5000 = 5000, "Internal error.";
    InternalError5001 = 5001, "Internal error.";
    InternalError5002 = 5002, "Internal error.";
    AuthenticationFailed5003 = 5003, "Authentication failed.";
    InvalidCdnUrl5004 = 5004, "Invalid CDN address.";
    InvalidRequest = 5005, "Invalid request (also: Sequence not strictly increasing).";
    InternalError5006 = 5006, "Internal error.";
    RateLimited5007 = 5007, "Interface call frequency too high.";
    InvalidCdnUrl30001 = 30001, "Invalid CDN address.";
    RateLimited30002 = 30002, "Interface call frequency too high.";
    InternalError30003 = 30003, "Internal error.";
    InvalidIsTest = 30004, "Parameter isTest error.";
    InvalidAppId = 30005, "Invalid AppId.";
    InvalidStreamIdList = 30006, "Invalid StreamId list.";
    InvalidStreamId = 30009, "Invalid StreamId, stream name is not standard.";
    InvalidDispatchType = 30010, "Invalid dispatch action.";
    InvalidClientIp = 30011, "Invalid client IP address.";
    AuthenticationFailed40005 = 40005, "Authentication failed.";
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

impl ErrorCode {
    /// Whether the code says the caller was throttled, for an action of `family`.
    pub(crate) fn is_throttling(self, family: Family) -> bool {
        match self {
            ErrorCode::RateLimited30002
            | ErrorCode::RateLimited5007
            | ErrorCode::RateLimited1010 => true,
            // 7 means "rate limit exceeded" only in the older set of the CDN live-stream actions.
            ErrorCode::RateLimited7 => family == Family::CdnLive,
            _ => false,
        }
    }

    /// Whether the code says the request's credentials were refused: signature, secret, app or
    /// timestamp.
    pub(crate) fn is_auth(self, _family: Family) -> bool {
        matches!(
            self,
            ErrorCode::SignatureExpired
                | ErrorCode::SignatureError
                | ErrorCode::ServerSecretNotFound
                | ErrorCode::AuthenticationFailed3
                | ErrorCode::AuthenticationFailed5003
                | ErrorCode::AuthenticationFailed40005
                | ErrorCode::TimestampError
                | ErrorCode::InvalidApp
                | ErrorCode::InvalidAppId
        )
    }

    /// Whether the code is transient: throttling, or a server-side failure that ZEGO suggests
    /// retrying (internal errors, failed saves and batch operations).
    pub(crate) fn is_retryable(self, family: Family) -> bool {
        self.is_throttling(family)
            || matches!(
                self,
                ErrorCode::GatewayInternalError
                    | ErrorCode::InternalError3001
                    | ErrorCode::InternalError5000
                    | ErrorCode::InternalError5001
                    | ErrorCode::InternalError5002
                    | ErrorCode::InternalError5006
                    | ErrorCode::InternalError30003
                    | ErrorCode::LiveSaveFailed
                    | ErrorCode::ChannelSaveFailed
                    | ErrorCode::ForbidLiveFailed
                    | ErrorCode::ResumeLiveFailed
                    | ErrorCode::BatchForbidFailed
                    | ErrorCode::BatchResumeFailed
            )
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
    fn numbers_round_trip_and_are_unique() {
        let mut seen = HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_i64()), "{code:?} twice");
            assert_eq!(ErrorCode::from_i64(code.as_i64()), code);
            assert!(!code.description().is_empty());
            assert_ne!(code.as_i64(), 0, "0 is success, not an error");
        }
        assert_eq!(ErrorCode::from_i64(0), ErrorCode::Unknown(0));
    }

    #[test]
    fn seven_throttles_only_the_cdn_live_stream_family() {
        assert!(ErrorCode::RateLimited7.is_throttling(Family::CdnLive));
        assert!(!ErrorCode::RateLimited7.is_throttling(Family::MediaService));
        assert!(ErrorCode::RateLimited30002.is_throttling(Family::MediaService));
        assert!(!ErrorCode::Unknown(7).is_throttling(Family::CdnLive));
    }
}
