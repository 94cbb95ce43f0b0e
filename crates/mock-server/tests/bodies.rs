//! Request bodies: the server reads them (bounded, with a read timeout), the pipeline receives
//! them, and the journal keeps them. POST with a JSON body is how the stream-mixing actions are
//! called; until one is served, a POST reaches the pipeline and is refused there by method.

use crate::common;

use common::{dev_query, frozen, send_raw, T0};
use serde_json::json;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use zego_mock::{Incoming, JournalFilter, MockServer, ServeOptions, JOURNAL_BODY_LIMIT};

fn post(server: &MockServer, query: &str, body: &[u8]) -> Vec<u8> {
    let mut req = format!(
        "POST /?{query} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.address(),
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    req
}

#[tokio::test]
async fn a_post_with_a_json_body_reaches_the_pipeline_and_the_journal() {
    // Arrange
    let (server, _clock) = frozen().await;
    let query = dev_query("CreatCDNTransferRule", T0, &[("StreamId", "s1")]);
    let body = json!({"TaskId": "task-1", "MixInput": [{"StreamId": "a"}]}).to_string();
    // Act
    let raw = send_raw(server.address(), &post(&server, &query, body.as_bytes())).await;
    // Assert: the pipeline knew the action and refused the method it is not documented with.
    assert_eq!(raw.status, 405, "{}", raw.head);
    let v = raw.json();
    assert_eq!(v["Code"], -1);
    assert!(v["Message"]
        .as_str()
        .expect("message")
        .contains("CreatCDNTransferRule is documented as GET; this request used POST"));
    let entries = server.journal(&JournalFilter::default());
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.method, "POST");
    assert_eq!(e.action.as_deref(), Some("CreatCDNTransferRule"));
    assert_eq!(e.body.as_deref(), Some(body.as_str()));
    assert!(e.params.iter().any(|(n, v)| n == "StreamId" && v == "s1"));
    // A GET without a body has none in the journal, in Rust and over HTTP.
    common::get(
        &server,
        &dev_query("ResumeCDNLiveStream", T0, &[("StreamId", "s")]),
    )
    .await;
    let entries = server.journal(&JournalFilter::default());
    assert_eq!(entries[1].body, None);
    let req = format!(
        "GET /_mock/journal HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address()
    );
    let journal = send_raw(server.address(), req.as_bytes()).await.json();
    assert_eq!(journal["entries"][0]["body"], body.as_str());
    assert!(journal["entries"][1].get("body").is_none(), "{journal}");
}

#[test]
fn the_pipeline_takes_a_body_without_a_socket_and_the_journal_bounds_it() {
    let engine = MockServer::builder().build_engine();
    let big = vec![b'x'; JOURNAL_BODY_LIMIT + 10];
    let answer = engine.handle(Incoming::post(b"Action=DescribeRTCStreamState", &big));
    assert_eq!(answer.status, 405);
    let entries = engine.journal(&JournalFilter::default());
    let kept = entries[0].body.as_deref().expect("body kept");
    assert!(kept.starts_with(&"x".repeat(JOURNAL_BODY_LIMIT)));
    assert!(
        kept.ends_with(&format!("… ({} bytes in all)", JOURNAL_BODY_LIMIT + 10)),
        "{}",
        &kept[JOURNAL_BODY_LIMIT..]
    );
}

#[tokio::test]
async fn an_oversized_body_gets_413_and_the_server_keeps_serving() {
    let server = MockServer::builder()
        .serve_options(ServeOptions {
            max_body_bytes: 1024,
            ..ServeOptions::default()
        })
        .start()
        .await;
    let query = dev_query("ResumeCDNLiveStream", T0, &[("StreamId", "s")]);
    let raw = send_raw(server.address(), &post(&server, &query, &[b'{'; 4096])).await;
    assert_eq!(raw.status, 413, "{}", raw.head);
    assert!(raw.json()["error"]
        .as_str()
        .expect("error")
        .contains("larger than 1024 bytes"));
    // Nothing reached the pipeline.
    assert!(server.journal(&JournalFilter::default()).is_empty());
    let ok = send_raw(server.address(), &post(&server, &query, b"{}")).await;
    assert_eq!(ok.status, 405, "{}", ok.head);
}

#[tokio::test]
async fn a_body_that_stops_arriving_gets_408_and_the_connection_closes() {
    let server = MockServer::builder()
        .serve_options(ServeOptions {
            body_read_timeout: Duration::from_millis(200),
            ..ServeOptions::default()
        })
        .start()
        .await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    s.write_all(
        b"POST /?Action=StartMix HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Task",
    )
    .await
    .expect("write");
    // The server answers and closes by itself; the guard only stops a broken build from hanging.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::io::AsyncReadExt::read_to_end(&mut s, &mut buf),
    )
    .await;
    assert!(read.is_ok(), "the stalled body was not cut");
    let raw = common::parse_response(&buf);
    assert_eq!(raw.status, 408, "{}", raw.head);
    assert!(raw.head.to_ascii_lowercase().contains("connection: close"));
    assert!(server.journal(&JournalFilter::default()).is_empty());
}
