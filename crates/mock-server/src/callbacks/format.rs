//! The wire format of every callback (SPEC-rest-callbacks §5.4, field values §5.5.3): an event of
//! the journal, rendered as the body the real service POSTs.
//!
//! Each event has a fixed list of fields, in the page's order, each with the page's JSON type.
//! The event's `data` (as its emission site recorded it) supplies the business fields by the
//! callback's own names; a value is converted to the documented type whatever it was recorded as
//! (a number to its decimal string, a numeric string to a number), and a missing or unusable
//! value renders as its type's empty value (`""`, `0`, `[]`, `{}`). Rendering never fails.

use super::{Category, Rendered};
use crate::state::Event;
use serde_json::{Map, Number, Value};

/// What a callback body is made of besides its event: who it is for and its signature inputs.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// The AppId.
    pub app_id: u32,
    /// The app's CallbackSecret.
    pub secret: &'a str,
    /// The callback's nonce (a 63-bit random number, sent as a decimal string).
    pub nonce: u64,
}

/// The JSON type a field is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string: numbers as their decimal text, booleans as `"1"`/`"0"`.
    Str,
    /// A number (integer or float as recorded; a numeric string is parsed).
    Num,
    /// An array of strings.
    StrList,
    /// The first element of the same-named plural list (mix_start's `rtmp_url` from `rtmp_urls`).
    FirstOf(&'static str),
    /// A JSON object, as recorded.
    Obj,
    /// A JSON value serialised into a string (an object or array recorded as such is encoded;
    /// a string is sent as is).
    JsonText,
    /// A string sent only when the event's data has the key (vendor-specific fields).
    OptStr,
}

use Kind::{FirstOf, JsonText, Num, Obj, OptStr, Str, StrList};

/// How an event names and types its common fields.
#[derive(Debug, Clone, Copy)]
enum Common {
    /// `event`, `appid`, `timestamp`, `nonce`, `signature`; `appid` and `timestamp` as numbers
    /// when `numbers` (room_create, room_close), strings otherwise.
    Snake { numbers: bool },
    /// `Event`, `Appid`, `Timestamp`, `Nonce`, `Signature`, all strings (transcode_*).
    PascalStrings,
    /// `Event`, `AppId` and `Timestamp` as numbers, `Nonce`, `Signature` (censor_*).
    PascalNumbers,
}

