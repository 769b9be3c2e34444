//! The search widget: a WAI-ARIA combobox (the input) controlling a listbox of results, facet
//! and sort controls, paging, a no-results state and a detail view, rendered with
//! `createElement` and `textContent` only — digest text is never parsed as HTML, and a link is
//! rendered only for `http:`/`https:` (or relative) URLs.
//!
//! State: the query (the input's value), the facet selection (year, with code), the sort order
//! and the open paper. With `urlState` on they live in the page URL — `?q=…&year=…&code=1&sort=…`
//! replaced while typing, `#paper=<id>` pushed when a paper is opened — so a search or a paper
//! can be bookmarked and shared, and back/forward move between the list and a paper.
//!
//! The widget's data lives in one `Rc<RefCell<Widget>>` shared by the event closures; the
//! closures are kept alive for the page's lifetime (`forget`), once per mount. Every handler
//! reports errors to the console and leaves the widget usable.

use crate::options::Options;
use crate::{js_error, paper_count, paper_view, run_search, warm_up};
use paperbloom_core::query::without_filters;
use paperbloom_core::search::{Facets, Refine, SearchOptions, Sort};
use paperbloom_core::view::{highlights, utf16_ranges, PaperMeta, PaperView, ResultView};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};

/// Options of `mount`.
#[derive(Debug)]
struct MountOptions {
    /// Results per page ("Show more" adds another page).
    limit: u32,
    placeholder: String,
    autofocus: bool,
    /// The starting query (instead of the URL's).
    query: String,
    /// Keep query, filters, sort and the open paper in the page URL, and start from it.
    url_state: bool,
    /// `/` and Ctrl/Cmd+K focus the search box.
    shortcuts: bool,
    /// Open results in the in-page detail view (`false`: go to the result's `url`, when it has
    /// one — for sites whose documents are pages).
    detail: bool,
    /// `"auto"` (follow prefers-color-scheme), `"light"` or `"dark"`.
    theme: String,
}

impl Default for MountOptions {
    fn default() -> Self {
        Self {
            limit: 20,
            placeholder: "Search papers — title, method, topic…".into(),
            autofocus: false,
            query: String::new(),
            url_state: true,
            shortcuts: true,
            detail: true,
            theme: "auto".into(),
        }
    }
}

impl MountOptions {
    /// `options` as given to `mount`: an object of these (camelCase), any of them left out.
    fn from_js(options: &JsValue) -> Result<Self, JsError> {
        let known = ["limit", "placeholder", "autofocus", "query", "urlState", "shortcuts", "detail", "theme"];
        let o = Options::new(options, &known, "mount")?;
        let d = Self::default();
        Ok(Self {
            limit: o.whole("limit", u32::MAX)?.unwrap_or(d.limit),
            placeholder: o.string("placeholder")?.unwrap_or(d.placeholder),
            autofocus: o.bool("autofocus")?.unwrap_or(d.autofocus),
            query: o.string("query")?.unwrap_or(d.query),
            url_state: o.bool("urlState")?.unwrap_or(d.url_state),
            shortcuts: o.bool("shortcuts")?.unwrap_or(d.shortcuts),
            detail: o.bool("detail")?.unwrap_or(d.detail),
            theme: o.string("theme")?.unwrap_or(d.theme),
        })
    }
}

/// What the page URL carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct UrlState {
    query: String,
    year: Option<u16>,
    code: bool,
    sort: Sort,
    /// The open paper's id.
    paper: Option<String>,
}

/// The history entry state of a pushed detail view (tells popstate the entry is ours).
const DETAIL_ENTRY: &str = "paperbloom:detail";

/// The widget's elements.
struct Elements {
    input: HtmlInputElement,
    /// Result count and time (a polite live region).
    status: Element,
    controls: Element,
    year: HtmlSelectElement,
    code: HtmlInputElement,
    code_label: Element,
    sort: HtmlSelectElement,
    /// "Did you mean …?" line.
    suggest: Element,
    /// The no-results block (tips, "search without filters").
    empty: Element,
    list: Element,
    more: HtmlElement,
    detail: Element,
}

struct Widget {
    doc: Document,
    el: Elements,
    uid: u32,
    /// Results per page, and pages shown.
    page: u32,
    pages: u32,
    url_state: bool,
    detail_mode: bool,
    year: Option<u16>,
    code: bool,
    sort: Sort,
    /// The paper shown in the detail view.
    open_paper: Option<String>,
    /// The open detail view has its own history entry (closing it goes back).
    pushed: bool,
    /// The result that was opened last (focus returns to it).
    opened: Option<usize>,
    active: Option<usize>,
    /// Ids and urls of the shown results, by position.
    shown: Vec<(&'static str, Option<&'static str>)>,
    total: usize,
    /// The index terms of the last search, for highlighting the detail view.
    terms: Vec<String>,
    /// The query "search without filters" switches to.
    relaxed: Option<String>,
}

thread_local! {
    static NEXT_UID: Cell<u32> = const { Cell::new(0) };
}

/// True for the links a result may render: http(s) or relative, never another scheme.
pub fn safe_url(url: &str) -> bool {
    paperbloom_core::digest::is_safe_link(url)
}

fn el(doc: &Document, tag: &str, class: &str) -> Result<Element, JsError> {
    let e = doc.create_element(tag).map_err(|_| js_error(format!("cannot create <{tag}>")))?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    Ok(e)
}

