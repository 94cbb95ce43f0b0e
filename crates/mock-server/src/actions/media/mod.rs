//! The media-service family (`api-reference/media-service/`): CDN relay rules, the older CDN
//! live-stream bans, RTC stream forbid and stream state; and the family's state.

pub(crate) mod cdn_live;
pub(crate) mod cdn_relay;
pub(crate) mod dispatch;
pub(crate) mod rtc_stream;

use crate::codes::media;
use crate::spec::{Kind, Param, SequenceRule};
use crate::state::keyed::Keyed;
use hashbrown::hash_table::{Entry, HashTable};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
    /// CDN relay rules, in creation order.
    pub relay_rules: RelayRules,
    /// Bans on publishing streams to the CDN (expired ones are dropped when next touched).
    pub cdn_bans: Vec<CdnBan>,
    /// Streams forbidden from publishing to RTC.
    pub forbidden_rtc: BTreeSet<String>,
    /// Streams that have been published, live or closed.
    pub streams: BTreeMap<String, StreamRecord>,
}

impl MediaState {
    /// Whether a rule relays `stream_id` to `cdn_url`.
    pub fn has_relay_rule(&self, stream_id: &str, cdn_url: Option<&str>) -> bool {
        self.relay_rules.contains(stream_id, cdn_url)
    }

    /// Adds a rule unless the same (StreamId, CDN address) exists; `false` when it did.
    pub fn add_relay_rule(&mut self, rule: RelayRule) -> bool {
        self.relay_rules.insert(rule)
    }
}

/// CDN relay rules in creation order, indexed by StreamId: adding, finding and deleting a
/// stream's rules cost a logarithm of the rules held (and the stream's own few rules), never a
/// pass over all of them. It reads like a list (`len`, `iter`, `rules[i]`) and serializes as
/// one, in creation order.
///
/// A repeated create (the usual call: a backend creating the rule of each stream it starts)
/// only asks whether the rule exists. The index answers that from one entry: a stream's first
/// rule lies in the entry itself with its address, which is compared as it is (no rule in the
/// creation-ordered list is read, and no address is hashed).
#[derive(Debug, Clone, Default)]
pub struct RelayRules {
    /// Rules by creation number.
    by_number: BTreeMap<u64, RelayRule>,
    /// Each stream's rules, found by the keyed hash of its StreamId.
    by_stream: HashTable<StreamRules>,
    /// The next creation number.
    next: u64,
}

/// A rule of one stream in the index: its creation number and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Indexed {
    number: u64,
    address: Option<Box<str>>,
}

/// A stream's rules in the index: the first inline (most streams have one), the rest after it.
/// An entry is one 64-byte cache line, aligned as one: finding a stream with a short StreamId
/// (nearly every one) reads its entry and no other memory.
#[derive(Debug, Clone)]
#[repr(align(64))]
struct StreamRules {
    stream_id: SmallId,
    first: Indexed,
    /// The stream's other rules, in creation order (most streams have none). Boxed: one
    /// pointer keeps the entry at 64 bytes, where a `Vec` would take three words.
    #[allow(clippy::box_collection)]
    rest: Option<Box<Vec<Indexed>>>,
}

impl StreamRules {
    fn iter(&self) -> impl Iterator<Item = &Indexed> {
        std::iter::once(&self.first).chain(self.rest.iter().flat_map(|rest| rest.iter()))
    }

    /// Keeps the rules `keep` says yes to; `false` when none is left.
    fn retain(&mut self, mut keep: impl FnMut(&Indexed) -> bool) -> bool {
        if let Some(rest) = &mut self.rest {
            rest.retain(|r| keep(r));
        }
        let alive = keep(&self.first)
            || match self.rest.as_mut().filter(|rest| !rest.is_empty()) {
                Some(rest) => {
                    self.first = rest.remove(0);
                    true
                }
                None => false,
            };
        if self.rest.as_ref().is_some_and(|rest| rest.is_empty()) {
            self.rest = None;
        }
        alive
    }
}

