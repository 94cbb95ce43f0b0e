//! Load benchmark of the mock over loopback HTTP/1.1.
//!
//! ```text
//! cargo build --release -p zego-mock      # the binary, for the startup figure
//! cargo run --release -p zego-mock --example bench -- [--duration SECS] [--connections N]
//!     [--generator-threads N] [--journal-capacity N]
//! ```
//!
//! Throughput phases, each given `--duration` seconds in all (5 by default), run interleaved in
//! five rounds so that a slow spell of the machine weighs on every phase alike; each round starts
//! a fresh server:
//!
//! - **ceiling**: a plain hyper server answering a fixed JSON body without looking at the
//!   request: what HTTP itself costs on this machine. It keeps hyper's defaults but for the
//!   mock's safety settings (hyper's header read timeout, as long as the mock's; keep-alive).
//! - **ceiling, the mock's HTTP settings**: hyper set as the mock sets it for the connections
//!   hyper serves: vectored writes off (one `write` of head and body instead of a `writev` of
//!   two buffers) and hyper's header read timeout off (the mock keeps its own in its socket, for
//!   less; this ceiling keeps none): what those settings alone are worth. (The mock's plain
//!   `GET /?...` requests do not go through hyper: see its fast path.)
//! - **mock**: the mock served by [`zego_mock::serve`] (what the `zego-mock` binary runs), rate
//!   limits off, every request validly signed with a fresh nonce, on CreatCDNTransferRule
//!   (Sequences strictly increasing over many StreamIds, 1024 by default), ResumeCDNLiveStream
//!   and DescribeUserNum (a room action, one `RoomId[]`); each with the journal on (its default
//!   capacity) and off. Coverage counts are always on.
//! - **`MockServer::start()`**: the in-process server tests use, and the mock with a callback
//!   receiver that never answers.
//!
//! Every server runs alone on a thread of its own, on a current-thread tokio runtime, so its CPU
//! time can be told apart from the load generator's: **CPU/req** is the server thread's CPU
//! time over the phase (the first field of `/proc/self/task/TID/schedstat`, the scheduler's own
//! nanosecond accounting) divided by the requests answered; **CPU x** is that over the
//! ceiling's, and **ratio** the throughput over the ceiling's. **user/req** is the user-space
//! part of CPU/req (`utime` of `/proc/self/task/TID/stat`, in 10 ms ticks); the rest is the
//! kernel's, which the loopback TCP work makes the same for every server and the noisiest
//! part. Accepting the phase's connections is counted in (64 of them against some 100 000
//! requests a round). `MockServer::start()` runs its own thread, which the bench does not
//! measure.
//!
//! Then a **paced** phase: CreatCDNTransferRule at half the mock's measured peak over 16
//! connections, each on its own schedule, for latency. Then `Engine::handle` alone (no socket,
//! journal on and off), and startup: `MockServer::start()` until it listens, and the release
//! binary from launch to its first answer.
//!
//! The load generator runs on a multi-threaded tokio runtime of its own, with one worker fewer
//! than the machine has CPUs (`--generator-threads`), as `wrk -t1` would on two cores: the
//! server's thread and the generator share the cores, and the server, not the generator, is the
//! bottleneck. Every server is measured with the same generator, the same connections and the
//! same request bytes (give or take the changing fields), so the ratio compares like with like:
//! it is the share of the HTTP ceiling the mock keeps once it checks and answers as ZEGO does.
//! The generator is a minimal keep-alive HTTP/1.1 client writing pre-built request bytes; per
//! request it only rewrites the nonce, signature, StreamId and Sequence in place (one MD5 of
//! about 70 bytes), so it takes little of the shared CPU.
//!
//! `--only PHASE` runs one phase alone for a profiler; `--only handle --requests N` is
//! deterministic, for `valgrind --tool=callgrind`.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use md5::{Digest, Md5};
use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use zego_mock::{Clock, MockServer, SystemClock, DEV_APP_ID, DEV_SERVER_SECRET};

const USAGE: &str =
    "usage: bench [--duration SECS] [--connections N] [--streams N] [--generator-threads N]
             [--journal-capacity N] [--only PHASE [--requests N]]
  --duration SECS   length of each phase (default 5)
  --connections N   keep-alive connections of the load generator (default 64)
  --streams N       StreamIds per connection (default 16)
  --only PHASE      run one phase alone, for profiling: ceiling, ceiling-flat, creat, resume,
                    usernum, inproc, handle, callbacks
  --generator-threads N
                    worker threads of the load generator's runtime (default: CPUs - 1, at
                    least 1; each server has a thread of its own besides)
  --requests N      with --only handle: exactly N requests per action instead of a duration
                    (deterministic, for valgrind --tool=callgrind)
  --workload W      with --only handle: time one workload only: creat, resume or usernum
  --journal-capacity N
                    entries the journal keeps in the journal-on phases (default: the mock's
                    default, 1000)";

/// The fixed answer of the ceiling server: the mock's success envelope, byte for byte in shape.
const CEILING_BODY: &[u8] =
    br#"{"Code":0,"Message":"ok","RequestId":"1700000000000000000","Data":null}"#;

#[derive(Debug, Clone, Copy)]
struct Settings {
    duration: Duration,
    connections: usize,
    streams: usize,
    only: Option<&'static str>,
    requests: Option<u64>,
    generator_threads: usize,
    /// With `--only handle`: the one workload to time (`--workload`).
    handle: Option<Workload>,
}

