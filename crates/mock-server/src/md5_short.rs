//! MD5 (RFC 1321) of the short texts the gateway signs, with no buffering: the signed text is
//! laid out in at most two blocks on the stack and each block compressed straight from there.
//!
//! The `md-5` crate hashes everything else (and is the reference the tests hold this to); for
//! the signature's ~70 bytes its streaming interface (a block buffer, a copy of the text into
//! it, the padding written through it) cost about a fifth of the hash.

/// The largest text [`digest`] hashes: two blocks less the padding's 9 bytes.
pub(crate) const MAX_TEXT: usize = 2 * 64 - 9;

/// The MD5 digest of the concatenation of `parts`, or `None` when it is longer than
/// [`MAX_TEXT`] bytes.
pub(crate) fn digest(parts: &[&[u8]]) -> Option<[u8; 16]> {
    let mut blocks = [0u8; 128];
    let mut len = 0;
    for part in parts {
        blocks.get_mut(len..len + part.len())?.copy_from_slice(part);
        len += part.len();
    }
    if len > MAX_TEXT {
        return None;
    }
    // The padding: a 1 bit, zeros, and the length in bits in the last 8 bytes of the last block.
    blocks[len] = 0x80;
    let used = if len < 56 { 64 } else { 128 };
    blocks[used - 8..used].copy_from_slice(&(len as u64 * 8).to_le_bytes());
    let mut state = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    let (first, second) = blocks.split_at(64);
    compress(&mut state, first.try_into().unwrap_or(&[0; 64]));
    if used == 128 {
        if len <= 71 {
            let word = |at: usize| {
                u32::from_le_bytes([second[at], second[at + 1], second[at + 2], second[at + 3]])
            };
            compress_short_tail(&mut state, word(0), word(4), (len * 8) as u32);
        } else {
            compress(&mut state, second.try_into().unwrap_or(&[0; 64]));
        }
    }
    let mut out = [0u8; 16];
    for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_le_bytes());
    }
    Some(out)
}

// RFC 1321's four mixing functions (F and G in the equivalent form with one operation less).

#[inline(always)]
fn f(x: u32, y: u32, z: u32) -> u32 {
    ((y ^ z) & x) ^ z
}

#[inline(always)]
fn g(x: u32, y: u32, z: u32) -> u32 {
    ((x ^ y) & z) ^ y
}

#[inline(always)]
fn h(x: u32, y: u32, z: u32) -> u32 {
    x ^ y ^ z
}

#[inline(always)]
fn i(x: u32, y: u32, z: u32) -> u32 {
    y ^ (x | !z)
}

/// One step: `b + ((a + mixed + m + k) <<< s)`.
#[inline(always)]
fn step(mixed: u32, a: u32, b: u32, m: u32, k: u32, s: u32) -> u32 {
    a.wrapping_add(mixed)
        .wrapping_add(m)
        .wrapping_add(k)
        .rotate_left(s)
        .wrapping_add(b)
}

