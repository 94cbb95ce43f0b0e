//! Replays the attacks the mock is hardened against and prints one figure for each (numbered
//! 1-10).
//!
//! ```text
//! cargo build --release -p zego-mock               # the binary, for finding 8
//! cargo run --release -p zego-mock --example attacks
//! ```
//!
//! Findings 1 and 3-7 run against in-process servers (`MockServer::start`, real sockets); 2, 9
//! and 10 through `Engine::handle` (no socket); 8 runs the release binary next to this example
//! (`target/release/zego-mock`). Finding 3 waits for the real 10 s timeouts, twice. The RSS
//! figures are this process's (server and attacker together), from /proc/self/status.

use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zego_mock::{
    signed_query, AppConfig, Clock, ControlAccess, Env, EnvState, FaultSpec, Incoming, ManualClock,
    MixKind, MixTask, MockServer, RelayRule, ServeOptions, DEV_APP_ID, DEV_SERVER_SECRET,
};

fn rss_mib() -> f64 {
    let kib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<f64>().ok())
        })
        .unwrap_or(0.0);
    kib / 1024.0
}

/// One HTTP/1.1 exchange on a fresh connection: the status and the body's length.
async fn http(addr: std::net::SocketAddr, method: &str, path: &str, body: &str) -> (u16, usize) {
    let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
        return (0, 0);
    };
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if s.write_all(req.as_bytes()).await.is_err() {
        return (0, 0);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let status = std::str::from_utf8(out.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let head = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(out.len(), |p| p + 4);
    (status, out.len() - head)
}

fn p99(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples
        .get(samples.len().saturating_mul(99) / 100)
        .copied()
        .unwrap_or_default()
}

/// Finding 1: the journal read after 1,000 requests of 15,000 parameters.
async fn journal() {
    let server = MockServer::builder().start().await;
    let addr = *server.address();
    let junk = format!("/?{}", vec!["p=1"; 15_000].join("&"));
    for _ in 0..1_000 {
        http(addr, "GET", &junk, "").await;
    }
    let before = rss_mib();
    // API requests go on while the journal is read; their p99 is compared with a quiet spell.
    let probe = |n: usize| async move {
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            http(addr, "GET", "/?Action=NoSuchAction", "").await;
            times.push(t.elapsed());
        }
        times
    };
    let quiet = p99(probe(300).await);
    let during = tokio::spawn(probe(300));
    let t = Instant::now();
    let (status, bytes) = http(addr, "GET", "/_mock/journal", "").await;
    let read = t.elapsed();
    let during = p99(during.await.unwrap_or_default());
    println!(
        "1 journal: read of 1,000 x 15,000-parameter entries answered {status} ({:.1} MB) in {:.1} ms; RSS {:.0} -> {:.0} MiB; API p99 {:.2} ms quiet, {:.2} ms during reads",
        bytes as f64 / 1e6,
        read.as_secs_f64() * 1e3,
        before,
        rss_mib(),
        quiet.as_secs_f64() * 1e3,
        during.as_secs_f64() * 1e3,
    );
}

/// An engine on a clock the finding moves, with rate limits and the journal off, so that only
/// the work under test is timed.
fn quiet_engine() -> (ManualClock, zego_mock::Engine) {
    let clock = ManualClock::at_secs(1_700_000_000);
    let engine = MockServer::builder()
        .clock(clock.clone())
        .rate_limits(false)
        .journal_capacity(0)
        .build_engine();
    (clock, engine)
}

