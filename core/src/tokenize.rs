//! The one tokenizer: the index builder and the query side both call it, so a word is always
//! reduced to the same term.
//!
//! Normalization, per character: Unicode compatibility decomposition (NFKD), combining marks
//! dropped (so "Poincaré" = "Poincare"), lowercase. Words are runs of letters and digits; runs
//! joined by `-`, `_`, `/`, `'` or `^` form a *compound* ("SQ-GAN", "Local-global", "PC^2").
//!
//! Scraped abstracts keep LaTeX and symbol-bearing names, so a few rules come first:
//! - LaTeX commands are no words: a backslash followed by ASCII letters (`\textit`, `\times`,
//!   `\textcolor`) is dropped and separates, so `\textit{SQ-GAN}` gives only "SQ-GAN"'s terms
//!   and `3.7$\times$` no "times" (`$` and braces are separators anyway; a command's braced
//!   arguments stay words). Accent commands `\'`, `\"`, `` \` ``, `\^`, `\~` before a letter are
//!   invisible and the letter goes on with the word, so `Poincar\'e` is one word, "poincare",
//!   like "Poincaré" and "Poincare". A backslash before anything else only separates.
//! - A lost `\times` or `\sim` glued to a number ("run 100times faster", "2.36sim 8.02times"):
//!   a word that is exactly ASCII digits then "times" or "sim" is its digits; the suffix is
//!   dropped (its span too). "256times256", "sometimes" are left alone.
//! - `^` joins like `-` ("PC^2" → "pc", "2", "pc2"; "D^2O", "S^3A"), so a superscript spelled
//!   `^` finds the same papers as "PC2"; a trailing `^` ("LightHGNN^+") only separates.
//! - A `.` between two digits joins like `-` ("3.7x" → "3", "7x", "37x"), so the query "3.7x"
//!   or "3.7" finds the number; a period after a word or before a space still separates.
//! - One or two `+` directly after a word, before a non-alphanumeric or the end, belong to the
//!   name ("FreeLong++", "Lastde++", "C++"): the compound ends there and, after its usual terms,
//!   gives the joined form with the signs ("freelong++"), which is never stemmed. So the query
//!   "FreeLong++" finds only FreeLong++ while "FreeLong" finds both. Elsewhere `+` separates
//!   ("prostratin+HDACI", "C++11", "+++").
//!
//! Invariants:
//! - In [`Mode::Index`] a compound yields each part *and* the parts joined ("sq", "gan",
//!   "sqgan"), so "SQ-GAN", "SQGAN" and "sq gan" all find it; a name with `+` signs then yields
//!   the joined form with them ("freelong", "freelong++"). Between the parts and the whole, a
//!   compound of three or more parts yields its inner runs of two to four consecutive parts
//!   ("rollup-plugin-sass" → "rollupplugin", "pluginsass"), so the query "rollup-plugin" finds
//!   it.
//! - In [`Mode::Query`] a compound yields only the joined form (with its `+` signs if any),
//!   which every indexed spelling of it contains; a plain word yields itself. Hence every query
//!   term of a text is an index term of the same text (no false negatives from tokenization).
//! - Stop words and one-letter words (but not digits) are dropped on both sides ("C++" keeps
//!   only "c++"); terms are cut to [`MAX_TERM_BYTES`] on both sides, then reduced by the
//!   Snowball English stemmer ("federated", "federation" → "feder"), also on both sides, except
//!   terms with digits or `+` (see [`stem`]).
//! - Token offsets are byte offsets into the original text, for excerpts and highlighting: a
//!   token's span covers the characters it came from (`Poincar\'e`, `FreeLong++`, `3.7`).

use crate::hash::fnv1a;
use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

pub(crate) mod byte_masks;

/// The Snowball English stemmer, shared.
fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// `term` (normalized, unstemmed) stemmed as the tokenizer does: Snowball English, except that
/// terms with digits or `+` are left whole ("gpt4v", "3d", "freelong++").
pub fn stem(term: &str) -> Cow<'_, str> {
    with_stem(term, |s| if s == term { Cow::Borrowed(term) } else { Cow::Owned(s.to_string()) })
}

/// `f(stem(term))`, without making a string of a remembered stem.
pub fn with_stem<R>(term: &str, f: impl FnOnce(&str) -> R) -> R {
    if term.bytes().any(|b| b.is_ascii_digit() || b == b'+') {
        return f(term);
    }
    STEMS.with(|cache| {
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return f(&stemmer().stem(term));
        };
        if let Some(known) = cache.get(term) {
            return f(known.as_deref().unwrap_or(term));
        }
        let stemmed = stemmer().stem(term);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(term.into(), (stemmed != term).then(|| stemmed.as_ref().into()));
        f(&stemmed)
    })
}

/// Word → its stem, `None` when the word is its own stem.
type StemCache = HashMap<Box<str>, Option<Box<str>>, BuildHasherDefault<Fnv64>>;

/// Words [`stem`] remembers per thread; past this it starts over (bounded memory: ~150 kB).
pub const STEM_CACHE_WORDS: usize = 2048;

thread_local! {
    /// Words stemmed lately and their stems (`None`: the word is its own stem). Snowball costs
    /// ~3,000 instructions a word, a lookup ~100, and search-as-you-type stems the same query
    /// and abstract words keystroke after keystroke. Transparent: [`stem`] gives the same
    /// answer with or without it.
    static STEMS: RefCell<StemCache> = RefCell::default();
}

/// Where the whitespace-separated chunk holding byte `at` of `text` starts: just past the last
/// ASCII whitespace before `at`, or 0. [`TermMatcher::matches`]' state is empty there, so a
/// scan may resume from it (see `matches`).
pub fn chunk_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at].iter().rposition(u8::is_ascii_whitespace).map_or(0, |i| i + 1)
}

/// A prefix of every normalized word that [`stem`]s to `term`: `term` less its last character,
/// since Snowball English only rewrites a word's end ("studies" → "studi"). A term of one or
/// two letters is its own prefix unless it ends in `e`, `i`, `y` or `l`: the only characters
/// Snowball writes in place of others end in those ("ational" → "ate", "happy" → "happi",
/// "skies" → "sky", "possibility" → "possibl" after "biliti" → "ble" and a dropped `e`), so any
/// other term begins every word stemming to it, and "no" lets through the words starting "no",
/// not every word starting "n". (Longer terms keep the shorter prefix: one more character
/// rejects little there, and the shorter prefixes of a word's completions cover each other.)
/// Porter2's special forms "dying", "lying", "tying" → "die", "lie", "tie" keep only the first
/// character. Checked, with every term not ending in those four letters whole, over 1,576,970
/// distinct words: SciFact, Debian, registry-1m, the seed digest, and 122,866 made of
/// Porter2's suffixes.
pub fn stem_prefix(term: &str) -> &str {
    let cut = |n: usize| term.char_indices().nth(n).map_or(term, |(i, _)| &term[..i]);
    if matches!(term, "die" | "lie" | "tie") {
        cut(1)
    } else if term.len() <= 2 && !term.ends_with(['e', 'i', 'y', 'l']) {
        term
    } else {
        term.char_indices().last().map_or("", |(i, _)| &term[..i])
    }
}

