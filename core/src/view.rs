//! The plain objects paperbloom shows: one result, one full paper, the index statistics.
//! The wasm API hands them to JavaScript (serde-wasm-bindgen) and `paperbloom search --json`
//! prints them, so both speak exactly the same shape (camelCase field names).

use crate::index::{false_positive_rate, DocRecord, Index, IndexError};
use crate::search::{Hit, SearchResults, TermAt};
use crate::tokenize::{chunk_start, TermMatcher};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use std::borrow::Cow;

mod utf8;

/// Characters of abstract shown in a result excerpt (about two lines).
pub const EXCERPT_CHARS: usize = 220;

/// What a result and a full paper both show: identity and the meta line.
///
/// [`ResultView`] and [`PaperView`] serialize its fields flat, next to their own, as one struct
/// (hand-written `Serialize`, not `#[serde(flatten)]`: flattening writes a map, whose keys
/// serde-wasm-bindgen turns into new JavaScript strings for every result, where a struct's
/// field names are made once and cached). Its text is borrowed from the index bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct PaperMeta<'a> {
    /// Result id (the digest's own id, or a stable derived one).
    pub id: &'a str,
    /// Display title.
    pub title: &'a str,
    /// "Mar 3, 2023", or "Jul 9" when the year is unknown.
    pub date: Option<String>,
    /// The year, when known.
    pub year: Option<u16>,
    /// Author count.
    pub authors: Option<u32>,
    /// Organisation line, when the digest gave one instead of authors.
    pub organization: Option<&'a str>,
    /// Upvotes.
    pub upvotes: Option<u32>,
    /// Code links.
    pub code: Vec<&'a str>,
    /// Link to the paper.
    pub url: Option<&'a str>,
}

/// One search result: [`PaperMeta`]'s fields plus these, in one flat object.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultView<'a> {
    /// Identity and meta line.
    pub paper: PaperMeta<'a>,
    /// Relevance score.
    pub score: f32,
    /// A passage of the abstract: the window with the most distinct query words.
    pub excerpt: String,
    /// Matched words in `title`, as `[start, end)` offsets in UTF-16 code units (JavaScript
    /// string indices), sorted and disjoint.
    pub title_highlights: Vec<[u32; 2]>,
    /// Matched words in `excerpt`, the same way.
    pub excerpt_highlights: Vec<[u32; 2]>,
    /// Query words the paper contains …
    pub matched: u32,
    /// … out of this many (compound parts, which only add to the score, not counted).
    pub terms: u32,
}

/// A whole search outcome, as the wasm `query` returns it: the results and what to tell the
/// reader about them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchView<'a> {
    /// Best first.
    pub results: Vec<ResultView<'a>>,
    /// Papers matching: exact when fewer results than the limit, else an estimate that may
    /// count Bloom false positives not yet read (see [`crate::search::SearchResults::total`]).
    pub total: usize,
    /// True when `total` is estimated from a sample of the candidates not yet read (see
    /// [`crate::search::SearchResults::total_estimated`]): "about" that many.
    pub total_estimated: bool,
    /// No paper has every required word: these are the closest matches (see
    /// [`crate::search::SearchResults::partial`]).
    pub partial: bool,
    /// The word being typed, as typed, when the results are the papers with every other word
    /// (see [`crate::search::SearchResults::unfinished`]).
    pub unfinished: Option<String>,
    /// "Did you mean": the query with words the digest lacks replaced by its closest words.
    pub suggestion: Option<String>,
    /// The index terms searched (stems, completions, corrections), for highlighting.
    pub terms: Vec<String>,
    /// How the matching papers divide by year and code links (see [`crate::search::Facets`]).
    pub facets: FacetsView,
}

/// Facet counts as the wasm `query` returns them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FacetsView {
    /// `{year, count}`, latest first.
    pub years: Vec<YearCount>,
    /// Papers without a known year.
    pub no_year: usize,
    /// Papers with a code link.
    pub with_code: usize,
}

/// Papers of one year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearCount {
    /// The year.
    pub year: u16,
    /// Matching papers of that year.
    pub count: usize,
}

impl From<&crate::search::Facets> for FacetsView {
    fn from(f: &crate::search::Facets) -> Self {
        Self {
            years: f.years.iter().map(|&(year, count)| YearCount { year, count }).collect(),
            no_year: f.no_year,
            with_code: f.with_code,
        }
    }
}

/// A whole paper, as `paper(id)` returns it: [`PaperMeta`]'s fields plus these.
#[derive(Clone, Debug, PartialEq)]
pub struct PaperView<'a> {
    /// Identity and meta line.
    pub paper: PaperMeta<'a>,
    /// True when paperbloom derived the title from the abstract.
    pub title_derived: bool,
    /// The abstract as stored: in a digest over the text budget, long abstracts are stored
    /// cut short, and then end in "…" (serialized as `abstract`).
    pub abstract_text: String,
    /// "file:line" of the digest record.
    pub source: String,
}

