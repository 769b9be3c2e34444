//! paperbloom's WebAssembly skin: the search index built by `build.rs` is embedded in this
//! binary and read in place; this crate exposes it to JavaScript.
//!
//! - `search(query, limit)` → array of plain result objects;
//! - `paper(id)` → the full record, or `null`;
//! - `stats()` → index statistics (reads every record: O(papers));
//! - `paperCount()` → papers in the index (O(1), for a page's "Search N papers");
//! - `mount(target, options)` → renders the search widget into an element (see `src/widget.rs`).
//!
//! Every export returns a JavaScript `Error` with a message instead of trapping; the panic hook
//! is installed at start-up only so that a bug, should one slip through, is readable in the
//! console.

use paperbloom_core::index::{Index, IndexError};
use paperbloom_core::search::{Refine, SearchOptions, SearchResults, Searcher, Sort};
use paperbloom_core::view::{PaperView, ResultView, SearchView, StatsView};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod options;
mod widget;

/// The allocator: Talc, in place of the standard library's dlmalloc (a search makes ~150
/// allocations; Node, seed queries: 2–3% faster per query, 5.5 kB less wasm, memory as flat).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The index bytes `build.rs` produced for the digest this binary was built from.
static INDEX_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// Default and maximum number of results.
const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 1000;

thread_local! {
    static INDEX: Result<Index<'static>, IndexError> = Index::open_verified(INDEX_BYTES);
    static SEARCHER: RefCell<Searcher> = RefCell::new(Searcher::new());
}

