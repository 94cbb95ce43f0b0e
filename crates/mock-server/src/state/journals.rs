//! Bounded journals kept per app and environment: the events the real service would send as
//! server callbacks, and the messages rooms received.

use serde::Serialize;
use serde_json::Value;
use std::collections::VecDeque;

/// How many entries a journal keeps; older ones are dropped first.
pub const JOURNAL_CAPACITY: usize = 1000;

/// A bounded ring of entries, numbered from 1 in the order they were added.
#[derive(Debug, Clone)]
pub struct Ring<T> {
    entries: VecDeque<T>,
    next_seq: u64,
    /// The last sequence number handed on by [`Ring::take_new`].
    taken: u64,
}

impl<T> Default for Ring<T> {
    fn default() -> Self {
        Self {
            entries: VecDeque::new(),
            next_seq: 1,
            taken: 0,
        }
    }
}

/// Journals are observations, not state: two states with the same rooms and rules are equal
/// whatever their journals hold.
impl<T> PartialEq for Ring<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Ring<T> {}

impl<T> Ring<T> {
    /// Adds an entry built from its sequence number, dropping the oldest beyond capacity.
    pub fn push(&mut self, make: impl FnOnce(u64) -> T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.entries.len() == JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(make(seq));
    }

    /// The entries, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter()
    }

    /// Copies of the entries added since the last call, oldest first, and how many of those
    /// were dropped (by capacity or [`Ring::clear`]) before they could be taken. With `copy`
    /// false nothing is copied: the entries only count as taken. Costs nothing when none is new.
    pub fn take_new(&mut self, copy: bool) -> (Vec<T>, u64)
    where
        T: Clone,
    {
        let last = self.next_seq - 1;
        let new = last.saturating_sub(self.taken);
        self.taken = last;
        if new == 0 || !copy {
            return (Vec::new(), 0);
        }
        let kept = usize::try_from(new).map_or(self.entries.len(), |n| n.min(self.entries.len()));
        let skip = self.entries.len() - kept;
        let taken = self.entries.iter().skip(skip).cloned().collect();
        (taken, new - kept as u64)
    }

    /// Forgets every entry (numbering goes on).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// One event the real service would report as a server callback (room_create, room_close,
/// room_login, room_logout, stream_create, stream_close), with the callback's fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Position in this app and environment's event journal, from 1.
    pub seq: u64,
    /// When it happened, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
    /// The callback's event name.
    pub event: &'static str,
    /// The callback's fields of interest.
    pub data: Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_keeps_the_latest_and_numbers_on() {
        let mut r: Ring<u64> = Ring::default();
        for _ in 0..JOURNAL_CAPACITY + 5 {
            r.push(|seq| seq);
        }
        let kept: Vec<u64> = r.iter().copied().collect();
        assert_eq!(kept.len(), JOURNAL_CAPACITY);
        assert_eq!(kept[0], 6);
        r.clear();
        r.push(|seq| seq);
        assert_eq!(
            r.iter().copied().collect::<Vec<_>>(),
            [JOURNAL_CAPACITY as u64 + 6]
        );
    }

    #[test]
    fn take_new_hands_on_each_entry_once_and_counts_the_lost() {
        let mut r: Ring<u64> = Ring::default();
        assert_eq!(r.take_new(true), (vec![], 0));
        r.push(|seq| seq);
        r.push(|seq| seq);
        assert_eq!(r.take_new(true), (vec![1, 2], 0));
        assert_eq!(r.take_new(true), (vec![], 0));
        r.push(|seq| seq);
        assert_eq!(r.take_new(false), (vec![], 0));
        for _ in 0..JOURNAL_CAPACITY + 2 {
            r.push(|seq| seq);
        }
        let (taken, lost) = r.take_new(true);
        assert_eq!(taken.len(), JOURNAL_CAPACITY);
        assert_eq!(taken[0], 6);
        assert_eq!(lost, 2);
        r.push(|seq| seq);
        r.clear();
        assert_eq!(r.take_new(true), (vec![], 1));
    }
}