/// A StreamId as the index keeps it: in place when it has at most [`SmallId::INLINE`] bytes,
/// else on the heap.
#[derive(Clone)]
enum SmallId {
    Inline {
        len: u8,
        bytes: [u8; SmallId::INLINE],
    },
    Heap(Box<str>),
}

impl SmallId {
    /// The longest StreamId kept in place.
    const INLINE: usize = 30;

    fn new(id: &str) -> Self {
        let mut bytes = [0; Self::INLINE];
        match (bytes.get_mut(..id.len()), u8::try_from(id.len())) {
            (Some(place), Ok(len)) => {
                place.copy_from_slice(id.as_bytes());
                SmallId::Inline { len, bytes }
            }
            _ => SmallId::Heap(id.into()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            SmallId::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            SmallId::Heap(id) => id.as_bytes(),
        }
    }

    fn is(&self, id: &str) -> bool {
        self.as_bytes() == id.as_bytes()
    }

    /// The text (made from a `&str`, so always UTF-8).
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

/// The keyed hash the index knows a StreamId by ([`RelayRules::stream_hash`]).
fn hash_stream_id(id: &[u8]) -> u64 {
    Keyed::process().hash(id)
}

impl std::fmt::Debug for SmallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl RelayRules {
    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.by_number.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_number.is_empty()
    }

    /// The rules, in creation order.
    pub fn iter(&self) -> impl Iterator<Item = &RelayRule> + '_ {
        self.by_number.values()
    }

    /// The `i`-th rule in creation order (a walk of `i` rules: for tests and listings).
    pub fn get(&self, i: usize) -> Option<&RelayRule> {
        self.by_number.values().nth(i)
    }

    /// Whether a rule relays `stream_id` to exactly `cdn_url`.
    pub fn contains(&self, stream_id: &str, cdn_url: Option<&str>) -> bool {
        self.contains_hashed(self.stream_hash(stream_id), stream_id, cdn_url)
    }

    /// The keyed hash the index knows `stream_id` by: the process's key, so the Sequence book's
    /// hash of the same StreamId is the same value.
    pub(crate) fn stream_hash(&self, stream_id: &str) -> u64 {
        hash_stream_id(stream_id.as_bytes())
    }

    /// [`Self::contains`] with `stream_id`'s [`Self::stream_hash`] already computed.
    pub(crate) fn contains_hashed(
        &self,
        hash: u64,
        stream_id: &str,
        cdn_url: Option<&str>,
    ) -> bool {
        debug_assert_eq!(hash, self.stream_hash(stream_id));
        let rules = self.by_stream.find(hash, |r| r.stream_id.is(stream_id));
        rules.is_some_and(|rules| rules.iter().any(|r| r.address.as_deref() == cdn_url))
    }

    /// Adds a rule unless the same (StreamId, CDN address) exists; `false` when it did.
    pub fn insert(&mut self, rule: RelayRule) -> bool {
        if self.contains(&rule.stream_id, rule.cdn_url.as_deref()) {
            return false;
        }
        self.push(rule);
        true
    }

    /// Appends a rule, even a repeat (a seeded state keeps what it was given).
    fn push(&mut self, rule: RelayRule) {
        let number = self.next;
        let indexed = Indexed {
            number,
            address: rule.cdn_url.as_deref().map(Box::from),
        };
        self.next += 1;
        match self.by_stream.entry(
            self.stream_hash(&rule.stream_id),
            |r| r.stream_id.is(&rule.stream_id),
            |r| hash_stream_id(r.stream_id.as_bytes()),
        ) {
            Entry::Occupied(mut rules) => rules
                .get_mut()
                .rest
                .get_or_insert_with(Box::default)
                .push(indexed),
            Entry::Vacant(slot) => {
                slot.insert(StreamRules {
                    stream_id: SmallId::new(&rule.stream_id),
                    first: indexed,
                    rest: None,
                });
            }
        }
        self.by_number.insert(number, rule);
    }

