//! The index over the seed digest: deterministic bytes, no false negatives against an exact
//! inverted index (every term, and term pairs drawn from the papers), and the known searches.
#![allow(clippy::unwrap_used, missing_docs)]

use paperbloom_core::digest::{self, Digest};
use paperbloom_core::hash::mix64;
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::{SearchOptions, Searcher};
use paperbloom_core::tokenize::{terms, tokens, Mode};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn seed() -> Digest {
    digest::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/digests")]).unwrap()
}

#[test]
fn same_digest_gives_byte_identical_index() {
    let a = build(&seed().papers, &BuildOptions::default()).unwrap().0;
    let b = build(&seed().papers, &BuildOptions::default()).unwrap().0;
    assert_eq!(a, b);
}

#[test]
fn no_false_negatives_against_an_exact_inverted_index() {
    let d = seed();
    let (bytes, _) = build(&d.papers, &BuildOptions::default()).unwrap();
    let index = Index::open(&bytes).unwrap();
    // The exact index: term → ids, and for each term a word as written that gives it (queries
    // are typed words, not stems: stemming a stem again may change it).
    let mut exact: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut surface: BTreeMap<String, String> = BTreeMap::new();
    let mut doc_terms: Vec<Vec<String>> = Vec::new();
    for p in &d.papers {
        let text = format!("{}\n{}", p.title, p.abstract_text);
        let toks = tokens(&text, Mode::Index);
        for t in &toks {
            exact.entry(t.term.clone()).or_default().insert(p.id.as_str());
            surface.entry(t.term.clone()).or_insert_with(|| text[t.start..t.end].to_string());
        }
        doc_terms.push(toks.into_iter().map(|t| t.term).collect());
    }
    let mut searcher = Searcher::new();
    let ids = |query: &str, searcher: &mut Searcher| -> BTreeSet<String> {
        // Exact words: prefixes and typo tolerance only ever add papers (tested elsewhere).
        let exact_words = SearchOptions { prefix: false, fuzzy: false, ..SearchOptions::new(100_000) };
        let r = searcher.search_with(&index, query, &exact_words).unwrap();
        assert!(!r.partial, "{query}");
        r.hits.iter().map(|h| index.doc(h.doc).unwrap().id.to_string()).collect()
    };
    // Every single term of the digest, typed as written. A compound's parts only add to the
    // score, so the required term is the joined one: compare with its papers.
    for (term, docs) in &exact {
        let typed = &surface[term];
        if terms(typed, Mode::Query) != [term.clone()] {
            continue; // a part of a compound: covered by the compound's own entry
        }
        let want: BTreeSet<String> = docs.iter().map(|s| s.to_string()).collect();
        assert_eq!(ids(typed, &mut searcher), want, "term {term:?} typed {typed:?}");
    }
    // Pairs of terms from one paper: the result is exactly the intersection.
    for i in 0..2000u64 {
        let r = mix64(i);
        let t = &doc_terms[(r % doc_terms.len() as u64) as usize];
        let (a, b) = (&t[(mix64(r) % t.len() as u64) as usize], &t[(mix64(r + 1) % t.len() as u64) as usize]);
        let (sa, sb) = (&surface[a], &surface[b]);
        if terms(&format!("{sa} {sb}"), Mode::Query).iter().collect::<BTreeSet<_>>() != BTreeSet::from([a, b]) {
            continue; // a compound part: not a required term when typed
        }
        let want: BTreeSet<String> = exact[a].intersection(&exact[b]).map(|s| s.to_string()).collect();
        assert_eq!(ids(&format!("{sa} {sb}"), &mut searcher), want, "query {sa} {sb}");
    }
}

#[test]
fn acronyms_find_their_paper_first() {
    let d = seed();
    let (bytes, _) = build(&d.papers, &BuildOptions::default()).unwrap();
    let index = Index::open(&bytes).unwrap();
    let mut s = Searcher::new();
    for (q, title) in [
        ("FedRE", "FedRE: A Representation Entanglement Framework for Model-Heterogeneous Federated Learning"),
        ("FedLGD", "Federated Learning on Virtual Heterogeneous Data with Local-global Distillation"),
        ("LightHGNN", "LightHGNN: Distilling Hypergraph Neural Networks into MLPs for 100times Faster Inference"),
        ("Poincare ResNet", "Poincaré ResNet"),
    ] {
        let r = s.search(&index, q, 3).unwrap();
        assert_eq!(index.doc(r.hits[0].doc).unwrap().title, title, "query {q}");
    }
}

#[test]
fn queries_with_no_full_match_fall_back_to_papers_sharing_a_term_ranked_by_bm25() {
    let d = seed();
    let (bytes, _) = build(&d.papers, &BuildOptions::default()).unwrap();
    let index = Index::open(&bytes).unwrap();
    let r = Searcher::new().search(&index, "hyperbolic anomaly xylophonequux", 5).unwrap();
    assert!(r.partial);
    assert_eq!(r.hits[0].matched, 2);
    assert!(index.doc(r.hits[0].doc).unwrap().title.starts_with("Are we certain it's anomalous?"));
    assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(r.hits.iter().all(|h| h.matched >= 1));
}

#[test]
fn result_views_of_every_paper_have_in_bounds_highlights() {
    use paperbloom_core::view::ResultView;
    let d = seed();
    let (bytes, _) = build(&d.papers, &BuildOptions::default()).unwrap();
    let index = Index::open(&bytes).unwrap();
    let mut s = Searcher::new();
    let mut queries = Vec::new();
    for p in &d.papers {
        // The title as a query: compounds, accents, LaTeX and symbols all reach the excerpt.
        queries.push(p.title.clone());
        // Abstract words: verification stops early in the abstract, and the views go on
        // from there; as a phrase, or with an exclusion, it reads the whole abstract.
        let words: Vec<&str> = p.abstract_text.split_whitespace().filter(|w| w.len() > 6).take(2).collect();
        queries.push(words.join(" "));
        queries.push(format!("\"{}\"", words.join(" ")));
        queries.push(format!("{} -zebra", words.join(" ")));
        // Prefixes and typos: many terms, and words no paper has (partial results).
        if let Some(w) = words.first() {
            queries.push(w[..4].to_string());
            queries.push(format!("{}x quuxzebra", &w[..w.len() - 1]));
        }
    }
    for q in &queries {
        let r = s.search(&index, q, 3).unwrap();
        // The views from verification's matches and memo are the views a fresh matcher gives.
        let shared = ResultView::all(&index, &r, 0).unwrap();
        assert_eq!(shared.len(), r.hits.len());
        for (h, shared) in r.hits.iter().zip(&shared) {
            let v = ResultView::new(&index, &r, h).unwrap();
            assert_eq!(&v, shared, "{q}");
            // What is marked in the excerpt is what matches in the excerpt's own text.
            let own = paperbloom_core::view::highlights(&v.excerpt, &r.terms);
            assert_eq!(
                v.excerpt_highlights,
                paperbloom_core::view::utf16_ranges(&v.excerpt, &own),
                "{q}: {}",
                v.excerpt
            );
            let title_len = v.paper.title.encode_utf16().count() as u32;
            let excerpt_len = v.excerpt.encode_utf16().count() as u32;
            for [a, b] in &v.title_highlights {
                assert!(a < b && *b <= title_len, "{}: {a}..{b}", v.paper.title);
            }
            for [a, b] in &v.excerpt_highlights {
                assert!(a < b && *b <= excerpt_len, "{}: {a}..{b}", v.excerpt);
            }
        }
    }
}