fn typed<T: JsCast>(e: Element, what: &str) -> Result<T, JsError> {
    e.dyn_into::<T>().map_err(|_| js_error(format!("mount: {what}")))
}

fn attr(e: &Element, name: &str, value: &str) -> Result<(), JsError> {
    e.set_attribute(name, value).map_err(|_| js_error(format!("cannot set {name}")))
}

fn append(parent: &Element, child: &Element) -> Result<(), JsError> {
    parent.append_child(child).map(|_| ()).map_err(|_| js_error("cannot append a node"))
}

fn append_text(parent: &Element, text: &str) -> Result<(), JsError> {
    let node = parent.owner_document().ok_or_else(|| js_error("no document"))?.create_text_node(text);
    parent.append_child(&node).map(|_| ()).map_err(|_| js_error("cannot append text"))
}

fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Result<Element, JsError> {
    let e = el(doc, tag, class)?;
    e.set_text_content(Some(text));
    Ok(e)
}

fn set_hidden(e: &Element, hidden: bool) -> Result<(), JsError> {
    if hidden {
        attr(e, "hidden", "")
    } else {
        e.remove_attribute("hidden").map_err(|_| js_error("cannot show an element"))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// `n` with its thousands grouped by commas ("17,010"), as the page's tagline writes the paper
/// count ("Search 100,000 papers"); by hand, not through `toLocaleString` (see `PAGE_JS` in the
/// CLI's bundle).
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The state in the page URL.
fn read_url() -> UrlState {
    let mut state = UrlState::default();
    let Some(location) = web_sys::window().map(|w| w.location()) else { return state };
    if let Some(params) = location.search().ok().and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok()) {
        state.query = params.get("q").unwrap_or_default();
        state.year = params.get("year").and_then(|y| y.parse().ok());
        state.code = params.get("code").as_deref() == Some("1");
        state.sort = params.get("sort").and_then(|s| Sort::from_name(&s)).unwrap_or_default();
    }
    if let Some(id) = location.hash().ok().as_deref().and_then(|h| h.strip_prefix("#paper=")) {
        state.paper = js_sys::decode_uri_component(id).ok().map(String::from).filter(|id| !id.is_empty());
    }
    state
}

/// The page URL for `state`: other parameters kept, and the fragment unless a paper replaces it.
fn url_for(state: &UrlState) -> Option<String> {
    let location = web_sys::window()?.location();
    let (search, path, hash) = (location.search().ok()?, location.pathname().ok()?, location.hash().ok()?);
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let set = |name: &str, value: Option<String>| match value {
        Some(v) => params.set(name, &v),
        None => params.delete(name),
    };
    set("q", Some(state.query.clone()).filter(|q| !q.trim().is_empty()));
    set("year", state.year.map(|y| y.to_string()));
    set("code", state.code.then(|| "1".to_string()));
    set("sort", (state.sort != Sort::Relevance).then(|| state.sort.name().to_string()));
    let fragment = match &state.paper {
        Some(id) => format!("#paper={}", String::from(js_sys::encode_uri_component(id))),
        None if hash.starts_with("#paper=") => String::new(),
        None => hash,
    };
    let rest = String::from(params.to_string());
    Some(if rest.is_empty() { format!("{path}{fragment}") } else { format!("{path}?{rest}{fragment}") })
}

/// Writes `state` into the URL: a new history entry (`push`) or in place. Best effort: a page
/// whose URL cannot change (some `file://` cases) keeps working.
fn write_url(state: &UrlState, push: bool) {
    let (Some(url), Some(history)) = (url_for(state), web_sys::window().and_then(|w| w.history().ok())) else {
        return;
    };
    let _ = if push {
        history.push_state_with_url(&JsValue::from_str(DETAIL_ENTRY), "", Some(&url))
    } else {
        let entry = if state.paper.is_some() { history.state().unwrap_or(JsValue::NULL) } else { JsValue::NULL };
        history.replace_state_with_url(&entry, "", Some(&url))
    };
}

/// `ranges` in UTF-16 code units (as the API reports them) as byte ranges of `text`.
fn byte_ranges(text: &str, ranges: &[[u32; 2]]) -> Vec<(usize, usize)> {
    let mut map = Vec::with_capacity(text.len() + 1); // UTF-16 offset → byte offset
    for (b, c) in text.char_indices() {
        for _ in 0..c.len_utf16() {
            map.push(b);
        }
    }
    map.push(text.len());
    let at = |u: u32| map.get(u as usize).copied().unwrap_or(text.len());
    ranges.iter().map(|&[s, e]| (at(s), at(e))).filter(|(s, e)| s < e).collect()
}

/// An element holding `text` with `ranges` (UTF-16) wrapped in `<mark>`: text nodes and mark
/// elements only, never parsed HTML.
fn marked_el(doc: &Document, tag: &str, class: &str, text: &str, ranges: &[[u32; 2]]) -> Result<Element, JsError> {
    let e = el(doc, tag, class)?;
    let mut at = 0;
    for (s, end) in byte_ranges(text, ranges) {
        if s < at {
            continue;
        }
        if s > at {
            append_text(&e, &text[at..s])?;
        }
        append(&e, &text_el(doc, "mark", "", &text[s..end])?)?;
        at = end;
    }
    if at < text.len() {
        append_text(&e, &text[at..])?;
    }
    Ok(e)
}

/// A link element to a safe `url`.
fn link(doc: &Document, class: &str, url: &str, text: &str) -> Result<Element, JsError> {
    let a = text_el(doc, "a", class, text)?;
    attr(&a, "href", url)?;
    attr(&a, "rel", "noopener noreferrer")?;
    Ok(a)
}

/// A URL as a short label: without the scheme and `www.`.
fn short_url(url: &str) -> &str {
    let u = url.split_once("://").map_or(url, |(_, rest)| rest);
    u.strip_prefix("www.").unwrap_or(u).trim_end_matches('/')
}

/// `x` with two decimals ("0.31"), by integer arithmetic: float formatting is 14 KB of wasm
/// that the first search would otherwise compile on the page's critical path.
fn two_decimals(x: f64) -> String {
    let hundredths = (x.max(0.0) * 100.0).round() as u64;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// The meta line of a paper: date, author count, organization, upvotes, and `code` (a link in
/// the detail view, a badge in a result, whose options hold no interactive content).
fn meta_line(doc: &Document, p: &PaperMeta, code_links: bool) -> Result<Element, JsError> {
    let meta = el(doc, "div", "pb-meta")?;
    if let Some(d) = &p.date {
        append(&meta, &text_el(doc, "span", "pb-date", d)?)?;
    }
    if let Some(a) = p.authors {
        append(&meta, &text_el(doc, "span", "pb-authors", &plural(a as usize, "author", "authors"))?)?;
    }
    if let Some(o) = &p.organization {
        append(&meta, &text_el(doc, "span", "pb-org", o)?)?;
    }
    if let Some(u) = p.upvotes {
        let e = text_el(doc, "span", "pb-upvotes", &format!("▲ {u}"))?;
        attr(&e, "title", &plural(u as usize, "upvote", "upvotes"))?;
        append(&meta, &e)?;
    }
    let code: Vec<&str> = p.code.iter().copied().filter(|c| safe_url(c)).collect();
    if code_links {
        for c in code {
            append(&meta, &link(doc, "pb-code", c, &format!("code: {}", short_url(c)))?)?;
        }
    } else if !code.is_empty() {
        append(&meta, &text_el(doc, "span", "pb-code", "code")?)?;
    }
    Ok(meta)
}

/// One result as a listbox option: title and excerpt with their marks, and the meta line (no
/// links: an option holds no interactive content; opening it shows them).
fn result_el(doc: &Document, option_id: &str, r: &ResultView) -> Result<Element, JsError> {
    let li = el(doc, "li", "pb-result")?;
    attr(&li, "role", "option")?;
    attr(&li, "id", option_id)?;
    attr(&li, "aria-selected", "false")?;
    attr(&li, "data-id", r.paper.id)?;
    append(&li, &marked_el(doc, "div", "pb-title", r.paper.title, &r.title_highlights)?)?;
    let meta = meta_line(doc, &r.paper, false)?;
    if r.matched < r.terms {
        let note = format!("matches {} of {} words", r.matched, r.terms);
        append(&meta, &text_el(doc, "span", "pb-partial", &note)?)?;
    }
    append(&li, &meta)?;
    if !r.excerpt.is_empty() {
        append(&li, &marked_el(doc, "p", "pb-excerpt", &r.excerpt, &r.excerpt_highlights)?)?;
    }
    Ok(li)
}

impl Widget {
    fn option_id(&self, i: usize) -> String {
        format!("pb-{}-opt-{i}", self.uid)
    }

    fn url_state_now(&self, paper: Option<String>) -> UrlState {
        UrlState { query: self.el.input.value(), year: self.year, code: self.code, sort: self.sort, paper }
    }

    fn search_options(&self, limit: u32) -> SearchOptions {
        SearchOptions {
            sort: self.sort,
            facets: true,
            refine: Refine { year: self.year, has_code: self.code },
            ..SearchOptions::new(limit.clamp(1, 1000) as usize)
        }
    }

    /// A new query typed: first page, list view.
    fn input_changed(&mut self) -> Result<(), JsError> {
        self.pages = 1;
        if self.open_paper.is_some() {
            self.hide_detail()?;
        }
        self.refresh()?;
        self.save_url();
        Ok(())
    }

    /// The URL for the current state, in place (no history entry).
    fn save_url(&self) {
        if self.url_state {
            write_url(&self.url_state_now(self.open_paper.clone()), false);
        }
    }

    /// Runs the search and renders the list, the status, the controls and the empty state.
    fn refresh(&mut self) -> Result<(), JsError> {
        let query = self.el.input.value();
        let was_active = self.active;
        self.el.list.set_text_content(None);
        self.active = None;
        self.shown.clear();
        self.relaxed = None;
        attr(&self.el.input, "aria-activedescendant", "")?;
        set_hidden(&self.el.empty, true)?;
        let filtered = self.year.is_some() || self.code;
        if query.trim().is_empty() && !filtered {
            let n = grouped(paper_count()? as usize);
            let invite =
                format!("Type to search {n} papers: a method name, a topic, \"a phrase\", year:2024, has:code");
            self.el.status.set_text_content(Some(&invite));
            self.show_suggestion(None)?;
            set_hidden(&self.el.controls, true)?;
            set_hidden(&self.el.more, true)?;
            self.total = 0;
            return attr(&self.el.input, "aria-expanded", "false");
        }
        let t0 = now();
        let (results, views) = run_search(&query, &self.search_options(self.page * self.pages), 0)?;
        let ms = now() - t0;
        for (i, r) in views.iter().enumerate() {
            append(&self.el.list, &result_el(&self.doc, &self.option_id(i), r)?)?;
            self.shown.push((r.paper.id, r.paper.url));
        }
        self.total = results.total.max(views.len());
        // A total past the page estimated from a sample (large digests): "about 45 papers".
        let about = if results.total_estimated { "about " } else { "" };
        self.terms = results.terms.clone();
        attr(&self.el.input, "aria-expanded", if views.is_empty() { "false" } else { "true" })?;
        self.render_controls(&results.facets, views.is_empty())?;
        let status = if views.is_empty() {
            self.render_empty(&query)?;
            format!("No papers match “{}”", query.trim())
        } else {
            let partial = match (&results.unfinished, results.partial) {
                // The word being typed is not required yet: saying that no paper has every word
                // would be wrong where a paper has a rarer completion of it.
                (Some(word), _) => format!(" · matching every word before “{word}”"),
                (None, true) => " · closest matches (no paper has every word)".to_string(),
                (None, false) => String::new(),
            };
            format!("{about}{} · {} ms{partial}", plural(self.total, "paper", "papers"), two_decimals(ms))
        };
        self.el.status.set_text_content(Some(&status));
        let left = self.total.saturating_sub(views.len());
        set_hidden(&self.el.more, left == 0 || views.is_empty())?;
        let next = left.min(self.page as usize);
        self.el.more.set_text_content(Some(&format!(
            "Show {} more · {about}{} not shown",
            grouped(next),
            grouped(left)
        )));
        if let Some(i) = was_active.filter(|&i| i < self.shown.len() && self.pages > 1) {
            self.set_active(Some(i))?;
        }
        self.show_suggestion(results.suggestion.as_deref().filter(|s| s.trim() != query.trim()))
    }

    /// Year choices with counts, the code checkbox with its count, the sort order.
    fn render_controls(&self, facets: &Facets, nothing: bool) -> Result<(), JsError> {
        let doc = &self.doc;
        let no_facets = facets.years.is_empty() && facets.with_code == 0;
        let filtered = self.year.is_some() || self.code;
        set_hidden(&self.el.controls, nothing && no_facets && !filtered)?;
        let year = &self.el.year;
        year.set_text_content(None);
        let any = text_el(doc, "option", "", "Any year")?;
        attr(&any, "value", "")?;
        append(year, &any)?;
        let mut years = facets.years.clone();
        if let Some(y) = self.year.filter(|y| !years.iter().any(|(x, _)| x == y)) {
            years.push((y, 0));
            paperbloom_core::sort::sort_by_key(&mut years, |y| std::cmp::Reverse(y.0));
        }
        for (y, n) in &years {
            let o = text_el(doc, "option", "", &format!("{y} ({})", grouped(*n)))?;
            attr(&o, "value", &y.to_string())?;
            append(year, &o)?;
        }
        year.set_value(&self.year.map(|y| y.to_string()).unwrap_or_default());
        let year_label = year.parent_element();
        if let Some(l) = &year_label {
            set_hidden(l, years.is_empty())?;
        }
        self.el.code.set_checked(self.code);
        self.el.code_label.set_text_content(Some(&format!("With code ({})", grouped(facets.with_code))));
        if let Some(l) = self.el.code.parent_element() {
            set_hidden(&l, facets.with_code == 0 && !self.code)?;
        }
        self.el.sort.set_value(self.sort.name());
        Ok(())
    }

    /// The no-results block: what to try, and "search without filters" when filters are on
    /// and the query finds papers without them.
    fn render_empty(&mut self, query: &str) -> Result<(), JsError> {
        let doc = &self.doc;
        let empty = &self.el.empty;
        empty.set_text_content(None);
        append(empty, &text_el(doc, "p", "pb-empty-title", "No papers match.")?)?;
        let stripped = without_filters(query);
        if self.year.is_some() || self.code || stripped.is_some() {
            let relaxed = stripped.unwrap_or_else(|| query.to_string());
            let n = if relaxed.trim().is_empty() {
                paper_count()? as usize
            } else {
                let options = SearchOptions { facets: false, ..SearchOptions::new(1) };
                run_search(&relaxed, &options, 0)?.0.total
            };
            if n > 0 {
                let p = el(doc, "p", "")?;
                let b = text_el(
                    doc,
                    "button",
                    "pb-relax",
                    &format!("Search without filters ({})", plural(n, "paper", "papers")),
                )?;
                attr(&b, "type", "button")?;
                append(&p, &b)?;
                append(empty, &p)?;
                self.relaxed = Some(relaxed);
            }
        }
        let tip = "Try fewer or other words, a shorter prefix, or \"OR\" between alternatives.";
        append(empty, &text_el(doc, "p", "pb-tip", tip)?)?;
        set_hidden(empty, false)
    }

    /// Drops every filter (facets and the query's own) and searches again.
    fn relax(&mut self) -> Result<(), JsError> {
        let Some(q) = self.relaxed.take() else { return Ok(()) };
        self.el.input.set_value(&q);
        self.year = None;
        self.code = false;
        let _ = self.el.input.focus();
        self.input_changed()
    }

    /// Shows "Did you mean <button>suggestion</button>?" or hides the line.
    fn show_suggestion(&self, suggestion: Option<&str>) -> Result<(), JsError> {
        let line = &self.el.suggest;
        line.set_text_content(None);
        let Some(s) = suggestion else {
            return set_hidden(line, true);
        };
        set_hidden(line, false)?;
        append_text(line, "Did you mean ")?;
        let b = text_el(&self.doc, "button", "pb-suggestion", s)?;
        attr(&b, "type", "button")?;
        append(line, &b)?;
        append_text(line, "?")
    }

    /// Searches the suggested spelling instead.
    fn accept_suggestion(&mut self) -> Result<(), JsError> {
        let Some(s) = self.el.suggest.query_selector(".pb-suggestion").ok().flatten().and_then(|b| b.text_content())
        else {
            return Ok(());
        };
        self.el.input.set_value(&s);
        let _ = self.el.input.focus();
        self.input_changed()
    }

    fn set_active(&mut self, next: Option<usize>) -> Result<(), JsError> {
        if let Some(old) = self.active {
            if let Some(e) = self.doc.get_element_by_id(&self.option_id(old)) {
                attr(&e, "aria-selected", "false")?;
            }
        }
        self.active = next;
        match next {
            Some(i) => {
                let id = self.option_id(i);
                if let Some(e) = self.doc.get_element_by_id(&id) {
                    attr(&e, "aria-selected", "true")?;
                    e.scroll_into_view_with_bool(false);
                }
                attr(&self.el.input, "aria-activedescendant", &id)
            }
            None => attr(&self.el.input, "aria-activedescendant", ""),
        }
    }

    /// One more page of results.
    fn show_more(&mut self) -> Result<(), JsError> {
        self.pages = self.pages.saturating_add(1).min(1000 / self.page.max(1));
        let first_new = self.shown.len();
        self.refresh()?;
        if first_new < self.shown.len() {
            self.set_active(Some(first_new))?;
        }
        Ok(())
    }

    /// Opens result `i`: the detail view, or (`detail: false`) the result's own page.
    fn open(&mut self, i: usize) -> Result<(), JsError> {
        let Some((id, url)) = self.shown.get(i).cloned() else { return Ok(()) };
        self.opened = Some(i);
        if let Some(url) = url.filter(|u| !self.detail_mode && safe_url(u)) {
            if let Some(w) = web_sys::window() {
                w.location().set_href(url).map_err(|_| js_error("cannot follow the result's link"))?;
            }
            return Ok(());
        }
        self.show_detail(id, true, true)
    }

    /// Shows paper `id` in the detail view; `push` gives it a history entry.
    fn show_detail(&mut self, id: &str, push: bool, focus: bool) -> Result<(), JsError> {
        let Some(p) = paper_view(id)? else {
            self.el.status.set_text_content(Some("That paper is not in this index."));
            return Ok(());
        };
        self.render_detail(&p)?;
        for e in [&self.el.status, &self.el.controls, &self.el.suggest, &self.el.empty, &self.el.list] {
            set_hidden(e, true)?;
        }
        set_hidden(&self.el.more, true)?;
        set_hidden(&self.el.detail, false)?;
        attr(&self.el.input, "aria-expanded", "false")?;
        self.open_paper = Some(id.to_string());
        if push && self.url_state {
            write_url(&self.url_state_now(Some(id.to_string())), true);
        }
        self.pushed = push;
        if focus {
            if let Some(h) =
                self.el.detail.query_selector("h2").ok().flatten().and_then(|h| h.dyn_into::<HtmlElement>().ok())
            {
                let _ = h.focus();
            }
        }
        Ok(())
    }

    fn render_detail(&self, p: &PaperView) -> Result<(), JsError> {
        let doc = &self.doc;
        let d = &self.el.detail;
        d.set_text_content(None);
        let back = text_el(doc, "button", "pb-back", "← Back to results")?;
        attr(&back, "type", "button")?;
        append(d, &back)?;
        let title_id = format!("pb-{}-detail-title", self.uid);
        let marks = utf16_ranges(p.paper.title, &highlights(p.paper.title, &self.terms));
        let h = marked_el(doc, "h2", "pb-detail-title", p.paper.title, &marks)?;
        attr(&h, "id", &title_id)?;
        attr(&h, "tabindex", "-1")?;
        append(d, &h)?;
        attr(d, "aria-labelledby", &title_id)?;
        append(d, &meta_line(doc, &p.paper, true)?)?;
        if let Some(url) = p.paper.url.filter(|u| safe_url(u)) {
            let links = el(doc, "p", "pb-links")?;
            append(&links, &link(doc, "pb-link", url, &format!("Open {} ↗", short_url(url)))?)?;
            append(d, &links)?;
        }
        let marks = utf16_ranges(&p.abstract_text, &highlights(&p.abstract_text, &self.terms));
        append(d, &marked_el(doc, "p", "pb-abstract", &p.abstract_text, &marks)?)?;
        if p.title_derived {
            append(
                d,
                &text_el(
                    doc,
                    "p",
                    "pb-note",
                    "This paper has no title in the digest: the title shown is its abstract's first sentence.",
                )?,
            )?;
        }
        Ok(())
    }

    /// Closes the detail view. With a history entry of its own, that is "back" (the popstate
    /// handler then calls [`Widget::hide_detail`]).
    fn close_detail(&mut self) -> Result<(), JsError> {
        if self.pushed && self.url_state {
            if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                if h.back().is_ok() {
                    return Ok(());
                }
            }
        }
        self.hide_detail()?;
        self.save_url();
        Ok(())
    }

    /// Back to the list, focus on the box and the opened result active.
    fn hide_detail(&mut self) -> Result<(), JsError> {
        self.open_paper = None;
        self.pushed = false;
        set_hidden(&self.el.detail, true)?;
        self.el.detail.set_text_content(None);
        set_hidden(&self.el.list, false)?;
        set_hidden(&self.el.status, false)?;
        self.refresh()?;
        let _ = self.el.input.focus();
        if let Some(i) = self.opened.filter(|&i| i < self.shown.len()) {
            self.set_active(Some(i))?;
        }
        Ok(())
    }

    /// Applies the URL's state: at start-up (`render`: always search), and on back/forward
    /// (search again only when query, filters or sort changed). `ours`: a detail entry this
    /// widget pushed.
    fn apply_url(&mut self, state: UrlState, ours: bool, render: bool) -> Result<(), JsError> {
        let same = state.query == self.el.input.value()
            && (state.year, state.code, state.sort) == (self.year, self.code, self.sort);
        if render || !same {
            self.el.input.set_value(&state.query);
            self.year = state.year;
            self.code = state.code;
            self.sort = state.sort;
            self.pages = 1;
            self.refresh()?;
        }
        match state.paper {
            Some(id) => {
                self.show_detail(&id, false, true)?;
                self.pushed = ours;
            }
            None if self.open_paper.is_some() => self.hide_detail()?,
            None => {}
        }
        Ok(())
    }

    /// A click inside the list: open the result.
    fn click(&mut self, e: &web_sys::MouseEvent) -> Result<(), JsError> {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return Ok(()) };
        let Some(li) = target.closest("[role=option]").ok().flatten() else { return Ok(()) };
        let prefix = format!("pb-{}-opt-", self.uid);
        let Some(i) = li.id().strip_prefix(&prefix).and_then(|n| n.parse::<usize>().ok()) else { return Ok(()) };
        self.set_active(Some(i))?;
        self.open(i)
    }

    /// A click on one of the widget's buttons or controls outside the list.
    fn control(&mut self, e: &web_sys::Event) -> Result<(), JsError> {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return Ok(()) };
        let class = target.class_name();
        match class.as_str() {
            "pb-suggestion" if e.type_() == "click" => self.accept_suggestion(),
            "pb-relax" if e.type_() == "click" => self.relax(),
            "pb-more" if e.type_() == "click" => self.show_more(),
            "pb-back" if e.type_() == "click" => self.close_detail(),
            "pb-year" if e.type_() == "change" => {
                self.year = self.el.year.value().parse().ok();
                self.controls_changed()
            }
            "pb-code-box" if e.type_() == "change" => {
                self.code = self.el.code.checked();
                self.controls_changed()
            }
            "pb-sort" if e.type_() == "change" => {
                self.sort = Sort::from_name(&self.el.sort.value()).unwrap_or_default();
                self.controls_changed()
            }
            _ => Ok(()),
        }
    }

    fn controls_changed(&mut self) -> Result<(), JsError> {
        self.pages = 1;
        self.refresh()?;
        self.save_url();
        Ok(())
    }

    /// Keys in the search box.
    fn key(&mut self, e: &KeyboardEvent) -> Result<(), JsError> {
        let count = self.shown.len();
        match e.key().as_str() {
            "ArrowDown" if count > 0 && self.open_paper.is_none() => {
                e.prevent_default();
                match self.active {
                    Some(i) if i + 1 == count && self.total > count => self.show_more(),
                    Some(i) => self.set_active(Some((i + 1).min(count - 1))),
                    None => self.set_active(Some(0)),
                }
            }
            "ArrowUp" if count > 0 && self.open_paper.is_none() => {
                e.prevent_default();
                let next = self.active.and_then(|i| i.checked_sub(1));
                self.set_active(next)
            }
            "Enter" if count > 0 && self.open_paper.is_none() => {
                e.prevent_default();
                self.open(self.active.unwrap_or(0))
            }
            "Escape" if self.open_paper.is_some() => {
                e.prevent_default();
                self.close_detail()
            }
            "Escape" => {
                if self.active.is_some() {
                    e.prevent_default(); // a search input would clear itself
                    self.set_active(None)
                } else {
                    self.el.input.set_value("");
                    self.input_changed()
                }
            }
            _ => Ok(()),
        }
    }
}

