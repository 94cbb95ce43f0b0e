//! Room signaling (`api-reference/room/`, with `forbid-user-rule/` and `forbid-stream-rule/`):
//! the 17 GET actions, transcribed from each page.
//!
//! Codes from the pages and the room table of `return-codes.mdx`: 2 Input parameter error, 3
//! Input parameter length too long, 206 App request QPS too high, 207 Room request QPS too high,
//! 1008 MessageContent is empty, 50011 User list length too long, 50012 Message length exceeds
//! limit. Every success answers Message `"success"`. No page documents a `zegotest-` prefix, a
//! Sequence, or a legacy authentication or timestamp code; an invalid `IsTest` answers the
//! family's parameter code, 2 (SPEC-rooms-mixing.md §0).
//!
//! The server pages give no length for RoomId, UserId or UserName; the limits below come from the
//! client SDK (RoomId 128 bytes, UserId 64, UserName under 256) and their code 3 is the mock's
//! choice (SPEC-rooms-mixing.md §2, ★16), as is every character set left unchecked.

use super::{
    ActionDoc, Codes, DataShape, Failure, Family, Kind, Method, Param, RateLimit, RoomLimit, Where,
};

/// Input parameter error.
const PARAMETER_ERROR: i64 = 2;
/// Input parameter length too long.
const TOO_LONG: i64 = 3;
/// App request QPS too high and was limited.
const APP_THROTTLED: i64 = 206;
/// Room request QPS too high and was limited.
const ROOM_THROTTLED: i64 = 207;
/// User list length too long.
const USER_LIST_TOO_LONG: i64 = 50011;
/// Message length exceeds limit.
const MESSAGE_TOO_LONG: i64 = 50012;
/// Message content MessageContent is empty.
const MESSAGE_EMPTY: i64 = 1008;

/// The longest RoomId, in bytes (client SDK).
pub const ROOM_ID_MAX_BYTES: usize = 128;
/// The longest UserId, in bytes (client SDK).
pub const USER_ID_MAX_BYTES: usize = 64;
/// The longest UserName, in bytes ("less than 256 bytes", client SDK).
pub const USER_NAME_MAX_BYTES: usize = 255;
/// The longest StreamId on room pages: "not exceeding 256 bytes".
pub const ROOM_STREAM_ID_MAX_BYTES: usize = 256;
/// The longest MessageContent: "length cannot exceed 1024 bytes".
pub const MESSAGE_MAX_BYTES: usize = 1024;

/// Missing or empty answers 2, too long 3 (and a list out of bounds 2).
const ID_CODES: Codes = Codes {
    missing: PARAMETER_ERROR,
    malformed: PARAMETER_ERROR,
    too_long: TOO_LONG,
    bounds: PARAMETER_ERROR,
    wrong_type: PARAMETER_ERROR,
};

const fn text(name: &'static str, max_bytes: usize, required: bool) -> Param {
    Param {
        name,
        at: Where::Query,
        kind: Kind::Text { max_bytes },
        required,
        condition: None,
        codes: ID_CODES,
        choices: &[],
    }
}

/// The same parameter with the listed failures marked as the mock's choices.
const fn chosen(mut p: Param, choices: &'static [Failure]) -> Param {
    p.choices = choices;
    p
}

/// `RoomId`, required; its length limit is the SDK's.
const ROOM_ID: Param = chosen(text("RoomId", ROOM_ID_MAX_BYTES, true), &[Failure::TooLong]);
/// `UserId`, required; its length limit is the SDK's.
const USER_ID: Param = chosen(text("UserId", USER_ID_MAX_BYTES, true), &[Failure::TooLong]);
/// `UserName`, optional; its length limit is the SDK's.
const USER_NAME: Param = chosen(
    text("UserName", USER_NAME_MAX_BYTES, false),
    &[Failure::TooLong],
);
/// A room action's `StreamId` with the documented 256-byte limit and no character set.
const STREAM_ID: Param = text("StreamId", ROOM_STREAM_ID_MAX_BYTES, true);
/// `CustomReason`: "maximum length of 256 bytes".
const CUSTOM_REASON: Param = text("CustomReason", 256, false);

