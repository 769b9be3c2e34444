//! paperbloom's WebAssembly skin: the search index built by `build.rs` is embedded in this
//! binary and read in place; this crate exposes it to JavaScript.
//!
//! - `search(query, limit)` → array of plain result objects;
//! - `paper(id)` → the full record, or `null`;
//! - `stats()` → index statistics;
//! - `mount(target, options)` → renders the search widget into an element (see [`widget`]).
//!
//! Every export returns a JavaScript `Error` with a message instead of trapping; the panic hook
//! is installed at start-up only so that a bug, should one slip through, is readable in the
//! console.

use paperbloom_core::index::{Index, IndexError};
use paperbloom_core::search::{SearchResults, Searcher};
use paperbloom_core::view::{PaperView, ResultView, SearchView, StatsView};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

mod widget;

/// The index bytes `build.rs` produced for the digest this binary was built from.
static INDEX_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// Default and maximum number of results.
const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 1000;

thread_local! {
    static INDEX: Result<Index<'static>, IndexError> = Index::open(INDEX_BYTES);
    static SEARCHER: RefCell<Searcher> = RefCell::new(Searcher::new());
}

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

/// Searches the embedded index (core semantics; views built for `limit` hits).
pub(crate) fn run_search(query: &str, limit: u32) -> Result<(SearchResults, Vec<ResultView>), JsError> {
    with_index(|index| {
        let limit = limit.clamp(1, MAX_LIMIT) as usize;
        let results = SEARCHER.with(|s| {
            s.try_borrow_mut().map_err(js_error).and_then(|mut s| s.search(index, query, limit).map_err(js_error))
        })?;
        let views = results
            .hits
            .iter()
            .map(|h| ResultView::new(index, h, results.required, &results.terms))
            .collect::<Result<Vec<_>, _>>()
            .map_err(js_error)?;
        Ok((results, views))
    })
}

/// Papers in the embedded index.
pub(crate) fn paper_count() -> Result<u32, JsError> {
    with_index(|index| Ok(index.papers()))
}

/// The whole abstract of paper `id` (empty when there is no such paper).
pub(crate) fn full_abstract(id: &str) -> Result<String, JsError> {
    with_index(|index| match index.find_id(id).map_err(js_error)? {
        Some(doc) => Ok(index.doc(doc).map_err(js_error)?.abstract_text.to_string()),
        None => Ok(String::new()),
    })
}

/// Searches the embedded index. Returns an array of
/// `{id, title, score, date, year, authors, organization, upvotes, code, url, excerpt,
/// titleHighlights, excerptHighlights, matched, terms}` (highlights: `[start, end)` string
/// offsets of matched words),
/// best first; `limit` defaults to 10 (at most 1000).
#[wasm_bindgen]
pub fn search(query: &str, limit: Option<u32>) -> Result<JsValue, JsError> {
    let (_, views) = run_search(query, limit.unwrap_or(DEFAULT_LIMIT))?;
    to_js(&views)
}

/// Searches the embedded index and says more about the outcome: `{results, total, partial,
/// suggestion, terms}` where `results` is what `search` returns, `total` the number of papers
/// matching (estimated), `partial` true when no paper has every word (closest matches shown),
/// `suggestion` a "did you mean" query or `null`, `terms` the index terms searched. The query
/// syntax (phrases, `-word`, `OR`, `title:`, `year:>=2023`, `has:code`, `authors:>5`) is in the
/// README.
#[wasm_bindgen]
pub fn query(query: &str, limit: Option<u32>) -> Result<JsValue, JsError> {
    let (results, views) = run_search(query, limit.unwrap_or(DEFAULT_LIMIT))?;
    to_js(&SearchView {
        results: views,
        total: results.total,
        partial: results.partial,
        suggestion: results.suggestion,
        terms: results.terms,
    })
}

/// The full record of paper `id` (`{id, title, titleDerived, abstract, url, date, year, authors,
/// organization, upvotes, code, source}`), or `null` if there is none.
#[wasm_bindgen]
pub fn paper(id: &str) -> Result<JsValue, JsError> {
    with_index(|index| match index.find_id(id).map_err(js_error)? {
        Some(doc) => to_js(&PaperView::from_record(&index.doc(doc).map_err(js_error)?)),
        None => Ok(JsValue::NULL),
    })
}

/// Index statistics: `{papers, terms, indexBytes, signatureBytes, bitsPerPosting,
/// bitsPerPostingBound, falsePositiveRate, targetFalsePositiveRate, hashes, shards}`.
#[wasm_bindgen]
pub fn stats() -> Result<JsValue, JsError> {
    with_index(|index| to_js(&StatsView::new(index).map_err(js_error)?))
}

/// Renders the search widget into `target` (a CSS selector or an element). `options`:
/// `{limit?: number, placeholder?: string, autofocus?: boolean, query?: string,
/// urlState?: boolean, shortcuts?: boolean}`.
#[wasm_bindgen]
pub fn mount(target: JsValue, options: JsValue) -> Result<(), JsError> {
    widget::mount(target, options)
}

/// The version of paperbloom this widget was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
