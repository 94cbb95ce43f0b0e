//! Parameters as data, and the one function that checks them.
//!
//! An action lists its parameters in documented order; [`check`] walks that list, and the first
//! failure wins, answered with the code the parameter declares. Cross-field rules (a time range
//! that depends on the clock, a field that depends on another) stay in the action's handler.

use crate::config::Env;
use crate::query::{bytes_equal, same_name, word_has_blank, words, Params, HIGH_BITS};
use crate::refusal::{Check, Refusal};
use serde_json::Value;

use super::ActionSpec;

/// The longest StreamId accepted (rtpm-dispatch.yaml).
pub const MAX_STREAM_ID_LEN: usize = 256;

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// In the query string.
    Query,
    /// As a field of the JSON body (POST actions).
    Body,
}

/// What a parameter's value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A StreamId: 1 to 256 characters of `[0-9A-Za-z_-]`; with `test_prefix`, it must start with
    /// `zegotest-{AppId}-` in the test environment.
    StreamId {
        /// Whether the test-environment prefix rule applies.
        test_prefix: bool,
    },
    /// A list of values of `item`, sent as `Name[]=a&Name[]=b` (brackets raw or percent-encoded)
    /// or, with `plain_form`, as a repeated `Name=a&Name=b` when no bracketed form is present.
    List {
        /// Each item, with its own kind and codes (its name is the list's).
        item: &'static Param,
        /// The fewest items accepted.
        min: usize,
        /// The most items accepted (more answer the parameter's too-long code).
        max: usize,
        /// Whether a repeated plain `Name` also counts.
        plain_form: bool,
    },
    /// Text of at most `max_bytes` bytes once decoded (more answer the too-long code).
    Text {
        /// The byte limit.
        max_bytes: usize,
    },
    /// One of the listed values, exactly.
    Enum(&'static [&'static str]),
    /// An RTMP address, `rtmp://host/path`, URL-decoded.
    RtmpUrl,
    /// A UTC time of the form `2018-11-29T19:00:00Z`.
    UtcTime,
    /// A decimal unsigned 64-bit integer (in a body: a JSON non-negative integer).
    Sequence,
    /// An IPv4 address in dotted-decimal form (`119.23.242.129`).
    Ipv4,
    /// An IPv4 or IPv6 address literal.
    Ip,
    /// A decimal unsigned integer within `min..=max` (in a body: a JSON integer); below `min`
    /// answers the invalid code, above `max` the too-long code.
    UInt {
        /// The smallest value accepted.
        min: u64,
        /// The largest value accepted.
        max: u64,
    },
    /// `true` or `false`, in any case.
    Bool,
    /// Any JSON value (body only), decoded by the handler with serde.
    Json,
}

impl Kind {
    /// A RoomId: non-empty, at most 128 bytes; the character set is not enforced.
    pub const ROOM_ID: Kind = Kind::Text { max_bytes: 128 };
    /// A UserId: non-empty, at most 64 bytes; the character set is not enforced.
    pub const USER_ID: Kind = Kind::Text { max_bytes: 64 };

    /// Whether this kind (or its items) carries the test-environment StreamId prefix rule.
    pub fn test_prefix(&self) -> bool {
        match self {
            Kind::StreamId { test_prefix } => *test_prefix,
            Kind::List { item, .. } => item.kind.test_prefix(),
            _ => false,
        }
    }
}

/// One documented parameter of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Its name, as sent (without `[]`).
    pub name: &'static str,
    /// Where it is sent.
    pub at: Where,
    /// What its value must look like.
    pub kind: Kind,
    /// Whether it must be present (an empty value counts as absent).
    pub required: bool,
    /// The code a missing required value answers.
    pub missing_code: i64,
    /// The code a malformed value answers.
    pub invalid_code: i64,
    /// The code a value over its byte limit, or a list over its item limit, answers.
    pub too_long_code: i64,
    /// Words added to the reason of a missing or invalid value.
    pub hint: &'static str,
}

impl Param {
    /// A required query parameter whose every failure answers `code`.
    pub const fn new(name: &'static str, kind: Kind, code: i64) -> Self {
        Self {
            name,
            at: Where::Query,
            kind,
            required: true,
            missing_code: code,
            invalid_code: code,
            too_long_code: code,
            hint: "",
        }
    }