const PHASES: [&str; 8] = [
    "ceiling",
    "ceiling-flat",
    "creat",
    "resume",
    "usernum",
    "inproc",
    "handle",
    "callbacks",
];

/// The journal's capacity in the journal-on phases (`--journal-capacity`).
static JOURNAL_CAPACITY: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(zego_mock::DEFAULT_JOURNAL_CAPACITY);

fn parse_args() -> Result<Settings, String> {
    let mut s = Settings {
        duration: Duration::from_secs(5),
        connections: 64,
        streams: 16,
        only: None,
        requests: None,
        generator_threads: std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .saturating_sub(1)
            .max(1),
        handle: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--duration" => {
                let v: f64 = value("--duration")?
                    .parse()
                    .map_err(|e| format!("--duration: {e}"))?;
                if !(v > 0.0 && v < 3600.0) {
                    return Err("--duration must be between 0 and 3600 seconds".into());
                }
                s.duration = Duration::from_secs_f64(v);
            }
            "--connections" => {
                s.connections = value("--connections")?
                    .parse()
                    .map_err(|e| format!("--connections: {e}"))?;
                if !(1..=4096).contains(&s.connections) {
                    return Err("--connections must be 1 to 4096".into());
                }
            }
            "--streams" => {
                s.streams = value("--streams")?
                    .parse()
                    .map_err(|e| format!("--streams: {e}"))?;
                if !(1..=9999).contains(&s.streams) {
                    return Err("--streams must be 1 to 9999".into());
                }
            }
            "--only" => {
                let v = value("--only")?;
                s.only = Some(
                    PHASES
                        .into_iter()
                        .find(|p| *p == v)
                        .ok_or_else(|| format!("--only: unknown phase {v:?}\n{USAGE}"))?,
                );
            }
            "--requests" => {
                s.requests = Some(
                    value("--requests")?
                        .parse()
                        .map_err(|e| format!("--requests: {e}"))?,
                );
            }
            "--generator-threads" => {
                s.generator_threads = value("--generator-threads")?
                    .parse()
                    .map_err(|e| format!("--generator-threads: {e}"))?;
                if !(1..=256).contains(&s.generator_threads) {
                    return Err("--generator-threads must be 1 to 256".into());
                }
            }
            "--workload" => {
                s.handle = Some(match value("--workload")?.as_str() {
                    "creat" => Workload::Creat,
                    "resume" => Workload::Resume,
                    "usernum" => Workload::UserNum,
                    other => {
                        return Err(format!("--workload: unknown workload {other:?}\n{USAGE}"))
                    }
                });
            }
            "--journal-capacity" => {
                let n: usize = value("--journal-capacity")?
                    .parse()
                    .map_err(|e| format!("--journal-capacity: {e}"))?;
                if n == 0 || n > zego_mock::MAX_JOURNAL_CAPACITY {
                    return Err(format!(
                        "--journal-capacity must be 1 to {}",
                        zego_mock::MAX_JOURNAL_CAPACITY
                    ));
                }
                JOURNAL_CAPACITY.store(n, std::sync::atomic::Ordering::Relaxed);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// Request generation: a template per connection, with fixed-width fields rewritten in place.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Workload {
    /// `CreatCDNTransferRule` with StreamId, CDNUrl and Sequence.
    Creat,
    /// `ResumeCDNLiveStream` with StreamId.
    Resume,
    /// `DescribeUserNum` with one `RoomId[]` (a room action: rooms, not streams).
    UserNum,
}

struct RequestGen {
    buf: Vec<u8>,
    nonce_at: usize,
    signature_at: usize,
    stream_at: usize,
    sequence_at: Option<usize>,
    conn: u64,
    counter: u64,
    streams: u64,
    prefix: Vec<u8>,
    suffix: Vec<u8>,
}

/// Width of the per-connection stream number in `bench-{conn:04}-{k:04}`.
const STREAM_DIGITS: usize = 4;
/// Sequences count up from here, so they always have 12 digits and no leading zero.
const SEQUENCE_BASE: u64 = 100_000_000_000;
const SEQUENCE_DIGITS: usize = 12;

impl RequestGen {
    fn new(workload: Workload, conn: usize, streams: usize, timestamp: i64) -> Self {
        let placeholder_nonce = "0".repeat(16);
        let placeholder_signature = "0".repeat(32);
        let (action, subject) = match workload {
            Workload::Creat => ("CreatCDNTransferRule", "StreamId"),
            Workload::Resume => ("ResumeCDNLiveStream", "StreamId"),
            Workload::UserNum => ("DescribeUserNum", "RoomId[]"),
        };
        let mut q = format!(
            "GET /?Action={action}&AppId={DEV_APP_ID}&SignatureNonce={placeholder_nonce}&Timestamp={timestamp}&Signature={placeholder_signature}&SignatureVersion=2.0&{subject}=bench-{conn:04}-"
        );
        let nonce_at = q.find("SignatureNonce=").map(|i| i + 15).unwrap_or(0);
        let signature_at = q.find("Signature=").map(|i| i + 10).unwrap_or(0);
        let stream_at = q.len();
        q.push_str(&"0".repeat(STREAM_DIGITS));
        let mut sequence_at = None;
        if workload == Workload::Creat {
            q.push_str("&CDNUrl=rtmp%3A%2F%2Fcdn.example.com%2Flive%2Fbench&Sequence=");
            sequence_at = Some(q.len());
            q.push_str(&"0".repeat(SEQUENCE_DIGITS));
        }
        q.push_str(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Self {
            buf: q.into_bytes(),
            nonce_at,
            signature_at,
            stream_at,
            sequence_at,
            conn: conn as u64,
            counter: 0,
            streams: streams as u64,
            prefix: DEV_APP_ID.to_string().into_bytes(),
            suffix: format!("{DEV_SERVER_SECRET}{timestamp}").into_bytes(),
        }
    }

    /// The next request: a fresh nonce and its signature, the next StreamId of this connection
    /// (round robin) and the next Sequence (one counter per connection, so every StreamId sees
    /// strictly increasing Sequences).
    fn next(&mut self) -> &[u8] {
        let n = self.counter;
        self.counter += 1;
        let nonce = (self.conn << 40) | n;
        write_hex(&mut self.buf[self.nonce_at..self.nonce_at + 16], nonce);
        let mut md5 = Md5::new();
        md5.update(&self.prefix);
        md5.update(&self.buf[self.nonce_at..self.nonce_at + 16]);
        md5.update(&self.suffix);
        let digest = md5.finalize();
        let sig = &mut self.buf[self.signature_at..self.signature_at + 32];
        for (i, b) in digest.iter().enumerate() {
            sig[2 * i] = HEX[usize::from(b >> 4)];
            sig[2 * i + 1] = HEX[usize::from(b & 15)];
        }
        write_decimal(
            &mut self.buf[self.stream_at..self.stream_at + STREAM_DIGITS],
            n % self.streams,
        );
        if let Some(at) = self.sequence_at {
            write_decimal(&mut self.buf[at..at + SEQUENCE_DIGITS], SEQUENCE_BASE + n);
        }
        &self.buf
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn write_hex(out: &mut [u8], mut v: u64) {
    for b in out.iter_mut().rev() {
        *b = HEX[(v & 15) as usize];
        v >>= 4;
    }
}

fn write_decimal(out: &mut [u8], mut v: u64) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

// ---------------------------------------------------------------------------------------------
// The load generator's HTTP/1.1 client: one request in flight per connection.

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Sends one request and reads its answer; `Ok(true)` when the body says `"Code":0`.
    async fn roundtrip(&mut self, request: &[u8]) -> std::io::Result<(bool, Vec<u8>)> {
        self.stream.write_all(request).await?;
        self.buf.clear();
        let (head_end, body_len) = loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let len = content_length(&self.buf[..end]).ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::InvalidData, "no Content-Length")
                })?;
                break (end + 4, len);
            }
            self.read_more().await?;
        };
        while self.buf.len() < head_end + body_len {
            self.read_more().await?;
        }
        let body = &self.buf[head_end..head_end + body_len];
        let ok = body.starts_with(br#"{"Code":0,"#);
        Ok((ok, if ok { Vec::new() } else { body.to_vec() }))
    }

    async fn read_more(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 4096];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> Option<usize> {
    let head = std::str::from_utf8(head).ok()?;
    head.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })
}

