//! Papers → index bytes. Deterministic: the output depends only on the papers and options
//! (no hash-map iteration order, no time, no randomness), so the same digest gives
//! byte-identical bytes.

use super::format::{
    flags, index_checksum, put_str, put_varint, CHECKSUM_AT, FORMAT_VERSION, HEADER_LEN, MAGIC, SECTION_TABLE_LEN,
};
use super::{hashes_for, signature_bits};
use crate::hash::{positions, term_hash, Field, TF_LEVELS};
use crate::paper::cut_text as cut;
use crate::tokenize::{name_terms, scan_unstemmed, stem, Mode};
use crate::Paper;
use std::collections::{BTreeMap, BTreeSet};

/// Knobs of the index builder.
#[derive(Clone, Copy, Debug)]
pub struct BuildOptions {
    /// Target false-positive rate of one term test on one paper.
    pub false_positive_rate: f64,
    /// Papers in a shard may have up to this factor more terms than its smallest paper …
    pub shard_spread: f64,
    /// … unless the shard has fewer papers than this (tiny shards cost query time).
    pub min_shard_papers: usize,
    /// Bytes of abstract text stored for display and verification. Over it, every abstract
    /// longer than a common cap is cut to that cap (at a word boundary), the cap chosen so the
    /// total fits; the signatures still index the whole text. `None`: no budget.
    pub text_budget: Option<usize>,
}

/// The default display-text budget: 8 MiB of abstracts (a widget of ~3 MB brotli text).
pub const DEFAULT_TEXT_BUDGET: usize = 8 << 20;

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            false_positive_rate: 0.001,
            // A wider spread wastes signature bits (a shard's rows are sized for its largest
            // paper) but makes fewer shards, and a search pays per term and shard. 1.10 against
            // 1.05: SciFact 39 → 21 shards, signature bits +1.6%, instructions per query p50
            // −7.7%, p99 −14%; Debian 64k 71 → 36 shards, +2.0%, p50 −4.4%, p99 −5.8%; registry
            // 100k 49 → 31, +0.6% (14.41 → 14.50 bits per posting, under the 14.95 target; 1.20
            // would exceed it there).
            shard_spread: 1.10,
            min_shard_papers: 64,
            text_budget: Some(DEFAULT_TEXT_BUDGET),
        }
    }
}

/// What [`build`] produced, for build messages and benchmarks.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildSummary {
    /// Papers indexed.
    pub papers: usize,
    /// Distinct terms.
    pub terms: usize,
    /// (term, paper) pairs, title pseudo-terms included.
    pub postings: u64,
    /// Bits of all signatures as stored (row words whole).
    pub signature_bits: u64,
    /// Bytes of the whole index.
    pub index_bytes: usize,
    /// Bytes of the display records.
    pub record_bytes: usize,
    /// Shards.
    pub shards: usize,
    /// Elements with a private row (see [`super::format`]'s PRIVATE section).
    pub private_rows: usize,
    /// Distinct words (unstemmed) in the WORDS section.
    pub words: usize,
    /// Bytes of the WORDS section.
    pub word_bytes: usize,
    /// Abstracts cut short by the text budget, and the cap they were cut to (bytes).
    pub abstracts_cut: usize,
    /// The cap of [`BuildSummary::abstracts_cut`] (0 when nothing was cut).
    pub abstract_cap: usize,
    /// Abstract bytes in the digest, before any cut.
    pub abstract_bytes: usize,
}

/// The largest cap `c` with `Σ min(len, c) ≤ budget` (water-filling), or `None` when every
/// abstract fits whole.
fn abstract_cap(lengths: &[usize], budget: usize) -> Option<usize> {
    if lengths.iter().sum::<usize>() <= budget {
        return None;
    }
    let mut sorted = lengths.to_vec();
    sorted.sort_unstable();
    let mut used = 0usize; // bytes of the abstracts shorter than the cap
    for (i, &len) in sorted.iter().enumerate() {
        let rest = sorted.len() - i;
        // Every remaining abstract is at least `len` long: can they all keep `len`?
        if used + len * rest > budget {
            return Some((budget - used) / rest);
        }
        used += len;
    }
    None
}

/// [`abstract_cap`], for the unit tests.
#[cfg(test)]
pub(super) fn abstract_cap_for_tests(lengths: &[usize], budget: usize) -> Option<usize> {
    abstract_cap(lengths, budget)
}

