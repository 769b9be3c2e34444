//! Per-query instruction counts, and a results listing to compare two builds by: the scale
//! benchmark's 203 queries for a digest (see `benches/corpora.rs`), each searched and viewed
//! (top 10, what the wasm `search()` computes before its JS conversion) once unmeasured and then
//! once inside [`measured`], the function callgrind is told to count and dump after:
//!
//! ```sh
//! cargo build --release -p paperbloom-core --example profile
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect=profile::measured \
//!   --dump-after=profile::measured target/release/examples/profile DIGEST
//! ```
//!
//! writes `callgrind.out.<pid>.<n>` for the n-th query (`--list` prints them in that order);
//! `grep -m1 totals: FILE` is its count. The unmeasured run first is the benchmark's warm-up:
//! caches filled (stems, buffers), as when a query repeats or a reader types on. `--query Q`
//! runs one query instead; `--results` prints each query's hits, scores, excerpt lengths and
//! title highlights, one line each, for `diff` between builds. `--repeat N` runs each measured
//! search N times and prints its mean time (for `perf record`, which samples rather than counts,
//! and for comparing two builds run in turn). `--index FILE` keeps the built index in FILE and
//! reads it from there when FILE exists (built under valgrind, a 64k digest takes minutes;
//! delete FILE when the index format or the digest changes). Not a benchmark (no tables, no
//! targets) and not a test.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/common/mod.rs"]
mod common;

use paperbloom_core::digest;
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::{SearchResults, Searcher};
use paperbloom_core::view::ResultView;
use std::io::Write;
use std::path::PathBuf;

/// The top 10 of `q` and their result views.
fn search_with_views<'a>(
    searcher: &mut Searcher,
    index: &Index<'a>,
    q: &str,
) -> (SearchResults<'a>, Vec<ResultView<'a>>) {
    let results = searcher.search(index, q, 10).unwrap();
    let views = ResultView::all(index, &results, 0).unwrap();
    (results, views)
}

/// One search and its result views; returns a number that depends on all of them.
#[inline(never)]
fn search_and_view(searcher: &mut Searcher, index: &Index, q: &str) -> usize {
    let (_, views) = search_with_views(searcher, index, q);
    views.iter().map(|v| v.excerpt.len() + v.title_highlights.len()).sum()
}

/// The measured run of a query (the name callgrind is given).
#[inline(never)]
fn measured(searcher: &mut Searcher, index: &Index, q: &str) -> usize {
    search_and_view(searcher, index, q)
}

/// What a query finds, on one line.
fn describe(searcher: &mut Searcher, index: &Index, q: &str) -> String {
    let (results, views) = search_with_views(searcher, index, q);
    let hits: Vec<String> = views
        .iter()
        .map(|v| format!("{}:{:.4}:{}:{:?}", v.paper.id, v.score, v.excerpt.len(), v.title_highlights))
        .collect();
    format!("{q}\t{} {}\t{}", results.total, results.partial, hits.join("|"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().filter(|a| !a.starts_with("--")) else {
        eprintln!("usage: profile DIGEST [--list | --results | --query Q] [--index FILE]");
        std::process::exit(2);
    };
    let flag = |name: &str| args.iter().any(|a| a == name);
    let digest = digest::load(&[PathBuf::from(path)]).unwrap();
    let cache =
        args.iter().position(|a| a == "--index").map(|i| PathBuf::from(args.get(i + 1).expect("--index needs a file")));
    let bytes = match cache.as_ref().and_then(|c| std::fs::read(c).ok()) {
        Some(bytes) => bytes,
        None => {
            let (bytes, _) = build(&digest.papers, &BuildOptions::default()).unwrap();
            if let Some(c) = &cache {
                std::fs::write(c, &bytes).unwrap();
            }
            bytes
        }
    };
    let index = Index::open(&bytes).unwrap();
    let queries = match args.iter().position(|a| a == "--query") {
        Some(i) => vec![args.get(i + 1).expect("--query needs a query").clone()],
        None => common::queries(&digest.papers),
    };
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .map_or(1, |i| args.get(i + 1).and_then(|n| n.parse().ok()).expect("--repeat needs a number"));
    let mut searcher = Searcher::new();
    let mut out = std::io::stdout().lock();
    for q in &queries {
        let line = if flag("--list") {
            q.clone()
        } else if flag("--results") {
            describe(&mut searcher, &index, q)
        } else {
            std::hint::black_box(search_and_view(&mut searcher, &index, q));
            let start = std::time::Instant::now();
            for _ in 0..repeat {
                std::hint::black_box(measured(&mut searcher, &index, q));
            }
            if repeat > 1 {
                eprintln!("{q}\t{:.1} µs", start.elapsed().as_secs_f64() * 1e6 / repeat as f64);
            }
            continue;
        };
        if writeln!(out, "{line}").is_err() {
            return; // the reader went away (`| head`)
        }
    }
}
