//! Parsing of the request query string.
//!
//! Form decoding as a typical HTTP server does it: pairs split on `&`, name and value on the first
//! `=`, `+` is a space, `%XX` is a byte. Decoding is lenient and total: an invalid escape is kept
//! as written and invalid UTF-8 becomes U+FFFD, so any byte string parses and the checks that
//! follow answer with a documented code. A parameter given twice counts by its first occurrence;
//! array parameters (`StreamId[]`, raw or as `StreamId%5B%5D`) keep every occurrence in order.
//!
//! Names and values without an escape (the usual case) are borrowed from the query, and the
//! pairs of a typical request are kept inline: parsing one allocates nothing.

use std::borrow::Cow;

/// One decoded name or value: borrowed from the query unless it had to be decoded.
type Text<'q> = Cow<'q, str>;

/// A decoded pair.
type Pair<'q> = (Text<'q>, Text<'q>);

/// The decoded parameters of one request, in the order they were sent, borrowing from the
/// query they were parsed from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params<'q> {
    pairs: Pairs<'q>,
}

/// The pairs: the first [`TYPICAL_PAIRS`] inline, the rest in a `Vec` (a small vector kept
/// covariant in `'q`, so that borrows of it shorten as plain references do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Pairs<'q> {
    inline: [Pair<'q>; TYPICAL_PAIRS],
    len: usize,
    spilled: Vec<Pair<'q>>,
}

impl<'q> Pairs<'q> {
    fn push(&mut self, pair: Pair<'q>) {
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = pair;
                self.len += 1;
            }
            None => self.spilled.push(pair),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Pair<'q>> {
        self.inline[..self.len].iter().chain(&self.spilled)
    }

    fn into_vec(self) -> Vec<Pair<'q>> {
        let mut all: Vec<Pair<'q>> = self.inline.into_iter().take(self.len).collect();
        all.extend(self.spilled);
        all
    }
}

impl<'q> Params<'q> {
    /// Parses a raw query string (without the leading `?`).
    #[cfg(test)]
    pub fn parse(query: &'q str) -> Self {
        Self::parse_bytes(query.as_bytes())
    }

    /// Parses raw query bytes, which need not be valid UTF-8.
    ///
    /// One pass over the bytes finds the pairs, each pair's first `=` and whether its name or
    /// value holds an escape (`%` or `+`); names and values without one are borrowed as they
    /// are.
    pub fn parse_bytes(query: &'q [u8]) -> Self {
        let mut pairs = Pairs::default();
        // Validated once: a UTF-8 query (the usual case) is then sliced at its ASCII delimiters,
        // which are character boundaries, with no further check.
        let text = std::str::from_utf8(query).ok();
        let mut piece = Piece::at(0);
        for (i, &b) in query.iter().enumerate() {
            if !SPECIAL[usize::from(b)] {
                continue;
            }
            match b {
                b'&' => {
                    piece.finish(query, text, i, &mut pairs);
                    piece = Piece::at(i + 1);
                }
                b'=' if piece.eq.is_none() => piece.eq = Some(i),
                _ if piece.eq.is_none() => piece.name_escaped = true,
                _ => piece.value_escaped = true,
            }
        }
        piece.finish(query, text, query.len(), &mut pairs);
        Self { pairs }
    }

    /// The first value of a parameter, if it was sent at all (possibly empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// The first value of a parameter, treating an empty value as absent.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// Every value of an array parameter `name[]`, in order.
    pub fn array(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, _)| n.strip_suffix("[]") == Some(name))
            .map(|(_, v)| v.as_ref())
            .collect()
    }

    /// Every value of a plain parameter `name` (without brackets), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
            .collect()
    }

    /// All pairs, in the order they were sent.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }

    /// All pairs, in the order they were sent, by value.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
            .into_vec()
            .into_iter()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect()
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The bytes the parser stops at: `&`, `=`, `%` and `+`.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'=' as usize] = true;
    t[b'%' as usize] = true;
    t[b'+' as usize] = true;
    t
};

/// The `&`-separated piece being parsed: where it starts, its first `=`, and whether its name or
/// value holds an escape.
struct Piece {
    start: usize,
    eq: Option<usize>,
    name_escaped: bool,
    value_escaped: bool,
}

