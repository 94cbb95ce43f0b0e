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
use std::sync::Arc;

/// The most body bytes the journal keeps per request; the rest is counted, not kept.
pub const JOURNAL_BODY_LIMIT: usize = 16 * 1024;

/// The most query parameters the journal keeps per request (the first ones); the rest are
/// counted in [`JournalEntry::params_left_out`], not kept.
pub const JOURNAL_PARAM_LIMIT: usize = 64;

/// The most query bytes the journal keeps per request: the parameters that fit whole in them
/// (and at most [`JOURNAL_PARAM_LIMIT`]).
pub const JOURNAL_QUERY_LIMIT: usize = 16 * 1024;

/// The most bytes of a request's host the journal keeps (a DNS name is at most 253, with a
/// port a few more); a longer `Host` header is cut at a character boundary.
pub const JOURNAL_HOST_LIMIT: usize = 255;

/// The journal's default capacity, in entries.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 1000;

/// The largest journal capacity accepted, in entries (`--journal-size` above it is refused,
/// and a journal keeps no more).
pub const MAX_JOURNAL_CAPACITY: usize = 100_000;

/// The most memory the journal's entries may take, in bytes (an estimate of what each record
/// holds): beyond it, the oldest entries go, whatever the capacity in entries.
pub const DEFAULT_JOURNAL_BYTES: usize = 64 * 1024 * 1024;

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
    /// The host the request was sent to: the `CONNECT` target's host for a request through the
    /// proxy's tunnel, the URL's host (and port) for an absolute-form request, else the `Host`
    /// header; cut after [`JOURNAL_HOST_LIMIT`] bytes. `None` when none was given.
    pub host: Option<String>,
    /// The action, when the request named a known one.
    pub action: Option<String>,
    /// The AppId, when it parsed.
    pub app_id: Option<u32>,
    /// `"production"` or `"test"`, when the request passed the gateway.
    pub env: Option<&'static str>,
    /// The decoded query parameters, in order: the first [`JOURNAL_PARAM_LIMIT`] that fit
    /// whole in [`JOURNAL_QUERY_LIMIT`] bytes.
    pub params: Vec<(String, String)>,
    /// How many query parameters the request had beyond those in `params` (left out of the
    /// journal to bound its memory). Left out of the JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub params_left_out: usize,
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

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// [`cap_query_counted`] with the kept part copied, counting the `&`s itself.
#[cfg(test)]
pub fn cap_query(query: &[u8]) -> (Box<[u8]>, usize) {
    let (kept, left_out) = cap_query_counted(query, memchr::memchr_iter(b'&', query).count());
    (query[..kept].into(), left_out)
}

/// The part of a raw query the journal keeps: the first [`JOURNAL_PARAM_LIMIT`] parameters that
/// fit whole in [`JOURNAL_QUERY_LIMIT`] bytes (always the start of the query: its length is
/// answered), and how many parameters were left out (empty pieces between `&`s are not
/// parameters). `ampersands` is how many `&` the query holds (the parser counted them).
/// Linear in the query at most, with no allocation.
pub(crate) fn cap_query_counted(query: &[u8], ampersands: usize) -> (usize, usize) {
    // The usual query fits whole: with at most JOURNAL_PARAM_LIMIT pieces, every parameter is
    // kept, and only trailing empty pieces (`&`s) are left off.
    if query.len() <= JOURNAL_QUERY_LIMIT && ampersands < JOURNAL_PARAM_LIMIT {
        let end = query.iter().rposition(|&b| b != b'&').map_or(0, |i| i + 1);
        return (end, 0);
    }
    cap_query_by_pieces(query)
}

/// [`cap_query_counted`] piece by piece, for any query.
fn cap_query_by_pieces(query: &[u8]) -> (usize, usize) {
    let mut kept_end = 0;
    let mut kept = 0;
    let mut left_out = 0;
    let mut start = 0;
    let mut full = false;
    for piece in query.split(|b| *b == b'&') {
        let end = start + piece.len();
        if !piece.is_empty() {
            if !full && kept < JOURNAL_PARAM_LIMIT && end <= JOURNAL_QUERY_LIMIT {
                kept += 1;
                kept_end = end;
            } else {
                full = true;
                left_out += 1;
            }
        }
        start = end + 1;
    }
    (kept_end, left_out)
}

