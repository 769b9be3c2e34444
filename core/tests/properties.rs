//! Property tests (proptest) of search against an exact answer computed by brute force over
//! random digests: no false negatives (and, verification on, no false positives), hits sorted
//! by score, every hit passing the query's filters, the same answer every time.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use paperbloom_core::digest;
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::{Refine, SearchOptions, Searcher};
use paperbloom_core::tokenize::{scan, Mode};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Words that stay distinct after stemming, plus two that share a stem ("learning", "learned").
const VOCAB: [&str; 16] = [
    "bloom",
    "filter",
    "graph",
    "neural",
    "quantum",
    "sparse",
    "tensor",
    "vision",
    "robot",
    "protein",
    "galaxy",
    "market",
    "learning",
    "learned",
    "SQ-GAN",
    "Poincaré",
];

#[derive(Clone, Debug)]
struct Doc {
    title: Vec<usize>,
    body: Vec<usize>,
    year: u16,
}

fn doc() -> impl Strategy<Value = Doc> {
    (prop::collection::vec(0..VOCAB.len(), 1..5), prop::collection::vec(0..VOCAB.len(), 0..30), 2021u16..2026)
        .prop_map(|(title, body, year)| Doc { title, body, year })
}

fn words(ix: &[usize]) -> String {
    ix.iter().map(|&i| VOCAB[i]).collect::<Vec<_>>().join(" ")
}

fn terms(text: &str, mode: Mode) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    scan(text, mode, |t, _, _| {
        out.insert(t.to_string());
        true
    });
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn search_agrees_with_brute_force(
        docs in prop::collection::vec(doc(), 1..120),
        query in prop::collection::vec(0..VOCAB.len(), 1..4),
        year in prop::option::of(2021u16..2026),
    ) {
        // Titles carry the paper number so that no two merge as duplicates.
        let jsonl: String = docs.iter().enumerate().map(|(i, d)| format!(
            "{{\"title\": \"P{i} {}\", \"body\": \"{}\", \"date\": \"{}-01-01\"}}\n", words(&d.title), words(&d.body), d.year
        )).collect();
        let (papers, report) = digest::parse_bytes("p.jsonl", jsonl.as_bytes()).unwrap();
        prop_assert_eq!(report.indexed, docs.len());
        let (bytes, _) = build(&papers, &BuildOptions::default()).unwrap();
        let index = Index::open(&bytes).unwrap();
        let q = words(&query);
        let want_terms = terms(&q, Mode::Query);
        let exact: BTreeSet<u32> = docs.iter().enumerate().filter(|(i, d)| {
            let have = terms(&format!("P{i} {} {}", words(&d.title), words(&d.body)), Mode::Index);
            want_terms.is_subset(&have) && year.is_none_or(|y| d.year == y)
        }).map(|(i, _)| i as u32).collect();
        let mut options = SearchOptions::new(docs.len());
        options.prefix = false;
        options.fuzzy = false;
        options.refine = Refine { year, has_code: false };
        let mut s = Searcher::new();
        let r = s.search_with(&index, &q, &options).unwrap();
        // Papers are numbered by their title's "P{i}" (the index may order them otherwise).
        let number = |doc: u32| -> u32 { index.doc(doc).unwrap().title.split(' ').next().unwrap()[1..].parse().unwrap() };
        let got: BTreeSet<u32> = r.hits.iter().map(|h| number(h.doc)).collect();
        if exact.is_empty() {
            prop_assert!(r.hits.is_empty() || r.partial, "{q:?}: hits {got:?} but nothing matches");
        } else {
            prop_assert_eq!(&got, &exact, "query {:?} year {:?}", q, year);
        }
        prop_assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score), "sorted by score");
        for h in &r.hits {
            if let Some(y) = year {
                prop_assert_eq!(index.meta(h.doc).unwrap().year, Some(y));
            }
        }
        let again = s.search_with(&index, &q, &options).unwrap();
        let key = |r: &paperbloom_core::search::SearchResults| r.hits.iter().map(|h| (h.doc, h.score.to_bits())).collect::<Vec<_>>();
        prop_assert_eq!(key(&r), key(&again), "deterministic");
        let fresh = Searcher::new().search_with(&index, &q, &options).unwrap();
        prop_assert_eq!(key(&r), key(&fresh), "deterministic across searchers");
    }
}
