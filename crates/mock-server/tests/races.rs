//! Concurrency: requests racing on one StreamId or one AppId get exactly the answers the rules
//! allow, over real HTTP (an in-process MockServer) and through `Engine::handle` called from many
//! OS threads at once. The clock is frozen, so nothing here depends on timing.
//!
//! How the Sequence race is observed: every request carries a unique Sequence (from a shared
//! atomic counter, so arrival order differs from Sequence order) and a CDNUrl naming it. The
//! mock checks the Sequence, advances it and stores the relay rule inside one critical section,
//! and keeps rules in creation order; so the stored rules list the accepted Sequences in the
//! order the mock accepted them. That order must be strictly increasing, the rules must be
//! exactly the requests answered 0, and the highest Sequence sent must be among them.

use serde_json::Value;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zego_mock::{
    signed_query, Engine, Env, Incoming, ManualClock, MockServer, DEV_APP_ID, DEV_SERVER_SECRET,
};

const T0: i64 = 1_700_000_000;
const RACE_STREAM: &str = "race";

/// A keep-alive HTTP/1.1 connection sending one request at a time.
struct Client {
    stream: TcpStream,
}

impl Client {
    async fn connect(addr: &SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self { stream }
    }

    /// GET `/?{query}` and the decoded envelope; asserts HTTP 200.
    async fn get(&mut self, query: &str) -> Value {
        let request = format!("GET /?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        self.stream
            .write_all(request.as_bytes())
            .await
            .expect("write");
        let mut buf = Vec::new();
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            self.read_more(&mut buf).await;
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .expect("content-length");
        while buf.len() < head_end + length {
            self.read_more(&mut buf).await;
        }
        serde_json::from_slice(&buf[head_end..head_end + length]).expect("JSON body")
    }

    async fn read_more(&mut self, buf: &mut Vec<u8>) {
        let mut chunk = [0u8; 2048];
        let n = self.stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn cdn_url(sequence: u64) -> String {
    format!("rtmp://cdn.example.com/live/{sequence}")
}

/// A CreatCDNTransferRule for `stream` whose CDNUrl names its Sequence.
fn creat(stream: &str, sequence: u64, extra: &[(&str, &str)]) -> String {
    let seq = sequence.to_string();
    let url = cdn_url(sequence);
    let mut params = vec![
        ("StreamId", stream),
        ("CDNUrl", url.as_str()),
        ("Sequence", seq.as_str()),
    ];
    params.extend_from_slice(extra);
    signed_query(
        DEV_APP_ID,
        DEV_SERVER_SECRET,
        "CreatCDNTransferRule",
        T0,
        &format!("{sequence:016x}"),
        &params,
    )
}

fn code(v: &Value) -> i64 {
    v["Code"]
        .as_i64()
        .unwrap_or_else(|| panic!("no Code in {v}"))
}

/// Checks the outcome of a Sequence race: `answers` are (Sequence, Code) as the clients saw
/// them, `rules` the CDNUrls the mock stored for the stream, in creation order.
fn check_sequence_race(answers: &[(u64, i64)], rules: &[Option<String>]) {
    for &(seq, code) in answers {
        assert!(
            code == 0 || code == 5005,
            "Sequence {seq} was answered {code}"
        );
    }
    let accepted_order: Vec<u64> = rules
        .iter()
        .map(|url| {
            url.as_deref()
                .and_then(|u| u.rsplit('/').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("unexpected rule {url:?}"))
        })
        .collect();
    // In the order the mock accepted them, the Sequences strictly increase.
    for (i, pair) in accepted_order.windows(2).enumerate() {
        assert!(
            pair[0] < pair[1],
            "Sequence {} was accepted after {} (accepted #{} and #{i}; around them: {:?})",
            pair[1],
            pair[0],
            i + 1,
            &accepted_order[i.saturating_sub(5)..(i + 7).min(accepted_order.len())]
        );
    }
    // The rules are exactly the requests answered 0: no accepted request was lost, none refused
    // was executed.
    let answered_ok: BTreeSet<u64> = answers
        .iter()
        .filter(|(_, c)| *c == 0)
        .map(|(s, _)| *s)
        .collect();
    let stored: BTreeSet<u64> = accepted_order.iter().copied().collect();
    assert_eq!(
        stored.len(),
        accepted_order.len(),
        "a rule was stored twice"
    );
    assert_eq!(stored, answered_ok);
    // Whenever it arrived, the highest Sequence was greater than anything accepted before it.
    let highest = answers
        .iter()
        .map(|(s, _)| *s)
        .max()
        .expect("some requests");
    assert_eq!(accepted_order.last(), Some(&highest));
    eprintln!(
        "{} requests: {} accepted, {} refused as out of order",
        answers.len(),
        accepted_order.len(),
        answers.len() - accepted_order.len()
    );
    // Every refusal was right: something at least as high had been accepted (unique Sequences,
    // so strictly higher).
    for &(seq, c) in answers {
        if c == 5005 {
            assert!(
                accepted_order.iter().any(|&a| a > seq),
                "Sequence {seq} refused with nothing higher accepted"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_sequences_on_one_stream_over_http_are_accepted_in_increasing_order() {
    // Arrange
    let server = MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .rate_limits(false)
        .start()
        .await;
    let counter = Arc::new(AtomicU64::new(0));
    let addr = *server.address();

    // Act: 32 connections, each sending 25 requests one after another, Sequences taken from
    // one shared counter just before sending.
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let counter = counter.clone();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&addr).await;
            let mut answers = Vec::new();
            for _ in 0..25 {
                let seq = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let query = creat(RACE_STREAM, seq, &[]);
                // Let other tasks run between taking a Sequence and sending it, so requests
                // reach the mock out of Sequence order (no sleeping: only a scheduling point).
                if seq % 3 == 0 {
                    tokio::task::yield_now().await;
                }
                let v = client.get(&query).await;
                answers.push((seq, code(&v)));
            }
            answers
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.extend(t.await.expect("client task"));
    }

    // Assert
    assert_eq!(answers.len(), 800);
    let rules: Vec<Option<String>> = server
        .state(DEV_APP_ID, Env::Production)
        .media
        .relay_rules
        .into_iter()
        .map(|r| r.cdn_url)
        .collect();
    check_sequence_race(&answers, &rules);
}

/// Runs `per_thread` requests from each of `threads` OS threads at once, all released together.
fn from_threads<T: Send>(
    threads: usize,
    per_thread: usize,
    request: impl Fn(usize, usize) -> T + Sync,
) -> Vec<T> {
    let barrier = Barrier::new(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let barrier = &barrier;
                let request = &request;
                scope.spawn(move || {
                    barrier.wait();
                    (0..per_thread).map(|i| request(t, i)).collect::<Vec<T>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("request thread"))
            .collect()
    })
}

fn handle(engine: &Engine, query: &str) -> i64 {
    let answer = engine.handle(Incoming::get(query.as_bytes()));
    assert_eq!(answer.status, 200);
    answer.code
}

#[test]
fn racing_sequences_on_one_stream_from_many_threads_are_accepted_in_increasing_order() {
    // Arrange: the engine itself, shared by 8 OS threads that call it truly in parallel.
    let engine = MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .rate_limits(false)
        .build_engine();
    let counter = AtomicU64::new(0);

    // Act
    let answers = from_threads(8, 400, |_, _| {
        let seq = counter.fetch_add(1, Ordering::SeqCst) + 1;
        (seq, handle(&engine, &creat(RACE_STREAM, seq, &[])))
    });

    // Assert
    let rules: Vec<Option<String>> = engine
        .env_state(DEV_APP_ID, Env::Production)
        .media
        .relay_rules
        .into_iter()
        .map(|r| r.cdn_url)
        .collect();
    check_sequence_race(&answers, &rules);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_requests_on_one_app_within_one_second_get_exactly_the_limit_over_http() {
    // Arrange: rate limits on, the clock frozen inside one second.
    let clock = ManualClock::at_secs(T0);
    let server = MockServer::builder().clock(clock.clone()).start().await;
    let addr = *server.address();
    let test_prefix = format!("zegotest-{DEV_APP_ID}-");

    // Act: 48 connections, each sending 6 requests on distinct streams, production and test
    // environments interleaved.
    let mut tasks = Vec::new();
    for task in 0..48u64 {
        let test_prefix = test_prefix.clone();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&addr).await;
            let mut codes = Vec::new();
            for i in 0..6u64 {
                let n = task * 6 + i;
                let test = n % 2 == 1;
                let (stream, extra): (String, &[(&str, &str)]) = if test {
                    (format!("{test_prefix}{n}"), &[("IsTest", "true")])
                } else {
                    (format!("p{n}"), &[])
                };
                let v = client.get(&creat(&stream, n + 1, extra)).await;
                codes.push((test, code(&v)));
            }
            codes
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.extend(t.await.expect("client task"));
    }

    // Assert: 10 per second in production and 5 in test, exactly; every other request 30002.
    let count = |test: bool, code: i64| {
        codes
            .iter()
            .filter(|&&(t, c)| t == test && c == code)
            .count()
    };
    assert_eq!(count(false, 0), 10, "production accepted");
    assert_eq!(count(false, 30002), 144 - 10, "production throttled");
    assert_eq!(count(true, 0), 5, "test accepted");
    assert_eq!(count(true, 30002), 144 - 5, "test throttled");
    let state = server.state(DEV_APP_ID, Env::Production);
    assert_eq!(
        state.media.relay_rules.len(),
        10,
        "only accepted requests executed"
    );

    // The next second is a new window.
    clock.set_secs(T0 + 1);
    let mut client = Client::connect(&addr).await;
    assert_eq!(code(&client.get(&creat("next", 1, &[])).await), 0);
}

#[test]
fn racing_requests_on_one_app_from_many_threads_get_exactly_the_limit() {
    // Arrange
    let engine = MockServer::builder()
        .clock(ManualClock::at_secs(T0))
        .build_engine();

    // Act: 8 threads, 50 requests each, on distinct streams.
    let codes = from_threads(8, 50, |t, i| {
        handle(&engine, &creat(&format!("t{t}-{i}"), 1, &[]))
    });

    // Assert
    assert_eq!(codes.iter().filter(|&&c| c == 0).count(), 10);
    assert_eq!(codes.iter().filter(|&&c| c == 30002).count(), 400 - 10);
    assert_eq!(
        engine
            .env_state(DEV_APP_ID, Env::Production)
            .media
            .relay_rules
            .len(),
        10
    );
}
