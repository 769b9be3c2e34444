//! Query → ranked, verified hits over an [`Index`].
//!
//! A query ([`crate::query`] syntax) is compiled into *atoms*, one per query word, each with the
//! index terms that satisfy it (*alternatives*): the word's own stem (weight 1), and
//! - when the query ends in the word while typing (search-as-you-type, from 2 characters): the
//!   stems of up to [`max_expansions`] digest words that start with it ([`PREFIX_WEIGHT`]);
//! - when the digest has no word with its stem and it has 4+ characters: the stems of digest
//!   words within 1 edit (2 from 9 characters; with 2 edits, or in word lists over
//!   [`ANCHORED_TYPOS_FROM`] words, only words with the same first character), weighted
//!   [`FUZZY_WEIGHT`] per edit, so exact matches rank above fuzzy ones. For such words of 3+ characters the most common closest
//!   digest word also goes into a "did you mean" suggestion.
//!
//! Semantics: every required clause must match (AND; a clause is one item or `a OR b`; an item
//! is a word, a phrase, or a `title:` item). If no paper has the words of them all (as the
//! signatures say, or as verification finds when every candidate was a false positive), then:
//! if the query ends in a word being typed that may yet become a stop word ("… learning fo" on
//! the way to "… learning for"; not when it is the whole query or its own `OR` alternative) and
//! some paper has every other word, the results are what the finished query finds (that word
//! left out); otherwise every paper with some query word is a candidate, ranked (`partial`).
//! Papers with every word but a phrase out of order give none. Excluded items and filters
//! always hold.
//! Ranking is BM25 (k1 = [`K1`], b = [`B`]) from the signatures: idf from row popcounts (less
//! the expected false positives), term frequency from the [`TF_LEVELS`] buckets, length from the
//! LENGTHS section; a title match weighs `1 + TITLE_BOOST`; an atom scores its best alternative,
//! a completion of a word typed whole no more than the word itself would (`Plan::scoring_alts`).
//! Ties go to the lower paper number. Constants were chosen on SciFact and the known-item
//! benchmark (BENCHMARKS.md).
//!
//! Invariants:
//! - No false negatives: a paper satisfying the query is always a candidate (Bloom filters only
//!   err towards "maybe"; exclusions are only applied after verification).
//! - No false positives shown: every returned hit is re-checked against the stored text with
//!   the same tokenizer (terms, title scope, phrase order, exclusions) and its score recomputed
//!   from the terms really present.
//! - A [`Searcher`] reuses its buffers, so repeated searches do not grow memory.

use crate::hash::{term_hash, Field, TF_LEVELS};
use crate::index::words::Completions;
use crate::index::{DocMeta, DocRecord, ElementFractions, ElementRows, Index, IndexError, Shard};
use crate::query::{self, Filter, Item, Scope};
use crate::tokenize::{
    may_become_stop_word, name_terms, scan, scan_unstemmed, stem, stem_prefix, with_stem, MatcherParts, Mode,
    TermMatcher,
};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Extra weight of a term found in the title.
pub const TITLE_BOOST: f32 = 0.25;
/// BM25's term-frequency saturation (SciFact: 0.7 → 0.7009, 0.8 → 0.7020, 1.0 → 0.7017,
/// 1.2 → 0.6994 nDCG@10).
pub const K1: f32 = 0.8;
/// BM25's length normalization.
pub const B: f32 = 0.75;
/// Extra weight when every required word is in the title (score × 2: known-item P@1 0.992 →
/// 1.000 exact, 0.954 → 0.970 with prefixes; no effect on SciFact).
pub const TITLE_ALL_BOOST: f32 = 1.0;
/// Extra weight when a one-word query names the paper (its title's first word, as
/// [`crate::tokenize::name_terms`] gives it): score × 3 (prefix P@1 0.941 → 0.970).
pub const NAME_BOOST: f32 = 2.0;
/// Extra weight when the title starts with the query's words, in order, with nothing but stop
/// words and punctuation between them (queries of two or more words): score × 2. Known-item P@1
/// of the scale benchmark's 50 papers per corpus (title / typing / typo): seed 48 / 48 / 45 →
/// 50 / 50 / 47, SciFact 37 / 35 / 37 → 44 / 43 / 44, Debian 64k and registry 100k unchanged;
/// SciFact's nDCG@10 unchanged. (× 1.5: seed typing 49, SciFact typing 42; × 3: SciFact typing
/// 44, the rest as × 2, which is the factor of [`TITLE_ALL_BOOST`].)
pub const TITLE_START_BOOST: f32 = 1.0;
/// Weight of a prefix completion of the word being typed, times √(typed / completion length):
/// nearer completions first (prefix P@1 0.949 with a flat weight → 0.970).
pub const PREFIX_WEIGHT: f32 = 0.8;
/// Weight of a typo correction, per edit: 1 edit → 0.5, 2 edits → 0.25.
pub const FUZZY_WEIGHT: f32 = 0.5;
/// Completions or corrections kept per word (the most common and the shortest completions,
/// alternately; the closest corrections), on digests of up to
/// [`EXPANSION_ROW_WORDS`]` / 48 × 64` (16,384) papers.
pub const MAX_EXPANSIONS: usize = 48;
/// Each expansion is one more term whose rows are read over every shard, so larger digests
/// keep fewer: `EXPANSION_ROW_WORDS / (papers / 64)`, at least [`MIN_EXPANSIONS`] (8 at 100k
/// papers, where 48 completions cost ~1 ms).
pub const EXPANSION_ROW_WORDS: usize = 48 * 256;
/// The fewest completions or corrections kept per word, however large the digest.
pub const MIN_EXPANSIONS: usize = 8;
/// Words of a prefix's range looked at for its completions (a one- or two-letter prefix of a
/// large digest has tens of thousands).
const PREFIX_SCAN: usize = 8192;

/// A term's fields (title, tf buckets, title start) are ANDed over a whole shard when some
/// candidate has the term in at least 1 in this many of the shard's words of 64 papers; below
/// that, word by word at those words only.
const DENSE_FIELDS_FROM: usize = 2;

/// … and at least this many words (in smaller shards, reading word by word with an exit per
/// word costs less than setting up a pass over each row).
const DENSE_FIELDS_MIN_WORDS: usize = 32;

/// Word lists longer than this look for typo corrections only among words with the same first
/// character (registry-100k's 173k words: "xylophone" 6.2 → 0.4 ms); shorter ones find every
/// word within one edit ([`crate::index::words::Words::within`]: a scan of the words with the
/// same first character, lookups under the others). Two edits (words of 9+ characters) always
/// keep the first character: with two edits almost every 3-character prefix is still in reach,
/// so a full scan costs ~10× more.
pub const ANCHORED_TYPOS_FROM: usize = 65_536;
// Every list searched with lookups under other first characters has a membership filter.
const _: () = assert!(ANCHORED_TYPOS_FROM <= crate::index::words::FILTER_MAX_WORDS);

/// Completions or corrections kept per word for `index` (see [`EXPANSION_ROW_WORDS`]).
pub fn max_expansions(index: &Index<'_>) -> usize {
    let row_words = (index.papers() as usize).div_ceil(64).max(1);
    (EXPANSION_ROW_WORDS / row_words).clamp(MIN_EXPANSIONS, MAX_EXPANSIONS)
}
/// Query words beyond this many are ignored (bounds the work of pasted paragraphs).
pub const MAX_QUERY_TERMS: usize = 32;

/// One ranked result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    /// Paper number in the index.
    pub doc: u32,
    /// Relevance score (higher is better).
    pub score: f32,
    /// Required clauses (query words, phrases, `OR` groups) the paper satisfies.
    pub matched: u32,
}

/// A match of a query term in a text: (the term's position in [`SearchResults::terms`], start
/// byte, end byte), as [`TermMatcher::matches`] reports it.
pub type TermAt = (usize, usize, usize);

/// Where verification found the query's terms in one kept hit's stored text.
#[derive(Clone, Copy, Debug)]
pub struct FoundIn<'f, 'a> {
    /// Its record, as verification read it (the views need not read and check it again).
    pub record: &'f DocRecord<'a>,
    /// Every match in its title, in [`TermMatcher::matches`] order.
    pub title: &'f [TermAt],
    /// The matches in its abstract before `resume`, in [`TermMatcher::matches`] order.
    pub abstract_text: &'f [TermAt],
    /// Where the abstract's scan stopped early (verification had learned enough): the start of
    /// the whitespace-separated chunk it stopped in, from which a scan of the rest gives the
    /// remaining matches (the tokenizer's state is empty after whitespace). `None`: complete.
    pub resume: Option<usize>,
}

/// What verification found in the text of the hits it kept, so that their result views need
/// not scan it again ([`crate::view::ResultView::all`]). A cache, not a result: any two compare
/// equal.
#[derive(Clone, Debug, Default)]
pub struct Found<'a> {
    /// Per kept hit (sorted by paper once the run ends): the paper, its record, where its
    /// title's matches start in `matches`, where they end and its abstract's start, where those
    /// end, and `resume`.
    hits: Vec<(u32, DocRecord<'a>, [usize; 3], Option<usize>)>,
    /// Every kept hit's matches (one growing buffer, not two vectors per hit).
    matches: Vec<TermAt>,
}

impl<'a> Found<'a> {
    /// What was found for paper `doc`, if verification kept it.
    pub fn get(&self, doc: u32) -> Option<FoundIn<'_, 'a>> {
        let i = self.hits.binary_search_by_key(&doc, |h| h.0).ok()?;
        let (_, record, [start, title_end, end], resume) = &self.hits[i];
        Some(FoundIn {
            record,
            title: self.matches.get(*start..*title_end)?,
            abstract_text: self.matches.get(*title_end..*end)?,
            resume: *resume,
        })
    }

    /// Room for `hits` more hits, of ~16 matches each.
    fn reserve(&mut self, hits: usize) {
        self.hits.reserve(hits);
        self.matches.reserve(16 * hits);
    }

    /// Keeps what was found for paper `doc`.
    fn keep(
        &mut self,
        doc: u32,
        record: DocRecord<'a>,
        title: &[TermAt],
        abstract_text: &[TermAt],
        resume: Option<usize>,
    ) {
        let start = self.matches.len();
        self.matches.extend_from_slice(title);
        let title_end = self.matches.len();
        self.matches.extend_from_slice(abstract_text);
        self.hits.push((doc, record, [start, title_end, self.matches.len()], resume));
    }
}

impl PartialEq for Found<'_> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A search's [`TermMatcher`], kept for its result views: what it compiled for the search's
/// terms and the words it stemmed ([`MatcherParts`]). The views take it and put it back, so the
/// views of later pages start from what the first learned. A cache, not a result: any two
/// compare equal.
#[derive(Clone, Debug, Default)]
pub struct KeptMatcher(RefCell<Option<MatcherParts>>);

impl KeptMatcher {
    /// A matcher of `terms` (the results' terms): the kept one, or a new one when it is out.
    pub fn take<'t>(&self, terms: &'t [String]) -> TermMatcher<'t> {
        match self.0.take() {
            Some(parts) => TermMatcher::from_parts(terms, parts),
            None => TermMatcher::new(terms),
        }
    }

    /// Keeps `matcher` (of the results' terms) for the next [`KeptMatcher::take`].
    pub fn keep(&self, matcher: TermMatcher<'_>) {
        self.0.replace(Some(matcher.into_parts()));
    }
}

impl PartialEq for KeptMatcher {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The outcome of one search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults<'a> {
    /// Every index term searched (stems of the query words, their completions and
    /// corrections), for highlighting.
    pub terms: Vec<String>,
    /// For each of `terms`, the query word it stands for (the word's own stem, a completion or a
    /// correction of it), numbered from 0 in plan order (the parts of a compound, which only
    /// score, are words of their own, after the query's words); `None` for a term only an
    /// exclusion has. An excerpt is the window with the most distinct query words, so the many
    /// completions of a word being typed count as that one word.
    pub term_words: Vec<Option<usize>>,
    /// How many required clauses the query has.
    pub required: usize,
    /// Best hits first, at most the requested limit.
    pub hits: Vec<Hit>,
    /// Papers that match (all clauses, or in fallback mode at least one word): the candidates
    /// the signatures give, less those verification (or the pass before scoring) found not
    /// to match. Exact when verification read every candidate (fewer hits than the limit);
    /// otherwise it may exceed the exact count by the Bloom false positives not yet read —
    /// except for one required word in a digest of `1/ε` papers or more, whose alternatives'
    /// false positives (~`ε·n` each) may be a tenth of the unread candidates or more: then
    /// those read plus the unread candidates' matching share in an even sample of 32 of them
    /// (an estimate, above or below the count; [`SearchResults::total_estimated`]).
    pub total: usize,
    /// True when [`SearchResults::total`] is the estimate from a sample of the unread
    /// candidates (shown as "about" in the widget): false when it is exact or a bound that
    /// counts the few Bloom false positives verification did not read.
    pub total_estimated: bool,
    /// True when no paper matched every clause and the hits are partial matches: papers with
    /// any scoring word, or, when the word being typed is not required
    /// ([`Searcher::search_with`]), papers with every other word.
    pub partial: bool,
    /// In that last case, the word being typed as the query has it ("Al" in "UFO: Al"): the
    /// hits need not have it (none of its completions searched is in a paper with the other
    /// words; it may yet become a word one of them has). `None` otherwise.
    pub unfinished: Option<String>,
    /// The query with words the digest does not contain replaced by their closest digest word
    /// ("did you mean"); `None` when every word was found as typed.
    pub suggestion: Option<String>,
    /// Facet counts, when [`SearchOptions::facets`] asked for them.
    pub facets: Facets,
    /// Verification's matcher of `terms`, for the result views ([`crate::view::ResultView::all`]).
    pub matcher: KeptMatcher,
    /// Where verification found the terms in the hits' text, for their result views.
    pub found: Found<'a>,
}

