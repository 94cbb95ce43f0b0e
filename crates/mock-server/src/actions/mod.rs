//! The registry of actions: one line per action, from which the [`Action`] enum, [`Action::ALL`],
//! the wire-name lookup, each action's spec and the exhaustive dispatch all come.
//!
//! An action lives in its family's module (`actions/<family>/<topic>.rs`) as two items: its
//! [`ActionSpec`] (a `const`: wire name, family, method, success message, legacy codes,
//! parameters, quotas, Sequence rule) and its handler, `fn(&mut Ctx) -> Result<Reply, Refusal>`,
//! which runs once every declared check has passed. Adding an action is those two items and one
//! line in [`registry!`]'s invocation below; the compiler then requires nothing else, and the
//! registry test checks the other lists that name actions.

pub(crate) mod media;
pub(crate) mod media_file;
pub(crate) mod mixing;
pub(crate) mod moderation;
pub(crate) mod room;
pub(crate) mod scene;

use crate::config::Env;
use crate::query::Params;
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Args};
use crate::state::{EnvState, Features};
use serde_json::Value;

/// Brings one app's state in one environment up to `now_millis`: whatever the mock's clock says
/// has happened by then (an idle mix task ending, a recording segment closing, a media task
/// finishing, an idle censor task ending) happens, in order,
/// before a request or a control-plane call reads or changes the state.
#[inline]
pub(crate) fn tick(state: &mut EnvState, app_id: u32, now_millis: i64) {
    mixing::tick(state, app_id, now_millis);
    media_file::tick(state, app_id, now_millis);
    moderation::tick(state, now_millis);
}

