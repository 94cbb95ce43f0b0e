//! The audio/video stream moderation actions (ZEGO's "Audio/Video Stream Moderation
//! Interfaces", the `moderation/` pages of the Server API): Shumei moderation of a room's audio
//! (StartCensorAudioV2, StopCensorAudioV2) or video and audio (StartCensorVideoV2,
//! StopCensorVideoV2), and tokens for third-party moderation services (GenerateIdentifyToken).
//!
//! Each action is a request type that serializes to the parameters its OpenAPI page documents
//! (names as on the wire, through serde) and a `Data` type, here, and one line in the table of
//! operations (`actions.rs`), which gives it its [`Client`](crate::Client) method.
//!
//! The four start and stop actions are `POST`s: the signed common parameters travel in the
//! query and the request as a JSON body with the page's field names, unset options left out
//! (never `null`). Documented `0`/`1` switches are `bool`s, sent as `0`/`1`. Risk and business
//! types are given as the pages' strings (`"POLITY"`, `"EROTIC"`, ...), since ZEGO's support
//! configures others. GenerateIdentifyToken is a `GET`. None takes a `Sequence`.
//!
//! The Shumei permissions are enabled in ZEGO's console (Cloud Market, Shumei Content
//! Moderation) before first use. A task ends by itself after about 5 minutes without a stream to
//! moderate. Results and status reach the console's callback URLs, or the task's own.
//!
//! Their codes are read in the [`Moderation`](crate::Family::Moderation) family (50006 and
//! 50007 HTTP request failed, 50009 moderation failed, 50117 Shumei permissions not enabled);
//! the pages refer to the room-signaling family for the common ones.

use crate::client::lenient_string;
use crate::mixing::setters;
use crate::room::{lenient_i64, zero_or_one};
use crate::wire::data_with_default;
use serde::{Deserialize, Serialize};

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

// ---------------------------------------------------------------------------------------------
// StartCensorAudioV2, StopCensorAudioV2

/// `StartCensorAudioV2`: start moderating the audio of a room's streams (each stream on its own,
/// or mixed into one). `RoomId`, `EventId`, `AudioLanguage` and `RiskTypeList` are required (the
/// page: at least one of `RiskTypeList` and `BusinessTypeList` must not be empty); everything
/// else is left out of the body unless set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StartCensorAudioV2Request {
    /// `RoomId`: the room whose streams are moderated (every stream whose publisher allows
    /// moderation).
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `EventId`: the scenario, such as `live_streaming`, `audio_room` or `private_chat`.
    #[serde(rename = "EventId")]
    pub event_id: String,
    /// `ResultCallbackUrl`: this task's own address for results (else the console's).
    #[serde(rename = "ResultCallbackUrl")]
    pub result_callback_url: Option<String>,
    /// `StatusCallbackUrl`: this task's own address for status (else the console's).
    #[serde(rename = "StatusCallbackUrl")]
    pub status_callback_url: Option<String>,
    /// `IsMixingEnabled` (0/1): mix the room's audio into one stream to moderate (cheaper, but
    /// the offending stream is harder to identify).
    #[serde(rename = "IsMixingEnabled", serialize_with = "zero_or_one")]
    pub is_mixing_enabled: Option<bool>,
    /// `AudioLanguage`: the audio's language (`zh`, `en`, `ja`, `ko`, `ar`, ... as the page
    /// lists).
    #[serde(rename = "AudioLanguage")]
    pub audio_language: String,
    /// `RiskTypeList`: risks to detect (`ADLAW`, `EROTIC`, `DIRTY`, `POLITY`, `BAN`, `VIOLENT`,
    /// `ADVERT`; `MOAN`, `ANTHEN`, `BANDAUDIO`, `AUDIOPOLITICAL`). Always sent.
    #[serde(rename = "RiskTypeList")]
    pub risk_type_list: Vec<String>,
    /// `BusinessTypeList`: business categories to recognise (`MOINIR`; `SING`, `LANGUAGE`,
    /// `VOICE`).
    #[serde(rename = "BusinessTypeList")]
    pub business_type_list: Option<Vec<String>>,
    /// `LabelLanguage`: the language of the labels in callbacks, `zh` or `en`.
    #[serde(rename = "LabelLanguage")]
    pub label_language: Option<String>,
    /// `ReturnAllText` (0/1): return the text of every 10 s segment, not only the risky ones.
    #[serde(rename = "ReturnAllText", serialize_with = "zero_or_one")]
    pub return_all_text: Option<bool>,
    /// `ReturnPreText` (0/1): also return the text of the segment before a violating one.
    #[serde(rename = "ReturnPreText", serialize_with = "zero_or_one")]
    pub return_pre_text: Option<bool>,
    /// `ReturnPreAudio` (0/1): also return the audio link of the segment before a violating
    /// one.
    #[serde(rename = "ReturnPreAudio", serialize_with = "zero_or_one")]
    pub return_pre_audio: Option<bool>,
    /// `ReturnFinishInfo` (0/1): send a "moderation task status" callback when the task ends.
    #[serde(rename = "ReturnFinishInfo", serialize_with = "zero_or_one")]
    pub return_finish_info: Option<bool>,
}

