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
    /// The values of the common parameters (see [`common`]) where they first occur, kept apart
    /// so that looking one up reads one span.
    common_values: [Span; COMMON.len()],
    /// Bit `i` is set when the `i`-th common parameter was sent.
    common_sent: u32,
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

/// The index of `name` in [`COMMON`]. The length (and a first letter) picks the one candidate;
/// each arm compares with a name of [`COMMON`] known at compile time, which compiles to a few
/// word compares (and folds away for a literal `name`).
#[inline(always)]
fn common(name: &[u8]) -> Option<usize> {
    macro_rules! is {
        ($i:literal) => {
            (name == COMMON[$i].as_bytes()).then_some($i)
        };
    }
    match name.len() {
        5 => is!(1),
        6 if name[0] == b'A' => is!(0),
        6 => is!(6),
        9 if name[0] == b'T' => is!(3),
        9 => is!(4),
        14 => is!(2),
        16 => is!(5),
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
    /// Bit `i` is set when the `i`-th inline pair has a common name (see [`common`]): a
    /// look-up of another name passes over those pairs without reading them.
    common: u32,
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

    /// The pairs whose name is not a common parameter's, in the order sent: the inline ones by
    /// their bit mask (no name read), then the others by name.
    fn uncommon(&self) -> impl Iterator<Item = &(Span, Span)> {
        let inline = &self.inline[..self.len];
        let mut left = !self.common & ((1u32 << inline.len()) - 1);
        std::iter::from_fn(move || {
            let pair = inline.get(left.trailing_zeros() as usize)?;
            left &= left.wrapping_sub(1);
            Some(pair)
        })
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
        let mut params = Params::default();
        params.read_bytes(query);
        params
    }

    /// [`Self::parse_bytes`] into `self`, empty parameters made where they are kept (a `Params`
    /// is a few hundred bytes, and one returned from a parse is copied).
    pub(crate) fn read_bytes(&mut self, query: &'q [u8]) {
        let query = &query[..query.len().min((DECODED - 1) as usize)];
        // Validated once: a UTF-8 query (the usual case) is then sliced at its ASCII
        // delimiters, which are character boundaries, with no further check.
        self.read(query, std::str::from_utf8(query).unwrap_or_default());
    }

    /// [`Self::read_bytes`] of a query known to be UTF-8 (hyper's URIs are), without validating
    /// it again.
    pub(crate) fn read_text(&mut self, query: &'q str) {
        if query.len() >= (DECODED - 1) as usize {
            return self.read_bytes(query.as_bytes());
        }
        self.read(query.as_bytes(), query);
    }

    /// Parses `query`, whose text is `text` when it is valid UTF-8 (else `text` is empty), into
    /// `self`, which holds no parameters yet.
    fn read(&mut self, query: &'q [u8], text: &'q str) {
        let params = self;
        params.text = text;
        let utf8 = params.text.len() == query.len();
        let mut piece = Piece::at(0);
        let mut special = |i: usize, byte: u8| match byte {
            b'&' => {
                params.ampersands += 1;
                piece.finish(query, utf8, i, params);
                piece = Piece::at(i + 1);
            }
            b'=' if piece.eq == NO_EQ => piece.eq = i,
            b'%' | b'+' if piece.eq == NO_EQ => piece.name_escaped = true,
            b'%' | b'+' => piece.value_escaped = true,
            // `=` after the first, and the other bytes `delimiters` may find.
            _ => {}
        };
        // Sixty-four bytes at a time: a bit for each delimiter of the block, found eight bytes
        // at a time in a loop that calls nothing (which the compiler unrolls and runs two
        // words at a time); then the bits are visited in order. The last few bytes are padded
        // with `_`, which is none.
        let mut at = 0;
        while at < query.len() {
            let mut bits = match query.get(at..at + 64) {
                Some(block) => block_delimiters(block),
                None => {
                    let mut padded = [b'_'; 64];
                    let tail = query.get(at..).unwrap_or_default();
                    if let Some(to) = padded.get_mut(..tail.len()) {
                        to.copy_from_slice(tail);
                    }
                    block_delimiters(&padded)
                }
            };
            while bits != 0 {
                let i = at + bits.trailing_zeros() as usize;
                special(i, query.get(i).copied().unwrap_or_default());
                bits &= bits - 1;
            }
            at += 64;
        }
        piece.finish(query, utf8, query.len(), params);
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
        span.len() == name.len() && {
            let (from, range) = self.locate(span);
            from.as_bytes()
                .get(range)
                .is_some_and(|n| same_bytes(n, name.as_bytes()))
        }
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
            None => self.first_uncommon(name),
        }
    }

    /// The pairs whose name is not a common parameter's, in the order sent.
    fn uncommon_pairs(&self) -> impl Iterator<Item = &(Span, Span)> {
        let spilled = self.spans.spilled.iter();
        self.spans.uncommon().chain(spilled.filter(move |(n, _)| {
            let (from, range) = self.locate(*n);
            from.as_bytes()
                .get(range)
                .is_some_and(|n| common(n).is_none())
        }))
    }

    /// The first value of `name`, a name that is not common.
    fn first_uncommon(&self, name: &str) -> Option<&str> {
        let (_, v) = self
            .uncommon_pairs()
            .find(|(n, _)| self.is_named(*n, name))?;
        Some(self.text(*v))
    }

    /// Calls `f` with the name and value of each pair whose name is not a common parameter's,
    /// in the order sent.
    pub(crate) fn each_uncommon<'a>(&'a self, mut f: impl FnMut(&'a str, &'a str)) {
        for (n, v) in self.uncommon_pairs() {
            f(self.text(*n), self.text(*v));
        }
    }

    /// Whether `name` is a common parameter's (see [`COMMON`]).
    pub(crate) fn is_common(name: &str) -> bool {
        common(name.as_bytes()).is_some()
    }

    /// The first value of the `i`-th common parameter.
    #[inline(always)]
    fn common_value(&self, i: usize) -> Option<&str> {
        if self.common_sent >> i & 1 == 0 {
            return None;
        }
        Some(self.text(*self.common_values.get(i)?))
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
        if start == 0 {
            // The first decoded text (usually the only one) is decoded into this thread's spare
            // buffer, which then becomes the decoded text, uncopied.
            let mut out = SPARE.take();
            out.clear();
            decode_into(raw, escaped, &mut out);
            self.decoded = into_text(out);
        } else {
            let mut out = Vec::with_capacity(raw.len());
            decode_into(raw, escaped, &mut out);
            self.decoded.push_str(&into_text(out));
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

impl Drop for Params<'_> {
    /// Gives the decoded text's buffer back to this thread for the next request (when it is of
    /// a usual size), so decoding a typical request allocates nothing once the thread has run.
    fn drop(&mut self) {
        let decoded = std::mem::take(&mut self.decoded);
        if (1..=SPARE_LIMIT).contains(&decoded.capacity()) {
            SPARE.set(decoded.into_bytes());
        }
    }
}

/// The largest buffer a thread keeps for decoding.
const SPARE_LIMIT: usize = 4096;

thread_local! {
    /// The buffer the next request decoded on this thread decodes into.
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Decoded bytes as text, invalid UTF-8 replaced by U+FFFD (one validation: valid bytes, the
/// usual case, become the text as they are).
fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether two names are equal, for the short names of parameters: two overlapping loads of a
/// word (or half-word) from each end compare any length up to 16 with a few instructions
/// (a general comparison calls `memcmp`).
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// [`same_name`] of bytes.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| -> u64 {
        s.get(at..at + 8)
            .map_or(0, |w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
    };
    let half = |s: &[u8], at: usize| -> u32 {
        s.get(at..at + 4)
            .map_or(0, |w| u32::from_le_bytes(w.try_into().unwrap_or_default()))
    };
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// The value of each byte as a hex digit, or [`NOT_HEX`] (any value from 16 on would do: two
/// digits are checked at once by `high | low < 16`).
const HEX_VALUES: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            _ => NOT_HEX,
        };
        b += 1;
    }
    t
};

