//! The API gateway: common parameters, app lookup, timestamp skew, signature, environment.
//!
//! The checks run in the order of SPEC.md section 4 and the first failure wins. Each failure
//! carries a reason written for the developer who sent the request (it never contains the secret).
//! The gateway knows nothing of actions: the pipeline looks the action up before, and swaps in an
//! action's legacy codes after.

use crate::codes::gateway as gw;
use crate::config::{AppConfig, Env};
use crate::query::Params;
use crate::refusal::{Check, Refusal};
use md5::{Digest, Md5};

/// The largest accepted difference between the server's clock and `Timestamp`, in seconds.
pub const MAX_SKEW_SECS: i64 = 600;

/// Computes a ZEGO Server API v2 signature:
/// `hex_lower(md5(AppId + SignatureNonce + ServerSecret + Timestamp))`.
///
/// ```
/// // The official test vector.
/// assert_eq!(
///     zego_mock::sign(12345, "4fd24687296dd9f3", "9193cc662a4c0ec135ec71fb57194b38", 1615186943),
///     "43e5cfcca828314675f91b001390566a"
/// );
/// ```
pub fn sign(app_id: u32, nonce: &str, secret: &str, timestamp: i64) -> String {
    let hex = signature_hex(app_id, nonce, secret, timestamp);
    hex.iter().copied().map(char::from).collect()
}

/// The signature as 32 lower-case hex bytes, computed without allocating (the gateway's hot path):
/// the signed text is laid out in a stack buffer and hashed in one call when it fits (a 16-byte
/// nonce and a 32-byte secret take about 70 bytes), piece by piece otherwise.
fn signature_hex(app_id: u32, nonce: &str, secret: &str, timestamp: i64) -> [u8; 32] {
    let (mut id_buf, mut ts_buf) = ([0u8; 20], [0u8; 20]);
    signature_hex_of(
        decimal(i64::from(app_id), &mut id_buf),
        nonce,
        secret,
        decimal(timestamp, &mut ts_buf),
    )
}

/// [`signature_hex`] over the AppId and Timestamp already written in decimal.
fn signature_hex_of(app_id: &[u8], nonce: &str, secret: &str, timestamp: &[u8]) -> [u8; 32] {
    let parts = [app_id, nonce.as_bytes(), secret.as_bytes(), timestamp];
    let digest: [u8; 16] = crate::md5_short::digest(&parts).unwrap_or_else(|| {
        let mut md5 = Md5::new();
        for part in parts {
            md5.update(part);
        }
        md5.finalize().into()
    });
    let mut hex = [0u8; 32];
    for (pair, byte) in hex.chunks_exact_mut(2).zip(digest) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(byte)]);
    }
    hex
}

/// The two lower-case hex digits of every byte (one look-up a byte: the `hex` crate's
/// `encode_to_slice` took about 80 instructions more for a signature's 16 bytes).
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = [DIGITS[b >> 4], DIGITS[b & 15]];
        b += 1;
    }
    t
};