/// Finds which of a query's terms a normalized, unstemmed word (from [`scan_unstemmed`]) stems
/// to, stemming only the words that can: a word stems to a term only if it starts with the
/// term's [`stem_prefix`], so most words are rejected by a bitmap of first bytes and a few
/// prefix comparisons, and only candidates pay for Snowball. Agrees with `stem(word) == term`
/// for every word (see [`stem_prefix`]). Remembers the answer for the words it stemmed (up to
/// [`TermMatcher::MEMO_WORDS`]), so one matcher shared by a search's verification and its
/// result views stems each distinct candidate word once.
#[derive(Clone, Debug)]
pub struct TermMatcher<'t> {
    /// Bit `b` set: some term's stem prefix starts with byte `b`.
    first: [u64; 4],
    /// Bit `b` set: some term's stem prefix is the one byte `b` (so a word needs only that).
    first_only: [u64; 4],
    /// Bit [`pair_bit`]`(b0, b1)` set: some term's stem prefix starts with bytes `b0 b1`.
    pairs: [u64; 16],
    /// The terms' stem prefixes that do not start with another one, sorted (one-character terms
    /// have the empty prefix: see `any`).
    prefixes: Vec<&'t str>,
    /// For each of `prefixes`, the position of a term it is the stem prefix of.
    prefix_terms: Vec<usize>,
    /// Some term's prefix is empty: every word is a candidate.
    any: bool,
    /// The word starts [`TermMatcher::matches`] looks at: those with one of these first bytes.
    starts: RunStarts,
    /// (term, its position in the given terms), sorted by term, deduplicated (first kept).
    number: Vec<(&'t str, usize)>,
    /// How many terms were given (every position `find` returns is below it).
    terms: usize,
    /// Words already stemmed and what they matched.
    memo: WordMemo,
    /// The tokenizer's buffers, reused by [`TermMatcher::matches`] from chunk to chunk.
    scratch: Compound,
}

/// [`BYTE_CLASS`] bits: ASCII whitespace (ends a chunk), ASCII letter or digit, and bytes that
/// make [`TermMatcher::matches`] tokenize their chunk (non-ASCII, backslash).
const SPACE: u8 = 1;
const ALNUM: u8 = 2;
const SPECIAL: u8 = 4;

/// The class of every byte, for [`TermMatcher::matches`]' pass over a text.
const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_whitespace() {
            SPACE
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else if c >= 0x80 || c == b'\\' {
            SPECIAL
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Bit `bit` of a bit set stored as `u64` words.
fn has_bit(set: &[u64], bit: usize) -> bool {
    set[bit >> 6] & (1 << (bit & 63)) != 0
}

/// Sets bit `bit` of a bit set stored as `u64` words.
fn set_bit(set: &mut [u64], bit: usize) {
    set[bit >> 6] |= 1 << (bit & 63);
}

/// The bit of two leading bytes in [`TermMatcher`]'s `pairs` (1,024 bits; collisions only
/// let more chunks through).
fn pair_bit(b0: u8, b1: u8) -> usize {
    (usize::from(b0) * 31 + usize::from(b1)) & 1023
}

/// What a [`TermMatcher`] learned about the words it stemmed: each word and the position of the
/// term it stems to, if any. Valid for the same terms in the same order only.
#[derive(Clone, Debug, Default)]
struct WordMemo(HashMap<Box<str>, Option<usize>, BuildHasherDefault<Fnv64>>);

/// What a [`TermMatcher`] compiled for its terms and learned about the words it stemmed, without
/// borrowing the terms: a matcher for the same terms in the same order starts from it
/// ([`TermMatcher::from_parts`]) instead of compiling them again. A search hands its
/// verification's matcher to its result views this way.
#[derive(Clone, Debug)]
pub struct MatcherParts {
    first: [u64; 4],
    first_only: [u64; 4],
    pairs: [u64; 16],
    /// `prefix_terms`: the prefixes are those terms' stem prefixes.
    prefix_terms: Vec<usize>,
    any: bool,
    starts: RunStarts,
    /// `number`'s term positions, in its order.
    number: Vec<usize>,
    terms: usize,
    memo: WordMemo,
    scratch: Compound,
}

/// [`fnv1a`] as a [`Hasher`] for the matcher's short words (SipHash costs more than it saves
/// here, and the words come from the digest, not from an adversary choosing collisions).
#[derive(Clone, Copy, Debug, Default)]
struct Fnv64(u64);

impl Hasher for Fnv64 {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, bytes);
    }
}

impl<'t> TermMatcher<'t> {
    /// A matcher for `terms` (stemmed index terms, as a query gives them).
    pub fn new(terms: &'t [String]) -> Self {
        let mut first = [0u64; 4];
        let mut first_only = [0u64; 4];
        let mut pairs = [0u64; 16];
        let mut all: Vec<(&str, usize)> = terms.iter().enumerate().map(|(t, term)| (stem_prefix(term), t)).collect();
        let any = all.iter().any(|p| p.0.is_empty());
        // Only the prefixes that do not start with another matter: a word (or run) that starts
        // with "forc" starts with "fo" too. Sorted, the prefixes starting with one follow it.
        // The standard sort (not `crate::sort`): hundreds of terms for a short prefix, and one
        // copy of it serves both sorts here.
        all.sort_unstable();
        all.dedup_by_key(|p| p.0);
        let mut prefixes: Vec<&str> = Vec::with_capacity(all.len());
        let mut prefix_terms = Vec::with_capacity(all.len());
        for (p, t) in all {
            if !prefixes.last().is_some_and(|k| p.starts_with(k)) {
                prefixes.push(p);
                prefix_terms.push(t);
            }
        }
        for p in &prefixes {
            let bytes = p.as_bytes();
            if let Some(&b) = bytes.first() {
                set_bit(&mut first, usize::from(b));
                match bytes.get(1) {
                    Some(&b1) => set_bit(&mut pairs, pair_bit(b, b1)),
                    None => set_bit(&mut first_only, usize::from(b)),
                }
            }
        }
        let mut number: Vec<(&str, usize)> = terms.iter().enumerate().map(|(t, term)| (term.as_str(), t)).collect();
        number.sort_unstable(); // a term's first number kept by the dedup
        number.dedup_by_key(|n| n.0);
        Self {
            first,
            first_only,
            pairs,
            starts: RunStarts::new(&first),
            prefixes,
            prefix_terms,
            any,
            number,
            terms: terms.len(),
            memo: WordMemo::default(),
            scratch: Compound::default(),
        }
    }

    /// A matcher for `terms` from what a matcher for the same `terms` compiled and learned
    /// ([`TermMatcher::into_parts`]); compiled afresh when the parts are for another number of
    /// terms.
    pub fn from_parts(terms: &'t [String], parts: MatcherParts) -> Self {
        let term = |t: usize| terms.get(t).map(String::as_str);
        let prefixes: Option<Vec<&str>> = parts.prefix_terms.iter().map(|&t| term(t).map(stem_prefix)).collect();
        let number: Option<Vec<(&str, usize)>> = parts.number.iter().map(|&t| term(t).map(|x| (x, t))).collect();
        match (prefixes, number) {
            (Some(prefixes), Some(number)) if parts.terms == terms.len() => Self {
                first: parts.first,
                first_only: parts.first_only,
                pairs: parts.pairs,
                prefixes,
                prefix_terms: parts.prefix_terms,
                any: parts.any,
                starts: parts.starts,
                number,
                terms: parts.terms,
                memo: parts.memo,
                scratch: parts.scratch,
            },
            _ => Self::new(terms),
        }
    }

    /// What this matcher compiled and learned, for [`TermMatcher::from_parts`].
    pub fn into_parts(self) -> MatcherParts {
        MatcherParts {
            first: self.first,
            first_only: self.first_only,
            pairs: self.pairs,
            prefix_terms: self.prefix_terms,
            any: self.any,
            starts: self.starts,
            number: self.number.iter().map(|n| n.1).collect(),
            terms: self.terms,
            memo: self.memo,
            scratch: self.scratch,
        }
    }

    /// How many terms the matcher was built for.
    pub fn terms(&self) -> usize {
        self.terms
    }

    /// Distinct stemmed words remembered; past this the memo starts over (bounded memory).
    pub const MEMO_WORDS: usize = 4096;

    /// The position in the given terms of the term `word` stems to, if any.
    pub fn find(&mut self, word: &str) -> Option<usize> {
        let b = *word.as_bytes().first()?;
        if !self.any && (!has_bit(&self.first, usize::from(b)) || !self.prefixes.iter().any(|p| word.starts_with(p))) {
            return None;
        }
        if let Some(&found) = self.memo.0.get(word) {
            return found;
        }
        let number = &self.number;
        let found = with_stem(word, |stemmed| number.binary_search_by(|n| n.0.cmp(stemmed)).ok().map(|i| number[i].1));
        if self.memo.0.len() >= Self::MEMO_WORDS {
            self.memo.0.clear();
        }
        self.memo.0.insert(word.into(), found);
        found
    }

