//! Who may use the control API over HTTP.
//!
//! The control API can replace an app's secret, turn limits off and read the journal, so three
//! checks stand in front of it (`GET /_mock/health` excepted, which tells only a version and an
//! uptime):
//!
//! - **An admin token**, when one is set: every control request must carry
//!   `Authorization: Bearer TOKEN`, or gets HTTP 401. The binary requires one (or generates and
//!   prints one) when it listens on an address other than loopback.
//! - **The Host header**, when no token is set: a control request whose `Host` names anything but
//!   `localhost`, an IP address (`127.0.0.1`, `[::1]`, the bound address) or a name allowed with
//!   [`ControlAccess::allow_host`] gets HTTP 403. A web page the developer visits can resolve its
//!   own name to 127.0.0.1 (DNS rebinding) and read whatever that name serves; the browser still
//!   sends the page's name as `Host`, which this refuses. With a token the check is not needed: no
//!   browser adds the token to a request by itself.
//! - **`Content-Type: application/json` on writes** (`POST`, `PUT`, `PATCH`): any web page can
//!   make the browser send a cross-site `POST` with `text/plain` or a form type without asking;
//!   `application/json` needs a preflight that the mock never grants. Others get HTTP 415.
//!   (`DELETE` has the same preflight whatever its type, and carries no body here.)

use crate::spec::truncate;
use std::fmt;
use std::net::IpAddr;

/// The control API's HTTP access rules: an optional admin token and the host names allowed
/// without one. Its `Debug` never shows the token.
#[derive(Clone, Default)]
pub struct ControlAccess {
    token: Option<Box<str>>,
    hosts: Vec<Box<str>>,
}

impl fmt::Debug for ControlAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ControlAccess")
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("hosts", &self.hosts)
            .finish()
    }
}

/// Why a control request was refused: the HTTP status and a message that names what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDenied {
    /// 401 (no or wrong token), 403 (a Host that is not allowed) or 415 (a write without
    /// `Content-Type: application/json`).
    pub status: u16,
    /// What was wrong and how to send it right; never the token.
    pub message: String,
}

impl ControlAccess {
    /// Requires `Authorization: Bearer TOKEN` on every control request (none when `None`).
    #[must_use]
    pub fn with_token(mut self, token: Option<String>) -> Self {
        self.token = token.map(String::into_boxed_str);
        self
    }

    /// Allows a host name in `Host` besides `localhost` and IP addresses (when no token is set),
    /// for example the name a container is reached by. Case does not matter.
    #[must_use]
    pub fn allow_host(mut self, host: &str) -> Self {
        let host = normalize(host);
        if !host.is_empty() && !self.hosts.iter().any(|h| **h == *host) {
            self.hosts.push(host.into_boxed_str());
        }
        self
    }

    /// Whether a token is required.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Checks a control request's method and headers (raw header values; `None` when absent).
    ///
    /// ```
    /// use zego_mock::ControlAccess;
    /// let open = ControlAccess::default();
    /// assert!(open.check("GET", Some(b"127.0.0.1:7272"), None, None).is_ok());
    /// assert_eq!(open.check("GET", Some(b"evil.example:7272"), None, None).unwrap_err().status, 403);
    /// assert_eq!(open.check("POST", Some(b"localhost"), None, Some(b"text/plain")).unwrap_err().status, 415);
    ///
    /// let locked = ControlAccess::default().with_token(Some("s3cret-token".into()));
    /// assert_eq!(locked.check("GET", Some(b"localhost"), None, None).unwrap_err().status, 401);
    /// assert!(locked.check("GET", Some(b"ci-mock:7272"), Some(b"Bearer s3cret-token"), None).is_ok());
    /// ```
    pub fn check(
        &self,
        method: &str,
        host: Option<&[u8]>,
        authorization: Option<&[u8]>,
        content_type: Option<&[u8]>,
    ) -> Result<(), AccessDenied> {
        match &self.token {
            Some(token) => {
                let given = authorization.and_then(bearer);
                if !given.is_some_and(|g| same(g, token.as_bytes())) {
                    return Err(AccessDenied {
                        status: 401,
                        message: format!(
                            "the control API needs the admin token: send 'Authorization: Bearer TOKEN' ({}; the token is the one given with --admin-token or ZEGO_MOCK_ADMIN_TOKEN, or printed at start)",
                            if given.is_some() {
                                "the token sent is not the right one"
                            } else {
                                "none was sent"
                            }
                        ),
                    });
                }
            }
            None => {
                if let Some(host) = host {
                    let name = host_name(host);
                    if !self.host_allowed(&name) {
                        return Err(AccessDenied {
                            status: 403,
                            message: format!(
                                "the control API answers only requests addressed to localhost or an IP address (Host was '{}'): a web page can point its own name at this machine (DNS rebinding); to reach the mock by another name, start it with --admin-host NAME or an admin token",
                                truncate(&name, 100)
                            ),
                        });
                    }
                }
            }
        }
        if matches!(method, "POST" | "PUT" | "PATCH") && !content_type.is_some_and(is_json) {
            return Err(AccessDenied {
                status: 415,
                message: format!(
                    "control API writes need 'Content-Type: application/json' (got {}): a web page can make a browser send any other type to this machine without asking",
                    content_type.map_or_else(
                        || "none".to_string(),
                        |c| format!("'{}'", truncate(&String::from_utf8_lossy(c), 100))
                    )
                ),
            });
        }
        Ok(())
    }