impl StartCensorAudioV2Request {
    /// Moderation of a room's audio in a scenario and a language, for some risk types.
    pub fn new<I, S>(
        room_id: impl Into<String>,
        event_id: impl Into<String>,
        audio_language: impl Into<String>,
        risk_type_list: I,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            room_id: room_id.into(),
            event_id: event_id.into(),
            result_callback_url: None,
            status_callback_url: None,
            is_mixing_enabled: None,
            audio_language: audio_language.into(),
            risk_type_list: strings(risk_type_list),
            business_type_list: None,
            label_language: None,
            return_all_text: None,
            return_pre_text: None,
            return_pre_audio: None,
            return_finish_info: None,
        }
    }

    /// Sets `BusinessTypeList`.
    #[must_use]
    pub fn business_type_list<I, S>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.business_type_list = Some(strings(types));
        self
    }
}

setters!(StartCensorAudioV2Request {
    /// Sets `ResultCallbackUrl` (empty: the console's address).
    result_callback_url: impl Into<String>;
    /// Sets `StatusCallbackUrl` (empty: the console's address).
    status_callback_url: impl Into<String>;
    /// Sets `IsMixingEnabled`.
    is_mixing_enabled: bool;
    /// Sets `LabelLanguage` (`zh` or `en`).
    label_language: impl Into<String>;
    /// Sets `ReturnAllText`.
    return_all_text: bool;
    /// Sets `ReturnPreText`.
    return_pre_text: bool;
    /// Sets `ReturnPreAudio`.
    return_pre_audio: bool;
    /// Sets `ReturnFinishInfo`.
    return_finish_info: bool;
});

/// `StopCensorAudioV2`: stop an audio moderation task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StopCensorAudioV2Request {
    /// `TaskId`: as StartCensorAudioV2 answered it.
    #[serde(rename = "TaskId")]
    pub task_id: String,
}