/// `n` in decimal (with a leading `-` when negative), written at the end of `buf`.
pub(crate) fn decimal(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = digits(n.unsigned_abs(), buf);
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// `v` in decimal, written at the end of `buf`.
pub(crate) fn unsigned_decimal(v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let i = digits(v, buf);
    &buf[i..]
}

/// Writes the digits of `v` at the end of `buf` (at most 20, `u64::MAX`'s); answers where they
/// start. All twenty places are written, in three pieces of at most eight digits worked out in
/// 32-bit arithmetic (two 64-bit divisions in all, where two digits at a time took ten for a
/// 19-digit RequestId); the answer skips the leading zeros.
fn digits(v: u64, buf: &mut [u8; 20]) -> usize {
    const E8: u64 = 100_000_000;
    let (top, rest) = (v / (E8 * E8), v % (E8 * E8));
    let (mid, low) = ((rest / E8) as u32, (rest % E8) as u32);
    // `top` is below 1845: the first four places are two pairs.
    let top = top as u32;
    buf[0..2].copy_from_slice(&DIGIT_PAIRS[(top / 100) as usize]);
    buf[2..4].copy_from_slice(&DIGIT_PAIRS[(top % 100) as usize]);
    eight_digits(mid, &mut buf[4..12]);
    eight_digits(low, &mut buf[12..20]);
    buf.len() - (v.checked_ilog10().unwrap_or(0) as usize + 1)
}

/// Writes `v` (below 10^8) as eight digits, leading zeros included, into `out` (8 bytes).
#[inline(always)]
fn eight_digits(v: u32, out: &mut [u8]) {
    let (high, low) = (v / 10_000, v % 10_000);
    for (at, four) in [(0, high), (4, low)] {
        if let Some(place) = out.get_mut(at..at + 4) {
            place[..2].copy_from_slice(&DIGIT_PAIRS[(four / 100) as usize]);
            place[2..].copy_from_slice(&DIGIT_PAIRS[(four % 100) as usize]);
        }
    }
}

/// The two decimal digits of every number below 100: "00", "01", ... "99".
const DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut n = 0;
    while n < 100 {
        t[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        n += 1;
    }
    t
};

/// Builds a signed query string for `action` with the common parameters first, then `params`
/// (each name and value percent-encoded; names may end in `[]` for arrays).
///
/// ```
/// let q = zego_mock::signed_query(12345, "9193cc662a4c0ec135ec71fb57194b38", "CreatCDNTransferRule",
///     1615186943, "4fd24687296dd9f3", &[("StreamId", "s1")]);
/// assert!(q.starts_with("Action=CreatCDNTransferRule&AppId=12345&SignatureNonce=4fd24687296dd9f3&Timestamp=1615186943&Signature=43e5cfcca828314675f91b001390566a&SignatureVersion=2.0"));
/// assert!(q.ends_with("&StreamId=s1"));
/// ```
pub fn signed_query(
    app_id: u32,
    secret: &str,
    action: &str,
    timestamp: i64,
    nonce: &str,
    params: &[(&str, &str)],
) -> String {
    use crate::query::encode;
    let signature = sign(app_id, nonce, secret, timestamp);
    let mut q = format!(
        "Action={}&AppId={app_id}&SignatureNonce={}&Timestamp={timestamp}&Signature={signature}&SignatureVersion=2.0",
        encode(action),
        encode(nonce)
    );
    for (name, value) in params {
        let name = match name.strip_suffix("[]") {
            Some(base) => format!("{}[]", encode(base)),
            None => encode(name),
        };
        q.push('&');
        q.push_str(&name);
        q.push('=');
        q.push_str(&encode(value));
    }
    q
}

/// A fresh nonce: 8 random bytes as 16 lower-case hex characters.
pub fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    // Each RandomState has fresh random keys; hashing the time through it gives 64 random bits
    // without a dependency on a random-number crate.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(crate::clock::system_now_millis());
    format!("{:016x}", h.finish())
}

/// How `IsTest` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IsTest {
    /// Absent or empty: production.
    Absent,
    /// `true` or `false` in any case.
    Valid(Env),
    /// Anything else: passes the gateway, refused by the action layer.
    Invalid(String),
}

impl IsTest {
    fn parse(params: &Params) -> Self {
        match params.non_empty("IsTest") {
            None => IsTest::Absent,
            Some(v) if v.eq_ignore_ascii_case("true") => IsTest::Valid(Env::Test),
            Some(v) if v.eq_ignore_ascii_case("false") => IsTest::Valid(Env::Production),
            Some(v) => IsTest::Invalid(v.to_string()),
        }
    }

    /// The environment the request counts against (production when `IsTest` is unparseable).
    pub fn env(&self) -> Env {
        match self {
            IsTest::Valid(env) => *env,
            IsTest::Absent | IsTest::Invalid(_) => Env::Production,
        }
    }
}

/// A request that passed the gateway.
#[derive(Debug, Clone)]
pub struct Admitted {
    /// The AppId, parsed.
    pub app_id: u32,
    /// How `IsTest` was given.
    pub is_test: IsTest,
}

impl Admitted {
    /// The environment the request addresses.
    pub fn env(&self) -> Env {
        self.is_test.env()
    }
}

/// The value of `s` when it is one or more ASCII digits and fits in a `u64` (leading zeros
/// allowed): what `s.parse::<u64>()` answers for such text, without its sign handling and
/// overflow checks for the usual up to 19 digits, which cannot overflow.
pub(crate) fn decimal_u64(s: &str) -> Option<u64> {
    let bytes = s.as_bytes();
    let digit = |b: u8| {
        let d = b.wrapping_sub(b'0');
        (d < 10).then_some(u64::from(d))
    };
    if bytes.is_empty() {
        return None;
    }
    if bytes.len() <= 19 {
        bytes
            .iter()
            .try_fold(0u64, |v, &b| Some(v.wrapping_mul(10) + digit(b)?))
    } else {
        bytes
            .iter()
            .try_fold(0u64, |v, &b| v.checked_mul(10)?.checked_add(digit(b)?))
    }
}

