//! The `zego-mock` binary: serve the mock (over HTTP, HTTPS, and as a proxy for ZEGO's host
//! names), print a signed request URL, print its CA certificate, or print the environment that
//! points other programs at it.

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::net::TcpListener;
use zego_mock::{
    signed_query, AppConfig, Clock, Options, SystemClock, DEV_APP_ID, DEV_SERVER_SECRET,
};

/// The default address: loopback only, on a port unlikely to be taken.
const DEFAULT_BIND: &str = "127.0.0.1:7272";

// No Debug: the arguments hold secrets (ServerSecret, CallbackSecret, admin token).
#[derive(Parser)]
#[command(
    name = "zego-mock",
    version,
    about = "An offline mock of ZEGOCLOUD's Server API v2 (https://rtc-api.zego.im/?Action=...)",
    long_about = "An offline mock of ZEGOCLOUD's Server API v2 (https://rtc-api.zego.im/?Action=...).\n\n\
It checks signatures, the 10-minute timestamp window, per-action rate limits, parameters and the \
Sequence order rule as ZEGO documents them, and answers with ZEGO's JSON envelope and codes.\n\n\
With no --app it serves a built-in development app (AppId 1234567890, ServerSecret \
0123456789abcdef0123456789abcdef) and prints a ready-to-paste signed curl line.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print a signed request URL (for curl or any other HTTP client).
    Sign(SignArgs),
    /// Print the mock's CA certificate (PEM) on stdout and its path on stderr, creating the CA
    /// in the data directory if there is none: `zego-mock ca > zego-mock-ca.pem`.
    Ca(CaArgs),
    /// Print the `export` lines that make curl, Python, Go, Node and other programs send their
    /// HTTPS requests for rtc-api*.zego.im to the mock and trust its CA:
    /// `eval "$(zego-mock env)"`.
    #[command(after_help = ENV_AFTER_HELP)]
    Env(EnvArgs),
}

/// `--data-dir`, shared by serving, `ca` and `env`.
#[derive(Args)]
struct DataDirArg {
    /// Where the mock's certificate authority is kept (ca.pem, and ca-key.pem with mode 0600),
    /// created on first use. Default: $XDG_DATA_HOME/zego-mock, else
    /// $HOME/.local/share/zego-mock.
    #[arg(long, env = "ZEGO_MOCK_DATA_DIR", value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,
}

impl DataDirArg {
    /// The data directory, or why there is none.
    fn resolve(&self) -> Result<std::path::PathBuf, zego_mock::CaError> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => zego_mock::default_data_dir(),
        }
    }

    /// Loads the CA, or creates it.
    fn load_ca(&self) -> Result<zego_mock::LocalCa, zego_mock::CaError> {
        zego_mock::LocalCa::load_or_create(&self.resolve()?)
    }
}

#[derive(Args)]
struct CaArgs {
    #[command(flatten)]
    data_dir: DataDirArg,
}

#[derive(Args)]
struct EnvArgs {
    /// The address the mock listens on (the --bind it was started with): the proxy URL is
    /// http://ADDR, with 0.0.0.0 and [::] read as loopback.
    #[arg(long, env = "ZEGO_MOCK_BIND", default_value = DEFAULT_BIND, value_name = "ADDR", value_parser = parse_bind)]
    bind: String,
    #[command(flatten)]
    data_dir: DataDirArg,
}

const ENV_AFTER_HELP: &str = "\
Examples:
  eval \"$(zego-mock env)\"                      # for a mock on 127.0.0.1:7272
  eval \"$(zego-mock env --bind 127.0.0.1:8080)\"  # for a mock started with --bind 127.0.0.1:8080
  zego-mock env > zego-mock.env                 # to source it later, or in a CI step

