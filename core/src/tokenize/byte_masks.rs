//! Byte classes eight bytes at a time, for [`super::TermMatcher::matches`]' pass over a text
//! (SIMD within a register: plain `u64` arithmetic, the same natively and in wasm); its word
//! loads and [`HIGH`] serve [`crate::view`]'s character counting too.
//!
//! A word holds eight text bytes, little-endian: byte `k` of the eight is bits `8k..8k + 8`.
//! Every mask function returns bit `8k + 7` set for exactly the bytes it selects and every
//! other bit clear. Exactness matters: the pass skips whatever a mask does not select, and a
//! stray letters-and-digits bit on one byte would hide a word starting at the next.

/// The top bit of every byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in every byte: `ONES * b` repeats byte `b` eight times.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The eight bytes of `bytes` from `at` (zeros past its end: a zero byte is in no class).
pub(super) fn load(bytes: &[u8], at: usize) -> u64 {
    if let Some(word) = whole(bytes, at) {
        return word;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    rest.iter().take(8).enumerate().fold(0, |v, (k, &b)| v | u64::from(b) << (8 * k))
}

/// The eight bytes of `bytes` from `at`, if there are eight: one unaligned load. (A copy of a
/// variable length compiles to a `memcpy` call natively and a `memory.copy` call out of wasm
/// code, once per eight bytes.)
pub(crate) fn whole(bytes: &[u8], at: usize) -> Option<u64> {
    let word: &[u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(*word))
}

/// The bytes that are zero.
fn zero(v: u64) -> u64 {
    // (low seven bits + 0x7f) carries into the top bit exactly when they are not all zero,
    // and never into the next byte; OR-ing `v` adds the bytes whose own top bit is set.
    !((((v & !HIGH) + !HIGH) | v) | !HIGH)
}

/// The bytes equal to `b`.
pub(super) fn equal(v: u64, b: u8) -> u64 {
    zero(v ^ (ONES * u64::from(b)))
}

/// The bytes of value `lo..=hi`, among the ASCII ones (`hi` ≤ 0x7f).
fn ascii_in(v: u64, lo: u8, hi: u8) -> u64 {
    let low7 = v & !HIGH;
    // Each byte is at most 0x7f and each added constant at most 0x80: no byte carries into the
    // next, and the sum's top bit says "at least lo" (first) or "above hi" (second).
    let at_least_lo = low7 + ONES * u64::from(0x80 - lo);
    let above_hi = low7 + ONES * u64::from(0x7f - hi);
    at_least_lo & !above_hi & !v & HIGH
}

/// The ASCII letters and digits (`u8::is_ascii_alphanumeric`).
pub(super) fn alnum(v: u64) -> u64 {
    ascii_in(v, b'0', b'9') | ascii_in(v | (ONES * 0x20), b'a', b'z')
}

/// The bytes that are not ASCII.
pub(super) fn non_ascii(v: u64) -> u64 {
    v & HIGH
}

/// `v` with its ASCII capitals made lowercase (and some other bytes changed: compare letters
/// only).
pub(super) fn fold_case(v: u64) -> u64 {
    v | (ONES * 0x20)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mask a byte-by-byte test gives.
    fn by_byte(bytes: [u8; 8], test: impl Fn(u8) -> bool) -> u64 {
        bytes.iter().enumerate().filter(|(_, &b)| test(b)).fold(0, |m, (k, _)| m | (0x80 << (8 * k)))
    }

    #[test]
    fn masks_agree_with_byte_tests_on_every_byte_in_every_position() {
        // Each byte value in each of the eight positions, beside neighbours that provoke
        // carries and borrows (0x00, 0x01, 0x7f, 0x80, 0xff, the values being compared).
        let neighbours = [0x00u8, 0x01, 0x2f, 0x30, 0x39, 0x3a, 0x5c, 0x5d, 0x60, 0x61, 0x7a, 0x7b, 0x7f, 0x80, 0xff];
        for b in 0..=255u8 {
            for k in 0..8 {
                for &n in &neighbours {
                    let mut bytes = [n; 8];
                    bytes[k] = b;
                    let v = u64::from_le_bytes(bytes);
                    assert_eq!(alnum(v), by_byte(bytes, |x| x.is_ascii_alphanumeric()), "{bytes:?}");
                    assert_eq!(non_ascii(v), by_byte(bytes, |x| x >= 0x80), "{bytes:?}");
                    for target in [b, n, b'\\', b'a', 0, 0xff] {
                        assert_eq!(equal(v, target), by_byte(bytes, |x| x == target), "{bytes:?} = {target}");
                    }
                    let folded = fold_case(v).to_le_bytes();
                    for (x, f) in bytes.iter().zip(folded) {
                        if x.is_ascii_alphabetic() {
                            assert_eq!(f, x.to_ascii_lowercase());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn load_pads_with_zeros() {
        assert_eq!(load(b"abc", 1), u64::from_le_bytes(*b"bc\0\0\0\0\0\0"));
        assert_eq!(load(b"abcdefghij", 1), u64::from_le_bytes(*b"bcdefghi"));
        assert_eq!(load(b"abc", 3), 0);
        assert_eq!(load(b"abc", 9), 0);
    }
}
