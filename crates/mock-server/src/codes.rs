//! ZEGO's return codes as data.
//!
//! The table lives in `fixtures/return-codes.json` (transcribed from ZEGO's `return-codes.mdx` and
//! the per-action pages) and is compiled into the binary. Every error message the mock sends is the
//! table's description of the code in the answering action's family.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A family of return codes. The same number can mean different things in different families
/// (3 is "Authentication failed." for media services but something else for room signaling), so a
/// code is always looked up with its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// The API gateway's common codes (`1000000xx`), answered before any action runs.
    Gateway,
    /// Media-service interfaces: relay rules, RTC stream forbid, stream state.
    MediaService,
    /// The older public code set of Forbid/Resume/QueryForbidCDNLiveStream.
    CdnLive,
    /// Room signaling interfaces: 2 is "Input parameter error.", 3 "Input parameter length too
    /// long.", 206 and 207 throttling.
    Room,
    /// Stream mixing and transcoding interfaces (`1102xxxxx`).
    StreamMixing,
    /// Media file interfaces (CDN recording, search, delete, merge, transcode, thumbnails): 2
    /// parameter error, 3 permission not enabled, 6 throttling, 41003 file does not exist.
    MediaFile,
    /// Audio/video stream moderation interfaces (`5xxxx`), with the room family's 2 and 206.
    Moderation,
    /// The scene interface (`3400xxxxx`), discontinued.
    Scene,
}

impl Family {
    /// The family's name in `fixtures/return-codes.json` (`"media-service"`, `"cdn-live"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Gateway => "gateway",
            Family::MediaService => "media-service",
            Family::CdnLive => "cdn-live",
            Family::Room => "room",
            Family::StreamMixing => "stream-mixing",
            Family::MediaFile => "media-file",
            Family::Moderation => "moderation",
            Family::Scene => "scene",
        }
    }
}

/// One documented return code.
#[derive(Debug, Clone, Deserialize)]
pub struct ReturnCode {
    /// The number sent as `Code`.
    pub code: i64,
    /// The family the code belongs to.
    pub family: Family,
    /// ZEGO's description, used as the `Message` of an error answer.
    pub description: String,
}

#[derive(Deserialize)]
struct Table {
    codes: Vec<ReturnCode>,
}

const TABLE_JSON: &str = include_str!("../../../fixtures/return-codes.json");

struct Index {
    all: Vec<ReturnCode>,
    by_key: HashMap<(Family, i64), usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        // The file is part of the source tree and checked by a unit test, so a parse failure is a
        // build defect, never a runtime condition.
        let table: Table =
            serde_json::from_str(TABLE_JSON).expect("fixtures/return-codes.json is valid");
        let by_key = table
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.family, c.code), i))
            .collect();
        Index {
            all: table.codes,
            by_key,
        }
    })
}

/// Every documented return code the mock knows.
pub fn all() -> &'static [ReturnCode] {
    &index().all
}

/// Looks up a code in its family.
pub fn lookup(family: Family, code: i64) -> Option<&'static ReturnCode> {
    let idx = index();
    idx.by_key.get(&(family, code)).map(|&i| &idx.all[i])
}

/// The description of a code, or a generic text for a code the table lacks (which a unit test
/// rules out for every code the mock can send).
pub fn describe(family: Family, code: i64) -> &'static str {
    lookup(family, code).map_or("Request failed.", |c| c.description.as_str())
}