    /// True when a token starting at the ASCII alphanumeric run `run` (a maximal one: the bytes
    /// around it are not alphanumeric) may begin with a term's stem prefix. Such a token is the
    /// run lowercased, or a compound's joined form that goes on past it ("SQ-GAN" → "sqgan"),
    /// so it starts with the lowercased run: a prefix is possible when it starts with the run
    /// or the run with it, compared over the shorter of the two. The first two bytes are tried
    /// against the bitmaps first, which reject most runs.
    fn may_start(&self, run: &[u8]) -> bool {
        let Some(&b) = run.first() else { return false };
        let l = b.to_ascii_lowercase();
        let maybe = match run.get(1) {
            Some(&n) => {
                has_bit(&self.first_only, usize::from(l)) || has_bit(&self.pairs, pair_bit(l, n.to_ascii_lowercase()))
            }
            None => has_bit(&self.first, usize::from(l)),
        };
        maybe
            && self.prefixes.iter().any(|p| {
                let n = p.len().min(run.len());
                run[..n].eq_ignore_ascii_case(&p.as_bytes()[..n])
            })
    }

    /// Calls `f(term, start, end)` for every token of `text` ([`scan_unstemmed`] in
    /// [`Mode::Index`]) that [`TermMatcher::find`] matches, in the same order, until `f` returns
    /// false — without tokenizing the stretches of text that cannot hold a match.
    ///
    /// Why that is exact: the tokenizer's state is empty after every ASCII whitespace byte (no
    /// compound, word or look-ahead spans one), so `text` tokenizes as its whitespace-separated
    /// chunks do one by one. In a chunk of ASCII without a backslash (LaTeX commands and accent
    /// commands are the only look-aheads that can end a word just before a letter), every token
    /// starts where a run of letters and digits starts (after a non-alphanumeric byte or at the
    /// chunk's start) and begins with that run lowercased (see `may_start`); a chunk where no
    /// run can begin a term's stem prefix has no match and is skipped. Other chunks are
    /// tokenized, except a chunk of one plain word (see `plain_word`), whose one token is the
    /// word lowercased.
    pub fn matches(&mut self, text: &str, mut f: impl FnMut(usize, usize, usize) -> bool) {
        self.matches_dyn(text, &mut f);
    }

    /// [`TermMatcher::matches`], compiled once for every caller (the tokenizer it inlines is
    /// large; a call per match through `f` costs little).
    fn matches_dyn(&mut self, text: &str, f: &mut dyn FnMut(usize, usize, usize) -> bool) {
        let mut go = true;
        let mut scan_chunk = |m: &mut Self, from: usize, to: usize| {
            if let Some(word) = plain_word(&text.as_bytes()[from..to]) {
                // Most chunks: one token, the word lowercased (see `plain_word`).
                let mut lower = [0u8; MAX_TERM_BYTES];
                let lower = &mut lower[..word.len()];
                // Byte by byte: a copy then a lowercasing would call out to `memcpy`.
                for (l, b) in lower.iter_mut().zip(word) {
                    *l = b.to_ascii_lowercase();
                }
                let Ok(w) = std::str::from_utf8(lower) else { return go }; // ASCII: never
                if keep(w) {
                    if let Some(t) = m.find(w) {
                        go = f(t, from, from + word.len());
                    }
                }
                return go;
            }
            let mut cur = std::mem::take(&mut m.scratch);
            scan_into(&mut cur, &text[from..to], Mode::Index, |w, s, e| match m.find(w) {
                Some(t) => {
                    go = f(t, from + s, from + e);
                    go
                }
                None => true,
            });
            m.scratch = cur;
            go
        };
        if self.any {
            scan_chunk(self, 0, text.len());
            return;
        }
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some((from, to)) = self.next_candidate_chunk(bytes, &mut at) {
            if !scan_chunk(self, from, to) {
                return;
            }
        }
    }

    /// The next whitespace-separated chunk of `bytes` that ends at or after `at` and may hold a
    /// match (see [`TermMatcher::matches`]: it has a non-ASCII byte or a backslash, or a run of
    /// letters and digits that may begin a term's stem prefix); `at` moves past it. `at` is
    /// never inside a chunk returned before.
    ///
    /// Eight bytes at a time ([`byte_masks`]): only the bytes that start a run with one of the
    /// terms' first bytes, and the non-ASCII bytes and backslashes, are looked at one by one.
    fn next_candidate_chunk(&self, bytes: &[u8], at: &mut usize) -> Option<(usize, usize)> {
        let class = |b: u8| BYTE_CLASS[usize::from(b)];
        while *at < bytes.len() {
            let i = *at;
            let v = byte_masks::load(bytes, i);
            let alnum = byte_masks::alnum(v);
            let alnum_before = match i.checked_sub(1).map(|j| class(bytes[j])) {
                Some(c) if c & ALNUM != 0 => 0x80,
                _ => 0,
            };
            let run_starts = alnum & !((alnum << 8) | alnum_before);
            let special = byte_masks::non_ascii(v) | byte_masks::equal(v, b'\\');
            let mut look = (run_starts & self.starts.mask(v)) | special;
            while look != 0 {
                let p = i + (look.trailing_zeros() / 8) as usize;
                look &= look - 1;
                let candidate = class(bytes[p]) & SPECIAL != 0 || {
                    let end = bytes[p..].iter().position(|&b| class(b) & ALNUM == 0).map_or(bytes.len(), |n| p + n);
                    self.may_start(&bytes[p..end])
                };
                if candidate {
                    // The chunk around `p`: from just past the whitespace before it (which is
                    // at or after the end of the chunk returned before) to the next one.
                    let from = bytes[..p].iter().rposition(|&b| class(b) & SPACE != 0).map_or(0, |s| s + 1);
                    let to = bytes[p..].iter().position(|&b| class(b) & SPACE != 0).map_or(bytes.len(), |n| p + n);
                    *at = to + 1;
                    return Some((from, to));
                }
            }
            *at = i + 8;
        }
        None
    }
}

/// The word of a chunk that tokenizes as one plain word: an ASCII letter, then ASCII letters and
/// digits (at most [`MAX_TERM_BYTES`] in all), then nothing or one of `,` `.` `;` `:` `)`. The
/// tokenizer gives it one token, the word lowercased, unless [`keep`] drops it: no compound
/// (none of those closing bytes is a joiner, and a `.` joins only digit to digit), no `+` name,
/// no LaTeX, no glued `times` (that needs leading digits), nothing cut.
fn plain_word(chunk: &[u8]) -> Option<&[u8]> {
    if !chunk.first()?.is_ascii_alphabetic() {
        return None;
    }
    let run = chunk.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let plain = run <= MAX_TERM_BYTES && matches!(chunk.get(run..)?, [] | [b',' | b'.' | b';' | b':' | b')']);
    plain.then(|| &chunk[..run])
}

/// Which starts of runs of ASCII letters and digits [`TermMatcher::matches`] looks at: those
/// whose first byte, lowercased, begins some term's stem prefix.
#[derive(Clone, Copy, Debug)]
enum RunStarts {
    /// The first bytes that are ASCII letters (lowercase) or digits; `bytes[..len]` hold them.
    FirstBytes { bytes: [u8; 8], len: usize },
    /// Every run start (the terms begin with more distinct bytes than `FirstBytes` holds).
    Every,
}

impl RunStarts {
    /// The run starts for prefixes whose first bytes are the bits set in `first`.
    fn new(first: &[u64; 4]) -> Self {
        let mut bytes = [0u8; 8];
        let mut len = 0;
        for b in
            (0..=127u8).filter(|&b| (b.is_ascii_lowercase() || b.is_ascii_digit()) && has_bit(first, usize::from(b)))
        {
            match bytes.get_mut(len) {
                Some(slot) => *slot = b,
                None => return Self::Every,
            }
            len += 1;
        }
        Self::FirstBytes { bytes, len }
    }