impl SearchResults<'_> {
    /// These results with the terms and suggestion of `plan`, the plan they were found with.
    fn of(mut self, plan: Plan) -> Self {
        self.terms = plan.terms;
        self.suggestion = plan.suggestion;
        self
    }
}

/// Result order. Its names ([`Sort::name`]: `relevance`, `newest`, `upvotes`) are what the JS
/// API and page URLs use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best score first (a query of filters alone: newest first).
    #[default]
    Relevance,
    /// Latest date first (papers without a date last), then best score.
    Newest,
    /// Most upvotes first (papers without upvotes last), then best score.
    Upvotes,
}

impl Sort {
    /// Every order, in the order a UI offers them.
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Newest, Sort::Upvotes];

    /// The order's name.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Upvotes => "upvotes",
        }
    }

    /// The order named `name`, if any.
    pub fn from_name(name: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A search UI's facet selection, applied like the query's own `year:` and `has:code` filters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refine {
    /// Only papers of this year.
    pub year: Option<u16>,
    /// Only papers with a code link.
    pub has_code: bool,
}

/// How the matching papers divide by year and by code links. Each facet is counted as if its
/// own filters were absent (the query's `year:` filters and [`Refine::year`] for the years, its
/// `has:code` filters and [`Refine::has_code`] for the code count) and every other filter
/// held, so a UI can offer to switch to another year. Counted on the signatures' candidates,
/// less those found not to match, like [`SearchResults::total`], and estimated with it from
/// the same sample when [`SearchResults::total_estimated`] (papers the filters leave out are
/// never read: their counts may hold Bloom false positives).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// (year, papers), latest year first; only years with papers.
    pub years: Vec<(u16, usize)>,
    /// Papers without a known year.
    pub no_year: usize,
    /// Papers with at least one code link.
    pub with_code: usize,
}

/// How to search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchOptions {
    /// Hits wanted.
    pub limit: usize,
    /// Search-as-you-type: a last word the query ends in is also a prefix.
    pub prefix: bool,
    /// Typo tolerance for words the digest does not contain.
    pub fuzzy: bool,
    /// Result order.
    pub sort: Sort,
    /// Count [`Facets`] (costs one record header read per matching paper).
    pub facets: bool,
    /// Facet selection, applied as filters.
    pub refine: Refine,
}

impl SearchOptions {
    /// The widget's defaults: prefixes and typo tolerance on, by relevance, no facets.
    pub fn new(limit: usize) -> Self {
        Self { limit, prefix: true, fuzzy: true, sort: Sort::Relevance, facets: false, refine: Refine::default() }
    }
}

/// One query word after compilation.
#[derive(Clone, Debug)]
struct Atom {
    /// (term, weight) pairs; the word's own stem first.
    alts: Vec<(usize, f32)>,
    /// Must occur in the title.
    title: bool,
    /// The first alternative is the word as typed and the others its completions: a completion
    /// scores no more than the word itself would in the same paper (see [`Plan::scoring_alts`]).
    typed_first: bool,
}

impl Atom {
    /// Adds term `t` as an alternative of `weight`, unless it already is one.
    fn add(&mut self, t: usize, weight: f32) {
        if !self.alts.iter().any(|&(x, _)| x == t) {
            self.alts.push((t, weight));
        }
    }
}

/// A conjunction of atoms (a multi-term word or a phrase), as one alternative of a clause.
#[derive(Clone, Debug)]
struct Conj {
    atoms: Vec<usize>,
    /// For a phrase: the atoms' own stems, in order, to find consecutively.
    phrase: Option<(Vec<String>, Scope)>,
}

/// What one [`Searcher::run`] of a plan gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// The papers with every word, or nothing when the signatures say none has them all.
    Every,
    /// The papers with every word, or the closest matches when the signatures say none has
    /// them all.
    EveryOrClosest,
    /// The closest matches (papers with any scoring word), though some papers may have every
    /// word.
    Closest,
}

/// Where a plan's word being typed is ([`Plan::relaxable`]).
#[derive(Clone, Copy, Debug)]
struct Relaxable {
    typing: Typing,
    /// Its clause, and the conjunction of that clause that has it.
    clause: usize,
    conj: usize,
}

/// The query's last word, being typed (no space after it yet): [`Plan::relaxable`].
#[derive(Clone, Copy, Debug)]
struct Typing {
    atom: usize,
    /// It may yet become a stop word ("fo" on the way to "for").
    may_be_stop_word: bool,
    /// Its bytes in the query.
    span: (usize, usize),
}

/// The compiled query.
#[derive(Clone, Debug, Default)]
struct Plan {
    terms: Vec<String>,
    /// Terms whose full title rows are needed (title-scoped atoms).
    title_full: Vec<bool>,
    atoms: Vec<Atom>,
    /// Required clauses: any one conjunction of each.
    clauses: Vec<Vec<Conj>>,
    /// Score-only atoms (parts of compounds: "SQ-GAN" also scores "sq", "gan").
    optional: Vec<usize>,
    /// Excluded conjunctions.
    excluded: Vec<Conj>,
    filters: Vec<(Filter, bool)>,
    suggestion: Option<String>,
    /// The word being typed, which [`Plan::relaxed`] leaves out or to scoring.
    typing: Option<Typing>,
}

impl Plan {
    /// The number of index term `t`, added if new; `title` marks it as needing full title rows.
    fn term(&mut self, t: &str, title: bool) -> usize {
        let i = match self.terms.iter().position(|x| x == t) {
            Some(i) => i,
            None => {
                self.terms.push(t.to_string());
                self.title_full.push(false);
                self.terms.len() - 1
            }
        };
        self.title_full[i] |= title;
        i
    }

    /// Where [`Plan::relaxed`] takes the word being typed from: (its atom, clause,
    /// conjunction); `None` without such a word, or when it is all the query requires or its
    /// own alternative of an `OR`.
    fn relaxable(&self) -> Option<Relaxable> {
        let typing = self.typing?;
        let a = typing.atom;
        let (c, j) = self
            .clauses
            .iter()
            .enumerate()
            .find_map(|(c, clause)| Some((c, clause.iter().position(|conj| conj.atoms.contains(&a))?)))?;
        let alone = self.clauses[c][j].atoms.len() == 1;
        (!alone || (self.clauses[c].len() == 1 && self.clauses.len() > 1)).then_some(Relaxable {
            typing,
            clause: c,
            conj: j,
        })
    }

    /// This plan without requiring the word being typed, where [`Plan::relaxable`] found it.
    /// A word that may yet become a stop word is taken as finished as one: its atom neither
    /// required nor scored (its terms stay, matching nothing: no paper had them with the
    /// other words), so hits score as the finished query's do. Any other is scored only, as
    /// the parts of a compound are: its completions name what the reader may be after, but
    /// none of them (the most common and the shortest) is in a paper with the other words,
    /// and the word it becomes may well be.
    fn relaxed(&self, at: Relaxable) -> Plan {
        let mut relaxed = Plan { typing: None, ..self.clone() };
        if !at.typing.may_be_stop_word {
            relaxed.optional.push(at.typing.atom);
        }
        let conj = &mut relaxed.clauses[at.clause][at.conj];
        if conj.atoms.len() > 1 {
            conj.atoms.retain(|&x| x != at.typing.atom);
        } else {
            relaxed.clauses.remove(at.clause);
        }
        relaxed
    }

    /// The atom a paper's name (its title's first word) is compared with: a one-word query's
    /// word. (Also for longer queries: SciFact nDCG@10 0.702 → 0.659; a lookup's typo or
    /// prefix P@1 gains nothing.)
    fn name_atom(&self) -> Option<usize> {
        if self.clauses.len() > 1 {
            return None; // a description, not a name lookup
        }
        self.clauses.first()?.first()?.atoms.first().copied()
    }

    /// Of the papers whose atoms in the title are given as bit sets (`in_title(atom)`), those
    /// for which every required clause has a conjunction whose atoms are all in the title
    /// (none when there is no clause). One paper: bit 0 of `u64::from(bool)`.
    fn all_in_title(&self, in_title: impl Fn(usize) -> u64) -> u64 {
        if self.clauses.is_empty() {
            return 0;
        }
        self.clauses.iter().fold(u64::MAX, |all, clause| {
            all & clause.iter().fold(0, |any, c| any | c.atoms.iter().fold(u64::MAX, |x, &a| x & in_title(a)))
        })
    }

    /// [`SearchResults::term_words`]: each term belongs to the first scoring atom that has it
    /// among its alternatives, and atoms are numbered in order, skipping those left without a
    /// term of their own (a word given twice).
    fn term_words(&self) -> Vec<Option<usize>> {
        let mut of = vec![None; self.terms.len()];
        let mut words = 0;
        for a in self.scoring_atoms() {
            let mut own = false;
            for &(t, _) in &self.atoms[a].alts {
                if of[t].is_none() {
                    of[t] = Some(words);
                    own = true;
                }
            }
            words += usize::from(own);
        }
        of
    }

    /// The required words' atoms in the order of the query, when it has two or more and no
    /// `OR` (for [`title_starts_with`]).
    fn word_order(&self) -> Option<Vec<usize>> {
        if self.clauses.iter().any(|c| c.len() != 1) {
            return None;
        }
        let atoms: Vec<usize> = self.clauses.iter().flat_map(|c| c[0].atoms.iter().copied()).collect();
        (atoms.len() >= 2).then_some(atoms)
    }

    /// Atoms the score is made of: the required and optional ones (not the excluded).
    fn scoring_atoms(&self) -> impl Iterator<Item = usize> + '_ {
        self.clauses.iter().flatten().flat_map(|c| c.atoms.iter().copied()).chain(self.optional.iter().copied())
    }

    /// Each atom's alternatives with the weights they score with, given each term's `idfs`:
    /// a completion of a word typed whole weighs at most what the word itself would (its weight
    /// times the word's idf over its own, when that is less than 1). A rare completion's idf
    /// is otherwise far above a common word's: 'python' at registry 100k (17,010 papers) listed
    /// the packages of 'pythonz', 'pythonx' and 'pythonc' (a few papers each) first.
    fn scoring_alts(&self, idfs: &[f32]) -> Vec<Vec<(usize, f32)>> {
        self.atoms
            .iter()
            .map(|atom| {
                let own = atom.alts.first().filter(|_| atom.typed_first).map(|&(t, _)| idfs[t]);
                atom.alts
                    .iter()
                    .enumerate()
                    .map(|(i, &(t, weight))| match own {
                        Some(own) if i > 0 && idfs[t] > own => (t, weight * own / idfs[t]),
                        _ => (t, weight),
                    })
                    .collect()
            })
            .collect()
    }
}

/// True when some digest word stems to `term`.
fn in_digest(index: &Index<'_>, term: &str) -> Result<bool, IndexError> {
    let mut found = false;
    index.words().with_prefix(stem_prefix(term), |w| {
        found = with_stem(w, |s| s == term);
        !found
    })?;
    Ok(found)
}

