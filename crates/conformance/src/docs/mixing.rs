//! Stream mixing and single-stream transcoding (`api-reference/stream-mixing/`): StartMix,
//! StopMix, StartAutoMix, StopAutoMix, StartCloudTranscode and StopCloudTranscode (POST, common
//! parameters in the query, business parameters as a JSON body) and GetMixTaskInfo (GET),
//! transcribed from each page.
//!
//! Codes from the pages and the mixing table of `return-codes.mdx`: 110200002 Input parameter
//! error, 110200003 Authentication failed, 110200004 Failed to parse input parameters, 110200158
//! input stream count exceeds limit, 110200161 output width value error ("value range is [0,
//! 3000]"), 110200178 output stream count exceeds limit, 110200184 Stream Mixing start parameter
//! parsing failed, 110200190/110200191/110200194 start/stop/general request overload. Every
//! success answers Message `"success"`.
//!
//! Which failure of a body answers which of those codes is the mock's choice
//! (SPEC-rooms-mixing.md §2.B "Body and parameter failures", ★23): a body that is not a JSON
//! object, and a required field missing or empty, answer 110200002; a field of the wrong JSON type
//! answers 110200184 (StartMix), 110200004 (StopMix, StartAutoMix, StopAutoMix) or 110200002
//! (transcoding); GetMixTaskInfo's missing TaskId answers 110200004, the only parameter code on its
//! page. The cases of those failures are marked as choices, except where a page ties the code to
//! the failure itself (MixInput "default upper limit is 9" with 110200158; the table's 110200161
//! names the output Width and its range).
//!
//! No page gives a test-environment figure for its limit: both environments have 100 a second,
//! each its own (SPEC-rooms-mixing.md §2.B, ★11). The throttle codes (110200190 StartMix,
//! 110200191 StopMix, 110200194 the others), 110200002 for an invalid `IsTest`, and 110200003 for
//! both a signature mismatch and an expired timestamp under legacy codes, are the mock's choices
//! (★40, ★41, §0).

use super::{ActionDoc, Codes, DataShape, Failure, Family, Kind, Method, Param, RateLimit, Where};

/// Input parameter error.
pub const PARAMETER_ERROR: i64 = 110_200_002;
/// Authentication failed.
pub const AUTH_FAILED: i64 = 110_200_003;
/// Failed to parse input parameters.
pub const PARSE_FAILED: i64 = 110_200_004;
/// Stream Mixing start parameter parsing failed.
pub const START_PARSE_FAILED: i64 = 110_200_184;
/// Stream Mixing input stream count exceeds limit.
pub const TOO_MANY_INPUTS: i64 = 110_200_158;
/// Output stream count exceeds limit.
pub const TOO_MANY_OUTPUTS: i64 = 110_200_178;
/// Stream Mixing output stream width value error, value range is [0, 3000].
pub const WIDTH_ERROR: i64 = 110_200_161;
/// Stream Mixing input stream format error.
pub const INPUT_FORMAT_ERROR: i64 = 110_200_155;
/// Stream Mixing start request overload.
const START_THROTTLED: i64 = 110_200_190;
/// Stream Mixing stop request overload.
const STOP_THROTTLED: i64 = 110_200_191;
/// Stream Mixing request overload.
const THROTTLED: i64 = 110_200_194;

/// The most inputs of a StartMix task: "supports multiple, default upper limit is 9".
pub const MAX_INPUTS: usize = 9;
/// The most outputs of a StartMix task: "supports outputting up to 4 video streams".
pub const MAX_OUTPUTS: usize = 4;
/// The most outputs of a StartAutoMix task: "currently supports up to 3".
pub const MAX_AUTO_OUTPUTS: usize = 3;
/// The widest and highest output: "range [0, 3000], value must be a multiple of 2".
pub const MAX_SIDE: i64 = 3000;
/// MaxIdleTime's range: "greater than or equal to 90 and less than or equal to 14400".
pub const IDLE_RANGE: (i64, i64) = (90, 14_400);

/// Every failure answers the family's parameter error but a wrong JSON type, which answers
/// `wrong_type`.
const fn codes(wrong_type: i64) -> Codes {
    Codes {
        missing: PARAMETER_ERROR,
        malformed: PARAMETER_ERROR,
        too_long: PARAMETER_ERROR,
        bounds: PARAMETER_ERROR,
        wrong_type,
    }
}

