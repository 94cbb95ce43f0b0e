//! The request journal: a bounded ring of what the mock received and how it answered, with the
//! reason for every refusal. Kept compact on the hot path, decoded only when listed.

use crate::actions::Action;
use crate::codes;
use crate::config::Env;
use crate::query::Params;
use crate::refusal::Refusal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::VecDeque;

/// The most body bytes the journal keeps per request; the rest is counted, not kept.
pub const JOURNAL_BODY_LIMIT: usize = 16 * 1024;

/// The journal's default capacity, in entries.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 1000;

/// One request as the mock saw and answered it. Holds no secret: the ServerSecret is never a
/// parameter, and refusal reasons mask it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// Position in the journal since the mock started (1, 2, ...), never reused.
    pub seq: u64,
    /// When the request arrived, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
    /// The HTTP method.
    pub method: String,
    /// The URL path.
    pub path: String,
    /// The action, when the request named a known one.
    pub action: Option<String>,
    /// The AppId, when it parsed.
    pub app_id: Option<u32>,
    /// `"production"` or `"test"`, when the request passed the gateway.
    pub env: Option<&'static str>,
    /// The decoded query parameters, in order.
    pub params: Vec<(String, String)>,
    /// The request body as text (invalid UTF-8 replaced), when one was sent; cut after
    /// [`JOURNAL_BODY_LIMIT`] bytes with a note of the full length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// The `Code` answered.
    pub code: i64,
    /// The `Message` answered.
    pub message: String,
    /// The `RequestId` answered.
    pub request_id: String,
    /// The check that refused the request, when one did.
    pub check: Option<&'static str>,
    /// Why it was refused, in words a developer can act on.
    pub reason: Option<String>,
    /// The id of the fault that shaped the answer, if any.
    pub fault: Option<u64>,
    /// Parameters whose names match a documented one only when case is ignored (names are
    /// case-sensitive, so such a parameter was not read): "`isTest` looks like `IsTest` (names
    /// are case-sensitive)". A refusal's `reason` ends with the same notes. Left out of the JSON
    /// when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The common parameters every action takes (`accessing-server-apis.mdx`).
const COMMON_PARAMS: [&str; 7] = [
    "Action",
    "AppId",
    "SignatureNonce",
    "Timestamp",
    "Signature",
    "SignatureVersion",
    "IsTest",
];

/// The documented name `sent` matches when case is ignored, when it is not itself one of the
/// documented names. A trailing `[]` is kept out of the comparison and put back on the answer.
fn lookalike(sent: &str, documented: &[&str]) -> Option<String> {
    let (base, brackets) = match sent.strip_suffix("[]") {
        Some(base) => (base, "[]"),
        None => (sent, ""),
    };
    if documented.contains(&base) {
        return None;
    }
    documented
        .iter()
        .find(|d| d.eq_ignore_ascii_case(base))
        .map(|d| format!("{d}{brackets}"))
}

/// Notes on the query parameters of a request whose names match a documented one (a common
/// parameter, or one the action declares) only when case is ignored. Computed when the journal
/// is listed, never while the request is answered.
fn lookalike_notes(action: Option<Action>, params: &[(String, String)]) -> Vec<String> {
    let spec = action.map(Action::spec);
    let mut documented: Vec<&str> = COMMON_PARAMS.to_vec();
    if let Some(spec) = spec {
        documented.extend(
            spec.params
                .iter()
                .map(|p| p.name.strip_suffix("[]").unwrap_or(p.name)),
        );
    }
    let mut notes = Vec::new();
    let mut note = |text: String| {
        if !notes.contains(&text) {
            notes.push(text);
        }
    };
    for (name, _) in params {
        if let Some(like) = lookalike(name, &documented) {
            note(format!(
                "`{name}` looks like `{like}` (names are case-sensitive)"
            ));
        }
    }
    notes
}

/// Which journal entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalFilter {
    /// Only this action.
    pub action: Option<Action>,
    /// Only this AppId.
    pub app_id: Option<u32>,
    /// Only this code.
    pub code: Option<i64>,
}

impl JournalFilter {
    fn matches(&self, r: &Record) -> bool {
        self.action.is_none_or(|a| r.action == Some(a))
            && self.app_id.is_none_or(|id| r.app_id == Some(id))
            && self.code.is_none_or(|c| r.code == c)
    }
}

/// A request as the journal keeps it: compact on the hot path (the raw query in one block,
/// static texts where it can), decoded into a [`JournalEntry`] only when listed.
#[derive(Debug, Clone)]
pub struct Record {
    /// When the request arrived, in Unix milliseconds of the mock's clock.
    pub at_millis: i64,
    /// The HTTP method.
    pub method: Cow<'static, str>,
    /// The URL path.
    pub path: Cow<'static, str>,
    /// The raw query string.
    pub query: Box<[u8]>,
    /// The body's first [`JOURNAL_BODY_LIMIT`] bytes.
    pub body: Box<[u8]>,
    /// The body's full length.
    pub body_len: usize,
    /// The action, when the request named a known one.
    pub action: Option<Action>,
    /// The AppId, when it parsed.
    pub app_id: Option<u32>,
    /// The environment, when the request passed the gateway.
    pub env: Option<Env>,
    /// The HTTP status answered.
    pub status: u16,
    /// The `Code` answered.
    pub code: i64,
    /// The `RequestId` answered.
    pub request_id: u64,
    /// Why the request was refused, when it was.
    pub refusal: Option<Refusal>,
    /// The message of an HTTP-level failure (unknown path, wrong method).
    pub http_message: Option<Box<str>>,
    /// The id of the fault that shaped the answer, if any.
    pub fault: Option<u64>,
    /// Whether the connection was dropped instead of answered.
    pub dropped: bool,
}

