//! What a test can ask of the mock besides the API itself: the request journal (with the reason
//! for every refusal), fault injection, and coverage of actions and codes.

use crate::actions::Action;
use crate::codes::{self, Family};
use crate::config::Env;
use crate::query::Params;
use crate::refusal::Refusal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

/// The journal's default capacity, in entries.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 1000;

/// One request as the mock saw and answered it. Holds no secret: the ServerSecret is never a
/// parameter, and refusal reasons mask it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// Position in the journal since the mock started (1, 2, ...), never reused.
    pub seq: u64,
    /// When the request arrived, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
    /// The HTTP method.
    pub method: String,
    /// The URL path.
    pub path: String,
    /// The action, when the request named a known one.
    pub action: Option<String>,
    /// The AppId, when it parsed.
    pub app_id: Option<u32>,
    /// `"production"` or `"test"`, when the request passed the gateway.
    pub env: Option<&'static str>,
    /// The decoded query parameters, in order.
    pub params: Vec<(String, String)>,
    /// The HTTP status answered.
    pub status: u16,
    /// The `Code` answered.
    pub code: i64,
    /// The `Message` answered.
    pub message: String,
    /// The `RequestId` answered.
    pub request_id: String,
    /// The check that refused the request, when one did.
    pub check: Option<&'static str>,
    /// Why it was refused, in words a developer can act on.
    pub reason: Option<String>,
    /// The id of the fault that shaped the answer, if any.
    pub fault: Option<u64>,
}

/// Which journal entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalFilter {
    /// Only this action (wire name).
    pub action: Option<String>,
    /// Only this AppId.
    pub app_id: Option<u32>,
    /// Only this code.
    pub code: Option<i64>,
}

impl JournalFilter {
    fn matches(&self, r: &Record) -> bool {
        self.action
            .as_deref()
            .is_none_or(|a| r.action.map(Action::wire_name) == Some(a))
            && self.app_id.is_none_or(|id| r.app_id == Some(id))
            && self.code.is_none_or(|c| r.code == c)
    }
}

/// A request as the journal keeps it: compact on the hot path (the raw query in one block,
/// static texts where it can), decoded into a [`JournalEntry`] only when listed.
#[derive(Debug, Clone)]
pub struct Record {
    /// When the request arrived, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
    /// The HTTP method.
    pub method: Cow<'static, str>,
    /// The URL path.
    pub path: Cow<'static, str>,
    /// The raw query string.
    pub query: Box<[u8]>,
    /// The action, when the request named a known one.
    pub action: Option<Action>,
    /// The AppId, when it parsed.
    pub app_id: Option<u32>,
    /// The environment, when the request passed the gateway.
    pub env: Option<Env>,
    /// The HTTP status answered.
    pub status: u16,
    /// The `Code` answered.
    pub code: i64,
    /// The `RequestId` answered.
    pub request_id: u64,
    /// Why the request was refused, when it was.
    pub refusal: Option<Refusal>,
    /// The message of an HTTP-level failure (unknown path, wrong method).
    pub http_message: Option<Box<str>>,
    /// The id of the fault that shaped the answer, if any.
    pub fault: Option<u64>,
    /// Whether the connection was dropped instead of answered.
    pub dropped: bool,
}

impl Record {
    fn to_entry(&self, seq: u64) -> JournalEntry {
        let message = match (&self.refusal, &self.http_message, self.action) {
            (Some(r), _, _) => r.message().to_string(),
            (None, Some(m), _) => m.to_string(),
            (None, None, Some(a)) if self.code == 0 => a.spec().success_message.to_string(),
            (None, None, Some(a)) => codes::describe(a.spec().family, self.code).to_string(),
            (None, None, None) => String::new(),
        };
        let reason = if self.dropped {
            Some("the connection was dropped by an injected fault".to_string())
        } else {
            self.refusal.as_ref().map(|r| r.reason.clone())
        };
        JournalEntry {
            seq,
            at_millis: self.at_millis,
            method: self.method.to_string(),
            path: self.path.to_string(),
            action: self.action.map(|a| a.wire_name().to_string()),
            app_id: self.app_id,
            env: self.env.map(Env::as_str),
            params: Params::parse_bytes(&self.query).into_pairs(),
            status: self.status,
            code: self.code,
            message,
            request_id: self.request_id.to_string(),
            check: self.refusal.as_ref().map(|r| r.check.as_str()),
            reason,
            fault: self.fault,
        }
    }
}

/// A bounded ring of the latest requests.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: VecDeque<(u64, Record)>,
    next_seq: u64,
}

