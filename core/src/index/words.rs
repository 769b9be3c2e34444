//! The WORDS section: every distinct normalized, unstemmed word of the digest (as the tokenizer
//! emits it in [`crate::tokenize::Mode::Index`], compound parts and joined forms included),
//! sorted by bytes and front-coded, read in place. It is what search-as-you-type prefixes, typo
//! tolerance and "did you mean" look words up in; a word's index term is `stem(word)`.
//!
//! Layout (all integers little-endian):
//! ```text
//! u32 words, u32 blocks, u32 filter words F, u32 first-character bytes C,
//! blocks × u32 offset of the block from the start of the block data,
//! C bytes: the distinct first characters of the words, in order (UTF-8),
//! F × u64: the membership filter,
//! ⌈words / 2⌉ bytes: each word's commonness, 4 bits (word i in the low nibble of byte i / 2
//!   when i is even, the high one when odd),
//! block data: per block of up to BLOCK words,
//!   first word: varint length, bytes
//!   each next:  varint bytes shared with the previous word, varint suffix length, suffix bytes
//! ```
//! Invariants: words are strictly increasing (so every word is distinct and non-empty) and
//! valid UTF-8; a block's first word is stored whole, so a lookup binary-searches the block
//! heads and decodes one block. `F` is [`filter_words`] of the word count (0 past
//! [`FILTER_MAX_WORDS`]: no filter), and every word passes the filter (`filter_slot`: a
//! blocked Bloom filter, all of a word's bits in one `u64`, ~3% false positives at
//! [`FILTER_BITS`] bits per word), so a word that fails it is not in the list and costs no
//! search: a one-edit typo lookup tries up to four words per first character of the list,
//! nearly all of them absent. A word's commonness is [`commonness`] of the number of papers
//! that have it: what a prefix's completions are ranked by ([`Words::completions`]).

pub mod osa;

use super::format::{put_varint, u32_at, u64_at, Cursor, IndexError};
use crate::hash::word_hash;
use osa::{Osa, State};

/// Words per front-coded block.
pub const BLOCK: usize = 16;

/// Longest word the section may hold, in bytes (the tokenizer cuts longer ones to less).
const MAX_WORD: usize = 255;

/// Membership filter bits per word.
pub const FILTER_BITS: usize = 8;

/// The longest list with a membership filter. A search looks the typos of a longer list's
/// words up only among the words with the target's first character (a scan, not lookups:
/// [`crate::search::ANCHORED_TYPOS_FROM`]), where a filter would save little for its size
/// (registry-100k: 187 kB for 187k words).
pub const FILTER_MAX_WORDS: usize = 65_536;

/// The `u64` words of the membership filter of `count` words (none past [`FILTER_MAX_WORDS`]).
pub fn filter_words(count: usize) -> usize {
    if count > FILTER_MAX_WORDS {
        return 0;
    }
    (count * FILTER_BITS).div_ceil(64)
}

/// The filter word (of `words`) a word with [`word_hash`] `h` selects, and the bits (up to
/// four) it sets there.
fn filter_slot(h: u64, words: usize) -> (usize, u64) {
    let at = ((h >> 32) * words as u64) >> 32; // Lemire's multiply-shift: < words
    let bits = (0..4).fold(0u64, |m, i| m | 1 << ((h >> (6 * i)) & 63));
    (at as usize, bits)
}

/// The commonness of a word in `papers` papers: ⌊log2 papers⌋, at most 15 (a word in 1 paper
/// is 0, in 2–3 is 1, …, in 32,768 or more is 15).
pub fn commonness(papers: u32) -> u8 {
    papers.max(1).ilog2().min(15) as u8
}

/// Encodes `words` (sorted, distinct), each with the number of papers that have it, as a
/// WORDS section.
pub fn encode<'w>(words: impl ExactSizeIterator<Item = (&'w str, u32)>) -> Vec<u8> {
    let n = words.len();
    let blocks = n.div_ceil(BLOCK);
    let mut offsets = Vec::with_capacity(blocks);
    let mut data = Vec::new();
    let mut filter = vec![0u64; filter_words(n)];
    let mut firsts = String::new();
    let mut common = vec![0u8; n.div_ceil(2)];
    let mut prev: &str = "";
    for (i, (w, papers)) in words.enumerate() {
        common[i / 2] |= commonness(papers) << (4 * (i % 2));
        if !filter.is_empty() {
            let (at, bits) = filter_slot(word_hash(&[w.as_bytes()]), filter.len());
            filter[at] |= bits;
        }
        if let Some(c) = w.chars().next().filter(|&c| !prev.starts_with(c)) {
            firsts.push(c);
        }
        if i % BLOCK == 0 {
            offsets.push(data.len() as u32);
            put_varint(&mut data, w.len() as u64);
            data.extend_from_slice(w.as_bytes());
        } else {
            let shared = common_prefix(prev.as_bytes(), w.as_bytes());
            put_varint(&mut data, shared as u64);
            put_varint(&mut data, (w.len() - shared) as u64);
            data.extend_from_slice(&w.as_bytes()[shared..]);
        }
        prev = w;
    }
    let mut out = Vec::with_capacity(16 + blocks * 4 + firsts.len() + filter.len() * 8 + common.len() + data.len());
    for v in [n, blocks, filter.len(), firsts.len()] {
        out.extend_from_slice(&(v as u32).to_le_bytes());
    }
    for o in offsets {
        out.extend_from_slice(&o.to_le_bytes());
    }
    out.extend_from_slice(firsts.as_bytes());
    for f in filter {
        out.extend_from_slice(&f.to_le_bytes());
    }
    out.extend_from_slice(&common);
    out.extend_from_slice(&data);
    out
}

/// What a word-list scan does after a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Go on with the next word.
    Next,
    /// Stop the scan.
    Stop,
    /// Skip every following word that starts with this many bytes of the current word.
    SkipPrefix(usize),
    /// Skip every following word that sorts before this many bytes of the current word
    /// followed by this character (all of them start with those bytes).
    SkipTo(usize, char),
}

