//! The Sequence order rule's memory: per (AppId, environment, subject), the last accepted
//! Sequence and when it was accepted. Entries older than the 10 s window can no longer matter and
//! are swept, so memory stays bounded however many subjects pass through.

use crate::config::Env;
use std::collections::HashMap;

/// The Sequence window: within it, a StreamId's Sequence must strictly increase.
pub const SEQUENCE_WINDOW_MILLIS: i64 = 10_000;

/// The last accepted Sequence of a subject and when it was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastSequence {
    /// The Sequence.
    pub sequence: u64,
    /// When it was accepted, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
}

/// The Sequence order rule's memory, per (AppId, environment, subject) (the subject is a StreamId today).
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
        subject: &str,
        sequence: u64,
        now_millis: i64,
    ) -> Result<(), LastSequence> {
        let last = self
            .apps
            .get(&(app_id, env))
            .and_then(|streams| streams.get(subject));
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
    pub fn accept(&mut self, app_id: u32, env: Env, subject: &str, sequence: u64, now_millis: i64) {
        if now_millis.saturating_sub(self.last_sweep_millis) >= SEQUENCE_WINDOW_MILLIS {
            self.sweep(now_millis);
        }
        let last = LastSequence {
            sequence,
            at_millis: now_millis,
        };
        let streams = self.apps.entry((app_id, env)).or_default();
        match streams.get_mut(subject) {
            Some(entry) => *entry = last,
            None => {
                streams.insert(subject.into(), last);
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
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.apps.values().all(HashMap::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