fn report(result: Result<(), JsError>) {
    if let Err(e) = result {
        web_sys::console::error_1(&JsValue::from(e));
    }
}

/// Adds `handler` for `event` on `target`, for the page's lifetime.
fn listen<E: JsCast + 'static>(
    target: &web_sys::EventTarget,
    event: &str,
    widget: &Rc<RefCell<Widget>>,
    handler: fn(&mut Widget, &E) -> Result<(), JsError>,
) -> Result<(), JsError> {
    let w = widget.clone();
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let (Ok(e), Ok(mut w)) = (e.dyn_into::<E>(), w.try_borrow_mut()) {
            report(handler(&mut w, &e));
        }
    });
    target
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .map_err(|_| js_error(format!("mount: cannot listen to {event}")))?;
    closure.forget();
    Ok(())
}

/// Runs `f` once the page is idle (`requestIdleCallback`, or a short timeout where the browser
/// lacks it).
fn when_idle(window: &web_sys::Window, f: impl FnOnce() + 'static) -> Result<(), JsError> {
    let callback = Closure::once_into_js(f);
    let callback: &js_sys::Function = callback.unchecked_ref();
    let idle = js_sys::Reflect::get(window, &JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Function>().ok());
    let scheduled = match idle {
        Some(request) => request.call1(window, callback).map(|_| ()),
        None => window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, 50).map(|_| ()),
    };
    scheduled.map_err(|_| js_error("mount: cannot schedule the warm-up"))
}