    /// The parameter may be left out.
    pub const fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    /// The parameter is a field of the JSON body.
    pub const fn in_body(mut self) -> Self {
        self.at = Where::Body;
        self
    }

    /// A malformed value answers `code` (and so does a too-long one, unless set after).
    pub const fn invalid(mut self, code: i64) -> Self {
        self.invalid_code = code;
        self.too_long_code = code;
        self
    }

    /// A value over its limit answers `code`.
    pub const fn too_long(mut self, code: i64) -> Self {
        self.too_long_code = code;
        self
    }

    /// Words added to the reason of a missing or invalid value.
    pub const fn hint(mut self, hint: &'static str) -> Self {
        self.hint = hint;
        self
    }
}

/// A checked parameter value, borrowed from the request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg<'a> {
    /// Not sent (or empty), and optional.
    Absent,
    /// A text value (StreamId, Text, Enum, RtmpUrl).
    Str(&'a str),
    /// A list's items, in order.
    List(Vec<&'a str>),
    /// A Sequence.
    U64(u64),
    /// A UTC time, in Unix seconds.
    Time(i64),
    /// A boolean.
    Bool(bool),
    /// A JSON value from the body.
    Json(&'a Value),
}

/// The checked parameters of one request, in declared order.
#[derive(Debug)]
pub(crate) struct Args<'a> {
    params: &'static [Param],
    /// The values of the first [`INLINE_ARGS`] parameters (most actions declare no more).
    inline: [Arg<'a>; INLINE_ARGS],
    /// The values of the others.
    spilled: Vec<Arg<'a>>,
}

/// How many checked values are kept without an allocation.
const INLINE_ARGS: usize = 6;

impl<'a> Args<'a> {
    /// No values yet, for `params`.
    pub(crate) fn new(params: &'static [Param]) -> Self {
        Args {
            params,
            inline: [const { Arg::Absent }; INLINE_ARGS],
            spilled: Vec::new(),
        }
    }

    /// Sets the value of the `i`th parameter; the values come in declared order.
    fn set(&mut self, i: usize, value: Arg<'a>) {
        match self.inline.get_mut(i) {
            Some(slot) => *slot = value,
            None => self.spilled.push(value),
        }
    }

    fn get(&self, name: &str) -> &Arg<'a> {
        let Some(i) = self.params.iter().position(|p| same_name(p.name, name)) else {
            return &Arg::Absent;
        };
        let value = match i.checked_sub(INLINE_ARGS) {
            None => self.inline.get(i),
            Some(j) => self.spilled.get(j),
        };
        value.unwrap_or(&Arg::Absent)
    }

    /// A text value, when sent.
    pub fn str(&self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Arg::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A list's items (a single value counts as a list of one), without copying them.
    pub fn each(&self, name: &str) -> impl Iterator<Item = &'a str> + '_ {
        let items: &[&'a str] = match self.get(name) {
            Arg::List(items) => items,
            Arg::Str(s) => std::slice::from_ref(s),
            _ => &[],
        };
        items.iter().copied()
    }

    /// A Sequence, when sent.
    pub fn u64(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Arg::U64(n) => Some(*n),
            _ => None,
        }
    }

    /// A boolean, when sent.
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Arg::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A UTC time in Unix seconds, when sent.
    pub fn time(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Arg::Time(t) => Some(*t),
            _ => None,
        }
    }

    /// A JSON value from the body, when sent.
    #[allow(dead_code)] // used by the first POST action's handler
    pub fn json(&self, name: &str) -> Option<&'a Value> {
        match self.get(name) {
            Arg::Json(v) => Some(v),
            _ => None,
        }
    }
}

/// At most `max` characters of `s`, for messages.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Whether a StreamId has the documented form: 1 to 256 characters of `[0-9A-Za-z_-]`.
pub(crate) fn is_valid_stream_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_STREAM_ID_LEN
        && id.bytes().all(|b| STREAM_ID_BYTES[usize::from(b)])
}

/// The bytes a StreamId may hold: `[0-9A-Za-z_-]`, one look-up per byte.
const STREAM_ID_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    t
};

/// Whether a (decoded) address is an RTMP URL: `rtmp://host/path`, scheme in any case, a host,
/// a non-empty path, no white space or control characters.
pub(crate) fn is_rtmp_url(url: &str) -> bool {
    split_rtmp_url(url).is_some()
}

