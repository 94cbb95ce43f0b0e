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
