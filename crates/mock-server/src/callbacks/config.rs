//! The callback configuration of an app (SPEC-rest-callbacks §5.5.1): its CallbackSecret, one URL
//! per category, the body format, the real-time timeout of an attempt and the retry delays on the
//! mock's clock. Both environments of an app share it, as one console project does.

use super::Category;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The documented retry delays: a retry 2, 4, 8, 16 and 32 s after the previous request.
pub const DEFAULT_RETRY_DELAYS_S: [u64; 5] = [2, 4, 8, 16, 32];
/// How long an attempt waits for an answer by default, in real milliseconds.
pub const DEFAULT_CALLBACK_TIMEOUT_MS: u64 = 5000;
/// How many deliveries the journal of an app keeps by default.
pub const DEFAULT_DELIVERY_CAPACITY: usize = 1000;
/// The longest callback URL accepted, in bytes.
pub const MAX_CALLBACK_URL_BYTES: usize = 2048;
/// The longest timeout accepted, in milliseconds.
const MAX_TIMEOUT_MS: u64 = 60_000;
/// The most retries accepted.
const MAX_RETRIES: usize = 10;
/// The longest retry delay accepted, in seconds (one day).
const MAX_RETRY_DELAY_S: u64 = 86_400;
/// The largest delivery journal accepted.
const MAX_DELIVERY_CAPACITY: usize = 10_000;
/// The longest CallbackSecret accepted, in bytes.
const MAX_SECRET_BYTES: usize = 256;

/// How a callback body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackFormat {
    /// `application/json`: the documented default.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`: one key per top-level field, arrays and objects
    /// JSON-encoded as the value (the variant ZEGO's support enables on request).
    Form,
}

impl CallbackFormat {
    /// The `Content-Type` of a body in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            CallbackFormat::Json => "application/json",
            CallbackFormat::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// The callback configuration of an app.
///
/// ```
/// use zego_mock::{CallbackConfig, Category, DEV_APP_ID};
/// let config = CallbackConfig::for_app(DEV_APP_ID)
///     .url(Category::Room, "http://127.0.0.1:9000/zego")
///     .url(Category::RoomUser, "http://127.0.0.1:9000/zego");
/// assert_eq!(config.secret, zego_mock::default_callback_secret(DEV_APP_ID));
/// assert_eq!(config.retry_delays_s, [2, 4, 8, 16, 32]);
/// assert!(config.validate().is_ok());
/// // The secret never shows in Debug output.
/// assert!(!format!("{config:?}").contains(&config.secret));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackConfig {
    /// The app's CallbackSecret (distinct from its ServerSecret), which signs every callback.
    pub secret: String,
    /// The URL of each category; a category without one sends nothing (its deliveries are
    /// journalled as `no_url`).
    #[serde(default)]
    pub urls: BTreeMap<Category, String>,
    /// JSON (default) or form bodies.
    #[serde(default)]
    pub format: CallbackFormat,
    /// How long an attempt waits for an answer, in real milliseconds (1 to 60000).
    pub timeout_ms: u64,
    /// The delay of each retry after the previous attempt, in seconds of the mock's clock: one
    /// retry per entry (at most 10), so `[2,4,8,16,32]` makes at most 6 attempts.
    pub retry_delays_s: Vec<u64>,
    /// Whether the app's events become deliveries at all.
    pub enabled: bool,
    /// The seed of the app's nonce generator (default: derived from the AppId), so bodies are
    /// reproducible.
    #[serde(default)]
    pub nonce_seed: Option<u64>,
    /// How many deliveries the app's journal keeps (1 to 10000, default 1000); finished ones
    /// are dropped first.
    pub journal_capacity: usize,
}

impl fmt::Debug for CallbackConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackConfig")
            .field("secret", &"***")
            .field("urls", &self.urls)
            .field("format", &self.format)
            .field("timeout_ms", &self.timeout_ms)
            .field("retry_delays_s", &self.retry_delays_s)
            .field("enabled", &self.enabled)
            .field("nonce_seed", &self.nonce_seed)
            .field("journal_capacity", &self.journal_capacity)
            .finish()
    }
}

/// The CallbackSecret an app has until one is configured: the first 32 hex characters of
/// `md5("zego-mock callback secret {AppId}")`, so a test can verify signatures without
/// configuring anything (it is derived from public data: never rely on it for anything real).
///
/// ```
/// let s = zego_mock::default_callback_secret(1234567890);
/// assert_eq!(s.len(), 32);
/// assert_ne!(s, zego_mock::DEV_SERVER_SECRET);
/// ```
pub fn default_callback_secret(app_id: u32) -> String {
    let mut md5 = Md5::new();
    md5.update(format!("zego-mock callback secret {app_id}").as_bytes());
    hex::encode(md5.finalize())
}

