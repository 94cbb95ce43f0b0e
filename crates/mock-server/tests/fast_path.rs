//! The main port's fast path for plain `GET /?...` requests answers exactly as hyper does, and
//! hands a connection to hyper, nothing lost, at the first request it does not take.

use crate::common::{dev_query, frozen, resume, T0};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads one answer from a keep-alive connection: its head and its `content-length` bytes of
/// body.
async fn read_answer(stream: &mut TcpStream, pending: &mut Vec<u8>) -> (String, String) {
    loop {
        if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8(pending[..end].to_vec()).expect("ASCII head");
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no content-length in {head:?}"));
            let total = end + 4 + len;
            while pending.len() < total {
                read_more(stream, pending).await;
            }
            let body = String::from_utf8(pending[end + 4..total].to_vec()).expect("UTF-8 body");
            pending.drain(..total);
            return (head, body);
        }
        read_more(stream, pending).await;
    }
}

async fn read_more(stream: &mut TcpStream, pending: &mut Vec<u8>) {
    let mut chunk = [0u8; 4096];
    let n = stream.read(&mut chunk).await.expect("read");
    assert!(
        n > 0,
        "closed with {:?} unread",
        String::from_utf8_lossy(pending)
    );
    pending.extend_from_slice(&chunk[..n]);
}

/// The answer with its two values that change from request to request (the date and the
/// RequestId) written as placeholders.
fn normalized((head, body): (String, String)) -> String {
    let head: Vec<String> = head
        .lines()
        .map(|l| match l.strip_prefix("date: ") {
            Some(date) => {
                assert!(date.ends_with(" GMT") && date.len() == 29, "{date:?}");
                "date: <date>".to_string()
            }
            None => l.to_string(),
        })
        .collect();
    let body = match body.split_once("\"RequestId\":\"") {
        Some((before, after)) => {
            let digits = after.find('"').expect("RequestId ends");
            format!("{before}\"RequestId\":\"<id>{}", &after[digits..])
        }
        None => body,
    };
    format!("{}\r\n\r\n{body}", head.join("\r\n"))
}

#[tokio::test]
async fn the_fast_path_answers_byte_for_byte_as_hyper_does() {
    let (server, _clock) = frozen().await;
    let mut bad_signature = resume(T0, "s1", &[]);
    bad_signature = bad_signature.replace("Signature=", "Signature=0");
    let queries = [
        resume(T0, "s1", &[]),
        dev_query("DescribeUserNum", T0, &[("RoomId[]", "r1")]),
        bad_signature,
        resume(T0 - 3_600, "s1", &[]),
        resume(T0, "bad id!", &[]),
        "Action=NoSuchAction".to_string(),
        String::new(),
        // A GET of an action documented as POST: HTTP 405.
        dev_query("StartMix", T0, &[]),
    ];
    // One connection the fast path serves, one hyper serves (a `Connection` header sends every
    // request of it to hyper, which adds nothing to its answers for HTTP/1.1).
    let mut fast = TcpStream::connect(server.address()).await.expect("connect");
    let mut slow = TcpStream::connect(server.address()).await.expect("connect");
    let (mut fast_read, mut slow_read) = (Vec::new(), Vec::new());
    let mut statuses = Vec::new();
    for query in &queries {
        let request = format!("GET /?{query} HTTP/1.1\r\nHost: mock.test\r\n");
        fast.write_all(format!("{request}\r\n").as_bytes())
            .await
            .expect("write");
        let by_fast = read_answer(&mut fast, &mut fast_read).await;
        slow.write_all(format!("{request}Connection: keep-alive\r\n\r\n").as_bytes())
            .await
            .expect("write");
        let by_hyper = read_answer(&mut slow, &mut slow_read).await;
        statuses.push(by_hyper.0.lines().next().unwrap_or_default().to_string());
        assert_eq!(normalized(by_fast), normalized(by_hyper), "for {query:?}");
    }
    // Both an API answer and an HTTP error were compared.
    assert!(
        statuses.contains(&"HTTP/1.1 200 OK".to_string()),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&"HTTP/1.1 405 Method Not Allowed".to_string()),
        "{statuses:?}"
    );
    // Every request reached the journal, with the Host it was sent to.
    let hosts: Vec<Option<String>> = server.received().into_iter().map(|e| e.host).collect();
    assert_eq!(hosts.len(), 2 * queries.len(), "{hosts:?}");
    assert!(
        hosts.iter().all(|h| h.as_deref() == Some("mock.test")),
        "{hosts:?}"
    );
}

