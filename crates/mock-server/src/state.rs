//! What the mock remembers: rate-limit windows, Sequence order, and each app's business state.
//!
//! Rate-limit and Sequence state is kept only while it can still matter (one second and ten
//! seconds of the mock's clock) and swept after, so memory stays bounded however many AppIds and
//! StreamIds pass through.

use crate::actions::{Action, CdnBan, RelayRule, StreamRecord};
use crate::config::Env;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The Sequence window: within it, a StreamId's Sequence must strictly increase.
pub const SEQUENCE_WINDOW_MILLIS: i64 = 10_000;

/// A fixed-window rate limiter: windows are whole seconds of the mock's clock, `[n, n+1)`.
///
/// All keys share the current window, so moving to a new second drops every count at once: the
/// memory held is what one second of traffic touched.
#[derive(Debug, Default)]
pub struct FixedWindow {
    window: i64,
    counts: HashMap<(Action, u32, Env), u32>,
}

impl FixedWindow {
    /// Counts one request against `key` in the window of `now_secs`; `Err` when the window already
    /// holds `limit` accepted requests. A refused request does not count.
    pub fn check(&mut self, key: (Action, u32, Env), limit: u32, now_secs: i64) -> Result<(), u32> {
        if now_secs != self.window {
            self.window = now_secs;
            self.counts.clear();
        }
        let count = self.counts.entry(key).or_insert(0);
        if *count >= limit {
            Err(*count)
        } else {
            *count += 1;
            Ok(())
        }
    }

    /// Forgets one app's counts.
    pub fn forget_app(&mut self, app_id: u32) {
        self.counts.retain(|(_, id, _), _| *id != app_id);
    }

    /// How many keys the current window holds.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether the current window holds no key.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// The last accepted Sequence of a stream and when it was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastSequence {
    /// The Sequence.
    pub sequence: u64,
    /// When it was accepted, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
}

/// The Sequence order rule's memory, per (AppId, environment, StreamId).
///
/// Streams are kept per (AppId, environment) in maps keyed by StreamId, so a request looks its
/// stream up by `&str` without building an owned key, and a stream seen again within the window
/// is updated in place: only a stream's first request in a window allocates.
#[derive(Debug, Default)]
pub struct SequenceBook {
    apps: HashMap<(u32, Env), HashMap<Box<str>, LastSequence>>,
    last_sweep_millis: i64,
}

impl SequenceBook {
    /// Checks a Sequence without recording it: `Err` with the last accepted one when the request
    /// comes less than 10 s after it and is not greater.
    pub fn check(
        &self,
        app_id: u32,
        env: Env,
        stream_id: &str,
        sequence: u64,
        now_millis: i64,
    ) -> Result<(), LastSequence> {
        let last = self
            .apps
            .get(&(app_id, env))
            .and_then(|streams| streams.get(stream_id));
        match last {
            Some(last)
                if now_millis.saturating_sub(last.at_millis) < SEQUENCE_WINDOW_MILLIS
                    && sequence <= last.sequence =>
            {
                Err(*last)
            }
            _ => Ok(()),
        }
    }

    /// Records an accepted Sequence, and sweeps entries older than the window now and then.
    pub fn accept(
        &mut self,
        app_id: u32,
        env: Env,
        stream_id: &str,
        sequence: u64,
        now_millis: i64,
    ) {
        if now_millis.saturating_sub(self.last_sweep_millis) >= SEQUENCE_WINDOW_MILLIS {
            self.sweep(now_millis);
        }
        let last = LastSequence {
            sequence,
            at_millis: now_millis,
        };
        let streams = self.apps.entry((app_id, env)).or_default();
        match streams.get_mut(stream_id) {
            Some(entry) => *entry = last,
            None => {
                streams.insert(stream_id.into(), last);
            }
        }
    }

    /// Drops every entry older than the window, and the memory a past burst left behind.
    fn sweep(&mut self, now_millis: i64) {
        self.apps.retain(|_, streams| {
            streams.retain(|_, l| now_millis.saturating_sub(l.at_millis) < SEQUENCE_WINDOW_MILLIS);
            if streams.capacity() > 4 * streams.len().max(64) {
                streams.shrink_to_fit();
            }
            !streams.is_empty()
        });
        self.last_sweep_millis = now_millis;
    }

    /// Forgets one app's streams.
    pub fn forget_app(&mut self, app_id: u32) {
        self.apps.retain(|(id, _), _| *id != app_id);
    }

    /// How many streams are remembered.
    pub fn len(&self) -> usize {
        self.apps.values().map(HashMap::len).sum()
    }

    /// Whether no stream is remembered.
    pub fn is_empty(&self) -> bool {
        self.apps.values().all(HashMap::is_empty)
    }
}