#[derive(Default)]
struct Outcome {
    requests: u64,
    failures: u64,
    first_failure: Option<Vec<u8>>,
    latencies_ns: Vec<u64>,
    elapsed: Duration,
    /// CPU time of the server's thread over the phase (connections included), when measured.
    server_cpu_ns: Option<u64>,
    /// The user-space part of it, in clock ticks of `/proc` (USER_HZ, 100 a second on Linux).
    server_user_ticks: Option<u64>,
}

impl Outcome {
    /// Adds another run's figures to these (latencies stay sorted).
    fn merge(&mut self, other: Outcome) {
        let first = self.requests == 0 && self.elapsed == Duration::ZERO;
        let add = |a: Option<u64>, b: Option<u64>| {
            if first {
                b
            } else {
                a.zip(b).map(|(a, b)| a + b)
            }
        };
        self.server_cpu_ns = add(self.server_cpu_ns, other.server_cpu_ns);
        self.server_user_ticks = add(self.server_user_ticks, other.server_user_ticks);
        self.requests += other.requests;
        self.failures += other.failures;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
        self.latencies_ns.extend(other.latencies_ns);
        self.latencies_ns.sort_unstable();
        self.elapsed += other.elapsed;
    }

    /// Server CPU time per request, in microseconds, when measured.
    fn cpu_us(&self) -> Option<f64> {
        self.server_cpu_ns
            .map(|ns| ns as f64 / 1e3 / self.requests.max(1) as f64)
    }

    /// The user-space part of [`Self::cpu_us`].
    fn user_us(&self) -> Option<f64> {
        self.server_user_ticks
            .map(|ticks| ticks as f64 * 1e6 / USER_HZ / self.requests.max(1) as f64)
    }

    fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        if self.latencies_ns.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies_ns.len() - 1) as f64 * p).round() as usize;
        Duration::from_nanos(self.latencies_ns[i])
    }
}