/// Edits allowed for a word of `chars` characters that the digest does not contain: 1 from 4
/// characters (4-letter acronyms such as "PAER" for PASER: known-item P@1 with a typo 0.966 →
/// 0.996 over starting at 5), 2 from 9.
fn max_edits(chars: usize) -> u32 {
    match chars {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// Digest words within `max` edits of `word`, closest first (then shorter, then in order).
fn corrections(index: &Index<'_>, word: &str, max: u32) -> Result<Vec<(String, u32)>, IndexError> {
    let mut out: Vec<(String, u32)> = Vec::new();
    let push = |w: &str, d| out.push((w.to_string(), d));
    if max >= 2 || index.words().len() > ANCHORED_TYPOS_FROM {
        let first = word.chars().next().map_or(0, char::len_utf8);
        index.words().within_starting(word, max, &word[..first], push)?;
    } else {
        index.words().within(word, max, push)?;
    }
    crate::sort::sort_by(&mut out, |a, b| a.1.cmp(&b.1).then(a.0.len().cmp(&b.0.len())).then(a.0.cmp(&b.0)));
    Ok(out)
}

/// Compiles `query` for `index`.
fn plan(index: &Index<'_>, text: &str, options: &SearchOptions) -> Result<Plan, IndexError> {
    let parsed = query::parse(text);
    // Room for a typical query's terms (a typed word's completions among them) and atoms.
    let mut plan = Plan {
        filters: parsed.filters.clone(),
        terms: Vec::with_capacity(32),
        title_full: Vec::with_capacity(32),
        atoms: Vec::with_capacity(8),
        ..Plan::default()
    };
    if let Some(y) = options.refine.year {
        plan.filters.push((Filter::Year(query::Compare::Eq(u32::from(y))), false));
    }
    if options.refine.has_code {
        plan.filters.push((Filter::HasCode, false));
    }
    let mut rewrites: Vec<((usize, usize), String)> = Vec::new();
    let mut budget = MAX_QUERY_TERMS;
    for clause in &parsed.clauses {
        let mut conjs = Vec::new();
        for item in clause {
            if let Some(c) = compile_item(index, item, options, &mut plan, &mut rewrites, &mut budget, true)? {
                conjs.push(c);
            }
        }
        if !conjs.is_empty() {
            plan.clauses.push(conjs);
        }
    }
    for item in &parsed.excluded {
        let exact = SearchOptions { prefix: false, fuzzy: false, ..*options };
        if let Some(c) = compile_item(index, item, &exact, &mut plan, &mut rewrites, &mut budget, false)? {
            plan.excluded.push(c);
        }
    }
    if !rewrites.is_empty() {
        let mut s = text.to_string();
        crate::sort::sort_by_key(&mut rewrites, |r| std::cmp::Reverse(r.0 .0));
        for ((a, b), w) in rewrites {
            s.replace_range(a..b, &w);
        }
        plan.suggestion = Some(s);
    }
    Ok(plan)
}

/// Compiles one item into a conjunction of atoms (`None` when it has no searchable word).
fn compile_item(
    index: &Index<'_>,
    item: &Item,
    options: &SearchOptions,
    plan: &mut Plan,
    rewrites: &mut Vec<((usize, usize), String)>,
    budget: &mut usize,
    positive: bool,
) -> Result<Option<Conj>, IndexError> {
    let mut words: Vec<(String, usize, usize)> = Vec::with_capacity(8);
    scan_unstemmed(&item.text, Mode::Query, |w, s, e| {
        words.push((w.to_string(), s, e));
        true
    });
    words.truncate(*budget);
    *budget -= words.len();
    if words.is_empty() {
        return Ok(None);
    }
    let title = item.scope == Scope::Title;
    let mut conj = Conj { atoms: Vec::with_capacity(words.len()), phrase: None };
    let mut stems = Vec::with_capacity(words.len());
    let mut left_out: Vec<String> = Vec::new(); // own stems no paper has, covered by completions
    let last = words.len() - 1;
    for (n, (word, s, e)) in words.iter().enumerate() {
        let own = stem(word).into_owned();
        let chars = word.chars().count();
        let typing = options.prefix && !item.phrase && item.at_end && n == last && *e == item.text.len();
        let expansions = max_expansions(index);
        // Completions, alternately the most common and the shortest (`Words::completions`);
        // several words may share a stem, so a few times more words than expansions are kept.
        let mut completions = Completions::default();
        if typing && chars >= 2 {
            let keep = expansions * 4;
            completions = index.words().completions(word, keep, PREFIX_SCAN)?;
        }
        // The word's own stem, unless completions stand in for it and no paper has it (its
        // rows are empty in every shard: a Bloom filter has no false negatives, so leaving it
        // out changes no candidate, score or match, and spares verification and the views
        // every word that starts like it: "lo" would let through every word starting with "l").
        let mut atom =
            Atom { alts: Vec::with_capacity(1 + completions.len().min(expansions)), title, typed_first: false };
        let own_left_out = !completions.is_empty() && !in_some_paper(index, &own)?;
        if own_left_out {
            left_out.push(own.clone());
        } else {
            atom.alts.push((plan.term(&own, title), 1.0));
        }
        for w in completions.iter() {
            // (Counting the own stem as if it were there: the same completions either way.)
            if atom.alts.len() + usize::from(own_left_out) > expansions {
                break;
            }
            let ratio = chars as f32 / w.chars().count().max(1) as f32;
            let id = with_stem(w, |s| plan.term(s, title));
            atom.add(id, PREFIX_WEIGHT * ratio.sqrt());
        }
        let expanded = atom.alts.len() > usize::from(!own_left_out);
        atom.typed_first = expanded && !own_left_out;
        // A word the digest has as typed is in it; otherwise look for any word with its stem
        // (stemming every word that starts like it).
        if options.fuzzy
            && !item.phrase
            && !expanded
            && chars >= 3
            && !index.words().contains(word)?
            && !in_digest(index, &own)?
        {
            // Typo tolerance from 4 characters; "did you mean" also for 3 (one edit).
            let fixes = corrections(index, word, max_edits(chars).max(1))?;
            // Suggest the most common of the closest words ("gam" → "gan", not "cam").
            let closest = fixes.first().map_or(0, |f| f.1);
            let mut best: Option<(usize, &str)> = None;
            for (w, _) in fixes.iter().take_while(|f| f.1 == closest).take(expansions) {
                let df = with_stem(w, |s| estimate_df(index, s))?;
                if best.is_none_or(|(d, _)| df > d) {
                    best = Some((df, w));
                }
            }
            if let Some((_, w)) = best {
                rewrites.push(((item.span.0 + s, item.span.0 + e), w.to_string()));
            }
            if max_edits(chars) > 0 {
                for (w, d) in fixes.into_iter().take(expansions) {
                    let id = with_stem(&w, |s| plan.term(s, title));
                    atom.add(id, FUZZY_WEIGHT.powi(d as i32));
                }
            }
        }
        if typing && positive {
            plan.typing = Some(Typing {
                atom: plan.atoms.len(),
                may_be_stop_word: may_become_stop_word(word),
                span: (item.span.0 + s, item.span.0 + e),
            });
        }
        stems.push(own);
        conj.atoms.push(plan.atoms.len());
        plan.atoms.push(atom);
    }
    if item.phrase && words.len() > 1 {
        conj.phrase = Some((stems, item.scope));
    }
    if positive && !item.phrase {
        // Parts of compounds score too ("SQ-GAN" → "sq", "gan"), never required; not the inner
        // runs of a longer one ("rollupplugin" in "rollup-plugin-sass"), which would add rows to
        // read and little score.
        let mut last_part: Option<(usize, usize)> = None;
        scan(&item.text, Mode::Index, |t, start, end| {
            if last_part.is_some_and(|part| joins_parts((start, end), part)) {
                return true;
            }
            last_part = Some((start, end));
            let known = plan.terms.iter().chain(&left_out).any(|x| x == t);
            if !known && plan.optional.len() < MAX_QUERY_TERMS {
                let id = plan.term(t, title);
                plan.optional.push(plan.atoms.len());
                plan.atoms.push(Atom { alts: vec![(id, 1.0)], title: false, typed_first: false });
            }
            true
        });
    }
    Ok(Some(conj))
}

/// How many of the candidates verification left unread a search reads to estimate how many of
/// them match, when they may hold many Bloom false positives (see [`SearchResults::total`]): 32
/// give the share within ~±9 percentage points (one standard error at worst), for a few
/// microseconds of short records.
const TOTAL_SAMPLE: usize = 32;

/// Reusable search state (buffers), one per thread.
#[derive(Debug, Default)]
pub struct Searcher {
    any: Vec<u64>,
    title: Vec<u64>,
    tf: Vec<u64>,
    start: Vec<u64>,
    atom_bits: Vec<u64>,
    acc: Vec<u64>,
    tmp: Vec<u64>,
    /// One field's rows ANDed over a shard (the dense way of computing candidates' fields).
    field: Vec<u64>,
    /// Hits before verification.
    candidates: Vec<Hit>,
    /// The plan's terms' BM25 numerators.
    weights: Vec<TermWeights>,
    /// The words of 64 papers where a candidate has a term, and those candidates.
    live_words: Vec<(usize, u64)>,
    /// Where verification found the terms in a candidate's title and abstract.
    term_at: (Vec<TermAt>, Vec<TermAt>),
    /// Candidates the last run dropped before scoring (`Searcher::drop_unmatched`).
    dropped: usize,
    /// Never drop candidates before scoring (tests compare the two ways).
    keep_unmatched: bool,
    /// Never sample the unread candidates for the total (tests compare bounds).
    bound_totals: bool,
}

fn and_rows(index: &Index<'_>, shard: &Shard, element: &ElementFractions, out: &mut [u64]) {
    out.fill(u64::MAX);
    mask_tail(shard, out);
    for r in element.in_shard(shard) {
        let row = index.row(shard, r);
        for (w, chunk) in out.iter_mut().zip(row.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *w &= u64::from_le_bytes(b);
        }
    }
}

/// Clears the bits past the shard's last paper.
fn mask_tail(shard: &Shard, out: &mut [u64]) {
    if let Some(last) = out.last_mut() {
        let tail = shard.len % 64;
        if tail != 0 {
            *last &= (1u64 << tail) - 1;
        }
    }
}

/// BM25's idf for a term in `df` of `n` papers.
pub fn idf(df: usize, n: usize) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Whether the paper's facts pass the filters, by kind: (its year filters, its `has:code`
/// filters, the others) — each `true` when every filter of that kind holds.
fn passes(meta: &DocMeta, filters: &[(Filter, bool)]) -> (bool, bool, bool) {
    let (mut year, mut code, mut rest) = (true, true, true);
    for &(f, negated) in filters {
        let (holds, kind) = match f {
            Filter::Year(c) => (meta.year.is_some_and(|y| c.holds(u32::from(y))), &mut year),
            Filter::Authors(c) => (meta.authors.is_some_and(|a| c.holds(a)), &mut rest),
            Filter::Upvotes(c) => (meta.upvotes.is_some_and(|u| c.holds(u)), &mut rest),
            Filter::HasCode => (meta.code > 0, &mut code),
        };
        *kind &= holds != negated;
    }
    (year, code, rest)
}

/// What verification found in one paper's text, per term.
struct Seen {
    /// Occurrences in title and abstract.
    count: Vec<u32>,
    any: Vec<bool>,
    title: Vec<bool>,
}

impl Seen {
    /// Nothing seen yet of `terms` terms.
    fn new(terms: usize) -> Self {
        Self { count: vec![0; terms], any: vec![false; terms], title: vec![false; terms] }
    }

    /// Forgets what was seen (for the next paper).
    fn clear(&mut self) {
        self.count.fill(0);
        self.any.fill(false);
        self.title.fill(false);
    }

    fn atom(&self, plan: &Plan, a: usize) -> bool {
        let atom = &plan.atoms[a];
        let seen = if atom.title { &self.title } else { &self.any };
        atom.alts.iter().any(|&(t, _)| seen[t])
    }

    /// Every clause has a conjunction whose atoms were all seen (phrases aside).
    fn every_word(&self, plan: &Plan) -> bool {
        plan.clauses.iter().all(|c| c.iter().any(|x| x.atoms.iter().all(|&a| self.atom(plan, a))))
    }

    /// Whether paper `doc` has a word of every atom of some conjunction of every clause (phrases
    /// and exclusions aside), by its text as verification reads it, read into this (cleared
    /// first) only until every word is seen; where the stored abstract is cut, `vouch` adds what
    /// the paper's signature says of the rest ([`Seen::vouch_for_cut`]).
    fn read_every_word(
        &mut self,
        index: &Index<'_>,
        plan: &Plan,
        matcher: &mut TermMatcher<'_>,
        doc: u32,
        vouch: impl FnOnce(&mut Seen),
    ) -> Result<bool, IndexError> {
        self.clear();
        let rec = index.doc_text(doc)?;
        let mut every = false;
        matcher.matches(rec.title, |t, _, _| {
            self.title[t] = true;
            self.any[t] = true;
            every = self.every_word(plan);
            !every
        });
        if !every {
            matcher.matches(rec.abstract_text, |t, _, _| {
                self.any[t] = true;
                every = self.every_word(plan);
                !every
            });
        }
        if !every && rec.abstract_cut {
            vouch(self);
            every = self.every_word(plan);
        }
        Ok(every)
    }

    /// Where a paper's stored abstract is cut short, what the text lacks its signature vouches
    /// for (a Bloom term at its false-positive rate; a private-row term exactly): `any` rows
    /// per term of `total_words` words, the paper at (`word`, `bit`).
    fn vouch_for_cut(&mut self, any: &[u64], total_words: usize, word: usize, bit: u32) {
        for (t, seen) in self.any.iter_mut().enumerate() {
            *seen |= any[t * total_words + word] & (1u64 << bit) != 0;
        }
    }
}

/// What a candidate's text must hold for verification to keep it, as far as the plan's atoms
/// go (phrases and exclusions ask more): every clause a conjunction whose atoms all have a
/// term in the text (a title-scoped atom in the title), or, for the closest matches, some
/// scoring atom. Atoms are bits of a `u64`: plans of at most 64 atoms.
struct NeededAtoms {
    /// Per term: the atoms it is an alternative of that it meets anywhere in the text, and
    /// those it meets only in the title.
    anywhere: Vec<u64>,
    in_title: Vec<u64>,
    /// Per clause, its conjunctions' atoms; empty for the closest matches.
    clauses: Vec<Vec<u64>>,
    /// The closest matches: any one of these (the scoring atoms).
    closest: Option<u64>,
}

impl NeededAtoms {
    /// `None` when the plan has more than 64 atoms.
    fn new(plan: &Plan, closest: bool) -> Option<Self> {
        if plan.atoms.len() > 64 {
            return None;
        }
        let (mut anywhere, mut in_title) = (vec![0u64; plan.terms.len()], vec![0u64; plan.terms.len()]);
        for (a, atom) in plan.atoms.iter().enumerate() {
            for &(t, _) in &atom.alts {
                if atom.title {
                    in_title[t] |= 1 << a;
                } else {
                    anywhere[t] |= 1 << a;
                }
            }
        }
        let mask = |atoms: &[usize]| atoms.iter().fold(0u64, |m, &a| m | 1 << a);
        let clauses = if closest {
            Vec::new()
        } else {
            plan.clauses.iter().map(|c| c.iter().map(|conj| mask(&conj.atoms)).collect()).collect()
        };
        let closest = closest.then(|| plan.scoring_atoms().fold(0u64, |m, a| m | 1 << a));
        Some(Self { anywhere, in_title, clauses, closest })
    }

    /// Whether atoms `seen` are enough.
    fn met(&self, seen: u64) -> bool {
        match self.closest {
            Some(any) => seen & any != 0,
            None => self.clauses.iter().all(|c| c.iter().any(|&conj| conj & !seen == 0)),
        }
    }
}

/// True when `title` starts with a term of each of `words` (atoms of `plan`) in turn, with
/// nothing that tokenizes to a term before or between them; `found` is where verification
/// found the plan's terms in the title, in order. Matches of other terms (a compound's parts
/// next to its joined form, say) are passed over; a word they stand for is in a gap.
fn title_starts_with(title: &str, found: &[TermAt], plan: &Plan, words: &[usize]) -> bool {
    let mut next = 0;
    let mut pos = 0;
    for &(t, s, e) in found {
        if next == words.len() {
            break;
        }
        if s < pos || !plan.atoms[words[next]].alts.iter().any(|&(x, _)| x == t) {
            continue;
        }
        let mut gap_has_term = false;
        scan(title.get(pos..s).unwrap_or(""), Mode::Index, |_, _, _| {
            gap_has_term = true;
            false
        });
        if gap_has_term {
            return false;
        }
        next += 1;
        pos = e;
    }
    next == words.len()
}

/// True when a token spanning `token` (byte offsets), emitted after a token spanning `last_part`,
/// joins parts of a compound rather than being a word of its own: it starts before that part, or
/// at it and ends past it (the tokenizer emits a compound's parts, then its joined forms).
fn joins_parts(token: (usize, usize), last_part: (usize, usize)) -> bool {
    token.0 < last_part.0 || (token.0 == last_part.0 && token.1 > last_part.1)
}

/// True when `stems` occur consecutively in `text` (stop words skipped, as the tokenizer does).
/// A phrase word may match one part of a compound or the whole compound: "sq gan" and "SQ-GAN"
/// both occur in "SQ-GAN model", and so does "SQ-GAN model".
fn has_phrase(text: &str, stems: &[String]) -> bool {
    // Parts in order, and joined forms as (first part, last part, term).
    let mut parts: Vec<(String, usize, usize)> = Vec::new();
    let mut joined: Vec<(usize, usize, String)> = Vec::new();
    scan(text, Mode::Index, |t, start, end| {
        match parts.last() {
            // A joined form (the whole, an inner run, or a name with its `+` signs): the parts
            // it covers.
            Some(&(_, s, e)) if joins_parts((start, end), (s, e)) => {
                let first = parts.iter().rposition(|p| p.1 < start).map_or(0, |i| i + 1);
                let last = parts.iter().rposition(|p| p.2 <= end).unwrap_or(first).max(first);
                joined.push((first, last, t.to_string()));
            }
            _ => parts.push((t.to_string(), start, end)),
        }
        true
    });
    fn from(
        at: usize,
        k: usize,
        stems: &[String],
        parts: &[(String, usize, usize)],
        joined: &[(usize, usize, String)],
    ) -> bool {
        if k == stems.len() {
            return true;
        }
        if parts.get(at).is_some_and(|p| p.0 == stems[k]) && from(at + 1, k + 1, stems, parts, joined) {
            return true;
        }
        joined
            .iter()
            .any(|(first, last, t)| *first == at && *t == stems[k] && from(last + 1, k + 1, stems, parts, joined))
    }
    !stems.is_empty() && (0..parts.len()).any(|at| from(at, 0, stems, &parts, &joined))
}

/// Papers whose signature may contain `term` (the popcount of its rows' AND, false positives
/// included), counted shard by shard until at least `enough` are found.
fn count_papers(index: &Index<'_>, term: &str, enough: usize) -> Result<usize, IndexError> {
    let rows = index.element_rows(term_hash(Field::Any, term)).fractions(index.k());
    let (mut df, mut buf) = (0, Vec::new());
    for i in 0..index.shard_count() {
        if df >= enough {
            break;
        }
        let s = index.shard(i)?;
        buf.clear();
        buf.resize(s.words as usize, 0u64);
        and_rows(index, &s, &rows, &mut buf);
        df += buf.iter().map(|x| x.count_ones() as usize).sum::<usize>();
    }
    Ok(df)
}

/// True when some paper may have `term` (false: certainly none, a Bloom filter having no false
/// negatives).
fn in_some_paper(index: &Index<'_>, term: &str) -> Result<bool, IndexError> {
    Ok(count_papers(index, term, 1)? > 0)
}

/// Estimated number of papers containing `term`.
fn estimate_df(index: &Index<'_>, term: &str) -> Result<usize, IndexError> {
    count_papers(index, term, usize::MAX)
}

impl Searcher {
    /// A searcher with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Searches `query` with the widget's defaults ([`SearchOptions::new`]), returning at most
    /// `limit` verified hits.
    pub fn search<'a>(
        &mut self,
        index: &Index<'a>,
        query: &str,
        limit: usize,
    ) -> Result<SearchResults<'a>, IndexError> {
        self.search_with(index, query, &SearchOptions::new(limit))
    }

    /// Searches `query` with `options`.
    ///
    /// When no paper has every word, the closest matches are given instead (papers with any
    /// scoring word, [`SearchResults::partial`] set), with one exception. That holds whether
    /// the signatures already say so (their AND is empty) or verification does (no candidate of
    /// the AND, before filters, has every word: all were Bloom false positives). Papers with
    /// every word but a phrase out of order or an exclusion give no closest matches.
    ///
    /// The exception: a last word being typed (not when it is the whole query or its own `OR`
    /// alternative) is not required when no paper has it with the other words but some paper
    /// has every other word. One that may yet become a stop word ("… learning fo" on the way
    /// to "… learning for") is left out: the results are those of the finished query, hits and
    /// scores; like its, they may be empty (no closest matches) when filters, an exclusion or
    /// a phrase's order remove every such paper. Any other word being typed ("… UFO: Al", none
    /// of whose completions searched is in a paper with "UFO") still scores, and the results
    /// (papers with every other word) are partial, with the word in [`SearchResults::unfinished`].
    pub fn search_with<'a>(
        &mut self,
        index: &Index<'a>,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults<'a>, IndexError> {
        let plan = plan(index, query, options)?;
        let relaxable = plan.relaxable();
        let first = if relaxable.is_some() { Want::Every } else { Want::EveryOrClosest };
        let (results, every_word_seen) = self.run(index, &plan, options, first)?;
        if every_word_seen || plan.clauses.is_empty() {
            return Ok(results.of(plan));
        }
        if let Some(at) = relaxable {
            let relaxed = plan.relaxed(at);
            let (mut results, every_word_seen) = self.run(index, &relaxed, options, Want::Every)?;
            if every_word_seen {
                // Only a stop word is not missed.
                if !at.typing.may_be_stop_word {
                    results.partial = true;
                    results.unfinished = query.get(at.typing.span.0..at.typing.span.1).map(str::to_string);
                }
                return Ok(results.of(relaxed));
            }
        }
        Ok(self.run(index, &plan, options, Want::Closest)?.0.of(plan))
    }

    /// Searches with a compiled `plan` for what `want` asks. Also says whether that is
    /// settled: there are hits or closest matches, or some candidate has every word (whatever
    /// its phrases, exclusions and filters), or there was nothing to search.
    fn run<'a>(
        &mut self,
        index: &Index<'a>,
        plan: &Plan,
        options: &SearchOptions,
        want: Want,
    ) -> Result<(SearchResults<'a>, bool), IndexError> {
        // (`terms` and `suggestion` are the plan's, moved in by `of` once a run is kept.)
        let mut results =
            SearchResults { term_words: plan.term_words(), required: plan.clauses.len(), ..SearchResults::default() };
        let limit = options.limit;
        let nothing_asked = plan.clauses.is_empty() && plan.excluded.is_empty() && plan.filters.is_empty();
        if nothing_asked || limit == 0 || index.papers() == 0 {
            return Ok((results, true));
        }
        let nt = plan.terms.len();
        let shards: Vec<Shard> = (0..index.shard_count()).map(|i| index.shard(i)).collect::<Result<_, _>>()?;
        let word_bases: Vec<usize> = shards
            .iter()
            .scan(0, |base, s| {
                let first = *base;
                *base += s.words as usize;
                Some(first)
            })
            .collect();
        let total_words: usize = shards.iter().map(|s| s.words as usize).sum();
        let levels = TF_LEVELS.len();
        let na = plan.atoms.len();
        // Only the atoms' bits start from 0 (they are ORed into). The others keep what an
        // earlier run left: `any`, `acc` and `tmp` are written in full before they are read, and
        // a term's field words (`title` unless computed in full, `tf`, `start`) only where a
        // candidate has the term (`acc & any`, its live words), which is all that is read of
        // them; readers that look at a whole word of 64 papers mask it with `any` and `acc`.
        // Zeroing them cost more than some searches (registry 100k: ~0.8 MB per query).
        for (buf, n) in [
            (&mut self.any, nt),
            (&mut self.title, nt),
            (&mut self.tf, nt * levels),
            (&mut self.start, nt),
            (&mut self.acc, 1),
            (&mut self.tmp, 1),
        ] {
            buf.resize(n * total_words, 0);
        }
        self.atom_bits.clear();
        self.atom_bits.resize(na * total_words, 0);
        let row = |t: usize| t * total_words..(t + 1) * total_words;

        // Per term: "may contain" everywhere (and "in the title" for title-scoped terms).
        let mut df = vec![0usize; nt];
        let mut exact = vec![false; nt];
        for (t, term) in plan.terms.iter().enumerate() {
            let any_rows = index.element_rows(term_hash(Field::Any, term)).fractions(index.k());
            exact[t] = any_rows.is_private();
            let title_rows =
                plan.title_full[t].then(|| index.element_rows(term_hash(Field::Title, term)).fractions(index.k()));
            let mut off = 0;
            for s in &shards {
                let w = s.words as usize;
                let any = &mut self.any[t * total_words + off..t * total_words + off + w];
                and_rows(index, s, &any_rows, any);
                df[t] += any.iter().map(|x| x.count_ones() as usize).sum::<usize>();
                if let Some(title_rows) = &title_rows {
                    and_rows(index, s, title_rows, &mut self.title[t * total_words + off..][..w]);
                }
                off += w;
            }
        }
        let n = index.papers() as usize;
        // A Bloom term's df counts false positives too; remove their expected number (a private
        // row's df is exact).
        let fp = index.target_false_positive_rate() * n as f64;
        let real_df: Vec<f64> =
            df.iter().zip(&exact).map(|(&d, &exact)| d as f64 - if exact { 0.0 } else { fp }).collect();
        let idfs: Vec<f32> = real_df.iter().map(|&d| idf(d.round().max(1.0) as usize, n)).collect();

        // Atoms: OR of their alternatives.
        for (a, atom) in plan.atoms.iter().enumerate() {
            let (src, bits) =
                if atom.title { (&self.title, &mut self.atom_bits) } else { (&self.any, &mut self.atom_bits) };
            let out = &mut bits[row(a)];
            for &(t, _) in &atom.alts {
                for (o, x) in out.iter_mut().zip(&src[row(t)]) {
                    *o |= x;
                }
            }
        }
        // Candidates: AND over clauses of (OR over conjunctions of (AND of atoms)).
        let mut off = 0;
        for s in &shards {
            mask_tail(s, {
                let w = &mut self.acc[off..off + s.words as usize];
                w.fill(u64::MAX);
                w
            });
            off += s.words as usize;
        }
        for clause in &plan.clauses {
            self.tmp.fill(0);
            for conj in clause {
                for w in 0..total_words {
                    let mut x = u64::MAX;
                    for &a in &conj.atoms {
                        x &= self.atom_bits[a * total_words + w];
                    }
                    self.tmp[w] |= x;
                }
            }
            for (a, b) in self.acc.iter_mut().zip(&self.tmp) {
                *a &= b;
            }
        }
        let none_has_every_word = !plan.clauses.is_empty() && self.acc.iter().all(|&w| w == 0);
        let closest = match want {
            Want::Every if none_has_every_word => return Ok((results, false)),
            Want::Every => false,
            Want::EveryOrClosest => none_has_every_word,
            Want::Closest => !plan.clauses.is_empty(),
        };
        if closest {
            results.partial = true;
            self.acc.fill(0);
            for a in plan.scoring_atoms() {
                for (x, b) in self.acc.iter_mut().zip(&self.atom_bits[row(a)]) {
                    *x |= b;
                }
            }
        }
        // The candidates before filters (`tmp` is free from here on): should none of those the
        // filters keep turn out to have every word, those the filters removed are asked too.
        if !plan.filters.is_empty() {
            self.tmp.copy_from_slice(&self.acc);
        }
        // Filters, from the records' facts; facets counted on the way.
        if !plan.filters.is_empty() || options.facets {
            let mut years: Vec<(u16, usize)> = Vec::new();
            let facets = &mut results.facets;
            let mut base = 0usize;
            for s in &shards {
                for w in 0..s.words as usize {
                    let mut bits = self.acc[base + w];
                    while bits != 0 {
                        let b = bits.trailing_zeros();
                        bits &= bits - 1;
                        let meta = index.meta(s.first + w as u32 * 64 + b)?;
                        let (year_ok, code_ok, rest_ok) = passes(&meta, &plan.filters);
                        if options.facets && rest_ok {
                            if code_ok {
                                match meta.year {
                                    Some(y) => tally_year(&mut years, y),
                                    None => facets.no_year += 1,
                                }
                            }
                            if year_ok && meta.code > 0 {
                                facets.with_code += 1;
                            }
                        }
                        if !(year_ok && code_ok && rest_ok) {
                            self.acc[base + w] &= !(1u64 << b);
                        }
                    }
                }
                base += s.words as usize;
            }
            crate::sort::sort_by_key(&mut years, |y| std::cmp::Reverse(y.0));
            facets.years = years;
        }
        let mut matcher = TermMatcher::new(&plan.terms);
        // When the signatures say most candidates are Bloom false positives (rare words: each
        // Bloom term has ~ε·n of them), those whose text lacks the query's words are dropped
        // before they are scored and ranked: verification would read them all anyway.
        let worth_it = !self.keep_unmatched
            && !plan.clauses.is_empty()
            && self.mostly_false_positives(plan, results.partial, &real_df);
        self.dropped = match worth_it.then(|| NeededAtoms::new(plan, results.partial)).flatten() {
            Some(needed) => {
                let facets = options.facets.then_some(&mut results.facets);
                self.drop_unmatched(index, &shards, &mut matcher, &needed, facets, limit)?
            }
            None => 0,
        };

        let name_atom = plan.name_atom();
        let mut is_name_term = vec![false; nt];
        for &(t, _) in name_atom.iter().flat_map(|&a| &plan.atoms[a].alts) {
            is_name_term[t] = true;
        }
        // "In the title", "at least TF_LEVELS[i] times" and "in the title's first word", only for the words of 64 papers that
        // hold candidates: for a selective query that is a few words, not whole rows.
        // Field f of term t: 0 title, 1..=levels the tf buckets, levels + 1 the title's first word.
        let fields = levels + 2;
        // Looked up (a hash and a search of the private elements) only for the fields some
        // candidate needs: most completions and corrections of a word are in no candidate.
        let mut field_rows: Vec<Option<ElementRows>> = vec![None; nt * fields];
        let field_of = |f: usize| match f {
            0 => Field::Title,
            l if l == levels + 1 => Field::TitleStart,
            l => Field::TfAtLeast((l - 1) as u8),
        };
        let mut word_base = 0usize;
        let mut pos = Vec::with_capacity(16);
        let mut live_words = std::mem::take(&mut self.live_words);
        for s in &shards {
            let words = word_base..word_base + s.words as usize;
            if self.acc[words.clone()].iter().all(|&x| x == 0) {
                word_base = words.end;
                continue;
            }
            for t in 0..nt {
                // A term's fields are computed, and read, only at the words of 64 papers where
                // some candidate has it (none in most shards for most completions and
                // corrections).
                live_words.clear();
                let any = &self.any[t * total_words..][words.clone()];
                for (w, (&c, &a)) in words.clone().zip(self.acc[words.clone()].iter().zip(any)) {
                    if c & a != 0 {
                        live_words.push((w, c & a));
                    }
                }
                if live_words.is_empty() {
                    continue;
                }
                // Live at many of the shard's words (a common term, like 'python' at registry
                // 100k): each field's rows are ANDed whole, a straight pass over k rows, instead
                // of word by word with an exit per word, which costs more per word read.
                let dense = live_words.len() >= DENSE_FIELDS_MIN_WORDS
                    && live_words.len() * DENSE_FIELDS_FROM >= s.words as usize;
                for f in 0..fields {
                    if f == 0 && plan.title_full[t] {
                        continue; // computed above
                    }
                    if f == levels + 1 && !is_name_term[t] {
                        continue;
                    }
                    if dense {
                        let element = *field_rows[t * fields + f]
                            .get_or_insert_with(|| index.element_rows(term_hash(field_of(f), &plan.terms[t])));
                        self.field.resize(s.words as usize, 0);
                        and_rows(index, s, &element.fractions(index.k()), &mut self.field);
                    }
                    // The field's rows in this shard, as far as some candidate has needed them.
                    pos.clear();
                    let mut rows = None;
                    for &(w, mut live) in &live_words {
                        if (2..=levels).contains(&f) {
                            // At least TF_LEVELS[l] times implies at least TF_LEVELS[l - 1].
                            live &= self.tf[(t * levels + f - 2) * total_words + w];
                        }
                        let mut bits = live;
                        if dense {
                            bits &= self.field[w - word_base];
                        }
                        let mut i = 0;
                        // Most candidates drop out after a row or two.
                        while bits != 0 && !dense {
                            if i == pos.len() {
                                let next = rows
                                    .get_or_insert_with(|| {
                                        let element = *field_rows[t * fields + f].get_or_insert_with(|| {
                                            index.element_rows(term_hash(field_of(f), &plan.terms[t]))
                                        });
                                        element.in_shard(index.k(), s)
                                    })
                                    .next();
                                match next {
                                    Some(r) => pos.push(r),
                                    None => break,
                                }
                            }
                            bits &= index.row_word(s, pos[i], (w - word_base) as u32);
                            i += 1;
                        }
                        match f {
                            0 => self.title[t * total_words + w] = bits,
                            l if l == levels + 1 => self.start[t * total_words + w] = bits,
                            l => self.tf[(t * levels + l - 1) * total_words + w] = bits,
                        }
                    }
                }
            }
            word_base = words.end;
        }

        // Score candidates from the bit vectors, 64 papers at a time: each alternative of an
        // atom is looked at once per word of 64 papers (not once per candidate), then only at
        // the candidates that have it.
        let params = Bm25::get();
        let avg = index.avg_length().max(1.0);
        let scoring: Vec<usize> = plan.scoring_atoms().collect();
        let scoring_alts = plan.scoring_alts(&idfs);
        let mut weights = std::mem::take(&mut self.weights);
        weights.clear();
        weights.extend(idfs.iter().map(|&idf| TermWeights::new(idf, &params)));
        self.candidates.clear();
        // Per candidate (bit) of the word: its score so far, BM25's k1 times its length norm,
        // and the best part of an atom's alternatives.
        let (mut score, mut k1_norm, mut best) = ([0f32; 64], [0f32; 64], [0f32; 64]);
        let mut word_base = 0usize;
        for s in &shards {
            for w in 0..s.words as usize {
                let at = word_base + w;
                let bits = self.acc[at];
                if bits == 0 {
                    continue;
                }
                let first = s.first + w as u32 * 64;
                for b in set_bits(bits) {
                    score[b] = 0.0;
                    let norm = 1.0 - params.b + params.b * index.length(first + b as u32) as f32 / avg;
                    k1_norm[b] = params.k1 * norm;
                }
                for &a in &scoring {
                    // Only the candidates with one of the atom's terms: the others add 0. A
                    // term's part is never 0 or NaN (idf, weights and tf are positive), so the
                    // best of one alternative is its part.
                    let alts = &scoring_alts[a];
                    // Term t's part for each candidate of `has` (a subset of its candidates).
                    let (weights, k1_norm) = (&weights, &k1_norm);
                    let parts = |t: usize, weight: f32, has: u64| {
                        let title = self.title[t * total_words + at];
                        let tf = self.tf_words(t, total_words, at);
                        set_bits(has).map(move |b| {
                            let in_title = title & (1u64 << b) != 0;
                            (b, weight * weights[t].score(tf_level(&tf, b), in_title, k1_norm[b]))
                        })
                    };
                    let (t, weight) = alts[0];
                    let first_has = bits & self.any[t * total_words + at];
                    // The candidates with another alternative than the first (the word's own
                    // stem, or its first completion): their best part is looked for.
                    let others = alts[1..].iter().fold(0, |x, &(t, _)| x | self.any[t * total_words + at]) & bits;
                    if first_has != 0 {
                        for (b, part) in parts(t, weight, first_has) {
                            if others & (1u64 << b) == 0 {
                                score[b] += part;
                            } else {
                                best[b] = part;
                            }
                        }
                    }
                    if others == 0 {
                        continue;
                    }
                    for b in set_bits(others & !first_has) {
                        best[b] = 0.0;
                    }
                    for &(t, weight) in &alts[1..] {
                        let has = bits & self.any[t * total_words + at];
                        if has == 0 {
                            continue; // most completions, in most words
                        }
                        for (b, part) in parts(t, weight, has) {
                            best[b] = best[b].max(part);
                        }
                    }
                    for b in set_bits(others) {
                        score[b] += best[b];
                    }
                }
                // (A term's title word is defined where the term is live, or everywhere when
                // computed in full; `bits & …` below masks the rest.)
                let title_word = |t: usize| {
                    let title = self.title[t * total_words + at];
                    if plan.title_full[t] {
                        title
                    } else {
                        title & self.any[t * total_words + at]
                    }
                };
                let all_in_title =
                    plan.all_in_title(|a| plan.atoms[a].alts.iter().fold(0, |x, &(t, _)| x | title_word(t)));
                for b in set_bits(bits & all_in_title) {
                    score[b] *= 1.0 + params.title_all;
                }
                if let Some(a) = name_atom {
                    // Only the candidates whose title starts with one of the atom's terms: the
                    // others are multiplied by 1.
                    let alts = &plan.atoms[a].alts;
                    let start_word = |t: usize| self.start[t * total_words + at] & self.any[t * total_words + at];
                    let named = alts.iter().fold(0, |x, &(t, _)| x | start_word(t)) & bits;
                    for b in set_bits(named) {
                        best[b] = 0.0;
                    }
                    for &(t, weight) in alts {
                        for b in set_bits(named & start_word(t)) {
                            best[b] = best[b].max(weight);
                        }
                    }
                    for b in set_bits(named) {
                        score[b] *= 1.0 + params.name * best[b];
                    }
                }
                self.candidates.reserve(bits.count_ones() as usize);
                self.candidates.extend(set_bits(bits).map(|b| Hit {
                    doc: first + b as u32,
                    score: score[b],
                    matched: 0,
                }));
            }
            word_base += s.words as usize;
        }
        let sort = match options.sort {
            // Filters (or exclusions) alone: newest first, then digest order.
            Sort::Relevance if plan.clauses.is_empty() => Sort::Newest,
            s => s,
        };
        let by_key = |key: fn(&DocMeta) -> u64, hits: &mut Vec<Hit>| {
            // Key descending, then score descending (scores are never negative), then paper.
            hits.sort_by_cached_key(|h| {
                let k = index.meta(h.doc).map_or(0, |m| key(&m));
                (std::cmp::Reverse(k), std::cmp::Reverse(h.score.max(0.0).to_bits()), h.doc)
            });
        };
        let date_key: fn(&DocMeta) -> u64 = |m| u64::from(m.date_key());
        let upvotes_key: fn(&DocMeta) -> u64 = |m| m.upvotes.map_or(0, |u| u64::from(u) + 1);
        // Relevance: only the best candidates are put in order, a batch at a time as
        // verification asks for them (selection, not a sort of every candidate).
        let mut ordered = 0;
        match sort {
            Sort::Relevance => {}
            Sort::Newest => by_key(date_key, &mut self.candidates),
            Sort::Upvotes => by_key(upvotes_key, &mut self.candidates),
        }
        if sort != Sort::Relevance {
            ordered = self.candidates.len();
        }

        // Verify in rank order against the stored text until `limit` real hits are found.
        let scoring_terms: Vec<bool> =
            (0..nt).map(|t| scoring.iter().any(|&a| plan.atoms[a].alts.iter().any(|&(x, _)| x == t))).collect();
        let mut hits = Vec::with_capacity(limit.min(self.candidates.len()));
        results.found.reserve(hits.capacity());
        let mut every_word_seen = false;
        let word_order = plan.word_order();
        let mut seen = Seen::new(nt);
        // Where verification finds the terms in a candidate's title and abstract (reused until
        // a hit keeps them).
        let (mut title_at, mut abstract_at) = std::mem::take(&mut self.term_at);
        let mut batch = (2 * limit).max(32);
        let mut rejected = 0;
        let mut read = 0;
        for i in 0..self.candidates.len() {
            if hits.len() >= limit {
                break;
            }
            read = i + 1;
            if i == ordered {
                ordered = order_next(&mut self.candidates, ordered, batch);
                batch *= 2;
            }
            let c = &self.candidates[i];
            let rec = index.doc_text(c.doc)?;
            seen.clear();
            let terms = &plan.terms;
            title_at.clear();
            abstract_at.clear();
            matcher.matches(rec.title, |t, s, e| {
                seen.title[t] = true;
                seen.any[t] = true;
                seen.count[t] += 1;
                title_at.push((t, s, e));
                true
            });
            // The abstract: stop once every scoring word is found and one of them is in the
            // abstract (then term frequencies come from the signature buckets), unless
            // exclusions or phrases must be checked; a full scan counts exact frequencies.
            let mut in_abstract = false;
            let mut complete = true;
            let can_stop =
                plan.excluded.is_empty() && plan.clauses.iter().all(|c| c.iter().all(|x| x.phrase.is_none()));
            let mut resume = None;
            matcher.matches(rec.abstract_text, |t, s, e| {
                in_abstract |= scoring_terms[t];
                seen.any[t] = true;
                seen.count[t] += 1;
                abstract_at.push((t, s, e));
                if can_stop && in_abstract && scoring.iter().all(|&a| seen.atom(plan, a)) {
                    complete = false;
                    resume = Some(s);
                    return false;
                }
                true
            });
            if let Some(stop) = resume {
                // The views go on from the start of the chunk this match is in.
                let chunk = crate::tokenize::chunk_start(rec.abstract_text, stop);
                abstract_at.retain(|&(_, s, _)| s < chunk);
                resume = Some(chunk);
            }
            let (word, bit) = locate(&shards, &word_bases, c.doc);
            if rec.abstract_cut {
                complete = false;
                seen.vouch_for_cut(&self.any, total_words, word, bit);
            }
            let conj_holds = |conj: &Conj| {
                conj.atoms.iter().all(|&a| seen.atom(plan, a))
                    && conj.phrase.as_ref().is_none_or(|(stems, scope)| {
                        has_phrase(rec.title, stems)
                            || (*scope == Scope::Anywhere && has_phrase(rec.abstract_text, stems))
                    })
            };
            let matched = plan.clauses.iter().filter(|clause| clause.iter().any(conj_holds)).count();
            let any_scoring = scoring.iter().any(|&a| seen.atom(plan, a));
            let ok = if results.partial { any_scoring } else { matched == plan.clauses.len() };
            if !ok || plan.excluded.iter().any(conj_holds) {
                // A Bloom false positive, a phrase out of order, or excluded: only in the
                // first case may no paper have every word.
                every_word_seen = every_word_seen || seen.every_word(plan);
                rejected += 1;
                if options.facets {
                    uncount(&mut results.facets, &index.meta(c.doc)?);
                }
                continue;
            }
            let norm = 1.0 - params.b + params.b * index.length(c.doc) as f32 / avg;
            let score = scoring
                .iter()
                .map(|&a| {
                    let title = plan.atoms[a].title;
                    scoring_alts[a]
                        .iter()
                        .filter(|&&(t, _)| if title { seen.title[t] } else { seen.any[t] })
                        .map(|&(t, weight)| {
                            if complete {
                                weight * bm25(seen.count[t] as f32, idfs[t], norm, seen.title[t], &params)
                            } else {
                                let level = tf_level(&self.tf_words(t, total_words, word), bit as usize);
                                weight * weights[t].score(level, seen.title[t], params.k1 * norm)
                            }
                        })
                        .fold(0.0f32, f32::max)
                })
                .sum::<f32>();
            let in_title = |a: usize| u64::from(plan.atoms[a].alts.iter().any(|&(t, _)| seen.title[t]));
            let score = score + 0.0; // an empty sum is -0.0
            let mut score = if plan.all_in_title(in_title) & 1 != 0 { score * (1.0 + params.title_all) } else { score };
            if let Some(a) = name_atom {
                let names = name_terms(rec.title);
                let weight = plan.atoms[a]
                    .alts
                    .iter()
                    .filter(|&&(t, _)| names.contains(&terms[t]))
                    .map(|&(_, w)| w)
                    .fold(0.0f32, f32::max);
                score *= 1.0 + params.name * weight;
            }
            if let Some(words) = &word_order {
                if title_starts_with(rec.title, &title_at, plan, words) {
                    score *= 1.0 + params.title_start;
                }
            }
            hits.push(Hit { doc: c.doc, score, matched: matched as u32 });
            results.found.keep(c.doc, index.doc_with_text(c.doc, rec)?, &title_at, &abstract_at, resume);
        }
        // Those not shown not to match: exact when every candidate was verified.
        results.total = self.candidates.len() - rejected;
        let unread = self.candidates.len() - read;
        // One required word (most queries of a name): its candidates hold ~ε·n Bloom false
        // positives per alternative (completions, corrections). In a digest of 1/ε papers or
        // more, when those may be a tenth of the unread candidates or more (and at least 8),
        // the total is those read plus the share of the unread that an even sample of them
        // shows to match (`TOTAL_SAMPLE`). Words together have few: a false positive for one
        // needs the others.
        let lone_atom = match plan.clauses.as_slice() {
            [clause] => match clause.as_slice() {
                [conj] if conj.phrase.is_none() => match conj.atoms.as_slice() {
                    &[a] => Some(a),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let false_positives = lone_atom.map_or(0.0, |a| {
            let bloom_alts = plan.atoms[a].alts.iter().filter(|&&(t, _)| !exact[t]).count();
            fp * bloom_alts as f64
        });
        if unread > 0
            && !results.partial
            && !self.bound_totals
            && fp >= 1.0
            && false_positives >= (unread as f64 / 10.0).max(8.0)
        {
            let sample = unread.min(TOTAL_SAMPLE);
            let mut matching = 0;
            for j in 0..sample {
                let doc = self.candidates[read + j * unread / sample].doc;
                // (Where the paper's bits are is only needed for a cut abstract.)
                let vouch = |seen: &mut Seen| {
                    let (word, bit) = locate(&shards, &word_bases, doc);
                    seen.vouch_for_cut(&self.any, total_words, word, bit);
                };
                if seen.read_every_word(index, plan, &mut matcher, doc, vouch)? {
                    matching += 1;
                }
            }
            // A sample of part of them that found no match does not show none is left ("Show
            // more" in the widget): at least one may be.
            let share = |n: usize| (n * matching + sample / 2) / sample;
            let rest = if sample < unread { share(unread).max(1) } else { share(unread) };
            results.total = read - rejected + rest;
            results.total_estimated = true;
            if options.facets {
                // Each unread candidate was counted in the facets (it passed every filter):
                // a facet keeps the same share of its unread candidates.
                estimate_facets(index, &mut results.facets, &self.candidates[read..], share)?;
            }
        }
        match sort {
            Sort::Relevance => crate::sort::sort_by(&mut hits, order),
            Sort::Newest if !plan.clauses.is_empty() => by_key(date_key, &mut hits),
            Sort::Upvotes => by_key(upvotes_key, &mut hits),
            Sort::Newest => {} // filters alone: scores are all 0, candidates are in order
        }
        let mut every_word_seen = every_word_seen || !hits.is_empty() || results.partial;
        if !every_word_seen && !plan.filters.is_empty() {
            // Papers the filters removed may have every word (then the filters, not the words,
            // leave nothing, and no closest matches are due).
            let mut base = 0usize;
            'removed: for s in &shards {
                for w in base..base + s.words as usize {
                    for b in set_bits(self.tmp[w] & !self.acc[w]) {
                        let doc = s.first + (w - base) as u32 * 64 + b as u32;
                        let vouch = |seen: &mut Seen| seen.vouch_for_cut(&self.any, total_words, w, b as u32);
                        if seen.read_every_word(index, plan, &mut matcher, doc, vouch)? {
                            every_word_seen = true;
                            break 'removed;
                        }
                    }
                }
                base += s.words as usize;
            }
        }
        results.hits = hits;
        crate::sort::sort_by_key(&mut results.found.hits, |h| h.0);
        results.matcher.keep(matcher);
        self.weights = weights;
        self.live_words = live_words;
        self.term_at = (title_at, abstract_at);
        Ok((results, every_word_seen))
    }

    /// Whether the candidates in `acc` are many (at least 64) and expected to be mostly Bloom
    /// false positives: at least twice as many as the plan's papers can be, by its terms'
    /// document frequencies less their expected false positives (`real_df`): an atom's at most the sum of its alternatives', a
    /// conjunction's at most its least atom's, a clause's the sum of its conjunctions', the
    /// plan's its least clause's (the closest matches: the sum of the scoring atoms').
    fn mostly_false_positives(&self, plan: &Plan, closest: bool, real_df: &[f64]) -> bool {
        let atom = |a: usize| plan.atoms[a].alts.iter().map(|&(t, _)| real_df[t].max(0.0)).sum::<f64>();
        let papers_at_most = if closest {
            plan.scoring_atoms().map(atom).sum::<f64>()
        } else {
            let conj = |c: &Conj| c.atoms.iter().map(|&a| atom(a)).fold(f64::INFINITY, f64::min);
            plan.clauses.iter().map(|clause| clause.iter().map(conj).sum::<f64>()).fold(f64::INFINITY, f64::min)
        };
        // Counted until there are enough, eight words at a time (most words of a selective
        // query's rows are 0).
        let enough = (2.0 * papers_at_most).clamp(63.0, 1e12) as usize + 1;
        let mut candidates = 0;
        for words in self.acc.chunks(8).filter(|w| w.iter().fold(0, |a, &x| a | x) != 0) {
            candidates += words.iter().map(|x| x.count_ones() as usize).sum::<usize>();
            if candidates >= enough {
                return true;
            }
        }
        false
    }

    /// Clears from `acc` and `tmp` (the candidates before filters, when there are filters; free
    /// otherwise) the candidates whose title and stored abstract do not hold what `needed`
    /// asks, in paper order, and takes them out of `facets`; returns how many it cleared.
    /// Verification would reject each of them (it matches the same text with the same matcher,
    /// and asks more), so no hit changes; a cut abstract is kept (its signature vouches for
    /// the rest). It pays when fewer than `limit` candidates hold it: verification then reads
    /// every candidate, after scoring and ranking them all. So it stops once `limit` hold it
    /// (then verification may stop early: true matches of rare words often rank first, by
    /// their title).
    fn drop_unmatched(
        &mut self,
        index: &Index<'_>,
        shards: &[Shard],
        matcher: &mut TermMatcher<'_>,
        needed: &NeededAtoms,
        mut facets: Option<&mut Facets>,
        limit: usize,
    ) -> Result<usize, IndexError> {
        let (mut cleared, mut kept) = (0, 0);
        let mut base = 0usize;
        for s in shards {
            for w in 0..s.words as usize {
                for b in set_bits(self.acc[base + w]) {
                    if kept >= limit {
                        return Ok(cleared);
                    }
                    let doc = s.first + (w * 64 + b) as u32;
                    let text = index.doc_text(doc)?;
                    let mut met = text.abstract_cut;
                    let mut seen = 0u64;
                    for (part, masks) in [
                        (text.title, [&needed.anywhere, &needed.in_title]),
                        (text.abstract_text, [&needed.anywhere; 2]),
                    ] {
                        if !met {
                            matcher.matches(part, |t, _, _| {
                                seen |= masks[0][t] | masks[1][t];
                                met = needed.met(seen);
                                !met
                            });
                        }
                    }
                    if met {
                        kept += 1;
                    } else {
                        self.acc[base + w] &= !(1u64 << b);
                        self.tmp[base + w] &= !(1u64 << b);
                        if let Some(facets) = facets.as_deref_mut() {
                            uncount(facets, &index.meta(doc)?);
                        }
                        cleared += 1;
                    }
                }
            }
            base += s.words as usize;
        }
        Ok(cleared)
    }

    /// Term `t`'s [`TF_LEVELS`] words at `word` (64 papers): "at least TF_LEVELS[l] times" for
    /// each l, each a subset of the one before where read (computed at the candidates that
    /// have the term, level by level within the level before).
    fn tf_words(&self, t: usize, total_words: usize, word: usize) -> [u64; TF_LEVELS.len()] {
        std::array::from_fn(|l| self.tf[(t * TF_LEVELS.len() + l) * total_words + word])
    }
}

/// The frequency bucket of the paper at `bit` of a term's [`Searcher::tf_words`]: how many of
/// them have it (the words are nested).
fn tf_level(tf: &[u64; TF_LEVELS.len()], bit: usize) -> usize {
    debug_assert!(tf.windows(2).all(|w| w[1] & !w[0] & (1u64 << bit) == 0), "tf levels not nested");
    // (Most candidates have a term once: one test, where a branch-free sum costs three.)
    tf.iter().take_while(|&&w| (w >> bit) & 1 != 0).count()
}

/// A term's BM25 numerators for each frequency bucket, in the title or not: the part of
/// [`bm25`] that does not depend on the paper, computed once per query; [`TermWeights::score`]
/// is `bm25`'s result to the bit.
#[derive(Clone, Copy, Debug)]
struct TermWeights {
    numerator: [[f32; 2]; TF_ESTIMATE.len()],
}

impl TermWeights {
    fn new(idf: f32, p: &Bm25) -> Self {
        let numerator = TF_ESTIMATE.map(|tf| {
            [false, true].map(|in_title| {
                let boost = if in_title { 1.0 + p.title_boost } else { 1.0 };
                idf * boost * tf * (p.k1 + 1.0)
            })
        });
        Self { numerator }
    }

    /// `bm25(TF_ESTIMATE[level], idf, norm, in_title, p)` given `k1_norm` = `p.k1 * norm`.
    fn score(&self, level: usize, in_title: bool, k1_norm: f32) -> f32 {
        self.numerator[level][usize::from(in_title)] / (TF_ESTIMATE[level] + k1_norm)
    }
}

/// The positions of the set bits of `x`, lowest first.
fn set_bits(mut x: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (x != 0).then(|| {
            let b = x.trailing_zeros() as usize;
            x &= x - 1;
            b
        })
    })
}