/// Gateway codes (`return-codes.mdx`, "Common Return codes").
pub mod gateway {
    /// AppId field format error.
    pub const APP_ID_FORMAT: i64 = 100_000_001;
    /// Timestamp field is empty.
    pub const TIMESTAMP_EMPTY: i64 = 100_000_002;
    /// Timestamp field format error.
    pub const TIMESTAMP_FORMAT: i64 = 100_000_003;
    /// Signature expired.
    pub const SIGNATURE_EXPIRED: i64 = 100_000_004;
    /// Signature error.
    pub const SIGNATURE_ERROR: i64 = 100_000_005;
    /// Action is empty.
    pub const ACTION_EMPTY: i64 = 100_000_006;
    /// Unsupported Action.
    pub const ACTION_UNSUPPORTED: i64 = 100_000_007;
    /// SignatureNonce field is empty.
    pub const NONCE_EMPTY: i64 = 100_000_008;
    /// Signature field is empty.
    pub const SIGNATURE_EMPTY: i64 = 100_000_009;
    /// Failed to get ServerSecret.
    pub const NO_SERVER_SECRET: i64 = 100_000_010;
    /// SignatureVersion field is empty.
    pub const SIGNATURE_VERSION_EMPTY: i64 = 100_000_013;
    /// Unsupported SignatureVersion.
    pub const SIGNATURE_VERSION_UNSUPPORTED: i64 = 100_000_014;
    /// App is not configured for production environment.
    pub const ENV_NOT_CONFIGURED: i64 = 100_000_016;

    /// Every gateway code the mock can answer.
    #[cfg(test)]
    pub const ANSWERED: [i64; 13] = [
        APP_ID_FORMAT,
        TIMESTAMP_EMPTY,
        TIMESTAMP_FORMAT,
        SIGNATURE_EXPIRED,
        SIGNATURE_ERROR,
        ACTION_EMPTY,
        ACTION_UNSUPPORTED,
        NONCE_EMPTY,
        SIGNATURE_EMPTY,
        NO_SERVER_SECRET,
        SIGNATURE_VERSION_EMPTY,
        SIGNATURE_VERSION_UNSUPPORTED,
        ENV_NOT_CONFIGURED,
    ];
}

/// Media-service codes (`return-codes.mdx`, "Media Service Interfaces").
pub mod media {
    /// Authentication failed (legacy code of CreatCDNTransferRule and relatives).
    pub const AUTH_FAILED_5003: i64 = 5003;
    /// Invalid CDN address (DeleteCDNTransferRule).
    pub const INVALID_CDN_URL_5004: i64 = 5004;
    /// Invalid request: a missing, malformed or out-of-order Sequence.
    pub const INVALID_REQUEST: i64 = 5005;
    /// Invalid CDN address (CreatCDNTransferRule).
    pub const INVALID_CDN_URL: i64 = 30001;
    /// Interface call frequency too high.
    pub const RATE_LIMITED: i64 = 30002;
    /// Parameter isTest error.
    pub const BAD_IS_TEST: i64 = 30004;
    /// Invalid StreamId.
    pub const INVALID_STREAM_ID: i64 = 30009;
    /// Invalid StreamId list.
    pub const INVALID_STREAM_ID_LIST: i64 = 30006;
    /// Authentication failed (legacy code of the RTC stream actions).
    pub const AUTH_FAILED_40005: i64 = 40005;
    /// Timestamp error (legacy code of the RTC stream actions).
    pub const TIMESTAMP_ERROR: i64 = 3002;
    /// Query failed, StreamId does not exist.
    pub const STREAM_NOT_FOUND: i64 = 41004;
    /// Query successful, the stream exists but is closed.
    pub const STREAM_CLOSED: i64 = 41006;
}

/// The older public code set (Forbid/Resume/QueryForbidCDNLiveStream).
pub mod cdn_live {
    /// Parameter error.
    pub const PARAMETER_ERROR: i64 = 2;
    /// Authentication failed.
    pub const AUTH_FAILED: i64 = 3;
    /// Unknown CDN type.
    pub const UNKNOWN_CDN_TYPE: i64 = 4;
    /// Rate limit exceeded.
    pub const RATE_LIMITED: i64 = 7;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses_and_has_no_duplicate_keys() {
        let all = all();
        assert!(all.len() > 50, "only {} codes", all.len());
        let mut seen = std::collections::HashSet::new();
        for c in all {
            assert!(
                seen.insert((c.family, c.code)),
                "duplicate {:?} {}",
                c.family,
                c.code
            );
            assert!(!c.description.is_empty());
        }
    }

