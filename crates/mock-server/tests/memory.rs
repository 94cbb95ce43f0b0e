//! The mock's own bookkeeping stays bounded however many StreamIds pass through: the Sequence
//! book keeps a stream for 10 s of the mock's clock and the rate limiter one second, so with the
//! clock moving, their sizes depend on the recent rate, never on the total.

use std::time::Duration;
use zego_mock::{sign, AppConfig, Clock, Engine, Incoming, ManualClock, MockServer};

const T0: i64 = 1_700_000_000;
const SECRET: &str = "0123456789abcdef0123456789abcdef";
const APPS: u32 = 100;
const FIRST_APP: u32 = 10_000;
const STREAMS: u64 = 200_000;
/// The clock moves this much per request: 1000 requests per second of the mock's clock.
const STEP: Duration = Duration::from_millis(1);

/// The signed common parameters of every app for one second of the clock (nonce reuse is
/// accepted, so one signature per app and second serves every request in it).
fn prefixes(timestamp: i64) -> Vec<String> {
    let nonce = "6d6f636b6d6f636b";
    (0..APPS)
        .map(|i| {
            let app = FIRST_APP + i;
            format!(
                "Action=ResumeRTCStream&AppId={app}&SignatureNonce={nonce}&Timestamp={timestamp}&Signature={}&SignatureVersion=2.0",
                sign(app, nonce, SECRET, timestamp)
            )
        })
        .collect()
}

fn engine(clock: &ManualClock) -> Engine {
    let mut builder = MockServer::builder().clock(clock.clone());
    for i in 0..APPS {
        builder = builder.app_config(AppConfig::new(FIRST_APP + i, SECRET));
    }
    builder.build_engine()
}

#[test]
fn sequence_book_and_limiter_stay_bounded_over_200k_distinct_stream_ids() {
    // Arrange: rate limits on (ResumeRTCStream allows 20/s per app); 100 apps in turn make 10/s
    // each, so every request passes and is remembered.
    let clock = ManualClock::at_secs(T0);
    let engine = engine(&clock);
    let mut second = clock.now_secs();
    let mut signed = prefixes(second);
    let (mut max_book, mut max_limiter) = (0, 0);

    // Act
    for i in 0..STREAMS {
        if clock.now_secs() != second {
            second = clock.now_secs();
            signed = prefixes(second);
        }
        let query = format!(
            "{}&StreamId=mem-{i}&Sequence=1",
            signed[(i % u64::from(APPS)) as usize]
        );
        let answer = engine.handle(Incoming::get(query.as_bytes()));
        assert_eq!(
            answer.code,
            0,
            "request {i}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        clock.advance(STEP);
        if i % 1000 == 999 {
            let (book, limiter) = {
                let f = engine.footprint();
                (f.sequences, f.rate_limit_keys)
            };
            max_book = max_book.max(book);
            max_limiter = max_limiter.max(limiter);
        }
    }

    // Assert: the book holds at most two windows' worth of streams (it is swept every 10 s of
    // the clock, dropping what is older than 10 s), the limiter one key per app and action.
    let (book, limiter) = {
        let f = engine.footprint();
        (f.sequences, f.rate_limit_keys)
    };
    assert!(max_book <= 20_000, "the Sequence book grew to {max_book}");
    assert!(
        max_book >= 10_000,
        "the book should hold the last 10 s ({max_book})"
    );
    assert!(
        max_limiter <= APPS as usize,
        "the limiter grew to {max_limiter}"
    );
    assert!(book <= 20_000 && limiter <= APPS as usize);

    // After a quiet spell longer than the window, the next request sweeps everything else.
    clock.advance(Duration::from_secs(11));
    let timestamp = clock.now_secs();
    let query = format!("{}&StreamId=last&Sequence=1", prefixes(timestamp)[0]);
    let answer = engine.handle(Incoming::get(query.as_bytes()));
    assert_eq!(answer.code, 0);
    let (book, limiter) = {
        let f = engine.footprint();
        (f.sequences, f.rate_limit_keys)
    };
    assert_eq!((book, limiter), (1, 1));
}
