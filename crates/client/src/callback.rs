//! Checking ZEGO's server callbacks in the backend that receives them.
//!
//! ZEGO signs each callback with the project's **CallbackSecret** (not the ServerSecret that
//! signs API requests): `signature = hex(sha1(join(sort([secret, timestamp, nonce]))))`, the
//! three strings sorted in byte order and joined without a separator. The signature covers only
//! those three values, not the body, the event or the URL. Snake-case events (`room_create`,
//! `stream_close`, `mix_start`, `record`, ...) carry `timestamp`, `nonce` and `signature`;
//! PascalCase ones (`transcode_*`, `censor_*`) `Timestamp`, `Nonce` and `Signature`; some send
//! the timestamp as a JSON number.
//!
//! ```
//! use zego_client::callback;
//!
//! // The documented test vector.
//! let signature = callback::sign("secret", "1470820198", "123412");
//! assert_eq!(signature, "5bd59fd62953a8059fb7eaba95720f66d19e4517");
//! assert!(callback::verify("secret", "1470820198", "123412", &signature));
//!
//! // A received body, checked as a whole.
//! let body = serde_json::json!({
//!     "event": "room_create", "appid": 1, "timestamp": 1470820198, "nonce": "123412",
//!     "signature": "5bd59fd62953a8059fb7eaba95720f66d19e4517", "room_id": "rid_1242649",
//! });
//! assert!(callback::verify_body("secret", &body));
//! assert!(!callback::verify_body("another secret", &body));
//! ```

use serde_json::Value;
use sha1::{Digest, Sha1};

/// The signature ZEGO sends with a callback whose timestamp and nonce are these, under
/// `callback_secret`: 40 lower-case hex digits.
pub fn sign(callback_secret: &str, timestamp: &str, nonce: &str) -> String {
    let mut parts = [callback_secret, timestamp, nonce];
    parts.sort_unstable();
    let mut sha = Sha1::new();
    for part in parts {
        sha.update(part.as_bytes());
    }
    hex::encode(sha.finalize())
}

/// Whether `signature` is the one ZEGO sends for this timestamp and nonce under
/// `callback_secret` (hex digits in either case; compared in constant time).
pub fn verify(callback_secret: &str, timestamp: &str, nonce: &str, signature: &str) -> bool {
    let expected = sign(callback_secret, timestamp, nonce);
    let given = signature.as_bytes();
    if given.len() != expected.len() {
        return false;
    }
    expected
        .bytes()
        .zip(given)
        .fold(0u8, |diff, (a, b)| diff | (a ^ b.to_ascii_lowercase()))
        == 0
}

/// Whether a received callback body (decoded JSON, or a form body turned into an object of
/// strings) carries a valid signature: its `timestamp`/`Timestamp` (a string or a number),
/// `nonce`/`Nonce` and `signature`/`Signature` checked with [`verify`]. `false` when one of
/// them is missing.
pub fn verify_body(callback_secret: &str, body: &Value) -> bool {
    let field = |snake: &str, pascal: &str| -> Option<String> {
        match body.get(snake).or_else(|| body.get(pascal))? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    match (
        field("timestamp", "Timestamp"),
        field("nonce", "Nonce"),
        field("signature", "Signature"),
    ) {
        (Some(timestamp), Some(nonce), Some(signature)) => {
            verify(callback_secret, &timestamp, &nonce, &signature)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The documented vector: nonce 123412, timestamp 1470820198, secret "secret"; sorted
    /// "1234121470820198secret".
    const VECTOR: &str = "5bd59fd62953a8059fb7eaba95720f66d19e4517";

    #[test]
    fn the_documented_vector() {
        assert_eq!(sign("secret", "1470820198", "123412"), VECTOR);
        // The order the values are given in does not matter: they are sorted.
        assert_eq!(sign("123412", "1470820198", "secret"), VECTOR);
    }

    #[test]
    fn verify_accepts_the_signature_in_either_case_and_nothing_else() {
        assert!(verify("secret", "1470820198", "123412", VECTOR));
        assert!(verify(
            "secret",
            "1470820198",
            "123412",
            &VECTOR.to_ascii_uppercase()
        ));
        assert!(!verify("secret", "1470820199", "123412", VECTOR));
        assert!(!verify("secret", "1470820198", "123413", VECTOR));
        assert!(!verify("Secret", "1470820198", "123412", VECTOR));
        assert!(!verify("secret", "1470820198", "123412", &VECTOR[..39]));
        assert!(!verify("secret", "1470820198", "123412", ""));
    }

    #[test]
    fn bodies_of_both_styles_and_number_timestamps_verify() {
        let pascal = json!({"Event": "censor_audio_v2_status", "AppId": 1, "Timestamp": 1470820198,
            "Nonce": "123412", "Signature": VECTOR});
        assert!(verify_body("secret", &pascal));
        let snake = json!({"event": "room_login", "appid": "1", "timestamp": "1470820198",
            "nonce": "123412", "signature": VECTOR});
        assert!(verify_body("secret", &snake));
        let unsigned = json!({"event": "room_login", "timestamp": "1470820198", "nonce": "123412"});
        assert!(!verify_body("secret", &unsigned));
        assert!(!verify_body("secret", &json!("not an object")));
    }
}
