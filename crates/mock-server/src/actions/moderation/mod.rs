//! The audio/video stream moderation family (`api-reference/moderation/`): censor tasks on rooms,
//! which end by themselves once their room has had no live stream for 300 s, the results tests
//! inject, and identify tokens.

use serde::{Deserialize, Serialize};

/// The moderation family's state in one app and environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationState {}