/// `a < b` for the short byte strings a seek compares (a loop, not a call to `memcmp`).
#[inline]
fn before(a: &[u8], b: &[u8]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x < y;
        }
    }
    a.len() < b.len()
}

/// Writes into `out` the smallest byte string greater than every string starting with `prefix`;
/// false when there is none.
fn successor(prefix: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    out.extend_from_slice(prefix);
    while let Some(last) = out.pop() {
        if last < u8::MAX {
            out.push(last + 1);
            return true;
        }
    }
    false
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The words of a prefix's range that may be among its completions, with their bytes in one
/// buffer. Words are offered in byte order and numbered as offered, so a word's place in either
/// order is one `u64` key (lower is better): [`Found::common_key`] (most common, then shortest,
/// then first offered) and [`Found::short_key`] (shortest, then first offered). Invariant: every
/// word offered that is among the `keep` best offered by either key is held, in offer order.
#[derive(Default)]
struct Found {
    bytes: Vec<u8>,
    /// Per word held: number offered, commonness, start and length in `bytes`.
    words: Vec<(u64, u8, u32, u32)>,
    /// Words offered so far.
    offered: u64,
    /// After a pruning, the worst key kept by each order: a later word worse by both is not held.
    worst: Option<(u64, u64)>,
}

impl Found {
    /// Most common, then shortest, then first offered (`len` < 4096, fewer than 2^48 offered).
    fn common_key(seq: u64, commonness: u8, len: usize) -> u64 {
        u64::from(15 - commonness.min(15)) << 60 | Self::short_key(seq, len)
    }

    /// Shortest, then first offered.
    fn short_key(seq: u64, len: usize) -> u64 {
        (len as u64 & 0xfff) << 48 | seq
    }

    /// The number offered of the word with key `key` (of either order).
    fn seq(key: u64) -> u64 {
        key & ((1 << 48) - 1)
    }

    fn word(&self, i: usize) -> &[u8] {
        let (_, _, start, len) = self.words[i];
        &self.bytes[start as usize..(start + len) as usize]
    }

    /// The word held that was offered as number `seq`.
    fn held(&self, seq: u64) -> Option<usize> {
        self.words.binary_search_by_key(&seq, |w| w.0).ok()
    }

    /// The keys of the `keep` best words held by the common key (or the short one), best first.
    fn best(&self, keep: usize, common: bool) -> Vec<u64> {
        let mut keys: Vec<u64> = self
            .words
            .iter()
            .map(
                |&(seq, c, _, len)| {
                    if common {
                        Self::common_key(seq, c, len as usize)
                    } else {
                        Self::short_key(seq, len as usize)
                    }
                },
            )
            .collect();
        keys.sort_unstable();
        keys.truncate(keep);
        keys
    }

    /// Holds `w` unless it is worse than the worst word kept by each order at the last pruning;
    /// prunes to the `keep` best by each order when `4 · keep` words are held.
    fn offer(&mut self, commonness: u8, w: &[u8], keep: usize) {
        let seq = self.offered;
        self.offered += 1;
        if let Some((common, short)) = self.worst {
            if Self::common_key(seq, commonness, w.len()) > common && Self::short_key(seq, w.len()) > short {
                return;
            }
        }
        self.words.push((seq, commonness, self.bytes.len() as u32, w.len() as u32));
        self.bytes.extend_from_slice(w);
        if self.words.len() >= 4 * keep.max(8) {
            self.prune(keep);
        }
    }

    /// Keeps only the `keep` best words by each order (in offer order).
    fn prune(&mut self, keep: usize) {
        let (common, short) = (self.best(keep, true), self.best(keep, false));
        let mut kept: Vec<u64> = common.iter().chain(&short).map(|&k| Self::seq(k)).collect();
        kept.sort_unstable();
        let (mut bytes, mut words) = (Vec::new(), Vec::new());
        for i in 0..self.words.len() {
            let (seq, c, _, len) = self.words[i];
            if kept.binary_search(&seq).is_ok() {
                words.push((seq, c, bytes.len() as u32, len));
                bytes.extend_from_slice(self.word(i));
            }
        }
        self.worst = common.last().zip(short.last()).map(|(&c, &s)| (c, s));
        (self.bytes, self.words) = (bytes, words);
    }
}

/// The words a prefix completes to ([`Words::completions`]), best first, in one buffer.
#[derive(Debug, Default)]
pub struct Completions {
    text: String,
    /// Where each word ends in `text` (each starts where the one before ends).
    ends: Vec<u32>,
}

impl Completions {
    fn push(&mut self, w: &str) {
        self.text.push_str(w);
        self.ends.push(self.text.len() as u32);
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The words, best first.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(a, &b)| self.text.get(a as usize..b as usize).unwrap_or_default())
    }
}

/// A zero-copy view of a WORDS section.
#[derive(Clone, Copy, Debug)]
pub struct Words<'a> {
    count: u32,
    blocks: u32,
    table: &'a [u8],
    /// The distinct first characters of the words, in order.
    firsts: &'a str,
    /// [`filter_words`]`(count)` little-endian `u64`s.
    filter: &'a [u8],
    /// `⌈count / 2⌉` bytes, two words' [`commonness`] each.
    common: &'a [u8],
    data: &'a [u8],
}

fn corrupt(what: &str) -> IndexError {
    IndexError::Corrupt(format!("word list: {what}"))
}

