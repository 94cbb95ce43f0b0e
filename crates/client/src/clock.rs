//! The client's notion of time: the source of `Timestamp` and of the automatic `Sequence`.

use std::sync::atomic::{AtomicU64, Ordering};

/// The time the client signs with: a source of the current time, in milliseconds since the Unix
/// epoch. (Named apart from `zego_mock::Clock`, the mock's clock: a test shares one time between
/// both with `zego_mock::ManualClock::millis_fn`.)
///
/// The client reads its clock exactly once per attempt: the attempt's `Timestamp` (whole seconds)
/// and its automatic `Sequence` both come from that one reading. Any
/// `Fn() -> i64 + Send + Sync + 'static` closure is a clock, which makes it easy to sign with a
/// test's frozen time:
///
/// ```
/// use zego_client::Client;
///
/// let client = Client::builder()
///     .app_id(12345)
///     .server_secret("9193cc662a4c0ec135ec71fb57194b38")
///     .clock(|| 1_615_186_943_000)
///     .build()
///     .unwrap();
/// assert_eq!(client.next_sequence(), 1_615_186_943_000);
/// ```
pub trait SigningClock: Send + Sync + 'static {
    /// The current time in milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;
}

impl<F> SigningClock for F
where
    F: Fn() -> i64 + Send + Sync + 'static,
{
    fn now_millis(&self) -> i64 {
        self()
    }
}

/// The system's wall clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct WallClock;

impl SigningClock for WallClock {
    fn now_millis(&self) -> i64 {
        use std::time::{SystemTime, UNIX_EPOCH};
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        }
    }
}

/// Automatic `Sequence` numbers: millisecond timestamps, strictly increasing across every call
/// of one client, whatever the number of tasks calling at once.
#[derive(Debug, Default)]
pub(crate) struct SequenceGenerator {
    last: AtomicU64,
}

impl SequenceGenerator {
    /// The next Sequence: `max(now_millis, last + 1)`, taken atomically.
    pub(crate) fn next(&self, now_millis: i64) -> u64 {
        let now = u64::try_from(now_millis).unwrap_or(0);
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = now.max(last.saturating_add(1));
            match self
                .last
                .compare_exchange_weak(last, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(actual) => last = actual,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::Arc;

    #[test]
    fn follows_the_clock_and_never_repeats() {
        let g = SequenceGenerator::default();
        assert_eq!(g.next(1_000), 1_000);
        assert_eq!(g.next(1_000), 1_001);
        assert_eq!(g.next(999), 1_002);
        assert_eq!(g.next(5_000), 5_000);
        assert_eq!(g.next(-3), 5_001);
    }

    #[test]
    fn strictly_increasing_under_contention() {
        let g = Arc::new(SequenceGenerator::default());
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let g = g.clone();
                std::thread::spawn(move || {
                    let mut mine = Vec::with_capacity(2_000);
                    for _ in 0..2_000 {
                        mine.push(g.next(42));
                    }
                    mine
                })
            })
            .collect();
        let mut all = HashSet::new();
        for t in threads {
            let mine = t.join().expect("thread");
            assert!(mine.windows(2).all(|w| w[0] < w[1]), "per-thread order");
            all.extend(mine);
        }
        assert_eq!(all.len(), 16_000, "no Sequence handed out twice");
        assert_eq!(all.iter().max(), Some(&(42 + 16_000 - 1)));
    }
}