Only HTTPS for rtc-api.zego.im and rtc-api-{sha,hkg,fra,lax,bom,sgp}.zego.im is served through
the proxy; any other host is refused (403) and nothing is forwarded, so a shell with these
variables reaches no other HTTPS site except those in NO_PROXY (loopback).";

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on, HOST:PORT; a host name (localhost:7272) is resolved and the first
    /// address that can be bound is used. Port 0 picks a free port (the address is printed).
    #[arg(long, env = "ZEGO_MOCK_BIND", default_value = DEFAULT_BIND, value_name = "ADDR", value_parser = parse_bind)]
    bind: String,
    /// Also serve the mock over HTTPS on this address, HOST:PORT (port 0 picks a free one; the
    /// address is printed on the second line), with a certificate for rtc-api*.zego.im,
    /// localhost and 127.0.0.1 signed by the mock's CA (see `zego-mock ca`).
    #[arg(long, env = "ZEGO_MOCK_HTTPS_BIND", value_name = "ADDR", value_parser = parse_bind)]
    https_bind: Option<String>,
    #[command(flatten)]
    data_dir: DataDirArg,
    /// An app to serve, as APPID:SECRET[:both|production|test] (environments default to both).
    /// Repeat for several apps. The secret may contain ':' (a last ':both', ':production' or
    /// ':test' names the environments). Apps are also read from the environment variable
    /// ZEGO_MOCK_APPS (separated by commas or whitespace) and from --apps-file, which keep
    /// secrets out of the command line. Without any, the built-in development app is served.
    #[arg(long = "app", value_name = "APPID:SECRET", value_parser = AppParser)]
    apps: Vec<AppConfig>,
    /// A file of apps to serve: one APPID:SECRET[:both|production|test] per line, blank lines
    /// and lines starting with '#' skipped.
    #[arg(long, env = "ZEGO_MOCK_APPS_FILE", value_name = "PATH")]
    apps_file: Option<std::path::PathBuf>,
    /// Answer signature (and, where documented, timestamp) failures with each action's own older
    /// code (e.g. 5003 for CreatCDNTransferRule, 3 for ResumeCDNLiveStream) instead of the
    /// gateway's 100000005 / 100000004.
    #[arg(long, env = "ZEGO_MOCK_LEGACY_CODES")]
    legacy_codes: bool,
    /// Do not enforce the documented per-action rate limits.
    #[arg(long, env = "ZEGO_MOCK_NO_RATE_LIMIT")]
    no_rate_limit: bool,
    /// Show the whole expected signature in the journal's reason for a signature mismatch
    /// (by default only its first 4 hex digits, which tell a wrong secret from a wrong encoding).
    /// With it, anyone who reads the journal can sign requests without the secret: use it only
    /// with throwaway secrets on a mock nobody else reaches.
    #[arg(long, env = "ZEGO_MOCK_REVEAL_SIGNATURES")]
    reveal_signatures: bool,
    /// Do not serve the control API under /_mock (journal, faults, clock, state, apps,
    /// expectations); GET /_mock/health is still served.
    #[arg(long, env = "ZEGO_MOCK_NO_ADMIN")]
    no_admin: bool,
    /// Require 'Authorization: Bearer TOKEN' on every control API request (/_mock/health
    /// excepted). Optional on loopback; on any other address one is required, and generated and
    /// printed (on stderr) when not given.
    #[arg(
        long,
        env = "ZEGO_MOCK_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    admin_token: Option<String>,
    /// A host name the control API answers to besides localhost and IP addresses, when no admin
    /// token is set (for example the name a container is reached by); the --bind host name is
    /// allowed too. Repeatable (comma-separated in the environment variable).
    #[arg(
        long = "admin-host",
        env = "ZEGO_MOCK_ADMIN_HOSTS",
        value_delimiter = ',',
        value_name = "NAME"
    )]
    admin_hosts: Vec<String>,
    /// How many requests the journal keeps (oldest dropped first; 0 keeps none; at most
    /// 100000, and 64 MiB of them).
    #[arg(long, env = "ZEGO_MOCK_JOURNAL_SIZE", default_value_t = zego_mock::DEFAULT_JOURNAL_CAPACITY, value_name = "N", value_parser = journal_size)]
    journal_size: usize,
    /// Serve every request through hyper, plain `GET /?Action=...` ones too, instead of the
    /// mock's own fast path for those (the answers are the same, byte for byte; this is for
    /// comparing, should one ever seem to differ).
    #[arg(long, env = "ZEGO_MOCK_NO_FAST_PATH")]
    no_fast_path: bool,
    /// Connections served at once; more get HTTP 503.
    #[arg(long, env = "ZEGO_MOCK_MAX_CONNECTIONS", default_value_t = zego_mock::ServeOptions::default().max_connections, value_name = "N")]
    max_connections: usize,
    /// Send server callbacks (room_create, room_login, stream_create, ...) of every app served
    /// (or of the development app) to this http:// URL, for every category. Retries follow
    /// ZEGO's 2, 4, 8, 16, 32 s; GET /_mock/apps/{app}/callbacks/deliveries shows each one.
    #[arg(long, env = "ZEGO_MOCK_CALLBACK_URL", value_name = "URL")]
    callback_url: Option<String>,
    /// The CallbackSecret that signs callbacks (default: one derived from each AppId, readable
    /// with GET /_mock/apps/{app}/callbacks). Prefer the environment variable.
    #[arg(
        long,
        env = "ZEGO_CALLBACK_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    callback_secret: Option<String>,
    /// How callback bodies are encoded: json (ZEGO's default) or form.
    #[arg(long, env = "ZEGO_MOCK_CALLBACK_FORMAT", value_name = "json|form", default_value = "json", value_parser = ["json", "form"])]
    callback_format: String,
    /// Print nothing but the listening address, and no request log unless --log-level or
    /// RUST_LOG asks for one.
    #[arg(long, short, env = "ZEGO_MOCK_QUIET")]
    quiet: bool,
    /// How the request log (one line per API request, on stderr) is written: text or json.
    #[arg(long, env = "ZEGO_MOCK_LOG_FORMAT", value_name = "text|json", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
    /// The request log's level: info (every request), warn (only those not answered 0), off;
    /// or any tracing filter (zego_mock=debug). Default: RUST_LOG if set, else info (off with
    /// --quiet).
    #[arg(long, env = "ZEGO_MOCK_LOG_LEVEL", value_name = "LEVEL")]
    log_level: Option<String>,
}