/// Splits an RTMP URL into (host, path), dropping the query and fragment.
pub(crate) fn split_rtmp_url(url: &str) -> Option<(&str, &str)> {
    // The scheme is what comes before the first "://", so it is "rtmp" exactly when the address
    // starts with "rtmp://" in any case: one word compare, the four letters' case bit set first
    // (only 'R' and 'r' have 'r' with that bit set, and so on; ":" and "/" compare as they are).
    let head = url.as_bytes().get(..7)?;
    let word = u64::from_le_bytes([
        head[0], head[1], head[2], head[3], head[4], head[5], head[6], 0,
    ]);
    if word | 0x2020_2020 != u64::from_le_bytes(*b"rtmp://\0") {
        return None;
    }
    let rest = url.get(7..)?;
    // One pass over the rest, eight bytes at a time (the scheme is ASCII and blank-free): the
    // first '/' ends the host, the first '?' or '#' after it ends the path, and any byte up to
    // space or DEL refuses the address. A non-ASCII address is checked by character as well
    // (its blank and control characters are not only bytes). The host's words are searched
    // for the '/', the path's for '?' and '#'.
    let bytes = rest.as_bytes();
    let (mut slash, mut end, mut ascii) = (None, bytes.len(), true);
    // Whether a word may stay (no blank byte), noting whether it is ASCII.
    let mut plain = |word: u64| {
        ascii &= word & HIGH_BITS == 0;
        !word_has_blank(word)
    };
    // The high bits of a word's '?' and '#' bytes, and the place of the first byte found.
    let query_or_fragment = |word: u64| bytes_equal(word, b'?') | bytes_equal(word, b'#');
    let first = |w: usize, found: u64| w * 8 + (found.trailing_zeros() / 8) as usize;
    let mut words = words(bytes).enumerate();
    for (w, word) in words.by_ref() {
        if !plain(word) {
            return None;
        }
        let found = bytes_equal(word, b'/');
        if found != 0 {
            slash = Some(first(w, found));
            // A '?' or '#' after the '/' in the same word (those before it are the host's).
            let after = (!0u64).checked_shl(found.trailing_zeros() + 1).unwrap_or(0);
            let found = query_or_fragment(word) & after;
            if found != 0 {
                end = first(w, found);
            }
            break;
        }
    }
    for (w, word) in words {
        if !plain(word) {
            return None;
        }
        if end == bytes.len() {
            let found = query_or_fragment(word);
            if found != 0 {
                end = first(w, found);
            }
        }
    }
    if !ascii && rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let slash = slash?;
    let (host, path) = (rest.get(..slash)?, rest.get(slash..end)?);
    (!host.is_empty() && path.len() > 1).then_some((host, path))
}

/// Where the values come from, and who is asking (for the test-environment prefix).
struct Source<'a> {
    query: &'a Params<'a>,
    body: Option<&'a Value>,
    app_id: u32,
    env: Env,
    /// Bit `i` is set when the `i`-th parameter's query value was located beforehand: then it
    /// is `values[i]` (`None` when not sent).
    located: u32,
    values: [Option<&'a str>; INLINE_ARGS],
}

fn fail(spec: &ActionSpec, code: i64, reason: String) -> Refusal {
    Refusal::new(code, spec.family, Check::Parameter, reason)
}

fn with_hint(mut reason: String, hint: &str) -> String {
    if !hint.is_empty() {
        reason.push_str("; ");
        reason.push_str(hint);
    }
    reason
}

/// Checks an action's parameters in declared order; the first failure wins.
#[cfg(test)]
fn check<'a>(
    spec: &ActionSpec,
    query: &'a Params<'_>,
    body: Option<&'a Value>,
    app_id: u32,
    env: Env,
) -> Result<Args<'a>, Refusal> {
    let mut args = Args::new(spec.params);
    check_into(&mut args, spec, query, body, app_id, env)?;
    Ok(args)
}

