//! What one relay-rule delete and re-create costs as the rules held grow.
//!
//! ```text
//! cargo run --release -p zego-mock --example relay_rules
//! ```
//!
//! Seeds 10,000, 100,000 and 300,000 relay rules (one per StreamId) into one app, then times
//! 2,000 pairs of `DeleteCDNTransferRule` + `CreatCDNTransferRule` on rules in the middle of the
//! set, through `Engine::handle` (no socket; rate limits off, journal off, a manual clock moved
//! 20 ms per pair so the 10-second Sequence window keeps rolling). Prints the mean time of a
//! pair at each size: with rules indexed by StreamId it stays flat instead of growing with the
//! rules held.

use std::time::Instant;
use zego_mock::{
    signed_query, Clock, Env, EnvState, Incoming, ManualClock, MockServer, RelayRule, DEV_APP_ID,
    DEV_SERVER_SECRET,
};

const CDN: &str = "rtmp://cdn.example.com/live/r";
const PAIRS: u64 = 2_000;

fn main() {
    println!("{:>9}  {:>14}", "rules", "delete+create");
    for size in [10_000u64, 100_000, 300_000] {
        let clock = ManualClock::at_secs(1_700_000_000);
        let engine = MockServer::builder()
            .clock(clock.clone())
            .rate_limits(false)
            .journal_capacity(0)
            .build_engine();
        let mut state = EnvState::default();
        state.media.relay_rules = (0..size)
            .map(|i| RelayRule {
                stream_id: format!("s{i}"),
                cdn_url: Some(CDN.to_string()),
                created_at_millis: 0,
            })
            .collect();
        engine.seed_state(DEV_APP_ID, Env::Production, state);
        let started = Instant::now();
        for p in 0..PAIRS {
            let stream = format!("s{}", size / 2 + p);
            let now = clock.now_secs();
            for (action, seq) in [("DeleteCDNTransferRule", 1), ("CreatCDNTransferRule", 2)] {
                let seq = seq.to_string();
                let q = signed_query(
                    DEV_APP_ID,
                    DEV_SERVER_SECRET,
                    action,
                    now,
                    &format!("n{p}{action}"),
                    &[("StreamId", &stream), ("CDNUrl", CDN), ("Sequence", &seq)],
                );
                let answer = engine.handle(Incoming::get(q.as_bytes()));
                assert_eq!(
                    answer.code,
                    0,
                    "{action}: {}",
                    String::from_utf8_lossy(&answer.body)
                );
            }
            clock.advance(std::time::Duration::from_millis(20));
        }
        let per_pair = started.elapsed() / u32::try_from(PAIRS).unwrap_or(u32::MAX);
        let held = engine
            .env_state(DEV_APP_ID, Env::Production)
            .media
            .relay_rules
            .len();
        assert_eq!(held as u64, size);
        println!("{size:>9}  {:>11.1} µs", per_pair.as_secs_f64() * 1e6);
    }
}
