//! Property tests: the client against the in-process mock. No false rejection, no false
//! acceptance, and the timestamp window exactly as documented. Failing cases shrink to a minimal
//! one and are saved under `proptest-regressions/`.

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use std::sync::Arc;
use zego_client::{Client, CreatCdnTransferRuleRequest};
use zego_conformance::target::{encode, signature};
use zego_mock::{Clock, ManualClock, MockServer};

const APP: u32 = 4_000_000_001;
const SECRET: &str = "5f4dcc3b5aa765d61d8327deb882cf99";
const T0: i64 = 1_700_000_000;

fn config(cases: u32) -> Config {
    Config {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/properties.txt",
        ))),
        ..Config::default()
    }
}

struct Rig {
    rt: tokio::runtime::Runtime,
    server: MockServer,
    clock: ManualClock,
}

fn rig() -> Rig {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let clock = ManualClock::at_secs(T0);
    let server = rt.block_on(
        MockServer::builder()
            .app(APP, SECRET)
            .clock(clock.clone())
            .rate_limits(false)
            .journal_capacity(0)
            .start(),
    );
    Rig { rt, server, clock }
}

/// A client whose clock runs `offset_secs` away from the mock's.
fn client(rig: &Rig, secret: &str, offset: Arc<std::sync::atomic::AtomicI64>) -> Client {
    let clock = rig.clock.clone();
    Client::builder()
        .app_id(APP)
        .server_secret(secret)
        .base_url(rig.server.uri())
        .clock(move || clock.now_millis() + offset.load(std::sync::atomic::Ordering::SeqCst) * 1000)
        .build()
        .expect("client")
}

fn code_of<T>(r: Result<zego_client::Response<T>, zego_client::Error>) -> i64 {
    match r {
        Ok(answer) => answer.code,
        Err(e) => e.code().map_or(i64::MIN, |c| c.as_i64()),
    }
}

#[test]
fn any_request_the_client_signs_is_accepted() {
    let rig = rig();
    let offset = Arc::new(std::sync::atomic::AtomicI64::new(0));
    let client = client(&rig, SECRET, offset.clone());
    let strategy = (
        "[0-9A-Za-z_-]{1,256}",
        "[a-z0-9]{1,12}(\\.[a-z]{2,6}){0,2}",
        "[A-Za-z0-9_./-]{1,60}",
        -600i64..=600,
    );
    let mut runner = TestRunner::new(config(96));
    runner
        .run(&strategy, |(stream, host, path, skew)| {
            offset.store(skew, std::sync::atomic::Ordering::SeqCst);
            let request =
                CreatCdnTransferRuleRequest::new(stream).cdn_url(format!("rtmp://{host}/{path}"));
            let code = code_of(rig.rt.block_on(client.creat_cdn_transfer_rule(request)));
            prop_assert_eq!(code, 0, "skew {} s", skew);
            Ok(())
        })
        .expect("no false rejection");
}

#[test]
fn arbitrary_nonces_are_accepted_when_signed_as_sent() {
    let rig = rig();
    let client = client(&rig, SECRET, Arc::default());
    let mut runner = TestRunner::new(config(96));
    runner
        .run(&"[ -~]{1,40}", |nonce| {
            let q = format!(
                "Action=ResumeCDNLiveStream&AppId={APP}&SignatureNonce={}&Timestamp={T0}&Signature={}&SignatureVersion=2.0&StreamId=s",
                encode(&nonce),
                signature(APP, &nonce, SECRET, T0)
            );
            let raw = rig.rt.block_on(client.get_raw(&q)).expect("answered");
            let v: serde_json::Value = serde_json::from_slice(&raw.body).expect("json");
            prop_assert_eq!(&v["Code"], 0, "nonce {:?}", nonce);
            Ok(())
        })
        .expect("no false rejection");
}

/// What to corrupt in a correctly signed request, and the code that must answer.
#[derive(Debug, Clone)]
enum Corruption {
    AppId(u32),
    Nonce(String),
    Timestamp(i64),
    Signature(usize),
    Secret(String),
}

fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        any::<u32>()
            .prop_filter("another app", |id| *id != APP)
            .prop_map(Corruption::AppId),
        "[0-9a-f]{16}".prop_map(Corruption::Nonce),
        (1i64..=600)
            .prop_flat_map(|d| prop_oneof![Just(d), Just(-d)])
            .prop_map(Corruption::Timestamp),
        (0usize..32).prop_map(Corruption::Signature),
        "[0-9a-f]{32}"
            .prop_filter("another secret", |s| s != SECRET)
            .prop_map(Corruption::Secret),
    ]
}

#[test]
fn corrupting_any_signed_field_is_rejected_with_the_right_code() {
    let rig = rig();
    let client = client(&rig, SECRET, Arc::default());
    let mut runner = TestRunner::new(config(128));
    runner
        .run(&corruption(), |c| {
            let nonce = "4fd24687296dd9f3".to_string();
            let (mut app, mut sent_nonce, mut ts) = (APP, nonce.clone(), T0);
            let mut sig = signature(APP, &nonce, SECRET, T0);
            let expected = match &c {
                Corruption::AppId(id) => {
                    app = *id;
                    100000010
                }
                Corruption::Nonce(n) => {
                    if *n == nonce {
                        return Ok(());
                    }
                    sent_nonce = n.clone();
                    100000005
                }
                Corruption::Timestamp(d) => {
                    ts = T0 + d;
                    100000005
                }
                Corruption::Signature(i) => {
                    let mut bytes = sig.into_bytes();
                    bytes[*i] = if bytes[*i] == b'0' { b'1' } else { b'0' };
                    sig = String::from_utf8(bytes).expect("ascii");
                    100000005
                }
                Corruption::Secret(s) => {
                    sig = signature(APP, &nonce, s, T0);
                    100000005
                }
            };
            let q = format!("Action=ResumeCDNLiveStream&AppId={app}&SignatureNonce={sent_nonce}&Timestamp={ts}&Signature={sig}&SignatureVersion=2.0&StreamId=s");
            let raw = rig.rt.block_on(client.get_raw(&q)).expect("answered");
            let v: serde_json::Value = serde_json::from_slice(&raw.body).expect("json");
            prop_assert_eq!(&v["Code"], expected, "{:?}", c);
            Ok(())
        })
        .expect("no false acceptance");
}

#[test]
fn a_timestamp_is_accepted_exactly_when_within_600_seconds() {
    let rig = rig();
    let offset = Arc::new(std::sync::atomic::AtomicI64::new(0));
    let client = client(&rig, SECRET, offset.clone());
    let mut runner = TestRunner::new(config(128));
    runner
        .run(&(-1500i64..=1500), |skew| {
            offset.store(skew, std::sync::atomic::Ordering::SeqCst);
            let r = rig.rt.block_on(
                client.resume_cdn_live_stream(zego_client::ResumeCdnLiveStreamRequest::new("s")),
            );
            let expected = if skew.abs() <= 600 { 0 } else { 100000004 };
            prop_assert_eq!(code_of(r), expected, "skew {} s", skew);
            Ok(())
        })
        .expect("the window is exactly ±600 s");
}