/// A body field.
const fn field(
    name: &'static str,
    kind: Kind,
    required: bool,
    codes: Codes,
    choices: &'static [Failure],
) -> Param {
    Param {
        name,
        at: Where::Body,
        kind,
        required,
        condition: None,
        codes,
        choices,
    }
}

/// Every failure generated for a required field whose codes are all choices.
const REQUIRED_CHOSEN: &[Failure] = &[Failure::Missing, Failure::Empty, Failure::WrongType];
/// The one failure generated for an optional field with no stated form: its type.
const TYPE_CHOSEN: &[Failure] = &[Failure::WrongType];
/// Every failure generated for an integer enum.
const ENUM_CHOSEN: &[Failure] = &[Failure::Malformed, Failure::WrongType];
/// Every failure generated for an integer range.
const RANGE_CHOSEN: &[Failure] = &[Failure::BelowRange, Failure::AboveRange, Failure::WrongType];

/// The same field, required by its item's schema though the pages say nothing of its absence:
/// no case leaves it out expecting success or a refusal.
const fn item_required(mut p: Param) -> Param {
    p.condition = Some("required by the item's schema; its absence has no documented code");
    p
}

/// A required string field (`TaskId`, `UserId`, `RoomId`).
const fn required_string(name: &'static str, wrong_type: i64) -> Param {
    field(
        name,
        Kind::JsonString,
        true,
        codes(wrong_type),
        REQUIRED_CHOSEN,
    )
}

/// An optional string field.
const fn optional_string(name: &'static str, wrong_type: i64) -> Param {
    field(
        name,
        Kind::JsonString,
        false,
        codes(wrong_type),
        TYPE_CHOSEN,
    )
}

/// The optional integer `Sequence`: "Parameter modifications for the same task need to ensure the
/// sequence number is incremented"; not the media-service Sequence rule, and unchecked while the
/// app's timing control is off (SPEC-rooms-mixing.md ★24).
const fn sequence(wrong_type: i64) -> Param {
    field(
        "Sequence",
        Kind::JsonInteger,
        false,
        codes(wrong_type),
        TYPE_CHOSEN,
    )
}

/// An optional integer enum.
const fn int_enum(name: &'static str, values: &'static [i64], wrong_type: i64) -> Param {
    field(
        name,
        Kind::IntEnum(values),
        false,
        codes(wrong_type),
        ENUM_CHOSEN,
    )
}

/// An optional integer in `min..=max`.
const fn range(name: &'static str, min: i64, max: i64, wrong_type: i64) -> Param {
    field(
        name,
        Kind::IntRange {
            min,
            max,
            clamped: false,
        },
        false,
        codes(wrong_type),
        RANGE_CHOSEN,
    )
}

/// A field whose form the page states only in prose (an image URL, a watermark, a base64 text,
/// the key/value list `ExPara`): no generated case.
const fn opaque(name: &'static str) -> Param {
    field(name, Kind::Opaque, false, codes(PARAMETER_ERROR), &[])
}