impl Journal {
    /// An empty journal keeping at most `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: VecDeque::with_capacity(capacity.min(4096)),
            next_seq: 1,
        }
    }

    /// Whether entries are kept at all.
    pub fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Appends a record (its `seq` is assigned here), dropping the oldest beyond capacity.
    pub fn push(&mut self, record: Record) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back((seq, record));
    }

    /// The entries matching `filter`, oldest first.
    pub fn list(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        self.entries
            .iter()
            .filter(|(_, r)| filter.matches(r))
            .map(|(seq, r)| r.to_entry(*seq))
            .collect()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer this documented code instead of running the action.
    Code(i64),
    /// Answer as usual, but only after this many milliseconds of real time.
    LatencyMillis(u64),
    /// Close the connection without answering.
    Drop,
}

/// When a fault fires.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultWhen {
    /// On every matching request.
    Always,
    /// On the next N matching requests, then the fault is gone.
    Next(u32),
    /// On each matching request with this probability, drawn from a seeded generator so a run
    /// is reproducible.
    Probability {
        /// Between 0 and 1.
        p: f64,
        /// The generator's seed.
        seed: u64,
    },
}

/// A fault to inject, scoped by AppId and action (`None` matches any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// Only requests for this AppId.
    #[serde(default)]
    pub app_id: Option<u32>,
    /// Only requests for this action (wire name).
    #[serde(default)]
    pub action: Option<String>,
    /// What the fault does.
    pub kind: FaultKind,
    /// When it fires.
    pub when: FaultWhen,
}

impl FaultSpec {
    /// A fault that makes requests answer `code`, always.
    pub fn code(code: i64) -> Self {
        Self::new(FaultKind::Code(code))
    }

    /// A fault that delays answers by `millis` of real time, always.
    pub fn latency_millis(millis: u64) -> Self {
        Self::new(FaultKind::LatencyMillis(millis))
    }

    /// A fault that drops the connection, always.
    pub fn drop_connection() -> Self {
        Self::new(FaultKind::Drop)
    }

    fn new(kind: FaultKind) -> Self {
        Self {
            app_id: None,
            action: None,
            kind,
            when: FaultWhen::Always,
        }
    }

    /// Only for this AppId.
    #[must_use]
    pub fn for_app(mut self, app_id: u32) -> Self {
        self.app_id = Some(app_id);
        self
    }

    /// Only for this action.
    #[must_use]
    pub fn for_action(mut self, action: Action) -> Self {
        self.action = Some(action.wire_name().to_string());
        self
    }

    /// Only for the next `n` matching requests.
    #[must_use]
    pub fn times(mut self, n: u32) -> Self {
        self.when = FaultWhen::Next(n);
        self
    }

    /// On each matching request with probability `p`, reproducibly from `seed`.
    #[must_use]
    pub fn with_probability(mut self, p: f64, seed: u64) -> Self {
        self.when = FaultWhen::Probability { p, seed };
        self
    }

    /// Checks the spec; the code must be documented for the action (or for the gateway).
    pub fn validate(&self) -> Result<Option<Action>, String> {
        let action = match &self.action {
            None => None,
            Some(name) => Some(
                Action::from_wire(name)
                    .ok_or_else(|| format!("action {name:?} is not one this mock implements"))?,
            ),
        };
        if let FaultKind::Code(code) = self.kind {
            if code == 0 {
                return Err("a fault's code must be an error code, not 0".into());
            }
            let documented = match action {
                Some(a) => code_family(a, code).is_some(),
                None => codes::all().iter().any(|c| c.code == code),
            };
            if !documented {
                return Err(format!(
                    "code {code} is not documented for {}",
                    self.action.as_deref().unwrap_or("any action")
                ));
            }
        }
        if let FaultWhen::Probability { p, .. } = self.when {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("probability {p} is not between 0 and 1"));
            }
        }
        if self.when == FaultWhen::Next(0) {
            return Err("a fault for the next 0 requests would never fire".into());
        }
        Ok(action)
    }
}

/// The family an injected code is answered in for an action: the action's own, else the
/// gateway's.
pub fn code_family(action: Action, code: i64) -> Option<Family> {
    let family = action.spec().family;
    if codes::lookup(family, code).is_some() {
        Some(family)
    } else if codes::lookup(Family::Gateway, code).is_some() {
        Some(Family::Gateway)
    } else {
        None
    }
}

/// An installed fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fault {
    /// Its id, for removal.
    pub id: u64,
    /// What it does and when.
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// How many times it has fired.
    pub fired: u64,
    #[serde(skip)]
    action: Option<Action>,
    #[serde(skip)]
    rng: u64,
}

