//! The mock's notion of time.
//!
//! Every rule that depends on time (timestamp skew, rate-limit windows, the Sequence window,
//! ban expiry) reads one [`Clock`]. Production runs on [`SystemClock`]; tests hand the server a
//! [`ManualClock`], freeze it, and move it, so no test ever sleeps.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time, in milliseconds since the Unix epoch.
pub trait Clock: Send + Sync + 'static {
    /// The current time in milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;

    /// The current time in whole seconds since the Unix epoch (rounded down).
    fn now_secs(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }
}

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> i64 {
        system_now_millis()
    }
}

pub(crate) fn system_now_millis() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// A clock that stands still until it is told to move. Cheap to clone; clones share one time.
///
/// ```
/// use std::time::Duration;
/// use zego_mock::{Clock, ManualClock};
///
/// let clock = ManualClock::at_secs(1_615_186_943);
/// clock.advance(Duration::from_millis(1_500));
/// assert_eq!(clock.now_secs(), 1_615_186_944);
/// assert_eq!(clock.now_millis(), 1_615_186_944_500);
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    millis: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock frozen at the given Unix time in seconds.
    pub fn at_secs(secs: i64) -> Self {
        Self::at_millis(secs.saturating_mul(1000))
    }

    /// A clock frozen at the given Unix time in milliseconds.
    pub fn at_millis(millis: i64) -> Self {
        Self {
            millis: Arc::new(AtomicI64::new(millis)),
        }
    }

    /// A clock frozen at the current real time.
    pub fn frozen_now() -> Self {
        Self::at_millis(system_now_millis())
    }

    /// Moves the clock forward (stopping at the largest time rather than wrapping around).
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ = self
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(ms))
            });
    }

    /// Moves the clock backward (stopping at the smallest time rather than wrapping around).
    pub fn rewind(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ = self
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_sub(ms))
            });
    }

    /// This clock as a function of no arguments answering its time in Unix milliseconds: what
    /// `zego_client`'s `ClientBuilder::clock` takes, so that the client signs with the mock's time.
    ///
    /// ```
    /// let clock = zego_mock::ManualClock::at_secs(1_700_000_000);
    /// let now = clock.millis_fn();
    /// clock.advance(std::time::Duration::from_secs(1));
    /// assert_eq!(now(), 1_700_000_001_000);
    /// ```
    pub fn millis_fn(&self) -> impl Fn() -> i64 + Send + Sync + 'static {
        let millis = self.millis.clone();
        move || millis.load(Ordering::SeqCst)
    }

    /// Sets the clock to a Unix time in milliseconds.
    pub fn set_millis(&self, millis: i64) {
        self.millis.store(millis, Ordering::SeqCst);
    }

    /// Sets the clock to a Unix time in seconds.
    pub fn set_secs(&self, secs: i64) {
        self.set_millis(secs.saturating_mul(1000));
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        self.millis.load(Ordering::SeqCst)
    }
}

/// A shared handle to any clock.
pub type SharedClock = Arc<dyn Clock>;

/// The engine's clock: a base clock (system or manual) that the control plane can freeze, move
/// and offset at run time, through Rust or HTTP.
///
/// ```
/// use std::time::Duration;
/// use zego_mock::{Clock, ControlClock, ManualClock};
///
/// let clock = ControlClock::new(std::sync::Arc::new(ManualClock::at_secs(100)));
/// clock.advance(Duration::from_secs(5));   // not frozen: moves the offset
/// assert_eq!(clock.now_secs(), 105);
/// clock.freeze_at_millis(1_000);
/// clock.advance(Duration::from_secs(1));   // frozen: moves the frozen time
/// assert_eq!(clock.now_secs(), 2);
/// clock.resume();
/// assert_eq!(clock.now_secs(), 105);
/// ```
pub struct ControlClock {
    base: SharedClock,
    offset_millis: AtomicI64,
    frozen: std::sync::atomic::AtomicBool,
    frozen_millis: AtomicI64,
}

impl std::fmt::Debug for ControlClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlClock")
            .field("now_millis", &self.now_millis())
            .field("frozen", &self.is_frozen())
            .field("offset_millis", &self.offset_millis())
            .finish()
    }
}

