//! `zego-conformance`: a catalogue of conformance cases, one per documented behaviour of
//! ZEGOCLOUD's Server API v2, and a runner that checks any target against it: the in-process
//! mock (default), a separately started `zego-mock`, or the real service.
//!
//! The facts come from [`docs`], the kit's own transcription of each action's page (method, rate
//! limits, success `Message`, and every parameter with its kind and codes), from which the
//! parameter cases are generated; it is kept independent of the mock on purpose.
//!
//! Each case has an id, a one-line description, the document it comes from, and what it needs
//! from the target (clock control, rate-limit headroom, a test environment, the mock's control
//! plane). Against a target that cannot offer something, the cases that need it are skipped
//! with the reason.
//!
//! What a user of the kit reaches for:
//!
//! - [`run`] a [`Selection`] (id filters, documented behaviour only) against a [`Target`]:
//!   [`Target::InProcess`], or [`Target::Remote`] for a separately started mock or the real
//!   service. It returns a [`Report`] of [`Outcome`]s, written for CI as JUnit XML
//!   ([`Report::to_junit`]) or JSON ([`Report::to_json`]).
//! - [`catalogue()`]: every [`Case`], with its id, description, document and [`Needs`]; the
//!   [`catalogue`](mod@catalogue) module holds the cases by family.
//! - [`docs`]: the kit's transcription of each action's page ([`ActionDoc`]), the source of the
//!   generated parameter cases.
//! - The `zego-conformance` binary runs the same from a shell (`--list`, `--filter`, `--target`, `--junit`, `--json`).
//!
//! ```
//! use zego_conformance::{run, Selection, Target};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let selection = Selection { filters: vec!["gateway.signature".into()], ..Default::default() };
//! let report = run(&Target::InProcess, &selection, |outcome| println!("{}", outcome.id)).await;
//! assert_eq!(report.failed(), 0, "{}", report.to_json());
//! assert!(report.passed() >= 2);
//! # }
//! ```

pub mod catalogue;
pub mod docs;
pub mod report;
pub mod runner;
pub mod target;

pub use catalogue::{catalogue, Case};
pub use docs::{ActionDoc, Family, FAMILIES};
pub use report::{Outcome, Report, Status};
pub use runner::{run, Selection};
pub use target::{set_admin_token, Capabilities, Ctx, Needs, Target};

/// The README's Rust examples, compiled and run as doc tests (`cargo test --doc -p
/// zego-conformance`), so that what the README shows works as written.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
