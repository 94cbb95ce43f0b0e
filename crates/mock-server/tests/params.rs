//! Each action's own parameter checks and their codes (SPEC.md 5.2).

use crate::common;

use common::*;
use zego_mock::DEV_APP_ID;

#[tokio::test]
async fn creat_stream_id_must_be_1_to_256_of_the_documented_characters() {
    let (server, _clock) = frozen().await;
    let max = "x".repeat(256);
    let too_long = "x".repeat(257);
    let cases: [(&str, i64); 8] = [
        ("ok_-09AZ", 0),
        (&max, 0),
        (&too_long, 30009),
        ("a.b", 30009),
        ("a b", 30009),
        ("流", 30009),
        ("a/b", 30009),
        ("", 30009),
    ];
    for (i, (id, expected)) in cases.into_iter().enumerate() {
        let v = get(&server, &creat(T0, id, i as u64 + 1, &[])).await;
        assert_eq!(v["Code"], expected, "StreamId {id:?}: {v}");
        if expected == 30009 {
            assert_eq!(
                v["Message"],
                "Invalid StreamId, Stream name is not standard."
            );
        }
    }
    // Missing altogether.
    let q = dev_query("CreatCDNTransferRule", T0, &[("Sequence", "1")]);
    assert_eq!(code(&server, &q).await, 30009);
}

#[tokio::test]
async fn creat_in_the_test_environment_needs_the_zegotest_prefix() {
    let (server, _clock) = frozen().await;
    let test = [("IsTest", "true")];
    assert_eq!(code(&server, &creat(T0, "plain", 1, &test)).await, 30009);
    assert_eq!(
        code(&server, &creat(T0, "zegotest-1-plain", 1, &test)).await,
        30009
    );
    let good = format!("zegotest-{DEV_APP_ID}-plain");
    assert_eq!(code(&server, &creat(T0, &good, 1, &test)).await, 0);
    // Production has no such rule.
    assert_eq!(code(&server, &creat(T0, "plain", 1, &[])).await, 0);
}

#[tokio::test]
async fn creat_cdn_url_must_be_rtmp_and_may_be_absent() {
    let (server, _clock) = frozen().await;
    let with_url = |url: &str, seq: &str| {
        dev_query(
            "CreatCDNTransferRule",
            T0,
            &[("StreamId", "s"), ("CDNUrl", url), ("Sequence", seq)],
        )
    };
    assert_eq!(
        code(&server, &with_url("rtmp://cdn.example.com/live/s?k=v", "1")).await,
        0
    );
    let v = get(&server, &with_url("http://cdn.example.com/live/s", "2")).await;
    assert_eq!(v["Code"], 30001);
    assert_eq!(v["Message"], "Invalid CDN address.");
    assert_eq!(code(&server, &with_url("rtmp://", "3")).await, 30001);
    assert_eq!(code(&server, &with_url("not a url", "4")).await, 30001);
    // Optional in the current YAML; empty counts as absent.
    assert_eq!(code(&server, &with_url("", "5")).await, 0);
    let none = dev_query(
        "CreatCDNTransferRule",
        T0,
        &[("StreamId", "s2"), ("Sequence", "1")],
    );
    assert_eq!(code(&server, &none).await, 0);
    // The raw (unencoded) form is decoded the same way as the encoded one.
    let raw = join(&common_pairs("CreatCDNTransferRule", T0))
        + "&StreamId=s3&CDNUrl=rtmp://h/a/b&Sequence=1";
    assert_eq!(code(&server, &raw).await, 0);
}

#[tokio::test]
async fn creat_sequence_must_be_a_decimal_u64() {
    let (server, _clock) = frozen().await;
    let seq = |s: &str| {
        dev_query(
            "CreatCDNTransferRule",
            T0,
            &[("StreamId", "s"), ("Sequence", s)],
        )
    };
    for bad in ["", "-1", "1.0", "0x10", "18446744073709551616", " 1", "+1"] {
        assert_eq!(code(&server, &seq(bad)).await, 5005, "Sequence {bad:?}");
    }
    let missing = dev_query("CreatCDNTransferRule", T0, &[("StreamId", "s")]);
    assert_eq!(code(&server, &missing).await, 5005);
    assert_eq!(code(&server, &seq("18446744073709551615")).await, 0);
}

#[tokio::test]
async fn creat_checks_is_test_then_stream_id_then_cdn_url_then_sequence() {
    let (server, _clock) = frozen().await;
    let q = |pairs: &[(&str, &str)]| dev_query("CreatCDNTransferRule", T0, pairs);
    let all_bad = q(&[
        ("IsTest", "x"),
        ("StreamId", "a.b"),
        ("CDNUrl", "http://h/a"),
        ("Sequence", "x"),
    ]);
    assert_eq!(code(&server, &all_bad).await, 30004);
    let v = get(&server, &q(&[("IsTest", "1")])).await;
    assert_eq!(v["Message"], "Parameter isTest error.");
    let three_bad = q(&[
        ("StreamId", "a.b"),
        ("CDNUrl", "http://h/a"),
        ("Sequence", "x"),
    ]);
    assert_eq!(code(&server, &three_bad).await, 30009);
    let two_bad = q(&[
        ("StreamId", "ab"),
        ("CDNUrl", "http://h/a"),
        ("Sequence", "x"),
    ]);
    assert_eq!(code(&server, &two_bad).await, 30001);
    let one_bad = q(&[
        ("StreamId", "ab"),
        ("CDNUrl", "rtmp://h/a"),
        ("Sequence", "x"),
    ]);
    assert_eq!(code(&server, &one_bad).await, 5005);
}

#[tokio::test]
async fn resume_cdn_live_stream_answers_2_for_bad_parameters_and_has_no_test_prefix_rule() {
    let (server, _clock) = frozen().await;
    let v = get(&server, &resume(T0, "a.b", &[])).await;
    assert_eq!(v["Code"], 2);
    assert_eq!(v["Message"], "Parameter error.");
    assert_eq!(
        code(&server, &dev_query("ResumeCDNLiveStream", T0, &[])).await,
        2
    );
    assert_eq!(
        code(&server, &resume(T0, "s", &[("IsTest", "yes")])).await,
        2
    );
    assert_eq!(
        code(&server, &resume(T0, "plain", &[("IsTest", "true")])).await,
        0
    );
    // It has no Sequence: repeating the same call is fine.
    assert_eq!(code(&server, &resume(T0, "plain", &[])).await, 0);
    assert_eq!(code(&server, &resume(T0, "plain", &[])).await, 0);
}