/// The distinct signature elements (hashes) of a paper — every term of title and abstract as
/// [`Field::Any`], every title term again as [`Field::Title`], the terms of the title's first
/// word as [`Field::TitleStart`], and a [`Field::TfAtLeast`]
/// pseudo-term per frequency threshold a term reaches — and the paper's length in tokens.
/// Also collects the plain terms, and the words with the number of papers that have each
/// (and the last paper counted: this one is `paper`).
fn paper_hashes(
    p: &Paper,
    paper: usize,
    terms: &mut BTreeSet<String>,
    words: &mut BTreeMap<String, (u32, usize)>,
) -> (Vec<u64>, u32) {
    let mut hashes = Vec::new();
    let mut tf: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    let mut length = 0u32;
    for (text, title) in [(&p.title, true), (&p.abstract_text, false)] {
        scan_unstemmed(text, Mode::Index, |w, _, _| {
            match words.get_mut(w) {
                Some((n, last)) if *last != paper => (*n, *last) = (*n + 1, paper),
                Some(_) => {}
                None => {
                    words.insert(w.to_string(), (1, paper));
                }
            }
            let t: &str = &stem(w);
            let h = term_hash(Field::Any, t);
            *tf.entry(h).or_insert(0) += 1;
            length = length.saturating_add(1);
            if title {
                hashes.push(term_hash(Field::Title, t));
            }
            if !terms.contains(t) {
                terms.insert(t.to_string());
            }
            for (level, &at_least) in TF_LEVELS.iter().enumerate() {
                // Counted as the occurrence happens: the pseudo-term is added once, when reached.
                if tf[&h] == at_least {
                    hashes.push(term_hash(Field::TfAtLeast(level as u8), t));
                }
            }
            true
        });
    }
    for t in name_terms(&p.title) {
        hashes.push(term_hash(Field::TitleStart, &t));
    }
    hashes.extend(tf.keys());
    hashes.sort_unstable();
    hashes.dedup();
    (hashes, length)
}

/// The elements that get a private row: those in more than `n · ln 2 / k` papers, where a row
/// of one bit per paper costs less than `k / ln 2` Bloom bits per posting. Sorted.
fn private_elements(hashes: &[Vec<u64>], n: usize, k: u32) -> Vec<u64> {
    let mut df: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for h in hashes.iter().flatten() {
        *df.entry(*h).or_insert(0) += 1;
    }
    let threshold = n as f64 * std::f64::consts::LN_2 / f64::from(k);
    let mut private: Vec<u64> = df.into_iter().filter(|&(_, d)| f64::from(d) > threshold).map(|(h, _)| h).collect();
    private.sort_unstable();
    private
}

fn encode_record(p: &Paper, terms: usize, source: usize, cap: Option<usize>, out: &mut Vec<u8>) {
    let abstract_text = match cap {
        Some(c) => cut(&p.abstract_text, c),
        None => &p.abstract_text,
    };
    let mut f = 0;
    if abstract_text.len() < p.abstract_text.len() {
        f |= flags::ABSTRACT_CUT;
    }
    if p.title_derived {
        f |= flags::DERIVED_TITLE;
    }
    if let Some(d) = p.date {
        f |= flags::DATE;
        if d.year.is_some() {
            f |= flags::YEAR;
        }
    }
    if p.authors.is_some() {
        f |= flags::AUTHORS;
    }
    if p.upvotes.is_some() {
        f |= flags::UPVOTES;
    }
    put_varint(out, f);
    if let Some(d) = p.date {
        if let Some(y) = d.year {
            put_varint(out, u64::from(y));
        }
        put_varint(out, u64::from(d.month));
        put_varint(out, u64::from(d.day));
    }
    if let Some(a) = p.authors {
        put_varint(out, u64::from(a));
    }
    if let Some(u) = p.upvotes {
        put_varint(out, u64::from(u));
    }
    put_varint(out, terms as u64);
    put_str(out, &p.id);
    put_str(out, &p.title);
    put_str(out, abstract_text);
    put_str(out, p.url.as_deref().unwrap_or(""));
    put_str(out, p.organization.as_deref().unwrap_or(""));
    put_varint(out, p.code.len() as u64);
    for c in &p.code {
        put_str(out, c);
    }
    put_varint(out, source as u64);
    put_varint(out, p.source.line as u64);
}