    /// The bytes of `v` ([`byte_masks::load`]) that are such a first byte, in any case (and
    /// others, which no run starts with).
    fn mask(&self, v: u64) -> u64 {
        match self {
            Self::FirstBytes { bytes, len } => {
                let folded = byte_masks::fold_case(v);
                bytes[..*len].iter().fold(0, |m, &b| m | byte_masks::equal(folded, b))
            }
            Self::Every => u64::MAX,
        }
    }
}

/// Emits `term`, stemmed when `stemmed`.
fn emit_term(
    term: &str,
    start: usize,
    end: usize,
    stemmed: bool,
    emit: &mut impl FnMut(&str, usize, usize) -> bool,
) -> bool {
    if stemmed {
        with_stem(term, |s| emit(s, start, end))
    } else {
        emit(term, start, end)
    }
}

/// Longest term kept, in bytes (longer runs are cut, identically at build and query time).
pub const MAX_TERM_BYTES: usize = 40;

/// Which side is tokenizing: see the module invariants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Building the index: compounds give their parts and the joined form.
    Index,
    /// Parsing a query: compounds give the joined form only.
    Query,
}

/// One term with the span of original text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The normalized term.
    pub term: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
}

/// English function words that carry no search meaning, kept short on purpose: every word here
/// becomes unsearchable on both sides. The longer NLTK list measured the same on SciFact
/// (±0.0001 nDCG@10) but lost known-item titles such as "One is All", "No More Adam".
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from", "had", "has",
    "have", "in", "into", "is", "it", "its", "of", "on", "or", "our", "so", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were", "which", "while", "with",
    "within", "would",
];

/// Bytes of the longest stop word: longer terms skip the lookup.
const STOP_WORD_MAX_LEN: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < STOP_WORDS.len() {
        if STOP_WORDS[i].len() > max {
            max = STOP_WORDS[i].len();
        }
        i += 1;
    }
    max
};

/// A word of at most 7 bytes as one integer: its bytes little-endian, its length in the top
/// byte, so two such words have the same key exactly when they are equal.
const fn word_key(word: &[u8]) -> u64 {
    let mut key = (word.len() as u64) << 56;
    let mut i = 0;
    while i < word.len() && i < 7 {
        key |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// [`STOP_WORDS`] as sorted [`word_key`]s: the tokenizer asks for every word, and comparing
/// integers costs a fraction of comparing strings.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0u64; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = word_key(STOP_WORDS[i].as_bytes());
        // Insertion sort, at compile time.
        let mut j = i;
        while j > 0 && keys[j - 1] > keys[j] {
            let t = keys[j - 1];
            keys[j - 1] = keys[j];
            keys[j] = t;
            j -= 1;
        }
        i += 1;
    }
    keys
};

// Keys hold at most 7 bytes.
const _: () = assert!(STOP_WORD_MAX_LEN <= 7);

/// True when `term` (already normalized) is a stop word.
pub fn is_stop_word(term: &str) -> bool {
    term.len() <= STOP_WORD_MAX_LEN && STOP_KEYS.binary_search(&word_key(term.as_bytes())).is_ok()
}

/// True when `word` (normalized, unstemmed) is the start of a stop word but not one itself: a
/// word being typed that may yet be one ("fo" on the way to "for"). Words and starts of words
/// qualify too ("bee", "int", "th"): the search only leaves such a word out when no paper has
/// it with the query's other words.
pub fn may_become_stop_word(word: &str) -> bool {
    !is_stop_word(word) && STOP_WORDS.iter().any(|s| s.len() > word.len() && s.starts_with(word))
}

fn keep(term: &str) -> bool {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => c.is_ascii_digit() || !c.is_alphabetic(),
        _ => !is_stop_word(term),
    }
}

fn push_normalized(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    decompose_compatible(c, |d| {
        if !is_combining_mark(d) && d.is_alphanumeric() {
            out.extend(d.to_lowercase());
        }
    });
}

/// `term` cut to at most [`MAX_TERM_BYTES`] on a character boundary.
fn cut(term: &str) -> &str {
    if term.len() <= MAX_TERM_BYTES {
        return term;
    }
    let mut end = MAX_TERM_BYTES;
    while !term.is_char_boundary(end) {
        end -= 1;
    }
    &term[..end]
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '_' | '/' | '\'' | '^' | '\u{2019}' | '\u{2010}' | '\u{2011}')
}

/// The length of the digits of `word` when it is digits glued to a lost `\times` or `\sim`
/// ("100times", "36sim"), else `None`.
fn glued_digits(word: &str) -> Option<usize> {
    let n = word.bytes().take_while(u8::is_ascii_digit).count();
    (n > 0 && matches!(&word[n..], "times" | "sim")).then_some(n)
}

/// The most parts an inner run of a compound joins (see [`Mode::Index`]): a query compound of
/// more parts is found only where it is a whole compound or a run of one of at most this many.
const MAX_INNER_RUN_PARTS: usize = 4;

/// One compound being collected: the normalized parts concatenated in `buf`, per part
/// (start in buf, end in buf, start in text, end in text), and the `+` signs that end its name
/// ("FreeLong++": 2) with the text offset just past them.
#[derive(Clone, Debug, Default)]
struct Compound {
    stemmed: bool,
    buf: String,
    parts: Vec<(usize, usize, usize, usize)>,
    plus: usize,
    plus_end: usize,
}

impl Compound {
    /// Ends the word at `text[src..end]`, normalized in `buf[at..]`: records it as a part, less
    /// a glued `times`/`sim` suffix.
    fn end_word(&mut self, text: &str, src: usize, at: usize, end: usize) {
        match glued_digits(&text[src..end]) {
            Some(n) => {
                // The suffix is ASCII, so the digits are the first `n` bytes of `buf[at..]` too.
                self.buf.truncate(at + n);
                self.parts.push((at, at + n, src, src + n));
            }
            None => self.parts.push((at, self.buf.len(), src, end)),
        }
    }

    /// Emits the compound's tokens; returns false when `emit` asked to stop.
    fn flush(&mut self, mode: Mode, emit: &mut impl FnMut(&str, usize, usize) -> bool) -> bool {
        let go = self.emit_all(mode, emit);
        self.buf.clear();
        self.parts.clear();
        self.plus = 0;
        go
    }

    fn emit_all(&mut self, mode: Mode, emit: &mut impl FnMut(&str, usize, usize) -> bool) -> bool {
        let (Some(&(b0, _, s0, _)), Some(&(_, b1, _, s1))) = (self.parts.first(), self.parts.last()) else {
            return true;
        };
        let index = mode == Mode::Index;
        if index && self.parts.len() > 1 {
            for &(p0, p1, q0, q1) in &self.parts {
                let t = cut(&self.buf[p0..p1]);
                if keep(t) && !emit_term(t, q0, q1, self.stemmed, emit) {
                    return false;
                }
            }
            // The inner runs: every run of 2 to `MAX_INNER_RUN_PARTS` consecutive parts short of
            // the whole, by start then length ("rollup-plugin-sass" → "rollupplugin",
            // "pluginsass"), so a query compound found inside a longer one is found.
            let n = self.parts.len();
            for first in 0..n - 1 {
                for last in first + 1..n.min(first + MAX_INNER_RUN_PARTS) {
                    if last - first + 1 == n {
                        break;
                    }
                    let (p0, _, q0, _) = self.parts[first];
                    let (_, p1, _, q1) = self.parts[last];
                    let t = cut(&self.buf[p0..p1]);
                    if keep(t) && !emit_term(t, q0, q1, self.stemmed, emit) {
                        return false;
                    }
                }
            }
        }
        // The joined form, then the name with its `+` signs: both in index mode, only the name
        // in query mode. The name is cut like any term; when that cuts its `+` signs away it is
        // the joined form again, which index mode has just emitted.
        let joined = cut(&self.buf[b0..b1]);
        if (index || self.plus == 0) && keep(joined) && !emit_term(joined, s0, s1, self.stemmed, emit) {
            return false;
        }
        if self.plus > 0 {
            let joined_len = joined.len();
            self.buf.truncate(b1);
            for _ in 0..self.plus {
                self.buf.push('+');
            }
            let name = cut(&self.buf[b0..]);
            if (!index || name.len() != joined_len) && keep(name) {
                return emit_term(name, s0, self.plus_end, self.stemmed, emit);
            }
        }
        true
    }
}

