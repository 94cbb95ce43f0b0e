//! The runner binary against a separately started `zego-mock` process over HTTP, with reports.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `zego-mock` binary of this workspace, built if `cargo test` has not built it already.
fn zego_mock_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/<test> -> target/<profile>/zego-mock
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join(format!("zego-mock{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "zego-mock", "--bin", "zego-mock"])
            .status()
            .expect("run cargo build");
        assert!(status.success(), "cargo build -p zego-mock failed");
    }
    assert!(bin.exists(), "{} not found", bin.display());
    bin
}

fn start_mock(args: &[&str]) -> (Killed, String) {
    let mut child = Command::new(zego_mock_binary())
        // The CA goes to a directory of the build's, never the user's data directory.
        .env(
            "ZEGO_MOCK_DATA_DIR",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance-data"),
        )
        .args([
            "--bind",
            "127.0.0.1:0",
            "--quiet",
            "--app",
            "424242:conformance-secret",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start zego-mock");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read address");
    let url = line.trim().rsplit(' ').next().expect("url").to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (Killed(child), url)
}

fn run_kit(url: &str, extra: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zego-conformance"))
        .args(["--target", url, "--app-id", "424242"])
        .args(extra)
        .env("ZEGO_SERVER_SECRET", "conformance-secret")
        .output()
        .expect("run zego-conformance");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_runner_passes_against_a_separate_zego_mock_process_and_writes_reports() {
    // Arrange: a zego-mock process with its control API (so clock and state cases run too).
    let (_mock, url) = start_mock(&[]);
    let dir = std::env::temp_dir().join(format!("zego-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let junit = dir.join("junit.xml");
    let json = dir.join("report.json");
    // Act
    let (ok, stdout) = run_kit(
        &url,
        &[
            "--junit",
            junit.to_str().expect("utf8"),
            "--json",
            json.to_str().expect("utf8"),
        ],
    );
    // Assert
    assert!(ok, "{stdout}");
    let last = stdout.lines().last().expect("output");
    let counts: Vec<usize> = last
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(
        last,
        format!("{} passed, 0 failed, {} skipped", counts[0], counts[2])
    );
    assert!(counts[0] > 80, "{last}");
    // Without --is-test credentials, only the test-environment cases are skipped.
    assert!(
        stdout
            .lines()
            .filter(|l| l.starts_with("skip"))
            .all(|l| l.contains("test environment")),
        "{stdout}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json report"))
            .expect("valid JSON");
    assert_eq!(report["summary"]["failed"], 0);
    assert_eq!(report["summary"]["passed"], counts[0]);
    let xml = std::fs::read_to_string(&junit).expect("junit report");
    assert!(
        xml.starts_with("<?xml")
            && xml.contains(&format!(
                "tests=\"{}\" failures=\"0\"",
                counts[0] + counts[2]
            )),
        "{xml}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn against_a_target_without_control_it_skips_and_says_why_and_it_fails_on_a_difference() {
    // A mock without its control API behaves like the real service for the kit. It does not
    // throttle here, so the kit need not space its requests.
    let (_mock, url) = start_mock(&["--no-admin", "--no-rate-limit"]);
    let (ok, stdout) = run_kit(&url, &["--no-pacing"]);
    assert!(ok, "{stdout}");
    assert!(
        stdout.contains("skip  gateway.skew-601: needs control of the target's clock"),
        "{stdout}"
    );
    assert!(
        stdout.contains("skip  flow.stream-state: needs the mock's control plane"),
        "{stdout}"
    );
    // A mock answering legacy codes differs from the documented gateway codes: the kit fails.
    let (_legacy, legacy_url) = start_mock(&["--legacy-codes"]);
    let (ok, stdout) = run_kit(&legacy_url, &["--filter", "gateway.signature-mismatch"]);
    assert!(!ok, "{stdout}");
    assert!(
        stdout.contains("FAIL  gateway.signature-mismatch: expected Code 100000005, got 5003")
            || stdout.contains("got 3"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("0 passed, 1 failed, 0 skipped"));
}

#[test]
fn list_shows_every_case_with_its_needs() {
    let out = Command::new(env!("CARGO_BIN_EXE_zego-conformance"))
        .arg("--list")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().count() > 80);
    assert!(
        text.lines()
            .any(|l| l.starts_with("gateway.skew-601") && l.contains("clock")),
        "{text}"
    );
}

#[test]
fn with_test_environment_credentials_the_test_cases_run_and_production_ones_are_skipped() {
    let (_mock, url) = start_mock(&[]);
    let (ok, stdout) = run_kit(&url, &["--is-test"]);
    assert!(ok, "{stdout}");
    let skipped: Vec<&str> = stdout.lines().filter(|l| l.starts_with("skip")).collect();
    assert!(
        !skipped.is_empty() && skipped.iter().all(|l| l.contains("production environment")),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok    CreatCDNTransferRule.rate-limit.test"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok    CreatCDNTransferRule.test-prefix"),
        "{stdout}"
    );
}

/// A control-plane GET on the mock, decoded.
fn mock_get(url: &str, path: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let host = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    let body = text.split_once("\r\n\r\n").expect("head").1;
    serde_json::from_str(body).expect("JSON")
}

#[test]
fn two_runs_in_a_row_pass_and_leave_the_shared_mock_as_they_found_it() {
    // Arrange: a running clock and a relay rule the run must not lose.
    let (_mock, url) = start_mock(&[]);
    let before = mock_get(&url, "/_mock/clock");
    assert_eq!(before["frozen"], false, "{before}");
    // Act: the whole catalogue, twice.
    let (first, out1) = run_kit(&url, &["--filter", "CreatCDNTransferRule"]);
    let (second, out2) = run_kit(&url, &["--filter", "CreatCDNTransferRule"]);
    // Assert: both green, and the clock runs again at real time, as before.
    assert!(first, "{out1}");
    assert!(second, "{out2}");
    let after = mock_get(&url, "/_mock/clock");
    assert_eq!(after["frozen"], false, "{after}");
    assert_eq!(after["offset_millis"], before["offset_millis"], "{after}");
    let drift =
        after["now_millis"].as_i64().expect("now") - before["now_millis"].as_i64().expect("now");
    assert!(
        (0..600_000).contains(&drift),
        "the clock moved by {drift} ms"
    );
    // The test-environment cases ran in the same pass (the app has both environments).
    assert!(
        out1.contains("ok    CreatCDNTransferRule.test-prefix"),
        "{out1}"
    );
}

#[test]
fn a_run_restores_a_frozen_clock_and_the_apps_state() {
    use std::io::{Read, Write};
    let (_mock, url) = start_mock(&[]);
    let host = url.trim_start_matches("http://").to_string();
    let send = |method: &str, path: &str, body: &str| {
        let mut stream = std::net::TcpStream::connect(&host).expect("connect");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("write");
        let mut text = String::new();
        stream.read_to_string(&mut text).expect("read");
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    };
    send("POST", "/_mock/clock/freeze", r#"{"at_secs":1800000000}"#);
    send(
        "PUT",
        "/_mock/apps/424242/state?env=production",
        r#"{"relay_rules":[{"stream_id":"keep-me","cdn_url":"rtmp://h/a","created_at_millis":1}]}"#,
    );
    send(
        "PUT",
        "/_mock/apps/424242/features",
        r#"{"auto_create_room":true}"#,
    );
    let (ok, out) = run_kit(&url, &["--filter", "flow.", "--filter", "DescribeUserNum"]);
    assert!(ok, "{out}");
    let clock = mock_get(&url, "/_mock/clock");
    assert_eq!(clock["frozen"], true);
    assert_eq!(clock["now_secs"], 1_800_000_000);
    let state = mock_get(&url, "/_mock/apps/424242/state?env=production");
    assert_eq!(state["relay_rules"][0]["stream_id"], "keep-me", "{state}");
    let features = mock_get(&url, "/_mock/apps/424242/features");
    assert_eq!(features["auto_create_room"], true, "{features}");
}

#[test]
fn an_unreachable_target_or_a_wrong_secret_is_one_line_and_exit_code_2() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let out = Command::new(env!("CARGO_BIN_EXE_zego-conformance"))
        .args(["--target", &url, "--app-id", "424242"])
        .env("ZEGO_SERVER_SECRET", "conformance-secret")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot reach"), "{err}");
    assert!(out.stdout.is_empty(), "no case ran");
    // The right mock, the wrong secret.
    let (_mock, url) = start_mock(&[]);
    let out = Command::new(env!("CARGO_BIN_EXE_zego-conformance"))
        .args(["--target", &url, "--app-id", "424242"])
        .env("ZEGO_SERVER_SECRET", "not-the-secret")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("refuses the credentials"), "{err}");
    assert!(
        !err.contains("not-the-secret"),
        "the secret is never printed: {err}"
    );
}

#[test]
fn a_filter_that_matches_nothing_exits_2_and_list_shows_each_document() {
    let out = Command::new(env!("CARGO_BIN_EXE_zego-conformance"))
        .args(["--filter", "NoSuchCaseAnywhere"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no case matches"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = Command::new(env!("CARGO_BIN_EXE_zego-conformance"))
        .arg("--list")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&list.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("CreatCDNTransferRule.success"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("media-service/create-cdn-transfer-rule.yaml"),
        "{line}"
    );
}

#[test]
fn a_mock_with_an_admin_token_is_used_with_it_and_named_without_it() {
    let (_mock, url) = start_mock(&["--admin-token", "kit-admin-token"]);
    let out = Command::new(env!("CARGO_BIN_EXE_zego-conformance"))
        .args(["--target", &url, "--app-id", "424242"])
        .env("ZEGO_SERVER_SECRET", "conformance-secret")
        .env_remove("ZEGO_MOCK_ADMIN_TOKEN")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--admin-token"), "{err}");
    let (ok, stdout) = run_kit(
        &url,
        &[
            "--admin-token",
            "kit-admin-token",
            "--filter",
            "DescribeUserNum.",
        ],
    );
    assert!(ok, "{stdout}");
    assert!(stdout.contains(" 0 failed"), "{stdout}");
    assert!(!stdout.contains("0 passed"), "{stdout}");
}
