//! The media-service relay and RTC actions (`api-reference/media-service/`): relaying to a CDN
//! (Creat/Delete/ClearCDNTransferRule) and RTC streams (Forbid/ResumeRTCStream(s),
//! DescribeRTCStreamState).
//!
//! Codes from each page's table and `return-codes.mdx`: 30002 API call rate too high, 30004
//! isTest error, 30009 Invalid StreamId, 30006 Invalid StreamId list, 30001 and 5004 Invalid CDN
//! address, 5005 Invalid request.

use super::{ActionDoc, Codes, DataShape, Failure, Family, Kind, Method, Param, RateLimit, Where};

/// API call rate too high.
const THROTTLED: i64 = 30002;

/// `StreamId`, required, with the test-environment prefix ("In the test environment ... the
/// Stream ID must be prefixed with zegotest-AppId-"). The prefix's code is not documented.
const STREAM_ID: Param = Param {
    name: "StreamId",
    at: Where::Query,
    kind: Kind::StreamId { test_prefix: true },
    required: true,
    condition: None,
    codes: Codes::all(30009),
    choices: &[Failure::TestPrefix],
};

/// `Sequence`, required. Its form and the code for a missing or malformed one are not
/// documented: 5005 Invalid request is the table's closest code (SPEC.md 5.2).
const SEQUENCE: Param = Param {
    name: "Sequence",
    at: Where::Query,
    kind: Kind::Sequence,
    required: true,
    condition: None,
    codes: Codes::all(5005),
    choices: &[Failure::Missing, Failure::Empty, Failure::Malformed],
};

/// `StreamId[]`: "Stream ID list, supports up to 20 stream IDs", required.
const STREAM_ID_LIST: Param = Param {
    name: "StreamId[]",
    at: Where::Query,
    kind: Kind::StreamIdList {
        test_prefix: true,
        min: 1,
        max: 20,
    },
    required: true,
    condition: None,
    codes: Codes::all(30006),
    choices: &[Failure::TestPrefix],
};

const fn relay(action: &'static str, page: &'static str, params: &'static [Param]) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::MediaService,
        method: Method::Get,
        page,
        rate_limit: RateLimit {
            production: 10,
            test: Some(5),
            shared_across_envs: false,
            code: THROTTLED,
        },
        message: "ok",
        data: DataShape::Null,
        is_test_code: 30004,
        legacy_auth: Some(5003),
        legacy_timestamp: None,
        params,
        room_limit: None,
        body_code: None,
    }
}

const fn rtc(
    action: &'static str,
    page: &'static str,
    data: DataShape,
    params: &'static [Param],
) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::MediaService,
        method: Method::Get,
        page,
        rate_limit: RateLimit {
            production: 20,
            test: Some(5),
            shared_across_envs: false,
            code: THROTTLED,
        },
        message: "ok",
        data,
        is_test_code: 30004,
        legacy_auth: Some(40005),
        legacy_timestamp: Some(3002),
        params,
        room_limit: None,
        body_code: None,
    }
}

/// The batch pages list neither 40005 nor 3002.
const fn batch(mut d: ActionDoc) -> ActionDoc {
    d.legacy_auth = None;
    d.legacy_timestamp = None;
    d
}

/// The family's actions, in the order the catalogue runs them.
pub const ACTIONS: &[ActionDoc] = &[
    relay(
        "CreatCDNTransferRule",
        "media-service/create-cdn-transfer-rule.yaml",
        &[
            STREAM_ID,
            // "required: false" in the current YAML (older pages said required).
            Param {
                name: "CDNUrl",
                at: Where::Query,
                kind: Kind::RtmpUrl,
                required: false,
                condition: None,
                codes: Codes::all(30001),
                choices: &[],
            },
            SEQUENCE,
        ],
    ),
    relay(
        "DeleteCDNTransferRule",
        "media-service/delete-cdn-transfer-rule.yaml",
        &[
            STREAM_ID,
            // Required; the code for its absence is not documented.
            Param {
                name: "CDNUrl",
                at: Where::Query,
                kind: Kind::RtmpUrl,
                required: true,
                condition: None,
                codes: Codes::all(5004),
                choices: &[Failure::Missing, Failure::Empty],
            },
            SEQUENCE,
        ],
    ),
    relay(
        "ClearCDNTransferRule",
        "media-service/clear-cdn-transfer-rule.yaml",
        &[STREAM_ID, SEQUENCE],
    ),
    rtc(
        "ForbidRTCStream",
        "media-service/forbid-rtc-stream.yaml",
        DataShape::Absent,
        &[STREAM_ID, SEQUENCE],
    ),
    rtc(
        "ResumeRTCStream",
        "media-service/resume-rtc-stream.yaml",
        DataShape::Absent,
        &[STREAM_ID, SEQUENCE],
    ),
    batch(rtc(
        "ForbidRTCStreams",
        "media-service/forbid-rtc-streams.yaml",
        DataShape::Null,
        &[STREAM_ID_LIST, SEQUENCE],
    )),
    batch(rtc(
        "ResumeRTCStreams",
        "media-service/resume-rtc-streams.yaml",
        DataShape::Null,
        &[STREAM_ID_LIST, SEQUENCE],
    )),
    ActionDoc {
        rate_limit: RateLimit {
            production: 40,
            test: Some(10),
            shared_across_envs: false,
            code: THROTTLED,
        },
        ..rtc(
            "DescribeRTCStreamState",
            "media-service/describe-rtc-stream-state.yaml",
            DataShape::Object,
            &[STREAM_ID, SEQUENCE],
        )
    },
    dispatch("RTMPDispatchV2"),
    // "Using RTMPDispatch, the ZEGOCLOUD server returns Data in IP:Port format": the legacy
    // action described on the same page, with the same request.
    dispatch("RTMPDispatch"),
];

/// `RTMPDispatchV2` and the legacy `RTMPDispatch` (`rtpm-dispatch.yaml`): "For the same AppID:
/// 40 times/second" (one figure for the AppID: both environments count together); 1010 or 30002 when throttled; 30009 StreamId (with the
/// test-environment prefix note), 30010 Invalid dispatch action (`Type`), 30011 Invalid client
/// IP address; no authentication or timestamp code of its own.
const fn dispatch(action: &'static str) -> ActionDoc {
    ActionDoc {
        action,
        family: Family::MediaService,
        method: Method::Get,
        page: "media-service/rtpm-dispatch.yaml",
        rate_limit: RateLimit {
            production: 40,
            test: None,
            shared_across_envs: true,
            code: THROTTLED,
        },
        message: "ok",
        data: DataShape::Array,
        is_test_code: 30004,
        legacy_auth: None,
        legacy_timestamp: None,
        params: DISPATCH_PARAMS,
        room_limit: None,
        body_code: None,
    }
}

/// The dispatch actions' parameters, in the page's order.
/// `Sequence` is checked last, as on every media-service action (SPEC.md 5.2); the page lists it
/// second.
const DISPATCH_PARAMS: &[Param] = &[
    STREAM_ID,
    // "Dispatch mode: pull ... push"; required.
    Param {
        name: "Type",
        at: Where::Query,
        kind: Kind::Enum(&["pull", "push"]),
        required: true,
        condition: None,
        codes: Codes::all(30010),
        choices: &[Failure::Missing, Failure::Empty],
    },
    // Optional; "IPv6 format IP addresses are not currently supported".
    Param {
        name: "ClientIP",
        at: Where::Query,
        kind: Kind::Ipv4,
        required: false,
        condition: None,
        codes: Codes::all(30011),
        choices: &[],
    },
    SEQUENCE,
];
