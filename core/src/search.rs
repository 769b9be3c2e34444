//! Query → ranked hits over an [`Index`].
//!
//! Semantics: every required query term must match (AND; see [`query_terms`]). If no paper
//! matches them all, every paper sharing a term with the query is a candidate, so a query never
//! comes back empty while some paper shares a word with it. Ranking is BM25 (k1 = [`K1`],
//! b = [`B`]) computed from the signatures: idf from the row popcounts (less the expected false
//! positives), term frequency from the [`TF_LEVELS`] buckets, paper length from the LENGTHS
//! section; a title match weighs `1 + TITLE_BOOST`. Ties go to the lower paper number.
//! The constants were chosen on SciFact with `paperbloom eval` (see BENCHMARKS.md).
//!
//! Invariants:
//! - No false negatives: a paper containing every query term is always a candidate (Bloom
//!   filters only err towards "maybe").
//! - No false positives shown: every returned hit is re-checked against the paper's stored
//!   text with the same tokenizer; its match count is exact, and a term found to be a false
//!   positive is taken out of its score.
//! - A [`Searcher`] reuses its buffers, so repeated searches do not grow memory.

use crate::hash::{positions, term_hash, Field, TF_LEVELS};
use crate::index::{Index, IndexError, Shard};
use crate::tokenize::{scan, scan_unstemmed, stem, stem_prefix, Mode};

/// Extra weight of a term found in the title.
pub const TITLE_BOOST: f32 = 0.25;
/// BM25's term-frequency saturation.
pub const K1: f32 = 1.2;
/// BM25's length normalization.
pub const B: f32 = 0.75;
/// Query terms beyond this many are ignored (bounds the work of pasted paragraphs).
pub const MAX_QUERY_TERMS: usize = 32;

/// One ranked result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Paper number in the index.
    pub doc: u32,
    /// Relevance score (higher is better).
    pub score: f32,
    /// Required query terms the paper contains.
    pub matched: u32,
    /// Byte offset in the abstract of the first query term found there (for the excerpt);
    /// `None` in a returned hit means no query term occurs in the abstract.
    pub anchor: Option<usize>,
}

/// The outcome of one search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// The normalized query terms that were searched: the required ones first.
    pub terms: Vec<String>,
    /// How many of `terms` are required (the rest are optional parts of compounds).
    pub required: usize,
    /// Best hits first, at most the requested limit.
    pub hits: Vec<Hit>,
    /// Papers that match (all terms, or in fallback mode at least one), estimated before
    /// verification: may exceed the exact count by the Bloom false positives.
    pub total: usize,
    /// True when no paper matched every term and the hits are partial matches.
    pub partial: bool,
}

/// Reusable search state (buffers), one per thread.
#[derive(Debug, Default)]
pub struct Searcher {
    any: Vec<u64>,
    title: Vec<u64>,
    acc: Vec<u64>,
    tf: Vec<u64>,
    candidates: Vec<Candidate>,
    seen: Vec<bool>,
}

/// A hit before verification, with where its bits are.
#[derive(Clone, Debug)]
struct Candidate {
    hit: Hit,
    word: u32,
    bit: u32,
}

fn and_rows(index: &Index<'_>, shard: &Shard, hash: u64, out: &mut [u64]) {
    out.fill(u64::MAX);
    if let Some(last) = out.last_mut() {
        let tail = shard.len % 64;
        if tail != 0 {
            *last = (1u64 << tail) - 1;
        }
    }
    for r in positions(hash, index.k(), shard.m) {
        let row = index.row(shard, r);
        for (w, chunk) in out.iter_mut().zip(row.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *w &= u64::from_le_bytes(b);
        }
    }
}

