//! Expectations on how often an action is called, checked when a [`MockServer`] is dropped.
//!
//! [`MockServer`]: super::MockServer

use crate::actions::Action;

/// An expectation on how often an action is called, checked when the server is dropped (or by
/// [`MockServer::verify`](super::MockServer::verify)). Counting starts when it is registered.
///
/// ```
/// use zego_mock::{Action, Expectation};
/// let e = Expectation::calls(Action::CreatCDNTransferRule).with_code(0).times(2);
/// assert_eq!(e.to_string(), "CreatCDNTransferRule answered 0 exactly 2 times");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Expectation {
    pub(crate) action: Action,
    pub(crate) code: Option<i64>,
    min: Option<u64>,
    max: Option<u64>,
}

impl Expectation {
    /// Calls of `action` (any code), at least once unless narrowed.
    pub fn calls(action: Action) -> Self {
        Self {
            action,
            code: None,
            min: None,
            max: None,
        }
    }

    /// Only calls answered with `code`.
    pub fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// Exactly `n` calls.
    pub fn times(mut self, n: u64) -> Self {
        self.min = Some(n);
        self.max = Some(n);
        self
    }

    /// At least `n` calls.
    pub fn at_least(mut self, n: u64) -> Self {
        self.min = Some(n);
        self
    }

    /// At most `n` calls (and, unless `at_least` says otherwise, possibly none).
    pub fn at_most(mut self, n: u64) -> Self {
        self.max = Some(n);
        self
    }

    /// The accepted range of counts: at least once unless narrowed.
    pub(crate) fn bounds(&self) -> (u64, u64) {
        let min = self.min.unwrap_or(if self.max.is_some() { 0 } else { 1 });
        (min, self.max.unwrap_or(u64::MAX))
    }

    pub(crate) fn holds(&self, count: u64) -> bool {
        let (min, max) = self.bounds();
        (min..=max).contains(&count)
    }
}

impl std::fmt::Display for Expectation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.action)?;
        if let Some(code) = self.code {
            write!(f, " answered {code}")?;
        } else {
            write!(f, " called")?;
        }
        match self.bounds() {
            (a, b) if a == b => write!(f, " exactly {a} times"),
            (a, u64::MAX) => write!(f, " at least {a} times"),
            (0, b) => write!(f, " at most {b} times"),
            (a, b) => write!(f, " between {a} and {b} times"),
        }
    }
}
