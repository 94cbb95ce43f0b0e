//! Malformed input of every kind gets a documented code or a clear JSON error, never a panic or a
//! hang, and the server keeps serving everyone else.

use crate::common;

use common::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

async fn still_serving(server: &zego_mock::MockServer, seq: u64) {
    assert_eq!(code(server, &creat(T0, "alive", seq, &[])).await, 0);
}

#[tokio::test]
async fn bad_encoding_reaches_a_documented_code() {
    let (server, _clock) = frozen().await;
    let cases: [(&str, i64); 7] = [
        ("Action=%FF%FE", 100000007),
        ("Action=%ZZ", 100000007),
        ("Action=Creat%00CDNTransferRule", 100000007),
        ("Action=CreatCDNTransferRule&AppId=%", 100000001),
        ("Action=CreatCDNTransferRule&AppId=1%32", 100000002), // AppId "12" is well-formed; Timestamp is missing
        ("&&&=&==&Action", 100000006),
        (
            "Action=CreatCDNTransferRule&AppId=12&Timestamp=%E2%82%AC",
            100000003,
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(code(&server, query).await, expected, "{query}");
    }
    // Invalid UTF-8 inside a business parameter fails that parameter's check.
    let q = join(&common_pairs("CreatCDNTransferRule", T0)) + "&StreamId=%C3%28&Sequence=1";
    assert_eq!(code(&server, &q).await, 30009);
    still_serving(&server, 1).await;
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_get_a_json_error() {
    let (server, _clock) = frozen().await;
    let raw = send_raw(
        server.address(),
        b"GET /v2/whatever?Action=CreatCDNTransferRule HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(raw.status, 404);
    let v = raw.json();
    assert_eq!(v["Code"], -1);
    assert!(
        v["Message"]
            .as_str()
            .expect("message")
            .contains("/v2/whatever"),
        "{v}"
    );

    let q = creat(T0, "s", 1, &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let req = format!("{method} /?{q} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");
        let raw = send_raw(server.address(), req.as_bytes()).await;
        assert_eq!(raw.status, 405, "{method}");
        let v = raw.json();
        assert!(
            v["Message"].as_str().expect("message").contains("GET"),
            "{v}"
        );
    }
    // None of them was executed: Sequence 1 is still free.
    still_serving(&server, 1).await;
}

#[tokio::test]
async fn a_one_megabyte_query_is_refused_at_the_http_level_without_harm() {
    let (server, _clock) = frozen().await;
    let huge = format!("GET /?Action=CreatCDNTransferRule&StreamId={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(1 << 20));
    let raw = send_raw(server.address(), huge.as_bytes()).await;
    assert!((400..500).contains(&raw.status), "{}", raw.head);
    still_serving(&server, 1).await;
}

#[tokio::test]
async fn a_long_but_acceptable_query_gets_an_api_answer() {
    let (server, _clock) = frozen().await;
    let q = creat(T0, &"a".repeat(5000), 1, &[]);
    assert_eq!(code(&server, &q).await, 30009);
}

#[tokio::test]
async fn garbage_bytes_and_broken_request_lines_do_not_hurt_the_server() {
    let (server, _clock) = frozen().await;
    let garbage: [&[u8]; 5] = [
        b"\x00\x01\x02\x03\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /?Action=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n",
    ];
    for g in garbage {
        let mut s = TcpStream::connect(server.address()).await.expect("connect");
        let _ = s.write_all(g).await;
        let mut buf = Vec::new();
        let _ = tokio::io::AsyncReadExt::read_to_end(&mut s, &mut buf).await;
        if !buf.is_empty() {
            let raw = parse_response(&buf);
            assert!(
                (400..600).contains(&raw.status),
                "{:?} -> {}",
                String::from_utf8_lossy(g),
                raw.head
            );
        }
    }
    still_serving(&server, 1).await;
}

#[tokio::test]
async fn a_stalled_client_does_not_block_others() {
    let (server, _clock) = frozen().await;
    // Half a request that never completes.
    let mut stalled = TcpStream::connect(server.address()).await.expect("connect");
    stalled
        .write_all(b"GET /?Action=CreatCDNTransferRule HTTP/1.1\r\nHost:")
        .await
        .expect("write");
    // Others are served meanwhile.
    for seq in 1..=5 {
        still_serving(&server, seq).await;
    }
    drop(stalled);
}

#[tokio::test]
async fn keep_alive_connections_serve_many_requests() {
    let (server, _clock) = frozen().await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    let mut req = Vec::new();
    for seq in 1..=3 {
        req.extend_from_slice(
            format!(
                "GET /?{} HTTP/1.1\r\nHost: x\r\n\r\n",
                creat(T0, "k", seq, &[])
            )
            .as_bytes(),
        );
    }
    req.extend_from_slice(
        format!(
            "GET /?{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            creat(T0, "k", 3, &[])
        )
        .as_bytes(),
    );
    s.write_all(&req).await.expect("write");
    let mut buf = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut s, &mut buf)
        .await
        .expect("read");
    let text = String::from_utf8_lossy(&buf);
    assert_eq!(text.matches("HTTP/1.1 200").count(), 4, "{text}");
    assert_eq!(text.matches("\"Code\":0").count(), 3, "{text}");
    assert_eq!(text.matches("\"Code\":5005").count(), 1, "{text}");
}

#[tokio::test]
async fn an_answer_carries_its_own_headers_and_none_of_the_request_s() {
    let (server, _clock) = frozen().await;
    let req = format!(
        "GET /?{} HTTP/1.1\r\nHost: x\r\nX-Request-Only: do-not-echo\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        creat(T0, "headers", 1, &[])
    );
    let answer = send_raw(server.address(), req.as_bytes()).await;
    let head = answer.head.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(
        head.contains("content-type: application/json; charset=utf-8"),
        "{head}"
    );
    for echoed in ["x-request-only", "do-not-echo", "accept:", "host:"] {
        assert!(!head.contains(echoed), "{echoed} in {head}");
    }
}

#[tokio::test]
async fn stopping_closes_an_idle_keep_alive_connection_after_its_answer() {
    let (server, _clock) = frozen().await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    let req = format!(
        "GET /?{} HTTP/1.1\r\nHost: x\r\n\r\n",
        creat(T0, "idle", 1, &[])
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = tokio::io::AsyncReadExt::read(&mut s, &mut buf)
        .await
        .expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).contains("\"Code\":0"));
    // The connection stays open, idle, until the server stops: then it is told at once and
    // closed (end of stream), not left until the shutdown's grace runs out and the server's
    // thread ends (half the grace tells the two apart by seconds).
    drop(server);
    let closed = tokio::time::timeout(
        zego_mock::SHUTDOWN_GRACE / 2,
        tokio::io::AsyncReadExt::read(&mut s, &mut buf),
    )
    .await;
    assert!(matches!(closed, Ok(Ok(0))), "{closed:?}");
}

fn limited(
    max_connections: usize,
    header_read_timeout: std::time::Duration,
) -> zego_mock::MockServerBuilder {
    common::frozen_with(zego_mock::ServeOptions {
        max_connections,
        header_read_timeout,
        ..Default::default()
    })
}

#[tokio::test]
async fn connections_beyond_the_cap_get_503_and_freed_slots_are_reused() {
    let server = limited(2, std::time::Duration::from_secs(30)).start().await;
    // Two connections hold both slots (a request each, kept alive).
    let mut held = Vec::new();
    for seq in 1..=2u64 {
        let mut s = TcpStream::connect(server.address()).await.expect("connect");
        let req = format!(
            "GET /?{} HTTP/1.1\r\nHost: x\r\n\r\n",
            creat(T0, "cap", seq, &[])
        );
        s.write_all(req.as_bytes()).await.expect("write");
        let mut buf = [0u8; 1024];
        let n = tokio::io::AsyncReadExt::read(&mut s, &mut buf)
            .await
            .expect("read");
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        held.push(s);
    }
    let raw = get_raw(&server, &creat(T0, "cap", 3, &[])).await;
    assert_eq!(raw.status, 503, "{}", raw.head);
    assert!(raw.json()["Message"]
        .as_str()
        .expect("message")
        .contains("too many connections"));
    drop(held);
    // The slots come back once those connections close (the server notices the close).
    let answered = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let raw = get_raw(&server, &creat(T0, "cap", 3, &[])).await;
            if raw.status == 200 {
                return raw;
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("a slot was freed");
    assert_eq!(answered.json()["Code"], 0);
}

#[tokio::test]
async fn an_idle_client_is_disconnected_after_the_header_read_timeout() {
    let server = limited(16, std::time::Duration::from_millis(200))
        .start()
        .await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    s.write_all(b"GET /?Action=CreatCDNTransferRule HTTP/1.1\r\nHost:")
        .await
        .expect("write");
    // The server closes the connection by itself; the guard only stops a broken build from hanging.
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        tokio::io::AsyncReadExt::read_to_end(&mut s, &mut buf),
    )
    .await;
    assert!(closed.is_ok(), "the stalled connection was not closed");
    still_serving(&server, 1).await;
}

#[tokio::test]
async fn a_client_that_pipelines_and_never_reads_loses_its_slot_after_the_write_timeout() {
    // One connection slot, a short write timeout.
    let server = common::frozen_with(zego_mock::ServeOptions {
        max_connections: 1,
        write_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    })
    .rate_limits(false)
    .start()
    .await;
    // A client sends thousands of requests in one go and never reads an answer: the server's
    // writes fill the socket buffers and stall.
    let mut greedy = TcpStream::connect(server.address()).await.expect("connect");
    let one = format!(
        "GET /?{} HTTP/1.1\r\nHost: x\r\n\r\n",
        resume(T0, "greedy", &[])
    );
    let many = one.repeat(20_000);
    let writer = tokio::spawn(async move {
        // The server stops reading once it cannot write: this write may never finish.
        let _ = greedy.write_all(many.as_bytes()).await;
        greedy
    });
    // The server gives up on it and the slot serves someone else: without the write timeout
    // every later client would get 503 for as long as the greedy one stays connected.
    let answered = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            let raw = get_raw(&server, &resume(T0, "polite", &[])).await;
            if raw.status == 200 {
                return raw;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the stalled connection's slot was freed");
    assert_eq!(answered.json()["Code"], 0);
    writer.abort();
}
