//! Query → ranked hits over an [`Index`].
//!
//! Semantics: every query term must match (AND). If no paper matches all terms, the papers
//! matching the most terms come first (then fewer), so a query never comes back empty while
//! some paper shares a word with it. Ranking: the sum over matched terms of BM25's idf, with a
//! title match weighted `1 + TITLE_BOOST`; ties go to the lower paper number (deterministic).
//!
//! Invariants:
//! - No false negatives: a paper containing every query term is always a candidate (Bloom
//!   filters only err towards "maybe").
//! - No false positives shown: every returned hit is re-checked against the paper's stored
//!   text with the same tokenizer, and its match count and score are exact.
//! - A [`Searcher`] reuses its buffers, so repeated searches do not grow memory.

use crate::hash::{positions, term_hash, Field};
use crate::index::{Index, IndexError, Shard};
use crate::tokenize::{scan, Mode};

/// Extra weight of a term found in the title (measured choice is issue-level work; 1.0 keeps
/// title matches at double weight).
pub const TITLE_BOOST: f32 = 1.0;
/// Query terms beyond this many are ignored (bounds the work of pasted paragraphs).
pub const MAX_QUERY_TERMS: usize = 32;

/// One ranked result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Paper number in the index.
    pub doc: u32,
    /// Relevance score (higher is better).
    pub score: f32,
    /// Query terms the paper contains.
    pub matched: u32,
    /// Byte offset in the abstract of the first query term found there (for the excerpt);
    /// `None` in a returned hit means no query term occurs in the abstract.
    pub anchor: Option<usize>,
}

/// The outcome of one search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// The normalized query terms that were searched.
    pub terms: Vec<String>,
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
    candidates: Vec<Hit>,
    seen: Vec<bool>,
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

/// The distinct query terms of `query`, in order, at most [`MAX_QUERY_TERMS`].
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    scan(query, Mode::Query, |t, _, _| {
        if !terms.iter().any(|q| q == t) {
            terms.push(t.to_string());
        }
        terms.len() < MAX_QUERY_TERMS
    });
    terms
}

impl Searcher {
    /// A searcher with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Searches `query`, returning at most `limit` verified hits.
    pub fn search(&mut self, index: &Index<'_>, query: &str, limit: usize) -> Result<SearchResults, IndexError> {
        let terms = query_terms(query);
        let mut results = SearchResults { terms, ..SearchResults::default() };
        let nt = results.terms.len();
        if nt == 0 || limit == 0 || index.papers() == 0 {
            return Ok(results);
        }
        let shards: Vec<Shard> = (0..index.shard_count()).map(|i| index.shard(i)).collect::<Result<_, _>>()?;
        let total_words: usize = shards.iter().map(|s| s.words as usize).sum();
        self.any.clear();
        self.any.resize(nt * total_words, 0);
        self.title.clear();
        self.title.resize(nt * total_words, 0);
        self.acc.clear();
        self.acc.resize(total_words, 0);

        // Per term and shard: "may contain" and "may contain in title" bit vectors.
        let mut df = vec![0usize; nt];
        for (t, term) in results.terms.iter().enumerate() {
            let (ha, ht) = (term_hash(Field::Any, term), term_hash(Field::Title, term));
            let mut off = t * total_words;
            for s in &shards {
                let w = s.words as usize;
                and_rows(index, s, ha, &mut self.any[off..off + w]);
                and_rows(index, s, ht, &mut self.title[off..off + w]);
                for i in off..off + w {
                    self.title[i] &= self.any[i];
                    df[t] += self.any[i].count_ones() as usize;
                }
                off += w;
            }
        }
        let n = index.papers() as usize;
        let idfs: Vec<f32> = df.iter().map(|&d| idf(d, n)).collect();

        // AND of all terms; if empty, OR (fallback to the papers matching the most terms).
        self.acc.copy_from_slice(&self.any[..total_words]);
        for t in 1..nt {
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

        // Score candidates from the bit vectors.
        self.candidates.clear();
        let mut word_base = 0usize;
        for s in &shards {
            for w in 0..s.words as usize {
                let mut bits = self.acc[word_base + w];
                while bits != 0 {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let at = word_base + w;
                    let (mut score, mut matched) = (0.0f32, 0u32);
                    let mask = 1u64 << b;
                    for (t, idf) in idfs.iter().enumerate() {
                        if self.any[t * total_words + at] & mask != 0 {
                            matched += 1;
                            let boost =
                                if self.title[t * total_words + at] & mask != 0 { 1.0 + TITLE_BOOST } else { 1.0 };
                            score += idf * boost;
                        }
                    }
                    let doc = s.first + (w * 64 + b) as u32;
                    self.candidates.push(Hit { doc, score, matched, anchor: None });
                }
            }
            word_base += s.words as usize;
        }
        results.total = self.candidates.len();
        let order =
            |a: &Hit, b: &Hit| b.matched.cmp(&a.matched).then(b.score.total_cmp(&a.score)).then(a.doc.cmp(&b.doc));
        self.candidates.sort_unstable_by(order);

        // Verify in rank order against the stored text until `limit` real hits are found.
        self.seen.clear();
        self.seen.resize(nt * 2, false);
        for c in &self.candidates {
            if results.hits.len() >= limit {
                break;
            }
            let rec = index.doc(c.doc)?;
            let seen = &mut self.seen;
            seen.fill(false);
            let terms = &results.terms;
            scan(rec.title, Mode::Index, |tok, _, _| {
                if let Some(t) = terms.iter().position(|q| q == tok) {
                    seen[t] = true;
                    seen[nt + t] = true;
                }
                true
            });
            // The abstract: stop once every term is seen and the excerpt anchor is known.
            let mut anchor = None;
            let mut missing = seen[..nt].iter().filter(|&&b| !b).count();
            scan(rec.abstract_text, Mode::Index, |tok, start, _| {
                if let Some(t) = terms.iter().position(|q| q == tok) {
                    anchor.get_or_insert(start);
                    if !seen[t] {
                        seen[t] = true;
                        missing -= 1;
                    }
                }
                missing > 0 || anchor.is_none()
            });
            let matched = seen[..nt].iter().filter(|&&b| b).count() as u32;
            if matched == 0 || (!results.partial && matched < nt as u32) {
                continue; // a Bloom false positive
            }
            let score = (0..nt)
                .filter(|&t| seen[t])
                .map(|t| idfs[t] * if seen[nt + t] { 1.0 + TITLE_BOOST } else { 1.0 })
                .sum();
            results.hits.push(Hit { doc: c.doc, score, matched, anchor });
        }
        results.hits.sort_by(order);
        Ok(results)
    }
}