/// Index statistics.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsView {
    /// Papers indexed.
    pub papers: u32,
    /// Distinct terms.
    pub terms: u32,
    /// Index size in bytes (signatures and display records).
    pub index_bytes: usize,
    /// Signature bytes alone.
    pub signature_bytes: u64,
    /// Signature bits per (term, paper) posting.
    pub bits_per_posting: f64,
    /// The Bloom lower bound for the target rate: 1.44 · log2(1/ε).
    pub bits_per_posting_bound: f64,
    /// Expected false-positive rate of one term test, averaged over papers.
    pub false_positive_rate: f64,
    /// The rate the index was sized for.
    pub target_false_positive_rate: f64,
    /// Hash functions per term.
    pub hashes: u32,
    /// Shards.
    pub shards: u32,
}

impl<'a> PaperMeta<'a> {
    /// The meta of a record.
    pub fn from_record(r: &DocRecord<'a>) -> Self {
        Self {
            id: r.id,
            title: r.title,
            date: r.date.map(|d| d.label()),
            year: r.date.and_then(|d| d.year),
            authors: r.authors,
            organization: r.organization,
            upvotes: r.upvotes,
            code: r.code.clone(),
            url: r.url,
        }
    }

    /// Fields serialized.
    const FIELDS: usize = 9;

    /// Writes the fields, camelCase, into a struct being serialized.
    fn serialize_fields<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        s.serialize_field("id", &self.id)?;
        s.serialize_field("title", &self.title)?;
        s.serialize_field("date", &self.date)?;
        s.serialize_field("year", &self.year)?;
        s.serialize_field("authors", &self.authors)?;
        s.serialize_field("organization", &self.organization)?;
        s.serialize_field("upvotes", &self.upvotes)?;
        s.serialize_field("code", &self.code)?;
        s.serialize_field("url", &self.url)
    }
}

impl Serialize for PaperMeta<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PaperMeta", Self::FIELDS)?;
        self.serialize_fields(&mut s)?;
        s.end()
    }
}

impl Serialize for ResultView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ResultView", PaperMeta::FIELDS + 6)?;
        self.paper.serialize_fields(&mut s)?;
        s.serialize_field("score", &self.score)?;
        s.serialize_field("excerpt", &self.excerpt)?;
        s.serialize_field("titleHighlights", &self.title_highlights)?;
        s.serialize_field("excerptHighlights", &self.excerpt_highlights)?;
        s.serialize_field("matched", &self.matched)?;
        s.serialize_field("terms", &self.terms)?;
        s.end()
    }
}

impl Serialize for PaperView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PaperView", PaperMeta::FIELDS + 3)?;
        self.paper.serialize_fields(&mut s)?;
        s.serialize_field("titleDerived", &self.title_derived)?;
        s.serialize_field("abstract", &self.abstract_text)?;
        s.serialize_field("source", &self.source)?;
        s.end()
    }
}

impl<'a> PaperView<'a> {
    /// The full view of a record.
    pub fn from_record(r: &DocRecord<'a>) -> Self {
        Self {
            paper: PaperMeta::from_record(r),
            title_derived: r.title_derived,
            abstract_text: with_cut_mark(r.abstract_text.to_string(), r.abstract_cut),
            source: format!("{}:{}", r.source_file, r.source_line),
        }
    }
}

impl<'a> ResultView<'a> {
    /// The view of `results`' hit `hit`: its excerpt counts query words
    /// ([`SearchResults::term_words`]); its highlights mark every one of
    /// [`SearchResults::terms`].
    pub fn new(index: &Index<'a>, results: &SearchResults<'_>, hit: &Hit) -> Result<Self, IndexError> {
        Self::with_matcher(index, results, hit, &mut TermMatcher::new(&results.terms))
    }

    /// The views of `results`' hits past the first `skip`, from the records verification read
    /// and where it found the terms ([`SearchResults::found`]: no record is read again, and the
    /// text is scanned again only past where verification stopped), with verification's own
    /// [`TermMatcher`] ([`SearchResults::matcher`]: its terms are not compiled again, and each
    /// distinct word of the titles and abstracts is stemmed at most once per search). Equal to the views [`ResultView::new`] gives.
    pub fn all(index: &Index<'a>, results: &SearchResults<'a>, skip: usize) -> Result<Vec<Self>, IndexError> {
        let mut matcher = results.matcher.take(&results.terms);
        let views = Self::all_with(index, results, skip, &mut matcher);
        results.matcher.keep(matcher);
        views
    }

    /// [`ResultView::all`] with `matcher`, a matcher of `results`' terms.
    fn all_with(
        index: &Index<'a>,
        results: &SearchResults<'a>,
        skip: usize,
        matcher: &mut TermMatcher<'_>,
    ) -> Result<Vec<Self>, IndexError> {
        let words = query_words(results);
        let mut rest = Vec::new();
        // Sized up front: views are large, and a collect through `Result` grows by doubling.
        let mut views = Vec::with_capacity(results.hits.len().saturating_sub(skip));
        for h in results.hits.iter().skip(skip) {
            views.push(match results.found.get(h.doc) {
                Some(found) => {
                    let r = found.record;
                    let in_abstract = match found.resume {
                        None => found.abstract_text,
                        Some(from) => {
                            rest.clear();
                            rest.extend_from_slice(found.abstract_text);
                            excerpt_matches(matcher, &words, r.abstract_text, from, &mut rest, EXCERPT_CHARS);
                            &rest
                        }
                    };
                    Self::from_matches(r, h, results, &words, found.title, in_abstract)
                }
                None => Self::with_matcher(index, results, h, matcher)?,
            });
        }
        Ok(views)
    }