/// Calls `emit(term, start, end)` for every token of `text` in order (for a compound in index
/// mode: the parts first, then the joined form, then the name with its `+` signs) until `emit`
/// returns false. `start..end` is the token's span in `text`. Allocates two buffers per call,
/// nothing per token.
pub fn scan(text: &str, mode: Mode, emit: impl FnMut(&str, usize, usize) -> bool) {
    scan_with(text, mode, true, emit);
}

/// [`scan`] without the last step, stemming: emits normalized words, for callers that only need
/// to stem a few of them (see [`stem`]).
pub fn scan_unstemmed(text: &str, mode: Mode, emit: impl FnMut(&str, usize, usize) -> bool) {
    scan_with(text, mode, false, emit);
}

/// The LaTeX accent commands, `\'e` and the like.
fn is_accent_command(b: u8) -> bool {
    matches!(b, b'\'' | b'"' | b'`' | b'^' | b'~')
}

thread_local! {
    /// The compound buffers of the last finished [`scan_with`], lent to the next one (a scan
    /// started from inside another's `emit` gets fresh ones).
    static SPARE_COMPOUND: Cell<Option<Compound>> = const { Cell::new(None) };
}

/// Buffers grown past this many bytes are not kept for the next scan.
const SPARE_COMPOUND_MAX_BYTES: usize = 4096;

fn scan_with(text: &str, mode: Mode, stemmed: bool, mut emit: impl FnMut(&str, usize, usize) -> bool) {
    let mut cur = SPARE_COMPOUND.with(Cell::take).unwrap_or_default();
    cur.stemmed = stemmed;
    // Through `dyn`: one copy of the tokenizer for every caller (each closure type made one,
    // ~5 kB of wasm apiece), for an indirect call per token.
    scan_into(&mut cur, text, mode, &mut emit as &mut dyn FnMut(&str, usize, usize) -> bool);
    if cur.buf.capacity() <= SPARE_COMPOUND_MAX_BYTES {
        SPARE_COMPOUND.with(|spare| spare.set(Some(cur)));
    }
}

/// [`scan_with`] with the caller's (empty) compound buffers, which it leaves empty.
fn scan_into(cur: &mut Compound, text: &str, mode: Mode, mut emit: impl FnMut(&str, usize, usize) -> bool) {
    let bytes = text.as_bytes();
    cur.buf.clear();
    cur.parts.clear();
    cur.plus = 0;
    let mut in_word = false;
    let mut pending_joiner = false;
    let (mut word_src, mut word_buf) = (0usize, 0usize);
    // Characters before this byte offset were consumed by a look-ahead (LaTeX commands, `++`).
    let mut skip_to = 0usize;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        let alnum = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if alnum {
            if !in_word {
                if !pending_joiner && !cur.flush(mode, &mut emit) {
                    return;
                }
                pending_joiner = false;
                in_word = true;
                word_src = i;
                word_buf = cur.buf.len();
            }
            if c.is_ascii() {
                // The run of ASCII letters and digits from here, lowercased in one go.
                let run = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
                let at = cur.buf.len();
                cur.buf.push_str(&text[i..i + run]);
                cur.buf[at..].make_ascii_lowercase();
                skip_to = i + run;
            } else {
                push_normalized(c, &mut cur.buf);
            }
            continue;
        }
        if in_word && !c.is_ascii() && is_combining_mark(c) {
            continue;
        }
        if c == '\\' {
            let next = bytes.get(i + 1).copied().unwrap_or(0);
            if is_accent_command(next) && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
                // `Poincar\'e`: the command is invisible, its letter goes on with the word.
                skip_to = i + 2;
                continue;
            }
            if next.is_ascii_alphabetic() {
                // `\textit`, `\times`: the command's name is no word; the backslash separates.
                skip_to = i + 1 + bytes[i + 1..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
            }
        }
        let word_ended = in_word;
        if in_word {
            cur.end_word(text, word_src, word_buf, i);
            in_word = false;
        }
        if c == '+' && word_ended {
            // `FreeLong++`, `C++`: one or two `+` ending a name, before a non-alphanumeric.
            let n = bytes[i..].iter().take_while(|&&b| b == b'+').count();
            if n <= 2 && text[i + n..].chars().next().is_none_or(|d| !d.is_alphanumeric()) {
                cur.plus = n;
                cur.plus_end = i + n;
                skip_to = i + n;
            }
        }
        // `3.7x`: a period between digits joins like `-`.
        let digit_dot =
            c == '.' && word_ended && bytes[i - 1].is_ascii_digit() && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if (is_joiner(c) || digit_dot) && cur.plus == 0 && !cur.parts.is_empty() && !pending_joiner {
            pending_joiner = true;
        } else {
            pending_joiner = false;
            if !cur.flush(mode, &mut emit) {
                return;
            }
        }
    }
    if in_word {
        cur.end_word(text, word_src, word_buf, text.len());
    }
    cur.flush(mode, &mut emit);
}

/// The first word of `text` as written: up to the first whitespace or ':' ("Hyper-SD" in
/// "Hyper-SD: Trajectory …"). For titles that is usually the paper's name.
pub fn leading_word(text: &str) -> &str {
    let text = text.trim_start();
    text.split(|c: char| c.is_whitespace() || c == ':').next().unwrap_or("")
}

/// The terms that name a paper: of its title's [`leading_word`], the first term and, for a
/// compound, the joined form ("Hyper-SD" → "hyper", "hypersd"; "FedRE" → "fedre"), so that
/// "Text-Video Retrieval" is not named "video"; a name ending in `+` is only itself
/// ("FreeLong++" → "freelong++").
pub fn name_terms(title: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    scan(leading_word(title), Mode::Index, |t, _, _| {
        if out.len() < 2 {
            out.push(t.to_string());
        } else {
            out[1] = t.to_string();
        }
        true
    });
    out.dedup();
    if out.len() == 2 && out[1].ends_with('+') {
        out.remove(0); // "FreeLong++" names FreeLong++, not FreeLong
    }
    out
}

/// Calls `emit` for every token of `text`, in order (see [`scan`]).
pub fn for_each_token(text: &str, mode: Mode, mut emit: impl FnMut(Token)) {
    scan(text, mode, |term, start, end| {
        emit(Token { term: term.to_string(), start, end });
        true
    });
}

/// All tokens of `text`.
pub fn tokens(text: &str, mode: Mode) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, mode, |t| out.push(t));
    out
}