/// Puts the best `batch` of `hits[done..]` in rank order at `hits[done..]` (the rest stays
/// behind them, unordered); returns how many of `hits` are now in order.
fn order_next(hits: &mut [Hit], done: usize, batch: usize) -> usize {
    let rest = &mut hits[done..];
    let n = batch.min(rest.len());
    if n == 0 {
        return done;
    }
    if n < rest.len() {
        // The best n and where they are, from a heap of the best n seen so far: most hits lose
        // to its worst at once, one comparison. Then they are swapped to the front in the order
        // of their places: the i-th smallest place is at or after i, and untouched until then.
        let mut best: BinaryHeap<Reverse<(u64, usize)>> =
            rest[..n].iter().enumerate().map(|(i, h)| Reverse((rank_key(h), i))).collect();
        let mut worst = best.peek().map_or(0, |w| w.0 .0);
        for (i, h) in rest.iter().enumerate().skip(n) {
            let key = rank_key(h);
            if key > worst {
                if let Some(mut top) = best.peek_mut() {
                    *top = Reverse((key, i));
                }
                worst = best.peek().map_or(0, |w| w.0 .0);
            }
        }
        let mut places: Vec<usize> = best.into_iter().map(|Reverse((_, i))| i).collect();
        crate::sort::sort(&mut places);
        for (j, i) in places.into_iter().enumerate() {
            rest.swap(j, i);
        }
    }
    crate::sort::sort_by(&mut rest[..n], order);
    done + n
}