    /// [`ResultView::new`] with a matcher of `results`' terms built by the caller.
    pub fn with_matcher(
        index: &Index<'a>,
        results: &SearchResults<'_>,
        hit: &Hit,
        matcher: &mut TermMatcher<'_>,
    ) -> Result<Self, IndexError> {
        let r = index.doc(hit.doc)?;
        let (title, in_abstract) = (matches_in(r.title, matcher), matches_in(r.abstract_text, matcher));
        Ok(Self::from_matches(&r, hit, results, &query_words(results), &title, &in_abstract))
    }

    /// The view of paper `r` whose title and abstract hold `title` and `in_abstract` (every
    /// match of `results`' terms, in [`TermMatcher::matches`] order); `words` is
    /// [`query_words`] of `results`.
    fn from_matches(
        r: &DocRecord<'a>,
        hit: &Hit,
        results: &SearchResults,
        words: &[Option<usize>],
        title: &[TermAt],
        in_abstract: &[TermAt],
    ) -> Self {
        let excerpt = excerpt_of(r.abstract_text, in_abstract, words, EXCERPT_CHARS);
        let shift = |b: usize| b - excerpt.from + excerpt.lead;
        let excerpt_highlights = merged(
            in_abstract
                .iter()
                .filter(|&&(_, s, e)| s >= excerpt.from && e <= excerpt.to)
                .map(|&(_, s, e)| (shift(s), shift(e))),
        );
        Self {
            paper: PaperMeta::from_record(r),
            score: hit.score,
            title_highlights: utf16_ranges(r.title, &merged(title.iter().map(|&(_, s, e)| (s, e)))),
            excerpt_highlights: utf16_ranges(&excerpt.text, &excerpt_highlights),
            excerpt: with_cut_mark(excerpt.text, r.abstract_cut),
            matched: hit.matched,
            terms: results.required as u32,
        }
    }
}

/// `text`, ending in "…" when it comes from an abstract stored `cut` short (unless it already
/// does).
fn with_cut_mark(mut text: String, cut: bool) -> String {
    if cut && !text.ends_with('…') {
        text.push('…');
    }
    text
}

/// Every match of `matcher`'s terms in `text`, in order.
fn matches_in(text: &str, matcher: &mut TermMatcher<'_>) -> Vec<TermAt> {
    let mut out = Vec::new();
    matcher.matches(text, |t, s, e| {
        out.push((t, s, e));
        true
    });
    out
}

/// The characters of the window [`excerpt_of`] slides over the matches (the excerpt leads with
/// a fifth of its `max_chars` before the window's first match).
fn window_chars(max_chars: usize) -> usize {
    max_chars * 4 / 5
}

/// Adds to `found` (the matches of `matcher`'s terms in `text[..from]`, where `from` is a
/// [`chunk_start`]) the matches in `text[from..]` that an excerpt of `max_chars` and its
/// highlights need: every one, unless some window of [`excerpt_of`] holds every query word
/// (`term_words`, as [`excerpt_of`] counts them) first.
/// Then no later window can have more distinct words (and among the best the earliest wins), so
/// the scan ends at the first chunk end past where an excerpt anchored at or before that window
/// can reach ([`excerpt_reach`]); the matches it added from the chunk where it saw that are
/// dropped and that chunk is read again from its start. [`excerpt_of`] and the excerpt's
/// highlights are the same as from every match of `text`.
///
/// A window holds every word when the latest match of each lies within fewer bytes than the
/// window has characters (a character is at least a byte), a test that may only come late.
fn excerpt_matches(
    matcher: &mut TermMatcher<'_>,
    term_words: &[Option<usize>],
    text: &str,
    from: usize,
    found: &mut Vec<TermAt>,
    max_chars: usize,
) {
    let window = window_chars(max_chars);
    let mut latest: Vec<Option<usize>> = vec![None; word_count(term_words)];
    let mut missing = latest.len();
    // The first match of the earliest window found to hold every word.
    let mut every_word = |&(t, s, _): &TermAt| -> Option<usize> {
        let slot = latest.get_mut((*term_words.get(t)?)?)?;
        missing -= usize::from(slot.is_none());
        *slot = Some(s);
        if missing > 0 {
            return None;
        }
        let (lo, hi) = latest.iter().flatten().fold((usize::MAX, 0), |(lo, hi), &p| (lo.min(p), hi.max(p)));
        (hi - lo < window).then_some(lo)
    };
    let mut complete = found.iter().find_map(&mut every_word).map(|anchor| (anchor, from));
    if complete.is_none() {
        let tail = text.get(from..).unwrap_or("");
        matcher.matches(tail, |t, s, e| {
            let m = (t, from + s, from + e);
            found.push(m);
            match every_word(&m) {
                // The rest of this chunk is scanned again below, with what follows.
                Some(anchor) => {
                    complete = Some((anchor, chunk_start(text, m.1).max(from)));
                    false
                }
                None => true,
            }
        });
        if let Some((_, chunk)) = complete {
            found.retain(|&(_, s, _)| s < chunk);
        }
    }
    let Some((anchor, chunk)) = complete else { return };
    let reach = excerpt_reach(text, anchor, max_chars);
    if let Some(part) = text.get(chunk..reach) {
        matcher.matches(part, |t, s, e| {
            found.push((t, chunk + s, chunk + e));
            true
        });
    }
}

