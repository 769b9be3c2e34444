//! The wasm API and the widget in headless Chromium (wasm-bindgen-test). Run with
//! `scripts/test.sh` or: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test -p paperbloom --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn results(query: &str, limit: u32) -> Array {
    paperbloom::search(query, Some(limit)).map_err(JsValue::from).unwrap().dyn_into().unwrap()
}

#[wasm_bindgen_test]
fn search_finds_fedre_first() {
    let r = results("FedRE", 5);
    assert!(r.length() >= 1);
    let title = get(&r.get(0), "title").as_string().unwrap();
    assert!(title.starts_with("FedRE: A Representation Entanglement Framework"), "{title}");
    let code = get(&r.get(0), "code").dyn_into::<Array>().unwrap();
    assert_eq!(code.get(0).as_string().unwrap(), "https://github.com/AIResearch-Group/FedRE");
}

#[wasm_bindgen_test]
fn result_objects_have_the_documented_fields() {
    let r = results("Local-global Distillation federated", 3);
    let first = r.get(0);
    for key in ["id", "title", "score", "date", "authors", "upvotes", "code", "excerpt", "url", "matched", "terms"] {
        assert!(Reflect::has(&first, &JsValue::from_str(key)).unwrap(), "missing {key}");
    }
    assert_eq!(
        get(&first, "title").as_string().unwrap(),
        "Federated Learning on Virtual Heterogeneous Data with Local-global Distillation"
    );
    assert_eq!(get(&first, "authors").as_f64(), Some(5.0));
    assert_eq!(get(&first, "date").as_string().unwrap(), "Mar 3, 2023");
    let id = get(&first, "id").as_string().unwrap();
    let p = paperbloom::paper(&id).map_err(JsValue::from).unwrap();
    assert!(get(&p, "abstract").as_string().unwrap().len() > 200);
    assert!(paperbloom::paper("no-such-id").map_err(JsValue::from).unwrap().is_null());
}

#[wasm_bindgen_test]
fn query_reports_suggestion_prefix_and_filters() {
    let q = paperbloom::query("hyperblic grpah", 5.into()).map_err(JsValue::from).unwrap();
    assert_eq!(get(&q, "suggestion").as_string().as_deref(), Some("hyperbolic graph"));
    assert!(get(&q, "results").dyn_into::<Array>().unwrap().length() >= 1);
    let exact = paperbloom::query("hyperbolic graph", 5.into()).map_err(JsValue::from).unwrap();
    assert!(get(&exact, "suggestion").is_null());
    // Typing: the last word is a prefix.
    let typed = results("LightHG", 1);
    assert!(get(&typed.get(0), "title").as_string().unwrap().starts_with("LightHGNN"));
    // Filters alone list papers; unknown syntax never throws.
    let filtered = results("year:2024 has:code", 50);
    assert!(filtered.length() >= 1);
    for q in ["foo:bar", "\"", "-", "OR", "year:>=", "title:"] {
        assert!(paperbloom::query(q, 3.into()).is_ok(), "{q}");
    }
}

#[wasm_bindgen_test]
fn query_says_which_word_being_typed_the_results_need_not_have() {
    let partial = |q: &str| {
        let r = paperbloom::query(q, 20.into()).map_err(JsValue::from).unwrap();
        let titles: Vec<String> = get(&r, "results")
            .dyn_into::<Array>()
            .unwrap()
            .iter()
            .map(|x| get(&x, "title").as_string().unwrap())
            .collect();
        (titles, get(&r, "partial").as_bool().unwrap(), get(&r, "unfinished").as_string())
    };
    let (done, is_partial, unfinished) = partial("federated learning");
    assert!(!done.is_empty() && !is_partial && unfinished.is_none());
    // No completion of "Qz" is in a paper with the other words: those papers, the word as typed.
    let (typing, is_partial, unfinished) = partial("federated learning Qz");
    assert_eq!(typing.len(), done.len());
    assert!(is_partial);
    assert_eq!(unfinished.as_deref(), Some("Qz"));
    // A word no paper has, not being typed: the closest matches, no unfinished word.
    let (_, is_partial, unfinished) = partial("federated qqqqq learning");
    assert!(is_partial && unfinished.is_none());
}

fn query_with(q: &str, options: &str) -> JsValue {
    let options = js_sys::JSON::parse(options).unwrap();
    paperbloom::query(q, options).map_err(JsValue::from).unwrap()
}