/// Counts one more paper of `year` in `years` (year, papers), in order of first appearance.
fn tally_year(years: &mut Vec<(u16, usize)>, year: u16) {
    match years.iter_mut().find(|(x, _)| *x == year) {
        Some(n) => n.1 += 1,
        None => years.push((year, 1)),
    }
}

/// Replaces the part of `facets` that `unread` (candidates that passed every filter, so were
/// counted, and that verification did not read) make up with `share` of it, per year, for no
/// year and for code links: the matching share of a sample of them.
fn estimate_facets(
    index: &Index<'_>,
    facets: &mut Facets,
    unread: &[Hit],
    share: impl Fn(usize) -> usize,
) -> Result<(), IndexError> {
    let mut years: Vec<(u16, usize)> = Vec::new();
    let (mut no_year, mut with_code) = (0, 0);
    if facets.years.is_empty() && facets.with_code == 0 {
        no_year = unread.len(); // no year or code link among them: no record to read
    } else {
        for c in unread {
            let meta = index.meta(c.doc)?;
            match meta.year {
                Some(y) => tally_year(&mut years, y),
                None => no_year += 1,
            }
            with_code += usize::from(meta.code > 0);
        }
    }
    let estimate = |counted: usize, unread: usize| counted.saturating_sub(unread) + share(unread);
    for (year, n) in years {
        if let Some(i) = facets.years.iter().position(|&(x, _)| x == year) {
            facets.years[i].1 = estimate(facets.years[i].1, n);
        }
    }
    facets.years.retain(|y| y.1 > 0); // only years with papers
    facets.no_year = estimate(facets.no_year, no_year);
    facets.with_code = estimate(facets.with_code, with_code);
    Ok(())
}

