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
///
/// For now every event is rendered the same way: the common snake_case fields (`event`, `appid`,
/// `timestamp`, `nonce`, `signature`, as strings) and the event's own fields as recorded.
pub fn render(event: &Event, envelope: Envelope<'_>) -> Option<Rendered> {
    let category = super::Category::of(event.event)?;
    let timestamp = event.at_millis.div_euclid(1000).to_string();
    let nonce = envelope.nonce.to_string();
    let signature = super::sign(envelope.secret, &timestamp, &nonce);
    let mut body = serde_json::Map::new();
    body.insert("event".into(), event.event.into());
    body.insert("appid".into(), envelope.app_id.to_string().into());
    body.insert("timestamp".into(), timestamp.into());
    body.insert("nonce".into(), nonce.into());
    body.insert("signature".into(), signature.into());
    if let serde_json::Value::Object(fields) = &event.data {
        for (k, v) in fields {
            body.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Some(Rendered {
        category,
        body: serde_json::Value::Object(body),
    })
}