/// RFC 1321's 64 steps over one block into `state`, written out (the constants are
/// `floor(abs(sin(n)) * 2^32)` for n = 1..=64); `m(round, j)` is the block's `j`-th word as the
/// round (0 to 3) reads it.
#[inline(always)]
fn rounds(state: &mut [u32; 4], m: impl Fn(usize, usize) -> u32) {
    let [mut a, mut b, mut c, mut d] = *state;
    a = step(f(b, c, d), a, b, m(0, 0), 0xd76aa478, 7);
    d = step(f(a, b, c), d, a, m(0, 1), 0xe8c7b756, 12);
    c = step(f(d, a, b), c, d, m(0, 2), 0x242070db, 17);
    b = step(f(c, d, a), b, c, m(0, 3), 0xc1bdceee, 22);
    a = step(f(b, c, d), a, b, m(0, 4), 0xf57c0faf, 7);
    d = step(f(a, b, c), d, a, m(0, 5), 0x4787c62a, 12);
    c = step(f(d, a, b), c, d, m(0, 6), 0xa8304613, 17);
    b = step(f(c, d, a), b, c, m(0, 7), 0xfd469501, 22);
    a = step(f(b, c, d), a, b, m(0, 8), 0x698098d8, 7);
    d = step(f(a, b, c), d, a, m(0, 9), 0x8b44f7af, 12);
    c = step(f(d, a, b), c, d, m(0, 10), 0xffff5bb1, 17);
    b = step(f(c, d, a), b, c, m(0, 11), 0x895cd7be, 22);
    a = step(f(b, c, d), a, b, m(0, 12), 0x6b901122, 7);
    d = step(f(a, b, c), d, a, m(0, 13), 0xfd987193, 12);
    c = step(f(d, a, b), c, d, m(0, 14), 0xa679438e, 17);
    b = step(f(c, d, a), b, c, m(0, 15), 0x49b40821, 22);
    a = step(g(b, c, d), a, b, m(1, 1), 0xf61e2562, 5);
    d = step(g(a, b, c), d, a, m(1, 6), 0xc040b340, 9);
    c = step(g(d, a, b), c, d, m(1, 11), 0x265e5a51, 14);
    b = step(g(c, d, a), b, c, m(1, 0), 0xe9b6c7aa, 20);
    a = step(g(b, c, d), a, b, m(1, 5), 0xd62f105d, 5);
    d = step(g(a, b, c), d, a, m(1, 10), 0x02441453, 9);
    c = step(g(d, a, b), c, d, m(1, 15), 0xd8a1e681, 14);
    b = step(g(c, d, a), b, c, m(1, 4), 0xe7d3fbc8, 20);
    a = step(g(b, c, d), a, b, m(1, 9), 0x21e1cde6, 5);
    d = step(g(a, b, c), d, a, m(1, 14), 0xc33707d6, 9);
    c = step(g(d, a, b), c, d, m(1, 3), 0xf4d50d87, 14);
    b = step(g(c, d, a), b, c, m(1, 8), 0x455a14ed, 20);
    a = step(g(b, c, d), a, b, m(1, 13), 0xa9e3e905, 5);
    d = step(g(a, b, c), d, a, m(1, 2), 0xfcefa3f8, 9);
    c = step(g(d, a, b), c, d, m(1, 7), 0x676f02d9, 14);
    b = step(g(c, d, a), b, c, m(1, 12), 0x8d2a4c8a, 20);
    a = step(h(b, c, d), a, b, m(2, 5), 0xfffa3942, 4);
    d = step(h(a, b, c), d, a, m(2, 8), 0x8771f681, 11);
    c = step(h(d, a, b), c, d, m(2, 11), 0x6d9d6122, 16);
    b = step(h(c, d, a), b, c, m(2, 14), 0xfde5380c, 23);
    a = step(h(b, c, d), a, b, m(2, 1), 0xa4beea44, 4);
    d = step(h(a, b, c), d, a, m(2, 4), 0x4bdecfa9, 11);
    c = step(h(d, a, b), c, d, m(2, 7), 0xf6bb4b60, 16);
    b = step(h(c, d, a), b, c, m(2, 10), 0xbebfbc70, 23);
    a = step(h(b, c, d), a, b, m(2, 13), 0x289b7ec6, 4);
    d = step(h(a, b, c), d, a, m(2, 0), 0xeaa127fa, 11);
    c = step(h(d, a, b), c, d, m(2, 3), 0xd4ef3085, 16);
    b = step(h(c, d, a), b, c, m(2, 6), 0x04881d05, 23);
    a = step(h(b, c, d), a, b, m(2, 9), 0xd9d4d039, 4);
    d = step(h(a, b, c), d, a, m(2, 12), 0xe6db99e5, 11);
    c = step(h(d, a, b), c, d, m(2, 15), 0x1fa27cf8, 16);
    b = step(h(c, d, a), b, c, m(2, 2), 0xc4ac5665, 23);
    a = step(i(b, c, d), a, b, m(3, 0), 0xf4292244, 6);
    d = step(i(a, b, c), d, a, m(3, 7), 0x432aff97, 10);
    c = step(i(d, a, b), c, d, m(3, 14), 0xab9423a7, 15);
    b = step(i(c, d, a), b, c, m(3, 5), 0xfc93a039, 21);
    a = step(i(b, c, d), a, b, m(3, 12), 0x655b59c3, 6);
    d = step(i(a, b, c), d, a, m(3, 3), 0x8f0ccc92, 10);
    c = step(i(d, a, b), c, d, m(3, 10), 0xffeff47d, 15);
    b = step(i(c, d, a), b, c, m(3, 1), 0x85845dd1, 21);
    a = step(i(b, c, d), a, b, m(3, 8), 0x6fa87e4f, 6);
    d = step(i(a, b, c), d, a, m(3, 15), 0xfe2ce6e0, 10);
    c = step(i(d, a, b), c, d, m(3, 6), 0xa3014314, 15);
    b = step(i(c, d, a), b, c, m(3, 13), 0x4e0811a1, 21);
    a = step(i(b, c, d), a, b, m(3, 4), 0xf7537e82, 6);
    d = step(i(a, b, c), d, a, m(3, 11), 0xbd3af235, 10);
    c = step(i(d, a, b), c, d, m(3, 2), 0x2ad7d2bb, 15);
    b = step(i(c, d, a), b, c, m(3, 9), 0xeb86d391, 21);
    state[0] = state[0].wrapping_add(a);
    state[1] = state[1].wrapping_add(b);
    state[2] = state[2].wrapping_add(c);
    state[3] = state[3].wrapping_add(d);
}

