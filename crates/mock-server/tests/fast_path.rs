//! The main port's fast path for plain `GET /?...` requests answers exactly as hyper does, and
//! hands a connection to hyper, nothing lost, at the first request it does not take.

use crate::common::{dev_query, frozen, frozen_with, resume, T0};
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
/// RequestId) written as placeholders, its date checked for the form hyper writes.
fn normalized((head, body): (String, String)) -> String {
    for date in head.lines().filter_map(|l| l.strip_prefix("date: ")) {
        assert!(date.ends_with(" GMT") && date.len() == 29, "{date:?}");
    }
    placeholders(format!("{head}\r\n\r\n{body}").as_bytes())
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

/// (A stop closing a connection that waits after an answer is `hostile.rs`'s
/// `stopping_closes_an_idle_keep_alive_connection_after_its_answer`, on this path too.)
#[tokio::test]
async fn an_idle_connection_after_an_answer_is_closed_at_the_header_read_timeout() {
    let server = frozen_with(zego_mock::ServeOptions {
        header_read_timeout: std::time::Duration::from_millis(200),
        ..Default::default()
    })
    .start()
    .await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    let get = format!(
        "GET /?{} HTTP/1.1\r\nHost: h\r\n\r\n",
        resume(T0, "s1", &[])
    );
    s.write_all(get.as_bytes()).await.expect("write");
    let mut pending = Vec::new();
    let (_, body) = read_answer(&mut s, &mut pending).await;
    assert!(body.contains("\"Code\":0"), "{body}");
    // Nothing more is sent: the server closes the connection by itself (the guard only stops
    // a broken build from hanging).
    let mut rest = Vec::new();
    let closed =
        tokio::time::timeout(std::time::Duration::from_secs(10), s.read_to_end(&mut rest)).await;
    assert!(matches!(closed, Ok(Ok(0))), "{closed:?} {rest:?}");
}

/// Every byte a server wrote on a fresh connection for `request`, followed by a request that
/// asks to close (a head the server refused closes it before that).
async fn exchange(addr: &std::net::SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let closing = b"GET /?Action=Last HTTP/1.1\r\nHost: last\r\nConnection: close\r\n\r\n";
    // A server that refused the head may close before taking the rest: a write error then is
    // part of what is compared (the answer is still there to read).
    let _ = s.write_all(&[request, closing].concat()).await;
    let mut all = Vec::new();
    let read =
        tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut all)).await;
    assert!(
        read.is_ok(),
        "no close after {:?}",
        String::from_utf8_lossy(request)
    );
    all
}

/// `bytes` with each answer's date and RequestId written as placeholders.
fn placeholders(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let dated = blank_each(&text, "date: ", "\r\n", "<date>");
    blank_each(&dated, "\"RequestId\":\"", "\"", "<id>")
}

/// `text` with what follows each `marker`, up to the next `end`, written as `placeholder`.
fn blank_each(text: &str, marker: &str, end: &str, placeholder: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at + marker.len()]);
        out.push_str(placeholder);
        rest = &rest[at + marker.len()..];
        rest = &rest[rest.find(end).unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// A request head built from parts that keep it on the fast path or send it to hyper: methods,
/// targets with every byte class the `http` crate tells apart, versions, headers that change how
/// hyper reads the request, and bare `\n` line ends. Most parts are the usual ones, so that most
/// heads differ from a fast-path one in one place.
fn request_strategy() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let method = prop_oneof![
        8 => Just("GET"),
        1 => prop::sample::select(vec!["POST", "HEAD", "get", "PUT"]),
    ];
    let query_byte = prop_oneof![
        8 => prop::sample::select(b"aZ09-_.~=&%+".to_vec()),
        2 => prop::sample::select(
            b"!$'()*,;:@/?#\"<>{}|\\^` \t\x7f\x01\xc3\xa9\xff".to_vec()
        ),
    ];
    let query = prop::collection::vec(query_byte, 0..10)
        .prop_map(|q| String::from_utf8_lossy(&q).into_owned());
    let target = prop_oneof![
        3 => Just(format!("/?{}", resume(T0, "s1", &[]))),
        3 => query.clone().prop_map(|q| format!("/?{}&x={q}", resume(T0, "s1", &[]))),
        3 => query.prop_map(|q| format!("/?Action=ResumeCDNLiveStream&x={q}")),
        1 => Just("/".to_string()),
        1 => Just("/nope?Action=X".to_string()),
        1 => Just("http://rtc-api.zego.im/?Action=X".to_string()),
        1 => Just("*".to_string()),
    ];
    let version = prop_oneof![
        6 => Just("HTTP/1.1"),
        1 => prop::sample::select(vec!["HTTP/1.0", "HTTP/2.0"]),
    ];
    let header = prop::sample::select(vec![
        "Host: mock.test",
        "host: other.test",
        "Host:",
        "User-Agent: proptest",
        "Connection: keep-alive",
        "connection: Keep-Alive",
        "Connection: close",
        "Content-Length: 0",
        "Expect: 100-continue",
        "Upgrade: websocket",
        "TE: trailers",
        "X-Obs: \u{e9}",
        "Bad Name: x",
        " Folded: x",
    ]);
    let headers = prop::collection::vec(header, 0..3);
    let bare_lf = prop::bool::weighted(0.1);
    (method, target, version, headers, bare_lf).prop_map(|(m, t, v, hs, lf)| {
        let eol = if lf { "\n" } else { "\r\n" };
        let mut head = format!("{m} {t} {v}{eol}");
        for h in hs {
            head.push_str(h);
            head.push_str(eol);
        }
        head.push_str(eol);
        head.into_bytes()
    })
}

