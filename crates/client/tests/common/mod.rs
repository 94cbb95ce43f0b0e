//! Helpers shared by the integration tests. They decode and sign on their own, without the
//! client's code, so that a test compares the client with an independent reading of the docs.

use md5::{Digest, Md5};
use std::path::PathBuf;

/// `hex_lower(md5(s))`, computed here rather than with the client's `sign`.
pub fn md5_hex(s: &str) -> String {
    let mut h = Md5::new();
    h.update(s.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes one query component: `+` is a space, `%XX` a byte.
pub fn decode_component(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii escape");
                out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

/// A query string, split and decoded: names and values in the order sent.
#[derive(Debug, Clone)]
pub struct Query {
    /// The raw query, as it travelled.
    pub raw: String,
    /// The decoded pairs.
    pub pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: &str) -> Self {
        let pairs = raw
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((n, v)) => (decode_component(n), decode_component(v)),
                None => (decode_component(p), String::new()),
            })
            .collect();
        Self {
            raw: raw.to_string(),
            pairs,
        }
    }

    /// The only value of a parameter; panics when it was sent more than once.
    pub fn get(&self, name: &str) -> Option<&str> {
        let all = self.all(name);
        assert!(all.len() <= 1, "{name} sent {} times", all.len());
        all.first().copied()
    }

    /// Every value of a parameter, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The values of an array parameter `name[]`, whether its brackets travelled raw
    /// (`StreamId[]=a`) or percent-encoded (`StreamId%5B%5D=a`).
    pub fn array(&self, name: &str) -> Vec<&str> {
        self.all(&format!("{name}[]"))
    }

    /// The parameter names, sorted, each once.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.pairs.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// The text of a response fixture, `fixtures/responses/<action>.json`.
pub fn fixture(action: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "fixtures",
        "responses",
        &format!("{action}.json"),
    ]
    .iter()
    .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