/// Parses `--app` with errors that never repeat the value (it holds a secret).
#[derive(Clone)]
struct AppParser;

impl clap::builder::TypedValueParser for AppParser {
    type Value = AppConfig;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<AppConfig, clap::Error> {
        let refuse = |message: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("--app {message}\n"),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| refuse("is not valid UTF-8".into()))?;
        AppConfig::parse_cli(text).map_err(refuse)
    }
}

/// `--journal-size`: a number of entries up to [`zego_mock::MAX_JOURNAL_CAPACITY`].
fn journal_size(s: &str) -> Result<usize, String> {
    let max = zego_mock::MAX_JOURNAL_CAPACITY;
    match s.parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("expected a number of entries from 0 to {max}")),
    }
}

/// The most bytes read from `--apps-file`.
const MAX_APPS_FILE_BYTES: u64 = 1024 * 1024;

/// The apps to serve: `--app`, then `ZEGO_MOCK_APPS`, then `--apps-file`. An AppId given twice
/// is an error. Errors never hold a secret.
fn gather_apps(
    cli: Vec<AppConfig>,
    env: Option<String>,
    file: Option<&std::path::Path>,
) -> Result<Vec<AppConfig>, String> {
    let mut apps: Vec<(AppConfig, &str)> = cli.into_iter().map(|a| (a, "--app")).collect();
    if let Some(text) = env {
        let list = AppConfig::parse_list(&text).map_err(|e| format!("ZEGO_MOCK_APPS: {e}"))?;
        apps.extend(list.into_iter().map(|a| (a, "ZEGO_MOCK_APPS")));
    }
    if let Some(path) = file {
        use std::io::Read;
        let shown = path.display();
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_APPS_FILE_BYTES + 1).read_to_string(&mut text))
            .map_err(|e| format!("--apps-file {shown}: cannot read it: {e}"))?;
        if text.len() as u64 > MAX_APPS_FILE_BYTES {
            return Err(format!(
                "--apps-file {shown}: larger than {MAX_APPS_FILE_BYTES} bytes"
            ));
        }
        let list = AppConfig::parse_file(&text).map_err(|e| format!("--apps-file {shown}: {e}"))?;
        apps.extend(list.into_iter().map(|a| (a, "--apps-file")));
    }
    for (i, (app, from)) in apps.iter().enumerate() {
        if let Some((_, first)) = apps[..i].iter().find(|(a, _)| a.app_id == app.app_id) {
            return Err(format!(
                "AppId {} is given twice (in {first} and in {from})",
                app.app_id
            ));
        }
    }
    Ok(apps.into_iter().map(|(a, _)| a).collect())
}

#[derive(Args)]
struct SignArgs {
    /// The action, e.g. CreatCDNTransferRule.
    #[arg(long)]
    action: String,
    /// AppId (default: the development app's).
    #[arg(long, env = "ZEGO_APP_ID", default_value_t = DEV_APP_ID)]
    app_id: u32,
    /// ServerSecret (default: the development app's). Prefer the environment variable for real
    /// secrets, so they stay out of shell history.
    #[arg(long, env = "ZEGO_SERVER_SECRET", hide_env_values = true, default_value = DEV_SERVER_SECRET, hide_default_value = true)]
    secret: String,
    /// Base URL of the target.
    #[arg(
        long,
        env = "ZEGO_MOCK_BASE_URL",
        default_value = "http://127.0.0.1:7272"
    )]
    base_url: String,
    /// Unix timestamp in seconds (default: now).
    #[arg(long, allow_negative_numbers = true)]
    timestamp: Option<i64>,
    /// SignatureNonce (default: 16 random hex characters).
    #[arg(long)]
    nonce: Option<String>,
    /// A JSON body, for the actions called with POST (stream mixing): with it, or for a POST
    /// action, a ready curl command is printed instead of the URL.
    #[arg(long, value_name = "JSON")]
    body: Option<String>,
    /// Business parameters as NAME=VALUE, e.g. StreamId=s1 Sequence=1 'StreamId[]=a'. Values are
    /// percent-encoded for you. Add IsTest=true for the test environment.
    #[arg(value_name = "NAME=VALUE")]
    params: Vec<String>,
}