/// Drives `connections` keep-alive connections against `addr` for `duration`. With `rate`, the
/// connections together aim at that many requests per second, each on its own schedule.
async fn load(
    addr: SocketAddr,
    workload: Workload,
    settings: Settings,
    duration: Duration,
    rate: Option<f64>,
) -> Outcome {
    let timestamp = SystemClock.now_secs();
    // Open every connection before the clock starts.
    let mut conns = Vec::with_capacity(settings.connections);
    for _ in 0..settings.connections {
        conns.push(Conn::open(addr).await.expect("connect to the server"));
    }
    let start = Instant::now();
    let deadline = start + duration;
    let interval = rate.map(|r| Duration::from_secs_f64(settings.connections as f64 / r));
    let mut tasks = Vec::with_capacity(settings.connections);
    for (i, mut conn) in conns.into_iter().enumerate() {
        let mut gen = RequestGen::new(workload, i, settings.streams, timestamp);
        tasks.push(tokio::spawn(async move {
            let mut out = Outcome {
                latencies_ns: Vec::with_capacity(1 << 14),
                ..Outcome::default()
            };
            // Spread the paced connections' schedules over one interval.
            let mut next = interval.map(|iv| {
                tokio::time::Instant::from_std(start)
                    + iv.mul_f64(i as f64 / settings.connections as f64)
            });
            loop {
                if let (Some(at), Some(iv)) = (next.as_mut(), interval) {
                    tokio::time::sleep_until(*at).await;
                    *at += iv;
                }
                let sent = Instant::now();
                if sent >= deadline {
                    break;
                }
                let request = gen.next();
                match conn.roundtrip(request).await {
                    Ok((ok, body)) => {
                        out.latencies_ns.push(sent.elapsed().as_nanos() as u64);
                        out.requests += 1;
                        if !ok {
                            out.failures += 1;
                            out.first_failure.get_or_insert(body);
                        }
                    }
                    Err(e) => {
                        out.failures += 1;
                        out.first_failure
                            .get_or_insert_with(|| format!("I/O error: {e}").into_bytes());
                        break;
                    }
                }
            }
            out
        }));
    }
    let mut total = Outcome::default();
    for t in tasks {
        let out = t.await.expect("load task");
        total.requests += out.requests;
        total.failures += out.failures;
        if total.first_failure.is_none() {
            total.first_failure = out.first_failure;
        }
        total.latencies_ns.extend(out.latencies_ns);
    }
    total.elapsed = start.elapsed();
    total.latencies_ns.sort_unstable();
    total
}

// ---------------------------------------------------------------------------------------------
// Servers.

/// What a phase measures. Every server runs alone on its own thread (a current-thread tokio
/// runtime), so that its CPU time can be read apart from the load generator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Plain hyper answering a fixed body.
    Ceiling,
    /// The ceiling with the mock's HTTP settings (hyper's vectored writes and header read
    /// timeout off).
    CeilingFlat,
    /// The mock through [`zego_mock::serve`] (what the `zego-mock` binary runs), with the
    /// journal keeping entries (`true`, the default capacity) or none (`false`).
    Mock { journal: bool },
    /// [`zego_mock::serve`] with every callback category pointed at a receiver that never
    /// answers (each attempt times out after 1 s), while simulated users log in and out of a
    /// room (4 callbacks per cycle).
    MockSlowCallbacks,
    /// `MockServer::start()`: the in-process server tests use (its own thread and
    /// current-thread runtime; its thread is not ours to measure).
    MockServerThread,
}

impl Target {
    fn is_ceiling(self) -> bool {
        matches!(self, Target::Ceiling | Target::CeilingFlat)
    }
}

/// The calling thread's id (`/proc/thread-self` links to `PID/task/TID`), when readable.
fn current_tid() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// CPU time a thread of this process has run, in nanoseconds: the first field of
/// `/proc/self/task/TID/schedstat` (the scheduler's own accounting, in ns, not clock ticks).
fn thread_cpu_ns(tid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// The clock ticks a second of `/proc/*/stat`'s times (fixed at 100 for that interface on Linux).
const USER_HZ: f64 = 100.0;

/// User-space CPU time a thread of this process has run, in clock ticks ([`USER_HZ`]): the
/// `utime` field of `/proc/self/task/TID/stat`.
fn thread_user_ticks(tid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    // The fields after the command name (which may hold spaces), from the state on: utime is
    // the twelfth.
    let after_name = &text[text.rfind(')')? + 1..];
    after_name.split_whitespace().nth(11)?.parse().ok()
}

/// A running server, stopped by [`Running::stop`].
struct Running {
    addr: SocketAddr,
    stop: Option<watch::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The server thread, whose CPU time is the server's.
    tid: Option<u32>,
    mock_server: Option<MockServer>,
    /// The callback phase's receiver and user churn.
    extras: Vec<tokio::task::JoinHandle<()>>,
    /// The callback phase's engine, to count what it emitted.
    engine: Option<Arc<zego_mock::Engine>>,
}

/// Runs `server` on a new thread with its own current-thread runtime; returns the thread and
/// its id.
fn server_thread<F, Fut>(server: F) -> (std::thread::JoinHandle<()>, Option<u32>)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("server".into())
        .spawn(move || {
            let _ = tx.send(current_tid());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(server());
        })
        .expect("server thread");
    let tid = rx.recv().ok().flatten();
    (thread, tid)
}