/// Takes a paper that passed every filter, and so was counted in `facets`, out of them: it
/// turned out not to match.
fn uncount(facets: &mut Facets, meta: &DocMeta) {
    match meta.year {
        Some(y) => {
            if let Some(i) = facets.years.iter().position(|&(x, _)| x == y) {
                facets.years[i].1 -= 1;
                if facets.years[i].1 == 0 {
                    facets.years.remove(i); // only years with papers
                }
            }
        }
        None => facets.no_year = facets.no_year.saturating_sub(1),
    }
    if meta.code > 0 {
        facets.with_code = facets.with_code.saturating_sub(1);
    }
}

/// Where paper `doc`'s bit is in the per-term bit vectors: (word over all shards, bit).
/// `word_bases[i]` is the first word of shard `i` (shards hold consecutive papers in order:
/// `Index::open` checks it).
fn locate(shards: &[Shard], word_bases: &[usize], doc: u32) -> (usize, u32) {
    let i = shards.partition_point(|s| s.first + s.len <= doc);
    match (shards.get(i), word_bases.get(i)) {
        (Some(s), Some(&base)) if doc >= s.first => {
            let j = doc - s.first;
            (base + (j / 64) as usize, j % 64)
        }
        _ => (0, 0),
    }
}

/// BM25's term weight for frequency `tf`.
fn bm25(tf: f32, idf: f32, norm: f32, in_title: bool, p: &Bm25) -> f32 {
    let boost = if in_title { 1.0 + p.title_boost } else { 1.0 };
    idf * boost * tf * (p.k1 + 1.0) / (tf + p.k1 * norm)
}

