//! [`Client`], its builder, and the one generic call path every action goes through:
//! sign -> send -> decode the envelope -> retry when the policy says so.

use crate::clock::{SequenceGenerator, SigningClock, WallClock};
use crate::error::{ApiError, Error};
use crate::retry::RetryPolicy;
use crate::signing::{self, sign};
use crate::wire::{Encoded, FromData, Operation};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header::{HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The default base URL: ZEGO's unified, region-independent address.
pub const DEFAULT_BASE_URL: &str = "https://rtc-api.zego.im";

/// The default timeout of one attempt (connect, send, and read the whole answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest answer body read; a larger one is an undecodable answer.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

const CLIENT_USER_AGENT: &str = concat!("zego-client/", env!("CARGO_PKG_VERSION"));

/// ZEGO's documented access points for the Server API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// `rtc-api.zego.im`: the unified, region-independent address (the default).
    Unified,
    /// `rtc-api-sha.zego.im`: China (Shanghai).
    Shanghai,
    /// `rtc-api-hkg.zego.im`: Hong Kong, Macao and Taiwan (Hong Kong).
    HongKong,
    /// `rtc-api-fra.zego.im`: Europe (Frankfurt).
    Frankfurt,
    /// `rtc-api-lax.zego.im`: West US (California).
    WestUs,
    /// `rtc-api-bom.zego.im`: Asia Pacific (Mumbai).
    Mumbai,
    /// `rtc-api-sgp.zego.im`: Southeast Asia (Singapore).
    Singapore,
}

impl Region {
    /// Every region.
    pub const ALL: &'static [Region] = &[
        Region::Unified,
        Region::Shanghai,
        Region::HongKong,
        Region::Frankfurt,
        Region::WestUs,
        Region::Mumbai,
        Region::Singapore,
    ];

    /// The region's host name.
    pub fn host(self) -> &'static str {
        match self {
            Region::Unified => "rtc-api.zego.im",
            Region::Shanghai => "rtc-api-sha.zego.im",
            Region::HongKong => "rtc-api-hkg.zego.im",
            Region::Frankfurt => "rtc-api-fra.zego.im",
            Region::WestUs => "rtc-api-lax.zego.im",
            Region::Mumbai => "rtc-api-bom.zego.im",
            Region::Singapore => "rtc-api-sgp.zego.im",
        }
    }

    /// The region's base URL (`https://{host}`).
    ///
    /// ```
    /// assert_eq!(zego_client::Region::Frankfurt.base_url(), "https://rtc-api-fra.zego.im");
    /// ```
    pub fn base_url(self) -> String {
        format!("https://{}", self.host())
    }
}

/// A ServerSecret: its `Debug` never shows the value.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Parses and normalizes a base URL: `http` or `https`, a host, an optional path prefix, no
/// query or fragment. Answers `scheme://authority/path/`, ready for `?query`.
fn normalize_base_url(url: &str) -> Result<String, Error> {
    let invalid = |why: &str| Error::builder(format!("base URL {url:?}: {why}"));
    let uri: hyper::Uri = url
        .parse()
        .map_err(|e| Error::builder_with(format!("base URL {url:?} is not a URL"), e))?;
    let scheme = match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => "https",
        Some(s) if s.eq_ignore_ascii_case("http") => "http",
        Some(_) => return Err(invalid("the scheme must be http or https")),
        None => {
            return Err(invalid(
                "expected an absolute URL such as https://rtc-api.zego.im",
            ))
        }
    };
    let authority = uri
        .authority()
        .ok_or_else(|| invalid("the URL has no host"))?;
    if uri.query().is_some() || url.contains('#') {
        return Err(invalid("the URL must not carry a query or fragment"));
    }
    let path = uri.path().trim_end_matches('/');
    Ok(format!("{scheme}://{authority}{path}/"))
}