/// Finding 2: a relay-rule delete + create at 300,000 rules.
fn relay_rules() {
    const CDN: &str = "rtmp://cdn.example.com/live/r";
    let (clock, engine) = quiet_engine();
    let mut state = EnvState::default();
    let size = 300_000u64;
    state.media.relay_rules = (0..size)
        .map(|i| RelayRule {
            stream_id: format!("s{i}"),
            cdn_url: Some(CDN.to_string()),
            created_at_millis: 0,
        })
        .collect();
    engine.seed_state(DEV_APP_ID, Env::Production, state);
    let pairs = 1_000u64;
    let t = Instant::now();
    let mut failed = 0;
    for p in 0..pairs {
        let stream = format!("s{}", size / 2 + p);
        for (action, seq) in [
            ("DeleteCDNTransferRule", "1"),
            ("CreatCDNTransferRule", "2"),
        ] {
            let q = signed_query(
                DEV_APP_ID,
                DEV_SERVER_SECRET,
                action,
                clock.now_secs(),
                &format!("n{p}{action}"),
                &[("StreamId", &stream), ("CDNUrl", CDN), ("Sequence", seq)],
            );
            if engine.handle(Incoming::get(q.as_bytes())).code != 0 {
                failed += 1;
            }
        }
        clock.advance(Duration::from_millis(20));
    }
    println!(
        "2 relay rules: delete+create at 300,000 rules takes {:.1} µs a pair ({failed} refused)",
        t.elapsed().as_secs_f64() * 1e6 / pairs as f64
    );
}

