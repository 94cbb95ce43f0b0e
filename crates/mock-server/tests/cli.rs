//! The `zego-mock` binary: `--help`, `sign`, serving, and shutdown on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_zego-mock");

fn http_get(addr: &str, path_and_query: &str) -> String {
    http_get_as(addr, addr, path_and_query, "")
}

/// A GET to `addr` with `Host: host` and extra header lines (each ending in CRLF).
fn http_get_as(addr: &str, host: &str, path_and_query: &str, headers: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET {path_and_query} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

struct Running {
    child: Child,
    addr: String,
    banner: Vec<String>,
    /// Lines written to stderr so far (a thread drains the pipe, so the server never blocks on
    /// a full one).
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Running {
    /// Waits (up to 5 s) for a stderr line containing `needle`.
    fn stderr_line(&self, needle: &str) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let lines = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(line) = lines.iter().find(|l| l.contains(needle)) {
                return Some(line.clone());
            }
            drop(lines);
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on a free port and reads its banner up to the "stop with" line.
fn start(args: &[&str]) -> Running {
    start_with(&["--bind", "127.0.0.1:0"], args, &[])
}

/// Starts the binary with `base` and `args` and the environment variables `envs` (with none of
/// the ZEGO_MOCK_ ones of the test's own environment, nor RUST_LOG).
fn start_with(base: &[&str], args: &[&str], envs: &[(&str, &str)]) -> Running {
    let mut command = Command::new(BIN);
    for (name, _) in std::env::vars() {
        if name.starts_with("ZEGO_") || name == "RUST_LOG" {
            command.env_remove(name);
        }
    }
    // The CA goes to a directory of the build's, never the user's data directory.
    command.env(
        "ZEGO_MOCK_DATA_DIR",
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-data"),
    );
    let mut child = command
        .args(base)
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zego-mock");
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let err_pipe = child.stderr.take().expect("stderr");
    let sink = stderr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(err_pipe).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap_or_else(|p| p.into_inner()).push(line);
        }
    });
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut banner = Vec::new();
    loop {
        let mut line = String::new();
        let n = out.read_line(&mut line).expect("read banner");
        assert!(n > 0, "zego-mock exited early; banner so far: {banner:?}");
        let done = line.contains("stop with") || args.contains(&"--quiet");
        banner.push(line.trim_end().to_string());
        if done {
            break;
        }
    }
    let addr = banner[0]
        .rsplit("http://")
        .next()
        .expect("address in the first line")
        .to_string();
    Running {
        child,
        addr,
        banner,
        stderr,
    }
}