/// The first chunk end (ASCII whitespace or the end of `text`) at or past the end of the
/// [`excerpt_around`] any match starting at or before byte `anchor` (a character boundary)
/// would show: its start moves forward with its anchor, and it shows at most `max_chars`
/// characters from there.
fn excerpt_reach(text: &str, anchor: usize, max_chars: usize) -> usize {
    let end = excerpt_end(text, excerpt_start(text, anchor, max_chars), max_chars);
    text.as_bytes()[end..].iter().position(u8::is_ascii_whitespace).map_or(text.len(), |i| end + i)
}

/// Byte ranges sorted, overlapping ones merged.
fn merged(ranges: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    // Sized for every range (a filtered iterator's collect would grow by doubling).
    let (fewest, most) = ranges.size_hint();
    let mut out = Vec::with_capacity(most.unwrap_or(fewest));
    out.extend(ranges);
    crate::sort::sort(&mut out);
    // In place: a range starting within the last one kept extends it and goes.
    out.dedup_by(|next, last| {
        let overlaps = next.0 <= last.1;
        if overlaps {
            last.1 = last.1.max(next.1);
        }
        overlaps
    });
    out
}

/// Byte ranges of the words of `text` that are one of `terms` once tokenized (so "Federated"
/// is marked for the term "feder", and "SQ-GAN" as a whole for "sqgan"), sorted, merged.
pub fn highlights(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    if terms.is_empty() {
        return Vec::new();
    }
    highlights_with(text, &mut TermMatcher::new(terms))
}

/// [`highlights`] with the caller's matcher.
pub fn highlights_with(text: &str, matcher: &mut TermMatcher<'_>) -> Vec<(usize, usize)> {
    merged(matches_in(text, matcher).into_iter().map(|(_, s, e)| (s, e)))
}

/// `ranges` (byte offsets into `text`) as UTF-16 code-unit offsets.
pub fn utf16_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<[u32; 2]> {
    if text.is_ascii() {
        return ranges.iter().map(|&(s, e)| [s as u32, e as u32]).collect();
    }
    // One walk along the text for ranges in order; a range before the last goes back to the start.
    let (mut byte, mut unit) = (0usize, 0usize);
    let mut at = |b: usize| {
        if b < byte {
            (byte, unit) = (0, 0);
        }
        unit += text.get(byte..b).map_or(0, utf8::utf16_len);
        byte = b;
        unit as u32
    };
    ranges.iter().map(|&(s, e)| [at(s), at(e)]).collect()
}

impl StatsView {
    /// Statistics of `index` (reads every record's term count: O(papers)).
    pub fn new(index: &Index<'_>) -> Result<Self, IndexError> {
        let k = index.k();
        let mut fpr_sum = 0.0;
        for i in 0..index.shard_count() {
            let s = index.shard(i)?;
            for d in s.first..s.first + s.len {
                fpr_sum += false_positive_rate(index.doc(d)?.terms as usize, k, s.m);
            }
        }
        let bits = index.signature_bits();
        let target = index.target_false_positive_rate();
        Ok(Self {
            papers: index.papers(),
            terms: index.terms(),
            index_bytes: index.byte_len(),
            signature_bytes: bits.div_ceil(8),
            bits_per_posting: bits as f64 / index.postings().max(1) as f64,
            bits_per_posting_bound: (1.0 / target).log2() / std::f64::consts::LN_2,
            false_positive_rate: fpr_sum / f64::from(index.papers().max(1)),
            target_false_positive_rate: target,
            hashes: k,
            shards: index.shard_count(),
        })
    }
}

/// About `max_chars` characters of `text` around its best passage — the window holding the
/// most distinct `terms` (the earliest such window; the start when none occurs) — cut at word
/// boundaries, with "…" where text was cut.
pub fn excerpt(text: &str, terms: &[String], max_chars: usize) -> String {
    excerpt_with(text, &mut TermMatcher::new(terms), max_chars)
}

/// [`excerpt`] with the caller's matcher.
pub fn excerpt_with(text: &str, matcher: &mut TermMatcher<'_>, max_chars: usize) -> String {
    excerpt_of(text, &matches_in(text, matcher), &each_term_a_word(matcher.terms()), max_chars).text
}

/// `results`' [`SearchResults::term_words`]; when it does not pair with its terms (results
/// built by hand), each term counts as a word of its own.
fn query_words<'r>(results: &'r SearchResults<'_>) -> Cow<'r, [Option<usize>]> {
    if results.term_words.len() == results.terms.len() {
        Cow::Borrowed(&results.term_words)
    } else {
        Cow::Owned(each_term_a_word(results.terms.len()))
    }
}