/// The part of `--help` that is built from the action table: what is served, and examples.
fn after_help() -> String {
    let mut text = String::from(
        "Actions served (method, app limit production/test per window, throttled code):\n",
    );
    for action in zego_mock::Action::ALL {
        let spec = action.spec();
        for q in spec.quotas {
            let window = match q.window_secs {
                1 => "s".to_string(),
                m => format!("{m} s"),
            };
            let scope = match q.scope {
                zego_mock::spec::Scope::Room(_) => " per room",
                zego_mock::spec::Scope::App => " (both environments together)",
                zego_mock::spec::Scope::AppEnv => "",
            };
            text.push_str(&format!(
                "  {:<26} {:<4} {:>3}/{:<3} per {window}{scope}, throttled: {}\n",
                spec.name,
                spec.method.as_str(),
                q.production,
                q.test,
                q.code
            ));
        }
    }
    let lines = [
        "",
        "HTTPS and the proxy: the main port is also an HTTP proxy for ZEGO's host names only:",
        "CONNECT rtc-api*.zego.im:443 is answered with TLS signed by the mock's own CA (kept in",
        "--data-dir, printed by `zego-mock ca`), and http://rtc-api*.zego.im/... is served; any other",
        "host is refused with 403 and nothing is forwarded. `eval \"$(zego-mock env)\"` sets HTTPS_PROXY",
        "and the CA variables (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS)",
        "so an unmodified backend that calls https://rtc-api.zego.im reaches the mock.",
        "",
        "Control API (unless --no-admin): GET /_mock lists the endpoints: journal (why each request",
        "was refused), faults, clock (freeze/advance/offset), state, simulated publishers, apps, coverage,",
        "server callbacks (configuration, deliveries, flush), expectations (POST /_mock/expectations,",
        "GET /_mock/expectations/verify: 200 or 409). GET /_mock/health answers even with --no-admin.",
        "",
        "Every option can also be set by the environment variable shown with it: ZEGO_MOCK_BIND,",
        "ZEGO_MOCK_APPS (apps separated by commas or whitespace; never printed), ...; a flag",
        "takes true or false.",
        "",
        "Examples:",
        "  zego-mock                                     # the dev app on 127.0.0.1:7272",
        "  zego-mock --bind 0.0.0.0:8080 --app 12345:9193cc662a4c0ec135ec71fb57194b38",
        "  ZEGO_MOCK_BIND=localhost:8080 zego-mock --log-format json   # one JSON line per request",
        "  zego-mock --app 12345:SECRET:test --legacy-codes",
        "  ZEGO_MOCK_APPS='12345:SECRET 67890:OTHER:test' zego-mock   # secrets out of `ps`",
        "  zego-mock --apps-file apps.txt                # one APPID:SECRET[:ENVS] per line",
        "  zego-mock --callback-url http://127.0.0.1:9000/zego   # server callbacks to a local handler",
        "  curl \"$(zego-mock sign --action ResumeCDNLiveStream StreamId=s1)\"",
        "  curl -s http://127.0.0.1:7272/_mock/journal",
        "  zego-mock --https-bind 127.0.0.1:7443          # and HTTPS on https://localhost:7443",
        "  zego-mock ca > zego-mock-ca.pem                # the CA certificate clients must trust",
        "  eval \"$(zego-mock env)\"                       # HTTPS_PROXY and the CA for this shell",
        "  curl --proxy http://127.0.0.1:7272 --cacert zego-mock-ca.pem \"$(zego-mock sign --action DescribeUserNum --base-url https://rtc-api.zego.im 'RoomId[]=r1')\"",
    ];
    text.push_str(&lines.join("\n"));
    text
}