/// Declares every action: `Variant => SPEC, handler;` with the variant's doc comment above it.
/// The variant's name is the wire name (a unit test checks it equals the spec's `name`).
macro_rules! registry {
    ($( $(#[$doc:meta])* $variant:ident => $spec:path, $handler:path; )*) => {
        /// An action of the ZEGO Server API, by its wire name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(clippy::enum_variant_names)]
        pub enum Action {
            $( $(#[$doc])* $variant, )*
        }

        impl Action {
            /// Every action the mock serves, in registry order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The documented facts of the action (the mock's own table; not an interface).
            #[doc(hidden)]
            pub fn spec(self) -> &'static ActionSpec {
                match self {
                    $( Action::$variant => &$spec, )*
                }
            }

            /// The action with this wire name (case-sensitive, as ZEGO's are).
            pub fn from_wire(name: &str) -> Option<Self> {
                match name {
                    $( stringify!($variant) => Some(Action::$variant), )*
                    _ => None,
                }
            }

            /// Runs the action's handler.
            pub(crate) fn execute(self, ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
                match self {
                    $( Action::$variant => $handler(ctx), )*
                }
            }
        }
    };
}

registry! {
    /// `CreatCDNTransferRule` (sic): start relaying a stream to a CDN address.
    CreatCDNTransferRule => media::cdn_relay::CREAT, media::cdn_relay::creat;
    /// `DeleteCDNTransferRule`: stop relaying a stream to a CDN address.
    DeleteCDNTransferRule => media::cdn_relay::DELETE, media::cdn_relay::delete;
    /// `ClearCDNTransferRule`: clear the app's pending relay rules.
    ClearCDNTransferRule => media::cdn_relay::CLEAR, media::cdn_relay::clear;
    /// `ForbidCDNLiveStream`: ban publishing a stream to the CDN.
    ForbidCDNLiveStream => media::cdn_live::FORBID, media::cdn_live::forbid;
    /// `ResumeCDNLiveStream`: lift a ban on publishing a stream to the CDN.
    ResumeCDNLiveStream => media::cdn_live::RESUME, media::cdn_live::resume;
    /// `QueryForbidCDNLiveStream`: list the CDN publishing bans.
    QueryForbidCDNLiveStream => media::cdn_live::QUERY, media::cdn_live::query;
    /// `ForbidRTCStream`: forbid a stream from publishing to RTC.
    ForbidRTCStream => media::rtc_stream::FORBID_ONE, media::rtc_stream::forbid;
    /// `ResumeRTCStream`: allow a forbidden stream to publish again.
    ResumeRTCStream => media::rtc_stream::RESUME_ONE, media::rtc_stream::resume;
    /// `ForbidRTCStreams`: forbid up to 20 streams at once.
    ForbidRTCStreams => media::rtc_stream::FORBID_MANY, media::rtc_stream::forbid;
    /// `ResumeRTCStreams`: allow up to 20 streams at once.
    ResumeRTCStreams => media::rtc_stream::RESUME_MANY, media::rtc_stream::resume;
    /// `DescribeRTCStreamState`: whether a stream is live or closed.
    DescribeRTCStreamState => media::rtc_stream::DESCRIBE, media::rtc_stream::describe;
    /// `RTMPDispatchV2`: the RTMP node to publish to or play from, as a URL.
    RTMPDispatchV2 => media::dispatch::V2, media::dispatch::dispatch;
    /// `RTMPDispatch`: the legacy form of `RTMPDispatchV2`, answering `IP:Port`.
    RTMPDispatch => media::dispatch::V1, media::dispatch::dispatch;
    /// `SendBroadcastMessage`: a text message to everyone in a room.
    SendBroadcastMessage => room::messages::BROADCAST, room::messages::broadcast;
    /// `SendBarrageMessage`: a barrage (bullet-screen) message to everyone in a room.
    SendBarrageMessage => room::messages::BARRAGE, room::messages::barrage;
    /// `SendCustomCommand`: a signaling message to some users of a room, or all.
    SendCustomCommand => room::messages::CUSTOM, room::messages::custom;
    /// `DescribeUserNum`: how many users are in up to 10 rooms.
    DescribeUserNum => room::users::USER_NUM, room::users::user_num;
    /// `DescribeUsers`: whether up to 10 users are in a room, with role and login time.
    DescribeUsers => room::users::USERS, room::users::users;
    /// `DescribeUserList`: a room's users, a page at a time.
    DescribeUserList => room::users::USER_LIST, room::users::user_list;
    /// `AddStream`: add a stream to a room's list (notification only).
    AddStream => room::streams::ADD, room::streams::add;
    /// `DeleteStream`: remove a stream from a room's list (notification only).
    DeleteStream => room::streams::DELETE, room::streams::delete;
    /// `DescribeSimpleStreamList`: a room's streams.
    DescribeSimpleStreamList => room::streams::LIST, room::streams::list;
    /// `CloseRoom`: remove every user and close the room.
    CloseRoom => room::users::CLOSE, room::users::close;
    /// `KickoutUser`: remove up to 5 users from a room.
    KickoutUser => room::users::KICKOUT, room::users::kickout;
    /// `SetForbidUserRule`: ban logging in or publishing, by IP, room, user or both.
    SetForbidUserRule => room::rules::SET_USER, room::rules::set_user;
    /// `DescribeForbidUserRules`: the user ban rules of a RuleType.
    DescribeForbidUserRules => room::rules::DESCRIBE_USER, room::rules::describe_user;
    /// `DelForbidUserRule`: delete a user ban rule.
    DelForbidUserRule => room::rules::DEL_USER, room::rules::del_user;
    /// `SetForbidStreamRule`: ban a stream's audio or video in a room.
    SetForbidStreamRule => room::rules::SET_STREAM, room::rules::set_stream;
    /// `DescribeForbidStreamRules`: the stream ban rules of up to 10 streams.
    DescribeForbidStreamRules => room::rules::DESCRIBE_STREAM, room::rules::describe_stream;
    /// `DelForbidStreamRule`: delete a stream ban rule.
    DelForbidStreamRule => room::rules::DEL_STREAM, room::rules::del_stream;
    /// `StartMix`: start or update a stream-mixing task (POST, JSON body).
    StartMix => mixing::mix::START, mixing::mix::start;
    /// `StopMix`: stop a stream-mixing task (POST, JSON body).
    StopMix => mixing::mix::STOP, mixing::mix::stop;
    /// `GetMixTaskInfo`: how long a running stream-mixing task has run.
    GetMixTaskInfo => mixing::mix::INFO, mixing::mix::info;
    /// `StartAutoMix`: mix every stream of a room (POST, JSON body).
    StartAutoMix => mixing::auto::START, mixing::auto::start;
    /// `StopAutoMix`: stop an auto-mix task (POST, JSON body).
    StopAutoMix => mixing::auto::STOP, mixing::auto::stop;
    /// `StartCloudTranscode`: transcode one stream into others (POST, JSON body).
    StartCloudTranscode => mixing::transcode::START, mixing::transcode::start;
    /// `StopCloudTranscode`: stop a transcode task (POST, JSON body).
    StopCloudTranscode => mixing::transcode::STOP, mixing::transcode::stop;
    /// `StartCDNRecord`: start recording streams on the app's CDN.
    StartCDNRecord => media_file::record::START, media_file::record::start;
    /// `StopCDNRecord`: stop recording streams; open segments become files.
    StopCDNRecord => media_file::record::STOP, media_file::record::stop;
    /// `SearchMedia`: list the app's media files (Tencent pages, Ws/Huawei keys).
    SearchMedia => media_file::files::SEARCH, media_file::files::search;
    /// `DeleteMedia`: delete media files, or some of their transcodes.
    DeleteMedia => media_file::files::DELETE, media_file::files::delete;
    /// `MergeMedia`: merge (optionally cropped) media files into one.
    MergeMedia => media_file::tasks::MERGE, media_file::tasks::merge;
    /// `DescribeMediaTask`: the status of a merge, transcode or thumbnail task.
    DescribeMediaTask => media_file::tasks::DESCRIBE, media_file::tasks::describe;
    /// `TranscodeMedia`: transcode a media file on demand to 360p, 540p or 720p.
    TranscodeMedia => media_file::tasks::TRANSCODE, media_file::tasks::transcode;
    /// `MediaThumbnails`: take screenshots of a media file at offsets or intervals.
    MediaThumbnails => media_file::tasks::THUMBNAILS, media_file::tasks::thumbnails;
    /// `StartCensorAudioV2`: moderate a room's audio streams (POST, JSON body).
    StartCensorAudioV2 => moderation::censor::START_AUDIO, moderation::censor::start_audio;
    /// `StopCensorAudioV2`: end an audio moderation task (POST, JSON body).
    StopCensorAudioV2 => moderation::censor::STOP_AUDIO, moderation::censor::stop_audio;
    /// `StartCensorVideoV2`: moderate a room's video (and audio) streams (POST, JSON body).
    StartCensorVideoV2 => moderation::censor::START_VIDEO, moderation::censor::start_video;
    /// `StopCensorVideoV2`: end a video moderation task (POST, JSON body).
    StopCensorVideoV2 => moderation::censor::STOP_VIDEO, moderation::censor::stop_video;
    /// `GenerateIdentifyToken`: a one-use token for a third-party moderation vendor.
    GenerateIdentifyToken => moderation::token::GENERATE, moderation::token::generate;
    /// `SetSceneTemplate`: create a scene template (a discontinued service, off by default).
    SetSceneTemplate => scene::SET_TEMPLATE, scene::set_template;
}

impl Action {
    /// The wire name (`Action=` value).
    pub fn wire_name(self) -> &'static str {
        self.spec().name
    }

    /// The action whose wire name is closest to `name`, for a hint when `name` is none: the
    /// same name in another case, or the nearest by edit distance (at most a quarter of the
    /// name's length, and at least 2), such as `CreatCDNTransferRule` for
    /// `CreateCDNTransferRule`.
    ///
    /// ```
    /// use zego_mock::Action;
    /// assert_eq!(Action::nearest("CreateCDNTransferRule"), Some(Action::CreatCDNTransferRule));
    /// assert_eq!(Action::nearest("describeusernum"), Some(Action::DescribeUserNum));
    /// assert_eq!(Action::nearest("Hello"), None);
    /// ```
    pub fn nearest(name: &str) -> Option<Action> {
        if name.len() > 64 {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        if let Some(&a) = Action::ALL
            .iter()
            .find(|a| a.wire_name().eq_ignore_ascii_case(name))
        {
            return Some(a);
        }
        let limit = (name.len() / 4).max(2);
        Action::ALL
            .iter()
            .map(|&a| {
                (
                    edit_distance(&lower, &a.wire_name().to_ascii_lowercase()),
                    a,
                )
            })
            .filter(|&(d, _)| d <= limit)
            .min_by_key(|&(d, _)| d)
            .map(|(_, a)| a)
    }
}

/// The Levenshtein distance between two strings, by bytes.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

impl serde::Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.wire_name())
    }
}