impl CallbackConfig {
    /// The defaults for an app: its derived secret ([`default_callback_secret`]), no URL, JSON,
    /// 5 s timeout, retries after 2, 4, 8, 16, 32 s, enabled.
    pub fn for_app(app_id: u32) -> Self {
        Self {
            secret: default_callback_secret(app_id),
            urls: BTreeMap::new(),
            format: CallbackFormat::Json,
            timeout_ms: DEFAULT_CALLBACK_TIMEOUT_MS,
            retry_delays_s: DEFAULT_RETRY_DELAYS_S.to_vec(),
            enabled: true,
            nonce_seed: None,
            journal_capacity: DEFAULT_DELIVERY_CAPACITY,
        }
    }

    /// Sets the URL of one category.
    #[must_use]
    pub fn url(mut self, category: Category, url: impl Into<String>) -> Self {
        self.urls.insert(category, url.into());
        self
    }

    /// Sets the same URL for every category.
    #[must_use]
    pub fn all_urls(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        for c in Category::ALL {
            self.urls.insert(c, url.clone());
        }
        self
    }

    /// Sets the CallbackSecret.
    #[must_use]
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = secret.into();
        self
    }

    /// Sets the body format.
    #[must_use]
    pub fn format(mut self, format: CallbackFormat) -> Self {
        self.format = format;
        self
    }

    /// Sets the real-time timeout of an attempt, in milliseconds.
    #[must_use]
    pub fn timeout_ms(mut self, ms: u64) -> Self {
        self.timeout_ms = ms;
        self
    }

    /// Checks every field; `Err` says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.secret.is_empty() {
            return Err("secret: the CallbackSecret is empty".into());
        }
        if self.secret.len() > MAX_SECRET_BYTES
            || !self.secret.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(format!(
                "secret: at most {MAX_SECRET_BYTES} printable ASCII characters without spaces"
            ));
        }
        for (category, url) in &self.urls {
            check_url(url).map_err(|e| format!("urls.{}: {e}", category_name(*category)))?;
        }
        if !(1..=MAX_TIMEOUT_MS).contains(&self.timeout_ms) {
            return Err(format!(
                "timeout_ms: {} is not in 1..={MAX_TIMEOUT_MS}",
                self.timeout_ms
            ));
        }
        if self.retry_delays_s.len() > MAX_RETRIES {
            return Err(format!(
                "retry_delays_s: at most {MAX_RETRIES} retries, not {}",
                self.retry_delays_s.len()
            ));
        }
        if let Some(d) = self.retry_delays_s.iter().find(|d| **d > MAX_RETRY_DELAY_S) {
            return Err(format!(
                "retry_delays_s: {d} s is longer than a day ({MAX_RETRY_DELAY_S} s)"
            ));
        }
        if !(1..=MAX_DELIVERY_CAPACITY).contains(&self.journal_capacity) {
            return Err(format!(
                "journal_capacity: {} is not in 1..={MAX_DELIVERY_CAPACITY}",
                self.journal_capacity
            ));
        }
        Ok(())
    }
}

/// A category's name on the wire (`room_user`, ...).
pub(crate) fn category_name(c: Category) -> String {
    match serde_json::to_value(c) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{c:?}"),
    }
}

/// Checks a callback URL: `http://host[:port][/path]`, at most [`MAX_CALLBACK_URL_BYTES`].
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    if url.len() > MAX_CALLBACK_URL_BYTES {
        return Err(format!(
            "the URL is longer than {MAX_CALLBACK_URL_BYTES} bytes"
        ));
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Err(format!(
            "{url:?}: the mock's callback client speaks plain http:// only (no TLS)"
        ));
    }
    if !lower.starts_with("http://") {
        return Err(format!("{url:?} is not an http:// URL"));
    }
    let uri: hyper::Uri = url
        .parse()
        .map_err(|e| format!("{url:?} is not a valid URL: {e}"))?;
    match uri.host() {
        Some(h) if !h.is_empty() => Ok(()),
        _ => Err(format!("{url:?} has no host")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert!(check_url("http://127.0.0.1:9000/cb?x=1").is_ok());
        assert!(check_url("HTTP://example.com").is_ok());
        assert!(check_url("https://example.com")
            .unwrap_err()
            .contains("http://"));
        assert!(check_url("ftp://example.com").is_err());
        assert!(check_url("http://").is_err());
        assert!(check_url(&format!("http://a/{}", "x".repeat(3000))).is_err());
    }

    #[test]
    fn the_defaults_are_valid_and_bad_fields_are_named() {
        let c = CallbackConfig::for_app(7);
        assert!(c.validate().is_ok());
        assert_eq!(c.secret.len(), 32);
        assert_ne!(c.secret, default_callback_secret(8));
        let bad = CallbackConfig {
            timeout_ms: 0,
            ..c.clone()
        };
        assert!(bad.validate().unwrap_err().starts_with("timeout_ms"));
        let bad = c.clone().url(Category::RoomUser, "nope");
        assert!(bad.validate().unwrap_err().starts_with("urls.room_user"));
        let bad = c.secret("");
        assert!(bad.validate().unwrap_err().starts_with("secret"));
    }
}
