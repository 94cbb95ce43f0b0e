//! `GenerateIdentifyToken` (GET): generate-identify-token.yaml.

use super::{code, hex_id, IdentifyToken, BASE, MAX_TOKENS};
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::Refusal;
use crate::spec::{ActionSpec, Kind, Method, Param};
use serde_json::json;

/// "maximum cannot exceed 30 days (i.e., the value cannot exceed 60 * 60 * 24 * 30)".
pub const MAX_EFFECTIVE_SECS: u64 = 60 * 60 * 24 * 30;

/// `GenerateIdentifyToken`: 100/s per AppID.
pub(crate) const GENERATE: ActionSpec = ActionSpec {
    name: "GenerateIdentifyToken",
    method: Method::Get,
    params: &[Param::new(
        "EffectiveTime",
        Kind::UInt {
            min: 1,
            max: MAX_EFFECTIVE_SECS,
        },
        code::PARAM,
    )
    .optional()
    .too_long(code::PARAM)
    .hint("EffectiveTime is in seconds, 1 to 2592000 (30 days); the default is 3600")],
    doc: "moderation/generate-identify-token.yaml",
    ..BASE
};

/// A token good for `EffectiveTime` seconds (default 3600), kept so a test can consume it.
pub(crate) fn generate(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let effective = ctx.args.u64("EffectiveTime").unwrap_or(3600);
    let now = ctx.now_secs();
    let m = &mut ctx.state.moderation;
    if m.identify_tokens.len() >= MAX_TOKENS {
        // Used and expired tokens go first, then the one that expires soonest.
        let victim = m
            .identify_tokens
            .iter()
            .min_by_key(|(_, t)| (!t.used && t.expire_secs > now, t.expire_secs))
            .map(|(k, _)| k.clone());
        if let Some(k) = victim {
            m.identify_tokens.remove(&k);
        }
    }
    m.moderation_ids += 1;
    let token = hex_id(ctx.app_id, ctx.env, "identify-token", m.moderation_ids);
    // `effective` is at most 30 days, so the sum cannot overflow for any clock the mock accepts.
    let expire_secs = now.saturating_add(effective as i64);
    m.identify_tokens.insert(
        token.clone(),
        IdentifyToken {
            created_secs: now,
            expire_secs,
            used: false,
        },
    );
    Ok(Reply::ok(Data::Value(
        json!({ "IdentifyToken": token, "RemainTime": effective }),
    )))
}
