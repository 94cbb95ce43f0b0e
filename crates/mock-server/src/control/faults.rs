//! Fault injection: a documented code, latency or a dropped connection, for the next N matching
//! requests, always, or with a seeded probability.

use crate::actions::Action;
use crate::codes::{self, Family};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// The most faults installed at once (every request looks through them).
pub const MAX_FAULTS: usize = 10_000;
/// The longest delay a latency fault may add: one hour.
pub const MAX_LATENCY_MILLIS: u64 = 3_600_000;

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

    /// Checks the spec. The code must be documented for the action: in its own family's table,
    /// the gateway's, or (for a CDN-live action) the media-service table; a fault for any action
    /// takes any documented code.
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
                return Err(match action {
                    Some(a) => format!(
                        "code {code} is not documented for {a}: a fault may answer a code of the {} tables of fixtures/return-codes.json",
                        fault_families(a)
                            .iter()
                            .map(|f| f.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => format!("code {code} is not documented for any action"),
                });
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
        if let FaultKind::LatencyMillis(ms) = self.kind {
            if ms > MAX_LATENCY_MILLIS {
                return Err(format!(
                    "a latency of {ms} ms is over the most a fault may delay, {MAX_LATENCY_MILLIS} ms (one hour)"
                ));
            }
        }
        Ok(action)
    }
}

/// The code tables a fault may inject from for an action, in the order they are searched: the
/// action's own family, then the gateway's common codes; for the CDN-live actions (their own
/// older table) also the media-service table, since their pages live under media-service and
/// link to it as their global return codes.
pub fn fault_families(action: Action) -> &'static [Family] {
    match action.spec().family {
        Family::CdnLive => &[Family::CdnLive, Family::Gateway, Family::MediaService],
        Family::Gateway => &[Family::Gateway],
        Family::MediaService => &[Family::MediaService, Family::Gateway],
        Family::Room => &[Family::Room, Family::Gateway],
        Family::StreamMixing => &[Family::StreamMixing, Family::Gateway],
        Family::MediaFile => &[Family::MediaFile, Family::Gateway],
        Family::Moderation => &[Family::Moderation, Family::Room, Family::Gateway],
        Family::Scene => &[Family::Scene, Family::Gateway],
    }
}