/// Builds a [`Client`]. Every setter takes and returns the builder; a setter given an invalid
/// value keeps the error, and [`build`](ClientBuilder::build) returns it (nothing panics).
///
/// ```
/// use std::time::Duration;
/// use zego_client::{Client, Region, RetryPolicy};
///
/// let client = Client::builder()
///     .app_id(12345)
///     .server_secret("9193cc662a4c0ec135ec71fb57194b38")
///     .region(Region::Singapore)
///     .test_environment(true)
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::standard())
///     .build()
///     .expect("valid settings");
/// assert_eq!(client.base_url(), "https://rtc-api-sgp.zego.im/");
///
/// let err = Client::builder().app_id(1).server_secret("s").base_url("ftp://example.com").build();
/// assert!(err.unwrap_err().is_builder());
/// ```
#[must_use]
pub struct ClientBuilder {
    app_id: Option<u32>,
    secret: Option<Secret>,
    base_url: String,
    is_test: bool,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    clock: Arc<dyn SigningClock>,
    /// Extra trusted root certificates, PEM, checked when building.
    extra_roots: Vec<Vec<u8>>,
    error: Option<Error>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app_id", &self.app_id)
            .field("server_secret", &self.secret)
            .field("base_url", &self.base_url)
            .field("is_test", &self.is_test)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("extra_roots", &self.extra_roots.len())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            app_id: None,
            secret: None,
            base_url: format!("{DEFAULT_BASE_URL}/"),
            is_test: false,
            timeout: Some(DEFAULT_TIMEOUT),
            retry: RetryPolicy::disabled(),
            clock: Arc::new(WallClock),
            extra_roots: Vec::new(),
            error: None,
        }
    }
}

impl ClientBuilder {
    fn fail(mut self, error: Error) -> Self {
        // The first failure is the one reported.
        self.error.get_or_insert(error);
        self
    }

    /// The AppId of the project (required).
    pub fn app_id(mut self, app_id: u32) -> Self {
        self.app_id = Some(app_id);
        self
    }

    /// The project's ServerSecret (required, not empty). It signs requests and is never sent,
    /// printed or logged.
    pub fn server_secret(mut self, secret: impl Into<String>) -> Self {
        let secret = secret.into();
        if secret.is_empty() {
            return self.fail(Error::builder("the ServerSecret is empty"));
        }
        self.secret = Some(Secret(secret));
        self
    }

    /// Sends requests to this base URL instead of the default `https://rtc-api.zego.im`: a
    /// regional host, or any `http://` or `https://` URL such as a local mock's.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        match normalize_base_url(url.as_ref()) {
            Ok(base) => {
                self.base_url = base;
                self
            }
            Err(e) => self.fail(e),
        }
    }

    /// Sends requests to one of ZEGO's regional access points.
    pub fn region(self, region: Region) -> Self {
        self.base_url(region.base_url())
    }

    /// Addresses the project's test environment (`IsTest=true` on every request) instead of
    /// production. In the test environment ZEGO requires StreamIds to start with
    /// `zegotest-{AppId}-`.
    pub fn test_environment(mut self, on: bool) -> Self {
        self.is_test = on;
        self
    }

    /// The timeout of each attempt, from connecting to reading the whole answer (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        if timeout.is_zero() {
            return self.fail(Error::builder("the timeout must be longer than zero"));
        }
        self.timeout = Some(timeout);
        self
    }

    /// Waits for answers without a time limit.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// How failed calls are retried (default: [`RetryPolicy::disabled`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock that `Timestamp` and the automatic `Sequence` come from (default: the system
    /// clock). Any `Fn() -> i64` closure of Unix milliseconds is a [`SigningClock`].
    pub fn clock(mut self, clock: impl SigningClock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Also trusts the root certificates in `pem` (one or more `CERTIFICATE` blocks), besides
    /// Mozilla's: for a mock's HTTPS listener, whose certificate its own CA signs (`zego-mock
    /// ca` prints it). A `pem` without a valid certificate makes [`ClientBuilder::build`] fail.
    ///
    /// ```
    /// use zego_client::Client;
    /// let err = Client::builder()
    ///     .app_id(1)
    ///     .server_secret("s")
    ///     .add_root_certificate_pem(b"not a certificate")
    ///     .build();
    /// assert!(err.unwrap_err().is_builder());
    /// ```
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.extra_roots.push(pem.to_vec());
        self
    }

    /// Builds the client, or returns the first invalid or missing setting.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let app_id = self
            .app_id
            .ok_or_else(|| Error::builder("the AppId is not set (ClientBuilder::app_id)"))?;
        let secret = self.secret.ok_or_else(|| {
            Error::builder("the ServerSecret is not set (ClientBuilder::server_secret)")
        })?;
        Ok(Client {
            inner: Arc::new(ClientRef {
                app_id,
                secret,
                base_url: self.base_url,
                is_test: self.is_test,
                timeout: self.timeout,
                retry: self.retry,
                clock: self.clock,
                sequence: SequenceGenerator::default(),
                http: http_client(&self.extra_roots)?,
            }),
        })
    }
}