    /// Removes `stream_id`'s rules whose address `matches`; answers how many went.
    pub fn remove_where(&mut self, stream_id: &str, matches: impl Fn(&RelayRule) -> bool) -> usize {
        let hash = self.stream_hash(stream_id);
        let Ok(mut entry) = self
            .by_stream
            .find_entry(hash, |r| r.stream_id.is(stream_id))
        else {
            return 0;
        };
        let by_number = &mut self.by_number;
        let mut removed = 0;
        let left = entry.get_mut().retain(|r| match by_number.get(&r.number) {
            Some(rule) if matches(rule) => {
                by_number.remove(&r.number);
                removed += 1;
                false
            }
            _ => true,
        });
        if !left {
            entry.remove();
        }
        removed
    }

    /// Keeps only the rules of the streams `keep` says yes to (asked once per stream).
    pub fn retain_streams(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let by_number = &mut self.by_number;
        self.by_stream.retain(|rules| {
            let kept = keep(rules.stream_id.as_str());
            if !kept {
                for r in rules.iter() {
                    by_number.remove(&r.number);
                }
            }
            kept
        });
    }
}

impl std::ops::Index<usize> for RelayRules {
    type Output = RelayRule;

    /// The `i`-th rule in creation order; panics when there are not that many, as a `Vec` does.
    fn index(&self, i: usize) -> &RelayRule {
        match self.get(i) {
            Some(rule) => rule,
            None => panic!("relay rule {i} of {}", self.len()),
        }
    }
}

impl PartialEq for RelayRules {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for RelayRules {}

impl IntoIterator for RelayRules {
    type Item = RelayRule;
    type IntoIter = std::collections::btree_map::IntoValues<u64, RelayRule>;

    /// The rules, in creation order.
    fn into_iter(self) -> Self::IntoIter {
        self.by_number.into_values()
    }
}

impl<'a> IntoIterator for &'a RelayRules {
    type Item = &'a RelayRule;
    type IntoIter = std::collections::btree_map::Values<'a, u64, RelayRule>;

    /// The rules, in creation order.
    fn into_iter(self) -> Self::IntoIter {
        self.by_number.values()
    }
}

impl FromIterator<RelayRule> for RelayRules {
    fn from_iter<I: IntoIterator<Item = RelayRule>>(rules: I) -> Self {
        let mut all = RelayRules::default();
        for rule in rules {
            all.push(rule);
        }
        all
    }
}

impl Serialize for RelayRules {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for RelayRules {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<RelayRule>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_book_and_the_relay_index_hash_a_stream_id_alike() {
        // CreatCDNTransferRule hands the relay index the hash the Sequence check computed.
        let book = crate::state::sequence::SequenceBook::default();
        let rules = RelayRules::default();
        for id in ["", "s", "bench-0001-0000017", &"x".repeat(300)] {
            assert_eq!(book.key(id).hash64(), rules.stream_hash(id), "{id:?}");
        }
        // Across instances and clones too (one key per process).
        let other = RelayRules::default().clone();
        assert_eq!(other.stream_hash("s"), rules.stream_hash("s"));
    }

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
        // Removing a stream's rules forgets them from the index too.
        assert_eq!(st.relay_rules.remove_where("a", |_| true), 2);
        assert!(!st.has_relay_rule("a", None));
        assert!(st.add_relay_rule(rule("a", Some("rtmp://h/x"))));
        assert_eq!(st.relay_rules.len(), 2);
        // Creation order survives removals.
        let order: Vec<&str> = st
            .relay_rules
            .iter()
            .map(|r| r.stream_id.as_str())
            .collect();
        assert_eq!(order, ["b", "a"]);
        st.relay_rules.retain_streams(|s| s != "b");
        assert_eq!(st.relay_rules.len(), 1);
        assert_eq!(st.relay_rules[0].stream_id, "a");
        // A seeded state (no index yet) still finds its rules.
        let mut seeded: MediaState = serde_json::from_str(
            r#"{"relay_rules":[{"stream_id":"s","cdn_url":null,"created_at_millis":1}]}"#,
        )
        .expect("seed");
        assert!(seeded.has_relay_rule("s", None));
        assert!(!seeded.add_relay_rule(rule("s", None)));
        assert_eq!(seeded, seeded.clone());
    }