/// Best first: score, then the lower paper number.
fn order(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    rank_key(b).cmp(&rank_key(a))
}

/// A hit's rank as one number, larger for a better hit: the score's bits, then the paper number
/// inverted. Scores are never negative, nor `-0.0` (sums of positive parts from `0.0`, and a
/// verified score's empty sum is made `0.0`), and the bits of non-negative floats are in the
/// order of their values: the same order as comparing scores, a single comparison.
fn rank_key(h: &Hit) -> u64 {
    debug_assert!(h.score.is_sign_positive() && !h.score.is_nan(), "score {}", h.score);
    (u64::from(h.score.to_bits()) << 32) | u64::from(!h.doc)
}

/// The term frequency assumed for a paper in each bucket: once, 2–3, 4–7, 8 or more times.
const TF_ESTIMATE: [f32; 4] = [1.0, 2.5, 5.5, 10.0];

/// BM25 parameters.
#[derive(Clone, Copy, Debug)]
struct Bm25 {
    k1: f32,
    b: f32,
    title_boost: f32,
    title_all: f32,
    name: f32,
    title_start: f32,
}

impl Bm25 {
    fn get() -> Self {
        Self {
            k1: K1,
            b: B,
            title_boost: TITLE_BOOST,
            title_all: TITLE_ALL_BOOST,
            name: NAME_BOOST,
            title_start: TITLE_START_BOOST,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(q: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(q, Mode::Query, |t, _, _| {
            out.push(t.to_string());
            true
        });
        out
    }

    proptest::proptest! {
        #[test]
        fn order_next_puts_batches_in_the_order_of_a_full_sort(
            scores in proptest::collection::vec(0u8..6, 0..=300),
            batch in 1usize..40,
        ) {
            // Few distinct scores: ties are broken by paper (each paper once, out of order).
            let mut hits: Vec<Hit> =
                scores.iter().enumerate().map(|(i, &s)| Hit { doc: i as u32 * 7 % 300, score: f32::from(s), matched: 0 }).collect();
            let mut sorted = hits.clone();
            sorted.sort_by(order);
            let (mut done, mut batch) = (0, batch);
            while done < hits.len() {
                done = order_next(&mut hits, done, batch);
                batch *= 2;
                proptest::prop_assert_eq!(&hits[..done], &sorted[..done]);
            }
        }

        #[test]
        fn term_weights_score_as_bm25_to_the_bit(
            idf in 0.01f32..20.0,
            length in 0u32..5_000,
            avg in 1.0f32..2_000.0,
            level in 0usize..TF_ESTIMATE.len(),
            in_title: bool,
        ) {
            let p = Bm25::get();
            let norm = 1.0 - p.b + p.b * length as f32 / avg;
            let expected = bm25(TF_ESTIMATE[level], idf, norm, in_title, &p);
            let got = TermWeights::new(idf, &p).score(level, in_title, p.k1 * norm);
            proptest::prop_assert_eq!(got.to_bits(), expected.to_bits());
        }

        #[test]
        fn tf_level_counts_the_nested_levels_a_paper_is_in(level in 0..=TF_LEVELS.len(), bit in 0usize..64, noise: u64) {
            // Level l: the paper's bit set in the first l words; other papers' bits anything
            // nested (each word within the one before).
            let mut tf = [0u64; TF_LEVELS.len()];
            let mut others = noise & !(1u64 << bit);
            for (l, w) in tf.iter_mut().enumerate() {
                others &= noise.rotate_left(l as u32 * 7 + 1);
                *w = others | if l < level { 1u64 << bit } else { 0 };
            }
            proptest::prop_assert_eq!(tf_level(&tf, bit), level);
        }

        #[test]
        fn order_is_score_descending_then_paper_ascending(
            a in (0u32..0x7f80_0001, proptest::prelude::any::<u32>()),
            b in (0u32..0x7f80_0001, proptest::prelude::any::<u32>()),
            same_score: bool,
        ) {
            // Every non-negative float up to infinity, by its bits; ties as often as not.
            let hit = |(bits, doc): (u32, u32)| Hit { doc, score: f32::from_bits(bits), matched: 0 };
            let (a, b) = (hit(a), hit(if same_score { (a.0, b.1) } else { b }));
            let expected = b.score.partial_cmp(&a.score).map(|o| o.then(a.doc.cmp(&b.doc)));
            proptest::prop_assert_eq!(Some(order(&a, &b)), expected);
        }
    }

    /// A xorshift64 generator from `x` (nonzero): the made-up corpora's randomness, the same
    /// on every run.
    fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    #[test]
    fn dropped_candidates_change_no_hit_and_exhausted_totals_are_exact() {
        #![allow(clippy::unwrap_used)]
        // 4,000 papers of made-up words, most of them rare, at a 2% false-positive rate: a rare
        // word's ~80 false positives outnumber its papers, and a prefix gathers several words.
        // Prefixes, words, pairs, filters, exclusions, title scopes, OR, phrases, compounds.
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        let syllables = ["ka", "lo", "mi", "ru", "ta", "ne", "so", "vi", "pe", "zu", "gra", "bel", "dox", "qui"];
        let word = |r: u64| -> String {
            (0..2 + r % 3).map(|i| syllables[((r >> (8 * i + 4)) % syllables.len() as u64) as usize]).collect()
        };
        let mut jsonl = String::new();
        let mut words = Vec::new();
        for i in 0..4000 {
            let title: Vec<String> = (0..2).map(|_| word(next())).collect();
            let body: Vec<String> = (0..8).map(|_| word(next())).collect();
            words.extend(title.iter().chain(&body).cloned());
            jsonl += &format!(
                "{{\"title\": \"P{i} {}\", \"body\": \"{}\", \"date\": \"{}-01-01\"}}\n",
                title.join(" "),
                body.join(" "),
                2020 + i % 5
            );
        }
        let (papers, _) = crate::digest::parse_bytes("made-up.jsonl", jsonl.as_bytes()).unwrap();
        let mut queries: Vec<String> = Vec::new();
        for (i, w) in words.iter().step_by(97).take(60).enumerate() {
            let cut = w.char_indices().nth(2 + i % 4).map_or(w.len(), |(at, _)| at);
            queries.push(w[..cut].to_string()); // a prefix: several rare words
            queries.push(w.clone());
            queries.push(format!("{w} {}", words[i * 31 + 5])); // two rare words: often none has both
            queries.push(format!("{} year:2022", &w[..cut]));
            queries.push(format!("-{} {}", words[i * 17 + 3], &w[..cut]));
            let next = &words[i * 97 + 1]; // the next word of the same paper, mostly
            queries.push(format!("title:{}", &w[..cut]));
            queries.push(format!("{w} OR {}", words[i * 13 + 7]));
            queries.push(format!("\"{w} {next}\""));
            queries.push(format!("{w}-{}", &next[..2])); // a compound: its joined form too
        }
        // Totals as bounds (no sample of the unread candidates), which the pass can only lower;
        // with samples, estimates that are still at least the hits, and exact when exhausted.
        let (mut dropping, mut keeping) = (Searcher::new(), Searcher::new());
        let mut sampling = Searcher::new();
        (dropping.bound_totals, keeping.bound_totals) = (true, true);
        keeping.keep_unmatched = true;
        let (mut runs, mut dropped, mut exact, mut estimated) = (0, 0, 0, 0);
        // Whole abstracts, and abstracts cut to ~25 bytes by a text budget (their signatures
        // vouch for the rest).
        for text_budget in [None, Some(100_000)] {
            let options = crate::index::BuildOptions { false_positive_rate: 0.02, text_budget, ..Default::default() };
            let (bytes, _) = crate::index::build(&papers, &options).unwrap();
            let index = Index::open(&bytes).unwrap();
            for q in &queries {
                for (limit, sort, facets) in
                    [(10, Sort::Relevance, false), (3, Sort::Relevance, true), (50, Sort::Newest, true)]
                {
                    let options = SearchOptions { sort, facets, ..SearchOptions::new(limit) };
                    let a = dropping.search_with(&index, q, &options).unwrap();
                    let b = keeping.search_with(&index, q, &options).unwrap();
                    let what = format!("{q:?} limit {limit} {sort:?}");
                    let c = sampling.search_with(&index, q, &options).unwrap();
                    assert_eq!(&c.hits, &a.hits, "{what}");
                    assert!(c.total >= c.hits.len() && (c.hits.len() == limit || c.total == a.total), "{what}");
                    // An estimate only past the limit, never for closest matches (papers with
                    // every word but the one being typed may be estimated); bounds never.
                    let closest = c.partial && c.unfinished.is_none();
                    assert!(!c.total_estimated || (c.hits.len() == limit && !closest), "{what}");
                    estimated += usize::from(c.total_estimated);
                    assert!(!a.total_estimated && !b.total_estimated, "{what}");
                    assert_eq!(keeping.dropped, 0);
                    assert_eq!((&a.hits, a.partial), (&b.hits, b.partial), "{what}");
                    // Totals and facets count the candidates not shown false, which the pass
                    // shows more of: exact, and equal, once every candidate was read.
                    assert!(a.total <= b.total && a.total >= a.hits.len(), "{what}");
                    if a.hits.len() < limit {
                        assert_eq!((a.total, b.total, &a.facets), (a.hits.len(), a.hits.len(), &b.facets), "{what}");
                        if facets && !q.contains("year:") {
                            // Without filters the facets count the same papers: the hits.
                            let years: usize = a.facets.years.iter().map(|y| y.1).sum();
                            assert_eq!(years + a.facets.no_year, a.hits.len(), "{what}");
                        }
                        exact += 1;
                    }
                    assert_eq!((&a.terms, &a.suggestion), (&b.terms, &b.suggestion), "{what}");
                    for h in &a.hits {
                        let (fa, fb) = (a.found.get(h.doc).unwrap(), b.found.get(h.doc).unwrap());
                        assert_eq!(
                            (fa.title, fa.abstract_text, fa.resume),
                            (fb.title, fb.abstract_text, fb.resume),
                            "{what}"
                        );
                    }
                    runs += usize::from(dropping.dropped > 0);
                    dropped += dropping.dropped;
                }
            }
        }
        // The comparison means something only if many searches dropped many candidates.
        assert!(runs > 900 && dropped > 200_000, "{runs} searches dropped {dropped} candidates");
        assert!(exact > 1_000, "{exact} searches read every candidate");
        assert!(estimated > 100, "{estimated} totals estimated from a sample");
    }

    /// Whether the paper at bit `bit` of word `w` (counted over all shards) has every row of
    /// `element`, read row by row: what the candidates' field bits must say.
    fn has_rows(index: &Index<'_>, shards: &[Shard], element: ElementRows, w: usize, bit: usize) -> bool {
        let mut base = 0;
        for s in shards {
            if w < base + s.words as usize {
                let local = (w - base) as u32;
                return element.in_shard(index.k(), s).all(|r| index.row_word(s, r, local) >> bit & 1 == 1);
            }
            base += s.words as usize;
        }
        false
    }

    #[test]
    fn candidates_field_bits_are_every_row_of_their_element() {
        #![allow(clippy::unwrap_used)]
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/digests");
        let papers = crate::digest::load(&[path]).unwrap().papers;
        let (bytes, _) = crate::index::build(&papers, &crate::index::BuildOptions::default()).unwrap();
        // Prefixes with many completions, typos, a title-scoped word, one-word names, common words.
        let (checked, set, names, _) = check_field_bits(
            &Index::open(&bytes).unwrap(),
            &[
                "Learning with Lo",
                "Less is Mo",
                "Learing with Local",
                "title:federated learning",
                "FedRE",
                "HypAD",
                "diffusion model",
                "the model",
                "graph neural network fo",
                "Link-Context Learning fo",
                "Link-Context Learning xylo",
                "attention zzzq learning",
                "learning",
                "model",
                "language models",
            ],
        );
        // Enough candidates, and some with each kind of bit, for the comparison to mean something.
        assert!(checked > 1_500 && set > 1_000 && names > 5, "{checked} candidate terms, {set} tf bits, {names} names");

        // Words in a third of 6,000 papers, in titles and repeated in abstracts: their fields
        // are ANDed over whole shards (`DENSE_FIELDS_FROM`), the rarer words' word by word.
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        let common = ["alpha", "beta", "gamma"];
        let mut jsonl = String::new();
        for i in 0..6000 {
            let r = next();
            let pick = |j: u64| if r >> (j * 2) & 3 == 0 { common[j as usize] } else { "" };
            let title = format!("{} P{i} rare{} {}", pick(0), r % 701, pick(1));
            let body: Vec<String> = (0..3)
                .map(|j| {
                    let times = 1 + (r >> (8 + 4 * j)) as usize % 9;
                    format!("{} word{} ", vec![pick(j); times].join(" "), r >> (20 + j) & 255)
                })
                .collect();
            jsonl += &format!("{{\"title\": \"{title}\", \"body\": \"{}\"}}\n", body.concat().trim());
        }
        let (papers, _) = crate::digest::parse_bytes("made-up.jsonl", jsonl.as_bytes()).unwrap();
        let (bytes, _) = crate::index::build(&papers, &crate::index::BuildOptions::default()).unwrap();
        let (checked, set, names, dense) = check_field_bits(
            &Index::open(&bytes).unwrap(),
            &["alpha", "alp", "beta gamma", "alpha rare1", "gamma word", "ra", "title:beta alpha", "word3"],
        );
        assert!(dense > 0 && checked > 5_000 && set > 2_000 && names > 100, "{dense} dense, {checked}, {set}, {names}");
    }

    /// Searches each of `queries` and checks every candidate's field bits (title, tf buckets,
    /// title start) against the rows of those elements. Returns the (candidate, term) pairs
    /// checked, tf bits set, title starts set, and the (term, shard) pairs dense enough for
    /// whole-shard ANDs.
    fn check_field_bits(index: &Index<'_>, queries: &[&str]) -> (usize, usize, usize, usize) {
        #![allow(clippy::unwrap_used)]
        let shards: Vec<Shard> = (0..index.shard_count()).map(|i| index.shard(i)).collect::<Result<_, _>>().unwrap();
        let total_words: usize = shards.iter().map(|s| s.words as usize).sum();
        let levels = TF_LEVELS.len();
        let mut searcher = Searcher::new();
        let (mut checked, mut set, mut names, mut dense) = (0usize, 0usize, 0usize, 0usize);
        for q in queries {
            let r = searcher.search(index, q, 10).unwrap();
            for (t, term) in r.terms.iter().enumerate() {
                // The name atom is a one-clause query's first atom, word 0; only its terms' title
                // starts are computed.
                let is_name = r.required == 1 && r.term_words[t] == Some(0);
                let live = |w: usize| searcher.acc[w] & searcher.any[t * total_words + w];
                let mut base = 0;
                for s in &shards {
                    let n = (base..base + s.words as usize).filter(|&w| live(w) != 0).count();
                    dense += usize::from(n >= DENSE_FIELDS_MIN_WORDS && n * DENSE_FIELDS_FROM >= s.words as usize);
                    base += s.words as usize;
                }
                for w in 0..total_words {
                    for bit in (0..64).filter(|b| live(w) >> b & 1 == 1) {
                        let has = |field| has_rows(index, &shards, index.element_rows(term_hash(field, term)), w, bit);
                        assert_eq!(
                            searcher.title[t * total_words + w] >> bit & 1 == 1,
                            has(Field::Title),
                            "{q}: {term} title"
                        );
                        let mut reached = true;
                        for l in 0..levels {
                            reached = reached && has(Field::TfAtLeast(l as u8));
                            let bits = searcher.tf[(t * levels + l) * total_words + w];
                            assert_eq!(bits >> bit & 1 == 1, reached, "{q}: {term} tf level {l}");
                            set += usize::from(reached);
                        }
                        if is_name {
                            let start = searcher.start[t * total_words + w] >> bit & 1 == 1;
                            assert_eq!(start, has(Field::TitleStart), "{q}: {term} first title word");
                            names += usize::from(start);
                        }
                        checked += 1;
                    }
                }
            }
        }
        (checked, set, names, dense)
    }

    #[test]
    fn a_completion_never_outscores_the_word_as_typed() {
        #![allow(clippy::unwrap_used)]
        // 'python' in 40 of 60 papers, 'pythonz' (a completion of it) in 3: by its own idf a
        // 'pythonz' paper scored several times a 'python' one and came first.
        let mut jsonl = String::new();
        for i in 0..60 {
            let (title, body) = match i {
                0..3 => (format!("pythonz kit {i}"), "pythonz".to_string()),
                3..43 => (format!("python kit {i}"), "python kit".to_string()),
                _ => (format!("other kit {i}"), "a kit".to_string()),
            };
            jsonl += &format!("{{\"title\": \"{title}\", \"body\": \"{body}\"}}\n");
        }
        let (papers, _) = crate::digest::parse_bytes("made-up.jsonl", jsonl.as_bytes()).unwrap();
        let (bytes, _) = crate::index::build(&papers, &crate::index::BuildOptions::default()).unwrap();
        let index = Index::open(&bytes).unwrap();
        let mut searcher = Searcher::new();
        let r = searcher.search(&index, "python", 10).unwrap();
        assert!(r.terms.iter().any(|t| t == "pythonz"), "the completion is searched: {:?}", r.terms);
        let titles: Vec<&str> = r.hits.iter().map(|h| index.doc(h.doc).unwrap().title).collect();
        assert!(titles.iter().all(|t| t.starts_with("python ")), "{titles:?}");
        // Typed whole, the completion is the word: its papers come first.
        let r = searcher.search(&index, "pythonz", 10).unwrap();
        assert_eq!(r.hits.len(), 3);
    }

    #[test]
    fn a_word_being_typed_completes_to_common_words_or_is_not_required() {
        #![allow(clippy::unwrap_used)]
        // 'class' in 10 papers; 50 shorter words starting 'cl' in one paper each: more than a
        // word's expansions, which were the shortest completions and left 'class' out. Now the
        // most common and the shortest alternate.
        let mut jsonl = String::new();
        for i in 0..60u8 {
            let (title, body) = match i {
                0..10 => (format!("first class kit {i}"), "a class".to_string()),
                10 => ("zeta kit".to_string(), "clandestine".to_string()),
                _ => {
                    (format!("other kit {i}"), format!("cl{}{}", char::from(b'a' + i / 26), char::from(b'a' + i % 26)))
                }
            };
            jsonl += &format!("{{\"title\": \"{title}\", \"body\": \"{body}\"}}\n");
        }
        let (papers, _) = crate::digest::parse_bytes("made-up.jsonl", jsonl.as_bytes()).unwrap();
        let (bytes, _) = crate::index::build(&papers, &crate::index::BuildOptions::default()).unwrap();
        let index = Index::open(&bytes).unwrap();
        assert!(index.words().len() > 50 + max_expansions(&index));
        let r = Searcher::new().search(&index, "first cl", 10).unwrap();
        assert!(r.terms.iter().any(|t| t == "class"), "{:?}", r.terms);
        assert_eq!(r.terms[1..3], ["class", "clal"], "the most common completion, then the shortest: {:?}", r.terms);
        let titles: Vec<&str> = r.hits.iter().map(|h| index.doc(h.doc).unwrap().title).collect();
        assert_eq!(titles.len(), 10);
        assert!(titles.iter().all(|t| t.starts_with("first class ")), "{titles:?}");
        // A completion past those searched ('clandestine'): the papers with the other words,
        // the word being typed scored only, partial; not every paper with any word.
        let r = Searcher::new().search(&index, "zeta Cl", 10).unwrap();
        let titles: Vec<&str> = r.hits.iter().map(|h| index.doc(h.doc).unwrap().title).collect();
        assert_eq!((titles, r.total, r.partial), (vec!["zeta kit"], 1, true));
        assert_eq!(r.unfinished.as_deref(), Some("Cl"), "the word as typed, which they need not have");
        assert_eq!(Searcher::new().search(&index, "first cl", 10).unwrap().unfinished, None);
        assert_eq!(Searcher::new().search(&index, "zeta", 10).unwrap().unfinished, None);
    }

    #[test]
    fn a_total_past_the_limit_discounts_the_bloom_false_positives_verification_did_not_read() {
        #![allow(clippy::unwrap_used)]
        // ε = 0.001 over 40,000 papers: ~20 Bloom false positives for "alpha", in 40 papers; all
        // papers alike in length, so the false positives score as the papers with the word and
        // verification meets them in between; too few for the pass before scoring to read them
        // (`mostly_false_positives`).
        let mut jsonl = String::new();
        for i in 0..40_000 {
            let body = match i {
                _ if i % 1000 == 0 => format!("alpha v{i}a v{i}b"),
                _ if i % 1000 == 500 && i < 10_000 => format!("alph{i} v{i}a v{i}b"),
                _ => format!("v{i}a v{i}b v{i}c"),
            };
            let date = format!("{}-01-01", 2020 + i % 3);
            jsonl += &format!("{{\"title\": \"paper {i}\", \"body\": \"{body}\", \"date\": \"{date}\"}}\n");
        }
        let (papers, _) = crate::digest::parse_bytes("made-up.jsonl", jsonl.as_bytes()).unwrap();
        let (bytes, _) = crate::index::build(&papers, &crate::index::BuildOptions::default()).unwrap();
        let index = Index::open(&bytes).unwrap();
        let all = Searcher::new().search(&index, "alpha ", 1000).unwrap();
        assert_eq!((all.total, all.hits.len(), all.total_estimated), (40, 40, false), "every candidate read: exact");
        let mut unmatched = Searcher { keep_unmatched: true, ..Searcher::new() };
        unmatched.search(&index, "alpha ", 1).unwrap();
        let candidates = unmatched.candidates.len();
        assert!(candidates >= 56, "{candidates} candidates: the false positives this test is about");
        for limit in [1, 5, 10] {
            let top = Searcher::new().search(&index, "alpha ", limit).unwrap();
            assert_eq!(top.hits.len(), limit);
            assert!(top.total.abs_diff(40) <= 8, "limit {limit}: estimated {} papers, 40 match", top.total);
            assert!(top.total_estimated, "limit {limit}: the total is said to be an estimate");
            let bound = Searcher { bound_totals: true, ..Searcher::new() }.search(&index, "alpha ", limit).unwrap();
            assert!(!bound.total_estimated && bound.total > top.total, "limit {limit}: a bound, not an estimate");
        }
        // Short of every match, the total never says none is left (the widget's "Show more"),
        // also where a sample of the unread candidates may find none: "alph" being typed, its
        // completions' false positives many times its last matches.
        for (q, matches) in [("alpha ", 40), ("alph", 50)] {
            for limit in 1..matches {
                let total = Searcher::new().search(&index, q, limit).unwrap().total;
                assert!(total > limit, "{q:?} limit {limit}: {total}");
            }
        }
        // In date order too.
        let newest = SearchOptions { sort: Sort::Newest, ..SearchOptions::new(1) };
        let total = Searcher::new().search_with(&index, "alpha ", &newest).unwrap().total;
        assert!(total.abs_diff(40) <= 8, "estimated {total} papers by date, 40 match");
        // The facets estimate the unread candidates alike: their years add up to the total
        // (within a rounding per year), not to the bound, and a year's count is near its own.
        let years_exact = Searcher::new()
            .search_with(&index, "alpha ", &SearchOptions { facets: true, ..SearchOptions::new(1000) })
            .unwrap()
            .facets;
        for limit in [1, 5, 10] {
            let faceted = SearchOptions { facets: true, ..SearchOptions::new(limit) };
            let r = Searcher::new().search_with(&index, "alpha ", &faceted).unwrap();
            let counted: usize = r.facets.years.iter().map(|y| y.1).sum::<usize>() + r.facets.no_year;
            assert!(
                r.total_estimated && counted.abs_diff(r.total) <= 3,
                "limit {limit}: years count {counted}, total {}",
                r.total
            );
            for &(year, n) in &r.facets.years {
                let exact = years_exact.years.iter().find(|y| y.0 == year).map_or(0, |y| y.1);
                assert!(n.abs_diff(exact) <= 8, "limit {limit}: {year} counted {n}, {exact} match");
            }
        }
    }

    #[test]
    fn a_compound_query_requires_its_joined_form_and_scores_its_parts_not_its_inner_runs() {
        #![allow(clippy::unwrap_used)]
        let jsonl = "{\"title\": \"rollup-plugin-sass\", \"body\": \"Rollup Sass files\"}\n\
                     {\"title\": \"rollup-plugin\", \"body\": \"a plugin\"}\n\
                     {\"title\": \"sass-rollup\", \"body\": \"plugin\"}\n";
        let (papers, _) = crate::digest::parse_bytes("made-up.jsonl", jsonl.as_bytes()).unwrap();
        let (bytes, _) = crate::index::build(&papers, &crate::index::BuildOptions::default()).unwrap();
        let index = Index::open(&bytes).unwrap();
        let r = Searcher::new().search(&index, "rollup-plugin-sass ", 10).unwrap();
        assert_eq!(r.terms, ["rolluppluginsass", "rollup", "plugin", "sass"]);
        let titles = |r: &SearchResults| -> Vec<String> {
            r.hits.iter().map(|h| index.doc(h.doc).unwrap().title.to_string()).collect()
        };
        assert_eq!(titles(&r), ["rollup-plugin-sass"]);
        // An inner run is the whole of the query: both papers with it, the shorter title first.
        let r = Searcher::new().search(&index, "rollup-plugin ", 10).unwrap();
        assert_eq!(titles(&r), ["rollup-plugin", "rollup-plugin-sass"]);
        assert_eq!(titles(&Searcher::new().search(&index, "plugin-sass ", 10).unwrap()), ["rollup-plugin-sass"]);
    }

    #[test]
    fn phrases_match_compound_parts_or_whole_compounds() {
        let names = "We propose SQ-GAN model, a Local-global Distillation for FreeLong++ video.";
        // Inner runs of a longer compound are joined forms too.
        let runs = "a rollup-plugin-sass loader, and Text-to-Image-to-Video";
        for (text, phrase, found) in [
            (names, "sq gan", true),
            (names, "SQ-GAN model", true),
            (names, "sqgan model", true),
            (names, "sq gan model", true),
            (names, "local global distillation", true),
            (names, "gan sq", false),
            (names, "model sq", false),
            (names, "FreeLong++ video", true),
            (names, "freelong video", true),
            (names, "distillation freelong", true),
            (names, "propose model", false),
            (runs, "rollup plugin", true),
            (runs, "rollup-plugin", true),
            (runs, "rollup-plugin sass loader", true),
            (runs, "plugin-sass loader", true),
            (runs, "rollup-plugin-sass loader", true),
            (runs, "plugin rollup", false),
            (runs, "sass rollup", false),
            (runs, "rollup-plugin loader", false),
            (runs, "image-to-video", true),
            (runs, "text-to-image video", true),
            (runs, "loader text", true),
            (runs, "loader image", false),
        ] {
            assert_eq!(has_phrase(text, &stems(phrase)), found, "{phrase}");
        }
    }
}