impl Piece {
    fn at(start: usize) -> Self {
        Self {
            start,
            eq: None,
            name_escaped: false,
            value_escaped: false,
        }
    }

    /// Decodes the piece ending at `end` into a pair, unless it is empty. `text` is the query
    /// when it is valid UTF-8.
    fn finish<'q>(
        &self,
        query: &'q [u8],
        text: Option<&'q str>,
        end: usize,
        pairs: &mut Pairs<'q>,
    ) {
        if end == self.start {
            return;
        }
        let (name, value) = match self.eq {
            Some(e) => (self.start..e, e + 1..end),
            None => (self.start..end, end..end),
        };
        let one = |range: std::ops::Range<usize>, escaped: bool| match text {
            Some(text) if !escaped => Cow::Borrowed(&text[range]),
            _ => decode_with(&query[range], escaped),
        };
        pairs.push((one(name, self.name_escaped), one(value, self.value_escaped)));
    }
}

/// Room for the pairs of a typical request (six common parameters and a few of the action's),
/// kept inline so parsing one seldom allocates.
const TYPICAL_PAIRS: usize = 12;

/// Percent- and plus-decodes one name or value.
#[cfg(test)]
pub fn decode(raw: &[u8]) -> String {
    decode_with(raw, raw.iter().any(|&b| b == b'%' || b == b'+')).into_owned()
}

/// [`decode`] for a caller that already knows whether `raw` holds `%` or `+`.
fn decode_with(raw: &[u8], escaped: bool) -> Cow<'_, str> {
    if !escaped {
        // Valid UTF-8 (the usual case) is borrowed as is; only invalid input is replaced.
        return String::from_utf8_lossy(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = raw.get(i + 1).copied().and_then(hex_val);
                let lo = raw.get(i + 2).copied().and_then(hex_val);
                if let (Some(h), Some(l)) = (hi, lo) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    // One validation: the bytes move into the String when they are UTF-8.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Percent-encodes a value for a query string (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn first_occurrence_wins_and_empty_is_present() {
        let p = Params::parse("a=1&a=2&b=&c");
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("b"), Some(""));
        assert_eq!(p.get("c"), Some(""));
        assert_eq!(p.non_empty("b"), None);
        assert_eq!(p.get("d"), None);
    }

    #[test]
    fn arrays_accept_raw_and_encoded_brackets() {
        let p = Params::parse("StreamId[]=a&StreamId%5B%5D=b&StreamId=c&StreamId%5b%5d=d");
        assert_eq!(p.array("StreamId"), vec!["a", "b", "d"]);
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(decode(b"a%2Fb+c"), "a/b c");
        assert_eq!(decode(b"100%"), "100%");
        assert_eq!(decode(b"%zz%4"), "%zz%4");
        assert_eq!(decode(b"%FF"), "\u{FFFD}");
        assert_eq!(decode(b"rtmp%3A%2F%2Fh%2Fa"), "rtmp://h/a");
    }

    proptest! {
        #[test]
        fn encode_then_decode_is_identity(s in any::<String>()) {
            prop_assert_eq!(decode(encode(&s).as_bytes()), s);
        }

        #[test]
        fn any_bytes_parse(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = Params::parse_bytes(&bytes);
        }

        #[test]
        fn the_one_pass_parser_splits_as_the_definition_says(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'&'), Just(b'='), Just(b'%'), Just(b'+'), Just(b'4'), Just(b'a'), any::<u8>()],
                0..64,
            )
        ) {
            // The definition: split on `&`, skip empty pieces, name and value on the first `=`.
            let expected: Vec<(String, String)> = bytes
                .split(|&b| b == b'&')
                .filter(|p| !p.is_empty())
                .map(|pair| match pair.iter().position(|&b| b == b'=') {
                    Some(i) => (decode(&pair[..i]), decode(&pair[i + 1..])),
                    None => (decode(pair), String::new()),
                })
                .collect();
            prop_assert_eq!(Params::parse_bytes(&bytes).into_pairs(), expected);
        }
    }
}