/// Checks an action's parameters in declared order into `args` (made by the caller for
/// `spec`'s parameters, where they are kept: a returned `Args` would be copied); the first
/// failure wins.
pub(crate) fn check_into<'a>(
    args: &mut Args<'a>,
    spec: &ActionSpec,
    query: &'a Params<'_>,
    body: Option<&'a Value>,
    app_id: u32,
    env: Env,
) -> Result<(), Refusal> {
    let mut src = Source {
        query,
        body,
        app_id,
        env,
        located: 0,
        values: [None; INLINE_ARGS],
    };
    src.locate_plain_query_values(spec.params);
    for (i, p) in spec.params.iter().enumerate() {
        args.set(i, check_one(spec, i, p, &src)?);
    }
    Ok(())
}

impl<'a> Source<'a> {
    /// Finds the first values of the plain (not list) query parameters among the first
    /// [`INLINE_ARGS`] declared, in one pass over the pairs with an uncommon name, instead of
    /// one search each.
    fn locate_plain_query_values(&mut self, params: &[Param]) {
        let mut wanted = 0u32;
        for (i, p) in params.iter().take(INLINE_ARGS).enumerate() {
            let plain = !matches!(p.kind, Kind::List { .. });
            if p.at == Where::Query && plain && !Params::is_common(p.name) {
                wanted |= 1 << i;
            }
        }
        if wanted == 0 {
            return;
        }
        let (mut left, values) = (wanted, &mut self.values);
        self.query.each_uncommon(|name, value| {
            // Each parameter takes its first value: once found, it is no longer looked for.
            let mut candidates = left;
            while candidates != 0 {
                let i = candidates.trailing_zeros() as usize;
                if params.get(i).is_some_and(|p| same_name(p.name, name)) {
                    if let Some(slot) = values.get_mut(i) {
                        *slot = Some(value);
                    }
                    left &= !(1 << i);
                    break;
                }
                candidates &= candidates - 1;
            }
        });
        self.located = wanted;
    }
}

/// A raw value as sent: text from the query, or a JSON value from the body.
enum Raw<'a> {
    Text(&'a str),
    Json(&'a Value),
}

fn raw<'a>(i: usize, p: &Param, src: &Source<'a>) -> Option<Raw<'a>> {
    match p.at {
        // Located beforehand with the others (see `Source::locate_plain_query_values`).
        Where::Query if src.located >> i & 1 == 1 => src
            .values
            .get(i)
            .copied()
            .flatten()
            .filter(|v| !v.is_empty())
            .map(Raw::Text),
        Where::Query => src.query.non_empty(p.name).map(Raw::Text),
        Where::Body => match src.body.and_then(|b| b.get(p.name)) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(v) => Some(Raw::Json(v)),
        },
    }
}

fn missing(spec: &ActionSpec, p: &Param) -> Refusal {
    let reason = match p.kind {
        Kind::List { .. } => format!("the {}[] parameter is missing or empty", p.name),
        _ => format!("the {} parameter is missing or empty", p.name),
    };
    fail(spec, p.missing_code, with_hint(reason, p.hint))
}