#[test]
fn help_answers_the_usual_questions() {
    let out = Command::new(BIN).arg("--help").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--bind",
        "--app",
        "APPID:SECRET",
        "--legacy-codes",
        "--callback-url",
        "--callback-secret",
        "--callback-format",
        "--no-rate-limit",
        "sign",
        "1234567890",
        "127.0.0.1:7272",
        "--https-bind",
        "ZEGO_MOCK_HTTPS_BIND",
        "--data-dir",
        "ZEGO_MOCK_DATA_DIR",
        "zego-mock ca",
        "eval \"$(zego-mock env)\"",
        "--proxy http://127.0.0.1:7272 --cacert",
    ] {
        assert!(text.contains(needle), "--help lacks {needle}:\n{text}");
    }
    let out = Command::new(BIN)
        .args(["sign", "--help"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("NAME=VALUE") && text.contains("ZEGO_SERVER_SECRET"),
        "{text}"
    );
    let out = Command::new(BIN)
        .args(["env", "--help"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["--bind", "--data-dir", "eval", "refused", "NO_PROXY"] {
        assert!(text.contains(needle), "env --help lacks {needle}:\n{text}");
    }
}

#[test]
fn sign_prints_the_documented_signature() {
    let out = Command::new(BIN)
        .args([
            "sign",
            "--action",
            "CreatCDNTransferRule",
            "--app-id",
            "12345",
            "--secret",
            "9193cc662a4c0ec135ec71fb57194b38",
            "--timestamp",
            "1615186943",
            "--nonce",
            "4fd24687296dd9f3",
            "--base-url",
            "https://rtc-api.zego.im",
            "StreamId=s1",
            "CDNUrl=rtmp://h/a",
            "StreamId[]=x",
        ])
        .env_remove("ZEGO_SERVER_SECRET")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(
        url,
        "https://rtc-api.zego.im/?Action=CreatCDNTransferRule&AppId=12345&SignatureNonce=4fd24687296dd9f3&Timestamp=1615186943&Signature=43e5cfcca828314675f91b001390566a&SignatureVersion=2.0&StreamId=s1&CDNUrl=rtmp%3A%2F%2Fh%2Fa&StreamId[]=x"
    );
    // The secret never shows in the output.
    assert!(!url.contains("9193cc662a4c0ec135ec71fb57194b38"));
    let bad = Command::new(BIN)
        .args(["sign", "--action", "X", "novalue"])
        .output()
        .expect("run");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NAME=VALUE"));
}

#[test]
fn sign_warns_on_an_action_zego_does_not_document_and_names_the_nearest() {
    let out = Command::new(BIN)
        .args([
            "sign",
            "--action",
            "CreateCDNTransferRule",
            "--secret",
            "s",
            "StreamId=s1",
        ])
        .env_remove("ZEGO_SERVER_SECRET")
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning") && err.contains("did you mean CreatCDNTransferRule?"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Action=CreateCDNTransferRule"));
    // A documented action signs without a word.
    let out = Command::new(BIN)
        .args(["sign", "--action", "CreatCDNTransferRule", "--secret", "s"])
        .env_remove("ZEGO_SERVER_SECRET")
        .output()
        .expect("run");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn with_no_app_it_serves_the_dev_app_and_its_curl_line_works() {
    let running = start(&[]);
    let text = running.banner.join("\n");
    assert!(
        text.contains("1234567890") && text.contains("0123456789abcdef0123456789abcdef"),
        "{text}"
    );
    let curl = running
        .banner
        .iter()
        .find(|l| l.trim_start().starts_with("curl "))
        .expect("a curl line");
    let url = curl
        .trim()
        .trim_start_matches("curl '")
        .trim_end_matches('\'');
    let path = &url[url.find("/?").expect("query")..];
    // Pasted twice in a row, it answers 0 both times (no Sequence to go stale).
    for _ in 0..2 {
        let answer = http_get(&running.addr, path);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains("\"Code\":0"), "{answer}");
    }
}

#[test]
fn configured_apps_are_served_and_their_secrets_are_not_printed() {
    let running = start(&["--app", "12345:topsecretvalue", "--legacy-codes"]);
    let text = running.banner.join("\n");
    assert!(
        text.contains("12345") && !text.contains("topsecretvalue"),
        "{text}"
    );
    assert!(text.contains("legacy codes: on"), "{text}");
    // A bad signature answers the action's legacy code.
    let answer = http_get(
        &running.addr,
        "/?Action=CreatCDNTransferRule&AppId=12345&SignatureNonce=n&Timestamp=1&Signature=x&SignatureVersion=2.0",
    );
    // Timestamp 1 is far outside the window: CreatCDNTransferRule has no legacy timestamp code.
    assert!(answer.contains("\"Code\":100000004"), "{answer}");
    let out = Command::new(BIN)
        .args([
            "sign",
            "--action",
            "CreatCDNTransferRule",
            "--app-id",
            "12345",
            "--secret",
            "topsecretvalue",
            "StreamId=s",
            "Sequence=1",
        ])
        .output()
        .expect("sign");
    let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let wrong = url.replacen("Signature=", "Signature=0", 1);
    let answer = http_get(&running.addr, &wrong[wrong.find("/?").expect("query")..]);
    assert!(answer.contains("\"Code\":5003"), "{answer}");
    let answer = http_get(&running.addr, &url[url.find("/?").expect("query")..]);
    assert!(answer.contains("\"Code\":0"), "{answer}");
}