impl Running {
    async fn start(target: Target) -> Self {
        if target == Target::MockServerThread {
            let server = MockServer::builder().rate_limits(false).start().await;
            return Self {
                addr: *server.address(),
                stop: None,
                thread: None,
                tid: None,
                mock_server: Some(server),
                extras: Vec::new(),
                engine: None,
            };
        }
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let (stop, mut stopped) = watch::channel(());
        let mut running = Self {
            addr,
            stop: Some(stop),
            thread: None,
            tid: None,
            mock_server: None,
            extras: Vec::new(),
            engine: None,
        };
        let (thread, tid) = if target.is_ceiling() {
            let flat = target == Target::CeilingFlat;
            server_thread(move || async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                ceiling_loop(listener, stopped, flat).await;
            })
        } else {
            let mut builder = MockServer::builder().rate_limits(false);
            builder = builder.journal_capacity(match target {
                Target::Mock { journal: false } => 0,
                _ => JOURNAL_CAPACITY.load(std::sync::atomic::Ordering::Relaxed),
            });
            let engine = Arc::new(builder.build_engine());
            if target == Target::MockSlowCallbacks {
                running.extras = slow_callbacks(&engine).await;
                running.engine = Some(engine.clone());
            }
            server_thread(move || async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                let options = zego_mock::ServeOptions::default();
                zego_mock::serve(listener, engine, options, async move {
                    while stopped.changed().await.is_ok() {}
                })
                .await;
            })
        };
        running.thread = Some(thread);
        running.tid = tid;
        running
    }

    /// CPU time the server's thread has run so far, in nanoseconds.
    fn cpu_ns(&self) -> Option<u64> {
        self.tid.and_then(thread_cpu_ns)
    }

    /// User-space CPU time the server's thread has run so far, in clock ticks.
    fn user_ticks(&self) -> Option<u64> {
        self.tid.and_then(thread_user_ticks)
    }

    async fn stop(mut self) {
        for extra in self.extras.drain(..) {
            extra.abort();
        }
        drop(self.stop.take());
        drop(self.mock_server.take());
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// Points every callback category of the development app at a receiver that accepts
/// connections and never answers, and starts simulated users logging in and out of a room.
async fn slow_callbacks(engine: &Arc<zego_mock::Engine>) -> Vec<tokio::task::JoinHandle<()>> {
    let receiver = TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind the receiver");
    let url = format!("http://{}/cb", receiver.local_addr().expect("address"));
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((conn, _)) = receiver.accept().await {
            held.push(conn);
            // Keep the latest connections open; the mock's timeouts close its side.
            if held.len() > 1024 {
                held.remove(0);
            }
        }
    });
    let config = zego_mock::CallbackConfig::for_app(DEV_APP_ID)
        .all_urls(url)
        .timeout_ms(1000);
    engine
        .set_callbacks(DEV_APP_ID, config)
        .expect("a valid callback configuration");
    let churn_engine = engine.clone();
    let churn = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(1));
        for i in 0u64.. {
            tick.tick().await;
            let user = format!("u{}", i % 64);
            let env = zego_mock::Env::Production;
            let _ = churn_engine.login(
                DEV_APP_ID,
                env,
                "bench-room",
                zego_mock::UserSpec::new(user.as_str()),
            );
            let _ = churn_engine.logout(
                DEV_APP_ID,
                env,
                "bench-room",
                &user,
                zego_mock::LogoutReason::Normal,
            );
        }
    });
    vec![silent, churn]
}

/// The ceiling: hyper with the mock's timeouts (hyper's own header read timeout), answering a
/// fixed body without looking at the request; with `flat`, with the mock's HTTP settings
/// instead (vectored writes off, and no header read timeout: the mock keeps its own).
async fn ceiling_loop(listener: TcpListener, mut stopped: watch::Receiver<()>, flat: bool) {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).keep_alive(true);
    if flat {
        builder.writev(false).header_read_timeout(None::<Duration>);
    } else {
        builder.header_read_timeout(zego_mock::HEADER_READ_TIMEOUT);
    }
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let service = service_fn(|_req: Request<hyper::body::Incoming>| async {
                    let mut resp = Response::new(Full::new(Bytes::from_static(CEILING_BODY)));
                    resp.headers_mut().insert(
                        CONTENT_TYPE,
                        HeaderValue::from_static("application/json; charset=utf-8"),
                    );
                    Ok::<_, Infallible>(resp)
                });
                let conn = builder.serve_connection(TokioIo::new(stream), service);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = stopped.changed() => break,
        }
    }
}

/// Starts `target`, drives it, stops it.
async fn measure(
    target: Target,
    workload: Workload,
    settings: Settings,
    duration: Duration,
    rate: Option<f64>,
) -> Outcome {
    let server = Running::start(target).await;
    let (cpu_before, user_before) = (server.cpu_ns(), server.user_ticks());
    let mut out = load(server.addr, workload, settings, duration, rate).await;
    out.server_cpu_ns = cpu_before.zip(server.cpu_ns()).map(|(a, b)| b - a);
    out.server_user_ticks = user_before.zip(server.user_ticks()).map(|(a, b)| b - a);
    if let Some(engine) = &server.engine {
        let deliveries = engine.callback_deliveries(DEV_APP_ID, &Default::default());
        let attempts: usize = deliveries.iter().map(|d| d.attempts.len()).sum();
        CALLBACK_ATTEMPTS.fetch_add(attempts as u64, std::sync::atomic::Ordering::Relaxed);
        CALLBACK_EVENTS.fetch_add(
            engine
                .events(DEV_APP_ID, zego_mock::Env::Production)
                .last()
                .map_or(0, |e| e.seq),
            std::sync::atomic::Ordering::Relaxed,
        );
    }
    server.stop().await;
    out
}

