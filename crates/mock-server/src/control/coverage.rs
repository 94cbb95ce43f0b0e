//! Coverage: how often each action answered each code, and which actions were never called.

use crate::actions::Action;
use serde::Serialize;
use std::collections::BTreeMap;

/// How often each action answered each code.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    counts: BTreeMap<(Option<Action>, i64), u64>,
}

/// One line of the coverage summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageLine {
    /// The action (wire name), or `None` for requests that named no known action.
    pub action: Option<String>,
    /// The code answered.
    pub code: i64,
    /// How many times.
    pub count: u64,
}

/// Which actions and codes a test run exercised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageSummary {
    /// Counts per action and code.
    pub exercised: Vec<CoverageLine>,
    /// Implemented actions never called.
    pub never_called: Vec<String>,
}

impl Coverage {
    /// Counts one answer.
    pub fn record(&mut self, action: Option<Action>, code: i64) {
        *self.counts.entry((action, code)).or_insert(0) += 1;
    }

    /// How many requests of `action` were answered, with `code` if given.
    pub fn count(&self, action: Action, code: Option<i64>) -> u64 {
        self.counts
            .iter()
            .filter(|((a, c), _)| *a == Some(action) && code.is_none_or(|want| *c == want))
            .map(|(_, n)| n)
            .sum()
    }

    /// The summary.
    pub fn summary(&self) -> CoverageSummary {
        let exercised = self
            .counts
            .iter()
            .map(|((a, c), n)| CoverageLine {
                action: a.map(|a| a.wire_name().to_string()),
                code: *c,
                count: *n,
            })
            .collect();
        let never_called = Action::ALL
            .iter()
            .filter(|a| self.count(**a, None) == 0)
            .map(|a| a.wire_name().to_string())
            .collect();
        CoverageSummary {
            exercised,
            never_called,
        }
    }

    /// Forgets every count.
    pub fn clear(&mut self) {
        self.counts.clear();
    }
}