/// A `<label>` with a caption and a control of `tag`.
fn labelled(doc: &Document, caption: &str, tag: &str, class: &str) -> Result<(Element, Element), JsError> {
    let label = el(doc, "label", "pb-control")?;
    append(&label, &text_el(doc, "span", "pb-caption", caption)?)?;
    let control = el(doc, tag, class)?;
    append(&label, &control)?;
    Ok((label, control))
}

/// See `crate::mount`.
pub fn mount(target: JsValue, options: JsValue) -> Result<(), JsError> {
    let options: MountOptions = if options.is_undefined() || options.is_null() {
        MountOptions::default()
    } else {
        MountOptions::from_js(&options)?
    };
    let window = web_sys::window().ok_or_else(|| js_error("mount: no window"))?;
    let doc = window.document().ok_or_else(|| js_error("mount: no document"))?;
    let host: Element = if let Some(sel) = target.as_string() {
        doc.query_selector(&sel)
            .map_err(|_| js_error(format!("mount: {sel:?} is not a valid selector")))?
            .ok_or_else(|| js_error(format!("mount: no element matches {sel:?}")))?
    } else {
        target.dyn_into::<Element>().map_err(|_| js_error("mount: target must be a CSS selector or an Element"))?
    };
    let uid = NEXT_UID.with(|n| {
        let v = n.get();
        n.set(v + 1);
        v
    });
    if !matches!(options.theme.as_str(), "auto" | "light" | "dark") {
        return Err(js_error(format!(
            "mount: bad options: theme {:?} is not \"auto\", \"light\" or \"dark\"",
            options.theme
        )));
    }
    let root = el(&doc, "div", "paperbloom")?;
    attr(&root, "data-theme", &options.theme)?;
    let input: HtmlInputElement = typed(el(&doc, "input", "pb-input")?, "input")?;
    let list_id = format!("pb-{uid}-list");
    for (k, v) in [
        ("type", "search"),
        ("role", "combobox"),
        ("aria-autocomplete", "list"),
        ("aria-expanded", "false"),
        ("aria-controls", list_id.as_str()),
        ("aria-label", "Search papers"),
        ("autocomplete", "off"),
        ("spellcheck", "false"),
        ("enterkeyhint", "search"),
        ("placeholder", options.placeholder.as_str()),
    ] {
        attr(&input, k, v)?;
    }
    let status = el(&doc, "p", "pb-status")?;
    attr(&status, "role", "status")?;
    attr(&status, "aria-live", "polite")?;
    let controls = el(&doc, "div", "pb-controls")?;
    attr(&controls, "role", "group")?;
    attr(&controls, "aria-label", "Filter and sort")?;
    let (year_label, year) = labelled(&doc, "Year", "select", "pb-year")?;
    let code_label = el(&doc, "label", "pb-control pb-check")?;
    let code: HtmlInputElement = typed(el(&doc, "input", "pb-code-box")?, "checkbox")?;
    attr(&code, "type", "checkbox")?;
    append(&code_label, &code)?;
    let code_text = text_el(&doc, "span", "pb-caption", "With code")?;
    append(&code_label, &code_text)?;
    let (sort_label, sort) = labelled(&doc, "Sort", "select", "pb-sort")?;
    for s in Sort::ALL {
        let caption = match s {
            Sort::Relevance => "Best match",
            Sort::Newest => "Newest",
            Sort::Upvotes => "Most upvoted",
        };
        let o = text_el(&doc, "option", "", caption)?;
        attr(&o, "value", s.name())?;
        append(&sort, &o)?;
    }
    for c in [&year_label, &code_label, &sort_label] {
        append(&controls, c)?;
    }
    let suggest = el(&doc, "p", "pb-suggest")?;
    let empty = el(&doc, "div", "pb-empty")?;
    let list = el(&doc, "ul", "pb-results")?;
    attr(&list, "role", "listbox")?;
    attr(&list, "id", &list_id)?;
    attr(&list, "aria-label", "Results")?;
    let more: HtmlElement = typed(el(&doc, "button", "pb-more")?, "button")?;
    attr(&more, "type", "button")?;
    let detail = el(&doc, "article", "pb-detail")?;
    for e in [&suggest, &empty, more.as_ref(), &detail] {
        set_hidden(e, true)?;
    }
    for e in [input.as_ref(), &status, &controls, &suggest, &empty, &list, more.as_ref(), &detail] {
        append(&root, e)?;
    }
    host.append_child(&root).map_err(|_| js_error("mount: cannot append to the target"))?;

    let url_state = if options.url_state { read_url() } else { UrlState::default() };
    let start_query = if options.query.is_empty() { url_state.query.clone() } else { options.query.clone() };
    let widget = Rc::new(RefCell::new(Widget {
        doc,
        el: Elements {
            input: input.clone(),
            status,
            controls,
            year: typed(year, "select")?,
            code,
            code_label: code_text,
            sort: typed(sort, "select")?,
            suggest,
            empty,
            list: list.clone(),
            more,
            detail,
        },
        uid,
        page: options.limit.clamp(1, 1000),
        pages: 1,
        url_state: options.url_state,
        detail_mode: options.detail,
        year: None,
        code: false,
        sort: Sort::Relevance,
        open_paper: None,
        pushed: false,
        opened: None,
        active: None,
        shown: Vec::new(),
        total: 0,
        terms: Vec::new(),
        relaxed: None,
    }));
    listen::<web_sys::Event>(&input, "input", &widget, |w, _| w.input_changed())?;
    listen::<KeyboardEvent>(&input, "keydown", &widget, Widget::key)?;
    listen::<web_sys::MouseEvent>(&list, "click", &widget, Widget::click)?;
    listen::<web_sys::Event>(&root, "click", &widget, Widget::control)?;
    listen::<web_sys::Event>(&root, "change", &widget, Widget::control)?;
    // Esc from anywhere in the detail view (its links, the back button, the heading).
    listen::<KeyboardEvent>(&root, "keydown", &widget, |w, e| {
        let in_input = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|t| t.class_name() == "pb-input");
        if e.key() == "Escape" && w.open_paper.is_some() && !in_input {
            e.prevent_default();
            return w.close_detail();
        }
        Ok(())
    })?;
    if options.url_state {
        listen::<web_sys::PopStateEvent>(&window, "popstate", &widget, |w, e| {
            let ours = e.state().as_string().as_deref() == Some(DETAIL_ENTRY);
            w.apply_url(read_url(), ours, false)
        })?;
    }
    if options.shortcuts {
        let target = input.clone();
        let on_shortcut = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            let typing_elsewhere = e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| {
                matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || t.has_attribute("contenteditable")
            });
            let slash = e.key() == "/" && !typing_elsewhere && !e.ctrl_key() && !e.meta_key() && !e.alt_key();
            let ctrl_k = (e.ctrl_key() || e.meta_key()) && e.key().eq_ignore_ascii_case("k");
            if slash || ctrl_k {
                e.prevent_default();
                let _ = target.focus();
                target.select();
            }
        });
        window
            .add_event_listener_with_callback("keydown", on_shortcut.as_ref().unchecked_ref())
            .map_err(|_| js_error("mount: listener"))?;
        on_shortcut.forget();
    }
    let empty_box = start_query.trim().is_empty();
    {
        let mut w = widget.try_borrow_mut().map_err(js_error)?;
        w.apply_url(UrlState { query: start_query, ..url_state }, false, true)?;
        // results, or the invitation
    }
    if empty_box {
        // Marked in the page's performance timeline ("paperbloom:warm-up") once done.
        report(when_idle(&window, || {
            report(warm_up());
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.mark("paperbloom:warm-up");
            }
        }));
    }
    if options.autofocus && widget.try_borrow().map(|w| w.open_paper.is_none()).unwrap_or(true) {
        let _ = input.focus();
    }
    Ok(())
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn hostile() -> ResultView<'static> {
        ResultView {
            paper: PaperMeta {
                id: "x",
                title: "<img src=x onerror=alert(1)>",
                date: None,
                year: None,
                authors: Some(2),
                organization: Some("<b>org</b>"),
                upvotes: None,
                code: vec!["javascript:alert(1)", "https://github.com/ok/ok"],
                url: Some("javascript:alert(1)"),
            },
            score: 1.0,
            excerpt: "<script>alert(1)</script>".into(),
            title_highlights: vec![[0, 4], [2, 99]],
            excerpt_highlights: vec![[1, 7]],
            matched: 1,
            terms: 1,
        }
    }

    #[wasm_bindgen_test]
    fn digest_html_renders_as_text_and_options_hold_no_links() {
        let doc = web_sys::window().unwrap().document().unwrap();
        let li = result_el(&doc, "o", &hostile()).unwrap();
        for tag in ["img", "script", "b", "a", "button"] {
            assert!(li.query_selector(tag).unwrap().is_none(), "<{tag}> rendered");
        }
        assert_eq!(
            li.query_selector(".pb-title").unwrap().unwrap().text_content().unwrap(),
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(
            li.query_selector(".pb-excerpt").unwrap().unwrap().text_content().unwrap(),
            "<script>alert(1)</script>"
        );
        // Overlapping and out-of-range highlights are clipped, never dropped text.
        assert_eq!(li.query_selector_all("mark").unwrap().length(), 2);
    }

    #[wasm_bindgen_test]
    fn counts_group_thousands() {
        let seen: Vec<String> = [0, 7, 999, 1000, 17_010, 100_000, 1_234_567].map(grouped).into();
        assert_eq!(seen, ["0", "7", "999", "1,000", "17,010", "100,000", "1,234,567"]);
        assert_eq!(plural(1, "paper", "papers"), "1 paper");
        assert_eq!(plural(17_010, "paper", "papers"), "17,010 papers");
    }

    #[wasm_bindgen_test]
    fn status_times_have_two_decimals() {
        let seen: Vec<String> = [0.0, 0.004, 0.005, 0.31, 1.999, 12.5, 1234.567, -1.0].map(two_decimals).into();
        assert_eq!(seen, ["0.00", "0.00", "0.01", "0.31", "2.00", "12.50", "1234.57", "0.00"]);
    }

    #[wasm_bindgen_test]
    fn javascript_urls_are_never_links() {
        assert!(!safe_url("javascript:alert(1)") && !safe_url("  JavaScript:alert(1)"));
        assert!(!safe_url("data:text/html,x") && safe_url("https://a.b") && safe_url("/posts/relative/"));
        let doc = web_sys::window().unwrap().document().unwrap();
        let p = hostile();
        let meta = meta_line(&doc, &p.paper, true).unwrap();
        let links = meta.query_selector_all("a").unwrap();
        assert_eq!(links.length(), 1);
        let a: Element = links.get(0).unwrap().dyn_into().unwrap();
        assert_eq!(a.get_attribute("href").unwrap(), "https://github.com/ok/ok");
        assert_eq!(meta.query_selector("b").unwrap(), None);
    }
}