#[test]
fn a_bad_app_flag_is_a_clear_usage_error() {
    let out = Command::new(BIN)
        .args(["--app", "notanumber:s"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not an unsigned 32-bit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly() {
    let mut running = start(&["--quiet"]);
    let answer = http_get(&running.addr, "/?Action=Nope");
    assert!(answer.contains("100000007"), "{answer}");
    let pid = running.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = running.child.wait().expect("wait");
    assert!(status.success(), "exit status {status:?}");
    assert!(
        TcpStream::connect(&running.addr).is_err(),
        "still listening after SIGTERM"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_lets_an_in_flight_request_finish() {
    let mut running = start(&["--quiet", "--app", "5:five"]);
    // Every API answer waits 400 ms (an injected latency fault), so a request is in flight ...
    let fault = r#"{"kind":{"latency_millis":400},"when":"always"}"#;
    let mut s = TcpStream::connect(&running.addr).expect("connect");
    write!(s, "POST /_mock/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{fault}", fault.len()).expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    let signed = Command::new(BIN)
        .args([
            "sign",
            "--action",
            "ResumeCDNLiveStream",
            "--app-id",
            "5",
            "--secret",
            "five",
            "StreamId=s",
        ])
        .output()
        .expect("sign");
    let url = String::from_utf8_lossy(&signed.stdout).trim().to_string();
    let path = url[url.find("/?").expect("query")..].to_string();
    let addr = running.addr.clone();
    let started = std::time::Instant::now();
    let in_flight = std::thread::spawn(move || http_get(&addr, &path));
    // ... once the journal shows it arrived.
    loop {
        let journal = http_get(&running.addr, "/_mock/journal");
        if journal.contains("\"action\":\"ResumeCDNLiveStream\"") {
            break;
        }
        std::thread::yield_now();
    }
    let pid = running.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill")
        .success());
    let answer = in_flight.join().expect("request thread");
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.contains("\"Code\":0"),
        "{answer}"
    );
    // It really was held back by the fault, so it was in flight when SIGTERM arrived.
    assert!(started.elapsed() >= std::time::Duration::from_millis(400));
    assert!(running.child.wait().expect("wait").success());
}

#[test]
fn sign_prints_a_ready_curl_command_for_a_post_action_that_the_binary_answers() {
    let running = start(&["--quiet"]);
    let body = r#"{"TaskId":"it's-1"}"#;
    let out = Command::new(BIN)
        .args(["sign", "--action", "StopMix", "--base-url"])
        .arg(format!("http://{}", running.addr))
        .args(["--body", body])
        .output()
        .expect("run");
    assert!(out.status.success());
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        line.starts_with("curl -s -X POST -H 'Content-Type: application/json' -d '{\"TaskId\":\"it'\\''s-1\"}' 'http://"),
        "{line}"
    );
    // What the command sends: the quoted URL, and the body as given.
    let url = line
        .rsplit(" '")
        .next()
        .expect("url")
        .trim_end_matches('\'');
    let path = url.split_once(&running.addr).expect("address").1;
    let mut s = TcpStream::connect(&running.addr).expect("connect");
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        running.addr,
        body.len()
    )
    .expect("write");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    assert!(answer.contains("\"Code\":0"), "{answer}");
    // A body that is not JSON is refused before anything is printed.
    let bad = Command::new(BIN)
        .args(["sign", "--action", "StopMix", "--body", "{nope"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
}

fn http_send(addr: &str, method: &str, path: &str, body: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

/// Reads one HTTP request (head and Content-Length body) from an accepted connection, and
/// answers 200.
fn receive_one(listener: &std::net::TcpListener) -> String {
    let (mut conn, _) = listener.accept().expect("a callback arrives");
    conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("timeout");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = conn.read(&mut chunk).expect("read the callback");
        assert!(
            n > 0,
            "connection closed early: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length: usize = text[..head_end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= head_end + 4 + length {
                let _ = conn.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
                return text;
            }
        }
    }
}

#[test]
fn callback_url_sends_the_served_apps_callbacks_and_never_prints_the_secret() {
    // Arrange: a receiver, and the mock pointed at it.
    let receiver = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/zego", receiver.local_addr().expect("addr"));
    let running = start(&[
        "--app",
        "12345:topsecretvalue",
        "--callback-url",
        &url,
        "--callback-secret",
        "callbacksecretvalue",
    ]);
    let text = running.banner.join("\n");
    assert!(text.contains(&url), "{text}");
    assert!(!text.contains("callbacksecretvalue"), "{text}");

    // Act: a simulated login.
    let answer = http_send(
        &running.addr,
        "POST",
        "/_mock/apps/12345/rooms/room1/users",
        r#"{"user_id":"alice"}"#,
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Assert: room_create arrives, signed with the given secret.
    let request = receive_one(&receiver);
    assert!(request.starts_with("POST /zego HTTP/1.1"), "{request}");
    assert!(request.contains("room_create"), "{request}");
    let config = http_get(&running.addr, "/_mock/apps/12345/callbacks");
    assert!(
        config.contains("\"secret\":\"callbacksecretvalue\""),
        "{config}"
    );
    assert!(config.contains("\"room_user\""), "{config}");
}

#[test]
fn a_bad_callback_url_is_a_clear_usage_error() {
    let out = Command::new(BIN)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--callback-url",
            "ftp://example.com",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("http://"), "{stderr}");
}

#[test]
fn every_option_can_come_from_the_environment_and_bind_takes_host_names() {
    let secret = "5ec12e7a5ec12e7a5ec12e7a5ec12e7a";
    let app = format!("12345:{secret}:test,777:another-secret-value");
    let running = start_with(
        &[],
        &[],
        &[
            ("ZEGO_MOCK_BIND", "localhost:0"),
            ("ZEGO_MOCK_APPS", &app),
            ("ZEGO_MOCK_LEGACY_CODES", "true"),
            ("ZEGO_MOCK_NO_RATE_LIMIT", "true"),
        ],
    );
    let text = running.banner.join("\n");
    assert!(text.contains("serving AppIds: 777, 12345"), "{text}");
    assert!(
        text.contains("rate limits: off, legacy codes: on"),
        "{text}"
    );
    assert!(
        !text.contains(secret) && !text.contains("another-secret-value"),
        "{text}"
    );
    // localhost resolved to a loopback address, which is printed.
    assert!(
        running.banner[0].contains("http://127.0.0.1:")
            || running.banner[0].contains("http://[::1]:"),
        "{}",
        running.banner[0]
    );
    let health = http_get(&running.addr, "/_mock/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");

    // --help names every variable and never shows the value of a secret one.
    let out = Command::new(BIN)
        .arg("--help")
        .env("ZEGO_MOCK_APPS", &app)
        .env("ZEGO_CALLBACK_SECRET", "cb-secret-value")
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for var in [
        "ZEGO_MOCK_BIND",
        "ZEGO_MOCK_APPS_FILE",
        "ZEGO_MOCK_LEGACY_CODES",
        "ZEGO_MOCK_NO_RATE_LIMIT",
        "ZEGO_MOCK_REVEAL_SIGNATURES",
        "ZEGO_MOCK_NO_ADMIN",
        "ZEGO_MOCK_JOURNAL_SIZE",
        "ZEGO_MOCK_MAX_CONNECTIONS",
        "ZEGO_MOCK_CALLBACK_URL",
        "ZEGO_CALLBACK_SECRET",
        "ZEGO_MOCK_CALLBACK_FORMAT",
        "ZEGO_MOCK_QUIET",
        "ZEGO_MOCK_LOG_FORMAT",
        "ZEGO_MOCK_LOG_LEVEL",
    ] {
        assert!(
            help.contains(&format!("[env: {var}")),
            "{var} missing from --help"
        );
    }
    assert!(
        !help.contains(secret) && !help.contains("cb-secret-value"),
        "{help}"
    );
    // A malformed address is a usage error.
    let bad = Command::new(BIN)
        .args(["--bind", "localhost"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("HOST:PORT"));
}

#[test]
fn a_refused_request_is_logged_as_one_json_line_without_secrets() {
    let running = start(&["--log-format", "json"]);
    let wrong_secret = "ffffffffffffffffffffffffffffffff";
    let query = zego_mock::signed_query(
        zego_mock::DEV_APP_ID,
        wrong_secret,
        "CreatCDNTransferRule",
        zego_mock::Clock::now_secs(&zego_mock::SystemClock),
        "4fd24687296dd9f3",
        &[("StreamId", "s1"), ("Sequence", "1")],
    );
    let answer = http_get(&running.addr, &format!("/?{query}"));
    assert!(answer.contains("100000005"), "{answer}");
    let line = running
        .stderr_line("\"refused\"")
        .expect("a log line for the refused request");
    let v: serde_json::Value = serde_json::from_str(&line).expect("one JSON object per line");
    assert_eq!(v["level"], "WARN", "{line}");
    assert_eq!(v["target"], zego_mock::REQUEST_TARGET, "{line}");
    assert_eq!(v["message"], "refused", "{line}");
    assert_eq!(v["action"], "CreatCDNTransferRule", "{line}");
    assert_eq!(v["app_id"], u64::from(zego_mock::DEV_APP_ID), "{line}");
    // The gateway refused it before reading IsTest: no environment yet.
    assert_eq!(v["env"], serde_json::Value::Null, "{line}");
    assert_eq!(v["code"], 100000005, "{line}");
    assert_eq!(v["check"], "signature", "{line}");
    assert!(
        v["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{line}"
    );
    assert!(v["timestamp"].is_string(), "{line}");
    let expected = zego_mock::sign(
        zego_mock::DEV_APP_ID,
        "4fd24687296dd9f3",
        zego_mock::DEV_SERVER_SECRET,
        zego_mock::Clock::now_secs(&zego_mock::SystemClock),
    );
    for secret in [
        zego_mock::DEV_SERVER_SECRET,
        wrong_secret,
        expected.as_str(),
    ] {
        assert!(!line.contains(secret), "{line}");
    }
    // An answered request is a line too, at INFO.
    let answer = http_get(&running.addr, "/_mock/health");
    assert!(answer.starts_with("HTTP/1.1 200"));
    let ok = zego_mock::signed_query(
        zego_mock::DEV_APP_ID,
        zego_mock::DEV_SERVER_SECRET,
        "DescribeUserNum",
        zego_mock::Clock::now_secs(&zego_mock::SystemClock),
        "4fd24687296dd9f4",
        &[("RoomId[]", "r1")],
    );
    http_get(&running.addr, &format!("/?{ok}"));
    let line = running
        .stderr_line("\"DescribeUserNum\"")
        .expect("a log line for the answered request");
    let v: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    assert_eq!(
        (v["level"].as_str(), v["code"].as_i64()),
        (Some("INFO"), Some(0)),
        "{line}"
    );
}

#[test]
fn text_logs_by_default_and_quiet_logs_nothing_unless_asked() {
    let running = start(&[]);
    http_get(&running.addr, "/?Action=CreateCDNTransferRule");
    let line = running.stderr_line("refused").expect("a text log line");
    assert!(
        line.contains("WARN")
            && line.contains("code=100000007")
            && line.contains("check=\"action\""),
        "{line}"
    );
    drop(running);

    let mut quiet = start(&["--quiet"]);
    http_get(&quiet.addr, "/?Action=CreateCDNTransferRule");
    assert!(quiet.stderr_line("refused").is_none());
    let _ = quiet.child.kill();
    let _ = quiet.child.wait();

    let loud = start(&["--quiet", "--log-level", "warn"]);
    http_get(&loud.addr, "/?Action=CreateCDNTransferRule");
    assert!(loud.stderr_line("refused").is_some());
}

#[test]
fn a_mistyped_app_never_prints_its_secret() {
    for arg in [
        "1234x:topsecretvalue",
        "topsecretvalue",
        "12345:",
        "99999999999:topsecretvalue:test",
    ] {
        let out = Command::new(BIN)
            .args(["--app", arg])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("topsecretvalue"), "{arg}: {text}");
        assert!(text.contains("--app"), "{arg}: {text}");
    }
    // The same from the environment and from a file.
    let out = Command::new(BIN)
        .env("ZEGO_MOCK_APPS", "1:ok 2x:topsecretvalue")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ZEGO_MOCK_APPS: app 2") && !err.contains("topsecretvalue"),
        "{err}"
    );
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("zego-mock-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("write temp file");
    path
}

#[test]
fn apps_come_from_the_environment_and_a_file_and_secrets_may_hold_colons() {
    let file = temp_file(
        "apps.txt",
        "# staging apps\n\n  222:file:secret:with:colons:test  \n333:plain\n",
    );
    let mut child = Command::new(BIN)
        .env(
            "ZEGO_MOCK_DATA_DIR",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-data"),
        )
        .args(["--bind", "127.0.0.1:0", "--app", "111:cli:secret"])
        .arg("--apps-file")
        .arg(&file)
        .env("ZEGO_MOCK_APPS", "444:env:secret, 555:x:production")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut banner = String::new();
    while !banner.contains("stop with") {
        let n = out.read_line(&mut banner).expect("read");
        assert!(n > 0, "exited early: {banner}");
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&file);
    assert!(
        banner.contains("serving AppIds: 111, 222, 333, 444, 555"),
        "{banner}"
    );
    for secret in ["cli:secret", "file:secret", "env:secret"] {
        assert!(!banner.contains(secret), "{banner}");
    }
    // An AppId given twice is an error, and a bad file line is named.
    let twice = Command::new(BIN)
        .args(["--app", "111:a"])
        .env("ZEGO_MOCK_APPS", "111:b")
        .output()
        .expect("run");
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("AppId 111 is given twice"));
    let bad = temp_file("bad.txt", "1:a\nnotanapp-topsecretvalue\n");
    let out = Command::new(BIN)
        .arg("--apps-file")
        .arg(&bad)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&bad);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2") && !err.contains("topsecretvalue"),
        "{err}"
    );
}