/// `MessageCategory`: "1: System message. 2: Chat message."
const MESSAGE_CATEGORY: Param = Param {
    name: "MessageCategory",
    at: Where::Query,
    kind: Kind::IntEnum(&[1, 2]),
    required: true,
    condition: None,
    codes: Codes::all(PARAMETER_ERROR),
    choices: &[],
};

/// `MessageContent`, required, at most 1024 bytes (50012). Absent or empty answers 1008 "Message
/// content MessageContent is empty", which SendBarrageMessage lists for the empty case; on the
/// other sends, and for an absent one, that is the mock's choice (★4).
const fn message_content(choices: &'static [Failure]) -> Param {
    Param {
        name: "MessageContent",
        at: Where::Query,
        kind: Kind::Text {
            max_bytes: MESSAGE_MAX_BYTES,
        },
        required: true,
        condition: None,
        codes: Codes {
            missing: MESSAGE_EMPTY,
            malformed: PARAMETER_ERROR,
            too_long: MESSAGE_TOO_LONG,
            bounds: PARAMETER_ERROR,
            wrong_type: PARAMETER_ERROR,
        },
        choices,
    }
}

/// A required `Name[]` list of ids: none answers 2, an entry too long 3, too many `too_many`.
const fn id_list(
    name: &'static str,
    max: usize,
    max_bytes: usize,
    required: bool,
    too_many: i64,
    choices: &'static [Failure],
) -> Param {
    Param {
        name,
        at: Where::Query,
        kind: Kind::IdList {
            min: 1,
            max: Some(max),
            max_bytes: Some(max_bytes),
        },
        required,
        condition: None,
        codes: Codes {
            missing: PARAMETER_ERROR,
            malformed: PARAMETER_ERROR,
            too_long: TOO_LONG,
            bounds: too_many,
            wrong_type: PARAMETER_ERROR,
        },
        choices,
    }
}

/// An integer parameter answering 2 when it is not one of `values`.
const fn int_enum(name: &'static str, values: &'static [i64], required: bool) -> Param {
    Param {
        name,
        at: Where::Query,
        kind: Kind::IntEnum(values),
        required,
        condition: None,
        codes: Codes::all(PARAMETER_ERROR),
        choices: &[],
    }
}

/// `RuleType` of the user ban rules: "1: by IP address; 2: by RoomId; 3: by UserId; 4: by both
/// RoomId and UserId".
const RULE_TYPE: Param = int_enum("RuleType", &[1, 2, 3, 4], true);

/// A user ban rule's key part, "Required when RuleType is ...". Its form is not stated.
const fn rule_key(name: &'static str, condition: &'static str) -> Param {
    Param {
        name,
        at: Where::Query,
        kind: Kind::Opaque,
        required: false,
        condition: Some(condition),
        codes: Codes::all(PARAMETER_ERROR),
        choices: &[],
    }
}

/// The user ban rules' key: IP, RoomId, UserId, in the pages' order.
const RULE_KEY: [Param; 3] = [
    rule_key("IP", "RuleType is 1"),
    rule_key("RoomId", "RuleType is 2 or 4"),
    rule_key("UserId", "RuleType is 3 or 4"),
];

const fn room(
    action: &'static str,
    page: &'static str,
    limits: (u32, Option<u32>),
    data: DataShape,
    params: &'static [Param],
) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::Room,
        method: Method::Get,
        page,
        rate_limit: RateLimit {
            production: limits.0,
            test: limits.1,
            code: APP_THROTTLED,
            // The room pages give separate figures, or one "per AppID" figure that the mock
            // counts per environment like the others of the family.
            shared_across_envs: false,
        },
        message: "success",
        data,
        is_test_code: PARAMETER_ERROR,
        legacy_auth: None,
        legacy_timestamp: None,
        params,
        room_limit: None,
        body_code: None,
    }
}

/// The same action with a per-room limit of one request per `window_secs` (207 is the room
/// table's "Room request QPS too high"; the pages give only the figure).
const fn per_room(mut d: ActionDoc, window_secs: u32) -> ActionDoc {
    d.room_limit = Some(RoomLimit {
        requests: 1,
        window_secs,
        code: ROOM_THROTTLED,
    });
    d
}

/// The parameters of SendBroadcastMessage and SendBarrageMessage, in the pages' order.
const fn send_params(content: Param) -> [Param; 5] {
    [ROOM_ID, USER_ID, USER_NAME, MESSAGE_CATEGORY, content]
}