impl<'de> serde::Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Action::from_wire(&name).ok_or_else(|| {
            let hint = Action::nearest(&name)
                .map(|a| format!("; did you mean {:?}?", a.wire_name()))
                .unwrap_or_default();
            serde::de::Error::custom(format!("{name:?} is not an action ZEGO documents{hint}"))
        })
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// What a handler gets: who asks, when, the checked parameters, and the state of the app's
/// environment.
pub(crate) struct Ctx<'r, 'a> {
    /// The action being run.
    pub action: Action,
    /// The AppId.
    pub app_id: u32,
    /// The environment.
    #[allow(dead_code)] // read by handlers whose answers depend on who asks
    pub env: Env,
    /// The mock's time, in Unix milliseconds.
    pub now_millis: i64,
    /// The parameters, checked against the action's spec.
    pub args: &'r Args<'a>,
    /// The state of the app in that environment.
    pub state: &'r mut EnvState,
    /// The app's features.
    pub features: Features,
    /// The JSON body of an action called with POST (an object), when it has one.
    pub body: Option<&'r Value>,
    /// The whole decoded query, for parameter shapes no `Kind` covers (indexed-dot arrays).
    pub query: &'r Params<'a>,
    /// The Sequence rule's subject when the request named exactly one (a StreamId), with its
    /// keyed hash (the process's key, as every keyed store uses): a handler that looks the same
    /// value up by hash reuses it instead of hashing it again.
    pub subject_hash: Option<(&'a str, u64)>,
}

impl Ctx<'_, '_> {
    /// The mock's time, in Unix seconds.
    pub fn now_secs(&self) -> i64 {
        self.now_millis.div_euclid(1000)
    }
}

/// What an action answers in `Data`.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// `"Data": null`.
    Null,
    /// No `Data` field at all.
    Absent,
    /// `"Data": <value>`.
    Value(Value),
    /// `"Data": <text>`: a fixed answer already written as JSON (exactly as `serde_json` writes
    /// the value it stands for), copied as it is.
    Json(&'static str),
    /// `"Data": <bytes>`: an answer the action wrote as JSON (exactly as `serde_json` writes the
    /// value it stands for), copied as it is.
    Written(Vec<u8>),
}

/// The business answer of an executed request: a code of the action's family (0 for success)
/// and its `Data`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The `Code`.
    pub code: i64,
    /// The `Data`.
    pub data: Data,
}

