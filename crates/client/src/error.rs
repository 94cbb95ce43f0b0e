//! The one error type of the client, and the service error it may carry.

use crate::codes::{ErrorCode, Family};
use bytes::Bytes;
use std::error::Error as StdError;
use std::fmt;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Why a call failed.
///
/// The error is opaque; it says *where* the call failed, through predicates:
///
/// - [`is_builder`](Error::is_builder): the client was never built (a bad setting);
/// - [`is_transport`](Error::is_transport): the request was not sent or no answer came back
///   (connection refused, TLS, [timeout](Error::is_timeout));
/// - [`is_decode`](Error::is_decode): an answer came but is not a ZEGO response envelope (the raw
///   body is kept: [`body`](Error::body));
/// - [`api_error`](Error::api_error): ZEGO answered with a non-zero `Code`.
///
/// and says what to do about it: [`is_throttling`](Error::is_throttling),
/// [`is_retryable`](Error::is_retryable), [`is_auth`](Error::is_auth).
///
/// Neither `Display` nor `Debug` ever shows the ServerSecret.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: Kind,
    action: Option<&'static str>,
    attempts: u32,
    source: Option<BoxError>,
}

enum Kind {
    Builder(String),
    Transport {
        timeout: bool,
    },
    Decode {
        status: u16,
        body: Bytes,
        reason: String,
    },
    Api(ApiError),
}

