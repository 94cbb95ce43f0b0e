//! What a test can ask of the mock besides the API itself: the request journal (with the reason
//! for every refusal), fault injection, and coverage of actions and codes.

mod access;
mod coverage;
mod faults;
mod journal;

pub use access::{generate_token, AccessDenied, ControlAccess};
pub use coverage::{Coverage, CoverageLine, CoverageSummary};
pub use faults::{code_family, Fault, FaultKind, FaultSpec, FaultWhen, Faults};
pub(crate) use journal::cap_query_counted;
pub use journal::{
    entries_json, Journal, JournalEntry, JournalFilter, Record, DEFAULT_JOURNAL_BYTES,
    DEFAULT_JOURNAL_CAPACITY, JOURNAL_BODY_LIMIT, JOURNAL_HOST_LIMIT, JOURNAL_PARAM_LIMIT,
    JOURNAL_QUERY_LIMIT, MAX_JOURNAL_CAPACITY,
};
