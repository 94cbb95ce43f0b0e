//! The Sequence order rule's memory: per (AppId, environment, subject), the last accepted
//! Sequence and when it was accepted. Entries older than the 10 s window can no longer matter and
//! are dropped, so memory stays bounded however many subjects pass through.
//!
//! The live window is kept compact, as every subject seen in the last 10 s is in it (1M distinct
//! StreamIds at full speed keep hundreds of thousands live):
//! - a subject is kept as a 64-bit hash keyed per process (no copy of the StreamId), so two
//!   StreamIds collide with a chance of about n²/2⁶⁵ (under 10⁻⁷ for a million live ones) and an
//!   outsider cannot choose colliding ones;
//! - an entry is 20 bytes: the hash, the Sequence (u64) and the time as milliseconds from its
//!   generation's start (i32);
//! - entries live in generations of 2 s of the mock's clock: a new one opens (sized like the
//!   last) when the clock has moved 2 s past the newest one's start, and a whole generation is
//!   dropped at once when its latest entry is 10 s old, so nothing is swept entry by entry and a
//!   subject is kept at most 12 s.

use crate::config::Env;
use crate::state::keyed::Keyed;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The Sequence window: within it, a StreamId's Sequence must strictly increase.
pub const SEQUENCE_WINDOW_MILLIS: i64 = 10_000;

/// How much of the mock's clock one generation of entries covers.
const GENERATION_MILLIS: i64 = 2_000;

/// A safety bound on the generations of one (AppId, environment); the clock rules keep it
/// below 8 (see [`Book::rotate`]).
const MAX_GENERATIONS: usize = 16;

/// The last accepted Sequence of a subject and when it was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastSequence {
    /// The Sequence.
    pub sequence: u64,
    /// When it was accepted, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
}

impl LastSequence {
    /// Whether this Sequence refuses `sequence` at `now_millis`: accepted less than 10 s ago,
    /// and not below it.
    fn holds_back(self, sequence: u64, now_millis: i64) -> bool {
        now_millis.saturating_sub(self.at_millis) < SEQUENCE_WINDOW_MILLIS
            && sequence <= self.sequence
    }
}

/// A subject's keyed 64-bit hash, in two halves so an entry packs into 20 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(u32, u32);

impl Key {
    /// The keyed 64-bit hash the key was made from ([`SequenceBook::key`]).
    pub(crate) fn hash64(self) -> u64 {
        (u64::from(self.0) << 32) | u64::from(self.1)
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash64());
    }
}

/// Uses a [`Key`] as its own hash (it already is a keyed hash).
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// An accepted Sequence: 12 bytes, aligned to 4 so that with its key an entry is 20.
#[repr(C, packed(4))]
#[derive(Clone, Copy)]
struct Slot {
    sequence: u64,
    /// Milliseconds from the generation's start (negative when the clock was moved back).
    at: i32,
}

impl Slot {
    /// The Sequence as accepted, in a generation that started at `start`.
    fn last(self, start: i64) -> LastSequence {
        let (sequence, at) = (self.sequence, self.at);
        LastSequence {
            sequence,
            at_millis: start.saturating_add(i64::from(at)),
        }
    }
}

/// The entries accepted while the clock was in one 2 s stretch.
struct Generation {
    start: i64,
    /// The latest time of an entry: the generation goes when it is 10 s old.
    max_at: i64,
    slots: HashMap<Key, Slot, BuildHasherDefault<PassThrough>>,
}

impl Generation {
    /// The subject's Sequence accepted in this generation, if any.
    fn last(&self, key: Key) -> Option<LastSequence> {
        self.slots.get(&key).map(|slot| slot.last(self.start))
    }
}

/// The generations of one (AppId, environment), oldest first.
#[derive(Default)]
struct Book {
    generations: VecDeque<Generation>,
}

impl Book {
    fn last(&self, key: Key) -> Option<LastSequence> {
        // The newest generation holding the key holds its last accepted Sequence.
        self.generations.iter().rev().find_map(|g| g.last(key))
    }

