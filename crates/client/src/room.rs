//! The room-signaling actions: room messages, users, room streams, closing rooms and kicking
//! users out, and the user and stream ban rules.
//!
//! Each action is a request type that serializes to the parameters its OpenAPI page documents
//! (names as on the wire, through serde) and a `Data` type, here, and one line in the table of
//! operations (`actions.rs`), which gives it its [`Client`](crate::Client) method.
//!
//! Every room action is a `GET` without a `Sequence`. Array parameters travel as the name with
//! brackets, repeated (`UserId[]=a&UserId[]=b`), as the pages' descriptions and examples write
//! them. Integer-valued choices ([`MessageCategory`], [`UserListMode`], [`CensorFlag`],
//! [`ForbidRuleType`], [`DisabledPrivilege`]) are sent as the documented numbers, and unset
//! optional parameters are left out. Text such as `MessageContent` or `CustomReason` is given as
//! is: the client URL-encodes it.
//!
//! Their return codes are read in the [`Room`](crate::Family::Room) family: there, 3 is "Input
//! parameter length too long." (not an authentication failure), and 206 and 207 are throttling.

use crate::client::lenient_string;
use crate::wire::data_with_default;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Documented values

/// `MessageCategory` of a broadcast or barrage message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageCategory {
    /// `1`: a system message.
    System,
    /// `2`: a chat message.
    Chat,
}

impl MessageCategory {
    /// The number sent on the wire.
    pub fn as_u32(self) -> u32 {
        match self {
            MessageCategory::System => 1,
            MessageCategory::Chat => 2,
        }
    }
}

impl Serialize for MessageCategory {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.as_u32())
    }
}

/// `Mode` of DescribeUserList: the order of the users by the time they logged in to the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum UserListMode {
    /// `0` (the default): ascending by login time.
    #[default]
    Ascending,
    /// `1`: descending by login time.
    Descending,
}

impl UserListMode {
    /// The number sent on the wire.
    pub fn as_u32(self) -> u32 {
        match self {
            UserListMode::Ascending => 0,
            UserListMode::Descending => 1,
        }
    }
}

impl Serialize for UserListMode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.as_u32())
    }
}

/// `CensorFlag` of AddStream: whether the stream may be pulled for moderation when the room's
/// stream list is moderated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CensorFlag {
    /// `0` (the default): moderation allowed.
    #[default]
    Allowed,
    /// `1`: moderation not allowed; recommended for a stream injected into several rooms (a
    /// cross-room PK), so that it is not moderated once per room.
    NotAllowed,
}

impl CensorFlag {
    /// The number sent on the wire.
    pub fn as_u32(self) -> u32 {
        match self {
            CensorFlag::Allowed => 0,
            CensorFlag::NotAllowed => 1,
        }
    }
}

impl Serialize for CensorFlag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.as_u32())
    }
}

/// `RuleType` of a user ban rule: what the rule bans by, and so which of `IP`, `RoomId` and
/// `UserId` it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForbidRuleType {
    /// `1`: by IP address (`IP`); up to 100 rules valid at once.
    Ip,
    /// `2`: by room (`RoomId`); up to 200 rules valid at once.
    Room,
    /// `3`: by user (`UserId`); up to 200 rules valid at once.
    User,
    /// `4`: by room and user (`RoomId` and `UserId`); up to 200 rules valid at once.
    RoomUser,
}

impl ForbidRuleType {
    /// The number sent on the wire.
    pub fn as_u32(self) -> u32 {
        match self {
            ForbidRuleType::Ip => 1,
            ForbidRuleType::Room => 2,
            ForbidRuleType::User => 3,
            ForbidRuleType::RoomUser => 4,
        }
    }
}

impl Serialize for ForbidRuleType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.as_u32())
    }
}

/// A privilege a user ban rule takes away (`DisabledPrivilege[]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisabledPrivilege {
    /// `1`: logging in to a room.
    Login,
    /// `2`: publishing streams.
    Publish,
}

