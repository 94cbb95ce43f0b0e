//! The client's codes against the workspace's return-code table (`fixtures/return-codes.json`,
//! transcribed from ZEGO's `return-codes.mdx` and the action pages): every code of every family
//! resolves, in its family, to a variant with that number and description, and its classification
//! follows from what the description says, not from a list kept in the client.

use std::collections::BTreeSet;
use zego_client::{ErrorCode, Family};

struct Documented {
    code: i64,
    family: Family,
    family_name: String,
    description: String,
}

fn table() -> (Vec<String>, Vec<Documented>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/return-codes.json"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the table")).expect("JSON");
    let families: Vec<String> = json["families"]
        .as_object()
        .expect("families")
        .keys()
        .cloned()
        .collect();
    let codes = json["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| {
            let family_name = c["family"].as_str().expect("family").to_string();
            let family = family_of(&family_name);
            Documented {
                code: c["code"].as_i64().expect("code"),
                family,
                family_name,
                description: c["description"].as_str().expect("description").to_string(),
            }
        })
        .collect();
    (families, codes)
}

/// The client's family for a name of the table, spelled out here rather than taken from
/// `Family::name`.
fn family_of(name: &str) -> Family {
    match name {
        "gateway" => Family::Gateway,
        "media-service" => Family::MediaService,
        "cdn-live" => Family::CdnLive,
        "room" => Family::Room,
        "stream-mixing" => Family::StreamMixing,
        "media-file" => Family::MediaFile,
        "moderation" => Family::Moderation,
        "scene" => Family::Scene,
        other => panic!("the client has no family for {other:?}"),
    }
}

fn says(description: &str, words: &[&str]) -> bool {
    let d = description.to_ascii_lowercase();
    words.iter().any(|w| d.contains(w))
}

/// Descriptions of a throttled call: "Interface call frequency too high.", "Request frequency
/// exceeds the limit.", "App request QPS too high and was limited.", "... request overload.",
/// "Requests too frequent."
const THROTTLING: &[&str] = &["frequency", "qps", "overload", "too frequent"];

/// Descriptions of refused credentials: an authentication, signature or timestamp failure, an
/// unknown secret or app.
const AUTH: &[&str] = &[
    "authentication failed",
    "signature error",
    "signature expired",
    "failed to get serversecret",
    "invalid app",
    "timestamp error",
];

#[test]
fn every_family_of_the_table_is_a_family_of_the_client() {
    let (families, _) = table();
    let names: BTreeSet<&str> = families.iter().map(String::as_str).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "gateway",
            "media-service",
            "cdn-live",
            "room",
            "stream-mixing",
            "media-file",
            "moderation",
            "scene"
        ])
    );
    for name in &families {
        assert_eq!(family_of(name).name(), name);
    }
}

#[test]
fn every_documented_code_resolves_in_its_family_with_its_description() {
    let (_, codes) = table();
    for d in codes.iter().filter(|d| d.code != 0) {
        let code = ErrorCode::lookup(d.family, d.code);
        assert!(
            !matches!(code, ErrorCode::Unknown(_)),
            "{} {}: {:?} is unknown",
            d.family_name,
            d.code,
            d.description
        );
        assert_eq!(code.as_i64(), d.code);
        // The client may say more ("Signature expired (the Timestamp is ...)"), never else.
        let ours = code.description().to_ascii_lowercase();
        let theirs = d.description.trim_end_matches('.').to_ascii_lowercase();
        assert!(
            ours.starts_with(&theirs),
            "{} {}: {:?} is not {:?}",
            d.family_name,
            d.code,
            code.description(),
            d.description
        );
    }
}

#[test]
fn every_variant_is_documented_in_the_family_it_names() {
    let (_, codes) = table();
    let documented: BTreeSet<(String, i64)> = codes
        .iter()
        .map(|d| (d.family_name.clone(), d.code))
        .collect();
    for &code in ErrorCode::ALL {
        let family = code.family().expect("a variant has a family");
        let key = (family.name().to_string(), code.as_i64());
        assert!(
            documented.contains(&key),
            "{code:?} is not in the table as {key:?}"
        );
    }
}

#[test]
fn classification_follows_the_description_in_each_family() {
    let (_, codes) = table();
    // Each code is classified in its own family, and the gateway's in every family.
    for d in codes.iter().filter(|d| d.code != 0) {
        let in_families: Vec<Family> = if d.family == Family::Gateway {
            Family::ALL.to_vec()
        } else {
            vec![d.family]
        };
        for family in in_families {
            let code = ErrorCode::lookup(family, d.code);
            let what = format!(
                "{} {} read as {family}: {:?}",
                d.family_name, d.code, d.description
            );
            let throttling = says(&d.description, THROTTLING);
            assert_eq!(code.is_throttling(family), throttling, "throttling: {what}");
            assert_eq!(
                code.is_auth(family),
                says(&d.description, AUTH),
                "auth: {what}"
            );
            if throttling || says(&d.description, &["internal error"]) {
                assert!(code.is_retryable(family), "retryable: {what}");
            }
            if says(
                &d.description,
                &["parameter", "does not exist", "not enabled"],
            ) || code.is_auth(family)
            {
                assert!(!code.is_retryable(family), "not retryable: {what}");
            }
        }
    }
}

#[test]
fn a_number_means_what_its_family_says() {
    // 3: authentication in the CDN live-stream set, a too-long parameter for room signaling.
    assert!(ErrorCode::lookup(Family::CdnLive, 3).is_auth(Family::CdnLive));
    let room_3 = ErrorCode::lookup(Family::Room, 3);
    assert!(!room_3.is_auth(Family::Room));
    assert_eq!(room_3.description(), "Input parameter length too long.");
    // 7: throttling only in the CDN live-stream set.
    assert!(ErrorCode::lookup(Family::CdnLive, 7).is_throttling(Family::CdnLive));
    assert!(!ErrorCode::lookup(Family::MediaService, 7).is_throttling(Family::MediaService));
    assert!(!ErrorCode::lookup(Family::Room, 7).is_throttling(Family::Room));
    // Room and mixing throttling, retryable; not throttling when another family answers it.
    for (family, n) in [
        (Family::Room, 206),
        (Family::Room, 207),
        (Family::StreamMixing, 110200190),
        (Family::StreamMixing, 110200191),
        (Family::StreamMixing, 110200194),
    ] {
        let code = ErrorCode::lookup(family, n);
        assert!(
            code.is_throttling(family) && code.is_retryable(family),
            "{n}"
        );
        let other = ErrorCode::lookup(Family::MediaService, n);
        assert!(!other.is_throttling(Family::MediaService), "{n}");
    }
    // Mixing's own authentication code; unknown to room signaling.
    assert!(ErrorCode::lookup(Family::StreamMixing, 110200003).is_auth(Family::StreamMixing));
    assert_eq!(
        ErrorCode::lookup(Family::Room, 110200003),
        ErrorCode::Unknown(110200003)
    );
    // The gateway's codes mean the same in every family.
    for &family in Family::ALL {
        assert_eq!(
            ErrorCode::lookup(family, 100000005),
            ErrorCode::SignatureError
        );
        assert!(ErrorCode::SignatureError.is_auth(family));
        assert!(ErrorCode::GatewayInternalError.is_retryable(family));
    }
}
