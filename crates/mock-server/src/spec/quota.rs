//! Rate limits as data, and the fixed-window limiter that enforces them.
//!
//! A [`Quota`] is "N requests per window of M seconds", with one N per environment, scoped to the
//! app and environment, to the app alone, or to one room of the app and environment. Windows are
//! aligned to whole multiples of M Unix seconds of the mock's clock: `[kM, (k+1)M)`.

use crate::actions::Action;
use crate::config::Env;
use std::collections::HashMap;

/// What one quota's requests are counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Per AppId and environment (production and test count apart).
    AppEnv,
    /// Per AppId, both environments together.
    App,
    /// Per room of an AppId and environment; the room is the named parameter's value. Checked
    /// after the parameters, so the room is known and valid.
    Room(&'static str),
}

/// A documented rate limit: at most `production` (or `test`) requests per `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests per window in production.
    pub production: u32,
    /// Requests per window in the test environment.
    pub test: u32,
    /// The window's length in seconds.
    pub window_secs: u32,
    /// What the requests are counted per.
    pub scope: Scope,
    /// The code a throttled request answers.
    pub code: i64,
}

impl Quota {
    /// `production` per second in production and `test` per second in the test environment,
    /// per AppId and environment.
    pub const fn per_second(production: u32, test: u32, code: i64) -> Self {
        Self {
            production,
            test,
            window_secs: 1,
            scope: Scope::AppEnv,
            code,
        }
    }

    /// The same quota counted with another scope.
    pub const fn scoped(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    /// The same quota over a window of `secs` seconds.
    pub const fn window(mut self, secs: u32) -> Self {
        self.window_secs = secs;
        self
    }

    /// The limit in an environment.
    pub fn limit(&self, env: Env) -> u32 {
        match env {
            Env::Production => self.production,
            Env::Test => self.test,
        }
    }

    /// "N requests per second" or "N requests per M seconds", for messages and `--help`.
    pub fn describe(&self, env: Env) -> String {
        let n = self.limit(env);
        let per = match self.window_secs {
            1 => "second".to_string(),
            m => format!("{m} seconds"),
        };
        let scope = match self.scope {
            Scope::AppEnv => format!("per AppId in the {} environment", env.as_str()),
            Scope::App => "per AppId, both environments together".to_string(),
            Scope::Room(param) => format!("per room ({param}) in the {} environment", env.as_str()),
        };
        format!("{n} requests per {per} {scope}")
    }
}

/// What a request is counted against: the action, which of its quotas, and the scope's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub action: Action,
    pub quota: u8,
    pub app_id: u32,
    pub env: Option<Env>,
    pub room: Option<Box<str>>,
}

/// The key a request counts against for quota `index` of `action`.
pub(crate) fn quota_key(
    action: Action,
    index: usize,
    quota: &Quota,
    app_id: u32,
    env: Env,
    room: Option<&str>,
) -> Key {
    Key {
        action,
        quota: u8::try_from(index).unwrap_or(u8::MAX),
        app_id,
        env: match quota.scope {
            Scope::App => None,
            Scope::AppEnv | Scope::Room(_) => Some(env),
        },
        room: room.map(Into::into),
    }
}

/// The counts of one window length. All keys share aligned windows, so moving to the next
/// window drops every count at once: the memory held is what one window of traffic touched.
#[derive(Debug, Default)]
struct Window {
    secs: u32,
    start: i64,
    counts: HashMap<Key, u32>,
}

/// Fixed-window counters for every quota, one table per window length.
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    windows: Vec<Window>,
}

impl Limiter {
    /// Counts one request against `key` in the window of `now_secs`; `Err` with the count already
    /// accepted when the window holds `limit`. A refused request does not count.
    pub fn check(
        &mut self,
        key: Key,
        window_secs: u32,
        limit: u32,
        now_secs: i64,
    ) -> Result<(), u32> {
        let secs = window_secs.max(1);
        let start = now_secs - now_secs.rem_euclid(i64::from(secs));
        let window = match self.windows.iter().position(|w| w.secs == secs) {
            Some(i) => &mut self.windows[i],
            None => {
                self.windows.push(Window {
                    secs,
                    start,
                    counts: HashMap::new(),
                });
                self.windows.last_mut().expect("just pushed")
            }
        };
        if window.start != start {
            window.start = start;
            window.counts.clear();
        }
        let count = window.counts.entry(key).or_insert(0);
        if *count >= limit {
            Err(*count)
        } else {
            *count += 1;
            Ok(())
        }
    }

    /// Forgets one app's counts.
    pub fn forget_app(&mut self, app_id: u32) {
        for w in &mut self.windows {
            w.counts.retain(|k, _| k.app_id != app_id);
        }
    }

    /// How many keys the current windows hold.
    pub fn len(&self) -> usize {
        self.windows.iter().map(|w| w.counts.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(app_id: u32, room: Option<&str>) -> Key {
        Key {
            action: Action::CreatCDNTransferRule,
            quota: 0,
            app_id,
            env: Some(Env::Production),
            room: room.map(Into::into),
        }
    }

    #[test]
    fn window_counts_up_to_the_limit_then_resets_on_the_next_second() {
        let mut w = Limiter::default();
        for _ in 0..3 {
            assert!(w.check(key(1, None), 1, 3, 10).is_ok());
        }
        assert_eq!(w.check(key(1, None), 1, 3, 10), Err(3));
        assert!(w.check(key(2, None), 1, 3, 10).is_ok());
        assert!(w.check(key(1, None), 1, 3, 11).is_ok());
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn longer_windows_align_to_multiples_of_their_length() {
        let mut w = Limiter::default();
        // One per 10 s, per room: [20, 30) is one window.
        assert!(w.check(key(1, Some("r")), 10, 1, 20).is_ok());
        assert_eq!(w.check(key(1, Some("r")), 10, 1, 29), Err(1));
        assert!(w.check(key(1, Some("other")), 10, 1, 29).is_ok());
        assert!(w.check(key(1, Some("r")), 10, 1, 30).is_ok());
        // Negative times align downwards too.
        assert!(w.check(key(1, Some("r")), 10, 1, -1).is_ok());
        assert_eq!(w.check(key(1, Some("r")), 10, 1, -10), Err(1));
        // A one-second window alongside is counted apart.
        assert!(w.check(key(1, Some("r")), 1, 1, -10).is_ok());
        w.forget_app(1);
        assert_eq!(w.len(), 0);
    }
}