impl DisabledPrivilege {
    /// The number sent on the wire.
    pub fn as_u32(self) -> u32 {
        match self {
            DisabledPrivilege::Login => 1,
            DisabledPrivilege::Publish => 2,
        }
    }
}

impl Serialize for DisabledPrivilege {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.as_u32())
    }
}

/// Sends an optional flag as the documented `0`/`1`, or leaves it out when unset.
pub(crate) fn zero_or_one<S: Serializer>(flag: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
    match flag {
        Some(on) => s.serialize_u32(u32::from(*on)),
        None => s.serialize_none(),
    }
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

// ---------------------------------------------------------------------------------------------
// Requests: messages

/// The parameters SendBroadcastMessage and SendBarrageMessage share, in documented order.
macro_rules! room_message_request {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[non_exhaustive]
        pub struct $name {
            /// `RoomId`: the room.
            #[serde(rename = "RoomId")]
            pub room_id: String,
            /// `UserId`: the sender, who need not be logged in to the room (and whose own
            /// client does not receive the message).
            #[serde(rename = "UserId")]
            pub user_id: String,
            /// `UserName`: the sender's name (optional).
            #[serde(rename = "UserName")]
            pub user_name: Option<String>,
            /// `MessageCategory`: system (1) or chat (2).
            #[serde(rename = "MessageCategory")]
            pub message_category: MessageCategory,
            /// `MessageContent`: at most 1024 bytes. Give it as is: the client URL-encodes it.
            #[serde(rename = "MessageContent")]
            pub message_content: String,
        }

        impl $name {
            /// A message from `user_id` to the room, without a sender name.
            pub fn new(
                room_id: impl Into<String>,
                user_id: impl Into<String>,
                message_category: MessageCategory,
                message_content: impl Into<String>,
            ) -> Self {
                Self {
                    room_id: room_id.into(),
                    user_id: user_id.into(),
                    user_name: None,
                    message_category,
                    message_content: message_content.into(),
                }
            }

            /// Sets `UserName`, the sender's name.
            #[must_use]
            pub fn user_name(mut self, name: impl Into<String>) -> Self {
                self.user_name = Some(name.into());
                self
            }
        }
    };
}

room_message_request!(
    /// `SendBroadcastMessage`: send a text message to every user in a room.
    SendBroadcastMessageRequest
);

room_message_request!(
    /// `SendBarrageMessage`: send a barrage (bullet-screen) message to a room, for high volumes
    /// where reliability is not required.
    SendBarrageMessageRequest
);

/// `SendCustomCommand`: send a custom signaling message to some users of a room, or to all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SendCustomCommandRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `FromUserId`: the sender, who need not be logged in to the room.
    #[serde(rename = "FromUserId")]
    pub from_user_id: String,
    /// `ToUserId[]`: up to 10 recipients; empty (left out) sends to every user in the room.
    #[serde(rename = "ToUserId[]")]
    pub to_user_ids: Vec<String>,
    /// `MessageContent`: at most 1024 bytes. Give it as is: the client URL-encodes it.
    #[serde(rename = "MessageContent")]
    pub message_content: String,
}

impl SendCustomCommandRequest {
    /// A message from `from_user_id` to every user in the room.
    pub fn new(
        room_id: impl Into<String>,
        from_user_id: impl Into<String>,
        message_content: impl Into<String>,
    ) -> Self {
        Self {
            room_id: room_id.into(),
            from_user_id: from_user_id.into(),
            to_user_ids: Vec::new(),
            message_content: message_content.into(),
        }
    }

    /// Sets `ToUserId[]`, the recipients (up to 10).
    #[must_use]
    pub fn to_user_ids<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.to_user_ids = strings(users);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Requests: users

/// `DescribeUserNum`: the number of users in up to 10 rooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeUserNumRequest {
    /// `RoomId[]`: the rooms (1 to 10); a room that does not exist counts 0 users.
    #[serde(rename = "RoomId[]")]
    pub room_ids: Vec<String>,
}