fn check_one<'a>(
    spec: &ActionSpec,
    i: usize,
    p: &Param,
    src: &Source<'a>,
) -> Result<Arg<'a>, Refusal> {
    if let Kind::List {
        item,
        min,
        max,
        plain_form,
    } = p.kind
    {
        let items = list_items(spec, p, src, plain_form)?;
        if items.is_empty() && !p.required && min > 0 {
            return Ok(Arg::Absent);
        }
        if items.len() < min || items.len() > max {
            let code = if items.len() > max {
                p.too_long_code
            } else if items.is_empty() {
                p.missing_code
            } else {
                p.invalid_code
            };
            return Err(fail(
                spec,
                code,
                format!(
                    "{name}[] must list {min} to {max} {name}s (as {name}[]=a&{name}[]=b); got {}",
                    items.len(),
                    name = p.name
                ),
            ));
        }
        for value in &items {
            if value.is_empty() {
                return Err(fail(
                    spec,
                    item.missing_code,
                    format!("an entry of {}[] is empty", p.name),
                ));
            }
            check_text(spec, item, &item.kind, value, src)?;
        }
        return Ok(Arg::List(items));
    }
    let Some(raw) = raw(i, p, src) else {
        return if p.required {
            Err(missing(spec, p))
        } else {
            Ok(Arg::Absent)
        };
    };
    match (p.kind, raw) {
        (Kind::Json, Raw::Json(v)) => Ok(Arg::Json(v)),
        (Kind::Json, Raw::Text(_)) => Err(fail(
            spec,
            p.invalid_code,
            format!("{} must be sent in the JSON body", p.name),
        )),
        (Kind::Sequence, Raw::Json(v)) => v.as_u64().map(Arg::U64).ok_or_else(|| {
            fail(
                spec,
                p.invalid_code,
                format!("{} {v} is not a non-negative integer", p.name),
            )
        }),
        (Kind::Sequence, Raw::Text(s)) => match crate::gateway::decimal_u64(s) {
            Some(n) => Ok(Arg::U64(n)),
            None => Err(fail(
                spec,
                p.invalid_code,
                format!(
                    "{} {:?} is not a decimal unsigned 64-bit integer",
                    p.name,
                    truncate(s, 64)
                ),
            )),
        },
        (Kind::UInt { min, max }, raw) => {
            let n = match raw {
                Raw::Json(v) => v.as_u64(),
                Raw::Text(s) if s.bytes().all(|b| b.is_ascii_digit()) => s.parse::<u64>().ok(),
                Raw::Text(_) => None,
            };
            match n {
                Some(n) if n < min => Err(fail(
                    spec,
                    p.invalid_code,
                    format!("{} {n} is below its minimum {min}", p.name),
                )),
                Some(n) if n > max => Err(fail(
                    spec,
                    p.too_long_code,
                    format!("{} {n} is above its maximum {max}", p.name),
                )),
                Some(n) => Ok(Arg::U64(n)),
                None => Err(fail(
                    spec,
                    p.invalid_code,
                    with_hint(
                        format!("{} is not a decimal number from {min} to {max}", p.name),
                        p.hint,
                    ),
                )),
            }
        }
        (Kind::Bool, raw) => {
            let text = match raw {
                Raw::Json(Value::Bool(b)) => Some(if *b { "true" } else { "false" }),
                Raw::Json(Value::String(s)) => Some(s.as_str()),
                Raw::Text(s) => Some(s),
                Raw::Json(_) => None,
            };
            let b = match text {
                Some(t) if t.eq_ignore_ascii_case("true") => Some(true),
                Some(t) if t.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            };
            b.map(Arg::Bool).ok_or_else(|| {
                fail(
                    spec,
                    p.invalid_code,
                    format!("{} must be true or false", p.name),
                )
            })
        }
        (Kind::UtcTime, raw) => {
            let s = text_of(spec, p, raw)?;
            crate::utc::parse(s).map(Arg::Time).ok_or_else(|| {
                fail(
                    spec,
                    p.invalid_code,
                    format!(
                        "{} {:?} is not a UTC time of the form 2018-11-29T19:00:00Z",
                        p.name,
                        truncate(s, 64)
                    ),
                )
            })
        }
        (kind, raw) => {
            let s = text_of(spec, p, raw)?;
            check_text(spec, p, &kind, s, src)?;
            Ok(Arg::Str(s))
        }
    }
}

fn text_of<'a>(spec: &ActionSpec, p: &Param, raw: Raw<'a>) -> Result<&'a str, Refusal> {
    match raw {
        Raw::Text(s) => Ok(s),
        Raw::Json(Value::String(s)) => Ok(s),
        Raw::Json(v) => Err(fail(
            spec,
            p.invalid_code,
            format!("{} must be a JSON string, not {v}", p.name),
        )),
    }
}

fn list_items<'a>(
    spec: &ActionSpec,
    p: &Param,
    src: &Source<'a>,
    plain_form: bool,
) -> Result<Vec<&'a str>, Refusal> {
    match p.at {
        Where::Query => {
            let mut items = src.query.array(p.name);
            if items.is_empty() && plain_form {
                items = src.query.all(p.name);
            }
            Ok(items)
        }
        Where::Body => match src.body.and_then(|b| b.get(p.name)) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(values)) => values
                .iter()
                .map(|v| text_of(spec, p, Raw::Json(v)))
                .collect(),
            Some(v) => Err(fail(
                spec,
                p.invalid_code,
                format!("{} must be a JSON array, not {v}", p.name),
            )),
        },
    }
}

