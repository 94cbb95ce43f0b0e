//! Memory under a stream of distinct StreamIds.
//!
//! ```text
//! cargo run --release -p zego-mock --example memory [-- STREAMS]
//! cargo run --release -p zego-mock --example memory -- --real-clock [STREAMS]
//! ```
//!
//! With `--real-clock`, the engine reads the system clock and the requests go at full speed
//! (rate limits off, so none is throttled): every stream of the last 10 s is live in the
//! Sequence book at once, which is what a fast client against the real clock costs.
//!
//! Sends 1,000,000 distinct StreamIds (or STREAMS) through `Engine::handle` (no socket), with
//! rate limits on and a manual clock moved 1 ms per request, so rate-limit windows and the
//! 10-second Sequence window keep rolling. Each stream gets a `CreatCDNTransferRule` (Sequence 1)
//! and then a `DeleteCDNTransferRule` (Sequence 2) for the same address: the relay rule is
//! business state that lives until it is deleted, so deleting it keeps that state small and what
//! is measured is the mock's own bookkeeping (Sequence book, rate limiter, journal). Requests go
//! to 100 apps in turn, so none is throttled.
//!
//! Prints the resident set size (VmRSS of /proc/self/status) and the sizes of the Sequence book
//! and the limiter at intervals: they stay flat once the windows are full.

use std::time::{Duration, Instant};
use zego_mock::{
    signed_query, AppConfig, Clock, Env, Incoming, ManualClock, MockServer, SystemClock,
};

const SECRET: &str = "0123456789abcdef0123456789abcdef";
const APPS: u32 = 100;
const FIRST_APP: u32 = 10_000;
const CDN_URL: &str = "rtmp://cdn.example.com/live/memory";

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let real_clock = args.first().is_some_and(|a| a == "--real-clock");
    if real_clock {
        args.remove(0);
    }
    let streams: u64 = match args.first() {
        None => 1_000_000,
        Some(n) => match n.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("usage: memory [--real-clock] [STREAMS]   (default 1000000)");
                std::process::exit(2);
            }
        },
    };
    let manual = ManualClock::at_secs(1_700_000_000);
    let clock: Box<dyn Clock> = if real_clock {
        Box::new(SystemClock)
    } else {
        Box::new(manual.clone())
    };
    let mut builder = if real_clock {
        MockServer::builder().rate_limits(false)
    } else {
        MockServer::builder().clock(manual.clone())
    };
    for i in 0..APPS {
        builder = builder.app_config(AppConfig::new(FIRST_APP + i, SECRET));
    }
    let engine = builder.build_engine();
    // The real clock's peak comes and goes: look more often.
    let every = (streams / if real_clock { 100 } else { 10 }).max(1);
    let started = Instant::now();
    let start_rss = rss_kib();
    if real_clock {
        println!(
            "{streams} distinct StreamIds, 2 requests each (create, then delete its rule), {APPS} apps, rate limits off, the system clock, full speed"
        );
    } else {
        println!(
            "{streams} distinct StreamIds, 2 requests each (create, then delete its rule), {APPS} apps, rate limits on, clock +1 ms per request"
        );
    }
    println!("RSS before the first request: {}", mib(start_rss));
    println!();
    println!(
        "{:>9} {:>9} {:>10} {:>11} {:>13} {:>8} {:>12} {:>8}",
        "streams",
        "requests",
        "mock time",
        "RSS",
        "Sequence book",
        "limiter",
        "relay rules",
        "refused"
    );
    let mut refused = 0u64;
    let mut first_refusal = None;
    let mut rss_at = Vec::new();
    let (mut max_book, mut max_limiter) = (0usize, 0usize);
    for i in 0..streams {
        let app = FIRST_APP + (i % u64::from(APPS)) as u32;
        let stream = format!("mem-{i:08}");
        for (action, sequence) in [
            ("CreatCDNTransferRule", "1"),
            ("DeleteCDNTransferRule", "2"),
        ] {
            let nonce = format!("{:016x}", i << 1 | u64::from(sequence == "2"));
            let query = signed_query(
                app,
                SECRET,
                action,
                clock.now_secs(),
                &nonce,
                &[
                    ("StreamId", &stream),
                    ("CDNUrl", CDN_URL),
                    ("Sequence", sequence),
                ],
            );
            let answer = engine.handle(Incoming::get(query.as_bytes()));
            if answer.code != 0 {
                refused += 1;
                first_refusal
                    .get_or_insert_with(|| String::from_utf8_lossy(&answer.body).into_owned());
            }
            if !real_clock {
                manual.advance(Duration::from_millis(1));
            }
        }
        let report = (i + 1) % (every * if real_clock { 10 } else { 1 }) == 0;
        if (i + 1) % every == 0 || i + 1 == streams {
            let (book, limiter, rules) = {
                let f = engine.footprint();
                (f.sequences, f.rate_limit_keys, f.relay_rules)
            };
            max_book = max_book.max(book);
            max_limiter = max_limiter.max(limiter);
            let rss = rss_kib();
            rss_at.push(rss);
            if !report && i + 1 != streams {
                continue;
            }
            println!(
                "{:>9} {:>9} {:>8} s {:>11} {:>13} {:>8} {:>12} {:>8}",
                i + 1,
                2 * (i + 1),
                if real_clock {
                    started.elapsed().as_secs()
                } else {
                    2 * (i + 1) / 1000
                },
                mib(rss),
                book,
                limiter,
                rules,
                refused
            );
        }
    }
    let production = engine
        .env_state(FIRST_APP, Env::Production)
        .media
        .relay_rules
        .len();
    println!();
    if real_clock {
        let peak = rss_at.iter().flatten().max().copied();
        let grown = peak.zip(start_rss).map(|(p, s)| p.saturating_sub(s) * 1024);
        println!(
            "real clock: {:.0} requests/s; peak RSS {} with {max_book} streams live in the Sequence book ({} bytes of RSS growth per live stream)",
            2.0 * streams as f64 / started.elapsed().as_secs_f64(),
            mib(peak),
            grown.map_or_else(|| "n/a".into(), |g| (g / max_book.max(1) as u64).to_string()),
        );
    }
    if real_clock {
        println!(
            "done in {:.1} s of real time; every stream of the last 10 to 12 s is live at once under the real clock, so memory grows until that much traffic has passed and then stays (run more streams to see it level off); largest limiter {max_limiter} keys",
            started.elapsed().as_secs_f64(),
        );
    } else {
        println!(
            "done in {:.1} s of real time; largest Sequence book {max_book} streams (it keeps 10 to 12 s of the clock's streams: at 500 new streams per second, at most 6000); largest limiter {max_limiter} keys (one per app and action seen in the current second: at most {})",
            started.elapsed().as_secs_f64(),
            2 * APPS
        );
        if let (Some(Some(second)), Some(Some(last))) = (rss_at.get(1), rss_at.last()) {
            println!(
                "RSS from the second checkpoint to the last: {} -> {} ({:+.1}%): {}",
                mib(Some(*second)),
                mib(Some(*last)),
                (*last as f64 / *second as f64 - 1.0) * 100.0,
                if *last <= second + second / 10 {
                    "bounded"
                } else {
                    "GROWING"
                }
            );
        }
    }
    println!("relay rules left for app {FIRST_APP} in production: {production}");
    if let Some(body) = first_refusal {
        println!("{refused} requests refused; the first: {body}");
    }
}