impl DescribeUserNumRequest {
    /// A request for some rooms.
    pub fn new<I, S>(room_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            room_ids: strings(room_ids),
        }
    }
}

/// `DescribeUsers`: whether up to 10 users are in a room, their role and login time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeUsersRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `UserId[]`: the users (1 to 10).
    #[serde(rename = "UserId[]")]
    pub user_ids: Vec<String>,
}

impl DescribeUsersRequest {
    /// A request for some users of a room.
    pub fn new<I, S>(room_id: impl Into<String>, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            room_id: room_id.into(),
            user_ids: strings(user_ids),
        }
    }
}

/// `DescribeUserList`: one page of the users in a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeUserListRequest {
    /// `RoomId`: the room; one that does not exist gives an empty list.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `Mode`: ascending (0, the default) or descending (1) by login time.
    #[serde(rename = "Mode")]
    pub mode: Option<UserListMode>,
    /// `Limit`: the page size, 0 to 200 (200 by default).
    #[serde(rename = "Limit")]
    pub limit: Option<u32>,
    /// `Marker`: where the page starts, as the previous page's `Marker` gave it; unset (or
    /// empty) starts from the beginning.
    #[serde(rename = "Marker")]
    pub marker: Option<String>,
}

impl DescribeUserListRequest {
    /// The first page of a room's users, in the default order and size.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            mode: None,
            limit: None,
            marker: None,
        }
    }

    /// Sets `Mode`, the order by login time.
    #[must_use]
    pub fn mode(mut self, mode: UserListMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Sets `Limit`, the page size (0 to 200).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets `Marker`, the previous page's [`UserList::marker`].
    #[must_use]
    pub fn marker(mut self, marker: impl Into<String>) -> Self {
        self.marker = Some(marker.into());
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Requests: room streams

/// `AddStream`: add a stream to a room's stream list (a notification only: nothing is
/// published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AddStreamRequest {
    /// `RoomId`: the room, which must exist (this action does not create it).
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `UserId`: the user the stream is listed under (preferably not a real user of the room).
    #[serde(rename = "UserId")]
    pub user_id: String,
    /// `UserName` (optional).
    #[serde(rename = "UserName")]
    pub user_name: Option<String>,
    /// `StreamId`: at most 256 bytes.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `StreamTitle`: at most 127 bytes (optional). Give it as is: the client URL-encodes it.
    #[serde(rename = "StreamTitle")]
    pub stream_title: Option<String>,
    /// `ExtraInfo`: at most 1024 bytes (optional).
    #[serde(rename = "ExtraInfo")]
    pub extra_info: Option<String>,
    /// `CensorFlag`: whether moderation may pull the stream (optional, allowed by default).
    #[serde(rename = "CensorFlag")]
    pub censor_flag: Option<CensorFlag>,
}

impl AddStreamRequest {
    /// A stream of `user_id` for a room, without the optional parameters.
    pub fn new(
        room_id: impl Into<String>,
        user_id: impl Into<String>,
        stream_id: impl Into<String>,
    ) -> Self {
        Self {
            room_id: room_id.into(),
            user_id: user_id.into(),
            user_name: None,
            stream_id: stream_id.into(),
            stream_title: None,
            extra_info: None,
            censor_flag: None,
        }
    }

    /// Sets `UserName`.
    #[must_use]
    pub fn user_name(mut self, name: impl Into<String>) -> Self {
        self.user_name = Some(name.into());
        self
    }

    /// Sets `StreamTitle`.
    #[must_use]
    pub fn stream_title(mut self, title: impl Into<String>) -> Self {
        self.stream_title = Some(title.into());
        self
    }

    /// Sets `ExtraInfo`.
    #[must_use]
    pub fn extra_info(mut self, info: impl Into<String>) -> Self {
        self.extra_info = Some(info.into());
        self
    }

    /// Sets `CensorFlag`.
    #[must_use]
    pub fn censor_flag(mut self, flag: CensorFlag) -> Self {
        self.censor_flag = Some(flag);
        self
    }
}

/// `DeleteStream`: remove a stream from a room's stream list (a notification only: publishing
/// does not stop, and the user stays in the room).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteStreamRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `UserId`: the user doing the deletion.
    #[serde(rename = "UserId")]
    pub user_id: String,
    /// `UserName` (optional).
    #[serde(rename = "UserName")]
    pub user_name: Option<String>,
    /// `StreamId`: the stream to remove.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
}