/// The business state of one app in one environment. It serializes to (and seeds from) JSON
/// for the control API.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnvState {
    /// CDN relay rules, in creation order. Add rules with [`EnvState::add_relay_rule`], which
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

impl EnvState {
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

/// Everything the action layer reads and writes, kept under one lock so that the rate limit,
/// the Sequence check, the execution and the Sequence advance of a request are one atomic step.
#[derive(Debug, Default)]
pub struct World {
    /// Rate-limit counts of the current second.
    pub limiter: FixedWindow,
    /// The Sequence order rule's memory.
    pub sequences: SequenceBook,
    /// Business state per (AppId, environment).
    pub envs: HashMap<(u32, Env), EnvState>,
}

impl World {
    /// Forgets one app's state, Sequence order and rate-limit counts.
    pub fn reset_app(&mut self, app_id: u32) {
        self.envs.retain(|(id, _), _| *id != app_id);
        self.sequences.forget_app(app_id);
        self.limiter.forget_app(app_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_up_to_the_limit_then_resets_on_the_next_second() {
        let mut w = FixedWindow::default();
        let key = (Action::CreatCDNTransferRule, 1, Env::Production);
        for _ in 0..3 {
            assert!(w.check(key, 3, 10).is_ok());
        }
        assert_eq!(w.check(key, 3, 10), Err(3));
        let other = (Action::CreatCDNTransferRule, 2, Env::Production);
        assert!(w.check(other, 3, 10).is_ok());
        assert!(w.check(key, 3, 11).is_ok());
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn sequences_must_increase_within_ten_seconds() {
        let mut b = SequenceBook::default();
        b.accept(1, Env::Production, "s", 5, 0);
        assert!(b.check(1, Env::Production, "s", 5, 9_999).is_err());
        assert!(b.check(1, Env::Production, "s", 6, 9_999).is_ok());
        assert!(b.check(1, Env::Production, "s", 1, 10_000).is_ok());
        assert!(b.check(1, Env::Test, "s", 1, 1).is_ok());
        assert!(b.check(2, Env::Production, "s", 1, 1).is_ok());
    }

    #[test]
    fn relay_rules_stay_unique_through_removals_and_seeding() {
        let rule = |s: &str, u: Option<&str>| RelayRule {
            stream_id: s.into(),
            cdn_url: u.map(str::to_string),
            created_at_millis: 0,
        };
        let mut st = EnvState::default();
        assert!(st.add_relay_rule(rule("a", Some("rtmp://h/x"))));
        assert!(!st.add_relay_rule(rule("a", Some("rtmp://h/x"))));
        assert!(st.add_relay_rule(rule("a", None)));
        assert!(st.add_relay_rule(rule("b", Some("rtmp://h/x"))));
        // Removing behind the index's back is noticed by the count.
        st.relay_rules.retain(|r| r.stream_id != "a");
        assert!(st.add_relay_rule(rule("a", Some("rtmp://h/x"))));
        assert_eq!(st.relay_rules.len(), 2);
        // A seeded state (no index yet) still finds its rules.
        let mut seeded: EnvState = serde_json::from_str(
            r#"{"relay_rules":[{"stream_id":"s","cdn_url":null,"created_at_millis":1}]}"#,
        )
        .expect("seed");
        assert!(seeded.has_relay_rule("s", None));
        assert!(!seeded.add_relay_rule(rule("s", None)));
        assert_eq!(seeded, seeded.clone());
    }

    #[test]
    fn old_sequences_are_swept() {
        let mut b = SequenceBook::default();
        for i in 0..100 {
            b.accept(1, Env::Production, &format!("s{i}"), 1, 0);
        }
        b.accept(1, Env::Production, "late", 1, 10_000);
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn a_stream_seen_again_is_updated_and_apps_are_kept_apart() {
        let mut b = SequenceBook::default();
        b.accept(1, Env::Production, "s", 1, 0);
        b.accept(1, Env::Production, "s", 2, 5);
        b.accept(1, Env::Test, "s", 9, 5);
        b.accept(2, Env::Production, "s", 9, 5);
        assert_eq!(b.len(), 3);
        assert_eq!(
            b.check(1, Env::Production, "s", 2, 6),
            Err(LastSequence {
                sequence: 2,
                at_millis: 5
            })
        );
        b.forget_app(1);
        assert_eq!(b.len(), 1);
        assert!(b.check(1, Env::Test, "s", 1, 6).is_ok());
        assert!(b.check(2, Env::Production, "s", 9, 6).is_err());
        // A sweep drops every expired stream, whatever app it belonged to.
        b.accept(3, Env::Production, "t", 1, 20_000);
        assert_eq!(b.len(), 1);
        assert!(!b.is_empty());
    }
}