impl StopCensorAudioV2Request {
    /// A stop of a task.
    pub fn new(task_id: impl Into<String>) -> Self {
        Self {
            task_id: task_id.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// StartCensorVideoV2, StopCensorVideoV2

/// `AudioParam` of StartCensorVideoV2: how the room's audio is moderated along with its video.
/// Left unset, or with both lists empty, only video is moderated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CensorAudioParam {
    /// `RiskTypeList`: risks to detect (`EROTIC`, `DIRTY`, `POLITY`, `BAN`, `VIOLENT`,
    /// `ADVERT`; `MOAN`, `ANTHEN`, `BANEDAUDIO`).
    #[serde(rename = "RiskTypeList")]
    pub risk_type_list: Option<Vec<String>>,
    /// `BusinessTypeList`: business categories (`MOINIR`; `SING`, `LANGUAGE`, `VOICE`).
    #[serde(rename = "BusinessTypeList")]
    pub business_type_list: Option<Vec<String>>,
    /// `AudioLanguage`: deprecated by the page in favour of the request's `Language`.
    #[serde(rename = "AudioLanguage")]
    pub audio_language: Option<String>,
    /// `ReturnAllText` (0/1): return the text of every 10 s segment.
    #[serde(rename = "ReturnAllText", serialize_with = "zero_or_one")]
    pub return_all_text: Option<bool>,
    /// `ReturnPreText` (0/1): also return the text of the segment before a violating one.
    #[serde(rename = "ReturnPreText", serialize_with = "zero_or_one")]
    pub return_pre_text: Option<bool>,
    /// `ReturnPreAudio` (0/1): also return the audio link of the segment before a violating
    /// one.
    #[serde(rename = "ReturnPreAudio", serialize_with = "zero_or_one")]
    pub return_pre_audio: Option<bool>,
    /// `ResultCallbackUrl`: this task's own address for audio results.
    #[serde(rename = "ResultCallbackUrl")]
    pub result_callback_url: Option<String>,
    /// `StatusCallbackUrl`: this task's own address for audio status.
    #[serde(rename = "StatusCallbackUrl")]
    pub status_callback_url: Option<String>,
}

impl CensorAudioParam {
    /// Audio moderation for some risk types.
    pub fn risk_types<I, S>(risk_type_list: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            risk_type_list: Some(strings(risk_type_list)),
            ..Self::default()
        }
    }

    /// Sets `BusinessTypeList`.
    #[must_use]
    pub fn business_type_list<I, S>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.business_type_list = Some(strings(types));
        self
    }
}

setters!(CensorAudioParam {
    /// Sets the deprecated `AudioLanguage` (prefer the request's `Language`).
    audio_language: impl Into<String>;
    /// Sets `ReturnAllText`.
    return_all_text: bool;
    /// Sets `ReturnPreText`.
    return_pre_text: bool;
    /// Sets `ReturnPreAudio`.
    return_pre_audio: bool;
    /// Sets `ResultCallbackUrl` (empty: the console's address).
    result_callback_url: impl Into<String>;
    /// Sets `StatusCallbackUrl` (empty: the console's address).
    status_callback_url: impl Into<String>;
});

/// `VideoParam` of StartCensorVideoV2: how the room's video is moderated. At least one of the
/// two lists must not be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CensorVideoParam {
    /// `RiskTypeList`: risks to detect (`IMGTEXTRISK`; `POLITY`, `EROTIC`, `VIOLENT`, `QRCODE`,
    /// `ADVERT`).
    #[serde(rename = "RiskTypeList")]
    pub risk_type_list: Option<Vec<String>>,
    /// `BusinessTypeList`: business categories (`AGE`, `PHOTOMATERIALLOGO`; `FACEDETECTION`,
    /// `BEAUTY`).
    #[serde(rename = "BusinessTypeList")]
    pub business_type_list: Option<Vec<String>>,
    /// `ReturnAllImg` (0/1): return the frames of every risk level, not only the risky ones
    /// (the page recommends 1).
    #[serde(rename = "ReturnAllImg", serialize_with = "zero_or_one")]
    pub return_all_img: Option<bool>,
    /// `DetectFrequency`: seconds between captured frames, (0, 60], default 3.
    #[serde(rename = "DetectFrequency")]
    pub detect_frequency: Option<u32>,
    /// `ResultCallbackUrl`: this task's own address for video results.
    #[serde(rename = "ResultCallbackUrl")]
    pub result_callback_url: Option<String>,
    /// `StatusCallbackUrl`: this task's own address for video status.
    #[serde(rename = "StatusCallbackUrl")]
    pub status_callback_url: Option<String>,
}

impl CensorVideoParam {
    /// Video moderation for some risk types.
    pub fn risk_types<I, S>(risk_type_list: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            risk_type_list: Some(strings(risk_type_list)),
            ..Self::default()
        }
    }

    /// Sets `BusinessTypeList`.
    #[must_use]
    pub fn business_type_list<I, S>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.business_type_list = Some(strings(types));
        self
    }
}