/// The part of a host the journal keeps: its first [`JOURNAL_HOST_LIMIT`] bytes, cut at a
/// character boundary. The last host kept on this thread is reused when it is the same, so a
/// client sending one Host header costs one copy, not one per request.
pub fn cap_host(host: &str) -> Arc<str> {
    let host = capped_host(host);
    thread_local! {
        static LAST: std::cell::RefCell<Option<Arc<str>>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some(kept) if **kept == *host => Arc::clone(kept),
        _ => Arc::clone(last.insert(host.into())),
    })
}

/// The part of `host` the journal keeps: its first [`JOURNAL_HOST_LIMIT`] bytes, cut at a
/// character boundary.
pub(crate) fn capped_host(host: &str) -> &str {
    let mut end = host.len().min(JOURNAL_HOST_LIMIT);
    while !host.is_char_boundary(end) {
        end -= 1;
    }
    &host[..end]
}

/// Whether a recorded host matches a filter's: the same name in any case, with or without the
/// recorded port.
fn host_matches(recorded: &str, wanted: &str) -> bool {
    if recorded.eq_ignore_ascii_case(wanted) {
        return true;
    }
    let name = match recorded.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => recorded,
    };
    name.eq_ignore_ascii_case(wanted)
}

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
    let mut documented: Vec<&str> = crate::query::COMMON.to_vec();
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
    /// Only requests sent to this host (any case; a recorded port may be left out).
    pub host: Option<String>,
    /// Only entries whose `seq` is greater than this (the last `seq` a reader saw), so a reader
    /// can page through the journal or poll it for what is new.
    pub since: Option<u64>,
    /// At most this many entries: with `since`, the first ones after it (to page forward);
    /// without, the latest ones. Either way they are listed oldest first.
    pub limit: Option<usize>,
}

impl JournalFilter {
    fn matches(&self, r: &Record) -> bool {
        self.action.is_none_or(|a| r.action == Some(a))
            && self.app_id.is_none_or(|id| r.app_id == Some(id))
            && self.code.is_none_or(|c| r.code == c)
            && self.host.as_deref().is_none_or(|wanted| {
                r.host
                    .as_deref()
                    .is_some_and(|recorded| host_matches(recorded, wanted))
            })
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
    /// The host the request was sent to, cut by [`cap_host`] (shared with the records before it
    /// when it is the same, as it nearly always is).
    pub host: Option<Arc<str>>,
    /// The raw query string, cut to what [`cap_query_counted`] keeps (in a buffer the journal
    /// reuses when the record leaves it).
    pub query: Vec<u8>,
    /// How many query parameters were left out of `query`.
    pub params_left_out: usize,
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
    /// An estimate of the memory the record holds, in bytes, for the journal's byte budget.
    pub fn cost(&self) -> usize {
        let owned = |c: &Cow<'static, str>| match c {
            Cow::Borrowed(_) => 0,
            Cow::Owned(s) => s.capacity(),
        };
        std::mem::size_of::<Self>()
            // The Arc's counts and the ring's slot.
            + 16
            + std::mem::size_of::<Slot>()
            + owned(&self.method)
            + owned(&self.path)
            + self.host.as_ref().map_or(0, |h| h.len())
            + self.query.capacity()
            + self.body.len()
            + self.refusal.as_ref().map_or(0, |r| r.reason.capacity())
            + self.http_message.as_ref().map_or(0, |m| m.len())
    }