    #[test]
    fn an_index_entry_is_one_cache_line_and_keeps_short_ids_in_place() {
        assert_eq!(std::mem::size_of::<StreamRules>(), 64);
        assert_eq!(std::mem::align_of::<StreamRules>(), 64);
        let short = "s".repeat(SmallId::INLINE);
        assert!(matches!(SmallId::new(&short), SmallId::Inline { .. }));
        let long = "s".repeat(SmallId::INLINE + 1);
        assert!(matches!(SmallId::new(&long), SmallId::Heap(_)));
        for id in ["", "é", short.as_str(), long.as_str()] {
            assert!(SmallId::new(id).is(id));
            assert_eq!(SmallId::new(id).as_str(), id);
            assert!(!SmallId::new(id).is("x"));
        }
    }

    /// What the index must agree with: the rules as a plain list, searched in full.
    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, Option<u8>),
        Remove(u8, Option<u8>),
        RetainStreams(u8),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let address = proptest::option::of(0u8..4);
        prop_oneof![
            4 => (0u8..5, address.clone()).prop_map(|(s, a)| Op::Insert(s, a)),
            2 => (0u8..5, address).prop_map(|(s, a)| Op::Remove(s, a)),
            1 => (0u8..5).prop_map(Op::RetainStreams),
        ]
    }

    proptest::proptest! {
        #[test]
        fn the_index_answers_as_a_search_of_the_list(ops in proptest::collection::vec(op(), 0..60)) {
            // Odd streams have a StreamId too long to be kept in the index entry.
            let stream = |s: u8| match s % 2 {
                0 => format!("s{s}"),
                _ => format!("{}{s}", "a-long-stream-id-".repeat(2)),
            };
            let address = |a: Option<u8>| a.map(|a| format!("rtmp://h/live/{a}"));
            let mut rules = RelayRules::default();
            let mut list: Vec<(String, Option<String>)> = Vec::new();
            for op in ops {
                match op {
                    Op::Insert(s, a) => {
                        let (s, a) = (stream(s), address(a));
                        let new = !list.contains(&(s.clone(), a.clone()));
                        if new {
                            list.push((s.clone(), a.clone()));
                        }
                        let rule = RelayRule { stream_id: s, cdn_url: a, created_at_millis: 0 };
                        proptest::prop_assert_eq!(rules.insert(rule), new);
                    }
                    Op::Remove(s, a) => {
                        let (s, a) = (stream(s), address(a));
                        let before = list.len();
                        list.retain(|(ls, la)| !(*ls == s && *la == a));
                        let removed = rules.remove_where(&s, |r| r.cdn_url == a);
                        proptest::prop_assert_eq!(removed, before - list.len());
                    }
                    Op::RetainStreams(s) => {
                        let s = stream(s);
                        list.retain(|(ls, _)| *ls != s);
                        rules.retain_streams(|ls| ls != s);
                    }
                }
                let kept: Vec<(String, Option<String>)> = rules
                    .iter()
                    .map(|r| (r.stream_id.clone(), r.cdn_url.clone()))
                    .collect();
                proptest::prop_assert_eq!(&kept, &list);
                for s in 0..5 {
                    for a in [None, Some(0), Some(1), Some(2), Some(3)] {
                        let (s, a) = (stream(s), address(a));
                        let listed = list.contains(&(s.clone(), a.clone()));
                        proptest::prop_assert_eq!(rules.contains(&s, a.as_deref()), listed);
                    }
                }
            }
        }
    }
}