    fn host_allowed(&self, name: &str) -> bool {
        name == "localhost"
            || name.ends_with(".localhost")
            || name.parse::<IpAddr>().is_ok()
            || self.hosts.iter().any(|h| **h == *name)
    }
}

/// The host part of a `Host` value, lower-cased, without port or trailing dot; an IPv6 literal
/// without its brackets.
fn host_name(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_ascii_lowercase();
    }
    let host = match text.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => text,
    };
    normalize(host)
}

fn normalize(host: &str) -> String {
    host.trim()
        .trim_end_matches('.')
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

fn bearer(value: &[u8]) -> Option<&[u8]> {
    let value = value.trim_ascii();
    let (scheme, rest) = value.split_at(value.iter().position(|b| *b == b' ')?);
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then(|| rest.trim_ascii())
}

/// Compares in time that depends on the lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_json(content_type: &[u8]) -> bool {
    let media = content_type
        .split(|b| *b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    media.eq_ignore_ascii_case(b"application/json")
}

/// A fresh admin token: 32 hex digits from the operating system's random source (or, where it
/// cannot be read, two of the gateway's nonces).
pub fn generate_token() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    match std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)) {
        Ok(()) => hex::encode(bytes),
        Err(_) => crate::gateway::nonce() + &crate::gateway::nonce(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_name_this_machine_pass_and_others_do_not() {
        let a = ControlAccess::default().allow_host("Zego-Mock");
        for ok in [
            "localhost",
            "localhost:7272",
            "LOCALHOST.",
            "127.0.0.1:7272",
            "[::1]:7272",
            "[::1]",
            "10.1.2.3",
            "zego-mock:7272",
            "app.localhost:80",
        ] {
            assert!(
                a.check("GET", Some(ok.as_bytes()), None, None).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "evil.example",
            "evil.example:7272",
            "127.0.0.1.nip.io",
            "localhost.evil.example",
            "x",
        ] {
            let e = a
                .check("GET", Some(bad.as_bytes()), None, None)
                .unwrap_err();
            assert_eq!(e.status, 403, "{bad}");
        }
        // No Host at all (HTTP/1.0) is not a browser.
        assert!(a.check("GET", None, None, None).is_ok());
    }

    #[test]
    fn a_token_is_checked_exactly_and_never_echoed() {
        let a = ControlAccess::default().with_token(Some("tok-123".into()));
        assert!(a
            .check("GET", Some(b"h"), Some(b"Bearer tok-123"), None)
            .is_ok());
        assert!(a
            .check("GET", Some(b"h"), Some(b"bearer  tok-123 "), None)
            .is_ok());
        for bad in [
            &b"Bearer tok-12"[..],
            b"Bearer tok-1234",
            b"Basic tok-123",
            b"tok-123",
            b"Bearer",
        ] {
            let e = a.check("GET", Some(b"h"), Some(bad), None).unwrap_err();
            assert_eq!(e.status, 401);
            assert!(!e.message.contains("tok-123"), "{}", e.message);
        }
        assert_eq!(a.check("GET", None, None, None).unwrap_err().status, 401);
        assert!(!format!("{a:?}").contains("tok-123"));
    }

    #[test]
    fn writes_need_json() {
        let a = ControlAccess::default();
        for ok in [&b"application/json"[..], b"Application/JSON; charset=utf-8"] {
            assert!(a.check("POST", None, None, Some(ok)).is_ok());
        }
        for bad in [
            &b"text/plain"[..],
            b"application/x-www-form-urlencoded",
            b"multipart/form-data; boundary=x",
            b"application/jsonp",
        ] {
            for method in ["POST", "PUT", "PATCH"] {
                let e = a.check(method, None, None, Some(bad)).unwrap_err();
                assert_eq!(e.status, 415);
            }
        }
        assert_eq!(a.check("POST", None, None, None).unwrap_err().status, 415);
        assert!(a.check("DELETE", None, None, None).is_ok());
        assert!(a.check("GET", None, None, Some(b"text/plain")).is_ok());
    }

    #[test]
    fn generated_tokens_differ() {
        let (a, b) = (generate_token(), generate_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
