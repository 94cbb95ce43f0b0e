//! The client over HTTPS to a mock whose certificate its own CA signs: trusted with
//! `add_root_certificate_pem`, refused without it, and bad PEM refused when building.

use zego_client::{Client, DescribeUserNumRequest};
use zego_mock::{Clock as _, LocalCa, ManualClock, MockServer, DEV_APP_ID, DEV_SERVER_SECRET};

async fn https_mock() -> (MockServer, ManualClock, LocalCa) {
    let ca = LocalCa::generate().expect("CA");
    let clock = ManualClock::at_secs(1_700_000_000);
    let server = MockServer::builder()
        .clock(clock.clone())
        .tls(ca.server_tls().expect("server certificate"))
        .start()
        .await;
    (server, clock, ca)
}

fn builder(base_url: &str, clock: &ManualClock) -> zego_client::ClientBuilder {
    let clock = clock.clone();
    Client::builder()
        .app_id(DEV_APP_ID)
        .server_secret(DEV_SERVER_SECRET)
        .base_url(base_url)
        .clock(move || clock.now_millis())
}

#[tokio::test]
async fn a_client_trusting_the_mock_ca_reaches_its_https_listener() {
    let (server, clock, ca) = https_mock().await;
    let base = server.https_uri().expect("an HTTPS listener");
    assert!(base.starts_with("https://localhost:"), "{base}");
    let client = builder(&base, &clock)
        .add_root_certificate_pem(ca.cert_pem().as_bytes())
        .build()
        .expect("client");
    let counts = client
        .describe_user_num(DescribeUserNumRequest::new(["r1"]))
        .await
        .expect("answered over HTTPS");
    assert_eq!(counts.data.user_count_list.len(), 1);
    assert_eq!(counts.data.user_count_list[0].room_id, "r1");
    let journal = server.received();
    assert_eq!(journal.len(), 1);
    let port = base.rsplit(':').next().expect("port");
    assert_eq!(
        journal[0].host.as_deref(),
        Some(format!("localhost:{port}").as_str())
    );
}

#[tokio::test]
async fn without_the_ca_the_certificate_is_refused() {
    let (server, clock, _ca) = https_mock().await;
    let base = server.https_uri().expect("an HTTPS listener");
    let client = builder(&base, &clock).build().expect("client");
    let err = client
        .describe_user_num(DescribeUserNumRequest::new(["r1"]))
        .await
        .expect_err("an unknown CA");
    assert!(err.is_transport(), "{err:?}");
    // Another CA does not help either.
    let other = LocalCa::generate().expect("CA");
    let client = builder(&base, &clock)
        .add_root_certificate_pem(other.cert_pem().as_bytes())
        .build()
        .expect("client");
    let err = client
        .describe_user_num(DescribeUserNumRequest::new(["r1"]))
        .await
        .expect_err("the wrong CA");
    assert!(err.is_transport(), "{err:?}");
    assert!(server.received().is_empty());
}

#[test]
fn bad_pem_fails_the_build_with_a_clear_error() {
    let build = |pem: &[u8]| {
        Client::builder()
            .app_id(DEV_APP_ID)
            .server_secret(DEV_SERVER_SECRET)
            .add_root_certificate_pem(pem)
            .build()
    };
    let err = build(b"").expect_err("empty");
    assert!(err.is_builder());
    assert!(err.to_string().contains("no CERTIFICATE"), "{err}");
    let garbage = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let err = build(garbage).expect_err("not a certificate");
    assert!(err.is_builder(), "{err:?}");
}
