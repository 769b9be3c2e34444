//! Stable ids for records that do not bring their own.
//!
//! An id must not change when a digest is re-read, re-ordered or concatenated with others, so it
//! depends on the record's text only:
//!
//! * titled records: `slug-hhhhhh`, where `slug` is the title's first six words folded to
//!   lowercase ASCII (NFKD, combining marks dropped, every run of other characters a word
//!   break) joined by `-`, and `hhhhhh` is the top 24 bits of the 64-bit FNV-1a hash of the
//!   normalized title (see [`normalize`]), in lowercase hex. A title with no ASCII letters or
//!   digits gets the slug `paper`. Example: "Poincaré ResNet" → `poincare-resnet-` + 6 hex.
//! * untitled abstracts: `abstract-hhhhhhhh`, the top 32 bits of the FNV-1a hash of the
//!   normalized abstract text.
//!
//! Collisions between different records are unlikely but possible; the merger makes ids unique
//! by appending `-2`, `-3`, … and reports it.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// How many title words the slug keeps.
pub const SLUG_WORDS: usize = 6;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// The text an id hash is computed over: lowercased, leading/trailing whitespace removed and
/// every run of whitespace collapsed to one space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The title's first `max_words` words as lowercase ASCII joined by `-` ("" if none).
pub fn slug(title: &str, max_words: usize) -> String {
    let folded: String = title
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    folded.split_whitespace().take(max_words).collect::<Vec<_>>().join("-")
}

/// The id of a titled record without an id of its own.
pub fn title_id(title: &str) -> String {
    let hash = fnv1a64(normalize(title).as_bytes());
    let mut slug = slug(title, SLUG_WORDS);
    if slug.is_empty() {
        slug.push_str("paper");
    }
    format!("{slug}-{:06x}", hash >> 40)
}

/// The id of an untitled abstract (one whose title had to be derived).
pub fn abstract_id(abstract_text: &str) -> String {
    let hash = fnv1a64(normalize(abstract_text).as_bytes());
    format!("abstract-{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_known_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn slug_folds_and_limits() {
        assert_eq!(slug("Poincaré ResNet", 6), "poincare-resnet");
        assert_eq!(
            slug("FedLGD: Federated Learning on Virtual Heterogeneous Data with X", 6),
            "fedlgd-federated-learning-on-virtual-heterogeneous"
        );
        assert_eq!(slug("ＦＵＬＬ width", 6), "full-width");
        assert_eq!(slug("日本語", 6), "");
    }

    #[test]
    fn ids_are_stable_and_whitespace_case_insensitive() {
        let a = title_id("Poincaré ResNet");
        assert!(a.starts_with("poincare-resnet-"), "{a}");
        assert_eq!(a.len(), "poincare-resnet-".len() + 6);
        assert_eq!(a, title_id("  poincaré   RESNET "));
        assert_ne!(a, title_id("Poincaré ResNets"));
        assert!(title_id("日本語").starts_with("paper-"));
        let b = abstract_id("We study things.");
        assert!(b.starts_with("abstract-") && b.len() == "abstract-".len() + 8, "{b}");
        assert_eq!(b, abstract_id("we  study\nthings."));
    }
}