/// Against a mock with the fast path off, the same bytes come back for any request (after the
/// date and the RequestId), and the journals agree.
#[test]
fn any_request_is_answered_as_hyper_answers_it() {
    use proptest::test_runner::{Config, TestRunner};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let start = |fast_path: bool| {
        runtime.block_on(
            frozen_with(zego_mock::ServeOptions {
                fast_path,
                ..Default::default()
            })
            .start(),
        )
    };
    let (fast, hyper_only) = (start(true), start(false));
    let mut runner = TestRunner::new(Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&request_strategy(), |request| {
            let (a, b) = runtime.block_on(async {
                (
                    exchange(fast.address(), &request).await,
                    exchange(hyper_only.address(), &request).await,
                )
            });
            proptest::prop_assert_eq!(
                placeholders(&a),
                placeholders(&b),
                "for {:?}",
                String::from_utf8_lossy(&request)
            );
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let journal = |server: &zego_mock::MockServer| -> Vec<_> {
        server
            .received()
            .into_iter()
            .map(|e| (e.method, e.path, e.host, e.params, e.status, e.code))
            .collect()
    };
    let (fast_journal, hyper_journal) = (journal(&fast), journal(&hyper_only));
    // Most requests reached the engine (the others were refused by hyper's parser, or asked
    // to close before the closing request).
    assert!(fast_journal.len() > 300, "{}", fast_journal.len());
    assert_eq!(fast_journal, hyper_journal);
}

#[tokio::test]
async fn thousands_of_pipelined_requests_are_all_answered_in_order() {
    let (server, _clock) = frozen().await;
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    // 3,000 of the shortest head there is: each answer is about ten times its request, more
    // than the fast path keeps before it writes.
    let requests = "GET / HTTP/1.1\r\n\r\n".repeat(3_000);
    let (mut reader, mut writer) = s.split();
    let write = async {
        writer.write_all(requests.as_bytes()).await.expect("write");
    };
    let read = async {
        let mut all = Vec::new();
        let mut chunk = [0u8; 65536];
        let mut answers = 0;
        while answers < 3_000 {
            let n = reader.read(&mut chunk).await.expect("read");
            assert!(n > 0, "closed after {answers} answers");
            all.extend_from_slice(&chunk[..n]);
            answers = all.windows(9).filter(|w| w == b"HTTP/1.1 ").count();
        }
        all
    };
    let ((), all) = tokio::join!(write, read);
    let text = String::from_utf8(all).expect("UTF-8");
    let ids: Vec<u64> = text
        .split("\"RequestId\":\"")
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').expect("ends")]
                .parse()
                .expect("digits")
        })
        .collect();
    assert_eq!(ids.len(), 3_000);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "answered out of order");
}

/// What a client reads when the server stops while its request waits out an injected latency.
async fn answer_of_a_request_delayed_across_a_stop(fast_path: bool) -> String {
    let server = frozen_with(zego_mock::ServeOptions {
        fast_path,
        ..Default::default()
    })
    .start()
    .await;
    server
        .add_fault(zego_mock::FaultSpec::latency_millis(1_000))
        .expect("fault");
    let mut s = TcpStream::connect(server.address()).await.expect("connect");
    let get = format!(
        "GET /?{} HTTP/1.1\r\nHost: h\r\n\r\n",
        resume(T0, "s1", &[])
    );
    s.write_all(get.as_bytes()).await.expect("write");
    // The fault fired: the request is waiting. Then the server stops.
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while server.faults()[0].fired == 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the fault fired");
    drop(server);
    let mut all = Vec::new();
    let read =
        tokio::time::timeout(std::time::Duration::from_secs(10), s.read_to_end(&mut all)).await;
    assert!(matches!(read, Ok(Ok(_))), "{read:?}");
    placeholders(&all)
}

#[tokio::test]
async fn a_request_waiting_when_the_server_stops_is_answered_and_its_connection_closed() {
    let fast = answer_of_a_request_delayed_across_a_stop(true).await;
    let hyper = answer_of_a_request_delayed_across_a_stop(false).await;
    assert_eq!(fast, hyper);
    assert!(fast.contains("\r\nconnection: close\r\n"), "{fast}");
    assert!(fast.contains("\"Code\":0"), "{fast}");
}
