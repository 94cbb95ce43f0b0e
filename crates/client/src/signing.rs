//! Request signing (Server API v2, `SignatureVersion=2.0`) and query encoding.

use md5::{Digest, Md5};

/// Computes a ZEGO Server API v2 signature:
/// `hex_lower(md5(AppId + SignatureNonce + ServerSecret + Timestamp))`, with `AppId` and
/// `Timestamp` in decimal and no separators.
///
/// ```
/// // ZEGO's official test vector.
/// let signature = zego_client::sign(
///     12345,
///     "4fd24687296dd9f3",
///     "9193cc662a4c0ec135ec71fb57194b38",
///     1615186943,
/// );
/// assert_eq!(signature, "43e5cfcca828314675f91b001390566a");
/// ```
pub fn sign(app_id: u32, nonce: &str, secret: &str, timestamp: i64) -> String {
    let mut md5 = Md5::new();
    md5.update(app_id.to_string().as_bytes());
    md5.update(nonce.as_bytes());
    md5.update(secret.as_bytes());
    md5.update(timestamp.to_string().as_bytes());
    hex::encode(md5.finalize())
}

/// Fills `buf` with random bytes: the operating system's generator, through the TLS provider.
fn fill_random(buf: &mut [u8]) {
    use rustls::crypto::SecureRandom;
    static RNG: std::sync::OnceLock<&'static dyn SecureRandom> = std::sync::OnceLock::new();
    let rng = RNG.get_or_init(|| rustls::crypto::ring::default_provider().secure_random);
    if rng.fill(buf).is_err() {
        // The system generator failed: fall back to the standard library's randomly keyed hasher,
        // which is unpredictable enough for a nonce or jitter (neither is a secret).
        use std::hash::{BuildHasher, Hasher};
        for chunk in buf.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default(),
            );
            let bytes = h.finish().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// A fresh `SignatureNonce`: 8 random bytes as 16 lower-case hex characters.
pub(crate) fn nonce() -> String {
    let mut bytes = [0u8; 8];
    fill_random(&mut bytes);
    hex::encode(bytes)
}

/// A random number, for backoff jitter.
pub(crate) fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    fill_random(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// Percent-encodes a query name or value: everything but RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`) becomes `%XX`, so `rtmp://h/a?k=v` travels as
/// `rtmp%3A%2F%2Fh%2Fa%3Fk%3Dv` and `StreamId[]` as `StreamId%5B%5D`.
pub(crate) fn encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// Builds a query string from pairs, each name and value percent-encoded.
pub(crate) fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut q = String::with_capacity(256);
    for (name, value) in pairs {
        if !q.is_empty() {
            q.push('&');
        }
        encode(name, &mut q);
        q.push('=');
        encode(value, &mut q);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_test_vector() {
        assert_eq!(
            sign(
                12345,
                "4fd24687296dd9f3",
                "9193cc662a4c0ec135ec71fb57194b38",
                1615186943
            ),
            "43e5cfcca828314675f91b001390566a"
        );
    }

    #[test]
    fn the_vector_fixture_signs_as_documented() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../../fixtures/signature-vector.json"))
                .expect("fixture");
        let app = u32::try_from(v["app_id"].as_u64().expect("app_id")).expect("u32");
        let got = sign(
            app,
            v["signature_nonce"].as_str().expect("nonce"),
            v["server_secret"].as_str().expect("secret"),
            v["timestamp"].as_i64().expect("timestamp"),
        );
        assert_eq!(got, v["signature"].as_str().expect("signature"));
    }

    #[test]
    fn nonces_are_sixteen_lower_hex_and_differ() {
        let a = nonce();
        let b = nonce();
        for n in [&a, &b] {
            assert_eq!(n.len(), 16, "{n}");
            assert!(
                n.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
                "{n}"
            );
        }
        assert_ne!(a, b);
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        let q = query_string([
            ("CDNUrl", "rtmp://push.example.com/live/s1?k=v&x=1 2"),
            ("StreamId[]", "a-b_c.d~e"),
            ("Name", "é"),
        ]);
        assert_eq!(
            q,
            "CDNUrl=rtmp%3A%2F%2Fpush.example.com%2Flive%2Fs1%3Fk%3Dv%26x%3D1%202\
             &StreamId%5B%5D=a-b_c.d~e&Name=%C3%A9"
        );
    }
}
