//! The scene family (`api-reference/scene/`): SetSceneTemplate and the templates it creates.

use serde::{Deserialize, Serialize};

/// The scene family's state in one app and environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SceneState {}