/// The terms of `text`, in order, duplicates kept.
pub fn terms(text: &str, mode: Mode) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, mode, |t| out.push(t.term));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<String> {
        terms(s, Mode::Query)
    }
    fn ix(s: &str) -> Vec<String> {
        terms(s, Mode::Index)
    }

    #[test]
    fn stop_words_are_exactly_the_list() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS, "sorted, no duplicates");
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
            // Every one-byte change, cut and extension of a stop word is a stop word only if listed.
            for n in 0..w.len() {
                assert_eq!(is_stop_word(&w[..n]), STOP_WORDS.contains(&&w[..n]), "{:?}", &w[..n]);
            }
            for extra in ["s", "e", "\0", "é"] {
                let longer = format!("{w}{extra}");
                assert_eq!(is_stop_word(&longer), STOP_WORDS.contains(&longer.as_str()), "{longer:?}");
            }
        }
        for w in ["", "b", "ann", "whic", "withinn", "wouldbe", "the\0\0", "ä"] {
            assert!(!is_stop_word(w), "{w:?}");
        }
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(ix("Poincaré ResNet"), ["poincar", "resnet"]);
        assert_eq!(q("POINCARE"), ix("Poincaré"));
    }

    #[test]
    fn compounds_index_parts_and_joined_query_joined() {
        assert_eq!(ix("SQ-GAN"), ["sq", "gan", "sqgan"]);
        assert_eq!(q("SQ-GAN"), ["sqgan"]);
        assert_eq!(q("SQGAN"), ["sqgan"]);
        assert_eq!(ix("Local-global Distillation"), ["local", "global", "localglob", "distil"]);
    }

    #[test]
    fn a_compound_of_three_or_more_parts_also_indexes_its_inner_runs() {
        // Parts, then each run of consecutive parts short of the whole (by start, then length),
        // then the whole: the query "rollup-plugin" finds "rollup-plugin-sass".
        assert_eq!(
            tokens("rollup-plugin-sass", Mode::Index)
                .iter()
                .map(|t| (t.term.as_str(), t.start, t.end))
                .collect::<Vec<_>>(),
            [
                ("rollup", 0, 6),
                ("plugin", 7, 13),
                ("sass", 14, 18),
                ("rollupplugin", 0, 13),
                ("pluginsass", 7, 18),
                ("rolluppluginsass", 0, 18)
            ]
        );
        assert_eq!(q("rollup-plugin"), ["rollupplugin"]);
        // Stop-word parts are joined like any part; runs of one part are the parts.
        assert_eq!(ix("text-to-image"), ["text", "imag", "textto", "toimag", "texttoimag"]);
        // Runs of up to four parts ("a-b-c-d" inside a longer compound), whatever its length.
        let runs = ix("aa-bb-cc-dd-ee-ff");
        assert_eq!(runs.len(), 6 + 5 + 4 + 3 + 1, "{runs:?}");
        assert!(runs.contains(&"bbccddee".to_string()) && !runs.contains(&"aabbccddee".to_string()));
        assert_eq!(runs.last().map(String::as_str), Some("aabbccddeeff"));
    }

    #[test]
    fn drops_stop_words_and_single_letters_keeps_digits() {
        assert_eq!(ix("a study of the 3 D world"), ["studi", "3", "world"]);
        assert_eq!(q("GPT-4V"), ["gpt4v"]);
    }

    #[test]
    fn stems_with_snowball_on_both_sides_but_keeps_terms_with_digits_whole() {
        assert_eq!(ix("federated federation Networks networking"), ["feder", "feder", "network", "network"]);
        assert_eq!(q("Distilling"), ix("distillation"));
        assert_eq!(ix("GPT-4V uses 4-bit 3D"), ["gpt", "4v", "gpt4v", "use", "4", "bit", "4bit", "3d"]);
    }

    #[test]
    fn unstemmed_scan_then_stem_equals_scan() {
        let text = "Federated learning studies: GPT-4V, Poincaré networks' distillation, \
                    Poincar\\'e FreeLong++ \\textit{PC^2} 2.36sim";
        let mut a = Vec::new();
        scan(text, Mode::Index, |t, s, e| {
            a.push((t.to_string(), s, e));
            true
        });
        let mut b = Vec::new();
        scan_unstemmed(text, Mode::Index, |t, s, e| {
            b.push((stem(t).into_owned(), s, e));
            true
        });
        assert_eq!(a, b);
    }

    #[test]
    fn every_word_starts_with_the_stem_prefix_of_its_stem() {
        let text = seed_text("dying lying tying skies studies happy generously ugly news no nos noes x possibility");
        let mut n = 0;
        scan_unstemmed(&text, Mode::Index, |w, _, _| {
            let s = stem(w);
            assert!(w.starts_with(stem_prefix(&s)), "{w} -> {s}");
            n += 1;
            true
        });
        assert!(n > 30_000);
    }

    /// `words`, then every file of the seed digest.
    fn seed_text(words: &str) -> String {
        let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/digests");
        let mut text = String::from(words);
        for f in std::fs::read_dir(seed).unwrap() {
            text.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
        }
        text
    }

    /// Every match of `terms` in `text`, the slow way: tokenize everything, stem every word.
    fn matches_by_scanning(text: &str, terms: &[String]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        scan_unstemmed(text, Mode::Index, |w, s, e| {
            if let Some(t) = terms.iter().position(|x| *x == stem(w)) {
                out.push((t, s, e));
            }
            true
        });
        out
    }

    /// The chunks [`TermMatcher::matches`] tokenizes, by their definition: the whitespace-
    /// separated chunks with a non-ASCII byte or a backslash, or with a maximal run of ASCII
    /// letters and digits that may begin a term's stem prefix.
    fn candidate_chunks_by_definition(m: &TermMatcher<'_>, text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        for end in (0..=bytes.len()).filter(|&i| bytes.get(i).is_none_or(u8::is_ascii_whitespace)) {
            let chunk = &bytes[start..end];
            let special = chunk.iter().any(|&b| b >= 0x80 || b == b'\\');
            let mut runs = chunk.split(|b| !b.is_ascii_alphanumeric()).filter(|r| !r.is_empty());
            if special || runs.any(|r| m.may_start(r)) {
                out.push((start, end));
            }
            start = end + 1;
        }
        out
    }

    /// Every match of `terms` in `text` by [`TermMatcher::matches`], which must have tokenized
    /// exactly the chunks of their definition (unless every word is a candidate).
    fn matches_skipping(text: &str, terms: &[String]) -> Vec<(usize, usize, usize)> {
        let matcher = TermMatcher::new(terms);
        if !matcher.any {
            let mut chunks = Vec::new();
            let mut at = 0;
            while let Some(chunk) = matcher.next_candidate_chunk(text.as_bytes(), &mut at) {
                chunks.push(chunk);
            }
            assert_eq!(chunks, candidate_chunks_by_definition(&matcher, text), "{text:?} {terms:?}");
        }
        let mut out = Vec::new();
        TermMatcher::new(terms).matches(text, |t, s, e| {
            out.push((t, s, e));
            true
        });
        out
    }

    #[test]
    fn term_matcher_matches_skip_chunks_without_losing_a_match() {
        let long_words = format!("{LONG_41} {LONG_41}, {} {}.", &LONG_41[1..], &LONG_41[1..]);
        let tricky = [
            "Foo\\textit23 and \\alpha12 x", // a LaTeX command's name ends right before a digit
            "Poincar\\'e \\'ecole Poincaré-ResNet SQ-GAN\tsq gan\nSQGAN",
            "C++ C++11 FreeLong++ x++y PC^2 LightHGNN^+ 3.7x 2.36sim 100times",
            "ﬁne-tuning ﬁne tuning; Ｆｉｎｅ e\u{301}cole nbsp\u{a0}fine mid-\u{a0}fine",
            "  leading and trailing  \r\n\x0c spaces ",
            "",
            // Chunks of one plain word and what ends them, or nearly: `+` names, joiners,
            // leading digits, a glued `times`, stop words and single letters, a cut word.
            "Abc, abc. abc; abc: abc) abc+ abc++, abc- (abc 1abc 100times 3times a for A, For.",
            "pneumonoultramicroscopicsilicovolcanoconiosis pneumonoultramicroscopicsilicovolcanoconiosis,",
            &long_words,
        ];
        let sets: Vec<Vec<String>> = [
            &["fine", "tune", "ecol"][..],
            &["poincar", "resnet", "sqgan", "gan"],
            &["c++", "freelong++", "pc2", "37x", "2", "100", "lighthgnn"],
            &["foo", "12", "23", "alpha", "textit"],
            &["12", "23"],
            &["lead", "trail", "space", "nbsp"],
            &["x", "y"],
        ]
        .iter()
        .map(|s| s.iter().map(|t| t.to_string()).collect())
        .chain([
            // (No one-character term: it would make the matcher tokenize the whole text.)
            vec!["abc".into(), "abc+".into(), "abc++".into(), "1abc".into(), "100".into()],
            // A stop word the tokenizer drops ("fors" stems to "for" in a query).
            vec!["for".into(), "abc".into()],
            // Words of 40 bytes, 41 (cut to 40) and 45.
            vec![
                stem(&"pneumonoultramicroscopicsilicovolcanoconiosis"[..MAX_TERM_BYTES]).into_owned(),
                stem(&LONG_41[..MAX_TERM_BYTES]).into_owned(),
                stem(&LONG_41[1..]).into_owned(),
            ],
        ])
        .collect();
        for text in tricky {
            for terms in &sets {
                assert_eq!(matches_skipping(text, terms), matches_by_scanning(text, terms), "{text:?} {terms:?}");
            }
        }
        // Every line of the seed digest, with query-like term sets from its own words.
        let text = seed_text("");
        let mut stems = Vec::new();
        scan(&text, Mode::Index, |t, _, _| {
            stems.push(t.to_string());
            true
        });
        let mut found = 0;
        for (n, terms) in stems.chunks(3).step_by(211).enumerate() {
            for line in text.lines().skip(n % 7).step_by(7) {
                let want = matches_by_scanning(line, terms);
                found += want.len();
                assert_eq!(matches_skipping(line, terms), want, "{line:?} {terms:?}");
            }
        }
        assert!(found > 1000, "{found}");
        // Stopping early stops at the same match.
        let terms: Vec<String> = vec!["learn".into(), "model".into()];
        let all = matches_by_scanning(&text, &terms);
        let mut first = Vec::new();
        TermMatcher::new(&terms).matches(&text, |t, s, e| {
            first.push((t, s, e));
            first.len() < 5
        });
        assert_eq!(first, all[..5]);
    }

    /// A word of 41 letters: one more than a term keeps.
    const LONG_41: &str = "abcdefghijklmnopqrstuvwxyzabcdefghijklmno";
    const _: () = assert!(LONG_41.len() == MAX_TERM_BYTES + 1);

    proptest::proptest! {
        #[test]
        fn term_matcher_matches_equal_scanning_any_text(
            text in proptest::string::string_regex("[a-cA-C0-2 \t\n\\\\'+^.,;:()\\-_/{}$é\u{301}ﬁ\u{a0}]{0,40}").unwrap(),
            terms in proptest::collection::vec(proptest::string::string_regex("[a-c0-2+]{2,5}").unwrap(), 1..4),
        ) {
            proptest::prop_assert_eq!(matches_skipping(&text, &terms), matches_by_scanning(&text, &terms));
        }

        /// Texts made of the terms themselves (some capitalized, some with a suffix), over the
        /// eight-byte words of the pass, for term sets with more distinct first letters than the
        /// pass compares one by one.
        #[test]
        fn term_matcher_matches_equal_scanning_with_many_first_letters(
            terms in proptest::collection::vec(proptest::string::string_regex("[a-k0-2][a-k]{1,3}").unwrap(), 1..14),
            words in proptest::collection::vec(
                (0..16usize, proptest::string::string_regex("[ \t\n.,;:)(+\\-é]{1,2}").unwrap(), 0..3u8),
                0..30,
            ),
        ) {
            let mut text = String::new();
            for (pick, gap, form) in words {
                let word = terms.get(pick).map_or("zq", String::as_str);
                match form {
                    0 => text.push_str(word),
                    1 => text.push_str(&word.to_uppercase()),
                    _ => text.push_str(&format!("{word}ing")),
                }
                text.push_str(&gap);
            }
            proptest::prop_assert_eq!(matches_skipping(&text, &terms), matches_by_scanning(&text, &terms));
        }
    }

    #[test]
    fn stem_cache_is_transparent() {
        let text = seed_text("dying lying news sky skies a");
        let mut words = Vec::new();
        scan_unstemmed(&text, Mode::Index, |w, _, _| {
            words.push(w.to_string());
            true
        });
        assert!(words.len() > 3 * STEM_CACHE_WORDS, "the cache must fill and start over");
        for w in &words {
            let plain = if w.bytes().any(|b| b.is_ascii_digit() || b == b'+') {
                w.clone()
            } else {
                stemmer().stem(w).into_owned()
            };
            assert_eq!(stem(w), plain, "{w}");
            assert_eq!(stem(w), plain, "{w}, remembered");
        }
    }

    #[test]
    fn a_matcher_from_parts_is_the_matcher_it_came_from() {
        let text = seed_text("forces fo studies happy y");
        let all = |m: &mut TermMatcher<'_>, text: &str| {
            let mut out = Vec::new();
            m.matches(text, |t, s, e| {
                out.push((t, s, e));
                true
            });
            out
        };
        for terms in [vec!["fo", "forc", "studi", "happi", "graph"], vec!["y", "graph", "graph"]] {
            let terms: Vec<String> = terms.into_iter().map(String::from).collect();
            let mut m = TermMatcher::new(&terms);
            all(&mut m, &text[..text.len() / 2]); // it learns some words
            let mut again = TermMatcher::from_parts(&terms, m.into_parts());
            assert_eq!(all(&mut again, &text), matches_by_scanning(&text, &terms), "{terms:?}");
            // Parts for another number of terms are not used.
            let other = vec![String::from("studi")];
            let mut fresh = TermMatcher::from_parts(&other, again.into_parts());
            assert_eq!(all(&mut fresh, &text), matches_by_scanning(&text, &other));
        }
    }

    #[test]
    fn term_matcher_agrees_with_stemming_every_word() {
        let text = seed_text("dying lying tying die skies sky studies happy a x c++ 3d news");
        let mut words = Vec::new();
        scan_unstemmed(&text, Mode::Index, |w, _, _| {
            words.push(w.to_string());
            true
        });
        words.sort_unstable();
        words.dedup();
        let stems: Vec<String> = words.iter().map(|w| stem(w).into_owned()).collect();
        // Query term sets: every 97th word's stem, in groups of 5, plus one-letter and special terms.
        let mut sets: Vec<Vec<String>> = words
            .iter()
            .step_by(97)
            .map(|w| stem(w).into_owned())
            .collect::<Vec<_>>()
            .chunks(5)
            .map(<[_]>::to_vec)
            .collect();
        sets.push(vec!["die".into(), "x".into()]);
        sets.push(vec!["sky".into(), "c++".into(), "3d".into(), "news".into()]);
        let mut found = 0;
        for terms in &sets {
            let mut m = TermMatcher::new(terms);
            for (w, s) in words.iter().zip(&stems) {
                let want = terms.iter().position(|t| t == s);
                assert_eq!(m.find(w), want, "{w} in {terms:?}");
                assert_eq!(m.find(w), want, "{w} in {terms:?}, remembered");
                found += usize::from(want.is_some());
            }
        }
        assert!(found > 100, "{found}");
    }

    #[test]
    fn offsets_point_into_original_text() {
        let text = "Hyp-OC: Poincaré";
        let toks = tokens(text, Mode::Index);
        let last = toks.last().unwrap();
        assert_eq!(&text[last.start..last.end], "Poincaré");
        let joined = toks.iter().find(|t| t.term == "hypoc").unwrap();
        assert_eq!(&text[joined.start..joined.end], "Hyp-OC");

        let text = r"propose Poincar\'e ResNet, 3.7$\times$ lower, PC^2";
        let toks = tokens(text, Mode::Index);
        let spans: Vec<(&str, &str)> = toks.iter().map(|t| (&text[t.start..t.end], t.term.as_str())).collect();
        assert_eq!(
            spans,
            [
                ("propose", "propos"),
                (r"Poincar\'e", "poincar"),
                ("ResNet", "resnet"),
                ("3", "3"),
                ("7", "7"),
                ("3.7", "37"),
                ("lower", "lower"),
                ("PC", "pc"),
                ("2", "2"),
                ("PC^2", "pc2")
            ]
        );
    }

    #[test]
    fn every_query_term_is_an_index_term_of_the_same_text() {
        for text in [
            "FedRE: A Representation-Entanglement Framework",
            "PC^2 and D2S-VSE",
            "Ferret's 3.7x",
            "don't-stop me_now",
            "\\textit{SQ-GAN}",
            "FreeLong++ and Lastde++",
            "PC^2",
            "Poincar\\'e",
            "100times faster",
            "3.7$\\times$",
            "achieves 2.36sim 8.02times inference speed-up",
            "HPBM in Ca++- and Mg++-free PBS, C++11, prostratin+HDACI",
            "LightHGNN^+ and (D^2O), I^2CL, O(varepsilon^{-1})^{2}",
            "Fr\\'echet \\textcolor[rgb]{1, 0, 0}{Code} 5\\% \\",
        ] {
            let index = ix(text);
            for t in q(text) {
                assert!(index.contains(&t), "{t} from {text:?} not in {index:?}");
            }
        }
        // And over every line of the seed digest.
        let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/digests");
        let mut lines = 0;
        for f in std::fs::read_dir(seed).unwrap() {
            for text in std::fs::read_to_string(f.unwrap().path()).unwrap().lines() {
                let index: std::collections::HashSet<String> = ix(text).into_iter().collect();
                for t in q(text) {
                    assert!(index.contains(&t), "{t} from {text:?} not an index term");
                }
                lines += 1;
            }
        }
        assert!(lines > 100);
    }

    #[test]
    fn latex_commands_are_dropped_and_accent_commands_fold_into_the_word() {
        // From the seed digest: the command is no term, its braced argument is.
        assert_eq!(
            ix(r"we propose \textit{SQ-GAN}, a novel approach"),
            ["propos", "sq", "gan", "sqgan", "novel", "approach"]
        );
        assert_eq!(
            ix(r"achieving up to 3.7$\times$ lower memory overhead"),
            ["achiev", "up", "3", "7", "37", "lower", "memori", "overhead"]
        );
        assert_eq!(
            ix(r"ZSRC tasks. \textcolor[rgb]{1, 0, 0}{Code available at"),
            ["zsrc", "task", "rgb", "1", "0", "0", "code", "avail"]
        );
        // `\'e` is "é": one word, the same term as the Unicode and the plain spelling.
        assert_eq!(q(r"We propose Poincar\'e ResNet"), ["propos", "poincar", "resnet"]);
        assert_eq!(q(r"Poincar\'e"), q("Poincaré"));
        assert_eq!(q(r"Poincar\'e"), q("Poincare"));
        assert_eq!(ix(r"expensive Fr\'echet mean"), ["expens", "frechet", "mean"]);
        assert_eq!(q(r"Fr\'echet"), q("Fréchet"));
        assert_eq!(q(r"Fr\'echet"), q("Frechet"));
        assert_eq!(q(r#"G\"odel \`a \^o \~n"#), ["godel"]);
        // A backslash before no letter only separates.
        assert_eq!(ix(r"5\% pruning ratio"), ["5", "prune", "ratio"]);
        assert_eq!(ix(r#"end\ a\'1 \\ x\"y"#), ["end", "1", "xy"]);
        assert_eq!(ix("trailing \\"), ["trail"]);
    }

    #[test]
    fn digits_glued_to_a_lost_times_or_sim_keep_only_the_digits() {
        assert_eq!(ix("LightHGNNs can run 100times faster than HGNNs"), ["lighthgnn", "run", "100", "faster", "hgnns"]);
        assert_eq!(
            ix("achieves 2.36sim 8.02times inference speed-up using 4sim 8 GPUs"),
            ["achiev", "2", "36", "236", "8", "02", "802", "infer", "speed", "up", "speedup", "use", "4", "8", "gpus"]
        );
        assert_eq!(q("2.36sim 8.02times"), ["236", "802"]);
        assert_eq!(ix("achieves 1.33times speedup"), ["achiev", "1", "33", "133", "speedup"]);
        // Only digits + exactly "times" or "sim": other words are left alone.
        assert_eq!(
            ix("ImageNet 256times256, 3 times, sometimes simple"),
            ["imagenet", "256times256", "3", "time", "sometim", "simpl"]
        );
        let text = "run 100times faster";
        let toks = tokens(text, Mode::Index);
        assert_eq!(&text[toks[1].start..toks[1].end], "100");
    }

    #[test]
    fn trailing_plus_signs_are_part_of_a_name() {
        assert_eq!(
            ix("FreeLong++: Training-Free Long Video Generation"),
            ["freelong", "freelong++", "train", "free", "trainingfre", "long", "video", "generat"]
        );
        assert_eq!(q("FreeLong++ extends FreeLong"), ["freelong++", "extend", "freelong"]);
        assert_eq!(
            ix("an efficient alternative, Lastde++ to enable"),
            ["effici", "altern", "lastd", "lastde++", "enabl"]
        );
        assert_eq!(q("Lastde++"), ["lastde++"]);
        // One letter: only the name is a term.
        assert_eq!(ix("BEDTools was written in C++. Source code"), ["bedtool", "written", "c++", "sourc", "code"]);
        assert_eq!(q("C++"), ["c++"]);
        // The name ends the compound; `+` between letters, before alphanumerics or as a run of
        // three only separates.
        assert_eq!(ix("HPBM in Ca++- and Mg++-free PBS"), ["hpbm", "ca", "ca++", "mg", "mg++", "free", "pbs"]);
        assert_eq!(ix("combination of prostratin+HDACI"), ["combin", "prostratin", "hdaci"]);
        assert_eq!(ix("SiT-XL/2 + REG"), ["sit", "xl", "2", "sitxl", "xl2", "sitxl2", "reg"]);
        assert_eq!(ix("C++11 Net+++ x+"), ["11", "net", "x+"]);
        // Names with `+` are not stemmed, and their span covers the signs.
        assert_eq!(stem("generation++"), "generation++");
        let text = "FreeLong++: Training-Free";
        let toks = tokens(text, Mode::Index);
        let name = toks.iter().find(|t| t.term == "freelong++").unwrap();
        assert_eq!(&text[name.start..name.end], "FreeLong++");
    }

    #[test]
    fn caret_joins_like_a_compound() {
        assert_eq!(
            ix("Pseudo-Captioning (PC^2) framework"),
            ["pseudo", "caption", "pseudocapt", "pc", "2", "pc2", "framework"]
        );
        assert_eq!(q("PC^2"), ["pc2"]);
        assert_eq!(ix("Optimization (D^2O), which"), ["optim", "2o", "d2o"]);
        assert_eq!(q("D^2O"), ["d2o"]);
        assert_eq!(q("Consistency Loss (I^2CL)"), ["consist", "loss", "i2cl"]);
        assert_eq!(ix("cross-covariance (MHC^3) to"), ["cross", "covari", "crosscovari", "mhc", "3", "mhc3"]);
        assert_eq!(q("Self Structural Semantic Alignment (S^3A)"), ["self", "structur", "semant", "align", "s3a"]);
        // A trailing caret, even before `+`, leaves the word alone.
        assert_eq!(ix("LightHGNN and LightHGNN^+ for fast"), ["lighthgnn", "lighthgnn", "fast"]);
        assert_eq!(ix("LightHGNN^"), ["lighthgnn"]);
        assert_eq!(
            ix("O(varepsilon^{-1}(log varepsilon^{-1})^{2}) iteration"),
            ["varepsilon", "1", "log", "varepsilon", "1", "2", "iter"]
        );
    }

    #[test]
    fn a_period_between_digits_joins_them() {
        assert_eq!(
            ix("up to 3x in training time, 1.8x in inference time"),
            ["up", "3x", "train", "time", "1", "8x", "18x", "infer", "time"]
        );
        assert_eq!(q("1.8x"), ["18x"]);
        assert_eq!(ix("Ferret's 3.7x"), ["ferret", "ferret", "3", "7x", "37x"]);
        assert_eq!(q("3.7x"), ["37x"]);
        // A sentence's period after a number, or after a word, still separates.
        assert_eq!(
            ix("perplexity increases from 5.6 to 6.3. On larger context"),
            ["perplex", "increas", "5", "6", "56", "6", "3", "63", "larger", "context"]
        );
        assert_eq!(ix("Llama 2. Experimental results"), ["llama", "2", "experiment", "result"]);
    }

    #[test]
    fn long_terms_are_cut_on_a_char_boundary() {
        let long = "é".repeat(100);
        let t = ix(&long);
        assert_eq!(t.len(), 1);
        assert!(t[0].len() <= MAX_TERM_BYTES);
        assert_eq!(q(&long), t);
        // A long name's `+` signs are cut like any character; cut away, it is the joined form.
        let name = format!("{}++", "n".repeat(39));
        assert_eq!(ix(&name), [&name[..39], &name[..40]]);
        assert_eq!(q(&name), [&name[..40]]);
        let name = format!("{}++", "n".repeat(45));
        assert_eq!(ix(&name), [&name[..40]]);
        assert_eq!(q(&name), [&name[..40]]);
    }
}
