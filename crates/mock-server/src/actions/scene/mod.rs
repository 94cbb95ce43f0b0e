//! The scene family (`api-reference/scene/`): SetSceneTemplate and the templates it creates.
//!
//! ZEGO documents the scene service as discontinued, so the action is off by default (the app
//! feature `scene_service`; off, 100000017 "App has not enabled this service."). Its page names
//! its own host (`metaworld-api.zego.im`); the mock serves it on its one endpoint, whatever the
//! Host.

use crate::actions::{Ctx, Data, Reply};
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Feature, Kind, Legacy, Method, Param, Quota};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The scene family's codes.
pub(crate) mod code {
    /// App request QPS too high and was limited (room signaling's code: the page documents a
    /// limit of 50/s and no code for it).
    pub const THROTTLED: i64 = 206;
    /// Template already exists.
    pub const EXISTS: i64 = 340_004_003;
    /// Parameter error.
    pub const PARAM: i64 = 340_006_003;
    /// App has not enabled this service (the gateway's code).
    pub const NOT_ENABLED: i64 = 100_000_017;
}

/// "The limit for custom templates is 50".
pub const MAX_TEMPLATES: usize = 50;

/// A decimal integer of at least 1 (340006003 otherwise).
const fn positive(name: &'static str, max: u64) -> Param {
    Param::new(name, Kind::UInt { min: 1, max }, code::PARAM).too_long(code::PARAM)
}

/// A map coordinate: a decimal number, optional (checked by the handler).
const fn coordinate(name: &'static str) -> Param {
    Param::new(name, Kind::Text { max_bytes: 64 }, code::PARAM)
        .optional()
        .too_long(code::PARAM)
}

/// `SetSceneTemplate` (GET): 50/s per AppID, `"succeed"`, `"Data": null`.
pub(crate) const SET_TEMPLATE: ActionSpec = ActionSpec {
    name: "SetSceneTemplate",
    family: Family::Scene,
    method: Method::Get,
    success_message: "succeed",
    parameter_code: code::PARAM,
    legacy: Legacy::NONE,
    params: &[
        Param::new(
            "TemplateId",
            Kind::UInt {
                min: 0,
                max: u32::MAX as u64,
            },
            code::PARAM,
        )
        .too_long(code::PARAM),
        coordinate("LeftBottomX"),
        coordinate("LeftBottomZ"),
        coordinate("RightUpX"),
        coordinate("RightUpZ"),
        positive("MaxUserNum", i32::MAX as u64),
        positive("ViewRadius", i32::MAX as u64),
        positive("MaxVisibleNum", 100)
            .hint("MaxVisibleNum is 1 to 100 (\"with a maximum limit of 100 users\")"),
    ],
    quotas: &[Quota::per_second(50, 50, code::THROTTLED)],
    sequence: None,
    feature: Some((Feature::SceneService, code::NOT_ENABLED)),
    doc: "scene/set-scene-template.yaml",
};

/// A scene template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneTemplate {
    /// `LeftBottomX`, `LeftBottomZ`, `RightUpX`, `RightUpZ`, when given.
    #[serde(default)]
    pub map: BTreeMap<String, f64>,
    /// `MaxUserNum`.
    pub max_user_num: u64,
    /// `ViewRadius`.
    pub view_radius: u64,
    /// `MaxVisibleNum`.
    pub max_visible_num: u64,
    /// When it was created, in Unix seconds.
    pub created_secs: i64,
}

impl Eq for SceneTemplate {}

/// The scene state of one app in one environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SceneState {
    /// The templates, by TemplateId.
    pub scene_templates: BTreeMap<u64, SceneTemplate>,
}

fn refuse(code: i64, check: Check, reason: String) -> Refusal {
    Refusal::new(code, Family::Scene, check, reason)
}

/// SetSceneTemplate: creates a template (an existing TemplateId answers 340004003, a 51st
/// template 340006003).
pub(crate) fn set_template(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let mut map = BTreeMap::new();
    for name in ["LeftBottomX", "LeftBottomZ", "RightUpX", "RightUpZ"] {
        if let Some(text) = ctx.args.str(name) {
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    map.insert(name.to_owned(), v);
                }
                _ => {
                    return Err(refuse(
                        code::PARAM,
                        Check::Parameter,
                        format!("{name} {text:?} is not a decimal number"),
                    ))
                }
            }
        }
    }
    let id = ctx.args.u64("TemplateId").unwrap_or_default();
    let template = SceneTemplate {
        map,
        max_user_num: ctx.args.u64("MaxUserNum").unwrap_or_default(),
        view_radius: ctx.args.u64("ViewRadius").unwrap_or_default(),
        max_visible_num: ctx.args.u64("MaxVisibleNum").unwrap_or_default(),
        created_secs: ctx.now_secs(),
    };
    let templates = &mut ctx.state.scene.scene_templates;
    if templates.contains_key(&id) {
        return Err(refuse(
            code::EXISTS,
            Check::Business,
            format!("template {id} already exists: set another template ID"),
        ));
    }
    if templates.len() >= MAX_TEMPLATES {
        return Err(refuse(
            code::PARAM,
            Check::Business,
            format!("the limit for custom templates is {MAX_TEMPLATES}, and the app has them all"),
        ));
    }
    templates.insert(id, template);
    Ok(Reply::ok(Data::Null))
}