fn check_text(
    spec: &ActionSpec,
    p: &Param,
    kind: &Kind,
    s: &str,
    src: &Source<'_>,
) -> Result<(), Refusal> {
    match *kind {
        Kind::StreamId { test_prefix } => {
            if !is_valid_stream_id(s) {
                return Err(fail(
                    spec,
                    p.invalid_code,
                    format!(
                        "{} {:?} must be 1 to {MAX_STREAM_ID_LEN} characters of [0-9A-Za-z_-] (it has {} bytes)",
                        p.name,
                        truncate(s, 64),
                        s.len()
                    ),
                ));
            }
            if test_prefix && src.env == Env::Test {
                let prefix = format!("zegotest-{}-", src.app_id);
                if !s.starts_with(&prefix) {
                    return Err(fail(
                        spec,
                        p.invalid_code,
                        format!(
                            "in the test environment a {} must start with {prefix:?}; got {s:?}",
                            p.name
                        ),
                    ));
                }
            }
            Ok(())
        }
        Kind::Text { max_bytes } if s.len() > max_bytes => Err(fail(
            spec,
            p.too_long_code,
            format!(
                "{} has {} bytes; at most {max_bytes} are accepted",
                p.name,
                s.len()
            ),
        )),
        Kind::Text { .. } => Ok(()),
        Kind::Enum(values) if values.contains(&s) => Ok(()),
        Kind::Enum(values) => {
            let reason = if p.hint.is_empty() {
                format!(
                    "{} {:?} is not one of the documented values {values:?}",
                    p.name,
                    truncate(s, 64)
                )
            } else {
                format!("{} {:?} is not a documented value", p.name, truncate(s, 64))
            };
            Err(fail(spec, p.invalid_code, with_hint(reason, p.hint)))
        }
        Kind::Ip if s.parse::<std::net::IpAddr>().is_ok() => Ok(()),
        Kind::Ip => Err(fail(
            spec,
            p.invalid_code,
            format!("{} {:?} is not an IPv4 or IPv6 address", p.name, truncate(s, 64)),
        )),
        Kind::Ipv4 if s.parse::<std::net::Ipv4Addr>().is_ok() => Ok(()),
        Kind::Ipv4 => Err(fail(
            spec,
            p.invalid_code,
            with_hint(
                format!(
                    "{} {:?} is not an IPv4 address such as 119.23.242.129",
                    p.name,
                    truncate(s, 64)
                ),
                p.hint,
            ),
        )),
        Kind::RtmpUrl if is_rtmp_url(s) => Ok(()),
        Kind::RtmpUrl => Err(fail(
            spec,
            p.invalid_code,
            format!(
                "{} {:?} is not an RTMP address of the form rtmp://host/path (URL-encode it in the query)",
                p.name,
                truncate(s, 128)
            ),
        )),
        // Lists, times, Sequences and JSON values are checked by `check_one`.
        Kind::List { .. }
        | Kind::UtcTime
        | Kind::Sequence
        | Kind::Json
        | Kind::UInt { .. }
        | Kind::Bool => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stream_id_table_is_the_character_class() {
        for b in 0..=255u8 {
            let expected = matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'_' | b'-');
            assert_eq!(super::STREAM_ID_BYTES[usize::from(b)], expected, "byte {b}");
        }
        assert!(super::is_valid_stream_id("a-B_9"));
        assert!(!super::is_valid_stream_id("a b"));
        assert!(!super::is_valid_stream_id(""));
    }

    use super::*;
    use crate::spec::{Family, Legacy, Method};

    const ROOM: Kind = Kind::ROOM_ID;
    const USERS: Kind = Kind::List {
        item: &Param::new("UserId", Kind::USER_ID, 2).too_long(3),
        min: 1,
        max: 3,
        plain_form: true,
    };
    const PARAMS: &[Param] = &[
        Param::new("RoomId", ROOM, 2).too_long(3),
        Param::new("UserId", USERS, 2).too_long(50011),
        Param::new("Category", Kind::Enum(&["1", "2"]), 2).optional(),
        Param::new("Layout", Kind::Json, 110_200_002).in_body(),
        Param::new("Sequence", Kind::Sequence, 110_200_002)
            .in_body()
            .optional(),
    ];
    const SPEC: ActionSpec = ActionSpec {
        name: "TestOnlyAction",
        family: Family::Room,
        method: Method::Post,
        success_message: "success",
        parameter_code: 2,
        legacy: Legacy::NONE,
        params: PARAMS,
        quotas: &[],
        sequence: None,
        feature: None,
        doc: "(test)",
    };

    fn run(query: &str, body: &str) -> Result<(String, Vec<String>, u64), i64> {
        let q = Params::parse(query);
        let b: Option<Value> = serde_json::from_str(body).ok();
        let args = check(&SPEC, &q, b.as_ref(), 1, Env::Production).map_err(|r| r.code)?;
        Ok((
            args.str("RoomId").unwrap_or_default().to_string(),
            args.each("UserId").map(str::to_string).collect(),
            args.u64("Sequence").unwrap_or(0),
        ))
    }

    const PLAIN: &[Param] = &[
        Param::new("Alpha", Kind::Text { max_bytes: 64 }, 7).optional(),
        Param::new("Beta", Kind::Text { max_bytes: 64 }, 7).optional(),
        Param::new("Gamma", USERS, 7).optional(),
        Param::new("AlphaX", Kind::Text { max_bytes: 64 }, 7).optional(),
    ];

    proptest::proptest! {
        #[test]
        fn located_values_are_the_first_of_each_name(
            pieces in proptest::collection::vec(
                (
                    proptest::prop_oneof![
                        proptest::strategy::Just("Alpha"), proptest::strategy::Just("Beta"),
                        proptest::strategy::Just("AlphaX"), proptest::strategy::Just("Alph%61"),
                        proptest::strategy::Just("AppId"), proptest::strategy::Just("Other"),
                    ],
                    "[ab]{0,2}",
                ),
                0..20,
            )
        ) {
            let spec = ActionSpec { params: PLAIN, ..SPEC };
            let query: Vec<String> = pieces.iter().map(|(n, v)| format!("{n}={v}")).collect();
            let query = query.join("&");
            let q = Params::parse(&query);
            let args = check(&spec, &q, None, 1, Env::Production).map_err(|r| r.reason);
            let args = args.map_err(proptest::test_runner::TestCaseError::fail)?;
            for name in ["Alpha", "Beta", "AlphaX"] {
                // As searched name by name: the first occurrence, an empty one counting as absent.
                proptest::prop_assert_eq!(args.str(name), q.non_empty(name), "{} in {}", name, query);
            }
        }
    }

    #[test]
    fn declared_order_first_failure_wins() {
        // Both RoomId and UserId are wrong: RoomId is declared first.
        assert_eq!(run("UserId=a", r#"{"Layout":1}"#), Err(2));
        assert_eq!(run(&format!("RoomId={}", "r".repeat(129)), "{}"), Err(3));
        assert_eq!(run("RoomId=r", r#"{"Layout":1}"#), Err(2));
        assert_eq!(
            run("RoomId=r&UserId=a&UserId=b&UserId=c&UserId=d", "{}"),
            Err(50011)
        );
        assert_eq!(run("RoomId=r&UserId=a&Category=3", "{}"), Err(2));
        assert_eq!(run("RoomId=r&UserId=a", "{}"), Err(110_200_002));
        assert_eq!(
            run("RoomId=r&UserId=a", r#"{"Layout":{},"Sequence":"x"}"#),
            Err(110_200_002)
        );
        assert_eq!(
            run(&format!("RoomId=r&UserId={}", "u".repeat(65)), "{}"),
            Err(3),
            "a too-long item answers the list's too-long code"
        );
    }

    #[test]
    fn both_array_forms_and_body_values_are_read() {
        let ok = run(
            "RoomId=r&UserId%5B%5D=a&UserId[]=b&UserId=ignored",
            r#"{"Layout":[1],"Sequence":7}"#,
        );
        assert_eq!(
            ok,
            Ok(("r".into(), vec!["a".into(), "b".into()], 7)),
            "bracketed items win over the plain form"
        );
        let plain = run("RoomId=r&UserId=a&UserId=b", r#"{"Layout":null,"x":1}"#);
        assert_eq!(
            plain,
            Err(110_200_002),
            "a null body field counts as absent"
        );
        let plain = run("RoomId=r&UserId=a&UserId=b", r#"{"Layout":"v"}"#);
        assert_eq!(plain, Ok(("r".into(), vec!["a".into(), "b".into()], 0)));
    }

    #[test]
    fn stream_id_form() {
        assert!(is_valid_stream_id("a-Z_09"));
        assert!(is_valid_stream_id(&"x".repeat(256)));
        assert!(!is_valid_stream_id(&"x".repeat(257)));
        assert!(!is_valid_stream_id(""));
        assert!(!is_valid_stream_id("a b"));
        assert!(!is_valid_stream_id("a.b"));
        assert!(!is_valid_stream_id("é"));
    }

    #[test]
    fn ipv4_addresses() {
        const P: &[Param] = &[Param::new("ClientIP", Kind::Ipv4, 30011)];
        let spec = ActionSpec { params: P, ..SPEC };
        let code = |q: &str| {
            check(&spec, &Params::parse(q), None, 1, Env::Production)
                .err()
                .map(|r| r.code)
        };
        assert_eq!(code("ClientIP=119.23.242.129"), None);
        assert_eq!(code("ClientIP=256.1.1.1"), Some(30011));
        assert_eq!(code("ClientIP=::1"), Some(30011), "IPv6 is not supported");
        assert_eq!(code("ClientIP=1.2.3"), Some(30011));
        assert_eq!(
            code(""),
            Some(30011),
            "required here, so missing answers its code"
        );
    }

    #[test]
    fn rtmp_urls() {
        assert!(is_rtmp_url("rtmp://push.example.com/live/s1"));
        assert!(is_rtmp_url("RTMP://h/a?k=v"));
        assert!(!is_rtmp_url("rtmp://h"));
        assert!(!is_rtmp_url("rtmp://h/"));
        assert!(!is_rtmp_url("rtmp://h/?k=v"));
        assert!(!is_rtmp_url("rtmp:///a"));
        assert!(!is_rtmp_url("http://h/a"));
        assert!(!is_rtmp_url("rtmps://h/a"));
        assert!(!is_rtmp_url("rtmp://h/a b"));
        assert!(!is_rtmp_url("h/a"));
    }

    /// The split of an RTMP address, by definition: scheme before the first "://", no blank or
    /// control character anywhere, host up to the first '/', path up to the first '?' or '#'.
    fn plain_split(url: &str) -> Option<(String, String)> {
        let (scheme, rest) = url.split_once("://")?;
        if !scheme.eq_ignore_ascii_case("rtmp")
            || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return None;
        }
        let slash = rest.find('/')?;
        let (host, path) = (&rest[..slash], &rest[slash..]);
        let path = path.split(['?', '#']).next().unwrap_or_default();
        (!host.is_empty() && path.len() > 1).then(|| (host.to_string(), path.to_string()))
    }

    proptest::proptest! {
        #[test]
        fn rtmp_addresses_split_as_the_plain_definition_says(
            url in "(rtmp|RtMp|http|rtmpx)?(://)?[a-z/?#: \\x00\\x1f\\x7f\u{a0}é]{0,40}"
        ) {
            let split = split_rtmp_url(&url).map(|(h, p)| (h.to_string(), p.to_string()));
            proptest::prop_assert_eq!(split, plain_split(&url));
        }

        #[test]
        fn long_blank_free_addresses_split_as_the_plain_definition_says(
            url in "rtmp://[a-z/?#.é]{0,60}"
        ) {
            let split = split_rtmp_url(&url).map(|(h, p)| (h.to_string(), p.to_string()));
            proptest::prop_assert_eq!(split, plain_split(&url));
        }
    }

    #[test]
    fn the_scheme_is_rtmp_in_any_case_and_nothing_else() {
        // Every ASCII byte in every place of the scheme and its "://".
        for at in 0..7 {
            for b in 0u8..0x80 {
                let mut url = b"rtmp://h/a".to_vec();
                url[at] = b;
                let url = String::from_utf8(url).unwrap_or_default();
                assert_eq!(is_rtmp_url(&url), plain_split(&url).is_some(), "{url:?}");
            }
        }
    }

    #[test]
    fn an_address_with_a_blank_or_control_character_is_refused_ascii_or_not() {
        let chars = (0u32..0x80).chain([0x85, 0xa0, 0x2028, 0x3000, 0xe9, 0x4e2d]);
        for c in chars.filter_map(char::from_u32) {
            let blank = c.is_whitespace() || c.is_control();
            let url = format!("rtmp://h/a{c}b");
            assert_eq!(is_rtmp_url(&url), !blank, "{c:?}");
        }
    }
}