impl<'a> Words<'a> {
    /// Opens a WORDS section, checking its table bounds (block contents are checked as read).
    pub fn open(bytes: &'a [u8]) -> Result<Self, IndexError> {
        let field = |at: usize| u32_at(bytes, at).map(|v| v as usize).ok_or_else(|| corrupt("truncated"));
        let (count, blocks, filter_len, firsts_len) = (field(0)?, field(4)?, field(8)?, field(12)?);
        if blocks != count.div_ceil(BLOCK) {
            return Err(corrupt("block count disagrees with word count"));
        }
        if filter_len != filter_words(count) {
            return Err(corrupt("filter size disagrees with word count"));
        }
        let mut at: usize = 16;
        let mut take = |len: usize, what: &str| {
            let part = at.checked_add(len).and_then(|end| bytes.get(at..end)).ok_or_else(|| corrupt(what))?;
            at += len;
            Ok::<_, IndexError>(part)
        };
        let table = take(blocks * 4, "block table outside the section")?;
        let firsts = take(firsts_len, "first characters outside the section")?;
        let firsts = std::str::from_utf8(firsts).map_err(|_| corrupt("first characters are not UTF-8"))?;
        let filter = take(filter_len * 8, "filter outside the section")?;
        let common = take(count.div_ceil(2), "commonness outside the section")?;
        let data = &bytes[at..];
        Ok(Self { count: count as u32, blocks: blocks as u32, table, firsts, filter, common, data })
    }

    /// The empty word list.
    pub fn empty() -> Self {
        Self { count: 0, blocks: 0, table: &[], firsts: "", filter: &[], common: &[], data: &[] }
    }

    /// The [`commonness`] of word number `i` (0 past the last word).
    fn commonness_of(&self, i: usize) -> u8 {
        self.common.get(i / 2).map_or(0, |b| (b >> (4 * (i % 2))) & 15)
    }

    /// False when the word spelled by `parts` one after another is surely not in the list
    /// (the membership filter); true when it may be (always, in a list without a filter).
    fn may_contain(&self, parts: &[&[u8]]) -> bool {
        let words = self.filter.len() / 8;
        if words == 0 {
            return self.count > 0;
        }
        let (at, bits) = filter_slot(word_hash(parts), words);
        u64_at(self.filter, at * 8).is_some_and(|w| w & bits == bits)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// True when there are no words.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn block_start(&self, b: u32) -> Result<usize, IndexError> {
        let off = u32_at(self.table, b as usize * 4).ok_or_else(|| corrupt("block out of range"))? as usize;
        if off > self.data.len() {
            return Err(corrupt("block offset outside the section"));
        }
        Ok(off)
    }