setters!(CensorVideoParam {
    /// Sets `ReturnAllImg`.
    return_all_img: bool;
    /// Sets `DetectFrequency`, in seconds.
    detect_frequency: u32;
    /// Sets `ResultCallbackUrl` (empty: the console's address).
    result_callback_url: impl Into<String>;
    /// Sets `StatusCallbackUrl` (empty: the console's address).
    status_callback_url: impl Into<String>;
});

/// `StartCensorVideoV2`: start moderating the video (and, with `AudioParam`, the audio) of a
/// room's streams. `RoomId`, `EventId` and `VideoParam` are required; everything else is left
/// out of the body unless set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StartCensorVideoV2Request {
    /// `RoomId`: the room whose streams are moderated.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `EventId`: the scenario, such as `live_streaming` or `private_chat`.
    #[serde(rename = "EventId")]
    pub event_id: String,
    /// `Language`: of the text in frames and audio segments (`zh`, the default, `en`, ...).
    #[serde(rename = "Language")]
    pub language: Option<String>,
    /// `AudioParam`: audio moderation; unset, audio is not moderated.
    #[serde(rename = "AudioParam")]
    pub audio_param: Option<CensorAudioParam>,
    /// `VideoParam`: video moderation.
    #[serde(rename = "VideoParam")]
    pub video_param: CensorVideoParam,
    /// `ReturnFinishInfo` (0/1): send a "moderation task status" callback when the task ends.
    #[serde(rename = "ReturnFinishInfo", serialize_with = "zero_or_one")]
    pub return_finish_info: Option<bool>,
}

impl StartCensorVideoV2Request {
    /// Moderation of a room's video in a scenario.
    pub fn new(
        room_id: impl Into<String>,
        event_id: impl Into<String>,
        video_param: CensorVideoParam,
    ) -> Self {
        Self {
            room_id: room_id.into(),
            event_id: event_id.into(),
            language: None,
            audio_param: None,
            video_param,
            return_finish_info: None,
        }
    }
}

setters!(StartCensorVideoV2Request {
    /// Sets `Language`.
    language: impl Into<String>;
    /// Sets `AudioParam`, moderating the audio too.
    audio_param: CensorAudioParam;
    /// Sets `ReturnFinishInfo`.
    return_finish_info: bool;
});

/// `StopCensorVideoV2`: stop a video moderation task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StopCensorVideoV2Request {
    /// `TaskId`: as StartCensorVideoV2 answered it.
    #[serde(rename = "TaskId")]
    pub task_id: String,
}

impl StopCensorVideoV2Request {
    /// A stop of a task.
    pub fn new(task_id: impl Into<String>) -> Self {
        Self {
            task_id: task_id.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// GenerateIdentifyToken

/// `GenerateIdentifyToken`: a token that a third-party moderation service (ShuMei, NetEase
/// Yidun, TuPu, YiTu, Volcengine) presents to pull the app's streams. Each token serves one
/// moderation request: generate a new one for each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GenerateIdentifyTokenRequest {
    /// `EffectiveTime`: the token's validity in seconds, default 3600, at most 30 days
    /// (2592000).
    #[serde(rename = "EffectiveTime")]
    pub effective_time: Option<i64>,
}

impl GenerateIdentifyTokenRequest {
    /// A token with the default validity (3600 s).
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(GenerateIdentifyTokenRequest {
    /// Sets `EffectiveTime`, in seconds.
    effective_time: i64;
});

// ---------------------------------------------------------------------------------------------
// Data

/// `Data` of StartCensorAudioV2 and StartCensorVideoV2.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CensorTask {
    /// `TaskId`: the moderation task's id, to stop it with.
    #[serde(rename = "TaskId", default, deserialize_with = "lenient_string")]
    pub task_id: String,
}

/// `Data` of GenerateIdentifyToken.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct IdentifyToken {
    /// `IdentifyToken`: the token, for one moderation request.
    #[serde(rename = "IdentifyToken", default, deserialize_with = "lenient_string")]
    pub identify_token: String,
    /// `RemainTime`: the token's validity in seconds (moderation started within it is not cut
    /// off when it runs out).
    #[serde(rename = "RemainTime", default, deserialize_with = "lenient_i64")]
    pub remain_time: i64,
}

data_with_default!(CensorTask, IdentifyToken);
