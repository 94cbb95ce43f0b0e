//! The wire format of every callback (SPEC-rest-callbacks §5.4, field values §5.5.3): an event of
//! the journal, rendered as the body the real service POSTs.

use super::Rendered;
use crate::config::Env;
use crate::state::Event;

/// What a callback body is made of besides its event: who it is for and its signature inputs.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// The AppId.
    pub app_id: u32,
    /// The environment the event happened in.
    pub env: Env,
    /// The app's CallbackSecret.
    pub secret: &'a str,
    /// The callback's nonce (a 63-bit random number, sent as a decimal string).
    pub nonce: u64,
}

/// The callback body of `event`, signed, or `None` for an event that sends no callback.
pub fn render(event: &Event, envelope: Envelope<'_>) -> Option<Rendered> {
    let _ = (event, envelope);
    None
}
