//! ZEGO's server callbacks: what the real service POSTs to the backend under test when rooms
//! open and close, users log in and out, streams start and stop, mix and transcode tasks start
//! and stop, recordings and media tasks finish, and moderation tasks report.
//!
//! Every state change the real service would report is an [`Event`](crate::Event) in the event
//! journal. [`format::render`] turns one into the exact documented body of its callback, signed
//! with the app's CallbackSecret ([`sign`]). [`deliver`] sends them: configuration per app
//! ([`config::CallbackConfig`]), a bounded background dispatcher with retries on the mock's
//! clock, and the delivery journal.

pub(crate) mod config;
pub(crate) mod deliver;
pub(crate) mod format;

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

/// A callback URL category: the real service's configuration surfaces (the console's callback
/// pages and what Technical Support configures), one URL each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// `room_create`, `room_close`.
    Room,
    /// `room_login`, `room_logout`.
    RoomUser,
    /// `stream_create`, `stream_close`.
    Stream,
    /// `record`.
    Record,
    /// `mix_start`, `mix_stop`.
    Mix,
    /// `transcode_start`, `transcode_stop`.
    Transcode,
    /// `compose`, `procedure`, `snapshot`.
    MediaTask,
    /// `censor_audio_v2_result`, `censor_video_v2_audio_result`, `censor_video_v2_img_result`.
    CensorResult,
    /// `censor_audio_v2_status`, `censor_video_v2_audio_status`, `censor_video_v2_img_status`.
    CensorStatus,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 9] = [
        Category::Room,
        Category::RoomUser,
        Category::Stream,
        Category::Record,
        Category::Mix,
        Category::Transcode,
        Category::MediaTask,
        Category::CensorResult,
        Category::CensorStatus,
    ];

    /// The category of a callback event, `None` for an event the real service sends no
    /// callback for.
    pub fn of(event: &str) -> Option<Category> {
        Some(match event {
            "room_create" | "room_close" => Category::Room,
            "room_login" | "room_logout" => Category::RoomUser,
            "stream_create" | "stream_close" => Category::Stream,
            "record" => Category::Record,
            "mix_start" | "mix_stop" => Category::Mix,
            "transcode_start" | "transcode_stop" => Category::Transcode,
            "compose" | "procedure" | "snapshot" => Category::MediaTask,
            "censor_audio_v2_result"
            | "censor_video_v2_audio_result"
            | "censor_video_v2_img_result" => Category::CensorResult,
            "censor_audio_v2_status"
            | "censor_video_v2_audio_status"
            | "censor_video_v2_img_status" => Category::CensorStatus,
            _ => return None,
        })
    }
}

/// The signature of a callback: `hex(sha1(join(sort([secret, timestamp, nonce]))))`, the three
/// strings sorted in byte order and joined without a separator (the documented algorithm).
///
/// ```
/// // The documented test vector.
/// let s = zego_mock::callback_signature("secret", "1470820198", "123412");
/// assert_eq!(s, "5bd59fd62953a8059fb7eaba95720f66d19e4517");
/// ```
pub fn sign(secret: &str, timestamp: &str, nonce: &str) -> String {
    let mut parts = [secret, timestamp, nonce];
    parts.sort_unstable();
    let mut sha = Sha1::new();
    for p in parts {
        sha.update(p.as_bytes());
    }
    hex::encode(sha.finalize())
}

/// A callback ready to send: its category (which URL it goes to) and its body, signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// Which configured URL it goes to.
    pub category: Category,
    /// The documented body, every field with its documented JSON type.
    pub body: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_vector_signs_as_documented() {
        assert_eq!(
            sign("secret", "1470820198", "123412"),
            "5bd59fd62953a8059fb7eaba95720f66d19e4517"
        );
        // The order of the arguments does not matter: they are sorted.
        assert_eq!(
            sign("123412", "secret", "1470820198"),
            sign("secret", "1470820198", "123412")
        );
    }

    #[test]
    fn every_category_has_its_events() {
        for c in Category::ALL {
            let named = [
                "room_create",
                "room_close",
                "room_login",
                "room_logout",
                "stream_create",
                "stream_close",
                "record",
                "mix_start",
                "mix_stop",
                "transcode_start",
                "transcode_stop",
                "compose",
                "procedure",
                "snapshot",
                "censor_audio_v2_result",
                "censor_video_v2_audio_result",
                "censor_video_v2_img_result",
                "censor_audio_v2_status",
                "censor_video_v2_audio_status",
                "censor_video_v2_img_status",
            ]
            .into_iter()
            .filter(|e| Category::of(e) == Some(c))
            .count();
            assert!(named > 0, "{c:?}");
        }
        assert_eq!(Category::of("something_else"), None);
    }
}
