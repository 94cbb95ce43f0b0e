//! A keyed 64-bit hash of a byte string: SipHash-1-3 (the function behind the standard
//! library's `RandomState`) computed in one pass over whole 8-byte words, under a key drawn at
//! random once per process.
//!
//! The state kept compact by hash (Sequence subjects, the relay index's StreamIds) hashes one
//! string per look-up; going through `std::hash::Hasher`, whose input arrives in pieces of any
//! length, costs several times the rounds themselves. The result is the same kind of value:
//! nobody without the key can choose strings that collide. One key serves every store, so a
//! StreamId hashed once per request (for its Sequence) serves the relay index's look-up too.

use std::hash::{BuildHasher, RandomState};

/// A random SipHash key. Its `Debug` shows nothing of the key.
#[derive(Clone)]
pub(crate) struct Keyed {
    k0: u64,
    k1: u64,
}

impl std::fmt::Debug for Keyed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyed { .. }")
    }
}

impl Keyed {
    /// The process's random key, which every keyed store hashes under.
    pub(crate) fn process() -> &'static Keyed {
        static KEY: std::sync::OnceLock<Keyed> = std::sync::OnceLock::new();
        KEY.get_or_init(|| {
            // The standard library's per-process random keys, drawn out through two hashes.
            let random = RandomState::new();
            Keyed {
                k0: random.hash_one(0x6b30_u64),
                k1: random.hash_one(0x6b31_u64),
            }
        })
    }

    /// The keyed hash of `bytes`.
    #[inline]
    pub(crate) fn hash(&self, bytes: &[u8]) -> u64 {
        sip::<1, 3>(self.k0, self.k1, bytes)
    }
}

/// SipHash-c-d of `m` under the key (`k0`, `k1`), as its paper defines it.
fn sip<const C: usize, const D: usize>(k0: u64, k1: u64, m: &[u8]) -> u64 {
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    let compress = |v: &mut [u64; 4], word: u64| {
        v[3] ^= word;
        for _ in 0..C {
            round(v);
        }
        v[0] ^= word;
    };
    let mut words = m.chunks_exact(8);
    for word in words.by_ref() {
        compress(
            &mut v,
            u64::from_le_bytes(word.try_into().unwrap_or_default()),
        );
    }
    // The last word: the bytes left over, and the length's low byte on top.
    let mut last = (m.len() as u64) << 56;
    for (i, &b) in words.remainder().iter().enumerate() {
        last |= u64::from(b) << (8 * i);
    }
    compress(&mut v, last);
    v[2] ^= 0xff;
    for _ in 0..D {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// One SipRound.
#[inline(always)]
fn round(v: &mut [u64; 4]) {
    v[0] = v[0].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(13) ^ v[0];
    v[0] = v[0].rotate_left(32);
    v[2] = v[2].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(16) ^ v[2];
    v[0] = v[0].wrapping_add(v[3]);
    v[3] = v[3].rotate_left(21) ^ v[0];
    v[2] = v[2].wrapping_add(v[1]);
    v[1] = v[1].rotate_left(17) ^ v[2];
    v[2] = v[2].rotate_left(32);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// SipHash-2-4 as the standard library computes it (its only public SipHash).
    #[allow(deprecated)]
    fn std_sip24(k0: u64, k1: u64, m: &[u8]) -> u64 {
        use std::hash::Hasher;
        let mut h = std::hash::SipHasher::new_with_keys(k0, k1);
        h.write(m);
        h.finish()
    }

    #[test]
    fn the_paper_s_test_vector() {
        // Key 00..0f, message 00..0e: SipHash-2-4 is 0xa129ca6149be45e5 (paper, appendix A).
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        let m: Vec<u8> = (0..15).collect();
        assert_eq!(sip::<2, 4>(k0, k1, &m), 0xa129_ca61_49be_45e5);
    }

    #[test]
    fn one_random_key_per_process_and_hidden() {
        let (a, b) = (Keyed::process().clone(), Keyed::process().clone());
        // Every store hashes under the process's key (a StreamId's hash serves two of them).
        assert_eq!(a.hash(b"stream"), b.hash(b"stream"));
        // Drawn at random, not left at a known value.
        assert_ne!(a.hash(b"stream"), sip::<1, 3>(0, 0, b"stream"));
        assert_ne!((a.k0, a.k1), (0, 0));
        assert_ne!(a.k0, a.k1);
        assert_eq!(format!("{a:?}"), "Keyed { .. }");
    }

    proptest! {
        #[test]
        fn rounds_and_padding_are_sip_hash_s(
            k0 in any::<u64>(),
            k1 in any::<u64>(),
            m in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            prop_assert_eq!(sip::<2, 4>(k0, k1, &m), std_sip24(k0, k1, &m));
        }
    }
}