impl DeleteStreamRequest {
    /// A deletion by `user_id`, without a user name.
    pub fn new(
        room_id: impl Into<String>,
        user_id: impl Into<String>,
        stream_id: impl Into<String>,
    ) -> Self {
        Self {
            room_id: room_id.into(),
            user_id: user_id.into(),
            user_name: None,
            stream_id: stream_id.into(),
        }
    }

    /// Sets `UserName`.
    #[must_use]
    pub fn user_name(mut self, name: impl Into<String>) -> Self {
        self.user_name = Some(name.into());
        self
    }
}

/// `DescribeSimpleStreamList`: the streams of a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeSimpleStreamListRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
}

impl DescribeSimpleStreamListRequest {
    /// A request for a room's streams.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests: closing rooms, kicking users out

/// `CloseRoom`: remove every user from a room and close it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CloseRoomRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `CustomReason`: at most 256 bytes (optional). Give it as is: the client URL-encodes it.
    #[serde(rename = "CustomReason")]
    pub custom_reason: Option<String>,
    /// `RoomCloseCallback`: whether to generate the room-close callback (optional, `false` by
    /// default), sent as `true` or `false`.
    #[serde(rename = "RoomCloseCallback")]
    pub room_close_callback: Option<bool>,
}

impl CloseRoomRequest {
    /// A request to close a room, without a reason.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            custom_reason: None,
            room_close_callback: None,
        }
    }

    /// Sets `CustomReason`.
    #[must_use]
    pub fn custom_reason(mut self, reason: impl Into<String>) -> Self {
        self.custom_reason = Some(reason.into());
        self
    }

    /// Sets `RoomCloseCallback`.
    #[must_use]
    pub fn room_close_callback(mut self, on: bool) -> Self {
        self.room_close_callback = Some(on);
        self
    }
}

/// `KickoutUser`: kick up to 5 users out of a room, stopping their streams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KickoutUserRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `UserId[]`: the users (1 to 5).
    #[serde(rename = "UserId[]")]
    pub user_ids: Vec<String>,
    /// `CustomReason`: at most 256 bytes (optional). Give it as is: the client URL-encodes it.
    #[serde(rename = "CustomReason")]
    pub custom_reason: Option<String>,
}

impl KickoutUserRequest {
    /// A request to kick some users out of a room, without a reason.
    pub fn new<I, S>(room_id: impl Into<String>, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            room_id: room_id.into(),
            user_ids: strings(user_ids),
            custom_reason: None,
        }
    }

    /// Sets `CustomReason`.
    #[must_use]
    pub fn custom_reason(mut self, reason: impl Into<String>) -> Self {
        self.custom_reason = Some(reason.into());
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Requests: user ban rules

/// `SetForbidUserRule`: ban users, by IP, room, user or room and user, from logging in or
/// publishing, for a time. It takes effect at the user's next login or publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SetForbidUserRuleRequest {
    /// `RuleType`: what the rule bans by.
    #[serde(rename = "RuleType")]
    pub rule_type: ForbidRuleType,
    /// `IP`: required for [`ForbidRuleType::Ip`].
    #[serde(rename = "IP")]
    pub ip: Option<String>,
    /// `RoomId`: required for [`ForbidRuleType::Room`] and [`ForbidRuleType::RoomUser`].
    #[serde(rename = "RoomId")]
    pub room_id: Option<String>,
    /// `UserId`: required for [`ForbidRuleType::User`] and [`ForbidRuleType::RoomUser`].
    #[serde(rename = "UserId")]
    pub user_id: Option<String>,
    /// `DisabledPrivilege[]`: what the banned users may no longer do (at least one).
    #[serde(rename = "DisabledPrivilege[]")]
    pub disabled_privileges: Vec<DisabledPrivilege>,
    /// `EffectiveTime`: how long the rule lasts, in seconds (1 to 86400).
    #[serde(rename = "EffectiveTime")]
    pub effective_time: u64,
}

