//! The search widget: a WAI-ARIA combobox (input) controlling a listbox of results, rendered
//! with `createElement` and `textContent` only — digest text is never parsed as HTML, and a
//! link is rendered only for `http:`/`https:` URLs.
//!
//! State lives in one `Rc<RefCell<Widget>>` shared by the event closures; the closures are kept
//! alive for the page's lifetime (`forget`), once per mount.

use crate::{full_abstract, js_error, paper_count, run_search};
#[cfg(all(test, target_arch = "wasm32"))]
use paperbloom_core::view::PaperMeta;
use paperbloom_core::view::{highlights, utf16_ranges, ResultView};
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, KeyboardEvent};

/// Options of `mount`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct MountOptions {
    limit: u32,
    placeholder: String,
    autofocus: bool,
    query: String,
    /// Keep the query in the page URL (`?q=`), and start from it.
    url_state: bool,
    /// `/` and Ctrl/Cmd+K focus the search box.
    shortcuts: bool,
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
        }
    }
}

struct Widget {
    doc: Document,
    input: HtmlInputElement,
    status: Element,
    /// "Did you mean …?" line, hidden unless the query has a word the digest lacks.
    suggest: Element,
    list: Element,
    uid: u32,
    limit: u32,
    url_state: bool,
    active: Option<usize>,
    count: usize,
    /// Id, excerpt and its highlights of each shown result, by position.
    shown: Vec<(String, String, Vec<[u32; 2]>)>,
    /// The index terms of the last search, for highlighting a full abstract.
    terms: Vec<String>,
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

fn attr(e: &Element, name: &str, value: &str) -> Result<(), JsError> {
    e.set_attribute(name, value).map_err(|_| js_error(format!("cannot set {name}")))
}

fn append(parent: &Element, child: &Element) -> Result<(), JsError> {
    parent.append_child(child).map(|_| ()).map_err(|_| js_error("cannot append a node"))
}

fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Result<Element, JsError> {
    let e = el(doc, tag, class)?;
    e.set_text_content(Some(text));
    Ok(e)
}

/// The `q` parameter of the page URL, if any.
fn query_from_url() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get("q").filter(|q| !q.is_empty())
}

