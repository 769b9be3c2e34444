//! Index round trip, format errors, determinism and the no-false-negative property on
//! synthetic papers (the seed-digest versions live in `core/tests/index_seed.rs`).

#![allow(clippy::unwrap_used)]

use super::*;
use crate::hash::mix64;
use crate::search::{SearchOptions, Searcher};
use crate::tokenize::{terms, Mode};
use crate::{Paper, PaperDate, SourceLoc};

fn paper(i: usize, title: &str, body: &str) -> Paper {
    Paper {
        id: format!("p{i}"),
        id_given: true,
        title: title.to_string(),
        title_derived: false,
        abstract_text: body.to_string(),
        url: (i % 3 == 0).then(|| format!("https://example.org/{i}")),
        date: PaperDate::new((i % 2 == 0).then_some(2020 + i as u16 % 5), 1 + (i % 12) as u8, 1 + (i % 28) as u8),
        authors: (i % 4 != 0).then_some(i as u32 % 9 + 1),
        organization: (i % 7 == 0).then(|| "Org".to_string()),
        upvotes: (i % 5 == 0).then_some(i as u32),
        code: if i % 6 == 0 { vec![format!("https://github.com/x/{i}")] } else { vec![] },
        source: SourceLoc { file: "synthetic.txt".into(), line: i + 1 },
    }
}

/// Papers whose words are drawn from a skewed vocabulary, with very different lengths.
fn corpus(n: usize) -> Vec<Paper> {
    (0..n)
        .map(|i| {
            let len = 5 + (mix64(i as u64) % 300) as usize;
            let words: Vec<String> = (0..len)
                .map(|j| {
                    let r = mix64((i * 1000 + j) as u64);
                    format!("w{}", (r % 2000) * (r % 7) / 6)
                })
                .collect();
            paper(i, &format!("Title {} w{}", i, i % 50), &words.join(" "))
        })
        .collect()
}

