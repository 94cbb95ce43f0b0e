//! Audio/video stream moderation (`api-reference/moderation/`): StartCensorAudioV2,
//! StopCensorAudioV2, StartCensorVideoV2 and StopCensorVideoV2 (POST, common parameters in the
//! query, business parameters as a JSON body) and GenerateIdentifyToken (GET), transcribed from
//! each page.
//!
//! The moderation table of `return-codes.mdx` lists only 50006/50007 HTTP request failed, 50009
//! Moderation failed and 50117 ShuMei permission not enabled, and points to the room family for
//! the common codes: a parameter error answering 2, a throttled request 206 and an invalid
//! `IsTest` 2 are the mock's choices after that pointer (SPEC-rest-callbacks.md §0.2, ★30). So
//! every generated parameter case of the family checks a choice. A body that is not a JSON object
//! answers 2 (§0.2, check order step 6).
//!
//! Every page's limit is "For all rooms under the same AppID: 100 times/second", no test figure:
//! the test environment has the same figure on its own counter (§1), so no case checks a separate
//! test limit. No page documents a `zegotest-` prefix, a Sequence or a legacy code.
//!
//! Left out of the generated cases, and why: `RiskTypeList` and `BusinessTypeList` are each
//! optional as long as the other is not empty ("At least one of RiskTypeList and
//! BusinessTypeList must not be empty"; the audio schema's `required` and `minItems` on
//! RiskTypeList yield to that text, ★8), so leaving one out is right or wrong by the other: flows
//! check the rule. The deprecated `AudioParam.AudioLanguage` of StartCensorVideoV2, whose bad
//! value the spec does not decide, gets no case.

use super::{ActionDoc, Codes, DataShape, Failure, Family, Kind, Method, Param, RateLimit, Where};

/// Input parameter error (the room family's, by the table's pointer).
pub const PARAMETER_ERROR: i64 = 2;
/// App request QPS too high (the room family's, by the table's pointer).
pub const THROTTLED: i64 = 206;
/// Configuration error, ShuMei permissions not enabled.
pub const PERMISSION_OFF: i64 = 50_117;
/// GenerateIdentifyToken's `EffectiveTime`: "maximum cannot exceed 30 days (i.e., the value
/// cannot exceed 60 * 60 * 24 * 30)".
pub const EFFECTIVE_TIME_MAX: i64 = 60 * 60 * 24 * 30;
/// GenerateIdentifyToken's `EffectiveTime` when absent: "default is 3600 seconds".
pub const EFFECTIVE_TIME_DEFAULT: i64 = 3600;
/// `VideoParam.DetectFrequency`: "Value range: (0,60]".
pub const DETECT_FREQUENCY_MAX: i64 = 60;

/// `AudioLanguage`'s enum (StartCensorAudioV2).
pub const AUDIO_LANGUAGES: &[&str] = &[
    "zh", "ja", "ko", "th", "vi", "ms", "tl", "id", "hi", "ar", "tr", "en", "es", "pt", "it", "fr",
    "de", "ru",
];
/// `Language`'s enum (StartCensorVideoV2): the same languages in another order.
pub const VIDEO_LANGUAGES: &[&str] = &[
    "zh", "en", "ar", "hi", "es", "fr", "ru", "pt", "id", "de", "ja", "tr", "vi", "it", "th", "tl",
    "ko", "ms",
];

/// Every failure the generator makes of a body field of `kind` ([`Param::failures`]): the
/// family's codes are all choices.
const fn every_failure(kind: Kind, required: bool) -> &'static [Failure] {
    match (kind, required) {
        (Kind::Opaque, _) => &[],
        (Kind::Enum(_) | Kind::IntEnum(_), true) => &[
            Failure::Missing,
            Failure::Empty,
            Failure::Malformed,
            Failure::WrongType,
        ],
        (Kind::Enum(_) | Kind::IntEnum(_), false) => &[Failure::Malformed, Failure::WrongType],
        (Kind::IntRange { .. }, _) => {
            &[Failure::BelowRange, Failure::AboveRange, Failure::WrongType]
        }
        (_, true) => &[Failure::Missing, Failure::Empty, Failure::WrongType],
        (_, false) => &[Failure::WrongType],
    }
}

/// A body field whose every failure answers 2, a choice.
const fn field(name: &'static str, kind: Kind, required: bool) -> Param {
    Param {
        name,
        at: Where::Body,
        kind,
        required,
        condition: None,
        codes: Codes::all(PARAMETER_ERROR),
        choices: every_failure(kind, required),
    }
}

/// A required string field (`RoomId`, `EventId`, `TaskId`).
const fn required_string(name: &'static str) -> Param {
    field(name, Kind::JsonString, true)
}

/// An optional string field (a callback URL: `""` means the console's).
const fn optional_string(name: &'static str) -> Param {
    field(name, Kind::JsonString, false)
}

/// An optional `enum: [0,1]` integer flag.
const fn flag(name: &'static str) -> Param {
    field(name, Kind::IntEnum(&[0, 1]), false)
}

/// A risk or business type list, optional as long as the other list of its object is not empty.
const fn type_list(name: &'static str) -> Param {
    Param {
        condition: Some("at least one of RiskTypeList and BusinessTypeList must not be empty"),
        ..field(name, Kind::JsonArray { max: None }, false)
    }
}