fn pad8(out: &mut Vec<u8>) {
    while out.len() % 8 != 0 {
        out.push(0);
    }
}

fn to_u32(n: usize, what: &str) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("{what} ({n}) exceeds the index format's 32-bit limit"))
}

/// Builds index bytes for `papers` (their order is kept only as a tie-breaker; the index
/// orders papers by shard). Fails only when a count exceeds the format's 32-bit fields.
pub fn build(papers: &[Paper], options: &BuildOptions) -> Result<(Vec<u8>, BuildSummary), String> {
    let k = hashes_for(options.false_positive_rate);
    let (mut vocabulary, mut words) = (BTreeSet::new(), BTreeMap::new());
    let (hashes, lengths): (Vec<Vec<u64>>, Vec<u32>) =
        papers.iter().enumerate().map(|(i, p)| paper_hashes(p, i, &mut vocabulary, &mut words)).unzip();
    let word_bytes = super::words::encode(words.iter().map(|(w, &(n, _))| (w.as_str(), n)));

    // Frequency-conscious rows: an element in more than n·ln2/k papers costs fewer bits as a
    // private row (one bit per paper) than as k Bloom bits per posting.
    let n = papers.len();
    let private = private_elements(&hashes, n, k);
    let bloom_count = |h: &[u64]| h.iter().filter(|x| private.binary_search(x).is_err()).count();
    let bloom_sizes: Vec<usize> = hashes.iter().map(|h| bloom_count(h)).collect();

    // Order papers by Bloom element count (stable: ties keep digest order) and cut into shards
    // of whole 64-paper words (a row word is stored whole, so a shard of 70 papers would pay
    // for 128): a shard grows a word at a time while the word's largest paper is within the
    // spread of the shard's smallest.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| bloom_sizes[i]);
    let min_words = options.min_shard_papers.div_ceil(64).max(1);
    let mut shards: Vec<(usize, usize)> = Vec::new(); // (start in order, len)
    let mut start = 0;
    while start < order.len() {
        let smallest = bloom_sizes[order[start]].max(1) as f64;
        let mut end = (start + 64 * min_words).min(order.len());
        while end < order.len() {
            let next = (end + 64).min(order.len());
            if bloom_sizes[order[next - 1]] as f64 > smallest * options.shard_spread {
                break;
            }
            end = next;
        }
        if order.len() - end < 64 * min_words {
            end = order.len();
        }
        shards.push((start, end - start));
        start = end;
    }

    // Signatures, shard by shard: m Bloom rows, then one private row per private element.
    let mut shard_table = Vec::new();
    let mut rows: Vec<u64> = Vec::new();
    let mut signature_total = 0u64;
    for &(first, len) in &shards {
        let largest = order[first..first + len].iter().map(|&i| bloom_sizes[i]).max().unwrap_or(0);
        let m = signature_bits(largest, k);
        let words = len.div_ceil(64);
        let base = rows.len();
        rows.resize(base + (m as usize + private.len()) * words, 0);
        for (j, &i) in order[first..first + len].iter().enumerate() {
            for &h in &hashes[i] {
                let bit = 1u64 << (j % 64);
                match private.binary_search(&h) {
                    Ok(p) => rows[base + (m as usize + p) * words + j / 64] |= bit,
                    Err(_) => {
                        for r in positions(h, k, m) {
                            rows[base + r as usize * words + j / 64] |= bit;
                        }
                    }
                }
            }
        }
        signature_total += (u64::from(m) + private.len() as u64) * words as u64 * 64;
        for v in [
            to_u32(first, "papers")?,
            to_u32(len, "papers")?,
            m,
            to_u32(words, "row words")?,
            to_u32(base, "row words")?,
            to_u32(largest, "terms")?,
        ] {
            shard_table.extend_from_slice(&v.to_le_bytes());
        }
    }

    // Display records in index order (abstracts within the text budget), and the id table.
    let abstract_lengths: Vec<usize> = papers.iter().map(|p| p.abstract_text.len()).collect();
    let cap = options.text_budget.and_then(|b| abstract_cap(&abstract_lengths, b));
    let abstracts_cut = cap.map_or(0, |c| abstract_lengths.iter().filter(|&&l| l > c).count());
    let mut records = Vec::new();
    let mut offsets = Vec::with_capacity((papers.len() + 1) * 4);
    let mut sources: Vec<&str> = Vec::new();
    let mut source_numbers: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for &i in &order {
        offsets.extend_from_slice(&to_u32(records.len(), "record bytes")?.to_le_bytes());
        let file = papers[i].source.file.as_str();
        let source = *source_numbers.entry(file).or_insert_with(|| {
            sources.push(file);
            sources.len() - 1
        });
        encode_record(&papers[i], bloom_sizes[i], source, cap, &mut records);
    }
    let mut source_bytes = Vec::new();
    source_bytes.extend_from_slice(&to_u32(sources.len(), "source files")?.to_le_bytes());
    let mut at = 0usize;
    for f in sources.iter().map(|f| f.len()).chain([0]) {
        source_bytes.extend_from_slice(&to_u32(at, "source file bytes")?.to_le_bytes());
        at += f;
    }
    for f in &sources {
        source_bytes.extend_from_slice(f.as_bytes());
    }
    offsets.extend_from_slice(&to_u32(records.len(), "record bytes")?.to_le_bytes());
    let mut by_id: Vec<u32> = (0..to_u32(order.len(), "papers")?).collect();
    by_id.sort_by(|&a, &b| papers[order[a as usize]].id.cmp(&papers[order[b as usize]].id).then(a.cmp(&b)));
    let id_order: Vec<u8> = by_id.iter().flat_map(|v| v.to_le_bytes()).collect();
    let row_bytes: Vec<u8> = rows.iter().flat_map(|w| w.to_le_bytes()).collect();
    let length_bytes: Vec<u8> =
        order.iter().flat_map(|&i| (lengths[i].min(u32::from(u16::MAX)) as u16).to_le_bytes()).collect();
    let total_length: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
    let avg_length_x256 = (total_length * 256 / (n.max(1) as u64)).min(u64::from(u32::MAX)) as u32;

    // Lay out: header, section table, sections (8-aligned).
    let mut out = vec![0u8; HEADER_LEN + SECTION_TABLE_LEN];
    let mut table = Vec::new();
    let private_bytes: Vec<u8> = private.iter().flat_map(|h| h.to_le_bytes()).collect();
    for section in [
        &shard_table,
        &row_bytes,
        &offsets,
        &records,
        &id_order,
        &length_bytes,
        &word_bytes,
        &source_bytes,
        &private_bytes,
    ] {
        pad8(&mut out);
        table.push((to_u32(out.len(), "index bytes")?, to_u32(section.len(), "section bytes")?));
        out.extend_from_slice(section);
    }
    pad8(&mut out);
    let postings: u64 = hashes.iter().map(|h| h.len() as u64).sum();
    out[0..8].copy_from_slice(MAGIC);
    out[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    out[12..16].copy_from_slice(&k.to_le_bytes());
    out[16..20].copy_from_slice(&to_u32(n, "papers")?.to_le_bytes());
    out[20..24].copy_from_slice(&to_u32(shards.len(), "shards")?.to_le_bytes());
    out[24..28].copy_from_slice(&to_u32(vocabulary.len(), "terms")?.to_le_bytes());
    out[28..32].copy_from_slice(&avg_length_x256.to_le_bytes());
    out[32..40].copy_from_slice(&postings.to_le_bytes());
    out[40..48].copy_from_slice(&options.false_positive_rate.to_bits().to_le_bytes());
    let total = out.len() as u64;
    out[48..56].copy_from_slice(&total.to_le_bytes());
    for (n, (off, len)) in table.iter().enumerate() {
        let at = HEADER_LEN + n * 8;
        out[at..at + 4].copy_from_slice(&off.to_le_bytes());
        out[at + 4..at + 8].copy_from_slice(&len.to_le_bytes());
    }
    let checksum = index_checksum(&out);
    out[CHECKSUM_AT..CHECKSUM_AT + 8].copy_from_slice(&checksum.to_le_bytes());
    let summary = BuildSummary {
        papers: papers.len(),
        terms: vocabulary.len(),
        postings,
        signature_bits: signature_total,
        index_bytes: out.len(),
        record_bytes: records.len(),
        shards: shards.len(),
        private_rows: private.len(),
        words: words.len(),
        word_bytes: word_bytes.len(),
        abstracts_cut,
        abstract_cap: cap.unwrap_or(0),
        abstract_bytes: abstract_lengths.iter().sum(),
    };
    Ok((out, summary))
}