impl SetForbidUserRuleRequest {
    /// A rule of `rule_type`; set the `IP`, `RoomId` or `UserId` that type requires.
    pub fn new<I>(rule_type: ForbidRuleType, disabled_privileges: I, effective_time: u64) -> Self
    where
        I: IntoIterator<Item = DisabledPrivilege>,
    {
        Self {
            rule_type,
            ip: None,
            room_id: None,
            user_id: None,
            disabled_privileges: disabled_privileges.into_iter().collect(),
            effective_time,
        }
    }
}

/// `DescribeForbidUserRules`: the user ban rules of a type, expired ones included (until ZEGO
/// purges them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeForbidUserRulesRequest {
    /// `RuleType`: the type of the rules to list.
    #[serde(rename = "RuleType")]
    pub rule_type: ForbidRuleType,
}

impl DescribeForbidUserRulesRequest {
    /// A request for the rules of a type.
    pub fn new(rule_type: ForbidRuleType) -> Self {
        Self { rule_type }
    }
}

/// `DelForbidUserRule`: delete a user ban rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DelForbidUserRuleRequest {
    /// `RuleType`: the rule's type.
    #[serde(rename = "RuleType")]
    pub rule_type: ForbidRuleType,
    /// `IP`: required for [`ForbidRuleType::Ip`].
    #[serde(rename = "IP")]
    pub ip: Option<String>,
    /// `RoomId`: required for [`ForbidRuleType::Room`] and [`ForbidRuleType::RoomUser`].
    #[serde(rename = "RoomId")]
    pub room_id: Option<String>,
    /// `UserId`: required for [`ForbidRuleType::User`] and [`ForbidRuleType::RoomUser`].
    #[serde(rename = "UserId")]
    pub user_id: Option<String>,
}

impl DelForbidUserRuleRequest {
    /// A deletion of a rule of `rule_type`; set the `IP`, `RoomId` or `UserId` it was set with.
    pub fn new(rule_type: ForbidRuleType) -> Self {
        Self {
            rule_type,
            ip: None,
            room_id: None,
            user_id: None,
        }
    }
}

/// The setters of a user ban rule's key (`IP`, `RoomId`, `UserId`), which Set and Del share.
macro_rules! rule_key_setters {
    ($($request:ty),*) => {$(
        impl $request {
            /// Sets `IP`.
            #[must_use]
            pub fn ip(mut self, ip: impl Into<String>) -> Self {
                self.ip = Some(ip.into());
                self
            }

            /// Sets `RoomId`.
            #[must_use]
            pub fn room_id(mut self, room_id: impl Into<String>) -> Self {
                self.room_id = Some(room_id.into());
                self
            }

            /// Sets `UserId`.
            #[must_use]
            pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
                self.user_id = Some(user_id.into());
                self
            }
        }
    )*};
}

rule_key_setters!(SetForbidUserRuleRequest, DelForbidUserRuleRequest);

// ---------------------------------------------------------------------------------------------
// Requests: stream ban rules

/// `SetForbidStreamRule`: ban a stream's audio, video or both, for a time; the last call for a
/// stream prevails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SetForbidStreamRuleRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `StreamId`: at most 256 bytes.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
    /// `DisableAudio`: ban the audio, sent as `1` (or `0`); at least one of the two flags must be
    /// `1`.
    #[serde(rename = "DisableAudio", serialize_with = "zero_or_one")]
    pub disable_audio: Option<bool>,
    /// `DisableVideo`: ban the video, sent as `1` (or `0`).
    #[serde(rename = "DisableVideo", serialize_with = "zero_or_one")]
    pub disable_video: Option<bool>,
    /// `EffectiveTime`: how long the rule lasts, in seconds (1 to 86400, 21600 by default; more
    /// than a day is cut to a day).
    #[serde(rename = "EffectiveTime")]
    pub effective_time: Option<u64>,
}