/// StartMix's body (`StartMixRequest`, `required: [TaskId, UserId, MixInput, MixOutput]`), in
/// documented order, then the fields of the first input and output the cases change.
const START_MIX: &[Param] = &[
    required_string("TaskId", START_PARSE_FAILED),
    required_string("UserId", START_PARSE_FAILED),
    // "supports multiple, default upper limit is 9": 110200158 is the page's own code for it.
    field(
        "MixInput",
        Kind::JsonArray {
            max: Some(MAX_INPUTS),
        },
        true,
        Codes {
            bounds: TOO_MANY_INPUTS,
            ..codes(START_PARSE_FAILED)
        },
        REQUIRED_CHOSEN,
    ),
    // "up to 4 video streams"; the table's 110200178 says "default upper limit of 3", so the
    // limit of 4 is the mock's reading of the page (★27).
    field(
        "MixOutput",
        Kind::JsonArray {
            max: Some(MAX_OUTPUTS),
        },
        true,
        Codes {
            bounds: TOO_MANY_OUTPUTS,
            ..codes(START_PARSE_FAILED)
        },
        &[
            Failure::Missing,
            Failure::Empty,
            Failure::TooMany,
            Failure::WrongType,
        ],
    ),
    sequence(START_PARSE_FAILED),
    optional_string("RoomId", START_PARSE_FAILED),
    opaque("UserData"),
    int_enum("SoundLevel", &[0, 1], START_PARSE_FAILED),
    opaque("BackgroundImage"),
    opaque("BackGroundColorHex"),
    opaque("WaterMark"),
    int_enum("ByPass", &[0, 1], START_PARSE_FAILED),
    // Integer in the YAML, "String" on the older page: the mock accepts both (★44), so no case
    // sends another type.
    opaque("SoundChannel"),
    int_enum("CheckImageMode", &[0, 1, 2], START_PARSE_FAILED),
    opaque("ExPara"),
    int_enum("AlignmentType", &[0, 1, 2], START_PARSE_FAILED),
    range("RecvBufferLevel", 0, 4000, START_PARSE_FAILED),
    int_enum("WaitVideoInput", &[0, 1], START_PARSE_FAILED),
    range(
        "MaxIdleTime",
        IDLE_RANGE.0,
        IDLE_RANGE.1,
        START_PARSE_FAILED,
    ),
    // An input's StreamId: "Either StreamId or StreamUrl can be used"; the sample input has no
    // StreamUrl, so without its StreamId the input names no stream. Outside [0-9A-Za-z_-] it
    // answers 110200155 "input Stream format error" (the mock's choice).
    field(
        "MixInput.0.StreamId",
        Kind::StreamId { test_prefix: false },
        true,
        Codes {
            malformed: INPUT_FORMAT_ERROR,
            too_long: INPUT_FORMAT_ERROR,
            ..codes(START_PARSE_FAILED)
        },
        &[
            Failure::Missing,
            Failure::Empty,
            Failure::Malformed,
            Failure::TooLong,
            Failure::WrongType,
        ],
    ),
    // "Width, range [0, 3000], value must be a multiple of 2"; the table's 110200161 names it.
    item_required(field(
        "MixOutput.0.Width",
        Kind::IntRange {
            min: 0,
            max: MAX_SIDE,
            clamped: false,
        },
        false,
        Codes {
            malformed: WIDTH_ERROR,
            ..codes(START_PARSE_FAILED)
        },
        TYPE_CHOSEN,
    )),
    // The same range for Height, with no code of its own: 110200002 is the mock's choice (★42).
    item_required(field(
        "MixOutput.0.Height",
        Kind::IntRange {
            min: 0,
            max: MAX_SIDE,
            clamped: false,
        },
        false,
        codes(START_PARSE_FAILED),
        RANGE_CHOSEN,
    )),
];

/// StopMix's body (`required: [TaskId]`).
const STOP_MIX: &[Param] = &[
    required_string("TaskId", PARSE_FAILED),
    sequence(PARSE_FAILED),
    optional_string("UserId", PARSE_FAILED),
];

/// StartAutoMix's body (`required: [TaskId, UserId, RoomId, MixOutput]`), in documented order.
const START_AUTO_MIX: &[Param] = &[
    required_string("TaskId", PARSE_FAILED),
    required_string("UserId", PARSE_FAILED),
    required_string("RoomId", PARSE_FAILED),
    // "supports up to 9" extra inputs; the sample has none to copy, a flow checks the count.
    opaque("ExtraMixInput"),
    // "currently supports up to 3"; 110200178 is the table's (★27).
    field(
        "MixOutput",
        Kind::JsonArray {
            max: Some(MAX_AUTO_OUTPUTS),
        },
        true,
        Codes {
            bounds: TOO_MANY_OUTPUTS,
            ..codes(PARSE_FAILED)
        },
        &[
            Failure::Missing,
            Failure::Empty,
            Failure::TooMany,
            Failure::WrongType,
        ],
    ),
    sequence(PARSE_FAILED),
    opaque("UserData"),
    int_enum("SoundLevel", &[0, 1], PARSE_FAILED),
    int_enum("ByPass", &[0, 1], PARSE_FAILED),
    opaque("SoundChannel"),
    int_enum("AlignmentType", &[0, 1, 2], PARSE_FAILED),
    range("RecvBufferLevel", 0, 4000, PARSE_FAILED),
    opaque("ExPara"),
];