/// Query words for `terms` terms, each its own.
fn each_term_a_word(terms: usize) -> Vec<Option<usize>> {
    (0..terms).map(Some).collect()
}

/// How many query words `term_words` ([`SearchResults::term_words`]) numbers.
fn word_count(term_words: &[Option<usize>]) -> usize {
    term_words.iter().flatten().max().map_or(0, |&w| w + 1)
}

/// An excerpt: `text` is "…" (when cut, `lead` bytes) + the source's bytes `from..to` + "…"
/// (when cut).
struct Excerpt {
    text: String,
    from: usize,
    to: usize,
    lead: usize,
}

/// The [`excerpt`] of `text`, whose matches of the query's terms are `found` (in
/// [`TermMatcher::matches`] order), the window with the most distinct query words, each term
/// counting as the word `term_words` says (terms of no word do not count).
fn excerpt_of(text: &str, found: &[TermAt], term_words: &[Option<usize>], max_chars: usize) -> Excerpt {
    // (char position, byte offset, query word) of every match.
    let mut matches: Vec<(usize, usize, usize)> = Vec::with_capacity(found.len());
    let (mut chars_before, mut counted) = (0usize, 0usize); // chars in text[..counted]
    for &(t, start, _) in found {
        let Some(&Some(q)) = term_words.get(t) else { continue };
        // Tokens come in text order, except a compound's joined form after its parts.
        if start >= counted {
            chars_before += text.get(counted..start).map_or(0, |s| s.chars().count());
        } else {
            chars_before -= text.get(start..counted).map_or(0, |s| s.chars().count());
        }
        counted = start;
        matches.push((chars_before, start, q));
    }
    crate::sort::sort(&mut matches);
    // Slide a window of 4/5 of the excerpt (excerpt_at leads with 1/5 before the anchor).
    let window = window_chars(max_chars);
    let mut counts = vec![0u32; word_count(term_words)];
    let (mut distinct, mut j) = (0usize, 0usize);
    let mut best: Option<(usize, usize)> = None; // (distinct, byte anchor)
    for i in 0..matches.len() {
        while j < matches.len() && matches[j].0 < matches[i].0 + window {
            counts[matches[j].2] += 1;
            distinct += usize::from(counts[matches[j].2] == 1);
            j += 1;
        }
        if best.is_none_or(|(d, _)| distinct > d) {
            best = Some((distinct, matches[i].1));
        }
        counts[matches[i].2] -= 1;
        distinct -= usize::from(counts[matches[i].2] == 0);
    }
    excerpt_around(text, best.map_or(0, |b| b.1), max_chars)
}

/// About `max_chars` characters of `text` around byte offset `hit` (see [`excerpt`]).
pub fn excerpt_at(text: &str, hit: usize, max_chars: usize) -> String {
    excerpt_around(text, hit, max_chars).text
}

/// [`excerpt_at`], with where the excerpt's text comes from.
fn excerpt_around(text: &str, hit: usize, max_chars: usize) -> Excerpt {
    let hit = if text.is_char_boundary(hit.min(text.len())) { hit.min(text.len()) } else { 0 };
    if utf8::nth_char(text, 0, max_chars).is_none() {
        // At most `max_chars` characters.
        let trimmed = text.trim();
        let from = trimmed.as_ptr() as usize - text.as_ptr() as usize;
        return Excerpt { text: trimmed.to_string(), from, to: from + trimmed.len(), lead: 0 };
    }
    let start = excerpt_start(text, hit, max_chars);
    let mut end = excerpt_end(text, start, max_chars);
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(char::is_whitespace) {
            end = start + space;
        }
    }
    let shown = text[start..end].trim_end_matches([',', ';', ':', ' ']);
    let mut out = String::with_capacity(shown.len() + 2 * '…'.len_utf8());
    if start > 0 {
        out.push('…');
    }
    let lead = out.len();
    out.push_str(shown);
    if end < text.len() {
        out.push('…');
    }
    Excerpt { text: out, from: start, to: start + shown.len(), lead }
}

/// Where [`excerpt_around`] a match at byte `hit` (a character boundary) starts: at the first
/// whitespace at or after the character `max_chars / 5 + 1` before it (the text's start when
/// there are fewer), then past that whitespace; after the hit when a run without whitespace
/// spans it. Never before the start for a smaller `hit`.
fn excerpt_start(text: &str, hit: usize, max_chars: usize) -> usize {
    let lead = utf8::nth_char_back(text, hit, max_chars / 5).unwrap_or(0);
    let start = if lead == 0 { 0 } else { text[lead..].find(char::is_whitespace).map_or(lead, |i| lead + i) };
    text.len() - text[start..].trim_start().len()
}