fn main() -> ExitCode {
    let matches = Cli::command().after_long_help(after_help()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match cli.command {
        Some(Command::Sign(args)) => sign(args),
        Some(Command::Ca(args)) => ca(args),
        Some(Command::Env(args)) => env(args),
        None => serve(cli.serve),
    }
}

fn sign(args: SignArgs) -> ExitCode {
    let mut params = Vec::new();
    for p in &args.params {
        match p.split_once('=') {
            Some((name, value)) if !name.is_empty() => params.push((name, value)),
            _ => {
                eprintln!("zego-mock sign: parameter {p:?} is not NAME=VALUE");
                return ExitCode::from(2);
            }
        }
    }
    if zego_mock::Action::from_wire(&args.action).is_none() {
        // Signed all the same (a test may want an unknown action), with a warning on stderr.
        let hint = zego_mock::Action::nearest(&args.action)
            .map(|a| format!("; did you mean {}?", a.wire_name()))
            .unwrap_or_default();
        eprintln!(
            "zego-mock sign: warning: {:?} is not an action ZEGO documents (the answer will be 100000007){hint}",
            args.action
        );
    }
    let timestamp = args.timestamp.unwrap_or_else(|| SystemClock.now_secs());
    let nonce = args.nonce.unwrap_or_else(zego_mock::nonce);
    let query = signed_query(
        args.app_id,
        &args.secret,
        &args.action,
        timestamp,
        &nonce,
        &params,
    );
    let url = format!("{}/?{query}", args.base_url.trim_end_matches('/'));
    let post = zego_mock::Action::from_wire(&args.action)
        .is_some_and(|a| a.spec().method == zego_mock::spec::Method::Post);
    match (&args.body, post) {
        (None, false) => println!("{url}"),
        (body, _) => {
            let body = body.as_deref().unwrap_or("{}");
            if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
                eprintln!("zego-mock sign: --body is not JSON: {e}");
                return ExitCode::from(2);
            }
            let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
            println!(
                "curl -s -X POST -H 'Content-Type: application/json' -d {} {}",
                quote(body),
                quote(&url)
            );
        }
    }
    ExitCode::SUCCESS
}

