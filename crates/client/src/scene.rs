//! The scene action (the `scene/` page of the Server API): SetSceneTemplate, a custom template
//! for the scenes users log in to. ZEGO documents the feature as discontinued.
//!
//! The action is a request type that serializes to the parameters its OpenAPI page documents
//! (names as on the wire, through serde), and one line in the table of operations
//! (`actions.rs`), which gives it its [`Client`](crate::Client) method.
//!
//! It is a `GET` without a `Sequence`, served by its own host, `https://metaworld-api.zego.im`:
//! call it through a client built with that [`base_url`](crate::ClientBuilder::base_url). The
//! page declares `AppId` a second time among the business parameters; it is the signed common
//! `AppId` the client always sends, so the request has no field for it. The map's coordinates
//! are decimal numbers, sent whole when they are (`RightUpX=500`, `LeftBottomX=0.5`).
//!
//! A success answers `Message` `"succeed"` (not `"success"`) and `"Data": null`; the client
//! judges an answer by its `Code` alone. Codes are read in the [`Scene`](crate::Family::Scene)
//! family: 340004003 the template already exists, 340006003 parameter error.

use crate::mixing::setters;
use crate::wire::decimal;
use serde::Serialize;

/// `SetSceneTemplate`: create a custom scene template (at most 50 per app). Scenes that use a
/// template take a change only once they are destroyed (10 minutes after their last user
/// leaves) and created again.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SetSceneTemplateRequest {
    /// `TemplateId`: the template's id.
    #[serde(rename = "TemplateId")]
    pub template_id: u64,
    /// `LeftBottomX`: the map's lower-left X coordinate.
    #[serde(rename = "LeftBottomX", serialize_with = "decimal")]
    pub left_bottom_x: Option<f64>,
    /// `LeftBottomZ`: the map's lower-left Z coordinate.
    #[serde(rename = "LeftBottomZ", serialize_with = "decimal")]
    pub left_bottom_z: Option<f64>,
    /// `RightUpX`: the map's upper-right X coordinate.
    #[serde(rename = "RightUpX", serialize_with = "decimal")]
    pub right_up_x: Option<f64>,
    /// `RightUpZ`: the map's upper-right Z coordinate.
    #[serde(rename = "RightUpZ", serialize_with = "decimal")]
    pub right_up_z: Option<f64>,
    /// `MaxUserNum`: the most users in a scene; later users fail to log in.
    #[serde(rename = "MaxUserNum")]
    pub max_user_num: u32,
    /// `ViewRadius`: the AOI (a user's view) radius.
    #[serde(rename = "ViewRadius")]
    pub view_radius: u32,
    /// `MaxVisibleNum`: the most remote users visible in a user's AOI, at most 100.
    #[serde(rename = "MaxVisibleNum")]
    pub max_visible_num: u32,
}

impl SetSceneTemplateRequest {
    /// A template with its required limits: users per scene, view radius and visible users;
    /// the map's corners unset.
    pub fn new(
        template_id: u64,
        max_user_num: u32,
        view_radius: u32,
        max_visible_num: u32,
    ) -> Self {
        Self {
            template_id,
            left_bottom_x: None,
            left_bottom_z: None,
            right_up_x: None,
            right_up_z: None,
            max_user_num,
            view_radius,
            max_visible_num,
        }
    }

    /// Sets the map's corners: `LeftBottomX`, `LeftBottomZ`, `RightUpX` and `RightUpZ`.
    #[must_use]
    pub fn map(mut self, left_bottom: (f64, f64), right_up: (f64, f64)) -> Self {
        self.left_bottom_x = Some(left_bottom.0);
        self.left_bottom_z = Some(left_bottom.1);
        self.right_up_x = Some(right_up.0);
        self.right_up_z = Some(right_up.1);
        self
    }
}

setters!(SetSceneTemplateRequest {
    /// Sets `LeftBottomX`.
    left_bottom_x: f64;
    /// Sets `LeftBottomZ`.
    left_bottom_z: f64;
    /// Sets `RightUpX`.
    right_up_x: f64;
    /// Sets `RightUpZ`.
    right_up_z: f64;
});