impl Error {
    fn new(kind: Kind, source: Option<BoxError>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                action: None,
                attempts: 1,
                source,
            }),
        }
    }

    pub(crate) fn builder(reason: impl Into<String>) -> Self {
        Self::new(Kind::Builder(reason.into()), None)
    }

    pub(crate) fn builder_with(reason: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::new(Kind::Builder(reason.into()), Some(source.into()))
    }

    pub(crate) fn transport(source: impl Into<BoxError>) -> Self {
        Self::new(Kind::Transport { timeout: false }, Some(source.into()))
    }

    pub(crate) fn timeout() -> Self {
        Self::new(Kind::Transport { timeout: true }, None)
    }

    pub(crate) fn decode(
        status: u16,
        body: Bytes,
        reason: impl Into<String>,
        source: Option<BoxError>,
    ) -> Self {
        Self::new(
            Kind::Decode {
                status,
                body,
                reason: reason.into(),
            },
            source,
        )
    }

    pub(crate) fn api(err: ApiError) -> Self {
        Self::new(Kind::Api(err), None)
    }

    pub(crate) fn with_action(mut self, action: &'static str) -> Self {
        self.inner.action = Some(action);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// The wire name of the action the call was for (`None` for a builder error).
    pub fn action(&self) -> Option<&str> {
        self.inner.action
    }

    /// How many attempts were made before the call gave up (1 without retries).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the client was never built: a setting of [`ClientBuilder`](crate::ClientBuilder)
    /// was missing or invalid.
    pub fn is_builder(&self) -> bool {
        matches!(self.inner.kind, Kind::Builder(_))
    }

    /// Whether the request never got an answer: connecting, TLS, sending or receiving failed, or
    /// the request timed out.
    pub fn is_transport(&self) -> bool {
        matches!(self.inner.kind, Kind::Transport { .. })
    }

    /// Whether the request timed out (a transport error).
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, Kind::Transport { timeout: true })
    }

    /// Whether an answer came back that is not a ZEGO response envelope (an HTTP error status,
    /// a body that is not JSON, or `Data` of an unexpected shape).
    pub fn is_decode(&self) -> bool {
        matches!(self.inner.kind, Kind::Decode { .. })
    }

    /// Whether ZEGO answered with a non-zero `Code`.
    pub fn is_api(&self) -> bool {
        matches!(self.inner.kind, Kind::Api(_))
    }

    /// The service error, when ZEGO answered with a non-zero `Code`.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &self.inner.kind {
            Kind::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The code ZEGO answered with, when it answered with a non-zero `Code`.
    pub fn code(&self) -> Option<ErrorCode> {
        self.api_error().map(ApiError::code)
    }

    /// ZEGO's `Message`, when it answered with a non-zero `Code`.
    pub fn message(&self) -> Option<&str> {
        self.api_error().map(ApiError::message)
    }

    /// ZEGO's `RequestId`, when it answered with a non-zero `Code` (quote it to ZEGO's support).
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().map(ApiError::request_id)
    }

    /// The HTTP status of an undecodable answer.
    pub fn status(&self) -> Option<u16> {
        match &self.inner.kind {
            Kind::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw body of an undecodable answer.
    pub fn body(&self) -> Option<&[u8]> {
        match &self.inner.kind {
            Kind::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the call was throttled (ZEGO's rate-limit codes, which depend on the action's
    /// family: 30002, 5007 and 1010 for the media-service actions, 7 for the CDN live-stream
    /// actions, 206 and 207 for room signaling, 110200190, 110200191 and 110200194 for stream
    /// mixing; see [`ErrorCode::is_throttling`]).
    pub fn is_throttling(&self) -> bool {
        self.api_error().is_some_and(ApiError::is_throttling)
    }

    /// Whether the request's credentials were refused (signature, secret, unknown app, or a
    /// timestamp too far from the server's time), read in the action's family (3 is
    /// "Authentication failed." for the CDN live-stream actions, not for room signaling).
    pub fn is_auth(&self) -> bool {
        self.api_error().is_some_and(ApiError::is_auth)
    }

    /// Whether trying the call again (signed afresh) may succeed: throttling, transient server
    /// codes, transport failures, and HTTP 429 or 5xx answers.
    pub fn is_retryable(&self) -> bool {
        match &self.inner.kind {
            Kind::Builder(_) => false,
            Kind::Transport { .. } => true,
            Kind::Decode { status, .. } => *status == 429 || (500..600).contains(status),
            Kind::Api(e) => e.is_retryable(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(action) = self.inner.action {
            write!(f, "{action}: ")?;
        }
        match &self.inner.kind {
            Kind::Builder(reason) => write!(f, "invalid client configuration: {reason}")?,
            Kind::Transport { timeout: true } => f.write_str("the request timed out")?,
            Kind::Transport { timeout: false } => f.write_str("transport error")?,
            Kind::Decode { status, reason, .. } => {
                write!(f, "undecodable answer (HTTP {status}): {reason}")?;
            }
            Kind::Api(e) => write!(f, "{e}")?,
        }
        // The whole chain of causes: "client error (Connect): tcp connect error: ..." says more
        // than its first link.
        let mut cause = self
            .inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static));
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        if self.inner.attempts > 1 {
            write!(f, " (after {} attempts)", self.inner.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        match &self.inner.kind {
            Kind::Builder(reason) => d.field("kind", &"builder").field("reason", reason),
            Kind::Transport { timeout } => d.field("kind", &"transport").field("timeout", timeout),
            Kind::Decode {
                status,
                body,
                reason,
            } => d
                .field("kind", &"decode")
                .field("status", status)
                .field("reason", reason)
                .field("body", &String::from_utf8_lossy(body)),
            Kind::Api(e) => d.field("kind", &"api").field("api", e),
        };
        d.field("action", &self.inner.action)
            .field("attempts", &self.inner.attempts)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.inner.kind {
            Kind::Api(e) => Some(e),
            _ => self
                .inner
                .source
                .as_deref()
                .map(|e| e as &(dyn StdError + 'static)),
        }
    }
}

/// ZEGO answered with a non-zero `Code`: the code, the message and the request id, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    request_id: String,
    action: &'static str,
    family: Family,
}

impl ApiError {
    pub(crate) fn new(
        code: i64,
        message: String,
        request_id: String,
        action: &'static str,
        family: Family,
    ) -> Self {
        Self {
            code: ErrorCode::lookup(family, code),
            message,
            request_id,
            action,
            family,
        }
    }

    /// The code, as a documented [`ErrorCode`] of the action's family (or the gateway's), or
    /// [`ErrorCode::Unknown`].
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The `Message` ZEGO sent.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `RequestId` ZEGO sent (quote it to ZEGO's support).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The wire name of the action that was answered.
    pub fn action(&self) -> &str {
        self.action
    }

    /// The family of the action that was answered: the table the code was read in.
    pub fn family(&self) -> Family {
        self.family
    }

    /// Whether the code is one of the action's rate-limit codes.
    pub fn is_throttling(&self) -> bool {
        self.code.is_throttling(self.family)
    }

    /// Whether the code says the credentials were refused.
    pub fn is_auth(&self) -> bool {
        self.code.is_auth(self.family)
    }

    /// Whether the code is transient (throttling or a server-side failure worth retrying).
    pub fn is_retryable(&self) -> bool {
        self.code.is_retryable(self.family)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ZEGO answered code {}: {:?} (RequestId {:?})",
            self.code.as_i64(),
            self.message,
            self.request_id
        )
    }
}

impl StdError for ApiError {}