/// TypeScript types of the plain objects the API takes and returns (the generated
/// `paperbloom.d.ts` uses them; `tests/types/consumer.ts` checks them with `tsc --strict`).
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Identity and meta line of a paper. */
export interface PaperMeta {
  id: string;
  title: string;
  /** As the digest gives it, e.g. "May 1, 2023". */
  date: string | null;
  year: number | null;
  authors: number | null;
  organization: string | null;
  upvotes: number | null;
  /** Code links (http/https). */
  code: string[];
  url: string | null;
}
/** `[start, end)` offsets in JavaScript string indices (UTF-16 code units). */
export type Range = [number, number];
/** One search result. */
export interface SearchResult extends PaperMeta {
  score: number;
  /** The passage of the abstract with the most query words. */
  excerpt: string;
  titleHighlights: Range[];
  excerptHighlights: Range[];
  /** Query words the paper contains, out of `terms`. */
  matched: number;
  terms: number;
}
export type Sort = "relevance" | "newest" | "upvotes";
export interface QueryOptions {
  /** Results wanted (default 10, at most 1000). */
  limit?: number;
  /** Results skipped first (paging). */
  offset?: number;
  sort?: Sort;
  /** Only papers of this year. */
  year?: number;
  /** Only papers with a code link. */
  hasCode?: boolean;
}
/** How the matching papers divide; each facet counted as if its own filter were absent. */
export interface Facets {
  years: { year: number; count: number }[];
  noYear: number;
  withCode: number;
}
export interface QueryResponse {
  results: SearchResult[];
  /** Papers matching: exact when fewer results than the limit, else an estimate (at most the candidates not shown not to match; for one word in a large digest, sampled). */
  total: number;
  /** True when `total` is estimated from a sample of the candidates not yet read ("about"); the facets are then estimated alike. */
  totalEstimated: boolean;
  /** True when no paper has every word: the results are the closest matches (papers with some
   * of the words, or with every word but the one being typed). */
  partial: boolean;
  /** The word being typed, as typed, when the results are the papers with every other word: none
   * of its completions searched is in one of them (it may yet become a word one has); else null. */
  unfinished: string | null;
  /** "Did you mean": the query with unknown words replaced. */
  suggestion: string | null;
  /** The index terms searched. */
  terms: string[];
  facets: Facets;
}
/** A whole paper. */
export interface Paper extends PaperMeta {
  titleDerived: boolean;
  /** The abstract as stored; one cut short by the text budget ends in "…". */
  abstract: string;
  /** "file:line" of the digest record. */
  source: string;
}
export interface Stats {
  papers: number;
  terms: number;
  indexBytes: number;
  signatureBytes: number;
  bitsPerPosting: number;
  bitsPerPostingBound: number;
  falsePositiveRate: number;
  targetFalsePositiveRate: number;
  hashes: number;
  shards: number;
}
export interface MountOptions {
  /** Results per page (default 20); "Show more" adds a page. */
  limit?: number;
  placeholder?: string;
  autofocus?: boolean;
  /** Starting query (default: the URL's `?q=`). */
  query?: string;
  /** Keep query, filters, sort and the open paper in the URL (default true). */
  urlState?: boolean;
  /** `/` and Ctrl/Cmd+K focus the box (default true). */
  shortcuts?: boolean;
  /** Open results in the detail view (default true); false: go to the result's url. */
  detail?: boolean;
  /** "auto" (default: follows prefers-color-scheme), "light" or "dark". */
  theme?: "auto" | "light" | "dark";
}
"#;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// Runs `f` with the opened index.
fn with_index<T>(f: impl FnOnce(&Index<'static>) -> Result<T, JsError>) -> Result<T, JsError> {
    INDEX.with(|ix| match ix {
        Ok(index) => f(index),
        Err(e) => Err(js_error(format!("paperbloom: the embedded index cannot be read: {e}"))),
    })
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(js_error)
}

/// Options of `query`: `{limit?, offset?, sort?, year?, hasCode?}`.
#[derive(Clone, Debug, Default)]
pub(crate) struct QueryOptions {
    /// Results wanted (default 10, at most 1000).
    pub limit: Option<u32>,
    /// Results skipped first (paging).
    pub offset: u32,
    /// `"relevance"` (default), `"newest"` or `"upvotes"`.
    pub sort: Sort,
    /// Only papers of this year.
    pub year: Option<u16>,
    /// Only papers with a code link.
    pub has_code: bool,
}

impl QueryOptions {
    /// `options` as given to `query`: `undefined`, a number (the limit) or an options object.
    fn from_js(options: JsValue) -> Result<Self, JsError> {
        if options.is_undefined() || options.is_null() {
            return Ok(Self::default());
        }
        if let Some(n) = options.as_f64() {
            return Ok(Self { limit: Some(n.max(0.0) as u32), ..Self::default() });
        }
        let o = options::Options::new(&options, &["limit", "offset", "sort", "year", "hasCode"], "query")?;
        Ok(Self {
            limit: o.whole("limit", u32::MAX)?,
            offset: o.whole("offset", u32::MAX)?.unwrap_or(0),
            sort: o.one_of("sort", &Sort::ALL.map(Sort::name), Sort::from_name)?.unwrap_or_default(),
            year: o.whole("year", u16::MAX.into())?.map(|y| y as u16),
            has_code: o.bool("hasCode")?.unwrap_or(false),
        })
    }

    /// The core's options for these (facets counted).
    pub fn search_options(&self) -> SearchOptions {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        SearchOptions {
            sort: self.sort,
            facets: true,
            refine: Refine { year: self.year, has_code: self.has_code },
            ..SearchOptions::new(limit.saturating_add(self.offset.min(MAX_OFFSET)) as usize)
        }
    }
}

/// The deepest page `offset` reaches.
const MAX_OFFSET: u32 = 100_000;

/// Searches the embedded index with `options`; the views are built for the hits past `offset`.
pub(crate) fn run_search(
    query: &str,
    options: &SearchOptions,
    offset: u32,
) -> Result<(SearchResults<'static>, Vec<ResultView<'static>>), JsError> {
    with_index(|index| {
        let results = SEARCHER.with(|s| {
            s.try_borrow_mut()
                .map_err(js_error)
                .and_then(|mut s| s.search_with(index, query, options).map_err(js_error))
        })?;
        let views = ResultView::all(index, &results, offset as usize).map_err(js_error)?;
        Ok((results, views))
    })
}

/// Two throwaway searches as the widget makes them (facets counted), built from the first
/// paper's first title word of 3+ ASCII letters or digits: its first two letters (completions,
/// verification, result views) and the word with a letter added (the typo scan). The browser
/// compiles wasm functions at their first call; run while the page is idle, this moves that
/// compilation off the reader's first keystroke. Nothing to do without such a word.
pub(crate) fn warm_up() -> Result<(), JsError> {
    let word = with_index(|index| {
        if index.papers() == 0 {
            return Ok(String::new());
        }
        let title = index.doc(0).map_err(js_error)?.title;
        let word = title.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| w.len() >= 3).unwrap_or("");
        Ok(word.to_ascii_lowercase())
    })?;
    if word.is_empty() {
        return Ok(());
    }
    let options = SearchOptions { facets: true, ..SearchOptions::new(DEFAULT_LIMIT as usize) };
    for query in [word.get(..2).unwrap_or_default(), &format!("{word}q")] {
        run_search(query, &options, 0)?;
    }
    Ok(())
}