impl Record {
    fn to_entry(&self, seq: u64) -> JournalEntry {
        let message = match (&self.refusal, &self.http_message, self.action) {
            (Some(r), _, _) => r.message().to_string(),
            (None, Some(m), _) => m.to_string(),
            (None, None, Some(a)) if self.code == 0 => a.spec().success_message.to_string(),
            (None, None, Some(a)) => codes::describe(a.spec().family, self.code).to_string(),
            (None, None, None) => String::new(),
        };
        let params = Params::parse_bytes(&self.query).into_pairs();
        let notes = lookalike_notes(self.action, &params);
        let reason = if self.dropped {
            Some("the connection was dropped by an injected fault".to_string())
        } else {
            self.refusal.as_ref().map(|r| r.reason.clone())
        }
        .map(|mut reason| {
            for note in &notes {
                reason.push_str("; note: ");
                reason.push_str(note);
            }
            reason
        });
        JournalEntry {
            seq,
            at_millis: self.at_millis,
            method: self.method.to_string(),
            path: self.path.to_string(),
            action: self.action.map(|a| a.wire_name().to_string()),
            app_id: self.app_id,
            env: self.env.map(Env::as_str),
            params,
            body: (self.body_len > 0).then(|| {
                let mut text = String::from_utf8_lossy(&self.body).into_owned();
                if self.body_len > self.body.len() {
                    text.push_str(&format!("… ({} bytes in all)", self.body_len));
                }
                text
            }),
            status: self.status,
            code: self.code,
            message,
            request_id: self.request_id.to_string(),
            check: self.refusal.as_ref().map(|r| r.check.as_str()),
            reason,
            fault: self.fault,
            notes,
        }
    }
}

/// A bounded ring of the latest requests.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: VecDeque<(u64, Record)>,
    next_seq: u64,
}

impl Journal {
    /// An empty journal keeping at most `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: VecDeque::with_capacity(capacity.min(4096)),
            next_seq: 1,
        }
    }

    /// Whether entries are kept at all.
    pub fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Appends a record (its `seq` is assigned here), dropping the oldest beyond capacity.
    pub fn push(&mut self, record: Record) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back((seq, record));
    }

    /// The entries matching `filter`, oldest first.
    pub fn list(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        self.entries
            .iter()
            .filter(|(_, r)| filter.matches(r))
            .map(|(seq, r)| r.to_entry(*seq))
            .collect()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Whether no entry is kept.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(_action: &str, code: i64) -> Record {
        Record {
            at_millis: 0,
            method: Cow::Borrowed("GET"),
            path: Cow::Borrowed("/"),
            query: Box::default(),
            body: Box::default(),
            body_len: 0,
            action: Some(Action::CreatCDNTransferRule),
            app_id: Some(1),
            env: None,
            status: 200,
            code,
            request_id: 1,
            refusal: None,
            http_message: None,
            fault: None,
            dropped: false,
        }
    }

    #[test]
    fn names_that_differ_only_in_case_are_noted_once_and_exact_ones_never() {
        let pairs = |names: &[&str]| -> Vec<(String, String)> {
            names.iter().map(|n| (n.to_string(), "x".into())).collect()
        };
        let creat = Some(Action::CreatCDNTransferRule);
        assert_eq!(
            lookalike_notes(creat, &pairs(&["isTest", "streamid", "streamid", "CDNUrl"])),
            [
                "`isTest` looks like `IsTest` (names are case-sensitive)",
                "`streamid` looks like `StreamId` (names are case-sensitive)",
            ]
        );
        // Exact names, unknown names and an unknown action's business names get no note.
        let exact = [
            "Action",
            "AppId",
            "IsTest",
            "StreamId",
            "Sequence",
            "Foo",
            "StreamId[]",
        ];
        assert!(lookalike_notes(creat, &pairs(&exact)).is_empty());
        assert_eq!(
            lookalike_notes(None, &pairs(&["action", "streamid"])),
            ["`action` looks like `Action` (names are case-sensitive)"]
        );
        // Brackets are kept out of the comparison.
        assert_eq!(
            lookalike_notes(Some(Action::ForbidRTCStreams), &pairs(&["streamId[]"])),
            ["`streamId[]` looks like `StreamId[]` (names are case-sensitive)"]
        );
    }

    #[test]
    fn the_journal_is_a_bounded_ring() {
        let mut j = Journal::new(3);
        for i in 0..5 {
            j.push(entry("A", i));
        }
        let all = j.list(&JournalFilter::default());
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4, 5]);
        let only = j.list(&JournalFilter {
            code: Some(4),
            ..Default::default()
        });
        assert_eq!(only.len(), 1);
        let mut off = Journal::new(0);
        off.push(entry("A", 0));
        assert!(off.is_empty());
    }
}