impl SetForbidStreamRuleRequest {
    /// A rule for a stream of a room, with neither flag set yet: set at least one.
    pub fn new(room_id: impl Into<String>, stream_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            stream_id: stream_id.into(),
            disable_audio: None,
            disable_video: None,
            effective_time: None,
        }
    }

    /// Sets `DisableAudio`.
    #[must_use]
    pub fn disable_audio(mut self, on: bool) -> Self {
        self.disable_audio = Some(on);
        self
    }

    /// Sets `DisableVideo`.
    #[must_use]
    pub fn disable_video(mut self, on: bool) -> Self {
        self.disable_video = Some(on);
        self
    }

    /// Sets `EffectiveTime`, in seconds.
    #[must_use]
    pub fn effective_time(mut self, seconds: u64) -> Self {
        self.effective_time = Some(seconds);
        self
    }
}

/// `DescribeForbidStreamRules`: the ban rules of up to 10 streams of a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribeForbidStreamRulesRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `StreamId[]`: the streams (1 to 10).
    #[serde(rename = "StreamId[]")]
    pub stream_ids: Vec<String>,
}

impl DescribeForbidStreamRulesRequest {
    /// A request for some streams of a room.
    pub fn new<I, S>(room_id: impl Into<String>, stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            room_id: room_id.into(),
            stream_ids: strings(stream_ids),
        }
    }
}

/// `DelForbidStreamRule`: delete a stream's ban rule (no error when there is none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DelForbidStreamRuleRequest {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `StreamId`: at most 256 bytes.
    #[serde(rename = "StreamId")]
    pub stream_id: String,
}

impl DelForbidStreamRuleRequest {
    /// A deletion of a stream's rule.
    pub fn new(room_id: impl Into<String>, stream_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            stream_id: stream_id.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Data

/// Accepts a number, a string of digits or null (as 0): the pages document these values as
/// integers, and a lenient reading costs nothing.
pub(crate) fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(0),
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| serde::de::Error::custom(format!("expected an integer, found {n}"))),
        Value::String(s) if s.is_empty() => Ok(0),
        Value::String(s) => s
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("expected an integer, found {s:?}"))),
        other => Err(serde::de::Error::custom(format!(
            "expected an integer, found {other}"
        ))),
    }
}

/// [`lenient_i64`] for a list.
fn lenient_i64_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Item(#[serde(deserialize_with = "lenient_i64")] i64);
    let items: Option<Vec<Item>> = Option::deserialize(d)?;
    Ok(items.unwrap_or_default().into_iter().map(|i| i.0).collect())
}

/// `Data` of SendBroadcastMessage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BroadcastMessageId {
    /// `MessageId`: the broadcast's number (an integer here, unlike a barrage's).
    #[serde(rename = "MessageId", default, deserialize_with = "lenient_i64")]
    pub message_id: i64,
}

/// `Data` of SendBarrageMessage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BarrageMessageId {
    /// `MessageId`: the barrage message's id, a string such as `"1_1611647493487_29"`.
    #[serde(rename = "MessageId", default, deserialize_with = "lenient_string")]
    pub message_id: String,
}

/// `Data` of SendCustomCommand: the recipients it could not be delivered to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CustomCommandResult {
    /// `FailUsers`: the recipients that failed (empty when all succeeded).
    #[serde(rename = "FailUsers", default)]
    pub fail_users: Vec<FailUser>,
}

/// A recipient a custom command failed for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct FailUser {
    /// `Uid`: the user.
    #[serde(rename = "Uid", default, deserialize_with = "lenient_string")]
    pub uid: String,
    /// `Code`: why (50003: the user is not online).
    #[serde(rename = "Code", default, deserialize_with = "lenient_i64")]
    pub code: i64,
}