fn ca(args: CaArgs) -> ExitCode {
    match args.data_dir.load_ca() {
        Ok(ca) => {
            print!("{}", ca.cert_pem());
            if let Some(path) = ca.cert_path() {
                let created = if ca.created() { " (created now)" } else { "" };
                eprintln!("zego-mock: CA certificate {}{created}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zego-mock ca: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A word for `sh`: in single quotes, with any single quote written '\''.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The proxy URL for a mock bound to `bind`: `http://ADDR`, with unspecified addresses read as
/// loopback. `Err` for port 0, which names no port to reach.
fn proxy_url(bind: &str) -> Result<String, String> {
    let Some((host, port)) = bind.rsplit_once(':') else {
        return Err(format!("{bind:?} is not HOST:PORT"));
    };
    if port == "0" {
        return Err(
            "--bind has port 0: pass the address the mock printed (zego-mock env --bind 127.0.0.1:PORT)"
                .into(),
        );
    }
    let host = match host {
        "0.0.0.0" | "" => "127.0.0.1",
        "[::]" | "[0:0:0:0:0:0:0:0]" => "[::1]",
        other => other,
    };
    Ok(format!("http://{host}:{port}"))
}

fn env(args: EnvArgs) -> ExitCode {
    let proxy = match proxy_url(&args.bind) {
        Ok(url) => url,
        Err(e) => {
            eprintln!("zego-mock env: {e}");
            return ExitCode::from(2);
        }
    };
    let ca = match args.data_dir.load_ca() {
        Ok(ca) => ca,
        Err(e) => {
            eprintln!("zego-mock env: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(path) = ca.cert_path() else {
        eprintln!("zego-mock env: the CA has no file");
        return ExitCode::FAILURE;
    };
    let cert = shell_quote(&path.display().to_string());
    let url = shell_quote(&proxy);
    let port = proxy.rsplit(':').next().unwrap_or("7272");
    let proxy_host = proxy
        .trim_start_matches("http://")
        .rsplit_once(':')
        .map_or("127.0.0.1", |(h, _)| h);
    let lines = [
        format!("# zego-mock: HTTPS for rtc-api*.zego.im goes to the mock at {proxy} (other hosts are refused, nothing is forwarded)"),
        format!("export HTTPS_PROXY={url}"),
        format!("export https_proxy={url}"),
        "export NO_PROXY=\"localhost,127.0.0.1,::1${NO_PROXY:+,$NO_PROXY}\"".to_string(),
        "export no_proxy=\"$NO_PROXY\"".to_string(),
        format!("export SSL_CERT_FILE={cert}"),
        format!("export REQUESTS_CA_BUNDLE={cert}"),
        format!("export CURL_CA_BUNDLE={cert}"),
        format!("export NODE_EXTRA_CA_CERTS={cert}"),
        "export NODE_USE_ENV_PROXY=1".to_string(),
        "# curl, Python requests, httpx, Ruby, PHP's curl and Guzzle read HTTPS_PROXY; OpenSSL-based clients read SSL_CERT_FILE, requests REQUESTS_CA_BUNDLE, curl CURL_CA_BUNDLE.".to_string(),
        "# Go: net/http reads HTTPS_PROXY and, on Linux, SSL_CERT_FILE (on macOS, add the CA to the keychain instead).".to_string(),
        "# Node: NODE_EXTRA_CA_CERTS is read at start; fetch and https follow HTTPS_PROXY with NODE_USE_ENV_PROXY=1 (Node 24 and later), older ones need a proxy agent.".to_string(),
        format!("# Java: keytool -importcert -noprompt -alias zego-mock -file {cert} -keystore zego-mock.p12 -storetype PKCS12 -storepass changeit"),
        format!("#   then: java -Dhttps.proxyHost={proxy_host} -Dhttps.proxyPort={port} -Djavax.net.ssl.trustStore=zego-mock.p12 -Djavax.net.ssl.trustStorePassword=changeit ..."),
        "# PHP: if curl does not find the CA, set curl.cainfo and openssl.cafile in php.ini to the file above.".to_string(),
        "# SSL_CERT_FILE holds only the mock's CA: programs that read it trust no other site's certificate while it is set.".to_string(),
    ];
    println!("{}", lines.join("\n"));
    ExitCode::SUCCESS
}

fn serve(mut args: ServeArgs) -> ExitCode {
    let env_apps = std::env::var("ZEGO_MOCK_APPS").ok();
    args.apps = match gather_apps(
        std::mem::take(&mut args.apps),
        env_apps,
        args.apps_file.as_deref(),
    ) {
        Ok(apps) => apps,
        Err(e) => {
            eprintln!("zego-mock: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("zego-mock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = init_logging(args.quiet, &args.log_format, args.log_level.as_deref()) {
        eprintln!("zego-mock: {e}");
        return ExitCode::from(2);
    }
    // Usage errors of the callback options come before anything is created on disk.
    if let Some(url) = &args.callback_url {
        let mut config = zego_mock::CallbackConfig::for_app(DEV_APP_ID).all_urls(url.as_str());
        if let Some(secret) = &args.callback_secret {
            config = config.secret(secret.as_str());
        }
        if let Err(e) = config.validate() {
            eprintln!("zego-mock: --callback-url/--callback-secret: {e}");
            return ExitCode::from(2);
        }
    } else if args.callback_secret.is_some() {
        eprintln!("zego-mock: --callback-secret needs --callback-url");
        return ExitCode::from(2);
    }
    // The CA: needed by --https-bind, and by the proxy for CONNECT. Without --https-bind a
    // failure is only a warning: plain HTTP works as before, and CONNECT answers 503.
    let tls = match args
        .data_dir
        .load_ca()
        .and_then(|ca| Ok((ca.server_tls()?, ca)))
    {
        Ok((tls, ca)) => Some((tls, ca)),
        Err(e) if args.https_bind.is_some() => {
            eprintln!("zego-mock: --https-bind needs the CA: {e}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("zego-mock: warning: {e}; HTTPS through the proxy is off (CONNECT answers 503), plain HTTP is served");
            None
        }
    };
    runtime.block_on(async move {
        let listener = match bind(&args.bind).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("zego-mock: cannot listen on {}: {e}", args.bind);
                return ExitCode::FAILURE;
            }
        };
        let address = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "zego-mock: cannot read the address bound for {}: {e}",
                    args.bind
                );
                return ExitCode::FAILURE;
            }
        };
        let https = match &args.https_bind {
            Some(raw) => match bind(raw).await.and_then(|l| {
                let address = l.local_addr().map_err(|e| e.to_string())?;
                Ok((l, address))
            }) {
                Ok(https) => Some(https),
                Err(e) => {
                    eprintln!("zego-mock: cannot listen on {raw} (--https-bind): {e}");
                    return ExitCode::FAILURE;
                }
            },
            None => None,
        };
        let dev = args.apps.is_empty();
        let admin_token = match admin_token(&args, &address) {
            Ok(token) => token,
            Err(e) => {
                eprintln!("zego-mock: {e}");
                return ExitCode::from(2);
            }
        };
        let mut access = zego_mock::ControlAccess::default().with_token(admin_token);
        for host in args
            .admin_hosts
            .iter()
            .map(String::as_str)
            .chain(bind_host_name(&args.bind))
        {
            access = access.allow_host(host);
        }
        let serve_options = zego_mock::ServeOptions {
            admin: !args.no_admin,
            max_connections: args.max_connections.max(1),
            fast_path: !args.no_fast_path,
            ..Default::default()
        };
        let mut builder = zego_mock::MockServer::builder()
            .legacy_codes(args.legacy_codes)
            .rate_limits(!args.no_rate_limit)
            .reveal_signatures(args.reveal_signatures)
            .journal_capacity(args.journal_size)
            .serve_options(serve_options)
            .control_access(access);
        let app_ids: Vec<u32> = if dev {
            vec![DEV_APP_ID]
        } else {
            args.apps.iter().map(|a| a.app_id).collect()
        };
        for app in args.apps {
            builder = builder.app_config(app);
        }
        // The URL and the secret were checked before anything started.
        if let Some(url) = &args.callback_url {
            for id in &app_ids {
                let mut config = zego_mock::CallbackConfig::for_app(*id).all_urls(url.as_str());
                if let Some(secret) = &args.callback_secret {
                    config = config.secret(secret.as_str());
                }
                if args.callback_format == "form" {
                    config = config.format(zego_mock::CallbackFormat::Form);
                }
                builder = builder.callbacks(*id, config);
            }
        }
        let engine = Arc::new(builder.build_engine());
        // The secret is never printed: it is read with the control API.
        let callbacks = args.callback_url.as_ref().map(|url| {
            format!(
                "  server callbacks: every event POSTed to {url} ({}); CallbackSecret: {}",
                args.callback_format,
                if args.callback_secret.is_some() {
                    "as given"
                } else {
                    "derived from the AppId (GET /_mock/apps/{app_id}/callbacks shows it)"
                }
            )
        });
        let (https_listener, https_address) = match https {
            Some((l, a)) => (Some(l), Some(a)),
            None => (None, None),
        };
        let env_hint = env_hint(&address, &args.data_dir);
        let (server_tls, ca) = match tls {
            Some((tls, ca)) => (Some(tls), Some(ca)),
            None => (None, None),
        };
        banner(
            &address,
            &engine,
            Extras {
                dev,
                quiet: args.quiet,
                admin: serve_options.admin,
                callbacks,
                https: https_address,
                ca: ca.as_ref(),
                env_hint,
            },
        );
        zego_mock::serve_with_tls(
            listener,
            https_listener,
            server_tls,
            engine,
            serve_options,
            shutdown_signal(),
        )
        .await;
        if !args.quiet {
            eprintln!("zego-mock: stopped");
        }
        ExitCode::SUCCESS
    })
}

/// The `zego-mock env` command that matches a server on `address` with `data_dir`.
fn env_hint(address: &SocketAddr, data_dir: &DataDirArg) -> String {
    let mut command = String::from("zego-mock env");
    if address.to_string() != DEFAULT_BIND {
        command.push_str(&format!(" --bind {address}"));
    }
    if let Some(dir) = &data_dir.data_dir {
        if std::env::var_os("ZEGO_MOCK_DATA_DIR").as_deref() != Some(dir.as_os_str()) {
            command.push_str(&format!(
                " --data-dir {}",
                shell_quote(&dir.display().to_string())
            ));
        }
    }
    command
}

/// What the banner shows besides the address and the engine's options.
struct Extras<'a> {
    dev: bool,
    quiet: bool,
    admin: bool,
    callbacks: Option<String>,
    https: Option<SocketAddr>,
    ca: Option<&'a zego_mock::LocalCa>,
    env_hint: String,
}

fn banner(address: &SocketAddr, engine: &zego_mock::Engine, extras: Extras<'_>) {
    let Extras {
        dev,
        quiet,
        admin,
        callbacks,
        https,
        ca,
        env_hint,
    } = extras;
    println!("zego-mock listening on http://{address}");
    if let Some(https) = https {
        println!("zego-mock listening on https://{https}");
    }
    if quiet {
        return;
    }
    let Options {
        legacy_codes,
        rate_limits,
        reveal_signatures,
    } = engine.options();
    println!(
        "  rate limits: {}, legacy codes: {}",
        if rate_limits { "on" } else { "off" },
        if legacy_codes { "on" } else { "off" }
    );
    if reveal_signatures {
        println!("  warning: --reveal-signatures: the journal shows whole expected signatures, which let its readers sign requests");
    }
    if dev {
        println!("  serving the built-in development app:");
        println!("    AppId        {DEV_APP_ID}");
        println!("    ServerSecret {DEV_SERVER_SECRET}  (public; for local use only)");
        println!(
            "  try it (valid for 10 minutes, as often as you like; `zego-mock sign` makes more):"
        );
        println!("    curl '{}'", banner_url(address));
    } else {
        let ids: Vec<String> = engine.app_ids().iter().map(u32::to_string).collect();
        println!("  serving AppIds: {}", ids.join(", "));
    }
    if admin {
        println!(
            "  control API: http://{address}/_mock (journal, faults, clock, state, apps){}",
            if engine.control_access().has_token() {
                "; send 'Authorization: Bearer TOKEN'"
            } else {
                ""
            }
        );
    }
    if let Some(line) = callbacks {
        println!("{line}");
    }
    if let Some(https) = https {
        println!(
            "  HTTPS: https://localhost:{} (certificate for localhost, 127.0.0.1 and rtc-api*.zego.im)",
            https.port()
        );
    }
    if let Some(path) = ca.and_then(zego_mock::LocalCa::cert_path) {
        println!(
            "  proxy for rtc-api*.zego.im (HTTPS via CONNECT, other hosts refused); CA {}; eval \"$({env_hint})\"",
            path.display()
        );
    }
    println!("  stop with Ctrl-C");
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// The banner's ready-to-paste request: DescribeUserNum, which has no Sequence and changes
/// nothing, so pasting it again answers 0 again (within its 10-minute window and the action's
/// 10/s rate limit).
fn banner_url(address: &SocketAddr) -> String {
    let query = signed_query(
        DEV_APP_ID,
        DEV_SERVER_SECRET,
        "DescribeUserNum",
        SystemClock.now_secs(),
        &zego_mock::nonce(),
        &[("RoomId[]", "demo-room")],
    );
    format!("http://{address}/?{query}")
}

/// The admin token: as given, or generated (and printed on stderr) when the control API is on
/// and the address bound is not loopback, where one is required. Also warns, on stderr, that a
/// non-loopback control API is reachable from other machines.
fn admin_token(args: &ServeArgs, address: &SocketAddr) -> Result<Option<String>, String> {
    if let Some(token) = &args.admin_token {
        if token.trim().is_empty() || token.chars().any(|c| c.is_control() || c == ' ') {
            return Err(
                "--admin-token must be non-empty, without spaces or control characters".into(),
            );
        }
    }
    if args.no_admin || address.ip().is_loopback() {
        return Ok(args.admin_token.clone());
    }
    eprintln!(
        "zego-mock: warning: listening on {address}, which other machines can reach: the control API (/_mock) can change apps, secrets, limits and the clock, so it needs 'Authorization: Bearer TOKEN' (--no-admin turns it off)"
    );
    Ok(Some(match &args.admin_token {
        Some(token) => token.clone(),
        None => {
            let token = zego_mock::generate_admin_token();
            eprintln!(
                "zego-mock: admin token (generated; choose one with --admin-token or ZEGO_MOCK_ADMIN_TOKEN): {token}"
            );
            token
        }
    }))
}

/// The host of `--bind` when it is a name rather than an address (the control API answers to it).
fn bind_host_name(bind: &str) -> Option<&str> {
    if bind.parse::<SocketAddr>().is_ok() {
        return None;
    }
    bind.rsplit_once(':').map(|(host, _)| host)
}

/// Checks the shape of `--bind` (HOST:PORT, IPv6 hosts in brackets) without resolving it.
fn parse_bind(raw: &str) -> Result<String, String> {
    if raw.parse::<SocketAddr>().is_ok() {
        return Ok(raw.to_string());
    }
    match raw.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => {
            Ok(raw.to_string())
        }
        _ => Err(format!(
            "{raw:?} is not HOST:PORT (e.g. 127.0.0.1:7272, localhost:7272, [::1]:7272)"
        )),
    }
}

/// The most resolved addresses tried for `--bind`.
const MAX_BIND_ATTEMPTS: usize = 16;

/// Resolves `--bind` and listens on the first address that can be bound.
async fn bind(raw: &str) -> Result<TcpListener, String> {
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host(raw)
        .await
        .map_err(|e| format!("cannot resolve it: {e}"))?
        .take(MAX_BIND_ATTEMPTS)
        .collect();
    let mut errors = Vec::new();
    for address in addresses {
        match TcpListener::bind(address).await {
            Ok(listener) => return Ok(listener),
            Err(e) => errors.push(format!("{address}: {e}")),
        }
    }
    if errors.is_empty() {
        Err("it resolves to no address".into())
    } else {
        Err(errors.join("; "))
    }
}

/// Installs the request log's subscriber (stderr). The level comes from `--log-level`, else
/// `RUST_LOG`, else `info`, except that `--quiet` without either logs nothing.
fn init_logging(quiet: bool, format: &str, level: Option<&str>) -> Result<(), String> {
    use tracing_subscriber::EnvFilter;
    let from_env = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let directive = match (level, from_env) {
        (Some(level), _) => level.to_string(),
        (None, Some(env)) => env,
        (None, None) if quiet => return Ok(()),
        (None, None) => "info".to_string(),
    };
    let filter = EnvFilter::builder()
        .parse(&directive)
        .map_err(|e| format!("log level {directive:?}: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = if format == "json" {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
    installed.map_err(|e| format!("cannot install the request log: {e}"))
}
