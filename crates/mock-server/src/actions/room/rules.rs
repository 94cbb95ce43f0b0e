//! Ban rules: `SetForbidUserRule`, `DescribeForbidUserRules`, `DelForbidUserRule`
//! (forbid-user-rule/*.yaml) and `SetForbidStreamRule`, `DescribeForbidStreamRules`,
//! `DelForbidStreamRule` (forbid-stream-rule/*.yaml). All six need the app's `forbid_rules`
//! feature (9 while it is off). Rules take effect on simulated clients only (SPEC §3.5).

use super::{code, list, StreamRule, UserRule, BASE, ROOM_ID, STREAM_ID};
use crate::actions::{Ctx, Data, Reply};
use crate::refusal::{Check, Refusal};
use crate::spec::{ActionSpec, Family, Feature, Kind, Param, Quota};
use serde_json::{json, Value};

/// The most rules of each kind kept, expired ones included; beyond it the oldest expired go.
pub const MAX_RULES: usize = 10_000;
/// A stream rule's default duration: 6 hours.
pub const DEFAULT_STREAM_RULE_SECS: i64 = 21_600;
/// The longest rule: one day (longer stream rules are shortened to it).
pub const MAX_RULE_SECS: i64 = 86_400;

const RULE_TYPE: Param = Param::new("RuleType", Kind::Enum(&["1", "2", "3", "4"]), code::PARAM);
const IP: Param = Param::new("IP", Kind::Ip, code::PARAM).optional();
const RULE_ROOM: Param = Param::new("RoomId", Kind::ROOM_ID, code::PARAM)
    .too_long(code::TOO_LONG)
    .optional();
const RULE_USER: Param = Param::new("UserId", Kind::USER_ID, code::PARAM)
    .too_long(code::TOO_LONG)
    .optional();
const PRIVILEGE: Param = Param::new("DisabledPrivilege", Kind::Enum(&["1", "2"]), code::PARAM);

/// "For all Rooms under the same AppID: 10 times/second."
const RULE_QUOTA: &[Quota] = &[Quota::per_second(10, 10, code::APP_THROTTLED)];

const RULES: ActionSpec = ActionSpec {
    quotas: RULE_QUOTA,
    feature: Some((Feature::ForbidRules, code::NO_PERMISSION)),
    ..BASE
};

/// `SetForbidUserRule`: `ExpireTime` in `Data`.
pub(crate) const SET_USER: ActionSpec = ActionSpec {
    name: "SetForbidUserRule",
    params: &[
        RULE_TYPE,
        IP,
        RULE_ROOM,
        RULE_USER,
        list("DisabledPrivilege", &PRIVILEGE, 10, code::PARAM),
        Param::new(
            "EffectiveTime",
            Kind::UInt {
                min: 1,
                max: 86_400,
            },
            code::PARAM,
        ),
    ],
    doc: "room/forbid-user-rule/set-forbid-user-rule.yaml",
    ..RULES
};

/// `DescribeForbidUserRules`.
pub(crate) const DESCRIBE_USER: ActionSpec = ActionSpec {
    name: "DescribeForbidUserRules",
    params: &[RULE_TYPE],
    doc: "room/forbid-user-rule/describe-forbid-user-rules.yaml",
    ..RULES
};

/// `DelForbidUserRule`: a rule that does not exist answers 50124.
pub(crate) const DEL_USER: ActionSpec = ActionSpec {
    name: "DelForbidUserRule",
    params: &[RULE_TYPE, IP, RULE_ROOM, RULE_USER],
    doc: "room/forbid-user-rule/del-forbid-user-rule.yaml",
    ..RULES
};

const FLAG: Kind = Kind::Enum(&["0", "1"]);

/// `SetForbidStreamRule`: at least one of DisableAudio, DisableVideo set to 1.
pub(crate) const SET_STREAM: ActionSpec = ActionSpec {
    name: "SetForbidStreamRule",
    params: &[
        ROOM_ID,
        STREAM_ID,
        Param::new("DisableAudio", FLAG, code::PARAM).optional(),
        Param::new("DisableVideo", FLAG, code::PARAM).optional(),
        Param::new(
            "EffectiveTime",
            Kind::UInt {
                min: 1,
                max: i64::MAX as u64,
            },
            code::PARAM,
        )
        .optional(),
    ],
    doc: "room/forbid-stream-rule/set-forbid-stream-rule.yaml",
    ..RULES
};