#[tokio::test]
async fn pipelined_and_split_heads_are_answered_in_order() {
    let (server, _clock) = frozen().await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    let request = |stream: &str| {
        format!(
            "GET /?{} HTTP/1.1\r\nHost: h\r\n\r\n",
            resume(T0, stream, &[])
        )
    };
    // Three whole requests and half of a fourth in one write.
    let fourth = request("s4");
    let (first_half, second_half) = fourth.split_at(fourth.len() / 2);
    let batch = format!(
        "{}{}{}{first_half}",
        request("s1"),
        request("s2"),
        request("s3")
    );
    s.write_all(batch.as_bytes()).await.expect("write");
    let mut pending = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (_, body) = read_answer(&mut s, &mut pending).await;
        let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(v["Code"], 0, "{v}");
        ids.push(
            v["RequestId"]
                .as_str()
                .expect("RequestId")
                .parse::<u64>()
                .expect("digits"),
        );
    }
    s.write_all(second_half.as_bytes()).await.expect("write");
    let (_, body) = read_answer(&mut s, &mut pending).await;
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["Code"], 0, "{v}");
    ids.push(
        v["RequestId"]
            .as_str()
            .expect("RequestId")
            .parse()
            .expect("digits"),
    );
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "answered out of order: {ids:?}"
    );
}

#[tokio::test]
async fn a_connection_goes_on_under_hyper_after_a_request_the_fast_path_leaves() {
    let (server, _clock) = frozen().await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    let get = format!(
        "GET /?{} HTTP/1.1\r\nHost: h\r\n\r\n",
        resume(T0, "s1", &[])
    );
    let body = "[1]";
    let post = format!(
        "POST /?{} HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        dev_query("StartMix", T0, &[]),
        body.len()
    );
    // The GET, the POST (hyper's from here on) and a GET again, pipelined in one write: hyper
    // must be handed the bytes already read.
    s.write_all(format!("{get}{post}{get}").as_bytes())
        .await
        .expect("write");
    let mut pending = Vec::new();
    let mut answers = Vec::new();
    for _ in 0..3 {
        let (head, body) = read_answer(&mut s, &mut pending).await;
        let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        answers.push((head.lines().next().unwrap_or_default().to_string(), v));
    }
    assert_eq!(answers[0].1["Code"], 0, "{:?}", answers[0]);
    // StartMix's body must be a JSON object: a parameter error, not a success; and the POST
    // reached the engine with its body, read from the bytes handed over.
    assert_eq!(answers[1].0, "HTTP/1.1 200 OK");
    assert_ne!(answers[1].1["Code"], 0, "{:?}", answers[1]);
    let post = &server.received()[1];
    assert_eq!(
        (post.method.as_str(), post.body.as_deref()),
        ("POST", Some(body))
    );
    assert_eq!(answers[2].1["Code"], 0, "{:?}", answers[2]);
    // And the connection stays open: one more request, now served by hyper.
    s.write_all(get.as_bytes()).await.expect("write");
    let (_, body) = read_answer(&mut s, &mut pending).await;
    assert!(body.contains("\"Code\":0"), "{body}");
}

#[tokio::test]
async fn a_stop_closes_a_connection_waiting_on_the_fast_path() {
    let (server, _clock) = frozen().await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    let get = format!(
        "GET /?{} HTTP/1.1\r\nHost: h\r\n\r\n",
        resume(T0, "s1", &[])
    );
    s.write_all(get.as_bytes()).await.expect("write");
    let mut pending = Vec::new();
    let (_, body) = read_answer(&mut s, &mut pending).await;
    assert!(body.contains("\"Code\":0"), "{body}");
    // The server stops while the connection waits for its next request: it is closed at once
    // (the stop does not wait out its grace period for it).
    drop(server);
    let mut rest = Vec::new();
    let closed =
        tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut rest)).await;
    assert!(matches!(closed, Ok(Ok(0))), "{closed:?} {rest:?}");
}
