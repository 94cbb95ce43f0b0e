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

/// The decoded parameters of one request, in the order they were sent, borrowing from the
/// query they were parsed from.
///
/// A pair is four offsets: into the query for a name or value without an escape (the usual
/// case), into one buffer of decoded text for the others. Parsing a typical request writes a
/// few words per pair and allocates at most that one buffer.
#[derive(Debug, Default, Clone)]
pub struct Params<'q> {
    /// The query, when it is valid UTF-8 (otherwise every name and value is decoded).
    text: &'q str,
    /// Decoded names and values, one after another.
    decoded: String,
    spans: Spans,
    /// Where the common parameters (see [`common`]) first occur: 0 when absent, else the pair's
    /// index plus one.
    first: [u32; COMMON.len()],
    /// How many `&` the query holds.
    ampersands: usize,
}

/// The common parameters every action takes (`accessing-server-apis.mdx`): found once at parsing
/// instead of searched for at each look-up.
pub(crate) const COMMON: [&str; 7] = [
    "Action",
    "AppId",
    "SignatureNonce",
    "Timestamp",
    "Signature",
    "SignatureVersion",
    "IsTest",
];

/// The index of `name` in [`COMMON`]. Each comparison is with a name of known length, which
/// compiles to a few word compares (and folds away for a literal `name`).
#[inline(always)]
fn common(name: &[u8]) -> Option<usize> {
    let is = |expected: &[u8], i: usize| (name == expected).then_some(i);
    match name.len() {
        5 => is(b"AppId", 1),
        6 if name[0] == b'A' => is(b"Action", 0),
        6 => is(b"IsTest", 6),
        9 if name[0] == b'T' => is(b"Timestamp", 3),
        9 => is(b"Signature", 4),
        14 => is(b"SignatureNonce", 2),
        16 => is(b"SignatureVersion", 5),
        _ => None,
    }
}

/// Where one name or value lies: `start..end` of the query, or of the decoded text when
/// `DECODED` is set in `start`.
#[derive(Debug, Default, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

/// The bit of [`Span::start`] that says the span is in the decoded text.
const DECODED: u32 = 1 << 31;

impl Span {
    fn len(self) -> usize {
        (self.end - (self.start & !DECODED)) as usize
    }
}

/// The pairs: the first [`TYPICAL_PAIRS`] inline, the rest in a `Vec`.
#[derive(Debug, Default, Clone)]
struct Spans {
    inline: [(Span, Span); TYPICAL_PAIRS],
    len: usize,
    spilled: Vec<(Span, Span)>,
}

impl Spans {
    fn push(&mut self, pair: (Span, Span)) {
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = pair;
                self.len += 1;
            }
            None => self.spilled.push(pair),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &(Span, Span)> {
        self.inline[..self.len].iter().chain(&self.spilled)
    }

    fn get(&self, i: usize) -> Option<&(Span, Span)> {
        match i.checked_sub(TYPICAL_PAIRS) {
            None => self.inline[..self.len].get(i),
            Some(j) => self.spilled.get(j),
        }
    }
}

impl<'q> Params<'q> {
    /// Parses a raw query string (without the leading `?`).
    #[cfg(test)]
    pub fn parse(query: &'q str) -> Self {
        Self::parse_bytes(query.as_bytes())
    }

    /// Parses raw query bytes, which need not be valid UTF-8. A query longer than 2 GiB is
    /// parsed in its first 2 GiB (no server accepts one that long).
    ///
    /// One pass over the bytes finds the pairs, each pair's first `=` and whether its name or
    /// value holds an escape (`%` or `+`); names and values without one are borrowed as they
    /// are.
    pub fn parse_bytes(query: &'q [u8]) -> Self {
        let query = &query[..query.len().min((DECODED - 1) as usize)];
        // Validated once: a UTF-8 query (the usual case) is then sliced at its ASCII
        // delimiters, which are character boundaries, with no further check.
        Self::parse_valid(query, std::str::from_utf8(query).unwrap_or_default())
    }

    /// [`Self::parse_bytes`] of a query known to be UTF-8 (hyper's URIs are), without
    /// validating it again.
    pub(crate) fn parse_text(query: &'q str) -> Self {
        if query.len() >= (DECODED - 1) as usize {
            return Self::parse_bytes(query.as_bytes());
        }
        Self::parse_valid(query.as_bytes(), query)
    }