/// Callback events emitted and attempts made (journal tail) during the callback phase.
static CALLBACK_EVENTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static CALLBACK_ATTEMPTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

// ---------------------------------------------------------------------------------------------
// Report.

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// One line of the report; `ceiling` is the ceiling's outcome, for the ratios.
fn row(name: &str, out: &Outcome, ceiling: Option<&Outcome>) {
    let ratio = ceiling.map_or_else(
        || "-".to_string(),
        |c| format!("{:.2}", out.rate() / c.rate()),
    );
    let cpu = out
        .cpu_us()
        .map_or_else(|| "-".to_string(), |us| format!("{us:.2} us"));
    let cpu_ratio = match (out.cpu_us(), ceiling.and_then(Outcome::cpu_us)) {
        (Some(a), Some(b)) => format!("{:.2}", a / b),
        _ => "-".to_string(),
    };
    let user = out
        .user_us()
        .map_or_else(|| "-".to_string(), |us| format!("{us:.2} us"));
    println!(
        "{name:<44} {:>9} {:>9.0} {:>9} {:>9} {:>9} {:>4} {:>5} {:>9} {:>5} {:>9}",
        out.requests,
        out.rate(),
        ms(out.percentile(0.50)),
        ms(out.percentile(0.99)),
        ms(out
            .latencies_ns
            .last()
            .map_or(Duration::ZERO, |&n| Duration::from_nanos(n))),
        out.failures,
        ratio,
        cpu,
        cpu_ratio,
        user,
    );
    if let Some(body) = &out.first_failure {
        println!(
            "    first failure: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        );
    }
}

fn header() {
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>9} {:>9} {:>4} {:>5} {:>9} {:>5} {:>9}",
        "phase",
        "requests",
        "req/s",
        "p50",
        "p99",
        "max",
        "fail",
        "ratio",
        "CPU/req",
        "CPU x",
        "user/req"
    );
}

async fn startup_in_process() -> (Duration, Duration, Duration) {
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let server = MockServer::builder().rate_limits(false).start().await;
        times.push(t.elapsed());
        // Ready means listening: a connection succeeds at once.
        let mut conn = Conn::open(*server.address()).await.expect("connect");
        let mut gen = RequestGen::new(Workload::Resume, 0, 1, SystemClock.now_secs());
        let (ok, body) = conn.roundtrip(gen.next()).await.expect("first answer");
        assert!(ok, "{}", String::from_utf8_lossy(&body));
    }
    let first = times[0];
    times.sort_unstable();
    (first, times[times.len() / 2], times[times.len() - 1])
}

/// Launches the release binary and times it until it answers a first request.
fn startup_binary() -> Result<(String, Duration, Duration), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/release/examples/bench -> target/release/zego-mock
    let bin = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join(format!("zego-mock{}", std::env::consts::EXE_SUFFIX)))
        .filter(|p| p.is_file())
        .ok_or_else(|| {
            "the zego-mock binary is absent next to this example; build it first with \
             `cargo build --release -p zego-mock`"
                .to_string()
        })?;
    let t = Instant::now();
    let mut child = Command::new(&bin)
        .args(["--bind", "127.0.0.1:0", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot launch {}: {e}", bin.display()))?;
    let result = (|| {
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let printed = t.elapsed();
        let addr: SocketAddr = line
            .trim()
            .rsplit("http://")
            .next()
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("unexpected first line {line:?}"))?;
        // The address is printed once the socket listens; poll anyway, as a client would.
        let request = RequestGen::new(Workload::Resume, 0, 1, SystemClock.now_secs())
            .next()
            .to_vec();
        loop {
            if let Ok(mut s) = std::net::TcpStream::connect(addr) {
                use std::io::{Read, Write};
                s.write_all(&request).map_err(|e| e.to_string())?;
                let mut buf = [0u8; 1024];
                let n = s.read(&mut buf).map_err(|e| e.to_string())?;
                if n == 0 {
                    return Err("the binary closed the connection".into());
                }
                if !buf[..n].starts_with(b"HTTP/1.1 200") {
                    return Err(format!(
                        "unexpected answer {:?}",
                        String::from_utf8_lossy(&buf[..n])
                    ));
                }
                break;
            }
            if t.elapsed() > Duration::from_secs(10) {
                return Err("no answer within 10 s".into());
            }
            std::thread::yield_now();
        }
        Ok((printed, t.elapsed()))
    })();
    let _ = child.kill();
    let _ = child.wait();
    let (printed, answered) = result?;
    Ok((bin.display().to_string(), printed, answered))
}

fn main() {
    let settings = match parse_args() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(settings.generator_threads)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(settings, cpus));
}

