//! The `zego-conformance` binary: run the case catalogue against a target.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use zego_conformance::{catalogue, run, Selection, Status, Target};

// No Debug: the arguments hold secrets (the ServerSecret, the admin token).
#[derive(Parser)]
#[command(
    name = "zego-conformance",
    version,
    about = "Check a ZEGO Server API v2 target against ZEGO's documented behaviour",
    long_about = "Runs the conformance catalogue (one case per documented behaviour: gateway codes, \
signatures, timestamps, rate limits, the Sequence rule, each action's parameters and response \
shapes, state flows) against a target.\n\n\
Without --target it runs against an in-process zego-mock on a frozen clock, where every case can \
run. With --target URL it runs against that base URL with the given credentials: a zego-mock started \
separately (its control API under /_mock is found and used for clock control and state), or the real \
service, where cases needing clock control, the mock's control plane, a test environment or \
throttling are skipped and the reason is printed.\n\n\
Against a zego-mock, the test-environment cases run in the same pass when the app has a test \
environment, and the mock is left as the run found it: its clock (frozen or running, and its \
offset), and the app's state and features are restored at the end.\n\n\
Before any case, one request checks that the target answers and accepts the credentials; if not, \
the run stops with one line and exit code 2. A selection that matches no case also exits 2.\n\n\
Ends with one line 'N passed, M failed, K skipped' and exits non-zero if any case failed."
)]
struct Cli {
    /// Base URL of the target, e.g. http://127.0.0.1:7272 or https://rtc-api.zego.im.
    #[arg(long, value_name = "URL", requires = "app_id")]
    target: Option<String>,
    /// AppId of the target's credentials.
    #[arg(long, value_name = "N")]
    app_id: Option<u32>,
    /// ServerSecret of the target's credentials (prefer the environment variable).
    #[arg(
        long,
        env = "ZEGO_SERVER_SECRET",
        hide_env_values = true,
        value_name = "S"
    )]
    secret: Option<String>,
    /// The admin token of a zego-mock target started with --admin-token (or listening off
    /// loopback, where it requires one), sent as 'Authorization: Bearer TOKEN' to its control API.
    #[arg(
        long,
        env = "ZEGO_MOCK_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    admin_token: Option<String>,
    /// The credentials address the test environment (IsTest=true).
    #[arg(long)]
    is_test: bool,
    /// Run cases that exhaust a rate limit even against a target without a control API.
    #[arg(long)]
    allow_throttling: bool,
    /// Do not space requests to stay under the documented rate limits (they are spaced only
    /// against a target whose clock the kit cannot move; use this for a target that does not
    /// throttle, such as `zego-mock --no-rate-limit`).
    #[arg(long)]
    no_pacing: bool,
    /// Only cases whose id contains this text (repeatable).
    #[arg(long = "filter", value_name = "TEXT")]
    filters: Vec<String>,
    /// Skip the cases that check the mock's own choices where ZEGO's documentation is silent.
    #[arg(long)]
    documented_only: bool,
    /// List the cases (id, needs, document, description) and exit.
    #[arg(long)]
    list: bool,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<std::path::PathBuf>,
    /// Write a JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<std::path::PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(token) = &cli.admin_token {
        zego_conformance::set_admin_token(token.as_str());
    }
    if cli.list {
        for c in catalogue() {
            let n = c.needs;
            let needs: Vec<&str> = [
                (n.clock, "clock"),
                (n.throttling, "throttling"),
                (n.test_env, "test-env"),
                (n.control, "control"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
            println!(
                "{:<48} {:<22} {:<48} {}{}",
                c.id,
                needs.join(","),
                c.doc,
                c.description,
                if c.choice { " [choice]" } else { "" }
            );
        }
        return ExitCode::SUCCESS;
    }
    let target = match cli.target {
        None => Target::InProcess,
        Some(base_url) => {
            let Some(secret) = cli.secret else {
                eprintln!("zego-conformance: --target needs --secret or ZEGO_SERVER_SECRET");
                return ExitCode::from(2);
            };
            Target::Remote {
                base_url,
                app_id: cli.app_id.unwrap_or_default(),
                secret,
                is_test: cli.is_test,
                allow_throttling: cli.allow_throttling,
                pace: !cli.no_pacing,
            }
        }
    };
    let selection = Selection {
        filters: cli.filters,
        documented_only: cli.documented_only,
    };
    if !catalogue().iter().any(|c| selection.selects(c)) {
        eprintln!(
            "zego-conformance: no case matches the selection (--filter {:?}{}); --list shows the cases",
            selection.filters,
            if selection.documented_only { ", --documented-only" } else { "" }
        );
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("zego-conformance: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // One clear line, not a failure per case, when the target cannot be reached or refuses the
    // credentials; and a shared zego-mock is left as it was found.
    if let Err(e) = runtime.block_on(target.preflight()) {
        eprintln!("zego-conformance: {e}");
        return ExitCode::from(2);
    }
    let snapshot = match runtime.block_on(target.snapshot()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "zego-conformance: cannot read the target's state to restore it after the run: {e}"
            );
            return ExitCode::from(2);
        }
    };
    let report = runtime.block_on(run(&target, &selection, |o| {
        let line = match &o.status {
            Status::Passed => format!("ok    {} ({} ms)", o.id, o.millis),
            Status::Failed { message } => format!(
                "FAIL  {}: {message}\n      {} [{}]",
                o.id, o.description, o.doc
            ),
            Status::Skipped { reason } => format!("skip  {}: {reason}", o.id),
        };
        println!("{line}");
        let _ = std::io::stdout().flush();
    }));
    let restored = match &snapshot {
        Some(s) => runtime.block_on(s.restore()),
        None => Ok(()),
    };
    for (kind, path, text) in [
        ("JUnit", &cli.junit, report.to_junit()),
        ("JSON", &cli.json, report.to_json()),
    ] {
        if let Some(path) = path {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("zego-conformance: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            println!("{kind} report: {}", path.display());
        }
    }
    if let Err(e) = restored {
        eprintln!("zego-conformance: could not restore the target as it was found: {e}");
        return ExitCode::FAILURE;
    }
    println!("{}", report.summary());
    if report.failed() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