type HttpClient = hyper_util::client::legacy::Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The TLS configuration trusting Mozilla's roots and the certificates in `extra_roots` (PEM).
fn tls_config(extra_roots: &[Vec<u8>]) -> Result<rustls::ClientConfig, Error> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (i, pem) in extra_roots.iter().enumerate() {
        let which = format!(
            "the root certificate PEM #{} (add_root_certificate_pem)",
            i + 1
        );
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert =
                cert.map_err(|e| Error::builder_with(format!("{which} is not valid PEM"), e))?;
            roots.add(cert).map_err(|e| {
                Error::builder_with(format!("{which} holds an unusable certificate"), e)
            })?;
            found += 1;
        }
        if found == 0 {
            return Err(Error::builder(format!(
                "{which} holds no CERTIFICATE block"
            )));
        }
    }
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::builder_with("TLS could not be set up", e))
        .map(|b| b.with_root_certificates(roots).with_no_client_auth())
}

/// HTTP/1.1 over TCP, with TLS (rustls, ring, Mozilla's roots and `extra_roots`) for
/// `https://`.
fn http_client(extra_roots: &[Vec<u8>]) -> Result<HttpClient, Error> {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    let https = hyper_rustls::HttpsConnectorBuilder::new();
    let https = if extra_roots.is_empty() {
        https
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| Error::builder_with("TLS could not be set up", e))?
    } else {
        https.with_tls_config(tls_config(extra_roots)?)
    };
    let https = https.https_or_http().enable_http1().wrap_connector(http);
    Ok(
        hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(https),
    )
}

/// A client of ZEGO's Server API v2.
///
/// Cheap to clone (an `Arc` inside): clones share the connection pool and the automatic
/// `Sequence`. `Send + Sync`, so one client can serve every task of a program.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientRef>,
}

struct ClientRef {
    app_id: u32,
    secret: Secret,
    base_url: String,
    is_test: bool,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    clock: Arc<dyn SigningClock>,
    sequence: SequenceGenerator,
    http: HttpClient,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.inner;
        f.debug_struct("Client")
            .field("app_id", &c.app_id)
            .field("server_secret", &c.secret)
            .field("base_url", &c.base_url)
            .field("is_test", &c.is_test)
            .field("timeout", &c.timeout)
            .field("retry", &c.retry)
            .finish_non_exhaustive()
    }
}

/// An undecoded answer, from [`Client::send_raw`] or [`Client::get_raw`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body, as received.
    pub body: Bytes,
}

/// A successful answer: `Code` was 0 (or another code the action documents as a successful
/// query, such as DescribeRTCStreamState's 41006 for a closed stream).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Response<T> {
    /// `Code`: 0, or the successful non-zero code the action documents.
    pub code: i64,
    /// `Message` (`"ok"` or `"success"`, depending on the action).
    pub message: String,
    /// `RequestId`.
    pub request_id: String,
    /// `Data`, decoded into the action's type (`()` for actions that answer no data).
    pub data: T,
}

/// Accepts a string, a number or null (as an empty string): ZEGO documents `RequestId` as a
/// string of digits, and a lenient reading costs nothing.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(serde::de::Error::custom(format!(
                "expected a string, found {other}"
            )))
        }
    })
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Code")]
    code: i64,
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    message: String,
    #[serde(rename = "RequestId", default, deserialize_with = "lenient_string")]
    request_id: String,
    #[serde(rename = "Data", default)]
    data: Option<Value>,
}

impl Client {
    /// A builder for a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The AppId requests are signed for.
    pub fn app_id(&self) -> u32 {
        self.inner.app_id
    }

    /// The base URL requests go to, normalized to end in `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Whether requests address the test environment (`IsTest=true`).
    pub fn is_test(&self) -> bool {
        self.inner.is_test
    }

    /// Takes the next automatic `Sequence`: the clock's time in milliseconds, or one more than the
    /// last one taken, whichever is greater. Sequences taken from one client (and its clones)
    /// strictly increase, however many tasks take them at once.
    pub fn next_sequence(&self) -> u64 {
        self.inner.sequence.next(self.inner.clock.now_millis())
    }

    /// Calls an action: signs, sends, decodes the envelope, and retries as the policy says.
    pub(crate) async fn call<O: Operation>(&self, op: &O) -> Result<Response<O::Data>, Error> {
        let encoded = Encoded::of(op).map_err(|e| e.with_action(O::ACTION))?;
        let policy = &self.inner.retry;
        let mut attempt = 1;
        loop {
            let result = self.attempt::<O>(&encoded).await;
            match result {
                Ok(response) => return Ok(response),
                Err(e) if attempt < policy.attempts() && e.is_retryable() => {
                    tokio::time::sleep(policy.delay(attempt)).await;
                    attempt += 1;
                }
                Err(e) => return Err(e.with_action(O::ACTION).with_attempts(attempt)),
            }
        }
    }