    /// Parses `query`, whose text is `text` when it is valid UTF-8 (else `text` is empty).
    fn parse_valid(query: &'q [u8], text: &'q str) -> Self {
        let mut params = Params {
            text,
            ..Params::default()
        };
        let utf8 = params.text.len() == query.len();
        let mut piece = Piece::at(0);
        let mut special = |i: usize| match query[i] {
            b'&' => {
                params.ampersands += 1;
                piece.finish(query, utf8, i, &mut params);
                piece = Piece::at(i + 1);
            }
            b'=' if piece.eq.is_none() => piece.eq = Some(i),
            b'=' => {}
            _ if piece.eq.is_none() => piece.name_escaped = true,
            _ => piece.value_escaped = true,
        };
        // Eight bytes at a time: a word with none of the four delimiters (most of them) costs a
        // handful of operations; the delimiters of one that has some are visited in order.
        let mut words = query.chunks_exact(8);
        for (w, chunk) in words.by_ref().enumerate() {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let mut found = delimiters(word);
            while found != 0 {
                special(w * 8 + (found.trailing_zeros() / 8) as usize);
                found &= found - 1;
            }
        }
        let tail = query.len() - words.remainder().len();
        (tail..query.len())
            .filter(|&i| SPECIAL[usize::from(query[i])])
            .for_each(&mut special);
        piece.finish(query, utf8, query.len(), &mut params);
        params
    }

    /// How many `&` the parsed query holds (its pieces, empty ones included, less one).
    pub(crate) fn ampersands(&self) -> usize {
        self.ampersands
    }

    /// The text a span lies in, and where.
    fn locate(&self, span: Span) -> (&str, std::ops::Range<usize>) {
        let range = (span.start & !DECODED) as usize..span.end as usize;
        if span.start & DECODED == 0 {
            (self.text, range)
        } else {
            (&self.decoded, range)
        }
    }

    fn text(&self, span: Span) -> &str {
        let (from, range) = self.locate(span);
        from.get(range).unwrap_or_default()
    }

    /// Whether a name's span reads `name` (compared as bytes, without the character-boundary
    /// checks of [`Self::text`]).
    fn is_named(&self, span: Span, name: &str) -> bool {
        let (from, range) = self.locate(span);
        span.len() == name.len() && from.as_bytes().get(range) == Some(name.as_bytes())
    }

    fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a (Span, Span)> + 'a {
        self.spans
            .iter()
            .filter(move |(n, _)| self.is_named(*n, name))
    }

    /// The first value of a parameter, if it was sent at all (possibly empty).
    ///
    /// Inlined, so that for a literal common name (`"AppId"`) the name comparison folds away and
    /// only the look-up of where it was found remains.
    #[inline(always)]
    pub fn get(&self, name: &str) -> Option<&str> {
        match common(name.as_bytes()) {
            Some(i) => self.common_value(i),
            None => self.named(name).next().map(|(_, v)| self.text(*v)),
        }
    }

    /// The first value of the `i`-th common parameter.
    fn common_value(&self, i: usize) -> Option<&str> {
        let at = (*self.first.get(i)? as usize).checked_sub(1)?;
        let (_, value) = self.spans.get(at)?;
        Some(self.text(*value))
    }

    /// The first value of a parameter, treating an empty value as absent.
    #[inline]
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// Every value of an array parameter `name[]`, in order.
    pub fn array(&self, name: &str) -> Vec<&str> {
        self.spans
            .iter()
            .filter(|(n, _)| self.text(*n).strip_suffix("[]") == Some(name))
            .map(|(_, v)| self.text(*v))
            .collect()
    }

    /// Every value of a plain parameter `name` (without brackets), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.named(name).map(|(_, v)| self.text(*v)).collect()
    }

    /// All pairs, in the order they were sent.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.spans
            .iter()
            .map(|(n, v)| (self.text(*n), self.text(*v)))
    }

    /// All pairs, in the order they were sent, by value.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    /// The span of `query[range]`: borrowed when it needs no decoding, else decoded onto the
    /// end of the decoded text.
    #[inline(always)]
    fn span(
        &mut self,
        query: &[u8],
        utf8: bool,
        range: std::ops::Range<usize>,
        escaped: bool,
    ) -> Span {
        if utf8 && !escaped {
            // Both ends are below 2^31 (the query was cut there).
            return Span {
                start: range.start as u32,
                end: range.end as u32,
            };
        }
        self.decoded_span(&query[range], escaped)
    }

    /// [`Self::span`] of text that needs decoding (kept out of line: the usual span needs none).
    #[inline(never)]
    fn decoded_span(&mut self, raw: &[u8], escaped: bool) -> Span {
        let start = self.decoded.len();
        match decode_with(raw, escaped) {
            Cow::Borrowed(s) => self.decoded.push_str(s),
            // The first decoded text (usually the only one) becomes the buffer, uncopied.
            Cow::Owned(s) if start == 0 => self.decoded = s,
            Cow::Owned(s) => self.decoded.push_str(&s),
        }
        // The decoded text is never longer than the query (an escape decodes to fewer bytes,
        // and U+FFFD's three bytes replace at least one invalid byte only when the query is not
        // UTF-8, where the offsets are still far below 2^31 for any query hyper accepts).
        let end = self.decoded.len().min((DECODED - 1) as usize) as u32;
        Span {
            start: (start.min((DECODED - 1) as usize) as u32) | DECODED,
            end,
        }
    }
}

