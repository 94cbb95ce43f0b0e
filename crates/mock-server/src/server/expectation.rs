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

    /// The action counted.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The code counted, or `None` for any answer.
    pub fn code(&self) -> Option<i64> {
        self.code
    }

    /// The accepted range of counts, inclusive: at least once unless narrowed (`u64::MAX` for
    /// no upper bound).
    pub fn bounds(&self) -> (u64, u64) {
        let min = self.min.unwrap_or(if self.max.is_some() { 0 } else { 1 });
        (min, self.max.unwrap_or(u64::MAX))
    }

    /// Whether `count` calls meet the expectation.
    pub fn holds(&self, count: u64) -> bool {
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

/// The most expectations held at once (Rust and HTTP together); further ones are refused.
pub const MAX_EXPECTATIONS: usize = 10_000;

/// One registered expectation and how many matching calls were answered since it was
/// registered, as [`Engine::expectations`](crate::Engine::expectations) lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectationStatus {
    /// The expectation.
    pub expectation: Expectation,
    /// Matching calls answered since it was registered.
    pub count: u64,
}

impl ExpectationStatus {
    /// Whether the count is within the expected range now.
    pub fn holds(&self) -> bool {
        self.expectation.holds(self.count)
    }
}

/// The expectations of one engine, each with its own count (so resets of the coverage counts
/// do not disturb them). Bounded by [`MAX_EXPECTATIONS`].
#[derive(Debug, Default)]
pub(crate) struct Expectations {
    list: Vec<ExpectationStatus>,
    /// Registrations refused because the list was full: each one fails verification.
    refused: u64,
}

impl Expectations {
    /// Registers an expectation; `Err` when [`MAX_EXPECTATIONS`] are already held.
    pub(crate) fn add(&mut self, expectation: Expectation) -> Result<(), String> {
        if self.list.len() >= MAX_EXPECTATIONS {
            self.refused = self.refused.saturating_add(1);
            return Err(format!(
                "at most {MAX_EXPECTATIONS} expectations are held at once; clear them first"
            ));
        }
        self.list.push(ExpectationStatus {
            expectation,
            count: 0,
        });
        Ok(())
    }

    /// Counts one answered request.
    pub(crate) fn record(&mut self, action: Action, code: i64) {
        for s in &mut self.list {
            if s.expectation.action == action && s.expectation.code.is_none_or(|c| c == code) {
                s.count = s.count.saturating_add(1);
            }
        }
    }

    pub(crate) fn list(&self) -> Vec<ExpectationStatus> {
        self.list.clone()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.refused == 0
    }

    /// Every unmet expectation, in words (`expected ..., got N`).
    pub(crate) fn unmet(&self) -> Vec<String> {
        let mut unmet: Vec<String> = self
            .list
            .iter()
            .filter(|s| !s.holds())
            .map(|s| format!("expected {}, got {}", s.expectation, s.count))
            .collect();
        if self.refused > 0 {
            unmet.push(format!(
                "{} expectations were refused: at most {MAX_EXPECTATIONS} are held at once",
                self.refused
            ));
        }
        unmet
    }

    pub(crate) fn clear(&mut self) {
        self.list.clear();
        self.refused = 0;
    }
}

impl crate::engine::Engine {
    /// Registers an expectation: matching calls answered from now on are counted. `Err` when
    /// [`MAX_EXPECTATIONS`] are already held (the refusal then also fails
    /// [`Engine::verify_expectations`](crate::Engine::verify_expectations)).
    pub fn expect(&self, expectation: Expectation) -> Result<(), String> {
        let mut held = crate::engine::lock(&self.expectations);
        let added = held.add(expectation);
        self.any_expectation
            .store(!held.is_empty(), std::sync::atomic::Ordering::SeqCst);
        added
    }

    /// The expectations held, oldest first, each with its count so far.
    pub fn expectations(&self) -> Vec<ExpectationStatus> {
        crate::engine::lock(&self.expectations).list()
    }

    /// Checks every expectation now; `Err` lists the unmet ones in words.
    pub fn verify_expectations(&self) -> Result<(), Vec<String>> {
        let unmet = crate::engine::lock(&self.expectations).unmet();
        if unmet.is_empty() {
            Ok(())
        } else {
            Err(unmet)
        }
    }

    /// Forgets every expectation.
    pub fn clear_expectations(&self) {
        let mut held = crate::engine::lock(&self.expectations);
        held.clear();
        self.any_expectation
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }

    /// Counts one answer against the expectations (a no-op, without a lock, when none is held).
    pub(crate) fn count_for_expectations(&self, action: Option<Action>, code: i64) {
        if !self
            .any_expectation
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return;
        }
        if let Some(action) = action {
            crate::engine::lock(&self.expectations).record(action, code);
        }
    }
}