const STREAM_ID_ITEM: Param =
    Param::new("StreamId", Kind::Text { max_bytes: 256 }, code::PARAM).too_long(code::TOO_LONG);

/// `DescribeForbidStreamRules`: up to 10 `StreamId[]` (more: 2).
pub(crate) const DESCRIBE_STREAM: ActionSpec = ActionSpec {
    name: "DescribeForbidStreamRules",
    params: &[ROOM_ID, list("StreamId", &STREAM_ID_ITEM, 10, code::PARAM)],
    doc: "room/forbid-stream-rule/describe-forbid-stream-rules.yaml",
    ..RULES
};

/// `DelForbidStreamRule`: a rule that does not exist is no error.
pub(crate) const DEL_STREAM: ActionSpec = ActionSpec {
    name: "DelForbidStreamRule",
    params: &[ROOM_ID, STREAM_ID],
    doc: "room/forbid-stream-rule/del-forbid-stream-rule.yaml",
    ..RULES
};

fn param_error(reason: String) -> Refusal {
    Refusal::new(code::PARAM, Family::Room, Check::Parameter, reason)
}

/// The rule's key from the request: (RuleType, IP, RoomId, UserId), the parameters the type does
/// not use stored as `""`, a parameter it needs missing answering 2.
fn user_rule_key(ctx: &Ctx<'_, '_>) -> Result<(u32, String, String, String), Refusal> {
    let rule_type: u32 = ctx
        .args
        .str("RuleType")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let need = |name: &str, used: bool| -> Result<String, Refusal> {
        if !used {
            return Ok(String::new());
        }
        ctx.args
            .str(name)
            .map(str::to_string)
            .ok_or_else(|| param_error(format!("RuleType {rule_type} requires {name}")))
    };
    Ok((
        rule_type,
        need("IP", rule_type == 1)?,
        need("RoomId", rule_type == 2 || rule_type == 4)?,
        need("UserId", rule_type == 3 || rule_type == 4)?,
    ))
}

/// The most unexpired rules of a RuleType: 100 by IP, 200 of the others.
fn cap(rule_type: u32) -> usize {
    if rule_type == 1 {
        100
    } else {
        200
    }
}

pub(crate) fn set_user(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let (rule_type, ip, room_id, user_id) = user_rule_key(ctx)?;
    let now = ctx.now_secs();
    let mut privileges: Vec<u32> = Vec::new();
    for p in ctx.args.each("DisabledPrivilege") {
        let p: u32 = p.parse().unwrap_or_default();
        if !privileges.contains(&p) {
            privileges.push(p);
        }
    }
    let effective =
        i64::try_from(ctx.args.u64("EffectiveTime").unwrap_or(1)).unwrap_or(MAX_RULE_SECS);
    let expire_secs = now + effective;
    let rules = &mut ctx.state.rooms.user_rules;
    let same = |r: &UserRule| {
        r.rule_type == rule_type && r.ip == ip && r.room_id == room_id && r.user_id == user_id
    };
    if let Some(rule) = rules.iter_mut().find(|r| same(r)) {
        rule.privileges = privileges;
        rule.expire_secs = expire_secs;
    } else {
        let active = rules
            .iter()
            .filter(|r| r.rule_type == rule_type && r.expire_secs > now)
            .count();
        if active >= cap(rule_type) {
            return Err(Refusal::new(
                code::RULES_FULL,
                Family::Room,
                Check::Business,
                format!(
                    "RuleType {rule_type} already has {active} rules in force (at most {})",
                    cap(rule_type)
                ),
            ));
        }
        if rules.len() >= MAX_RULES {
            // Only expired rules can go: the documented caps keep the unexpired ones few.
            if let Some(i) = rules.iter().position(|r| r.expire_secs <= now) {
                rules.remove(i);
            }
        }
        rules.push(UserRule {
            rule_type,
            ip,
            room_id,
            user_id,
            privileges,
            expire_secs,
        });
    }
    Ok(Reply::ok(Data::Value(json!({ "ExpireTime": expire_secs }))))
}