/// The family an injected code is answered in for an action (its `Message` is that table's
/// description): the first of [`fault_families`] that documents it.
pub fn code_family(action: Action, code: i64) -> Option<Family> {
    fault_families(action)
        .iter()
        .copied()
        .find(|&family| codes::lookup(family, code).is_some())
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

/// Where a fault applies: its AppId and action, each `None` for any.
type Scope = (Option<u32>, Option<Action>);

/// The installed faults, in the order they were added (ids increase); the first matching one of
/// each kind that fires wins. They are indexed by scope, so a request looks only at the faults
/// that can apply to it (its app's and action's, and those for any), not at every fault installed.
#[derive(Debug, Default)]
pub struct Faults {
    by_id: BTreeMap<u64, Fault>,
    by_scope: HashMap<Scope, BTreeSet<u64>>,
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
        if self.by_id.len() >= MAX_FAULTS {
            return Err(format!(
                "{MAX_FAULTS} faults are installed, the most the mock keeps: remove some first"
            ));
        }
        self.next_id += 1;
        let rng = match spec.when {
            FaultWhen::Probability { seed, .. } => seed,
            _ => 0,
        };
        let scope = (spec.app_id, action);
        self.by_id.insert(
            self.next_id,
            Fault {
                id: self.next_id,
                spec,
                fired: 0,
                action,
                rng,
            },
        );
        self.by_scope.entry(scope).or_default().insert(self.next_id);
        Ok(self.next_id)
    }

    /// Removes one fault; `false` when there was none with that id.
    pub fn remove(&mut self, id: u64) -> bool {
        let Some(fault) = self.by_id.remove(&id) else {
            return false;
        };
        let scope = (fault.spec.app_id, fault.action);
        if let Some(ids) = self.by_scope.get_mut(&scope) {
            ids.remove(&id);
            if ids.is_empty() {
                self.by_scope.remove(&scope);
            }
        }
        true
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.by_id.clear();
        self.by_scope.clear();
    }

    /// The installed faults, in the order they were added.
    pub fn list(&self) -> Vec<Fault> {
        self.by_id.values().cloned().collect()
    }

    /// Whether no fault is installed (the fast path).
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The faults that fire for this request (counting them as fired): at most one latency and
    /// at most one outcome (a code or a dropped connection), the first of each kind that fires
    /// in the order they were installed, so a latency fault and a code fault combine. A code
    /// fault scoped to no action passes over actions whose tables lack its code.
    pub fn fire(&mut self, app_id: u32, action: Action) -> Fired {
        let mut fired = Fired::default();
        let mut used_up = Vec::new();
        // The four scopes that apply, merged in installation order.
        let scopes: [Scope; 4] = [
            (Some(app_id), Some(action)),
            (Some(app_id), None),
            (None, Some(action)),
            (None, None),
        ];
        let mut lanes: Vec<_> = scopes
            .iter()
            .filter_map(|scope| self.by_scope.get(scope))
            .map(|ids| ids.iter().copied().peekable())
            .collect();
        loop {
            let next = lanes
                .iter_mut()
                .enumerate()
                .filter_map(|(i, lane)| lane.peek().map(|id| (*id, i)))
                .min();
            let Some((id, lane)) = next else { break };
            lanes[lane].next();
            let Some(f) = self.by_id.get_mut(&id) else {
                continue;
            };
            let is_latency = matches!(f.spec.kind, FaultKind::LatencyMillis(_));
            if (is_latency && fired.latency.is_some()) || (!is_latency && fired.outcome.is_some()) {
                continue;
            }
            // A fault for any action answers only where its code is documented.
            if let FaultKind::Code(code) = f.spec.kind {
                if f.action.is_none() && code_family(action, code).is_none() {
                    continue;
                }
            }
            let fires = match &mut f.spec.when {
                FaultWhen::Always => true,
                FaultWhen::Next(n) => {
                    *n -= 1;
                    if *n == 0 {
                        used_up.push(id);
                    }
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
                match f.spec.kind {
                    FaultKind::LatencyMillis(ms) => fired.latency = Some((f.id, ms)),
                    kind => fired.outcome = Some((f.id, kind)),
                }
                if fired.latency.is_some() && fired.outcome.is_some() {
                    break;
                }
            }
        }
        drop(lanes);
        for id in used_up {
            self.remove(id);
        }
        fired
    }
}

/// The faults that fired for one request.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fired {
    /// A latency fault's id and delay in milliseconds.
    pub latency: Option<(u64, u64)>,
    /// A code or drop fault's id and kind.
    pub outcome: Option<(u64, FaultKind)>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(f.fire(1, Action::ResumeCDNLiveStream).outcome, None);
        assert_eq!(
            f.fire(1, Action::CreatCDNTransferRule).outcome,
            Some((id, FaultKind::Code(30003)))
        );
        assert_eq!(
            f.fire(1, Action::CreatCDNTransferRule).outcome,
            Some((id, FaultKind::Code(30003)))
        );
        assert_eq!(f.fire(1, Action::CreatCDNTransferRule).outcome, None);
        assert!(f.is_empty());
    }

    #[test]
    fn the_first_installed_fault_wins_across_scopes_and_other_apps_faults_are_not_looked_at() {
        let creat = Action::CreatCDNTransferRule;
        let mut f = Faults::default();
        // Many faults of another app: never candidates for app 1.
        for _ in 0..100 {
            f.add(FaultSpec::code(30003).for_app(2)).expect("valid");
        }
        let any = f.add(FaultSpec::code(30003)).expect("valid");
        let scoped = f
            .add(FaultSpec::code(30002).for_app(1).for_action(creat))
            .expect("valid");
        let app_only = f
            .add(FaultSpec::latency_millis(5).for_app(1))
            .expect("valid");
        let fired = f.fire(1, creat);
        assert_eq!(fired.outcome, Some((any, FaultKind::Code(30003))));
        assert_eq!(fired.latency, Some((app_only, 5)));
        assert!(f.remove(any));
        assert_eq!(
            f.fire(1, creat).outcome,
            Some((scoped, FaultKind::Code(30002)))
        );
        assert_eq!(f.fire(2, creat).outcome.map(|(id, _)| id), Some(1));
        assert_eq!(f.list().len(), 102);
        assert_eq!(
            f.list().iter().map(|x| x.id).collect::<Vec<_>>(),
            (1..=100).chain([scoped, app_only]).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_code_fault_for_any_action_fires_only_where_the_code_is_documented() {
        let mut f = Faults::default();
        // 42001 is in the media-service table, which CDN-live actions may answer from too;
        // room signaling's 5018 is documented for no media action.
        let id = f.add(FaultSpec::code(42001)).expect("valid");
        f.add(FaultSpec::code(5018)).expect("documented somewhere");
        assert_eq!(
            f.fire(1, Action::ForbidCDNLiveStream).outcome,
            Some((id, FaultKind::Code(42001)))
        );
        f.remove(id);
        assert_eq!(f.fire(1, Action::ForbidCDNLiveStream).outcome, None);
        assert_eq!(f.fire(1, Action::CreatCDNTransferRule).outcome, None);
    }

    #[test]
    fn probabilistic_faults_are_reproducible() {
        let run = |seed| {
            let mut f = Faults::default();
            f.add(FaultSpec::drop_connection().with_probability(0.3, seed))
                .expect("valid");
            (0..200)
                .map(|_| f.fire(1, Action::CreatCDNTransferRule).outcome.is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let hits = run(7).iter().filter(|h| **h).count();
        assert!((30..90).contains(&hits), "{hits} of 200 at p=0.3");
    }

    #[test]
    fn a_latency_combines_with_a_code_and_each_kind_fires_once() {
        let mut f = Faults::default();
        let slow = f.add(FaultSpec::latency_millis(250)).expect("valid");
        let slower = f
            .add(FaultSpec::latency_millis(900).times(1))
            .expect("valid");
        let code = f.add(FaultSpec::code(30003).times(1)).expect("valid");
        let creat = Action::CreatCDNTransferRule;
        assert_eq!(
            f.fire(1, creat),
            Fired {
                latency: Some((slow, 250)),
                outcome: Some((code, FaultKind::Code(30003)))
            }
        );
        // The second latency fault was passed over, not used up; the code fault is gone.
        assert_eq!(
            f.list().iter().find(|x| x.id == slower).map(|x| x.fired),
            Some(0)
        );
        assert_eq!(
            f.fire(1, creat),
            Fired {
                latency: Some((slow, 250)),
                outcome: None
            }
        );
    }

    #[test]
    fn faults_are_capped_and_so_is_their_latency() {
        let mut f = Faults::default();
        assert!(FaultSpec::latency_millis(MAX_LATENCY_MILLIS)
            .validate()
            .is_ok());
        let refused = FaultSpec::latency_millis(u64::MAX).validate();
        assert!(refused.is_err_and(|e| e.contains("one hour")));
        for _ in 0..MAX_FAULTS {
            f.add(FaultSpec::latency_millis(1)).expect("under the cap");
        }
        let full = f.add(FaultSpec::latency_millis(1));
        assert!(full.is_err_and(|e| e.contains("10000 faults")));
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
        // A CDN-live action may inject from its own table, the gateway's and media-service's,
        // each answered in the table it comes from.
        let forbid = Action::ForbidCDNLiveStream;
        for code in [42001, 42002, 30002, 5007, 1010, 7, 100000015] {
            assert!(
                FaultSpec::code(code).for_action(forbid).validate().is_ok(),
                "{code}"
            );
        }
        assert_eq!(code_family(forbid, 7), Some(Family::CdnLive));
        assert_eq!(code_family(forbid, 2), Some(Family::CdnLive));
        assert_eq!(code_family(forbid, 42001), Some(Family::MediaService));
        assert_eq!(code_family(forbid, 100000015), Some(Family::Gateway));
        // Room signaling's 5018 belongs to no table these actions answer from.
        let refused = FaultSpec::code(5018).for_action(forbid).validate();
        assert!(
            refused.as_ref().is_err_and(
                |e| e.contains("5018") && e.contains("cdn-live, gateway, media-service")
            ),
            "{refused:?}"
        );
        let mut bad_action = FaultSpec::code(30003);
        bad_action.action = Some("Nope".into());
        assert!(bad_action.validate().is_err());
    }
}