/// The pipeline alone: `Engine::handle` on pre-built queries, one thread, no socket.
fn handle_alone(workload: Workload, settings: Settings, journal: bool) -> (u64, Duration) {
    let mut builder = MockServer::builder().rate_limits(false);
    if !journal {
        builder = builder.journal_capacity(0);
    }
    let engine = builder.build_engine();
    let timestamp = SystemClock.now_secs();
    let mut gens: Vec<RequestGen> = (0..settings.connections)
        .map(|i| RequestGen::new(workload, i, settings.streams, timestamp))
        .collect();
    // Requests are built a batch ahead (in order, so Sequences still increase) and only the
    // calls to `Engine::handle` are timed: the generator's MD5 is not the engine's work.
    let mut batch: Vec<Vec<u8>> = Vec::with_capacity(gens.len() * 16);
    let (mut n, mut timed) = (0u64, Duration::ZERO);
    let more = |n: u64, timed: Duration| match settings.requests {
        Some(total) => n < total,
        None => timed < settings.duration.min(Duration::from_secs(2)),
    };
    while more(n, timed) {
        batch.clear();
        for _ in 0..16 {
            for gen in &mut gens {
                let request = gen.next();
                // "GET /?" ... " HTTP/1.1\r\n..."
                let end = find(request, b" HTTP/1.1").unwrap_or(request.len());
                batch.push(request[6..end].to_vec());
            }
        }
        let start = Instant::now();
        for query in &batch {
            let answer = engine.handle(zego_mock::Incoming::get(query));
            assert_eq!(answer.code, 0, "{}", String::from_utf8_lossy(&answer.body));
        }
        timed += start.elapsed();
        n += batch.len() as u64;
    }
    (n, timed)
}

fn print_handle_alone(settings: Settings) {
    for (name, workload, journal) in [
        ("CreatCDNTransferRule", Workload::Creat, true),
        ("ResumeCDNLiveStream", Workload::Resume, true),
        ("DescribeUserNum", Workload::UserNum, true),
        ("CreatCDNTransferRule, journal off", Workload::Creat, false),
        ("ResumeCDNLiveStream, journal off", Workload::Resume, false),
    ] {
        if settings.handle.is_some_and(|wanted| wanted != workload) {
            continue;
        }
        let (n, elapsed) = handle_alone(workload, settings, journal);
        println!(
            "  Engine::handle alone (no socket, 1 thread), {name}: {:.2} us/request ({:.0} req/s)",
            elapsed.as_secs_f64() * 1e6 / n as f64,
            n as f64 / elapsed.as_secs_f64()
        );
    }
}

/// Rounds the throughput phases are interleaved in, so that a slow spell of the machine (other
/// processes, frequency changes) weighs on the ceiling and the mock alike.
const ROUNDS: u32 = 5;
/// Connections of the paced phase: enough to keep several requests in flight, few enough that
/// the generator's own queueing (tasks waiting for a worker) does not dominate the latency.
const PACED_CONNECTIONS: usize = 16;