/// The compression of one block into `state`.
fn compress(state: &mut [u32; 4], block: &[u8; 64]) {
    // Each word is read where a step uses it. Each round reads the block through a reference
    // `black_box` hides the origin of, so the optimizer does not keep the words the round
    // before read on the stack until then (a store and a load where one load does).
    let rounds_blocks = [
        block,
        std::hint::black_box(block),
        std::hint::black_box(block),
        std::hint::black_box(block),
    ];
    rounds(state, |r, j| {
        let (block, at) = (rounds_blocks[r], j * 4);
        u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
    });
}

/// The compression of a last block whose words 2 to 13 and 15 are zero (a text of 56 to 71
/// bytes, as a signature's usually is: its last bytes and the padding's 1 bit in words 0 and 1,
/// its length in bits in word 14). The zero words fold away: about a fifth fewer additions.
fn compress_short_tail(state: &mut [u32; 4], w0: u32, w1: u32, bits: u32) {
    rounds(state, |_, j| match j {
        0 => w0,
        1 => w1,
        14 => bits,
        _ => 0,
    });
}

#[cfg(test)]
mod tests {
    use md5::{Digest, Md5};
    use proptest::prelude::*;

    #[test]
    fn rfc_1321_test_suite() {
        let cases: [(&str, &str); 7] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (text, expected) in cases {
            let got = super::digest(&[text.as_bytes()]).map(hex::encode);
            assert_eq!(got.as_deref(), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn every_length_agrees_with_the_md5_crate() {
        // Each length once: one block, two, and the short last block's 56 to 71 bytes.
        let text: Vec<u8> = (0..=super::MAX_TEXT as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        for len in 0..=super::MAX_TEXT {
            let expected: [u8; 16] = Md5::digest(&text[..len]).into();
            assert_eq!(
                super::digest(&[&text[..len]]),
                Some(expected),
                "{len} bytes"
            );
        }
    }

    #[test]
    fn longer_texts_are_left_to_the_caller() {
        assert!(super::digest(&[&[b'x'; super::MAX_TEXT]]).is_some());
        assert!(super::digest(&[&[b'x'; super::MAX_TEXT], b"y"]).is_none());
        assert!(super::digest(&[&[b'x'; 300]]).is_none());
    }

    proptest! {
        #[test]
        fn agrees_with_the_md5_crate(
            parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..80), 0..5),
        ) {
            let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            let whole = parts.concat();
            let expected: [u8; 16] = Md5::digest(&whole).into();
            match super::digest(&parts) {
                Some(got) => prop_assert_eq!(got, expected),
                None => prop_assert!(whole.len() > super::MAX_TEXT),
            }
        }
    }
}
