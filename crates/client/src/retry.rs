//! The opt-in retry policy: capped exponential backoff with jitter.

use std::time::Duration;

/// How a call is retried when it fails with a [retryable](crate::Error::is_retryable) error
/// (throttling, a transient server code, a transport failure).
///
/// Every retry is signed again: a fresh `SignatureNonce`, a fresh `Timestamp` and, unless the
/// request carries an explicit one, a fresh automatic `Sequence`. Between attempts the client
/// sleeps (with `tokio::time::sleep`) for the [backoff](RetryPolicy::backoff) of that retry, with
/// "equal jitter": a random duration between half of it and all of it.
///
/// Retries are off by default ([`RetryPolicy::disabled`]).
///
/// ```
/// use std::time::Duration;
/// use zego_client::RetryPolicy;
///
/// let policy = RetryPolicy::standard()
///     .max_attempts(4)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(1));
/// assert_eq!(policy.backoff(1), Duration::from_millis(200));
/// assert_eq!(policy.backoff(2), Duration::from_millis(400));
/// assert_eq!(policy.backoff(3), Duration::from_millis(800));
/// assert_eq!(policy.backoff(4), Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::disabled()
    }
}

impl RetryPolicy {
    /// No retries: every call is tried once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(2),
            jitter: true,
        }
    }

    /// Up to 3 attempts, backing off 250 ms, then 500 ms (capped at 2 s), with jitter. ZEGO's
    /// rate limits count per second, so a throttled call usually passes within a second.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            ..Self::disabled()
        }
    }

    /// The most attempts a call makes, the first included (0 counts as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; each later retry doubles it.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Whether to randomize each backoff between half of it and all of it (on by default).
    #[must_use]
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// The most attempts a call makes.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry number `retry` (1 for the first retry), before jitter:
    /// `min(max_backoff, initial_backoff * 2^(retry - 1))`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }

    /// The time to sleep before retry number `retry`, jitter applied.
    pub(crate) fn delay(&self, retry: u32) -> Duration {
        let full = self.backoff(retry);
        if !self.jitter {
            return full;
        }
        let half = full / 2;
        let span = u64::try_from((full - half).as_nanos()).unwrap_or(u64::MAX);
        let extra = match span.checked_add(1) {
            Some(n) => crate::signing::random_u64() % n,
            None => crate::signing::random_u64(),
        };
        half + Duration::from_nanos(extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::standard()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(700));
        let got: Vec<_> = (1..=6).map(|r| p.backoff(r).as_millis()).collect();
        assert_eq!(got, vec![100, 200, 400, 700, 700, 700]);
        assert_eq!(p.backoff(200), Duration::from_millis(700), "no overflow");
    }

    #[test]
    fn jitter_stays_between_half_and_full() {
        let p = RetryPolicy::standard()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        for retry in 1..=5 {
            let full = p.backoff(retry);
            for _ in 0..50 {
                let d = p.delay(retry);
                assert!(d >= full / 2 && d <= full, "{d:?} vs {full:?}");
            }
        }
        assert_eq!(p.clone().jitter(false).delay(2), Duration::from_millis(200));
    }

    #[test]
    fn zero_attempts_means_one_and_default_is_disabled() {
        assert_eq!(RetryPolicy::standard().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 1);
        assert_eq!(RetryPolicy::standard().attempts(), 3);
    }
}