impl ControlClock {
    /// Wraps a base clock, neither frozen nor offset.
    pub fn new(base: SharedClock) -> Self {
        Self {
            base,
            offset_millis: AtomicI64::new(0),
            frozen: std::sync::atomic::AtomicBool::new(false),
            frozen_millis: AtomicI64::new(0),
        }
    }

    /// Whether the clock is frozen by the control plane.
    pub fn is_frozen(&self) -> bool {
        self.frozen.load(Ordering::SeqCst)
    }

    /// The base clock's time, without offset or freeze.
    pub fn base_millis(&self) -> i64 {
        self.base.now_millis()
    }

    /// The offset added to the base clock while not frozen.
    pub fn offset_millis(&self) -> i64 {
        self.offset_millis.load(Ordering::SeqCst)
    }

    /// Freezes the clock at its current time.
    pub fn freeze(&self) {
        self.freeze_at_millis(self.now_millis());
    }

    /// Freezes the clock at a Unix time in milliseconds.
    pub fn freeze_at_millis(&self, millis: i64) {
        self.frozen_millis.store(millis, Ordering::SeqCst);
        self.frozen.store(true, Ordering::SeqCst);
    }

    /// Unfreezes the clock: it follows the base clock plus the offset again.
    pub fn resume(&self) {
        self.frozen.store(false, Ordering::SeqCst);
    }

    /// Moves the clock forward (the frozen time if frozen, else the offset).
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.advance_millis(ms);
    }

    /// Moves the clock by a signed number of milliseconds, stopping at the ends of the range
    /// rather than wrapping around.
    pub fn advance_millis(&self, ms: i64) {
        let target = if self.is_frozen() {
            &self.frozen_millis
        } else {
            &self.offset_millis
        };
        let _ = target.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
            Some(t.saturating_add(ms))
        });
    }

    /// Sets the offset from the base clock and unfreezes.
    pub fn set_offset_millis(&self, ms: i64) {
        self.offset_millis.store(ms, Ordering::SeqCst);
        self.resume();
    }
}

impl Clock for ControlClock {
    fn now_millis(&self) -> i64 {
        if self.frozen.load(Ordering::SeqCst) {
            self.frozen_millis.load(Ordering::SeqCst)
        } else {
            self.base
                .now_millis()
                .saturating_add(self.offset_millis.load(Ordering::SeqCst))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stop_at_the_ends_of_the_range_instead_of_wrapping() {
        let c = ManualClock::at_millis(i64::MAX - 5);
        c.advance(Duration::from_secs(1));
        assert_eq!(c.now_millis(), i64::MAX);
        let c = ManualClock::at_millis(i64::MIN + 5);
        c.rewind(Duration::from_secs(1));
        assert_eq!(c.now_millis(), i64::MIN);
        let control = ControlClock::new(std::sync::Arc::new(ManualClock::at_secs(0)));
        control.freeze_at_millis(0);
        control.advance_millis(i64::MIN);
        control.advance_millis(i64::MIN);
        assert_eq!(control.now_millis(), i64::MIN);
        control.resume();
        control.advance_millis(i64::MAX);
        control.advance_millis(i64::MAX);
        assert_eq!(control.offset_millis(), i64::MAX);
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::at_secs(100);
        assert_eq!(c.now_millis(), 100_000);
        c.advance(Duration::from_millis(999));
        assert_eq!(c.now_secs(), 100);
        c.advance(Duration::from_millis(1));
        assert_eq!(c.now_secs(), 101);
        c.rewind(Duration::from_secs(2));
        assert_eq!(c.now_secs(), 99);
        let clone = c.clone();
        clone.set_secs(5);
        assert_eq!(c.now_millis(), 5_000);
    }

    #[test]
    fn negative_millis_round_down_to_seconds() {
        assert_eq!(ManualClock::at_millis(-1).now_secs(), -1);
    }

    #[test]
    fn system_clock_is_near_the_real_time() {
        let a = SystemClock.now_secs();
        assert!(a > 1_600_000_000, "system clock reads {a}");
    }
}
