//! A request as the pipeline sees it ([`Incoming`]) and its answer ([`Answer`]), with the JSON
//! envelope every API answer is written in.

use crate::actions::{Action, Data};
use crate::refusal::Refusal;

/// A request as the pipeline sees it: method, path, raw query and body. Build it with
/// [`Incoming::get`], [`Incoming::post`] or [`Incoming::new`].
///
/// ```
/// let req = zego_mock::Incoming::post(b"Action=StartMix&AppId=1", br#"{"TaskId":"t"}"#);
/// assert_eq!(req.method(), "POST");
/// assert_eq!(req.path(), "/");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a [u8],
    /// The query as text, when it is known to be UTF-8 (the server's are).
    query_text: Option<&'a str>,
    body: &'a [u8],
    host: Option<&'a str>,
}

impl<'a> Incoming<'a> {
    /// A request with any method and path, and no body.
    pub fn new(method: &'a str, path: &'a str, query: &'a [u8]) -> Self {
        Self {
            method,
            path,
            query,
            query_text: None,
            body: &[],
            host: None,
        }
    }

    /// The same request with this query, known to be UTF-8 (not validated again).
    #[must_use]
    pub(crate) fn with_query_text(mut self, query: &'a str) -> Self {
        self.query = query.as_bytes();
        self.query_text = Some(query);
        self
    }

    /// The query as text, when it was given as text.
    pub(crate) fn query_text(&self) -> Option<&'a str> {
        self.query_text
    }

    /// `GET /?{query}`.
    pub fn get(query: &'a [u8]) -> Self {
        Self::new("GET", "/", query)
    }

    /// `POST /?{query}` with a (JSON) body.
    pub fn post(query: &'a [u8], body: &'a [u8]) -> Self {
        Self::new("POST", "/", query).with_body(body)
    }

    /// The same request with a body.
    #[must_use]
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The same request, sent to `host` (the `Host` header, the proxy's `CONNECT` target, or
    /// an absolute-form URL's host), which the journal records.
    #[must_use]
    pub fn with_host(mut self, host: Option<&'a str>) -> Self {
        self.host = host;
        self
    }

    /// The host the request was sent to, when known.
    pub fn host(&self) -> Option<&'a str> {
        self.host
    }

    /// The HTTP method, upper-case (`GET`, `POST`, ...).
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The URL path.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The raw query string, without `?`, possibly not UTF-8.
    pub fn query(&self) -> &'a [u8] {
        self.query
    }

    /// The body, possibly empty.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status: 200 for every API answer, success or failure.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
    /// The `Code` sent.
    pub code: i64,
    /// The action, when the request named a known one.
    pub action: Option<Action>,
    /// Why the request was refused, when it was.
    pub refusal: Option<Refusal>,
    /// Real time to wait before answering (an injected latency fault).
    pub delay_millis: u64,
    /// Close the connection instead of answering (an injected fault).
    pub drop_connection: bool,
}

/// The code sent with HTTP-level failures that ZEGO does not document (unknown path, wrong
/// method). It is no ZEGO code, so it can never be mistaken for one.
pub const MOCK_HTTP_ERROR_CODE: i64 = -1;

/// Writes the JSON envelope `{"Code":..,"Message":..,"RequestId":"..","Data":..}` (the field
/// order of ZEGO's examples; `Data` left out when absent). The RequestId is the decimal request
/// number, or for the scene family (whose example is a UUID) a version-4 UUID made from it.
///
/// The answer is written into a buffer kept per thread, then copied into an allocation of
/// exactly its length: the server hands it to hyper as `Bytes` without a second allocation
/// (a `Vec` with spare capacity would need one for its reference count).
pub(crate) fn envelope(
    action: Option<Action>,
    code: i64,
    message: &str,
    request_id: u64,
    data: &Data,
) -> Vec<u8> {
    /// The scratch buffer's largest kept capacity: a larger answer's buffer is let go.
    const KEEP: usize = 16 * 1024;
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    // `write_envelope` never calls back here, so the buffer is never borrowed twice.
    SCRATCH.with_borrow_mut(|out| {
        out.clear();
        write_envelope(out, action, code, message, request_id, data);
        let exact = out.to_vec();
        if out.capacity() > KEEP {
            *out = Vec::new();
        }
        exact
    })
}

