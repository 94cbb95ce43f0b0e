//! Pointing an unmodified client at the mock: curl through the proxy with the mock's CA, a TLS
//! client trusting only that CA on `--https-bind`, other hosts refused, the host in the
//! journal, and the `ca` and `env` subcommands. Everything stays on loopback: with `--proxy`,
//! curl sends the host name to the proxy instead of resolving it.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zego_mock::{signed_query, Clock as _, SystemClock, DEV_APP_ID, DEV_SERVER_SECRET};

const BIN: &str = env!("CARGO_BIN_EXE_zego-mock");

/// Variables that would change what curl or the mock does, removed from every child.
const NOISY_VARS: [&str; 14] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "CURL_HOME",
    "RUST_LOG",
    "XDG_DATA_HOME",
];

/// A fresh, empty data directory for one test.
fn data_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "tls-{name}-{}-{}",
        std::process::id(),
        zego_mock::nonce()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    for (name, _) in std::env::vars() {
        if name.starts_with("ZEGO_") || NOISY_VARS.contains(&name.as_str()) {
            command.env_remove(name);
        }
    }
    command
}

/// The binary run to completion.
fn run(args: &[&str]) -> Output {
    command(BIN).args(args).output().expect("run zego-mock")
}

struct Running {
    child: Child,
    /// The main (plain HTTP and proxy) address.
    addr: String,
    /// The `--https-bind` address, when asked for.
    https: Option<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary quietly on a free port (and HTTPS on another with `https`), its CA in
/// `dir`, and reads the addresses it prints.
fn start(dir: &Path, https: bool) -> Running {
    let mut command = command(BIN);
    command.args(["--bind", "127.0.0.1:0", "--quiet", "--data-dir"]);
    command.arg(dir);
    if https {
        command.args(["--https-bind", "127.0.0.1:0"]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn zego-mock");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = |prefix: &str| {
        let mut line = String::new();
        out.read_line(&mut line).expect("read the banner");
        line.trim_end()
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("expected {prefix:?}, got {line:?}"))
            .to_string()
    };
    let addr = line("zego-mock listening on http://");
    let https = https.then(|| line("zego-mock listening on https://"));
    Running { child, addr, https }
}

/// A signed DescribeUserNum query for the development app, at the system clock's time (the
/// binary's clock).
fn signed(room: &str) -> String {
    let room_param = ("RoomId[]", room);
    signed_query(
        DEV_APP_ID,
        DEV_SERVER_SECRET,
        "DescribeUserNum",
        SystemClock.now_secs(),
        &zego_mock::nonce(),
        &[room_param],
    )
}

/// Runs curl (`-q`: no .curlrc); a missing curl fails the test, since CI machines have one.
fn curl(args: &[&str]) -> Output {
    command("curl")
        .arg("-q")
        .args(args)
        .output()
        .expect("curl must be installed to run these tests")
}

/// One raw request on a new connection, read until the server closes it.
fn raw(addr: &str, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(request.as_bytes()).expect("write");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

fn journal(addr: &str, query: &str) -> Value {
    let (status, text) = raw(
        addr,
        &format!("GET /_mock/journal{query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200, "{text}");
    let body = text.split("\r\n\r\n").nth(1).expect("a body");
    serde_json::from_str(body).expect("journal JSON")
}

fn code_of(body: &str) -> i64 {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    v["Code"].as_i64().expect("Code")
}

#[test]
fn curl_through_the_proxy_with_the_ca_gets_the_mock_and_the_journal_shows_the_host() {
    let dir = data_dir("curl");
    let server = start(&dir, false);
    let proxy = format!("http://{}", server.addr);
    let ca = dir.join("ca.pem");
    let ca = ca.to_str().expect("UTF-8 path");

    // HTTPS through CONNECT, for the global host and a regional one.
    for host in ["rtc-api.zego.im", "rtc-api-sgp.zego.im"] {
        let url = format!("https://{host}/?{}", signed(host));
        let out = curl(&["-sS", "--proxy", &proxy, "--cacert", ca, &url]);
        let body = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{host}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(code_of(&body), 0, "{host}: {body}");
        assert!(body.contains(&format!("\"RoomId\":\"{host}\"")), "{body}");
    }

    // Without the CA, curl refuses the certificate: the TLS is the mock's own.
    let url = format!("https://rtc-api.zego.im/?{}", signed("no-ca"));
    let out = curl(&["-sS", "--proxy", &proxy, &url]);
    assert_eq!(out.status.code(), Some(60), "{out:?}");

    // Plain http:// through the proxy is an absolute-form request, served too.
    let url = format!("http://rtc-api-fra.zego.im/?{}", signed("plain"));
    let out = curl(&["-sS", "--proxy", &proxy, &url]);
    assert_eq!(code_of(&String::from_utf8_lossy(&out.stdout)), 0);

    // The journal shows where each request was sent, and filters by it.
    let all = journal(&server.addr, "");
    let hosts: Vec<&str> = all["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["host"].as_str().expect("a host"))
        .collect();
    assert_eq!(
        hosts,
        [
            "rtc-api.zego.im",
            "rtc-api-sgp.zego.im",
            "rtc-api-fra.zego.im"
        ]
    );
    let sgp = journal(&server.addr, "?host=RTC-API-SGP.zego.im");
    assert_eq!(sgp["entries"].as_array().expect("entries").len(), 1);
    assert_eq!(sgp["entries"][0]["action"], "DescribeUserNum");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn other_hosts_are_refused_naming_the_hosts_served_and_nothing_is_forwarded() {
    let dir = data_dir("refuse");
    let server = start(&dir, false);
    let refusals = [
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        // A ZEGO host on another port is not served either.
        "CONNECT rtc-api.zego.im:8443 HTTP/1.1\r\nHost: rtc-api.zego.im:8443\r\n\r\n",
        "GET http://example.com/?Action=DescribeUserNum HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n",
        "GET http://rtc-api.zego.im.example.com/ HTTP/1.1\r\nHost: rtc-api.zego.im.example.com\r\nConnection: close\r\n\r\n",
    ];
    for request in refusals {
        let (status, text) = raw(&server.addr, request);
        assert_eq!(status, 403, "{request}: {text}");
        let body = text.split("\r\n\r\n").nth(1).expect("a body");
        let v: Value = serde_json::from_str(body).expect("JSON");
        let error = v["error"].as_str().expect("an error");
        for host in zego_mock::ZEGO_API_HOSTS {
            assert!(error.contains(host), "{error}");
        }
        assert!(error.contains("forwards nothing"), "{error}");
    }
    // curl sees the refusal of the tunnel.
    let out = curl(&[
        "-sS",
        "--proxy",
        &format!("http://{}", server.addr),
        "https://example.com/",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("403"),
        "{out:?}"
    );
    // None of them reached the API.
    let all = journal(&server.addr, "");
    assert_eq!(all["entries"].as_array().expect("entries").len(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A TLS client configuration trusting exactly `roots` (PEM).
fn client_config(roots: &[&str]) -> Arc<rustls::ClientConfig> {
    let mut store = rustls::RootCertStore::empty();
    for pem in roots {
        let cert = CertificateDer::from_pem_slice(pem.as_bytes()).expect("a PEM certificate");
        store.add(cert).expect("a usable root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(store)
            .with_no_client_auth(),
    )
}

/// A GET over TLS to `addr` for `name`: the answer's text, or the TLS error.
async fn https_get(
    addr: &str,
    name: &'static str,
    config: Arc<rustls::ClientConfig>,
    path_and_query: &str,
) -> Result<String, std::io::Error> {
    let tcp = tokio::net::TcpStream::connect(addr).await?;
    let connector = tokio_rustls::TlsConnector::from(config);
    let server_name = ServerName::try_from(name).expect("a server name");
    let mut tls = connector.connect(server_name, tcp).await?;
    tls.write_all(
        format!("GET {path_and_query} HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .await?;
    let mut out = Vec::new();
    // The server may close without close_notify; what was read is the answer.
    let _ = tls.read_to_end(&mut out).await;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn the_https_listener_serves_a_client_that_trusts_only_the_ca() {
    let dir = data_dir("https");
    let server = start(&dir, true);
    let https = server.https.clone().expect("an HTTPS address");
    let ca = std::fs::read_to_string(dir.join("ca.pem")).expect("ca.pem");
    let path = format!("/?{}", signed("over-tls"));
    for name in ["localhost", "127.0.0.1", "rtc-api.zego.im"] {
        let text = https_get(&https, name, client_config(&[&ca]), &path)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.starts_with("HTTP/1.1 200"), "{name}: {text}");
        let body = text.split("\r\n\r\n").nth(1).expect("a body");
        assert_eq!(code_of(body), 0, "{name}: {body}");
    }
    // Another CA's client refuses the certificate.
    let other = zego_mock::LocalCa::generate().expect("CA");
    let refused = https_get(
        &https,
        "localhost",
        client_config(&[other.cert_pem()]),
        &path,
    )
    .await;
    assert!(refused.is_err(), "{refused:?}");
    // The journal, read over HTTPS, shows the Host each request was sent with.
    let text = https_get(&https, "localhost", client_config(&[&ca]), "/_mock/journal")
        .await
        .expect("journal");
    let body = text.split("\r\n\r\n").nth(1).expect("a body");
    let v: Value = serde_json::from_str(body).expect("JSON");
    let hosts: Vec<&str> = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["host"].as_str().expect("host"))
        .collect();
    assert_eq!(hosts, ["localhost", "127.0.0.1", "rtc-api.zego.im"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ca_prints_a_stable_pem_and_keeps_its_key_private() {
    let dir = data_dir("ca");
    let dir_arg = dir.to_str().expect("UTF-8 path");
    let first = run(&["ca", "--data-dir", dir_arg]);
    assert!(first.status.success(), "{first:?}");
    let pem = String::from_utf8(first.stdout.clone()).expect("UTF-8");
    CertificateDer::from_pem_slice(pem.as_bytes()).expect("a PEM certificate");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains(&format!("{dir_arg}/ca.pem")), "{stderr}");
    assert!(stderr.contains("created"), "{stderr}");
    // The same CA the second time, read from the environment variable this time.
    let second = command(BIN)
        .arg("ca")
        .env("ZEGO_MOCK_DATA_DIR", &dir)
        .output()
        .expect("run");
    assert!(second.status.success());
    assert_eq!(first.stdout, second.stdout);
    assert!(!String::from_utf8_lossy(&second.stderr).contains("created"));
    // The key: mode 0600, and never printed.
    let key = std::fs::read_to_string(dir.join("ca-key.pem")).expect("the key file");
    assert!(key.contains("PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("ca-key.pem"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for out in [&first, &second] {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("PRIVATE"), "{all}");
    }
    // A corrupt key is a clear error naming it, not a panic; --https-bind cannot start.
    std::fs::write(dir.join("ca-key.pem"), "garbage").expect("write");
    let out = run(&["ca", "--data-dir", dir_arg]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{dir_arg}/ca-key.pem")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let out = run(&[
        "--bind",
        "127.0.0.1:0",
        "--https-bind",
        "127.0.0.1:0",
        "--data-dir",
        dir_arg,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ca-key.pem"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn env_prints_exports_a_shell_can_eval() {
    let dir = data_dir("env");
    let dir_arg = dir.to_str().expect("UTF-8 path");
    let out = run(&["env", "--bind", "127.0.0.1:7443", "--data-dir", dir_arg]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let ca = format!("'{dir_arg}/ca.pem'");
    for line in [
        "export HTTPS_PROXY='http://127.0.0.1:7443'".to_string(),
        "export https_proxy='http://127.0.0.1:7443'".to_string(),
        format!("export SSL_CERT_FILE={ca}"),
        format!("export REQUESTS_CA_BUNDLE={ca}"),
        format!("export CURL_CA_BUNDLE={ca}"),
        format!("export NODE_EXTRA_CA_CERTS={ca}"),
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line} missing in:\n{text}"
        );
    }
    assert!(text.contains("# Java:") && text.contains("# Go:"), "{text}");
    // Every line is an export or a comment.
    assert!(text
        .lines()
        .all(|l| l.starts_with("export ") || l.starts_with('#')));
    // And a shell takes it as it is.
    let script = format!(
        "eval \"$('{BIN}' env --bind 0.0.0.0:7443 --data-dir '{dir_arg}')\" && printf '%s\\n' \"$HTTPS_PROXY\" \"$SSL_CERT_FILE\" \"$NO_PROXY\""
    );
    let out = command("sh")
        .args(["-c", &script])
        .env("NO_PROXY", "internal.example")
        .output()
        .expect("sh");
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "http://127.0.0.1:7443".to_string(),
            format!("{dir_arg}/ca.pem"),
            "localhost,127.0.0.1,::1,internal.example".to_string(),
        ]
    );
    // Port 0 names no proxy to reach.
    let out = run(&["env", "--bind", "127.0.0.1:0", "--data-dir", dir_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("port 0"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Reads an HTTP answer's head (up to the blank line) from `stream`.
async fn read_head(stream: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// A TLS connection to `rtc-api.zego.im` through a `CONNECT` tunnel of the mock at `addr`,
/// trusting only `ca`.
async fn tunnel(
    addr: &str,
    ca: &zego_mock::LocalCa,
) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    let mut tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    tcp.write_all(b"CONNECT rtc-api.zego.im:443 HTTP/1.1\r\nHost: rtc-api.zego.im:443\r\n\r\n")
        .await
        .expect("write");
    let head = read_head(&mut tcp).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let connector = tokio_rustls::TlsConnector::from(client_config(&[ca.cert_pem()]));
    let name = ServerName::try_from("rtc-api.zego.im").expect("name");
    connector
        .connect(name, tcp)
        .await
        .expect("TLS in the tunnel")
}

/// A mock with a CA of its own for the proxy's tunnels, served with `options`.
async fn tunnel_server(
    options: zego_mock::ServeOptions,
) -> (zego_mock::LocalCa, zego_mock::MockServer) {
    let ca = zego_mock::LocalCa::generate().expect("CA");
    let server = zego_mock::MockServer::builder()
        .tls(ca.server_tls().expect("certificate"))
        .serve_options(options)
        .start()
        .await;
    (ca, server)
}

#[tokio::test]
async fn a_tunnel_holds_one_connection_slot_until_it_ends() {
    let (ca, server) = tunnel_server(zego_mock::ServeOptions {
        max_connections: 1,
        ..Default::default()
    })
    .await;
    let addr = server.address().to_string();
    let mut tls = tunnel(&addr, &ca).await;
    let request = format!(
        "GET /?{} HTTP/1.1\r\nHost: rtc-api.zego.im\r\nConnection: close\r\n\r\n",
        signed("tunnel")
    );
    // The tunnel is open and holds the only slot: another connection is turned away.
    let health = "GET /_mock/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let busy = tokio::task::spawn_blocking({
        let addr = addr.clone();
        move || raw(&addr, health)
    })
    .await
    .expect("join");
    assert_eq!(busy.0, 503, "{}", busy.1);
    // The tunnel itself is served, and the journal shows its host.
    tls.write_all(request.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    let text = String::from_utf8_lossy(&out);
    let body = text.split("\r\n\r\n").nth(1).expect("a body");
    assert_eq!(code_of(body), 0, "{text}");
    assert_eq!(
        server.received()[0].host.as_deref(),
        Some("rtc-api.zego.im")
    );
    drop(tls);
    // Once the tunnel is closed its slot is free again (the server notices the close
    // asynchronously: a bounded wait for it).
    let mut status = 0;
    for _ in 0..200 {
        let addr = addr.clone();
        status = tokio::task::spawn_blocking(move || raw(&addr, health).0)
            .await
            .expect("join");
        if status == 200 {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_idle_connection_inside_a_tunnel_is_closed_after_the_header_read_timeout() {
    // The header read timeout counts inside a tunnel from the end of its TLS handshake (the
    // socket keeps it, not hyper): a client that then sends nothing is disconnected.
    let (ca, server) = tunnel_server(zego_mock::ServeOptions {
        header_read_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let mut tls = tunnel(&server.address().to_string(), &ca).await;
    // One request answered on the kept-alive connection, then silence.
    let request = format!(
        "GET /?{} HTTP/1.1\r\nHost: rtc-api.zego.im\r\n\r\n",
        signed("idle-tunnel")
    );
    tls.write_all(request.as_bytes()).await.expect("write");
    // The server closes by itself; the guard only stops a broken build from hanging.
    let mut out = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        tls.read_to_end(&mut out),
    )
    .await;
    assert!(closed.is_ok(), "the idle tunnel was not closed");
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let body = text.split("\r\n\r\n").nth(1).expect("a body");
    assert_eq!(code_of(body), 0, "{text}");
}