    #[test]
    fn every_gateway_code_the_mock_answers_is_documented() {
        for code in gateway::ANSWERED {
            assert!(
                lookup(Family::Gateway, code).is_some(),
                "{code} missing from the table"
            );
        }
        assert_eq!(
            describe(Family::Gateway, gateway::SIGNATURE_ERROR),
            "Signature error."
        );
    }

    /// `return-codes.mdx`, "Media Service Interfaces", row by row as the page writes it (a row may
    /// list several codes, "1010、5007"). 41006's description is its first sentence; the page
    /// adds when it is returned.
    const MEDIA_SERVICE_TABLE: &[(&[i64], &str)] = &[
        (&[0], "Request successful."),
        (&[1], "Request failed."),
        (&[2], "Parameter error."),
        (&[3], "Authentication failed."),
        (&[1010, 5007], "Interface call frequency too high."),
        (&[1001], "Dispatch failed."),
        (&[1002], "Publish stream node is empty."),
        (&[1003], "Play stream node is empty."),
        (&[1005], "App is not online."),
        (&[1006], "Invalid parameter."),
        (&[3000], "Invalid App."),
        (&[3001, 5000, 5001, 5002, 5006], "Internal error."),
        (&[3002], "Timestamp error."),
        (&[3003], "App is not configured with Token."),
        (&[5003, 40005], "Authentication failed."),
        (&[5004, 30001], "Invalid CDN address."),
        (&[5005], "Invalid request."),
        (&[30002], "Interface call frequency too high."),
        (&[30003], "Internal error."),
        (&[30004], "Parameter isTest error."),
        (&[30005], "Invalid AppId."),
        (&[30006], "Invalid StreamId list."),
        (&[30009], "Invalid StreamId, Stream name is not standard."),
        (&[30010], "Invalid dispatch action."),
        (&[30011], "Invalid client IP address."),
        (&[41001], "Live broadcast save failed."),
        (&[41002], "Channel save failed."),
        (&[41003], "Live broadcast does not exist."),
        (&[41004], "Query failed, StreamId does not exist."),
        (
            &[41006],
            "Query successful, the queried Stream exists but is in closed state.",
        ),
        (&[42001], "Failed to disable live broadcast."),
        (&[42002], "Failed to resume live broadcast."),
        (&[42003], "Failed to batch disable live broadcasts."),
        (&[42004], "Failed to batch resume live broadcasts."),
        (&[43001], "Failed to create Recording index file."),
    ];

    #[test]
    fn every_code_of_the_media_service_table_is_in_its_family_with_its_description() {
        for (row, description) in MEDIA_SERVICE_TABLE {
            for &code in *row {
                let found = lookup(Family::MediaService, code)
                    .unwrap_or_else(|| panic!("{code} missing from media-service"));
                assert_eq!(found.description, *description, "{code}");
            }
        }
    }

    #[test]
    fn family_names_are_the_fixtures_names() {
        for family in [
            Family::Gateway,
            Family::MediaService,
            Family::CdnLive,
            Family::Room,
            Family::StreamMixing,
            Family::MediaFile,
            Family::Moderation,
            Family::Scene,
        ] {
            let parsed: Family = serde_json::from_value(serde_json::json!(family.as_str()))
                .expect("a fixture family name");
            assert_eq!(parsed, family);
        }
    }

    #[test]
    fn families_keep_their_own_meanings() {
        assert_eq!(describe(Family::MediaService, 30009).len(), 46);
        assert_eq!(
            describe(Family::CdnLive, 7),
            "Request frequency exceeds the limit."
        );
        assert!(lookup(Family::CdnLive, 30009).is_none());
        assert_eq!(
            describe(Family::Room, 3),
            "Input parameter length too long."
        );
        assert_eq!(
            describe(Family::Room, 5018),
            "Room has been destroyed or does not exist."
        );
        assert_eq!(
            describe(Family::StreamMixing, 110_200_194),
            "Stream Mixing request overload."
        );
    }
}