/// The value of a hex digit, if `b` is one.
fn hex_val(b: Option<&u8>) -> Option<u8> {
    match *b? {
        d @ b'0'..=b'9' => Some(d - b'0'),
        d @ b'a'..=b'f' => Some(d - b'a' + 10),
        d @ b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// The high bit of each byte of `word` that is `&`, `=`, `%` or `+`, and no other bit.
fn delimiters(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // A byte of `word ^ c * ONES` is zero exactly where `word` has `c`; adding 0x7f to its low
    // seven bits sets its high bit unless they are zero, and no carry crosses a byte.
    let zero = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    zero(word ^ (ONES * u64::from(b'&')))
        | zero(word ^ (ONES * u64::from(b'=')))
        | zero(word ^ (ONES * u64::from(b'%')))
        | zero(word ^ (ONES * u64::from(b'+')))
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

    /// Adds the piece ending at `end` to `params` as a pair, unless it is empty. `utf8` says
    /// whether the query is valid UTF-8.
    fn finish(&self, query: &[u8], utf8: bool, end: usize, params: &mut Params<'_>) {
        if end == self.start {
            return;
        }
        let (name, value) = match self.eq {
            Some(e) => (self.start..e, e + 1..end),
            None => (self.start..end, end..end),
        };
        let name_range = name.clone();
        let name = params.span(query, utf8, name, self.name_escaped);
        let value = params.span(query, utf8, value, self.value_escaped);
        let index = params.spans.len + params.spans.spilled.len();
        let raw_name = match (utf8, self.name_escaped) {
            (true, false) => &query[name_range],
            _ => params.text(name).as_bytes(),
        };
        if let Some(i) = common(raw_name) {
            if params.first[i] == 0 {
                // Fewer pairs than bytes, and the query is cut at 2^31 bytes.
                params.first[i] = index as u32 + 1;
            }
        }
        params.spans.push((name, value));
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
    while let Some(&b) = raw.get(i) {
        i += 1;
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex_val(raw.get(i)), hex_val(raw.get(i + 1))) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
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
            let params = Params::parse_bytes(&bytes);
            prop_assert_eq!(params.ampersands(), bytes.iter().filter(|&&b| b == b'&').count());
            if let Ok(text) = std::str::from_utf8(&bytes) {
                prop_assert_eq!(Params::parse_text(text).into_pairs(), by_definition(&bytes));
            }
            prop_assert_eq!(params.into_pairs(), by_definition(&bytes));
        }

        #[test]
        fn long_queries_split_as_the_definition_says(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'&'), Just(b'='), Just(b'%'), Just(b'+'), Just(b'4'),
                    Just(b'a'), Just(b'a'), Just(b'a'), any::<u8>(),
                ],
                0..300,
            )
        ) {
            prop_assert_eq!(Params::parse_bytes(&bytes).into_pairs(), by_definition(&bytes));
        }
    }

    proptest! {
        #[test]
        fn common_names_are_found_as_a_search_finds_them(
            pieces in proptest::collection::vec(
                (
                    prop_oneof![
                        Just("Action"), Just("AppId"), Just("App%49d"), Just("SignatureNonce"),
                        Just("Timestamp"), Just("Signature"), Just("SignatureVersion"),
                        Just("IsTest"), Just("IsTesT"), Just("StreamId"), Just("Signaturx"),
                    ],
                    "[a-z0-9%]{0,4}",
                ),
                0..12,
            )
        ) {
            let query: Vec<String> = pieces.iter().map(|(n, v)| format!("{n}={v}")).collect();
            let query = query.join("&");
            let params = Params::parse(&query);
            let pairs = by_definition(query.as_bytes());
            for name in COMMON.iter().chain(&["StreamId", "Signaturx", "IsTesT"]) {
                let searched = pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
                prop_assert_eq!(params.get(name), searched, "{} in {}", name, query);
            }
        }
    }

    /// The definition of the split, written as plainly as possible.
    fn by_definition(bytes: &[u8]) -> Vec<(String, String)> {
        // Split on `&`, skip empty pieces, name and value on the first `=`, each decoded byte by
        // byte.
        let decode = |raw: &[u8]| {
            let mut out = Vec::new();
            let mut i = 0;
            while i < raw.len() {
                let hex = |at: usize| raw.get(at).and_then(|&b| (b as char).to_digit(16));
                match (raw[i], hex(i + 1), hex(i + 2)) {
                    (b'+', _, _) => out.push(b' '),
                    (b'%', Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    (b, _, _) => out.push(b),
                }
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        };
        bytes
            .split(|&b| b == b'&')
            .filter(|p| !p.is_empty())
            .map(|pair| match pair.iter().position(|&b| b == b'=') {
                Some(i) => (decode(&pair[..i]), decode(&pair[i + 1..])),
                None => (decode(pair), String::new()),
            })
            .collect()
    }
}