    /// Drops the generations whose latest entry is 10 s old by `now`, and opens a new one
    /// when the clock has moved 2 s past the newest one's start. New generations open only
    /// past every start so far, and each holds times before the next one's start, so those
    /// kept (latest entry within 10 s) number at most 7.
    fn rotate(&mut self, now: i64) {
        self.expire(now);
        // A new generation opens 2 s after the newest one's start, and also when the clock was
        // moved back before it: entries of the earlier time then go where they expire on time,
        // not into a generation whose (later) times keep it for as long as the clock is behind.
        let due = self
            .generations
            .back()
            .is_none_or(|g| now >= g.start.saturating_add(GENERATION_MILLIS) || now < g.start);
        if due {
            let capacity = self.generations.back().map_or(0, |g| g.slots.len());
            if self.generations.len() >= MAX_GENERATIONS {
                self.generations.pop_front();
            }
            self.generations.push_back(Generation {
                start: now,
                max_at: now,
                slots: HashMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default()),
            });
        }
    }

    fn expire(&mut self, now: i64) {
        let old = |g: &Generation| now.saturating_sub(g.max_at) >= SEQUENCE_WINDOW_MILLIS;
        while self.generations.front().is_some_and(old) {
            self.generations.pop_front();
        }
        // After the clock was moved back, a generation of the later times stays in front until
        // the clock passes them again; the ones behind it still go when they are 10 s old.
        if self.generations.len() > 8 {
            self.generations.retain(|g| !old(g));
        }
    }

    fn len(&self) -> usize {
        self.generations.iter().map(|g| g.slots.len()).sum()
    }
}

/// The Sequence order rule's memory, per (AppId, environment, subject) (the subject is a
/// StreamId today). See the module documentation for how the live window is kept compact.
pub struct SequenceBook {
    apps: crate::state::IdMap<(u32, Env), Book>,
    last_sweep_millis: i64,
}

impl Default for SequenceBook {
    fn default() -> Self {
        Self {
            apps: Default::default(),
            last_sweep_millis: i64::MIN,
        }
    }
}

impl std::fmt::Debug for SequenceBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SequenceBook")
            .field("entries", &self.len())
            .finish_non_exhaustive()
    }
}

/// Where a subject's Sequence goes: its entry in the newest generation, and the generations
/// before it to look in for its last one.
struct Place<'a> {
    start: i64,
    max_at: &'a mut i64,
    slot: Entry<'a, Key, Slot>,
    /// The older generations, each half newest last.
    older: [&'a [Generation]; 2],
}

impl Place<'_> {
    /// The subject's last accepted Sequence: the newest generation's, else the newest of the
    /// older ones holding it.
    fn last(&self, key: Key) -> Option<LastSequence> {
        let newest = match &self.slot {
            Entry::Occupied(held) => Some(held.get().last(self.start)),
            Entry::Vacant(_) => None,
        };
        newest.or_else(|| {
            self.older
                .iter()
                .flat_map(|half| half.iter().rev())
                .find_map(|g| g.last(key))
        })
    }

    fn write(self, sequence: u64, now_millis: i64) {
        let offset = now_millis.saturating_sub(self.start);
        let at = i32::try_from(offset).unwrap_or(if offset > 0 { i32::MAX } else { i32::MIN });
        let slot = Slot { sequence, at };
        self.slot.insert_entry(slot);
        *self.max_at = (*self.max_at).max(now_millis);
    }
}

/// A Sequence that passed its check, and the place it is written in once the request is
/// executed ([`SequenceBook::check_and_hold`]).
pub(crate) struct Held<'a> {
    place: Option<Place<'a>>,
    sequence: u64,
    now_millis: i64,
}

impl Held<'_> {
    /// Records the Sequence as accepted.
    pub(crate) fn accept(self) {
        if let Some(place) = self.place {
            place.write(self.sequence, self.now_millis);
        }
    }
}

impl SequenceBook {
    /// The key a subject is kept under (hashed once per request, for the check and the accept).
    pub(crate) fn key(&self, subject: &str) -> Key {
        let h = Keyed::process().hash(subject.as_bytes());
        Key((h >> 32) as u32, h as u32)
    }

    /// Checks a Sequence without recording it: `Err` with the last accepted one when the request
    /// comes less than 10 s after it and is not greater.
    #[cfg(test)]
    pub fn check(
        &self,
        app_id: u32,
        env: Env,
        subject: &str,
        sequence: u64,
        now_millis: i64,
    ) -> Result<(), LastSequence> {
        self.check_key(app_id, env, self.key(subject), sequence, now_millis)
    }

    /// [`SequenceBook::check`] of a subject's [`SequenceBook::key`].
    pub(crate) fn check_key(
        &self,
        app_id: u32,
        env: Env,
        key: Key,
        sequence: u64,
        now_millis: i64,
    ) -> Result<(), LastSequence> {
        let last = self
            .apps
            .get(&(app_id, env))
            .and_then(|book| book.last(key));
        match last {
            Some(last) if last.holds_back(sequence, now_millis) => Err(last),
            _ => Ok(()),
        }
    }

