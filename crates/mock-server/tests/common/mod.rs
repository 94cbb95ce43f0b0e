//! Helpers shared by the integration tests: a raw HTTP/1.1 client (so tests can send anything,
//! malformed requests included) and signed queries for the development app.

use serde_json::Value;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zego_mock::{
    signed_query, ManualClock, MockServer, MockServerBuilder, ServeOptions, DEV_APP_ID,
    DEV_SERVER_SECRET,
};

/// A fixed point in time the tests start from: 2023-11-14T22:13:20Z.
pub const T0: i64 = 1_700_000_000;

/// A mock on a frozen clock at [`T0`], serving the development app.
pub async fn frozen() -> (MockServer, ManualClock) {
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder().clock(clock.clone()).start().await;
    (server, clock)
}

/// A mock on a frozen clock at [`T0`] with these serve options, to start once any other setting
/// is made.
pub fn frozen_with(options: ServeOptions) -> MockServerBuilder {
    MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .serve_options(options)
}

/// A raw HTTP answer.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Sends raw bytes on a fresh connection and reads the whole answer (the request should ask for
/// `Connection: close`, or be malformed so the server closes).
pub async fn send_raw(addr: &SocketAddr, request: &[u8]) -> Raw {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    // The server may answer and close before it has read everything we send (an oversized
    // request): a write error then is expected, and the answer is still there to read.
    let _ = stream.write_all(request).await;
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf).await;
    parse_response(&buf)
}

pub fn parse_response(buf: &[u8]) -> Raw {
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(buf)));
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    Raw {
        status,
        head,
        body: buf[split + 4..].to_vec(),
    }
}

/// GET `/?{query}` with `Connection: close`.
pub async fn get_raw(server: &MockServer, query: &str) -> Raw {
    let req = format!(
        "GET /?{query} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address()
    );
    send_raw(server.address(), req.as_bytes()).await
}

/// GET `/?{query}` and decode the JSON envelope, asserting HTTP 200.
pub async fn get(server: &MockServer, query: &str) -> Value {
    let raw = get_raw(server, query).await;
    assert_eq!(raw.status, 200, "{}", raw.head);
    raw.json()
}

/// The `Code` of the answer to `query`.
pub async fn code(server: &MockServer, query: &str) -> i64 {
    let v = get(server, query).await;
    v["Code"]
        .as_i64()
        .unwrap_or_else(|| panic!("no Code in {v}"))
}

/// A query for the development app, signed for `timestamp`.
pub fn dev_query(action: &str, timestamp: i64, params: &[(&str, &str)]) -> String {
    signed_query(
        DEV_APP_ID,
        DEV_SERVER_SECRET,
        action,
        timestamp,
        "4fd24687296dd9f3",
        params,
    )
}

/// A signed CreatCDNTransferRule query with the given StreamId and Sequence.
pub fn creat(timestamp: i64, stream_id: &str, sequence: u64, extra: &[(&str, &str)]) -> String {
    let seq = sequence.to_string();
    let mut params = vec![
        ("StreamId", stream_id),
        ("CDNUrl", "rtmp://cdn.example.com/live/s"),
        ("Sequence", seq.as_str()),
    ];
    params.extend_from_slice(extra);
    dev_query("CreatCDNTransferRule", timestamp, &params)
}

/// A signed ResumeCDNLiveStream query.
pub fn resume(timestamp: i64, stream_id: &str, extra: &[(&str, &str)]) -> String {
    let mut params = vec![("StreamId", stream_id)];
    params.extend_from_slice(extra);
    dev_query("ResumeCDNLiveStream", timestamp, &params)
}

/// Common parameters for the development app, signed for `timestamp`, as raw pairs (so a test
/// can remove or change one).
pub fn common_pairs(action: &str, timestamp: i64) -> Vec<(String, String)> {
    let nonce = "4fd24687296dd9f3";
    vec![
        ("Action".into(), action.into()),
        ("AppId".into(), DEV_APP_ID.to_string()),
        ("SignatureNonce".into(), nonce.into()),
        ("Timestamp".into(), timestamp.to_string()),
        (
            "Signature".into(),
            zego_mock::sign(DEV_APP_ID, nonce, DEV_SERVER_SECRET, timestamp),
        ),
        ("SignatureVersion".into(), "2.0".into()),
    ]
}

pub fn join(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs `action` with a JSON body (signed common parameters in the query).
pub async fn post(server: &MockServer, action: &str, ts: i64, body: &str) -> Raw {
    let q = dev_query(action, ts, &[]);
    let req = format!(
        "POST /?{q} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.address(),
        body.len()
    );
    send_raw(server.address(), req.as_bytes()).await
}

/// Sends a control-plane request and decodes its JSON answer.
pub async fn control(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.address(),
        body.len()
    );
    let raw = send_raw(server.address(), req.as_bytes()).await;
    (raw.status, raw.json())
}
