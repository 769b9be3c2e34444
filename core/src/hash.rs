//! Stable term hashing for the Bloom signatures.
//!
//! The index is built on the host and queried in wasm, possibly by a different build of this
//! crate, so the hash is spelled out here (FNV-1a over the bytes, then the SplitMix64 finalizer
//! for avalanche) instead of borrowed from `std`, whose hashers are allowed to change. Changing
//! anything here changes every index: bump [`crate::index::FORMAT_VERSION`].

/// Which part of a paper a term occurrence is hashed for. A title occurrence is stored twice:
/// once as a plain term (so any query finds it) and once as a title pseudo-term (for ranking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Anywhere in the paper.
    Any,
    /// In the title.
    Title,
    /// In the title's first word (a paper's name: "FedRE" in "FedRE: A …"), see
    /// [`crate::tokenize::leading_word`].
    TitleStart,
    /// Occurs at least [`TF_LEVELS`]`[i]` times in the paper (a term-frequency bucket).
    TfAtLeast(u8),
}

/// The term-frequency thresholds stored as pseudo-terms: a term occurring 2–3 times sets the
/// first, 4–7 times the first two, 8 or more all three.
pub const TF_LEVELS: [u32; 3] = [2, 4, 8];

impl Field {
    fn seed(self) -> u64 {
        match self {
            Field::Any => 0x9e37_79b9_7f4a_7c15,
            Field::Title => 0xc2b2_ae3d_27d4_eb4f,
            Field::TitleStart => 0x85eb_ca77_c2b2_ae63,
            Field::TfAtLeast(i) => 0x1656_67b1_9e37_79f9 ^ mix64(u64::from(i) + 1),
        }
    }
}

/// SplitMix64's finalizer: a bijective mix with full avalanche.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a (64-bit) of `bytes`, starting from `seed` mixed into the offset basis.
pub fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    fnv1a_on(0xcbf2_9ce4_8422_2325 ^ seed, bytes)
}

/// FNV-1a's state `h` after `bytes` more: `fnv1a(s, a ++ b) == fnv1a_on(fnv1a(s, a), b)`.
fn fnv1a_on(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash of the word spelled by `parts` one after another, for the word list's membership
/// filter ([`crate::index::words`]): a word and its pieces hash alike, so a lookup can test a
/// word it has not yet put together.
pub fn word_hash(parts: &[&[u8]]) -> u64 {
    mix64(parts.iter().fold(0xcbf2_9ce4_8422_2325 ^ WORD_SEED, |h, p| fnv1a_on(h, p)))
}

/// [`word_hash`]'s seed (no [`Field`]'s: words and terms are different things).
const WORD_SEED: u64 = 0x2545_f491_4f6c_dd1d;

/// A fast 64-bit checksum of `bytes` for the index's integrity check (not for terms).
///
/// Four independent lanes each take one little-endian word of every 32-byte block (multiply,
/// rotate, multiply: the round of xxHash64), so the work pipelines at several bytes per cycle
/// where FNV-1a manages well under one; the lanes, the length and the tail then go through
/// [`mix64`]. Any single changed byte changes the result. Pinned by a test, like [`fnv1a`].
pub fn checksum64(seed: u64, bytes: &[u8]) -> u64 {
    const P1: u64 = 0x9e37_79b1_85eb_ca87;
    const P2: u64 = 0xc2b2_ae3d_27d4_eb4f;
    let mut lanes = [seed ^ P1, seed ^ P2, mix64(seed), mix64(!seed)];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let w = u64::from_le_bytes(w);
            *lane = lane.wrapping_add(w.wrapping_mul(P2)).rotate_left(31).wrapping_mul(P1);
        }
    }
    let mut h = bytes.len() as u64;
    for lane in lanes {
        h = mix64(h ^ lane).wrapping_mul(P1);
    }
    mix64(fnv1a(h, blocks.remainder()))
}

/// The 64-bit hash of `term` in `field`.
pub fn term_hash(field: Field, term: &str) -> u64 {
    mix64(fnv1a(field.seed(), term.as_bytes()))
}

/// The `k` bit positions in `0..m` a term with hash `h` sets: the first `k` outputs of a
/// SplitMix64 stream seeded with `h`, each reduced with Lemire's multiply-shift instead of a
/// division. `m` must be > 0.
///
/// Independent positions, as Bloom's analysis assumes. (Format 5 used double hashing,
/// `h1 + i·h2`, which a multiply-shift reduction turns into steps of `h2 / 2^64` of the row:
/// for the ~1% of terms whose `h2` lies near a fraction with a small denominator the positions
/// cycled over two or three bits in small shards, so such a term matched up to 12% of the
/// papers there — 9,394 candidates for one registry-100k package name.)
pub fn positions(h: u64, k: u32, m: u32) -> impl Iterator<Item = u32> {
    fractions(h, k).map(move |x| position(x, m))
}

