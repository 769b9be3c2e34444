//! The fuzz targets' bodies, one function per target. Each takes arbitrary bytes and panics only
//! when an invariant breaks; a panic is a bug. Also compiled (with `#[path]`) by
//! `core/tests/fuzz_replay.rs`, which runs the kept corpus and every past crash on stable.
//!
//! - [`query`]: any query (and options picked from the first byte) against the seed digest's
//!   index: no panic, at most `limit` hits, sorted best first, every hit a real paper, every hit
//!   passing the year / has-code filters, the same answer twice, and views that build.
//! - [`digest`]: any file bytes read as each format: an error or a report whose books balance
//!   (read = indexed + merged + skipped), and papers that index and search.
//! - [`index_bytes`]: any bytes opened as an index, and the seed index with bytes flipped or
//!   cut: an error or an index whose every record and search works; never a panic.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use paperbloom_core::digest;
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::{Refine, SearchOptions, Searcher, Sort};
use paperbloom_core::view::ResultView;
use std::sync::OnceLock;

/// The seed digest's index, built once.
fn seed_index() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/digests");
        let d = digest::load(&[dir]).unwrap();
        build(&d.papers, &BuildOptions::default()).unwrap().0
    })
}

/// Options from one byte: limit, sort, filters, prefix and typo modes.
fn options(b: u8) -> SearchOptions {
    let mut o = SearchOptions::new(1 + usize::from(b & 0x0f) * 3);
    o.sort = match (b >> 4) & 3 {
        0 => Sort::Relevance,
        1 => Sort::Newest,
        _ => Sort::Upvotes,
    };
    o.refine = Refine { year: (b & 0x40 != 0).then_some(2024), has_code: b & 0x80 != 0 };
    o.facets = b & 1 != 0;
    o.prefix = b & 2 != 0;
    o.fuzzy = b & 4 != 0;
    o
}

pub fn query(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else { return };
    let q = String::from_utf8_lossy(rest);
    let index = Index::open(seed_index()).unwrap();
    let o = options(first);
    let mut s = Searcher::new();
    let r = s.search_with(&index, &q, &o).unwrap();
    assert!(r.hits.len() <= o.limit);
    // By relevance, hits come best score first (a query of filters alone lists newest first).
    if o.sort == Sort::Relevance && !r.terms.is_empty() {
        assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score), "sorted by score: {q:?}");
    }
    // The views from verification's matches equal views from a fresh scan.
    let views = ResultView::all(&index, &r, 0).unwrap();
    assert_eq!(views.len(), r.hits.len());
    for (h, view) in r.hits.iter().zip(&views) {
        assert!(h.doc < index.papers());
        let meta = index.meta(h.doc).unwrap();
        if let Some(y) = o.refine.year {
            assert_eq!(meta.year, Some(y), "year filter: {q:?}");
        }
        if o.refine.has_code {
            assert!(meta.code > 0, "has-code filter: {q:?}");
        }
        assert_eq!(&ResultView::new(&index, &r, h).unwrap(), view, "views: {q:?}");
    }
    let again = s.search_with(&index, &q, &o).unwrap();
    let ids = |r: &paperbloom_core::search::SearchResults| {
        r.hits.iter().map(|h| (h.doc, h.score.to_bits())).collect::<Vec<_>>()
    };
    assert_eq!(ids(&r), ids(&again), "deterministic: {q:?}");
}

pub fn digest(data: &[u8]) {
    for name in ["f.txt", "f.json", "f.jsonl"] {
        if let Ok((papers, report)) = digest::parse_bytes(name, data) {
            assert!(report.is_balanced(), "{report:?}");
            assert_eq!(papers.len(), report.indexed);
            if !papers.is_empty() {
                let (bytes, _) = build(&papers, &BuildOptions::default()).unwrap();
                let index = Index::open(&bytes).unwrap();
                index.verify_checksum().unwrap();
                let q: String = papers[0].title.chars().take(40).collect();
                Searcher::new().search(&index, &q, 5).unwrap();
            }
        }
    }
}

/// Everything a reader can do with an opened index, checking it never panics.
fn exercise(index: &Index<'_>) {
    for d in 0..index.papers().min(300) {
        let _ = index.doc(d);
        let _ = index.meta(d);
    }
    let mut s = Searcher::new();
    for q in ["bloom filter", "diffusion", "gan*", "year:2024", "\"large language\"", "-model graph"] {
        let _ = s.search_with(index, q, &options(0x4f));
    }
    let _ = paperbloom_core::view::StatsView::new(index);
}

pub fn index_bytes(data: &[u8]) {
    // The bytes as they are.
    if let Ok(index) = Index::open(data) {
        exercise(&index);
    }
    // The seed index with the fuzzer's edits: (offset, xor) pairs, then maybe a cut.
    let mut bytes = seed_index().to_vec();
    for pair in data.chunks(5) {
        if pair.len() < 5 {
            bytes.truncate(u32::from_le_bytes([pair[0], *pair.get(1).unwrap_or(&0), 0, 0]) as usize * 64);
            break;
        }
        let at = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]) as usize % bytes.len().max(1);
        if let Some(b) = bytes.get_mut(at) {
            *b ^= pair[4] | 1;
        }
    }
    if let Ok(index) = Index::open(&bytes) {
        exercise(&index);
    }
}