/// How long, after `holders` took every connection slot, a new client waits for an answer that
/// is not HTTP 503 (at most 60 s).
async fn slots_freed_after(addr: std::net::SocketAddr) -> Duration {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(60) {
        let (status, _) = http(addr, "GET", "/?Action=NoSuchAction", "").await;
        if status != 503 && status != 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    t.elapsed()
}

/// Finding 3: 64 clients holding all 64 slots, by a body sent at 1 byte/s and by pipelining
/// without reading.
async fn connection_timeouts() {
    let options = ServeOptions {
        max_connections: 64,
        ..ServeOptions::default()
    };
    let server = MockServer::builder().serve_options(options).start().await;
    let addr = *server.address();
    let mut holders = Vec::new();
    for _ in 0..64 {
        let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
            continue;
        };
        holders.push(tokio::spawn(async move {
            let head = "POST /?Action=NoSuchAction HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n";
            if s.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for _ in 0..60 {
                if s.write_all(b"a").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let slow_body = slots_freed_after(addr).await;
    for h in holders.drain(..) {
        h.abort();
    }
    drop(server);
    // Pipelining without reading: the client takes no answer, so once the socket buffers are
    // full (megabytes on loopback) the server waits to write. One client on a one-slot server,
    // so the figure is the wait, not the time spent answering 64 clients' backlogs.
    let one_slot = MockServer::builder()
        .serve_options(ServeOptions {
            max_connections: 1,
            ..ServeOptions::default()
        })
        .start()
        .await;
    let addr = *one_slot.address();
    let mut reader = None;
    if let Ok(s) = tokio::net::TcpStream::connect(addr).await {
        let (r, mut w) = s.into_split();
        reader = Some(r);
        let requests =
            "GET /?Action=NoSuchAction HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(200_000);
        holders.push(tokio::spawn(async move {
            let _ = w.write_all(requests.as_bytes()).await;
            tokio::time::sleep(Duration::from_secs(120)).await;
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pipelined = slots_freed_after(addr).await;
    for h in holders {
        h.abort();
    }
    drop(reader);
    println!(
        "3 connection timeouts: 64 clients sending a body at 1 byte/s held the 64 slots {:.1} s; a client pipelining 200,000 requests and reading no answer held its slot {:.1} s (body and write timeouts: {} s)",
        slow_body.as_secs_f64(),
        pipelined.as_secs_f64(),
        zego_mock::BODY_READ_TIMEOUT.as_secs()
    );
}

/// Finding 4: what a signature mismatch's journal reason shows of the expected signature.
async fn signing_oracle() {
    let clock = ManualClock::at_secs(1_700_000_000);
    let server = MockServer::builder().clock(clock.clone()).start().await;
    let nonce = "0123456789abcdef";
    let expected = zego_mock::sign(DEV_APP_ID, nonce, DEV_SERVER_SECRET, 1_700_000_000);
    let q = format!(
        "/?Action=ResumeCDNLiveStream&AppId={DEV_APP_ID}&SignatureNonce={nonce}&Timestamp=1700000000&Signature={}&SignatureVersion=2.0&StreamId=s",
        "0".repeat(32)
    );
    http(*server.address(), "GET", &q, "").await;
    let journal = format!("{:?}", server.received());
    let shown = (1..=expected.len())
        .rev()
        .find(|n| journal.contains(&expected[..*n]))
        .unwrap_or(0);
    println!(
        "4 signing oracle: the journal shows {shown} of the expected signature's 32 hex digits (a forger needs all 32)"
    );
}

/// Finding 5: the control plane against a web page and a network neighbour.
async fn control_plane() {
    let open = MockServer::builder().start().await;
    let addr = *open.address();
    let request = |head: String| async move {
        let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
            return 0;
        };
        if s.write_all(head.as_bytes()).await.is_err() {
            return 0;
        }
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out).await;
        std::str::from_utf8(out.get(9..12).unwrap_or_default())
            .ok()
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or(0)
    };
    let rebinding = request(
        "GET /_mock/journal HTTP/1.1\r\nHost: attacker.example:7272\r\nConnection: close\r\n\r\n"
            .into(),
    )
    .await;
    let simple_post = request(
        "POST /_mock/state HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .into(),
    )
    .await;
    drop(open);
    let locked = MockServer::builder()
        .control_access(
            ControlAccess::default().with_token(Some(zego_mock::generate_admin_token())),
        )
        .start()
        .await;
    let addr = *locked.address();
    let no_token = {
        let (status, _) = http(addr, "GET", "/_mock/apps", "").await;
        status
    };
    println!(
        "5 control plane: a rebinding page's read answers {rebinding}, a text/plain POST {simple_post}; with a token (required off loopback), a request without it {no_token}"
    );
}

/// Microseconds to sign and answer one ResumeCDNLiveStream of the development app through
/// `engine` (no socket), over 20,000 requests with fresh nonces on the engine's clock.
fn resume_cost(engine: &zego_mock::Engine) -> f64 {
    let n = 20_000u32;
    let t = Instant::now();
    for i in 0..n {
        let q = signed_query(
            DEV_APP_ID,
            DEV_SERVER_SECRET,
            "ResumeCDNLiveStream",
            engine.clock().now_secs(),
            &format!("{:016x}", u64::from(i) + 1_000_000),
            &[("StreamId", "s")],
        );
        engine.handle(Incoming::get(q.as_bytes()));
    }
    t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

/// Findings 6 and 7: faults, latency faults and clock moves.
async fn caps() {
    let server = MockServer::builder().rate_limits(false).start().await;
    let addr = *server.address();
    let engine = server.engine();
    let (mut accepted, mut refused) = (0u32, 0u32);
    for _ in 0..1_000_000 {
        match engine.add_fault(FaultSpec::code(1).for_app(1)) {
            Ok(_) => accepted += 1,
            Err(_) => refused += 1,
        }
    }
    // Signed requests of the development app: they pass the gateway, so every installed fault
    // is looked at.
    let mut times = Vec::new();
    for i in 0..300 {
        let q = signed_query(
            DEV_APP_ID,
            DEV_SERVER_SECRET,
            "ResumeCDNLiveStream",
            zego_mock::SystemClock.now_secs(),
            &format!("{i:016x}"),
            &[("StreamId", "s")],
        );
        let t = Instant::now();
        http(addr, "GET", &format!("/?{q}"), "").await;
        times.push(t.elapsed());
    }
    // The engine's own cost per request with the cap full, against none (no socket).
    let full = resume_cost(engine);
    let bare = resume_cost(&MockServer::builder().rate_limits(false).build_engine());
    println!(
        "6 faults: 1,000,000 installs: {accepted} accepted, {refused} refused; API p99 with the cap full {:.2} ms over HTTP; signing and handling a request takes {full:.1} µs with 10,000 faults installed for another app, {bare:.1} µs with none",
        p99(times).as_secs_f64() * 1e3
    );
    let latency = match engine.add_fault(FaultSpec::latency_millis(u64::MAX)) {
        Ok(_) => "accepted".to_string(),
        Err(e) => format!("refused ({e})"),
    };
    let (advance, _) = http(
        addr,
        "POST",
        "/_mock/clock/advance",
        &format!("{{\"millis\":{}}}", i64::MIN),
    )
    .await;
    let now = engine.clock().now_millis();
    println!(
        "7 latency and clock: a u64::MAX ms latency fault is {latency}; advance by i64::MIN ms answers HTTP {advance}, the clock reads {} ({})",
        now,
        zego_mock::utc::format(now.div_euclid(1000))
    );
}

/// Finding 8: a mistyped `--app` must not print its secret.
fn app_typo() {
    let secret = "S3cr3tValueThatMustNotLeak";
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("zego-mock")));
    let Some(binary) = binary.filter(|b| b.exists()) else {
        println!("8 --app typo: build the binary first (cargo build --release -p zego-mock)");
        return;
    };
    let mut leaked = 0;
    for arg in [
        format!("1234x:{secret}"),
        secret.to_string(),
        format!("99999999999:{secret}:test"),
    ] {
        if let Ok(out) = std::process::Command::new(&binary)
            .args(["--app", &arg])
            .output()
        {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            if text.contains(secret) {
                leaked += 1;
            }
        }
    }
    println!("8 --app typo: the secret appeared in {leaked} of 3 error outputs");
}

/// Finding 9: the Sequence book under the real clock at full speed.
fn sequence_book() {
    const SECRET: &str = "0123456789abcdef0123456789abcdef";
    let apps = 100u32;
    let mut builder = MockServer::builder().rate_limits(false);
    for i in 0..apps {
        builder = builder.app_config(AppConfig::new(10_000 + i, SECRET));
    }
    let engine = builder.build_engine();
    let start = rss_mib();
    let (mut peak, mut book) = (start, 0);
    let t = Instant::now();
    let streams = 1_000_000u64;
    for i in 0..streams {
        let app = 10_000 + (i % u64::from(apps)) as u32;
        let stream = format!("mem-{i:08}");
        for (action, seq) in [
            ("CreatCDNTransferRule", "1"),
            ("DeleteCDNTransferRule", "2"),
        ] {
            let q = signed_query(
                app,
                SECRET,
                action,
                zego_mock::SystemClock.now_secs(),
                &format!("{:016x}", i << 1 | u64::from(seq == "2")),
                &[
                    ("StreamId", &stream),
                    ("CDNUrl", "rtmp://cdn.example.com/live/m"),
                    ("Sequence", seq),
                ],
            );
            engine.handle(Incoming::get(q.as_bytes()));
        }
        if i % 10_000 == 9_999 {
            peak = peak.max(rss_mib());
            book = book.max(engine.footprint().sequences);
        }
    }
    println!(
        "9 Sequence book: 1,000,000 StreamIds on the real clock at {:.0} req/s: peak RSS {:.0} MiB (+{:.0} MiB) with up to {book} streams live",
        2.0 * streams as f64 / t.elapsed().as_secs_f64(),
        peak,
        peak - start
    );
}

/// Finding 10: a request's cost beside 10,000 ended mix tasks (the cap), which every request's
/// tick used to pass over twice.
fn ended_tasks() {
    let (_, engine) = quiet_engine();
    let empty = resume_cost(&engine);
    let mut state = EnvState::default();
    state.mixing.mix_tasks = (0..10_000)
        .map(|i| {
            let task = MixTask {
                kind: MixKind::Manual,
                user_id: "u".into(),
                room_id: "r".into(),
                sequence: None,
                started_millis: 0,
                inputs: Vec::new(),
                outputs: Vec::new(),
                max_idle_secs: 90,
                wait_video_input: false,
                ended_millis: Some(1_000),
                fixed: serde_json::Value::Null,
                current: serde_json::Value::Null,
            };
            (format!("task-{i:05}"), task)
        })
        .collect();
    engine.seed_state(DEV_APP_ID, Env::Production, state);
    let full = resume_cost(&engine);
    println!(
        "10 ended tasks: a request (signing included) takes {full:.1} µs beside 10,000 ended mix tasks, {empty:.1} µs beside none"
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    journal().await;
    relay_rules();
    connection_timeouts().await;
    signing_oracle().await;
    control_plane().await;
    caps().await;
    app_typo();
    sequence_book();
    ended_tasks();
}
