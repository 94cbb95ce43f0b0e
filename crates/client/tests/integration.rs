//! The client's integration tests, one module a file of `tests/`, built as one test binary
//! rather than one a file, each of which linked tokio, hyper and rustls (gigabytes of disk, and
//! most of the build's time on 2 cores). `autotests = false` in Cargo.toml; a test of
//! `zego-conformance` (`layout.rs`) fails when a file of `tests/` is not declared here.

mod against_mock;
mod common;
mod decode;
mod return_codes;
mod tls;
mod wire_format;