#[test]
fn the_journal_size_has_a_ceiling() {
    let out = Command::new(BIN)
        .args(["--journal-size", "100001"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0 to 100000"), "{err}");
    let running = start(&["--journal-size", "100000", "--quiet"]);
    assert!(running.addr.contains("127.0.0.1"));
}

#[test]
fn off_loopback_the_control_api_warns_and_needs_a_token() {
    // No token given: one is generated and printed on stderr, with a warning.
    let running = start_with(&[], &["--bind", "0.0.0.0:0"], &[]);
    let warning = running.stderr_line("warning: listening on 0.0.0.0:");
    assert!(warning.is_some_and(|w| w.contains("Authorization: Bearer")));
    let line = running
        .stderr_line("admin token")
        .expect("a generated token");
    let token = line.rsplit(' ').next().expect("token").to_string();
    assert_eq!(token.len(), 32, "{line}");
    let addr = running.addr.replace("0.0.0.0", "127.0.0.1");
    let refused = http_get(&addr, "/_mock/journal");
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    let ok = http_get_as(
        &addr,
        &addr,
        "/_mock/journal",
        &format!("Authorization: Bearer {token}\r\n"),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    // The API and health need none.
    assert!(http_get(&addr, "/_mock/health").starts_with("HTTP/1.1 200"));
    drop(running);

    // A token given (here from the environment) is used and never printed.
    let running = start_with(
        &[],
        &["--bind", "0.0.0.0:0"],
        &[("ZEGO_MOCK_ADMIN_TOKEN", "chosen-token-value")],
    );
    assert!(running.stderr_line("warning: listening on").is_some());
    let addr = running.addr.replace("0.0.0.0", "127.0.0.1");
    let ok = http_get_as(
        &addr,
        &addr,
        "/_mock/apps",
        "Authorization: Bearer chosen-token-value\r\n",
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let printed = running
        .stderr
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .join("\n")
        + &running.banner.join("\n");
    assert!(!printed.contains("chosen-token-value"), "{printed}");
    assert!(running.stderr_line("admin token").is_none());
}

#[test]
fn on_loopback_no_token_is_needed_and_the_bind_name_is_allowed() {
    let running = start_with(&[], &["--bind", "localhost:0"], &[]);
    assert!(running.stderr_line("warning: listening on").is_none());
    let port = running.addr.rsplit(':').next().expect("port").to_string();
    let out = http_get_as(
        &running.addr,
        &format!("localhost:{port}"),
        "/_mock/apps",
        "",
    );
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
}