/// The installed faults, in the order they were added; the first matching one that fires wins.
#[derive(Debug, Default)]
pub struct Faults {
    list: Vec<Fault>,
    next_id: u64,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Faults {
    /// Installs a fault and returns its id.
    pub fn add(&mut self, spec: FaultSpec) -> Result<u64, String> {
        let action = spec.validate()?;
        self.next_id += 1;
        let rng = match spec.when {
            FaultWhen::Probability { seed, .. } => seed,
            _ => 0,
        };
        self.list.push(Fault {
            id: self.next_id,
            spec,
            fired: 0,
            action,
            rng,
        });
        Ok(self.next_id)
    }

    /// Removes one fault; `false` when there was none with that id.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.list.len();
        self.list.retain(|f| f.id != id);
        self.list.len() != before
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.list.clear();
    }

    /// The installed faults.
    pub fn list(&self) -> Vec<Fault> {
        self.list.clone()
    }

    /// Whether no fault is installed (the fast path).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The fault that fires for this request, if any (counting it as fired).
    pub fn fire(&mut self, app_id: u32, action: Action) -> Option<(u64, FaultKind)> {
        let mut fired = None;
        for f in &mut self.list {
            if f.spec.app_id.is_some_and(|id| id != app_id) || f.action.is_some_and(|a| a != action)
            {
                continue;
            }
            let fires = match &mut f.spec.when {
                FaultWhen::Always => true,
                FaultWhen::Next(n) => {
                    *n -= 1;
                    true
                }
                FaultWhen::Probability { p, .. } => {
                    // 53 random bits as a float in [0, 1).
                    let draw = (splitmix64(&mut f.rng) >> 11) as f64 / (1u64 << 53) as f64;
                    draw < *p
                }
            };
            if fires {
                f.fired += 1;
                fired = Some((f.id, f.spec.kind));
                break;
            }
        }
        self.list.retain(|f| f.spec.when != FaultWhen::Next(0));
        fired
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(_action: &str, code: i64) -> Record {
        Record {
            at_millis: 0,
            method: Cow::Borrowed("GET"),
            path: Cow::Borrowed("/"),
            query: Box::default(),
            action: Some(Action::CreatCDNTransferRule),
            app_id: Some(1),
            env: None,
            status: 200,
            code,
            request_id: 1,
            refusal: None,
            http_message: None,
            fault: None,
            dropped: false,
        }
    }

    #[test]
    fn the_journal_is_a_bounded_ring() {
        let mut j = Journal::new(3);
        for i in 0..5 {
            j.push(entry("A", i));
        }
        let all = j.list(&JournalFilter::default());
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4, 5]);
        let only = j.list(&JournalFilter {
            code: Some(4),
            ..Default::default()
        });
        assert_eq!(only.len(), 1);
        let mut off = Journal::new(0);
        off.push(entry("A", 0));
        assert!(off.is_empty());
    }

    #[test]
    fn next_n_faults_fire_n_times_then_vanish() {
        let mut f = Faults::default();
        let id = f
            .add(
                FaultSpec::code(30003)
                    .for_action(Action::CreatCDNTransferRule)
                    .times(2),
            )
            .expect("valid");
        assert_eq!(f.fire(1, Action::ResumeCDNLiveStream), None);
        assert_eq!(
            f.fire(1, Action::CreatCDNTransferRule),
            Some((id, FaultKind::Code(30003)))
        );
        assert_eq!(
            f.fire(1, Action::CreatCDNTransferRule),
            Some((id, FaultKind::Code(30003)))
        );
        assert_eq!(f.fire(1, Action::CreatCDNTransferRule), None);
        assert!(f.is_empty());
    }

    #[test]
    fn probabilistic_faults_are_reproducible() {
        let run = |seed| {
            let mut f = Faults::default();
            f.add(FaultSpec::drop_connection().with_probability(0.3, seed))
                .expect("valid");
            (0..200)
                .map(|_| f.fire(1, Action::CreatCDNTransferRule).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let hits = run(7).iter().filter(|h| **h).count();
        assert!((30..90).contains(&hits), "{hits} of 200 at p=0.3");
    }

    #[test]
    fn undocumented_fault_codes_are_refused() {
        let creat = Action::CreatCDNTransferRule;
        assert!(FaultSpec::code(12345).for_action(creat).validate().is_err());
        assert!(FaultSpec::code(0).validate().is_err());
        assert!(FaultSpec::code(7).for_action(creat).validate().is_err());
        assert!(FaultSpec::code(7)
            .for_action(Action::ResumeCDNLiveStream)
            .validate()
            .is_ok());
        assert!(FaultSpec::code(100000015)
            .for_action(creat)
            .validate()
            .is_ok());
        assert!(FaultSpec::code(5)
            .with_probability(1.5, 1)
            .validate()
            .is_err());
        let mut bad_action = FaultSpec::code(30003);
        bad_action.action = Some("Nope".into());
        assert!(bad_action.validate().is_err());
    }
}
