//! The mock's integration tests, one module a file of `tests/`, built as one test binary
//! rather than one a file, each of which linked tokio, hyper and rustls (gigabytes of disk, and
//! most of the build's time on 2 cores). `autotests = false` in Cargo.toml; a test of
//! `zego-conformance` (`layout.rs`) fails when a file of `tests/` is not declared here.

mod backend_flow;
mod bodies;
mod callback_events;
mod callbacks;
mod cli;
mod common;
mod control;
mod fast_path;
mod fuzz;
mod gateway;
mod hostile;
mod media_files;
mod media_service;
mod memory;
mod mix_model;
mod mixing;
mod moderation;
mod params;
mod races;
mod rate_limits;
mod responses;
mod room_model;
mod rooms;
mod rtmp_dispatch;
mod scene;
mod sequence;
mod service;
mod tls;