    /// The entry this record lists as, `seq` being its place in the journal.
    pub fn to_entry(&self, seq: u64) -> JournalEntry {
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
            host: self.host.as_ref().map(|h| h.to_string()),
            action: self.action.map(|a| a.wire_name().to_string()),
            app_id: self.app_id,
            env: self.env.map(Env::as_str),
            params,
            params_left_out: self.params_left_out,
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

/// One kept record: its place in the journal, what it costs, and the record (shared, so a
/// reader copies it out of the lock by reference count alone).
#[derive(Debug)]
struct Slot {
    seq: u64,
    cost: usize,
    record: Arc<Record>,
}

/// A bounded ring of the latest requests: at most `capacity` entries and about `byte_budget`
/// bytes of them, the oldest dropped first.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    byte_budget: usize,
    bytes: usize,
    entries: VecDeque<Slot>,
    next_seq: u64,
}

impl Journal {
    /// An empty journal keeping at most `capacity` entries (0 keeps none; more than
    /// [`MAX_JOURNAL_CAPACITY`] keeps that many) and [`DEFAULT_JOURNAL_BYTES`] of them.
    pub fn new(capacity: usize) -> Self {
        Self::with_budget(capacity, DEFAULT_JOURNAL_BYTES)
    }

    /// An empty journal keeping at most `capacity` entries (up to [`MAX_JOURNAL_CAPACITY`])
    /// and about `byte_budget` bytes of them ([`Record::cost`]).
    pub fn with_budget(capacity: usize, byte_budget: usize) -> Self {
        let capacity = capacity.min(MAX_JOURNAL_CAPACITY);
        Self {
            capacity,
            byte_budget,
            bytes: 0,
            entries: VecDeque::with_capacity(capacity.min(4096)),
            next_seq: 1,
        }
    }

    /// Appends a record (its `seq` is assigned here), its `query` set as given, dropping the
    /// oldest beyond the capacity or the byte budget. A record bigger than the whole budget is
    /// counted (its `seq` is used) but not kept.
    #[cfg(test)]
    pub fn push(&mut self, mut record: Record) {
        let query = std::mem::take(&mut record.query);
        let host = record.host.take();
        self.push_with_query(record, &query, host.as_deref());
    }

    /// Appends a record with `query` as its query (its `seq` is assigned here), dropping the
    /// oldest beyond the capacity or the byte budget. A record bigger than the whole budget is
    /// counted (its `seq` is used) but not kept.
    ///
    /// `host` is the record's host, cut as [`cap_host`] cuts it (`record.host` is replaced).
    ///
    /// Once the journal is full, the record that leaves makes room for the one that comes: when
    /// no listing still holds it, its allocation and its query buffer are reused, so a full
    /// journal takes a request without allocating (and frees nothing either); its host is kept
    /// too when it is the same (as it nearly always is), so not even a reference is counted.
    pub fn push_with_query(&mut self, mut record: Record, query: &[u8], host: Option<&str>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            return;
        }
        // The record that leaves, when the journal is full and no listing holds it.
        let reusable = self.entries.len() >= self.capacity
            && self.entries.front().is_some_and(|old| {
                Arc::strong_count(&old.record) == 1 && Arc::weak_count(&old.record) == 0
            });
        // What the record will cost, known before anything leaves: a record bigger than the
        // whole budget is not kept and keeps nothing else out.
        let buffer = match self.entries.front() {
            Some(old) if reusable => old.record.query.capacity().max(query.len()),
            _ => query.len(),
        };
        let host = host.map(capped_host);
        record.host = None;
        if record.cost() + host.map_or(0, str::len) + buffer > self.byte_budget {
            return;
        }
        let leaving = if reusable {
            self.entries.pop_front().map(|old| {
                self.bytes -= old.cost;
                old.record
            })
        } else {
            None
        };
        let record = match leaving {
            Some(mut reused) => {
                if let Some(slot) = Arc::get_mut(&mut reused) {
                    let mut kept = std::mem::take(&mut slot.query);
                    kept.clear();
                    kept.reserve_exact(query.len());
                    kept.extend_from_slice(query);
                    record.query = kept;
                    record.host = match (slot.host.take(), host) {
                        (Some(old), Some(new)) if *old == *new => Some(old),
                        _ => host.map(cap_host),
                    };
                    *slot = record;
                }
                reused
            }
            None => {
                record.query = query.to_vec();
                record.host = host.map(cap_host);
                Arc::new(record)
            }
        };
        let cost = record.cost();
        while self.entries.len() >= self.capacity || self.bytes + cost > self.byte_budget {
            match self.entries.pop_front() {
                Some(old) => self.bytes -= old.cost,
                None => break,
            }
        }
        self.bytes += cost;
        self.entries.push_back(Slot { seq, cost, record });
    }