/// [`HEX_VALUES`] of a byte that is no hex digit.
const NOT_HEX: u8 = 0xff;

/// The byte `%XX` stands for, when `pair` is two hex digits.
fn hex_pair(pair: Option<&[u8]>) -> Option<u8> {
    let &[high, low] = pair? else { return None };
    let (high, low) = (HEX_VALUES[usize::from(high)], HEX_VALUES[usize::from(low)]);
    (high | low < 16).then_some(high << 4 | low)
}

/// The high bit of each byte of `word` that may be a delimiter, and no other bit: the bytes
/// `%` `&` `'` `(` `)` `*` `+` (one range, holding the delimiters `%`, `&` and `+`) and `=`. The
/// parser passes over the four that are not delimiters when it visits them (they are rare in a
/// query; most words hold none of either).
fn delimiters(word: u64) -> u64 {
    // Per byte, on its low seven bits (so nothing carries or borrows across bytes): `127 + 0x2c
    // - low` has its high bit set when low < 0x2c, and `low + 127 - 0x24` when low > 0x24; a
    // byte whose own high bit is clear is in 0x25..=0x2b exactly when both are.
    let low = word & LOW7;
    let in_range = (ONES * (127 + 0x2c) - low) & (low + ONES * (127 - 0x24)) & !word & HIGH_BITS;
    in_range | bytes_equal(word, b'=')
}

