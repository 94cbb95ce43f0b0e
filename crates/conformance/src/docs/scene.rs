//! Scene (`api-reference/scene/`): SetSceneTemplate (GET), transcribed from its page.
//!
//! "This feature has been discontinued": the mock serves it only with the app's `scene_service`
//! feature on (off by default, answering 100000017 "App has not enabled this service", the
//! mock's choice, SPEC-rest-callbacks.md §4, ★7), so every case of the action turns the feature on
//! first through the control plane. The page's own codes: 340004003 Template already exists,
//! 340006003 Parameter error. Success answers Message `"succeed"` and `"Data": null`.
//!
//! "All rooms under the same AppID are limited to 50 times/second", no test figure and no
//! throttle code: 206 (the room family's) is the mock's choice (§0.2, ★32; §4's "No throttling"
//! line says otherwise, the conventions table, ★32 and §7.4 agree on 50/s answered 206). An
//! invalid `IsTest` answers 340006003 (the mock's choice). The page's Note on `zegotest-` StreamIds
//! has no StreamId to apply to, and there is no Sequence or legacy code.
//!
//! The page lists the common parameters without `AppId` and declares `AppId` again as a required
//! business parameter of `type: number`: it is the common parameter the gateway checks (and signs),
//! so it is not in this table and no generated case removes it. The four map corners are optional
//! floats whose bad value the spec does not decide: no case.

use super::{ActionDoc, Codes, DataShape, Failure, Family, Kind, Method, Param, RateLimit, Where};

/// Parameter error.
pub const PARAMETER_ERROR: i64 = 340_006_003;
/// Template already exists.
pub const TEMPLATE_EXISTS: i64 = 340_004_003;
/// App has not enabled this service (the gateway's code, for the discontinued service).
pub const SERVICE_OFF: i64 = 100_000_017;
/// The throttle code (the mock's choice).
pub const THROTTLED: i64 = 206;
/// "The limit for custom templates is 50".
pub const MAX_TEMPLATES: usize = 50;
/// `MaxVisibleNum`: "with a maximum limit of 100 users".
pub const MAX_VISIBLE: i64 = 100;

const fn param(name: &'static str, kind: Kind, required: bool) -> Param {
    Param {
        name,
        at: Where::Query,
        kind,
        required,
        condition: None,
        codes: Codes::all(PARAMETER_ERROR),
        choices: &[],
    }
}

/// A map corner: `type: number, format: float`, optional.
const fn corner(name: &'static str) -> Param {
    param(name, Kind::Opaque, false)
}

/// A required positive count: a lower bound of 1 is the mock's choice (the page gives none).
const fn count(name: &'static str) -> Param {
    Param {
        choices: &[Failure::BelowRange],
        ..param(name, Kind::Integer { min: Some(1) }, true)
    }
}

/// SetSceneTemplate's business parameters, in the page's order (`AppId` left out, above).
const SET_SCENE_TEMPLATE: &[Param] = &[
    // `type: number`, required.
    param("TemplateId", Kind::Integer { min: None }, true),
    corner("LeftBottomX"),
    corner("LeftBottomZ"),
    corner("RightUpX"),
    corner("RightUpZ"),
    count("MaxUserNum"),
    count("ViewRadius"),
    Param {
        choices: &[Failure::BelowRange],
        ..param(
            "MaxVisibleNum",
            Kind::IntRange {
                min: 1,
                max: MAX_VISIBLE,
                clamped: false,
            },
            true,
        )
    },
];

/// The family's one action.
pub const ACTIONS: &[ActionDoc] = &[ActionDoc {
    action: "SetSceneTemplate",
    family: Family::Scene,
    method: Method::Get,
    page: "scene/set-scene-template.yaml",
    rate_limit: RateLimit {
        production: 50,
        test: None,
        shared_across_envs: false,
        code: THROTTLED,
    },
    message: "succeed",
    data: DataShape::Null,
    is_test_code: PARAMETER_ERROR,
    legacy_auth: None,
    legacy_timestamp: None,
    params: SET_SCENE_TEMPLATE,
    room_limit: None,
    body_code: None,
}];