    /// Records an accepted Sequence. Every 2 s of the clock, the generations of every app that
    /// are 10 s old go (whole maps, not entry by entry).
    pub fn accept(&mut self, app_id: u32, env: Env, subject: &str, sequence: u64, now_millis: i64) {
        self.accept_key(app_id, env, self.key(subject), sequence, now_millis);
    }

    /// [`SequenceBook::accept`] of a subject's [`SequenceBook::key`].
    pub(crate) fn accept_key(
        &mut self,
        app_id: u32,
        env: Env,
        key: Key,
        sequence: u64,
        now_millis: i64,
    ) {
        if let Some(place) = self.place(app_id, env, key, now_millis) {
            place.write(sequence, now_millis);
        }
    }

    /// [`SequenceBook::check_key`] that keeps the place the subject's Sequence is written in
    /// when the request is then executed ([`Held::accept`]): one look-up for the check and the
    /// write. Dropping the [`Held`] records nothing, as a refused request does not.
    pub(crate) fn check_and_hold(
        &mut self,
        app_id: u32,
        env: Env,
        key: Key,
        sequence: u64,
        now_millis: i64,
    ) -> Result<Held<'_>, LastSequence> {
        // The sweep and the rotation come before the check (an accept did them before): what
        // they drop is 10 s old, and a new generation is empty, so the answer is the same.
        let place = self.place(app_id, env, key, now_millis);
        let last = place.as_ref().and_then(|p| p.last(key));
        match last {
            Some(last) if last.holds_back(sequence, now_millis) => Err(last),
            _ => Ok(Held {
                place,
                sequence,
                now_millis,
            }),
        }
    }

    /// The place of `key` in its book's newest generation (after the sweep and the rotation an
    /// accept does), with the generations before it.
    fn place(&mut self, app_id: u32, env: Env, key: Key, now_millis: i64) -> Option<Place<'_>> {
        let since_sweep = now_millis.saturating_sub(self.last_sweep_millis);
        if !(0..GENERATION_MILLIS).contains(&since_sweep) {
            self.sweep(now_millis);
        }
        let book = self.apps.entry((app_id, env)).or_default();
        book.rotate(now_millis);
        // The newest generation, and the older ones apart from it (the two halves of the ring).
        let (front, back) = book.generations.as_mut_slices();
        let (newest, older_back, older_front): (_, &[Generation], &[Generation]) =
            match back.split_last_mut() {
                Some((newest, rest)) => (newest, rest, front),
                None => {
                    let (newest, rest) = front.split_last_mut()?;
                    (newest, &[], rest)
                }
            };
        Some(Place {
            start: newest.start,
            max_at: &mut newest.max_at,
            slot: newest.slots.entry(key),
            older: [older_back, older_front],
        })
    }

    /// Drops every generation 10 s old, and the books left empty.
    fn sweep(&mut self, now_millis: i64) {
        self.apps.retain(|_, book| {
            book.expire(now_millis);
            !book.generations.is_empty()
        });
        self.last_sweep_millis = now_millis;
    }

    /// Forgets one app's streams.
    pub fn forget_app(&mut self, app_id: u32) {
        self.apps.retain(|(id, _), _| *id != app_id);
    }

    /// How many entries are held (a stream accepted again in a later generation counts in
    /// both until the older one goes).
    pub fn len(&self) -> usize {
        self.apps.values().map(Book::len).sum()
    }

    /// Whether no stream is remembered.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    #[test]
    fn an_entry_takes_20_bytes() {
        assert_eq!(std::mem::size_of::<(Key, Slot)>(), 20);
    }

    #[test]
    fn a_held_check_records_nothing_until_accepted() {
        let mut b = SequenceBook::default();
        let key = b.key("s");
        let held = b.check_and_hold(1, Env::Production, key, 5, 0);
        assert!(held.is_ok());
        drop(held);
        assert!(
            b.check(1, Env::Production, "s", 1, 1).is_ok(),
            "dropped: nothing kept"
        );
        if let Ok(held) = b.check_and_hold(1, Env::Production, key, 5, 2) {
            held.accept();
        }
        assert!(b.check(1, Env::Production, "s", 5, 3).is_err());
        assert_eq!(
            b.check_and_hold(1, Env::Production, key, 5, 4).err(),
            Some(LastSequence {
                sequence: 5,
                at_millis: 2
            })
        );
    }

    proptest::proptest! {
        /// The held check answers as the separate check and accept do, across generations, the
        /// ring's wrap and expiry: the same refusals, with the same last Sequences.
        #[test]
        fn a_held_check_answers_as_check_then_accept(
            steps in proptest::collection::vec((0u8..4, 0u64..8, 0i64..3_000, proptest::bool::ANY), 1..120)
        ) {
            let (mut apart, mut held) = (SequenceBook::default(), SequenceBook::default());
            let mut now = 0;
            for (subject, sequence, dt, accepted) in steps {
                now += dt;
                let subject = format!("s{subject}");
                let key = apart.key(&subject);
                let expected = apart.check_key(1, Env::Production, key, sequence, now);
                if expected.is_ok() && accepted {
                    apart.accept_key(1, Env::Production, key, sequence, now);
                }
                let got = held.check_and_hold(1, Env::Production, key, sequence, now);
                match got {
                    Ok(h) => {
                        proptest::prop_assert!(expected.is_ok());
                        if accepted {
                            h.accept();
                        }
                    }
                    Err(last) => proptest::prop_assert_eq!(Err(last), expected),
                }
            }
        }
    }

    #[test]
    fn generations_open_every_two_seconds_and_go_whole_after_ten() {
        let mut b = SequenceBook::default();
        for t in 0..11_999 {
            b.accept(1, Env::Production, &format!("s{t}"), 1, t);
        }
        let starts: Vec<i64> = b.apps[&(1, Env::Production)]
            .generations
            .iter()
            .map(|g| g.start)
            .collect();
        assert_eq!(starts, [0, 2_000, 4_000, 6_000, 8_000, 10_000]);
        assert_eq!(b.len(), 11_999);
        // The generation [0, 2 s) goes whole once its last entry (1999) is 10 s old.
        b.accept(1, Env::Production, "x", 1, 11_999);
        assert_eq!(b.len(), 10_000);
        assert!(b.check(1, Env::Production, "s2000", 1, 11_999).is_err());
        assert!(b.check(1, Env::Production, "s1999", 1, 11_999).is_ok());
    }

    #[test]
    fn a_stream_accepted_again_is_found_in_its_newest_generation() {
        let mut b = SequenceBook::default();
        b.accept(1, Env::Production, "s", 5, 0);
        b.accept(1, Env::Production, "s", 9, 3_000);
        assert_eq!(b.len(), 2);
        assert_eq!(
            b.check(1, Env::Production, "s", 9, 3_001),
            Err(LastSequence {
                sequence: 9,
                at_millis: 3_000
            })
        );
        assert!(b.check(1, Env::Production, "s", 10, 3_001).is_ok());
    }

    #[test]
    fn a_clock_moved_back_keeps_the_rule_and_the_bound() {
        let mut b = SequenceBook::default();
        b.accept(1, Env::Production, "s", 5, 100_000);
        // Moved back a minute: the entry is in the future, so still within the window.
        assert!(b.check(1, Env::Production, "s", 5, 40_000).is_err());
        b.accept(1, Env::Production, "t", 1, 40_000);
        assert_eq!(
            b.check(1, Env::Production, "t", 1, 40_001),
            Err(LastSequence {
                sequence: 1,
                at_millis: 40_000
            })
        );
        // Moved back further than an i32 of milliseconds: the time saturates, the rule holds.
        b.accept(1, Env::Production, "u", 1, -5_000_000_000);
        assert!(b.check(1, Env::Production, "u", 1, -5_000_000_000).is_err());
        // Back and forth many times: the generations stay bounded.
        for i in 0..1000 {
            let t = if i % 2 == 0 { 0 } else { 1_000_000 + i * 2_000 };
            b.accept(1, Env::Production, "v", 1, t);
        }
        assert!(b.apps[&(1, Env::Production)].generations.len() <= MAX_GENERATIONS);
    }

    #[test]
    fn after_the_clock_is_moved_back_a_day_new_entries_still_go_after_10_s() {
        let day = 86_400_000;
        let mut b = SequenceBook::default();
        b.accept(1, Env::Production, "before", 1, day);
        // Back a day, then a minute of traffic, a new StreamId every millisecond.
        for t in 0..60_000 {
            b.accept(1, Env::Production, &format!("s{t}"), 1, t);
        }
        // The entry of the later time is still held (the clock has not passed it), and of the
        // minute at most 8 generations of 2 s (before the change, all 60,000 entries).
        assert!(b.check(1, Env::Production, "before", 1, 60_000).is_err());
        assert!(b.len() <= 16_001, "{}", b.len());
        assert!(b.check(1, Env::Production, "s59999", 1, 60_000).is_err());
        assert!(b.check(1, Env::Production, "s40000", 1, 60_000).is_ok());
    }
}