    /// The first word of block `b`, borrowed.
    fn head(&self, b: u32) -> Result<&'a [u8], IndexError> {
        let mut c = Cursor::new(&self.data[self.block_start(b)?..]);
        c.bytes()
    }

    /// Calls `f(word, shared)` for every word from the start of block `first_block` on, in order,
    /// where `shared` is the number of leading bytes the word shares with the previous word
    /// visited (0 for the first); stops when `f` returns false.
    pub fn scan_from(&self, first_block: u32, mut f: impl FnMut(&str, usize) -> bool) -> Result<(), IndexError> {
        let mut bad = false;
        self.scan_bytes(first_block, |w, shared| match std::str::from_utf8(w) {
            Ok(s) if f(s, shared) => Step::Next,
            Ok(_) => Step::Stop,
            Err(_) => {
                bad = true;
                Step::Stop
            }
        })?;
        if bad {
            return Err(corrupt("word is not UTF-8"));
        }
        Ok(())
    }

    /// [`Words::scan_from`] over raw bytes (not checked to be UTF-8), where `f` may also skip
    /// the following words that start with the first bytes of the current one
    /// ([`Step::SkipPrefix`], [`Step::SkipTo`]): words in the current block are stepped over,
    /// farther blocks are jumped to by binary search over the block heads without being
    /// decoded. `f`'s second argument is the number of bytes the word shares with the last
    /// word `f` was called with (skipped words in between share at least as many with both).
    fn scan_bytes(&self, first_block: u32, mut f: impl FnMut(&[u8], usize) -> Step) -> Result<(), IndexError> {
        let mut word: Vec<u8> = Vec::with_capacity(64);
        let mut skip: Option<usize> = None; // words sharing at least this many bytes are skipped
        let mut seek: Option<usize> = None; // words before `next` are skipped (it is n bytes of theirs + a char)
        let mut next: Vec<u8> = Vec::with_capacity(64); // the first key past the words skipped
        let mut since = 0; // bytes `word` shares with the last word `f` was called with
        let mut b = first_block;
        'blocks: while b < self.blocks {
            let start = self.block_start(b)?;
            let mut c = Cursor::new(&self.data[start..]);
            let in_block = (self.count as usize - b as usize * BLOCK).min(BLOCK);
            // The next block's head (`None` past the last), read at the block's first skip:
            // most skips end in the same block, told by one comparison.
            let mut next_head: Option<Option<&[u8]>> = None;
            for i in 0..in_block {
                let shared = if i == 0 {
                    let head = c.bytes()?;
                    let shared = common_prefix(&word, head);
                    word.clear();
                    word.extend_from_slice(head);
                    shared
                } else {
                    let shared = c.varint()? as usize;
                    let suffix = c.bytes()?;
                    if skip.is_some_and(|n| shared >= n) {
                        // Skipped without being spelled out: `word` keeps the first n bytes
                        // every word skipped shares, all the next word can share unless it is
                        // skipped too.
                        continue;
                    }
                    if shared > word.len() || shared + suffix.len() > MAX_WORD {
                        return Err(corrupt("bad front coding"));
                    }
                    word.truncate(shared);
                    word.extend_from_slice(suffix);
                    shared
                };
                // Sorted words: what two share, every word between them shares with both.
                since = since.min(shared);
                match skip {
                    Some(n) if shared >= n => continue,
                    _ => skip = None,
                }
                if let Some(n) = seek {
                    // A word sharing fewer than n bytes with the one before sorts after every
                    // word starting with those n bytes; the others are compared past them.
                    if shared >= n && word.get(n..).is_some_and(|rest| before(rest, &next[n..])) {
                        continue;
                    }
                    seek = None;
                }
                let step = f(&word, since);
                since = word.len();
                match step {
                    Step::Next => continue,
                    Step::Stop => return Ok(()),
                    Step::SkipPrefix(n) => {
                        let n = n.min(word.len());
                        skip = Some(n);
                        if !successor(&word[..n], &mut next) {
                            return Ok(()); // every later word starts with the prefix
                        }
                    }
                    Step::SkipTo(n, to) => {
                        let n = n.min(word.len());
                        seek = Some(n);
                        next.clear();
                        next.extend_from_slice(&word[..n]);
                        next.extend_from_slice(to.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                }
                let after = match next_head {
                    Some(h) => h,
                    None => *next_head.insert(if b + 1 < self.blocks { Some(self.head(b + 1)?) } else { None }),
                };
                if after.is_some_and(|h| h <= next.as_slice()) {
                    b = self.block_after(b + 1, &next)?;
                    continue 'blocks;
                }
            }
            b += 1;
        }
        Ok(())
    }

    /// Like [`Words::block_for`], for a `key` known to sort after block `from`'s head: gallops
    /// forward from `from` (skips are usually short), then binary-searches the last stride.
    fn block_after(&self, from: u32, key: &[u8]) -> Result<u32, IndexError> {
        let (mut lo, mut step) = (from, 1u32);
        loop {
            let probe = lo.saturating_add(step);
            if probe >= self.blocks || self.head(probe)? > key {
                break;
            }
            lo = probe;
            step = step.saturating_mul(2);
        }
        // The answer is in lo..min(lo + step, blocks): the last block whose head is ≤ key.
        let mut hi = lo.saturating_add(step).min(self.blocks);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.head(mid)? <= key {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(lo)
    }

    /// The block whose words may start at or after `key`: the last block whose head is ≤ `key`.
    fn block_for(&self, key: &[u8]) -> Result<u32, IndexError> {
        self.block_in(0, self.blocks, key)
    }

    /// [`Words::block_for`] among blocks `from..to` (`from` when none of them has a head ≤ `key`).
    fn block_in(&self, from: u32, to: u32, key: &[u8]) -> Result<u32, IndexError> {
        let (mut lo, mut hi) = (from, to.min(self.blocks));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.head(mid)? <= key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(lo.saturating_sub(1).max(from))
    }

    /// Calls `f(word)` for every word starting with `prefix`, in byte order, until it returns
    /// false.
    pub fn with_prefix(&self, prefix: &str, mut f: impl FnMut(&str) -> bool) -> Result<(), IndexError> {
        if self.count == 0 {
            return Ok(());
        }
        let first = self.block_for(prefix.as_bytes())?;
        self.scan_from(first, |w, _| {
            if w.starts_with(prefix) {
                f(w)
            } else {
                w < prefix // before the range: keep going; past it: stop
            }
        })
    }

    /// Up to `keep` words that start with `prefix`, among the first `scan` such words in byte
    /// order: alternately the most common one not yet taken (by [`commonness`], then shortest,
    /// then in byte order) and the shortest one not yet taken (then in byte order) — what the
    /// reader most likely means, and what is nearest to what they typed ("co" completes to
    /// "code" and "co2"). The words are copied into one buffer, pruned to the best of each order
    /// every `4 · keep` (each order a sort of one `u64` key per word); a short prefix ("lib" in
    /// a package index) has thousands of words, and past the first pruning most are passed over
    /// at two integer comparisons, not copied. Only the words returned are checked to be UTF-8.
    pub fn completions(&self, prefix: &str, keep: usize, scan: usize) -> Result<Completions, IndexError> {
        let mut out = Completions::default();
        if self.count == 0 || keep == 0 || scan == 0 {
            return Ok(out);
        }
        let prefix = prefix.as_bytes();
        let first = self.block_for(prefix)?;
        let mut at = first as usize * BLOCK; // the number of the word `f` is called with
        let mut scanned = 0;
        let mut found = Found::default();
        self.scan_bytes(first, |w, _| {
            at += 1; // `f` returns no skip: it is called with every word in turn
            if !w.starts_with(prefix) {
                return if w < prefix { Step::Next } else { Step::Stop };
            }
            found.offer(self.commonness_of(at - 1), w, keep);
            scanned += 1;
            if scanned < scan {
                Step::Next
            } else {
                Step::Stop
            }
        })?;
        let (common, short) = (found.best(keep, true), found.best(keep, false));
        let mut taken = vec![false; found.words.len()];
        // Sized up front for the words taken (a few bytes past the prefix each): growing by
        // doubling cost more than the rest of the copy.
        let n = keep.min(found.words.len());
        out.ends.reserve(n);
        out.text.reserve(n * (prefix.len() + 8));
        let (mut common, mut short) = (common.into_iter(), short.into_iter());
        while out.len() < keep {
            let before = out.len();
            for next in [&mut common, &mut short] {
                let untaken = next.by_ref().filter_map(|k| found.held(Found::seq(k))).find(|&i| !taken[i]);
                if let Some(i) = untaken.filter(|_| out.len() < keep) {
                    taken[i] = true;
                    out.push(std::str::from_utf8(found.word(i)).map_err(|_| corrupt("word is not UTF-8"))?);
                }
            }
            if out.len() == before {
                break;
            }
        }
        Ok(out)
    }

    /// True when `word` is in the list: a binary search over the block heads, then a walk of
    /// one block by its front coding alone. While the words read sort before `word`, `m` is
    /// the number of bytes the last one shares with it; a next word that shares more than `m`
    /// bytes with that one sorts before `word` too and is not spelled out, and the others are
    /// compared from their shared bytes on.
    pub fn contains(&self, word: &str) -> Result<bool, IndexError> {
        if self.count == 0 || !self.may_contain(&[word.as_bytes()]) {
            return Ok(false);
        }
        self.search(word.as_bytes())
    }

    /// True when `key` is in the (non-empty) list, searched without the filter.
    fn search(&self, key: &[u8]) -> Result<bool, IndexError> {
        self.in_block(self.block_for(key)?, key)
    }

    /// True when `key` is in block `b`, which must be the last block whose head is ≤ `key`
    /// (or block 0); see [`Words::contains`].
    fn in_block(&self, b: u32, key: &[u8]) -> Result<bool, IndexError> {
        let mut c = Cursor::new(&self.data[self.block_start(b)?..]);
        let head = c.bytes()?;
        let mut m = common_prefix(head, key);
        if m == head.len() && m == key.len() {
            return Ok(true);
        }
        if m < head.len() && (m == key.len() || head[m] > key[m]) {
            return Ok(false); // every word sorts after `word` (block 0)
        }
        let mut len = head.len(); // of the last word read
        let in_block = (self.count as usize - b as usize * BLOCK).min(BLOCK);
        for _ in 1..in_block {
            let shared = c.varint()? as usize;
            let suffix = c.bytes()?;
            if shared > len || shared + suffix.len() > MAX_WORD {
                return Err(corrupt("bad front coding"));
            }
            len = shared + suffix.len();
            if shared > m {
                continue; // the byte after the m shared with `word` is still the smaller one
            }
            // The word is key[..shared] + suffix.
            let rest = &key[shared..];
            let n = common_prefix(suffix, rest);
            if n == suffix.len() && n == rest.len() {
                return Ok(true);
            }
            if n < suffix.len() && (n == rest.len() || suffix[n] > rest[n]) {
                return Ok(false); // past `word`
            }
            m = shared + n;
        }
        Ok(false) // the next block's head sorts after `word` (block_for)
    }

    /// Calls `f(word, distance)` for every word within `max` edits of `target` (Damerau–
    /// Levenshtein, optimal string alignment: insert, delete, substitute, swap two neighbours;
    /// counted in characters), in byte order. `max` counts as at most 2, and a target of more
    /// than 63 characters finds nothing (see [`osa`]). A pass over the list: the automaton's
    /// states for a shared prefix are reused, and a prefix already beyond `max` skips every
    /// word that starts with it. With one edit the pass covers only the words that start with the
    /// target's first character: any other word within one edit differs from the target at
    /// its start, so it is the target with that character replaced or with a character put
    /// before it, the target without its first character, or the target with its first two
    /// characters swapped — looked up, not scanned, under each first character of the list
    /// (the section's first characters), and searched for only when the membership filter
    /// passes them.
    pub fn within(&self, target: &str, max: u32, mut f: impl FnMut(&str, u32)) -> Result<(), IndexError> {
        match target.chars().next() {
            _ if target.chars().nth(osa::MAX_TARGET).is_some() => Ok(()),
            Some(first) if max == 1 => self.within_one(target, first, &mut f),
            _ => self.scan_within(target, max, "", &mut f),
        }
    }

    /// [`Words::within`] for one edit (see there); `first` is the target's first character.
    fn within_one(&self, target: &str, first: char, f: &mut dyn FnMut(&str, u32)) -> Result<(), IndexError> {
        let (head, rest) = target.split_at(first.len_utf8());
        let second = rest.chars().next();
        let mut found: Vec<String> = Vec::new();
        for x in self.firsts.chars() {
            let mut buf = [0u8; 4];
            let xs: &str = x.encode_utf8(&mut buf);
            if x == first {
                self.scan_within(target, 1, xs, f)?;
                continue;
            }
            // The words that start with x and are one edit from `target`, as pieces: the first
            // character replaced by x, x put before it, and when x is the second character, the
            // first deleted and the first two swapped. They differ in length or in their first
            // two characters, so they are distinct.
            let swapped = second.filter(|&c| c == x).map(|c| [xs, head, &rest[c.len_utf8()..]]);
            let candidates = [Some([xs, rest, ""]), Some([xs, target, ""]), swapped.map(|_| [rest, "", ""]), swapped];
            found.clear();
            for parts in candidates.iter().flatten() {
                let bytes = parts.map(str::as_bytes);
                if self.may_contain(&bytes) {
                    let word = parts.concat();
                    if self.search(word.as_bytes())? {
                        found.push(word);
                    }
                }
            }
            // In byte order (an insertion sort: four words at most, no sort code in the wasm).
            for i in 1..found.len() {
                let mut j = i;
                while j > 0 && found[j] < found[j - 1] {
                    found.swap(j, j - 1);
                    j -= 1;
                }
            }
            for word in &found {
                f(word, 1);
            }
        }
        Ok(())
    }

    /// [`Words::within`] restricted to the words that start with `start` (a binary search
    /// finds their range; large word lists use the target's first character, as Lucene's
    /// fuzzy `prefix_length` 1 does, so the scan reads a few percent of the list).
    pub fn within_starting(
        &self,
        target: &str,
        max: u32,
        start: &str,
        mut f: impl FnMut(&str, u32),
    ) -> Result<(), IndexError> {
        self.scan_within(target, max, start, &mut f)
    }

    /// The pass of [`Words::within_starting`] (one copy of it in the binary, whatever `f`):
    /// the [`Osa`] automaton run over each word's characters, its states for a prefix shared
    /// with the word before kept.
    fn scan_within(&self, target: &str, max: u32, start: &str, f: &mut dyn FnMut(&str, u32)) -> Result<(), IndexError> {
        let Some(osa) = Osa::new(target, max.min(osa::MAX_EDITS as u32)) else {
            return Ok(()); // a target too long to correct
        };
        if self.count == 0 {
            return Ok(());
        }
        let first_block = if start.is_empty() { 0 } else { self.block_for(start.as_bytes())? };
        // states[d]: the automaton after the word's first d characters; ends[d]: the byte end
        // of character d + 1.
        let mut states: Vec<State> = Vec::with_capacity(64);
        states.push(osa.start());
        let mut ends: Vec<usize> = Vec::with_capacity(64);
        let mut bad = false;
        self.scan_bytes(first_block, |bytes, shared_bytes| {
            if !start.is_empty() && !bytes.starts_with(start.as_bytes()) {
                states.truncate(1);
                ends.clear();
                return if bytes < start.as_bytes() { Step::Next } else { Step::Stop };
            }
            // Keep the characters (and states) fully inside the shared byte prefix. (Words
            // that share a prefix whose state is dead were skipped by the scan.)
            let keep = ends.iter().take_while(|&&e| e <= shared_bytes).count();
            ends.truncate(keep);
            states.truncate(keep + 1);
            let mut at = ends.last().copied().unwrap_or(0);
            while let Some(&b) = bytes.get(at) {
                let c = if b < 0x80 {
                    at += 1;
                    char::from(b)
                } else {
                    let Some(c) = decode_char(&bytes[at..]) else {
                        bad = true;
                        return Step::Stop;
                    };
                    at += c.len_utf8();
                    c
                };
                let d = states.len();
                let next = osa.step(&states[d - 1], d.checked_sub(2).map(|p| &states[p]), c);
                if osa.dead(&next) {
                    // Every word starting with these d characters is too far, and so is every
                    // word that has another character here before the next that keeps the
                    // automaton alive: seek to it, or past the d − 1 characters without one.
                    let before = at - c.len_utf8();
                    return match osa.next_alive(&states[d - 1], d.checked_sub(2).map(|p| &states[p]), c) {
                        Some(alive) => Step::SkipTo(before, alive),
                        None => Step::SkipPrefix(before),
                    };
                }
                states.push(next);
                ends.push(at);
            }
            if let Some(dist) = states.last().and_then(|s| osa.distance(s)) {
                match std::str::from_utf8(bytes) {
                    Ok(w) => f(w, dist),
                    Err(_) => {
                        bad = true;
                        return Step::Stop;
                    }
                }
            }
            Step::Next
        })?;
        if bad {
            return Err(corrupt("word is not UTF-8"));
        }
        Ok(())
    }
}

/// The UTF-8 character `bytes` start with, if they start with a valid one.
fn decode_char(bytes: &[u8]) -> Option<char> {
    let width = match bytes.first()? {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    std::str::from_utf8(bytes.get(..width)?).ok()?.chars().next()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A section of `count` words with these block offsets, first characters and block data,
    /// and a filter every word passes (all bits set).
    fn raw(count: u32, offsets: &[u32], firsts: &str, data: &[u8]) -> Vec<u8> {
        let filter = filter_words(count as usize);
        let mut bytes = Vec::new();
        for v in
            [count, offsets.len() as u32, filter as u32, firsts.len() as u32].into_iter().chain(offsets.iter().copied())
        {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        bytes.extend_from_slice(firsts.as_bytes());
        bytes.resize(bytes.len() + filter * 8, 0xff);
        bytes.resize(bytes.len() + count.div_ceil(2) as usize, 0);
        bytes.extend_from_slice(data);
        bytes
    }

    fn list(words: &[&str]) -> Vec<u8> {
        let mut w: Vec<&str> = words.to_vec();
        w.sort_unstable();
        w.dedup();
        encode(w.into_iter().map(|w| (w, 1)))
    }

    fn all(bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        Words::open(bytes)
            .unwrap()
            .scan_from(0, |w, _| {
                out.push(w.to_string());
                true
            })
            .unwrap();
        out
    }

    /// Plain optimal-string-alignment distance, for checking [`Words::within`] (and `osa`).
    pub(super) fn osa(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, x) in d[0].iter_mut().enumerate() {
            *x = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    const SAMPLE: &[&str] = &[
        "federated",
        "federation",
        "fedre",
        "fed",
        "feature",
        "features",
        "hypad",
        "hyperbolic",
        "lighthgnn",
        "light",
        "lightweight",
        "poincare",
        "sqgan",
        "sq",
        "gan",
        "gans",
        "3d",
        "gpt4v",
        "ζeta",
        "zeta",
        "ünïcode",
        "a1",
        "a10",
        "a100",
        "a1000",
        "a10000",
        "a100000",
        "a1000000",
        "a10000000",
        "a100000000",
        "b",
        "bb",
        "bbb",
        "bbbb",
        "bbbbb",
        "bbbbbb",
        "bbbbbbb",
        "bbbbbbbb",
        "bbbbbbbbb",
    ];

    #[test]
    fn round_trips_across_blocks() {
        let bytes = list(SAMPLE);
        let mut want: Vec<&str> = SAMPLE.to_vec();
        want.sort_unstable();
        assert!(want.len() > 2 * BLOCK);
        assert_eq!(all(&bytes), want);
        assert_eq!(Words::open(&bytes).unwrap().len(), want.len());
    }

    #[test]
    fn prefix_ranges_and_membership() {
        let bytes = list(SAMPLE);
        let w = Words::open(&bytes).unwrap();
        let mut got = Vec::new();
        w.with_prefix("fe", |x| {
            got.push(x.to_string());
            true
        })
        .unwrap();
        assert_eq!(got, ["feature", "features", "fed", "federated", "federation", "fedre"]);
        for word in SAMPLE {
            assert!(w.contains(word).unwrap(), "{word}");
        }
        for word in ["", "fe", "federate", "zz", "0", "bbbbbbbbbb"] {
            assert!(!w.contains(word).unwrap(), "{word}");
        }
        let mut none = true;
        w.with_prefix("zzz", |_| {
            none = false;
            true
        })
        .unwrap();
        assert!(none);
    }

    #[test]
    fn within_matches_a_plain_distance_for_every_word() {
        let bytes = list(SAMPLE);
        let w = Words::open(&bytes).unwrap();
        for target in [
            "federaetd",
            "fedre",
            "lihgthgnn",
            "zeta",
            "ζta",
            "bbbb",
            "a1000",
            "x",
            "poincaré",
            "sqgna",
            "ederated",
            "xfederated",
            "efderated",
            "gederated",
            "ighthgnn",
            "ilghthgnn",
            "ζeta",
            "eta",
            "ab",
        ] {
            for max in 0..=2 {
                let mut got = Vec::new();
                w.within(target, max, |x, d| got.push((x.to_string(), d as usize))).unwrap();
                let mut want: Vec<(String, usize)> = SAMPLE
                    .iter()
                    .map(|x| (x.to_string(), osa(x, target)))
                    .filter(|(_, d)| *d <= max as usize)
                    .collect();
                want.sort();
                want.dedup();
                assert_eq!(got, want, "{target} within {max}");
            }
        }
    }

    #[test]
    fn within_skips_dead_prefixes_across_blocks_without_losing_words() {
        // Thousands of words over a small alphabet: many blocks, long shared prefixes, so the
        // scan jumps over whole blocks; the result must equal a brute-force distance.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut words: Vec<String> = (0..4000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let len = 2 + (state % 9) as usize;
                (0..len).map(|i| ['a', 'b', 'c', 'd', 'é'][((state >> (8 + 3 * i)) % 5) as usize]).collect()
            })
            .collect();
        words.sort();
        words.dedup();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let bytes = list(&refs);
        let w = Words::open(&bytes).unwrap();
        // Runs of one character and swapped neighbours, where edits at different places give
        // the same word; one and two characters; words longer than any in the list.
        for target in [
            "abcd",
            "ddddddd",
            "bacadaba",
            "éa",
            "cccccccccc",
            "dab",
            "cdab",
            "dcba",
            "déab",
            "écdb",
            "aab",
            "abba",
            "aaaa",
            "ééa",
            "a",
            "é",
            "ba",
            "bb",
            "abcdabcdabcd",
        ] {
            for max in 0..=2 {
                let mut got = Vec::new();
                w.within(target, max, |x, d| got.push((x.to_string(), d as usize))).unwrap();
                let want: Vec<(String, usize)> =
                    refs.iter().map(|x| (x.to_string(), osa(x, target))).filter(|(_, d)| *d <= max as usize).collect();
                assert_eq!(got, want, "{target} within {max}");
            }
        }
    }

    #[test]
    fn within_starting_is_within_restricted_to_the_start() {
        let bytes = list(SAMPLE);
        let w = Words::open(&bytes).unwrap();
        for (target, start) in [("federaetd", "f"), ("lihgthgnn", "l"), ("ζta", "ζ"), ("sqgna", "s"), ("fedre", "fe")]
        {
            for max in 0..=2 {
                let (mut all, mut some) = (Vec::new(), Vec::new());
                w.within(target, max, |x, d| all.push((x.to_string(), d))).unwrap();
                w.within_starting(target, max, start, |x, d| some.push((x.to_string(), d))).unwrap();
                all.retain(|(x, _)| x.starts_with(start));
                assert_eq!(some, all, "{target} within {max} from {start}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Up to two edits over lists of hundreds of words from a small alphabet (long shared
        /// prefixes, many blocks, dead prefixes sought past): the words and distances of a
        /// brute force, in byte order.
        #[test]
        fn within_two_edits_matches_brute_force(
            words in proptest::collection::btree_set("[abcé𝔸]{1,7}", 1..600),
            targets in proptest::collection::vec("[abdé𝔸]{1,8}", 1..6),
        ) {
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let bytes = list(&refs);
            let w = Words::open(&bytes).unwrap();
            for target in &targets {
                for max in 0..=2 {
                    let mut got = Vec::new();
                    w.within(target, max, |x, d| got.push((x.to_string(), d as usize))).unwrap();
                    let want: Vec<(String, usize)> =
                        refs.iter().map(|x| (x.to_string(), osa(x, target))).filter(|(_, d)| *d <= max as usize).collect();
                    proptest::prop_assert_eq!(&got, &want, "{} within {}", target, max);
                }
            }
        }
    }

    proptest::proptest! {
        /// One edit is found by a scan under the target's first character and by lookups under
        /// every other: the same words as a brute-force distance, in byte order, for lists over
        /// a small alphabet (many first characters, multi-byte ones among them) and targets
        /// made from their words by an edit at one of their first three characters or at the
        /// end. `contains` agrees with the list.
        #[test]
        fn one_edit_and_membership_match_brute_force(
            words in proptest::collection::btree_set("[abcé€𝔸]{1,6}", 1..300),
            picks in proptest::collection::vec((0usize..300, 0usize..6, "[abdé𝔸]", 0usize..3), 1..12),
        ) {
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let bytes = list(&refs);
            let w = Words::open(&bytes).unwrap();
            for (i, edit, c, at) in picks {
                let word = refs[i % refs.len()];
                let mut chars: Vec<char> = word.chars().collect();
                let x = c.chars().next().unwrap();
                let at = at.min(chars.len() - 1); // the first, second or third character
                match edit {
                    0 => chars[at] = x,
                    1 => chars.insert(at, x),
                    2 if chars.len() > 1 => { chars.remove(at); }
                    3 if chars.len() > at + 1 => chars.swap(at, at + 1),
                    4 => chars.push(x),
                    _ => {}
                }
                let target: String = chars.into_iter().collect();
                let mut got = Vec::new();
                w.within(&target, 1, |x, d| got.push((x.to_string(), d as usize))).unwrap();
                let want: Vec<(String, usize)> =
                    refs.iter().map(|x| (x.to_string(), osa(x, &target))).filter(|(_, d)| *d <= 1).collect();
                proptest::prop_assert_eq!(&got, &want, "{} within 1", target);
                proptest::prop_assert_eq!(w.contains(&target).unwrap(), words.contains(&target), "{}", target);
                proptest::prop_assert!(w.contains(word).unwrap());
            }
        }
    }

    #[test]
    fn lookups_read_front_coding_that_shares_less_than_it_could() {
        // "ab", then "abc" stored whole (shared 0 where 2 would do), then "abd" sharing 1.
        let bytes = raw(3, &[0], "a", &[2, b'a', b'b', 0, 3, b'a', b'b', b'c', 1, 2, b'b', b'd']);
        let w = Words::open(&bytes).unwrap();
        for word in ["ab", "abc", "abd"] {
            assert!(w.contains(word).unwrap(), "{word}");
        }
        for word in ["abb", "abe", "b", "a", "", "abcd"] {
            assert!(!w.contains(word).unwrap(), "{word}");
        }
        let mut got = Vec::new();
        w.within("xbc", 1, |x, d| got.push((x.to_string(), d))).unwrap();
        assert_eq!(got, [("abc".to_string(), 1)]);
        // A word sharing more bytes than the one before it has: an error, not a panic.
        let bad = raw(2, &[0], "a", &[2, b'a', b'b', 5, 1, b'c']);
        let w = Words::open(&bad).unwrap();
        assert!(w.contains("abz").is_err());
        assert!(w.contains("ab").unwrap());
    }

    proptest::proptest! {
        /// Hostile bytes under a well-formed header: lookups and scans return (a wrong answer
        /// or an error), never panic or hang.
        #[test]
        fn lookups_and_scans_survive_arbitrary_blocks(
            count in 0u32..48,
            offsets in proptest::collection::vec(0u32..80, 3),
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            target in "[abé]{0,4}",
        ) {
            let blocks = count.div_ceil(BLOCK as u32) as usize;
            let bytes = raw(count, &offsets[..blocks], "abé", &data);
            let w = Words::open(&bytes).unwrap();
            let _ = w.contains(&target);
            for max in 0..=2 {
                let _ = w.within(&target, max, |_, _| {});
            }
            let _ = w.with_prefix(&target, |_| true);
            let _ = w.completions(&target, 3, 100);
        }
    }

    proptest::proptest! {
        /// The completions alternate between two sorts of the first `scan` words with the
        /// prefix in byte order — by commonness (most common first), length, bytes; and by
        /// length, bytes — each time taking the first word not yet taken.
        #[test]
        fn completions_match_a_sort(
            words in proptest::collection::btree_map("[abé]{1,7}", 1u32..5000, 1..300),
            prefix in "[abé]{0,3}",
            keep in 0usize..12,
            scan in 0usize..200,
        ) {
            let bytes = encode(words.iter().map(|(w, &n)| (w.as_str(), n)));
            let w = Words::open(&bytes).unwrap();
            let range: Vec<(&str, u32)> =
                words.iter().map(|(w, &n)| (w.as_str(), n)).filter(|x| x.0.starts_with(prefix.as_str())).take(scan).collect();
            let mut by_commonness = range.clone();
            by_commonness.sort_by_key(|&(x, n)| (std::cmp::Reverse(commonness(n)), x.len(), x));
            let mut by_length = range.clone();
            by_length.sort_by_key(|&(x, _)| (x.len(), x));
            let mut want: Vec<&str> = Vec::new();
            let (mut a, mut b) = (by_commonness.iter(), by_length.iter());
            while want.len() < range.len().min(keep) {
                if let Some(x) = a.by_ref().map(|x| x.0).find(|x| !want.contains(x)) {
                    want.push(x);
                }
                if want.len() < keep {
                    if let Some(x) = b.by_ref().map(|x| x.0).find(|x| !want.contains(x)) {
                        want.push(x);
                    }
                }
            }
            let got = w.completions(&prefix, keep, scan).unwrap();
            proptest::prop_assert_eq!(got.iter().collect::<Vec<_>>(), want);
            proptest::prop_assert_eq!(got.len(), got.iter().count());
        }
    }

    #[test]
    fn empty_list_and_corrupt_tables() {
        let bytes = list(&[]);
        let w = Words::open(&bytes).unwrap();
        assert!(w.is_empty());
        assert!(!w.contains("x").unwrap());
        assert!(Words::open(&[1, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(Words::open(&[1, 0]).is_err());
        let good = list(&["ab", "b"]);
        assert!(Words::open(&good).is_ok());
        // A filter of another size, first characters not UTF-8 or past the end: errors.
        for (at, byte) in [(8, 2), (12, 9), (20, 0xff)] {
            let mut bad = good.clone();
            bad[at] = byte;
            assert!(Words::open(&bad).is_err(), "byte {at} = {byte}");
        }
    }

    #[test]
    fn the_filter_passes_every_word_and_few_others() {
        // 5,000 words; 20,000 others that differ from them by one character (the lookups of
        // a one-edit typo search).
        let words: Vec<String> = (0..5000u32).map(|i| format!("w{}", i * 7919 % 100_000)).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let bytes = list(&refs);
        let w = Words::open(&bytes).unwrap();
        assert!(refs.iter().all(|r| w.may_contain(&[r.as_bytes()])));
        let others: Vec<String> = (0..20_000u32).map(|i| format!("x{}", i * 7919 % 100_000)).collect();
        let passed = others.iter().filter(|o| w.may_contain(&[o.as_bytes()])).count();
        assert!(passed < others.len() / 20, "{passed} of {} non-words pass the filter", others.len());
        assert!(passed > 0, "a filter of 8 bits per word passes some non-words");
        // Pieces hash as the whole.
        assert!(w.may_contain(&[b"w", b"7919"]));
    }

    #[test]
    fn a_list_past_the_filter_limit_has_no_filter_and_finds_every_word() {
        let words: Vec<String> =
            (0..=FILTER_MAX_WORDS as u32).map(|i| format!("{}w{i}", (b'a' + (i % 3) as u8) as char)).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let bytes = list(&refs);
        let w = Words::open(&bytes).unwrap();
        assert_eq!((w.len(), w.filter.len()), (FILTER_MAX_WORDS + 1, 0));
        assert!(w.contains("aw3").unwrap() && w.contains("bw1").unwrap());
        assert!(!w.contains("aw1").unwrap() && !w.contains("zw1").unwrap());
        let mut got = Vec::new();
        w.within("zw4", 1, |x, d| got.push((x.to_string(), d))).unwrap();
        assert_eq!(got, [("bw4".to_string(), 1)]);
    }

    #[test]
    fn first_characters_are_the_distinct_first_characters_in_order() {
        let bytes = list(&["ab", "abc", "b", "é", "éa", "𝔸"]);
        assert_eq!(Words::open(&bytes).unwrap().firsts, "abé𝔸");
        assert_eq!(Words::open(&list(&[])).unwrap().firsts, "");
    }
}