/// `Data` of DescribeUserNum: one count per requested room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserCounts {
    /// `UserCountList`: the rooms' counts.
    #[serde(rename = "UserCountList", default)]
    pub user_count_list: Vec<RoomUserCount>,
}

/// The number of users in a room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RoomUserCount {
    /// `RoomId`: the room.
    #[serde(rename = "RoomId", default, deserialize_with = "lenient_string")]
    pub room_id: String,
    /// `UserCount`: the users in the room, administrators included (0 when it does not exist).
    #[serde(rename = "UserCount", default, deserialize_with = "lenient_i64")]
    pub user_count: i64,
    /// `AdminUserCount`: the administrators among them (cloud recording, stream review).
    #[serde(rename = "AdminUserCount", default, deserialize_with = "lenient_i64")]
    pub admin_user_count: i64,
}

/// `Data` of DescribeUsers: one status per requested user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserStatuses {
    /// `UserStatusList`: the users' statuses.
    #[serde(rename = "UserStatusList", default)]
    pub user_status_list: Vec<UserStatus>,
}

/// Whether a user is in a room, and since when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserStatus {
    /// `UserId`: the user.
    #[serde(rename = "UserId", default, deserialize_with = "lenient_string")]
    pub user_id: String,
    /// `Status`: 1 in the room, 0 not.
    #[serde(rename = "Status", default, deserialize_with = "lenient_i64")]
    pub status: i64,
    /// `LoginTime`: when the user logged in to the room, Unix milliseconds.
    #[serde(rename = "LoginTime", default, deserialize_with = "lenient_i64")]
    pub login_time: i64,
    /// `UserRole`: 1 host, 2 audience, 4 administrator (meaningful with the LiveRoom service
    /// only).
    #[serde(rename = "UserRole", default, deserialize_with = "lenient_i64")]
    pub user_role: i64,
}

impl UserStatus {
    /// Whether the user is in the room (`Status` 1).
    pub fn is_in_room(&self) -> bool {
        self.status == 1
    }
}

/// `Data` of DescribeUserList: one page of a room's users.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserList {
    /// `Marker`: where the next page starts; empty when this page is the last.
    #[serde(rename = "Marker", default, deserialize_with = "lenient_string")]
    pub marker: String,
    /// `UserList`: the users of this page.
    #[serde(rename = "UserList", default)]
    pub user_list: Vec<RoomUser>,
}

/// A user in a room's user list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RoomUser {
    /// `UserId`: the user.
    #[serde(rename = "UserId", default, deserialize_with = "lenient_string")]
    pub user_id: String,
    /// `UserName`: the user's name.
    #[serde(rename = "UserName", default, deserialize_with = "lenient_string")]
    pub user_name: String,
    /// `UserRole`: 1 host, 2 audience, 4 administrator (meaningful with the LiveRoom service
    /// only).
    #[serde(rename = "UserRole", default, deserialize_with = "lenient_i64")]
    pub user_role: i64,
}

/// `Data` of DescribeSimpleStreamList: a room's streams.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct StreamList {
    /// `StreamList`: the streams.
    #[serde(rename = "StreamList", default)]
    pub stream_list: Vec<RoomStream>,
}

/// A stream in a room's stream list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RoomStream {
    /// `StreamId`: the stream.
    #[serde(rename = "StreamId", default, deserialize_with = "lenient_string")]
    pub stream_id: String,
    /// `UserId`: the user it is listed under.
    #[serde(rename = "UserId", default, deserialize_with = "lenient_string")]
    pub user_id: String,
    /// `UserName`: that user's name.
    #[serde(rename = "UserName", default, deserialize_with = "lenient_string")]
    pub user_name: String,
    /// `CreateTime`: when it was created (Unix milliseconds in the documented example).
    #[serde(rename = "CreateTime", default, deserialize_with = "lenient_i64")]
    pub create_time: i64,
    /// `StreamNumberId`: the stream's sequence number in the room.
    #[serde(rename = "StreamNumberId", default, deserialize_with = "lenient_i64")]
    pub stream_number_id: i64,
}

