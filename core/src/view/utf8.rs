//! Character and UTF-16 positions in UTF-8 text, eight bytes at a time, for the views' excerpt
//! windows and highlight offsets (SIMD within a register: plain `u64` arithmetic, the same
//! natively and in wasm, where `char_indices` decodes every character).
//!
//! Each function agrees exactly with the `std` expression its doc names, for every `&str`:
//! a character starts at every byte that is not a continuation byte (`0b10xx_xxxx`), and a
//! character takes two UTF-16 code units exactly when it takes four UTF-8 bytes (lead byte
//! `0b1111_0xxx`). Offsets passed in must be character boundaries of the text.

use crate::tokenize::byte_masks::{whole, HIGH};

/// Bit `8k + 7` set for every byte `k` of `v` that starts a character (top bits not `10`).
fn starts(v: u64) -> u64 {
    (!v | (v << 1)) & HIGH
}

/// Bit `8k + 7` set for every byte `k` of `v` that leads a four-byte character (top bits
/// `1111`).
fn four_byte_leads(v: u64) -> u64 {
    v & (v << 1) & (v << 2) & (v << 3) & HIGH
}

/// Whether `b` starts a character.
fn is_start(b: u8) -> bool {
    b & 0xc0 != 0x80
}

/// Where the character `n` characters after the one at byte `from` starts:
/// `text[from..].char_indices().nth(n).map(|(i, _)| from + i)`.
pub(super) fn nth_char(text: &str, from: usize, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut at, mut left) = (from, n);
    // Whole words that hold at most `left` character starts are passed over.
    while let Some(v) = whole(bytes, at) {
        let count = starts(v).count_ones() as usize;
        if count > left {
            break;
        }
        left -= count;
        at += 8;
    }
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        if is_start(b) {
            if left == 0 {
                return Some(i);
            }
            left -= 1;
        }
    }
    None
}

/// Where the character `n` characters before the last one before byte `to` starts:
/// `text[..to].char_indices().rev().nth(n).map(|(i, _)| i)`.
pub(super) fn nth_char_back(text: &str, to: usize, n: usize) -> Option<usize> {
    let bytes = &text.as_bytes()[..to];
    let (mut at, mut left) = (bytes.len(), n);
    while let Some(v) = at.checked_sub(8).and_then(|a| whole(bytes, a)) {
        let count = starts(v).count_ones() as usize;
        if count > left {
            break;
        }
        left -= count;
        at -= 8;
    }
    for i in (0..at).rev() {
        if is_start(bytes[i]) {
            if left == 0 {
                return Some(i);
            }
            left -= 1;
        }
    }
    None
}

/// How many UTF-16 code units `text` takes: `text.encode_utf16().count()`.
pub(super) fn utf16_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut at, mut units) = (0, 0);
    while let Some(v) = whole(bytes, at) {
        units += (starts(v).count_ones() + four_byte_leads(v).count_ones()) as usize;
        at += 8;
    }
    units + bytes[at..].iter().map(|&b| usize::from(is_start(b)) + usize::from(b >= 0xf0)).sum::<usize>()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text mixing one- to four-byte characters, so words of eight bytes start and end inside
    /// characters.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![Just('a'), Just(' '), Just('é'), Just('€'), Just('𝔸'), any::<char>()],
            0..60,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn positions_agree_with_std(s in text(), at in 0usize..64, n in 0usize..70) {
            let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let b = boundaries[at % boundaries.len()];
            prop_assert_eq!(nth_char(&s, b, n), s[b..].char_indices().nth(n).map(|(i, _)| b + i));
            prop_assert_eq!(nth_char_back(&s, b, n), s[..b].char_indices().rev().nth(n).map(|(i, _)| i));
            prop_assert_eq!(utf16_len(&s[b..]), s[b..].encode_utf16().count());
        }
    }

    #[test]
    fn byte_masks_agree_with_byte_tests_in_every_position() {
        for b in 0..=255u8 {
            for k in 0..8 {
                for n in [0x00u8, 0x7f, 0x80, 0xbf, 0xc0, 0xef, 0xf0, 0xff] {
                    let mut bytes = [n; 8];
                    bytes[k] = b;
                    let v = u64::from_le_bytes(bytes);
                    let expect = |test: &dyn Fn(u8) -> bool| {
                        bytes.iter().enumerate().filter(|(_, &x)| test(x)).fold(0u64, |m, (i, _)| m | (0x80 << (8 * i)))
                    };
                    assert_eq!(starts(v), expect(&is_start), "{bytes:?}");
                    assert_eq!(four_byte_leads(v), expect(&|x| x >= 0xf0), "{bytes:?}");
                }
            }
        }
    }
}