/// Where an excerpt from byte `start` (a character boundary) may end at most: `max_chars`
/// characters on, or the end of `text` ([`excerpt_around`] then cuts back to a word end).
fn excerpt_end(text: &str, start: usize, max_chars: usize) -> usize {
    utf8::nth_char(text, start, max_chars).unwrap_or(text.len())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Merged ranges are sorted, disjoint and not touching, and cover exactly the bytes
        /// the given ranges cover (a range touching the next one's start joins it).
        #[test]
        fn merged_ranges_cover_the_same_bytes(ranges in proptest::collection::vec((0usize..60, 0usize..8), 0..12)) {
            let ranges: Vec<(usize, usize)> = ranges.into_iter().map(|(s, n)| (s, s + n)).collect();
            let out = merged(ranges.iter().copied());
            for pair in out.windows(2) {
                proptest::prop_assert!(pair[0].1 < pair[1].0, "{out:?}");
            }
            let covered = |set: &[(usize, usize)], b: usize| set.iter().any(|&(s, e)| s <= b && b < e);
            for b in 0..70 {
                proptest::prop_assert_eq!(covered(&out, b), covered(&ranges, b), "byte {} of {:?}: {:?}", b, ranges, out);
            }
            for &(s, e) in &ranges {
                proptest::prop_assert!(out.iter().any(|&(a, z)| a <= s && e <= z), "{:?} in {:?}", (s, e), out);
            }
        }
    }

    /// The keys of `value`'s JSON object, in the order it writes them (each once).
    fn json_keys(value: &impl Serialize) -> Vec<String> {
        let json = serde_json::to_string(value).unwrap();
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&json).unwrap();
        for k in object.keys() {
            assert_eq!(json.matches(&format!("\"{k}\":")).count(), 1, "{k} in {json}");
        }
        let mut keys: Vec<(usize, String)> =
            object.keys().map(|k| (json.find(&format!("\"{k}\":")).unwrap(), k.clone())).collect();
        keys.sort();
        keys.into_iter().map(|(_, k)| k).collect()
    }

    fn meta() -> PaperMeta<'static> {
        PaperMeta {
            id: "2401.00001",
            title: "A title",
            date: Some("Jan 2, 2024".into()),
            year: Some(2024),
            authors: Some(3),
            organization: None,
            upvotes: Some(7),
            code: vec!["https://example.org/code"],
            url: None,
        }
    }

    const META_KEYS: [&str; 9] = ["id", "title", "date", "year", "authors", "organization", "upvotes", "code", "url"];

    #[test]
    fn result_and_paper_views_are_flat_objects_with_the_documented_keys() {
        let result = ResultView {
            paper: meta(),
            score: 1.5,
            excerpt: "An excerpt".into(),
            title_highlights: vec![[2, 7]],
            excerpt_highlights: vec![],
            matched: 1,
            terms: 2,
        };
        let want: Vec<&str> = META_KEYS
            .iter()
            .copied()
            .chain(["score", "excerpt", "titleHighlights", "excerptHighlights", "matched", "terms"])
            .collect();
        assert_eq!(json_keys(&result), want);
        let meta_json = serde_json::json!({
            "id": "2401.00001", "title": "A title", "date": "Jan 2, 2024", "year": 2024, "authors": 3,
            "organization": null, "upvotes": 7, "code": ["https://example.org/code"], "url": null,
        });
        let mut result_json = meta_json.clone();
        result_json.as_object_mut().unwrap().extend(
            serde_json::json!({
                "score": 1.5, "excerpt": "An excerpt", "titleHighlights": [[2, 7]], "excerptHighlights": [],
                "matched": 1, "terms": 2,
            })
            .as_object()
            .unwrap()
            .clone(),
        );
        assert_eq!(serde_json::to_value(&result).unwrap(), result_json);
        let paper = PaperView {
            paper: meta(),
            title_derived: true,
            abstract_text: "The abstract".into(),
            source: "d.txt:3".into(),
        };
        let want: Vec<&str> = META_KEYS.iter().copied().chain(["titleDerived", "abstract", "source"]).collect();
        assert_eq!(json_keys(&paper), want);
        let mut paper_json = meta_json.clone();
        paper_json.as_object_mut().unwrap().extend(
            serde_json::json!({"titleDerived": true, "abstract": "The abstract", "source": "d.txt:3"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(serde_json::to_value(&paper).unwrap(), paper_json);
        assert_eq!(json_keys(&meta()), META_KEYS);
        assert_eq!(serde_json::to_value(meta()).unwrap(), meta_json);
    }

    /// The excerpt of `text` from `found` and the matches inside it, as highlights see them.
    fn excerpt_and_marks(text: &str, found: &[TermAt], words: &[Option<usize>]) -> (String, usize, usize, Vec<TermAt>) {
        let e = excerpt_of(text, found, words, EXCERPT_CHARS);
        let mut inside: Vec<TermAt> = found.iter().copied().filter(|&(_, s, end)| s >= e.from && end <= e.to).collect();
        inside.sort_unstable();
        (e.text, e.from, e.to, inside)
    }

    proptest::proptest! {
        /// From any chunk start, the matches [`excerpt_matches`] adds to those before it give
        /// the excerpt and highlights that every match of the text gives, though it may stop
        /// early: texts of query words among others (several bytes per character among them,
        /// compounds whose parts match, one whose later parts make a term if read alone), so
        /// that windows with every term come early, late, or after every term was seen apart.
        #[test]
        fn excerpt_matches_give_the_excerpt_of_every_match(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "bloom", "filter", "index", "Bloom-filter", "Bloom-filter-index", "x-filter-index",
                    "filterindex", "bloomfilter", "filters", "indexes,", "(bloom)", "gap", "a", "the",
                    "ünïcödé", "naïve", "—", "x", "wörds", "é", "of", "long", "between", "words", "and",
                    "some", "more", "text", "here", "there", "is", "no", "term", "at", "all", "in", "it",
                ]),
                20..160,
            ),
            spaces in proptest::collection::vec(proptest::sample::select(vec![" ", "  ", "\n", "\u{a0} "]), 160),
            terms in proptest::sample::subsequence(vec!["bloom", "filter", "index", "bloomfilt", "filterindex"], 1..=4),
            from_word in 0usize..160,
            grouping in 0u8..3,
        ) {
            let mut text = String::new();
            let mut starts = vec![0];
            for (w, sp) in words.iter().zip(&spaces) {
                text.push_str(w);
                text.push_str(sp);
                starts.push(text.len());
            }
            let from = starts[from_word % starts.len()];
            // Each term its own query word, two terms to a word (as completions are), or the last
            // term of no word (an exclusion's).
            let words: Vec<Option<usize>> = (0..terms.len())
                .map(|t| match grouping {
                    0 => Some(t),
                    1 => Some(t / 2),
                    _ => (t + 1 < terms.len()).then_some(t),
                })
                .collect();
            let (early, every) = excerpt_matches_and_every_match(&text, from, &terms, &words);
            proptest::prop_assert_eq!(early, every);
        }
    }

    /// The excerpt and its matches from [`excerpt_matches`] after `from`, and from every match.
    type Marked = (String, usize, usize, Vec<TermAt>);
    fn excerpt_matches_and_every_match(
        text: &str,
        from: usize,
        terms: &[&str],
        words: &[Option<usize>],
    ) -> (Marked, Marked) {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let mut matcher = TermMatcher::new(&terms);
        let every = matches_in(text, &mut matcher);
        let mut found: Vec<TermAt> = every.iter().copied().filter(|&(_, s, _)| s < from).collect();
        excerpt_matches(&mut matcher, words, text, from, &mut found, EXCERPT_CHARS);
        (excerpt_and_marks(text, &found, words), excerpt_and_marks(text, &every, words))
    }

    /// Each term its own query word.
    fn own_words(terms: &[&str]) -> Vec<Option<usize>> {
        (0..terms.len()).map(Some).collect()
    }

    /// How many matches [`excerpt_matches`] gives from `from`, and how many the text has.
    fn matches_kept(text: &str, from: usize, terms: &[&str], words: &[Option<usize>]) -> (usize, usize) {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let mut matcher = TermMatcher::new(&terms);
        let every = matches_in(text, &mut matcher);
        let mut found: Vec<TermAt> = every.iter().copied().filter(|&(_, s, _)| s < from).collect();
        excerpt_matches(&mut matcher, words, text, from, &mut found, EXCERPT_CHARS);
        (found.len(), every.len())
    }

    #[test]
    fn excerpt_matches_stop_only_after_a_window_with_every_word() {
        let gap = |n: usize| "gap ".repeat(n);
        let cases = [
            // Every term seen, but apart (246 bytes, and 202: more than the window's 176
            // characters); the window that holds both comes later.
            (format!("bloom {}filter {}bloom filter {}", gap(60), gap(60), gap(60)), ["bloom", "filter", "zzz"]),
            (format!("bloom {}filter {}bloom filter {}", gap(49), gap(120), gap(60)), ["bloom", "filter", "zzz"]),
            // Every term within 176 bytes at once, the rest of the text past the excerpt; the
            // same with characters of two bytes (176 characters are more bytes).
            (format!("{}bloom {}filter {}bloom filter", gap(70), gap(30), gap(200)), ["bloom", "filter", "zzz"]),
            (
                format!("{}bloom {}filter {}bloom filter", "éé ".repeat(70), "éé ".repeat(30), gap(200)),
                ["bloom", "filter", "zzz"],
            ),
            // Every term first found inside a chunk ("filter" in "x-filter-index"): the chunk
            // is read again from its start, where "filter-index" alone would make the term
            // "filterindex" that the whole chunk does not.
            (format!("{}bloom filterindex x-filter-index {}", gap(10), gap(200)), ["bloom", "filter", "filterindex"]),
        ];
        for (i, (text, terms)) in cases.iter().enumerate() {
            let terms: Vec<&str> = terms.iter().copied().filter(|t| *t != "zzz").collect();
            // From the start, and from chunk starts before and after where every term is seen.
            let starts = [0, chunk_start(text, 8), chunk_start(text, 120), chunk_start(text, 300)];
            for from in starts {
                let (early, every) = excerpt_matches_and_every_match(text, from, &terms, &own_words(&terms));
                assert_eq!(early, every, "{text:?} from {from}");
            }
            // Where a window holds every term early (cases 2 and 3), the later "bloom filter"
            // is not read.
            let (kept, all) = matches_kept(text, 0, &terms, &own_words(&terms));
            assert_eq!(kept < all, matches!(i, 2 | 3), "case {i}: {kept} of {all} matches");
        }
    }

    #[test]
    fn excerpt_short_text_is_whole() {
        assert_eq!(excerpt("  Short abstract. ", &[], 50), "Short abstract.");
    }

    #[test]
    fn excerpt_centres_on_first_match_and_marks_cuts() {
        let text = format!("{} the Bloom filter is here {}", "word ".repeat(100), "tail ".repeat(100));
        let e = excerpt(&text, &["bloom".to_string()], 60);
        assert!(e.starts_with('…') && e.ends_with('…'), "{e}");
        assert!(e.contains("Bloom filter"), "{e}");
        assert!(e.chars().count() <= 62, "{e}");
    }

    #[test]
    fn excerpt_prefers_the_window_with_most_distinct_terms() {
        let text = format!(
            "{} bloom here {} bloom filter index together {}",
            "word ".repeat(60),
            "gap ".repeat(60),
            "tail ".repeat(60)
        );
        let terms: Vec<String> = ["bloom", "filter", "index"].iter().map(|s| s.to_string()).collect();
        let e = excerpt(&text, &terms, 60);
        assert!(e.contains("bloom filter index"), "{e}");
        // A compound's joined form comes after its parts: no panic, still found.
        let text = format!("{} Poincaré-ResNet and SQ-GAN é {}", "wörd ".repeat(80), "tail ".repeat(80));
        let terms: Vec<String> = ["sqgan", "resnet", "poincar"].iter().map(|s| s.to_string()).collect();
        let e = excerpt(&text, &terms, 60);
        assert!(e.contains("SQ-GAN"), "{e}");
    }

    #[test]
    fn excerpts_count_query_words_not_terms() {
        // "lo" typed: "local" and "low" are two terms of one query word. The window with both
        // words comes after one with two terms of the same word, and wins.
        let terms: Vec<String> = ["learn", "local", "low"].iter().map(|s| s.to_string()).collect();
        let words = [Some(0), Some(1), Some(1)];
        let text =
            format!("{}local and low {}learning local {}", "word ".repeat(10), "gap ".repeat(60), "tail ".repeat(60));
        let mut matcher = TermMatcher::new(&terms);
        let every = matches_in(&text, &mut matcher);
        let e = excerpt_of(&text, &every, &words, EXCERPT_CHARS);
        assert!(e.text.contains("learning local") && !e.text.contains("low"), "{}", e.text);
        // Terms of no query word (an exclusion's) do not count.
        let e = excerpt_of(&text, &every, &[None, Some(0), Some(0)], EXCERPT_CHARS);
        assert!(e.text.contains("local and low"), "{}", e.text);
        // The views stop reading once a window holds both words, though "low" is not in it:
        // the matches past the excerpt's reach are not read, and the excerpt is the same.
        let text = format!("{text}{}low learning", "gap ".repeat(60));
        let (kept, all) = matches_kept(&text, 0, &["learn", "local", "low"], &words);
        assert_eq!((kept, all), (4, 6));
        let (early, every) = excerpt_matches_and_every_match(&text, 0, &["learn", "local", "low"], &words);
        assert_eq!(early, every);
        // With "learn" of no word, the first window holds every word: "learning" is not waited
        // for.
        let no_word = [None, Some(0), Some(0)];
        let (kept, _) = matches_kept(&text, 0, &["learn", "local", "low"], &no_word);
        assert_eq!(kept, 2);
        let (early, every) = excerpt_matches_and_every_match(&text, 0, &["learn", "local", "low"], &no_word);
        assert_eq!(early, every);
    }

    #[test]
    fn results_built_by_hand_count_each_term_as_a_word() {
        let mut results = SearchResults { terms: vec!["a".into(), "b".into()], ..SearchResults::default() };
        assert_eq!(*query_words(&results), [Some(0), Some(1)]);
        results.term_words = vec![Some(0), Some(0)];
        assert_eq!(*query_words(&results), [Some(0), Some(0)]);
    }

    #[test]
    fn highlights_mark_words_by_their_terms() {
        let title = "FedRE: Federated learning with SQ-GAN and Poincaré nets";
        let terms: Vec<String> = ["feder", "sqgan", "poincar"].iter().map(|s| s.to_string()).collect();
        let marked: Vec<&str> = highlights(title, &terms).iter().map(|&(s, e)| &title[s..e]).collect();
        assert_eq!(marked, ["Federated", "SQ-GAN", "Poincaré"]);
        // UTF-16 offsets for JavaScript: "é" is one code unit, "𝔸" two.
        assert_eq!(utf16_ranges("é x", &[(3, 4)]), [[2, 3]]);
        assert_eq!(utf16_ranges("𝔸 x", &[(5, 6)]), [[3, 4]]);
        assert_eq!(utf16_ranges("a 𝔸 é b", &[(0, 1), (7, 9), (2, 6), (10, 11)]), [[0, 1], [5, 6], [2, 4], [7, 8]]);
        assert_eq!(utf16_ranges("plain", &[(1, 3)]), [[1, 3]]);
        assert!(highlights(title, &[]).is_empty());
    }

    #[test]
    fn excerpt_without_match_starts_at_beginning() {
        let text = "alpha ".repeat(100);
        let e = excerpt(&text, &["zzz".to_string()], 30);
        assert!(e.starts_with("alpha") && e.ends_with('…'), "{e}");
    }
}