/// BM25's idf for a term in `df` of `n` papers.
pub fn idf(df: usize, n: usize) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The distinct terms of `query`: first the *required* ones, in order (plain words, and
/// compounds as their joined form, as [`Mode::Query`] gives them), then the *optional* parts of
/// compounds ("SQ-GAN" requires "sqgan" and scores "sq", "gan" too, so "SQ GAN" and "SQGAN"
/// papers are both found and ranked). Returns the terms and how many are required; at most
/// [`MAX_QUERY_TERMS`] of each kind.
pub fn query_terms(query: &str) -> (Vec<String>, usize) {
    let mut required: Vec<String> = Vec::new();
    scan(query, Mode::Query, |t, _, _| {
        if !required.iter().any(|q| q == t) {
            required.push(t.to_string());
        }
        required.len() < MAX_QUERY_TERMS
    });
    let n_required = required.len();
    let mut all = required;
    scan(query, Mode::Index, |t, _, _| {
        if !all.iter().any(|q| q == t) {
            all.push(t.to_string());
        }
        all.len() < n_required + MAX_QUERY_TERMS
    });
    (all, n_required)
}

impl Searcher {
    /// A searcher with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Searches `query`, returning at most `limit` verified hits.
    pub fn search(&mut self, index: &Index<'_>, query: &str, limit: usize) -> Result<SearchResults, IndexError> {
        let (terms, required) = query_terms(query);
        let mut results = SearchResults { terms, required, ..SearchResults::default() };
        let nt = results.terms.len();
        if required == 0 || limit == 0 || index.papers() == 0 {
            return Ok(results);
        }
        let shards: Vec<Shard> = (0..index.shard_count()).map(|i| index.shard(i)).collect::<Result<_, _>>()?;
        let total_words: usize = shards.iter().map(|s| s.words as usize).sum();
        let levels = TF_LEVELS.len();
        for (buf, n) in [(&mut self.any, nt), (&mut self.title, nt), (&mut self.tf, nt * levels), (&mut self.acc, 1)] {
            buf.clear();
            buf.resize(n * total_words, 0);
        }

        // Per term and shard: "may contain".
        let mut df = vec![0usize; nt];
        for (t, term) in results.terms.iter().enumerate() {
            let ha = term_hash(Field::Any, term);
            let mut off = 0;
            for s in &shards {
                let w = s.words as usize;
                let any = &mut self.any[t * total_words + off..t * total_words + off + w];
                and_rows(index, s, ha, any);
                df[t] += any.iter().map(|x| x.count_ones() as usize).sum::<usize>();
                off += w;
            }
        }
        let n = index.papers() as usize;
        // df counts Bloom false positives too; remove their expected number.
        let fp = index.target_false_positive_rate() * n as f64;
        let idfs: Vec<f32> = df.iter().map(|&d| idf(((d as f64 - fp).round().max(1.0)) as usize, n)).collect();

        // AND of the required terms; if empty, OR of all terms (ranking orders partial matches).
        self.acc.copy_from_slice(&self.any[..total_words]);
        for t in 1..required {
            for (a, b) in self.acc.iter_mut().zip(&self.any[t * total_words..(t + 1) * total_words]) {
                *a &= b;
            }
        }
        if self.acc.iter().all(|&w| w == 0) {
            results.partial = true;
            for t in 1..nt {
                for (a, b) in self.acc.iter_mut().zip(&self.any[t * total_words..(t + 1) * total_words]) {
                    *a |= b;
                }
            }
        }

        // "In the title" and "at least TF_LEVELS[i] times", only for the words of 64 papers that
        // hold candidates: for a selective query that is a few words, not whole rows.
        let mut word_base = 0usize;
        let mut pos = Vec::new();
        for s in &shards {
            let words = word_base..word_base + s.words as usize;
            if self.acc[words.clone()].iter().all(|&x| x == 0) {
                word_base = words.end;
                continue;
            }
            for (t, term) in results.terms.iter().enumerate() {
                let fields = std::iter::once(Field::Title).chain((0..levels).map(|l| Field::TfAtLeast(l as u8)));
                for (f, field) in fields.enumerate() {
                    pos.clear();
                    pos.extend(positions(term_hash(field, term), index.k(), s.m));
                    for w in words.clone() {
                        let live = self.acc[w] & self.any[t * total_words + w];
                        if live == 0 {
                            continue;
                        }
                        let mut bits = live;
                        for &r in &pos {
                            bits &= index.row_word(s, r, (w - word_base) as u32);
                        }
                        match f {
                            0 => self.title[t * total_words + w] = bits,
                            l => self.tf[(t * levels + l - 1) * total_words + w] = bits,
                        }
                    }
                }
            }
            word_base = words.end;
        }

        // Score candidates from the bit vectors.
        let params = Bm25::get();
        let avg = index.avg_length().max(1.0);
        self.candidates.clear();
        let mut word_base = 0usize;
        for s in &shards {
            for w in 0..s.words as usize {
                let mut bits = self.acc[word_base + w];
                while bits != 0 {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    let doc = s.first + w as u32 * 64 + b;
                    let norm = 1.0 - params.b + params.b * index.length(doc) as f32 / avg;
                    let (mut score, mut matched) = (0.0f32, 0u32);
                    for (t, &idf) in idfs.iter().enumerate() {
                        if let Some(x) = self.term_score(t, total_words, word_base + w, b, idf, norm, &params) {
                            score += x;
                            matched += u32::from(t < required);
                        }
                    }
                    self.candidates.push(Candidate {
                        hit: Hit { doc, score, matched, anchor: None },
                        word: (word_base + w) as u32,
                        bit: b,
                    });
                }
            }
            word_base += s.words as usize;
        }
        results.total = self.candidates.len();
        self.candidates.sort_unstable_by(|a, b| order(&a.hit, &b.hit));

        // Verify in rank order against the stored text until `limit` real hits are found.
        // A word can only stem to a query term if it starts with the term's stem prefix; only
        // such words are stemmed, which keeps verification cheap.
        let prefixes: Vec<&str> = results.terms.iter().map(|t| stem_prefix(t)).collect();
        let mut hits = Vec::new();
        let mut seen = std::mem::take(&mut self.seen);
        seen.clear();
        seen.resize(nt, false);
        for c in &self.candidates {
            if hits.len() >= limit {
                break;
            }
            let rec = index.doc(c.hit.doc)?;
            seen.fill(false);
            let terms = &results.terms;
            let title_hit = |tok: &str| matching_term(terms, &prefixes, tok);
            scan_unstemmed(rec.title, Mode::Index, |tok, _, _| {
                if let Some(t) = title_hit(tok) {
                    seen[t] = true;
                }
                true
            });
            // The abstract: stop once every term is seen and the excerpt anchor is known.
            let mut anchor = None;
            let mut missing = seen.iter().filter(|&&b| !b).count();
            scan_unstemmed(rec.abstract_text, Mode::Index, |tok, start, _| {
                if let Some(t) = matching_term(terms, &prefixes, tok) {
                    anchor.get_or_insert(start);
                    if !seen[t] {
                        seen[t] = true;
                        missing -= 1;
                    }
                }
                missing > 0 || anchor.is_none()
            });
            let matched = seen[..required].iter().filter(|&&b| b).count() as u32;
            if !seen.contains(&true) || (!results.partial && matched < required as u32) {
                continue; // a Bloom false positive
            }
            let mut hit = Hit { anchor, ..c.hit.clone() };
            let all_matched = seen.iter().filter(|&&b| b).count();
            let bits_matched =
                (0..nt).filter(|&t| self.any[t * total_words + c.word as usize] & (1u64 << c.bit) != 0).count();
            if all_matched != bits_matched {
                // A term was a false positive for this paper: score only the real ones.
                let norm = 1.0 - params.b + params.b * index.length(c.hit.doc) as f32 / avg;
                hit.score = (0..nt)
                    .filter(|&t| seen[t])
                    .filter_map(|t| self.term_score(t, total_words, c.word as usize, c.bit, idfs[t], norm, &params))
                    .sum();
                hit.matched = matched;
            }
            hits.push(hit);
        }
        self.seen = seen;
        hits.sort_by(order);
        results.hits = hits;
        Ok(results)
    }

    /// BM25 contribution of term `t` to the paper at (`word`, `bit`), if the paper may contain it.
    #[allow(clippy::too_many_arguments)]
    fn term_score(
        &self,
        t: usize,
        total_words: usize,
        word: usize,
        bit: u32,
        idf: f32,
        norm: f32,
        p: &Bm25,
    ) -> Option<f32> {
        let mask = 1u64 << bit;
        if self.any[t * total_words + word] & mask == 0 {
            return None;
        }
        let levels = TF_LEVELS.len();
        let level = (0..levels).take_while(|&l| self.tf[(t * levels + l) * total_words + word] & mask != 0).count();
        let tf = TF_ESTIMATE[level];
        let boost = if self.title[t * total_words + word] & mask != 0 { 1.0 + p.title_boost } else { 1.0 };
        Some(idf * boost * tf * (p.k1 + 1.0) / (tf + p.k1 * norm))
    }
}

/// The query term that the normalized, unstemmed word `tok` stems to, if any.
fn matching_term(terms: &[String], prefixes: &[&str], tok: &str) -> Option<usize> {
    let mut stemmed: Option<std::borrow::Cow<'_, str>> = None;
    for (t, (term, prefix)) in terms.iter().zip(prefixes).enumerate() {
        if tok.starts_with(prefix) && *stemmed.get_or_insert_with(|| stem(tok)) == term.as_str() {
            return Some(t);
        }
    }
    None
}

/// Best first: score, then the lower paper number.
fn order(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc))
}

/// The term frequency assumed for a paper in each bucket: once, 2–3, 4–7, 8 or more times.
const TF_ESTIMATE: [f32; 4] = [1.0, 2.5, 5.5, 10.0];

/// BM25 parameters.
#[derive(Clone, Copy, Debug)]
struct Bm25 {
    k1: f32,
    b: f32,
    title_boost: f32,
}

impl Bm25 {
    fn get() -> Self {
        Self { k1: K1, b: B, title_boost: TITLE_BOOST }
    }
}