    /// The records matching `filter` (with their `seq`), oldest first, copied out by
    /// reference: cheap enough to run under the lock every request takes, and linear only in
    /// the entries kept. Decode them with [`Record::to_entry`] once the lock is released.
    pub fn snapshot(&self, filter: &JournalFilter) -> Vec<(u64, Arc<Record>)> {
        let start = filter
            .since
            .map_or(0, |since| self.entries.partition_point(|s| s.seq <= since));
        let matching = self
            .entries
            .range(start..)
            .filter(|s| filter.matches(&s.record));
        let limit = filter.limit.unwrap_or(usize::MAX);
        let pick = |s: &Slot| (s.seq, Arc::clone(&s.record));
        if filter.since.is_some() || filter.limit.is_none() {
            matching.take(limit).map(pick).collect()
        } else {
            let mut latest: Vec<_> = matching.rev().take(limit).map(pick).collect();
            latest.reverse();
            latest
        }
    }

    /// The entries matching `filter`, oldest first, decoded.
    #[cfg(test)]
    pub fn list(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        self.snapshot(filter)
            .iter()
            .map(|(seq, r)| r.to_entry(*seq))
            .collect()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// How many entries are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is kept.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The memory the kept entries take, by [`Record::cost`].
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

/// Writes `{"entries":[...]}` for `records`, decoding and serializing one entry at a time
/// straight into bytes (no tree of the whole answer).
pub fn entries_json(records: &[(u64, Arc<Record>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + records.len() * 512);
    out.extend_from_slice(b"{\"entries\":[");
    for (i, (seq, record)) in records.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Serializing a plain struct into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &record.to_entry(*seq));
    }
    out.extend_from_slice(b"]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_whole_query_shortcut_keeps_what_the_pieces_do(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b'&'),
                    proptest::strategy::Just(b'='),
                    proptest::strategy::Just(b'a'),
                ],
                0..200,
            )
        ) {
            let (kept, left_out) = cap_query_by_pieces(&bytes);
            proptest::prop_assert_eq!(cap_query(&bytes), (bytes[..kept].into(), left_out));
        }
    }

    fn entry(_action: &str, code: i64) -> Record {
        Record {
            at_millis: 0,
            method: Cow::Borrowed("GET"),
            path: Cow::Borrowed("/"),
            host: None,
            query: Vec::new(),
            params_left_out: 0,
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
    fn a_full_journal_keeps_the_leaving_record_s_host_when_it_is_the_same() {
        let host_of = |j: &Journal, seq: u64| {
            j.snapshot(&JournalFilter::default())
                .into_iter()
                .find(|(s, _)| *s == seq)
                .and_then(|(_, r)| r.host.clone())
        };
        let mut j = Journal::new(1);
        j.push_with_query(entry("A", 1), b"", Some("h:1"));
        let first = host_of(&j, 1).expect("a host");
        // The same host: the leaving record's own text is kept, not a copy nor a new count
        // (even when this thread last cut another host).
        let _ = cap_host("another host");
        j.push_with_query(entry("A", 2), b"", Some("h:1"));
        let second = host_of(&j, 2).expect("a host");
        assert!(Arc::ptr_eq(&first, &second));
        // Another host (or none) is recorded as it is, cut as any host is.
        let long = "x".repeat(JOURNAL_HOST_LIMIT + 10);
        j.push_with_query(entry("A", 3), b"", Some(&long));
        assert_eq!(host_of(&j, 3).as_deref(), Some(&long[..JOURNAL_HOST_LIMIT]));
        j.push_with_query(entry("A", 4), b"", None);
        assert_eq!(host_of(&j, 4), None);
        j.push_with_query(entry("A", 5), b"", Some("h:1"));
        assert_eq!(host_of(&j, 5).as_deref(), Some("h:1"));
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

    fn seqs(j: &Journal, filter: JournalFilter) -> Vec<u64> {
        j.snapshot(&filter).iter().map(|(seq, _)| *seq).collect()
    }

    #[test]
    fn a_full_journal_reuses_the_leaving_record_but_never_one_a_listing_holds() {
        let queries = |j: &Journal| -> Vec<(u64, i64, Vec<u8>)> {
            j.snapshot(&JournalFilter::default())
                .iter()
                .map(|(seq, r)| (*seq, r.code, r.query.clone()))
                .collect()
        };
        let mut j = Journal::new(2);
        j.push_with_query(entry("A", 1), b"Action=A&long=xxxxxxxxxxxxxxxx", None);
        j.push_with_query(entry("A", 2), b"Action=A&b=2", None);
        // A listing holds the oldest record while it leaves: it must stay as it was.
        let held = j.snapshot(&JournalFilter::default());
        j.push_with_query(entry("A", 3), b"c=3", None);
        assert_eq!(held[0].1.code, 1);
        assert_eq!(&held[0].1.query[..], b"Action=A&long=xxxxxxxxxxxxxxxx");
        drop(held);
        // Nothing holds the leaving records now: each new one takes the leaving one's place,
        // with its own query only (a shorter query leaves nothing of the longer one behind).
        j.push_with_query(entry("A", 4), b"d=4", None);
        j.push_with_query(entry("A", 5), b"", None);
        assert_eq!(queries(&j), [(4, 4, b"d=4".to_vec()), (5, 5, Vec::new())]);
        // The byte count follows what is kept.
        let kept: usize = j
            .snapshot(&JournalFilter::default())
            .iter()
            .map(|(_, r)| r.cost())
            .sum();
        assert_eq!(j.bytes(), kept);

        // A full journal offered a record bigger than its whole budget keeps what it has.
        let small = entry("A", 0).cost() + 64;
        let mut full = Journal::with_budget(2, 4 * small);
        full.push_with_query(entry("A", 1), b"a=1", None);
        full.push_with_query(entry("A", 2), b"b=2", None);
        full.push_with_query(entry("A", 3), &vec![b'x'; 8 * small], None);
        assert_eq!(seqs(&full, JournalFilter::default()), [1, 2]);
        // A reused buffer is counted at its capacity: a long query's buffer, taken by a short
        // one, still costs what it holds, and the count stays exact.
        let mut one = Journal::with_budget(1, usize::MAX);
        one.push_with_query(entry("A", 1), &vec![b'x'; 4096], None);
        one.push_with_query(entry("A", 2), b"c=3", None);
        let listed = one.snapshot(&JournalFilter::default());
        assert_eq!(&listed[0].1.query[..], b"c=3");
        assert_eq!(one.bytes(), listed[0].1.cost());
        assert!(one.bytes() >= 4096);
    }

    #[test]
    fn since_and_limit_page_forward_or_keep_the_latest() {
        let mut j = Journal::new(10);
        for i in 0..6 {
            j.push(entry("A", i % 2));
        }
        let f = |since, limit| JournalFilter {
            since,
            limit,
            ..Default::default()
        };
        assert_eq!(seqs(&j, f(None, None)), [1, 2, 3, 4, 5, 6]);
        assert_eq!(seqs(&j, f(Some(4), None)), [5, 6]);
        assert_eq!(seqs(&j, f(Some(1), Some(2))), [2, 3]);
        assert_eq!(seqs(&j, f(None, Some(2))), [5, 6]);
        assert_eq!(seqs(&j, f(Some(6), None)), Vec::<u64>::new());
        assert_eq!(seqs(&j, f(None, Some(0))), Vec::<u64>::new());
        // With another filter, the limit counts matching entries only.
        let odd = JournalFilter {
            code: Some(1),
            limit: Some(2),
            ..Default::default()
        };
        assert_eq!(seqs(&j, odd), [4, 6]);
    }

    #[test]
    fn a_query_keeps_its_first_parameters_and_counts_the_rest() {
        let small = b"Action=A&&AppId=1&";
        // Kept up to the end of the last parameter kept.
        assert_eq!(
            cap_query(small),
            (small[..17].to_vec().into_boxed_slice(), 0)
        );
        let many: Vec<String> = (0..15_000).map(|i| format!("p{i}=v")).collect();
        let (kept, left_out) = cap_query(many.join("&").as_bytes());
        assert_eq!(left_out, 15_000 - JOURNAL_PARAM_LIMIT);
        let kept = Params::parse_bytes(&kept).into_pairs();
        assert_eq!(kept.len(), JOURNAL_PARAM_LIMIT);
        assert_eq!(kept[63].0, "p63");
        // A few long parameters stop at the byte limit, whole.
        let long = format!("a={}&b={}&c=1", "x".repeat(10_000), "y".repeat(10_000));
        let (kept, left_out) = cap_query(long.as_bytes());
        assert_eq!((kept.len(), left_out), (10_002, 2));
        let mut record = entry("A", 0);
        record.query = kept.into_vec();
        record.params_left_out = left_out;
        let listed = record.to_entry(1);
        assert_eq!(listed.params.len(), 1);
        assert_eq!(listed.params_left_out, 2);
        let json = serde_json::to_string(&listed).expect("json");
        assert!(json.contains("\"params_left_out\":2"), "{json}");
        assert!(!serde_json::to_string(&entry("A", 0).to_entry(1))
            .expect("json")
            .contains("params_left_out"));
    }

    #[test]
    fn the_byte_budget_drops_the_oldest_entries() {
        let big = || {
            let mut r = entry("A", 0);
            r.query = vec![b'x'; 10_000];
            r
        };
        let cost = big().cost();
        let mut j = Journal::with_budget(1000, 3 * cost);
        for _ in 0..10 {
            j.push(big());
        }
        assert_eq!(j.len(), 3);
        assert_eq!(j.bytes(), 3 * cost);
        assert_eq!(seqs(&j, JournalFilter::default()), [8, 9, 10]);
        // A record bigger than the whole budget is not kept, and keeps nothing else out.
        let mut tiny = Journal::with_budget(1000, cost - 1);
        tiny.push(big());
        assert!(tiny.is_empty());
        tiny.push(entry("A", 0));
        assert_eq!(seqs(&tiny, JournalFilter::default()), [2]);
        j.clear();
        assert_eq!((j.len(), j.bytes()), (0, 0));
    }

    #[test]
    fn hosts_are_capped_and_filtered_with_or_without_their_port() {
        assert_eq!(&*cap_host("rtc-api.zego.im"), "rtc-api.zego.im");
        assert_eq!(cap_host(&"a".repeat(1000)).len(), JOURNAL_HOST_LIMIT);
        // Cut at a character boundary.
        let wide = "é".repeat(200);
        assert_eq!(cap_host(&wide).len(), JOURNAL_HOST_LIMIT - 1);
        let mut j = Journal::new(10);
        for host in [Some("rtc-api.zego.im"), Some("127.0.0.1:7272"), None] {
            let mut r = entry("A", 0);
            r.host = host.map(Into::into);
            j.push(r);
        }
        let by = |host: &str| {
            seqs(
                &j,
                JournalFilter {
                    host: Some(host.into()),
                    ..Default::default()
                },
            )
        };
        assert_eq!(by("RTC-API.zego.im"), [1]);
        assert_eq!(by("127.0.0.1"), [2]);
        assert_eq!(by("127.0.0.1:7272"), [2]);
        assert_eq!(by("example.com"), Vec::<u64>::new());
        let listed = j.list(&JournalFilter::default());
        assert_eq!(listed[0].host.as_deref(), Some("rtc-api.zego.im"));
        assert_eq!(listed[2].host, None);
    }

    #[test]
    fn the_capacity_has_a_ceiling() {
        let j = Journal::new(usize::MAX);
        assert_eq!(j.capacity, MAX_JOURNAL_CAPACITY);
    }

    #[test]
    fn entries_serialize_straight_to_the_same_json() {
        let mut j = Journal::new(10);
        j.push(entry("A", 0));
        j.push(entry("A", 7));
        let records = j.snapshot(&JournalFilter::default());
        let bytes = entries_json(&records);
        let parsed: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
        let expected = serde_json::json!({ "entries": j.list(&JournalFilter::default()) });
        assert_eq!(parsed, expected);
        assert_eq!(entries_json(&[]), b"{\"entries\":[]}");
    }
}