/// [`envelope`] into `out`.
fn write_envelope(
    out: &mut Vec<u8>,
    action: Option<Action>,
    code: i64,
    message: &str,
    request_id: u64,
    data: &Data,
) {
    let mut digits = [0u8; 20];
    match action {
        // An action's success (the usual answer) starts the same every time.
        Some(a) if code == 0 && message == a.spec().success_message => match success_head(a) {
            Some(head) => out.extend_from_slice(head),
            None => write_head(out, code, message),
        },
        _ => write_head(out, code, message),
    }
    if action.is_some_and(|a| a.spec().family == crate::codes::Family::Scene) {
        out.extend_from_slice(uuid_v4(request_id).as_bytes());
    } else {
        out.extend_from_slice(crate::gateway::unsigned_decimal(request_id, &mut digits));
    }
    out.push(b'"');
    match data {
        Data::Absent => {}
        Data::Null => out.extend_from_slice(b",\"Data\":null"),
        Data::Value(v) => {
            out.extend_from_slice(b",\"Data\":");
            // Writing into a Vec cannot fail, and a Value always serializes.
            let _ = serde_json::to_writer(&mut *out, v);
        }
        Data::Json(text) => {
            out.extend_from_slice(b",\"Data\":");
            out.extend_from_slice(text.as_bytes());
        }
        Data::Written(bytes) => {
            out.extend_from_slice(b",\"Data\":");
            out.extend_from_slice(bytes);
        }
    }
    out.push(b'}');
}

/// `{"Code":..,"Message":..,"RequestId":"`: the envelope up to the RequestId's value.
fn write_head(out: &mut Vec<u8>, code: i64, message: &str) {
    let mut digits = [0u8; 20];
    out.extend_from_slice(b"{\"Code\":");
    out.extend_from_slice(crate::gateway::decimal(code, &mut digits));
    out.extend_from_slice(b",\"Message\":");
    json_string(out, message);
    out.extend_from_slice(b",\"RequestId\":\"");
}

/// [`write_head`] of an action's success (code 0 and its success message), written once.
fn success_head(action: Action) -> Option<&'static [u8]> {
    static HEADS: [std::sync::OnceLock<Box<[u8]>>; Action::ALL.len()] =
        [const { std::sync::OnceLock::new() }; Action::ALL.len()];
    let head = HEADS.get(action as usize)?.get_or_init(|| {
        let mut out = Vec::new();
        write_head(&mut out, 0, action.spec().success_message);
        out.into_boxed_slice()
    });
    Some(head)
}

/// Writes `s` as a JSON string, exactly as `serde_json` does: a text without `"`, `\\` or a
/// control character (every message the mock writes but a few reasons) is copied as it is.
pub(crate) fn json_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec cannot fail, and a &str always serializes.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// A version-4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`) whose random bits come from
/// `seed`, so that successive request numbers give unrelated-looking, practically distinct UUIDs.
pub(crate) fn uuid_v4(seed: u64) -> String {
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let hi = mix(seed);
    let lo = mix(hi ^ 0x9e37_79b9_7f4a_7c15);
    let hi = (hi & !0xf000) | 0x4000;
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

impl Answer {
    /// An API answer: HTTP 200 and the envelope.
    pub(crate) fn api(
        action: Option<Action>,
        code: i64,
        message: &str,
        request_id: u64,
        data: &Data,
    ) -> Self {
        Self {
            status: 200,
            body: envelope(action, code, message, request_id, data),
            code,
            action,
            refusal: None,
            delay_millis: 0,
            drop_connection: false,
        }
    }

    /// A refused request: HTTP 200, the refusal's code and message, no `Data`.
    pub(crate) fn refused(action: Option<Action>, refusal: Refusal, request_id: u64) -> Self {
        let body = envelope(
            action,
            refusal.code,
            refusal.message(),
            request_id,
            &Data::Absent,
        );
        Self {
            status: 200,
            body,
            code: refusal.code,
            action,
            refusal: Some(refusal),
            delay_millis: 0,
            drop_connection: false,
        }
    }

    /// An HTTP-level failure ZEGO does not document: a JSON error with [`MOCK_HTTP_ERROR_CODE`].
    pub(crate) fn http_error(
        status: u16,
        action: Option<Action>,
        request_id: u64,
        message: &str,
    ) -> Self {
        Self {
            status,
            ..Self::api(
                action,
                MOCK_HTTP_ERROR_CODE,
                &format!("zego-mock: {message}"),
                request_id,
                &Data::Absent,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_s_success_envelope_is_written_as_any_other() {
        for &action in Action::ALL {
            let message = action.spec().success_message;
            let body = envelope(Some(action), 0, message, 42, &Data::Null);
            let v: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
            assert_eq!(v["Code"], 0, "{action:?}");
            assert_eq!(v["Message"], message, "{action:?}");
            assert!(v["RequestId"].is_string(), "{action:?}");
            assert_eq!(v["Data"], serde_json::Value::Null, "{action:?}");
            // The same bytes as the head written out for the occasion.
            let mut head = Vec::new();
            write_head(&mut head, 0, message);
            assert!(body.starts_with(&head), "{action:?}");
            // Twice: the second answer reads the head written for the first.
            assert_eq!(envelope(Some(action), 0, message, 42, &Data::Null), body);
        }
        // Another message, or another code, is written out.
        let action = Action::ALL[0];
        let body = envelope(Some(action), 0, "other", 1, &Data::Absent);
        assert!(body.starts_with(br#"{"Code":0,"Message":"other","RequestId":""#));
        let body = envelope(Some(action), 7, "x", 1, &Data::Absent);
        assert!(body.starts_with(br#"{"Code":7,"Message":"x","RequestId":""#));
    }
}
