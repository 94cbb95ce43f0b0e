//! The older CDN live-stream set (`api-reference/media-service/`):
//! Forbid/Resume/QueryForbidCDNLiveStream.
//!
//! Their pages document only 0 success, 1 failed, 2 parameter error and 3 authentication failed:
//! the older public code set, which also has 4 unknown CDN type and 7 rate limit exceeded (SPEC.md
//! 5.1). No `zegotest-` prefix rule, no Sequence, one rate limit for both environments.

use super::{ActionDoc, Codes, DataShape, Failure, Family, Kind, Method, Param, RateLimit, Where};

/// Parameter error.
const PARAMETER_ERROR: i64 = 2;

/// `StreamId`, required, no prefix rule.
const STREAM_ID: Param = Param {
    name: "StreamId",
    at: Where::Query,
    kind: Kind::StreamId { test_prefix: false },
    required: true,
    condition: None,
    codes: Codes::all(PARAMETER_ERROR),
    choices: &[],
};

const fn cdn_live(
    action: &'static str,
    page: &'static str,
    data: DataShape,
    params: &'static [Param],
) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::CdnLive,
        method: Method::Get,
        page,
        // "For all rooms under the same AppID: 20 times/second": one figure for the AppID, no
        // test figure, so both environments count together.
        rate_limit: RateLimit {
            production: 20,
            test: None,
            shared_across_envs: true,
            code: 7,
        },
        message: "success",
        data,
        is_test_code: PARAMETER_ERROR,
        legacy_auth: Some(3),
        legacy_timestamp: None,
        params,
        room_limit: None,
        body_code: None,
    }
}

/// The family's actions, in the order the catalogue runs them.
pub const ACTIONS: &[ActionDoc] = &[
    cdn_live(
        "ForbidCDNLiveStream",
        "media-service/forbid-cdn-live-stream.yaml",
        DataShape::Array,
        &[
            STREAM_ID,
            // "UTC format, for example: 2018-11-29T19:00:00Z"; the exact form is the mock's
            // reading.
            Param {
                name: "ResumeTime",
                at: Where::Query,
                kind: Kind::UtcTime,
                required: false,
                condition: None,
                codes: Codes::all(PARAMETER_ERROR),
                choices: &[Failure::Malformed],
            },
        ],
    ),
    cdn_live(
        "ResumeCDNLiveStream",
        "media-service/resume-cdn-live-stream.yaml",
        DataShape::Array,
        &[STREAM_ID],
    ),
    cdn_live(
        "QueryForbidCDNLiveStream",
        "media-service/query-forbid-cdn-live-stream.yaml",
        DataShape::Object,
        &[
            // "CDN provider, ws: WangSu"; 4 (unknown CDN type) is inferred from the older public
            // table (SPEC.md 5.1), and an empty Vendor counting as absent is the mock's reading.
            Param {
                name: "Vendor",
                at: Where::Query,
                kind: Kind::Enum(&["ws"]),
                required: true,
                condition: None,
                codes: Codes {
                    missing: PARAMETER_ERROR,
                    malformed: 4,
                    too_long: PARAMETER_ERROR,
                    bounds: PARAMETER_ERROR,
                    wrong_type: PARAMETER_ERROR,
                },
                choices: &[Failure::Empty],
            },
        ],
    ),
];