#[test]
fn records_round_trip() {
    let papers = corpus(300);
    let (bytes, summary) = build(&papers, &BuildOptions::default()).unwrap();
    let index = Index::open(&bytes).unwrap();
    index.verify_checksum().unwrap();
    assert_eq!(index.papers(), 300);
    assert_eq!(summary.index_bytes, bytes.len());
    for p in &papers {
        let doc = index.find_id(&p.id).unwrap().unwrap();
        let r = index.doc(doc).unwrap();
        assert_eq!((r.id, r.title, r.abstract_text), (p.id.as_str(), p.title.as_str(), p.abstract_text.as_str()));
        assert_eq!((r.date, r.authors, r.upvotes), (p.date, p.authors, p.upvotes));
        assert_eq!(r.url, p.url.as_deref());
        assert_eq!(r.organization, p.organization.as_deref());
        assert_eq!(r.code, p.code.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!((r.source_file, r.source_line), ("synthetic.txt", p.source.line as u64));
        // Verification's partial read (every combination of date, authors and upvotes occurs).
        let text = index.doc_text(doc).unwrap();
        assert_eq!((text.title, text.abstract_text, text.abstract_cut), (r.title, r.abstract_text, r.abstract_cut));
        assert_eq!(index.doc_with_text(doc, text).unwrap(), r);
    }
    assert_eq!(index.find_id("nope").unwrap(), None);
}

#[test]
fn same_papers_give_identical_bytes() {
    let papers = corpus(200);
    let a = build(&papers, &BuildOptions::default()).unwrap().0;
    let b = build(&papers, &BuildOptions::default()).unwrap().0;
    assert_eq!(a, b);
}

#[test]
fn no_false_negatives_against_exact_term_sets() {
    let papers = corpus(400);
    let (bytes, summary) = build(&papers, &BuildOptions::default()).unwrap();
    assert_eq!(summary.abstracts_cut, 0);
    for (query, got, want) in two_word_queries(&papers, &bytes) {
        assert_eq!(got, want, "query {query:?}");
    }
}

/// For every 7th paper, two of its words as a query: (query, ids found, ids of the papers that
/// really contain both words), each sorted.
fn two_word_queries(papers: &[Paper], bytes: &[u8]) -> Vec<(String, Vec<String>, Vec<String>)> {
    let index = Index::open(bytes).unwrap();
    let mut searcher = Searcher::new();
    let mut out = Vec::new();
    for (i, p) in papers.iter().enumerate().step_by(7) {
        let words = terms(&p.abstract_text, Mode::Index);
        let query = format!("{} {}", words[0], words[words.len() / 2]);
        let mut want: Vec<String> = papers
            .iter()
            .filter(|q| {
                let t = terms(&format!("{} {}", q.title, q.abstract_text), Mode::Index);
                t.contains(&words[0]) && t.contains(&words[words.len() / 2])
            })
            .map(|p| p.id.clone())
            .collect();
        let exact_words = SearchOptions { prefix: false, fuzzy: false, ..SearchOptions::new(10_000) };
        let res = searcher.search_with(&index, &query, &exact_words).unwrap();
        assert!(!res.partial, "paper {i}: {query}");
        let mut got: Vec<String> = res.hits.iter().map(|h| index.doc(h.doc).unwrap().id.to_string()).collect();
        got.sort_unstable();
        want.sort_unstable();
        out.push((query, got, want));
    }
    out
}

#[test]
fn text_budget_cuts_abstracts_and_search_still_finds_every_paper() {
    let papers = corpus(400);
    let budget = 60_000;
    let opts = BuildOptions { text_budget: Some(budget), ..BuildOptions::default() };
    let (bytes, summary) = build(&papers, &opts).unwrap();
    assert!(summary.abstract_bytes > budget, "the corpus must exceed the budget");
    assert!(summary.abstracts_cut > 0 && summary.abstract_cap > 0 && summary.abstract_cap < budget);
    let index = Index::open(&bytes).unwrap();
    let (mut stored, mut flagged) = (0, 0);
    for d in 0..index.papers() {
        let r = index.doc(d).unwrap();
        assert!(r.abstract_text.len() <= summary.abstract_cap || !r.abstract_cut);
        stored += r.abstract_text.len();
        flagged += usize::from(r.abstract_cut);
    }
    assert!(stored <= budget, "{stored} bytes stored");
    assert_eq!(flagged, summary.abstracts_cut);
    // A reader sees where an abstract was cut: its result excerpt and its detail view end in "…".
    let mut searcher = crate::search::Searcher::new();
    for d in 0..index.papers() {
        let r = index.doc(d).unwrap();
        let detail = crate::view::PaperView::from_record(&r);
        assert_eq!(detail.abstract_text.ends_with('…'), r.abstract_cut || r.abstract_text.ends_with('…'), "{}", r.id);
        let results = searcher.search(&index, &format!("\"{}\"", r.title), 20).unwrap();
        let found = results.hits.iter().position(|h| h.doc == d).unwrap(); // found by its title
        let view = &crate::view::ResultView::all(&index, &results, 0).unwrap()[found];
        if r.abstract_cut {
            assert!(view.excerpt.ends_with('…'), "{}: {}", r.id, view.excerpt);
        }
    }
    // Words past the cut are still found (the signature covers them); a paper wrongly shown
    // can only be a Bloom false positive among the cut ones: rare.
    let (mut extra, mut checked) = (0, 0);
    for (query, got, want) in two_word_queries(&papers, &bytes) {
        assert!(want.iter().all(|w| got.contains(w)), "query {query:?} lost a paper");
        extra += got.len() - want.len();
        checked += papers.len();
    }
    assert!((extra as f64) < 0.01 * checked as f64, "{extra} false positives shown");
}

#[test]
fn abstract_cap_fills_the_budget_exactly() {
    let lens = [10, 20, 100];
    let cap = super::build::abstract_cap_for_tests(&lens, 60);
    assert_eq!(cap, Some(30)); // 10 + 20 + 30 = 60
    assert_eq!(super::build::abstract_cap_for_tests(&lens, 130), None);
    assert_eq!(super::build::abstract_cap_for_tests(&lens, 3), Some(1));
}

#[test]
fn measured_false_positive_rate_is_near_target() {
    let papers = corpus(600);
    let opts = BuildOptions { false_positive_rate: 0.01, ..BuildOptions::default() };
    let (bytes, _) = build(&papers, &opts).unwrap();
    let index = Index::open(&bytes).unwrap();
    // Terms that occur nowhere: every candidate is a false positive.
    let mut searcher = Searcher::new();
    let mut candidates = 0usize;
    let trials = 200;
    for t in 0..trials {
        let exact_words = SearchOptions { prefix: false, fuzzy: false, ..SearchOptions::new(1) };
        candidates += searcher.search_with(&index, &format!("absent{t}"), &exact_words).unwrap().total;
    }
    let rate = candidates as f64 / (trials * papers.len()) as f64;
    assert!(rate < 0.02, "measured {rate}");
}

#[test]
fn damaged_bytes_give_errors_not_panics() {
    let (bytes, _) = build(&corpus(50), &BuildOptions::default()).unwrap();
    assert_eq!(Index::open(b"nope").unwrap_err(), IndexError::BadMagic);
    let mut v = bytes.clone();
    v[8] = 99;
    assert!(matches!(Index::open(&v).unwrap_err(), IndexError::Version { found: 99, .. }));
    assert!(Index::open(&v).unwrap_err().to_string().contains("rebuild"));
    assert!(matches!(Index::open(&bytes[..bytes.len() - 8]).unwrap_err(), IndexError::Truncated { .. }));
    let mut t = bytes.clone();
    let last = t.len() - 9;
    t[last] ^= 0x55;
    assert_eq!(Index::open(&t).unwrap().verify_checksum().unwrap_err(), IndexError::Checksum);
    assert_eq!(Index::open_verified(&t).unwrap_err(), IndexError::Checksum);
    assert!(Index::open_verified(&bytes).is_ok());
    // The header is covered too: a changed false-positive rate or hash count passes the
    // structural checks but not the checksum.
    for at in [12, 28, 40, 44] {
        let mut h = bytes.clone();
        h[at] ^= 0x01;
        assert!(Index::open(&h).is_ok(), "byte {at} should pass the structural checks");
        assert_eq!(Index::open_verified(&h).unwrap_err(), IndexError::Checksum, "byte {at}");
    }
    // Flip every byte of the header and tables in turn: open/doc/search must never panic.
    let mut searcher = Searcher::new();
    for at in 0..bytes.len().min(400) {
        let mut d = bytes.clone();
        d[at] ^= 0xff;
        if let Ok(ix) = Index::open(&d) {
            for doc in 0..ix.papers() {
                let _ = ix.doc(doc);
            }
            let _ = searcher.search(&ix, "w1 title", 5);
        }
    }
}

#[test]
fn sizing_follows_the_bloom_formulas() {
    assert_eq!(hashes_for(0.001), 10);
    assert_eq!(hashes_for(0.01), 7);
    let m = signature_bits(100, 10);
    assert_eq!(m, 1443);
    let f = false_positive_rate(100, 10, m);
    assert!((0.0009..0.0011).contains(&f), "{f}");
}

#[test]
fn element_fractions_give_the_rows_of_every_shard() {
    let papers = corpus(600);
    let (bytes, _) = build(&papers, &BuildOptions::default()).unwrap();
    let index = Index::open(&bytes).unwrap();
    assert!(index.shard_count() > 1, "several shards, each with its own m");
    let mut private = 0;
    for term in ["alpha", "beta", "w0", "w1", "w7", "w30", "nothing-like-it"] {
        for field in [crate::hash::Field::Any, crate::hash::Field::Title] {
            let rows = index.element_rows(crate::hash::term_hash(field, term));
            private += usize::from(matches!(rows, ElementRows::Private(_)));
            let fractions = rows.fractions(index.k());
            assert_eq!(fractions.is_private(), matches!(rows, ElementRows::Private(_)));
            for i in 0..index.shard_count() {
                let s = index.shard(i).unwrap();
                let want: Vec<u32> = rows.in_shard(index.k(), &s).collect();
                assert_eq!(fractions.in_shard(&s).collect::<Vec<u32>>(), want, "{term} in shard {i}");
            }
        }
    }
    assert!(private > 0, "some of these are common enough for a private row");
}