/// Each event's common-field style and business fields, in the page's order.
fn layout(event: &str) -> Option<(Common, &'static [(&'static str, Kind)])> {
    const SNAKE: Common = Common::Snake { numbers: false };
    Some(match event {
        "room_create" => (
            Common::Snake { numbers: true },
            &[
                ("room_id", Str),
                ("room_session_id", Num),
                ("room_create_time", Str),
                ("id_name", Str),
            ],
        ),
        "room_close" => (
            Common::Snake { numbers: true },
            &[
                ("room_id", Str),
                ("room_session_id", Num),
                ("close_reason", Num),
                ("room_close_time", Str),
            ],
        ),
        "room_login" => (
            SNAKE,
            &[
                ("room_id", Str),
                ("room_name", Str),
                ("room_seq", Str),
                ("user_account", Str),
                ("user_nickname", Str),
                ("session_id", Str),
                ("login_time", Str),
                ("user_role", Str),
                ("auth_level", Str),
                ("relogin", Str),
                ("user_update_seq", Str),
                ("callback_data", Str),
                ("term_type", Str),
            ],
        ),
        "room_logout" => (
            SNAKE,
            &[
                ("room_id", Str),
                ("room_seq", Str),
                ("user_account", Str),
                ("user_nickname", Str),
                ("session_id", Str),
                ("login_time", Str),
                ("logout_time", Str),
                ("reason", Str),
                ("user_role", Str),
                ("user_update_seq", Str),
            ],
        ),
        "stream_create" => (
            SNAKE,
            &[
                ("room_id", Str),
                ("room_session_id", Str),
                ("user_id", Str),
                ("user_name", Str),
                ("channel_id", Str),
                ("stream_id", Str),
                ("stream_sid", Str),
                ("title", Str),
                ("stream_alias", Str),
                ("stream_attr", Str),
                ("stream_seq", Str),
                ("create_time", Str),
                ("create_time_ms", Str),
                ("extra_info", Str),
                ("recreate", Str),
                ("publish_id", Str),
                ("publish_name", Str),
                ("rtmp_url", StrList),
                ("hls_url", StrList),
                ("hdl_url", StrList),
                ("pic_url", StrList),
            ],
        ),
        "stream_close" => (
            SNAKE,
            &[
                ("room_id", Str),
                ("room_session_id", Str),
                ("user_id", Str),
                ("user_name", Str),
                ("channel_id", Str),
                ("type", Str),
                ("stream_alias", Str),
                ("stream_id", Str),
                ("stream_sid", Str),
                ("stream_seq", Str),
                ("third_define_data", Str),
                ("create_time_ms", Str),
                ("destroy_timemillis", Str),
            ],
        ),
        "mix_start" => (
            SNAKE,
            &[
                ("seq", Str),
                ("task_id", Str),
                ("channel_id", Str),
                ("publish_id", Str),
                ("mix_url", Str),
                ("mix_stream_alias", Str),
                ("rtmp_urls", StrList),
                ("hls_urls", StrList),
                ("hdl_urls", StrList),
                ("rtmp_url", FirstOf("rtmp_urls")),
                ("hls_url", FirstOf("hls_urls")),
                ("hdl_url", FirstOf("hdl_urls")),
                ("stream_alias", Str),
            ],
        ),
        "mix_stop" => (
            SNAKE,
            &[
                ("seq", Str),
                ("task_id", Str),
                ("channel_id", Str),
                ("publish_id", Str),
                ("mix_url", Str),
                ("mix_stream_alias", Str),
            ],
        ),
        "transcode_start" => (
            Common::PascalStrings,
            &[
                ("TaskId", Str),
                ("UserId", Str),
                ("Sequence", Num),
                ("Status", Str),
                ("Details", Obj),
            ],
        ),
        "transcode_stop" => (
            Common::PascalStrings,
            &[
                ("TaskId", Str),
                ("UserId", Str),
                ("Sequence", Num),
                ("Status", Str),
                ("StopReason", Num),
            ],
        ),
        "record" => (
            SNAKE,
            &[
                ("stream_alias", Str),
                ("replay_url", Str),
                ("begin_time", Str),
                ("end_time", Str),
                ("extra_params", JsonText),
            ],
        ),
        "compose" => (
            SNAKE,
            &[
                ("replay_url", Str),
                ("task_id", Str),
                ("file_id", OptStr),
                ("code", Str),
                ("message", Str),
            ],
        ),
        "procedure" => (
            SNAKE,
            &[
                ("task_id", Str),
                ("status", Str),
                ("file_id", Str),
                ("extra_params", JsonText),
            ],
        ),
        "snapshot" => (
            SNAKE,
            &[
                ("task_id", Str),
                ("vendor", Str),
                ("field_id", OptStr),
                ("snapshot_pic_list", JsonText),
            ],
        ),
        "censor_audio_v2_result"
        | "censor_video_v2_audio_result"
        | "censor_video_v2_img_result" => (
            Common::PascalNumbers,
            &[
                ("Code", Num),
                ("Message", Str),
                ("TaskId", Str),
                ("ResultTaskId", Str),
                ("Detail", Obj),
                ("AuxInfo", Obj),
            ],
        ),
        "censor_audio_v2_status"
        | "censor_video_v2_audio_status"
        | "censor_video_v2_img_status" => (
            Common::PascalNumbers,
            &[
                ("Code", Num),
                ("Message", Str),
                ("TaskId", Str),
                ("Status", Num),
                ("AuxInfo", Obj),
            ],
        ),
        _ => return None,
    })
}