pub(crate) fn describe_user(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let rule_type: u32 = ctx
        .args
        .str("RuleType")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let list: Vec<Value> = ctx
        .state
        .rooms
        .user_rules
        .iter()
        .filter(|r| r.rule_type == rule_type)
        .map(|r| {
            json!({"RuleType": r.rule_type, "IP": r.ip, "RoomId": r.room_id, "UserId": r.user_id, "DisabledPrivilegeList": r.privileges, "ExpireTime": r.expire_secs})
        })
        .collect();
    Ok(Reply::ok(Data::Value(json!({ "RuleList": list }))))
}

pub(crate) fn del_user(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let (rule_type, ip, room_id, user_id) = user_rule_key(ctx)?;
    let rules = &mut ctx.state.rooms.user_rules;
    let before = rules.len();
    rules.retain(|r| {
        !(r.rule_type == rule_type && r.ip == ip && r.room_id == room_id && r.user_id == user_id)
    });
    if rules.len() == before {
        return Err(Refusal::new(
            code::RULE_MISSING,
            Family::Room,
            Check::Business,
            format!("no RuleType {rule_type} rule with IP {ip:?}, RoomId {room_id:?}, UserId {user_id:?}"),
        ));
    }
    Ok(Reply::ok(Data::Absent))
}

pub(crate) fn set_stream(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let audio = ctx.args.str("DisableAudio") == Some("1");
    let video = ctx.args.str("DisableVideo") == Some("1");
    if !audio && !video {
        return Err(param_error(
            "at least one of DisableAudio and DisableVideo must be 1".into(),
        ));
    }
    // "values exceeding 24 hours will be automatically adjusted to 24 hours"
    let effective = ctx
        .args
        .u64("EffectiveTime")
        .map_or(DEFAULT_STREAM_RULE_SECS, |s| {
            i64::try_from(s).unwrap_or(MAX_RULE_SECS).min(MAX_RULE_SECS)
        });
    let room_id = ctx.args.str("RoomId").unwrap_or_default().to_string();
    let stream_id = ctx.args.str("StreamId").unwrap_or_default().to_string();
    let now = ctx.now_secs();
    let rules = &mut ctx.state.rooms.stream_rules;
    rules.retain(|r| !(r.room_id == room_id && r.stream_id == stream_id));
    if rules.len() >= MAX_RULES {
        match rules.iter().position(|r| !r.is_active(now)) {
            Some(i) => {
                rules.remove(i);
            }
            None => {
                return Err(Refusal::new(
                    code::STREAM_SET_FAILED,
                    Family::Room,
                    Check::Business,
                    format!("{MAX_RULES} stream rules are in force (the mock's cap)"),
                ))
            }
        }
    }
    rules.push(StreamRule {
        room_id,
        stream_id,
        disable_audio: audio,
        disable_video: video,
        create_secs: now,
        effective_secs: effective,
    });
    Ok(Reply::ok(Data::Absent))
}

pub(crate) fn describe_stream(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let rules = &ctx.state.rooms.stream_rules;
    let list: Vec<Value> = ctx
        .args
        .each("StreamId")
        .map(|stream_id| {
            match rules.iter().find(|r| r.room_id == room_id && r.stream_id == stream_id) {
                Some(r) => json!({"StreamId": stream_id, "DisableAudio": u32::from(r.disable_audio), "DisableVideo": u32::from(r.disable_video), "CreateTime": r.create_secs, "EffectiveTime": r.effective_secs}),
                None => json!({"StreamId": stream_id, "DisableAudio": 0, "DisableVideo": 0, "CreateTime": 0, "EffectiveTime": 0}),
            }
        })
        .collect();
    Ok(Reply::ok(Data::Value(
        json!({"RoomId": room_id, "ForbidStreamRuleList": list}),
    )))
}

pub(crate) fn del_stream(ctx: &mut Ctx<'_, '_>) -> Result<Reply, Refusal> {
    let room_id = ctx.args.str("RoomId").unwrap_or_default();
    let stream_id = ctx.args.str("StreamId").unwrap_or_default();
    ctx.state
        .rooms
        .stream_rules
        .retain(|r| !(r.room_id == room_id && r.stream_id == stream_id));
    Ok(Reply::ok(Data::Absent))
}