/// A Timestamp: an optional `-` and one or more ASCII digits, within `i64`.
fn parse_timestamp(s: &str) -> Option<i64> {
    match s.strip_prefix('-') {
        Some(digits) => {
            let n = decimal_u64(digits)?;
            // i64::MIN's magnitude is one more than i64::MAX.
            0i64.checked_sub_unsigned(n)
        }
        None => i64::try_from(decimal_u64(s)?).ok(),
    }
}

/// Runs gateway steps 2 to 10 for a request whose action is known. `lookup` finds an app by id;
/// `now_secs` is the mock's clock.
pub fn admit<A: std::ops::Deref<Target = AppConfig>>(
    params: &Params,
    lookup: impl FnOnce(u32) -> Option<A>,
    now_secs: i64,
    reveal_signatures: bool,
) -> Result<Admitted, Refusal> {
    let id_raw = params.get("AppId");
    let app_id = match id_raw {
        None | Some("") => {
            return Err(Refusal::gateway(
                gw::APP_ID_FORMAT,
                Check::AppId,
                "the AppId query parameter is missing or empty".into(),
            ))
        }
        Some(raw) => match decimal_u64(raw).map(u32::try_from) {
            Some(Ok(id)) => id,
            _ => {
                return Err(Refusal::gateway(
                    gw::APP_ID_FORMAT,
                    Check::AppId,
                    format!("AppId {raw:?} is not an unsigned 32-bit decimal number"),
                ))
            }
        },
    };
    let ts_raw = params.non_empty("Timestamp");
    let timestamp = match ts_raw {
        None => {
            return Err(Refusal::gateway(
                gw::TIMESTAMP_EMPTY,
                Check::Timestamp,
                "the Timestamp query parameter is missing or empty".into(),
            ))
        }
        Some(raw) => parse_timestamp(raw).ok_or_else(|| {
            Refusal::gateway(
                gw::TIMESTAMP_FORMAT,
                Check::Timestamp,
                format!("Timestamp {raw:?} is not a signed 64-bit decimal number of Unix seconds"),
            )
        })?,
    };
    let nonce = params.non_empty("SignatureNonce").ok_or_else(|| {
        Refusal::gateway(
            gw::NONCE_EMPTY,
            Check::SignatureNonce,
            "the SignatureNonce query parameter is missing or empty".into(),
        )
    })?;
    let signature = params.non_empty("Signature").ok_or_else(|| {
        Refusal::gateway(
            gw::SIGNATURE_EMPTY,
            Check::Signature,
            "the Signature query parameter is missing or empty".into(),
        )
    })?;
    match params.non_empty("SignatureVersion") {
        None => return Err(Refusal::gateway(
            gw::SIGNATURE_VERSION_EMPTY,
            Check::SignatureVersion,
            "the SignatureVersion query parameter is missing or empty; send SignatureVersion=2.0"
                .into(),
        )),
        Some("2.0") => {}
        Some(other) => {
            return Err(Refusal::gateway(
                gw::SIGNATURE_VERSION_UNSUPPORTED,
                Check::SignatureVersion,
                format!("SignatureVersion {other:?} is not supported; only \"2.0\" is"),
            ))
        }
    }
    let app = lookup(app_id).ok_or_else(|| {
        Refusal::gateway(
            gw::NO_SERVER_SECRET,
            Check::App,
            format!("AppId {app_id} is not configured in this mock (add it with --app or MockServer::builder().app)"),
        )
    })?;
    let skew = now_secs.saturating_sub(timestamp);
    if skew.saturating_abs() > MAX_SKEW_SECS {
        let detail = format!(
            "Timestamp {timestamp} is {} s {} the server time {now_secs}; at most {MAX_SKEW_SECS} s either way is accepted",
            skew.saturating_abs(),
            if skew > 0 { "behind" } else { "ahead of" },
        );
        return Err(Refusal::gateway(
            gw::SIGNATURE_EXPIRED,
            Check::Timestamp,
            detail,
        ));
    }
    // The AppId and Timestamp as sent are the decimal text signed, unless written with a
    // leading zero (or as -0): then the numbers are written out again.
    let canonical = |raw: &str| {
        let digits = raw.strip_prefix('-').unwrap_or(raw);
        !digits.starts_with('0') || raw == "0"
    };
    let expected = match (id_raw, ts_raw) {
        (Some(id), Some(ts)) if canonical(id) && canonical(ts) => {
            signature_hex_of(id.as_bytes(), nonce, app.secret.expose(), ts.as_bytes())
        }
        _ => signature_hex(app_id, nonce, app.secret.expose(), timestamp),
    };
    if signature.as_bytes() != expected {
        let expected = std::str::from_utf8(&expected).unwrap_or_default();
        // Four hex digits tell a wrong secret from a wrong encoding of the inputs; the whole
        // value would let a reader of the journal sign any request for this nonce and timestamp.
        let shown = if reveal_signatures {
            expected.to_string()
        } else {
            format!(
                "{}… (the first 4 of 32 hex digits; the mock shows all only with --reveal-signatures)",
                &expected[..4.min(expected.len())]
            )
        };
        let mut detail = format!(
            "Signature mismatch: expected md5(\"{app_id}\" + \"{nonce}\" + ServerSecret(***) + \"{timestamp}\") = {shown}, received {}",
            crate::spec::truncate(signature, 64)
        );
        if signature.eq_ignore_ascii_case(expected) {
            detail.push_str(" (the signature must be lower-case hex)");
        }
        return Err(Refusal::gateway(
            gw::SIGNATURE_ERROR,
            Check::Signature,
            detail,
        ));
    }
    let is_test = IsTest::parse(params);
    // An unparseable IsTest selects no environment: the action layer refuses it.
    let selected = match is_test {
        IsTest::Absent => Some(Env::Production),
        IsTest::Valid(env) => Some(env),
        IsTest::Invalid(_) => None,
    };
    if let Some(env) = selected.filter(|env| !app.has_env(*env)) {
        return Err(Refusal::gateway(
            gw::ENV_NOT_CONFIGURED,
            Check::Environment,
            format!(
                "AppId {app_id} has no {} environment (IsTest={} selects it)",
                env.as_str(),
                env == Env::Test
            ),
        ));
    }
    Ok(Admitted { app_id, is_test })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn decimals_read_as_std_reads_them(s in "[-+0-9a]{0,24}") {
            let digits_only = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let std_u64 = s.parse::<u64>().ok().filter(|_| digits_only);
            proptest::prop_assert_eq!(decimal_u64(&s), std_u64);
            let signed = s.strip_prefix('-').unwrap_or(&s);
            let std_i64 = s
                .parse::<i64>()
                .ok()
                .filter(|_| !signed.is_empty() && signed.bytes().all(|b| b.is_ascii_digit()));
            proptest::prop_assert_eq!(parse_timestamp(&s), std_i64);
        }

        #[test]
        fn long_and_extreme_decimals_read_as_std_reads_them(
            zeros in 0usize..10,
            n in proptest::prop_oneof![
                proptest::strategy::Just(u64::MAX),
                proptest::strategy::Just(i64::MAX as u64),
                proptest::strategy::Just(1u64 << 63),
                proptest::num::u64::ANY,
            ],
            over in 0u32..3,
        ) {
            let s = format!("{}{n}{}", "0".repeat(zeros), "0".repeat(over as usize));
            proptest::prop_assert_eq!(decimal_u64(&s), s.parse::<u64>().ok());
            let negative = format!("-{s}");
            proptest::prop_assert_eq!(parse_timestamp(&negative), negative.parse::<i64>().ok());
            proptest::prop_assert_eq!(parse_timestamp(&s), s.parse::<i64>().ok());
        }
    }

    #[test]
    fn official_signature_test_vector() {
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
    fn decimal_rendering_matches_to_string() {
        let mut buf = [0u8; 20];
        for n in [
            0,
            7,
            -7,
            10,
            1_615_186_943,
            i64::MAX,
            i64::MIN,
            i64::from(u32::MAX),
            99,
            100,
            -100,
            1_000_000_000_000_000_001,
        ] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes(), "{n}");
        }
        for v in [0, 9, 10, 99, 100, 101, 999, u64::MAX, u64::MAX - 1] {
            assert_eq!(
                unsigned_decimal(v, &mut buf),
                v.to_string().as_bytes(),
                "{v}"
            );
        }
        // Numbers of every length (a generator's values shifted right by 0 to 63 bits).
        let mut x: u64 = 1;
        for k in 0..2000u32 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let v = x >> (k % 64);
            assert_eq!(
                unsigned_decimal(v, &mut buf),
                v.to_string().as_bytes(),
                "{v}"
            );
        }
        assert_eq!(
            sign(0, "", "", -1),
            hex::encode(md5::Md5::digest(b"0-1")),
            "negative timestamps sign as their decimal rendering"
        );
    }

    #[test]
    fn timestamps_are_decimal_with_an_optional_minus() {
        assert_eq!(parse_timestamp("-5"), Some(-5));
        assert_eq!(parse_timestamp("+5"), None);
        assert_eq!(parse_timestamp(" 5"), None);
        assert_eq!(parse_timestamp("9223372036854775808"), None);
        assert_eq!(parse_timestamp("1e9"), None);
    }
}