/// The callback body of `event`, signed, or `None` for an event that sends no callback.
///
/// The body has exactly the documented fields of the event's page (§5.4), each with its
/// documented JSON type (§5.5.3): `appid`/`timestamp` numbers in room_create and room_close,
/// strings in the other snake_case events; PascalCase `Appid`/`Timestamp` strings in
/// transcode_*, `AppId`/`Timestamp` numbers in censor_*. `timestamp` is the event's mock time
/// in seconds; the signature is [`sign`](super::sign) over the CallbackSecret, that timestamp
/// and the nonce, as decimal strings.
pub fn render(event: &Event, envelope: Envelope<'_>) -> Option<Rendered> {
    let category = Category::of(event.event)?;
    let (common, fields) = layout(event.event)?;
    let timestamp = event.at_millis.div_euclid(1000);
    let nonce = envelope.nonce.to_string();
    let signature = super::sign(envelope.secret, &timestamp.to_string(), &nonce);
    let mut body = Map::new();
    match common {
        Common::Snake { numbers } => {
            body.insert("event".into(), event.event.into());
            if numbers {
                body.insert("appid".into(), envelope.app_id.into());
                body.insert("timestamp".into(), timestamp.into());
            } else {
                body.insert("appid".into(), envelope.app_id.to_string().into());
                body.insert("timestamp".into(), timestamp.to_string().into());
            }
            body.insert("nonce".into(), nonce.into());
            body.insert("signature".into(), signature.into());
        }
        Common::PascalStrings => {
            body.insert("Event".into(), event.event.into());
            body.insert("Appid".into(), envelope.app_id.to_string().into());
            body.insert("Timestamp".into(), timestamp.to_string().into());
            body.insert("Nonce".into(), nonce.into());
            body.insert("Signature".into(), signature.into());
        }
        Common::PascalNumbers => {
            body.insert("Event".into(), event.event.into());
            body.insert("AppId".into(), envelope.app_id.into());
            body.insert("Timestamp".into(), timestamp.into());
            body.insert("Nonce".into(), nonce.into());
            body.insert("Signature".into(), signature.into());
        }
    }
    let data = &event.data;
    for &(key, kind) in fields {
        let value = data.get(key);
        let rendered = match kind {
            Str => string(value),
            Num => number(value),
            StrList => string_list(value),
            FirstOf(list) => match string_list(data.get(list)) {
                Value::Array(items) => items.into_iter().next().unwrap_or_else(|| "".into()),
                _ => "".into(),
            },
            Obj => match value {
                Some(Value::Object(o)) => Value::Object(o.clone()),
                _ => Value::Object(Map::new()),
            },
            JsonText => match value {
                Some(Value::String(s)) => Value::String(s.clone()),
                Some(v @ (Value::Object(_) | Value::Array(_))) => Value::String(v.to_string()),
                _ => "".into(),
            },
            OptStr => match value {
                Some(v) => string(Some(v)),
                None => continue,
            },
        };
        body.insert(key.into(), rendered);
    }
    Some(Rendered {
        category,
        body: Value::Object(body),
    })
}

/// A value as a JSON string: strings as they are, numbers in decimal, booleans `"1"`/`"0"`,
/// null or missing `""`, arrays and objects as JSON text.
fn string(value: Option<&Value>) -> Value {
    Value::String(match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "1" } else { "0" }.into(),
        Some(v) => v.to_string(),
    })
}

/// A value as a JSON number: numbers as they are (u64 digits exact), a numeric string parsed,
/// booleans 1/0, anything else 0.
fn number(value: Option<&Value>) -> Value {
    let n = match value {
        Some(Value::Number(n)) => n.clone(),
        Some(Value::String(s)) => {
            let s = s.trim();
            s.parse::<u64>()
                .map(Number::from)
                .or_else(|_| s.parse::<i64>().map(Number::from))
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(Number::from_f64))
                .unwrap_or_else(|| Number::from(0))
        }
        Some(Value::Bool(b)) => Number::from(u8::from(*b)),
        _ => Number::from(0),
    };
    Value::Number(n)
}

/// A value as an array of strings: each item of an array as [`string`], a lone non-empty string
/// as a one-item list, anything else `[]`.
fn string_list(value: Option<&Value>) -> Value {
    Value::Array(match value {
        Some(Value::Array(items)) => items.iter().map(|v| string(Some(v))).collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![Value::String(s.clone())],
        _ => Vec::new(),
    })
}

#[cfg(test)]
mod tests;