/// `bytes` as little-endian words, eight bytes at a time, the last few padded with `_`: a byte
/// that none of the word scans looks for (no delimiter, escape, blank, `/`, `?`, `#` or
/// non-ASCII byte), so a scan finds nothing past the end.
pub(crate) fn words(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    bytes.chunks(8).map(|chunk| {
        let word = <[u8; 8]>::try_from(chunk).unwrap_or_else(|_| {
            let mut padded = [b'_'; 8];
            padded[..chunk.len()].copy_from_slice(chunk);
            padded
        });
        u64::from_le_bytes(word)
    })
}

/// The bytes [`delimiters`] finds, one by one (the tests' definition).
#[cfg(test)]
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x25;
    while b <= 0x2b {
        t[b] = true;
        b += 1;
    }
    t[b'=' as usize] = true;
    t
};

/// Bit `i` set for each byte `i` of `block` (64 bytes) that may be a delimiter (see
/// [`delimiters`]).
#[inline(always)]
fn block_delimiters(block: &[u8]) -> u64 {
    let mut bits = 0;
    for (k, word) in block.chunks_exact(8).enumerate() {
        let found = delimiters(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        bits |= gather_high_bits(found) << (8 * k);
    }
    bits
}

/// The high bits of a word's eight bytes as eight bits, the first byte's lowest: the product
/// places byte `i`'s bit (at `8i` once shifted down) at `56 + i` and every other partial product
/// at a place of its own below 56 (`8i + 7k` for `k` in 1..=8 never meet), so nothing carries.
fn gather_high_bits(found: u64) -> u64 {
    ((found >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// [`Piece::eq`] of a piece with no `=` yet (no piece of a query cut below 2 GiB has one there).
const NO_EQ: usize = usize::MAX;

/// The `&`-separated piece being parsed: where it starts, its first `=` ([`NO_EQ`] until one is
/// found), and whether its name or value holds an escape.
struct Piece {
    start: usize,
    eq: usize,
    name_escaped: bool,
    value_escaped: bool,
}

impl Piece {
    fn at(start: usize) -> Self {
        Self {
            start,
            eq: NO_EQ,
            name_escaped: false,
            value_escaped: false,
        }
    }

    /// Adds the piece ending at `end` to `params` as a pair, unless it is empty. `utf8` says
    /// whether the query is valid UTF-8.
    #[inline(always)]
    fn finish(&self, query: &[u8], utf8: bool, end: usize, params: &mut Params<'_>) {
        if end == self.start {
            return;
        }
        let (name, value) = if self.eq == NO_EQ {
            (self.start..end, end..end)
        } else {
            (self.start..self.eq, self.eq + 1..end)
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
            if index < TYPICAL_PAIRS {
                params.spans.common |= 1 << index;
            }
            if params.common_sent >> i & 1 == 0 {
                params.common_sent |= 1 << i;
                if let Some(slot) = params.common_values.get_mut(i) {
                    *slot = value;
                }
            }
        }
        params.spans.push((name, value));
    }
}

/// Room for the pairs of a typical request (six common parameters and a few of the action's),
/// kept inline so parsing one seldom allocates.
const TYPICAL_PAIRS: usize = 12;

// Each inline pair has a bit in `Spans::common`.
const _: () = assert!(TYPICAL_PAIRS <= u32::BITS as usize);

/// Percent- and plus-decodes one name or value.
#[cfg(test)]
pub fn decode(raw: &[u8]) -> String {
    let mut out = Vec::new();
    decode_into(raw, raw.iter().any(|&b| b == b'%' || b == b'+'), &mut out);
    into_text(out)
}

/// Appends `raw` percent- and plus-decoded to `out` (as it is when `escaped` says it holds
/// neither `%` nor `+`).
///
/// The decoded bytes gather in a block on the stack and join `out` a block at a time. Eight
/// bytes at a time are copied whole and searched for an escape; the copy runs on past one (it
/// is written over), and the escape is then decoded by itself.
fn decode_into(raw: &[u8], escaped: bool, out: &mut Vec<u8>) {
    if !escaped {
        out.extend_from_slice(raw);
        return;
    }
    out.reserve(raw.len());
    // Room for a block of 64 and an eight-byte copy past it.
    let mut block = [0u8; 72];
    let (mut i, mut n) = (0, 0);
    while i < raw.len() {
        if n >= 64 {
            out.extend_from_slice(&block[..n]);
            n = 0;
        }
        if let (Some(word), Some(to)) = (raw.get(i..i + 8), block.get_mut(n..n + 8)) {
            to.copy_from_slice(word);
            let found = escapes(u64::from_le_bytes(word.try_into().unwrap_or_default()));
            if found == 0 {
                (i, n) = (i + 8, n + 8);
                continue;
            }
            let plain = (found.trailing_zeros() / 8) as usize;
            (i, n) = (i + plain, n + plain);
        }
        // An escape, or one of the last few bytes.
        let (byte, used) = match raw.get(i) {
            Some(b'+') => (b' ', 1),
            Some(b'%') => match hex_pair(raw.get(i + 1..i + 3)) {
                Some(byte) => (byte, 3),
                None => (b'%', 1),
            },
            Some(&b) => (b, 1),
            None => break,
        };
        if let Some(slot) = block.get_mut(n) {
            *slot = byte;
        }
        (i, n) = (i + used, n + 1);
    }
    out.extend_from_slice(&block[..n.min(block.len())]);
}

/// The high bit of each byte of `word` that is `%` or `+`, and no other bit.
fn escapes(word: u64) -> u64 {
    bytes_equal(word, b'%') | bytes_equal(word, b'+')
}

/// A word's bytes all 1 (times a byte: that byte in every place).
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The low seven bits of every byte.
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
/// The high bit of every byte.
pub(crate) const HIGH_BITS: u64 = !LOW7;

/// Whether an ASCII byte of `word` is space, a control character or DEL (bytes of 0x80 and
/// above are not: a caller checks those as characters, or refuses them).
pub(crate) fn word_has_blank(word: u64) -> bool {
    blanks(word) != 0
}

/// Not zero when an ASCII byte of `word` is space, a control character or DEL (see
/// [`word_has_blank`]), so that a caller can combine it with other masks of the word.
pub(crate) fn blanks(word: u64) -> u64 {
    // Some byte is below 0x21 exactly when this is not zero (the borrow of a byte below 0x21
    // sets its own high bit first; a byte with its high bit set never reports itself).
    let below = word.wrapping_sub(ONES * 0x21) & !word & HIGH_BITS;
    below | bytes_equal(word, 0x7f)
}

/// The high bit of each byte of `word` that is `byte`, and no other bit.
pub(crate) fn bytes_equal(word: u64, byte: u8) -> u64 {
    // A byte of `word ^ byte * ONES` is zero exactly where `word` has `byte`; adding 0x7f to
    // its low seven bits sets its high bit unless they are zero, and no carry crosses a byte.
    let v = word ^ (ONES * u64::from(byte));
    !(((v & LOW7) + LOW7) | v | LOW7)
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
    fn delimiters_are_exact_for_every_byte_in_every_place() {
        for background in [0x00, 0x24, 0x2c, 0x3d, 0x7f, 0x80, 0xa5, 0xff] {
            for b in 0..=255u8 {
                for place in 0..8 {
                    let mut bytes = [background; 8];
                    bytes[place] = b;
                    let found = delimiters(u64::from_le_bytes(bytes));
                    for (i, &byte) in bytes.iter().enumerate() {
                        let bit = found >> (8 * i + 7) & 1 == 1;
                        assert_eq!(bit, SPECIAL[usize::from(byte)], "{bytes:02x?} at {i}");
                    }
                    assert_eq!(found & !0x8080_8080_8080_8080, 0, "{bytes:02x?}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn same_name_is_equality(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same_name(&a, &b), a == b);
            prop_assert!(same_name(&a, &a.clone()));
        }

        #[test]
        fn same_name_sees_any_one_byte_changed(a in "[ab]{1,20}", at in any::<prop::sample::Index>()) {
            let mut b = a.clone().into_bytes();
            let i = at.index(b.len());
            b[i] = if b[i] == b'a' { b'b' } else { b'a' };
            prop_assert!(!same_name(&a, std::str::from_utf8(&b).unwrap_or_default()));
        }
    }

    #[test]
    fn a_long_query_of_pairs_of_every_length_splits_as_the_definition_says() {
        // Delimiters at every place in a word, escapes among them, and well past the pairs
        // kept inline.
        let mut query = String::new();
        for n in 0..70 {
            query.push_str(&format!("k{n}={}%41+&", "v".repeat(n * 3)));
        }
        assert!(query.len() > 1024);
        assert_eq!(
            Params::parse(&query).into_pairs(),
            by_definition(query.as_bytes())
        );
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(decode(b"a%2Fb+c"), "a/b c");
        assert_eq!(decode(b"100%"), "100%");
        assert_eq!(decode(b"%zz%4"), "%zz%4");
        assert_eq!(decode(b"%FF"), "\u{FFFD}");
        assert_eq!(decode(b"rtmp%3A%2F%2Fh%2Fa"), "rtmp://h/a");
        // Longer than the decoder's block, more than once.
        let long = format!("{}+x{}", "%41".repeat(100), "b".repeat(100));
        assert_eq!(
            decode(long.as_bytes()),
            format!("{} x{}", "A".repeat(100), "b".repeat(100))
        );
    }

    #[test]
    fn every_escape_decodes_as_its_hex_digits_say() {
        let digit = |b: u8| char::from(b).to_digit(16);
        for high in 0..=255u8 {
            for low in 0..=255u8 {
                let raw = [b'%', high, low, b'x'];
                let mut out = Vec::new();
                decode_into(&raw, true, &mut out);
                let expected = match (digit(high), digit(low)) {
                    (Some(h), Some(l)) => vec![(h * 16 + l) as u8, b'x'],
                    // Kept as written; the two bytes after it are decoded as any others
                    // (`+` is a space; a `%` before `x`, no hex digit, stays).
                    _ => raw
                        .iter()
                        .enumerate()
                        .map(|(i, &b)| if i > 0 && b == b'+' { b' ' } else { b })
                        .collect(),
                };
                assert_eq!(out, expected, "{raw:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn delimiters_are_found_byte_by_byte(bytes in any::<[u8; 8]>()) {
            let expected = bytes.iter().enumerate().fold(0u64, |found, (i, &b)| {
                found | (u64::from(SPECIAL[usize::from(b)]) << (8 * i + 7))
            });
            prop_assert_eq!(delimiters(u64::from_le_bytes(bytes)), expected);
        }

        #[test]
        fn a_block_has_a_bit_for_each_delimiter_and_no_other(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'&'), Just(b'='), Just(b'%'), Just(b'+'), Just(b'a'), any::<u8>()],
                64,
            )
        ) {
            let expected = bytes.iter().enumerate().fold(0u64, |bits, (i, &b)| {
                bits | (u64::from(SPECIAL[usize::from(b)]) << i)
            });
            prop_assert_eq!(block_delimiters(&bytes), expected);
        }

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
                let mut read = Params::default();
                read.read_text(text);
                prop_assert_eq!(read.into_pairs(), by_definition(&bytes));
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
                // Past the inline pairs too.
                0..16,
            )
        ) {
            let query: Vec<String> = pieces.iter().map(|(n, v)| format!("{n}={v}")).collect();
            let query = query.join("&");
            let params = Params::parse(&query);
            let pairs = by_definition(query.as_bytes());
            for name in COMMON.iter().chain(&["StreamId", "Signaturx", "IsTesT"]) {
                let searched = pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
                prop_assert_eq!(params.get(name), searched, "{} in {}", name, query);
                let every: Vec<&str> =
                    pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
                prop_assert_eq!(params.all(name), every, "{} in {}", name, query);
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
