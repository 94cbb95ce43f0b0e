//! The media-service family (`api-reference/media-service/`): CDN relay rules, the older CDN
//! live-stream bans, RTC stream forbid and stream state; and the family's state.

pub(crate) mod cdn_live;
pub(crate) mod cdn_relay;
pub(crate) mod dispatch;
pub(crate) mod rtc_stream;

use crate::codes::media;
use crate::spec::{Kind, Param, SequenceRule};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use cdn_live::CdnBan;
pub use cdn_relay::RelayRule;
pub use rtc_stream::{PublishError, StreamRecord};

/// The required `StreamId` of the current media-service pages: 30009, with the test prefix rule.
pub(crate) const STREAM_ID: Param = Param::new(
    "StreamId",
    Kind::StreamId { test_prefix: true },
    media::INVALID_STREAM_ID,
);

/// The required `Sequence` of the current media-service pages: 5005 when missing or malformed.
pub(crate) const SEQUENCE: Param = Param::new("Sequence", Kind::Sequence, media::INVALID_REQUEST);

/// Within 10 s, a StreamId's Sequence must strictly increase; otherwise 5005.
pub(crate) const SEQUENCE_BY_STREAM: SequenceRule = SequenceRule {
    param: "Sequence",
    subject: "StreamId",
    code: media::INVALID_REQUEST,
};

/// The media-service state of one app in one environment.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaState {
    /// CDN relay rules, in creation order. Add rules with [`MediaState::add_relay_rule`], which
    /// keeps them unique in constant time.
    pub relay_rules: Vec<RelayRule>,
    /// Bans on publishing streams to the CDN (expired ones are dropped when next touched).
    pub cdn_bans: Vec<CdnBan>,
    /// Streams forbidden from publishing to RTC.
    pub forbidden_rtc: BTreeSet<String>,
    /// Streams that have been published, live or closed.
    pub streams: BTreeMap<String, StreamRecord>,
    /// The CDN addresses of each stream's rules, so a create finds a repeat without scanning
    /// every rule. Derived from `relay_rules`; rebuilt whenever the rule count no longer matches.
    #[serde(skip)]
    relay_index: RelayIndex,
}

/// StreamId -> the CDN addresses of its rules. Not part of the state's value: two states with the
/// same rules are equal whatever their indexes hold.
#[derive(Debug, Default, Clone)]
struct RelayIndex {
    by_stream: HashMap<String, Vec<Option<String>>>,
    len: usize,
}

impl PartialEq for RelayIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RelayIndex {}

impl MediaState {
    fn sync_relay_index(&mut self) {
        if self.relay_index.len == self.relay_rules.len() {
            return;
        }
        let mut by_stream: HashMap<String, Vec<Option<String>>> = HashMap::new();
        for r in &self.relay_rules {
            by_stream
                .entry(r.stream_id.clone())
                .or_default()
                .push(r.cdn_url.clone());
        }
        self.relay_index = RelayIndex {
            by_stream,
            len: self.relay_rules.len(),
        };
    }

    /// Whether a rule relays `stream_id` to `cdn_url`.
    pub fn has_relay_rule(&mut self, stream_id: &str, cdn_url: Option<&str>) -> bool {
        self.sync_relay_index();
        self.relay_index
            .by_stream
            .get(stream_id)
            .is_some_and(|urls| urls.iter().any(|u| u.as_deref() == cdn_url))
    }

    /// Adds a rule unless the same (StreamId, CDN address) exists; `false` when it did.
    pub fn add_relay_rule(&mut self, rule: RelayRule) -> bool {
        if self.has_relay_rule(&rule.stream_id, rule.cdn_url.as_deref()) {
            return false;
        }
        self.relay_index
            .by_stream
            .entry(rule.stream_id.clone())
            .or_default()
            .push(rule.cdn_url.clone());
        self.relay_index.len += 1;
        self.relay_rules.push(rule);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_rules_stay_unique_through_removals_and_seeding() {
        let rule = |s: &str, u: Option<&str>| RelayRule {
            stream_id: s.into(),
            cdn_url: u.map(str::to_string),
            created_at_millis: 0,
        };
        let mut st = MediaState::default();
        assert!(st.add_relay_rule(rule("a", Some("rtmp://h/x"))));
        assert!(!st.add_relay_rule(rule("a", Some("rtmp://h/x"))));
        assert!(st.add_relay_rule(rule("a", None)));
        assert!(st.add_relay_rule(rule("b", Some("rtmp://h/x"))));
        // Removing behind the index's back is noticed by the count.
        st.relay_rules.retain(|r| r.stream_id != "a");
        assert!(st.add_relay_rule(rule("a", Some("rtmp://h/x"))));
        assert_eq!(st.relay_rules.len(), 2);
        // A seeded state (no index yet) still finds its rules.
        let mut seeded: MediaState = serde_json::from_str(
            r#"{"relay_rules":[{"stream_id":"s","cdn_url":null,"created_at_millis":1}]}"#,
        )
        .expect("seed");
        assert!(seeded.has_relay_rule("s", None));
        assert!(!seeded.add_relay_rule(rule("s", None)));
        assert_eq!(seeded, seeded.clone());
    }
}