const BROADCAST: &[Param] = &send_params(message_content(&[Failure::Missing, Failure::Empty]));
const BARRAGE: &[Param] = &send_params(message_content(&[Failure::Missing]));

/// The family's actions, in the order the catalogue runs them. Limits are "All rooms under the
/// same AppID: N/second (test environment: M)"; where a page gives one figure, both environments
/// share it.
pub const ACTIONS: &[ActionDoc] = &[
    room(
        "SendBroadcastMessage",
        "room/send-broadcast-message.yaml",
        (100, Some(10)),
        DataShape::Object,
        BROADCAST,
    ),
    room(
        "SendBarrageMessage",
        "room/send-barrage-message.yaml",
        (100, Some(10)),
        DataShape::Object,
        BARRAGE,
    ),
    room(
        "SendCustomCommand",
        "room/send-custom-command.yaml",
        (100, Some(10)),
        DataShape::Object,
        &[
            ROOM_ID,
            chosen(
                text("FromUserId", USER_ID_MAX_BYTES, true),
                &[Failure::TooLong],
            ),
            // "supporting up to 10 destination User IDs"; 50011 is the page's own code.
            id_list(
                "ToUserId[]",
                10,
                USER_ID_MAX_BYTES,
                false,
                USER_LIST_TOO_LONG,
                &[Failure::TooLong],
            ),
            message_content(&[Failure::Missing, Failure::Empty]),
        ],
    ),
    room(
        "DescribeUserNum",
        "room/describe-user-num.yaml",
        (10, Some(1)),
        DataShape::Object,
        // "supports a maximum of 10 Rooms per call"; the page lists no code, 3 is the choice.
        &[id_list(
            "RoomId[]",
            10,
            ROOM_ID_MAX_BYTES,
            true,
            TOO_LONG,
            &[Failure::TooLong, Failure::TooMany],
        )],
    ),
    room(
        "DescribeUsers",
        "room/describe-users.yaml",
        (10, None),
        DataShape::Object,
        // "supports up to 10 User IDs"; the page lists 2 and 3 but not 50011: 3 is the choice.
        &[
            ROOM_ID,
            id_list(
                "UserId[]",
                10,
                USER_ID_MAX_BYTES,
                true,
                TOO_LONG,
                &[Failure::TooLong, Failure::TooMany],
            ),
        ],
    ),
    per_room(
        room(
            "DescribeUserList",
            "room/describe-user-list.yaml",
            (200, None),
            DataShape::Object,
            &[
                ROOM_ID,
                int_enum("Mode", &[0, 1], false),
                // "value range of 0-200"; what 0 means is the mock's choice (a flow checks it).
                Param {
                    name: "Limit",
                    at: Where::Query,
                    kind: Kind::IntRange {
                        min: 0,
                        max: 200,
                        clamped: false,
                    },
                    required: false,
                    condition: None,
                    codes: Codes::all(PARAMETER_ERROR),
                    choices: &[],
                },
                Param {
                    name: "Marker",
                    at: Where::Query,
                    kind: Kind::Opaque,
                    required: false,
                    condition: None,
                    codes: Codes::all(PARAMETER_ERROR),
                    choices: &[],
                },
            ],
        ),
        1,
    ),
    room(
        "AddStream",
        "room/add-stream.yaml",
        (10, Some(1)),
        DataShape::Absent,
        &[
            ROOM_ID,
            USER_ID,
            USER_NAME,
            STREAM_ID,
            text("StreamTitle", 127, false),
            text("ExtraInfo", 1024, false),
            int_enum("CensorFlag", &[0, 1], false),
        ],
    ),
    room(
        "DeleteStream",
        "room/delete-stream.yaml",
        (10, Some(1)),
        DataShape::Absent,
        // No length is stated for this page's StreamId; 256 bytes is the other room pages'.
        &[
            ROOM_ID,
            USER_ID,
            USER_NAME,
            chosen(STREAM_ID, &[Failure::TooLong]),
        ],
    ),
    per_room(
        room(
            "DescribeSimpleStreamList",
            "room/describe-simple-streamlist.yaml",
            (50, None),
            DataShape::Object,
            &[ROOM_ID],
        ),
        10,
    ),
    room(
        "CloseRoom",
        "room/close.yaml",
        (1, Some(1)),
        DataShape::Absent,
        &[
            ROOM_ID,
            CUSTOM_REASON,
            // `type: boolean`; what a non-boolean answers is the mock's choice.
            Param {
                name: "RoomCloseCallback",
                at: Where::Query,
                kind: Kind::Bool,
                required: false,
                condition: None,
                codes: Codes::all(PARAMETER_ERROR),
                choices: &[Failure::Malformed],
            },
        ],
    ),
    room(
        "KickoutUser",
        "room/kick-out-user.yaml",
        (50, None),
        DataShape::Absent,
        &[
            ROOM_ID,
            // "Maximum of 5 User IDs supported"; 50011 is the page's own code.
            id_list(
                "UserId[]",
                5,
                USER_ID_MAX_BYTES,
                true,
                USER_LIST_TOO_LONG,
                &[Failure::TooLong],
            ),
            CUSTOM_REASON,
        ],
    ),
    room(
        "SetForbidUserRule",
        "room/forbid-user-rule/set-forbid-user-rule.yaml",
        (10, None),
        DataShape::Object,
        &[
            RULE_TYPE,
            RULE_KEY[0],
            RULE_KEY[1],
            RULE_KEY[2],
            // "1: Login. 2: Publish Stream.", minItems 1.
            Param {
                name: "DisabledPrivilege[]",
                at: Where::Query,
                kind: Kind::IntEnumList(&[1, 2]),
                required: true,
                condition: None,
                codes: Codes::all(PARAMETER_ERROR),
                choices: &[],
            },
            // "value range 1 ~ 86400 (1 day)", no adjustment stated on this page.
            Param {
                name: "EffectiveTime",
                at: Where::Query,
                kind: Kind::IntRange {
                    min: 1,
                    max: 86_400,
                    clamped: false,
                },
                required: true,
                condition: None,
                codes: Codes::all(PARAMETER_ERROR),
                choices: &[],
            },
        ],
    ),
    room(
        "DescribeForbidUserRules",
        "room/forbid-user-rule/describe-forbid-user-rules.yaml",
        (10, None),
        DataShape::Object,
        &[RULE_TYPE],
    ),
    room(
        "DelForbidUserRule",
        "room/forbid-user-rule/del-forbid-user-rule.yaml",
        (10, None),
        DataShape::Absent,
        &[RULE_TYPE, RULE_KEY[0], RULE_KEY[1], RULE_KEY[2]],
    ),
    room(
        "SetForbidStreamRule",
        "room/forbid-stream-rule/set-forbid-stream-rule.yaml",
        (10, None),
        DataShape::Absent,
        &[
            ROOM_ID,
            STREAM_ID,
            int_enum("DisableAudio", &[0, 1], false),
            int_enum("DisableVideo", &[0, 1], false),
            // "Range 1 ~ 86400 (values exceeding 24 hours will be automatically adjusted to 24
            // hours)": above the range is adjusted, below it is refused.
            Param {
                name: "EffectiveTime",
                at: Where::Query,
                kind: Kind::IntRange {
                    min: 1,
                    max: 86_400,
                    clamped: true,
                },
                required: false,
                condition: None,
                codes: Codes::all(PARAMETER_ERROR),
                choices: &[],
            },
        ],
    ),
    room(
        "DescribeForbidStreamRules",
        "room/forbid-stream-rule/describe-forbid-stream-rules.yaml",
        (10, None),
        DataShape::Object,
        // "you cannot query more than 10 Stream IDs"; the page lists 2 and no 3, so 2 for too
        // many is the choice, and an entry's length limit is the other room pages'.
        &[
            ROOM_ID,
            id_list(
                "StreamId[]",
                10,
                ROOM_STREAM_ID_MAX_BYTES,
                true,
                PARAMETER_ERROR,
                &[Failure::TooLong, Failure::TooMany],
            ),
        ],
    ),
    room(
        "DelForbidStreamRule",
        "room/forbid-stream-rule/del-forbid-stream-rule.yaml",
        (10, None),
        DataShape::Absent,
        &[ROOM_ID, STREAM_ID],
    ),
];