/// `Data` of SetForbidUserRule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbidUserRuleExpiry {
    /// `ExpireTime`: when the rule expires, Unix seconds.
    #[serde(rename = "ExpireTime", default, deserialize_with = "lenient_i64")]
    pub expire_time: i64,
}

/// `Data` of DescribeForbidUserRules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbidUserRules {
    /// `RuleList`: the rules, expired ones included (the list of those may be incomplete).
    #[serde(rename = "RuleList", default)]
    pub rule_list: Vec<ForbidUserRule>,
}

/// A user ban rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbidUserRule {
    /// `RuleType`: 1 by IP, 2 by room, 3 by user, 4 by room and user.
    #[serde(rename = "RuleType", default, deserialize_with = "lenient_i64")]
    pub rule_type: i64,
    /// `IP`: set for rules by IP, else empty.
    #[serde(rename = "IP", default, deserialize_with = "lenient_string")]
    pub ip: String,
    /// `RoomId`: set for rules by room, else empty.
    #[serde(rename = "RoomId", default, deserialize_with = "lenient_string")]
    pub room_id: String,
    /// `UserId`: set for rules by user, else empty.
    #[serde(rename = "UserId", default, deserialize_with = "lenient_string")]
    pub user_id: String,
    /// `DisabledPrivilegeList`: the privileges taken away, 1 login, 2 publishing.
    #[serde(
        rename = "DisabledPrivilegeList",
        default,
        deserialize_with = "lenient_i64_list"
    )]
    pub disabled_privilege_list: Vec<i64>,
    /// `ExpireTime`: when the rule expires, Unix seconds.
    #[serde(rename = "ExpireTime", default, deserialize_with = "lenient_i64")]
    pub expire_time: i64,
}

/// `Data` of DescribeForbidStreamRules: one entry per requested stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbidStreamRules {
    /// `RoomId`: the room queried.
    #[serde(rename = "RoomId", default, deserialize_with = "lenient_string")]
    pub room_id: String,
    /// `ForbidStreamRuleList`: the streams' rules.
    #[serde(rename = "ForbidStreamRuleList", default)]
    pub forbid_stream_rule_list: Vec<ForbidStreamRule>,
}

/// A stream's ban rule; every number is 0 when the stream has none (or does not exist).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ForbidStreamRule {
    /// `StreamId`: the stream.
    #[serde(rename = "StreamId", default, deserialize_with = "lenient_string")]
    pub stream_id: String,
    /// `DisableAudio`: 1 when its audio is banned.
    #[serde(rename = "DisableAudio", default, deserialize_with = "lenient_i64")]
    pub disable_audio: i64,
    /// `DisableVideo`: 1 when its video is banned.
    #[serde(rename = "DisableVideo", default, deserialize_with = "lenient_i64")]
    pub disable_video: i64,
    /// `CreateTime`: when the rule was set, Unix seconds.
    #[serde(rename = "CreateTime", default, deserialize_with = "lenient_i64")]
    pub create_time: i64,
    /// `EffectiveTime`: described as a Unix timestamp, but the documented example, 3600, reads
    /// as the rule's duration in seconds (the older SetForbidStreamRule example sets
    /// `EffectiveTime=3600`).
    #[serde(rename = "EffectiveTime", default, deserialize_with = "lenient_i64")]
    pub effective_time: i64,
}

impl ForbidStreamRule {
    /// Whether the stream has a rule at all (an unset one reads all zeros).
    pub fn is_set(&self) -> bool {
        self.disable_audio != 0 || self.disable_video != 0
    }
}

data_with_default!(
    BroadcastMessageId,
    BarrageMessageId,
    CustomCommandResult,
    UserCounts,
    UserStatuses,
    UserList,
    StreamList,
    ForbidUserRuleExpiry,
    ForbidUserRules,
    ForbidStreamRules
);