impl Reply {
    /// Success with the given `Data`.
    pub fn ok(data: Data) -> Self {
        Self { code: 0, data }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{self, Family};
    use crate::spec::{Kind, Scope};

    #[test]
    fn wire_names_are_the_variant_names_and_round_trip() {
        for &a in Action::ALL {
            assert_eq!(
                format!("{a:?}"),
                a.spec().name,
                "spec name differs from its variant"
            );
            assert_eq!(Action::from_wire(a.wire_name()), Some(a));
        }
        assert_eq!(Action::from_wire("creatcdntransferrule"), None);
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.wire_name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            Action::ALL.len(),
            "two actions share a wire name"
        );
    }

    #[test]
    fn every_code_an_action_can_answer_is_documented_in_its_family() {
        for &a in Action::ALL {
            let s = a.spec();
            let mut answered = vec![s.parameter_code];
            answered.extend(s.legacy.auth);
            answered.extend(s.legacy.timestamp);
            answered.extend(s.quotas.iter().map(|q| q.code));
            answered.extend(s.sequence.map(|r| r.code));
            for p in s.params {
                answered.extend([p.missing_code, p.invalid_code, p.too_long_code]);
            }
            for code in answered {
                assert!(
                    codes::lookup(s.family, code).is_some(),
                    "{a}: code {code} missing from fixtures/return-codes.json"
                );
            }
        }
    }

    #[test]
    fn specs_are_consistent() {
        for &a in Action::ALL {
            let s = a.spec();
            assert!(s.app_quota().is_some(), "{a} has no app quota");
            for q in s.quotas {
                assert!(
                    q.window_secs >= 1 && q.production >= 1 && q.test >= 1,
                    "{a}"
                );
                if let Scope::Room(room) = q.scope {
                    assert!(
                        s.param(room).is_some(),
                        "{a}: room quota on an undeclared {room}"
                    );
                }
            }
            if let Some(rule) = s.sequence {
                assert!(
                    matches!(s.param(rule.param).map(|p| p.kind), Some(Kind::Sequence)),
                    "{a}: the Sequence rule names no Sequence parameter"
                );
                assert!(s.param(rule.subject).is_some(), "{a}: no subject parameter");
            }
            let mut names: Vec<_> = s.params.iter().map(|p| p.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                s.params.len(),
                "{a}: a parameter is declared twice"
            );
            assert!(s.doc.ends_with(".yaml"), "{a}: {}", s.doc);
            assert_ne!(s.family, Family::Gateway, "{a}");
        }
    }
}