#[wasm_bindgen_test]
fn query_options_sort_filter_page_and_count_facets() {
    let all = query_with("learning ", r#"{"limit": 1000}"#);
    let total = get(&all, "total").as_f64().unwrap() as u32;
    // Every candidate read (fewer results than the limit): exact, not "about".
    assert_eq!(get(&all, "totalEstimated").as_bool(), Some(false));
    let facets = get(&all, "facets");
    let years = get(&facets, "years").dyn_into::<Array>().unwrap();
    let counted: f64 = years.iter().map(|y| get(&y, "count").as_f64().unwrap()).sum::<f64>()
        + get(&facets, "noYear").as_f64().unwrap();
    assert_eq!(counted as u32, total);
    // A year: its count, every result of that year.
    let y = years.get(0);
    let (year, count) = (get(&y, "year").as_f64().unwrap(), get(&y, "count").as_f64().unwrap());
    let of_year = query_with("learning ", &format!(r#"{{"limit": 1000, "year": {year}}}"#));
    let results = get(&of_year, "results").dyn_into::<Array>().unwrap();
    assert_eq!(f64::from(results.length()), count);
    assert!(results.iter().all(|r| get(&r, "year").as_f64() == Some(year)));
    // With code.
    let with_code = query_with("learning ", r#"{"limit": 1000, "hasCode": true}"#);
    let results = get(&with_code, "results").dyn_into::<Array>().unwrap();
    assert_eq!(f64::from(results.length()), get(&facets, "withCode").as_f64().unwrap());
    assert!(results.iter().all(|r| get(&r, "code").dyn_into::<Array>().unwrap().length() > 0));
    // Newest first.
    let newest =
        get(&query_with("learning ", r#"{"limit": 50, "sort": "newest"}"#), "results").dyn_into::<Array>().unwrap();
    let years: Vec<f64> = newest.iter().map(|r| get(&r, "year").as_f64().unwrap_or(0.0)).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
    // Pages: offset 5 continues where limit 5 stopped.
    let ids = |v: JsValue| -> Vec<String> {
        get(&v, "results").dyn_into::<Array>().unwrap().iter().map(|r| get(&r, "id").as_string().unwrap()).collect()
    };
    let ten = ids(query_with("learning ", r#"{"limit": 10}"#));
    let second = ids(query_with("learning ", r#"{"limit": 5, "offset": 5}"#));
    assert_eq!(second, ten[5..]);
    // Bad options are a JS Error whose message names the option, what it must be and what it was.
    for (bad, says) in [
        (r#"{"sort": "best"}"#, r#"sort must be one of "relevance", "newest", "upvotes", not "best""#),
        (r#"{"limt": 3}"#, r#"unknown option "limt" (known: limit, offset, sort, year, hasCode)"#),
        (r#"{"year": "x"}"#, r#"year must be a whole number from 0 to 65535, not "x""#),
        (r#"{"limit": 1.5}"#, "limit must be a whole number from 0 to 4294967295, not 1.5"),
        (r#"{"offset": -1}"#, "offset must be a whole number from 0 to 4294967295, not -1"),
        (r#"{"hasCode": "yes"}"#, r#"hasCode must be true or false, not "yes""#),
        (r#""newest""#, r#"expected an object, not "newest""#),
    ] {
        let err: JsValue = paperbloom::query("learning", js_sys::JSON::parse(bad).unwrap()).unwrap_err().into();
        assert_eq!(get(&err, "message").as_string().unwrap(), format!("query: bad options: {says}"), "{bad}");
    }
    // null and undefined options are the defaults.
    let defaults = query_with("learning", r#"{"limit": null, "sort": null, "year": null, "hasCode": null}"#);
    assert_eq!(get(&defaults, "results").dyn_into::<Array>().unwrap().length(), 10);
}

#[wasm_bindgen_test]
fn stats_report_the_index() {
    let s = paperbloom::stats().map_err(JsValue::from).unwrap();
    let papers = get(&s, "papers").as_f64().unwrap();
    assert!(papers > 200.0, "{papers}");
    assert_eq!(f64::from(paperbloom::paper_count_js().map_err(JsValue::from).unwrap()), papers);
    assert!(get(&s, "terms").as_f64().unwrap() > 1000.0);
    let bpp = get(&s, "bitsPerPosting").as_f64().unwrap();
    assert!(bpp > 10.0 && bpp < 40.0, "{bpp}");
    assert!(get(&s, "falsePositiveRate").as_f64().unwrap() < 0.01);
}

#[wasm_bindgen_test]
fn bad_arguments_become_js_errors_not_traps() {
    let err = paperbloom::mount(JsValue::from_str("#does-not-exist"), JsValue::UNDEFINED).unwrap_err();
    let err: JsValue = err.into();
    let msg = get(&err, "message").as_string().unwrap();
    assert!(msg.contains("no element matches"), "{msg}");
    let err: JsValue = paperbloom::mount(JsValue::from_f64(3.0), JsValue::UNDEFINED).unwrap_err().into();
    assert!(err.is_instance_of::<js_sys::Error>());
    for (bad, says) in [
        (r#"{"limit": "20"}"#, r#"limit must be a whole number from 0 to 4294967295, not "20""#),
        (r#"{"autofocus": 1}"#, "autofocus must be true or false, not 1"),
        (r#"{"placeholder": ["a"]}"#, r#"placeholder must be a string, not ["a"]"#),
        (r#"{"theme": "blue"}"#, r#"theme "blue" is not "auto", "light" or "dark""#),
        (
            r#"{"urlstate": false}"#,
            r#"unknown option "urlstate" (known: limit, placeholder, autofocus, query, urlState, shortcuts, detail, theme)"#,
        ),
    ] {
        let options = js_sys::JSON::parse(bad).unwrap();
        let err: JsValue = paperbloom::mount(JsValue::from_str("body"), options).unwrap_err().into();
        assert_eq!(get(&err, "message").as_string().unwrap(), format!("mount: bad options: {says}"), "{bad}");
    }
    // The module keeps working after an error.
    assert!(results("hyperbolic", 3).length() > 0);
}

fn container(id: &str) -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let div = doc.create_element("div").unwrap();
    div.set_id(id);
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
fn mount_renders_results_for_typed_text() {
    let host = container("mount-test");
    paperbloom::mount(JsValue::from_str("#mount-test"), JsValue::UNDEFINED).map_err(JsValue::from).unwrap();
    let input: HtmlInputElement = host.query_selector("input[role=combobox]").unwrap().unwrap().dyn_into().unwrap();
    input.set_value("FedLGD");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let options = host.query_selector_all("[role=listbox] [role=option]").unwrap();
    assert!(options.length() >= 1);
    let first: Element = options.get(0).unwrap().dyn_into().unwrap();
    let text = first.text_content().unwrap();
    assert!(text.contains("Federated Learning on Virtual Heterogeneous Data with Local-global Distillation"), "{text}");
    assert!(text.contains("5 authors") && text.contains("Mar 3, 2023"), "{text}");
    assert_eq!(input.get_attribute("aria-expanded").as_deref(), Some("true"));
    let status = host.query_selector("[role=status]").unwrap().unwrap().text_content().unwrap();
    assert!(status.contains("paper"), "{status}");
}

#[wasm_bindgen_test]
fn matched_words_are_marked_in_titles_and_excerpts() {
    let r = results("federated distillation", 1);
    let first = r.get(0);
    let title = get(&first, "title").as_string().unwrap();
    let marks = get(&first, "titleHighlights").dyn_into::<Array>().unwrap();
    let marked: Vec<String> = marks
        .iter()
        .map(|m| {
            let m = m.dyn_into::<Array>().unwrap();
            let (s, e) = (m.get(0).as_f64().unwrap() as u32, m.get(1).as_f64().unwrap() as u32);
            String::from(js_sys::JsString::from(title.as_str()).slice(s, e))
        })
        .collect();
    assert!(marked.iter().any(|w| w == "Federated") && marked.iter().any(|w| w == "Distillation"), "{marked:?}");
    let host = container("mark-test");
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"query".into(), &"federated distillation".into()).unwrap();
    js_sys::Reflect::set(&options, &"urlState".into(), &false.into()).unwrap();
    paperbloom::mount(JsValue::from_str("#mark-test"), options.into()).map_err(JsValue::from).unwrap();
    let title_marks = host.query_selector_all("[role=option] .pb-title mark").unwrap();
    assert!(title_marks.length() >= 2);
    let excerpt_marks = host.query_selector_all("[role=option] .pb-excerpt mark").unwrap();
    assert!(excerpt_marks.length() >= 1);
    for i in 0..excerpt_marks.length() {
        let t = excerpt_marks.get(i).unwrap().text_content().unwrap().to_lowercase();
        assert!(t.starts_with("federat") || t.starts_with("distill"), "{t}");
    }
}

/// Lets the browser's event loop run (so the test driver can poll between batches).
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn wasm_memory_does_not_grow_with_queries() {
    let queries = ["federated learning", "hyperbolic", "FedRE", "zzzz nothing", "diffusion image generation", "LLM"];
    let memory = || {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .unwrap()
            .buffer()
            .dyn_into::<js_sys::ArrayBuffer>()
            .unwrap()
            .byte_length()
    };
    for q in queries.iter().cycle().take(1000) {
        let _ = paperbloom::search(q, Some(10));
    }
    let before = memory();
    let start = js_sys::Date::now();
    for batch in 0..50 {
        for q in queries.iter().cycle().skip(batch).take(2000) {
            let _ = paperbloom::search(q, Some(10));
        }
        yield_to_browser().await;
    }
    let ms = js_sys::Date::now() - start;
    web_sys::console::log_1(&format!("100,000 searches in {ms:.0} ms; memory {before} -> {} bytes", memory()).into());
    assert_eq!(memory(), before, "wasm memory grew over 100,000 searches");
}