    /// One signed request and its decoded answer. The common parameters always travel in the
    /// query; the business parameters and the automatic `Sequence` where the action's method puts
    /// them (see the `wire` module).
    async fn attempt<O: Operation>(&self, encoded: &Encoded) -> Result<Response<O::Data>, Error> {
        let c = &*self.inner;
        // One reading per attempt: the Timestamp and the automatic Sequence come from it.
        let now_millis = c.clock.now_millis();
        let timestamp = now_millis.div_euclid(1000).to_string();
        let nonce = signing::nonce();
        let signature = sign(c.app_id, &nonce, &c.secret.0, now_millis.div_euclid(1000));
        let app_id = c.app_id.to_string();
        let sequence =
            (O::SEQUENCE && !encoded.has_sequence()).then(|| c.sequence.next(now_millis));

        let mut pairs: Vec<(&str, &str)> = vec![
            ("Action", O::ACTION),
            ("AppId", &app_id),
            ("SignatureNonce", &nonce),
            ("Timestamp", &timestamp),
            ("Signature", &signature),
            ("SignatureVersion", "2.0"),
        ];
        if c.is_test {
            pairs.push(("IsTest", "true"));
        }
        let sequence_text = sequence.map(|s| s.to_string());
        let body = match encoded {
            Encoded::Query(params) => {
                pairs.extend(params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                if let Some(sequence) = &sequence_text {
                    pairs.push(("Sequence", sequence));
                }
                None
            }
            Encoded::Body(fields) => {
                let mut fields = fields.clone();
                if let Some(sequence) = sequence {
                    fields.insert("Sequence".into(), Value::from(sequence));
                }
                let bytes = serde_json::to_vec(&fields).map_err(|e| {
                    Error::builder(format!("the request could not be encoded: {e}"))
                })?;
                Some(Bytes::from(bytes))
            }
        };
        let uri = format!("{}?{}", c.base_url, signing::query_string(pairs));
        let (status, body) = self.fetch(O::METHOD.to_hyper(), &uri, body).await?;
        decode::<O>(status, body)
    }

    /// Sends `GET {base_url}?{query}` exactly as given (no signing, no common parameters) and
    /// returns the HTTP status and body undecoded, within the client's timeout. For requests the
    /// typed methods cannot express: conformance tests that send malformed requests on purpose,
    /// or actions this client does not type yet (sign them with [`crate::sign`]). The same as
    /// [`Client::send_raw`] with `GET` and no body.
    ///
    /// ```no_run
    /// # async fn run(client: zego_client::Client) -> Result<(), zego_client::Error> {
    /// let raw = client.get_raw("Action=NoSuchAction").await?;
    /// assert_eq!(raw.status, 200);
    /// # Ok(()) }
    /// ```
    pub async fn get_raw(&self, query: &str) -> Result<RawResponse, Error> {
        self.send_raw("GET", query, None).await
    }

    /// Sends `{method} {base_url}?{query}` exactly as given (no signing, no common parameters)
    /// and returns the HTTP status and body undecoded, within the client's timeout. With a body,
    /// the request carries it as `Content-Type: application/json` (sent as given, not checked to
    /// be JSON). Any method name is sent as is, so a test can also send one ZEGO does not serve.
    ///
    /// ```no_run
    /// # async fn run(client: zego_client::Client) -> Result<(), zego_client::Error> {
    /// let raw = client
    ///     .send_raw("POST", "Action=NoSuchAction", Some(br#"{"RoomId":"r1"}"#))
    ///     .await?;
    /// assert_eq!(raw.status, 200);
    /// # Ok(()) }
    /// ```
    pub async fn send_raw(
        &self,
        method: &str,
        query: &str,
        body: Option<&[u8]>,
    ) -> Result<RawResponse, Error> {
        let method = hyper::Method::from_bytes(method.as_bytes())
            .map_err(|e| Error::builder_with(format!("{method:?} is not an HTTP method"), e))?;
        let uri = format!("{}?{query}", self.inner.base_url);
        let body = body.map(Bytes::copy_from_slice);
        let (status, body) = self.fetch(method, &uri, body).await?;
        Ok(RawResponse { status, body })
    }

    /// [`Client::send`] within the client's timeout.
    async fn fetch(
        &self,
        method: hyper::Method,
        uri: &str,
        body: Option<Bytes>,
    ) -> Result<(u16, Bytes), Error> {
        match self.inner.timeout {
            Some(limit) => tokio::time::timeout(limit, self.send(method, uri, body))
                .await
                .map_err(|_| Error::timeout())?,
            None => self.send(method, uri, body).await,
        }
    }

    /// Sends a request (a JSON body when one is given) and reads the whole answer.
    async fn send(
        &self,
        method: hyper::Method,
        uri: &str,
        body: Option<Bytes>,
    ) -> Result<(u16, Bytes), Error> {
        let json = body.is_some();
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(uri)
            .body(Full::new(body.unwrap_or_default()))
            .map_err(|e| Error::builder_with("the request URI is invalid", e))?;
        let headers = request.headers_mut();
        headers.insert(USER_AGENT, HeaderValue::from_static(CLIENT_USER_AGENT));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if json {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let response = self
            .inner
            .http
            .request(request)
            .await
            .map_err(Error::transport)?;
        let status = response.status().as_u16();
        match Limited::new(response.into_body(), MAX_BODY_BYTES)
            .collect()
            .await
        {
            Ok(collected) => Ok((status, collected.to_bytes())),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(Error::decode(
                status,
                Bytes::new(),
                format!("the answer is longer than {MAX_BODY_BYTES} bytes"),
                None,
            )),
            Err(e) => Err(Error::transport(e)),
        }
    }
}

/// Decodes an answer: the HTTP status, the envelope, then `Data` when `Code` is 0.
fn decode<O: Operation>(status: u16, body: Bytes) -> Result<Response<O::Data>, Error> {
    if status != 200 {
        return Err(Error::decode(
            status,
            body,
            "ZEGO answers every API call with HTTP 200",
            None,
        ));
    }
    let envelope: Envelope = match serde_json::from_slice(&body) {
        Ok(e) => e,
        Err(e) => {
            return Err(Error::decode(
                status,
                body,
                "the body is not a ZEGO response envelope",
                Some(Box::new(e)),
            ))
        }
    };
    if !O::SUCCESS_CODES.contains(&envelope.code) {
        return Err(Error::api(ApiError::new(
            envelope.code,
            envelope.message,
            envelope.request_id,
            O::ACTION,
            O::FAMILY,
        )));
    }
    match O::Data::from_data(envelope.data) {
        Ok(data) => Ok(Response {
            code: envelope.code,
            message: envelope.message,
            request_id: envelope.request_id,
            data,
        }),
        Err(e) => Err(Error::decode(
            status,
            body,
            format!("Data does not have the shape documented for {}", O::ACTION),
            Some(Box::new(e)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalized_or_refused() {
        assert_eq!(
            normalize_base_url("https://rtc-api.zego.im").ok(),
            Some("https://rtc-api.zego.im/".into())
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080/").ok(),
            Some("http://127.0.0.1:8080/".into())
        );
        assert_eq!(
            normalize_base_url("HTTP://h/prefix//").ok(),
            Some("http://h/prefix/".into())
        );
        for bad in [
            "",
            "rtc-api.zego.im",
            "ftp://h",
            "https://h/?a=b",
            "https://h/#f",
            "/just/a/path",
        ] {
            let e = normalize_base_url(bad).expect_err(bad);
            assert!(e.is_builder(), "{bad}");
        }
    }

    #[test]
    fn regions_are_the_documented_hosts() {
        let hosts: Vec<_> = Region::ALL.iter().map(|r| r.host()).collect();
        assert_eq!(
            hosts,
            [
                "rtc-api.zego.im",
                "rtc-api-sha.zego.im",
                "rtc-api-hkg.zego.im",
                "rtc-api-fra.zego.im",
                "rtc-api-lax.zego.im",
                "rtc-api-bom.zego.im",
                "rtc-api-sgp.zego.im"
            ]
        );
    }

    #[test]
    fn builder_reports_the_first_failure_and_missing_settings() {
        let e = Client::builder()
            .server_secret("")
            .base_url("nope")
            .app_id(1)
            .build()
            .expect_err("empty secret");
        assert!(e.is_builder());
        assert!(e.to_string().contains("ServerSecret is empty"), "{e}");

        let e = Client::builder()
            .server_secret("s")
            .build()
            .expect_err("no app id");
        assert!(e.to_string().contains("AppId"), "{e}");
        let e = Client::builder().app_id(1).build().expect_err("no secret");
        assert!(e.to_string().contains("ServerSecret"), "{e}");
        let e = Client::builder()
            .app_id(1)
            .server_secret("s")
            .timeout(Duration::ZERO)
            .build()
            .expect_err("zero timeout");
        assert!(e.is_builder() && !e.is_retryable());
    }

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Client>();
        let c = Client::builder()
            .app_id(7)
            .server_secret("s")
            .build()
            .expect("valid");
        let d = c.clone();
        assert!(Arc::ptr_eq(&c.inner, &d.inner));
        assert_eq!(d.base_url(), "https://rtc-api.zego.im/");
    }
}
