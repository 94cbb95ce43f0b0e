//! The media-file family (`api-reference/cdn/`): CDN recordings of live streams, the files they
//! produce, and the merge, transcode and thumbnail tasks run on them, all on the mock's clock.

use serde::{Deserialize, Serialize};

/// The media-file family's state in one app and environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaFileState {}