/// StopAutoMix's body (`required: [TaskId, RoomId]`).
const STOP_AUTO_MIX: &[Param] = &[
    required_string("TaskId", PARSE_FAILED),
    required_string("RoomId", PARSE_FAILED),
    sequence(PARSE_FAILED),
    optional_string("UserId", PARSE_FAILED),
];

/// StartCloudTranscode's body (`required: [TaskId, UserId, TranscodeInput, TranscodeOutput]`),
/// in documented order, then the first output's template.
const START_CLOUD_TRANSCODE: &[Param] = &[
    required_string("TaskId", PARAMETER_ERROR),
    required_string("UserId", PARAMETER_ERROR),
    sequence(PARAMETER_ERROR),
    field(
        "TranscodeInput",
        Kind::JsonObject,
        true,
        codes(PARAMETER_ERROR),
        REQUIRED_CHOSEN,
    ),
    // No count limit is documented.
    field(
        "TranscodeOutput",
        Kind::JsonArray { max: None },
        true,
        codes(PARAMETER_ERROR),
        REQUIRED_CHOSEN,
    ),
    // "enum: [0,1,2,3,4]", required in each output.
    field(
        "TranscodeOutput.0.TemplateId",
        Kind::IntEnum(&[0, 1, 2, 3, 4]),
        true,
        codes(PARAMETER_ERROR),
        &[
            Failure::Missing,
            Failure::Empty,
            Failure::Malformed,
            Failure::WrongType,
        ],
    ),
];

/// StopCloudTranscode's body (`required: [TaskId, UserId]`).
const STOP_CLOUD_TRANSCODE: &[Param] = &[
    required_string("TaskId", PARAMETER_ERROR),
    required_string("UserId", PARAMETER_ERROR),
    sequence(PARAMETER_ERROR),
];

/// GetMixTaskInfo's one query parameter: `TaskId`, required, of no stated form. 110200004 is the
/// only parameter code its page lists.
const GET_MIX_TASK_INFO: &[Param] = &[Param {
    name: "TaskId",
    at: Where::Query,
    kind: Kind::Opaque,
    required: true,
    condition: None,
    codes: Codes::all(PARSE_FAILED),
    choices: &[Failure::Missing, Failure::Empty],
}];

const fn mixing(
    action: &'static str,
    page: &'static str,
    method: Method,
    throttled: i64,
    data: DataShape,
    params: &'static [Param],
) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::StreamMixing,
        method,
        page,
        // "100 requests/second" (StopMix: "All rooms under the same AppID are limited to 100
        // times/second"); no test figure.
        rate_limit: RateLimit {
            production: 100,
            test: None,
            shared_across_envs: false,
            code: throttled,
        },
        message: "success",
        data,
        is_test_code: PARAMETER_ERROR,
        legacy_auth: Some(AUTH_FAILED),
        legacy_timestamp: Some(AUTH_FAILED),
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
    mixing(
        "StartMix",
        "stream-mixing/start-mix.yaml",
        Method::Post,
        START_THROTTLED,
        DataShape::Object,
        START_MIX,
    ),
    mixing(
        "StopMix",
        "stream-mixing/stop-mix.yaml",
        Method::Post,
        STOP_THROTTLED,
        DataShape::Absent,
        STOP_MIX,
    ),
    mixing(
        "GetMixTaskInfo",
        "stream-mixing/get-mix-task-info.yaml",
        Method::Get,
        THROTTLED,
        DataShape::Object,
        GET_MIX_TASK_INFO,
    ),
    mixing(
        "StartAutoMix",
        "stream-mixing/start-auto-mix.yaml",
        Method::Post,
        THROTTLED,
        DataShape::Object,
        START_AUTO_MIX,
    ),
    mixing(
        "StopAutoMix",
        "stream-mixing/stop-auto-mix.yaml",
        Method::Post,
        THROTTLED,
        DataShape::Absent,
        STOP_AUTO_MIX,
    ),
    mixing(
        "StartCloudTranscode",
        "stream-mixing/start-cloud-transcode.yaml",
        Method::Post,
        THROTTLED,
        DataShape::Absent,
        START_CLOUD_TRANSCODE,
    ),
    mixing(
        "StopCloudTranscode",
        "stream-mixing/stop-cloud-transcode.yaml",
        Method::Post,
        THROTTLED,
        DataShape::Absent,
        STOP_CLOUD_TRANSCODE,
    ),
];