async fn run(settings: Settings, cpus: usize) {
    println!(
        "zego-mock load benchmark: loopback 127.0.0.1, {cpus} CPU(s), {} s per phase, {} keep-alive connections, {} StreamIds ({} per connection)",
        settings.duration.as_secs_f64(),
        settings.connections,
        settings.connections * settings.streams,
        settings.streams
    );
    if let Some(phase) = settings.only {
        run_one(phase, settings).await;
        return;
    }
    println!(
        "Each server runs alone on its own thread (a current-thread tokio runtime); the load generator runs on\n\
         another runtime ({} worker(s)) and drives every server alike, so each ratio compares like with like.\n\
         CPU/req is the server thread's CPU time (/proc/self/task/TID/schedstat, ns) over the phase divided by\n\
         its requests; CPU x is that over the ceiling's; user/req is its user-space part (/proc/self/task/TID/stat,\n\
         utime, in 10 ms ticks: the rest is the kernel's). The phases run interleaved in {ROUNDS} rounds of {:.1} s.\n\
         Rate limits are off; every request is validly signed with a fresh nonce; Sequences strictly increase\n\
         per StreamId; each round starts a fresh server.",
        settings.generator_threads,
        settings.duration.as_secs_f64() / f64::from(ROUNDS)
    );
    println!();
    let on = Target::Mock { journal: true };
    let off = Target::Mock { journal: false };
    let phases: [(&str, Target, Workload); 10] = [
        (
            "ceiling: plain hyper, fixed JSON body",
            Target::Ceiling,
            Workload::Creat,
        ),
        ("mock: CreatCDNTransferRule", on, Workload::Creat),
        ("mock: ResumeCDNLiveStream", on, Workload::Resume),
        ("mock: DescribeUserNum", on, Workload::UserNum),
        (
            "mock, journal off: CreatCDNTransferRule",
            off,
            Workload::Creat,
        ),
        (
            "mock, journal off: ResumeCDNLiveStream",
            off,
            Workload::Resume,
        ),
        ("mock, journal off: DescribeUserNum", off, Workload::UserNum),
        (
            "MockServer::start(): CreatCDNTransferRule",
            Target::MockServerThread,
            Workload::Creat,
        ),
        (
            "mock + slow callback receiver: Creat",
            Target::MockSlowCallbacks,
            Workload::Creat,
        ),
        (
            "ceiling, writev and header timer off",
            Target::CeilingFlat,
            Workload::Creat,
        ),
    ];
    let round = settings.duration / ROUNDS;
    let mut totals: Vec<Outcome> = phases.iter().map(|_| Outcome::default()).collect();
    let mut ratios: Vec<Vec<f64>> = phases.iter().map(|_| Vec::new()).collect();
    for _ in 0..ROUNDS {
        let mut rates = Vec::new();
        for (i, &(_, target, workload)) in phases.iter().enumerate() {
            let out = measure(target, workload, settings, round, None).await;
            rates.push(out.rate());
            totals[i].merge(out);
        }
        for (i, rate) in rates.iter().enumerate() {
            ratios[i].push(rate / rates[0]);
        }
    }
    header();
    for (i, &(name, target, _)) in phases.iter().enumerate() {
        let ceiling = (target != Target::Ceiling).then(|| &totals[0]);
        row(name, &totals[i], ceiling);
        if ceiling.is_some() {
            let (lo, hi) = ratios[i]
                .iter()
                .fold((f64::MAX, f64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));
            println!("    ratio per round: {lo:.2} to {hi:.2}");
        }
    }

    let creat = totals[1].rate();
    let target = creat / 2.0;
    let paced_settings = Settings {
        connections: settings.connections.min(PACED_CONNECTIONS),
        ..settings
    };
    let paced = measure(
        Target::Mock { journal: true },
        Workload::Creat,
        paced_settings,
        settings.duration,
        Some(target),
    )
    .await;
    row(
        &format!(
            "paced Creat at {target:.0}/s, {} conns",
            paced_settings.connections
        ),
        &paced,
        None,
    );
    println!();
    let ratio_creat = creat / totals[0].rate();
    let ratio_resume = totals[2].rate() / totals[0].rate();
    println!(
        "mock / ceiling, journal on: CreatCDNTransferRule {ratio_creat:.3}, ResumeCDNLiveStream {ratio_resume:.3} (target >= 0.85): {}",
        verdict(ratio_creat.min(ratio_resume) >= 0.85)
    );
    let flat = &totals[phases.len() - 1];
    println!(
        "against plain hyper with vectored writes and its header timer off (as the mock sets hyper; {:.2} of the plain ceiling): CreatCDNTransferRule {:.2}, ResumeCDNLiveStream {:.2}",
        flat.rate() / totals[0].rate(),
        creat / flat.rate(),
        totals[2].rate() / flat.rate(),
    );
    let cpu_ratio = |i: usize| {
        totals[i]
            .cpu_us()
            .zip(totals[0].cpu_us())
            .map_or(f64::NAN, |(a, b)| a / b)
    };
    println!(
        "server CPU per request over the ceiling's, journal on: CreatCDNTransferRule {:.3}, ResumeCDNLiveStream {:.3} (target <= 1.20): {}",
        cpu_ratio(1),
        cpu_ratio(2),
        verdict(cpu_ratio(1).max(cpu_ratio(2)) <= 1.20)
    );
    println!(
        "paced at half the mock's peak: p99 {} (target < 2 ms): {}; latency counts from the moment a request is written",
        ms(paced.percentile(0.99)),
        verdict(paced.percentile(0.99) < Duration::from_millis(2))
    );
    println!(
        "with a slow callback receiver (every attempt times out after 1 s; users log in and out meanwhile): \
         CreatCDNTransferRule {:.0}/s vs {:.0}/s without, ratio {:.2}; {} callback events emitted, {} attempts in the journals' last 1000 deliveries",
        totals[8].rate(),
        creat,
        totals[8].rate() / creat,
        CALLBACK_EVENTS.load(std::sync::atomic::Ordering::Relaxed),
        CALLBACK_ATTEMPTS.load(std::sync::atomic::Ordering::Relaxed),
    );
    print_handle_alone(settings);

    println!();
    println!("startup:");
    let (first, median, max) = startup_in_process().await;
    println!(
        "  MockServer::start() until listening: first {}, median {}, max {} over 20 starts (target < 10 ms): {}",
        ms(first),
        ms(median),
        ms(max),
        verdict(max < Duration::from_millis(10))
    );
    match tokio::task::spawn_blocking(startup_binary)
        .await
        .expect("startup task")
    {
        Ok((bin, printed, answered)) => println!(
            "  {bin} --bind 127.0.0.1:0 --quiet:\n    address printed after {}, first answer after {} (target < 100 ms): {}",
            ms(printed),
            ms(answered),
            verdict(answered < Duration::from_millis(100))
        ),
        Err(e) => println!("  binary: not measured: {e}"),
    }
}

/// One phase alone (`--only`), for profiling.
async fn run_one(phase: &str, settings: Settings) {
    let (target, workload) = match phase {
        "ceiling" => (Target::Ceiling, Workload::Creat),
        "ceiling-flat" => (Target::CeilingFlat, Workload::Creat),
        "creat" => (Target::Mock { journal: true }, Workload::Creat),
        "resume" => (Target::Mock { journal: true }, Workload::Resume),
        "usernum" => (Target::Mock { journal: true }, Workload::UserNum),
        "inproc" => (Target::MockServerThread, Workload::Creat),
        "callbacks" => (Target::MockSlowCallbacks, Workload::Creat),
        _ => {
            print_handle_alone(settings);
            return;
        }
    };
    header();
    let out = measure(target, workload, settings, settings.duration, None).await;
    row(phase, &out, None);
    if let Some(us) = out.cpu_us() {
        println!("server CPU per request: {us:.2} us");
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}
