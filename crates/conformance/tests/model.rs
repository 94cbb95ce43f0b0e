//! A model-based test: random interleavings of clock moves, simulated publishers and requests on
//! a few streams, with chosen Sequences and environments. After every step, the mock's answer
//! code and its state must equal a small reference model of the documented rules (rate limits,
//! the Sequence order rule, relay rules, CDN bans, forbidden RTC streams, stream states).

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use zego_client::{
    Client, CreatCdnTransferRuleRequest, DeleteCdnTransferRuleRequest,
    DescribeRtcStreamStateRequest, ForbidCdnLiveStreamRequest, ForbidRtcStreamRequest,
    ForbidRtcStreamsRequest, ResumeCdnLiveStreamRequest, ResumeRtcStreamRequest,
};
use zego_mock::{Clock, Env, ManualClock, MockServer};

const APP: u32 = 31_337;
const SECRET: &str = "0f0e0d0c0b0a09080706050403020100";
const T0: i64 = 1_700_000_000;
const STREAMS: [&str; 3] = ["a", "b", "c"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Act {
    Creat,
    Delete,
    ForbidRtc,
    ForbidRtcs,
    ResumeRtc,
    Describe,
    ForbidCdn,
    ResumeCdn,
}

impl Act {
    /// (production limit, test limit, throttled code), from each action's page.
    fn limits(self) -> (u32, u32, i64) {
        match self {
            Act::Creat | Act::Delete => (10, 5, 30002),
            Act::ForbidRtc | Act::ForbidRtcs | Act::ResumeRtc => (20, 5, 30002),
            Act::Describe => (40, 10, 30002),
            Act::ForbidCdn | Act::ResumeCdn => (20, 20, 7),
        }
    }

    /// Whether the page gives one limit for the AppID, both environments counting together
    /// ("All rooms under the same AppID are limited to 20 times/second").
    fn one_limit_per_app(self) -> bool {
        matches!(self, Act::ForbidCdn | Act::ResumeCdn)
    }

    fn has_sequence(self) -> bool {
        !matches!(self, Act::ForbidCdn | Act::ResumeCdn)
    }
}

#[derive(Debug, Clone)]
enum Op {
    Advance(u32),
    Publish {
        stream: usize,
        test: bool,
        live: bool,
    },
    Call {
        act: Act,
        stream: usize,
        second: usize,
        seq: u64,
        test: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let act = prop_oneof![
        Just(Act::Creat),
        Just(Act::Delete),
        Just(Act::ForbidRtc),
        Just(Act::ForbidRtcs),
        Just(Act::ResumeRtc),
        Just(Act::Describe),
        Just(Act::ForbidCdn),
        Just(Act::ResumeCdn),
    ];
    prop_oneof![
        2 => prop_oneof![0u32..1500, 9_000u32..11_000].prop_map(Op::Advance),
        1 => (0..STREAMS.len(), any::<bool>(), any::<bool>()).prop_map(|(stream, test, live)| Op::Publish { stream, test, live }),
        8 => (act, 0..STREAMS.len(), 0..STREAMS.len(), 1u64..8, prop::bool::weighted(0.3))
            .prop_map(|(act, stream, second, seq, test)| Op::Call { act, stream, second, seq, test }),
    ]
}

/// The reference model: the documented rules, written independently of the mock.
#[derive(Debug, Default)]
struct Model {
    now_ms: i64,
    windows: HashMap<(Act, bool), (i64, u32)>,
    last_seq: HashMap<(bool, String), (u64, i64)>,
    relay: BTreeSet<(bool, String)>,
    forbidden: BTreeSet<(bool, String)>,
    bans: BTreeMap<(bool, String), i64>,
    streams: BTreeMap<(bool, String), (i64, Option<i64>)>,
}

impl Model {
    fn now_s(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }

    fn publish(&mut self, key: (bool, String), live: bool) {
        if live {
            if self.forbidden.contains(&key) {
                return;
            }
            let now = self.now_s();
            match self.streams.get_mut(&key) {
                Some(s) if s.1.is_none() => {}
                Some(s) => *s = (now, None),
                None => {
                    self.streams.insert(key, (now, None));
                }
            }
        } else {
            let now = self.now_s();
            if let Some(s) = self.streams.get_mut(&key) {
                if s.1.is_none() {
                    s.1 = Some(now);
                }
            }
        }
    }

    fn call(&mut self, act: Act, test: bool, ids: &[String], seq: u64) -> i64 {
        // 1. rate limit: fixed windows of whole seconds, per action and environment (or per
        // action alone, where the page gives one limit for the AppID)
        let (prod, test_limit, throttled) = act.limits();
        let limit = if test { test_limit } else { prod };
        let second = self.now_s();
        let counted_env = test && !act.one_limit_per_app();
        let w = self
            .windows
            .entry((act, counted_env))
            .or_insert((second, 0));
        if w.0 != second {
            *w = (second, 0);
        }
        if w.1 >= limit {
            return throttled;
        }
        w.1 += 1;
        // 2. Sequence: strictly increasing within 10 s of the last accepted one, every id
        if act.has_sequence() {
            for id in ids {
                if let Some((last, at)) = self.last_seq.get(&(test, id.clone())) {
                    if self.now_ms - at < 10_000 && seq <= *last {
                        return 5005;
                    }
                }
            }
            for id in ids {
                self.last_seq.insert((test, id.clone()), (seq, self.now_ms));
            }
        }
        // 3. execute
        let key = (test, ids[0].clone());
        match act {
            Act::Creat => {
                self.relay.insert(key);
            }
            Act::Delete => {
                self.relay.remove(&key);
            }
            Act::ForbidRtc | Act::ForbidRtcs => {
                for id in ids {
                    self.forbidden.insert((test, id.clone()));
                    self.publish((test, id.clone()), false);
                }
            }
            Act::ResumeRtc => {
                self.forbidden.remove(&key);
            }
            Act::Describe => {
                return match self.streams.get(&key) {
                    None => 41004,
                    Some((_, None)) => 0,
                    Some((_, Some(_))) => 41006,
                };
            }
            Act::ForbidCdn => {
                let end = self.now_s() + 86_400;
                self.bans.insert(key, end);
            }
            Act::ResumeCdn => {
                self.bans.remove(&key);
            }
        }
        0
    }
}

fn stream_id(test: bool, i: usize) -> String {
    if test {
        format!("zegotest-{APP}-{}", STREAMS[i])
    } else {
        STREAMS[i].to_string()
    }
}

fn code_of<T>(r: Result<zego_client::Response<T>, zego_client::Error>) -> i64 {
    match r {
        Ok(answer) => answer.code,
        Err(e) => e.code().map_or(i64::MIN, |c| c.as_i64()),
    }
}

async fn send(client: &Client, act: Act, ids: &[String], seq: u64) -> i64 {
    let id = ids[0].as_str();
    let url = format!("rtmp://cdn.example.com/live/{id}");
    match act {
        Act::Creat => code_of(
            client
                .creat_cdn_transfer_rule(
                    CreatCdnTransferRuleRequest::new(id)
                        .cdn_url(url)
                        .sequence(seq),
                )
                .await,
        ),
        Act::Delete => code_of(
            client
                .delete_cdn_transfer_rule(DeleteCdnTransferRuleRequest::new(id, url).sequence(seq))
                .await,
        ),
        Act::ForbidRtc => code_of(
            client
                .forbid_rtc_stream(ForbidRtcStreamRequest::new(id).sequence(seq))
                .await,
        ),
        Act::ForbidRtcs => code_of(
            client
                .forbid_rtc_streams(ForbidRtcStreamsRequest::new(ids.iter().cloned()).sequence(seq))
                .await,
        ),
        Act::ResumeRtc => code_of(
            client
                .resume_rtc_stream(ResumeRtcStreamRequest::new(id).sequence(seq))
                .await,
        ),
        Act::Describe => code_of(
            client
                .describe_rtc_stream_state(DescribeRtcStreamStateRequest::new(id).sequence(seq))
                .await,
        ),
        Act::ForbidCdn => code_of(
            client
                .forbid_cdn_live_stream(ForbidCdnLiveStreamRequest::new(id))
                .await,
        ),
        Act::ResumeCdn => code_of(
            client
                .resume_cdn_live_stream(ResumeCdnLiveStreamRequest::new(id))
                .await,
        ),
    }
}

/// Compares the mock's state of both environments with the model's.
fn same_state(server: &MockServer, model: &Model) -> Result<(), String> {
    for test in [false, true] {
        let env = if test { Env::Test } else { Env::Production };
        let s = server.state(APP, env);
        let relay: BTreeSet<String> = s
            .media
            .relay_rules
            .iter()
            .map(|r| r.stream_id.clone())
            .collect();
        let want: BTreeSet<String> = model
            .relay
            .iter()
            .filter(|k| k.0 == test)
            .map(|k| k.1.clone())
            .collect();
        if relay != want {
            return Err(format!("{env:?} relay rules {relay:?}, model {want:?}"));
        }
        let forbidden: BTreeSet<String> = s.media.forbidden_rtc.iter().cloned().collect();
        let want: BTreeSet<String> = model
            .forbidden
            .iter()
            .filter(|k| k.0 == test)
            .map(|k| k.1.clone())
            .collect();
        if forbidden != want {
            return Err(format!("{env:?} forbidden {forbidden:?}, model {want:?}"));
        }
        let now = model.now_s();
        let bans: BTreeMap<String, i64> = s
            .media
            .cdn_bans
            .iter()
            .filter(|b| b.end_secs > now)
            .map(|b| (b.stream_id.clone(), b.end_secs))
            .collect();
        let want: BTreeMap<String, i64> = model
            .bans
            .iter()
            .filter(|(k, end)| k.0 == test && **end > now)
            .map(|(k, e)| (k.1.clone(), *e))
            .collect();
        if bans != want {
            return Err(format!("{env:?} bans {bans:?}, model {want:?}"));
        }
        let streams: BTreeMap<String, (i64, Option<i64>)> = s
            .media
            .streams
            .iter()
            .map(|(k, r)| (k.clone(), (r.create_secs, r.close_secs)))
            .collect();
        let want: BTreeMap<String, (i64, Option<i64>)> = model
            .streams
            .iter()
            .filter(|(k, _)| k.0 == test)
            .map(|(k, v)| (k.1.clone(), *v))
            .collect();
        if streams != want {
            return Err(format!("{env:?} streams {streams:?}, model {want:?}"));
        }
    }
    Ok(())
}

#[test]
fn the_mock_follows_the_reference_model_step_by_step() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = Config {
        cases: 48,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/model.txt",
        ))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    runner
        .run(&proptest::collection::vec(op(), 1..60), |ops| {
            rt.block_on(async {
                let clock = ManualClock::at_secs(T0);
                let server = MockServer::builder()
                    .app(APP, SECRET)
                    .clock(clock.clone())
                    .journal_capacity(0)
                    .start()
                    .await;
                let client = |test: bool| {
                    let c = clock.clone();
                    Client::builder()
                        .app_id(APP)
                        .server_secret(SECRET)
                        .base_url(server.uri())
                        .test_environment(test)
                        .clock(move || c.now_millis())
                        .build()
                        .expect("client")
                };
                let (prod, test_client) = (client(false), client(true));
                let mut model = Model {
                    now_ms: T0 * 1000,
                    ..Model::default()
                };
                for (step, op) in ops.iter().enumerate() {
                    match op {
                        Op::Advance(ms) => {
                            clock.advance(std::time::Duration::from_millis(u64::from(*ms)));
                            model.now_ms += i64::from(*ms);
                        }
                        Op::Publish { stream, test, live } => {
                            let env = if *test { Env::Test } else { Env::Production };
                            let id = stream_id(*test, *stream);
                            if *live {
                                let _ = server.start_publishing(APP, env, &id);
                            } else {
                                server.stop_publishing(APP, env, &id);
                            }
                            model.publish((*test, id), *live);
                        }
                        Op::Call {
                            act,
                            stream,
                            second,
                            seq,
                            test,
                        } => {
                            let mut ids = vec![stream_id(*test, *stream)];
                            if *act == Act::ForbidRtcs && second != stream {
                                ids.push(stream_id(*test, *second));
                            }
                            let client = if *test { &test_client } else { &prod };
                            let got = send(client, *act, &ids, *seq).await;
                            let want = model.call(*act, *test, &ids, *seq);
                            prop_assert_eq!(got, want, "step {}: {:?}", step, op);
                        }
                    }
                    if let Err(diff) = same_state(&server, &model) {
                        return Err(TestCaseError::fail(format!("step {step} ({op:?}): {diff}")));
                    }
                }
                Ok(())
            })
        })
        .expect("the mock follows the model");
}