/// The `k` 32-bit fractions of a row behind [`positions`]: `positions(h, k, m)` is
/// `fractions(h, k)` each taken to [`position`]`(x, m)`. They do not depend on `m`, so a
/// search computes them once per term, not once per shard.
pub fn fractions(h: u64, k: u32) -> impl Iterator<Item = u32> {
    (1..=u64::from(k)).map(move |i| (mix64(h.wrapping_add(i.wrapping_mul(GOLDEN_GAMMA))) >> 32) as u32)
}

/// Fraction `x` of a row of `m` bits as a bit position in `0..m` (Lemire's multiply-shift).
#[inline]
pub fn position(x: u32, m: u32) -> u32 {
    ((u64::from(x) * u64::from(m)) >> 32) as u32
}

/// SplitMix64's increment (2^64 / φ, odd).
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_never_change() {
        // Pinned: a change here silently invalidates every index ever built.
        assert_eq!(fnv1a(0, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(0, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(term_hash(Field::Any, "fedre"), term_hash(Field::Title, "fedre"));
        assert_eq!(word_hash(&[b"fedre"]), WORD_FEDRE);
        assert_eq!(word_hash(&[b"fe", b"", b"dre"]), WORD_FEDRE);
        assert_ne!(word_hash(&[b"fedre"]), word_hash(&[b"fedra"]));
        assert_eq!(checksum64(0, b""), CHECKSUM_EMPTY);
        assert_eq!(checksum64(0, &[7u8; 100]), CHECKSUM_SEVENS);
    }

    const WORD_FEDRE: u64 = 0xcb1d_e89a_060e_6a3c;
    const CHECKSUM_EMPTY: u64 = 0xf4be_2138_3003_0671;
    const CHECKSUM_SEVENS: u64 = 0x8123_35fb_4e57_325e;

    #[test]
    fn checksum_sees_every_byte_and_length() {
        let base: Vec<u8> = (0..200u32).map(|i| (i * 31 % 251) as u8).collect();
        let h = checksum64(0, &base);
        for at in 0..base.len() {
            for bit in [0x01u8, 0x80] {
                let mut v = base.clone();
                v[at] ^= bit;
                assert_ne!(checksum64(0, &v), h, "byte {at} bit {bit:#x}");
            }
        }
        for len in 0..base.len() {
            assert_ne!(checksum64(0, &base[..len]), h, "prefix {len}");
        }
        assert_ne!(checksum64(1, &base), h);
        // Swapping two words (same multiset of lanes' inputs) must change the result.
        let mut swapped = base.clone();
        swapped.swap(0, 8);
        assert_ne!(checksum64(0, &swapped), h);
    }

    #[test]
    fn positions_are_in_range_and_spread() {
        for m in [1u32, 7, 64, 1000, 1 << 20] {
            for t in ["a", "fedre", "bloom"] {
                let p: Vec<u32> = positions(term_hash(Field::Any, t), 8, m).collect();
                assert_eq!(p.len(), 8);
                assert!(p.iter().all(|&x| x < m));
            }
        }
        let p: Vec<u32> = positions(term_hash(Field::Any, "x"), 8, 1 << 20).collect();
        let mut d = p.clone();
        d.dedup();
        assert_eq!(d.len(), 8);
    }

    #[test]
    fn positions_of_every_term_are_nearly_distinct_even_in_short_rows() {
        // Independent positions: 10 in 256 bits repeat ~0.2 times on average, and 5 repeats
        // (5 distinct bits or fewer) have a probability of ~1e-8 per term. Double hashing
        // reduced by multiply-shift failed this for ~1% of terms (positions on a 2- or 3-cycle).
        let (k, m) = (10, 256);
        let mut worst = 0usize;
        for n in 0..100_000u32 {
            let mut p: Vec<u32> = positions(term_hash(Field::Any, &format!("term{n}")), k, m).collect();
            p.sort_unstable();
            p.dedup();
            worst = worst.max(k as usize - p.len());
        }
        assert!(worst <= 4, "a term lost {worst} of its {k} positions to repeats");
    }

    #[test]
    fn false_positive_rate_in_a_short_row_matches_the_bloom_formula() {
        // 20 terms in 256 bits with k = 10: fill 1 - e^(-200/256) ≈ 0.54, rate ≈ 0.54^10 ≈ 0.002.
        let (k, m) = (10, 256);
        let mut fp = 0usize;
        let trials = 2_000usize;
        for t in 0..trials {
            let mut bits = vec![false; m as usize];
            for n in 0..20 {
                for p in positions(term_hash(Field::Any, &format!("in{t}-{n}")), k, m) {
                    bits[p as usize] = true;
                }
            }
            for n in 0..100 {
                fp += usize::from(
                    positions(term_hash(Field::Any, &format!("out{t}-{n}")), k, m).all(|p| bits[p as usize]),
                );
            }
        }
        let rate = fp as f64 / (trials * 100) as f64;
        assert!(rate < 0.005, "false-positive rate {rate}");
    }
}