/// Puts `query` into the page URL as `?q=` (other parameters and the fragment kept) without a
/// history entry. Best effort: a page where the URL cannot change (some `file://` cases) keeps
/// working.
fn write_query_to_url(query: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let (Ok(search), Ok(path), Ok(hash)) = (location.search(), location.pathname(), location.hash()) else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
    if query.trim().is_empty() {
        params.delete("q");
    } else {
        params.set("q", query);
    }
    let rest = String::from(params.to_string());
    let url = if rest.is_empty() { format!("{path}{hash}") } else { format!("{path}?{rest}{hash}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
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
            e.append_child(&doc.create_text_node(&text[at..s])).map_err(|_| js_error("cannot append text"))?;
        }
        append(&e, &text_el(doc, "mark", "", &text[s..end])?)?;
        at = end;
    }
    if at < text.len() {
        e.append_child(&doc.create_text_node(&text[at..])).map_err(|_| js_error("cannot append text"))?;
    }
    Ok(e)
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

impl Widget {
    fn option_id(&self, i: usize) -> String {
        format!("pb-{}-opt-{i}", self.uid)
    }

    fn render_result(&self, i: usize, r: &ResultView) -> Result<Element, JsError> {
        let doc = &self.doc;
        let li = el(doc, "li", "pb-result")?;
        attr(&li, "role", "option")?;
        attr(&li, "id", &self.option_id(i))?;
        attr(&li, "aria-selected", "false")?;
        attr(&li, "data-id", &r.paper.id)?;
        let title = match r.paper.url.as_deref().filter(|u| safe_url(u)) {
            Some(url) => {
                let a = marked_el(doc, "a", "pb-title", &r.paper.title, &r.title_highlights)?;
                attr(&a, "href", url)?;
                attr(&a, "rel", "noopener noreferrer")?;
                a
            }
            None => marked_el(doc, "span", "pb-title", &r.paper.title, &r.title_highlights)?,
        };
        append(&li, &title)?;
        let meta = el(doc, "div", "pb-meta")?;
        if let Some(d) = &r.paper.date {
            append(&meta, &text_el(doc, "span", "pb-date", d)?)?;
        }
        if let Some(a) = r.paper.authors {
            let s = if a == 1 { "1 author".to_string() } else { format!("{a} authors") };
            append(&meta, &text_el(doc, "span", "pb-authors", &s)?)?;
        }
        if let Some(o) = &r.paper.organization {
            append(&meta, &text_el(doc, "span", "pb-org", o)?)?;
        }
        if let Some(u) = r.paper.upvotes {
            append(&meta, &text_el(doc, "span", "pb-upvotes", &format!("▲ {u}"))?)?;
        }
        for c in r.paper.code.iter().filter(|c| safe_url(c)) {
            let a = text_el(doc, "a", "pb-code", "code")?;
            attr(&a, "href", c)?;
            attr(&a, "rel", "noopener noreferrer")?;
            attr(&a, "title", c)?;
            append(&meta, &a)?;
        }
        if r.matched < r.terms {
            append(
                &meta,
                &text_el(doc, "span", "pb-partial", &format!("matches {} of {} words", r.matched, r.terms))?,
            )?;
        }
        append(&li, &meta)?;
        if !r.excerpt.is_empty() {
            append(&li, &marked_el(doc, "p", "pb-excerpt", &r.excerpt, &r.excerpt_highlights)?)?;
        }
        Ok(li)
    }

    fn update(&mut self) -> Result<(), JsError> {
        let query = self.input.value();
        if self.url_state {
            write_query_to_url(&query);
        }
        self.list.set_text_content(None);
        self.active = None;
        self.count = 0;
        self.shown.clear();
        attr(&self.input, "aria-activedescendant", "")?;
        if query.trim().is_empty() {
            let n = paper_count()?;
            let invite =
                format!("Type to search {n} papers: a method name, a topic, \"a phrase\", year:2024, has:code");
            self.status.set_text_content(Some(&invite));
            self.show_suggestion(None)?;
            attr(&self.input, "aria-expanded", "false")?;
            return Ok(());
        }
        let t0 = now();
        let (results, views) = run_search(&query, self.limit)?;
        let ms = now() - t0;
        for (i, r) in views.iter().enumerate() {
            append(&self.list, &self.render_result(i, r)?)?;
            self.shown.push((r.paper.id.clone(), r.excerpt.clone(), r.excerpt_highlights.clone()));
        }
        self.count = views.len();
        self.terms = results.terms.clone();
        attr(&self.input, "aria-expanded", if views.is_empty() { "false" } else { "true" })?;
        let status = if views.is_empty() {
            format!("No papers match “{}”", query.trim())
        } else {
            let n = results.total.max(views.len());
            let noun = if n == 1 { "paper" } else { "papers" };
            let partial = if results.partial { " · closest matches (no paper has every word)" } else { "" };
            format!("{n} {noun} · {ms:.2} ms{partial}")
        };
        self.status.set_text_content(Some(&status));
        self.show_suggestion(results.suggestion.as_deref().filter(|s| s.trim() != query.trim()))
    }

    /// Shows "Did you mean <button>suggestion</button>?" or hides the line.
    fn show_suggestion(&self, suggestion: Option<&str>) -> Result<(), JsError> {
        self.suggest.set_text_content(None);
        let Some(s) = suggestion else {
            return attr(&self.suggest, "hidden", "");
        };
        self.suggest.remove_attribute("hidden").map_err(|_| js_error("cannot show the suggestion"))?;
        let lead = self.doc.create_text_node("Did you mean ");
        self.suggest.append_child(&lead).map_err(|_| js_error("cannot append a node"))?;
        let b = text_el(&self.doc, "button", "pb-suggestion", s)?;
        attr(&b, "type", "button")?;
        append(&self.suggest, &b)?;
        let end = self.doc.create_text_node("?");
        self.suggest.append_child(&end).map(|_| ()).map_err(|_| js_error("cannot append a node"))
    }

    /// Searches the suggested spelling instead.
    fn accept_suggestion(&mut self) -> Result<(), JsError> {
        let Some(s) = self.suggest.query_selector(".pb-suggestion").ok().flatten().and_then(|b| b.text_content())
        else {
            return Ok(());
        };
        self.input.set_value(&s);
        let _ = self.input.focus();
        self.update()
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
                attr(&self.input, "aria-activedescendant", &id)
            }
            None => attr(&self.input, "aria-activedescendant", ""),
        }
    }

    /// Opens result `i`: follows its link if it has one, else shows or hides its full abstract.
    fn open(&mut self, i: usize) -> Result<(), JsError> {
        let Some(li) = self.doc.get_element_by_id(&self.option_id(i)) else { return Ok(()) };
        if let Some(a) = li.query_selector("a.pb-title").ok().flatten() {
            if let Some(a) = a.dyn_ref::<HtmlElement>() {
                a.click();
            }
            return Ok(());
        }
        self.toggle_abstract(&li, i)
    }

    /// Shows the whole abstract of result `i` in place of its excerpt, or the excerpt again,
    /// with the query's words marked.
    fn toggle_abstract(&self, li: &Element, i: usize) -> Result<(), JsError> {
        let Some((id, excerpt, marks)) = self.shown.get(i) else { return Ok(()) };
        let Some(p) = li.query_selector(".pb-excerpt").ok().flatten() else { return Ok(()) };
        let (text, marks, expanded) = if li.get_attribute("aria-expanded").as_deref() == Some("true") {
            (excerpt.clone(), marks.clone(), "false")
        } else {
            let full = full_abstract(id)?;
            let marks = utf16_ranges(&full, &highlights(&full, &self.terms));
            (full, marks, "true")
        };
        let next = marked_el(&self.doc, "p", "pb-excerpt", &text, &marks)?;
        p.replace_with_with_node_1(&next).map_err(|_| js_error("cannot replace the excerpt"))?;
        attr(li, "aria-expanded", expanded)
    }

    /// A click inside the list: links act as links; elsewhere on a result, open it.
    fn click(&mut self, e: &web_sys::MouseEvent) -> Result<(), JsError> {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return Ok(()) };
        if target.closest("a").ok().flatten().is_some() {
            return Ok(());
        }
        let Some(li) = target.closest("[role=option]").ok().flatten() else { return Ok(()) };
        let prefix = self.option_id(0);
        let prefix = prefix.trim_end_matches('0');
        let Some(i) = li.id().strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok()) else { return Ok(()) };
        self.set_active(Some(i))?;
        self.toggle_abstract(&li, i)
    }

    fn key(&mut self, e: &KeyboardEvent) -> Result<(), JsError> {
        match e.key().as_str() {
            "ArrowDown" if self.count > 0 => {
                e.prevent_default();
                let next = self.active.map_or(0, |i| (i + 1).min(self.count - 1));
                self.set_active(Some(next))
            }
            "ArrowUp" if self.count > 0 => {
                e.prevent_default();
                let next = self.active.and_then(|i| i.checked_sub(1));
                self.set_active(next)
            }
            "Enter" => match self.active {
                Some(i) => {
                    e.prevent_default();
                    self.open(i)
                }
                None => Ok(()),
            },
            "Escape" => {
                self.input.set_value("");
                self.update()
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

/// See `crate::mount`.
pub fn mount(target: JsValue, options: JsValue) -> Result<(), JsError> {
    let options: MountOptions = if options.is_undefined() || options.is_null() {
        MountOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| js_error(format!("mount: bad options: {e}")))?
    };
    let doc = web_sys::window().and_then(|w| w.document()).ok_or_else(|| js_error("mount: no document"))?;
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
    let root = el(&doc, "div", "paperbloom")?;
    let input: HtmlInputElement = el(&doc, "input", "pb-input")?.dyn_into().map_err(|_| js_error("mount: input"))?;
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
        ("placeholder", options.placeholder.as_str()),
    ] {
        attr(&input, k, v)?;
    }
    let status = el(&doc, "p", "pb-status")?;
    attr(&status, "role", "status")?;
    attr(&status, "aria-live", "polite")?;
    let suggest = el(&doc, "p", "pb-suggest")?;
    attr(&suggest, "hidden", "")?;
    let list = el(&doc, "ul", "pb-results")?;
    attr(&list, "role", "listbox")?;
    attr(&list, "id", &list_id)?;
    attr(&list, "aria-label", "Results")?;
    append(&root, &input)?;
    append(&root, &status)?;
    append(&root, &suggest)?;
    append(&root, &list)?;
    host.append_child(&root).map_err(|_| js_error("mount: cannot append to the target"))?;

    let widget = Rc::new(RefCell::new(Widget {
        doc,
        input: input.clone(),
        status,
        suggest: suggest.clone(),
        list: list.clone(),
        uid,
        limit: options.limit,
        url_state: options.url_state,
        active: None,
        count: 0,
        shown: Vec::new(),
        terms: Vec::new(),
    }));
    let w = widget.clone();
    let on_input = Closure::<dyn FnMut()>::new(move || {
        if let Ok(mut w) = w.try_borrow_mut() {
            report(w.update());
        }
    });
    input
        .add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())
        .map_err(|_| js_error("mount: listener"))?;
    on_input.forget();
    let w = widget.clone();
    let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
        if let Ok(mut w) = w.try_borrow_mut() {
            report(w.key(&e));
        }
    });
    input
        .add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref())
        .map_err(|_| js_error("mount: listener"))?;
    on_key.forget();
    let w = widget.clone();
    let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |e: web_sys::MouseEvent| {
        if let Ok(mut w) = w.try_borrow_mut() {
            report(w.click(&e));
        }
    });
    list.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
        .map_err(|_| js_error("mount: listener"))?;
    on_click.forget();
    let w = widget.clone();
    let on_suggest = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |e: web_sys::MouseEvent| {
        let on_button = e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| t.tag_name() == "BUTTON");
        if let (true, Ok(mut w)) = (on_button, w.try_borrow_mut()) {
            report(w.accept_suggestion());
        }
    });
    suggest
        .add_event_listener_with_callback("click", on_suggest.as_ref().unchecked_ref())
        .map_err(|_| js_error("mount: listener"))?;
    on_suggest.forget();
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
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.add_event_listener_with_callback("keydown", on_shortcut.as_ref().unchecked_ref())
                .map_err(|_| js_error("mount: listener"))?;
        }
        on_shortcut.forget();
    }
    let start = if options.query.is_empty() && options.url_state { query_from_url() } else { None };
    let start = start.unwrap_or(options.query);
    input.set_value(&start);
    widget.try_borrow_mut().map_err(js_error)?.update()?; // results, or the invitation

    if options.autofocus {
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

    fn widget() -> Widget {
        let doc = web_sys::window().unwrap().document().unwrap();
        let input: HtmlInputElement = doc.create_element("input").unwrap().dyn_into().unwrap();
        Widget {
            status: doc.create_element("p").unwrap(),
            suggest: doc.create_element("p").unwrap(),
            list: doc.create_element("ul").unwrap(),
            doc,
            input,
            uid: 99,
            limit: 10,
            url_state: false,
            active: None,
            count: 0,
            shown: Vec::new(),
            terms: Vec::new(),
        }
    }

    fn hostile(title: &str, url: Option<&str>) -> ResultView {
        ResultView {
            paper: PaperMeta {
                id: "x".into(),
                title: title.into(),
                date: None,
                year: None,
                authors: Some(2),
                organization: Some("<b>org</b>".into()),
                upvotes: None,
                code: vec!["javascript:alert(1)".into(), "https://github.com/ok/ok".into()],
                url: url.map(str::to_string),
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
    fn digest_html_renders_as_text() {
        let w = widget();
        let li = w.render_result(0, &hostile("<img src=x onerror=alert(1)>", Some("https://example.org"))).unwrap();
        assert!(li.query_selector("img").unwrap().is_none());
        assert!(li.query_selector("script").unwrap().is_none());
        assert!(li.query_selector("b").unwrap().is_none());
        assert_eq!(
            li.query_selector(".pb-title").unwrap().unwrap().text_content().unwrap(),
            "<img src=x onerror=alert(1)>"
        );
        let links = li.query_selector_all("a").unwrap();
        for i in 0..links.length() {
            let a: Element = links.get(i).unwrap().dyn_into().unwrap();
            assert!(safe_url(&a.get_attribute("href").unwrap()));
        }
        assert_eq!(links.length(), 2); // the title link and the https code link
    }

    #[wasm_bindgen_test]
    fn javascript_urls_are_never_links() {
        let w = widget();
        let li = w.render_result(0, &hostile("t", Some("  JavaScript:alert(1)"))).unwrap();
        assert_eq!(li.query_selector(".pb-title").unwrap().unwrap().tag_name(), "SPAN");
        assert!(!safe_url("javascript:alert(1)") && !safe_url("data:text/html,x") && safe_url("https://a.b"));
        assert!(safe_url("/posts/relative/"));
    }
}
