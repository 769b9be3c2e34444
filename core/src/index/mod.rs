//! The search index: a bit-sliced Bloom-filter signature per paper plus the compact display
//! records, in one versioned little-endian byte format.
//!
//! - [`build`] turns papers into index bytes (host side, `build.rs` and the CLI).
//! - [`Index`] is a zero-copy view over those bytes: opening it checks the header and section
//!   bounds (O(shards)), nothing is decoded or copied; rows and records are read in place.
//! - [`format`](mod@format) documents the layout byte by byte.
//!
//! **Bit-slicing.** Each paper has a Bloom signature of `m` bits in which each of its terms sets
//! `k` bits. Papers are grouped into *shards* of similar term counts; a shard stores its
//! signatures transposed: row `r` is one bit per paper of the shard, 64 papers per `u64` word.
//! A query term selects `k` rows; ANDing them gives, for 64 papers per instruction, "may
//! contain the term". Shards let short papers use a short signature (`m` is sized per shard from
//! the shard's largest paper and the target false-positive rate), as in BitFunnel.
//!
//! **Private rows.** Also from BitFunnel: an element (term or pseudo-term) found in more than
//! `n · ln 2 / k` of the `n` papers gets a row of its own in every shard instead of Bloom bits —
//! one bit per paper is then cheaper than `k / ln 2` bits per posting. Common terms are thus
//! exact (no false positives) and cost one row read instead of `k`.

mod build;
pub mod format;
mod read;
pub mod words;

pub use build::{build, BuildOptions, BuildSummary};
pub use format::{IndexError, FORMAT_VERSION};
pub use read::{DocMeta, DocRecord, DocText, ElementFractions, ElementRows, Index, Shard};

/// Bits per signature element for a target false-positive rate `fpr`: `k = round(log2(1/fpr))`
/// hash functions, clamped to `1..=24`.
pub fn hashes_for(fpr: f64) -> u32 {
    let k = (1.0 / fpr.clamp(1e-9, 0.5)).log2().round();
    (k as u32).clamp(1, 24)
}

/// Signature bits for a paper of `terms` terms with `k` hashes so that its false-positive rate
/// is about `0.5^k`: `m = ceil(terms · k / ln 2)`, at least 64.
pub fn signature_bits(terms: usize, k: u32) -> u32 {
    let m = (terms as f64 * f64::from(k) / std::f64::consts::LN_2).ceil();
    (m as u32).max(64)
}

/// Expected false-positive rate of one term test on a paper with `terms` terms, in a signature
/// of `m` bits with `k` hashes: `(1 − e^(−k·terms/m))^k`.
pub fn false_positive_rate(terms: usize, k: u32, m: u32) -> f64 {
    let fill = 1.0 - (-(f64::from(k) * terms as f64) / f64::from(m.max(1))).exp();
    fill.powi(k as i32)
}

#[cfg(test)]
mod tests;