/// StartCensorAudioV2's body (`StartCensorAudioRequest`), in documented order.
const START_CENSOR_AUDIO: &[Param] = &[
    required_string("RoomId"),
    // "live_streaming, audio_room, private_chat"; no schema enum ("contact ZEGOCLOUD Technical
    // Support" for others), so any string.
    required_string("EventId"),
    optional_string("ResultCallbackUrl"),
    optional_string("StatusCallbackUrl"),
    flag("IsMixingEnabled"),
    field("AudioLanguage", Kind::Enum(AUDIO_LANGUAGES), true),
    type_list("RiskTypeList"),
    type_list("BusinessTypeList"),
    // Optional in the current YAML (the older page said required, ★8).
    field("LabelLanguage", Kind::Enum(&["zh", "en"]), false),
    flag("ReturnAllText"),
    flag("ReturnPreText"),
    flag("ReturnPreAudio"),
    flag("ReturnFinishInfo"),
];

/// StartCensorVideoV2's body (`StartCensorVideoRequest`, `required: [RoomId, EventId,
/// VideoParam]`), in documented order, with the fields of its two objects.
const START_CENSOR_VIDEO: &[Param] = &[
    required_string("RoomId"),
    required_string("EventId"),
    field("Language", Kind::Enum(VIDEO_LANGUAGES), false),
    // "If not passed, audio streams will not be moderated"; with both of its lists empty, "audio
    // will not be moderated, only video": neither is a refusal.
    field("AudioParam", Kind::JsonObject, false),
    field(
        "AudioParam.RiskTypeList",
        Kind::JsonArray { max: None },
        false,
    ),
    field(
        "AudioParam.BusinessTypeList",
        Kind::JsonArray { max: None },
        false,
    ),
    Param {
        condition: Some("deprecated: \"Please use the Language parameter instead\""),
        ..field("AudioParam.AudioLanguage", Kind::Opaque, false)
    },
    flag("AudioParam.ReturnAllText"),
    flag("AudioParam.ReturnPreText"),
    flag("AudioParam.ReturnPreAudio"),
    optional_string("AudioParam.ResultCallbackUrl"),
    optional_string("AudioParam.StatusCallbackUrl"),
    // Required; with both of its lists empty it names nothing to moderate (an empty object is
    // refused as empty).
    field("VideoParam", Kind::JsonObject, true),
    type_list("VideoParam.RiskTypeList"),
    type_list("VideoParam.BusinessTypeList"),
    flag("VideoParam.ReturnAllImg"),
    // "Value range: (0,60]" seconds, an integer: 1 to 60.
    field(
        "VideoParam.DetectFrequency",
        Kind::IntRange {
            min: 1,
            max: DETECT_FREQUENCY_MAX,
            clamped: false,
        },
        false,
    ),
    optional_string("VideoParam.ResultCallbackUrl"),
    optional_string("VideoParam.StatusCallbackUrl"),
    flag("ReturnFinishInfo"),
];

/// The stops' body (`required: [TaskId]`).
const STOP_CENSOR: &[Param] = &[required_string("TaskId")];

/// GenerateIdentifyToken's one query parameter. "default is 3600 seconds; maximum cannot exceed
/// 30 days": refusing rather than adjusting a value above it, and refusing 0 or less, are the
/// mock's choices (★29).
const GENERATE_IDENTIFY_TOKEN: &[Param] = &[Param {
    name: "EffectiveTime",
    at: Where::Query,
    kind: Kind::IntRange {
        min: 1,
        max: EFFECTIVE_TIME_MAX,
        clamped: false,
    },
    required: false,
    condition: None,
    codes: Codes::all(PARAMETER_ERROR),
    choices: &[Failure::Malformed, Failure::BelowRange, Failure::AboveRange],
}];

const fn moderation(
    action: &'static str,
    page: &'static str,
    method: Method,
    data: DataShape,
    params: &'static [Param],
) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::Moderation,
        method,
        page,
        rate_limit: RateLimit {
            production: 100,
            test: None,
            shared_across_envs: false,
            code: THROTTLED,
        },
        message: "success",
        data,
        is_test_code: PARAMETER_ERROR,
        legacy_auth: None,
        legacy_timestamp: None,
        params,
        room_limit: None,
        body_code: match method {
            Method::Post => Some(PARAMETER_ERROR),
            Method::Get => None,
        },
    }
}

/// The family's actions, in the order the catalogue runs them.
pub const ACTIONS: &[ActionDoc] = &[
    moderation(
        "StartCensorAudioV2",
        "moderation/start-censor-audio.yaml",
        Method::Post,
        DataShape::Object,
        START_CENSOR_AUDIO,
    ),
    moderation(
        "StopCensorAudioV2",
        "moderation/stop-censor-audio.yaml",
        Method::Post,
        DataShape::Absent,
        STOP_CENSOR,
    ),
    moderation(
        "StartCensorVideoV2",
        "moderation/start-censor-video.yaml",
        Method::Post,
        DataShape::Object,
        START_CENSOR_VIDEO,
    ),
    moderation(
        "StopCensorVideoV2",
        "moderation/stop-censor-video.yaml",
        Method::Post,
        DataShape::Absent,
        STOP_CENSOR,
    ),
    moderation(
        "GenerateIdentifyToken",
        "moderation/generate-identify-token.yaml",
        Method::Get,
        DataShape::Object,
        GENERATE_IDENTIFY_TOKEN,
    ),
];
