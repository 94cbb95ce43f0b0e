//! The request log: one [`tracing`] event per API request, target [`REQUEST_TARGET`], emitted
//! after the answer is built and every engine lock is released.
//!
//! The library installs no subscriber: without one (tests using [`MockServer`]), each event
//! costs an atomic load or two. The `zego-mock` binary installs one (`--log-format`,
//! `--log-level`, `RUST_LOG`).
//!
//! Fields: `action` (wire name, absent when the request named no known action), `app_id`,
//! `env`, `code`, `status`, `request_id`; for a refusal also `check` and `reason` (reasons never
//! contain a secret). An answer with code 0 is logged at `INFO`, any other at `WARN`.
//!
//! [`MockServer`]: crate::MockServer

use crate::config::Env;
use crate::request::Answer;

/// The `tracing` target of the request log lines.
pub const REQUEST_TARGET: &str = "zego_mock::request";

/// Logs one answered API request.
pub(crate) fn request(answer: &Answer, app_id: Option<u32>, env: Option<Env>, request_id: u64) {
    let action = answer.action.map(|a| a.wire_name());
    let env = env.map(Env::as_str);
    match &answer.refusal {
        Some(refusal) => tracing::warn!(
            target: "zego_mock::request",
            action,
            app_id,
            env,
            code = answer.code,
            status = answer.status,
            request_id,
            check = refusal.check.as_str(),
            reason = refusal.reason.as_str(),
            "refused"
        ),
        None if answer.code == 0 => tracing::info!(
            target: "zego_mock::request",
            action,
            app_id,
            env,
            code = answer.code,
            status = answer.status,
            request_id,
            "answered"
        ),
        None => tracing::warn!(
            target: "zego_mock::request",
            action,
            app_id,
            env,
            code = answer.code,
            status = answer.status,
            request_id,
            "answered"
        ),
    }
}