/// Papers in the embedded index.
pub(crate) fn paper_count() -> Result<u32, JsError> {
    with_index(|index| Ok(index.papers()))
}

/// The full record of paper `id`, if the index has it.
pub(crate) fn paper_view(id: &str) -> Result<Option<PaperView<'_>>, JsError> {
    with_index(|index| match index.find_id(id).map_err(js_error)? {
        Some(doc) => Ok(Some(PaperView::from_record(&index.doc(doc).map_err(js_error)?))),
        None => Ok(None),
    })
}

/// Searches the embedded index. Returns an array of
/// `{id, title, score, date, year, authors, organization, upvotes, code, url, excerpt,
/// titleHighlights, excerptHighlights, matched, terms}` (highlights: `[start, end)` string
/// offsets of matched words),
/// best first; `limit` defaults to 10 (at most 1000).
#[wasm_bindgen(unchecked_return_type = "SearchResult[]")]
pub fn search(query: &str, limit: Option<u32>) -> Result<JsValue, JsError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
    let (_, views) = run_search(query, &SearchOptions::new(limit), 0)?;
    to_js(&views)
}

/// Searches the embedded index and says more about the outcome: `{results, total,
/// totalEstimated, partial, unfinished, suggestion, terms, facets}` where `results` is what
/// `search` returns, `total` the number of papers matching (exact when fewer results than the
/// limit, else an estimate; `totalEstimated` true when it comes from a sample: "about"),
/// `partial` true when no paper has every word (closest matches shown: papers with some of the
/// words, or with every word but the one being typed, which `unfinished` then holds as typed, else
/// `null`), `suggestion` a "did you mean" query or `null`, `terms` the index terms searched,
/// `facets` `{years: [{year, count}], noYear, withCode}`. `options` is a
/// limit or `{limit, offset, sort: "relevance" | "newest" | "upvotes", year, hasCode}`. The query
/// syntax (phrases, `-word`, `OR`, `title:`, `year:>=2023`, `has:code`, `authors:>5`) is in the
/// README.
#[wasm_bindgen(unchecked_return_type = "QueryResponse")]
pub fn query(
    query: &str,
    #[wasm_bindgen(unchecked_param_type = "number | QueryOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options = QueryOptions::from_js(options)?;
    let (results, views) = run_search(query, &options.search_options(), options.offset)?;
    to_js(&SearchView {
        results: views,
        total: results.total,
        total_estimated: results.total_estimated,
        partial: results.partial,
        unfinished: results.unfinished,
        suggestion: results.suggestion,
        terms: results.terms,
        facets: (&results.facets).into(),
    })
}

/// The full record of paper `id` (`{id, title, titleDerived, abstract, url, date, year, authors,
/// organization, upvotes, code, source}`), or `null` if there is none.
#[wasm_bindgen(unchecked_return_type = "Paper | null")]
pub fn paper(id: &str) -> Result<JsValue, JsError> {
    match paper_view(id)? {
        Some(p) => to_js(&p),
        None => Ok(JsValue::NULL),
    }
}

/// Index statistics: `{papers, terms, indexBytes, signatureBytes, bitsPerPosting,
/// bitsPerPostingBound, falsePositiveRate, targetFalsePositiveRate, hashes, shards}`.
#[wasm_bindgen(unchecked_return_type = "Stats")]
pub fn stats() -> Result<JsValue, JsError> {
    with_index(|index| to_js(&StatsView::new(index).map_err(js_error)?))
}

/// Papers in the embedded index, without reading them (`stats().papers`, which walks every
/// record, costs 20 ms at 100,000 papers).
#[wasm_bindgen(js_name = paperCount)]
pub fn paper_count_js() -> Result<u32, JsError> {
    paper_count()
}

/// Renders the search widget into `target` (a CSS selector or an element). `options`:
/// `{limit?, placeholder?, autofocus?, query?, urlState?, shortcuts?, detail?, theme?}` (see
/// `MountOptions` in the TypeScript declarations).
#[wasm_bindgen]
pub fn mount(
    #[wasm_bindgen(unchecked_param_type = "string | Element")] target: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MountOptions")] options: JsValue,
) -> Result<(), JsError> {
    widget::mount(target, options)
}

/// Bytes of wasm linear memory in use (`memory.buffer.byteLength`): for checking that memory
/// stays flat across many searches.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().map_or(0.0, |b| f64::from(b.byte_length())))
}

/// The version of paperbloom this widget was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
